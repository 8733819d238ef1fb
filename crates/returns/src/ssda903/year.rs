//! Collection years: the years whose rules Hearth knows.

use chrono::NaiveDate;

/// A collection year, 1 April to 31 March; each has its own rule set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Year {
    Y2022_23,
    Y2023_24,
    Y2024_25,
    Y2025_26,
    Y2026_27,
}

impl Year {
    pub const ALL: [Year; 5] = [
        Year::Y2022_23,
        Year::Y2023_24,
        Year::Y2024_25,
        Year::Y2025_26,
        Year::Y2026_27,
    ];

    /// The calendar year the collection year starts in (2024 for 2024/25).
    pub fn first_year(self) -> i32 {
        2022 + self as i32
    }

    /// The public validator's name for the year's rule set, `lac2024_25`.
    pub fn ruleset(self) -> String {
        let y = self.first_year();
        format!("lac{y}_{:02}", (y + 1) % 100)
    }

    /// `lac2024_25`, `2024/25`, `2024_25` or `2024-25`.
    pub fn parse(s: &str) -> Option<Year> {
        let s = s.strip_prefix("lac").unwrap_or(s);
        Year::ALL.into_iter().find(|y| {
            let (a, b) = (y.first_year(), (y.first_year() + 1) % 100);
            [
                format!("{a}/{b:02}"),
                format!("{a}_{b:02}"),
                format!("{a}-{b:02}"),
            ]
            .iter()
            .any(|f| f == s)
        })
    }

    /// The rule set for the collection year beginning 1 April `first_year`: its own, or the
    /// nearest published (the earliest for older years, the latest for later ones).
    pub fn nearest(first_year: i32) -> Year {
        let first = Year::ALL[0].first_year();
        let i = (first_year - first).clamp(0, Year::ALL.len() as i32 - 1);
        Year::ALL[i as usize]
    }

    /// Any collection year as people write it: `2024/25` for the year beginning in 2024.
    pub fn label(first_year: i32) -> String {
        format!("{first_year}/{:02}", (first_year + 1) % 100)
    }

    /// 1 April of the first year.
    pub fn collection_start(self) -> NaiveDate {
        collection_start(self.first_year())
    }

    /// 31 March of the second year.
    pub fn collection_end(self) -> NaiveDate {
        collection_end(self.first_year())
    }
}

impl std::fmt::Display for Year {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&Year::label(self.first_year()))
    }
}

/// 1 April of `first_year`.
pub fn collection_start(first_year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(first_year, 4, 1).expect("1 April exists")
}

/// 31 March of the year after `first_year`.
pub fn collection_end(first_year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(first_year + 1, 3, 31).expect("31 March exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(Year::Y2024_25.ruleset(), "lac2024_25");
        assert_eq!(Year::parse("lac2026_27"), Some(Year::Y2026_27));
        assert_eq!(Year::parse("2023/24"), Some(Year::Y2023_24));
        assert_eq!(
            Year::Y2024_25.collection_start(),
            NaiveDate::from_ymd_opt(2024, 4, 1).unwrap()
        );
        assert_eq!(
            Year::Y2024_25.collection_end(),
            NaiveDate::from_ymd_opt(2025, 3, 31).unwrap()
        );
        assert_eq!(Year::Y2025_26.to_string(), "2025/26");
        assert_eq!(Year::label(2019), "2019/20");
    }

    #[test]
    fn a_year_without_its_own_rules_takes_the_nearest_published() {
        assert_eq!(Year::nearest(2019), Year::Y2022_23);
        assert_eq!(Year::nearest(2024), Year::Y2024_25);
        assert_eq!(Year::nearest(2031), Year::Y2026_27);
        use crate::cin::CinYear;
        assert_eq!(CinYear::nearest(2019), CinYear::Y2022_23);
        assert_eq!(CinYear::nearest(2025), CinYear::Y2025_26);
        assert_eq!(CinYear::nearest(2031), CinYear::Y2026_27);
    }
}
