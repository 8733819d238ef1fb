//! Writes `data/benchmarks/published.csv` from the DfE Local Authority Interactive Tool's
//! published benchmark data in long form (`measure_code,year,la_number,area,value`), keeping the
//! measures Hearth computes, one row per measure and area with a column per year.
//!
//! ```sh
//! cargo run -p hearth-kpi --example benchmarks_from_lait -- LAIT_LONG.csv > crates/kpi/data/benchmarks/published.csv
//! ```

use std::collections::{BTreeMap, BTreeSet};

/// Hearth's measure id and the LAIT measure it is published as.
const MEASURES: &[(&str, &str)] = &[
    ("FD-02", "CPP_Total_Rateper10,000"),
    ("FD-03", "ReReferral"),
    ("FD-04", "CIN_Refferals_NFA"),
    ("FD-05", "Referrals_AssessedNotNeed"),
    ("AS-01", "Continue_Assess_Comp"),
    ("S47-01", "Section_47"),
    ("S47-02", "ISCP_Conf"),
    ("S47-03", "CP_conf_15days"),
    ("CP-01", "CPP_rate"),
    ("CP-03", "PrevRegCPR"),
    ("CP-04a", "CPPlans2yrs"),
    ("CP-04b", "CPPlans2yrsActive"),
    ("CP-05", "RevCP"),
    ("CIN-01", "CIN"),
    ("CLA-01", "LAC"),
    ("CLA-02a", "LAC_Start_Rate"),
    ("CLA-02b", "LAC_Cease_Rate"),
    ("CLA-03", "LACStable_2016on"),
    ("CLA-04", "LAC_LongStable%"),
    ("CLA-09a", "LAC_Foster_Placements"),
    ("CLA-09b", "LAC_SecHome_And_ChildHome"),
    ("CLA-09c", "LAC_Parents_OR_Others"),
    ("CLA-09d", "LAC_Ind_SInd_Liv_Arr"),
    ("CLA-10a", "LACHealth%"),
    ("CLA-10b", "LACDental%"),
    ("CLA-12", "Stability_SocialWorker"),
    ("CLA-13a", "LAC_ceased_SGO%"),
    ("CLA-13c", "LAC_RetHome_CarePlan_%"),
    ("MIS-01", "Children_missing"),
    ("CL-01", "CareLeaverEET"),
    ("CL-02", "CareLeaverAcc"),
    ("CL-03", "CareLeavers_LA_NotInTouch"),
    ("CL-04", "CareLeaversNEET"),
    ("CL-04b", "LAC_19_HE"),
    ("WF-01", "Work_Force_AvgNumCase_SW"),
    ("WF-02", "Work_Force_TO_Rate"),
    ("WF-03", "Work_Force_Agecy_Rate"),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: benchmarks_from_lait LAIT_LONG.csv > published.csv")?;
    let lait: BTreeMap<&str, &str> = MEASURES.iter().map(|(h, l)| (*l, *h)).collect();
    // (measure, area) → year → value as published.
    let mut values: BTreeMap<(String, u16), BTreeMap<i32, String>> = BTreeMap::new();
    let mut years = BTreeSet::new();
    for rec in csv::Reader::from_path(&path)?.records() {
        let rec = rec?;
        let Some(id) = lait.get(&rec[0]) else {
            continue;
        };
        let (Ok(year), Ok(area)) = (rec[1].parse::<i32>(), rec[2].parse::<u16>()) else {
            continue;
        };
        // Suppressed, missing and not applicable figures ('-', 'c', 'x'...) are left out.
        let Ok(v) = rec[4].trim().parse::<f64>() else {
            continue;
        };
        years.insert(year);
        values
            .entry((id.to_string(), area))
            .or_default()
            .insert(year, rec[4].trim().to_string());
        // The permanent share is not published as such: 100 less the agency rate.
        if *id == "WF-03" {
            let permanent = ((100.0 - v) * 10.0).round() / 10.0;
            values
                .entry(("WF-03b".to_string(), area))
                .or_default()
                .insert(year, format!("{permanent}"));
        }
    }
    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    let mut header = vec!["measure".to_string(), "area".to_string()];
    header.extend(years.iter().map(|y| y.to_string()));
    out.write_record(&header)?;
    for ((measure, area), by_year) in &values {
        let mut row = vec![measure.clone(), area.to_string()];
        row.extend(
            years
                .iter()
                .map(|y| by_year.get(y).cloned().unwrap_or_default()),
        );
        out.write_record(&row)?;
    }
    out.flush()?;
    Ok(())
}
