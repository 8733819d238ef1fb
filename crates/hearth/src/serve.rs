//! `hearth serve` and `hearth demo`.

use crate::cli::Db;
use anyhow::Context;
use std::path::Path;
use store::{OpenMode, Store};

pub async fn serve(db: &Db, addr: &str) -> anyhow::Result<()> {
    let store = Store::open(&db.db, OpenMode::MustExist).await?;
    run(store, addr).await
}

/// Seeds the demo council the first time, then serves it.
pub async fn demo(file: &Path, addr: &str) -> anyhow::Result<()> {
    if !file.exists() {
        println!(
            "Creating the demo council in {} (once; it takes a few seconds)...",
            file.display()
        );
        // Built under another name and renamed when whole, so a run stopped part way (Ctrl-C)
        // never leaves a half-made council to be served next time.
        let partial = file.with_extension("db.partial");
        let remove_partial = || {
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
            }
        };
        remove_partial();
        let store = Store::open(
            &format!("sqlite://{}", partial.display()),
            OpenMode::CreateIfMissing,
        )
        .await?;
        let options = synth::Options {
            seed: 42,
            years: 5,
            end: chrono::Local::now().date_naive(),
            scale: 1,
        };
        let calendar = domain::calendar::Calendar::england_and_wales();
        let seeded = match crate::seed::seed(&store, options, calendar, true).await {
            // The file alone must hold the council before it is renamed.
            Ok(_) => store.checkpoint().await.map_err(anyhow::Error::from),
            Err(e) => Err(e),
        };
        store.close().await;
        if let Err(e) = seeded {
            remove_partial();
            return Err(e);
        }
        std::fs::rename(&partial, file).with_context(|| {
            format!("cannot rename {} to {}", partial.display(), file.display())
        })?;
        remove_partial();
    }
    let url = format!("sqlite://{}", file.display());
    let store = Store::open(&url, OpenMode::MustExist).await?;
    println!(
        "The demo council's measures: hearth kpi --db {url}   (its worklists: hearth worklist --db {url} --team 3)"
    );
    run(store, addr).await
}

async fn run(store: Store, addr: &str) -> anyhow::Result<()> {
    let bar = crate::progress::bar(store.last_seq().await?.max(0) as u64, "replay");
    let loaded = store::load_model(&store, None, |n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    let state = web::AppState::new(store, loaded.model, loaded.last_seq);
    web::spawn_follower(state.clone());
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    println!("Hearth is running at http://{local}/ (Ctrl-C to stop)");
    axum::serve(listener, web::router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the web server stopped")?;
    Ok(())
}
