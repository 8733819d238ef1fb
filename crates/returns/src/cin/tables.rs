//! The CIN census as tables, the way the public validator flattens the XML: one table per
//! module, the columns named as in the DfE specification, every cell an optional string, and
//! each row with its id (its 0-based place in the table, or a label given by the caller).
//!
//! Rules look columns up once ([`Table::col`]) and read cells through the handle, as text, date,
//! integer or yes/no flag. [`Census`] also keys each row by child, CIN episode, protection plan
//! and assessment, so that rules can join tables without building maps of their own.

use chrono::NaiveDate;
use rustc_hash::FxHashMap;
use std::sync::OnceLock;

/// The tables of a CIN census.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TableName {
    Header,
    ChildIdentifiers,
    ChildCharacteristics,
    Disabilities,
    CINdetails,
    Assessments,
    AssessmentFactorsList,
    CINplanDates,
    Section47,
    ChildProtectionPlans,
    Reviews,
}

impl TableName {
    pub const ALL: [TableName; 11] = [
        TableName::Header,
        TableName::ChildIdentifiers,
        TableName::ChildCharacteristics,
        TableName::Disabilities,
        TableName::CINdetails,
        TableName::Assessments,
        TableName::AssessmentFactorsList,
        TableName::CINplanDates,
        TableName::Section47,
        TableName::ChildProtectionPlans,
        TableName::Reviews,
    ];

    pub fn name(self) -> &'static str {
        match self {
            TableName::Header => "Header",
            TableName::ChildIdentifiers => "ChildIdentifiers",
            TableName::ChildCharacteristics => "ChildCharacteristics",
            TableName::Disabilities => "Disabilities",
            TableName::CINdetails => "CINdetails",
            TableName::Assessments => "Assessments",
            TableName::AssessmentFactorsList => "AssessmentFactorsList",
            TableName::CINplanDates => "CINplanDates",
            TableName::Section47 => "Section47",
            TableName::ChildProtectionPlans => "ChildProtectionPlans",
            TableName::Reviews => "Reviews",
        }
    }

    /// The table with this name, ignoring case.
    pub fn from_name(name: &str) -> Option<TableName> {
        TableName::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(name))
    }

    /// The table's columns, in the public validator's order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            TableName::Header => &[
                "Collection",
                "Year",
                "ReferenceDate",
                "SourceLevel",
                "LEA",
                "SoftwareCode",
                "Release",
                "SerialNo",
                "DateTime",
            ],
            TableName::ChildIdentifiers => &[
                "LAchildID",
                "UPN",
                "FormerUPN",
                "UPNunknown",
                "PersonBirthDate",
                "ExpectedPersonBirthDate",
                "GenderCurrent",
                "Sex",
                "PersonDeathDate",
            ],
            TableName::ChildCharacteristics => &["LAchildID", "Ethnicity"],
            TableName::Disabilities => &["LAchildID", "Disability"],
            TableName::CINdetails => &[
                "LAchildID",
                "CINdetailsID",
                "CINreferralDate",
                "ReferralSource",
                "PrimaryNeedCode",
                "CINclosureDate",
                "ReasonForClosure",
                "DateOfInitialCPC",
                "ReferralNFA",
            ],
            TableName::Assessments => &[
                "LAchildID",
                "CINdetailsID",
                "AssessmentID",
                "AssessmentActualStartDate",
                "AssessmentInternalReviewDate",
                "AssessmentAuthorisationDate",
                "AssessmentFactors",
            ],
            TableName::AssessmentFactorsList => &[
                "LAchildID",
                "CINdetailsID",
                "AssessmentID",
                "AssessmentFactor",
            ],
            TableName::CINplanDates => &[
                "LAchildID",
                "CINdetailsID",
                "CINPlanStartDate",
                "CINPlanEndDate",
            ],
            TableName::Section47 => &[
                "LAchildID",
                "CINdetailsID",
                "S47ActualStartDate",
                "InitialCPCtarget",
                "DateOfInitialCPC",
                "ICPCnotRequired",
            ],
            TableName::ChildProtectionPlans => &[
                "LAchildID",
                "CINdetailsID",
                "CPPID",
                "CPPstartDate",
                "CPPendDate",
                "InitialCategoryOfAbuse",
                "LatestCategoryOfAbuse",
                "NumberOfPreviousCPP",
            ],
            TableName::Reviews => &["LAchildID", "CINdetailsID", "CPPID", "CPPreviewDate"],
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for TableName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One column: its cells' text in one buffer, and the dates parsed from it on first use.
#[derive(Debug, Default)]
struct Column {
    name: Box<str>,
    text: String,
    /// Each cell's `(start, end)` in `text`; `start == MISSING` for a missing cell.
    spans: Vec<(u32, u32)>,
    dates: OnceLock<Vec<Option<NaiveDate>>>,
}

const MISSING: u32 = u32::MAX;

impl Column {
    fn new(name: &str) -> Column {
        Column {
            name: name.into(),
            ..Column::default()
        }
    }

    fn push(&mut self, value: Option<&str>) {
        match value {
            Some(v) if !v.is_empty() => {
                let start = self.text.len() as u32;
                self.text.push_str(v);
                self.spans.push((start, self.text.len() as u32));
            }
            _ => self.spans.push((MISSING, 0)),
        }
    }

    fn get(&self, row: usize) -> Option<&str> {
        let (start, end) = *self.spans.get(row)?;
        (start != MISSING).then(|| &self.text[start as usize..end as usize])
    }

    fn dates(&self) -> &[Option<NaiveDate>] {
        self.dates.get_or_init(|| {
            (0..self.spans.len())
                .map(|r| self.get(r).and_then(parse_date))
                .collect()
        })
    }
}

/// One table of the census. Cells are text; an empty cell is missing.
#[derive(Debug)]
pub struct Table {
    name: TableName,
    columns: Vec<Column>,
    ids: Vec<u32>,
}

impl Table {
    /// An empty table with these columns.
    pub fn new<S: AsRef<str>>(name: TableName, columns: &[S]) -> Table {
        Table {
            name,
            columns: columns.iter().map(|c| Column::new(c.as_ref())).collect(),
            ids: Vec::new(),
        }
    }

    /// An empty table with the public validator's columns.
    pub fn standard(name: TableName) -> Table {
        Table::new(name, name.columns())
    }

    pub fn name(&self) -> TableName {
        self.name
    }

    /// Adds a row with the next id (its place in the table).
    pub fn push<S: AsRef<str>>(&mut self, cells: &[Option<S>]) {
        let id = self.ids.len() as u32;
        self.push_with_id(id, cells);
    }

    /// Adds a row with a given id. Cells beyond the columns are ignored; missing ones are empty.
    pub fn push_with_id<S: AsRef<str>>(&mut self, id: u32, cells: &[Option<S>]) {
        for (i, column) in self.columns.iter_mut().enumerate() {
            column.push(cells.get(i).and_then(|c| c.as_ref()).map(AsRef::as_ref));
        }
        self.ids.push(id);
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The row positions, `0..len`.
    pub fn rows(&self) -> std::ops::Range<usize> {
        0..self.len()
    }

    /// The id of the row at this position.
    pub fn id(&self, row: usize) -> u32 {
        self.ids[row]
    }

    pub fn column_names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|c| &*c.name)
    }

    pub fn has(&self, column: &str) -> bool {
        self.columns.iter().any(|c| &*c.name == column)
    }

    /// A handle on a column; a column the table lacks reads as all missing.
    pub fn col(&self, column: &str) -> Col<'_> {
        Col(self.columns.iter().find(|c| &*c.name == column))
    }
}

/// A handle on one column of a table.
#[derive(Clone, Copy)]
pub struct Col<'a>(Option<&'a Column>);

impl<'a> Col<'a> {
    /// Whether the table has this column at all.
    pub fn exists(&self) -> bool {
        self.0.is_some()
    }

    pub fn str(&self, row: usize) -> Option<&'a str> {
        self.0?.get(row)
    }

    pub fn present(&self, row: usize) -> bool {
        self.str(row).is_some()
    }

    /// The cell as a date (`YYYY-MM-DD`, optionally with a time, or `DD/MM/YYYY`); `None` when
    /// missing or not a date.
    pub fn date(&self, row: usize) -> Option<NaiveDate> {
        self.0?.dates().get(row).copied().flatten()
    }

    pub fn int(&self, row: usize) -> Option<i64> {
        parse_int(self.str(row)?)
    }

    /// The cell as a yes/no flag: `true`/`1` or `false`/`0`; `None` for anything else.
    pub fn flag(&self, row: usize) -> Option<bool> {
        parse_flag(self.str(row)?)
    }
}

/// Parses `YYYY-MM-DD` (with any time after it, as pandas writes timestamps) or `DD/MM/YYYY`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let b = text.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && (b.len() == 10 || !b[10].is_ascii_digit()) {
        let year = text.get(0..4)?.parse().ok()?;
        let month = text.get(5..7)?.parse().ok()?;
        let day = text.get(8..10)?.parse().ok()?;
        return NaiveDate::from_ymd_opt(year, month, day);
    }
    // Day first, as in the UK: DD/MM/YYYY or DD-MM-YYYY.
    let sep = if text.contains('/') { '/' } else { '-' };
    let mut parts = text.splitn(3, sep);
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if d.len() > 2 || m.len() > 2 || y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Parses a whole number, allowing a `.0` ending as spreadsheets write them.
pub fn parse_int(text: &str) -> Option<i64> {
    let text = text.trim();
    let text = text.strip_suffix(".0").unwrap_or(text);
    text.parse().ok()
}

pub fn parse_flag(text: &str) -> Option<bool> {
    match text.trim() {
        t if t == "1" || t.eq_ignore_ascii_case("true") => Some(true),
        t if t == "0" || t.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// A key shared by the rows of one child, one CIN episode, one protection plan or one assessment.
pub type Key = u32;
const NO_KEY: Key = Key::MAX;

/// Rows grouped by a key: each row's key, and for each key the rows that have it.
#[derive(Debug, Default)]
struct Grouping {
    of_row: Vec<Key>,
    starts: Vec<u32>,
    rows: Vec<u32>,
}

impl Grouping {
    fn new(of_row: Vec<Key>, keys: usize) -> Grouping {
        let mut starts = vec![0u32; keys + 1];
        for &k in &of_row {
            if k != NO_KEY {
                starts[k as usize + 1] += 1;
            }
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next = starts.clone();
        let mut rows = vec![0u32; starts[keys] as usize];
        for (row, &k) in of_row.iter().enumerate() {
            if k != NO_KEY {
                rows[next[k as usize] as usize] = row as u32;
                next[k as usize] += 1;
            }
        }
        Grouping {
            of_row,
            starts,
            rows,
        }
    }

    fn key(&self, row: usize) -> Option<Key> {
        self.of_row.get(row).copied().filter(|&k| k != NO_KEY)
    }

    fn rows(&self, key: Key) -> &[u32] {
        match (
            self.starts.get(key as usize),
            self.starts.get(key as usize + 1),
        ) {
            (Some(&a), Some(&b)) => &self.rows[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// What a row can be grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// `LAchildID`.
    Child,
    /// `LAchildID` and `CINdetailsID`: one CIN episode.
    Episode,
    /// `LAchildID`, `CINdetailsID` (where the table has it) and `CPPID`: one protection plan.
    Plan,
    /// `LAchildID`, `CINdetailsID` (where the table has it) and `AssessmentID`: one assessment.
    Assessment,
}

#[derive(Debug)]
struct Keys {
    /// `[table][By as usize]`.
    groups: Vec<[Grouping; 4]>,
}

/// A whole CIN census: its eleven tables, and the keys that join them.
#[derive(Debug)]
pub struct Census {
    tables: Vec<Table>,
    keys: OnceLock<Keys>,
}

impl Census {
    /// A census from these tables; a table not given is empty (and has no columns).
    pub fn new(tables: impl IntoIterator<Item = Table>) -> Census {
        let mut all: Vec<Table> = TableName::ALL
            .iter()
            .map(|&t| Table::new::<&str>(t, &[]))
            .collect();
        for table in tables {
            let i = table.name.index();
            all[i] = table;
        }
        Census {
            tables: all,
            keys: OnceLock::new(),
        }
    }

    pub fn table(&self, name: TableName) -> &Table {
        &self.tables[name.index()]
    }

    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.tables.iter()
    }

    /// The number of children (rows of ChildIdentifiers).
    pub fn children(&self) -> usize {
        self.table(TableName::ChildIdentifiers).len()
    }

    /// The row's key when grouping by `by`; `None` when a key column is missing or empty.
    pub fn key(&self, table: TableName, by: By, row: usize) -> Option<Key> {
        self.keys().groups[table.index()][by as usize].key(row)
    }

    /// The rows of `table` whose key when grouping by `by` is `key`. Keys are shared across
    /// tables: the key of a CINdetails row finds the same episode's Section47 rows.
    pub fn rows_with(&self, table: TableName, by: By, key: Key) -> &[u32] {
        self.keys().groups[table.index()][by as usize].rows(key)
    }

    /// The rows of `table` sharing the key that row `row` of `from` has.
    pub fn related(&self, from: TableName, row: usize, by: By, table: TableName) -> &[u32] {
        match self.key(from, by, row) {
            Some(k) => self.rows_with(table, by, k),
            None => &[],
        }
    }

    fn keys(&self) -> &Keys {
        self.keys.get_or_init(|| build_keys(&self.tables))
    }
}

fn build_keys(tables: &[Table]) -> Keys {
    let mut children: FxHashMap<&str, Key> = FxHashMap::default();
    let mut episodes: FxHashMap<(Key, &str), Key> = FxHashMap::default();
    let mut plans: FxHashMap<(Key, &str, &str), Key> = FxHashMap::default();
    let mut assessments: FxHashMap<(Key, &str, &str), Key> = FxHashMap::default();
    let mut per_table: Vec<[Vec<Key>; 4]> = Vec::with_capacity(tables.len());
    fn intern<K: std::hash::Hash + Eq>(map: &mut FxHashMap<K, Key>, k: K) -> Key {
        let next = map.len() as Key;
        *map.entry(k).or_insert(next)
    }
    for table in tables {
        let (child, cin) = (table.col("LAchildID"), table.col("CINdetailsID"));
        let (cpp, assessment) = (table.col("CPPID"), table.col("AssessmentID"));
        let mut keys: [Vec<Key>; 4] = Default::default();
        for row in table.rows() {
            let Some(c) = child.str(row) else {
                keys.iter_mut().for_each(|k| k.push(NO_KEY));
                continue;
            };
            let c = intern(&mut children, c);
            keys[By::Child as usize].push(c);
            let episode = cin.str(row).map(|e| intern(&mut episodes, (c, e)));
            keys[By::Episode as usize].push(episode.unwrap_or(NO_KEY));
            // Where a table lacks CINdetailsID, plans and assessments are keyed by child alone.
            let e = if cin.exists() { cin.str(row) } else { Some("") };
            let plan = e
                .zip(cpp.str(row))
                .map(|(e, p)| intern(&mut plans, (c, e, p)));
            keys[By::Plan as usize].push(plan.unwrap_or(NO_KEY));
            let a = e
                .zip(assessment.str(row))
                .map(|(e, a)| intern(&mut assessments, (c, e, a)));
            keys[By::Assessment as usize].push(a.unwrap_or(NO_KEY));
        }
        per_table.push(keys);
    }
    let counts = [
        children.len(),
        episodes.len(),
        plans.len(),
        assessments.len(),
    ];
    let groups = per_table
        .into_iter()
        .map(|keys| {
            let mut i = 0;
            keys.map(|k| {
                let g = Grouping::new(k, counts[i]);
                i += 1;
                g
            })
        })
        .collect();
    Keys { groups }
}
