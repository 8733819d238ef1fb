//! Children looked after: numbers, stability, reviews, visits, health, leaving care, permanence.

use super::{
    age_on, count_dues, in_care_on, looked_after_on, months_after, months_before, schedule,
    short_break,
};
use crate::engine::{Ctx, Tally};
use crate::index::between;
use chrono::NaiveDate;
use domain::codes::{PermanencePlan, PermanenceStep, VisitKind};
use domain::model::{CarePeriod, Child};
use rustc_hash::FxHashSet;

pub fn looked_after(ctx: &Ctx, t: &mut Tally) {
    for c in ctx.ix.in_care_between(ctx.earliest(), ctx.latest()) {
        ctx.each(t, |ctx, t| match in_care_on(c, ctx.at) {
            Some((p, e)) if !short_break(e) => t.child(c, Some(p.id), ctx.at, true),
            Some((p, _)) => t.leave(c, Some(p.id), ctx.at, "on short breaks only (V3 or V4)"),
            None => {}
        });
    }
}

pub fn starting(ctx: &Ctx, t: &mut Tally) {
    for c in ctx.ix.in_care_between(ctx.first, ctx.last) {
        for p in c.care_periods.iter().filter(|p| ctx.in_period(p.start)) {
            if short_break(&p.episodes[0]) {
                t.leave(c, Some(p.id), p.start, "on short breaks only (V3 or V4)");
            } else {
                t.child(c, Some(p.id), p.start, true);
            }
        }
    }
}

fn ended_in_period<'a>(
    ctx: &'a Ctx,
    c: &'a Child,
) -> impl Iterator<Item = (&'a CarePeriod, chrono::NaiveDate, &'a str)> {
    c.care_periods.iter().filter_map(move |p| {
        let (end, why) = p.end.as_ref()?;
        (ctx.in_period(*end) && !short_break(p.current_episode())).then_some((
            p,
            *end,
            why.0.as_str(),
        ))
    })
}

pub fn ceasing(ctx: &Ctx, t: &mut Tally) {
    for c in ctx.ix.in_care_between(ctx.first, ctx.last) {
        for (p, end, _) in ended_in_period(ctx, c) {
            t.child(c, Some(p.id), end, true);
        }
    }
}

fn ceased_by(ctx: &Ctx, t: &mut Tally, reasons: &[&str]) {
    for c in ctx.ix.in_care_between(ctx.first, ctx.last) {
        for (p, end, why) in ended_in_period(ctx, c) {
            t.child(c, Some(p.id), end, reasons.contains(&why));
        }
    }
}

pub fn ceased_sgo(ctx: &Ctx, t: &mut Tally) {
    ceased_by(ctx, t, &["E43", "E44"]);
}

pub fn ceased_adoption(ctx: &Ctx, t: &mut Tally) {
    ceased_by(ctx, t, &["E11", "E12"]);
}

pub fn ceased_home(ctx: &Ctx, t: &mut Tally) {
    ceased_by(ctx, t, &["E4A"]);
}

/// Placements in force at some time from `from` to `to`, across every period of care: the first
/// in force counts, then each change of placement; a change of legal status alone is not a move.
fn placements_between(c: &Child, from: NaiveDate, to: NaiveDate) -> u32 {
    let mut placements = 0;
    for q in &c.care_periods {
        let mut previous = None;
        let mut counting = false;
        for (i, e) in q.episodes.iter().enumerate() {
            // An episode lasts until the next begins, or the period of care ends.
            let until = q
                .episodes
                .get(i + 1)
                .map(|n| n.start)
                .or(q.end.as_ref().map(|(d, _)| *d));
            let overlaps = e.start <= to && until.is_none_or(|u| u > from);
            if overlaps && (!counting || previous != Some(&e.placement)) {
                placements += 1;
                counting = true;
            }
            previous = Some(&e.placement);
        }
    }
    placements
}

pub fn three_placements(ctx: &Ctx, t: &mut Tally) {
    for c in ctx.ix.in_care_between(ctx.earliest(), ctx.latest()) {
        ctx.each(t, |ctx, t| {
            let Some((p, _)) = looked_after_on(c, ctx.at) else {
                return;
            };
            let n = placements_between(c, ctx.first, ctx.at);
            t.child_valued(c, Some(p.id), ctx.at, n >= 3, f64::from(n));
        });
    }
}

pub fn three_placements_in_two_years(ctx: &Ctx, t: &mut Tally) {
    for c in ctx.ix.in_care_between(ctx.earliest(), ctx.latest()) {
        ctx.each(t, |ctx, t| {
            let two_years = months_before(ctx.at, 24);
            let Some((p, _)) = looked_after_on(c, ctx.at) else {
                return;
            };
            if p.start > two_years {
                return;
            }
            let n = placements_between(c, two_years + chrono::Duration::days(1), ctx.at);
            t.child_valued(c, Some(p.id), ctx.at, n >= 3, f64::from(n));
        });
    }
}

pub fn long_term_stability(ctx: &Ctx, t: &mut Tally) {
    for c in ctx.ix.in_care_between(ctx.earliest(), ctx.latest()) {
        ctx.each(t, |ctx, t| {
            let Some((p, e)) = looked_after_on(c, ctx.at) else {
                return;
            };
            if age_on(c, ctx.at).is_none_or(|a| a >= 16) || p.start > months_before(ctx.at, 30) {
                return;
            }
            // When the current placement began: the first of the run of episodes sharing it.
            let mut since = e.start;
            for ep in p.episodes.iter().rev().skip_while(|x| x.start > ctx.at) {
                if ep.placement == e.placement {
                    since = ep.start;
                } else {
                    break;
                }
            }
            let adoption = e.placement.place.0.starts_with('A');
            let met = adoption || since <= months_before(ctx.at, 24);
            t.child(c, Some(p.id), ctx.at, met);
        });
    }
}

pub fn reviews_on_time(ctx: &Ctx, t: &mut Tally) {
    let stop = ctx.last.min(ctx.today);
    for c in ctx.ix.in_care_between(ctx.first, ctx.last) {
        for p in &c.care_periods {
            let end = p.end.as_ref().map(|(d, _)| *d);
            if p.start > stop || end.is_some_and(|e| e < ctx.first) || short_break(&p.episodes[0]) {
                continue;
            }
            let mut held: Vec<_> = c
                .cla_reviews
                .iter()
                .filter(|r| r.period == p.id)
                .map(|r| r.date)
                .collect();
            held.sort_unstable();
            let first = ctx.cal.add_working_days(p.start, 20);
            let dues = schedule(first, &held, stop, end, |n, h| {
                months_after(h, if n == 1 { 3 } else { 6 })
            });
            count_dues(ctx, t, c, p.id, &dues);
        }
    }
}

pub fn visited_in_six_weeks(ctx: &Ctx, t: &mut Tally) {
    for c in ctx.ix.in_care_between(ctx.earliest(), ctx.latest()) {
        ctx.each(t, |ctx, t| {
            let Some((p, _)) = looked_after_on(c, ctx.at) else {
                return;
            };
            let last = c
                .visits
                .iter()
                .filter(|v| {
                    v.kind == VisitKind::LookedAfter && v.date >= p.start && v.date <= ctx.at
                })
                .map(|v| v.date)
                .max();
            let since = (ctx.at - last.unwrap_or(p.start)).num_days();
            let met = match last {
                Some(_) => since <= 42,
                None => since < 7,
            };
            t.child_valued(c, Some(p.id), ctx.at, met, since as f64);
        });
    }
}

pub fn permanence_by_second_review(ctx: &Ctx, t: &mut Tally) {
    let last = ctx.last.min(ctx.today);
    for (date, c, r) in between(&ctx.ix.cla_reviews, |(d, _, _)| *d, ctx.first, last) {
        // Is this the period's second review? Reviews in date order, ties as recorded.
        let mut reviews: Vec<_> = c
            .cla_reviews
            .iter()
            .filter(|x| x.period == r.period)
            .collect();
        reviews.sort_by_key(|x| x.date);
        if reviews.get(1).is_none_or(|second| second.id != r.id) {
            continue;
        }
        let Some(p) = c.care_periods.iter().find(|p| p.id == r.period) else {
            continue;
        };
        let planned = c
            .permanence_plans
            .iter()
            .any(|(_, d)| *d >= p.start && d <= date);
        t.child(c, Some(r.id), *date, planned);
    }
}

fn placed_in(ctx: &Ctx, t: &mut Tally, matches: fn(&str) -> bool) {
    for c in ctx.ix.in_care_between(ctx.earliest(), ctx.latest()) {
        ctx.each(t, |ctx, t| {
            if let Some((p, e)) = looked_after_on(c, ctx.at) {
                t.child(c, Some(p.id), ctx.at, matches(&e.placement.place.0));
            }
        });
    }
}

pub fn in_foster_care(ctx: &Ctx, t: &mut Tally) {
    placed_in(ctx, t, |p| p.starts_with('U'));
}

pub fn in_childrens_homes(ctx: &Ctx, t: &mut Tally) {
    placed_in(ctx, t, |p| matches!(p, "K1" | "K2"));
}

pub fn placed_with_parents(ctx: &Ctx, t: &mut Tally) {
    placed_in(ctx, t, |p| p == "P1");
}

pub fn independent_living(ctx: &Ctx, t: &mut Tally) {
    placed_in(ctx, t, |p| matches!(p, "H5" | "P2"));
}

fn checked(ctx: &Ctx, t: &mut Tally, check: &str) {
    for c in ctx.ix.in_care_between(ctx.earliest(), ctx.latest()) {
        ctx.each(t, |ctx, t| {
            let since = months_before(ctx.at, 12);
            let Some((p, _)) = looked_after_on(c, ctx.at) else {
                return;
            };
            if p.start > since {
                return;
            }
            let done = c
                .health_checks
                .iter()
                .any(|(k, d)| k == check && *d > since && *d <= ctx.at);
            t.child(c, Some(p.id), ctx.at, done);
        });
    }
}

pub fn health_assessed(ctx: &Ctx, t: &mut Tally) {
    checked(ctx, t, "health");
}

pub fn dental_checked(ctx: &Ctx, t: &mut Tally) {
    checked(ctx, t, "dental");
}

pub fn three_workers(ctx: &Ctx, t: &mut Tally) {
    for c in ctx.ix.in_care_between(ctx.earliest(), ctx.latest()) {
        ctx.each(t, |ctx, t| {
            let Some((p, _)) = looked_after_on(c, ctx.at) else {
                return;
            };
            let workers: FxHashSet<_> = c
                .allocations
                .iter()
                .filter(|a| a.from <= ctx.at && a.to.is_none_or(|e| e > ctx.first))
                .map(|a| a.worker)
                .collect();
            t.child_valued(
                c,
                Some(p.id),
                ctx.at,
                workers.len() >= 3,
                workers.len() as f64,
            );
        });
    }
}

pub fn pep_up_to_date(ctx: &Ctx, t: &mut Tally) {
    for c in ctx.ix.in_care_between(ctx.earliest(), ctx.latest()) {
        ctx.each(t, |ctx, t| {
            let since = months_before(ctx.at, 6);
            let Some((p, _)) = looked_after_on(c, ctx.at) else {
                return;
            };
            if !age_on(c, ctx.at).is_some_and(|a| (5..=15).contains(&a)) {
                return;
            }
            let done = c.peps.iter().any(|d| *d > since && *d <= ctx.at);
            t.child(c, Some(p.id), ctx.at, done);
        });
    }
}

pub fn went_missing(ctx: &Ctx, t: &mut Tally) {
    for c in ctx
        .ix
        .in_care_between(ctx.earliest_first(), ctx.latest_last())
    {
        ctx.each(t, |ctx, t| {
            let until = ctx.last.min(ctx.today);
            let during = c.care_periods.iter().find(|p| {
                p.start <= until
                    && p.end.as_ref().is_none_or(|(e, _)| *e >= ctx.first)
                    && !short_break(p.current_episode())
            });
            let Some(p) = during else { return };
            let went = c.missing.iter().any(|m| ctx.in_period(m.start.date()));
            t.child(c, Some(p.id), until, went);
        });
    }
}

fn step(c: &Child, step: PermanenceStep) -> impl Iterator<Item = chrono::NaiveDate> + '_ {
    c.permanence_steps
        .iter()
        .filter(move |(s, _)| *s == step)
        .map(|(_, d)| *d)
}

pub fn care_to_adoptive_home(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.permanence {
        for placed in step(c, PermanenceStep::PlacedForAdoption).filter(|d| ctx.in_period(*d)) {
            match in_care_on(c, placed) {
                Some((p, _)) => {
                    let days = (placed - p.start).num_days() as f64;
                    t.push(c, Some(p.id), placed, days, 1.0, Some(days));
                }
                None => t.leave(c, None, placed, "not looked after when placed"),
            }
        }
    }
}

fn to_match(ctx: &Ctx, t: &mut Tally, from: PermanenceStep, missing: &'static str) {
    for c in &ctx.ix.permanence {
        for matched in step(c, PermanenceStep::Matched).filter(|d| ctx.in_period(*d)) {
            match step(c, from).filter(|d| *d <= matched).max() {
                Some(start) => {
                    let days = (matched - start).num_days() as f64;
                    t.push(c, None, matched, days, 1.0, Some(days));
                }
                None => t.leave(c, None, matched, missing),
            }
        }
    }
}

pub fn placement_order_to_match(ctx: &Ctx, t: &mut Tally) {
    to_match(
        ctx,
        t,
        PermanenceStep::PlacementOrder,
        "no placement order on record",
    );
}

pub fn decision_to_match(ctx: &Ctx, t: &mut Tally) {
    to_match(
        ctx,
        t,
        PermanenceStep::AdoptionDecision,
        "no adoption decision on record",
    );
}

pub fn sgo_assessments(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.permanence {
        ctx.each(t, |ctx, t| {
            let Some(started) = step(c, PermanenceStep::SgoAssessmentStarted)
                .filter(|d| *d <= ctx.at)
                .max()
            else {
                return;
            };
            let granted = step(c, PermanenceStep::SgoGranted).any(|d| d >= started && d <= ctx.at);
            if !granted {
                t.child_valued(c, None, ctx.at, true, (ctx.at - started).num_days() as f64);
            }
        });
    }
}

pub fn long_term_matched(ctx: &Ctx, t: &mut Tally) {
    for c in ctx.ix.in_care_between(ctx.earliest(), ctx.latest()) {
        ctx.each(t, |ctx, t| {
            let Some((p, _)) = looked_after_on(c, ctx.at) else {
                return;
            };
            let plan = c
                .permanence_plans
                .iter()
                .filter(|(_, d)| *d <= ctx.at)
                .max_by_key(|(_, d)| *d);
            if plan.is_some_and(|(k, _)| *k == PermanencePlan::LongTermFostering) {
                let matched = step(c, PermanenceStep::LongTermMatch).any(|d| d <= ctx.at);
                t.child(c, Some(p.id), ctx.at, matched);
            }
        });
    }
}
