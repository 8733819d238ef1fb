//! The demonstration council's improvement plan, from `data/improvement_plan.json`: its nine
//! priorities, their actions and how each went, and the boards that oversee it. The plan runs
//! over the last twelve months of the history, from the same baseline month as its targets.

use crate::Sim;
use crate::rng::hashed;
use chrono::{Datelike, Duration, Months, NaiveDate};
use domain::codes::{ActionStatus, BoardKind, OfstedArea, Strand, WorkerRole};
use domain::events::*;
use domain::ids::{ActionId, BoardId, PriorityId};
use domain::{Event, RecordId, StreamId, WorkerId};
use serde::Deserialize;

const PLAN: &str = include_str!("../data/improvement_plan.json");

#[derive(Deserialize)]
struct PlanData {
    title: String,
    summary: String,
    priorities: Vec<PriorityData>,
    report_text: ReportTextData,
}

#[derive(Deserialize)]
struct ReportTextData {
    finance: String,
    human_resources: String,
    equality: String,
}

#[derive(Deserialize)]
struct PriorityData {
    key: String,
    number: u32,
    title: String,
    ofsted_finding: String,
    needs_to_improve: Vec<String>,
    responsible_role: String,
    ofsted_areas: Vec<String>,
    measures: Vec<String>,
    actions: Vec<ActionData>,
}

#[derive(Deserialize)]
struct ActionData {
    strand: String,
    text: String,
    owner_role: String,
    due_month: u32,
    completed_month: Option<u32>,
    /// For an action not done by its date: when its owner agreed a recovery date with the
    /// board, and the month of that date (months after the baseline).
    recovery: Option<Recovery>,
}

#[derive(Deserialize)]
struct Recovery {
    agreed_month: u32,
    due_month: u32,
}

/// A plan event waiting to be recorded, by date.
struct Planned {
    at: NaiveDate,
    stream: StreamId,
    body: EventBody,
}

impl<S: FnMut(Event)> Sim<'_, S> {
    /// Records the plan, its progress and its boards' meetings. Everything is dated from the
    /// plan's baseline to the end of the history; the recorder holds each until its day.
    pub(crate) fn seed_plan(&mut self) {
        let data: PlanData =
            serde_json::from_str(PLAN).expect("the demonstration plan's data is well formed");
        let end = self.opts.end;
        let this_month = NaiveDate::from_ymd_opt(end.year(), end.month(), 1).expect("first");
        let baseline = this_month - Months::new(12);
        // The last day of the month `n` months after the baseline.
        let month_end = |n: u32| baseline + Months::new(n + 1) - Duration::days(1);
        let directors = self.org.in_post(WorkerRole::Director).to_vec();
        let heads = self.org.in_post(WorkerRole::HeadOfService).to_vec();
        let Some(&director) = directors.first() else {
            return;
        };
        if heads.is_empty() {
            return;
        }
        // Officers by the role the plan names: the director for the directorate's own posts,
        // otherwise one of the heads of service, the same one for the same role.
        let officer = |role: &str| -> WorkerId {
            if role.contains("Director") || role.contains("Chief Executive") {
                director
            } else {
                let h = hashed(7, &role.bytes().map(u64::from).collect::<Vec<_>>());
                heads[(h % heads.len() as u64) as usize]
            }
        };
        let seed = self.opts.seed;
        let mut planned = vec![Planned {
            at: baseline,
            stream: StreamId::Plan,
            body: PlanStarted {
                title: data.title.clone(),
                summary: data.summary.clone(),
                lead: director,
                starts: baseline,
                ends: month_end(12),
                at: baseline,
            }
            .into(),
        }];
        // The lead writes the scrutiny report's finance, HR and equality sections a month in.
        let written = baseline + Months::new(1);
        planned.push(Planned {
            at: written,
            stream: StreamId::Plan,
            body: PlanReportTextSet {
                finance: data.report_text.finance.clone(),
                human_resources: data.report_text.human_resources.clone(),
                equality: data.report_text.equality.clone(),
                at: written,
            }
            .into(),
        });
        let mut next_action = 0;
        let mut actions: Vec<(ActionId, NaiveDate, Option<NaiveDate>)> = Vec::new();
        for p in &data.priorities {
            let priority = PriorityId(p.number);
            planned.push(Planned {
                at: baseline,
                stream: StreamId::Priority(priority),
                body: PriorityAdded {
                    priority,
                    number: p.number,
                    key: p.key.clone(),
                    title: p.title.clone(),
                    finding: p.ofsted_finding.clone(),
                    needs_to_improve: p.needs_to_improve.clone(),
                    officer: officer(&p.responsible_role),
                    ofsted_areas: p
                        .ofsted_areas
                        .iter()
                        .filter_map(|a| OfstedArea::from_code(a))
                        .collect(),
                    measures: p.measures.clone(),
                    at: baseline,
                }
                .into(),
            });
            for a in &p.actions {
                next_action += 1;
                let action = ActionId(next_action);
                let stream = StreamId::Action(action);
                let due = month_end(a.due_month);
                let h = hashed(seed, &[u64::from(next_action)]);
                let mut push = |at: NaiveDate, body: EventBody| {
                    planned.push(Planned {
                        at: at.min(end),
                        stream,
                        body,
                    })
                };
                push(
                    baseline,
                    ActionAdded {
                        action,
                        priority,
                        strand: Strand::from_code(&a.strand).unwrap_or(Strand::Practice),
                        text: a.text.clone(),
                        owner: officer(&a.owner_role),
                        due,
                        arising_from: None,
                        at: baseline,
                    }
                    .into(),
                );
                let started = (baseline + Duration::days(14 + (h % 30) as i64)).min(due);
                push(
                    started,
                    update(action, ActionStatus::OnTrack, "Work has begun.", started),
                );
                let done = a.completed_month.map(|c| {
                    let first = baseline + Months::new(c);
                    (first + Duration::days(5 + ((h >> 8) % 20) as i64)).min(month_end(c))
                });
                match done {
                    Some(on) if on <= end => {
                        if on > due {
                            // Seen to be late a little before its date, and moved.
                            let noticed = (due - Duration::days(10)).max(started);
                            push(
                                noticed,
                                ActionRescheduled {
                                    action,
                                    due: month_end(a.completed_month.unwrap_or(a.due_month)),
                                    reason: "Needs more time than first planned.".into(),
                                    at: noticed,
                                }
                                .into(),
                            );
                        }
                        push(on, update(action, ActionStatus::Complete, "Completed.", on));
                    }
                    _ if due < end => {
                        let worried = (due - Duration::days(14)).max(started);
                        push(
                            worried,
                            update(
                                action,
                                ActionStatus::AtRisk,
                                "Behind plan: the owner is agreeing a recovery date.",
                                worried,
                            ),
                        );
                        let agreed = a.recovery.as_ref().map(|r| {
                            let first = baseline + Months::new(r.agreed_month);
                            let on = first + Duration::days(5 + ((h >> 16) % 20) as i64);
                            (on.max(due + Duration::days(1)), month_end(r.due_month))
                        });
                        if let Some((on, to)) = agreed.filter(|(on, _)| *on <= end) {
                            push(
                                on,
                                ActionRescheduled {
                                    action,
                                    due: to,
                                    reason: "Recovery date agreed with the Improvement Board."
                                        .into(),
                                    at: on,
                                }
                                .into(),
                            );
                            push(
                                on,
                                update(
                                    action,
                                    ActionStatus::OnTrack,
                                    "Recovery plan agreed; on track for the new date.",
                                    on,
                                ),
                            );
                        }
                    }
                    _ => {}
                }
                actions.push((action, due, done.filter(|d| *d <= end)));
            }
        }

        // The Improvement Board every six weeks and a project group every fortnight. Each
        // meeting notes what was completed since the last and what is overdue.
        let boards = [
            (
                1,
                "Improvement Board",
                BoardKind::ImprovementBoard,
                6,
                director,
            ),
            (
                2,
                "Improvement project group",
                BoardKind::ProjectGroup,
                2,
                heads[0],
            ),
        ];
        for (id, name, kind, weeks, chair) in boards {
            let board = BoardId(id);
            let stream = StreamId::Board(board);
            planned.push(Planned {
                at: baseline,
                stream,
                body: BoardEstablished {
                    board,
                    name: name.into(),
                    kind,
                    every_weeks: weeks,
                    chair,
                    members: heads.clone(),
                    at: baseline,
                }
                .into(),
            });
            // Meetings are timed so that the next falls a few days after the history ends:
            // the pack written on its last day is the one for that meeting.
            let every = Duration::days(7 * i64::from(weeks));
            let next = end + Duration::days(3);
            let mut on = next - every;
            while on - every > baseline {
                on -= every;
            }
            let mut last = baseline;
            let mut meeting = 0;
            while on <= end {
                meeting += 1;
                let completed = actions
                    .iter()
                    .filter(|(_, _, done)| done.is_some_and(|d| last < d && d <= on))
                    .count();
                let overdue = actions
                    .iter()
                    .filter(|(_, due, done)| *due < on && done.is_none_or(|d| d > on))
                    .count();
                let mut decisions = vec![format!(
                    "Noted {completed} action{} completed since the last meeting.",
                    if completed == 1 { "" } else { "s" }
                )];
                if overdue > 0 {
                    decisions.push(format!(
                        "Asked the owners of {overdue} overdue action{} for recovery dates by the next meeting.",
                        if overdue == 1 { "" } else { "s" }
                    ));
                }
                planned.push(Planned {
                    at: on,
                    stream,
                    body: MeetingHeld {
                        board,
                        meeting: RecordId(meeting),
                        decisions,
                        at: on,
                    }
                    .into(),
                });
                last = on;
                on += Duration::days(7 * i64::from(weeks));
            }
        }

        planned.sort_by_key(|p| p.at);
        for p in planned {
            let when = p.at.and_hms_opt(16, 0, 0).expect("a valid time");
            self.rec.record(p.stream, p.body, when, "seed");
        }
    }
}

fn update(action: ActionId, status: ActionStatus, note: &str, at: NaiveDate) -> EventBody {
    ActionUpdated {
        action,
        status,
        note: note.into(),
        at,
    }
    .into()
}
