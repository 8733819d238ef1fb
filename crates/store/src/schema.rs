//! Migrations: one list of SQL files for both databases. `{{identity}}` is the one phrase the two
//! spell differently (an ever-increasing key that is never reused). Applied versions are kept in
//! `hearth_schema`; a database whose version is newer than this build knows is refused rather
//! than misread.

use crate::{BeginWrite, Pool, Store, StoreError, on_pool};
use sqlx::Executor;

struct Migration {
    version: i64,
    description: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "event log and access log",
        sql: include_str!("../migrations/0001_event_log.sql"),
    },
    Migration {
        version: 2,
        description: "users and sessions",
        sql: include_str!("../migrations/0002_accounts.sql"),
    },
    Migration {
        version: 3,
        description: "events found by who recorded them",
        sql: include_str!("../migrations/0003_events_by_actor.sql"),
    },
    Migration {
        version: 4,
        description: "runs of an import from a watched folder",
        sql: include_str!("../migrations/0004_import_runs.sql"),
    },
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 4;

const CREATE_SCHEMA_TABLE: &str = "CREATE TABLE IF NOT EXISTS hearth_schema (\
     version BIGINT PRIMARY KEY, description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)";

/// Serialises migrations between servers starting at once on one PostgreSQL database.
const MIGRATION_LOCK: i64 = 0x4865_6172_7468_0001;

impl Store {
    pub(crate) async fn migrate(&self) -> Result<(), StoreError> {
        let postgres = matches!(self.pool, Pool::Postgres(_));
        on_pool!(self, pool => {
            let mut tx = pool.begin_write(MIGRATION_LOCK).await.map_err(|e| self.db_error(e))?;
            tx.execute(CREATE_SCHEMA_TABLE).await.map_err(|e| self.db_error(e))?;
            let found: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM hearth_schema")
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| self.db_error(e))?;
            let found = found.unwrap_or(0);
            if found > SCHEMA_VERSION {
                return Err(StoreError::NewerSchema {
                    target: self.target.clone(),
                    found,
                    known: SCHEMA_VERSION,
                });
            }
            for m in MIGRATIONS.iter().filter(|m| m.version > found) {
                let identity = if postgres {
                    "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
                } else {
                    // AUTOINCREMENT: a key is never reused, even after the last row is deleted.
                    "INTEGER PRIMARY KEY AUTOINCREMENT"
                };
                let sql = m.sql.replace("{{identity}}", identity);
                sqlx::raw_sql(&sql)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.db_error(e))?;
                sqlx::query(
                    "INSERT INTO hearth_schema (version, description, applied_at) VALUES ($1, $2, $3)",
                )
                .bind(m.version)
                .bind(m.description)
                .bind(chrono::Utc::now())
                .execute(&mut *tx)
                .await
                .map_err(|e| self.db_error(e))?;
                tracing::info!(version = m.version, "applied migration: {}", m.description);
            }
            tx.commit().await.map_err(|e| self.db_error(e))
        })
    }

    /// The schema version the database is at.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        self.max_or_zero("SELECT MAX(version) FROM hearth_schema", None)
            .await
    }
}
