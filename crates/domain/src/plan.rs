//! The improvement plan beside the records: its priorities, their actions and the boards that
//! oversee them, folded from the plan's own streams. Whether an action is overdue or slipping is
//! decided here, once, for every page and report.

use crate::ApplyError;
use crate::codes::{ActionStatus, BoardKind, OfstedArea, Strand};
use crate::events::{EventBody, MeetingRef};
use crate::ids::*;
use crate::{Event, model::Model};
use chrono::NaiveDate;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// Empty until the plan is started.
    pub title: String,
    pub summary: String,
    pub lead: Option<WorkerId>,
    pub starts: Option<NaiveDate>,
    pub ends: Option<NaiveDate>,
    pub priorities: BTreeMap<PriorityId, Priority>,
    pub actions: BTreeMap<ActionId, Action>,
    pub boards: BTreeMap<BoardId, Board>,
    /// The scrutiny report's sections the records cannot give, as the lead last wrote them.
    pub report_text: Option<ReportText>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReportText {
    pub finance: String,
    pub human_resources: String,
    pub equality: String,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Priority {
    pub id: PriorityId,
    pub number: u32,
    pub key: String,
    pub title: String,
    pub finding: String,
    pub needs_to_improve: Vec<String>,
    pub officer: WorkerId,
    pub ofsted_areas: Vec<OfstedArea>,
    pub measures: Vec<String>,
    pub added: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub id: ActionId,
    pub priority: PriorityId,
    pub strand: Strand,
    pub text: String,
    pub owner: WorkerId,
    /// The date first agreed, so a moved date shows as slippage.
    pub first_due: NaiveDate,
    pub due: NaiveDate,
    pub status: ActionStatus,
    /// The day it was marked complete, while it stays complete.
    pub completed: Option<NaiveDate>,
    pub added: NaiveDate,
    pub arising_from: Option<MeetingRef>,
    /// Oldest first.
    pub updates: Vec<Update>,
    pub reschedules: Vec<Reschedule>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    pub at: NaiveDate,
    pub status: ActionStatus,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reschedule {
    pub at: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reason: String,
}

/// How far past its date an action is before it counts against its priority as red.
pub const LONG_OVERDUE_DAYS: i64 = 28;

impl Action {
    /// Past its due date and not complete.
    pub fn is_overdue(&self, on: NaiveDate) -> bool {
        self.completed.is_none() && self.due < on
    }

    /// Days past its due date, if overdue.
    pub fn days_overdue(&self, on: NaiveDate) -> Option<i64> {
        self.is_overdue(on).then(|| (on - self.due).num_days())
    }

    /// Not complete, not yet overdue, but its date has moved later than first agreed or its
    /// owner says it is at risk.
    pub fn is_slipping(&self, on: NaiveDate) -> bool {
        self.completed.is_none()
            && !self.is_overdue(on)
            && (self.due > self.first_due || self.status == ActionStatus::AtRisk)
    }

    /// Completed after the date first agreed.
    pub fn completed_late(&self) -> bool {
        self.completed.is_some_and(|c| c > self.first_due)
    }

    /// The action as it stood at the end of `on`: its updates and moves up to then. For "what
    /// changed since the last board".
    pub fn as_on(&self, on: NaiveDate) -> Option<Action> {
        if self.added > on {
            return None;
        }
        let mut a = self.clone();
        a.updates.retain(|u| u.at <= on);
        a.reschedules.retain(|r| r.at <= on);
        a.due = a.reschedules.last().map_or(a.first_due, |r| r.to);
        a.status = a
            .updates
            .last()
            .map_or(ActionStatus::NotStarted, |u| u.status);
        a.completed = a
            .updates
            .last()
            .filter(|u| u.status == ActionStatus::Complete)
            .map(|u| u.at);
        Some(a)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Board {
    pub id: BoardId,
    pub name: String,
    pub kind: BoardKind,
    pub every_weeks: u32,
    pub chair: WorkerId,
    pub members: Vec<WorkerId>,
    pub meetings: Vec<Meeting>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub id: RecordId,
    pub date: NaiveDate,
    pub decisions: Vec<String>,
}

impl Board {
    /// The last meeting on or before `on`.
    pub fn last_meeting(&self, on: NaiveDate) -> Option<&Meeting> {
        self.meetings.iter().rfind(|m| m.date <= on)
    }
}

impl Plan {
    /// A priority's actions, in order of due date.
    pub fn actions_of(&self, priority: PriorityId) -> Vec<&Action> {
        let mut v: Vec<&Action> = self
            .actions
            .values()
            .filter(|a| a.priority == priority)
            .collect();
        v.sort_by_key(|a| (a.due, a.id));
        v
    }

    /// The priorities in the plan's order.
    pub fn priorities_in_order(&self) -> Vec<&Priority> {
        let mut v: Vec<&Priority> = self.priorities.values().collect();
        v.sort_by_key(|p| (p.number, p.id));
        v
    }
}

fn not_in_plan(what: &'static str, id: impl std::fmt::Display) -> ApplyError {
    ApplyError::NotInPlan {
        what,
        id: id.to_string(),
    }
}

fn wrong(event: &Event) -> ApplyError {
    ApplyError::WrongStream {
        stream: event.stream,
        kind: event.body.kind(),
    }
}

impl Model {
    /// Folds an event of the plan's streams.
    pub(crate) fn apply_plan(&mut self, event: &Event) -> Result<(), ApplyError> {
        use EventBody as B;
        let started = self.plan.starts.is_some();
        match (&event.stream, &event.body) {
            (StreamId::Plan, B::PlanStarted(e)) => {
                self.require_worker(e.lead)?;
                let plan = &mut self.plan;
                plan.title = e.title.clone();
                plan.summary = e.summary.clone();
                plan.lead = Some(e.lead);
                plan.starts = Some(e.starts);
                plan.ends = Some(e.ends);
            }
            (_, _) if !started => return Err(ApplyError::NoPlan),
            (StreamId::Plan, B::PlanReportTextSet(e)) => {
                self.plan.report_text = Some(ReportText {
                    finance: e.finance.clone(),
                    human_resources: e.human_resources.clone(),
                    equality: e.equality.clone(),
                    at: e.at,
                });
            }
            (StreamId::Priority(id), B::PriorityAdded(e)) if *id == e.priority => {
                if self.plan.priorities.contains_key(id) {
                    return Err(ApplyError::AlreadyExists {
                        stream: event.stream,
                    });
                }
                self.require_worker(e.officer)?;
                self.plan.priorities.insert(
                    *id,
                    Priority {
                        id: *id,
                        number: e.number,
                        key: e.key.clone(),
                        title: e.title.clone(),
                        finding: e.finding.clone(),
                        needs_to_improve: e.needs_to_improve.clone(),
                        officer: e.officer,
                        ofsted_areas: e.ofsted_areas.clone(),
                        measures: e.measures.clone(),
                        added: e.at,
                    },
                );
            }
            (StreamId::Priority(id), B::PriorityChanged(e)) if *id == e.priority => {
                if let Some(officer) = e.officer {
                    self.require_worker(officer)?;
                }
                let p = self
                    .plan
                    .priorities
                    .get_mut(id)
                    .ok_or_else(|| not_in_plan("priority", id))?;
                if let Some(t) = &e.title {
                    p.title = t.clone();
                }
                if let Some(f) = &e.finding {
                    p.finding = f.clone();
                }
                if let Some(n) = &e.needs_to_improve {
                    p.needs_to_improve = n.clone();
                }
                if let Some(o) = e.officer {
                    p.officer = o;
                }
                if let Some(m) = &e.measures {
                    p.measures = m.clone();
                }
            }
            (StreamId::Action(id), B::ActionAdded(e)) if *id == e.action => {
                if self.plan.actions.contains_key(id) {
                    return Err(ApplyError::AlreadyExists {
                        stream: event.stream,
                    });
                }
                if !self.plan.priorities.contains_key(&e.priority) {
                    return Err(not_in_plan("priority", e.priority));
                }
                self.require_worker(e.owner)?;
                if let Some(m) = e.arising_from {
                    let board = self
                        .plan
                        .boards
                        .get(&m.board)
                        .ok_or_else(|| not_in_plan("board", m.board))?;
                    if !board.meetings.iter().any(|x| x.id == m.meeting) {
                        return Err(not_in_plan(
                            "meeting",
                            format!("{} of {}", m.meeting, m.board),
                        ));
                    }
                }
                self.plan.actions.insert(
                    *id,
                    Action {
                        id: *id,
                        priority: e.priority,
                        strand: e.strand,
                        text: e.text.clone(),
                        owner: e.owner,
                        first_due: e.due,
                        due: e.due,
                        status: ActionStatus::NotStarted,
                        completed: None,
                        added: e.at,
                        arising_from: e.arising_from,
                        updates: Vec::new(),
                        reschedules: Vec::new(),
                    },
                );
            }
            (StreamId::Action(id), B::ActionUpdated(e)) if *id == e.action => {
                let a = self.action_mut(*id)?;
                if e.at < a.added {
                    return Err(before_added(event.stream, "update", e.at, a.added));
                }
                a.status = e.status;
                a.completed = (e.status == ActionStatus::Complete).then_some(e.at);
                a.updates.push(Update {
                    at: e.at,
                    status: e.status,
                    note: e.note.clone(),
                });
            }
            (StreamId::Action(id), B::ActionRescheduled(e)) if *id == e.action => {
                let a = self.action_mut(*id)?;
                if e.at < a.added {
                    return Err(before_added(event.stream, "new date", e.at, a.added));
                }
                a.reschedules.push(Reschedule {
                    at: e.at,
                    from: a.due,
                    to: e.due,
                    reason: e.reason.clone(),
                });
                a.due = e.due;
            }
            (StreamId::Action(id), B::ActionReassigned(e)) if *id == e.action => {
                self.require_worker(e.owner)?;
                self.action_mut(*id)?.owner = e.owner;
            }
            (StreamId::Board(id), B::BoardEstablished(e)) if *id == e.board => {
                if self.plan.boards.contains_key(id) {
                    return Err(ApplyError::AlreadyExists {
                        stream: event.stream,
                    });
                }
                self.require_worker(e.chair)?;
                for m in &e.members {
                    self.require_worker(*m)?;
                }
                self.plan.boards.insert(
                    *id,
                    Board {
                        id: *id,
                        name: e.name.clone(),
                        kind: e.kind,
                        every_weeks: e.every_weeks,
                        chair: e.chair,
                        members: e.members.clone(),
                        meetings: Vec::new(),
                    },
                );
            }
            (StreamId::Board(id), B::MeetingHeld(e)) if *id == e.board => {
                let board = self
                    .plan
                    .boards
                    .get_mut(id)
                    .ok_or_else(|| not_in_plan("board", id))?;
                if board.meetings.iter().any(|m| m.id == e.meeting) {
                    return Err(ApplyError::AlreadyExists {
                        stream: event.stream,
                    });
                }
                if let Some(last) = board.meetings.last()
                    && e.at < last.date
                {
                    return Err(ApplyError::OutOfOrder {
                        stream: event.stream,
                        what: "meeting".into(),
                        date: e.at,
                        before: "the last meeting",
                        earlier: last.date,
                    });
                }
                board.meetings.push(Meeting {
                    id: e.meeting,
                    date: e.at,
                    decisions: e.decisions.clone(),
                });
            }
            _ => return Err(wrong(event)),
        }
        Ok(())
    }

    fn action_mut(&mut self, id: ActionId) -> Result<&mut Action, ApplyError> {
        self.plan
            .actions
            .get_mut(&id)
            .ok_or_else(|| not_in_plan("action", id))
    }
}

fn before_added(stream: StreamId, what: &str, at: NaiveDate, added: NaiveDate) -> ApplyError {
    ApplyError::OutOfOrder {
        stream,
        what: what.into(),
        date: at,
        before: "the action was added",
        earlier: added,
    }
}
