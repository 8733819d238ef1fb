//! `hearth bench record`: many people recording at once through the API, over loopback, for a
//! bounded time; then the log is read back to find every acknowledged save exactly once.
//!
//! Each recorder holds one child and saves case notes and visits to them one after another,
//! each save naming the version the last one returned, as a client of the API does. The peer in
//! the same run is the store alone: as many tasks appending the same events straight to the
//! database, without HTTP, sessions, checks or the case model, for a short spell.

use super::pages::{ms, percentile};
use anyhow::{Context, bail};
use axum::body::Body;
use axum::http::{Request, header};
use domain::{ChildId, StreamId};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use store::{ExpectedVersion, OpenMode, Store};

/// What a recorder was told: its child, the version the save made, and the note's tag.
struct Ack {
    child: u64,
    version: i64,
    tag: String,
}

struct Recorded {
    latencies: Vec<Duration>,
    acks: Vec<Ack>,
    conflicts: usize,
    errors: Vec<String>,
}

pub async fn run(db: &str, recorders: usize, seconds: u64, rate: f64) -> anyhow::Result<()> {
    let (_dir, url) = super::copy_of(db, "record", "the saves it makes")?;
    let store = Store::open(&url, OpenMode::MustExist).await?;
    let loaded = store::load_model(&store, None, |_| {}).await?;
    let today = chrono::Local::now().date_naive();
    // Open children, one to each recorder.
    let mut open: Vec<u64> = loaded
        .model
        .children
        .values()
        .filter(|c| c.is_open())
        .map(|c| c.id().0)
        .collect();
    open.sort_unstable();
    if open.len() < recorders + 1 {
        bail!(
            "the council has {} open children: fewer than the {recorders} recorders",
            open.len()
        );
    }
    let step = open.len() / (recorders + 1);
    let children: Vec<u64> = open
        .iter()
        .step_by(step)
        .take(recorders + 1)
        .copied()
        .collect();
    let (peer_child, children) = children.split_last().expect("at least two children");
    let pace = if rate > 0.0 {
        format!("each saving up to {rate} times a second")
    } else {
        "each saving again as soon as the last save is acknowledged".to_string()
    };
    println!(
        "{recorders} people recording at once through the API for {seconds} s, {pace}, on a copy of {} ({} children)",
        store.describe(),
        loaded.model.children.len()
    );

    // The peer: the store alone, appending the same kind of event from as many tasks.
    let peer = store_alone(&store, *peer_child, recorders, Duration::from_secs(5)).await?;

    store
        .add_user(&store::NewUser {
            username: "bench.recorder".into(),
            name: "Recording benchmark".into(),
            role: "team_manager".into(),
            password_hash: web::auth::hash_password("not used to sign in"),
            worker: None,
            team: None,
        })
        .await?;
    let (token, hash) = web::auth::new_token();
    store.start_session("bench.recorder", &hash).await?;
    let cal = domain::calendar::Calendar::england_and_wales();
    let first_seq = loaded.last_seq;
    let state = web::AppState::new(store.clone(), loaded.model, loaded.last_seq, cal);
    web::spawn_follower(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, web::router(state)).await });

    let bar = crate::progress::bar(seconds, "seconds");
    let ticker = {
        let bar = bar.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(1)).await;
                bar.inc(1);
            }
        })
    };
    let gap = (rate > 0.0).then(|| Duration::from_secs_f64(1.0 / rate));
    let recorded = through_api(
        addr,
        &token,
        children,
        today,
        Duration::from_secs(seconds),
        gap,
    )
    .await;
    ticker.abort();
    bar.finish_and_clear();
    server.abort();

    let mut latencies = recorded.latencies;
    latencies.sort();
    for (name, l, n, secs) in [
        (
            "the store alone (the peer: no HTTP, checks or model)",
            &peer.0,
            peer.0.len(),
            peer.1,
        ),
        (
            "saves through the API",
            &latencies,
            latencies.len(),
            seconds as f64,
        ),
    ] {
        println!(
            "  {name}: {n} saves ({:.0} a second); p50 {:.2} ms, p99 {:.2} ms, slowest {:.2} ms",
            n as f64 / secs,
            ms(percentile(l, 0.5)),
            ms(percentile(l, 0.99)),
            ms(*l.last().unwrap_or(&Duration::ZERO)),
        );
    }
    println!(
        "  conflicts: {}; errors: {}",
        recorded.conflicts,
        recorded.errors.len()
    );
    for e in recorded.errors.iter().take(5) {
        println!("    {e}");
    }

    // The replay: every acknowledged save is in the log exactly once, as acknowledged.
    let store = Store::open(&url, OpenMode::MustExist).await?;
    let mut found: HashMap<(String, i64), Vec<String>> = HashMap::new();
    store
        .replay(first_seq, None, |e| {
            if e.actor == "bench.recorder" {
                let tag = serde_json::from_str::<Value>(&e.body)
                    .ok()
                    .and_then(|b| b.get("text").and_then(Value::as_str).map(str::to_string))
                    .unwrap_or_else(|| format!("visit {}", e.version));
                found
                    .entry((e.stream.clone(), e.version))
                    .or_default()
                    .push(tag);
            }
            Ok::<(), store::StoreError>(())
        })
        .await?;
    let mut missing = 0;
    let mut twice = 0;
    let mut changed = 0;
    for ack in &recorded.acks {
        let key = (StreamId::Child(ChildId(ack.child)).to_string(), ack.version);
        match found.get(&key).map(Vec::as_slice) {
            None | Some([]) => missing += 1,
            Some([one]) if *one == ack.tag => {}
            Some([_]) => changed += 1,
            Some(_) => twice += 1,
        }
    }
    let unacknowledged = found.len().saturating_sub(recorded.acks.len());
    println!(
        "  replay: {} acknowledged saves, {} found exactly once as acknowledged; {missing} missing, {twice} more than once, {changed} different; {unacknowledged} in the log without an acknowledgement",
        recorded.acks.len(),
        recorded.acks.len() - missing - twice - changed,
    );
    println!("  aim: p99 of a save under 20 ms on SQLite");
    if missing + twice + changed > 0 {
        bail!("the log does not hold every acknowledged save exactly once");
    }
    if !recorded.errors.is_empty() {
        bail!("{} saves failed", recorded.errors.len());
    }
    Ok(())
}

/// Appends from `tasks` tasks to one child each for `time`, straight to the store.
async fn store_alone(
    store: &Store,
    child: u64,
    tasks: usize,
    time: Duration,
) -> anyhow::Result<(Vec<Duration>, f64)> {
    let base = 2_000_000_000 + child * 1000;
    let started = Instant::now();
    let deadline = started + time;
    let mut handles = Vec::new();
    for t in 0..tasks {
        let store = store.clone();
        handles.push(tokio::spawn(async move {
            let stream = StreamId::Child(ChildId(base + t as u64)).to_string();
            let mut latencies = Vec::new();
            let mut version = 0;
            while Instant::now() < deadline {
                let expected = if version == 0 {
                    ExpectedVersion::NoStream
                } else {
                    ExpectedVersion::Exact(version)
                };
                let event = super::bench_event(version as u32 + 1, chrono::Utc::now());
                let t = Instant::now();
                let done = store.append(&stream, expected, &[event]).await?;
                latencies.push(t.elapsed());
                version = done.version;
            }
            Ok::<_, store::StoreError>(latencies)
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.context("a peer task failed")??);
    }
    let secs = started.elapsed().as_secs_f64();
    all.sort();
    Ok((all, secs))
}

async fn through_api(
    addr: std::net::SocketAddr,
    token: &str,
    children: &[u64],
    today: chrono::NaiveDate,
    time: Duration,
    gap: Option<Duration>,
) -> Recorded {
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;
    let client: Client<_, Body> = Client::builder(TokioExecutor::new())
        .build(hyper_util::client::legacy::connect::HttpConnector::new());
    let deadline = Instant::now() + time;
    let auth = format!("Bearer {token}");
    let mut tasks = Vec::new();
    for (r, child) in children.iter().copied().enumerate() {
        let (client, auth) = (client.clone(), auth.clone());
        tasks.push(tokio::spawn(async move {
            let mut out = Recorded {
                latencies: Vec::new(),
                acks: Vec::new(),
                conflicts: 0,
                errors: Vec::new(),
            };
            let send = |method: &str, path: String, body: Option<Value>| {
                let mut req = Request::builder()
                    .method(method)
                    .uri(format!("http://{addr}{path}"))
                    .header(header::AUTHORIZATION, &auth);
                if body.is_some() {
                    req = req.header(header::CONTENT_TYPE, "application/json");
                }
                let req = req
                    .body(Body::from(body.map(|b| b.to_string()).unwrap_or_default()))
                    .expect("a valid request");
                let client = client.clone();
                async move {
                    let res = client.request(req).await.map_err(|e| e.to_string())?;
                    let status = res.status().as_u16();
                    let bytes = res
                        .into_body()
                        .collect()
                        .await
                        .map_err(|e| e.to_string())?
                        .to_bytes();
                    let json: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                    Ok::<_, String>((status, json))
                }
            };
            let mut version = match send("GET", format!("/api/v1/children/{child}"), None).await {
                Ok((200, v)) => v["version"].as_i64().unwrap_or(0),
                other => {
                    out.errors.push(format!("reading child {child}: {other:?}"));
                    return out;
                }
            };
            let mut n = 0;
            // Recorders start spread over the first gap, then keep to their own schedule.
            let mut next =
                Instant::now() + gap.map_or(Duration::ZERO, |g| g.mul_f64(r as f64 / 50.0));
            while Instant::now() < deadline {
                if let Some(gap) = gap {
                    tokio::time::sleep_until(next.into()).await;
                    next += gap;
                }
                n += 1;
                let tag = format!("bench {r} {n}");
                let (kind, mut body) = if n % 4 == 0 {
                    (
                        "visit_made",
                        json!({"kind": "cin", "at": today, "seen": true, "seen_alone": n % 8 == 0}),
                    )
                } else {
                    (
                        "case_note_written",
                        json!({"kind": "note", "text": tag, "at": today}),
                    )
                };
                body["expected_version"] = json!(version);
                let started = Instant::now();
                match send(
                    "POST",
                    format!("/api/v1/children/{child}/{kind}"),
                    Some(body),
                )
                .await
                {
                    Ok((201, saved)) => {
                        out.latencies.push(started.elapsed());
                        version = saved["version"].as_i64().unwrap_or(version + 1);
                        let tag = if kind == "visit_made" {
                            format!("visit {version}")
                        } else {
                            tag
                        };
                        out.acks.push(Ack {
                            child,
                            version,
                            tag,
                        });
                    }
                    Ok((409, conflict)) => {
                        out.conflicts += 1;
                        version = conflict["version"].as_i64().unwrap_or(version);
                    }
                    other => out.errors.push(format!("child {child}: {other:?}")),
                }
            }
            out
        }));
    }
    let mut all = Recorded {
        latencies: Vec::new(),
        acks: Vec::new(),
        conflicts: 0,
        errors: Vec::new(),
    };
    for t in tasks {
        match t.await {
            Ok(r) => {
                all.latencies.extend(r.latencies);
                all.acks.extend(r.acks);
                all.conflicts += r.conflicts;
                all.errors.extend(r.errors);
            }
            Err(e) => all.errors.push(format!("a recorder stopped: {e}")),
        }
    }
    all
}
