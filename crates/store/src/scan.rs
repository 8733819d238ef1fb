//! Reading the log from start to end quickly, for replay. A producer reads rows and turns each
//! into what the caller wants (a decoded event) while the row's text is still borrowed, and
//! hands batches to the caller, who folds them: reading and folding run on two cores at once.
//!
//! On SQLite the producer is a blocking thread stepping a plain SQLite statement: the pooled
//! driver hands rows over one at a time from its own worker thread, which caps a full replay at
//! a few hundred thousand events a second. On PostgreSQL it is a task reading pages through the
//! pool.

use crate::{Pool, Store, StoreError};
use chrono::{DateTime, SecondsFormat, Utc};
use futures_util::TryStreamExt;
use rusqlite::OpenFlags;
use sqlx::Row;
use std::path::PathBuf;
use tokio::sync::mpsc::Sender;

/// A row of the log, borrowed from the statement.
pub(crate) struct RawRow<'a> {
    pub seq: i64,
    pub stream: &'a str,
    pub version: i64,
    pub kind: &'a str,
    pub body: &'a str,
    pub actor: &'a str,
    pub recorded_at: DateTime<Utc>,
}

/// Rows handed over at a time.
const BATCH: usize = 2_048;

/// Rows per query on PostgreSQL, so no one statement holds a snapshot for the whole log.
const PAGE: i64 = 50_000;

impl Store {
    /// Reads events after `after` (recorded by `until`, if given) in order, turning each row into
    /// a `T` with `map` in the producer and giving each `T` to `consume` here. Stops at the
    /// first error from either, in log order. Returns the last sequence number read.
    pub(crate) async fn scan<T, R, E, M, C>(
        &self,
        after: i64,
        until: Option<DateTime<Utc>>,
        map: M,
        mut consume: C,
    ) -> Result<i64, E>
    where
        T: Send + 'static,
        R: From<StoreError> + Send + 'static,
        E: From<R>,
        M: FnMut(RawRow<'_>) -> Result<T, R> + Send + 'static,
        C: FnMut(T) -> Result<(), E>,
    {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<T>>(8);
        let target = self.target.clone();
        let producer = match (&self.pool, &self.file) {
            (Pool::Sqlite(_), Some(file)) => {
                let file = file.clone();
                tokio::task::spawn_blocking(move || {
                    read_sqlite(file, target, after, until, map, tx)
                })
            }
            (Pool::Postgres(pool), _) => {
                let pool = pool.clone();
                tokio::spawn(async move { read_pages(pool, target, after, until, map, tx).await })
            }
            (Pool::Sqlite(_), None) => {
                return Err(E::from(R::from(StoreError::Database {
                    target,
                    message: "an SQLite store opened without its file".to_string(),
                })));
            }
        };
        let mut stopped = None;
        'batches: while let Some(batch) = rx.recv().await {
            for item in batch {
                if let Err(e) = consume(item) {
                    stopped = Some(e);
                    break 'batches;
                }
            }
        }
        drop(rx);
        let read = producer.await.map_err(|e| {
            E::from(R::from(StoreError::Database {
                target: self.target.clone(),
                message: format!("the log reader stopped: {e}"),
            }))
        })?;
        match stopped {
            Some(e) => Err(e),
            None => read.map_err(E::from),
        }
    }
}

/// The SQLite producer: one statement over the whole log, stepped on a blocking thread.
fn read_sqlite<T, R, M>(
    file: PathBuf,
    target: String,
    after: i64,
    until: Option<DateTime<Utc>>,
    mut map: M,
    tx: Sender<Vec<T>>,
) -> Result<i64, R>
where
    R: From<StoreError>,
    M: FnMut(RawRow<'_>) -> Result<T, R>,
{
    let fail = |e: rusqlite::Error| R::from(StoreError::sqlite(&target, e));
    // Opened read-write (though it only reads) because a reader of a WAL database may need to
    // create the shared-memory index when no other connection has it open.
    let conn = rusqlite::Connection::open_with_flags(
        &file,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(fail)?;
    // Times are kept as RFC 3339 text in UTC, which sorts as time does.
    let until = until.map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, false));
    let mut statement = conn
        .prepare(
            "SELECT seq, stream, version, kind, body, actor, recorded_at FROM events \
             WHERE seq > ?1 AND (?2 IS NULL OR recorded_at <= ?2) ORDER BY seq",
        )
        .map_err(fail)?;
    let mut rows = statement.query((after, until)).map_err(fail)?;
    let mut out = Batcher::new(tx, after);
    while let Some(row) = rows.next().map_err(fail)? {
        let text = |i| -> Result<&str, R> {
            row.get_ref(i)
                .and_then(|v| v.as_str().map_err(Into::into))
                .map_err(fail)
        };
        let seq: i64 = row.get(0).map_err(fail)?;
        let time = text(6)?;
        let recorded_at = parse_time(time).ok_or_else(|| {
            R::from(StoreError::Database {
                target: target.clone(),
                message: format!("event {seq} has a recorded time '{time}' that is not a time"),
            })
        })?;
        let raw = RawRow {
            seq,
            stream: text(1)?,
            version: row.get(2).map_err(fail)?,
            kind: text(3)?,
            body: text(4)?,
            actor: text(5)?,
            recorded_at,
        };
        match out.push(seq, map(raw)) {
            Pushed::More => {}
            Pushed::Stop => break,
            Pushed::Failed(e) => return Err(e),
        }
    }
    Ok(out.finish_blocking())
}

/// The PostgreSQL producer: a page of rows at a time through the pool.
async fn read_pages<T, R, M>(
    pool: sqlx::PgPool,
    target: String,
    after: i64,
    until: Option<DateTime<Utc>>,
    mut map: M,
    tx: Sender<Vec<T>>,
) -> Result<i64, R>
where
    R: From<StoreError>,
    M: FnMut(RawRow<'_>) -> Result<T, R>,
{
    let fail = |e: sqlx::Error| R::from(StoreError::database(&target, e));
    let sql = "SELECT seq, stream, version, kind, body, actor, recorded_at FROM events \
               WHERE seq > $1 AND ($2 IS NULL OR recorded_at <= $2) ORDER BY seq LIMIT $3";
    let mut out = Batcher::new(tx, after);
    let mut conn = pool.acquire().await.map_err(fail)?;
    let mut last = after;
    loop {
        let mut seen = 0;
        let mut rows = sqlx::query(sql)
            .bind(last)
            .bind(until)
            .bind(PAGE)
            .fetch(&mut *conn);
        while let Some(row) = rows.try_next().await.map_err(fail)? {
            let raw = RawRow {
                seq: row.try_get(0).map_err(fail)?,
                stream: row.try_get(1).map_err(fail)?,
                version: row.try_get(2).map_err(fail)?,
                kind: row.try_get(3).map_err(fail)?,
                body: row.try_get(4).map_err(fail)?,
                actor: row.try_get(5).map_err(fail)?,
                recorded_at: row.try_get(6).map_err(fail)?,
            };
            last = raw.seq;
            seen += 1;
            match out.push_async(raw.seq, map(raw)).await {
                Pushed::More => {}
                Pushed::Stop => return Ok(last),
                Pushed::Failed(e) => return Err(e),
            }
        }
        if seen < PAGE {
            break;
        }
    }
    Ok(out.finish().await)
}

enum Pushed<R> {
    More,
    /// The consumer has stopped: its error is the one to report.
    Stop,
    Failed(R),
}

/// Gathers mapped rows into batches for the consumer.
struct Batcher<T> {
    tx: Sender<Vec<T>>,
    batch: Vec<T>,
    last: i64,
    /// A full batch waiting to be sent (async producers send it at their next await).
    full: Option<Vec<T>>,
}

impl<T> Batcher<T> {
    fn new(tx: Sender<Vec<T>>, after: i64) -> Self {
        Batcher {
            tx,
            batch: Vec::with_capacity(BATCH),
            last: after,
            full: None,
        }
    }

    /// Adds a mapped row. On a mapping error, what came before is still handed over first, so
    /// an earlier error the consumer finds is the one reported.
    fn add<R>(&mut self, seq: i64, item: Result<T, R>) -> Result<(), R> {
        self.last = seq;
        match item {
            Ok(item) => {
                self.batch.push(item);
                if self.batch.len() == BATCH {
                    self.full = Some(std::mem::replace(
                        &mut self.batch,
                        Vec::with_capacity(BATCH),
                    ));
                }
                Ok(())
            }
            Err(e) => {
                self.full = Some(std::mem::take(&mut self.batch));
                Err(e)
            }
        }
    }

    fn push<R>(&mut self, seq: i64, item: Result<T, R>) -> Pushed<R> {
        let added = self.add(seq, item);
        if let Some(full) = self.full.take()
            && self.tx.blocking_send(full).is_err()
        {
            return Pushed::Stop;
        }
        match added {
            Ok(()) => Pushed::More,
            Err(e) => Pushed::Failed(e),
        }
    }

    async fn push_async<R>(&mut self, seq: i64, item: Result<T, R>) -> Pushed<R> {
        let added = self.add(seq, item);
        if let Some(full) = self.full.take()
            && self.tx.send(full).await.is_err()
        {
            return Pushed::Stop;
        }
        match added {
            Ok(()) => Pushed::More,
            Err(e) => Pushed::Failed(e),
        }
    }

    fn finish_blocking(self) -> i64 {
        if !self.batch.is_empty() {
            let _ = self.tx.blocking_send(self.batch);
        }
        self.last
    }

    async fn finish(self) -> i64 {
        if !self.batch.is_empty() {
            let _ = self.tx.send(self.batch).await;
        }
        self.last
    }
}

/// The time an event was recorded, as SQLite holds it.
pub(crate) fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}
