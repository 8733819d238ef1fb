//! The scorecard cuts every measure to every scope in one pass, and deals a whole year's items
//! into months: it must give exactly what each figure computed on its own gives.

use crate::history::council;
use chrono::NaiveDate;
use domain::calendar::Calendar;
use kpi::report::{self, Source};
use kpi::{Index, Period, Scope};

#[test]
fn the_scorecard_agrees_with_every_figure_computed_alone() {
    let cal = Calendar::england_and_wales();
    let end = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
    let model = council(7, 2, end);
    let ix = Index::new(&model);
    let src = Source {
        model: &model,
        cal,
        ix: &ix,
        today: end,
    };
    // Thirteen months, as the directorate scorecard shows.
    let periods = "2025-02".parse::<Period>().unwrap().trend(13);
    let all: Vec<_> = kpi::catalogue().iter().collect();
    let rows = report::scorecard(&src, &all, &periods);
    let teams: Vec<Scope> = model.teams.keys().map(|t| Scope::Team(*t)).collect();
    let mut checked = 0;
    for m in &all {
        for p in &periods {
            for scope in std::iter::once(Scope::Council).chain(teams.iter().copied()) {
                let alone = report::row(&src, m, *p, scope, false);
                let card = rows
                    .iter()
                    .find(|r| r.id == m.id && r.period == *p && r.scope == scope);
                match card {
                    Some(r) => {
                        assert_eq!(
                            (r.numerator, r.denominator, r.value),
                            (alone.numerator, alone.denominator, alone.value),
                            "{} {p} {scope}",
                            m.id
                        );
                        checked += 1;
                    }
                    // A team with nothing to count has no row on the scorecard.
                    None => assert!(
                        alone.numerator.unwrap_or(0.0) == 0.0
                            && alone.denominator.unwrap_or(0.0) == 0.0
                            || scope == Scope::Council,
                        "{} {p} {scope} is missing from the scorecard: {alone:?}",
                        m.id
                    ),
                }
            }
        }
    }
    assert!(checked > 2000, "{checked} figures compared");
    // Every scope with something to count, services included, has its row.
    for m in &all {
        for p in &periods {
            let tally = kpi::engine::evaluate(&model, cal, &ix, m, *p, end);
            let mut scopes: Vec<Scope> = kpi::engine::sums_by_scope(&model, m, &tally)
                .into_keys()
                .collect();
            scopes.push(Scope::Council);
            scopes.sort();
            scopes.dedup();
            let mut card: Vec<Scope> = rows
                .iter()
                .filter(|r| r.id == m.id && r.period == *p)
                .map(|r| r.scope)
                .collect();
            card.sort();
            assert_eq!(card, scopes, "{} {p}", m.id);
        }
    }
    // The same rows, services included, as taking one month at a time.
    let key = |r: &report::Row| (r.id, r.period, r.scope, r.numerator, r.denominator, r.value);
    let mut one_by_one: Vec<_> = periods
        .iter()
        .flat_map(|p| report::scorecard(&src, &all, &[*p]))
        .map(|r| key(&r))
        .collect();
    let mut together: Vec<_> = rows.iter().map(key).collect();
    one_by_one.sort_by_key(|k| (k.0, k.1, k.2));
    together.sort_by_key(|k| (k.0, k.1, k.2));
    assert_eq!(together.len(), one_by_one.len());
    for (a, b) in together.iter().zip(&one_by_one) {
        assert_eq!(a, b);
    }
}

#[test]
fn periods_of_any_length_in_any_order_read_in_one_pass_agree_with_each_alone() {
    let cal = Calendar::england_and_wales();
    let end = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
    let model = council(11, 1, end);
    let ix = Index::new(&model);
    let src = Source {
        model: &model,
        cal,
        ix: &ix,
        today: end,
    };
    // A year, a quarter inside it, a month and a snapshot date, out of order.
    let periods: Vec<Period> = ["2024/25", "2025-01", "2024-Q4", "at:2024-11-15"]
        .iter()
        .map(|p| p.parse().unwrap())
        .collect();
    let one_pass: Vec<_> = kpi::catalogue()
        .iter()
        .filter(|m| kpi::engine::reads_each_span(m))
        .collect();
    assert!(one_pass.len() > 40);
    let rows = report::scorecard(&src, &one_pass, &periods);
    for m in &one_pass {
        for p in &periods {
            let alone = report::row(&src, m, *p, Scope::Council, false);
            let card = rows
                .iter()
                .find(|r| r.id == m.id && r.period == *p && r.scope == Scope::Council)
                .expect("the council has a row for every period");
            assert_eq!(
                (card.numerator, card.denominator, card.value),
                (alone.numerator, alone.denominator, alone.value),
                "{} {p}",
                m.id
            );
        }
    }
}

#[test]
fn every_measure_read_at_a_periods_end_reads_every_period_of_a_pass() {
    for m in kpi::catalogue() {
        if m.counting == kpi::catalogue::Counting::AtEnd {
            assert!(kpi::engine::reads_each_span(m), "{}", m.id);
        }
    }
}

#[test]
fn a_breakdown_groups_the_items_by_who_the_children_are() {
    use crate::history::*;
    use domain::codes::ContactDecision::Referral;
    let mut h = History::new();
    // A baby (born June 2023) with two contacts in March 2024, and a child of eight with one.
    let baby = h.child(1, "2023-06-01");
    h.contact(
        baby,
        1,
        "2024-03-04 10:00",
        Some(("2024-03-04 15:00", Referral)),
    );
    h.contact(
        baby,
        2,
        "2024-03-11 10:00",
        Some(("2024-03-13 09:00", Referral)),
    );
    let eight = h.child(2, "2015-06-01");
    h.contact(
        eight,
        1,
        "2024-03-05 10:00",
        Some(("2024-03-05 12:00", Referral)),
    );
    let m = kpi::engine::find_measure("FD-01").unwrap();
    let period: Period = "2024-03".parse().unwrap();
    let o = h.outcome("FD-01", "2024-03", "2024-04-30");
    let by_age = report::breakdown(&h.model, m, period, &o.items, report::Dimension::AgeBand);
    // The baby's second contact was decided on the second working day: 1 of 2; the older
    // child's on the day: 1 of 1.
    let got: Vec<_> = by_age
        .iter()
        .map(|g| (g.group.as_str(), g.numerator, g.denominator, g.value))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Under 1", 1.0, 2.0, Some(50.0)),
            ("5 to 9", 1.0, 1.0, Some(100.0))
        ]
    );
    let by_sex = report::breakdown(&h.model, m, period, &o.items, report::Dimension::Sex);
    assert_eq!(by_sex.len(), 1);
    assert_eq!(
        (by_sex[0].group.as_str(), by_sex[0].value),
        ("Female", Some(66.7))
    );
}
