//! Rules 2883-2991Q: conferences against plans, the return-level queries on sex and disability,
//! and modules that a closed or referred-on episode should not have.

use super::{Ctx, Hit, pairs};
use crate::cin::catalogue::CinYear;
use crate::cin::codes::DISABILITY;
use crate::cin::tables::{By, TableName::*};
use rustc_hash::{FxHashMap, FxHashSet};

/// Across the return, no more child protection plans may start in the census period than initial
/// conferences take place in it (counting both CINdetails and Section 47 conferences).
pub fn rule_2883<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let count = |table, column| {
        let col = ctx.t(table).col(column);
        ctx.t(table)
            .rows()
            .filter(|&r| col.date(r).is_some_and(|d| ctx.in_period(d)))
            .count()
    };
    let plans = count(ChildProtectionPlans, "CPPstartDate");
    let conferences = count(CINdetails, "DateOfInitialCPC") + count(Section47, "DateOfInitialCPC");
    if plans > conferences {
        ctx.whole_return(ChildProtectionPlans, &["CPPstartDate", "DateOfInitialCPC"])
    } else {
        Vec::new()
    }
}

/// An initial conference must not be recorded both in Section 47 and in CINdetails: the same
/// conference date for the same child in both.
pub fn rule_2884<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let s47 = ctx.t(Section47).col("DateOfInitialCPC");
    let cin = ctx.t(CINdetails).col("DateOfInitialCPC");
    pairs(
        ctx,
        (Section47, &["DateOfInitialCPC"]),
        By::Child,
        (CINdetails, &["DateOfInitialCPC"]),
        |s, c| s47.date(s).is_some() && s47.date(s) == cin.date(c),
    )
}

/// A plan starting in the census period must start on the day of an initial conference: one of
/// its episode's Section 47 conferences or, where the episode has no Section 47 needing one, the
/// CINdetails conference. The conferences are flagged too unless another plan of the episode
/// starts on one of them.
pub fn rule_2885<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let cpp = ctx.t(ChildProtectionPlans);
    let start = cpp.col("CPPstartDate");
    let s47 = ctx.t(Section47);
    let (s47_icpc, not_required) = (s47.col("DateOfInitialCPC"), s47.col("ICPCnotRequired"));
    let cin_icpc = ctx.t(CINdetails).col("DateOfInitialCPC");
    let in_period = |p: usize| start.date(p).filter(|&d| ctx.in_period(d));
    let mut out = Vec::new();
    for p in cpp.rows() {
        let Some(d) = in_period(p) else { continue };
        let s47_rows: Vec<usize> = ctx
            .related(ChildProtectionPlans, p, By::Episode, Section47)
            .iter()
            .map(|&r| r as usize)
            .filter(|&r| not_required.flag(r) != Some(true))
            .collect();
        let (table, rows, icpc) = if s47_rows.is_empty() {
            let rows = ctx.related(ChildProtectionPlans, p, By::Episode, CINdetails);
            (
                CINdetails,
                rows.iter().map(|&r| r as usize).collect(),
                cin_icpc,
            )
        } else {
            (Section47, s47_rows, s47_icpc)
        };
        let matches = |d| rows.iter().any(|&r| icpc.date(r) == Some(d));
        if matches(d) {
            continue;
        }
        out.push(ctx.hit(ChildProtectionPlans, p, &["CPPstartDate"]));
        let episode_matched = ctx
            .related(ChildProtectionPlans, p, By::Episode, ChildProtectionPlans)
            .iter()
            .any(|&q| in_period(q as usize).is_some_and(matches));
        if !episode_matched {
            out.extend(
                rows.iter()
                    .map(|&r| ctx.hit(table, r, &["DateOfInitialCPC"])),
            );
        }
    }
    out
}

/// Across the return, at most 2% of children (unborn children aside) may have no sex recorded:
/// missing, `0` or (from 2024/25) `U`; before 2024/25 the field is GenderCurrent.
pub fn rule_2886q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(ChildIdentifiers);
    let new_codes = ctx.year >= CinYear::Y2024_25;
    let sex = t.col(if new_codes { "Sex" } else { "GenderCurrent" });
    let expected = t.col("ExpectedPersonBirthDate");
    let unknown = t
        .rows()
        .filter(|&r| !expected.present(r))
        .filter(|&r| match sex.str(r) {
            None | Some("0") => true,
            Some(s) => new_codes && s == "U",
        })
        .count();
    if !t.is_empty() && unknown as f64 / t.len() as f64 > 0.02 {
        ctx.whole_return(ChildIdentifiers, &["ExpectedPersonBirthDate"])
    } else {
        Vec::new()
    }
}

/// Across the return, more than 7 different disability codes (besides NONE) should be used.
pub fn rule_2887q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let d = ctx.t(Disabilities).col("Disability");
    let used: FxHashSet<&str> = ctx
        .t(Disabilities)
        .rows()
        .filter_map(|r| d.str(r))
        .filter(|&c| c != "NONE" && DISABILITY.contains(&c))
        .collect();
    if used.len() < 8 {
        ctx.whole_return(Disabilities, &["Disability"])
    } else {
        Vec::new()
    }
}

/// Across the return, at least one child with a disability should have more than one recorded.
pub fn rule_2888q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(Disabilities);
    let d = t.col("Disability");
    let mut per_child: FxHashMap<&str, u32> = FxHashMap::default();
    for r in t.rows() {
        if let (Some(child), Some(code)) = (t.col("LAchildID").str(r), d.str(r))
            && code != "NONE"
        {
            *per_child.entry(child).or_default() += 1;
        }
    }
    if !per_child.is_empty() && per_child.values().all(|&n| n == 1) {
        ctx.whole_return(Disabilities, &["Disability"])
    } else {
        Vec::new()
    }
}

/// A Section 47 enquiry cannot start before its episode's referral.
pub fn rule_2889<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let start = ctx.t(Section47).col("S47ActualStartDate");
    let referral = ctx.t(CINdetails).col("CINreferralDate");
    pairs(
        ctx,
        (Section47, &["S47ActualStartDate"]),
        By::Episode,
        (CINdetails, &["CINreferralDate"]),
        |s, c| matches!((start.date(s), referral.date(c)), (Some(s), Some(r)) if s < r),
    )
}

/// An episode closed after assessment (RC8, RC9) can have no Section 47, protection plan, CIN
/// plan or initial conference.
pub fn rule_2990<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let cin = ctx.t(CINdetails);
    let (reason, icpc) = (cin.col("ReasonForClosure"), cin.col("DateOfInitialCPC"));
    let mut out = Vec::new();
    for c in cin.rows() {
        if !matches!(reason.str(c), Some("RC8" | "RC9")) {
            continue;
        }
        let mut found = icpc.present(c);
        for table in [Section47, ChildProtectionPlans, CINplanDates] {
            for &r in ctx.related(CINdetails, c, By::Episode, table) {
                out.push(ctx.hit(table, r as usize, &["CINdetailsID"]));
                found = true;
            }
        }
        if found {
            out.push(ctx.hit(CINdetails, c, &["ReasonForClosure", "DateOfInitialCPC"]));
        }
    }
    out
}

/// An episode with a Section 47 enquiry should have an assessment.
pub fn rule_2991q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    ctx.rows_where(Section47, &["CINdetailsID"], |s| {
        ctx.related(Section47, s, By::Episode, Assessments)
            .is_empty()
    })
}
