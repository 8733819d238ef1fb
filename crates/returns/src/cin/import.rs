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
//! as findings count) and the field. Every problem is reported, and then no child is imported.

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

/// The tables that hang off a child, besides ChildIdentifiers.
const CHILD_TABLES: [TableName; 9] = [
    TableName::ChildCharacteristics,
    TableName::Disabilities,
    TableName::CINdetails,
    TableName::Assessments,
    TableName::AssessmentFactorsList,
    TableName::CINplanDates,
    TableName::Section47,
    TableName::ChildProtectionPlans,
    TableName::Reviews,
];

/// One child's rows: its ChildIdentifiers row, and its rows of each other table in order.
struct ChildRows<'a> {
    la_child_id: &'a str,
    row: usize,
    rows: HashMap<TableName, Vec<usize>>,
}

impl ChildRows<'_> {
    fn of(&self, table: TableName) -> &[usize] {
        self.rows.get(&table).map_or(&[], Vec::as_slice)
    }
}

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

/// A section 47 row as read, before its conference is settled.
struct Enquiry {
    /// Where it comes from: its Section47 row, or the CINdetails row of a conference that
    /// needed one.
    table: TableName,
    row: usize,
    id: RecordId,
    start: NaiveDate,
    target: Option<NaiveDate>,
    conference: Option<NaiveDate>,
    not_required: bool,
}

impl Plan {
    /// A date to sort by, not before the plan's referral.
    fn in_episode(&self, date: NaiveDate) -> NaiveDate {
        self.referral_date.map_or(date, |r| date.max(r))
    }
}

/// A protection plan row as read, before its count of earlier plans is settled.
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

    /// Each child of ChildIdentifiers with its rows in the other tables; a row for a child the
    /// identifiers do not list, or a child listed twice, is a problem.
    fn group_by_child(&mut self) -> Vec<ChildRows<'a>> {
        let ids = TableName::ChildIdentifiers;
        let mut children: Vec<ChildRows<'a>> = Vec::new();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for row in self.census.table(ids).rows() {
            let Some(la_child_id) = self.text(ids, row, "LAchildID") else {
                self.problem(
                    ids,
                    row,
                    "LAchildID",
                    "the child's identifier is missing".into(),
                );
                continue;
            };
            if index.contains_key(la_child_id) {
                self.problem(
                    ids,
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
                rows: HashMap::new(),
            });
        }
        for table in CHILD_TABLES {
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

    /// The child's history, or `None` when a problem stops it (the problems are kept).
    fn child(&mut self, rows: &ChildRows<'a>) -> Option<ChildHistory> {
        use TableName::*;
        let before = self.problems.len();
        let details = self.details(rows);
        let mut next_id = 0;
        let mut new_id = || {
            next_id += 1;
            RecordId(next_id)
        };
        let mut pending: Vec<Pending> = Vec::new();
        let mut plans: Vec<Plan> = Vec::new();

        // Episodes by CINdetailsID, so that the other tables' rows find theirs.
        let mut episodes: HashMap<&str, usize> = HashMap::new();
        for (i, &row) in rows.of(CINdetails).iter().enumerate() {
            match self.text(CINdetails, row, "CINdetailsID") {
                Some(cin) if !episodes.contains_key(cin) => {
                    episodes.insert(cin, i);
                }
                Some(cin) => self.problem(
                    CINdetails,
                    row,
                    "CINdetailsID",
                    format!(
                        "episode {cin} of child {} is listed twice",
                        rows.la_child_id
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
        let mut by_episode: HashMap<(TableName, usize), Vec<usize>> = HashMap::new();
        for table in [Assessments, CINplanDates, Section47, ChildProtectionPlans] {
            for &row in rows.of(table) {
                match self
                    .text(table, row, "CINdetailsID")
                    .and_then(|c| episodes.get(c))
                {
                    Some(&e) => by_episode.entry((table, e)).or_default().push(row),
                    None => self.problem(
                        table,
                        row,
                        "CINdetailsID",
                        format!(
                            "child {} has no CIN episode {}",
                            rows.la_child_id,
                            self.text(table, row, "CINdetailsID").unwrap_or("(none)")
                        ),
                    ),
                }
            }
        }
        // Assessment factors and plan reviews by their episode and assessment or plan.
        let key = |s: &Self, table, row, id_field| {
            (
                s.text(table, row, "CINdetailsID").unwrap_or(""),
                s.text(table, row, id_field).unwrap_or(""),
            )
        };
        let mut factors: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        for &row in rows.of(AssessmentFactorsList) {
            factors
                .entry(key(self, AssessmentFactorsList, row, "AssessmentID"))
                .or_default()
                .push(row);
        }
        let mut reviews: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
        for &row in rows.of(Reviews) {
            reviews
                .entry(key(self, Reviews, row, "CPPID"))
                .or_default()
                .push(row);
        }
        let episode_rows = |table, e| {
            by_episode
                .get(&(table, e))
                .map_or(&[][..], |v: &Vec<usize>| v)
        };

        for (e, &row) in rows.of(CINdetails).iter().enumerate() {
            let referral = new_id();
            let date = self.required_date(CINdetails, row, "CINreferralDate");
            // Nothing of an episode is put before its referral, so that the model, finding the
            // referral first, can say what is dated too early.
            let referral_date = date;
            let in_episode = |d: NaiveDate| referral_date.map_or(d, |r| d.max(r));
            let source = self.code(CINdetails, row, "ReferralSource", REFERRAL_SOURCE);
            if self.text(CINdetails, row, "ReferralSource").is_none() {
                self.problem(
                    CINdetails,
                    row,
                    "ReferralSource",
                    "the referral's source is missing".into(),
                );
            }
            let need = self.enum_code(CINdetails, row, "PrimaryNeedCode", PrimaryNeed::from_code);
            let closed = self.date(CINdetails, row, "CINclosureDate");
            let reason = self.code(CINdetails, row, "ReasonForClosure", REASON_FOR_CLOSURE);
            let episode_conference = self.date(CINdetails, row, "DateOfInitialCPC");
            let nfa = self.flag(CINdetails, row, "ReferralNFA");
            if let (Some(date), Some(source)) = (date, source) {
                pending.push(Pending {
                    date,
                    rank: REFERRAL,
                    body: ReferralReceived {
                        referral,
                        at: date,
                        source,
                        primary_need: need,
                        from_contact: None,
                    }
                    .into(),
                    table: CINdetails,
                    row,
                });
            }
            match (closed, reason) {
                (Some(at), Some(reason)) => pending.push(Pending {
                    date: in_episode(at),
                    rank: CLOSED,
                    body: CaseClosed {
                        referral,
                        referral_nfa: nfa,
                        reason,
                        at,
                    }
                    .into(),
                    table: CINdetails,
                    row,
                }),
                (Some(_), None) if self.text(CINdetails, row, "ReasonForClosure").is_none() => self
                    .problem(
                        CINdetails,
                        row,
                        "ReasonForClosure",
                        "a closed episode needs its reason for closure".into(),
                    ),
                (None, Some(_)) if self.text(CINdetails, row, "CINclosureDate").is_none() => self
                    .problem(
                        CINdetails,
                        row,
                        "CINclosureDate",
                        "a reason for closure needs the date the episode closed".into(),
                    ),
                _ => {}
            }
            if nfa && self.text(CINdetails, row, "CINclosureDate").is_none() {
                self.problem(
                    CINdetails,
                    row,
                    "ReferralNFA",
                    "a referral with no further action is recorded with its closure, and this episode has no closure date".into(),
                );
            }

            // The CIN episode's own DateOfInitialCPC needs the enquiry it followed: read it below.
            for &a in episode_rows(Assessments, e) {
                let id = new_id();
                let start = self.required_date(Assessments, a, "AssessmentActualStartDate");
                let review = self.date(Assessments, a, "AssessmentInternalReviewDate");
                let authorised = self.date(Assessments, a, "AssessmentAuthorisationDate");
                let codes = self.factors(&factors, Assessments, a);
                if let Some(start) = start {
                    pending.push(Pending {
                        date: in_episode(start),
                        rank: STARTED,
                        body: AssessmentStarted {
                            assessment: id,
                            referral,
                            kind: AssessmentKind::New,
                            at: start,
                        }
                        .into(),
                        table: Assessments,
                        row: a,
                    });
                }
                match authorised {
                    Some(at) => pending.push(Pending {
                        date: in_episode(at),
                        rank: COMPLETED,
                        body: AssessmentAuthorised {
                            assessment: id,
                            internal_review: review,
                            at,
                            factors: codes,
                        }
                        .into(),
                        table: Assessments,
                        row: a,
                    }),
                    None if self
                        .text(Assessments, a, "AssessmentAuthorisationDate")
                        .is_none() =>
                    {
                        if review.is_some() {
                            self.problem(Assessments, a, "AssessmentInternalReviewDate", "an internal review is recorded when the assessment is authorised, and this one has no authorisation date".into());
                        }
                        if !codes.is_empty() {
                            self.problem(Assessments, a, "AssessmentFactors", "factors are recorded when the assessment is authorised, and this one has no authorisation date".into());
                        }
                    }
                    None => {}
                }
            }

            for &p in episode_rows(CINplanDates, e) {
                let id = new_id();
                let start = self.required_date(CINplanDates, p, "CINPlanStartDate");
                let end = self.date(CINplanDates, p, "CINPlanEndDate");
                let Some(start) = start else { continue };
                pending.push(Pending {
                    date: in_episode(start),
                    rank: PLAN_STARTED,
                    body: CinPlanStarted {
                        plan: id,
                        referral,
                        at: start,
                    }
                    .into(),
                    table: CINplanDates,
                    row: p,
                });
                if let Some(end) = end {
                    pending.push(Pending {
                        date: in_episode(end),
                        rank: if end == start {
                            PLAN_ENDED_SAME_DAY
                        } else {
                            PLAN_ENDED
                        },
                        body: CinPlanEnded { plan: id, at: end }.into(),
                        table: CINplanDates,
                        row: p,
                    });
                }
            }

            let mut enquiries: Vec<Enquiry> = Vec::new();
            for &s in episode_rows(Section47, e) {
                let id = new_id();
                let start = self.required_date(Section47, s, "S47ActualStartDate");
                let target = self.date(Section47, s, "InitialCPCtarget");
                let conference = self.date(Section47, s, "DateOfInitialCPC");
                let not_required = self.flag(Section47, s, "ICPCnotRequired");
                if let Some(start) = start {
                    enquiries.push(Enquiry {
                        table: Section47,
                        row: s,
                        id,
                        start,
                        target,
                        conference,
                        not_required,
                    });
                }
            }
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
                        table: CINdetails,
                        row,
                        id: new_id(),
                        start: date,
                        target: None,
                        conference: Some(date),
                        not_required: false,
                    }),
                }
            }

            let mut conferences: Vec<(NaiveDate, RecordId, usize)> = Vec::new();
            let plan_rows = episode_rows(ChildProtectionPlans, e);
            let plan_starts: Vec<NaiveDate> = plan_rows
                .iter()
                .filter_map(|&p| {
                    self.text(ChildProtectionPlans, p, "CPPstartDate")
                        .and_then(parse_date)
                })
                .collect();
            for s in &enquiries {
                pending.push(Pending {
                    date: in_episode(s.start),
                    rank: STARTED,
                    body: Section47Started {
                        enquiry: s.id,
                        referral,
                        strategy: None,
                        at: s.start,
                    }
                    .into(),
                    table: s.table,
                    row: s.row,
                });
                let (outcome, at) = match s.conference {
                    Some(date) => (S47Outcome::Conference, date),
                    None if s.not_required => {
                        let continues = episode_rows(CINplanDates, e).iter().any(|&p| {
                            self.text(CINplanDates, p, "CINPlanStartDate")
                                .and_then(parse_date)
                                .is_some_and(|d| d >= s.start)
                        });
                        let outcome = if continues {
                            S47Outcome::ChildInNeed
                        } else {
                            S47Outcome::NoFurtherAction
                        };
                        (outcome, s.start)
                    }
                    None => {
                        if s.target.is_some() {
                            self.problem(s.table, s.row, "InitialCPCtarget", "a conference's target date is recorded when the enquiry is completed, and this one is neither completed by a conference nor marked as not needing one".into());
                        }
                        continue;
                    }
                };
                pending.push(Pending {
                    date: in_episode(at),
                    rank: COMPLETED,
                    body: Section47Completed {
                        enquiry: s.id,
                        outcome,
                        conference_target: s.target,
                        conference_not_required: s.not_required && s.conference.is_none(),
                        at,
                    }
                    .into(),
                    table: s.table,
                    row: s.row,
                });
                if let Some(date) = s.conference {
                    let conference = new_id();
                    conferences.push((date, conference, s.row));
                    pending.push(Pending {
                        date: in_episode(date),
                        rank: CONFERENCE,
                        body: ConferenceHeld {
                            conference,
                            kind: ConferenceKind::Initial,
                            enquiry: Some(s.id),
                            plan_needed: plan_starts.contains(&date),
                            agencies_present: Vec::new(),
                            at: date,
                        }
                        .into(),
                        table: s.table,
                        row: s.row,
                    });
                }
            }

            for &p in plan_rows {
                let start = self.required_date(ChildProtectionPlans, p, "CPPstartDate");
                let end = self.date(ChildProtectionPlans, p, "CPPendDate");
                let initial = self.category(p, "InitialCategoryOfAbuse");
                let latest = self.category(p, "LatestCategoryOfAbuse");
                let previous = self.text(ChildProtectionPlans, p, "NumberOfPreviousCPP");
                let previous = previous.and_then(|text| {
                    let n = parse_int(text).and_then(|n| u32::try_from(n).ok());
                    if n.is_none() {
                        self.problem(
                            ChildProtectionPlans,
                            p,
                            "NumberOfPreviousCPP",
                            format!("'{text}' is not a number of plans"),
                        );
                    }
                    n
                });
                let mut dates = Vec::new();
                let plan_key = key(self, ChildProtectionPlans, p, "CPPID");
                for &r in reviews.get(&plan_key).map_or(&[][..], Vec::as_slice) {
                    if let Some(d) = self.required_date(Reviews, r, "CPPreviewDate") {
                        dates.push((d, r));
                    }
                }
                let (Some(start), Some(initial), Some(latest)) = (start, initial, latest) else {
                    continue;
                };
                plans.push(Plan {
                    row: p,
                    referral,
                    referral_date,
                    start,
                    end,
                    initial,
                    latest,
                    previous,
                    conference: conferences
                        .iter()
                        .find(|(d, _, _)| *d == start)
                        .map(|(_, c, _)| *c),
                    reviews: dates,
                });
            }
        }

        // Plans in the order they started, each counting those before it unless the census says
        // otherwise; an id for each in that order.
        plans.sort_by_key(|p| p.start);
        let year_before = self
            .reference_date()
            .and_then(|d| d.checked_sub_months(Months::new(12)));
        let mut running = 0;
        for plan in plans {
            let id = new_id();
            let counted = running;
            let given = plan.previous.unwrap_or(counted);
            running = given + 1;
            pending.push(Pending {
                date: plan.in_episode(plan.start),
                rank: PLAN_STARTED,
                body: CpPlanStarted {
                    plan: id,
                    referral: plan.referral,
                    category: plan.initial,
                    previous_plans: (given != counted).then_some(given),
                    conference: plan.conference,
                    at: plan.start,
                }
                .into(),
                table: ChildProtectionPlans,
                row: plan.row,
            });
            let last_review = plan.reviews.iter().map(|(d, _)| *d).max();
            if plan.latest != plan.initial && last_review.is_none() {
                // The category changed at a review before the census year: recorded on the
                // year's eve, the latest it can have been.
                match year_before.filter(|&d| d >= plan.start) {
                    Some(date) => pending.push(Pending {
                        date: plan.in_episode(date),
                        rank: PLAN_REVIEWED,
                        body: CpPlanReviewed {
                            plan: id,
                            at: date,
                            category: Some(plan.latest),
                        }
                        .into(),
                        table: ChildProtectionPlans,
                        row: plan.row,
                    }),
                    None => self.problem(
                        ChildProtectionPlans,
                        plan.row,
                        "LatestCategoryOfAbuse",
                        "a plan's category changes at a review, and this plan has none before or in the census year".into(),
                    ),
                }
            }
            for &(date, row) in &plan.reviews {
                let category = (plan.latest != plan.initial && Some(date) == last_review)
                    .then_some(plan.latest);
                pending.push(Pending {
                    date: plan.in_episode(date),
                    rank: PLAN_REVIEWED,
                    body: CpPlanReviewed {
                        plan: id,
                        at: date,
                        category,
                    }
                    .into(),
                    table: Reviews,
                    row,
                });
            }
            if let Some(end) = plan.end {
                pending.push(Pending {
                    date: plan.in_episode(end),
                    rank: if end == plan.start {
                        PLAN_ENDED_SAME_DAY
                    } else {
                        PLAN_ENDED
                    },
                    body: CpPlanEnded {
                        plan: id,
                        at: end,
                        reason: String::new(),
                    }
                    .into(),
                    table: ChildProtectionPlans,
                    row: plan.row,
                });
            }
        }

        let details = details?;
        if self.problems.len() > before {
            return None;
        }
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
                rows.row,
                "LAchildID",
                format!(
                    "child {} has no date to be registered on: no episode, birth date or reference date",
                    rows.la_child_id
                ),
            );
            return None;
        };
        // A stable sort keeps the order made for events of one day and rank.
        pending.sort_by_key(|p| (p.date, p.rank));
        let mut history = ChildHistory::new(rows.la_child_id);
        history.push(
            ChildRegistered {
                details,
                at: registered,
            },
            self.file,
            self.census.table(ChildIdentifiers).id(rows.row) as usize,
        );
        for p in pending {
            let row = self.census.table(p.table).id(p.row) as usize;
            history.push(p.body, self.file, row);
        }
        Some(history)
    }

    fn reference_date(&self) -> Option<NaiveDate> {
        let header = self.census.table(TableName::Header);
        header
            .rows()
            .find_map(|r| header.col("ReferenceDate").date(r))
    }

    fn category(&mut self, row: usize, field: &str) -> Option<AbuseCategory> {
        let table = TableName::ChildProtectionPlans;
        if self.text(table, row, field).is_none() {
            self.problem(table, row, field, "the category of abuse is missing".into());
            return None;
        }
        self.enum_code(table, row, field, AbuseCategory::from_code)
    }

    /// An assessment's factors: its rows of AssessmentFactorsList, or else its
    /// AssessmentFactors cell, comma-separated.
    fn factors(
        &mut self,
        list: &HashMap<(&str, &str), Vec<usize>>,
        table: TableName,
        row: usize,
    ) -> Vec<Code> {
        let key = (
            self.text(table, row, "CINdetailsID").unwrap_or(""),
            self.text(table, row, "AssessmentID").unwrap_or(""),
        );
        let mut codes = Vec::new();
        match list.get(&key) {
            Some(rows) => {
                for &r in rows {
                    let field = "AssessmentFactor";
                    if let Some(code) = self.code(
                        TableName::AssessmentFactorsList,
                        r,
                        field,
                        ASSESSMENT_FACTORS,
                    ) {
                        codes.push(code);
                    }
                }
            }
            None => {
                for text in self
                    .text(table, row, "AssessmentFactors")
                    .into_iter()
                    .flat_map(|t| t.split(','))
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                {
                    if ASSESSMENT_FACTORS.contains(&text) {
                        codes.push(Code::from(text));
                    } else {
                        self.problem(
                            table,
                            row,
                            "AssessmentFactors",
                            format!("'{text}' is not a census code"),
                        );
                    }
                }
            }
        }
        codes
    }

    /// Who the child is, from ChildIdentifiers, ChildCharacteristics and Disabilities.
    fn details(&mut self, rows: &ChildRows<'a>) -> Option<ChildDetails> {
        use TableName::*;
        let before = self.problems.len();
        let row = rows.row;
        let text = |s: &Self, field| s.text(ChildIdentifiers, row, field).map(str::to_owned);
        let sex = if self.census.table(ChildIdentifiers).col("Sex").present(row) {
            self.enum_code(ChildIdentifiers, row, "Sex", |c| match c {
                "M" => Some(Sex::Male),
                "F" => Some(Sex::Female),
                "U" => Some(Sex::Unknown),
                _ => None,
            })
        } else {
            self.enum_code(ChildIdentifiers, row, "GenderCurrent", |c| match c {
                "1" => Some(Sex::Male),
                "2" => Some(Sex::Female),
                "0" | "9" => Some(Sex::Unknown),
                _ => None,
            })
        };
        let mut details = ChildDetails {
            la_child_id: rows.la_child_id.to_owned(),
            upn: text(self, "UPN"),
            former_upn: text(self, "FormerUPN"),
            upn_unknown: self.code(ChildIdentifiers, row, "UPNunknown", UPN_UNKNOWN),
            date_of_birth: self.date(ChildIdentifiers, row, "PersonBirthDate"),
            expected_date_of_birth: self.date(ChildIdentifiers, row, "ExpectedPersonBirthDate"),
            sex: sex.unwrap_or_default(),
            date_of_death: self.date(ChildIdentifiers, row, "PersonDeathDate"),
            ..ChildDetails::default()
        };
        if let Some(&c) = rows.of(ChildCharacteristics).first() {
            details.ethnicity = self
                .code(ChildCharacteristics, c, "Ethnicity", ETHNICITY)
                .unwrap_or_default();
        }
        for &d in rows.of(Disabilities) {
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
