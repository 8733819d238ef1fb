//! The improvement plan's rules: an action past its date and not complete is overdue; a moved
//! date or an owner's "at risk" is slipping; the plan refuses what does not belong to it.

use chrono::{DateTime, NaiveDate, Utc};
use domain::codes::*;
use domain::events::*;
use domain::ids::{ActionId, BoardId, PriorityId};
use domain::{ApplyError, Event, EventBody, Model, RecordId, StreamId, TeamId, WorkerId};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn apply(
    model: &mut Model,
    stream: StreamId,
    body: impl Into<EventBody>,
) -> Result<(), ApplyError> {
    let event = Event {
        stream,
        version: model.version(stream) + 1,
        recorded_at: DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap(),
        actor: "test".into(),
        body: body.into(),
    };
    model.apply(&event)
}

const ACTION: StreamId = StreamId::Action(ActionId(1));

/// A council with two staff, a started plan, one priority and one action due on 31 March.
fn planned() -> Model {
    let mut m = Model::new();
    apply(
        &mut m,
        StreamId::Team(TeamId(1)),
        TeamEstablished {
            team: TeamId(1),
            name: "Directorate".into(),
            service: Service::Safeguarding,
            area: None,
            at: d("2020-01-01"),
        },
    )
    .unwrap();
    for (id, name) in [(1, "Director"), (2, "Head of Service")] {
        apply(
            &mut m,
            StreamId::Worker(WorkerId(id)),
            WorkerJoined {
                worker: WorkerId(id),
                name: name.into(),
                role: WorkerRole::HeadOfService,
                team: TeamId(1),
                employment: Employment::Permanent,
                fte: 1.0,
                registration: None,
                at: d("2020-01-06"),
            },
        )
        .unwrap();
    }
    apply(
        &mut m,
        StreamId::Plan,
        PlanStarted {
            title: "Improvement plan".into(),
            summary: "Why".into(),
            lead: WorkerId(1),
            starts: d("2025-01-01"),
            ends: d("2025-12-31"),
            at: d("2025-01-01"),
        },
    )
    .unwrap();
    apply(
        &mut m,
        StreamId::Priority(PriorityId(1)),
        PriorityAdded {
            priority: PriorityId(1),
            number: 1,
            key: "front_door".into(),
            title: "Timely decisions at the front door".into(),
            finding: "Contacts wait too long".into(),
            needs_to_improve: vec!["Decide contacts within a working day".into()],
            officer: WorkerId(2),
            ofsted_areas: vec![OfstedArea::HelpAndProtection],
            measures: vec!["FD-01".into()],
            at: d("2025-01-01"),
        },
    )
    .unwrap();
    apply(
        &mut m,
        ACTION,
        ActionAdded {
            action: ActionId(1),
            priority: PriorityId(1),
            strand: Strand::Practice,
            text: "Weekly improvement meetings on contact decisions".into(),
            owner: WorkerId(2),
            due: d("2025-03-31"),
            arising_from: None,
            at: d("2025-01-10"),
        },
    )
    .unwrap();
    m
}

fn action(m: &Model) -> &domain::plan::Action {
    &m.plan.actions[&ActionId(1)]
}

#[test]
fn an_action_past_its_date_and_not_complete_is_overdue() {
    let mut m = planned();
    assert!(
        !action(&m).is_overdue(d("2025-03-31")),
        "due today is not overdue"
    );
    assert!(action(&m).is_overdue(d("2025-04-01")));
    assert_eq!(action(&m).days_overdue(d("2025-04-10")), Some(10));
    apply(
        &mut m,
        ACTION,
        ActionUpdated {
            action: ActionId(1),
            status: ActionStatus::OnTrack,
            note: "Meetings running".into(),
            at: d("2025-02-01"),
        },
    )
    .unwrap();
    assert!(
        action(&m).is_overdue(d("2025-04-01")),
        "on track is not complete"
    );
    apply(
        &mut m,
        ACTION,
        ActionUpdated {
            action: ActionId(1),
            status: ActionStatus::Complete,
            note: "Done, a week late".into(),
            at: d("2025-04-07"),
        },
    )
    .unwrap();
    let a = action(&m);
    assert!(!a.is_overdue(d("2025-06-01")));
    assert_eq!(a.completed, Some(d("2025-04-07")));
    assert!(a.completed_late());
    // As it stood before completion, for a board pack dated then.
    let before = a.as_on(d("2025-04-03")).unwrap();
    assert!(before.is_overdue(d("2025-04-03")));
    assert_eq!(before.status, ActionStatus::OnTrack);
    assert!(a.as_on(d("2025-01-09")).is_none(), "not yet added");
}

#[test]
fn a_moved_date_or_an_owner_at_risk_is_slipping_not_overdue() {
    let mut m = planned();
    assert!(!action(&m).is_slipping(d("2025-03-01")));
    apply(
        &mut m,
        ACTION,
        ActionRescheduled {
            action: ActionId(1),
            due: d("2025-05-31"),
            reason: "Waiting for the new service manager".into(),
            at: d("2025-03-20"),
        },
    )
    .unwrap();
    let a = action(&m);
    assert_eq!((a.first_due, a.due), (d("2025-03-31"), d("2025-05-31")));
    assert!(a.is_slipping(d("2025-04-15")));
    assert!(!a.is_overdue(d("2025-04-15")));
    assert!(a.is_overdue(d("2025-06-01")) && !a.is_slipping(d("2025-06-01")));
    assert_eq!(a.as_on(d("2025-03-19")).unwrap().due, d("2025-03-31"));

    let mut m = planned();
    apply(
        &mut m,
        ACTION,
        ActionUpdated {
            action: ActionId(1),
            status: ActionStatus::AtRisk,
            note: "No chair yet".into(),
            at: d("2025-02-01"),
        },
    )
    .unwrap();
    assert!(action(&m).is_slipping(d("2025-02-02")));
}

#[test]
fn the_plan_refuses_what_does_not_belong_to_it() {
    // Nothing can be added before the plan is started.
    let mut empty = Model::new();
    let err = apply(
        &mut empty,
        StreamId::Board(BoardId(1)),
        BoardEstablished {
            board: BoardId(1),
            name: "Improvement Board".into(),
            kind: BoardKind::ImprovementBoard,
            every_weeks: 6,
            chair: WorkerId(1),
            members: vec![],
            at: d("2025-01-01"),
        },
    )
    .unwrap_err();
    assert_eq!(err, ApplyError::NoPlan);

    let mut m = planned();
    let before = m.plan.clone();
    // An action under a priority the plan does not have.
    let err = apply(
        &mut m,
        StreamId::Action(ActionId(2)),
        ActionAdded {
            action: ActionId(2),
            priority: PriorityId(9),
            strand: Strand::People,
            text: "Recruit".into(),
            owner: WorkerId(2),
            due: d("2025-03-31"),
            arising_from: None,
            at: d("2025-01-10"),
        },
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the improvement plan has no priority priority/9"
    );
    // Arising from a meeting that was never held.
    apply(
        &mut m,
        StreamId::Board(BoardId(1)),
        BoardEstablished {
            board: BoardId(1),
            name: "Improvement Board".into(),
            kind: BoardKind::ImprovementBoard,
            every_weeks: 6,
            chair: WorkerId(1),
            members: vec![WorkerId(2)],
            at: d("2025-01-01"),
        },
    )
    .unwrap();
    let err = apply(
        &mut m,
        StreamId::Action(ActionId(2)),
        ActionAdded {
            action: ActionId(2),
            priority: PriorityId(1),
            strand: Strand::People,
            text: "Recruit".into(),
            owner: WorkerId(2),
            due: d("2025-03-31"),
            arising_from: Some(MeetingRef {
                board: BoardId(1),
                meeting: RecordId(1),
            }),
            at: d("2025-01-10"),
        },
    )
    .unwrap_err();
    assert!(matches!(
        err,
        ApplyError::NotInPlan {
            what: "meeting",
            ..
        }
    ));
    // An update dated before the action existed; an owner nobody knows.
    assert!(
        apply(
            &mut m,
            ACTION,
            ActionUpdated {
                action: ActionId(1),
                status: ActionStatus::OnTrack,
                note: String::new(),
                at: d("2025-01-01"),
            },
        )
        .is_err()
    );
    assert_eq!(
        apply(
            &mut m,
            ACTION,
            ActionReassigned {
                action: ActionId(1),
                owner: WorkerId(77),
                at: d("2025-02-01"),
            },
        ),
        Err(ApplyError::UnknownWorker(WorkerId(77)))
    );
    // A priority's event on an action's stream.
    assert!(matches!(
        apply(
            &mut m,
            ACTION,
            PriorityChanged {
                priority: PriorityId(1),
                title: Some("x".into()),
                finding: None,
                needs_to_improve: None,
                officer: None,
                measures: None,
                at: d("2025-02-01"),
            },
        ),
        Err(ApplyError::WrongStream { .. })
    ));
    // The board's record is unchanged by the refusals but for the board itself.
    assert_eq!(m.plan.actions, before.actions);
    assert_eq!(m.plan.priorities, before.priorities);
}
