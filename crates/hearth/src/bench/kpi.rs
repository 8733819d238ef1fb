//! `hearth bench kpi`: the full scorecard (every measure, 13 months, the council, every service
//! and team) on one core, and three of its measures written as SQL and run by SQLite over the
//! same records, the peer in the same run.

use crate::cli::Db;
use chrono::NaiveDate;
use domain::Model;
use domain::calendar::Calendar;
use kpi::report::{self, Source};
use kpi::{Index, Measure, Period, Scope};
use rusqlite::{Connection, params};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// The same three measures as the SQL peer.
const PEER_MEASURES: [&str; 3] = ["FD-01", "AS-01", "FD-03"];

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub async fn run(db: &Db, rounds: usize, by_measure: bool) -> anyhow::Result<()> {
    let cal = crate::cli::calendar(db)?;
    let store = store::Store::open(&db.db, store::OpenMode::MustExist).await?;
    println!("Scorecard of {}", store.describe());
    let loaded = store::load_model(&store, None, |_| {}).await?;
    store.close().await;
    let model = loaded.model;
    let today = model
        .known_at
        .map_or_else(|| chrono::Local::now().date_naive(), |t| t.date_naive());
    let last = Period::last_whole_month_before(today);
    let periods = last.trend(13);
    let all: Vec<&'static Measure> = kpi::catalogue().iter().collect();
    let peer: Vec<&'static Measure> = PEER_MEASURES
        .iter()
        .map(|id| kpi::engine::find_measure(id).expect("in the catalogue"))
        .collect();
    println!(
        "{} children, {} teams; {} measures × {} months ({} to {}), as known on {today}",
        model.children.len(),
        model.teams.len(),
        all.len(),
        periods.len(),
        periods[0],
        last
    );

    // Hearth: index the model, then every measure for every month and scope.
    let mut full = Vec::new();
    let mut index_only = Vec::new();
    let mut three = Vec::new();
    let mut rows = 0;
    for _ in 0..rounds {
        let started = Instant::now();
        let ix = Index::new(&model);
        index_only.push(started.elapsed());
        let src = Source {
            model: &model,
            cal,
            ix: &ix,
            today,
        };
        rows = report::scorecard(&src, &all, &periods).len();
        full.push(started.elapsed());
        let started = Instant::now();
        std::hint::black_box(report::scorecard(&src, &peer, &periods));
        three.push(started.elapsed());
    }
    let ix = Index::new(&model);
    let src = Source {
        model: &model,
        cal,
        ix: &ix,
        today,
    };
    let ours = council_figures(&src, &peer, &periods);
    // Where the time goes: the slowest measures, each over the 13 months and every scope.
    let mut each: Vec<(Duration, &str)> = all
        .iter()
        .map(|m| {
            let started = Instant::now();
            std::hint::black_box(report::scorecard(&src, &[m], &periods));
            (started.elapsed(), m.id.as_str())
        })
        .collect();
    let snapshot_total: Duration = all
        .iter()
        .zip(&each)
        .filter(|(m, _)| m.counting == kpi::catalogue::Counting::AtEnd)
        .map(|(_, (d, _))| *d)
        .sum();
    let flow_total: Duration = each.iter().map(|(d, _)| *d).sum::<Duration>() - snapshot_total;
    each.sort_by_key(|e| std::cmp::Reverse(e.0));
    let slowest: Vec<String> = each
        .iter()
        .take(6)
        .map(|(d, id)| format!("{id} {:.1} ms", ms(*d)))
        .collect();

    // The peer: the same records as tables in SQLite, indexed, and the three measures as SQL.
    let conn = Connection::open_in_memory()?;
    let load_started = Instant::now();
    load_tables(&conn, &model, cal, &periods)?;
    let load = load_started.elapsed();
    let mut sql = Vec::new();
    let mut theirs = BTreeMap::new();
    for _ in 0..rounds {
        let started = Instant::now();
        theirs = run_sql(&conn)?;
        sql.push(started.elapsed());
    }
    let agree = ours == theirs;

    let best = full.iter().min().copied().unwrap_or_default();
    let (full, index_only, three, sql) =
        (median(full), median(index_only), median(three), median(sql));
    println!(
        "Hearth, full scorecard:       {:>9.1} ms  ({rows} figures; {:.1} ms of it indexing the model; best round {:.1} ms)",
        ms(full),
        ms(index_only),
        ms(best)
    );
    println!(
        "  measures at a month's end {:.1} ms, of what happened in a month {:.1} ms; slowest: {}",
        ms(snapshot_total),
        ms(flow_total),
        slowest.join(", ")
    );
    println!(
        "Hearth, the three measures:   {:>9.1} ms  (FD-01, AS-01, FD-03; every month and scope)",
        ms(three)
    );
    println!(
        "SQLite SQL, the same three:   {:>9.1} ms  (after {:.0} ms loading and indexing the tables)",
        ms(sql),
        ms(load)
    );
    println!(
        "Ratio, SQL ÷ Hearth:          {:>9.1} ×",
        ms(sql) / ms(three).max(1e-6)
    );
    println!(
        "Council figures of the two: {}",
        if agree {
            "identical for every month".to_string()
        } else {
            format!("DIFFER\n  Hearth: {ours:?}\n  SQL:    {theirs:?}")
        }
    );
    println!("Median of {rounds} rounds, one thread.");
    if by_measure {
        println!("Each measure over the 13 months and every scope, once:");
        for (d, id) in &each {
            println!("  {id:<8} {:>7.1} ms", ms(*d));
        }
    }
    if !agree {
        anyhow::bail!("the SQL peer and the engine disagree");
    }
    Ok(())
}

type CouncilFigures = BTreeMap<(String, String), (i64, i64)>;

fn council_figures(
    src: &Source,
    measures: &[&'static Measure],
    periods: &[Period],
) -> CouncilFigures {
    let mut out = BTreeMap::new();
    for m in measures {
        for p in periods {
            let r = report::row(src, m, *p, Scope::Council, false);
            out.insert(
                (m.id.clone(), p.to_string()),
                (
                    r.numerator.unwrap_or(0.0) as i64,
                    r.denominator.unwrap_or(0.0) as i64,
                ),
            );
        }
    }
    out
}

fn load_tables(
    conn: &Connection,
    model: &Model,
    cal: &Calendar,
    periods: &[Period],
) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE TABLE cal(day TEXT PRIMARY KEY, wd INTEGER NOT NULL) WITHOUT ROWID;
         CREATE TABLE months(month TEXT, first TEXT, last TEXT);
         CREATE TABLE contacts(child INTEGER, received TEXT, decided TEXT);
         CREATE TABLE assessments(child INTEGER, start TEXT, authorised TEXT);
         CREATE TABLE referrals(child INTEGER, id INTEGER, day TEXT);
         CREATE TABLE allocations(child INTEGER, team INTEGER, start TEXT, finish TEXT);",
    )?;
    let tx = conn.unchecked_transaction()?;
    {
        // A running count of working days, so working days between two dates is a subtraction.
        let mut ins = tx.prepare("INSERT INTO cal VALUES (?1, ?2)")?;
        let mut day = NaiveDate::from_ymd_opt(1990, 1, 1).expect("date");
        let end = NaiveDate::from_ymd_opt(2045, 12, 31).expect("date");
        let mut n = 0i64;
        while day <= end {
            if cal.is_working_day(day) {
                n += 1;
            }
            ins.execute(params![day.to_string(), n])?;
            day = day.succ_opt().expect("date");
        }
        let mut ins = tx.prepare("INSERT INTO months VALUES (?1, ?2, ?3)")?;
        for p in periods {
            ins.execute(params![
                p.to_string(),
                p.first().to_string(),
                p.last().to_string()
            ])?;
        }
        let mut contacts = tx.prepare("INSERT INTO contacts VALUES (?1, ?2, ?3)")?;
        let mut assessments = tx.prepare("INSERT INTO assessments VALUES (?1, ?2, ?3)")?;
        let mut referrals = tx.prepare("INSERT INTO referrals VALUES (?1, ?2, ?3)")?;
        let mut allocations = tx.prepare("INSERT INTO allocations VALUES (?1, ?2, ?3, ?4)")?;
        for c in model.children.values() {
            let id = c.id().0 as i64;
            for k in &c.contacts {
                contacts.execute(params![
                    id,
                    k.received.date().to_string(),
                    k.decision.as_ref().map(|d| d.1.date().to_string())
                ])?;
            }
            for a in &c.assessments {
                assessments.execute(params![
                    id,
                    a.start.to_string(),
                    a.authorised.map(|d| d.to_string())
                ])?;
            }
            for r in &c.referrals {
                referrals.execute(params![id, r.id.0, r.date.to_string()])?;
            }
            for a in &c.allocations {
                allocations.execute(params![
                    id,
                    a.team.0,
                    a.from.to_string(),
                    a.to.map(|d| d.to_string())
                ])?;
            }
        }
    }
    tx.commit()?;
    conn.execute_batch(
        "CREATE INDEX contacts_received ON contacts(received);
         CREATE INDEX assessments_authorised ON assessments(authorised);
         CREATE INDEX referrals_child ON referrals(child, day);
         CREATE INDEX referrals_day ON referrals(day);
         CREATE INDEX allocations_child ON allocations(child, start);
         ANALYZE;",
    )
}

/// The three measures for every month, by team and for the council, as a performance officer
/// would write them.
const SQL: [(&str, &str); 3] = [
    (
        "FD-01",
        "WITH items AS (
           SELECT m.month, k.child, k.received,
                  CASE WHEN k.decided IS NOT NULL AND cd.wd - cr.wd <= 1 THEN 1 ELSE 0 END AS met
           FROM contacts k
           JOIN months m ON k.received BETWEEN m.first AND m.last
           JOIN cal cr ON cr.day = k.received
           LEFT JOIN cal cd ON cd.day = k.decided)
         SELECT i.month, a.team, sum(i.met), count(*) FROM items i
         LEFT JOIN allocations a ON a.child = i.child AND a.start <= i.received
              AND (a.finish IS NULL OR i.received < a.finish)
         GROUP BY i.month, a.team",
    ),
    (
        "AS-01",
        "WITH items AS (
           SELECT m.month, s.child, s.authorised,
                  CASE WHEN ce.wd - cs.wd <= 45 THEN 1 ELSE 0 END AS met
           FROM assessments s
           JOIN months m ON s.authorised BETWEEN m.first AND m.last
           JOIN cal cs ON cs.day = s.start
           JOIN cal ce ON ce.day = s.authorised)
         SELECT i.month, a.team, sum(i.met), count(*) FROM items i
         LEFT JOIN allocations a ON a.child = i.child AND a.start <= i.authorised
              AND (a.finish IS NULL OR i.authorised < a.finish)
         GROUP BY i.month, a.team",
    ),
    (
        "FD-03",
        "WITH items AS (
           SELECT m.month, r.child, r.day,
                  EXISTS (SELECT 1 FROM referrals p WHERE p.child = r.child AND p.id <> r.id
                          AND p.day < r.day AND p.day >= date(r.day, '-12 months')) AS met
           FROM referrals r
           JOIN months m ON r.day BETWEEN m.first AND m.last)
         SELECT i.month, a.team, sum(i.met), count(*) FROM items i
         LEFT JOIN allocations a ON a.child = i.child AND a.start <= i.day
              AND (a.finish IS NULL OR i.day < a.finish)
         GROUP BY i.month, a.team",
    ),
];

/// Runs the three queries; returns the council's figures (the teams' rows summed).
fn run_sql(conn: &Connection) -> rusqlite::Result<CouncilFigures> {
    let mut out: CouncilFigures = BTreeMap::new();
    for (id, sql) in SQL {
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let month: String = row.get(0)?;
            let _team: Option<i64> = row.get(1)?;
            let met: i64 = row.get(2)?;
            let n: i64 = row.get(3)?;
            let e = out.entry((id.to_string(), month)).or_default();
            e.0 += met;
            e.1 += n;
        }
    }
    Ok(out)
}
