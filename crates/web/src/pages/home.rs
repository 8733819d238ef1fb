//! Each role's home page: what that person needs first when they sign in.

use super::{Chrome, child_name, render};
use crate::AppState;
use crate::auth::{Role, SignedIn};
use crate::live::Live;
use crate::permissions::Power;
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use kpi::clocks::{self, ClockStatus, Owner};
use kpi::targets::Rag;
use kpi::{Period, Scope};

/// A clock as a worklist shows it.
pub struct ClockLine {
    pub child: String,
    pub href: String,
    pub what: &'static str,
    pub due: String,
    pub status: &'static str,
    pub tag: &'static str,
}

pub fn clock_lines(live: &Live, list: &[clocks::Clock]) -> Vec<ClockLine> {
    let m = live.model();
    list.iter()
        .map(|c| ClockLine {
            child: m
                .child(c.child)
                .map_or_else(|| c.child.to_string(), child_name),
            href: format!("/children/{}", c.child.0),
            what: c.kind.label(),
            due: c.due.format("%-d %b %Y").to_string(),
            status: c.status.label(),
            tag: match c.status {
                ClockStatus::Overdue => "govuk-tag--red",
                ClockStatus::DueToday => "govuk-tag--orange",
                ClockStatus::DueSoon => "govuk-tag--yellow",
                ClockStatus::Later => "govuk-tag--grey",
            },
        })
        .collect()
}

#[derive(Template)]
#[template(path = "home.html")]
struct Page {
    chrome: Chrome,
    title: String,
    error: bool,
    role: &'static str,
    intro: String,
    /// Clocks for a worker or team, soonest first.
    clocks: Vec<ClockLine>,
    clocks_title: String,
    /// Measures rated red and amber for the council, worst first.
    exceptions: Vec<(String, String, String, &'static str, &'static str)>,
    links: Vec<(String, String)>,
}

pub async fn page(State(state): State<AppState>, who: SignedIn) -> Response {
    let today = state.today();
    let (cal, role) = (state.cal, who.role);
    let wants_card = matches!(
        role,
        Role::ServiceManager | Role::Director | Role::PerformanceOfficer | Role::BoardMember
    );
    let period = Period::last_whole_month_before(today);
    state
        .with_live(move |live| {
            let m = live.model();
            let mut clocks_title = String::new();
            let mut list = Vec::new();
            let mut links = vec![("/scorecard".to_string(), "The scorecard".to_string())];
            let intro = match role {
                Role::Practitioner => match who.worker() {
                    Some(w) => {
                        clocks_title = "Your worklist".into();
                        list = clocks::worklist_indexed(m, live.index(), cal, today, Owner::Worker(w), 5);
                        list.retain(|c| c.status != ClockStatus::Later);
                        "What is overdue and due in the next five working days for the children you hold.".into()
                    }
                    None => "Your account is not linked to a worker record, so there is no caseload to show.".into(),
                },
                Role::TeamManager => match who.team() {
                    Some(t) => {
                        clocks_title = "Your team's overdue and due work".into();
                        list = clocks::worklist_indexed(m, live.index(), cal, today, Owner::Team(t), 2);
                        list.retain(|c| c.status != ClockStatus::Later);
                        links.insert(0, (format!("/teams/{}", t.0), "Your team's dashboard".into()));
                        "Your team's clocks that are overdue or due within two working days.".into()
                    }
                    None => "Your account is not linked to a team.".into(),
                },
                Role::Iro => {
                    clocks_title = "Reviews overdue and due in the next ten working days".into();
                    list = clocks::worklist(m, cal, today, Owner::All, 10);
                    list.retain(|c| {
                        matches!(c.kind, clocks::ClockKind::CpReview | clocks::ClockKind::ClaReview)
                            && c.status != ClockStatus::Later
                    });
                    "Child protection conferences and looked-after reviews coming up.".into()
                }
                Role::PartnerAgency => {
                    "Tell the council's front door about a child you are worried about, and follow what became of the contacts you sent. If a child is at immediate risk, call the police on 999.".into()
                }
                Role::Administrator => {
                    "Keep the staff list and teams up to date, and see who opened which records. Users and their roles are managed with the hearth user command.".into()
                }
                _ => "How the council is doing against its improvement plan.".into(),
            };
            links.push(("/front-door".into(), "The front door queue".into()));
            if m.plan.starts.is_some() {
                links.push(("/plan".into(), "The improvement plan".into()));
                links.push(("/board-pack".into(), "The Improvement Board's pack".into()));
                if who.worker().is_some_and(|w| m.plan.actions.values().any(|a| a.owner == w)) {
                    links.push(("/plan/my-actions".into(), "Your actions in the plan".into()));
                }
            }
            // Each link only for those whose role may open it; partner agencies see only their
            // own submissions, never the council's lists.
            links.retain(|(href, _)| match href.as_str() {
                "/front-door" => role.may(Power::ReadChildren),
                h if h.starts_with("/teams/") => role.may(Power::ReadChildren),
                _ => role.may(Power::ReadMeasures),
            });
            if role.may(Power::ManageStaff) {
                links.push(("/staff".into(), "Staff and teams".into()));
            }
            if role.may(Power::ReadAccessLog) {
                links.push(("/access-log".into(), "The access log".into()));
            }
            if role.may(Power::SeeImports) {
                links.push(("/imports".into(), "Imports from the case system".into()));
            }
            if role.may(Power::SubmitContact) {
                links.push(("/contacts/new".into(), "Tell us about a child".into()));
                links.push(("/contacts".into(), "The contacts you have sent".into()));
            }
            let exceptions = if wants_card {
                let card = live.card(cal, today, period);
                let mut out: Vec<_> = kpi::catalogue()
                    .iter()
                    .filter_map(|msr| {
                        let r = card.row(&msr.id, Scope::Council, period)?;
                        let rag = r.rag.filter(|r| *r != Rag::Green)?;
                        Some((
                            rag,
                            (
                                format!("/measures/{}", msr.id),
                                msr.name.clone(),
                                format!(
                                    "{} against {}",
                                    super::figure(r.value, &msr.unit),
                                    super::figure(r.trajectory.or(r.target), &msr.unit)
                                ),
                                match rag {
                                    Rag::Red => "govuk-tag--red",
                                    _ => "govuk-tag--yellow",
                                },
                                rag.label(),
                            ),
                        ))
                    })
                    .collect();
                out.sort_by_key(|(rag, _)| *rag);
                out.into_iter().map(|(_, l)| l).collect()
            } else {
                Vec::new()
            };
            let role_label = role.label();
            render(&Page {
                chrome: Chrome::new(Some(&who), Some(live), "/"),
                title: format!("Home: {role_label}"),
                error: false,
                role: role_label,
                intro,
                clocks: clock_lines(live, &list),
                clocks_title,
                exceptions,
                links,
            })
        })
        .await
}
