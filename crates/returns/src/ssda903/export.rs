//! The SSDA903 return from the records: which children, episodes, reviews and outcomes fall in a
//! collection year (1 April to 31 March), written as the DfE's tables.
//!
//! Each table is a pure function of the records, so a return imported into Hearth and exported
//! again gives back the same rows.

use super::tables::{Table, TableName};
use super::year;
use chrono::{Datelike, Months, NaiveDate};
use domain::age::birthday;
use domain::codes::{PermanenceStep, Sex};
use domain::model::{CarePeriod, Child, Model};
use std::io;
use std::path::Path;

/// The DfE's date form in a CSV return.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn yes_no(b: bool) -> String {
    if b { "1" } else { "0" }.to_owned()
}

/// One SSDA903 episode as the return shows it: the records' episode with its end worked out.
#[derive(Debug, Clone)]
pub struct EpisodeRow<'a> {
    pub period: &'a CarePeriod,
    pub index: usize,
    pub start: NaiveDate,
    /// When the episode ended: the next episode's start, or the end of the period of care.
    pub end: Option<NaiveDate>,
}

/// Every episode of a child's care, in order, with its end.
pub fn episodes(child: &Child) -> Vec<EpisodeRow<'_>> {
    let mut out = Vec::new();
    for period in &child.care_periods {
        for (i, ep) in period.episodes.iter().enumerate() {
            let end = match period.episodes.get(i + 1) {
                Some(next) => Some(next.start),
                None => period.end.as_ref().map(|(d, _)| *d),
            };
            out.push(EpisodeRow {
                period,
                index: i,
                start: ep.start,
                end,
            });
        }
    }
    out
}

/// Whether a previous permanence date, which may have unknown parts (`zz/zz/2012`), falls before
/// `day`: by the whole date where it is one, else by its year.
fn before(text: &str, day: NaiveDate) -> bool {
    if let Some(d) = super::tables::parse_date(text) {
        return d < day;
    }
    let year: String = text
        .chars()
        .rev()
        .take(4)
        .collect::<String>()
        .chars()
        .rev()
        .collect();
    year.parse::<i32>().is_ok_and(|y| y <= day.year())
}

/// The collection year's bounds, 1 April and 31 March.
fn bounds(first_year: i32) -> (NaiveDate, NaiveDate) {
    (
        year::collection_start(first_year),
        year::collection_end(first_year),
    )
}

/// Whether the child was looked after without a break through the collection year: the OC2
/// cohort as the DfE's rules define it. The period of care began by 1 April and did not end
/// before 31 March, and no episode in the year was a short break (V3, V4).
fn looked_after_twelve_months(child: &Child, start: NaiveDate, end: NaiveDate) -> bool {
    let through = child
        .care_periods
        .iter()
        .any(|p| p.start <= start && p.end.as_ref().is_none_or(|(d, _)| *d >= end));
    let short_break = episodes(child).iter().any(|e| {
        e.start <= end
            && e.end.is_none_or(|x| x >= start)
            && ["V3", "V4"].contains(&e.period.episodes[e.index].legal_status.as_str())
    });
    through && !short_break
}

/// The child's 17th to 21st birthday in the year, if they are a care leaver the OC3 table asks
/// about: a relevant or former relevant child (looked after for 13 weeks from age 14, and at 16
/// or later), not looked after on the birthday, and not died in care. A care leaver whose time in
/// care is not in the records at all (an imported return's OC3 row) is taken as one.
fn care_leaver_birthday(child: &Child, start: NaiveDate, end: NaiveDate) -> Option<NaiveDate> {
    let dob = child.details.date_of_birth?;
    let day = (17..=21)
        .map(|age| birthday(dob, age))
        .find(|b| (start..=end).contains(b))?;
    for p in &child.care_periods {
        let to = p.end.as_ref().map(|(d, _)| *d);
        if p.start <= day && to.is_none_or(|t| t >= day) {
            return None;
        }
        if p.end
            .as_ref()
            .is_some_and(|(_, reason)| reason.as_str() == "E2")
        {
            return None;
        }
    }
    // A period whose first episode is not its start began before the records do: its 13 weeks
    // cannot be counted, and are taken as served.
    let truncated = child
        .care_periods
        .iter()
        .any(|p| p.episodes[0].reason.as_str() != "S");
    let relevant = child.care_leaver_by(day) || truncated && child.left_care_at_16_by(day);
    (child.care_periods.is_empty() || relevant).then_some(day)
}

/// The child's sex as the year's return codes it: 1 and 2 until 2023/24, M, F and U from
/// 2024/25.
pub fn sex_code(sex: Sex, first_year: i32) -> &'static str {
    match (sex, first_year >= 2024) {
        (Sex::Male, true) => "M",
        (Sex::Female, true) => "F",
        (Sex::Unknown, true) => "U",
        (Sex::Male, false) => "1",
        (Sex::Female, false) => "2",
        (Sex::Unknown, false) => "0",
    }
}

/// The first collection year (2023/24) whose return lists the child's social workers.
const SOCIAL_WORKERS_FROM: i32 = 2023;
/// The first collection year (2026/27) whose return lists deprivation of liberty orders.
const LIBERTY_ORDERS_FROM: i32 = 2026;

/// The return's tables for the collection year beginning 1 April `first_year`, from the records.
/// Tables with no rows are still given, with their columns.
pub fn tables(model: &Model, first_year: i32) -> Vec<Table> {
    let mut children: Vec<&Child> = model.children.values().map(|c| &**c).collect();
    children.sort_by(|a, b| a.details.la_child_id.cmp(&b.details.la_child_id));
    let mut rows: Vec<Vec<Vec<Option<String>>>> = vec![Vec::new(); TableName::ALL.len()];
    for child in children {
        child_rows(model, child, first_year, &mut rows);
    }
    TableName::ALL
        .into_iter()
        .zip(rows)
        .filter(|(name, _)| match name {
            TableName::SwEpisodes => first_year >= SOCIAL_WORKERS_FROM,
            TableName::DoLo => first_year >= LIBERTY_ORDERS_FROM,
            _ => true,
        })
        .map(|(name, rows)| {
            let mut t = Table::new(name, name.columns());
            for (i, row) in rows.iter().enumerate() {
                t.push_row(i as u64, row.iter().map(|c| c.as_deref()));
            }
            t
        })
        .collect()
}

fn child_rows(
    model: &Model,
    child: &Child,
    first_year: i32,
    rows: &mut [Vec<Vec<Option<String>>>],
) {
    let (start, end) = bounds(first_year);
    let d = &child.details;
    let sex = Some(sex_code(d.sex, first_year).to_owned());
    let id = Some(d.la_child_id.clone());
    let dob = d.date_of_birth.map(date);
    let in_year: Vec<EpisodeRow> = episodes(child)
        .into_iter()
        .filter(|e| e.start <= end && e.end.is_none_or(|x| x >= start))
        .collect();
    let leaver_day =
        care_leaver_birthday(child, start, end).filter(|_| !child.care_leaver_contacts.is_empty());
    if in_year.is_empty() && leaver_day.is_none() {
        return;
    }
    let mut push = |table: TableName, row: Vec<Option<String>>| rows[table as usize].push(row);

    push(
        TableName::Header,
        vec![
            id.clone(),
            sex.clone(),
            dob.clone(),
            Some(d.ethnicity.to_string()),
            d.upn
                .clone()
                .or_else(|| d.upn_unknown.as_ref().map(|c| c.to_string())),
            // Motherhood is asked only of children looked after in the year (rules 628, 612).
            d.mother.filter(|_| !in_year.is_empty()).map(yes_no),
            d.first_child_born.filter(|_| !in_year.is_empty()).map(date),
        ],
    );

    for e in &in_year {
        let ep = &e.period.episodes[e.index];
        let next = e.period.episodes.get(e.index + 1);
        let ended = e.end.filter(|x| *x <= end);
        let rec = ended.map(|_| match (next, &e.period.end) {
            (Some(_), _) => "X1".to_owned(),
            (None, Some((_, reason))) => reason.to_string(),
            (None, None) => {
                unreachable!("an episode with an end has a next episode or a period end")
            }
        });
        let place_change = ended
            .and(next)
            .and_then(|n| n.reason_placement_changed.as_ref())
            .map(|c| c.to_string());
        let placement = &ep.placement;
        push(
            TableName::Episodes,
            vec![
                id.clone(),
                Some(date(e.start)),
                Some(ep.reason.to_string()),
                Some(ep.legal_status.to_string()),
                Some(ep.need.code().to_owned()),
                Some(placement.place.to_string()),
                Some(placement.provider.to_string()),
                ended.map(date),
                rec,
                place_change,
                placement.home_postcode.clone(),
                placement
                    .postcode
                    .clone()
                    .or_else(|| placement.postcode_district.clone()),
                placement.urn.clone(),
            ],
        );
    }

    if !in_year.is_empty() {
        for review in child
            .cla_reviews
            .iter()
            .filter(|r| (start..=end).contains(&r.date))
        {
            push(
                TableName::Reviews,
                vec![
                    id.clone(),
                    dob.clone(),
                    Some(date(review.date)),
                    review.participation.as_ref().map(|c| c.to_string()),
                ],
            );
        }
        if d.uasc || d.uasc_ceased.is_some() {
            let ceased = d
                .uasc_ceased
                .or_else(|| d.date_of_birth.map(|b| birthday(b, 18)));
            push(
                TableName::Uasc,
                vec![id.clone(), sex.clone(), dob.clone(), ceased.map(date)],
            );
        }
        let recorded = child.care_outcomes.iter().find(|o| o.at == end);
        if recorded.is_some() || looked_after_twelve_months(child, start, end) {
            let o = recorded.cloned().unwrap_or_default();
            let flag = |b: Option<bool>| b.map(yes_no);
            push(
                TableName::Oc2,
                vec![
                    id.clone(),
                    dob.clone(),
                    o.sdq_score.map(|s| s.to_string()),
                    o.sdq_reason.as_ref().map(|c| c.to_string()),
                    flag(o.convicted),
                    flag(o.health_check),
                    flag(o.immunisations),
                    flag(o.teeth_check),
                    flag(o.health_assessment),
                    flag(o.substance_misuse),
                    flag(o.intervention_received),
                    flag(o.intervention_offered),
                ],
            );
        }
        adoption_rows(child, start, end, &id, &dob, &mut push);
        let started_in_year = child
            .care_periods
            .iter()
            .find(|p| (start..=end).contains(&p.start) && p.episodes[0].reason.as_str() == "S");
        if let Some(period) = started_in_year {
            // The record holds the latest order the child left care under; one dated after this
            // period began belongs to a later return to care, so for this one it is not known.
            let prev = d
                .previous_permanence
                .clone()
                .filter(|p| p.date.as_deref().is_none_or(|t| before(t, period.start)))
                .unwrap_or_default();
            let order = if prev.order.as_str().is_empty() {
                "Z1".to_owned()
            } else {
                prev.order.to_string()
            };
            push(
                TableName::PrevPerm,
                vec![
                    id.clone(),
                    dob.clone(),
                    Some(order),
                    prev.council.as_ref().map(|c| c.to_string()),
                    prev.date.clone(),
                ],
            );
        }
        // Every worker who held the case in the social worker reporting period (this year and
        // the one before), looked after or not, until the child was last looked after, with
        // the Social Work England number of each (blank where none is recorded). For a child
        // who has left care the return's last episode ends when care did: the return follows
        // the child's social workers while looked after, not after.
        let reporting_start = start - Months::new(12);
        // The day care last ended in the year; none if the child is looked after on 31 March.
        let left_care = in_year.last().and_then(|e| e.end).filter(|d| *d <= end);
        for a in child.allocations.iter().filter(|a| {
            // A worker allocated the day care ended is allocated for the time after it.
            let before_leaving = left_care.is_none_or(|l| a.from < l);
            // A worker replaced the day they were allocated held no episode of their own.
            let lasted = a.to != Some(a.from);
            lasted && before_leaving && a.from <= end && a.to.is_none_or(|t| t > reporting_start)
        }) {
            let ended = match (a.to, left_care) {
                (Some(t), Some(l)) => Some(t.min(l)),
                (None, l) => l,
                (t, None) => t.filter(|t| *t <= end),
            };
            let registration = model
                .workers
                .get(&a.worker)
                .and_then(|w| w.registration.clone());
            push(
                TableName::SwEpisodes,
                vec![
                    id.clone(),
                    dob.clone(),
                    registration,
                    Some(date(a.from)),
                    ended.map(date),
                    a.reason.as_ref().map(|c| c.to_string()),
                ],
            );
        }
        // Deprivation of liberty orders in force at some time in the year.
        for order in child
            .liberty_orders
            .iter()
            .filter(|o| o.start <= end && o.end.is_none_or(|e| e >= start))
        {
            push(
                TableName::DoLo,
                vec![
                    id.clone(),
                    dob.clone(),
                    Some(date(order.start)),
                    order.end.filter(|e| *e <= end).map(date),
                ],
            );
        }
        // Missing or away while looked after, starting in the year or still open at its start
        // (last year's open period is given again with its end); still missing on 31 March has
        // no end.
        let looked_after = |d: NaiveDate| {
            child
                .care_periods
                .iter()
                .any(|p| p.start <= d && p.end.as_ref().is_none_or(|(e, _)| d <= *e))
        };
        for m in child.missing.iter().filter(|m| {
            let d = m.start.date();
            let open_at_start = d < start && m.end.is_none_or(|e| e.date() >= start);
            ((start..=end).contains(&d) || open_at_start) && looked_after(d)
        }) {
            push(
                TableName::Missing,
                vec![
                    id.clone(),
                    dob.clone(),
                    Some(
                        match m.kind {
                            domain::codes::MissingKind::Missing => "M",
                            domain::codes::MissingKind::Away => "A",
                        }
                        .to_owned(),
                    ),
                    Some(date(m.start.date())),
                    m.end.map(|e| e.date()).filter(|e| *e <= end).map(date),
                ],
            );
        }
    }

    if let Some(day) = leaver_day {
        // The contact nearest the birthday, within three months either side, as the DfE asks.
        let window = (day - Months::new(3))..=(day + Months::new(3));
        let contact = child
            .care_leaver_contacts
            .iter()
            .filter(|c| window.contains(&c.at))
            .min_by_key(|c| (c.at - day).num_days().abs());
        if let Some(c) = contact {
            let in_touch = match (&c.not_in_touch_reason, c.in_touch) {
                (Some(reason), _) => reason.to_string(),
                (None, true) => "YES".to_owned(),
                (None, false) => "NO".to_owned(),
            };
            // Not in touch: activity and accommodation are "0", as the DfE asks.
            let none = (!c.in_touch).then(|| "0".to_owned());
            let accommodation = c.accommodation.as_ref().map(|a| {
                if a.as_str() == "0" {
                    a.to_string()
                } else {
                    match c.accommodation_suitable {
                        Some(true) => format!("{a}1"),
                        Some(false) => format!("{a}2"),
                        None => a.to_string(),
                    }
                }
            });
            push(
                TableName::Oc3,
                vec![
                    id.clone(),
                    dob.clone(),
                    Some(in_touch),
                    c.activity.map(|a| a.code().to_owned()).or(none.clone()),
                    accommodation.or(none),
                ],
            );
        }
    }
}

/// AD1 for a child adopted in the year; placed-for-adoption rows for every decision that the
/// child should be placed for adoption open at some time in the year.
fn adoption_rows(
    child: &Child,
    start: NaiveDate,
    end: NaiveDate,
    id: &Option<String>,
    dob: &Option<String>,
    push: &mut impl FnMut(TableName, Vec<Option<String>>),
) {
    let step = |s: PermanenceStep| {
        child
            .permanence_steps
            .iter()
            .filter(move |(k, _)| *k == s)
            .map(|(_, d)| *d)
    };
    let adopted = child.care_periods.iter().find_map(|p| match &p.end {
        Some((d, reason))
            if (start..=end).contains(d) && ["E11", "E12"].contains(&reason.as_str()) =>
        {
            Some(*d)
        }
        _ => None,
    });
    if let Some(on) = adopted {
        let decided = step(PermanenceStep::AdoptionDecision).rfind(|d| *d <= on);
        let matched = step(PermanenceStep::Matched).rfind(|d| *d <= on);
        let adopters = child.adopters.iter().rev().find(|a| a.at <= on);
        push(
            TableName::Ad1,
            vec![
                id.clone(),
                dob.clone(),
                decided.map(date),
                matched.map(date),
                adopters.map(|a| yes_no(a.foster_carers)),
                adopters.map(|a| a.number.to_string()),
                adopters.map(|a| a.sex.to_string()),
                adopters.map(|a| a.legal_status.to_string()),
            ],
        );
    }
    let decisions: Vec<NaiveDate> = step(PermanenceStep::AdoptionDecision).collect();
    for (i, &decided) in decisions.iter().enumerate() {
        // A decision ends at the first "ceased" after it and before the next decision.
        let next = decisions.get(i + 1).copied();
        let stop = child
            .adoption_decisions_ceased
            .iter()
            .find(|(d, _)| *d >= decided && next.is_none_or(|n| *d < n));
        // A decision also ends with the period of care it was made in (the child adopted, or
        // leaving care otherwise), though no "ceased" is recorded then.
        let period_end = child
            .care_periods
            .iter()
            .find(|p| p.start <= decided && p.end.as_ref().is_none_or(|(e, _)| decided <= *e))
            .and_then(|p| p.end.as_ref().map(|(e, _)| *e));
        let open_in_year = decided <= end
            && stop.is_none_or(|(d, _)| *d >= start)
            && period_end.is_none_or(|e| e >= start);
        if !open_in_year {
            continue;
        }
        let stop = stop.filter(|(d, _)| *d <= end);
        push(
            TableName::PlacedAdoption,
            vec![
                id.clone(),
                dob.clone(),
                Some(date(decided)),
                stop.map(|(d, _)| date(*d)),
                stop.and_then(|(_, r)| r.as_ref().map(|c| c.to_string())),
            ],
        );
    }
}

/// Writes each table as its DfE file in `dir`.
pub fn write_dir(tables: &[Table], dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for t in tables {
        let path = dir.join(t.name().file_name());
        let mut w = csv::Writer::from_path(&path)?;
        let names: Vec<&str> = t.column_names().collect();
        w.write_record(&names)?;
        for row in t.rows() {
            w.write_record(names.iter().map(|c| t.col(c).text(row).unwrap_or("")))?;
        }
        w.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leap_day_birthday_falls_on_the_first_of_march() {
        let dob = NaiveDate::from_ymd_opt(2008, 2, 29).unwrap();
        assert_eq!(
            birthday(dob, 17),
            NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()
        );
        assert_eq!(
            birthday(dob, 16),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
    }
}
