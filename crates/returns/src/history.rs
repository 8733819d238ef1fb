//! What an import makes of a return: each child's history as events, ready to be checked against
//! the model and written to the log, or the problems that stop it.

use domain::events::EventBody;
use std::fmt;

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
}

impl ChildHistory {
    pub fn new(la_child_id: impl Into<String>) -> ChildHistory {
        ChildHistory {
            la_child_id: la_child_id.into(),
            events: Vec::new(),
            sources: Vec::new(),
        }
    }

    pub fn push(&mut self, event: impl Into<EventBody>, file: &str, row: usize) {
        self.events.push(event.into());
        self.sources.push((file.to_owned(), row));
    }
}

/// Something in a return that cannot become a record: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    /// The 0-based data row, as validation findings count rows.
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
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
