//! Rules 4000-4220: CIN plans (against referrals, protection plans, reviews and the census
//! period), sex and ethnicity.

use super::{Ctx, Hit, Span, is_module, overlaps, pairs};
use crate::cin::catalogue::CinYear;
use crate::cin::codes::{ETHNICITY, GENDER, SEX, is_in};
use crate::cin::tables::{By, TableName::*};
use chrono::NaiveDate;

const START: &str = "CINPlanStartDate";
const END: &str = "CINPlanEndDate";

/// An episode that was a referral with no further action can have no CIN plan.
pub fn rule_4000<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let nfa = ctx.t(CINdetails).col("ReferralNFA");
    pairs(
        ctx,
        (CINplanDates, &["CINdetailsID"]),
        By::Episode,
        (CINdetails, &["ReferralNFA"]),
        |_, c| nfa.flag(c) == Some(true),
    )
}

/// An episode cannot have an open CIN plan and an open protection plan at once.
pub fn rule_4001<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let plan_end = ctx.t(CINplanDates).col(END);
    let cpp_end = ctx.t(ChildProtectionPlans).col("CPPendDate");
    pairs(
        ctx,
        (CINplanDates, &[END]),
        By::Episode,
        (ChildProtectionPlans, &["CPPendDate"]),
        |c, p| !plan_end.present(c) && !cpp_end.present(p),
    )
}

/// A protection plan review cannot fall while a CIN plan of the child is open (from its start to
/// the day before its end), unless the review is the day the protection plan ended.
pub fn rule_4003<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let review = ctx.t(Reviews).col("CPPreviewDate");
    let cpp_end = ctx.t(ChildProtectionPlans).col("CPPendDate");
    let plans = ctx.t(CINplanDates);
    let (start, end) = (plans.col(START), plans.col(END));
    let mut out = Vec::new();
    for r in ctx.t(Reviews).rows() {
        let Some(d) = review.date(r) else { continue };
        let cpps = ctx.related(Reviews, r, By::Plan, ChildProtectionPlans);
        if cpps.iter().any(|&p| cpp_end.date(p as usize) == Some(d)) {
            continue;
        }
        for &c in ctx.related(Reviews, r, By::Child, CINplanDates) {
            let c = c as usize;
            let open = start.date(c).is_some_and(|s| s <= d)
                && end.date(c).map_or(d <= ctx.reference_date, |e| d < e);
            if open {
                out.push(ctx.hit(Reviews, r, &["CPPreviewDate"]));
                out.push(ctx.hit(CINplanDates, c, &[START, END]));
                out.extend(
                    cpps.iter()
                        .map(|&p| ctx.hit(ChildProtectionPlans, p as usize, &["CPPendDate"])),
                );
            }
        }
    }
    out
}

/// A child can have only one open CIN plan (one with no end date).
pub fn rule_4004<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let end = ctx.t(CINplanDates).col(END);
    let mut out = Vec::new();
    for group in ctx.groups(CINplanDates, By::Child) {
        let open: Vec<usize> = group.into_iter().filter(|&r| !end.present(r)).collect();
        if open.len() > 1 {
            out.extend(open.iter().map(|&r| ctx.hit(CINplanDates, r, &[END])));
        }
    }
    out
}

/// Compares a CIN plan date with the child's date of death.
fn after_death<'a>(
    ctx: &Ctx<'a>,
    column: &'static str,
    fields: &'static [&'static str],
) -> Vec<Hit<'a>> {
    let death = ctx.t(ChildIdentifiers).col("PersonDeathDate");
    let date = ctx.t(CINplanDates).col(column);
    pairs(
        ctx,
        (ChildIdentifiers, &["PersonDeathDate"]),
        By::Child,
        (CINplanDates, fields),
        |i, c| matches!((death.date(i), date.date(c)), (Some(dd), Some(d)) if d > dd),
    )
}

/// A CIN plan cannot start after the child's death.
pub fn rule_4008<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    after_death(ctx, START, &[START])
}

/// A CIN plan cannot end after the child's death.
pub fn rule_4009q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    after_death(ctx, END, &[END])
}

/// A CIN plan's start date must be present and on or before the reference date.
pub fn rule_4010<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(CINplanDates);
    let start = t.col(START);
    ctx.rows_where(CINplanDates, &[START], |r| {
        is_module(t, r) && start.date(r).is_none_or(|d| d > ctx.reference_date)
    })
}

/// A CIN plan cannot end before it starts.
pub fn rule_4011<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(CINplanDates);
    let (start, end) = (t.col(START), t.col(END));
    ctx.rows_where(
        CINplanDates,
        &[END, START],
        |r| matches!((start.date(r), end.date(r)), (Some(s), Some(e)) if e < s),
    )
}

/// A CIN plan should not start and end on the same day.
pub fn rule_4012q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(CINplanDates);
    let (start, end) = (t.col(START), t.col(END));
    ctx.rows_where(CINplanDates, &[START, END], |r| {
        start.date(r).is_some() && start.date(r) == end.date(r)
    })
}

/// A CIN plan's end date, where present, must fall in the census period.
pub fn rule_4013<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let end = ctx.t(CINplanDates).col(END);
    ctx.rows_where(CINplanDates, &[END], |r| {
        end.date(r).is_some_and(|d| !ctx.in_period(d))
    })
}

/// A child's CIN plans cannot overlap: no plan may start within another (its end, or the
/// reference date when it is open, included).
pub fn rule_4014<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(CINplanDates);
    let (start, end) = (t.col(START), t.col(END));
    let span = |r| {
        start.date(r).map(|s| Span {
            start: s,
            end: end.date(r),
        })
    };
    ctx.groups(CINplanDates, By::Child)
        .iter()
        .flat_map(|g| overlaps(ctx, CINplanDates, g, span, (&[START], &[START, END])))
        .collect()
}

/// A CIN plan cannot start before its episode's referral.
pub fn rule_4015<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let start = ctx.t(CINplanDates).col(START);
    let referral = ctx.t(CINdetails).col("CINreferralDate");
    pairs(
        ctx,
        (CINplanDates, &[START]),
        By::Episode,
        (CINdetails, &["CINreferralDate"]),
        |p, c| matches!((start.date(p), referral.date(c)), (Some(s), Some(r)) if s < r),
    )
}

/// Whether `d` falls while a plan runs: on or after its start and before its end, or up to the
/// reference date when it has no end.
fn during(ctx: &Ctx, d: NaiveDate, start: Option<NaiveDate>, end: Option<NaiveDate>) -> bool {
    start.is_some_and(|s| d >= s) && end.map_or(d <= ctx.reference_date, |e| d < e)
}

/// A CIN plan cannot start while one of the child's protection plans runs.
pub fn rule_4016<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let plan_start = ctx.t(CINplanDates).col(START);
    let cpp = ctx.t(ChildProtectionPlans);
    let (cpp_start, cpp_end) = (cpp.col("CPPstartDate"), cpp.col("CPPendDate"));
    pairs(
        ctx,
        (CINplanDates, &[START]),
        By::Child,
        (ChildProtectionPlans, &["CPPstartDate", "CPPendDate"]),
        |c, p| {
            plan_start
                .date(c)
                .is_some_and(|d| during(ctx, d, cpp_start.date(p), cpp_end.date(p)))
        },
    )
}

/// A protection plan cannot start while one of the child's CIN plans runs.
pub fn rule_4017<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let cpp_start = ctx.t(ChildProtectionPlans).col("CPPstartDate");
    let plans = ctx.t(CINplanDates);
    let (start, end) = (plans.col(START), plans.col(END));
    pairs(
        ctx,
        (ChildProtectionPlans, &["CPPstartDate"]),
        By::Child,
        (CINplanDates, &[START, END]),
        |p, c| {
            cpp_start
                .date(p)
                .is_some_and(|d| during(ctx, d, start.date(c), end.date(c)))
        },
    )
}

/// Sex must be M, F or U (from 2024/25); before then GenderCurrent must be 0, 1, 2 or 9.
pub fn rule_4180<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let (column, codes): (&'static str, _) = if ctx.year >= CinYear::Y2024_25 {
        ("Sex", SEX)
    } else {
        ("GenderCurrent", GENDER)
    };
    let col = ctx.t(ChildIdentifiers).col(column);
    let fields: &'static [&'static str] = if column == "Sex" {
        &["Sex"]
    } else {
        &["GenderCurrent"]
    };
    ctx.rows_where(ChildIdentifiers, fields, |r| !is_in(codes, col.str(r)))
}

/// Ethnicity must be present and a valid code.
pub fn rule_4220<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let col = ctx.t(ChildCharacteristics).col("Ethnicity");
    ctx.rows_where(ChildCharacteristics, &["Ethnicity"], |r| {
        !is_in(ETHNICITY, col.str(r))
    })
}
