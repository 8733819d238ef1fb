//! The improvement plan beside the data: the plan on one page with each priority rated, a
//! priority's page (its actions, progress log and the measures that evidence it, charted against
//! trajectory), an action's page where its owner records progress, and the lists of one's own
//! actions and of those overdue or slipping. Everyone who may see measures reads the plan; only
//! an action's owner and the plan's lead change it (see [`crate::recording::plan`]).

use super::record::{checked_form, describe};
use super::scorecard::rag_tag;
use super::{Ask, Chrome, Tag, csv_download, figure, render};
use crate::AppState;
use crate::auth::SignedIn;
use crate::chart::LineChart;
use crate::live::{Card, Live};
use crate::permissions::{Can, needs};
use crate::recording::fields::FieldError;
use crate::recording::plan::{self as recording, PlanRefused, is_lead, may_update};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use domain::codes::{ActionStatus, Strand};
use domain::events::{
    ActionAdded, ActionReassigned, ActionRescheduled, ActionUpdated, MeetingHeld, MeetingRef,
};
use domain::ids::{ActionId, BoardId, PriorityId};
use domain::plan::{Action, Plan, Priority};
use domain::{EventBody, Model, RecordId, StreamId, WorkerId};
use kpi::plan::{Counts, Rating};
use kpi::targets::Rag;
use kpi::{Period, Scope};
use std::collections::HashMap;

/// A worker's name, or their number where the council no longer holds them.
pub fn worker_name(m: &Model, w: WorkerId) -> String {
    m.workers
        .get(&w)
        .map_or_else(|| format!("Worker {}", w.0), |w| w.name.clone())
}

/// An action's standing on a day, as a tag: complete, overdue, slipping, on track, not started.
pub fn status_tag(a: &Action, on: NaiveDate) -> (&'static str, String) {
    if a.completed.is_some() {
        let late = if a.completed_late() { ", late" } else { "" };
        return ("govuk-tag--green", format!("Complete{late}"));
    }
    if let Some(days) = a.days_overdue(on) {
        return (
            "govuk-tag--red",
            format!("Overdue by {days} day{}", if days == 1 { "" } else { "s" }),
        );
    }
    if a.status == ActionStatus::AtRisk {
        return ("govuk-tag--yellow", "At risk".into());
    }
    if a.is_slipping(on) {
        return ("govuk-tag--yellow", "Slipping: date moved".into());
    }
    match a.status {
        ActionStatus::NotStarted => ("govuk-tag--grey", "Not started".into()),
        _ => ("govuk-tag--blue", "On track".into()),
    }
}

pub fn day(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// The council-wide figures of a priority's measures, for the month the card is for.
fn rags(card: &Card, p: &Priority, period: Period) -> Vec<Option<Rag>> {
    p.measures
        .iter()
        .map(|id| card.row(id, Scope::Council, period).and_then(|r| r.rag))
        .collect()
}

/// A priority's rating today.
pub fn rating(plan: &Plan, card: &Card, p: &Priority, today: NaiveDate) -> Rating {
    let actions = plan.actions_of(p.id);
    kpi::plan::rate(&actions, &rags(card, p, card.latest()), today)
}

/// Somebody's view of the plan: whether they lead it, and which worker they are.
fn no_plan(who: &SignedIn, live: &Live) -> Response {
    super::error_page_for(
        Some(who),
        StatusCode::NOT_FOUND,
        "There is no improvement plan yet",
        &format!(
            "{} has not recorded an improvement plan in Hearth.",
            live.model().council.name
        ),
    )
}

// ---- The plan on one page ------------------------------------------------------------------

pub struct PriorityLine {
    pub number: u32,
    pub href: String,
    pub title: String,
    pub officer: String,
    pub rag: Tag,
    pub reasons: Vec<String>,
    pub counts: Counts,
    pub measures: String,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    chrome: Chrome,
    title: String,
    error: bool,
    summary: String,
    lead: String,
    runs: String,
    period_label: String,
    priorities: Vec<PriorityLine>,
    totals: Counts,
    lead_here: bool,
    boards: Vec<BoardView>,
    meeting: Option<MeetingForm>,
    saved: bool,
}

/// A board: who chairs it, how often it meets, and what it last decided.
pub struct BoardView {
    pub name: String,
    pub kind: &'static str,
    pub chair: String,
    pub every_weeks: u32,
    pub held: usize,
    pub last: Option<(String, Vec<String>)>,
    pub next: Option<String>,
}

/// The form for a meeting, for the lead or a board's chair: the boards they may record for,
/// each with its version, and what was typed and wrong.
pub struct MeetingForm {
    pub boards: Vec<(u32, String, u32)>,
    pub typed: HashMap<String, String>,
    pub errors: Vec<FieldError>,
}

impl MeetingForm {
    pub fn value(&self, name: &str) -> &str {
        self.typed.get(name).map_or("", String::as_str)
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.as_str())
    }
}

type Typed = (HashMap<String, String>, Vec<FieldError>, StatusCode);

pub async fn plan_page(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadMeasures>,
    Query(ask): Query<Ask>,
) -> Response {
    let saved = ask.saved.is_some();
    plan_response(state, who, ask.csv(), None, saved).await
}

async fn plan_response(
    state: AppState,
    who: SignedIn,
    csv: bool,
    form: Option<Typed>,
    saved: bool,
) -> Response {
    let today = state.today();
    let period = Period::last_whole_month_before(today);
    state
        .with_card(period, move |live, card| {
            let m = live.model();
            let plan = &m.plan;
            if plan.starts.is_none() {
                return no_plan(&who, live);
            }
            let mut totals = Counts::default();
            let priorities: Vec<PriorityLine> = plan
                .priorities_in_order()
                .into_iter()
                .map(|p| {
                    let actions = plan.actions_of(p.id);
                    let counts = Counts::of(&actions, today);
                    totals.total += counts.total;
                    totals.complete += counts.complete;
                    totals.overdue += counts.overdue;
                    totals.slipping += counts.slipping;
                    let r = rating(plan, card, p, today);
                    let rated: Vec<Rag> = rags(card, p, period).into_iter().flatten().collect();
                    let green = rated.iter().filter(|r| **r == Rag::Green).count();
                    PriorityLine {
                        number: p.number,
                        href: format!("/plan/priorities/{}", p.id.0),
                        title: p.title.clone(),
                        officer: worker_name(m, p.officer),
                        rag: rag_tag(Some(r.rag)),
                        reasons: r.reasons,
                        counts,
                        measures: if rated.is_empty() {
                            "None rated yet".into()
                        } else {
                            format!("{green} of {} on trajectory", rated.len())
                        },
                    }
                })
                .collect();
            if csv {
                return csv_download(
                    &format!("improvement-plan-{today}.csv"),
                    &[
                        "priority",
                        "title",
                        "responsible_officer",
                        "rating",
                        "why",
                        "actions",
                        "complete",
                        "overdue",
                        "slipping",
                        "measures",
                    ],
                    priorities
                        .iter()
                        .map(|p| {
                            vec![
                                p.number.to_string(),
                                p.title.clone(),
                                p.officer.clone(),
                                p.rag.map_or("", |t| t.1).to_string(),
                                p.reasons.join("; "),
                                p.counts.total.to_string(),
                                p.counts.complete.to_string(),
                                p.counts.overdue.to_string(),
                                p.counts.slipping.to_string(),
                                p.measures.clone(),
                            ]
                        })
                        .collect(),
                );
            }
            let boards = plan
                .boards
                .values()
                .map(|b| {
                    let last = b.last_meeting(today);
                    BoardView {
                        name: b.name.clone(),
                        kind: b.kind.label(),
                        chair: worker_name(m, b.chair),
                        every_weeks: b.every_weeks,
                        held: b.meetings.iter().filter(|x| x.date <= today).count(),
                        last: last.map(|x| (day(x.date), x.decisions.clone())),
                        next: last.map(|x| {
                            day(x.date + chrono::Duration::weeks(i64::from(b.every_weeks)))
                        }),
                    }
                })
                .collect();
            let lead_here = is_lead(m, &who);
            let chairs: Vec<(u32, String, u32)> = plan
                .boards
                .values()
                .filter(|b| lead_here || Some(b.chair) == who.worker())
                .map(|b| (b.id.0, b.name.clone(), m.version(StreamId::Board(b.id))))
                .collect();
            let (typed, errors, status) = form.unwrap_or_default();
            let meeting = (!chairs.is_empty()).then_some(MeetingForm {
                boards: chairs,
                typed,
                errors,
            });
            let page = render(&PlanPage {
                chrome: Chrome::new(Some(&who), Some(live), "/plan"),
                title: plan.title.clone(),
                error: meeting.as_ref().is_some_and(|f| !f.errors.is_empty()),
                summary: plan.summary.clone(),
                lead: plan.lead.map_or_else(String::new, |w| worker_name(m, w)),
                runs: match (plan.starts, plan.ends) {
                    (Some(s), Some(e)) => format!("{} to {}", day(s), day(e)),
                    _ => String::new(),
                },
                period_label: period.label(),
                priorities,
                totals,
                lead_here,
                boards,
                meeting,
                saved,
            });
            if status.is_success() {
                page
            } else {
                (status, page).into_response()
            }
        })
        .await
}

fn next_meeting(live: &Live, board: BoardId) -> Option<u32> {
    let b = live.model().plan.boards.get(&board)?;
    Some(b.meetings.iter().map(|m| m.id.0).max().unwrap_or(0) + 1)
}

/// The lead or a board's chair records a meeting and what it decided.
pub async fn meeting_save(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadMeasures>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let typed = match checked_form(&headers, &who, &body) {
        Ok(f) => single(f),
        Err(refused) => return *refused,
    };
    let today = state.today();
    let mut errors = Vec::new();
    let board = typed
        .get("board")
        .and_then(|b| b.parse::<u32>().ok())
        .map(BoardId);
    // The next meeting's number on the board's stream.
    let next = board.and_then(|b| next_meeting(&state.read(), b));
    if next.is_none() {
        errors.push(FieldError::new("board", "Choose the board that met"));
    }
    let at = date_field(&typed, "at", &mut errors);
    if at.is_some_and(|d| d > today) {
        errors.push(FieldError::new(
            "at",
            "The meeting's date is still to come: record a meeting once it has been held",
        ));
    }
    let decisions: Vec<String> = typed
        .get("decisions")
        .map(|d| {
            d.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    if decisions.is_empty() {
        errors.push(FieldError::new(
            "decisions",
            "Enter what the meeting decided, one decision a line",
        ));
    }
    let (Some(board), Some(next), Some(at), true) = (board, next, at, errors.is_empty()) else {
        return plan_response(
            state,
            who,
            false,
            Some((typed, errors, StatusCode::UNPROCESSABLE_ENTITY)),
            false,
        )
        .await;
    };
    let expected = typed
        .get(&format!("version-{}", board.0))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let body = EventBody::MeetingHeld(MeetingHeld {
        board,
        meeting: RecordId(next),
        decisions,
        at,
    });
    match recording::save(&state, &who, StreamId::Board(board), expected, body).await {
        Ok(_) => Redirect::to("/plan?saved=meeting#boards").into_response(),
        Err(refused) => match refusal(&who, refused) {
            (status, Ok(errors)) => {
                plan_response(state, who, false, Some((typed, errors, status)), false).await
            }
            (_, Err(page)) => page,
        },
    }
}

// ---- A priority ----------------------------------------------------------------------------

pub struct ActionLine {
    pub id: u32,
    pub href: String,
    pub strand: &'static str,
    pub text: String,
    pub owner: String,
    pub owner_worker: u32,
    pub priority: String,
    pub due: String,
    pub first_due: Option<String>,
    pub tag: (&'static str, String),
    pub last_update: String,
    pub last_update_on: String,
    pub overdue_days: Option<i64>,
    pub slipping: bool,
}

fn action_line(m: &Model, a: &Action, on: NaiveDate) -> ActionLine {
    let last = a.updates.last();
    ActionLine {
        id: a.id.0,
        href: format!("/plan/actions/{}", a.id.0),
        strand: a.strand.label(),
        text: a.text.clone(),
        owner: worker_name(m, a.owner),
        owner_worker: a.owner.0,
        priority: m
            .plan
            .priorities
            .get(&a.priority)
            .map_or_else(String::new, |p| format!("{}. {}", p.number, p.title)),
        due: day(a.due),
        first_due: (a.due != a.first_due).then(|| day(a.first_due)),
        tag: status_tag(a, on),
        last_update: last.map_or_else(String::new, |u| u.note.clone()),
        last_update_on: last.map_or_else(String::new, |u| day(u.at)),
        overdue_days: a.days_overdue(on),
        slipping: a.is_slipping(on),
    }
}

pub struct EvidenceView {
    pub id: String,
    pub name: String,
    pub value: String,
    pub trajectory: String,
    pub target: String,
    pub rag: Tag,
    pub chart: String,
    pub table: String,
}

/// A measure's figures and its chart against trajectory, for the 13 periods of a card.
pub fn evidence_view(card: &Card, id: &str, period: Period) -> Option<EvidenceView> {
    let measure = kpi::catalogue::measure(id)?;
    let unit = measure.unit.as_str();
    let trend = card.trend(id, Scope::Council);
    let labels: Vec<String> = card.periods.iter().map(|p| p.label()).collect();
    Some(chart_view(
        measure,
        &trend,
        &labels,
        card.row(id, Scope::Council, period),
        unit,
    ))
}

/// The same from rows already chosen: the pack reads them from its own card.
pub fn chart_view(
    measure: &kpi::Measure,
    trend: &[Option<&kpi::report::Row>],
    labels: &[String],
    now: Option<&kpi::report::Row>,
    unit: &str,
) -> EvidenceView {
    let series = super::measure::value_and_trajectory(&measure.name, trend);
    let title = format!("{} ({}), the whole council", measure.name, measure.id);
    let chart = LineChart {
        title: &title,
        labels,
        series: &series,
        unit,
    };
    EvidenceView {
        id: measure.id.clone(),
        name: measure.name.clone(),
        value: figure(now.and_then(|r| r.value), unit),
        trajectory: figure(now.and_then(|r| r.trajectory), unit),
        target: figure(now.and_then(|r| r.target), unit),
        rag: rag_tag(now.and_then(|r| r.rag)),
        chart: chart.svg(),
        table: chart.table(),
    }
}

pub struct LogLine {
    pub on: String,
    pub href: String,
    pub action: String,
    pub status: &'static str,
    pub note: String,
}

#[derive(Template)]
#[template(path = "plan_priority.html")]
struct PriorityPage {
    chrome: Chrome,
    title: String,
    error: bool,
    /// The priority's number in the plan's addresses, and its number in the plan's order.
    id: u32,
    number: u32,
    rag: Tag,
    reasons: Vec<String>,
    finding: String,
    needs_to_improve: Vec<String>,
    officer: String,
    areas: Vec<&'static str>,
    period_label: String,
    evidence: Vec<EvidenceView>,
    strands: Vec<(&'static str, Vec<ActionLine>)>,
    log: Vec<LogLine>,
    csv_href: String,
    add_action: Option<AddActionForm>,
    saved: bool,
}

/// The lead's form for a new action, with what was typed and what was wrong.
pub struct AddActionForm {
    pub strands: Vec<(&'static str, &'static str)>,
    pub owners: Vec<(u32, String)>,
    /// Recent meetings an action may arise from: "board-meeting" and the meeting in words.
    pub meetings: Vec<(String, String)>,
    pub typed: HashMap<String, String>,
    pub errors: Vec<FieldError>,
    pub version: u32,
}

impl AddActionForm {
    pub fn value(&self, name: &str) -> &str {
        self.typed.get(name).map_or("", String::as_str)
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.as_str())
    }
}

/// The meetings of the last six months, newest first, for "arising from".
fn recent_meetings(plan: &Plan, today: NaiveDate) -> Vec<(String, String)> {
    let mut v: Vec<(NaiveDate, String, String)> = plan
        .boards
        .values()
        .flat_map(|b| {
            b.meetings
                .iter()
                .filter(|x| x.date <= today && (today - x.date).num_days() <= 183)
                .map(move |x| {
                    (
                        x.date,
                        format!("{}-{}", b.id.0, x.id.0),
                        format!("{}, {}", b.name, day(x.date)),
                    )
                })
        })
        .collect();
    v.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    v.into_iter().map(|(_, k, l)| (k, l)).collect()
}

/// Everyone in post, by name, for choosing an owner.
fn in_post(m: &Model, today: NaiveDate) -> Vec<(u32, String)> {
    let mut v: Vec<(u32, String)> = m
        .workers
        .values()
        .filter(|w| w.left.is_none_or(|l| l > today))
        .map(|w| (w.id.0, w.name.clone()))
        .collect();
    v.sort_by(|a, b| a.1.cmp(&b.1));
    v
}

pub async fn priority_page(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadMeasures>,
    Path(n): Path<u32>,
    Query(ask): Query<Ask>,
) -> Response {
    if ask.csv() && ask.kind.as_deref() == Some("log") {
        return progress_log_csv(&state, n);
    }
    priority_response(state, who, n, ask.csv(), None, ask.saved.is_some()).await
}

async fn priority_response(
    state: AppState,
    who: SignedIn,
    n: u32,
    csv: bool,
    form: Option<Typed>,
    saved: bool,
) -> Response {
    let today = state.today();
    let period = Period::last_whole_month_before(today);
    state
        .with_card(period, move |live, card| {
            let m = live.model();
            let plan = &m.plan;
            let Some(p) = plan.priorities.get(&PriorityId(n)) else {
                return super::not_found(&format!("The plan has no priority {n}."));
            };
            let actions = plan.actions_of(p.id);
            if csv {
                return actions_csv(
                    &format!("priority-{}-actions-{today}.csv", p.number),
                    m,
                    &actions,
                    today,
                );
            }
            let r = rating(plan, card, p, today);
            let strands = Strand::ALL
                .iter()
                .map(|s| {
                    (
                        s.label(),
                        actions
                            .iter()
                            .filter(|a| a.strand == *s)
                            .map(|a| action_line(m, a, today))
                            .collect::<Vec<_>>(),
                    )
                })
                .filter(|(_, v)| !v.is_empty())
                .collect();
            let mut log: Vec<(NaiveDate, u32, LogLine)> = actions
                .iter()
                .flat_map(|a| {
                    a.updates.iter().map(move |u| {
                        (
                            u.at,
                            a.id.0,
                            LogLine {
                                on: day(u.at),
                                href: format!("/plan/actions/{}", a.id.0),
                                action: a.text.clone(),
                                status: u.status.label(),
                                note: u.note.clone(),
                            },
                        )
                    })
                })
                .collect();
            log.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let (typed, errors, status) = form.unwrap_or_default();
            let add_action = is_lead(m, &who).then(|| AddActionForm {
                strands: Strand::options(),
                owners: in_post(m, today),
                meetings: recent_meetings(plan, today),
                typed,
                errors,
                version: m.version(StreamId::Priority(p.id)),
            });
            let page = render(&PriorityPage {
                chrome: Chrome::new(Some(&who), Some(live), "/plan"),
                title: format!("Priority {}: {}", p.number, p.title),
                error: add_action.as_ref().is_some_and(|f| !f.errors.is_empty()),
                id: p.id.0,
                number: p.number,
                rag: rag_tag(Some(r.rag)),
                reasons: r.reasons,
                finding: p.finding.clone(),
                needs_to_improve: p.needs_to_improve.clone(),
                officer: worker_name(m, p.officer),
                areas: p.ofsted_areas.iter().map(|a| a.label()).collect(),
                period_label: period.label(),
                evidence: p
                    .measures
                    .iter()
                    .filter_map(|id| evidence_view(card, id, period))
                    .collect(),
                strands,
                log: log.into_iter().map(|(_, _, l)| l).take(200).collect(),
                csv_href: format!("/plan/priorities/{n}?format=csv"),
                add_action,
                saved,
            });
            if status == StatusCode::OK || status.is_success() {
                page
            } else {
                (status, page).into_response()
            }
        })
        .await
}

/// Every progress update on a priority's actions, newest first.
fn progress_log_csv(state: &AppState, n: u32) -> Response {
    let live = state.read();
    let plan = &live.model().plan;
    let Some(p) = plan.priorities.get(&PriorityId(n)) else {
        return super::not_found(&format!("The plan has no priority {n}."));
    };
    let mut rows: Vec<(NaiveDate, u32, Vec<String>)> = plan
        .actions_of(p.id)
        .into_iter()
        .flat_map(|a| {
            a.updates.iter().map(move |u| {
                (
                    u.at,
                    a.id.0,
                    vec![
                        u.at.to_string(),
                        a.id.0.to_string(),
                        a.text.clone(),
                        u.status.label().to_string(),
                        u.note.clone(),
                    ],
                )
            })
        })
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    csv_download(
        &format!("priority-{}-progress-log.csv", p.number),
        &["date", "action", "text", "status", "update"],
        rows.into_iter().map(|(_, _, r)| r).collect(),
    )
}

fn actions_csv(filename: &str, m: &Model, actions: &[&Action], on: NaiveDate) -> Response {
    csv_download(
        filename,
        &[
            "action",
            "priority",
            "strand",
            "text",
            "owner",
            "owner_worker",
            "due",
            "first_agreed",
            "status",
            "days_overdue",
            "slipping",
            "last_update_on",
            "last_update",
        ],
        actions
            .iter()
            .map(|a| {
                let l = action_line(m, a, on);
                vec![
                    l.id.to_string(),
                    l.priority,
                    l.strand.to_string(),
                    l.text,
                    l.owner,
                    l.owner_worker.to_string(),
                    a.due.to_string(),
                    a.first_due.to_string(),
                    l.tag.1,
                    l.overdue_days.map(|d| d.to_string()).unwrap_or_default(),
                    if l.slipping { "yes" } else { "no" }.to_string(),
                    a.updates
                        .last()
                        .map(|u| u.at.to_string())
                        .unwrap_or_default(),
                    l.last_update,
                ]
            })
            .collect(),
    )
}

/// The form's fields, one value each.
fn single(form: HashMap<String, Vec<String>>) -> HashMap<String, String> {
    form.into_iter()
        .filter_map(|(k, v)| v.into_iter().next().map(|v| (k, v.trim().to_string())))
        .collect()
}

fn version_of(typed: &HashMap<String, String>) -> u32 {
    typed
        .get("version")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn date_field(
    typed: &HashMap<String, String>,
    name: &str,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    let text = typed.get(name).map_or("", String::as_str);
    if text.is_empty() {
        errors.push(FieldError::new(name, "Enter a date"));
        return None;
    }
    match text.parse::<NaiveDate>() {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(FieldError::new(
                name,
                format!("{text} is not a date: enter it as 2026-03-31"),
            ));
            None
        }
    }
}

fn text_field(
    typed: &HashMap<String, String>,
    name: &str,
    what: &str,
    errors: &mut Vec<FieldError>,
) -> String {
    let text = typed.get(name).cloned().unwrap_or_default();
    if text.is_empty() {
        errors.push(FieldError::new(name, format!("Enter {what}")));
    } else if text.chars().count() > 5_000 {
        errors.push(FieldError::new(
            name,
            format!("{} must be 5,000 characters or fewer", super::capital(what)),
        ));
    }
    text
}

/// The lead adds an action to a priority.
pub async fn add_action(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadMeasures>,
    Path(n): Path<u32>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let typed = match checked_form(&headers, &who, &body) {
        Ok(f) => single(f),
        Err(refused) => return *refused,
    };
    let today = state.today();
    let mut errors = Vec::new();
    let (exists, next) = {
        let live = state.read();
        let plan = &live.model().plan;
        (
            plan.priorities.contains_key(&PriorityId(n)),
            plan.actions.keys().map(|a| a.0).max().unwrap_or(0) + 1,
        )
    };
    if !exists {
        return super::not_found(&format!("The plan has no priority {n}."));
    }
    let strand = typed
        .get("strand")
        .and_then(|s| Strand::from_code(s))
        .or_else(|| {
            errors.push(FieldError::new(
                "strand",
                "Choose People, Practice or Partners",
            ));
            None
        });
    let text = text_field(&typed, "text", "what will be done", &mut errors);
    let owner = typed
        .get("owner")
        .and_then(|o| o.parse::<u32>().ok())
        .map(WorkerId)
        .or_else(|| {
            errors.push(FieldError::new("owner", "Choose who owns the action"));
            None
        });
    let due = date_field(&typed, "due", &mut errors);
    let arising_from = match typed.get("arising_from").map(String::as_str) {
        None | Some("") => None,
        Some(text) => {
            let found = text.split_once('-').and_then(|(b, x)| {
                Some(MeetingRef {
                    board: BoardId(b.parse().ok()?),
                    meeting: RecordId(x.parse().ok()?),
                })
            });
            if found.is_none() {
                errors.push(FieldError::new(
                    "arising_from",
                    "Choose a meeting from the list, or none",
                ));
            }
            found
        }
    };
    let (Some(strand), Some(owner), Some(due), true) = (strand, owner, due, errors.is_empty())
    else {
        return priority_response(
            state,
            who,
            n,
            false,
            Some((typed, errors, StatusCode::UNPROCESSABLE_ENTITY)),
            false,
        )
        .await;
    };
    let action = ActionId(next);
    let body = EventBody::ActionAdded(ActionAdded {
        action,
        priority: PriorityId(n),
        strand,
        text,
        owner,
        due,
        arising_from,
        at: today,
    });
    match recording::save(&state, &who, StreamId::Action(action), 0, body).await {
        Ok(_) => Redirect::to(&format!("/plan/actions/{next}?saved=added")).into_response(),
        Err(PlanRefused::Conflict { .. }) => {
            // Someone added an action at the same moment and took its number: try again.
            let errors = vec![FieldError::new(
                "",
                "Someone else added an action at the same moment: check the list and save again",
            )];
            priority_response(
                state,
                who,
                n,
                false,
                Some((typed, errors, StatusCode::CONFLICT)),
                false,
            )
            .await
        }
        Err(other) => {
            let (status, errors) = refusal(&who, other);
            match errors {
                Ok(errors) => {
                    priority_response(state, who, n, false, Some((typed, errors, status)), false)
                        .await
                }
                Err(page) => page,
            }
        }
    }
}

/// A refusal as a status and the errors to show on the form, or a page of its own.
fn refusal(who: &SignedIn, r: PlanRefused) -> (StatusCode, Result<Vec<FieldError>, Response>) {
    match r {
        PlanRefused::NotYours(why) => (
            StatusCode::FORBIDDEN,
            Err(super::error_page_for(
                Some(who),
                StatusCode::FORBIDDEN,
                "You cannot change this",
                &format!("{why} Nothing was saved."),
            )),
        ),
        PlanRefused::Invalid(errors) => (StatusCode::UNPROCESSABLE_ENTITY, Ok(errors)),
        PlanRefused::Conflict { changes, .. } => (
            StatusCode::CONFLICT,
            Ok(vec![FieldError::new(
                "",
                format!(
                    "Someone else saved this since you opened the page, so nothing of yours was saved: {}. Check what they did below, then save again.",
                    changes.iter().map(describe).collect::<Vec<_>>().join("; ")
                ),
            )]),
        ),
        PlanRefused::Unavailable(e) => {
            tracing::error!("a save to the plan failed: {e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Err(super::error_page_for(
                    Some(who),
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Sorry, there is a problem with the service",
                    "Nothing was saved. Go back and try again in a few minutes.",
                )),
            )
        }
    }
}

// ---- An action -----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "plan_action.html")]
struct ActionPage {
    chrome: Chrome,
    title: String,
    error: bool,
    line: ActionLine,
    priority_href: String,
    added: String,
    arising_from: Option<String>,
    updates: Vec<(String, &'static str, String)>,
    moves: Vec<(String, String, String, String)>,
    /// What the reader may do: record progress and move the date; give it to someone else.
    may_update: bool,
    may_reassign: bool,
    statuses: Vec<(&'static str, &'static str)>,
    owners: Vec<(u32, String)>,
    version: u32,
    /// Which form the errors belong to, what was typed, and the errors.
    form: &'static str,
    typed: HashMap<String, String>,
    errors: Vec<FieldError>,
    saved: Option<&'static str>,
    read_only_why: String,
}

impl ActionPage {
    fn value(&self, form: &str, name: &str) -> &str {
        if self.form != form {
            return "";
        }
        self.typed.get(name).map_or("", String::as_str)
    }

    fn error(&self, form: &str, name: &str) -> Option<&str> {
        if self.form != form {
            return None;
        }
        self.errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.as_str())
    }
}

pub async fn action_page(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadMeasures>,
    Path(n): Path<u32>,
    Query(ask): Query<Ask>,
) -> Response {
    let saved = match ask.saved.as_deref() {
        Some("progress") => Some("Progress recorded"),
        Some("date") => Some("New date recorded"),
        Some("owner") => Some("New owner recorded"),
        Some("added") => Some("Action added"),
        _ => None,
    };
    action_response(
        &state,
        &who,
        n,
        ("", HashMap::new(), Vec::new()),
        saved,
        StatusCode::OK,
    )
}

fn action_response(
    state: &AppState,
    who: &SignedIn,
    n: u32,
    (form, typed, errors): (&'static str, HashMap<String, String>, Vec<FieldError>),
    saved: Option<&'static str>,
    status: StatusCode,
) -> Response {
    let today = state.today();
    let live = state.read();
    let m = live.model();
    let Some(a) = m.plan.actions.get(&ActionId(n)) else {
        return super::not_found(&format!("The plan has no action {n}."));
    };
    let lead = is_lead(m, who);
    let may = may_update(m, who, a);
    let arising_from = a.arising_from.and_then(|r| {
        let b = m.plan.boards.get(&r.board)?;
        let meeting = b.meetings.iter().find(|x| x.id == r.meeting)?;
        Some(format!("{} on {}", b.name, day(meeting.date)))
    });
    let mut updates: Vec<_> = a
        .updates
        .iter()
        .rev()
        .map(|u| (day(u.at), u.status.label(), u.note.clone()))
        .collect();
    updates.truncate(500);
    let moves = a
        .reschedules
        .iter()
        .rev()
        .map(|r| (day(r.at), day(r.from), day(r.to), r.reason.clone()))
        .collect();
    let page = render(&ActionPage {
        chrome: Chrome::new(Some(who), Some(&live), "/plan"),
        title: format!("Action {}", a.id.0),
        error: !errors.is_empty(),
        line: action_line(m, a, today),
        priority_href: format!("/plan/priorities/{}", a.priority.0),
        added: day(a.added),
        arising_from,
        updates,
        moves,
        may_update: may,
        may_reassign: lead,
        statuses: ActionStatus::options(),
        owners: if lead { in_post(m, today) } else { Vec::new() },
        version: m.version(StreamId::Action(a.id)),
        form,
        typed,
        errors,
        saved,
        read_only_why: if who.worker().is_none() {
            "Your account is not linked to a member of staff, so you read the plan but cannot change it.".into()
        } else {
            "Only the action's owner and the plan's lead can record its progress.".into()
        },
    });
    (status, page).into_response()
}

/// Records an action's progress, a new date or a new owner, from the forms on its page.
pub async fn action_save(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadMeasures>,
    Path((n, what)): Path<(u32, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let typed = match checked_form(&headers, &who, &body) {
        Ok(f) => single(f),
        Err(refused) => return *refused,
    };
    let today = state.today();
    let action = ActionId(n);
    if !state.read().model().plan.actions.contains_key(&action) {
        return super::not_found(&format!("The plan has no action {n}."));
    }
    let mut errors = Vec::new();
    let (form, body): (&'static str, Option<EventBody>) = match what.as_str() {
        "progress" => {
            let status = typed
                .get("status")
                .and_then(|s| ActionStatus::from_code(s))
                .or_else(|| {
                    errors.push(FieldError::new("status", "Choose where the action stands"));
                    None
                });
            let note = text_field(&typed, "note", "what has been done", &mut errors);
            (
                "progress",
                status.filter(|_| errors.is_empty()).map(|status| {
                    EventBody::ActionUpdated(ActionUpdated {
                        action,
                        status,
                        note,
                        at: today,
                    })
                }),
            )
        }
        "date" => {
            let due = date_field(&typed, "due", &mut errors);
            let reason = text_field(&typed, "reason", "why the date has moved", &mut errors);
            (
                "date",
                due.filter(|_| errors.is_empty()).map(|due| {
                    EventBody::ActionRescheduled(ActionRescheduled {
                        action,
                        due,
                        reason,
                        at: today,
                    })
                }),
            )
        }
        "owner" => {
            let owner = typed
                .get("owner")
                .and_then(|o| o.parse::<u32>().ok())
                .map(WorkerId);
            if owner.is_none() {
                errors.push(FieldError::new("owner", "Choose the action's new owner"));
            }
            (
                "owner",
                owner.map(|owner| {
                    EventBody::ActionReassigned(ActionReassigned {
                        action,
                        owner,
                        at: today,
                    })
                }),
            )
        }
        _ => return super::not_found("There is no such form for an action."),
    };
    let Some(body) = body else {
        return action_response(
            &state,
            &who,
            n,
            (form, typed, errors),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    match recording::save(
        &state,
        &who,
        StreamId::Action(action),
        version_of(&typed),
        body,
    )
    .await
    {
        Ok(_) => Redirect::to(&format!("/plan/actions/{n}?saved={form}")).into_response(),
        Err(refused) => match refusal(&who, refused) {
            (status, Ok(errors)) => {
                action_response(&state, &who, n, (form, typed, errors), None, status)
            }
            (_, Err(page)) => page,
        },
    }
}

// ---- Lists ---------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "plan_actions.html")]
struct ListPage {
    chrome: Chrome,
    title: String,
    error: bool,
    intro: String,
    actions: Vec<ActionLine>,
    csv_href: &'static str,
    empty: &'static str,
}

/// A list of actions as a page, or as CSV when asked.
struct Listing<'a> {
    title: &'static str,
    file: String,
    href: &'static str,
    empty: &'static str,
    intro: String,
    actions: Vec<&'a Action>,
}

fn list_response(who: &SignedIn, live: &Live, csv: bool, today: NaiveDate, l: Listing) -> Response {
    let m = live.model();
    if csv {
        return actions_csv(&l.file, m, &l.actions, today);
    }
    render(&ListPage {
        chrome: Chrome::new(Some(who), Some(live), "/plan"),
        title: l.title.into(),
        error: false,
        intro: l.intro,
        actions: l.actions.iter().map(|a| action_line(m, a, today)).collect(),
        csv_href: l.href,
        empty: l.empty,
    })
}

/// The actions the signed-in person owns, open ones first.
pub async fn my_actions(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadMeasures>,
    Query(ask): Query<Ask>,
) -> Response {
    let today = state.today();
    let live = state.read();
    let m = live.model();
    let me = who.worker();
    let mut actions: Vec<&Action> = m
        .plan
        .actions
        .values()
        .filter(|a| Some(a.owner) == me)
        .collect();
    actions.sort_by_key(|a| (a.completed.is_some(), a.due, a.id));
    let intro = match me {
        None => "Your account is not linked to a member of staff, so no action in the plan can be yours. Ask an administrator to link it.".to_string(),
        Some(_) if is_lead(m, &who) => format!(
            "You lead the plan, so you may record progress on any action. These {} are the ones you own.",
            actions.len()
        ),
        Some(_) => format!(
            "You own {} of the plan's actions. Open one to record its progress or move its date.",
            actions.len()
        ),
    };
    let listing = Listing {
        title: "My actions",
        file: format!("my-actions-{today}.csv"),
        href: "/plan/my-actions?format=csv",
        empty: "You own no action in the plan.",
        intro,
        actions,
    };
    list_response(&who, &live, ask.csv(), today, listing)
}

/// Actions overdue (longest overdue first) and then those slipping.
pub async fn exceptions(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadMeasures>,
    Query(ask): Query<Ask>,
) -> Response {
    let today = state.today();
    let live = state.read();
    let mut actions: Vec<&Action> = live
        .model()
        .plan
        .actions
        .values()
        .filter(|a| a.is_overdue(today) || a.is_slipping(today))
        .collect();
    actions.sort_by_key(|a| (!a.is_overdue(today), a.due, a.id));
    let overdue = actions.iter().filter(|a| a.is_overdue(today)).count();
    let listing = Listing {
        title: "Overdue and slipping actions",
        file: format!("overdue-and-slipping-actions-{today}.csv"),
        href: "/plan/exceptions?format=csv",
        empty: "No action is overdue or slipping.",
        intro: format!(
            "{overdue} overdue (past their date and not complete) and {} slipping (not yet due, but moved later than first agreed or said to be at risk), on {}.",
            actions.len() - overdue,
            day(today)
        ),
        actions,
    };
    list_response(&who, &live, ask.csv(), today, listing)
}
