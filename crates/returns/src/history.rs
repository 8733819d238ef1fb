//! What an import makes of a return: each child's history as events, ready to be checked against
//! the model and written to the log, or the problems that stop it.

use chrono::{DateTime, Utc};
use domain::events::{Event, EventBody};
use domain::model::Model;
use domain::{ChildId, StreamId};
use std::collections::HashMap;
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

/// Gives each history a new child stream after the model's highest, checks every event against
/// the model as the child's record would stand, and returns the events ready for the log, in
/// order. A child whose identifier Hearth already holds is refused, as is any event the model
/// refuses; every problem is returned, and then nothing is to be written.
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
    let mut seen: HashMap<String, (String, usize)> = HashMap::new();
    let mut problems = Vec::new();
    let mut events = Vec::new();
    for history in histories {
        let (file, row) = history.sources.first().cloned().unwrap_or_default();
        if let Some(id) = known.get(history.la_child_id.as_str()) {
            problems.push(Problem::at(
                &file,
                row,
                "child",
                format!(
                    "child {} is already in Hearth ({id}); an import adds children it does not hold",
                    history.la_child_id
                ),
            ));
            continue;
        }
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
        seen.insert(history.la_child_id.clone(), (file, row));
        let id = ChildId(next);
        next += 1;
        let mut child = None;
        let mut mine = Vec::with_capacity(history.events.len());
        for (i, body) in history.events.into_iter().enumerate() {
            let event = Event {
                stream: StreamId::Child(id),
                version: i as u32 + 1,
                recorded_at,
                actor: actor.to_owned(),
                body,
            };
            match model.check_on(child.take(), &event) {
                Ok(c) => child = Some(c),
                Err(e) => {
                    let (file, row) = &history.sources[i];
                    problems.push(Problem::at(
                        file,
                        *row,
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
