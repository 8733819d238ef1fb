//! `hearth stats`: what the database holds, counted from the log and from the replayed model.

use crate::cli::{Db, Format};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use store::{OpenMode, Store};

#[derive(Serialize)]
struct Stats {
    events: i64,
    events_by_kind: BTreeMap<String, i64>,
    streams: BTreeMap<&'static str, i64>,
    /// The model as known at the last recorded event, so the figures do not change with the clock.
    as_known_on: Option<chrono::NaiveDate>,
    records: domain::model::ModelCounts,
}

pub async fn run(db: &Db, format: Format) -> anyhow::Result<()> {
    let store = Store::open(&db.db, OpenMode::MustExist).await?;
    let events_by_kind: BTreeMap<String, i64> = store.counts_by_kind().await?.into_iter().collect();
    let events = events_by_kind.values().sum();
    let mut streams = BTreeMap::new();
    for (name, prefix) in [
        ("children", "child/"),
        ("workers", "worker/"),
        ("teams", "team/"),
    ] {
        streams.insert(name, store.count_streams(prefix).await?);
    }
    let bar = crate::progress::bar(events as u64, "replay");
    let loaded = store::load_model(&store, None, |n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    let as_known_on = loaded.model.known_at.map(|t| t.date_naive());
    let records = loaded
        .model
        .counts(as_known_on.unwrap_or_else(|| chrono::Local::now().date_naive()));
    let stats = Stats {
        events,
        events_by_kind,
        streams,
        as_known_on,
        records,
    };
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&stats)?)?,
        Format::Text => write_text(&mut out, &stats)?,
    }
    Ok(())
}

fn write_text(out: &mut impl Write, s: &Stats) -> std::io::Result<()> {
    writeln!(out, "Events: {}", s.events)?;
    for (name, n) in &s.streams {
        writeln!(out, "  {name}: {n}")?;
    }
    if let Some(d) = s.as_known_on {
        writeln!(out, "As known on {d}:")?;
    }
    let records = serde_json::to_value(&s.records).unwrap_or_default();
    if let Some(map) = records.as_object() {
        for (k, v) in map {
            writeln!(out, "  {:<22} {v}", k.replace('_', " "))?;
        }
    }
    writeln!(out, "Events by kind:")?;
    for (kind, n) in &s.events_by_kind {
        writeln!(out, "  {kind:<28} {n}")?;
    }
    Ok(())
}
