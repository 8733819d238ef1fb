use crate::history::*;
use domain::ChildId;
use domain::codes::*;
use domain::events::*;
use kpi::{Scope, Subject};

// ---- Shorthands ---------------------------------------------------------------------------

fn goes_missing(h: &mut History, c: ChildId, id: u32, at: &str) {
    h.on(
        c,
        MissingEpisodeStarted {
            episode: r(id),
            kind: MissingKind::Missing,
            at: dt(at),
        },
    );
}

fn returns(h: &mut History, c: ChildId, id: u32, at: &str) {
    h.on(
        c,
        MissingEpisodeEnded {
            episode: r(id),
            at: dt(at),
        },
    );
}

fn offered(h: &mut History, c: ChildId, id: u32, at: &str, accepted: bool) {
    h.on(
        c,
        ReturnInterviewOffered {
            episode: r(id),
            at: dt(at),
            accepted,
        },
    );
}

fn interviewed(h: &mut History, c: ChildId, id: u32, at: &str) {
    h.on(
        c,
        ReturnInterviewHeld {
            episode: r(id),
            at: dt(at),
        },
    );
}

fn screened(h: &mut History, c: ChildId, id: u32, risk: RiskLevel, at: &str) {
    h.on(
        c,
        ExploitationScreened {
            screening: r(id),
            risk,
            kinds: vec![ExploitationKind::Criminal],
            at: d(at),
        },
    );
}

fn hub_referral(h: &mut History, c: ChildId, screening: Option<u32>, at: &str) {
    h.on(
        c,
        ExploitationHubReferred {
            screening: screening.map(r),
            nrm: false,
            at: d(at),
        },
    );
}

// ---- Missing episodes and return interviews ----------------------------------------------------

/// Returns either side of 29 February 2024 and of Easter and the year end 2024.
fn episodes() -> History {
    let mut h = History::new();
    // Amy, in the safeguarding team. Episode 1: back 18:00 on Tuesday 27 February 2024, so the
    // 72 hours run through the leap day to 18:00 on Friday 1 March; offered at 17:00 on 1 March
    // (71 hours: met), accepted and held on 2 March. Episode 2: back 10:00 on 28 February, so
    // due by 10:00 on Saturday 2 March; offered at 11:00 (73 hours: late) and declined.
    let amy = h.child(1, "2008-01-01");
    h.allocate(amy, SAFEGUARDING, "2024-01-01");
    goes_missing(&mut h, amy, 1, "2024-02-26 20:00");
    returns(&mut h, amy, 1, "2024-02-27 18:00");
    goes_missing(&mut h, amy, 2, "2024-02-28 08:00");
    returns(&mut h, amy, 2, "2024-02-28 10:00");
    offered(&mut h, amy, 1, "2024-03-01 17:00", true);
    offered(&mut h, amy, 2, "2024-03-02 11:00", false);
    interviewed(&mut h, amy, 1, "2024-03-02 10:00");
    // Ben (unallocated): back 09:00 on 29 February, never offered; his 72 hours ran out at
    // 09:00 on 3 March.
    let ben = h.child(2, "2008-01-01");
    goes_missing(&mut h, ben, 1, "2024-02-28 20:00");
    returns(&mut h, ben, 1, "2024-02-29 09:00");
    // Cal (safeguarding): back 16:00 on Good Friday, 29 March; offered 15:00 on Easter Monday
    // (71 hours: bank holidays do not stop a clock in hours), accepted, held 2 April.
    let cal = h.child(3, "2008-01-01");
    h.allocate(cal, SAFEGUARDING, "2024-01-01");
    goes_missing(&mut h, cal, 1, "2024-03-28 22:00");
    returns(&mut h, cal, 1, "2024-03-29 16:00");
    offered(&mut h, cal, 1, "2024-04-01 15:00", true);
    interviewed(&mut h, cal, 1, "2024-04-02 11:00");
    // Dan (unallocated): back at noon on Saturday 30 March, not offered; his 72 hours run to
    // noon on Tuesday 2 April.
    let dan = h.child(4, "2008-01-01");
    goes_missing(&mut h, dan, 1, "2024-03-30 08:00");
    returns(&mut h, dan, 1, "2024-03-30 12:00");
    // Eve (unallocated): missing from 31 March and not yet back.
    let eve = h.child(5, "2008-01-01");
    goes_missing(&mut h, eve, 1, "2024-03-31 09:00");
    // Fay (children in care team): back 23:30 on 31 March, the last day of 2023/24; offered at
    // 09:00 on 1 April (9 hours), accepted, held 3 April.
    let fay = h.child(6, "2008-01-01");
    h.allocate(fay, IN_CARE, "2024-01-01");
    goes_missing(&mut h, fay, 1, "2024-03-31 20:00");
    returns(&mut h, fay, 1, "2024-03-31 23:30");
    offered(&mut h, fay, 1, "2024-04-01 09:00", true);
    interviewed(&mut h, fay, 1, "2024-04-03 09:00");
    // Gus (unallocated): missing from 22:00 on 31 March, back 00:30 on 1 April (2024/25);
    // offered at 10:00 (met) and declined.
    let gus = h.child(7, "2008-01-01");
    goes_missing(&mut h, gus, 1, "2024-03-31 22:00");
    returns(&mut h, gus, 1, "2024-04-01 00:30");
    offered(&mut h, gus, 1, "2024-04-01 10:00", false);
    h
}

#[test]
fn mis02a_return_interviews_offered_within_72_hours_across_the_leap_day() {
    let h = episodes();
    // February: Amy 1 (met), Amy 2 (late), Ben (never offered, out of time): 1 of 3.
    let o = h.outcome("MIS-02a", "2024-02", "2024-04-02");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(3.0), Some(33.3)));
    assert_eq!(
        met_records(&o),
        vec![(1, 1, true), (1, 2, false), (2, 1, false)]
    );
    let hours: Vec<_> = o.items.iter().map(|i| i.value).collect();
    assert_eq!(hours, vec![Some(71.0), Some(73.0), None]);
    assert!(o.left.is_empty());
    // The safeguarding team holds Amy's two: 1 of 2.
    let o = h.outcome_for(
        "MIS-02a",
        "2024-02",
        Scope::Team(SAFEGUARDING),
        "2024-04-02",
    );
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.0), Some(50.0)));
}

#[test]
fn mis02a_leaves_out_returns_whose_72_hours_are_running() {
    let h = episodes();
    // March read on 2 April: Cal (71 hours) and Fay (9 hours) met; Dan's hours run until noon
    // today: left out. Eve is not back. 2 of 2.
    let o = h.outcome("MIS-02a", "2024-03", "2024-04-02");
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(2.0), Some(100.0)));
    assert_eq!(met_records(&o), vec![(3, 1, true), (6, 1, true)]);
    assert_eq!(o.left.len(), 1);
    assert_eq!(o.left[0].subject, Subject::Child(ChildId(4)));
    assert_eq!(o.left[0].reason, "within its 72 hours, not yet offered");
    // Read on 3 April, Dan's time has run out: 2 of 3.
    let o = h.outcome("MIS-02a", "2024-03", "2024-04-03");
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(3.0), Some(66.7)));
    assert!(o.left.is_empty());
    // The statutory year 2023/24 holds February's three and March's three: Amy 1, Cal and Fay
    // met, 3 of 6. Gus came back on 1 April: he is in 2024/25, 1 of 1.
    let o = h.outcome("MIS-02a", "2023/24", "2024-04-03");
    assert_eq!(ndv(&o.figure), (Some(3.0), Some(6.0), Some(50.0)));
    let o = h.outcome("MIS-02a", "2024/25", "2024-04-03");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(1.0), Some(100.0)));
    assert_eq!(met_records(&o), vec![(7, 1, true)]);
}

#[test]
fn mis02b_return_interviews_accepted_of_those_offered() {
    let h = episodes();
    // February: offered on Amy's two returns, the first accepted: 1 of 2.
    let o = h.outcome("MIS-02b", "2024-02", "2024-04-10");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.0), Some(50.0)));
    assert_eq!(met_records(&o), vec![(1, 1, true), (1, 2, false)]);
    // 2023/24: Amy 1 (yes), Amy 2 (no), Cal (yes), Fay (yes); Ben and Dan were never offered
    // one: 3 of 4.
    let o = h.outcome("MIS-02b", "2023/24", "2024-04-10");
    assert_eq!(ndv(&o.figure), (Some(3.0), Some(4.0), Some(75.0)));
    // 2024/25: Gus declined: 0 of 1.
    let o = h.outcome("MIS-02b", "2024/25", "2024-04-10");
    assert_eq!(ndv(&o.figure), (Some(0.0), Some(1.0), Some(0.0)));
}

#[test]
fn mis02c_return_interviews_held() {
    let h = episodes();
    // February: Amy 1 held; Amy 2 and Ben not: 1 of 3.
    let o = h.outcome("MIS-02c", "2024-02", "2024-04-10");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(3.0), Some(33.3)));
    // March: Cal and Fay held, Dan not: 2 of 3.
    let o = h.outcome("MIS-02c", "2024-03", "2024-04-10");
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(3.0), Some(66.7)));
    assert_eq!(
        met_records(&o),
        vec![(3, 1, true), (4, 1, false), (6, 1, true)]
    );
    // 2023/24: 3 of 6.
    let o = h.outcome("MIS-02c", "2023/24", "2024-04-10");
    assert_eq!(ndv(&o.figure), (Some(3.0), Some(6.0), Some(50.0)));
}

#[test]
fn mis03_children_reported_missing_counted_once_each() {
    let h = episodes();
    // February: Amy (twice, counted once) and Ben.
    let o = h.outcome("MIS-03", "2024-02", "2024-04-10");
    assert_eq!(ndv(&o.figure), (Some(2.0), None, Some(2.0)));
    assert_eq!(met_records(&o), vec![(1, 1, true), (2, 1, true)]);
    // March: Cal, Dan, Eve, Fay and Gus (who went missing at 22:00 on 31 March).
    let o = h.outcome("MIS-03", "2024-03", "2024-04-10");
    assert_eq!(ndv(&o.figure), (Some(5.0), None, Some(5.0)));
    // April: nobody went missing.
    assert_eq!(
        ndv(&h.figure("MIS-03", "2024-04", "2024-04-10")),
        (Some(0.0), None, Some(0.0))
    );
    // 2023/24: all seven.
    assert_eq!(
        ndv(&h.figure("MIS-03", "2023/24", "2024-04-10")),
        (Some(7.0), None, Some(7.0))
    );
    // In March the safeguarding team holds Cal; unallocated children (Dan, Eve, Gus) count to
    // the exploitation hub, the measure's own service; Fay belongs to children in care.
    let o = h.outcome_for("MIS-03", "2024-03", Scope::Team(SAFEGUARDING), "2024-04-10");
    assert_eq!(ndv(&o.figure), (Some(1.0), None, Some(1.0)));
    let hub = Scope::Service(Service::ExploitationHub);
    let o = h.outcome_for("MIS-03", "2024-03", hub, "2024-04-10");
    assert_eq!(ndv(&o.figure), (Some(3.0), None, Some(3.0)));
    assert_eq!(
        met_records(&o),
        vec![(4, 1, true), (5, 1, true), (7, 1, true)]
    );
    let cic = Scope::Service(Service::ChildrenInCare);
    let o = h.outcome_for("MIS-03", "2024-03", cic, "2024-04-10");
    assert_eq!(ndv(&o.figure), (Some(1.0), None, Some(1.0)));
}

// ---- Exploitation ------------------------------------------------------------------------------

fn screenings() -> History {
    let mut h = History::new();
    // Amy (safeguarding team): screened high on 5 January 2024 and medium on 25 January;
    // referred to the hub on 6 January (from the first screening) and again on 31 January.
    let amy = h.child(1, "2008-01-01");
    h.allocate(amy, SAFEGUARDING, "2023-12-01");
    screened(&mut h, amy, 1, RiskLevel::High, "2024-01-05");
    hub_referral(&mut h, amy, Some(1), "2024-01-06");
    screened(&mut h, amy, 2, RiskLevel::Medium, "2024-01-25");
    hub_referral(&mut h, amy, None, "2024-01-31");
    // Ben (assessment team): screened low on 31 December 2023 and high on 2 January 2024;
    // referred on 31 December and on 1 January.
    let ben = h.child(2, "2008-01-01");
    h.allocate(ben, ASSESSMENT, "2023-12-01");
    screened(&mut h, ben, 1, RiskLevel::Low, "2023-12-31");
    hub_referral(&mut h, ben, Some(1), "2023-12-31");
    hub_referral(&mut h, ben, Some(1), "2024-01-01");
    screened(&mut h, ben, 2, RiskLevel::High, "2024-01-02");
    // Cal (unallocated): screened low on 15 January.
    let cal = h.child(3, "2008-01-01");
    screened(&mut h, cal, 1, RiskLevel::Low, "2024-01-15");
    // Dan (safeguarding): screened high and referred on 29 February 2024.
    let dan = h.child(4, "2008-01-01");
    h.allocate(dan, SAFEGUARDING, "2024-02-01");
    screened(&mut h, dan, 1, RiskLevel::High, "2024-02-29");
    hub_referral(&mut h, dan, Some(1), "2024-02-29");
    h
}

#[test]
fn ex01_hub_referrals_in_the_period() {
    let h = screenings();
    // January 2024: Amy's two and Ben's on New Year's Day = 3. December: Ben's first. February:
    // Dan's on the leap day. The quarter: 4.
    let o = h.outcome("EX-01", "2024-01", "2024-04-10");
    assert_eq!(ndv(&o.figure), (Some(3.0), None, Some(3.0)));
    assert_eq!(
        met_records(&o),
        vec![(1, 0, true), (1, 1, true), (2, 1, true)]
    );
    assert_eq!(
        ndv(&h.figure("EX-01", "2023-12", "2024-04-10")),
        (Some(1.0), None, Some(1.0))
    );
    assert_eq!(
        ndv(&h.figure("EX-01", "2024-02", "2024-04-10")),
        (Some(1.0), None, Some(1.0))
    );
    assert_eq!(
        ndv(&h.figure("EX-01", "2024-Q1", "2024-04-10")),
        (Some(4.0), None, Some(4.0))
    );
    // The safeguarding team in the quarter: Amy's two and Dan's = 3.
    let o = h.outcome_for("EX-01", "2024-Q1", Scope::Team(SAFEGUARDING), "2024-04-10");
    assert_eq!(ndv(&o.figure), (Some(3.0), None, Some(3.0)));
}

#[test]
fn ex02_children_screened_counted_once_each() {
    let h = screenings();
    // January: Amy (twice), Ben, Cal = 3 children. December: Ben. The quarter: Amy, Ben, Cal,
    // Dan = 4.
    let o = h.outcome("EX-02", "2024-01", "2024-04-10");
    assert_eq!(ndv(&o.figure), (Some(3.0), None, Some(3.0)));
    assert_eq!(
        met_records(&o),
        vec![(1, 1, true), (2, 2, true), (3, 1, true)]
    );
    assert_eq!(
        ndv(&h.figure("EX-02", "2023-12", "2024-04-10")),
        (Some(1.0), None, Some(1.0))
    );
    assert_eq!(
        ndv(&h.figure("EX-02", "2024-Q1", "2024-04-10")),
        (Some(4.0), None, Some(4.0))
    );
}

#[test]
fn ex03_screenings_rated_high_risk() {
    let h = screenings();
    // January: Amy high, Amy medium, Ben high, Cal low: 2 of 4.
    let o = h.outcome("EX-03", "2024-01", "2024-04-10");
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(4.0), Some(50.0)));
    assert_eq!(
        met_records(&o),
        vec![(1, 1, true), (1, 2, false), (2, 2, true), (3, 1, false)]
    );
    // The quarter adds Dan's high: 3 of 5. December: Ben's low, 0 of 1.
    assert_eq!(
        ndv(&h.figure("EX-03", "2024-Q1", "2024-04-10")),
        (Some(3.0), Some(5.0), Some(60.0))
    );
    assert_eq!(
        ndv(&h.figure("EX-03", "2023-12", "2024-04-10")),
        (Some(0.0), Some(1.0), Some(0.0))
    );
    // By scope in January: the assessment team (Ben) 1 of 1; the safeguarding team (Amy) 1 of 2;
    // the exploitation hub (unallocated Cal) 0 of 1.
    let o = h.outcome_for("EX-03", "2024-01", Scope::Team(ASSESSMENT), "2024-04-10");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(1.0), Some(100.0)));
    let o = h.outcome_for("EX-03", "2024-01", Scope::Team(SAFEGUARDING), "2024-04-10");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.0), Some(50.0)));
    let hub = Scope::Service(Service::ExploitationHub);
    let o = h.outcome_for("EX-03", "2024-01", hub, "2024-04-10");
    assert_eq!(ndv(&o.figure), (Some(0.0), Some(1.0), Some(0.0)));
}
