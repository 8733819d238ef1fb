//! Lists built once per model so that a measure over a month touches that month's records, not
//! every child: the busiest records sorted by date, and for the rest the children who have any.

use crate::engine::{Placed, allocated_on};
use chrono::{Datelike, NaiveDate};
use domain::Model;
use domain::RecordId;
use domain::model::{
    Allocation, Assessment, Audit, CarePeriod, Child, ClaReview, Contact, CpPlan, Referral,
};

/// Ends of open things sort after every real date.
pub const OPEN: NaiveDate = NaiveDate::MAX;

/// The lists of what happened on a day carry the child's team and worker that day: placing
/// each record while its child is in the cache is much cheaper than placing it in every
/// measure that counts it.
pub struct Index<'m> {
    /// Contacts by the time received, placed on the day received.
    pub contacts: Vec<(&'m Child, &'m Contact, Placed)>,
    /// Contacts by the time decided, placed on the day decided.
    pub decisions: Vec<(&'m Child, &'m Contact, Placed)>,
    /// Referrals by date, placed on that day.
    pub referrals: Vec<(&'m Child, &'m Referral, Placed)>,
    /// Authorised assessments by the date authorised, placed on that day.
    pub authorised: Vec<(&'m Child, &'m Assessment, Placed)>,
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
        let mut days = Days::default();
        for c in children {
            for k in &c.contacts {
                let received = k.received.date();
                ix.contacts.push((c, k, allocated_on(c, received)));
                days.contacts.push(received);
                if let Some((_, at)) = &k.decision {
                    ix.decisions.push((c, k, allocated_on(c, at.date())));
                    days.decisions.push(at.date());
                }
            }
            for r in &c.referrals {
                ix.referrals.push((c, r, allocated_on(c, r.date)));
                days.referrals.push(r.date);
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
                if let Some(done) = a.authorised {
                    ix.authorised.push((c, a, allocated_on(c, done)));
                    days.authorised.push(done);
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
        // Sibling groups are represented by their first child by id.
        ix.legal.sort_unstable_by_key(|c| c.id());
        // Each list in day order, ties in child order as pushed. The days of the lists that
        // hold only pointers were noted as they were pushed, while each record was in the cache.
        order_by_day(&mut ix.contacts, &days.contacts);
        order_by_day(&mut ix.decisions, &days.decisions);
        order_by_day(&mut ix.referrals, &days.referrals);
        order_by_day(&mut ix.authorised, &days.authorised);
        for_days(&mut ix.referrals_by_end);
        for_days(&mut ix.allocations_by_end);
        for_days(&mut ix.cp_by_end);
        for_days(&mut ix.care_by_end);
        for_days(&mut ix.plan_starts);
        for_days(&mut ix.audits);
        for_days(&mut ix.cla_reviews);
        for_days(&mut ix.assessments_by_end);
        ix
    }
}

/// The day of each entry of the lists that do not hold it, in the order pushed.
#[derive(Default)]
struct Days {
    contacts: Vec<NaiveDate>,
    decisions: Vec<NaiveDate>,
    referrals: Vec<NaiveDate>,
    authorised: Vec<NaiveDate>,
}

/// Orders a list of dated entries by their day, ties kept in the order given.
fn for_days<A: Copy, B: Copy>(list: &mut Vec<(NaiveDate, A, B)>) {
    let days: Vec<NaiveDate> = list.iter().map(|(d, _, _)| *d).collect();
    order_by_day(list, &days);
}

/// Orders `list` by `days` (the day of each entry), ties kept in the order given. A counting
/// sort: the lists run to hundreds of thousands of entries over a few thousand days, and
/// sorting by comparison cost more than all the rest of building the index. `OPEN` sorts last.
fn order_by_day<T: Copy>(list: &mut Vec<T>, days: &[NaiveDate]) {
    debug_assert_eq!(list.len(), days.len());
    let number = |d: NaiveDate| i64::from(d.num_days_from_ce());
    let real = || days.iter().copied().filter(|d| *d != OPEN).map(number);
    let (Some(low), Some(high)) = (real().min(), real().max()) else {
        return; // empty, or every entry open: nothing to order
    };
    // One bucket per day, and one after them for open entries.
    let open = usize::try_from(high - low + 1).expect("high is at least low");
    if open > 1_000_000 {
        // Days spread over thousands of years: a mistake in the records, but still ordered.
        let mut keyed: Vec<(NaiveDate, T)> =
            days.iter().copied().zip(list.iter().copied()).collect();
        keyed.sort_by_key(|(d, _)| *d);
        list.clear();
        list.extend(keyed.into_iter().map(|(_, x)| x));
        return;
    }
    let bucket = |d: NaiveDate| {
        if d == OPEN {
            open
        } else {
            usize::try_from(number(d) - low).expect("no day before the earliest")
        }
    };
    let mut starts = vec![0usize; open + 2];
    for d in days {
        starts[bucket(*d) + 1] += 1;
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let mut sorted: Vec<Option<T>> = vec![None; list.len()];
    for (d, x) in days.iter().zip(list.iter()) {
        let slot = &mut starts[bucket(*d)];
        sorted[*slot] = Some(*x);
        *slot += 1;
    }
    list.clear();
    list.extend(
        sorted
            .into_iter()
            .map(|x| x.expect("every place filled once")),
    );
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

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().expect("a date")
    }

    #[test]
    fn ordering_by_day_keeps_ties_in_order_and_open_last() {
        let days = [
            day("2024-03-02"),
            OPEN,
            day("2024-02-29"),
            day("2024-03-02"),
            day("2023-12-31"),
            OPEN,
        ];
        let mut list: Vec<usize> = (0..days.len()).collect();
        order_by_day(&mut list, &days);
        assert_eq!(list, vec![4, 2, 0, 3, 1, 5]);
    }

    #[test]
    fn ordering_by_day_copes_with_nothing_all_open_and_wild_dates() {
        let mut empty: Vec<u8> = Vec::new();
        order_by_day(&mut empty, &[]);
        assert!(empty.is_empty());

        let mut open = vec![1, 2];
        order_by_day(&mut open, &[OPEN, OPEN]);
        assert_eq!(open, vec![1, 2]);

        // A year mistyped thousands of years out still sorts, ties in order.
        let days = [
            day("9999-01-01"),
            day("2024-01-01"),
            day("0001-01-01"),
            day("2024-01-01"),
        ];
        let mut wild = vec!['a', 'b', 'c', 'd'];
        order_by_day(&mut wild, &days);
        assert_eq!(wild, vec!['c', 'b', 'd', 'a']);
    }
}
