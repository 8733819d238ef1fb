//! Rule 100 (the reference date) and 1103-1105 (activity dated before the referral).

use super::{Ctx, Hit, pairs};
use crate::cin::tables::{By, TableName::*};
use chrono::NaiveDate;

/// The Header's `ReferenceDate` must be present and be 31 March of the collection `Year`.
pub fn rule_100<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(Header);
    let (year, date) = (t.col("Year"), t.col("ReferenceDate"));
    ctx.rows_where(Header, &["ReferenceDate"], |r| {
        let year = year.int(r).map_or(ctx.year.end_year(), |y| y as i32);
        date.date(r) != NaiveDate::from_ymd_opt(year, 3, 31)
    })
}

/// An assessment cannot start before its episode's referral.
pub fn rule_1103<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let start = ctx.t(Assessments).col("AssessmentActualStartDate");
    let referral = ctx.t(CINdetails).col("CINreferralDate");
    pairs(
        ctx,
        (Assessments, &["AssessmentActualStartDate"]),
        By::Episode,
        (CINdetails, &["CINreferralDate"]),
        |a, c| matches!((start.date(a), referral.date(c)), (Some(s), Some(r)) if s < r),
    )
}

/// A Section 47 initial conference cannot be before its episode's referral.
pub fn rule_1104<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let icpc = ctx.t(Section47).col("DateOfInitialCPC");
    let referral = ctx.t(CINdetails).col("CINreferralDate");
    pairs(
        ctx,
        (Section47, &["DateOfInitialCPC"]),
        By::Episode,
        (CINdetails, &["CINreferralDate"]),
        |s, c| matches!((icpc.date(s), referral.date(c)), (Some(i), Some(r)) if i < r),
    )
}

/// A child protection plan cannot start before its episode's referral.
pub fn rule_1105<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let start = ctx.t(ChildProtectionPlans).col("CPPstartDate");
    let referral = ctx.t(CINdetails).col("CINreferralDate");
    pairs(
        ctx,
        (ChildProtectionPlans, &["CPPstartDate"]),
        By::Episode,
        (CINdetails, &["CINreferralDate"]),
        |p, c| matches!((start.date(p), referral.date(c)), (Some(s), Some(r)) if s < r),
    )
}
