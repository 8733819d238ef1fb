//! A measure's page: 13 periods charted against the trajectory and the benchmarks, the same
//! figures as a table, the figure by team and by worker, and the children behind it.

use super::scorecard::rag_tag;
use super::{Chrome, child_name, csv_download, figure, period_from, render};
use crate::AppState;
use crate::chart::{LineChart, LineStyle, Series};
use crate::permissions::{Can, Power, needs};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use kpi::report::{self, Row};
use kpi::{Scope, Subject};
use rustc_hash::FxHashMap;

/// At most this many children are listed on the page; the download has them all.
const LISTED: usize = 500;

pub struct Listed {
    pub name: String,
    pub href: Option<String>,
    pub date: String,
    pub counted: String,
    pub team: String,
    pub worker: String,
}

#[derive(Template)]
#[template(path = "measure.html")]
struct Page {
    chrome: Chrome,
    title: String,
    error: bool,
    message: Option<String>,
    id: &'static str,
    measure: &'static kpi::Measure,
    period_label: String,
    scope_label: String,
    value: String,
    target: String,
    trajectory: String,
    rag: Option<(&'static str, &'static str)>,
    chart: String,
    table: String,
    teams: Vec<(String, String, String, String, String)>,
    workers: Vec<(String, String, String, String)>,
    listed: Vec<Listed>,
    total: usize,
    left: Vec<(String, Option<String>, &'static str)>,
    csv_href: String,
    /// Whether the reader may see the children behind the figures.
    names: bool,
}

pub async fn page(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadMeasures>,
    Path(id): Path<String>,
    Query(ask): Query<super::Ask>,
) -> Response {
    let Some(measure) = kpi::catalogue::measure(&id) else {
        return super::not_found(&format!("There is no measure {id}."));
    };
    let today = state.today();
    let (period, mut message) = period_from(ask.period.as_deref(), today);
    let (cal, csv) = (state.cal, ask.csv());
    // Those who may not open children's records see the figures without the names behind them.
    let names = who.role.may(Power::ReadChildren);
    if csv && !names {
        return crate::permissions::forbidden(&who, Power::ReadChildren);
    }
    state
        .with_card(period, move |live, card| {
            let m = live.model();
            let scope = super::scope_from(m, ask.scope.as_deref(), &mut message);
            let src = live.source(cal, today);
            let drilled = report::row(&src, measure, period, scope, true);
            let unit = measure.unit.as_str();
            let drill = drilled.children.as_ref().expect("asked for");
            let team_name = |t: Option<domain::TeamId>| {
                t.and_then(|t| m.teams.get(&t))
                    .map_or_else(|| "No team".to_string(), |t| t.name.clone())
            };
            let worker_name = |w: Option<domain::WorkerId>| {
                w.and_then(|w| m.workers.get(&w))
                    .map_or_else(|| "Not allocated".to_string(), |w| w.name.clone())
            };
            let subject = |s: Subject| match s {
                Subject::Child(c) => (
                    m.child(c).map_or_else(|| c.to_string(), child_name),
                    Some(format!("/children/{}", c.0)),
                ),
                Subject::Worker(w) => (worker_name(Some(w)), None),
            };
            let counted = |i: &kpi::Item| match measure.aggregate {
                kpi::catalogue::Aggregate::Percent => if i.num > 0.0 {
                    "In the numerator"
                } else {
                    "Denominator only"
                }
                .to_string(),
                _ => figure(i.value.or(Some(i.num)), unit),
            };
            if csv {
                return csv_download(
                    &format!("{}-{period}-{scope}.csv", measure.id).replace(':', "-"),
                    &[
                        "subject",
                        "name",
                        "record",
                        "date",
                        "numerator",
                        "denominator",
                        "value",
                        "team",
                        "worker",
                    ],
                    drill
                        .items
                        .iter()
                        .map(|i| {
                            let (name, _) = subject(i.subject);
                            vec![
                                match i.subject {
                                    Subject::Child(c) => c.to_string(),
                                    Subject::Worker(w) => w.to_string(),
                                },
                                name,
                                i.record.map(|r| r.0.to_string()).unwrap_or_default(),
                                i.date.to_string(),
                                i.num.to_string(),
                                i.den.to_string(),
                                i.value.map(|v| v.to_string()).unwrap_or_default(),
                                team_name(i.team),
                                worker_name(i.worker),
                            ]
                        })
                        .collect(),
                );
            }
            // The chart: the value, the trajectory and the benchmarks, period by period.
            let trend: Vec<Option<&Row>> = card.trend(&measure.id, scope);
            let pick = |f: &dyn Fn(&Row) -> Option<f64>| -> Vec<Option<f64>> {
                trend.iter().map(|r| r.and_then(f)).collect()
            };
            let mut series = value_and_trajectory(&measure.name, &trend);
            let neighbours = pick(&|r| r.benchmarks.as_ref().and_then(|b| b.neighbours_mean));
            if neighbours.iter().any(Option::is_some) {
                series.push(Series {
                    name: "Statistical neighbours (mean)".into(),
                    points: neighbours,
                    style: LineStyle::Benchmark(0),
                });
            }
            let england = pick(&|r| r.benchmarks.as_ref().and_then(|b| b.england));
            if england.iter().any(Option::is_some) {
                series.push(Series {
                    name: "England".into(),
                    points: england,
                    style: LineStyle::Benchmark(1),
                });
            }
            let labels: Vec<String> = card.periods.iter().map(|p| p.label()).collect();
            let chart = LineChart {
                title: &format!("{} for {}", measure.name, scope_label(m, scope)),
                labels: &labels,
                series: &series,
                unit,
            };
            // By team, from the card's rows for the period.
            let mut teams: Vec<_> = m
                .teams
                .values()
                .filter_map(|t| {
                    let r = card.row(&measure.id, Scope::Team(t.id), period)?;
                    Some((
                        format!(
                            "/measures/{}?period={period}&scope={}",
                            measure.id,
                            Scope::Team(t.id)
                        ),
                        t.name.clone(),
                        figure(r.numerator, ""),
                        figure(r.denominator, ""),
                        super::row_figure(Some(r), unit),
                    ))
                })
                .collect();
            teams.sort_by(|a, b| a.1.cmp(&b.1));
            // By worker, from the items.
            let mut by_worker: FxHashMap<Option<domain::WorkerId>, kpi::engine::Sums> =
                FxHashMap::default();
            for i in &drill.items {
                by_worker.entry(i.worker).or_default().add(i, true);
            }
            let mut workers: Vec<_> = by_worker
                .iter()
                .map(|(w, s)| {
                    let f = kpi::engine::figure(m, measure, period, false, s);
                    (
                        worker_name(*w),
                        figure(Some(s.num), ""),
                        figure(Some(s.den), ""),
                        figure(f.value, unit),
                    )
                })
                .collect();
            workers.sort();
            let shown = if names { LISTED } else { 0 };
            let listed = drill
                .items
                .iter()
                .take(shown)
                .map(|i| {
                    let (name, href) = subject(i.subject);
                    Listed {
                        name,
                        href,
                        date: i.date.format("%-d %b %Y").to_string(),
                        counted: counted(i),
                        team: team_name(i.team),
                        worker: worker_name(i.worker),
                    }
                })
                .collect();
            let left = drill
                .left
                .iter()
                .take(shown)
                .map(|l| {
                    let (name, href) = subject(l.subject);
                    (name, href, l.reason)
                })
                .collect();
            render(&Page {
                chrome: Chrome::new(Some(&who), Some(live), "/scorecard"),
                title: measure.name.clone(),
                error: false,
                message,
                id: &measure.id,
                measure,
                period_label: drilled.period_label.to_string(),
                scope_label: scope_label(m, scope),
                value: super::row_figure(Some(&drilled), unit),
                target: figure(drilled.target, unit),
                trajectory: figure(drilled.trajectory, unit),
                rag: rag_tag(drilled.rag),
                chart: chart.svg(),
                table: chart.table(),
                teams,
                workers,
                total: drill.items.len(),
                listed,
                left,
                names,
                csv_href: format!(
                    "/measures/{}?period={period}&scope={scope}&format=csv",
                    measure.id
                ),
            })
        })
        .await
}

/// A measure's figures and, where it has one, its trajectory, period by period, as a chart's
/// first two lines.
pub fn value_and_trajectory(name: &str, trend: &[Option<&Row>]) -> Vec<Series> {
    let pick = |f: &dyn Fn(&Row) -> Option<f64>| -> Vec<Option<f64>> {
        trend.iter().map(|r| r.and_then(f)).collect()
    };
    let mut series = vec![Series {
        name: name.to_string(),
        points: pick(&|r| r.value),
        style: LineStyle::Value,
    }];
    let trajectory = pick(&|r| r.trajectory);
    if trajectory.iter().any(Option::is_some) {
        series.push(Series {
            name: "Trajectory to target".into(),
            points: trajectory,
            style: LineStyle::Target,
        });
    }
    series
}

/// A scope in words.
pub fn scope_label(m: &domain::Model, scope: Scope) -> String {
    match scope {
        Scope::Council => "the whole council".into(),
        Scope::Service(s) => s.label().to_string(),
        Scope::Team(t) => m
            .teams
            .get(&t)
            .map_or_else(|| t.to_string(), |t| t.name.clone()),
        Scope::Worker(w) => m
            .workers
            .get(&w)
            .map_or_else(|| w.to_string(), |w| w.name.clone()),
    }
}
