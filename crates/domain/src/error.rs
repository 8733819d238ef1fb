//! Why an event was refused. Each message names the stream and the record, in words a member of
//! staff or an administrator reading an import report can act on.

use crate::ids::*;
use crate::model::RecordKind;
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApplyError {
    #[error("no child {0} is known: register the child before recording anything for them")]
    UnknownChild(ChildId),
    #[error("no worker {0} is known")]
    UnknownWorker(WorkerId),
    #[error("no team {0} is known")]
    UnknownTeam(TeamId),
    #[error("{stream}: the record is not restricted")]
    NotRestricted { stream: StreamId },
    #[error("{stream} already exists")]
    AlreadyExists { stream: StreamId },
    #[error("a {kind} event does not belong in stream {stream}")]
    WrongStream {
        stream: StreamId,
        kind: &'static str,
    },
    #[error("{stream} is at version {}, so the next event must be version {expected}, not {got}", expected - 1)]
    VersionGap {
        stream: StreamId,
        expected: u32,
        got: u32,
    },
    #[error("{stream}: record {record} is already used by a {existing}")]
    DuplicateRecord {
        stream: StreamId,
        record: RecordId,
        existing: RecordKind,
    },
    #[error("{stream}: there is no {kind} {record}")]
    UnknownRecord {
        stream: StreamId,
        kind: RecordKind,
        record: RecordId,
    },
    #[error("{stream}: there is no record {record}")]
    UnknownRecordId { stream: StreamId, record: RecordId },
    #[error("{stream}: {what} is dated {date}, before {before} on {earlier}")]
    OutOfOrder {
        stream: StreamId,
        what: String,
        date: NaiveDate,
        before: &'static str,
        earlier: NaiveDate,
    },
    /// As `OutOfOrder`, for things recorded to the minute, which the same day can hold both of.
    #[error("{stream}: {what} is at {} on {}, before {before} at {} on {}", at.format("%H:%M"), at.format("%Y-%m-%d"), earlier.format("%H:%M"), earlier.format("%Y-%m-%d"))]
    TimeOutOfOrder {
        stream: StreamId,
        what: String,
        at: chrono::NaiveDateTime,
        before: &'static str,
        earlier: chrono::NaiveDateTime,
    },
    #[error("{stream}: {what} already ended on {on}")]
    AlreadyEnded {
        stream: StreamId,
        what: String,
        on: NaiveDate,
    },
    #[error("{stream}: {what} has been open since {since}; end it before starting another")]
    AlreadyOpen {
        stream: StreamId,
        what: String,
        since: NaiveDate,
    },
    #[error("{stream}: initial conference {conference} needs the section 47 enquiry it follows")]
    ConferenceNeedsSection47 {
        stream: StreamId,
        conference: RecordId,
    },
    #[error("{stream}: audit {audit} has {actions} action(s), so there is no action {action}")]
    NoSuchAuditAction {
        stream: StreamId,
        audit: RecordId,
        action: u16,
        actions: usize,
    },
    #[error("{stream} is not allocated to anyone")]
    NotAllocated { stream: StreamId },
    #[error("worker {worker} left on {on} and cannot be allocated children after that")]
    WorkerHasLeft { worker: WorkerId, on: NaiveDate },
    #[error("the improvement plan has no {what} {id}")]
    NotInPlan { what: &'static str, id: String },
    #[error("the improvement plan has not been started: start it before adding to it")]
    NoPlan,
}

/// Something in a file being brought into Hearth (a statutory return, an extract of another
/// case system) that cannot become a record: where it is and what is wrong. Each reader says
/// how it counts rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub row: Option<usize>,
    pub field: Option<String>,
    pub message: String,
}

impl Problem {
    pub fn at(file: &str, row: usize, field: &str, message: impl Into<String>) -> Problem {
        Problem {
            file: file.to_owned(),
            row: Some(row),
            field: Some(field.to_owned()),
            message: message.into(),
        }
    }

    /// A fault in the file as a whole.
    pub fn in_file(file: &str, message: impl Into<String>) -> Problem {
        Problem {
            file: file.to_owned(),
            row: None,
            field: None,
            message: message.into(),
        }
    }
}

impl Problem {
    /// Problems a line each, up to `shown` of them, then how many more.
    pub fn lines(problems: &[Problem], shown: usize) -> Vec<String> {
        let mut out: Vec<String> = problems.iter().take(shown).map(|p| p.to_string()).collect();
        if problems.len() > shown {
            out.push(format!("... and {} more", problems.len() - shown));
        }
        out
    }

    /// What an import refused for its problems says: "3 problems in the extract; nothing was
    /// imported".
    pub fn nothing_imported(count: usize, what: &str) -> String {
        format!(
            "{count} problem{} in {what}; nothing was imported",
            if count == 1 { "" } else { "s" }
        )
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}
