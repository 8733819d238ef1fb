//! The event log: appending (naming the version expected), bulk loading, and reading back.

use crate::readers::{ReadError, time_of};
use crate::{BeginWrite, Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use sqlx::Row;
use std::fmt;
use tokio::sync::{mpsc, oneshot};

/// The version of a stream an append expects to find, so that two people saving the same record
/// at once cannot overwrite each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedVersion {
    /// The stream must not exist yet (registering a new child).
    NoStream,
    /// The stream must be at exactly this version (the one the user loaded).
    Exact(i64),
    /// Whatever the version (machine sources that own their streams).
    Any,
}

impl fmt::Display for ExpectedVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpectedVersion::NoStream => f.write_str("a new record"),
            ExpectedVersion::Exact(v) => write!(f, "version {v}"),
            ExpectedVersion::Any => f.write_str("any version"),
        }
    }
}

/// An event to append; the store gives it its version and sequence number.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub kind: String,
    pub body: String,
    pub actor: String,
    /// When it was recorded; `None` for now.
    pub recorded_at: Option<DateTime<Utc>>,
}

/// An event with its version already given, for loading whole histories (the synthetic council,
/// imports) in large transactions.
#[derive(Debug, Clone)]
pub struct BulkEvent {
    pub stream: String,
    pub version: i64,
    pub kind: String,
    pub body: String,
    pub actor: String,
    pub recorded_at: DateTime<Utc>,
}

impl From<&domain::Event> for BulkEvent {
    fn from(event: &domain::Event) -> Self {
        BulkEvent {
            stream: event.stream.to_string(),
            version: i64::from(event.version),
            kind: event.body.kind().to_string(),
            body: event.body.to_json(),
            actor: event.actor.clone(),
            recorded_at: event.recorded_at,
        }
    }
}

/// An event as the log holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub seq: i64,
    pub stream: String,
    pub version: i64,
    pub kind: String,
    pub body: String,
    pub actor: String,
    pub recorded_at: DateTime<Utc>,
}

/// What an append wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appended {
    pub first_seq: i64,
    pub last_seq: i64,
    /// The stream's version after the append.
    pub version: i64,
}

/// An append waiting for the writer, and who waits for it.
pub(crate) struct PendingAppend {
    stream: String,
    expected: ExpectedVersion,
    events: Vec<NewEvent>,
    reply: oneshot::Sender<Result<Appended, StoreError>>,
}

/// Where appends wait for the writer.
pub(crate) type AppendQueue = mpsc::UnboundedSender<PendingAppend>;

/// The most appends one transaction takes.
const APPEND_GROUP: usize = 256;

/// Takes the appends waiting, writes them together, and tells each waiter; then the next group.
async fn append_groups(store: Store, mut queue: mpsc::UnboundedReceiver<PendingAppend>) {
    while let Some(first) = queue.recv().await {
        let mut group = vec![first];
        while group.len() < APPEND_GROUP {
            match queue.try_recv() {
                Ok(next) => group.push(next),
                Err(_) => break,
            }
        }
        let results = store.append_group(&group).await;
        for (p, result) in group.into_iter().zip(results) {
            // A caller that has gone away no longer needs telling.
            let _ = p.reply.send(result);
        }
    }
}

/// Writers on PostgreSQL take this lock for the length of their transaction, so sequence numbers
/// are handed out in the order transactions commit. Without it a reader following `seq > last`
/// could pass over an event whose transaction committed after a later-numbered one.
const APPEND_LOCK: i64 = 0x4865_6172_7468_0002;

/// Rows per INSERT statement in a bulk load: 6 parameters each keeps well inside both databases'
/// limits on parameters per statement.
const BULK_ROWS: usize = 1_000;

const COLUMNS: &str = "seq, stream, version, kind, body, actor, recorded_at";

fn stored<R: Row>(row: &R) -> Result<StoredEvent, sqlx::Error>
where
    usize: sqlx::ColumnIndex<R>,
    i64: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    String: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    DateTime<Utc>: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Ok(StoredEvent {
        seq: row.try_get(0)?,
        stream: row.try_get(1)?,
        version: row.try_get(2)?,
        kind: row.try_get(3)?,
        body: row.try_get(4)?,
        actor: row.try_get(5)?,
        recorded_at: row.try_get(6)?,
    })
}

impl Store {
    /// Appends events to one stream, atomically, if the stream is at the version expected.
    /// Returns once the events are durable.
    ///
    /// Appends that arrive while another group is being written wait and go together in the
    /// next transaction, each checked against its own stream's version: one wait for the disk
    /// however many people save at once. An append that does not fit its stream fails alone.
    pub async fn append(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: &[NewEvent],
    ) -> Result<Appended, StoreError> {
        let queue = self.append_writer.get_or_init(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            tokio::spawn(append_groups(self.clone(), rx));
            tx
        });
        let stopped = || StoreError::Database {
            target: self.target.clone(),
            message: "the event log's writer has stopped".into(),
        };
        let (reply, written) = oneshot::channel();
        queue
            .send(PendingAppend {
                stream: stream.to_string(),
                expected,
                events: events.to_vec(),
                reply,
            })
            .map_err(|_| stopped())?;
        written.await.map_err(|_| stopped())?
    }

    /// Writes a group of appends in one transaction. Each append is checked and written in turn,
    /// so a later one in the group sees an earlier one to the same stream.
    async fn append_group(&self, group: &[PendingAppend]) -> Vec<Result<Appended, StoreError>> {
        let now = Utc::now();
        let written: Result<Vec<Result<Appended, StoreError>>, StoreError> = on_pool!(self, pool => {
            async {
                let mut tx = pool.begin_write(APPEND_LOCK).await.map_err(|e| self.db_error(e))?;
                let mut results = Vec::with_capacity(group.len());
                for p in group {
                    let current: Option<i64> =
                        sqlx::query_scalar("SELECT MAX(version) FROM events WHERE stream = $1")
                            .bind(&p.stream)
                            .fetch_one(&mut *tx)
                            .await
                            .map_err(|e| self.db_error(e))?;
                    let current = current.unwrap_or(0);
                    let fits = match p.expected {
                        ExpectedVersion::NoStream => current == 0,
                        ExpectedVersion::Exact(v) => current == v,
                        ExpectedVersion::Any => true,
                    };
                    if !fits {
                        results.push(Err(StoreError::Conflict {
                            stream: p.stream.clone(),
                            expected: p.expected,
                            actual: current,
                        }));
                        continue;
                    }
                    let mut first_seq = 0;
                    let mut last_seq = 0;
                    for (i, event) in p.events.iter().enumerate() {
                        let seq: i64 = sqlx::query_scalar(
                            "INSERT INTO events (stream, version, kind, body, actor, recorded_at) \
                             VALUES ($1, $2, $3, $4, $5, $6) RETURNING seq",
                        )
                        .bind(&p.stream)
                        .bind(current + i as i64 + 1)
                        .bind(&event.kind)
                        .bind(&event.body)
                        .bind(&event.actor)
                        .bind(event.recorded_at.unwrap_or(now))
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(|e| self.unique_is_conflict(e, &p.stream, p.expected, current))?;
                        if i == 0 {
                            first_seq = seq;
                        }
                        last_seq = seq;
                    }
                    results.push(Ok(Appended {
                        first_seq,
                        last_seq,
                        version: current + p.events.len() as i64,
                    }));
                }
                tx.commit().await.map_err(|e| self.db_error(e))?;
                Ok(results)
            }
            .await
        });
        match written {
            Ok(results) => results,
            // Nothing of the group was written: each waiter is told why.
            Err(e) => group
                .iter()
                .map(|_| {
                    Err(match &e {
                        StoreError::Conflict {
                            stream,
                            expected,
                            actual,
                        } => StoreError::Conflict {
                            stream: stream.clone(),
                            expected: *expected,
                            actual: *actual,
                        },
                        other => StoreError::Database {
                            target: self.target.clone(),
                            message: other.to_string(),
                        },
                    })
                })
                .collect(),
        }
    }

    /// Another writer got in first: the unique (stream, version) key caught it.
    fn unique_is_conflict(
        &self,
        e: sqlx::Error,
        stream: &str,
        expected: ExpectedVersion,
        current: i64,
    ) -> StoreError {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict {
                stream: stream.to_string(),
                expected,
                actual: current + 1,
            },
            _ => self.db_error(e),
        }
    }

    /// Writes events whose versions are already given, all in one transaction. A version that
    /// is already taken fails the whole load.
    pub async fn append_bulk(&self, events: &[BulkEvent]) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            let mut tx = pool.begin_write(APPEND_LOCK).await.map_err(|e| self.db_error(e))?;
            for chunk in events.chunks(BULK_ROWS) {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO events (stream, version, kind, body, actor, recorded_at) ",
                );
                insert.push_values(chunk, |mut row, e| {
                    row.push_bind(&e.stream)
                        .push_bind(e.version)
                        .push_bind(&e.kind)
                        .push_bind(&e.body)
                        .push_bind(&e.actor)
                        .push_bind(e.recorded_at);
                });
                insert
                    .build()
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.db_error(e))?;
            }
            tx.commit().await.map_err(|e| self.db_error(e))
        })
    }

    /// The stream's current version; 0 if it has no events.
    pub async fn stream_version(&self, stream: &str) -> Result<i64, StoreError> {
        self.max_or_zero(
            "SELECT MAX(version) FROM events WHERE stream = $1",
            Some(stream),
        )
        .await
    }

    /// One stream's events in version order.
    pub async fn read_stream(&self, stream: &str) -> Result<Vec<StoredEvent>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM events WHERE stream = $1 ORDER BY version");
        let read = |conn: &rusqlite::Connection| -> Result<_, ReadError> {
            let mut statement = conn.prepare_cached(&sql.replace("$1", "?1"))?;
            let mut rows = statement.query([stream])?;
            let mut out = Vec::new();
            while let Some(row) = rows.next()? {
                let seq: i64 = row.get(0)?;
                let time: String = row.get(6)?;
                out.push(StoredEvent {
                    seq,
                    stream: row.get(1)?,
                    version: row.get(2)?,
                    kind: row.get(3)?,
                    body: row.get(4)?,
                    actor: row.get(5)?,
                    recorded_at: time_of(&time, || format!("event {seq}"))?,
                });
            }
            Ok(out)
        };
        if let Some(read) = self.on_sqlite_reader(read) {
            return read;
        }
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql)
                .bind(stream)
                .fetch_all(pool)
                .await
                .map_err(|e| self.db_error(e))?;
            rows.iter().map(stored).collect::<Result<_, _>>().map_err(|e| self.db_error(e))
        })
    }

    /// The events of one kind that one person recorded, oldest first: a partner agency's own
    /// contacts, for instance.
    pub async fn recorded_by(
        &self,
        actor: &str,
        kind: &str,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        let sql =
            format!("SELECT {COLUMNS} FROM events WHERE actor = $1 AND kind = $2 ORDER BY seq");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql)
                .bind(actor)
                .bind(kind)
                .fetch_all(pool)
                .await
                .map_err(|e| self.db_error(e))?;
            rows.iter().map(stored).collect::<Result<_, _>>().map_err(|e| self.db_error(e))
        })
    }

    /// Up to `limit` events after sequence number `after`, in order: how a server follows
    /// what others append.
    pub async fn read_after(&self, after: i64, limit: i64) -> Result<Vec<StoredEvent>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2");
        on_pool!(self, pool => {
            let rows = sqlx::query(&sql)
                .bind(after)
                .bind(limit)
                .fetch_all(pool)
                .await
                .map_err(|e| self.db_error(e))?;
            rows.iter().map(stored).collect::<Result<_, _>>().map_err(|e| self.db_error(e))
        })
    }

    /// Calls `f` with every event after `after` in order (only those recorded by `until`, if
    /// given). Returns the last sequence number seen (or `after`). The log is read on another
    /// core while `f` runs.
    pub async fn replay<E, F>(
        &self,
        after: i64,
        until: Option<DateTime<Utc>>,
        mut f: F,
    ) -> Result<i64, E>
    where
        E: From<StoreError>,
        F: FnMut(&StoredEvent) -> Result<(), E>,
    {
        self.scan(
            after,
            until,
            |raw| {
                Ok::<_, StoreError>(StoredEvent {
                    seq: raw.seq,
                    stream: raw.stream.to_string(),
                    version: raw.version,
                    kind: raw.kind.to_string(),
                    body: raw.body.to_string(),
                    actor: raw.actor.to_string(),
                    recorded_at: raw.recorded_at,
                })
            },
            |event: StoredEvent| f(&event),
        )
        .await
    }

    /// The highest sequence number in the log; 0 when it is empty.
    pub async fn last_seq(&self) -> Result<i64, StoreError> {
        self.max_or_zero("SELECT MAX(seq) FROM events", None).await
    }

    /// How many events of each kind, by kind.
    pub async fn counts_by_kind(&self) -> Result<Vec<(String, i64)>, StoreError> {
        on_pool!(self, pool => {
            sqlx::query_as("SELECT kind, COUNT(*) FROM events GROUP BY kind ORDER BY kind")
                .fetch_all(pool)
                .await
                .map_err(|e| self.db_error(e))
        })
    }

    /// How many streams have names starting with `prefix` (`child/`, `worker/`...).
    pub async fn count_streams(&self, prefix: &str) -> Result<i64, StoreError> {
        let pattern = format!("{}%", prefix.replace(['%', '_'], ""));
        on_pool!(self, pool => {
            sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE version = 1 AND stream LIKE $1")
                .bind(&pattern)
                .fetch_one(pool)
                .await
                .map_err(|e| self.db_error(e))
        })
    }
}
