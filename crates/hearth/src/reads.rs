//! The access log for commands that read children's records in bulk (the returns' exports and
//! data quality): every child whose record goes into what the command writes is logged, with
//! why, before anything is written.

use domain::StreamId;
use domain::model::Model;
use std::collections::{BTreeSet, HashMap};
use store::{AccessEntry, Store};

/// Who ran the command, as the access log names them: the account on this machine.
pub fn actor() -> String {
    let who = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".into());
    format!("command:{who}")
}

/// Logs a read of each child named by the council's identifier (unknown identifiers are
/// skipped); returns how many were logged.
pub async fn log(
    store: &Store,
    model: &Model,
    la_child_ids: impl IntoIterator<Item = String>,
    reason: &str,
) -> anyhow::Result<usize> {
    let by_id: HashMap<&str, domain::ChildId> = model
        .children
        .values()
        .map(|c| (c.details.la_child_id.as_str(), c.id()))
        .collect();
    let children: BTreeSet<domain::ChildId> = la_child_ids
        .into_iter()
        .filter_map(|id| by_id.get(id.as_str()).copied())
        .collect();
    let actor = actor();
    // The log's writer takes lines in groups: send them all, then wait for each.
    let mut writes = tokio::task::JoinSet::new();
    for child in &children {
        let (store, entry) = (
            store.clone(),
            AccessEntry {
                actor: actor.clone(),
                stream: StreamId::Child(*child).to_string(),
                record: None,
                reason: reason.to_owned(),
            },
        );
        writes.spawn(async move { store.log_access(&entry).await });
    }
    while let Some(done) = writes.join_next().await {
        done??;
    }
    Ok(children.len())
}
