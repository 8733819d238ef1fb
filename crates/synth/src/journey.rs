//! Children's journeys: the front door, assessment, protection, care, leaving care, and the
//! recurring work (visits, reviews, supervision) that statutory clocks measure.

use crate::Sim;
use crate::council::{AREAS, ChangeOfWorker};
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime};
use domain::codes::*;
use domain::events::*;
use domain::{ChildId, Event, EventBody, FamilyId, RecordId, StreamId, WorkerId};

/// What the simulation knows of a child between events.
#[derive(Debug, Clone)]
pub(crate) struct SimChild {
    pub dob: NaiveDate,
    pub area: Option<String>,
    pub next_rid: u32,
    pub worker: Option<WorkerId>,
    pub referral: Option<RecordId>,
    pub cp_plan: Option<RecordId>,
    pub cin_plan: Option<RecordId>,
    pub care: Option<RecordId>,
    pub care_reviews: u32,
    pub care_route: CareRoute,
    pub leaver_until: Option<NaiveDate>,
    pub early_help: Option<RecordId>,
    pub missing: Option<RecordId>,
    /// The identity details as last recorded, so a correction can restate them whole.
    pub details: ChildDetails,
    /// The current period of care's episode as the SSDA903 would show it.
    pub looked_after: Option<crate::looked_after::CareState>,
    /// Placements so far, numbering each so its address differs from the last.
    pub placements: u32,
    /// Why and when the child last left care, for the previous permanence asked if they return.
    pub left_care: Option<(&'static str, NaiveDate)>,
    /// The day the child last came back from being missing.
    pub back_from_missing: Option<NaiveDate>,
    /// The deprivation of liberty order in force, and the day it was made.
    pub liberty_order: Option<(RecordId, NaiveDate)>,
    /// The current episode's assessment while it waits to be authorised.
    pub assessment: Option<RecordId>,
    /// Where the current episode's section 47 enquiry stands, if it has one.
    pub enquiry: Option<Enquiry>,
    /// Whether the current episode has had an enquiry or a plan, so it cannot close as
    /// 'after assessment' (RC8, RC9).
    pub beyond_assessment: bool,
}

/// A section 47 enquiry's progress: the case stays open until it is concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Enquiry {
    Open(RecordId),
    AwaitingConference(RecordId),
    /// Concluded with a plan to follow (a CIN plan, or a conference's decision).
    LedToPlan,
    NoFurtherAction,
}

/// Where a period of care is heading, decided when it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum CareRoute {
    ReturnHome,
    Adoption,
    SpecialGuardianship,
    UntilEighteen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Task {
    Decide {
        contact: RecordId,
        decision: ContactDecision,
        at: NaiveDateTime,
    },
    Allocate,
    StartAssessment {
        referral: RecordId,
    },
    Authorise {
        assessment: RecordId,
        referral: RecordId,
    },
    Strategy {
        referral: RecordId,
    },
    CompleteEnquiry {
        enquiry: RecordId,
        referral: RecordId,
        conference_on: NaiveDate,
    },
    InitialConference {
        enquiry: RecordId,
        referral: RecordId,
    },
    CpReview {
        plan: RecordId,
    },
    CoreGroup {
        plan: RecordId,
    },
    EndCpPlan {
        plan: RecordId,
    },
    StartCinPlan {
        referral: RecordId,
    },
    CinReview {
        plan: RecordId,
    },
    EndCinPlan {
        plan: RecordId,
    },
    Visit {
        kind: VisitKind,
        record: RecordId,
    },
    Supervise,
    CompleteTransfer {
        transfer: RecordId,
        service: Service,
    },
    LegalGateway,
    EndPreProceedings {
        pre: RecordId,
    },
    ConcludeProceedings {
        proceedings: RecordId,
    },
    ClaReview {
        period: RecordId,
    },
    CareChange {
        period: RecordId,
    },
    Pep {
        period: RecordId,
    },
    HealthCheck {
        period: RecordId,
    },
    Permanence {
        period: RecordId,
        step: PermanenceStep,
    },
    LeaveCare {
        period: RecordId,
    },
    LeaverContact,
    EndEarlyHelp {
        episode: RecordId,
    },
    ReturnFromMissing {
        episode: RecordId,
        back: NaiveDateTime,
    },
    ReturnInterview {
        episode: RecordId,
        not_before: NaiveDateTime,
    },
    CloseActionOfAudit {
        audit: RecordId,
        action: u16,
    },
    RespondToComplaint {
        complaint: RecordId,
    },
    /// Audit a plan started lately (the plan's target: a quarter of new plans a month).
    AuditNewPlan,
    ResolveDispute {
        dispute: RecordId,
    },
    /// A new legal status for the current episode (reason L).
    ChangeLegalStatus {
        period: RecordId,
        status: &'static str,
    },
    /// A child registered before birth is born, and comes into care.
    BornIntoCare,
    /// A child registered before birth is born: the record gets the date of birth.
    Born,
    /// The court authorises depriving a child in a children's home of their liberty.
    MakeLibertyOrder {
        period: RecordId,
    },
}

const SOURCES: &[(f64, &str)] = &[
    (0.30, "6"),
    (0.17, "2A"),
    (0.03, "2B"),
    (0.04, "3A"),
    (0.04, "3B"),
    (0.02, "3C"),
    (0.03, "3D"),
    (0.03, "3E"),
    (0.02, "3F"),
    (0.03, "4"),
    (0.04, "5A"),
    (0.03, "5B"),
    (0.02, "5C"),
    (0.03, "5D"),
    (0.05, "1A"),
    (0.02, "1B"),
    (0.01, "1C"),
    (0.02, "1D"),
    (0.02, "7"),
    (0.03, "8"),
    (0.01, "9"),
    (0.01, "10"),
];

const ETHNICITY: &[(f64, &str)] = &[
    (0.74, "WBRI"),
    (0.03, "WOTH"),
    (0.01, "WIRI"),
    (0.04, "MWBC"),
    (0.02, "MOTH"),
    (0.04, "APKN"),
    (0.02, "AIND"),
    (0.01, "ABAN"),
    (0.02, "BCRB"),
    (0.02, "BAFR"),
    (0.01, "OOTH"),
    (0.02, "NOBT"),
    (0.02, "REFU"),
];

const FACTORS: &[&str] = &[
    "1B", "2B", "3A", "3B", "4A", "4B", "5A", "6A", "7A", "8B", "9A", "10A", "11A", "12A", "13A",
    "14A", "15A", "16A", "17A", "18B", "19B", "20", "21", "22A", "23A", "24A",
];

pub(crate) fn age_on(dob: NaiveDate, date: NaiveDate) -> i32 {
    let mut age = date.year() - dob.year();
    if (date.month(), date.day()) < (dob.month(), dob.day()) {
        age -= 1;
    }
    age
}

pub(crate) fn birthday(dob: NaiveDate, age: u32) -> NaiveDate {
    dob.checked_add_months(Months::new(12 * age))
        .unwrap_or(dob + Duration::days(365 * i64::from(age)))
}

impl<S: FnMut(Event)> Sim<'_, S> {
    pub(crate) fn next_rid(&mut self, child: ChildId) -> RecordId {
        let c = self.children.get_mut(&child).expect("simulated child");
        c.next_rid += 1;
        RecordId(c.next_rid)
    }

    pub(crate) fn actor_for(&self, child: ChildId) -> String {
        self.children
            .get(&child)
            .and_then(|c| c.worker)
            .map_or_else(|| "front-door".to_string(), |w| w.to_string())
    }

    /// Records an event for a child that happened on `date`, written up after the usual lag.
    pub(crate) fn note(&mut self, child: ChildId, date: NaiveDate, body: impl Into<EventBody>) {
        let body = body.into();
        self.liberty_follows(child, date, &body);
        let when = self.recorded(date);
        let actor = self.actor_for(child);
        self.rec.record(StreamId::Child(child), body, when, &actor);
    }

    fn note_at(&mut self, child: ChildId, when: NaiveDateTime, body: impl Into<EventBody>) {
        let actor = self.actor_for(child);
        self.rec.record(StreamId::Child(child), body, when, &actor);
    }

    fn age(&self, child: ChildId) -> i32 {
        age_on(self.children[&child].dob, self.today)
    }

    /// Schedules a task between `lo` and `hi` days after `base`.
    fn schedule_from(&mut self, base: NaiveDate, lo: i64, hi: i64, child: ChildId, task: Task) {
        let date = base + Duration::days(self.rng.range(lo, hi));
        self.schedule(date, child, task);
    }

    /// The date between `lo` and `hi` working days from today.
    fn some_working_days(&mut self, lo: i64, hi: i64) -> NaiveDate {
        let n = self.rng.range(lo, hi);
        self.working_days_on(n)
    }

    fn working_days_on(&self, n: i64) -> NaiveDate {
        self.cal.add_working_days(self.today, n)
    }

    /// A child new to the council, registered when first known.
    fn new_child(&mut self, at: NaiveDate, age: Option<i64>) -> ChildId {
        let id = ChildId(self.next_child);
        self.next_child += 1;
        let age_days = match age {
            Some(years) => years * 365 + self.rng.range(0, 365),
            None => {
                let years =
                    self.rng
                        .weighted(&[(0.03, -1), (0.30, 0), (0.30, 5), (0.25, 11), (0.12, 15)]);
                match years {
                    -1 => -self.rng.range(20, 150),
                    0 => self.rng.range(0, 5 * 365),
                    5 => self.rng.range(5 * 365, 11 * 365),
                    11 => self.rng.range(11 * 365, 15 * 365),
                    _ => self.rng.range(15 * 365, 18 * 365 - 30),
                }
            }
        };
        let dob = at - Duration::days(age_days);
        let unborn = dob > at;
        let sex = if unborn && self.rng.chance(0.5) {
            Sex::Unknown
        } else if self.rng.chance(0.52) {
            Sex::Male
        } else {
            Sex::Female
        };
        let area = (*self.rng.pick(AREAS)).to_string();
        let district = format!(
            "HT{}",
            AREAS.iter().position(|a| *a == area).unwrap_or(0) + 1
        );
        // Siblings: a third of new children join a family already known.
        let family = if self.rng.chance(0.3) && self.next_family > 1 {
            FamilyId(self.rng.range(1, self.next_family as i64) as u64)
        } else {
            self.next_family += 1;
            FamilyId(self.next_family - 1)
        };
        let (given, family_name) = crate::council::name(self);
        let has_upn = !unborn && age_days > 4 * 365 && self.rng.chance(0.9);
        let mut details = ChildDetails {
            la_child_id: format!("HC{:07}", id.0),
            given_name: if unborn { String::new() } else { given },
            family_name,
            upn: has_upn.then(|| crate::looked_after::upn_for(id)),
            former_upn: None,
            nhs_number: (!unborn && self.rng.chance(0.85))
                .then(|| format!("{:010}", 4_000_000_000 + id.0 * 97)),
            date_of_birth: (!unborn).then_some(dob),
            expected_date_of_birth: unborn.then_some(dob),
            sex,
            ethnicity: Code::from(self.rng.weighted(ETHNICITY)),
            disabilities: if self.rng.chance(0.07) {
                vec![Code::from(
                    *self.rng.pick(&["AUT", "LD", "COMM", "MOB", "BEH"]),
                )]
            } else {
                Vec::new()
            },
            uasc: age_days > 14 * 365 && self.rng.chance(0.04),
            area: Some(area.clone()),
            postcode_district: Some(district),
            family: Some(family),
            ..ChildDetails::default()
        };
        self.identity_facts(id, &mut details, at);
        self.children.insert(
            id,
            SimChild {
                dob,
                area: Some(area),
                next_rid: 0,
                worker: None,
                referral: None,
                cp_plan: None,
                cin_plan: None,
                care: None,
                care_reviews: 0,
                care_route: CareRoute::ReturnHome,
                leaver_until: None,
                early_help: None,
                missing: None,
                details: details.clone(),
                looked_after: None,
                placements: 0,
                left_care: None,
                back_from_missing: None,
                liberty_order: None,
                assessment: None,
                enquiry: None,
                beyond_assessment: false,
            },
        );
        let when = at.and_hms_opt(8, 0, 0).expect("valid time");
        self.rec.record(
            StreamId::Child(id),
            ChildRegistered { details, at },
            when,
            "front-door",
        );
        self.known.push(id);
        if unborn {
            self.schedule(dob, id, Task::Born);
        }
        id
    }

    fn is_open(&self, child: ChildId) -> bool {
        let c = &self.children[&child];
        c.referral.is_some() || c.care.is_some() || c.leaver_until.is_some()
    }

    // ---- The front door ------------------------------------------------------------------

    pub(crate) fn front_door_day(&mut self) {
        let working = self.cal.is_working_day(self.today);
        let mean = if working { 47.0 } else { 6.0 } * self.scale();
        for _ in 0..self.rng.poisson(mean) {
            let child = if !self.known.is_empty() && self.rng.chance(0.28) {
                let i = self.rng.range(0, self.known.len() as i64) as usize;
                self.known[i]
            } else {
                self.new_child(self.today, None)
            };
            if self.age(child) >= 18 && self.children[&child].leaver_until.is_none() {
                continue;
            }
            self.contact(child);
        }
    }

    fn contact(&mut self, child: ChildId) {
        let contact = self.next_rid(child);
        let received = self.during(self.today);
        let rag = self.rng.weighted(&[
            (0.10, Some(Rag::Red)),
            (0.38, Some(Rag::Amber)),
            (0.42, Some(Rag::Green)),
            (0.10, None),
        ]);
        let source = Code::from(self.rng.weighted(SOURCES));
        let concerns = self
            .rng
            .pick(&[
                "Domestic abuse incident reported",
                "Concerns about neglect and home conditions",
                "Child disclosed an injury at school",
                "Parental mental health concerns",
                "Parental substance misuse",
                "Child missing from education",
                "Concerns about exploitation",
                "Request for support with a disabled child",
                "Family in crisis: housing and finances",
            ])
            .to_string();
        let consent = Some(self.rng.chance(0.8));
        self.note_at(
            child,
            received,
            ContactReceived {
                contact,
                at: received,
                source,
                concerns,
                rag,
                consent,
            },
        );
        if self.is_open(child) {
            let at = received + Duration::minutes(self.rng.range(20, 240));
            self.schedule(
                at.date(),
                child,
                Task::Decide {
                    contact,
                    decision: ContactDecision::ExistingCase,
                    at,
                },
            );
            return;
        }
        if self.rng.chance(0.003) {
            return; // never decided: a gap the data quality report should find
        }
        // Decided within one working day for most: the share rises as the plan takes hold.
        let on_time =
            0.62 + 0.14 * self.progress_through() + if rag == Some(Rag::Red) { 0.1 } else { 0.0 };
        let wd = if self.rng.chance(on_time) {
            self.rng.weighted(&[(0.6, 0), (0.4, 1)])
        } else {
            self.rng.range(2, 7)
        };
        let day = self.cal.add_working_days(self.today, wd);
        let day = if wd == 0 && !self.cal.is_working_day(self.today) {
            self.today
        } else {
            day
        };
        let mut at = self.during(day);
        if at < received {
            at = received + Duration::minutes(self.rng.range(30, 300));
        }
        let decision = self.rng.weighted(&[
            (0.22, ContactDecision::Referral),
            (0.16, ContactDecision::EarlyHelp),
            (0.24, ContactDecision::InformationAdvice),
            (0.30, ContactDecision::NoFurtherAction),
            (0.08, ContactDecision::Signposted),
        ]);
        if rag.is_none() && self.rng.chance(0.7) {
            let rated = received + Duration::minutes(self.rng.range(10, 120));
            let rag = self
                .rng
                .weighted(&[(0.2, Rag::Red), (0.4, Rag::Amber), (0.4, Rag::Green)]);
            self.note_at(
                child,
                rated,
                ContactRated {
                    contact,
                    rag,
                    at: rated,
                },
            );
        }
        self.schedule(
            at.date(),
            child,
            Task::Decide {
                contact,
                decision,
                at,
            },
        );
    }

    // ---- The work ------------------------------------------------------------------------

    pub(crate) fn perform(&mut self, child: ChildId, task: Task) {
        let today = self.today;
        match task {
            Task::Decide {
                contact,
                decision,
                at,
            } => {
                let decision = if decision != ContactDecision::ExistingCase && self.is_open(child) {
                    ContactDecision::ExistingCase
                } else {
                    decision
                };
                let lag = if self.rng.chance(0.9) {
                    0
                } else {
                    self.rng.range(1, 4)
                };
                self.note_at(
                    child,
                    at + Duration::days(lag),
                    ContactDecided {
                        contact,
                        decision,
                        at,
                    },
                );
                match decision {
                    ContactDecision::Referral => self.refer(child, Some(contact)),
                    ContactDecision::EarlyHelp => self.start_early_help(child),
                    _ => {}
                }
            }
            Task::Allocate => {
                if self.is_open(child) && self.children[&child].worker.is_none() {
                    let service = self.service_for(child);
                    self.allocate(child, service, today, ChangeOfWorker::FirstContact);
                    self.schedule_from(today, 5, 25, child, Task::Supervise);
                }
            }
            Task::StartAssessment { referral } => {
                if self.children[&child].referral != Some(referral) {
                    return;
                }
                let assessment = self.next_rid(child);
                self.note(
                    child,
                    today,
                    AssessmentStarted {
                        assessment,
                        referral,
                        kind: AssessmentKind::New,
                        at: today,
                    },
                );
                if self.rng.chance(0.02) {
                    // Never authorised, on purpose: left open on the system, it stays in the
                    // backlog of open assessments, and an episode that closes with it gives the
                    // census error 8867.
                    return;
                }
                self.children.get_mut(&child).expect("child").assessment = Some(assessment);
                let on_time = 0.52 + 0.25 * self.progress_through();
                let wd = if self.rng.chance(on_time) {
                    self.rng.range(8, 46)
                } else {
                    self.rng.range(46, 95)
                };
                self.schedule(
                    self.working_days_on(wd),
                    child,
                    Task::Authorise {
                        assessment,
                        referral,
                    },
                );
            }
            Task::Authorise {
                assessment,
                referral,
            } => {
                // An assessment still open when its case closed was authorised then.
                if self.children[&child].assessment != Some(assessment) {
                    return;
                }
                let nothing_found = self.authorise(child, assessment);
                let c = &self.children[&child];
                if c.referral != Some(referral)
                    || c.cp_plan.is_some()
                    || c.care.is_some()
                    || c.cin_plan.is_some()
                {
                    return;
                }
                // After an enquiry its outcome decides what follows; the assessment alone does
                // not close the case.
                match c.enquiry {
                    None => {}
                    Some(Enquiry::NoFurtherAction) => {
                        self.close(child, "RC7");
                        return;
                    }
                    Some(_) => return,
                }
                if nothing_found {
                    self.close(child, "RC8");
                    return;
                }
                let next =
                    self.rng
                        .weighted(&[(0.44, 0), (0.13, 1), (0.30, 2), (0.05, 3), (0.08, 4)]);
                match next {
                    0 => self.close(child, "RC8"),
                    1 => {
                        self.close(child, "RC9");
                        self.start_early_help(child);
                    }
                    2 => {
                        let d = self.some_working_days(1, 12);
                        self.schedule(d, child, Task::StartCinPlan { referral });
                    }
                    3 => {
                        let d = today + Duration::days(self.rng.range(7, 40));
                        self.schedule(d, child, Task::LegalGateway);
                        let d = self.some_working_days(1, 12);
                        self.schedule(d, child, Task::StartCinPlan { referral });
                    }
                    _ => self.enter_care(child),
                }
            }
            Task::Strategy { referral } => {
                if self.children[&child].referral != Some(referral) {
                    return;
                }
                let strategy = self.next_rid(child);
                let to_s47 = self.rng.chance(0.85);
                self.note(
                    child,
                    today,
                    StrategyDiscussionHeld {
                        strategy,
                        referral,
                        outcome: if to_s47 {
                            StrategyOutcome::Section47
                        } else {
                            StrategyOutcome::NoFurtherAction
                        },
                        at: today,
                    },
                );
                self.schedule(today, child, Task::StartAssessment { referral });
                if !to_s47 {
                    return;
                }
                let enquiry = self.next_rid(child);
                self.note(
                    child,
                    today,
                    Section47Started {
                        enquiry,
                        referral,
                        strategy: Some(strategy),
                        at: today,
                    },
                );
                let c = self.children.get_mut(&child).expect("child");
                c.enquiry = Some(Enquiry::Open(enquiry));
                c.beyond_assessment = true;
                // The initial conference: within 15 working days of the strategy discussion for most.
                let on_time = 0.68 + 0.17 * self.progress_through();
                let wd = if self.rng.chance(on_time) {
                    self.rng.range(8, 16)
                } else {
                    self.rng.range(16, 32)
                };
                let conference_on = self.working_days_on(wd);
                let done = self.some_working_days(4, wd.min(15));
                self.schedule(
                    done,
                    child,
                    Task::CompleteEnquiry {
                        enquiry,
                        referral,
                        conference_on,
                    },
                );
            }
            Task::CompleteEnquiry {
                enquiry,
                referral,
                conference_on,
            } => {
                if self.children[&child].enquiry != Some(Enquiry::Open(enquiry)) {
                    return;
                }
                let outcome = self.rng.weighted(&[
                    (0.55, S47Outcome::Conference),
                    (0.27, S47Outcome::ChildInNeed),
                    (0.18, S47Outcome::NoFurtherAction),
                ]);
                self.note(
                    child,
                    today,
                    Section47Completed {
                        enquiry,
                        outcome,
                        conference_target: None,
                        conference_not_required: false,
                        at: today,
                    },
                );
                let state = match outcome {
                    S47Outcome::Conference => Enquiry::AwaitingConference(enquiry),
                    S47Outcome::ChildInNeed => Enquiry::LedToPlan,
                    S47Outcome::NoFurtherAction => Enquiry::NoFurtherAction,
                };
                self.children.get_mut(&child).expect("child").enquiry = Some(state);
                match outcome {
                    S47Outcome::Conference => self.schedule(
                        conference_on.max(today),
                        child,
                        Task::InitialConference { enquiry, referral },
                    ),
                    S47Outcome::ChildInNeed => {
                        let d = self.some_working_days(5, 20);
                        self.schedule(d, child, Task::StartCinPlan { referral });
                    }
                    // Closed now if the assessment is done; otherwise its authorisation closes it.
                    S47Outcome::NoFurtherAction => {
                        let c = &self.children[&child];
                        if c.assessment.is_none()
                            && c.cp_plan.is_none()
                            && c.cin_plan.is_none()
                            && c.care.is_none()
                        {
                            self.close(child, "RC7");
                        }
                    }
                }
            }
            Task::InitialConference { enquiry, referral } => {
                let c = &self.children[&child];
                if c.referral != Some(referral)
                    || c.enquiry != Some(Enquiry::AwaitingConference(enquiry))
                {
                    return;
                }
                self.children.get_mut(&child).expect("child").enquiry = Some(Enquiry::LedToPlan);
                let conference = self.next_rid(child);
                let plan_needed = self.rng.chance(0.88);
                let agencies_present = self.agencies_present();
                self.note(
                    child,
                    today,
                    ConferenceHeld {
                        conference,
                        kind: ConferenceKind::Initial,
                        enquiry: Some(enquiry),
                        plan_needed,
                        agencies_present,
                        at: today,
                    },
                );
                // A child already looked after is protected by the care plan, not a CP plan.
                let c = &self.children[&child];
                if plan_needed && c.cp_plan.is_none() && c.care.is_none() {
                    self.start_cp_plan(child, referral, Some(conference));
                } else {
                    let d = self.some_working_days(1, 10);
                    self.schedule(d, child, Task::StartCinPlan { referral });
                }
            }
            Task::CpReview { plan } => {
                if self.children[&child].cp_plan != Some(plan) {
                    return;
                }
                let category = self.rng.chance(0.05).then_some(AbuseCategory::Emotional);
                self.note(
                    child,
                    today,
                    CpPlanReviewed {
                        plan,
                        at: today,
                        category,
                    },
                );
                let next = self.late_or_on_time(Months::new(6), 0.85);
                self.schedule(next, child, Task::CpReview { plan });
            }
            Task::CoreGroup { plan } => {
                if self.children[&child].cp_plan != Some(plan) {
                    return;
                }
                let mut attendance = Vec::new();
                for (agency, p) in [
                    (Agency::Police, 0.55),
                    (Agency::Health, 0.8),
                    (Agency::School, 0.78),
                    (Agency::Housing, 0.5),
                ] {
                    if self.rng.chance(0.8) {
                        attendance.push((agency, self.rng.chance(p)));
                    }
                }
                self.note(
                    child,
                    today,
                    CoreGroupHeld {
                        plan,
                        at: today,
                        attendance,
                    },
                );
                let next = today + Duration::days(self.rng.range(24, 45));
                self.schedule(next, child, Task::CoreGroup { plan });
            }
            Task::EndCpPlan { plan } => {
                if self.children[&child].cp_plan != Some(plan) {
                    return;
                }
                self.note(
                    child,
                    today,
                    CpPlanEnded {
                        plan,
                        at: today,
                        reason: "Plan no longer needed".into(),
                    },
                );
                self.children.get_mut(&child).expect("child").cp_plan = None;
                let referral = self.children[&child].referral;
                match self.rng.weighted(&[(0.52, 0), (0.32, 1), (0.16, 2)]) {
                    0 => {
                        if let Some(referral) = referral {
                            self.schedule(today, child, Task::StartCinPlan { referral });
                        }
                    }
                    1 => self.close(child, "RC7"),
                    _ => self.enter_care(child),
                }
            }
            Task::StartCinPlan { referral } => {
                let c = &self.children[&child];
                let enquiry_pending = matches!(
                    c.enquiry,
                    Some(Enquiry::Open(_) | Enquiry::AwaitingConference(_))
                );
                if c.referral != Some(referral)
                    || c.cin_plan.is_some()
                    || c.cp_plan.is_some()
                    || c.care.is_some()
                    || enquiry_pending
                {
                    return;
                }
                let plan = self.next_rid(child);
                self.note(
                    child,
                    today,
                    CinPlanStarted {
                        plan,
                        referral,
                        at: today,
                    },
                );
                let c = self.children.get_mut(&child).expect("child");
                c.cin_plan = Some(plan);
                c.beyond_assessment = true;
                self.maybe_audit_new_plan(child, today);
                self.transfer(child, Service::FamilySafeguarding);
                self.schedule_from(today, 80, 100, child, Task::CinReview { plan });
                self.schedule_from(
                    today,
                    10,
                    30,
                    child,
                    Task::Visit {
                        kind: VisitKind::ChildInNeed,
                        record: plan,
                    },
                );
                let months = self.rng.range(3, 13) as u32;
                self.schedule(
                    today + Months::new(months),
                    child,
                    Task::EndCinPlan { plan },
                );
            }
            Task::CinReview { plan } => {
                if self.children[&child].cin_plan != Some(plan) {
                    return;
                }
                self.note(child, today, CinPlanReviewed { plan, at: today });
                self.schedule_from(today, 80, 110, child, Task::CinReview { plan });
            }
            Task::EndCinPlan { plan } => {
                if self.children[&child].cin_plan != Some(plan) {
                    return;
                }
                self.note(child, today, CinPlanEnded { plan, at: today });
                self.children.get_mut(&child).expect("child").cin_plan = None;
                self.close(child, "RC7");
            }
            Task::Visit { kind, record } => {
                let c = &self.children[&child];
                let current = match kind {
                    VisitKind::ChildProtection => c.cp_plan == Some(record),
                    VisitKind::ChildInNeed => c.cin_plan == Some(record),
                    VisitKind::LookedAfter => c.care == Some(record),
                    _ => false,
                };
                if !current {
                    return;
                }
                if self.rng.chance(0.93) {
                    let visit = self.next_rid(child);
                    let seen = self.rng.chance(0.95);
                    let seen_alone = seen && self.age(child) >= 4 && self.rng.chance(0.6);
                    self.note(
                        child,
                        today,
                        VisitMade {
                            visit,
                            kind,
                            at: today,
                            seen,
                            seen_alone,
                        },
                    );
                }
                let gap = match kind {
                    VisitKind::ChildProtection => self.rng.range(9, 17),
                    VisitKind::ChildInNeed => self.rng.range(20, 40),
                    _ => self.rng.range(30, 50),
                };
                self.schedule(
                    today + Duration::days(gap),
                    child,
                    Task::Visit { kind, record },
                );
            }
            Task::Supervise => {
                if !self.is_open(child) {
                    return;
                }
                if let Some(supervisor) = self.manager_of(child) {
                    let when = self.recorded(today);
                    self.rec.record(
                        StreamId::Child(child),
                        CaseSupervised {
                            supervisor,
                            at: today,
                        },
                        when,
                        &supervisor.to_string(),
                    );
                    let c = &self.children[&child];
                    if c.cp_plan.is_some() || c.cin_plan.is_some() {
                        let mut attendees = vec![supervisor];
                        attendees.extend(c.worker);
                        self.note(
                            child,
                            today,
                            GroupSupervisionHeld {
                                at: today,
                                attendees,
                            },
                        );
                    }
                }
                // Monthly for most; the share rises as the supervision policy beds in.
                let on_time = 0.50 + 0.42 * self.progress_through();
                let gap = if self.rng.chance(on_time) {
                    self.rng.range(21, 31)
                } else {
                    self.rng.range(32, 75)
                };
                self.schedule(today + Duration::days(gap), child, Task::Supervise);
            }
            Task::CompleteTransfer { transfer, service } => {
                if !self.is_open(child) {
                    return;
                }
                self.note(
                    child,
                    today,
                    TransferCompleted {
                        transfer,
                        at: today,
                    },
                );
                self.allocate(child, service, today, ChangeOfWorker::Transfer);
            }
            Task::LegalGateway => {
                if !self.is_open(child) || self.children[&child].care.is_some() {
                    return;
                }
                let panel = self.next_rid(child);
                let decision = self.rng.weighted(&[
                    (0.70, GatewayDecision::PreProceedings),
                    (0.15, GatewayDecision::IssueProceedings),
                    (0.15, GatewayDecision::NoLegalAction),
                ]);
                self.note(
                    child,
                    today,
                    LegalGatewayPanelHeld {
                        panel,
                        decision,
                        at: today,
                    },
                );
                match decision {
                    GatewayDecision::PreProceedings => {
                        let pre = self.next_rid(child);
                        self.note(
                            child,
                            today,
                            PreProceedingsStarted {
                                pre_proceedings: pre,
                                at: today,
                            },
                        );
                        let weeks = self.rng.range(8, 30);
                        self.schedule(
                            today + Duration::weeks(weeks),
                            child,
                            Task::EndPreProceedings { pre },
                        );
                    }
                    GatewayDecision::IssueProceedings => self.issue_proceedings(child),
                    GatewayDecision::NoLegalAction => {}
                }
            }
            Task::EndPreProceedings { pre } => {
                let issued = self.rng.chance(0.55) && self.is_open(child);
                let outcome = if issued {
                    PreProceedingsOutcome::Issued
                } else {
                    PreProceedingsOutcome::Diverted
                };
                self.note(
                    child,
                    today,
                    PreProceedingsEnded {
                        pre_proceedings: pre,
                        outcome,
                        at: today,
                    },
                );
                if issued {
                    self.issue_proceedings(child);
                }
            }
            Task::ConcludeProceedings { proceedings } => {
                let in_care = self.children[&child].care.is_some();
                let order = if in_care {
                    match self.children[&child].care_route {
                        CareRoute::Adoption => CourtOrder::PlacementOrder,
                        CareRoute::SpecialGuardianship => CourtOrder::SpecialGuardianship,
                        _ => CourtOrder::CareOrder,
                    }
                } else {
                    self.rng.weighted(&[
                        (0.5, CourtOrder::SupervisionOrder),
                        (0.3, CourtOrder::ChildArrangements),
                        (0.2, CourtOrder::NoOrder),
                    ])
                };
                self.note(
                    child,
                    today,
                    CareProceedingsConcluded {
                        proceedings,
                        order,
                        at: today,
                    },
                );
                if let (Some(period), CourtOrder::CareOrder | CourtOrder::PlacementOrder) =
                    (self.children[&child].care, order)
                {
                    // A placement order needs the decision that the child should be adopted
                    // first; until then the court makes a care order.
                    let decided = self.children[&child]
                        .looked_after
                        .as_ref()
                        .is_some_and(|l| l.adoption_decided);
                    let status = if order == CourtOrder::PlacementOrder && decided {
                        "E1"
                    } else {
                        "C2"
                    };
                    self.change_legal_status(child, period, status);
                }
            }
            Task::ClaReview { period } => {
                if self.children[&child].care != Some(period) {
                    return;
                }
                let review = self.next_rid(child);
                let drawn = *self.rng.pick(&["PN1", "PN2", "PN3", "PN4", "PN5", "PN0"]);
                // PN0 says the child was under 4; older children took part some other way.
                let participation = Code::from(match (self.age(child) < 4, drawn) {
                    (true, _) => "PN0",
                    (false, "PN0") => "PN6",
                    (false, code) => code,
                });
                self.note(
                    child,
                    today,
                    ClaReviewHeld {
                        review,
                        period,
                        participation: Some(participation),
                        at: today,
                    },
                );
                let n = {
                    let c = self.children.get_mut(&child).expect("child");
                    c.care_reviews += 1;
                    c.care_reviews
                };
                // The permanence plan: by the second review for most, as the plan aims for 90%.
                let by_now = match n {
                    1 => 0.35,
                    2 => 0.55 + 0.3 * self.progress_through(),
                    _ => 0.6,
                };
                let has_plan = n > 2 && self.rng.chance(0.3);
                if !has_plan && n <= 3 && self.rng.chance(by_now) {
                    let plan = match self.children[&child].care_route {
                        CareRoute::Adoption => PermanencePlan::Adoption,
                        CareRoute::SpecialGuardianship => PermanencePlan::SpecialGuardianship,
                        CareRoute::ReturnHome => PermanencePlan::Reunification,
                        CareRoute::UntilEighteen if self.age(child) >= 16 => {
                            PermanencePlan::SupportedLiving
                        }
                        CareRoute::UntilEighteen => PermanencePlan::LongTermFostering,
                    };
                    self.note(child, today, PermanencePlanMade { plan, at: today });
                    if plan == PermanencePlan::LongTermFostering
                        && self.rng.chance(0.45 + 0.35 * self.progress_through())
                    {
                        let d = today + Duration::days(self.rng.range(30, 240));
                        let step = PermanenceStep::LongTermMatch;
                        self.schedule(d, child, Task::Permanence { period, step });
                    }
                }
                let next = match n {
                    1 => self.late_or_on_time(Months::new(3), 0.85),
                    _ => self.late_or_on_time(Months::new(6), 0.85),
                };
                self.schedule(next, child, Task::ClaReview { period });
            }
            Task::CareChange { period } => {
                let Some(state) = self.children[&child].looked_after.clone() else {
                    return;
                };
                // A child placed for adoption stays with the adopters, and nobody moves on the
                // day they leave care at eighteen.
                let eighteen = birthday(self.children[&child].dob, 18);
                if state.period != period || state.placed_for_adoption || today >= eighteen {
                    return;
                }
                if today <= state.episode_start {
                    let next = state.episode_start + Duration::days(1);
                    self.schedule(next, child, Task::CareChange { period });
                    return;
                }
                let placement = self.placement_for(child, self.age(child), state.legal_status);
                let reason = Code::from(
                    *self
                        .rng
                        .pick(&["CARPL", "CHILD", "LAREQ", "PLACE", "CLOSE", "ALLEG"]),
                );
                self.note(
                    child,
                    today,
                    CareEpisodeChanged {
                        period,
                        reason: Code::from("P"),
                        legal_status: None,
                        placement: Some(placement.clone()),
                        reason_placement_changed: Some(reason),
                        need: None,
                        at: today,
                    },
                );
                self.placed(child, placement);
                let days = self.rng.range(120, 900);
                self.schedule(
                    today + Duration::days(days),
                    child,
                    Task::CareChange { period },
                );
            }
            Task::Pep { period } => {
                if self.children[&child].care != Some(period) {
                    return;
                }
                if (4..=17).contains(&self.age(child)) && self.rng.chance(0.9) {
                    self.note(child, today, PepCompleted { at: today });
                }
                self.schedule_from(today, 100, 140, child, Task::Pep { period });
            }
            Task::HealthCheck { period } => {
                if self.children[&child].care != Some(period) {
                    return;
                }
                if self.rng.chance(0.88) {
                    self.note(
                        child,
                        today,
                        HealthCheckDone {
                            check: "health".into(),
                            at: today,
                        },
                    );
                }
                if self.rng.chance(0.8) {
                    self.note(
                        child,
                        today,
                        HealthCheckDone {
                            check: "dental".into(),
                            at: today,
                        },
                    );
                }
                self.schedule_from(today, 330, 400, child, Task::HealthCheck { period });
            }
            Task::Permanence { period, step } => {
                if self.children[&child].care != Some(period) {
                    return;
                }
                let episode_start = self.children[&child]
                    .looked_after
                    .as_ref()
                    .map_or(today, |l| l.episode_start);
                if step == PermanenceStep::PlacedForAdoption && today <= episode_start {
                    let next = episode_start + Duration::days(1);
                    self.schedule(next, child, Task::Permanence { period, step });
                    return;
                }
                self.note(
                    child,
                    today,
                    PermanenceStepReached {
                        step,
                        reason: None,
                        at: today,
                    },
                );
                if step == PermanenceStep::LongTermMatch {
                    return; // the child stays in care until eighteen
                }
                match step {
                    PermanenceStep::AdoptionDecision => {
                        if let Some(l) = self.care_state_mut(child) {
                            l.adoption_decided = true;
                        }
                    }
                    PermanenceStep::PlacementOrder => {
                        self.change_legal_status(child, period, "E1");
                    }
                    PermanenceStep::AdoptionOrder => {
                        let adopters = self.adopters(child, today);
                        self.note(child, today, adopters);
                    }
                    _ => {}
                }
                let next = match step {
                    PermanenceStep::AdoptionDecision => {
                        Some((PermanenceStep::PlacementOrder, 60, 180))
                    }
                    PermanenceStep::PlacementOrder => Some((PermanenceStep::Matched, 60, 300)),
                    PermanenceStep::Matched => Some((PermanenceStep::PlacedForAdoption, 14, 60)),
                    PermanenceStep::PlacedForAdoption => {
                        let placement = self.adoption_placement(child);
                        // With the current foster carers the DfE asks for reason T, and only the
                        // placement's status changes; otherwise the child moves as planned.
                        let (reason, why) = if placement.place.as_str() == "A5" {
                            ("T", "PLACE")
                        } else {
                            ("P", "CARPL")
                        };
                        self.note(
                            child,
                            today,
                            CareEpisodeChanged {
                                period,
                                reason: Code::from(reason),
                                legal_status: None,
                                placement: Some(placement.clone()),
                                reason_placement_changed: Some(Code::from(why)),
                                need: None,
                                at: today,
                            },
                        );
                        self.placed(child, placement);
                        if let Some(l) = self.care_state_mut(child) {
                            l.placed_for_adoption = true;
                        }
                        Some((PermanenceStep::AdoptionOrder, 120, 300))
                    }
                    PermanenceStep::SgoAssessmentStarted => {
                        Some((PermanenceStep::SgoGranted, 90, 240))
                    }
                    _ => None,
                };
                match next {
                    Some((step, lo, hi)) => {
                        let mut d = today + Duration::days(self.rng.range(lo, hi));
                        // Orders are made when the court sits.
                        if matches!(
                            step,
                            PermanenceStep::PlacementOrder
                                | PermanenceStep::AdoptionOrder
                                | PermanenceStep::SgoGranted
                        ) {
                            d = self.cal.next_working_day(d);
                        }
                        // A plan not achieved by eighteen ends with the child leaving care then.
                        let eighteen = birthday(self.children[&child].dob, 18);
                        if d < eighteen {
                            self.schedule(d, child, Task::Permanence { period, step });
                        } else {
                            self.schedule(eighteen, child, Task::LeaveCare { period });
                        }
                    }
                    None => self.schedule(today, child, Task::LeaveCare { period }),
                }
            }
            Task::LeaveCare { period } => {
                if self.children[&child].care != Some(period) {
                    return;
                }
                let episode_start = self.children[&child]
                    .looked_after
                    .as_ref()
                    .map_or(today, |l| l.episode_start);
                // An episode lasts at least a day, and a child leaves care once back from being
                // missing.
                let c = &self.children[&child];
                let missing = c.missing.is_some() || c.back_from_missing == Some(today);
                if today <= episode_start || (missing && self.age(child) < 18) {
                    let next = episode_start.max(today) + Duration::days(1);
                    self.schedule(next, child, Task::LeaveCare { period });
                    return;
                }
                let age = self.age(child);
                let route = self.children[&child].care_route;
                let reason = if age >= 18 {
                    *self.rng.pick(&["E7", "E8", "E17", "E7", "E8"])
                } else {
                    self.reason_ceased(child, route)
                };
                self.note(
                    child,
                    today,
                    CarePeriodEnded {
                        period,
                        reason: Code::from(reason),
                        at: today,
                    },
                );
                let c = self.children.get_mut(&child).expect("child");
                c.care = None;
                c.looked_after = None;
                c.left_care = Some((reason, today));
                // An adopted child starts a new record under the adoptive family's name; this one
                // is closed for good, so nothing more comes to it.
                if matches!(reason, "E11" | "E12") {
                    self.known.retain(|&k| k != child);
                }
                if age >= 18 && c.details.uasc {
                    let ceased = birthday(c.dob, 18);
                    self.correct_details(child, today, |d| d.uasc_ceased = Some(ceased));
                }
                let c = self.children.get_mut(&child).expect("child");
                if age >= 16 {
                    let until = birthday(c.dob, 21);
                    c.leaver_until = Some(until);
                    self.release(child);
                    self.allocate(child, Service::CareLeavers, today, ChangeOfWorker::Transfer);
                    self.schedule_from(today, 14, 56, child, Task::LeaverContact);
                } else {
                    let closure = match route {
                        CareRoute::Adoption => "RC1",
                        CareRoute::SpecialGuardianship => "RC4",
                        _ => "RC7",
                    };
                    self.close(child, closure);
                }
            }
            Task::LeaverContact => {
                let Some(until) = self.children[&child].leaver_until else {
                    return;
                };
                if today >= until {
                    self.children.get_mut(&child).expect("child").leaver_until = None;
                    // Leaving-care services end, and with them the CIN episode.
                    if self.children[&child].referral.is_some() {
                        self.close(child, "RC7");
                        return;
                    }
                    let allocated = self.children[&child].worker.is_some();
                    self.release(child);
                    if allocated {
                        self.note(child, today, AllocationEnded { at: today });
                    }
                    return;
                }
                self.leaver_contact(child, today);
                self.schedule_from(today, 30, 70, child, Task::LeaverContact);
            }
            Task::EndEarlyHelp { episode } => {
                if self.children[&child].early_help != Some(episode) {
                    return;
                }
                let reason = self
                    .rng
                    .pick(&[
                        "Outcomes achieved",
                        "Family disengaged",
                        "Stepped up to social care",
                        "Moved away",
                    ])
                    .to_string();
                self.note(
                    child,
                    today,
                    EarlyHelpEnded {
                        episode,
                        at: today,
                        reason,
                    },
                );
                self.children.get_mut(&child).expect("child").early_help = None;
            }
            Task::ReturnFromMissing { episode, back } => {
                if self.children[&child].missing != Some(episode) {
                    return;
                }
                self.note_at(child, back, MissingEpisodeEnded { episode, at: back });
                let c = self.children.get_mut(&child).expect("child");
                c.missing = None;
                c.back_from_missing = Some(back.date());
                let offered_in_time = 0.72 + 0.18 * self.progress_through();
                if self.rng.chance(0.95) {
                    let delay = if self.rng.chance(offered_in_time) {
                        self.rng.range(2, 70)
                    } else {
                        self.rng.range(73, 240)
                    };
                    let offered = back + Duration::hours(delay);
                    let accepted = self.rng.chance(0.62);
                    self.note_at(
                        child,
                        offered,
                        ReturnInterviewOffered {
                            episode,
                            at: offered,
                            accepted,
                        },
                    );
                    if accepted {
                        let d = offered.date() + Duration::days(self.rng.range(0, 4));
                        self.schedule(
                            d,
                            child,
                            Task::ReturnInterview {
                                episode,
                                not_before: offered,
                            },
                        );
                    }
                }
            }
            Task::ReturnInterview {
                episode,
                not_before,
            } => {
                let at = self.during(today).max(not_before + Duration::hours(2));
                self.note_at(child, at, ReturnInterviewHeld { episode, at });
            }
            Task::CloseActionOfAudit { audit, action } => {
                self.note(
                    child,
                    today,
                    AuditActionClosed {
                        audit,
                        action,
                        at: today,
                    },
                );
            }
            Task::RespondToComplaint { complaint } => {
                let upheld = self.rng.chance(0.3);
                self.note(
                    child,
                    today,
                    ComplaintResponded {
                        complaint,
                        upheld,
                        at: today,
                    },
                );
            }
            Task::ResolveDispute { dispute } => {
                self.note(child, today, IroDisputeResolved { dispute, at: today });
            }
            Task::AuditNewPlan => self.audit(child, AuditKind::NewPlan),
            Task::ChangeLegalStatus { period, status } => {
                self.change_legal_status(child, period, status)
            }
            Task::BornIntoCare => {
                self.record_birth(child);
                self.enter_care(child);
            }
            Task::Born => self.record_birth(child),
            Task::MakeLibertyOrder { period } => self.make_liberty_order(child, period),
        }
    }

    /// A personal adviser's contact with a care leaver, on `on`.
    fn leaver_contact(&mut self, child: ChildId, on: NaiveDate) {
        let in_touch = self.rng.chance(0.9);
        let eet = 0.48 + 0.12 * self.progress_through();
        let activity = in_touch.then(|| {
            if self.rng.chance(eet) {
                self.rng.weighted(&[
                    (0.15, CareLeaverActivity::HigherEducation),
                    (0.35, CareLeaverActivity::OtherEducation),
                    (0.2, CareLeaverActivity::Training),
                    (0.3, CareLeaverActivity::Employment),
                ])
            } else {
                self.rng.weighted(&[
                    (0.2, CareLeaverActivity::NotInEetIllness),
                    (0.2, CareLeaverActivity::NotInEetParent),
                    (0.6, CareLeaverActivity::NotInEetOther),
                ])
            }
        });
        let accommodation = in_touch.then(|| {
            match *self.rng.pick(&["D", "E", "G", "K", "R", "S", "T", "U"]) {
                // A foyer is for those 18 or over by the year the return asks about.
                "T" if age_on(self.children[&child].dob, on) < 19 => "U",
                code => code,
            }
        });
        let suitable = in_touch.then(|| self.rng.chance(0.88));
        // No fixed abode is never suitable.
        let accommodation_suitable = suitable.map(|s| s && accommodation != Some("S"));
        let accommodation = accommodation.map(Code::from);
        let not_in_touch_reason = if in_touch {
            None
        } else {
            self.not_in_touch_reason(child, on)
        };
        let pathway_plan_reviewed = self.rng.chance(0.3);
        self.note(
            child,
            on,
            CareLeaverContact {
                in_touch,
                not_in_touch_reason,
                activity,
                accommodation,
                accommodation_suitable,
                pathway_plan_reviewed,
                at: on,
            },
        );
    }

    /// Some new plans are audited within a month of starting, more as the plan takes hold.
    fn maybe_audit_new_plan(&mut self, child: ChildId, start: NaiveDate) {
        if self.rng.chance(0.12 + 0.16 * self.progress_through()) {
            let d = start + Duration::days(self.rng.range(3, 34));
            self.schedule(d, child, Task::AuditNewPlan);
        }
    }

    /// A review due `months` from today: on time with probability `p`, otherwise up to a month late.
    fn late_or_on_time(&mut self, months: Months, p: f64) -> NaiveDate {
        let due = self.today + months;
        if self.rng.chance(p) {
            due - Duration::days(self.rng.range(0, 14))
        } else {
            due + Duration::days(self.rng.range(1, 35))
        }
    }

    fn agencies_present(&mut self) -> Vec<Agency> {
        [
            Agency::Police,
            Agency::Health,
            Agency::School,
            Agency::Probation,
            Agency::Housing,
        ]
        .into_iter()
        .filter(|_| self.rng.chance(0.7))
        .collect()
    }

    fn service_for(&mut self, child: ChildId) -> Service {
        let c = &self.children[&child];
        if c.care.is_some() {
            Service::ChildrenInCare
        } else if c.leaver_until.is_some() {
            Service::CareLeavers
        } else if c.cp_plan.is_some() || c.cin_plan.is_some() {
            Service::FamilySafeguarding
        } else if self.age(child) >= 12 && self.rng.chance(0.06) {
            Service::ExploitationHub
        } else if self.rng.chance(0.05) {
            Service::DisabledChildren
        } else {
            Service::Assessment
        }
    }

    /// A referral opens a CIN episode; the child is allocated for assessment, or goes to a
    /// strategy discussion first where the risk is high.
    fn refer(&mut self, child: ChildId, from_contact: Option<RecordId>) {
        let today = self.today;
        let referral = self.next_rid(child);
        let source = Code::from(self.rng.weighted(SOURCES));
        let primary_need = Some(self.rng.weighted(&[
            (0.55, PrimaryNeed::N1),
            (0.04, PrimaryNeed::N2),
            (0.04, PrimaryNeed::N3),
            (0.10, PrimaryNeed::N4),
            (0.15, PrimaryNeed::N5),
            (0.03, PrimaryNeed::N6),
            (0.01, PrimaryNeed::N7),
            (0.02, PrimaryNeed::N8),
            (0.06, PrimaryNeed::N9),
        ]));
        self.note(
            child,
            today,
            ReferralReceived {
                referral,
                at: today,
                source,
                primary_need,
                from_contact,
            },
        );
        self.children.get_mut(&child).expect("child").referral = Some(referral);
        // The school gives the UPN of a child referred at school age.
        self.upn_at_school_age(child, today);
        // Most are allocated within days; some wait.
        let wait = if self.rng.chance(0.85) {
            self.rng.range(0, 3)
        } else {
            self.rng.range(3, 15)
        };
        self.schedule(today + Duration::days(wait), child, Task::Allocate);
        if self.rng.chance(0.38) {
            let d = self.some_working_days(0, 3);
            self.schedule(d, child, Task::Strategy { referral });
        } else {
            let d = self.some_working_days(0, 4);
            self.schedule(d, child, Task::StartAssessment { referral });
        }
    }

    fn start_early_help(&mut self, child: ChildId) {
        if self.children[&child].early_help.is_some() {
            return;
        }
        let episode = self.next_rid(child);
        let lead = self
            .rng
            .pick(&[
                "Family hub key worker",
                "School",
                "Health visitor",
                "Early help practitioner",
            ])
            .to_string();
        self.note(
            child,
            self.today,
            EarlyHelpStarted {
                episode,
                at: self.today,
                lead_professional: Some(lead),
            },
        );
        self.children.get_mut(&child).expect("child").early_help = Some(episode);
        let d = self.today + Duration::days(self.rng.range(60, 270));
        self.schedule(d, child, Task::EndEarlyHelp { episode });
    }

    /// Closes the case. Work still open is concluded first, the same day, so nothing in the
    /// episode is left unfinished or comes after its closure: an assessment waiting to be
    /// authorised is authorised, and an enquiry is completed or its conference held.
    fn close(&mut self, child: ChildId, reason: &str) {
        let Some(referral) = self.children[&child].referral else {
            return;
        };
        if self.children[&child].care.is_some() {
            return;
        }
        let today = self.today;
        if let Some(assessment) = self.children[&child].assessment {
            self.authorise(child, assessment);
        }
        match self.children[&child].enquiry {
            Some(Enquiry::Open(enquiry)) => self.note(
                child,
                today,
                Section47Completed {
                    enquiry,
                    outcome: S47Outcome::NoFurtherAction,
                    conference_target: None,
                    conference_not_required: true,
                    at: today,
                },
            ),
            Some(Enquiry::AwaitingConference(enquiry)) => {
                let conference = self.next_rid(child);
                let agencies_present = self.agencies_present();
                self.note(
                    child,
                    today,
                    ConferenceHeld {
                        conference,
                        kind: ConferenceKind::Initial,
                        enquiry: Some(enquiry),
                        plan_needed: false,
                        agencies_present,
                        at: today,
                    },
                );
            }
            _ => {}
        }
        // 'After assessment' only for an episode that had nothing but the assessment.
        let reason = if self.children[&child].beyond_assessment && ["RC8", "RC9"].contains(&reason)
        {
            "RC7"
        } else {
            reason
        };
        // Plans still open end with the case.
        if let Some(plan) = self.children[&child].cp_plan {
            self.note(
                child,
                today,
                CpPlanEnded {
                    plan,
                    at: today,
                    reason: "Case closed".into(),
                },
            );
        }
        if let Some(plan) = self.children[&child].cin_plan {
            self.note(child, today, CinPlanEnded { plan, at: today });
        }
        self.note(
            child,
            self.today,
            CaseClosed {
                referral,
                referral_nfa: false,
                reason: Code::from(reason),
                at: self.today,
            },
        );
        let c = self.children.get_mut(&child).expect("child");
        c.referral = None;
        c.cin_plan = None;
        c.cp_plan = None;
        c.assessment = None;
        c.enquiry = None;
        c.beyond_assessment = false;
        self.release(child);
    }

    /// The manager authorises the assessment, with the factors it found; true when it found none
    /// (factor 21), which only an episode with no enquiry or plan can do.
    fn authorise(&mut self, child: ChildId, assessment: RecordId) -> bool {
        let today = self.today;
        let c = &self.children[&child];
        let needs_known = c.beyond_assessment || c.care.is_some();
        let n = self.rng.range(1, 4);
        let mut factors: Vec<Code> = (0..n)
            .map(|_| Code::from(*self.rng.pick(FACTORS)))
            .collect();
        // 21 is "no factors identified": it stands alone.
        if factors.iter().any(|f| f.as_str() != "21") {
            factors.retain(|f| f.as_str() != "21");
        } else if needs_known {
            // An enquiry or a plan follows from needs found.
            factors = vec![Code::from("3A")];
        } else {
            factors.truncate(1);
        }
        let nothing_found = factors.iter().all(|f| f.as_str() == "21");
        let manager = self.manager_of(child);
        let when = self.recorded(today);
        let actor = manager.map_or_else(|| self.actor_for(child), |m| m.to_string());
        self.rec.record(
            StreamId::Child(child),
            AssessmentAuthorised {
                assessment,
                internal_review: None,
                at: today,
                factors,
            },
            when,
            &actor,
        );
        self.children.get_mut(&child).expect("child").assessment = None;
        nothing_found
    }

    fn transfer(&mut self, child: ChildId, service: Service) {
        let Some(worker) = self.children[&child].worker else {
            return;
        };
        if self.org.teams[self.org.worker(worker).team].service == service {
            return;
        }
        let teams = self.org.teams_of(service);
        let Some(&to) = teams.first() else { return };
        let transfer = self.next_rid(child);
        let to_team = self.org.teams[to].id;
        self.note(
            child,
            self.today,
            TransferRequested {
                transfer,
                to_team,
                at: self.today,
            },
        );
        let timely = 0.55 + 0.25 * self.progress_through();
        let wd = if self.rng.chance(timely) {
            self.rng.range(1, 11)
        } else {
            self.rng.range(11, 40)
        };
        let d = self.working_days_on(wd);
        self.schedule(d, child, Task::CompleteTransfer { transfer, service });
    }

    fn start_cp_plan(&mut self, child: ChildId, referral: RecordId, conference: Option<RecordId>) {
        let today = self.today;
        let plan = self.next_rid(child);
        let category = self.rng.weighted(&[
            (0.50, AbuseCategory::Neglect),
            (0.08, AbuseCategory::Physical),
            (0.04, AbuseCategory::Sexual),
            (0.35, AbuseCategory::Emotional),
            (0.03, AbuseCategory::Multiple),
        ]);
        self.note(
            child,
            today,
            CpPlanStarted {
                plan,
                referral,
                category,
                conference,
                previous_plans: None,
                at: today,
            },
        );
        self.maybe_audit_new_plan(child, today);
        let c = self.children.get_mut(&child).expect("child");
        c.cp_plan = Some(plan);
        c.beyond_assessment = true;
        if let Some(cin) = c.cin_plan.take() {
            self.note(
                child,
                today,
                CinPlanEnded {
                    plan: cin,
                    at: today,
                },
            );
        }
        self.transfer(child, Service::FamilySafeguarding);
        let first_review = self.late_or_on_time(Months::new(3), 0.82);
        self.schedule(first_review, child, Task::CpReview { plan });
        let core = self.some_working_days(5, 14);
        self.schedule(core, child, Task::CoreGroup { plan });
        let visit = self.some_working_days(3, 10);
        self.schedule(
            visit,
            child,
            Task::Visit {
                kind: VisitKind::ChildProtection,
                record: plan,
            },
        );
        let months = self.rng.weighted(&[
            (0.22, (3, 6)),
            (0.45, (6, 12)),
            (0.21, (12, 18)),
            (0.07, (18, 24)),
            (0.05, (24, 32)),
        ]);
        let days = self.rng.range(months.0 * 30, months.1 * 30);
        self.schedule(
            today + Duration::days(days),
            child,
            Task::EndCpPlan { plan },
        );
        if self.rng.chance(0.12) {
            let d = today + Duration::days(self.rng.range(60, 200));
            self.schedule(d, child, Task::LegalGateway);
        }
        self.schedule_from(today, 5, 25, child, Task::Supervise);
    }

    fn issue_proceedings(&mut self, child: ChildId) {
        let today = self.today;
        let proceedings = self.next_rid(child);
        self.note(
            child,
            today,
            CareProceedingsIssued {
                proceedings,
                at: today,
            },
        );
        // Within 26 weeks for under half, as nationally.
        let weeks = if self.rng.chance(0.45) {
            self.rng.range(14, 27)
        } else {
            self.rng.range(27, 60)
        };
        self.schedule(
            today + Duration::weeks(weeks),
            child,
            Task::ConcludeProceedings { proceedings },
        );
        if self.rng.chance(0.7) && self.children[&child].care.is_none() {
            self.enter_care(child);
        }
    }

    /// A period of care begins, with its route decided by the child's age.
    pub(crate) fn enter_care(&mut self, child: ChildId) {
        self.enter_care_on(child, self.today, true);
    }

    fn enter_care_on(&mut self, child: ChildId, at: NaiveDate, transfer: bool) {
        if self.children[&child].care.is_some() {
            return;
        }
        let dob = self.children[&child].dob;
        if age_on(dob, at) >= 18 {
            return; // an adult is not taken into care
        }
        if dob > at {
            // Not born yet: care begins at birth.
            self.schedule(dob, child, Task::BornIntoCare);
            return;
        }
        if self.children[&child].details.date_of_birth.is_none() {
            self.record_birth(child);
        }
        self.note_previous_permanence(child, at);
        let age = age_on(dob, at).max(0);
        let route = match age {
            // Drawn so that starts and ceases balance and the number in care holds steady.
            0..=4 => self.rng.weighted(&[
                (0.25, CareRoute::Adoption),
                (0.15, CareRoute::SpecialGuardianship),
                (0.40, CareRoute::ReturnHome),
                (0.20, CareRoute::UntilEighteen),
            ]),
            5..=13 => self.rng.weighted(&[
                (0.45, CareRoute::ReturnHome),
                (0.15, CareRoute::SpecialGuardianship),
                (0.40, CareRoute::UntilEighteen),
            ]),
            _ => self.rng.weighted(&[
                (0.4, CareRoute::ReturnHome),
                (0.6, CareRoute::UntilEighteen),
            ]),
        };
        let period = self.next_rid(child);
        let drawn = self.rng.weighted(&[
            (0.3, "C2"),
            (0.3, "V2"),
            (0.2, "C1"),
            (0.1, "J2"),
            (0.1, "L1"),
        ]);
        let legal_status = self.starting_legal_status(drawn, age, at < self.today);
        let placement = self.placement_for(child, age, legal_status);
        let need = self.rng.weighted(&[
            (0.65, PrimaryNeed::N1),
            (0.03, PrimaryNeed::N2),
            (0.04, PrimaryNeed::N3),
            (0.08, PrimaryNeed::N4),
            (0.12, PrimaryNeed::N5),
            (0.08, PrimaryNeed::N8),
        ]);
        self.note(
            child,
            at,
            CarePeriodStarted {
                period,
                legal_status: Code::from(legal_status),
                placement: placement.clone(),
                need,
                at,
                first_reason: None,
            },
        );
        self.children.get_mut(&child).expect("child").looked_after =
            Some(crate::looked_after::CareState {
                period,
                since: at,
                episode_start: at,
                legal_status,
                placement,
                adoption_decided: false,
                placed_for_adoption: false,
            });
        if let Some((status, on)) = self.status_after(child, legal_status, at) {
            self.schedule(on, child, Task::ChangeLegalStatus { period, status });
        }
        self.upn_at_school_age(child, at);
        self.maybe_audit_new_plan(child, at);
        {
            let c = self.children.get_mut(&child).expect("child");
            c.care = Some(period);
            c.care_route = route;
            c.care_reviews = 0;
        }
        if let Some(plan) = self.children[&child].cp_plan {
            self.note(
                child,
                at,
                CpPlanEnded {
                    plan,
                    at,
                    reason: "Child became looked after".into(),
                },
            );
            self.children.get_mut(&child).expect("child").cp_plan = None;
        }
        if let Some(plan) = self.children[&child].cin_plan {
            self.note(child, at, CinPlanEnded { plan, at });
            self.children.get_mut(&child).expect("child").cin_plan = None;
        }
        if self.children[&child].referral.is_none() {
            let referral = self.next_rid(child);
            self.note(
                child,
                at,
                ReferralReceived {
                    referral,
                    at,
                    source: Code::from("5A"),
                    primary_need: Some(need),
                    from_contact: None,
                },
            );
            self.children.get_mut(&child).expect("child").referral = Some(referral);
        }
        if transfer {
            if self.children[&child].worker.is_some() {
                self.transfer(child, Service::ChildrenInCare);
            } else {
                self.allocate(
                    child,
                    Service::ChildrenInCare,
                    self.today,
                    ChangeOfWorker::FirstContact,
                );
            }
        }
        let base = self.today.max(at);
        // First review within 20 working days for most.
        let first = if at >= self.today {
            let wd = if self.rng.chance(0.85) {
                self.rng.range(10, 21)
            } else {
                self.rng.range(21, 35)
            };
            self.cal.add_working_days(at, wd)
        } else {
            base + Duration::days(self.rng.range(1, 180))
        };
        if at < self.today {
            self.children.get_mut(&child).expect("child").care_reviews = 2;
        }
        self.schedule(first, child, Task::ClaReview { period });
        self.schedule_from(
            base,
            3,
            42,
            child,
            Task::Visit {
                kind: VisitKind::LookedAfter,
                record: period,
            },
        );
        self.schedule_from(base, 20, 120, child, Task::Pep { period });
        self.schedule_from(base, 20, 365, child, Task::HealthCheck { period });
        if self.rng.chance(0.45) {
            self.schedule_from(base, 60, 700, child, Task::CareChange { period });
        }
        self.schedule_from(base, 5, 25, child, Task::Supervise);
        let eighteen = birthday(self.children[&child].dob, 18);
        let (step, end) = match route {
            CareRoute::ReturnHome => (None, base + Duration::days(self.rng.range(90, 730))),
            CareRoute::Adoption => (
                Some(PermanenceStep::AdoptionDecision),
                base + Duration::days(self.rng.range(90, 240)),
            ),
            CareRoute::SpecialGuardianship => (
                Some(PermanenceStep::SgoAssessmentStarted),
                base + Duration::days(self.rng.range(90, 300)),
            ),
            CareRoute::UntilEighteen => (None, eighteen),
        };
        match step {
            Some(step) => {
                self.schedule(end.min(eighteen), child, Task::Permanence { period, step })
            }
            None => self.schedule(end.min(eighteen), child, Task::LeaveCare { period }),
        }
    }

    // ---- Children already known when the simulation starts ---------------------------------

    /// The caseload at the start: children already looked after, on plans, being assessed and
    /// leaving care, back-dated as a council's history would be.
    pub(crate) fn opening_caseload(&mut self) {
        let start = self.start;
        let scale = self.scale();
        for _ in 0..(690.0 * scale) as u32 {
            let age = self.rng.weighted(&[(0.2, 2), (0.35, 8), (0.45, 14)]) + self.rng.range(0, 3);
            let since = start - Duration::days(self.rng.range(30, (age.max(1) * 365).min(6 * 365)));
            let child = self.opening_child(age, since);
            self.enter_care_on(child, since, false);
            self.allocate(
                child,
                Service::ChildrenInCare,
                start,
                ChangeOfWorker::FirstContact,
            );
        }
        for _ in 0..(340.0 * scale) as u32 {
            let since = start - Duration::days(self.rng.range(10, 500));
            let age = self.rng.range(0, 17);
            let child = self.opening_child(age, since);
            let referral = self.children[&child].referral.expect("opening referral");
            let conference = self.next_rid(child);
            let enquiry = self.next_rid(child);
            self.note(
                child,
                since,
                Section47Started {
                    enquiry,
                    referral,
                    strategy: None,
                    at: since,
                },
            );
            self.note(
                child,
                since,
                Section47Completed {
                    enquiry,
                    outcome: S47Outcome::Conference,
                    conference_target: None,
                    conference_not_required: false,
                    at: since,
                },
            );
            self.note(
                child,
                since,
                ConferenceHeld {
                    conference,
                    kind: ConferenceKind::Initial,
                    enquiry: Some(enquiry),
                    plan_needed: true,
                    agencies_present: vec![Agency::Police, Agency::Health],
                    at: since,
                },
            );
            let plan = self.next_rid(child);
            self.note(
                child,
                since,
                CpPlanStarted {
                    plan,
                    referral,
                    category: AbuseCategory::Neglect,
                    conference: Some(conference),
                    previous_plans: None,
                    at: since,
                },
            );
            let mut review = since + Months::new(3);
            while review < start {
                self.note(
                    child,
                    review,
                    CpPlanReviewed {
                        plan,
                        at: review,
                        category: None,
                    },
                );
                review = review + Months::new(6);
            }
            let c = self.children.get_mut(&child).expect("child");
            c.cp_plan = Some(plan);
            c.beyond_assessment = true;
            self.allocate(
                child,
                Service::FamilySafeguarding,
                start,
                ChangeOfWorker::FirstContact,
            );
            self.schedule(review, child, Task::CpReview { plan });
            self.schedule_from(start, 0, 40, child, Task::CoreGroup { plan });
            self.schedule_from(
                start,
                0,
                14,
                child,
                Task::Visit {
                    kind: VisitKind::ChildProtection,
                    record: plan,
                },
            );
            self.schedule_from(start, 10, 450, child, Task::EndCpPlan { plan });
            self.schedule_from(start, 0, 30, child, Task::Supervise);
        }
        for _ in 0..(1100.0 * scale) as u32 {
            let since = start - Duration::days(self.rng.range(80, 300));
            let age = self.rng.range(0, 17);
            let child = self.opening_child(age, since);
            let referral = self.children[&child].referral.expect("opening referral");
            let assessment = self.next_rid(child);
            self.note(
                child,
                since,
                AssessmentStarted {
                    assessment,
                    referral,
                    kind: AssessmentKind::New,
                    at: since,
                },
            );
            let done = self.cal.add_working_days(since, self.rng.range(10, 45));
            self.note(
                child,
                done,
                AssessmentAuthorised {
                    assessment,
                    internal_review: None,
                    at: done,
                    factors: vec![Code::from("3A")],
                },
            );
            let plan = self.next_rid(child);
            self.note(
                child,
                done,
                CinPlanStarted {
                    plan,
                    referral,
                    at: done,
                },
            );
            let c = self.children.get_mut(&child).expect("child");
            c.cin_plan = Some(plan);
            c.beyond_assessment = true;
            self.allocate(
                child,
                Service::FamilySafeguarding,
                start,
                ChangeOfWorker::FirstContact,
            );
            self.schedule_from(start, 0, 90, child, Task::CinReview { plan });
            self.schedule_from(
                start,
                0,
                30,
                child,
                Task::Visit {
                    kind: VisitKind::ChildInNeed,
                    record: plan,
                },
            );
            self.schedule_from(start, 10, 300, child, Task::EndCinPlan { plan });
            self.schedule_from(start, 0, 30, child, Task::Supervise);
        }
        for _ in 0..(280.0 * scale) as u32 {
            // Known since they were ten, so aged 18 to 20 now.
            let age = self.rng.range(18, 21);
            let child = self.new_child(start - Duration::days(365 * (age - 10)), Some(10));
            let dob = self.children[&child].dob;
            let entered = birthday(dob, 14);
            let left = birthday(dob, 18);
            if left >= start {
                continue;
            }
            let referral = self.next_rid(child);
            self.note(
                child,
                entered,
                ReferralReceived {
                    referral,
                    at: entered,
                    source: Code::from("6"),
                    primary_need: Some(PrimaryNeed::N1),
                    from_contact: None,
                },
            );
            let period = self.next_rid(child);
            let placement = self.placement_for(child, 14, "C2");
            // Their social worker in care, the longest-serving in a children-in-care team: the
            // case stays with them until the leaving care team takes it on.
            let social_worker = self
                .org
                .teams_of(Service::ChildrenInCare)
                .into_iter()
                .flat_map(|t| self.org.teams[t].members.clone())
                .map(|id| self.org.worker(id))
                .filter(|w| w.holds_cases() && w.joined <= entered)
                .min_by_key(|w| (w.joined, w.id))
                .map(|w| (w.id, self.org.teams[w.team].id));
            if let Some((worker, team)) = social_worker {
                self.note(
                    child,
                    entered,
                    ChildAllocated {
                        worker,
                        team,
                        reason: Some(Code::from("FCONTA")),
                        at: entered,
                    },
                );
            }
            self.note(
                child,
                entered,
                CarePeriodStarted {
                    period,
                    legal_status: Code::from("C2"),
                    placement,
                    need: PrimaryNeed::N1,
                    at: entered,
                    first_reason: None,
                },
            );
            self.note(
                child,
                left,
                CarePeriodEnded {
                    period,
                    reason: Code::from("E8"),
                    at: left,
                },
            );
            // Their last contact before the records begin, in the weeks after their last
            // birthday: the one a return for that year would give.
            let last_birthday = birthday(dob, age_on(dob, start - Duration::days(1)) as u32);
            let days_after = self.hash(child, &[crate::looked_after::salt::LAST_CONTACT]) % 21;
            let contacted = (last_birthday + Duration::days(days_after as i64)).min(start);
            if contacted > left {
                self.leaver_contact(child, contacted);
            }
            let c = self.children.get_mut(&child).expect("child");
            c.referral = Some(referral);
            c.leaver_until = Some(birthday(dob, 21));
            let reason = if social_worker.is_some() {
                ChangeOfWorker::Transfer
            } else {
                ChangeOfWorker::FirstContact
            };
            self.allocate(child, Service::CareLeavers, start, reason);
            // Seen within two months, and before services end at 21.
            let until_21 = (birthday(dob, 21) - start).num_days().clamp(1, 60);
            self.schedule_from(start, 0, until_21, child, Task::LeaverContact);
        }
    }

    /// A child known before the start, with the referral that opened their case.
    fn opening_child(&mut self, age: i64, since: NaiveDate) -> ChildId {
        let registered = since - Duration::days(self.rng.range(0, 20));
        let dob_age = (age - (self.start - since).num_days() / 365).max(0);
        let child = self.new_child(registered, Some(dob_age));
        let referral = self.next_rid(child);
        let source = Code::from(self.rng.weighted(SOURCES));
        self.note(
            child,
            since,
            ReferralReceived {
                referral,
                at: since,
                source,
                primary_need: Some(PrimaryNeed::N1),
                from_contact: None,
            },
        );
        self.children.get_mut(&child).expect("child").referral = Some(referral);
        // The records the council begins with give a school-age child's UPN.
        self.upn_at_school_age(child, self.start);
        child
    }

    // ---- Missing, exploitation and quality assurance ---------------------------------------

    pub(crate) fn missing_and_exploitation_day(&mut self) {
        let today = self.today;
        for _ in 0..self.rng.poisson(1.2 * self.scale()) {
            let Some(child) = self.random_open_teenager() else {
                break;
            };
            if self.children[&child].missing.is_some() {
                continue;
            }
            // Nobody goes missing from care in the days before leaving it at 18.
            let eighteen = birthday(self.children[&child].dob, 18);
            if self.children[&child].care.is_some()
                && (0..10).contains(&(eighteen - today).num_days())
            {
                continue;
            }
            let episode = self.next_rid(child);
            let at = self.during(today) + Duration::hours(self.rng.range(0, 6));
            let kind = if self.rng.chance(0.85) {
                MissingKind::Missing
            } else {
                MissingKind::Away
            };
            self.note_at(child, at, MissingEpisodeStarted { episode, kind, at });
            self.children.get_mut(&child).expect("child").missing = Some(episode);
            let hours =
                self.rng.weighted(&[(0.6, 6), (0.3, 30), (0.1, 80)]) + self.rng.range(0, 12);
            let back = at + Duration::hours(hours);
            self.schedule(
                back.date(),
                child,
                Task::ReturnFromMissing { episode, back },
            );
        }
        for _ in 0..self.rng.poisson(0.8 * self.scale()) {
            let Some(child) = self.random_open_teenager() else {
                break;
            };
            let screening = self.next_rid(child);
            let risk = self.rng.weighted(&[
                (0.5, RiskLevel::Low),
                (0.3, RiskLevel::Medium),
                (0.2, RiskLevel::High),
            ]);
            let kinds = vec![self.rng.weighted(&[
                (0.4, ExploitationKind::Sexual),
                (0.5, ExploitationKind::Criminal),
                (0.07, ExploitationKind::Trafficking),
                (0.03, ExploitationKind::Radicalisation),
            ])];
            self.note(
                child,
                today,
                ExploitationScreened {
                    screening,
                    risk,
                    kinds,
                    at: today,
                },
            );
            if risk == RiskLevel::High || (risk == RiskLevel::Medium && self.rng.chance(0.15)) {
                let nrm = self.rng.chance(0.1);
                self.note(
                    child,
                    today,
                    ExploitationHubReferred {
                        screening: Some(screening),
                        nrm,
                        at: today,
                    },
                );
            }
        }
    }

    /// An open child of 11 or over, looked-after children most often.
    fn random_open_teenager(&mut self) -> Option<ChildId> {
        for _ in 0..400 {
            let i = self.rng.range(0, self.known.len() as i64) as usize;
            let child = *self.known.get(i)?;
            let c = &self.children[&child];
            let weight = if c.care.is_some() {
                1.0
            } else if c.referral.is_some() {
                0.15
            } else {
                0.0
            };
            if weight > 0.0 && (11..18).contains(&self.age(child)) && self.rng.chance(weight) {
                return Some(child);
            }
        }
        None
    }

    /// A case audit by a service manager, with actions that are mostly closed later.
    fn audit(&mut self, child: ChildId, kind: AuditKind) {
        let today = self.today;
        let Some(auditor) = self.someone_in(WorkerRole::ServiceManager) else {
            return;
        };
        let audit = self.next_rid(child);
        let p = self.progress_through();
        let grade = self.rng.weighted(&[
            (0.03 + 0.03 * p, AuditGrade::Outstanding),
            (0.25 + 0.2 * p, AuditGrade::Good),
            (0.5 - 0.1 * p, AuditGrade::RequiresImprovement),
            (0.22 - 0.13 * p, AuditGrade::Inadequate),
        ]);
        let plan_smart = self.rng.chance(0.45 + 0.35 * p);
        let n = self.rng.range(0, 4) as usize;
        let actions: Vec<String> = (0..n)
            .map(|_| {
                self.rng
                    .pick(&[
                        "Update the chronology",
                        "Make the plan SMART",
                        "Record the child's views",
                        "Hold a core group",
                        "Complete the genogram",
                    ])
                    .to_string()
            })
            .collect();
        self.note(
            child,
            today,
            CaseAudited {
                audit,
                kind,
                grade,
                plan_smart,
                actions,
                auditor,
                at: today,
            },
        );
        for action in 1..=n as u16 {
            if self.rng.chance(0.85) {
                let d = today + Duration::days(self.rng.range(7, 90));
                self.schedule(d, child, Task::CloseActionOfAudit { audit, action });
            }
        }
    }

    pub(crate) fn quality_assurance_day(&mut self) {
        let today = self.today;
        if !self.cal.is_working_day(today) {
            return;
        }
        // Case audits: about a quarter of new plans a month, a few a working day.
        for _ in 0..self.rng.poisson(2.2 * self.scale()) {
            let Some(child) = self.random_open_child() else {
                break;
            };
            let kind = *self.rng.pick(AuditKind::ALL);
            self.audit(child, kind);
        }
        for _ in 0..self.rng.poisson(0.6 * self.scale()) {
            let Some(child) = self.random_open_child() else {
                break;
            };
            let complaint = self.next_rid(child);
            let stage = self.rng.weighted(&[
                (0.85, ComplaintStage::Stage1),
                (0.12, ComplaintStage::Stage2),
                (0.03, ComplaintStage::Stage3),
            ]);
            self.note(
                child,
                today,
                ComplaintReceived {
                    complaint,
                    stage,
                    at: today,
                },
            );
            let on_time = 0.68 + 0.17 * self.progress_through();
            let wd = if self.rng.chance(on_time) {
                self.rng.range(2, 11)
            } else {
                self.rng.range(11, 40)
            };
            let d = self.working_days_on(wd);
            self.schedule(d, child, Task::RespondToComplaint { complaint });
        }
        for _ in 0..self.rng.poisson(0.25 * self.scale()) {
            let Some(child) = self.random_open_child() else {
                break;
            };
            let Some(iro) = self.someone_in(WorkerRole::Iro) else {
                break;
            };
            let dispute = self.next_rid(child);
            let issue = self
                .rng
                .pick(&[
                    "Drift in the permanence plan",
                    "Visits not on time",
                    "Plan not progressing",
                    "Placement not meeting needs",
                ])
                .to_string();
            self.note(
                child,
                today,
                IroDisputeRaised {
                    dispute,
                    iro,
                    issue,
                    at: today,
                },
            );
            let d = today + Duration::days(self.rng.range(5, 60));
            self.schedule(d, child, Task::ResolveDispute { dispute });
        }
    }

    fn random_open_child(&mut self) -> Option<ChildId> {
        for _ in 0..40 {
            let i = self.rng.range(0, self.known.len() as i64) as usize;
            let child = *self.known.get(i)?;
            let c = &self.children[&child];
            if c.referral.is_some() || c.care.is_some() {
                return Some(child);
            }
        }
        None
    }
}
