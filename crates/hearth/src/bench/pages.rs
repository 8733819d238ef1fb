//! `hearth bench pages`: every page type's server time, and a bounded load test over loopback.
//!
//! Server time is the router's own time for a request, body included, without the network. The
//! load test starts the server on a free loopback port and has 64 users browse the pages for 30
//! seconds, then reports latency percentiles and errors. The peer in the same run is `/health`,
//! which does no page work: the floor of the server, the client and the machine.

use anyhow::bail;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use std::time::{Duration, Instant};
use store::{OpenMode, Store};
use tower::ServiceExt;

const USERS: usize = 64;

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let k = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[k.min(sorted.len() - 1)]
}

/// Asks the router for a page and reads it whole, returning the status and the time taken.
async fn timed(app: &Router, path: &str, cookie: Option<&str>) -> (StatusCode, Duration, usize) {
    let mut req = Request::get(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let started = Instant::now();
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).expect("a valid request"))
        .await
        .expect("the router always answers");
    let status = res.status();
    let body = res
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes().len())
        .unwrap_or(0);
    (status, started.elapsed(), body)
}

pub async fn run(db: &str, rounds: usize, seconds: u64) -> anyhow::Result<()> {
    let (_dir, url) = super::copy_of(db, "pages", "its sign-in and access log lines")?;
    let store = Store::open(&url, OpenMode::MustExist).await?;
    let loaded = store::load_model(&store, None, |_| {}).await?;
    let cal = domain::calendar::Calendar::england_and_wales();
    let today = loaded
        .model
        .known_at
        .map_or_else(|| chrono::Local::now().date_naive(), |t| t.date_naive());
    let mut children: Vec<u64> = loaded.model.children.keys().map(|c| c.0).collect();
    children.sort_unstable();
    let step = (children.len() / 50).max(1);
    let children: Vec<u64> = children.into_iter().step_by(step).take(50).collect();
    let teams: Vec<u32> = loaded.model.teams.keys().map(|t| t.0).collect();
    println!(
        "Pages of {} ({} children, {} teams), as on {today}",
        store.describe(),
        loaded.model.children.len(),
        teams.len()
    );
    store
        .add_user(&store::NewUser {
            username: "bench.pages".into(),
            name: "Page benchmark".into(),
            role: "director".into(),
            password_hash: web::auth::hash_password("not used to sign in"),
            worker: None,
            team: None,
        })
        .await?;
    let (token, hash) = web::auth::new_token();
    store.start_session("bench.pages", &hash).await?;
    let cookie = format!("{}={token}", web::auth::SESSION_COOKIE);
    let mut state = web::AppState::new(store, loaded.model, loaded.last_seq, cal);
    state.today = Some(today);
    // What the server does at start and after every change, before anyone asks.
    let started = Instant::now();
    state.warm().await;
    println!(
        "After a change, the server computes the current scorecards (13 months, and today): {:.1} ms",
        ms(started.elapsed())
    );
    let app = web::router(state);
    // A page for another period computes that period's scorecard the first time.
    let other = kpi::Period::last_whole_month_before(today)
        .previous()
        .previous();
    let (status, cold, _) = timed(&app, &format!("/scorecard?period={other}"), Some(&cookie)).await;
    if status != StatusCode::OK {
        bail!("the scorecard answered {status}");
    }
    println!(
        "First scorecard for another period ({other}), computed on the spot: {:.1} ms",
        ms(cold)
    );
    let measures: Vec<&str> = kpi::catalogue().iter().map(|m| m.id.as_str()).collect();
    let kinds: Vec<(&str, Vec<String>)> = vec![
        ("sign-in page", vec!["/sign-in".into()]),
        ("home", vec!["/".into()]),
        (
            "scorecard",
            vec![
                "/scorecard".into(),
                "/scorecard?group=ofsted".into(),
                "/scorecard?scope=service:front_door".into(),
            ],
        ),
        (
            "measure",
            measures.iter().map(|m| format!("/measures/{m}")).collect(),
        ),
        (
            "child's record",
            children.iter().map(|c| format!("/children/{c}")).collect(),
        ),
        (
            "access log",
            children
                .iter()
                .map(|c| format!("/children/{c}/access"))
                .collect(),
        ),
        ("teams", vec!["/teams".into()]),
        (
            "team dashboard",
            teams.iter().map(|t| format!("/teams/{t}")).collect(),
        ),
        ("front door queue", vec!["/front-door".into()]),
        ("missing and exploitation", vec!["/missing".into()]),
        ("workforce", vec!["/workforce".into()]),
        (
            "improvement plan",
            vec!["/plan".into(), "/plan/exceptions".into()],
        ),
        (
            "a plan priority",
            (1..=9).map(|n| format!("/plan/priorities/{n}")).collect(),
        ),
        ("board pack", vec!["/board-pack".into()]),
        ("report to scrutiny", vec!["/scrutiny-report".into()]),
        ("not found", vec!["/measures/NO-SUCH".into()]),
    ];
    println!(
        "{:<26} {:>9} {:>9} {:>9} {:>7}",
        "server time, warm", "median", "p95", "slowest", "pages"
    );
    let mut worst = Duration::ZERO;
    for (kind, paths) in &kinds {
        let mut times = Vec::new();
        for r in 0..rounds {
            for (k, path) in paths.iter().enumerate() {
                // Long lists are sampled: a page type's spread, not every page of it.
                if paths.len() > 20 && (k + r) % 3 != 0 {
                    continue;
                }
                let (status, t, _) = timed(&app, path, Some(&cookie)).await;
                if !status.is_success() && *kind != "not found" {
                    bail!("{path} answered {status}");
                }
                times.push(t);
            }
        }
        times.sort();
        let median = percentile(&times, 0.5);
        worst = worst.max(median);
        println!(
            "{:<26} {:>6.1} ms {:>6.1} ms {:>6.1} ms {:>7}",
            kind,
            ms(median),
            ms(percentile(&times, 0.95)),
            ms(*times.last().unwrap_or(&Duration::ZERO)),
            times.len()
        );
    }
    println!(
        "Slowest page type's median: {:.1} ms (aim: under 50 ms)",
        ms(worst)
    );

    // The load test, over loopback.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let browse: Vec<(&str, String)> = kinds
        .iter()
        .filter(|(kind, _)| *kind != "not found" && *kind != "sign-in page")
        .flat_map(|(kind, paths)| paths.iter().take(12).map(|p| (*kind, p.clone())))
        .collect();
    let peer = load(
        addr,
        &cookie,
        &[("health", "/health".to_string())],
        Duration::from_secs(5),
    )
    .await;
    let pages = load(addr, &cookie, &browse, Duration::from_secs(seconds)).await;
    server.abort();
    for (name, r) in [
        ("/health (the peer: no page work)", &peer),
        ("the pages", &pages),
    ] {
        println!(
            "Load, {USERS} users, {name}: {} requests in {:.0} s ({:.0} a second); p50 {:.1} ms, p99 {:.1} ms, slowest {:.1} ms; {} errors",
            r.latencies.len(),
            r.elapsed.as_secs_f64(),
            r.latencies.len() as f64 / r.elapsed.as_secs_f64(),
            ms(percentile(&r.latencies, 0.5)),
            ms(percentile(&r.latencies, 0.99)),
            ms(*r.latencies.last().unwrap_or(&Duration::ZERO)),
            r.errors
        );
    }
    println!("Under load, by page type: p50 and p99");
    for (kind, mut times) in pages.by_kind {
        times.sort();
        println!(
            "  {kind:<26} {:>6.1} ms {:>6.1} ms {:>7}",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99)),
            times.len()
        );
    }
    if pages.errors > 0 {
        bail!("{} requests failed under load", pages.errors);
    }
    Ok(())
}

struct Load {
    latencies: Vec<Duration>,
    /// The same latencies by page type, in the order the types were given.
    by_kind: Vec<(&'static str, Vec<Duration>)>,
    errors: usize,
    elapsed: Duration,
}

/// `USERS` users each asking for the paths in turn, from a different starting place, until the
/// time is up.
async fn load(
    addr: std::net::SocketAddr,
    cookie: &str,
    paths: &[(&'static str, String)],
    time: Duration,
) -> Load {
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;
    let client: Client<_, Body> = Client::builder(TokioExecutor::new())
        .build(hyper_util::client::legacy::connect::HttpConnector::new());
    let started = Instant::now();
    let deadline = started + time;
    let mut tasks = Vec::new();
    for user in 0..USERS {
        let (client, cookie, paths) = (client.clone(), cookie.to_string(), paths.to_vec());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0;
            let mut k = user * 7;
            while Instant::now() < deadline {
                let (kind, path) = &paths[k % paths.len()];
                k += 1;
                let req = Request::get(format!("http://{addr}{path}"))
                    .header(header::COOKIE, &cookie)
                    .body(Body::empty())
                    .expect("a valid request");
                let t = Instant::now();
                match client.request(req).await {
                    Ok(res) => {
                        let ok = res.status().is_success();
                        let read = res.into_body().collect().await.is_ok();
                        latencies.push((*kind, t.elapsed()));
                        if !ok || !read {
                            errors += 1;
                        }
                    }
                    Err(_) => errors += 1,
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut by_kind: Vec<(&'static str, Vec<Duration>)> = Vec::new();
    for (kind, _) in paths {
        if !by_kind.iter().any(|(k, _)| k == kind) {
            by_kind.push((kind, Vec::new()));
        }
    }
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.unwrap_or_default();
        for (kind, d) in l {
            latencies.push(d);
            if let Some((_, times)) = by_kind.iter_mut().find(|(k, _)| *k == kind) {
                times.push(d);
            }
        }
        errors += e;
    }
    latencies.sort();
    Load {
        latencies,
        by_kind,
        errors,
        elapsed: started.elapsed(),
    }
}
