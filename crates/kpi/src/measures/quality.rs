//! Audits, complaints, IRO disputes and transfers.

use super::months_after;
use crate::engine::{Ctx, Tally};
use crate::index::between;
use chrono::NaiveDate;
use domain::RecordId;
use domain::codes::{AuditGrade, AuditKind, ComplaintStage};
use domain::model::Child;

/// One thing with a deadline: in the period by its deadline, met if done by then, left out if
/// its time is still running.
fn deadline(
    ctx: &Ctx,
    t: &mut Tally,
    c: &Child,
    record: Option<RecordId>,
    due: NaiveDate,
    done: Option<NaiveDate>,
    running: &'static str,
) {
    if due < ctx.first || due > ctx.last {
        return;
    }
    let met = done.is_some_and(|d| d <= due && d <= ctx.today);
    if !met && due >= ctx.today {
        t.leave(c, record, due, running);
    } else {
        t.child(c, record, due, met);
    }
}

pub fn new_plans_audited(ctx: &Ctx, t: &mut Tally) {
    let last = ctx.last.min(ctx.today);
    for (start, c, id) in between(&ctx.ix.plan_starts, |(d, _, _)| *d, ctx.first, last) {
        let (start, id) = (*start, *id);
        let by = months_after(start, 1);
        let audited = c.audits.iter().any(|a| {
            a.kind == AuditKind::NewPlan && a.date >= start && a.date <= by && a.date <= ctx.today
        });
        if !audited && by >= ctx.today {
            t.leave(c, Some(id), start, "its month for audit is still running");
        } else {
            t.child(c, Some(id), start, audited);
        }
    }
}

/// Audits dated in the period.
fn audits_in<'a>(ctx: &'a Ctx) -> &'a [(NaiveDate, &'a Child, &'a domain::model::Audit)] {
    between(
        &ctx.ix.audits,
        |(d, _, _)| *d,
        ctx.first,
        ctx.last.min(ctx.today),
    )
}

pub fn plans_smart(ctx: &Ctx, t: &mut Tally) {
    for (_, c, a) in audits_in(ctx) {
        t.child(c, Some(a.id), a.date, a.plan_smart);
    }
}

pub fn audits_good(ctx: &Ctx, t: &mut Tally) {
    for (_, c, a) in audits_in(ctx) {
        let good = matches!(a.grade, AuditGrade::Good | AuditGrade::Outstanding);
        t.child(c, Some(a.id), a.date, good);
    }
}

pub fn complaints_on_time(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.complaints {
        for k in &c.complaints {
            let days = match k.stage {
                ComplaintStage::Stage1 => 10,
                ComplaintStage::Stage2 => 25,
                ComplaintStage::Stage3 => 30,
            };
            let due = ctx.cal.add_working_days(k.received, days);
            let answered = k.response.as_ref().map(|(d, _)| *d);
            deadline(
                ctx,
                t,
                c,
                Some(k.id),
                due,
                answered,
                "still inside its timescale",
            );
        }
    }
}

pub fn audit_actions_closed(ctx: &Ctx, t: &mut Tally) {
    // Twenty working days are never more than 40 calendar days, even over Christmas and Easter.
    let from = ctx.first - chrono::Duration::days(40);
    for (_, c, a) in between(&ctx.ix.audits, |(d, _, _)| *d, from, ctx.last) {
        let due = ctx.cal.add_working_days(a.date, 20);
        for (_, closed) in &a.actions {
            deadline(
                ctx,
                t,
                c,
                Some(a.id),
                due,
                *closed,
                "its 20 working days are still running",
            );
        }
    }
}

pub fn disputes_resolved(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.disputes {
        for d in &c.disputes {
            let due = ctx.cal.add_working_days(d.raised, 20);
            deadline(
                ctx,
                t,
                c,
                Some(d.id),
                due,
                d.resolved,
                "its 20 working days are still running",
            );
        }
    }
}

pub fn transfers_on_time(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.transfers {
        for x in c.transfers.iter().filter(|x| ctx.in_period(x.requested)) {
            let due = ctx.cal.add_working_days(x.requested, 10);
            let met = x.completed.is_some_and(|d| d <= due && d <= ctx.today);
            if !met && due >= ctx.today {
                t.leave(
                    c,
                    Some(x.id),
                    x.requested,
                    "its 10 working days are still running",
                );
            } else {
                t.child(c, Some(x.id), x.requested, met);
            }
        }
    }
}
