//! Rules 8905-8950Q: child protection plans (categories, dates, open and overlapping plans) and
//! the retired assessment factors 18A and 19A.

use super::{Ctx, Hit, Span, factors, is_module, overlaps, pairs};
use crate::cin::codes::{CATEGORY_OF_ABUSE, is_in};
use crate::cin::tables::{By, TableName::*};

const START: &str = "CPPstartDate";
const END: &str = "CPPendDate";

fn category<'a>(
    ctx: &Ctx<'a>,
    column: &'static str,
    fields: &'static [&'static str],
) -> Vec<Hit<'a>> {
    let t = ctx.t(ChildProtectionPlans);
    let col = t.col(column);
    ctx.rows_where(ChildProtectionPlans, fields, |r| {
        is_module(t, r) && !is_in(CATEGORY_OF_ABUSE, col.str(r))
    })
}

/// A plan's initial category of abuse must be present and valid.
pub fn rule_8905<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    category(ctx, "InitialCategoryOfAbuse", &["InitialCategoryOfAbuse"])
}

/// A plan's latest category of abuse must be present and valid.
pub fn rule_8910<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    category(ctx, "LatestCategoryOfAbuse", &["LatestCategoryOfAbuse"])
}

fn after_death<'a>(
    ctx: &Ctx<'a>,
    column: &'static str,
    fields: &'static [&'static str],
) -> Vec<Hit<'a>> {
    let date = ctx.t(ChildProtectionPlans).col(column);
    let death = ctx.t(ChildIdentifiers).col("PersonDeathDate");
    pairs(
        ctx,
        (ChildProtectionPlans, fields),
        By::Child,
        (ChildIdentifiers, &["PersonDeathDate"]),
        |p, i| matches!((date.date(p), death.date(i)), (Some(d), Some(dd)) if d > dd),
    )
}

/// A plan cannot start after the child's death.
pub fn rule_8915<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    after_death(ctx, START, &[START])
}

/// A plan cannot end after the child's death.
pub fn rule_8920<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    after_death(ctx, END, &[END])
}

/// A plan cannot end before it starts.
pub fn rule_8925<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(ChildProtectionPlans);
    let (start, end) = (t.col(START), t.col(END));
    ctx.rows_where(
        ChildProtectionPlans,
        &[START, END],
        |r| matches!((start.date(r), end.date(r)), (Some(s), Some(e)) if e < s),
    )
}

/// A plan's end date, where present, must fall in the census period.
pub fn rule_8930<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let end = ctx.t(ChildProtectionPlans).col(END);
    ctx.rows_where(ChildProtectionPlans, &[END], |r| {
        end.date(r).is_some_and(|d| !ctx.in_period(d))
    })
}

/// A child can have only one open protection plan (one with no end date).
pub fn rule_8935<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(ChildProtectionPlans);
    let end = t.col(END);
    let mut out = Vec::new();
    for group in ctx.groups(ChildProtectionPlans, By::Child) {
        let open: Vec<usize> = group
            .into_iter()
            .filter(|&r| is_module(t, r) && !end.present(r))
            .collect();
        if open.len() > 1 {
            out.extend(
                open.iter()
                    .map(|&r| ctx.hit(ChildProtectionPlans, r, &[END])),
            );
        }
    }
    out
}

/// A child's protection plans cannot overlap: no plan may start within another (its end, or the
/// reference date when it is open, included).
pub fn rule_8940<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(ChildProtectionPlans);
    let (start, end) = (t.col(START), t.col(END));
    let span = |r| {
        start.date(r).map(|s| Span {
            start: s,
            end: end.date(r),
        })
    };
    ctx.groups(ChildProtectionPlans, By::Child)
        .iter()
        .flat_map(|g| {
            overlaps(
                ctx,
                ChildProtectionPlans,
                g,
                span,
                (&[START], &[START, END]),
            )
        })
        .collect()
}

fn retired_factor<'a>(ctx: &Ctx<'a>, code: &str) -> Vec<Hit<'a>> {
    let found = ctx.t(Assessments).col("AssessmentFactors");
    ctx.rows_where(Assessments, &["AssessmentFactors"], |r| {
        factors(found.str(r)).any(|f| f.eq_ignore_ascii_case(code))
    })
}

/// Factor 18A should no longer be used (18B or 18C instead).
pub fn rule_8945q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    retired_factor(ctx, "18A")
}

/// Factor 19A should no longer be used (19B or 19C instead).
pub fn rule_8950q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    retired_factor(ctx, "19A")
}
