//! A synthetic council, simulated day by day: contacts arrive at the front door, are decided, become
//! referrals, assessments, enquiries, plans and periods of care; workers join, hold cases and leave.
//! The same seed always gives the same events, in the order they were recorded.
//!
//! Timeliness is drawn so the measures land where a council in improvement sits (most contacts
//! decided within a working day, most assessments within 45 working days, not all), and some
//! records are late, missing or wrong, as real data is.

mod council;
mod journey;
mod looked_after;
mod plan;
mod rng;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use domain::calendar::Calendar;
use domain::{ChildId, Event, EventBody, StreamId};
use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap, HashMap};

pub use council::CouncilShape;

/// What to simulate.
#[derive(Debug, Clone)]
pub struct Options {
    pub seed: u64,
    /// Years of history before `end`.
    pub years: u32,
    /// The last day simulated; nothing is recorded after the end of this day.
    pub end: NaiveDate,
    /// Multiplies the council (teams, workers, children) for benchmarks.
    pub scale: u32,
}

impl Options {
    pub fn start(&self) -> NaiveDate {
        self.end
            .with_year(self.end.year() - self.years as i32)
            .unwrap_or(self.end - Duration::days(365 * i64::from(self.years)))
    }
}

/// What a run produced.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub events: u64,
    pub children: u64,
    pub workers: u64,
    pub teams: u64,
    /// Events that happened but were not yet recorded by the end: late recording.
    pub not_yet_recorded: u64,
}

/// Runs the simulation, handing each event to `sink` in the order it was recorded. `progress` is
/// called with the day reached and the total number of days, for a progress bar.
pub fn generate(
    options: &Options,
    calendar: &Calendar,
    sink: impl FnMut(Event),
    progress: impl FnMut(u64, u64),
) -> Summary {
    let mut sim = Sim::new(options, calendar, sink);
    sim.run(progress);
    sim.summary()
}

/// An event generated but not yet handed on: held until no earlier-recorded event can follow.
struct Pending {
    recorded_at: DateTime<Utc>,
    order: u64,
    event: Event,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pending {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.recorded_at, self.order).cmp(&(other.recorded_at, other.order))
    }
}

/// The event writer: versions per stream, recording lag, and release in recorded order.
pub(crate) struct Recorder<S: FnMut(Event)> {
    sink: S,
    versions: HashMap<StreamId, u32>,
    last_recorded: HashMap<StreamId, DateTime<Utc>>,
    pending: BinaryHeap<Reverse<Pending>>,
    order: u64,
    /// Nothing recorded after this moment is emitted.
    horizon: DateTime<Utc>,
    pub emitted: u64,
    pub not_yet_recorded: u64,
}

impl<S: FnMut(Event)> Recorder<S> {
    fn new(sink: S, end: NaiveDate) -> Self {
        let horizon = (end + Duration::days(1)).and_time(NaiveTime::MIN).and_utc();
        Recorder {
            sink,
            versions: HashMap::new(),
            last_recorded: HashMap::new(),
            pending: BinaryHeap::new(),
            order: 0,
            horizon,
            emitted: 0,
            not_yet_recorded: 0,
        }
    }

    /// Records `body` in `stream` at `recorded`, or later if the stream's previous event was
    /// recorded later still (a record cannot be written before the one it follows).
    pub(crate) fn record(
        &mut self,
        stream: StreamId,
        body: impl Into<EventBody>,
        recorded: NaiveDateTime,
        actor: &str,
    ) {
        let mut recorded_at = recorded.and_utc();
        if let Some(last) = self.last_recorded.get(&stream)
            && *last > recorded_at
        {
            recorded_at = *last;
        }
        if recorded_at >= self.horizon {
            // Happened, but nobody has written it up yet. Everything after it in this stream is
            // later still, so the stream stays consistent.
            self.not_yet_recorded += 1;
            self.last_recorded.insert(stream, recorded_at);
            return;
        }
        self.last_recorded.insert(stream, recorded_at);
        let version = self.versions.entry(stream).or_insert(0);
        *version += 1;
        self.order += 1;
        self.pending.push(Reverse(Pending {
            recorded_at,
            order: self.order,
            event: Event {
                stream,
                version: *version,
                recorded_at,
                actor: actor.to_string(),
                body: body.into(),
            },
        }));
    }

    /// Hands on every event recorded before `until`: nothing generated later can come before them.
    fn release_before(&mut self, until: DateTime<Utc>) {
        while let Some(Reverse(p)) = self.pending.peek() {
            if p.recorded_at >= until {
                break;
            }
            let Reverse(p) = self.pending.pop().expect("peeked");
            self.emitted += 1;
            (self.sink)(p.event);
        }
    }

    fn release_all(&mut self) {
        self.release_before(DateTime::<Utc>::MAX_UTC);
    }
}

/// A piece of work due on a day, for a child.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Due {
    pub date: NaiveDate,
    pub order: u64,
    pub child: ChildId,
    pub task: journey::Task,
}

pub(crate) struct Sim<'a, S: FnMut(Event)> {
    pub opts: Options,
    pub cal: &'a Calendar,
    pub rng: rng::Rng,
    pub rec: Recorder<S>,
    pub start: NaiveDate,
    pub today: NaiveDate,
    pub org: council::Org,
    pub children: BTreeMap<ChildId, journey::SimChild>,
    pub next_child: u64,
    pub next_family: u64,
    /// Children known before, who may come back through the front door.
    pub known: Vec<ChildId>,
    pub due: BinaryHeap<Reverse<Due>>,
    due_order: u64,
}

impl<'a, S: FnMut(Event)> Sim<'a, S> {
    fn new(options: &Options, calendar: &'a Calendar, sink: S) -> Self {
        let start = options.start();
        Sim {
            opts: options.clone(),
            cal: calendar,
            rng: rng::Rng::new(options.seed),
            rec: Recorder::new(sink, options.end),
            start,
            today: start,
            org: council::Org::default(),
            children: BTreeMap::new(),
            next_child: 1,
            next_family: 1,
            known: Vec::new(),
            due: BinaryHeap::new(),
            due_order: 0,
        }
    }

    pub(crate) fn schedule(&mut self, date: NaiveDate, child: ChildId, task: journey::Task) {
        self.due_order += 1;
        self.due.push(Reverse(Due {
            date,
            order: self.due_order,
            child,
            task,
        }));
    }

    fn run(&mut self, mut progress: impl FnMut(u64, u64)) {
        let total = (self.opts.end - self.start).num_days().max(0) as u64 + 1;
        self.establish_council();
        self.opening_caseload();
        self.seed_plan();
        let mut day = 0;
        while self.today <= self.opts.end {
            self.rec
                .release_before(self.today.and_time(NaiveTime::MIN).and_utc());
            self.year_end_day();
            self.workforce_day();
            self.front_door_day();
            self.missing_and_exploitation_day();
            self.quality_assurance_day();
            while let Some(Reverse(d)) = self.due.peek() {
                if d.date > self.today {
                    break;
                }
                let Reverse(d) = self.due.pop().expect("peeked");
                self.perform(d.child, d.task);
            }
            day += 1;
            if day % 30 == 0 || day == total {
                progress(day, total);
            }
            self.today = self.today.succ_opt().expect("dates stay in range");
        }
        self.rec.release_all();
    }

    fn summary(&self) -> Summary {
        Summary {
            events: self.rec.emitted,
            children: self.children.len() as u64,
            workers: self.org.workers.len() as u64,
            teams: self.org.teams.len() as u64,
            not_yet_recorded: self.rec.not_yet_recorded,
        }
    }

    /// A moment during the working day on `date`, recorded after a lag drawn for real practice:
    /// mostly the same day, sometimes days later, now and then weeks later.
    pub(crate) fn recorded(&mut self, date: NaiveDate) -> NaiveDateTime {
        let lag = match self.rng.uniform() {
            x if x < 0.80 => 0,
            x if x < 0.97 => self.rng.range(1, 8),
            _ => self.rng.range(8, 45),
        };
        let minutes = self.rng.range(8 * 60 + 30, 17 * 60 + 30);
        (date + Duration::days(lag)).and_time(NaiveTime::MIN) + Duration::minutes(minutes)
    }

    /// A time during the working day on `date`.
    pub(crate) fn during(&mut self, date: NaiveDate) -> NaiveDateTime {
        let minutes = self.rng.range(8 * 60 + 30, 17 * 60);
        date.and_time(NaiveTime::MIN) + Duration::minutes(minutes)
    }

    /// How far through the simulated years we are, 0 to 1: practice improves over the period,
    /// as it does in a council working through an improvement plan.
    pub(crate) fn progress_through(&self) -> f64 {
        let total = (self.opts.end - self.start).num_days().max(1) as f64;
        ((self.today - self.start).num_days() as f64 / total).clamp(0.0, 1.0)
    }

    pub(crate) fn scale(&self) -> f64 {
        f64::from(self.opts.scale.max(1))
    }
}
