use crate::history::*;
use domain::codes::*;
use domain::events::*;
use domain::{ChildId, TeamId, WorkerId};
use kpi::{Outcome, Scope};

// ---- Shorthands ---------------------------------------------------------------------------

fn w(n: u32) -> WorkerId {
    WorkerId(n)
}

fn leaves(h: &mut History, worker: u32, at: &str) {
    h.worker(
        w(worker),
        WorkerLeft {
            worker: w(worker),
            at: d(at),
            reason: None,
        },
    );
}

fn changes(
    h: &mut History,
    worker: u32,
    role: Option<WorkerRole>,
    employment: Option<Employment>,
    at: &str,
) {
    h.worker(
        w(worker),
        WorkerChanged {
            registration: None,
            worker: w(worker),
            team: None,
            role,
            employment,
            fte: None,
            at: d(at),
        },
    );
}

fn trains(h: &mut History, worker: u32, at: &str) {
    h.worker(
        w(worker),
        TrainingAttended {
            worker: w(worker),
            course: "Core skills".into(),
            at: d(at),
        },
    );
}

fn clinically_supervised(h: &mut History, worker: u32, at: &str) {
    h.worker(
        w(worker),
        ClinicalSupervisionHeld {
            worker: w(worker),
            at: d(at),
        },
    );
}

fn allocate_to(h: &mut History, c: ChildId, worker: u32, team: TeamId, at: &str) {
    h.on(
        c,
        ChildAllocated {
            reason: None,
            worker: w(worker),
            team,
            at: d(at),
        },
    );
}

fn placement() -> Placement {
    Placement {
        place: Code::from("U1"),
        provider: Code::from("PR1"),
        postcode_district: None,
        urn: None,
        home_postcode: None,
        postcode: None,
    }
}

fn into_care(h: &mut History, c: ChildId, period: u32, legal: &str, at: &str) {
    h.on(
        c,
        CarePeriodStarted {
            period: r(period),
            legal_status: Code::from(legal),
            placement: placement(),
            need: PrimaryNeed::N1,
            at: d(at),
            first_reason: None,
        },
    );
}

/// Each item's subject (child or worker number) with its numerator and denominator.
fn shares(o: &Outcome) -> Vec<(u64, f64, f64)> {
    o.items
        .iter()
        .map(|i| (subject_number(i.subject), round(i.num), round(i.den)))
        .collect()
}

/// FTEs are f32: compare them to two places.
fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

const TODAY: &str = "2024-06-30";
use Employment::{Agency, Permanent};
use WorkerRole::*;

/// Besides workers 1 to 5 (a full-time permanent social worker in each team since 2015):
fn staff() -> History {
    let mut h = History::new();
    // 11: agency social worker, children in care, half time, from June 2023.
    h.worker_joins(w(11), IN_CARE, SocialWorker, Agency, 0.5, "2023-06-01");
    // 12: team manager, children in care: never counted as a social worker.
    h.worker_joins(w(12), IN_CARE, TeamManager, Permanent, 1.0, "2020-01-01");
    // 13: senior practitioner, safeguarding, 0.8.
    h.worker_joins(
        w(13),
        SAFEGUARDING,
        SeniorPractitioner,
        Permanent,
        0.8,
        "2019-01-01",
    );
    // 14: front door social worker, left 30 June 2023.
    h.worker_joins(
        w(14),
        FRONT_DOOR,
        SocialWorker,
        Permanent,
        1.0,
        "2020-01-01",
    );
    leaves(&mut h, 14, "2023-06-30");
    // 15: assessment social worker, 0.6, left on 31 March 2023 (2022/23).
    h.worker_joins(
        w(15),
        ASSESSMENT,
        SocialWorker,
        Permanent,
        0.6,
        "2020-01-01",
    );
    leaves(&mut h, 15, "2023-03-31");
    // 16: assessment team manager, left 1 September 2023.
    h.worker_joins(w(16), ASSESSMENT, TeamManager, Permanent, 1.0, "2020-01-01");
    leaves(&mut h, 16, "2023-09-01");
    // 17: children in care social worker, left on 31 March 2024 (no longer in post that day).
    h.worker_joins(w(17), IN_CARE, SocialWorker, Permanent, 1.0, "2021-01-01");
    leaves(&mut h, 17, "2024-03-31");
    // 18: front door social worker, a team manager from 1 May 2023, left 1 January 2024.
    h.worker_joins(
        w(18),
        FRONT_DOOR,
        SocialWorker,
        Permanent,
        1.0,
        "2021-01-01",
    );
    changes(&mut h, 18, Some(TeamManager), None, "2023-05-01");
    leaves(&mut h, 18, "2024-01-01");
    // 19: agency social worker, safeguarding, from 1 January 2024; permanent from 1 April 2024.
    h.worker_joins(w(19), SAFEGUARDING, SocialWorker, Agency, 1.0, "2024-01-01");
    changes(&mut h, 19, None, Some(Permanent), "2024-04-01");
    // 20: adult specialist (mental health) in the safeguarding team.
    h.worker_joins(
        w(20),
        SAFEGUARDING,
        AdultSpecialist,
        Permanent,
        1.0,
        "2023-01-01",
    );
    h
}

// ---- Caseloads ------------------------------------------------------------------------------

#[test]
fn wf01_caseload_per_case_holding_social_worker_fte() {
    let mut h = staff();
    // Children 1-3 with worker 4 (children in care), 4-5 with worker 11, 6 with the manager 12,
    // 7 with worker 3 (safeguarding), 8 with worker 13 from 31 March, 9 with worker 13 until 31
    // March, 10 with worker 17 (who leaves on 31 March).
    for id in 1..=3 {
        let c = h.child(id, "2015-01-01");
        h.allocate(c, IN_CARE, "2023-01-01");
    }
    for id in 4..=5 {
        let c = h.child(id, "2015-01-01");
        allocate_to(&mut h, c, 11, IN_CARE, "2023-07-01");
    }
    let c6 = h.child(6, "2015-01-01");
    allocate_to(&mut h, c6, 12, IN_CARE, "2023-01-01");
    let c7 = h.child(7, "2015-01-01");
    h.allocate(c7, SAFEGUARDING, "2023-01-01");
    let c8 = h.child(8, "2015-01-01");
    allocate_to(&mut h, c8, 13, SAFEGUARDING, "2024-03-31");
    let c9 = h.child(9, "2015-01-01");
    allocate_to(&mut h, c9, 13, SAFEGUARDING, "2024-01-01");
    h.on(
        c9,
        AllocationEnded {
            at: d("2024-03-31"),
        },
    );
    let c10 = h.child(10, "2015-01-01");
    allocate_to(&mut h, c10, 17, IN_CARE, "2023-01-01");

    // 31 March 2024: worker 3 holds 1, worker 4 holds 3, worker 11 holds 2, worker 13 holds 1
    // (child 8): 7 children. Their FTE: 1 + 1 + 0.5 + 0.8 = 3.3. 7 ÷ 3.3 = 2.1. The manager's
    // case, the departed worker's and the social workers with none (1, 2, 5, 19) do not count.
    let o = h.outcome("WF-01", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(7.0), Some(3.3), Some(2.1)));
    assert_eq!(
        shares(&o),
        vec![(3, 1.0, 1.0), (4, 3.0, 1.0), (11, 2.0, 0.5), (13, 1.0, 0.8)]
    );
    // By the worker's team: children in care 5 ÷ 1.5 = 3.3; safeguarding 2 ÷ 1.8 = 1.1.
    let o = h.outcome_for("WF-01", "2023/24", Scope::Team(IN_CARE), TODAY);
    assert_eq!(ndv(&o.figure), (Some(5.0), Some(1.5), Some(3.3)));
    let o = h.outcome_for("WF-01", "2023/24", Scope::Team(SAFEGUARDING), TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(1.8), Some(1.1)));
    // 30 March: worker 13 holds child 9 (not yet child 8) and worker 17 is in post with child
    // 10: 8 children over 4.3 FTE = 1.86, 1.9.
    let o = h.outcome("WF-01", "at:2024-03-30", TODAY);
    assert_eq!(ndv(&o.figure), (Some(8.0), Some(4.3), Some(1.9)));
}

// ---- The workforce ---------------------------------------------------------------------------

#[test]
fn wf02_turnover_of_social_workers_in_the_twelve_months() {
    let h = staff();
    // 31 March 2024. In post: workers 1-5 (5.0), 11 (0.5), 13 (0.8), 19 (1.0) = 7.3 FTE.
    // Left after 31 March 2023: 14 (1.0) and 17 (1.0, on 31 March 2024) = 2.0. Not counted: 15
    // (left on 31 March 2023, the year before), 16 and 18 (managers when they left).
    // 2.0 ÷ 7.3 = 27.4%.
    let o = h.outcome("WF-02", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(7.3), Some(27.4)));
    assert_eq!(
        shares(&o),
        vec![
            (1, 0.0, 1.0),
            (2, 0.0, 1.0),
            (3, 0.0, 1.0),
            (4, 0.0, 1.0),
            (5, 0.0, 1.0),
            (11, 0.0, 0.5),
            (13, 0.0, 0.8),
            (14, 1.0, 0.0),
            (17, 1.0, 0.0),
            (19, 0.0, 1.0)
        ]
    );
    // Leavers count in the team they left: the front door (worker 1 in post, 14 left) 100%;
    // children in care (4 and 11 in post, 1.5 FTE; 17 left) 1.0 ÷ 1.5 = 66.7%.
    let o = h.outcome_for("WF-02", "2023/24", Scope::Team(FRONT_DOOR), TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(1.0), Some(100.0)));
    let o = h.outcome_for("WF-02", "2023/24", Scope::Team(IN_CARE), TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(1.5), Some(66.7)));
    // 31 March 2023. In post: 1-5, 13 (0.8), 14, 17, 18 (still a social worker) = 8.8 FTE; 15
    // left that day (0.6): 0.6 ÷ 8.8 = 6.8%.
    let o = h.outcome("WF-02", "2022/23", TODAY);
    assert_eq!(ndv(&o.figure), (Some(0.6), Some(8.8), Some(6.8)));
}

#[test]
fn wf03_agency_and_wf03b_permanent_shares_of_social_worker_fte() {
    let h = staff();
    // 31 March 2024: 7.3 FTE; agency 11 (0.5) and 19 (1.0) = 1.5: 20.5%; permanent 5.8: 79.5%.
    let o = h.outcome("WF-03", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.5), Some(7.3), Some(20.5)));
    let o = h.outcome("WF-03b", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(5.8), Some(7.3), Some(79.5)));
    // From 1 April 2024 worker 19 is permanent: agency 0.5 ÷ 7.3 = 6.8%, permanent 93.2%.
    assert_eq!(
        ndv(&h.figure("WF-03", "2024-04", TODAY)),
        (Some(0.5), Some(7.3), Some(6.8))
    );
    assert_eq!(
        ndv(&h.figure("WF-03b", "2024-04", TODAY)),
        (Some(6.8), Some(7.3), Some(93.2))
    );
    // The safeguarding team at 31 March: 3 (1.0), 13 (0.8), 19 (agency 1.0): agency 1.0 ÷ 2.8
    // = 35.7%, permanent 1.8 ÷ 2.8 = 64.3%.
    let team = Scope::Team(SAFEGUARDING);
    let o = h.outcome_for("WF-03", "2023/24", team, TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.8), Some(35.7)));
    let o = h.outcome_for("WF-03b", "2023/24", team, TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.8), Some(2.8), Some(64.3)));
}

#[test]
fn wf07_social_workers_trained_in_the_last_year() {
    let mut h = staff();
    // After 31 March 2023: worker 1 on 1 April 2023, worker 3 on 31 March 2024, worker 11 on
    // 29 February 2024. Too early: worker 2 (31 March 2023, a year to the day), worker 13
    // (December 2022). Worker 12 is a manager.
    trains(&mut h, 1, "2023-04-01");
    trains(&mut h, 2, "2023-03-31");
    trains(&mut h, 3, "2024-03-31");
    trains(&mut h, 11, "2024-02-29");
    trains(&mut h, 13, "2022-12-01");
    trains(&mut h, 12, "2024-01-01");
    // Social workers in post at 31 March 2024: 1-5, 11, 13, 19 = 8; trained 1, 3, 11: 37.5%.
    let o = h.outcome("WF-07", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(3.0), Some(8.0), Some(37.5)));
    assert_eq!(
        met_subjects(&o),
        vec![
            (1, true),
            (2, false),
            (3, true),
            (4, false),
            (5, false),
            (11, true),
            (13, false),
            (19, false)
        ]
    );
    // The safeguarding team: 3 (yes), 13, 19: 1 of 3.
    let o = h.outcome_for("WF-07", "2023/24", Scope::Team(SAFEGUARDING), TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(3.0), Some(33.3)));
}

#[test]
fn wf08_clinical_supervision_in_family_safeguarding_within_a_month() {
    let mut h = staff();
    // At 31 March 2024 the last month runs from 1 March (a month before is 29 February).
    // Worker 3 on 29 February (not within), 13 on 1 March, 20 (adult specialist) on 31 March,
    // 19 never. Worker 11 (children in care) is not in a family safeguarding team.
    clinically_supervised(&mut h, 3, "2024-02-29");
    clinically_supervised(&mut h, 13, "2024-03-01");
    clinically_supervised(&mut h, 20, "2024-03-31");
    clinically_supervised(&mut h, 11, "2024-03-15");
    // Staff in the safeguarding team: 3, 13, 19, 20; supervised 13 and 20: 50%.
    let o = h.outcome("WF-08", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(4.0), Some(50.0)));
    assert_eq!(
        met_subjects(&o),
        vec![(3, false), (13, true), (19, false), (20, true)]
    );
    // At 29 February 2024 the month runs from 30 January: worker 3 alone, 1 of 4.
    let o = h.outcome("WF-08", "at:2024-02-29", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(4.0), Some(25.0)));
    assert_eq!(
        met_subjects(&o),
        vec![(3, true), (13, false), (19, false), (20, false)]
    );
    // The family safeguarding service is the same four.
    let fs = Scope::Service(Service::FamilySafeguarding);
    let o = h.outcome_for("WF-08", "2023/24", fs, TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(4.0), Some(50.0)));
}

// ---- Allocation and supervision ----------------------------------------------------------------

#[test]
fn al01_children_open_without_an_allocated_worker() {
    let mut h = History::new();
    // Amy: referred 1 March 2024 and allocated.
    let amy = h.child(1, "2015-01-01");
    h.referral(amy, 1, "2024-03-01");
    h.allocate(amy, ASSESSMENT, "2024-03-01");
    // Ben: referred 20 March, not allocated.
    let ben = h.child(2, "2015-01-01");
    h.referral(ben, 1, "2024-03-20");
    // Cal: referred 1 March, closed (not in need) on 31 March, never allocated.
    let cal = h.child(3, "2015-01-01");
    h.referral(cal, 1, "2024-03-01");
    h.on(
        cal,
        CaseClosed {
            referral: r(1),
            reason: Code::from("RC8"),
            at: d("2024-03-31"),
            referral_nfa: false,
        },
    );
    // Dan: looked after; his worker's allocation ended on 15 March.
    let dan = h.child(4, "2015-01-01");
    into_care(&mut h, dan, 1, "C2", "2023-01-01");
    h.allocate(dan, IN_CARE, "2023-01-01");
    h.on(
        dan,
        AllocationEnded {
            at: d("2024-03-15"),
        },
    );
    // Eve: referred 1 April 2024.
    let eve = h.child(5, "2015-01-01");
    h.referral(eve, 1, "2024-04-01");
    // Fay: looked after and referred, allocated.
    let fay = h.child(6, "2015-01-01");
    h.referral(fay, 1, "2023-01-01");
    into_care(&mut h, fay, 2, "C2", "2023-02-01");
    h.allocate(fay, IN_CARE, "2023-02-01");
    // Gus: on short breaks, open to social care, not allocated.
    let gus = h.child(7, "2015-01-01");
    into_care(&mut h, gus, 1, "V3", "2023-06-01");
    // Hal: referred 25 March, allocated only from 2 April.
    let hal = h.child(8, "2015-01-01");
    h.referral(hal, 1, "2024-03-25");
    h.allocate(hal, ASSESSMENT, "2024-04-02");

    // 31 March 2024: Ben, Dan, Gus, Hal.
    let o = h.outcome("AL-01", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(4.0), None, Some(4.0)));
    assert_eq!(
        met_subjects(&o),
        vec![(2, true), (4, true), (7, true), (8, true)]
    );
    // 30 March: Cal was still open too: 5.
    let o = h.outcome("AL-01", "at:2024-03-30", TODAY);
    assert_eq!(ndv(&o.figure), (Some(5.0), None, Some(5.0)));
    assert_eq!(
        met_subjects(&o),
        vec![(2, true), (3, true), (4, true), (7, true), (8, true)]
    );
    // 30 April: Hal is allocated, Eve is waiting: Ben, Dan, Eve, Gus.
    let o = h.outcome("AL-01", "2024-04", TODAY);
    assert_eq!(ndv(&o.figure), (Some(4.0), None, Some(4.0)));
    assert_eq!(
        met_subjects(&o),
        vec![(2, true), (4, true), (5, true), (7, true)]
    );
}

#[test]
fn qa01_case_supervision_within_a_month() {
    let mut h = History::new();
    h.worker_joins(w(12), IN_CARE, TeamManager, Permanent, 1.0, "2020-01-01");
    let supervised = |h: &mut History, c: ChildId, at: &str| {
        h.on(
            c,
            CaseSupervised {
                supervisor: w(12),
                at: d(at),
            },
        );
    };
    // At 31 March 2024 the month runs from 1 March (a month before is 29 February).
    // Amy (safeguarding): supervised 5 March: met.
    let amy = h.child(1, "2015-01-01");
    h.allocate(amy, SAFEGUARDING, "2023-06-01");
    supervised(&mut h, amy, "2024-03-05");
    // Ben (safeguarding): supervised 29 February: not met.
    let ben = h.child(2, "2015-01-01");
    h.allocate(ben, SAFEGUARDING, "2023-01-01");
    supervised(&mut h, ben, "2024-02-29");
    // Cal (in care): allocated on 10 March, less than a month ago: met.
    let cal = h.child(3, "2015-01-01");
    h.allocate(cal, IN_CARE, "2024-03-10");
    // Dan (in care): allocated 29 February, a month ago, never supervised: not met.
    let dan = h.child(4, "2015-01-01");
    h.allocate(dan, IN_CARE, "2024-02-29");
    // Eve (in care): supervised on 31 March: met.
    let eve = h.child(5, "2015-01-01");
    h.allocate(eve, IN_CARE, "2023-01-01");
    supervised(&mut h, eve, "2024-03-31");
    // Fay: her allocation ended on 20 March: not counted.
    let fay = h.child(6, "2015-01-01");
    h.allocate(fay, IN_CARE, "2023-01-01");
    supervised(&mut h, fay, "2024-03-01");
    h.on(
        fay,
        AllocationEnded {
            at: d("2024-03-20"),
        },
    );

    // Amy, Cal, Eve of five: 60%.
    let o = h.outcome("QA-01", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(3.0), Some(5.0), Some(60.0)));
    assert_eq!(
        met_subjects(&o),
        vec![(1, true), (2, false), (3, true), (4, false), (5, true)]
    );
    // By team: safeguarding 1 of 2; children in care 2 of 3. The in-care worker's own cases are
    // the same three.
    let o = h.outcome_for("QA-01", "2023/24", Scope::Team(SAFEGUARDING), TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.0), Some(50.0)));
    let o = h.outcome_for("QA-01", "2023/24", Scope::Team(IN_CARE), TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(3.0), Some(66.7)));
    let o = h.outcome_for("QA-01", "2023/24", Scope::Worker(sw(IN_CARE)), TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(3.0), Some(66.7)));
    // 30 April 2024 (the month from 31 March): only Eve, 1 of 5.
    let o = h.outcome("QA-01", "2024-04", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(5.0), Some(20.0)));
}
