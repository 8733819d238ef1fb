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
    /// An SSDA903 return (children looked after): a folder of its CSV files, or its XML file.
    Ssda903 {
        /// The collection year, such as 2024/25 (1 April 2024 to 31 March 2025).
        #[arg(long)]
        year: String,
        /// The folder holding the return's files (header.csv, episodes.csv, ...), or the
        /// return's XML file (root EXPSSDA903).
        dir: PathBuf,
        /// The previous year's return (a folder or an XML file), for the rules that compare with it.
        #[arg(long)]
        previous: Option<PathBuf>,
        /// The council's local authority code, for the placement rules; with --postcodes, its ONS
        /// code (E09000027): a placement whose postcode lies in this LA is in its own area.
        #[arg(long)]
        la: Option<String>,
        /// The ONS postcode directory (or an extract of it) as CSV with columns pcd, laua,
        /// oseast1m and osnrth1m (and optionally cty): each placement's LA, location and distance
        /// are derived from it, and the rules that need them run.
        #[arg(long)]
        postcodes: Option<PathBuf>,
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
pub(crate) fn first_year(text: &str) -> anyhow::Result<i32> {
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
    let nearest = ssda903::Year::nearest(first).first_year();
    (nearest, nearest != first)
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

/// A finding as every format writes it, borrowing from the finding: a large return has
/// millions, and they are written as they are read rather than copied.
#[derive(Debug, Serialize)]
struct Line<'a> {
    rule: &'a str,
    kind: &'static str,
    table: &'static str,
    row: Option<u64>,
    child: Option<&'a str>,
    fields: Vec<&'a str>,
    message: &'a str,
}

pub fn run(cmd: ValidateCommand) -> anyhow::Result<()> {
    match cmd {
        ValidateCommand::Ssda903 {
            year,
            dir,
            previous,
            la,
            postcodes,
            rules,
            format,
        } => {
            let (first, set) = years(&year, rules.as_deref(), "SSDA903")?;
            // The placement LA derived from the postcodes is an ONS code; a DfE number would
            // put every placement out of area.
            if let (Some(code), Some(_)) = (la.as_deref(), &postcodes)
                && !ons_la_code(code)
            {
                bail!(
                    "--la {code}: with --postcodes, give the council's ONS code (such as \
                     E09000027), as the placement LA derived from the postcodes is written"
                );
            }
            let set = ssda903::Year::nearest(set);
            let found = {
                let (current, format) = ssda903::read_path(&dir)?;
                let last = match &previous {
                    Some(p) => ssda903::read_path(p)?.0,
                    None => Vec::new(),
                };
                let mut meta = ssda903::Metadata::for_first_year(first);
                meta.la_code = la;
                meta.file_format = format;
                meta.postcodes = postcodes
                    .as_deref()
                    .map(ssda903::Postcodes::read_file)
                    .transpose()?;
                // The return is let go before the report is written.
                ssda903::validate(&ssda903::Return::new(meta, current, last), set)
            };
            let what = format!(
                "SSDA903 {} ({} rules for {set}), {}",
                year_label(first),
                ssda903::rules(set).len(),
                dir.display()
            );
            let lines = found.iter().map(|f| Line {
                rule: f.code,
                kind: match f.kind {
                    ssda903::Kind::Error => "error",
                    ssda903::Kind::Query => "query",
                },
                table: f.table.key(),
                row: Some(f.row_id),
                child: f.child_id.as_deref(),
                fields: f.affected_fields.iter().map(String::as_str).collect(),
                message: f.message,
            });
            report(lines, format, &what)
        }
        ValidateCommand::Cin {
            year,
            file,
            tables,
            rules,
            format,
        } => {
            let (first, set) = years(&year, rules.as_deref(), "CIN census")?;
            let set = cin::CinYear::nearest(set);
            let (census, source) = match (&file, &tables) {
                (Some(f), _) => (cin::read::read_xml_file(f)?, f.display().to_string()),
                (None, Some(d)) => (cin::read::read_tables_dir(d)?, d.display().to_string()),
                (None, None) => bail!("give the census XML file, or --tables DIR"),
            };
            let found = cin::validate(&census, set);
            drop(census);
            let what = format!(
                "CIN census {} (rules for {}), {source}",
                year_label(first),
                year_label(set.end_year() - 1)
            );
            let lines = found.iter().map(|f| Line {
                rule: f.code,
                kind: match f.kind {
                    cin::catalogue::RuleKind::Error => "error",
                    cin::catalogue::RuleKind::Query => "query",
                },
                table: f.table.name(),
                row: f.row.map(u64::from),
                child: f.child.as_deref(),
                fields: f.fields.clone(),
                message: f.message,
            });
            report(lines, format, &what)
        }
    }
}

/// Writes the findings in the format asked for, one at a time. A reader that stops early
/// (`| head`) is not a failure.
fn report<'a>(
    lines: impl Iterator<Item = Line<'a>> + Clone,
    format: ReportFormat,
    what: &str,
) -> anyhow::Result<()> {
    match write_report(lines, format, what) {
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
                    || c.downcast_ref::<csv::Error>().is_some_and(|e| {
                        matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
                    })
            }) =>
        {
            Ok(())
        }
        other => other,
    }
}

fn write_report<'a>(
    lines: impl Iterator<Item = Line<'a>> + Clone,
    format: ReportFormat,
    what: &str,
) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        ReportFormat::Json => {
            writeln!(out, "[")?;
            for (k, l) in lines.enumerate() {
                if k > 0 {
                    writeln!(out, ",")?;
                }
                serde_json::to_writer(&mut out, &l)?;
            }
            writeln!(out, "\n]")?;
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
            for l in lines {
                let row = l.row.map(|r| r.to_string()).unwrap_or_default();
                let child = l.child.unwrap_or_default();
                if l.fields.is_empty() {
                    w.write_record([l.rule, l.table, &row, child, ""])?;
                }
                for field in &l.fields {
                    w.write_record([l.rule, l.table, &row, child, field])?;
                }
            }
            w.flush()?;
            return Ok(());
        }
        ReportFormat::Table => {
            let (mut total, mut errors) = (0, 0);
            let mut rules = std::collections::BTreeSet::new();
            for l in lines.clone() {
                total += 1;
                errors += usize::from(l.kind == "error");
                rules.insert(l.rule);
            }
            writeln!(out, "{what}")?;
            writeln!(
                out,
                "{errors} errors and {} queries, from {} rules",
                total - errors,
                rules.len()
            )?;
            if total > 0 {
                writeln!(
                    out,
                    "{:<10} {:<6} {:<16} {:>7}  {:<16} {:<28} message",
                    "rule", "kind", "table", "row", "child", "fields"
                )?;
            }
            for l in lines {
                writeln!(
                    out,
                    "{:<10} {:<6} {:<16} {:>7}  {:<16} {:<28} {}",
                    l.rule,
                    l.kind,
                    l.table,
                    l.row.map(|r| r.to_string()).unwrap_or_else(|| "-".into()),
                    l.child.unwrap_or("-"),
                    l.fields.join(" "),
                    l.message
                )?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

/// An ONS area code: a letter and eight digits (E09000027).
fn ons_la_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 9 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit)
}

pub(crate) fn year_label(first: i32) -> String {
    ssda903::Year::label(first)
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
        assert!(ons_la_code("E09000027") && !ons_la_code("318") && !ons_la_code("e09000027"));
    }
}
