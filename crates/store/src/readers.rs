//! Short reads that pages make on SQLite, through plain connections on a blocking thread. The
//! pooled driver hands each row over from its connection's own thread, a wake-up per row; on a
//! busy server each wake-up waits for a core, and a child's record of fifty events waited fifty
//! times. A plain statement reads every row in one go and hands back the lot.
//!
//! PostgreSQL reads go through the pool as before: its driver reads rows from a socket.

use crate::scan::parse_time;
use crate::{Store, StoreError};
use rusqlite::OpenFlags;
use std::sync::{Arc, Mutex};

/// Connections reading at once: more readers wait for one of these rather than open another
/// (opening one reads the schema afresh), and two cores gain nothing from more.
const READERS: usize = 8;

/// The read connections of an SQLite store, idle ones kept for the next read.
#[derive(Clone)]
pub(crate) struct Readers {
    idle: Arc<Mutex<Vec<rusqlite::Connection>>>,
    turns: Arc<tokio::sync::Semaphore>,
}

impl Default for Readers {
    fn default() -> Self {
        Readers {
            idle: Arc::default(),
            turns: Arc::new(tokio::sync::Semaphore::new(READERS)),
        }
    }
}

impl Readers {
    fn take(&self) -> Option<rusqlite::Connection> {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop()
    }

    fn give_back(&self, conn: rusqlite::Connection) {
        self.idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(conn);
    }
}

/// What a read gives back, or why it failed, in words for the log.
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
    /// Runs `read` on a plain connection to the SQLite file on a blocking thread. `None` on
    /// PostgreSQL, where the caller reads through the pool.
    pub(crate) async fn on_sqlite_reader<T, F>(&self, read: F) -> Option<Result<T, StoreError>>
    where
        T: Send + 'static,
        F: FnOnce(&rusqlite::Connection) -> Result<T, ReadError> + Send + 'static,
    {
        let file = self.file.clone()?;
        let readers = self.readers.clone();
        let target = self.target.clone();
        let fail = {
            let target = target.clone();
            move |e: ReadError| match e {
                ReadError::Sqlite(e) => StoreError::sqlite(&target, e),
                ReadError::Data(message) => StoreError::Database {
                    target: target.clone(),
                    message,
                },
            }
        };
        // Never closed, so a permit is always granted in the end.
        let turn = self.readers.turns.clone().acquire_owned().await.ok()?;
        let done = tokio::task::spawn_blocking(move || {
            let _turn = turn;
            let conn = match readers.take() {
                Some(conn) => conn,
                // Read-write, though it only reads: a reader of a WAL database may need to
                // create the shared-memory index when no other connection has it open.
                None => rusqlite::Connection::open_with_flags(
                    &file,
                    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(|e| fail(e.into()))?,
            };
            let out = read(&conn).map_err(fail);
            readers.give_back(conn);
            out
        })
        .await;
        Some(done.unwrap_or_else(|e| {
            Err(StoreError::Database {
                target,
                message: format!("a read stopped: {e}"),
            })
        }))
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
