//! Reading and writing the values of an extract: dates and times as SQL Server writes them, Y/N
//! flags, and the empty values (blank, or NULL as some exports spell it).

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};

/// A value that stands for nothing: blank, or SQL Server's NULL written out.
pub fn is_empty(value: &str) -> bool {
    let v = value.trim();
    v.is_empty() || v.eq_ignore_ascii_case("null")
}

/// The formats a date and time come in: ISO (`2024-03-31`, with a time after a space or a `T`,
/// seconds and fractions optional, as SQL Server's `datetime` and `datetime2` are written) and
/// the British day first (`31/03/2024`, with an optional time).
pub fn date_time(value: &str) -> Option<NaiveDateTime> {
    let v = value.trim();
    let (day, time) = match v.find([' ', 'T']) {
        Some(at) => (&v[..at], Some(v[at + 1..].trim())),
        None => (v, None),
    };
    let date = NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(day, "%d/%m/%Y"))
        .ok()?;
    let time = match time {
        None | Some("") => NaiveTime::MIN,
        Some(t) => {
            // A trailing zone (Z) or fraction of a second is read and let go.
            let t = t.trim_end_matches('Z');
            NaiveTime::parse_from_str(t, "%H:%M:%S%.f")
                .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M"))
                .ok()?
        }
    };
    Some(date.and_time(time.with_nanosecond(0)?))
}

/// A date, from any of the forms [`date_time`] reads (the time, if any, let go).
pub fn date(value: &str) -> Option<NaiveDate> {
    date_time(value).map(|d| d.date())
}

/// A flag: Y, Yes, 1 or true; N, No, 0 or false.
pub fn flag(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" | "1" | "true" => Some(true),
        "n" | "no" | "0" | "false" => Some(false),
        _ => None,
    }
}

/// A date as the extract is written.
pub fn write_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// A date and time as the extract is written.
pub fn write_date_time(d: NaiveDateTime) -> String {
    d.format("%Y-%m-%d %H:%M:%S").to_string()
}

pub fn write_flag(b: bool) -> &'static str {
    if b { "Y" } else { "N" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_servers_dates_and_times_are_read_as_exported() {
        let d = |s: &str| date_time(s).map(|d| d.to_string());
        let noon = Some("2024-03-31 12:05:00".to_string());
        assert_eq!(d("2024-03-31 12:05:00.000"), noon);
        assert_eq!(d("2024-03-31T12:05:00"), noon);
        assert_eq!(d("2024-03-31T12:05:00.1234567Z"), noon);
        assert_eq!(d("31/03/2024 12:05"), noon);
        assert_eq!(d(" 2024-03-31 "), Some("2024-03-31 00:00:00".to_string()));
        assert_eq!(date("31/03/2024"), NaiveDate::from_ymd_opt(2024, 3, 31));
        for bad in ["2024-02-30", "31-03-2024", "yesterday", "2024-03-31 25:00"] {
            assert_eq!(date_time(bad), None, "{bad}");
        }
        assert!(is_empty("NULL") && is_empty("  ") && !is_empty("N"));
        assert_eq!(flag("y"), Some(true));
        assert_eq!(flag("0"), Some(false));
        assert_eq!(flag("maybe"), None);
    }
}
