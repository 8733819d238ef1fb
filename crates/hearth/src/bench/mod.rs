//! `hearth bench`: speed, measured by commands that print figures. Each benchmark measures its
//! peer in the same run: replay against reading the rows alone; SQLite against PostgreSQL.

use crate::cli::Db;
use anyhow::Context;
use chrono::Utc;
use domain::codes::{CaseNoteKind, Code, Sex};
use domain::events::{CaseNoteWritten, ChildDetails, ChildRegistered};
use domain::{ChildId, EventBody, RecordId, StreamId};
use std::io::Write;
use std::time::Instant;

pub mod board;
pub mod kpi;
pub mod pages;
pub mod record;
pub mod returns;
use store::{ExpectedVersion, NewEvent, OpenMode, Store};

/// A memory figure of this process from `/proc/self/status` (Linux), in MiB: `VmHWM` is the peak
/// resident memory so far, `VmRSS` the current.
fn memory_mib(field: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

pub async fn replay(db: &Db) -> anyhow::Result<()> {
    let store = Store::open(&db.db, OpenMode::MustExist).await?;
    println!("Replay of {}", store.describe());

    // The peer: reading every row and nothing else, the floor under any replay.
    let started = Instant::now();
    let mut rows = 0u64;
    let mut bytes = 0u64;
    store
        .replay(0, None, |e| {
            rows += 1;
            bytes += e.body.len() as u64;
            Ok::<(), store::StoreError>(())
        })
        .await
        .context("reading the log")?;
    let read_secs = started.elapsed().as_secs_f64();

    let before = memory_mib("VmRSS:").unwrap_or(0.0);
    let started = Instant::now();
    let loaded = store::load_model(&store, None, |_| {}).await?;
    let replay_secs = started.elapsed().as_secs_f64();
    let after = memory_mib("VmRSS:").unwrap_or(0.0);
    let n = loaded.model.events_applied;
    let children = loaded.model.children.len();
    let peak = memory_mib("VmHWM:").unwrap_or(0.0);
    drop(loaded);

    // Where the time goes: the same work in phases, over events already in memory.
    let mut stored = Vec::with_capacity(rows as usize);
    store
        .replay(0, None, |e| {
            stored.push(e.clone());
            Ok::<(), store::StoreError>(())
        })
        .await?;
    let started = Instant::now();
    let events = stored
        .iter()
        .map(store::decode)
        .collect::<Result<Vec<_>, _>>()?;
    let decode_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut model = domain::Model::new();
    for e in &events {
        model.apply(e)?;
    }
    let fold_secs = started.elapsed().as_secs_f64();

    let rate = |n: u64, secs: f64| n as f64 / secs.max(1e-9);
    println!(
        "  read rows only (peer):   {rows} events, {:.1} MB of bodies in {read_secs:.2} s = {:.0} events/s",
        bytes as f64 / 1e6,
        rate(rows, read_secs)
    );
    println!(
        "  replay into the model:   {n} events in {replay_secs:.2} s = {:.0} events/s",
        rate(n, replay_secs)
    );
    println!(
        "    of which, in memory:   decoding JSON {:.0} events/s, folding {:.0} events/s",
        rate(n, decode_secs),
        rate(n, fold_secs)
    );
    println!(
        "  model: {children} children; resident memory grew by {:.0} MiB during replay; peak resident memory {peak:.0} MiB",
        (after - before).max(0.0),
    );
    Ok(())
}

/// A copy of a SQLite database in a temporary folder, and its URL, for a benchmark that writes:
/// `what` is what stays out of the original. The folder goes when the first value is dropped.
pub(crate) fn copy_of(
    db: &str,
    bench: &str,
    what: &str,
) -> anyhow::Result<(tempfile::TempDir, String)> {
    let Some(file) = db.strip_prefix("sqlite://") else {
        anyhow::bail!(
            "bench {bench} works on a copy of a SQLite database (sqlite://FILE), so that {what} stay out of the original"
        );
    };
    let dir = tempfile::tempdir().context("cannot make a temporary folder")?;
    let copy = dir.path().join(format!("{bench}.db"));
    std::fs::copy(file, &copy).with_context(|| format!("cannot copy {file}"))?;
    let url = format!("sqlite://{}", copy.display());
    Ok((dir, url))
}

/// The events the append benchmark writes: a new child, then case notes.
fn bench_event(version: u32, now: chrono::DateTime<Utc>) -> NewEvent {
    let today = now.date_naive();
    let body: EventBody = if version == 1 {
        ChildRegistered {
            details: ChildDetails {
                la_child_id: "BENCH".into(),
                sex: Sex::Unknown,
                ethnicity: Code::from("NOBT"),
                ..ChildDetails::default()
            },
            at: today,
        }
        .into()
    } else {
        CaseNoteWritten {
            note: RecordId(version),
            kind: CaseNoteKind::Note,
            text: "Telephone call with the school about attendance.".into(),
            at: today,
        }
        .into()
    };
    NewEvent {
        kind: body.kind().to_string(),
        body: body.to_json(),
        actor: "bench".into(),
        recorded_at: Some(now),
    }
}

pub async fn append(dbs: &[String], count: u32, ack_log: bool) -> anyhow::Result<()> {
    if ack_log {
        let db = dbs.first().context("--db is required")?;
        return append_until_killed(db).await;
    }
    for url in dbs {
        let store = Store::open(url, OpenMode::CreateIfMissing).await?;
        let base = 1_000_000_000 + store.last_seq().await?.max(0) as u64;
        let mut latencies = Vec::with_capacity(count as usize);
        let bar = crate::progress::bar(u64::from(count), "appends");
        // Ten events per child, each appended alone naming the version it expects.
        for i in 0..count {
            let child = ChildId(base + u64::from(i / 10));
            let version = i % 10 + 1;
            let expected = if version == 1 {
                ExpectedVersion::NoStream
            } else {
                ExpectedVersion::Exact(i64::from(version - 1))
            };
            let event = bench_event(version, Utc::now());
            let started = Instant::now();
            store
                .append(&StreamId::Child(child).to_string(), expected, &[event])
                .await?;
            latencies.push(started.elapsed().as_secs_f64() * 1000.0);
            bar.inc(1);
        }
        bar.finish_and_clear();
        latencies.sort_by(f64::total_cmp);
        let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "{}: {count} durable appends, latency p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            store.describe(),
            pct(0.5),
            pct(0.9),
            pct(0.99),
            pct(1.0)
        );
    }
    Ok(())
}

/// Appends pairs of events for ever, printing each acknowledged pair: the crash test kills this
/// process and then checks that every acknowledged event is there and no pair is half-written.
async fn append_until_killed(url: &str) -> anyhow::Result<()> {
    let store = Store::open(url, OpenMode::CreateIfMissing).await?;
    let base = 1_000_000_000 + store.last_seq().await?.max(0) as u64;
    let mut out = std::io::stdout().lock();
    for i in 0u64.. {
        let stream = StreamId::Child(ChildId(base + i / 5)).to_string();
        let first = (i % 5) as u32 * 2 + 1;
        let expected = if first == 1 {
            ExpectedVersion::NoStream
        } else {
            ExpectedVersion::Exact(i64::from(first - 1))
        };
        let now = Utc::now();
        let events = [bench_event(first, now), bench_event(first + 1, now)];
        let done = store.append(&stream, expected, &events).await?;
        writeln!(out, "ack {stream} {} {}", first + 1, done.last_seq)?;
        out.flush()?;
    }
    Ok(())
}
