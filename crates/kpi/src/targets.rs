//! Targets and trajectories: where a measure should be each month, and a red, amber or green
//! rating against that. Contextual measures are never rated.

use crate::catalogue::{Measure, Polarity};
use crate::period::Period;
use domain::events::MeasureTargetSet;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    Red,
    Amber,
    Green,
}

impl Rag {
    pub fn label(self) -> &'static str {
        match self {
            Rag::Red => "red",
            Rag::Amber => "amber",
            Rag::Green => "green",
        }
    }
}

/// A measure's figure set against its target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub target: f64,
    /// Where the trajectory says the measure should be in this period's last month.
    pub trajectory: Option<f64>,
    pub rag: Option<Rag>,
}

fn month_key(period: Period) -> String {
    let (y, m) = period.trajectory_month();
    format!("{y}-{m:02}")
}

/// The trajectory's value for a period: the latest point at or before its last month. Before the
/// first point there is none; after the last the target holds.
pub fn trajectory_value(target: &MeasureTargetSet, period: Period) -> Option<f64> {
    let key = month_key(period);
    if key < target.baseline_month {
        return None;
    }
    let point = target
        .trajectory
        .iter()
        .rfind(|(m, _)| *m <= key)
        .map(|(_, v)| *v);
    match (point, target.trajectory.last()) {
        (Some(v), _) => Some(v),
        // Between the baseline and the first step the plan expects no change yet.
        (None, Some(_)) => None,
        (None, None) => Some(target.target),
    }
}

pub fn assess(
    measure: &Measure,
    target: &MeasureTargetSet,
    period: Period,
    value: Option<f64>,
) -> Assessment {
    let trajectory = trajectory_value(target, period);
    let rag = match (measure.polarity, trajectory, value) {
        (Polarity::Contextual, _, _) | (_, None, _) | (_, _, None) => None,
        (polarity, Some(aim), Some(v)) => {
            // How far the figure is on the wrong side of the trajectory.
            let short = match polarity {
                Polarity::Higher => aim - v,
                _ => v - aim,
            };
            Some(if short <= 1e-9 {
                Rag::Green
            } else if short <= target.tolerance + 1e-9 {
                Rag::Amber
            } else {
                Rag::Red
            })
        }
    };
    Assessment {
        target: target.target,
        trajectory,
        rag,
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TargetsError {
    #[error("{file}: {0}", file = .1)]
    Csv(csv::Error, String),
    #[error("{file}, row {row}, field `{field}`: {message}")]
    Field {
        file: String,
        row: usize,
        field: &'static str,
        message: String,
    },
}

fn is_month(s: &str) -> bool {
    s.parse::<Period>()
        .is_ok_and(|p| matches!(p, Period::Month { .. }))
}

/// Reads targets from CSV: `measure,baseline_month,baseline,target,tolerance,trajectory`, the
/// trajectory as `YYYY-MM:value` pairs separated by `;`. Every row is checked before any is used.
pub fn parse_csv(
    file: &str,
    text: &str,
    on: chrono::NaiveDate,
) -> Result<Vec<MeasureTargetSet>, TargetsError> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| TargetsError::Csv(e, file.to_string()))?;
        let row = i + 2;
        let bad = |field: &'static str, message: String| TargetsError::Field {
            file: file.to_string(),
            row,
            field,
            message,
        };
        let get = |n: usize| rec.get(n).unwrap_or("");
        let measure = get(0).to_string();
        if crate::catalogue::measure(&measure).is_none() {
            return Err(bad(
                "measure",
                format!("`{measure}` is not in the catalogue"),
            ));
        }
        let baseline_month = get(1).to_string();
        if !is_month(&baseline_month) {
            return Err(bad(
                "baseline_month",
                format!("`{baseline_month}` is not a month like 2025-11"),
            ));
        }
        let number = |n: usize, field: &'static str| -> Result<f64, TargetsError> {
            get(n)
                .parse::<f64>()
                .map_err(|_| bad(field, format!("`{}` is not a number", get(n))))
        };
        let baseline = if get(2).is_empty() {
            None
        } else {
            Some(number(2, "baseline")?)
        };
        let target = number(3, "target")?;
        let tolerance = number(4, "tolerance")?;
        let mut trajectory: Vec<(String, f64)> = Vec::new();
        for point in get(5).split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (m, v) = point
                .split_once(':')
                .ok_or_else(|| bad("trajectory", format!("`{point}` is not month:value")))?;
            if !is_month(m) {
                return Err(bad(
                    "trajectory",
                    format!("`{m}` is not a month like 2026-02"),
                ));
            }
            let v: f64 = v
                .parse()
                .map_err(|_| bad("trajectory", format!("`{v}` is not a number")))?;
            if trajectory
                .last()
                .is_some_and(|(last, _)| last.as_str() >= m)
            {
                return Err(bad(
                    "trajectory",
                    format!("{m} is not after the month before it"),
                ));
            }
            trajectory.push((m.to_string(), v));
        }
        out.push(MeasureTargetSet {
            measure,
            baseline_month,
            baseline,
            target,
            trajectory,
            tolerance,
            at: on,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fd01() -> MeasureTargetSet {
        // The plan's shape: 69% in November, then 80% February, 90% March, 95% by April.
        let text = "measure,baseline_month,baseline,target,tolerance,trajectory\n\
                    FD-01,2020-11,69,95,5,2021-02:80;2021-03:90;2021-04:95\n";
        parse_csv("t.csv", text, "2020-12-01".parse().unwrap())
            .unwrap()
            .remove(0)
    }

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    #[test]
    fn the_trajectory_steps_month_by_month_and_then_holds() {
        let t = fd01();
        assert_eq!(
            trajectory_value(&t, p("2020-10")),
            None,
            "before the baseline"
        );
        assert_eq!(
            trajectory_value(&t, p("2021-01")),
            None,
            "before the first step"
        );
        assert_eq!(trajectory_value(&t, p("2021-02")), Some(80.0));
        assert_eq!(trajectory_value(&t, p("2021-03")), Some(90.0));
        assert_eq!(trajectory_value(&t, p("2022-09")), Some(95.0));
        assert_eq!(
            trajectory_value(&t, p("2020/21")),
            Some(90.0),
            "a year reads its March"
        );
    }

    #[test]
    fn rag_follows_polarity_and_tolerance_and_never_rates_context() {
        let t = fd01();
        let m = crate::catalogue::measure("FD-01").unwrap();
        let rag = |v: f64| assess(m, &t, p("2021-03"), Some(v)).rag;
        assert_eq!(rag(90.0), Some(Rag::Green));
        assert_eq!(rag(85.0), Some(Rag::Amber));
        assert_eq!(rag(84.9), Some(Rag::Red));
        let mut low = t.clone();
        low.measure = "WF-01".into();
        let wf = crate::catalogue::measure("WF-01").unwrap();
        assert_eq!(
            assess(wf, &low, p("2021-03"), Some(88.0)).rag,
            Some(Rag::Green)
        );
        assert_eq!(
            assess(wf, &low, p("2021-03"), Some(96.0)).rag,
            Some(Rag::Red)
        );
        let ctx = crate::catalogue::measure("FD-02").unwrap();
        assert_eq!(assess(ctx, &t, p("2021-03"), Some(1.0)).rag, None);
    }

    #[test]
    fn a_bad_targets_file_names_row_and_field() {
        let text = "measure,baseline_month,baseline,target,tolerance,trajectory\n\
                    FD-01,2020-11,69,95,5,2021-02:80\n\
                    AS-01,2020-11,,eighty,5,\n";
        let e = parse_csv("plan.csv", text, "2020-12-01".parse().unwrap())
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "plan.csv, row 3, field `target`: `eighty` is not a number"
        );
        let text = "measure,baseline_month,baseline,target,tolerance,trajectory\n\
                    XX-99,2020-11,,1,1,\n";
        let e = parse_csv("plan.csv", text, "2020-12-01".parse().unwrap())
            .unwrap_err()
            .to_string();
        assert!(e.contains("`XX-99` is not in the catalogue"), "{e}");
    }
}
