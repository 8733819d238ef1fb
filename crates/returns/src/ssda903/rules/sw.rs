//! The social worker episode rules (SW…, from 2023/24).

use super::common::*;
use super::{Hits, Implementation, rule};
use crate::ssda903::submission::Return;
use crate::ssda903::tables::TableName::*;
use crate::ssda903::year::Year::*;
use chrono::{Months, NaiveDate};

pub(super) const RULES: &[Implementation] = &[
    rule("SW01STG1", Y2023_24, rule_sw01stg1),
    rule("SW01aSTG1", Y2024_25, rule_sw01astg1),
    rule("SW01bSTG1", Y2024_25, rule_sw01bstg1),
    rule("SW02STG1", Y2023_24, rule_sw02stg1),
    rule("SW02STG1", Y2025_26, rule_sw02stg1_v2025),
    rule("SW03STG1", Y2023_24, rule_sw03stg1),
    rule("SW04STG1", Y2023_24, rule_sw04stg1),
    rule("SW05STG1", Y2023_24, rule_sw05stg1),
    rule("SW06STG2", Y2023_24, rule_sw06stg2),
    rule("SW07STG2", Y2023_24, rule_sw07stg2),
    rule("SW07STG2", Y2024_25, rule_sw07stg2_v2024),
    rule("SW08STG2", Y2023_24, rule_sw08stg2),
    rule("SW09STG2", Y2023_24, rule_sw09stg2),
    rule("SW10STG2", Y2023_24, rule_sw10stg2),
    rule("SW10aSTG2", Y2025_26, rule_sw10astg2),
    rule("SW10bSTG2", Y2025_26, rule_sw10bstg2),
    rule("SW11aSTG2", Y2023_24, rule_sw11astg2),
    rule("SW11bSTG2", Y2023_24, rule_sw11bstg2),
    rule("SW12STG2", Y2023_24, rule_sw12stg2),
    rule("SW12STG2", Y2024_25, rule_sw12stg2_v2024),
    rule("SW13STG1", Y2023_24, rule_sw13stg1),
    rule("SW13STG1", Y2024_25, rule_sw13stg1_v2024),
    rule("SW14STG2", Y2023_24, rule_sw14stg2),
    rule("SW17STG2", Y2025_26, rule_sw17stg2),
    rule("SW18STG2", Y2025_26, rule_sw18stg2),
    rule("SW19STG2", Y2025_26, rule_sw19stg2),
];

const SW_REASON: &[&str] = &[
    "MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "SWDIED",
    "OTHERS",
];

/// The social worker ID does not begin SW or XX.
fn rule_sw02stg1(r: &Return, out: &mut Hits) -> Option<()> {
    sw_id(r, 2, out)
}

/// From 2025/26 something must follow the SW or XX.
fn rule_sw02stg1_v2025(r: &Return, out: &mut Hits) -> Option<()> {
    sw_id(r, 3, out)
}

fn sw_id(r: &Return, min_len: usize, out: &mut Hits) -> Option<()> {
    let t = r.table(SwEpisodes)?;
    let id = t.col("SW_ID");
    let ok = |s: &str| (s.starts_with("SW") || s.starts_with("XX")) && s.len() >= min_len;
    out.extend(
        SwEpisodes,
        t.rows_where(|i| id.text(i).is_some_and(|s| !ok(s))),
    );
    Some(())
}

/// The social worker's ID, start date or reason for change is blank.
fn rule_sw03stg1(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(SwEpisodes)?;
    let cols: Vec<_> = ["SW_ID", "SW_DECOM", "SW_REASON"]
        .iter()
        .map(|f| t.col(f))
        .collect();
    out.extend(
        SwEpisodes,
        t.rows_where(|i| cols.iter().any(|c| c.is_blank(i))),
    );
    Some(())
}

fn rule_sw04stg1(r: &Return, out: &mut Hits) -> Option<()> {
    bad_dates(r, SwEpisodes, "SW_DECOM", out)
}

/// The date the social worker episode ended is not a date (the catalogue's message says began).
fn rule_sw05stg1(r: &Return, out: &mut Hits) -> Option<()> {
    bad_dates(r, SwEpisodes, "SW_DEC", out)
}

/// A social worker episode starting after the year.
fn rule_sw06stg2(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(SwEpisodes)?;
    let start = t.col("SW_DECOM");
    out.extend(
        SwEpisodes,
        t.rows_where(|i| start.date(i).is_some_and(|d| d > r.end())),
    );
    Some(())
}

/// A social worker episode ending outside the year.
fn rule_sw07stg2(r: &Return, out: &mut Hits) -> Option<()> {
    sw_ends_outside(r, r.start(), out)
}

/// From 2024/25 the social worker reporting period is this year and the one before: an episode
/// ending before that, or after 31 March.
fn rule_sw07stg2_v2024(r: &Return, out: &mut Hits) -> Option<()> {
    sw_ends_outside(r, r.start().checked_sub_months(Months::new(12))?, out)
}

fn sw_ends_outside(r: &Return, from: NaiveDate, out: &mut Hits) -> Option<()> {
    let t = r.table(SwEpisodes)?;
    let end = t.col("SW_DEC");
    out.extend(
        SwEpisodes,
        t.rows_where(|i| end.date(i).is_some_and(|d| d < from || d > r.end())),
    );
    Some(())
}

/// Every social worker episode but the child's latest must have ended.
fn rule_sw08stg2(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(SwEpisodes)?;
    let end = t.col("SW_DEC");
    for rows in t.by_start().iter() {
        out.extend(
            SwEpisodes,
            rows[..rows.len() - 1]
                .iter()
                .map(|&i| i as usize)
                .filter(|&i| end.is_blank(i)),
        );
    }
    Some(())
}

/// A social worker episode ending the day it began.
fn rule_sw09stg2(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(SwEpisodes)?;
    let (start, end) = (t.col("SW_DECOM"), t.col("SW_DEC"));
    out.extend(
        SwEpisodes,
        t.rows_where(|i| start.date(i).is_some_and(|s| end.date(i) == Some(s))),
    );
    Some(())
}

/// A social worker episode starting while an earlier one is open or has not ended.
fn rule_sw10stg2(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(SwEpisodes)?;
    out.extend(SwEpisodes, overlapping(t, "SW_DECOM", "SW_DEC"));
    Some(())
}

/// A social worker episode (other than first contact, FCONTA) starting more than 7 days before or
/// after the end of every earlier episode of the child (taken in order of start, then end).
fn rule_sw10astg2(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(SwEpisodes)?;
    let (start, end, reason) = (t.col("SW_DECOM"), t.col("SW_DEC"), t.col("SW_REASON"));
    for rows in t.by_child().iter() {
        let mut dated: Vec<(NaiveDate, Option<NaiveDate>, usize)> = rows
            .iter()
            .filter_map(|&i| Some((start.date(i as usize)?, end.date(i as usize), i as usize)))
            .collect();
        dated.sort_by_key(|&(s, e, i)| (s, e.is_none(), e, i));
        for k in 1..dated.len() {
            let (s, _, i) = dated[k];
            let near = dated[..k]
                .iter()
                .filter_map(|d| d.1)
                .any(|e| (s - e).num_days().abs() <= 7);
            if !near && !reason.is(i, "FCONTA") {
                out.push(SwEpisodes, i);
            }
        }
    }
    Some(())
}

/// A first contact (FCONTA) episode starting while an earlier one is open or has not ended.
fn rule_sw10bstg2(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(SwEpisodes)?;
    let reason = t.col("SW_REASON");
    out.extend(
        SwEpisodes,
        overlapping(t, "SW_DECOM", "SW_DEC")
            .into_iter()
            .filter(|&i| reason.is(i, "FCONTA")),
    );
    Some(())
}

/// The reason for the change of social worker is not valid or blank.
fn rule_sw13stg1(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, SwEpisodes, "SW_REASON", SW_REASON, true, out)
}

/// From 2024/25 a blank reason fails only for episodes starting in the social worker reporting
/// period, the year before this one and this one.
fn rule_sw13stg1_v2024(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(SwEpisodes)?;
    let (reason, start) = (t.col("SW_REASON"), t.col("SW_DECOM"));
    let period = r.start().checked_sub_months(Months::new(12))?;
    let bad = |i| match reason.text(i) {
        Some(code) => !SW_REASON.contains(&code),
        None => start.date(i).is_some_and(|d| d >= period),
    };
    out.extend(SwEpisodes, t.rows_where(bad));
    Some(())
}

/// A social worker episode, not the child's latest, with no end date.
fn rule_sw14stg2(r: &Return, out: &mut Hits) -> Option<()> {
    rule_sw08stg2(r, out)
}

/// No social worker episode open at 31 March: the child's latest episode fails. With episodes
/// given, only children in care at 31 March are checked.
fn rule_sw17stg2(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(SwEpisodes)?;
    let end = t.col("SW_DEC");
    for rows in t.by_start().iter() {
        let c = t.child(rows[0] as usize);
        if let Some(eps) = r.table(Episodes)
            && in_care_at_end(r, eps, eps.by_start().of(c)).is_none()
        {
            continue;
        }
        if !rows
            .iter()
            .any(|&i| end.date(i as usize).is_none_or(|d| d > r.end()))
        {
            out.push(SwEpisodes, *rows.last()? as usize);
        }
    }
    Some(())
}

/// A social worker episode ending before it began.
fn rule_sw18stg2(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(SwEpisodes)?;
    let (start, end) = (t.col("SW_DECOM"), t.col("SW_DEC"));
    out.extend(
        SwEpisodes,
        t.rows_where(|i| start.date(i).zip(end.date(i)).is_some_and(|(s, e)| e < s)),
    );
    Some(())
}

/// Two social worker episodes of a child starting the same day: all but the first listed fail.
fn rule_sw19stg2(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(SwEpisodes)?;
    let start = t.col("SW_DECOM");
    for rows in t.by_child().iter() {
        for (k, &i) in rows.iter().enumerate() {
            let d = start.date(i as usize);
            if d.is_some() && rows[..k].iter().any(|&j| start.date(j as usize) == d) {
                out.push(SwEpisodes, i as usize);
            }
        }
    }
    Some(())
}

/// A child looked after at 31 March (an open episode other than a short break) without a social
/// worker episode giving SW_ID, SW_DECOM and SW_REASON (each in at least one of them): the open
/// episode fails.
fn rule_sw01stg1(r: &Return, out: &mut Hits) -> Option<()> {
    let (t, eps) = (r.table(SwEpisodes)?, r.table(Episodes)?);
    let (dec, ls) = (eps.col("DEC"), eps.col("LS"));
    let items = ["SW_ID", "SW_DECOM", "SW_REASON"].map(|f| t.col(f));
    let complete = |c| {
        let rows = t.rows_of(c);
        items
            .iter()
            .all(|col| rows.iter().any(|&j| col.is_filled(j as usize)))
    };
    out.extend(
        Episodes,
        eps.rows_where(|i| {
            dec.is_blank(i) && !is_short_break(ls.text(i)) && !complete(eps.child(i))
        }),
    );
    Some(())
}

/// The day the social worker items became required in full (SW_REASON too).
fn sw_items_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 4, 1).expect("a date")
}

/// A social worker episode with no start date, or starting before 1 April 2023 without SW_ID.
fn rule_sw01astg1(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(SwEpisodes)?;
    let (start, id) = (t.col("SW_DECOM"), t.col("SW_ID"));
    out.extend(
        SwEpisodes,
        t.rows_where(|i| match start.date(i) {
            None => true,
            Some(d) => d < sw_items_from() && id.is_blank(i),
        }),
    );
    Some(())
}

/// A social worker episode with no start date, or starting on or after 1 April 2023 without
/// SW_ID or SW_REASON.
fn rule_sw01bstg1(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(SwEpisodes)?;
    let (start, id, reason) = (t.col("SW_DECOM"), t.col("SW_ID"), t.col("SW_REASON"));
    out.extend(
        SwEpisodes,
        t.rows_where(|i| match start.date(i) {
            None => true,
            Some(d) => d >= sw_items_from() && (id.is_blank(i) || reason.is_blank(i)),
        }),
    );
    Some(())
}

/// Each child's social worker episodes in order of start, those without a start date last (in
/// file order).
fn sw_in_order(t: &crate::ssda903::tables::Table) -> Vec<Vec<usize>> {
    let start = t.col("SW_DECOM");
    t.by_child()
        .iter()
        .map(|rows| {
            let mut rows: Vec<usize> = rows.iter().map(|&i| i as usize).collect();
            rows.sort_by_key(|&i| (start.date(i).is_none(), start.date(i), i));
            rows
        })
        .collect()
}

/// After a social worker episode that ended more than five days before 31 March, the child's next
/// episode has no start date or does not start within five days of that end.
fn rule_sw11astg2(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(SwEpisodes)?;
    let (start, end) = (t.col("SW_DECOM"), t.col("SW_DEC"));
    let cutoff = r.end() - chrono::Days::new(5);
    for rows in sw_in_order(t) {
        for w in rows.windows(2) {
            let Some(ended) = end.date(w[0]).filter(|&d| d <= cutoff) else {
                continue;
            };
            let near = start
                .date(w[1])
                .is_some_and(|s| (s - ended).num_days().abs() <= 5);
            if !near {
                out.push(SwEpisodes, w[1]);
            }
        }
    }
    Some(())
}

/// A social worker episode that ended in the last five days of the year, where no episode
/// follows it: the child's only episode ending then, or their last ending then (one whose
/// predecessor began before it ended); and an episode with no start date following one that
/// ended then.
fn rule_sw11bstg2(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(SwEpisodes)?;
    let (start, end) = (t.col("SW_DECOM"), t.col("SW_DEC"));
    let window = |i: usize| {
        end.date(i)
            .is_some_and(|d| r.end() - chrono::Days::new(5) <= d && d <= r.end())
    };
    for rows in sw_in_order(t) {
        if let [only] = rows[..]
            && window(only)
        {
            out.push(SwEpisodes, only);
        }
        for w in rows.windows(2) {
            let (before, now) = (w[0], w[1]);
            if window(before) && start.is_blank(now) {
                out.push(SwEpisodes, now);
            }
            let began_before = start
                .date(before)
                .zip(end.date(now))
                .is_some_and(|(s, e)| s < e);
            let last = rows.last() == Some(&now);
            if window(now) && began_before && last {
                out.push(SwEpisodes, now);
            }
        }
    }
    Some(())
}

/// An episode that starts or ends a period of care (RNE S, or a reason other than X1), other
/// than a short break, with no social worker episode that began on or after it started (a new
/// period) or on or before it ended (a period ending; an episode still open ends, for this, on
/// 31 March): the episode fails.
fn rule_sw12stg2(r: &Return, out: &mut Hits) -> Option<()> {
    sw_for_care(r, None, out)
}

/// From 2024/25 only episodes ending from a year before this collection year began, or still
/// open, are checked.
fn rule_sw12stg2_v2024(r: &Return, out: &mut Hits) -> Option<()> {
    sw_for_care(r, r.start().checked_sub_months(Months::new(12)), out)
}

fn sw_for_care(r: &Return, ended_from: Option<NaiveDate>, out: &mut Hits) -> Option<()> {
    let (t, eps) = (r.table(SwEpisodes)?, r.table(Episodes)?);
    let sw_start = t.col("SW_DECOM");
    let (decom, dec, rne, rec, ls) = (
        eps.col("DECOM"),
        eps.col("DEC"),
        eps.col("RNE"),
        eps.col("REC"),
        eps.col("LS"),
    );
    for i in eps.rows() {
        let in_range = match (ended_from, dec.date(i)) {
            (Some(from), Some(d)) => from <= d && d <= r.end(),
            _ => true,
        };
        let starts = rne.is(i, "S");
        let ends = !rec.is(i, "X1");
        if !in_range || is_short_break(ls.text(i)) || !(starts || ends) {
            continue;
        }
        let covered = t.rows_of(eps.child(i)).iter().any(|&j| {
            let Some(s) = sw_start.date(j as usize) else {
                return false;
            };
            // An episode still open is looked after through 31 March: any worker by then covers it.
            let ended = if dec.is_blank(i) {
                Some(r.end())
            } else {
                dec.date(i)
            };
            (ends && ended.is_some_and(|d| s <= d))
                || (starts && decom.date(i).is_some_and(|d| s >= d))
        });
        if !covered {
            out.push(Episodes, i);
        }
    }
    Some(())
}
