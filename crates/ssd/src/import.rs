//! An extract made into Hearth's records: teams and staff from `ssd_department` and
//! `ssd_professionals`, and each person's history, in the order it happened, from the tables
//! that carry it. Every event is checked against the case model as the record would stand, and
//! every fault is given by file, row and field; then either all is to be written, or nothing.
//!
//! A later extract is taken over an earlier one by the rows each record was made from: a record
//! whose rows are all as before is left alone; one that only gains rows gains their events; one
//! whose rows changed or went is withdrawn and rebuilt from the new rows; a person left out has
//! their records withdrawn.

use crate::read::{Extract, Problem, Row};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use domain::codes::{
    AbuseCategory, AssessmentKind, CareLeaverActivity, ConferenceKind, ContactDecision, Employment,
    Fact, MissingKind, PermanencePlan, PermanenceStep, PreProceedingsOutcome, PrimaryNeed, Rag,
    S47Outcome, Service, Sex, VisitKind, WorkerRole,
};
use domain::events::*;
use domain::model::{Child, Model};
use domain::{ChildId, Event, EventBody, RecordId, StreamId, TeamId, WorkerId};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The tables an import takes into records: every table Hearth writes. Any other table an
/// extract holds is read and checked, but left alone.
pub const TAKEN: &[&str] = crate::export::WRITTEN;

/// What an import will write: the events, in the order to append them.
#[derive(Debug)]
pub struct Imported {
    pub events: Vec<Event>,
    /// New teams and staff.
    pub teams: usize,
    pub workers: usize,
    /// People new to Hearth.
    pub children: usize,
    /// People Hearth holds from an earlier extract whose rows this one adds to, changes or
    /// drops some of.
    pub changed: usize,
    /// People an earlier extract brought that this one leaves out: their records withdrawn.
    pub withdrawn: usize,
    /// People Hearth holds from an earlier extract whose rows are all the same.
    pub unchanged: usize,
    /// Staff an earlier extract named whose team, role, contract, hours or registration this
    /// one changes, and those it leaves out (who have left).
    pub staff_changed: usize,
    pub staff_left: usize,
    /// Each table's rows, by what this extract does with them.
    pub by_table: BTreeMap<String, Tally>,
}

impl Imported {
    /// Who the import brings, changes and leaves alone, in a line.
    pub fn whom(&self) -> String {
        if self.events.is_empty() {
            return format!(
                "Nothing has changed since the last extract: {} people, all as before.",
                self.unchanged
            );
        }
        let mut staff = format!("{} new workers in {} new teams", self.workers, self.teams);
        if self.staff_changed > 0 {
            staff += &format!(", {} workers changed", self.staff_changed);
        }
        if self.staff_left > 0 {
            staff += &format!(", {} left", self.staff_left);
        }
        format!(
            "{} new people, {} changed, {} withdrawn and {} as before; {staff}",
            self.children, self.changed, self.withdrawn, self.unchanged
        )
    }

    /// Each table of the extract, with its rows by what the import does with them.
    pub fn tables(&self, extract: &Extract) -> Vec<String> {
        let mut out = Vec::new();
        for (table, rows) in &extract.tables {
            let line = if !TAKEN.contains(table) {
                format!(
                    "{} rows (read and checked; Hearth does not yet take this table into records)",
                    rows.len()
                )
            } else {
                let t = self.by_table.get(*table).copied().unwrap_or_default();
                let mut line = format!("{} rows: {} new", rows.len(), t.new);
                if t.changed > 0 {
                    line += &format!(", {} changed", t.changed);
                }
                if t.gone > 0 {
                    line += &format!(", {} gone", t.gone);
                }
                line + &format!(", {} as before", t.same)
            };
            out.push(format!("{table}: {line}"));
        }
        // Tables an earlier extract had and this one has none of.
        for (table, t) in &self.by_table {
            if !extract.tables.contains_key(table.as_str()) && t.gone > 0 {
                out.push(format!(
                    "{table}: not in this extract, {} rows gone",
                    t.gone
                ));
            }
        }
        out
    }
}

/// A table's rows in an extract against the one before.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub new: usize,
    pub changed: usize,
    pub gone: usize,
    pub same: usize,
}

/// One event of a person's history, with when it happened and the row it came from.
struct Step<'a> {
    at: NaiveDateTime,
    /// Orders events on the same day: what opens a record before what uses or ends it.
    rank: u8,
    body: EventBody,
    file: &'a str,
    row: usize,
    table: &'static str,
    key: Option<&'a str>,
}

struct Person<'a> {
    id: String,
    file: &'a str,
    row: usize,
    details: ChildDetails,
    steps: Vec<Step<'a>>,
    /// Each of the person's records by (table, key), with its number in their record.
    records: HashMap<(&'static str, String), RecordId>,
    /// The records this extract's rows name: an earlier extract's others are gone.
    named: HashSet<RecordId>,
    next: u32,
    /// The extract's rows about the person (table, key and fingerprint), for telling a later
    /// extract's changes.
    rows: Vec<(&'static str, &'a str, u64)>,
}

impl<'a> Person<'a> {
    fn record(&mut self, table: &'static str, key: &str) -> RecordId {
        let next = &mut self.next;
        let id = *self
            .records
            .entry((table, key.to_string()))
            .or_insert_with(|| {
                *next += 1;
                RecordId(*next)
            });
        self.named.insert(id);
        id
    }

    fn push(&mut self, at: NaiveDateTime, rank: u8, body: impl Into<EventBody>, row: &Row<'a>) {
        self.steps.push(Step {
            at,
            rank,
            body: body.into(),
            file: row.file(),
            row: row.number,
            table: row.table(),
            key: row.key(),
        });
    }

    /// The person's rows, to keep with the record.
    fn source_rows(&self) -> Vec<SourceRow> {
        self.rows
            .iter()
            .map(|(table, key, hash)| SourceRow {
                table: table.to_string(),
                key: key.to_string(),
                hash: *hash,
            })
            .collect()
    }

    /// Whether the rows are those an earlier extract made the record from (both sorted).
    fn rows_are(&self, earlier: &[SourceRow]) -> bool {
        earlier.len() == self.rows.len()
            && earlier
                .iter()
                .zip(&self.rows)
                .all(|(a, (table, key, hash))| {
                    a.table == *table && a.key == *key && a.hash == *hash
                })
    }

    /// The source's keys for the person's records, to keep with the record.
    fn source_records(&self) -> Vec<SourceRecord> {
        let mut out: Vec<SourceRecord> = self
            .records
            .iter()
            .filter(|(_, record)| self.named.contains(record))
            .map(|((table, key), record)| SourceRecord {
                table: table.to_string(),
                key: key.clone(),
                record: *record,
            })
            .collect();
        out.sort();
        out
    }
}

/// The order of events on the same day: what opens a record before what happens under it,
/// and what ends it after.
mod rank {
    pub const OPENS: u8 = 1;
    pub const REFERRAL: u8 = 2;
    pub const STARTS: u8 = 3;
    pub const ALLOCATES: u8 = 4;
    pub const DECIDES: u8 = 5;
    pub const CONFERENCE: u8 = 6;
    pub const PLAN: u8 = 7;
    pub const CHANGES: u8 = 8;
    pub const DURING: u8 = 9;
    pub const ENDS: u8 = 10;
    pub const CLOSES: u8 = 11;
}

fn day_start(d: NaiveDate) -> NaiveDateTime {
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

/// Each row of a table with the person it names, passing over rows for no one being built: an
/// unknown person the reader has already reported, or someone whose rows are all as before.
macro_rules! each {
    ($extract:expr, $people:expr, $table:literal, $person:literal, |$row:ident, $p:ident| $body:block) => {
        if let Some(rows) = $extract.table($table) {
            for $row in rows.iter() {
                let Some($p) = $row.get($person).and_then(|id| $people.get_mut(id)) else {
                    continue;
                };
                $body
            }
        }
    };
}

/// The teams and staff an extract names, as they now stand, and the events that make them so.
struct Staff {
    events: Vec<Event>,
    /// By the extract's keys.
    teams: HashMap<String, TeamId>,
    workers: HashMap<String, (WorkerId, TeamId)>,
    new_teams: Vec<(String, TeamId)>,
    new_workers: Vec<(String, WorkerId)>,
    /// The team made for staff the extract names without one.
    unteamed: Option<TeamId>,
    /// Staff an earlier extract named whose terms changed, and who are left out.
    changed: usize,
    left: usize,
}

/// Teams from `ssd_department` and staff from `ssd_professionals`: new ones join from the
/// extract's first day; those an earlier extract named are the same, changed from `on` where
/// the extract now says otherwise, and have left where it leaves them out.
fn staff(
    model: &Model,
    extract: &Extract,
    first_day: NaiveDate,
    on: NaiveDate,
    event: &impl Fn(StreamId, u32, EventBody) -> Event,
    faults: &mut Faults,
    by_table: &mut BTreeMap<String, Tally>,
) -> Staff {
    let mut staff_events: Vec<Event> = Vec::new();
    // Teams by the extract's id.
    let mut teams: HashMap<String, TeamId> = HashMap::new();
    let mut new_teams: Vec<(String, TeamId)> = Vec::new();
    let mut new_workers: Vec<(String, WorkerId)> = Vec::new();
    let mut team_names: HashMap<String, TeamId> = HashMap::new();
    let mut next_team = model.teams.keys().map(|t| t.0).max().unwrap_or(0);
    if let Some(rows) = extract.table("ssd_department") {
        for row in rows.iter() {
            let Some(id) = faults.take(row.required("dept_team_id")) else {
                continue;
            };
            let name = row.get("dept_team_name").unwrap_or(id).to_string();
            // A team an earlier extract named is the same team.
            if let Some(&team) = model.council.source_teams.get(id) {
                teams.insert(id.to_string(), team);
                team_names.insert(name.to_ascii_lowercase(), team);
                by_table.entry(row.table().into()).or_default().same += 1;
                continue;
            }
            by_table.entry(row.table().into()).or_default().new += 1;
            next_team += 1;
            let team = TeamId(next_team);
            new_teams.push((id.to_string(), team));
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
    let mut known: HashSet<WorkerId> = HashSet::new();
    let mut staff_changed = 0;
    let mut staff_left = 0;
    if let Some(rows) = extract.table("ssd_professionals") {
        for row in rows.iter() {
            let Some(id) = faults.take(row.required("prof_professional_id")) else {
                continue;
            };
            let department = row
                .get("prof_professional_department")
                .and_then(|d| teams.get(d).or(team_names.get(&d.to_ascii_lowercase())))
                .copied();
            let fte = match row.get("prof_full_time_equivalency") {
                None => None,
                Some(v) => match v.parse::<f32>() {
                    Ok(f) if (0.1..=1.0).contains(&f) => Some(f),
                    _ => {
                        faults.0.push(Problem::at(
                            row.file(),
                            row.number,
                            "prof_full_time_equivalency",
                            format!("`{v}` is not a full-time equivalent from 0.1 to 1"),
                        ));
                        None
                    }
                },
            };
            let employment = faults
                .take(row.flag("prof_agency_worker_flag"))
                .flatten()
                .map(|agency| {
                    if agency {
                        Employment::Agency
                    } else {
                        Employment::Permanent
                    }
                });
            let title = row.get("prof_professional_job_title");
            let registration = row
                .get("prof_social_worker_registration_no")
                .map(String::from);
            // Staff an earlier extract named are the same staff; what the extract now says
            // of their team, role, contract, hours or registration is a change from today.
            if let Some((worker, w)) = model
                .council
                .source_workers
                .get(id)
                .and_then(|w| Some((*w, model.workers.get(w)?)))
            {
                known.insert(worker);
                let now = w.current();
                let team = department.unwrap_or(now.team);
                workers.insert(id.to_string(), (worker, team));
                let role = title.map(|t| role(Some(t)));
                let change = WorkerChanged {
                    worker,
                    team: (team != now.team).then_some(team),
                    role: role.filter(|r| *r != now.role),
                    employment: employment.filter(|e| *e != now.employment),
                    fte: fte.filter(|f| (f - now.fte).abs() > 0.001),
                    registration: registration.filter(|r| w.registration.as_ref() != Some(r)),
                    at: on,
                };
                let tally = by_table.entry(row.table().into()).or_default();
                if change.team.is_some()
                    || change.role.is_some()
                    || change.employment.is_some()
                    || change.fte.is_some()
                    || change.registration.is_some()
                {
                    tally.changed += 1;
                    staff_changed += 1;
                    let stream = StreamId::Worker(worker);
                    staff_events.push(event(stream, model.version(stream) + 1, change.into()));
                } else {
                    tally.same += 1;
                }
                continue;
            }
            by_table.entry(row.table().into()).or_default().new += 1;
            let team = department.unwrap_or_else(|| {
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
            next_worker += 1;
            let worker = WorkerId(next_worker);
            workers.insert(id.to_string(), (worker, team));
            new_workers.push((id.to_string(), worker));
            staff_events.push(event(
                StreamId::Worker(worker),
                1,
                WorkerJoined {
                    worker,
                    name: row.get("prof_professional_name").unwrap_or(id).to_string(),
                    role: role(title),
                    team,
                    employment: employment.unwrap_or(Employment::Permanent),
                    fte: fte.unwrap_or(1.0),
                    registration,
                    at: first_day,
                }
                .into(),
            ));
        }
    }

    // Staff an earlier extract named that this one leaves out have left, from today; an
    // extract without the table says nothing of them.
    if let Some(rows) = extract.table("ssd_professionals") {
        for (key, worker) in &model.council.source_workers {
            let Some(w) = model.workers.get(worker) else {
                continue;
            };
            if known.contains(worker) || w.left.is_some() {
                continue;
            }
            by_table.entry(rows.table.name.clone()).or_default().gone += 1;
            staff_left += 1;
            let stream = StreamId::Worker(*worker);
            staff_events.push(event(
                stream,
                model.version(stream) + 1,
                WorkerLeft {
                    worker: *worker,
                    at: on,
                    reason: Some(format!(
                        "{key} is not in ssd_professionals in the extract of {on}"
                    )),
                }
                .into(),
            ));
        }
    }

    Staff {
        events: staff_events,
        teams,
        workers,
        new_teams,
        new_workers,
        unteamed,
        changed: staff_changed,
        left: staff_left,
    }
}

/// Each person of `ssd_person`, with who they are from the tables that say (family,
/// disability, UPN, mother, immigration status).
fn people<'a>(extract: &'a Extract, faults: &mut Faults) -> BTreeMap<String, Person<'a>> {
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
                    file: row.file(),
                    row: row.number,
                    details,
                    steps: Vec::new(),
                    records: HashMap::new(),
                    named: HashSet::new(),
                    next: 0,
                    rows: Vec::new(),
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

    if let Some(rows) = extract.table("ssd_send") {
        for row in rows.iter() {
            if let (Some(p), Some(upn)) = (
                row.get("send_person_id").and_then(|p| people.get_mut(p)),
                row.get("send_upn"),
            ) {
                p.details.upn = Some(upn.to_string());
            }
        }
    }
    if let Some(rows) = extract.table("ssd_mother") {
        for row in rows.iter() {
            let born = faults.take(row.date("moth_childs_dob")).flatten();
            if let (Some(p), Some(born)) = (
                row.get("moth_person_id").and_then(|p| people.get_mut(p)),
                born,
            ) {
                // The SSDA903 asks for the first child's.
                let first = p.details.first_child_born.get_or_insert(born);
                *first = (*first).min(born);
                p.details.mother.get_or_insert(true);
            }
        }
    }
    if let Some(rows) = extract.table("ssd_immigration_status") {
        for row in rows.iter() {
            let Some(p) = row.get("immi_person_id").and_then(|p| people.get_mut(p)) else {
                continue;
            };
            // Other statuses (settled, refugee) are not a child's details here.
            let status = row.get("immi_immigration_status").unwrap_or_default();
            if status.eq_ignore_ascii_case(crate::export::UASC)
                || status.to_ascii_lowercase().contains("unaccompanied")
            {
                p.details.uasc = true;
                p.details.uasc_ceased = faults
                    .take(row.date("immi_immigration_status_end_date"))
                    .flatten();
            }
        }
    }
    people
}

/// The front door and children in need: contacts, early help, referrals, assessments with
/// their factors, and allocations.
fn front_door_and_need<'a>(
    extract: &'a Extract,
    people: &mut BTreeMap<String, Person<'a>>,
    teams: &HashMap<String, TeamId>,
    workers: &HashMap<String, (WorkerId, TeamId)>,
    faults: &mut Faults,
) {
    each!(
        extract,
        people,
        "ssd_contacts",
        "cont_person_id",
        |row, p| {
            let Some(key) = faults.take(row.required("cont_contact_id")) else {
                continue;
            };
            let Some(at) = needed_time(&row, "cont_contact_date", faults) else {
                continue;
            };
            let contact = p.record("ssd_contacts", key);
            let rag = coded(&row, "hearth_rag", faults, "red, amber or green", |c| {
                Rag::from_code(&c.to_ascii_lowercase())
            });
            p.push(
                at,
                rank::OPENS,
                ContactReceived {
                    contact,
                    at,
                    source: row.get("cont_contact_source_code").unwrap_or("10").into(),
                    concerns: String::new(),
                    rag,
                    consent: None,
                },
                &row,
            );
            // When and how it was decided, where the extract is Hearth's own.
            let decision = coded(
                &row,
                "hearth_decision",
                faults,
                "a decision on a contact",
                ContactDecision::from_code,
            );
            let decided = faults.take(row.date_time("hearth_decided_at")).flatten();
            if let (Some(decision), Some(decided)) = (decision, decided) {
                p.push(
                    decided,
                    rank::DECIDES,
                    ContactDecided {
                        contact,
                        decision,
                        at: decided,
                    },
                    &row,
                );
            }
        }
    );
    each!(
        extract,
        people,
        "ssd_early_help_episodes",
        "earl_person_id",
        |row, p| {
            let Some(key) = faults.take(row.required("earl_episode_id")) else {
                continue;
            };
            let Some(start) = needed(&row, "earl_episode_start_date", faults) else {
                continue;
            };
            let episode = p.record("ssd_early_help_episodes", key);
            p.push(
                day_start(start),
                rank::OPENS,
                EarlyHelpStarted {
                    episode,
                    at: start,
                    lead_professional: row.get("earl_episode_organisation").map(String::from),
                },
                &row,
            );
            if let Some(end) = faults.take(row.date("earl_episode_end_date")).flatten() {
                p.push(
                    day_start(end),
                    rank::ENDS,
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
        }
    );
    each!(
        extract,
        people,
        "ssd_cin_episodes",
        "cine_person_id",
        |row, p| {
            let Some(key) = faults.take(row.required("cine_referral_id")) else {
                continue;
            };
            let Some(date) = needed(&row, "cine_referral_date", faults) else {
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
                day_start(date),
                rank::REFERRAL,
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
                    day_start(closed),
                    rank::CLOSES,
                    CaseClosed {
                        referral,
                        referral_nfa: nfa,
                        reason: row.get("cine_close_reason").unwrap_or("RC8").into(),
                        at: closed,
                    },
                    &row,
                );
            }
        }
    );
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
    each!(
        extract,
        people,
        "ssd_cin_assessments",
        "cina_person_id",
        |row, p| {
            let Some(key) = faults.take(row.required("cina_assessment_id")) else {
                continue;
            };
            let Some(start) = needed(&row, "cina_assessment_start_date", faults) else {
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
                day_start(start),
                rank::STARTS,
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
                    day_start(done),
                    rank::DECIDES,
                    AssessmentAuthorised {
                        assessment,
                        internal_review: None,
                        at: done,
                        factors: factors.get(key).cloned().unwrap_or_default(),
                    },
                    &row,
                );
            }
        }
    );
    each!(
        extract,
        people,
        "ssd_involvements",
        "invo_person_id",
        |row, p| {
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
            let Some(from) = needed(&row, "invo_involvement_start_date", faults) else {
                continue;
            };
            let team = row
                .get("invo_professional_team")
                .and_then(|t| teams.get(t))
                .copied()
                .unwrap_or(worker_team);
            p.push(
                day_start(from),
                rank::ALLOCATES,
                ChildAllocated {
                    worker,
                    team,
                    reason: row.get("invo_worker_change_reason").map(Into::into),
                    at: from,
                },
                &row,
            );
            if let Some(to) = faults.take(row.date("invo_involvement_end_date")).flatten() {
                p.push(day_start(to), rank::ENDS, AllocationEnded { at: to }, &row);
            }
        }
    );
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
    let event = |stream, version, body: EventBody| Event {
        stream,
        version,
        recorded_at,
        actor: actor.to_string(),
        body,
    };
    let on = recorded_at.date_naive();
    let mut by_table: BTreeMap<String, Tally> = BTreeMap::new();
    let staff = staff(
        model,
        extract,
        first_day,
        on,
        &event,
        &mut faults,
        &mut by_table,
    );
    let mut people = people(extract, &mut faults);
    // People an earlier extract brought: those whose rows are all as before need nothing
    // built, and those this extract leaves out have their records withdrawn.
    each_persons_rows(extract, &mut people);
    let held: HashMap<&str, &Child> = model
        .children
        .values()
        .map(|c| (c.details.la_child_id.as_str(), c.as_ref()))
        .collect();
    let mut unchanged = 0;
    // Each table's rows of people all as before, counted without naming the table each time.
    let mut same: HashMap<&'static str, usize> = HashMap::new();
    let dropped: Vec<&Child> = model
        .children
        .values()
        .filter(|c| {
            c.from_source
                && !c.source_rows.is_empty()
                && !people.contains_key(&c.details.la_child_id)
        })
        .map(|c| c.as_ref())
        .collect();
    people.retain(|id, p| {
        p.rows.sort();
        let Some(c) = held.get(id.as_str()) else {
            return true;
        };
        if !c.from_source {
            faults.0.push(Problem::at(
                p.file,
                p.row,
                "pers_person_id",
                format!(
                    "`{id}` is already in Hearth ({}), recorded there rather than from an extract",
                    c.id()
                ),
            ));
            return false;
        }
        if p.rows_are(&c.source_rows) {
            unchanged += 1;
            for (table, _, _) in &p.rows {
                *same.entry(table).or_default() += 1;
            }
            return false;
        }
        // The same rows keep the same record numbers; new ones come after every number
        // the record has used.
        for r in &c.source_records {
            if let Some(t) = crate::catalogue::table(&r.table) {
                p.records.insert((t.name.as_str(), r.key.clone()), r.record);
            }
        }
        p.next = c
            .records
            .iter()
            .map(|(r, _)| r.0)
            .chain(c.source_records.iter().map(|r| r.record.0))
            .chain(c.withdrawn.iter().map(|w| w.record.0))
            .max()
            .unwrap_or(0);
        true
    });

    front_door_and_need(
        extract,
        &mut people,
        &staff.teams,
        &staff.workers,
        &mut faults,
    );
    protection(extract, &mut people, &mut faults);
    looked_after(extract, &mut people, &mut faults);
    if !faults.0.is_empty() {
        return Err(faults.0);
    }

    // Staff first, on a copy of the model the children's events are checked against.
    let mut checked = model.clone();
    for e in &staff.events {
        if let Err(err) = checked.apply(e) {
            faults.0.push(Problem {
                file: "ssd_professionals.csv".into(),
                row: None,
                field: None,
                message: err.to_string(),
            });
        }
    }
    // What the extract does not carry, so that the measures needing it say so.
    let description = Event {
        stream: StreamId::Council,
        version: model.version(StreamId::Council) + 1,
        recorded_at,
        actor: actor.to_string(),
        body: SourceDescribed {
            source: SOURCE.to_string(),
            not_carried: not_carried(extract),
            at: recorded_at.date_naive(),
        }
        .into(),
    };
    let mut events = Vec::new();
    let described = match &description.body {
        EventBody::SourceDescribed(d) => {
            model.council.source.as_deref() == Some(SOURCE)
                && model
                    .council
                    .not_carried
                    .iter()
                    .copied()
                    .eq(d.not_carried.iter().copied())
        }
        _ => false,
    };
    if !described {
        checked
            .apply(&description)
            .expect("a council can always describe its source");
        events.push(description);
    }
    events.extend(staff.events);
    if !staff.new_teams.is_empty() || !staff.new_workers.is_empty() {
        let keys = Event {
            stream: StreamId::Council,
            version: checked.version(StreamId::Council) + 1,
            recorded_at,
            actor: actor.to_string(),
            body: SourceStaffRecorded {
                teams: staff.new_teams.clone(),
                workers: staff.new_workers.clone(),
                at: recorded_at.date_naive(),
            }
            .into(),
        };
        checked.apply(&keys).expect("the staff's keys always apply");
        events.push(keys);
    }
    let mut next_child = model.children.keys().map(|c| c.0).max().unwrap_or(0);
    let mut children = 0;
    let mut changed = 0;
    let stamp = |stream, body: EventBody| Event {
        stream,
        version: 0,
        recorded_at,
        actor: actor.to_string(),
        body,
    };
    // Each child's events, numbered from the version after the child's last.
    let push = |events: &mut Vec<Event>, mine: Vec<Event>, after: u32| {
        events.extend(mine.into_iter().enumerate().map(|(i, mut e)| {
            e.version = after + i as u32 + 1;
            e
        }));
    };
    for c in &dropped {
        let stream = StreamId::Child(c.id());
        let changes: Vec<SourceChange> = c
            .source_rows
            .iter()
            .map(|r| SourceChange {
                table: r.table.clone(),
                key: r.key.clone(),
                change: RowChange::Gone,
            })
            .collect();
        tally(&mut by_table, &changes);
        let mut mine = withdrawals(c, &HashSet::new(), on, stream, &stamp);
        mine.push(stamp(
            stream,
            SourceRowsCorrected { changes, at: on }.into(),
        ));
        mine.push(stamp(
            stream,
            SourceRowsRecorded {
                rows: Vec::new(),
                records: Vec::new(),
                at: on,
            }
            .into(),
        ));
        if let Err(e) = check_all(&checked, (*c).clone(), &mine) {
            faults.0.push(Problem {
                file: "ssd_person.csv".into(),
                row: None,
                field: Some("pers_person_id".into()),
                message: format!("`{}` ({}): {e}", c.details.la_child_id, c.id()),
            });
            continue;
        }
        push(&mut events, mine, model.version(stream));
    }
    'people: for (_, mut person) in people {
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
        // Events in date order; each record keeps the number it was first given.
        person.steps.sort_by_key(|s| (s.at, s.rank));
        let registered = person
            .steps
            .first()
            .map(|s| s.at.date())
            .or(person.details.date_of_birth)
            .unwrap_or(first_day);
        let held = held.get(person.id.as_str()).copied();
        let stream = StreamId::Child(held.map_or_else(
            || {
                next_child += 1;
                ChildId(next_child)
            },
            |c| c.id(),
        ));
        // The record as this extract alone makes it, every event checked.
        let mut fresh = Child {
            id: Some(match stream {
                StreamId::Child(id) => id,
                _ => unreachable!("a child's stream"),
            }),
            details: person.details.clone(),
            registered: Some(registered),
            ..Child::default()
        };
        for step in &person.steps {
            let event = stamp(stream, step.body.clone());
            match checked.check_on(Some(fresh), &event) {
                Ok(c) => fresh = c,
                Err(e) => {
                    faults.0.push(Problem::at(
                        step.file,
                        step.row,
                        event.body.kind(),
                        format!("person {}: {e}", person.id),
                    ));
                    continue 'people;
                }
            }
        }
        let recorded = stamp(
            stream,
            SourceRowsRecorded {
                rows: person.source_rows(),
                records: person.source_records(),
                at: on,
            }
            .into(),
        );
        let Some(c) = held else {
            children += 1;
            for (table, _, _) in &person.rows {
                by_table.entry(table.to_string()).or_default().new += 1;
            }
            let mut mine = Vec::with_capacity(person.steps.len() + 2);
            mine.push(stamp(
                stream,
                ChildRegistered {
                    details: person.details,
                    at: registered,
                }
                .into(),
            ));
            mine.extend(person.steps.into_iter().map(|s| stamp(stream, s.body)));
            mine.push(recorded);
            push(&mut events, mine, 0);
            continue;
        };
        changed += 1;
        let rows = person.source_rows();
        let changes = differences(&c.source_rows, &rows);
        tally(&mut by_table, &changes);
        for r in &rows {
            if c.source_rows.binary_search(r).is_ok() {
                by_table.entry(r.table.clone()).or_default().same += 1;
            }
        }
        let mut mine = correction(&checked, c, &person, &fresh, changes, on, &stamp);
        mine.push(recorded);
        if let Err(e) = check_all(&checked, c.clone(), &mine) {
            faults.0.push(Problem::at(
                person.file,
                person.row,
                "pers_person_id",
                format!("person {} ({}): {e}", person.id, c.id()),
            ));
            continue;
        }
        push(&mut events, mine, model.version(stream));
    }
    for (table, n) in same {
        by_table.entry(table.to_string()).or_default().same += n;
    }
    if faults.0.is_empty() {
        Ok(Imported {
            events,
            teams: staff.new_teams.len() + usize::from(staff.unteamed.is_some()),
            workers: staff.new_workers.len(),
            children,
            changed,
            withdrawn: dropped.len(),
            staff_changed: staff.changed,
            staff_left: staff.left,
            unchanged,
            by_table,
        })
    } else {
        Err(faults.0)
    }
}

/// The events that take a child an earlier extract brought to what this one says: only the new
/// rows' events where the extract only adds rows (and corrects who the child is) and that gives
/// the record this extract alone makes (`fresh`); otherwise a rebuild.
fn correction(
    checked: &Model,
    c: &Child,
    person: &Person<'_>,
    fresh: &Child,
    changes: Vec<SourceChange>,
    on: NaiveDate,
    stamp: &impl Fn(StreamId, EventBody) -> Event,
) -> Vec<Event> {
    let stream = StreamId::Child(c.id());
    let details = (person.details != c.details).then(|| {
        stamp(
            stream,
            ChildDetailsCorrected {
                details: person.details.clone(),
                at: on,
            }
            .into(),
        )
    });
    // Where the extract only adds rows (and corrects who the child is), their events
    // follow what is there, if that gives the record this extract alone makes.
    let added: Option<Vec<Event>> = changes
        .iter()
        .all(|ch| ch.change == RowChange::Added || DETAILS.contains(&ch.table.as_str()))
        .then(|| {
            let new: HashSet<(&str, &str)> = changes
                .iter()
                .filter(|ch| ch.change == RowChange::Added)
                .map(|ch| (ch.table.as_str(), ch.key.as_str()))
                .collect();
            details
                .iter()
                .cloned()
                .chain(
                    person
                        .steps
                        .iter()
                        .filter(|s| s.key.is_some_and(|k| new.contains(&(s.table, k))))
                        .map(|s| stamp(stream, s.body.clone())),
                )
                .collect()
        })
        .filter(|tail: &Vec<Event>| {
            check_all(checked, c.clone(), tail)
                .is_ok_and(|after| as_imported(&after) == as_imported(fresh))
        });
    match added {
        Some(tail) => tail,
        None => {
            // Otherwise what the earlier extract made is set aside and rebuilt: rows
            // gone are withdrawn first, so the record says so.
            let mut mine = withdrawals(c, &person.named, on, stream, stamp);
            mine.push(stamp(
                stream,
                SourceRowsCorrected { changes, at: on }.into(),
            ));
            mine.extend(details);
            mine.extend(person.steps.iter().map(|s| stamp(stream, s.body.clone())));
            mine
        }
    }
}

/// The tables that say who a person is, whose changes are corrections to their details.
const DETAILS: &[&str] = &[
    "ssd_person",
    "ssd_family",
    "ssd_disability",
    "ssd_send",
    "ssd_immigration_status",
    "ssd_mother",
];

/// Each row a later extract adds, changes or leaves out, by key.
fn differences(before: &[SourceRow], after: &[SourceRow]) -> Vec<SourceChange> {
    let old: HashMap<(&str, &str), u64> = before
        .iter()
        .map(|r| ((r.table.as_str(), r.key.as_str()), r.hash))
        .collect();
    let new: HashMap<(&str, &str), u64> = after
        .iter()
        .map(|r| ((r.table.as_str(), r.key.as_str()), r.hash))
        .collect();
    let change = |r: &SourceRow, change| SourceChange {
        table: r.table.clone(),
        key: r.key.clone(),
        change,
    };
    let mut out: Vec<SourceChange> = after
        .iter()
        .filter_map(|r| match old.get(&(r.table.as_str(), r.key.as_str())) {
            None => Some(change(r, RowChange::Added)),
            Some(h) if *h != r.hash => Some(change(r, RowChange::Changed)),
            Some(_) => None,
        })
        .chain(
            before
                .iter()
                .filter(|r| !new.contains_key(&(r.table.as_str(), r.key.as_str())))
                .map(|r| change(r, RowChange::Gone)),
        )
        .collect();
    out.sort();
    out
}

/// Counts each table's rows by what happened to them; rows not named were as before.
fn tally(by_table: &mut BTreeMap<String, Tally>, changes: &[SourceChange]) {
    for ch in changes {
        let t = by_table.entry(ch.table.clone()).or_default();
        match ch.change {
            RowChange::Added => t.new += 1,
            RowChange::Changed => t.changed += 1,
            RowChange::Gone => t.gone += 1,
        }
    }
}

/// Withdraws each record an earlier extract made that this one does not.
fn withdrawals(
    c: &Child,
    named: &HashSet<RecordId>,
    on: NaiveDate,
    stream: StreamId,
    stamp: &impl Fn(StreamId, EventBody) -> Event,
) -> Vec<Event> {
    c.source_records
        .iter()
        .filter(|r| {
            c.record_kind(r.record).is_some()
                && !c.withdrawn.iter().any(|w| w.record == r.record)
                && !named.contains(&r.record)
        })
        .map(|r| {
            stamp(
                stream,
                RecordEnteredInError {
                    record: r.record,
                    reason: format!("{} {} is not in the extract of {on}", r.table, r.key),
                    at: on,
                }
                .into(),
            )
        })
        .collect()
}

/// Checks events in turn on a child, giving the child as it would then be.
fn check_all(
    model: &Model,
    mut child: Child,
    events: &[Event],
) -> Result<Child, domain::ApplyError> {
    for e in events {
        child = model.check_on(Some(child), e)?;
    }
    Ok(child)
}

/// What an import makes of a child, without what only Hearth holds (notes, withdrawals,
/// restrictions, record numbers and the source's own keys), to compare two ways of making it.
fn as_imported(c: &Child) -> Child {
    Child {
        id: None,
        registered: None,
        records: Vec::new(),
        notes: Vec::new(),
        withdrawn: Vec::new(),
        restricted: None,
        from_source: false,
        source_rows: Vec::new(),
        source_records: Vec::new(),
        ..c.clone()
    }
}

/// Each table's field that names the person a row is about; two tables name them through
/// another row (an assessment's factors, a looked-after review).
const PERSON_FIELDS: &[(&str, &str)] = &[
    ("ssd_person", "pers_person_id"),
    ("ssd_family", "fami_person_id"),
    ("ssd_disability", "disa_person_id"),
    ("ssd_send", "send_person_id"),
    ("ssd_immigration_status", "immi_person_id"),
    ("ssd_address", "addr_person_id"),
    ("ssd_mother", "moth_person_id"),
    ("ssd_involvements", "invo_person_id"),
    ("ssd_contacts", "cont_person_id"),
    ("ssd_early_help_episodes", "earl_person_id"),
    ("ssd_cin_episodes", "cine_person_id"),
    ("ssd_cin_assessments", "cina_person_id"),
    ("ssd_s47_enquiry", "s47e_person_id"),
    ("ssd_initial_cp_conference", "icpc_person_id"),
    ("ssd_cp_plans", "cppl_person_id"),
    ("ssd_cp_reviews", "cppr_person_id"),
    ("ssd_cp_visits", "cppv_person_id"),
    ("ssd_cin_plans", "cinp_person_id"),
    ("ssd_cin_visits", "cinv_person_id"),
    ("ssd_pre_proceedings", "prep_person_id"),
    ("ssd_cla_episodes", "clae_person_id"),
    ("ssd_cla_placement", "clap_person_id"),
    ("ssd_legal_status", "lega_person_id"),
    ("ssd_cla_visits", "clav_person_id"),
    ("ssd_cla_health", "clah_person_id"),
    ("ssd_missing", "miss_person_id"),
    ("ssd_care_leavers", "clea_person_id"),
    ("ssd_permanence", "perm_person_id"),
    ("ssd_cla_care_plan", "lacp_person_id"),
    ("ssd_sdq_scores", "csdq_person_id"),
];

/// Gives each person the rows of every table taken that are about them.
fn each_persons_rows<'a>(extract: &'a Extract, people: &mut BTreeMap<String, Person<'a>>) {
    let mut push = |table: &'static str, person: Option<&str>, row: &Row<'a>| {
        if let (Some(p), Some(key)) = (person.and_then(|id| people.get_mut(id)), row.key()) {
            p.rows.push((table, key, row.fingerprint()));
        }
    };
    // The people of assessments and periods of care, for the rows that name them only.
    let mut person_of: HashMap<(&str, &str), &str> = HashMap::new();
    for (table, field) in PERSON_FIELDS {
        for row in extract.table(table).into_iter().flat_map(|r| r.iter()) {
            let person = row.get(field);
            if *table == "ssd_cin_assessments"
                && let (Some(p), Some(k)) = (person, row.key())
            {
                person_of.insert((table, k), p);
            }
            if *table == "ssd_cla_episodes"
                && let (Some(p), Some(cla)) = (person, row.get("clae_cla_id"))
            {
                person_of.insert(("cla", cla), p);
            }
            push(table, person, &row);
        }
    }
    for (table, via, through) in [
        (
            "ssd_assessment_factors",
            "cinf_assessment_id",
            "ssd_cin_assessments",
        ),
        ("ssd_cla_reviews", "clar_cla_id", "cla"),
    ] {
        for row in extract.table(table).into_iter().flat_map(|r| r.iter()) {
            let person = row
                .get(via)
                .and_then(|k| person_of.get(&(through, k)))
                .copied();
            push(table, person, &row);
        }
    }
}

/// What the council's records are said to come from after an import.
pub const SOURCE: &str =
    "an extract of the case system in the Standard Safeguarding Dataset's tables";

/// What the measures need that this extract does not carry: what the dataset has no table
/// for, and what only Hearth's own columns carry where the extract lacks them.
pub fn not_carried(extract: &Extract) -> Vec<Fact> {
    let mut out = vec![
        Fact::StrategyDiscussions,
        Fact::CoreGroups,
        Fact::CaseAudits,
        Fact::CaseSupervision,
        Fact::IroDisputes,
        Fact::Complaints,
        Fact::Transfers,
        Fact::Exploitation,
        Fact::Peps,
        Fact::StaffHistory,
        Fact::Training,
        Fact::ClinicalSupervision,
        Fact::LegalGateway,
        Fact::CareProceedings,
    ];
    let carries = |table: &str, field: &str| extract.table(table).is_some_and(|t| t.carries(field));
    if !carries("ssd_contacts", "hearth_decided_at") {
        out.push(Fact::ContactDecisions);
    }
    if !carries("ssd_missing", "hearth_interview_offered_at") {
        out.push(Fact::ReturnInterviews);
    }
    out.sort();
    out
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

/// A date a row must have, or a fault saying so.
fn needed(row: &Row, field: &str, faults: &mut Faults) -> Option<NaiveDate> {
    present(row, field, row.date(field), faults)
}

/// A date and time the row must give, or a fault saying it is blank or not one.
fn needed_time(row: &Row, field: &str, faults: &mut Faults) -> Option<NaiveDateTime> {
    present(row, field, row.date_time(field), faults)
}

fn present<T>(
    row: &Row,
    field: &str,
    read: Result<Option<T>, Problem>,
    faults: &mut Faults,
) -> Option<T> {
    match read {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            faults.0.push(Problem::at(
                row.file(),
                row.number,
                field,
                "is blank, and it is needed",
            ));
            None
        }
        Err(p) => {
            faults.0.push(p);
            None
        }
    }
}

/// A code read against a code list, or a fault naming the list.
fn coded<T>(
    row: &Row,
    field: &str,
    faults: &mut Faults,
    list: &str,
    read: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let v = row.get(field)?;
    let found = read(v);
    if found.is_none() {
        faults.0.push(Problem::at(
            row.file(),
            row.number,
            field,
            format!("`{v}` is not {list}"),
        ));
    }
    found
}

fn abuse(code: &str) -> Option<AbuseCategory> {
    AbuseCategory::from_code(&code.to_ascii_uppercase())
}

fn section47s_with_conference(extract: &Extract) -> HashMap<String, ()> {
    extract
        .table("ssd_initial_cp_conference")
        .into_iter()
        .flat_map(|rows| rows.iter())
        .filter_map(|r| r.get("icpc_s47_enquiry_id").map(|e| (e.to_string(), ())))
        .collect()
}

fn protection<'a>(
    extract: &'a Extract,
    people: &mut BTreeMap<String, Person<'a>>,
    faults: &mut Faults,
) {
    let conferenced = section47s_with_conference(extract);
    let rows_of = |t: &str| extract.table(t).into_iter().flat_map(|rows| rows.iter());
    each!(
        extract,
        people,
        "ssd_s47_enquiry",
        "s47e_person_id",
        |row, p| {
            let (Some(key), Some(start)) = (
                faults.take(row.required("s47e_s47_enquiry_id")),
                needed(&row, "s47e_s47_start_date", faults),
            ) else {
                continue;
            };
            let Some(referral) = faults.take(row.required("s47e_referral_id")) else {
                continue;
            };
            let referral = p.record("ssd_cin_episodes", referral);
            let enquiry = p.record("ssd_s47_enquiry", key);
            p.push(
                day_start(start),
                rank::STARTS,
                Section47Started {
                    enquiry,
                    referral,
                    strategy: None,
                    at: start,
                },
                &row,
            );
            if let Some(end) = faults.take(row.date("s47e_s47_end_date")).flatten() {
                let nfa = faults.take(row.flag("s47e_s47_nfa")).flatten() == Some(true);
                // The outcome's flags where the extract gives them; else what followed it.
                let flagged = row
                    .get("s47e_s47_outcome_json")
                    .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
                    .map(|v| {
                        let set = |k: &str| {
                            v.get(k)
                                .and_then(|x| x.as_str())
                                .is_some_and(|x| matches!(x, "Y" | "y" | "Yes" | "yes" | "1"))
                        };
                        (set("CP_CONFERENCE_FLAG"), set("NFA_FLAG"))
                    });
                let outcome = if conferenced.contains_key(key) || flagged.is_some_and(|f| f.0) {
                    S47Outcome::Conference
                } else if nfa || flagged.is_some_and(|f| f.1) {
                    S47Outcome::NoFurtherAction
                } else {
                    S47Outcome::ChildInNeed
                };
                p.push(
                    day_start(end),
                    rank::DECIDES,
                    Section47Completed {
                        enquiry,
                        outcome,
                        conference_target: None,
                        conference_not_required: false,
                        at: end,
                    },
                    &row,
                );
            }
        }
    );
    each!(
        extract,
        people,
        "ssd_initial_cp_conference",
        "icpc_person_id",
        |row, p| {
            let (Some(key), Some(date)) = (
                faults.take(row.required("icpc_icpc_id")),
                needed(&row, "icpc_icpc_date", faults),
            ) else {
                continue;
            };
            let transfer = faults.take(row.flag("icpc_icpc_transfer_in")).flatten() == Some(true);
            let plan_needed = faults.take(row.flag("icpc_icpc_outcome_cp_flag")).flatten()
                == Some(true)
                || row.get("icpc_cp_plan_id").is_some();
            let enquiry = row
                .get("icpc_s47_enquiry_id")
                .map(|e| p.record("ssd_s47_enquiry", e));
            let conference = p.record("ssd_initial_cp_conference", key);
            p.push(
                day_start(date),
                rank::CONFERENCE,
                ConferenceHeld {
                    conference,
                    kind: if transfer {
                        ConferenceKind::TransferIn
                    } else {
                        ConferenceKind::Initial
                    },
                    enquiry,
                    plan_needed,
                    agencies_present: Vec::new(),
                    at: date,
                },
                &row,
            );
            // The enquiry's target for the conference, where the extract gives one.
            if let (Some(target), Some(e)) = (
                faults.take(row.date("icpc_icpc_target_date")).flatten(),
                enquiry,
            ) {
                for step in p.steps.iter_mut() {
                    if let EventBody::Section47Completed(c) = &mut step.body
                        && c.enquiry == e
                    {
                        c.conference_target = Some(target);
                    }
                }
            }
        }
    );
    // Reviews by plan, for the plan's reviews and its latest category.
    let mut reviews: HashMap<&str, Vec<NaiveDate>> = HashMap::new();
    for row in rows_of("ssd_cp_reviews") {
        if let (Some(plan), Some(date)) = (
            row.get("cppr_cp_plan_id"),
            faults.take(row.date("cppr_cp_review_date")).flatten(),
        ) {
            reviews.entry(plan).or_default().push(date);
        }
    }
    each!(
        extract,
        people,
        "ssd_cp_plans",
        "cppl_person_id",
        |row, p| {
            let (Some(key), Some(start)) = (
                faults.take(row.required("cppl_cp_plan_id")),
                needed(&row, "cppl_cp_plan_start_date", faults),
            ) else {
                continue;
            };
            let Some(referral) = faults.take(row.required("cppl_referral_id")) else {
                continue;
            };
            let list = "an abuse category (NEG, PHY, SAB, EMO or MUL)";
            let Some(category) = coded(&row, "cppl_cp_plan_initial_category", faults, list, abuse)
            else {
                if row.get("cppl_cp_plan_initial_category").is_none() {
                    faults.0.push(Problem::at(
                        row.file(),
                        row.number,
                        "cppl_cp_plan_initial_category",
                        "is blank, and it is needed",
                    ));
                }
                continue;
            };
            let latest = coded(&row, "cppl_cp_plan_latest_category", faults, list, abuse);
            let referral = p.record("ssd_cin_episodes", referral);
            let conference = row
                .get("cppl_icpc_id")
                .map(|k| p.record("ssd_initial_cp_conference", k));
            let plan = p.record("ssd_cp_plans", key);
            p.push(
                day_start(start),
                rank::PLAN,
                CpPlanStarted {
                    plan,
                    referral,
                    category,
                    previous_plans: None,
                    conference,
                    at: start,
                },
                &row,
            );
            let mut dates = reviews.remove(key).unwrap_or_default();
            dates.sort();
            let last = dates.len();
            for (i, d) in dates.into_iter().enumerate() {
                // The extract gives the latest category, not when it changed: at the last review.
                let changed = latest.filter(|l| *l != category && i + 1 == last);
                p.push(
                    day_start(d),
                    rank::DURING,
                    CpPlanReviewed {
                        plan,
                        at: d,
                        category: changed,
                    },
                    &row,
                );
            }
            if let Some(end) = faults.take(row.date("cppl_cp_plan_end_date")).flatten() {
                p.push(
                    day_start(end),
                    rank::ENDS,
                    CpPlanEnded {
                        plan,
                        at: end,
                        reason: String::new(),
                    },
                    &row,
                );
            }
        }
    );
    each!(
        extract,
        people,
        "ssd_cin_plans",
        "cinp_person_id",
        |row, p| {
            let (Some(key), Some(start), Some(referral)) = (
                faults.take(row.required("cinp_cin_plan_id")),
                needed(&row, "cinp_cin_plan_start_date", faults),
                faults.take(row.required("cinp_referral_id")),
            ) else {
                continue;
            };
            let referral = p.record("ssd_cin_episodes", referral);
            let plan = p.record("ssd_cin_plans", key);
            p.push(
                day_start(start),
                rank::PLAN,
                CinPlanStarted {
                    plan,
                    referral,
                    at: start,
                },
                &row,
            );
            if let Some(end) = faults.take(row.date("cinp_cin_plan_end_date")).flatten() {
                p.push(
                    day_start(end),
                    rank::ENDS,
                    CinPlanEnded { plan, at: end },
                    &row,
                );
            }
        }
    );
    for (table, prefix, kind) in [
        ("ssd_cp_visits", "cppv_cp_visit", VisitKind::ChildProtection),
        ("ssd_cin_visits", "cinv_cin_visit", VisitKind::ChildInNeed),
        ("ssd_cla_visits", "clav_cla_visit", VisitKind::LookedAfter),
    ] {
        let person = format!("{}_person_id", &prefix[..4]);
        for row in rows_of(table) {
            let Some(p) = row.get(&person).and_then(|id| people.get_mut(id)) else {
                continue;
            };
            let (Some(key), Some(date)) = (
                faults.take(row.required(&format!("{prefix}_id"))),
                needed(&row, &format!("{prefix}_date"), faults),
            ) else {
                continue;
            };
            let seen = faults.take(row.flag(&format!("{prefix}_seen"))).flatten();
            let alone = faults
                .take(row.flag(&format!("{prefix}_seen_alone")))
                .flatten();
            let visit = p.record(table, key);
            p.push(
                day_start(date),
                rank::DURING,
                VisitMade {
                    visit,
                    kind,
                    at: date,
                    seen: seen.unwrap_or(false),
                    seen_alone: alone.unwrap_or(false),
                },
                &row,
            );
        }
    }
    each!(
        extract,
        people,
        "ssd_pre_proceedings",
        "prep_person_id",
        |row, p| {
            let (Some(key), Some(start)) = (
                faults.take(row.required("prep_table_id")),
                needed(&row, "prep_pre_pro_decision_date", faults),
            ) else {
                continue;
            };
            let pre = p.record("ssd_pre_proceedings", key);
            p.push(
                day_start(start),
                rank::PLAN,
                PreProceedingsStarted {
                    pre_proceedings: pre,
                    at: start,
                },
                &row,
            );
            if let Some(end) = faults
                .take(row.date("prep_agree_stepdown_issue_date"))
                .flatten()
            {
                let outcome = row
                    .get("prep_pre_pro_outcome")
                    .and_then(|o| {
                        PreProceedingsOutcome::ALL
                            .iter()
                            .find(|x| x.label().eq_ignore_ascii_case(o) || x.code() == o)
                            .copied()
                    })
                    .unwrap_or(PreProceedingsOutcome::Other);
                p.push(
                    day_start(end),
                    rank::ENDS,
                    PreProceedingsEnded {
                        pre_proceedings: pre,
                        outcome,
                        at: end,
                    },
                    &row,
                );
            }
        }
    );
}

/// The outward part of a postcode: DY1 of DY1 4QZ.
fn district(postcode: &str) -> Option<String> {
    let p: String = postcode.split_whitespace().collect();
    (p.len() > 3).then(|| p[..p.len() - 3].to_ascii_uppercase())
}

/// A permanence plan from the dataset's flags: the first set, by the plan nearest it.
fn plan_from_flags(json: &str) -> Option<PermanencePlan> {
    let v: serde_json::Value = serde_json::from_str(json).ok()?;
    let set = |k: &str| {
        v.get(k)
            .and_then(|x| x.as_str())
            .is_some_and(|x| matches!(x, "Y" | "y" | "Yes" | "yes" | "1"))
    };
    [
        ("ADOPTION", PermanencePlan::Adoption),
        ("LTFOST18", PermanencePlan::LongTermFostering),
        ("LTRELFR", PermanencePlan::SpecialGuardianship),
        ("SUPPLIV", PermanencePlan::SupportedLiving),
        ("RESPLMT", PermanencePlan::SupportedLiving),
        ("RETURNEV", PermanencePlan::Reunification),
        ("RETURN1M", PermanencePlan::Reunification),
        ("RETURN6M", PermanencePlan::Reunification),
        ("REMAINSUP", PermanencePlan::Reunification),
    ]
    .iter()
    .find(|(k, _)| set(k))
    .map(|(_, p)| *p)
}

/// Values held from a date until another, oldest first: legal statuses, home postcodes.
type Spans<'a> = Vec<(NaiveDate, Option<NaiveDate>, &'a str)>;

/// The value that holds on a day: the latest to start by then and not yet ended.
fn holding_on(spans: Option<&Spans<'_>>, day: NaiveDate) -> Option<String> {
    spans?
        .iter()
        .rfind(|(from, to, _)| *from <= day && to.is_none_or(|t| t > day))
        .map(|(_, _, v)| v.to_string())
}

fn looked_after<'a>(
    extract: &'a Extract,
    people: &mut BTreeMap<String, Person<'a>>,
    faults: &mut Faults,
) {
    let rows_of = |t: &str| extract.table(t).into_iter().flat_map(|rows| rows.iter());
    let placements: HashMap<&str, Row> = rows_of("ssd_cla_placement")
        .filter_map(|r| r.get("clap_cla_placement_id").map(|k| (k, r)))
        .collect();
    // Legal statuses by person, oldest first.
    let mut legal: HashMap<&str, Spans> = HashMap::new();
    for row in rows_of("ssd_legal_status") {
        if let (Some(p), Some(s), Some(from)) = (
            row.get("lega_person_id"),
            row.get("lega_legal_status"),
            faults
                .take(row.date("lega_legal_status_start_date"))
                .flatten(),
        ) {
            let to = faults
                .take(row.date("lega_legal_status_end_date"))
                .flatten();
            legal.entry(p).or_default().push((from, to, s));
        }
    }
    for v in legal.values_mut() {
        v.sort();
    }
    // Home addresses by person, oldest first: an episode's home postcode is the one that
    // holds on the day it starts. Addresses of other types (a placement's) are not the home.
    let mut homes: HashMap<&str, Spans> = HashMap::new();
    for row in rows_of("ssd_address") {
        let home = row.get("addr_address_type").is_none_or(|t| {
            t.to_ascii_lowercase()
                .contains(&crate::export::HOME.to_ascii_lowercase())
        });
        if let (true, Some(p), Some(postcode)) = (
            home,
            row.get("addr_person_id"),
            row.get("addr_address_postcode"),
        ) {
            let from = faults
                .take(row.date("addr_address_start_date"))
                .flatten()
                .unwrap_or(NaiveDate::MIN);
            let to = faults.take(row.date("addr_address_end_date")).flatten();
            homes.entry(p).or_default().push((from, to, postcode));
        }
    }
    for v in homes.values_mut() {
        v.sort();
    }
    // Episodes by period, in order; each period's person.
    let mut periods: BTreeMap<(String, String), Vec<(NaiveDate, Row)>> = BTreeMap::new();
    let mut person_of_period: HashMap<String, String> = HashMap::new();
    for row in rows_of("ssd_cla_episodes") {
        let (Some(person), Some(period), Some(start)) = (
            row.get("clae_person_id"),
            row.get("clae_cla_id").or(row.get("clae_cla_episode_id")),
            needed(&row, "clae_cla_episode_start_date", faults),
        ) else {
            continue;
        };
        person_of_period.insert(period.to_string(), person.to_string());
        periods
            .entry((person.to_string(), period.to_string()))
            .or_default()
            .push((start, row));
    }
    for ((person, key), mut episodes) in periods {
        let Some(p) = people.get_mut(&person) else {
            continue;
        };
        episodes.sort_by_key(|(d, r)| (*d, r.number));
        let period = p.record("ssd_cla_episodes", &key);
        let status_on = |d: NaiveDate| holding_on(legal.get(person.as_str()), d);
        let mut last_status: Option<String> = None;
        let mut last_place: Option<Placement> = None;
        let mut last_need: Option<PrimaryNeed> = None;
        let count = episodes.len();
        for (i, (start, row)) in episodes.iter().enumerate() {
            let placement_row = row
                .get("clae_cla_placement_id")
                .and_then(|k| placements.get(k));
            let placement = placement_row.map(|r| {
                let postcode = r.get("clap_cla_placement_postcode").map(String::from);
                Placement {
                    place: r.get("clap_cla_placement_type").unwrap_or("Z1").into(),
                    provider: r.get("clap_cla_placement_provider").unwrap_or("PR0").into(),
                    postcode_district: postcode.as_deref().and_then(district),
                    urn: r.get("clap_cla_placement_urn").map(String::from),
                    postcode,
                    home_postcode: holding_on(homes.get(person.as_str()), *start),
                }
            });
            let Some(placement) = placement else {
                faults.0.push(Problem::at(
                    row.file(),
                    row.number,
                    "clae_cla_placement_id",
                    "names no row of ssd_cla_placement.csv: an episode of care needs its placement",
                ));
                break;
            };
            let need = coded(
                row,
                "clae_cla_primary_need_code",
                faults,
                "a need code (N1 to N8)",
                |c| PrimaryNeed::from_code(&c.to_ascii_uppercase()),
            )
            .unwrap_or(PrimaryNeed::N0);
            let Some(status) = status_on(*start) else {
                faults.0.push(Problem::at(
                    row.file(),
                    row.number,
                    "clae_cla_episode_start_date",
                    format!("no row of ssd_legal_status.csv gives person {person}'s legal status on {start}"),
                ));
                break;
            };
            let reason = row.get("clae_cla_episode_start_reason").unwrap_or("S");
            if i == 0 {
                p.push(
                    day_start(*start),
                    rank::PLAN,
                    CarePeriodStarted {
                        period,
                        legal_status: status.as_str().into(),
                        placement: placement.clone(),
                        need,
                        first_reason: (reason != "S").then(|| reason.into()),
                        at: *start,
                    },
                    row,
                );
            } else {
                p.push(
                    day_start(*start),
                    rank::CHANGES,
                    CareEpisodeChanged {
                        period,
                        reason: reason.into(),
                        legal_status: (last_status.as_deref() != Some(status.as_str()))
                            .then(|| status.as_str().into()),
                        placement: (last_place.as_ref() != Some(&placement))
                            .then(|| placement.clone()),
                        reason_placement_changed: placement_row
                            .and_then(|r| r.get("clap_cla_placement_change_reason"))
                            .map(Into::into),
                        need: (last_need != Some(need)).then_some(need),
                        at: *start,
                    },
                    row,
                );
            }
            last_status = Some(status);
            last_place = Some(placement);
            last_need = Some(need);
            if i + 1 == count
                && let Some(ceased) = faults
                    .take(row.date("clae_cla_episode_ceased_date"))
                    .flatten()
            {
                p.push(
                    day_start(ceased),
                    rank::ENDS,
                    CarePeriodEnded {
                        period,
                        reason: row
                            .get("clae_cla_episode_ceased_reason")
                            .unwrap_or("E8")
                            .into(),
                        at: ceased,
                    },
                    row,
                );
            }
        }
    }
    for row in rows_of("ssd_cla_reviews") {
        let Some(cla) = row.get("clar_cla_id") else {
            continue;
        };
        let Some(person) = person_of_period.get(cla) else {
            faults.0.push(Problem::at(
                row.file(),
                row.number,
                "clar_cla_id",
                format!("`{cla}` is in no row of ssd_cla_episodes.csv"),
            ));
            continue;
        };
        let Some(p) = people.get_mut(person) else {
            // Someone whose rows are all as before.
            continue;
        };
        if faults.take(row.flag("clar_cla_review_cancelled")).flatten() == Some(true) {
            continue;
        }
        let (Some(key), Some(date)) = (
            faults.take(row.required("clar_cla_review_id")),
            faults.take(row.date("clar_cla_review_date")).flatten(),
        ) else {
            continue;
        };
        let period = p.record("ssd_cla_episodes", cla);
        let review = p.record("ssd_cla_reviews", key);
        p.push(
            day_start(date),
            rank::DURING,
            ClaReviewHeld {
                review,
                period,
                participation: row.get("clar_cla_review_participation").map(Into::into),
                at: date,
            },
            &row,
        );
    }
    each!(
        extract,
        people,
        "ssd_cla_health",
        "clah_person_id",
        |row, p| {
            let (Some(check), Some(date)) = (
                row.get("clah_health_check_type"),
                needed(&row, "clah_health_check_date", faults),
            ) else {
                continue;
            };
            p.push(
                day_start(date),
                rank::DURING,
                HealthCheckDone {
                    check: check.to_string(),
                    at: date,
                },
                &row,
            );
        }
    );
    each!(
        extract,
        people,
        "ssd_missing",
        "miss_person_id",
        |row, p| {
            let (Some(key), Some(start)) = (
                faults.take(row.required("miss_table_id")),
                faults
                    .take(row.date_time("miss_missing_episode_start_date"))
                    .flatten(),
            ) else {
                continue;
            };
            let kind = match row
                .get("miss_missing_episode_type")
                .map(str::to_ascii_lowercase)
            {
                Some(k) if k.starts_with("away") || k == "a" => MissingKind::Away,
                _ => MissingKind::Missing,
            };
            let episode = p.record("ssd_missing", key);
            p.push(
                start,
                rank::OPENS,
                MissingEpisodeStarted {
                    episode,
                    kind,
                    at: start,
                },
                &row,
            );
            if let Some(end) = faults
                .take(row.date_time("miss_missing_episode_end_date"))
                .flatten()
            {
                p.push(
                    end,
                    rank::ENDS,
                    MissingEpisodeEnded { episode, at: end },
                    &row,
                );
            }
            // A return interview's times, where the extract is Hearth's own.
            if let Some(offered) = faults
                .take(row.date_time("hearth_interview_offered_at"))
                .flatten()
            {
                let accepted = faults.take(row.flag("miss_missing_rhi_accepted")).flatten();
                p.push(
                    offered,
                    rank::CLOSES,
                    ReturnInterviewOffered {
                        episode,
                        at: offered,
                        accepted: accepted.unwrap_or(false),
                    },
                    &row,
                );
            }
            if let Some(held) = faults
                .take(row.date_time("hearth_interview_held_at"))
                .flatten()
            {
                p.push(
                    held,
                    rank::CLOSES,
                    ReturnInterviewHeld { episode, at: held },
                    &row,
                );
            }
        }
    );
    each!(
        extract,
        people,
        "ssd_cla_care_plan",
        "lacp_person_id",
        |row, p| {
            let Some(from) = needed(&row, "lacp_cla_care_plan_start_date", faults) else {
                continue;
            };
            let plan = row
                .get("hearth_plan")
                .and_then(PermanencePlan::from_code)
                .or_else(|| plan_from_flags(row.get("lacp_cla_care_plan_json")?));
            if let Some(plan) = plan {
                p.push(
                    day_start(from),
                    rank::DURING,
                    PermanencePlanMade { plan, at: from },
                    &row,
                );
            }
        }
    );
    each!(
        extract,
        people,
        "ssd_permanence",
        "perm_person_id",
        |row, p| {
            // Hearth's own rows name their step; another system's row gives each step's date.
            let steps: Vec<PermanenceStep> = match row.get("hearth_step") {
                Some(code) => PermanenceStep::from_code(code).into_iter().collect(),
                None => PermanenceStep::ALL
                    .iter()
                    .copied()
                    .filter(|s| crate::export::step_field(*s).is_some())
                    .filter(|s| match s {
                        PermanenceStep::AdoptionOrder => row
                            .get("perm_permanence_order_type")
                            .is_some_and(|t| t.to_ascii_lowercase().contains("adoption")),
                        PermanenceStep::SgoGranted => row
                            .get("perm_permanence_order_type")
                            .is_some_and(|t| t.to_ascii_lowercase().contains("guardianship")),
                        _ => true,
                    })
                    .collect(),
            };
            for step in steps {
                // Hearth's own date for its step, else the dataset's field for it.
                let field = match row.get("hearth_step_date") {
                    Some(_) => "hearth_step_date",
                    None => match crate::export::step_field(step) {
                        Some(f) => f,
                        None => continue,
                    },
                };
                let Some(at) = faults.take(row.date(field)).flatten() else {
                    continue;
                };
                let reason = (step == PermanenceStep::AdoptionDecisionCeased)
                    .then(|| row.get("perm_decision_reversed_reason").map(Into::into))
                    .flatten();
                p.push(
                    day_start(at),
                    rank::DURING,
                    PermanenceStepReached { step, reason, at },
                    &row,
                );
            }
            // Who adopted, where the row says, on the order's date.
            if let Some(sex) = row.get("perm_adopter_sex") {
                let at = match row.get("hearth_step_date") {
                    Some(_) => faults.take(row.date("hearth_step_date")).flatten(),
                    None => faults
                        .take(row.date("perm_permanence_order_date"))
                        .flatten(),
                };
                let number = match row.get("perm_number_of_adopters") {
                    Some(n) => match n.parse::<u8>() {
                        Ok(n @ 1..=2) => Some(n),
                        _ => {
                            faults.0.push(Problem::at(
                                row.file(),
                                row.number,
                                "perm_number_of_adopters",
                                format!("`{n}` is not a number of adopters (1 or 2)"),
                            ));
                            None
                        }
                    },
                    // One adopter's sex is one letter and a number (M1, F1); a couple's two letters.
                    None => Some(if sex.ends_with('1') { 1 } else { 2 }),
                };
                if let (Some(at), Some(number)) = (at, number) {
                    let foster_carers = faults
                        .take(row.flag("perm_adopted_by_carer_flag"))
                        .flatten()
                        .unwrap_or(false);
                    p.push(
                        day_start(at),
                        rank::DURING,
                        AdoptersRecorded {
                            foster_carers,
                            number,
                            sex: sex.into(),
                            legal_status: row
                                .get("perm_adopter_legal_status")
                                .unwrap_or("L0")
                                .into(),
                            at,
                        },
                        &row,
                    );
                }
            }
        }
    );
    // A year's outcomes: Hearth's rows give the whole of OC2; another system's SDQ is the
    // score for the 31 March on or after it was completed, the latest in the year.
    let mut sdq: Vec<Row> = rows_of("ssd_sdq_scores").collect();
    sdq.sort_by_key(|r| r.number);
    for row in sdq {
        let Some(p) = row.get("csdq_person_id").and_then(|id| people.get_mut(id)) else {
            continue;
        };
        let flag = |field: &str, faults: &mut Faults| faults.take(row.flag(field)).flatten();
        let at = match row.get("hearth_outcomes_for") {
            Some(_) => faults.take(row.date("hearth_outcomes_for")).flatten(),
            None => faults
                .take(row.date("csdq_sdq_completed_date"))
                .flatten()
                .map(|d| {
                    let march = NaiveDate::from_ymd_opt(d.year(), 3, 31).expect("a date");
                    if d <= march {
                        march
                    } else {
                        NaiveDate::from_ymd_opt(d.year() + 1, 3, 31).expect("a date")
                    }
                }),
        };
        let Some(at) = at else {
            continue;
        };
        let sdq_score = match row.get("csdq_sdq_score") {
            None => None,
            Some(v) => match v.parse::<u8>() {
                Ok(n) if n <= 40 => Some(n),
                _ => {
                    faults.0.push(Problem::at(
                        row.file(),
                        row.number,
                        "csdq_sdq_score",
                        format!("`{v}` is not an SDQ score (0 to 40)"),
                    ));
                    None
                }
            },
        };
        let outcomes = CareOutcomesRecorded {
            sdq_score,
            sdq_reason: row.get("csdq_sdq_reason").map(Into::into),
            convicted: flag("hearth_convicted", faults),
            health_check: flag("hearth_health_check", faults),
            immunisations: flag("hearth_immunisations", faults),
            teeth_check: flag("hearth_teeth_check", faults),
            health_assessment: flag("hearth_health_assessment", faults),
            substance_misuse: flag("hearth_substance_misuse", faults),
            intervention_received: flag("hearth_intervention_received", faults),
            intervention_offered: flag("hearth_intervention_offered", faults),
            at,
        };
        p.push(day_start(at), rank::DURING, outcomes, &row);
    }
    each!(
        extract,
        people,
        "ssd_care_leavers",
        "clea_person_id",
        |row, p| {
            let Some(at) = needed(&row, "clea_care_leaver_latest_contact", faults) else {
                continue;
            };
            let touch = row
                .get("clea_care_leaver_in_touch")
                .map(str::to_ascii_uppercase);
            let (in_touch, reason) = match touch.as_deref() {
                Some("YES" | "Y") => (true, None),
                Some("NO" | "N") | None => (false, None),
                Some(other) => (false, Some(other.into())),
            };
            let activity = coded(
                &row,
                "clea_care_leaver_activity",
                faults,
                "an activity code (F1 to G6)",
                |c| CareLeaverActivity::from_code(&c.to_ascii_uppercase()),
            );
            p.push(
                day_start(at),
                rank::DURING,
                CareLeaverContact {
                    in_touch,
                    not_in_touch_reason: reason,
                    activity,
                    accommodation: row.get("clea_care_leaver_accommodation").map(Into::into),
                    accommodation_suitable: row.get("clea_care_leaver_accom_suitable").and_then(
                        |v| match v {
                            "1" => Some(true),
                            "2" => Some(false),
                            _ => None,
                        },
                    ),
                    pathway_plan_reviewed: row.get("clea_pathway_plan_review_date").is_some(),
                    at,
                },
                &row,
            );
        }
    );
}
