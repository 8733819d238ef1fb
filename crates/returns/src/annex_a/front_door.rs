//! Lists 1 to 5: what came to the front door and what followed, over the last six months.

use super::values::{self, pick, yes_no};
use super::{Cell, Ctx, List, by_date, columns, person, person_with_disability};
use chrono::NaiveDate;
use domain::codes::{ConferenceKind, S47Outcome};
use domain::model::{Child, Referral};

/// List 1: every contact received in the six months.
pub fn contacts(ctx: &Ctx) -> List {
    let mut rows = Vec::new();
    for c in &ctx.children {
        for contact in &c.contacts {
            let on = contact.received.date();
            if !ctx.in_six_months(on) {
                continue;
            }
            let mut row = person(c, on);
            row.push(Cell::Date(on));
            row.push(pick(values::SOURCE, contact.source.as_str()).into());
            rows.push((on, row));
        }
    }
    List {
        number: 1,
        as_of: ctx.as_of,
        title: "Contacts",
        period: format!("Contacts received {}", ctx.six_month_span()),
        columns: columns::LIST_1,
        rows: by_date(rows),
        not_held: Vec::new(),
    }
}

/// List 2: early help episodes (the early help assessment) started or ended in the six months.
pub fn early_help(ctx: &Ctx) -> List {
    let mut rows = Vec::new();
    for c in &ctx.children {
        for eh in &c.early_help {
            let ended = ctx.ended(eh.end.as_ref().map(|(d, _)| *d));
            let started_in = ctx.in_six_months(eh.start);
            if !(started_in || ended.is_some_and(|e| ctx.in_six_months(e))) {
                continue;
            }
            let mut row = person(c, eh.start);
            row.push(Cell::Date(eh.start));
            row.push(Cell::date(ended));
            row.push(eh.lead_professional.clone().into());
            rows.push((eh.start, row));
        }
    }
    List {
        number: 2,
        as_of: ctx.as_of,
        title: "Early help",
        period: format!(
            "Early help assessments started or completed {}",
            ctx.six_month_span()
        ),
        columns: columns::LIST_2,
        rows: by_date(rows),
        not_held: Vec::new(),
    }
}

/// The day a CIN episode ended, as known on the inspection date.
fn episode_end(ctx: &Ctx, r: &Referral) -> Option<NaiveDate> {
    ctx.ended(r.closed.as_ref().map(|(d, _)| *d))
}

/// A referral closed as no further action, or closed without an assessment, enquiry or plan.
fn referral_nfa(ctx: &Ctx, c: &Child, r: &Referral) -> bool {
    if episode_end(ctx, r).is_none() {
        return false;
    }
    r.nfa
        || !c.assessments.iter().any(|a| a.referral == r.id)
            && !c.enquiries.iter().any(|s| s.referral == r.id)
            && !c.cin_plans.iter().any(|p| p.referral == r.id)
            && !c.cp_plans.iter().any(|p| p.referral == r.id)
}

/// List 3: every referral received in the six months.
pub fn referrals(ctx: &Ctx) -> List {
    let mut rows = Vec::new();
    for c in &ctx.children {
        for r in &c.referrals {
            if !ctx.in_six_months(r.date) {
                continue;
            }
            let year_before = super::months_back(r.date, 12);
            let in_year = c
                .referrals
                .iter()
                .filter(|x| x.date >= year_before && x.date <= r.date)
                .count();
            let mut row = person(c, r.date);
            row.push(Cell::Date(r.date));
            row.push(pick(values::SOURCE, r.source.as_str()).into());
            row.push(yes_no(referral_nfa(ctx, c, r)).into());
            row.push(in_year.into());
            let to = episode_end(ctx, r).unwrap_or(ctx.as_of);
            row.extend(ctx.allocated(c, r.date, to));
            rows.push((r.date, row));
        }
    }
    List {
        number: 3,
        as_of: ctx.as_of,
        title: "Referrals",
        period: format!("Referrals received {}", ctx.six_month_span()),
        columns: columns::LIST_3,
        rows: by_date(rows),
        not_held: Vec::new(),
    }
}

/// List 4: every assessment started or authorised in the six months, or open during them.
pub fn assessments(ctx: &Ctx) -> List {
    let mut rows = Vec::new();
    for c in &ctx.children {
        for a in &c.assessments {
            if a.start > ctx.as_of {
                continue;
            }
            let authorised = ctx.ended(a.authorised);
            let referral = c.referrals.iter().find(|r| r.id == a.referral);
            let referral_end = referral.and_then(|r| episode_end(ctx, r));
            let live = match authorised {
                Some(done) => done >= ctx.six_months,
                // An assessment never authorised is live while its episode is open.
                None => referral_end.is_none_or(|e| e >= ctx.six_months),
            };
            if !live {
                continue;
            }
            let until = authorised.or(referral_end).unwrap_or(ctx.as_of);
            let seen = c
                .visits
                .iter()
                .any(|v| v.seen && v.date >= a.start && v.date <= until);
            let needs_support: Option<&str> = authorised.map(|_| {
                let plan = c.cin_plans.iter().any(|p| p.referral == a.referral)
                    || c.cp_plans.iter().any(|p| p.referral == a.referral)
                    || c.care_periods.iter().any(|p| {
                        p.start >= a.start && p.start <= referral_end.unwrap_or(ctx.as_of)
                    });
                if plan {
                    values::YES
                } else if referral_end.is_some() {
                    values::NO
                } else {
                    // Authorised, episode still open, no plan yet: the decision is not recorded.
                    "c) Unknown"
                }
            });
            let mut row = person_with_disability(c, a.start);
            row.push(Cell::Date(a.start));
            row.push(yes_no(seen).into());
            row.push(Cell::date(authorised));
            row.push(needs_support.into());
            row.extend(ctx.allocated(c, a.start, until));
            rows.push((a.start, row));
        }
    }
    List {
        number: 4,
        as_of: ctx.as_of,
        title: "Assessments",
        period: format!(
            "Assessments started, open or authorised {}",
            ctx.six_month_span()
        ),
        columns: columns::LIST_4,
        rows: by_date(rows),
        not_held: Vec::new(),
    }
}

/// List 5: every section 47 enquiry started in the six months, and its initial conference.
pub fn enquiries(ctx: &Ctx) -> List {
    let mut rows = Vec::new();
    for c in &ctx.children {
        let enquiries_in_year = c
            .enquiries
            .iter()
            .filter(|s| ctx.in_twelve_months(s.start))
            .count();
        let icpcs_in_year = c
            .conferences
            .iter()
            .filter(|k| k.kind == ConferenceKind::Initial && ctx.in_twelve_months(k.date))
            .count();
        for s in &c.enquiries {
            if !ctx.in_six_months(s.start) {
                continue;
            }
            let strategy = s
                .strategy
                .and_then(|id| c.strategy_discussions.iter().find(|d| d.id == id))
                .map(|d| d.date);
            let icpc = c
                .conferences
                .iter()
                .filter(|k| {
                    k.kind == ConferenceKind::Initial
                        && k.enquiry == Some(s.id)
                        && k.date <= ctx.as_of
                })
                .min_by_key(|k| k.date);
            let completed = s.completed.filter(|(d, _)| *d <= ctx.as_of);
            // Unnecessary: the enquiry ended without a conference, or one planned was then found
            // not to be needed; unknown while the enquiry goes on.
            let unnecessary = match (icpc, completed) {
                (Some(_), _) => Some(values::NO),
                (None, Some((_, outcome))) => Some(yes_no(
                    outcome != S47Outcome::Conference || s.conference_not_required,
                )),
                (None, None) => None,
            };
            let mut row = person_with_disability(c, s.start);
            row.push(Cell::Date(strategy.unwrap_or(s.start)));
            row.push(unnecessary.into());
            row.push(Cell::date(icpc.map(|k| k.date)));
            row.push(icpc.map(|k| yes_no(k.plan_needed)).into());
            row.push(enquiries_in_year.into());
            row.push(icpcs_in_year.into());
            // The enquiry's own worker: whoever held the case until it concluded.
            let until = completed
                .map(|(d, _)| d)
                .or(icpc.map(|k| k.date))
                .unwrap_or(ctx.as_of);
            row.extend(ctx.allocated(c, s.start, until));
            rows.push((s.start, row));
        }
    }
    List {
        number: 5,
        as_of: ctx.as_of,
        title: "Section 47 enquiries and Initial Child Protection Conferences",
        period: format!(
            "Section 47 enquiries started {}; counts over {}",
            ctx.six_month_span(),
            ctx.twelve_month_span()
        ),
        columns: columns::LIST_5,
        rows: by_date(rows),
        not_held: Vec::new(),
    }
}
