//! Rules 200 to 299.

use super::common::*;
use super::{Hits, Implementation, rule};
use crate::ssda903::submission::Return;
use crate::ssda903::tables::{Column, Table, TableName::*, parse_date};
use crate::ssda903::year::Year::*;
use chrono::NaiveDate;

pub(super) const RULES: &[Implementation] = &[
    rule("202", Y2022_23, rule_202),
    rule("203", Y2022_23, rule_203),
    rule("204", Y2022_23, rule_204),
    rule("207", Y2022_23, rule_207),
    rule("209", Y2022_23, rule_209),
    rule("210", Y2022_23, rule_210),
    rule("213", Y2022_23, rule_213),
    rule("213", Y2025_26, rule_213_v2025),
    rule("214", Y2022_23, rule_214),
    rule("215", Y2022_23, rule_215),
    rule("217", Y2022_23, rule_217),
    rule("217t", Y2023_24, rule_217t),
    rule("218", Y2022_23, rule_218),
    rule("218", Y2024_25, rule_218_v2024),
    rule("219", Y2022_23, rule_219),
    rule("221", Y2022_23, rule_221),
    rule("222", Y2022_23, rule_222),
    rule("224", Y2022_23, rule_224),
    rule("225", Y2022_23, rule_225),
    rule("226", Y2022_23, rule_226),
    rule("227", Y2022_23, rule_227),
    rule("228", Y2022_23, rule_228),
    rule("229", Y2022_23, rule_229),
    rule("229", Y2025_26, rule_229_v2025),
    rule("230", Y2023_24, rule_230),
    rule("231", Y2024_25, rule_231),
    rule("232", Y2024_25, rule_232),
    rule("233", Y2025_26, rule_233),
    rule("234", Y2025_26, rule_234),
    rule("241", Y2025_26, rule_241),
    rule("242", Y2025_26, rule_242),
    rule("243", Y2025_26, rule_243),
];

/// Header rows whose `field` differs from last year's header for the same child, as `same` judges.
fn changed(
    r: &Return,
    field: &str,
    same: impl Fn(&Column, usize, &Column, usize) -> bool,
    out: &mut Hits,
) -> Option<()> {
    let (h, last) = (r.table(Header)?, r.last(Header)?);
    let (now, then) = (h.col(field), last.col(field));
    out.extend(
        Header,
        h.rows_where(|i| {
            last.rows_of(h.child(i))
                .iter()
                .any(|&j| !same(now, i, then, j as usize))
        }),
    );
    Some(())
}

/// Sex differs from last year's (blank against a value counts).
fn rule_202(r: &Return, out: &mut Hits) -> Option<()> {
    changed(r, "SEX", |a, i, b, j| a.text(i) == b.text(j), out)
}

/// Date of birth differs from last year's: compared as dates where both are dates, else as text.
fn rule_203(r: &Return, out: &mut Hits) -> Option<()> {
    changed(
        r,
        "DOB",
        |a, i, b, j| match (a.date(i), b.date(j)) {
            (Some(x), Some(y)) => x == y,
            _ => a.text(i) == b.text(j),
        },
        out,
    )
}

/// Ethnicity differs from last year's (ignoring case).
fn rule_204(r: &Return, out: &mut Hits) -> Option<()> {
    changed(
        r,
        "ETHNIC",
        |a, i, b, j| match (a.text(i), b.text(j)) {
            (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
            (x, y) => x == y,
        },
        out,
    )
}

/// A child who was a mother last year is no longer recorded as one (only children with episodes).
fn rule_207(r: &Return, out: &mut Hits) -> Option<()> {
    let (h, last, eps) = (r.table(Header)?, r.last(Header)?, r.table(Episodes)?);
    let (now, then) = (h.col("MOTHER"), last.col("MOTHER"));
    let was_mother = |i: usize| {
        last.rows_of(h.child(i))
            .iter()
            .any(|&j| then.is_num(j as usize, 1))
    };
    out.extend(
        Header,
        h.rows_where(|i| !now.is_num(i, 1) && eps.has_child(h.child(i)) && was_mother(i)),
    );
    Some(())
}

/// UN1 (not yet of school age) for a child of school age: 5 or over at the start of the year.
fn rule_209(r: &Return, out: &mut Hits) -> Option<()> {
    let h = r.table(Header)?;
    let (upn, dob) = (h.col("UPN"), h.col("DOB"));
    out.extend(
        Header,
        h.rows_where(|i| {
            upn.is(i, "UN1") && dob.date(i).is_some_and(|d| age_on(d, r.start()) >= 5)
        }),
    );
    Some(())
}

/// UN4 (UPN not yet obtained, newly looked after) for a child looked after for more than a week at
/// 31 March; the header and the child's latest episode fail.
fn rule_210(r: &Return, out: &mut Hits) -> Option<()> {
    let (h, eps) = (r.table(Header)?, r.table(Episodes)?);
    let upn = h.col("UPN");
    let week_before = r.end() - chrono::Days::new(7);
    for i in h.rows().filter(|&i| upn.is(i, "UN4")) {
        if let Some((start, last)) = in_care_at_end(r, eps, eps.by_start().of(h.child(i)))
            && start < week_before
        {
            out.push(Header, i);
            out.push(Episodes, last);
        }
    }
    Some(())
}

/// A provider is given for a placement that has none.
fn no_provider(r: &Return, places: &[&str], out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (place, provider) = (eps.col("PLACE"), eps.col("PLACE_PROVIDER"));
    out.extend(
        Episodes,
        eps.rows_where(|i| place.is_in(i, places) && provider.is_filled(i)),
    );
    Some(())
}

fn rule_213(r: &Return, out: &mut Hits) -> Option<()> {
    no_provider(r, TEMPORARY, out)
}

fn rule_213_v2025(r: &Return, out: &mut Hits) -> Option<()> {
    no_provider(
        r,
        &["T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14"],
        out,
    )
}

/// A short break (V3, V4) has a placement postcode or URN.
fn rule_214(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (ls, post, urn) = (eps.col("LS"), eps.col("PL_POST"), eps.col("URN"));
    out.extend(
        Episodes,
        eps.rows_where(|i| ls.is_in(i, SHORT_BREAKS) && (post.is_filled(i) || urn.is_filled(i))),
    );
    Some(())
}

/// A care leaver (any OC3 item filled) with OC2 items filled; both rows fail.
fn rule_215(r: &Return, out: &mut Hits) -> Option<()> {
    let (oc2, oc3) = (r.table(Oc2)?, r.table(Oc3)?);
    let filled =
        |t: &Table, fields: &[&str], i: usize| fields.iter().any(|f| t.col(f).is_filled(i));
    let leaver = |i| filled(oc3, &["IN_TOUCH", "ACTIV", "ACCOM"], i);
    let items = |j| filled(oc2, OC2_ITEMS, j);
    for i in oc3.rows().filter(|&i| leaver(i)) {
        let rows: Vec<usize> = oc2
            .rows_of(oc3.child(i))
            .iter()
            .map(|&j| j as usize)
            .filter(|&j| items(j))
            .collect();
        if !rows.is_empty() {
            out.push(Oc3, i);
            out.extend(Oc2, rows);
        }
    }
    Some(())
}

/// Placed for adoption with current foster carers (A3, A5; codes in use from April 2015) is not a
/// new period of care or a change of placement with the same carer (RNE S, T or U).
fn rule_217(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (place, decom, rne) = (eps.col("PLACE"), eps.col("DECOM"), eps.col("RNE"));
    let from = NaiveDate::from_ymd_opt(2015, 4, 1)?;
    out.extend(
        Episodes,
        eps.rows_where(|i| {
            place.is_in(i, &["A3", "A5"])
                && decom.date(i).is_some_and(|d| d >= from)
                && !rne.is_in(i, &["S", "T", "U"])
        }),
    );
    Some(())
}

/// P2 (independent living) is no longer a placement type from 28 October 2023: an episode in P2
/// open after that date.
fn rule_217t(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (place, dec) = (eps.col("PLACE"), eps.col("DEC"));
    let cutoff = NaiveDate::from_ymd_opt(2023, 10, 28)?;
    out.extend(
        Episodes,
        eps.rows_where(|i| place.is(i, "P2") && dec.date(i).is_none_or(|d| d > cutoff)),
    );
    Some(())
}

/// Placements that are never with an Ofsted-registered provider, so must have no URN: with
/// parents, residential employment, adult residential care, NHS, youth custody, temporary
/// placements and (from 2025/26) the other placements.
const NO_URN: &[&str] = &[
    "P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14",
];

/// Placements that need no URN though one is not an error: those of `NO_URN`, independent living
/// (P2), other placements (Z1) and, before its registration began in October 2023,
/// semi-independent living (H5).
const URN_OPTIONAL: &[&str] = &["P2", "Z1"];

/// A URN is needed for an episode open during the year in England, other than in placements that
/// have none.
fn rule_218(r: &Return, out: &mut Hits) -> Option<()> {
    urn_needed(r, &["H5"], out)
}

/// From 2024/25 semi-independent living (H5) needs a URN too.
fn rule_218_v2024(r: &Return, out: &mut Hits) -> Option<()> {
    urn_needed(r, &[], out)
}

fn urn_needed(r: &Return, also_optional: &[&str], out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (place, dec, la, urn) = (
        eps.col("PLACE"),
        eps.col("DEC"),
        eps.col("PL_LA"),
        eps.col("URN"),
    );
    out.extend(
        Episodes,
        eps.rows_where(|i| {
            urn.is_blank(i)
                && !place.is_in(i, NO_URN)
                && !place.is_in(i, URN_OPTIONAL)
                && !place.is_in(i, also_optional)
                && !outside_england(la.text(i))
                && dec.date(i).is_none_or(|d| d >= r.start())
        }),
    );
    Some(())
}

/// Episodes with a URN Ofsted lists, whose provider field `field` fails `ok` given the episode.
fn against_provider(
    r: &Return,
    field: &str,
    ok: impl Fn(&Table, usize, Option<&str>) -> bool,
    out: &mut Hits,
) -> Option<()> {
    let (eps, providers) = (r.table(Episodes)?, r.meta.providers.as_ref()?);
    let urn = eps.col("URN");
    out.extend(
        Episodes,
        eps.rows_where(|i| {
            urn.text(i)
                .is_some_and(|u| providers.contains(u) && !ok(eps, i, providers.field(u, field)))
        }),
    );
    Some(())
}

/// The placement type is not one the URN's provider is registered for.
fn rule_219(r: &Return, out: &mut Hits) -> Option<()> {
    against_provider(
        r,
        "PLACE_CODES",
        |eps, i, codes| listed(codes, eps.col("PLACE").text(i)),
        out,
    )
}

fn listed(list: Option<&str>, code: Option<&str>) -> bool {
    code.is_some_and(|c| list.is_some_and(|l| l.split(',').any(|x| x.trim() == c)))
}

/// The placement postcode is not the URN's provider's.
fn rule_221(r: &Return, out: &mut Hits) -> Option<()> {
    against_provider(
        r,
        "POSTCODE",
        |eps, i, p| {
            eps.col("PL_POST")
                .text(i)
                .is_none_or(|post| p.is_some_and(|p| postcode(p) == postcode(post)))
        },
        out,
    )
}

/// A URN (other than `XXXXXXX`) for a placement that has none.
fn rule_222(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (place, urn) = (eps.col("PLACE"), eps.col("URN"));
    out.extend(
        Episodes,
        eps.rows_where(|i| place.is_in(i, NO_URN) && real_urn(urn.text(i)).is_some()),
    );
    Some(())
}

/// The provider code is not one the URN's provider is registered as.
fn rule_224(r: &Return, out: &mut Hits) -> Option<()> {
    against_provider(
        r,
        "PROVIDER_CODES",
        |eps, i, codes| {
            let provider = eps.col("PLACE_PROVIDER").text(i);
            provider.is_none() || listed(codes, provider)
        },
        out,
    )
}

/// Each child's episodes in start order, as consecutive pairs.
fn pairs(eps: &Table) -> impl Iterator<Item = (usize, usize)> + '_ {
    eps.by_start()
        .iter()
        .flat_map(|rows| rows.windows(2).map(|w| (w[0] as usize, w[1] as usize)))
}

/// An episode ending in a change of placement (the next begins P, B, T or U) needs the reason for
/// the change, unless the move is to or from a temporary placement.
fn rule_225(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (rec, rne, place, reason) = (
        eps.col("REC"),
        eps.col("RNE"),
        eps.col("PLACE"),
        eps.col("REASON_PLACE_CHANGE"),
    );
    out.extend(
        Episodes,
        pairs(eps).filter_map(|(a, b)| {
            let moved = rec.is(a, "X1") && rne.is_in(b, &["P", "B", "T", "U"]);
            let temporary = place.is_in(a, TEMPORARY) || place.is_in(b, TEMPORARY);
            (moved && !temporary && reason.is_blank(a)).then_some(a)
        }),
    );
    Some(())
}

/// A temporary placement is not a change of placement: no reason on it, nor on the episode that
/// ended into it. The temporary placement's episode fails.
fn rule_226(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (place, reason) = (eps.col("PLACE"), eps.col("REASON_PLACE_CHANGE"));
    for rows in eps.by_start().iter() {
        for (k, i) in rows.iter().enumerate().map(|(k, &i)| (k, i as usize)) {
            let before = k.checked_sub(1).map(|p| rows[p] as usize);
            if place.is_in(i, TEMPORARY)
                && (reason.is_filled(i) || before.is_some_and(|p| reason.is_filled(p)))
            {
                out.push(Episodes, i);
            }
        }
    }
    Some(())
}

/// The episode starts on or after the URN's registration ended.
fn rule_227(r: &Return, out: &mut Hits) -> Option<()> {
    against_provider(
        r,
        "REG_END",
        |eps, i, end| match (end.and_then(parse_date), eps.col("DECOM").date(i)) {
            (Some(end), Some(start)) => start < end,
            _ => true,
        },
        out,
    )
}

/// The episode ends (or, if open, the year ends) after the URN's registration ended.
fn rule_228(r: &Return, out: &mut Hits) -> Option<()> {
    against_provider(
        r,
        "REG_END",
        |eps, i, end| {
            let until = eps.col("DEC").date(i).unwrap_or(r.end());
            end.and_then(parse_date).is_none_or(|end| until <= end)
        },
        out,
    )
}

/// The provider code says own LA (PR1) or other LA (PR2), but the URN's provider is in another LA,
/// or in ours.
fn rule_229(r: &Return, out: &mut Hits) -> Option<()> {
    provider_la(r, &[], out)
}

/// From 2025/26 supported accommodation (K3) is not checked.
fn rule_229_v2025(r: &Return, out: &mut Hits) -> Option<()> {
    provider_la(r, &["K3"], out)
}

fn provider_la(r: &Return, skip: &[&str], out: &mut Hits) -> Option<()> {
    let own = r.meta.la_code.clone()?;
    against_provider(
        r,
        "LA_CODE_INFERRED",
        |eps, i, la| {
            let ours = la == Some(own.as_str());
            eps.col("PLACE").is_in(i, skip)
                || match eps.col("PLACE_PROVIDER").text(i) {
                    Some("PR1") => ours,
                    Some("PR2") => !ours,
                    _ => true,
                }
        },
        out,
    )
}

/// From 28 October 2023 an H5 placement in England, open after that date, needs a URN.
fn rule_230(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (place, dec, la, urn) = (
        eps.col("PLACE"),
        eps.col("DEC"),
        eps.col("PL_LA"),
        eps.col("URN"),
    );
    let from = NaiveDate::from_ymd_opt(2023, 10, 28)?;
    out.extend(
        Episodes,
        eps.rows_where(|i| {
            place.is(i, "H5")
                && dec.date(i).is_none_or(|d| d > from)
                && !outside_england(la.text(i))
                && real_urn(urn.text(i)).is_none()
        }),
    );
    Some(())
}

/// A UASC child (flagged in the header, or in this year's UASC table) under 11 at 31 March.
fn rule_231(r: &Return, out: &mut Hits) -> Option<()> {
    let h = r.table(Header)?;
    let (dob, flag) = (h.col("DOB"), h.col("UASC"));
    let listed = |i| r.table(Uasc).is_some_and(|u| u.has_child(h.child(i)));
    out.extend(
        Header,
        h.rows_where(|i| {
            (flag.is(i, "1") || listed(i)) && dob.date(i).is_some_and(|d| age_on(d, r.end()) < 11)
        }),
    );
    Some(())
}

/// The child's sex is unknown (U).
fn rule_232(r: &Return, out: &mut Hits) -> Option<()> {
    let h = r.table(Header)?;
    let sex = h.col("SEX");
    out.extend(
        Header,
        h.rows_where(|i| sex.text(i).is_some_and(|s| s.eq_ignore_ascii_case("U"))),
    );
    Some(())
}

/// A reason for placement change on an episode that has not ended.
fn rule_233(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (dec, reason) = (eps.col("DEC"), eps.col("REASON_PLACE_CHANGE"));
    out.extend(
        Episodes,
        eps.rows_where(|i| dec.is_blank(i) && reason.is_filled(i)),
    );
    Some(())
}

/// A placement ended by custody (CUSTOD) for a child under 10 when it began (the DfE's test is
/// on DECOM); the episode and the header fail.
fn rule_234(r: &Return, out: &mut Hits) -> Option<()> {
    let (eps, h) = (r.table(Episodes)?, r.table(Header)?);
    let (reason, decom, dob) = (
        eps.col("REASON_PLACE_CHANGE"),
        eps.col("DECOM"),
        h.col("DOB"),
    );
    for i in eps.rows().filter(|&i| reason.is(i, "CUSTOD")) {
        let Some(when) = decom.date(i) else {
            continue;
        };
        for &j in h.rows_of(eps.child(i)) {
            if dob.date(j as usize).is_some_and(|d| age_on(d, when) < 10) {
                out.push(Episodes, i);
                out.push(Header, j as usize);
            }
        }
    }
    Some(())
}

/// Supported accommodation (K3) with a URN placed outside the LA's own area. Ofsted's list of
/// each provider's premises is not to hand, so this checks the placement LA against ours.
fn rule_241(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let own = r.meta.la_code.as_deref()?;
    let (place, urn, la) = (eps.col("PLACE"), eps.col("URN"), eps.col("PL_LA"));
    out.extend(
        Episodes,
        eps.rows_where(|i| {
            place.is(i, "K3") && real_urn(urn.text(i)).is_some() && la.text(i) != Some(own)
        }),
    );
    Some(())
}

/// URN `XXXXXXX` outside placements for adoption (A3 to A6, through regional adoption agencies).
fn rule_242(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (place, urn) = (eps.col("PLACE"), eps.col("URN"));
    out.extend(
        Episodes,
        eps.rows_where(|i| urn.is(i, "XXXXXXX") && !place.is_in(i, &["A3", "A4", "A5", "A6"])),
    );
    Some(())
}

/// A URN for a placement outside England, where Ofsted does not register providers.
fn rule_243(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (la, urn) = (eps.col("PL_LA"), eps.col("URN"));
    out.extend(
        Episodes,
        eps.rows_where(|i| outside_england(la.text(i)) && urn.is_filled(i)),
    );
    Some(())
}
