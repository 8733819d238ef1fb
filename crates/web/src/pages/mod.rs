//! The pages, one module each, and what they share: the page's frame (header, menu, who is
//! signed in), error pages, and reading a period or scope from a query string.

pub mod access_log;
pub mod board;
pub mod child;
pub mod data_quality;
pub mod front_door;
pub mod home;
pub mod imports;
pub mod measure;
pub mod missing;
pub mod plan;
pub mod record;
pub mod scorecard;
pub mod sign_in;
pub mod staff;
pub mod team;
pub mod workforce;

use crate::auth::{Role, SignedIn};
use crate::live::Live;
use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use kpi::Period;

/// A GOV.UK tag's colour class and its word, such as ("govuk-tag--red", "Red").
pub type Tag = Option<(&'static str, &'static str)>;

/// What every page's frame shows.
pub struct Chrome {
    pub css: &'static str,
    /// The stylesheet itself, for a document saved as a file that must stand alone.
    pub inline_css: Option<&'static str>,
    pub council: Option<String>,
    /// Who is signed in, as shown: "A Smith (Social worker)".
    pub user: Option<String>,
    pub nav: Vec<(&'static str, &'static str)>,
    /// The menu entry this page is under.
    pub here: &'static str,
    /// What the page's forms carry back (empty when nobody is signed in).
    pub form_token: String,
}

impl Chrome {
    pub fn new(who: Option<&SignedIn>, live: Option<&Live>, here: &'static str) -> Self {
        let council = live
            .map(|l| l.model().council.name.clone())
            .filter(|n| !n.is_empty());
        Chrome {
            css: crate::assets::CSS_PATH,
            inline_css: None,
            council,
            user: who.map(|w| format!("{} ({})", w.user.name, w.role.label())),
            nav: who.map(|w| menu(w.role)).unwrap_or_default(),
            here,
            form_token: who.map(|w| w.form_token.clone()).unwrap_or_default(),
        }
    }
}

/// The menu: each entry shown only to roles with the power its page needs.
fn menu(role: Role) -> Vec<(&'static str, &'static str)> {
    use crate::permissions::Power;
    [
        ("/", "Home", None),
        ("/scorecard", "Scorecard", Some(Power::ReadMeasures)),
        ("/front-door", "Front door", Some(Power::ReadChildren)),
        ("/teams", "Teams", Some(Power::ReadChildren)),
        (
            "/missing",
            "Missing and exploitation",
            Some(Power::ReadChildren),
        ),
        ("/workforce", "Workforce", Some(Power::ReadMeasures)),
        ("/plan", "Improvement plan", Some(Power::ReadMeasures)),
        ("/data-quality", "Data quality", Some(Power::ReadChildren)),
        (
            "/contacts/new",
            "Submit a contact",
            Some(Power::SubmitContact),
        ),
    ]
    .into_iter()
    .filter(|(_, _, power)| power.is_none_or(|p| role.may(p)))
    .map(|(href, label, _)| (href, label))
    .collect()
}

/// A page, or the error page if its template fails.
pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!("a page did not render: {e}");
            error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service",
                "The page could not be shown. Try again later.",
            )
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: Chrome,
    title: &'a str,
    message: &'a str,
    error: bool,
}

pub fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    error_page_for(None, status, title, message)
}

/// An error page in the frame of whoever is signed in, so they can go on from it.
pub fn error_page_for(
    who: Option<&SignedIn>,
    status: StatusCode,
    title: &str,
    message: &str,
) -> Response {
    let page = ErrorPage {
        chrome: Chrome::new(who, None, ""),
        title,
        message,
        error: false,
    };
    let html = page.render().unwrap_or_else(|_| title.to_string());
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

pub fn not_found(what: &str) -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        "Page not found",
        &format!("{what} If you typed the web address, check it is correct."),
    )
}

/// Text with its first letter a capital: "date of birth" reads "Date of birth".
pub fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Percent-encodes text for a query string.
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// What a page's query string may ask: a period, a scope, how to group, a kind of event, or the
/// list as CSV (`format=csv`). Each page reads the parts it knows.
#[derive(serde::Deserialize, Default)]
pub struct Ask {
    pub period: Option<String>,
    pub scope: Option<String>,
    pub group: Option<String>,
    pub kind: Option<String>,
    pub format: Option<String>,
    /// The stage just saved, for the confirmation above the record.
    pub saved: Option<String>,
    /// The day a report is written for (`2026-03-31`).
    pub date: Option<String>,
}

impl Ask {
    pub fn csv(&self) -> bool {
        self.format.as_deref() == Some("csv")
    }
}

/// Adds a message for the page to show, after any already there.
pub fn tell(message: &mut Option<String>, more: String) {
    *message = Some(match message.take() {
        Some(m) => format!("{m} {more}"),
        None => more,
    });
}

/// The scope a page asked for: the whole council when none is given, or when it names no
/// service, team or worker the council has (with a message saying so).
pub fn scope_from(
    model: &domain::Model,
    asked: Option<&str>,
    message: &mut Option<String>,
) -> kpi::Scope {
    let text = asked
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("la");
    match text.parse::<kpi::Scope>() {
        Ok(s) if in_model(model, s) => s,
        _ => {
            tell(
                message,
                format!("There is no scope called {text}: showing the whole council."),
            );
            kpi::Scope::Council
        }
    }
}

/// Whether a scope names a team, service or worker the council has.
pub fn in_model(model: &domain::Model, scope: kpi::Scope) -> bool {
    use kpi::Scope;
    match scope {
        Scope::Council => true,
        Scope::Team(t) => model.teams.contains_key(&t),
        Scope::Service(s) => model.teams.values().any(|t| t.service == s),
        Scope::Worker(w) => model.workers.contains_key(&w),
    }
}

/// The period a page asked for: the last whole month when none is given. A period that cannot
/// be read, or has not begun, is a message for the page, not a failure.
pub fn period_from(asked: Option<&str>, today: chrono::NaiveDate) -> (Period, Option<String>) {
    let default = Period::last_whole_month_before(today);
    match asked.map(str::trim).filter(|s| !s.is_empty()) {
        None => (default, None),
        Some(text) => match text.parse::<Period>() {
            Ok(p) if p.first() > today => (
                default,
                Some(format!(
                    "{text} has not begun yet: showing {} instead.",
                    default.label()
                )),
            ),
            Ok(p) => (p, None),
            Err(e) => (
                default,
                Some(format!("{e}. Showing {} instead.", default.label())),
            ),
        },
    }
}

/// A figure as shown: one decimal place where it has one, with its unit.
pub fn figure(value: Option<f64>, unit: &str) -> String {
    match value {
        None => "–".to_string(),
        Some(v) => {
            let n = if v.fract() == 0.0 {
                format!("{v:.0}")
            } else {
                format!("{v:.1}")
            };
            match unit {
                "%" => format!("{n}%"),
                "" | "count" | "children" => n,
                u => format!("{n} {u}"),
            }
        }
    }
}

/// A measure's figure as shown, or why it has none where its source does not carry it.
pub fn row_figure(row: Option<&kpi::report::Row>, unit: &str) -> String {
    match row {
        Some(r) if r.no_value == Some(kpi::engine::NOT_AVAILABLE) => {
            "Not available from this source".to_string()
        }
        _ => figure(row.and_then(|r| r.value), unit),
    }
}

/// A list as CSV, for the download link every list has.
pub fn csv_download(filename: &str, header: &[&str], rows: Vec<Vec<String>>) -> Response {
    let mut w = csv::Writer::from_writer(Vec::new());
    let written = w
        .write_record(header)
        .and_then(|()| rows.iter().try_for_each(|r| w.write_record(r)));
    match written
        .map_err(|e| e.to_string())
        .and_then(|()| w.into_inner().map_err(|e| e.to_string()))
    {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{filename}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!("could not write a CSV download: {e}");
            error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Sorry, there is a problem with the service",
                "The download could not be made.",
            )
        }
    }
}

/// A child's name as staff see it, or their council identifier when no name is recorded.
/// How a child is named in lists: a restricted record by its number only, so that its name is
/// seen only by those who may open it.
pub fn child_name(c: &domain::model::Child) -> String {
    if c.restricted.is_some() {
        return format!("Restricted record {}", c.id().0);
    }
    real_name(c)
}

/// The child's name, for pages only those who may open the record reach.
pub fn real_name(c: &domain::model::Child) -> String {
    let d = &c.details;
    let name = format!("{} {}", d.given_name, d.family_name);
    if name.trim().is_empty() {
        format!("Child {}", d.la_child_id)
    } else {
        name.trim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_or_future_period_is_a_message_and_the_last_month_is_shown() {
        let today = chrono::NaiveDate::from_ymd_opt(2025, 3, 12).unwrap();
        let (p, msg) = period_from(Some("2025-13"), today);
        assert_eq!(p.to_string(), "2025-02");
        assert!(msg.unwrap().contains("2025-13"));
        let (p, msg) = period_from(Some("2026-01"), today);
        assert_eq!(p.to_string(), "2025-02");
        assert!(msg.unwrap().contains("has not begun"));
        assert_eq!(period_from(Some("2024-Q4"), today).0.to_string(), "2024-Q4");
        assert_eq!(period_from(None, today), (p, None));
    }

    #[test]
    fn figures_show_their_unit() {
        assert_eq!(figure(Some(81.26), "%"), "81.3%");
        assert_eq!(figure(Some(12.0), ""), "12");
        assert_eq!(figure(None, "%"), "–");
        assert_eq!(figure(Some(3.5), "days"), "3.5 days");
    }

    #[test]
    fn query_text_is_escaped() {
        assert_eq!(
            query_escape("/measures/FD-01?period=2025-01&x=a b"),
            "/measures/FD-01%3Fperiod%3D2025-01%26x%3Da%20b"
        );
    }
}
