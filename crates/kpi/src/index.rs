//! Lists built once per model so that a measure over a month touches that month's records, not
//! every child: the busiest records sorted by date, and for the rest the children who have any.

use chrono::NaiveDate;
use domain::Model;
use domain::model::{Assessment, Child, Contact, Referral};

pub struct Index<'m> {
    /// Every child, by id.
    pub children: Vec<&'m Child>,
    /// Contacts by the time received.
    pub contacts: Vec<(&'m Child, &'m Contact)>,
    /// Contacts by the time decided.
    pub decisions: Vec<(&'m Child, &'m Contact)>,
    /// Referrals by date.
    pub referrals: Vec<(&'m Child, &'m Referral)>,
    /// Authorised assessments by the date authorised.
    pub authorised: Vec<(&'m Child, &'m Assessment)>,
    /// Every assessment by its start.
    pub assessments: Vec<(&'m Child, &'m Assessment)>,
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
    /// Children ever allocated or with a referral: everyone social care has worked with.
    pub worked_with: Vec<&'m Child>,
    pub audited: Vec<&'m Child>,
    pub complaints: Vec<&'m Child>,
    pub disputes: Vec<&'m Child>,
    pub transfers: Vec<&'m Child>,
}

impl<'m> Index<'m> {
    pub fn new(model: &'m Model) -> Self {
        let mut children: Vec<&Child> = model.children.values().collect();
        children.sort_unstable_by_key(|c| c.id());
        let mut ix = Index {
            contacts: Vec::new(),
            decisions: Vec::new(),
            referrals: Vec::new(),
            authorised: Vec::new(),
            assessments: Vec::new(),
            protection: Vec::new(),
            cin_plans: Vec::new(),
            in_care: Vec::new(),
            leavers: Vec::new(),
            missing: Vec::new(),
            exploitation: Vec::new(),
            legal: Vec::new(),
            permanence: Vec::new(),
            worked_with: Vec::new(),
            audited: Vec::new(),
            complaints: Vec::new(),
            disputes: Vec::new(),
            transfers: Vec::new(),
            children: Vec::new(),
        };
        for &c in &children {
            for k in &c.contacts {
                ix.contacts.push((c, k));
                if k.decision.is_some() {
                    ix.decisions.push((c, k));
                }
            }
            for r in &c.referrals {
                ix.referrals.push((c, r));
            }
            for a in &c.assessments {
                ix.assessments.push((c, a));
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
            add(
                !c.allocations.is_empty() || !c.referrals.is_empty() || !c.care_periods.is_empty(),
                &mut ix.worked_with,
            );
            add(!c.audits.is_empty(), &mut ix.audited);
            add(!c.complaints.is_empty(), &mut ix.complaints);
            add(!c.disputes.is_empty(), &mut ix.disputes);
            add(!c.transfers.is_empty(), &mut ix.transfers);
        }
        ix.contacts.sort_by_key(|(_, k)| k.received);
        ix.decisions
            .sort_by_key(|(_, k)| k.decision.as_ref().map(|d| d.1));
        ix.referrals.sort_by_key(|(_, r)| r.date);
        ix.authorised.sort_by_key(|(_, a)| a.authorised);
        ix.assessments.sort_by_key(|(_, a)| a.start);
        ix.children = children;
        ix
    }
}

/// The entries of a date-sorted list whose date falls in `first..=last`.
pub fn between<'a, T>(
    list: &'a [T],
    date: impl Fn(&T) -> NaiveDate,
    first: NaiveDate,
    last: NaiveDate,
) -> &'a [T] {
    let a = list.partition_point(|x| date(x) < first);
    let b = list.partition_point(|x| date(x) <= last);
    &list[a..b.max(a)]
}

/// The entries of a date-sorted list whose date is on or before `last`.
pub fn up_to<'a, T>(list: &'a [T], date: impl Fn(&T) -> NaiveDate, last: NaiveDate) -> &'a [T] {
    &list[..list.partition_point(|x| date(x) <= last)]
}
