//! The child's record: who they are, their legal status, plan, worker and team, every open
//! clock, and the chronology of everything recorded. Every view is written to the access log
//! before anything of the record is sent; if the log cannot be written, the record is not shown.

use super::Ask;
use super::home::{ClockLine, clock_lines};
use super::{Chrome, child_name, csv_download, real_name, render};
use crate::AppState;
use crate::permissions::{Can, needs};
use crate::permissions::{OPENED_WITH_REASON, may_open};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::ChildId;

pub struct Event {
    pub date: String,
    pub kind: String,
    pub label: String,
    pub detail: String,
    pub recorded: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "child.html")]
struct Page {
    chrome: Chrome,
    title: String,
    error: bool,
    id: u64,
    facts: Vec<(&'static str, String)>,
    clocks: Vec<ClockLine>,
    kinds: Vec<(String, String)>,
    kind: String,
    events: Vec<Event>,
    /// What was just saved, in words.
    saved: Option<String>,
    may_record: bool,
}

fn unavailable() -> Response {
    super::error_page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Sorry, there is a problem with the service",
        "The record cannot be shown because the view could not be written to the access log. Try again in a few minutes.",
    )
}

/// An event kind in words: `contact_received` reads "Contact received".
fn kind_label(kind: &str) -> String {
    super::capital(&kind.replace('_', " "))
        .replace("Cp ", "Child protection ")
        .replace("Cla ", "Looked-after ")
        .replace("Cin ", "Child in need ")
}

/// The day an event happened: every event body dates itself in its `at` field.
fn happened(body: &serde_json::Value) -> Option<String> {
    body.get("at")
        .and_then(|v| v.as_str())
        .map(|s| s.chars().take(10).collect())
}

/// What an event says, briefly: its plain fields, without identifiers and the date.
fn detail(body: &serde_json::Value) -> String {
    let Some(map) = body.as_object() else {
        return String::new();
    };
    map.iter()
        .filter(|(k, _)| !matches!(k.as_str(), "at" | "id" | "record" | "child"))
        .filter_map(|(k, v)| {
            let text = match v {
                // A later extract's changes: each row and what became of it.
                serde_json::Value::Array(rows) if k == "changes" => rows
                    .iter()
                    .filter_map(|r| {
                        Some(format!(
                            "{} {} {}",
                            r.get("table")?.as_str()?,
                            r.get("key")?.as_str()?,
                            r.get("change")?.as_str()?
                        ))
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                serde_json::Value::String(s) if !s.is_empty() => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
                _ => return None,
            };
            Some(format!("{}: {text}", k.replace('_', " ")))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The child a path names, and their name, or what to say when there is no such child.
fn known_child(state: &AppState, id: &str) -> Result<(ChildId, String), String> {
    let missing = || format!("There is no child with the number {id}.");
    let child = ChildId(id.parse().map_err(|_| missing())?);
    let live = state.read();
    let c = live.model().children.get(&child).ok_or_else(missing)?;
    Ok((child, child_name(c)))
}

pub async fn page(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadChildren>,
    Path(id): Path<String>,
    Query(ask): Query<Ask>,
) -> Response {
    let (child, _) = match known_child(&state, &id) {
        Ok(found) => found,
        Err(missing) => return super::not_found(&missing),
    };
    if !may_open_now(&state, &who, child) {
        return reason_page(&state, &who, child, None, String::new());
    }
    let id = child.0;
    let entry = store::AccessEntry {
        actor: who.user.username.clone(),
        stream: child.to_string(),
        record: None,
        reason: "child's record page".into(),
    };
    // The events are read while the view is written to the log, but nothing of them is used
    // or sent unless the log has it.
    let stream = child.to_string();
    let (logged, stored) = tokio::join!(
        state.store.log_access(&entry),
        state.store.read_stream(&stream)
    );
    if let Err(e) = logged {
        tracing::error!("could not write to the access log: {e}");
        return unavailable();
    }
    let stored = match stored {
        Ok(s) => s,
        Err(e) => {
            tracing::error!("could not read a child's events: {e}");
            return unavailable();
        }
    };
    let mut events: Vec<Event> = stored
        .iter()
        .map(|s| {
            let body: serde_json::Value = serde_json::from_str(&s.body).unwrap_or_default();
            let recorded = s.recorded_at.format("%Y-%m-%d").to_string();
            Event {
                date: happened(&body).unwrap_or_else(|| recorded.clone()),
                label: kind_label(&s.kind),
                kind: s.kind.clone(),
                detail: detail(&body),
                recorded,
                by: s.actor.clone(),
            }
        })
        .collect();
    // Date order; events of one day in the order they were recorded.
    events.sort_by(|a, b| a.date.cmp(&b.date));
    let mut kinds: Vec<(String, String)> = events
        .iter()
        .map(|e| (e.kind.clone(), e.label.clone()))
        .collect();
    kinds.sort();
    kinds.dedup();
    let kind = ask.kind.clone().unwrap_or_default();
    if !kind.is_empty() {
        events.retain(|e| e.kind == kind);
    }
    if ask.csv() {
        return csv_download(
            &format!("child-{id}-chronology.csv"),
            &["date", "event", "detail", "recorded", "recorded_by"],
            events
                .into_iter()
                .map(|e| vec![e.date, e.label, e.detail, e.recorded, e.by])
                .collect(),
        );
    }
    let (cal, today) = (state.cal, state.today());
    let saved = ask.saved.as_deref().map(|k| {
        crate::recording::stages::stage(k)
            .map_or("the child's registration", |s| s.title)
            .to_lowercase()
    });
    let may_record = super::record::may_record(&who);
    state
        .with_live(move |live| {
            let m = live.model();
            let Some(c) = m.children.get(&child) else {
                return super::not_found(&format!("There is no child with the number {id}."));
            };
            let d = &c.details;
            let mut facts: Vec<(&'static str, String)> = vec![
                ("Council identifier", d.la_child_id.clone()),
                (
                    "Date of birth",
                    d.date_of_birth.map_or_else(
                        || {
                            d.expected_date_of_birth.map_or("Not recorded".into(), |e| {
                                format!("Unborn, expected {}", e.format("%-d %B %Y"))
                            })
                        },
                        |b| {
                            let age = kpi::measures::age_on(c, today)
                                .map_or(String::new(), |a| format!(" (age {a})"));
                            format!("{}{age}", b.format("%-d %B %Y"))
                        },
                    ),
                ),
                ("Sex", d.sex.label().to_string()),
                ("Ethnicity", d.ethnicity.0.clone()),
                (
                    "Disability",
                    if d.disabilities.is_empty() {
                        "None recorded".into()
                    } else {
                        d.disabilities
                            .iter()
                            .map(|x| x.0.clone())
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                ),
            ];
            if c.from_source {
                facts.push((
                    "Recorded in",
                    "The council's case system, imported from its extract: correct it there, and the next extract brings the correction".into(),
                ));
            }
            let in_care = kpi::measures::in_care_on(c, today);
            facts.push((
                "Legal status",
                in_care.map_or("Not looked after".into(), |(_, e)| {
                    format!(
                        "Looked after ({}), placement {}",
                        e.legal_status.0, e.placement.place.0
                    )
                }),
            ));
            let cp = c
                .cp_plans
                .iter()
                .find(|p| p.start <= today && p.end.is_none_or(|e| e > today));
            let cin = c
                .cin_plans
                .iter()
                .find(|p| p.start <= today && p.end.is_none_or(|e| e > today));
            facts.push((
                "Current plan",
                match (cp, cin, in_care) {
                    (Some(p), _, _) => format!(
                        "Child protection plan since {}",
                        p.start.format("%-d %B %Y")
                    ),
                    (None, _, Some((p, _))) => {
                        format!("Care plan since {}", p.start.format("%-d %B %Y"))
                    }
                    (None, Some(p), None) => {
                        format!("Child in need plan since {}", p.start.format("%-d %B %Y"))
                    }
                    _ => "No plan open".into(),
                },
            ));
            let allocation = c.current_allocation();
            facts.push((
                "Allocated worker",
                allocation
                    .and_then(|a| m.workers.get(&a.worker))
                    .map_or("Not allocated".into(), |w| w.name.clone()),
            ));
            facts.push((
                "Team",
                allocation
                    .and_then(|a| m.teams.get(&a.team))
                    .map_or("None".into(), |t| t.name.clone()),
            ));
            let clocks = kpi::clocks::child_clocks(c, cal, today, 5);
            render(&Page {
                chrome: Chrome::new(Some(&who), Some(live), ""),
                title: real_name(c),
                error: false,
                id,
                facts,
                clocks: clock_lines(live, &clocks),
                kinds,
                kind,
                events,
                saved,
                may_record,
            })
        })
        .await
}

/// How many views of a record its access page lists; the CSV holds them all.
const ACCESS_SHOWN: u32 = 200;

#[derive(Template)]
#[template(path = "access.html")]
struct AccessPage {
    chrome: Chrome,
    title: String,
    error: bool,
    id: u64,
    entries: Vec<(String, String, String)>,
    total: u64,
    /// The latest changes, from the event log.
    writes: Vec<(String, String, String)>,
    changes: usize,
}

/// One line of the access log as the page and its CSV show it.
fn access_line(a: store::AccessRecord) -> (String, String, String) {
    (
        a.at.format("%Y-%m-%d %H:%M:%S").to_string(),
        a.actor,
        a.reason,
    )
}

/// Whether this person may open the child's record now (see [`may_open`]).
pub fn may_open_now(state: &AppState, who: &crate::auth::SignedIn, child: ChildId) -> bool {
    let live = state.read();
    state
        .recent
        .child(live.model(), child)
        .is_some_and(|(_, c)| may_open(&state.opened, who, &c))
}

#[derive(Template)]
#[template(path = "restricted.html")]
struct ReasonPage {
    chrome: Chrome,
    title: String,
    error: bool,
    id: u64,
    problem: Option<&'static str>,
    reason: String,
}

/// The page that asks someone not named on a restricted record why they need to open it.
fn reason_page(
    state: &AppState,
    who: &crate::auth::SignedIn,
    child: ChildId,
    problem: Option<&'static str>,
    reason: String,
) -> Response {
    let live = state.read();
    let mut page = render(&ReasonPage {
        chrome: Chrome::new(Some(who), Some(&live), ""),
        title: "This record is restricted".into(),
        error: problem.is_some(),
        id: child.0,
        problem,
        reason,
    });
    *page.status_mut() = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::FORBIDDEN
    };
    page
}

#[derive(serde::Deserialize)]
pub struct OpenWithReason {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    form_token: String,
}

/// Opens a restricted record with a reason, which goes to the access log (and so to the
/// managers' report) before the record is shown.
pub async fn open(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadChildren>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    axum::Form(form): axum::Form<OpenWithReason>,
) -> Response {
    let (child, _) = match known_child(&state, &id) {
        Ok(found) => found,
        Err(missing) => return super::not_found(&missing),
    };
    if !crate::auth::form_token_matches(&headers, &form.form_token)
        || form.form_token != who.form_token
    {
        return super::error_page_for(
            Some(&who),
            StatusCode::FORBIDDEN,
            "This form has expired",
            "Go back, reload the page and try again.",
        );
    }
    let reason = form.reason.trim().to_string();
    if reason.chars().count() < 10 {
        return reason_page(
            &state,
            &who,
            child,
            Some("Say why you need to open this record, in a sentence"),
            reason,
        );
    }
    if let Err(problem) = log_reason(&state, &who, child, &reason).await {
        return problem;
    }
    axum::response::Redirect::to(&format!("/children/{}", child.0)).into_response()
}

/// Writes the reason to the access log, then lets this person open the record for a while.
pub async fn log_reason(
    state: &AppState,
    who: &crate::auth::SignedIn,
    child: ChildId,
    reason: &str,
) -> Result<(), Response> {
    let entry = store::AccessEntry {
        actor: who.user.username.clone(),
        stream: child.to_string(),
        record: None,
        reason: format!(
            "{OPENED_WITH_REASON}{}",
            reason.chars().take(500).collect::<String>()
        ),
    };
    if let Err(e) = state.store.log_access(&entry).await {
        tracing::error!("could not write to the access log: {e}");
        return Err(unavailable());
    }
    state.opened.grant(who, child);
    Ok(())
}

/// A change to the record, as the access log shows it: the event log says who made it and when.
fn write_line(e: &store::StoredEvent) -> (String, String, String) {
    let what = crate::recording::stages::stage(&e.kind)
        .map_or_else(|| kind_label(&e.kind), |s| s.title.to_string());
    (
        e.recorded_at.format("%Y-%m-%d %H:%M:%S").to_string(),
        e.actor.clone(),
        format!("recorded: {}", what.to_lowercase()),
    )
}

/// Who has opened a child's record, when and why, and who changed it, newest first.
pub async fn access(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadAccessLog>,
    Path(id): Path<String>,
    Query(ask): Query<Ask>,
) -> Response {
    let (child, name) = match known_child(&state, &id) {
        Ok(found) => found,
        Err(missing) => return super::not_found(&missing),
    };
    let id = child.0;
    let stream = child.to_string();
    let writes = match state.store.read_stream(&stream).await {
        Ok(events) => events,
        Err(e) => {
            tracing::error!("could not read a child's events: {e}");
            return unavailable();
        }
    };
    if ask.csv() {
        return match state.store.access_log_for(&stream).await {
            Ok(log) => {
                let mut lines: Vec<(String, String, String)> =
                    log.into_iter().map(access_line).collect();
                lines.extend(writes.iter().map(write_line));
                lines.sort_by(|a, b| b.0.cmp(&a.0));
                csv_download(
                    &format!("child-{id}-access-log.csv"),
                    &["at", "who", "why"],
                    lines
                        .into_iter()
                        .map(|(at, who, why)| vec![at, who, why])
                        .collect(),
                )
            }
            Err(e) => {
                tracing::error!("could not read the access log: {e}");
                unavailable()
            }
        };
    }
    let (latest, total) = match state.store.access_log_latest(&stream, ACCESS_SHOWN).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!("could not read the access log: {e}");
            return unavailable();
        }
    };
    let changes = writes.len();
    let live = state.read();
    render(&AccessPage {
        chrome: Chrome::new(Some(&who), Some(&live), ""),
        title: format!("Who has opened and changed {name}'s record"),
        error: false,
        id,
        entries: latest.into_iter().map(access_line).collect(),
        total,
        writes: writes
            .iter()
            .rev()
            .take(ACCESS_SHOWN as usize)
            .map(write_line)
            .collect(),
        changes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_reads_as_words_with_its_date() {
        assert_eq!(
            kind_label("cp_plan_started"),
            "Child protection plan started"
        );
        let body = serde_json::json!({"at": "2024-03-04T10:00:00", "id": 3, "source": "Police", "consent": true});
        assert_eq!(happened(&body).as_deref(), Some("2024-03-04"));
        assert_eq!(detail(&body), "consent: yes; source: Police");
    }
}

#[derive(Template)]
#[template(path = "restricted_report.html")]
struct ReportPage {
    chrome: Chrome,
    title: String,
    error: bool,
    /// When, who, which record, why.
    lines: Vec<(String, String, String, String)>,
    restricted: Vec<(String, String, String)>,
}

/// How many openings the report lists; the download has up to this many too.
const REPORTED: i64 = 1000;

/// For managers: restricted records, and every time someone not named opened one, with why.
pub async fn restricted_report(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadAccessLog>,
    Query(ask): Query<Ask>,
) -> Response {
    let opened = match state
        .store
        .access_log_reasoned(OPENED_WITH_REASON, REPORTED)
        .await
    {
        Ok(lines) => lines,
        Err(e) => {
            tracing::error!("could not read the access log: {e}");
            return unavailable();
        }
    };
    let lines: Vec<(String, String, String, String)> = opened
        .into_iter()
        .map(|a| {
            let child = a.stream.trim_start_matches("child/").to_string();
            let why = a
                .reason
                .strip_prefix(OPENED_WITH_REASON)
                .unwrap_or(&a.reason)
                .to_string();
            (
                a.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                a.actor,
                child,
                why,
            )
        })
        .collect();
    if ask.csv() {
        return csv_download(
            "restricted-records-opened.csv",
            &["at", "who", "child", "reason"],
            lines
                .into_iter()
                .map(|(a, b, c, d)| vec![a, b, c, d])
                .collect(),
        );
    }
    let live = state.read();
    let mut restricted: Vec<(String, String, String)> = live
        .model()
        .children
        .values()
        .filter_map(|c| {
            let r = c.restricted.as_ref()?;
            Some((c.id().0.to_string(), r.reason.clone(), r.named.join(", ")))
        })
        .collect();
    restricted.sort();
    render(&ReportPage {
        chrome: Chrome::new(Some(&who), Some(&live), "/restricted"),
        title: "Restricted records".into(),
        error: false,
        lines,
        restricted,
    })
}
