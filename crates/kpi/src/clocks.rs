//! Statutory clocks: every open item with a timescale and the day it falls due, for the
//! worklists of a worker or a team.

use crate::measures::{in_care_on, months_after, schedule};
use chrono::{Duration, NaiveDate};
use domain::calendar::Calendar;
use domain::codes::{ComplaintStage, ConferenceKind, S47Outcome, StrategyOutcome, VisitKind};
use domain::model::Child;
use domain::{ChildId, Model, RecordId, TeamId, WorkerId};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockKind {
    ContactDecision,
    Assessment,
    InitialConference,
    CoreGroup,
    CpReview,
    CpVisit,
    ClaReview,
    ClaVisit,
    ReturnInterview,
    Supervision,
    Complaint,
}

impl ClockKind {
    pub fn label(self) -> &'static str {
        match self {
            ClockKind::ContactDecision => "Contact decision (1 working day)",
            ClockKind::Assessment => "Assessment (45 working days)",
            ClockKind::InitialConference => "Initial conference (15 working days from strategy)",
            ClockKind::CoreGroup => "Core group",
            ClockKind::CpReview => "Child protection review",
            ClockKind::CpVisit => "Child protection visit (10 working days)",
            ClockKind::ClaReview => "Looked-after review",
            ClockKind::ClaVisit => "Looked-after visit (6 weeks)",
            ClockKind::ReturnInterview => "Return interview offer (72 hours)",
            ClockKind::Supervision => "Case supervision (1 month)",
            ClockKind::Complaint => "Complaint response",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    Overdue,
    DueToday,
    /// Due within the worklist's horizon.
    DueSoon,
    Later,
}

impl ClockStatus {
    pub fn label(self) -> &'static str {
        match self {
            ClockStatus::Overdue => "overdue",
            ClockStatus::DueToday => "due today",
            ClockStatus::DueSoon => "due soon",
            ClockStatus::Later => "later",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clock {
    pub child: ChildId,
    pub record: Option<RecordId>,
    pub kind: ClockKind,
    pub started: NaiveDate,
    pub due: NaiveDate,
    pub status: ClockStatus,
    /// Working days from today to the due date; negative when overdue.
    pub working_days_left: i64,
    pub team: Option<TeamId>,
    pub worker: Option<WorkerId>,
}

/// Which clocks a worklist holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    All,
    Team(TeamId),
    Worker(WorkerId),
}

/// Every running clock for the owner, soonest first, each rated against `today` with
/// `horizon` working days counting as "due soon".
pub fn worklist(
    model: &Model,
    cal: &Calendar,
    today: NaiveDate,
    owner: Owner,
    horizon: i64,
) -> Vec<Clock> {
    let mut out = Vec::new();
    for c in model.children.values() {
        let allocation = c.current_allocation();
        let mine = match owner {
            Owner::All => true,
            Owner::Team(t) => allocation.is_some_and(|a| a.team == t),
            Owner::Worker(w) => allocation.is_some_and(|a| a.worker == w),
        };
        if mine {
            push_clocks(c, cal, today, horizon, &mut out);
        }
    }
    out.sort_by_key(|c| (c.due, c.child, c.kind));
    out
}

/// The same as [`worklist`], finding a team's or worker's children through the index's open
/// allocations rather than visiting every child.
pub fn worklist_indexed(
    model: &Model,
    ix: &crate::Index<'_>,
    cal: &Calendar,
    today: NaiveDate,
    owner: Owner,
    horizon: i64,
) -> Vec<Clock> {
    let held = |a: &domain::model::Allocation| match owner {
        Owner::All => true,
        Owner::Team(t) => a.team == t,
        Owner::Worker(w) => a.worker == w,
    };
    if owner == Owner::All {
        return worklist(model, cal, today, owner, horizon);
    }
    let open = &ix.allocations_by_end;
    let from = open.partition_point(|(end, _, _)| *end < crate::index::OPEN);
    let mut out = Vec::new();
    for (_, c, a) in &open[from..] {
        // Only then the child's current allocation, as `worklist` reads it: reading the child
        // is the costly part.
        if held(a) && c.current_allocation().is_some_and(|x| std::ptr::eq(x, *a)) {
            push_clocks(c, cal, today, horizon, &mut out);
        }
    }
    out.sort_by_key(|c| (c.due, c.child, c.kind));
    out
}

/// One child's running clocks, soonest first.
pub fn child_clocks(c: &Child, cal: &Calendar, today: NaiveDate, horizon: i64) -> Vec<Clock> {
    let mut out = Vec::new();
    push_clocks(c, cal, today, horizon, &mut out);
    out.sort_by_key(|c| (c.due, c.kind));
    out
}

fn push_clocks(c: &Child, cal: &Calendar, today: NaiveDate, horizon: i64, out: &mut Vec<Clock>) {
    let allocation = c.current_allocation();
    let (team, worker) = (allocation.map(|a| a.team), allocation.map(|a| a.worker));
    let mut push = |kind, record, started, due: NaiveDate| {
        let left = cal.working_days_between(today, due);
        let status = if due < today {
            ClockStatus::Overdue
        } else if due == today {
            ClockStatus::DueToday
        } else if left <= horizon {
            ClockStatus::DueSoon
        } else {
            ClockStatus::Later
        };
        out.push(Clock {
            child: c.id(),
            record,
            kind,
            started,
            due,
            status,
            working_days_left: left,
            team,
            worker,
        });
    };
    clocks_of(c, cal, today, &mut push);
}

fn clocks_of(
    c: &Child,
    cal: &Calendar,
    today: NaiveDate,
    push: &mut impl FnMut(ClockKind, Option<RecordId>, NaiveDate, NaiveDate),
) {
    for k in c.contacts.iter().filter(|k| k.decision.is_none()) {
        let d = k.received.date();
        push(
            ClockKind::ContactDecision,
            Some(k.id),
            d,
            cal.add_working_days(d, 1),
        );
    }
    for a in c.assessments.iter().filter(|a| a.authorised.is_none()) {
        let open = c
            .referrals
            .iter()
            .any(|r| r.id == a.referral && r.closed.is_none());
        if open {
            push(
                ClockKind::Assessment,
                Some(a.id),
                a.start,
                cal.add_working_days(a.start, 45),
            );
        }
    }
    for s in c
        .strategy_discussions
        .iter()
        .filter(|s| s.outcome == StrategyOutcome::Section47)
    {
        let enquiry = c.enquiries.iter().find(|e| e.strategy == Some(s.id));
        let going = enquiry.is_none_or(|e| {
            e.completed
                .as_ref()
                .is_none_or(|(_, o)| *o == S47Outcome::Conference)
        });
        let held = enquiry.is_some_and(|e| {
            c.conferences
                .iter()
                .any(|k| k.kind == ConferenceKind::Initial && k.enquiry == Some(e.id))
        });
        let open = c
            .referrals
            .iter()
            .any(|r| r.id == s.referral && r.closed.is_none());
        if going && !held && open {
            push(
                ClockKind::InitialConference,
                Some(s.id),
                s.date,
                cal.add_working_days(s.date, 15),
            );
        }
    }
    if let Some(p) = c.open_cp_plan() {
        let mut groups: Vec<_> = p.core_groups.iter().map(|g| g.date).collect();
        groups.sort_unstable();
        let far = today + Duration::days(3650);
        let next = schedule(
            cal.add_working_days(p.start, 10),
            &groups,
            far,
            None,
            |_, h| cal.add_working_days(h, crate::measures::CORE_GROUP_INTERVAL),
        );
        if let Some(d) = next.iter().find(|d| d.held.is_none()) {
            push(ClockKind::CoreGroup, Some(p.id), p.start, d.due);
        }
        let mut reviews = p.reviews.clone();
        reviews.sort_unstable();
        let due = reviews
            .last()
            .map_or(months_after(p.start, 3), |r| months_after(*r, 6));
        push(ClockKind::CpReview, Some(p.id), p.start, due);
        let last = c
            .visits
            .iter()
            .filter(|v| v.kind == VisitKind::ChildProtection && v.seen && v.date >= p.start)
            .map(|v| v.date)
            .max()
            .unwrap_or(p.start);
        push(
            ClockKind::CpVisit,
            Some(p.id),
            last,
            cal.add_working_days(last, 10),
        );
    }
    if let Some((p, _)) = in_care_on(c, today).filter(|(p, _)| p.end.is_none()) {
        let mut reviews: Vec<_> = c
            .cla_reviews
            .iter()
            .filter(|r| r.period == p.id)
            .map(|r| r.date)
            .collect();
        reviews.sort_unstable();
        let due = match reviews.len() {
            0 => cal.add_working_days(p.start, 20),
            1 => months_after(reviews[0], 3),
            n => months_after(reviews[n - 1], 6),
        };
        push(ClockKind::ClaReview, Some(p.id), p.start, due);
        let last = c
            .visits
            .iter()
            .filter(|v| v.kind == VisitKind::LookedAfter && v.date >= p.start)
            .map(|v| v.date)
            .max();
        let due = last.map_or(p.start + Duration::days(7), |d| d + Duration::days(42));
        push(
            ClockKind::ClaVisit,
            Some(p.id),
            last.unwrap_or(p.start),
            due,
        );
    }
    for m in &c.missing {
        if let (Some(back), None) = (m.end, m.interview_offered) {
            let due = (back + Duration::hours(72)).date();
            // Returns more than three months ago are history, not a worklist item.
            if due + Duration::days(90) >= today {
                push(ClockKind::ReturnInterview, Some(m.id), back.date(), due);
            }
        }
    }
    if let Some(a) = c.current_allocation() {
        let last = c
            .supervisions
            .iter()
            .map(|(_, d)| *d)
            .filter(|d| *d >= a.from)
            .max()
            .unwrap_or(a.from);
        push(ClockKind::Supervision, None, last, months_after(last, 1));
    }
    for k in c.complaints.iter().filter(|k| k.response.is_none()) {
        let days = match k.stage {
            ComplaintStage::Stage1 => 10,
            ComplaintStage::Stage2 => 25,
            ComplaintStage::Stage3 => 30,
        };
        push(
            ClockKind::Complaint,
            Some(k.id),
            k.received,
            cal.add_working_days(k.received, days),
        );
    }
}
