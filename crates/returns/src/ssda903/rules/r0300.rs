//! Rules 300 to 399.

use super::common::*;
use super::{Hits, Implementation, rule};
use crate::ssda903::submission::Return;
use crate::ssda903::tables::{Table, TableName::*};
use crate::ssda903::year::Year::*;
use chrono::{Months, NaiveDate};

pub(super) const RULES: &[Implementation] = &[
    rule("301", Y2022_23, rule_301),
    rule("302", Y2022_23, rule_302),
    rule("303", Y2022_23, rule_303),
    rule("304", Y2022_23, rule_304),
    rule("331", Y2022_23, rule_331),
    rule("333", Y2022_23, rule_333),
    rule("334", Y2022_23, rule_334),
    rule("335", Y2022_23, rule_335),
    rule("336", Y2022_23, rule_336),
    rule("344", Y2022_23, rule_344),
    rule("345", Y2022_23, rule_345),
    rule("347", Y2023_24, rule_347),
    rule("348", Y2025_26, rule_348),
    rule("351", Y2022_23, rule_351),
    rule("352", Y2022_23, rule_352),
    rule("353", Y2022_23, rule_353),
    rule("354", Y2022_23, rule_354),
    rule("355", Y2022_23, rule_355),
    rule("356", Y2022_23, rule_356),
    rule("357", Y2022_23, rule_357),
    rule("358", Y2022_23, rule_358),
    rule("359", Y2022_23, rule_359),
    rule("361", Y2022_23, rule_361),
    rule("362", Y2022_23, rule_362),
    rule("363", Y2022_23, rule_363),
    rule("364", Y2022_23, rule_364),
    rule("365", Y2022_23, rule_365),
    rule("366", Y2022_23, rule_366),
    rule("367", Y2022_23, rule_367),
    rule("370", Y2022_23, rule_370),
    rule("370", Y2023_24, rule_370_v2023),
    rule("371", Y2022_23, rule_371),
    rule("371", Y2023_24, rule_371_v2023),
    rule("371", Y2024_25, rule_371_v2024),
    rule("372", Y2022_23, rule_372),
    rule("373", Y2022_23, rule_373),
    rule("374", Y2022_23, rule_374),
    rule("375", Y2022_23, rule_375),
    rule("376", Y2022_23, rule_376),
    rule("377", Y2022_23, rule_377),
    rule("378", Y2022_23, rule_378),
    rule("379", Y2022_23, rule_379),
    rule("380", Y2022_23, rule_380),
    rule("381", Y2022_23, rule_381),
    rule("382", Y2022_23, rule_382),
    rule("383", Y2022_23, rule_383),
    rule("383", Y2025_26, rule_383_v2025),
    rule("384", Y2022_23, rule_384),
    rule("385", Y2022_23, rule_385),
    rule("386", Y2022_23, rule_386),
    rule("387", Y2022_23, rule_387),
    rule("388", Y2022_23, rule_388),
    rule("389", Y2022_23, rule_389),
    rule("390", Y2022_23, rule_390),
    rule("391", Y2022_23, rule_391),
    rule("392a", Y2022_23, rule_392a),
    rule("392b", Y2022_23, rule_392b),
    rule("392c", Y2022_23, rule_392c),
    rule("392d", Y2022_23, rule_392d),
    rule("393", Y2022_23, rule_393),
    rule("398", Y2022_23, rule_398),
    rule("399", Y2022_23, rule_399),
];

/// Date of birth after the end of the year.
fn rule_301(r: &Return, out: &mut Hits) -> Option<()> {
    let h = r.table(Header)?;
    let dob = h.col("DOB");
    out.extend(
        Header,
        h.rows_where(|i| dob.date(i).is_some_and(|d| d > r.end())),
    );
    Some(())
}

/// The child's first episode starts before birth; the episode and the header fail.
fn rule_302(r: &Return, out: &mut Hits) -> Option<()> {
    let (h, eps) = (r.table(Header)?, r.table(Episodes)?);
    let (dob, decom) = (h.col("DOB"), eps.col("DECOM"));
    for i in h.rows() {
        let Some(first) = eps.by_start().of(h.child(i)).first().map(|&e| e as usize) else {
            continue;
        };
        if dob
            .date(i)
            .zip(decom.date(first))
            .is_some_and(|(born, start)| start < born)
        {
            out.push(Header, i);
            out.push(Episodes, first);
        }
    }
    Some(())
}

/// A date UASC ceased, but the header (of an XML return, which has the flag) does not say UASC.
fn rule_303(r: &Return, out: &mut Hits) -> Option<()> {
    let (u, h) = (r.table(Uasc)?, r.table(Header).filter(|h| h.has("UASC"))?);
    let (duc, flag) = (u.col("DUC"), h.col("UASC"));
    for i in u.rows().filter(|&i| duc.is_filled(i)) {
        let bad: Vec<usize> = h
            .rows_of(u.child(i))
            .iter()
            .map(|&j| j as usize)
            .filter(|&j| !flag.is(j, "1"))
            .collect();
        if !bad.is_empty() {
            out.push(Uasc, i);
            out.extend(Header, bad);
        }
    }
    Some(())
}

/// 18 years after `dob`.
fn eighteenth(dob: NaiveDate) -> Option<NaiveDate> {
    dob.checked_add_months(Months::new(18 * 12))
}

/// The date UASC ceased is after the child's 18th birthday.
fn rule_304(r: &Return, out: &mut Hits) -> Option<()> {
    let u = r.table(Uasc)?;
    let (dob, duc) = (u.col("DOB"), u.col("DUC"));
    let late = |i| {
        duc.date(i)
            .zip(dob.date(i).and_then(eighteenth))
            .is_some_and(|(d, adult)| d > adult)
    };
    out.extend(Uasc, u.rows_where(late));
    Some(())
}

/// Matched with adopters after the placement that ended in adoption (E11, E12) began; the AD1 row
/// and the episode fail.
fn rule_331(r: &Return, out: &mut Hits) -> Option<()> {
    let (ad1, eps) = (r.table(Ad1)?, r.table(Episodes)?);
    let (matched, decom, rec) = (ad1.col("DATE_MATCH"), eps.col("DECOM"), eps.col("REC"));
    for i in ad1.rows() {
        let Some(m) = matched.date(i) else { continue };
        for &e in eps.rows_of(ad1.child(i)) {
            let e = e as usize;
            if rec.is_in(e, &["E11", "E12"]) && decom.date(e).is_some_and(|d| d < m) {
                out.push(Ad1, i);
                out.push(Episodes, e);
            }
        }
    }
    Some(())
}

/// Matched with adopters, but the decision to place for adoption is missing or later.
fn rule_333(r: &Return, out: &mut Hits) -> Option<()> {
    let ad1 = r.table(Ad1)?;
    let (decided, matched) = (ad1.col("DATE_INT"), ad1.col("DATE_MATCH"));
    let bad = |i| {
        matched
            .date(i)
            .is_some_and(|m| decided.date(i).is_none_or(|d| d > m))
    };
    out.extend(Ad1, ad1.rows_where(bad));
    Some(())
}

/// The decision to place for adoption is before the latest period of care began (the latest
/// episode with RNE S); the AD1 row and that episode fail.
fn rule_334(r: &Return, out: &mut Hits) -> Option<()> {
    let (ad1, eps) = (r.table(Ad1)?, r.table(Episodes)?);
    let (decided, rne, decom) = (ad1.col("DATE_INT"), eps.col("RNE"), eps.col("DECOM"));
    for i in ad1.rows() {
        let Some(d) = decided.date(i) else { continue };
        let start = eps
            .by_start()
            .of(ad1.child(i))
            .iter()
            .rev()
            .map(|&e| e as usize)
            .find(|&e| rne.is(e, "S"));
        if let Some(e) = start.filter(|&e| decom.date(e).is_some_and(|s| d < s)) {
            out.push(Ad1, i);
            out.push(Episodes, e);
        }
    }
    Some(())
}

/// Adopted by the current foster carers (FOSTER_CARE 1) or not (0), against the placement the
/// child was adopted from (an episode ending E11 or E12): with current foster carers A2, A3, A5;
/// not A1, A4, A6. The episode and the AD1 row fail.
fn rule_335(r: &Return, out: &mut Hits) -> Option<()> {
    let (ad1, eps) = (r.table(Ad1)?, r.table(Episodes)?);
    let (foster, place, rec) = (ad1.col("FOSTER_CARE"), eps.col("PLACE"), eps.col("REC"));
    for i in ad1.rows() {
        for e in eps.rows_of(ad1.child(i)).iter().map(|&e| e as usize) {
            let contradicts = rec.is_in(e, &["E1", "E11", "E12"])
                && match foster.text(i) {
                    Some("0") => place.is_in(e, &["A2", "A3", "A5"]),
                    Some("1") => place.is_in(e, &["A1", "A4", "A6"]),
                    _ => false,
                };
            if contradicts {
                out.push(Ad1, i);
                out.push(Episodes, e);
            }
        }
    }
    Some(())
}

/// A placement for adoption with the current foster carers (A3, A5) straight after a placement
/// that was neither foster care (U1 to U6) nor another placement for adoption (A3 to A6).
fn rule_336(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let place = eps.col("PLACE");
    const BEFORE: &[&str] = &["A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"];
    for (before, now) in pairs(eps) {
        if place.is_in(now, &["A3", "A5"]) && !place.is_in(before, BEFORE) {
            out.push(Episodes, now);
        }
    }
    Some(())
}

/// A care leaver who died or has lived with their parents for six months (DIED, RHOM) has an
/// activity or accommodation other than 0.
fn rule_344(r: &Return, out: &mut Hits) -> Option<()> {
    let oc3 = r.table(Oc3)?;
    let (touch, activ, accom) = (oc3.col("IN_TOUCH"), oc3.col("ACTIV"), oc3.col("ACCOM"));
    out.extend(
        Oc3,
        oc3.rows_where(|i| {
            touch.is_in(i, &["DIED", "RHOM"]) && !(activ.is(i, "0") && accom.is(i, "0"))
        }),
    );
    Some(())
}

/// In touch (YES) but activity or accommodation is 0 (not known).
fn rule_345(r: &Return, out: &mut Hits) -> Option<()> {
    let oc3 = r.table(Oc3)?;
    let (touch, activ, accom) = (oc3.col("IN_TOUCH"), oc3.col("ACTIV"), oc3.col("ACCOM"));
    out.extend(
        Oc3,
        oc3.rows_where(|i| touch.is(i, "YES") && (activ.is(i, "0") || accom.is(i, "0"))),
    );
    Some(())
}

/// A care leaver under 18 at the start of the year in a foyer (accommodation T).
fn rule_347(r: &Return, out: &mut Hits) -> Option<()> {
    let oc3 = r.table(Oc3)?;
    let (dob, accom) = (oc3.col("DOB"), oc3.col("ACCOM"));
    let foyer = |i| accom.text(i).is_some_and(|a| a.starts_with('T'));
    out.extend(
        Oc3,
        oc3.rows_where(|i| foyer(i) && dob.date(i).is_some_and(|d| age_on(d, r.start()) < 18)),
    );
    Some(())
}

/// Reported as having died last year (IN_TOUCH DIED) but not this year.
fn rule_348(r: &Return, out: &mut Hits) -> Option<()> {
    let (oc3, last) = (r.table(Oc3)?, r.last(Oc3)?);
    let (now, then) = (oc3.col("IN_TOUCH"), last.col("IN_TOUCH"));
    let died = |i: usize| {
        last.rows_of(oc3.child(i))
            .iter()
            .any(|&j| then.is(j as usize, "DIED"))
    };
    out.extend(Oc3, oc3.rows_where(|i| !now.is(i, "DIED") && died(i)));
    Some(())
}

/// 25 or over at the start of the year.
fn rule_351(r: &Return, out: &mut Hits) -> Option<()> {
    let h = r.table(Header)?;
    let dob = h.col("DOB");
    out.extend(
        Header,
        h.rows_where(|i| dob.date(i).is_some_and(|d| age_on(d, r.start()) >= 25)),
    );
    Some(())
}

/// Started to be looked after (RNE S) aged 18 or over.
fn rule_352(r: &Return, out: &mut Hits) -> Option<()> {
    episode_ages(
        r,
        |e, i| e.col("RNE").is(i, "S"),
        "DECOM",
        |age| age < 18,
        false,
        out,
    )
}

/// An episode starting before 14 October 1991, when the Children Act 1989 came into force.
fn rule_353(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let decom = eps.col("DECOM");
    let act = NaiveDate::from_ymd_opt(1991, 10, 14)?;
    out.extend(
        Episodes,
        eps.rows_where(|i| decom.date(i).is_some_and(|d| d < act)),
    );
    Some(())
}

/// An episode starting after the end of the year. (The catalogue's message, about the date the
/// episode ceased, repeats rule 385's; this rule checks the start.)
fn rule_354(r: &Return, out: &mut Hits) -> Option<()> {
    after_year_end(r, "DECOM", out)
}

fn after_year_end(r: &Return, field: &str, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let date = eps.col(field);
    out.extend(
        Episodes,
        eps.rows_where(|i| date.date(i).is_some_and(|d| d > r.end())),
    );
    Some(())
}

/// An episode ending the day it began.
fn rule_355(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (decom, dec) = (eps.col("DECOM"), eps.col("DEC"));
    out.extend(
        Episodes,
        eps.rows_where(|i| decom.date(i).is_some_and(|s| dec.date(i) == Some(s))),
    );
    Some(())
}

/// An episode ending before it began.
fn rule_356(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (decom, dec) = (eps.col("DECOM"), eps.col("DEC"));
    out.extend(
        Episodes,
        eps.rows_where(|i| decom.date(i).zip(dec.date(i)).is_some_and(|(s, e)| e < s)),
    );
    Some(())
}

/// The child's first episode ever (none last year, and starting this year) is not a new period
/// of care (RNE S).
fn rule_357(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (rne, decom) = (eps.col("RNE"), eps.col("DECOM"));
    for rows in eps.by_start().iter() {
        let first = rows[0] as usize;
        let before = r
            .last(Episodes)
            .is_some_and(|l| l.has_child(eps.child(first)));
        if !before && decom.date(first).is_some_and(|d| d >= r.start()) && !rne.is(first, "S") {
            out.push(Episodes, first);
        }
    }
    Some(())
}

/// Remanded or detained (J1, J2, J3) under 10 when the episode began; the episode and header fail.
fn rule_358(r: &Return, out: &mut Hits) -> Option<()> {
    episode_ages(
        r,
        |e, i| e.col("LS").is_in(i, &["J1", "J2", "J3"]),
        "DECOM",
        |age| age >= 10,
        true,
        out,
    )
}

/// An episode open after the child's 18th birthday must be under section 20(5) (V2) in a
/// children's home (K2).
fn rule_359(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (dec, ls, place) = (eps.col("DEC"), eps.col("LS"), eps.col("PLACE"));
    for i in eps.rows() {
        let Some(adult) = dob(r, eps.child(i)).and_then(eighteenth) else {
            continue;
        };
        let open_after = adult <= r.end() && dec.date(i).is_none_or(|d| d > adult);
        if open_after && !(ls.is(i, "V2") && place.is(i, "K2")) {
            out.push(Episodes, i);
        }
    }
    Some(())
}

/// Runs of a child's consecutive episodes in legal status `ls` (each starting the day the last
/// ended) lasting more than `max_days`, to their end or, if open, the end of the year.
fn legal_status_too_long(r: &Return, ls: &str, max_days: i64, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (status, decom, dec) = (eps.col("LS"), eps.col("DECOM"), eps.col("DEC"));
    for rows in eps.by_start().iter() {
        let mut run: Vec<usize> = Vec::new();
        let flush = |run: &mut Vec<usize>, out: &mut Hits| {
            if let (Some(&a), Some(&b)) = (run.first(), run.last()) {
                let end = dec.date(b).unwrap_or(r.end());
                if decom
                    .date(a)
                    .is_some_and(|s| (end - s).num_days() > max_days)
                {
                    out.extend(Episodes, run.iter().copied());
                }
            }
            run.clear();
        };
        for &i in rows {
            let i = i as usize;
            let joins = run
                .last()
                .is_some_and(|&p| dec.date(p).is_some() && dec.date(p) == decom.date(i));
            if !(status.is(i, ls) && joins) {
                flush(&mut run, out);
            }
            if status.is(i, ls) {
                run.push(i);
            }
        }
        flush(&mut run, out);
    }
    Some(())
}

/// Police protection (L1) for more than 72 hours.
fn rule_361(r: &Return, out: &mut Hits) -> Option<()> {
    legal_status_too_long(r, "L1", 3, out)
}

/// Emergency protection order (L2) for more than 21 days.
fn rule_362(r: &Return, out: &mut Hits) -> Option<()> {
    legal_status_too_long(r, "L2", 21, out)
}

/// Child assessment order (L3) for more than 7 days.
fn rule_363(r: &Return, out: &mut Hits) -> Option<()> {
    legal_status_too_long(r, "L3", 7, out)
}

/// Detained under PACE (J2) for more than 15 days. The catalogue gives no limit; the recorded
/// cases pass 14 days and fail 23.
fn rule_364(r: &Return, out: &mut Hits) -> Option<()> {
    legal_status_too_long(r, "J2", 15, out)
}

/// Days from the episode's start to its end or, if open, the end of the year.
fn days(r: &Return, eps: &Table, i: usize) -> Option<i64> {
    let start = eps.col("DECOM").date(i)?;
    Some((eps.col("DEC").date(i).unwrap_or(r.end()) - start).num_days())
}

/// A single short break (V3) longer than 17 days.
fn rule_365(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let ls = eps.col("LS");
    out.extend(
        Episodes,
        eps.rows_where(|i| ls.is(i, "V3") && days(r, eps, i).is_some_and(|d| d > 17)),
    );
    Some(())
}

/// Each short break (V3) is an episode of its own, so begins a period of care (RNE S).
fn rule_366(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (ls, rne) = (eps.col("LS"), eps.col("RNE"));
    out.extend(
        Episodes,
        eps.rows_where(|i| ls.is(i, "V3") && !rne.is(i, "S")),
    );
    Some(())
}

/// More than 75 days of short breaks (V3) within the year; all of them fail.
fn rule_367(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (ls, decom, dec) = (eps.col("LS"), eps.col("DECOM"), eps.col("DEC"));
    for rows in eps.by_start().iter() {
        let breaks: Vec<(usize, i64)> = rows
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| ls.is(i, "V3"))
            .filter_map(|i| {
                let start = decom.date(i)?.max(r.start());
                let end = dec.date(i).unwrap_or(r.end()).min(r.end());
                let d = (end - start).num_days();
                (d > 0).then_some((i, d))
            })
            .collect();
        if breaks.iter().map(|b| b.1).sum::<i64>() > 75 {
            out.extend(Episodes, breaks.iter().map(|b| b.0));
        }
    }
    Some(())
}

/// Episodes in `places` that began before the child was `min_age`.
fn placed_under(
    r: &Return,
    places: &'static [&'static str],
    min_age: i32,
    out: &mut Hits,
) -> Option<()> {
    episode_ages(
        r,
        |e, i| e.col("PLACE").is_in(i, places),
        "DECOM",
        |age| age >= min_age,
        false,
        out,
    )
}

/// Independent living (P2) under 15.
fn rule_370(r: &Return, out: &mut Hits) -> Option<()> {
    placed_under(r, &["P2"], 15, out)
}

/// From 2023/24, under 16.
fn rule_370_v2023(r: &Return, out: &mut Hits) -> Option<()> {
    placed_under(r, &["P2"], 16, out)
}

/// Semi-independent living (H5) under 14.
fn rule_371(r: &Return, out: &mut Hits) -> Option<()> {
    placed_under(r, &["H5"], 14, out)
}

/// From 2023/24, under 16.
fn rule_371_v2023(r: &Return, out: &mut Hits) -> Option<()> {
    placed_under(r, &["H5"], 16, out)
}

/// From 2024/25, supported accommodation (K3) under 16.
fn rule_371_v2024(r: &Return, out: &mut Hits) -> Option<()> {
    placed_under(r, &["K3"], 16, out)
}

/// Youth custody or prison (R5) under 10.
fn rule_372(r: &Return, out: &mut Hits) -> Option<()> {
    placed_under(r, &["R5"], 10, out)
}

/// Residential school (S1) under 4.
fn rule_373(r: &Return, out: &mut Hits) -> Option<()> {
    placed_under(r, &["S1"], 4, out)
}

/// Residential employment (P3) under 14.
fn rule_374(r: &Return, out: &mut Hits) -> Option<()> {
    placed_under(r, &["P3"], 14, out)
}

/// Episodes in placement `place` lasting more than `max_days` (to the end of the year if open).
fn placement_too_long(r: &Return, place: &str, max_days: i64, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let p = eps.col("PLACE");
    out.extend(
        Episodes,
        eps.rows_where(|i| p.is(i, place) && days(r, eps, i).is_some_and(|d| d > max_days)),
    );
    Some(())
}

/// In hospital (T1) for more than six weeks.
fn rule_375(r: &Return, out: &mut Hits) -> Option<()> {
    placement_too_long(r, "T1", 42, out)
}

/// Away while the foster carers are on holiday (T3) for more than three weeks.
fn rule_376(r: &Return, out: &mut Hits) -> Option<()> {
    placement_too_long(r, "T3", 21, out)
}

/// More than two T3 placements (foster carers' holiday) begin within 12 months; all of those fail.
/// An episode that only changes the legal status (RNE L) continues its placement.
fn rule_377(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (place, decom, rne) = (eps.col("PLACE"), eps.col("DECOM"), eps.col("RNE"));
    for rows in eps.by_start().iter() {
        let t3: Vec<usize> = rows
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| place.is(i, "T3") && !rne.is(i, "L"))
            .collect();
        for w in t3.windows(3) {
            let (a, c) = (decom.date(w[0])?, decom.date(w[2])?);
            if a.checked_add_months(Months::new(12))
                .is_some_and(|year_on| c < year_on)
            {
                out.extend(Episodes, w.iter().copied());
            }
        }
    }
    Some(())
}

/// Placed with parents (P1) under a single period of accommodation (section 20, V2).
fn rule_378(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (place, ls) = (eps.col("PLACE"), eps.col("LS"));
    out.extend(
        Episodes,
        eps.rows_where(|i| place.is(i, "P1") && ls.is(i, "V2")),
    );
    Some(())
}

/// A temporary placement for another reason (T4) for more than seven days.
fn rule_379(r: &Return, out: &mut Hits) -> Option<()> {
    placement_too_long(r, "T4", 7, out)
}

/// A temporary placement that begins a period of care (RNE S), keeps the placement (L) or keeps
/// the carer (T, U): a move to a temporary placement is a change of carer.
fn rule_380(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (rne, place) = (eps.col("RNE"), eps.col("PLACE"));
    out.extend(
        Episodes,
        eps.rows_where(|i| rne.is_in(i, &["S", "L", "T", "U"]) && place.is_in(i, TEMPORARY)),
    );
    Some(())
}

/// A period of care (REC other than X1) ending in a temporary placement.
fn rule_381(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (rec, place) = (eps.col("REC"), eps.col("PLACE"));
    out.extend(
        Episodes,
        eps.rows_where(|i| rec.text(i).is_some_and(|c| c != "X1") && place.is_in(i, TEMPORARY)),
    );
    Some(())
}

/// Short breaks (V3, V4) in a temporary placement.
fn rule_382(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (ls, place) = (eps.col("LS"), eps.col("PLACE"));
    out.extend(
        Episodes,
        eps.rows_where(|i| ls.is_in(i, SHORT_BREAKS) && place.is_in(i, TEMPORARY)),
    );
    Some(())
}

/// After a temporary placement (or a run of them) the child returns to the placement before it:
/// the next episode is a change of carer (RNE P) back to the same placement type. The episode
/// after the temporary ones fails.
fn returns_after_temporary(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (place, rne) = (eps.col("PLACE"), eps.col("RNE"));
    let temporary = |i: u32| place.is_in(i as usize, TEMPORARY);
    for rows in eps.by_start().iter() {
        let mut k = 0;
        while k < rows.len() {
            if !temporary(rows[k]) {
                k += 1;
                continue;
            }
            let run_end = (k..rows.len())
                .find(|&j| !temporary(rows[j]))
                .unwrap_or(rows.len());
            let (before, after) = (k.checked_sub(1), rows.get(run_end));
            k = run_end;
            let (Some(before), Some(&after)) = (before, after) else {
                continue;
            };
            let (before, after) = (rows[before] as usize, after as usize);
            let back = rne.is(after, "P") && place.text(after) == place.text(before);
            if !back {
                out.push(Episodes, after);
            }
        }
    }
    Some(())
}

fn rule_383(r: &Return, out: &mut Hits) -> Option<()> {
    returns_after_temporary(r, out)
}

/// From 2025/26 the rule is written episode by episode: an episode straight after a temporary
/// placement is a change of carer (RNE P) back to the placement type and postcode of the episode
/// before the temporary one (which must exist; a blank on either side does not match).
fn rule_383_v2025(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (place, rne, post) = (eps.col("PLACE"), eps.col("RNE"), eps.col("PL_POST"));
    let same = |a: Option<&str>, b: Option<&str>| a.is_some() && a == b;
    for rows in eps.by_start().iter() {
        for w in rows.windows(3) {
            let (before, temporary, now) = (w[0] as usize, w[1] as usize, w[2] as usize);
            if place.is_in(temporary, TEMPORARY)
                && !(rne.is(now, "P")
                    && same(place.text(now), place.text(before))
                    && same(post.text(now), post.text(before)))
            {
                out.push(Episodes, now);
            }
        }
    }
    Some(())
}

/// Short breaks (V3, V4) in a long-term foster placement (U1, U4).
fn rule_384(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (ls, place) = (eps.col("LS"), eps.col("PLACE"));
    out.extend(
        Episodes,
        eps.rows_where(|i| ls.is_in(i, SHORT_BREAKS) && place.is_in(i, &["U1", "U4"])),
    );
    Some(())
}

/// An episode ending after the end of the year.
fn rule_385(r: &Return, out: &mut Hits) -> Option<()> {
    after_year_end(r, "DEC", out)
}

/// Adopted (E11, E12) at 18 or over.
fn rule_386(r: &Return, out: &mut Hits) -> Option<()> {
    episode_ages(
        r,
        |e, i| e.col("REC").is_in(i, &["E11", "E12"]),
        "DEC",
        |age| age < 18,
        false,
        out,
    )
}

/// Moved to independent living (E5, E6) under 14.
fn rule_387(r: &Return, out: &mut Hits) -> Option<()> {
    episode_ages(
        r,
        |e, i| e.col("REC").is_in(i, &["E5", "E6"]),
        "DEC",
        |age| age >= 14,
        false,
        out,
    )
}

/// An episode ending X1 (a new episode begins) with no episode starting that day, or one ending
/// otherwise with an episode starting that day.
fn rule_388(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (decom, dec, rec) = (eps.col("DECOM"), eps.col("DEC"), eps.col("REC"));
    for rows in eps.by_start().iter() {
        for (k, &i) in rows.iter().enumerate() {
            let i = i as usize;
            let next = rows.get(k + 1).map(|&n| n as usize);
            let continued =
                next.is_some_and(|n| dec.date(i).is_some() && decom.date(n) == dec.date(i));
            let bad = match rec.text(i) {
                Some("X1") => !continued,
                Some(_) => continued,
                None => false,
            };
            if bad {
                out.push(Episodes, i);
            }
        }
    }
    Some(())
}

/// Transferred to adult social care (E7) under 16.
fn rule_389(r: &Return, out: &mut Hits) -> Option<()> {
    episode_ages(
        r,
        |e, i| e.col("REC").is(i, "E7"),
        "DEC",
        |age| age >= 16,
        false,
        out,
    )
}

/// Adopted (E11, E12) from a placement that was not a placement for adoption (A3 to A6).
fn rule_390(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (rec, place) = (eps.col("REC"), eps.col("PLACE"));
    out.extend(
        Episodes,
        eps.rows_where(|i| {
            rec.is_in(i, &["E11", "E12"]) && !place.is_in(i, &["A3", "A4", "A5", "A6"])
        }),
    );
    Some(())
}

/// Care leaver information for a young person not aged 17 to 21 at some time during the year.
fn rule_391(r: &Return, out: &mut Hits) -> Option<()> {
    let oc3 = r.table(Oc3)?;
    let dob = oc3.col("DOB");
    let filled = |i| {
        ["IN_TOUCH", "ACTIV", "ACCOM"]
            .iter()
            .any(|f| oc3.col(f).is_filled(i))
    };
    let outside = |d| age_on(d, r.end()) < 17 || age_on(d, r.start()) > 21;
    out.extend(
        Oc3,
        oc3.rows_where(|i| filled(i) && dob.date(i).is_some_and(outside)),
    );
    Some(())
}

/// Episodes of looked-after children (not on short breaks, never UASC) lacking any of `fields`.
fn missing_for_looked_after(r: &Return, fields: &[&str], out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (ls, uasc) = (eps.col("LS"), uasc_children(r));
    let cols: Vec<_> = fields.iter().map(|f| eps.col(f)).collect();
    out.extend(
        Episodes,
        eps.rows_where(|i| {
            cols.iter().any(|c| c.is_blank(i))
                && !is_short_break(ls.text(i))
                && !uasc.has(eps.child(i))
        }),
    );
    Some(())
}

/// No placement distance (skipped when the episodes carry none).
fn rule_392a(r: &Return, out: &mut Hits) -> Option<()> {
    r.table(Episodes).filter(|t| t.has("PL_DISTANCE"))?;
    missing_for_looked_after(r, &["PL_DISTANCE"], out)
}

/// No home or placement postcode.
fn rule_392b(r: &Return, out: &mut Hits) -> Option<()> {
    missing_for_looked_after(r, &["HOME_POST", "PL_POST"], out)
}

/// A home or placement postcode that is not a postcode: not in the postcode directory when one is
/// given, otherwise not shaped like one.
fn rule_392c(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (home, placed) = (eps.col("HOME_POST"), eps.col("PL_POST"));
    let known = |p: &str| match &r.meta.postcodes {
        Some(directory) => directory.get(p).is_some(),
        None => valid_postcode(p),
    };
    let bad = |p: Option<&str>| p.is_some_and(|p| !known(p));
    out.extend(
        Episodes,
        eps.rows_where(|i| bad(home.text(i)) || bad(placed.text(i))),
    );
    Some(())
}

/// The same home and placement postcode, other than placed with parents (P1).
fn rule_392d(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (home, placed, place) = (eps.col("HOME_POST"), eps.col("PL_POST"), eps.col("PLACE"));
    let same = |i| {
        home.text(i)
            .zip(placed.text(i))
            .is_some_and(|(h, p)| postcode(h) == postcode(p))
    };
    out.extend(Episodes, eps.rows_where(|i| same(i) && !place.is(i, "P1")));
    Some(())
}

/// A girl looked after (other than on short breaks) with MOTHER blank.
fn rule_393(r: &Return, out: &mut Hits) -> Option<()> {
    let (h, eps) = (r.table(Header)?, r.table(Episodes)?);
    let (sex, mother, ls) = (h.col("SEX"), h.col("MOTHER"), eps.col("LS"));
    let looked_after = |i: usize| {
        eps.rows_of(h.child(i))
            .iter()
            .any(|&e| !is_short_break(ls.text(e as usize)))
    };
    out.extend(
        Header,
        h.rows_where(|i| is_female(sex.text(i)) && mother.is_blank(i) && looked_after(i)),
    );
    Some(())
}

/// Short breaks (V3, V4) with a home or placement postcode (from which the distance is derived).
fn rule_398(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (ls, home, placed, dist) = (
        eps.col("LS"),
        eps.col("HOME_POST"),
        eps.col("PL_POST"),
        eps.col("PL_DISTANCE"),
    );
    let any = |i| home.is_filled(i) || placed.is_filled(i) || dist.is_filled(i);
    out.extend(
        Episodes,
        eps.rows_where(|i| ls.is_in(i, SHORT_BREAKS) && any(i)),
    );
    Some(())
}

/// A child only ever on short breaks (V3, V4) with MOTHER, or a review, recorded: the episodes,
/// the header and the reviews fail.
fn rule_399(r: &Return, out: &mut Hits) -> Option<()> {
    let (eps, h, reviews) = (r.table(Episodes)?, r.table(Header)?, r.table(Reviews)?);
    let (ls, mother) = (eps.col("LS"), h.col("MOTHER"));
    let (review, code) = (reviews.col("REVIEW"), reviews.col("REVIEW_CODE"));
    for rows in eps.by_child().iter() {
        let c = eps.child(rows[0] as usize);
        if !rows.iter().all(|&e| ls.is_in(e as usize, SHORT_BREAKS)) {
            continue;
        }
        let headers = h.rows_of(c).iter().map(|&j| j as usize);
        let reviewed: Vec<usize> = reviews
            .rows_of(c)
            .iter()
            .map(|&j| j as usize)
            .filter(|&j| review.is_filled(j) || code.is_filled(j))
            .collect();
        if headers.clone().any(|j| mother.is_filled(j)) || !reviewed.is_empty() {
            out.extend(Episodes, rows.iter().map(|&e| e as usize));
            out.extend(Header, headers);
            out.extend(Reviews, reviewed);
        }
    }
    Some(())
}
