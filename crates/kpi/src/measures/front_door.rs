//! Contacts, referrals, assessments and children in need.

use super::{months_before, open_referral_on};
use crate::engine::{Ctx, Placed, Tally};
use crate::index::{between, distinct, running_after};
use domain::codes::{AssessmentKind, ContactDecision};

pub fn contacts_decided_in_a_day(ctx: &Ctx, t: &mut Tally) {
    for (c, k, placed) in between(
        &ctx.ix.contacts,
        |(_, k, _)| k.received.date(),
        ctx.first,
        ctx.last,
    ) {
        let received = k.received.date();
        if received > ctx.today {
            continue;
        }
        let deadline = ctx.cal.add_working_days(received, 1);
        match &k.decision {
            Some((_, at)) => {
                let days = ctx.wd(received, at.date());
                let met = f64::from(u8::from(at.date() <= deadline));
                t.push_placed(
                    c,
                    *placed,
                    Some(k.id),
                    received,
                    met,
                    1.0,
                    Some(days as f64),
                );
            }
            None if deadline < ctx.today => {
                t.push_placed(c, *placed, Some(k.id), received, 0.0, 1.0, None);
            }
            None => t.leave(
                c,
                Some(k.id),
                received,
                "undecided, with its clock still running",
            ),
        }
    }
}

pub fn appropriate_contacts(ctx: &Ctx, t: &mut Tally) {
    let decided =
        |(_, k, _): &(_, &domain::model::Contact, _)| k.decision.as_ref().map(|d| d.1.date());
    for (c, k, placed) in between(
        &ctx.ix.decisions,
        |e| decided(e).expect("decided"),
        ctx.first,
        ctx.last.min(ctx.today),
    ) {
        let (decision, at) = k.decision.as_ref().expect("decided");
        let progressed = matches!(
            decision,
            ContactDecision::Referral | ContactDecision::EarlyHelp
        );
        if *decision == ContactDecision::ExistingCase {
            t.leave(
                c,
                Some(k.id),
                at.date(),
                "about a child already open: passed to the worker",
            );
            continue;
        }
        let met = f64::from(u8::from(progressed));
        t.push_placed(c, *placed, Some(k.id), at.date(), met, 1.0, None);
    }
}

pub fn contacts_received(ctx: &Ctx, t: &mut Tally) {
    for (c, k, placed) in between(
        &ctx.ix.contacts,
        |(_, k, _)| k.received.date(),
        ctx.first,
        ctx.last,
    ) {
        if k.received.date() <= ctx.today {
            t.push_placed(c, *placed, Some(k.id), k.received.date(), 1.0, 1.0, None);
        }
    }
}

/// Referrals made in the period, each with its child's team and worker on the day.
fn referrals_in_period<'a>(
    ctx: &'a Ctx,
) -> impl Iterator<
    Item = &'a (
        &'a domain::model::Child,
        &'a domain::model::Referral,
        Placed,
    ),
> {
    between(
        &ctx.ix.referrals,
        |(_, r, _)| r.date,
        ctx.first,
        ctx.last.min(ctx.today),
    )
    .iter()
}

pub fn referrals(ctx: &Ctx, t: &mut Tally) {
    for (c, r, placed) in referrals_in_period(ctx) {
        t.push_placed(c, *placed, Some(r.id), r.date, 1.0, 1.0, None);
    }
}

pub fn re_referrals(ctx: &Ctx, t: &mut Tally) {
    for (c, r, placed) in referrals_in_period(ctx) {
        let since = months_before(r.date, 12);
        let again = c
            .referrals
            .iter()
            .any(|p| p.id != r.id && p.date < r.date && p.date >= since);
        let met = f64::from(u8::from(again));
        t.push_placed(c, *placed, Some(r.id), r.date, met, 1.0, None);
    }
}

pub fn referrals_nfa(ctx: &Ctx, t: &mut Tally) {
    for (c, r, placed) in referrals_in_period(ctx) {
        let assessed = c.assessments.iter().any(|a| a.referral == r.id);
        let closed = r.closed.as_ref().is_some_and(|(d, _)| *d <= ctx.today);
        let met = f64::from(u8::from(closed && !assessed));
        t.push_placed(c, *placed, Some(r.id), r.date, met, 1.0, None);
    }
}

pub fn referrals_not_in_need(ctx: &Ctx, t: &mut Tally) {
    for (c, r, placed) in referrals_in_period(ctx) {
        let assessed = c.assessments.iter().any(|a| a.referral == r.id);
        // RC8: closed after assessment with no further action; RC9: closed after assessment and
        // referred to early help. The DfE counts both as assessed not in need.
        let not_in_need = r
            .closed
            .as_ref()
            .is_some_and(|(d, why)| *d <= ctx.today && matches!(why.0.as_str(), "RC8" | "RC9"));
        let met = f64::from(u8::from(assessed && not_in_need));
        t.push_placed(c, *placed, Some(r.id), r.date, met, 1.0, None);
    }
}

fn authorised_in_45(ctx: &Ctx, t: &mut Tally, kind: Option<AssessmentKind>) {
    for (c, a, placed) in between(
        &ctx.ix.authorised,
        |(_, a, _)| a.authorised.expect("authorised"),
        ctx.first,
        ctx.last.min(ctx.today),
    ) {
        if kind.is_some_and(|k| k != a.kind) {
            continue;
        }
        let done = a.authorised.expect("authorised");
        let days = ctx.wd(a.start, done);
        let met = f64::from(u8::from(days <= 45));
        t.push_placed(c, *placed, Some(a.id), done, met, 1.0, Some(days as f64));
    }
}

pub fn assessments_in_45(ctx: &Ctx, t: &mut Tally) {
    authorised_in_45(ctx, t, None);
}

pub fn new_assessments_in_45(ctx: &Ctx, t: &mut Tally) {
    authorised_in_45(ctx, t, Some(AssessmentKind::New));
}

pub fn updated_assessments_in_45(ctx: &Ctx, t: &mut Tally) {
    authorised_in_45(ctx, t, Some(AssessmentKind::Updated));
}

pub fn assessment_duration(ctx: &Ctx, t: &mut Tally) {
    authorised_in_45(ctx, t, None);
    for i in &mut t.items {
        i.num = 0.0;
    }
}

pub fn child_seen_in_assessment(ctx: &Ctx, t: &mut Tally) {
    for (c, a, placed) in between(
        &ctx.ix.authorised,
        |(_, a, _)| a.authorised.expect("authorised"),
        ctx.first,
        ctx.last.min(ctx.today),
    ) {
        let done = a.authorised.expect("authorised");
        let seen = c
            .visits
            .iter()
            .any(|v| v.seen && a.start <= v.date && v.date <= done);
        let met = f64::from(u8::from(seen));
        t.push_placed(c, *placed, Some(a.id), done, met, 1.0, None);
    }
}

pub fn assessments_overdue(ctx: &Ctx, t: &mut Tally) {
    let latest = ctx.latest();
    for (end, c, a) in running_after(&ctx.ix.assessments_by_end, ctx.earliest()) {
        if a.start > latest {
            continue;
        }
        // An assessment of a case since closed is no longer running.
        let closed = c
            .referrals
            .iter()
            .find(|r| r.id == a.referral)
            .and_then(|r| r.closed.as_ref())
            .map(|(d, _)| *d);
        // Past its 45th working day: compared as dates, so a weekend snapshot counts it too.
        let due = ctx.cal.add_working_days(a.start, 45);
        ctx.each(t, |ctx, t| {
            let running = a.start <= ctx.at && *end > ctx.at;
            if running && closed.is_none_or(|d| d > ctx.at) && due < ctx.at {
                let days = ctx.wd(a.start, ctx.at);
                t.child_valued(c, Some(a.id), ctx.at, true, days as f64);
            }
        });
    }
}

pub fn children_in_need(ctx: &Ctx, t: &mut Tally) {
    let latest = ctx.latest();
    let referred = running_after(&ctx.ix.referrals_by_end, ctx.earliest())
        .iter()
        .filter(|(_, _, r)| r.date <= latest)
        .map(|(_, c, _)| *c);
    for c in distinct(referred.collect()) {
        ctx.each(t, |ctx, t| {
            if let Some(r) = open_referral_on(c, ctx.at) {
                t.child(c, Some(r.id), ctx.at, true);
            }
        });
    }
}

pub fn cin_episode_length(ctx: &Ctx, t: &mut Tally) {
    let last = ctx.last.min(ctx.today);
    for (closed, c, r) in between(&ctx.ix.referrals_by_end, |(d, _, _)| *d, ctx.first, last) {
        let days = (*closed - r.date).num_days();
        t.push(c, Some(r.id), *closed, 0.0, 1.0, Some(days as f64));
    }
}

pub fn cin_plans(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.cin_plans {
        ctx.each(t, |ctx, t| {
            if let Some(p) = c
                .cin_plans
                .iter()
                .find(|p| p.start <= ctx.at && p.end.is_none_or(|e| e > ctx.at))
            {
                t.child(c, Some(p.id), ctx.at, true);
            }
        });
    }
}
