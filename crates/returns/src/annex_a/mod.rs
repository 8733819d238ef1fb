//! Ofsted's Annex A: the eleven lists of children an inspection asks for, from the records.
//!
//! [`lists`] builds every list for an inspection on a date, each over the period Ofsted asks for;
//! [`write_xlsx`] writes them as a workbook in the template's shape. Columns whose facts Hearth
//! does not record are left empty and named in each list's `not_held`. Restricted records are
//! included (inspectors see them); records withdrawn as entered in error are not in the model's
//! lists and so never appear.

mod care;
pub mod columns;
mod front_door;
mod open_cases;
pub mod values;
mod xlsx;

use chrono::{Months, NaiveDate};
use domain::Model;
use domain::model::{Allocation, Child};

pub use xlsx::write_xlsx;

/// One cell of a list.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Date(NaiveDate),
    Number(i64),
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn date(d: Option<NaiveDate>) -> Cell {
        d.map_or(Cell::Empty, Cell::Date)
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_date(&self) -> Option<NaiveDate> {
        match self {
            Cell::Date(d) => Some(*d),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<i64> {
        match self {
            Cell::Number(n) => Some(*n),
            _ => None,
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Self {
        s.map_or(Cell::Empty, Cell::Text)
    }
}

impl From<Option<&'static str>> for Cell {
    fn from(s: Option<&'static str>) -> Self {
        s.map_or(Cell::Empty, Cell::from)
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Self {
        Cell::Number(n as i64)
    }
}

/// One of Ofsted's lists: its rows, and which of its columns the records cannot fill.
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// 1 to 11.
    pub number: u8,
    /// Ofsted's name for the list ("Contacts", "Referrals" ...).
    pub title: &'static str,
    /// The inspection date the list was built for.
    pub as_of: NaiveDate,
    /// Who and what the list covers, with its dates.
    pub period: String,
    pub columns: &'static [&'static str],
    /// Each row has one cell per column.
    pub rows: Vec<Vec<Cell>>,
    /// Columns left empty in every row because Hearth holds no such fact.
    pub not_held: Vec<&'static str>,
}

impl List {
    /// The sheet name in Ofsted's template.
    pub fn sheet_name(&self) -> String {
        format!("List {}", self.number)
    }

    /// The position of a column by its heading.
    pub fn column(&self, heading: &str) -> Option<usize> {
        self.columns.iter().position(|c| *c == heading)
    }
}

/// Every list for an inspection on `as_of`, numbered 1 to 11.
pub fn lists(model: &Model, as_of: NaiveDate) -> Vec<List> {
    let ctx = Ctx::new(model, as_of);
    vec![
        front_door::contacts(&ctx),
        front_door::early_help(&ctx),
        front_door::referrals(&ctx),
        front_door::assessments(&ctx),
        front_door::enquiries(&ctx),
        open_cases::children_in_need(&ctx),
        open_cases::child_protection(&ctx),
        care::children_in_care(&ctx),
        care::care_leavers(&ctx),
        care::adoption(&ctx),
        care::adopters(&ctx),
    ]
}

/// What every list needs: the records, the inspection date and the windows Ofsted looks back over.
pub(crate) struct Ctx<'a> {
    pub model: &'a Model,
    pub children: Vec<&'a Child>,
    pub as_of: NaiveDate,
    /// The first day of the six months up to and including `as_of`.
    pub six_months: NaiveDate,
    /// The first day of the twelve months up to and including `as_of`.
    pub twelve_months: NaiveDate,
}

impl<'a> Ctx<'a> {
    fn new(model: &'a Model, as_of: NaiveDate) -> Self {
        Ctx {
            model,
            children: model.children_sorted(),
            as_of,
            six_months: months_back(as_of, 6),
            twelve_months: months_back(as_of, 12),
        }
    }

    pub fn in_six_months(&self, d: NaiveDate) -> bool {
        d >= self.six_months && d <= self.as_of
    }

    pub fn in_twelve_months(&self, d: NaiveDate) -> bool {
        d >= self.twelve_months && d <= self.as_of
    }

    /// "dd/mm/yyyy to dd/mm/yyyy" for the six months.
    pub fn six_month_span(&self) -> String {
        format!("{} to {}", uk(self.six_months), uk(self.as_of))
    }

    pub fn twelve_month_span(&self) -> String {
        format!("{} to {}", uk(self.twelve_months), uk(self.as_of))
    }

    /// An end date as known on `as_of`: an end after the inspection date has not happened yet.
    pub fn ended(&self, end: Option<NaiveDate>) -> Option<NaiveDate> {
        end.filter(|e| *e <= self.as_of)
    }

    /// The allocated team's and worker's names for a record that ran from `from` to `to`: whoever
    /// held the case last within that time (so a record still open shows today's worker).
    pub fn allocated(&self, child: &Child, from: NaiveDate, to: NaiveDate) -> [Cell; 2] {
        let to = to.min(self.as_of);
        let held = child
            .allocations
            .iter()
            .filter(|a| a.from <= to && a.to.is_none_or(|t| t > from))
            .max_by_key(|a| a.from);
        self.names(held)
    }

    fn names(&self, held: Option<&Allocation>) -> [Cell; 2] {
        let Some(a) = held else {
            return [Cell::Empty, Cell::Empty];
        };
        let team = self.model.teams.get(&a.team).map(|t| t.name.clone());
        let worker = self.model.workers.get(&a.worker).map(|w| w.name.clone());
        [team.into(), worker.into()]
    }
}

fn months_back(as_of: NaiveDate, months: u32) -> NaiveDate {
    as_of
        .checked_sub_months(Months::new(months))
        .and_then(|d| d.succ_opt())
        .unwrap_or(as_of)
}

/// Rows in order of their date, then of the child, so a list reads as a diary.
pub(crate) fn by_date(mut rows: Vec<(NaiveDate, Vec<Cell>)>) -> Vec<Vec<Cell>> {
    rows.sort_by(|(a, ra), (b, rb)| a.cmp(b).then_with(|| ra[0].as_text().cmp(&rb[0].as_text())));
    rows.into_iter().map(|(_, r)| r).collect()
}

pub(crate) fn uk(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Whole years from birth to `on`; none for a child not yet born or of unknown birth date.
pub(crate) fn age_on(child: &Child, on: NaiveDate) -> Option<i64> {
    child.age_on(on).map(i64::from)
}

/// The child's identifier, gender, ethnicity, date of birth and age on `on`: the first five
/// columns of most lists.
pub(crate) fn person(child: &Child, on: NaiveDate) -> Vec<Cell> {
    let d = &child.details;
    vec![
        Cell::text(d.la_child_id.clone()),
        values::gender(d.sex).into(),
        Cell::text(values::pick(values::ETHNICITY, d.ethnicity.as_str())),
        Cell::date(d.date_of_birth),
        age_on(child, on).map_or(Cell::Empty, Cell::Number),
    ]
}

/// Whether the child has a disability, in the template's words.
pub(crate) fn disability(child: &Child) -> Cell {
    values::yes_no(!child.details.disabilities.is_empty()).into()
}

/// The child's columns with the disability column after them (lists 4 to 9).
pub(crate) fn person_with_disability(child: &Child, on: NaiveDate) -> Vec<Cell> {
    let mut row = person(child, on);
    row.push(disability(child));
    row
}
