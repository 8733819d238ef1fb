//! The Improvement Board's pack and the progress report to scrutiny, written from the plan and
//! the live measures for any date. Both are print-ready HTML (the stylesheet's print rules
//! break pages between priorities); either comes as a PDF where Chromium is installed. The same
//! functions write them for `hearth report board`.

use super::plan::{EvidenceView, chart_view, day, status_tag, worker_name};
use super::scorecard::rag_tag;
use super::{Ask, Chrome, Tag, figure};
use crate::AppState;
use crate::auth::SignedIn;
use crate::live::Live;
use crate::permissions::{Can, needs};
use crate::recording::fields::FieldError;
use crate::recording::plan::{self as recording, PlanRefused, is_lead};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use domain::calendar::Calendar;
use domain::events::PlanReportTextSet;
use domain::{EventBody, StreamId};
use kpi::Period;
use kpi::plan::Change;

/// How a document is being made: as a page of the site, or as a file that must stand alone
/// (its styles inside it, no menu).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Page,
    File,
}

fn chrome_for(who: Option<&SignedIn>, live: &Live, output: Output, here: &'static str) -> Chrome {
    match output {
        Output::Page => Chrome::new(who, Some(live), here),
        Output::File => Chrome {
            inline_css: Some(crate::assets::CSS),
            ..Chrome::new(None, Some(live), here)
        },
    }
}

pub struct ActionChange {
    pub href: String,
    pub text: String,
    pub owner: String,
    pub what: String,
}

pub struct MeasureMove {
    pub id: String,
    pub name: String,
    pub then: String,
    pub now: String,
    pub movement: &'static str,
    pub trajectory: String,
    pub target: String,
    pub rag: Tag,
    pub rag_then: Tag,
}

pub struct PackSection {
    pub number: u32,
    pub anchor: String,
    pub title: String,
    pub officer: String,
    pub rag: Tag,
    pub rag_then: Tag,
    pub reasons: Vec<String>,
    pub exception: bool,
    pub complete: usize,
    pub total: usize,
    pub overdue: usize,
    pub slipping: usize,
    pub completed: Vec<ActionChange>,
    pub slipped: Vec<ActionChange>,
    pub added: Vec<ActionChange>,
    pub updates: Vec<(String, String, &'static str, String)>,
    pub measures: Vec<MeasureMove>,
    pub charts: Vec<EvidenceView>,
}

pub struct OverdueLine {
    pub href: String,
    pub text: String,
    pub priority: String,
    pub owner: String,
    pub due: String,
    pub days: i64,
}

#[derive(Template)]
#[template(path = "board_pack.html")]
struct PackPage {
    chrome: Chrome,
    title: String,
    error: bool,
    council: String,
    plan_title: String,
    date: String,
    date_iso: String,
    period_label: String,
    board: String,
    since: Option<String>,
    since_period: Option<String>,
    decisions: Vec<String>,
    sections: Vec<PackSection>,
    overdue: Vec<OverdueLine>,
    red_measures: Vec<(String, String, String, String)>,
    completed_since: usize,
    slipped_since: usize,
    totals: kpi::plan::Counts,
    page: bool,
}

/// The date a document was asked for: today when none is given. A date that cannot be read
/// or is still to come is a message, not a failure.
pub fn date_from(asked: Option<&str>, today: NaiveDate) -> Result<NaiveDate, String> {
    match asked.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today),
        Some(text) => match text.parse::<NaiveDate>() {
            Ok(d) if d > today => Err(format!(
                "{text} is still to come: a pack can be written for today or an earlier day."
            )),
            Ok(d) => Ok(d),
            Err(_) => Err(format!("{text} is not a date: give it as 2026-03-31.")),
        },
    }
}

fn movement_rows(p: &kpi::plan::PackPriority<'_>) -> Vec<MeasureMove> {
    p.evidence
        .iter()
        .map(|e| {
            let unit = e.measure.unit.as_str();
            MeasureMove {
                id: e.measure.id.clone(),
                name: e.measure.name.clone(),
                then: figure(e.then.and_then(|r| r.value), unit),
                now: figure(e.now.and_then(|r| r.value), unit),
                movement: e.movement().label(),
                trajectory: figure(e.now.and_then(|r| r.trajectory), unit),
                target: figure(e.now.and_then(|r| r.target), unit),
                rag: rag_tag(e.rag()),
                rag_then: rag_tag(e.rag_then()),
            }
        })
        .collect()
}

/// Works out the pack for `date` from the scorecard for its month and hands it to `f` with the
/// card; a council without a plan is a message saying there is no `what` to write.
fn with_pack<T>(
    live: &Live,
    cal: &Calendar,
    date: NaiveDate,
    what: &str,
    f: impl FnOnce(&kpi::plan::Pack<'_>, &crate::live::Card) -> T,
) -> Result<T, String> {
    let m = live.model();
    if m.plan.starts.is_none() {
        return Err(format!(
            "{} has no improvement plan in Hearth, so there is no {what} to write.",
            m.council.name
        ));
    }
    let card = live.card(cal, date, Period::last_whole_month_before(date));
    let row = |id: &str, p: Period| card.row(id, kpi::Scope::Council, p);
    let pack = kpi::plan::pack(&m.plan, date, &card.periods, &row);
    Ok(f(&pack, &card))
}

/// The board pack for `date`, as HTML.
pub fn board_pack_html(
    live: &Live,
    cal: &Calendar,
    date: NaiveDate,
    who: Option<&SignedIn>,
    output: Output,
) -> Result<String, String> {
    with_pack(live, cal, date, "board pack", |pack, card| {
        write_pack(live, date, who, output, pack, card)
    })?
}

fn write_pack(
    live: &Live,
    date: NaiveDate,
    who: Option<&SignedIn>,
    output: Output,
    pack: &kpi::plan::Pack<'_>,
    card: &crate::live::Card,
) -> Result<String, String> {
    let m = live.model();
    let plan = &m.plan;
    let period = pack.period;
    let labels: Vec<String> = card.periods.iter().map(|p| p.label()).collect();
    let owner_of = |a: &domain::plan::Action| worker_name(m, a.owner);
    let change_line = |a: &domain::plan::Action, c: &Change| ActionChange {
        href: format!("/plan/actions/{}", a.id.0),
        text: a.text.clone(),
        owner: owner_of(a),
        what: c.describe(),
    };
    let mut completed_since = 0;
    let mut slipped_since = 0;
    let sections: Vec<PackSection> = pack
        .priorities
        .iter()
        .map(|p| {
            let mut completed = Vec::new();
            let mut slipped = Vec::new();
            let mut added = Vec::new();
            for (a, changes) in &p.actions {
                for c in changes {
                    match c {
                        Change::Completed { .. } => completed.push(change_line(a, c)),
                        Change::Added { .. } => added.push(change_line(a, c)),
                        _ => slipped.push(change_line(a, c)),
                    }
                }
            }
            completed_since += completed.len();
            slipped_since += slipped.len();
            let text_of = |id: domain::ids::ActionId| {
                plan.actions
                    .get(&id)
                    .map_or_else(String::new, |a| a.text.clone())
            };
            PackSection {
                number: p.priority.number,
                anchor: format!("priority-{}", p.priority.number),
                title: p.priority.title.clone(),
                officer: worker_name(m, p.priority.officer),
                rag: rag_tag(Some(p.rating.rag)),
                rag_then: p.rating_then.as_ref().and_then(|r| rag_tag(Some(r.rag))),
                reasons: p.rating.reasons.clone(),
                exception: p.is_exception(),
                complete: p.counts.complete,
                total: p.counts.total,
                overdue: p.counts.overdue,
                slipping: p.counts.slipping,
                completed,
                slipped,
                added,
                updates: p
                    .updates
                    .iter()
                    .map(|(id, u)| (day(u.at), text_of(*id), u.status.label(), u.note.clone()))
                    .collect(),
                measures: movement_rows(p),
                charts: p
                    .evidence
                    .iter()
                    .map(|e| {
                        chart_view(e.measure, &e.trend, &labels, e.now, e.measure.unit.as_str())
                    })
                    .collect(),
            }
        })
        .collect();
    let overdue = pack
        .overdue()
        .into_iter()
        .map(|a| OverdueLine {
            href: format!("/plan/actions/{}", a.id.0),
            text: a.text.clone(),
            priority: plan
                .priorities
                .get(&a.priority)
                .map_or_else(String::new, |p| format!("{}. {}", p.number, p.title)),
            owner: owner_of(a),
            due: day(a.due),
            days: a.days_overdue(date).unwrap_or(0),
        })
        .collect();
    let red_measures = pack
        .red_measures()
        .into_iter()
        .map(|(p, e)| {
            let unit = e.measure.unit.as_str();
            (
                format!("{} ({})", e.measure.name, e.measure.id),
                format!("{}. {}", p.number, p.title),
                figure(e.now.and_then(|r| r.value), unit),
                figure(e.now.and_then(|r| r.trajectory), unit),
            )
        })
        .collect();
    let decisions = pack
        .board
        .and_then(|b| b.meetings.iter().rfind(|x| x.date < date))
        .map(|x| x.decisions.clone())
        .unwrap_or_default();
    let page = PackPage {
        chrome: chrome_for(who, live, output, "/plan"),
        title: format!("Improvement Board pack, {}", day(date)),
        error: false,
        council: m.council.name.clone(),
        plan_title: plan.title.clone(),
        date: day(date),
        date_iso: date.to_string(),
        period_label: period.label(),
        board: pack
            .board
            .map_or_else(|| "The Improvement Board".to_string(), |b| b.name.clone()),
        since: pack.since.map(day),
        since_period: pack.since_period.map(|p| p.label()),
        decisions,
        sections,
        overdue,
        red_measures,
        completed_since,
        slipped_since,
        totals: pack.totals(),
        page: output == Output::Page,
    };
    page.render()
        .map_err(|e| format!("the pack did not render: {e}"))
}

pub struct ScrutinyPriority {
    pub number: u32,
    pub title: String,
    pub finding: String,
    pub needs_to_improve: Vec<String>,
    pub officer: String,
    pub rag: Tag,
    pub reasons: Vec<String>,
    pub done: Vec<String>,
    pub to_do: Vec<(String, String, (&'static str, String))>,
    pub measures: Vec<(String, String, String, String, Tag)>,
}

#[derive(Template)]
#[template(path = "scrutiny_report.html")]
struct ScrutinyPage {
    chrome: Chrome,
    title: String,
    error: bool,
    council: String,
    plan_title: String,
    date: String,
    date_iso: String,
    lead: String,
    summary: String,
    runs: String,
    period_label: String,
    boards: Vec<String>,
    priorities: Vec<ScrutinyPriority>,
    totals: kpi::plan::Counts,
    finance: Option<String>,
    human_resources: Option<String>,
    equality: Option<String>,
    written: Option<String>,
    workforce: Vec<(String, String, String, Tag)>,
    page: bool,
    /// The lead's form for the finance, HR and equality sections, on the page only.
    edit: Option<TextForm>,
}

pub struct TextForm {
    pub finance: String,
    pub human_resources: String,
    pub equality: String,
    pub version: u32,
    pub errors: Vec<FieldError>,
}

impl TextForm {
    /// The three sections: name, heading and text.
    pub fn sections(&self) -> [(&'static str, &'static str, &str); 3] {
        [
            ("finance", "Finance", &self.finance),
            (
                "human_resources",
                "Human resources and organisational development",
                &self.human_resources,
            ),
            ("equality", "Equality impact", &self.equality),
        ]
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.as_str())
    }
}

/// The progress report to scrutiny for `date`, as HTML.
pub fn scrutiny_html(
    live: &Live,
    cal: &Calendar,
    date: NaiveDate,
    who: Option<&SignedIn>,
    output: Output,
    typed: Option<TextForm>,
) -> Result<String, String> {
    with_pack(live, cal, date, "report", |pack, card| {
        write_scrutiny(live, date, who, output, typed, pack, card)
    })?
}

fn write_scrutiny(
    live: &Live,
    date: NaiveDate,
    who: Option<&SignedIn>,
    output: Output,
    typed: Option<TextForm>,
    pack: &kpi::plan::Pack<'_>,
    card: &crate::live::Card,
) -> Result<String, String> {
    let m = live.model();
    let plan = &m.plan;
    let period = pack.period;
    let row = |id: &str, p: Period| card.row(id, kpi::Scope::Council, p);
    let mut by_number: Vec<&kpi::plan::PackPriority<'_>> = pack.priorities.iter().collect();
    by_number.sort_by_key(|p| p.priority.number);
    let priorities = by_number
        .into_iter()
        .map(|p| {
            let mut done: Vec<(NaiveDate, String)> = p
                .actions
                .iter()
                .filter_map(|(a, _)| a.completed.map(|c| (c, a.text.clone())))
                .collect();
            done.sort();
            ScrutinyPriority {
                number: p.priority.number,
                title: p.priority.title.clone(),
                finding: p.priority.finding.clone(),
                needs_to_improve: p.priority.needs_to_improve.clone(),
                officer: worker_name(m, p.priority.officer),
                rag: rag_tag(Some(p.rating.rag)),
                reasons: p.rating.reasons.clone(),
                done: done
                    .into_iter()
                    .map(|(c, t)| format!("{t} (completed {})", day(c)))
                    .collect(),
                to_do: p
                    .actions
                    .iter()
                    .filter(|(a, _)| a.completed.is_none())
                    .map(|(a, _)| (a.text.clone(), day(a.due), status_tag(a, date)))
                    .collect(),
                measures: p
                    .evidence
                    .iter()
                    .map(|e| {
                        let unit = e.measure.unit.as_str();
                        let baseline = m
                            .council
                            .targets
                            .get(&e.measure.id)
                            .and_then(|t| t.baseline);
                        (
                            format!("{} ({})", e.measure.name, e.measure.id),
                            figure(baseline, unit),
                            figure(e.now.and_then(|r| r.value), unit),
                            figure(e.now.and_then(|r| r.target), unit),
                            rag_tag(e.rag()),
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let workforce = ["WF-01", "WF-02", "WF-03", "WF-03b"]
        .iter()
        .filter_map(|id| {
            let measure = kpi::catalogue::measure(id)?;
            let r = row(id, period);
            let unit = measure.unit.as_str();
            Some((
                measure.name.clone(),
                figure(r.and_then(|r| r.value), unit),
                figure(r.and_then(|r| r.target), unit),
                rag_tag(r.and_then(|r| r.rag)),
            ))
        })
        .collect();
    let text = plan.report_text.as_ref().filter(|t| t.at <= date);
    let edit = match (output, who) {
        (Output::Page, Some(w)) if is_lead(m, w) => Some(typed.unwrap_or_else(|| TextForm {
            finance: text.map_or_else(String::new, |t| t.finance.clone()),
            human_resources: text.map_or_else(String::new, |t| t.human_resources.clone()),
            equality: text.map_or_else(String::new, |t| t.equality.clone()),
            version: m.version(StreamId::Plan),
            errors: Vec::new(),
        })),
        _ => None,
    };
    let page = ScrutinyPage {
        chrome: chrome_for(who, live, output, "/plan"),
        title: format!("{}: progress report to scrutiny, {}", plan.title, day(date)),
        error: edit.as_ref().is_some_and(|e| !e.errors.is_empty()),
        council: m.council.name.clone(),
        plan_title: plan.title.clone(),
        date: day(date),
        date_iso: date.to_string(),
        lead: plan.lead.map_or_else(String::new, |w| worker_name(m, w)),
        summary: plan.summary.clone(),
        runs: match (plan.starts, plan.ends) {
            (Some(s), Some(e)) => format!("{} to {}", day(s), day(e)),
            _ => String::new(),
        },
        period_label: period.label(),
        boards: plan
            .boards
            .values()
            .map(|b| {
                let held = b.meetings.iter().filter(|x| x.date <= date).count();
                format!(
                    "{}, chaired by {}, meets every {} weeks; it has met {held} time{} so far.",
                    b.name,
                    worker_name(m, b.chair),
                    b.every_weeks,
                    if held == 1 { "" } else { "s" }
                )
            })
            .collect(),
        priorities,
        totals: pack.totals(),
        finance: text.map(|t| t.finance.clone()),
        human_resources: text.map(|t| t.human_resources.clone()),
        equality: text.map(|t| t.equality.clone()),
        written: text.map(|t| day(t.at)),
        workforce,
        page: output == Output::Page,
        edit,
    };
    page.render()
        .map_err(|e| format!("the report did not render: {e}"))
}

/// What writes a document: the pack or the report.
type Writer = fn(&Live, &Calendar, NaiveDate, Option<&SignedIn>, Output) -> Result<String, String>;

/// A document as the reader asked: the page, or a PDF of it as a file standing alone.
async fn respond(
    state: &AppState,
    who: SignedIn,
    ask: Ask,
    name: &'static str,
    make: Writer,
) -> Response {
    let today = state.today();
    let date = match date_from(ask.date.as_deref(), today) {
        Ok(d) => d,
        Err(message) => {
            return super::error_page_for(
                Some(&who),
                StatusCode::BAD_REQUEST,
                "There is a problem with the date",
                &message,
            );
        }
    };
    let pdf = ask.format.as_deref() == Some("pdf");
    let cal = state.cal;
    let output = if pdf { Output::File } else { Output::Page };
    let reader = who.clone();
    let made = state
        .from_live(move |live| make(live, cal, date, Some(&reader), output))
        .await;
    let html = match made {
        Some(Ok(html)) => html,
        Some(Err(message)) => {
            return super::error_page_for(
                Some(&who),
                StatusCode::NOT_FOUND,
                "There is nothing to report",
                &message,
            );
        }
        None => {
            return super::error_page_for(
                Some(&who),
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service",
                "The document could not be written. Try again later.",
            );
        }
    };
    if !pdf {
        return Html(html).into_response();
    }
    // Chromium takes a second or two: it runs with the model's lock let go.
    let printed = tokio::task::spawn_blocking(move || crate::pdf::html_to_pdf(&html)).await;
    match printed {
        Ok(Ok(bytes)) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}-{date}.pdf\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Ok(Err(e)) => super::error_page_for(
            Some(&who),
            StatusCode::SERVICE_UNAVAILABLE,
            "The PDF could not be made",
            &super::capital(&e.to_string()),
        ),
        Err(e) => {
            tracing::error!("printing a PDF failed: {e}");
            super::error_page_for(
                Some(&who),
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service",
                "The PDF could not be made. Try again later.",
            )
        }
    }
}

pub async fn board_pack(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadMeasures>,
    Query(ask): Query<Ask>,
) -> Response {
    if ask.csv() {
        let date = match date_from(ask.date.as_deref(), state.today()) {
            Ok(d) => d,
            Err(message) => {
                return super::error_page_for(
                    Some(&who),
                    StatusCode::BAD_REQUEST,
                    "There is a problem with the date",
                    &message,
                );
            }
        };
        let cal = state.cal;
        return state
            .with_live(move |live| board_pack_csv(live, cal, date))
            .await;
    }
    respond(&state, who, ask, "board-pack", board_pack_html).await
}

/// The pack's measures as CSV: each priority's measures at the last board and now.
fn board_pack_csv(live: &Live, cal: &Calendar, date: NaiveDate) -> Response {
    let written = with_pack(live, cal, date, "board pack", |pack, _| pack_rows(pack));
    match written {
        Ok(rows) => super::csv_download(
            &format!("board-pack-measures-{date}.csv"),
            &[
                "priority",
                "title",
                "rating",
                "rating_at_last_board",
                "measure",
                "name",
                "unit",
                "last_board_period",
                "at_last_board",
                "period",
                "now",
                "movement",
                "trajectory",
                "target",
                "against_trajectory",
            ],
            rows,
        ),
        Err(message) => super::not_found(&message),
    }
}

fn pack_rows(pack: &kpi::plan::Pack<'_>) -> Vec<Vec<String>> {
    let word = |r: Option<kpi::targets::Rag>| r.map_or("", |r| r.label()).to_string();
    let number = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    pack.priorities
        .iter()
        .flat_map(|p| {
            let (word, number) = (&word, &number);
            p.evidence.iter().map(move |e| {
                vec![
                    p.priority.number.to_string(),
                    p.priority.title.clone(),
                    word(Some(p.rating.rag)),
                    word(p.rating_then.as_ref().map(|r| r.rag)),
                    e.measure.id.clone(),
                    e.measure.name.clone(),
                    e.measure.unit.clone(),
                    pack.since_period.map(|q| q.to_string()).unwrap_or_default(),
                    number(e.then.and_then(|r| r.value)),
                    pack.period.to_string(),
                    number(e.now.and_then(|r| r.value)),
                    e.movement().label().to_string(),
                    number(e.now.and_then(|r| r.trajectory)),
                    number(e.now.and_then(|r| r.target)),
                    word(e.rag()),
                ]
            })
        })
        .collect()
}

pub async fn scrutiny_report(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadMeasures>,
    Query(ask): Query<Ask>,
) -> Response {
    respond(&state, who, ask, "scrutiny-report", |l, c, d, w, o| {
        scrutiny_html(l, c, d, w, o, None)
    })
    .await
}

/// The lead writes the report's finance, HR and equality sections.
pub async fn scrutiny_text(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadMeasures>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = match super::record::checked_form(&headers, &who, &body) {
        Ok(f) => f,
        Err(refused) => return *refused,
    };
    let get = |n: &str| -> String {
        form.get(n)
            .and_then(|v| v.first())
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let mut typed = TextForm {
        finance: get("finance"),
        human_resources: get("human_resources"),
        equality: get("equality"),
        version: get("version").parse().unwrap_or(0),
        errors: Vec::new(),
    };
    for (name, text) in [
        ("finance", &typed.finance),
        ("human_resources", &typed.human_resources),
        ("equality", &typed.equality),
    ] {
        if text.chars().count() > 10_000 {
            typed.errors.push(FieldError::new(
                name,
                "Keep each section to 10,000 characters or fewer",
            ));
        }
    }
    let today = state.today();
    if typed.errors.is_empty() {
        let body = EventBody::PlanReportTextSet(PlanReportTextSet {
            finance: typed.finance.clone(),
            human_resources: typed.human_resources.clone(),
            equality: typed.equality.clone(),
            at: today,
        });
        match recording::save(&state, &who, StreamId::Plan, typed.version, body).await {
            Ok(_) => return Redirect::to("/scrutiny-report#finance").into_response(),
            Err(PlanRefused::NotYours(why)) => {
                return super::error_page_for(
                    Some(&who),
                    StatusCode::FORBIDDEN,
                    "You cannot change this",
                    &format!("{why} Nothing was saved."),
                );
            }
            Err(PlanRefused::Invalid(errors)) => typed.errors = errors,
            Err(PlanRefused::Conflict { version, changes }) => {
                typed.version = version;
                typed.errors.push(FieldError::new(
                    "",
                    format!(
                        "Someone else changed the plan since you opened the page, so nothing of yours was saved: {}. Check the report, then save again.",
                        changes
                            .iter()
                            .map(super::record::describe)
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                ));
            }
            Err(PlanRefused::Unavailable(e)) => {
                tracing::error!("a save to the plan failed: {e}");
                return super::error_page_for(
                    Some(&who),
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Sorry, there is a problem with the service",
                    "Nothing was saved. Go back and try again in a few minutes.",
                );
            }
        }
    }
    let cal = state.cal;
    state
        .with_live(move |live| {
            let status = if typed.errors.iter().any(|e| e.field.is_empty()) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            match scrutiny_html(live, cal, today, Some(&who), Output::Page, Some(typed)) {
                Ok(html) => (status, Html(html)).into_response(),
                Err(message) => super::not_found(&message),
            }
        })
        .await
}
