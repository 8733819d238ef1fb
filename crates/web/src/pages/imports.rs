//! Each run of an import from the watched folder, for administrators and performance officers:
//! when it ran, what it found and what it changed, newest first, with a download.

use super::{Chrome, csv_download, render};
use crate::AppState;
use crate::permissions::{Can, needs};
use crate::watch::outcome;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;

/// How many runs the page shows; the download has up to `DOWNLOADED`.
const SHOWN: i64 = 100;
const DOWNLOADED: i64 = 10_000;

#[derive(serde::Deserialize)]
pub struct Ask {
    format: Option<String>,
}

struct RunLine {
    started: String,
    took: String,
    source: String,
    outcome: String,
    tag: &'static str,
    events: i64,
    /// The first line of what the run said, and the rest.
    headline: String,
    rest: String,
}

#[derive(Template)]
#[template(path = "imports.html")]
struct Page {
    chrome: Chrome,
    title: String,
    error: bool,
    /// The folder watched and how often, when this server watches one.
    watching: Option<(String, u64)>,
    runs: Vec<RunLine>,
}

pub async fn page(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::SeeImports>,
    Query(ask): Query<Ask>,
) -> Response {
    let csv = ask.format.as_deref() == Some("csv");
    let runs = match state
        .store
        .import_runs(if csv { DOWNLOADED } else { SHOWN })
        .await
    {
        Ok(runs) => runs,
        Err(e) => {
            tracing::error!("could not read the import runs: {e}");
            return super::error_page_for(
                Some(&who),
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, there is a problem with the service",
                "The imports cannot be read just now. Try again in a few minutes.",
            );
        }
    };
    let at = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M:%S").to_string();
    if csv {
        return csv_download(
            "imports.csv",
            &[
                "started",
                "finished",
                "folder",
                "outcome",
                "events written",
                "what it found",
            ],
            runs.into_iter()
                .map(|r| {
                    vec![
                        at(r.started_at),
                        at(r.finished_at),
                        r.source,
                        r.outcome,
                        r.events.to_string(),
                        r.summary,
                    ]
                })
                .collect(),
        );
    }
    let runs = runs
        .into_iter()
        .map(|r| {
            let (headline, rest) = r
                .summary
                .split_once('\n')
                .map_or((r.summary.as_str(), ""), |(a, b)| (a, b));
            let took = (r.finished_at - r.started_at).num_milliseconds() as f64 / 1000.0;
            RunLine {
                started: at(r.started_at),
                took: format!("{took:.1} s"),
                tag: match r.outcome.as_str() {
                    outcome::IMPORTED => "govuk-tag--green",
                    outcome::UNCHANGED => "govuk-tag--grey",
                    outcome::REFUSED => "govuk-tag--red",
                    _ => "govuk-tag--orange",
                },
                headline: headline.to_string(),
                rest: rest.to_string(),
                source: r.source,
                outcome: r.outcome,
                events: r.events,
            }
        })
        .collect();
    let live = state.read();
    render(&Page {
        chrome: Chrome::new(Some(&who), Some(&live), "/imports"),
        title: "Imports from the case system".into(),
        error: false,
        watching: state
            .watching
            .as_ref()
            .map(|(dir, every)| (dir.display().to_string(), every.as_secs())),
        runs,
    })
}
