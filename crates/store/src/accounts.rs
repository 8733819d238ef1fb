//! Who may sign in, and who is signed in. The store keeps what it is given: password hashes and
//! session token hashes are made by the caller, so no secret passes through here.

use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Duration, Utc};

/// Someone who may sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub username: String,
    pub name: String,
    /// The role's name, as `web` spells it (`practitioner`, `team_manager`...).
    pub role: String,
    pub password_hash: String,
    pub worker: Option<i64>,
    pub team: Option<i64>,
    pub disabled: bool,
    pub failed_sign_ins: i64,
}

/// A user to add.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub worker: Option<i64>,
    pub team: Option<i64>,
}

type UserRow = (
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    bool,
    i64,
);

fn user(row: UserRow) -> User {
    let (username, name, role, password_hash, worker, team, disabled, failed_sign_ins) = row;
    User {
        username,
        name,
        role,
        password_hash,
        worker,
        team,
        disabled,
        failed_sign_ins,
    }
}

const USER_COLUMNS: &str =
    "username, name, role, password_hash, worker, team, disabled, failed_sign_ins";

impl Store {
    /// Adds a user, or says the name is taken.
    pub async fn add_user(&self, new: &NewUser) -> Result<(), StoreError> {
        if self.user(&new.username).await?.is_some() {
            return Err(StoreError::Database {
                target: self.target.clone(),
                message: format!("there is already a user called {}", new.username),
            });
        }
        on_pool!(self, pool => {
            sqlx::query(
                "INSERT INTO users (username, name, role, password_hash, worker, team, disabled, failed_sign_ins, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, FALSE, 0, $7)",
            )
            .bind(&new.username)
            .bind(&new.name)
            .bind(&new.role)
            .bind(&new.password_hash)
            .bind(new.worker)
            .bind(new.team)
            .bind(Utc::now())
            .execute(pool)
            .await
            .map_err(|e| self.db_error(e))?;
            Ok(())
        })
    }

    pub async fn user(&self, username: &str) -> Result<Option<User>, StoreError> {
        on_pool!(self, pool => {
            let row: Option<UserRow> = sqlx::query_as(&format!(
                "SELECT {USER_COLUMNS} FROM users WHERE username = $1"
            ))
            .bind(username)
            .fetch_optional(pool)
            .await
            .map_err(|e| self.db_error(e))?;
            Ok(row.map(user))
        })
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        on_pool!(self, pool => {
            let rows: Vec<UserRow> = sqlx::query_as(&format!(
                "SELECT {USER_COLUMNS} FROM users ORDER BY username"
            ))
            .fetch_all(pool)
            .await
            .map_err(|e| self.db_error(e))?;
            Ok(rows.into_iter().map(user).collect())
        })
    }

    /// Disables a user or enables them again; disabling ends their sessions. False if there
    /// is no such user. A disabled user's sessions are refused even before they are ended.
    pub async fn set_disabled(&self, username: &str, disabled: bool) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => {
            sqlx::query("UPDATE users SET disabled = $1 WHERE username = $2")
                .bind(disabled)
                .bind(username)
                .execute(pool)
                .await
                .map_err(|e| self.db_error(e))?
                .rows_affected()
        });
        if disabled {
            self.end_sessions_of(username).await?;
        }
        Ok(changed > 0)
    }

    /// Gives a user a new password hash, clears their failed sign-ins (unlocking them) and ends
    /// their sessions, so whoever knew the old password is signed out. False if there is no
    /// such user. The sessions are ended after the password changes, so that none started
    /// with the old one in between survives.
    pub async fn set_password(
        &self,
        username: &str,
        password_hash: &str,
    ) -> Result<bool, StoreError> {
        let changed = on_pool!(self, pool => {
            sqlx::query("UPDATE users SET password_hash = $1, failed_sign_ins = 0 WHERE username = $2")
                .bind(password_hash)
                .bind(username)
                .execute(pool)
                .await
                .map_err(|e| self.db_error(e))?
                .rows_affected()
        });
        self.end_sessions_of(username).await?;
        Ok(changed > 0)
    }

    /// Ends every session a user has.
    pub async fn end_sessions_of(&self, username: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE username = $1")
                .bind(username)
                .execute(pool)
                .await
                .map_err(|e| self.db_error(e))?;
            Ok(())
        })
    }

    /// Counts a failed sign-in, returning how many there have been in a row.
    pub async fn sign_in_failed(&self, username: &str) -> Result<i64, StoreError> {
        on_pool!(self, pool => {
            let n: Option<i64> = sqlx::query_scalar(
                "UPDATE users SET failed_sign_ins = failed_sign_ins + 1 WHERE username = $1 RETURNING failed_sign_ins",
            )
            .bind(username)
            .fetch_optional(pool)
            .await
            .map_err(|e| self.db_error(e))?;
            Ok(n.unwrap_or(0))
        })
    }

    /// Starts a session for a user who has just signed in, clearing their failed attempts.
    pub async fn start_session(&self, username: &str, token_hash: &str) -> Result<(), StoreError> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let mut tx = pool.begin().await.map_err(|e| self.db_error(e))?;
            sqlx::query("UPDATE users SET failed_sign_ins = 0 WHERE username = $1")
                .bind(username)
                .execute(&mut *tx)
                .await
                .map_err(|e| self.db_error(e))?;
            sqlx::query(
                "INSERT INTO sessions (token_hash, username, created_at, last_seen) VALUES ($1, $2, $3, $3)",
            )
            .bind(token_hash)
            .bind(username)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(|e| self.db_error(e))?;
            tx.commit().await.map_err(|e| self.db_error(e))
        })
    }

    /// The user a session belongs to, if it exists, has been used within `idle`, and its user
    /// is not disabled; marks it used now. A session idle too long is ended.
    pub async fn session_user(
        &self,
        token_hash: &str,
        idle: Duration,
    ) -> Result<Option<User>, StoreError> {
        let now = Utc::now();
        on_pool!(self, pool => {
            let found: Option<(DateTime<Utc>, String)> = sqlx::query_as(
                "SELECT last_seen, username FROM sessions WHERE token_hash = $1",
            )
            .bind(token_hash)
            .fetch_optional(pool)
            .await
            .map_err(|e| self.db_error(e))?;
            let Some((last_seen, username)) = found else {
                return Ok(None);
            };
            if now - last_seen > idle {
                self.end_session(token_hash).await?;
                return Ok(None);
            }
            // Touch at most once a minute: a page of many requests writes once.
            if now - last_seen > Duration::minutes(1) {
                sqlx::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
                    .bind(now)
                    .bind(token_hash)
                    .execute(pool)
                    .await
                    .map_err(|e| self.db_error(e))?;
            }
            Ok(self.user(&username).await?.filter(|u| !u.disabled))
        })
    }

    pub async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(pool)
                .await
                .map_err(|e| self.db_error(e))?;
            Ok(())
        })
    }
}
