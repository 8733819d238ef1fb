//! `hearth bench board`: the Improvement Board pack written from the live model, cold (the
//! record index and every measure worked out first, as `hearth report board` does after its
//! replay) and warm (the scorecard already held, as the server holds it), beside its peer in the
//! same run: the full scorecard alone, which the pack reads.

use crate::cli::Db;
use kpi::report::{self, Source};
use kpi::{Index, Measure, Period};
use std::time::{Duration, Instant};
use web::pages::board::{self, Output};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

pub async fn run(db: &Db, rounds: usize, pdf: bool) -> anyhow::Result<()> {
    let cal = crate::cli::calendar(db)?;
    let store = store::Store::open(&db.db, store::OpenMode::MustExist).await?;
    println!("Board pack of {}", store.describe());
    let loaded = store::load_model(&store, None, |_| {}).await?;
    store.close().await;
    let model = loaded.model;
    let date = model
        .known_at
        .map_or_else(|| chrono::Local::now().date_naive(), |t| t.date_naive());
    println!(
        "{} children; a plan of {} priorities and {} actions; the pack for {date}",
        model.children.len(),
        model.plan.priorities.len(),
        model.plan.actions.len()
    );
    let all: Vec<&'static Measure> = kpi::catalogue().iter().collect();
    let periods = Period::last_whole_month_before(date).trend(13);
    let (mut cold, mut warm, mut peer, mut scrutiny) = (vec![], vec![], vec![], vec![]);
    let mut size = 0;
    for _ in 0..rounds {
        // The peer: the record index and the full scorecard, nothing written.
        let started = Instant::now();
        let ix = Index::new(&model);
        let src = Source {
            model: &model,
            cal,
            ix: &ix,
            today: date,
        };
        std::hint::black_box(report::scorecard(&src, &all, &periods));
        peer.push(started.elapsed());
        drop(ix);
        // The pack from a model with nothing worked out yet.
        let started = Instant::now();
        let live = web::live::Live::new(model.clone(), loaded.last_seq);
        let html = board::board_pack_html(&live, cal, date, None, Output::File)
            .map_err(anyhow::Error::msg)?;
        cold.push(started.elapsed());
        size = html.len();
        // Again, with the scorecard held.
        let started = Instant::now();
        std::hint::black_box(
            board::board_pack_html(&live, cal, date, None, Output::File)
                .map_err(anyhow::Error::msg)?,
        );
        warm.push(started.elapsed());
        let started = Instant::now();
        std::hint::black_box(
            board::scrutiny_html(&live, cal, date, None, Output::File, None)
                .map_err(anyhow::Error::msg)?,
        );
        scrutiny.push(started.elapsed());
    }
    println!("{rounds} rounds, medians:");
    println!(
        "  board pack, cold (index, every measure, then the pack): {}",
        ms(median(cold))
    );
    println!(
        "  board pack, warm (the scorecard held, as the server holds it): {}",
        ms(median(warm))
    );
    println!(
        "  progress report to scrutiny, warm: {}",
        ms(median(scrutiny))
    );
    println!(
        "  peer, the full scorecard alone (index and every measure, 13 months): {}",
        ms(median(peer))
    );
    println!("  the pack's HTML: {} KB", size.div_ceil(1024));
    if pdf {
        let live = web::live::Live::new(model, loaded.last_seq);
        let html = board::board_pack_html(&live, cal, date, None, Output::File)
            .map_err(anyhow::Error::msg)?;
        let started = Instant::now();
        let bytes = web::pdf::html_to_pdf(&html)?;
        println!(
            "  the pack printed to PDF by headless Chromium: {} ({} KB)",
            ms(started.elapsed()),
            bytes.len().div_ceil(1024)
        );
    }
    Ok(())
}
