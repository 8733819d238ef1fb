//! The engine: a measure's function turns the model into items (each a child, worker or record
//! with its share of numerator and denominator), and the items add up to the figure for any scope.
//! Keeping the items is what puts the children behind each number one click away.

use crate::catalogue::{self, Aggregate, Measure};
use crate::index::Index;
use crate::measures;
use crate::period::Period;
use crate::scope::Scope;
use chrono::{Datelike, NaiveDate};
use domain::calendar::Calendar;
use domain::codes::Service;
use domain::model::Child;
use domain::{ChildId, Model, RecordId, TeamId, WorkerId};
use rustc_hash::FxHashMap;
use serde::Serialize;

/// Who an item is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    Child(ChildId),
    Worker(WorkerId),
}

/// One child, worker or record counted by a measure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub subject: Subject,
    pub record: Option<RecordId>,
    /// The date that put it in the period (received, authorised, the snapshot date...).
    pub date: NaiveDate,
    /// Its share of the numerator: 1 or 0 for percentages, a total for means and ratios.
    pub num: f64,
    /// Its share of the denominator.
    pub den: f64,
    /// A figure about it worth showing: working days taken, days open, cases held.
    pub value: Option<f64>,
    /// The team and worker it belonged to on `date`.
    pub team: Option<TeamId>,
    pub worker: Option<WorkerId>,
    /// Which of the periods read in one pass it was counted in (see [`Ctx::each`]).
    #[serde(skip)]
    pub slot: u16,
}

/// Something a measure looked at and left out, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Left {
    pub subject: Subject,
    pub record: Option<RecordId>,
    pub date: NaiveDate,
    pub reason: &'static str,
    pub team: Option<TeamId>,
    pub worker: Option<WorkerId>,
}

/// What one measure found over one period, before it is cut to a scope.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub items: Vec<Item>,
    pub left: Vec<Left>,
    /// The period items are being counted in, when several are read in one pass.
    slot: u16,
    /// When set, items go straight into sums by period and team instead of being kept: a
    /// scorecard needs the figures, not the lists behind them.
    summing: Option<Summing>,
}

/// One counted thing: its shares, and the date, team and worker that place it.
struct Counted {
    record: Option<RecordId>,
    date: NaiveDate,
    num: f64,
    den: f64,
    value: Option<f64>,
    team: Option<TeamId>,
    worker: Option<WorkerId>,
}

/// Sums by period and team, filled as a measure counts.
#[derive(Debug, Clone)]
struct Summing {
    /// Which period an item is summed in: its slot in the pass, or the month its date falls
    /// in (given by each month's last day).
    by: Buckets,
    keep_values: bool,
    periods: Vec<TeamSums>,
}

#[derive(Debug, Clone)]
enum Buckets {
    Slot,
    Date(Vec<NaiveDate>),
}

/// One period a measure is read over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// The snapshot date: the last day, or today if that is still to come.
    pub at: NaiveDate,
}

impl Span {
    pub fn new(first: NaiveDate, last: NaiveDate, today: NaiveDate) -> Self {
        Span {
            first,
            last,
            at: last.min(today),
        }
    }
}

/// What a measure function sees.
#[derive(Clone, Copy)]
pub struct Ctx<'m> {
    pub model: &'m Model,
    pub cal: &'m Calendar,
    pub ix: &'m Index<'m>,
    /// The first and last days of the period.
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// The snapshot date: the period's last day, or today if that is still to come.
    pub at: NaiveDate,
    /// What is known up to: clocks that have not run out by today are still running.
    pub today: NaiveDate,
    /// Every period the measure is read over in this pass, in date order: this one alone, or
    /// each month of a scorecard's trend. Snapshot measures visit each child once and read it
    /// at every period's end through [`Ctx::each`], rather than fetching it from memory again
    /// for every month.
    spans: &'m [Span],
}

impl<'m> Ctx<'m> {
    /// The earliest and latest snapshot dates of the pass, to choose the children to visit.
    pub fn earliest(&self) -> NaiveDate {
        self.spans.first().map_or(self.at, |s| s.at)
    }

    pub fn latest(&self) -> NaiveDate {
        self.spans.last().map_or(self.at, |s| s.at)
    }

    /// The first day of the earliest period and the last of the latest.
    pub fn earliest_first(&self) -> NaiveDate {
        self.spans.first().map_or(self.first, |s| s.first)
    }

    pub fn latest_last(&self) -> NaiveDate {
        self.spans.last().map_or(self.last, |s| s.last)
    }

    /// Runs `f` for each period of the pass, with what it counts placed in that period.
    pub fn each(&self, t: &mut Tally, mut f: impl FnMut(&Ctx<'m>, &mut Tally)) {
        for (k, span) in self.spans.iter().enumerate() {
            let one = Ctx {
                first: span.first,
                last: span.last,
                at: span.at,
                spans: std::slice::from_ref(span),
                ..*self
            };
            t.slot = u16::try_from(k).expect("fewer than 65,536 periods in a pass");
            f(&one, t);
        }
        t.slot = 0;
    }
}

impl Ctx<'_> {
    pub fn in_period(&self, d: NaiveDate) -> bool {
        self.first <= d && d <= self.last && d <= self.today
    }

    pub fn wd(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        self.cal.working_days_between(from, to)
    }
}

impl Tally {
    /// A tally that sums what it is given by the slot of each period in the pass.
    pub fn summing_by_slot(measure: &Measure, periods: usize) -> Self {
        Self::summing(measure, Buckets::Slot, periods)
    }

    /// A tally that sums what it is given into consecutive periods by date, given their last
    /// days; anything after the last is dropped.
    pub fn summing_by_date(measure: &Measure, lasts: Vec<NaiveDate>) -> Self {
        let n = lasts.len();
        Self::summing(measure, Buckets::Date(lasts), n)
    }

    fn summing(measure: &Measure, by: Buckets, periods: usize) -> Self {
        Tally {
            summing: Some(Summing {
                by,
                keep_values: measure.aggregate == Aggregate::Median,
                periods: vec![TeamSums::default(); periods],
            }),
            ..Tally::default()
        }
    }

    /// The sums of a summing tally, a `TeamSums` per period.
    pub fn into_sums(self) -> Vec<TeamSums> {
        self.summing.map(|s| s.periods).unwrap_or_default()
    }

    pub fn child(&mut self, c: &Child, record: Option<RecordId>, date: NaiveDate, met: bool) {
        self.push(c, record, date, f64::from(u8::from(met)), 1.0, None);
    }

    pub fn child_valued(
        &mut self,
        c: &Child,
        record: Option<RecordId>,
        date: NaiveDate,
        met: bool,
        value: f64,
    ) {
        self.push(c, record, date, f64::from(u8::from(met)), 1.0, Some(value));
    }

    /// A child counted in the team and worker it was allocated to on `date`.
    pub fn push(
        &mut self,
        c: &Child,
        record: Option<RecordId>,
        date: NaiveDate,
        num: f64,
        den: f64,
        value: Option<f64>,
    ) {
        self.push_placed(c, allocated_on(c, date), record, date, num, den, value);
    }

    /// The same, placed by the index: the team and worker the child was allocated to on
    /// `date`, found once when the index was built rather than by each measure.
    #[allow(clippy::too_many_arguments)]
    pub fn push_placed(
        &mut self,
        c: &Child,
        (team, worker): Placed,
        record: Option<RecordId>,
        date: NaiveDate,
        num: f64,
        den: f64,
        value: Option<f64>,
    ) {
        let counted = Counted {
            record,
            date,
            num,
            den,
            value,
            team,
            worker,
        };
        self.add(|| Subject::Child(c.id()), counted);
    }

    /// A child counted for an allocation the measure already holds, saving the look-up.
    pub fn child_placed(
        &mut self,
        c: &Child,
        date: NaiveDate,
        met: bool,
        allocation: &domain::model::Allocation,
    ) {
        let counted = Counted {
            record: None,
            date,
            num: f64::from(u8::from(met)),
            den: 1.0,
            value: None,
            team: Some(allocation.team),
            worker: Some(allocation.worker),
        };
        self.add(|| Subject::Child(c.id()), counted);
    }

    /// A worker counted in the team of their terms on `date`.
    pub fn worker(
        &mut self,
        w: WorkerId,
        terms: &domain::model::WorkerTerms,
        date: NaiveDate,
        num: f64,
        den: f64,
        value: Option<f64>,
    ) {
        let counted = Counted {
            record: None,
            date,
            num,
            den,
            value,
            team: Some(terms.team),
            worker: Some(w),
        };
        self.add(|| Subject::Worker(w), counted);
    }

    /// Adds a counted thing to the sums of a summing tally, or else to its items. Who it is
    /// about is worked out only for an item: for a child that is a read of its record, which
    /// summing does without.
    fn add(&mut self, subject: impl FnOnce() -> Subject, k: Counted) {
        let Some(s) = &mut self.summing else {
            self.items.push(Item {
                subject: subject(),
                record: k.record,
                date: k.date,
                num: k.num,
                den: k.den,
                value: k.value,
                team: k.team,
                worker: k.worker,
                slot: self.slot,
            });
            return;
        };
        let period = match &s.by {
            Buckets::Slot => usize::from(self.slot),
            Buckets::Date(lasts) => lasts.partition_point(|last| *last < k.date),
        };
        if let Some(sums) = s.periods.get_mut(period) {
            let one = sums.of(k.team);
            one.num += k.num;
            one.den += k.den;
            one.n += 1;
            if s.keep_values
                && let Some(v) = k.value
            {
                one.values.push(v);
            }
        }
    }

    pub fn leave(
        &mut self,
        c: &Child,
        record: Option<RecordId>,
        date: NaiveDate,
        reason: &'static str,
    ) {
        if self.summing.is_some() {
            return;
        }
        let (team, worker) = allocated_on(c, date);
        self.left.push(Left {
            subject: Subject::Child(c.id()),
            record,
            date,
            reason,
            team,
            worker,
        });
    }
}

/// The team and worker a child was allocated to on a date.
pub type Placed = (Option<TeamId>, Option<WorkerId>);

/// The team and worker a child was allocated to on a date. Work done on the day a case closed
/// belongs to whoever held it that day.
pub fn allocated_on(c: &Child, date: NaiveDate) -> Placed {
    let all = &c.allocations;
    all.iter()
        .rev()
        .find(|a| a.from <= date && a.to.is_none_or(|t| date < t))
        .or_else(|| all.iter().rev().find(|a| a.to == Some(date)))
        .map_or((None, None), |a| (Some(a.team), Some(a.worker)))
}

/// Runs one measure over one period, with every item and omission placed in its team.
pub fn evaluate(
    model: &Model,
    cal: &Calendar,
    ix: &Index<'_>,
    measure: &Measure,
    period: Period,
    today: NaiveDate,
) -> Tally {
    let mut tally = Tally::default();
    let (first, last) = (period.first(), period.last());
    evaluate_into(model, cal, ix, measure, first, last, today, &mut tally);
    tally
}

/// Runs one measure over the days `first..=last` into a tally emptied first, so that a
/// scorecard reuses one buffer.
#[allow(clippy::too_many_arguments)]
pub fn evaluate_into(
    model: &Model,
    cal: &Calendar,
    ix: &Index<'_>,
    measure: &Measure,
    first: NaiveDate,
    last: NaiveDate,
    today: NaiveDate,
    tally: &mut Tally,
) {
    let span = Span::new(first, last, today);
    evaluate_spans(model, cal, ix, measure, &[span], today, tally);
}

/// Runs one measure over several periods in one pass, each item marked with the index of its
/// period in `spans` (its `slot`). Only measures read at the period's end, or counting each
/// child once in a period, can be run this way (see [`reads_each_span`]).
pub fn evaluate_spans(
    model: &Model,
    cal: &Calendar,
    ix: &Index<'_>,
    measure: &Measure,
    spans: &[Span],
    today: NaiveDate,
    tally: &mut Tally,
) {
    let (Some(head), Some(tail)) = (spans.first(), spans.last()) else {
        return;
    };
    let ctx = Ctx {
        model,
        cal,
        ix,
        first: head.first,
        last: tail.last,
        at: tail.at,
        today,
        spans,
    };
    tally.items.clear();
    tally.left.clear();
    tally.slot = 0;
    let f = measures::function(&measure.id).expect("every catalogue entry has a function");
    f(&ctx, tally);
}

/// Whether a measure's function reads every period of a pass through [`Ctx::each`].
pub fn reads_each_span(measure: &Measure) -> bool {
    measures::READS_EACH_SPAN.contains(&measure.id.as_str())
}

/// Whether something placed in `team` (or in no team) falls in a scope.
pub fn in_scope(
    model: &Model,
    measure: &Measure,
    scope: Scope,
    team: Option<TeamId>,
    worker: Option<WorkerId>,
) -> bool {
    match scope {
        Scope::Council => true,
        Scope::Team(t) => team == Some(t),
        Scope::Worker(w) => worker == Some(w),
        Scope::Service(s) => service_of(model, measure, team) == Some(s),
    }
}

/// The service a team belongs to; records of unallocated children belong to the measure's own
/// service (contacts to the front door, for instance).
pub fn service_of(model: &Model, measure: &Measure, team: Option<TeamId>) -> Option<Service> {
    match team {
        Some(t) => model.teams.get(&t).map(|t| t.service),
        None => measure.home_service,
    }
}

/// Running sums for one scope.
#[derive(Debug, Clone, Default)]
pub struct Sums {
    pub num: f64,
    pub den: f64,
    pub n: usize,
    values: Vec<f64>,
}

impl Sums {
    pub fn merge(&mut self, other: &Sums) {
        self.num += other.num;
        self.den += other.den;
        self.n += other.n;
        self.values.extend_from_slice(&other.values);
    }

    pub fn add(&mut self, i: &Item, keep_values: bool) {
        self.num += i.num;
        self.den += i.den;
        self.n += 1;
        if keep_values && let Some(v) = i.value {
            self.values.push(v);
        }
    }
}

/// A measure's figure for one period and scope.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub value: Option<f64>,
    /// Why there is no value, when there is none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_value: Option<&'static str>,
}

/// The ONS mid-year estimate that rates for a period use: the mid-year before the end of the
/// statutory year the period ends in, or the nearest earlier one the council has.
pub fn population(model: &Model, period: Period) -> Option<u32> {
    let last = period.last();
    let year_end = if last.month() >= 4 {
        last.year() + 1
    } else {
        last.year()
    };
    let pop = &model.council.population;
    pop.range(..=year_end - 1)
        .next_back()
        .or_else(|| pop.iter().next())
        .map(|(_, n)| *n)
}

/// Why a measure has no figure when the council's records come from a source that does not
/// carry what it counts.
pub const NOT_AVAILABLE: &str = "not available from this source";

/// A figure from its sums. `whole_council` says whether the sums are the council's own: only
/// those have a child population to give a rate per 10,000.
pub fn figure(
    model: &Model,
    measure: &Measure,
    period: Period,
    whole_council: bool,
    sums: &Sums,
) -> Figure {
    // What the council's source of records does not carry is not available, never zero.
    if measure
        .needs
        .iter()
        .any(|f| model.council.not_carried.contains(f))
    {
        return Figure {
            numerator: None,
            denominator: None,
            value: None,
            no_value: Some(NOT_AVAILABLE),
        };
    }
    let ratio = |scale: f64| (sums.den > 0.0).then(|| round(scale * sums.num / sums.den));
    match measure.aggregate {
        Aggregate::Percent => Figure {
            numerator: Some(round(sums.num)),
            denominator: Some(round(sums.den)),
            value: ratio(100.0),
            no_value: (sums.den == 0.0).then_some("nothing to count in this period"),
        },
        Aggregate::Ratio | Aggregate::Mean => Figure {
            numerator: Some(round(sums.num)),
            denominator: Some(round(sums.den)),
            value: ratio(1.0),
            no_value: (sums.den == 0.0).then_some("nothing to count in this period"),
        },
        Aggregate::Count => Figure {
            numerator: Some(sums.num),
            denominator: None,
            value: Some(sums.num),
            no_value: None,
        },
        Aggregate::Median => {
            let value = median(sums.values.clone());
            Figure {
                numerator: None,
                denominator: Some(sums.den),
                value,
                no_value: value.is_none().then_some("nothing to count in this period"),
            }
        }
        Aggregate::Rate => {
            if !whole_council {
                return Figure {
                    numerator: Some(sums.num),
                    denominator: None,
                    value: None,
                    no_value: Some("rates per 10,000 children are for the council as a whole"),
                };
            }
            match population(model, period) {
                Some(p) if p > 0 => Figure {
                    numerator: Some(sums.num),
                    denominator: Some(f64::from(p)),
                    value: Some(round(10_000.0 * sums.num / f64::from(p))),
                    no_value: None,
                },
                _ => Figure {
                    numerator: Some(sums.num),
                    denominator: None,
                    value: None,
                    no_value: Some("no child population estimate is recorded for the council"),
                },
            }
        }
    }
}

/// The middle value (the mean of the middle two for an even count), to one decimal place.
pub fn median(mut v: Vec<f64>) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    match v.len() {
        0 => None,
        n if n % 2 == 1 => Some(v[m]),
        _ => Some(round((v[m - 1] + v[m]) / 2.0)),
    }
}

/// One decimal place, as the DfE publishes.
pub fn round(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A measure's figure for one scope, with the items behind it.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub figure: Figure,
    pub items: Vec<Item>,
    pub left: Vec<Left>,
}

pub fn outcome(
    model: &Model,
    measure: &Measure,
    period: Period,
    scope: Scope,
    tally: Tally,
) -> Outcome {
    let keep = measure.aggregate == Aggregate::Median;
    let mut sums = Sums::default();
    let mut items: Vec<Item> = tally
        .items
        .into_iter()
        .filter(|i| in_scope(model, measure, scope, i.team, i.worker))
        .collect();
    // Lists read in the order of who they are about.
    items.sort_by_key(|i| (i.subject, i.record, i.date));
    for i in &items {
        sums.add(i, keep);
    }
    let mut left: Vec<Left> = tally
        .left
        .into_iter()
        .filter(|l| in_scope(model, measure, scope, l.team, l.worker))
        .collect();
    left.sort_by_key(|l| (l.subject, l.record, l.date));
    Outcome {
        figure: figure(model, measure, period, scope == Scope::Council, &sums),
        items,
        left,
    }
}

/// Sums for the council, every service and every team at once: one pass over the items into
/// teams, then the teams folded into services and the council.
pub fn sums_by_scope(model: &Model, measure: &Measure, tally: &Tally) -> FxHashMap<Scope, Sums> {
    sums_of_items(model, measure, tally.items.iter())
}

pub fn sums_of_items<'a>(
    model: &Model,
    measure: &Measure,
    items: impl Iterator<Item = &'a Item>,
) -> FxHashMap<Scope, Sums> {
    let mut teams = TeamSums::default();
    teams.add(measure, items);
    teams.scopes(model, measure)
}

/// Sums by team (and for no team), to be folded into every scope once all items are in.
///
/// Teams numbered below [`DENSE_TEAMS`] are kept by number, so that adding an item is an
/// array step rather than a hash look-up (a scorecard adds millions); teams numbered higher,
/// as a council's own numbering may be, are kept in a map.
#[derive(Debug, Clone, Default)]
pub struct TeamSums {
    /// Slot 0 is for no team, slot `n + 1` for team `n`.
    dense: Vec<Option<Sums>>,
    sparse: FxHashMap<TeamId, Sums>,
}

const DENSE_TEAMS: u32 = 4096;

impl TeamSums {
    pub fn add<'a>(&mut self, measure: &Measure, items: impl Iterator<Item = &'a Item>) {
        let keep = measure.aggregate == Aggregate::Median;
        for i in items {
            self.of(i.team).add(i, keep);
        }
    }

    /// The sums of a team, or of no team, started at nought if new.
    fn of(&mut self, team: Option<TeamId>) -> &mut Sums {
        let slot = match team {
            None => 0,
            Some(TeamId(n)) if n < DENSE_TEAMS => n as usize + 1,
            Some(t) => return self.sparse.entry(t).or_default(),
        };
        if slot >= self.dense.len() {
            self.dense.resize(slot + 1, None);
        }
        self.dense[slot].get_or_insert_with(Sums::default)
    }

    /// Each team's sums (`None` for no team): dense ones in team order, then the rest.
    fn into_teams(self) -> impl Iterator<Item = (Option<TeamId>, Sums)> {
        let dense = self.dense.into_iter().enumerate().filter_map(|(slot, s)| {
            let team = slot
                .checked_sub(1)
                .map(|n| TeamId(u32::try_from(n).expect("below DENSE_TEAMS")));
            s.map(|s| (team, s))
        });
        let mut sparse: Vec<(TeamId, Sums)> = self.sparse.into_iter().collect();
        sparse.sort_by_key(|(t, _)| *t);
        dense.chain(sparse.into_iter().map(|(t, s)| (Some(t), s)))
    }

    /// The council's, each service's and each team's sums.
    pub fn scopes(self, model: &Model, measure: &Measure) -> FxHashMap<Scope, Sums> {
        let mut out: FxHashMap<Scope, Sums> = FxHashMap::default();
        let teams: Vec<(Option<TeamId>, Sums)> = self.into_teams().collect();
        for (team, sums) in &teams {
            out.entry(Scope::Council).or_default().merge(sums);
            if let Some(s) = service_of(model, measure, *team) {
                out.entry(Scope::Service(s)).or_default().merge(sums);
            }
        }
        for (team, sums) in teams {
            if let Some(t) = team {
                out.insert(Scope::Team(t), sums);
            }
        }
        out
    }
}

/// Looks a measure up, or says which ids exist.
pub fn find_measure(id: &str) -> Result<&'static Measure, String> {
    catalogue::measure(id).ok_or_else(|| {
        format!(
            "there is no measure `{id}`; `hearth kpi --list` shows the {} there are",
            catalogue::catalogue().len()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(team: Option<u32>, num: f64) -> Item {
        Item {
            subject: Subject::Worker(WorkerId(1)),
            record: None,
            date: NaiveDate::from_ymd_opt(2024, 4, 1).expect("a date"),
            num,
            den: 1.0,
            value: None,
            team: team.map(TeamId),
            worker: None,
            slot: 0,
        }
    }

    #[test]
    fn team_sums_keep_low_and_high_team_numbers_and_no_team_apart() {
        let measure = find_measure("FD-01").expect("in the catalogue");
        let items = [
            item(Some(3), 1.0),
            item(Some(3), 0.0),
            item(None, 1.0),
            item(Some(DENSE_TEAMS + 7), 1.0),
            item(Some(0), 0.0),
        ];
        let mut sums = TeamSums::default();
        sums.add(measure, items.iter());
        let teams: Vec<(Option<TeamId>, f64, f64)> =
            sums.into_teams().map(|(t, s)| (t, s.num, s.den)).collect();
        assert_eq!(
            teams,
            vec![
                (None, 1.0, 1.0),
                (Some(TeamId(0)), 0.0, 1.0),
                (Some(TeamId(3)), 1.0, 2.0),
                (Some(TeamId(DENSE_TEAMS + 7)), 1.0, 1.0),
            ]
        );
    }
}
