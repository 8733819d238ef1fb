//! Taking each night's extract of the case system as it lands (`hearth serve --ssd-watch DIR`).
//! The folder is looked at every so often; an extract is taken once its files have stayed the
//! same from one look to the next (so one still being written is left until it is whole), and
//! not again until they change. Every run is recorded for the administrators' page, whether it
//! imported, found nothing changed, refused the extract or failed.

use crate::AppState;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use store::ImportRun;

/// Who the log says recorded what a watched import writes.
pub const ACTOR: &str = "import:ssd-watch";

/// How many of an extract's problems a run keeps.
const PROBLEMS_KEPT: usize = 200;

/// What a run did.
pub mod outcome {
    /// Events were written.
    pub const IMPORTED: &str = "imported";
    /// Every row was as before: nothing was written.
    pub const UNCHANGED: &str = "unchanged";
    /// The extract has problems: nothing was written; the next extract is awaited.
    pub const REFUSED: &str = "refused";
    /// Something outside the extract stopped it (the database, someone saving at that
    /// moment): nothing was written, and the same extract is tried again at the next look.
    pub const FAILED: &str = "failed";
}

/// Watches `dir`, looking every `every`, for as long as the server runs.
pub fn spawn_ssd_watch(state: AppState, dir: PathBuf, every: Duration) {
    tokio::spawn(async move {
        let source = dir.display().to_string();
        // A restart does not take again what was last taken.
        let mut taken = match state.store.last_import_run(&source).await {
            Ok(last) => last
                .filter(|r| r.outcome != outcome::FAILED)
                .map(|r| r.fingerprint),
            Err(e) => {
                tracing::warn!("could not read the last import run: {e}");
                None
            }
        };
        let mut seen: Option<String> = None;
        loop {
            match fingerprint(&dir) {
                Ok(Some(print)) => {
                    if taken.as_ref() != Some(&print) && seen.as_ref() == Some(&print) {
                        let run = take(&state, &dir, &source, &print).await;
                        tracing::info!(
                            outcome = run.outcome,
                            events = run.events,
                            "extract in {source}: {}",
                            run.summary.lines().next().unwrap_or_default()
                        );
                        if run.outcome != outcome::FAILED {
                            taken = Some(print.clone());
                        }
                        if let Err(e) = state.store.record_import_run(&run).await {
                            tracing::error!("could not record the import run: {e}");
                        }
                    }
                    seen = Some(print);
                }
                Ok(None) => seen = None,
                Err(e) => tracing::warn!("cannot look in {source}: {e}"),
            }
            tokio::time::sleep(every).await;
        }
    });
}

/// The extract's files as they stand (each CSV's name, size and time of change), or `None`
/// when the folder holds none.
pub fn fingerprint(dir: &Path) -> std::io::Result<Option<String>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().to_string();
        if !name.to_ascii_lowercase().ends_with(".csv") {
            continue;
        }
        let meta = entry.metadata()?;
        if !meta.is_file() {
            continue;
        }
        let changed = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        files.push(format!("{name}\t{}\t{changed}", meta.len()));
    }
    if files.is_empty() {
        return Ok(None);
    }
    files.sort();
    Ok(Some(hex::encode(
        &Sha256::digest(files.join("\n").as_bytes())[..16],
    )))
}

/// Reads, checks and imports the extract, and says what happened.
async fn take(state: &AppState, dir: &Path, source: &str, print: &str) -> ImportRun {
    let started_at = chrono::Utc::now();
    let (outcome, summary, events) = import(state, dir).await;
    ImportRun {
        id: 0,
        started_at,
        finished_at: chrono::Utc::now(),
        source: source.to_string(),
        fingerprint: print.to_string(),
        outcome: outcome.to_string(),
        summary,
        events,
    }
}

async fn import(state: &AppState, dir: &Path) -> (&'static str, String, i64) {
    let path = dir.to_path_buf();
    let extract = match tokio::task::spawn_blocking(move || ssd::Extract::read_dir(&path)).await {
        Ok(Ok(extract)) => Arc::new(extract),
        Ok(Err(problems)) => return (outcome::REFUSED, refusal(&problems), 0),
        Err(e) => {
            return (
                outcome::FAILED,
                format!("the extract could not be read: {e}"),
                0,
            );
        }
    };
    // Against the model as the log now stands, read on a copy so pages go on meanwhile.
    if let Err(e) = state.catch_up().await {
        return (
            outcome::FAILED,
            format!("the log could not be read: {e}"),
            0,
        );
    }
    let model = state.read().model().clone();
    let reading = Arc::clone(&extract);
    let imported = match tokio::task::spawn_blocking(move || {
        ssd::import::import(&model, &reading, ACTOR, chrono::Utc::now())
    })
    .await
    {
        Ok(Ok(imported)) => imported,
        Ok(Err(problems)) => return (outcome::REFUSED, refusal(&problems), 0),
        Err(e) => return (outcome::FAILED, format!("the import stopped: {e}"), 0),
    };
    let mut summary = vec![imported.whom()];
    summary.extend(extract.notes.iter().cloned());
    summary.extend(imported.tables(&extract));
    let summary = summary.join("\n");
    if imported.events.is_empty() {
        return (outcome::UNCHANGED, summary, 0);
    }
    let bulk: Vec<store::BulkEvent> = imported.events.iter().map(store::BulkEvent::from).collect();
    match state.store.append_bulk(&bulk).await {
        Ok(()) => {
            state.changed();
            (outcome::IMPORTED, summary, bulk.len() as i64)
        }
        Err(e) => (
            outcome::FAILED,
            format!(
                "nothing was written, and the extract will be tried again at the next look: {e}"
            ),
            0,
        ),
    }
}

/// The problems that stop an extract, in the words the command line gives them.
fn refusal(problems: &[domain::Problem]) -> String {
    let mut lines = vec![domain::Problem::nothing_imported(
        problems.len(),
        "the extract",
    )];
    lines.extend(domain::Problem::lines(problems, PROBLEMS_KEPT));
    lines.join("\n")
}
