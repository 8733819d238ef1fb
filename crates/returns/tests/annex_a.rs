//! Ofsted's Annex A lists built from the records: Ofsted's columns in order, counts that agree
//! with the model, a hand-built child on the right lists, withdrawn records left out, and a
//! workbook that opens.

use chrono::{DateTime, NaiveDate, Utc};
use domain::calendar::Calendar;
use domain::codes::*;
use domain::events::*;
use domain::model::Child;
use domain::{ChildId, Event, EventBody, Model, RecordId, StreamId, TeamId, WorkerId};
use returns::annex_a::{self, Cell, List};
use std::io::Read;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Ofsted's columns, list by list, as published with the template (list, position, heading).
const OFSTED_COLUMNS: &str = "\
1|1|Child Unique ID\n\
1|2|Gender\n\
1|3|Ethnicity\n\
1|4|Date of Birth\n\
1|5|Age of Child (Years)\n\
1|6|Date of Contact\n\
1|7|Contact Source\n\
2|1|Child Unique ID\n\
2|2|Gender\n\
2|3|Ethnicity\n\
2|4|Date of Birth\n\
2|5|Age of Child (Years)\n\
2|6|Assessment start date\n\
2|7|Assessment completion date\n\
2|8|Organisation completing assessment\n\
3|1|Child Unique ID\n\
3|2|Gender\n\
3|3|Ethnicity\n\
3|4|Date of Birth\n\
3|5|Age of Child (Years)\n\
3|6|Date of referral\n\
3|7|Referral Source\n\
3|8|Referral NFA?\n\
3|9|Number of Referrals in Last 12 Months\n\
3|10|Allocated Team\n\
3|11|Allocated Worker\n\
4|1|Child Unique ID\n\
4|2|Gender\n\
4|3|Ethnicity\n\
4|4|Date of Birth\n\
4|5|Age of Child (Years)\n\
4|6|Does the Child have a Disability\n\
4|7|Continuous Assessment Start Date\n\
4|8|Child Seen During Continuous Assessment\n\
4|9|Continuous Assessment Date of Authorisation\n\
4|10|Was the child assessed as requiring LA children's social care support?\n\
4|11|Allocated Team\n\
4|12|Allocated Worker\n\
5|1|Child Unique ID\n\
5|2|Gender\n\
5|3|Ethnicity\n\
5|4|Date of Birth\n\
5|5|Age of Child (Years)\n\
5|6|Does the Child have a Disability\n\
5|7|Strategy discussion initiating Section 47 Enquiry Start Date\n\
5|8|Was an Initial Child Protection Conference deemed unnecessary?\n\
5|9|Date of Initial Child Protection Conference\n\
5|10|Did the Initial Child Protection Conference Result in a Child Protection Plan\n\
5|11|Number of Section 47 Enquiries in the last 12 months\n\
5|12|Number of ICPCs in the last 12 months\n\
5|13|Allocated Team\n\
5|14|Allocated Worker\n\
6|1|Child Unique ID\n\
6|2|Gender\n\
6|3|Ethnicity\n\
6|4|Date of Birth\n\
6|5|Age of Child (Years)\n\
6|6|Does the Child have a Disability\n\
6|7|CIN Start Date\n\
6|8|Primary Need Code\n\
6|9|Date Child Was Last Seen\n\
6|10|CIN Closure Date\n\
6|11|Reason for Closure\n\
6|12|Case Status\n\
6|13|Allocated Team\n\
6|14|Allocated Worker\n\
7|1|Child Unique ID\n\
7|2|Gender\n\
7|3|Ethnicity\n\
7|4|Date of Birth\n\
7|5|Age of Child (Years)\n\
7|6|Does the Child have a Disability\n\
7|7|Child Protection Plan Start Date\n\
7|8|Initial Category of Abuse\n\
7|9|Latest Category of Abuse\n\
7|10|Date of the Last Statutory Visit\n\
7|11|Was the Child Seen Alone?\n\
7|12|Date of latest review conference\n\
7|13|Child Protection Plan End Date\n\
7|14|Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)\n\
7|15|Number of Previous Child Protection Plans\n\
7|16|Allocated Team\n\
7|17|Allocated Worker\n\
8|1|Child Unique ID\n\
8|2|Gender\n\
8|3|Ethnicity\n\
8|4|Date of Birth\n\
8|5|Age of Child (Years)\n\
8|6|Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)\n\
8|7|Does the Child have a Disability\n\
8|8|Date Started to be Looked After\n\
8|9|Child's Category of Need\n\
8|10|Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)\n\
8|11|Start date of current legal status\n\
8|12|Child's Legal Status\n\
8|13|Date of Latest Statutory Review\n\
8|14|Date of Last Social Work Visit\n\
8|15|What is the permanence plan for this child?\n\
8|16|Date of Last IRO Visit / Contact to the Child\n\
8|17|Date of Last Health Assessment\n\
8|18|Date of Last Dental Check\n\
8|19|Number of Placements in the Last 12 months\n\
8|20|Date Ceased to be Looked After\n\
8|21|Reason Ceased to be Looked After\n\
8|22|Start Date of Most Recent Placement\n\
8|23|Placement Type\n\
8|24|Placement Provider\n\
8|25|Placement postcode\n\
8|26|URN of Placement\n\
8|27|Placement Location\n\
8|28|LA of Placement\n\
8|29|Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months\n\
8|30|Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months\n\
8|31|Was the child offered a Return Interview after their last missing episode (Y/N)?\n\
8|32|Did the child accept a Return Interview after their last missing episode (Y/N)?\n\
8|33|Allocated Team\n\
8|34|Allocated Worker\n\
9|1|Child Unique ID\n\
9|2|Gender\n\
9|3|Ethnicity\n\
9|4|Date of Birth\n\
9|5|Age of Child (Years)\n\
9|6|Does the Child have a Disability\n\
9|7|Allocated Team\n\
9|8|Allocated Worker\n\
9|9|Eligibility Category\n\
9|10|LA in Touch\n\
9|11|Type of Accommodation\n\
9|12|Suitability of Accommodation\n\
9|13|Activity Status\n\
10|1|Child Unique ID\n\
10|2|Family identifier\n\
10|3|Gender\n\
10|4|Ethnicity\n\
10|5|Date of Birth\n\
10|6|Age of Child (Years)\n\
10|7|Does the Child have a Disability\n\
10|8|Date the Child Entered Care\n\
10|9|Date of Decision that Child Should be Placed for Adoption\n\
10|10|Date of Placement Order\n\
10|11|Date of Matching Child and Prospective Adopters\n\
10|12|Date Placed for Adoption\n\
10|13|Date of Adoption Order\n\
10|14|Date of Decision that Child Should No Longer be Placed for Adoption\n\
10|15|Reason Why Child No Longer Placed for Adoption\n\
10|16|Date the child was placed for fostering in FFA or concurrent planning placement\n\
11|1|Individual adopter identifier\n\
11|2|Family identifier\n\
11|3|Gender\n\
11|4|Ethnicity\n\
11|5|Disability\n\
11|6|Is the (prospective) adopter fostering for adoption?\n\
11|7|Date enquiry received\n\
11|8|Date Stage 1 started\n\
11|9|Date Stage 1 ended\n\
11|10|Date Stage 2 started\n\
11|11|Date Stage 2 ended\n\
11|12|Date application submitted\n\
11|13|Date application approved\n\
11|14|Date adopter matched with child(ren)\n\
11|15|Date child/children placed with adopter(s)\n\
11|16|No. of children placed\n\
11|17|Date of Adoption Order\n\
11|18|Date of leaving adoption process\n\
11|19|Reason for leaving adoption process";

/// The synthetic council: two years of history up to the inspection date.
fn council(seed: u64, end: NaiveDate) -> Model {
    let mut model = Model::new();
    synth::generate(
        &synth::Options {
            seed,
            years: 2,
            end,
            scale: 1,
        },
        Calendar::england_and_wales(),
        |e| model.apply(&e).expect("the synthetic council folds"),
        |_, _| {},
    );
    model
}

fn list(lists: &[List], number: u8) -> &List {
    lists
        .iter()
        .find(|l| l.number == number)
        .expect("every list is built")
}

/// The cell of `row` under `heading`.
fn cell<'a>(list: &List, row: &'a [Cell], heading: &str) -> &'a Cell {
    let i = list
        .column(heading)
        .unwrap_or_else(|| panic!("list {} has no column {heading}", list.number));
    &row[i]
}

/// The first day of the `months` months up to and including `as_of`.
fn window(as_of: NaiveDate, months: u32) -> NaiveDate {
    as_of
        .checked_sub_months(chrono::Months::new(months))
        .unwrap()
        .succ_opt()
        .unwrap()
}

fn ended_by(end: Option<NaiveDate>, as_of: NaiveDate) -> Option<NaiveDate> {
    end.filter(|e| *e <= as_of)
}

#[test]
fn every_list_has_ofsteds_columns_in_order_and_every_row_fits_them() {
    let as_of = d("2025-03-31");
    let model = council(11, as_of);
    let lists = annex_a::lists(&model, as_of);
    assert_eq!(
        lists.iter().map(|l| l.number).collect::<Vec<_>>(),
        (1..=11).collect::<Vec<u8>>()
    );
    for l in &lists {
        let expected: Vec<&str> = OFSTED_COLUMNS
            .lines()
            .filter_map(|line| {
                let mut parts = line.splitn(3, '|');
                let n: u8 = parts.next()?.parse().ok()?;
                parts.next()?;
                (n == l.number).then(|| parts.next().unwrap())
            })
            .collect();
        assert_eq!(l.columns, expected.as_slice(), "list {}", l.number);
        assert_eq!(l.sheet_name(), format!("List {}", l.number));
        assert!(!l.title.is_empty() && !l.period.is_empty());
        for row in &l.rows {
            assert_eq!(row.len(), l.columns.len(), "list {}: {row:?}", l.number);
            // The first column identifies the child (or adopter) on every row.
            assert!(
                matches!(&row[0], Cell::Text(s) if !s.is_empty()),
                "list {}: {row:?}",
                l.number
            );
            for (heading, c) in l.columns.iter().zip(row) {
                if heading.starts_with("Date") || heading.contains(" Date") {
                    assert!(
                        matches!(c, Cell::Date(_) | Cell::Empty),
                        "list {} {heading}: {c:?}",
                        l.number
                    );
                }
                // Counts are always given; the children placed with adopters only once placed.
                if heading.starts_with("Number") {
                    assert!(
                        matches!(c, Cell::Number(n) if *n >= 0),
                        "list {} {heading}: {c:?}",
                        l.number
                    );
                }
                if heading.starts_with("No.") {
                    assert!(
                        matches!(c, Cell::Number(n) if *n > 0) || c == &Cell::Empty,
                        "list {} {heading}: {c:?}",
                        l.number
                    );
                }
            }
            for heading in &l.not_held {
                assert_eq!(cell(l, row, heading), &Cell::Empty, "list {}", l.number);
            }
        }
        for heading in &l.not_held {
            assert!(l.column(heading).is_some(), "list {}: {heading}", l.number);
        }
    }
    // The synthetic council is big enough that each list about children has rows.
    for n in 1..=11 {
        assert!(!list(&lists, n).rows.is_empty(), "list {n} is empty");
    }
}

#[test]
fn counts_agree_with_the_model() {
    let as_of = d("2025-03-31");
    let model = council(5, as_of);
    let lists = annex_a::lists(&model, as_of);
    let six = window(as_of, 6);
    let twelve = window(as_of, 12);
    let in_six = |d: NaiveDate| d >= six && d <= as_of;
    let children: Vec<&Child> = model.children_sorted();
    let count = |f: &dyn Fn(&Child) -> usize| children.iter().map(|c| f(c)).sum::<usize>();

    let contacts = count(&|c| {
        c.contacts
            .iter()
            .filter(|k| in_six(k.received.date()))
            .count()
    });
    assert!(contacts > 100, "{contacts}");
    assert_eq!(list(&lists, 1).rows.len(), contacts);
    // Rows run in date order.
    let l1 = list(&lists, 1);
    let dates: Vec<NaiveDate> = l1
        .rows
        .iter()
        .map(|r| cell(l1, r, "Date of Contact").as_date().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]));
    assert!(dates.iter().all(|d| in_six(*d)));

    let referrals = count(&|c| c.referrals.iter().filter(|r| in_six(r.date)).count());
    assert_eq!(list(&lists, 3).rows.len(), referrals);

    let enquiries = count(&|c| c.enquiries.iter().filter(|s| in_six(s.start)).count());
    assert_eq!(list(&lists, 5).rows.len(), enquiries);

    // Children in need are under 18.
    let adult_by = |c: &Child, on: NaiveDate| {
        c.details
            .date_of_birth
            .and_then(|b| b.checked_add_months(chrono::Months::new(18 * 12)))
            .is_some_and(|eighteen| eighteen <= on)
    };
    let episodes = count(&|c| {
        if adult_by(c, six) {
            return 0;
        }
        c.referrals
            .iter()
            .filter(|r| {
                r.date <= as_of
                    && ended_by(r.closed.as_ref().map(|(d, _)| *d), as_of).is_none_or(|e| e >= six)
            })
            .count()
    });
    assert_eq!(list(&lists, 6).rows.len(), episodes);

    let plans = count(&|c| {
        c.cp_plans
            .iter()
            .filter(|p| p.start <= as_of && ended_by(p.end, as_of).is_none_or(|e| e >= six))
            .count()
    });
    assert_eq!(list(&lists, 7).rows.len(), plans);
    let open_plans = count(&|c| {
        c.cp_plans
            .iter()
            .filter(|p| p.start <= as_of && ended_by(p.end, as_of).is_none())
            .count()
    });
    let l7 = list(&lists, 7);
    assert_eq!(
        l7.rows
            .iter()
            .filter(|r| cell(l7, r, "Child Protection Plan End Date") == &Cell::Empty)
            .count(),
        open_plans
    );

    // List 8: one row for each child looked after at any time in the six months; those with no
    // date ceased are exactly the children looked after on the inspection date.
    let looked_after_on = |c: &Child, on: NaiveDate| {
        c.care_periods
            .iter()
            .any(|p| p.start <= on && p.end.as_ref().is_none_or(|(e, _)| *e > on))
    };
    let in_care_in_six = count(&|c| {
        usize::from(c.care_periods.iter().any(|p| {
            p.start <= as_of
                && ended_by(p.end.as_ref().map(|(d, _)| *d), as_of).is_none_or(|e| e >= six)
        }))
    });
    let in_care_now = count(&|c| usize::from(looked_after_on(c, as_of)));
    assert!(in_care_now > 50, "{in_care_now}");
    let l8 = list(&lists, 8);
    assert_eq!(l8.rows.len(), in_care_in_six);
    let still_in_care: Vec<&Vec<Cell>> = l8
        .rows
        .iter()
        .filter(|r| cell(l8, r, "Date Ceased to be Looked After") == &Cell::Empty)
        .collect();
    assert_eq!(still_in_care.len(), in_care_now);
    let mut ids: Vec<&str> = l8.rows.iter().map(|r| r[0].as_text().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), l8.rows.len(), "one row per child");
    // Every child looked after has a legal status, a placement and someone holding the case.
    for r in &still_in_care {
        for heading in [
            "Child's Legal Status",
            "Placement Type",
            "Placement Provider",
        ] {
            assert!(
                matches!(cell(l8, r, heading), Cell::Text(_)),
                "{heading}: {r:?}"
            );
        }
        let placements = cell(l8, r, "Number of Placements in the Last 12 months");
        assert!(placements.as_number().unwrap() >= 1);
    }
    let allocated = still_in_care
        .iter()
        .filter(|r| matches!(cell(l8, r, "Allocated Worker"), Cell::Text(_)))
        .count();
    assert!(
        allocated * 10 >= still_in_care.len() * 9,
        "{allocated} of {}",
        still_in_care.len()
    );

    // Missing episodes in the twelve months add up.
    let missing = count(&|c| {
        if !c.care_periods.iter().any(|p| {
            p.start <= as_of
                && ended_by(p.end.as_ref().map(|(d, _)| *d), as_of).is_none_or(|e| e >= six)
        }) {
            return 0;
        }
        c.missing
            .iter()
            .filter(|m| {
                m.kind == MissingKind::Missing
                    && m.start.date() >= twelve
                    && m.start.date() <= as_of
            })
            .count()
    });
    let listed: i64 = l8
        .rows
        .iter()
        .map(|r| {
            cell(
                l8,
                r,
                "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
            )
            .as_number()
            .unwrap()
        })
        .sum();
    assert_eq!(listed as usize, missing);

    // Care leavers are not looked after, and are 16 to 25.
    let l9 = list(&lists, 9);
    for r in &l9.rows {
        let age = cell(l9, r, "Age of Child (Years)").as_number().unwrap();
        assert!((16..=25).contains(&age), "{r:?}");
        assert!(!still_in_care.iter().any(|s| s[0] == r[0]));
    }
}

/// A small council of two teams and two workers, to which a child's history is added event by
/// event.
struct Log {
    model: Model,
}

impl Log {
    fn new() -> Self {
        let mut log = Log {
            model: Model::new(),
        };
        for (team, name, service) in [
            (1, "Assessment 1", Service::Assessment),
            (2, "Family Safeguarding 2", Service::FamilySafeguarding),
        ] {
            log.ok(
                StreamId::Team(TeamId(team)),
                TeamEstablished {
                    team: TeamId(team),
                    name: name.into(),
                    service,
                    area: None,
                    at: d("2020-01-01"),
                },
            );
        }
        for (worker, name, team) in [(1, "Sam Okafor", 1), (2, "Priya Shah", 2)] {
            log.ok(
                StreamId::Worker(WorkerId(worker)),
                WorkerJoined {
                    registration: None,
                    worker: WorkerId(worker),
                    name: name.into(),
                    role: WorkerRole::SocialWorker,
                    team: TeamId(team),
                    employment: Employment::Permanent,
                    fte: 1.0,
                    at: d("2020-01-06"),
                },
            );
        }
        log
    }

    fn ok(&mut self, stream: StreamId, body: impl Into<EventBody>) {
        let event = Event {
            stream,
            version: self.model.version(stream) + 1,
            recorded_at: DateTime::<Utc>::from_timestamp(1_700_000_000, 0).unwrap(),
            actor: "test".into(),
            body: body.into(),
        };
        self.model.apply(&event).expect("event should apply");
    }
}

fn at(s: &str) -> chrono::NaiveDateTime {
    d(s).and_hms_opt(9, 30, 0).unwrap()
}

/// A girl referred by her school, assessed, enquired into under section 47 and put on a child
/// protection plan; one contact and one visit recorded by mistake and withdrawn; her record
/// restricted.
fn hand_built() -> Model {
    let mut log = Log::new();
    let child = StreamId::Child(ChildId(1));
    let r = RecordId;
    log.ok(
        child,
        ChildRegistered {
            details: ChildDetails {
                la_child_id: "C0001".into(),
                date_of_birth: Some(d("2016-05-10")),
                sex: Sex::Female,
                ethnicity: Code::from("WBRI"),
                disabilities: vec![Code::from("AUT")],
                ..ChildDetails::default()
            },
            at: d("2024-09-02"),
        },
    );
    for (id, day) in [(1, "2024-10-01"), (2, "2024-10-02")] {
        log.ok(
            child,
            ContactReceived {
                contact: r(id),
                at: at(day),
                source: Code::from("2A"),
                concerns: String::new(),
                rag: None,
                consent: None,
            },
        );
    }
    log.ok(
        child,
        RecordEnteredInError {
            record: r(2),
            reason: "a duplicate of contact 1".into(),
            at: d("2024-10-02"),
        },
    );
    log.ok(
        child,
        ContactDecided {
            contact: r(1),
            decision: ContactDecision::Referral,
            at: at("2024-10-02"),
        },
    );
    log.ok(
        child,
        ReferralReceived {
            referral: r(3),
            at: d("2024-10-02"),
            source: Code::from("2A"),
            primary_need: Some(PrimaryNeed::N1),
            from_contact: Some(r(1)),
        },
    );
    log.ok(
        child,
        ChildAllocated {
            reason: None,
            worker: WorkerId(1),
            team: TeamId(1),
            at: d("2024-10-02"),
        },
    );
    log.ok(
        child,
        AssessmentStarted {
            assessment: r(4),
            referral: r(3),
            kind: AssessmentKind::New,
            at: d("2024-10-03"),
        },
    );
    log.ok(
        child,
        VisitMade {
            visit: r(5),
            kind: VisitKind::Assessment,
            at: d("2024-10-04"),
            seen: true,
            seen_alone: true,
        },
    );
    log.ok(
        child,
        StrategyDiscussionHeld {
            strategy: r(6),
            referral: r(3),
            outcome: StrategyOutcome::Section47,
            at: d("2024-10-07"),
        },
    );
    log.ok(
        child,
        Section47Started {
            enquiry: r(7),
            referral: r(3),
            strategy: Some(r(6)),
            at: d("2024-10-08"),
        },
    );
    log.ok(
        child,
        Section47Completed {
            enquiry: r(7),
            outcome: S47Outcome::Conference,
            conference_target: Some(d("2024-10-29")),
            conference_not_required: false,
            at: d("2024-10-20"),
        },
    );
    log.ok(
        child,
        AssessmentAuthorised {
            assessment: r(4),
            internal_review: None,
            at: d("2024-10-25"),
            factors: vec![Code::from("3A")],
        },
    );
    log.ok(
        child,
        ConferenceHeld {
            conference: r(8),
            kind: ConferenceKind::Initial,
            enquiry: Some(r(7)),
            plan_needed: true,
            agencies_present: vec![Agency::School],
            at: d("2024-10-28"),
        },
    );
    log.ok(
        child,
        ChildAllocated {
            reason: None,
            worker: WorkerId(2),
            team: TeamId(2),
            at: d("2024-10-28"),
        },
    );
    log.ok(
        child,
        CpPlanStarted {
            plan: r(9),
            referral: r(3),
            category: AbuseCategory::Neglect,
            previous_plans: None,
            conference: Some(r(8)),
            at: d("2024-10-28"),
        },
    );
    for (id, day, alone) in [
        (10, "2024-11-05", true),
        (11, "2025-02-10", false),
        (12, "2025-03-01", true),
    ] {
        log.ok(
            child,
            VisitMade {
                visit: r(id),
                kind: VisitKind::ChildProtection,
                at: d(day),
                seen: true,
                seen_alone: alone,
            },
        );
    }
    log.ok(
        child,
        RecordEnteredInError {
            record: r(12),
            reason: "recorded on the wrong child".into(),
            at: d("2025-03-02"),
        },
    );
    log.ok(
        child,
        CpPlanReviewed {
            plan: r(9),
            at: d("2025-01-20"),
            category: Some(AbuseCategory::Emotional),
        },
    );
    log.ok(
        child,
        RecordRestricted {
            reason: "a relative works in the service".into(),
            named: vec!["priya".into()],
            at: d("2025-01-01"),
        },
    );
    log.model
}

/// The one row for `child` in a list, by heading.
fn only_row<'a>(l: &'a List, child: &str) -> &'a [Cell] {
    let rows: Vec<&Vec<Cell>> = l
        .rows
        .iter()
        .filter(|r| r[0].as_text() == Some(child))
        .collect();
    assert_eq!(rows.len(), 1, "list {}: {rows:?}", l.number);
    rows[0]
}

fn text(s: &str) -> Cell {
    Cell::Text(s.into())
}

fn date(s: &str) -> Cell {
    Cell::Date(d(s))
}

#[test]
fn a_childs_history_appears_on_the_right_lists_with_its_dates_and_workers() {
    let model = hand_built();
    assert!(model.child(ChildId(1)).unwrap().restricted.is_some());
    let lists = annex_a::lists(&model, d("2025-03-31"));

    // The contact on the first day of the six months is in; the withdrawn duplicate is not.
    let l1 = list(&lists, 1);
    let row = only_row(l1, "C0001");
    assert_eq!(
        row,
        &[
            text("C0001"),
            text("b) Female"),
            text("a) WBRI"),
            date("2016-05-10"),
            Cell::Number(8),
            date("2024-10-01"),
            text("e) 2A: Schools"),
        ]
    );

    let l3 = list(&lists, 3);
    let row = only_row(l3, "C0001");
    assert_eq!(cell(l3, row, "Date of referral"), &date("2024-10-02"));
    assert_eq!(cell(l3, row, "Referral Source"), &text("e) 2A: Schools"));
    assert_eq!(cell(l3, row, "Referral NFA?"), &text("b) No"));
    assert_eq!(
        cell(l3, row, "Number of Referrals in Last 12 Months"),
        &Cell::Number(1)
    );
    // The episode is still open: whoever holds the case now.
    assert_eq!(
        cell(l3, row, "Allocated Team"),
        &text("Family Safeguarding 2")
    );
    assert_eq!(cell(l3, row, "Allocated Worker"), &text("Priya Shah"));

    let l4 = list(&lists, 4);
    let row = only_row(l4, "C0001");
    assert_eq!(
        cell(l4, row, "Does the Child have a Disability"),
        &text("a) Yes")
    );
    assert_eq!(
        cell(l4, row, "Continuous Assessment Start Date"),
        &date("2024-10-03")
    );
    assert_eq!(
        cell(l4, row, "Child Seen During Continuous Assessment"),
        &text("a) Yes")
    );
    assert_eq!(
        cell(l4, row, "Continuous Assessment Date of Authorisation"),
        &date("2024-10-25")
    );
    assert_eq!(
        cell(
            l4,
            row,
            "Was the child assessed as requiring LA children's social care support?"
        ),
        &text("a) Yes")
    );
    // The worker who held the case while the assessment ran.
    assert_eq!(cell(l4, row, "Allocated Team"), &text("Assessment 1"));
    assert_eq!(cell(l4, row, "Allocated Worker"), &text("Sam Okafor"));

    let l5 = list(&lists, 5);
    let row = only_row(l5, "C0001");
    assert_eq!(
        &row[6..],
        &[
            date("2024-10-07"),
            text("b) No"),
            date("2024-10-28"),
            text("a) Yes"),
            Cell::Number(1),
            Cell::Number(1),
            text("Assessment 1"),
            text("Sam Okafor"),
        ]
    );

    let l6 = list(&lists, 6);
    let row = only_row(l6, "C0001");
    assert_eq!(cell(l6, row, "CIN Start Date"), &date("2024-10-02"));
    assert_eq!(
        cell(l6, row, "Primary Need Code"),
        &text("N1 - Abuse or neglect")
    );
    // The withdrawn visit of 1 March does not count.
    assert_eq!(
        cell(l6, row, "Date Child Was Last Seen"),
        &date("2025-02-10")
    );
    assert_eq!(cell(l6, row, "CIN Closure Date"), &Cell::Empty);
    assert_eq!(
        cell(l6, row, "Case Status"),
        &text("b) Child Protection plan")
    );
    assert_eq!(cell(l6, row, "Allocated Worker"), &text("Priya Shah"));

    let l7 = list(&lists, 7);
    let row = only_row(l7, "C0001");
    assert_eq!(
        &row[5..],
        &[
            text("a) Yes"),
            date("2024-10-28"),
            text("a) Neglect"),
            text("d) Emotional abuse"),
            date("2025-02-10"),
            text("b) No"),
            date("2025-01-20"),
            Cell::Empty,
            text("b) No"),
            Cell::Number(0),
            text("Family Safeguarding 2"),
            text("Priya Shah"),
        ]
    );

    // Not looked after, not a care leaver, no adoption plan.
    for n in 8..=11 {
        assert!(list(&lists, n).rows.is_empty(), "list {n}");
    }

    // While the assessment was open and the conference not yet held, what was known then: no
    // plan, no conference date and no authorisation; a month before the contact, nothing at all.
    let earlier = annex_a::lists(&model, d("2024-10-24"));
    assert!(list(&earlier, 7).rows.is_empty());
    let l6 = list(&earlier, 6);
    let row = only_row(l6, "C0001");
    assert_eq!(cell(l6, row, "Case Status"), &text("d) Open assessment"));
    assert_eq!(
        cell(l6, row, "Date Child Was Last Seen"),
        &date("2024-10-04")
    );
    let l5 = list(&earlier, 5);
    let row = only_row(l5, "C0001");
    assert_eq!(
        cell(
            l5,
            row,
            "Was an Initial Child Protection Conference deemed unnecessary?"
        ),
        &text("b) No")
    );
    assert_eq!(
        cell(l5, row, "Date of Initial Child Protection Conference"),
        &Cell::Empty
    );
    let l4 = list(&earlier, 4);
    let row = only_row(l4, "C0001");
    assert_eq!(
        cell(l4, row, "Continuous Assessment Date of Authorisation"),
        &Cell::Empty
    );
    assert_eq!(
        cell(
            l4,
            row,
            "Was the child assessed as requiring LA children's social care support?"
        ),
        &Cell::Empty
    );
    let before = annex_a::lists(&model, d("2024-09-01"));
    assert!(before.iter().all(|l| l.rows.is_empty()));
}

#[test]
fn withdrawn_records_never_appear() {
    let model = hand_built();
    let lists = annex_a::lists(&model, d("2025-03-31"));
    let contacts: Vec<&Vec<Cell>> = list(&lists, 1)
        .rows
        .iter()
        .filter(|r| r[0].as_text() == Some("C0001"))
        .collect();
    assert_eq!(contacts.len(), 1);
    assert!(
        !list(&lists, 1)
            .rows
            .iter()
            .any(|r| r[5] == date("2024-10-02")),
        "the withdrawn contact"
    );
    let l7 = list(&lists, 7);
    let row = only_row(l7, "C0001");
    assert_ne!(
        cell(l7, row, "Date of the Last Statutory Visit"),
        &date("2025-03-01")
    );
}

/// A file inside the workbook, as text.
fn part(path: &std::path::Path, name: &str) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).expect("the workbook is a zip");
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|_| panic!("{name} is in the workbook"))
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn the_workbook_has_an_about_sheet_then_one_sheet_per_list() {
    let as_of = d("2025-03-31");
    let model = council(3, as_of);
    let lists = annex_a::lists(&model, as_of);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("annex-a.xlsx");
    annex_a::write_xlsx(&lists, &path).unwrap();

    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"PK"));
    let workbook = part(&path, "xl/workbook.xml");
    let names: Vec<&str> = workbook
        .split("<sheet name=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    let mut expected = vec!["About".to_string()];
    expected.extend((1..=11).map(|n| format!("List {n}")));
    assert_eq!(names, expected);

    // Dates are real dates in the UK format.
    assert!(part(&path, "xl/styles.xml").contains("dd/mm/yyyy"));
    // List 1 is the second sheet: a heading row, then one row per contact.
    let sheet = part(&path, "xl/worksheets/sheet2.xml");
    assert_eq!(
        sheet.matches("<row ").count(),
        list(&lists, 1).rows.len() + 1
    );
    // The About sheet names what list 11 cannot give.
    let strings = part(&path, "xl/sharedStrings.xml");
    assert!(strings.contains("Date enquiry received"));
    assert!(strings.contains("Ofsted Annex A"));
    assert!(strings.contains("Contact Source"));
}

/// Two sisters adopted together by a couple, and a boy matched but not yet placed.
fn adoptions() -> Model {
    let mut log = Log::new();
    let steps = [
        (PermanenceStep::AdoptionDecision, "2024-06-01"),
        (PermanenceStep::PlacementOrder, "2024-08-01"),
        (PermanenceStep::Matched, "2024-09-10"),
        (PermanenceStep::PlacedForAdoption, "2024-10-01"),
        (PermanenceStep::AdoptionOrder, "2025-02-15"),
    ];
    for (n, id, family, born) in [
        (1, "C0002", 7, "2019-02-03"),
        (2, "C0003", 7, "2021-07-30"),
        (3, "C0004", 9, "2022-01-15"),
    ] {
        let child = StreamId::Child(ChildId(n));
        log.ok(
            child,
            ChildRegistered {
                details: ChildDetails {
                    la_child_id: id.into(),
                    date_of_birth: Some(d(born)),
                    sex: Sex::Female,
                    ethnicity: Code::from("MWBC"),
                    family: Some(domain::FamilyId(family)),
                    ..ChildDetails::default()
                },
                at: d("2023-01-02"),
            },
        );
        let reached = if n == 3 { &steps[..3] } else { &steps[..] };
        for (step, day) in reached {
            let day = if n == 3 {
                // The boy's plan runs later: decided in October, matched in January.
                match step {
                    PermanenceStep::AdoptionDecision => "2024-10-01",
                    PermanenceStep::PlacementOrder => "2024-12-01",
                    _ => "2025-01-05",
                }
            } else {
                day
            };
            log.ok(
                child,
                PermanenceStepReached {
                    step: *step,
                    reason: None,
                    at: d(day),
                },
            );
        }
        if n != 3 {
            log.ok(
                child,
                AdoptersRecorded {
                    foster_carers: false,
                    number: 2,
                    sex: Code::from("MF"),
                    legal_status: Code::from("L12"),
                    at: d("2025-02-15"),
                },
            );
        }
    }
    log.model
}

#[test]
fn adopted_children_and_their_adopters_are_listed_together() {
    let model = adoptions();
    let lists = annex_a::lists(&model, d("2025-03-31"));

    let l10 = list(&lists, 10);
    assert_eq!(l10.rows.len(), 3);
    let row = only_row(l10, "C0003");
    assert_eq!(cell(l10, row, "Family identifier"), &text("F7"));
    assert_eq!(
        cell(
            l10,
            row,
            "Date of Decision that Child Should be Placed for Adoption"
        ),
        &date("2024-06-01")
    );
    assert_eq!(
        cell(l10, row, "Date of Placement Order"),
        &date("2024-08-01")
    );
    assert_eq!(
        cell(l10, row, "Date of Matching Child and Prospective Adopters"),
        &date("2024-09-10")
    );
    assert_eq!(
        cell(l10, row, "Date Placed for Adoption"),
        &date("2024-10-01")
    );
    assert_eq!(
        cell(l10, row, "Date of Adoption Order"),
        &date("2025-02-15")
    );
    let row = only_row(l10, "C0004");
    assert_eq!(cell(l10, row, "Date Placed for Adoption"), &Cell::Empty);

    // The sisters' adopters: one household of two, each a row; the boy's adopters are known
    // only as a household until the order records them.
    let l11 = list(&lists, 11);
    assert_eq!(l11.rows.len(), 3, "{:?}", l11.rows);
    let couple: Vec<&Vec<Cell>> = l11
        .rows
        .iter()
        .filter(|r| r[1] == text("F7-20240910"))
        .collect();
    assert_eq!(couple.len(), 2);
    assert_eq!(couple[0][0], text("F7-20240910-1"));
    assert_eq!(cell(l11, couple[0], "Gender"), &text("a) Male"));
    assert_eq!(cell(l11, couple[1], "Gender"), &text("b) Female"));
    for r in &couple {
        assert_eq!(
            cell(l11, r, "Date adopter matched with child(ren)"),
            &date("2024-09-10")
        );
        assert_eq!(
            cell(l11, r, "Date child/children placed with adopter(s)"),
            &date("2024-10-01")
        );
        assert_eq!(cell(l11, r, "No. of children placed"), &Cell::Number(2));
        assert_eq!(cell(l11, r, "Date of Adoption Order"), &date("2025-02-15"));
        assert_eq!(
            cell(
                l11,
                r,
                "Is the (prospective) adopter fostering for adoption?"
            ),
            &text("b) No")
        );
    }
    let waiting = only_row(l11, "F9-20250105-1");
    assert_eq!(cell(l11, waiting, "Gender"), &Cell::Empty);
    assert_eq!(cell(l11, waiting, "No. of children placed"), &Cell::Empty);
    assert_eq!(cell(l11, waiting, "Date of Adoption Order"), &Cell::Empty);

    // A year after the order, with nothing since, the sisters have left both lists.
    let later = annex_a::lists(&model, d("2026-03-31"));
    assert!(list(&later, 10).rows.iter().all(|r| r[1] != text("F7")));
    assert!(
        list(&later, 11)
            .rows
            .iter()
            .all(|r| r[1] != text("F7-20240910"))
    );
}

#[test]
fn the_synthetic_councils_matches_appear_as_adopters() {
    let as_of = d("2025-03-31");
    let model = council(11, as_of);
    let lists = annex_a::lists(&model, as_of);
    let (l10, l11) = (list(&lists, 10), list(&lists, 11));
    let twelve = window(as_of, 12);
    let mut matched = 0;
    for r in &l10.rows {
        let Some(on) = cell(l10, r, "Date of Matching Child and Prospective Adopters").as_date()
        else {
            continue;
        };
        if on < twelve {
            continue;
        }
        matched += 1;
        let family = r[1].as_text().unwrap();
        assert!(
            l11.rows.iter().any(|a| {
                a[1].as_text().unwrap().starts_with(&format!("{family}-"))
                    && cell(l11, a, "Date adopter matched with child(ren)")
                        .as_date()
                        .is_some_and(|d| d <= on)
            }),
            "{r:?}"
        );
    }
    assert!(matched > 0);
}

/// A boy whose history came partly from an earlier return: two plans before Hearth's records, a
/// referral closed as no further action, and an enquiry whose planned conference was then found
/// not to be needed.
#[test]
fn facts_recorded_for_the_cin_census_are_shown_as_recorded() {
    let mut log = Log::new();
    let child = StreamId::Child(ChildId(1));
    let r = RecordId;
    log.ok(
        child,
        ChildRegistered {
            details: ChildDetails {
                la_child_id: "C0005".into(),
                date_of_birth: Some(d("2012-03-04")),
                sex: Sex::Male,
                ethnicity: Code::from("BAFR"),
                ..ChildDetails::default()
            },
            at: d("2024-01-02"),
        },
    );
    for (id, day) in [(1, "2024-11-01"), (2, "2024-12-02")] {
        log.ok(
            child,
            ReferralReceived {
                referral: r(id),
                at: d(day),
                source: Code::from("6"),
                primary_need: Some(PrimaryNeed::N1),
                from_contact: None,
            },
        );
    }
    log.ok(
        child,
        StrategyDiscussionHeld {
            strategy: r(3),
            referral: r(1),
            outcome: StrategyOutcome::Section47,
            at: d("2024-11-02"),
        },
    );
    log.ok(
        child,
        Section47Started {
            enquiry: r(4),
            referral: r(1),
            strategy: Some(r(3)),
            at: d("2024-11-02"),
        },
    );
    log.ok(
        child,
        Section47Completed {
            enquiry: r(4),
            outcome: S47Outcome::Conference,
            conference_target: Some(d("2024-11-20")),
            conference_not_required: true,
            at: d("2024-11-15"),
        },
    );
    log.ok(
        child,
        CaseClosed {
            referral: r(2),
            referral_nfa: true,
            reason: Code::from("RC8"),
            at: d("2024-12-03"),
        },
    );
    log.ok(
        child,
        CpPlanStarted {
            plan: r(5),
            referral: r(1),
            category: AbuseCategory::Physical,
            previous_plans: Some(2),
            conference: None,
            at: d("2024-12-10"),
        },
    );
    let lists = annex_a::lists(&log.model, d("2025-03-31"));

    let l3 = list(&lists, 3);
    let nfa: Vec<&Cell> = l3
        .rows
        .iter()
        .map(|row| cell(l3, row, "Referral NFA?"))
        .collect();
    assert_eq!(nfa, [&text("b) No"), &text("a) Yes")]);
    assert_eq!(
        cell(l3, &l3.rows[1], "Number of Referrals in Last 12 Months"),
        &Cell::Number(2)
    );

    let l5 = list(&lists, 5);
    let row = only_row(l5, "C0005");
    assert_eq!(
        cell(
            l5,
            row,
            "Was an Initial Child Protection Conference deemed unnecessary?"
        ),
        &text("a) Yes")
    );
    assert_eq!(
        cell(l5, row, "Date of Initial Child Protection Conference"),
        &Cell::Empty
    );

    let l6 = list(&lists, 6);
    let closed = l6
        .rows
        .iter()
        .find(|row| cell(l6, row, "CIN Start Date") == &date("2024-12-02"))
        .unwrap();
    assert_eq!(cell(l6, closed, "CIN Closure Date"), &date("2024-12-03"));
    assert_eq!(
        cell(l6, closed, "Reason for Closure"),
        &text("RC8 - Case closed after assessment, no further action")
    );
    assert_eq!(cell(l6, closed, "Case Status"), &text("e) Closed episode"));

    let l7 = list(&lists, 7);
    let row = only_row(l7, "C0005");
    assert_eq!(
        cell(l7, row, "Number of Previous Child Protection Plans"),
        &Cell::Number(2)
    );
    // No one holds the case: the columns are empty, not invented.
    assert_eq!(cell(l7, row, "Allocated Worker"), &Cell::Empty);
}
