//! What can go wrong with the store, each in one line that names the database (never with its
//! password) and says what to do.

use crate::ExpectedVersion;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("'{url}' is not a database Hearth can use: {reason}")]
    BadUrl { url: String, reason: String },

    #[error(
        "there is no database file at {path}: give the path of an existing database, or run `hearth seed` to make one"
    )]
    NotFound { path: String },

    #[error("cannot make a database at {path}: the folder {folder} does not exist")]
    NoFolder { path: String, folder: String },

    #[error("cannot reach {target}: {reason}")]
    Unreachable { target: String, reason: String },

    #[error(
        "{target} was written by a newer version of Hearth (schema {found}; this version knows up to {known}): upgrade Hearth to open it"
    )]
    NewerSchema {
        target: String,
        found: i64,
        known: i64,
    },

    #[error(
        "{stream} was changed by someone else: this save expected {expected} but it is now at version {actual}; reload it and save again"
    )]
    Conflict {
        stream: String,
        expected: ExpectedVersion,
        actual: i64,
    },

    #[error("{target}: {message}")]
    Database { target: String, message: String },
}

impl StoreError {
    /// A database error, in one line.
    pub(crate) fn database(target: &str, e: sqlx::Error) -> StoreError {
        let message = match &e {
            sqlx::Error::Database(db) => db.message().to_string(),
            sqlx::Error::PoolTimedOut => "timed out waiting for a connection".to_string(),
            other => other.to_string(),
        };
        StoreError::Database {
            target: target.to_string(),
            message: one_line(&message),
        }
    }
}

impl StoreError {
    /// An error from the fast SQLite reader, in one line.
    pub(crate) fn sqlite(target: &str, e: rusqlite::Error) -> StoreError {
        StoreError::Database {
            target: target.to_string(),
            message: one_line(&e.to_string()),
        }
    }
}

pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
