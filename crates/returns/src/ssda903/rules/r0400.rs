//! Rules 400 to 499.

use super::common::*;
use super::{Hits, Implementation, rule};
use crate::ssda903::submission::Return;
use crate::ssda903::tables::{Table, TableName::*};
use crate::ssda903::year::Year::*;
use chrono::NaiveDate;

pub(super) const RULES: &[Implementation] = &[
    rule("406", Y2022_23, rule_406),
    rule("407", Y2022_23, rule_407),
    rule("408", Y2022_23, rule_408),
    rule("411", Y2022_23, rule_411),
    rule("420", Y2022_23, rule_420),
    rule("426", Y2022_23, rule_426),
    rule("431", Y2022_23, rule_431),
    rule("432", Y2022_23, rule_432),
    rule("433", Y2022_23, rule_433),
    rule("434", Y2022_23, rule_434),
    rule("435", Y2022_23, rule_435),
    rule("436", Y2022_23, rule_436),
    rule("437", Y2022_23, rule_437),
    rule("440", Y2022_23, rule_440),
    rule("441", Y2022_23, rule_441),
    rule("442", Y2022_23, rule_442),
    rule("444", Y2025_26, rule_444),
    rule("445", Y2022_23, rule_445),
    rule("446", Y2022_23, rule_446),
    rule("451", Y2022_23, rule_451),
    rule("452", Y2022_23, rule_452),
    rule("453", Y2022_23, rule_453),
    rule("454", Y2025_26, rule_454),
    rule("460", Y2022_23, rule_460),
];

/// A child who is or was UASC has a placement distance (skipped when episodes carry none).
fn rule_406(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes).filter(|t| t.has("PL_DISTANCE"))?;
    let (dist, uasc) = (eps.col("PL_DISTANCE"), uasc_children(r));
    out.extend(
        Episodes,
        eps.rows_where(|i| dist.is_filled(i) && uasc.has(eps.child(i))),
    );
    Some(())
}

/// Left care under a special guardianship order (E45 to E48) at 18 or over; the episode and the
/// header fail.
fn rule_407(r: &Return, out: &mut Hits) -> Option<()> {
    let sgo = |e: &Table, i| e.col("REC").is_in(i, &["E45", "E46", "E47", "E48"]);
    episode_ages(r, sgo, "DEC", |age| age < 18, true, out)
}

/// Placed for adoption under a placement order (A5, A6) without one (LS E1).
fn rule_408(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (place, ls) = (eps.col("PLACE"), eps.col("LS"));
    out.extend(
        Episodes,
        eps.rows_where(|i| place.is_in(i, &["A5", "A6"]) && !ls.is(i, "E1")),
    );
    Some(())
}

/// Placement location IN the LA's area while the placement LA is another, or OUT while it is ours.
fn rule_411(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let own = r.meta.la_code.as_deref()?;
    let (location, la) = (eps.col("PL_LOCATION"), eps.col("PL_LA"));
    let disagrees = |i| match (location.text(i), la.text(i)) {
        (Some("IN"), Some(la)) => la != own,
        (Some("OUT"), Some(la)) => la == own,
        _ => false,
    };
    out.extend(Episodes, eps.rows_where(disagrees));
    Some(())
}

/// Short breaks (V3, V4) with a placement LA.
fn rule_420(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (ls, la) = (eps.col("LS"), eps.col("PL_LA"));
    out.extend(
        Episodes,
        eps.rows_where(|i| ls.is_in(i, SHORT_BREAKS) && la.is_filled(i)),
    );
    Some(())
}

/// Short breaks recorded both ways (V3 and V4) in the year; all the child's short breaks fail.
fn rule_426(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let ls = eps.col("LS");
    for rows in eps.by_child().iter() {
        let has = |code| rows.iter().any(|&i| ls.is(i as usize, code));
        if has("V3") && has("V4") {
            out.extend(
                Episodes,
                rows.iter()
                    .map(|&i| i as usize)
                    .filter(|&i| ls.is_in(i, SHORT_BREAKS)),
            );
        }
    }
    Some(())
}

/// A new period of care (RNE S) starting on or before the day the previous episode ended.
fn rule_431(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (rne, decom, dec) = (eps.col("RNE"), eps.col("DECOM"), eps.col("DEC"));
    let same_day = |p, i| dec.date(p).zip(decom.date(i)).is_some_and(|(e, s)| s <= e);
    out.extend(
        Episodes,
        pairs(eps)
            .filter(|&(p, i)| rne.is(i, "S") && same_day(p, i))
            .map(|(_, i)| i),
    );
    Some(())
}

/// The previous episode ended the period of care (a reason other than X1) but this one is not a
/// new period (RNE S).
fn rule_432(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (rne, rec) = (eps.col("RNE"), eps.col("REC"));
    let ended = |p| rec.text(p).is_some_and(|c| c != "X1");
    out.extend(
        Episodes,
        pairs(eps)
            .filter(|&(p, i)| ended(p) && !rne.is(i, "S"))
            .map(|(_, i)| i),
    );
    Some(())
}

/// A continuation episode (RNE other than S) not starting the day the previous one ended (or
/// following one that has not ended).
fn rule_433(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (rne, decom, dec) = (eps.col("RNE"), eps.col("DECOM"), eps.col("DEC"));
    let gap = |p, i| dec.date(p).is_none_or(|d| decom.date(i) != Some(d));
    out.extend(
        Episodes,
        pairs(eps)
            .filter(|&(p, i)| rne.is_filled(i) && !rne.is(i, "S") && gap(p, i))
            .map(|(_, i)| i),
    );
    Some(())
}

/// What identifies a placement.
const PLACEMENT: &[&str] = &["PLACE", "PL_POST", "URN", "PLACE_PROVIDER"];

/// Episodes whose reason for new episode is one of `reasons` where, against the previous episode,
/// the legal status changed (or not) and the placement changed (or not) other than as stated.
fn changes(
    r: &Return,
    reasons: &[&str],
    legal: bool,
    placement: bool,
    out: &mut Hits,
) -> Option<()> {
    let eps = r.table(Episodes)?;
    let rne = eps.col("RNE");
    let differ = |fields: &[&str], p, i| {
        fields
            .iter()
            .any(|f| eps.col(f).text(p) != eps.col(f).text(i))
    };
    out.extend(
        Episodes,
        pairs(eps)
            .filter(|&(p, i)| {
                rne.is_in(i, reasons)
                    && (differ(&["LS"], p, i) != legal || differ(PLACEMENT, p, i) != placement)
            })
            .map(|(_, i)| i),
    );
    Some(())
}

/// Legal status changed only (L): the status must differ, the placement not.
fn rule_434(r: &Return, out: &mut Hits) -> Option<()> {
    changes(r, &["L"], true, false, out)
}

/// Placement changed only (P, T): the placement must differ, the status not.
fn rule_435(r: &Return, out: &mut Hits) -> Option<()> {
    changes(r, &["P", "T"], false, true, out)
}

/// Both changed (B, U).
fn rule_436(r: &Return, out: &mut Hits) -> Option<()> {
    changes(r, &["B", "U"], true, true, out)
}

/// Died (E2) or found to be 18 or over (E15), but a later episode follows.
fn rule_437(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let rec = eps.col("REC");
    for rows in eps.by_start().iter() {
        let early = &rows[..rows.len() - 1];
        out.extend(
            Episodes,
            early
                .iter()
                .map(|&i| i as usize)
                .filter(|&i| rec.is_in(i, &["E2", "E15"])),
        );
    }
    Some(())
}

/// Reviews whose participation code is in `codes` where the child's age at the review fails `ok`.
fn review_ages(r: &Return, codes: &[&str], ok: impl Fn(i32) -> bool, out: &mut Hits) -> Option<()> {
    let t = r.table(Reviews)?;
    let (dob, review, code) = (t.col("DOB"), t.col("REVIEW"), t.col("REVIEW_CODE"));
    let bad = |i| {
        code.is_in(i, codes)
            && dob
                .date(i)
                .zip(review.date(i))
                .is_some_and(|(d, on)| !ok(age_on(d, on)))
    };
    out.extend(Reviews, t.rows_where(bad));
    Some(())
}

/// PN0 (under 4) for a child 4 or over at the review.
fn rule_440(r: &Return, out: &mut Hits) -> Option<()> {
    review_ages(r, &["PN0"], |age| age < 4, out)
}

/// PN1 to PN7 for a child under 4 at the review.
fn rule_441(r: &Return, out: &mut Hits) -> Option<()> {
    review_ages(
        r,
        &["PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"],
        |age| age >= 4,
        out,
    )
}

/// UPN blank for a child looked after other than on short breaks.
fn rule_442(r: &Return, out: &mut Hits) -> Option<()> {
    let (h, eps) = (r.table(Header)?, r.table(Episodes)?);
    let (upn, ls) = (h.col("UPN"), eps.col("LS"));
    let looked_after = |i: usize| {
        eps.rows_of(h.child(i))
            .iter()
            .any(|&e| !is_short_break(ls.text(e as usize)))
    };
    out.extend(Header, h.rows_where(|i| upn.is_blank(i) && looked_after(i)));
    Some(())
}

/// The same UPN for more than one child (the unknown codes UN1 to UN5 aside).
fn rule_444(r: &Return, out: &mut Hits) -> Option<()> {
    let h = r.table(Header)?;
    let upn = h.col("UPN");
    let mut seen: rustc_hash::FxHashMap<&str, usize> = Default::default();
    let real = |u: &str| !["UN1", "UN2", "UN3", "UN4", "UN5"].contains(&u);
    for u in h.rows().filter_map(|i| upn.text(i)).filter(|u| real(u)) {
        *seen.entry(u).or_default() += 1;
    }
    out.extend(
        Header,
        h.rows_where(|i| {
            upn.text(i)
                .is_some_and(|u| seen.get(u).is_some_and(|&n| n > 1))
        }),
    );
    Some(())
}

/// Legal status `ls` on an episode starting on a date `bad` rejects.
fn status_dated(
    r: &Return,
    ls: &str,
    bad: impl Fn(NaiveDate) -> bool,
    out: &mut Hits,
) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (status, decom) = (eps.col("LS"), eps.col("DECOM"));
    out.extend(
        Episodes,
        eps.rows_where(|i| status.is(i, ls) && decom.date(i).is_some_and(&bad)),
    );
    Some(())
}

/// Freeing orders (D1) ended with the Adoption and Children Act 2002: none starting after 2005.
fn rule_445(r: &Return, out: &mut Hits) -> Option<()> {
    let last = NaiveDate::from_ymd_opt(2005, 12, 31)?;
    status_dated(r, "D1", |d| d > last, out)
}

/// Placement orders (E1) began with that Act: none starting before December 2005.
fn rule_446(r: &Return, out: &mut Hits) -> Option<()> {
    let first = NaiveDate::from_ymd_opt(2005, 12, 1)?;
    status_dated(r, "E1", |d| d < first, out)
}

/// Still freed for adoption: an open episode (no end date or reason) under a freeing order (D1).
fn rule_451(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (ls, dec, rec) = (eps.col("LS"), eps.col("DEC"), eps.col("REC"));
    out.extend(
        Episodes,
        eps.rows_where(|i| ls.is(i, "D1") && dec.is_blank(i) && rec.is_blank(i)),
    );
    Some(())
}

/// The placement LA changed between last year's open episode and this year's first.
fn rule_452(r: &Return, out: &mut Hits) -> Option<()> {
    carried_over(
        r,
        &["PL_LA"],
        |now, i, then, j| now.col("PL_LA").text(i) == then.col("PL_LA").text(j),
        out,
    )
}

/// The placement distance changed between last year's open episode and this year's first.
fn rule_453(r: &Return, out: &mut Hits) -> Option<()> {
    carried_over(
        r,
        &["PL_DISTANCE"],
        |now, i, then, j| {
            let (a, b) = (now.col("PL_DISTANCE"), then.col("PL_DISTANCE"));
            match (a.number(i), b.number(j)) {
                (Some(x), Some(y)) => x == y,
                _ => a.text(i) == b.text(j),
            }
        },
        out,
    )
}

/// Placed more than 350 miles from home (999.9 stands for not known); children who are or were
/// UASC are not checked.
fn rule_454(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes).filter(|t| t.has("PL_DISTANCE"))?;
    let (dist, uasc) = (eps.col("PL_DISTANCE"), uasc_children(r));
    let far = |i| dist.number(i).is_some_and(|d| d > 350.0 && d != 999.9);
    out.extend(
        Episodes,
        eps.rows_where(|i| far(i) && !uasc.has(eps.child(i))),
    );
    Some(())
}

/// Stayed put with former carers at 18 (E17) while under 18.
fn rule_460(r: &Return, out: &mut Hits) -> Option<()> {
    episode_ages(
        r,
        |e, i| e.col("REC").is(i, "E17"),
        "DEC",
        |age| age >= 18,
        false,
        out,
    )
}
