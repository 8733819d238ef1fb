//! A small council built by hand, event by event, for tests whose answers are worked out by hand.

#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use domain::calendar::Calendar;
use domain::codes::*;
use domain::events::*;
use domain::{ChildId, Event, EventBody, Model, RecordId, StreamId, TeamId, WorkerId};
use kpi::engine::{self, Figure, Outcome};
use kpi::{Index, Period, Scope};

pub fn d(s: &str) -> NaiveDate {
    s.parse().expect("a date like 2024-03-01")
}

/// A date and time: "2024-03-01 09:30".
pub fn dt(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("a time like 2024-03-01 09:30")
}

pub fn r(n: u32) -> RecordId {
    RecordId(n)
}

/// Teams: 1 front door, 2 assessment, 3 family safeguarding, 4 children in care, 5 care leavers.
pub const FRONT_DOOR: TeamId = TeamId(1);
pub const ASSESSMENT: TeamId = TeamId(2);
pub const SAFEGUARDING: TeamId = TeamId(3);
pub const IN_CARE: TeamId = TeamId(4);
pub const LEAVERS: TeamId = TeamId(5);
/// Workers 1 to 5 are social workers, one in each team, all full time and permanent.
pub fn sw(team: TeamId) -> WorkerId {
    WorkerId(team.0)
}

pub struct History {
    pub model: Model,
}

impl History {
    /// The council (LA 332) with 20,000 children every year, five teams and a social worker in each.
    pub fn new() -> Self {
        let mut h = History {
            model: Model::new(),
        };
        h.council(CouncilDescribed {
            name: "Testshire".into(),
            la_code: "332".into(),
            at: d("2015-01-01"),
        });
        for mid_year in 2015..=2030 {
            h.council(PopulationEstimated {
                mid_year,
                aged_0_to_17: 20_000,
            });
        }
        let teams = [
            (FRONT_DOOR, Service::FrontDoor),
            (ASSESSMENT, Service::Assessment),
            (SAFEGUARDING, Service::FamilySafeguarding),
            (IN_CARE, Service::ChildrenInCare),
            (LEAVERS, Service::CareLeavers),
        ];
        for (team, service) in teams {
            h.apply(
                StreamId::Team(team),
                TeamEstablished {
                    team,
                    name: format!("{} team", service.label()),
                    service,
                    area: None,
                    at: d("2015-01-01"),
                },
            );
            h.worker_joins(
                sw(team),
                team,
                WorkerRole::SocialWorker,
                Employment::Permanent,
                1.0,
                "2015-01-05",
            );
        }
        h
    }

    pub fn apply(&mut self, stream: StreamId, body: impl Into<EventBody>) {
        let e = Event {
            stream,
            version: self.model.version(stream) + 1,
            recorded_at: DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap(),
            actor: "test".into(),
            body: body.into(),
        };
        if let Err(err) = self.model.apply(&e) {
            panic!("{e:?} was refused: {err}");
        }
    }

    pub fn council(&mut self, body: impl Into<EventBody>) {
        self.apply(StreamId::Council, body);
    }

    pub fn worker(&mut self, w: WorkerId, body: impl Into<EventBody>) {
        self.apply(StreamId::Worker(w), body);
    }

    pub fn worker_joins(
        &mut self,
        w: WorkerId,
        team: TeamId,
        role: WorkerRole,
        employment: Employment,
        fte: f32,
        at: &str,
    ) {
        self.worker(
            w,
            WorkerJoined {
                registration: None,
                worker: w,
                name: format!("Worker {}", w.0),
                role,
                team,
                employment,
                fte,
                at: d(at),
            },
        );
    }

    /// Registers child `id`, born on `dob` (female, White British, no disability).
    pub fn child(&mut self, id: u64, dob: &str) -> ChildId {
        let c = ChildId(id);
        self.on(
            c,
            ChildRegistered {
                details: ChildDetails {
                    la_child_id: format!("C{id}"),
                    given_name: format!("Child{id}"),
                    family_name: "Test".into(),
                    upn: None,
                    former_upn: None,
                    nhs_number: None,
                    date_of_birth: Some(d(dob)),
                    expected_date_of_birth: None,
                    sex: Sex::Female,
                    ethnicity: Code::from("WBRI"),
                    disabilities: Vec::new(),
                    uasc: false,
                    area: Some("Northtown".into()),
                    postcode_district: None,
                    family: None,
                    ..Default::default()
                },
                at: d("2015-01-01"),
            },
        );
        c
    }

    pub fn on(&mut self, c: ChildId, body: impl Into<EventBody>) {
        self.apply(StreamId::Child(c), body);
    }

    // ---- Shorthands for the commonest records --------------------------------------------

    pub fn contact(
        &mut self,
        c: ChildId,
        id: u32,
        received: &str,
        decided: Option<(&str, ContactDecision)>,
    ) {
        self.on(
            c,
            ContactReceived {
                contact: r(id),
                at: dt(received),
                source: Code::from("1A"),
                concerns: String::new(),
                rag: None,
                consent: None,
            },
        );
        if let Some((at, decision)) = decided {
            self.on(
                c,
                ContactDecided {
                    contact: r(id),
                    decision,
                    at: dt(at),
                },
            );
        }
    }

    pub fn referral(&mut self, c: ChildId, id: u32, at: &str) {
        self.on(
            c,
            ReferralReceived {
                referral: r(id),
                at: d(at),
                source: Code::from("1A"),
                primary_need: Some(PrimaryNeed::N1),
                from_contact: None,
            },
        );
    }

    pub fn allocate(&mut self, c: ChildId, team: TeamId, at: &str) {
        self.on(
            c,
            ChildAllocated {
                reason: None,
                worker: sw(team),
                team,
                at: d(at),
            },
        );
    }

    // ---- Reading measures -----------------------------------------------------------------

    /// A measure's outcome for the council, with clocks read on `today`.
    pub fn outcome(&self, id: &str, period: &str, today: &str) -> Outcome {
        self.outcome_for(id, period, Scope::Council, today)
    }

    pub fn outcome_for(&self, id: &str, period: &str, scope: Scope, today: &str) -> Outcome {
        let m = engine::find_measure(id).unwrap();
        let period: Period = period.parse().unwrap();
        let cal = Calendar::england_and_wales();
        let ix = Index::new(&self.model);
        let tally = engine::evaluate(&self.model, cal, &ix, m, period, d(today));
        engine::outcome(&self.model, m, period, scope, tally)
    }

    pub fn figure(&self, id: &str, period: &str, today: &str) -> Figure {
        self.outcome(id, period, today).figure
    }
}

/// A child's or worker's number.
pub fn subject_number(s: kpi::Subject) -> u64 {
    match s {
        kpi::Subject::Child(c) => c.0,
        kpi::Subject::Worker(w) => u64::from(w.0),
    }
}

/// Each item's child (or worker) and whether it counted in the numerator.
pub fn met_subjects(o: &Outcome) -> Vec<(u64, bool)> {
    o.items
        .iter()
        .map(|i| (subject_number(i.subject), i.num > 0.0))
        .collect()
}

/// Each item's child, record and whether it counted in the numerator.
pub fn met_records(o: &Outcome) -> Vec<(u64, u32, bool)> {
    o.items
        .iter()
        .map(|i| {
            (
                subject_number(i.subject),
                i.record.map_or(0, |r| r.0),
                i.num > 0.0,
            )
        })
        .collect()
}

/// Numerator, denominator and value as one tuple, for short assertions.
pub fn ndv(f: &Figure) -> (Option<f64>, Option<f64>, Option<f64>) {
    (f.numerator, f.denominator, f.value)
}

/// A synthetic council of `years` of history up to `end`.
pub fn council(seed: u64, years: u32, end: NaiveDate) -> Model {
    let options = synth::Options {
        seed,
        years,
        end,
        scale: 1,
    };
    let mut model = Model::new();
    synth::generate(
        &options,
        Calendar::england_and_wales(),
        |e| model.apply(&e).expect("folds"),
        |_, _| {},
    );
    model
}
