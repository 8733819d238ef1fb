//! Missing episodes, return interviews and exploitation.

use crate::engine::{Ctx, Tally};
use chrono::Duration;
use domain::codes::RiskLevel;

pub fn offered_in_72_hours(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.missing {
        for m in &c.missing {
            let Some(back) = m.end.filter(|e| ctx.in_period(e.date())) else {
                continue;
            };
            let deadline = back + Duration::hours(72);
            match m.interview_offered {
                Some((at, _)) => {
                    let hours = (at - back).num_hours() as f64;
                    t.child_valued(c, Some(m.id), back.date(), at <= deadline, hours);
                }
                None if deadline.date() >= ctx.today => t.leave(
                    c,
                    Some(m.id),
                    back.date(),
                    "within its 72 hours, not yet offered",
                ),
                None => t.child(c, Some(m.id), back.date(), false),
            }
        }
    }
}

pub fn interviews_accepted(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.missing {
        for m in &c.missing {
            if let (Some(back), Some((_, accepted))) = (m.end, m.interview_offered)
                && ctx.in_period(back.date())
            {
                t.child(c, Some(m.id), back.date(), accepted);
            }
        }
    }
}

pub fn interviews_held(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.missing {
        for m in &c.missing {
            if let Some(back) = m.end.filter(|e| ctx.in_period(e.date())) {
                t.child(c, Some(m.id), back.date(), m.interview_held.is_some());
            }
        }
    }
}

pub fn children_missing(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.missing {
        ctx.each(t, |ctx, t| {
            if let Some(m) = c.missing.iter().find(|m| ctx.in_period(m.start.date())) {
                t.child(c, Some(m.id), m.start.date(), true);
            }
        });
    }
}

pub fn hub_referrals(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.exploitation {
        for h in c.hub_referrals.iter().filter(|h| ctx.in_period(h.date)) {
            t.child(c, h.screening, h.date, true);
        }
    }
}

pub fn children_screened(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.exploitation {
        ctx.each(t, |ctx, t| {
            if let Some(s) = c.screenings.iter().find(|s| ctx.in_period(s.date)) {
                t.child(c, Some(s.id), s.date, true);
            }
        });
    }
}

pub fn high_risk_screenings(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.exploitation {
        for s in c.screenings.iter().filter(|s| ctx.in_period(s.date)) {
            t.child(c, Some(s.id), s.date, s.risk == RiskLevel::High);
        }
    }
}
