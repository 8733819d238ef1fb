//! Rules 8715-8794: conference and plan dates, work open at the end of the year, sex of unborn
//! children, UPN reasons, age, and disability codes.

use super::{Ctx, Hit, add_years, is_module, pairs, ymd};
use crate::cin::catalogue::CinYear;
use crate::cin::tables::{By, TableName::*};
use chrono::Datelike;
use rustc_hash::FxHashMap;

/// A Section 47 initial conference date, where present, must fall in the census period.
pub fn rule_8715<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let icpc = ctx.t(Section47).col("DateOfInitialCPC");
    ctx.rows_where(Section47, &["DateOfInitialCPC"], |r| {
        icpc.date(r).is_some_and(|d| !ctx.in_period(d))
    })
}

/// A protection plan must have a start date, on or before the reference date.
pub fn rule_8720<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(ChildProtectionPlans);
    let start = t.col("CPPstartDate");
    ctx.rows_where(ChildProtectionPlans, &["CPPstartDate"], |r| {
        is_module(t, r) && start.date(r).is_none_or(|d| d > ctx.reference_date)
    })
}

/// A protection plan must give the number of previous plans, zero or more.
pub fn rule_8730<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(ChildProtectionPlans);
    let previous = t.col("NumberOfPreviousCPP");
    ctx.rows_where(ChildProtectionPlans, &["NumberOfPreviousCPP"], |r| {
        is_module(t, r) && previous.int(r).is_none_or(|n| n < 0)
    })
}

/// An assessment not yet authorised must have started in the census period.
pub fn rule_8736<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(Assessments);
    let (start, end) = (
        t.col("AssessmentActualStartDate"),
        t.col("AssessmentAuthorisationDate"),
    );
    ctx.rows_where(
        Assessments,
        &["AssessmentAuthorisationDate", "AssessmentActualStartDate"],
        |r| !end.present(r) && start.date(r).is_some_and(|d| !ctx.in_period(d)),
    )
}

/// A Section 47 enquiry that has had no initial conference (and needs one) must have started in
/// the census period.
pub fn rule_8740<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(Section47);
    let (start, icpc) = (t.col("S47ActualStartDate"), t.col("DateOfInitialCPC"));
    let not_required = t.col("ICPCnotRequired");
    ctx.rows_where(
        Section47,
        &["S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"],
        |r| {
            !icpc.present(r)
                && not_required.flag(r) == Some(false)
                && start.date(r).is_some_and(|d| !ctx.in_period(d))
        },
    )
}

/// An unborn child (an expected date of birth and no date of birth) must have sex U (from
/// 2024/25), or GenderCurrent 0 before then.
pub fn rule_8750<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(ChildIdentifiers);
    let (birth, expected) = (t.col("PersonBirthDate"), t.col("ExpectedPersonBirthDate"));
    let (sex, unknown, fields): (_, _, &'static [&'static str]) = if ctx.year >= CinYear::Y2024_25 {
        (
            t.col("Sex"),
            "U",
            &["Sex", "PersonBirthDate", "ExpectedPersonBirthDate"],
        )
    } else {
        (
            t.col("GenderCurrent"),
            "0",
            &[
                "GenderCurrent",
                "PersonBirthDate",
                "ExpectedPersonBirthDate",
            ],
        )
    };
    ctx.rows_where(ChildIdentifiers, fields, |r| {
        expected.present(r) && !birth.present(r) && sex.str(r) != Some(unknown)
    })
}

/// A child of school age with an episode that went on to further action should have a UPN or a
/// reason for not having one (UN2-UN7: UN1 says the child is not of school age). School age is
/// six by the reference date up to 2023/24; from 2024/25 it is being born on or before 31
/// August six years before the reference date's year (in year 1 or above).
pub fn rule_8770q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(ChildIdentifiers);
    let (birth, upn, unknown) = (t.col("PersonBirthDate"), t.col("UPN"), t.col("UPNunknown"));
    let nfa = ctx.t(CINdetails).col("ReferralNFA");
    let school_age = |b| {
        if ctx.year >= CinYear::Y2024_25 {
            b <= ymd(ctx.reference_date.year() - 6, 8, 31)
        } else {
            b < add_years(ctx.reference_date, -6)
        }
    };
    let reason_given = |r| {
        unknown.str(r).is_some_and(|u| {
            ["UN2", "UN3", "UN4", "UN5", "UN6", "UN7"]
                .iter()
                .any(|c| c.eq_ignore_ascii_case(u.trim()))
        })
    };
    ctx.rows_where(ChildIdentifiers, &["UPN", "UPNunknown"], |r| {
        birth.date(r).is_some_and(school_age)
            && !upn.present(r)
            && !reason_given(r)
            && ctx
                .related(ChildIdentifiers, r, By::Child, CINdetails)
                .iter()
                .any(|&c| nfa.flag(c as usize) == Some(false))
    })
}

/// A child whose UPN is unknown because the referral needed no further action (UN7) must have
/// every episode flagged as no further action.
pub fn rule_8772<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let unknown = ctx.t(ChildIdentifiers).col("UPNunknown");
    let nfa = ctx.t(CINdetails).col("ReferralNFA");
    pairs(
        ctx,
        (ChildIdentifiers, &["UPNunknown"]),
        By::Child,
        (CINdetails, &["ReferralNFA"]),
        |i, c| unknown.str(i) == Some("UN7") && nfa.flag(c) != Some(true),
    )
}

/// A child should not be over 25: born more than 25 years before the reference date, with an
/// episode still open or closed after the 25th birthday.
pub fn rule_8775q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let birth = ctx.t(ChildIdentifiers).col("PersonBirthDate");
    let closure = ctx.t(CINdetails).col("CINclosureDate");
    let limit = add_years(ctx.reference_date, -25);
    pairs(
        ctx,
        (ChildIdentifiers, &["PersonBirthDate"]),
        By::Child,
        (CINdetails, &["CINclosureDate"]),
        |i, c| {
            birth
                .date(i)
                .is_some_and(|b| b < limit && closure.date(c).is_none_or(|d| d > add_years(b, 25)))
        },
    )
}

/// A child recorded with NONE cannot have other disability codes too; the others are flagged.
pub fn rule_8790<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let d = ctx.t(Disabilities).col("Disability");
    let mut out = Vec::new();
    for group in ctx.groups(Disabilities, By::Child) {
        if group.iter().any(|&r| d.str(r) == Some("NONE")) {
            out.extend(
                group
                    .iter()
                    .filter(|&&r| d.str(r).is_some_and(|c| c != "NONE"))
                    .map(|&r| ctx.hit(Disabilities, r, &["Disability"])),
            );
        }
    }
    out
}

/// A child cannot have the same disability code twice.
pub fn rule_8794<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let d = ctx.t(Disabilities).col("Disability");
    let mut out = Vec::new();
    for group in ctx.groups(Disabilities, By::Child) {
        let mut counts: FxHashMap<&str, u32> = FxHashMap::default();
        for &r in &group {
            if let Some(c) = d.str(r) {
                *counts.entry(c).or_default() += 1;
            }
        }
        out.extend(
            group
                .iter()
                .filter(|&&r| d.str(r).is_some_and(|c| counts[c] > 1))
                .map(|&r| ctx.hit(Disabilities, r, &["Disability"])),
        );
    }
    out
}
