//! Rules 700 to 799: deprivation of liberty orders (DoLOs, from 2026/27).

use super::common::*;
use super::{Hits, Implementation, rule};
use crate::ssda903::submission::Return;
use crate::ssda903::tables::TableName::*;
use crate::ssda903::year::Year::*;

pub(super) const RULES: &[Implementation] = &[
    rule("700", Y2026_27, rule_700),
    rule("701", Y2026_27, rule_701),
    rule("702", Y2026_27, rule_702),
    rule("703", Y2026_27, rule_703),
    rule("704", Y2026_27, rule_704),
    rule("705", Y2026_27, rule_705),
    rule("706", Y2026_27, rule_706),
    rule("707", Y2026_27, rule_707),
    rule("708", Y2026_27, rule_708),
    rule("709", Y2026_27, rule_709),
    rule("710", Y2026_27, rule_710),
];

/// The DoLO's start is blank or not a date.
fn rule_700(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(DoLo)?;
    let start = t.col("DOLO_START");
    out.extend(DoLo, t.rows_where(|i| start.date(i).is_none()));
    Some(())
}

fn rule_701(r: &Return, out: &mut Hits) -> Option<()> {
    bad_dates(r, DoLo, "DOLO_END", out)
}

/// The DoLO ends on or before the day it starts.
fn rule_702(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(DoLo)?;
    let (start, end) = (t.col("DOLO_START"), t.col("DOLO_END"));
    out.extend(
        DoLo,
        t.rows_where(|i| start.date(i).zip(end.date(i)).is_some_and(|(s, e)| e <= s)),
    );
    Some(())
}

/// The DoLO starts after the year.
fn rule_703(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(DoLo)?;
    let start = t.col("DOLO_START");
    out.extend(
        DoLo,
        t.rows_where(|i| start.date(i).is_some_and(|d| d > r.end())),
    );
    Some(())
}

/// The DoLO ends outside the year.
fn rule_704(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(DoLo)?;
    let end = t.col("DOLO_END");
    out.extend(
        DoLo,
        t.rows_where(|i| end.date(i).is_some_and(|d| d < r.start() || d > r.end())),
    );
    Some(())
}

/// A DoLO starting while an earlier one is open or has not ended.
fn rule_705(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(DoLo)?;
    out.extend(DoLo, overlapping(t, "DOLO_START", "DOLO_END"));
    Some(())
}

/// Last year's return ended with an open DoLO, and none this year starts that day: the child's
/// first DoLO this year, which should continue it, fails.
fn rule_706(r: &Return, out: &mut Hits) -> Option<()> {
    let (t, last) = (r.table(DoLo)?, r.last(DoLo)?);
    let (now, then, then_end) = (
        t.col("DOLO_START"),
        last.col("DOLO_START"),
        last.col("DOLO_END"),
    );
    for rows in t.by_start().iter() {
        let c = t.child(rows[0] as usize);
        let open = last.rows_of(c).iter().filter_map(|&j| {
            then_end
                .is_blank(j as usize)
                .then(|| then.date(j as usize))
                .flatten()
        });
        for start in open.collect::<Vec<_>>() {
            if !rows.iter().any(|&i| now.date(i as usize) == Some(start)) {
                out.push(DoLo, rows[0] as usize);
            }
        }
    }
    Some(())
}

/// The DoLO starts on or before the child's birth.
fn rule_708(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(DoLo)?;
    let (dob, start) = (t.col("DOB"), t.col("DOLO_START"));
    out.extend(
        DoLo,
        t.rows_where(|i| dob.date(i).zip(start.date(i)).is_some_and(|(b, s)| s <= b)),
    );
    Some(())
}

/// A DoLO during a placement in a secure children's home (K1), with parents (P1), in a young
/// offender institution (R5) or in supported accommodation (K3): the DoLO and the episode fail.
/// An open DoLO, or episode, runs to the end of the year.
fn rule_710(r: &Return, out: &mut Hits) -> Option<()> {
    let (t, eps) = (r.table(DoLo)?, r.table(Episodes)?);
    let (start, end) = (t.col("DOLO_START"), t.col("DOLO_END"));
    let (place, decom, dec) = (eps.col("PLACE"), eps.col("DECOM"), eps.col("DEC"));
    for i in t.rows() {
        let Some(s) = start.date(i) else { continue };
        let e = end.date(i).unwrap_or(r.end());
        for &k in eps.rows_of(t.child(i)) {
            let k = k as usize;
            let overlaps =
                decom.date(k).is_some_and(|from| from <= e) && dec.date(k).unwrap_or(r.end()) >= s;
            if overlaps && place.is_in(k, &["K1", "P1", "R5", "K3"]) {
                out.push(DoLo, i);
                out.push(Episodes, k);
            }
        }
    }
    Some(())
}

/// A DoLO outside every period of care of the child (as rule 577 for missing periods): open when
/// the child has ceased to be looked after, or ending after the care ended or before it began.
fn rule_707(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(DoLo)?;
    out.extend(DoLo, outside_care(r, t, "DOLO_START", "DOLO_END")?);
    Some(())
}

/// A DoLO with both dates overlapping an episode whose placement is not a children's home (K2)
/// or one of the other placements a DoLO allows (Z12, Z13): the DoLO and the episode fail.
fn rule_709(r: &Return, out: &mut Hits) -> Option<()> {
    let (t, eps) = (r.table(DoLo)?, r.table(Episodes)?);
    let (start, end) = (t.col("DOLO_START"), t.col("DOLO_END"));
    let (decom, dec, place) = (eps.col("DECOM"), eps.col("DEC"), eps.col("PLACE"));
    for i in t.rows().filter(|&i| start.is_filled(i) && end.is_filled(i)) {
        let (s, e) = (start.date(i), end.date(i));
        for &j in eps.rows_of(t.child(i)) {
            let j = j as usize;
            let overlaps = (dec.date(j).is_none()
                || s.zip(dec.date(j)).is_some_and(|(s, d)| s <= d))
                && e.zip(decom.date(j)).is_some_and(|(e, d)| e >= d);
            if overlaps && !place.is_in(j, &["K2", "Z12", "Z13"]) {
                out.push(DoLo, i);
                out.push(Episodes, j);
            }
        }
    }
    Some(())
}
