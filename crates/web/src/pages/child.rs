//! The child's record: who they are, their legal status, plan, worker and team, every open
//! clock, and the chronology of everything recorded. Every view is written to the access log
//! before anything of the record is sent; if the log cannot be written, the record is not shown.

use super::Ask;
use super::home::{ClockLine, clock_lines};
use super::{Chrome, child_name, csv_download, render};
use crate::AppState;
use crate::permissions::{Can, needs};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
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
    let words = kind.replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
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
                title: child_name(c),
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
