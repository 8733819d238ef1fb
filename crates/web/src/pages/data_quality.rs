//! Data quality: this collection year's SSDA903 and CIN census, built from the records as they
//! stand and checked against every DfE rule, each failure by child, worker and team, so that
//! staff put it right while they record rather than in the weeks before the collection.

use super::{Chrome, child_name, csv_download, render};
use crate::AppState;
use crate::permissions::{Can, needs};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use returns::dq::Issue;
use std::collections::BTreeMap;

/// How many issues the page lists; the download has them all.
const SHOWN: usize = 500;

#[derive(serde::Deserialize, Default)]
pub struct Filter {
    /// A rule's code.
    pub rule: Option<String>,
    /// A team's or worker's number, taken as written: one that is not a number matches nothing
    /// and the page says so, rather than refusing the address.
    pub team: Option<String>,
    pub worker: Option<String>,
    /// `mine` for the signed-in worker's own children.
    pub show: Option<String>,
    pub format: Option<String>,
}

pub struct RuleLine {
    pub href: String,
    pub ret: &'static str,
    pub code: String,
    pub kind: &'static str,
    pub children: usize,
    pub message: String,
}

pub struct IssueLine {
    pub child_href: Option<String>,
    pub child: String,
    pub ret: &'static str,
    pub code: String,
    pub kind: &'static str,
    pub fields: String,
    pub message: String,
    pub worker: String,
    pub team: String,
}

#[derive(Template)]
#[template(path = "data_quality.html")]
struct Page {
    chrome: Chrome,
    title: String,
    error: bool,
    year: String,
    on: String,
    total: usize,
    errors: usize,
    filtered: Option<String>,
    rules: Vec<RuleLine>,
    teams: Vec<(String, String, usize)>,
    issues: Vec<IssueLine>,
    shown: usize,
    matching: usize,
    csv_href: String,
}

pub async fn page(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadChildren>,
    Query(filter): Query<Filter>,
) -> Response {
    let today = state.today();
    state
        .with_live(move |live| {
            let report = live.data_quality(today);
            let model = live.model();
            let worker_name = |i: &Issue| i.worker_name(model);
            let team_name = |i: &Issue| i.team_name(model);
            let mine = filter.show.as_deref() == Some("mine");
            let keep = |i: &Issue| {
                filter.rule.as_ref().is_none_or(|r| &i.code == r)
                    && filter
                        .team
                        .as_deref()
                        .is_none_or(|t| i.team.is_some_and(|x| x.0.to_string() == t.trim()))
                    && filter
                        .worker
                        .as_deref()
                        .is_none_or(|w| i.worker.is_some_and(|x| x.0.to_string() == w.trim()))
                    && (!mine || who.worker().is_some() && i.worker == who.worker())
            };
            let matching: Vec<&Issue> = report.issues.iter().filter(|i| keep(i)).collect();
            let line = |i: &Issue| {
                let child = i.child.and_then(|id| model.child(id));
                IssueLine {
                    child_href: child.map(|c| format!("/children/{}", c.id().0)),
                    child: child.map_or_else(
                        || {
                            i.la_child_id
                                .clone()
                                .unwrap_or_else(|| "The whole return".into())
                        },
                        child_name,
                    ),
                    ret: i.kind.label(),
                    code: i.code.clone(),
                    kind: if i.query { "Query" } else { "Error" },
                    fields: i.fields.join(", "),
                    message: i.message.clone(),
                    worker: worker_name(i),
                    team: team_name(i),
                }
            };
            if filter.format.as_deref() == Some("csv") {
                return csv_download(
                    &format!("data-quality-{}.csv", report.year_label().replace('/', "-")),
                    &[
                        "child", "return", "rule", "kind", "fields", "message", "worker", "team",
                    ],
                    matching
                        .iter()
                        .map(|i| {
                            let l = line(i);
                            vec![
                                l.child,
                                l.ret.to_owned(),
                                l.code,
                                l.kind.to_owned(),
                                l.fields,
                                l.message,
                                l.worker,
                                l.team,
                            ]
                        })
                        .collect(),
                );
            }
            let rules = report
                .by_rule()
                .into_iter()
                .map(|(i, n)| RuleLine {
                    href: format!("/data-quality?rule={}", i.code),
                    ret: i.kind.label(),
                    code: i.code.clone(),
                    kind: if i.query { "Query" } else { "Error" },
                    children: n,
                    message: i.message.clone(),
                })
                .collect();
            let mut teams: BTreeMap<String, (String, usize)> = BTreeMap::new();
            for i in &report.issues {
                let href = match i.team {
                    Some(t) => format!("/data-quality?team={}", t.0),
                    None => String::new(),
                };
                teams.entry(team_name(i)).or_insert((href, 0)).1 += 1;
            }
            let mut teams: Vec<(String, String, usize)> =
                teams.into_iter().map(|(n, (h, c))| (n, h, c)).collect();
            teams.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
            let filtered = if let Some(r) = &filter.rule {
                Some(format!("rule {r}"))
            } else if let Some(t) = &filter.team {
                let team = t
                    .trim()
                    .parse()
                    .ok()
                    .and_then(|n| model.teams.get(&domain::TeamId(n)));
                Some(
                    team.map_or(format!("team {t}, which is not a team's number"), |t| {
                        t.name.clone()
                    }),
                )
            } else if let Some(w) = &filter.worker {
                let worker = w
                    .trim()
                    .parse()
                    .ok()
                    .and_then(|n| model.workers.get(&domain::WorkerId(n)));
                Some(worker.map_or(format!("worker {w}, who is not known"), |w| w.name.clone()))
            } else if mine {
                Some("your children".into())
            } else {
                None
            };
            // The download asks for what the page shows, each answer encoded as typed.
            let asked: Vec<(&str, &str)> = [
                ("rule", filter.rule.as_deref()),
                ("team", filter.team.as_deref()),
                ("worker", filter.worker.as_deref()),
                ("show", mine.then_some("mine")),
                ("format", Some("csv")),
            ]
            .into_iter()
            .filter_map(|(k, v)| Some((k, v?)))
            .collect();
            let query = serde_urlencoded::to_string(asked).unwrap_or_default();
            let issues: Vec<IssueLine> = matching.iter().take(SHOWN).map(|i| line(i)).collect();
            render(&Page {
                chrome: Chrome::new(Some(&who), Some(live), "/data-quality"),
                title: format!("Data quality for the {} returns", report.year_label()),
                error: false,
                year: report.year_label(),
                on: report.on.format("%-d %B %Y").to_string(),
                total: report.issues.len(),
                errors: report.errors(),
                filtered,
                rules,
                teams,
                shown: issues.len(),
                matching: matching.len(),
                issues,
                csv_href: format!("/data-quality?{query}"),
            })
        })
        .await
}
