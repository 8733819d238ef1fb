//! Recording the improvement plan: an action's progress, a new date or owner for it, a new
//! action, and the sections of the report to scrutiny that the records cannot give.
//!
//! Who may record is decided by who someone is, not only by their role: an action's owner may
//! record its progress and move its date; a board's chair records its meetings; the plan's lead
//! may record anything in the plan.
//! Everyone else who may see the plan (board members among them) reads it only. Each action is
//! its own stream, so two owners never hold each other up; two people saving the same action
//! do, and the second is shown what the first saved.

use super::fields::FieldError;
use super::{Saved, append};
use crate::AppState;
use crate::auth::SignedIn;
use chrono::Utc;
use domain::plan::Action;
use domain::{Event, EventBody, Model, StreamId};
use store::{ExpectedVersion, StoreError, StoredEvent};

/// The plan's events that pages record. The rest (starting the plan, adding priorities and
/// boards) are set up once, when the council adopts its plan.
pub const RECORDED_ON_PAGES: &[&str] = &[
    "action_updated",
    "action_rescheduled",
    "action_reassigned",
    "action_added",
    "meeting_held",
    "plan_report_text_set",
];

/// The plan's events set up once with the plan itself.
pub const SET_UP_WITH_THE_PLAN: &[&str] = &[
    "plan_started",
    "priority_added",
    "priority_changed",
    "board_established",
];

/// Why a save to the plan did not go through. Nothing was written.
#[derive(Debug)]
pub enum PlanRefused {
    /// Only the action's owner or the plan's lead may record this: why, in words.
    NotYours(String),
    Invalid(Vec<FieldError>),
    /// Someone else saved the same stream after the form was loaded.
    Conflict {
        version: u32,
        changes: Vec<StoredEvent>,
    },
    Unavailable(String),
}

/// Whether this person leads the plan.
pub fn is_lead(model: &Model, who: &SignedIn) -> bool {
    who.worker().is_some() && model.plan.lead == who.worker()
}

/// Whether this person may record an action's progress and move its date.
pub fn may_update(model: &Model, who: &SignedIn, action: &Action) -> bool {
    is_lead(model, who) || who.worker() == Some(action.owner)
}

/// Records one event on a plan stream that was at version `expected` when the form was loaded.
pub async fn save(
    state: &AppState,
    who: &SignedIn,
    stream: StreamId,
    expected: u32,
    body: EventBody,
) -> Result<Saved, PlanRefused> {
    let event = match prepare(state, who, stream, expected, body) {
        Ok(event) => event,
        Err(None) => return Err(conflict(state, stream, expected).await),
        Err(Some(refused)) => return Err(refused),
    };
    let at = if expected == 0 {
        ExpectedVersion::NoStream
    } else {
        ExpectedVersion::Exact(expected.into())
    };
    let appended = match append(state, &event, at).await {
        Ok(a) => a,
        Err(StoreError::Conflict { .. }) => return Err(conflict(state, stream, expected).await),
        Err(e) => return Err(PlanRefused::Unavailable(e.to_string())),
    };
    state.changed();
    // The plan's pages read the model: wait for it, so the page after the save shows it.
    state.seen(appended.last_seq).await;
    Ok(Saved {
        child: 0,
        version: appended.version as u32,
        seq: appended.last_seq,
        record: None,
    })
}

/// The event to append, checked against the model; `Err(None)` when the stream has moved on
/// since the form was loaded. The model's lock is let go before anything waits.
fn prepare(
    state: &AppState,
    who: &SignedIn,
    stream: StreamId,
    expected: u32,
    body: EventBody,
) -> Result<Event, Option<PlanRefused>> {
    let live = state.read();
    let model = live.model();
    let allowed = match (&body, stream) {
        (EventBody::ActionUpdated(_) | EventBody::ActionRescheduled(_), StreamId::Action(id)) => {
            model
                .plan
                .actions
                .get(&id)
                .is_some_and(|a| may_update(model, who, a))
        }
        // A board's chair records its meetings, as the lead may.
        (EventBody::MeetingHeld(e), _) => {
            is_lead(model, who)
                || model
                    .plan
                    .boards
                    .get(&e.board)
                    .is_some_and(|b| Some(b.chair) == who.worker())
        }
        _ => is_lead(model, who),
    };
    if !allowed {
        let what = match &body {
            EventBody::ActionUpdated(_) | EventBody::ActionRescheduled(_) => {
                "Only the action's owner or the plan's lead may record its progress or move its date."
            }
            EventBody::MeetingHeld(_) => {
                "Only the board's chair or the plan's lead may record its meetings."
            }
            _ => "Only the plan's lead may change the plan's actions, owners and report.",
        };
        return Err(Some(PlanRefused::NotYours(what.into())));
    }
    if model.version(stream) != expected {
        return Err(None);
    }
    let event = Event {
        stream,
        version: expected + 1,
        recorded_at: Utc::now(),
        actor: who.user.username.clone(),
        body,
    };
    model.check(&event).map_err(|e| {
        let message = e.to_string();
        // The model names the stream first; the person saving knows which action.
        let message = message
            .split_once(": ")
            .map_or(message.as_str(), |(_, m)| m);
        Some(PlanRefused::Invalid(vec![FieldError::new(
            "",
            crate::pages::capital(message),
        )]))
    })?;
    Ok(event)
}

async fn conflict(state: &AppState, stream: StreamId, expected: u32) -> PlanRefused {
    match state.store.read_stream(&stream.to_string()).await {
        Ok(events) => PlanRefused::Conflict {
            version: events.last().map_or(0, |e| e.version as u32),
            changes: events
                .into_iter()
                .filter(|e| e.version > i64::from(expected))
                .collect(),
        },
        Err(e) => PlanRefused::Unavailable(e.to_string()),
    }
}
