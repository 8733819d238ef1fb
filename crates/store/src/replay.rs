//! Replay: the log folded into the case model, as a server does at start and a report does for
//! "what did we know on this date".

use crate::scan::RawRow;
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
    decode_parts(
        stored.seq,
        &stored.stream,
        stored.version,
        &stored.kind,
        &stored.body,
        &stored.actor,
        stored.recorded_at,
    )
}

/// Folds one event from the log into a model, naming the event if it cannot be read or is
/// refused: how a server keeps up with what others append.
pub fn apply_stored(model: &mut Model, stored: &StoredEvent) -> Result<(), LoadError> {
    let event = decode(stored)?;
    model.apply(&event).map_err(|source| LoadError::Refused {
        seq: stored.seq,
        source,
    })
}

fn decode_parts(
    seq: i64,
    stream: &str,
    version: i64,
    kind: &str,
    body: &str,
    actor: &str,
    recorded_at: DateTime<Utc>,
) -> Result<Event, LoadError> {
    let bad_stream = || LoadError::BadStream {
        seq,
        stream: format!("{stream} at version {version}"),
    };
    let stream: StreamId = stream.parse().map_err(|_| bad_stream())?;
    let version = u32::try_from(version).map_err(|_| bad_stream())?;
    let body = EventBody::decode(kind, body).map_err(|source| LoadError::Decode { seq, source })?;
    Ok(Event {
        stream,
        version,
        recorded_at,
        actor: actor.to_string(),
        body,
    })
}

/// A row as the reader found it, decoded there.
fn decode_raw(raw: RawRow<'_>) -> Result<(i64, Event), LoadError> {
    let event = decode_parts(
        raw.seq,
        raw.stream,
        raw.version,
        raw.kind,
        raw.body,
        raw.actor,
        raw.recorded_at,
    )?;
    Ok((raw.seq, event))
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
    let mut fold = |seq: i64, event: &Event| {
        model
            .apply(event)
            .map_err(|source| LoadError::Refused { seq, source })?;
        applied += 1;
        if applied.is_multiple_of(65_536) {
            progress(applied);
        }
        Ok::<(), LoadError>(())
    };
    // Rows are read and decoded on one core while the model folds them on the other.
    let last_seq = store
        .scan(0, until, decode_raw, |(seq, event)| fold(seq, &event))
        .await?;
    progress(applied);
    Ok(Loaded { model, last_seq })
}
