//! Replay: the log folded into the case model, as a server does at start and a report does for
//! "what did we know on this date".

use crate::{Store, StoreError, StoredEvent};
use chrono::{DateTime, Utc};
use domain::events::DecodeError;
use domain::{ApplyError, Event, EventBody, Model, StreamId};

/// Why the log could not be loaded. Each names the event by its sequence number, so an
/// administrator can find it.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("event {seq} cannot be read: {source}")]
    Decode {
        seq: i64,
        #[source]
        source: DecodeError,
    },
    #[error("event {seq} names a stream '{stream}' that Hearth does not know")]
    BadStream { seq: i64, stream: String },
    #[error("event {seq} was refused by the case model: {source}")]
    Refused {
        seq: i64,
        #[source]
        source: ApplyError,
    },
}

/// A replayed model and the last event in it.
pub struct Loaded {
    pub model: Model,
    pub last_seq: i64,
}

/// An event as the log holds it, read back into the case model's terms.
pub fn decode(stored: &StoredEvent) -> Result<Event, LoadError> {
    let stream: StreamId = stored.stream.parse().map_err(|_| LoadError::BadStream {
        seq: stored.seq,
        stream: stored.stream.clone(),
    })?;
    let body =
        EventBody::decode(&stored.kind, &stored.body).map_err(|source| LoadError::Decode {
            seq: stored.seq,
            source,
        })?;
    let version = u32::try_from(stored.version).map_err(|_| LoadError::BadStream {
        seq: stored.seq,
        stream: format!("{} at version {}", stored.stream, stored.version),
    })?;
    Ok(Event {
        stream,
        version,
        recorded_at: stored.recorded_at,
        actor: stored.actor.clone(),
        body,
    })
}

/// Replays the whole log (or what was recorded by `until`) into a new model. `progress` is told
/// how many events have been applied, every so often.
pub async fn load_model(
    store: &Store,
    until: Option<DateTime<Utc>>,
    mut progress: impl FnMut(u64),
) -> Result<Loaded, LoadError> {
    let mut model = Model::new();
    let mut applied = 0u64;
    let last_seq = store
        .replay(0, until, |stored| {
            let event = decode(stored)?;
            model.apply(&event).map_err(|source| LoadError::Refused {
                seq: stored.seq,
                source,
            })?;
            applied += 1;
            if applied.is_multiple_of(65_536) {
                progress(applied);
            }
            Ok::<(), LoadError>(())
        })
        .await?;
    progress(applied);
    Ok(Loaded { model, last_seq })
}
