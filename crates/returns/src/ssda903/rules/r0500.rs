//! Rules 500 to 599.

use super::common::*;
use super::{Hits, Implementation, rule};
use crate::ssda903::submission::Return;
use crate::ssda903::tables::{Child, Column, Table, TableName, TableName::*};
use crate::ssda903::year::Year::*;
use chrono::NaiveDate;

pub(super) const RULES: &[Implementation] = &[
    rule("501", Y2022_23, rule_501),
    rule("502", Y2022_23, rule_502),
    rule("503A", Y2022_23, rule_503a),
    rule("503B", Y2022_23, rule_503b),
    rule("503C", Y2022_23, rule_503c),
    rule("503D", Y2022_23, rule_503d),
    rule("503E", Y2022_23, rule_503e),
    rule("503F", Y2022_23, rule_503f),
    rule("503G", Y2022_23, rule_503g),
    rule("503H", Y2022_23, rule_503h),
    rule("503J", Y2022_23, rule_503j),
    rule("504", Y2022_23, rule_504),
    rule("511", Y2022_23, rule_511),
    rule("514", Y2022_23, rule_514),
    rule("516", Y2022_23, rule_516),
    rule("517", Y2022_23, rule_517),
    rule("518", Y2022_23, rule_518),
    rule("519", Y2022_23, rule_519),
    rule("520", Y2022_23, rule_520),
    rule("521", Y2022_23, rule_521),
    rule("522", Y2022_23, rule_522),
    rule("523", Y2022_23, rule_523),
    rule("524", Y2022_23, rule_524),
    rule("525", Y2022_23, rule_525),
    rule("526", Y2022_23, rule_526),
    rule("526", Y2025_26, rule_526_v2025),
    rule("527", Y2022_23, rule_527),
    rule("528", Y2022_23, rule_528),
    rule("529", Y2022_23, rule_529),
    rule("530", Y2022_23, rule_530),
    rule("531", Y2022_23, rule_531),
    rule("542", Y2022_23, rule_542),
    rule("543", Y2022_23, rule_543),
    rule("544", Y2022_23, rule_544),
    rule("545", Y2022_23, rule_545),
    rule("546", Y2022_23, rule_546),
    rule("547", Y2022_23, rule_547),
    rule("550", Y2022_23, rule_550),
    rule("551", Y2022_23, rule_551),
    rule("552", Y2022_23, rule_552),
    rule("553", Y2022_23, rule_553),
    rule("554", Y2022_23, rule_554),
    rule("555", Y2022_23, rule_555),
    rule("556", Y2022_23, rule_556),
    rule("557", Y2022_23, rule_557),
    rule("557", Y2024_25, rule_557_v2024),
    rule("558", Y2022_23, rule_558),
    rule("559", Y2022_23, rule_559),
    rule("560", Y2022_23, rule_560),
    rule("561", Y2022_23, rule_561),
    rule("562", Y2022_23, rule_562),
    rule("563", Y2022_23, rule_563),
    rule("564", Y2022_23, rule_564),
    rule("565", Y2022_23, rule_565),
    rule("566", Y2022_23, rule_566),
    rule("567", Y2022_23, rule_567),
    rule("570", Y2022_23, rule_570),
    rule("571", Y2022_23, rule_571),
    rule("574", Y2022_23, rule_574),
    rule("575", Y2022_23, rule_575),
    rule("576", Y2022_23, rule_576),
    rule("577", Y2022_23, rule_577),
    rule("578", Y2022_23, rule_578),
    rule("579", Y2022_23, rule_579),
    rule("580", Y2022_23, rule_580),
    rule("581", Y2022_23, rule_581),
    rule("582", Y2022_23, rule_582),
    rule("583", Y2022_23, rule_583),
    rule("584", Y2022_23, rule_584),
    rule("586", Y2022_23, rule_586),
];

const PLACED_FOR_ADOPTION: &[&str] = &["A3", "A4", "A5", "A6"];
const ADOPTED: &[&str] = &["E11", "E12"];
const AD1_ITEMS: &[&str] = &[
    "DATE_INT",
    "DATE_MATCH",
    "FOSTER_CARE",
    "NB_ADOPTR",
    "SEX_ADOPTR",
    "LS_ADOPTR",
];

/// Rows of `t` (as u32) as usize.
fn rows(rows: &[u32]) -> impl Iterator<Item = usize> + '_ {
    rows.iter().map(|&i| i as usize)
}

/// An episode starting before the previous one ended.
fn rule_501(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (decom, dec) = (eps.col("DECOM"), eps.col("DEC"));
    let early = |p, i| {
        dec.date(p)
            .zip(decom.date(i))
            .is_some_and(|(end, start)| start < end)
    };
    out.extend(
        Episodes,
        pairs(eps).filter(|&(p, i)| early(p, i)).map(|(_, i)| i),
    );
    Some(())
}

/// Last year's open episode and this year's first do not start on the same date.
fn rule_502(r: &Return, out: &mut Hits) -> Option<()> {
    carried_over(
        r,
        &[],
        |now, i, then, j| now.col("DECOM").date(i) == then.col("DECOM").date(j),
        out,
    )
}

/// This year's first episode does not carry last year's open episode's `field`.
fn same_as_last(r: &Return, field: &str, out: &mut Hits) -> Option<()> {
    carried_over(
        r,
        &[],
        |now, i, then, j| now.col(field).text(i) == then.col(field).text(j),
        out,
    )
}

fn rule_503a(r: &Return, out: &mut Hits) -> Option<()> {
    same_as_last(r, "RNE", out)
}

fn rule_503b(r: &Return, out: &mut Hits) -> Option<()> {
    same_as_last(r, "LS", out)
}

fn rule_503c(r: &Return, out: &mut Hits) -> Option<()> {
    same_as_last(r, "CIN", out)
}

/// The placement type, where a code the DfE replaced counts as its successor: semi-independent
/// living (H5) as supported accommodation (K3, from 2024/25), other placement (Z1) as Z11 to Z14
/// (from 2025/26).
fn rule_503d(r: &Return, out: &mut Hits) -> Option<()> {
    let successor = |before: Option<&str>, now: Option<&str>| match (before, now) {
        (Some("H5"), Some("K3")) => true,
        (Some("Z1"), Some(p)) => ["Z11", "Z12", "Z13", "Z14"].contains(&p),
        _ => false,
    };
    carried_over(
        r,
        &[],
        |now, i, then, j| {
            let (a, b) = (now.col("PLACE").text(i), then.col("PLACE").text(j));
            a == b || successor(b, a)
        },
        out,
    )
}

fn rule_503e(r: &Return, out: &mut Hits) -> Option<()> {
    same_as_last(r, "PLACE_PROVIDER", out)
}

fn rule_503f(r: &Return, out: &mut Hits) -> Option<()> {
    same_as_last(r, "URN", out)
}

/// The placement distance (skipped when either year's episodes carry none).
fn rule_503g(r: &Return, out: &mut Hits) -> Option<()> {
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

/// The placement LA (skipped when either year's episodes carry none).
fn rule_503h(r: &Return, out: &mut Hits) -> Option<()> {
    carried_over(
        r,
        &["PL_LA"],
        |now, i, then, j| now.col("PL_LA").text(i) == then.col("PL_LA").text(j),
        out,
    )
}

fn rule_503j(r: &Return, out: &mut Hits) -> Option<()> {
    same_as_last(r, "PL_LOCATION", out)
}

/// The category of need changes within a period of care (episodes chained by X1 ending the day
/// the next begins): each episode must keep the first one's.
fn rule_504(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (cin, decom, dec, rec) = (
        eps.col("CIN"),
        eps.col("DECOM"),
        eps.col("DEC"),
        eps.col("REC"),
    );
    for rows in eps.by_start().iter() {
        let mut first = rows[0] as usize;
        for w in rows.windows(2) {
            let (p, i) = (w[0] as usize, w[1] as usize);
            let continues =
                rec.is(p, "X1") && dec.date(p).is_some() && dec.date(p) == decom.date(i);
            if !continues {
                first = i;
            } else if cin.text(i) != cin.text(first) {
                out.push(Episodes, i);
            }
        }
    }
    Some(())
}

/// AD1 rows where the adopters' legal status (or number) is `when` but their sexes are not `sexes`.
fn adopters(
    r: &Return,
    field: &str,
    when: &str,
    sexes: &[&str],
    blank_fails: bool,
    out: &mut Hits,
) -> Option<()> {
    let ad1 = r.table(Ad1)?;
    let (status, sex) = (ad1.col(field), ad1.col("SEX_ADOPTR"));
    out.extend(
        Ad1,
        ad1.rows_where(|i| {
            status.is(i, when) && sex.text(i).map_or(blank_fails, |s| !sexes.contains(&s))
        }),
    );
    Some(())
}

const COUPLE: &[&str] = &["MM", "FF", "MF"];
const SAME_SEX: &[&str] = &["MM", "FF"];

/// Two adopters, but their sexes are not a couple's.
fn rule_511(r: &Return, out: &mut Hits) -> Option<()> {
    adopters(r, "NB_ADOPTR", "2", COUPLE, false, out)
}

/// A single adopter (L0) recorded with a couple's sexes.
fn rule_514(r: &Return, out: &mut Hits) -> Option<()> {
    adopters(r, "LS_ADOPTR", "L0", &["M1", "F1"], false, out)
}

/// Left care to special guardianship with former foster carers (E45, E46) from a placement that was
/// not foster care (U1 to U6).
fn rule_516(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (rec, place) = (eps.col("REC"), eps.col("PLACE"));
    const FOSTER: &[&str] = &["U1", "U2", "U3", "U4", "U5", "U6"];
    out.extend(
        Episodes,
        eps.rows_where(|i| rec.is_in(i, &["E45", "E46"]) && !place.is_in(i, FOSTER)),
    );
    Some(())
}

/// Unmarried couple of different sexes (L3) not recorded MF.
fn rule_517(r: &Return, out: &mut Hits) -> Option<()> {
    adopters(r, "LS_ADOPTR", "L3", &["MF"], false, out)
}

/// Unmarried same-sex couple (L4) not recorded MM or FF.
fn rule_518(r: &Return, out: &mut Hits) -> Option<()> {
    adopters(r, "LS_ADOPTR", "L4", SAME_SEX, false, out)
}

/// Civil partners (L2) not recorded as a couple.
fn rule_519(r: &Return, out: &mut Hits) -> Option<()> {
    adopters(r, "LS_ADOPTR", "L2", COUPLE, true, out)
}

/// Married couple of different sexes (L11) recorded as a same-sex couple.
fn rule_520(r: &Return, out: &mut Hits) -> Option<()> {
    adopters(r, "LS_ADOPTR", "L11", &["MF"], false, out)
}

/// The child is placed for adoption (A3 to A6) before the decision that adoption is in their best
/// interests; the AD1 row and the placement fail.
fn rule_521(r: &Return, out: &mut Hits) -> Option<()> {
    let (ad1, eps) = (r.table(Ad1)?, r.table(Episodes)?);
    let (decided, place, decom) = (ad1.col("DATE_INT"), eps.col("PLACE"), eps.col("DECOM"));
    for i in ad1.rows() {
        let Some(d) = decided.date(i) else { continue };
        for e in rows(eps.rows_of(ad1.child(i))) {
            if place.is_in(e, PLACED_FOR_ADOPTION) && decom.date(e).is_some_and(|s| s < d) {
                out.push(Ad1, i);
                out.push(Episodes, e);
            }
        }
    }
    Some(())
}

/// The decision to place for adoption is after its reversal.
fn rule_522(r: &Return, out: &mut Hits) -> Option<()> {
    let pa = r.table(PlacedAdoption)?;
    let (placed, ceased) = (pa.col("DATE_PLACED"), pa.col("DATE_PLACED_CEASED"));
    out.extend(
        PlacedAdoption,
        pa.rows_where(|i| {
            placed
                .date(i)
                .zip(ceased.date(i))
                .is_some_and(|(p, c)| p > c)
        }),
    );
    Some(())
}

/// The decision to place for adoption (placed for adoption table) differs from the date adoption
/// was decided to be in the child's best interests (AD1); both rows fail.
fn rule_523(r: &Return, out: &mut Hits) -> Option<()> {
    let (pa, ad1) = (r.table(PlacedAdoption)?, r.table(Ad1)?);
    let (placed, decided) = (pa.col("DATE_PLACED"), ad1.col("DATE_INT"));
    for i in pa.rows() {
        let Some(p) = placed.date(i) else { continue };
        for j in rows(ad1.rows_of(pa.child(i))) {
            if decided.date(j).is_some_and(|d| d != p) {
                out.push(PlacedAdoption, i);
                out.push(Ad1, j);
            }
        }
    }
    Some(())
}

/// Same-sex married couple (L12) not recorded MM or FF.
fn rule_524(r: &Return, out: &mut Hits) -> Option<()> {
    adopters(r, "LS_ADOPTR", "L12", SAME_SEX, false, out)
}

/// Adoption (AD1) details for a child whose decision to be placed for adoption was reversed; both
/// rows fail.
fn rule_525(r: &Return, out: &mut Hits) -> Option<()> {
    let (pa, ad1) = (r.table(PlacedAdoption)?, r.table(Ad1)?);
    let ceased = pa.col("DATE_PLACED_CEASED");
    let items: Vec<_> = AD1_ITEMS.iter().map(|f| ad1.col(f)).collect();
    for i in pa.rows().filter(|&i| ceased.is_filled(i)) {
        let adopted: Vec<usize> = rows(ad1.rows_of(pa.child(i)))
            .filter(|&j| items.iter().any(|c| c.is_filled(j)))
            .collect();
        if !adopted.is_empty() {
            out.push(PlacedAdoption, i);
            out.extend(Ad1, adopted);
        }
    }
    Some(())
}

/// No provider for a placement that has one: all but temporary placements and, optionally
/// provided, other placements (`other`).
fn provider_missing(r: &Return, other: &[&str], out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (place, provider) = (eps.col("PLACE"), eps.col("PLACE_PROVIDER"));
    let needs = |i| place.is_filled(i) && !place.is_in(i, TEMPORARY) && !place.is_in(i, other);
    out.extend(
        Episodes,
        eps.rows_where(|i| needs(i) && provider.is_blank(i)),
    );
    Some(())
}

fn rule_526(r: &Return, out: &mut Hits) -> Option<()> {
    provider_missing(r, &["Z1"], out)
}

fn rule_526_v2025(r: &Return, out: &mut Hits) -> Option<()> {
    provider_missing(r, &["Z11", "Z12", "Z13", "Z14"], out)
}

/// Episodes with provider `provider` in one of `places`.
fn provider_in(r: &Return, provider: &str, places: &[&str], out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (place, p) = (eps.col("PLACE"), eps.col("PLACE_PROVIDER"));
    out.extend(
        Episodes,
        eps.rows_where(|i| p.is(i, provider) && place.is_in(i, places)),
    );
    Some(())
}

fn rule_527(r: &Return, out: &mut Hits) -> Option<()> {
    provider_in(r, "PR1", &["P1", "R2", "R5"], out)
}

fn rule_528(r: &Return, out: &mut Hits) -> Option<()> {
    provider_in(r, "PR2", &["P1", "R2", "R5"], out)
}

/// Other public bodies (PR3) do not provide placements with parents, for adoption, in children's
/// homes or in foster care.
fn rule_529(r: &Return, out: &mut Hits) -> Option<()> {
    let places = &[
        "P1", "A3", "A4", "A5", "A6", "K1", "K2", "U1", "U2", "U3", "U4", "U5", "U6",
    ];
    provider_in(r, "PR3", places, out)
}

fn rule_530(r: &Return, out: &mut Hits) -> Option<()> {
    provider_in(r, "PR4", &["P1"], out)
}

fn rule_531(r: &Return, out: &mut Hits) -> Option<()> {
    provider_in(r, "PR5", &["P1"], out)
}

/// Conviction information for a child under 10 at 31 March.
fn rule_542(r: &Return, out: &mut Hits) -> Option<()> {
    let oc2 = r.table(Oc2)?;
    let (dob, convicted) = (oc2.col("DOB"), oc2.col("CONVICTED"));
    out.extend(
        Oc2,
        oc2.rows_where(|i| {
            convicted.is_filled(i) && dob.date(i).is_some_and(|d| age_on(d, r.end()) < 10)
        }),
    );
    Some(())
}

/// OC2 rows of children looked after for 12 months, whose age at 31 March passes `age`, with `field` blank.
fn cohort_blank(r: &Return, field: &str, age: impl Fn(i32) -> bool, out: &mut Hits) -> Option<()> {
    let oc2 = r.table(Oc2)?;
    let cohort = continuously_looked_after(r)?;
    let (dob, value) = (oc2.col("DOB"), oc2.col(field));
    out.extend(
        Oc2,
        oc2.rows_where(|i| {
            value.is_blank(i)
                && cohort.has(oc2.child(i))
                && dob.date(i).is_some_and(|d| age(age_on(d, r.end())))
        }),
    );
    Some(())
}

/// Looked after for 12 months, 10 or over at 31 March, conviction blank.
fn rule_543(r: &Return, out: &mut Hits) -> Option<()> {
    cohort_blank(r, "CONVICTED", |age| age >= 10, out)
}

/// OC2 rows where `given` holds but immunisations, teeth check, health assessment or substance
/// misuse is blank.
fn core_items_blank(
    r: &Return,
    given: impl Fn(&Table, usize) -> bool,
    out: &mut Hits,
) -> Option<()> {
    let oc2 = r.table(Oc2)?;
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
        oc2.rows_where(|i| given(oc2, i) && core.iter().any(|c| c.is_blank(i))),
    );
    Some(())
}

fn rule_544(r: &Return, out: &mut Hits) -> Option<()> {
    core_items_blank(r, |t, i| t.col("CONVICTED").is_filled(i), out)
}

/// Looked after for 12 months, under 5 at 31 March, health promotion (HEALTH_CHECK) blank.
fn rule_545(r: &Return, out: &mut Hits) -> Option<()> {
    cohort_blank(r, "HEALTH_CHECK", |age| age < 5, out)
}

/// Health promotion information for a child looked after for the year and 5 or over at 31 March.
fn rule_546(r: &Return, out: &mut Hits) -> Option<()> {
    let oc2 = r.table(Oc2)?;
    let cohort = continuously_looked_after(r)?;
    let (dob, check) = (oc2.col("DOB"), oc2.col("HEALTH_CHECK"));
    out.extend(
        Oc2,
        oc2.rows_where(|i| {
            check.is_filled(i)
                && cohort.has(oc2.child(i))
                && dob.date(i).is_some_and(|d| age_on(d, r.end()) >= 5)
        }),
    );
    Some(())
}

/// Health promotion information up to date (HEALTH_CHECK 1) but a core health item blank.
fn rule_547(r: &Return, out: &mut Hits) -> Option<()> {
    core_items_blank(r, |t, i| t.col("HEALTH_CHECK").is(i, "1"), out)
}

/// Provider PR0 (parents) for a placement other than with parents (P1).
fn rule_550(r: &Return, out: &mut Hits) -> Option<()> {
    let eps = r.table(Episodes)?;
    let (place, provider) = (eps.col("PLACE"), eps.col("PLACE_PROVIDER"));
    out.extend(
        Episodes,
        eps.rows_where(|i| provider.is(i, "PR0") && !place.is(i, "P1")),
    );
    Some(())
}

/// Placed for adoption (A3 to A6) with no date of the decision to place for adoption.
fn rule_551(r: &Return, out: &mut Hits) -> Option<()> {
    let (eps, pa) = (r.table(Episodes)?, r.table(PlacedAdoption)?);
    let (place, placed) = (eps.col("PLACE"), pa.col("DATE_PLACED"));
    let decided = |c| rows(pa.rows_of(c)).any(|j| placed.is_filled(j));
    out.extend(
        Episodes,
        eps.rows_where(|i| place.is_in(i, PLACED_FOR_ADOPTION) && !decided(eps.child(i))),
    );
    Some(())
}

/// The decision to place for adoption is after the child was placed for adoption (A3 to A6); both
/// rows fail.
fn rule_552(r: &Return, out: &mut Hits) -> Option<()> {
    let (pa, eps) = (r.table(PlacedAdoption)?, r.table(Episodes)?);
    let (placed, place, decom) = (pa.col("DATE_PLACED"), eps.col("PLACE"), eps.col("DECOM"));
    for i in pa.rows() {
        let Some(d) = placed.date(i) else { continue };
        for e in rows(eps.rows_of(pa.child(i))) {
            if place.is_in(e, PLACED_FOR_ADOPTION) && decom.date(e).is_some_and(|s| d > s) {
                out.push(PlacedAdoption, i);
                out.push(Episodes, e);
            }
        }
    }
    Some(())
}

/// A child with an episode under legal status `ls` needs a decision to place for adoption (with
/// a date), and while the episode is open, one not reversed. With no decision at all the episode
/// fails, otherwise the child's decisions do.
fn order_without_decision(r: &Return, ls: &str, out: &mut Hits) -> Option<()> {
    let (eps, pa) = (r.table(Episodes)?, r.table(PlacedAdoption)?);
    let (status, dec) = (eps.col("LS"), eps.col("DEC"));
    let (placed, ceased) = (pa.col("DATE_PLACED"), pa.col("DATE_PLACED_CEASED"));
    for i in eps.rows().filter(|&i| status.is(i, ls)) {
        let decisions = pa.rows_of(eps.child(i));
        let current = |j| placed.is_filled(j) && (dec.is_filled(i) || ceased.is_blank(j));
        if decisions.is_empty() {
            out.push(Episodes, i);
        } else if !rows(decisions).any(current) {
            out.extend(PlacedAdoption, rows(decisions));
        }
    }
    Some(())
}

/// Placement order (E1) without a decision to place for adoption.
fn rule_553(r: &Return, out: &mut Hits) -> Option<()> {
    order_without_decision(r, "E1", out)
}

/// The decision to place for adoption is after the placement order was granted (the child's first
/// episode under E1); the decision and that episode fail.
fn rule_554(r: &Return, out: &mut Hits) -> Option<()> {
    decision_after_order(r, "E1", true, out)
}

fn decision_after_order(r: &Return, ls: &str, with_decision: bool, out: &mut Hits) -> Option<()> {
    let (eps, pa) = (r.table(Episodes)?, r.table(PlacedAdoption)?);
    let (status, decom, placed) = (eps.col("LS"), eps.col("DECOM"), pa.col("DATE_PLACED"));
    for rows_of in eps.by_start().iter() {
        let Some(order) = rows(rows_of).find(|&e| status.is(e, ls)) else {
            continue;
        };
        let Some(granted) = decom.date(order) else {
            continue;
        };
        let late: Vec<usize> = rows(pa.rows_of(eps.child(order)))
            .filter(|&j| placed.date(j).is_some_and(|d| d > granted))
            .collect();
        if !late.is_empty() {
            out.push(Episodes, order);
            if with_decision {
                out.extend(PlacedAdoption, late);
            }
        }
    }
    Some(())
}

/// Freeing order (D1) without a decision to place for adoption.
fn rule_555(r: &Return, out: &mut Hits) -> Option<()> {
    order_without_decision(r, "D1", out)
}

/// The decision to place for adoption is after the freeing order (D1); the episode fails.
fn rule_556(r: &Return, out: &mut Hits) -> Option<()> {
    decision_after_order(r, "D1", false, out)
}

/// A child on the adoption route (placed for adoption, or under a placement or freeing order) left
/// care other than by adoption, but the reversal of the latest decision to place for adoption is
/// not recorded (date and reason): the episode and that decision fail.
fn rule_557(r: &Return, out: &mut Hits) -> Option<()> {
    left_adoption_route(r, &["D1", "E1"], out)
}

/// From 2024/25, with freeing orders (D1) gone, the placement order (E1) alone.
fn rule_557_v2024(r: &Return, out: &mut Hits) -> Option<()> {
    left_adoption_route(r, &["E1"], out)
}

fn left_adoption_route(r: &Return, orders: &[&str], out: &mut Hits) -> Option<()> {
    let (eps, pa) = (r.table(Episodes)?, r.table(PlacedAdoption)?);
    let (place, ls, rec) = (eps.col("PLACE"), eps.col("LS"), eps.col("REC"));
    let (ceased, reason) = (pa.col("DATE_PLACED_CEASED"), pa.col("REASON_PLACED_CEASED"));
    for i in eps.rows() {
        let adoption_route = place.is_in(i, PLACED_FOR_ADOPTION) || ls.is_in(i, orders);
        let left = rec
            .text(i)
            .is_some_and(|c| c != "X1" && !ADOPTED.contains(&c));
        if !(adoption_route && left) {
            continue;
        }
        match latest_decision(pa, eps.child(i)) {
            None => out.push(Episodes, i),
            Some(j) if ceased.is_blank(j) || reason.is_blank(j) => {
                out.push(Episodes, i);
                out.push(PlacedAdoption, j);
            }
            Some(_) => {}
        }
    }
    Some(())
}

/// The child's latest decision to place for adoption: the latest date, or the last row.
fn latest_decision(pa: &Table, c: Child) -> Option<usize> {
    let placed = pa.col("DATE_PLACED");
    rows(pa.rows_of(c)).max_by_key(|&j| (placed.date(j), j))
}

/// Adopted (E11, E12) though the latest decision to place for adoption was reversed.
fn rule_558(r: &Return, out: &mut Hits) -> Option<()> {
    let (eps, pa) = (r.table(Episodes)?, r.table(PlacedAdoption)?);
    let (rec, ceased) = (eps.col("REC"), pa.col("DATE_PLACED_CEASED"));
    let reversed = |c| latest_decision(pa, c).is_some_and(|j| ceased.is_filled(j));
    out.extend(
        Episodes,
        eps.rows_where(|i| rec.is_in(i, ADOPTED) && reversed(eps.child(i))),
    );
    Some(())
}

/// A decision to place for adoption dated before this year that last year's return (where the
/// child was) left without a date.
fn rule_559(r: &Return, out: &mut Hits) -> Option<()> {
    let (pa, last) = (r.table(PlacedAdoption)?, r.last(PlacedAdoption)?);
    let (placed, then) = (pa.col("DATE_PLACED"), last.col("DATE_PLACED"));
    let missing_last_year = |c| {
        let before = last.rows_of(c);
        !before.is_empty() && rows(before).all(|j| then.is_blank(j))
    };
    out.extend(
        PlacedAdoption,
        pa.rows_where(|i| {
            placed.date(i).is_some_and(|d| d < r.start()) && missing_last_year(pa.child(i))
        }),
    );
    Some(())
}

/// Two cells compared as dates where both are dates, else as text.
fn same_date(a: &Column, i: usize, b: &Column, j: usize) -> bool {
    match (a.date(i), b.date(j)) {
        (Some(x), Some(y)) => x == y,
        _ => a.text(i) == b.text(j),
    }
}

/// Last year's decision was still in force (not reversed), yet this year records no decision of
/// that date: this year's decisions fail.
fn rule_560(r: &Return, out: &mut Hits) -> Option<()> {
    let (pa, last) = (r.table(PlacedAdoption)?, r.last(PlacedAdoption)?);
    let (now, then, then_ceased) = (
        pa.col("DATE_PLACED"),
        last.col("DATE_PLACED"),
        last.col("DATE_PLACED_CEASED"),
    );
    for rows_now in pa.by_child().iter() {
        let c = pa.child(rows_now[0] as usize);
        let Some(j) =
            latest_decision(last, c).filter(|&j| then.is_filled(j) && then_ceased.is_blank(j))
        else {
            continue;
        };
        if !rows(rows_now).any(|i| same_date(now, i, then, j)) {
            out.extend(PlacedAdoption, rows(rows_now).filter(|&i| now.is_filled(i)));
        }
    }
    Some(())
}

/// This year repeats last year's date of decision, though that decision had been reversed before
/// this year (reversed in last year's return, or this year's reversal predates the year).
fn rule_561(r: &Return, out: &mut Hits) -> Option<()> {
    let (pa, last) = (r.table(PlacedAdoption)?, r.last(PlacedAdoption)?);
    let (now, then) = (pa.col("DATE_PLACED"), last.col("DATE_PLACED"));
    let (now_ceased, then_ceased) = (pa.col("DATE_PLACED_CEASED"), last.col("DATE_PLACED_CEASED"));
    for i in pa.rows().filter(|&i| now.date(i).is_some()) {
        let reversed_before = rows(last.rows_of(pa.child(i))).any(|j| {
            same_date(now, i, then, j)
                && (then_ceased.is_filled(j) || now_ceased.date(i).is_some_and(|d| d < r.start()))
        });
        if reversed_before {
            out.push(PlacedAdoption, i);
        }
    }
    Some(())
}

/// The child's first episode began before this year, but last year's return has no episode
/// starting that day.
fn rule_562(r: &Return, out: &mut Hits) -> Option<()> {
    let (eps, last) = (r.table(Episodes)?, r.last(Episodes)?);
    let (decom, then) = (eps.col("DECOM"), last.col("DECOM"));
    for rows_of in eps.by_start().iter() {
        let first = rows_of[0] as usize;
        let Some(start) = decom.date(first).filter(|&d| d < r.start()) else {
            continue;
        };
        if !rows(last.rows_of(eps.child(first))).any(|j| then.date(j) == Some(start)) {
            out.push(Episodes, first);
        }
    }
    Some(())
}

/// A reversal (date or reason) without the date of the decision.
fn rule_563(r: &Return, out: &mut Hits) -> Option<()> {
    let pa = r.table(PlacedAdoption)?;
    let (placed, ceased, reason) = (
        pa.col("DATE_PLACED"),
        pa.col("DATE_PLACED_CEASED"),
        pa.col("REASON_PLACED_CEASED"),
    );
    out.extend(
        PlacedAdoption,
        pa.rows_where(|i| placed.is_blank(i) && (ceased.is_filled(i) || reason.is_filled(i))),
    );
    Some(())
}

/// Missing rows where `a` is filled and `b` blank.
fn missing_pair(r: &Return, a: &str, b: &str, out: &mut Hits) -> Option<()> {
    let m = r.table(TableName::Missing)?;
    let (x, y) = (m.col(a), m.col(b));
    out.extend(
        TableName::Missing,
        m.rows_where(|i| x.is_filled(i) && y.is_blank(i)),
    );
    Some(())
}

fn rule_564(r: &Return, out: &mut Hits) -> Option<()> {
    missing_pair(r, "MISSING", "MIS_START", out)
}

fn rule_565(r: &Return, out: &mut Hits) -> Option<()> {
    missing_pair(r, "MIS_START", "MISSING", out)
}

fn rule_566(r: &Return, out: &mut Hits) -> Option<()> {
    missing_pair(r, "MIS_END", "MISSING", out)
}

/// A missing period ending before it started.
fn rule_567(r: &Return, out: &mut Hits) -> Option<()> {
    let m = r.table(TableName::Missing)?;
    let (start, end) = (m.col("MIS_START"), m.col("MIS_END"));
    out.extend(
        TableName::Missing,
        m.rows_where(|i| start.date(i).zip(end.date(i)).is_some_and(|(s, e)| e < s)),
    );
    Some(())
}

/// A missing period starting after the year.
fn rule_570(r: &Return, out: &mut Hits) -> Option<()> {
    let m = r.table(TableName::Missing)?;
    let start = m.col("MIS_START");
    out.extend(
        TableName::Missing,
        m.rows_where(|i| start.date(i).is_some_and(|d| d > r.end())),
    );
    Some(())
}

/// A missing period ending outside the year.
fn rule_571(r: &Return, out: &mut Hits) -> Option<()> {
    let m = r.table(TableName::Missing)?;
    let end = m.col("MIS_END");
    out.extend(
        TableName::Missing,
        m.rows_where(|i| end.date(i).is_some_and(|d| d < r.start() || d > r.end())),
    );
    Some(())
}

/// A missing period starting while an earlier one is open or has not ended.
fn rule_574(r: &Return, out: &mut Hits) -> Option<()> {
    let m = r.table(TableName::Missing)?;
    out.extend(TableName::Missing, overlapping(m, "MIS_START", "MIS_END"));
    Some(())
}

/// A missing period with no end date that began during an episode that has ended.
fn rule_575(r: &Return, out: &mut Hits) -> Option<()> {
    let (m, eps) = (r.table(TableName::Missing)?, r.table(Episodes)?);
    let (start, end) = (m.col("MIS_START"), m.col("MIS_END"));
    let (decom, dec) = (eps.col("DECOM"), eps.col("DEC"));
    let during_ended = |i: usize, s: NaiveDate| {
        rows(eps.rows_of(m.child(i)))
            .any(|e| decom.date(e).is_some_and(|d| d <= s) && dec.date(e).is_some_and(|d| s <= d))
    };
    out.extend(
        TableName::Missing,
        m.rows_where(|i| end.is_blank(i) && start.date(i).is_some_and(|s| during_ended(i, s))),
    );
    Some(())
}

/// Last year's return ended with an open missing period, and this year's has none starting that
/// day: the child's missing rows this year fail.
fn rule_576(r: &Return, out: &mut Hits) -> Option<()> {
    let (m, last) = (r.table(TableName::Missing)?, r.last(TableName::Missing)?);
    let (now, then, then_end) = (
        m.col("MIS_START"),
        last.col("MIS_START"),
        last.col("MIS_END"),
    );
    for rows_now in m.by_child().iter() {
        let c = m.child(rows_now[0] as usize);
        for j in rows(last.rows_of(c)).filter(|&j| then_end.is_blank(j) && then.is_filled(j)) {
            if !rows(rows_now).any(|i| same_date(now, i, then, j)) {
                out.extend(TableName::Missing, rows(rows_now));
            }
        }
    }
    Some(())
}

/// The date the child ceased to be looked after: the end of their latest episode, if it has ended.
fn ceased(eps: &Table, c: Child) -> Option<NaiveDate> {
    let &last = eps.by_start().of(c).last()?;
    eps.col("DEC").date(last as usize)
}

/// A missing period starting after the child ceased to be looked after.
fn rule_578(r: &Return, out: &mut Hits) -> Option<()> {
    let (m, eps) = (r.table(TableName::Missing)?, r.table(Episodes)?);
    let start = m.col("MIS_START");
    out.extend(
        TableName::Missing,
        m.rows_where(|i| {
            start
                .date(i)
                .zip(ceased(eps, m.child(i)))
                .is_some_and(|(s, left)| s > left)
        }),
    );
    Some(())
}

/// A decision to place for adoption made while an earlier one was still in force, or before it was
/// reversed.
fn rule_579(r: &Return, out: &mut Hits) -> Option<()> {
    let pa = r.table(PlacedAdoption)?;
    out.extend(
        PlacedAdoption,
        overlapping(pa, "DATE_PLACED", "DATE_PLACED_CEASED"),
    );
    Some(())
}

/// A young person missing or away on their 18th birthday, the day their episode ended, with a
/// reason the episode ceased other than E8: a missing period that ends on the 18th birthday (by
/// the missing row's date of birth) ends the care that day, and E8 is the reason to record.
fn rule_580(r: &Return, out: &mut Hits) -> Option<()> {
    let (eps, m) = (r.table(Episodes)?, r.table(TableName::Missing)?);
    let (dec, rec) = (eps.col("DEC"), eps.col("REC"));
    let (dob, end) = (m.col("DOB"), m.col("MIS_END"));
    for j in m.rows() {
        let Some(ended) = end.date(j) else { continue };
        if dob.date(j).and_then(|d| birthday(d, 18)) != Some(ended) {
            continue;
        }
        out.extend(
            Episodes,
            rows(eps.rows_of(m.child(j)))
                .filter(|&i| dec.date(i) == Some(ended) && !rec.is(i, "E8")),
        );
    }
    Some(())
}

/// A missing period starting when the child was not looked after (in none of their episodes;
/// children with no episodes are not checked).
fn rule_581(r: &Return, out: &mut Hits) -> Option<()> {
    let (m, eps) = (r.table(TableName::Missing)?, r.table(Episodes)?);
    let start = m.col("MIS_START");
    let (decom, dec) = (eps.col("DECOM"), eps.col("DEC"));
    let looked_after = |i: usize, s: NaiveDate| {
        rows(eps.rows_of(m.child(i)))
            .any(|e| decom.date(e).is_some_and(|d| d <= s) && dec.date(e).is_none_or(|d| s <= d))
    };
    out.extend(
        TableName::Missing,
        m.rows_where(|i| {
            eps.has_child(m.child(i)) && start.date(i).is_some_and(|s| !looked_after(i, s))
        }),
    );
    Some(())
}

/// Adopted (E11, E12) on the day the child was matched with the adopters.
fn rule_582(r: &Return, out: &mut Hits) -> Option<()> {
    let (eps, ad1) = (r.table(Episodes)?, r.table(Ad1)?);
    let (rec, dec, matched) = (eps.col("REC"), eps.col("DEC"), ad1.col("DATE_MATCH"));
    let same_day = |i: usize| {
        let d = dec.date(i);
        d.is_some() && rows(ad1.rows_of(eps.child(i))).any(|j| matched.date(j) == d)
    };
    out.extend(
        Episodes,
        eps.rows_where(|i| rec.is_in(i, ADOPTED) && same_day(i)),
    );
    Some(())
}

/// More than one decision to place for adoption, and one but the latest was never reversed.
fn rule_583(r: &Return, out: &mut Hits) -> Option<()> {
    let pa = r.table(PlacedAdoption)?;
    let ceased = pa.col("DATE_PLACED_CEASED");
    for rows_of in pa.by_start().iter() {
        let earlier = &rows_of[..rows_of.len() - 1];
        out.extend(
            PlacedAdoption,
            rows(earlier).filter(|&j| ceased.is_blank(j)),
        );
    }
    Some(())
}

/// Where a decision was reversed (this year or last), this year's decision must be a new one,
/// dated after last year's.
fn rule_584(r: &Return, out: &mut Hits) -> Option<()> {
    let (pa, last) = (r.table(PlacedAdoption)?, r.last(PlacedAdoption)?);
    let (now, then) = (pa.col("DATE_PLACED"), last.col("DATE_PLACED"));
    let (now_ceased, then_ceased) = (pa.col("DATE_PLACED_CEASED"), last.col("DATE_PLACED_CEASED"));
    for i in pa.rows() {
        for j in rows(last.rows_of(pa.child(i))) {
            let reversed = now_ceased.is_filled(i) || then_ceased.is_filled(j);
            let Some(before) = then.date(j) else { continue };
            if reversed && now.date(i).is_none_or(|d| d <= before) {
                out.push(PlacedAdoption, i);
            }
        }
    }
    Some(())
}

/// A missing period starting before the child was born.
fn rule_586(r: &Return, out: &mut Hits) -> Option<()> {
    let m = r.table(TableName::Missing)?;
    let (dob, start) = (m.col("DOB"), m.col("MIS_START"));
    out.extend(
        TableName::Missing,
        m.rows_where(|i| dob.date(i).zip(start.date(i)).is_some_and(|(b, s)| s < b)),
    );
    Some(())
}

/// A missing or away period outside every period of care of the child: still open when the child
/// has ceased to be looked after (or began before), or ending after the care ended or before it
/// began.
fn rule_577(r: &Return, out: &mut Hits) -> Option<()> {
    let m = r.table(TableName::Missing)?;
    out.extend(
        TableName::Missing,
        outside_care(r, m, "MIS_START", "MIS_END")?,
    );
    Some(())
}
