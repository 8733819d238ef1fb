//! The measure catalogue: what each measure counts, in words, as data (`data/catalogue.csv`).
//! The engine has one function per entry; a test holds the two in step.

use domain::codes::Service;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

/// How a measure's items combine into its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    /// 100 × numerator ÷ denominator.
    Percent,
    /// 10,000 × numerator ÷ the child population.
    Rate,
    /// The numerator alone.
    Count,
    /// Numerator (a total) ÷ denominator (how many).
    Mean,
    /// The median of the items' values.
    Median,
    /// Numerator ÷ denominator, as for caseloads.
    Ratio,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    Higher,
    Lower,
    /// Volumes and rates that are neither good nor bad: never rated.
    Contextual,
}

/// Whether a measure counts what happened during the period or what stood at its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Counting {
    InPeriod,
    AtEnd,
}

#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    pub id: String,
    pub name: String,
    pub definition: String,
    pub numerator: String,
    pub denominator: String,
    pub aggregate: Aggregate,
    pub unit: String,
    pub polarity: Polarity,
    pub counting: Counting,
    pub timescale: String,
    /// The Ofsted judgement area the measure evidences.
    pub ofsted_area: String,
    /// The improvement plan priority it serves, if any.
    pub priority: Option<String>,
    /// The service whose work it measures: records of unallocated children count there.
    pub home_service: Option<Service>,
    /// What it needs that a source of records may not carry (when it is not there, the measure
    /// is not available rather than zero).
    pub needs: Vec<domain::codes::Fact>,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("catalogue row {row}: {message}")]
    Row { row: usize, message: String },
    #[error("catalogue: {0}")]
    Csv(#[from] csv::Error),
}

const CATALOGUE: &str = include_str!("../data/catalogue.csv");

/// The built-in catalogue.
pub fn catalogue() -> &'static [Measure] {
    static CELL: OnceLock<Vec<Measure>> = OnceLock::new();
    CELL.get_or_init(|| parse(CATALOGUE).expect("the built-in catalogue is valid"))
}

pub fn measure(id: &str) -> Option<&'static Measure> {
    // Pages look measures up thousands of times a second: by id first, then in any case.
    static BY_ID: LazyLock<HashMap<&'static str, &'static Measure>> =
        LazyLock::new(|| catalogue().iter().map(|m| (m.id.as_str(), m)).collect());
    BY_ID
        .get(id)
        .copied()
        .or_else(|| catalogue().iter().find(|m| m.id.eq_ignore_ascii_case(id)))
}

/// Ofsted's judgement areas, in the order inspection reports give them.
pub const OFSTED_AREAS: &[(&str, &str)] = &[
    (
        "help_and_protection",
        "The experiences and progress of children who need help and protection",
    ),
    (
        "children_in_care",
        "The experiences and progress of children in care",
    ),
    (
        "care_leavers",
        "The experiences and progress of care leavers",
    ),
    (
        "leadership",
        "The impact of leaders on social work practice with children and families",
    ),
];

/// The improvement plan's nine priority areas.
pub const PRIORITIES: &[(&str, &str)] = &[
    ("leadership", "Stable leadership and a permanent workforce"),
    (
        "front_door",
        "Timely, good decisions at the front door (MASH)",
    ),
    (
        "assessment_and_plans",
        "The quality of assessments and child-focused plans",
    ),
    (
        "pre_proceedings",
        "Timely use of PLO pre-proceedings and progress of child protection plans",
    ),
    ("permanence", "Swifter progress of plans for permanence"),
    (
        "education",
        "Education and training of children in care and care leavers",
    ),
    (
        "transitions",
        "Case transitions without needless changes of worker",
    ),
    (
        "exploitation",
        "Responses to missing children, non-familial abuse and exploitation",
    ),
    (
        "oversight",
        "Supervision, quality assurance and management oversight",
    ),
];

pub fn parse(text: &str) -> Result<Vec<Measure>, CatalogueError> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let mut out: Vec<Measure> = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec?;
        let row = i + 2;
        let bad = |message: String| CatalogueError::Row { row, message };
        let f = |n: usize| rec.get(n).unwrap_or("").trim().to_string();
        let aggregate = match f(5).as_str() {
            "percent" => Aggregate::Percent,
            "rate" => Aggregate::Rate,
            "count" => Aggregate::Count,
            "mean" => Aggregate::Mean,
            "median" => Aggregate::Median,
            "ratio" => Aggregate::Ratio,
            other => return Err(bad(format!("aggregate `{other}` is not known"))),
        };
        let polarity = match f(7).as_str() {
            "higher" => Polarity::Higher,
            "lower" => Polarity::Lower,
            "contextual" => Polarity::Contextual,
            other => return Err(bad(format!("polarity `{other}` is not known"))),
        };
        let counting = match f(8).as_str() {
            "in period" => Counting::InPeriod,
            "at end" => Counting::AtEnd,
            other => return Err(bad(format!("counting `{other}` is not known"))),
        };
        let ofsted_area = f(10);
        if !OFSTED_AREAS.iter().any(|(k, _)| *k == ofsted_area) {
            return Err(bad(format!("Ofsted area `{ofsted_area}` is not known")));
        }
        let priority = Some(f(11)).filter(|p| !p.is_empty());
        if let Some(p) = &priority
            && !PRIORITIES.iter().any(|(k, _)| k == p)
        {
            return Err(bad(format!("priority `{p}` is not known")));
        }
        let home = f(12);
        let home_service = if home.is_empty() {
            None
        } else {
            Some(
                Service::from_code(&home)
                    .ok_or_else(|| bad(format!("service `{home}` is not known")))?,
            )
        };
        let mut needs = Vec::new();
        for code in f(13).split(';').map(str::trim).filter(|c| !c.is_empty()) {
            needs.push(
                domain::codes::Fact::from_code(code)
                    .ok_or_else(|| bad(format!("fact `{code}` is not known")))?,
            );
        }
        let id = f(0);
        if out.iter().any(|m| m.id == id) {
            return Err(bad(format!("measure `{id}` appears twice")));
        }
        out.push(Measure {
            id,
            name: f(1),
            definition: f(2),
            numerator: f(3),
            denominator: f(4),
            aggregate,
            unit: f(6),
            polarity,
            counting,
            timescale: f(9),
            ofsted_area,
            priority,
            home_service,
            needs,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_catalogue_reads() {
        let c = catalogue();
        assert!(c.len() >= 60, "{} measures", c.len());
        assert!(measure("fd-01").is_some());
        assert_eq!(measure("AS-01").unwrap().polarity, Polarity::Higher);
        assert_eq!(measure("FD-02").unwrap().polarity, Polarity::Contextual);
    }

    #[test]
    fn a_bad_row_is_named() {
        let text = "id,name,definition,numerator,denominator,aggregate,unit,polarity,counting,timescale,ofsted_area,priority,home_service\n\
                    X-1,x,x,x,x,percent,%,sideways,in period,,leadership,,\n";
        let e = parse(text).unwrap_err().to_string();
        assert!(e.contains("row 2") && e.contains("sideways"), "{e}");
    }
}
