//! The integrity checks (INT01 to INT36) and the episode checks EPI and NoE: each child's rows in
//! the other tables against their header, and children listed more than once.

use super::{Hits, Implementation, rule};
use crate::ssda903::submission::Return;
use crate::ssda903::tables::{TableName, TableName::*};
use crate::ssda903::year::Year::*;

pub(super) const RULES: &[Implementation] = &[
    rule("EPI", Y2022_23, rule_epi),
    rule("NoE", Y2022_23, rule_noe),
    rule("INT01", Y2022_23, rule_int01),
    rule("INT02", Y2022_23, rule_int02),
    rule("INT03", Y2022_23, rule_int03),
    rule("INT04", Y2022_23, rule_int04),
    rule("INT05", Y2022_23, rule_int05),
    rule("INT06", Y2022_23, rule_int06),
    rule("INT07", Y2022_23, rule_int07),
    rule("INT08", Y2022_23, rule_int08),
    rule("INT09", Y2022_23, rule_int09),
    rule("INT11", Y2022_23, rule_int11),
    rule("INT12", Y2022_23, rule_int12),
    rule("INT13", Y2022_23, rule_int13),
    rule("INT14", Y2022_23, rule_int14),
    rule("INT15", Y2022_23, rule_int15),
    rule("INT16", Y2022_23, rule_int16),
    rule("INT17", Y2022_23, rule_int17),
    rule("INT18", Y2022_23, rule_int18),
    rule("INT21", Y2022_23, rule_int21),
    rule("INT31", Y2022_23, rule_int31),
    rule("INT32", Y2022_23, rule_int32),
    rule("INT33", Y2022_23, rule_int33),
    rule("INT34", Y2022_23, rule_int34),
    rule("INT35", Y2022_23, rule_int35),
    rule("INT36", Y2022_23, rule_int36),
];

/// A child in the header with no episodes (the DfE's portal needs them to go on), other than a
/// care leaver (in OC3), who may have none this year.
fn rule_epi(r: &Return, out: &mut Hits) -> Option<()> {
    let (h, eps) = (r.table(Header)?, r.table(Episodes)?);
    let leaver = |c| r.table(Oc3).is_some_and(|t| t.has_child(c));
    out.extend(
        Header,
        h.rows_where(|i| !eps.has_child(h.child(i)) && !leaver(h.child(i))),
    );
    Some(())
}

/// An episode that began before this year for a child with no episodes last year.
fn rule_noe(r: &Return, out: &mut Hits) -> Option<()> {
    let (eps, last) = (r.table(Episodes)?, r.last(Episodes)?);
    let decom = eps.col("DECOM");
    out.extend(
        Episodes,
        eps.rows_where(|i| {
            decom.date(i).is_some_and(|d| d < r.start()) && !last.has_child(eps.child(i))
        }),
    );
    Some(())
}

/// Rows of `table` whose child is not in the header.
fn not_in_header(r: &Return, table: TableName, out: &mut Hits) -> Option<()> {
    let (h, t) = (r.table(Header)?, r.table(table)?);
    out.extend(table, t.rows_where(|i| !h.has_child(t.child(i))));
    Some(())
}

/// Rows of `table` whose `field` matches none of the child's header rows (blank matches blank).
fn differs_from_header(r: &Return, table: TableName, field: &str, out: &mut Hits) -> Option<()> {
    let (h, t) = (r.table(Header)?, r.table(table)?);
    let (ours, theirs) = (t.col(field), h.col(field));
    out.extend(
        table,
        t.rows_where(|i| {
            let header = h.rows_of(t.child(i));
            !header.is_empty()
                && !header
                    .iter()
                    .any(|&j| theirs.text(j as usize) == ours.text(i))
        }),
    );
    Some(())
}

/// All rows of children listed more than once in `table`.
fn more_than_once(r: &Return, table: TableName, out: &mut Hits) -> Option<()> {
    let t = r.table(table)?;
    out.extend(table, t.rows_where(|i| t.rows_of(t.child(i)).len() > 1));
    Some(())
}

fn rule_int01(r: &Return, out: &mut Hits) -> Option<()> {
    not_in_header(r, Ad1, out)
}

fn rule_int02(r: &Return, out: &mut Hits) -> Option<()> {
    not_in_header(r, PlacedAdoption, out)
}

fn rule_int03(r: &Return, out: &mut Hits) -> Option<()> {
    not_in_header(r, Episodes, out)
}

fn rule_int04(r: &Return, out: &mut Hits) -> Option<()> {
    not_in_header(r, Missing, out)
}

fn rule_int05(r: &Return, out: &mut Hits) -> Option<()> {
    not_in_header(r, Oc2, out)
}

fn rule_int06(r: &Return, out: &mut Hits) -> Option<()> {
    not_in_header(r, Oc3, out)
}

fn rule_int07(r: &Return, out: &mut Hits) -> Option<()> {
    not_in_header(r, PrevPerm, out)
}

fn rule_int08(r: &Return, out: &mut Hits) -> Option<()> {
    not_in_header(r, Reviews, out)
}

fn rule_int09(r: &Return, out: &mut Hits) -> Option<()> {
    not_in_header(r, Uasc, out)
}

fn rule_int11(r: &Return, out: &mut Hits) -> Option<()> {
    differs_from_header(r, Ad1, "DOB", out)
}

fn rule_int12(r: &Return, out: &mut Hits) -> Option<()> {
    differs_from_header(r, PlacedAdoption, "DOB", out)
}

fn rule_int13(r: &Return, out: &mut Hits) -> Option<()> {
    differs_from_header(r, Missing, "DOB", out)
}

fn rule_int14(r: &Return, out: &mut Hits) -> Option<()> {
    differs_from_header(r, Oc2, "DOB", out)
}

fn rule_int15(r: &Return, out: &mut Hits) -> Option<()> {
    differs_from_header(r, Oc3, "DOB", out)
}

fn rule_int16(r: &Return, out: &mut Hits) -> Option<()> {
    differs_from_header(r, PrevPerm, "DOB", out)
}

fn rule_int17(r: &Return, out: &mut Hits) -> Option<()> {
    differs_from_header(r, Reviews, "DOB", out)
}

fn rule_int18(r: &Return, out: &mut Hits) -> Option<()> {
    differs_from_header(r, Uasc, "DOB", out)
}

fn rule_int21(r: &Return, out: &mut Hits) -> Option<()> {
    differs_from_header(r, Uasc, "SEX", out)
}

fn rule_int31(r: &Return, out: &mut Hits) -> Option<()> {
    more_than_once(r, Ad1, out)
}

fn rule_int32(r: &Return, out: &mut Hits) -> Option<()> {
    more_than_once(r, Header, out)
}

fn rule_int33(r: &Return, out: &mut Hits) -> Option<()> {
    more_than_once(r, Oc2, out)
}

fn rule_int34(r: &Return, out: &mut Hits) -> Option<()> {
    more_than_once(r, Oc3, out)
}

fn rule_int35(r: &Return, out: &mut Hits) -> Option<()> {
    more_than_once(r, PrevPerm, out)
}

fn rule_int36(r: &Return, out: &mut Hits) -> Option<()> {
    more_than_once(r, Uasc, out)
}
