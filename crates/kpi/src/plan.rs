//! The improvement plan read against its evidence: each priority's rating from its actions and
//! the measures that evidence it, and what the Improvement Board's pack reports: for each
//! priority, what changed since the board last met, exceptions first.

use crate::catalogue::{Measure, Polarity};
use crate::period::Period;
use crate::report::Row;
use crate::targets::Rag;
use chrono::NaiveDate;
use domain::codes::{ActionStatus, BoardKind};
use domain::ids::ActionId;
use domain::plan::{Action, Board, LONG_OVERDUE_DAYS, Plan, Priority, Update};

/// A priority's rating, and why, in words a board member reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Rating {
    pub rag: Rag,
    pub reasons: Vec<String>,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Rates a priority on `on` from its actions (as they stood that day) and the ratings of the
/// measures that evidence it (`None` where a measure has no figure or no trajectory yet).
///
/// Red when an action is more than [`LONG_OVERDUE_DAYS`] past its date, or most of the rated
/// measures (more than half) are red against their trajectory. Amber when any action is overdue or
/// slipping, or any measure is red or amber. Green otherwise.
pub fn rate(actions: &[&Action], measures: &[Option<Rag>], on: NaiveDate) -> Rating {
    let long_overdue = actions
        .iter()
        .filter(|a| a.days_overdue(on).is_some_and(|d| d > LONG_OVERDUE_DAYS))
        .count();
    let overdue = actions.iter().filter(|a| a.is_overdue(on)).count();
    let slipping = actions.iter().filter(|a| a.is_slipping(on)).count();
    let rated: Vec<Rag> = measures.iter().flatten().copied().collect();
    let red = rated.iter().filter(|r| **r == Rag::Red).count();
    let amber = rated.iter().filter(|r| **r == Rag::Amber).count();
    let rag = if long_overdue > 0 || red * 2 > rated.len() {
        Rag::Red
    } else if overdue + slipping + red + amber > 0 {
        Rag::Amber
    } else {
        Rag::Green
    };
    let mut reasons = Vec::new();
    if overdue > 0 {
        let mut r = format!("{} overdue", plural(overdue, "action", "actions"));
        if long_overdue > 0 {
            r.push_str(&format!(
                ", {long_overdue} of them by more than {LONG_OVERDUE_DAYS} days"
            ));
        }
        reasons.push(r);
    }
    if slipping > 0 {
        reasons.push(format!(
            "{} slipping (a later date than first agreed, or said to be at risk)",
            plural(slipping, "action", "actions")
        ));
    }
    if red > 0 {
        reasons.push(format!(
            "{red} of {} red against trajectory",
            plural(rated.len(), "rated measure", "rated measures")
        ));
    }
    if amber > 0 {
        reasons.push(format!(
            "{amber} of {} amber",
            plural(rated.len(), "rated measure", "rated measures")
        ));
    }
    if reasons.is_empty() {
        reasons.push(if rated.is_empty() {
            "Every action on time; no measure rated against a trajectory yet".to_string()
        } else {
            "Every action on time and every rated measure on trajectory".to_string()
        });
    }
    Rating { rag, reasons }
}

/// How many of a priority's actions stand where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: usize,
    pub complete: usize,
    pub overdue: usize,
    pub slipping: usize,
}

impl Counts {
    pub fn of(actions: &[&Action], on: NaiveDate) -> Counts {
        Counts {
            total: actions.len(),
            complete: actions.iter().filter(|a| a.completed.is_some()).count(),
            overdue: actions.iter().filter(|a| a.is_overdue(on)).count(),
            slipping: actions.iter().filter(|a| a.is_slipping(on)).count(),
        }
    }
}

/// Where a figure went between two periods, read with the measure's polarity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    Better,
    Worse,
    Same,
    /// Contextual measures have no better or worse.
    Changed,
    /// One of the two figures is missing.
    Unknown,
}

impl Movement {
    pub fn between(then: Option<f64>, now: Option<f64>, polarity: Polarity) -> Movement {
        let (Some(a), Some(b)) = (then, now) else {
            return Movement::Unknown;
        };
        if (b - a).abs() < 1e-9 {
            return Movement::Same;
        }
        match polarity {
            Polarity::Higher if b > a => Movement::Better,
            Polarity::Higher => Movement::Worse,
            Polarity::Contextual => Movement::Changed,
            _ if b < a => Movement::Better,
            _ => Movement::Worse,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Movement::Better => "Better",
            Movement::Worse => "Worse",
            Movement::Same => "No change",
            Movement::Changed => "Changed",
            Movement::Unknown => "Not known",
        }
    }
}

/// A measure that evidences a priority: its figures for the pack's periods, council-wide.
#[derive(Debug, Clone)]
pub struct Evidence<'r> {
    pub measure: &'static Measure,
    /// The 13 periods to the pack's month, oldest first.
    pub trend: Vec<Option<&'r Row>>,
    pub now: Option<&'r Row>,
    /// The month before the board last met.
    pub then: Option<&'r Row>,
}

impl Evidence<'_> {
    pub fn rag(&self) -> Option<Rag> {
        self.now.and_then(|r| r.rag)
    }

    pub fn movement(&self) -> Movement {
        Movement::between(
            self.then.and_then(|r| r.value),
            self.now.and_then(|r| r.value),
            self.measure.polarity,
        )
    }

    /// Whether the rating against trajectory changed since the last board, and how.
    pub fn rag_then(&self) -> Option<Rag> {
        self.then.and_then(|r| r.rag)
    }
}

/// Something that happened to an action between two boards.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Completed {
        on: NaiveDate,
        late: bool,
    },
    Rescheduled {
        on: NaiveDate,
        from: NaiveDate,
        to: NaiveDate,
        reason: String,
    },
    BecameOverdue {
        due: NaiveDate,
    },
    AtRisk {
        on: NaiveDate,
        note: String,
    },
    Added {
        on: NaiveDate,
    },
}

impl Change {
    /// Whether the board should see it among the exceptions.
    pub fn is_slippage(&self) -> bool {
        matches!(
            self,
            Change::Rescheduled { .. } | Change::BecameOverdue { .. } | Change::AtRisk { .. }
        )
    }

    pub fn describe(&self) -> String {
        let day = |d: &NaiveDate| d.format("%-d %B %Y").to_string();
        match self {
            Change::Completed { on, late: false } => format!("Completed on {}", day(on)),
            Change::Completed { on, late: true } => {
                format!("Completed on {}, later than first agreed", day(on))
            }
            Change::Rescheduled {
                on,
                from,
                to,
                reason,
            } => format!(
                "Date moved on {} from {} to {}: {reason}",
                day(on),
                day(from),
                day(to)
            ),
            Change::BecameOverdue { due } => {
                format!("Passed its date of {} without being completed", day(due))
            }
            Change::AtRisk { on, note } => format!("Said to be at risk on {}: {note}", day(on)),
            Change::Added { on } => format!("Added to the plan on {}", day(on)),
        }
    }
}

/// What happened to an action after `since` up to the end of `on`. With no `since` (no board
/// has met), everything from the start counts.
pub fn changes(action: &Action, since: Option<NaiveDate>, on: NaiveDate) -> Vec<Change> {
    let Some(now) = action.as_on(on) else {
        return Vec::new();
    };
    let after = |d: NaiveDate| since.is_none_or(|s| d > s) && d <= on;
    let mut out = Vec::new();
    if after(now.added) && since.is_some() {
        out.push(Change::Added { on: now.added });
    }
    for r in now.reschedules.iter().filter(|r| after(r.at)) {
        out.push(Change::Rescheduled {
            on: r.at,
            from: r.from,
            to: r.to,
            reason: r.reason.clone(),
        });
    }
    // Marked at risk in the window, having not been at risk before.
    let mut before = since
        .and_then(|s| action.as_on(s))
        .map_or(ActionStatus::NotStarted, |a| a.status);
    for u in now.updates.iter() {
        if after(u.at) && u.status == ActionStatus::AtRisk && before != ActionStatus::AtRisk {
            out.push(Change::AtRisk {
                on: u.at,
                note: u.note.clone(),
            });
        }
        before = u.status;
    }
    match now.completed {
        Some(c) if after(c) => out.push(Change::Completed {
            on: c,
            late: now.completed_late(),
        }),
        Some(_) => {}
        // Overdue now, and was not when the board last met.
        None if now.is_overdue(on)
            && since.is_none_or(|s| action.as_on(s).is_none_or(|a| !a.is_overdue(s))) =>
        {
            out.push(Change::BecameOverdue { due: now.due })
        }
        None => {}
    }
    out
}

/// One priority in the pack.
#[derive(Debug, Clone)]
pub struct PackPriority<'a> {
    pub priority: &'a Priority,
    pub rating: Rating,
    /// The rating when the board last met, read from the same records.
    pub rating_then: Option<Rating>,
    pub counts: Counts,
    /// Each action as it stood on the pack's date, in order of due date, with what happened
    /// to it since the last board.
    pub actions: Vec<(Action, Vec<Change>)>,
    /// Progress updates given since the last board, newest first.
    pub updates: Vec<(ActionId, Update)>,
    pub evidence: Vec<Evidence<'a>>,
}

impl PackPriority<'_> {
    /// Whether the board should look at it first: rated red or amber, or something slipped.
    pub fn is_exception(&self) -> bool {
        self.rating.rag != Rag::Green
            || self
                .actions
                .iter()
                .any(|(_, c)| c.iter().any(Change::is_slippage))
    }
}

/// What the Improvement Board's pack reports.
#[derive(Debug, Clone)]
pub struct Pack<'a> {
    pub date: NaiveDate,
    /// The month the figures are for: the last whole month before the pack's date.
    pub period: Period,
    pub board: Option<&'a Board>,
    /// When the board last met before the pack's date.
    pub since: Option<NaiveDate>,
    /// The month the figures were for at that meeting.
    pub since_period: Option<Period>,
    /// The priorities, exceptions first (red, then amber), then in the plan's order.
    pub priorities: Vec<PackPriority<'a>>,
}

impl Pack<'_> {
    /// Actions overdue on the pack's date, longest overdue first.
    pub fn overdue(&self) -> Vec<&Action> {
        let mut v: Vec<&Action> = self
            .priorities
            .iter()
            .flat_map(|p| p.actions.iter().map(|(a, _)| a))
            .filter(|a| a.is_overdue(self.date))
            .collect();
        v.sort_by_key(|a| (a.due, a.id));
        v
    }

    /// Measures red against trajectory in the pack's month.
    pub fn red_measures(&self) -> Vec<(&Priority, &Evidence<'_>)> {
        self.priorities
            .iter()
            .flat_map(|p| p.evidence.iter().map(move |e| (p.priority, e)))
            .filter(|(_, e)| e.rag() == Some(Rag::Red))
            .collect()
    }

    pub fn totals(&self) -> Counts {
        let mut t = Counts::default();
        for p in &self.priorities {
            t.total += p.counts.total;
            t.complete += p.counts.complete;
            t.overdue += p.counts.overdue;
            t.slipping += p.counts.slipping;
        }
        t
    }
}

/// The plan's Improvement Board: the first board of that kind.
pub fn improvement_board(plan: &Plan) -> Option<&Board> {
    plan.boards
        .values()
        .find(|b| b.kind == BoardKind::ImprovementBoard)
}

/// Works out the pack for `date`. `row` gives a measure's council-wide figures for a period;
/// `periods` are the 13 months charted, oldest first, the last being the pack's month.
pub fn pack<'a>(
    plan: &'a Plan,
    date: NaiveDate,
    periods: &[Period],
    row: &dyn Fn(&str, Period) -> Option<&'a Row>,
) -> Pack<'a> {
    let period = *periods.last().expect("at least one period");
    let board = improvement_board(plan);
    // The last meeting before the pack's date: a pack written on the day of a meeting reports
    // what changed since the one before.
    let since = board.and_then(|b| b.meetings.iter().rfind(|m| m.date < date).map(|m| m.date));
    let since_period = since.map(Period::last_whole_month_before);
    let evidence_of = |p: &Priority| -> Vec<Evidence<'a>> {
        p.measures
            .iter()
            .filter_map(|id| crate::catalogue::measure(id))
            .map(|measure| Evidence {
                measure,
                trend: periods.iter().map(|q| row(&measure.id, *q)).collect(),
                now: row(&measure.id, period),
                then: since_period.and_then(|q| row(&measure.id, q)),
            })
            .collect()
    };
    let mut priorities: Vec<PackPriority<'a>> = plan
        .priorities_in_order()
        .into_iter()
        .filter(|p| p.added <= date)
        .map(|p| {
            let now: Vec<Action> = plan
                .actions_of(p.id)
                .into_iter()
                .filter_map(|a| a.as_on(date))
                .collect();
            let refs: Vec<&Action> = now.iter().collect();
            let evidence = evidence_of(p);
            let rags: Vec<Option<Rag>> = evidence.iter().map(Evidence::rag).collect();
            let rating = rate(&refs, &rags, date);
            let rating_then = since.map(|s| {
                let then: Vec<Action> = now.iter().filter_map(|a| a.as_on(s)).collect();
                let refs: Vec<&Action> = then.iter().collect();
                let rags: Vec<Option<Rag>> = evidence.iter().map(Evidence::rag_then).collect();
                rate(&refs, &rags, s)
            });
            let counts = Counts::of(&refs, date);
            let mut updates: Vec<(ActionId, Update)> = now
                .iter()
                .flat_map(|a| a.updates.iter().map(move |u| (a.id, u.clone())))
                .filter(|(_, u)| since.is_none_or(|s| u.at > s))
                .collect();
            updates.sort_by(|a, b| b.1.at.cmp(&a.1.at).then(a.0.cmp(&b.0)));
            let actions = now
                .into_iter()
                .map(|a| {
                    let c = plan
                        .actions
                        .get(&a.id)
                        .map(|whole| changes(whole, since, date))
                        .unwrap_or_default();
                    (a, c)
                })
                .collect();
            PackPriority {
                priority: p,
                rating,
                rating_then,
                counts,
                actions,
                updates,
                evidence,
            }
        })
        .collect();
    priorities.sort_by_key(|p| (p.rating.rag, p.priority.number));
    Pack {
        date,
        period,
        board,
        since,
        since_period,
        priorities,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::WorkerId;
    use domain::codes::Strand;
    use domain::ids::PriorityId;
    use domain::plan::Reschedule;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn action(due: &str) -> Action {
        Action {
            id: ActionId(1),
            priority: PriorityId(1),
            strand: Strand::Practice,
            text: "Audit every plan".into(),
            owner: WorkerId(1),
            first_due: d(due),
            due: d(due),
            status: ActionStatus::OnTrack,
            completed: None,
            added: d("2025-01-01"),
            arising_from: None,
            updates: vec![Update {
                at: d("2025-01-10"),
                status: ActionStatus::OnTrack,
                note: "Begun".into(),
            }],
            reschedules: Vec::new(),
        }
    }

    fn complete(mut a: Action, on: &str) -> Action {
        a.status = ActionStatus::Complete;
        a.completed = Some(d(on));
        a.updates.push(Update {
            at: d(on),
            status: ActionStatus::Complete,
            note: "Done".into(),
        });
        a
    }

    #[test]
    fn a_priority_is_red_when_an_action_is_long_overdue_or_most_of_its_measures_are_red() {
        let on = d("2025-06-30");
        let on_time = action("2025-09-30");
        let done = complete(action("2025-03-31"), "2025-03-20");
        // 29 days past its date.
        let long = action("2025-06-01");
        // 28 days past: overdue, but not yet long overdue.
        let short = action("2025-06-02");
        let green = rate(&[&on_time, &done], &[Some(Rag::Green), None], on);
        assert_eq!(green.rag, Rag::Green, "{:?}", green.reasons);
        assert_eq!(rate(&[&on_time, &long], &[], on).rag, Rag::Red);
        let amber = rate(&[&on_time, &short], &[Some(Rag::Green)], on);
        assert_eq!(amber.rag, Rag::Amber);
        assert_eq!(amber.reasons, vec!["1 action overdue".to_string()]);
        let red = rate(&[&long], &[], on);
        assert_eq!(
            red.reasons,
            vec!["1 action overdue, 1 of them by more than 28 days".to_string()]
        );
        // Most rated measures red is red; half or fewer is amber; unrated measures do not count.
        let measures = [Some(Rag::Red), Some(Rag::Red), Some(Rag::Green), None];
        assert_eq!(rate(&[&on_time], &measures, on).rag, Rag::Red);
        let measures = [Some(Rag::Red), Some(Rag::Green), None];
        assert_eq!(rate(&[&on_time], &measures, on).rag, Rag::Amber);
        assert_eq!(rate(&[&on_time], &[Some(Rag::Red), None], on).rag, Rag::Red);
        assert_eq!(rate(&[&on_time], &[Some(Rag::Amber)], on).rag, Rag::Amber);
        assert_eq!(rate(&[&on_time], &[None, None], on).rag, Rag::Green);
    }

    #[test]
    fn a_moved_date_or_an_owner_saying_at_risk_makes_a_priority_amber() {
        let on = d("2025-06-30");
        let mut moved = action("2025-09-30");
        moved.reschedules.push(Reschedule {
            at: d("2025-05-01"),
            from: d("2025-06-30"),
            to: d("2025-09-30"),
            reason: "Waiting for the new system".into(),
        });
        moved.first_due = d("2025-06-30");
        let r = rate(&[&moved], &[Some(Rag::Green)], on);
        assert_eq!(r.rag, Rag::Amber);
        assert!(
            r.reasons[0].contains("1 action slipping"),
            "{:?}",
            r.reasons
        );
        let mut risky = action("2025-09-30");
        risky.status = ActionStatus::AtRisk;
        assert_eq!(rate(&[&risky], &[], on).rag, Rag::Amber);
        // Completed late is history, not a risk.
        let late = complete(action("2025-03-31"), "2025-04-20");
        assert_eq!(rate(&[&late], &[], on).rag, Rag::Green);
    }

    #[test]
    fn changes_since_the_last_board_are_what_happened_in_between() {
        let since = Some(d("2025-05-01"));
        let on = d("2025-06-12");
        // Completed between the boards.
        let done = complete(action("2025-06-30"), "2025-05-20");
        assert_eq!(
            changes(&done, since, on),
            vec![Change::Completed {
                on: d("2025-05-20"),
                late: false
            }]
        );
        // Completed before the last board: nothing new.
        assert!(changes(&done, since, d("2025-05-19")).is_empty());
        // Its date passed between the boards.
        let missed = action("2025-05-31");
        assert_eq!(
            changes(&missed, since, on),
            vec![Change::BecameOverdue {
                due: d("2025-05-31")
            }]
        );
        // Already overdue at the last board: not news.
        let old = action("2025-04-30");
        assert!(changes(&old, since, on).is_empty());
        // Marked at risk between the boards, then moved.
        let mut risky = action("2025-06-30");
        risky.updates.push(Update {
            at: d("2025-05-10"),
            status: ActionStatus::AtRisk,
            note: "The trainer left".into(),
        });
        risky.reschedules.push(Reschedule {
            at: d("2025-05-11"),
            from: d("2025-06-30"),
            to: d("2025-08-31"),
            reason: "New trainer in July".into(),
        });
        let c = changes(&risky, since, on);
        assert_eq!(c.len(), 2, "{c:?}");
        assert!(c.iter().all(Change::is_slippage));
        assert!(
            c[0].describe()
                .contains("from 30 June 2025 to 31 August 2025")
        );
    }

    #[test]
    fn movement_reads_the_measures_polarity() {
        assert_eq!(
            Movement::between(Some(60.0), Some(70.0), Polarity::Higher),
            Movement::Better
        );
        assert_eq!(
            Movement::between(Some(60.0), Some(70.0), Polarity::Lower),
            Movement::Worse
        );
        assert_eq!(
            Movement::between(Some(60.0), Some(60.0), Polarity::Lower),
            Movement::Same
        );
        assert_eq!(
            Movement::between(None, Some(60.0), Polarity::Lower),
            Movement::Unknown
        );
    }
}
