//! Hearth's web server: the pages and the JSON API over the live case model.
//!
//! The server holds the model in memory, rebuilt by replay at start, and follows the event log so
//! that another server writing to the same PostgreSQL database is seen within a second.

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use domain::Model;
use serde::Serialize;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use store::Store;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub live: Arc<RwLock<Live>>,
}

/// The model and how far through the log it has read.
pub struct Live {
    pub model: Model,
    pub last_seq: i64,
}

impl AppState {
    pub fn new(store: Store, model: Model, last_seq: i64) -> Self {
        AppState {
            store,
            live: Arc::new(RwLock::new(Live { model, last_seq })),
        }
    }

    /// Reads events appended since the model was last brought up to date (by this server or
    /// another) and folds them in. Returns how many were applied.
    pub async fn catch_up(&self) -> Result<usize, store::LoadError> {
        let after = self.read().last_seq;
        let events = self.store.read_after(after, 10_000).await?;
        if events.is_empty() {
            return Ok(0);
        }
        let mut live = self.live.write().unwrap_or_else(|e| e.into_inner());
        let mut applied = 0;
        for stored in &events {
            if stored.seq <= live.last_seq {
                continue;
            }
            store::apply_stored(&mut live.model, stored)?;
            live.last_seq = stored.seq;
            applied += 1;
        }
        Ok(applied)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Live> {
        self.live.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// Follows the log for as long as the server runs.
pub fn spawn_follower(state: AppState) {
    tokio::spawn(async move {
        loop {
            match state.catch_up().await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!("could not read new events: {e}"),
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    });
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/health", get(health))
        .fallback(not_found)
        .with_state(state)
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    database: &'static str,
    last_seq: i64,
    events_applied: u64,
    children: usize,
}

async fn health(State(state): State<AppState>) -> Response {
    let (last_seq, events_applied, children) = {
        let live = state.read();
        (
            live.last_seq,
            live.model.events_applied,
            live.model.children.len(),
        )
    };
    let database = match state.store.backend() {
        store::Backend::Sqlite => "sqlite",
        store::Backend::Postgres => "postgres",
    };
    match state.store.last_seq().await {
        Ok(_) => axum::Json(Health {
            status: "ok",
            database,
            last_seq,
            events_applied,
            children,
        })
        .into_response(),
        Err(e) => {
            tracing::error!("health check could not reach the database: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"status": "unavailable", "database": database})),
            )
                .into_response()
        }
    }
}

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} – Hearth</title>\n</head>\n<body>\n<header><p><a href=\"/\">Hearth</a></p></header>\n\
         <main id=\"main-content\">\n{}\n</main>\n</body>\n</html>\n",
        esc(title),
        body
    )
}

async fn home(State(state): State<AppState>) -> Html<String> {
    let today = chrono::Local::now().date_naive();
    let live = state.read();
    let m = &live.model;
    let counts = m.counts(today);
    let council = if m.council.name.is_empty() {
        "No council recorded yet".to_string()
    } else {
        m.council.name.clone()
    };
    let rows = [
        ("Children known", counts.children),
        ("Open cases", counts.open_cases),
        (
            "Children on a child protection plan today",
            counts.open_cp_plans,
        ),
        ("Children looked after today", counts.looked_after_now),
        ("Contacts recorded", counts.contacts),
        ("Teams", counts.teams),
        ("Staff (ever)", counts.workers),
    ];
    let mut table = String::from(
        "<table>\n<caption>The council today</caption>\n<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\">Number</th></tr></thead>\n<tbody>\n",
    );
    for (label, n) in rows {
        table.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{n}</td></tr>\n",
            esc(label)
        ));
    }
    table.push_str("</tbody>\n</table>\n");
    let body = format!(
        "<h1>{}</h1>\n<p>{} events recorded, read up to number {}.</p>\n{}",
        esc(&council),
        m.events_applied,
        live.last_seq,
        table
    );
    Html(page(&council, &body))
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page(
            "Page not found",
            "<h1>Page not found</h1>\n<p>If you typed the web address, check it is correct.</p>\n<p><a href=\"/\">Go to the home page</a></p>",
        ),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn html_is_escaped() {
        assert_eq!(esc("<a href='x'>&"), "&lt;a href=&#39;x&#39;&gt;&amp;");
    }
}
