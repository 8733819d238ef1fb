//! Hearth's case model: the types, the events that change them, the model they fold into, and the
//! working-day calendar that every statutory clock counts in. No I/O and no async live here.

pub mod age;
pub mod calendar;
pub mod code_lists;
pub mod codes;
mod error;
pub mod events;
pub mod ids;
pub mod model;
pub mod plan;

pub use error::{ApplyError, Problem};
pub use events::{Event, EventBody};
pub use ids::{ChildId, FamilyId, RecordId, StreamId, TeamId, WorkerId};
pub use model::Model;
