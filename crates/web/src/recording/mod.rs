//! Recording: every save of a child's record, from a page's form or from the API, passes
//! through [`save`] (or [`register`] for a new child). It checks the power the stage needs,
//! reads and checks each field, asks the case model whether the record fits what is already
//! there, and appends the event only if nobody else has saved the child since the form was
//! loaded. The event names who recorded it and when: the access log shows writes from there.

pub mod fields;
pub mod partner;
pub mod plan;
pub mod stages;

mod recent;
pub use recent::Recent;

use crate::AppState;
use crate::auth::SignedIn;
use crate::permissions::Power;
use chrono::Utc;
use domain::{ChildId, Event, EventBody, StreamId};
use fields::{Answers, Context, FieldError};
use serde_json::{Map, Value};
use stages::Stage;
use store::{ExpectedVersion, NewEvent, StoreError, StoredEvent};

/// A save that went through.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Saved {
    /// The child's number (or, for a save about staff, the worker's or team's).
    pub child: u64,
    /// The child's record's version after the save: what the next save must name.
    pub version: u32,
    /// Where the event sits in the log.
    pub seq: i64,
    /// The number given to the record the save opened, if it opened one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u32>,
}

/// Why a save did not go through. Nothing was written.
#[derive(Debug)]
pub enum Refused {
    /// The role may not record this.
    Forbidden(Power),
    NoSuchChild,
    /// The record is restricted and this person has not given a reason to open it.
    Restricted,
    /// What is wrong, field by field; a fault in the record as a whole has an empty field.
    Invalid(Vec<FieldError>),
    /// Someone else saved the child's record after this form was loaded: their changes, and the
    /// version to name when saving again.
    Conflict {
        version: u32,
        changes: Vec<StoredEvent>,
    },
    /// The database could not be reached or written.
    Unavailable(String),
}

/// Records a stage for a child whose record was at version `expected` when the form was
/// loaded (or, through the API, when the caller read it).
pub async fn save(
    state: &AppState,
    who: &SignedIn,
    stage: &'static Stage,
    child: ChildId,
    expected: u32,
    answers: &Answers<'_>,
) -> Result<Saved, Refused> {
    if !who.role.may(stage.power) {
        return Err(Refused::Forbidden(stage.power));
    }
    let stream = StreamId::Child(child);
    // The model is read under a lock that must be let go before waiting on the database.
    let checked = (|| {
        let live = state.read();
        let model = live.model();
        let Some((now, c)) = state.recent.child(model, child) else {
            return Err(Refused::NoSuchChild);
        };
        if !crate::permissions::may_open(&state.opened, who, &c) {
            return Err(Refused::Restricted);
        }
        let cx = Context {
            model,
            child: Some(&c),
            today: state.today(),
        };
        let mut body = fields::read(stage.fields, answers, &cx).map_err(Refused::Invalid)?;
        let record = stage.opens.map(|name| {
            let id = c.next_record_id();
            body.insert(name.into(), Value::from(id.0));
            id.0
        });
        if stage.kind == "child_details_corrected" {
            // Identifiers the form does not show stay as they are.
            body.insert(
                "la_child_id".into(),
                Value::from(c.details.la_child_id.clone()),
            );
            if let Some(family) = c.details.family {
                body.insert("family".into(), Value::from(family.0));
            }
        }
        if now != expected {
            return Err(Refused::Conflict {
                version: now,
                changes: Vec::new(),
            });
        }
        let event = event_of(stage, body, stream, expected + 1, who)?;
        let after = model
            .check_on(Some(c), &event)
            .map_err(|e| whole(&e.to_string()))?;
        Ok((event, record, after))
    })();
    let (event, record, after) = match checked {
        Ok(ready) => ready,
        Err(Refused::Conflict { .. }) => return Err(conflict(state, child, expected).await),
        Err(other) => return Err(other),
    };
    if let EventBody::RecordRestricted(r) = &event.body {
        named_users_exist(state, &r.named).await?;
    }
    let appended = append(state, &event, ExpectedVersion::Exact(expected.into())).await;
    let appended = match appended {
        Ok(a) => a,
        Err(StoreError::Conflict { .. }) => return Err(conflict(state, child, expected).await),
        Err(e) => return Err(Refused::Unavailable(e.to_string())),
    };
    state.recent.keep(child, appended.version as u32, after);
    state.changed();
    Ok(Saved {
        child: child.0,
        version: appended.version as u32,
        seq: appended.last_seq,
        record,
    })
}

/// Registers a new child with the details given, giving them the next free number.
pub async fn register(
    state: &AppState,
    who: &SignedIn,
    answers: &Answers<'_>,
) -> Result<Saved, Refused> {
    let stage = &stages::REGISTER;
    if !who.role.may(stage.power) {
        return Err(Refused::Forbidden(stage.power));
    }
    // Two registrations at once may pick the same number: the second tries the next.
    for _ in 0..5 {
        let (event, child, registered) = {
            let live = state.read();
            let model = live.model();
            let child = state.recent.next_child_id(model);
            let cx = Context {
                model,
                child: None,
                today: state.today(),
            };
            let mut body = fields::read(stage.fields, answers, &cx).map_err(Refused::Invalid)?;
            body.insert("la_child_id".into(), Value::from(child.0.to_string()));
            let event = event_of(stage, body, StreamId::Child(child), 1, who)?;
            let registered = model
                .check_on(None, &event)
                .map_err(|e| whole(&e.to_string()))?;
            (event, child, registered)
        };
        match append(state, &event, ExpectedVersion::NoStream).await {
            Ok(appended) => {
                state.recent.keep(child, 1, registered);
                state.changed();
                return Ok(Saved {
                    child: child.0,
                    version: 1,
                    seq: appended.last_seq,
                    record: None,
                });
            }
            Err(StoreError::Conflict { .. }) => {
                // Another server took the number: wait for the model to see it, then go on.
                state.changed();
                let _ = state.catch_up().await;
            }
            Err(e) => return Err(Refused::Unavailable(e.to_string())),
        }
    }
    Err(Refused::Unavailable(
        "could not find a free number for the child: try again".into(),
    ))
}

/// Everyone a restriction names must be someone who can sign in.
async fn named_users_exist(state: &AppState, named: &[String]) -> Result<(), Refused> {
    for name in named {
        match state.store.user(name).await {
            Ok(Some(_)) => {}
            Ok(None) => {
                return Err(Refused::Invalid(vec![FieldError::new(
                    "named",
                    format!("There is no user called {name}: give each person's user name"),
                )]));
            }
            Err(e) => return Err(Refused::Unavailable(e.to_string())),
        }
    }
    Ok(())
}

fn whole(message: &str) -> Refused {
    // The model names the stream first ("child/12: ..."); the person saving knows which child.
    let message = message
        .split_once(": ")
        .filter(|(head, _)| head.starts_with("child/"))
        .map_or(message, |(_, rest)| rest);
    Refused::Invalid(vec![FieldError::new("", crate::pages::capital(message))])
}

fn event_of(
    stage: &Stage,
    body: Map<String, Value>,
    stream: StreamId,
    version: u32,
    who: &SignedIn,
) -> Result<Event, Refused> {
    let body = EventBody::decode(stage.kind, &Value::Object(body).to_string())
        .map_err(|e| whole(&format!("The record could not be made: {e}")))?;
    Ok(Event {
        stream,
        version,
        recorded_at: Utc::now(),
        actor: who.user.username.clone(),
        body,
    })
}

async fn append(
    state: &AppState,
    event: &Event,
    expected: ExpectedVersion,
) -> Result<store::Appended, StoreError> {
    let new = NewEvent {
        kind: event.body.kind().to_string(),
        body: event.body.to_json(),
        actor: event.actor.clone(),
        recorded_at: Some(event.recorded_at),
    };
    state
        .store
        .append(&event.stream.to_string(), expected, &[new])
        .await
}

/// What others saved since `expected`, read from the log (which may be ahead of the model).
async fn conflict(state: &AppState, child: ChildId, expected: u32) -> Refused {
    match state.store.read_stream(&child.to_string()).await {
        Ok(events) => {
            let version = events.last().map_or(0, |e| e.version as u32);
            let changes = events
                .into_iter()
                .filter(|e| e.version > i64::from(expected))
                .collect();
            Refused::Conflict { version, changes }
        }
        Err(e) => Refused::Unavailable(e.to_string()),
    }
}

/// Whose staff record a save is for: an existing worker or team, or a new one.
#[derive(Debug, Clone, Copy)]
pub enum StaffRecord {
    Worker(domain::WorkerId),
    Team(domain::TeamId),
    New,
}

/// Records a stage about the council's staff or teams (see [`stages::STAFF_STAGES`]). A new
/// worker or team is given the next free number. These are rare and small, so the save waits
/// until the model has it: the next form or read shows it.
pub async fn save_staff(
    state: &AppState,
    who: &SignedIn,
    kind: &str,
    record: StaffRecord,
    expected: u32,
    answers: &Answers<'_>,
) -> Result<Saved, Refused> {
    let Some((whose, stage)) = stages::staff_stage(kind) else {
        return Err(whole("Nothing of that kind can be recorded about staff"));
    };
    if !who.role.may(stage.power) {
        return Err(Refused::Forbidden(stage.power));
    }
    let checked = (|| {
        let live = state.read();
        let model = live.model();
        let cx = Context {
            model,
            child: None,
            today: state.today(),
        };
        let mut body = fields::read(stage.fields, answers, &cx).map_err(Refused::Invalid)?;
        let (stream, id) = match (whose, record, stage.opens) {
            (stages::Staff::Worker, StaffRecord::New, Some(_)) => {
                let n = model.workers.keys().map(|w| w.0).max().unwrap_or(0) + 1;
                (StreamId::Worker(domain::WorkerId(n)), n)
            }
            (stages::Staff::Team, StaffRecord::New, Some(_)) => {
                let n = model.teams.keys().map(|t| t.0).max().unwrap_or(0) + 1;
                (StreamId::Team(domain::TeamId(n)), n)
            }
            (stages::Staff::Worker, StaffRecord::Worker(w), None)
                if model.workers.contains_key(&w) =>
            {
                (StreamId::Worker(w), w.0)
            }
            (stages::Staff::Team, StaffRecord::Team(t), None) if model.teams.contains_key(&t) => {
                (StreamId::Team(t), t.0)
            }
            _ => return Err(Refused::NoSuchChild),
        };
        let field = match whose {
            stages::Staff::Worker => "worker",
            stages::Staff::Team => "team",
        };
        // The record's own number: a worker's stages name the worker (a change of team names
        // the new team in `team` too), a team's name the team.
        body.insert(field.into(), Value::from(id));
        let now = model.version(stream);
        let expected = if stage.opens.is_some() { 0 } else { expected };
        if now != expected {
            return Err(Refused::Conflict {
                version: now,
                changes: Vec::new(),
            });
        }
        let event = event_of(stage, body, stream, now + 1, who)?;
        model.check(&event).map_err(|e| whole(&e.to_string()))?;
        Ok(event)
    })();
    let event = match checked {
        Ok(event) => event,
        Err(Refused::Conflict { .. }) if stage.opens.is_none() => {
            let stream = match record {
                StaffRecord::Worker(w) => StreamId::Worker(w).to_string(),
                StaffRecord::Team(t) => StreamId::Team(t).to_string(),
                StaffRecord::New => String::new(),
            };
            return Err(match state.store.read_stream(&stream).await {
                Ok(events) => Refused::Conflict {
                    version: events.last().map_or(0, |e| e.version as u32),
                    changes: events
                        .into_iter()
                        .filter(|e| e.version > i64::from(expected))
                        .collect(),
                },
                Err(e) => Refused::Unavailable(e.to_string()),
            });
        }
        Err(other) => return Err(other),
    };
    let at = if stage.opens.is_some() {
        ExpectedVersion::NoStream
    } else {
        ExpectedVersion::Exact(expected.into())
    };
    let appended = match append(state, &event, at).await {
        Ok(a) => a,
        Err(StoreError::Conflict { .. }) => {
            return Err(Refused::Conflict {
                version: expected + 1,
                changes: Vec::new(),
            });
        }
        Err(e) => return Err(Refused::Unavailable(e.to_string())),
    };
    state.changed();
    state.seen(appended.last_seq).await;
    let id = match event.stream {
        StreamId::Worker(w) => u64::from(w.0),
        StreamId::Team(t) => u64::from(t.0),
        _ => 0,
    };
    Ok(Saved {
        child: id,
        version: appended.version as u32,
        seq: appended.last_seq,
        record: None,
    })
}
