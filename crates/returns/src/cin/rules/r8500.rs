//! Rules 8500-8590: child identifiers, dates of birth and death, disabilities, activity after
//! closure, and the no-further-action flag.

use super::{Ctx, Hit, pairs};
use crate::cin::codes::DISABILITY;
use crate::cin::tables::{By, TableName::*};
use chrono::{Days, Months};
use rustc_hash::FxHashMap;

/// The LA child ID must be present.
pub fn rule_8500<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let id = ctx.t(ChildIdentifiers).col("LAchildID");
    ctx.rows_where(ChildIdentifiers, &["LAchildID"], |r| !id.present(r))
}

/// No two children may have the same LA child ID.
pub fn rule_8510<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let id = ctx.t(ChildIdentifiers).col("LAchildID");
    let mut counts: FxHashMap<&str, u32> = FxHashMap::default();
    for r in ctx.t(ChildIdentifiers).rows() {
        if let Some(i) = id.str(r) {
            *counts.entry(i).or_default() += 1;
        }
    }
    ctx.rows_where(ChildIdentifiers, &["LAchildID"], |r| {
        id.str(r).is_some_and(|i| counts[i] > 1)
    })
}

/// The date of birth cannot be after the reference date.
pub fn rule_8520<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let birth = ctx.t(ChildIdentifiers).col("PersonBirthDate");
    ctx.rows_where(ChildIdentifiers, &["PersonBirthDate"], |r| {
        birth.date(r).is_some_and(|d| d > ctx.reference_date)
    })
}

/// Exactly one of the date of birth and the expected date of birth should be given.
pub fn rule_8525q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(ChildIdentifiers);
    let (birth, expected) = (t.col("PersonBirthDate"), t.col("ExpectedPersonBirthDate"));
    ctx.rows_where(
        ChildIdentifiers,
        &["PersonBirthDate", "ExpectedPersonBirthDate"],
        |r| birth.present(r) == expected.present(r),
    )
}

/// An expected date of birth should fall between 30 days before and 9 months after the
/// reference date (March to December of the census year's end).
pub fn rule_8530q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let expected = ctx.t(ChildIdentifiers).col("ExpectedPersonBirthDate");
    let from = ctx.reference_date - Days::new(30);
    let to = ctx.reference_date + Months::new(9);
    ctx.rows_where(ChildIdentifiers, &["ExpectedPersonBirthDate"], |r| {
        expected.date(r).is_some_and(|d| d < from || d > to)
    })
}

/// A date of death should not be before the date of birth (nor be given without one).
pub fn rule_8535q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(ChildIdentifiers);
    let (death, birth) = (t.col("PersonDeathDate"), t.col("PersonBirthDate"));
    ctx.rows_where(
        ChildIdentifiers,
        &["PersonDeathDate", "PersonBirthDate"],
        |r| {
            death
                .date(r)
                .is_some_and(|d| birth.date(r).is_none_or(|b| d < b))
        },
    )
}

/// A born child with an episode that went on to further action must have valid disability codes
/// (NONE for none).
pub fn rule_8540<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let birth = ctx.t(ChildIdentifiers).col("PersonBirthDate");
    let nfa = ctx.t(CINdetails).col("ReferralNFA");
    let disability = ctx.t(Disabilities).col("Disability");
    let mut out = Vec::new();
    for i in ctx.t(ChildIdentifiers).rows() {
        if !birth.present(i) {
            continue;
        }
        let further: Vec<u32> = ctx
            .related(ChildIdentifiers, i, By::Child, CINdetails)
            .iter()
            .copied()
            .filter(|&c| nfa.flag(c as usize) == Some(false))
            .collect();
        if further.is_empty() {
            continue;
        }
        let codes = ctx.related(ChildIdentifiers, i, By::Child, Disabilities);
        let bad: Vec<u32> = codes
            .iter()
            .copied()
            .filter(|&d| {
                !disability
                    .str(d as usize)
                    .is_some_and(|c| DISABILITY.contains(&c))
            })
            .collect();
        if codes.is_empty() || !bad.is_empty() {
            out.push(ctx.hit(ChildIdentifiers, i, &["PersonBirthDate"]));
            out.extend(
                bad.iter()
                    .map(|&d| ctx.hit(Disabilities, d as usize, &["Disability"])),
            );
            out.extend(
                further
                    .iter()
                    .map(|&c| ctx.hit(CINdetails, c as usize, &["ReferralNFA"])),
            );
        }
    }
    out
}

/// A date of death should fall in the census period.
pub fn rule_8545q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let death = ctx.t(ChildIdentifiers).col("PersonDeathDate");
    ctx.rows_where(ChildIdentifiers, &["PersonDeathDate"], |r| {
        death.date(r).is_some_and(|d| !ctx.in_period(d))
    })
}

/// A child cannot be referred after the date of death.
pub fn rule_8555q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let referral = ctx.t(CINdetails).col("CINreferralDate");
    let death = ctx.t(ChildIdentifiers).col("PersonDeathDate");
    pairs(
        ctx,
        (CINdetails, &["CINreferralDate"]),
        By::Child,
        (ChildIdentifiers, &["PersonDeathDate"]),
        |c, i| matches!((referral.date(c), death.date(i)), (Some(r), Some(d)) if r > d),
    )
}

/// Nothing in an episode can be dated after its closure: assessments, Section 47 enquiries and
/// conferences, protection plan ends, CIN plans.
pub fn rule_8565<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    const ACTIVITY: [(crate::cin::tables::TableName, &[&str]); 4] = [
        (
            Assessments,
            &["AssessmentActualStartDate", "AssessmentAuthorisationDate"],
        ),
        (Section47, &["S47ActualStartDate", "DateOfInitialCPC"]),
        (ChildProtectionPlans, &["CPPendDate"]),
        (CINplanDates, &["CINPlanStartDate", "CINPlanEndDate"]),
    ];
    let cin = ctx.t(CINdetails);
    let (closure, icpc) = (cin.col("CINclosureDate"), cin.col("DateOfInitialCPC"));
    let fields = &["CINclosureDate", "DateOfInitialCPC"];
    let mut out = Vec::new();
    for c in cin.rows() {
        let Some(closed) = closure.date(c) else {
            continue;
        };
        let mut late = icpc.date(c).is_some_and(|d| d > closed);
        for (table, columns) in ACTIVITY {
            let cols: Vec<_> = columns.iter().map(|n| ctx.t(table).col(n)).collect();
            for &r in ctx.related(CINdetails, c, By::Episode, table) {
                if cols
                    .iter()
                    .any(|col| col.date(r as usize).is_some_and(|d| d > closed))
                {
                    out.push(ctx.hit(table, r as usize, columns));
                    late = true;
                }
            }
        }
        if late {
            out.push(ctx.hit(CINdetails, c, fields));
        }
    }
    out
}

/// The no-further-action flag must be present and true, false, 1 or 0.
pub fn rule_8568<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let nfa = ctx.t(CINdetails).col("ReferralNFA");
    ctx.rows_where(CINdetails, &["ReferralNFA"], |r| nfa.flag(r).is_none())
}

/// A referral made before the working day before the census year began must not be flagged as
/// no further action.
pub fn rule_8569q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let cin = ctx.t(CINdetails);
    let (referral, nfa) = (cin.col("CINreferralDate"), cin.col("ReferralNFA"));
    let cutoff = ctx.calendar.add_working_days(ctx.period_start, -1);
    ctx.rows_where(CINdetails, &["CINreferralDate", "ReferralNFA"], |r| {
        referral.date(r).is_some_and(|d| d < cutoff) && nfa.flag(r) != Some(false)
    })
}

/// An episode closed because the child died (RC2) needs a date of death.
pub fn rule_8585q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let reason = ctx.t(CINdetails).col("ReasonForClosure");
    let death = ctx.t(ChildIdentifiers).col("PersonDeathDate");
    pairs(
        ctx,
        (CINdetails, &["ReasonForClosure"]),
        By::Child,
        (ChildIdentifiers, &["PersonDeathDate"]),
        |c, i| reason.str(c) == Some("RC2") && death.date(i).is_none(),
    )
}

/// Every child must have at least one CIN episode.
pub fn rule_8590<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    ctx.rows_where(ChildIdentifiers, &["LAchildID"], |i| {
        ctx.related(ChildIdentifiers, i, By::Child, CINdetails)
            .is_empty()
    })
}
