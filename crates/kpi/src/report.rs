//! Figures as people read them: a measure's value for a period and scope beside its target,
//! trajectory and benchmarks, with the children behind it and breakdowns by who they are.

use crate::benchmarks::{self, Comparison};
use crate::catalogue::{Counting, Measure};
use crate::engine::{self, Figure, Item, Left, Span, Subject, Sums, Tally, TeamSums};
use crate::index::Index;
use crate::measures::age_on;
use crate::period::Period;
use crate::scope::Scope;
use crate::targets::{self, Rag};
use chrono::{Datelike, NaiveDate};
use domain::Model;
use domain::calendar::Calendar;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What a report is computed over.
pub struct Source<'m> {
    pub model: &'m Model,
    pub cal: &'m Calendar,
    pub ix: &'m Index<'m>,
    /// What is known up to.
    pub today: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: &'static str,
    pub name: &'static str,
    pub period: Period,
    /// Shared by every scope's row for the period.
    pub period_label: Arc<str>,
    pub scope: Scope,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_value: Option<&'static str>,
    pub unit: &'static str,
    pub polarity: crate::catalogue::Polarity,
    pub target: Option<f64>,
    pub trajectory: Option<f64>,
    pub rag: Option<Rag>,
    pub benchmarks: Option<Comparison<'static>>,
    /// How many things the measure looked at and left out.
    pub left_out: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub children: Option<Drill>,
    /// The figure cut by one of the children's characteristics, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<Vec<Group>>,
}

/// The list behind a figure.
#[derive(Debug, Clone, Serialize)]
pub struct Drill {
    pub items: Vec<Item>,
    pub left: Vec<Left>,
}

/// The statutory year a period's figures compare with: the one it ends in.
fn published_year(measure: &Measure, period: Period) -> i32 {
    let last = period.last();
    if measure.id.starts_with("WF-") {
        // The workforce census is at 30 September.
        if last.month() >= 10 {
            last.year()
        } else {
            last.year() - 1
        }
    } else if last.month() >= 4 {
        last.year() + 1
    } else {
        last.year()
    }
}

pub fn la_code(model: &Model) -> Option<u16> {
    model.council.la_code.trim().parse().ok()
}

pub fn row(
    src: &Source,
    measure: &'static Measure,
    period: Period,
    scope: Scope,
    drill: bool,
) -> Row {
    let tally = engine::evaluate(src.model, src.cal, src.ix, measure, period, src.today);
    let out = engine::outcome(src.model, measure, period, scope, tally);
    let left_out = out.left.len();
    let children = drill.then_some(Drill {
        items: out.items,
        left: out.left,
    });
    let shared = Shared {
        label: period_label(measure, period).into(),
        benchmarks: comparison(src.model, measure, period),
    };
    finish(
        src.model, measure, period, scope, out.figure, left_out, children, &shared,
    )
}

/// The published figures a measure's value in a period is set beside.
pub fn comparison(model: &Model, measure: &Measure, period: Period) -> Option<Comparison<'static>> {
    la_code(model).and_then(|la| {
        benchmarks::published().compare(&measure.id, la, published_year(measure, period))
    })
}

/// What every scope's row for one measure and period has in common, worked out once.
struct Shared {
    label: Arc<str>,
    benchmarks: Option<Comparison<'static>>,
}

#[allow(clippy::too_many_arguments)]
fn finish(
    model: &Model,
    measure: &'static Measure,
    period: Period,
    scope: Scope,
    figure: Figure,
    left_out: usize,
    children: Option<Drill>,
    shared: &Shared,
) -> Row {
    let target = model.council.targets.get(&measure.id);
    let assessed = target.map(|t| targets::assess(measure, t, period, figure.value));
    Row {
        id: &measure.id,
        name: &measure.name,
        period,
        period_label: Arc::clone(&shared.label),
        scope,
        numerator: figure.numerator,
        denominator: figure.denominator,
        value: figure.value,
        no_value: figure.no_value,
        unit: &measure.unit,
        polarity: measure.polarity,
        target: assessed.as_ref().map(|a| a.target),
        trajectory: assessed.as_ref().and_then(|a| a.trajectory),
        rag: assessed.and_then(|a| a.rag),
        benchmarks: shared.benchmarks.clone(),
        left_out,
        children,
        breakdown: None,
    }
}

/// A snapshot measure is read at the period's end; say so.
fn period_label(measure: &Measure, period: Period) -> String {
    match (measure.counting, period) {
        (Counting::AtEnd, Period::At(_)) => period.label(),
        (Counting::AtEnd, _) => format!("at {}", period.last().format("%-d %B %Y")),
        (Counting::InPeriod, Period::At(d)) => format!("12 months to {}", d.format("%-d %B %Y")),
        (Counting::InPeriod, _) => period.label(),
    }
}

/// Every measure for every period of a trend and every scope (the council, each service, each
/// team), each cut to all scopes in one pass. A measure read at each period's end visits each
/// child once for all the periods; a measure of what happened over consecutive months is
/// evaluated once over all of them and its items dealt into their months by date.
pub fn scorecard(src: &Source, measures: &[&'static Measure], periods: &[Period]) -> Vec<Row> {
    let mut rows = Vec::new();
    let months = periods.iter().all(|p| matches!(p, Period::Month { .. }))
        && periods
            .windows(2)
            .all(|w| w[0].last().succ_opt() == Some(w[1].first()));
    let (model, cal, ix, today) = (src.model, src.cal, src.ix, src.today);
    let spans: Vec<Span> = periods
        .iter()
        .map(|p| Span::new(p.first(), p.last(), today))
        .collect();
    // Passes read periods in date order; a scorecard's periods may come in any order.
    let mut order: Vec<usize> = (0..periods.len()).collect();
    order.sort_by_key(|k| (spans[*k].at, spans[*k].first));
    let ordered: Vec<Span> = order.iter().map(|k| spans[*k]).collect();
    for m in measures {
        let sums: Vec<TeamSums> = if engine::reads_each_span(m) {
            let mut tally = Tally::summing_by_slot(m, periods.len());
            engine::evaluate_spans(model, cal, ix, m, &ordered, today, &mut tally);
            let mut by_period = vec![TeamSums::default(); periods.len()];
            for (slot, sums) in tally.into_sums().into_iter().enumerate() {
                by_period[order[slot]] = sums;
            }
            by_period
        } else if months && m.counting == Counting::InPeriod && !periods.is_empty() {
            let (first, last) = (periods[0].first(), periods[periods.len() - 1].last());
            let mut tally = Tally::summing_by_date(m, periods.iter().map(Period::last).collect());
            engine::evaluate_into(model, cal, ix, m, first, last, today, &mut tally);
            tally.into_sums()
        } else {
            periods
                .iter()
                .map(|p| {
                    let mut tally = Tally::summing_by_slot(m, 1);
                    engine::evaluate_into(
                        model,
                        cal,
                        ix,
                        m,
                        p.first(),
                        p.last(),
                        today,
                        &mut tally,
                    );
                    tally.into_sums().pop().unwrap_or_default()
                })
                .collect()
        };
        for (p, team_sums) in periods.iter().zip(sums) {
            push_rows(src, &mut rows, m, *p, team_sums.scopes(model, m));
        }
    }
    rows
}

fn push_rows(
    src: &Source,
    rows: &mut Vec<Row>,
    m: &'static Measure,
    p: Period,
    sums: FxHashMap<Scope, Sums>,
) {
    let mut scopes: Vec<_> = sums.into_iter().collect();
    scopes.sort_by_key(|(s, _)| *s);
    if !scopes.iter().any(|(s, _)| *s == Scope::Council) {
        scopes.insert(0, (Scope::Council, Sums::default()));
    }
    let shared = Shared {
        label: period_label(m, p).into(),
        benchmarks: comparison(src.model, m, p),
    };
    for (scope, s) in scopes {
        let figure = engine::figure(src.model, m, p, scope == Scope::Council, &s);
        rows.push(finish(src.model, m, p, scope, figure, 0, None, &shared));
    }
}

/// Ways to cut a measure's items by who the children are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    AgeBand,
    Sex,
    Ethnicity,
    Disability,
    Area,
}

impl std::str::FromStr for Dimension {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "age" | "age_band" => Dimension::AgeBand,
            "sex" => Dimension::Sex,
            "ethnicity" => Dimension::Ethnicity,
            "disability" => Dimension::Disability,
            "area" => Dimension::Area,
            other => {
                return Err(format!(
                    "`{other}` is not a breakdown: use age, sex, ethnicity, disability or area"
                ));
            }
        })
    }
}

/// The DfE's age bands, at the item's date, with their place in order.
fn age_band(age: Option<i32>) -> (u8, &'static str) {
    match age {
        Some(a) if a < 1 => (0, "Under 1"),
        Some(1..=4) => (1, "1 to 4"),
        Some(5..=9) => (2, "5 to 9"),
        Some(10..=15) => (3, "10 to 15"),
        Some(_) => (4, "16 and over"),
        None => (5, "Age not known"),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub group: String,
    pub numerator: f64,
    pub denominator: f64,
    pub value: Option<f64>,
}

/// A measure's items grouped by one of the children's characteristics.
pub fn breakdown(
    model: &Model,
    measure: &Measure,
    period: Period,
    items: &[Item],
    by: Dimension,
) -> Vec<Group> {
    // Groups in order: age bands youngest first, the rest alphabetically.
    let mut groups: BTreeMap<(u8, String), Sums> = BTreeMap::new();
    for i in items {
        let Subject::Child(id) = i.subject else {
            continue;
        };
        let Some(c) = model.children.get(&id) else {
            continue;
        };
        let key = match by {
            Dimension::AgeBand => {
                let (rank, band) = age_band(age_on(c, i.date));
                (rank, band.to_string())
            }
            Dimension::Sex => (0, c.details.sex.label().to_string()),
            Dimension::Ethnicity => (0, c.details.ethnicity.0.clone()),
            Dimension::Disability if c.details.disabilities.is_empty() => {
                (0, "No disability recorded".to_string())
            }
            Dimension::Disability => (0, "Disabled".to_string()),
            Dimension::Area => (
                0,
                c.details
                    .area
                    .clone()
                    .unwrap_or_else(|| "Area not known".into()),
            ),
        };
        groups.entry(key).or_default().add(i, true);
    }
    groups
        .into_iter()
        .map(|((_, group), s)| {
            // A group of children has no population estimate of its own.
            let f = engine::figure(model, measure, period, false, &s);
            Group {
                group,
                numerator: s.num,
                denominator: s.den,
                value: f.value,
            }
        })
        .collect()
}
