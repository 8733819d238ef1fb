//! Rules 100 to 199.

use super::common::*;
use super::{Hits, Implementation, rule};
use crate::ssda903::submission::{FileFormat, Return};
use crate::ssda903::tables::{TableName, TableName::*};
use crate::ssda903::year::Year::*;
use chrono::NaiveDate;

pub(super) const RULES: &[Implementation] = &[
    rule("101", Y2022_23, rule_101),
    rule("101", Y2024_25, rule_101_v2024),
    rule("102", Y2022_23, rule_102),
    rule("103", Y2022_23, rule_103),
    rule("104", Y2022_23, rule_104),
    rule("105", Y2022_23, rule_105),
    rule("112", Y2022_23, rule_112),
    rule("113", Y2022_23, rule_113),
    rule("114", Y2022_23, rule_114),
    rule("115", Y2022_23, rule_115),
    rule("116", Y2022_23, rule_116),
    rule("117", Y2022_23, rule_117),
    rule("118", Y2022_23, rule_118),
    rule("119", Y2022_23, rule_119),
    rule("120", Y2022_23, rule_120),
    rule("131", Y2022_23, rule_131),
    rule("132", Y2022_23, rule_132),
    rule("133", Y2022_23, rule_133),
    rule("134", Y2022_23, rule_134),
    rule("141", Y2022_23, rule_141),
    rule("142", Y2022_23, rule_142),
    rule("143", Y2022_23, rule_143),
    rule("144", Y2022_23, rule_144),
    rule("145", Y2022_23, rule_145),
    rule("146", Y2022_23, rule_146),
    rule("146", Y2024_25, rule_146_v2024),
    rule("146", Y2025_26, rule_146_v2025),
    rule("147", Y2022_23, rule_147),
    rule("148", Y2022_23, rule_148),
    rule("149", Y2022_23, rule_149),
    rule("151", Y2022_23, rule_151),
    rule("153", Y2022_23, rule_153),
    rule("157", Y2022_23, rule_157),
    rule("158", Y2022_23, rule_158),
    rule("159", Y2022_23, rule_159),
    rule("164", Y2022_23, rule_164),
    rule("165", Y2022_23, rule_165),
    rule("166", Y2022_23, rule_166),
    rule("167", Y2022_23, rule_167),
    rule("168", Y2022_23, rule_168),
    rule("169", Y2022_23, rule_169),
    rule("171", Y2022_23, rule_171),
    rule("174", Y2022_23, rule_174),
    rule("175", Y2022_23, rule_175),
    rule("176", Y2022_23, rule_176),
    rule("177", Y2022_23, rule_177),
    rule("178", Y2022_23, rule_178),
    rule("178", Y2025_26, rule_178_v2025),
    rule("179", Y2022_23, rule_179),
    rule("180", Y2022_23, rule_180),
    rule("181", Y2022_23, rule_181),
    rule("182", Y2022_23, rule_182),
    rule("184", Y2022_23, rule_184),
    rule("185", Y2022_23, rule_185),
    rule("186", Y2022_23, rule_186),
    rule("187", Y2022_23, rule_187),
    rule("188", Y2022_23, rule_188),
    rule("189", Y2022_23, rule_189),
    rule("190", Y2022_23, rule_190),
    rule("191", Y2022_23, rule_191),
    rule("192", Y2022_23, rule_192),
    rule("193", Y2022_23, rule_193),
    rule("196", Y2022_23, rule_196),
    rule("197B", Y2022_23, rule_197b),
    rule("197a", Y2022_23, rule_197a),
    rule("198", Y2022_23, rule_198),
    rule("199", Y2022_23, rule_199),
];

/// Gender code is not valid (1 male, 2 female).
fn rule_101(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, Header, "SEX", &["1", "2"], true, out)
}

/// From 2024/25 the child's sex is M, F or U.
fn rule_101_v2024(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, Header, "SEX", &["M", "F", "U"], true, out)
}

/// Date of birth is not a valid date (blank fails).
fn rule_102(r: &Return, out: &mut Hits) -> Option<()> {
    let h = r.table(Header)?;
    let dob = h.col("DOB");
    out.extend(Header, h.rows_where(|i| dob.date(i).is_none()));
    Some(())
}

fn rule_103(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, Header, "ETHNIC", ETHNIC, true, out)
}

/// UASC status ceased date is not a valid date; a date before the collection year counts as not
/// valid too (the table reports children who ceased to be UASC this year).
fn rule_104(r: &Return, out: &mut Hits) -> Option<()> {
    let u = r.table(Uasc)?;
    let duc = u.col("DUC");
    out.extend(
        Uasc,
        u.rows_where(|i| duc.is_filled(i) && duc.date(i).is_none_or(|d| d < r.start())),
    );
    Some(())
}

/// The UASC flag (only in an XML return's header) must be 0 or 1.
fn rule_105(r: &Return, out: &mut Hits) -> Option<()> {
    if r.meta.file_format != FileFormat::Xml {
        return Some(());
    }
    bad_codes(r, Header, "UASC", &["0", "1"], true, out)
}

fn rule_112(r: &Return, out: &mut Hits) -> Option<()> {
    bad_dates(r, Ad1, "DATE_INT", out)
}

fn rule_113(r: &Return, out: &mut Hits) -> Option<()> {
    bad_dates(r, Ad1, "DATE_MATCH", out)
}

fn rule_114(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, Ad1, "FOSTER_CARE", &["0", "1"], false, out)
}

fn rule_115(r: &Return, out: &mut Hits) -> Option<()> {
    bad_dates(r, PlacedAdoption, "DATE_PLACED", out)
}

fn rule_116(r: &Return, out: &mut Hits) -> Option<()> {
    bad_dates(r, PlacedAdoption, "DATE_PLACED_CEASED", out)
}

/// The adoption decision (or its reversal) is after the collection year or after the child ceased
/// to be looked after: the latest end of an episode that ended other than by a new episode (X1).
/// Both the placed-for-adoption row and that episode fail.
fn rule_117(r: &Return, out: &mut Hits) -> Option<()> {
    let (eps, pa) = (r.table(Episodes)?, r.table(PlacedAdoption)?);
    let (dec, rec) = (eps.col("DEC"), eps.col("REC"));
    let (placed, ceased) = (pa.col("DATE_PLACED"), pa.col("DATE_PLACED_CEASED"));
    for i in pa.rows() {
        let ending = eps
            .rows_of(pa.child(i))
            .iter()
            .map(|&e| e as usize)
            .filter(|&e| rec.text(e).is_some_and(|c| c != "X1"))
            .filter_map(|e| Some((dec.date(e)?, e)))
            .max();
        let decisions = [placed.date(i), ceased.date(i)];
        let late = |limit| decisions.iter().flatten().any(|&d| d > limit);
        if late(r.end()) || ending.is_some_and(|(d, _)| late(d)) {
            out.push(PlacedAdoption, i);
            if let Some((_, e)) = ending {
                out.push(Episodes, e);
            }
        }
    }
    Some(())
}

/// The decision that the child should no longer be placed for adoption is before the collection
/// year or before the child's first episode (other than a short break); the row and that first
/// episode fail.
fn rule_118(r: &Return, out: &mut Hits) -> Option<()> {
    let (eps, pa) = (r.table(Episodes)?, r.table(PlacedAdoption)?);
    let (ceased, ls, decom) = (
        pa.col("DATE_PLACED_CEASED"),
        eps.col("LS"),
        eps.col("DECOM"),
    );
    for i in pa.rows() {
        let Some(d) = ceased.date(i) else { continue };
        let first = eps
            .by_start()
            .of(pa.child(i))
            .iter()
            .map(|&e| e as usize)
            .find(|&e| !is_short_break(ls.text(e)));
        let started = first.and_then(|e| decom.date(e));
        if d < r.start() || started.is_some_and(|s| d < s) {
            out.push(PlacedAdoption, i);
            out.extend(Episodes, first);
        }
    }
    Some(())
}

/// The date and the reason the adoption decision was reversed go together.
fn rule_119(r: &Return, out: &mut Hits) -> Option<()> {
    let pa = r.table(PlacedAdoption)?;
    let (date, reason) = (pa.col("DATE_PLACED_CEASED"), pa.col("REASON_PLACED_CEASED"));
    out.extend(
        PlacedAdoption,
        pa.rows_where(|i| date.is_filled(i) != reason.is_filled(i)),
    );
    Some(())
}

fn rule_120(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(
        r,
        PlacedAdoption,
        "REASON_PLACED_CEASED",
        REASON_PLACED_CEASED,
        false,
        out,
    )
}

fn rule_131(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, Oc3, "IN_TOUCH", IN_TOUCH, true, out)
}

fn rule_132(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, Oc3, "ACTIV", ACTIV, true, out)
}

fn rule_133(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, Oc3, "ACCOM", ACCOM, true, out)
}

/// A care leaver (any OC3 item filled) has adoption (AD1) data.
fn rule_134(r: &Return, out: &mut Hits) -> Option<()> {
    let (oc3, ad1) = (r.table(Oc3)?, r.table(Ad1)?);
    let leaver = |c| {
        oc3.rows_of(c).iter().any(|&i| {
            ["IN_TOUCH", "ACTIV", "ACCOM"]
                .iter()
                .any(|f| oc3.col(f).is_filled(i as usize))
        })
    };
    let adoption = [
        "DATE_INT",
        "DATE_MATCH",
        "FOSTER_CARE",
        "NB_ADOPTR",
        "SEX_ADOPTR",
        "LS_ADOPTR",
    ];
    out.extend(
        Ad1,
        ad1.rows_where(|i| {
            adoption.iter().any(|f| ad1.col(f).is_filled(i)) && leaver(ad1.child(i))
        }),
    );
    Some(())
}

fn rule_141(r: &Return, out: &mut Hits) -> Option<()> {
    bad_dates(r, Episodes, "DECOM", out)
}

/// Every episode but a child's latest must have ended: an end date and a reason.
fn rule_142(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (dec, rec) = (eps.col("DEC"), eps.col("REC"));
    for rows in eps.by_start().iter() {
        let open = rows[..rows.len() - 1]
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| dec.is_blank(i) || rec.is_blank(i));
        out.extend(Episodes, open);
    }
    Some(())
}

fn rule_143(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, Episodes, "RNE", RNE, false, out)
}

fn rule_144(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, Episodes, "LS", LS, false, out)
}

fn rule_145(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, Episodes, "CIN", CIN, false, out)
}

fn rule_146(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, Episodes, "PLACE", PLACE_2022, false, out)
}

fn rule_146_v2024(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, Episodes, "PLACE", PLACE_2024, false, out)
}

fn rule_146_v2025(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, Episodes, "PLACE", PLACE_2025, false, out)
}

fn rule_147(r: &Return, out: &mut Hits) -> Option<()> {
    bad_dates(r, Episodes, "DEC", out)
}

/// The episode's end date and reason go together.
fn rule_148(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (dec, rec) = (eps.col("DEC"), eps.col("REC"));
    out.extend(
        Episodes,
        eps.rows_where(|i| dec.is_filled(i) != rec.is_filled(i)),
    );
    Some(())
}

fn rule_149(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, Episodes, "REC", REC, false, out)
}

/// The adoption items (AD1) are all filled or all blank.
fn rule_151(r: &Return, out: &mut Hits) -> Option<()> {
    all_or_none(
        r,
        Ad1,
        &[
            "DATE_INT",
            "DATE_MATCH",
            "FOSTER_CARE",
            "NB_ADOPTR",
            "SEX_ADOPTR",
            "LS_ADOPTR",
        ],
        out,
    )
}

/// The care leaver items (OC3) are all filled or all blank.
fn rule_153(r: &Return, out: &mut Hits) -> Option<()> {
    all_or_none(r, Oc3, &["IN_TOUCH", "ACTIV", "ACCOM"], out)
}

fn all_or_none(r: &Return, table: TableName, fields: &[&str], out: &mut Hits) -> Option<()> {
    let t = r.table(table)?;
    let cols: Vec<_> = fields.iter().map(|f| t.col(f)).collect();
    let filled = |i| cols.iter().filter(|c| c.is_filled(i)).count();
    out.extend(
        table,
        t.rows_where(|i| (1..cols.len()).contains(&filled(i))),
    );
    Some(())
}

/// SDQ1 (no score: the child is under 4 or over 16) given for a looked-after child aged 4 or over
/// at the start of the year and 16 or under at its end.
fn rule_157(r: &Return, out: &mut Hits) -> Option<()> {
    let oc2 = r.table(Oc2)?;
    let cohort = continuously_looked_after(r)?;
    let (dob, reason) = (oc2.col("DOB"), oc2.col("SDQ_REASON"));
    out.extend(
        Oc2,
        oc2.rows_where(|i| {
            reason.is(i, "SDQ1")
                && cohort.has(oc2.child(i))
                && dob
                    .date(i)
                    .is_some_and(|d| age_on(d, r.start()) >= 4 && age_on(d, r.end()) <= 16)
        }),
    );
    Some(())
}

/// An intervention was received, so whether one was offered stays blank.
fn rule_158(r: &Return, out: &mut Hits) -> Option<()> {
    let oc2 = r.table(Oc2)?;
    let (received, offered) = (
        oc2.col("INTERVENTION_RECEIVED"),
        oc2.col("INTERVENTION_OFFERED"),
    );
    out.extend(
        Oc2,
        oc2.rows_where(|i| received.is(i, "1") && offered.is_filled(i)),
    );
    Some(())
}

/// A substance misuse problem without an intervention received: whether one was offered is needed.
fn rule_159(r: &Return, out: &mut Hits) -> Option<()> {
    let oc2 = r.table(Oc2)?;
    let (misuse, received, offered) = (
        oc2.col("SUBSTANCE_MISUSE"),
        oc2.col("INTERVENTION_RECEIVED"),
        oc2.col("INTERVENTION_OFFERED"),
    );
    out.extend(
        Oc2,
        oc2.rows_where(|i| misuse.is(i, "1") && received.is(i, "0") && offered.is_blank(i)),
    );
    Some(())
}

/// Placement distance (derived from the postcodes) must be 0 to 999.9 miles; children who are or were
/// UASC have none and are not checked. Skipped when the episodes carry no distance.
fn rule_164(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes).filter(|t| t.has("PL_DISTANCE"))?;
    let (dist, uasc) = (eps.col("PL_DISTANCE"), uasc_children(r));
    let bad = |i| dist.is_filled(i) && dist.number(i).is_none_or(|d| !(0.0..=999.9).contains(&d));
    out.extend(
        Episodes,
        eps.rows_where(|i| bad(i) && !uasc.has(eps.child(i))),
    );
    Some(())
}

/// MOTHER is 0 or 1, blank for boys, and given for every girl looked after during the year (other
/// than on short breaks). The child's header and care leaver rows fail.
fn rule_165(r: &Return, out: &mut Hits) -> Option<()> {
    let (h, eps) = (r.table(Header)?, r.table(Episodes)?);
    let (sex, mother) = (h.col("SEX"), h.col("MOTHER"));
    let (decom, dec, ls) = (eps.col("DECOM"), eps.col("DEC"), eps.col("LS"));
    let in_year = |c| {
        eps.rows_of(c).iter().map(|&e| e as usize).any(|e| {
            !ls.is_in(e, SHORT_BREAKS)
                && decom.date(e).is_some_and(|d| d <= r.end())
                && dec.date(e).is_none_or(|d| d >= r.start())
        })
    };
    for i in h.rows() {
        let sex = sex.text(i);
        let bad = match mother.text(i) {
            Some(m) => !["0", "1"].contains(&m) || is_male(sex),
            None => is_female(sex) && in_year(h.child(i)),
        };
        if bad {
            out.push(Header, i);
            if let Some(oc3) = r.table(Oc3) {
                out.extend(Oc3, oc3.rows_of(h.child(i)).iter().map(|&j| j as usize));
            }
        }
    }
    Some(())
}

/// Date of review is invalid or blank.
fn rule_166(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(Reviews)?;
    let review = t.col("REVIEW");
    out.extend(Reviews, t.rows_where(|i| review.date(i).is_none()));
    Some(())
}

/// Participation code is invalid, or blank on a review.
fn rule_167(r: &Return, out: &mut Hits) -> Option<()> {
    let t = r.table(Reviews)?;
    let (review, code) = (t.col("REVIEW"), t.col("REVIEW_CODE"));
    out.extend(
        Reviews,
        t.rows_where(|i| {
            code.text(i)
                .map_or(review.is_filled(i), |c| !REVIEW_CODE.contains(&c))
        }),
    );
    Some(())
}

/// A UPN is UN1 to UN5, or 13 characters: a check letter (not I, O or S), 11 digits, and a digit
/// or letter. The check letter itself is not verified.
fn rule_168(r: &Return, out: &mut Hits) -> Option<()> {
    const LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRTUVWXYZ";
    let valid = |upn: &str| {
        let b = upn.as_bytes();
        ["UN1", "UN2", "UN3", "UN4", "UN5"].contains(&upn)
            || (b.len() == 13
                && LETTERS.contains(&b[0])
                && b[1..12].iter().all(u8::is_ascii_digit)
                && (b[12].is_ascii_digit() || LETTERS.contains(&b[12])))
    };
    let h = r.table(Header)?;
    let upn = h.col("UPN");
    out.extend(
        Header,
        h.rows_where(|i| upn.text(i).is_some_and(|u| !valid(u))),
    );
    Some(())
}

/// The placement's LA (derived from the postcode) is missing, other than on short breaks.
/// Skipped when the episodes carry no placement LA.
fn rule_169(r: &Return, out: &mut Hits) -> Option<()> {
    missing_unless_short_break(r, "PL_LA", out)
}

fn missing_unless_short_break(r: &Return, field: &str, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes).filter(|t| t.has(field))?;
    let (value, ls) = (eps.col(field), eps.col("LS"));
    out.extend(
        Episodes,
        eps.rows_where(|i| value.is_blank(i) && !ls.is_in(i, SHORT_BREAKS)),
    );
    Some(())
}

fn rule_171(r: &Return, out: &mut Hits) -> Option<()> {
    bad_dates(r, Header, "MC_DOB", out)
}

/// A boy with a mother's child date of birth.
fn rule_174(r: &Return, out: &mut Hits) -> Option<()> {
    let h = r.table(Header)?;
    let (sex, mc_dob) = (h.col("SEX"), h.col("MC_DOB"));
    out.extend(
        Header,
        h.rows_where(|i| is_male(sex.text(i)) && mc_dob.is_filled(i)),
    );
    Some(())
}

fn rule_175(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, Ad1, "NB_ADOPTR", &["1", "2"], false, out)
}

fn rule_176(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, Ad1, "SEX_ADOPTR", SEX_ADOPTR, false, out)
}

fn rule_177(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, Ad1, "LS_ADOPTR", LS_ADOPTR, false, out)
}

/// The provider code is not valid, or is given for a temporary placement, which has none.
fn rule_178(r: &Return, out: &mut Hits) -> Option<()> {
    provider(r, &["T0", "T1", "T2", "T3", "T4", "Z1"], out)
}

/// From 2025/26 the other placements (Z11 to Z14, which replaced Z1) have no provider, and a
/// temporary placement of type T4 needs one.
fn rule_178_v2025(r: &Return, out: &mut Hits) -> Option<()> {
    provider(
        r,
        &["T0", "T1", "T2", "T3", "Z11", "Z12", "Z13", "Z14"],
        out,
    )
}

fn provider(r: &Return, no_provider: &[&str], out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (provider, place) = (eps.col("PLACE_PROVIDER"), eps.col("PLACE"));
    let bad = |i| {
        provider
            .text(i)
            .is_some_and(|p| !PLACE_PROVIDER.contains(&p) || place.is_in(i, no_provider))
    };
    out.extend(Episodes, eps.rows_where(bad));
    Some(())
}

/// The placement location (in or out of the LA, derived) is missing, other than on short breaks.
fn rule_179(r: &Return, out: &mut Hits) -> Option<()> {
    missing_unless_short_break(r, "PL_LOCATION", out)
}

/// SDQ score is a whole number from 0 to 40.
fn rule_180(r: &Return, out: &mut Hits) -> Option<()> {
    let oc2 = r.table(Oc2)?;
    let score = oc2.col("SDQ_SCORE");
    out.extend(
        Oc2,
        oc2.rows_where(|i| {
            score.is_filled(i) && score.int(i).is_none_or(|s| !(0..=40).contains(&s))
        }),
    );
    Some(())
}

/// Each OC2 item, when filled, is 0 or 1.
fn rule_181(r: &Return, out: &mut Hits) -> Option<()> {
    let oc2 = r.table(Oc2)?;
    let cols: Vec<_> = OC2_ITEMS.iter().map(|f| oc2.col(f)).collect();
    out.extend(
        Oc2,
        oc2.rows_where(|i| {
            cols.iter()
                .any(|c| c.text(i).is_some_and(|v| v != "0" && v != "1"))
        }),
    );
    Some(())
}

/// If any OC2 item is filled, immunisations, teeth check, health assessment and substance misuse are.
fn rule_182(r: &Return, out: &mut Hits) -> Option<()> {
    let oc2 = r.table(Oc2)?;
    let all: Vec<_> = OC2_ITEMS.iter().map(|f| oc2.col(f)).collect();
    let core: Vec<_> = [
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
    ]
    .iter()
    .map(|f| oc2.col(f))
    .collect();
    out.extend(
        Oc2,
        oc2.rows_where(|i| {
            all.iter().any(|c| c.is_filled(i)) && core.iter().any(|c| c.is_blank(i))
        }),
    );
    Some(())
}

/// Placed for adoption decision before the child was born.
fn rule_184(r: &Return, out: &mut Hits) -> Option<()> {
    let (h, pa) = (r.table(Header)?, r.table(PlacedAdoption)?);
    let (dob, placed) = (h.col("DOB"), pa.col("DATE_PLACED"));
    let born = |i: usize| {
        h.rows_of(pa.child(i))
            .iter()
            .find_map(|&j| dob.date(j as usize))
    };
    out.extend(
        PlacedAdoption,
        pa.rows_where(|i| placed.date(i).zip(born(i)).is_some_and(|(p, b)| p < b)),
    );
    Some(())
}

/// OC2 rows of children not looked after for 12 months at 31 March with any of `fields` filled.
fn outside_cohort(r: &Return, fields: &[&str], out: &mut Hits) -> Option<()> {
    let oc2 = r.table(Oc2)?;
    let cohort = continuously_looked_after(r)?;
    let cols: Vec<_> = fields.iter().map(|f| oc2.col(f)).collect();
    out.extend(
        Oc2,
        oc2.rows_where(|i| !cohort.has(oc2.child(i)) && cols.iter().any(|c| c.is_filled(i))),
    );
    Some(())
}

fn rule_185(r: &Return, out: &mut Hits) -> Option<()> {
    outside_cohort(r, &["SDQ_SCORE"], out)
}

/// A child looked after for 12 months, 4 or over at the start of the year and under 17 at its
/// end, needs an SDQ score (or a reason for none).
fn rule_186(r: &Return, out: &mut Hits) -> Option<()> {
    let oc2 = r.table(Oc2)?;
    let cohort = continuously_looked_after(r)?;
    let (dob, score, reason) = (oc2.col("DOB"), oc2.col("SDQ_SCORE"), oc2.col("SDQ_REASON"));
    out.extend(
        Oc2,
        oc2.rows_where(|i| {
            score.is_blank(i)
                && reason.is_blank(i)
                && cohort.has(oc2.child(i))
                && dob
                    .date(i)
                    .is_some_and(|d| age_on(d, r.start()) >= 4 && age_on(d, r.end()) < 17)
        }),
    );
    Some(())
}

/// A child looked after for 12 months has adoption (AD1) or care leaver (OC3) items filled.
fn rule_187(r: &Return, out: &mut Hits) -> Option<()> {
    let cohort = continuously_looked_after(r)?;
    let tables = [
        (Oc3, &["IN_TOUCH", "ACTIV", "ACCOM"][..]),
        (
            Ad1,
            &[
                "DATE_INT",
                "DATE_MATCH",
                "FOSTER_CARE",
                "NB_ADOPTR",
                "SEX_ADOPTR",
                "LS_ADOPTR",
            ][..],
        ),
    ];
    for (name, fields) in tables {
        let Some(t) = r.table(name) else { continue };
        let cols: Vec<_> = fields.iter().map(|f| t.col(f)).collect();
        out.extend(
            name,
            t.rows_where(|i| cohort.has(t.child(i)) && cols.iter().any(|c| c.is_filled(i))),
        );
    }
    Some(())
}

/// Under 4 at the end of the year, with an SDQ score or reason.
fn rule_188(r: &Return, out: &mut Hits) -> Option<()> {
    sdq_by_age(r, |dob| age_on(dob, r.end()) < 4, out)
}

/// 17 or over at the start of the year, with an SDQ score or reason.
fn rule_189(r: &Return, out: &mut Hits) -> Option<()> {
    sdq_by_age(r, |dob| age_on(dob, r.start()) >= 17, out)
}

fn sdq_by_age(
    r: &Return,
    too_young_or_old: impl Fn(NaiveDate) -> bool,
    out: &mut Hits,
) -> Option<()> {
    let oc2 = r.table(Oc2)?;
    let (dob, score, reason) = (oc2.col("DOB"), oc2.col("SDQ_SCORE"), oc2.col("SDQ_REASON"));
    out.extend(
        Oc2,
        oc2.rows_where(|i| {
            (score.is_filled(i) || reason.is_filled(i))
                && dob.date(i).is_some_and(&too_young_or_old)
        }),
    );
    Some(())
}

fn rule_190(r: &Return, out: &mut Hits) -> Option<()> {
    outside_cohort(r, OC2_ITEMS, out)
}

/// A child looked after for 12 months has immunisations, teeth check, health assessment or
/// substance misuse blank; with no OC2 row at all, the child's latest episode fails.
fn rule_191(r: &Return, out: &mut Hits) -> Option<()> {
    let (eps, oc2) = (r.table(Episodes)?, r.table(Oc2)?);
    let cohort = continuously_looked_after(r)?;
    let cols: Vec<_> = [
        "IMMUNISATIONS",
        "TEETH_CHECK",
        "HEALTH_ASSESSMENT",
        "SUBSTANCE_MISUSE",
    ]
    .iter()
    .map(|f| oc2.col(f))
    .collect();
    out.extend(
        Oc2,
        oc2.rows_where(|i| cohort.has(oc2.child(i)) && cols.iter().any(|c| c.is_blank(i))),
    );
    for rows in eps.by_start().iter() {
        let last = *rows.last().unwrap() as usize;
        if cohort.has(eps.child(last)) && !oc2.has_child(eps.child(last)) {
            out.push(Episodes, last);
        }
    }
    Some(())
}

/// A substance misuse problem, but whether an intervention was received is blank.
fn rule_192(r: &Return, out: &mut Hits) -> Option<()> {
    let oc2 = r.table(Oc2)?;
    let (misuse, received) = (
        oc2.col("SUBSTANCE_MISUSE"),
        oc2.col("INTERVENTION_RECEIVED"),
    );
    out.extend(
        Oc2,
        oc2.rows_where(|i| misuse.is(i, "1") && received.is_blank(i)),
    );
    Some(())
}

/// No substance misuse problem, but an intervention received or offered is recorded.
fn rule_193(r: &Return, out: &mut Hits) -> Option<()> {
    let oc2 = r.table(Oc2)?;
    let (misuse, received, offered) = (
        oc2.col("SUBSTANCE_MISUSE"),
        oc2.col("INTERVENTION_RECEIVED"),
        oc2.col("INTERVENTION_OFFERED"),
    );
    out.extend(
        Oc2,
        oc2.rows_where(|i| !misuse.is(i, "1") && (received.is_filled(i) || offered.is_filled(i))),
    );
    Some(())
}

fn rule_196(r: &Return, out: &mut Hits) -> Option<()> {
    bad_codes(r, Oc2, "SDQ_REASON", SDQ_REASON, false, out)
}

/// A child looked after for 12 months who turned 4 or 17 during the year needs an SDQ score or a
/// reason for none.
fn rule_197b(r: &Return, out: &mut Hits) -> Option<()> {
    let oc2 = r.table(Oc2)?;
    let cohort = continuously_looked_after(r)?;
    let (dob, score, reason) = (oc2.col("DOB"), oc2.col("SDQ_SCORE"), oc2.col("SDQ_REASON"));
    let turned = |d| {
        matches!(
            (age_on(d, r.start()), age_on(d, r.end())),
            (3, 4) | (16, 17)
        )
    };
    out.extend(
        Oc2,
        oc2.rows_where(|i| {
            score.is_blank(i)
                && reason.is_blank(i)
                && cohort.has(oc2.child(i))
                && dob.date(i).is_some_and(turned)
        }),
    );
    Some(())
}

/// An SDQ score and a reason for no score.
fn rule_197a(r: &Return, out: &mut Hits) -> Option<()> {
    let oc2 = r.table(Oc2)?;
    let (score, reason) = (oc2.col("SDQ_SCORE"), oc2.col("SDQ_REASON"));
    out.extend(
        Oc2,
        oc2.rows_where(|i| score.is_filled(i) && reason.is_filled(i)),
    );
    Some(())
}

fn rule_198(r: &Return, out: &mut Hits) -> Option<()> {
    outside_cohort(r, &["SDQ_REASON"], out)
}

/// An episode that follows, in order of start, an episode that ended in adoption (E11 or E12),
/// this year or last: once adopted from care, a child has no later episode.
fn rule_199(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    // Each child's episodes of both years: (start, this year's row or none, ended in adoption).
    let mut by_child: PerChild<Vec<(NaiveDate, Option<usize>, bool)>> = PerChild::new(r);
    for (t, this_year) in [(Some(eps), true), (r.last(Episodes), false)] {
        let Some(t) = t else { continue };
        let (decom, rec) = (t.col("DECOM"), t.col("REC"));
        for i in t.rows() {
            if let (Some(d), Some(list)) = (decom.date(i), by_child.slot(t.child(i))) {
                list.push((d, this_year.then_some(i), rec.is_in(i, &["E11", "E12"])));
            }
        }
    }
    for rows in eps.by_child().iter() {
        let Some(list) = by_child.slot(eps.child(rows[0] as usize)) else {
            continue;
        };
        list.sort_by_key(|&(d, ..)| d);
        let mut adopted = false;
        for &(_, row, adoption) in list.iter() {
            if adopted && let Some(i) = row {
                out.push(Episodes, i);
            }
            adopted |= adoption;
        }
    }
    Some(())
}
