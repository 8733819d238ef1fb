//! Caseloads, the workforce, allocation and case supervision.

use super::months_before;
use crate::engine::{Ctx, Tally};
use crate::index::{distinct, running_after};
use domain::WorkerId;
use domain::codes::{Employment, Service, WorkerRole};
use domain::model::WorkerTerms;
use rustc_hash::FxHashMap;

fn social_workers<'a>(ctx: &'a Ctx) -> impl Iterator<Item = (WorkerId, &'a WorkerTerms)> + 'a {
    ctx.model.workers.values().filter_map(|w| {
        w.terms_on(ctx.at)
            .filter(|t| t.role.is_case_holding_social_worker())
            .map(|t| (w.id, t))
    })
}

pub fn caseload(ctx: &Ctx, t: &mut Tally) {
    ctx.each(t, |ctx, t| {
        let mut cases: FxHashMap<WorkerId, u32> = FxHashMap::default();
        for (_, _, a) in running_after(&ctx.ix.allocations_by_end, ctx.at) {
            if a.from <= ctx.at {
                *cases.entry(a.worker).or_default() += 1;
            }
        }
        for (w, terms) in social_workers(ctx) {
            let n = cases.get(&w).copied().unwrap_or(0);
            if n > 0 {
                t.worker(
                    w,
                    terms,
                    ctx.at,
                    f64::from(n),
                    f64::from(terms.fte),
                    Some(f64::from(n)),
                );
            }
        }
    });
}

pub fn turnover(ctx: &Ctx, t: &mut Tally) {
    ctx.each(t, |ctx, t| {
        let since = months_before(ctx.at, 12);
        for (w, terms) in social_workers(ctx) {
            t.worker(w, terms, ctx.at, 0.0, f64::from(terms.fte), None);
        }
        for w in ctx.model.workers.values() {
            let Some(left) = w.left.filter(|l| *l > since && *l <= ctx.at) else {
                continue;
            };
            let last_day = left.pred_opt().unwrap_or(left);
            if let Some(terms) = w
                .terms_on(last_day)
                .filter(|t| t.role.is_case_holding_social_worker())
            {
                t.worker(w.id, terms, last_day, f64::from(terms.fte), 0.0, None);
            }
        }
    });
}

fn employed(ctx: &Ctx, t: &mut Tally, kind: Employment) {
    ctx.each(t, |ctx, t| {
        for (w, terms) in social_workers(ctx) {
            let fte = f64::from(terms.fte);
            let num = if terms.employment == kind { fte } else { 0.0 };
            t.worker(w, terms, ctx.at, num, fte, None);
        }
    });
}

pub fn agency_rate(ctx: &Ctx, t: &mut Tally) {
    employed(ctx, t, Employment::Agency);
}

pub fn permanent_rate(ctx: &Ctx, t: &mut Tally) {
    employed(ctx, t, Employment::Permanent);
}

pub fn trained(ctx: &Ctx, t: &mut Tally) {
    ctx.each(t, |ctx, t| {
        let since = months_before(ctx.at, 12);
        for (w, terms) in social_workers(ctx) {
            let done = ctx.model.workers[&w]
                .training
                .iter()
                .any(|(_, d)| *d > since && *d <= ctx.at);
            t.worker(w, terms, ctx.at, f64::from(u8::from(done)), 1.0, None);
        }
    });
}

pub fn clinical_supervision(ctx: &Ctx, t: &mut Tally) {
    ctx.each(t, |ctx, t| {
        let since = months_before(ctx.at, 1);
        for w in ctx.model.workers.values() {
            let Some(terms) = w.terms_on(ctx.at) else {
                continue;
            };
            let family_safeguarding = ctx
                .model
                .teams
                .get(&terms.team)
                .is_some_and(|t| t.service == Service::FamilySafeguarding);
            let practitioner = !matches!(
                terms.role,
                WorkerRole::TeamManager
                    | WorkerRole::ServiceManager
                    | WorkerRole::HeadOfService
                    | WorkerRole::Director
            );
            if !family_safeguarding || !practitioner {
                continue;
            }
            let done = w
                .clinical_supervisions
                .iter()
                .any(|d| *d > since && *d <= ctx.at);
            t.worker(w.id, terms, ctx.at, f64::from(u8::from(done)), 1.0, None);
        }
    });
}

pub fn unallocated(ctx: &Ctx, t: &mut Tally) {
    // Open children: an open referral, or looked after. Each child once, however many
    // referrals or periods of care bring it in.
    let (earliest, latest) = (ctx.earliest(), ctx.latest());
    let open = running_after(&ctx.ix.referrals_by_end, earliest)
        .iter()
        .filter(|(_, _, r)| r.date <= latest)
        .map(|(_, c, _)| *c)
        .chain(ctx.ix.in_care_between(earliest, latest))
        .collect();
    for c in distinct(open) {
        ctx.each(t, |ctx, t| {
            let referred = super::open_referral_on(c, ctx.at).is_some();
            if !referred && super::in_care_on(c, ctx.at).is_none() {
                return;
            }
            let allocated = c
                .allocations
                .iter()
                .any(|a| a.from <= ctx.at && a.to.is_none_or(|e| e > ctx.at));
            if !allocated {
                t.child(c, None, ctx.at, true);
            }
        });
    }
}

pub fn case_supervision(ctx: &Ctx, t: &mut Tally) {
    let latest = ctx.latest();
    for (end, c, a) in running_after(&ctx.ix.allocations_by_end, ctx.earliest()) {
        if a.from > latest {
            continue;
        }
        ctx.each(t, |ctx, t| {
            if a.from > ctx.at || *end <= ctx.at {
                return;
            }
            let since = months_before(ctx.at, 1);
            // Newest last, as recorded: look from the end.
            let supervised = c
                .supervisions
                .iter()
                .rev()
                .any(|(_, d)| *d > since && *d <= ctx.at);
            t.child_placed(c, ctx.at, supervised || a.from > since, a);
        });
    }
}
