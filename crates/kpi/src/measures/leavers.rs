//! Care leavers and young people's education, employment and training.

use super::{age_on, birthday, looked_after_on, months_after, months_before};
use crate::engine::{Ctx, Tally};
use chrono::{Datelike, NaiveDate};
use domain::codes::CareLeaverActivity;
use domain::events::CareLeaverContact;
use domain::model::Child;

/// A former relevant child by `d` (see `Child::care_leaver_by`).
pub(crate) fn care_leaver_by(c: &Child, d: NaiveDate) -> bool {
    c.care_leaver_by(d)
}

fn around(c: &Child, day: NaiveDate, today: NaiveDate) -> Option<&CareLeaverContact> {
    let from = months_before(day, 3);
    let to = months_after(day, 1).min(today);
    c.care_leaver_contacts
        .iter()
        .filter(|k| k.at >= from && k.at <= to)
        .min_by_key(|k| ((k.at - day).num_days().abs(), k.at))
}

/// Each care leaver whose 19th, 20th or 21st birthday is in the period, with the contact
/// around it (none: not in touch).
fn birthdays<'a>(
    ctx: &'a Ctx,
    mut f: impl FnMut(&'a Child, NaiveDate, Option<&'a CareLeaverContact>),
) {
    let years = ctx.first.year()..=ctx.last.year();
    for c in &ctx.ix.in_care {
        let Some(born) = c.details.date_of_birth else {
            continue;
        };
        for age in 19..=21 {
            // A cheap test of the year first: most care leavers have no birthday this period.
            if !years.contains(&(born.year() + age as i32)) {
                continue;
            }
            let Some(day) = birthday(c, age).filter(|d| ctx.in_period(*d)) else {
                continue;
            };
            if care_leaver_by(c, day) {
                f(c, day, around(c, day, ctx.today).filter(|k| k.in_touch));
            }
        }
    }
}

fn eet(k: &CareLeaverContact) -> bool {
    k.activity
        .is_some_and(|a| a.in_education_employment_or_training())
}

pub fn eet_19_to_21(ctx: &Ctx, t: &mut Tally) {
    birthdays(ctx, |c, day, k| t.child(c, None, day, k.is_some_and(eet)));
}

pub fn suitably_housed(ctx: &Ctx, t: &mut Tally) {
    birthdays(ctx, |c, day, k| {
        t.child(
            c,
            None,
            day,
            k.is_some_and(|k| k.accommodation_suitable == Some(true)),
        )
    });
}

pub fn not_in_touch(ctx: &Ctx, t: &mut Tally) {
    birthdays(ctx, |c, day, k| t.child(c, None, day, k.is_none()));
}

pub fn higher_education_19_to_21(ctx: &Ctx, t: &mut Tally) {
    birthdays(ctx, |c, day, k| {
        let in_he = k.is_some_and(|k| k.activity == Some(CareLeaverActivity::HigherEducation));
        t.child(c, None, day, in_he)
    });
}

pub fn neet_19_to_21(ctx: &Ctx, t: &mut Tally) {
    birthdays(ctx, |c, day, k| {
        t.child(
            c,
            None,
            day,
            k.is_some_and(|k| k.activity.is_some() && !eet(k)),
        )
    });
}

pub fn eet_19_to_25(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.leavers {
        ctx.each(t, |ctx, t| {
            let since = months_before(ctx.at, 12);
            if !age_on(c, ctx.at).is_some_and(|a| (19..=25).contains(&a))
                || !care_leaver_by(c, ctx.at)
            {
                return;
            }
            let latest = c
                .care_leaver_contacts
                .iter()
                .filter(|k| k.at > since && k.at <= ctx.at && k.in_touch)
                .max_by_key(|k| k.at);
            match latest {
                Some(k) => t.child(c, None, ctx.at, eet(k)),
                None => t.leave(c, None, ctx.at, "not in touch in the last 12 months"),
            }
        });
    }
}

pub fn pathway_plans(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.in_care {
        ctx.each(t, |ctx, t| {
            let since = months_before(ctx.at, 6);
            if !age_on(c, ctx.at).is_some_and(|a| (18..=21).contains(&a))
                || !care_leaver_by(c, ctx.at)
            {
                return;
            }
            let reviewed = c
                .care_leaver_contacts
                .iter()
                .any(|k| k.pathway_plan_reviewed && k.at > since && k.at <= ctx.at);
            t.child(c, None, ctx.at, reviewed);
        });
    }
}

pub fn neet_16_to_18(ctx: &Ctx, t: &mut Tally) {
    for c in &ctx.ix.in_care {
        ctx.each(t, |ctx, t| {
            let since = months_before(ctx.at, 6);
            if !age_on(c, ctx.at).is_some_and(|a| (16..=18).contains(&a)) {
                return;
            }
            if looked_after_on(c, ctx.at).is_none() && !care_leaver_by(c, ctx.at) {
                return;
            }
            let latest = c
                .care_leaver_contacts
                .iter()
                .filter(|k| k.activity.is_some() && k.at > since && k.at <= ctx.at)
                .max_by_key(|k| k.at);
            match latest {
                Some(k) => t.child(c, None, ctx.at, !eet(k)),
                None => t.leave(
                    c,
                    None,
                    ctx.at,
                    "no activity recorded in the last six months",
                ),
            }
        });
    }
}
