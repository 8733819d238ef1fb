//! The access log: every read of a child's record, who read it, when and why. It is written
//! before the record is shown, so a record never reaches a screen without a line here.
//!
//! Lines are committed in groups: whoever asks while a commit is under way waits for the next,
//! which takes every line that arrived meanwhile in one transaction. Each caller still returns
//! only once its own line is durable, but many views at once share one wait for the disk.

use crate::readers::{ReadError, time_of};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot};

/// Takes the lines waiting, as many as have arrived up to `GROUP`, writes them together, and tells
/// each waiter; then the next group. Runs as long as the store is open somewhere.
async fn write_groups(store: Store, mut queue: mpsc::UnboundedReceiver<Waiting>) {
    while let Some(first) = queue.recv().await {
        let mut group = vec![first];
        while group.len() < GROUP {
            match queue.try_recv() {
                Ok(next) => group.push(next),
                Err(_) => break,
            }
        }
        let result = store
            .write_access_lines(&group)
            .await
            .map_err(|e| e.to_string());
        for (_, _, reply) in group {
            // A caller that has gone away no longer needs telling.
            let _ = reply.send(result.clone());
        }
    }
}

/// A read about to happen.
#[derive(Debug, Clone)]
pub struct AccessEntry {
    /// The user name of whoever is reading.
    pub actor: String,
    /// The stream read (`child/123`).
    pub stream: String,
    /// The record within it, when one was opened (`assessment 3`).
    pub record: Option<String>,
    /// Why: the page or export that read it.
    pub reason: String,
}

/// A line of the access log.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessRecord {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub stream: String,
    pub record: Option<String>,
    pub reason: String,
}

/// A row of `access_log` as the database returns it.
type AccessRow = (i64, DateTime<Utc>, String, String, Option<String>, String);

/// A row of the access log with the count of all rows for its stream.
type CountedRow = (
    i64,
    DateTime<Utc>,
    String,
    String,
    Option<String>,
    String,
    i64,
);

/// A line waiting to be written, its time, and who waits for it (told the error, if any).
type Waiting = (
    AccessEntry,
    DateTime<Utc>,
    oneshot::Sender<Result<(), String>>,
);

/// Where lines wait for the writer.
pub(crate) type Queue = mpsc::UnboundedSender<Waiting>;

/// The most lines one transaction takes.
const GROUP: usize = 512;

impl Store {
    /// Writes a line to the access log, returning once it is durable.
    pub async fn log_access(&self, entry: &AccessEntry) -> Result<(), StoreError> {
        let queue = self.access_writer.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            tokio::spawn(write_groups(self.clone(), rx));
            tx
        });
        let (reply, written) = oneshot::channel();
        let failed = |message: String| StoreError::Database {
            target: self.target.clone(),
            message,
        };
        queue
            .send((entry.clone(), Utc::now(), reply))
            .map_err(|_| failed("the access log's writer has stopped".into()))?;
        match written.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(message)) => Err(failed(message)),
            Err(_) => Err(failed("the access log's writer has stopped".into())),
        }
    }

    /// Writes lines in one statement: one trip to the database however many are waiting.
    async fn write_access_lines(&self, lines: &[Waiting]) -> Result<(), StoreError> {
        if lines.is_empty() {
            return Ok(());
        }
        on_pool!(self, pool => {
            let mut insert =
                sqlx::QueryBuilder::new("INSERT INTO access_log (at, actor, stream, record, reason) ");
            insert.push_values(lines, |mut row, (entry, at, _)| {
                row.push_bind(*at)
                    .push_bind(&entry.actor)
                    .push_bind(&entry.stream)
                    .push_bind(&entry.record)
                    .push_bind(&entry.reason);
            });
            insert
                .build()
                .execute(pool)
                .await
                .map(|_| ())
                .map_err(|e| self.db_error(e))
        })
    }

    /// The latest `limit` views of a stream, newest first, and how many there are in all: a
    /// record opened thousands of times is shown a page at a time.
    pub async fn access_log_latest(
        &self,
        stream: &str,
        limit: u32,
    ) -> Result<(Vec<AccessRecord>, u64), StoreError> {
        // The count rides along on every row: one query, not two.
        let sql = "SELECT id, at, actor, stream, record, reason, COUNT(*) OVER () FROM access_log \
                   WHERE stream = $1 ORDER BY id DESC LIMIT $2";
        let read = |conn: &rusqlite::Connection| -> Result<_, ReadError> {
            let mut statement = conn.prepare_cached(&sql.replace('$', "?"))?;
            let mut rows = statement.query(rusqlite::params![stream, i64::from(limit)])?;
            let (mut out, mut total) = (Vec::new(), 0);
            while let Some(row) = rows.next()? {
                let id: i64 = row.get(0)?;
                let at: String = row.get(1)?;
                total = row.get(6)?;
                out.push(AccessRecord {
                    id,
                    at: time_of(&at, || format!("access-log line {id}"))?,
                    actor: row.get(2)?,
                    stream: row.get(3)?,
                    record: row.get(4)?,
                    reason: row.get(5)?,
                });
            }
            Ok((out, u64::try_from(total).unwrap_or(0)))
        };
        if let Some(read) = self.on_sqlite_reader(read) {
            return read;
        }
        on_pool!(self, pool => {
            let rows: Vec<CountedRow> =
                sqlx::query_as(sql)
                .bind(stream)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await
                .map_err(|e| self.db_error(e))?;
            let total = rows.first().map_or(0, |r| u64::try_from(r.6).unwrap_or(0));
            Ok((
                rows.into_iter()
                    .map(|(id, at, actor, stream, record, reason, _)| {
                        AccessRecord::from((id, at, actor, stream, record, reason))
                    })
                    .collect(),
                total,
            ))
        })
    }

    /// The latest lines, newest first, at most `limit`; only one person's when `actor` is given.
    pub async fn access_log_by(
        &self,
        actor: Option<&str>,
        limit: i64,
    ) -> Result<Vec<AccessRecord>, StoreError> {
        on_pool!(self, pool => {
            let rows: Vec<AccessRow> = match actor {
                Some(actor) => sqlx::query_as(
                    "SELECT id, at, actor, stream, record, reason FROM access_log \
                     WHERE actor = $1 ORDER BY at DESC, id DESC LIMIT $2",
                )
                .bind(actor)
                .bind(limit)
                .fetch_all(pool)
                .await,
                None => sqlx::query_as(
                    "SELECT id, at, actor, stream, record, reason FROM access_log \
                     ORDER BY id DESC LIMIT $1",
                )
                .bind(limit)
                .fetch_all(pool)
                .await,
            }
            .map_err(|e| self.db_error(e))?;
            Ok(rows.into_iter().map(AccessRecord::from).collect())
        })
    }

    /// Lines whose reason starts with `prefix`, newest first, at most `limit`: how managers see
    /// who opened restricted records and why.
    pub async fn access_log_reasoned(
        &self,
        prefix: &str,
        limit: i64,
    ) -> Result<Vec<AccessRecord>, StoreError> {
        // LIKE's own wildcards in the prefix are taken literally.
        let pattern = format!(
            "{}%",
            prefix
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        on_pool!(self, pool => {
            let rows: Vec<AccessRow> = sqlx::query_as(
                "SELECT id, at, actor, stream, record, reason FROM access_log \
                 WHERE reason LIKE $1 ESCAPE '\\' ORDER BY id DESC LIMIT $2",
            )
            .bind(&pattern)
            .bind(limit)
            .fetch_all(pool)
            .await
            .map_err(|e| self.db_error(e))?;
            Ok(rows.into_iter().map(AccessRecord::from).collect())
        })
    }

    /// Who has read a stream, oldest first.
    pub async fn access_log_for(&self, stream: &str) -> Result<Vec<AccessRecord>, StoreError> {
        on_pool!(self, pool => {
            let rows: Vec<AccessRow> = sqlx::query_as(
                "SELECT id, at, actor, stream, record, reason FROM access_log WHERE stream = $1 ORDER BY id",
            )
            .bind(stream)
            .fetch_all(pool)
            .await
            .map_err(|e| self.db_error(e))?;
            Ok(rows.into_iter().map(AccessRecord::from).collect())
        })
    }
}

impl From<AccessRow> for AccessRecord {
    fn from((id, at, actor, stream, record, reason): AccessRow) -> Self {
        AccessRecord {
            id,
            at,
            actor,
            stream,
            record,
            reason,
        }
    }
}
