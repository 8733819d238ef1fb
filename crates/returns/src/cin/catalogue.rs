//! The collection years, and each year's published rules (code, error or query, module, message,
//! fields) from `data/cin/cin_cin20XX_YY_rules.csv`, built into the binary.

use super::tables::TableName;
use std::sync::OnceLock;

/// A CIN census collection year and its rule set, e.g. 2025/26 (`cin2025_26`), whose census
/// ends on 31 March 2026.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CinYear {
    Y2022_23,
    Y2023_24,
    Y2024_25,
    Y2025_26,
    Y2026_27,
}

impl CinYear {
    pub const ALL: [CinYear; 5] = [
        CinYear::Y2022_23,
        CinYear::Y2023_24,
        CinYear::Y2024_25,
        CinYear::Y2025_26,
        CinYear::Y2026_27,
    ];

    /// The rule set's name, as the public validator spells it: `cin2025_26`.
    pub fn ruleset(self) -> &'static str {
        match self {
            CinYear::Y2022_23 => "cin2022_23",
            CinYear::Y2023_24 => "cin2023_24",
            CinYear::Y2024_25 => "cin2024_25",
            CinYear::Y2025_26 => "cin2025_26",
            CinYear::Y2026_27 => "cin2026_27",
        }
    }

    /// Reads `cin2025_26`, `2025_26`, `2025/26` or `2025-26`.
    pub fn parse(text: &str) -> Option<CinYear> {
        let t = text
            .trim()
            .trim_start_matches("cin")
            .replace(['/', '-'], "_");
        CinYear::ALL
            .into_iter()
            .find(|y| y.ruleset().trim_start_matches("cin") == t)
    }

    /// The rule set for the census year beginning 1 April `first_year`: its own, or the nearest
    /// published (the earliest for older years, the latest for later ones).
    pub fn nearest(first_year: i32) -> CinYear {
        let first = CinYear::ALL[0].end_year() - 1;
        let i = (first_year - first).clamp(0, CinYear::ALL.len() as i32 - 1);
        CinYear::ALL[i as usize]
    }

    /// The calendar year in which the census year ends (2026 for 2025/26).
    pub fn end_year(self) -> i32 {
        2023 + self as i32
    }

    fn csv(self) -> &'static str {
        match self {
            CinYear::Y2022_23 => include_str!("../../data/cin/cin_cin2022_23_rules.csv"),
            CinYear::Y2023_24 => include_str!("../../data/cin/cin_cin2023_24_rules.csv"),
            CinYear::Y2024_25 => include_str!("../../data/cin/cin_cin2024_25_rules.csv"),
            CinYear::Y2025_26 => include_str!("../../data/cin/cin_cin2025_26_rules.csv"),
            CinYear::Y2026_27 => include_str!("../../data/cin/cin_cin2026_27_rules.csv"),
        }
    }
}

impl std::fmt::Display for CinYear {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let y = self.end_year();
        write!(f, "{}/{:02}", y - 1, y % 100)
    }
}

/// Whether a failed rule blocks the return (an error) or asks for a check or an explanation
/// (a query, whose code ends in `Q`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RuleKind {
    Error,
    Query,
}

/// One published rule of one year.
#[derive(Debug, Clone)]
pub struct RuleMeta {
    pub code: String,
    pub kind: RuleKind,
    /// The module (table) the DfE files the rule under.
    pub module: TableName,
    pub message: String,
    pub fields: Vec<String>,
}

/// The rules published for a year, in the catalogue's order.
pub fn catalogue(year: CinYear) -> &'static [RuleMeta] {
    static ALL: OnceLock<Vec<Vec<RuleMeta>>> = OnceLock::new();
    let all = ALL.get_or_init(|| CinYear::ALL.iter().map(|y| parse(y.csv())).collect());
    &all[year as usize]
}

/// The published rule with this code in this year, if the rule is in force then.
pub fn rule_meta(year: CinYear, code: &str) -> Option<&'static RuleMeta> {
    catalogue(year).iter().find(|m| m.code == code)
}

fn parse(text: &str) -> Vec<RuleMeta> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.expect("the built-in CIN catalogue is valid CSV");
            let module = r[2].trim_start_matches("CINTable.");
            RuleMeta {
                code: r[0].to_string(),
                kind: if &r[1] == "Query" {
                    RuleKind::Query
                } else {
                    RuleKind::Error
                },
                module: TableName::from_name(module).expect("a known module"),
                message: r[3].trim().to_string(),
                fields: r[4]
                    .split(';')
                    .map(|f| f.trim_start_matches("CINTable.").to_string())
                    .collect(),
            }
        })
        .collect()
}
