//! Pre-proceedings and care proceedings.

use crate::engine::{Ctx, Tally};
use domain::model::Child;
use rustc_hash::FxHashSet;

/// Twenty-six weeks, in days.
const TWENTY_SIX_WEEKS: i64 = 182;

fn concluded(ctx: &Ctx, t: &mut Tally, weeks_as_numerator: bool) {
    for c in &ctx.ix.legal {
        for p in &c.proceedings {
            let Some((done, _)) = p.concluded.filter(|(d, _)| ctx.in_period(*d)) else {
                continue;
            };
            let days = (done - p.issued).num_days();
            // Totals add unrounded weeks; only the published mean is rounded.
            let weeks = days as f64 / 7.0;
            if weeks_as_numerator {
                t.push(c, Some(p.id), done, weeks, 1.0, Some(weeks));
            } else {
                t.child_valued(c, Some(p.id), done, days <= TWENTY_SIX_WEEKS, weeks);
            }
        }
    }
}

pub fn proceedings_in_26_weeks(ctx: &Ctx, t: &mut Tally) {
    concluded(ctx, t, false);
}

pub fn proceedings_weeks(ctx: &Ctx, t: &mut Tally) {
    concluded(ctx, t, true);
}

fn in_pre_proceedings(c: &Child, d: chrono::NaiveDate) -> Option<domain::RecordId> {
    c.pre_proceedings
        .iter()
        .find(|p| p.start <= d && p.end.as_ref().is_none_or(|(e, _)| *e > d))
        .map(|p| p.id)
}

fn in_proceedings(c: &Child, d: chrono::NaiveDate) -> Option<domain::RecordId> {
    c.proceedings
        .iter()
        .find(|p| p.issued <= d && p.concluded.as_ref().is_none_or(|(e, _)| *e > d))
        .map(|p| p.id)
}

fn children(
    ctx: &Ctx,
    t: &mut Tally,
    open: fn(&Child, chrono::NaiveDate) -> Option<domain::RecordId>,
) {
    for c in &ctx.ix.legal {
        ctx.each(t, |ctx, t| {
            if let Some(r) = open(c, ctx.at) {
                t.child(c, Some(r), ctx.at, true);
            }
        });
    }
}

/// One item per family: the first of its children (by id) stands for the sibling group.
fn families(
    ctx: &Ctx,
    t: &mut Tally,
    open: fn(&Child, chrono::NaiveDate) -> Option<domain::RecordId>,
) {
    ctx.each(t, |ctx, t| {
        let mut seen = FxHashSet::default();
        for c in &ctx.ix.legal {
            if let Some(r) = open(c, ctx.at) {
                let family = c.details.family.map_or(u64::MAX - c.id().0, |f| f.0);
                if seen.insert(family) {
                    t.child(c, Some(r), ctx.at, true);
                }
            }
        }
    });
}

pub fn children_in_pre_proceedings(ctx: &Ctx, t: &mut Tally) {
    children(ctx, t, in_pre_proceedings);
}

pub fn families_in_pre_proceedings(ctx: &Ctx, t: &mut Tally) {
    families(ctx, t, in_pre_proceedings);
}

pub fn children_in_proceedings(ctx: &Ctx, t: &mut Tally) {
    children(ctx, t, in_proceedings);
}

pub fn families_in_proceedings(ctx: &Ctx, t: &mut Tally) {
    families(ctx, t, in_proceedings);
}

pub fn proceedings_beyond_26_weeks(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.legal {
        ctx.each(t, |ctx, t| {
            for p in &c.proceedings {
                if p.issued <= ctx.at && p.concluded.as_ref().is_none_or(|(e, _)| *e > ctx.at) {
                    let days = (ctx.at - p.issued).num_days();
                    t.child_valued(
                        c,
                        Some(p.id),
                        ctx.at,
                        days > TWENTY_SIX_WEEKS,
                        days as f64 / 7.0,
                    );
                }
            }
        });
    }
}
