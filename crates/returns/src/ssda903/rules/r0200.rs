//! Rules 200 to 299.

use super::common::*;
use super::{Hits, Implementation, rule};
use crate::ssda903::submission::{FileFormat, Return};
use crate::ssda903::tables::{Child, Column, Table, TableName::*, parse_date};
use crate::ssda903::year::Year::*;
use chrono::NaiveDate;

pub(super) const RULES: &[Implementation] = &[
    rule("202", Y2022_23, rule_202),
    rule("203", Y2022_23, rule_203),
    rule("204", Y2022_23, rule_204),
    rule("205A", Y2022_23, rule_205a),
    rule("205B", Y2022_23, rule_205b),
    rule("205C", Y2022_23, rule_205c),
    rule("205D", Y2022_23, rule_205d),
    rule("207", Y2022_23, rule_207),
    rule("208", Y2022_23, rule_208),
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

/// Sex differs from last year's (blank against a value counts). The codes changed in 2024/25
/// (1 and 2 became M and F), so last year's 1 and this year's M are the same sex.
fn rule_202(r: &Return, out: &mut Hits) -> Option<()> {
    let same = |x: Option<&str>, y: Option<&str>| {
        x == y || (is_male(x) && is_male(y)) || (is_female(x) && is_female(y))
    };
    changed(r, "SEX", |a, i, b, j| same(a.text(i), b.text(j)), out)
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

/// Whether each child was an unaccompanied asylum seeker in one year's return: the header's UASC
/// flag when the header has one (an XML return); else, with a header, whether the child has a row
/// in that year's UASC table (as the CSV return says it); with no header, whether the child's UASC
/// row gives anything beyond CHILD and DOB. `None` for a child the source does not name.
fn uasc_flags(r: &Return, header: Option<&Table>, uasc: &Table) -> PerChild<Option<bool>> {
    let mut flags: PerChild<Option<bool>> = PerChild::new(r);
    match header {
        Some(h) if h.has("UASC") => {
            let col = h.col("UASC");
            for i in h.rows() {
                if let Some(f) = flags.slot(h.child(i)) {
                    *f = Some(f.unwrap_or(false) || col.is(i, "1"));
                }
            }
        }
        Some(h) => {
            for i in h.rows() {
                let c = h.child(i);
                if let Some(f) = flags.slot(c) {
                    *f = Some(uasc.has_child(c));
                }
            }
        }
        None => {
            let given: Vec<&str> = uasc
                .column_names()
                .filter(|c| !["CHILD", "DOB"].contains(c))
                .collect();
            for i in uasc.rows() {
                let any = given.iter().any(|c| uasc.col(c).is_filled(i));
                if let Some(f) = flags.slot(uasc.child(i)) {
                    *f = Some(f.unwrap_or(false) || any);
                }
            }
        }
    }
    flags
}

/// What rules 205A to 205C compare: each year's UASC table and each child's flag in each year.
struct UascYears<'a> {
    now: &'a Table,
    last: &'a Table,
    flag_now: PerChild<Option<bool>>,
    flag_last: PerChild<Option<bool>>,
}

impl UascYears<'_> {
    /// Both years' UASC tables are needed; an XML return needs both headers (which carry the flag).
    fn new(r: &Return) -> Option<UascYears<'_>> {
        let (now, last) = (r.table(Uasc)?, r.last(Uasc)?);
        let (header, header_last) = (r.table(Header), r.last(Header));
        if r.meta.file_format == FileFormat::Xml && (header.is_none() || header_last.is_none()) {
            return None;
        }
        Some(UascYears {
            now,
            last,
            flag_now: uasc_flags(r, header, now),
            flag_last: uasc_flags(r, header_last, last),
        })
    }

    /// The child's flag last year, for a child with a row in last year's UASC table (the rules
    /// compare the two years' rows).
    fn was(&self, c: Child) -> Option<bool> {
        if self.last.has_child(c) {
            *self.flag_last.get(c)
        } else {
            None
        }
    }

    /// Last year's dates UASC ceased for the child.
    fn ceased_last(&self, c: Child) -> impl Iterator<Item = Option<NaiveDate>> + '_ {
        let duc = self.last.col("DUC");
        self.last
            .rows_of(c)
            .iter()
            .map(move |&j| duc.date(j as usize))
    }

    /// This year's UASC rows for which `fails(row, child)` holds, and the children's header rows.
    fn report(
        &self,
        r: &Return,
        fails: impl Fn(usize, Child) -> bool,
        out: &mut Hits,
    ) -> Option<()> {
        for i in self.now.rows() {
            let c = self.now.child(i);
            if fails(i, c) {
                out.push(Uasc, i);
                if let Some(h) = r.table(Header) {
                    out.extend(Header, h.rows_of(c).iter().map(|&j| j as usize));
                }
            }
        }
        Some(())
    }
}

/// UASC last year but not this year, yet this year gives a date UASC ceased, or last year's date
/// is not in last year's collection.
fn rule_205a(r: &Return, out: &mut Hits) -> Option<()> {
    let y = UascYears::new(r)?;
    let (last_start, last_end) = (
        r.start().checked_sub_months(chrono::Months::new(12))?,
        r.end().checked_sub_months(chrono::Months::new(12))?,
    );
    let duc = y.now.col("DUC");
    y.report(
        r,
        |i, c| {
            let stopped = *y.flag_now.get(c) != Some(true) && y.was(c) == Some(true);
            stopped
                && y.ceased_last(c).any(|d| {
                    duc.is_filled(i) || !d.is_some_and(|d| last_start <= d && d <= last_end)
                })
        },
        out,
    )
}

/// UASC in both years, but this year's date UASC ceased is neither in this year nor last year's
/// date, or last year's date is not the child's 18th birthday.
fn rule_205b(r: &Return, out: &mut Hits) -> Option<()> {
    let y = UascYears::new(r)?;
    let duc = y.now.col("DUC");
    let dob_last = y.last.col("DOB");
    y.report(
        r,
        |i, c| {
            if !(*y.flag_now.get(c) == Some(true) && y.was(c) == Some(true)) {
                return false;
            }
            let now = duc.date(i);
            let in_year = now.is_some_and(|d| r.start() <= d && d <= r.end());
            y.last.rows_of(c).iter().any(|&j| {
                let then = y.last.col("DUC").date(j as usize);
                let eighteenth = dob_last.date(j as usize).and_then(|d| birthday(d, 18));
                let kept = now.is_some() && now == then;
                (!in_year && !kept) || !(then.is_some() && then == eighteenth)
            })
        },
        out,
    )
}

/// UASC in neither year, yet a date UASC ceased is given in one of them.
fn rule_205c(r: &Return, out: &mut Hits) -> Option<()> {
    let y = UascYears::new(r)?;
    let duc = y.now.col("DUC");
    y.report(
        r,
        |i, c| {
            let never = *y.flag_now.get(c) != Some(true) && y.was(c) != Some(true);
            never && (duc.is_filled(i) || y.ceased_last(c).any(|d| d.is_some()))
        },
        out,
    )
}

/// UASC this year, but last year (where the child was) not. The header row fails, or the UASC
/// row when there is no header.
fn rule_205d(r: &Return, out: &mut Hits) -> Option<()> {
    let (header, header_last) = (r.table(Header), r.last(Header));
    let (uasc, uasc_last) = (r.table(Uasc), r.last(Uasc));
    let (now_table, now_name) = match (header, uasc) {
        (Some(h), _) => (h, Header),
        (None, Some(u)) => (u, Uasc),
        _ => return None,
    };
    let last_table = header_last.or(uasc_last)?;
    let flag = |table: &Table, i: usize, header: Option<&Table>| match header {
        Some(h) if h.has("UASC") => table.col("UASC").is(i, "1"),
        Some(_) => false,
        None => table
            .column_names()
            .filter(|c| !["CHILD", "DOB"].contains(c))
            .any(|c| table.col(c).is_filled(i)),
    };
    if header.is_some_and(|h| !h.has("UASC")) || header_last.is_some_and(|h| !h.has("UASC")) {
        return None;
    }
    for i in now_table.rows() {
        let c = now_table.child(i);
        let was = last_table.rows_of(c);
        if flag(now_table, i, header)
            && was
                .iter()
                .any(|&j| !flag(last_table, j as usize, header_last))
        {
            out.push(now_name, i);
        }
    }
    Some(())
}

/// The UPN differs from last year's for the same child, other than an unknown reason changing
/// from UN1 (or blank) to UN2 to UN5, or an unknown (or blank) UPN becoming known.
fn rule_208(r: &Return, out: &mut Hits) -> Option<()> {
    let (h, last) = (r.table(Header)?, r.last(Header)?);
    let (upn, then) = (h.col("UPN"), last.col("UPN"));
    const UN_LATER: &[&str] = &["UN2", "UN3", "UN4", "UN5"];
    let unknown = |u: Option<&str>| u.is_none_or(|u| u == "UN1" || UN_LATER.contains(&u));
    for i in h.rows() {
        let now = upn.text(i).map(str::to_uppercase);
        let now = now.as_deref();
        let changed = last.rows_of(h.child(i)).iter().any(|&j| {
            let before = then.text(j as usize).map(str::to_uppercase);
            let before = before.as_deref();
            let allowed = (before.is_none_or(|b| b == "UN1")
                && now.is_some_and(|n| UN_LATER.contains(&n)))
                || (unknown(before) && !unknown(now));
            now != before && !allowed
        });
        if changed {
            out.push(Header, i);
        }
    }
    Some(())
}
