//! `hearth export`: a statutory return written from the records, for any collection year.

use anyhow::{Context, bail};
use clap::Args;
use std::path::PathBuf;
use store::{OpenMode, Store};

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: crate::cli::Db,
    /// The collection year, such as 2024/25 (1 April 2024 to 31 March 2025).
    #[arg(long)]
    pub year: String,
    /// Write the SSDA903 return's CSV files into this folder.
    #[arg(long)]
    pub ssda903: Option<PathBuf>,
    /// Write the CIN census XML to this file.
    #[arg(long)]
    pub cin: Option<PathBuf>,
}

/// `2024/25` (or `2024-25`) as its first year.
pub fn first_year(text: &str) -> anyhow::Result<i32> {
    let parsed = text
        .split_once(['/', '-'])
        .and_then(|(a, b)| Some((a.parse::<i32>().ok()?, b.parse::<i32>().ok()?)))
        .filter(|(a, b)| (a + 1) % 100 == *b && (1990..2100).contains(a));
    match parsed {
        Some((a, _)) => Ok(a),
        None => bail!("--year {text}: give the collection year as 2024/25"),
    }
}

pub async fn run(args: ExportArgs) -> anyhow::Result<()> {
    let first = first_year(&args.year)?;
    if args.ssda903.is_none() && args.cin.is_none() {
        bail!("say what to export: --ssda903 DIR or --cin FILE.xml");
    }
    let store = Store::open(&args.db.db, OpenMode::MustExist).await?;
    let bar = crate::progress::bar(store.last_seq().await?.max(0) as u64, "replay");
    let loaded = store::load_model(&store, None, |n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    let model = loaded.model;
    if let Some(dir) = &args.ssda903 {
        let tables = returns::ssda903::export::tables(&model, first);
        returns::ssda903::export::write_dir(&tables, dir)
            .with_context(|| format!("writing the SSDA903 return to {}", dir.display()))?;
        let counts: Vec<String> = tables
            .iter()
            .map(|t| format!("{} {}", t.name().file_name(), t.len()))
            .collect();
        println!(
            "SSDA903 {} written to {}: {}",
            args.year,
            dir.display(),
            counts.join(", ")
        );
    }
    if let Some(file) = &args.cin {
        let Some(year) = returns::cin::CinYear::parse(&format!("{first}/{:02}", (first + 1) % 100))
        else {
            bail!(
                "the CIN census can be written for 2022/23 to 2026/27, the years whose rules Hearth holds"
            );
        };
        let census = returns::cin::export::census(&model, year, &model.council.la_code);
        let out = std::io::BufWriter::new(
            std::fs::File::create(file).with_context(|| format!("creating {}", file.display()))?,
        );
        returns::cin::export::write_xml(&census, out)
            .with_context(|| format!("writing the CIN census to {}", file.display()))?;
        println!("CIN census {} written to {}", args.year, file.display());
    }
    Ok(())
}
