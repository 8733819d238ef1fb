//! The children in need (CIN) census: its tables, reading it from XML or CSV, and validating it
//! against the DfE's rules for a collection year.
//!
//! ```no_run
//! use returns::cin::{self, CinYear};
//! let census = cin::read::read_xml_file(std::path::Path::new("census.xml")).unwrap();
//! for f in cin::validate(&census, CinYear::Y2025_26) {
//!     println!("{} {} row {:?}: {}", f.code, f.table, f.row, f.message);
//! }
//! ```
//!
//! The rules follow the DfE's published validation rules. Their expected behaviour was checked
//! against the public validator `csc-validator-be-cin` (its unit-test cases and its report on its
//! sample file); where it departs from the DfE text, Hearth follows the DfE (see
//! `tests/cin_rules.rs`).

pub mod catalogue;
pub mod codes;
pub mod export;
pub mod import;
pub mod read;
pub mod rules;
pub mod tables;

pub use catalogue::{CinYear, RuleKind, RuleMeta};
pub use rules::{Ctx, Hit, Rule};
pub use tables::{By, Census, Table, TableName};

/// One validation failure, as a report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's code, `Q` marking a query: `8500`, `2886Q`.
    pub code: &'static str,
    pub kind: RuleKind,
    pub table: TableName,
    /// The row's id in its table; `None` for a finding about the whole return.
    pub row: Option<u32>,
    pub child: Option<String>,
    pub fields: Vec<&'static str>,
    pub message: &'static str,
}

/// Runs every rule in force in `year` on the census. Findings come in rule order, then by table
/// and row; each (rule, table, row) once, with the fields of all its hits.
pub fn validate(census: &Census, year: CinYear) -> Vec<Finding> {
    let ctx = Ctx::new(census, year);
    let rules: Vec<&Rule> = rules::rules_for(year).collect();
    // Two halves of the rules on two threads: the machine has two cores.
    let half = rules.len() / 2;
    let run =
        |part: &[&Rule]| -> Vec<Finding> { part.iter().flat_map(|r| findings(r, &ctx)).collect() };
    std::thread::scope(|s| {
        let second = s.spawn(|| run(&rules[half..]));
        let mut out = run(&rules[..half]);
        out.extend(second.join().expect("a rule panicked"));
        out
    })
}

/// Runs one rule; `None` if no rule has that code or it is not in force that year.
pub fn validate_rule(census: &Census, year: CinYear, code: &str) -> Option<Vec<Finding>> {
    let rule = rules::rule(code).filter(|r| r.applies_in(year))?;
    Some(findings(rule, &Ctx::new(census, year)))
}

fn findings(rule: &Rule, ctx: &Ctx) -> Vec<Finding> {
    let meta = rule
        .meta(ctx.year)
        .expect("every registered rule is in its years' catalogues");
    let mut hits = (rule.check)(ctx);
    hits.sort_by_key(|h| (h.table, h.row));
    let mut out: Vec<Finding> = Vec::with_capacity(hits.len());
    for hit in hits {
        if let Some(last) = out.last_mut()
            && (last.table, last.row) == (hit.table, hit.row)
        {
            for f in hit.fields {
                if !last.fields.contains(f) {
                    last.fields.push(f);
                }
            }
            continue;
        }
        out.push(Finding {
            code: rule.code,
            kind: meta.kind,
            table: hit.table,
            row: hit.row,
            child: hit.child.map(str::to_string),
            fields: hit.fields.to_vec(),
            message: &meta.message,
        });
    }
    out
}
