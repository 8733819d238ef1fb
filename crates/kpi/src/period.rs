//! The periods a measure is counted over. One type, parsed from the forms staff type
//! (`2024-03`, `2024-Q1`, `2023/24`, `rolling:2024-03`, `at:2024-03-31`), never passed as a string.

use chrono::{Datelike, Duration, Months, NaiveDate};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Period {
    /// A calendar month.
    Month { year: i32, month: u32 },
    /// A calendar quarter: Q1 is January to March.
    Quarter { year: i32, quarter: u32 },
    /// The statutory year, 1 April of `starting` to 31 March of the next year.
    Year { starting: i32 },
    /// The twelve months ending with the given month.
    Rolling { year: i32, month: u32 },
    /// A snapshot at the end of a day. Measures of things that happen over time look back over
    /// the twelve months ending that day.
    At(NaiveDate),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a period: use a month (2024-03), a quarter (2024-Q1), a statutory year (2023/24), \
     twelve months to a month (rolling:2024-03) or a date (at:2024-03-31)"
)]
pub struct PeriodError(pub String);

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn month_end(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1) - Duration::days(1)
}

impl Period {
    pub fn month_of(d: NaiveDate) -> Period {
        Period::Month {
            year: d.year(),
            month: d.month(),
        }
    }

    /// The last whole month before the one a date falls in: the default for reports.
    pub fn last_whole_month_before(d: NaiveDate) -> Period {
        Period::month_of(ymd(d.year(), d.month(), 1) - Duration::days(1))
    }

    /// The statutory year (1 April to 31 March) a date falls in.
    pub fn year_of(d: NaiveDate) -> Period {
        let starting = if d.month() >= 4 {
            d.year()
        } else {
            d.year() - 1
        };
        Period::Year { starting }
    }

    /// The first day counted.
    pub fn first(&self) -> NaiveDate {
        match *self {
            Period::Month { year, month } => ymd(year, month, 1),
            Period::Quarter { year, quarter } => ymd(year, quarter * 3 - 2, 1),
            Period::Year { starting } => ymd(starting, 4, 1),
            Period::Rolling { year, month } => ymd(year, month, 1) - Months::new(11),
            Period::At(d) => d - Months::new(12) + Duration::days(1),
        }
    }

    /// The last day counted, and the date snapshot measures are taken at.
    pub fn last(&self) -> NaiveDate {
        match *self {
            Period::Month { year, month } | Period::Rolling { year, month } => {
                month_end(year, month)
            }
            Period::Quarter { year, quarter } => month_end(year, quarter * 3),
            Period::Year { starting } => ymd(starting + 1, 3, 31),
            Period::At(d) => d,
        }
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.first() <= d && d <= self.last()
    }

    /// The month before this one, for trends; other periods step back by their own length.
    pub fn previous(&self) -> Period {
        match *self {
            Period::Month { year, month } | Period::Rolling { year, month } => {
                let d = ymd(year, month, 1) - Months::new(1);
                let (year, month) = (d.year(), d.month());
                if matches!(self, Period::Month { .. }) {
                    Period::Month { year, month }
                } else {
                    Period::Rolling { year, month }
                }
            }
            Period::Quarter { year, quarter } => {
                if quarter == 1 {
                    Period::Quarter {
                        year: year - 1,
                        quarter: 4,
                    }
                } else {
                    Period::Quarter {
                        year,
                        quarter: quarter - 1,
                    }
                }
            }
            Period::Year { starting } => Period::Year {
                starting: starting - 1,
            },
            Period::At(d) => Period::At(d - Months::new(1)),
        }
    }

    /// This period and the `n - 1` before it, oldest first.
    pub fn trend(&self, n: usize) -> Vec<Period> {
        let mut out = Vec::with_capacity(n);
        let mut p = *self;
        for _ in 0..n {
            out.push(p);
            p = p.previous();
        }
        out.reverse();
        out
    }

    /// The month a trajectory point for this period is read from: the month of its last day.
    pub fn trajectory_month(&self) -> (i32, u32) {
        let d = self.last();
        (d.year(), d.month())
    }

    /// Words for people: "March 2024", "2023/24", "12 months to March 2024", "at 31 March 2024".
    pub fn label(&self) -> String {
        match *self {
            Period::Month { .. } => self.first().format("%B %Y").to_string(),
            Period::Quarter { year, quarter } => {
                format!(
                    "{} to {} {year}",
                    self.first().format("%B"),
                    self.last().format("%B")
                ) + &format!(" (Q{quarter})")
            }
            Period::Year { starting } => {
                format!("{starting}/{:02} (April to March)", (starting + 1) % 100)
            }
            Period::Rolling { .. } => format!("12 months to {}", self.last().format("%B %Y")),
            Period::At(d) => format!("at {}", d.format("%-d %B %Y")),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Period::Month { year, month } => write!(f, "{year}-{month:02}"),
            Period::Quarter { year, quarter } => write!(f, "{year}-Q{quarter}"),
            Period::Year { starting } => write!(f, "{starting}/{:02}", (starting + 1) % 100),
            Period::Rolling { year, month } => write!(f, "rolling:{year}-{month:02}"),
            Period::At(d) => write!(f, "at:{d}"),
        }
    }
}

fn parse_month(s: &str) -> Option<(i32, u32)> {
    let (y, m) = s.split_once('-')?;
    if y.len() != 4 || m.len() != 2 {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    let month: u32 = m.parse().ok()?;
    ((1..=12).contains(&month) && (1900..=2200).contains(&year)).then_some((year, month))
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || PeriodError(s.to_string());
        let t = s.trim();
        if let Some(rest) = t.strip_prefix("rolling:") {
            let (year, month) = parse_month(rest).ok_or_else(err)?;
            return Ok(Period::Rolling { year, month });
        }
        if let Some(rest) = t.strip_prefix("at:") {
            let d = NaiveDate::parse_from_str(rest, "%Y-%m-%d").map_err(|_| err())?;
            return Ok(Period::At(d));
        }
        if let Some((y, q)) = t.split_once("-Q").or_else(|| t.split_once("-q")) {
            let year: i32 = y.parse().map_err(|_| err())?;
            let quarter: u32 = q.parse().map_err(|_| err())?;
            if y.len() != 4 || !(1..=4).contains(&quarter) {
                return Err(err());
            }
            return Ok(Period::Quarter { year, quarter });
        }
        if let Some((a, b)) = t.split_once('/') {
            let starting: i32 = a.parse().map_err(|_| err())?;
            let end: i32 = b.parse().map_err(|_| err())?;
            if a.len() != 4 || b.len() != 2 || end != (starting + 1) % 100 {
                return Err(err());
            }
            return Ok(Period::Year { starting });
        }
        let (year, month) = parse_month(t).ok_or_else(err)?;
        Ok(Period::Month { year, month })
    }
}

impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    #[test]
    fn every_form_parses_to_its_days() {
        assert_eq!(p("2024-02").first(), ymd(2024, 2, 1));
        assert_eq!(p("2024-02").last(), ymd(2024, 2, 29), "a leap February");
        assert_eq!(p("2023-02").last(), ymd(2023, 2, 28));
        assert_eq!(p("2024-Q1").first(), ymd(2024, 1, 1));
        assert_eq!(p("2024-Q4").last(), ymd(2024, 12, 31));
        assert_eq!(p("2023/24").first(), ymd(2023, 4, 1));
        assert_eq!(p("2023/24").last(), ymd(2024, 3, 31));
        assert_eq!(p("1999/00").last(), ymd(2000, 3, 31));
        assert_eq!(p("rolling:2024-03").first(), ymd(2023, 4, 1));
        assert_eq!(p("rolling:2024-03").last(), ymd(2024, 3, 31));
        assert_eq!(p("at:2024-03-31").last(), ymd(2024, 3, 31));
        assert_eq!(p("at:2024-03-31").first(), ymd(2023, 4, 1));
        assert_eq!(p("at:2024-02-29").first(), ymd(2023, 3, 1));
    }

    #[test]
    fn periods_print_as_they_parse() {
        for s in [
            "2024-03",
            "2024-Q1",
            "2023/24",
            "rolling:2024-03",
            "at:2024-03-31",
        ] {
            assert_eq!(p(s).to_string(), s);
        }
        assert_eq!(p("2024-03").label(), "March 2024");
        assert_eq!(p("2023/24").label(), "2023/24 (April to March)");
    }

    #[test]
    fn nonsense_is_refused_with_the_forms_that_work() {
        for s in [
            "",
            "2024",
            "2024-13",
            "2024-Q5",
            "2023/25",
            "24/25",
            "rolling:",
            "at:2024-02-30",
            "March",
        ] {
            let e = s.parse::<Period>().unwrap_err().to_string();
            assert!(e.contains("2024-Q1"), "{s}: {e}");
        }
    }

    #[test]
    fn a_trend_steps_back_across_the_year_boundary() {
        let t = p("2024-02").trend(3);
        assert_eq!(t, vec![p("2023-12"), p("2024-01"), p("2024-02")]);
        assert_eq!(p("2024-Q1").previous(), p("2023-Q4"));
        assert_eq!(p("2024/25").previous(), p("2023/24"));
        assert_eq!(
            Period::last_whole_month_before(ymd(2024, 1, 31)),
            p("2023-12")
        );
        assert_eq!(
            Period::last_whole_month_before(ymd(2024, 3, 1)),
            p("2024-02")
        );
    }
}
