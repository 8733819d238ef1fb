//! A return: this year's tables, last year's, and what the rules need to know about the collection.

use super::postcodes::Postcodes;
use super::tables::{Child, Table, TableName};
use super::year::{self, Year};
use chrono::NaiveDate;
use rustc_hash::FxHashMap;

/// Whether the return came as CSV files or as the DfE's XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FileFormat {
    #[default]
    Csv,
    Xml,
}

/// What the rules need to know beyond the tables.
#[derive(Debug, Clone)]
pub struct Metadata {
    /// 1 April of the collection year.
    pub collection_start: NaiveDate,
    /// 31 March at the end of the collection year.
    pub collection_end: NaiveDate,
    /// The local authority making the return (its code, as the placement LA columns write it).
    pub la_code: Option<String>,
    pub file_format: FileFormat,
    /// Ofsted's provider lists, when given (for the URN checks).
    pub providers: Option<Providers>,
    /// The ONS postcode facts, when given: each episode's placement LA, location and distance
    /// are then derived from its postcodes (for the placement LA and distance checks).
    pub postcodes: Option<Postcodes>,
}

impl Metadata {
    /// The collection starting 1 April `first_year`.
    pub fn for_first_year(first_year: i32) -> Metadata {
        Metadata {
            collection_start: year::collection_start(first_year),
            collection_end: year::collection_end(first_year),
            la_code: None,
            file_format: FileFormat::Csv,
            providers: None,
            postcodes: None,
        }
    }

    pub fn for_year(year: Year) -> Metadata {
        Metadata::for_first_year(year.first_year())
    }
}

/// Ofsted's registered providers, by URN: for each URN, named text fields
/// (`LA_CODE_INFERRED`, `POSTCODE`, `PLACE_CODES`, `PROVIDER_CODES`, `REG_END`, ...).
#[derive(Debug, Clone, Default)]
pub struct Providers {
    fields: Vec<String>,
    by_urn: FxHashMap<String, Vec<Option<String>>>,
}

impl Providers {
    pub fn new(fields: Vec<String>) -> Providers {
        Providers {
            fields,
            by_urn: FxHashMap::default(),
        }
    }

    /// Adds a provider; `values` follow the fields given to `new`.
    pub fn insert(&mut self, urn: &str, values: Vec<Option<String>>) {
        self.by_urn.insert(urn.to_owned(), values);
    }

    pub fn contains(&self, urn: &str) -> bool {
        self.by_urn.contains_key(urn)
    }

    /// A provider's field, `None` when the URN is unknown or the field blank.
    pub fn field(&self, urn: &str, field: &str) -> Option<&str> {
        let i = self.fields.iter().position(|f| f == field)?;
        self.by_urn.get(urn)?.get(i)?.as_deref()
    }
}

/// This year's tables and last year's, and the collection's metadata.
#[derive(Debug)]
pub struct Return {
    pub meta: Metadata,
    current: [Option<Table>; 12],
    last: [Option<Table>; 12],
    children: usize,
}

/// A set of tables, at most one of each kind.
pub type Tables = Vec<Table>;

impl Return {
    /// Joins the tables into a return: every CHILD in any table gets one key, and each table's
    /// rows are grouped by child. A later table of the same kind replaces an earlier one. With
    /// postcodes in the metadata, each episodes table gains its derived placement LA, location
    /// and distance.
    pub fn new(meta: Metadata, mut current: Tables, mut last: Tables) -> Return {
        if let Some(postcodes) = &meta.postcodes {
            for t in current.iter_mut().chain(last.iter_mut()) {
                if t.name() == TableName::Episodes {
                    postcodes.derive(t, meta.la_code.as_deref());
                }
            }
        }
        let mut cur: [Option<Table>; 12] = Default::default();
        let mut prev: [Option<Table>; 12] = Default::default();
        for t in current {
            let i = t.name().index();
            cur[i] = Some(t);
        }
        for t in last {
            let i = t.name().index();
            prev[i] = Some(t);
        }
        let mut keys: FxHashMap<String, u32> = FxHashMap::default();
        let all = cur.iter_mut().chain(prev.iter_mut()).flatten();
        let assigned: Vec<(&mut Table, Vec<Child>)> = all
            .map(|t| {
                let col = t.col("CHILD");
                let children = t
                    .rows()
                    .map(|i| match col.text(i) {
                        None => Child::NONE,
                        Some(id) => match keys.get(id) {
                            Some(&k) => Child(k),
                            None => {
                                let k = keys.len() as u32;
                                keys.insert(id.to_owned(), k);
                                Child(k)
                            }
                        },
                    })
                    .collect();
                (t, children)
            })
            .collect();
        let n = keys.len();
        for (t, children) in assigned {
            t.set_children(children, n);
        }
        Return {
            meta,
            current: cur,
            last: prev,
            children: n,
        }
    }

    /// This year's table, if the return has it.
    pub fn table(&self, name: TableName) -> Option<&Table> {
        self.current[name.index()].as_ref()
    }

    /// Last year's table, if given.
    pub fn last(&self, name: TableName) -> Option<&Table> {
        self.last[name.index()].as_ref()
    }

    /// How many distinct children the return's tables name.
    pub fn child_count(&self) -> usize {
        self.children
    }

    pub fn start(&self) -> NaiveDate {
        self.meta.collection_start
    }

    pub fn end(&self) -> NaiveDate {
        self.meta.collection_end
    }
}
