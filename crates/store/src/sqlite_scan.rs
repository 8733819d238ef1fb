//! Reading the whole SQLite log quickly, for replay. The pooled driver hands rows over one at a
//! time from a worker thread, which caps a full replay at a few hundred thousand events a
//! second; here one blocking thread steps a plain SQLite statement, turns each row into what the
//! caller wants while the row's text is still borrowed, and passes batches to the async side,
//! so reading and folding run on two cores at once.

use crate::{Store, StoreError};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::OpenFlags;
use std::path::PathBuf;

/// A row of the log, borrowed from the statement.
pub(crate) struct RawRow<'a> {
    pub seq: i64,
    pub stream: &'a str,
    pub version: i64,
    pub kind: &'a str,
    pub body: &'a str,
    pub actor: &'a str,
    pub recorded_at: &'a str,
}

/// Rows handed over at a time.
const BATCH: usize = 2_048;

impl Store {
    /// Reads events after `after` (recorded by `until`, if given) in order, turning each row into
    /// a `T` with `map` on a reading thread and giving each `T` to `consume` here. Stops at the
    /// first error from either, in log order. Returns the last sequence number read.
    pub(crate) async fn scan_sqlite<T, R, E, M, C>(
        &self,
        file: PathBuf,
        after: i64,
        until: Option<DateTime<Utc>>,
        mut map: M,
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
        let reader = tokio::task::spawn_blocking(move || -> Result<i64, R> {
            let fail = |e: rusqlite::Error| R::from(StoreError::sqlite(&target, e));
            let conn = rusqlite::Connection::open_with_flags(
                &file,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(fail)?;
            let until = until.map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, false));
            let mut statement = conn
                .prepare(
                    "SELECT seq, stream, version, kind, body, actor, recorded_at FROM events \
                     WHERE seq > ?1 AND (?2 IS NULL OR recorded_at <= ?2) ORDER BY seq",
                )
                .map_err(fail)?;
            let mut rows = statement.query((after, until)).map_err(fail)?;
            let mut batch = Vec::with_capacity(BATCH);
            let mut last = after;
            while let Some(row) = rows.next().map_err(fail)? {
                let text = |i| -> Result<&str, R> {
                    row.get_ref(i)
                        .and_then(|v| v.as_str().map_err(Into::into))
                        .map_err(fail)
                };
                let raw = RawRow {
                    seq: row.get(0).map_err(fail)?,
                    stream: text(1)?,
                    version: row.get(2).map_err(fail)?,
                    kind: text(3)?,
                    body: text(4)?,
                    actor: text(5)?,
                    recorded_at: text(6)?,
                };
                last = raw.seq;
                match map(raw) {
                    Ok(item) => batch.push(item),
                    Err(e) => {
                        // What came before the bad row is still consumed first, so an earlier
                        // error is the one reported.
                        let _ = tx.blocking_send(batch);
                        return Err(e);
                    }
                }
                if batch.len() == BATCH
                    && tx
                        .blocking_send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                        .is_err()
                {
                    // The consumer stopped: its error is the one to report.
                    return Ok(last);
                }
            }
            if !batch.is_empty() {
                let _ = tx.blocking_send(batch);
            }
            Ok(last)
        });
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
        let read = reader.await.map_err(|e| {
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

/// The time an event was recorded, as SQLite holds it.
pub(crate) fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}
