use crate::history::*;
use domain::codes::ContactDecision::*;

#[test]
fn fd01_counts_working_days_across_weekends_and_bank_holidays() {
    let mut h = History::new();
    let a = h.child(1, "2015-06-01");
    // Thursday 28 March 2024, 16:00: Good Friday (29th) and Easter Monday (1 April) are bank
    // holidays, so day 1 is Tuesday 2 April. Decided then: met.
    h.contact(a, 1, "2024-03-28 16:00", Some(("2024-04-02 09:00", Referral)));
    // Friday 1 March 2024: day 1 is Monday 4 March. Decided Tuesday 5th: not met.
    h.contact(a, 2, "2024-03-01 10:00", Some(("2024-03-05 09:00", NoFurtherAction)));
    // Saturday 16 March: receipt day is day 0, Monday 18th is day 1. Decided Monday: met.
    h.contact(a, 3, "2024-03-16 11:00", Some(("2024-03-18 17:00", EarlyHelp)));
    // Thursday 29 February 2024 (leap day): day 1 is Friday 1 March; still undecided on 4 March,
    // so it counts as not met.
    h.contact(a, 4, "2024-02-29 12:00", None);
    // Friday 29 March... Sunday 31 March: undecided, and on Monday 1 April (a bank holiday) its
    // clock (day 1 = Tuesday 2 April) is still running: left out.
    h.contact(a, 5, "2024-03-31 08:00", None);
    // March 2024: contacts 1, 2, 3, 5 received; 5 is left out. Met: 1 and 3 of 3 = 66.7%.
    let o = h.outcome("FD-01", "2024-03", "2024-04-01");
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(3.0), Some(66.7)));
    assert_eq!(o.left.len(), 1);
    assert_eq!(o.left[0].reason, "undecided, with its clock still running");
    // February 2024 holds only the leap-day contact: 0 of 1.
    assert_eq!(ndv(&h.figure("FD-01", "2024-02", "2024-04-01")), (Some(0.0), Some(1.0), Some(0.0)));
    // Read on 3 April, contact 5 has run out of time: 2 of 4 = 50%.
    assert_eq!(h.figure("FD-01", "2024-03", "2024-04-03").value, Some(50.0));
    // The statutory year 2023/24 holds all five, read on 3 April: met 1 and 3 = 40%.
    assert_eq!(ndv(&h.figure("FD-01", "2023/24", "2024-04-03")), (Some(2.0), Some(5.0), Some(40.0)));
}
