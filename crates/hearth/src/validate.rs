//! `hearth validate ssda903|cin`: a return's files checked against every DfE rule of its year,
//! reported as a table, JSON, or the public validators' CSV issue format.

use anyhow::{Context, bail};
use clap::{Subcommand, ValueEnum};
use returns::{cin, ssda903};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    Table,
    Json,
    /// `rule_code,tables_affected,row_id,child_id,columns_affected`, one line per field.
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum ValidateCommand {
    /// An SSDA903 return (children looked after): a folder of its CSV files.
    Ssda903 {
        /// The collection year, such as 2024/25 (1 April 2024 to 31 March 2025).
        #[arg(long)]
        year: String,
        /// The folder holding the return's files (header.csv, episodes.csv, ...).
        dir: PathBuf,
        /// The previous year's return, for the rules that compare with it.
        #[arg(long)]
        previous: Option<PathBuf>,
        /// The council's three-digit LA code, for the placement rules.
        #[arg(long)]
        la: Option<String>,
        /// Use this year's rule set instead of the collection year's, such as 2025/26.
        #[arg(long)]
        rules: Option<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// A CIN census: its XML file, or `--tables DIR` with one CSV per table.
    Cin {
        /// The collection year, such as 2024/25.
        #[arg(long)]
        year: String,
        /// The census XML.
        #[arg(required_unless_present = "tables", conflicts_with = "tables")]
        file: Option<PathBuf>,
        /// A folder with one CSV per table (Header.csv, ChildIdentifiers.csv, ...).
        #[arg(long)]
        tables: Option<PathBuf>,
        #[arg(long)]
        rules: Option<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
}

/// The first calendar year of a collection year written `2024/25` (or `2024-25`, `2024_25`).
fn first_year(text: &str) -> anyhow::Result<i32> {
    let t = text.trim();
    let (a, b) = t
        .split_once(['/', '-', '_'])
        .with_context(|| format!("'{text}' is not a collection year: write it like 2024/25"))?;
    let a: i32 = a
        .parse()
        .ok()
        .filter(|a| (1990..2100).contains(a))
        .with_context(|| format!("'{text}' is not a collection year: write it like 2024/25"))?;
    if b.parse::<i32>().ok() != Some((a + 1) % 100) {
        bail!(
            "'{text}' is not a collection year: the second year must follow the first, like 2024/25"
        );
    }
    Ok(a)
}

/// The published rule set for a collection year: its own, or the nearest published (the
/// earliest for older years, the latest for later ones).
fn ruleset_year(first: i32) -> (i32, bool) {
    let clamped = first.clamp(2022, 2026);
    (clamped, clamped != first)
}

/// The collection year's first calendar year, and that of the rule set to use: `--rules`, or
/// the collection year's own, or the nearest published (which is said).
fn years(year: &str, rules: Option<&str>, what: &str) -> anyhow::Result<(i32, i32)> {
    let first = first_year(year)?;
    let asked = rules.map(first_year).transpose()?.unwrap_or(first);
    let (set, moved) = ruleset_year(asked);
    if moved {
        eprintln!(
            "No {what} rule set is published for {}; using {}'s",
            year_label(asked),
            year_label(set)
        );
    }
    Ok((first, set))
}

/// A finding as every format writes it.
#[derive(Debug, Serialize)]
struct Line {
    rule: String,
    kind: &'static str,
    table: String,
    row: Option<u64>,
    child: Option<String>,
    fields: Vec<String>,
    message: String,
}

pub fn run(cmd: ValidateCommand) -> anyhow::Result<()> {
    let (lines, what) = match cmd {
        ValidateCommand::Ssda903 {
            year,
            dir,
            previous,
            la,
            rules,
            format,
        } => {
            let (first, set) = years(&year, rules.as_deref(), "SSDA903")?;
            let set = ssda903::Year::ALL
                .into_iter()
                .find(|y| y.first_year() == set)
                .expect("the clamped year is published");
            let current = ssda903::read_dir(&dir)?;
            let last = match &previous {
                Some(p) => ssda903::read_dir(p)?,
                None => Vec::new(),
            };
            let mut meta = ssda903::Metadata::for_first_year(first);
            meta.la_code = la;
            let ret = ssda903::Return::new(meta, current, last);
            let found = ssda903::validate(&ret, set);
            let lines = found
                .into_iter()
                .map(|f| Line {
                    rule: f.code.to_string(),
                    kind: match f.kind {
                        ssda903::Kind::Error => "error",
                        ssda903::Kind::Query => "query",
                    },
                    table: f.table.key().to_string(),
                    row: Some(f.row_id),
                    child: f.child_id,
                    fields: f.affected_fields.to_vec(),
                    message: f.message.to_string(),
                })
                .collect::<Vec<_>>();
            (
                (lines, format),
                format!(
                    "SSDA903 {} ({} rules for {set}), {}",
                    year_label(first),
                    ssda903::rules(set).len(),
                    dir.display()
                ),
            )
        }
        ValidateCommand::Cin {
            year,
            file,
            tables,
            rules,
            format,
        } => {
            let (first, set) = years(&year, rules.as_deref(), "CIN census")?;
            let set = cin::CinYear::parse(&year_label(set)).expect("the clamped year is published");
            let (census, source) = match (&file, &tables) {
                (Some(f), _) => (cin::read::read_xml_file(f)?, f.display().to_string()),
                (None, Some(d)) => (cin::read::read_tables_dir(d)?, d.display().to_string()),
                (None, None) => bail!("give the census XML file, or --tables DIR"),
            };
            let found = cin::validate(&census, set);
            let lines = found
                .into_iter()
                .map(|f| Line {
                    rule: f.code.to_string(),
                    kind: match f.kind {
                        cin::catalogue::RuleKind::Error => "error",
                        cin::catalogue::RuleKind::Query => "query",
                    },
                    table: f.table.name().to_string(),
                    row: f.row.map(u64::from),
                    child: f.child,
                    fields: f.fields.iter().map(|s| s.to_string()).collect(),
                    message: f.message.to_string(),
                })
                .collect::<Vec<_>>();
            (
                (lines, format),
                format!(
                    "CIN census {} (rules for {}), {source}",
                    year_label(first),
                    year_label(set.end_year() - 1)
                ),
            )
        }
    };
    let (lines, format) = lines;
    let mut out = std::io::stdout().lock();
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &lines)?;
            writeln!(out)?;
        }
        ReportFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record([
                "rule_code",
                "tables_affected",
                "row_id",
                "child_id",
                "columns_affected",
            ])?;
            for l in &lines {
                let row = l.row.map(|r| r.to_string()).unwrap_or_default();
                let child = l.child.clone().unwrap_or_default();
                if l.fields.is_empty() {
                    w.write_record([&l.rule, &l.table, &row, &child, ""])?;
                }
                for field in &l.fields {
                    w.write_record([&l.rule, &l.table, &row, &child, field])?;
                }
            }
            w.flush()?;
        }
        ReportFormat::Table => {
            let errors = lines.iter().filter(|l| l.kind == "error").count();
            let rules: std::collections::BTreeSet<&str> =
                lines.iter().map(|l| l.rule.as_str()).collect();
            writeln!(out, "{what}")?;
            writeln!(
                out,
                "{errors} errors and {} queries, from {} rules",
                lines.len() - errors,
                rules.len()
            )?;
            if !lines.is_empty() {
                writeln!(
                    out,
                    "{:<10} {:<6} {:<16} {:>7}  {:<16} {:<28} message",
                    "rule", "kind", "table", "row", "child", "fields"
                )?;
            }
            for l in &lines {
                writeln!(
                    out,
                    "{:<10} {:<6} {:<16} {:>7}  {:<16} {:<28} {}",
                    l.rule,
                    l.kind,
                    l.table,
                    l.row.map(|r| r.to_string()).unwrap_or_else(|| "-".into()),
                    l.child.as_deref().unwrap_or("-"),
                    l.fields.join(" "),
                    l.message
                )?;
            }
        }
    }
    Ok(())
}

fn year_label(first: i32) -> String {
    format!("{first}/{:02}", (first + 1) % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collection_years_are_read_and_clamped_to_the_published_rules() {
        assert_eq!(first_year("2024/25").unwrap(), 2024);
        assert_eq!(first_year("2024-25").unwrap(), 2024);
        assert!(first_year("2024/26").is_err());
        assert!(first_year("24/25").is_err());
        assert!(first_year("rubbish").is_err());
        assert_eq!(ruleset_year(2019), (2022, true));
        assert_eq!(ruleset_year(2024), (2024, false));
        assert_eq!(ruleset_year(2030), (2026, true));
    }
}
