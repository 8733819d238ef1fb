//! The CIN census validation rules, one function per DfE rule code (`rule_8500`, `rule_2886q`),
//! in files by code range, and the registry that says which years each applies to.
//!
//! Each rule reads the census through a [`Ctx`] and returns its [`Hit`]s: the table and row it
//! found in error, the child, and the fields concerned. A rule about the return as a whole (the
//! "LA level" rules such as 2883 or 2887Q) returns one hit with no row.

use super::catalogue::{CinYear, RuleMeta, rule_meta};
use super::tables::{By, Census, Table, TableName};
use chrono::{Months, NaiveDate};
use domain::calendar::Calendar;

mod r100;
mod r1500;
mod r2800;
mod r4000;
mod r8500;
mod r8600;
mod r8700;
mod r8800;
mod r8900;

/// What a rule found: a row of a table (or the whole return, with no row), the child, and the
/// fields concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit<'a> {
    pub table: TableName,
    /// The row's id; `None` for a finding about the whole return.
    pub row: Option<u32>,
    pub child: Option<&'a str>,
    pub fields: &'static [&'static str],
}

/// A rule as the registry holds it.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    /// The DfE code, with `Q` for a query: `8500`, `2886Q`.
    pub code: &'static str,
    /// The first and last collection years the rule is in force.
    pub from: CinYear,
    pub to: CinYear,
    pub check: for<'a> fn(&Ctx<'a>) -> Vec<Hit<'a>>,
}

impl Rule {
    pub fn applies_in(&self, year: CinYear) -> bool {
        (self.from..=self.to).contains(&year)
    }

    /// The published code, message and fields of the rule in that year.
    pub fn meta(&self, year: CinYear) -> Option<&'static RuleMeta> {
        rule_meta(year, self.code)
    }
}

macro_rules! rules {
    ($($code:literal => $module:ident::$func:ident $(from $from:ident)?,)*) => {
        /// Every rule, in code order.
        pub static RULES: &[Rule] = &[
            $(Rule {
                code: $code,
                from: rules!(@from $($from)?),
                to: CinYear::Y2026_27,
                check: $module::$func,
            },)*
        ];
    };
    (@from) => { CinYear::Y2022_23 };
    (@from $from:ident) => { CinYear::$from };
}

rules! {
    "100" => r100::rule_100,
    "1103" => r100::rule_1103,
    "1104" => r100::rule_1104,
    "1105" => r100::rule_1105,
    "1510" => r1500::rule_1510,
    "1520" => r1500::rule_1520,
    "1530" => r1500::rule_1530,
    "1540" => r1500::rule_1540,
    "1550" => r1500::rule_1550,
    "1560Q" => r1500::rule_1560q,
    "1570" => r1500::rule_1570 from Y2024_25,
    "1580" => r1500::rule_1580 from Y2024_25,
    "2883" => r2800::rule_2883,
    "2884" => r2800::rule_2884,
    "2885" => r2800::rule_2885,
    "2886Q" => r2800::rule_2886q,
    "2887Q" => r2800::rule_2887q,
    "2888Q" => r2800::rule_2888q,
    "2889" => r2800::rule_2889,
    "2990" => r2800::rule_2990,
    "2991Q" => r2800::rule_2991q,
    "4000" => r4000::rule_4000,
    "4001" => r4000::rule_4001,
    "4003" => r4000::rule_4003,
    "4004" => r4000::rule_4004,
    "4008" => r4000::rule_4008,
    "4009Q" => r4000::rule_4009q,
    "4010" => r4000::rule_4010,
    "4011" => r4000::rule_4011,
    "4012Q" => r4000::rule_4012q,
    "4013" => r4000::rule_4013,
    "4014" => r4000::rule_4014,
    "4015" => r4000::rule_4015,
    "4016" => r4000::rule_4016,
    "4017" => r4000::rule_4017,
    "4180" => r4000::rule_4180,
    "4220" => r4000::rule_4220,
    "8500" => r8500::rule_8500,
    "8510" => r8500::rule_8510,
    "8520" => r8500::rule_8520,
    "8525Q" => r8500::rule_8525q,
    "8530Q" => r8500::rule_8530q,
    "8535Q" => r8500::rule_8535q,
    "8540" => r8500::rule_8540,
    "8545Q" => r8500::rule_8545q,
    "8555Q" => r8500::rule_8555q,
    "8565" => r8500::rule_8565,
    "8568" => r8500::rule_8568,
    "8569Q" => r8500::rule_8569q,
    "8585Q" => r8500::rule_8585q,
    "8590" => r8500::rule_8590,
    "8600" => r8600::rule_8600,
    "8606" => r8600::rule_8606,
    "8608" => r8600::rule_8608,
    "8610" => r8600::rule_8610,
    "8614" => r8600::rule_8614,
    "8615" => r8600::rule_8615,
    "8620" => r8600::rule_8620,
    "8630" => r8600::rule_8630,
    "8640" => r8600::rule_8640,
    "8650" => r8600::rule_8650,
    "8670Q" => r8600::rule_8670q,
    "8675Q" => r8600::rule_8675q,
    "8696" => r8600::rule_8696,
    "8715" => r8700::rule_8715,
    "8720" => r8700::rule_8720,
    "8730" => r8700::rule_8730,
    "8736" => r8700::rule_8736,
    "8740" => r8700::rule_8740,
    "8750" => r8700::rule_8750,
    "8770Q" => r8700::rule_8770q,
    "8772" => r8700::rule_8772,
    "8775Q" => r8700::rule_8775q,
    "8790" => r8700::rule_8790,
    "8794" => r8700::rule_8794,
    "8805" => r8800::rule_8805,
    "8810" => r8800::rule_8810,
    "8815" => r8800::rule_8815,
    "8816" => r8800::rule_8816,
    "8820" => r8800::rule_8820,
    "8825Q" => r8800::rule_8825q,
    "8831" => r8800::rule_8831,
    "8832" => r8800::rule_8832,
    "8839" => r8800::rule_8839,
    "8840" => r8800::rule_8840,
    "8841" => r8800::rule_8841,
    "8842Q" => r8800::rule_8842q,
    "8863Q" => r8800::rule_8863q,
    "8866" => r8800::rule_8866,
    "8867" => r8800::rule_8867,
    "8868" => r8800::rule_8868,
    "8869" => r8800::rule_8869,
    "8870Q" => r8800::rule_8870q,
    "8873Q" => r8800::rule_8873q,
    "8875" => r8800::rule_8875,
    "8890" => r8800::rule_8890,
    "8896" => r8800::rule_8896,
    "8897Q" => r8800::rule_8897q,
    "8898" => r8800::rule_8898,
    "8905" => r8900::rule_8905,
    "8910" => r8900::rule_8910,
    "8915" => r8900::rule_8915,
    "8920" => r8900::rule_8920,
    "8925" => r8900::rule_8925,
    "8930" => r8900::rule_8930,
    "8935" => r8900::rule_8935,
    "8940" => r8900::rule_8940,
    "8945Q" => r8900::rule_8945q from Y2024_25,
    "8950Q" => r8900::rule_8950q from Y2024_25,
}

/// The rule with this code (`8500`, `2886Q`; the `Q` may be lower case).
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code.eq_ignore_ascii_case(code))
}

/// The rules in force in a year.
pub fn rules_for(year: CinYear) -> impl Iterator<Item = &'static Rule> {
    RULES.iter().filter(move |r| r.applies_in(year))
}

/// What a rule sees: the census, the year, the census period and the working-day calendar.
pub struct Ctx<'a> {
    pub census: &'a Census,
    pub year: CinYear,
    /// The census reference date: the Header's `ReferenceDate`, or 31 March of the year's end
    /// when the Header has none.
    pub reference_date: NaiveDate,
    /// The first day of the census period: the day after the reference date a year earlier.
    pub period_start: NaiveDate,
    pub calendar: &'static Calendar,
}

impl<'a> Ctx<'a> {
    pub fn new(census: &'a Census, year: CinYear) -> Ctx<'a> {
        let header = census.table(TableName::Header);
        let reference_date = header
            .rows()
            .next()
            .and_then(|r| header.col("ReferenceDate").date(r))
            .unwrap_or_else(|| ymd(year.end_year(), 3, 31));
        let period_start = reference_date
            .checked_sub_months(Months::new(12))
            .and_then(|d| d.succ_opt())
            .unwrap_or(reference_date);
        Ctx {
            census,
            year,
            reference_date,
            period_start,
            calendar: Calendar::england_and_wales(),
        }
    }

    pub fn t(&self, name: TableName) -> &'a Table {
        self.census.table(name)
    }

    /// Whether a date falls in the census period, both ends included.
    pub fn in_period(&self, d: NaiveDate) -> bool {
        (self.period_start..=self.reference_date).contains(&d)
    }

    pub fn hit(&self, table: TableName, row: usize, fields: &'static [&'static str]) -> Hit<'a> {
        let t = self.t(table);
        Hit {
            table,
            row: Some(t.id(row)),
            child: t.col("LAchildID").str(row),
            fields,
        }
    }

    /// A finding about the whole return.
    pub fn whole_return(&self, table: TableName, fields: &'static [&'static str]) -> Vec<Hit<'a>> {
        vec![Hit {
            table,
            row: None,
            child: None,
            fields,
        }]
    }

    /// Hits for the rows of a table that fail a test.
    pub fn rows_where(
        &self,
        table: TableName,
        fields: &'static [&'static str],
        fails: impl Fn(usize) -> bool,
    ) -> Vec<Hit<'a>> {
        let t = self.t(table);
        t.rows()
            .filter(|&r| fails(r))
            .map(|r| self.hit(table, r, fields))
            .collect()
    }

    /// The rows of `to` that belong with row `row` of `from`: the same child, episode, plan or
    /// assessment. An episode is matched by child alone where either table lacks `CINdetailsID`.
    pub fn related(&self, from: TableName, row: usize, by: By, to: TableName) -> &'a [u32] {
        let by = if by == By::Episode
            && !(self.t(from).has("CINdetailsID") && self.t(to).has("CINdetailsID"))
        {
            By::Child
        } else {
            by
        };
        self.census.related(from, row, by, to)
    }

    /// The rows of a table grouped by child, episode, plan or assessment, in first-seen order;
    /// rows without the key are left out. Episodes are grouped by child where the table lacks
    /// `CINdetailsID`.
    pub fn groups(&self, table: TableName, by: By) -> Vec<Vec<usize>> {
        let by = if by == By::Episode && !self.t(table).has("CINdetailsID") {
            By::Child
        } else {
            by
        };
        let mut seen = rustc_hash::FxHashMap::default();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for r in self.t(table).rows() {
            if let Some(k) = self.census.key(table, by, r) {
                let i = *seen.entry(k).or_insert_with(|| {
                    groups.push(Vec::new());
                    groups.len() - 1
                });
                groups[i].push(r);
            }
        }
        groups
    }

    /// Whether the working-day clock started on `start` has run `days` working days by the
    /// reference date (counting the working days after `start`, up to and including it).
    pub fn working_days_by_reference(&self, start: NaiveDate, days: i64) -> bool {
        self.calendar
            .working_days_between(start, self.reference_date)
            >= days
    }
}

/// Hits for both rows of each failing pair, for rules that compare a row of one table with the
/// related rows of another.
fn pairs<'a>(
    ctx: &Ctx<'a>,
    (a, a_fields): (TableName, &'static [&'static str]),
    by: By,
    (b, b_fields): (TableName, &'static [&'static str]),
    fails: impl Fn(usize, usize) -> bool,
) -> Vec<Hit<'a>> {
    let mut out = Vec::new();
    for ra in ctx.t(a).rows() {
        for &rb in ctx.related(a, ra, by, b) {
            if fails(ra, rb as usize) {
                out.push(ctx.hit(a, ra, a_fields));
                out.push(ctx.hit(b, rb as usize, b_fields));
            }
        }
    }
    out
}

/// Whether a row is a module that is there: where the table has its own id column (CPPID,
/// AssessmentID), a row without one stands for no module; otherwise every row is one.
fn is_module(table: &Table, row: usize) -> bool {
    let id = match table.name() {
        TableName::ChildProtectionPlans => table.col("CPPID"),
        TableName::Assessments => table.col("AssessmentID"),
        _ => return true,
    };
    !id.exists() || id.present(row)
}

/// The factor codes of an Assessments cell: one code, or several separated by commas (Python's
/// list notation, `['1A', '2B']`, is read too).
fn factors(cell: Option<&str>) -> impl Iterator<Item = &str> {
    cell.unwrap_or("")
        .split([',', ';'])
        .map(|f| f.trim_matches(|c: char| c.is_whitespace() || "[]'\"".contains(c)))
        .filter(|f| !f.is_empty())
}

/// The rows of Assessments that make up each assessment: by `AssessmentID` where the table has
/// it, else by child, episode, start and authorisation date (one factor a row, as some
/// extracts give them).
fn assessments(ctx: &Ctx) -> Vec<Vec<usize>> {
    let t = ctx.t(TableName::Assessments);
    if t.has("AssessmentID") {
        return ctx.groups(TableName::Assessments, By::Assessment);
    }
    let cols = [
        "LAchildID",
        "CINdetailsID",
        "AssessmentActualStartDate",
        "AssessmentAuthorisationDate",
    ]
    .map(|c| t.col(c));
    let mut seen = rustc_hash::FxHashMap::default();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for r in t.rows() {
        let key = cols.map(|c| c.str(r));
        let i = *seen.entry(key).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[i].push(r);
    }
    groups
}

/// A date range, open at the end when there is no end date.
#[derive(Clone, Copy)]
struct Span {
    start: NaiveDate,
    end: Option<NaiveDate>,
}

impl Span {
    /// Whether `d` falls within the span, its end (or, when open, the reference date) included.
    fn holds(&self, d: NaiveDate, reference: NaiveDate) -> bool {
        d >= self.start && d <= self.end.unwrap_or(reference)
    }
}

/// For rules about overlapping spans within a group: hits for each row whose start falls in
/// another row's span (see [`Span::holds`]), and for that other row.
fn overlaps<'a>(
    ctx: &Ctx<'a>,
    table: TableName,
    group: &[usize],
    span: impl Fn(usize) -> Option<Span>,
    fields: (&'static [&'static str], &'static [&'static str]),
) -> Vec<Hit<'a>> {
    let mut out = Vec::new();
    for &a in group {
        let Some(sa) = span(a) else { continue };
        for &b in group {
            if a != b
                && let Some(sb) = span(b)
                && sb.holds(sa.start, ctx.reference_date)
            {
                out.push(ctx.hit(table, a, fields.0));
                out.push(ctx.hit(table, b, fields.1));
            }
        }
    }
    out
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// `d` moved by whole years (29 February becomes 28 February).
fn add_years(d: NaiveDate, years: i32) -> NaiveDate {
    let months = Months::new(years.unsigned_abs() * 12);
    let moved = if years >= 0 {
        d.checked_add_months(months)
    } else {
        d.checked_sub_months(months)
    };
    moved.unwrap_or(d)
}
