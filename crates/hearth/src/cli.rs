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

/// Taking the case system's extracts as they land.
#[derive(Debug, Clone, clap::Args)]
pub struct WatchArgs {
    /// A folder the case system's nightly extract lands in, in the Standard Safeguarding
    /// Dataset's tables (one CSV per table, as for `hearth import --ssd`): each new extract is
    /// imported once its files stop changing, and every run is listed at /imports.
    #[arg(long, value_name = "DIR")]
    pub ssd_watch: Option<PathBuf>,
    /// How often to look in the folder, in seconds.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 60,
        requires = "ssd_watch",
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub ssd_watch_every: u64,
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
        #[command(flatten)]
        oidc: OidcArgs,
        #[command(flatten)]
        watch: WatchArgs,
    },
    /// Seed hearth-demo.db if it is absent, then serve it.
    Demo {
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        #[arg(long, default_value = "hearth-demo.db")]
        file: PathBuf,
    },
    /// Who may sign in.
    #[command(subcommand)]
    User(UserCommand),
    /// Count children, events and records of each kind.
    Stats {
        #[command(flatten)]
        db: Db,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// The measures: any measure for any period and scope, against target, trajectory and
    /// published benchmarks, with the children behind each figure.
    Kpi(KpiArgs),
    /// The statutory clocks for a team or a worker: what is overdue, due, and about to breach.
    Worklist(WorklistArgs),
    /// Bring a council's existing SSDA903 returns or CIN census into Hearth as records.
    Import(crate::import::ImportArgs),
    /// Write a statutory return from the records: SSDA903, CIN census or Annex A.
    Export(crate::export::ExportArgs),
    /// The DfE's rules on the live records: what would fail in this year's returns, by rule,
    /// child, worker and team.
    Dq(crate::dq::DqArgs),
    /// Check a statutory return's files against every DfE validation rule of its year.
    #[command(subcommand)]
    Validate(crate::validate::ValidateCommand),
    /// The Improvement Board's pack or the progress report to scrutiny, as HTML or PDF.
    #[command(subcommand)]
    Report(crate::report::ReportCommand),
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

#[derive(Debug, Args)]
pub struct KpiArgs {
    #[command(flatten)]
    pub db: Db,
    /// 2024-03 (a month), 2024-Q1 (January to March), 2023/24 (a statutory year),
    /// rolling:2024-03 (12 months to March) or at:2024-03-31; default the last whole month.
    #[arg(long)]
    pub period: Option<kpi::Period>,
    /// la, service:CODE, team:ID or worker:ID.
    #[arg(long, default_value = "la")]
    pub scope: kpi::Scope,
    /// A measure id (FD-01, AS-01 ...); repeat for several. Default: every measure.
    #[arg(long)]
    pub measure: Vec<String>,
    /// Replay the records as they stood at the end of this day (YYYY-MM-DD).
    #[arg(long)]
    pub as_known_on: Option<NaiveDate>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
    /// List the children (or workers, or records) behind each figure, and what was left out.
    #[arg(long)]
    pub children: bool,
    /// Cut each figure by age, sex, ethnicity, disability or area.
    #[arg(long)]
    pub breakdown: Option<String>,
    /// Targets from a CSV file (measure,baseline_month,baseline,target,tolerance,trajectory)
    /// in place of those recorded for the council.
    #[arg(long)]
    pub targets: Option<PathBuf>,
    /// List the catalogue of measures and stop.
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, Args)]
pub struct WorklistArgs {
    #[command(flatten)]
    pub db: Db,
    #[arg(long, conflicts_with = "worker")]
    pub team: Option<u32>,
    #[arg(long)]
    pub worker: Option<u32>,
    /// Clocks due within this many working days count as due soon.
    #[arg(long, default_value_t = 5)]
    pub within: i64,
    /// Include clocks due later than that as well.
    #[arg(long)]
    pub all: bool,
    /// Read the clocks as on this day (YYYY-MM-DD), from the records as they stood then.
    #[arg(long)]
    pub on: Option<NaiveDate>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add someone who may sign in. The password is read from the first line of standard input.
    Add {
        #[command(flatten)]
        db: Db,
        #[arg(long)]
        username: String,
        /// Their name as others see it.
        #[arg(long)]
        name: String,
        /// practitioner, team_manager, service_manager, director, iro, performance_officer,
        /// partner_agency, administrator or board_member.
        #[arg(long)]
        role: String,
        /// Their worker record, for staff who hold cases.
        #[arg(long)]
        worker: Option<u32>,
        /// The team they lead or belong to.
        #[arg(long)]
        team: Option<u32>,
    },
    /// List who may sign in.
    List {
        #[command(flatten)]
        db: Db,
    },
    /// Stop someone signing in, and end their sessions.
    Disable {
        #[command(flatten)]
        db: Db,
        #[arg(long)]
        username: String,
    },
    /// Let someone who was disabled sign in again.
    Enable {
        #[command(flatten)]
        db: Db,
        #[arg(long)]
        username: String,
    },
    /// Give someone a new password (read from the first line of standard input), unlock their
    /// account and end their sessions.
    ResetPassword {
        #[command(flatten)]
        db: Db,
        #[arg(long)]
        username: String,
    },
}

/// Signing in through the council's OpenID Connect provider (Entra ID and the like).
#[derive(Debug, Clone, clap::Args)]
pub struct OidcArgs {
    /// The provider's issuer URL. With it, the sign-in page offers signing in through the
    /// council's provider; the client secret is read from HEARTH_OIDC_CLIENT_SECRET.
    #[arg(long)]
    pub oidc_issuer: Option<String>,
    /// Hearth's client id at the provider.
    #[arg(long, requires = "oidc_issuer")]
    pub oidc_client_id: Option<String>,
    /// Where the provider sends people back (default: this server's /sign-in/oidc/callback).
    #[arg(long, requires = "oidc_issuer")]
    pub oidc_redirect_url: Option<String>,
    /// The ID token's claim that holds the Hearth user name.
    #[arg(long, default_value = "preferred_username")]
    pub oidc_username_claim: String,
    /// What the sign-in button calls the provider.
    #[arg(long, default_value = "your council account")]
    pub oidc_label: String,
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Replay the whole log into the model: events per second and peak memory, against reading
    /// the rows alone.
    Replay {
        #[command(flatten)]
        db: Db,
    },
    /// The full scorecard (every measure, 13 months, every team) on one core, against three of
    /// its measures written as SQL and run by SQLite over the same records.
    Kpi {
        #[command(flatten)]
        db: Db,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// Also print every measure's time, slowest first.
        #[arg(long)]
        by_measure: bool,
    },
    /// The Improvement Board pack, cold and warm, against the full scorecard it reads.
    Board {
        #[command(flatten)]
        db: Db,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// Also print the pack to PDF through headless Chromium, once.
        #[arg(long)]
        pdf: bool,
    },
    /// Every page type's server time on a copy of a SQLite database, and 64 users browsing
    /// the pages over loopback, beside the same load on /health.
    Pages {
        #[command(flatten)]
        db: Db,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
        /// How long the load test runs.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
    },
    /// Many people recording at once through the API on a copy of a SQLite database: the
    /// latency of a durable save, beside the store alone; then a replay that finds every
    /// acknowledged save exactly once.
    Record {
        #[command(flatten)]
        db: Db,
        #[arg(long, default_value_t = 50)]
        recorders: usize,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Saves a second each recorder makes at most; 0 saves again as soon as acknowledged.
        #[arg(long, default_value_t = 10.0)]
        rate: f64,
    },
    /// Hearth's SSDA903 and CIN census validators beside the public ones (installed from PyPI
    /// into a throwaway venv) on the same sample returns, scaled up: time, peak memory and how
    /// far their findings agree.
    Returns {
        /// Copies of the 903 sample, each a new set of children (40 is about a million rows).
        #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u32).range(1..=1000))]
        scale903: u32,
        /// Children in the CIN census, the sample's repeated under new ids.
        #[arg(long, default_value_t = 30_000, value_parser = clap::value_parser!(u32).range(1..))]
        cin_children: u32,
        /// The folder holding 903_validator_fake_data/ and cin_validator_fake_data/
        /// (default ../shared/data/statutory).
        #[arg(long)]
        samples: Option<PathBuf>,
        /// Measure Hearth alone.
        #[arg(long)]
        no_peer: bool,
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
        Command::Serve {
            db,
            addr,
            oidc,
            watch,
        } => crate::serve::serve(&db, &addr, &oidc, &watch).await,
        Command::Demo { addr, file } => crate::serve::demo(&file, &addr).await,
        Command::Stats { db, format } => crate::stats::run(&db, format).await,
        Command::User(c) => crate::users::run(c).await,
        Command::Kpi(args) => crate::kpi::run(args).await,
        Command::Worklist(args) => crate::kpi::worklist(args).await,
        Command::Validate(cmd) => crate::validate::run(cmd),
        Command::Import(args) => crate::import::run(args).await,
        Command::Dq(args) => crate::dq::run(args).await,
        Command::Export(args) => crate::export::run(args).await,
        Command::Report(cmd) => crate::report::run(cmd).await,
        Command::Bench(BenchCommand::Replay { db }) => crate::bench::replay(&db).await,
        Command::Bench(BenchCommand::Board { db, rounds, pdf }) => {
            crate::bench::board::run(&db, rounds.max(1), pdf).await
        }
        Command::Bench(BenchCommand::Kpi {
            db,
            rounds,
            by_measure,
        }) => crate::bench::kpi::run(&db, rounds.max(1), by_measure).await,
        Command::Bench(BenchCommand::Pages {
            db,
            rounds,
            seconds,
        }) => crate::bench::pages::run(&db.db, rounds.max(1), seconds.max(1)).await,
        Command::Bench(BenchCommand::Record {
            db,
            recorders,
            seconds,
            rate,
        }) => crate::bench::record::run(&db.db, recorders.max(1), seconds.max(1), rate).await,
        Command::Bench(BenchCommand::Returns {
            scale903,
            cin_children,
            samples,
            no_peer,
        }) => crate::bench::returns::run(scale903, cin_children, samples, no_peer),
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
