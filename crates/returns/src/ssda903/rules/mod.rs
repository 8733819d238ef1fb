//! The SSDA903 rules: one function per rule code (and per year the DfE changed it), registered with
//! the first collection year it applies to. A rule takes the return and pushes the rows that fail.
//!
//! Which codes are in force in a year, and their messages, come from that year's catalogue; a rule
//! function applies from its `since` year until a later version of the same code takes over.

mod common;
mod integrity;
mod r0100;
mod r0200;
mod r0300;
mod r0400;
mod r0500;
mod r0600;
mod r0700;
mod r1000;
mod r3000;
mod sw;

use super::catalogue::{self, Entry};
use super::submission::Return;
use super::tables::TableName;
use super::year::Year;

/// What a rule pushes: rows of this year's tables that fail.
#[derive(Debug, Default)]
pub struct Hits {
    rows: Vec<(TableName, u32)>,
}

impl Hits {
    pub fn push(&mut self, table: TableName, row: usize) {
        self.rows.push((table, row as u32));
    }

    pub fn extend(&mut self, table: TableName, rows: impl IntoIterator<Item = usize>) {
        self.rows
            .extend(rows.into_iter().map(|r| (table, r as u32)));
    }

    /// The failing rows, each once, sorted by table then row.
    pub fn into_rows(mut self) -> Vec<(TableName, usize)> {
        self.rows.sort_unstable();
        self.rows.dedup();
        self.rows
            .into_iter()
            .map(|(t, r)| (t, r as usize))
            .collect()
    }
}

/// A rule's check: `None` when a table it needs is missing (the rule is then skipped).
pub type Check = fn(&Return, &mut Hits) -> Option<()>;

/// The DfE's two kinds of rule: an error must be fixed; a query must be fixed or explained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Error,
    Query,
}

/// A written rule: its code, the first year this version applies to, and its check.
#[derive(Debug, Clone, Copy)]
pub struct Implementation {
    pub code: &'static str,
    pub since: Year,
    pub check: Check,
}

pub(crate) const fn rule(code: &'static str, since: Year, check: Check) -> Implementation {
    Implementation { code, since, check }
}

fn implementations() -> impl Iterator<Item = &'static Implementation> {
    [
        r0100::RULES,
        r0200::RULES,
        r0300::RULES,
        r0400::RULES,
        r0500::RULES,
        r0600::RULES,
        r0700::RULES,
        r1000::RULES,
        r3000::RULES,
        integrity::RULES,
        sw::RULES,
    ]
    .into_iter()
    .flatten()
}

/// The catalogues carry no error/query type. These are the codes whose message asks for a check or
/// an explanation rather than a correction; every other rule is an error. Replace with the DfE's
/// published type when the rule spreadsheet is to hand.
const QUERIES: &[&str] = &["EPI", "231", "454", "582", "583"];

/// A rule in force in a year, with its check.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub code: &'static str,
    pub year: Year,
    pub kind: Kind,
    pub entry: &'static Entry,
    pub check: Check,
}

impl Rule {
    /// The rows that fail, sorted; empty when a table the rule needs is missing.
    pub fn run(&self, r: &Return) -> Vec<(TableName, usize)> {
        let mut hits = Hits::default();
        let _ = (self.check)(r, &mut hits);
        hits.into_rows()
    }
}

/// What the registry knows of a code in a year.
#[derive(Debug, Clone, Copy)]
pub enum Lookup {
    Found(Rule),
    /// In the year's catalogue, but Hearth has no check for it yet.
    NotWritten,
    /// Not in the year's catalogue.
    NotInForce,
}

/// The rule of `code` in force in `year`.
pub fn lookup(code: &str, year: Year) -> Lookup {
    let Some(entry) = catalogue::entry(year, code) else {
        return Lookup::NotInForce;
    };
    let latest = implementations()
        .filter(|i| i.code == code && i.since <= year)
        .max_by_key(|i| i.since);
    match latest {
        Some(i) => Lookup::Found(Rule {
            code: i.code,
            year,
            kind: if QUERIES.contains(&code) {
                Kind::Query
            } else {
                Kind::Error
            },
            entry,
            check: i.check,
        }),
        None => Lookup::NotWritten,
    }
}

/// The years whose catalogue has `code`.
pub fn years(code: &str) -> Vec<Year> {
    Year::ALL
        .into_iter()
        .filter(|&y| catalogue::entry(y, code).is_some())
        .collect()
}

/// Every written rule in force in `year`, in catalogue order.
pub fn rules(year: Year) -> Vec<Rule> {
    catalogue::catalogue(year)
        .iter()
        .filter_map(|e| match lookup(&e.code, year) {
            Lookup::Found(r) => Some(r),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_in_force() {
        assert_eq!(years("370"), [Year::Y2022_23, Year::Y2023_24]);
        assert_eq!(years("700"), [Year::Y2026_27]);
        assert!(matches!(lookup("370", Year::Y2024_25), Lookup::NotInForce));
        let Lookup::Found(r) = lookup("371", Year::Y2025_26) else {
            panic!("371 is written")
        };
        assert_eq!(
            r.entry.message,
            catalogue::entry(Year::Y2025_26, "371").unwrap().message
        );
        assert_eq!(r.kind, Kind::Error);
    }

    #[test]
    fn each_code_is_written_once_per_year_and_is_in_some_catalogue() {
        let mut seen = std::collections::HashSet::new();
        for i in implementations() {
            assert!(
                seen.insert((i.code, i.since)),
                "{} registered twice for {}",
                i.code,
                i.since
            );
            assert!(
                Year::ALL
                    .iter()
                    .any(|&y| y >= i.since && catalogue::entry(y, i.code).is_some()),
                "{} (from {}) is in no catalogue from that year",
                i.code,
                i.since
            );
        }
    }
}
