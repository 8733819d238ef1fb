use crate::history::*;
use domain::ChildId;
use domain::codes::*;
use domain::events::*;
use kpi::{Outcome, Scope};

// ---- Shorthands ---------------------------------------------------------------------------

fn placement() -> Placement {
    Placement {
        place: Code::from("U1"),
        provider: Code::from("PR1"),
        postcode_district: None,
        urn: None,
        home_postcode: None,
        postcode: None,
    }
}

/// A child looked after (C2, fostered) from `from`, and until `to` if given.
fn looked_after(h: &mut History, id: u64, dob: &str, from: &str, to: Option<&str>) -> ChildId {
    let c = h.child(id, dob);
    h.on(
        c,
        CarePeriodStarted {
            period: r(1),
            legal_status: Code::from(if to.is_some() { "C2" } else { "C1" }),
            placement: placement(),
            need: PrimaryNeed::N1,
            at: d(from),
            first_reason: None,
        },
    );
    if let Some(to) = to {
        h.on(
            c,
            CarePeriodEnded {
                period: r(1),
                reason: Code::from("E8"),
                at: d(to),
            },
        );
    }
    c
}

/// A care leaver contact: in touch (with what they are doing and whether their home suits them)
/// or not.
fn contact(
    h: &mut History,
    c: ChildId,
    at: &str,
    activity: Option<CareLeaverActivity>,
    suitable: Option<bool>,
    pathway_plan_reviewed: bool,
) {
    h.on(
        c,
        CareLeaverContact {
            in_touch: true,
            activity,
            accommodation: suitable.map(|_| Code::from("S")),
            accommodation_suitable: suitable,
            pathway_plan_reviewed,
            at: d(at),
            not_in_touch_reason: None,
        },
    );
}

/// Each item's child, the date that put it in the period, and whether it counted.
fn met(o: &Outcome) -> Vec<(u64, String, bool)> {
    o.items
        .iter()
        .map(|i| (subject_number(i.subject), i.date.to_string(), i.num > 0.0))
        .collect()
}

fn left(o: &Outcome) -> Vec<(u64, &'static str)> {
    o.left
        .iter()
        .map(|l| (subject_number(l.subject), l.reason))
        .collect()
}

fn yes(child: u64, date: &str) -> (u64, String, bool) {
    (child, date.to_string(), true)
}

fn no(child: u64, date: &str) -> (u64, String, bool) {
    (child, date.to_string(), false)
}

const TODAY: &str = "2024-06-30";
use CareLeaverActivity as A;

/// Care leavers around their 19th to 21st birthdays, and young people of 16 to 18.
fn leavers() -> History {
    let mut h = History::new();
    // Amy: born 29 February 2004; in care from 14 to 18. Her 19th birthday falls on 28 February
    // 2023, her 20th on 29 February 2024. In touch 1 December 2023 (employed) and 20 March 2024
    // (in education, suitably housed, pathway plan reviewed). The care leavers team holds her.
    let amy = looked_after(&mut h, 1, "2004-02-29", "2018-03-01", Some("2022-03-01"));
    h.allocate(amy, LEAVERS, "2022-03-01");
    contact(
        &mut h,
        amy,
        "2023-12-01",
        Some(A::Employment),
        Some(true),
        false,
    );
    contact(
        &mut h,
        amy,
        "2024-03-20",
        Some(A::OtherEducation),
        Some(true),
        true,
    );
    // Ben: 20 on 15 May 2023; in touch 1 May 2023, not in EET (other), suitably housed, plan
    // reviewed.
    let ben = looked_after(&mut h, 2, "2003-05-15", "2017-06-01", Some("2021-05-15"));
    contact(
        &mut h,
        ben,
        "2023-05-01",
        Some(A::NotInEetOther),
        Some(true),
        true,
    );
    // Cal: 21 on 10 October 2023; last in touch 1 June 2023 (employed), before the window
    // that opens three months before the birthday (10 July).
    let cal = looked_after(&mut h, 3, "2002-10-10", "2016-11-01", Some("2020-10-10"));
    contact(
        &mut h,
        cal,
        "2023-06-01",
        Some(A::Employment),
        Some(true),
        false,
    );
    // Dan: 19 on 1 April 2023, the first day of 2023/24; in touch 20 April (training, suitably
    // housed) and 1 October 2023 (training, plan reviewed). The care leavers team holds him.
    let dan = looked_after(&mut h, 4, "2004-04-01", "2018-05-01", Some("2022-04-01"));
    h.allocate(dan, LEAVERS, "2022-04-01");
    contact(
        &mut h,
        dan,
        "2023-04-20",
        Some(A::Training),
        Some(true),
        false,
    );
    contact(&mut h, dan, "2023-10-01", Some(A::Training), None, true);
    // Eve: 21 on 31 March 2023, the last day of 2022/23; in touch 20 March 2023 (employed, not
    // suitably housed).
    let eve = looked_after(&mut h, 5, "2002-03-31", "2016-04-01", Some("2020-03-31"));
    contact(
        &mut h,
        eve,
        "2023-03-20",
        Some(A::Employment),
        Some(false),
        false,
    );
    // Fay: left care at 15: not a care leaver.
    let fay = looked_after(&mut h, 6, "2004-08-01", "2020-01-01", Some("2020-02-15"));
    contact(
        &mut h,
        fay,
        "2023-08-01",
        Some(A::Employment),
        Some(true),
        false,
    );
    // Hal: looked after from 16 for 75 days, short of 13 weeks: not a care leaver.
    let hal = looked_after(&mut h, 8, "2004-07-01", "2020-09-01", Some("2020-11-15"));
    contact(
        &mut h,
        hal,
        "2023-07-01",
        Some(A::Employment),
        Some(true),
        false,
    );
    // Ivy: 26, too old for every measure here.
    let ivy = looked_after(&mut h, 9, "1997-06-01", "2011-07-01", Some("2015-06-01"));
    contact(
        &mut h,
        ivy,
        "2024-01-01",
        Some(A::Employment),
        Some(true),
        true,
    );
    // Jo: 18, left care on 1 June 2023. In touch 30 September 2023 (plan reviewed, no activity
    // recorded) and 15 January 2024 (not in EET: parenting).
    let jo = looked_after(&mut h, 10, "2005-06-01", "2019-07-01", Some("2023-06-01"));
    contact(&mut h, jo, "2023-09-30", None, None, true);
    contact(
        &mut h,
        jo,
        "2024-01-15",
        Some(A::NotInEetParent),
        None,
        false,
    );
    // Kim: 17, looked after; in education (1 February 2024).
    let kim = looked_after(&mut h, 11, "2006-12-01", "2020-01-01", None);
    contact(
        &mut h,
        kim,
        "2024-02-01",
        Some(A::OtherEducation),
        None,
        false,
    );
    // Lee: born 29 February 2008, 16 on 29 February 2024, looked after; not in EET in November,
    // in training from 1 March 2024.
    let lee = looked_after(&mut h, 12, "2008-02-29", "2021-01-01", None);
    contact(
        &mut h,
        lee,
        "2023-11-01",
        Some(A::NotInEetOther),
        None,
        false,
    );
    contact(&mut h, lee, "2024-03-01", Some(A::Training), None, false);
    // Max: 17, looked after; last activity recorded 1 August 2023.
    let max = looked_after(&mut h, 13, "2007-01-01", "2020-01-01", None);
    contact(&mut h, max, "2023-08-01", Some(A::Employment), None, false);
    // Ned: 17, looked after only at 14 to 15: neither looked after nor a care leaver.
    let ned = looked_after(&mut h, 14, "2007-01-01", "2021-01-01", Some("2022-06-01"));
    contact(
        &mut h,
        ned,
        "2024-01-01",
        Some(A::NotInEetOther),
        None,
        false,
    );
    // Ola: 16, on short breaks (V3) only.
    let ola = h.child(15, "2007-06-01");
    h.on(
        ola,
        CarePeriodStarted {
            period: r(1),
            legal_status: Code::from("V3"),
            placement: placement(),
            need: PrimaryNeed::N2,
            at: d("2022-01-01"),
            first_reason: None,
        },
    );
    contact(
        &mut h,
        ola,
        "2024-01-01",
        Some(A::NotInEetOther),
        None,
        false,
    );
    h
}

// ---- Around the 19th, 20th and 21st birthdays -----------------------------------------------------

#[test]
fn cl01_care_leavers_in_eet_around_their_birthday() {
    let h = leavers();
    // 2023/24 birthdays: Amy 20 (29 February 2024), Ben 20, Cal 21, Dan 19 (1 April 2023).
    // Not counted: Eve (21 on 31 March 2023), Fay and Hal (not care leavers), Jo (19 in June
    // 2024). Nearest contacts: Amy 20 March (education), Ben 1 May (not EET), Cal none in the
    // window, Dan 20 April (training): Amy and Dan, 2 of 4.
    let o = h.outcome("CL-01", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(4.0), Some(50.0)));
    assert_eq!(
        met(&o),
        vec![
            yes(1, "2024-02-29"),
            no(2, "2023-05-15"),
            no(3, "2023-10-10"),
            yes(4, "2023-04-01")
        ]
    );
    // The care leavers team holds Amy and Dan: 2 of 2.
    let o = h.outcome_for("CL-01", "2023/24", Scope::Team(LEAVERS), TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(2.0), Some(100.0)));
    // 2022/23: Amy 19 (1 March 2023: born on 29 February), Ben 19, Cal 20, Eve 21 (31 March 2023). Only Eve was
    // in touch around hers (20 March, employed): 1 of 4.
    let o = h.outcome("CL-01", "2022/23", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(4.0), Some(25.0)));
    assert_eq!(
        met(&o),
        vec![
            no(1, "2023-03-01"),
            no(2, "2022-05-15"),
            no(3, "2022-10-10"),
            yes(5, "2023-03-31")
        ]
    );
    // Amy's leap-day birthday falls on 1 March in 2023 (so February 2023 holds none, and March
    // Eve's and hers) and on 29 February in 2024.
    assert_eq!(
        ndv(&h.figure("CL-01", "2023-02", TODAY)),
        (Some(0.0), Some(0.0), None)
    );
    assert_eq!(
        ndv(&h.figure("CL-01", "2023-03", TODAY)),
        (Some(1.0), Some(2.0), Some(50.0))
    );
    assert_eq!(
        ndv(&h.figure("CL-01", "2024-02", TODAY)),
        (Some(1.0), Some(1.0), Some(100.0))
    );
}

#[test]
fn cl02_care_leavers_suitably_housed_around_their_birthday() {
    let h = leavers();
    // 2023/24: Amy (suitable), Ben (suitable), Cal (not in touch), Dan (suitable): 3 of 4.
    let o = h.outcome("CL-02", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(3.0), Some(4.0), Some(75.0)));
    assert_eq!(
        met(&o),
        vec![
            yes(1, "2024-02-29"),
            yes(2, "2023-05-15"),
            no(3, "2023-10-10"),
            yes(4, "2023-04-01")
        ]
    );
    // 2022/23: only Eve was in touch, and her home was not suitable: 0 of 4.
    let o = h.outcome("CL-02", "2022/23", TODAY);
    assert_eq!(ndv(&o.figure), (Some(0.0), Some(4.0), Some(0.0)));
}

#[test]
fn cl03_care_leavers_not_in_touch_around_their_birthday() {
    let h = leavers();
    // 2023/24: Cal, 1 of 4.
    let o = h.outcome("CL-03", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(4.0), Some(25.0)));
    assert_eq!(
        met(&o),
        vec![
            no(1, "2024-02-29"),
            no(2, "2023-05-15"),
            yes(3, "2023-10-10"),
            no(4, "2023-04-01")
        ]
    );
    // 2022/23: Amy, Ben and Cal, 3 of 4. March 2023 holds Amy's 19th (1 March, as she was born
    // on 29 February), not in touch, and Eve's 21st, in touch: 1 of 2.
    assert_eq!(
        ndv(&h.figure("CL-03", "2022/23", TODAY)),
        (Some(3.0), Some(4.0), Some(75.0))
    );
    assert_eq!(
        ndv(&h.figure("CL-03", "2023-03", TODAY)),
        (Some(1.0), Some(2.0), Some(50.0))
    );
    // The care leavers team in 2023/24 (Amy, Dan): 0 of 2.
    let o = h.outcome_for("CL-03", "2023/24", Scope::Team(LEAVERS), TODAY);
    assert_eq!(ndv(&o.figure), (Some(0.0), Some(2.0), Some(0.0)));
}

#[test]
fn cl04_care_leavers_neet_around_their_birthday() {
    let h = leavers();
    // 2023/24: Ben, in touch and not in EET: 1 of 4. Cal, not in touch, is not counted NEET.
    let o = h.outcome("CL-04", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(4.0), Some(25.0)));
    assert_eq!(
        met(&o),
        vec![
            no(1, "2024-02-29"),
            yes(2, "2023-05-15"),
            no(3, "2023-10-10"),
            no(4, "2023-04-01")
        ]
    );
    // 2022/23: Eve was employed; the others not in touch: 0 of 4.
    assert_eq!(
        ndv(&h.figure("CL-04", "2022/23", TODAY)),
        (Some(0.0), Some(4.0), Some(0.0))
    );
}

#[test]
fn cl04b_care_leavers_in_higher_education_around_their_birthday() {
    let mut h = History::new();
    // Gil: 19 on 1 October 2023, left care at 18 after two years; at university when in touch on
    // 15 September 2023 (two weeks before): in higher education.
    let gil = looked_after(&mut h, 1, "2004-10-01", "2020-09-01", Some("2022-10-01"));
    contact(
        &mut h,
        gil,
        "2023-09-15",
        Some(A::HigherEducation),
        Some(true),
        false,
    );
    // Hana: 20 on 29 February 2024, at college (other education) on 1 March: not higher.
    let hana = looked_after(&mut h, 2, "2004-02-29", "2019-01-01", Some("2022-02-28"));
    contact(
        &mut h,
        hana,
        "2024-03-01",
        Some(A::OtherEducation),
        Some(true),
        false,
    );
    // Ivo: 21 on 5 January 2024; at university in May 2023, outside the window (from 5 October
    // 2023 to 5 February 2024), and not in touch since: not known, so not counted as higher.
    let ivo = looked_after(&mut h, 3, "2003-01-05", "2018-01-01", Some("2021-01-05"));
    contact(
        &mut h,
        ivo,
        "2023-05-01",
        Some(A::HigherEducation),
        None,
        false,
    );
    // 2023/24: Gil, Hana and Ivo have birthdays in the year; Gil is in higher education: 1 of 3.
    let o = h.outcome("CL-04b", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(3.0), Some(33.3)));
}

// ---- At the end of the period --------------------------------------------------------------------

#[test]
fn cl01b_care_leavers_19_to_25_in_eet_at_the_end() {
    let h = leavers();
    // 31 March 2024, contacts after 31 March 2023: Amy (20, education), Ben (20, not EET), Cal
    // (21, employed in June 2023), Dan (19, training). Eve (22) was last in touch on 20 March
    // 2023: left out. Ivy is 26; Fay and Hal are not care leavers; Jo is 18. 3 of 4.
    let o = h.outcome("CL-01b", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(3.0), Some(4.0), Some(75.0)));
    assert_eq!(
        met(&o),
        vec![
            yes(1, "2024-03-31"),
            no(2, "2024-03-31"),
            yes(3, "2024-03-31"),
            yes(4, "2024-03-31")
        ]
    );
    assert_eq!(left(&o), vec![(5, "not in touch in the last 12 months")]);
    // The care leavers team: Amy and Dan, 2 of 2.
    let o = h.outcome_for("CL-01b", "2023/24", Scope::Team(LEAVERS), TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(2.0), Some(100.0)));
}

#[test]
fn cl05_pathway_plans_reviewed_in_six_months() {
    let h = leavers();
    // 31 March 2024, reviews after 30 September 2023. Care leavers of 18 to 21: Amy (reviewed
    // 20 March), Ben (May 2023: too long ago), Cal (never), Dan (1 October 2023), Jo (30
    // September 2023, six months to the day: too long ago). 2 of 5.
    let o = h.outcome("CL-05", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(2.0), Some(5.0), Some(40.0)));
    let who: Vec<_> = met(&o).into_iter().map(|(c, _, m)| (c, m)).collect();
    assert_eq!(
        who,
        vec![(1, true), (2, false), (3, false), (4, true), (10, false)]
    );
    // 30 April 2024 (reviews after 30 October 2023): Amy alone, 1 of 5.
    assert_eq!(
        ndv(&h.figure("CL-05", "2024-04", TODAY)),
        (Some(1.0), Some(5.0), Some(20.0))
    );
}

#[test]
fn yp01_young_people_16_to_18_not_in_eet() {
    let h = leavers();
    // 31 March 2024, activity after 30 September 2023. Jo (18, care leaver): not in EET
    // (15 January). Kim (17, looked after): education. Lee (16 since 29 February, looked
    // after): training on 1 March, his latest. Max (17): nothing recorded since August: left out.
    // Ned (neither looked after nor a care leaver) and Ola (short breaks) are not counted.
    // 1 of 3.
    let o = h.outcome("YP-01", "2023/24", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(3.0), Some(33.3)));
    let who: Vec<_> = met(&o).into_iter().map(|(c, _, m)| (c, m)).collect();
    assert_eq!(who, vec![(10, true), (11, false), (12, false)]);
    assert_eq!(
        left(&o),
        vec![(13, "no activity recorded in the last six months")]
    );
    // At 28 February 2024 (activity after 28 August 2023) Lee is still 15: Jo and Kim, 1 of 2;
    // Max still left out.
    let o = h.outcome("YP-01", "at:2024-02-28", TODAY);
    assert_eq!(ndv(&o.figure), (Some(1.0), Some(2.0), Some(50.0)));
    assert_eq!(o.left.len(), 1);
}
