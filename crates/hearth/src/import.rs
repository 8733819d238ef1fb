//! `hearth import`: a council's existing returns, or an extract of its case system in the
//! Standard Safeguarding Dataset's tables, into the log, so it keeps its history. The
//! whole import is checked first (every row read, every child's events tried against the
//! model) and then written in one transaction: all of it, or nothing and every problem listed.

use anyhow::{Context, bail};
use clap::Args;
use returns::history::{self, ChildHistory, Problem};
use returns::ssda903::{self, import::YearReturn};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use store::{OpenMode, Store};

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub db: crate::cli::Db,
    /// One or more years of SSDA903 returns: each a folder of the DfE's CSV files or an XML
    /// file. Each return's year is read from its dates; years are merged oldest first.
    #[arg(
        long,
        num_args = 1..,
        required_unless_present_any = ["cin", "ssd"],
        conflicts_with_all = ["cin", "ssd"]
    )]
    pub ssda903: Vec<PathBuf>,
    /// A CIN census XML file.
    #[arg(long, conflicts_with = "ssd")]
    pub cin: Option<PathBuf>,
    /// A folder of the Standard Safeguarding Dataset's tables, one CSV file per table named as
    /// the table (ssd_person.csv, ssd_contacts.csv...).
    #[arg(long)]
    pub ssd: Option<PathBuf>,
    /// The collection year of a single SSDA903 return, such as 2024/25, where its dates do not
    /// tell it (by default the year of its latest start date).
    #[arg(long)]
    pub year: Option<String>,
    /// Check everything and report, but write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// How many problems to list before saying how many more there are.
const SHOWN: usize = 50;

pub async fn run(args: ImportArgs) -> anyhow::Result<()> {
    if let Some(dir) = &args.ssd {
        return import_ssd(&args, dir).await;
    }
    let (histories, actor) = if let Some(file) = &args.cin {
        (read_cin(file)?, "import:cin")
    } else {
        let year = args
            .year
            .as_deref()
            .map(crate::validate::first_year)
            .transpose()?;
        if year.is_some() && args.ssda903.len() > 1 {
            bail!(
                "--year names the year of one return; with several, each one's is read from its dates"
            );
        }
        (read_ssda903(&args.ssda903, year)?, "import:ssda903")
    };
    let histories = match histories {
        Ok(h) => h,
        Err(problems) => return refuse(&problems, "the return"),
    };
    let store = Store::open(&args.db.db, OpenMode::CreateIfMissing).await?;
    let bar = crate::progress::bar(store.last_seq().await?.max(0) as u64, "replay");
    let loaded = store::load_model(&store, None, |n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    let children = histories.len();
    let held: std::collections::HashSet<&str> = loaded
        .model
        .children
        .values()
        .map(|c| c.details.la_child_id.as_str())
        .collect();
    let added_to = histories
        .iter()
        .filter(|h| held.contains(h.la_child_id.as_str()))
        .count();
    let whom = if added_to == 0 {
        format!("{children} children")
    } else {
        format!(
            "{children} children ({} new, {added_to} already held, whose records this adds to)",
            children - added_to
        )
    };
    let events = match history::into_events(&loaded.model, histories, actor, chrono::Utc::now()) {
        Ok(e) => e,
        Err(problems) => return refuse(&problems, "the return"),
    };
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &events {
        *by_kind.entry(e.body.kind()).or_default() += 1;
    }
    let mut out = std::io::stdout().lock();
    write_all(&store, &events, args.dry_run, &whom, &mut out).await?;
    for (kind, n) in by_kind {
        writeln!(out, "  {kind}: {n}")?;
    }
    Ok(())
}

/// An extract of the case system: read and checked whole, then written in one transaction.
async fn import_ssd(args: &ImportArgs, dir: &Path) -> anyhow::Result<()> {
    // The extract is read while the log is replayed: neither needs the other until they meet.
    let reading = {
        let dir = dir.to_path_buf();
        tokio::task::spawn_blocking(move || ssd::Extract::read_dir(&dir))
    };
    let store = Store::open(&args.db.db, OpenMode::CreateIfMissing).await?;
    let bar = crate::progress::bar(store.last_seq().await?.max(0) as u64, "replay");
    let loaded = store::load_model(&store, None, |n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    let extract = match reading.await.context("reading the extract")? {
        Ok(e) => e,
        Err(problems) => return refuse(&problems, "the extract"),
    };
    let mut out = std::io::stdout().lock();
    for note in &extract.notes {
        writeln!(out, "{note}")?;
    }
    let imported =
        match ssd::import::import(&loaded.model, &extract, "import:ssd", chrono::Utc::now()) {
            Ok(i) => i,
            Err(problems) => return refuse(&problems, "the extract"),
        };
    let events = &imported.events;
    if events.is_empty() {
        writeln!(out, "{} Nothing was written.", imported.whom())?;
    } else {
        write_all(&store, events, args.dry_run, &imported.whom(), &mut out).await?;
    }
    for line in imported.tables(&extract) {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

/// Writes the events in one transaction, or with `dry_run` says what would be written.
async fn write_all(
    store: &Store,
    events: &[domain::Event],
    dry_run: bool,
    whom: &str,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    if dry_run {
        writeln!(
            out,
            "Checked: {whom} and {} events would be imported; nothing was written (--dry-run).",
            events.len()
        )?;
    } else {
        let bulk: Vec<store::BulkEvent> = events.iter().map(store::BulkEvent::from).collect();
        store
            .append_bulk(&bulk)
            .await
            .context("writing the imported events; nothing was imported")?;
        store.checkpoint().await?;
        writeln!(out, "Imported {whom} as {} events.", events.len())?;
    }
    Ok(())
}

fn refuse(problems: &[Problem], what: &str) -> anyhow::Result<()> {
    let mut err = std::io::stderr().lock();
    for line in Problem::lines(problems, SHOWN) {
        writeln!(err, "{line}")?;
    }
    bail!(Problem::nothing_imported(problems.len(), what))
}

type Read = anyhow::Result<Result<Vec<ChildHistory>, Vec<Problem>>>;

fn read_ssda903(paths: &[PathBuf], year: Option<i32>) -> Read {
    let mut years = Vec::new();
    for path in paths {
        let (tables, _) =
            ssda903::read::read_path(path).context("could not read the SSDA903 return")?;
        let Some(first_year) = year.or_else(|| ssda903::import::infer_first_year(&tables)) else {
            bail!(
                "{}: no episode, review or missing date to tell which year the return is for",
                path.display()
            );
        };
        eprintln!(
            "{}: the return for {}",
            path.display(),
            crate::validate::year_label(first_year)
        );
        years.push(YearReturn {
            source: source_name(path),
            first_year,
            tables,
        });
    }
    Ok(ssda903::import::histories(years))
}

fn read_cin(file: &Path) -> Read {
    let census =
        returns::cin::read::read_xml_file(file).context("could not read the CIN census")?;
    Ok(returns::cin::import::histories(&census, &source_name(file)))
}

fn source_name(path: &Path) -> String {
    path.display().to_string()
}
