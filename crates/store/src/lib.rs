//! The store: the event log, the access log and who may sign in, on SQLite (one file, the default) or PostgreSQL,
//! from one set of migrations; and replay of the log into the case model.
//!
//! Every query is written once, in SQL both databases read (`$1` parameters, `RETURNING`), and
//! run against whichever pool the store holds. The few places the two differ (how a writer takes
//! the log's lock, how a bulk load is sent) are marked where they happen.

mod access;
mod accounts;
mod connect;
mod error;
mod log;
mod readers;
mod replay;
mod runs;
mod scan;
mod schema;

pub use access::{AccessEntry, AccessRecord};
pub use accounts::{NewUser, User};
pub use connect::OpenMode;
pub use error::StoreError;
pub use log::{Appended, BulkEvent, ExpectedVersion, NewEvent, StoredEvent};
pub use replay::{LoadError, Loaded, apply_stored, decode, load_model};
pub use runs::ImportRun;
pub use schema::SCHEMA_VERSION;

use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

/// Which database a store is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// An open event store. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    /// Names the database for messages, never with a password.
    target: String,
    /// The SQLite file, which replay reads on a thread of its own.
    file: Option<std::path::PathBuf>,
    /// Where access-log lines wait to be written together (see `access.rs`).
    access_writer: std::sync::Arc<std::sync::OnceLock<access::Queue>>,
    /// Where appends to the event log wait to be written together (see `log.rs`).
    append_writer: std::sync::Arc<std::sync::OnceLock<log::AppendQueue>>,
    /// Plain connections for the short reads pages make on SQLite (see `readers.rs`).
    readers: readers::Readers,
}

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same expression against whichever pool the store holds, with `$pool` bound to it.
/// The expression is compiled once for each database, so a query written once serves both.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            $crate::Pool::Sqlite($pool) => $body,
            $crate::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// How each database starts a transaction that writes: SQLite takes its write lock at once
/// (`BEGIN IMMEDIATE`), so a version read inside cannot go stale; PostgreSQL takes an advisory
/// lock, so writers holding the same lock commit one after another.
pub(crate) trait BeginWrite {
    type Db: sqlx::Database;
    fn begin_write(
        &self,
        lock: i64,
    ) -> impl Future<Output = Result<Transaction<'static, Self::Db>, sqlx::Error>> + Send;
}

impl BeginWrite for SqlitePool {
    type Db = Sqlite;
    async fn begin_write(&self, _lock: i64) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Db = Postgres;
    async fn begin_write(&self, lock: i64) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        let mut tx = self.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(lock)
            .execute(&mut *tx)
            .await?;
        Ok(tx)
    }
}

impl Store {
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// The database in words, for messages: "SQLite database hearth.db".
    pub fn describe(&self) -> &str {
        &self.target
    }

    /// On SQLite, copies everything in the write-ahead log into the database file and empties
    /// the log, so the file alone holds the whole database (before it is moved or copied).
    /// Nothing to do on PostgreSQL.
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        let Pool::Sqlite(pool) = &self.pool else {
            return Ok(());
        };
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
            .fetch_one(pool)
            .await
            .map_err(|e| self.db_error(e))?;
        if busy != 0 {
            return Err(StoreError::Database {
                target: self.target.clone(),
                message: "the write-ahead log could not be emptied: the database is in use"
                    .to_string(),
            });
        }
        Ok(())
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }

    /// Runs a `SELECT MAX(...)` (with one text parameter, if given): 0 when there are no rows.
    pub(crate) async fn max_or_zero(
        &self,
        sql: &str,
        arg: Option<&str>,
    ) -> Result<i64, StoreError> {
        on_pool!(self, pool => {
            let mut query = sqlx::query_scalar::<_, Option<i64>>(sql);
            if let Some(arg) = arg {
                query = query.bind(arg);
            }
            let max = query.fetch_one(pool).await.map_err(|e| self.db_error(e))?;
            Ok(max.unwrap_or(0))
        })
    }

    pub(crate) fn db_error(&self, e: sqlx::Error) -> StoreError {
        StoreError::database(&self.target, e)
    }
}
