//! The synthetic council: deterministic, consistent with the case model, and at the seed
//! council's scale.

use chrono::{Datelike, NaiveDate};
use domain::calendar::Calendar;
use domain::{Event, Model};

fn options(seed: u64, years: u32) -> synth::Options {
    synth::Options {
        seed,
        years,
        end: NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
        scale: 1,
    }
}

fn run(opts: &synth::Options) -> (Vec<Event>, synth::Summary) {
    let mut events = Vec::new();
    let summary = synth::generate(
        opts,
        Calendar::england_and_wales(),
        |e| events.push(e),
        |_, _| {},
    );
    (events, summary)
}

#[test]
fn the_same_seed_gives_the_same_council_and_another_seed_a_different_one() {
    let (a, _) = run(&options(7, 1));
    let (b, _) = run(&options(7, 1));
    assert_eq!(a, b);
    let (c, _) = run(&options(8, 1));
    assert_ne!(a.len(), 0);
    assert_ne!(a, c);
}

#[test]
fn every_event_folds_into_the_model_in_recorded_order_and_the_council_is_to_scale() {
    let opts = options(42, 5);
    let (events, summary) = run(&opts);
    assert_eq!(summary.events as usize, events.len());
    let mut model = Model::new();
    for pair in events.windows(2) {
        assert!(
            pair[0].recorded_at <= pair[1].recorded_at,
            "events out of recorded order"
        );
    }
    for e in &events {
        model
            .apply(e)
            .unwrap_or_else(|err| panic!("event {e:?} refused: {err}"));
    }
    let end = opts.end;
    assert!(events.iter().all(|e| e.recorded_at.date_naive() <= end));

    // The seed council's scale, in the last year simulated.
    let year_start = NaiveDate::from_ymd_opt(end.year() - 1, 4, 1).unwrap();
    let in_year = |d: NaiveDate| d >= year_start && d <= end;
    let mut contacts = 0;
    let mut assessments = 0;
    let mut decided_in_a_day = 0;
    let mut decided = 0;
    let mut authorised = 0;
    let mut within_45 = 0;
    let cal = Calendar::england_and_wales();
    for child in model.children.values() {
        for c in &child.contacts {
            if in_year(c.received.date()) {
                contacts += 1;
                if let Some((_, at)) = c.decision {
                    decided += 1;
                    if at.date() <= cal.add_working_days(c.received.date(), 1) {
                        decided_in_a_day += 1;
                    }
                }
            }
        }
        for a in &child.assessments {
            if in_year(a.start) {
                assessments += 1;
            }
            if let Some(done) = a.authorised.filter(|d| in_year(*d)) {
                authorised += 1;
                if done <= cal.add_working_days(a.start, 45) {
                    within_45 += 1;
                }
            }
        }
    }
    let per_month = |n: i32| f64::from(n) / 12.0;
    assert!(
        (850.0..1250.0).contains(&per_month(contacts)),
        "contacts a month: {}",
        per_month(contacts)
    );
    assert!(
        (150.0..250.0).contains(&per_month(assessments)),
        "assessments a month: {}",
        per_month(assessments)
    );
    let in_a_day = f64::from(decided_in_a_day) / f64::from(decided);
    assert!(
        (0.70..0.85).contains(&in_a_day),
        "decided within a working day: {in_a_day}"
    );
    let in_45 = f64::from(within_45) / f64::from(authorised);
    assert!(
        (0.50..0.85).contains(&in_45),
        "assessments within 45 working days: {in_45}"
    );

    let counts = model.counts(end);
    eprintln!(
        "{counts:?} contacts {contacts} assessments {assessments} in a day {in_a_day} in 45 {in_45}"
    );
    assert!(
        (280..=420).contains(&counts.open_cp_plans),
        "on CP plans: {}",
        counts.open_cp_plans
    );
    assert!(
        (600..=760).contains(&counts.looked_after_now),
        "looked after: {}",
        counts.looked_after_now
    );
    let social_workers = model
        .workers
        .values()
        .filter(|w| {
            w.terms_on(end)
                .is_some_and(|t| t.role.is_case_holding_social_worker())
        })
        .count();
    assert!(
        (170..=230).contains(&social_workers),
        "social workers: {social_workers}"
    );
    assert!(
        (20..=30).contains(&model.teams.len()),
        "teams: {}",
        model.teams.len()
    );
    let agency = model
        .workers
        .values()
        .filter_map(|w| w.terms_on(end))
        .filter(|t| t.role.is_case_holding_social_worker())
        .filter(|t| t.employment == domain::codes::Employment::Agency)
        .count();
    let share = agency as f64 / social_workers as f64;
    assert!((0.15..=0.32).contains(&share), "agency share: {share}");
    // Missing children in the last month.
    let month_start = end.with_day(1).unwrap();
    let missing = model
        .children
        .values()
        .filter(|c| c.missing.iter().any(|m| m.start.date() >= month_start))
        .count();
    assert!(
        (25..=45).contains(&missing),
        "children missing in the last month: {missing}"
    );
}

/// The demonstration plan runs over the last twelve months: nine priorities with their measures,
/// every action with an owner in post, some complete, some overdue, and both boards meeting to
/// their rhythm.
#[test]
fn the_improvement_plan_runs_through_the_last_year() {
    let opts = options(7, 2);
    let (events, _) = run(&opts);
    let mut model = Model::new();
    for e in &events {
        model.apply(e).expect("the council folds");
    }
    let plan = &model.plan;
    let end = opts.end;
    assert_eq!(plan.starts, NaiveDate::from_ymd_opt(2024, 3, 1));
    assert_eq!(plan.priorities.len(), 9);
    assert!(plan.priorities.values().all(|p| !p.measures.is_empty()));
    assert!(plan.actions.len() >= 45);
    let complete = plan.actions.values().filter(|a| a.completed.is_some());
    let overdue = plan.actions.values().filter(|a| a.is_overdue(end));
    assert!(complete.clone().count() > plan.actions.len() / 2);
    assert!(complete.clone().any(|a| a.completed_late()));
    assert!(overdue.count() > 0);
    for a in plan.actions.values() {
        assert!(model.workers[&a.owner].left.is_none(), "owners are in post");
    }
    let boards: Vec<(usize, u32)> = plan
        .boards
        .values()
        .map(|b| (b.meetings.len(), b.every_weeks))
        .collect();
    // The baseline month to this one, about 56 weeks: nine Improvement Boards, 28 project groups.
    assert!(matches!(boards[0], (9, 6)), "{boards:?}");
    assert!(matches!(boards[1], (27 | 28, 2)), "{boards:?}");
}
