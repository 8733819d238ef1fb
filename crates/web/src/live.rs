//! The live case model with its record index, and the figures computed from them, kept until
//! the next change. Pages read figures from here rather than computing a scorecard per request.

use domain::Model;
use domain::calendar::Calendar;
use kpi::report::{self, Row, Source};
use kpi::{Index, Period, Scope};
use rustc_hash::FxHashMap;
use self_cell::self_cell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

self_cell!(
    /// The model and the index that points into it, built together.
    pub struct Indexed {
        owner: Model,
        #[covariant]
        dependent: Index,
    }
);

impl Indexed {
    pub fn build(model: Model) -> Self {
        Indexed::new(model, |m| Index::new(m))
    }

    pub fn model(&self) -> &Model {
        self.borrow_owner()
    }

    pub fn index(&self) -> &Index<'_> {
        self.borrow_dependent()
    }
}

/// Every measure for the 13 periods to one period, for the council, every service and team.
pub struct Card {
    /// The periods, oldest first; the last is the one the card is for.
    pub periods: Vec<Period>,
    pub rows: Vec<Row>,
    /// Where each measure's row for a scope and period is.
    at: FxHashMap<(&'static str, Scope, Period), usize>,
}

impl Card {
    fn new(periods: Vec<Period>, rows: Vec<Row>) -> Self {
        let at = rows
            .iter()
            .enumerate()
            .map(|(k, r)| ((r.id, r.scope, r.period), k))
            .collect();
        Card { periods, rows, at }
    }

    pub fn row(&self, measure: &str, scope: Scope, period: Period) -> Option<&Row> {
        // The catalogue's ids are 'static; look the id up there to key the map.
        let id = kpi::catalogue::measure(measure)?.id.as_str();
        self.at.get(&(id, scope, period)).map(|k| &self.rows[*k])
    }

    /// The rows of one measure and scope, oldest period first.
    pub fn trend(&self, measure: &str, scope: Scope) -> Vec<Option<&Row>> {
        self.periods
            .iter()
            .map(|p| self.row(measure, scope, *p))
            .collect()
    }

    /// The period the card is for.
    pub fn latest(&self) -> Period {
        *self.periods.last().expect("a card has periods")
    }
}

type Cards = HashMap<(Period, usize), Arc<Card>>;

/// How many periods a card and a measure's chart show.
pub const TREND: usize = 13;

/// The model as far as it has been read, and what has been worked out from it.
pub struct Live {
    indexed: Indexed,
    pub last_seq: i64,
    /// Counts changes, so that figures computed before one are not served after it.
    pub version: u64,
    /// Cards by their last period and how many periods they hold, for one version.
    cards: Mutex<(u64, Cards)>,
    /// The returns' data quality for one version and day.
    quality: Mutex<Option<(u64, chrono::NaiveDate, Arc<returns::dq::Report>)>>,
}

impl Live {
    pub fn new(model: Model, last_seq: i64) -> Self {
        Live {
            indexed: Indexed::build(model),
            last_seq,
            version: 0,
            cards: Mutex::new((0, HashMap::new())),
            quality: Mutex::new(None),
        }
    }

    pub fn model(&self) -> &Model {
        self.indexed.model()
    }

    pub fn index(&self) -> &Index<'_> {
        self.indexed.index()
    }

    /// Puts a newer model, already indexed, in place of the current one, which is returned so
    /// that it can be let go outside any lock.
    pub fn replace(&mut self, indexed: Indexed, last_seq: i64) -> Indexed {
        self.last_seq = last_seq;
        self.version += 1;
        std::mem::replace(&mut self.indexed, indexed)
    }

    pub fn source<'a>(&'a self, cal: &'a Calendar, today: chrono::NaiveDate) -> Source<'a> {
        Source {
            model: self.model(),
            cal,
            ix: self.index(),
            today,
        }
    }

    /// The collection year's returns built from the records and checked against every DfE
    /// rule, worked out the first time it is asked for after a change.
    pub fn data_quality(&self, today: chrono::NaiveDate) -> Arc<returns::dq::Report> {
        let mut held = self.quality.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((version, day, report)) = held.as_ref()
            && *version == self.version
            && *day == today
        {
            return Arc::clone(report);
        }
        let report = Arc::new(returns::dq::check(self.model(), today));
        *held = Some((self.version, today, Arc::clone(&report)));
        report
    }

    /// The card for the 13 periods to `last`, computed the first time it is asked for after a
    /// change. A handful are kept: the periods people look at are few.
    pub fn card(&self, cal: &Calendar, today: chrono::NaiveDate, last: Period) -> Arc<Card> {
        self.card_of(cal, today, last, TREND)
    }

    /// The card for today alone: measures read at a date as they stand today, and those of
    /// what happened over the 12 months to today.
    pub fn card_today(&self, cal: &Calendar, today: chrono::NaiveDate) -> Arc<Card> {
        self.card_of(cal, today, Period::At(today), 1)
    }

    fn card_of(
        &self,
        cal: &Calendar,
        today: chrono::NaiveDate,
        last: Period,
        n: usize,
    ) -> Arc<Card> {
        let mut cards = self.cards.lock().unwrap_or_else(|e| e.into_inner());
        if cards.0 != self.version {
            *cards = (self.version, HashMap::new());
        }
        if let Some(card) = cards.1.get(&(last, n)) {
            return Arc::clone(card);
        }
        let periods = last.trend(n);
        let all: Vec<_> = kpi::catalogue().iter().collect();
        let rows = report::scorecard(&self.source(cal, today), &all, &periods);
        let card = Arc::new(Card::new(periods, rows));
        if cards.1.len() >= 8 {
            cards.1.clear();
        }
        cards.1.insert((last, n), Arc::clone(&card));
        card
    }
}
