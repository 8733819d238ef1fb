use crate::history::*;
use domain::codes::*;
use domain::events::*;
use domain::{ChildId, WorkerId};
use kpi::{Outcome, Scope};

// ---- Shorthands ---------------------------------------------------------------------------

fn audit(
    h: &mut History,
    c: ChildId,
    id: u32,
    kind: AuditKind,
    (grade, smart): (AuditGrade, bool),
    actions: usize,
    at: &str,
) {
    h.on(
        c,
        CaseAudited {
            audit: r(id),
            kind,
            grade,
            plan_smart: smart,
            actions: (1..=actions).map(|n| format!("Action {n}")).collect(),
            auditor: sw(SAFEGUARDING),
            at: d(at),
        },
    );
}

/// An audit of a new plan, graded good and judged SMART.
fn new_plan_audit(h: &mut History, c: ChildId, id: u32, at: &str) {
    audit(
        h,
        c,
        id,
        AuditKind::NewPlan,
        (AuditGrade::Good, true),
        0,
        at,
    );
}

fn action_closed(h: &mut History, c: ChildId, audit: u32, action: u16, at: &str) {
    h.on(
        c,
        AuditActionClosed {
            audit: r(audit),
            action,
            at: d(at),
        },
    );
}

fn cp_plan(h: &mut History, c: ChildId, referral: u32, plan: u32, at: &str) {
    h.on(
        c,
        CpPlanStarted {
            plan: r(plan),
            referral: r(referral),
            category: AbuseCategory::Neglect,
            conference: None,
            at: d(at),
            previous_plans: None,
        },
    );
}

fn cin_plan(h: &mut History, c: ChildId, referral: u32, plan: u32, at: &str) {
    h.on(
        c,
        CinPlanStarted {
            plan: r(plan),
            referral: r(referral),
            at: d(at),
        },
    );
}

fn into_care(h: &mut History, c: ChildId, period: u32, at: &str) {
    h.on(
        c,
        CarePeriodStarted {
            period: r(period),
            legal_status: Code::from("C2"),
            placement: Placement {
                place: Code::from("U1"),
                provider: Code::from("PR1"),
                postcode_district: None,
                urn: None,
                home_postcode: None,
                postcode: None,
            },
            need: PrimaryNeed::N1,
            at: d(at),
            first_reason: None,
        },
    );
}

fn complaint(h: &mut History, c: ChildId, stage: ComplaintStage, at: &str, answered: Option<&str>) {
    h.on(
        c,
        ComplaintReceived {
            complaint: r(1),
            stage,
            at: d(at),
        },
    );
    if let Some(on) = answered {
        h.on(
            c,
            ComplaintResponded {
                complaint: r(1),
                upheld: false,
                at: d(on),
            },
        );
    }
}

fn dispute(h: &mut History, c: ChildId, raised: &str, resolved: Option<&str>) {
    h.on(
        c,
        IroDisputeRaised {
            dispute: r(1),
            iro: WorkerId(30),
            issue: "Care plan not progressed".into(),
            at: d(raised),
        },
    );
    if let Some(on) = resolved {
        h.on(
            c,
            IroDisputeResolved {
                dispute: r(1),
                at: d(on),
            },
        );
    }
}

fn transfer(h: &mut History, c: ChildId, requested: &str, completed: Option<&str>) {
    h.on(
        c,
        TransferRequested {
            transfer: r(1),
            to_team: IN_CARE,
            at: d(requested),
        },
    );
    if let Some(on) = completed {
        h.on(
            c,
            TransferCompleted {
                transfer: r(1),
                at: d(on),
            },
        );
    }
}

fn left(o: &Outcome) -> Vec<(u64, &'static str)> {
    o.left
        .iter()
        .map(|l| (subject_number(l.subject), l.reason))
        .collect()
}

// ---- Audits of new plans -----------------------------------------------------------------------

fn new_plans() -> History {
    let mut h = History::new();
    use AuditGrade::*;
    use AuditKind::*;
    // Amy (safeguarding): child protection plan from 5 January 2024, audited 5 February, a
    // month to the day: on time. The audit: SMART, good.
    let amy = h.child(1, "2015-01-01");
    h.allocate(amy, SAFEGUARDING, "2023-12-20");
    h.referral(amy, 1, "2023-12-20");
    cp_plan(&mut h, amy, 1, 2, "2024-01-05");
    audit(&mut h, amy, 3, NewPlan, (Good, true), 0, "2024-02-05");
    // Ben (assessment): child in need plan from 10 January; a practice audit on 15 January
    // (not SMART, good) is not an audit of the new plan; that came on 11 February, a day late
    // (not SMART, requires improvement).
    let ben = h.child(2, "2015-01-01");
    h.allocate(ben, ASSESSMENT, "2024-01-02");
    h.referral(ben, 1, "2024-01-02");
    cin_plan(&mut h, ben, 1, 2, "2024-01-10");
    audit(&mut h, ben, 3, Practice, (Good, false), 0, "2024-01-15");
    audit(
        &mut h,
        ben,
        4,
        NewPlan,
        (RequiresImprovement, false),
        0,
        "2024-02-11",
    );
    // Cal (in care): came into care on 31 January; a month later is 29 February (2024 is a leap
    // year), when the audit was done: on time (SMART, outstanding).
    let cal = h.child(3, "2015-01-01");
    h.allocate(cal, IN_CARE, "2024-01-31");
    into_care(&mut h, cal, 1, "2024-01-31");
    audit(
        &mut h,
        cal,
        2,
        NewPlan,
        (Outstanding, true),
        0,
        "2024-02-29",
    );
    // Dan (in care): came into care on 20 January, audited 20 February: on time (SMART,
    // inadequate).
    let dan = h.child(4, "2015-01-01");
    h.allocate(dan, IN_CARE, "2024-01-20");
    into_care(&mut h, dan, 1, "2024-01-20");
    audit(&mut h, dan, 2, NewPlan, (Inadequate, true), 0, "2024-02-20");
    // Eve (safeguarding): child protection plan from 15 March, not audited: due by 15 April.
    let eve = h.child(5, "2015-01-01");
    h.allocate(eve, SAFEGUARDING, "2024-03-01");
    h.referral(eve, 1, "2024-03-01");
    cp_plan(&mut h, eve, 1, 2, "2024-03-15");
    // Fay (assessment): child in need plan from 1 March, audited 20 March (SMART, good).
    let fay = h.child(6, "2015-01-01");
    h.allocate(fay, ASSESSMENT, "2024-02-20");
    h.referral(fay, 1, "2024-02-20");
    cin_plan(&mut h, fay, 1, 2, "2024-03-01");
    new_plan_audit(&mut h, fay, 3, "2024-03-20");
    h
}

#[test]
fn qa02a_new_plans_audited_within_a_month() {
    let h = new_plans();
    // January: Amy, Ben, Cal, Dan started plans; Ben's audit was late: 3 of 4.
    let o = h.outcome("QA-02a", "2024-01", "2024-03-31");
    assert_eq!(ndv(&o.figure), (Some(3.0), Some(4.0), Some(75.0)));
    assert_eq!(
        met_records(&o),
        vec![(1, 2, true), (2, 2, false), (3, 1, true), (4, 1, true)]
    );
    // The children in care team (Cal, Dan): 2 of 2.
    let o = h.outcome_for("QA-02a", "2024-01", Scope::Team(IN_CARE), "2024-03-31");
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(2.0), Some(100.0)));
    // March, read on 31 March: Fay's audited; Eve's month runs to 15 April: left out. 1 of 1.
    let o = h.outcome("QA-02a", "2024-03", "2024-03-31");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(1.0), Some(100.0)));
    assert_eq!(left(&o), vec![(5, "its month for audit is still running")]);
    // The quarter, read on 20 April: Eve's month has run out: Amy, Cal, Dan, Fay of 6 = 66.7%.
    let o = h.outcome("QA-02a", "2024-Q1", "2024-04-20");
    assert_eq!(ndv(&o.figure), (Some(4.0), Some(6.0), Some(66.7)));
    assert!(o.left.is_empty());
    // The safeguarding team in the quarter (Amy, Eve): 1 of 2.
    let o = h.outcome_for("QA-02a", "2024-Q1", Scope::Team(SAFEGUARDING), "2024-04-20");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.0), Some(50.0)));
}

#[test]
fn qa02b_audits_judging_the_plan_smart() {
    let h = new_plans();
    // February: Amy (SMART), Ben's second (not), Dan (SMART), Cal (SMART): 3 of 4.
    let o = h.outcome("QA-02b", "2024-02", "2024-04-20");
    assert_eq!(ndv(&o.figure), (Some(3.0), Some(4.0), Some(75.0)));
    assert_eq!(
        met_records(&o),
        vec![(1, 3, true), (2, 4, false), (3, 2, true), (4, 2, true)]
    );
    // January: Ben's practice audit, not SMART: 0 of 1. The quarter: 4 of 6.
    assert_eq!(
        ndv(&h.figure("QA-02b", "2024-01", "2024-04-20")),
        (Some(0.0), Some(1.0), Some(0.0))
    );
    assert_eq!(
        ndv(&h.figure("QA-02b", "2024-Q1", "2024-04-20")),
        (Some(4.0), Some(6.0), Some(66.7))
    );
    // Read on 15 February, February holds only Amy's and Ben's so far: 1 of 2.
    assert_eq!(
        ndv(&h.figure("QA-02b", "2024-02", "2024-02-15")),
        (Some(1.0), Some(2.0), Some(50.0))
    );
    // The children in care team in February (Cal, Dan): 2 of 2.
    let o = h.outcome_for("QA-02b", "2024-02", Scope::Team(IN_CARE), "2024-04-20");
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(2.0), Some(100.0)));
}

#[test]
fn qa02c_audits_graded_good_or_better() {
    let h = new_plans();
    // February: Amy good, Ben requires improvement, Cal outstanding, Dan inadequate: 2 of 4.
    let o = h.outcome("QA-02c", "2024-02", "2024-04-20");
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(4.0), Some(50.0)));
    assert_eq!(
        met_records(&o),
        vec![(1, 3, true), (2, 4, false), (3, 2, true), (4, 2, false)]
    );
    // January: Ben's practice audit, good: 1 of 1. The quarter: Ben's first, Amy, Cal, Fay:
    // 4 of 6.
    assert_eq!(
        ndv(&h.figure("QA-02c", "2024-01", "2024-04-20")),
        (Some(1.0), Some(1.0), Some(100.0))
    );
    assert_eq!(
        ndv(&h.figure("QA-02c", "2024-Q1", "2024-04-20")),
        (Some(4.0), Some(6.0), Some(66.7))
    );
    // The children in care team in February (Cal, Dan): 1 of 2.
    let o = h.outcome_for("QA-02c", "2024-02", Scope::Team(IN_CARE), "2024-04-20");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.0), Some(50.0)));
}

// ---- Complaints ----------------------------------------------------------------------------------

#[test]
fn qa03_complaints_answered_in_working_days_over_christmas() {
    let mut h = History::new();
    use ComplaintStage::*;
    // Amy (assessment): stage 1 on Wednesday 20 December 2023. Ten working days: 21, 22, 27,
    // 28, 29 December (25 and 26 are bank holidays), 2-5 January (1 January is one), 8 January:
    // due Monday 8 January. Answered that day: on time.
    let amy = h.child(1, "2012-01-01");
    h.allocate(amy, ASSESSMENT, "2023-12-01");
    complaint(&mut h, amy, Stage1, "2023-12-20", Some("2024-01-08"));
    // Ben (assessment): stage 1 on Friday 22 December: 27-29 December, 2-5, 8-10 January: due
    // Wednesday 10 January. Answered 11 January: late.
    let ben = h.child(2, "2012-01-01");
    h.allocate(ben, ASSESSMENT, "2023-12-01");
    complaint(&mut h, ben, Stage1, "2023-12-22", Some("2024-01-11"));
    // Cal: stage 2 on Monday 4 December: 25 working days are 5-8 (4), 11-15 (9), 18-22 (14),
    // 27-29 (17) December, 2-5 (21), 8-11 (25) January: due Thursday 11 January. Unanswered.
    let cal = h.child(3, "2012-01-01");
    complaint(&mut h, cal, Stage2, "2023-12-04", None);
    // Dan: stage 3 on Monday 20 November: 30 working days end on Thursday 4 January. Answered
    // 20 December: on time.
    let dan = h.child(4, "2012-01-01");
    complaint(&mut h, dan, Stage3, "2023-11-20", Some("2023-12-20"));
    // Eve: stage 1 on Thursday 25 January: due Thursday 8 February, answered then.
    let eve = h.child(5, "2012-01-01");
    complaint(&mut h, eve, Stage1, "2024-01-25", Some("2024-02-08"));
    // Fay: stage 1 on Wednesday 17 January: due Wednesday 31 January. Unanswered.
    let fay = h.child(6, "2012-01-01");
    complaint(&mut h, fay, Stage1, "2024-01-17", None);
    // Gus: stage 1 on Thursday 21 March 2024: 22, 25-28 March, then Good Friday and Easter
    // Monday, 2-5 and 8 April: due Monday 8 April (2024/25). Answered then.
    let gus = h.child(7, "2012-01-01");
    complaint(&mut h, gus, Stage1, "2024-03-21", Some("2024-04-08"));

    // January, read on 31 January: due Amy (on time), Ben (late), Cal (unanswered), Dan (on
    // time), Fay (due today: still inside its timescale, left out). 2 of 4.
    let o = h.outcome("QA-03", "2024-01", "2024-01-31");
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(4.0), Some(50.0)));
    assert_eq!(
        met_records(&o),
        vec![(1, 1, true), (2, 1, false), (3, 1, false), (4, 1, true)]
    );
    assert_eq!(left(&o), vec![(6, "still inside its timescale")]);
    let due: Vec<_> = o.items.iter().map(|i| i.date.to_string()).collect();
    assert_eq!(
        due,
        vec!["2024-01-08", "2024-01-10", "2024-01-11", "2024-01-04"]
    );
    // Read on 1 February, Fay's is overdue: 2 of 5.
    let o = h.outcome("QA-03", "2024-01", "2024-02-01");
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(5.0), Some(40.0)));
    // The assessment team (Amy, Ben): 1 of 2.
    let o = h.outcome_for("QA-03", "2024-01", Scope::Team(ASSESSMENT), "2024-02-01");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.0), Some(50.0)));
    // 2023/24: the five above and Eve: Amy, Dan, Eve on time, 3 of 6. Gus falls in 2024/25.
    let o = h.outcome("QA-03", "2023/24", "2024-06-30");
    assert_eq!(ndv(&o.figure), (Some(3.0), Some(6.0), Some(50.0)));
    let o = h.outcome("QA-03", "2024/25", "2024-06-30");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(1.0), Some(100.0)));
    assert_eq!(met_records(&o), vec![(7, 1, true)]);
}

// ---- Audit actions ------------------------------------------------------------------------------

#[test]
fn qa07_audit_actions_closed_within_20_working_days() {
    let mut h = History::new();
    use AuditGrade::*;
    use AuditKind::*;
    // Amy (safeguarding): audit on Friday 1 December 2023 with two actions. 20 working days:
    // 4-8, 11-15, 18-22 (15), 27-29 December (18), 2-3 January (20): due Wednesday 3 January.
    // Action 1 closed 3 January (on time), action 2 on 4 January (late).
    let amy = h.child(1, "2012-01-01");
    h.allocate(amy, SAFEGUARDING, "2023-11-01");
    audit(&mut h, amy, 1, Practice, (Good, true), 2, "2023-12-01");
    action_closed(&mut h, amy, 1, 1, "2024-01-03");
    action_closed(&mut h, amy, 1, 2, "2024-01-04");
    // Ben: audit on Thursday 7 March 2024: 8, 11-15, 18-22, 25-28 March (15), Easter, 2-5 (19)
    // and 8 April (20): due Monday 8 April. Closed 5 April: on time.
    let ben = h.child(2, "2012-01-01");
    audit(&mut h, ben, 1, Practice, (Good, true), 1, "2024-03-07");
    action_closed(&mut h, ben, 1, 1, "2024-04-05");
    // Cal: audit on Monday 11 December 2023: 12-15, 18-22, 27-29 December (12), 2-5 (16), 8-11
    // January (20): due Thursday 11 January. Never closed.
    let cal = h.child(3, "2012-01-01");
    audit(&mut h, cal, 1, Practice, (Good, true), 1, "2023-12-11");
    // Dan: audit on Tuesday 2 January 2024: due Tuesday 30 January. Not closed.
    let dan = h.child(4, "2012-01-01");
    audit(&mut h, dan, 1, Practice, (Good, true), 1, "2024-01-02");
    // Eve: an audit with no actions: nothing to count.
    let eve = h.child(5, "2012-01-01");
    audit(&mut h, eve, 1, Practice, (Good, true), 0, "2024-01-10");

    // January, read on 30 January: Amy's two (1 on time), Cal's (not); Dan's runs to today:
    // left out. 1 of 3.
    let o = h.outcome("QA-07", "2024-01", "2024-01-30");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(3.0), Some(33.3)));
    assert_eq!(
        met_records(&o),
        vec![(1, 1, true), (1, 1, false), (3, 1, false)]
    );
    assert_eq!(left(&o), vec![(4, "its 20 working days are still running")]);
    // Read on 30 April: Dan's counts as not closed: 1 of 4.
    let o = h.outcome("QA-07", "2024-01", "2024-04-30");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(4.0), Some(25.0)));
    // The safeguarding team (Amy's two): 1 of 2.
    let o = h.outcome_for("QA-07", "2024-01", Scope::Team(SAFEGUARDING), "2024-04-30");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.0), Some(50.0)));
    // Ben's action, audited in March, fell due in April: April 1 of 1; March has none.
    let o = h.outcome("QA-07", "2024-04", "2024-04-30");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(1.0), Some(100.0)));
    assert_eq!(met_records(&o), vec![(2, 1, true)]);
    let o = h.outcome("QA-07", "2024-03", "2024-04-30");
    assert_eq!(ndv(&o.figure), (Some(0.0), Some(0.0), None));
}

// ---- IRO disputes ---------------------------------------------------------------------------------

#[test]
fn qa08_iro_disputes_resolved_within_20_working_days() {
    let mut h = History::new();
    h.worker_joins(
        WorkerId(30),
        SAFEGUARDING,
        WorkerRole::Iro,
        Employment::Permanent,
        1.0,
        "2020-01-01",
    );
    // Amy: raised Wednesday 6 March 2024: 7-8 (2), 11-15 (7), 18-22 (12), 25-28 (16), Good
    // Friday and Easter Monday, 2-5 April (20): due Friday 5 April, in 2024/25. Resolved then.
    let amy = h.child(1, "2012-01-01");
    dispute(&mut h, amy, "2024-03-06", Some("2024-04-05"));
    // Ben: raised Thursday 28 March: 2-5 (4), 8-12, 15-19, 22-26 April (19), 29 April (20):
    // due Monday 29 April. Resolved 1 May: late.
    let ben = h.child(2, "2012-01-01");
    dispute(&mut h, ben, "2024-03-28", Some("2024-05-01"));
    // Cal: raised Wednesday 10 April: 11-12, 15-19, 22-26, 29 April-3 May (17), 6 May a bank
    // holiday, 7-9 May (20): due Thursday 9 May. Not resolved.
    let cal = h.child(3, "2012-01-01");
    dispute(&mut h, cal, "2024-04-10", None);
    // Dan: raised Thursday 1 February: 2, 5-9, 12-16, 19-23, 26-29 February: due Thursday 29
    // February, the leap day. Resolved then.
    let dan = h.child(4, "2012-01-01");
    dispute(&mut h, dan, "2024-02-01", Some("2024-02-29"));
    h.allocate(dan, IN_CARE, "2024-01-01");

    // April: Amy (on time), Ben (late): 1 of 2.
    let o = h.outcome("QA-08", "2024-04", "2024-05-10");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.0), Some(50.0)));
    assert_eq!(met_records(&o), vec![(1, 1, true), (2, 1, false)]);
    // May, read on 9 May: Cal's is due today: left out.
    let o = h.outcome("QA-08", "2024-05", "2024-05-09");
    assert_eq!(ndv(&o.figure), (Some(0.0), Some(0.0), None));
    assert_eq!(left(&o), vec![(3, "its 20 working days are still running")]);
    // Read on 10 May: 0 of 1.
    let o = h.outcome("QA-08", "2024-05", "2024-05-10");
    assert_eq!(ndv(&o.figure), (Some(0.0), Some(1.0), Some(0.0)));
    // February: Dan, 1 of 1; the children in care team holds him.
    assert_eq!(
        ndv(&h.figure("QA-08", "2024-02", "2024-05-10")),
        (Some(1.0), Some(1.0), Some(100.0))
    );
    let o = h.outcome_for("QA-08", "2024-02", Scope::Team(IN_CARE), "2024-05-10");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(1.0), Some(100.0)));
    // By statutory year: Amy's was raised in 2023/24 but fell due in 2024/25. 2023/24 holds
    // Dan's alone (1 of 1); 2024/25 so far Amy, Ben, Cal (1 of 3).
    assert_eq!(
        ndv(&h.figure("QA-08", "2023/24", "2024-05-10")),
        (Some(1.0), Some(1.0), Some(100.0))
    );
    assert_eq!(
        ndv(&h.figure("QA-08", "2024/25", "2024-05-10")),
        (Some(1.0), Some(3.0), Some(33.3))
    );
}

// ---- Transfers ------------------------------------------------------------------------------------

#[test]
fn tr01_transfers_completed_within_10_working_days() {
    let mut h = History::new();
    // Amy (assessment): requested Friday 15 December 2023: 18-22 (5), 27-29 December (8), 2-3
    // January (10): due Wednesday 3 January. Completed that day: on time.
    let amy = h.child(1, "2012-01-01");
    h.allocate(amy, ASSESSMENT, "2023-11-01");
    transfer(&mut h, amy, "2023-12-15", Some("2024-01-03"));
    // Ben (assessment): requested Wednesday 20 December: due Monday 8 January. Completed 9th.
    let ben = h.child(2, "2012-01-01");
    h.allocate(ben, ASSESSMENT, "2023-11-01");
    transfer(&mut h, ben, "2023-12-20", Some("2024-01-09"));
    // Cal (safeguarding): requested Thursday 28 December: 29 December, 2-5, 8-12 January: due
    // Friday 12 January. Not completed.
    let cal = h.child(3, "2012-01-01");
    h.allocate(cal, SAFEGUARDING, "2023-11-01");
    transfer(&mut h, cal, "2023-12-28", None);
    // Dan (unallocated): requested Thursday 30 November: 1, 4-8, 11-14 December: due Thursday
    // 14 December. Completed that day.
    let dan = h.child(4, "2012-01-01");
    transfer(&mut h, dan, "2023-11-30", Some("2023-12-14"));

    // December, read on 12 January: Amy (on time), Ben (late); Cal's time runs to today: left
    // out. 1 of 2.
    let o = h.outcome("TR-01", "2023-12", "2024-01-12");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.0), Some(50.0)));
    assert_eq!(met_records(&o), vec![(1, 1, true), (2, 1, false)]);
    assert_eq!(left(&o), vec![(3, "its 10 working days are still running")]);
    // The assessment team: 1 of 2. The safeguarding team: nothing counted, Cal left out.
    let o = h.outcome_for("TR-01", "2023-12", Scope::Team(ASSESSMENT), "2024-01-12");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.0), Some(50.0)));
    assert!(o.left.is_empty());
    let o = h.outcome_for("TR-01", "2023-12", Scope::Team(SAFEGUARDING), "2024-01-12");
    assert_eq!(ndv(&o.figure), (Some(0.0), Some(0.0), None));
    assert_eq!(left(&o), vec![(3, "its 10 working days are still running")]);
    // Read on 15 January: Cal's is late: 1 of 3.
    let o = h.outcome("TR-01", "2023-12", "2024-01-15");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(3.0), Some(33.3)));
    // November: Dan, 1 of 1. The quarter: Amy and Dan of four, 50%.
    assert_eq!(
        ndv(&h.figure("TR-01", "2023-11", "2024-01-15")),
        (Some(1.0), Some(1.0), Some(100.0))
    );
    assert_eq!(
        ndv(&h.figure("TR-01", "2023-Q4", "2024-01-15")),
        (Some(2.0), Some(4.0), Some(50.0))
    );
}
