//! Rules 600 to 699.

use super::common::*;
use super::{Hits, Implementation, rule};
use crate::ssda903::submission::Return;
use crate::ssda903::tables::{Child, Table, TableName::*};
use crate::ssda903::year::Year::*;
use chrono::NaiveDate;
use std::sync::OnceLock;

pub(super) const RULES: &[Implementation] = &[
    rule("601", Y2022_23, rule_601),
    rule("602", Y2022_23, rule_602),
    rule("607", Y2022_23, rule_607),
    rule("611", Y2022_23, rule_611),
    rule("612", Y2022_23, rule_612),
    rule("620", Y2022_23, rule_620),
    rule("621", Y2022_23, rule_621),
    rule("624", Y2022_23, rule_624),
    rule("625", Y2022_23, rule_625),
    rule("626", Y2022_23, rule_626),
    rule("628", Y2022_23, rule_628),
    rule("630", Y2022_23, rule_630),
    rule("631", Y2022_23, rule_631),
    rule("632", Y2022_23, rule_632),
    rule("633", Y2022_23, rule_633),
    rule("634", Y2022_23, rule_634),
    rule("635", Y2022_23, rule_635),
];

const AD1_ITEMS: &[&str] = &[
    "DATE_INT",
    "DATE_MATCH",
    "FOSTER_CARE",
    "NB_ADOPTR",
    "SEX_ADOPTR",
    "LS_ADOPTR",
];

fn rows(rows: &[u32]) -> impl Iterator<Item = usize> + '_ {
    rows.iter().map(|&i| i as usize)
}

/// Episodes ending in adoption (E11, E12) within the year.
fn adopted_in_year(r: &Return, eps: &Table, i: usize) -> bool {
    eps.col("REC").is_in(i, &["E11", "E12"])
        && eps
            .col("DEC")
            .date(i)
            .is_some_and(|d| r.start() <= d && d <= r.end())
}

/// Adopted during the year, but the adoption (AD1) items are missing or incomplete: the episode
/// and the AD1 row fail.
fn rule_601(r: &Return, out: &mut Hits) -> Option<()> {
    let (eps, ad1) = (r.table(Episodes)?, r.table(Ad1)?);
    let items: Vec<_> = AD1_ITEMS.iter().map(|f| ad1.col(f)).collect();
    for i in eps.rows().filter(|&i| adopted_in_year(r, eps, i)) {
        let details = ad1.rows_of(eps.child(i));
        let incomplete: Vec<usize> = rows(details)
            .filter(|&j| items.iter().any(|c| c.is_blank(j)))
            .collect();
        if details.is_empty() || !incomplete.is_empty() {
            out.push(Episodes, i);
            out.extend(Ad1, incomplete);
        }
    }
    Some(())
}

/// Adoption (AD1) items for a child not adopted during the year (an episode ending E11 or E12 in
/// the year; one with that reason but no end date counts).
fn rule_602(r: &Return, out: &mut Hits) -> Option<()> {
    let (eps, ad1) = (r.table(Episodes)?, r.table(Ad1)?);
    let items: Vec<_> = AD1_ITEMS.iter().map(|f| ad1.col(f)).collect();
    let (rec, dec) = (eps.col("REC"), eps.col("DEC"));
    let undated = |i| rec.is_in(i, &["E11", "E12"]) && dec.is_blank(i);
    let adopted = |c| rows(eps.rows_of(c)).any(|i| adopted_in_year(r, eps, i) || undated(i));
    out.extend(
        Ad1,
        ad1.rows_where(|j| items.iter().any(|c| c.is_filled(j)) && !adopted(ad1.child(j))),
    );
    Some(())
}

/// A girl who ceased to be looked after during the year (other than from short breaks) with
/// MOTHER blank: the header and all her episodes fail.
fn rule_607(r: &Return, out: &mut Hits) -> Option<()> {
    let (h, eps) = (r.table(Header)?, r.table(Episodes)?);
    let (sex, mother) = (h.col("SEX"), h.col("MOTHER"));
    let (dec, rec, ls) = (eps.col("DEC"), eps.col("REC"), eps.col("LS"));
    let ceased = |e: usize| {
        rec.text(e).is_some_and(|c| c != "X1")
            && !is_short_break(ls.text(e))
            && dec.date(e).is_some_and(|d| r.start() <= d && d <= r.end())
    };
    for i in h
        .rows()
        .filter(|&i| is_female(sex.text(i)) && mother.is_blank(i))
    {
        let episodes = eps.rows_of(h.child(i));
        if rows(episodes).any(ceased) {
            out.push(Header, i);
            out.extend(Episodes, rows(episodes));
        }
    }
    Some(())
}

/// A mother (MOTHER 1) without her child's date of birth.
fn rule_611(r: &Return, out: &mut Hits) -> Option<()> {
    let h = r.table(Header)?;
    let (mother, mc_dob) = (h.col("MOTHER"), h.col("MC_DOB"));
    out.extend(
        Header,
        h.rows_where(|i| mother.is_num(i, 1) && mc_dob.is_blank(i)),
    );
    Some(())
}

/// A girl with her child's date of birth whose MOTHER is not 1.
fn rule_612(r: &Return, out: &mut Hits) -> Option<()> {
    let h = r.table(Header)?;
    let (sex, mother, mc_dob) = (h.col("SEX"), h.col("MOTHER"), h.col("MC_DOB"));
    out.extend(
        Header,
        h.rows_where(|i| is_female(sex.text(i)) && mc_dob.is_filled(i) && !mother.is_num(i, 1)),
    );
    Some(())
}

/// A mother under 11 at the start of the year.
fn rule_620(r: &Return, out: &mut Hits) -> Option<()> {
    let h = r.table(Header)?;
    let (mother, dob) = (h.col("MOTHER"), h.col("DOB"));
    out.extend(
        Header,
        h.rows_where(|i| {
            mother.is_num(i, 1) && dob.date(i).is_some_and(|d| age_on(d, r.start()) < 11)
        }),
    );
    Some(())
}

/// The mother's child born on or before the mother.
fn rule_621(r: &Return, out: &mut Hits) -> Option<()> {
    let h = r.table(Header)?;
    let (dob, mc_dob) = (h.col("DOB"), h.col("MC_DOB"));
    out.extend(
        Header,
        h.rows_where(|i| dob.date(i).zip(mc_dob.date(i)).is_some_and(|(d, c)| c <= d)),
    );
    Some(())
}

/// The mother's child's date of birth differs from last year's.
fn rule_624(r: &Return, out: &mut Hits) -> Option<()> {
    let (h, last) = (r.table(Header)?, r.last(Header)?);
    let (now, then) = (h.col("MC_DOB"), last.col("MC_DOB"));
    let differs = |i: usize, j: usize| match (now.date(i), then.date(j)) {
        (Some(a), Some(b)) => a != b,
        _ => now.text(i) != then.text(j),
    };
    out.extend(
        Header,
        h.rows_where(|i| {
            rows(last.rows_of(h.child(i))).any(|j| then.is_filled(j) && differs(i, j))
        }),
    );
    Some(())
}

/// The mother's child born after the year or after the child ceased to be looked after (every
/// episode ended, the latest end); the header and that last episode fail.
fn rule_625(r: &Return, out: &mut Hits) -> Option<()> {
    let (h, eps) = (r.table(Header)?, r.table(Episodes)?);
    let (mc_dob, dec) = (h.col("MC_DOB"), eps.col("DEC"));
    for i in h.rows() {
        let Some(born) = mc_dob.date(i) else { continue };
        let episodes = eps.rows_of(h.child(i));
        let last = if rows(episodes).all(|e| dec.date(e).is_some()) {
            rows(episodes).max_by_key(|&e| dec.date(e))
        } else {
            None
        };
        let left = last.and_then(|e| dec.date(e));
        if born > r.end() || left.is_some_and(|d| born > d) {
            out.push(Header, i);
            out.extend(Episodes, last);
        }
    }
    Some(())
}

/// A mother whose child was born before this year, though last year's return said she was not a
/// mother.
fn rule_626(r: &Return, out: &mut Hits) -> Option<()> {
    let (h, last) = (r.table(Header)?, r.last(Header)?);
    let (mother, mc_dob, then) = (h.col("MOTHER"), h.col("MC_DOB"), last.col("MOTHER"));
    let was_not = |c| rows(last.rows_of(c)).any(|j| then.int(j) == Some(0));
    out.extend(
        Header,
        h.rows_where(|i| {
            mother.int(i) == Some(1)
                && mc_dob.date(i).is_some_and(|d| d < r.start())
                && was_not(h.child(i))
        }),
    );
    Some(())
}

/// MOTHER given for a care leaver (OC3 filled) who was not looked after during the year.
fn rule_628(r: &Return, out: &mut Hits) -> Option<()> {
    let (h, eps, oc3) = (r.table(Header)?, r.table(Episodes)?, r.table(Oc3)?);
    let mother = h.col("MOTHER");
    let leaver = |c: Child| {
        rows(oc3.rows_of(c)).any(|j| {
            ["IN_TOUCH", "ACTIV", "ACCOM"]
                .iter()
                .any(|f| oc3.col(f).is_filled(j))
        })
    };
    out.extend(
        Header,
        h.rows_where(|i| mother.is_filled(i) && leaver(h.child(i)) && !eps.has_child(h.child(i))),
    );
    Some(())
}

/// A period of care starting this year (RNE S) without the previous permanence option, or, for an
/// option other than none (Z1), without the LA and date of the order.
fn rule_630(r: &Return, out: &mut Hits) -> Option<()> {
    let (eps, pp) = (r.table(Episodes)?, r.table(PrevPerm)?);
    let (rne, decom) = (eps.col("RNE"), eps.col("DECOM"));
    let (option, la, date) = (pp.col("PREV_PERM"), pp.col("LA_PERM"), pp.col("DATE_PERM"));
    let complete =
        |j| option.is(j, "Z1") || (option.is_filled(j) && la.is_filled(j) && date.is_filled(j));
    let recorded = |c| rows(pp.rows_of(c)).any(complete);
    out.extend(
        Episodes,
        eps.rows_where(|i| {
            rne.is(i, "S")
                && decom.date(i).is_some_and(|d| d >= r.start())
                && !recorded(eps.child(i))
        }),
    );
    Some(())
}

fn rule_631(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(
        r,
        PrevPerm,
        "PREV_PERM",
        &["P1", "P2", "P3", "P4", "Z1"],
        false,
        out,
    )
}

/// A previous permanence order date as the return allows it: `dd/mm/YYYY`, with `ZZ` for an
/// unknown day or month and `ZZ/ZZ/ZZZZ` for no date. Gives the earliest day it can mean.
fn permanence_date(s: &str) -> Result<Option<NaiveDate>, ()> {
    let parts: Vec<&str> = s.trim().split('/').collect();
    let [d, m, y] = parts[..] else { return Err(()) };
    if (d, m, y) == ("ZZ", "ZZ", "ZZZZ") {
        return Ok(None);
    }
    let number = |p: &str, len: usize| {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let year = number(y, 4).ok_or(())? as i32;
    let month = if m == "ZZ" {
        None
    } else {
        Some(number(m, 2).filter(|m| (1..=12).contains(m)).ok_or(())?)
    };
    let day = if d == "ZZ" {
        None
    } else {
        Some(number(d, 2).ok_or(())?)
    };
    let date = NaiveDate::from_ymd_opt(year, month.unwrap_or(1), day.unwrap_or(1)).ok_or(())?;
    Ok(Some(date))
}

/// The previous permanence order date is not a date (allowing unknown parts), or is not before the
/// child's first episode this year; the row and that episode fail.
fn rule_632(r: &Return, out: &mut Hits) -> Option<()> {
    let (pp, eps) = (r.table(PrevPerm)?, r.table(Episodes)?);
    let (date, decom) = (pp.col("DATE_PERM"), eps.col("DECOM"));
    for i in pp.rows() {
        let Some(text) = date.text(i) else { continue };
        let first = eps.by_start().of(pp.child(i)).first().map(|&e| e as usize);
        let bad = match permanence_date(text) {
            Err(()) => true,
            Ok(when) => when
                .zip(first.and_then(|e| decom.date(e)))
                .is_some_and(|(d, start)| d >= start),
        };
        if bad {
            out.push(PrevPerm, i);
            out.extend(Episodes, first);
        }
    }
    Some(())
}

/// The DfE's local authority numbers (`data/ssda903/la_codes.csv`).
fn la_codes() -> &'static [String] {
    static CODES: OnceLock<Vec<String>> = OnceLock::new();
    CODES.get_or_init(|| {
        let text = include_str!("../../../data/ssda903/la_codes.csv");
        csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| r.expect("the built-in LA list is valid CSV")[0].to_owned())
            .collect()
    })
}

/// The LA where the previous permanence option was arranged is not an English LA number, nor
/// Wales, Scotland, Northern Ireland or outside the UK (WAL, SCO, NIR, NUK).
fn rule_633(r: &Return, out: &mut Hits) -> Option<()> {
    let pp = r.table(PrevPerm)?;
    let la = pp.col("LA_PERM");
    let valid = |code: &str| {
        ["WAL", "SCO", "NIR", "NUK"].contains(&code) || la_codes().iter().any(|c| c == code)
    };
    out.extend(
        PrevPerm,
        pp.rows_where(|i| la.text(i).is_some_and(|c| !valid(c))),
    );
    Some(())
}

/// Previous permanence details for a child whose current period of care began before 1 April
/// 2016, when the items were introduced: the details and the child's episodes fail.
fn rule_634(r: &Return, out: &mut Hits) -> Option<()> {
    let (pp, eps) = (r.table(PrevPerm)?, r.table(Episodes)?);
    let decom = eps.col("DECOM");
    let began = |c| period_start(eps, eps.by_start().of(c)).and_then(|e| decom.date(e));
    let from = NaiveDate::from_ymd_opt(2016, 4, 1)?;
    let items = |j| {
        ["PREV_PERM", "LA_PERM", "DATE_PERM"]
            .iter()
            .any(|f| pp.col(f).is_filled(j))
    };
    for rows_of in pp.by_child().iter() {
        let c = pp.child(rows_of[0] as usize);
        let episodes = eps.rows_of(c);
        let filled: Vec<usize> = rows(rows_of).filter(|&j| items(j)).collect();
        if !filled.is_empty() && began(c).is_some_and(|d| d < from) {
            out.extend(PrevPerm, filled);
            out.extend(Episodes, rows(episodes));
        }
    }
    Some(())
}

/// The date or LA of a previous permanence order given, but no order (Z1, or blank).
fn rule_635(r: &Return, out: &mut Hits) -> Option<()> {
    let pp = r.table(PrevPerm)?;
    let (option, la, date) = (pp.col("PREV_PERM"), pp.col("LA_PERM"), pp.col("DATE_PERM"));
    let none = |i| option.text(i).is_none_or(|o| o == "Z1");
    out.extend(
        PrevPerm,
        pp.rows_where(|i| none(i) && (la.is_filled(i) || date.is_filled(i))),
    );
    Some(())
}
