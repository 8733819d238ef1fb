//! The directorate scorecard: every measure's latest figure against its target, trajectory and
//! the published benchmarks, with its direction of travel and trend, grouped by the plan's
//! priorities or by Ofsted's judgement areas, for the council, a service or a team.

use super::Ask;
use super::{Chrome, csv_download, figure, period_from, render};
use crate::AppState;
use crate::live::Card;
use crate::permissions::{Can, needs};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use kpi::catalogue::{OFSTED_AREAS, PRIORITIES, Polarity};
use kpi::report::Row;
use kpi::{Period, Scope};

/// One measure's line on the scorecard.
pub struct Line {
    pub id: &'static str,
    pub name: &'static str,
    pub value: String,
    pub target: String,
    pub trajectory: String,
    /// The GOV.UK tag colour and the word.
    pub rag: Option<(&'static str, &'static str)>,
    pub travel: String,
    pub spark: String,
    pub neighbours: String,
    pub region: String,
    pub england: String,
    pub href: String,
}

pub struct Group {
    pub title: &'static str,
    pub lines: Vec<Line>,
}

#[derive(Template)]
#[template(path = "scorecard.html")]
struct Page {
    chrome: Chrome,
    title: String,
    error: bool,
    message: Option<String>,
    period_text: String,
    period_label: String,
    scope_text: String,
    scopes: Vec<(String, String)>,
    by_ofsted: bool,
    groups: Vec<Group>,
    csv_href: String,
}

pub fn rag_tag(rag: Option<kpi::targets::Rag>) -> Option<(&'static str, &'static str)> {
    use kpi::targets::Rag;
    rag.map(|r| match r {
        Rag::Green => ("govuk-tag--green", "Green"),
        Rag::Amber => ("govuk-tag--yellow", "Amber"),
        Rag::Red => ("govuk-tag--red", "Red"),
    })
}

/// Which way a figure moved since the period before, and whether that is better.
pub fn travel(now: Option<&Row>, before: Option<&Row>, polarity: Polarity) -> String {
    let (Some(a), Some(b)) = (now.and_then(|r| r.value), before.and_then(|r| r.value)) else {
        return "–".to_string();
    };
    let d = a - b;
    if d.abs() < 0.05 {
        return "No change".to_string();
    }
    let way = if d > 0.0 { "Up" } else { "Down" };
    let judged = match polarity {
        Polarity::Contextual => "",
        Polarity::Higher if d > 0.0 => " (better)",
        Polarity::Lower if d < 0.0 => " (better)",
        _ => " (worse)",
    };
    format!("{way} {:.1}{judged}", d.abs())
}

/// The scopes a page can be cut to: the council, each service with teams, each team.
pub fn scope_choices(model: &domain::Model) -> Vec<(String, String)> {
    let mut out = vec![("la".to_string(), "The whole council".to_string())];
    let mut services: Vec<_> = model.teams.values().map(|t| t.service).collect();
    services.sort();
    services.dedup();
    for s in services {
        out.push((
            Scope::Service(s).to_string(),
            format!("Service: {}", s.label()),
        ));
    }
    for t in model.teams.values().filter(|t| t.closed.is_none()) {
        out.push((Scope::Team(t.id).to_string(), format!("Team: {}", t.name)));
    }
    out
}

pub fn lines(card: &Card, scope: Scope, period: Period, query: &str) -> Vec<(&'static str, Line)> {
    let before = period.previous();
    kpi::catalogue()
        .iter()
        .map(|m| {
            let row = card.row(&m.id, scope, period);
            let unit = m.unit.as_str();
            let points: Vec<Option<f64>> = card
                .trend(&m.id, scope)
                .iter()
                .map(|r| r.and_then(|r| r.value))
                .collect();
            let bench = row.and_then(|r| r.benchmarks.as_ref());
            let line = Line {
                id: &m.id,
                name: &m.name,
                value: super::row_figure(row, unit),
                target: figure(row.and_then(|r| r.target), unit),
                trajectory: figure(row.and_then(|r| r.trajectory), unit),
                rag: rag_tag(row.and_then(|r| r.rag)),
                travel: travel(row, card.row(&m.id, scope, before), m.polarity),
                spark: crate::chart::sparkline(&points, &m.name),
                neighbours: figure(bench.and_then(|b| b.neighbours_mean), unit),
                region: figure(bench.and_then(|b| b.region), unit),
                england: figure(bench.and_then(|b| b.england), unit),
                href: format!("/measures/{}?{query}", m.id),
            };
            (m.id.as_str(), line)
        })
        .collect()
}

pub async fn page(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadMeasures>,
    Query(ask): Query<Ask>,
) -> Response {
    let today = state.today();
    let (period, mut message) = period_from(ask.period.as_deref(), today);
    let by_ofsted = ask.group.as_deref() == Some("ofsted");
    let csv = ask.csv();
    state
        .with_card(period, move |l, card| {
            let scope = super::scope_from(l.model(), ask.scope.as_deref(), &mut message);
            let query = format!("period={period}&scope={scope}");
            let mut lines = lines(card, scope, period, &query);
            if csv {
                return csv_download(
                    &format!("scorecard-{period}-{scope}.csv").replace(':', "-"),
                    &[
                        "measure",
                        "name",
                        "value",
                        "target",
                        "trajectory",
                        "rag",
                        "direction",
                        "neighbours",
                        "region",
                        "england",
                    ],
                    lines
                        .into_iter()
                        .map(|(_, l)| {
                            vec![
                                l.id.to_string(),
                                l.name.to_string(),
                                l.value,
                                l.target,
                                l.trajectory,
                                l.rag.map(|r| r.1).unwrap_or("").to_string(),
                                l.travel,
                                l.neighbours,
                                l.region,
                                l.england,
                            ]
                        })
                        .collect(),
                );
            }
            let groups_of: &[(&str, &str)] = if by_ofsted { OFSTED_AREAS } else { PRIORITIES };
            let mut groups = Vec::new();
            for (key, title) in groups_of {
                let mine: Vec<Line> = extract(&mut lines, |id| {
                    let m = kpi::catalogue::measure(id).expect("from the catalogue");
                    if by_ofsted {
                        m.ofsted_area == *key
                    } else {
                        m.priority.as_deref() == Some(*key)
                    }
                });
                if !mine.is_empty() {
                    groups.push(Group { title, lines: mine });
                }
            }
            if !lines.is_empty() {
                groups.push(Group {
                    title: "Other measures",
                    lines: lines.into_iter().map(|(_, l)| l).collect(),
                });
            }
            render(&Page {
                chrome: Chrome::new(Some(&who), Some(l), "/scorecard"),
                title: "Scorecard".to_string(),
                error: false,
                message,
                period_text: period.to_string(),
                period_label: period.label(),
                scopes: scope_choices(l.model()),
                scope_text: scope.to_string(),
                by_ofsted,
                groups,
                csv_href: format!("/scorecard?{query}&format=csv"),
            })
        })
        .await
}

/// Takes out of `lines` those whose id matches, keeping the rest in order.
fn extract<T>(lines: &mut Vec<(&'static str, T)>, wanted: impl Fn(&str) -> bool) -> Vec<T> {
    let mut taken = Vec::new();
    let mut kept = Vec::new();
    for (id, l) in lines.drain(..) {
        if wanted(id) {
            taken.push(l);
        } else {
            kept.push((id, l));
        }
    }
    *lines = kept;
    taken
}
