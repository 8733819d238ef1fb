//! SSDA903, the children looked after return: its tables, reading a CSV return, and the DfE's
//! validation rules for 2022/23 to 2026/27.
//!
//! * `tables`: the twelve tables; a `Table` holds its cells column by column, parses dates and
//!   numbers once per column, and groups its rows by child (in file order, or by start date).
//! * `submission`: a `Return`, this year's tables and last year's with the collection's
//!   `Metadata`; every CHILD gets one key across all its tables.
//! * `read`: CSV files recognised by DfE file name or by their columns.
//! * `catalogue`: each year's rule list (code, message, fields, tables), built in.
//! * `rules`: one check per rule code (and per year the DfE changed it), in files by code range.
//! * `validate`: every rule in force in a year over a return, as `Finding`s.
//! * `export`: a collection year's return from the records; `import`: returns into children's
//!   histories, one year or several merged.

pub mod catalogue;
pub mod export;
pub mod import;
pub mod postcodes;
pub mod read;
pub mod rules;
pub mod submission;
pub mod tables;
pub mod validate;
pub mod xml;
pub mod year;

pub use postcodes::{Place, Postcodes};
pub use read::{ReadError, read_dir, read_files, read_path};
pub use rules::{Kind, Lookup, Rule, lookup, rules, years};
pub use submission::{FileFormat, Metadata, Providers, Return, Tables};
pub use tables::{Child, Column, Table, TableName, parse_date};
pub use validate::{Finding, validate};
pub use xml::read_xml_file;
pub use year::Year;
