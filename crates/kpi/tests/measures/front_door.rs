use crate::history::*;
use domain::ChildId;
use domain::calendar::Calendar;
use domain::codes::ContactDecision::*;
use domain::codes::{AssessmentKind, Code, Service, VisitKind};
use domain::events::{
    AssessmentAuthorised, AssessmentStarted, CaseClosed, CinPlanEnded, CinPlanStarted,
    PopulationEstimated, VisitMade,
};
use kpi::Scope;
use kpi::clocks::{ClockKind, ClockStatus, Owner, worklist};

// ---- Shorthands for this file ----------------------------------------------------------------
//
// Calendar used below (* = not a working day):
//   Dec 2023: Sat 2, Sun 3 ... Mon 25* Tue 26* (Christmas, Boxing Day), Sat 30*, Sun 31*
//   Jan 2024: Mon 1* (New Year's Day); Mondays 8, 15, 22, 29
//   Feb 2024: Thu 1; Mondays 5, 12, 19, 26; Thu 29 (leap day); 21 working days
//   Mar 2024: Fri 1; Mondays 4, 11, 18, 25; Fri 29* (Good Friday), Sat 30*, Sun 31*
//   Apr 2024: Mon 1* (Easter Monday); Tue 2; Mondays 8, 15, 22, 29
//   May 2024: Wed 1; Mon 6* (early May bank holiday)

/// Starts assessment `id` on referral `referral`, authorised on `authorised` if given.
fn assessment(
    h: &mut History,
    c: ChildId,
    id: u32,
    referral: u32,
    kind: AssessmentKind,
    start: &str,
    authorised: Option<&str>,
) {
    h.on(
        c,
        AssessmentStarted {
            assessment: r(id),
            referral: r(referral),
            kind,
            at: d(start),
        },
    );
    if let Some(at) = authorised {
        h.on(
            c,
            AssessmentAuthorised {
                assessment: r(id),
                at: d(at),
                factors: Vec::new(),
                internal_review: None,
            },
        );
    }
}

/// Closes the CIN episode of `referral` with a closure reason (RC1..RC9).
fn close(h: &mut History, c: ChildId, referral: u32, reason: &str, at: &str) {
    h.on(
        c,
        CaseClosed {
            referral: r(referral),
            reason: Code::from(reason),
            at: d(at),
            referral_nfa: false,
        },
    );
}

/// An assessment visit; `seen` is whether the child was seen.
fn visit(h: &mut History, c: ChildId, id: u32, at: &str, seen: bool) {
    h.on(
        c,
        VisitMade {
            visit: r(id),
            kind: VisitKind::Assessment,
            at: d(at),
            seen,
            seen_alone: false,
        },
    );
}

/// A child in need plan on `referral`, ended on `end` if given.
fn cin_plan(h: &mut History, c: ChildId, id: u32, referral: u32, start: &str, end: Option<&str>) {
    h.on(
        c,
        CinPlanStarted {
            plan: r(id),
            referral: r(referral),
            at: d(start),
        },
    );
    if let Some(at) = end {
        h.on(
            c,
            CinPlanEnded {
                plan: r(id),
                at: d(at),
            },
        );
    }
}

/// A child with referral 1 on `date`.
fn referred(h: &mut History, id: u64, date: &str) -> ChildId {
    let c = h.child(id, "2015-06-01");
    h.referral(c, 1, date);
    c
}

// ---- FD-01 -----------------------------------------------------------------------------------

#[test]
fn fd01_counts_working_days_across_weekends_and_bank_holidays() {
    let mut h = History::new();
    let a = h.child(1, "2015-06-01");
    // Thursday 28 March 2024, 16:00: Good Friday (29th) and Easter Monday (1 April) are bank
    // holidays, so day 1 is Tuesday 2 April. Decided then: met.
    h.contact(
        a,
        1,
        "2024-03-28 16:00",
        Some(("2024-04-02 09:00", Referral)),
    );
    // Friday 1 March 2024: day 1 is Monday 4 March. Decided Tuesday 5th: not met.
    h.contact(
        a,
        2,
        "2024-03-01 10:00",
        Some(("2024-03-05 09:00", NoFurtherAction)),
    );
    // Saturday 16 March: receipt day is day 0, Monday 18th is day 1. Decided Monday: met.
    h.contact(
        a,
        3,
        "2024-03-16 11:00",
        Some(("2024-03-18 17:00", EarlyHelp)),
    );
    // Thursday 29 February 2024 (leap day): day 1 is Friday 1 March; still undecided on 4 March,
    // so it counts as not met.
    h.contact(a, 4, "2024-02-29 12:00", None);
    // Friday 29 March... Sunday 31 March: undecided, and on Monday 1 April (a bank holiday) its
    // clock (day 1 = Tuesday 2 April) is still running: left out.
    h.contact(a, 5, "2024-03-31 08:00", None);
    // March 2024: contacts 1, 2, 3, 5 received; 5 is left out. Met: 1 and 3 of 3 = 66.7%.
    let o = h.outcome("FD-01", "2024-03", "2024-04-01");
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(3.0), Some(66.7)));
    assert_eq!(o.left.len(), 1);
    assert_eq!(o.left[0].reason, "undecided, with its clock still running");
    // February 2024 holds only the leap-day contact: 0 of 1.
    assert_eq!(
        ndv(&h.figure("FD-01", "2024-02", "2024-04-01")),
        (Some(0.0), Some(1.0), Some(0.0))
    );
    // Read on 3 April, contact 5 has run out of time: 2 of 4 = 50%.
    assert_eq!(h.figure("FD-01", "2024-03", "2024-04-03").value, Some(50.0));
    // The statutory year 2023/24 holds all five, read on 3 April: met 1 and 3 = 40%.
    assert_eq!(
        ndv(&h.figure("FD-01", "2023/24", "2024-04-03")),
        (Some(2.0), Some(5.0), Some(40.0))
    );
}

// ---- FD-06 -----------------------------------------------------------------------------------

#[test]
fn fd06_counts_contacts_by_the_day_decided_and_leaves_out_existing_cases() {
    let mut h = History::new();
    // Child 1 is not allocated: its contacts count for the front door (FD-06's home service).
    let a = h.child(1, "2015-06-01");
    // 1: received on the leap day, decided Friday 1 March: a March decision. Referral: met.
    h.contact(
        a,
        1,
        "2024-02-29 16:00",
        Some(("2024-03-01 09:00", Referral)),
    );
    // 2: early help: met.
    h.contact(
        a,
        2,
        "2024-03-04 09:00",
        Some(("2024-03-04 15:00", EarlyHelp)),
    );
    // 3, 4, 5: closed with advice, signposting, no further action: not met.
    h.contact(
        a,
        3,
        "2024-03-05 10:00",
        Some(("2024-03-05 11:00", InformationAdvice)),
    );
    h.contact(
        a,
        4,
        "2024-03-06 10:00",
        Some(("2024-03-07 10:00", Signposted)),
    );
    h.contact(
        a,
        5,
        "2024-03-08 10:00",
        Some(("2024-03-08 12:00", NoFurtherAction)),
    );
    // 6: passed to the worker of a child already open (decided Monday 11 March): left out.
    h.contact(
        a,
        6,
        "2024-03-08 13:00",
        Some(("2024-03-11 09:00", ExistingCase)),
    );
    // 7: received Thursday 28 March, decided Tuesday 2 April after Easter: an April decision.
    h.contact(
        a,
        7,
        "2024-03-28 17:00",
        Some(("2024-04-02 09:30", Referral)),
    );
    // 8: received Sunday 31 March and never decided: in no period's count.
    h.contact(a, 8, "2024-03-31 10:00", None);
    // Child 2 is allocated to the assessment team from 1 March; referred on 12 March: met.
    let b = h.child(2, "2016-01-10");
    h.allocate(b, ASSESSMENT, "2024-03-01");
    h.contact(
        b,
        1,
        "2024-03-11 10:00",
        Some(("2024-03-12 10:00", Referral)),
    );

    // March 2024, read on 30 April: decided in March are 1-6 and child 2's; 6 is left out.
    // Met: 1, 2 and child 2's = 3 of 6 = 50%.
    let o = h.outcome("FD-06", "2024-03", "2024-04-30");
    assert_eq!(ndv(&o.figure), (Some(3.0), Some(6.0), Some(50.0)));
    assert_eq!(o.left.len(), 1);
    assert_eq!(o.left[0].record, Some(r(6)));
    assert_eq!(o.left[0].date, d("2024-03-11"));
    assert_eq!(
        o.left[0].reason,
        "about a child already open: passed to the worker"
    );
    // The front door service: child 1's five (unallocated, so the home service) = 2 of 5 = 40%,
    // and the contact left out is the front door's too.
    let fd = h.outcome_for(
        "FD-06",
        "2024-03",
        Scope::Service(Service::FrontDoor),
        "2024-04-30",
    );
    assert_eq!(ndv(&fd.figure), (Some(2.0), Some(5.0), Some(40.0)));
    assert_eq!(fd.left.len(), 1);
    // The assessment team: child 2's one = 1 of 1; nothing left out there.
    let team = h.outcome_for("FD-06", "2024-03", Scope::Team(ASSESSMENT), "2024-04-30");
    assert_eq!(ndv(&team.figure), (Some(1.0), Some(1.0), Some(100.0)));
    assert!(team.left.is_empty());
    // Read on Tuesday 5 March, only 1 (met), 2 (met) and 3 (not met) are decided: 2 of 3.
    assert_eq!(
        ndv(&h.figure("FD-06", "2024-03", "2024-03-05")),
        (Some(2.0), Some(3.0), Some(66.7))
    );
    // February: contact 1 was received then but decided in March, so nothing is counted.
    assert_eq!(
        ndv(&h.figure("FD-06", "2024-02", "2024-04-30")),
        (Some(0.0), Some(0.0), None)
    );
    // April: contact 7 alone, a referral: 1 of 1.
    assert_eq!(
        ndv(&h.figure("FD-06", "2024-04", "2024-04-30")),
        (Some(1.0), Some(1.0), Some(100.0))
    );
    // 2023/24 ends on 31 March, so it holds what March holds: 3 of 6.
    assert_eq!(
        ndv(&h.figure("FD-06", "2023/24", "2024-04-30")),
        (Some(3.0), Some(6.0), Some(50.0))
    );
}

// ---- FD-07 -----------------------------------------------------------------------------------

#[test]
fn fd07_counts_contacts_received_on_either_side_of_the_year_end() {
    let mut h = History::new();
    let a = h.child(1, "2015-06-01");
    h.contact(a, 1, "2024-02-29 09:00", None); // leap day
    h.contact(a, 2, "2024-03-30 10:00", None); // Saturday
    h.contact(a, 3, "2024-03-31 23:30", None); // Sunday, the last day of 2023/24
    h.contact(a, 4, "2024-04-01 00:15", None); // Easter Monday, the first day of 2024/25
    h.contact(a, 5, "2023-03-31 12:00", None); // the last day of 2022/23
    h.contact(a, 6, "2023-04-01 08:00", None); // Saturday, the first day of 2023/24
    // Child 2 is held by the front door team, child 3 by family safeguarding.
    let b = h.child(2, "2016-01-10");
    h.allocate(b, FRONT_DOOR, "2024-03-01");
    h.contact(b, 1, "2024-03-15 10:00", None);
    let c = h.child(3, "2017-05-05");
    h.allocate(c, SAFEGUARDING, "2024-01-01");
    h.contact(
        c,
        1,
        "2024-03-20 10:00",
        Some(("2024-03-20 11:00", ExistingCase)),
    );

    // 2023/24: child 1's 1, 2, 3 and 6, child 2's and child 3's = 6. A count has no denominator.
    assert_eq!(
        ndv(&h.figure("FD-07", "2023/24", "2024-05-01")),
        (Some(6.0), None, Some(6.0))
    );
    // 2022/23: contact 5 alone.
    assert_eq!(
        ndv(&h.figure("FD-07", "2022/23", "2024-05-01")),
        (Some(1.0), None, Some(1.0))
    );
    // 2024/25 read on 1 April: contact 4, received 15 minutes into the year.
    assert_eq!(
        ndv(&h.figure("FD-07", "2024/25", "2024-04-01")),
        (Some(1.0), None, Some(1.0))
    );
    // February 2024: the leap-day contact.
    assert_eq!(
        ndv(&h.figure("FD-07", "2024-02", "2024-05-01")),
        (Some(1.0), None, Some(1.0))
    );
    // March 2024: 2, 3, child 2's, child 3's = 4. Read on Saturday 30 March, contact 3 (31st)
    // has not yet been received: 3.
    assert_eq!(
        ndv(&h.figure("FD-07", "2024-03", "2024-05-01")),
        (Some(4.0), None, Some(4.0))
    );
    assert_eq!(
        ndv(&h.figure("FD-07", "2024-03", "2024-03-30")),
        (Some(3.0), None, Some(3.0))
    );
    // Scopes in March: the front door service has child 1's two (unallocated) and child 2's = 3;
    // the front door team child 2's alone; the family safeguarding team child 3's alone.
    let scoped = |scope| {
        ndv(&h
            .outcome_for("FD-07", "2024-03", scope, "2024-05-01")
            .figure)
    };
    assert_eq!(
        scoped(Scope::Service(Service::FrontDoor)),
        (Some(3.0), None, Some(3.0))
    );
    assert_eq!(
        scoped(Scope::Team(FRONT_DOOR)),
        (Some(1.0), None, Some(1.0))
    );
    assert_eq!(
        scoped(Scope::Team(SAFEGUARDING)),
        (Some(1.0), None, Some(1.0))
    );
    assert_eq!(
        scoped(Scope::Service(Service::FamilySafeguarding)),
        (Some(1.0), None, Some(1.0))
    );
}

// ---- FD-02 -----------------------------------------------------------------------------------

#[test]
fn fd02_counts_every_referral_per_10000_children() {
    let mut h = History::new();
    // Child 1: referred on Saturday 1 April 2023 (the first day of 2023/24) and again on Sunday
    // 31 March 2024 (its last day): both count.
    let a = referred(&mut h, 1, "2023-04-01");
    close(&mut h, a, 1, "RC8", "2023-05-15");
    h.referral(a, 2, "2024-03-31");
    // Child 2: referred on the leap day, and allocated to the assessment team that day.
    let b = referred(&mut h, 2, "2024-02-29");
    h.allocate(b, ASSESSMENT, "2024-02-29");
    // Child 3: referred on 31 March 2023 (2022/23) and Easter Monday 1 April 2024 (2024/25).
    let c = referred(&mut h, 3, "2023-03-31");
    close(&mut h, c, 1, "RC8", "2023-04-20");
    h.referral(c, 2, "2024-04-01");

    // 2023/24: child 1 twice and child 2 = 3 referrals; 10,000 × 3 / 20,000 = 1.5.
    assert_eq!(
        ndv(&h.figure("FD-02", "2023/24", "2024-06-01")),
        (Some(3.0), Some(20_000.0), Some(1.5))
    );
    // 2022/23 and 2024/25: child 3's one each = 0.5.
    assert_eq!(
        ndv(&h.figure("FD-02", "2022/23", "2024-06-01")),
        (Some(1.0), Some(20_000.0), Some(0.5))
    );
    assert_eq!(
        ndv(&h.figure("FD-02", "2024/25", "2024-06-01")),
        (Some(1.0), Some(20_000.0), Some(0.5))
    );
    // February 2024: child 2's = 0.5. March 2024: child 1's second = 0.5.
    assert_eq!(
        ndv(&h.figure("FD-02", "2024-02", "2024-06-01")),
        (Some(1.0), Some(20_000.0), Some(0.5))
    );
    assert_eq!(
        ndv(&h.figure("FD-02", "2024-03", "2024-06-01")),
        (Some(1.0), Some(20_000.0), Some(0.5))
    );
    // Read on 30 March 2024, child 1's second referral (31st) is not yet known: 2 = 1.0.
    assert_eq!(
        ndv(&h.figure("FD-02", "2023/24", "2024-03-30")),
        (Some(2.0), Some(20_000.0), Some(1.0))
    );
    // Rates are for the council only: a team or service gets the count and no rate.
    let team = h.outcome_for("FD-02", "2023/24", Scope::Team(ASSESSMENT), "2024-06-01");
    assert_eq!(ndv(&team.figure), (Some(1.0), None, None));
    assert_eq!(
        team.figure.no_value,
        Some("rates per 10,000 children are for the council as a whole")
    );
    let fd = h.outcome_for(
        "FD-02",
        "2023/24",
        Scope::Service(Service::FrontDoor),
        "2024-06-01",
    );
    assert_eq!(ndv(&fd.figure), (Some(2.0), None, None));
}

#[test]
fn fd02_uses_the_mid_year_estimate_before_the_statutory_years_end() {
    let mut h = History::new();
    // Mid-2023: 25,000 children; mid-2024: 50,000 (the other years stay at 20,000).
    h.council(PopulationEstimated {
        mid_year: 2023,
        aged_0_to_17: 25_000,
    });
    h.council(PopulationEstimated {
        mid_year: 2024,
        aged_0_to_17: 50_000,
    });
    let a = referred(&mut h, 1, "2024-03-28");
    h.referral(a, 2, "2024-03-29");
    h.referral(a, 3, "2024-04-02");
    // March 2024 is in 2023/24, which ends 31 March 2024: the mid-2023 estimate.
    // 10,000 × 2 / 25,000 = 0.8.
    assert_eq!(
        ndv(&h.figure("FD-02", "2024-03", "2024-06-01")),
        (Some(2.0), Some(25_000.0), Some(0.8))
    );
    // April 2024 is in 2024/25, which ends 31 March 2025: the mid-2024 estimate.
    // 10,000 × 1 / 50,000 = 0.2.
    assert_eq!(
        ndv(&h.figure("FD-02", "2024-04", "2024-06-01")),
        (Some(1.0), Some(50_000.0), Some(0.2))
    );
    // 2022/23 ends 31 March 2023: the mid-2022 estimate, 20,000. No referrals: 0.
    assert_eq!(
        ndv(&h.figure("FD-02", "2022/23", "2024-06-01")),
        (Some(0.0), Some(20_000.0), Some(0.0))
    );
}

// ---- FD-03 -----------------------------------------------------------------------------------

#[test]
fn fd03_re_referrals_look_back_twelve_months_across_the_leap_day() {
    let mut h = History::new();
    // Child 1: referred Wednesday 1 March 2023 and on the leap day, Thursday 29 February 2024.
    // Twelve months before 29 Feb 2024 is 28 Feb 2023 (there is no 29 Feb 2023), so 1 March
    // 2023 is within it: a re-referral.
    let a = referred(&mut h, 1, "2023-03-01");
    close(&mut h, a, 1, "RC8", "2023-04-03");
    h.referral(a, 2, "2024-02-29");
    // Child 2: referred Monday 27 February 2023, before 28 Feb 2023: not a re-referral.
    let b = referred(&mut h, 2, "2023-02-27");
    close(&mut h, b, 1, "RC8", "2023-03-10");
    h.referral(b, 2, "2024-02-29");
    // Child 3: a first referral on 15 March 2024: not a re-referral.
    referred(&mut h, 3, "2024-03-15");
    // Child 4: referred 10 January 2024 (its first: not) and 20 March 2024 (a re-referral).
    let c = referred(&mut h, 4, "2024-01-10");
    close(&mut h, c, 1, "RC8", "2024-02-01");
    h.referral(c, 2, "2024-03-20");

    // January to March 2024: child 1's 2nd (yes), child 2's 2nd (no), child 3's (no), child 4's
    // 1st (no) and 2nd (yes) = 2 of 5 = 40%.
    let o = h.outcome("FD-03", "2024-Q1", "2024-06-01");
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(5.0), Some(40.0)));
    assert_eq!(o.items.len(), 5);
    // February 2024: the two leap-day referrals, 1 of 2 = 50%.
    assert_eq!(
        ndv(&h.figure("FD-03", "2024-02", "2024-06-01")),
        (Some(1.0), Some(2.0), Some(50.0))
    );
    // 2022/23: child 1's and child 2's first referrals, neither with one before: 0 of 2.
    assert_eq!(
        ndv(&h.figure("FD-03", "2022/23", "2024-06-01")),
        (Some(0.0), Some(2.0), Some(0.0))
    );
}

// ---- FD-04 and FD-05 -------------------------------------------------------------------------

/// Referrals in March 2024 and how their episodes closed.
fn referral_outcomes() -> History {
    let mut h = History::new();
    // Child 1 (unallocated), two episodes: referral 1 on Friday 1 March closed 8 March with RC8
    // and no assessment; referral 2 on 12 March closed 14 March with RC9 and no assessment.
    let a = referred(&mut h, 1, "2024-03-01");
    close(&mut h, a, 1, "RC8", "2024-03-08");
    h.referral(a, 2, "2024-03-12");
    close(&mut h, a, 2, "RC9", "2024-03-14");
    // Child 2, allocated to the assessment team: referred 4 March, assessed 5-20 March, closed
    // 22 March RC8 (assessed, not in need).
    let b = referred(&mut h, 2, "2024-03-04");
    h.allocate(b, ASSESSMENT, "2024-03-04");
    assessment(
        &mut h,
        b,
        2,
        1,
        AssessmentKind::New,
        "2024-03-05",
        Some("2024-03-20"),
    );
    close(&mut h, b, 1, "RC8", "2024-03-22");
    // Child 3: referred 11 March, assessed 12 March to 5 April, closed 10 April RC9.
    let c = referred(&mut h, 3, "2024-03-11");
    assessment(
        &mut h,
        c,
        2,
        1,
        AssessmentKind::New,
        "2024-03-12",
        Some("2024-04-05"),
    );
    close(&mut h, c, 1, "RC9", "2024-04-10");
    // Child 4: referred 15 March, still open and not assessed.
    referred(&mut h, 4, "2024-03-15");
    // Child 5: referred 18 March, assessment started 19 March, closed 27 March RC5 (moved away).
    let e = referred(&mut h, 5, "2024-03-18");
    assessment(&mut h, e, 2, 1, AssessmentKind::New, "2024-03-19", None);
    close(&mut h, e, 1, "RC5", "2024-03-27");
    // Child 6: referred on Good Friday, 29 March, closed Tuesday 2 April RC8 with no assessment.
    let f = referred(&mut h, 6, "2024-03-29");
    close(&mut h, f, 1, "RC8", "2024-04-02");
    // Child 7: referred on the leap day, closed 1 March RC8 with no assessment (February).
    let g = referred(&mut h, 7, "2024-02-29");
    close(&mut h, g, 1, "RC8", "2024-03-01");
    h
}

#[test]
fn fd04_referrals_closed_without_an_assessment() {
    let h = referral_outcomes();
    // March, read on 30 April: seven referrals (child 1's two, children 2-6). Closed with no
    // assessment: child 1's two and child 6's = 3 of 7 = 42.9%. Child 2, 3 and 5 were assessed
    // (child 5's was never finished, but it was started); child 4's is still open.
    assert_eq!(
        ndv(&h.figure("FD-04", "2024-03", "2024-04-30")),
        (Some(3.0), Some(7.0), Some(42.9))
    );
    // Read on 31 March, child 6's episode has not yet closed: 2 of 7 = 28.6%.
    assert_eq!(
        ndv(&h.figure("FD-04", "2024-03", "2024-03-31")),
        (Some(2.0), Some(7.0), Some(28.6))
    );
    // February: child 7's, closed in March with no assessment: 1 of 1.
    assert_eq!(
        ndv(&h.figure("FD-04", "2024-02", "2024-04-30")),
        (Some(1.0), Some(1.0), Some(100.0))
    );
    // FD-04 belongs to the front door: unallocated children's referrals count there, so the
    // service has all but child 2's: 3 of 6 = 50%. The assessment team has child 2's: 0 of 1.
    let fd = h.outcome_for(
        "FD-04",
        "2024-03",
        Scope::Service(Service::FrontDoor),
        "2024-04-30",
    );
    assert_eq!(ndv(&fd.figure), (Some(3.0), Some(6.0), Some(50.0)));
    let team = h.outcome_for("FD-04", "2024-03", Scope::Team(ASSESSMENT), "2024-04-30");
    assert_eq!(ndv(&team.figure), (Some(0.0), Some(1.0), Some(0.0)));
}

#[test]
fn fd05_referrals_assessed_as_not_in_need() {
    let h = referral_outcomes();
    // March, read on 30 April: of the seven, assessed and closed RC8 or RC9 are child 2's (RC8)
    // and child 3's (RC9, 10 April) = 2 of 7 = 28.6%. Child 1's two closed RC8/RC9 without an
    // assessment: not counted. Child 5's was assessed but closed RC5.
    assert_eq!(
        ndv(&h.figure("FD-05", "2024-03", "2024-04-30")),
        (Some(2.0), Some(7.0), Some(28.6))
    );
    // Read on 5 April, child 3's episode is still open: 1 of 7 = 14.3%.
    assert_eq!(
        ndv(&h.figure("FD-05", "2024-03", "2024-04-05")),
        (Some(1.0), Some(7.0), Some(14.3))
    );
    // February: child 7's closed RC8 without assessment: 0 of 1.
    assert_eq!(
        ndv(&h.figure("FD-05", "2024-02", "2024-04-30")),
        (Some(0.0), Some(1.0), Some(0.0))
    );
    // FD-05's home service is assessment: the unallocated children's referrals count there along
    // with child 2's (the assessment team), so the service has all seven; the front door none.
    let scoped = |scope| {
        ndv(&h
            .outcome_for("FD-05", "2024-03", scope, "2024-04-30")
            .figure)
    };
    assert_eq!(
        scoped(Scope::Service(Service::Assessment)),
        (Some(2.0), Some(7.0), Some(28.6))
    );
    assert_eq!(
        scoped(Scope::Service(Service::FrontDoor)),
        (Some(0.0), Some(0.0), None)
    );
    assert_eq!(
        scoped(Scope::Team(ASSESSMENT)),
        (Some(1.0), Some(1.0), Some(100.0))
    );
}

// ---- AS-01, AS-01a, AS-01b, AS-02 ------------------------------------------------------------

/// Assessments across Christmas 2023, the leap day, Easter and the early May holiday 2024.
///
/// | child | kind    | start          | authorised      | working days |
/// |-------|---------|----------------|-----------------|--------------|
/// | 1     | new     | Fri 1 Dec 2023 | Wed 7 Feb 2024  | 45           |
/// | 2     | new     | Mon 8 Jan 2024 | Tue 12 Mar 2024 | 46           |
/// | 3     | new     | Sat 10 Feb     | Thu 29 Feb      | 14           |
/// | 3     | updated | Fri 1 Mar      | Thu 9 May       | 46           |
/// | 4     | updated | Thu 1 Feb      | Thu 28 Mar      | 40           |
/// | 5     | updated | Mon 5 Feb      | Wed 10 Apr      | 45           |
/// | 6     | new     | Mon 4 Mar      | not authorised  | -            |
///
/// Child 1: 4-8, 11-15, 18-22 Dec = 15, 27-29 Dec = 18 (25, 26 Dec lost); 2-5 Jan = 22 (1 Jan
///   lost), 8-12, 15-19, 22-26 = 37, 29-31 = 40; 1-2 Feb = 42, 5, 6, 7 Feb = 45. Weekdays alone
///   would make it 48.
/// Child 2: 9-12 Jan = 4, 15-19, 22-26 = 14, 29-31 = 17; February's 21 = 38; 1 Mar = 39,
///   4-8 = 44, 11, 12 = 46.
/// Child 3 (new): the start, a Saturday, is day 0: 12-16, 19-23 = 10, 26-29 = 14.
/// Child 3 (updated): 4-8, 11-15, 18-22 Mar = 15, 25-28 = 19 (29 Mar lost); 2-5 Apr = 23 (1 Apr
///   lost), 8-12, 15-19, 22-26 = 38, 29-30 = 40; 1-3 May = 43, 7, 8, 9 = 46 (6 May lost).
/// Child 4: 2 Feb = 1, 5-9, 12-16, 19-23 = 16, 26-29 = 20; 1 Mar = 21, 4-22 Mar = 36, 25-28 = 40.
/// Child 5: 6-9 Feb = 4, 12-16, 19-23 = 14, 26-29 = 18; 1 Mar = 19, 4-8, 11-15, 18-22 = 34,
///   25-28 = 38 (29 Mar lost); 2-5 Apr = 42 (1 Apr lost), 8, 9, 10 = 45. Weekdays alone would
///   make it 47.
///
/// Child 1 and 3 are held by the assessment team, child 4 by family safeguarding; 2, 5 and 6
/// are unallocated.
fn assessments() -> History {
    let mut h = History::new();
    let a = referred(&mut h, 1, "2023-11-30");
    h.allocate(a, ASSESSMENT, "2023-11-30");
    assessment(
        &mut h,
        a,
        2,
        1,
        AssessmentKind::New,
        "2023-12-01",
        Some("2024-02-07"),
    );
    let b = referred(&mut h, 2, "2024-01-08");
    assessment(
        &mut h,
        b,
        2,
        1,
        AssessmentKind::New,
        "2024-01-08",
        Some("2024-03-12"),
    );
    let c = referred(&mut h, 3, "2024-02-09");
    h.allocate(c, ASSESSMENT, "2024-02-09");
    assessment(
        &mut h,
        c,
        2,
        1,
        AssessmentKind::New,
        "2024-02-10",
        Some("2024-02-29"),
    );
    assessment(
        &mut h,
        c,
        3,
        1,
        AssessmentKind::Updated,
        "2024-03-01",
        Some("2024-05-09"),
    );
    let e = referred(&mut h, 4, "2023-10-02");
    h.allocate(e, SAFEGUARDING, "2023-10-02");
    assessment(
        &mut h,
        e,
        2,
        1,
        AssessmentKind::Updated,
        "2024-02-01",
        Some("2024-03-28"),
    );
    let f = referred(&mut h, 5, "2023-09-04");
    assessment(
        &mut h,
        f,
        2,
        1,
        AssessmentKind::Updated,
        "2024-02-05",
        Some("2024-04-10"),
    );
    let g = referred(&mut h, 6, "2024-03-04");
    assessment(&mut h, g, 2, 1, AssessmentKind::New, "2024-03-04", None);
    h
}

#[test]
fn as01_assessments_authorised_within_45_working_days() {
    let h = assessments();
    // 2023/24 (authorised 1 April 2023 to 31 March 2024): child 1 (45, met), child 2 (46, not),
    // child 3's new one (14, met), child 4 (40, met) = 3 of 4 = 75%.
    let o = h.outcome("AS-01", "2023/24", "2024-06-01");
    assert_eq!(ndv(&o.figure), (Some(3.0), Some(4.0), Some(75.0)));
    let days: Vec<_> = o.items.iter().map(|i| i.value).collect();
    assert_eq!(days, vec![Some(45.0), Some(46.0), Some(14.0), Some(40.0)]);
    // 2024/25, read on 1 June: child 5 (45, met; authorised after Easter) and child 3's update
    // (46, not; across the early May holiday) = 1 of 2 = 50%.
    assert_eq!(
        ndv(&h.figure("AS-01", "2024/25", "2024-06-01")),
        (Some(1.0), Some(2.0), Some(50.0))
    );
    // Read on 10 April, child 3's update is not yet authorised: 1 of 1.
    assert_eq!(
        ndv(&h.figure("AS-01", "2024/25", "2024-04-10")),
        (Some(1.0), Some(1.0), Some(100.0))
    );
    // February 2024: child 1 (7th) and child 3's new one (29th): 2 of 2.
    assert_eq!(
        ndv(&h.figure("AS-01", "2024-02", "2024-06-01")),
        (Some(2.0), Some(2.0), Some(100.0))
    );
    // Scopes in 2023/24: the assessment team holds child 1 and 3 = 2 of 2; the assessment
    // service adds unallocated child 2 = 2 of 3; family safeguarding has child 4 = 1 of 1.
    let scoped = |scope| {
        ndv(&h
            .outcome_for("AS-01", "2023/24", scope, "2024-06-01")
            .figure)
    };
    assert_eq!(
        scoped(Scope::Team(ASSESSMENT)),
        (Some(2.0), Some(2.0), Some(100.0))
    );
    assert_eq!(
        scoped(Scope::Service(Service::Assessment)),
        (Some(2.0), Some(3.0), Some(66.7))
    );
    assert_eq!(
        scoped(Scope::Team(SAFEGUARDING)),
        (Some(1.0), Some(1.0), Some(100.0))
    );
    assert_eq!(
        scoped(Scope::Service(Service::FamilySafeguarding)),
        (Some(1.0), Some(1.0), Some(100.0))
    );
}

#[test]
fn as01_an_assessment_authorised_the_day_the_case_closes_counts_for_its_team() {
    let mut h = History::new();
    // Held by the assessment team; assessed Monday 4 to Friday 22 March 2024 (14 working days:
    // 5-8 = 4, 11-15 = 9, 18-22 = 14: met), authorised and the case closed RC8 on the 22nd.
    // Closing the case ends the allocation that day.
    let a = referred(&mut h, 1, "2024-03-01");
    h.allocate(a, ASSESSMENT, "2024-03-01");
    assessment(
        &mut h,
        a,
        2,
        1,
        AssessmentKind::New,
        "2024-03-04",
        Some("2024-03-22"),
    );
    close(&mut h, a, 1, "RC8", "2024-03-22");
    assert_eq!(
        ndv(&h.figure("AS-01", "2024-03", "2024-06-01")),
        (Some(1.0), Some(1.0), Some(100.0))
    );
    // The assessment team did the work and held the case until it closed: 1 of 1 there.
    let team = h.outcome_for("AS-01", "2024-03", Scope::Team(ASSESSMENT), "2024-06-01");
    assert_eq!(ndv(&team.figure), (Some(1.0), Some(1.0), Some(100.0)));
}

#[test]
fn as01a_new_assessments_only() {
    let h = assessments();
    // 2023/24 new assessments: child 1 (45, met), child 2 (46, not), child 3 (14, met) = 2 of 3.
    assert_eq!(
        ndv(&h.figure("AS-01a", "2023/24", "2024-06-01")),
        (Some(2.0), Some(3.0), Some(66.7))
    );
    // 2024/25: no new assessment authorised (child 6's is still open): nothing to count.
    assert_eq!(
        ndv(&h.figure("AS-01a", "2024/25", "2024-06-01")),
        (Some(0.0), Some(0.0), None)
    );
    // March 2024: child 2's alone, 46 days: 0 of 1.
    assert_eq!(
        ndv(&h.figure("AS-01a", "2024-03", "2024-06-01")),
        (Some(0.0), Some(1.0), Some(0.0))
    );
}

#[test]
fn as01b_updated_assessments_only() {
    let h = assessments();
    // 2023/24 updated assessments: child 4's (40, met) = 1 of 1.
    assert_eq!(
        ndv(&h.figure("AS-01b", "2023/24", "2024-06-01")),
        (Some(1.0), Some(1.0), Some(100.0))
    );
    // 2024/25: child 5's (45, met) and child 3's (46, not) = 1 of 2 = 50%.
    assert_eq!(
        ndv(&h.figure("AS-01b", "2024/25", "2024-06-01")),
        (Some(1.0), Some(2.0), Some(50.0))
    );
    // May 2024: child 3's alone: 0 of 1. The assessment team holds it: 0 of 1 there too.
    assert_eq!(
        ndv(&h.figure("AS-01b", "2024-05", "2024-06-01")),
        (Some(0.0), Some(1.0), Some(0.0))
    );
    let team = h.outcome_for("AS-01b", "2024-05", Scope::Team(ASSESSMENT), "2024-06-01");
    assert_eq!(ndv(&team.figure), (Some(0.0), Some(1.0), Some(0.0)));
}

#[test]
fn as02_median_working_days_from_start_to_authorisation() {
    let h = assessments();
    // 2023/24: 45, 46, 14, 40 -> sorted 14, 40, 45, 46; the median of an even count is the mean
    // of the middle two, (40 + 45) / 2 = 42.5. A median has no numerator; the denominator is
    // how many assessments.
    assert_eq!(
        ndv(&h.figure("AS-02", "2023/24", "2024-06-01")),
        (None, Some(4.0), Some(42.5))
    );
    // 2024/25: 45 and 46 -> 45.5.
    assert_eq!(
        ndv(&h.figure("AS-02", "2024/25", "2024-06-01")),
        (None, Some(2.0), Some(45.5))
    );
    // Twelve months to April 2024, read on 10 April: 14, 40, 45, 45, 46 -> the middle one, 45.
    assert_eq!(
        ndv(&h.figure("AS-02", "rolling:2024-04", "2024-04-10")),
        (None, Some(5.0), Some(45.0))
    );
    // February: 45 and 14 -> 29.5. Nothing authorised in January: no value.
    assert_eq!(
        ndv(&h.figure("AS-02", "2024-02", "2024-06-01")),
        (None, Some(2.0), Some(29.5))
    );
    let jan = h.figure("AS-02", "2024-01", "2024-06-01");
    assert_eq!(ndv(&jan), (None, Some(0.0), None));
    assert_eq!(jan.no_value, Some("nothing to count in this period"));
}

// ---- AS-03 -----------------------------------------------------------------------------------

#[test]
fn as03_child_seen_between_start_and_authorisation() {
    let mut h = History::new();
    // Child 1: assessment Fri 1 - Wed 20 March, seen on the first day: yes.
    let a = referred(&mut h, 1, "2024-02-28");
    assessment(
        &mut h,
        a,
        2,
        1,
        AssessmentKind::New,
        "2024-03-01",
        Some("2024-03-20"),
    );
    visit(&mut h, a, 3, "2024-03-01", true);
    // Child 2 (assessment team): assessment 4 - 22 March, seen on the day it was authorised: yes.
    let b = referred(&mut h, 2, "2024-03-01");
    h.allocate(b, ASSESSMENT, "2024-03-01");
    assessment(
        &mut h,
        b,
        2,
        1,
        AssessmentKind::New,
        "2024-03-04",
        Some("2024-03-22"),
    );
    visit(&mut h, b, 3, "2024-03-22", true);
    // Child 3: assessment 4 - 25 March; visited Sunday 10 March but not seen: no.
    let c = referred(&mut h, 3, "2024-03-01");
    assessment(
        &mut h,
        c,
        2,
        1,
        AssessmentKind::New,
        "2024-03-04",
        Some("2024-03-25"),
    );
    visit(&mut h, c, 3, "2024-03-10", false);
    // Child 4: assessment 1 - 26 March; seen on the leap day (before it) and 27 March (after): no.
    let e = referred(&mut h, 4, "2024-02-26");
    assessment(
        &mut h,
        e,
        2,
        1,
        AssessmentKind::New,
        "2024-03-01",
        Some("2024-03-26"),
    );
    visit(&mut h, e, 3, "2024-02-29", true);
    visit(&mut h, e, 4, "2024-03-27", true);
    // Child 5, two assessments: the first (4 Dec - 15 Jan) seen on 27 December: yes; the update
    // (11 March - Tuesday 2 April) with no visit of its own: no.
    let f = referred(&mut h, 5, "2023-12-01");
    assessment(
        &mut h,
        f,
        2,
        1,
        AssessmentKind::New,
        "2023-12-04",
        Some("2024-01-15"),
    );
    visit(&mut h, f, 3, "2023-12-27", true);
    assessment(
        &mut h,
        f,
        4,
        1,
        AssessmentKind::Updated,
        "2024-03-11",
        Some("2024-04-02"),
    );

    // March 2024: children 1-4 = 2 of 4 = 50%.
    assert_eq!(
        ndv(&h.figure("AS-03", "2024-03", "2024-05-01")),
        (Some(2.0), Some(4.0), Some(50.0))
    );
    // 2023/24: child 5's first as well: 3 of 5 = 60%.
    assert_eq!(
        ndv(&h.figure("AS-03", "2023/24", "2024-05-01")),
        (Some(3.0), Some(5.0), Some(60.0))
    );
    // April 2024: child 5's update: 0 of 1.
    assert_eq!(
        ndv(&h.figure("AS-03", "2024-04", "2024-05-01")),
        (Some(0.0), Some(1.0), Some(0.0))
    );
    // The assessment team in March: child 2: 1 of 1. The assessment service: all four, as the
    // others are unallocated and AS-03 is the assessment service's: 2 of 4.
    let scoped = |scope| {
        ndv(&h
            .outcome_for("AS-03", "2024-03", scope, "2024-05-01")
            .figure)
    };
    assert_eq!(
        scoped(Scope::Team(ASSESSMENT)),
        (Some(1.0), Some(1.0), Some(100.0))
    );
    assert_eq!(
        scoped(Scope::Service(Service::Assessment)),
        (Some(2.0), Some(4.0), Some(50.0))
    );
}

// ---- AS-04 -----------------------------------------------------------------------------------

#[test]
fn as04_assessments_open_beyond_45_working_days() {
    let mut h = History::new();
    // Child 1 (assessment team): started Tuesday 2 January 2024, never authorised. Working days
    // to Sunday 31 March: 3-5, 8-12, 15-19, 22-26, 29-31 Jan = 21; February 21 = 42; 1, 4-8,
    // 11-15, 18-22, 25-28 Mar = 62 (Good Friday lost). Out of time.
    let a = referred(&mut h, 1, "2024-01-02");
    h.allocate(a, ASSESSMENT, "2024-01-02");
    assessment(&mut h, a, 2, 1, AssessmentKind::New, "2024-01-02", None);
    // Child 2: started Friday 26 January, never authorised: 29-31 Jan = 3, February = 24, March
    // = 44 by Sunday 31 March; Easter Monday is lost, so Tuesday 2 April is day 45 and
    // Wednesday 3 April day 46.
    let b = referred(&mut h, 2, "2024-01-26");
    assessment(&mut h, b, 2, 1, AssessmentKind::New, "2024-01-26", None);
    // Child 3 (family safeguarding): started 2 January, authorised Friday 5 April: unauthorised
    // at the end of March, day 62.
    let c = referred(&mut h, 3, "2024-01-02");
    h.allocate(c, SAFEGUARDING, "2024-01-02");
    assessment(
        &mut h,
        c,
        2,
        1,
        AssessmentKind::New,
        "2024-01-02",
        Some("2024-04-05"),
    );
    // Child 4: started 2 January, authorised 15 March: done.
    let e = referred(&mut h, 4, "2024-01-02");
    assessment(
        &mut h,
        e,
        2,
        1,
        AssessmentKind::New,
        "2024-01-02",
        Some("2024-03-15"),
    );
    // Child 5: started 2 January, the case closed 20 March with it unauthorised: not running.
    let f = referred(&mut h, 5, "2024-01-02");
    assessment(&mut h, f, 2, 1, AssessmentKind::New, "2024-01-02", None);
    close(&mut h, f, 1, "RC8", "2024-03-20");
    // Child 6: started Tuesday 2 April: 20 working days by 30 April.
    let g = referred(&mut h, 6, "2024-04-02");
    assessment(&mut h, g, 2, 1, AssessmentKind::New, "2024-04-02", None);

    // End of March: child 1 (62) and child 3 (62) = 2. Child 2 is on day 44.
    let o = h.outcome("AS-04", "2024-03", "2024-06-01");
    assert_eq!(ndv(&o.figure), (Some(2.0), None, Some(2.0)));
    let days: Vec<_> = o.items.iter().map(|i| i.value).collect();
    assert_eq!(days, vec![Some(62.0), Some(62.0)]);
    // April read on Tuesday 2 April (the snapshot is today): child 1 and 3 (63); child 2 is on
    // day 45, its last day, so not yet out of time: 2.
    assert_eq!(
        ndv(&h.figure("AS-04", "2024-04", "2024-04-02")),
        (Some(2.0), None, Some(2.0))
    );
    // Read on Wednesday 3 April: child 2 is on day 46: 3.
    assert_eq!(
        ndv(&h.figure("AS-04", "2024-04", "2024-04-03")),
        (Some(3.0), None, Some(3.0))
    );
    // End of April (read 1 June): child 1 and child 2; child 3 was authorised on 5 April, and
    // child 6 is on day 20: 2.
    assert_eq!(
        ndv(&h.figure("AS-04", "2024-04", "2024-06-01")),
        (Some(2.0), None, Some(2.0))
    );
    // Scopes at the end of March: the assessment team and the assessment service have child 1;
    // the family safeguarding service child 3.
    let scoped = |scope| {
        ndv(&h
            .outcome_for("AS-04", "2024-03", scope, "2024-06-01")
            .figure)
    };
    assert_eq!(
        scoped(Scope::Team(ASSESSMENT)),
        (Some(1.0), None, Some(1.0))
    );
    assert_eq!(
        scoped(Scope::Service(Service::Assessment)),
        (Some(1.0), None, Some(1.0))
    );
    assert_eq!(
        scoped(Scope::Service(Service::FamilySafeguarding)),
        (Some(1.0), None, Some(1.0))
    );
}

#[test]
fn as04_counts_an_assessment_whose_last_day_passed_before_a_weekend_snapshot() {
    let mut h = History::new();
    // Started Thursday 25 January 2024, never authorised. Its 45 working days: 26 Jan = 1,
    // 29-31 Jan = 4, February's 21 = 25, 1 Mar = 26, 4-8 = 31, 11-15 = 36, 18-22 = 41, 25-28
    // = 45: they ran out at the end of Thursday 28 March. Good Friday, Saturday 30 and Sunday
    // 31 March follow, so the working days from the start to 31 March are still 45.
    let a = referred(&mut h, 1, "2024-01-25");
    assessment(&mut h, a, 2, 1, AssessmentKind::New, "2024-01-25", None);
    // The worklist agrees that on Sunday 31 March it is overdue (due Thursday 28 March).
    let clocks = worklist(
        &h.model,
        Calendar::england_and_wales(),
        d("2024-03-31"),
        Owner::All,
        5,
    );
    let clock = clocks
        .iter()
        .find(|k| k.kind == ClockKind::Assessment)
        .expect("its clock");
    assert_eq!(
        (clock.due, clock.status),
        (d("2024-03-28"), ClockStatus::Overdue)
    );
    // At the end of March it is unauthorised and its 45 working days have run out: 1.
    assert_eq!(
        ndv(&h.figure("AS-04", "2024-03", "2024-06-01")),
        (Some(1.0), None, Some(1.0))
    );
    assert_eq!(
        ndv(&h.figure("AS-04", "2024-03", "2024-03-31")),
        (Some(1.0), None, Some(1.0))
    );
    // At the end of Thursday 28 March, its last day, it is not yet out of time: 0.
    assert_eq!(
        ndv(&h.figure("AS-04", "at:2024-03-28", "2024-03-28")),
        (Some(0.0), None, Some(0.0))
    );
}

// ---- CIN-01 ----------------------------------------------------------------------------------

#[test]
fn cin01_children_with_an_open_episode_per_10000() {
    let mut h = History::new();
    // Child 1 (assessment team): referred 1 June 2023, open.
    let a = referred(&mut h, 1, "2023-06-01");
    h.allocate(a, ASSESSMENT, "2023-06-01");
    // Child 2: two open episodes (1 September 2023 and 15 January 2024): counted once.
    let b = referred(&mut h, 2, "2023-09-01");
    h.referral(b, 2, "2024-01-15");
    // Child 3: referred 1 October 2023, closed Sunday 31 March 2024: not open at the end of it.
    let c = referred(&mut h, 3, "2023-10-01");
    close(&mut h, c, 1, "RC8", "2024-03-31");
    // Child 4: referred Easter Monday, 1 April 2024.
    referred(&mut h, 4, "2024-04-01");
    // Child 5: referred 1 May 2023, closed 1 December 2023.
    let e = referred(&mut h, 5, "2023-05-01");
    close(&mut h, e, 1, "RC8", "2023-12-01");

    // End of 2023/24: children 1 and 2 = 2; 10,000 × 2 / 20,000 = 1.0.
    let o = h.outcome("CIN-01", "2023/24", "2024-06-01");
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(20_000.0), Some(1.0)));
    assert_eq!(o.items.len(), 2);
    // At the end of Saturday 30 March child 3 is still open: 3 = 1.5.
    assert_eq!(
        ndv(&h.figure("CIN-01", "at:2024-03-30", "2024-06-01")),
        (Some(3.0), Some(20_000.0), Some(1.5))
    );
    // End of April: children 1, 2 and 4 = 1.5.
    assert_eq!(
        ndv(&h.figure("CIN-01", "2024-04", "2024-06-01")),
        (Some(3.0), Some(20_000.0), Some(1.5))
    );
    // End of November 2023: children 1, 2, 3 and 5 = 2.0.
    assert_eq!(
        ndv(&h.figure("CIN-01", "2023-11", "2024-06-01")),
        (Some(4.0), Some(20_000.0), Some(2.0))
    );
    // The assessment team: child 1, a count with no rate.
    let team = h.outcome_for("CIN-01", "2023/24", Scope::Team(ASSESSMENT), "2024-06-01");
    assert_eq!(ndv(&team.figure), (Some(1.0), None, None));
}

// ---- CIN-02 ----------------------------------------------------------------------------------

#[test]
fn cin02_median_days_of_episodes_closed() {
    let mut h = History::new();
    // Child 1, two episodes: referred 1 January 2024, closed 1 March = 31 + 29 (leap February)
    // = 60 days; referred 1 February 2024, closed Easter Monday 1 April = 29 + 31 = 60 days.
    let a = referred(&mut h, 1, "2024-01-01");
    h.referral(a, 2, "2024-02-01");
    close(&mut h, a, 1, "RC8", "2024-03-01");
    close(&mut h, a, 2, "RC8", "2024-04-01");
    // Child 2: referred 1 April 2023, closed 31 March 2024: the whole statutory year, which holds
    // 29 February: 366 - 1 = 365 days.
    let b = referred(&mut h, 2, "2023-04-01");
    close(&mut h, b, 1, "RC8", "2024-03-31");
    // Child 3: referred and closed Sunday 10 March 2024: 0 days.
    let c = referred(&mut h, 3, "2024-03-10");
    close(&mut h, c, 1, "RC8", "2024-03-10");
    // Child 4: referred 1 March 2023, closed 31 March 2023: 30 days (2022/23).
    let e = referred(&mut h, 4, "2023-03-01");
    close(&mut h, e, 1, "RC8", "2023-03-31");
    // Child 5: referred 2 April 2024, closed 12 April: 10 days.
    let f = referred(&mut h, 5, "2024-04-02");
    close(&mut h, f, 1, "RC8", "2024-04-12");
    // Child 6: open since 1 January 2024: not closed, not counted.
    referred(&mut h, 6, "2024-01-01");

    // 2023/24: 60, 365, 0 -> sorted 0, 60, 365: median 60 of 3 episodes.
    assert_eq!(
        ndv(&h.figure("CIN-02", "2023/24", "2024-06-01")),
        (None, Some(3.0), Some(60.0))
    );
    // 2024/25: 60 (child 1's second) and 10 -> (10 + 60) / 2 = 35.
    assert_eq!(
        ndv(&h.figure("CIN-02", "2024/25", "2024-06-01")),
        (None, Some(2.0), Some(35.0))
    );
    // Read on 5 April 2024, child 5's has not yet closed: 60 alone.
    assert_eq!(
        ndv(&h.figure("CIN-02", "2024/25", "2024-04-05")),
        (None, Some(1.0), Some(60.0))
    );
    // 2022/23: 30.
    assert_eq!(
        ndv(&h.figure("CIN-02", "2022/23", "2024-06-01")),
        (None, Some(1.0), Some(30.0))
    );
}

#[test]
fn cin02_an_episode_counts_for_the_team_that_closed_it() {
    let mut h = History::new();
    // Child 1, held by the assessment team throughout: referred 1 February 2024, closed Friday
    // 1 March = 29 days (February 2024 has 29). Closing the case ends the allocation that day.
    let a = referred(&mut h, 1, "2024-02-01");
    h.allocate(a, ASSESSMENT, "2024-02-01");
    close(&mut h, a, 1, "RC8", "2024-03-01");
    // Child 2, unallocated: referred 1 March, closed 11 March = 10 days.
    let b = referred(&mut h, 2, "2024-03-01");
    close(&mut h, b, 1, "RC8", "2024-03-11");
    // The council: 10 and 29 -> 19.5.
    assert_eq!(
        ndv(&h.figure("CIN-02", "2024-03", "2024-06-01")),
        (None, Some(2.0), Some(19.5))
    );
    // The assessment team closed child 1's episode: 29 days, 1 episode; the assessment service
    // the same (CIN-02 has no home service, so child 2's counts in none).
    let scoped = |scope| {
        ndv(&h
            .outcome_for("CIN-02", "2024-03", scope, "2024-06-01")
            .figure)
    };
    assert_eq!(
        scoped(Scope::Team(ASSESSMENT)),
        (None, Some(1.0), Some(29.0))
    );
    assert_eq!(
        scoped(Scope::Service(Service::Assessment)),
        (None, Some(1.0), Some(29.0))
    );
}

// ---- CIN-03 ----------------------------------------------------------------------------------

#[test]
fn cin03_children_on_a_child_in_need_plan() {
    let mut h = History::new();
    // Child 1 (assessment team): plan from 10 January 2024, open.
    let a = referred(&mut h, 1, "2024-01-02");
    h.allocate(a, ASSESSMENT, "2024-01-02");
    cin_plan(&mut h, a, 2, 1, "2024-01-10", None);
    // Child 2, two plans: 15 October 2023 to 1 February 2024, then from 1 March 2024: once.
    let b = referred(&mut h, 2, "2023-10-01");
    cin_plan(&mut h, b, 2, 1, "2023-10-15", Some("2024-02-01"));
    cin_plan(&mut h, b, 3, 1, "2024-03-01", None);
    // Child 3: plan 20 November 2023 to Sunday 31 March 2024: ended on the last day.
    let c = referred(&mut h, 3, "2023-11-01");
    cin_plan(&mut h, c, 2, 1, "2023-11-20", Some("2024-03-31"));
    // Child 4: plan from Easter Monday, 1 April 2024.
    let e = referred(&mut h, 4, "2024-03-25");
    cin_plan(&mut h, e, 2, 1, "2024-04-01", None);

    // End of March 2024: children 1 and 2 = 2.
    assert_eq!(
        ndv(&h.figure("CIN-03", "2024-03", "2024-06-01")),
        (Some(2.0), None, Some(2.0))
    );
    // End of Saturday 30 March: child 3 too = 3.
    assert_eq!(
        ndv(&h.figure("CIN-03", "at:2024-03-30", "2024-06-01")),
        (Some(3.0), None, Some(3.0))
    );
    // End of 29 February 2024: child 1 and child 3; child 2 is between plans = 2.
    assert_eq!(
        ndv(&h.figure("CIN-03", "2024-02", "2024-06-01")),
        (Some(2.0), None, Some(2.0))
    );
    // End of April: children 1, 2 and 4 = 3.
    assert_eq!(
        ndv(&h.figure("CIN-03", "2024-04", "2024-06-01")),
        (Some(3.0), None, Some(3.0))
    );
    // The assessment team (and service) at the end of March: child 1. CIN-03 has no home
    // service, so unallocated children count in no service.
    let scoped = |scope| {
        ndv(&h
            .outcome_for("CIN-03", "2024-03", scope, "2024-06-01")
            .figure)
    };
    assert_eq!(
        scoped(Scope::Team(ASSESSMENT)),
        (Some(1.0), None, Some(1.0))
    );
    assert_eq!(
        scoped(Scope::Service(Service::Assessment)),
        (Some(1.0), None, Some(1.0))
    );
    assert_eq!(
        scoped(Scope::Service(Service::FrontDoor)),
        (Some(0.0), None, Some(0.0))
    );
}
