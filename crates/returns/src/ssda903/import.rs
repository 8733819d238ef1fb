//! An SSDA903 return (one year or several) into Hearth: each child's rows become the events that
//! would have recorded them, so a council keeps its history. Years are merged first: an episode
//! open at one 31 March appears again the next year with its end, and the later year's row is
//! the one kept.
//!
//! Nothing is guessed: a value that cannot be read, a code the DfE does not list, or episodes
//! that do not join up is a [`Problem`] naming file, row and field.

use super::tables::{Table, TableName, parse_date};
use super::year;
use crate::history::{ChildHistory, Problem, UNNAMED_TEAM, UNNAMED_WORKER};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use domain::age::birthday;
use domain::code_lists as dfe;
use domain::codes::{CareLeaverActivity, Code, MissingKind, PermanenceStep, PrimaryNeed, Sex};
use domain::events::*;
use domain::ids::RecordId;
use std::collections::BTreeMap;

/// One year's return as read: where it came from and its tables.
pub struct YearReturn {
    /// The folder or file it was read from, for messages.
    pub source: String,
    /// The year the return is for (its first year: 2024 for 2024/25).
    pub first_year: i32,
    pub tables: Vec<Table>,
}

/// The collection year a return's dates point to: the year whose 31 March is on or after the
/// latest start date in its episodes, reviews and missing episodes.
pub fn infer_first_year(tables: &[Table]) -> Option<i32> {
    let mut latest: Option<NaiveDate> = None;
    for t in tables {
        let column = match t.name() {
            TableName::Episodes => "DECOM",
            TableName::Reviews => "REVIEW",
            TableName::Missing => "MIS_START",
            _ => continue,
        };
        let col = t.col(column);
        for row in t.rows() {
            if let Some(d) = col.date(row) {
                latest = latest.max(Some(d));
            }
        }
    }
    let d = latest?;
    Some(if d.month() >= 4 {
        d.year()
    } else {
        d.year() - 1
    })
}

/// One row of a table, its cells by column, and where it came from.
#[derive(Clone)]
struct Row {
    file: String,
    row: usize,
    first_year: i32,
    cells: BTreeMap<&'static str, Option<String>>,
}

impl Row {
    fn text(&self, column: &'static str) -> Option<&str> {
        self.cells.get(column).and_then(|c| c.as_deref())
    }
}

/// Reads cells, collecting problems rather than stopping at the first.
#[derive(Default)]
struct Reader {
    problems: Vec<Problem>,
}

impl Reader {
    fn problem(&mut self, row: &Row, field: &str, message: impl Into<String>) {
        self.problems
            .push(Problem::at(&row.file, row.row, field, message.into()));
    }

    fn date(&mut self, row: &Row, field: &'static str) -> Option<NaiveDate> {
        let text = row.text(field)?;
        let d = parse_date(text);
        if d.is_none() {
            self.problem(row, field, format!("'{text}' is not a date (dd/mm/yyyy)"));
        }
        d
    }

    fn required_date(&mut self, row: &Row, field: &'static str) -> Option<NaiveDate> {
        if row.text(field).is_none() {
            self.problem(row, field, "is blank, and a date is needed");
            return None;
        }
        self.date(row, field)
    }

    /// A code from one of the DfE's lists.
    fn code(
        &mut self,
        row: &Row,
        field: &'static str,
        list: &[(&str, &str)],
        required: bool,
    ) -> Option<Code> {
        let Some(text) = row.text(field) else {
            if required {
                self.problem(row, field, "is blank, and a code is needed");
            }
            return None;
        };
        if list.iter().any(|(c, _)| *c == text) {
            Some(Code::from(text))
        } else {
            self.problem(
                row,
                field,
                format!("'{text}' is not one of the DfE's codes"),
            );
            None
        }
    }

    fn flag(&mut self, row: &Row, field: &'static str) -> Option<bool> {
        match row.text(field)? {
            "1" => Some(true),
            "0" => Some(false),
            other => {
                self.problem(row, field, format!("'{other}' should be 0 or 1"));
                None
            }
        }
    }
}

fn rows_of(table: &Table, source: &str, first_year: i32) -> Vec<Row> {
    // A CSV return's rows are named by their file; an XML return's by the table read from it.
    let file = if source.to_ascii_lowercase().ends_with(".xml") {
        format!("{source}, {} table", table.name().key())
    } else {
        format!("{source}/{}", table.name().file_name())
    };
    let columns = table.name().columns();
    table
        .rows()
        .map(|i| Row {
            file: file.clone(),
            row: table.row_id(i) as usize,
            first_year,
            cells: columns
                .iter()
                .map(|c| (*c, table.col(c).text(i).map(str::to_owned)))
                .collect(),
        })
        .collect()
}

/// Each child's rows, across years, by table.
#[derive(Default)]
struct ChildRows {
    header: Option<Row>,
    uasc: Option<Row>,
    prev_perm: Option<Row>,
    /// Keyed by start date, so a later year's copy of a row replaces the earlier.
    episodes: BTreeMap<String, Row>,
    reviews: BTreeMap<String, Row>,
    missing: BTreeMap<String, Row>,
    placed: BTreeMap<String, Row>,
    ad1: Vec<Row>,
    oc2: BTreeMap<i32, Row>,
    oc3: BTreeMap<i32, Row>,
    social_workers: BTreeMap<String, Row>,
    liberty_orders: BTreeMap<String, Row>,
}

/// Turns one or more years' returns into each child's history. Returns are merged oldest first.
pub fn histories(mut years: Vec<YearReturn>) -> Result<Vec<ChildHistory>, Vec<Problem>> {
    years.sort_by_key(|y| y.first_year);
    let mut children: BTreeMap<String, ChildRows> = BTreeMap::new();
    let mut r = Reader::default();
    for y in &years {
        for table in &y.tables {
            for row in rows_of(table, &y.source, y.first_year) {
                let Some(child) = row.text("CHILD").map(str::to_owned) else {
                    r.problem(
                        &row,
                        "CHILD",
                        "is blank: every row needs the child's identifier",
                    );
                    continue;
                };
                let c = children.entry(child).or_default();
                let key = |col| row.text(col).unwrap_or("").to_owned();
                match table.name() {
                    // A later year's header wins, but a blank in it keeps an earlier value
                    // (MOTHER is asked only in years the child is looked after).
                    TableName::Header => {
                        c.header = Some(match c.header.take() {
                            Some(mut earlier) => {
                                for (column, value) in row.cells {
                                    if value.is_some() {
                                        earlier.cells.insert(column, value);
                                    }
                                }
                                Row {
                                    file: row.file,
                                    row: row.row,
                                    ..earlier
                                }
                            }
                            None => row,
                        })
                    }
                    TableName::Uasc => c.uasc = Some(row),
                    TableName::PrevPerm => c.prev_perm = Some(row),
                    TableName::Episodes => {
                        c.episodes.insert(sortable(&key("DECOM")), row);
                    }
                    TableName::Reviews => {
                        c.reviews.insert(sortable(&key("REVIEW")), row);
                    }
                    TableName::Missing => {
                        c.missing.insert(sortable(&key("MIS_START")), row);
                    }
                    TableName::PlacedAdoption => {
                        c.placed.insert(sortable(&key("DATE_PLACED")), row);
                    }
                    TableName::Ad1 => c.ad1.push(row),
                    TableName::Oc2 => {
                        c.oc2.insert(y.first_year, row);
                    }
                    TableName::Oc3 => {
                        c.oc3.insert(y.first_year, row);
                    }
                    TableName::SwEpisodes => {
                        let start = sortable(&key("SW_DECOM"));
                        if let Some(earlier) = c.social_workers.get(&start)
                            && earlier.first_year == y.first_year
                        {
                            let message = format!(
                                "a second social worker episode for child {} begins the same day as row {}; Hearth holds one allocated worker at a time",
                                row.text("CHILD").unwrap_or(""),
                                earlier.row
                            );
                            r.problem(&row, "SW_DECOM", message);
                            continue;
                        }
                        c.social_workers.insert(start, row);
                    }
                    TableName::DoLo => {
                        c.liberty_orders.insert(sortable(&key("DOLO_START")), row);
                    }
                }
            }
        }
    }
    let mut out = Vec::with_capacity(children.len());
    for (id, rows) in children {
        if let Some(h) = child_history(&id, rows, &mut r) {
            out.push(h);
        }
    }
    if r.problems.is_empty() {
        Ok(out)
    } else {
        // In file and row order, as someone putting them right would go through them.
        r.problems
            .sort_by(|a, b| (&a.file, a.row).cmp(&(&b.file, b.row)));
        Err(r.problems)
    }
}

/// `dd/mm/yyyy` as `yyyy-mm-dd`, so keys sort by date; anything else as it is.
fn sortable(text: &str) -> String {
    match parse_date(text) {
        Some(d) => d.to_string(),
        None => text.to_owned(),
    }
}

fn midnight(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).expect("midnight exists")
}

/// An event waiting to be put in order: its date, a rank for events on the same day (a period
/// of care begins before anything recorded in it), and where it came from.
struct Pending {
    at: NaiveDate,
    rank: u8,
    body: EventBody,
    /// For an allocation: the social worker's registration number as the return gives it
    /// (blank where it gives none), for the import to find or add the worker.
    social_worker: Option<Option<String>>,
    file: String,
    row: usize,
}

fn child_history(id: &str, c: ChildRows, r: &mut Reader) -> Option<ChildHistory> {
    let before = r.problems.len();
    let Some(header) = &c.header else {
        let any = c
            .episodes
            .values()
            .chain(c.reviews.values())
            .chain(c.oc3.values())
            .next()
            .cloned();
        if let Some(row) = any {
            r.problem(
                &row,
                "CHILD",
                format!("child {id} has no row in header.csv"),
            );
        }
        return None;
    };
    let mut next_record = 0u32;
    let mut record = || {
        next_record += 1;
        RecordId(next_record)
    };
    let mut pending: Vec<Pending> = Vec::new();
    let mut push = |at: NaiveDate, rank: u8, body: EventBody, row: &Row| {
        pending.push(Pending {
            at,
            rank,
            body,
            social_worker: None,
            file: row.file.clone(),
            row: row.row,
        })
    };

    // Who the child is.
    // 1 and 2 until 2023/24; M, F and U from 2024/25.
    let sex = match header.text("SEX") {
        Some("1" | "M") => Sex::Male,
        Some("2" | "F") => Sex::Female,
        Some("U" | "0") => Sex::Unknown,
        other => {
            r.problem(
                header,
                "SEX",
                format!(
                    "'{}' should be M, F or U (1 or 2 before 2024/25)",
                    other.unwrap_or("")
                ),
            );
            Sex::Unknown
        }
    };
    // A blank date of birth is kept blank (validation reports it); a bad one is refused.
    let dob = r.date(header, "DOB");
    let ethnicity = r
        .code(header, "ETHNIC", &dfe::ethnicity(), true)
        .unwrap_or_default();
    let upn = header.text("UPN").map(str::to_owned);
    let (upn, upn_unknown) = match upn {
        Some(u) if u.starts_with("UN") && u.len() <= 4 => (None, Some(Code::from(u.as_str()))),
        other => (other, None),
    };
    let mother = r.flag(header, "MOTHER");
    let first_child_born = r.date(header, "MC_DOB");
    let uasc_ceased = c.uasc.as_ref().and_then(|u| r.date(u, "DUC"));
    let previous_permanence = c.prev_perm.as_ref().and_then(|p| {
        let order = r.code(p, "PREV_PERM", dfe::PREVIOUS_PERMANENCE, true)?;
        Some(PreviousPermanence {
            order,
            council: p.text("LA_PERM").map(Code::from),
            date: p.text("DATE_PERM").map(str::to_owned),
        })
    });
    let details = ChildDetails {
        la_child_id: id.to_owned(),
        upn,
        upn_unknown,
        date_of_birth: dob,
        sex,
        ethnicity,
        uasc: c.uasc.is_some(),
        uasc_ceased,
        mother,
        first_child_born,
        previous_permanence,
        ..ChildDetails::default()
    };

    // Periods of care from the episodes.
    let episodes: Vec<&Row> = c.episodes.values().collect();
    let mut periods: Vec<(RecordId, NaiveDate, Option<NaiveDate>)> = Vec::new();
    let mut open: Option<(RecordId, NaiveDate)> = None;
    let mut previous: Option<(&Row, Option<NaiveDate>, Option<String>)> = None;
    for row in &episodes {
        let Some(decom) = r.required_date(row, "DECOM") else {
            continue;
        };
        let rne = r.code(row, "RNE", &dfe::reason_new_episode(), true);
        let ls = r.code(row, "LS", &dfe::legal_status(), true);
        let need = match row.text("CIN").and_then(PrimaryNeed::from_code) {
            Some(n) => Some(n),
            None => {
                r.problem(
                    row,
                    "CIN",
                    format!(
                        "'{}' is not a category of need (N1..N8)",
                        row.text("CIN").unwrap_or("")
                    ),
                );
                None
            }
        };
        let place = r.code(row, "PLACE", &dfe::placement_type(), true);
        let provider = r.code(row, "PLACE_PROVIDER", &dfe::placement_provider(), false);
        let dec = r.date(row, "DEC");
        let rec = row.text("REC").map(str::to_owned);
        if rec.as_deref().is_some_and(|x| x != "X1") {
            r.code(row, "REC", &dfe::reason_episode_ceased(), true);
        }
        if dec.is_some() != rec.is_some() {
            r.problem(
                row,
                "REC",
                "an episode's end date and its reason go together: one is blank",
            );
        }
        if row.text("REASON_PLACE_CHANGE").is_some() {
            r.code(
                row,
                "REASON_PLACE_CHANGE",
                &dfe::reason_placement_changed(),
                false,
            );
        }
        let (Some(rne), Some(ls), Some(need), Some(place)) = (rne, ls, need, place) else {
            continue;
        };
        let placement = Placement {
            place,
            provider: provider.unwrap_or_default(),
            postcode_district: row.text("PL_POST").map(outward),
            urn: row.text("URN").map(str::to_owned),
            postcode: row.text("PL_POST").map(str::to_owned),
            home_postcode: row.text("HOME_POST").map(str::to_owned),
        };
        // Does this episode carry on the open period?
        let carries_on = match (&previous, open) {
            (Some((prev, Some(prev_end), prev_rec)), Some(_))
                if prev_rec.as_deref() == Some("X1") =>
            {
                if *prev_end != decom {
                    r.problem(
                        prev,
                        "DEC",
                        format!(
                            "the episode ends on {} but the next episode begins on {}",
                            prev_end.format("%d/%m/%Y"),
                            decom.format("%d/%m/%Y")
                        ),
                    );
                }
                true
            }
            (Some((prev, None, _)), Some(_)) => {
                r.problem(
                    prev,
                    "DEC",
                    "the episode has no end date, yet a later episode follows it",
                );
                true
            }
            _ => false,
        };
        if carries_on && rne.as_str() != "S" {
            let (period, _) = open.expect("an open period");
            let reason_placement_changed = previous
                .as_ref()
                .and_then(|(p, _, _)| p.text("REASON_PLACE_CHANGE"))
                .map(Code::from);
            push(
                decom,
                1,
                CareEpisodeChanged {
                    period,
                    reason: rne,
                    legal_status: Some(ls),
                    placement: Some(placement),
                    reason_placement_changed,
                    need: Some(need),
                    at: decom,
                }
                .into(),
                row,
            );
        } else {
            if carries_on {
                r.problem(
                    row,
                    "RNE",
                    "a new period of care (S) begins while the previous episode carries on (X1)",
                );
            }
            let period = record();
            let first_reason = (rne.as_str() != "S").then_some(rne);
            push(
                decom,
                1,
                CarePeriodStarted {
                    period,
                    legal_status: ls,
                    placement,
                    need,
                    first_reason,
                    at: decom,
                }
                .into(),
                row,
            );
            open = Some((period, decom));
            periods.push((period, decom, None));
        }
        if let (Some(dec), Some(rec)) = (dec, &rec)
            && rec != "X1"
        {
            let (period, _) = open.take().expect("an open period");
            push(
                dec,
                1,
                CarePeriodEnded {
                    period,
                    reason: Code::from(rec.as_str()),
                    at: dec,
                }
                .into(),
                row,
            );
            if let Some(p) = periods.last_mut() {
                p.2 = Some(dec);
            }
        }
        previous = Some((row, dec, rec));
    }
    if let Some((prev, Some(end), Some(rec))) = &previous
        && rec == "X1"
    {
        r.problem(
            prev,
            "REC",
            format!(
                "the episode ends on {} with a new episode to follow (X1), but none begins that day",
                end.format("%d/%m/%Y")
            ),
        );
    }

    // Reviews, each in the period of care it falls in.
    for row in c.reviews.values() {
        let Some(on) = r.required_date(row, "REVIEW") else {
            continue;
        };
        let participation = r.code(row, "REVIEW_CODE", &dfe::review_participation(), false);
        let period = periods
            .iter()
            .find(|(_, from, to)| *from <= on && to.is_none_or(|t| on <= t));
        match period {
            Some((period, _, _)) => push(
                on,
                2,
                ClaReviewHeld {
                    review: record(),
                    period: *period,
                    participation,
                    at: on,
                }
                .into(),
                row,
            ),
            None => r.problem(
                row,
                "REVIEW",
                "the review is not within any of the child's periods of care",
            ),
        }
    }

    for row in c.missing.values() {
        let Some(from) = r.required_date(row, "MIS_START") else {
            continue;
        };
        let kind = match row.text("MISSING") {
            Some("M") => MissingKind::Missing,
            Some("A") => MissingKind::Away,
            other => {
                r.problem(
                    row,
                    "MISSING",
                    format!(
                        "'{}' should be M (missing) or A (away)",
                        other.unwrap_or("")
                    ),
                );
                continue;
            }
        };
        let episode = record();
        push(
            from,
            3,
            MissingEpisodeStarted {
                episode,
                kind,
                at: midnight(from),
            }
            .into(),
            row,
        );
        if let Some(to) = r.date(row, "MIS_END") {
            push(
                to,
                3,
                MissingEpisodeEnded {
                    episode,
                    at: midnight(to),
                }
                .into(),
                row,
            );
        }
    }

    // Adoption: decisions (and when they ceased), matches and adopters.
    let mut decisions: Vec<NaiveDate> = Vec::new();
    for row in c.placed.values() {
        let Some(decided) = r.required_date(row, "DATE_PLACED") else {
            continue;
        };
        decisions.push(decided);
        push(
            decided,
            2,
            step(PermanenceStep::AdoptionDecision, None, decided),
            row,
        );
        if let Some(ceased) = r.date(row, "DATE_PLACED_CEASED") {
            let reason = r.code(
                row,
                "REASON_PLACED_CEASED",
                &dfe::adoption_decision_ceased(),
                false,
            );
            push(
                ceased,
                2,
                step(PermanenceStep::AdoptionDecisionCeased, reason, ceased),
                row,
            );
        }
    }
    for row in &c.ad1 {
        if let Some(decided) = r.date(row, "DATE_INT")
            && !decisions.contains(&decided)
        {
            decisions.push(decided);
            push(
                decided,
                2,
                step(PermanenceStep::AdoptionDecision, None, decided),
                row,
            );
        }
        if let Some(matched) = r.date(row, "DATE_MATCH") {
            push(
                matched,
                2,
                step(PermanenceStep::Matched, None, matched),
                row,
            );
        }
        let foster_carers = r.flag(row, "FOSTER_CARE");
        let number = match row.text("NB_ADOPTR") {
            Some("1") => Some(1),
            Some("2") => Some(2),
            None => None,
            Some(other) => {
                r.problem(row, "NB_ADOPTR", format!("'{other}' should be 1 or 2"));
                None
            }
        };
        let sex = r.code(row, "SEX_ADOPTR", &dfe::adopters_sex(), false);
        let legal = r.code(row, "LS_ADOPTR", &dfe::adopters_legal_status(), false);
        if let (Some(foster_carers), Some(number), Some(sex), Some(legal_status)) =
            (foster_carers, number, sex, legal)
        {
            // Recorded with the adoption order: the end of the period of care the child was
            // adopted from, within the return's year.
            let (start, end) = (
                year::collection_start(row.first_year),
                year::collection_end(row.first_year),
            );
            let on = periods
                .iter()
                .filter_map(|(_, _, to)| *to)
                .find(|d| (start..=end).contains(d))
                .unwrap_or(end);
            push(
                on,
                8,
                AdoptersRecorded {
                    foster_carers,
                    number,
                    sex,
                    legal_status,
                    at: on,
                }
                .into(),
                row,
            );
        }
    }

    // Each year's outcomes, at its 31 March.
    for (first_year, row) in &c.oc2 {
        let at = year::collection_end(*first_year);
        let sdq_score = match row.text("SDQ_SCORE") {
            None => None,
            Some(s) => match s.parse::<u8>() {
                Ok(n) if n <= 40 => Some(n),
                _ => {
                    r.problem(
                        row,
                        "SDQ_SCORE",
                        format!("'{s}' should be a whole number from 0 to 40"),
                    );
                    None
                }
            },
        };
        let outcomes = CareOutcomesRecorded {
            sdq_score,
            sdq_reason: r.code(row, "SDQ_REASON", &dfe::sdq_reason(), false),
            convicted: r.flag(row, "CONVICTED"),
            health_check: r.flag(row, "HEALTH_CHECK"),
            immunisations: r.flag(row, "IMMUNISATIONS"),
            teeth_check: r.flag(row, "TEETH_CHECK"),
            health_assessment: r.flag(row, "HEALTH_ASSESSMENT"),
            substance_misuse: r.flag(row, "SUBSTANCE_MISUSE"),
            intervention_received: r.flag(row, "INTERVENTION_RECEIVED"),
            intervention_offered: r.flag(row, "INTERVENTION_OFFERED"),
            at,
        };
        push(at, 9, outcomes.into(), row);
    }

    // Care leavers: the contact around the birthday in each year.
    for (first_year, row) in &c.oc3 {
        let (start, end) = (
            year::collection_start(*first_year),
            year::collection_end(*first_year),
        );
        let Some(day) = dob.and_then(|d| {
            (17..=21)
                .map(|a| birthday(d, a))
                .find(|b| (start..=end).contains(b))
        }) else {
            r.problem(row, "DOB", "the child has no 17th to 21st birthday in the return's year, so no care leaver row");
            continue;
        };
        let (in_touch, not_in_touch_reason) = match row.text("IN_TOUCH") {
            Some("YES") => (true, None),
            Some("NO") => (false, None),
            Some(other) if dfe::NOT_IN_TOUCH_REASON.iter().any(|(c, _)| *c == other) => {
                (false, Some(Code::from(other)))
            }
            other => {
                r.problem(
                    row,
                    "IN_TOUCH",
                    format!(
                        "'{}' is not one of YES, NO, DIED, REFU, NREQ, RHOM",
                        other.unwrap_or("")
                    ),
                );
                continue;
            }
        };
        let activity = match row.text("ACTIV") {
            None | Some("0") => None,
            Some(a) => match CareLeaverActivity::from_code(a) {
                Some(a) => Some(a),
                None => {
                    r.problem(
                        row,
                        "ACTIV",
                        format!("'{a}' is not one of the DfE's activity codes"),
                    );
                    None
                }
            },
        };
        let (accommodation, accommodation_suitable) = match row.text("ACCOM") {
            None => (None, None),
            Some("0") => (Some(Code::from("0")), None),
            Some(a) => {
                let (letter, suitable) = a.split_at(a.len().min(1));
                let known = dfe::CARE_LEAVER_ACCOMMODATION
                    .iter()
                    .any(|(c, _)| *c == letter);
                match (known, suitable) {
                    (true, "1") => (Some(Code::from(letter)), Some(true)),
                    (true, "2") => (Some(Code::from(letter)), Some(false)),
                    _ => {
                        r.problem(row, "ACCOM", format!("'{a}' should be an accommodation letter and 1 (suitable) or 2 (not suitable)"));
                        (None, None)
                    }
                }
            }
        };
        push(
            day,
            9,
            CareLeaverContact {
                in_touch,
                not_in_touch_reason,
                activity,
                accommodation,
                accommodation_suitable,
                pathway_plan_reviewed: false,
                at: day,
            }
            .into(),
            row,
        );
    }

    // The child's social workers, one at a time. An episode's end is recorded only where the
    // next does not take over that day; the end comes before a period of care ends the same day
    // (which would end the allocation by itself), a new worker after it.
    let workers: Vec<&Row> = c.social_workers.values().collect();
    let mut allocations = Vec::with_capacity(workers.len());
    for (k, row) in workers.iter().enumerate() {
        let Some(from) = r.required_date(row, "SW_DECOM") else {
            continue;
        };
        let to = r.date(row, "SW_DEC");
        let reason = r.code(row, "SW_REASON", dfe::CHANGE_OF_WORKER, false);
        let next = workers
            .get(k + 1)
            .and_then(|n| n.text("SW_DECOM"))
            .and_then(parse_date);
        if let Some(to) = to {
            if to < from {
                r.problem(row, "SW_DEC", "the episode ends before it begins");
                continue;
            }
            if next.is_some_and(|n| n < to) {
                r.problem(
                    row,
                    "SW_DEC",
                    "the episode ends after the child's next social worker episode begins; Hearth holds one allocated worker at a time",
                );
                continue;
            }
        }
        allocations.push(Pending {
            at: from,
            rank: 4,
            body: ChildAllocated {
                worker: UNNAMED_WORKER,
                team: UNNAMED_TEAM,
                reason,
                at: from,
            }
            .into(),
            social_worker: Some(row.text("SW_ID").map(str::to_owned)),
            file: row.file.clone(),
            row: row.row,
        });
        if let Some(to) = to.filter(|t| next != Some(*t)) {
            push(to, 0, AllocationEnded { at: to }.into(), row);
        }
    }

    // Deprivation of liberty orders.
    for row in c.liberty_orders.values() {
        let Some(from) = r.required_date(row, "DOLO_START") else {
            continue;
        };
        let order = record();
        push(from, 4, LibertyOrderMade { order, at: from }.into(), row);
        if let Some(to) = r.date(row, "DOLO_END") {
            if to < from {
                r.problem(row, "DOLO_END", "the order ends before it begins");
                continue;
            }
            push(to, 4, LibertyOrderEnded { order, at: to }.into(), row);
        }
    }

    if r.problems.len() > before {
        return None;
    }
    pending.extend(allocations);
    pending.sort_by_key(|p| (p.at, p.rank));
    let registered = pending.first().map(|p| p.at).or(dob)?;
    let mut history = ChildHistory::new(id);
    history.push(
        ChildRegistered {
            details,
            at: registered,
        },
        &header.file,
        header.row,
    );
    for p in pending {
        if let Some(registration) = p.social_worker {
            history.name_worker(registration);
        }
        history.push(p.body, &p.file, p.row);
    }
    Some(history)
}

fn step(step: PermanenceStep, reason: Option<Code>, at: NaiveDate) -> EventBody {
    PermanenceStepReached { step, reason, at }.into()
}

/// The outward part of a postcode (DY1 from "DY1 4AB").
fn outward(postcode: &str) -> String {
    let p = postcode.trim();
    match p.split_once(' ') {
        Some((out, _)) => out.to_owned(),
        None if p.len() > 3 => p[..p.len() - 3].to_owned(),
        None => p.to_owned(),
    }
}
