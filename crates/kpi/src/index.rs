//! Lists built once per model so that a measure over a month touches that month's records, not
//! every child: the busiest records sorted by date, and for the rest the children who have any.

use chrono::NaiveDate;
use domain::Model;
use domain::RecordId;
use domain::model::{
    Allocation, Assessment, Audit, CarePeriod, Child, ClaReview, Contact, CpPlan, Referral,
};

/// Ends of open things sort after every real date.
pub const OPEN: NaiveDate = NaiveDate::MAX;

pub struct Index<'m> {
    /// Contacts by the time received.
    pub contacts: Vec<(&'m Child, &'m Contact)>,
    /// Contacts by the time decided.
    pub decisions: Vec<(&'m Child, &'m Contact)>,
    /// Referrals by date.
    pub referrals: Vec<(&'m Child, &'m Referral)>,
    /// Authorised assessments by the date authorised.
    pub authorised: Vec<(&'m Child, &'m Assessment)>,
    /// Every assessment by the day it was authorised (`OPEN` until then): those still running
    /// on a date are a short suffix.
    pub assessments_by_end: Vec<(NaiveDate, &'m Child, &'m Assessment)>,
    /// Referrals by the day their episode closed (`OPEN` while open): those open on a date are a
    /// short suffix.
    pub referrals_by_end: Vec<(NaiveDate, &'m Child, &'m Referral)>,
    /// Allocations by the day they ended (`OPEN` while current).
    pub allocations_by_end: Vec<(NaiveDate, &'m Child, &'m Allocation)>,
    /// Child protection plans by the day they ended (`OPEN` while open).
    pub cp_by_end: Vec<(NaiveDate, &'m Child, &'m CpPlan)>,
    /// Periods of care by the day they ended (`OPEN` while open).
    pub care_by_end: Vec<(NaiveDate, &'m Child, &'m CarePeriod)>,
    /// Every new plan (child protection, child in need, period of care) by its start.
    pub plan_starts: Vec<(NaiveDate, &'m Child, RecordId)>,
    /// Audits by date.
    pub audits: Vec<(NaiveDate, &'m Child, &'m Audit)>,
    /// Looked-after reviews by date.
    pub cla_reviews: Vec<(NaiveDate, &'m Child, &'m ClaReview)>,
    /// Children with a section 47 enquiry, conference or child protection plan.
    pub protection: Vec<&'m Child>,
    pub cin_plans: Vec<&'m Child>,
    /// Children ever looked after.
    pub in_care: Vec<&'m Child>,
    /// Children with a care leaver contact.
    pub leavers: Vec<&'m Child>,
    pub missing: Vec<&'m Child>,
    /// Children with an exploitation screening or hub referral.
    pub exploitation: Vec<&'m Child>,
    /// Children with a legal gateway panel, pre-proceedings or proceedings.
    pub legal: Vec<&'m Child>,
    pub permanence: Vec<&'m Child>,
    pub complaints: Vec<&'m Child>,
    pub disputes: Vec<&'m Child>,
    pub transfers: Vec<&'m Child>,
}

impl<'m> Index<'m> {
    pub fn new(model: &'m Model) -> Self {
        // Children in the order they lie in memory, so that reading them streams; lists that
        // need another order are sorted at the end.
        let children = model.children.values();
        let mut ix = Index {
            contacts: Vec::new(),
            decisions: Vec::new(),
            referrals: Vec::new(),
            authorised: Vec::new(),
            assessments_by_end: Vec::new(),
            referrals_by_end: Vec::new(),
            cp_by_end: Vec::new(),
            plan_starts: Vec::new(),
            audits: Vec::new(),
            cla_reviews: Vec::new(),
            care_by_end: Vec::new(),
            allocations_by_end: Vec::new(),
            protection: Vec::new(),
            cin_plans: Vec::new(),
            in_care: Vec::new(),
            leavers: Vec::new(),
            missing: Vec::new(),
            exploitation: Vec::new(),
            legal: Vec::new(),
            permanence: Vec::new(),
            complaints: Vec::new(),
            disputes: Vec::new(),
            transfers: Vec::new(),
        };
        for c in children {
            for k in &c.contacts {
                ix.contacts.push((c, k));
                if k.decision.is_some() {
                    ix.decisions.push((c, k));
                }
            }
            for r in &c.referrals {
                ix.referrals.push((c, r));
                ix.referrals_by_end
                    .push((r.closed.as_ref().map_or(OPEN, |(d, _)| *d), c, r));
            }
            for p in &c.cp_plans {
                ix.cp_by_end.push((p.end.unwrap_or(OPEN), c, p));
                ix.plan_starts.push((p.start, c, p.id));
            }
            for p in &c.cin_plans {
                ix.plan_starts.push((p.start, c, p.id));
            }
            for a in &c.audits {
                ix.audits.push((a.date, c, a));
            }
            for r in &c.cla_reviews {
                ix.cla_reviews.push((r.date, c, r));
            }
            for p in &c.care_periods {
                ix.plan_starts.push((p.start, c, p.id));
                ix.care_by_end
                    .push((p.end.as_ref().map_or(OPEN, |(d, _)| *d), c, p));
            }
            for a in &c.allocations {
                ix.allocations_by_end.push((a.to.unwrap_or(OPEN), c, a));
            }
            for a in &c.assessments {
                ix.assessments_by_end
                    .push((a.authorised.unwrap_or(OPEN), c, a));
                if a.authorised.is_some() {
                    ix.authorised.push((c, a));
                }
            }
            let add = |cond: bool, list: &mut Vec<&'m Child>| {
                if cond {
                    list.push(c);
                }
            };
            add(
                !c.cp_plans.is_empty() || !c.conferences.is_empty() || !c.enquiries.is_empty(),
                &mut ix.protection,
            );
            add(!c.cin_plans.is_empty(), &mut ix.cin_plans);
            add(!c.care_periods.is_empty(), &mut ix.in_care);
            add(!c.care_leaver_contacts.is_empty(), &mut ix.leavers);
            add(!c.missing.is_empty(), &mut ix.missing);
            add(
                !c.screenings.is_empty() || !c.hub_referrals.is_empty(),
                &mut ix.exploitation,
            );
            add(
                !c.gateway_panels.is_empty()
                    || !c.pre_proceedings.is_empty()
                    || !c.proceedings.is_empty(),
                &mut ix.legal,
            );
            add(
                !c.permanence_plans.is_empty() || !c.permanence_steps.is_empty(),
                &mut ix.permanence,
            );
            add(!c.complaints.is_empty(), &mut ix.complaints);
            add(!c.disputes.is_empty(), &mut ix.disputes);
            add(!c.transfers.is_empty(), &mut ix.transfers);
        }
        // Cached keys: each record is read once, not at every comparison.
        // Sibling groups are represented by their first child by id.
        ix.legal.sort_unstable_by_key(|c| c.id());
        ix.contacts.sort_by_cached_key(|(_, k)| k.received);
        ix.decisions
            .sort_by_cached_key(|(_, k)| k.decision.as_ref().map(|d| d.1));
        ix.referrals.sort_by_cached_key(|(_, r)| r.date);
        // Stable sorts: ties stay in child order, as pushed.
        ix.referrals_by_end.sort_by_key(|(end, _, _)| *end);
        ix.allocations_by_end.sort_by_key(|(end, _, _)| *end);
        ix.cp_by_end.sort_by_key(|(end, _, _)| *end);
        ix.care_by_end.sort_by_key(|(end, _, _)| *end);
        ix.plan_starts.sort_by_key(|(d, _, _)| *d);
        ix.audits.sort_by_key(|(d, _, _)| *d);
        ix.cla_reviews.sort_by_key(|(d, _, _)| *d);
        ix.authorised.sort_by_cached_key(|(_, a)| a.authorised);
        ix.assessments_by_end.sort_by_key(|(end, _, _)| *end);
        ix
    }
}

/// The entries of a date-sorted list whose date falls in `first..=last`.
pub fn between<T>(
    list: &[T],
    date: impl Fn(&T) -> NaiveDate,
    first: NaiveDate,
    last: NaiveDate,
) -> &[T] {
    let a = list.partition_point(|x| date(x) < first);
    let b = list.partition_point(|x| date(x) <= last);
    &list[a..b.max(a)]
}

impl<'m> Index<'m> {
    /// Children with a child protection plan at some time from `first` to `last`.
    pub fn on_plan_between(&self, first: NaiveDate, last: NaiveDate) -> Vec<&'m Child> {
        overlapping(&self.cp_by_end, first, last, |p| p.start)
    }

    /// Children in care at some time from `first` to `last`.
    pub fn in_care_between(&self, first: NaiveDate, last: NaiveDate) -> Vec<&'m Child> {
        overlapping(&self.care_by_end, first, last, |p| p.start)
    }
}

/// The children of an end-sorted list of spans with a span touching `first..=last`.
fn overlapping<'m, T>(
    list: &[(NaiveDate, &'m Child, &'m T)],
    first: NaiveDate,
    last: NaiveDate,
    start: impl Fn(&T) -> NaiveDate,
) -> Vec<&'m Child> {
    let from = list.partition_point(|(end, _, _)| *end < first);
    distinct(
        list[from..]
            .iter()
            .filter(|(_, _, x)| start(x) <= last)
            .map(|(_, c, _)| *c)
            .collect(),
    )
}

/// Each child once, in the order they lie in memory. Grouped by address, not id: reading each
/// child's id would cost a cache miss apiece.
pub fn distinct(mut children: Vec<&Child>) -> Vec<&Child> {
    children.sort_unstable_by_key(|c| std::ptr::from_ref::<Child>(c) as usize);
    children.dedup_by_key(|c| std::ptr::from_ref::<Child>(c) as usize);
    children
}

/// The entries of an end-sorted list still running after `at` (ending later, or open).
pub fn ending_after<T>(list: &[(NaiveDate, T)], at: NaiveDate) -> &[(NaiveDate, T)] {
    &list[list.partition_point(|(end, _)| *end <= at)..]
}

/// The same for lists of three.
pub fn running_after<A, B>(list: &[(NaiveDate, A, B)], at: NaiveDate) -> &[(NaiveDate, A, B)] {
    &list[list.partition_point(|(end, _, _)| *end <= at)..]
}
