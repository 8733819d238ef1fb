//! Reading a CSV return: each file is recognised by its DfE file name or, failing that, by its exact
//! set of columns. (The XML form is read by `xml`.)

use super::submission::{FileFormat, Tables};
use super::tables::{Table, TableName};
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    // The I/O error itself follows as this error's source.
    #[error("{}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{}: not an SSDA903 table: the name is none of the DfE's file names and its columns ({}) are no table's",
        file.display(),
        columns.join(", ")
    )]
    Unrecognised { file: PathBuf, columns: Vec<String> },
    #[error("{}: the {table} file lacks the column(s) {}", file.display(), missing.join(", "))]
    MissingColumns {
        file: PathBuf,
        table: TableName,
        missing: Vec<String>,
    },
    #[error("{} and {} are both the {table} table", first.display(), second.display())]
    Duplicate {
        table: TableName,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("{} line {line}: {problem}", file.display())]
    Xml {
        file: PathBuf,
        line: u64,
        problem: String,
    },
    /// `row` is the 0-based data row (the header is not counted); `field` the column, or its
    /// 1-based position when the row has more fields than the header.
    #[error("{} data row {row}, field {field}: {problem}", file.display())]
    BadRow {
        file: PathBuf,
        row: u64,
        field: String,
        problem: String,
    },
}

/// Reads a return: a folder of CSV files, or the return's XML file. Says which it was.
pub fn read_path(path: &Path) -> Result<(Tables, FileFormat), ReadError> {
    if path.is_dir() {
        Ok((read_dir(path)?, FileFormat::Csv))
    } else if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
    {
        Ok((super::xml::read_xml_file(path)?, FileFormat::Xml))
    } else {
        Ok((read_files(&[path.to_owned()])?, FileFormat::Csv))
    }
}

/// Reads every `.csv` file in `dir` (other files are ignored).
pub fn read_dir(dir: &Path) -> Result<Tables, ReadError> {
    let io = |source| ReadError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_file()
            && path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            paths.push(path);
        }
    }
    paths.sort();
    read_files(&paths)
}

/// Reads the given CSV files, one table each; two files for the same table are an error.
pub fn read_files(paths: &[PathBuf]) -> Result<Tables, ReadError> {
    let mut tables: Vec<(PathBuf, Table)> = Vec::new();
    for path in paths {
        let file = std::fs::File::open(path).map_err(|source| ReadError::Io {
            path: path.clone(),
            source,
        })?;
        let table = read_csv(path, std::io::BufReader::new(file))?;
        if let Some((first, _)) = tables.iter().find(|(_, t)| t.name() == table.name()) {
            return Err(ReadError::Duplicate {
                table: table.name(),
                first: first.clone(),
                second: path.clone(),
            });
        }
        tables.push((path.clone(), table));
    }
    Ok(tables.into_iter().map(|(_, t)| t).collect())
}

/// Which table a file is: by its name, else by its columns.
fn recognise(path: &Path, columns: &[String]) -> Result<TableName, ReadError> {
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if let Some(name) = TableName::ALL
        .into_iter()
        .find(|t| t.file_name().eq_ignore_ascii_case(file_name))
    {
        let missing: Vec<String> = name
            .columns()
            .iter()
            .filter(|c| !columns.iter().any(|h| h == *c))
            .map(|c| c.to_string())
            .collect();
        if !missing.is_empty() {
            return Err(ReadError::MissingColumns {
                file: path.to_owned(),
                table: name,
                missing,
            });
        }
        return Ok(name);
    }
    let have: BTreeSet<&str> = columns.iter().map(String::as_str).collect();
    TableName::ALL
        .into_iter()
        .find(|t| t.columns().iter().copied().collect::<BTreeSet<_>>() == have)
        .ok_or_else(|| ReadError::Unrecognised {
            file: path.to_owned(),
            columns: columns.to_vec(),
        })
}

/// Reads one CSV file (`path` names it in errors and recognises it).
pub fn read_csv(path: &Path, input: impl Read) -> Result<Table, ReadError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let bad = |row: u64, field: String, problem: String| ReadError::BadRow {
        file: path.to_owned(),
        row,
        field,
        problem,
    };
    let csv_error = |e: csv::Error| {
        let row = e.position().map_or(0, |p| p.record().saturating_sub(1));
        match e.into_kind() {
            csv::ErrorKind::Io(source) => ReadError::Io {
                path: path.to_owned(),
                source,
            },
            other => bad(row, "-".into(), format!("{other:?}")),
        }
    };
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(h) => h.map_err(csv_error)?,
        None => {
            return Err(ReadError::Unrecognised {
                file: path.to_owned(),
                columns: Vec::new(),
            });
        }
    };
    let columns: Vec<String> = header
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let f = f.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(f);
            std::str::from_utf8(f)
                .map(|s| s.trim().to_owned())
                .map_err(|_| {
                    bad(
                        0,
                        (i + 1).to_string(),
                        "the header is not UTF-8 text".into(),
                    )
                })
        })
        .collect::<Result<_, _>>()?;
    let name = recognise(path, &columns)?;
    let mut table = Table::new(name, &columns);
    for (row, record) in records.enumerate() {
        let row = row as u64;
        let record = record.map_err(csv_error)?;
        if record.len() > columns.len() {
            let extra = columns.len() + 1;
            let problem = format!(
                "{} fields where the header has {}",
                record.len(),
                columns.len()
            );
            return Err(bad(row, extra.to_string(), problem));
        }
        let mut cells = Vec::with_capacity(columns.len());
        for (i, field) in record.iter().enumerate() {
            let text = std::str::from_utf8(field)
                .map_err(|_| bad(row, columns[i].clone(), "not UTF-8 text".into()))?;
            cells.push((!text.is_empty()).then_some(text));
        }
        if cells.len() < columns.len() {
            let problem = format!(
                "{} fields where the header has {}",
                cells.len(),
                columns.len()
            );
            return Err(bad(row, columns[cells.len()].clone(), problem));
        }
        table.push_row(row, cells);
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(name: &str, text: &str) -> Result<Table, ReadError> {
        read_csv(Path::new(name), text.as_bytes())
    }

    #[test]
    fn by_name_or_columns() {
        let t = read(
            "x.csv",
            "CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2010,02/02/2020,PN1\n",
        )
        .unwrap();
        assert_eq!(t.name(), TableName::Reviews);
        assert_eq!(t.col("REVIEW_CODE").text(0), Some("PN1"));
        let t = read("DoLo.csv", "\u{feff}CHILD,DOB,DOLO_START,DOLO_END,EXTRA\n").unwrap();
        assert_eq!(t.name(), TableName::DoLo);
        let e = read("notes.csv", "A,B\n1,2\n").unwrap_err().to_string();
        assert!(e.contains("notes.csv") && e.contains("(A, B)"), "{e}");
        let e = read("header.csv", "CHILD,SEX\n").unwrap_err().to_string();
        assert!(e.contains("DOB"), "{e}");
    }

    #[test]
    fn bad_rows_name_file_row_and_field() {
        let e = read(
            "missing.csv",
            "CHILD,DOB,MISSING,MIS_START,MIS_END\n1,a,b,c,d\n2,a,b\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "missing.csv data row 1, field MIS_START: 3 fields where the header has 5"
        );
        let e = read_csv(
            Path::new("m.csv"),
            &b"CHILD,DOB,MISSING,MIS_START,MIS_END\n1,\xff,b,c,d\n"[..],
        );
        assert_eq!(
            e.unwrap_err().to_string(),
            "m.csv data row 0, field DOB: not UTF-8 text"
        );
    }
}
