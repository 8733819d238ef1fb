//! Reading a CIN census: the DfE's XML message, or one CSV file per table.
//!
//! The XML is flattened the way the public validator (`csc-validator-be-cin`) does it, so that
//! row ids agree with its reports: every table's rows in document order; `CINdetailsID` numbers a
//! child's episodes from 1, `AssessmentID` and `CPPID` number an episode's assessments and plans
//! from 1; Assessments carries its factors in `AssessmentFactors` (comma-separated) and
//! AssessmentFactorsList has one row per factor. One difference: each `CPPreviewDate` of a plan's
//! `Reviews` block is a row of Reviews, where the public validator keeps only the first.
//! Text is trimmed; an empty element is a missing value.

use super::tables::{Census, Table, TableName};
use quick_xml::events::Event;
use std::path::{Path, PathBuf};

/// A file that could not be read, with where in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ReadError {
    pub file: PathBuf,
    /// The line (XML) or row (CSV, counting the header as line 1).
    pub line: Option<u64>,
    pub field: Option<String>,
    pub message: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field {field}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl ReadError {
    fn new(
        file: &Path,
        line: Option<u64>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        ReadError {
            file: file.to_path_buf(),
            line,
            field: field.map(str::to_string),
            message: message.into(),
        }
    }
}

/// Reads a CIN census XML file.
pub fn read_xml_file(path: &Path) -> Result<Census, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::new(path, None, None, e.to_string()))?;
    read_xml(&bytes, path)
}

/// Reads a CIN census XML message; `name` names it in errors.
pub fn read_xml(bytes: &[u8], name: &Path) -> Result<Census, ReadError> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut tables = Flattener::new();
    // The open elements; a Header or a Child is kept whole until it closes, then flattened.
    let mut stack: Vec<Node> = Vec::new();
    let mut buf = Vec::new();
    let line_of = |pos: u64| {
        1 + bytes[..(pos as usize).min(bytes.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64
    };
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            ReadError::new(
                name,
                Some(line_of(reader.error_position())),
                None,
                e.to_string(),
            )
        })?;
        let bad_text = |e: &dyn std::fmt::Display| {
            ReadError::new(
                name,
                Some(line_of(reader.buffer_position())),
                None,
                e.to_string(),
            )
        };
        match event {
            Event::Start(e) => stack.push(Node::new(e.local_name().as_ref())),
            Event::Empty(e) => {
                let node = Node::new(e.local_name().as_ref());
                close(node, &mut stack, &mut tables);
            }
            Event::End(_) => {
                let node = stack.pop().expect("quick-xml checks that end tags match");
                close(node, &mut stack, &mut tables);
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.decode().map_err(|e| bad_text(&e))?);
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.decode().map_err(|e| bad_text(&e))?);
                }
            }
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref().map_err(|e| bad_text(&e))? {
                    Some(c) => c.to_string(),
                    None => {
                        let entity = r.decode().map_err(|e| bad_text(&e))?;
                        quick_xml::escape::resolve_predefined_entity(&entity)
                            .ok_or_else(|| bad_text(&format!("unknown entity &{entity};")))?
                            .to_string()
                    }
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&text);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if let Some(open) = stack.last() {
        return Err(ReadError::new(
            name,
            None,
            None,
            format!("<{}> is not closed", open.name),
        ));
    }
    if !tables.seen_message {
        return Err(ReadError::new(
            name,
            None,
            None,
            "there is no <Message> element",
        ));
    }
    Ok(tables.finish())
}

/// A closed element: flattened if it is a Header or a Child, else kept in its parent.
fn close(node: Node, stack: &mut [Node], tables: &mut Flattener) {
    let parent = stack.last().map(|p| p.name.as_str());
    match (node.name.as_str(), parent) {
        ("Header", Some("Message")) => tables.header(&node),
        ("Child", Some("Children")) => tables.child(&node),
        ("Message", None) => tables.seen_message = true,
        _ => {
            if let Some(p) = stack.last_mut() {
                p.children.push(node);
            }
        }
    }
}

/// An element with its text and child elements.
#[derive(Debug)]
struct Node {
    name: String,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn new(name: &[u8]) -> Node {
        Node {
            name: String::from_utf8_lossy(name).into_owned(),
            text: String::new(),
            children: Vec::new(),
        }
    }

    fn first(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text, if any.
    fn value(&self) -> Option<&str> {
        Some(self.text.trim()).filter(|t| !t.is_empty())
    }

    /// The value of the first child element with this name.
    fn get(&self, name: &str) -> Option<&str> {
        self.first(name)?.value()
    }
}

struct Flattener {
    tables: Vec<Table>,
    seen_message: bool,
}

impl Flattener {
    fn new() -> Flattener {
        Flattener {
            tables: TableName::ALL.iter().map(|&t| Table::standard(t)).collect(),
            seen_message: false,
        }
    }

    fn push(&mut self, table: TableName, cells: &[Option<&str>]) {
        self.tables[table as usize].push(cells);
    }

    /// The values of a table's columns found in `node`, with the given leading id cells.
    fn values<'n>(
        table: TableName,
        ids: &[Option<&'n str>],
        node: Option<&'n Node>,
    ) -> Vec<Option<&'n str>> {
        let columns = table.columns();
        let mut cells = ids.to_vec();
        cells.extend(
            columns[ids.len()..]
                .iter()
                .map(|c| node.and_then(|n| n.get(c))),
        );
        cells
    }

    fn header(&mut self, header: &Node) {
        let details = header.first("CollectionDetails");
        let source = header.first("Source");
        let cells: Vec<Option<&str>> = TableName::Header
            .columns()
            .iter()
            .map(|&c| match c {
                "Collection" | "Year" | "ReferenceDate" => details.and_then(|d| d.get(c)),
                _ => source.and_then(|s| s.get(c)),
            })
            .collect();
        self.push(TableName::Header, &cells);
    }

    fn child(&mut self, child: &Node) {
        use TableName::*;
        let identifiers = child.first("ChildIdentifiers");
        let id = identifiers.and_then(|i| i.get("LAchildID"));
        let cells = Self::values(ChildIdentifiers, &[id], identifiers);
        self.push(ChildIdentifiers, &cells);
        let characteristics = child.first("ChildCharacteristics");
        let cells = Self::values(ChildCharacteristics, &[id], characteristics);
        self.push(ChildCharacteristics, &cells);
        if let Some(disabilities) = characteristics.and_then(|c| c.first("Disabilities")) {
            for d in &disabilities.children {
                self.push(Disabilities, &[id, d.value()]);
            }
        }
        for (i, episode) in child.all("CINdetails").enumerate() {
            let cin = (i + 1).to_string();
            let cin = Some(cin.as_str());
            let cells = Self::values(CINdetails, &[id, cin], Some(episode));
            self.push(CINdetails, &cells);
            for (j, assessment) in episode.all("Assessments").enumerate() {
                let aid = (j + 1).to_string();
                let aid = Some(aid.as_str());
                let found: Vec<&str> = assessment
                    .first("FactorsIdentifiedAtAssessment")
                    .map(|f| f.children.iter().filter_map(Node::value).collect())
                    .unwrap_or_default();
                for factor in &found {
                    self.push(AssessmentFactorsList, &[id, cin, aid, Some(factor)]);
                }
                let joined = found.join(",");
                let mut cells = Self::values(Assessments, &[id, cin, aid], Some(assessment));
                cells[6] = Some(joined.as_str()).filter(|f| !f.is_empty());
                self.push(Assessments, &cells);
            }
            for plan in episode.all("CINPlanDates") {
                let cells = Self::values(CINplanDates, &[id, cin], Some(plan));
                self.push(CINplanDates, &cells);
            }
            for s47 in episode.all("Section47") {
                let cells = Self::values(Section47, &[id, cin], Some(s47));
                self.push(Section47, &cells);
            }
            for (k, plan) in episode.all("ChildProtectionPlans").enumerate() {
                let cpp = (k + 1).to_string();
                let cpp = Some(cpp.as_str());
                let cells = Self::values(ChildProtectionPlans, &[id, cin, cpp], Some(plan));
                self.push(ChildProtectionPlans, &cells);
                for reviews in plan.all("Reviews") {
                    for date in reviews.all("CPPreviewDate") {
                        self.push(Reviews, &[id, cin, cpp, date.value()]);
                    }
                }
            }
        }
    }

    fn finish(self) -> Census {
        Census::new(self.tables)
    }
}

/// Reads one CSV file per table from a folder. A file is matched to its table by name
/// (`CINdetails.csv`, any case) or else by a column only that table has. A first column headed
/// `ROW_ID`, `index` or nothing holds the row ids; otherwise rows are numbered from 0.
pub fn read_tables_dir(dir: &Path) -> Result<Census, ReadError> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| ReadError::new(dir, None, None, e.to_string()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(ReadError::new(dir, None, None, "no .csv files"));
    }
    let mut tables: Vec<Table> = Vec::new();
    for file in &files {
        let table = read_table_csv(file)?;
        if tables.iter().any(|t| t.name() == table.name()) {
            return Err(ReadError::new(
                file,
                None,
                None,
                format!("a second file for table {}", table.name()),
            ));
        }
        tables.push(table);
    }
    Ok(Census::new(tables))
}

/// A column found in only one table, to recognise a file by.
const SIGNATURES: &[(&str, TableName)] = &[
    ("ReferenceDate", TableName::Header),
    ("UPN", TableName::ChildIdentifiers),
    ("PersonBirthDate", TableName::ChildIdentifiers),
    ("Ethnicity", TableName::ChildCharacteristics),
    ("Disability", TableName::Disabilities),
    ("CINreferralDate", TableName::CINdetails),
    ("AssessmentActualStartDate", TableName::Assessments),
    ("AssessmentFactor", TableName::AssessmentFactorsList),
    ("CINPlanStartDate", TableName::CINplanDates),
    ("S47ActualStartDate", TableName::Section47),
    ("CPPstartDate", TableName::ChildProtectionPlans),
    ("CPPreviewDate", TableName::Reviews),
];

/// Reads one table from a CSV file.
pub fn read_table_csv(file: &Path) -> Result<Table, ReadError> {
    let err =
        |line: Option<u64>, field: Option<&str>, m: String| ReadError::new(file, line, field, m);
    let mut reader = csv::ReaderBuilder::new()
        .from_path(file)
        .map_err(|e| err(None, None, e.to_string()))?;
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| err(Some(1), None, e.to_string()))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let indexed = headers
        .first()
        .is_some_and(|h| h.is_empty() || h == "ROW_ID" || h == "index");
    let columns = if indexed { &headers[1..] } else { &headers[..] };
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let name = TableName::from_name(stem)
        .or_else(|| {
            SIGNATURES
                .iter()
                .find(|(c, _)| columns.iter().any(|h| h == c))
                .map(|&(_, t)| t)
        })
        .ok_or_else(|| {
            err(
                None,
                None,
                "not a CIN table: no table has this name or these columns".into(),
            )
        })?;
    let mut table = Table::new(name, columns);
    for (n, record) in reader.records().enumerate() {
        let line = n as u64 + 2;
        let record = record.map_err(|e| err(Some(line), None, e.to_string()))?;
        let cells: Vec<Option<&str>> = record
            .iter()
            .map(|c| Some(c.trim()).filter(|c| !c.is_empty()))
            .collect();
        if indexed {
            let id = cells[0]
                .and_then(|i| i.strip_suffix(".0").unwrap_or(i).parse::<u32>().ok())
                .ok_or_else(|| {
                    err(
                        Some(line),
                        Some(&headers[0]),
                        format!("row id '{}' is not a whole number", &record[0]),
                    )
                })?;
            table.push_with_id(id, &cells[1..]);
        } else {
            table.push(&cells);
        }
    }
    Ok(table)
}
