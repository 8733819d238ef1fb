//! `hearth export`: a statutory return written from the records, for any collection year, or
//! the Standard Safeguarding Dataset's tables for the sector's other tools.

use anyhow::{Context, bail};
use clap::Args;
use std::path::PathBuf;
use store::{OpenMode, Store};

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub db: crate::cli::Db,
    /// The collection year, such as 2024/25 (1 April 2024 to 31 March 2025). Needed for the
    /// SSDA903 and the CIN census; for Annex A it sets the date to 31 March at its end.
    #[arg(long)]
    pub year: Option<String>,
    /// Write the SSDA903 return's CSV files into this folder.
    #[arg(long)]
    pub ssda903: Option<PathBuf>,
    /// Write the CIN census XML to this file.
    #[arg(long)]
    pub cin: Option<PathBuf>,
    /// Write Ofsted's Annex A (all eleven lists) to this Excel file.
    #[arg(long)]
    pub annex_a: Option<PathBuf>,
    /// Write the Standard Safeguarding Dataset's tables into this folder, one CSV file each.
    #[arg(long)]
    pub ssd: Option<PathBuf>,
    /// The inspection date Annex A is for, YYYY-MM-DD; by default the end of --year, or the
    /// last day the records reach.
    #[arg(long)]
    pub on: Option<chrono::NaiveDate>,
}

pub async fn run(args: ExportArgs) -> anyhow::Result<()> {
    if args.ssda903.is_none() && args.cin.is_none() && args.annex_a.is_none() && args.ssd.is_none()
    {
        bail!(
            "say what to export: --ssda903 DIR, --cin FILE.xml, --annex-a FILE.xlsx or --ssd DIR"
        );
    }
    let first = args
        .year
        .as_deref()
        .map(crate::validate::first_year)
        .transpose()?;
    let year_text = args.year.clone().unwrap_or_default();
    if first.is_none() && (args.ssda903.is_some() || args.cin.is_some()) {
        bail!("give the collection year with --year, such as --year 2024/25");
    }
    let store = Store::open(&args.db.db, OpenMode::MustExist).await?;
    let bar = crate::progress::bar(store.last_seq().await?.max(0) as u64, "replay");
    let loaded = store::load_model(&store, None, |n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    let model = loaded.model;
    if let (Some(dir), Some(first)) = (&args.ssda903, first) {
        let tables = returns::ssda903::export::tables(&model, first);
        let header = tables
            .iter()
            .find(|t| t.name() == returns::ssda903::TableName::Header);
        let children = header.into_iter().flat_map(|t| {
            t.rows()
                .filter_map(|i| t.col("CHILD").text(i).map(str::to_owned))
        });
        crate::reads::log(
            &store,
            &model,
            children,
            &format!("export: SSDA903 {year_text}"),
        )
        .await?;
        returns::ssda903::export::write_dir(&tables, dir)
            .with_context(|| format!("writing the SSDA903 return to {}", dir.display()))?;
        let counts: Vec<String> = tables
            .iter()
            .map(|t| format!("{} {}", t.name().file_name(), t.len()))
            .collect();
        println!(
            "SSDA903 {year_text} written to {}: {}",
            dir.display(),
            counts.join(", ")
        );
    }
    if let (Some(file), Some(first)) = (&args.cin, first) {
        let Some(year) = returns::cin::CinYear::parse(&crate::validate::year_label(first)) else {
            bail!(
                "the CIN census can be written for 2022/23 to 2026/27, the years whose rules Hearth holds"
            );
        };
        let census = returns::cin::export::census(&model, year, &model.council.la_code);
        let ids = census.table(returns::cin::TableName::ChildIdentifiers);
        let children = ids
            .rows()
            .filter_map(|i| ids.col("LAchildID").str(i).map(str::to_owned));
        crate::reads::log(
            &store,
            &model,
            children,
            &format!("export: CIN census {year_text}"),
        )
        .await?;
        let out = std::io::BufWriter::new(
            std::fs::File::create(file).with_context(|| format!("creating {}", file.display()))?,
        );
        returns::cin::export::write_xml(&census, out)
            .with_context(|| format!("writing the CIN census to {}", file.display()))?;
        println!("CIN census {year_text} written to {}", file.display());
    }
    if let Some(dir) = &args.ssd {
        let tables = ssd::export::export(&model);
        let children = model
            .children
            .values()
            .map(|c| c.details.la_child_id.clone());
        crate::reads::log(
            &store,
            &model,
            children,
            "export: Standard Safeguarding Dataset",
        )
        .await?;
        tables
            .write_dir(dir)
            .with_context(|| format!("writing the SSD tables to {}", dir.display()))?;
        let counts: Vec<String> = ssd::export::WRITTEN
            .iter()
            .map(|t| format!("{t} {}", tables.rows(t)))
            .collect();
        println!(
            "Standard Safeguarding Dataset written to {}: {}",
            dir.display(),
            counts.join(", ")
        );
    }
    if let Some(file) = &args.annex_a {
        let on = args
            .on
            .or(first.map(returns::ssda903::year::collection_end))
            .or(model.known_at.map(|t| t.date_naive()))
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        let lists = returns::annex_a::lists(&model, on);
        let children: Vec<String> = lists
            .iter()
            .filter_map(|l| Some((l, l.column("Child Unique ID")?)))
            .flat_map(|(l, c)| {
                l.rows
                    .iter()
                    .filter_map(move |r| r[c].as_text().map(str::to_owned))
            })
            .collect();
        crate::reads::log(
            &store,
            &model,
            children,
            &format!("export: Annex A for {on}"),
        )
        .await?;
        returns::annex_a::write_xlsx(&lists, file)
            .with_context(|| format!("writing Annex A to {}", file.display()))?;
        let counts: Vec<String> = lists
            .iter()
            .map(|l| format!("list {} {}", l.number, l.rows.len()))
            .collect();
        println!(
            "Annex A for {on} written to {}: {}",
            file.display(),
            counts.join(", ")
        );
    }
    Ok(())
}
