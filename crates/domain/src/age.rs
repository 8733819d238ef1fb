//! Ages and birthdays as the law of England counts them: someone born on 29 February comes of
//! age on 1 March in other years. Measures, returns and Annex A all count ages here.

use crate::model::Child;
use chrono::{Datelike, NaiveDate};

/// The day someone born on `dob` turns `years`.
pub fn birthday(dob: NaiveDate, years: u32) -> NaiveDate {
    let year = dob.year() + years as i32;
    NaiveDate::from_ymd_opt(year, dob.month(), dob.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .expect("1 March exists every year")
}

/// Whole years from `dob` to `on` (negative before birth).
pub fn age_on(dob: NaiveDate, on: NaiveDate) -> i32 {
    let years = on.year() - dob.year();
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        years - 1
    } else {
        years
    }
}

impl Child {
    /// The child's age on a date; none before birth or without a date of birth.
    pub fn age_on(&self, on: NaiveDate) -> Option<i32> {
        let dob = self.details.date_of_birth?;
        (on >= dob).then(|| age_on(dob, on))
    }

    /// The day the child turns `years`, if their date of birth is known.
    pub fn birthday(&self, years: u32) -> Option<NaiveDate> {
        self.details.date_of_birth.map(|dob| birthday(dob, years))
    }

    /// Whether the child had left care at 16 or older by `on`.
    pub fn left_care_at_16_by(&self, on: NaiveDate) -> bool {
        self.care_periods.iter().any(|p| {
            p.end
                .as_ref()
                .is_some_and(|(e, _)| *e <= on && self.age_on(*e).is_some_and(|a| a >= 16))
        })
    }

    /// A former relevant child (a care leaver) by `on`: looked after for 13 weeks or more since
    /// turning 14, and left care at 16 or older.
    pub fn care_leaver_by(&self, on: NaiveDate) -> bool {
        let Some(fourteen) = self.birthday(14) else {
            return false;
        };
        if !self.left_care_at_16_by(on) {
            return false;
        }
        let days: i64 = self
            .care_periods
            .iter()
            .map(|p| {
                let from = p.start.max(fourteen);
                let to = p.end.as_ref().map_or(on, |(e, _)| *e).min(on);
                (to - from).num_days().max(0)
            })
            .sum();
        days >= 91
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leap_day_birthday_falls_on_the_first_of_march() {
        let dob = NaiveDate::from_ymd_opt(2008, 2, 29).unwrap();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(birthday(dob, 17), d(2025, 3, 1));
        assert_eq!(birthday(dob, 16), d(2024, 2, 29));
        assert_eq!(age_on(dob, d(2025, 2, 28)), 16);
        assert_eq!(age_on(dob, d(2025, 3, 1)), 17);
    }
}
