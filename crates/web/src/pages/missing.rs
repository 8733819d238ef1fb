//! Missing and exploitation: the month's missing episodes and their return interviews, the
//! exploitation hub's referrals, and where and when children go missing or are screened for
//! exploitation, as heat maps by area and month.

use super::Ask;
use super::{Chrome, child_name, csv_download, period_from, render};
use crate::AppState;
use crate::chart::HeatMap;
use crate::permissions::{Can, needs};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use kpi::Period;
use std::collections::BTreeMap;

pub struct Episode {
    pub href: String,
    pub child: String,
    pub kind: &'static str,
    pub start: String,
    pub end: String,
    pub offered: String,
    pub held: String,
}

#[derive(Template)]
#[template(path = "missing.html")]
struct Page {
    chrome: Chrome,
    title: String,
    error: bool,
    message: Option<String>,
    period_text: String,
    period_label: String,
    episodes: Vec<Episode>,
    hub: Vec<(String, String, String, String)>,
    missing_map: String,
    missing_table: String,
    screening_map: String,
    screening_table: String,
}

/// Counts by area (rows) and period (columns) of the dates given for each child's area.
fn by_area_and_month(
    dates: impl Iterator<Item = (Option<String>, chrono::NaiveDate)>,
    periods: &[Period],
) -> (Vec<String>, Vec<Vec<f64>>) {
    let mut counts: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for (area, d) in dates {
        if let Some(k) = periods.iter().position(|p| p.first() <= d && d <= p.last()) {
            let row = counts
                .entry(area.unwrap_or_else(|| "Area not known".into()))
                .or_insert_with(|| vec![0.0; periods.len()]);
            row[k] += 1.0;
        }
    }
    counts.into_iter().unzip()
}

pub async fn page(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadChildren>,
    Query(ask): Query<Ask>,
) -> Response {
    let today = state.today();
    let (period, message) = period_from(ask.period.as_deref(), today);
    let csv = ask.csv();
    state
        .with_live(move |live| {
            let ix = live.index();
            let in_period = |d: chrono::NaiveDate| period.first() <= d && d <= period.last();
            let mut episodes: Vec<(chrono::NaiveDateTime, Episode)> = Vec::new();
            for c in &ix.missing {
                for e in c.missing.iter().filter(|e| in_period(e.start.date())) {
                    let stamp = |t: Option<chrono::NaiveDateTime>| {
                        t.map_or("–".to_string(), |t| t.format("%-d %b %H:%M").to_string())
                    };
                    episodes.push((
                        e.start,
                        Episode {
                            href: format!("/children/{}", c.id().0),
                            child: child_name(c),
                            kind: e.kind.label(),
                            start: stamp(Some(e.start)),
                            end: stamp(e.end),
                            offered: e.interview_offered.map_or(
                                "Not offered".into(),
                                |(t, accepted)| {
                                    format!(
                                        "{}, {}",
                                        t.format("%-d %b %H:%M"),
                                        if accepted { "accepted" } else { "declined" }
                                    )
                                },
                            ),
                            held: stamp(e.interview_held),
                        },
                    ));
                }
            }
            episodes.sort_by_key(|(t, _)| *t);
            let episodes: Vec<Episode> = episodes.into_iter().map(|(_, e)| e).collect();
            if csv {
                return csv_download(
                    &format!("missing-{period}.csv"),
                    &[
                        "child",
                        "kind",
                        "start",
                        "end",
                        "interview_offered",
                        "interview_held",
                    ],
                    episodes
                        .into_iter()
                        .map(|e| {
                            vec![
                                e.child,
                                e.kind.to_string(),
                                e.start,
                                e.end,
                                e.offered,
                                e.held,
                            ]
                        })
                        .collect(),
                );
            }
            let mut hub = Vec::new();
            for c in &ix.exploitation {
                for h in c.hub_referrals.iter().filter(|h| in_period(h.date)) {
                    hub.push((
                        format!("/children/{}", c.id().0),
                        child_name(c),
                        h.date.format("%-d %b %Y").to_string(),
                        if h.nrm {
                            "Referred to the National Referral Mechanism"
                        } else {
                            ""
                        }
                        .to_string(),
                    ));
                }
            }
            let periods = period.trend(crate::live::TREND);
            let columns: Vec<String> = periods.iter().map(Period::label).collect();
            let (rows, values) = by_area_and_month(
                ix.missing.iter().flat_map(|c| {
                    c.missing
                        .iter()
                        .map(|e| (c.details.area.clone(), e.start.date()))
                }),
                &periods,
            );
            let missing = HeatMap {
                title: "Missing episodes by area and month",
                rows: &rows,
                columns: &columns,
                values: &values,
            };
            let (srows, svalues) = by_area_and_month(
                ix.exploitation.iter().flat_map(|c| {
                    c.screenings
                        .iter()
                        .map(|s| (c.details.area.clone(), s.date))
                }),
                &periods,
            );
            let screening = HeatMap {
                title: "Exploitation screenings by area and month",
                rows: &srows,
                columns: &columns,
                values: &svalues,
            };
            render(&Page {
                chrome: Chrome::new(Some(&who), Some(live), "/missing"),
                title: "Missing and exploitation".into(),
                error: false,
                message,
                period_text: period.to_string(),
                period_label: period.label(),
                episodes,
                hub,
                missing_map: missing.svg(),
                missing_table: missing.table(),
                screening_map: screening.svg(),
                screening_table: screening.table(),
            })
        })
        .await
}
