//! Rules 8600-8696: referral, closure and assessment dates, codes, and work open at the end of
//! the census year.

use super::{Ctx, Hit, factors, pairs};
use crate::cin::codes::{PRIMARY_NEED, REASON_FOR_CLOSURE, is_in};
use crate::cin::tables::{By, TableName::*};
use chrono::Days;

/// The referral date must be present and on or before the reference date.
pub fn rule_8600<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let referral = ctx.t(CINdetails).col("CINreferralDate");
    ctx.rows_where(CINdetails, &["CINreferralDate"], |r| {
        referral.date(r).is_none_or(|d| d > ctx.reference_date)
    })
}

/// A referral cannot be more than 280 days (40 weeks) before the date of birth, or the expected
/// date of birth of an unborn child.
pub fn rule_8606<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let referral = ctx.t(CINdetails).col("CINreferralDate");
    let ids = ctx.t(ChildIdentifiers);
    let (birth, expected) = (
        ids.col("PersonBirthDate"),
        ids.col("ExpectedPersonBirthDate"),
    );
    pairs(
        ctx,
        (CINdetails, &["CINreferralDate"]),
        By::Child,
        (
            ChildIdentifiers,
            &["PersonBirthDate", "ExpectedPersonBirthDate"],
        ),
        |c, i| {
            let born = birth.date(i).or(expected.date(i));
            matches!((referral.date(c), born), (Some(r), Some(b)) if r < b - Days::new(280))
        },
    )
}

/// An assessment cannot be authorised before it started.
pub fn rule_8608<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(Assessments);
    let (start, end) = (
        t.col("AssessmentActualStartDate"),
        t.col("AssessmentAuthorisationDate"),
    );
    ctx.rows_where(
        Assessments,
        &["AssessmentActualStartDate", "AssessmentAuthorisationDate"],
        |r| matches!((start.date(r), end.date(r)), (Some(s), Some(e)) if e < s),
    )
}

/// A referral that went on to further action needs a primary need code.
pub fn rule_8610<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(CINdetails);
    let (nfa, need) = (t.col("ReferralNFA"), t.col("PrimaryNeedCode"));
    ctx.rows_where(CINdetails, &["ReferralNFA", "PrimaryNeedCode"], |r| {
        nfa.flag(r) == Some(false) && !need.present(r)
    })
}

/// Factors identified at assessment belong only to a completed (authorised) assessment.
pub fn rule_8614<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(Assessments);
    let (end, found) = (
        t.col("AssessmentAuthorisationDate"),
        t.col("AssessmentFactors"),
    );
    ctx.rows_where(
        Assessments,
        &["AssessmentAuthorisationDate", "AssessmentFactors"],
        |r| !end.present(r) && factors(found.str(r)).next().is_some(),
    )
}

/// Where there was an initial conference, the Section 47 enquiry must have a start date on or
/// before it.
pub fn rule_8615<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(Section47);
    let (start, icpc) = (t.col("S47ActualStartDate"), t.col("DateOfInitialCPC"));
    ctx.rows_where(
        Section47,
        &["S47ActualStartDate", "DateOfInitialCPC"],
        |r| {
            icpc.date(r)
                .is_some_and(|i| start.date(r).is_none_or(|s| s > i))
        },
    )
}

/// A closure date, where present, must fall in the census period.
pub fn rule_8620<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let closure = ctx.t(CINdetails).col("CINclosureDate");
    ctx.rows_where(CINdetails, &["CINclosureDate"], |r| {
        closure.date(r).is_some_and(|d| !ctx.in_period(d))
    })
}

/// An episode cannot close before its referral.
pub fn rule_8630<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(CINdetails);
    let (referral, closure) = (t.col("CINreferralDate"), t.col("CINclosureDate"));
    ctx.rows_where(
        CINdetails,
        &["CINreferralDate", "CINclosureDate"],
        |r| matches!((referral.date(r), closure.date(r)), (Some(s), Some(e)) if e < s),
    )
}

/// A reason for closure, where present, must be a valid code.
pub fn rule_8640<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let reason = ctx.t(CINdetails).col("ReasonForClosure");
    ctx.rows_where(CINdetails, &["ReasonForClosure"], |r| {
        reason.present(r) && !is_in(REASON_FOR_CLOSURE, reason.str(r))
    })
}

/// A primary need code, where present, must be a valid code.
pub fn rule_8650<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let need = ctx.t(CINdetails).col("PrimaryNeedCode");
    ctx.rows_where(CINdetails, &["PrimaryNeedCode"], |r| {
        need.present(r) && !is_in(PRIMARY_NEED, need.str(r))
    })
}

/// An assessment still open at the reference date should not have run 45 working days.
pub fn rule_8670q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(Assessments);
    let (start, end) = (
        t.col("AssessmentActualStartDate"),
        t.col("AssessmentAuthorisationDate"),
    );
    ctx.rows_where(
        Assessments,
        &["AssessmentAuthorisationDate", "AssessmentActualStartDate"],
        |r| {
            !end.present(r)
                && start
                    .date(r)
                    .is_some_and(|s| ctx.working_days_by_reference(s, 45))
        },
    )
}

/// A Section 47 enquiry with no initial conference yet (and one needed) should not have run 15
/// working days by the reference date.
pub fn rule_8675q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(Section47);
    let (start, icpc) = (t.col("S47ActualStartDate"), t.col("DateOfInitialCPC"));
    let not_required = t.col("ICPCnotRequired");
    ctx.rows_where(
        Section47,
        &["DateOfInitialCPC", "S47ActualStartDate", "ICPCnotRequired"],
        |r| {
            !icpc.present(r)
                && not_required.flag(r) == Some(false)
                && start
                    .date(r)
                    .is_some_and(|s| ctx.working_days_by_reference(s, 15))
        },
    )
}

/// An assessment's authorisation date, where present, must fall in the census period.
pub fn rule_8696<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let end = ctx.t(Assessments).col("AssessmentAuthorisationDate");
    ctx.rows_where(Assessments, &["AssessmentAuthorisationDate"], |r| {
        end.date(r).is_some_and(|d| !ctx.in_period(d))
    })
}
