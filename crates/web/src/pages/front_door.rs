//! The front door queue: every contact awaiting a decision, red first and then oldest first,
//! each with its clock to the one-working-day deadline.

use super::Ask;
use super::{Chrome, child_name, csv_download, render};
use crate::AppState;
use crate::permissions::{Can, needs};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use domain::codes::Rag;

pub struct Waiting {
    pub href: String,
    /// The form that decides this contact.
    pub decide: String,
    pub child: String,
    pub received: String,
    pub source: String,
    pub rag: Option<(&'static str, &'static str)>,
    pub deadline: String,
    pub clock: &'static str,
    pub clock_tag: &'static str,
    pub waited: String,
}

#[derive(Template)]
#[template(path = "front_door.html")]
struct Page {
    chrome: Chrome,
    title: String,
    error: bool,
    waiting: Vec<Waiting>,
    overdue: usize,
    may_register: bool,
    may_decide: bool,
}

/// The order of the queue: red, amber, green, then not yet rated.
fn rank(rag: Option<Rag>) -> u8 {
    match rag {
        Some(Rag::Red) => 0,
        Some(Rag::Amber) => 1,
        Some(Rag::Green) => 2,
        None => 3,
    }
}

pub async fn page(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadChildren>,
    Query(ask): Query<Ask>,
) -> Response {
    let (cal, today) = (state.cal, state.today());
    let now = if state.today.is_some() {
        today.and_hms_opt(17, 0, 0).expect("a valid time")
    } else {
        chrono::Local::now().naive_local()
    };
    let csv = ask.csv();
    let may_register = super::record::may_register(&who);
    let may_decide = who.role.may(crate::permissions::Power::Decide);
    state
        .with_live(move |live| {
            let mut open: Vec<_> = live
                .index()
                .contacts
                .iter()
                .filter(|(_, k, _)| k.decision.is_none() && k.received <= now)
                .collect();
            open.sort_by_key(|(_, k, _)| (rank(k.rag), k.received));
            let mut overdue = 0;
            let waiting: Vec<Waiting> = open
                .iter()
                .map(|(c, k, _)| {
                    let due = cal.add_working_days(k.received.date(), 1);
                    let (clock, clock_tag) = if due < today {
                        overdue += 1;
                        ("Overdue", "govuk-tag--red")
                    } else if due == today {
                        ("Due today", "govuk-tag--orange")
                    } else {
                        ("Due tomorrow or later", "govuk-tag--grey")
                    };
                    let hours = (now - k.received).num_hours();
                    Waiting {
                        href: format!("/children/{}", c.id().0),
                        decide: format!(
                            "/children/{}/record/contact_decided?contact={}",
                            c.id().0,
                            k.id.0
                        ),
                        child: child_name(c),
                        received: k.received.format("%-d %b %Y %H:%M").to_string(),
                        source: k.source.0.clone(),
                        rag: k.rag.map(|r| match r {
                            Rag::Red => ("govuk-tag--red", "Red"),
                            Rag::Amber => ("govuk-tag--yellow", "Amber"),
                            Rag::Green => ("govuk-tag--green", "Green"),
                        }),
                        deadline: format!("end of {}", due.format("%a %-d %b")),
                        clock,
                        clock_tag,
                        waited: if hours < 48 {
                            format!("{hours} hours")
                        } else {
                            format!("{} days", hours / 24)
                        },
                    }
                })
                .collect();
            if csv {
                return csv_download(
                    "front-door-queue.csv",
                    &[
                        "child", "received", "source", "rag", "deadline", "clock", "waited",
                    ],
                    waiting
                        .into_iter()
                        .map(|w| {
                            vec![
                                w.child,
                                w.received,
                                w.source,
                                w.rag.map(|r| r.1).unwrap_or("Not rated").to_string(),
                                w.deadline,
                                w.clock.to_string(),
                                w.waited,
                            ]
                        })
                        .collect(),
                );
            }
            render(&Page {
                chrome: Chrome::new(Some(&who), Some(live), "/front-door"),
                title: "Front door queue".into(),
                error: false,
                waiting,
                overdue,
                may_register,
                may_decide,
            })
        })
        .await
}
