//! Reading the DfE's XML form of the return (root `EXPSSDA903`) into the same tables as the CSV
//! files.
//!
//! Each `CHILD` holds a `HEADER` and its `EPISODE`s. The header's own fields make the child's
//! Header row (and its UASC, OC3 and AD1 rows when those items are given); its `AREVIEW`,
//! `AMISSING`, `OC2`, `PERMANENCE` and `AD_PLACED` elements make rows of Reviews, Missing, OC2,
//! PrevPerm and PlacedAdoption. A row takes the fields its table's CSV has, from its own element
//! first and then from the header (so every row has the child's CHILD and DOB). The XML names the
//! child `CHILDID` and the placement type `PL` where the CSV has `CHILD` and `PLACE`.

use super::read::ReadError;
use super::submission::Tables;
use super::tables::{Table, TableName};
use quick_xml::events::Event;
use rustc_hash::FxHashMap;
use std::path::Path;

/// The elements inside `HEADER` (or, for `EPISODE`, inside `CHILD`) that each make a row.
fn group_table(tag: &str) -> Option<TableName> {
    Some(match tag {
        "EPISODE" => TableName::Episodes,
        "AREVIEW" => TableName::Reviews,
        "AMISSING" => TableName::Missing,
        "OC2" => TableName::Oc2,
        "PERMANENCE" => TableName::PrevPerm,
        "AD_PLACED" => TableName::PlacedAdoption,
        _ => return None,
    })
}

/// The CSV's name for an XML field.
fn csv_name(tag: &str) -> &str {
    match tag {
        "CHILDID" => "CHILD",
        "PL" => "PLACE",
        other => other,
    }
}

type Fields = FxHashMap<String, String>;

/// One child's fields while its element is read.
#[derive(Default)]
struct ChildXml {
    header: Fields,
    /// Rows from the child's groups, in document order.
    groups: Vec<(TableName, Fields)>,
}

/// The tables being built, each with its next row id.
struct Builder {
    tables: Vec<(Table, u64)>,
}

impl Builder {
    fn new() -> Builder {
        let names = [
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
        ];
        Builder {
            tables: names
                .into_iter()
                .map(|name| {
                    let mut columns: Vec<&str> = name.columns().to_vec();
                    if name == TableName::Header {
                        // Whether the child is an unaccompanied asylum seeker, as the XML gives it.
                        columns.push("UASC");
                    }
                    (Table::new(name, &columns), 0)
                })
                .collect(),
        }
    }

    fn push(&mut self, name: TableName, own: &Fields, header: &Fields) {
        let (table, next) = self
            .tables
            .iter_mut()
            .find(|(t, _)| t.name() == name)
            .expect("every table the XML fills is built");
        let cells: Vec<Option<&str>> = table
            .column_names()
            .map(|c| own.get(c).or_else(|| header.get(c)).map(String::as_str))
            .collect();
        table.push_row(*next, cells);
        *next += 1;
    }

    fn child(&mut self, child: ChildXml) {
        let none = Fields::default();
        let h = &child.header;
        self.push(TableName::Header, h, &none);
        let given = |f: &str| h.contains_key(f);
        if given("UASC") {
            self.push(TableName::Uasc, h, &none);
        }
        if given("IN_TOUCH") {
            self.push(TableName::Oc3, h, &none);
        }
        if given("DATE_INT") {
            self.push(TableName::Ad1, h, &none);
        }
        for (name, fields) in &child.groups {
            self.push(*name, fields, h);
        }
    }

    fn finish(self) -> Tables {
        self.tables.into_iter().map(|(t, _)| t).collect()
    }
}

/// Where the reader is inside a `CHILD`.
enum Place {
    /// Directly in `CHILD`.
    Child,
    /// Directly in `HEADER`.
    Header,
    /// In a group that makes a row (the last of `groups`).
    Group,
    /// In a field, collecting its text; `in_group` says whose field it is.
    Field {
        name: String,
        text: String,
        in_group: bool,
    },
    /// Inside an element Hearth does not read.
    Other,
}

/// Reads a return's XML file.
pub fn read_xml_file(path: &Path) -> Result<Tables, ReadError> {
    let bytes = std::fs::read(path).map_err(|source| ReadError::Io {
        path: path.to_owned(),
        source,
    })?;
    read_xml(&bytes, path)
}

/// Reads a return's XML; `path` names it in errors.
pub fn read_xml(bytes: &[u8], path: &Path) -> Result<Tables, ReadError> {
    let line_of = |pos: u64| {
        1 + bytes[..(pos as usize).min(bytes.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64
    };
    let bad = |line: u64, problem: String| ReadError::Xml {
        file: path.to_owned(),
        line,
        problem,
    };
    let mut reader = quick_xml::Reader::from_reader(bytes);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut builder = Builder::new();
    let mut child: Option<ChildXml> = None;
    // The open elements inside the current CHILD.
    let mut stack: Vec<Place> = Vec::new();
    // The open elements outside any CHILD (the root).
    let mut outer = 0usize;
    let mut seen_root = false;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| bad(line_of(reader.error_position()), e.to_string()))?;
        // The line is counted only when there is an error to report.
        let here = reader.buffer_position();
        let text_of = |e: &dyn std::fmt::Display| bad(line_of(here), e.to_string());
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e.local_name()), false),
            Event::Empty(e) => (Some(e.local_name()), true),
            _ => (None, false),
        };
        if let Some(name) = start {
            let tag = std::str::from_utf8(name.as_ref())
                .map_err(|e| text_of(&e))?
                .to_owned();
            match child.as_mut() {
                None if outer == 0 => {
                    if tag != "EXPSSDA903" {
                        return Err(bad(
                            line_of(here),
                            format!("the root element is <{tag}>, not <EXPSSDA903>"),
                        ));
                    }
                    seen_root = true;
                    if !empty {
                        outer += 1;
                    }
                }
                None if tag == "CHILD" => {
                    if empty {
                        builder.child(ChildXml::default());
                    } else {
                        child = Some(ChildXml::default());
                        stack.push(Place::Child);
                    }
                }
                None => {
                    if !empty {
                        outer += 1;
                    }
                }
                Some(c) => {
                    let group = |c: &mut ChildXml, table| {
                        c.groups.push((table, Fields::default()));
                        Place::Group
                    };
                    let field = |in_group| Place::Field {
                        name: csv_name(&tag).to_owned(),
                        text: String::new(),
                        in_group,
                    };
                    let place = match (stack.last(), group_table(&tag)) {
                        (Some(Place::Child), _) if tag == "HEADER" => Place::Header,
                        (Some(Place::Child), Some(t)) if tag == "EPISODE" => group(c, t),
                        (Some(Place::Header), Some(t)) if tag != "EPISODE" => group(c, t),
                        (Some(Place::Header), _) => field(false),
                        (Some(Place::Group), _) => field(true),
                        _ => Place::Other,
                    };
                    stack.push(place);
                    if empty {
                        close(&mut stack, c);
                    }
                }
            }
            buf.clear();
            continue;
        }
        match event {
            Event::End(_) => match child.as_mut() {
                Some(c) => {
                    if stack.len() == 1 {
                        stack.clear();
                        builder.child(child.take().expect("inside a child"));
                    } else {
                        close(&mut stack, c);
                    }
                }
                None => outer = outer.saturating_sub(1),
            },
            Event::Text(t) => {
                if let Some(Place::Field { text, .. }) = stack.last_mut() {
                    text.push_str(&t.decode().map_err(|e| text_of(&e))?);
                }
            }
            Event::CData(t) => {
                if let Some(Place::Field { text, .. }) = stack.last_mut() {
                    text.push_str(&t.decode().map_err(|e| text_of(&e))?);
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| text_of(&e))? {
                    Some(c) => c.to_string(),
                    None => {
                        let entity = r.decode().map_err(|e| text_of(&e))?;
                        quick_xml::escape::resolve_predefined_entity(&entity)
                            .ok_or_else(|| text_of(&format!("unknown entity &{entity};")))?
                            .to_string()
                    }
                };
                if let Some(Place::Field { text, .. }) = stack.last_mut() {
                    text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let end = line_of(bytes.len() as u64);
    if child.is_some() || outer > 0 {
        return Err(bad(end, "the file ends inside an open element".into()));
    }
    if !seen_root {
        return Err(bad(end, "no <EXPSSDA903> element".into()));
    }
    Ok(builder.finish())
}

/// Closes the innermost open element of a child, keeping a field's text (a blank field is
/// left out, as an empty CSV cell is blank).
fn close(stack: &mut Vec<Place>, child: &mut ChildXml) {
    if let Some(Place::Field {
        name,
        text,
        in_group,
    }) = stack.pop()
    {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let fields = if in_group {
            match child.groups.last_mut() {
                Some((_, f)) => f,
                None => return,
            }
        } else {
            &mut child.header
        };
        fields.insert(name, text.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Tables, ReadError> {
        read_xml(text.as_bytes(), Path::new("r.xml"))
    }

    fn table(tables: &Tables, name: TableName) -> &Table {
        tables.iter().find(|t| t.name() == name).unwrap()
    }

    #[test]
    fn a_child_becomes_rows_of_each_table() {
        let tables = read(
            "<?xml version='1.0'?>\n<EXPSSDA903><CHILD><HEADER><CHILDID>7</CHILDID>\
             <SEX>F</SEX><DOB>01/02/2010</DOB><UASC>1</UASC><DUC>03/04/2028</DUC><MOTHER />\
             <AREVIEW><REVIEW>01/06/2025</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>\
             <AREVIEW><REVIEW>01/12/2025</REVIEW><REVIEW_CODE>PN2</REVIEW_CODE></AREVIEW>\
             <OC2><SDQ_SCORE>12</SDQ_SCORE></OC2></HEADER>\
             <EPISODE><DECOM>01/05/2025</DECOM><PL>U1</PL><HOME_POST>TW9 1AA</HOME_POST>\
             </EPISODE></CHILD><CHILD><HEADER><CHILDID>8</CHILDID></HEADER></CHILD></EXPSSDA903>",
        )
        .unwrap();
        let h = table(&tables, TableName::Header);
        assert_eq!(h.len(), 2);
        assert_eq!(h.col("CHILD").text(0), Some("7"));
        assert_eq!(h.col("UASC").text(0), Some("1"));
        assert!(h.col("MOTHER").is_blank(0));
        let eps = table(&tables, TableName::Episodes);
        assert_eq!(eps.len(), 1);
        assert_eq!(eps.col("PLACE").text(0), Some("U1"));
        assert_eq!(eps.col("CHILD").text(0), Some("7"));
        let reviews = table(&tables, TableName::Reviews);
        assert_eq!(reviews.len(), 2);
        assert_eq!(reviews.row_id(1), 1);
        assert_eq!(reviews.col("DOB").text(1), Some("01/02/2010"));
        assert_eq!(
            table(&tables, TableName::Uasc).col("DUC").text(0),
            Some("03/04/2028")
        );
        assert_eq!(
            table(&tables, TableName::Oc2).col("SDQ_SCORE").text(0),
            Some("12")
        );
        assert_eq!(table(&tables, TableName::Oc3).len(), 0);
    }

    #[test]
    fn malformed_files_name_the_file_and_line() {
        let e = read("<EXPSSDA903>\n<CHILD>\n<HEADER><CHILDID>1</CHILD>\n</EXPSSDA903>")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("r.xml line 3:"), "{e}");
        let e = read("<Message/>").unwrap_err().to_string();
        assert!(e.contains("EXPSSDA903"), "{e}");
        let e = read("<EXPSSDA903>\n<CHILD>").unwrap_err().to_string();
        assert!(e.starts_with("r.xml line 2:"), "{e}");
    }
}
