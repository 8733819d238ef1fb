//! The access log across the council, for managers: who opened which child's record, when and
//! why, newest first, for everyone or one person, with a download.

use super::{Chrome, csv_download, render};
use crate::AppState;
use crate::permissions::{Can, needs};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;

/// How many lines the page shows; the download has up to `DOWNLOADED`.
const SHOWN: i64 = 200;
const DOWNLOADED: i64 = 100_000;

#[derive(serde::Deserialize)]
pub struct Ask {
    user: Option<String>,
    format: Option<String>,
}

#[derive(Template)]
#[template(path = "access_log.html")]
struct Page {
    chrome: Chrome,
    title: String,
    error: bool,
    user: String,
    /// When, who, the child's number, why.
    lines: Vec<(String, String, String, String)>,
    csv_href: String,
}

pub async fn page(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadAccessLog>,
    Query(ask): Query<Ask>,
) -> Response {
    let user = ask.user.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let csv = ask.format.as_deref() == Some("csv");
    let limit = if csv { DOWNLOADED } else { SHOWN };
    let found = match state.store.access_log_by(user, limit).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!("could not read the access log: {e}");
            return super::error_page_for(
                Some(&who),
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, there is a problem with the service",
                "The access log cannot be read just now. Try again in a few minutes.",
            );
        }
    };
    let lines: Vec<(String, String, String, String)> = found
        .into_iter()
        .map(|a| {
            (
                a.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                a.actor,
                a.stream.trim_start_matches("child/").to_string(),
                a.reason,
            )
        })
        .collect();
    let name = user.map_or_else(|| "everyone".to_string(), str::to_string);
    if csv {
        return csv_download(
            &format!("access-log-{}.csv", name.replace(['/', '\\', ' '], "-")),
            &["at", "who", "child", "why"],
            lines
                .into_iter()
                .map(|(a, b, c, d)| vec![a, b, c, d])
                .collect(),
        );
    }
    let csv_href = match user {
        Some(u) => format!("/access-log?user={}&format=csv", super::query_escape(u)),
        None => "/access-log?format=csv".to_string(),
    };
    let live = state.read();
    render(&Page {
        chrome: Chrome::new(Some(&who), Some(&live), "/access-log"),
        title: "Access log".into(),
        error: false,
        user: user.unwrap_or_default().to_string(),
        lines,
        csv_href,
    })
}
