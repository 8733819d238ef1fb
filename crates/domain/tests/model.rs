//! The case model folds events and refuses those that break its rules, changing nothing.

use chrono::{DateTime, NaiveDate, Utc};
use domain::codes::*;
use domain::events::*;
use domain::{ApplyError, ChildId, Event, EventBody, Model, RecordId, StreamId, TeamId, WorkerId};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

struct Log {
    model: Model,
}

impl Log {
    fn new() -> Self {
        let mut log = Log {
            model: Model::new(),
        };
        log.ok(
            StreamId::Team(TeamId(1)),
            TeamEstablished {
                team: TeamId(1),
                name: "Assessment 1".into(),
                service: Service::Assessment,
                area: None,
                at: d("2020-01-01"),
            },
        );
        log.ok(
            StreamId::Worker(WorkerId(1)),
            WorkerJoined {
                registration: None,
                worker: WorkerId(1),
                name: "Sam Okafor".into(),
                role: WorkerRole::SocialWorker,
                team: TeamId(1),
                employment: Employment::Agency,
                fte: 1.0,
                at: d("2020-01-06"),
            },
        );
        log.ok(child(), register());
        log
    }

    fn event(&self, stream: StreamId, body: impl Into<EventBody>) -> Event {
        Event {
            stream,
            version: self.model.version(stream) + 1,
            recorded_at: DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap(),
            actor: "test".into(),
            body: body.into(),
        }
    }

    fn apply(&mut self, stream: StreamId, body: impl Into<EventBody>) -> Result<(), ApplyError> {
        let e = self.event(stream, body);
        self.model.apply(&e)
    }

    fn ok(&mut self, stream: StreamId, body: impl Into<EventBody>) {
        self.apply(stream, body).expect("event should apply");
    }

    /// Applies an event that must be refused, and checks the model is unchanged.
    fn refused(&mut self, stream: StreamId, body: impl Into<EventBody>) -> ApplyError {
        let before_child = self.model.child(ChildId(1)).cloned();
        let before_version = self.model.version(stream);
        let err = self
            .apply(stream, body)
            .expect_err("event should be refused");
        assert_eq!(self.model.child(ChildId(1)).cloned(), before_child);
        assert_eq!(self.model.version(stream), before_version);
        err
    }
}

fn child() -> StreamId {
    StreamId::Child(ChildId(1))
}

fn register() -> ChildRegistered {
    ChildRegistered {
        details: ChildDetails {
            la_child_id: "C0001".into(),
            date_of_birth: Some(d("2015-06-01")),
            sex: Sex::Female,
            ethnicity: Code::from("WBRI"),
            ..ChildDetails::default()
        },
        at: d("2024-01-02"),
    }
}

fn referral(log: &mut Log) {
    log.ok(
        child(),
        ReferralReceived {
            referral: RecordId(1),
            at: d("2024-01-03"),
            source: Code::from("6"),
            primary_need: Some(PrimaryNeed::N1),
            from_contact: None,
        },
    );
}

#[test]
fn a_journey_folds_into_the_child_record() {
    let mut log = Log::new();
    referral(&mut log);
    log.ok(
        child(),
        AssessmentStarted {
            assessment: RecordId(2),
            referral: RecordId(1),
            kind: AssessmentKind::New,
            at: d("2024-01-04"),
        },
    );
    log.ok(
        child(),
        AssessmentAuthorised {
            assessment: RecordId(2),
            at: d("2024-02-20"),
            factors: vec![Code::from("3A")],
            internal_review: None,
        },
    );
    log.ok(
        child(),
        ChildAllocated {
            reason: None,
            worker: WorkerId(1),
            team: TeamId(1),
            at: d("2024-01-04"),
        },
    );
    let c = log.model.child(ChildId(1)).unwrap();
    assert_eq!(c.assessments[0].authorised, Some(d("2024-02-20")));
    assert_eq!(c.current_allocation().unwrap().worker, WorkerId(1));
    assert!(c.is_open());
    assert_eq!(c.next_record_id(), RecordId(3));
    log.ok(
        child(),
        CaseClosed {
            referral: RecordId(1),
            reason: Code::from("RC8"),
            at: d("2024-02-21"),
            referral_nfa: false,
        },
    );
    let c = log.model.child(ChildId(1)).unwrap();
    assert!(!c.is_open());
    assert_eq!(c.allocations[0].to, Some(d("2024-02-21")));
    assert_eq!(log.model.version(child()), 6);
}

#[test]
fn an_assessment_authorised_before_it_started_is_refused() {
    let mut log = Log::new();
    referral(&mut log);
    log.ok(
        child(),
        AssessmentStarted {
            assessment: RecordId(2),
            referral: RecordId(1),
            kind: AssessmentKind::New,
            at: d("2024-01-10"),
        },
    );
    let err = log.refused(
        child(),
        AssessmentAuthorised {
            assessment: RecordId(2),
            at: d("2024-01-09"),
            factors: vec![],
            internal_review: None,
        },
    );
    assert!(matches!(err, ApplyError::OutOfOrder { .. }));
    assert_eq!(
        err.to_string(),
        "child/1: assessment 2 authorised is dated 2024-01-09, before it started on 2024-01-10"
    );
}

#[test]
fn an_event_for_an_unknown_child_is_refused() {
    let mut log = Log::new();
    let stream = StreamId::Child(ChildId(99));
    let err = log.refused(
        stream,
        PepCompleted {
            at: d("2024-01-01"),
        },
    );
    assert_eq!(err, ApplyError::UnknownChild(ChildId(99)));
}

#[test]
fn a_plan_ended_twice_is_refused() {
    let mut log = Log::new();
    referral(&mut log);
    log.ok(
        child(),
        CinPlanStarted {
            plan: RecordId(2),
            referral: RecordId(1),
            at: d("2024-02-01"),
        },
    );
    let end = CinPlanEnded {
        plan: RecordId(2),
        at: d("2024-05-01"),
    };
    log.ok(child(), end.clone());
    let err = log.refused(child(), end);
    assert!(matches!(err, ApplyError::AlreadyEnded { .. }), "{err}");
    assert!(err.to_string().contains("already ended on 2024-05-01"));
}

#[test]
fn an_initial_conference_needs_a_section_47() {
    let mut log = Log::new();
    referral(&mut log);
    let err = log.refused(
        child(),
        ConferenceHeld {
            conference: RecordId(2),
            kind: ConferenceKind::Initial,
            enquiry: None,
            plan_needed: true,
            agencies_present: vec![],
            at: d("2024-01-20"),
        },
    );
    assert!(matches!(err, ApplyError::ConferenceNeedsSection47 { .. }));
}

#[test]
fn record_ids_cannot_be_reused_and_references_must_exist() {
    let mut log = Log::new();
    referral(&mut log);
    let err = log.refused(
        child(),
        CinPlanStarted {
            plan: RecordId(1),
            referral: RecordId(1),
            at: d("2024-02-01"),
        },
    );
    assert!(matches!(err, ApplyError::DuplicateRecord { .. }));
    let err = log.refused(
        child(),
        CinPlanStarted {
            plan: RecordId(2),
            referral: RecordId(7),
            at: d("2024-02-01"),
        },
    );
    assert_eq!(err.to_string(), "child/1: there is no referral 7");
}

#[test]
fn a_second_open_cp_plan_or_period_of_care_is_refused() {
    let mut log = Log::new();
    referral(&mut log);
    let plan = |id| CpPlanStarted {
        plan: RecordId(id),
        referral: RecordId(1),
        category: AbuseCategory::Neglect,
        conference: None,
        at: d("2024-02-01"),
        previous_plans: None,
    };
    log.ok(child(), plan(2));
    assert!(matches!(
        log.refused(child(), plan(3)),
        ApplyError::AlreadyOpen { .. }
    ));
}

#[test]
fn versions_must_follow_on_and_events_must_fit_their_stream() {
    let mut log = Log::new();
    let mut e = log.event(
        child(),
        PepCompleted {
            at: d("2024-01-05"),
        },
    );
    e.version = 5;
    assert!(matches!(
        log.model.apply(&e),
        Err(ApplyError::VersionGap { .. })
    ));
    let err = log.refused(
        StreamId::Worker(WorkerId(1)),
        PepCompleted {
            at: d("2024-01-05"),
        },
    );
    assert!(matches!(err, ApplyError::WrongStream { .. }));
    let err = log.refused(child(), register());
    assert!(matches!(err, ApplyError::AlreadyExists { .. }));
}

#[test]
fn allocation_needs_a_known_worker_still_in_post() {
    let mut log = Log::new();
    let err = log.refused(
        child(),
        ChildAllocated {
            reason: None,
            worker: WorkerId(5),
            team: TeamId(1),
            at: d("2024-01-05"),
        },
    );
    assert_eq!(err, ApplyError::UnknownWorker(WorkerId(5)));
    log.ok(
        StreamId::Worker(WorkerId(1)),
        WorkerLeft {
            worker: WorkerId(1),
            at: d("2024-01-01"),
            reason: None,
        },
    );
    let err = log.refused(
        child(),
        ChildAllocated {
            reason: None,
            worker: WorkerId(1),
            team: TeamId(1),
            at: d("2024-01-05"),
        },
    );
    assert!(matches!(err, ApplyError::WorkerHasLeft { .. }));
}

#[test]
fn a_record_entered_in_error_leaves_the_picture_but_keeps_its_id() {
    let mut log = Log::new();
    referral(&mut log);
    log.ok(
        child(),
        RecordEnteredInError {
            record: RecordId(1),
            reason: "wrong child".into(),
            at: d("2024-01-04"),
        },
    );
    let c = log.model.child(ChildId(1)).unwrap();
    assert!(c.referrals.is_empty());
    assert_eq!(c.withdrawn.len(), 1);
    assert_eq!(c.next_record_id(), RecordId(2));
}

#[test]
fn worker_terms_are_kept_over_time() {
    let mut log = Log::new();
    log.ok(
        StreamId::Worker(WorkerId(1)),
        WorkerChanged {
            registration: None,
            worker: WorkerId(1),
            team: None,
            role: None,
            employment: Some(Employment::Permanent),
            fte: None,
            at: d("2022-04-01"),
        },
    );
    let w = &log.model.workers[&WorkerId(1)];
    assert_eq!(
        w.terms_on(d("2021-01-01")).unwrap().employment,
        Employment::Agency
    );
    assert_eq!(
        w.terms_on(d("2023-01-01")).unwrap().employment,
        Employment::Permanent
    );
    assert!(w.terms_on(d("2019-01-01")).is_none());
}

#[test]
fn a_restriction_names_who_may_open_and_lifting_needs_one() {
    let mut log = Log::new();
    let err = log.refused(
        child(),
        RestrictionLifted {
            at: d("2024-02-01"),
        },
    );
    assert!(matches!(err, ApplyError::NotRestricted { .. }), "{err}");
    log.ok(
        child(),
        RecordRestricted {
            reason: "Adoption".into(),
            named: vec!["a.worker".into()],
            at: d("2024-02-01"),
        },
    );
    let r = log
        .model
        .child(ChildId(1))
        .unwrap()
        .restricted
        .clone()
        .unwrap();
    assert_eq!(r.named, ["a.worker"]);
    log.ok(
        child(),
        RestrictionLifted {
            at: d("2024-03-01"),
        },
    );
    assert!(log.model.child(ChildId(1)).unwrap().restricted.is_none());
}

#[test]
fn checking_an_event_changes_nothing_and_says_what_applying_it_would() {
    let mut log = Log::new();
    referral(&mut log);
    let good = log.event(
        child(),
        AssessmentStarted {
            assessment: RecordId(2),
            referral: RecordId(1),
            kind: AssessmentKind::New,
            at: d("2024-01-10"),
        },
    );
    let before = log.model.child(ChildId(1)).cloned();
    log.model.check(&good).unwrap();
    assert_eq!(log.model.child(ChildId(1)).cloned(), before);
    // A copy of the child takes the event as the model would.
    let after = log.model.check_on(before.clone(), &good).unwrap();
    assert_eq!(after.assessments.len(), 1);
    let bad = log.event(
        child(),
        AssessmentStarted {
            assessment: RecordId(3),
            referral: RecordId(9),
            kind: AssessmentKind::New,
            at: d("2024-01-10"),
        },
    );
    assert!(log.model.check(&bad).is_err());
    // A version out of turn is refused by check as by apply.
    let mut late = good.clone();
    late.version += 1;
    assert!(matches!(
        log.model.check(&late),
        Err(ApplyError::VersionGap { .. })
    ));
}

#[test]
fn a_managers_response_follows_its_audit() {
    let mut log = Log::new();
    log.ok(
        child(),
        CaseAudited {
            audit: RecordId(1),
            kind: AuditKind::Practice,
            grade: AuditGrade::RequiresImprovement,
            plan_smart: false,
            actions: vec!["Make the plan SMART".into()],
            auditor: WorkerId(1),
            at: d("2024-03-04"),
        },
    );
    let err = log.refused(
        child(),
        AuditResponded {
            audit: RecordId(1),
            response: "Agreed".into(),
            at: d("2024-03-01"),
        },
    );
    assert!(matches!(err, ApplyError::OutOfOrder { .. }), "{err}");
    log.ok(
        child(),
        AuditResponded {
            audit: RecordId(1),
            response: "Plan rewritten with the family by 15 March".into(),
            at: d("2024-03-05"),
        },
    );
    let audit = &log.model.child(ChildId(1)).unwrap().audits[0];
    assert_eq!(audit.response.as_ref().unwrap().1, d("2024-03-05"));
}

#[test]
fn a_record_is_dated_by_when_it_began() {
    let mut log = Log::new();
    referral(&mut log);
    let c = log.model.child(ChildId(1)).unwrap();
    assert_eq!(c.record_date(RecordId(1)), Some(d("2024-01-03")));
    assert_eq!(c.record_date(RecordId(42)), None);
}

#[test]
fn a_decision_before_its_contact_on_the_same_day_says_the_times() {
    let mut log = Log::new();
    let at = |t: &str| {
        format!("2024-02-01T{t}")
            .parse::<chrono::NaiveDateTime>()
            .unwrap()
    };
    log.ok(
        child(),
        ContactReceived {
            contact: RecordId(1),
            at: at("10:30:00"),
            source: Code::from("5A"),
            concerns: String::new(),
            rag: None,
            consent: None,
        },
    );
    let err = log.refused(
        child(),
        ContactDecided {
            contact: RecordId(1),
            decision: ContactDecision::Referral,
            at: at("09:15:00"),
        },
    );
    assert!(matches!(err, ApplyError::TimeOutOfOrder { .. }), "{err}");
    let said = err.to_string();
    assert!(said.contains("09:15") && said.contains("10:30"), "{said}");
}
