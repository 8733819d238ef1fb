//! The partner portal: a school, GP or police officer sends a contact about a child to the
//! front door, and afterwards sees what became of their own contacts and nothing else.
//!
//! A partner cannot search the council's records, so each contact starts a new child's record;
//! the front door links it to a child already known when it triages.

use super::fields::{self, Answers, Context, Field, Input};
use super::{Refused, Saved};
use crate::AppState;
use crate::auth::SignedIn;
use crate::permissions::Power;
use domain::StreamId;
use domain::code_lists as dfe;
use domain::codes::Sex;
use serde_json::Value;
use store::{ExpectedVersion, NewEvent, StoreError};

/// The questions a partner answers.
pub const FIELDS: &[Field] = &[
    Field::new("given_name", "child's first name", Input::Text),
    Field::new("family_name", "child's last name", Input::Text),
    Field::new("date_of_birth", "child's date of birth", Input::Date).optional(),
    Field::new("sex", "child's sex", Input::Choice(Sex::options)).optional(),
    Field::new("area", "town or area where the child lives", Input::Text).optional(),
    Field::new("source", "who you are", Input::Choice(dfe::referral_source)),
    Field::new("concerns", "concerns", Input::LongText)
        .hint("What has happened, what you are worried about, and what the child has said"),
    Field::new("consent", "family's consent", Input::YesNo)
        .optional()
        .hint("Whether the family agreed to this contact being made"),
];

/// Sends a partner's contact: a new child's record with the contact on it, in one write.
pub async fn submit(
    state: &AppState,
    who: &SignedIn,
    answers: &Answers<'_>,
) -> Result<Saved, Refused> {
    if !who.role.may(Power::SubmitContact) {
        return Err(Refused::Forbidden(Power::SubmitContact));
    }
    for _ in 0..5 {
        let (child, events, after) = {
            let live = state.read();
            let model = live.model();
            let cx = Context {
                model,
                child: None,
                today: state.today(),
            };
            let answers = fields::read(FIELDS, answers, &cx).map_err(Refused::Invalid)?;
            let child = state.recent.next_child_id(model);
            let get = |k: &str| answers.get(k).cloned().unwrap_or(Value::Null);
            // To the minute, as the front door's forms record times.
            let now = chrono::Local::now().naive_local();
            let registered = serde_json::json!({
                "la_child_id": child.0.to_string(),
                "given_name": get("given_name"),
                "family_name": get("family_name"),
                "date_of_birth": get("date_of_birth"),
                "sex": answers.get("sex").cloned().unwrap_or(Value::from(Sex::Unknown.code())),
                // A partner is not asked: the front door records it when it learns it.
                "ethnicity": "NOBT",
                "area": get("area"),
                "at": now.date(),
            });
            let contact = serde_json::json!({
                "contact": 1,
                "at": now.format("%Y-%m-%dT%H:%M:00").to_string(),
                "source": get("source"),
                "concerns": get("concerns"),
                "consent": get("consent"),
            });
            let mut events = Vec::new();
            let mut after = None;
            for (version, (kind, body)) in [
                ("child_registered", registered),
                ("contact_received", contact),
            ]
            .into_iter()
            .enumerate()
            {
                let body = strip_nulls(body);
                // Both are checked as the model would fold them, so a bad one is refused here.
                let decoded = domain::EventBody::decode(kind, &body.to_string()).map_err(|e| {
                    Refused::Invalid(vec![fields::FieldError::new("", e.to_string())])
                })?;
                let event = domain::Event {
                    stream: StreamId::Child(child),
                    version: version as u32 + 1,
                    recorded_at: chrono::Utc::now(),
                    actor: who.user.username.clone(),
                    body: decoded,
                };
                after = Some(model.check_on(after, &event).map_err(|e| {
                    Refused::Invalid(vec![fields::FieldError::new("", e.to_string())])
                })?);
                events.push(event);
            }
            (child, events, after)
        };
        let new: Vec<NewEvent> = events
            .iter()
            .map(|e| NewEvent {
                kind: e.body.kind().to_string(),
                body: e.body.to_json(),
                actor: e.actor.clone(),
                recorded_at: Some(e.recorded_at),
            })
            .collect();
        match state
            .store
            .append(
                &StreamId::Child(child).to_string(),
                ExpectedVersion::NoStream,
                &new,
            )
            .await
        {
            Ok(appended) => {
                if let Some(after) = after {
                    state.recent.keep(child, appended.version as u32, after);
                }
                state.changed();
                return Ok(Saved {
                    child: child.0,
                    version: appended.version as u32,
                    seq: appended.last_seq,
                    record: Some(1),
                });
            }
            Err(StoreError::Conflict { .. }) => {
                let _ = state.catch_up().await;
            }
            Err(e) => return Err(Refused::Unavailable(e.to_string())),
        }
    }
    Err(Refused::Unavailable(
        "could not find a free number for the child: try again".into(),
    ))
}

fn strip_nulls(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).collect())
        }
        other => other,
    }
}

/// One of a partner's contacts as they may see it: what they sent and where it has got to.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Submission {
    pub reference: String,
    pub child: String,
    pub sent: String,
    pub status: String,
}

/// The contacts this partner sent, newest first, with the front door's progress on each.
pub async fn submitted_by(state: &AppState, who: &SignedIn) -> Result<Vec<Submission>, StoreError> {
    let sent = state
        .store
        .recorded_by(&who.user.username, "contact_received")
        .await?;
    let live = state.read();
    let m = live.model();
    let mut out: Vec<Submission> = sent
        .iter()
        .filter_map(|e| {
            let stream: StreamId = e.stream.parse().ok()?;
            let StreamId::Child(id) = stream else {
                return None;
            };
            let body: Value = serde_json::from_str(&e.body).ok()?;
            let record = body.get("contact")?.as_u64()? as u32;
            let child = m.child(id);
            let contact = child.and_then(|c| c.contacts.iter().find(|k| k.id.0 == record));
            let status = match contact {
                None => "Received: not yet on the front door's list".to_string(),
                Some(k) => match &k.decision {
                    None => "Received: awaiting a decision".to_string(),
                    Some((decision, at)) => {
                        format!(
                            "Decided on {}: {}",
                            at.format("%-d %B %Y"),
                            decision.label()
                        )
                    }
                },
            };
            Some(Submission {
                reference: format!("{}-{record}", id.0),
                child: child
                    .map(|c| format!("{} {}", c.details.given_name, c.details.family_name))
                    .unwrap_or_default(),
                sent: e.recorded_at.format("%-d %B %Y %H:%M").to_string(),
                status,
            })
        })
        .collect();
    out.reverse();
    Ok(out)
}
