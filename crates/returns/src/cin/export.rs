//! The CIN census made from Hearth's records, and written as the DfE's XML message.
//!
//! A child is in the census when a CIN episode of theirs was open at some time in the collection
//! year (1 April to 31 March): a referral made by 31 March and not closed before 1 April. Each
//! such episode carries the assessments authorised in the year or started in it and still
//! open, the section 47 enquiries started in the year or whose initial conference was held in
//! it, the CIN and protection plans open at some time in the year, and the plans' reviews held in
//! it. The census is as things stood on 31 March: anything dated later is left out.

use super::catalogue::CinYear;
use super::tables::{By, Census, Table, TableName};
use chrono::{NaiveDate, NaiveTime};
use domain::RecordId;
use domain::codes::{ConferenceKind, S47Outcome, Sex};
use domain::model::{Assessment, Child, CinPlan, Conference, CpPlan, Model, Referral, Section47};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event as XmlEvent};
use std::collections::{HashMap, HashSet};

/// The collection year's first and last days.
#[derive(Debug, Clone, Copy)]
struct Period {
    start: NaiveDate,
    end: NaiveDate,
}

impl Period {
    fn of(year: CinYear) -> Period {
        let end_year = year.end_year();
        Period {
            start: NaiveDate::from_ymd_opt(end_year - 1, 4, 1).expect("1 April exists"),
            end: NaiveDate::from_ymd_opt(end_year, 3, 31).expect("31 March exists"),
        }
    }

    fn contains(self, date: NaiveDate) -> bool {
        (self.start..=self.end).contains(&date)
    }

    /// Something that began on `start` and ended on `end` (if it has) was open during the year.
    fn overlaps(self, start: NaiveDate, end: Option<NaiveDate>) -> bool {
        start <= self.end && end.is_none_or(|e| e >= self.start)
    }

    /// A date as the census shows it: only if it had come by the year's end.
    fn known(self, date: Option<NaiveDate>) -> Option<NaiveDate> {
        date.filter(|d| *d <= self.end)
    }
}

/// The census of `year` from the records, with `la_code` as the return's LEA.
pub fn census(model: &Model, year: CinYear, la_code: &str) -> Census {
    let period = Period::of(year);
    let mut tables = Tables::new();
    // When the records were last changed, so that the same records always make the same file.
    let generated = model
        .known_at
        .map_or_else(|| period.end.and_time(NaiveTime::MIN), |at| at.naive_utc());
    tables.push(
        TableName::Header,
        vec![
            text("CIN"),
            text(&year.end_year().to_string()),
            date(period.end),
            text("L"),
            text(la_code),
            text("Hearth"),
            text(env!("CARGO_PKG_VERSION")),
            text("001"),
            text(&generated.format("%Y-%m-%dT%H:%M:%S").to_string()),
        ],
    );
    // In order of the council's own identifier, so that the same records give the same file
    // whatever numbers Hearth gave the children (an import numbers them as they come).
    let mut children: Vec<&Child> = model.children.values().map(|c| &**c).collect();
    children.sort_by(|a, b| a.details.la_child_id.cmp(&b.details.la_child_id));
    for child in children {
        ChildCensus {
            child,
            period,
            year,
        }
        .write(&mut tables);
    }
    Census::new(tables.0)
}

/// The eleven tables being filled, in [`TableName::ALL`] order.
struct Tables(Vec<Table>);

impl Tables {
    fn new() -> Tables {
        Tables(TableName::ALL.iter().map(|&t| Table::standard(t)).collect())
    }

    fn push(&mut self, table: TableName, cells: Vec<Option<String>>) {
        self.0[TableName::ALL
            .iter()
            .position(|&t| t == table)
            .expect("every table is listed")]
        .push(&cells);
    }
}

fn text(s: &str) -> Option<String> {
    Some(s.to_owned()).filter(|s| !s.is_empty())
}

fn date(d: NaiveDate) -> Option<String> {
    Some(d.format("%Y-%m-%d").to_string())
}

fn opt_date(d: Option<NaiveDate>) -> Option<String> {
    d.and_then(date)
}

fn flag(b: bool) -> Option<String> {
    text(if b { "true" } else { "false" })
}

/// One child's part of the census.
struct ChildCensus<'a> {
    child: &'a Child,
    period: Period,
    year: CinYear,
}

impl<'a> ChildCensus<'a> {
    fn write(&self, tables: &mut Tables) {
        let (child, period) = (self.child, self.period);
        let mut episodes: Vec<_> = child
            .referrals
            .iter()
            .filter(|r| period.overlaps(r.date, r.closed.as_ref().map(|(d, _)| *d)))
            .collect();
        if episodes.is_empty() {
            return;
        }
        episodes.sort_by_key(|r| (r.date, r.id));
        let la_id = child.details.la_child_id.as_str();
        self.identifiers(tables);
        tables.push(
            TableName::ChildCharacteristics,
            vec![text(la_id), text(child.details.ethnicity.as_str())],
        );
        if child.details.disabilities.is_empty() {
            tables.push(TableName::Disabilities, vec![text(la_id), text("NONE")]);
        }
        for code in &child.details.disabilities {
            tables.push(
                TableName::Disabilities,
                vec![text(la_id), text(code.as_str())],
            );
        }
        let previous = self.previous_plan_counts();
        for (i, referral) in episodes.into_iter().enumerate() {
            self.episode(tables, &(i + 1).to_string(), referral, &previous);
        }
    }

    fn identifiers(&self, tables: &mut Tables) {
        let (d, period) = (&self.child.details, self.period);
        let born = period.known(d.date_of_birth);
        // A child not born by the reference date is reported by the expected date.
        let expected = if born.is_none() {
            d.expected_date_of_birth.or(d.date_of_birth)
        } else {
            None
        };
        let unborn = born.is_none() && expected.is_some();
        let sex = if unborn { Sex::Unknown } else { d.sex };
        let (gender, sex) = if self.year >= CinYear::Y2024_25 {
            let code = match sex {
                Sex::Male => "M",
                Sex::Female => "F",
                Sex::Unknown => "U",
            };
            (None, text(code))
        } else {
            (text(sex.code()), None)
        };
        tables.push(
            TableName::ChildIdentifiers,
            vec![
                text(&d.la_child_id),
                d.upn.as_deref().and_then(text),
                d.former_upn.as_deref().and_then(text),
                d.upn_unknown.as_ref().and_then(|c| text(c.as_str())),
                opt_date(born),
                opt_date(expected),
                gender,
                sex,
                opt_date(period.known(d.date_of_death)),
            ],
        );
    }

    /// How many protection plans the child had before each plan: counted from the records, or
    /// as a return gave it for a plan whose earlier plans came before the records.
    fn previous_plan_counts(&self) -> HashMap<RecordId, u32> {
        let mut plans: Vec<_> = self.child.cp_plans.iter().collect();
        plans.sort_by_key(|p| (p.start, p.id));
        let mut running = 0;
        let mut counts = HashMap::new();
        for plan in plans {
            let n = plan.previous_plans.unwrap_or(running);
            counts.insert(plan.id, n);
            running = n + 1;
        }
        counts
    }

    /// The initial conference of the year that followed an enquiry, the first if several did.
    fn conference_of(&self, enquiry: RecordId) -> Option<&'a Conference> {
        self.child
            .conferences
            .iter()
            .filter(|c| c.kind == ConferenceKind::Initial && self.period.contains(c.date))
            .filter(|c| c.enquiry == Some(enquiry))
            .min_by_key(|c| (c.date, c.id))
    }

    fn episode(
        &self,
        tables: &mut Tables,
        cin_id: &str,
        referral: &Referral,
        previous: &HashMap<RecordId, u32>,
    ) {
        let (child, period) = (self.child, self.period);
        let keys = Keys {
            la: text(&child.details.la_child_id),
            cin: text(cin_id),
        };
        let mut enquiries: Vec<&Section47> = child
            .enquiries
            .iter()
            .filter(|s| s.referral == referral.id && s.start <= period.end)
            .filter(|s| period.contains(s.start) || self.conference_of(s.id).is_some())
            .collect();
        enquiries.sort_by_key(|s| (s.start, s.id));
        let mut cp_plans: Vec<&CpPlan> = child
            .cp_plans
            .iter()
            .filter(|p| p.referral == referral.id && period.overlaps(p.start, p.end))
            .collect();
        cp_plans.sort_by_key(|p| (p.start, p.id));

        // An initial conference of the year not shown with an enquiry of this episode: one that
        // began a plan of the episode, or followed an enquiry of the episode not reported.
        let reported: HashSet<RecordId> = enquiries
            .iter()
            .filter_map(|s| self.conference_of(s.id).map(|c| c.id))
            .collect();
        let episode_conference = child
            .conferences
            .iter()
            .filter(|c| c.kind == ConferenceKind::Initial && period.contains(c.date))
            .filter(|c| !reported.contains(&c.id))
            .filter(|c| {
                cp_plans.iter().any(|p| p.conference == Some(c.id))
                    || c.enquiry.is_some_and(|e| {
                        child
                            .enquiries
                            .iter()
                            .any(|s| s.id == e && s.referral == referral.id)
                    })
            })
            .map(|c| c.date)
            .min();

        let closed = referral.closed.as_ref().filter(|(d, _)| *d <= period.end);
        tables.push(
            TableName::CINdetails,
            keys.row([
                date(referral.date),
                text(referral.source.as_str()),
                referral.primary_need.and_then(|n| text(n.code())),
                closed.and_then(|(d, _)| date(*d)),
                closed.and_then(|(_, reason)| text(reason.as_str())),
                opt_date(episode_conference),
                flag(closed.is_some() && referral.nfa),
            ]),
        );
        self.assessments(tables, &keys, referral);
        self.cin_plans(tables, &keys, referral);
        self.enquiries(tables, &keys, &enquiries);
        self.protection_plans(tables, &keys, &cp_plans, previous);
    }

    /// The episode's assessments authorised in the year, or started in it and still open.
    fn assessments(&self, tables: &mut Tables, keys: &Keys, referral: &Referral) {
        let period = self.period;
        let mut assessments: Vec<&Assessment> = self
            .child
            .assessments
            .iter()
            .filter(|a| a.referral == referral.id)
            .filter(|a| match period.known(a.authorised) {
                Some(done) => period.contains(done),
                None => period.contains(a.start),
            })
            .collect();
        assessments.sort_by_key(|a| (a.start, a.id));
        for (j, a) in assessments.into_iter().enumerate() {
            let aid = text(&(j + 1).to_string());
            let authorised = period.known(a.authorised);
            // Each factor once, and only for a completed assessment.
            let mut factors: Vec<&str> = Vec::new();
            if authorised.is_some() {
                for f in &a.factors {
                    if !f.as_str().is_empty() && !factors.contains(&f.as_str()) {
                        factors.push(f.as_str());
                    }
                }
            }
            for f in &factors {
                tables.push(
                    TableName::AssessmentFactorsList,
                    keys.row([aid.clone(), text(f)]),
                );
            }
            let review = a.internal_review.filter(|_| authorised.is_some());
            tables.push(
                TableName::Assessments,
                keys.row([
                    aid,
                    date(a.start),
                    opt_date(review),
                    opt_date(authorised),
                    text(&factors.join(",")),
                ]),
            );
        }
    }

    fn cin_plans(&self, tables: &mut Tables, keys: &Keys, referral: &Referral) {
        let period = self.period;
        let mut plans: Vec<&CinPlan> = self
            .child
            .cin_plans
            .iter()
            .filter(|p| p.referral == referral.id && period.overlaps(p.start, p.end))
            .collect();
        plans.sort_by_key(|p| (p.start, p.id));
        for p in plans {
            tables.push(
                TableName::CINplanDates,
                keys.row([date(p.start), opt_date(period.known(p.end))]),
            );
        }
    }

    fn enquiries(&self, tables: &mut Tables, keys: &Keys, enquiries: &[&Section47]) {
        for s in enquiries {
            // Completed by the year's end without a conference, however it was recorded.
            let completed = s.completed.filter(|(d, _)| *d <= self.period.end);
            let not_required = completed.is_some_and(|(_, outcome)| {
                s.conference_not_required || outcome != S47Outcome::Conference
            });
            tables.push(
                TableName::Section47,
                keys.row([
                    date(s.start),
                    opt_date(s.conference_target),
                    opt_date(self.conference_of(s.id).map(|c| c.date)),
                    flag(not_required),
                ]),
            );
        }
    }

    fn protection_plans(
        &self,
        tables: &mut Tables,
        keys: &Keys,
        plans: &[&CpPlan],
        previous: &HashMap<RecordId, u32>,
    ) {
        for (k, p) in plans.iter().enumerate() {
            let cpp = text(&(k + 1).to_string());
            // The category as it stood at the year's end: the last change made by then.
            let latest = p
                .category_changes
                .iter()
                .rev()
                .find(|(d, _)| *d <= self.period.end)
                .map_or(p.initial_category, |(_, c)| *c);
            tables.push(
                TableName::ChildProtectionPlans,
                keys.row([
                    cpp.clone(),
                    date(p.start),
                    opt_date(self.period.known(p.end)),
                    text(p.initial_category.code()),
                    text(latest.code()),
                    text(&previous.get(&p.id).copied().unwrap_or(0).to_string()),
                ]),
            );
            let mut reviews: Vec<NaiveDate> = p
                .reviews
                .iter()
                .copied()
                .filter(|d| self.period.contains(*d))
                .collect();
            reviews.sort();
            for r in reviews {
                tables.push(TableName::Reviews, keys.row([cpp.clone(), date(r)]));
            }
        }
    }
}

/// The cells that begin every row of an episode's tables: the child's and the episode's ids.
struct Keys {
    la: Option<String>,
    cin: Option<String>,
}

impl Keys {
    fn row<const N: usize>(&self, rest: [Option<String>; N]) -> Vec<Option<String>> {
        let mut cells = vec![self.la.clone(), self.cin.clone()];
        cells.extend(rest);
        cells
    }
}

/// Writes the census as the DfE's XML message: the inverse of [`super::read::read_xml`].
pub fn write_xml(census: &Census, out: impl std::io::Write) -> std::io::Result<()> {
    let mut w = Writer::new_with_indent(out, b' ', 2);
    w.write_event(XmlEvent::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    open(&mut w, "Message")?;
    let header = census.table(TableName::Header);
    for row in header.rows() {
        open(&mut w, "Header")?;
        open(&mut w, "CollectionDetails")?;
        values(
            &mut w,
            header,
            row,
            &["Collection", "Year", "ReferenceDate"],
        )?;
        close(&mut w, "CollectionDetails")?;
        open(&mut w, "Source")?;
        values(
            &mut w,
            header,
            row,
            &[
                "SourceLevel",
                "LEA",
                "SoftwareCode",
                "Release",
                "SerialNo",
                "DateTime",
            ],
        )?;
        close(&mut w, "Source")?;
        close(&mut w, "Header")?;
    }
    open(&mut w, "Children")?;
    let identifiers = census.table(TableName::ChildIdentifiers);
    for i in identifiers.rows() {
        child(&mut w, census, i)?;
    }
    close(&mut w, "Children")?;
    close(&mut w, "Message")?;
    Ok(())
}

type Xml<W> = Writer<W>;

fn open<W: std::io::Write>(w: &mut Xml<W>, name: &str) -> std::io::Result<()> {
    w.write_event(XmlEvent::Start(BytesStart::new(name)))
}

fn close<W: std::io::Write>(w: &mut Xml<W>, name: &str) -> std::io::Result<()> {
    w.write_event(XmlEvent::End(BytesEnd::new(name)))
}

fn element<W: std::io::Write>(w: &mut Xml<W>, name: &str, value: &str) -> std::io::Result<()> {
    open(w, name)?;
    w.write_event(XmlEvent::Text(BytesText::new(value)))?;
    close(w, name)
}

/// An element for each of these columns that has a value in the row, in the order given.
fn values<W: std::io::Write>(
    w: &mut Xml<W>,
    table: &Table,
    row: usize,
    columns: &[&str],
) -> std::io::Result<()> {
    for &c in columns {
        if let Some(v) = table.col(c).str(row) {
            element(w, c, v)?;
        }
    }
    Ok(())
}

/// The rows of `table` that belong with row `row` of `from`.
fn related(
    census: &Census,
    from: TableName,
    row: usize,
    by: By,
    table: TableName,
) -> impl Iterator<Item = usize> + '_ {
    census
        .related(from, row, by, table)
        .iter()
        .map(|&r| r as usize)
}

fn child<W: std::io::Write>(w: &mut Xml<W>, census: &Census, i: usize) -> std::io::Result<()> {
    use TableName::*;
    let ids = census.table(ChildIdentifiers);
    open(w, "Child")?;
    open(w, "ChildIdentifiers")?;
    values(w, ids, i, ChildIdentifiers.columns())?;
    close(w, "ChildIdentifiers")?;

    open(w, "ChildCharacteristics")?;
    let characteristics = census.table(ChildCharacteristics);
    if let Some(c) = related(census, ChildIdentifiers, i, By::Child, ChildCharacteristics).next() {
        values(w, characteristics, c, &["Ethnicity"])?;
    }
    let disabilities = census.table(Disabilities);
    let codes: Vec<&str> = related(census, ChildIdentifiers, i, By::Child, Disabilities)
        .filter_map(|d| disabilities.col("Disability").str(d))
        .collect();
    if !codes.is_empty() {
        open(w, "Disabilities")?;
        for code in codes {
            element(w, "Disability", code)?;
        }
        close(w, "Disabilities")?;
    }
    close(w, "ChildCharacteristics")?;

    let details = census.table(CINdetails);
    for c in related(census, ChildIdentifiers, i, By::Child, CINdetails) {
        open(w, "CINdetails")?;
        values(
            w,
            details,
            c,
            &[
                "CINreferralDate",
                "ReferralSource",
                "PrimaryNeedCode",
                "CINclosureDate",
                "ReasonForClosure",
                "DateOfInitialCPC",
            ],
        )?;
        let assessments = census.table(Assessments);
        for a in related(census, CINdetails, c, By::Episode, Assessments) {
            open(w, "Assessments")?;
            values(
                w,
                assessments,
                a,
                &[
                    "AssessmentActualStartDate",
                    "AssessmentInternalReviewDate",
                    "AssessmentAuthorisationDate",
                ],
            )?;
            let list = census.table(AssessmentFactorsList);
            let mut factors: Vec<&str> = related(
                census,
                Assessments,
                a,
                By::Assessment,
                AssessmentFactorsList,
            )
            .filter_map(|f| list.col("AssessmentFactor").str(f))
            .collect();
            if factors.is_empty() {
                factors = assessments
                    .col("AssessmentFactors")
                    .str(a)
                    .map(|f| f.split(',').map(str::trim).filter(|f| !f.is_empty()))
                    .into_iter()
                    .flatten()
                    .collect();
            }
            if !factors.is_empty() {
                open(w, "FactorsIdentifiedAtAssessment")?;
                for f in factors {
                    element(w, "AssessmentFactors", f)?;
                }
                close(w, "FactorsIdentifiedAtAssessment")?;
            }
            close(w, "Assessments")?;
        }
        let plans = census.table(CINplanDates);
        for p in related(census, CINdetails, c, By::Episode, CINplanDates) {
            open(w, "CINPlanDates")?;
            values(w, plans, p, &["CINPlanStartDate", "CINPlanEndDate"])?;
            close(w, "CINPlanDates")?;
        }
        let enquiries = census.table(Section47);
        for s in related(census, CINdetails, c, By::Episode, Section47) {
            open(w, "Section47")?;
            values(
                w,
                enquiries,
                s,
                &[
                    "S47ActualStartDate",
                    "InitialCPCtarget",
                    "DateOfInitialCPC",
                    "ICPCnotRequired",
                ],
            )?;
            close(w, "Section47")?;
        }
        values(w, details, c, &["ReferralNFA"])?;
        let cpp = census.table(ChildProtectionPlans);
        for p in related(census, CINdetails, c, By::Episode, ChildProtectionPlans) {
            open(w, "ChildProtectionPlans")?;
            values(
                w,
                cpp,
                p,
                &[
                    "CPPstartDate",
                    "CPPendDate",
                    "InitialCategoryOfAbuse",
                    "LatestCategoryOfAbuse",
                    "NumberOfPreviousCPP",
                ],
            )?;
            let reviews = census.table(Reviews);
            let dates: Vec<&str> = related(census, ChildProtectionPlans, p, By::Plan, Reviews)
                .filter_map(|r| reviews.col("CPPreviewDate").str(r))
                .collect();
            if !dates.is_empty() {
                open(w, "Reviews")?;
                for d in dates {
                    element(w, "CPPreviewDate", d)?;
                }
                close(w, "Reviews")?;
            }
            close(w, "ChildProtectionPlans")?;
        }
        close(w, "CINdetails")?;
    }
    close(w, "Child")
}
