//! The DfE's published figures for every council, region and England, and each council's ten
//! statistical neighbours (`data/benchmarks/`, see its SOURCES.md).

use crate::engine::{median, round};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::sync::OnceLock;

const PUBLISHED: &str = include_str!("../data/benchmarks/published.csv");
const AREAS: &str = include_str!("../data/benchmarks/areas.csv");
const NEIGHBOURS: &str = include_str!("../data/benchmarks/neighbours.csv");

/// England's code in the DfE's data.
pub const ENGLAND: u16 = 970;

#[derive(Debug, Clone)]
pub struct Area {
    pub code: u16,
    pub name: String,
    pub region: Option<u16>,
}

#[derive(Debug, Default)]
pub struct Benchmarks {
    /// measure → area → (year, value), oldest first.
    values: FxHashMap<String, FxHashMap<u16, Vec<(i32, f64)>>>,
    areas: FxHashMap<u16, Area>,
    neighbours: FxHashMap<u16, Vec<u16>>,
}

/// A council's published figure beside its neighbours, region and England, for one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison<'a> {
    /// The year published: ending 31 March (or at 30 September for the workforce).
    pub year: i32,
    pub council: Option<f64>,
    pub neighbours_mean: Option<f64>,
    pub neighbours_median: Option<f64>,
    /// How many of the ten neighbours published a figure.
    pub neighbours_with_figures: usize,
    pub region: Option<f64>,
    pub region_name: Option<&'a str>,
    pub england: Option<f64>,
}

pub fn published() -> &'static Benchmarks {
    static CELL: OnceLock<Benchmarks> = OnceLock::new();
    CELL.get_or_init(|| {
        Benchmarks::parse(PUBLISHED, AREAS, NEIGHBOURS).expect("built-in benchmark data is valid")
    })
}

impl Benchmarks {
    pub fn parse(published: &str, areas: &str, neighbours: &str) -> Result<Self, csv::Error> {
        let mut b = Benchmarks::default();
        // One row per measure and area, a column per year; an empty cell is no figure.
        let mut rdr = csv::Reader::from_reader(published.as_bytes());
        let years: Vec<Option<i32>> = rdr.headers()?.iter().map(|h| h.parse().ok()).collect();
        for rec in rdr.records() {
            let rec = rec?;
            let (Some(m), Some(a)) = (rec.get(0), rec.get(1).and_then(|a| a.parse().ok())) else {
                continue;
            };
            let series: &mut Vec<(i32, f64)> = b
                .values
                .entry(m.to_string())
                .or_default()
                .entry(a)
                .or_default();
            for (year, cell) in years.iter().zip(rec.iter()).skip(2) {
                if let (Some(y), Ok(v)) = (year, cell.parse::<f64>()) {
                    series.push((*y, v));
                }
            }
        }
        for v in b.values.values_mut().flat_map(|m| m.values_mut()) {
            v.sort_by_key(|(y, _)| *y);
        }
        for rec in csv::Reader::from_reader(areas.as_bytes()).records() {
            let rec = rec?;
            if let Some(code) = rec.get(0).and_then(|c| c.parse().ok()) {
                b.areas.insert(
                    code,
                    Area {
                        code,
                        name: rec.get(1).unwrap_or("").to_string(),
                        region: rec.get(3).and_then(|r| r.parse().ok()),
                    },
                );
            }
        }
        for rec in csv::Reader::from_reader(neighbours.as_bytes()).records() {
            let rec = rec?;
            if let (Some(la), Some(n)) = (
                rec.get(0).and_then(|c| c.parse().ok()),
                rec.get(2).and_then(|c| c.parse().ok()),
            ) {
                b.neighbours.entry(la).or_default().push(n);
            }
        }
        Ok(b)
    }

    pub fn area(&self, code: u16) -> Option<&Area> {
        self.areas.get(&code)
    }

    pub fn neighbours(&self, la: u16) -> &[u16] {
        self.neighbours.get(&la).map_or(&[], Vec::as_slice)
    }

    /// Whether the DfE publishes this measure at all.
    pub fn publishes(&self, measure: &str) -> bool {
        self.series(measure, ENGLAND).is_some()
    }

    fn series(&self, measure: &str, area: u16) -> Option<&Vec<(i32, f64)>> {
        self.values.get(measure)?.get(&area)
    }

    pub fn value(&self, measure: &str, area: u16, year: i32) -> Option<f64> {
        self.series(measure, area)?
            .iter()
            .find(|(y, _)| *y == year)
            .map(|(_, v)| *v)
    }

    /// The latest year England has a figure for, no later than `year`.
    pub fn latest_year(&self, measure: &str, year: i32) -> Option<i32> {
        let england = self.series(measure, ENGLAND)?;
        england
            .iter()
            .rev()
            .find(|(y, _)| *y <= year)
            .or(england.first())
            .map(|(y, _)| *y)
    }

    /// The comparison for a council (by LA code) in the latest published year up to `year`.
    pub fn compare(&self, measure: &str, la: u16, year: i32) -> Option<Comparison<'_>> {
        let year = self.latest_year(measure, year)?;
        let sn: Vec<f64> = self
            .neighbours(la)
            .iter()
            .filter_map(|n| self.value(measure, *n, year))
            .collect();
        let mean = (!sn.is_empty()).then(|| round(sn.iter().sum::<f64>() / sn.len() as f64));
        let with_figures = sn.len();
        let median = median(sn);
        let region = self.area(la).and_then(|a| a.region);
        Some(Comparison {
            year,
            council: self.value(measure, la, year),
            neighbours_mean: mean,
            neighbours_median: median,
            neighbours_with_figures: with_figures,
            region: region.and_then(|r| self.value(measure, r, year)),
            region_name: region.and_then(|r| self.area(r)).map(|a| a.name.as_str()),
            england: self.value(measure, ENGLAND, year),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comparison_takes_the_latest_year_england_has_and_skips_empty_cells() {
        let published = "measure,area,2024,2025\n\
                         X-1,970,10,12\n\
                         X-1,984,9,11\n\
                         X-1,1,5,\n\
                         X-1,2,6,8\n\
                         X-1,3,7,9\n\
                         X-1,100,1,2\n";
        let areas =
            "area,name,kind,region\n100,Ourtown,la,984\n984,Region,region,\n970,England,england,\n";
        let neighbours =
            "la,rank,neighbour,closeness\n100,1,1,Close\n100,2,2,Close\n100,3,3,Close\n";
        let b = Benchmarks::parse(published, areas, neighbours).unwrap();
        let c = b.compare("X-1", 100, 2026).unwrap();
        // 2025 is the latest year; neighbour 1 has no 2025 figure, so two neighbours count.
        assert_eq!(c.year, 2025);
        assert_eq!(c.council, Some(2.0));
        assert_eq!(c.neighbours_with_figures, 2);
        assert_eq!(c.neighbours_mean, Some(8.5));
        assert_eq!(c.neighbours_median, Some(8.5));
        assert_eq!((c.region, c.region_name), (Some(11.0), Some("Region")));
        assert_eq!(c.england, Some(12.0));
        assert_eq!(
            b.compare("X-1", 100, 2024).unwrap().neighbours_mean,
            Some(6.0)
        );
        assert!(b.compare("Y-2", 100, 2025).is_none());
    }

    #[test]
    fn the_built_in_data_has_the_seed_councils_figures() {
        let c = published().compare("AS-01", 332, 2025).unwrap();
        assert_eq!((c.council, c.england), (Some(77.3), Some(85.7)));
        assert_eq!(published().neighbours(332).len(), 10);
    }
}
