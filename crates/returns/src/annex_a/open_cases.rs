//! Lists 6 and 7: children in need and children on child protection plans at any time in the
//! last six months.

use super::values::{self, yes_no};
use super::{Cell, Ctx, List, age_on, by_date, columns, person_with_disability};
use chrono::NaiveDate;
use domain::codes::{PrimaryNeed, VisitKind};
use domain::model::{Child, CpPlan};

/// Whether the child was looked after on `on`.
pub(crate) fn looked_after_on(c: &Child, on: NaiveDate) -> bool {
    c.care_periods
        .iter()
        .any(|p| p.start <= on && p.end.as_ref().is_none_or(|(e, _)| *e > on))
}

/// List 6: every CIN episode open at any time in the six months.
pub fn children_in_need(ctx: &Ctx) -> List {
    let mut rows = Vec::new();
    for c in &ctx.children {
        for r in &c.referrals {
            let end = ctx.ended(r.closed.as_ref().map(|(d, _)| *d));
            if r.date > ctx.as_of || end.is_some_and(|e| e < ctx.six_months) {
                continue;
            }
            // Children in need are under 18: an episode left open into adulthood is not one.
            if age_on(c, ctx.six_months).is_some_and(|a| a >= 18) {
                continue;
            }
            let on = end.unwrap_or(ctx.as_of);
            let last_seen = c
                .visits
                .iter()
                .filter(|v| v.seen && v.date >= r.date && v.date <= on)
                .map(|v| v.date)
                .max();
            let open_on = |start: NaiveDate, stop: Option<NaiveDate>| {
                start <= on && stop.is_none_or(|s| s > on)
            };
            let status = if end.is_some() {
                values::CLOSED_EPISODE
            } else if looked_after_on(c, on) {
                values::LOOKED_AFTER
            } else if c.cp_plans.iter().any(|p| open_on(p.start, p.end)) {
                values::ON_CP_PLAN
            } else if c.cin_plans.iter().any(|p| open_on(p.start, p.end)) {
                values::ON_CIN_PLAN
            } else if c
                .assessments
                .iter()
                .any(|a| a.referral == r.id && open_on(a.start, a.authorised))
            {
                values::OPEN_ASSESSMENT
            } else {
                // Open after its assessment with no plan: supported as a child in need.
                values::ON_CIN_PLAN
            };
            let mut row = person_with_disability(c, ctx.as_of);
            row.push(Cell::Date(r.date));
            row.push(values::primary_need(r.primary_need.unwrap_or(PrimaryNeed::N0)).into());
            row.push(Cell::date(last_seen));
            row.push(Cell::date(end));
            row.push(
                r.closed
                    .as_ref()
                    .filter(|_| end.is_some())
                    .map(|(_, reason)| values::pick(values::CIN_CLOSURE, reason.as_str()))
                    .into(),
            );
            row.push(status.into());
            row.extend(ctx.allocated(c, r.date, on));
            rows.push((r.date, row));
        }
    }
    List {
        number: 6,
        as_of: ctx.as_of,
        title: "Children in need",
        period: format!(
            "CIN episodes open at any time {} of children under 18 when it began (including \
             children on plans and looked after)",
            ctx.six_month_span()
        ),
        columns: columns::LIST_6,
        rows: by_date(rows),
        not_held: Vec::new(),
    }
}

/// Whether the child was under police protection or an emergency protection order (legal status
/// L1 or L2) on any day of the six months.
fn protected_in_six_months(ctx: &Ctx, c: &Child) -> bool {
    c.care_periods.iter().any(|p| {
        p.episodes.iter().enumerate().any(|(i, ep)| {
            let until = p
                .episodes
                .get(i + 1)
                .map(|next| next.start)
                .or(p.end.as_ref().map(|(e, _)| *e))
                .unwrap_or(ctx.as_of);
            matches!(ep.legal_status.as_str(), "L1" | "L2")
                && ep.start <= ctx.as_of
                && until >= ctx.six_months
        })
    })
}

/// Plans before this one: those in Hearth's records, added to what a return reported for the
/// latest plan that carried a count (history from before the records begin).
fn previous_plans(c: &Child, plan: &CpPlan) -> usize {
    if let Some(n) = plan.previous_plans {
        return n as usize;
    }
    let mut earlier: Vec<&CpPlan> = c.cp_plans.iter().filter(|p| p.start < plan.start).collect();
    earlier.sort_by_key(|p| std::cmp::Reverse(p.start));
    for (i, p) in earlier.iter().enumerate() {
        if let Some(n) = p.previous_plans {
            return i + 1 + n as usize;
        }
    }
    earlier.len()
}

/// List 7: every child protection plan in force at any time in the six months.
pub fn child_protection(ctx: &Ctx) -> List {
    let mut rows = Vec::new();
    for c in &ctx.children {
        for plan in &c.cp_plans {
            let end = ctx.ended(plan.end);
            if plan.start > ctx.as_of || end.is_some_and(|e| e < ctx.six_months) {
                continue;
            }
            let on = end.unwrap_or(ctx.as_of);
            let last_visit = c
                .visits
                .iter()
                .filter(|v| {
                    v.kind == VisitKind::ChildProtection && v.date >= plan.start && v.date <= on
                })
                .max_by_key(|v| v.date);
            let last_review = plan.reviews.iter().filter(|d| **d <= on).max().copied();
            let previous = previous_plans(c, plan);
            let mut row = person_with_disability(c, ctx.as_of);
            row.push(Cell::Date(plan.start));
            row.push(values::abuse(plan.initial_category).into());
            row.push(values::abuse(plan.category).into());
            row.push(Cell::date(last_visit.map(|v| v.date)));
            row.push(last_visit.map(|v| yes_no(v.seen_alone)).into());
            row.push(Cell::date(last_review));
            row.push(Cell::date(end));
            row.push(yes_no(protected_in_six_months(ctx, c)).into());
            row.push(previous.into());
            row.extend(ctx.allocated(c, plan.start, on));
            rows.push((plan.start, row));
        }
    }
    List {
        number: 7,
        as_of: ctx.as_of,
        title: "Child protection",
        period: format!(
            "Child protection plans in force at any time {}",
            ctx.six_month_span()
        ),
        columns: columns::LIST_7,
        rows: by_date(rows),
        not_held: Vec::new(),
    }
}
