use crate::history::*;
use domain::codes::*;
use domain::events::*;
use domain::{ChildId, WorkerId};
use kpi::{Outcome, Scope};

// ---- Shorthands ---------------------------------------------------------------------------

fn placement(code: &str) -> Placement {
    Placement {
        place: Code::from(code),
        provider: Code::from("PR1"),
        postcode_district: None,
        urn: None,
        home_postcode: None,
        postcode: None,
    }
}

/// A period of care `period` begins with legal status `legal` in placement `place`.
fn into_care(h: &mut History, c: ChildId, period: u32, legal: &str, place: &str, at: &str) {
    h.on(
        c,
        CarePeriodStarted {
            period: r(period),
            legal_status: Code::from(legal),
            placement: placement(place),
            need: PrimaryNeed::N1,
            at: d(at),
            first_reason: None,
        },
    );
}

/// A move to another placement, legal status unchanged.
fn moves(h: &mut History, c: ChildId, period: u32, place: &str, at: &str) {
    h.on(
        c,
        CareEpisodeChanged {
            period: r(period),
            reason: Code::from("P"),
            legal_status: None,
            placement: Some(placement(place)),
            reason_placement_changed: Some(Code::from("CARPL")),
            at: d(at),
            need: None,
        },
    );
}

/// A change of legal status alone: the child stays where they are.
fn legal_change(h: &mut History, c: ChildId, period: u32, legal: &str, at: &str) {
    h.on(
        c,
        CareEpisodeChanged {
            period: r(period),
            reason: Code::from("L"),
            legal_status: Some(Code::from(legal)),
            placement: None,
            reason_placement_changed: None,
            at: d(at),
            need: None,
        },
    );
}

fn leaves_care(h: &mut History, c: ChildId, period: u32, reason: &str, at: &str) {
    h.on(
        c,
        CarePeriodEnded {
            period: r(period),
            reason: Code::from(reason),
            at: d(at),
        },
    );
}

fn review(h: &mut History, c: ChildId, id: u32, period: u32, at: &str) {
    h.on(
        c,
        ClaReviewHeld {
            review: r(id),
            period: r(period),
            participation: None,
            at: d(at),
        },
    );
}

fn visit(h: &mut History, c: ChildId, id: u32, kind: VisitKind, at: &str) {
    h.on(
        c,
        VisitMade {
            visit: r(id),
            kind,
            at: d(at),
            seen: true,
            seen_alone: false,
        },
    );
}

fn check(h: &mut History, c: ChildId, what: &str, at: &str) {
    h.on(
        c,
        HealthCheckDone {
            check: what.into(),
            at: d(at),
        },
    );
}

fn plan(h: &mut History, c: ChildId, plan: PermanencePlan, at: &str) {
    h.on(c, PermanencePlanMade { plan, at: d(at) });
}

fn step(h: &mut History, c: ChildId, step: PermanenceStep, at: &str) {
    h.on(
        c,
        PermanenceStepReached {
            step,
            at: d(at),
            reason: None,
        },
    );
}

fn missing(h: &mut History, c: ChildId, id: u32, from: &str, back: &str) {
    h.on(
        c,
        MissingEpisodeStarted {
            episode: r(id),
            kind: MissingKind::Missing,
            at: dt(from),
        },
    );
    h.on(
        c,
        MissingEpisodeEnded {
            episode: r(id),
            at: dt(back),
        },
    );
}

/// Allocates a child to a particular worker in a team.
fn allocate_to(h: &mut History, c: ChildId, worker: WorkerId, team: domain::TeamId, at: &str) {
    h.on(
        c,
        ChildAllocated {
            reason: None,
            worker,
            team,
            at: d(at),
        },
    );
}

/// Each item's child and the figure it adds to the numerator (days, for means).
fn nums(o: &Outcome) -> Vec<(u64, f64)> {
    o.items
        .iter()
        .map(|i| (subject_number(i.subject), i.num))
        .collect()
}

fn left(o: &Outcome) -> Vec<(u64, &'static str)> {
    o.left
        .iter()
        .map(|l| (subject_number(l.subject), l.reason))
        .collect()
}

const TODAY: &str = "2024-06-30";
const SHORT_BREAKS: &str = "on short breaks only (V3 or V4)";

// ---- Children looked after at the end of the period ----------------------------------------

fn looked_after_at_the_year_end() -> History {
    let mut h = History::new();
    // Amy: in care since June 2023, in the children in care team.
    let amy = h.child(1, "2012-05-01");
    into_care(&mut h, amy, 1, "C2", "U1", "2023-06-01");
    h.allocate(amy, IN_CARE, "2023-06-01");
    // Ben: on short breaks (V3) only: left out, and said so.
    let ben = h.child(2, "2014-01-01");
    into_care(&mut h, ben, 1, "V3", "U1", "2024-01-10");
    // Cal: ceased to be looked after on 31 March itself: not looked after at its end.
    let cal = h.child(3, "2010-01-01");
    into_care(&mut h, cal, 1, "C2", "U1", "2022-01-01");
    leaves_care(&mut h, cal, 1, "E4A", "2024-03-31");
    // Dan: a first period of care in 2021-22, a second from 31 March 2024, the last day.
    let dan = h.child(4, "2011-01-01");
    into_care(&mut h, dan, 1, "V2", "U1", "2021-01-01");
    leaves_care(&mut h, dan, 1, "E13", "2022-06-01");
    into_care(&mut h, dan, 2, "C2", "K2", "2024-03-31");
    h.allocate(dan, IN_CARE, "2024-03-31");
    // Eve: comes into care on 1 April 2024, the first day of the next statutory year.
    let eve = h.child(5, "2013-01-01");
    into_care(&mut h, eve, 1, "C1", "U1", "2024-04-01");
    // Fay: began on short breaks, then a care order from 1 February 2024: looked after.
    let fay = h.child(6, "2015-01-01");
    into_care(&mut h, fay, 1, "V3", "U1", "2023-09-01");
    legal_change(&mut h, fay, 1, "C2", "2024-02-01");
    h.allocate(fay, SAFEGUARDING, "2024-02-01");
    h
}

#[test]
fn cla01_counts_children_looked_after_at_the_end_without_short_breaks() {
    let mut h = looked_after_at_the_year_end();
    // At 31 March 2024: Amy, Dan and Fay. Ben (V3) is left out; Cal left care that day; Eve
    // is not yet in care.
    let o = h.outcome("CLA-01n", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(3.0), None, Some(3.0)));
    assert_eq!(met_subjects(&o), vec![(1, true), (4, true), (6, true)]);
    assert_eq!(left(&o), vec![(2, SHORT_BREAKS)]);
    // Per 10,000 of 20,000 children: 3 × 10,000 ÷ 20,000 = 1.5.
    let o = h.outcome("CLA-01", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(3.0), Some(20_000.0), Some(1.5)));
    // On 30 March Cal was still looked after and Dan's second period had not begun: Amy, Cal,
    // Fay.
    let o = h.outcome("CLA-01n", "at:2024-03-30", TODAY);
    assert_eq!(ndv(&o.figure), (Some(3.0), None, Some(3.0)));
    assert_eq!(met_subjects(&o), vec![(1, true), (3, true), (6, true)]);

    // The children in care team holds Amy and Dan; a rate is for the council only.
    let team = Scope::Team(IN_CARE);
    let o = h.outcome_for("CLA-01n", "2023/24", team, TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), None, Some(2.0)));
    let o = h.outcome_for("CLA-01", "2023/24", team, TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), None, None));
    assert_eq!(
        o.figure.no_value,
        Some("rates per 10,000 children are for the council as a whole")
    );

    // Rates use the mid-year estimate before the statutory year's end. Make mid-2023 30,000:
    // March 2024 (year ending March 2024) uses it: 3 × 10,000 ÷ 30,000 = 1.0. April 2024 is in
    // the year ending March 2025 and uses mid-2024 (20,000): at 30 April Amy, Dan, Fay and Eve
    // are looked after: 4 × 10,000 ÷ 20,000 = 2.0.
    h.council(PopulationEstimated {
        mid_year: 2023,
        aged_0_to_17: 30_000,
    });
    assert_eq!(
        ndv(&h.figure("CLA-01", "2024-03", TODAY)),
        (Some(3.0), Some(30_000.0), Some(1.0))
    );
    assert_eq!(
        ndv(&h.figure("CLA-01", "2024-04", TODAY)),
        (Some(4.0), Some(20_000.0), Some(2.0))
    );
}

// ---- Starting and ceasing ------------------------------------------------------------------

fn comings_and_goings() -> History {
    let mut h = History::new();
    // Amy: two periods of care in 2023/24, the first starting on 1 April 2023 and ending with a
    // planned return home (E4A); the second ending in adoption (E11) on 31 March 2024.
    let amy = h.child(1, "2016-01-01");
    into_care(&mut h, amy, 1, "C2", "U1", "2023-04-01");
    leaves_care(&mut h, amy, 1, "E4A", "2023-08-15");
    into_care(&mut h, amy, 2, "C1", "U1", "2023-11-20");
    leaves_care(&mut h, amy, 2, "E11", "2024-03-31");
    // Ben: from 31 March 2023 (2022/23) to 1 April 2024 (2024/25), adopted (E12).
    let ben = h.child(2, "2020-01-01");
    into_care(&mut h, ben, 1, "C2", "U1", "2023-03-31");
    leaves_care(&mut h, ben, 1, "E12", "2024-04-01");
    // Cal (V3) and Dan (V4): short breaks, starting and ending in 2023/24.
    let cal = h.child(3, "2012-01-01");
    into_care(&mut h, cal, 1, "V3", "U1", "2023-05-01");
    leaves_care(&mut h, cal, 1, "E8", "2023-05-03");
    let dan = h.child(4, "2012-01-01");
    into_care(&mut h, dan, 1, "V4", "U1", "2024-02-10");
    leaves_care(&mut h, dan, 1, "E8", "2024-02-12");
    // Eve: since 2022, ceased on 1 April 2023 (E13).
    let eve = h.child(5, "2008-01-01");
    into_care(&mut h, eve, 1, "C2", "U1", "2022-01-01");
    leaves_care(&mut h, eve, 1, "E13", "2023-04-01");
    // Fay: a special guardianship order (E43) on 1 December 2023.
    // Fay and Gus are held by the children in care team until their cases close.
    let fay = h.child(6, "2014-01-01");
    into_care(&mut h, fay, 1, "C2", "U1", "2021-05-05");
    h.allocate(fay, IN_CARE, "2021-05-05");
    leaves_care(&mut h, fay, 1, "E43", "2023-12-01");
    // Gus: adopted (E12) on 29 February 2024.
    let gus = h.child(7, "2021-01-01");
    into_care(&mut h, gus, 1, "E1", "A4", "2022-02-02");
    h.allocate(gus, IN_CARE, "2022-02-02");
    leaves_care(&mut h, gus, 1, "E12", "2024-02-29");
    h
}

#[test]
fn cla02a_counts_periods_starting_not_short_breaks() {
    let h = comings_and_goings();
    // 2023/24: Amy's two periods (1 April 2023 and 20 November 2023). Cal's and Dan's short
    // breaks are left out; Ben began on 31 March 2023, the year before.
    // 2 × 10,000 ÷ 20,000 = 1.0.
    let o = h.outcome("CLA-02a", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(20_000.0), Some(1.0)));
    assert_eq!(met_subjects(&o), vec![(1, true), (1, true)]);
    assert_eq!(left(&o), vec![(3, SHORT_BREAKS), (4, SHORT_BREAKS)]);
    // 2022/23 holds Ben's start alone: 0.5.
    let o = h.outcome("CLA-02a", "2022/23", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(20_000.0), Some(0.5)));
    assert_eq!(met_subjects(&o), vec![(2, true)]);
}

#[test]
fn cla02b_counts_periods_ending_not_short_breaks() {
    let h = comings_and_goings();
    // 2023/24: Amy twice (15 August, 31 March), Eve (1 April 2023), Fay (1 December), Gus
    // (29 February) = 5; the short breaks do not count; Ben's end on 1 April 2024 is next year.
    // 5 × 10,000 ÷ 20,000 = 2.5.
    let o = h.outcome("CLA-02b", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(5.0), Some(20_000.0), Some(2.5)));
    assert_eq!(
        met_subjects(&o),
        vec![(1, true), (1, true), (5, true), (6, true), (7, true)]
    );
    // 2024/25 (known to 30 June): Ben alone, 0.5.
    let o = h.outcome("CLA-02b", "2024/25", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(20_000.0), Some(0.5)));
    assert_eq!(met_subjects(&o), vec![(2, true)]);
    // The children in care team's endings (Fay, Gus) are counted, but a rate is for the council.
    let o = h.outcome_for("CLA-02b", "2023/24", Scope::Team(IN_CARE), TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), None, None));
}

#[test]
fn cla13_shares_periods_ending_by_reason() {
    let h = comings_and_goings();
    // The five periods ending in 2023/24: E4A (Amy), E11 (Amy), E13 (Eve), E43 (Fay), E12 (Gus).
    // SGO: Fay, 1 of 5 = 20%.
    let o = h.outcome("CLA-13a", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(5.0), Some(20.0)));
    assert_eq!(
        met_subjects(&o),
        vec![(1, false), (1, false), (5, false), (6, true), (7, false)]
    );
    // Adoption (E11 or E12): Amy's second period and Gus, 2 of 5 = 40%.
    let o = h.outcome("CLA-13b", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(5.0), Some(40.0)));
    // Home as planned (E4A): Amy's first period, 1 of 5 = 20%.
    let o = h.outcome("CLA-13c", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(5.0), Some(20.0)));
    // Fay's and Gus's allocations ended the day their periods did; the endings still belong to
    // the children in care team: SGO 1 of 2, adoption 1 of 2, home 0 of 2.
    let team = Scope::Team(IN_CARE);
    let o = h.outcome_for("CLA-13a", "2023/24", team, TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.0), Some(50.0)));
    assert_eq!(met_subjects(&o), vec![(6, true), (7, false)]);
    let o = h.outcome_for("CLA-13b", "2023/24", team, TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.0), Some(50.0)));
    let o = h.outcome_for("CLA-13c", "2023/24", team, TODAY);
    assert_eq!(ndv(&o.figure), (Some(0.0), Some(2.0), Some(0.0)));
    // 2024/25 so far: Ben's adoption on 1 April, 1 of 1.
    let o = h.outcome("CLA-13b", "2024/25", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(1.0), Some(100.0)));
    let o = h.outcome("CLA-13a", "2024/25", TODAY);
    assert_eq!(ndv(&o.figure), (Some(0.0), Some(1.0), Some(0.0)));
}

// ---- Placements ----------------------------------------------------------------------------

#[test]
fn cla03_counts_placements_in_the_year_not_changes_of_legal_status() {
    let mut h = History::new();
    // Ben: U1 from May, a change of legal status only in August, then U3 in January: 2.
    let ben = h.child(2, "2012-01-01");
    into_care(&mut h, ben, 1, "C2", "U1", "2023-05-01");
    legal_change(&mut h, ben, 1, "C1", "2023-08-01");
    moves(&mut h, ben, 1, "U3", "2024-01-15");
    h.allocate(ben, SAFEGUARDING, "2023-05-01");
    // Cal: two periods of care: U1 then R1 in the first, U2 in the second: 3.
    let cal = h.child(3, "2012-01-01");
    into_care(&mut h, cal, 1, "C2", "U1", "2023-04-10");
    moves(&mut h, cal, 1, "R1", "2023-05-01");
    leaves_care(&mut h, cal, 1, "E4A", "2023-07-01");
    into_care(&mut h, cal, 2, "C2", "U2", "2023-12-01");
    h.allocate(cal, IN_CARE, "2023-12-01");
    // Dan: three placements, but on short breaks at the end: not counted at all.
    let dan = h.child(4, "2012-01-01");
    into_care(&mut h, dan, 1, "V3", "U1", "2023-06-01");
    moves(&mut h, dan, 1, "U4", "2023-09-01");
    moves(&mut h, dan, 1, "U5", "2024-01-01");
    // Eve: U1 since 2022 until she moved to U2 on 1 April 2023, the first day of the year, then
    // U3 in October: U1 was not in force during the year, so 2.
    let eve = h.child(5, "2012-01-01");
    into_care(&mut h, eve, 1, "C2", "U1", "2022-01-01");
    moves(&mut h, eve, 1, "U2", "2023-04-01");
    moves(&mut h, eve, 1, "U3", "2023-10-01");
    h.allocate(eve, SAFEGUARDING, "2022-01-01");
    // Fay: U1, U2, then back to U1: a return to earlier carers is a move too: 3.
    let fay = h.child(6, "2012-01-01");
    into_care(&mut h, fay, 1, "C2", "U1", "2023-06-01");
    moves(&mut h, fay, 1, "U2", "2023-08-01");
    moves(&mut h, fay, 1, "U1", "2023-12-01");
    h.allocate(fay, IN_CARE, "2023-06-01");

    // Looked after at 31 March 2024: Ben, Cal, Eve, Fay. Three or more: Cal, Fay. 2 of 4.
    let o = h.outcome("CLA-03", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(4.0), Some(50.0)));
    assert_eq!(
        met_subjects(&o),
        vec![(2, false), (3, true), (5, false), (6, true)]
    );
    let placements: Vec<_> = o.items.iter().map(|i| i.value).collect();
    assert_eq!(placements, vec![Some(2.0), Some(3.0), Some(2.0), Some(3.0)]);
    // By team: children in care hold Cal and Fay (2 of 2); safeguarding Ben and Eve (0 of 2).
    let o = h.outcome_for("CLA-03", "2023/24", Scope::Team(IN_CARE), TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(2.0), Some(100.0)));
    let o = h.outcome_for("CLA-03", "2023/24", Scope::Team(SAFEGUARDING), TODAY);
    assert_eq!(ndv(&o.figure), (Some(0.0), Some(2.0), Some(0.0)));
}

/// The placement held at the start of the year counts even when the episode then in force began
/// with a change of legal status alone, before the year. (Found counting 2 here; fixed in
/// `care::three_placements`.)
#[test]
fn cla03_counts_the_placement_held_at_the_start_after_an_earlier_legal_change() {
    let mut h = History::new();
    // Amy: U1 from 10 January 2023; a change of legal status alone on 1 February 2023 (still
    // U1); U4 from 1 June 2023; K2 from 2 October 2023. During 2023/24 she lived in U1 (until
    // 1 June), U4 and K2: three placements.
    let amy = h.child(1, "2012-01-01");
    into_care(&mut h, amy, 1, "C2", "U1", "2023-01-10");
    legal_change(&mut h, amy, 1, "C1", "2023-02-01");
    moves(&mut h, amy, 1, "U4", "2023-06-01");
    moves(&mut h, amy, 1, "K2", "2023-10-02");
    let o = h.outcome("CLA-03", "2023/24", TODAY);
    assert_eq!(o.items[0].value, Some(3.0));
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(1.0), Some(100.0)));
}

#[test]
fn cla03b_counts_placements_over_two_years_for_children_in_care_that_long() {
    let mut h = History::new();
    // At 31 March 2024 the two years run from 1 April 2022; in care since 31 March 2022 or before.
    // Amy: in care since 1 March 2022 in U1, U2 from 1 March 2023, U3 from 1 March 2024. The U1
    // placement was in force on 1 April 2022: three placements, met.
    let amy = h.child(1, "2012-01-01");
    into_care(&mut h, amy, 1, "C2", "U1", "2022-03-01");
    moves(&mut h, amy, 1, "U2", "2023-03-01");
    moves(&mut h, amy, 1, "U3", "2024-03-01");
    // Ben: in care since 31 March 2022 exactly (two years to the day); moved on 1 April 2022
    // (U1 ended the day the window opened, so it does not count), then a change of legal
    // status alone, then one more move: U2 and U3, two placements, not met.
    let ben = h.child(2, "2012-01-01");
    into_care(&mut h, ben, 1, "C2", "U1", "2022-03-31");
    moves(&mut h, ben, 1, "U2", "2022-04-01");
    legal_change(&mut h, ben, 1, "C1", "2023-01-01");
    moves(&mut h, ben, 1, "U3", "2023-06-01");
    // Cal: three placements, but in care only since 1 April 2022, one day short: not counted.
    let cal = h.child(3, "2012-01-01");
    into_care(&mut h, cal, 1, "C2", "U1", "2022-04-01");
    moves(&mut h, cal, 1, "U2", "2022-09-01");
    moves(&mut h, cal, 1, "U3", "2023-09-01");
    // Dee: in care three years, but on short breaks (V3): not counted.
    let dee = h.child(4, "2012-01-01");
    into_care(&mut h, dee, 1, "V3", "U1", "2021-03-01");
    // Amy and Ben count; Amy has three placements: 1 of 2.
    let o = h.outcome("CLA-03b", "at:2024-03-31", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.0), Some(50.0)));
    assert_eq!(met_subjects(&o), vec![(1, true), (2, false)]);
    let placements: Vec<_> = o.items.iter().map(|i| i.value).collect();
    assert_eq!(placements, vec![Some(3.0), Some(2.0)]);
}

#[test]
fn cla04_counts_long_term_stability_for_children_under_16() {
    let mut h = History::new();
    // At 31 March 2024: looked after 2.5 years means since 30 September 2021 or before; the same
    // placement two years means since 31 March 2022 or before.
    // Amy (12): in U1 since June 2021; a change of legal status alone in January 2022: met.
    let amy = h.child(1, "2012-01-01");
    into_care(&mut h, amy, 1, "C2", "U1", "2021-06-01");
    legal_change(&mut h, amy, 1, "C1", "2022-01-10");
    // Ben (13): in care exactly 2.5 years (from 30 September 2021), but moved on 1 April 2022,
    // one day short of two years: not met.
    let ben = h.child(2, "2010-05-01");
    into_care(&mut h, ben, 1, "C2", "U1", "2021-09-30");
    moves(&mut h, ben, 1, "U4", "2022-04-01");
    // Cal (13): placed for adoption (A4) in November 2023: met.
    let cal = h.child(3, "2011-03-01");
    into_care(&mut h, cal, 1, "C2", "U1", "2020-01-01");
    moves(&mut h, cal, 1, "A4", "2023-11-01");
    // Dan: born on 29 February 2008, 16 on 29 February 2024: left out at 31 March.
    let dan = h.child(4, "2008-02-29");
    into_care(&mut h, dan, 1, "C2", "U1", "2019-01-01");
    // Eve: in care from 1 October 2021, a day short of 2.5 years: left out.
    let eve = h.child(5, "2013-01-01");
    into_care(&mut h, eve, 1, "C2", "U1", "2021-10-01");
    // Fay: on short breaks for years: not looked after.
    let fay = h.child(6, "2012-06-01");
    into_care(&mut h, fay, 1, "V3", "U1", "2020-01-01");

    // Amy, Ben, Cal: Amy and Cal met, 2 of 3.
    let o = h.outcome("CLA-04", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(3.0), Some(66.7)));
    assert_eq!(met_subjects(&o), vec![(1, true), (2, false), (3, true)]);
    // At 28 February 2024 Dan is still 15 and in one placement since 2019: counted and met.
    // 2.5 years before is 28 August 2021, so Ben (30 September 2021) is left out: 3 of 3.
    let o = h.outcome("CLA-04", "at:2024-02-28", TODAY);
    assert_eq!(ndv(&o.figure), (Some(3.0), Some(3.0), Some(100.0)));
    assert_eq!(met_subjects(&o), vec![(1, true), (3, true), (4, true)]);
    // On 29 February 2024 Dan turns 16: Amy and Cal, 2 of 2.
    let o = h.outcome("CLA-04", "at:2024-02-29", TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(2.0), Some(100.0)));
    assert_eq!(met_subjects(&o), vec![(1, true), (3, true)]);
}

// ---- Reviews and visits ----------------------------------------------------------------------

#[test]
fn cla05_reviews_fall_due_in_working_days_then_months() {
    let mut h = History::new();
    // Amy: in care from Friday 1 December 2023. 20 working days: 4-8, 11-15, 18-22 December
    // (15), 27, 28, 29 December (18; 25 and 26 are bank holidays), 2 and 3 January (20; 1
    // January is a bank holiday): due Wednesday 3 January 2024. Held 3 January: on time.
    // Second due three months after the first: 3 April 2024; held 5 April: late.
    let amy = h.child(1, "2015-01-01");
    into_care(&mut h, amy, 1, "C2", "U1", "2023-12-01");
    review(&mut h, amy, 2, 1, "2024-01-03");
    review(&mut h, amy, 3, 1, "2024-04-05");
    // Ben: from Monday 26 February 2024: 27, 28, 29 February, 1 March (4), 4-8 (9), 11-15 (14),
    // 18-22 (19), 25 March (20): due Monday 25 March. Never held.
    let ben = h.child(2, "2015-01-01");
    into_care(&mut h, ben, 1, "C2", "U1", "2024-02-26");
    // Cal: from Wednesday 6 March 2024: 7, 8 (2), 11-15 (7), 18-22 (12), 25-28 (16), then Good
    // Friday and Easter Monday, 2-5 April (20): due Friday 5 April, in 2024/25. Held that day.
    let cal = h.child(3, "2015-01-01");
    into_care(&mut h, cal, 1, "C2", "U1", "2024-03-06");
    review(&mut h, cal, 2, 1, "2024-04-05");
    // Eve: from Monday 3 April 2023: 4-6 (3), Good Friday 7 and Easter Monday 10 April, 11-14
    // (7), 17-21 (12), 24-28 (17), 1 May a bank holiday, 2-4 May (20): due Thursday 4 May 2023.
    // Held 2 May; second due 2 August, held 1 August; third due 1 February 2024, held then;
    // fourth due 1 August 2024.
    let eve = h.child(5, "2015-01-01");
    into_care(&mut h, eve, 1, "C2", "U1", "2023-04-03");
    review(&mut h, eve, 2, 1, "2023-05-02");
    review(&mut h, eve, 3, 1, "2023-08-01");
    review(&mut h, eve, 4, 1, "2024-02-01");
    // Fay: short breaks, never reviewed: not counted.
    let fay = h.child(6, "2015-01-01");
    into_care(&mut h, fay, 1, "V3", "U1", "2023-06-01");

    // 2023/24: Eve's three (on time), Amy's first (on time), Ben's first (missed): 4 of 5.
    let o = h.outcome("CLA-05", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(4.0), Some(5.0), Some(80.0)));
    assert_eq!(
        met_subjects(&o),
        vec![(1, true), (2, false), (5, true), (5, true), (5, true)]
    );
    // 2024/25 to 30 June: Amy's second (due 3 April, late) and Cal's first (5 April, on time):
    // 1 of 2. Amy's third falls due 5 October, Eve's fourth 1 August: not yet.
    let o = h.outcome("CLA-05", "2024/25", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.0), Some(50.0)));
    assert_eq!(met_subjects(&o), vec![(1, false), (3, true)]);
    // Read on 3 April 2024, Amy's second review is due that day and not yet held: left out.
    let o = h.outcome("CLA-05", "2024-04", "2024-04-03");
    assert_eq!(ndv(&o.figure), (Some(0.0), Some(0.0), None));
    assert_eq!(left(&o), vec![(1, "due today and not yet held")]);
}

#[test]
fn cla06_visits_within_six_weeks_or_a_week_in_care() {
    let mut h = History::new();
    // Amy: last visited 18 February 2024, 42 days before 31 March (2024 is a leap year): met.
    let amy = h.child(1, "2012-01-01");
    into_care(&mut h, amy, 1, "C2", "U1", "2023-01-01");
    visit(&mut h, amy, 2, VisitKind::LookedAfter, "2024-02-18");
    h.allocate(amy, IN_CARE, "2023-01-01");
    // Ben: last looked-after visit 17 February, 43 days: not met. A child protection visit on
    // 20 March is not a looked-after visit.
    let ben = h.child(2, "2012-01-01");
    into_care(&mut h, ben, 1, "C2", "U1", "2023-06-01");
    visit(&mut h, ben, 2, VisitKind::LookedAfter, "2024-02-17");
    visit(&mut h, ben, 3, VisitKind::ChildProtection, "2024-03-20");
    h.allocate(ben, IN_CARE, "2023-06-01");
    // Cal: came into care on 26 March, 5 days before: met without a visit.
    let cal = h.child(3, "2012-01-01");
    into_care(&mut h, cal, 1, "C2", "U1", "2024-03-26");
    h.allocate(cal, SAFEGUARDING, "2024-03-26");
    // Dan: came into care on 20 March, 11 days before, not visited: not met.
    let dan = h.child(4, "2012-01-01");
    into_care(&mut h, dan, 1, "C2", "U1", "2024-03-20");
    h.allocate(dan, SAFEGUARDING, "2024-03-20");
    // Eve: visited on 10 March, before she came into care on 15 March: that visit does not
    // count, and 16 days in care is more than a week: not met.
    let eve = h.child(5, "2012-01-01");
    visit(&mut h, eve, 1, VisitKind::LookedAfter, "2024-03-10");
    into_care(&mut h, eve, 2, "C2", "U1", "2024-03-15");
    h.allocate(eve, SAFEGUARDING, "2024-03-15");
    // Fay: short breaks, never visited: not counted.
    let fay = h.child(6, "2012-01-01");
    into_care(&mut h, fay, 1, "V3", "U1", "2023-01-01");

    // 31 March: Amy and Cal of five, 40%.
    let o = h.outcome("CLA-06", "2024-03", TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(5.0), Some(40.0)));
    assert_eq!(
        met_subjects(&o),
        vec![(1, true), (2, false), (3, true), (4, false), (5, false)]
    );
    let days: Vec<_> = o.items.iter().map(|i| i.value).collect();
    assert_eq!(
        days,
        vec![Some(42.0), Some(43.0), Some(5.0), Some(11.0), Some(16.0)]
    );
    // By team: children in care (Amy, Ben) 1 of 2; safeguarding (Cal, Dan, Eve) 1 of 3.
    let o = h.outcome_for("CLA-06", "2024-03", Scope::Team(IN_CARE), TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.0), Some(50.0)));
    let o = h.outcome_for("CLA-06", "2024-03", Scope::Team(SAFEGUARDING), TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(3.0), Some(33.3)));
    // A day earlier, 30 March: Amy 41 days, Ben 42 (met), Cal 4 days in care: 3 of 5.
    let o = h.outcome("CLA-06", "at:2024-03-30", TODAY);
    assert_eq!(ndv(&o.figure), (Some(3.0), Some(5.0), Some(60.0)));
}

#[test]
fn cla07_permanence_plan_by_the_second_review_of_each_period() {
    let mut h = History::new();
    // Amy: second review 15 December 2023; plan made 1 November: met.
    let amy = h.child(1, "2018-01-01");
    into_care(&mut h, amy, 1, "C2", "U1", "2023-09-01");
    review(&mut h, amy, 2, 1, "2023-09-28");
    review(&mut h, amy, 3, 1, "2023-12-15");
    plan(&mut h, amy, PermanencePlan::Adoption, "2023-11-01");
    // Ben: second review 20 January 2024; plan made the day after: not met.
    let ben = h.child(2, "2018-01-01");
    into_care(&mut h, ben, 1, "C2", "U1", "2023-10-02");
    review(&mut h, ben, 2, 1, "2023-10-30");
    review(&mut h, ben, 3, 1, "2024-01-20");
    plan(&mut h, ben, PermanencePlan::LongTermFostering, "2024-01-21");
    // Cal: second review on 2 April 2024, in the next statutory year; plan made in March.
    let cal = h.child(3, "2018-01-01");
    into_care(&mut h, cal, 1, "C2", "U1", "2024-01-08");
    review(&mut h, cal, 2, 1, "2024-02-01");
    review(&mut h, cal, 3, 1, "2024-04-02");
    plan(&mut h, cal, PermanencePlan::Reunification, "2024-03-01");
    // Dan: a first period in 2022 with a plan before its second review (28 April 2022); a second
    // period from June 2023 whose second review (28 September 2023) had no plan made in that
    // period: not met. His third review (March 2024) is not a second review.
    let dan = h.child(4, "2018-01-01");
    into_care(&mut h, dan, 1, "C2", "U1", "2022-01-01");
    review(&mut h, dan, 2, 1, "2022-01-28");
    plan(
        &mut h,
        dan,
        PermanencePlan::SpecialGuardianship,
        "2022-03-01",
    );
    review(&mut h, dan, 3, 1, "2022-04-28");
    leaves_care(&mut h, dan, 1, "E4A", "2022-12-01");
    into_care(&mut h, dan, 4, "C2", "U1", "2023-06-01");
    review(&mut h, dan, 5, 4, "2023-06-29");
    review(&mut h, dan, 6, 4, "2023-09-28");
    review(&mut h, dan, 7, 4, "2024-03-28");

    // 2023/24: Amy (met), Ben, Dan's second period: 1 of 3.
    let o = h.outcome("CLA-07", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(3.0), Some(33.3)));
    assert_eq!(met_subjects(&o), vec![(1, true), (2, false), (4, false)]);
    assert_eq!(o.items[2].record, Some(r(6)));
    // 2022/23: Dan's first period, 1 of 1.
    let o = h.outcome("CLA-07", "2022/23", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(1.0), Some(100.0)));
    // 2024/25: Cal, 1 of 1.
    let o = h.outcome("CLA-07", "2024/25", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(1.0), Some(100.0)));
    assert_eq!(met_subjects(&o), vec![(3, true)]);
}

// ---- Where children live -----------------------------------------------------------------------

#[test]
fn cla09_placement_types_at_the_end() {
    let mut h = History::new();
    let kinds = [
        (1, "U3"), // Amy: foster care
        (2, "K2"), // Ben: a children's home
        (3, "P1"), // Cal: with parents
        (4, "H5"), // Dan: semi-independent living
        (6, "R1"), // Fay: none of the four
    ];
    for (id, place) in kinds {
        let c = h.child(id, "2010-01-01");
        into_care(&mut h, c, 1, "C2", place, "2023-01-01");
    }
    // Eve: fostered (U1) until she moved to a children's home (K1) on 31 March itself.
    let eve = h.child(5, "2010-01-01");
    into_care(&mut h, eve, 1, "C2", "U1", "2023-01-01");
    moves(&mut h, eve, 1, "K1", "2024-03-31");
    // Gus: short breaks in foster care: not looked after.
    let gus = h.child(7, "2010-01-01");
    into_care(&mut h, gus, 1, "V3", "U1", "2023-01-01");
    // Hal: in independent living (P2) until he left care on 31 March.
    let hal = h.child(8, "2006-01-01");
    into_care(&mut h, hal, 1, "C2", "P2", "2023-01-01");
    leaves_care(&mut h, hal, 1, "E8", "2024-03-31");

    // 31 March: Amy, Ben, Cal, Dan, Eve, Fay (6).
    // Foster (U1-U6): Amy, 1 of 6 = 16.7%.
    let o = h.outcome("CLA-09a", "2024-03", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(6.0), Some(16.7)));
    assert_eq!(
        met_subjects(&o),
        vec![
            (1, true),
            (2, false),
            (3, false),
            (4, false),
            (5, false),
            (6, false)
        ]
    );
    // Children's homes (K1, K2): Ben and Eve, 2 of 6 = 33.3%.
    let o = h.outcome("CLA-09b", "2024-03", TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(6.0), Some(33.3)));
    // With parents (P1): Cal, 16.7%.
    let o = h.outcome("CLA-09c", "2024-03", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(6.0), Some(16.7)));
    // Independent or semi-independent (H5, P2): Dan, 16.7%.
    let o = h.outcome("CLA-09d", "2024-03", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(6.0), Some(16.7)));

    // 30 March: Hal is still looked after and Eve still fostered (7 children).
    // Foster: Amy, Eve, 2 of 7 = 28.6%; homes: Ben, 14.3%; parents: Cal, 14.3%;
    // independent: Dan and Hal, 28.6%.
    let at = "at:2024-03-30";
    assert_eq!(
        ndv(&h.figure("CLA-09a", at, TODAY)),
        (Some(2.0), Some(7.0), Some(28.6))
    );
    assert_eq!(
        ndv(&h.figure("CLA-09b", at, TODAY)),
        (Some(1.0), Some(7.0), Some(14.3))
    );
    assert_eq!(
        ndv(&h.figure("CLA-09c", at, TODAY)),
        (Some(1.0), Some(7.0), Some(14.3))
    );
    assert_eq!(
        ndv(&h.figure("CLA-09d", at, TODAY)),
        (Some(2.0), Some(7.0), Some(28.6))
    );
}

// ---- Health and education ------------------------------------------------------------------------

#[test]
fn cla10_health_and_dental_checks_in_the_last_twelve_months() {
    let mut h = History::new();
    // At 31 March 2024, looked after 12 months means since 31 March 2023 or before, and "in the
    // last 12 months" means after 31 March 2023.
    // Amy: in care from 31 March 2023; health assessment 1 April 2023 (in); dental check
    // 31 March 2023 (a year to the day: out).
    let amy = h.child(1, "2012-01-01");
    into_care(&mut h, amy, 1, "C2", "U1", "2023-03-31");
    check(&mut h, amy, "health", "2023-04-01");
    check(&mut h, amy, "dental", "2023-03-31");
    // Ben: in care from 1 April 2023: not yet 12 months.
    let ben = h.child(2, "2012-01-01");
    into_care(&mut h, ben, 1, "C2", "U1", "2023-04-01");
    // Cal: health assessment on 29 February 2024, dental check on 31 March 2024.
    let cal = h.child(3, "2012-01-01");
    into_care(&mut h, cal, 1, "C2", "U1", "2020-01-01");
    check(&mut h, cal, "health", "2024-02-29");
    check(&mut h, cal, "dental", "2024-03-31");
    // Dan: no checks.
    let dan = h.child(4, "2012-01-01");
    into_care(&mut h, dan, 1, "C2", "U1", "2021-01-01");
    // Eve: years in care before, but her current period began on 1 June 2023.
    let eve = h.child(5, "2012-01-01");
    into_care(&mut h, eve, 1, "C2", "U1", "2020-01-01");
    leaves_care(&mut h, eve, 1, "E4A", "2023-01-01");
    into_care(&mut h, eve, 2, "C2", "U1", "2023-06-01");
    check(&mut h, eve, "health", "2023-07-01");

    // Amy, Cal, Dan. Health: Amy and Cal, 2 of 3; dental: Cal, 1 of 3.
    let o = h.outcome("CLA-10a", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(3.0), Some(66.7)));
    assert_eq!(met_subjects(&o), vec![(1, true), (3, true), (4, false)]);
    let o = h.outcome("CLA-10b", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(3.0), Some(33.3)));
    assert_eq!(met_subjects(&o), vec![(1, false), (3, true), (4, false)]);
    // At 28 February 2025 the year runs from 29 February 2024: Cal's leap-day assessment is in
    // it. All five have been in care 12 months by then; only Cal is up to date: 1 of 5.
    let o = h.outcome("CLA-10a", "at:2025-02-28", "2025-03-31");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(5.0), Some(20.0)));
    assert_eq!(
        met_subjects(&o),
        vec![(1, false), (2, false), (3, true), (4, false), (5, false)]
    );
    let o = h.outcome("CLA-10b", "at:2025-02-28", "2025-03-31");
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(5.0), Some(20.0)));
}

#[test]
fn cla14_personal_education_plans_for_children_of_school_age() {
    let mut h = History::new();
    // At 31 March 2024 "the last six months" means after 30 September 2023.
    // Amy (13): PEP 1 October 2023: met.
    let amy = h.child(1, "2010-06-01");
    into_care(&mut h, amy, 1, "C2", "U1", "2022-01-01");
    h.on(
        amy,
        PepCompleted {
            at: d("2023-10-01"),
        },
    );
    // Ben: 5 on 31 March 2024; PEP 30 September 2023, six months to the day: not met.
    let ben = h.child(2, "2019-03-31");
    into_care(&mut h, ben, 1, "C2", "U1", "2022-01-01");
    h.on(
        ben,
        PepCompleted {
            at: d("2023-09-30"),
        },
    );
    // Cal: 4 until 1 April 2024: not of school age at 31 March.
    let cal = h.child(3, "2019-04-01");
    into_care(&mut h, cal, 1, "C2", "U1", "2022-01-01");
    // Dan: 16 on 31 March 2024: too old, whatever his PEP.
    let dan = h.child(4, "2008-03-31");
    into_care(&mut h, dan, 1, "C2", "U1", "2022-01-01");
    h.on(
        dan,
        PepCompleted {
            at: d("2024-01-01"),
        },
    );
    // Eve: 15 until 1 April 2024; PEP on 31 March: met.
    let eve = h.child(5, "2008-04-01");
    into_care(&mut h, eve, 1, "C2", "U1", "2022-01-01");
    h.on(
        eve,
        PepCompleted {
            at: d("2024-03-31"),
        },
    );
    // Fay (10): short breaks: not counted.
    let fay = h.child(6, "2014-01-01");
    into_care(&mut h, fay, 1, "V3", "U1", "2022-01-01");

    // Amy, Ben, Eve: 2 of 3.
    let o = h.outcome("CLA-14", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(3.0), Some(66.7)));
    assert_eq!(met_subjects(&o), vec![(1, true), (2, false), (5, true)]);
    // At 30 April 2024 (six months back to 30 October 2023): Cal is now 5 and Eve 16. Amy's PEP
    // is too old: Amy, Ben, Cal, 0 of 3.
    let o = h.outcome("CLA-14", "2024-04", TODAY);
    assert_eq!(ndv(&o.figure), (Some(0.0), Some(3.0), Some(0.0)));
    assert_eq!(met_subjects(&o), vec![(1, false), (2, false), (3, false)]);
}

// ---- Workers -----------------------------------------------------------------------------------

#[test]
fn cla12_children_with_three_or_more_workers_in_the_year() {
    let mut h = History::new();
    let extra = WorkerId(11);
    h.worker_joins(
        extra,
        IN_CARE,
        WorkerRole::SocialWorker,
        Employment::Permanent,
        1.0,
        "2020-01-01",
    );
    // Amy: front door until 1 April 2023 (so not during 2023/24), then the assessment worker,
    // the children in care team's worker and a second worker there: 3.
    let amy = h.child(1, "2015-01-01");
    into_care(&mut h, amy, 1, "C2", "U1", "2023-01-10");
    h.allocate(amy, FRONT_DOOR, "2023-01-10");
    h.allocate(amy, ASSESSMENT, "2023-04-01");
    h.allocate(amy, IN_CARE, "2023-09-01");
    allocate_to(&mut h, amy, extra, IN_CARE, "2024-01-10");
    // Ben: front door until 2 April 2023 (one day of the year), then assessment, then in care: 3.
    let ben = h.child(2, "2015-01-01");
    into_care(&mut h, ben, 1, "C2", "U1", "2023-03-01");
    h.allocate(ben, FRONT_DOOR, "2023-03-01");
    h.allocate(ben, ASSESSMENT, "2023-04-02");
    h.allocate(ben, IN_CARE, "2023-06-01");
    // Cal: one worker.
    let cal = h.child(3, "2015-01-01");
    into_care(&mut h, cal, 1, "C2", "U1", "2022-01-01");
    h.allocate(cal, SAFEGUARDING, "2022-01-01");
    // Dan: in care, safeguarding, back to in care: two different workers.
    let dan = h.child(4, "2015-01-01");
    into_care(&mut h, dan, 1, "C2", "U1", "2022-01-01");
    h.allocate(dan, IN_CARE, "2023-01-01");
    h.allocate(dan, SAFEGUARDING, "2023-07-01");
    h.allocate(dan, IN_CARE, "2023-11-01");

    // Amy and Ben of four: 50%.
    let o = h.outcome("CLA-12", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(4.0), Some(50.0)));
    assert_eq!(
        met_subjects(&o),
        vec![(1, true), (2, true), (3, false), (4, false)]
    );
    let workers: Vec<_> = o.items.iter().map(|i| i.value).collect();
    assert_eq!(workers, vec![Some(3.0), Some(3.0), Some(1.0), Some(2.0)]);
    // The children in care team holds Amy, Ben and Dan at the year end: 2 of 3.
    let o = h.outcome_for("CLA-12", "2023/24", Scope::Team(IN_CARE), TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(3.0), Some(66.7)));
    // The extra worker holds Amy alone.
    let o = h.outcome_for("CLA-12", "2023/24", Scope::Worker(extra), TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(1.0), Some(100.0)));
}

// ---- Missing ---------------------------------------------------------------------------------------

#[test]
fn mis01_children_looked_after_in_the_period_who_went_missing() {
    let mut h = History::new();
    // Amy: looked after; missing from 22:00 on 29 February 2024.
    let amy = h.child(1, "2009-01-01");
    into_care(&mut h, amy, 1, "C2", "U1", "2023-05-01");
    missing(&mut h, amy, 2, "2024-02-29 22:00", "2024-03-01 06:00");
    // Ben: looked after; his only episode began at 23:00 on 31 December 2023.
    let ben = h.child(2, "2009-01-01");
    into_care(&mut h, ben, 1, "C2", "U1", "2023-05-01");
    missing(&mut h, ben, 2, "2023-12-31 23:00", "2024-01-01 03:00");
    // Cal: left care on 15 January 2024 and went missing in March: looked after during the
    // quarter, with an episode starting in it.
    let cal = h.child(3, "2009-01-01");
    into_care(&mut h, cal, 1, "C2", "U1", "2023-01-01");
    leaves_care(&mut h, cal, 1, "E4A", "2024-01-15");
    missing(&mut h, cal, 2, "2024-03-10 18:00", "2024-03-11 09:00");
    // Dan: never looked after.
    let dan = h.child(4, "2009-01-01");
    missing(&mut h, dan, 1, "2024-02-10 18:00", "2024-02-11 09:00");
    // Eve: short breaks only.
    let eve = h.child(5, "2009-01-01");
    into_care(&mut h, eve, 1, "V3", "U1", "2023-01-01");
    missing(&mut h, eve, 2, "2024-02-14 18:00", "2024-02-14 22:00");
    // Fay: came into care on 31 March 2024 and did not go missing.
    let fay = h.child(6, "2009-01-01");
    into_care(&mut h, fay, 1, "C2", "U1", "2024-03-31");

    // January to March 2024: Amy, Ben, Cal, Fay looked after; Amy and Cal went missing: 50%.
    let o = h.outcome("MIS-01", "2024-Q1", TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(4.0), Some(50.0)));
    assert_eq!(
        met_subjects(&o),
        vec![(1, true), (2, false), (3, true), (6, false)]
    );
    // October to December 2023: Amy, Ben, Cal; Ben went missing on New Year's Eve: 1 of 3.
    let o = h.outcome("MIS-01", "2023-Q4", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(3.0), Some(33.3)));
    assert_eq!(met_subjects(&o), vec![(1, false), (2, true), (3, false)]);
}

// ---- Adoption and permanence -------------------------------------------------------------------------

#[test]
fn ado01_days_from_entering_care_to_an_adoptive_placement() {
    let mut h = History::new();
    // Amy: in care 15 June 2022, placed 10 May 2023: 329 days.
    let amy = h.child(1, "2021-01-01");
    into_care(&mut h, amy, 1, "C2", "U1", "2022-06-15");
    step(&mut h, amy, PermanenceStep::PlacedForAdoption, "2023-05-10");
    // Ben: in care 1 January 2023, placed 29 February 2024: 365 + 59 = 424 days.
    let ben = h.child(2, "2022-06-01");
    into_care(&mut h, ben, 1, "C2", "U1", "2023-01-01");
    step(&mut h, ben, PermanenceStep::PlacedForAdoption, "2024-02-29");
    // Cal: placed 2 April 2024, next year.
    let cal = h.child(3, "2022-06-01");
    into_care(&mut h, cal, 1, "C2", "U1", "2023-01-01");
    step(&mut h, cal, PermanenceStep::PlacedForAdoption, "2024-04-02");
    // Dan: recorded as placed for adoption but never looked after: left out.
    let dan = h.child(4, "2022-06-01");
    step(&mut h, dan, PermanenceStep::PlacedForAdoption, "2023-07-01");
    // Eve: an earlier period of care in 2019; the clock runs from her second, 1 March 2023, to
    // 1 September 2023: 184 days.
    let eve = h.child(5, "2018-06-01");
    into_care(&mut h, eve, 1, "C2", "U1", "2019-01-01");
    leaves_care(&mut h, eve, 1, "E4A", "2020-01-01");
    into_care(&mut h, eve, 2, "C2", "U1", "2023-03-01");
    step(&mut h, eve, PermanenceStep::PlacedForAdoption, "2023-09-01");

    // (329 + 424 + 184) ÷ 3 = 937 ÷ 3 = 312.3 days.
    let o = h.outcome("ADO-01", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(937.0), Some(3.0), Some(312.3)));
    assert_eq!(nums(&o), vec![(1, 329.0), (2, 424.0), (5, 184.0)]);
    assert_eq!(left(&o), vec![(4, "not looked after when placed")]);
    // 2024/25: Cal, 1 January 2023 to 2 April 2024: 365 + 92 = 457 days.
    let o = h.outcome("ADO-01", "2024/25", TODAY);
    assert_eq!(ndv(&o.figure), (Some(457.0), Some(1.0), Some(457.0)));
}

#[test]
fn ado03_and_ado04_days_to_a_match() {
    let mut h = History::new();
    // Amy: decision 10 January 2023, placement order 1 March 2023, matched 29 June 2023:
    // 120 days from the order, 170 from the decision.
    let amy = h.child(1, "2021-01-01");
    step(&mut h, amy, PermanenceStep::AdoptionDecision, "2023-01-10");
    step(&mut h, amy, PermanenceStep::PlacementOrder, "2023-03-01");
    step(&mut h, amy, PermanenceStep::Matched, "2023-06-29");
    // Ben: decision 1 October 2023, order 1 December 2023, matched 29 February 2024:
    // 31 + 31 + 28 = 90 days from the order; 31 + 30 + 90 = 151 from the decision.
    let ben = h.child(2, "2021-01-01");
    step(&mut h, ben, PermanenceStep::AdoptionDecision, "2023-10-01");
    step(&mut h, ben, PermanenceStep::PlacementOrder, "2023-12-01");
    step(&mut h, ben, PermanenceStep::Matched, "2024-02-29");
    // Cal: decision 1 November 2023, matched 15 January 2024 (75 days) with no placement order
    // on record: left out of ADO-03.
    let cal = h.child(3, "2021-01-01");
    step(&mut h, cal, PermanenceStep::AdoptionDecision, "2023-11-01");
    step(&mut h, cal, PermanenceStep::Matched, "2024-01-15");
    // Dan: matched 1 April 2024, the next year: order 1 September 2023, 213 days.
    let dan = h.child(4, "2021-01-01");
    step(&mut h, dan, PermanenceStep::AdoptionDecision, "2023-06-01");
    step(&mut h, dan, PermanenceStep::PlacementOrder, "2023-09-01");
    step(&mut h, dan, PermanenceStep::Matched, "2024-04-01");

    // ADO-03 2023/24: (120 + 90) ÷ 2 = 105 days.
    let o = h.outcome("ADO-03", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(210.0), Some(2.0), Some(105.0)));
    assert_eq!(nums(&o), vec![(1, 120.0), (2, 90.0)]);
    assert_eq!(left(&o), vec![(3, "no placement order on record")]);
    // ADO-04 2023/24: (170 + 151 + 75) ÷ 3 = 132 days.
    let o = h.outcome("ADO-04", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(396.0), Some(3.0), Some(132.0)));
    assert!(o.left.is_empty());
    // ADO-03 2024/25: Dan, 213 days.
    let o = h.outcome("ADO-03", "2024/25", TODAY);
    assert_eq!(ndv(&o.figure), (Some(213.0), Some(1.0), Some(213.0)));
}

#[test]
fn pm01_special_guardianship_assessments_under_way() {
    let mut h = History::new();
    // Amy: started 1 November 2023, no order.
    let amy = h.child(1, "2018-01-01");
    step(
        &mut h,
        amy,
        PermanenceStep::SgoAssessmentStarted,
        "2023-11-01",
    );
    // Ben: started June 2023, order made 10 January 2024.
    let ben = h.child(2, "2018-01-01");
    step(
        &mut h,
        ben,
        PermanenceStep::SgoAssessmentStarted,
        "2023-06-01",
    );
    step(&mut h, ben, PermanenceStep::SgoGranted, "2024-01-10");
    // Cal: started 1 February 2024, order on 5 April 2024.
    let cal = h.child(3, "2018-01-01");
    step(
        &mut h,
        cal,
        PermanenceStep::SgoAssessmentStarted,
        "2024-02-01",
    );
    step(&mut h, cal, PermanenceStep::SgoGranted, "2024-04-05");
    // Dan: an order in 2022 after an earlier assessment; a new assessment from 1 March 2024.
    let dan = h.child(4, "2018-01-01");
    step(
        &mut h,
        dan,
        PermanenceStep::SgoAssessmentStarted,
        "2022-03-01",
    );
    step(&mut h, dan, PermanenceStep::SgoGranted, "2022-10-01");
    step(
        &mut h,
        dan,
        PermanenceStep::SgoAssessmentStarted,
        "2024-03-01",
    );
    // Eve: starts on 1 April 2024.
    let eve = h.child(5, "2018-01-01");
    step(
        &mut h,
        eve,
        PermanenceStep::SgoAssessmentStarted,
        "2024-04-01",
    );

    // 31 March 2024: Amy, Cal, Dan.
    let o = h.outcome("PM-01", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(3.0), None, Some(3.0)));
    assert_eq!(met_subjects(&o), vec![(1, true), (3, true), (4, true)]);
    // 30 April 2024: Cal's order is made, Eve's assessment has begun: Amy, Dan, Eve.
    let o = h.outcome("PM-01", "2024-04", TODAY);
    assert_eq!(ndv(&o.figure), (Some(3.0), None, Some(3.0)));
    assert_eq!(met_subjects(&o), vec![(1, true), (4, true), (5, true)]);
}

#[test]
fn pm02_long_term_fostering_plans_matched() {
    let mut h = History::new();
    // Amy: plan of long-term fostering, matched September 2023.
    let amy = h.child(1, "2012-01-01");
    into_care(&mut h, amy, 1, "C2", "U1", "2022-01-01");
    plan(&mut h, amy, PermanencePlan::LongTermFostering, "2023-05-01");
    step(&mut h, amy, PermanenceStep::LongTermMatch, "2023-09-01");
    // Ben: the plan, no match.
    let ben = h.child(2, "2012-01-01");
    into_care(&mut h, ben, 1, "C2", "U1", "2022-01-01");
    plan(&mut h, ben, PermanencePlan::LongTermFostering, "2023-10-01");
    // Cal: long-term fostering once, adoption now: not counted.
    let cal = h.child(3, "2012-01-01");
    into_care(&mut h, cal, 1, "C2", "U1", "2022-01-01");
    plan(&mut h, cal, PermanencePlan::LongTermFostering, "2022-05-01");
    plan(&mut h, cal, PermanencePlan::Adoption, "2023-12-01");
    // Dan: matched, but left care in January: not counted.
    let dan = h.child(4, "2007-01-01");
    into_care(&mut h, dan, 1, "C2", "U1", "2020-01-01");
    plan(&mut h, dan, PermanencePlan::LongTermFostering, "2021-01-01");
    step(&mut h, dan, PermanenceStep::LongTermMatch, "2021-06-01");
    leaves_care(&mut h, dan, 1, "E8", "2024-01-31");
    // Eve: the plan, matched on 10 April 2024.
    let eve = h.child(5, "2012-01-01");
    into_care(&mut h, eve, 1, "C2", "U1", "2022-01-01");
    plan(&mut h, eve, PermanencePlan::LongTermFostering, "2023-06-01");
    step(&mut h, eve, PermanenceStep::LongTermMatch, "2024-04-10");

    // 31 March 2024: Amy, Ben, Eve have the plan; Amy matched: 1 of 3.
    let o = h.outcome("PM-02", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(3.0), Some(33.3)));
    assert_eq!(met_subjects(&o), vec![(1, true), (2, false), (5, false)]);
    // 30 April 2024: Eve matched too: 2 of 3.
    let o = h.outcome("PM-02", "2024-04", TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(3.0), Some(66.7)));
}
