use crate::history::*;
use domain::ChildId;
use domain::calendar::Calendar;
use domain::codes::{
    AbuseCategory, Agency, Code, ConferenceKind, S47Outcome, Service, StrategyOutcome, VisitKind,
};
use domain::events::{
    CaseClosed, ConferenceHeld, CoreGroupHeld, CpPlanEnded, CpPlanReviewed, CpPlanStarted,
    Section47Completed, Section47Started, StrategyDiscussionHeld, VisitMade,
};
use kpi::Scope;
use kpi::clocks::{ClockKind, ClockStatus, Owner, worklist};

// ---- Shorthands for this file ----------------------------------------------------------------
//
// Calendar used below (* = not a working day):
//   Dec 2023: Thu 14, Fri 15; Mon 25* Tue 26* (Christmas, Boxing Day); Sat 30*, Sun 31*
//   Jan 2024: Mon 1* (New Year's Day); Mondays 8, 15, 22, 29
//   Feb 2024: Thu 1; Mondays 5, 12, 19, 26; Thu 29 (leap day)
//   Mar 2024: Fri 1; Mondays 4, 11, 18, 25; Thu 28; Fri 29* (Good Friday), Sat 30*, Sun 31*
//   Apr 2024: Mon 1* (Easter Monday); Tue 2; Mondays 8, 15, 22, 29
//   May 2024: Wed 1; Mon 6* (early May bank holiday); Mon 13, Tue 14, Fri 17

/// A child with referral 1 on `date`.
fn referred(h: &mut History, id: u64, date: &str) -> ChildId {
    let c = h.child(id, "2015-06-01");
    h.referral(c, 1, date);
    c
}

/// A strategy discussion on referral 1 deciding on a section 47 enquiry.
fn strategy(h: &mut History, c: ChildId, id: u32, at: &str) {
    h.on(
        c,
        StrategyDiscussionHeld {
            strategy: r(id),
            referral: r(1),
            outcome: StrategyOutcome::Section47,
            at: d(at),
        },
    );
}

/// A section 47 enquiry on referral 1, begun by strategy discussion `strategy` if given.
fn enquiry(h: &mut History, c: ChildId, id: u32, strategy: Option<u32>, at: &str) {
    h.on(
        c,
        Section47Started {
            enquiry: r(id),
            referral: r(1),
            strategy: strategy.map(r),
            at: d(at),
        },
    );
}

fn complete(h: &mut History, c: ChildId, enquiry: u32, outcome: S47Outcome, at: &str) {
    h.on(
        c,
        Section47Completed {
            enquiry: r(enquiry),
            outcome,
            at: d(at),
            conference_not_required: false,
            conference_target: None,
        },
    );
}

/// A conference: initial ones follow an enquiry; review and transfer-in ones need none.
fn conference(
    h: &mut History,
    c: ChildId,
    id: u32,
    kind: ConferenceKind,
    enquiry: Option<u32>,
    at: &str,
    plan_needed: bool,
) {
    h.on(
        c,
        ConferenceHeld {
            conference: r(id),
            kind,
            enquiry: enquiry.map(r),
            plan_needed,
            agencies_present: Vec::new(),
            at: d(at),
        },
    );
}

/// An initial child protection conference following enquiry `enquiry`.
fn icpc(h: &mut History, c: ChildId, id: u32, enquiry: u32, at: &str, plan_needed: bool) {
    conference(
        h,
        c,
        id,
        ConferenceKind::Initial,
        Some(enquiry),
        at,
        plan_needed,
    );
}

/// A child protection plan on referral 1 from `start`, ended on `end` if given.
fn plan(h: &mut History, c: ChildId, id: u32, start: &str, end: Option<&str>) {
    h.on(
        c,
        CpPlanStarted {
            plan: r(id),
            referral: r(1),
            category: AbuseCategory::Neglect,
            conference: None,
            at: d(start),
            previous_plans: None,
        },
    );
    if let Some(at) = end {
        h.on(
            c,
            CpPlanEnded {
                plan: r(id),
                at: d(at),
                reason: String::new(),
            },
        );
    }
}

fn review(h: &mut History, c: ChildId, plan: u32, at: &str) {
    h.on(
        c,
        CpPlanReviewed {
            plan: r(plan),
            at: d(at),
            category: None,
        },
    );
}

fn core_group(h: &mut History, c: ChildId, plan: u32, at: &str, attendance: &[(Agency, bool)]) {
    h.on(
        c,
        CoreGroupHeld {
            plan: r(plan),
            at: d(at),
            attendance: attendance.to_vec(),
        },
    );
}

fn visit(h: &mut History, c: ChildId, id: u32, kind: VisitKind, at: &str, seen: bool, alone: bool) {
    h.on(
        c,
        VisitMade {
            visit: r(id),
            kind,
            at: d(at),
            seen,
            seen_alone: alone,
        },
    );
}

/// Closes the CIN episode of referral 1 with a closure reason (RC1..RC9).
fn close(h: &mut History, c: ChildId, reason: &str, at: &str) {
    h.on(
        c,
        CaseClosed {
            referral: r(1),
            reason: Code::from(reason),
            at: d(at),
            referral_nfa: false,
        },
    );
}

/// A child protection visit.
fn cp_visit(h: &mut History, c: ChildId, id: u32, at: &str, seen: bool, alone: bool) {
    visit(h, c, id, VisitKind::ChildProtection, at, seen, alone);
}

// ---- S47-01, S47-02 --------------------------------------------------------------------------

#[test]
fn s47_01_enquiries_started_per_10000() {
    let mut h = History::new();
    // Child 1: enquiries started Friday 31 March 2023 (2022/23) and 1 September 2023 (2023/24).
    let a = referred(&mut h, 1, "2023-03-20");
    enquiry(&mut h, a, 2, None, "2023-03-31");
    enquiry(&mut h, a, 3, None, "2023-09-01");
    // Child 2 (family safeguarding team): enquiries on the leap day and Sunday 31 March 2024.
    let b = referred(&mut h, 2, "2024-02-28");
    h.allocate(b, SAFEGUARDING, "2024-02-28");
    enquiry(&mut h, b, 2, None, "2024-02-29");
    enquiry(&mut h, b, 3, None, "2024-03-31");
    // Child 3: an enquiry started Easter Monday, 1 April 2024 (2024/25).
    let c = referred(&mut h, 3, "2024-03-28");
    enquiry(&mut h, c, 2, None, "2024-04-01");

    // 2023/24: child 1's second and child 2's two = 3; 10,000 × 3 / 20,000 = 1.5.
    assert_eq!(
        ndv(&h.figure("S47-01", "2023/24", "2024-06-01")),
        (Some(3.0), Some(20_000.0), Some(1.5))
    );
    // 2022/23 and 2024/25: one each = 0.5. February 2024: the leap-day one = 0.5.
    assert_eq!(
        ndv(&h.figure("S47-01", "2022/23", "2024-06-01")),
        (Some(1.0), Some(20_000.0), Some(0.5))
    );
    assert_eq!(
        ndv(&h.figure("S47-01", "2024/25", "2024-06-01")),
        (Some(1.0), Some(20_000.0), Some(0.5))
    );
    assert_eq!(
        ndv(&h.figure("S47-01", "2024-02", "2024-06-01")),
        (Some(1.0), Some(20_000.0), Some(0.5))
    );
    // The family safeguarding team has child 2's two; the service (S47-01's home) has those and
    // unallocated child 1's = 3. Neither gets a rate.
    let team = h.outcome_for("S47-01", "2023/24", Scope::Team(SAFEGUARDING), "2024-06-01");
    assert_eq!(ndv(&team.figure), (Some(2.0), None, None));
    let fs = Scope::Service(Service::FamilySafeguarding);
    assert_eq!(
        ndv(&h.outcome_for("S47-01", "2023/24", fs, "2024-06-01").figure),
        (Some(3.0), None, None)
    );
}

#[test]
fn s47_02_initial_conferences_per_10000() {
    let mut h = History::new();
    // Child 1: an initial conference on the leap day, then a review conference on 20 May 2024
    // (not initial: not counted).
    let a = referred(&mut h, 1, "2024-01-25");
    enquiry(&mut h, a, 2, None, "2024-02-01");
    icpc(&mut h, a, 3, 2, "2024-02-29", true);
    plan(&mut h, a, 4, "2024-02-29", None);
    conference(
        &mut h,
        a,
        5,
        ConferenceKind::Review,
        None,
        "2024-05-20",
        true,
    );
    // Child 2: an initial conference on Thursday 28 March 2024.
    let b = referred(&mut h, 2, "2024-03-08");
    enquiry(&mut h, b, 2, None, "2024-03-11");
    icpc(&mut h, b, 3, 2, "2024-03-28", false);
    // Child 3: an initial conference on Tuesday 2 April 2024 (2024/25).
    let c = referred(&mut h, 3, "2024-03-15");
    enquiry(&mut h, c, 2, None, "2024-03-18");
    icpc(&mut h, c, 3, 2, "2024-04-02", true);
    // Child 4: a transfer-in conference on 15 March 2024 (not initial: not counted).
    let e = referred(&mut h, 4, "2024-03-01");
    conference(
        &mut h,
        e,
        2,
        ConferenceKind::TransferIn,
        None,
        "2024-03-15",
        true,
    );

    // 2023/24: child 1's and child 2's = 2; 10,000 × 2 / 20,000 = 1.0.
    assert_eq!(
        ndv(&h.figure("S47-02", "2023/24", "2024-06-01")),
        (Some(2.0), Some(20_000.0), Some(1.0))
    );
    // March 2024: child 2's alone = 0.5 (the transfer-in is not counted).
    assert_eq!(
        ndv(&h.figure("S47-02", "2024-03", "2024-06-01")),
        (Some(1.0), Some(20_000.0), Some(0.5))
    );
    // 2024/25: child 3's = 0.5 (child 1's review conference is not counted).
    assert_eq!(
        ndv(&h.figure("S47-02", "2024/25", "2024-06-01")),
        (Some(1.0), Some(20_000.0), Some(0.5))
    );
    // Read on 1 April 2024, child 3's conference is still to come: 0.
    assert_eq!(
        ndv(&h.figure("S47-02", "2024/25", "2024-04-01")),
        (Some(0.0), Some(20_000.0), Some(0.0))
    );
}

// ---- S47-03 ----------------------------------------------------------------------------------

#[test]
fn s47_03_initial_conferences_within_15_working_days_of_the_strategy_discussion() {
    let mut h = History::new();
    // Child 1: strategy discussion Thursday 14 December 2023; conference Tuesday 9 January 2024.
    // Working days: 15 Dec = 1, 18-22 = 6, 27-29 = 9 (25, 26 lost), 2-5 Jan = 13 (1 Jan lost),
    // 8, 9 = 15: met (weekdays alone would make it 18). A later review conference is not counted.
    let a = referred(&mut h, 1, "2023-12-01");
    strategy(&mut h, a, 2, "2023-12-14");
    enquiry(&mut h, a, 3, Some(2), "2023-12-14");
    icpc(&mut h, a, 4, 3, "2024-01-09", true);
    plan(&mut h, a, 5, "2024-01-09", None);
    conference(
        &mut h,
        a,
        6,
        ConferenceKind::Review,
        None,
        "2024-04-09",
        true,
    );
    // Child 2: strategy Friday 15 March 2024, conference Monday 8 April: 18-22 Mar = 5, 25-28
    // = 9 (Good Friday lost), 2-5 Apr = 13 (Easter Monday lost), 8 Apr = 14: met, in 2024/25.
    let b = referred(&mut h, 2, "2024-03-14");
    strategy(&mut h, b, 2, "2024-03-15");
    enquiry(&mut h, b, 3, Some(2), "2024-03-15");
    icpc(&mut h, b, 4, 3, "2024-04-08", false);
    // Child 3 (family safeguarding): strategy Monday 8 January 2024, conference Tuesday 30
    // January: 9-12 = 4, 15-19 = 9, 22-26 = 14, 29, 30 = 16: not met.
    let c = referred(&mut h, 3, "2024-01-05");
    h.allocate(c, SAFEGUARDING, "2024-01-05");
    strategy(&mut h, c, 2, "2024-01-08");
    enquiry(&mut h, c, 3, Some(2), "2024-01-08");
    icpc(&mut h, c, 4, 3, "2024-01-30", false);
    // Child 4 (family safeguarding): an enquiry with no strategy discussion on record, conference
    // 20 February 2024: left out.
    let e = referred(&mut h, 4, "2024-02-01");
    h.allocate(e, SAFEGUARDING, "2024-02-01");
    enquiry(&mut h, e, 2, None, "2024-02-02");
    icpc(&mut h, e, 3, 2, "2024-02-20", true);

    // 2023/24: child 1 (15, met), child 3 (16, not) = 1 of 2 = 50%; child 4 left out.
    let o = h.outcome("S47-03", "2023/24", "2024-06-01");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.0), Some(50.0)));
    let days: Vec<_> = o.items.iter().map(|i| i.value).collect();
    assert_eq!(days, vec![Some(15.0), Some(16.0)]);
    assert_eq!(o.left.len(), 1);
    assert_eq!(o.left[0].record, Some(r(3)));
    assert_eq!(o.left[0].date, d("2024-02-20"));
    assert_eq!(o.left[0].reason, "no strategy discussion on record");
    // 2024/25: child 2's, strategy in 2023/24 and conference in 2024/25: 1 of 1.
    assert_eq!(
        ndv(&h.figure("S47-03", "2024/25", "2024-06-01")),
        (Some(1.0), Some(1.0), Some(100.0))
    );
    // The family safeguarding team: child 3 (0 of 1) and child 4 left out. The service adds
    // the unallocated child 1: 1 of 2, child 4 left out. The assessment service has nothing.
    let team = h.outcome_for("S47-03", "2023/24", Scope::Team(SAFEGUARDING), "2024-06-01");
    assert_eq!(ndv(&team.figure), (Some(0.0), Some(1.0), Some(0.0)));
    assert_eq!(team.left.len(), 1);
    let fs = h.outcome_for(
        "S47-03",
        "2023/24",
        Scope::Service(Service::FamilySafeguarding),
        "2024-06-01",
    );
    assert_eq!(ndv(&fs.figure), (Some(1.0), Some(2.0), Some(50.0)));
    assert_eq!(fs.left.len(), 1);
    let asmt = h.outcome_for(
        "S47-03",
        "2023/24",
        Scope::Service(Service::Assessment),
        "2024-06-01",
    );
    assert_eq!(ndv(&asmt.figure), (Some(0.0), Some(0.0), None));
    assert!(asmt.left.is_empty());
}

// ---- S47-04a, S47-04b ------------------------------------------------------------------------

#[test]
fn s47_04a_enquiries_completed_that_went_to_conference() {
    let mut h = History::new();
    // Child 1, two enquiries: one completed on the leap day with no further action; one
    // completed Thursday 28 March 2024 going to conference.
    let a = referred(&mut h, 1, "2024-01-31");
    enquiry(&mut h, a, 2, None, "2024-02-01");
    complete(&mut h, a, 2, S47Outcome::NoFurtherAction, "2024-02-29");
    enquiry(&mut h, a, 3, None, "2024-03-04");
    complete(&mut h, a, 3, S47Outcome::Conference, "2024-03-28");
    // Child 2: completed Good Friday, 29 March, to continue as a child in need.
    let b = referred(&mut h, 2, "2024-03-11");
    enquiry(&mut h, b, 2, None, "2024-03-11");
    complete(&mut h, b, 2, S47Outcome::ChildInNeed, "2024-03-29");
    // Child 3: completed Sunday 31 March, no further action.
    let c = referred(&mut h, 3, "2024-03-15");
    enquiry(&mut h, c, 2, None, "2024-03-15");
    complete(&mut h, c, 2, S47Outcome::NoFurtherAction, "2024-03-31");
    // Child 4: completed Easter Monday, 1 April, to conference (2024/25).
    let e = referred(&mut h, 4, "2024-03-20");
    enquiry(&mut h, e, 2, None, "2024-03-20");
    complete(&mut h, e, 2, S47Outcome::Conference, "2024-04-01");
    // Child 5: started 25 March and not completed: not counted anywhere.
    let f = referred(&mut h, 5, "2024-03-25");
    enquiry(&mut h, f, 2, None, "2024-03-25");

    // March 2024: child 1's second (yes), child 2's, child 3's = 1 of 3 = 33.3%.
    assert_eq!(
        ndv(&h.figure("S47-04a", "2024-03", "2024-06-01")),
        (Some(1.0), Some(3.0), Some(33.3))
    );
    // 2023/24 adds child 1's first (no): 1 of 4 = 25%.
    assert_eq!(
        ndv(&h.figure("S47-04a", "2023/24", "2024-06-01")),
        (Some(1.0), Some(4.0), Some(25.0))
    );
    // 2024/25: child 4's: 1 of 1.
    assert_eq!(
        ndv(&h.figure("S47-04a", "2024/25", "2024-06-01")),
        (Some(1.0), Some(1.0), Some(100.0))
    );
}

#[test]
fn s47_04a_an_enquiry_completed_the_day_the_case_closes_counts_for_its_team() {
    let mut h = History::new();
    // Held by the family safeguarding team; an enquiry from 4 March 2024 completed Friday
    // 15 March with no further action, and the case closed that day (which ends the allocation).
    let a = referred(&mut h, 1, "2024-03-01");
    h.allocate(a, SAFEGUARDING, "2024-03-01");
    enquiry(&mut h, a, 2, None, "2024-03-04");
    complete(&mut h, a, 2, S47Outcome::NoFurtherAction, "2024-03-15");
    close(&mut h, a, "RC8", "2024-03-15");
    assert_eq!(
        ndv(&h.figure("S47-04a", "2024-03", "2024-06-01")),
        (Some(0.0), Some(1.0), Some(0.0))
    );
    // The family safeguarding team made the enquiry and held the case until it closed.
    let team = h.outcome_for(
        "S47-04a",
        "2024-03",
        Scope::Team(SAFEGUARDING),
        "2024-06-01",
    );
    assert_eq!(ndv(&team.figure), (Some(0.0), Some(1.0), Some(0.0)));
}

#[test]
fn s47_04b_initial_conferences_deciding_on_a_plan() {
    let mut h = History::new();
    // Child 1: initial conference 5 March 2024 decides on a plan; its review conference on
    // 5 June 2024 does too, but is not an initial conference.
    let a = referred(&mut h, 1, "2024-02-20");
    enquiry(&mut h, a, 2, None, "2024-02-21");
    icpc(&mut h, a, 3, 2, "2024-03-05", true);
    plan(&mut h, a, 4, "2024-03-05", None);
    conference(
        &mut h,
        a,
        5,
        ConferenceKind::Review,
        None,
        "2024-06-05",
        true,
    );
    // Child 2 (family safeguarding): initial conference 12 March, no plan.
    let b = referred(&mut h, 2, "2024-02-26");
    h.allocate(b, SAFEGUARDING, "2024-02-26");
    enquiry(&mut h, b, 2, None, "2024-02-27");
    icpc(&mut h, b, 3, 2, "2024-03-12", false);
    // Child 3: initial conference Thursday 28 March, plan.
    let c = referred(&mut h, 3, "2024-03-08");
    enquiry(&mut h, c, 2, None, "2024-03-11");
    icpc(&mut h, c, 3, 2, "2024-03-28", true);
    // Child 4: initial conference Tuesday 2 April (2024/25), no plan.
    let e = referred(&mut h, 4, "2024-03-18");
    enquiry(&mut h, e, 2, None, "2024-03-18");
    icpc(&mut h, e, 3, 2, "2024-04-02", false);

    // March 2024 (and 2023/24): children 1 and 3 of 1, 2, 3 = 2 of 3 = 66.7%.
    assert_eq!(
        ndv(&h.figure("S47-04b", "2024-03", "2024-07-01")),
        (Some(2.0), Some(3.0), Some(66.7))
    );
    assert_eq!(
        ndv(&h.figure("S47-04b", "2023/24", "2024-07-01")),
        (Some(2.0), Some(3.0), Some(66.7))
    );
    // 2024/25: child 4's alone (child 1's review conference is not counted): 0 of 1.
    assert_eq!(
        ndv(&h.figure("S47-04b", "2024/25", "2024-07-01")),
        (Some(0.0), Some(1.0), Some(0.0))
    );
    // The family safeguarding team: child 2's: 0 of 1.
    let team = h.outcome_for(
        "S47-04b",
        "2024-03",
        Scope::Team(SAFEGUARDING),
        "2024-07-01",
    );
    assert_eq!(ndv(&team.figure), (Some(0.0), Some(1.0), Some(0.0)));
}

// ---- CP-01, CP-01n ---------------------------------------------------------------------------

/// Children on plans around the end of March 2024.
fn on_plans() -> History {
    let mut h = History::new();
    // Child 1 (family safeguarding team): on a plan since 1 June 2023.
    let a = referred(&mut h, 1, "2023-05-20");
    h.allocate(a, SAFEGUARDING, "2023-06-01");
    plan(&mut h, a, 2, "2023-06-01", None);
    // Child 2 (unallocated), two plans: 1 January 2022 to 1 January 2023, and from the leap day.
    let b = referred(&mut h, 2, "2021-12-01");
    plan(&mut h, b, 2, "2022-01-01", Some("2023-01-01"));
    plan(&mut h, b, 3, "2024-02-29", None);
    // Child 3: on a plan 5 September 2023 to Sunday 31 March 2024, ended on the last day.
    let c = referred(&mut h, 3, "2023-09-01");
    plan(&mut h, c, 2, "2023-09-05", Some("2024-03-31"));
    // Child 4: a plan from Easter Monday, 1 April 2024.
    let e = referred(&mut h, 4, "2024-03-25");
    plan(&mut h, e, 2, "2024-04-01", None);
    // Child 5 (children in care team): on a plan since 10 January 2023.
    let f = referred(&mut h, 5, "2023-01-02");
    h.allocate(f, IN_CARE, "2023-01-10");
    plan(&mut h, f, 2, "2023-01-10", None);
    h
}

#[test]
fn cp01n_children_on_a_plan_at_the_end_of_the_period() {
    let h = on_plans();
    // End of March 2024: children 1, 2 (second plan) and 5 = 3. Child 3's plan ended that day.
    let o = h.outcome("CP-01n", "2024-03", "2024-06-01");
    assert_eq!(ndv(&o.figure), (Some(3.0), None, Some(3.0)));
    let records: Vec<_> = o.items.iter().map(|i| i.record).collect();
    assert_eq!(records, vec![Some(r(2)), Some(r(3)), Some(r(2))]);
    // End of Saturday 30 March: child 3 too = 4.
    assert_eq!(
        ndv(&h.figure("CP-01n", "at:2024-03-30", "2024-06-01")),
        (Some(4.0), None, Some(4.0))
    );
    // End of April: children 1, 2, 4 and 5 = 4.
    assert_eq!(
        ndv(&h.figure("CP-01n", "2024-04", "2024-06-01")),
        (Some(4.0), None, Some(4.0))
    );
    // End of 2022: child 2's first plan ended on 1 January 2023, so it was open: 1.
    assert_eq!(
        ndv(&h.figure("CP-01n", "2022-12", "2024-06-01")),
        (Some(1.0), None, Some(1.0))
    );
    // End of January 2024: children 1, 3 and 5; child 2 is between plans = 3.
    assert_eq!(
        ndv(&h.figure("CP-01n", "2024-01", "2024-06-01")),
        (Some(3.0), None, Some(3.0))
    );
    // Scopes at the end of March: the family safeguarding team has child 1; the service (the
    // measure's home) has child 1 and unallocated child 2; the children in care service child 5.
    let scoped = |scope| {
        ndv(&h
            .outcome_for("CP-01n", "2024-03", scope, "2024-06-01")
            .figure)
    };
    assert_eq!(
        scoped(Scope::Team(SAFEGUARDING)),
        (Some(1.0), None, Some(1.0))
    );
    assert_eq!(
        scoped(Scope::Service(Service::FamilySafeguarding)),
        (Some(2.0), None, Some(2.0))
    );
    assert_eq!(
        scoped(Scope::Service(Service::ChildrenInCare)),
        (Some(1.0), None, Some(1.0))
    );
}

#[test]
fn cp01_children_on_a_plan_per_10000() {
    let h = on_plans();
    // End of March 2024: 3 children; 10,000 × 3 / 20,000 = 1.5.
    assert_eq!(
        ndv(&h.figure("CP-01", "2024-03", "2024-06-01")),
        (Some(3.0), Some(20_000.0), Some(1.5))
    );
    // End of 30 March: 4 = 2.0. End of 2023/24 = end of March: 1.5.
    assert_eq!(
        ndv(&h.figure("CP-01", "at:2024-03-30", "2024-06-01")),
        (Some(4.0), Some(20_000.0), Some(2.0))
    );
    assert_eq!(
        ndv(&h.figure("CP-01", "2023/24", "2024-06-01")),
        (Some(3.0), Some(20_000.0), Some(1.5))
    );
    // A team gets the count and no rate.
    let team = h.outcome_for("CP-01", "2024-03", Scope::Team(SAFEGUARDING), "2024-06-01");
    assert_eq!(ndv(&team.figure), (Some(1.0), None, None));
}

// ---- CP-02, CP-03 ----------------------------------------------------------------------------

#[test]
fn cp02_plans_starting_per_10000() {
    let mut h = History::new();
    // Child 1: plans starting Saturday 1 April 2023 (the first day of 2023/24, ended 2 October)
    // and Sunday 31 March 2024 (its last): both count.
    let a = referred(&mut h, 1, "2023-03-25");
    plan(&mut h, a, 2, "2023-04-01", Some("2023-10-02"));
    plan(&mut h, a, 3, "2024-03-31", None);
    // Child 2: a plan from the leap day.
    let b = referred(&mut h, 2, "2024-02-20");
    plan(&mut h, b, 2, "2024-02-29", None);
    // Child 3: a plan from Friday 31 March 2023 (2022/23).
    let c = referred(&mut h, 3, "2023-03-01");
    plan(&mut h, c, 2, "2023-03-31", None);
    // Child 4: a plan from Easter Monday, 1 April 2024 (2024/25).
    let e = referred(&mut h, 4, "2024-03-25");
    plan(&mut h, e, 2, "2024-04-01", None);

    // 2023/24: child 1's two and child 2's = 3; 10,000 × 3 / 20,000 = 1.5.
    assert_eq!(
        ndv(&h.figure("CP-02", "2023/24", "2024-06-01")),
        (Some(3.0), Some(20_000.0), Some(1.5))
    );
    // 2022/23: child 3's = 0.5. February 2024: child 2's = 0.5.
    assert_eq!(
        ndv(&h.figure("CP-02", "2022/23", "2024-06-01")),
        (Some(1.0), Some(20_000.0), Some(0.5))
    );
    assert_eq!(
        ndv(&h.figure("CP-02", "2024-02", "2024-06-01")),
        (Some(1.0), Some(20_000.0), Some(0.5))
    );
    // 2024/25 read on 1 April 2024: child 4's = 0.5.
    assert_eq!(
        ndv(&h.figure("CP-02", "2024/25", "2024-04-01")),
        (Some(1.0), Some(20_000.0), Some(0.5))
    );
    // The family safeguarding service (the home of unallocated children's plans) gets the count.
    let fs = h.outcome_for(
        "CP-02",
        "2023/24",
        Scope::Service(Service::FamilySafeguarding),
        "2024-06-01",
    );
    assert_eq!(ndv(&fs.figure), (Some(3.0), None, None));
}

#[test]
fn cp03_repeat_plans_count_any_earlier_plan() {
    let mut h = History::new();
    // Child 1: a plan 1 May 2021 to 1 May 2022, then a new one on 15 January 2024: a repeat.
    let a = referred(&mut h, 1, "2021-04-20");
    plan(&mut h, a, 2, "2021-05-01", Some("2022-05-01"));
    plan(&mut h, a, 3, "2024-01-15", None);
    // Child 2 (family safeguarding): a first plan on 1 February 2024: not.
    let b = referred(&mut h, 2, "2024-01-25");
    h.allocate(b, SAFEGUARDING, "2024-01-25");
    plan(&mut h, b, 2, "2024-02-01", None);
    // Child 3: plans 5 January to 20 February 2024 (first: not) and from 10 March (a repeat).
    let c = referred(&mut h, 3, "2024-01-02");
    plan(&mut h, c, 2, "2024-01-05", Some("2024-02-20"));
    plan(&mut h, c, 3, "2024-03-10", None);
    // Child 4: a plan 15 December 2023 to 31 January 2024, then one on 2 April 2024: a repeat.
    let e = referred(&mut h, 4, "2023-12-01");
    plan(&mut h, e, 2, "2023-12-15", Some("2024-01-31"));
    plan(&mut h, e, 3, "2024-04-02", None);

    // January to March 2024: child 1's (yes), child 2's (no), child 3's first (no) and second
    // (yes) = 2 of 4 = 50%.
    assert_eq!(
        ndv(&h.figure("CP-03", "2024-Q1", "2024-06-01")),
        (Some(2.0), Some(4.0), Some(50.0))
    );
    // April to June 2024: child 4's second: 1 of 1. October to December 2023: its first: 0 of 1.
    assert_eq!(
        ndv(&h.figure("CP-03", "2024-Q2", "2024-06-01")),
        (Some(1.0), Some(1.0), Some(100.0))
    );
    assert_eq!(
        ndv(&h.figure("CP-03", "2023-Q4", "2024-06-01")),
        (Some(0.0), Some(1.0), Some(0.0))
    );
    // 2023/24: child 4's first (no) and the four of January to March = 2 of 5 = 40%.
    assert_eq!(
        ndv(&h.figure("CP-03", "2023/24", "2024-06-01")),
        (Some(2.0), Some(5.0), Some(40.0))
    );
    // The family safeguarding team: child 2's: 0 of 1.
    let team = h.outcome_for("CP-03", "2024-Q1", Scope::Team(SAFEGUARDING), "2024-06-01");
    assert_eq!(ndv(&team.figure), (Some(0.0), Some(1.0), Some(0.0)));
}

// ---- CP-04a, CP-04b --------------------------------------------------------------------------

#[test]
fn cp04a_plans_ended_after_730_days_counting_the_last() {
    let mut h = History::new();
    // Days are counted from the start to the end, both days included.
    // Child 1: 2 March 2022 to the leap day 29 February 2024: 2 Mar 2022 - 2 Mar 2023 is 365
    // days, 2 Mar 2023 - 29 Feb 2024 is 364 (the year holds 29 February), 729 between, 730
    // counting both days: two years or more.
    let a = referred(&mut h, 1, "2022-03-01");
    plan(&mut h, a, 2, "2022-03-02", Some("2024-02-29"));
    // Child 2: 3 March 2022 to 29 February 2024: 729 days: not.
    let b = referred(&mut h, 2, "2022-03-01");
    plan(&mut h, b, 2, "2022-03-03", Some("2024-02-29"));
    // Child 3: 1 April 2022 to Sunday 31 March 2024: 365 + 365 between, 731 counting both: yes.
    let c = referred(&mut h, 3, "2022-03-25");
    plan(&mut h, c, 2, "2022-04-01", Some("2024-03-31"));
    // Child 4: 1 January 2023 to 15 March 2024 (440 days): not; a new plan from 20 March,
    // still open, is not counted.
    let e = referred(&mut h, 4, "2022-12-20");
    plan(&mut h, e, 2, "2023-01-01", Some("2024-03-15"));
    plan(&mut h, e, 3, "2024-03-20", None);
    // Child 5: 1 January 2022 to Easter Monday, 1 April 2024: ended in 2024/25.
    let f = referred(&mut h, 5, "2021-12-20");
    plan(&mut h, f, 2, "2022-01-01", Some("2024-04-01"));
    // Child 6: 1 June 2021 to 10 March 2024 (1,014 days): yes.
    let g = referred(&mut h, 6, "2021-05-20");
    plan(&mut h, g, 2, "2021-06-01", Some("2024-03-10"));

    // 2023/24: children 1, 3, 6 of 1, 2, 3, 4, 6 = 3 of 5 = 60%.
    let o = h.outcome("CP-04a", "2023/24", "2024-06-01");
    assert_eq!(ndv(&o.figure), (Some(3.0), Some(5.0), Some(60.0)));
    let days: Vec<_> = o.items.iter().map(|i| i.value).collect();
    assert_eq!(
        days,
        vec![
            Some(730.0),
            Some(729.0),
            Some(731.0),
            Some(440.0),
            Some(1014.0)
        ]
    );
    // February 2024: child 1 (yes) and child 2 (no): 1 of 2 = 50%.
    assert_eq!(
        ndv(&h.figure("CP-04a", "2024-02", "2024-06-01")),
        (Some(1.0), Some(2.0), Some(50.0))
    );
    // March 2024: children 3 (yes), 4 (no), 6 (yes): 2 of 3 = 66.7%.
    assert_eq!(
        ndv(&h.figure("CP-04a", "2024-03", "2024-06-01")),
        (Some(2.0), Some(3.0), Some(66.7))
    );
    // April 2024: child 5's (2022-01-01 to 2024-04-01: 822 days): 1 of 1.
    assert_eq!(
        ndv(&h.figure("CP-04a", "2024-04", "2024-06-01")),
        (Some(1.0), Some(1.0), Some(100.0))
    );
}

#[test]
fn cp04b_plans_open_two_years_or_more() {
    let mut h = History::new();
    // At the end of 31 March 2023 (2022/23; no 29 February in the two years before it):
    // Child 1: from 1 April 2021, 730 days counting both ends: exactly two years: yes.
    let a = referred(&mut h, 1, "2021-03-25");
    plan(&mut h, a, 2, "2021-04-01", None);
    // Child 2: from 2 April 2021: 729 days: not.
    let b = referred(&mut h, 2, "2021-03-25");
    plan(&mut h, b, 2, "2021-04-02", None);
    // Child 3 (family safeguarding team): from 1 June 2019: 1,400 days: yes.
    let c = referred(&mut h, 3, "2019-05-20");
    h.allocate(c, SAFEGUARDING, "2019-06-01");
    plan(&mut h, c, 2, "2019-06-01", None);
    // Child 4: from 1 October 2022: 182 days: not.
    let e = referred(&mut h, 4, "2022-09-20");
    plan(&mut h, e, 2, "2022-10-01", None);
    // Child 5: 1 January 2020 to 31 March 2023: ended on the day, so not open at its end.
    let f = referred(&mut h, 5, "2019-12-20");
    plan(&mut h, f, 2, "2020-01-01", Some("2023-03-31"));

    // End of 2022/23: children 1 and 3 of 1, 2, 3, 4 = 2 of 4 = 50%.
    let o = h.outcome("CP-04b", "2022/23", "2024-06-01");
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(4.0), Some(50.0)));
    let days: Vec<_> = o.items.iter().map(|i| i.value).collect();
    assert_eq!(
        days,
        vec![Some(730.0), Some(729.0), Some(1400.0), Some(182.0)]
    );
    // End of 30 March 2023: child 1 is on 729 days, child 2 on 728 (not); child 3 yes; child 4
    // not; child 5 (1 January 2020, still open) yes = 2 of 5 = 40%.
    assert_eq!(
        ndv(&h.figure("CP-04b", "at:2023-03-30", "2024-06-01")),
        (Some(2.0), Some(5.0), Some(40.0))
    );
    // End of 1 April 2023: child 2 reaches 730 too: 3 of 4 = 75%.
    assert_eq!(
        ndv(&h.figure("CP-04b", "at:2023-04-01", "2024-06-01")),
        (Some(3.0), Some(4.0), Some(75.0))
    );
    // The family safeguarding team: child 3, 1 of 1; the service adds the unallocated others.
    let scoped = |scope| {
        ndv(&h
            .outcome_for("CP-04b", "2022/23", scope, "2024-06-01")
            .figure)
    };
    assert_eq!(
        scoped(Scope::Team(SAFEGUARDING)),
        (Some(1.0), Some(1.0), Some(100.0))
    );
    assert_eq!(
        scoped(Scope::Service(Service::FamilySafeguarding)),
        (Some(2.0), Some(4.0), Some(50.0))
    );
}

// ---- CP-05 -----------------------------------------------------------------------------------

#[test]
fn cp05_plans_with_every_review_on_time() {
    let mut h = History::new();
    // Child 1: plan from 30 November 2023. Three months on is 29 February 2024 (the leap day;
    // there is no 30 February). Reviewed on it: on time; the next is due 29 August. Yes.
    let a = referred(&mut h, 1, "2023-11-20");
    plan(&mut h, a, 2, "2023-11-30", None);
    review(&mut h, a, 2, "2024-02-29");
    // Child 2: plan from 29 November 2023, first review due 29 February 2024, held 1 March:
    // late. Not.
    let b = referred(&mut h, 2, "2023-11-20");
    plan(&mut h, b, 2, "2023-11-29", None);
    review(&mut h, b, 2, "2024-03-01");
    // Child 3 (family safeguarding): plan from 15 June 2023; reviewed 14 September (due 15th)
    // and 14 March 2024 (due six months after 14 September: 14 March). Yes.
    let c = referred(&mut h, 3, "2023-06-01");
    h.allocate(c, SAFEGUARDING, "2023-06-01");
    plan(&mut h, c, 2, "2023-06-15", None);
    review(&mut h, c, 2, "2023-09-14");
    review(&mut h, c, 2, "2024-03-14");
    // Child 4: plan from 15 June 2023; reviewed 20 September (due 15th: late), then 1 March 2024
    // (due 20 March: on time). One late review: not.
    let e = referred(&mut h, 4, "2023-06-01");
    plan(&mut h, e, 2, "2023-06-15", None);
    review(&mut h, e, 2, "2023-09-20");
    review(&mut h, e, 2, "2024-03-01");
    // Child 5: plan from 15 January 2024: three months on is 15 April, after the end of March:
    // left out.
    let f = referred(&mut h, 5, "2024-01-10");
    plan(&mut h, f, 2, "2024-01-15", None);
    // Child 6: plan from 1 September 2023, never reviewed: the first was due 1 December. Not.
    let g = referred(&mut h, 6, "2023-08-20");
    plan(&mut h, g, 2, "2023-09-01", None);
    // Child 7: a plan 10 January 2023 to 20 March 2024 (not open at the end of March), then a
    // new plan from 25 March 2024: under three months, left out.
    let k = referred(&mut h, 7, "2022-12-20");
    plan(&mut h, k, 2, "2023-01-10", Some("2024-03-20"));
    plan(&mut h, k, 3, "2024-03-25", None);

    // End of March 2024: children 1 and 3 of 1, 2, 3, 4, 6 = 2 of 5 = 40%; 5 and 7 left out.
    let o = h.outcome("CP-05", "2024-03", "2024-06-01");
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(5.0), Some(40.0)));
    assert_eq!(o.left.len(), 2);
    for l in &o.left {
        assert_eq!(l.reason, "on a plan for less than three months");
    }
    let left: Vec<_> = o.left.iter().map(|l| (l.subject, l.record)).collect();
    assert!(left.contains(&(kpi::engine::Subject::Child(f), Some(r(2)))));
    assert!(left.contains(&(kpi::engine::Subject::Child(k), Some(r(3)))));
    // Read on Monday 15 April 2024 (the snapshot is today): child 5 has run three months today
    // and its first review, due today, can still be held: counted, on time. 3 of 6 = 50%.
    let april = h.outcome("CP-05", "2024-04", "2024-04-15");
    assert_eq!(ndv(&april.figure), (Some(3.0), Some(6.0), Some(50.0)));
    assert_eq!(april.left.len(), 1);
    // The family safeguarding team at the end of March: child 3, 1 of 1.
    let team = h.outcome_for("CP-05", "2024-03", Scope::Team(SAFEGUARDING), "2024-06-01");
    assert_eq!(ndv(&team.figure), (Some(1.0), Some(1.0), Some(100.0)));
}

#[test]
fn cp05_a_review_due_on_the_last_day_of_a_past_period_and_not_held_is_late() {
    let mut h = History::new();
    // Child 1: plan from 29 November 2023, first review due 29 February 2024 (three months on),
    // held Friday 1 March: late.
    let a = referred(&mut h, 1, "2023-11-20");
    plan(&mut h, a, 2, "2023-11-29", None);
    review(&mut h, a, 2, "2024-03-01");
    // Child 2: plan from 30 November 2023, first review due 29 February, held that day: on time.
    let b = referred(&mut h, 2, "2023-11-20");
    plan(&mut h, b, 2, "2023-11-30", None);
    review(&mut h, b, 2, "2024-02-29");
    // End of February 2024, read on 1 June: both plans have run three months (to 29 February).
    // Child 1's first review fell due on 29 February and was not held by the end of that day:
    // not on time. Child 2's was. 1 of 2 = 50%. (Read on 29 February itself, child 1's review
    // could still have been held that day, and counting it as on time would be right.)
    assert_eq!(
        ndv(&h.figure("CP-05", "2024-02", "2024-06-01")),
        (Some(1.0), Some(2.0), Some(50.0))
    );
    assert_eq!(
        ndv(&h.figure("CP-05", "2024-02", "2024-02-29")),
        (Some(2.0), Some(2.0), Some(100.0))
    );
}

// ---- CP-06a, CP-06b --------------------------------------------------------------------------

/// Plans open around the end of March 2024.
fn long_plans() -> History {
    let mut h = History::new();
    // Child 1: from 30 June 2023; nine months on is 30 March 2024. 275 days to 31 March.
    let a = referred(&mut h, 1, "2023-06-20");
    plan(&mut h, a, 2, "2023-06-30", None);
    // Child 2: from 1 July 2023; nine months on is 1 April 2024.
    let b = referred(&mut h, 2, "2023-06-20");
    plan(&mut h, b, 2, "2023-07-01", None);
    // Child 3 (family safeguarding): from 31 May 2023; nine months on is 29 February 2024 (the
    // leap day: there is no 31 February). 305 days to 31 March.
    let c = referred(&mut h, 3, "2023-05-20");
    h.allocate(c, SAFEGUARDING, "2023-05-31");
    plan(&mut h, c, 2, "2023-05-31", None);
    // Child 4: 1 January 2022 to Sunday 31 March 2024: not open at the end of March; 819 days
    // to 30 March.
    let e = referred(&mut h, 4, "2021-12-20");
    plan(&mut h, e, 2, "2022-01-01", Some("2024-03-31"));
    // Child 5: an earlier plan (2019-2020), then one from 31 March 2021: 1,096 days to 31 March
    // 2024 (three years holding one 29 February).
    let f = referred(&mut h, 5, "2019-01-10");
    plan(&mut h, f, 2, "2019-02-01", Some("2020-02-01"));
    plan(&mut h, f, 3, "2021-03-31", None);
    // Child 6: from 31 July 2023; nine months on is 30 April 2024.
    let g = referred(&mut h, 6, "2023-07-20");
    plan(&mut h, g, 2, "2023-07-31", None);
    h
}

#[test]
fn cp06a_plans_open_nine_months_or_more() {
    let h = long_plans();
    // End of March 2024: children 1, 3 and 5 = 3.
    let o = h.outcome("CP-06a", "2024-03", "2024-06-01");
    assert_eq!(ndv(&o.figure), (Some(3.0), None, Some(3.0)));
    let records: Vec<_> = o.items.iter().map(|i| i.record).collect();
    assert_eq!(records, vec![Some(r(2)), Some(r(2)), Some(r(3))]);
    // End of 30 March: child 1 reaches nine months that day; child 4 is still open = 4.
    assert_eq!(
        ndv(&h.figure("CP-06a", "at:2024-03-30", "2024-06-01")),
        (Some(4.0), None, Some(4.0))
    );
    // End of 29 March: child 1 not yet = 3 (children 3, 4, 5).
    assert_eq!(
        ndv(&h.figure("CP-06a", "at:2024-03-29", "2024-06-01")),
        (Some(3.0), None, Some(3.0))
    );
    // End of April: children 1, 2, 3, 5 and 6 (30 April) = 5.
    assert_eq!(
        ndv(&h.figure("CP-06a", "2024-04", "2024-06-01")),
        (Some(5.0), None, Some(5.0))
    );
    // End of February: child 3 (29 February), child 4 and child 5 = 3.
    assert_eq!(
        ndv(&h.figure("CP-06a", "2024-02", "2024-06-01")),
        (Some(3.0), None, Some(3.0))
    );
    // The family safeguarding team at the end of March: child 3.
    let team = h.outcome_for("CP-06a", "2024-03", Scope::Team(SAFEGUARDING), "2024-06-01");
    assert_eq!(ndv(&team.figure), (Some(1.0), None, Some(1.0)));
}

#[test]
fn cp06b_mean_days_open_of_plans_open_nine_months_or_more() {
    let h = long_plans();
    // End of March 2024 (days from the start to 31 March): child 1 275, child 3 305, child 5
    // 1,096 = 1,676 over 3 plans = 558.7.
    assert_eq!(
        ndv(&h.figure("CP-06b", "2024-03", "2024-06-01")),
        (Some(1676.0), Some(3.0), Some(558.7))
    );
    // End of 30 March: 274 + 304 + 819 (child 4) + 1,095 = 2,492 over 4 = 623.0.
    assert_eq!(
        ndv(&h.figure("CP-06b", "at:2024-03-30", "2024-06-01")),
        (Some(2492.0), Some(4.0), Some(623.0))
    );
    // The family safeguarding team at the end of March: child 3, 305 over 1.
    let team = h.outcome_for("CP-06b", "2024-03", Scope::Team(SAFEGUARDING), "2024-06-01");
    assert_eq!(ndv(&team.figure), (Some(305.0), Some(1.0), Some(305.0)));
    // End of 2023 (nothing has run nine months but child 4 and child 5): 2022-01-01 to
    // 2023-12-31 = 729 and 2021-03-31 to 2023-12-31 = 1,005: 1,734 over 2 = 867.
    assert_eq!(
        ndv(&h.figure("CP-06b", "2023-12", "2024-06-01")),
        (Some(1734.0), Some(2.0), Some(867.0))
    );
}

// ---- CP-07 -----------------------------------------------------------------------------------

#[test]
fn cp07_core_groups_held_by_their_due_dates() {
    let mut h = History::new();
    // Child 1 (family safeguarding): plan from Thursday 14 December 2023.
    //   First due 10 working days on: 15 Dec = 1, 18-22 = 6, 27-29 = 9, Tue 2 Jan = 10 (25, 26
    //   Dec and 1 Jan lost). Held 2 January: on time.
    //   Next due 30 working days after 2 January: 3-5 Jan = 3, five full weeks to 2 Feb = 23,
    //   5-9 Feb = 28, 12, 13 = 30: Tuesday 13 February. Held that day: on time.
    //   Next due 30 after 13 February: 14-16 = 3, 19-23 = 8, 26-29 = 12, 1 Mar = 13, 4-22 Mar
    //   = 28, 25, 26 = 30: Tuesday 26 March. Held Thursday 28 March: late.
    //   A late one still sets the next: 30 after 28 March: 2-5 Apr = 4 (Good Friday, Easter
    //   Monday lost), 8-30 Apr = 21, 1-3 May = 24, 7-10 = 28 (6 May lost), 13, 14 = 30: Tuesday
    //   14 May. Held that day: on time.
    let a = referred(&mut h, 1, "2023-12-01");
    h.allocate(a, SAFEGUARDING, "2023-12-01");
    plan(&mut h, a, 2, "2023-12-14", None);
    for day in ["2024-01-02", "2024-02-13", "2024-03-28", "2024-05-14"] {
        core_group(&mut h, a, 2, day, &[]);
    }
    // Child 2: plan from Friday 15 March 2024. First due: 18-22 = 5, 25-28 = 9, Tue 2 April =
    // 10. Held Thursday 4 April: late. Next due 30 after 4 April: 5 Apr = 1, 8-30 Apr = 18,
    // 1-3 May = 21, 7-10 = 25, 13-17 = 30: Friday 17 May, never held.
    let b = referred(&mut h, 2, "2024-03-10");
    plan(&mut h, b, 2, "2024-03-15", None);
    core_group(&mut h, b, 2, "2024-04-04", &[]);
    // Child 3: plan 1 to 10 February 2024; its first core group would be due 15 February,
    // after it ended: nothing falls due.
    let c = referred(&mut h, 3, "2024-01-25");
    plan(&mut h, c, 2, "2024-02-01", Some("2024-02-10"));

    // January to March 2024: child 1's due 2 Jan (yes), 13 Feb (yes), 26 Mar (no) = 2 of 3.
    let o = h.outcome("CP-07", "2024-Q1", "2024-06-01");
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(3.0), Some(66.7)));
    let dues: Vec<_> = o.items.iter().map(|i| i.date).collect();
    assert_eq!(
        dues,
        vec![d("2024-01-02"), d("2024-02-13"), d("2024-03-26")]
    );
    // 2023/24 holds the same three.
    assert_eq!(
        ndv(&h.figure("CP-07", "2023/24", "2024-06-01")),
        (Some(2.0), Some(3.0), Some(66.7))
    );
    // April read on Tuesday 2 April: child 2's first is due today and not yet held: left out.
    let today = h.outcome("CP-07", "2024-04", "2024-04-02");
    assert_eq!(ndv(&today.figure), (Some(0.0), Some(0.0), None));
    assert_eq!(today.left.len(), 1);
    assert_eq!(today.left[0].record, Some(r(2)));
    assert_eq!(today.left[0].date, d("2024-04-02"));
    assert_eq!(today.left[0].reason, "due today and not yet held");
    // Read on 3 April, it is overdue: 0 of 1. Read on 1 June, it was held late: 0 of 1.
    assert_eq!(
        ndv(&h.figure("CP-07", "2024-04", "2024-04-03")),
        (Some(0.0), Some(1.0), Some(0.0))
    );
    assert_eq!(
        ndv(&h.figure("CP-07", "2024-04", "2024-06-01")),
        (Some(0.0), Some(1.0), Some(0.0))
    );
    // May: child 1's due 14 May (held on the day: yes), child 2's due 17 May (not held) = 1 of 2.
    assert_eq!(
        ndv(&h.figure("CP-07", "2024-05", "2024-06-01")),
        (Some(1.0), Some(2.0), Some(50.0))
    );
    // Scopes in May: the family safeguarding team has child 1's (1 of 1); the service adds the
    // unallocated child 2's (1 of 2).
    let scoped = |scope| {
        ndv(&h
            .outcome_for("CP-07", "2024-05", scope, "2024-06-01")
            .figure)
    };
    assert_eq!(
        scoped(Scope::Team(SAFEGUARDING)),
        (Some(1.0), Some(1.0), Some(100.0))
    );
    assert_eq!(
        scoped(Scope::Service(Service::FamilySafeguarding)),
        (Some(1.0), Some(2.0), Some(50.0))
    );
}

// ---- CP-08a, CP-08b --------------------------------------------------------------------------

#[test]
fn cp08a_children_visited_within_10_working_days() {
    let mut h = History::new();
    // Child 1: on a plan since 10 January 2024, seen on a visit Friday 15 March. To the end of
    // Sunday 31 March: 18-22 = 5, 25-28 = 9 (Good Friday lost): 9: yes.
    let a = referred(&mut h, 1, "2024-01-05");
    plan(&mut h, a, 2, "2024-01-10", None);
    cp_visit(&mut h, a, 3, "2024-03-15", true, true);
    // Child 2: seen Wednesday 13 March (14, 15 = 2, 18-22 = 7, 25-28 = 11: no); visited 20 March
    // but not seen, and seen 25 March on a child in need visit: neither counts.
    let b = referred(&mut h, 2, "2024-01-05");
    plan(&mut h, b, 2, "2024-01-10", None);
    cp_visit(&mut h, b, 3, "2024-03-13", true, false);
    cp_visit(&mut h, b, 4, "2024-03-20", false, false);
    visit(
        &mut h,
        b,
        5,
        VisitKind::ChildInNeed,
        "2024-03-25",
        true,
        false,
    );
    // Child 3 (family safeguarding): a plan from Wednesday 20 March, not yet visited: 21, 22,
    // 25-28 = 6 working days old: yes.
    let c = referred(&mut h, 3, "2024-03-15");
    h.allocate(c, SAFEGUARDING, "2024-03-15");
    plan(&mut h, c, 2, "2024-03-20", None);
    // Child 4: a plan from 1 February, never visited: 40 working days: no.
    let e = referred(&mut h, 4, "2024-01-25");
    plan(&mut h, e, 2, "2024-02-01", None);
    // Child 5: a plan that ended on 31 March: not on a plan at its end.
    let f = referred(&mut h, 5, "2023-05-20");
    plan(&mut h, f, 2, "2023-06-01", Some("2024-03-31"));
    cp_visit(&mut h, f, 3, "2024-03-28", true, true);

    // End of March: children 1 and 3 of 1-4 = 2 of 4 = 50%.
    let o = h.outcome("CP-08a", "2024-03", "2024-06-01");
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(4.0), Some(50.0)));
    let days: Vec<_> = o.items.iter().map(|i| i.value).collect();
    assert_eq!(days, vec![Some(9.0), Some(11.0), Some(6.0), Some(40.0)]);
    // April read on Tuesday 2 April (the snapshot is today): child 1 is on 10 working days since
    // 15 March (Easter Monday lost; weekdays alone would make it 12): yes. Child 2 on 12: no.
    // Child 3's plan is 7 working days old: yes. Child 4: no. 2 of 4.
    let april = h.outcome("CP-08a", "2024-04", "2024-04-02");
    assert_eq!(ndv(&april.figure), (Some(2.0), Some(4.0), Some(50.0)));
    let days: Vec<_> = april.items.iter().map(|i| i.value).collect();
    assert_eq!(days, vec![Some(10.0), Some(12.0), Some(7.0), Some(41.0)]);
    // The family safeguarding team at the end of March: child 3, 1 of 1; the service adds the
    // three unallocated children (the measure's home): 2 of 4.
    let scoped = |scope| {
        ndv(&h
            .outcome_for("CP-08a", "2024-03", scope, "2024-06-01")
            .figure)
    };
    assert_eq!(
        scoped(Scope::Team(SAFEGUARDING)),
        (Some(1.0), Some(1.0), Some(100.0))
    );
    assert_eq!(
        scoped(Scope::Service(Service::FamilySafeguarding)),
        (Some(2.0), Some(4.0), Some(50.0))
    );
}

#[test]
fn cp08a_a_visit_due_before_a_weekend_snapshot_is_out_of_time() {
    let mut h = History::new();
    // On a plan since 10 January 2024, last seen on a child protection visit Thursday 14 March.
    // The next visit was due 10 working days on: 15 Mar = 1, 18-22 = 6, 25-28 = 10: Thursday
    // 28 March. The last 10 working days up to the end of Sunday 31 March are 15-28 March
    // (Good Friday and the weekend add none), and the child was not seen in them.
    let a = referred(&mut h, 1, "2024-01-05");
    plan(&mut h, a, 2, "2024-01-10", None);
    cp_visit(&mut h, a, 3, "2024-03-14", true, true);
    // The worklist agrees that on Sunday 31 March the visit is overdue (due Thursday 28 March).
    let clocks = worklist(
        &h.model,
        Calendar::england_and_wales(),
        d("2024-03-31"),
        Owner::All,
        5,
    );
    let clock = clocks
        .iter()
        .find(|k| k.kind == ClockKind::CpVisit)
        .expect("its clock");
    assert_eq!(
        (clock.due, clock.status),
        (d("2024-03-28"), ClockStatus::Overdue)
    );
    // End of March: not visited within 10 working days: 0 of 1.
    assert_eq!(
        ndv(&h.figure("CP-08a", "2024-03", "2024-06-01")),
        (Some(0.0), Some(1.0), Some(0.0))
    );
    // At the end of Thursday 28 March, day 10, it was still in time: 1 of 1.
    assert_eq!(
        ndv(&h.figure("CP-08a", "at:2024-03-28", "2024-06-01")),
        (Some(1.0), Some(1.0), Some(100.0))
    );
}

#[test]
fn cp08b_children_seen_alone_at_their_latest_visit() {
    let mut h = History::new();
    // Child 1: child protection visits 10 February (seen alone) and 14 March (seen, not alone):
    // the latest did not see them alone.
    let a = referred(&mut h, 1, "2024-01-02");
    plan(&mut h, a, 2, "2024-01-10", None);
    cp_visit(&mut h, a, 3, "2024-02-10", true, true);
    cp_visit(&mut h, a, 4, "2024-03-14", true, false);
    // Child 2 (family safeguarding): visits 1 March (not alone) and 20 March (alone); a child in
    // need visit on 25 March (not alone) is not a child protection visit. Yes.
    let b = referred(&mut h, 2, "2024-01-02");
    h.allocate(b, SAFEGUARDING, "2024-01-02");
    plan(&mut h, b, 2, "2024-01-10", None);
    cp_visit(&mut h, b, 3, "2024-03-01", true, false);
    cp_visit(&mut h, b, 4, "2024-03-20", true, true);
    visit(
        &mut h,
        b,
        5,
        VisitKind::ChildInNeed,
        "2024-03-25",
        true,
        false,
    );
    // Child 3: a plan from 20 March, no visit yet: left out.
    let c = referred(&mut h, 3, "2024-03-15");
    plan(&mut h, c, 2, "2024-03-20", None);
    // Child 4: seen alone 1 March; the latest visit, Thursday 28 March, did not see the child.
    let e = referred(&mut h, 4, "2024-01-02");
    plan(&mut h, e, 2, "2024-01-10", None);
    cp_visit(&mut h, e, 3, "2024-03-01", true, true);
    cp_visit(&mut h, e, 4, "2024-03-28", false, false);
    // Child 5: seen alone on 1 June 2023 during a plan that ended 1 December 2023; a new plan
    // from 1 March 2024 has had no visit: left out (the earlier plan's visit does not count).
    let f = referred(&mut h, 5, "2022-12-20");
    plan(&mut h, f, 2, "2023-01-01", Some("2023-12-01"));
    cp_visit(&mut h, f, 3, "2023-06-01", true, true);
    plan(&mut h, f, 4, "2024-03-01", None);

    // End of March: child 2 of 1, 2, 4 = 1 of 3 = 33.3%; children 3 and 5 left out.
    let o = h.outcome("CP-08b", "2024-03", "2024-06-01");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(3.0), Some(33.3)));
    assert_eq!(o.left.len(), 2);
    for l in &o.left {
        assert_eq!(l.reason, "no child protection visit yet");
    }
    // The items are the visits: child 1's 4, child 2's 4, child 4's 4.
    let records: Vec<_> = o.items.iter().map(|i| i.record).collect();
    assert_eq!(records, vec![Some(r(4)), Some(r(4)), Some(r(4))]);
    // End of February (the leap day): child 1's latest was 10 February (alone): yes. Children 2
    // and 4 had no visit yet: left out. Child 5 was on no plan. 1 of 1.
    let feb = h.outcome("CP-08b", "2024-02", "2024-06-01");
    assert_eq!(ndv(&feb.figure), (Some(1.0), Some(1.0), Some(100.0)));
    assert_eq!(feb.left.len(), 2);
    // The family safeguarding team at the end of March: child 2, 1 of 1.
    let team = h.outcome_for("CP-08b", "2024-03", Scope::Team(SAFEGUARDING), "2024-06-01");
    assert_eq!(ndv(&team.figure), (Some(1.0), Some(1.0), Some(100.0)));
    assert!(team.left.is_empty());
}

// ---- QA-04a to QA-04d ------------------------------------------------------------------------

/// Core groups and who came to them.
///
/// | group | child | date          | present                              | absent    |
/// |-------|-------|---------------|--------------------------------------|-----------|
/// | g0    | 3     | 12 Dec 2023   | police                               |           |
/// | g1    | 1     | 29 Feb 2024   | school, police                       | health    |
/// | g2    | 1     | 14 Mar 2024   | health, housing                      | school    |
/// | g3    | 1     | 28 Mar 2024   | voluntary sector                     | police    |
/// | g4    | 2     | 5 Mar 2024    | school, health, adult services       | probation |
/// | g5    | 2     | 2 Apr 2024    | school                               |           |
/// | g6    | 3     | 7 Mar 2024    | (nobody recorded)                    |           |
///
/// Child 2 is held by the family safeguarding team; child 3's plan ended 10 March 2024.
fn core_groups() -> History {
    use Agency::*;
    let mut h = History::new();
    let a = referred(&mut h, 1, "2023-12-20");
    plan(&mut h, a, 2, "2024-01-02", None);
    core_group(
        &mut h,
        a,
        2,
        "2024-02-29",
        &[(School, true), (Police, true), (Health, false)],
    );
    core_group(
        &mut h,
        a,
        2,
        "2024-03-14",
        &[(Health, true), (Housing, true), (School, false)],
    );
    core_group(
        &mut h,
        a,
        2,
        "2024-03-28",
        &[(Police, false), (Voluntary, true)],
    );
    let b = referred(&mut h, 2, "2024-02-10");
    h.allocate(b, SAFEGUARDING, "2024-02-10");
    plan(&mut h, b, 2, "2024-02-15", None);
    core_group(
        &mut h,
        b,
        2,
        "2024-03-05",
        &[
            (School, true),
            (Health, true),
            (Probation, false),
            (AdultServices, true),
        ],
    );
    core_group(&mut h, b, 2, "2024-04-02", &[(School, true)]);
    let c = referred(&mut h, 3, "2023-09-20");
    plan(&mut h, c, 2, "2023-10-01", Some("2024-03-10"));
    core_group(&mut h, c, 2, "2023-12-12", &[(Police, true)]);
    core_group(&mut h, c, 2, "2024-03-07", &[]);
    h
}

#[test]
fn qa04a_core_groups_attended_by_education() {
    let h = core_groups();
    // March 2024: g2, g3, g4, g6; the school came to g4 alone: 1 of 4 = 25%.
    assert_eq!(
        ndv(&h.figure("QA-04a", "2024-03", "2024-06-01")),
        (Some(1.0), Some(4.0), Some(25.0))
    );
    // January to March adds g1 (school there): 2 of 5 = 40%.
    assert_eq!(
        ndv(&h.figure("QA-04a", "2024-Q1", "2024-06-01")),
        (Some(2.0), Some(5.0), Some(40.0))
    );
    // 2024/25: g5: 1 of 1. October to December 2023: g0 (police only): 0 of 1.
    assert_eq!(
        ndv(&h.figure("QA-04a", "2024/25", "2024-06-01")),
        (Some(1.0), Some(1.0), Some(100.0))
    );
    assert_eq!(
        ndv(&h.figure("QA-04a", "2023-Q4", "2024-06-01")),
        (Some(0.0), Some(1.0), Some(0.0))
    );
    // The family safeguarding team in March: g4: 1 of 1.
    let team = h.outcome_for("QA-04a", "2024-03", Scope::Team(SAFEGUARDING), "2024-06-01");
    assert_eq!(ndv(&team.figure), (Some(1.0), Some(1.0), Some(100.0)));
}

#[test]
fn qa04b_core_groups_attended_by_police() {
    let h = core_groups();
    // March 2024: the police were invited to g3 but did not come: 0 of 4.
    assert_eq!(
        ndv(&h.figure("QA-04b", "2024-03", "2024-06-01")),
        (Some(0.0), Some(4.0), Some(0.0))
    );
    // January to March: g1: 1 of 5 = 20%.
    assert_eq!(
        ndv(&h.figure("QA-04b", "2024-Q1", "2024-06-01")),
        (Some(1.0), Some(5.0), Some(20.0))
    );
    // 2023/24: g0, g1 of g0-g4 and g6 = 2 of 6 = 33.3%.
    assert_eq!(
        ndv(&h.figure("QA-04b", "2023/24", "2024-06-01")),
        (Some(2.0), Some(6.0), Some(33.3))
    );
}

#[test]
fn qa04c_core_groups_attended_by_health() {
    let h = core_groups();
    // March 2024: g2 and g4: 2 of 4 = 50%.
    assert_eq!(
        ndv(&h.figure("QA-04c", "2024-03", "2024-06-01")),
        (Some(2.0), Some(4.0), Some(50.0))
    );
    // January to March: g1 had health invited but absent: 2 of 5 = 40%.
    assert_eq!(
        ndv(&h.figure("QA-04c", "2024-Q1", "2024-06-01")),
        (Some(2.0), Some(5.0), Some(40.0))
    );
    // The family safeguarding service (home of the unallocated children's groups) in March holds
    // all four: 2 of 4; the assessment service none.
    let scoped = |scope| {
        ndv(&h
            .outcome_for("QA-04c", "2024-03", scope, "2024-06-01")
            .figure)
    };
    assert_eq!(
        scoped(Scope::Service(Service::FamilySafeguarding)),
        (Some(2.0), Some(4.0), Some(50.0))
    );
    assert_eq!(
        scoped(Scope::Service(Service::Assessment)),
        (Some(0.0), Some(0.0), None)
    );
    assert_eq!(
        scoped(Scope::Team(SAFEGUARDING)),
        (Some(1.0), Some(1.0), Some(100.0))
    );
}

#[test]
fn qa04d_core_groups_attended_by_another_agency() {
    let h = core_groups();
    // March 2024: housing at g2, the voluntary sector at g3, adult services at g4 (probation
    // absent): 3 of 4 = 75%. g6 had nobody.
    assert_eq!(
        ndv(&h.figure("QA-04d", "2024-03", "2024-06-01")),
        (Some(3.0), Some(4.0), Some(75.0))
    );
    // January to March: g1 had school and police only: 3 of 5 = 60%.
    assert_eq!(
        ndv(&h.figure("QA-04d", "2024-Q1", "2024-06-01")),
        (Some(3.0), Some(5.0), Some(60.0))
    );
    // 2024/25: g5 (school only): 0 of 1.
    assert_eq!(
        ndv(&h.figure("QA-04d", "2024/25", "2024-06-01")),
        (Some(0.0), Some(1.0), Some(0.0))
    );
}
