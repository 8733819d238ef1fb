//! Working days in England and Wales: Monday to Friday less bank holidays. Every statutory clock
//! (a contact decided within one working day, an assessment within 45) counts in these.
//!
//! The built-in calendar is `data/calendar/england_and_wales_bank_holidays.csv`, compiled into the
//! binary. Years outside the data are worked out from the standing rules, so a clock that runs
//! past the last published year still counts sensibly. A council can load GOV.UK's
//! `bank-holidays.json` instead.
//!
//! Counting conventions, used by every measure:
//! - [`Calendar::add_working_days`]`(d, n)` is the working day `n` working days after `d`: the
//!   deadline of a clock started on `d`. With `n = 0` it is `d` itself if `d` is a working day,
//!   else the next working day.
//! - [`Calendar::working_days_between`]`(from, to)` counts the working days after `from` up to and
//!   including `to`, so an assessment started on a Monday and authorised that Friday took 4.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::collections::BTreeSet;
use std::sync::OnceLock;

const BUILT_IN_CSV: &str =
    include_str!("../../../data/calendar/england_and_wales_bank_holidays.csv");

/// Bank holidays could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CalendarError {
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("there is no \"england-and-wales\" division with a list of \"events\"")]
    NoDivision,
    #[error("event {index}: date '{date}' is not a date in the form YYYY-MM-DD")]
    BadDate { index: usize, date: String },
    #[error("line {line}: '{text}' does not start with a date in the form YYYY-MM-DD")]
    BadLine { line: usize, text: String },
    #[error("no bank holidays are listed")]
    Empty,
}

/// A working-day calendar: a set of bank holidays for the years it covers, the standing rules for
/// the years it does not, and a table of running counts over a wide span for quick arithmetic.
#[derive(Debug, Clone)]
pub struct Calendar {
    holidays: BTreeSet<NaiveDate>,
    /// The first and last years the holiday list covers; other years use the rules.
    covered: (i32, i32),
    /// The first day of the counting table.
    base: NaiveDate,
    /// `running[i]` = working days in `[base, base + i)`; one longer than the span.
    running: Vec<u32>,
}

/// The span the counting table covers; dates outside it are counted day by day.
const TABLE_FROM_YEAR: i32 = 1990;
const TABLE_TO_YEAR: i32 = 2045;

static ENGLAND_AND_WALES: OnceLock<Calendar> = OnceLock::new();

impl Calendar {
    /// The built-in England and Wales calendar.
    pub fn england_and_wales() -> &'static Calendar {
        ENGLAND_AND_WALES.get_or_init(|| {
            Calendar::from_csv(BUILT_IN_CSV).expect("the built-in bank holiday list is valid")
        })
    }

    /// Reads a `date,title` list with a header line.
    pub fn from_csv(text: &str) -> Result<Calendar, CalendarError> {
        let mut dates = Vec::new();
        for (i, line) in text.lines().enumerate().skip(1) {
            if line.trim().is_empty() {
                continue;
            }
            let field = line.split(',').next().unwrap_or("").trim();
            let date = NaiveDate::parse_from_str(field, "%Y-%m-%d").map_err(|_| {
                CalendarError::BadLine {
                    line: i + 1,
                    text: line.to_string(),
                }
            })?;
            dates.push(date);
        }
        Calendar::from_dates(dates)
    }

    /// Reads GOV.UK's `bank-holidays.json` (its England and Wales division). The years it lists
    /// replace the rules; years it does not list still follow them.
    pub fn from_govuk_json(json: &str) -> Result<Calendar, CalendarError> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| CalendarError::Json(e.to_string()))?;
        let events = value
            .get("england-and-wales")
            .and_then(|d| d.get("events"))
            .and_then(|e| e.as_array())
            .ok_or(CalendarError::NoDivision)?;
        let mut dates = Vec::with_capacity(events.len());
        for (index, event) in events.iter().enumerate() {
            let text = event.get("date").and_then(|d| d.as_str()).unwrap_or("");
            let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                CalendarError::BadDate {
                    index,
                    date: text.to_string(),
                }
            })?;
            dates.push(date);
        }
        Calendar::from_dates(dates)
    }

    /// A calendar whose bank holidays, for the years from the first date's to the last date's,
    /// are exactly these.
    pub fn from_dates(
        dates: impl IntoIterator<Item = NaiveDate>,
    ) -> Result<Calendar, CalendarError> {
        let holidays: BTreeSet<NaiveDate> = dates.into_iter().collect();
        let (Some(first), Some(last)) = (holidays.first(), holidays.last()) else {
            return Err(CalendarError::Empty);
        };
        let covered = (first.year(), last.year());
        let base = ymd(TABLE_FROM_YEAR, 1, 1);
        let end = ymd(TABLE_TO_YEAR + 1, 1, 1);
        let mut calendar = Calendar {
            holidays,
            covered,
            base,
            running: Vec::new(),
        };
        let days = (end - base).num_days() as usize;
        let mut running = Vec::with_capacity(days + 1);
        let mut count = 0u32;
        running.push(0);
        let mut day = base;
        for _ in 0..days {
            if calendar.compute_is_working_day(day) {
                count += 1;
            }
            running.push(count);
            day += Duration::days(1);
        }
        calendar.running = running;
        Ok(calendar)
    }

    /// The first and last years whose bank holidays come from the list rather than the rules.
    pub fn coverage(&self) -> (i32, i32) {
        self.covered
    }

    pub fn is_bank_holiday(&self, d: NaiveDate) -> bool {
        if (self.covered.0..=self.covered.1).contains(&d.year()) {
            self.holidays.contains(&d)
        } else {
            standing_rule_holidays(d.year()).contains(&d)
        }
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        match self.index(d) {
            Some(i) => self.running[i + 1] > self.running[i],
            None => self.compute_is_working_day(d),
        }
    }

    fn compute_is_working_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !self.is_bank_holiday(d)
    }

    /// The bank holidays of a year, in order.
    pub fn holidays_in_year(&self, year: i32) -> Vec<NaiveDate> {
        if (self.covered.0..=self.covered.1).contains(&year) {
            self.holidays
                .range(ymd(year, 1, 1)..=ymd(year, 12, 31))
                .copied()
                .collect()
        } else {
            standing_rule_holidays(year)
        }
    }

    /// `d` if it is a working day, else the next one.
    pub fn next_working_day(&self, d: NaiveDate) -> NaiveDate {
        let mut d = d;
        while !self.is_working_day(d) {
            d += Duration::days(1);
        }
        d
    }

    /// The working day `n` working days after `d` (before it, for negative `n`). See the module
    /// notes for `n = 0`.
    pub fn add_working_days(&self, d: NaiveDate, n: i64) -> NaiveDate {
        if n == 0 {
            return self.next_working_day(d);
        }
        if n > 0
            && let Some(i) = self.index(d)
        {
            // The first day e > d with working days in (d, e] = n: the first index whose running
            // count reaches running[d + 1] + n.
            let target = u64::from(self.running[i + 1]) + n as u64;
            let found = self.running.partition_point(|&c| u64::from(c) < target);
            if found < self.running.len() {
                return self.base + Duration::days(found as i64 - 1);
            }
        }
        // Outside the table, or running off its end: count day by day.
        let step = Duration::days(n.signum());
        let mut left = n.abs();
        let mut day = d;
        while left > 0 {
            day += step;
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    /// Working days after `from` up to and including `to`; negative when `to` is before `from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            return -self.working_days_between(to, from);
        }
        match (self.index(from), self.index(to)) {
            (Some(a), Some(b)) => i64::from(self.running[b + 1]) - i64::from(self.running[a + 1]),
            _ => {
                let mut count = 0;
                let mut day = from;
                while day < to {
                    day += Duration::days(1);
                    if self.is_working_day(day) {
                        count += 1;
                    }
                }
                count
            }
        }
    }

    /// The date's place in the counting table, if it is in it.
    fn index(&self, d: NaiveDate) -> Option<usize> {
        let i = (d - self.base).num_days();
        (i >= 0 && (i as usize) + 1 < self.running.len()).then_some(i as usize)
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(year, month as u32, day as u32)
}

/// The bank holidays the standing rules give for a year, without one-off changes.
pub fn standing_rule_holidays(year: i32) -> Vec<NaiveDate> {
    let monday_on_or_after = |d: NaiveDate| {
        let ahead = (7 - d.weekday().num_days_from_monday()) % 7;
        d + Duration::days(i64::from(ahead))
    };
    let last_monday = |month: u32| {
        let last = if month == 12 {
            ymd(year, 12, 31)
        } else {
            ymd(year, month + 1, 1) - Duration::days(1)
        };
        last - Duration::days(i64::from(last.weekday().num_days_from_monday()))
    };
    let easter = easter_sunday(year);
    let mut days = vec![
        weekday_substitute(ymd(year, 1, 1)),
        easter - Duration::days(2),
        easter + Duration::days(1),
        monday_on_or_after(ymd(year, 5, 1)),
        last_monday(5),
        last_monday(8),
    ];
    // Christmas Day then Boxing Day: each falling at a weekend, or on a day already taken, moves
    // to the next weekday not taken.
    for day in [25, 26] {
        let mut observed = weekday_substitute(ymd(year, 12, day));
        while days.contains(&observed) {
            observed = weekday_substitute(observed + Duration::days(1));
        }
        days.push(observed);
    }
    days.sort();
    days
}

/// The next weekday on or after `d`.
fn weekday_substitute(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Sat => d + Duration::days(2),
        Weekday::Sun => d + Duration::days(1),
        _ => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal() -> &'static Calendar {
        Calendar::england_and_wales()
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn built_in_covers_2000_to_2030() {
        assert_eq!(cal().coverage(), (2000, 2030));
        for year in 2000..=2030 {
            let n = cal().holidays_in_year(year).len();
            assert!((8..=10).contains(&n), "{year} has {n} bank holidays");
        }
    }

    #[test]
    fn christmas_and_boxing_day_substitutes() {
        // 2020: Christmas Friday, Boxing Day Saturday -> Monday 28th.
        assert!(cal().is_bank_holiday(d("2020-12-25")));
        assert!(cal().is_bank_holiday(d("2020-12-28")));
        assert!(cal().is_working_day(d("2020-12-29")));
        // 2021: Saturday and Sunday -> Monday 27th and Tuesday 28th.
        assert!(cal().is_bank_holiday(d("2021-12-27")));
        assert!(cal().is_bank_holiday(d("2021-12-28")));
        assert!(cal().is_working_day(d("2021-12-24")));
        // 2022: Christmas Sunday -> Tuesday 27th; Boxing Day Monday.
        assert!(cal().is_bank_holiday(d("2022-12-26")));
        assert!(cal().is_bank_holiday(d("2022-12-27")));
        // A contact on Christmas Eve 2021 (Friday) is due by the next working day: Wednesday 29th.
        assert_eq!(cal().add_working_days(d("2021-12-24"), 1), d("2021-12-29"));
        assert_eq!(
            cal().working_days_between(d("2021-12-24"), d("2021-12-29")),
            1
        );
    }

    #[test]
    fn easter() {
        assert_eq!(easter_sunday(2024), d("2024-03-31"));
        assert_eq!(easter_sunday(2025), d("2025-04-20"));
        assert_eq!(easter_sunday(2019), d("2019-04-21"));
        // Maundy Thursday 2025 to the Tuesday after Easter Monday is one working day.
        assert_eq!(cal().add_working_days(d("2025-04-17"), 1), d("2025-04-22"));
        assert!(!cal().is_working_day(d("2025-04-18")));
        assert!(!cal().is_working_day(d("2025-04-21")));
    }

    #[test]
    fn one_off_holidays() {
        // 2020: the early May holiday moved to Friday 8 May for VE Day; Monday 4 May was worked.
        assert!(cal().is_bank_holiday(d("2020-05-08")));
        assert!(cal().is_working_day(d("2020-05-04")));
        // 2022: the Platinum Jubilee (Thursday 2 and Friday 3 June, the spring holiday moved)
        // and the Queen's state funeral on Monday 19 September.
        assert!(cal().is_bank_holiday(d("2022-06-02")));
        assert!(cal().is_bank_holiday(d("2022-06-03")));
        assert!(cal().is_working_day(d("2022-05-30")));
        assert!(cal().is_bank_holiday(d("2022-09-19")));
        assert_eq!(cal().add_working_days(d("2022-09-16"), 1), d("2022-09-20"));
        // 2023: the coronation, Monday 8 May.
        assert!(cal().is_bank_holiday(d("2023-05-08")));
        assert_eq!(cal().holidays_in_year(2023).len(), 9);
        assert_eq!(cal().holidays_in_year(2022).len(), 10);
    }

    #[test]
    fn weekends_and_year_ends() {
        assert!(!cal().is_working_day(d("2024-11-23")));
        assert!(!cal().is_working_day(d("2024-11-24")));
        assert_eq!(cal().add_working_days(d("2024-11-22"), 1), d("2024-11-25"));
        assert_eq!(cal().add_working_days(d("2024-11-23"), 0), d("2024-11-25"));
        assert_eq!(cal().add_working_days(d("2024-11-23"), 1), d("2024-11-25"));
        assert_eq!(cal().add_working_days(d("2024-11-25"), 0), d("2024-11-25"));
        // New Year 2022 fell on a Saturday: the holiday was Monday 3 January.
        assert!(cal().is_bank_holiday(d("2022-01-03")));
        assert_eq!(cal().add_working_days(d("2021-12-31"), 1), d("2022-01-04"));
        assert_eq!(cal().add_working_days(d("2022-01-04"), -1), d("2021-12-31"));
        assert_eq!(
            cal().working_days_between(d("2022-01-04"), d("2021-12-31")),
            -1
        );
        // The last day of the table and beyond it, counted by the rules.
        assert_eq!(cal().add_working_days(d("2045-12-29"), 1), d("2046-01-02"));
        assert_eq!(cal().add_working_days(d("1989-12-22"), 1), d("1989-12-27"));
    }

    #[test]
    fn forty_five_working_days() {
        // Counted by hand: from Monday 2 September 2024, 45 weekdays with no bank holidays between.
        assert_eq!(cal().add_working_days(d("2024-09-02"), 45), d("2024-11-04"));
        // Across Christmas 2024 (25, 26 December and 1 January lost): from Monday 2 December.
        assert_eq!(cal().add_working_days(d("2024-12-02"), 45), d("2025-02-06"));
        assert_eq!(
            cal().working_days_between(d("2024-12-02"), d("2025-02-06")),
            45
        );
    }

    #[test]
    fn table_agrees_with_counting_day_by_day() {
        let c = cal();
        let mut day = d("1999-11-01");
        while day < d("2032-02-01") {
            for n in [1, 2, 5, 20, 45, 65] {
                let mut naive = day;
                let mut left = n;
                while left > 0 {
                    naive += Duration::days(1);
                    if c.compute_is_working_day(naive) {
                        left -= 1;
                    }
                }
                assert_eq!(c.add_working_days(day, n), naive, "{day} + {n}");
                assert_eq!(c.working_days_between(day, naive), n, "{day} to {naive}");
            }
            day += Duration::days(3);
        }
    }

    #[test]
    fn rules_agree_with_the_data_but_for_one_offs() {
        let one_off_years = [2002, 2011, 2012, 2020, 2022, 2023];
        for year in 2000..=2030 {
            if one_off_years.contains(&year) {
                continue;
            }
            assert_eq!(
                standing_rule_holidays(year),
                cal().holidays_in_year(year),
                "{year}"
            );
        }
    }

    #[test]
    fn govuk_json() {
        let json = r#"{"england-and-wales":{"division":"england-and-wales","events":[
            {"title":"New Year's Day","date":"2031-01-01","notes":"","bunting":true},
            {"title":"A one-off","date":"2031-06-11","notes":"","bunting":true}]}}"#;
        let c = Calendar::from_govuk_json(json).unwrap();
        assert_eq!(c.coverage(), (2031, 2031));
        assert!(c.is_bank_holiday(d("2031-06-11")));
        assert!(
            !c.is_bank_holiday(d("2031-04-11")),
            "the listed year replaces the rules"
        );
        assert!(
            c.is_bank_holiday(d("2030-12-25")),
            "other years follow the rules"
        );
        assert_eq!(
            Calendar::from_govuk_json("{}").unwrap_err(),
            CalendarError::NoDivision
        );
        let bad = r#"{"england-and-wales":{"events":[{"date":"1 Jan 2031"}]}}"#;
        assert_eq!(
            Calendar::from_govuk_json(bad).unwrap_err().to_string(),
            "event 0: date '1 Jan 2031' is not a date in the form YYYY-MM-DD"
        );
    }
}
