//! One function per catalogue entry. Each looks at the records its measure counts and pushes an
//! item for every one in the denominator (or numerator, for counts), and says what it left out.

mod care;
mod front_door;
mod leavers;
mod legal;
mod missing;
mod protection;
mod quality;
mod workforce;

pub use protection::CORE_GROUP_INTERVAL;

use crate::engine::{Ctx, Tally};
use chrono::{Months, NaiveDate};
use domain::model::{CareEpisode, CarePeriod, Child, Referral};

pub type Function = fn(&Ctx, &mut Tally);

/// Measures whose functions read every period of a pass through `Ctx::each`: every measure
/// read at a period's end, and those counting each child once in a period, so that a scorecard
/// visits each child once for all its months.
pub const READS_EACH_SPAN: &[&str] = &[
    "AS-04", "CIN-01", "CIN-03", "CP-01", "CP-01n", "CP-04b", "CP-05", "CP-06a", "CP-06b",
    "CP-08a", "CP-08b", "CLA-01", "CLA-01n", "CLA-03", "CLA-03b", "CLA-04", "CLA-06", "CLA-09a",
    "CLA-09b", "CLA-09c", "CLA-09d", "CLA-10a", "CLA-10b", "CLA-12", "CLA-14", "LEG-02", "LEG-03",
    "LEG-04", "LEG-05", "LEG-06", "CL-01b", "CL-05", "YP-01", "WF-01", "WF-02", "WF-03", "WF-03b",
    "WF-07", "WF-08", "AL-01", "QA-01", "PM-01", "PM-02", "MIS-01", "MIS-03", "EX-02",
];

/// The function that computes a catalogue entry.
pub fn function(id: &str) -> Option<Function> {
    Some(match id {
        "FD-01" => front_door::contacts_decided_in_a_day,
        "FD-06" => front_door::appropriate_contacts,
        "FD-07" => front_door::contacts_received,
        "FD-02" => front_door::referrals,
        "FD-03" => front_door::re_referrals,
        "FD-04" => front_door::referrals_nfa,
        "FD-05" => front_door::referrals_not_in_need,
        "AS-01" => front_door::assessments_in_45,
        "AS-01a" => front_door::new_assessments_in_45,
        "AS-01b" => front_door::updated_assessments_in_45,
        "AS-02" => front_door::assessment_duration,
        "AS-03" => front_door::child_seen_in_assessment,
        "AS-04" => front_door::assessments_overdue,
        "CIN-01" => front_door::children_in_need,
        "CIN-02" => front_door::cin_episode_length,
        "CIN-03" => front_door::cin_plans,
        "S47-01" => protection::enquiries,
        "S47-02" => protection::initial_conferences,
        "S47-03" => protection::icpc_in_15,
        "S47-04a" => protection::enquiries_to_conference,
        "S47-04b" => protection::conferences_to_plan,
        "CP-01" | "CP-01n" => protection::on_plan,
        "CP-02" => protection::plans_starting,
        "CP-03" => protection::repeat_plans,
        "CP-04a" => protection::ended_two_years,
        "CP-04b" => protection::open_two_years,
        "CP-05" => protection::reviewed_on_time,
        "CP-06a" => protection::open_nine_months_count,
        "CP-06b" => protection::open_nine_months_days,
        "CP-07" => protection::core_groups_on_time,
        "CP-08a" => protection::visited_in_10,
        "CP-08b" => protection::seen_alone,
        "QA-04a" => protection::core_groups_with_education,
        "QA-04b" => protection::core_groups_with_police,
        "QA-04c" => protection::core_groups_with_health,
        "QA-04d" => protection::core_groups_with_others,
        "CLA-01" | "CLA-01n" => care::looked_after,
        "CLA-02a" => care::starting,
        "CLA-02b" => care::ceasing,
        "CLA-03" => care::three_placements,
        "CLA-03b" => care::three_placements_in_two_years,
        "CLA-04" => care::long_term_stability,
        "CLA-05" => care::reviews_on_time,
        "CLA-06" => care::visited_in_six_weeks,
        "CLA-07" => care::permanence_by_second_review,
        "CLA-09a" => care::in_foster_care,
        "CLA-09b" => care::in_childrens_homes,
        "CLA-09c" => care::placed_with_parents,
        "CLA-09d" => care::independent_living,
        "CLA-10a" => care::health_assessed,
        "CLA-10b" => care::dental_checked,
        "CLA-12" => care::three_workers,
        "CLA-13a" => care::ceased_sgo,
        "CLA-13b" => care::ceased_adoption,
        "CLA-13c" => care::ceased_home,
        "CLA-14" => care::pep_up_to_date,
        "MIS-01" => care::went_missing,
        "ADO-01" => care::care_to_adoptive_home,
        "ADO-03" => care::placement_order_to_match,
        "ADO-04" => care::decision_to_match,
        "PM-01" => care::sgo_assessments,
        "PM-02" => care::long_term_matched,
        "MIS-02a" => missing::offered_in_72_hours,
        "MIS-02b" => missing::interviews_accepted,
        "MIS-02c" => missing::interviews_held,
        "MIS-03" => missing::children_missing,
        "EX-01" => missing::hub_referrals,
        "EX-02" => missing::children_screened,
        "EX-03" => missing::high_risk_screenings,
        "LEG-01a" => legal::proceedings_in_26_weeks,
        "LEG-01b" => legal::proceedings_weeks,
        "LEG-02" => legal::children_in_pre_proceedings,
        "LEG-03" => legal::families_in_pre_proceedings,
        "LEG-04" => legal::children_in_proceedings,
        "LEG-05" => legal::families_in_proceedings,
        "LEG-06" => legal::proceedings_beyond_26_weeks,
        "CL-01" => leavers::eet_19_to_21,
        "CL-01b" => leavers::eet_19_to_25,
        "CL-02" => leavers::suitably_housed,
        "CL-03" => leavers::not_in_touch,
        "CL-04" => leavers::neet_19_to_21,
        "CL-04b" => leavers::higher_education_19_to_21,
        "CL-05" => leavers::pathway_plans,
        "YP-01" => leavers::neet_16_to_18,
        "WF-01" => workforce::caseload,
        "WF-02" => workforce::turnover,
        "WF-03" => workforce::agency_rate,
        "WF-03b" => workforce::permanent_rate,
        "WF-07" => workforce::trained,
        "WF-08" => workforce::clinical_supervision,
        "AL-01" => workforce::unallocated,
        "QA-01" => workforce::case_supervision,
        "QA-02a" => quality::new_plans_audited,
        "QA-02b" => quality::plans_smart,
        "QA-02c" => quality::audits_good,
        "QA-03" => quality::complaints_on_time,
        "QA-07" => quality::audit_actions_closed,
        "QA-08" => quality::disputes_resolved,
        "TR-01" => quality::transfers_on_time,
        _ => return None,
    })
}

/// Whole years of age on a date.
pub fn age_on(c: &Child, d: NaiveDate) -> Option<i32> {
    c.age_on(d)
}

/// The day the child turns `age`.
pub(crate) fn birthday(c: &Child, age: u32) -> Option<NaiveDate> {
    c.birthday(age)
}

pub(crate) fn months_before(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(n)).unwrap_or(d)
}

pub fn months_after(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(n)).unwrap_or(d)
}

/// Short breaks (V3, V4) are left out of looked-after measures, as the DfE does.
pub(crate) fn short_break(e: &CareEpisode) -> bool {
    matches!(e.legal_status.0.as_str(), "V3" | "V4")
}

/// The period of care open on a date and its episode that day.
/// The child's earliest referral open on a date: made by then, its episode not yet closed.
pub fn open_referral_on(c: &Child, d: NaiveDate) -> Option<&Referral> {
    c.referrals
        .iter()
        .filter(|r| r.date <= d && r.closed.as_ref().is_none_or(|(end, _)| *end > d))
        .min_by_key(|r| r.date)
}

pub fn in_care_on(c: &Child, d: NaiveDate) -> Option<(&CarePeriod, &CareEpisode)> {
    c.care_periods
        .iter()
        .rev()
        .find(|p| p.start <= d && p.end.as_ref().is_none_or(|(e, _)| *e > d))
        .and_then(|p| {
            p.episodes
                .iter()
                .rev()
                .find(|e| e.start <= d)
                .map(|e| (p, e))
        })
}

/// Looked after on a date, other than on short breaks alone.
pub(crate) fn looked_after_on(c: &Child, d: NaiveDate) -> Option<(&CarePeriod, &CareEpisode)> {
    in_care_on(c, d).filter(|(_, e)| !short_break(e))
}

/// One due date of a recurring meeting and whether (and when) it was held.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Due {
    pub due: NaiveDate,
    pub held: Option<NaiveDate>,
}

/// Walks a schedule of meetings (core groups, reviews): the first due by `first_due`, each later
/// one due by `next(n, held)` after the n-th was held. A late meeting still sets the next due
/// date. Stops at the first due date after `stop`, or on the day the plan ended.
pub fn schedule(
    first_due: NaiveDate,
    held: &[NaiveDate],
    stop: NaiveDate,
    ended: Option<NaiveDate>,
    next: impl Fn(usize, NaiveDate) -> NaiveDate,
) -> Vec<Due> {
    let mut out = Vec::new();
    let mut due = first_due;
    let mut i = 0;
    let mut n = 0;
    loop {
        if due > stop || ended.is_some_and(|e| due > e) {
            break;
        }
        let h = held.get(i).copied();
        out.push(Due {
            due,
            held: h.filter(|h| *h <= stop),
        });
        let Some(h) = h else { break };
        i += 1;
        n += 1;
        due = next(n, h);
    }
    out
}

/// Counts the meetings of a schedule that fell due in the period: held by the due date or not;
/// one due today and not yet held is left out.
pub(crate) fn count_dues(
    ctx: &crate::engine::Ctx,
    t: &mut crate::engine::Tally,
    c: &Child,
    record: domain::RecordId,
    dues: &[Due],
) {
    for d in dues.iter().filter(|d| d.due >= ctx.first) {
        let met = d.held.is_some_and(|h| h <= d.due);
        if !met && d.due >= ctx.today {
            t.leave(c, Some(record), d.due, "due today and not yet held");
        } else {
            t.child(c, Some(record), d.due, met);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn every_catalogue_entry_has_a_function() {
        for m in crate::catalogue::catalogue() {
            assert!(function(&m.id).is_some(), "{} has no function", m.id);
        }
    }

    #[test]
    fn a_schedule_counts_late_meetings_and_carries_on_from_them() {
        // Due 10th; held 12th (late); next due 12th + 7 = 19th; held 18th; next 25th, not held.
        let held = [d("2024-01-12"), d("2024-01-18")];
        let s = schedule(d("2024-01-10"), &held, d("2024-01-31"), None, |_, h| {
            h + chrono::Duration::days(7)
        });
        assert_eq!(
            s,
            vec![
                Due {
                    due: d("2024-01-10"),
                    held: Some(d("2024-01-12"))
                },
                Due {
                    due: d("2024-01-19"),
                    held: Some(d("2024-01-18"))
                },
                Due {
                    due: d("2024-01-25"),
                    held: None
                },
            ]
        );
        let ended = schedule(
            d("2024-01-10"),
            &held,
            d("2024-01-31"),
            Some(d("2024-01-20")),
            |_, h| h + chrono::Duration::days(7),
        );
        assert_eq!(ended.len(), 2, "nothing falls due after the plan ended");
    }
}
