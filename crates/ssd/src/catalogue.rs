//! The dataset's tables and fields, from `data/tables.csv`: what an extract may hold, each
//! field's kind, and which field is a table's key or refers to another table's.

use std::sync::OnceLock;

/// How a field's values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A date or a date and time, as SQL Server writes them.
    Date,
    /// Y or N.
    Flag,
    Integer,
    Number,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub kind: Kind,
    pub primary_key: bool,
    /// The table and field this one refers to, as `ssd_person.pers_person_id`.
    pub references: Option<(String, String)>,
    pub required: bool,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub name: String,
    pub fields: Vec<Field>,
}

impl Table {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// The table's key, where it has one.
    pub fn key(&self) -> Option<&Field> {
        self.fields.iter().find(|f| f.primary_key)
    }

    /// The file an extract holds the table in.
    pub fn file_name(&self) -> String {
        format!("{}.csv", self.name)
    }
}

const TABLES: &str = include_str!("../data/tables.csv");

/// Every table of the dataset, in the order of `data/tables.csv` (alphabetical).
pub fn tables() -> &'static [Table] {
    static TABLES_READ: OnceLock<Vec<Table>> = OnceLock::new();
    TABLES_READ.get_or_init(|| {
        let mut rdr = csv::Reader::from_reader(TABLES.as_bytes());
        let mut out: Vec<Table> = Vec::new();
        for rec in rdr.records() {
            let rec = rec.expect("data/tables.csv is well formed");
            let kind = match &rec[2] {
                "date" => Kind::Date,
                "flag" => Kind::Flag,
                "integer" => Kind::Integer,
                "number" => Kind::Number,
                _ => Kind::Text,
            };
            let references = rec[4]
                .split_once('.')
                .map(|(t, f)| (t.to_string(), f.to_string()));
            let field = Field {
                name: rec[1].to_string(),
                kind,
                primary_key: &rec[3] == "yes",
                references,
                required: &rec[5] == "yes",
                description: rec[7].to_string(),
            };
            match out.last_mut() {
                Some(t) if t.name == rec[0] => t.fields.push(field),
                _ => out.push(Table {
                    name: rec[0].to_string(),
                    fields: vec![field],
                }),
            }
        }
        out
    })
}

/// A table by name (`ssd_person`), in any case.
pub fn table(name: &str) -> Option<&'static Table> {
    tables().iter().find(|t| t.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_holds_the_datasets_tables_and_their_keys() {
        assert_eq!(tables().len(), 45);
        let person = table("ssd_person").unwrap();
        assert_eq!(person.key().unwrap().name, "pers_person_id");
        assert_eq!(person.field("PERS_DOB").unwrap().kind, Kind::Date);
        let contacts = table("SSD_CONTACTS").unwrap();
        assert_eq!(
            contacts.field("cont_person_id").unwrap().references,
            Some(("ssd_person".into(), "pers_person_id".into()))
        );
        // Every reference names a table and field the catalogue has.
        for t in tables() {
            for f in &t.fields {
                if let Some((rt, rf)) = &f.references {
                    let target = table(rt).unwrap_or_else(|| panic!("{}.{}: {rt}", t.name, f.name));
                    assert!(
                        target.field(rf).is_some(),
                        "{}.{} -> {rt}.{rf}",
                        t.name,
                        f.name
                    );
                }
            }
        }
    }
}
