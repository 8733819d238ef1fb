//! Opening a store from a URL: `sqlite://FILE` (relative), `sqlite:///abs/FILE`, or
//! `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`.

use crate::error::{StoreError, one_line};
use crate::{Pool, Store};
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// Whether opening may create a new, empty database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// `hearth seed` and the demo: make the SQLite file if it is not there.
    CreateIfMissing,
    /// Everything else: a missing file is an error, not a new empty council.
    MustExist,
}

const HOW: &str = "use sqlite://FILE or postgres://USER@HOST:PORT/DATABASE";

impl Store {
    /// Opens (and if need be creates) the database at `url` and brings its schema up to date.
    pub async fn open(url: &str, mode: OpenMode) -> Result<Store, StoreError> {
        let store = if let Some(path) = url.strip_prefix("sqlite://") {
            open_sqlite(url, path, mode).await?
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            open_postgres(url).await?
        } else {
            return Err(StoreError::BadUrl {
                url: redact(url),
                reason: HOW.to_string(),
            });
        };
        store.migrate().await?;
        Ok(store)
    }
}

async fn open_sqlite(url: &str, path: &str, mode: OpenMode) -> Result<Store, StoreError> {
    if path.is_empty() {
        return Err(StoreError::BadUrl {
            url: url.to_string(),
            reason: format!("it names no file; {HOW}"),
        });
    }
    let target = format!("SQLite database {path}");
    let file = Path::new(path);
    if mode == OpenMode::MustExist && !file.exists() {
        return Err(StoreError::NotFound {
            path: path.to_string(),
        });
    }
    if let Some(dir) = file.parent()
        && !dir.as_os_str().is_empty()
        && !dir.is_dir()
    {
        return Err(match mode {
            OpenMode::CreateIfMissing => StoreError::NoFolder {
                path: path.to_string(),
                folder: dir.display().to_string(),
            },
            OpenMode::MustExist => StoreError::NotFound {
                path: path.to_string(),
            },
        });
    }
    let options = SqliteConnectOptions::new()
        .filename(file)
        .create_if_missing(mode == OpenMode::CreateIfMissing)
        // WAL lets the server read while a save is written; FULL makes every committed append
        // reach the disk before it is acknowledged.
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(10))
        .foreign_keys(true);
    // Readers run side by side under WAL; each connection is a thread of its own.
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(db) => StoreError::Database {
                target: target.clone(),
                message: one_line(db.message()),
            },
            other => StoreError::Unreachable {
                target: target.clone(),
                reason: one_line(&other.to_string()),
            },
        })?;
    Ok(Store {
        pool: Pool::Sqlite(pool),
        target,
        file: Some(file.to_path_buf()),
        access_writer: Default::default(),
        append_writer: Default::default(),
        readers: Default::default(),
    })
}

async fn open_postgres(url: &str) -> Result<Store, StoreError> {
    let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::BadUrl {
        url: redact(url),
        reason: one_line(&strip_secret(&e.to_string(), url)),
    })?;
    let database = options.get_database().unwrap_or(options.get_username());
    let target = format!(
        "PostgreSQL database {database} on {}:{}",
        options.get_host(),
        options.get_port()
    );
    let options = options.application_name("hearth");
    // One connection first, so a wrong address fails at once rather than after the pool has
    // retried for its whole timeout.
    let unreachable = |e: sqlx::Error| {
        let reason = match &e {
            sqlx::Error::Database(db) => db.message().to_string(),
            sqlx::Error::Io(io) => io.to_string(),
            other => other.to_string(),
        };
        StoreError::Unreachable {
            target: target.clone(),
            reason: one_line(&strip_secret(&reason, url)),
        }
    };
    let probe = tokio::time::timeout(
        Duration::from_secs(10),
        sqlx::PgConnection::connect_with(&options),
    )
    .await
    .map_err(|_| StoreError::Unreachable {
        target: target.clone(),
        reason: "no answer within 10 seconds".to_string(),
    })?
    .map_err(unreachable)?;
    let _ = probe.close().await;
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(unreachable)?;
    Ok(Store {
        pool: Pool::Postgres(pool),
        target,
        file: None,
        access_writer: Default::default(),
        append_writer: Default::default(),
        readers: Default::default(),
    })
}

/// The URL with any password replaced by `***`.
pub(crate) fn redact(url: &str) -> String {
    match password_span(url) {
        Some((start, end)) => format!("{}***{}", &url[..start], &url[end..]),
        None => url.to_string(),
    }
}

/// Removes the URL's password from a message, wherever a library may have echoed it.
fn strip_secret(message: &str, url: &str) -> String {
    match password_span(url) {
        Some((start, end)) if end > start => message.replace(&url[start..end], "***"),
        _ => message.to_string(),
    }
}

/// Where the password sits in `scheme://user:password@host`, if there is one.
fn password_span(url: &str) -> Option<(usize, usize)> {
    let after_scheme = url.find("://")? + 3;
    let rest = &url[after_scheme..];
    let at = rest.rfind('@')?;
    let colon = rest[..at].find(':')?;
    Some((after_scheme + colon + 1, after_scheme + at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://me:hunter2@db:5432/hearth"),
            "postgres://me:***@db:5432/hearth"
        );
        assert_eq!(redact("postgres://me@db/hearth"), "postgres://me@db/hearth");
        assert_eq!(redact("sqlite://hearth.db"), "sqlite://hearth.db");
        assert_eq!(
            strip_secret("bad password hunter2", "postgres://me:hunter2@db/x"),
            "bad password ***"
        );
    }
}
