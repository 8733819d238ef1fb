//! Rules 8805-8898: closure, open and overlapping episodes, activity on no-further-action
//! referrals, Section 47 enquiries, assessments and their factors, reviews.

use super::{Ctx, Hit, Span, assessments, factors, is_module, overlaps, pairs, ymd};
use crate::cin::codes::{ASSESSMENT_FACTORS, REFERRAL_SOURCE, is_in};
use crate::cin::tables::{By, TableName::*};
use chrono::{Datelike, NaiveDate, Weekday};
use rustc_hash::FxHashMap;

/// A closure date needs a reason for closure.
pub fn rule_8805<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(CINdetails);
    let (closure, reason) = (t.col("CINclosureDate"), t.col("ReasonForClosure"));
    ctx.rows_where(CINdetails, &["CINclosureDate", "ReasonForClosure"], |r| {
        closure.present(r) && !reason.present(r)
    })
}

/// A reason for closure needs a closure date.
pub fn rule_8810<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(CINdetails);
    let (closure, reason) = (t.col("CINclosureDate"), t.col("ReasonForClosure"));
    ctx.rows_where(CINdetails, &["ReasonForClosure", "CINclosureDate"], |r| {
        reason.present(r) && !closure.present(r)
    })
}

/// Whether an episode is open and went on to further action.
fn open_further<'a>(ctx: &Ctx<'a>) -> impl Fn(usize) -> bool + 'a {
    let t = ctx.t(CINdetails);
    let (closure, nfa) = (t.col("CINclosureDate"), t.col("ReferralNFA"));
    move |r| !closure.present(r) && nfa.flag(r) == Some(false)
}

/// A child can have only one open episode that went on to further action.
pub fn rule_8815<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let open = open_further(ctx);
    let mut out = Vec::new();
    for group in ctx.groups(CINdetails, By::Child) {
        let rows: Vec<usize> = group.into_iter().filter(|&r| open(r)).collect();
        if rows.len() > 1 {
            out.extend(
                rows.iter()
                    .map(|&r| ctx.hit(CINdetails, r, &["CINclosureDate"])),
            );
        }
    }
    out
}

/// An open episode that went on to further action must be the child's latest referral. The
/// latest is the first episode with the latest referral date, so a second open episode on that
/// date is flagged too; the latest episode is flagged with the others.
pub fn rule_8816<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let referral = ctx.t(CINdetails).col("CINreferralDate");
    let open = open_further(ctx);
    let fields = &["CINreferralDate", "ReferralNFA"];
    let mut out = Vec::new();
    for group in ctx.groups(CINdetails, By::Child) {
        // The first row holding the latest referral date.
        let mut latest: Option<(NaiveDate, usize)> = None;
        for &r in &group {
            if let Some(d) = referral.date(r)
                && latest.is_none_or(|(best, _)| d > best)
            {
                latest = Some((d, r));
            }
        }
        let Some((_, latest)) = latest else { continue };
        let stale: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&r| r != latest && open(r) && referral.date(r).is_some())
            .collect();
        if !stale.is_empty() {
            out.extend(stale.iter().map(|&r| ctx.hit(CINdetails, r, fields)));
            out.push(ctx.hit(CINdetails, latest, fields));
        }
    }
    out
}

/// A child's episodes cannot overlap: no referral may fall on or after another episode's
/// referral and before its closure or, when that episode is open and went on to further action,
/// on or before the reference date.
pub fn rule_8820<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(CINdetails);
    let (referral, closure) = (t.col("CINreferralDate"), t.col("CINclosureDate"));
    let nfa = t.col("ReferralNFA");
    let inside = |d: NaiveDate, b: usize| {
        let Some(start) = referral.date(b) else {
            return false;
        };
        match closure.date(b) {
            Some(end) => start <= d && d < end,
            None => nfa.flag(b) == Some(false) && start <= d && d <= ctx.reference_date,
        }
    };
    let mut out = Vec::new();
    for group in ctx.groups(CINdetails, By::Child) {
        for &a in &group {
            let Some(d) = referral.date(a) else { continue };
            for &b in &group {
                if a != b && inside(d, b) {
                    out.push(ctx.hit(CINdetails, a, &["CINreferralDate"]));
                    out.push(ctx.hit(CINdetails, b, &["CINreferralDate", "CINclosureDate"]));
                }
            }
        }
    }
    out
}

/// An episode closed after assessment (RC8, RC9) should have an assessment.
pub fn rule_8825q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let reason = ctx.t(CINdetails).col("ReasonForClosure");
    ctx.rows_where(CINdetails, &["ReasonForClosure"], |c| {
        matches!(reason.str(c), Some("RC8" | "RC9"))
            && ctx
                .related(CINdetails, c, By::Episode, Assessments)
                .is_empty()
    })
}

/// A referral with no further action can have no assessment, Section 47 or conference dates.
pub fn rule_8831<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let cin = ctx.t(CINdetails);
    let (nfa, icpc) = (cin.col("ReferralNFA"), cin.col("DateOfInitialCPC"));
    let activity: [(_, &'static [&'static str]); 2] = [
        (
            Assessments,
            &["AssessmentActualStartDate", "AssessmentAuthorisationDate"],
        ),
        (Section47, &["S47ActualStartDate", "DateOfInitialCPC"]),
    ];
    let mut out = Vec::new();
    for c in cin.rows() {
        if nfa.flag(c) != Some(true) {
            continue;
        }
        let mut found = icpc.present(c);
        for (table, columns) in activity {
            let cols: Vec<_> = columns.iter().map(|n| ctx.t(table).col(n)).collect();
            for &r in ctx.related(CINdetails, c, By::Episode, table) {
                if cols.iter().any(|col| col.date(r as usize).is_some()) {
                    out.push(ctx.hit(table, r as usize, columns));
                    found = true;
                }
            }
        }
        if found {
            out.push(ctx.hit(CINdetails, c, &["ReferralNFA", "DateOfInitialCPC"]));
        }
    }
    out
}

/// A referral with no further action can have no protection plan.
pub fn rule_8832<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let cpp = ctx.t(ChildProtectionPlans);
    let nfa = ctx.t(CINdetails).col("ReferralNFA");
    pairs(
        ctx,
        (ChildProtectionPlans, &["CINdetailsID"]),
        By::Episode,
        (CINdetails, &["ReferralNFA"]),
        |p, c| is_module(cpp, p) && nfa.flag(c) == Some(true),
    )
}

/// Whether a Section 47 enquiry is still waiting for its initial conference.
fn s47_open<'a>(ctx: &Ctx<'a>) -> impl Fn(usize) -> bool + 'a {
    let t = ctx.t(Section47);
    let (icpc, not_required) = (t.col("DateOfInitialCPC"), t.col("ICPCnotRequired"));
    move |r| !icpc.present(r) && not_required.flag(r) != Some(true)
}

/// An episode can have only one Section 47 enquiry waiting for its initial conference.
pub fn rule_8839<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let open = s47_open(ctx);
    let mut out = Vec::new();
    for group in ctx.groups(Section47, By::Episode) {
        let rows: Vec<usize> = group.into_iter().filter(|&r| open(r)).collect();
        if rows.len() > 1 {
            out.extend(
                rows.iter()
                    .map(|&r| ctx.hit(Section47, r, &["DateOfInitialCPC"])),
            );
        }
    }
    out
}

/// A protection plan cannot start and end on the same day.
pub fn rule_8840<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(ChildProtectionPlans);
    let (start, end) = (t.col("CPPstartDate"), t.col("CPPendDate"));
    ctx.rows_where(ChildProtectionPlans, &["CPPstartDate", "CPPendDate"], |r| {
        start.date(r).is_some() && start.date(r) == end.date(r)
    })
}

/// A review must be after the plan's start date.
pub fn rule_8841<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let review = ctx.t(Reviews).col("CPPreviewDate");
    let start = ctx.t(ChildProtectionPlans).col("CPPstartDate");
    pairs(
        ctx,
        (Reviews, &["CPPreviewDate"]),
        By::Plan,
        (ChildProtectionPlans, &["CPPstartDate"]),
        |r, p| matches!((review.date(r), start.date(p)), (Some(d), Some(s)) if d <= s),
    )
}

/// A review record should have a valid date.
pub fn rule_8842q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let review = ctx.t(Reviews).col("CPPreviewDate");
    ctx.rows_where(Reviews, &["CPPreviewDate"], |r| review.date(r).is_none())
}

/// Within an episode, an assessment should not start while another is under way: from its
/// start to its authorisation, or to the reference date if not authorised.
pub fn rule_8863q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(Assessments);
    let (start, end) = (
        t.col("AssessmentActualStartDate"),
        t.col("AssessmentAuthorisationDate"),
    );
    let span = |r| {
        start.date(r).map(|s| Span {
            start: s,
            end: end.date(r),
        })
    };
    ctx.groups(Assessments, By::Episode)
        .iter()
        .flat_map(|g| {
            overlaps(
                ctx,
                Assessments,
                g,
                span,
                (
                    &["AssessmentActualStartDate"],
                    &["AssessmentActualStartDate", "AssessmentAuthorisationDate"],
                ),
            )
        })
        .collect()
}

/// A referral on or after 1 April 2013 needs a valid source of referral.
pub fn rule_8866<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(CINdetails);
    let (referral, source) = (t.col("CINreferralDate"), t.col("ReferralSource"));
    let from = ymd(2013, 4, 1);
    ctx.rows_where(CINdetails, &["CINreferralDate", "ReferralSource"], |r| {
        referral.date(r).is_some_and(|d| d >= from) && !is_in(REFERRAL_SOURCE, source.str(r))
    })
}

/// A closed episode's assessments must all be authorised.
pub fn rule_8867<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let closure = ctx.t(CINdetails).col("CINclosureDate");
    let end = ctx.t(Assessments).col("AssessmentAuthorisationDate");
    pairs(
        ctx,
        (CINdetails, &["CINclosureDate"]),
        By::Episode,
        (Assessments, &["AssessmentAuthorisationDate"]),
        |c, a| closure.present(c) && !end.present(a),
    )
}

/// A closed episode's Section 47 enquiries must each have an initial conference date or say that
/// none was required.
pub fn rule_8868<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let closure = ctx.t(CINdetails).col("CINclosureDate");
    let open = s47_open(ctx);
    pairs(
        ctx,
        (CINdetails, &["CINclosureDate"]),
        By::Episode,
        (Section47, &["DateOfInitialCPC", "ICPCnotRequired"]),
        |c, s| closure.present(c) && open(s),
    )
}

/// Each assessment's row numbers with the group (assessment) it belongs to.
fn assessment_of(ctx: &Ctx) -> Vec<usize> {
    let mut of = vec![usize::MAX; ctx.t(Assessments).len()];
    for (g, rows) in assessments(ctx).iter().enumerate() {
        for &r in rows {
            of[r] = g;
        }
    }
    of
}

/// Factor 21 (no factors identified) must be an assessment's only factor; the rows giving
/// other factors are flagged.
pub fn rule_8869<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let found = ctx.t(Assessments).col("AssessmentFactors");
    let mut out = Vec::new();
    for group in assessments(ctx) {
        let all = || group.iter().flat_map(|&r| factors(found.str(r)));
        if all().any(|f| f == "21") && all().any(|f| f != "21") {
            out.extend(
                group
                    .iter()
                    .filter(|&&r| factors(found.str(r)).any(|f| f != "21"))
                    .map(|&r| ctx.hit(Assessments, r, &["AssessmentFactors"])),
            );
        }
    }
    out
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The target date for the initial conference should not be a weekend.
pub fn rule_8870q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let target = ctx.t(Section47).col("InitialCPCtarget");
    ctx.rows_where(Section47, &["InitialCPCtarget"], |r| {
        target.date(r).is_some_and(is_weekend)
    })
}

/// Where an episode has just one assessment and it found no factors (21), the episode should
/// close as RC8 or RC9. Episodes not yet closed are left alone.
pub fn rule_8873q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let reason = ctx.t(CINdetails).col("ReasonForClosure");
    let found = ctx.t(Assessments).col("AssessmentFactors");
    let group_of = assessment_of(ctx);
    let mut out = Vec::new();
    for c in ctx.t(CINdetails).rows() {
        if !reason.present(c) || matches!(reason.str(c), Some("RC8" | "RC9")) {
            continue;
        }
        let rows = ctx.related(CINdetails, c, By::Episode, Assessments);
        let mut groups: Vec<usize> = rows.iter().map(|&r| group_of[r as usize]).collect();
        groups.sort_unstable();
        groups.dedup();
        if groups.len() == 1
            && rows
                .iter()
                .any(|&r| factors(found.str(r as usize)).any(|f| f == "21"))
        {
            out.extend(
                rows.iter()
                    .map(|&r| ctx.hit(Assessments, r as usize, &["AssessmentFactors"])),
            );
            out.push(ctx.hit(CINdetails, c, &["ReasonForClosure"]));
        }
    }
    out
}

/// A Section 47 initial conference cannot be held at a weekend.
pub fn rule_8875<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let icpc = ctx.t(Section47).col("DateOfInitialCPC");
    ctx.rows_where(Section47, &["DateOfInitialCPC"], |r| {
        icpc.date(r).is_some_and(is_weekend)
    })
}

/// Within an episode, a Section 47 enquiry cannot start while another is under way: from its
/// start to its initial conference, or to the reference date while one is still needed.
pub fn rule_8890<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(Section47);
    let (start, icpc) = (t.col("S47ActualStartDate"), t.col("DateOfInitialCPC"));
    let open = s47_open(ctx);
    let span = |r| {
        start.date(r).map(|s| Span {
            start: s,
            end: icpc.date(r),
        })
    };
    let mut out = Vec::new();
    for group in ctx.groups(Section47, By::Episode) {
        for &a in &group {
            let Some(d) = start.date(a) else { continue };
            for &b in &group {
                if a != b
                    && let Some(sb) = span(b)
                    && (sb.end.is_some() || open(b))
                    && sb.holds(d, ctx.reference_date)
                {
                    out.push(ctx.hit(Section47, a, &["S47ActualStartDate"]));
                    out.push(ctx.hit(Section47, b, &["S47ActualStartDate", "DateOfInitialCPC"]));
                }
            }
        }
    }
    out
}

/// An episode can have only one assessment not yet authorised.
pub fn rule_8896<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let end = ctx.t(Assessments).col("AssessmentAuthorisationDate");
    let mut out = Vec::new();
    for group in ctx.groups(Assessments, By::Episode) {
        let open: Vec<usize> = group.into_iter().filter(|&r| !end.present(r)).collect();
        if open.len() > 1 {
            out.extend(
                open.iter()
                    .map(|&r| ctx.hit(Assessments, r, &["AssessmentAuthorisationDate"])),
            );
        }
    }
    out
}

/// An assessment authorised in the census year should list its factors, all valid codes.
pub fn rule_8897q<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let t = ctx.t(Assessments);
    let (end, found) = (
        t.col("AssessmentAuthorisationDate"),
        t.col("AssessmentFactors"),
    );
    ctx.rows_where(
        Assessments,
        &["AssessmentAuthorisationDate", "AssessmentFactors"],
        |r| {
            end.date(r).is_some_and(|d| d >= ctx.period_start) && {
                let mut codes = factors(found.str(r)).peekable();
                codes.peek().is_none() || codes.any(|f| !ASSESSMENT_FACTORS.contains(&f))
            }
        },
    )
}

/// An assessment cannot list the same factor twice.
pub fn rule_8898<'a>(ctx: &Ctx<'a>) -> Vec<Hit<'a>> {
    let found = ctx.t(Assessments).col("AssessmentFactors");
    let mut out = Vec::new();
    for group in assessments(ctx) {
        let mut counts: FxHashMap<&str, u32> = FxHashMap::default();
        for f in group.iter().flat_map(|&r| factors(found.str(r))) {
            *counts.entry(f).or_default() += 1;
        }
        out.extend(
            group
                .iter()
                .filter(|&&r| factors(found.str(r)).any(|f| counts[f] > 1))
                .map(|&r| ctx.hit(Assessments, r, &["AssessmentFactors"])),
        );
    }
    out
}
