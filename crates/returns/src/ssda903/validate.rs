//! Validating a return: every written rule in force in the year, as findings.

use super::rules::{self, Kind};
use super::submission::Return;
use super::tables::TableName;
use super::year::Year;

/// One row failing one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: &'static str,
    pub kind: Kind,
    pub table: TableName,
    /// The row's 0-based data row in its file.
    pub row_id: u64,
    pub child_id: Option<String>,
    pub affected_fields: &'static [String],
    pub message: &'static str,
}

/// Runs every written rule in force in `year` over the return, in catalogue order; each rule's
/// findings are sorted by table and row.
pub fn validate(r: &Return, year: Year) -> Vec<Finding> {
    let rules = rules::rules(year);
    // The rules only read the return, so they run on all cores, each thread taking every n-th rule.
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(rules.len().max(1));
    let mut per_rule: Vec<Vec<(TableName, usize)>> = vec![Vec::new(); rules.len()];
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let rules = &rules;
                s.spawn(move || {
                    (t..rules.len())
                        .step_by(threads)
                        .map(|i| (i, rules[i].run(r)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            for (i, rows) in h.join().expect("a rule panicked") {
                per_rule[i] = rows;
            }
        }
    });
    rules
        .iter()
        .zip(per_rule)
        .flat_map(|(rule, rows)| {
            rows.into_iter().filter_map(move |(name, row)| {
                let table = r.table(name)?;
                Some(Finding {
                    code: rule.code,
                    kind: rule.kind,
                    table: name,
                    row_id: table.row_id(row),
                    child_id: table.child_id(row).map(str::to_owned),
                    affected_fields: &rule.entry.affected_fields,
                    message: &rule.entry.message,
                })
            })
        })
        .collect()
}
