//! The scorecard cuts every measure to every scope in one pass, and deals a whole year's items
//! into months: it must give exactly what each figure computed on its own gives.

use chrono::NaiveDate;
use domain::Model;
use domain::calendar::Calendar;
use kpi::report::{self, Source};
use kpi::{Index, Period, Scope};

#[test]
fn the_scorecard_agrees_with_every_figure_computed_alone() {
    let cal = Calendar::england_and_wales();
    let end = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
    let options = synth::Options {
        seed: 7,
        years: 1,
        end,
        scale: 1,
    };
    let mut model = Model::new();
    synth::generate(
        &options,
        cal,
        |e| model.apply(&e).expect("folds"),
        |_, _| {},
    );
    let ix = Index::new(&model);
    let src = Source {
        model: &model,
        cal,
        ix: &ix,
        today: end,
    };
    let periods = "2025-02".parse::<Period>().unwrap().trend(4);
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
