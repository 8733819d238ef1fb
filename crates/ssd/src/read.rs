//! Reading an extract: a folder with one CSV file per table, named as the table
//! (`ssd_person.csv`), its columns named as the dataset's fields. Tables the folder lacks are
//! fine, and so are columns the dataset does not define (they are noted and let go). Every value
//! is checked against its field's kind, every key must be unique within its table, and every
//! reference to a table the extract holds must find its row; each fault is reported by file,
//! row and field, all at once.

use crate::catalogue::{self, Kind, Table};
use crate::values;
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// Something in an extract that cannot be read. Rows are counted as a spreadsheet shows the
/// file, the header being row 1.
pub use domain::Problem;

/// One table's rows as the extract holds them.
#[derive(Debug, Clone)]
pub struct Rows {
    pub table: &'static Table,
    pub file: String,
    /// For each of the table's fields (in the catalogue's order), its column in the file.
    columns: Vec<Option<usize>>,
    /// Hearth's own columns (`hearth_...`), which its exports add for what the dataset does not
    /// carry, by name.
    own: Vec<(String, usize)>,
    /// Each row's spreadsheet row number and values.
    rows: Vec<(usize, Vec<String>)>,
    /// Each row's fingerprint, worked out as the file is read (on the reading thread, while
    /// the log is replayed beside it) rather than when rows are compared.
    fingerprints: Vec<u64>,
}

/// A row of a table, for reading its fields.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    rows: &'a Rows,
    /// Its place among the table's rows.
    index: usize,
    pub number: usize,
    values: &'a [String],
}

impl<'a> Row<'a> {
    /// The field's value, or `None` where it is blank, NULL or not a column of the file.
    pub fn get(&self, field: &str) -> Option<&'a str> {
        let column = match self.rows.table.fields.iter().position(|f| f.name == field) {
            Some(at) => self.rows.columns[at]?,
            None => self.rows.own.iter().find(|(n, _)| n == field)?.1,
        };
        self.at(Some(column))
    }

    /// A fingerprint of the row's values, field by field in the dataset's order and then
    /// Hearth's own columns by name, whatever order the file gives them in. FNV-1a: stable
    /// from one build to the next, as it must be to be kept in the log.
    pub fn fingerprint(&self) -> u64 {
        match self.rows.fingerprints.get(self.index) {
            Some(hash) => *hash,
            None => self.work_out_fingerprint(),
        }
    }

    fn work_out_fingerprint(&self) -> u64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |text: &str| {
            for b in text.bytes().chain(std::iter::once(0x1f)) {
                hash ^= u64::from(b);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        };
        for column in &self.rows.columns {
            eat(self.at(*column).unwrap_or(""));
        }
        // Kept sorted by name as read.
        for (name, column) in &self.rows.own {
            eat(name);
            eat(self.at(Some(*column)).unwrap_or(""));
        }
        hash
    }

    /// The value in a column of the file, or `None` where it is blank or NULL.
    fn at(&self, column: Option<usize>) -> Option<&'a str> {
        self.values
            .get(column?)
            .map(|v| v.trim())
            .filter(|v| !values::is_empty(v))
    }

    /// The row's key: its table's key field, or where the table has none its first field.
    pub fn key(&self) -> Option<&'a str> {
        let at = self
            .rows
            .table
            .fields
            .iter()
            .position(|f| f.primary_key)
            .unwrap_or(0);
        self.at(*self.rows.columns.get(at)?)
    }

    /// The table the row is in.
    pub fn table(&self) -> &'static str {
        &self.rows.table.name
    }

    /// The file the row is in.
    pub fn file(&self) -> &'a str {
        &self.rows.file
    }

    /// Whether the file has the field as a column at all: a source that does not carry a
    /// field is told apart from a row that leaves it blank.
    pub fn carries(&self, field: &str) -> bool {
        self.rows
            .table
            .fields
            .iter()
            .position(|f| f.name == field)
            .is_some_and(|at| self.rows.columns[at].is_some())
            || self.rows.own.iter().any(|(n, _)| n == field)
    }

    fn problem(&self, field: &str, message: impl Into<String>) -> Problem {
        Problem::at(&self.rows.file, self.number, field, message)
    }

    /// The field's text, which must be there.
    pub fn required(&self, field: &str) -> Result<&'a str, Problem> {
        self.get(field)
            .ok_or_else(|| self.problem(field, "is blank, and it is needed"))
    }

    pub fn date(&self, field: &str) -> Result<Option<NaiveDate>, Problem> {
        self.date_time(field).map(|d| d.map(|d| d.date()))
    }

    pub fn date_time(&self, field: &str) -> Result<Option<NaiveDateTime>, Problem> {
        match self.get(field) {
            None => Ok(None),
            Some(v) => values::date_time(v).map(Some).ok_or_else(|| {
                self.problem(
                    field,
                    format!("`{v}` is not a date: write it as 2024-03-31 (a time may follow)"),
                )
            }),
        }
    }

    pub fn flag(&self, field: &str) -> Result<Option<bool>, Problem> {
        match self.get(field) {
            None => Ok(None),
            Some(v) => values::flag(v)
                .map(Some)
                .ok_or_else(|| self.problem(field, format!("`{v}` is not Y or N"))),
        }
    }
}

impl Rows {
    /// Whether the file has the field (or one of Hearth's own columns) as a column.
    pub fn carries(&self, field: &str) -> bool {
        self.table
            .fields
            .iter()
            .position(|f| f.name == field)
            .is_some_and(|at| self.columns[at].is_some())
            || self.own.iter().any(|(n, _)| n == field)
    }

    pub fn iter(&self) -> impl Iterator<Item = Row<'_>> {
        self.rows
            .iter()
            .enumerate()
            .map(move |(index, (number, values))| Row {
                rows: self,
                index,
                number: *number,
                values,
            })
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// An extract as read: the tables it holds, and what was let go.
#[derive(Debug, Clone, Default)]
pub struct Extract {
    pub tables: BTreeMap<&'static str, Rows>,
    /// Files and columns the dataset does not define, each in a line.
    pub notes: Vec<String>,
}

impl Extract {
    pub fn table(&self, name: &str) -> Option<&Rows> {
        self.tables.get(name)
    }

    /// Reads every table file in `dir`, and checks the whole extract; every problem is given.
    pub fn read_dir(dir: &Path) -> Result<Extract, Vec<Problem>> {
        let shown = dir.display().to_string();
        let entries = std::fs::read_dir(dir).map_err(|e| {
            vec![Problem::in_file(
                &shown,
                format!("cannot read the folder: {e}"),
            )]
        })?;
        let mut files: Vec<(String, std::path::PathBuf)> = entries
            .filter_map(Result::ok)
            .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
            .filter(|(name, _)| name.to_ascii_lowercase().ends_with(".csv"))
            .collect();
        files.sort();
        let mut extract = Extract::default();
        let mut problems = Vec::new();
        let mut tables = Vec::new();
        for (name, path) in files {
            let stem = &name[..name.len() - 4];
            match catalogue::table(stem) {
                Some(table) => tables.push((table, name, path)),
                None => extract.notes.push(format!(
                    "{name}: not a table of the Standard Safeguarding Dataset, left alone"
                )),
            }
        }
        // The files are read on every core: a council's extract is tens of megabytes.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let next = std::sync::atomic::AtomicUsize::new(0);
        type Read = (usize, Result<Rows, Vec<Problem>>, Vec<String>);
        let mut read: Vec<Read> = std::thread::scope(|s| {
            let workers: Vec<_> = (0..threads.min(tables.len()).max(1))
                .map(|_| {
                    s.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some((table, name, path)) = tables.get(i) else {
                                break;
                            };
                            let mut notes = Vec::new();
                            let rows = match std::fs::read(path) {
                                Ok(bytes) => read_table(table, name, &bytes, &mut notes),
                                Err(e) => Err(vec![Problem::in_file(
                                    name,
                                    format!("cannot be read: {e}"),
                                )]),
                            };
                            done.push((i, rows, notes));
                        }
                        done
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().expect("reading a table does not panic"))
                .collect()
        });
        // In the files' order, so that messages come out the same each time.
        read.sort_by_key(|(i, _, _)| *i);
        for (i, rows, mut notes) in read {
            extract.notes.append(&mut notes);
            match rows {
                Ok(rows) => {
                    extract.tables.insert(tables[i].0.name.as_str(), rows);
                }
                Err(mut p) => problems.append(&mut p),
            }
        }
        if extract.tables.is_empty() && problems.is_empty() {
            problems.push(Problem::in_file(
                &shown,
                "holds no table of the Standard Safeguarding Dataset (files named as the tables, such as ssd_person.csv)",
            ));
        }
        problems.extend(extract.check());
        if problems.is_empty() {
            Ok(extract)
        } else {
            Err(problems)
        }
    }

    /// Keys unique within each table, every value of its field's kind, and every reference to
    /// a table the extract holds found there.
    fn check(&self) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut keys: HashMap<(&str, &str), HashSet<&str>> = HashMap::new();
        for rows in self.tables.values() {
            let key = rows.table.key().map(|k| k.name.as_str());
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for row in rows.iter() {
                for f in &rows.table.fields {
                    let Some(v) = row.get(&f.name) else {
                        continue;
                    };
                    let bad = match f.kind {
                        Kind::Date => values::date_time(v).is_none().then(|| {
                            format!(
                                "`{v}` is not a date: write it as 2024-03-31 (a time may follow)"
                            )
                        }),
                        Kind::Flag => values::flag(v)
                            .is_none()
                            .then(|| format!("`{v}` is not Y or N")),
                        Kind::Integer => v
                            .parse::<i64>()
                            .is_err()
                            .then(|| format!("`{v}` is not a whole number")),
                        Kind::Number => v
                            .parse::<f64>()
                            .is_err()
                            .then(|| format!("`{v}` is not a number")),
                        Kind::Text => None,
                    };
                    if let Some(message) = bad {
                        problems.push(Problem::at(&rows.file, row.number, &f.name, message));
                    }
                }
                if let Some(key) = key {
                    match row.get(key) {
                        None => problems.push(Problem::at(
                            &rows.file,
                            row.number,
                            key,
                            "is blank: every row needs its key",
                        )),
                        Some(v) => {
                            if let Some(first) = seen.insert(v, row.number) {
                                problems.push(Problem::at(
                                    &rows.file,
                                    row.number,
                                    key,
                                    format!("`{v}` is a second row with the key of row {first}"),
                                ));
                            }
                        }
                    }
                }
            }
            if let Some(key) = key {
                keys.insert((rows.table.name.as_str(), key), seen.into_keys().collect());
            }
        }
        // References to a table's key, where the extract holds that table.
        for rows in self.tables.values() {
            for f in &rows.table.fields {
                let Some((table, field)) = &f.references else {
                    continue;
                };
                let Some(known) = keys.get(&(table.as_str(), field.as_str())) else {
                    continue;
                };
                for row in rows.iter() {
                    if let Some(v) = row.get(&f.name)
                        && !known.contains(v)
                    {
                        problems.push(Problem::at(
                            &rows.file,
                            row.number,
                            &f.name,
                            format!("`{v}` is in no row of {table}.csv"),
                        ));
                    }
                }
            }
        }
        problems
    }
}

/// One table's file: its header matched to the dataset's fields, and its rows.
fn read_table(
    table: &'static Table,
    file: &str,
    bytes: &[u8],
    notes: &mut Vec<String>,
) -> Result<Rows, Vec<Problem>> {
    // Files saved by Excel or SQL Server Management Studio may begin with a byte-order mark.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header = rdr
        .headers()
        .map_err(|e| {
            vec![Problem::in_file(
                file,
                format!("cannot be read as CSV: {e}"),
            )]
        })?
        .clone();
    let mut columns = vec![None; table.fields.len()];
    let mut extra = Vec::new();
    let mut own = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let name = name.trim();
        match table
            .fields
            .iter()
            .position(|f| f.name.eq_ignore_ascii_case(name))
        {
            Some(at) if columns[at].is_none() => columns[at] = Some(i),
            Some(_) => {
                return Err(vec![Problem::in_file(
                    file,
                    format!("the column {name} is in the header twice"),
                )]);
            }
            None if name.to_ascii_lowercase().starts_with(crate::OWN_PREFIX) => {
                own.push((name.to_ascii_lowercase(), i))
            }
            None => extra.push(name.to_string()),
        }
    }
    if !extra.is_empty() {
        notes.push(format!(
            "{file}: columns the dataset does not define, left alone: {}",
            extra.join(", ")
        ));
    }
    if let Some(key) = table.key()
        && columns[table.fields.iter().position(|f| f.primary_key).unwrap_or(0)].is_none()
    {
        return Err(vec![Problem::in_file(
            file,
            format!("has no {} column, the table's key", key.name),
        )]);
    }
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let number = i + 2;
        match rec {
            Ok(rec) => {
                if rec.iter().all(values::is_empty) {
                    continue;
                }
                rows.push((number, rec.iter().map(str::to_string).collect()));
            }
            Err(e) => problems.push(Problem::in_file(
                file,
                format!("row {number} cannot be read as CSV: {e}"),
            )),
        }
    }
    // By name, so that a fingerprint takes them in the same order whatever the file's.
    own.sort();
    if problems.is_empty() {
        let mut read = Rows {
            table,
            file: file.to_string(),
            columns,
            own,
            rows,
            fingerprints: Vec::new(),
        };
        read.fingerprints = read.iter().map(|r| r.work_out_fingerprint()).collect();
        Ok(read)
    } else {
        Err(problems)
    }
}
