//! `hearth dq`: the DfE's rules run on the live records, so the returns are clean before the
//! collection. A summary by rule, by team and by worker; `--format csv` lists every issue.

use crate::cli::Db;
use clap::{Args, ValueEnum};
use returns::dq::{self, Report};
use std::collections::BTreeMap;
use std::io::Write;
use store::{OpenMode, Store};

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DqFormat {
    /// Each failing rule with the number of children, then teams and workers.
    Summary,
    /// Every issue: one line per rule and child, with worker and team.
    Csv,
}

#[derive(Debug, Args)]
pub struct DqArgs {
    #[command(flatten)]
    pub db: Db,
    /// Check the collection year that includes this day (YYYY-MM-DD); by default the last day
    /// the records reach.
    #[arg(long)]
    pub on: Option<chrono::NaiveDate>,
    #[arg(long, value_enum, default_value_t = DqFormat::Summary)]
    pub format: DqFormat,
}

pub async fn run(args: DqArgs) -> anyhow::Result<()> {
    let store = Store::open(&args.db.db, OpenMode::MustExist).await?;
    let bar = crate::progress::bar(store.last_seq().await?.max(0) as u64, "replay");
    let loaded = store::load_model(&store, None, |n| bar.set_position(n)).await?;
    bar.finish_and_clear();
    let model = loaded.model;
    let on = args
        .on
        .or(model.known_at.map(|t| t.date_naive()))
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let report = dq::check(&model, on);
    let children = report.issues.iter().filter_map(|i| i.la_child_id.clone());
    crate::reads::log(&store, &model, children, "data quality").await?;
    let mut out = std::io::stdout().lock();
    match args.format {
        DqFormat::Summary => summary(&mut out, &model, &report)?,
        DqFormat::Csv => csv(&mut out, &model, &report)?,
    }
    Ok(())
}

fn summary(
    out: &mut impl Write,
    model: &domain::model::Model,
    report: &Report,
) -> std::io::Result<()> {
    writeln!(
        out,
        "Data quality for {} (records as on {}): {} issues, {} of them errors",
        report.year_label(),
        report.on,
        report.issues.len(),
        report.errors()
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<11} {:<10} {:<6} {:>8}  message",
        "return", "rule", "kind", "children"
    )?;
    for (issue, n) in report.by_rule() {
        let kind = if issue.query { "query" } else { "error" };
        writeln!(
            out,
            "{:<11} {:<10} {:<6} {:>8}  {}",
            issue.kind.label(),
            issue.code,
            kind,
            n,
            issue.message
        )?;
    }
    let mut teams: BTreeMap<String, usize> = BTreeMap::new();
    let mut workers: BTreeMap<String, usize> = BTreeMap::new();
    for i in &report.issues {
        *teams.entry(i.team_name(model)).or_default() += 1;
        *workers.entry(i.worker_name(model)).or_default() += 1;
    }
    for (title, counts) in [("team", teams), ("worker", workers)] {
        writeln!(out)?;
        writeln!(out, "By {title}:")?;
        let mut v: Vec<_> = counts.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (name, n) in v.iter().take(20) {
            writeln!(out, "{n:>8}  {name}")?;
        }
        if v.len() > 20 {
            writeln!(out, "     ...  and {} more", v.len() - 20)?;
        }
    }
    Ok(())
}

fn csv(out: &mut impl Write, model: &domain::model::Model, report: &Report) -> anyhow::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record([
        "return",
        "rule",
        "kind",
        "child",
        "hearth_child",
        "worker",
        "team",
        "tables",
        "fields",
        "message",
    ])?;
    for i in &report.issues {
        w.write_record([
            i.kind.label(),
            &i.code,
            if i.query { "query" } else { "error" },
            i.la_child_id.as_deref().unwrap_or(""),
            &i.child.map(|c| c.0.to_string()).unwrap_or_default(),
            &i.worker_name(model),
            &i.team_name(model),
            &i.tables.join(";"),
            &i.fields.join(";"),
            &i.message,
        ])?;
    }
    w.flush()?;
    Ok(())
}
