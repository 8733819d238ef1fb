//! Section 47 enquiries, conferences, child protection plans and core groups.

use super::{count_dues, months_after, schedule};
use crate::engine::{Ctx, Tally};
use domain::codes::{Agency, ConferenceKind, S47Outcome, VisitKind};
use domain::model::{Child, CpPlan};

pub fn enquiries(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.protection {
        for e in c.enquiries.iter().filter(|e| ctx.in_period(e.start)) {
            t.child(c, Some(e.id), e.start, true);
        }
    }
}

fn initials<'a>(ctx: &'a Ctx, c: &'a Child) -> impl Iterator<Item = &'a domain::model::Conference> {
    c.conferences
        .iter()
        .filter(|k| k.kind == ConferenceKind::Initial && ctx.in_period(k.date))
}

pub fn initial_conferences(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.protection {
        for k in initials(ctx, c) {
            t.child(c, Some(k.id), k.date, true);
        }
    }
}

pub fn icpc_in_15(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.protection {
        for k in initials(ctx, c) {
            let strategy = k
                .enquiry
                .and_then(|e| c.enquiries.iter().find(|s| s.id == e))
                .and_then(|s| s.strategy)
                .and_then(|s| c.strategy_discussions.iter().find(|d| d.id == s));
            match strategy {
                Some(s) => {
                    let days = ctx.wd(s.date, k.date);
                    t.child_valued(c, Some(k.id), k.date, days <= 15, days as f64);
                }
                None => t.leave(c, Some(k.id), k.date, "no strategy discussion on record"),
            }
        }
    }
}

pub fn enquiries_to_conference(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.protection {
        for e in &c.enquiries {
            if let Some((done, outcome)) = &e.completed
                && ctx.in_period(*done)
            {
                t.child(c, Some(e.id), *done, *outcome == S47Outcome::Conference);
            }
        }
    }
}

pub fn conferences_to_plan(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.protection {
        for k in initials(ctx, c) {
            t.child(c, Some(k.id), k.date, k.plan_needed);
        }
    }
}

/// The plan open at the end of the day `d`.
fn open_on(c: &Child, d: chrono::NaiveDate) -> Option<&CpPlan> {
    c.cp_plans
        .iter()
        .find(|p| p.start <= d && p.end.is_none_or(|e| e > d))
}

pub fn on_plan(ctx: &Ctx, t: &mut Tally) {
    for c in ctx.ix.on_plan_between(ctx.earliest(), ctx.latest()) {
        ctx.each(t, |ctx, t| {
            if let Some(p) = open_on(c, ctx.at) {
                t.child(c, Some(p.id), ctx.at, true);
            }
        });
    }
}

pub fn plans_starting(ctx: &Ctx, t: &mut Tally) {
    for c in ctx.ix.on_plan_between(ctx.first, ctx.last) {
        for p in c.cp_plans.iter().filter(|p| ctx.in_period(p.start)) {
            t.child(c, Some(p.id), p.start, true);
        }
    }
}

pub fn repeat_plans(ctx: &Ctx, t: &mut Tally) {
    for c in ctx.ix.on_plan_between(ctx.first, ctx.last) {
        for p in c.cp_plans.iter().filter(|p| ctx.in_period(p.start)) {
            let before = c.cp_plans.iter().any(|q| q.id != p.id && q.start < p.start);
            t.child(c, Some(p.id), p.start, before);
        }
    }
}

/// Days a plan has run, counting the first and the last day.
fn days_inclusive(from: chrono::NaiveDate, to: chrono::NaiveDate) -> i64 {
    (to - from).num_days() + 1
}

pub fn ended_two_years(ctx: &Ctx, t: &mut Tally) {
    for c in ctx.ix.on_plan_between(ctx.first, ctx.last) {
        for p in &c.cp_plans {
            if let Some(end) = p.end.filter(|e| ctx.in_period(*e)) {
                let days = days_inclusive(p.start, end);
                t.child_valued(c, Some(p.id), end, days >= 730, days as f64);
            }
        }
    }
}

pub fn open_two_years(ctx: &Ctx, t: &mut Tally) {
    for c in ctx.ix.on_plan_between(ctx.earliest(), ctx.latest()) {
        ctx.each(t, |ctx, t| {
            if let Some(p) = open_on(c, ctx.at) {
                let days = days_inclusive(p.start, ctx.at);
                t.child_valued(c, Some(p.id), ctx.at, days >= 730, days as f64);
            }
        });
    }
}

pub fn reviewed_on_time(ctx: &Ctx, t: &mut Tally) {
    for c in ctx.ix.on_plan_between(ctx.earliest(), ctx.latest()) {
        ctx.each(t, |ctx, t| {
            let Some(p) = open_on(c, ctx.at) else {
                return;
            };
            if months_after(p.start, 3) > ctx.at {
                t.leave(
                    c,
                    Some(p.id),
                    ctx.at,
                    "on a plan for less than three months",
                );
                return;
            }
            let mut reviews: Vec<_> = p.reviews.iter().copied().filter(|r| *r <= ctx.at).collect();
            reviews.sort_unstable();
            let dues = schedule(months_after(p.start, 3), &reviews, ctx.at, None, |_, h| {
                months_after(h, 6)
            });
            let on_time = dues
                .iter()
                .all(|d| d.held.is_some_and(|h| h <= d.due) || d.due >= ctx.today);
            t.child(c, Some(p.id), ctx.at, on_time);
        });
    }
}

fn open_nine_months(ctx: &Ctx, t: &mut Tally, days_as_numerator: bool) {
    for c in ctx.ix.on_plan_between(ctx.earliest(), ctx.latest()) {
        ctx.each(t, |ctx, t| {
            if let Some(p) = open_on(c, ctx.at)
                && months_after(p.start, 9) <= ctx.at
            {
                let days = (ctx.at - p.start).num_days() as f64;
                let num = if days_as_numerator { days } else { 1.0 };
                t.push(c, Some(p.id), ctx.at, num, 1.0, Some(days));
            }
        });
    }
}

pub fn open_nine_months_count(ctx: &Ctx, t: &mut Tally) {
    open_nine_months(ctx, t, false);
}

pub fn open_nine_months_days(ctx: &Ctx, t: &mut Tally) {
    open_nine_months(ctx, t, true);
}

/// Working days from one core group to the next: six weeks, the usual local standard.
pub const CORE_GROUP_INTERVAL: i64 = 30;

pub fn core_groups_on_time(ctx: &Ctx, t: &mut Tally) {
    let stop = ctx.last.min(ctx.today);
    for c in ctx.ix.on_plan_between(ctx.first, ctx.last) {
        for p in &c.cp_plans {
            if p.start > stop || p.end.is_some_and(|e| e < ctx.first) {
                continue;
            }
            let mut held: Vec<_> = p.core_groups.iter().map(|g| g.date).collect();
            held.sort_unstable();
            let first = ctx.cal.add_working_days(p.start, 10);
            let dues = schedule(first, &held, stop, p.end, |_, h| {
                ctx.cal.add_working_days(h, CORE_GROUP_INTERVAL)
            });
            count_dues(ctx, t, c, p.id, &dues);
        }
    }
}

pub fn visited_in_10(ctx: &Ctx, t: &mut Tally) {
    for c in ctx.ix.on_plan_between(ctx.earliest(), ctx.latest()) {
        ctx.each(t, |ctx, t| {
            let Some(p) = open_on(c, ctx.at) else {
                return;
            };
            let last = c
                .visits
                .iter()
                .filter(|v| v.kind == VisitKind::ChildProtection && v.seen)
                .filter(|v| p.start <= v.date && v.date <= ctx.at)
                .map(|v| v.date)
                .max();
            let from = last.unwrap_or(p.start);
            let since = ctx.wd(from, ctx.at);
            // Compare due dates, not counts: a snapshot on a weekend adds no working days.
            let met = ctx.cal.add_working_days(from, 10) >= ctx.at;
            t.child_valued(c, Some(p.id), ctx.at, met, since as f64);
        });
    }
}

pub fn seen_alone(ctx: &Ctx, t: &mut Tally) {
    for c in ctx.ix.on_plan_between(ctx.earliest(), ctx.latest()) {
        ctx.each(t, |ctx, t| {
            let Some(p) = open_on(c, ctx.at) else {
                return;
            };
            let last = c
                .visits
                .iter()
                .filter(|v| v.kind == VisitKind::ChildProtection)
                .filter(|v| p.start <= v.date && v.date <= ctx.at)
                .max_by_key(|v| v.date);
            match last {
                Some(v) => t.child(c, Some(v.id), ctx.at, v.seen_alone),
                None => t.leave(c, Some(p.id), ctx.at, "no child protection visit yet"),
            }
        });
    }
}

fn core_groups_with(ctx: &Ctx, t: &mut Tally, agencies: &[Agency]) {
    for c in ctx.ix.on_plan_between(ctx.first, ctx.last) {
        let overlapping = c
            .cp_plans
            .iter()
            .filter(|p| p.start <= ctx.last && p.end.is_none_or(|e| e >= ctx.first));
        for p in overlapping {
            for g in p.core_groups.iter().filter(|g| ctx.in_period(g.date)) {
                let present = g
                    .attendance
                    .iter()
                    .any(|(a, there)| *there && agencies.contains(a));
                t.child(c, Some(p.id), g.date, present);
            }
        }
    }
}

pub fn core_groups_with_education(ctx: &Ctx, t: &mut Tally) {
    core_groups_with(ctx, t, &[Agency::School]);
}

pub fn core_groups_with_police(ctx: &Ctx, t: &mut Tally) {
    core_groups_with(ctx, t, &[Agency::Police]);
}

pub fn core_groups_with_health(ctx: &Ctx, t: &mut Tally) {
    core_groups_with(ctx, t, &[Agency::Health]);
}

pub fn core_groups_with_others(ctx: &Ctx, t: &mut Tally) {
    core_groups_with(
        ctx,
        t,
        &[
            Agency::Probation,
            Agency::Housing,
            Agency::AdultServices,
            Agency::Voluntary,
        ],
    );
}
