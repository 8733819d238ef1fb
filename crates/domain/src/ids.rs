//! Identifiers. Children, workers and teams are numbered by Hearth; the council's own identifiers
//! (LA child id, UPN, NHS number) are attributes of the child, because imports bring them in and
//! returns send them out, but they can change.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! numeric_id {
    ($(#[$doc:meta])* $name:ident, $inner:ty, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}{}", $prefix, self.0)
            }
        }
    };
}

numeric_id!(
    /// A child known to the council.
    ChildId, u64, "child/");
numeric_id!(
    /// A member of staff (social worker, manager, IRO, personal adviser, adult specialist...).
    WorkerId, u32, "worker/");
numeric_id!(
    /// A team within a service.
    TeamId, u32, "team/");
numeric_id!(
    /// A family group: children with the same family id are siblings.
    FamilyId, u64, "family/");
numeric_id!(
    /// A priority area of the improvement plan.
    PriorityId, u32, "priority/");
numeric_id!(
    /// An action of the improvement plan.
    ActionId, u32, "action/");
numeric_id!(
    /// A board or group that oversees the improvement plan (the Improvement Board...).
    BoardId, u32, "board/");

/// A record within a child's stream (a contact, an assessment, a plan...). Numbered by the child's
/// stream so that events can refer to "assessment 3" without a global counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordId(pub u32);

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Which stream an event belongs to. A stream is the unit of concurrency: two people saving the
/// same child at once conflict, saving two different children do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StreamId {
    /// Directorate-wide facts: services, the council's area and population.
    Council,
    Team(TeamId),
    Worker(WorkerId),
    Child(ChildId),
    /// The improvement plan as a whole: its purpose, lead and dates.
    Plan,
    Priority(PriorityId),
    /// One action, so that owners updating different actions never conflict.
    Action(ActionId),
    /// A board and its meetings.
    Board(BoardId),
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamId::Council => f.write_str("council"),
            StreamId::Team(t) => t.fmt(f),
            StreamId::Worker(w) => w.fmt(f),
            StreamId::Child(c) => c.fmt(f),
            StreamId::Plan => f.write_str("plan"),
            StreamId::Priority(p) => p.fmt(f),
            StreamId::Action(a) => a.fmt(f),
            StreamId::Board(b) => b.fmt(f),
        }
    }
}

/// A stream name that is not one of `council`, `plan`, `team/N`, `worker/N`, `child/N`,
/// `priority/N`, `action/N` or `board/N`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "'{0}' is not a stream name (expected council, plan, team/N, worker/N, child/N, priority/N, action/N or board/N)"
)]
pub struct BadStreamName(pub String);

impl FromStr for StreamId {
    type Err = BadStreamName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadStreamName(s.to_string());
        match s {
            "council" => return Ok(StreamId::Council),
            "plan" => return Ok(StreamId::Plan),
            _ => {}
        }
        let (prefix, number) = s.split_once('/').ok_or_else(bad)?;
        match prefix {
            "child" => number.parse().map(|n| StreamId::Child(ChildId(n))),
            "worker" => number.parse().map(|n| StreamId::Worker(WorkerId(n))),
            "team" => number.parse().map(|n| StreamId::Team(TeamId(n))),
            "priority" => number.parse().map(|n| StreamId::Priority(PriorityId(n))),
            "action" => number.parse().map(|n| StreamId::Action(ActionId(n))),
            "board" => number.parse().map(|n| StreamId::Board(BoardId(n))),
            _ => return Err(bad()),
        }
        .map_err(|_| bad())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_names_round_trip() {
        for s in [
            StreamId::Council,
            StreamId::Team(TeamId(4)),
            StreamId::Worker(WorkerId(17)),
            StreamId::Child(ChildId(123456)),
            StreamId::Plan,
            StreamId::Priority(PriorityId(3)),
            StreamId::Action(ActionId(41)),
            StreamId::Board(BoardId(1)),
        ] {
            assert_eq!(s.to_string().parse::<StreamId>(), Ok(s));
        }
    }

    #[test]
    fn bad_stream_names_are_refused() {
        for s in ["", "child", "child/", "child/x", "pupil/3", "team/-1"] {
            assert!(s.parse::<StreamId>().is_err(), "{s} parsed");
        }
    }
}
