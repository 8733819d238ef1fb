//! The DfE's rule catalogue for each collection year (`data/ssda903/903_lac20XX_YY_rules.csv`):
//! which codes are in force, with their message, affected fields and tables.

use super::year::Year;
use std::sync::OnceLock;

/// One rule as a year's catalogue describes it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub code: String,
    pub message: String,
    pub affected_fields: Vec<String>,
    pub tables: Vec<String>,
}

const FILES: [&str; 5] = [
    include_str!("../../data/ssda903/903_lac2022_23_rules.csv"),
    include_str!("../../data/ssda903/903_lac2023_24_rules.csv"),
    include_str!("../../data/ssda903/903_lac2024_25_rules.csv"),
    include_str!("../../data/ssda903/903_lac2025_26_rules.csv"),
    include_str!("../../data/ssda903/903_lac2026_27_rules.csv"),
];

fn parse(text: &str) -> Vec<Entry> {
    let split = |s: &str| {
        s.split(';')
            .filter(|f| !f.is_empty())
            .map(str::to_owned)
            .collect()
    };
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| {
            let r = r.expect("the built-in catalogue is valid CSV");
            Entry {
                code: r[0].to_owned(),
                message: r[1].to_owned(),
                affected_fields: split(&r[2]),
                tables: split(&r[3]),
            }
        })
        .collect()
}

/// The year's rules, in the catalogue's order.
pub fn catalogue(year: Year) -> &'static [Entry] {
    static YEARS: OnceLock<Vec<Vec<Entry>>> = OnceLock::new();
    &YEARS.get_or_init(|| FILES.iter().map(|f| parse(f)).collect())[year as usize]
}

/// The year's entry for a code, if the rule is in force that year.
pub fn entry(year: Year, code: &str) -> Option<&'static Entry> {
    catalogue(year).iter().find(|e| e.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_year() {
        let counts: Vec<usize> = Year::ALL.iter().map(|&y| catalogue(y).len()).collect();
        assert_eq!(counts, [293, 312, 305, 316, 327]);
        let e = entry(Year::Y2022_23, "103").unwrap();
        assert_eq!(e.affected_fields, ["ETHNIC"]);
        assert_eq!(e.tables, ["Header"]);
        assert!(entry(Year::Y2024_25, "370").is_none());
    }
}
