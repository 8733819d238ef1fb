//! The council's shape and its workforce: teams, workers joining and leaving, who holds which case.

use crate::Sim;
use chrono::{Datelike, Duration, NaiveDate};
use domain::codes::{Code, Employment, Service, WorkerRole};
use domain::events::*;
use domain::{ChildId, Event, StreamId, TeamId, WorkerId};
use std::collections::BTreeSet;

/// The demonstration council is benchmarked as the seed council (Dudley, 332).
pub(crate) const LA_CODE: &str = "332";

/// One kind of team in the default council: how many, and who is in each.
#[derive(Debug, Clone, Copy)]
pub struct CouncilShape {
    pub service: Service,
    pub name: &'static str,
    pub teams: u32,
    pub social_workers: u32,
    pub others: u32,
    pub other_role: WorkerRole,
}

/// The default council: about 25 teams and 200 social workers, as in the seed council.
pub const SHAPE: &[CouncilShape] = &[
    shape(
        Service::FrontDoor,
        "Front Door and MASH",
        2,
        6,
        0,
        WorkerRole::FamilySupportWorker,
    ),
    shape(
        Service::Assessment,
        "Assessment",
        5,
        10,
        0,
        WorkerRole::FamilySupportWorker,
    ),
    shape(
        Service::FamilySafeguarding,
        "Family Safeguarding",
        7,
        9,
        3,
        WorkerRole::AdultSpecialist,
    ),
    shape(
        Service::ChildrenInCare,
        "Children in Care",
        4,
        10,
        1,
        WorkerRole::FamilySupportWorker,
    ),
    shape(
        Service::CareLeavers,
        "Care Leavers",
        2,
        3,
        6,
        WorkerRole::PersonalAdviser,
    ),
    shape(
        Service::ExploitationHub,
        "Exploitation Hub",
        1,
        6,
        1,
        WorkerRole::FamilySupportWorker,
    ),
    shape(
        Service::DisabledChildren,
        "Disabled Children",
        2,
        8,
        1,
        WorkerRole::FamilySupportWorker,
    ),
    shape(
        Service::EarlyHelp,
        "Early Help",
        1,
        0,
        8,
        WorkerRole::FamilySupportWorker,
    ),
    shape(
        Service::Safeguarding,
        "Safeguarding and Reviewing",
        1,
        0,
        10,
        WorkerRole::Iro,
    ),
];

const fn shape(
    service: Service,
    name: &'static str,
    teams: u32,
    social_workers: u32,
    others: u32,
    other_role: WorkerRole,
) -> CouncilShape {
    CouncilShape {
        service,
        name,
        teams,
        social_workers,
        others,
        other_role,
    }
}

pub(crate) const AREAS: &[&str] = &[
    "Northgate",
    "Eastbrook",
    "Millford",
    "Westcombe",
    "Southvale",
    "Ashby Green",
    "Kingsmoor",
];

const GIVEN: &[&str] = &[
    "Amira", "Ben", "Chloe", "Daniel", "Ella", "Farah", "George", "Hannah", "Imran", "Jade",
    "Kwame", "Laura", "Mohammed", "Nia", "Oliver", "Priya", "Rhys", "Sophie", "Tom", "Zara",
    "Aisha", "Callum", "Grace", "Harvey", "Isla", "Jack", "Leah", "Noah", "Ruby", "Yusuf",
];
const FAMILY: &[&str] = &[
    "Ahmed", "Baker", "Clarke", "Davies", "Evans", "Fletcher", "Green", "Hughes", "Iqbal", "Jones",
    "Khan", "Lewis", "Morris", "Nowak", "Owen", "Patel", "Roberts", "Singh", "Taylor", "Walker",
    "Wright", "Young", "Mensah", "Kowalski", "Murphy", "Begum", "Hussain", "Price",
];

pub(crate) fn name<S: FnMut(Event)>(sim: &mut Sim<'_, S>) -> (String, String) {
    let g = sim.rng.pick(GIVEN).to_string();
    let f = sim.rng.pick(FAMILY).to_string();
    (g, f)
}

pub(crate) struct SimTeam {
    pub id: TeamId,
    pub service: Service,
    pub area: Option<String>,
    pub manager: Option<WorkerId>,
    /// Everyone ever appointed to the team, so allocation looks at a team, not the whole staff.
    pub members: Vec<WorkerId>,
}

pub(crate) struct SimWorker {
    pub id: WorkerId,
    pub team: usize,
    pub role: WorkerRole,
    pub employment: Employment,
    pub joined: NaiveDate,
    pub active: bool,
    pub cases: BTreeSet<ChildId>,
}

impl SimWorker {
    pub fn holds_cases(&self) -> bool {
        self.active
            && (self.role.is_case_holding_social_worker()
                || self.role == WorkerRole::PersonalAdviser)
    }
}

#[derive(Default)]
pub(crate) struct Org {
    pub teams: Vec<SimTeam>,
    pub workers: Vec<SimWorker>,
    /// Posts left empty by leavers, refilled on the date given.
    pub vacancies: Vec<(NaiveDate, usize, WorkerRole)>,
    pub directorate_team: usize,
    /// Staff in post by role, in order of appointment; `None` after someone joins or leaves.
    roster: Option<Vec<(WorkerRole, Vec<WorkerId>)>>,
}

impl Org {
    pub fn worker(&self, id: WorkerId) -> &SimWorker {
        &self.workers[id.0 as usize - 1]
    }
    pub fn worker_mut(&mut self, id: WorkerId) -> &mut SimWorker {
        &mut self.workers[id.0 as usize - 1]
    }
    /// Staff in post in a role, in order of appointment.
    pub fn in_post(&mut self, role: WorkerRole) -> &[WorkerId] {
        let workers = &self.workers;
        let roster = self.roster.get_or_insert_with(|| {
            let mut roster: Vec<(WorkerRole, Vec<WorkerId>)> = Vec::new();
            for w in workers.iter().filter(|w| w.active) {
                match roster.iter_mut().find(|(r, _)| *r == w.role) {
                    Some((_, ids)) => ids.push(w.id),
                    None => roster.push((w.role, vec![w.id])),
                }
            }
            roster
        });
        roster
            .iter()
            .find(|(r, _)| *r == role)
            .map_or(&[], |(_, ids)| ids.as_slice())
    }

    pub fn teams_of(&self, service: Service) -> Vec<usize> {
        (0..self.teams.len())
            .filter(|&i| self.teams[i].service == service)
            .collect()
    }
}

/// Why a child's worker changed, as the SSDA903's social worker episodes give it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ChangeOfWorker {
    /// The first worker after a contact or referral.
    FirstContact,
    /// The worker left the role.
    WorkerLeft,
    /// A planned transfer between teams, as the council's process moves a case on.
    Transfer,
}

impl ChangeOfWorker {
    fn code(self) -> &'static str {
        match self {
            ChangeOfWorker::FirstContact => "FCONTA",
            ChangeOfWorker::WorkerLeft => "LEFTRL",
            ChangeOfWorker::Transfer => "TSPROC",
        }
    }
}

/// A registered social worker's Social Work England number (SW and six digits), different for
/// every worker; other staff are not registered.
fn registration(id: WorkerId, role: WorkerRole) -> Option<String> {
    let registered = role.is_case_holding_social_worker()
        || matches!(
            role,
            WorkerRole::TeamManager
                | WorkerRole::ServiceManager
                | WorkerRole::HeadOfService
                | WorkerRole::Director
                | WorkerRole::Iro
        );
    // 7919 is prime, so the numbers differ for the first 900,000 workers.
    registered.then(|| format!("SW{}", 100_000 + u64::from(id.0) * 7919 % 900_000))
}

/// The demonstration plan's targets, in the seed plan's shape: (measure, target, tolerance, and
/// trajectory steps as months after the baseline month, which is a year before the history ends).
/// Months after the baseline and the value expected by then.
type Steps = &'static [(u32, f64)];

const PLAN_TARGETS: &[(&str, f64, f64, Steps)] = &[
    (
        "FD-01",
        95.0,
        5.0,
        &[(2, 77.0), (3, 80.0), (4, 90.0), (5, 95.0)],
    ),
    ("FD-03", 21.0, 2.0, &[(6, 21.0)]),
    ("AS-01", 85.0, 5.0, &[(5, 75.0), (7, 80.0), (9, 85.0)]),
    ("AS-01a", 85.0, 5.0, &[(5, 75.0), (7, 80.0), (9, 85.0)]),
    ("S47-03", 85.0, 5.0, &[(6, 85.0)]),
    ("CP-07", 95.0, 5.0, &[(2, 88.0), (4, 92.0), (5, 95.0)]),
    ("CP-05", 95.0, 5.0, &[(6, 95.0)]),
    ("CLA-05", 95.0, 5.0, &[(6, 95.0)]),
    ("CLA-07", 90.0, 5.0, &[(3, 80.0), (5, 90.0)]),
    ("LEG-01a", 60.0, 10.0, &[(6, 45.0), (12, 60.0)]),
    ("MIS-02a", 95.0, 5.0, &[(4, 95.0)]),
    ("QA-01", 95.0, 5.0, &[(2, 70.0), (3, 85.0), (4, 95.0)]),
    ("QA-02a", 25.0, 5.0, &[(3, 25.0)]),
    ("QA-02b", 80.0, 10.0, &[(6, 70.0), (10, 80.0)]),
    ("QA-03", 80.0, 5.0, &[(4, 71.0), (7, 75.0), (10, 80.0)]),
    ("WF-01", 18.0, 1.0, &[(3, 22.0), (6, 20.0), (9, 18.0)]),
    ("WF-03b", 85.0, 3.0, &[(4, 78.0), (10, 85.0)]),
    ("CL-01b", 49.5, 3.0, &[(7, 49.5)]),
    ("YP-01", 5.0, 2.0, &[(6, 5.0)]),
];

impl<S: FnMut(Event)> Sim<'_, S> {
    /// Records the demonstration plan's targets, dated so that the plan runs through the last
    /// year of the history whatever its end.
    fn set_plan_targets(&mut self, when: chrono::NaiveDateTime) {
        let end = self.opts.end;
        let month = |n: i32| {
            let first = NaiveDate::from_ymd_opt(end.year(), end.month(), 1).expect("first");
            let d = if n >= 0 {
                first + chrono::Months::new(n as u32)
            } else {
                first - chrono::Months::new((-n) as u32)
            };
            format!("{}-{:02}", d.year(), d.month())
        };
        for (measure, target, tolerance, steps) in PLAN_TARGETS {
            self.rec.record(
                StreamId::Council,
                MeasureTargetSet {
                    measure: (*measure).into(),
                    baseline_month: month(-12),
                    baseline: None,
                    target: *target,
                    trajectory: steps
                        .iter()
                        .map(|(n, v)| (month(*n as i32 - 12), *v))
                        .collect(),
                    tolerance: *tolerance,
                    at: when.date(),
                },
                when,
                "seed",
            );
        }
    }

    pub(crate) fn establish_council(&mut self) {
        let at = self.start - Duration::days(365 * 9);
        let when = at.and_hms_opt(9, 0, 0).expect("valid time");
        self.rec.record(
            StreamId::Council,
            CouncilDescribed {
                name: "Hearthshire (demonstration council)".into(),
                la_code: LA_CODE.into(),
                at,
            },
            when,
            "seed",
        );
        let base = 70_000.0 * self.scale();
        for year in (self.start.year() - 2)..=self.opts.end.year() {
            // A gently rising child population, as across most of England.
            let n = base * (1.0 + 0.004 * f64::from(year - self.start.year()));
            self.rec.record(
                StreamId::Council,
                PopulationEstimated {
                    mid_year: year,
                    aged_0_to_17: n.round() as u32,
                },
                when,
                "seed",
            );
        }
        self.set_plan_targets(when);
        let scale = self.opts.scale.max(1);
        for copy in 0..scale {
            for s in SHAPE {
                for n in 0..s.teams {
                    let area = matches!(
                        s.service,
                        Service::FamilySafeguarding | Service::Assessment | Service::ChildrenInCare
                    )
                    .then(|| AREAS[n as usize % AREAS.len()].to_string());
                    let mut name = if s.teams > 1 {
                        format!("{} {}", s.name, n + 1)
                    } else {
                        s.name.to_string()
                    };
                    if scale > 1 {
                        name = format!("{name} (district {})", copy + 1);
                    }
                    let team = self.add_team(name, s.service, area, at);
                    self.hire(team, WorkerRole::TeamManager, at, true);
                    if s.social_workers > 0 {
                        self.hire(team, WorkerRole::SeniorPractitioner, at, true);
                    }
                    for _ in 0..s.social_workers {
                        self.hire(team, WorkerRole::SocialWorker, at, true);
                    }
                    for _ in 0..s.others {
                        self.hire(team, s.other_role, at, true);
                    }
                }
            }
        }
        let lead = self.add_team(
            "Directorate leadership".into(),
            Service::Safeguarding,
            None,
            at,
        );
        self.org.directorate_team = lead;
        self.hire(lead, WorkerRole::Director, at, true);
        for _ in 0..3 {
            self.hire(lead, WorkerRole::HeadOfService, at, true);
        }
        for _ in 0..(5 * scale) {
            self.hire(lead, WorkerRole::ServiceManager, at, true);
        }
    }

    fn add_team(
        &mut self,
        name: String,
        service: Service,
        area: Option<String>,
        at: NaiveDate,
    ) -> usize {
        let id = TeamId(self.org.teams.len() as u32 + 1);
        let when = self.during(at);
        self.rec.record(
            StreamId::Team(id),
            TeamEstablished {
                team: id,
                name,
                service,
                area: area.clone(),
                at,
            },
            when,
            "seed",
        );
        self.org.teams.push(SimTeam {
            id,
            service,
            area,
            manager: None,
            members: Vec::new(),
        });
        self.org.teams.len() - 1
    }

    /// Appoints a worker. At the start, joining dates are spread over the years before.
    fn hire(&mut self, team: usize, role: WorkerRole, at: NaiveDate, founding: bool) -> WorkerId {
        let id = WorkerId(self.org.workers.len() as u32 + 1);
        // The seed council: 73% of social workers permanent, working towards 85%.
        // Agency staff leave sooner, so more of the posts refilled go to agency workers.
        let agency_share = if role.is_case_holding_social_worker() {
            if founding {
                0.27
            } else {
                0.50 - 0.15 * self.progress_through()
            }
        } else {
            0.08
        };
        let employment = if self.rng.chance(agency_share) {
            Employment::Agency
        } else {
            Employment::Permanent
        };
        let joined = if founding {
            self.start - Duration::days(self.rng.range(30, 365 * 8))
        } else {
            at
        };
        let (g, f) = crate::council::name(self);
        let fte = if self.rng.chance(0.15) { 0.6 } else { 1.0 };
        // Set up on the system before their first morning, so work allocated that day follows.
        let when = joined.and_time(chrono::NaiveTime::MIN);
        self.rec.record(
            StreamId::Worker(id),
            WorkerJoined {
                worker: id,
                name: format!("{g} {f}"),
                role,
                team: self.org.teams[team].id,
                employment,
                fte,
                registration: registration(id, role),
                at: joined,
            },
            when,
            "seed",
        );
        self.org.roster = None;
        self.org.teams[team].members.push(id);
        self.org.workers.push(SimWorker {
            id,
            team,
            role,
            employment,
            joined,
            active: true,
            cases: BTreeSet::new(),
        });
        if role == WorkerRole::TeamManager {
            self.org.teams[team].manager = Some(id);
        }
        id
    }

    /// Leavers, new starters, training and clinical supervision.
    pub(crate) fn workforce_day(&mut self) {
        let today = self.today;
        // Refill posts whose recruitment has finished.
        let (ready, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.org.vacancies)
            .into_iter()
            .partition(|(d, _, _)| *d <= today);
        self.org.vacancies = waiting;
        for (_, team, role) in ready {
            self.hire(team, role, today, false);
        }
        if !self.cal.is_working_day(today) {
            return;
        }
        let n = self.org.workers.len();
        let mut handed_over = Vec::new();
        for i in 0..n {
            let w = &self.org.workers[i];
            if !w.active || matches!(w.role, WorkerRole::Director | WorkerRole::HeadOfService) {
                continue;
            }
            // Annual turnover: about 15% of permanent staff and 40% of agency staff.
            let yearly = match w.employment {
                Employment::Permanent => 0.15,
                Employment::Agency => 0.40,
            };
            // Nobody leaves on the first day: the opening caseload is allocated that day.
            if self.rng.chance(yearly / 253.0) && today > self.start {
                handed_over.extend(self.leave(WorkerId(i as u32 + 1)));
            }
        }
        // Their children pass to colleagues in the same team still in post: a change of worker.
        for (child, service) in handed_over {
            self.allocate(child, service, today, ChangeOfWorker::WorkerLeft);
        }
        // Training at the Centre for Professional Practice, rising as the plan takes hold.
        let courses = [
            "Core skills for managers",
            "SMART planning",
            "Assessment and analysis",
            "Voice of the child",
            "Exploitation awareness",
        ];
        let per_day = (1.5 + 3.0 * self.progress_through()) * self.scale();
        for _ in 0..self.rng.poisson(per_day) {
            let w = self.rng.range(0, n as i64) as usize;
            if self.org.workers[w].active {
                let course = (*self.rng.pick(&courses)).to_string();
                let id = self.org.workers[w].id;
                let when = self.recorded(today);
                self.rec.record(
                    StreamId::Worker(id),
                    TrainingAttended {
                        worker: id,
                        course,
                        at: today,
                    },
                    when,
                    "seed",
                );
            }
        }
        // Clinical supervision for Family Safeguarding staff, monthly, on their first working day.
        if self
            .cal
            .add_working_days(today.with_day(1).expect("day 1"), 0)
            == today
        {
            for i in 0..n {
                let w = &self.org.workers[i];
                let fs = self.org.teams[w.team].service == Service::FamilySafeguarding;
                if w.active && fs && self.rng.chance(0.8) {
                    let id = w.id;
                    let at = today;
                    let when = self.recorded(at);
                    self.rec.record(
                        StreamId::Worker(id),
                        ClinicalSupervisionHeld { worker: id, at },
                        when,
                        "seed",
                    );
                }
            }
        }
    }

    /// Records a leaver and returns the children who need a new worker.
    fn leave(&mut self, id: WorkerId) -> Vec<(ChildId, Service)> {
        let today = self.today;
        let reason = if self.org.worker(id).employment == Employment::Agency {
            "End of agency assignment"
        } else {
            *self.rng.pick(&[
                "Resigned",
                "Retired",
                "Moved to another council",
                "Career break",
            ])
        };
        let when = self.recorded(today);
        self.rec.record(
            StreamId::Worker(id),
            WorkerLeft {
                worker: id,
                at: today,
                reason: Some(reason.into()),
            },
            when,
            "seed",
        );
        self.org.roster = None;
        let w = self.org.worker_mut(id);
        w.active = false;
        let team = w.team;
        let role = w.role;
        let cases: Vec<ChildId> = std::mem::take(&mut w.cases).into_iter().collect();
        if self.org.teams[team].manager == Some(id) {
            self.org.teams[team].manager = None;
        }
        let refill = today + Duration::days(self.rng.range(10, 70));
        self.org.vacancies.push((refill, team, role));
        for child in &cases {
            if let Some(c) = self.children.get_mut(child) {
                c.worker = None;
            }
        }
        let service = self.org.teams[team].service;
        cases.into_iter().map(|c| (c, service)).collect()
    }

    /// Allocates a child to the least-loaded case-holding worker in a team of the service (the
    /// child's own area first), recording the allocation.
    pub(crate) fn allocate(
        &mut self,
        child: ChildId,
        service: Service,
        at: NaiveDate,
        reason: ChangeOfWorker,
    ) {
        let area = self.children.get(&child).and_then(|c| c.area.clone());
        let mut teams = self.org.teams_of(service);
        if teams.is_empty() {
            teams = self.org.teams_of(Service::Assessment);
        }
        let local: Vec<usize> = teams
            .iter()
            .copied()
            .filter(|&t| self.org.teams[t].area.is_some() && self.org.teams[t].area == area)
            .collect();
        let pool = if local.is_empty() { teams } else { local };
        let best = pool
            .iter()
            .flat_map(|&t| &self.org.teams[t].members)
            .map(|&id| self.org.worker(id))
            .filter(|w| w.holds_cases())
            .min_by_key(|w| (w.cases.len(), w.id))
            .map(|w| w.id);
        let Some(worker) = best else { return };
        self.release(child);
        let team_idx = self.org.worker(worker).team;
        let team = self.org.teams[team_idx].id;
        self.org.worker_mut(worker).cases.insert(child);
        if let Some(c) = self.children.get_mut(&child) {
            c.worker = Some(worker);
        }
        let when = self.recorded(at);
        self.rec.record(
            StreamId::Child(child),
            ChildAllocated {
                worker,
                team,
                reason: Some(Code::from(reason.code())),
                at,
            },
            when,
            &worker.to_string(),
        );
    }

    /// Takes the child off its worker's caseload (the closing event ends the allocation).
    pub(crate) fn release(&mut self, child: ChildId) {
        if let Some(w) = self.children.get_mut(&child).and_then(|c| c.worker.take()) {
            self.org.worker_mut(w).cases.remove(&child);
        }
    }

    /// The manager who supervises and authorises for the child's worker, if the post is filled.
    pub(crate) fn manager_of(&self, child: ChildId) -> Option<WorkerId> {
        let w = self.children.get(&child)?.worker?;
        self.org.teams[self.org.worker(w).team].manager
    }

    /// A worker of a service, for IRO and auditor roles.
    pub(crate) fn someone_in(&mut self, role: WorkerRole) -> Option<WorkerId> {
        let ids = self.org.in_post(role);
        (!ids.is_empty()).then(|| *self.rng.pick(ids))
    }
}
