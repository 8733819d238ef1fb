//! SSDA903 tables: a name, column names and rows of optional text, each row with its row id.
//!
//! Cells are stored column by column in one text buffer per column, so a million-row table costs
//! one allocation per column, not per cell. Dates and integers are parsed once per column, on first
//! use, and cached beside the text.

use chrono::NaiveDate;
use std::ops::Range;
use std::sync::OnceLock;

/// The twelve SSDA903 tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableName {
    Header,
    Episodes,
    Reviews,
    Uasc,
    Oc2,
    Oc3,
    Ad1,
    PlacedAdoption,
    PrevPerm,
    Missing,
    SwEpisodes,
    DoLo,
}

impl TableName {
    pub const ALL: [TableName; 12] = [
        TableName::Header,
        TableName::Episodes,
        TableName::Reviews,
        TableName::Uasc,
        TableName::Oc2,
        TableName::Oc3,
        TableName::Ad1,
        TableName::PlacedAdoption,
        TableName::PrevPerm,
        TableName::Missing,
        TableName::SwEpisodes,
        TableName::DoLo,
    ];

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The name the DfE's rule tables and the public validator use (`UASC`, `SWEpisodes`, ...).
    pub fn key(self) -> &'static str {
        match self {
            TableName::Header => "Header",
            TableName::Episodes => "Episodes",
            TableName::Reviews => "Reviews",
            TableName::Uasc => "UASC",
            TableName::Oc2 => "OC2",
            TableName::Oc3 => "OC3",
            TableName::Ad1 => "AD1",
            TableName::PlacedAdoption => "PlacedAdoption",
            TableName::PrevPerm => "PrevPerm",
            TableName::Missing => "Missing",
            TableName::SwEpisodes => "SWEpisodes",
            TableName::DoLo => "DoLo",
        }
    }

    pub fn from_key(key: &str) -> Option<TableName> {
        TableName::ALL.into_iter().find(|t| t.key() == key)
    }

    /// The DfE's file name for the table in a CSV return.
    pub fn file_name(self) -> &'static str {
        match self {
            TableName::Header => "header.csv",
            TableName::Episodes => "episodes.csv",
            TableName::Reviews => "reviews.csv",
            TableName::Uasc => "uasc.csv",
            TableName::Oc2 => "oc2.csv",
            TableName::Oc3 => "oc3.csv",
            TableName::Ad1 => "ad1.csv",
            TableName::PlacedAdoption => "placed_for_adoption.csv",
            TableName::PrevPerm => "previous_permanence.csv",
            TableName::Missing => "missing.csv",
            TableName::SwEpisodes => "sw_episodes.csv",
            TableName::DoLo => "DoLo.csv",
        }
    }

    /// The date each row starts on, by which a child's rows are put in order.
    pub fn start_column(self) -> Option<&'static str> {
        match self {
            TableName::Episodes => Some("DECOM"),
            TableName::Reviews => Some("REVIEW"),
            TableName::Missing => Some("MIS_START"),
            TableName::PlacedAdoption => Some("DATE_PLACED"),
            TableName::SwEpisodes => Some("SW_DECOM"),
            TableName::DoLo => Some("DOLO_START"),
            TableName::Ad1 => Some("DATE_INT"),
            _ => None,
        }
    }

    /// The table's columns in a CSV return.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            TableName::Header => &["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
            TableName::Episodes => &[
                "CHILD",
                "DECOM",
                "RNE",
                "LS",
                "CIN",
                "PLACE",
                "PLACE_PROVIDER",
                "DEC",
                "REC",
                "REASON_PLACE_CHANGE",
                "HOME_POST",
                "PL_POST",
                "URN",
            ],
            TableName::Reviews => &["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
            TableName::Uasc => &["CHILD", "SEX", "DOB", "DUC"],
            TableName::Oc2 => &[
                "CHILD",
                "DOB",
                "SDQ_SCORE",
                "SDQ_REASON",
                "CONVICTED",
                "HEALTH_CHECK",
                "IMMUNISATIONS",
                "TEETH_CHECK",
                "HEALTH_ASSESSMENT",
                "SUBSTANCE_MISUSE",
                "INTERVENTION_RECEIVED",
                "INTERVENTION_OFFERED",
            ],
            TableName::Oc3 => &["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
            TableName::Ad1 => &[
                "CHILD",
                "DOB",
                "DATE_INT",
                "DATE_MATCH",
                "FOSTER_CARE",
                "NB_ADOPTR",
                "SEX_ADOPTR",
                "LS_ADOPTR",
            ],
            TableName::PlacedAdoption => &[
                "CHILD",
                "DOB",
                "DATE_PLACED",
                "DATE_PLACED_CEASED",
                "REASON_PLACED_CEASED",
            ],
            TableName::PrevPerm => &["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
            TableName::Missing => &["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
            TableName::SwEpisodes => &["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
            TableName::DoLo => &["CHILD", "DOB", "DOLO_START", "DOLO_END"],
        }
    }
}

impl std::fmt::Display for TableName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// A child's key within one return: the same CHILD text in any table, this year or last, has the
/// same key. `Child::NONE` is a row whose CHILD is blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Child(pub(crate) u32);

impl Child {
    pub const NONE: Child = Child(u32::MAX);

    pub fn is_none(self) -> bool {
        self == Child::NONE
    }
}

const NULL: u32 = u32::MAX;

/// One column: its cells' text in one buffer, and its typed values once asked for.
#[derive(Debug)]
pub struct Column {
    name: String,
    buf: String,
    /// Start and end of each cell in `buf`; a start of `NULL` is a blank cell.
    spans: Vec<(u32, u32)>,
    dates: OnceLock<Box<[Option<NaiveDate>]>>,
    ints: OnceLock<Box<[Option<i64>]>>,
}

/// What a table answers for a column it does not have: blank in every row.
static ABSENT: Column = Column {
    name: String::new(),
    buf: String::new(),
    spans: Vec::new(),
    dates: OnceLock::new(),
    ints: OnceLock::new(),
};

impl Column {
    fn new(name: &str) -> Column {
        Column {
            name: name.to_owned(),
            buf: String::new(),
            spans: Vec::new(),
            dates: OnceLock::new(),
            ints: OnceLock::new(),
        }
    }

    fn push(&mut self, cell: Option<&str>) {
        match cell {
            Some(s) => {
                let start = self.buf.len() as u32;
                self.buf.push_str(s);
                self.spans.push((start, self.buf.len() as u32));
            }
            _ => self.spans.push((NULL, 0)),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The cell's text; `None` when blank. (Reading a file makes empty cells blank; a table built by
    /// hand may hold an empty string, which, like pandas, counts as a value.)
    pub fn text(&self, row: usize) -> Option<&str> {
        match self.spans.get(row) {
            Some(&(start, end)) if start != NULL => Some(&self.buf[start as usize..end as usize]),
            _ => None,
        }
    }

    pub fn is_blank(&self, row: usize) -> bool {
        self.text(row).is_none()
    }

    pub fn is_filled(&self, row: usize) -> bool {
        self.text(row).is_some()
    }

    /// The cell is exactly `value`.
    pub fn is(&self, row: usize, value: &str) -> bool {
        self.text(row) == Some(value)
    }

    /// The cell is one of `values`.
    pub fn is_in(&self, row: usize, values: &[&str]) -> bool {
        self.text(row).is_some_and(|v| values.contains(&v))
    }

    /// The cell as a date, `None` when blank or not a date.
    pub fn date(&self, row: usize) -> Option<NaiveDate> {
        self.dates().get(row).copied().flatten()
    }

    /// Every cell as a date, parsed once.
    pub fn dates(&self) -> &[Option<NaiveDate>] {
        self.dates.get_or_init(|| {
            (0..self.spans.len())
                .map(|i| self.text(i).and_then(parse_date))
                .collect()
        })
    }

    /// The cell holds something that is not a date.
    pub fn is_bad_date(&self, row: usize) -> bool {
        self.is_filled(row) && self.date(row).is_none()
    }

    /// The cell as a whole number, `None` when blank or not a number.
    pub fn int(&self, row: usize) -> Option<i64> {
        self.ints().get(row).copied().flatten()
    }

    /// Every cell as a whole number, parsed once.
    pub fn ints(&self) -> &[Option<i64>] {
        self.ints.get_or_init(|| {
            (0..self.spans.len())
                .map(|i| self.text(i).and_then(parse_int))
                .collect()
        })
    }

    /// The cell is the whole number `n` (`1` and `1.0` are both 1).
    pub fn is_num(&self, row: usize, n: i64) -> bool {
        self.int(row) == Some(n)
    }

    /// The cell as a number (integer or decimal).
    pub fn number(&self, row: usize) -> Option<f64> {
        self.text(row)
            .and_then(|s| s.trim().parse::<f64>().ok())
            .filter(|x| x.is_finite())
    }
}

/// A date as the files write it, `dd/mm/YYYY` (day and month may have one digit); also
/// `YYYY-MM-DD`, optionally followed by a midnight time, as some recorded fixtures hold them.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let b = s.as_bytes();
    let num = |r: &[u8]| -> Option<u32> {
        (!r.is_empty() && r.iter().all(u8::is_ascii_digit))
            .then(|| r.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    if let [d @ .., b'/', _, _, _, _] = b {
        // dd/mm/YYYY
        let (day, month) = {
            let mut parts = d.splitn(2, |&c| c == b'/');
            (parts.next()?, parts.next()?)
        };
        if day.len() > 2 || month.len() > 2 {
            return None;
        }
        let year = num(&b[b.len() - 4..])?;
        return NaiveDate::from_ymd_opt(year as i32, num(month)?, num(day)?);
    }
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        let time = &s[10..];
        if !(time.is_empty() || time == "T00:00:00" || time == " 00:00:00") {
            return None;
        }
        return NaiveDate::from_ymd_opt(num(&b[..4])? as i32, num(&b[5..7])?, num(&b[8..10])?);
    }
    None
}

/// A whole number; a decimal with nothing after the point (`1.0`) counts.
pub fn parse_int(s: &str) -> Option<i64> {
    let s = s.trim();
    s.parse::<i64>().ok().or_else(|| {
        let x = s.parse::<f64>().ok()?;
        (x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15).then_some(x as i64)
    })
}

/// Rows grouped by child: the rows of child `c` are `rows[starts[c]..starts[c + 1]]`.
#[derive(Debug, Default)]
pub struct Groups {
    starts: Vec<u32>,
    rows: Vec<u32>,
}

impl Groups {
    /// Groups rows by child, keeping the order of `rows`; `n` is the number of child keys.
    fn new(children: &[Child], rows: impl Iterator<Item = usize> + Clone, n: usize) -> Groups {
        let mut starts = vec![0u32; n + 1];
        for row in rows.clone() {
            starts[children[row].0 as usize + 1] += 1;
        }
        for i in 1..=n {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut grouped = vec![0u32; starts[n] as usize];
        for row in rows {
            let slot = &mut next[children[row].0 as usize];
            grouped[*slot as usize] = row as u32;
            *slot += 1;
        }
        Groups {
            starts,
            rows: grouped,
        }
    }

    /// The child's rows.
    pub fn of(&self, child: Child) -> &[u32] {
        let c = child.0 as usize;
        match (self.starts.get(c), self.starts.get(c + 1)) {
            (Some(&a), Some(&b)) => &self.rows[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Each child's rows, for every child with at least one.
    pub fn iter(&self) -> impl Iterator<Item = &[u32]> {
        self.starts
            .windows(2)
            .filter(|w| w[0] < w[1])
            .map(|w| &self.rows[w[0] as usize..w[1] as usize])
    }
}

/// A table: its name, its columns and its rows, each row with its row id.
#[derive(Debug)]
pub struct Table {
    name: TableName,
    columns: Vec<Column>,
    row_ids: Vec<u64>,
    /// Each row's child, set when the table joins a `Return`.
    children: Vec<Child>,
    /// How many child keys the return has.
    keys: usize,
    by_child: Groups,
    by_start: OnceLock<Groups>,
}

impl Table {
    pub fn new<S: AsRef<str>>(name: TableName, columns: &[S]) -> Table {
        Table {
            name,
            columns: columns.iter().map(|c| Column::new(c.as_ref())).collect(),
            row_ids: Vec::new(),
            children: Vec::new(),
            keys: 0,
            by_child: Groups::default(),
            by_start: OnceLock::new(),
        }
    }

    /// Adds a row; cells beyond the columns are ignored, missing ones are blank.
    pub fn push_row<'a>(&mut self, row_id: u64, cells: impl IntoIterator<Item = Option<&'a str>>) {
        let mut cells = cells.into_iter();
        for column in &mut self.columns {
            column.push(cells.next().flatten());
        }
        self.row_ids.push(row_id);
    }

    pub fn name(&self) -> TableName {
        self.name
    }

    /// Sets a column's cells, one per row, adding the column or replacing one of the same name.
    pub fn set_column(&mut self, name: &str, cells: Vec<Option<String>>) {
        let mut column = Column::new(name);
        for cell in &cells {
            column.push(cell.as_deref());
        }
        match self.columns.iter_mut().find(|c| c.name == name) {
            Some(c) => *c = column,
            None => self.columns.push(column),
        }
    }

    pub fn len(&self) -> usize {
        self.row_ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.row_ids.is_empty()
    }

    pub fn rows(&self) -> Range<usize> {
        0..self.len()
    }

    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|c| c.name.as_str())
    }

    pub fn has(&self, column: &str) -> bool {
        self.columns.iter().any(|c| c.name == column)
    }

    /// The named column; a column the table lacks reads as blank in every row.
    pub fn col(&self, name: &str) -> &Column {
        self.columns
            .iter()
            .find(|c| c.name == name)
            .unwrap_or(&ABSENT)
    }

    pub fn row_id(&self, row: usize) -> u64 {
        self.row_ids[row]
    }

    /// The row's CHILD as written.
    pub fn child_id(&self, row: usize) -> Option<&str> {
        self.col("CHILD").text(row)
    }

    /// The row's child key (`Child::NONE` before the table joins a return, or when CHILD is blank).
    pub fn child(&self, row: usize) -> Child {
        self.children.get(row).copied().unwrap_or(Child::NONE)
    }

    /// The rows of one child, in file order.
    pub fn rows_of(&self, child: Child) -> &[u32] {
        self.by_child.of(child)
    }

    /// Each child's rows, in file order.
    pub fn by_child(&self) -> &Groups {
        &self.by_child
    }

    /// Each child's rows that have a valid start date (the table's `TableName::start_column`),
    /// earliest first (file order among equal dates). Rows without one are left out.
    pub fn by_start(&self) -> &Groups {
        self.by_start.get_or_init(|| {
            let Some(col) = self.name.start_column() else {
                return Groups::default();
            };
            let dates = self.col(col).dates();
            let mut rows: Vec<usize> = self
                .rows()
                .filter(|&i| {
                    !self.children[i].is_none() && dates.get(i).is_some_and(Option::is_some)
                })
                .collect();
            rows.sort_by_key(|&i| (self.children[i], dates[i], i));
            Groups::new(&self.children, rows.iter().copied(), self.keys)
        })
    }

    pub fn has_child(&self, child: Child) -> bool {
        !self.rows_of(child).is_empty()
    }

    /// Rows for which `keep` holds.
    pub fn rows_where(&self, mut keep: impl FnMut(usize) -> bool) -> impl Iterator<Item = usize> {
        self.rows().filter(move |&i| keep(i))
    }

    /// Sets each row's child key and groups the rows by child (`n` keys in all).
    pub(crate) fn set_children(&mut self, children: Vec<Child>, n: usize) {
        self.by_child = Groups::new(
            &children,
            (0..children.len()).filter(|&i| !children[i].is_none()),
            n,
        );
        self.children = children;
        self.keys = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(parse_date("01/04/2024"), d(2024, 4, 1));
        assert_eq!(parse_date("1/4/2024"), d(2024, 4, 1));
        assert_eq!(parse_date("2020-03-31T00:00:00"), d(2020, 3, 31));
        assert_eq!(parse_date("2020-03-31"), d(2020, 3, 31));
        for bad in [
            "13/10/21",
            "10/24/2021",
            "ZZ/ZZ/ZZZZ",
            "1999/12/01",
            "01/01/ZZZZ",
            "",
            "31/02/2020",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn grouping_and_absent_columns() {
        let mut t = Table::new(TableName::Header, &["CHILD", "SEX"]);
        t.push_row(0, [Some("a"), Some("1")]);
        t.push_row(1, [Some("b"), None]);
        t.push_row(2, [Some("a"), Some("")]);
        t.set_children(vec![Child(0), Child(1), Child(0)], 2);
        assert_eq!(t.rows_of(Child(0)), &[0, 2]);
        assert_eq!(t.rows_of(Child::NONE), &[] as &[u32]);
        assert!(t.col("SEX").is_blank(1));
        assert!(t.col("SEX").is(2, ""));
        assert!(t.col("NOPE").is_blank(0));
        assert_eq!(t.col("NOPE").date(0), None);
    }
}
