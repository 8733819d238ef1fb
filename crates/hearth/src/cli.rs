//! The command line.

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "hearth",
    version,
    about = "Case recording, live performance and statutory returns for children's social care"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Where the records are: `sqlite://FILE` (the default, one file) or `postgres://...`.
#[derive(Debug, Args, Clone)]
pub struct Db {
    #[arg(long, env = "HEARTH_DB", default_value = "sqlite://hearth.db")]
    pub db: String,
    /// A gov.uk-format bank-holidays.json to use instead of the built-in calendar.
    #[arg(long, env = "HEARTH_BANK_HOLIDAYS")]
    pub bank_holidays: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill a new database with a synthetic council (the same seed always gives the same council).
    Seed(SeedArgs),
    /// Serve the pages and API.
    Serve {
        #[command(flatten)]
        db: Db,
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
    },
    /// Seed hearth-demo.db if it is absent, then serve it.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        #[arg(long, default_value = "hearth-demo.db")]
        file: PathBuf,
    },
    /// Count children, events and records of each kind.
    Stats {
        #[command(flatten)]
        db: Db,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Measure speed: replay, and append latency.
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Debug, Args)]
pub struct SeedArgs {
    #[command(flatten)]
    pub db: Db,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Years of history (1 to 30).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=30))]
    pub years: u32,
    /// The last day of history (default today), as YYYY-MM-DD.
    #[arg(long)]
    pub end: Option<NaiveDate>,
    /// Multiply the council: 10 or 100 for benchmarks (1 to 1000).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub scale: u32,
    /// Skip folding every event into the case model while seeding (saves memory at large scales).
    #[arg(long)]
    pub no_check: bool,
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Replay the whole log into the model: events per second and peak memory, against reading
    /// the rows alone.
    Replay {
        #[command(flatten)]
        db: Db,
    },
    /// Durable single-event appends: latency percentiles, on each database given.
    Append {
        /// Databases to measure, one after another in the same run.
        #[arg(long = "db", required = true)]
        dbs: Vec<String>,
        #[arg(long, default_value_t = 2000)]
        count: u32,
        /// Print `ack STREAM VERSION` after each acknowledged append and go on until killed
        /// (for the crash test).
        #[arg(long, hide = true)]
        ack_log: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Seed(args) => crate::seed::run(args).await,
        Command::Serve { db, addr } => crate::serve::serve(&db, &addr).await,
        Command::Demo { addr, file } => crate::serve::demo(&file, &addr).await,
        Command::Stats { db, format } => crate::stats::run(&db, format).await,
        Command::Bench(BenchCommand::Replay { db }) => crate::bench::replay(&db).await,
        Command::Bench(BenchCommand::Append {
            dbs,
            count,
            ack_log,
        }) => crate::bench::append(&dbs, count, ack_log).await,
    }
}

/// The working-day calendar: built in, or from a gov.uk-format file.
pub fn calendar(db: &Db) -> anyhow::Result<&'static domain::calendar::Calendar> {
    use anyhow::Context;
    match &db.bank_holidays {
        None => Ok(domain::calendar::Calendar::england_and_wales()),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read bank holidays from {}", path.display()))?;
            let cal = domain::calendar::Calendar::from_govuk_json(&text)
                .with_context(|| format!("bank holidays in {}", path.display()))?;
            Ok(Box::leak(Box::new(cal)))
        }
    }
}
