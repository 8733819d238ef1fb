//! Data quality while staff record: the collection year's SSDA903 and CIN census built from the
//! live records and run through every DfE rule, each failure traced back to the child and to the
//! worker and team who hold the case, so it can be put right before the collection.

use crate::cin::{self, CinYear};
use crate::ssda903::{self, Metadata, Return, Year};
use chrono::{Datelike, NaiveDate};
use domain::ids::{ChildId, TeamId, WorkerId};
use domain::model::Model;
use std::collections::{BTreeMap, HashMap};

/// Which return a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReturnKind {
    Ssda903,
    Cin,
}

impl ReturnKind {
    pub fn label(self) -> &'static str {
        match self {
            ReturnKind::Ssda903 => "SSDA903",
            ReturnKind::Cin => "CIN census",
        }
    }
}

/// One failing rule for one child (a rule failing on several of a child's rows is one issue).
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub kind: ReturnKind,
    pub code: String,
    /// A query asks for a check or an explanation; an error must be put right.
    pub query: bool,
    pub message: String,
    pub tables: Vec<String>,
    pub fields: Vec<String>,
    /// The child, when the rule is about one child's rows.
    pub child: Option<ChildId>,
    pub la_child_id: Option<String>,
    /// Who holds the case on the day the check runs.
    pub worker: Option<WorkerId>,
    pub team: Option<TeamId>,
}

impl Issue {
    /// The name of the worker holding the case, or that nobody does.
    pub fn worker_name(&self, model: &Model) -> String {
        self.worker
            .and_then(|w| model.workers.get(&w))
            .map_or_else(|| "Not allocated".to_owned(), |w| w.name.clone())
    }

    /// The name of the team holding the case, or that no team does.
    pub fn team_name(&self, model: &Model) -> String {
        self.team
            .and_then(|t| model.teams.get(&t))
            .map_or_else(|| "No team".to_owned(), |t| t.name.clone())
    }
}

/// The data quality of the records for the collection year that includes `on`.
#[derive(Debug, Clone)]
pub struct Report {
    pub on: NaiveDate,
    /// 2025 for 2025/26.
    pub first_year: i32,
    pub issues: Vec<Issue>,
}

impl Report {
    /// The collection year as people write it, `2025/26`.
    pub fn year_label(&self) -> String {
        Year::label(self.first_year)
    }

    /// Each rule that fails, with how many children it fails for, most first.
    pub fn by_rule(&self) -> Vec<(&Issue, usize)> {
        let mut counts: BTreeMap<(ReturnKind, &str), (&Issue, usize)> = BTreeMap::new();
        for i in &self.issues {
            counts.entry((i.kind, &i.code)).or_insert((i, 0)).1 += 1;
        }
        let mut out: Vec<(&Issue, usize)> = counts.into_values().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.code.cmp(&b.0.code)));
        out
    }

    pub fn errors(&self) -> usize {
        self.issues.iter().filter(|i| !i.query).count()
    }
}

/// The collection year (its first calendar year) that includes `on`.
pub fn collection_year_of(on: NaiveDate) -> i32 {
    if on.month() >= 4 {
        on.year()
    } else {
        on.year() - 1
    }
}

/// Builds both returns for the collection year that includes `on`, from the records as they
/// stand, and runs every rule of that year's set (or the nearest published set).
pub fn check(model: &Model, on: NaiveDate) -> Report {
    let first_year = collection_year_of(on);
    let by_la_id: HashMap<&str, ChildId> = model
        .children
        .values()
        .map(|c| (c.details.la_child_id.as_str(), c.id()))
        .collect();
    let holder = |child: Option<ChildId>| {
        let a = child
            .and_then(|id| model.child(id))
            .and_then(|c| c.current_allocation());
        (a.map(|a| a.worker), a.map(|a| a.team))
    };
    let mut issues = Vec::new();

    // SSDA903, with last year's return for the rules that compare the two.
    let rules_year = Year::nearest(first_year);
    let current = ssda903::export::tables(model, first_year);
    let last = ssda903::export::tables(model, first_year - 1);
    let mut meta = Metadata::for_first_year(first_year);
    meta.la_code = Some(model.council.la_code.clone()).filter(|c| !c.is_empty());
    let r = Return::new(meta, current, last);
    let mut seen: HashMap<(ReturnKind, String, Option<String>), usize> = HashMap::new();
    let mut add = |issue: Issue, issues: &mut Vec<Issue>| {
        let key = (issue.kind, issue.code.clone(), issue.la_child_id.clone());
        match seen.get(&key) {
            Some(&at) => {
                let existing: &mut Issue = &mut issues[at];
                for t in issue.tables {
                    if !existing.tables.contains(&t) {
                        existing.tables.push(t);
                    }
                }
                for f in issue.fields {
                    if !existing.fields.contains(&f) {
                        existing.fields.push(f);
                    }
                }
            }
            None => {
                seen.insert(key, issues.len());
                issues.push(issue);
            }
        }
    };
    for f in ssda903::validate(&r, rules_year) {
        let child = f
            .child_id
            .as_deref()
            .and_then(|id| by_la_id.get(id).copied());
        let (worker, team) = holder(child);
        add(
            Issue {
                kind: ReturnKind::Ssda903,
                code: f.code.to_owned(),
                query: f.kind == ssda903::Kind::Query,
                message: f.message.to_owned(),
                tables: vec![f.table.key().to_owned()],
                fields: f.affected_fields.to_vec(),
                child,
                la_child_id: f.child_id.clone(),
                worker,
                team,
            },
            &mut issues,
        );
    }

    // The CIN census.
    let cin_year = CinYear::nearest(first_year);
    let census = cin::export::census(model, cin_year, &model.council.la_code);
    for f in cin::validate(&census, cin_year) {
        let child = f.child.as_deref().and_then(|id| by_la_id.get(id).copied());
        let (worker, team) = holder(child);
        add(
            Issue {
                kind: ReturnKind::Cin,
                code: f.code.to_owned(),
                query: f.kind == cin::RuleKind::Query,
                message: f.message.to_owned(),
                tables: vec![f.table.name().to_owned()],
                fields: f.fields.iter().map(|s| s.to_string()).collect(),
                child,
                la_child_id: f.child.clone(),
                worker,
                team,
            },
            &mut issues,
        );
    }
    Report {
        on,
        first_year,
        issues,
    }
}
