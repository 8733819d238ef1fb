//! Lists 8 to 11: children in care, care leavers, children with an adoption plan, and adopters.

use super::open_cases::looked_after_on;
use super::values::{self, pick, yes_no};
use super::{Cell, Ctx, List, age_on, columns, disability, person, person_with_disability};
use chrono::NaiveDate;
use domain::codes::{MissingKind, PermanenceStep, Sex, VisitKind};
use domain::events::{AdoptersRecorded, Placement};
use domain::model::{CareEpisode, CarePeriod, Child};
use std::collections::BTreeMap;

/// The same place with the same carers: a change of legal status alone is not a new placement.
fn same_placement(a: &Placement, b: &Placement) -> bool {
    a.place == b.place
        && a.provider == b.provider
        && a.urn == b.urn
        && a.postcode == b.postcode
        && a.postcode_district == b.postcode_district
}

/// Each placement in a period of care as (first day, last day or none while it lasts), from its
/// episodes, as known on `as_of`.
fn placements(
    p: &CarePeriod,
    as_of: NaiveDate,
) -> Vec<(NaiveDate, Option<NaiveDate>, &CareEpisode)> {
    let episodes: Vec<&CareEpisode> = p.episodes.iter().filter(|e| e.start <= as_of).collect();
    let end = p.end.as_ref().map(|(d, _)| *d).filter(|d| *d <= as_of);
    let mut runs: Vec<(NaiveDate, Option<NaiveDate>, &CareEpisode)> = Vec::new();
    for ep in episodes {
        match runs.last_mut() {
            Some(last) if same_placement(&last.2.placement, &ep.placement) => last.2 = ep,
            Some(last) => {
                last.1 = Some(ep.start);
                runs.push((ep.start, None, ep));
            }
            None => runs.push((ep.start, None, ep)),
        }
    }
    if let Some(last) = runs.last_mut() {
        last.1 = end;
    }
    runs
}

/// The period's episode in force on `on`.
fn episode_on(p: &CarePeriod, on: NaiveDate) -> &CareEpisode {
    p.episodes
        .iter()
        .rev()
        .find(|e| e.start <= on)
        .unwrap_or_else(|| p.current_episode())
}

/// The period of care in force at any time in `from..=as_of`, the latest if more than one.
fn period_in<'c>(ctx: &Ctx, c: &'c Child, from: NaiveDate) -> Option<&'c CarePeriod> {
    c.care_periods
        .iter()
        .filter(|p| {
            p.start <= ctx.as_of
                && ctx
                    .ended(p.end.as_ref().map(|(d, _)| *d))
                    .is_none_or(|e| e >= from)
        })
        .max_by_key(|p| p.start)
}

/// List 8: every child looked after at any time in the six months, with their latest period.
pub fn children_in_care(ctx: &Ctx) -> List {
    let mut rows = Vec::new();
    for c in &ctx.children {
        let Some(p) = period_in(ctx, c, ctx.six_months) else {
            continue;
        };
        let ceased = ctx.ended(p.end.as_ref().map(|(d, _)| *d));
        let on = ceased.unwrap_or(ctx.as_of);
        let episode = episode_on(p, on);
        let legal_since = p
            .episodes
            .iter()
            .filter(|e| e.start <= on)
            .rev()
            .take_while(|e| e.legal_status == episode.legal_status)
            .last()
            .map_or(p.start, |e| e.start);
        let uasc = c.details.uasc && c.details.uasc_ceased.is_none_or(|d| d >= ctx.twelve_months);
        let another_period = c.care_periods.iter().any(|q| {
            q.id != p.id
                && q.start <= ctx.as_of
                && ctx
                    .ended(q.end.as_ref().map(|(d, _)| *d))
                    .is_none_or(|e| e >= ctx.twelve_months)
        });
        let review = c
            .cla_reviews
            .iter()
            .filter(|r| r.period == p.id && r.date <= on)
            .map(|r| r.date)
            .max();
        let visit = c
            .visits
            .iter()
            .filter(|v| v.kind == VisitKind::LookedAfter && v.date >= p.start && v.date <= on)
            .map(|v| v.date)
            .max();
        let plan = c
            .permanence_plans
            .iter()
            .filter(|(_, d)| *d <= on)
            .max_by_key(|(_, d)| *d)
            .map(|(plan, _)| values::permanence(*plan));
        let check = |kind: &str| {
            c.health_checks
                .iter()
                .filter(|(k, d)| k == kind && *d <= on)
                .map(|(_, d)| *d)
                .max()
        };
        let placements_in_year = c
            .care_periods
            .iter()
            .flat_map(|q| placements(q, ctx.as_of))
            .filter(|(from, to, _)| *from <= ctx.as_of && to.is_none_or(|t| t >= ctx.twelve_months))
            .count();
        let runs = placements(p, ctx.as_of);
        let (placed_from, _, placed) = runs.last().copied().unwrap_or((p.start, None, episode));
        let place = &placed.placement;
        let gone = |kind: MissingKind| {
            c.missing
                .iter()
                .filter(|m| m.kind == kind && ctx.in_twelve_months(m.start.date()))
                .count()
        };
        let last_missing = c
            .missing
            .iter()
            .filter(|m| m.kind == MissingKind::Missing && m.start.date() <= ctx.as_of)
            .max_by_key(|m| m.start);
        let offer =
            last_missing.map(|m| m.interview_offered.filter(|(at, _)| at.date() <= ctx.as_of));
        let (offered, accepted): (Option<&str>, Option<&str>) = match (last_missing, offer) {
            (Some(_), Some(Some((_, accepted)))) => (Some(values::YES), Some(yes_no(accepted))),
            (Some(m), _) if m.end.is_some_and(|e| e.date() <= ctx.as_of) => {
                (Some(values::NO), None)
            }
            _ => (None, None),
        };

        let mut row = person(c, ctx.as_of);
        row.push(yes_no(uasc).into());
        row.push(disability(c));
        row.push(Cell::Date(p.start));
        row.push(values::primary_need(episode.need).into());
        row.push(yes_no(another_period).into());
        row.push(Cell::Date(legal_since));
        row.push(pick(values::LEGAL_STATUS, episode.legal_status.as_str()).into());
        row.push(Cell::date(review));
        row.push(Cell::date(visit));
        row.push(plan.into());
        row.push(Cell::Empty); // the IRO's own contacts with the child are not recorded
        row.push(Cell::date(check("health")));
        row.push(Cell::date(check("dental")));
        row.push(placements_in_year.into());
        row.push(Cell::date(ceased));
        row.push(
            p.end
                .as_ref()
                .filter(|_| ceased.is_some())
                .map(|(_, reason)| pick(values::REASON_CEASED, reason.as_str()))
                .into(),
        );
        row.push(Cell::Date(placed_from));
        row.push(pick(values::PLACEMENT_TYPE, place.place.as_str()).into());
        row.push(pick(values::PROVIDER, place.provider.as_str()).into());
        row.push(
            place
                .postcode
                .clone()
                .or(place.postcode_district.clone())
                .into(),
        );
        row.push(place.urn.clone().into());
        row.push(Cell::Empty); // in or out of the council's area: no boundary data
        row.push(Cell::Empty); // the council the placement is in: no boundary data
        row.push(gone(MissingKind::Missing).into());
        row.push(gone(MissingKind::Away).into());
        row.push(offered.into());
        row.push(accepted.into());
        row.extend(ctx.allocated(c, p.start, on));
        rows.push(row);
    }
    List {
        number: 8,
        as_of: ctx.as_of,
        title: "Children in care",
        period: format!(
            "Children looked after at any time {} (one row each, their latest period of care); \
             counts over {}",
            ctx.six_month_span(),
            ctx.twelve_month_span()
        ),
        columns: columns::LIST_8,
        rows,
        not_held: vec![
            "Date of Last IRO Visit / Contact to the Child",
            "Placement Location",
            "LA of Placement",
        ],
    }
}

/// List 9: care leavers aged 16 to 20, and those aged 21 to 25 the council was in contact with in
/// the last twelve months.
pub fn care_leavers(ctx: &Ctx) -> List {
    let mut rows = Vec::new();
    for c in &ctx.children {
        if looked_after_on(c, ctx.as_of) || !c.care_leaver_by(ctx.as_of) {
            continue;
        }
        let Some(age) = age_on(c, ctx.as_of) else {
            continue;
        };
        let latest = c
            .care_leaver_contacts
            .iter()
            .filter(|k| k.at <= ctx.as_of)
            .max_by_key(|k| k.at);
        let served = latest.is_some_and(|k| ctx.in_twelve_months(k.at));
        let listed = (16..=20).contains(&age) || ((21..=25).contains(&age) && served);
        if !listed {
            continue;
        }
        let mut row = person_with_disability(c, ctx.as_of);
        row.extend(ctx.allocated(c, ctx.as_of, ctx.as_of));
        row.push(
            if age < 18 {
                values::RELEVANT
            } else {
                values::FORMER_RELEVANT
            }
            .into(),
        );
        row.push(
            latest
                .map(|k| {
                    if k.in_touch {
                        values::YES.to_string()
                    } else {
                        k.not_in_touch_reason
                            .as_ref()
                            .map_or(values::NO.to_string(), |r| {
                                pick(values::NOT_IN_TOUCH, r.as_str())
                            })
                    }
                })
                .into(),
        );
        row.push(
            latest
                .and_then(|k| k.accommodation.as_ref())
                .map(|a| pick(values::ACCOMMODATION, a.as_str()))
                .into(),
        );
        row.push(
            latest
                .and_then(|k| k.accommodation_suitable)
                .map(values::suitable)
                .into(),
        );
        row.push(
            latest
                .and_then(|k| k.activity)
                .map(|a| pick(values::ACTIVITY, a.code()))
                .into(),
        );
        rows.push(row);
    }
    List {
        number: 9,
        as_of: ctx.as_of,
        title: "Care leavers",
        period: format!(
            "Care leavers on {} aged 16 to 20, and aged 21 to 25 if in contact {}; \
             their latest contact",
            super::uk(ctx.as_of),
            ctx.twelve_month_span()
        ),
        columns: columns::LIST_9,
        rows,
        not_held: Vec::new(),
    }
}

/// The first time the child reached `step` on or after `from`, up to the inspection date.
fn step_after(ctx: &Ctx, c: &Child, step: PermanenceStep, from: NaiveDate) -> Option<NaiveDate> {
    c.permanence_steps
        .iter()
        .filter(|(s, d)| *s == step && *d >= from && *d <= ctx.as_of)
        .map(|(_, d)| *d)
        .min()
}

/// The first day the child was placed with carers who are approved adopters (fostering for
/// adoption or concurrent planning) in a period of care.
fn fostered_for_adoption(p: &CarePeriod, as_of: NaiveDate) -> Option<NaiveDate> {
    p.episodes
        .iter()
        .filter(|e| e.start <= as_of && matches!(e.placement.place.as_str(), "U2" | "U5"))
        .map(|e| e.start)
        .min()
}

/// The sibling group, as an identifier for the list.
fn family_id(c: &Child) -> Option<String> {
    c.details.family.map(|f| format!("F{}", f.0))
}

/// List 10: children with a decision that they should be placed for adoption made in the last
/// twelve months, or with a step on the way in them, or whose plan is still live.
pub fn adoption(ctx: &Ctx) -> List {
    let mut rows = Vec::new();
    for c in &ctx.children {
        let Some(decided) = c
            .permanence_steps
            .iter()
            .filter(|(s, d)| *s == PermanenceStep::AdoptionDecision && *d <= ctx.as_of)
            .map(|(_, d)| *d)
            .max()
        else {
            continue;
        };
        let after = |step| step_after(ctx, c, step, decided);
        let placement_order = after(PermanenceStep::PlacementOrder);
        let matched = after(PermanenceStep::Matched);
        let placed = after(PermanenceStep::PlacedForAdoption);
        let order = after(PermanenceStep::AdoptionOrder);
        let ceased = after(PermanenceStep::AdoptionDecisionCeased);
        let live = order.is_none() && ceased.is_none();
        let recent = [
            Some(decided),
            placement_order,
            matched,
            placed,
            order,
            ceased,
        ]
        .into_iter()
        .flatten()
        .any(|d| ctx.in_twelve_months(d));
        if !(live || recent) {
            continue;
        }
        let period = c
            .care_periods
            .iter()
            .filter(|p| p.start <= decided)
            .max_by_key(|p| p.start);
        let reason = ceased.and_then(|on| {
            c.adoption_decisions_ceased
                .iter()
                .find(|(d, _)| *d == on)
                .and_then(|(_, r)| r.as_ref())
                .map(|r| pick(values::ADOPTION_CEASED, r.as_str()))
        });
        let mut row = person(c, ctx.as_of);
        row.insert(1, family_id(c).into());
        row.push(disability(c));
        row.push(Cell::date(period.map(|p| p.start)));
        row.push(Cell::Date(decided));
        row.push(Cell::date(placement_order));
        row.push(Cell::date(matched));
        row.push(Cell::date(placed));
        row.push(Cell::date(order));
        row.push(Cell::date(ceased));
        row.push(reason.into());
        row.push(Cell::date(
            period.and_then(|p| fostered_for_adoption(p, ctx.as_of)),
        ));
        rows.push(row);
    }
    List {
        number: 10,
        as_of: ctx.as_of,
        title: "Adoption",
        period: format!(
            "Children with an adoption decision, placement order, match, placement, order or \
             reversal {}, or whose adoption plan is still live on {}",
            ctx.twelve_month_span(),
            super::uk(ctx.as_of)
        ),
        columns: columns::LIST_10,
        rows,
        not_held: Vec::new(),
    }
}

/// The adopters' sexes from the SSDA903 code (M1, F1, MM, FF, MF), one for each adopter.
fn adopter_sexes(code: &str, number: u8) -> Vec<Sex> {
    let mut sexes: Vec<Sex> = code
        .chars()
        .filter_map(|ch| match ch {
            'M' => Some(Sex::Male),
            'F' => Some(Sex::Female),
            _ => None,
        })
        .collect();
    if code.ends_with('1') {
        sexes.truncate(1);
    }
    let number = usize::from(number.max(1));
    sexes.resize(number, Sex::Unknown);
    sexes
}

/// One adoptive household, known through the children matched with it.
struct Household<'c> {
    children: Vec<&'c Child>,
    matched: Option<NaiveDate>,
    placed: Option<NaiveDate>,
    order: Option<NaiveDate>,
    adopters: Option<&'c AdoptersRecorded>,
    fostering_for_adoption: bool,
}

/// List 11: adoptive households matched with, given or granted an order for one of the council's
/// children in the last twelve months. Hearth records adopters themselves only with the
/// adoption order (the SSDA903's facts), so a household is known through its children: siblings
/// matched on the same day are one household. Before the order the adopters are one row with no
/// gender; from it, one row each.
pub fn adopters(ctx: &Ctx) -> List {
    let mut households: BTreeMap<(String, NaiveDate), Household> = BTreeMap::new();
    for c in &ctx.children {
        let Some(decided) = c
            .permanence_steps
            .iter()
            .filter(|(s, d)| *s == PermanenceStep::AdoptionDecision && *d <= ctx.as_of)
            .map(|(_, d)| *d)
            .max()
        else {
            continue;
        };
        let after = |step| step_after(ctx, c, step, decided);
        let matched = after(PermanenceStep::Matched);
        let placed = after(PermanenceStep::PlacedForAdoption);
        let adopters = c
            .adopters
            .iter()
            .filter(|a| a.at >= decided && a.at <= ctx.as_of)
            .max_by_key(|a| a.at);
        let order = after(PermanenceStep::AdoptionOrder).or(adopters.map(|a| a.at));
        let dates = [matched, placed, order];
        if !dates.into_iter().flatten().any(|d| ctx.in_twelve_months(d)) {
            continue;
        }
        // The household is first known at the match (or, unrecorded, the placement or order).
        let Some(known) = dates.into_iter().flatten().next() else {
            continue;
        };
        let family = family_id(c).unwrap_or_else(|| c.details.la_child_id.clone());
        let ffa = c
            .care_periods
            .iter()
            .any(|p| fostered_for_adoption(p, ctx.as_of).is_some());
        let h = households
            .entry((family, known))
            .or_insert_with(|| Household {
                children: Vec::new(),
                matched: None,
                placed: None,
                order: None,
                adopters: None,
                fostering_for_adoption: false,
            });
        h.children.push(c);
        let earliest = |a: Option<NaiveDate>, b: Option<NaiveDate>| match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        h.matched = earliest(h.matched, matched);
        h.placed = earliest(h.placed, placed);
        h.order = earliest(h.order, order);
        h.adopters = h.adopters.or(adopters);
        h.fostering_for_adoption |= ffa;
    }
    let mut rows = Vec::new();
    for ((family, known), h) in &households {
        let household = format!("{family}-{}", known.format("%Y%m%d"));
        let sexes: Vec<Option<Sex>> = match h.adopters {
            Some(a) => adopter_sexes(a.sex.as_str(), a.number)
                .into_iter()
                .map(Some)
                .collect(),
            None => vec![None],
        };
        let placed_children = h
            .children
            .iter()
            .filter(|c| {
                c.permanence_steps.iter().any(|(s, d)| {
                    *s == PermanenceStep::PlacedForAdoption && *d >= *known && *d <= ctx.as_of
                })
            })
            .count();
        for (n, sex) in sexes.iter().enumerate() {
            rows.push(vec![
                Cell::text(format!("{household}-{}", n + 1)),
                Cell::text(household.clone()),
                sex.map(values::gender).into(),
                Cell::Empty,
                Cell::Empty,
                yes_no(h.fostering_for_adoption).into(),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::date(h.matched),
                Cell::date(h.placed),
                h.placed.map_or(Cell::Empty, |_| placed_children.into()),
                Cell::date(h.order),
                Cell::Empty,
                Cell::Empty,
            ]);
        }
    }
    List {
        number: 11,
        title: "Adopters",
        as_of: ctx.as_of,
        period: format!(
            "Adoptive households matched with, given or granted an order for the council's \
             children {}; identifiers are the children's sibling group and the day the household \
             was first known; one row each adopter once the order records them",
            ctx.twelve_month_span()
        ),
        columns: columns::LIST_11,
        rows,
        not_held: vec![
            "Ethnicity",
            "Disability",
            "Date enquiry received",
            "Date Stage 1 started",
            "Date Stage 1 ended",
            "Date Stage 2 started",
            "Date Stage 2 ended",
            "Date application submitted",
            "Date application approved",
            "Date of leaving adoption process",
            "Reason for leaving adoption process",
        ],
    }
}
