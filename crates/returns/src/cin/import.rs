//! A CIN census made into Hearth records: each child's rows become the events that would have
//! recorded them, in the order they happened.
//!
//! Record ids are numbered from 1 in each child's stream. The census leaves some things out, and
//! the import fills them the same way each time:
//!
//! - every assessment is a new one;
//! - a section 47 enquiry is completed on the day of its initial conference, or on the day it
//!   began when no conference was required (continuing as a child in need when a CIN plan of the
//!   episode starts after it, else with no further action);
//! - an initial conference given for the episode rather than an enquiry follows the episode's last
//!   enquiry still waiting for one, or else an enquiry begun on the day of the conference, the
//!   census giving no earlier date;
//! - a plan starting on the day of an initial conference of its episode follows from it;
//! - a latest category of abuse that differs from the first changed at the plan's last review in
//!   the year, or, when it had none, at a review on the eve of the year.
//!
//! A value that cannot be read or held is a [`Problem`] naming the file, the table's row (0-based,
//! as findings count) and the field, its message beginning with the table. Hearth cannot hold
//! some of what a census may say: no further action on a referral still open, a conference's
//! target date for an enquiry neither completed nor found not to need one, or an internal review
//! or factors for an assessment not authorised. Every problem is reported, and then no child is
//! imported.

use super::codes::{
    ASSESSMENT_FACTORS, DISABILITY, ETHNICITY, REASON_FOR_CLOSURE, REFERRAL_SOURCE, UPN_UNKNOWN,
};
use super::tables::{Census, TableName, parse_date, parse_flag, parse_int};
use crate::history::{ChildHistory, Problem};
use chrono::{Months, NaiveDate};
use domain::codes::{
    AbuseCategory, AssessmentKind, Code, ConferenceKind, PrimaryNeed, S47Outcome, Sex,
};
use domain::events::*;
use domain::ids::RecordId;
use std::collections::HashMap;

/// Each child's history from the census, in the order of its ChildIdentifiers table; `file`
/// names the census in problems.
pub fn histories(census: &Census, file: &str) -> Result<Vec<ChildHistory>, Vec<Problem>> {
    let mut reader = Reader {
        census,
        file,
        problems: Vec::new(),
    };
    let children = reader.group_by_child();
    let histories: Vec<ChildHistory> = children
        .iter()
        .filter_map(|rows| reader.child(rows))
        .collect();
    if reader.problems.is_empty() {
        Ok(histories)
    } else {
        Err(reader.problems)
    }
}

use TableName::*;

/// The tables whose rows belong to one CIN episode.
const EPISODE_TABLES: [TableName; 4] = [Assessments, CINplanDates, Section47, ChildProtectionPlans];

/// Rows of one table, each in its table.
type Rows = HashMap<TableName, Vec<usize>>;

fn rows_of(rows: &Rows, table: TableName) -> &[usize] {
    rows.get(&table).map_or(&[], Vec::as_slice)
}

/// One child's rows: its ChildIdentifiers row, and its rows of each other table in order.
struct ChildRows<'a> {
    la_child_id: &'a str,
    row: usize,
    rows: Rows,
}

/// One CIN episode: its CINdetails row, its referral, and its rows of the episode's tables.
struct Episode<'a> {
    cin_id: &'a str,
    row: usize,
    referral: RecordId,
    date: Option<NaiveDate>,
    rows: Rows,
}

impl Episode<'_> {
    /// A date to put an event of the episode in order by: never before the referral, so that the
    /// model, finding the referral first, can say what is dated too early.
    fn in_order(&self, date: NaiveDate) -> NaiveDate {
        self.date.map_or(date, |r| date.max(r))
    }
}

/// Rows of AssessmentFactorsList or Reviews by episode and assessment or plan; each group is
/// taken by its assessment or plan, and any left over belong to none.
type Keyed<'a> = HashMap<(&'a str, &'a str), Vec<usize>>;

/// Reads cells, collecting a problem for each that cannot be read.
struct Reader<'a> {
    census: &'a Census,
    file: &'a str,
    problems: Vec<Problem>,
}

/// An event waiting its turn: sorted by date, then by `rank` so that what a record needs comes
/// first on the same day, then in the order made.
struct Pending {
    date: NaiveDate,
    rank: u8,
    body: EventBody,
    table: TableName,
    row: usize,
}

/// Ranks for events on the same day.
const REFERRAL: u8 = 0;
const STARTED: u8 = 1;
const COMPLETED: u8 = 2;
const CONFERENCE: u8 = 3;
const PLAN_ENDED: u8 = 4;
const PLAN_STARTED: u8 = 5;
const PLAN_REVIEWED: u8 = 6;
const PLAN_ENDED_SAME_DAY: u8 = 7;
const CLOSED: u8 = 9;

/// A plan's end on the day it started comes after its start; otherwise before the day's new
/// plans, so that a plan ending makes way for the next.
fn plan_end_rank(start: NaiveDate, end: NaiveDate) -> u8 {
    if end == start {
        PLAN_ENDED_SAME_DAY
    } else {
        PLAN_ENDED
    }
}

/// One child's events as they are made, before they are put in order, and its record ids.
#[derive(Default)]
struct Made {
    pending: Vec<Pending>,
    last_id: u32,
}

impl Made {
    fn new_id(&mut self) -> RecordId {
        self.last_id += 1;
        RecordId(self.last_id)
    }

    fn push(
        &mut self,
        date: NaiveDate,
        rank: u8,
        body: impl Into<EventBody>,
        (table, row): (TableName, usize),
    ) {
        self.pending.push(Pending {
            date,
            rank,
            body: body.into(),
            table,
            row,
        });
    }
}

/// A section 47 enquiry as read, before its conference is settled.
struct Enquiry {
    /// Where it comes from: its Section47 row, or the CINdetails row of a conference that
    /// needed one.
    source: (TableName, usize),
    id: RecordId,
    start: NaiveDate,
    target: Option<NaiveDate>,
    conference: Option<NaiveDate>,
    not_required: bool,
}

/// A protection plan as read, before its count of earlier plans is settled.
struct Plan {
    row: usize,
    referral: RecordId,
    referral_date: Option<NaiveDate>,
    start: NaiveDate,
    end: Option<NaiveDate>,
    initial: AbuseCategory,
    latest: AbuseCategory,
    previous: Option<u32>,
    conference: Option<RecordId>,
    /// Review dates with their Reviews rows.
    reviews: Vec<(NaiveDate, usize)>,
}

impl Plan {
    /// As [`Episode::in_order`].
    fn in_order(&self, date: NaiveDate) -> NaiveDate {
        self.referral_date.map_or(date, |r| date.max(r))
    }
}

impl<'a> Reader<'a> {
    fn problem(&mut self, table: TableName, row: usize, field: &str, message: String) {
        let row = self.census.table(table).id(row) as usize;
        self.problems.push(Problem::at(
            self.file,
            row,
            field,
            format!("{table}: {message}"),
        ));
    }

    fn text(&self, table: TableName, row: usize, field: &str) -> Option<&'a str> {
        self.census.table(table).col(field).str(row)
    }

    fn date(&mut self, table: TableName, row: usize, field: &str) -> Option<NaiveDate> {
        let text = self.text(table, row, field)?;
        let date = parse_date(text);
        if date.is_none() {
            self.problem(table, row, field, format!("'{text}' is not a date"));
        }
        date
    }

    fn required_date(&mut self, table: TableName, row: usize, field: &str) -> Option<NaiveDate> {
        if self.text(table, row, field).is_none() {
            self.problem(table, row, field, "the date is missing".into());
            return None;
        }
        self.date(table, row, field)
    }

    /// A yes/no flag; missing reads as no.
    fn flag(&mut self, table: TableName, row: usize, field: &str) -> bool {
        let Some(text) = self.text(table, row, field) else {
            return false;
        };
        parse_flag(text).unwrap_or_else(|| {
            self.problem(table, row, field, format!("'{text}' is not true or false"));
            false
        })
    }

    fn code(&mut self, table: TableName, row: usize, field: &str, list: &[&str]) -> Option<Code> {
        let text = self.text(table, row, field)?;
        if list.contains(&text) {
            Some(Code::from(text))
        } else {
            self.problem(table, row, field, format!("'{text}' is not a census code"));
            None
        }
    }

    fn required_code(
        &mut self,
        table: TableName,
        row: usize,
        field: &str,
        list: &[&str],
    ) -> Option<Code> {
        if self.text(table, row, field).is_none() {
            self.problem(table, row, field, "the code is missing".into());
        }
        self.code(table, row, field, list)
    }

    fn enum_code<T>(
        &mut self,
        table: TableName,
        row: usize,
        field: &str,
        from_code: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let text = self.text(table, row, field)?;
        let value = from_code(text);
        if value.is_none() {
            self.problem(table, row, field, format!("'{text}' is not a census code"));
        }
        value
    }

    fn reference_date(&self) -> Option<NaiveDate> {
        let header = self.census.table(Header);
        header
            .rows()
            .find_map(|r| header.col("ReferenceDate").date(r))
    }

    /// Each child of ChildIdentifiers with its rows in the other tables; a row for a child the
    /// identifiers do not list, or a child listed twice, is a problem.
    fn group_by_child(&mut self) -> Vec<ChildRows<'a>> {
        let mut children: Vec<ChildRows<'a>> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for row in self.census.table(ChildIdentifiers).rows() {
            let Some(la_child_id) = self.text(ChildIdentifiers, row, "LAchildID") else {
                self.problem(
                    ChildIdentifiers,
                    row,
                    "LAchildID",
                    "the child's identifier is missing".into(),
                );
                continue;
            };
            if index.contains_key(la_child_id) {
                self.problem(
                    ChildIdentifiers,
                    row,
                    "LAchildID",
                    format!("child {la_child_id} is listed twice"),
                );
                continue;
            }
            index.insert(la_child_id, children.len());
            children.push(ChildRows {
                la_child_id,
                row,
                rows: Rows::new(),
            });
        }
        // Every table that hangs off a child, besides ChildIdentifiers.
        for table in TableName::ALL
            .into_iter()
            .filter(|t| !matches!(t, Header | ChildIdentifiers))
        {
            for row in self.census.table(table).rows() {
                let id = self.text(table, row, "LAchildID");
                match id.and_then(|id| index.get(id)) {
                    Some(&i) => children[i].rows.entry(table).or_default().push(row),
                    None => self.problem(
                        table,
                        row,
                        "LAchildID",
                        format!(
                            "child {} is not in ChildIdentifiers",
                            id.unwrap_or("(no identifier)")
                        ),
                    ),
                }
            }
        }
        children
    }

    /// The child's CIN episodes with their rows; a row for an episode the child does not have is
    /// a problem.
    fn episodes(&mut self, child: &ChildRows<'a>) -> Vec<Episode<'a>> {
        let mut episodes: Vec<Episode<'a>> = Vec::new();
        for &row in rows_of(&child.rows, CINdetails) {
            match self.text(CINdetails, row, "CINdetailsID") {
                Some(cin_id) if !episodes.iter().any(|e| e.cin_id == cin_id) => {
                    episodes.push(Episode {
                        cin_id,
                        row,
                        referral: RecordId(0),
                        date: None,
                        rows: Rows::new(),
                    })
                }
                Some(cin_id) => self.problem(
                    CINdetails,
                    row,
                    "CINdetailsID",
                    format!(
                        "episode {cin_id} of child {} is listed twice",
                        child.la_child_id
                    ),
                ),
                None => self.problem(
                    CINdetails,
                    row,
                    "CINdetailsID",
                    "the episode's identifier is missing".into(),
                ),
            }
        }
        for table in EPISODE_TABLES {
            for &row in rows_of(&child.rows, table) {
                let cin_id = self.text(table, row, "CINdetailsID");
                match episodes.iter_mut().find(|e| Some(e.cin_id) == cin_id) {
                    Some(e) => e.rows.entry(table).or_default().push(row),
                    None => self.problem(
                        table,
                        row,
                        "CINdetailsID",
                        format!(
                            "child {} has no CIN episode {}",
                            child.la_child_id,
                            cin_id.unwrap_or("(none)")
                        ),
                    ),
                }
            }
        }
        episodes
    }

    /// The child's rows of `table` by episode and the id in `field`.
    fn keyed(&self, child: &ChildRows<'a>, table: TableName, field: &str) -> Keyed<'a> {
        let mut keyed = Keyed::new();
        for &row in rows_of(&child.rows, table) {
            let key = (
                self.text(table, row, "CINdetailsID").unwrap_or(""),
                self.text(table, row, field).unwrap_or(""),
            );
            keyed.entry(key).or_default().push(row);
        }
        keyed
    }

    /// Rows left in `keyed` belong to no assessment or plan of the child.
    fn unclaimed(&mut self, keyed: Keyed<'a>, table: TableName, field: &str, what: &str) {
        let mut left: Vec<(usize, &str, &str)> = keyed
            .into_iter()
            .flat_map(|((cin, id), rows)| rows.into_iter().map(move |r| (r, cin, id)))
            .collect();
        left.sort();
        for (row, cin, id) in left {
            self.problem(
                table,
                row,
                field,
                format!("episode {cin} has no {what} {id}"),
            );
        }
    }

    /// The child's history, or `None` when a problem stops it (the problems are kept).
    fn child(&mut self, child: &ChildRows<'a>) -> Option<ChildHistory> {
        let before = self.problems.len();
        let details = self.details(child);
        let mut made = Made::default();
        let mut episodes = self.episodes(child);
        let mut factors = self.keyed(child, AssessmentFactorsList, "AssessmentID");
        let mut reviews = self.keyed(child, Reviews, "CPPID");
        let mut plans: Vec<Plan> = Vec::new();
        for episode in &mut episodes {
            episode.referral = made.new_id();
            self.referral(&mut made, episode);
            self.assessments(&mut made, episode, &mut factors);
            self.cin_plans(&mut made, episode);
            let conferences = self.enquiries(&mut made, episode);
            self.read_plans(episode, &conferences, &mut reviews, &mut plans);
        }
        self.unclaimed(factors, AssessmentFactorsList, "AssessmentID", "assessment");
        self.unclaimed(reviews, Reviews, "CPPID", "child protection plan");
        self.protection_plans(&mut made, plans);

        let details = details?;
        if self.problems.len() > before {
            return None;
        }
        let mut pending = made.pending;
        let registered = pending
            .iter()
            .map(|p| p.date)
            .min()
            .or(details.date_of_birth)
            .or(details.expected_date_of_birth)
            .or_else(|| self.reference_date());
        let Some(registered) = registered else {
            self.problem(
                ChildIdentifiers,
                child.row,
                "LAchildID",
                format!(
                    "child {} has no date to be registered on: no episode, birth date or \
                     reference date",
                    child.la_child_id
                ),
            );
            return None;
        };
        // A stable sort keeps the order made for events of one day and rank.
        pending.sort_by_key(|p| (p.date, p.rank));
        let mut history = ChildHistory::new(child.la_child_id);
        history.push(
            ChildRegistered {
                details,
                at: registered,
            },
            self.file,
            self.census.table(ChildIdentifiers).id(child.row) as usize,
        );
        for p in pending {
            let row = self.census.table(p.table).id(p.row) as usize;
            history.push(p.body, self.file, row);
        }
        Some(history)
    }

    /// The referral that opened the episode, and its closure.
    fn referral(&mut self, made: &mut Made, episode: &mut Episode<'a>) {
        let row = episode.row;
        let source = (CINdetails, row);
        let date = self.required_date(CINdetails, row, "CINreferralDate");
        episode.date = date;
        let referral_source =
            self.required_code(CINdetails, row, "ReferralSource", REFERRAL_SOURCE);
        let need = self.enum_code(CINdetails, row, "PrimaryNeedCode", PrimaryNeed::from_code);
        let closed = self.date(CINdetails, row, "CINclosureDate");
        let reason = self.code(CINdetails, row, "ReasonForClosure", REASON_FOR_CLOSURE);
        let nfa = self.flag(CINdetails, row, "ReferralNFA");
        if let (Some(at), Some(referral_source)) = (date, referral_source) {
            let body = ReferralReceived {
                referral: episode.referral,
                at,
                source: referral_source,
                primary_need: need,
                from_contact: None,
            };
            made.push(at, REFERRAL, body, source);
        }
        let has = |s: &Self, field| s.text(CINdetails, row, field).is_some();
        match (closed, reason) {
            (Some(at), Some(reason)) => {
                let body = CaseClosed {
                    referral: episode.referral,
                    referral_nfa: nfa,
                    reason,
                    at,
                };
                made.push(episode.in_order(at), CLOSED, body, source);
            }
            (Some(_), None) if !has(self, "ReasonForClosure") => self.problem(
                CINdetails,
                row,
                "ReasonForClosure",
                "a closed episode needs its reason for closure".into(),
            ),
            (None, Some(_)) if !has(self, "CINclosureDate") => self.problem(
                CINdetails,
                row,
                "CINclosureDate",
                "a reason for closure needs the date the episode closed".into(),
            ),
            _ => {}
        }
        if nfa && !has(self, "CINclosureDate") {
            self.problem(
                CINdetails,
                row,
                "ReferralNFA",
                "no further action is recorded when the referral is closed, and this episode has \
                 no closure date"
                    .into(),
            );
        }
    }

    fn assessments(&mut self, made: &mut Made, episode: &Episode<'a>, factors: &mut Keyed<'a>) {
        for &row in rows_of(&episode.rows, Assessments) {
            let assessment = made.new_id();
            let source = (Assessments, row);
            let start = self.required_date(Assessments, row, "AssessmentActualStartDate");
            let review = self.date(Assessments, row, "AssessmentInternalReviewDate");
            let authorised = self.date(Assessments, row, "AssessmentAuthorisationDate");
            let codes = self.factors(factors, episode.cin_id, row);
            if let Some(at) = start {
                let body = AssessmentStarted {
                    assessment,
                    referral: episode.referral,
                    kind: AssessmentKind::New,
                    at,
                };
                made.push(episode.in_order(at), STARTED, body, source);
            }
            if let Some(at) = authorised {
                let body = AssessmentAuthorised {
                    assessment,
                    internal_review: review,
                    at,
                    factors: codes,
                };
                made.push(episode.in_order(at), COMPLETED, body, source);
            } else if self
                .text(Assessments, row, "AssessmentAuthorisationDate")
                .is_none()
            {
                if review.is_some() {
                    self.problem(
                        Assessments,
                        row,
                        "AssessmentInternalReviewDate",
                        "an internal review is recorded when the assessment is authorised, and \
                         this one has no authorisation date"
                            .into(),
                    );
                }
                if !codes.is_empty() {
                    self.problem(
                        Assessments,
                        row,
                        "AssessmentFactors",
                        "factors are recorded when the assessment is authorised, and this one \
                         has no authorisation date"
                            .into(),
                    );
                }
            }
        }
    }

    /// An assessment's factors: its rows of AssessmentFactorsList, or else its
    /// AssessmentFactors cell, comma-separated.
    fn factors(&mut self, list: &mut Keyed<'a>, cin_id: &'a str, row: usize) -> Vec<Code> {
        let id = self.text(Assessments, row, "AssessmentID").unwrap_or("");
        let mut codes = Vec::new();
        if let Some(rows) = list.remove(&(cin_id, id)) {
            for r in rows {
                let found = self.code(
                    AssessmentFactorsList,
                    r,
                    "AssessmentFactor",
                    ASSESSMENT_FACTORS,
                );
                codes.extend(found);
            }
            return codes;
        }
        let cell = self
            .text(Assessments, row, "AssessmentFactors")
            .unwrap_or("");
        for text in cell.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            if ASSESSMENT_FACTORS.contains(&text) {
                codes.push(Code::from(text));
            } else {
                self.problem(
                    Assessments,
                    row,
                    "AssessmentFactors",
                    format!("'{text}' is not a census code"),
                );
            }
        }
        codes
    }

    fn cin_plans(&mut self, made: &mut Made, episode: &Episode<'a>) {
        for &row in rows_of(&episode.rows, CINplanDates) {
            let plan = made.new_id();
            let source = (CINplanDates, row);
            let start = self.required_date(CINplanDates, row, "CINPlanStartDate");
            let end = self.date(CINplanDates, row, "CINPlanEndDate");
            let Some(start) = start else { continue };
            let body = CinPlanStarted {
                plan,
                referral: episode.referral,
                at: start,
            };
            made.push(episode.in_order(start), PLAN_STARTED, body, source);
            if let Some(end) = end {
                let body = CinPlanEnded { plan, at: end };
                made.push(
                    episode.in_order(end),
                    plan_end_rank(start, end),
                    body,
                    source,
                );
            }
        }
    }

    /// The episode's section 47 enquiries, their completion and initial conferences; returns
    /// each conference's date and id.
    fn enquiries(&mut self, made: &mut Made, episode: &Episode<'a>) -> Vec<(NaiveDate, RecordId)> {
        let mut enquiries: Vec<Enquiry> = Vec::new();
        for &row in rows_of(&episode.rows, Section47) {
            let id = made.new_id();
            let start = self.required_date(Section47, row, "S47ActualStartDate");
            let target = self.date(Section47, row, "InitialCPCtarget");
            let conference = self.date(Section47, row, "DateOfInitialCPC");
            let not_required = self.flag(Section47, row, "ICPCnotRequired");
            if let Some(start) = start {
                enquiries.push(Enquiry {
                    source: (Section47, row),
                    id,
                    start,
                    target,
                    conference,
                    not_required,
                });
            }
        }
        let episode_conference = self.date(CINdetails, episode.row, "DateOfInitialCPC");
        if let Some(date) = episode_conference
            && !enquiries.iter().any(|s| s.conference == Some(date))
        {
            // Hearth holds an initial conference with the enquiry it followed.
            match enquiries
                .iter_mut()
                .rfind(|s| s.conference.is_none() && !s.not_required && s.start <= date)
            {
                Some(s) => s.conference = Some(date),
                None => enquiries.push(Enquiry {
                    source: (CINdetails, episode.row),
                    id: made.new_id(),
                    start: date,
                    target: None,
                    conference: Some(date),
                    not_required: false,
                }),
            }
        }

        let dates_of = |s: &Self, table, field| -> Vec<NaiveDate> {
            rows_of(&episode.rows, table)
                .iter()
                .filter_map(|&r| s.text(table, r, field).and_then(parse_date))
                .collect()
        };
        let plan_starts = dates_of(self, ChildProtectionPlans, "CPPstartDate");
        let cin_plan_starts = dates_of(self, CINplanDates, "CINPlanStartDate");
        let mut conferences = Vec::new();
        for s in enquiries {
            let body = Section47Started {
                enquiry: s.id,
                referral: episode.referral,
                strategy: None,
                at: s.start,
            };
            made.push(episode.in_order(s.start), STARTED, body, s.source);
            let (outcome, at) = match s.conference {
                Some(date) => (S47Outcome::Conference, date),
                None if s.not_required => {
                    let outcome = if cin_plan_starts.iter().any(|&d| d >= s.start) {
                        S47Outcome::ChildInNeed
                    } else {
                        S47Outcome::NoFurtherAction
                    };
                    (outcome, s.start)
                }
                None => {
                    if s.target.is_some() {
                        let (table, row) = s.source;
                        self.problem(
                            table,
                            row,
                            "InitialCPCtarget",
                            "a conference's target date is recorded when the enquiry is \
                             completed, and this one is neither completed by a conference nor \
                             marked as not needing one"
                                .into(),
                        );
                    }
                    continue;
                }
            };
            let body = Section47Completed {
                enquiry: s.id,
                outcome,
                conference_target: s.target,
                conference_not_required: s.conference.is_none(),
                at,
            };
            made.push(episode.in_order(at), COMPLETED, body, s.source);
            if let Some(date) = s.conference {
                let conference = made.new_id();
                conferences.push((date, conference));
                let body = ConferenceHeld {
                    conference,
                    kind: ConferenceKind::Initial,
                    enquiry: Some(s.id),
                    plan_needed: plan_starts.contains(&date),
                    agencies_present: Vec::new(),
                    at: date,
                };
                made.push(episode.in_order(date), CONFERENCE, body, s.source);
            }
        }
        conferences
    }

    /// The episode's protection plans as read, each with its reviews and the conference it
    /// followed; their events come once every episode's plans are known.
    fn read_plans(
        &mut self,
        episode: &Episode<'a>,
        conferences: &[(NaiveDate, RecordId)],
        reviews: &mut Keyed<'a>,
        plans: &mut Vec<Plan>,
    ) {
        for &row in rows_of(&episode.rows, ChildProtectionPlans) {
            let start = self.required_date(ChildProtectionPlans, row, "CPPstartDate");
            let end = self.date(ChildProtectionPlans, row, "CPPendDate");
            let initial = self.category(row, "InitialCategoryOfAbuse");
            let latest = self.category(row, "LatestCategoryOfAbuse");
            let previous = self.text(ChildProtectionPlans, row, "NumberOfPreviousCPP");
            let previous = previous.and_then(|text| {
                let n = parse_int(text).and_then(|n| u32::try_from(n).ok());
                if n.is_none() {
                    self.problem(
                        ChildProtectionPlans,
                        row,
                        "NumberOfPreviousCPP",
                        format!("'{text}' is not a number of plans"),
                    );
                }
                n
            });
            let id = self.text(ChildProtectionPlans, row, "CPPID").unwrap_or("");
            let mut dates = Vec::new();
            for r in reviews.remove(&(episode.cin_id, id)).unwrap_or_default() {
                if let Some(d) = self.required_date(Reviews, r, "CPPreviewDate") {
                    dates.push((d, r));
                }
            }
            let (Some(start), Some(initial), Some(latest)) = (start, initial, latest) else {
                continue;
            };
            plans.push(Plan {
                row,
                referral: episode.referral,
                referral_date: episode.date,
                start,
                end,
                initial,
                latest,
                previous,
                conference: conferences
                    .iter()
                    .find(|(d, _)| *d == start)
                    .map(|(_, c)| *c),
                reviews: dates,
            });
        }
    }

    fn category(&mut self, row: usize, field: &str) -> Option<AbuseCategory> {
        if self.text(ChildProtectionPlans, row, field).is_none() {
            self.problem(
                ChildProtectionPlans,
                row,
                field,
                "the category of abuse is missing".into(),
            );
            return None;
        }
        self.enum_code(ChildProtectionPlans, row, field, AbuseCategory::from_code)
    }

    /// The child's protection plans in the order they started, each counting the plans before it
    /// unless the census says otherwise.
    fn protection_plans(&mut self, made: &mut Made, mut plans: Vec<Plan>) {
        plans.sort_by_key(|p| p.start);
        let year_before = self
            .reference_date()
            .and_then(|d| d.checked_sub_months(Months::new(12)));
        let mut counted = 0;
        for plan in plans {
            let id = made.new_id();
            let source = (ChildProtectionPlans, plan.row);
            let previous = plan.previous.unwrap_or(counted);
            let body = CpPlanStarted {
                plan: id,
                referral: plan.referral,
                category: plan.initial,
                previous_plans: (previous != counted).then_some(previous),
                conference: plan.conference,
                at: plan.start,
            };
            made.push(plan.in_order(plan.start), PLAN_STARTED, body, source);
            counted = previous + 1;

            let last_review = plan.reviews.iter().map(|(d, _)| *d).max();
            let changed = plan.latest != plan.initial;
            if changed && last_review.is_none() {
                // The category changed at a review before the census year: recorded on the
                // year's eve, the latest it can have been.
                match year_before.filter(|&d| d >= plan.start) {
                    Some(at) => {
                        let body = CpPlanReviewed {
                            plan: id,
                            at,
                            category: Some(plan.latest),
                        };
                        made.push(plan.in_order(at), PLAN_REVIEWED, body, source);
                    }
                    None => self.problem(
                        ChildProtectionPlans,
                        plan.row,
                        "LatestCategoryOfAbuse",
                        "a plan's category changes at a review, and this plan has none before or \
                         in the census year"
                            .into(),
                    ),
                }
            }
            for &(at, row) in &plan.reviews {
                let category = (changed && Some(at) == last_review).then_some(plan.latest);
                let body = CpPlanReviewed {
                    plan: id,
                    at,
                    category,
                };
                made.push(plan.in_order(at), PLAN_REVIEWED, body, (Reviews, row));
            }
            if let Some(end) = plan.end {
                let body = CpPlanEnded {
                    plan: id,
                    at: end,
                    reason: String::new(),
                };
                made.push(
                    plan.in_order(end),
                    plan_end_rank(plan.start, end),
                    body,
                    source,
                );
            }
        }
    }

    /// Who the child is, from ChildIdentifiers, ChildCharacteristics and Disabilities.
    fn details(&mut self, child: &ChildRows<'a>) -> Option<ChildDetails> {
        let before = self.problems.len();
        let row = child.row;
        let text = |s: &Self, field| s.text(ChildIdentifiers, row, field).map(str::to_owned);
        let sex = if self.text(ChildIdentifiers, row, "Sex").is_some() {
            self.enum_code(ChildIdentifiers, row, "Sex", |c| match c {
                "M" => Some(Sex::Male),
                "F" => Some(Sex::Female),
                "U" => Some(Sex::Unknown),
                _ => None,
            })
        } else {
            // Before 2024/25 the census gave GenderCurrent.
            self.enum_code(ChildIdentifiers, row, "GenderCurrent", |c| match c {
                "1" => Some(Sex::Male),
                "2" => Some(Sex::Female),
                "0" | "9" => Some(Sex::Unknown),
                _ => None,
            })
        };
        let mut details = ChildDetails {
            la_child_id: child.la_child_id.to_owned(),
            upn: text(self, "UPN"),
            former_upn: text(self, "FormerUPN"),
            upn_unknown: self.code(ChildIdentifiers, row, "UPNunknown", UPN_UNKNOWN),
            date_of_birth: self.date(ChildIdentifiers, row, "PersonBirthDate"),
            expected_date_of_birth: self.date(ChildIdentifiers, row, "ExpectedPersonBirthDate"),
            sex: sex.unwrap_or_default(),
            date_of_death: self.date(ChildIdentifiers, row, "PersonDeathDate"),
            ..ChildDetails::default()
        };
        if let Some(&c) = rows_of(&child.rows, ChildCharacteristics).first() {
            details.ethnicity = self
                .code(ChildCharacteristics, c, "Ethnicity", ETHNICITY)
                .unwrap_or_default();
        }
        for &d in rows_of(&child.rows, Disabilities) {
            // Hearth records no disability as none listed.
            if let Some(code) = self.code(Disabilities, d, "Disability", DISABILITY)
                && code.as_str() != "NONE"
                && !details.disabilities.contains(&code)
            {
                details.disabilities.push(code);
            }
        }
        (self.problems.len() == before).then_some(details)
    }
}
