//! Rules 1000 to 1999.

use super::common::*;
use super::{Hits, Implementation, rule};
use crate::ssda903::submission::Return;
use crate::ssda903::tables::{Child, Table, TableName, TableName::*};
use crate::ssda903::year::Year::*;
use chrono::NaiveDate;

pub(super) const RULES: &[Implementation] = &[
    rule("1000", Y2022_23, rule_1000),
    rule("1001", Y2022_23, rule_1001),
    rule("1002", Y2022_23, rule_1002),
    rule("1003", Y2022_23, rule_1003),
    rule("1004", Y2022_23, rule_1004),
    rule("1005", Y2022_23, rule_1005),
    rule("1006", Y2022_23, rule_1006),
    rule("1007", Y2022_23, rule_1007),
    rule("1008", Y2022_23, rule_1008),
    rule("1009", Y2022_23, rule_1009),
    rule("1010", Y2022_23, rule_1010),
    rule("1011", Y2022_23, rule_1011),
    rule("1012", Y2022_23, rule_1012),
    rule("1014", Y2022_23, rule_1014),
    rule("1015", Y2022_23, rule_1015),
    rule("1015", Y2025_26, rule_1015_v2025),
    rule("1016", Y2023_24, rule_1016),
];

fn rows(rows: &[u32]) -> impl Iterator<Item = usize> + '_ {
    rows.iter().map(|&i| i as usize)
}

/// The child's episodes this year and last, as (table, row).
fn both_years(r: &Return, c: Child) -> impl Iterator<Item = (&Table, usize)> {
    [r.table(Episodes), r.last(Episodes)]
        .into_iter()
        .flatten()
        .flat_map(move |t| rows(t.rows_of(c)).map(move |i| (t, i)))
}

/// Care leaver information for a child who died in care (an episode ending E2, this year or last).
fn rule_1000(r: &Return, out: &mut Hits) -> Option<()> {
    let oc3 = r.table(Oc3)?;
    r.table(Episodes)?;
    let died = |c| both_years(r, c).any(|(t, i)| t.col("REC").is(i, "E2"));
    out.extend(
        Oc3,
        oc3.rows_where(|i| leaver_info(oc3, i) && died(oc3.child(i))),
    );
    Some(())
}

/// Care leaver information for a young person who, on this year's and last year's episodes, is
/// neither a relevant nor a former relevant child: still looked after, looked after for less than
/// 13 weeks since 14, never looked after at 16 or over, or adopted. Needs last year's episodes.
fn rule_1001(r: &Return, out: &mut Hits) -> Option<()> {
    let oc3 = r.table(Oc3)?;
    r.table(Episodes)?;
    r.last(Episodes)?;
    let relevant = |c: Child| {
        let Some(born) = dob(r, c) else { return false };
        let (Some(at14), Some(at16)) = (birthday(born, 14), birthday(born, 16)) else {
            return false;
        };
        let mut spells: Vec<(NaiveDate, NaiveDate)> = Vec::new();
        let mut latest: Option<(NaiveDate, bool)> = None;
        for (t, i) in both_years(r, c) {
            if is_short_break(t.col("LS").text(i)) {
                continue;
            }
            let Some(start) = t.col("DECOM").date(i) else {
                continue;
            };
            let Some(end) = t.col("DEC").date(i) else {
                return false;
            };
            spells.push((start, end));
            let adopted = t.col("REC").is_in(i, &["E11", "E12"]);
            if latest.is_none_or(|(d, _)| end >= d) {
                latest = Some((end, adopted));
            }
        }
        spells.sort();
        // Days looked after from the 14th birthday, counting overlapping episodes once.
        let (mut days, mut reached) = (0, at14);
        for &(start, end) in &spells {
            let from = start.max(reached);
            if end > from {
                days += (end - from).num_days();
                reached = end;
            }
        }
        let after_16 = spells.iter().any(|&(_, end)| end > at16);
        days >= 91 && after_16 && latest.is_some_and(|(_, adopted)| !adopted)
    };
    out.extend(
        Oc3,
        oc3.rows_where(|i| leaver_info(oc3, i) && !relevant(oc3.child(i))),
    );
    Some(())
}

/// Care leaver information for a young person with no episodes this year or last (needs last
/// year's episodes).
fn rule_1002(r: &Return, out: &mut Hits) -> Option<()> {
    let oc3 = r.table(Oc3)?;
    r.table(Episodes)?;
    r.last(Episodes)?;
    out.extend(
        Oc3,
        oc3.rows_where(|i| leaver_info(oc3, i) && both_years(r, oc3.child(i)).next().is_none()),
    );
    Some(())
}

/// The decision to place for adoption is before the child's first period of care in the return
/// began (the earliest episode with RNE S); the decision and that episode fail.
fn rule_1003(r: &Return, out: &mut Hits) -> Option<()> {
    let (eps, pa) = (r.table(Episodes)?, r.table(PlacedAdoption)?);
    let (rne, decom, placed) = (eps.col("RNE"), eps.col("DECOM"), pa.col("DATE_PLACED"));
    for i in pa.rows() {
        let Some(d) = placed.date(i) else { continue };
        let first = rows(eps.by_start().of(pa.child(i))).find(|&e| rne.is(e, "S"));
        if let Some(e) = first.filter(|&e| decom.date(e).is_some_and(|s| d < s)) {
            out.push(PlacedAdoption, i);
            out.push(Episodes, e);
        }
    }
    Some(())
}

/// The start of a missing period is blank or not a date.
fn rule_1004(r: &Return, out: &mut Hits) -> Option<()> {
    let m = r.table(TableName::Missing)?;
    let start = m.col("MIS_START");
    out.extend(
        TableName::Missing,
        m.rows_where(|i| start.date(i).is_none()),
    );
    Some(())
}

fn rule_1005(r: &Return, out: &mut Hits) -> Option<()> {
    bad_dates(r, TableName::Missing, "MIS_END", out)
}

/// Missing (M) or away without authorisation (A).
fn rule_1006(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, TableName::Missing, "MISSING", &["M", "A"], false, out)
}

/// The child's 17th or 18th birthday falls in the year and `on_birthday` holds for one of their
/// episodes (given its start, its end and the birthday).
fn birthday_episode(
    r: &Return,
    c: Child,
    dob_now: Option<NaiveDate>,
    on_birthday: impl Fn(Option<NaiveDate>, Option<NaiveDate>, NaiveDate) -> bool,
) -> bool {
    let Some(eps) = r.table(Episodes) else {
        return false;
    };
    let (decom, dec) = (eps.col("DECOM"), eps.col("DEC"));
    let Some(born) = dob_now.or_else(|| dob(r, c)) else {
        return false;
    };
    [17, 18]
        .into_iter()
        .filter_map(|y| birthday(born, y))
        .filter(|&b| r.start() <= b && b <= r.end())
        .any(|b| rows(eps.rows_of(c)).any(|e| on_birthday(decom.date(e), dec.date(e), b)))
}

/// Care leaver information for a young person still looked after on their 17th or 18th birthday
/// this year.
fn rule_1007(r: &Return, out: &mut Hits) -> Option<()> {
    let (oc3, _) = (r.table(Oc3)?, r.table(Episodes)?);
    let dob = oc3.col("DOB");
    let still = |start: Option<NaiveDate>, end: Option<NaiveDate>, b| {
        start.is_none_or(|s| s <= b)
            && end.is_none_or(|e| e > b)
            && (start.is_some() || end.is_some())
    };
    out.extend(
        Oc3,
        oc3.rows_where(|i| {
            leaver_info(oc3, i) && birthday_episode(r, oc3.child(i), dob.date(i), still)
        }),
    );
    Some(())
}

/// The URN is not one of Ofsted's (nor `XXXXXXX`, for none). Skipped without Ofsted's lists.
fn rule_1008(r: &Return, out: &mut Hits) -> Option<()> {
    let (eps, providers) = (r.table(Episodes)?, r.meta.providers.as_ref()?);
    let urn = eps.col("URN");
    out.extend(
        Episodes,
        eps.rows_where(|i| {
            urn.text(i)
                .is_some_and(|u| u != "XXXXXXX" && !providers.contains(u))
        }),
    );
    Some(())
}

fn rule_1009(r: &Return, out: &mut Hits) -> Option<()> {
    const REASONS: &[&str] = &[
        "CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE",
        "CUSTOD", "OTHER",
    ];
    bad_codes(r, Episodes, "REASON_PLACE_CHANGE", REASONS, false, out)
}

/// Care leaver information for a young person with no episode this year whose latest episode last
/// year was still open.
fn rule_1010(r: &Return, out: &mut Hits) -> Option<()> {
    let (oc3, eps, last) = (r.table(Oc3)?, r.table(Episodes)?, r.last(Episodes)?);
    let open_last = |c| {
        let dec = last.col("DEC");
        last.by_start()
            .of(c)
            .last()
            .is_some_and(|&j| dec.is_blank(j as usize))
    };
    out.extend(
        Oc3,
        oc3.rows_where(|i| {
            leaver_info(oc3, i) && !eps.has_child(oc3.child(i)) && open_last(oc3.child(i))
        }),
    );
    Some(())
}

/// Care leaver information for a young person whose care passed to another LA (their latest
/// episode ended E3).
fn rule_1011(r: &Return, out: &mut Hits) -> Option<()> {
    let (oc3, eps) = (r.table(Oc3)?, r.table(Episodes)?);
    let rec = eps.col("REC");
    let transferred = |c| {
        eps.by_start()
            .of(c)
            .last()
            .is_some_and(|&e| rec.is(e as usize, "E3"))
    };
    out.extend(
        Oc3,
        oc3.rows_where(|i| leaver_info(oc3, i) && transferred(oc3.child(i))),
    );
    Some(())
}

/// Rows in the placed for adoption, missing, reviews, AD1, previous permanence or OC2 tables for a
/// child with no episode this year (who can only be a care leaver).
fn rule_1012(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    for name in [
        PlacedAdoption,
        TableName::Missing,
        Reviews,
        Ad1,
        PrevPerm,
        Oc2,
    ] {
        if let Some(t) = r.table(name) {
            out.extend(
                name,
                t.rows_where(|i| !t.child(i).is_none() && !eps.has_child(t.child(i))),
            );
        }
    }
    Some(())
}

/// UASC information for a care leaver not looked after during the year: the UASC and OC3 rows fail.
fn rule_1014(r: &Return, out: &mut Hits) -> Option<()> {
    let (u, oc3, eps) = (r.table(Uasc)?, r.table(Oc3)?, r.table(Episodes)?);
    for i in oc3.rows().filter(|&i| leaver_info(oc3, i)) {
        let c = oc3.child(i);
        if u.has_child(c) && !looked_after_in_year(r, eps, c) {
            out.push(Oc3, i);
            out.extend(Uasc, rows(u.rows_of(c)));
        }
    }
    Some(())
}

/// The LA's own provision (PR1) not placed in the LA (a placement LA other than its own, or none
/// known), other than adoption placements (A3 to A6), foster care (U1 to U6) and short breaks;
/// from 2025/26 supported accommodation (K3) too. Skipped without the LA's code or placement LAs.
fn rule_1015(r: &Return, out: &mut Hits) -> Option<()> {
    own_provision_elsewhere(r, &[], out)
}

fn rule_1015_v2025(r: &Return, out: &mut Hits) -> Option<()> {
    own_provision_elsewhere(r, &["K3"], out)
}

fn own_provision_elsewhere(r: &Return, also_exempt: &[&str], out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes).filter(|t| t.has("PL_LA"))?;
    let own = r.meta.la_code.as_deref()?;
    let (place, ls, provider, la) = (
        eps.col("PLACE"),
        eps.col("LS"),
        eps.col("PLACE_PROVIDER"),
        eps.col("PL_LA"),
    );
    const EXEMPT: &[&str] = &["A3", "A4", "A5", "A6", "U1", "U2", "U3", "U4", "U5", "U6"];
    out.extend(
        Episodes,
        eps.rows_where(|i| {
            provider.is(i, "PR1")
                && place.is_filled(i)
                && !place.is_in(i, EXEMPT)
                && !place.is_in(i, also_exempt)
                && ls.is_filled(i)
                && !is_short_break(ls.text(i))
                && la.text(i) != Some(own)
        }),
    );
    Some(())
}

/// Care leaver information for a young person who ceased to be looked after on or after their 17th
/// or 18th birthday this year.
fn rule_1016(r: &Return, out: &mut Hits) -> Option<()> {
    let (oc3, _) = (r.table(Oc3)?, r.table(Episodes)?);
    let dob = oc3.col("DOB");
    let ceased_after = |start: Option<NaiveDate>, end: Option<NaiveDate>, b| {
        start.is_none_or(|s| s <= b) && end.is_some_and(|e| e >= b)
    };
    out.extend(
        Oc3,
        oc3.rows_where(|i| {
            leaver_info(oc3, i) && birthday_episode(r, oc3.child(i), dob.date(i), ceased_after)
        }),
    );
    Some(())
}
