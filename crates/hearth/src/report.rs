//! `hearth report`: the Improvement Board's pack and the progress report to scrutiny, written
//! from the records for any day, as print-ready HTML or as a PDF.

use crate::cli::Db;
use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use store::{OpenMode, Store};
use web::pages::board::{self, Output};

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// The Improvement Board's pack: for each priority, what changed since the board last met,
    /// exceptions first, with the measures charted against their trajectories.
    Board(ReportArgs),
    /// The progress report to the scrutiny committee: purpose, recommendations, progress by
    /// priority, finance, HR and equality.
    Scrutiny(ReportArgs),
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub db: Db,
    /// The day the report is written for (YYYY-MM-DD); by default the last day the records reach.
    #[arg(long)]
    pub date: Option<NaiveDate>,
    /// Where to write it: a .html file, or a .pdf made through headless Chromium.
    #[arg(long)]
    pub out: PathBuf,
}

enum Kind {
    Html,
    Pdf,
}

fn kind_of(out: &Path) -> anyhow::Result<Kind> {
    match out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => Ok(Kind::Html),
        Some("pdf") => Ok(Kind::Pdf),
        _ => bail!(
            "--out {}: name a .html or a .pdf file, so Hearth knows which to write",
            out.display()
        ),
    }
}

pub async fn run(command: ReportCommand) -> anyhow::Result<()> {
    let (args, scrutiny) = match command {
        ReportCommand::Board(a) => (a, false),
        ReportCommand::Scrutiny(a) => (a, true),
    };
    // Checked before the replay, so a wrong name costs nothing.
    let kind = kind_of(&args.out)?;
    if matches!(kind, Kind::Pdf) {
        web::pdf::chromium()?;
    }
    let cal = crate::cli::calendar(&args.db)?;
    let store = Store::open(&args.db.db, OpenMode::MustExist).await?;
    let bar = crate::progress::bar(store.last_seq().await?.max(0) as u64, "replay");
    let loaded = store::load_model(&store, None, |n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    let model = loaded.model;
    let last_day = model
        .known_at
        .map(|t| t.date_naive())
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let date = args.date.unwrap_or(last_day);
    let live = web::live::Live::new(model, loaded.last_seq);
    let html = if scrutiny {
        board::scrutiny_html(&live, cal, date, None, Output::File, None)
    } else {
        board::board_pack_html(&live, cal, date, None, Output::File)
    }
    .map_err(anyhow::Error::msg)?;
    let bytes = match kind {
        Kind::Html => html.into_bytes(),
        Kind::Pdf => web::pdf::html_to_pdf(&html)?,
    };
    std::fs::write(&args.out, &bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!(
        "Wrote the {} for {} to {} ({} KB)",
        if scrutiny {
            "progress report to scrutiny"
        } else {
            "Improvement Board pack"
        },
        date.format("%-d %B %Y"),
        args.out.display(),
        bytes.len().div_ceil(1024)
    );
    Ok(())
}
