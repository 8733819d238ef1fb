//! Rules 3000 to 3999.

use super::{Hits, Implementation, rule};
use crate::ssda903::submission::Return;
use crate::ssda903::tables::TableName::*;
use crate::ssda903::year::Year::*;
use chrono::Months;

pub(super) const RULES: &[Implementation] = &[rule("3001", Y2022_23, rule_3001)];

/// A care leaver whose 17th birthday falls in the year is living with former foster carers (Z1, Z2).
fn rule_3001(r: &Return, out: &mut Hits) -> Option<()> {
    let (h, oc3) = (r.table(Header)?, r.table(Oc3)?);
    let (dob, accom) = (h.col("DOB"), oc3.col("ACCOM"));
    let turns_17 = |i: usize| {
        h.rows_of(oc3.child(i))
            .iter()
            .filter_map(|&j| dob.date(j as usize))
            .any(|d| {
                d.checked_add_months(Months::new(12 * 17))
                    .is_some_and(|b| r.start() <= b && b <= r.end())
            })
    };
    out.extend(
        Oc3,
        oc3.rows_where(|i| accom.is_in(i, &["Z1", "Z2"]) && turns_17(i)),
    );
    Some(())
}
