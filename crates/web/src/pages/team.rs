//! Teams: the list of teams, and each team's dashboard: its measures as of the last whole month,
//! each worker's caseload, what is overdue, due and about to breach, and the children waiting to
//! be allocated.

use super::Ask;
use super::home::{ClockLine, clock_lines};
use super::scorecard::rag_tag;
use super::{Chrome, child_name, csv_download, figure, render};
use crate::AppState;
use crate::permissions::{Can, needs};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::TeamId;
use kpi::clocks::{self, ClockStatus, Owner};
use kpi::{Period, Scope};
use rustc_hash::FxHashMap;

#[derive(Template)]
#[template(path = "teams.html")]
struct TeamsPage {
    chrome: Chrome,
    title: String,
    error: bool,
    teams: Vec<(String, String, &'static str, usize)>,
}

/// Open cases held today, counted by whatever `by` says of each allocation (its worker, its
/// team).
pub fn caseloads<K: std::hash::Hash + Eq>(
    live: &crate::live::Live,
    today: chrono::NaiveDate,
    by: impl Fn(&domain::model::Allocation) -> K,
) -> FxHashMap<K, usize> {
    let mut cases = FxHashMap::default();
    for (_, _, a) in kpi::index::running_after(&live.index().allocations_by_end, today) {
        if a.from <= today {
            *cases.entry(by(a)).or_default() += 1;
        }
    }
    cases
}

pub async fn list(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadChildren>,
) -> Response {
    let today = state.today();
    state
        .with_live(move |live| {
            let m = live.model();
            let held = caseloads(live, today, |a| a.team);
            let teams = m
                .teams
                .values()
                .filter(|t| t.closed.is_none())
                .map(|t| {
                    (
                        format!("/teams/{}", t.id.0),
                        t.name.clone(),
                        t.service.label(),
                        held.get(&t.id).copied().unwrap_or(0),
                    )
                })
                .collect();
            render(&TeamsPage {
                chrome: Chrome::new(Some(&who), Some(live), "/teams"),
                title: "Teams".into(),
                error: false,
                teams,
            })
        })
        .await
}

/// One of the team's measures: as it stands today, and for the last whole month with its aim.
pub struct TeamMeasure {
    pub href: String,
    pub name: String,
    pub now: String,
    pub month: String,
    pub aim: String,
    pub rag: super::Tag,
}

pub struct WorkerLine {
    pub name: String,
    pub role: &'static str,
    pub employment: &'static str,
    pub fte: String,
    pub cases: usize,
}

#[derive(Template)]
#[template(path = "team.html")]
struct TeamPage {
    chrome: Chrome,
    title: String,
    error: bool,
    id: u32,
    service: &'static str,
    period_label: String,
    measures: Vec<TeamMeasure>,
    workers: Vec<WorkerLine>,
    clocks: Vec<ClockLine>,
    overdue: usize,
    waiting: Vec<(String, String, String)>,
}

pub async fn page(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadChildren>,
    Path(id): Path<String>,
    Query(ask): Query<Ask>,
) -> Response {
    let team = match id.parse::<u32>().map(TeamId) {
        Ok(t) if state.read().model().teams.contains_key(&t) => t,
        _ => return super::not_found(&format!("There is no team with the number {id}.")),
    };
    let today = state.today();
    let period = Period::last_whole_month_before(today);
    let cal = state.cal;
    let csv = ask.csv();
    state
        .with_card(period, move |live, card| {
            let m = live.model();
            let t = &m.teams[&team];
            let mut list =
                clocks::worklist_indexed(m, live.index(), cal, today, Owner::Team(team), 5);
            list.retain(|c| c.status != ClockStatus::Later);
            if csv {
                return csv_download(
                    &format!("team-{}-worklist.csv", team.0),
                    &[
                        "child",
                        "clock",
                        "started",
                        "due",
                        "status",
                        "working_days_left",
                    ],
                    list.iter()
                        .map(|c| {
                            vec![
                                c.child.0.to_string(),
                                c.kind.label().to_string(),
                                c.started.to_string(),
                                c.due.to_string(),
                                c.status.label().to_string(),
                                c.working_days_left.to_string(),
                            ]
                        })
                        .collect(),
                );
            }
            let scope = Scope::Team(team);
            let now = live.card_today(cal, today);
            let measures = kpi::catalogue()
                .iter()
                .filter_map(|msr| {
                    let month = card.row(&msr.id, scope, period);
                    let today_row = now.row(&msr.id, scope, Period::At(today));
                    month
                        .and_then(|r| r.value)
                        .or(today_row.and_then(|r| r.value))?;
                    Some(TeamMeasure {
                        href: format!("/measures/{}?period={period}&scope={scope}", msr.id),
                        name: msr.name.clone(),
                        now: figure(today_row.and_then(|r| r.value), &msr.unit),
                        month: figure(month.and_then(|r| r.value), &msr.unit),
                        aim: figure(month.and_then(|r| r.trajectory.or(r.target)), &msr.unit),
                        rag: rag_tag(month.and_then(|r| r.rag)),
                    })
                })
                .collect();
            let cases = caseloads(live, today, |a| a.worker);
            let mut workers: Vec<WorkerLine> = m
                .workers
                .values()
                .filter_map(|w| {
                    let terms = w.terms_on(today).filter(|x| x.team == team)?;
                    Some(WorkerLine {
                        name: w.name.clone(),
                        role: terms.role.label(),
                        employment: terms.employment.label(),
                        fte: format!("{:.1}", terms.fte),
                        cases: cases.get(&w.id).copied().unwrap_or(0),
                    })
                })
                .collect();
            workers.sort_by(|a, b| b.cases.cmp(&a.cases).then(a.name.cmp(&b.name)));
            // Open (an open referral or looked after) with nobody allocated, last held here.
            let mut waiting: Vec<(String, String, String)> = Vec::new();
            let open = kpi::index::running_after(&live.index().referrals_by_end, today)
                .iter()
                .filter(|(_, _, r)| r.date <= today)
                .map(|(_, c, _)| *c);
            for c in kpi::index::distinct(open.collect()) {
                let allocated = c.current_allocation().is_some();
                let last = c.allocations.last();
                if !allocated && last.is_some_and(|a| a.team == team) {
                    let since = last.and_then(|a| a.to).unwrap_or(today);
                    waiting.push((
                        format!("/children/{}", c.id().0),
                        child_name(c),
                        since.format("%-d %b %Y").to_string(),
                    ));
                }
            }
            waiting.sort_by(|a, b| a.1.cmp(&b.1));
            let overdue = list
                .iter()
                .filter(|c| c.status == ClockStatus::Overdue)
                .count();
            render(&TeamPage {
                chrome: Chrome::new(Some(&who), Some(live), "/teams"),
                title: t.name.clone(),
                error: false,
                id: team.0,
                service: t.service.label(),
                period_label: period.label(),
                measures,
                workers,
                clocks: clock_lines(live, &list),
                overdue,
                waiting,
            })
        })
        .await
}
