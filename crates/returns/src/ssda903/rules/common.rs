//! What many rules share: code lists, ages, and the common shapes of check.

use super::Hits;
use crate::ssda903::submission::Return;
use crate::ssda903::tables::{Child, Table, TableName};
use chrono::NaiveDate;

pub const ETHNIC: &[&str] = &[
    "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN",
    "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
];

pub const IN_TOUCH: &[&str] = &["YES", "NO", "DIED", "REFU", "NREQ", "RHOM"];

pub const ACTIV: &[&str] = &[
    "F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0",
];

/// Accommodation after leaving care: a kind and 1 (suitable) or 2 (not); no fixed abode (S) and
/// custody (X) are never suitable.
pub const ACCOM: &[&str] = &[
    "B1", "B2", "C1", "C2", "D1", "D2", "E1", "E2", "G1", "G2", "H1", "H2", "K1", "K2", "R1", "R2",
    "S2", "T1", "T2", "U1", "U2", "V1", "V2", "W1", "W2", "X2", "Y1", "Y2", "Z1", "Z2", "0",
];

pub const REASON_PLACED_CEASED: &[&str] = &["RD1", "RD2", "RD3", "RD4"];

/// Whole years from `dob` to `on`, as everywhere in Hearth.
pub use domain::age::age_on;

/// Rows whose `column` holds something that is not a date (blank passes).
pub fn bad_dates(r: &Return, table: TableName, column: &str, out: &mut Hits) -> Option<()> {
    let t = r.table(table)?;
    let c = t.col(column);
    out.extend(table, t.rows_where(|i| c.is_bad_date(i)));
    Some(())
}

/// Rows whose `column` is filled but not one of `codes`; blank rows fail too when `required`.
pub fn bad_codes(
    r: &Return,
    table: TableName,
    column: &str,
    codes: &[&str],
    required: bool,
    out: &mut Hits,
) -> Option<()> {
    let t = r.table(table)?;
    let c = t.col(column);
    out.extend(
        table,
        t.rows_where(|i| c.text(i).map_or(required, |v| !codes.contains(&v))),
    );
    Some(())
}

pub const RNE: &[&str] = &["S", "L", "P", "T", "B", "U"];

pub const LS: &[&str] = &[
    "C1", "C2", "D1", "E1", "V2", "V3", "V4", "J1", "J2", "J3", "L1", "L2", "L3",
];

/// Legal statuses of an agreed series of short breaks.
pub const SHORT_BREAKS: &[&str] = &["V3", "V4"];

pub const CIN: &[&str] = &["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"];

/// Placement types to 2023/24.
pub const PLACE_2022: &[&str] = &[
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1", "T0",
    "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
];

/// Placement types in 2024/25: K3 (supported accommodation) added.
pub const PLACE_2024: &[&str] = &[
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "K3", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1",
    "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1",
];

/// Placement types from 2025/26: H5, P2 and Z1 gone, Z11 to Z14 added.
pub const PLACE_2025: &[&str] = &[
    "A3", "A4", "A5", "A6", "K1", "K2", "K3", "P1", "P3", "R1", "R2", "R3", "R5", "S1", "T0", "T1",
    "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z11", "Z12", "Z13", "Z14",
];

/// Temporary placements.
pub const TEMPORARY: &[&str] = &["T0", "T1", "T2", "T3", "T4"];

pub const PLACE_PROVIDER: &[&str] = &["PR0", "PR1", "PR2", "PR3", "PR4", "PR5"];

pub const REC: &[&str] = &[
    "X1", "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48", "E5",
    "E6", "E7", "E8", "E9", "E14", "E15", "E16", "E17",
];

pub const REVIEW_CODE: &[&str] = &["PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"];

pub const SEX_ADOPTR: &[&str] = &["M1", "F1", "MM", "FF", "MF"];

pub const LS_ADOPTR: &[&str] = &["L0", "L11", "L12", "L2", "L3", "L4"];

pub const SDQ_REASON: &[&str] = &["SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"];

/// The OC2 items on children looked after for 12 months, but the SDQ.
pub const OC2_ITEMS: &[&str] = &[
    "CONVICTED",
    "HEALTH_CHECK",
    "IMMUNISATIONS",
    "TEETH_CHECK",
    "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE",
    "INTERVENTION_RECEIVED",
    "INTERVENTION_OFFERED",
];

/// Male: 1 to 2023/24, M from 2024/25.
pub fn is_male(sex: Option<&str>) -> bool {
    matches!(sex, Some("1" | "M"))
}

/// Female: 2 to 2023/24, F from 2024/25.
pub fn is_female(sex: Option<&str>) -> bool {
    matches!(sex, Some("2" | "F"))
}

/// A value for each child of a return (the default for a blank CHILD).
pub struct PerChild<T>(Vec<T>, T);

impl<T: Clone + Default> PerChild<T> {
    pub fn new(r: &Return) -> PerChild<T> {
        PerChild(vec![T::default(); r.child_count()], T::default())
    }

    pub fn get(&self, c: Child) -> &T {
        if c.is_none() {
            &self.1
        } else {
            &self.0[c.0 as usize]
        }
    }

    /// The child's value to change; `None` for a blank CHILD.
    pub fn slot(&mut self, c: Child) -> Option<&mut T> {
        if c.is_none() {
            None
        } else {
            Some(&mut self.0[c.0 as usize])
        }
    }
}

/// A yes/no flag for each child.
pub type Flags = PerChild<bool>;

impl PerChild<bool> {
    pub fn set(&mut self, c: Child) {
        if let Some(f) = self.slot(c) {
            *f = true;
        }
    }

    pub fn has(&self, c: Child) -> bool {
        *self.get(c)
    }
}

/// The first episode of the period of care that the child's latest episode belongs to, from the
/// child's episodes in start order: going back, episodes chain while the earlier one ended X1 (a
/// new episode begins) and the later one is not a new period of care (RNE S). Short breaks (V3,
/// V4) are periods of their own.
pub fn period_start(eps: &Table, rows: &[u32]) -> Option<usize> {
    let (ls, rne, rec) = (eps.col("LS"), eps.col("RNE"), eps.col("REC"));
    let short = |k: usize| is_short_break(ls.text(rows[k] as usize));
    let mut first = rows.len().checked_sub(1)?;
    while first > 0
        && rec.is(rows[first - 1] as usize, "X1")
        && !rne.is(rows[first] as usize, "S")
        && !short(first - 1)
        && !short(first)
    {
        first -= 1;
    }
    Some(rows[first] as usize)
}

/// The start of the period of care a child is in at 31 March, with the child's latest episode, from
/// the child's episodes in start order. The latest episode must still be open at 31 March (open,
/// ending after it, or ending X1 into a next episode) and not a short break.
pub fn in_care_at_end(r: &Return, eps: &Table, rows: &[u32]) -> Option<(NaiveDate, usize)> {
    let (ls, dec, rec) = (eps.col("LS"), eps.col("DEC"), eps.col("REC"));
    let last = *rows.last()? as usize;
    let open = dec.date(last).is_none_or(|d| d > r.end()) || rec.is(last, "X1");
    if !open || is_short_break(ls.text(last)) {
        return None;
    }
    Some((eps.col("DECOM").date(period_start(eps, rows)?)?, last))
}

/// Children looked after continuously through the collection year (the OC2 cohort), as the
/// DfE's validation rules define it: looked after at some time in the year, with no episode
/// that shows otherwise: none starting a new period of care (RNE S) after 1 April, none ending
/// one (a reason other than X1) from 1 April to 30 March, and no short break (V3, V4) in the year.
pub fn continuously_looked_after(r: &Return) -> Option<Flags> {
    let eps = r.table(TableName::Episodes)?;
    let (decom, dec) = (eps.col("DECOM"), eps.col("DEC"));
    let (rne, rec, ls) = (eps.col("RNE"), eps.col("REC"), eps.col("LS"));
    let (start, end) = (r.start(), r.end());
    let (mut during, mut broken) = (Flags::new(r), Flags::new(r));
    for i in eps.rows() {
        let c = eps.child(i);
        let began = decom.date(i);
        let ended = dec.date(i);
        let in_year = began.is_some_and(|d| d <= end) && ended.is_none_or(|d| d >= start);
        let enters = rne.is(i, "S") && began.is_some_and(|d| start < d && d <= end);
        let leaves = !rec.is(i, "X1") && ended.is_some_and(|d| start <= d && d < end);
        if in_year {
            during.set(c);
        }
        if enters || leaves || (in_year && ls.is_in(i, SHORT_BREAKS)) {
            broken.set(c);
        }
    }
    let mut flags = Flags::new(r);
    for c in (0..r.child_count() as u32).map(Child) {
        if during.has(c) && !broken.has(c) {
            flags.set(c);
        }
    }
    Some(flags)
}

/// Children who are or were unaccompanied asylum seekers: UASC flagged in this or last year's
/// header (XML returns), or a date UASC ceased in this or last year's UASC table.
pub fn uasc_children(r: &Return) -> Flags {
    let mut flags = Flags::new(r);
    for t in [r.table(TableName::Header), r.last(TableName::Header)]
        .into_iter()
        .flatten()
    {
        let u = t.col("UASC");
        t.rows()
            .filter(|&i| u.is(i, "1"))
            .for_each(|i| flags.set(t.child(i)));
    }
    for t in [r.table(TableName::Uasc), r.last(TableName::Uasc)]
        .into_iter()
        .flatten()
    {
        let duc = t.col("DUC");
        t.rows()
            .filter(|&i| duc.is_filled(i))
            .for_each(|i| flags.set(t.child(i)));
    }
    flags
}

/// A placement LA outside England: Wales, Scotland, Northern Ireland (codes or `WAL`, `SCO`, `NIR`).
pub fn outside_england(pl_la: Option<&str>) -> bool {
    pl_la.is_some_and(|la| la.starts_with(['W', 'S', 'N']))
}

/// A postcode without spaces, in capitals.
pub fn postcode(p: &str) -> String {
    p.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// A URN that names a provider: filled and not `XXXXXXX` (no URN applies).
pub fn real_urn(urn: Option<&str>) -> Option<&str> {
    urn.filter(|u| *u != "XXXXXXX")
}

/// A short break (V3, V4; any case).
pub fn is_short_break(ls: Option<&str>) -> bool {
    ls.is_some_and(|l| SHORT_BREAKS.iter().any(|s| s.eq_ignore_ascii_case(l)))
}

/// The child's date of birth from the header.
pub fn dob(r: &Return, c: Child) -> Option<NaiveDate> {
    let h = r.table(TableName::Header)?;
    let dob = h.col("DOB");
    h.rows_of(c).iter().find_map(|&i| dob.date(i as usize))
}

/// Episodes that `pick` selects where the child's age on the episode's date `when` (from the
/// header's DOB) fails `ok`. With `with_header`, the child's header row fails too.
pub fn episode_ages(
    r: &Return,
    pick: impl Fn(&Table, usize) -> bool,
    when: &str,
    ok: impl Fn(i32) -> bool,
    with_header: bool,
    out: &mut Hits,
) -> Option<()> {
    let (eps, h) = (r.table(TableName::Episodes)?, r.table(TableName::Header)?);
    let (date, born) = (eps.col(when), h.col("DOB"));
    for i in eps.rows().filter(|&i| pick(eps, i)) {
        let Some(on) = date.date(i) else { continue };
        let bad: Vec<usize> = h
            .rows_of(eps.child(i))
            .iter()
            .map(|&j| j as usize)
            .filter(|&j| born.date(j).is_some_and(|d| !ok(age_on(d, on))))
            .collect();
        if !bad.is_empty() {
            out.push(TableName::Episodes, i);
            if with_header {
                out.extend(TableName::Header, bad);
            }
        }
    }
    Some(())
}

/// A UK postcode, with or without its space.
pub fn valid_postcode(p: &str) -> bool {
    let p = postcode(p);
    let b = p.as_bytes();
    if b.len() < 5 || b.len() > 7 {
        return false;
    }
    let (outward, inward) = b.split_at(b.len() - 3);
    let inward_ok = inward[0].is_ascii_digit() && inward[1..].iter().all(u8::is_ascii_alphabetic);
    let shape: String = outward
        .iter()
        .map(|c| {
            if c.is_ascii_digit() {
                '9'
            } else if c.is_ascii_alphabetic() {
                'A'
            } else {
                '?'
            }
        })
        .collect();
    inward_ok && ["A9", "A99", "AA9", "AA99", "A9A", "AA9A"].contains(&shape.as_str())
}

/// Each child's episodes in start order, as (previous, episode) pairs.
pub fn pairs(eps: &Table) -> impl Iterator<Item = (usize, usize)> + '_ {
    eps.by_start()
        .iter()
        .flat_map(|rows| rows.windows(2).map(|w| (w[0] as usize, w[1] as usize)))
}

/// For each child whose latest episode last year was still open, this year's first episode should
/// continue it: it fails unless `same(this year, its first row, last year, that row)`. Skipped
/// when either year lacks one of `fields`.
pub fn carried_over(
    r: &Return,
    fields: &[&str],
    same: impl Fn(&Table, usize, &Table, usize) -> bool,
    out: &mut Hits,
) -> Option<()> {
    let (eps, last) = (r.table(TableName::Episodes)?, r.last(TableName::Episodes)?);
    if fields.iter().any(|f| !eps.has(f) || !last.has(f)) {
        return None;
    }
    let open = last.col("DEC");
    for rows in eps.by_start().iter() {
        let first = rows[0] as usize;
        let Some(&before) = last.by_start().of(eps.child(first)).last() else {
            continue;
        };
        let before = before as usize;
        if open.is_blank(before) && !same(eps, first, last, before) {
            out.push(TableName::Episodes, first);
        }
    }
    Some(())
}

/// Rows of `t` whose period (`start` to `end`, open if no end) begins while an earlier-starting
/// period of the same child is still open or has not yet ended.
pub fn overlapping(t: &Table, start: &str, end: &str) -> Vec<usize> {
    let (from, to) = (t.col(start), t.col(end));
    let mut found = Vec::new();
    for rows in t.by_child().iter() {
        let mut rows: Vec<(NaiveDate, usize)> = rows
            .iter()
            .filter_map(|&i| Some((from.date(i as usize)?, i as usize)))
            .collect();
        rows.sort();
        // The latest end so far; `None` inside once an earlier period is open.
        let mut reach: Option<Option<NaiveDate>> = None;
        for (s, i) in rows {
            if reach.is_some_and(|r| r.is_none_or(|e| e > s)) {
                found.push(i);
            }
            let e = to.date(i);
            reach = Some(match (reach, e) {
                (Some(None), _) | (_, None) => None,
                (Some(Some(a)), Some(b)) => Some(a.max(b)),
                (None, Some(b)) => Some(b),
            });
        }
    }
    found
}

/// The care leaver (OC3) items.
pub const OC3_ITEMS: &[&str] = &["IN_TOUCH", "ACTIV", "ACCOM"];

/// An OC3 row that holds care leaver information: any item filled. (A table carrying none of the
/// item columns, as some test inputs do, counts every row.)
pub fn leaver_info(oc3: &Table, i: usize) -> bool {
    let present: Vec<&str> = OC3_ITEMS.iter().copied().filter(|f| oc3.has(f)).collect();
    present.is_empty() || present.iter().any(|f| oc3.col(f).is_filled(i))
}

/// The day the child turns `years` as the rules count it: whole years of months, so a 29
/// February birthday falls on 28 February in other years (the records' own birthdays,
/// `domain::age::birthday`, fall on 1 March). The rules' answers are the DfE's, not Hearth's.
pub fn birthday(dob: NaiveDate, years: u32) -> Option<NaiveDate> {
    dob.checked_add_months(chrono::Months::new(12 * years))
}

/// The child has an episode overlapping the collection year.
pub fn looked_after_in_year(r: &Return, eps: &Table, c: Child) -> bool {
    let (decom, dec) = (eps.col("DECOM"), eps.col("DEC"));
    eps.rows_of(c).iter().map(|&e| e as usize).any(|e| {
        decom.date(e).is_some_and(|d| d <= r.end()) && dec.date(e).is_none_or(|d| d >= r.start())
    })
}

/// Each child's periods of care, from its episodes in start order: a period runs on while each
/// episode starts no later than the one before it ended (or the one before has not ended). Each
/// period is its first start and its last episode's end (`None` if that is open).
pub fn periods_of_care(eps: &Table) -> PerChildPeriods<'_> {
    PerChildPeriods { eps }
}

pub struct PerChildPeriods<'a> {
    eps: &'a Table,
}

impl PerChildPeriods<'_> {
    pub fn of(&self, c: Child) -> Vec<(NaiveDate, Option<NaiveDate>)> {
        let (decom, dec) = (self.eps.col("DECOM"), self.eps.col("DEC"));
        let mut periods: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::new();
        let mut last_end: Option<Option<NaiveDate>> = None;
        for &e in self.eps.by_start().of(c) {
            let e = e as usize;
            let Some(start) = decom.date(e) else { continue };
            let new = match last_end {
                None => true,
                Some(None) => false,
                Some(Some(end)) => start > end,
            };
            if new {
                periods.push((start, dec.date(e)));
            } else if let Some(p) = periods.last_mut() {
                p.1 = dec.date(e);
            }
            last_end = Some(dec.date(e));
        }
        periods
    }
}

/// Rows of `t` (a period with `start` and `end` columns, such as a missing period or a DoLO)
/// that fit in none of the child's periods of care: open though the care has ended or began
/// later, or ending after the care ended or before it began. Rows without a start date, and
/// children with no episodes, are not checked. A child whose first episode in the return carries
/// on from before it (a reason other than S) was in care before that episode, so nothing is
/// "before the care began" in that period.
pub fn outside_care(r: &Return, t: &Table, start: &str, end: &str) -> Option<Vec<usize>> {
    let eps = r.table(TableName::Episodes)?;
    let periods = periods_of_care(eps);
    let rne = eps.col("RNE");
    let (from, to) = (t.col(start), t.col(end));
    let mut found = Vec::new();
    for i in t.rows() {
        let Some(s) = from.date(i) else { continue };
        let e = to.date(i);
        let mut care = periods.of(t.child(i));
        let first = eps.by_start().of(t.child(i)).first().map(|&e| e as usize);
        if let (Some(first), Some(period)) = (first, care.first_mut())
            && rne.text(first).is_some_and(|x| x != "S")
        {
            period.0 = NaiveDate::MIN;
        }
        let outside = |&(began, ended): &(NaiveDate, Option<NaiveDate>)| match e {
            None => ended.is_some() || s < began,
            Some(e) => ended.is_some_and(|d| e > d) || e < began,
        };
        if !care.is_empty() && care.iter().all(outside) {
            found.push(i);
        }
    }
    Some(found)
}
