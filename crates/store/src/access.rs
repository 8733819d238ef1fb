//! The access log: every read of a child's record, who read it, when and why. It is written
//! before the record is shown, so a record never reaches a screen without a line here.

use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};

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

impl Store {
    /// Writes a line to the access log.
    pub async fn log_access(&self, entry: &AccessEntry) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO access_log (at, actor, stream, record, reason) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(Utc::now())
            .bind(&entry.actor)
            .bind(&entry.stream)
            .bind(&entry.record)
            .bind(&entry.reason)
            .execute(pool)
            .await
            .map_err(|e| self.db_error(e))?;
            Ok(())
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
            Ok(rows
                .into_iter()
                .map(|(id, at, actor, stream, record, reason)| AccessRecord {
                    id,
                    at,
                    actor,
                    stream,
                    record,
                    reason,
                })
                .collect())
        })
    }
}
