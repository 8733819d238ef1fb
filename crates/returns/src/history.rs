//! What an import makes of a return: each child's history as events, ready to be checked against
//! the model and written to the log, or the problems that stop it.

use chrono::{DateTime, NaiveDate, Utc};
use domain::codes::{Employment, Service, WorkerRole};
use domain::events::{
    ChildDetails, ChildDetailsCorrected, Event, EventBody, TeamEstablished, WorkerJoined,
};
use domain::model::Model;
use domain::{ChildId, StreamId, TeamId, WorkerId};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// Stand-ins in an allocation until the import finds or adds the worker the return names.
pub const UNNAMED_WORKER: WorkerId = WorkerId(0);
pub const UNNAMED_TEAM: TeamId = TeamId(0);

/// The team an import adds social workers to whom Hearth does not yet hold.
pub const IMPORTED_TEAM: &str = "Social workers named in imported returns";
/// The worker an import allocates where a return gives no social worker ID.
pub const UNNAMED_WORKER_NAME: &str = "Social worker not named in an imported return";

/// One child's history as a return tells it. Record ids in the events are numbered from 1 in
/// the child's own stream; the events are in the order they happened.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildHistory {
    /// The council's child identifier (the return's CHILD or LAchildID).
    pub la_child_id: String,
    pub events: Vec<EventBody>,
    /// Where each event came from, beside it: (file, 0-based data row), for messages when the
    /// model refuses one.
    pub sources: Vec<(String, usize)>,
    /// Allocations whose worker the return names by registration number (or leaves blank):
    /// the event's index and the number. Their worker and team are stand-ins until then.
    pub social_workers: Vec<(usize, Option<String>)>,
}

impl ChildHistory {
    pub fn new(la_child_id: impl Into<String>) -> ChildHistory {
        ChildHistory {
            la_child_id: la_child_id.into(),
            events: Vec::new(),
            sources: Vec::new(),
            social_workers: Vec::new(),
        }
    }

    /// The next event pushed is an allocation to the worker with this registration number.
    pub fn name_worker(&mut self, registration: Option<String>) {
        self.social_workers.push((self.events.len(), registration));
    }

    pub fn push(&mut self, event: impl Into<EventBody>, file: &str, row: usize) {
        self.events.push(event.into());
        self.sources.push((file.to_owned(), row));
    }
}

/// Something in a return that cannot become a record. Returns count rows from 0, as the
/// validation findings do.
pub use domain::Problem;

/// The parts of a child's record a return can bring, so that a child already held from one
/// return (the CIN census) can take another's (the SSDA903), but never the same part twice.
fn parts(events: &[EventBody]) -> [bool; 2] {
    let care = events
        .iter()
        .any(|e| matches!(e, EventBody::CarePeriodStarted(_)));
    let need = events
        .iter()
        .any(|e| matches!(e, EventBody::ReferralReceived(_)));
    [care, need]
}

/// Event fields that hold a record's number within the child's stream.
const RECORD_FIELDS: &[&str] = &[
    "assessment",
    "audit",
    "complaint",
    "conference",
    "contact",
    "dispute",
    "enquiry",
    "episode",
    "from_contact",
    "note",
    "panel",
    "period",
    "plan",
    "pre_proceedings",
    "proceedings",
    "record",
    "referral",
    "review",
    "screening",
    "strategy",
    "transfer",
    "visit",
];

/// The event with every record number moved on by `offset`, for a history added after records
/// the child already has. Only numbers are moved: `plan` also names a permanence plan's kind.
fn renumber(body: EventBody, offset: u32) -> EventBody {
    if offset == 0 {
        return body;
    }
    let kind = body.kind();
    let mut value: serde_json::Value =
        serde_json::from_str(&body.to_json()).expect("an event body is JSON");
    if let Some(fields) = value.as_object_mut() {
        for (name, v) in fields.iter_mut() {
            if RECORD_FIELDS.contains(&name.as_str())
                && let Some(n) = v.as_u64()
            {
                *v = serde_json::Value::from(n + u64::from(offset));
            }
        }
    }
    EventBody::decode(kind, &value.to_string()).expect("renumbering keeps the body's shape")
}

/// The child's details with anything the return knows and the record lacks filled in.
fn merged(held: &ChildDetails, from_return: &ChildDetails) -> ChildDetails {
    let mut d = held.clone();
    macro_rules! fill {
        ($($field:ident),+) => {$(
            if d.$field.is_none() {
                d.$field = from_return.$field.clone();
            }
        )+};
    }
    fill!(
        upn,
        upn_unknown,
        date_of_birth,
        expected_date_of_birth,
        date_of_death,
        mother,
        first_child_born,
        uasc_ceased,
        previous_permanence
    );
    d.uasc |= from_return.uasc;
    if d.disabilities.is_empty() {
        d.disabilities = from_return.disabilities.clone();
    }
    d
}

/// Turns the histories into events for the log, checking every one against the model as the
/// child's record would stand. A child Hearth does not hold gets a new stream after the model's
/// highest. A child it holds (by the council's identifier) takes the return's part of the record
/// after what it has, with its record numbers moved on, its details completed from the return,
/// unless it already has that part (looked-after history, or children-in-need history), so that
/// importing a return twice adds nothing. Every problem is returned, and then nothing is to be
/// written.
pub fn into_events(
    model: &Model,
    histories: Vec<ChildHistory>,
    actor: &str,
    recorded_at: DateTime<Utc>,
) -> Result<Vec<Event>, Vec<Problem>> {
    let known: HashMap<&str, ChildId> = model
        .children
        .values()
        .map(|c| (c.details.la_child_id.as_str(), c.id()))
        .collect();
    let mut next = model.children.keys().map(|id| id.0).max().unwrap_or(0) + 1;
    let (staff_events, named) = staff(model, &histories, actor, recorded_at);
    let staffed = if staff_events.is_empty() {
        Cow::Borrowed(model)
    } else {
        let mut m = model.clone();
        for e in &staff_events {
            m.apply(e)
                .expect("a new team and new workers always apply to the model");
        }
        Cow::Owned(m)
    };
    let model = staffed.as_ref();
    let mut seen: HashMap<String, (String, usize)> = HashMap::new();
    let mut problems = Vec::new();
    let mut events = staff_events;
    for mut history in histories {
        for (i, registration) in &history.social_workers {
            if let Some(EventBody::ChildAllocated(a)) = history.events.get_mut(*i) {
                (a.worker, a.team) = named[registration];
            }
        }
        let (file, row) = history.sources.first().cloned().unwrap_or_default();
        if let Some((first_file, first_row)) = seen.get(&history.la_child_id) {
            problems.push(Problem::at(
                &file,
                row,
                "child",
                format!(
                    "child {} appears twice: first at {first_file}, row {first_row}",
                    history.la_child_id
                ),
            ));
            continue;
        }
        seen.insert(history.la_child_id.clone(), (file.clone(), row));
        let held = known
            .get(history.la_child_id.as_str())
            .and_then(|id| model.child(*id));
        // The stream, the version after its last, the record-number offset, and the child as
        // the events so far leave it.
        let (id, mut version, offset, mut child, bodies) = match held {
            None => {
                let id = ChildId(next);
                next += 1;
                (id, 0, 0, None, history.events)
            }
            Some(c) => {
                let [care, need] = parts(&history.events);
                let clash = (care && !c.care_periods.is_empty())
                    || (need && !c.referrals.is_empty())
                    || (!care && !need);
                if clash {
                    problems.push(Problem::at(
                        &file,
                        row,
                        "child",
                        format!(
                            "child {} is already in Hearth ({}) with this part of their record; an import adds only what Hearth does not hold",
                            history.la_child_id,
                            c.id()
                        ),
                    ));
                    continue;
                }
                let mut bodies = Vec::with_capacity(history.events.len());
                for body in history.events {
                    match body {
                        EventBody::ChildRegistered(r) => {
                            let details = merged(&c.details, &r.details);
                            if details != c.details {
                                bodies.push(EventBody::ChildDetailsCorrected(
                                    ChildDetailsCorrected { details, at: r.at },
                                ));
                            }
                        }
                        other => bodies.push(other),
                    }
                }
                let offset = c.next_record_id().0 - 1;
                let version = model.version(StreamId::Child(c.id()));
                (c.id(), version, offset, Some(c.clone()), bodies)
            }
        };
        // Sources line up with the events as the history gave them; a skipped registration
        // shifts them by one.
        let skipped = usize::from(held.is_some() && bodies.len() < history.sources.len());
        let mut mine = Vec::with_capacity(bodies.len());
        for (i, body) in bodies.into_iter().enumerate() {
            version += 1;
            let event = Event {
                stream: StreamId::Child(id),
                version,
                recorded_at,
                actor: actor.to_owned(),
                body: renumber(body, offset),
            };
            match model.check_on(child.take(), &event) {
                Ok(c) => child = Some(c),
                Err(e) => {
                    let (file, row) = history
                        .sources
                        .get(i + skipped)
                        .cloned()
                        .unwrap_or_default();
                    problems.push(Problem::at(
                        &file,
                        row,
                        event.body.kind(),
                        format!("child {}: {e}", history.la_child_id),
                    ));
                    mine.clear();
                    break;
                }
            }
            mine.push(event);
        }
        events.extend(mine);
    }
    if problems.is_empty() {
        Ok(events)
    } else {
        Err(problems)
    }
}

/// Each registration number a return names (or none, for a blank) and the worker and team it
/// stands for.
type NamedWorkers = HashMap<Option<String>, (WorkerId, TeamId)>;

/// The workers the returns' allocations name, each with the team their allocations are in: a
/// worker Hearth holds with that registration number (or the unnamed worker, for a blank), or
/// one added for the import, in a team added for them, dated from their first allocation. Gives
/// the events adding them.
fn staff(
    model: &Model,
    histories: &[ChildHistory],
    actor: &str,
    recorded_at: DateTime<Utc>,
) -> (Vec<Event>, NamedWorkers) {
    let mut first: BTreeMap<Option<String>, NaiveDate> = BTreeMap::new();
    for h in histories {
        for (i, registration) in &h.social_workers {
            if let Some(EventBody::ChildAllocated(a)) = h.events.get(*i) {
                let day = first.entry(registration.clone()).or_insert(a.at);
                *day = (*day).min(a.at);
            }
        }
    }
    let held: HashMap<Option<String>, (WorkerId, TeamId)> = model
        .workers
        .values()
        .filter(|w| w.registration.is_some() || w.name == UNNAMED_WORKER_NAME)
        .map(|w| (w.registration.clone(), (w.id, w.current().team)))
        .collect();
    let mut team = model
        .teams
        .values()
        .find(|t| t.name == IMPORTED_TEAM && t.closed.is_none())
        .map(|t| t.id);
    let mut next_worker = model.workers.keys().map(|w| w.0).max().unwrap_or(0);
    let mut events = Vec::new();
    let event = |stream, body: EventBody| Event {
        stream,
        version: 1,
        recorded_at,
        actor: actor.to_owned(),
        body,
    };
    let mut named = HashMap::with_capacity(first.len());
    let earliest = first.values().min().copied();
    for (registration, from) in first {
        if let Some(&found) = held.get(&registration) {
            named.insert(registration, found);
            continue;
        }
        let team = *team.get_or_insert_with(|| {
            let id = TeamId(model.teams.keys().map(|t| t.0).max().unwrap_or(0) + 1);
            events.push(event(
                StreamId::Team(id),
                TeamEstablished {
                    team: id,
                    name: IMPORTED_TEAM.to_owned(),
                    service: Service::ChildrenInCare,
                    area: None,
                    at: earliest.unwrap_or(from),
                }
                .into(),
            ));
            id
        });
        next_worker += 1;
        let worker = WorkerId(next_worker);
        let name = match &registration {
            Some(r) => format!("Social worker {r}"),
            None => UNNAMED_WORKER_NAME.to_owned(),
        };
        events.push(event(
            StreamId::Worker(worker),
            WorkerJoined {
                worker,
                name,
                role: WorkerRole::SocialWorker,
                team,
                employment: Employment::Permanent,
                fte: 1.0,
                registration: registration.clone(),
                at: from,
            }
            .into(),
        ));
        named.insert(registration, (worker, team));
    }
    (events, named)
}
