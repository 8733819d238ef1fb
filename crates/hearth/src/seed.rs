//! `hearth seed`: a synthetic council into a new database.

use crate::cli::SeedArgs;
use crate::progress;
use anyhow::{Context, bail};
use domain::{Event, Model};
use store::{BulkEvent, OpenMode, Store};
use tokio::sync::mpsc;

/// Events written per transaction.
const BATCH: usize = 5_000;

pub async fn run(args: SeedArgs) -> anyhow::Result<()> {
    let store = Store::open(&args.db.db, OpenMode::CreateIfMissing).await?;
    let calendar = crate::cli::calendar(&args.db)?;
    let end = args
        .end
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let options = synth::Options {
        seed: args.seed,
        years: args.years,
        end,
        scale: args.scale,
    };
    let summary = seed(&store, options, calendar, !args.no_check).await?;
    println!(
        "Seeded {} events: {} children, {} workers in {} teams, from {} to {} ({} events not yet recorded by then)",
        summary.events,
        summary.children,
        summary.workers,
        summary.teams,
        args_start(&args, end),
        end,
        summary.not_yet_recorded
    );
    Ok(())
}

fn args_start(args: &SeedArgs, end: chrono::NaiveDate) -> chrono::NaiveDate {
    synth::Options {
        seed: args.seed,
        years: args.years,
        end,
        scale: 1,
    }
    .start()
}

/// Generates the council on a worker thread and writes it in batches as it comes.
pub async fn seed(
    store: &Store,
    options: synth::Options,
    calendar: &'static domain::calendar::Calendar,
    check: bool,
) -> anyhow::Result<synth::Summary> {
    let existing = store.last_seq().await?;
    if existing > 0 {
        bail!(
            "{} already holds {existing} events: seed into a new database",
            store.describe()
        );
    }
    let (tx, mut rx) = mpsc::channel::<Vec<BulkEvent>>(4);
    let days = (options.end - options.start()).num_days().max(0) as u64 + 1;
    let bar = progress::bar(days, "days");
    let bar_thread = bar.clone();
    let generator = tokio::task::spawn_blocking(move || -> anyhow::Result<synth::Summary> {
        let mut model = check.then(Model::new);
        let mut batch = Vec::with_capacity(BATCH);
        let mut failure = None;
        let summary = synth::generate(
            &options,
            calendar,
            |event: Event| {
                if failure.is_some() {
                    return;
                }
                if let Some(m) = model.as_mut()
                    && let Err(e) = m.apply(&event)
                {
                    failure = Some(anyhow::anyhow!(
                        "the synthetic council broke a rule of the case model: {e}"
                    ));
                    return;
                }
                batch.push(BulkEvent::from(&event));
                if batch.len() >= BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    if tx.blocking_send(full).is_err() {
                        failure = Some(anyhow::anyhow!("the database writer stopped"));
                    }
                }
            },
            |day, _| bar_thread.set_position(day),
        );
        if let Some(e) = failure {
            return Err(e);
        }
        if !batch.is_empty() && tx.blocking_send(batch).is_err() {
            bail!("the database writer stopped");
        }
        Ok(summary)
    });
    let mut written = 0u64;
    let mut write_error = None;
    while let Some(batch) = rx.recv().await {
        if let Err(e) = store.append_bulk(&batch).await {
            write_error = Some(e);
            break;
        }
        written += batch.len() as u64;
    }
    drop(rx);
    bar.finish_and_clear();
    if let Some(e) = write_error {
        return Err(e).context("writing the synthetic council");
    }
    let summary = generator.await.context("the generator stopped")??;
    debug_assert_eq!(written, summary.events);
    Ok(summary)
}
