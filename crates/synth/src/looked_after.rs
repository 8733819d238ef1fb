//! What the SSDA903 return asks of a looked-after child's record, kept as a council's records
//! would keep it: where each placement is and who provides it, legal statuses that last no longer
//! than the law allows, each year's outcomes, who adopted the child, and identity details (mother,
//! UPN) brought up to date.
//!
//! Facts the generator did not make before are derived from the ids by hashing rather than drawn
//! from the main stream, so adding one moves no other draw.

use crate::Sim;
use crate::journey::{Task, age_on, birthday};
use crate::rng::hashed;
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime};
use domain::codes::*;
use domain::events::*;
use domain::{ChildId, Event, EventBody, RecordId, StreamId};

/// The current episode of a period of care, as the SSDA903 would show it.
#[derive(Debug, Clone)]
pub(crate) struct CareState {
    pub period: RecordId,
    pub since: NaiveDate,
    pub episode_start: NaiveDate,
    pub legal_status: &'static str,
    pub placement: Placement,
    pub adoption_decided: bool,
    pub placed_for_adoption: bool,
}

/// Keeps each derived fact independent of the others.
pub(crate) mod salt {
    pub const MOTHER: u64 = 1;
    pub const FIRST_CHILD: u64 = 2;
    pub const UPN_UNKNOWN: u64 = 3;
    pub const HOME: u64 = 4;
    pub const PLACED_AT: u64 = 5;
    pub const AWAY: u64 = 6;
    pub const PROVIDER: u64 = 7;
    pub const URN: u64 = 8;
    pub const SHORT_STATUS: u64 = 9;
    pub const OUTCOMES: u64 = 10;
    pub const ADOPTERS: u64 = 11;
    pub const CEASED: u64 = 12;
    pub const NOT_IN_TOUCH: u64 = 13;
    pub const RECORDED: u64 = 14;
    pub const BORN: u64 = 15;
    pub const LAST_CONTACT: u64 = 16;
    pub const LIBERTY: u64 = 17;
}

/// Placement types with no Ofsted registration, so no URN.
const NO_URN: &[&str] = &["P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4"];

/// Districts of neighbouring councils, for children placed out of area.
const OUT_OF_AREA: &[&str] = &[
    "DY4", "WV14", "B69", "WS10", "B64", "ST5", "SY3", "TF2", "B98", "CV11",
];

/// Letters an inward postcode uses (never C, I, K, M, O or V).
const INWARD_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

/// The council's own fostering service and regional adoption agency.
const OWN_FOSTERING_URN: &str = "SC046712";
const ADOPTION_AGENCY_URN: &str = "SC059933";

/// Police protection lasts at most 72 hours.
const POLICE_PROTECTION_DAYS: u64 = 3;
/// Detention under PACE is overnight or a little longer.
const PACE_DAYS: u64 = 2;

/// The return's code for supported accommodation for 16 and 17 year olds: semi-independent living
/// (H5) until the SSDA903 brought in Ofsted-registered supported accommodation (K3) in 2024/25.
fn supported_accommodation(on: NaiveDate) -> &'static str {
    if on < K3_FROM { "H5" } else { "K3" }
}

const K3_FROM: NaiveDate = NaiveDate::from_ymd_opt(2024, 4, 1).expect("a date");
/// The last day H5 is a valid placement type.
const H5_UNTIL: NaiveDate = NaiveDate::from_ymd_opt(2025, 3, 31).expect("a date");

/// The letters a UPN's check letter is drawn from.
const UPN_CHECK_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

/// The child's unique pupil number: a check letter, the council's code, and nine digits unique to
/// the child (7919 is prime, so distinct ids give distinct digits).
pub(crate) fn upn_for(child: ChildId) -> String {
    let body = format!(
        "{}{:09}",
        crate::council::LA_CODE,
        child.0 * 7919 % 1_000_000_000
    );
    // Characters 2 to 13 weighted 2 to 13, modulo 23, as the DfE checks it.
    let sum: u32 = body
        .chars()
        .zip(2..)
        .map(|(c, weight)| c.to_digit(10).unwrap_or(0) * weight)
        .sum();
    format!("{}{body}", UPN_CHECK_LETTERS[(sum % 23) as usize] as char)
}

fn inward(h: u64) -> String {
    let letters = INWARD_LETTERS.len() as u64;
    let a = INWARD_LETTERS[((h >> 8) % letters) as usize] as char;
    let b = INWARD_LETTERS[((h >> 16) % letters) as usize] as char;
    format!("{}{a}{b}", h % 10)
}

impl<S: FnMut(Event)> Sim<'_, S> {
    /// A number fixed by the seed, the child and `parts`.
    pub(crate) fn hash(&self, child: ChildId, parts: &[u64]) -> u64 {
        hashed(hashed(self.opts.seed, &[child.0]), parts)
    }

    /// Uniform in [0, 1), fixed by the seed, the child and `parts`.
    pub(crate) fn unit(&self, child: ChildId, parts: &[u64]) -> f64 {
        (self.hash(child, parts) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Records an event that happened on `date`, written up that day or within a few days, at a
    /// time fixed by the ids (so recording it takes no draw).
    pub(crate) fn record_on(
        &mut self,
        child: ChildId,
        date: NaiveDate,
        body: impl Into<EventBody>,
    ) {
        let body = body.into();
        self.liberty_follows(child, date, &body);
        let h = self.hash(child, &[salt::RECORDED, date.num_days_from_ce() as u64]);
        let lag = if h % 10 < 8 { 0 } else { (h >> 4) % 4 + 1 };
        let minutes = 8 * 60 + 30 + (h >> 12) % (8 * 60);
        // Never recorded before today: events already handed on must stay in recorded order.
        let when: NaiveDateTime = (date.max(self.today) + Duration::days(lag as i64))
            .and_time(NaiveTime::MIN)
            + Duration::minutes(minutes as i64);
        let actor = self
            .children
            .get(&child)
            .and_then(|c| c.worker)
            .map_or_else(|| "front-door".to_string(), |w| w.to_string());
        self.rec.record(StreamId::Child(child), body, when, &actor);
    }

    /// The facts a council records about a child when it first knows them that the SSDA903 asks
    /// for: whether a girl is a mother, and why there is no UPN.
    pub(crate) fn identity_facts(&self, child: ChildId, details: &mut ChildDetails, at: NaiveDate) {
        let Some(dob) = details.date_of_birth else {
            return;
        };
        if details.sex == Sex::Female {
            details.mother = Some(false);
            let fourteen = birthday(dob, 14);
            if age_on(dob, at) >= 15 && self.unit(child, &[salt::MOTHER]) < 0.05 {
                let span = (at - fourteen).num_days().clamp(1, 700) as u64;
                let back = self.hash(child, &[salt::FIRST_CHILD]) % span;
                details.mother = Some(true);
                details.first_child_born = Some(at - Duration::days(back as i64));
            }
        }
        if details.upn.is_none() {
            details.upn_unknown = Some(Code::from(self.why_no_upn(child, details, at)));
        }
    }

    /// UN1 under school age; otherwise never schooled in England (most unaccompanied children),
    /// schooled outside England, or a UPN the sources disagree on.
    fn why_no_upn(&self, child: ChildId, details: &ChildDetails, at: NaiveDate) -> &'static str {
        let school_age = details
            .date_of_birth
            .is_some_and(|dob| age_on(dob, at) >= 4);
        if !school_age {
            return "UN1";
        }
        if details.uasc {
            return "UN2";
        }
        match self.hash(child, &[salt::UPN_UNKNOWN]) % 10 {
            0..=5 => "UN2",
            6 => "UN3",
            _ => "UN5",
        }
    }

    /// Restates the child's details with a change, if it changes anything.
    pub(crate) fn correct_details(
        &mut self,
        child: ChildId,
        at: NaiveDate,
        change: impl FnOnce(&mut ChildDetails),
    ) {
        let mut details = self.children[&child].details.clone();
        change(&mut details);
        if details == self.children[&child].details {
            return;
        }
        self.children.get_mut(&child).expect("child").details = details.clone();
        self.record_on(child, at, ChildDetailsCorrected { details, at });
    }

    /// A child who starts school is given a UPN; one who has none yet is recorded UN1 meanwhile.
    pub(crate) fn upn_at_school_age(&mut self, child: ChildId, at: NaiveDate) {
        let c = &self.children[&child];
        let d = &c.details;
        let waiting =
            d.upn.is_none() && d.upn_unknown.as_ref().is_some_and(|u| u.as_str() == "UN1");
        if waiting && age_on(c.dob, at) >= 4 {
            let upn = upn_for(child);
            self.correct_details(child, at, |d| {
                d.upn = Some(upn);
                d.upn_unknown = None;
            });
        }
    }

    /// A child registered before birth is born: the record gets the date of birth, the sex and a
    /// name.
    pub(crate) fn record_birth(&mut self, child: ChildId) {
        let dob = self.children[&child].dob;
        if self.children[&child].details.date_of_birth.is_some() {
            return;
        }
        let female = self.unit(child, &[salt::BORN]) < 0.48;
        let (given, _) = crate::council::name(self);
        self.correct_details(child, dob, |d| {
            d.date_of_birth = Some(dob);
            d.expected_date_of_birth = None;
            if d.sex == Sex::Unknown {
                d.sex = if female { Sex::Female } else { Sex::Male };
            }
            if d.sex == Sex::Female {
                d.mother = Some(false);
            }
            if d.given_name.is_empty() {
                d.given_name = given;
            }
            if d.upn.is_none() {
                d.upn_unknown = Some(Code::from("UN1"));
            }
        });
    }

    /// The postcode of the child's home: their district and an inward code fixed by their id.
    pub(crate) fn home_postcode(&self, child: ChildId) -> String {
        let district = self.children[&child]
            .details
            .postcode_district
            .clone()
            .unwrap_or_else(|| "HT1".to_string());
        format!("{district} {}", inward(self.hash(child, &[salt::HOME])))
    }

    /// The legal status a period of care starts under. Police protection is for children of any
    /// age, detention under PACE only for those of 10 or over; a period back-dated before the
    /// records began is under an order by now.
    pub(crate) fn starting_legal_status(
        &self,
        drawn: &'static str,
        age: i32,
        back_dated: bool,
    ) -> &'static str {
        match drawn {
            "L1" | "J2" if back_dated => "C2",
            "J2" if age < 10 => "L1",
            status => status,
        }
    }

    /// What a short-lived status becomes, and on which day: an interim care order or section 20
    /// accommodation after police protection (at most 72 hours), section 20 after PACE detention.
    pub(crate) fn status_after(
        &self,
        child: ChildId,
        status: &str,
        from: NaiveDate,
    ) -> Option<(&'static str, NaiveDate)> {
        let h = self.hash(child, &[salt::SHORT_STATUS, from.num_days_from_ce() as u64]);
        let (next, days) = match status {
            "L1" => (
                if h % 10 < 7 { "C1" } else { "V2" },
                1 + (h >> 8) % POLICE_PROTECTION_DAYS,
            ),
            "J2" => ("V2", 1 + (h >> 8) % PACE_DAYS),
            _ => return None,
        };
        Some((next, from + Duration::days(days as i64)))
    }

    /// A placement for a child of `age` under `legal_status`. The type is drawn as it always was;
    /// the rest follows from it: placed with parents only under a care order, a provider that
    /// fits the type, a full postcode (the child's home when with parents, otherwise a carer's or
    /// a home's, a few out of area), and an Ofsted URN for the types Ofsted registers.
    pub(crate) fn placement_for(
        &mut self,
        child: ChildId,
        age: i32,
        legal_status: &str,
    ) -> Placement {
        let drawn = if age >= 16 && self.rng.chance(0.35) {
            supported_accommodation(self.today)
        } else if age >= 11 && self.rng.chance(0.2) {
            "K2"
        } else {
            self.rng.weighted(&[
                (0.12, "U1"),
                (0.05, "U2"),
                (0.05, "U3"),
                (0.45, "U4"),
                (0.08, "U5"),
                (0.12, "U6"),
                (0.05, "P1"),
                (0.08, "R1"),
            ])
        };
        let local_district = format!("HT{}", self.rng.range(1, 10));
        let serial = {
            let c = self.children.get_mut(&child).expect("child");
            c.placements += 1;
            u64::from(c.placements)
        };
        let current = self.children[&child]
            .looked_after
            .as_ref()
            .map(|l| l.placement.clone());
        let with_parents_allowed = matches!(legal_status, "C1" | "C2")
            && current.as_ref().is_none_or(|p| p.place.as_str() != "P1");
        let place = if drawn == "P1" && !with_parents_allowed {
            "U6"
        } else {
            drawn
        };
        let share = self.unit(child, &[salt::PROVIDER, serial]);
        let provider = match place {
            "P1" => "PR0",
            "U1" | "U2" | "U3" => "PR1",
            "U4" | "U5" | "U6" if share < 0.55 => "PR1",
            "K2" | "K3" if share < 0.25 => "PR1",
            _ => "PR4",
        };
        let home = self.home_postcode(child);
        let (district, postcode) = if place == "P1" {
            let district = home.split(' ').next().unwrap_or_default().to_string();
            (district, home.clone())
        } else {
            let district = if self.unit(child, &[salt::AWAY, serial]) < 0.2 {
                let h = self.hash(child, &[salt::AWAY, serial, 1]);
                OUT_OF_AREA[(h % OUT_OF_AREA.len() as u64) as usize].to_string()
            } else {
                local_district
            };
            let mut n = 0;
            loop {
                let postcode = format!(
                    "{district} {}",
                    inward(self.hash(child, &[salt::PLACED_AT, serial, n]))
                );
                let taken = postcode == home
                    || current
                        .as_ref()
                        .is_some_and(|p| p.postcode.as_deref() == Some(postcode.as_str()));
                if !taken {
                    break (district, postcode);
                }
                n += 1;
            }
        };
        let urn = (!NO_URN.contains(&place)).then(|| self.urn(child, place, provider, serial));
        Placement {
            place: Code::from(place),
            provider: Code::from(provider),
            postcode_district: Some(district),
            urn,
            postcode: Some(postcode),
            home_postcode: Some(home),
        }
    }

    /// The Ofsted URN of whoever provides the placement: the council's fostering service, one of
    /// a few dozen independent fostering agencies, or a children's home.
    fn urn(&self, child: ChildId, place: &str, provider: &str, serial: u64) -> String {
        let h = self.hash(child, &[salt::URN, serial]);
        match (place, provider) {
            ("U1" | "U2" | "U3" | "U4" | "U5" | "U6", "PR1") => OWN_FOSTERING_URN.to_string(),
            ("U1" | "U2" | "U3" | "U4" | "U5" | "U6", _) => {
                format!("SC{:06}", 380_000 + h % 40 * 211)
            }
            ("A3" | "A4" | "A5" | "A6", _) => ADOPTION_AGENCY_URN.to_string(),
            (_, "PR1") => format!("SC{:06}", 41_200 + h % 5 * 17),
            _ => format!("{}", 2_400_000 + h % 150 * 373),
        }
    }

    /// The placement for adoption: with the current foster carers now and then (A5), otherwise
    /// with the adopters (A6); the child is under a placement order by now.
    pub(crate) fn adoption_placement(&mut self, child: ChildId) -> Placement {
        let c = self.children.get_mut(&child).expect("child");
        c.placements += 1;
        let serial = u64::from(c.placements);
        let current = c
            .looked_after
            .as_ref()
            .map(|l| l.placement.clone())
            .expect("looked after");
        let fostered = current.place.as_str().starts_with('U');
        let home = self.home_postcode(child);
        let with_carers = fostered && self.unit(child, &[salt::ADOPTERS, 0]) < 0.2;
        let (place, district, postcode) = if with_carers {
            (
                "A5",
                current.postcode_district.clone().unwrap_or_default(),
                current.postcode.clone().unwrap_or_default(),
            )
        } else {
            let district = format!("HT{}", 1 + self.hash(child, &[salt::ADOPTERS, 1]) % 9);
            let mut n = 0;
            loop {
                let postcode = format!(
                    "{district} {}",
                    inward(self.hash(child, &[salt::PLACED_AT, serial, n]))
                );
                if postcode != home && Some(&postcode) != current.postcode.as_ref() {
                    break ("A6", district, postcode);
                }
                n += 1;
            }
        };
        Placement {
            place: Code::from(place),
            provider: Code::from("PR1"),
            postcode_district: Some(district),
            urn: Some(ADOPTION_AGENCY_URN.to_string()),
            postcode: Some(postcode),
            home_postcode: Some(home),
        }
    }

    /// Who adopted the child: one adopter or a couple, with a legal status that fits.
    pub(crate) fn adopters(&self, child: ChildId, at: NaiveDate) -> AdoptersRecorded {
        let h = self.hash(child, &[salt::ADOPTERS, 2]);
        let foster_carers = self.children[&child]
            .looked_after
            .as_ref()
            .is_some_and(|l| l.placement.place.as_str() == "A5");
        let (number, sex, legal_status) = match h % 20 {
            0 => (1, "F1", "L0"),
            1 => (1, "M1", "L0"),
            2 => (2, "FF", "L12"),
            3 => (2, "MM", "L2"),
            4 => (2, "FF", "L4"),
            5..=7 => (2, "MF", "L3"),
            _ => (2, "MF", "L11"),
        };
        AdoptersRecorded {
            foster_carers,
            number,
            sex: Code::from(sex),
            legal_status: Code::from(legal_status),
            at,
        }
    }

    /// Why the period of care ended, for a child under 18: adoption (E11, or E12 where the court
    /// dispensed with consent), a special guardianship order to the carers the placement shows,
    /// or home.
    pub(crate) fn reason_ceased(
        &self,
        child: ChildId,
        route: crate::journey::CareRoute,
    ) -> &'static str {
        use crate::journey::CareRoute;
        let h = self.hash(child, &[salt::CEASED]);
        let state = self.children[&child].looked_after.as_ref();
        let place = state.map_or("", |l| l.placement.place.as_str());
        match route {
            CareRoute::Adoption if state.is_some_and(|l| l.placed_for_adoption) => {
                if h % 10 < 3 {
                    "E12"
                } else {
                    "E11"
                }
            }
            CareRoute::SpecialGuardianship => match place {
                "U1" | "U2" | "U3" => "E45",
                "U4" | "U5" | "U6" => "E46",
                _ if h % 10 < 7 => "E47",
                _ => "E48",
            },
            _ => "E4A",
        }
    }

    /// Why a care leaver is not in touch, where there is a reason.
    pub(crate) fn not_in_touch_reason(&self, child: ChildId, at: NaiveDate) -> Option<Code> {
        let h = self.hash(child, &[salt::NOT_IN_TOUCH, at.num_days_from_ce() as u64]);
        match h % 20 {
            0..=5 => Some(Code::from("REFU")),
            6..=8 => Some(Code::from("NREQ")),
            9 => Some(Code::from("RHOM")),
            _ => None,
        }
    }

    /// On 31 March, before the day's work: each child looked after since the year began (1 April)
    /// has the year's outcomes recorded, those leaving care that day included, and any child with
    /// an open case who has reached school age without a UPN is given one.
    pub(crate) fn year_end_day(&mut self) {
        if (self.today.month(), self.today.day()) != (3, 31) {
            return;
        }
        let march = self.today;
        let year_began = march - Months::new(12) + Duration::days(1);
        if march == H5_UNTIL {
            self.recode_semi_independent_living();
        }
        let open: Vec<ChildId> = self
            .children
            .iter()
            .filter(|(_, c)| c.referral.is_some() || c.looked_after.is_some())
            .map(|(id, _)| *id)
            .collect();
        for child in open {
            self.upn_at_school_age(child, self.today);
        }
        let in_care: Vec<(ChildId, NaiveDate)> = self
            .children
            .iter()
            .filter_map(|(id, c)| c.looked_after.as_ref().map(|l| (*id, l.since)))
            .collect();
        for (child, since) in in_care {
            if since <= year_began {
                let outcomes = self.outcomes(child, march);
                self.record_on(child, self.today, outcomes);
            }
        }
    }

    /// H5 ends with 2024/25: a child still in semi-independent living on its last day moves to a
    /// new episode in the same place, now registered supported accommodation (K3).
    fn recode_semi_independent_living(&mut self) {
        let today = self.today;
        let in_h5: Vec<(ChildId, crate::looked_after::CareState)> = self
            .children
            .iter()
            .filter_map(|(id, c)| c.looked_after.as_ref().map(|l| (*id, l.clone())))
            .filter(|(_, l)| l.placement.place.as_str() == "H5" && l.episode_start < today)
            .filter(|(id, _)| birthday(self.children[id].dob, 18) > today)
            .collect();
        for (child, state) in in_h5 {
            let placement = Placement {
                place: Code::from("K3"),
                ..state.placement
            };
            self.record_on(
                child,
                today,
                CareEpisodeChanged {
                    period: state.period,
                    reason: Code::from("P"),
                    legal_status: None,
                    placement: Some(placement.clone()),
                    reason_placement_changed: Some(Code::from("PLACE")),
                    need: None,
                    at: today,
                },
            );
            self.placed(child, placement);
        }
    }

    /// The year's outcomes for a child looked after all year, each item asked only of the ages
    /// the DfE asks it of: an SDQ from 4 to 16, convictions from 10, health promotion under 5.
    fn outcomes(&self, child: ChildId, march: NaiveDate) -> CareOutcomesRecorded {
        let dob = self.children[&child].dob;
        let (age_start, age_end) = (
            age_on(dob, march - Months::new(12) + Duration::days(1)),
            age_on(dob, march),
        );
        let year = march.year() as u64;
        let u = |item: u64| self.unit(child, &[salt::OUTCOMES, year, item]);
        let (mut sdq_score, mut sdq_reason) = (None, None);
        if age_end >= 4 && age_start <= 16 {
            if u(0) < 0.84 {
                let score = 4.0 + 20.0 * (u(1) + u(2)) / 2.0 + 8.0 * u(3);
                sdq_score = Some(score.round().clamp(0.0, 40.0) as u8);
            } else {
                sdq_reason = Some(Code::from(match (u(4) * 4.0) as u8 {
                    0 => "SDQ2",
                    1 => "SDQ3",
                    2 => "SDQ4",
                    _ => "SDQ5",
                }));
            }
        }
        let substance_misuse = age_end >= 11 && u(5) < 0.07;
        let intervention_received = substance_misuse.then(|| u(6) < 0.6);
        let intervention_offered = (intervention_received == Some(false)).then(|| u(7) < 0.5);
        CareOutcomesRecorded {
            sdq_score,
            sdq_reason,
            convicted: (age_end >= 10).then(|| u(8) < 0.04),
            health_check: (age_end < 5).then(|| u(9) < 0.92),
            immunisations: Some(u(10) < 0.86),
            teeth_check: Some(u(11) < 0.82),
            health_assessment: Some(u(12) < 0.9),
            substance_misuse: Some(substance_misuse),
            intervention_received,
            intervention_offered,
            at: march,
        }
    }

    /// A child coming back into care after an adoption or a special guardianship order made here
    /// has that order recorded as their previous permanence.
    pub(crate) fn note_previous_permanence(&mut self, child: ChildId, at: NaiveDate) {
        let Some((reason, on)) = self.children[&child].left_care else {
            return;
        };
        let order = match reason {
            "E11" | "E12" => "P1",
            "E45" | "E46" | "E47" | "E48" => "P2",
            _ => return,
        };
        let previous = PreviousPermanence {
            order: Code::from(order),
            council: Some(Code::from(crate::council::LA_CODE)),
            date: Some(on.format("%d/%m/%Y").to_string()),
        };
        self.correct_details(child, at, |d| d.previous_permanence = Some(previous));
    }

    /// Deprivation of liberty orders follow the child's placements: about one child in eight
    /// placed in a children's home (K2) from age ten has one, made by the court within a month
    /// and ending the day before the child moves on or leaves care.
    pub(crate) fn liberty_follows(&mut self, child: ChildId, date: NaiveDate, body: &EventBody) {
        let (moves_on, home) = match body {
            EventBody::CarePeriodStarted(e) => (false, Some((e.period, &e.placement))),
            EventBody::CareEpisodeChanged(e) => match &e.placement {
                Some(p) => (true, Some((e.period, p))),
                None => return,
            },
            EventBody::CarePeriodEnded(_) => (true, None),
            _ => return,
        };
        if moves_on
            && let Some((order, made)) = self
                .children
                .get_mut(&child)
                .and_then(|c| c.liberty_order.take())
        {
            let at = (date - Duration::days(1)).max(made + Duration::days(1));
            let when = self.recorded(date);
            let actor = self.actor_for(child);
            self.rec.record(
                StreamId::Child(child),
                LibertyOrderEnded { order, at },
                when,
                &actor,
            );
        }
        let Some((period, _)) = home.filter(|(_, p)| p.place.as_str() == "K2") else {
            return;
        };
        let h = self.hash(
            child,
            &[
                salt::LIBERTY,
                u64::from(period.0),
                date.num_days_from_ce() as u64,
            ],
        );
        if age_on(self.children[&child].dob, date) >= 10 && h.is_multiple_of(8) {
            let on = date.max(self.today) + Duration::days(2 + (h >> 8) as i64 % 28);
            self.schedule(on, child, Task::MakeLibertyOrder { period });
        }
    }

    /// The order is made if the child is still in the children's home it was sought for.
    pub(crate) fn make_liberty_order(&mut self, child: ChildId, period: RecordId) {
        let c = &self.children[&child];
        let still_there = c.looked_after.as_ref().is_some_and(|l| {
            l.period == period && l.placement.place.as_str() == "K2" && l.episode_start < self.today
        });
        if !still_there || c.liberty_order.is_some() {
            return;
        }
        let order = self.next_rid(child);
        let today = self.today;
        self.note(child, today, LibertyOrderMade { order, at: today });
        self.children.get_mut(&child).expect("child").liberty_order = Some((order, today));
    }

    /// The child's current episode of care, to change, if they are looked after.
    pub(crate) fn care_state_mut(&mut self, child: ChildId) -> Option<&mut CareState> {
        self.children
            .get_mut(&child)
            .expect("child")
            .looked_after
            .as_mut()
    }

    /// The child moved to `placement` today: a new episode.
    pub(crate) fn placed(&mut self, child: ChildId, placement: Placement) {
        let today = self.today;
        if let Some(l) = self.care_state_mut(child) {
            l.placement = placement;
            l.episode_start = today;
        }
    }

    /// Changes the legal status of the current episode (a new episode, reason L), unless it is
    /// already that or a placement order would be lost; an episode lasts at least a day, so a
    /// change on the day one began waits until the next.
    pub(crate) fn change_legal_status(
        &mut self,
        child: ChildId,
        period: RecordId,
        status: &'static str,
    ) {
        let Some(state) = self.children[&child].looked_after.clone() else {
            return;
        };
        // Nothing changes on the day a child leaves care at eighteen.
        let eighteen = birthday(self.children[&child].dob, 18);
        if state.period != period
            || state.legal_status == status
            || (state.legal_status == "E1" && status != "E1")
            || self.today >= eighteen
        {
            return;
        }
        if self.today <= state.episode_start {
            let next = state.episode_start + Duration::days(1);
            self.schedule(next, child, Task::ChangeLegalStatus { period, status });
            return;
        }
        let today = self.today;
        self.record_on(
            child,
            today,
            CareEpisodeChanged {
                period,
                reason: Code::from("L"),
                legal_status: Some(Code::from(status)),
                placement: None,
                reason_placement_changed: None,
                need: None,
                at: today,
            },
        );
        if let Some(l) = self.care_state_mut(child) {
            l.legal_status = status;
            l.episode_start = today;
        }
    }
}
