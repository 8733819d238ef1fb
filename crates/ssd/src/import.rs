//! An extract made into Hearth's records: teams and staff from `ssd_department` and
//! `ssd_professionals`, and each person's history, in the order it happened, from the tables
//! that carry it. Every event is checked against the case model as the record would stand, and
//! every fault is given by file, row and field; then either all is to be written, or nothing.
//!
//! So far an import brings people, contacts, early help, referrals and their closure,
//! assessments with their factors, and allocations. A person Hearth already holds is refused:
//! taking a later extract over an earlier one is a separate step.

use crate::read::{Extract, Problem, Row};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use domain::codes::{AssessmentKind, Employment, PrimaryNeed, Service, Sex, WorkerRole};
use domain::events::*;
use domain::model::Model;
use domain::{ChildId, Event, EventBody, RecordId, StreamId, TeamId, WorkerId};
use std::collections::{BTreeMap, HashMap};

/// The tables an import takes into records; any other table an extract holds is read and
/// checked, but left alone.
pub const TAKEN: &[&str] = &[
    "ssd_person",
    "ssd_family",
    "ssd_disability",
    "ssd_department",
    "ssd_professionals",
    "ssd_involvements",
    "ssd_contacts",
    "ssd_early_help_episodes",
    "ssd_cin_episodes",
    "ssd_cin_assessments",
    "ssd_assessment_factors",
];

/// What an import will write: the events, in the order to append them.
#[derive(Debug)]
pub struct Imported {
    pub events: Vec<Event>,
    pub teams: usize,
    pub workers: usize,
    pub children: usize,
}

/// One event of a person's history, with when it happened and where it came from.
struct Step {
    at: NaiveDateTime,
    /// Orders events on the same day: what opens a record before what uses or ends it.
    rank: u8,
    body: EventBody,
    file: String,
    row: usize,
}

struct Person {
    id: String,
    file: String,
    row: usize,
    details: ChildDetails,
    steps: Vec<Step>,
    /// Each of the person's records by (table, key), with its number in their record.
    records: HashMap<(&'static str, String), RecordId>,
    next: u32,
}

impl Person {
    fn record(&mut self, table: &'static str, key: &str) -> RecordId {
        let next = &mut self.next;
        *self
            .records
            .entry((table, key.to_string()))
            .or_insert_with(|| {
                *next += 1;
                RecordId(*next)
            })
    }

    fn push(&mut self, at: NaiveDateTime, rank: u8, body: impl Into<EventBody>, row: &Row) {
        self.steps.push(Step {
            at,
            rank,
            body: body.into(),
            file: row.file().to_string(),
            row: row.number,
        });
    }
}

fn noon(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).expect("midnight")
}

fn sex(code: Option<&str>) -> Sex {
    match code.map(|c| c.to_ascii_uppercase()).as_deref() {
        Some("M" | "1") => Sex::Male,
        Some("F" | "2") => Sex::Female,
        _ => Sex::Unknown,
    }
}

/// A worker's role from their job title: Hearth's own labels, or the usual words for them.
fn role(title: Option<&str>) -> WorkerRole {
    let Some(title) = title else {
        return WorkerRole::SocialWorker;
    };
    if let Some(r) = WorkerRole::ALL
        .iter()
        .find(|r| r.label().eq_ignore_ascii_case(title))
    {
        return *r;
    }
    let t = title.to_ascii_lowercase();
    if t.contains("team manager") {
        WorkerRole::TeamManager
    } else if t.contains("service manager") {
        WorkerRole::ServiceManager
    } else if t.contains("senior") {
        WorkerRole::SeniorPractitioner
    } else if t.contains("advanced") {
        WorkerRole::AdvancedPractitioner
    } else if t.contains("reviewing officer") || t.contains("iro") {
        WorkerRole::Iro
    } else if t.contains("personal advis") {
        WorkerRole::PersonalAdviser
    } else if t.contains("support") {
        WorkerRole::FamilySupportWorker
    } else {
        WorkerRole::SocialWorker
    }
}

/// Collects every problem of a row's reading instead of stopping at the first.
struct Faults(Vec<Problem>);

impl Faults {
    fn take<T>(&mut self, r: Result<T, Problem>) -> Option<T> {
        r.map_err(|p| self.0.push(p)).ok()
    }
}

/// The extract as events on top of `model`, or every problem that stops it.
pub fn import(
    model: &Model,
    extract: &Extract,
    actor: &str,
    recorded_at: DateTime<Utc>,
) -> Result<Imported, Vec<Problem>> {
    let mut faults = Faults(Vec::new());
    // Teams and staff are dated from the extract's first day, so that every record after
    // can name them.
    let first_day =
        earliest(extract).unwrap_or_else(|| NaiveDate::from_ymd_opt(2000, 1, 1).unwrap());
    let mut staff_events: Vec<Event> = Vec::new();
    let event = |stream, version, body: EventBody| Event {
        stream,
        version,
        recorded_at,
        actor: actor.to_string(),
        body,
    };
    // Teams by the extract's id.
    let mut teams: HashMap<String, TeamId> = HashMap::new();
    let mut team_names: HashMap<String, TeamId> = HashMap::new();
    let mut next_team = model.teams.keys().map(|t| t.0).max().unwrap_or(0);
    if let Some(rows) = extract.table("ssd_department") {
        for row in rows.iter() {
            let Some(id) = faults.take(row.required("dept_team_id")) else {
                continue;
            };
            next_team += 1;
            let team = TeamId(next_team);
            let name = row.get("dept_team_name").unwrap_or(id).to_string();
            let service = row
                .get("dept_team_parent_id")
                .and_then(Service::from_code)
                .unwrap_or(Service::Assessment);
            teams.insert(id.to_string(), team);
            team_names.insert(name.to_ascii_lowercase(), team);
            staff_events.push(event(
                StreamId::Team(team),
                1,
                TeamEstablished {
                    team,
                    name,
                    service,
                    area: None,
                    at: first_day,
                }
                .into(),
            ));
        }
    }
    // Staff whose team the extract does not say join one team made for them.
    let mut unteamed: Option<TeamId> = None;
    let mut workers: HashMap<String, (WorkerId, TeamId)> = HashMap::new();
    let mut next_worker = model.workers.keys().map(|w| w.0).max().unwrap_or(0);
    if let Some(rows) = extract.table("ssd_professionals") {
        for row in rows.iter() {
            let Some(id) = faults.take(row.required("prof_professional_id")) else {
                continue;
            };
            let team = row
                .get("prof_professional_department")
                .and_then(|d| teams.get(d).or(team_names.get(&d.to_ascii_lowercase())))
                .copied()
                .unwrap_or_else(|| {
                    *unteamed.get_or_insert_with(|| {
                        next_team += 1;
                        let team = TeamId(next_team);
                        staff_events.push(event(
                            StreamId::Team(team),
                            1,
                            TeamEstablished {
                                team,
                                name: "Staff named in the extract without a team".into(),
                                service: Service::Assessment,
                                area: None,
                                at: first_day,
                            }
                            .into(),
                        ));
                        team
                    })
                });
            let fte = match row.get("prof_full_time_equivalency") {
                None => 1.0,
                Some(v) => match v.parse::<f32>() {
                    Ok(f) if (0.1..=1.0).contains(&f) => f,
                    _ => {
                        faults.0.push(Problem::at(
                            row.file(),
                            row.number,
                            "prof_full_time_equivalency",
                            format!("`{v}` is not a full-time equivalent from 0.1 to 1"),
                        ));
                        1.0
                    }
                },
            };
            let agency = faults
                .take(row.flag("prof_agency_worker_flag"))
                .flatten()
                .unwrap_or(false);
            next_worker += 1;
            let worker = WorkerId(next_worker);
            workers.insert(id.to_string(), (worker, team));
            staff_events.push(event(
                StreamId::Worker(worker),
                1,
                WorkerJoined {
                    worker,
                    name: row.get("prof_professional_name").unwrap_or(id).to_string(),
                    role: role(row.get("prof_professional_job_title")),
                    team,
                    employment: if agency {
                        Employment::Agency
                    } else {
                        Employment::Permanent
                    },
                    fte,
                    registration: row
                        .get("prof_social_worker_registration_no")
                        .map(String::from),
                    at: first_day,
                }
                .into(),
            ));
        }
    }

    // People.
    let mut people: BTreeMap<String, Person> = BTreeMap::new();
    if let Some(rows) = extract.table("ssd_person") {
        for row in rows.iter() {
            let Some(id) = faults.take(row.required("pers_person_id")) else {
                continue;
            };
            let dob = faults.take(row.date("pers_dob")).flatten();
            let expected = faults.take(row.date("pers_expected_dob")).flatten();
            let died = faults.take(row.date("pers_death_date")).flatten();
            let mother = faults.take(row.flag("pers_is_mother")).flatten();
            let details = ChildDetails {
                la_child_id: id.to_string(),
                given_name: row.get("pers_forename").unwrap_or_default().to_string(),
                family_name: row.get("pers_surname").unwrap_or_default().to_string(),
                nhs_number: row.get("pers_common_child_id").map(String::from),
                date_of_birth: dob,
                expected_date_of_birth: expected,
                sex: sex(row.get("pers_sex")),
                ethnicity: row.get("pers_ethnicity").unwrap_or("NOBT").into(),
                upn_unknown: row.get("pers_upn_unknown").map(Into::into),
                date_of_death: died,
                mother,
                ..ChildDetails::default()
            };
            people.insert(
                id.to_string(),
                Person {
                    id: id.to_string(),
                    file: row.file().to_string(),
                    row: row.number,
                    details,
                    steps: Vec::new(),
                    records: HashMap::new(),
                    next: 0,
                },
            );
        }
    }
    if let Some(rows) = extract.table("ssd_family") {
        for row in rows.iter() {
            if let (Some(p), Some(f)) = (
                row.get("fami_person_id").and_then(|p| people.get_mut(p)),
                row.get("fami_family_id"),
            ) {
                // Family ids are Hearth's numbers where they are numbers; others are numbered
                // in the order met.
                p.details.family = f.parse().ok().map(domain::FamilyId);
            }
        }
    }
    if let Some(rows) = extract.table("ssd_disability") {
        for row in rows.iter() {
            if let (Some(p), Some(code)) = (
                row.get("disa_person_id").and_then(|p| people.get_mut(p)),
                row.get("disa_disability_code"),
            ) {
                p.details.disabilities.push(code.into());
            }
        }
    }

    macro_rules! each {
        ($table:literal, $person:literal, |$row:ident, $p:ident| $body:block) => {
            if let Some(rows) = extract.table($table) {
                for $row in rows.iter() {
                    let Some($p) = $row.get($person).and_then(|id| people.get_mut(id)) else {
                        // A row for nobody: the reader has already reported an unknown person.
                        continue;
                    };
                    $body
                }
            }
        };
    }

    each!("ssd_contacts", "cont_person_id", |row, p| {
        let Some(key) = faults.take(row.required("cont_contact_id")) else {
            continue;
        };
        let Some(at) = faults.take(row.date_time("cont_contact_date")).flatten() else {
            faults.0.push(Problem::at(
                row.file(),
                row.number,
                "cont_contact_date",
                "is blank, and it is needed",
            ));
            continue;
        };
        let contact = p.record("ssd_contacts", key);
        p.push(
            at,
            1,
            ContactReceived {
                contact,
                at,
                source: row.get("cont_contact_source_code").unwrap_or("10").into(),
                concerns: String::new(),
                rag: None,
                consent: None,
            },
            &row,
        );
    });
    each!("ssd_early_help_episodes", "earl_person_id", |row, p| {
        let Some(key) = faults.take(row.required("earl_episode_id")) else {
            continue;
        };
        let Some(start) = faults.take(row.date("earl_episode_start_date")).flatten() else {
            faults.0.push(Problem::at(
                row.file(),
                row.number,
                "earl_episode_start_date",
                "is blank, and it is needed",
            ));
            continue;
        };
        let episode = p.record("ssd_early_help_episodes", key);
        p.push(
            noon(start),
            2,
            EarlyHelpStarted {
                episode,
                at: start,
                lead_professional: row.get("earl_episode_organisation").map(String::from),
            },
            &row,
        );
        if let Some(end) = faults.take(row.date("earl_episode_end_date")).flatten() {
            p.push(
                noon(end),
                8,
                EarlyHelpEnded {
                    episode,
                    at: end,
                    reason: row
                        .get("earl_episode_end_reason")
                        .unwrap_or_default()
                        .to_string(),
                },
                &row,
            );
        }
    });
    each!("ssd_cin_episodes", "cine_person_id", |row, p| {
        let Some(key) = faults.take(row.required("cine_referral_id")) else {
            continue;
        };
        let Some(date) = faults.take(row.date("cine_referral_date")).flatten() else {
            faults.0.push(Problem::at(
                row.file(),
                row.number,
                "cine_referral_date",
                "is blank, and it is needed",
            ));
            continue;
        };
        let need = match row.get("cine_cin_primary_need_code") {
            None => None,
            Some(code) => {
                let found = PrimaryNeed::from_code(&code.to_ascii_uppercase());
                if found.is_none() {
                    faults.0.push(Problem::at(
                        row.file(),
                        row.number,
                        "cine_cin_primary_need_code",
                        format!("`{code}` is not a primary need code (N0 to N9)"),
                    ));
                }
                found
            }
        };
        let referral = p.record("ssd_cin_episodes", key);
        p.push(
            noon(date),
            3,
            ReferralReceived {
                referral,
                at: date,
                source: row.get("cine_referral_source_code").unwrap_or("10").into(),
                primary_need: need,
                from_contact: None,
            },
            &row,
        );
        if let Some(closed) = faults.take(row.date("cine_close_date")).flatten() {
            let nfa = faults
                .take(row.flag("cine_referral_nfa"))
                .flatten()
                .unwrap_or(false);
            p.push(
                noon(closed),
                9,
                CaseClosed {
                    referral,
                    referral_nfa: nfa,
                    reason: row.get("cine_close_reason").unwrap_or("RC8").into(),
                    at: closed,
                },
                &row,
            );
        }
    });
    // Assessment factors by assessment, for the assessment's authorisation.
    let mut factors: HashMap<&str, Vec<domain::codes::Code>> = HashMap::new();
    if let Some(rows) = extract.table("ssd_assessment_factors") {
        for row in rows.iter() {
            let (Some(a), Some(json)) = (
                row.get("cinf_assessment_id"),
                row.get("cinf_assessment_factors_json"),
            ) else {
                continue;
            };
            match parse_factors(json) {
                Some(codes) => factors.entry(a).or_default().extend(codes),
                None => faults.0.push(Problem::at(
                    row.file(),
                    row.number,
                    "cinf_assessment_factors_json",
                    "is not a list of factor codes like [\"1A\", \"2B\"] nor {\"1A\": \"Yes\"}",
                )),
            }
        }
    }
    each!("ssd_cin_assessments", "cina_person_id", |row, p| {
        let Some(key) = faults.take(row.required("cina_assessment_id")) else {
            continue;
        };
        let Some(start) = faults
            .take(row.date("cina_assessment_start_date"))
            .flatten()
        else {
            faults.0.push(Problem::at(
                row.file(),
                row.number,
                "cina_assessment_start_date",
                "is blank, and it is needed",
            ));
            continue;
        };
        let Some(referral_key) = row.get("cina_referral_id") else {
            faults.0.push(Problem::at(
                row.file(),
                row.number,
                "cina_referral_id",
                "is blank: an assessment belongs to a referral",
            ));
            continue;
        };
        let referral = p.record("ssd_cin_episodes", referral_key);
        let assessment = p.record("ssd_cin_assessments", key);
        p.push(
            noon(start),
            4,
            AssessmentStarted {
                assessment,
                referral,
                kind: AssessmentKind::New,
                at: start,
            },
            &row,
        );
        if let Some(done) = faults.take(row.date("cina_assessment_auth_date")).flatten() {
            p.push(
                noon(done),
                6,
                AssessmentAuthorised {
                    assessment,
                    internal_review: None,
                    at: done,
                    factors: factors.get(key).cloned().unwrap_or_default(),
                },
                &row,
            );
        }
    });
    each!("ssd_involvements", "invo_person_id", |row, p| {
        let Some(worker) = row.get("invo_professional_id") else {
            continue;
        };
        let Some(&(worker, worker_team)) = workers.get(worker) else {
            faults.0.push(Problem::at(
                row.file(),
                row.number,
                "invo_professional_id",
                format!("`{worker}` is in no row of ssd_professionals.csv"),
            ));
            continue;
        };
        let Some(from) = faults
            .take(row.date("invo_involvement_start_date"))
            .flatten()
        else {
            faults.0.push(Problem::at(
                row.file(),
                row.number,
                "invo_involvement_start_date",
                "is blank, and it is needed",
            ));
            continue;
        };
        let team = row
            .get("invo_professional_team")
            .and_then(|t| teams.get(t))
            .copied()
            .unwrap_or(worker_team);
        p.push(
            noon(from),
            5,
            ChildAllocated {
                worker,
                team,
                reason: row.get("invo_worker_change_reason").map(Into::into),
                at: from,
            },
            &row,
        );
        if let Some(to) = faults.take(row.date("invo_involvement_end_date")).flatten() {
            p.push(noon(to), 7, AllocationEnded { at: to }, &row);
        }
    });
    if !faults.0.is_empty() {
        return Err(faults.0);
    }

    // Staff first, on a copy of the model the children's events are checked against.
    let mut checked = model.clone();
    for e in &staff_events {
        if let Err(err) = checked.apply(e) {
            faults.0.push(Problem {
                file: "ssd_professionals.csv".into(),
                row: None,
                field: None,
                message: err.to_string(),
            });
        }
    }
    let mut events = staff_events;
    let held: HashMap<&str, ChildId> = model
        .children
        .values()
        .map(|c| (c.details.la_child_id.as_str(), c.id()))
        .collect();
    let mut next_child = model.children.keys().map(|c| c.0).max().unwrap_or(0);
    let children = people.len();
    for (_, mut person) in people {
        if let Some(id) = held.get(person.id.as_str()) {
            faults.0.push(Problem::at(
                &person.file,
                person.row,
                "pers_person_id",
                format!(
                    "`{}` is already in Hearth ({id}); taking a later extract over an earlier one is not yet possible",
                    person.id
                ),
            ));
            continue;
        }
        next_child += 1;
        let stream = StreamId::Child(ChildId(next_child));
        // An allocation that ends the day another begins is replaced by it, not ended.
        let starts: Vec<(NaiveDateTime, usize)> = person
            .steps
            .iter()
            .filter(|s| matches!(s.body, EventBody::ChildAllocated(_)))
            .map(|s| (s.at, s.row))
            .collect();
        person.steps.retain(|s| {
            !matches!(s.body, EventBody::AllocationEnded(_))
                || !starts.iter().any(|(at, row)| *at == s.at && *row != s.row)
        });
        // Each record's number in the order it was first named, kept; events in date order.
        person.steps.sort_by_key(|s| (s.at, s.rank));
        let registered = person
            .steps
            .first()
            .map(|s| s.at.date())
            .or(person.details.date_of_birth)
            .unwrap_or(first_day);
        let mut child = None;
        let mut mine = Vec::with_capacity(person.steps.len() + 1);
        let first = Step {
            at: noon(registered),
            rank: 0,
            body: ChildRegistered {
                details: person.details.clone(),
                at: registered,
            }
            .into(),
            file: person.file.clone(),
            row: person.row,
        };
        let mut failed = false;
        for (i, step) in std::iter::once(first).chain(person.steps).enumerate() {
            let event = Event {
                stream,
                version: i as u32 + 1,
                recorded_at,
                actor: actor.to_string(),
                body: step.body,
            };
            match checked.check_on(child.take(), &event) {
                Ok(c) => child = Some(c),
                Err(e) => {
                    faults.0.push(Problem::at(
                        &step.file,
                        step.row,
                        event.body.kind(),
                        format!("person {}: {e}", person.id),
                    ));
                    failed = true;
                    break;
                }
            }
            mine.push(event);
        }
        if !failed {
            events.extend(mine);
        }
    }
    if faults.0.is_empty() {
        Ok(Imported {
            events,
            teams: teams.len() + usize::from(unteamed.is_some()),
            workers: workers.len(),
            children,
        })
    } else {
        Err(faults.0)
    }
}

/// The extract's first date, from the tables a history starts in.
fn earliest(extract: &Extract) -> Option<NaiveDate> {
    [
        ("ssd_contacts", "cont_contact_date"),
        ("ssd_cin_episodes", "cine_referral_date"),
        ("ssd_early_help_episodes", "earl_episode_start_date"),
        ("ssd_involvements", "invo_involvement_start_date"),
    ]
    .iter()
    .filter_map(|(t, f)| extract.table(t).map(|rows| (rows, *f)))
    .flat_map(|(rows, f)| rows.iter().filter_map(move |r| r.date(f).ok().flatten()))
    .min()
}

/// Assessment factors in either of the dataset's forms: a list of codes, or codes with Yes.
fn parse_factors(json: &str) -> Option<Vec<domain::codes::Code>> {
    match serde_json::from_str::<serde_json::Value>(json).ok()? {
        serde_json::Value::Array(a) => a.iter().map(|v| v.as_str().map(Into::into)).collect(),
        serde_json::Value::Object(o) => Some(
            o.iter()
                .filter(|(_, v)| {
                    v.as_str()
                        .is_some_and(|s| matches!(s.to_ascii_lowercase().as_str(), "yes" | "y"))
                })
                .map(|(k, _)| k.as_str().into())
                .collect(),
        ),
        _ => None,
    }
}
