//! The runs of an import from a watched folder, for the administrators' page.

use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};

/// One run, as it is recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRun {
    pub id: i64,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub source: String,
    pub fingerprint: String,
    pub outcome: String,
    pub summary: String,
    pub events: i64,
}

type RunRow = (
    i64,
    DateTime<Utc>,
    DateTime<Utc>,
    String,
    String,
    String,
    String,
    i64,
);

fn run(
    (id, started_at, finished_at, source, fingerprint, outcome, summary, events): RunRow,
) -> ImportRun {
    ImportRun {
        id,
        started_at,
        finished_at,
        source,
        fingerprint,
        outcome,
        summary,
        events,
    }
}

const COLUMNS: &str = "id, started_at, finished_at, source, fingerprint, outcome, summary, events";

impl Store {
    /// Records a run; its id is given by the database.
    pub async fn record_import_run(&self, r: &ImportRun) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO import_runs (started_at, finished_at, source, fingerprint, outcome, summary, events) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(r.started_at)
            .bind(r.finished_at)
            .bind(&r.source)
            .bind(&r.fingerprint)
            .bind(&r.outcome)
            .bind(&r.summary)
            .bind(r.events)
            .execute(pool)
            .await
            .map_err(|e| self.db_error(e))?;
            Ok(())
        })
    }

    /// The latest runs, newest first.
    pub async fn import_runs(&self, limit: i64) -> Result<Vec<ImportRun>, StoreError> {
        on_pool!(self, pool => {
            let rows: Vec<RunRow> = sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM import_runs ORDER BY id DESC LIMIT $1"
            ))
            .bind(limit)
            .fetch_all(pool)
            .await
            .map_err(|e| self.db_error(e))?;
            Ok(rows.into_iter().map(run).collect())
        })
    }

    /// The latest run from a folder, if any.
    pub async fn last_import_run(&self, source: &str) -> Result<Option<ImportRun>, StoreError> {
        on_pool!(self, pool => {
            let row: Option<RunRow> = sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM import_runs WHERE source = $1 ORDER BY id DESC LIMIT 1"
            ))
            .bind(source)
            .fetch_optional(pool)
            .await
            .map_err(|e| self.db_error(e))?;
            Ok(row.map(run))
        })
    }
}
