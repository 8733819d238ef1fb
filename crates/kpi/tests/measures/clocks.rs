//! The statutory clocks behind the worklists, on dates worked out by hand.

use crate::history::*;
use domain::calendar::Calendar;
use domain::codes::*;
use domain::events::*;
use kpi::clocks::{ClockKind, ClockStatus, Owner, worklist};

#[test]
fn clocks_fall_due_in_working_days_and_worklists_belong_to_teams() {
    let mut h = History::new();
    let a = h.child(1, "2012-05-01");
    h.allocate(a, ASSESSMENT, "2024-01-02");
    // A contact on Wednesday 27 March 2024: due the next working day, Thursday 28th (today).
    h.contact(a, 1, "2024-03-27 10:00", None);
    // An assessment started Monday 15 January: 12 working days left in January, 21 in February,
    // then 1, 4-8, 11-15 and 18 March make 45: due Monday 18 March, overdue today by the 8
    // working days 19-22 and 25-28 March.
    h.referral(a, 2, "2024-01-15");
    h.on(
        a,
        AssessmentStarted {
            assessment: r(3),
            referral: r(2),
            kind: AssessmentKind::New,
            at: d("2024-01-15"),
        },
    );
    // Supervised on 1 March: next due a month later, 1 April, which is Easter Monday. No working
    // day lies between today and then (Good Friday, the weekend, Easter Monday).
    h.on(
        a,
        CaseSupervised {
            supervisor: sw(ASSESSMENT),
            at: d("2024-03-01"),
        },
    );
    // A stage 1 complaint on Wednesday 20 March: 10 working days are 21, 22, 25-28 March and
    // 2-5 April (Easter falls between): due Friday 5 April, 4 working days from today.
    h.on(
        a,
        ComplaintReceived {
            complaint: r(4),
            stage: ComplaintStage::Stage1,
            at: d("2024-03-20"),
        },
    );

    let b = h.child(2, "2019-02-01");
    h.allocate(b, SAFEGUARDING, "2024-02-20");
    h.referral(b, 1, "2024-02-19");
    // A plan from Friday 1 March with no core group and no visit: both due 10 working days
    // later, Friday 15 March; the first review three months on, 1 June.
    h.on(
        b,
        CpPlanStarted {
            plan: r(2),
            referral: r(1),
            category: AbuseCategory::Neglect,
            conference: None,
            at: d("2024-03-01"),
            previous_plans: None,
        },
    );

    let cal = Calendar::england_and_wales();
    let today = d("2024-03-28");
    let team = worklist(&h.model, cal, today, Owner::Team(ASSESSMENT), 5);
    let got: Vec<_> = team
        .iter()
        .map(|c| (c.kind, c.due, c.status, c.working_days_left))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                ClockKind::Assessment,
                d("2024-03-18"),
                ClockStatus::Overdue,
                -8
            ),
            (
                ClockKind::ContactDecision,
                d("2024-03-28"),
                ClockStatus::DueToday,
                0
            ),
            (
                ClockKind::Supervision,
                d("2024-04-01"),
                ClockStatus::DueSoon,
                0
            ),
            (
                ClockKind::Complaint,
                d("2024-04-05"),
                ClockStatus::DueSoon,
                4
            ),
        ]
    );
    // With a horizon of three working days the complaint is not yet "due soon".
    let near = worklist(&h.model, cal, today, Owner::Team(ASSESSMENT), 3);
    assert_eq!(near[3].status, ClockStatus::Later);

    let theirs = worklist(&h.model, cal, today, Owner::Worker(sw(SAFEGUARDING)), 5);
    let got: Vec<_> = theirs.iter().map(|c| (c.kind, c.due, c.status)).collect();
    assert_eq!(
        got,
        vec![
            (ClockKind::CoreGroup, d("2024-03-15"), ClockStatus::Overdue),
            (ClockKind::CpVisit, d("2024-03-15"), ClockStatus::Overdue),
            (
                ClockKind::Supervision,
                d("2024-03-20"),
                ClockStatus::Overdue
            ),
            (ClockKind::CpReview, d("2024-06-01"), ClockStatus::Later),
        ]
    );
    // Everyone's clocks: both children's, soonest first.
    assert_eq!(worklist(&h.model, cal, today, Owner::All, 5).len(), 8);
}

#[test]
fn a_teams_worklist_through_the_index_is_the_same_as_visiting_every_child() {
    use kpi::clocks::{Owner, worklist, worklist_indexed};
    let end = chrono::NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
    let model = crate::history::council(5, 1, end);
    let ix = kpi::Index::new(&model);
    let cal = domain::calendar::Calendar::england_and_wales();
    let mut compared = 0;
    let owners = model
        .teams
        .keys()
        .map(|t| Owner::Team(*t))
        .chain(model.workers.keys().map(|w| Owner::Worker(*w)));
    for owner in owners {
        let alone = worklist(&model, cal, end, owner, 5);
        assert_eq!(
            worklist_indexed(&model, &ix, cal, end, owner, 5),
            alone,
            "{owner:?}"
        );
        compared += alone.len();
    }
    assert!(compared > 500, "{compared} clocks compared");
}
