//! Short reads that pages make on SQLite: one child's events, the latest lines of a record's
//! access log. Each is an index look-up of a few dozen rows, a tenth of a millisecond of work,
//! and is done on the server's own thread through a plain connection.
//!
//! Handing such a read to another thread cost more than the read. The pooled driver passes each
//! row back from its connection's thread, a wake-up per row; a blocking thread is one hand-over
//! each way. On a busy server each hand-over waits for a core: under 64 users on two cores these
//! pages waited 50 ms longer than pages that read only memory, and their p99 was twice the rest.
//! Long reads (replay, returns) still run on threads of their own (`scan.rs`).
//!
//! PostgreSQL reads go through the pool: its driver reads rows from a socket, without threads.

use crate::scan::parse_time;
use crate::{Store, StoreError};
use rusqlite::OpenFlags;
use std::sync::{Arc, Mutex};

/// The idle read connections of an SQLite store. A read holds one only while it runs, without
/// waiting on anything, so there are never more than the server has threads.
#[derive(Clone, Default)]
pub(crate) struct Readers(Arc<Mutex<Vec<rusqlite::Connection>>>);

impl Readers {
    fn take(&self) -> Option<rusqlite::Connection> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).pop()
    }

    fn give_back(&self, conn: rusqlite::Connection) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(conn);
    }
}

/// Why a read failed.
pub(crate) enum ReadError {
    Sqlite(rusqlite::Error),
    Data(String),
}

impl From<rusqlite::Error> for ReadError {
    fn from(e: rusqlite::Error) -> Self {
        ReadError::Sqlite(e)
    }
}

impl Store {
    /// Runs a short `read` on a plain connection to the SQLite file. `None` on PostgreSQL,
    /// where the caller reads through the pool.
    pub(crate) fn on_sqlite_reader<T>(
        &self,
        read: impl FnOnce(&rusqlite::Connection) -> Result<T, ReadError>,
    ) -> Option<Result<T, StoreError>> {
        let file = self.file.as_ref()?;
        let fail = |e: ReadError| match e {
            ReadError::Sqlite(e) => StoreError::sqlite(&self.target, e),
            ReadError::Data(message) => StoreError::Database {
                target: self.target.clone(),
                message,
            },
        };
        let conn = match self.readers.take() {
            Some(conn) => conn,
            // Read-write, though it only reads: a reader of a WAL database may need to create
            // the shared-memory index when no other connection has it open.
            None => match rusqlite::Connection::open_with_flags(
                file,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            ) {
                Ok(conn) => conn,
                Err(e) => return Some(Err(fail(e.into()))),
            },
        };
        let out = read(&conn).map_err(fail);
        self.readers.give_back(conn);
        Some(out)
    }
}

/// A stored time, or an error naming the row it came from.
pub(crate) fn time_of(
    text: &str,
    what: impl FnOnce() -> String,
) -> Result<chrono::DateTime<chrono::Utc>, ReadError> {
    parse_time(text).ok_or_else(|| {
        ReadError::Data(format!("{} has a time '{text}' that is not a time", what()))
    })
}
