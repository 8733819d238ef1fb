//! The workforce: by team, social workers, permanent and agency staff, caseloads and turnover,
//! from the same measures as the scorecard; and every social worker's caseload today.

use super::Ask;
use super::team::caseloads;
use super::{Chrome, csv_download, figure, render};
use crate::AppState;
use crate::permissions::{Can, needs};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use domain::codes::Employment;
use kpi::{Period, Scope};

pub struct TeamLine {
    pub href: String,
    pub name: String,
    pub social_workers: String,
    pub permanent: String,
    pub agency: String,
    pub caseload: String,
    pub turnover: String,
}

#[derive(Template)]
#[template(path = "workforce.html")]
struct Page {
    chrome: Chrome,
    title: String,
    error: bool,
    period_label: String,
    teams: Vec<TeamLine>,
    council: TeamLine,
    workers: Vec<(String, String, &'static str, String, usize)>,
}

pub async fn page(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadMeasures>,
    Query(ask): Query<Ask>,
) -> Response {
    let today = state.today();
    let period = Period::last_whole_month_before(today);
    let csv = ask.csv();
    state
        .with_card(period, move |live, card| {
            let m = live.model();
            let value = |id: &str, scope: Scope| {
                let unit = kpi::catalogue::measure(id).map_or("", |x| x.unit.as_str());
                figure(card.row(id, scope, period).and_then(|r| r.value), unit)
            };
            let fte = |scope: Scope| {
                figure(
                    card.row("WF-03", scope, period).and_then(|r| r.denominator),
                    "",
                )
            };
            let line = |href: String, name: String, scope: Scope| TeamLine {
                href,
                name,
                social_workers: fte(scope),
                permanent: value("WF-03b", scope),
                agency: value("WF-03", scope),
                caseload: value("WF-01", scope),
                turnover: value("WF-02", scope),
            };
            let teams: Vec<TeamLine> = m
                .teams
                .values()
                .filter(|t| card.row("WF-03", Scope::Team(t.id), period).is_some())
                .map(|t| {
                    line(
                        format!("/teams/{}", t.id.0),
                        t.name.clone(),
                        Scope::Team(t.id),
                    )
                })
                .collect();
            let council = line(
                "/workforce".into(),
                "The whole council".into(),
                Scope::Council,
            );
            let cases = caseloads(live, today, |a| a.worker);
            let mut workers: Vec<_> = m
                .workers
                .values()
                .filter_map(|w| {
                    let t = w
                        .terms_on(today)
                        .filter(|t| t.role.is_case_holding_social_worker())?;
                    Some((
                        w.name.clone(),
                        m.teams
                            .get(&t.team)
                            .map_or_else(String::new, |x| x.name.clone()),
                        if t.employment == Employment::Agency {
                            "Agency"
                        } else {
                            t.employment.label()
                        },
                        format!("{:.1}", t.fte),
                        cases.get(&w.id).copied().unwrap_or(0),
                    ))
                })
                .collect();
            workers.sort_by(|a, b| b.4.cmp(&a.4).then(a.0.cmp(&b.0)));
            if csv {
                return csv_download(
                    "workforce.csv",
                    &["worker", "team", "employment", "fte", "cases"],
                    workers
                        .into_iter()
                        .map(|(n, t, e, f, c)| vec![n, t, e.to_string(), f, c.to_string()])
                        .collect(),
                );
            }
            render(&Page {
                chrome: Chrome::new(Some(&who), Some(live), "/workforce"),
                title: "Workforce".into(),
                error: false,
                period_label: period.label(),
                teams,
                council,
                workers,
            })
        })
        .await
}
