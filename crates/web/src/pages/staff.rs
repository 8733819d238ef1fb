//! Recording the council's staff and teams: who joins, moves, trains and leaves, and teams
//! opened and closed. The workforce measures and caseloads are worked out from these records.

use super::record::{Framing, checked_form, defaults, describe, form_page};
use super::{Chrome, render};
use crate::AppState;
use crate::auth::SignedIn;
use crate::permissions::{Can, forbidden, needs};
use crate::recording::fields::Answers;
use crate::recording::stages::{self, Staff};
use crate::recording::{self, Refused, StaffRecord};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::{StreamId, TeamId, WorkerId};

pub struct WorkerLine {
    pub id: u32,
    pub name: String,
    pub team: String,
    pub role: &'static str,
    pub employment: &'static str,
    pub fte: String,
}

#[derive(Template)]
#[template(path = "staff.html")]
struct Page {
    chrome: Chrome,
    title: String,
    error: bool,
    saved: Option<String>,
    teams: Vec<(u32, String, &'static str)>,
    workers: Vec<WorkerLine>,
    /// The stages for one worker or team: kind and title.
    worker_stages: Vec<(&'static str, &'static str)>,
}

#[derive(serde::Deserialize)]
pub struct Saved {
    saved: Option<String>,
}

fn title_of(kind: &str) -> Option<&'static str> {
    stages::staff_stage(kind).map(|(_, s)| s.title)
}

/// Everyone on the staff now and every open team, with what can be recorded for each.
pub async fn page(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ManageStaff>,
    Query(q): Query<Saved>,
) -> Response {
    let live = state.read();
    let m = live.model();
    let team_name = |t: TeamId| m.teams.get(&t).map_or_else(String::new, |t| t.name.clone());
    let mut teams: Vec<(u32, String, &'static str)> = m
        .teams
        .values()
        .filter(|t| t.closed.is_none())
        .map(|t| (t.id.0, t.name.clone(), t.service.label()))
        .collect();
    teams.sort_by(|a, b| a.1.cmp(&b.1));
    let mut workers: Vec<WorkerLine> = m
        .workers
        .values()
        .filter(|w| w.left.is_none())
        .map(|w| {
            let now = w.current();
            WorkerLine {
                id: w.id.0,
                name: w.name.clone(),
                team: team_name(now.team),
                role: now.role.label(),
                employment: now.employment.label(),
                fte: format!("{:.1}", now.fte),
            }
        })
        .collect();
    workers.sort_by(|a, b| a.team.cmp(&b.team).then(a.name.cmp(&b.name)));
    let worker_stages = stages::STAFF_STAGES
        .iter()
        .filter(|(whose, s)| *whose == Staff::Worker && s.opens.is_none())
        .map(|(_, s)| (s.kind, s.title))
        .collect();
    render(&Page {
        chrome: Chrome::new(Some(&who), Some(&live), "/staff"),
        title: "Staff and teams".into(),
        error: false,
        saved: q.saved.as_deref().and_then(title_of).map(str::to_lowercase),
        teams,
        workers,
        worker_stages,
    })
}

/// Which record an address names, and its version now.
fn record_of(
    state: &AppState,
    whose: Staff,
    id: Option<&str>,
) -> Option<(StaffRecord, u32, String)> {
    let live = state.read();
    let m = live.model();
    match (whose, id) {
        (_, None) => Some((StaffRecord::New, 0, String::new())),
        (Staff::Worker, Some(id)) => {
            let w = m.workers.get(&WorkerId(id.parse().ok()?))?;
            Some((
                StaffRecord::Worker(w.id),
                m.version(StreamId::Worker(w.id)),
                w.name.clone(),
            ))
        }
        (Staff::Team, Some(id)) => {
            let t = m.teams.get(&TeamId(id.parse().ok()?))?;
            Some((
                StaffRecord::Team(t.id),
                m.version(StreamId::Team(t.id)),
                t.name.clone(),
            ))
        }
    }
}

fn address(whose: Staff, id: Option<&str>, kind: &str) -> String {
    match (whose, id) {
        (_, None) => format!("/staff/record/{kind}"),
        (Staff::Worker, Some(id)) => format!("/workers/{id}/record/{kind}"),
        (Staff::Team, Some(id)) => format!("/teams/{id}/record/{kind}"),
    }
}

/// The stage an address asks for, if it fits the record named (a new record only for the
/// stages that open one).
fn stage_for(
    kind: &str,
    id: Option<&str>,
    whose: Option<Staff>,
) -> Option<(Staff, &'static stages::Stage)> {
    let (w, stage) = stages::staff_stage(kind)?;
    let fits = whose.is_none_or(|x| x == w) && (stage.opens.is_some() == id.is_none());
    fits.then_some((w, stage))
}

async fn show(
    state: AppState,
    who: SignedIn,
    kind: String,
    id: Option<String>,
    whose: Option<Staff>,
) -> Response {
    let Some((w, stage)) = stage_for(&kind, id.as_deref(), whose) else {
        return super::not_found(&format!("Nothing called '{kind}' can be recorded here."));
    };
    if !who.role.may(stage.power) {
        return forbidden(&who, stage.power);
    }
    let Some((_, version, name)) = record_of(&state, w, id.as_deref()) else {
        return super::not_found("There is no such member of staff or team.");
    };
    form_page(
        &state,
        Framing {
            who: &who,
            title: stage.title.into(),
            caption: name,
            action: address(w, id.as_deref(), &kind),
            back: "/staff".into(),
            version,
            child: None,
        },
        stage.fields,
        &defaults(&state, stage.fields),
        &[],
        Vec::new(),
        StatusCode::OK,
    )
}

async fn save(
    state: AppState,
    who: SignedIn,
    kind: String,
    id: Option<String>,
    whose: Option<Staff>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some((w, stage)) = stage_for(&kind, id.as_deref(), whose) else {
        return super::not_found(&format!("Nothing called '{kind}' can be recorded here."));
    };
    let form = match checked_form(&headers, &who, &body) {
        Ok(f) => f,
        Err(answer) => return *answer,
    };
    let Some((record, _, name)) = record_of(&state, w, id.as_deref()) else {
        return super::not_found("There is no such member of staff or team.");
    };
    let expected: u32 = form
        .get("version")
        .and_then(|v| v.first())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let answers = Answers::Form(&form);
    let typed = answers.texts(stage.fields);
    let again = |version, errors: &[_], conflict, status| {
        form_page(
            &state,
            Framing {
                who: &who,
                title: stage.title.into(),
                caption: name.clone(),
                action: address(w, id.as_deref(), &kind),
                back: "/staff".into(),
                version,
                child: None,
            },
            stage.fields,
            &typed,
            errors,
            conflict,
            status,
        )
    };
    match recording::save_staff(&state, &who, &kind, record, expected, &answers).await {
        Ok(_) => Redirect::to(&format!("/staff?saved={kind}")).into_response(),
        Err(Refused::Invalid(errors)) => again(
            expected,
            &errors,
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(Refused::Conflict { version, changes }) => again(
            version,
            &[],
            changes.iter().map(describe).collect(),
            StatusCode::CONFLICT,
        ),
        Err(Refused::Forbidden(power)) => forbidden(&who, power),
        Err(Refused::NoSuchChild | Refused::Restricted) => {
            super::not_found("There is no such member of staff or team.")
        }
        Err(Refused::Unavailable(e)) => {
            tracing::error!("a save about staff failed: {e}");
            super::error_page_for(
                Some(&who),
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, there is a problem with the service",
                "Nothing was saved. Go back and try again in a few minutes.",
            )
        }
    }
}

pub async fn new_form(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ManageStaff>,
    Path(kind): Path<String>,
) -> Response {
    show(state, who, kind, None, None).await
}

pub async fn new_save(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ManageStaff>,
    Path(kind): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    save(state, who, kind, None, None, headers, body).await
}

pub async fn worker_form(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ManageStaff>,
    Path((id, kind)): Path<(String, String)>,
) -> Response {
    show(state, who, kind, Some(id), Some(Staff::Worker)).await
}

pub async fn worker_save(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ManageStaff>,
    Path((id, kind)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    save(
        state,
        who,
        kind,
        Some(id),
        Some(Staff::Worker),
        headers,
        body,
    )
    .await
}

pub async fn team_form(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ManageStaff>,
    Path((id, kind)): Path<(String, String)>,
) -> Response {
    show(state, who, kind, Some(id), Some(Staff::Team)).await
}

pub async fn team_save(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ManageStaff>,
    Path((id, kind)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    save(state, who, kind, Some(id), Some(Staff::Team), headers, body).await
}
