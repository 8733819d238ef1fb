//! The case model: every child, worker and team as the events so far describe them.
//! [`Model::apply`] folds one event in, or refuses it with a reason and changes nothing.

use crate::codes::*;
use crate::events::{self, ChildDetails, EventBody, Placement};
use crate::ids::*;
use crate::{ApplyError, Event};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What kind of record a [`RecordId`] names within a child's stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordKind {
    Contact,
    EarlyHelp,
    Referral,
    Assessment,
    StrategyDiscussion,
    Section47,
    Conference,
    CpPlan,
    CinPlan,
    Visit,
    GatewayPanel,
    PreProceedings,
    Proceedings,
    CarePeriod,
    ClaReview,
    MissingEpisode,
    LibertyOrder,
    Screening,
    Transfer,
    Audit,
    Complaint,
    Dispute,
    CaseNote,
}

impl RecordKind {
    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Contact => "contact",
            RecordKind::EarlyHelp => "early help episode",
            RecordKind::Referral => "referral",
            RecordKind::Assessment => "assessment",
            RecordKind::StrategyDiscussion => "strategy discussion",
            RecordKind::Section47 => "section 47 enquiry",
            RecordKind::Conference => "conference",
            RecordKind::CpPlan => "child protection plan",
            RecordKind::CinPlan => "child in need plan",
            RecordKind::Visit => "visit",
            RecordKind::GatewayPanel => "legal gateway panel",
            RecordKind::PreProceedings => "pre-proceedings",
            RecordKind::Proceedings => "care proceedings",
            RecordKind::CarePeriod => "period of care",
            RecordKind::ClaReview => "looked-after review",
            RecordKind::MissingEpisode => "missing episode",
            RecordKind::LibertyOrder => "deprivation of liberty order",
            RecordKind::Screening => "exploitation screening",
            RecordKind::Transfer => "transfer",
            RecordKind::Audit => "audit",
            RecordKind::Complaint => "complaint",
            RecordKind::Dispute => "IRO dispute",
            RecordKind::CaseNote => "case note",
        }
    }
}

impl std::fmt::Display for RecordKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    pub id: TeamId,
    pub name: String,
    pub service: Service,
    pub area: Option<String>,
    pub established: NaiveDate,
    pub closed: Option<NaiveDate>,
}

/// A worker's team, role, contract and hours from a date: workforce measures at any date read this.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerTerms {
    pub from: NaiveDate,
    pub team: TeamId,
    pub role: WorkerRole,
    pub employment: Employment,
    pub fte: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Worker {
    pub id: WorkerId,
    pub name: String,
    pub joined: NaiveDate,
    pub left: Option<NaiveDate>,
    /// The Social Work England registration number, where recorded.
    pub registration: Option<String>,
    /// Oldest first; the last entry is the current terms.
    pub terms: Vec<WorkerTerms>,
    pub training: Vec<(String, NaiveDate)>,
    pub clinical_supervisions: Vec<NaiveDate>,
}

impl Worker {
    pub fn current(&self) -> &WorkerTerms {
        self.terms
            .last()
            .expect("a worker always has terms from joining")
    }

    /// The worker's terms on a date, if employed then.
    pub fn terms_on(&self, date: NaiveDate) -> Option<&WorkerTerms> {
        if date < self.joined || self.left.is_some_and(|l| date >= l) {
            return None;
        }
        self.terms.iter().rev().find(|t| t.from <= date)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub id: RecordId,
    pub received: NaiveDateTime,
    pub source: Code,
    pub concerns: String,
    pub rag: Option<Rag>,
    pub consent: Option<bool>,
    pub decision: Option<(ContactDecision, NaiveDateTime)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EarlyHelpEpisode {
    pub id: RecordId,
    pub start: NaiveDate,
    pub lead_professional: Option<String>,
    pub end: Option<(NaiveDate, String)>,
}

/// A referral and the CIN episode it opens.
#[derive(Debug, Clone, PartialEq)]
pub struct Referral {
    pub id: RecordId,
    pub date: NaiveDate,
    pub source: Code,
    pub primary_need: Option<PrimaryNeed>,
    pub from_contact: Option<RecordId>,
    pub closed: Option<(NaiveDate, Code)>,
    /// The referral itself led to no further action (the CIN census's ReferralNFA).
    pub nfa: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub id: RecordId,
    pub referral: RecordId,
    pub kind: AssessmentKind,
    pub start: NaiveDate,
    pub authorised: Option<NaiveDate>,
    pub factors: Vec<Code>,
    pub internal_review: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StrategyDiscussion {
    pub id: RecordId,
    pub referral: RecordId,
    pub date: NaiveDate,
    pub outcome: StrategyOutcome,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section47 {
    pub id: RecordId,
    pub referral: RecordId,
    pub strategy: Option<RecordId>,
    pub start: NaiveDate,
    pub completed: Option<(NaiveDate, S47Outcome)>,
    /// When an initial conference was due by, where one was planned.
    pub conference_target: Option<NaiveDate>,
    /// A planned conference was found not to be needed.
    pub conference_not_required: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Conference {
    pub id: RecordId,
    pub kind: ConferenceKind,
    pub enquiry: Option<RecordId>,
    pub date: NaiveDate,
    pub plan_needed: bool,
    pub agencies_present: Vec<Agency>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CoreGroup {
    pub date: NaiveDate,
    pub attendance: Vec<(Agency, bool)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CpPlan {
    pub id: RecordId,
    pub referral: RecordId,
    pub conference: Option<RecordId>,
    pub start: NaiveDate,
    pub initial_category: AbuseCategory,
    pub category: AbuseCategory,
    /// Each change of category at a review, oldest first.
    pub category_changes: Vec<(NaiveDate, AbuseCategory)>,
    pub reviews: Vec<NaiveDate>,
    pub core_groups: Vec<CoreGroup>,
    pub end: Option<NaiveDate>,
    /// Earlier plans as a return reported them, for history from before Hearth's records.
    pub previous_plans: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CinPlan {
    pub id: RecordId,
    pub referral: RecordId,
    pub start: NaiveDate,
    pub reviews: Vec<NaiveDate>,
    pub end: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    pub id: RecordId,
    pub kind: VisitKind,
    pub date: NaiveDate,
    pub seen: bool,
    pub seen_alone: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GatewayPanel {
    pub id: RecordId,
    pub date: NaiveDate,
    pub decision: GatewayDecision,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PreProceedings {
    pub id: RecordId,
    pub start: NaiveDate,
    pub end: Option<(NaiveDate, PreProceedingsOutcome)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Proceedings {
    pub id: RecordId,
    pub issued: NaiveDate,
    pub concluded: Option<(NaiveDate, CourtOrder)>,
}

/// One SSDA903 episode: a run of days with the same legal status and placement.
#[derive(Debug, Clone, PartialEq)]
pub struct CareEpisode {
    pub start: NaiveDate,
    pub reason: Code,
    pub legal_status: Code,
    pub placement: Placement,
    pub reason_placement_changed: Option<Code>,
    /// The category of need in this episode (the SSDA903 asks for it on every episode).
    pub need: PrimaryNeed,
}

/// A period of care: the episodes from becoming looked after to ceasing.
#[derive(Debug, Clone, PartialEq)]
pub struct CarePeriod {
    pub id: RecordId,
    pub start: NaiveDate,
    pub need: PrimaryNeed,
    pub episodes: Vec<CareEpisode>,
    pub end: Option<(NaiveDate, Code)>,
}

impl CarePeriod {
    pub fn current_episode(&self) -> &CareEpisode {
        self.episodes
            .last()
            .expect("a period of care starts with an episode")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClaReview {
    pub id: RecordId,
    pub period: RecordId,
    pub date: NaiveDate,
    pub participation: Option<Code>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MissingEpisode {
    pub id: RecordId,
    pub kind: MissingKind,
    pub start: NaiveDateTime,
    pub end: Option<NaiveDateTime>,
    pub interview_offered: Option<(NaiveDateTime, bool)>,
    pub interview_held: Option<NaiveDateTime>,
}

/// A court's authority to deprive a looked-after child of their liberty.
#[derive(Debug, Clone, PartialEq)]
pub struct LibertyOrder {
    pub id: RecordId,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Screening {
    pub id: RecordId,
    pub date: NaiveDate,
    pub risk: RiskLevel,
    pub kinds: Vec<ExploitationKind>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HubReferral {
    pub date: NaiveDate,
    pub screening: Option<RecordId>,
    pub nrm: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    pub worker: WorkerId,
    pub team: TeamId,
    /// The SSDA903 reason for the change of worker, where recorded.
    pub reason: Option<Code>,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Transfer {
    pub id: RecordId,
    pub to_team: TeamId,
    pub requested: NaiveDate,
    pub completed: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    pub id: RecordId,
    pub kind: AuditKind,
    pub grade: AuditGrade,
    pub plan_smart: bool,
    pub auditor: WorkerId,
    pub date: NaiveDate,
    /// Each action and the date it was closed.
    pub actions: Vec<(String, Option<NaiveDate>)>,
    /// The manager's response and its date.
    pub response: Option<(String, NaiveDate)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Complaint {
    pub id: RecordId,
    pub stage: ComplaintStage,
    pub received: NaiveDate,
    pub response: Option<(NaiveDate, bool)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dispute {
    pub id: RecordId,
    pub iro: WorkerId,
    pub issue: String,
    pub raised: NaiveDate,
    pub resolved: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseNote {
    pub id: RecordId,
    pub kind: CaseNoteKind,
    pub text: String,
    pub date: NaiveDate,
    pub author: String,
}

/// A record withdrawn as entered in error: kept so "what did we know then" still shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Withdrawn {
    pub record: RecordId,
    pub kind: RecordKind,
    pub reason: String,
    pub date: NaiveDate,
}

/// Everything known about one child.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Child {
    pub id: Option<ChildId>,
    pub details: ChildDetails,
    pub registered: Option<NaiveDate>,
    /// Every record id in use, sorted, with its kind.
    pub records: Vec<(RecordId, RecordKind)>,
    pub contacts: Vec<Contact>,
    pub early_help: Vec<EarlyHelpEpisode>,
    pub referrals: Vec<Referral>,
    pub assessments: Vec<Assessment>,
    pub strategy_discussions: Vec<StrategyDiscussion>,
    pub enquiries: Vec<Section47>,
    pub conferences: Vec<Conference>,
    pub cp_plans: Vec<CpPlan>,
    pub cin_plans: Vec<CinPlan>,
    pub visits: Vec<Visit>,
    pub gateway_panels: Vec<GatewayPanel>,
    pub pre_proceedings: Vec<PreProceedings>,
    pub proceedings: Vec<Proceedings>,
    pub care_periods: Vec<CarePeriod>,
    pub cla_reviews: Vec<ClaReview>,
    pub peps: Vec<NaiveDate>,
    pub health_checks: Vec<(String, NaiveDate)>,
    pub permanence_plans: Vec<(PermanencePlan, NaiveDate)>,
    pub permanence_steps: Vec<(PermanenceStep, NaiveDate)>,
    /// Why an adoption decision ceased, by the date it ceased.
    pub adoption_decisions_ceased: Vec<(NaiveDate, Option<Code>)>,
    /// Each year's SSDA903 outcomes (OC2), as recorded at the year's end.
    pub care_outcomes: Vec<events::CareOutcomesRecorded>,
    pub adopters: Vec<events::AdoptersRecorded>,
    pub missing: Vec<MissingEpisode>,
    /// Deprivation of liberty orders (DoLOs), oldest first.
    pub liberty_orders: Vec<LibertyOrder>,
    pub screenings: Vec<Screening>,
    pub hub_referrals: Vec<HubReferral>,
    pub care_leaver_contacts: Vec<events::CareLeaverContact>,
    pub allocations: Vec<Allocation>,
    pub transfers: Vec<Transfer>,
    pub supervisions: Vec<(WorkerId, NaiveDate)>,
    pub group_supervisions: Vec<NaiveDate>,
    pub audits: Vec<Audit>,
    pub complaints: Vec<Complaint>,
    pub disputes: Vec<Dispute>,
    pub notes: Vec<CaseNote>,
    pub withdrawn: Vec<Withdrawn>,
    /// Set while the record is open only to named people.
    pub restricted: Option<events::RecordRestricted>,
    /// Whether the record came from an imported extract rather than from recording in Hearth.
    pub from_source: bool,
    /// The rows of an imported extract that made this record, sorted, when it came from one.
    pub source_rows: Vec<events::SourceRow>,
    /// The source's keys for the records it made, with their numbers here.
    pub source_records: Vec<events::SourceRecord>,
}

impl Child {
    pub fn id(&self) -> ChildId {
        self.id.expect("children in the model are registered")
    }

    /// The next free record id in this child's stream.
    pub fn next_record_id(&self) -> RecordId {
        RecordId(self.records.last().map_or(1, |(r, _)| r.0 + 1))
    }

    pub fn record_kind(&self, id: RecordId) -> Option<RecordKind> {
        self.records
            .binary_search_by_key(&id, |(r, _)| *r)
            .ok()
            .map(|i| self.records[i].1)
    }

    /// The date a record began (a contact's receipt, a plan's start, a review's meeting), to
    /// tell records of one kind apart when choosing one.
    pub fn record_date(&self, id: RecordId) -> Option<NaiveDate> {
        fn find<T>(
            list: &[T],
            id: RecordId,
            of: impl Fn(&T) -> (RecordId, NaiveDate),
        ) -> Option<NaiveDate> {
            list.iter().map(of).find(|(r, _)| *r == id).map(|(_, d)| d)
        }
        match self.record_kind(id)? {
            RecordKind::Contact => find(&self.contacts, id, |x| (x.id, x.received.date())),
            RecordKind::EarlyHelp => find(&self.early_help, id, |x| (x.id, x.start)),
            RecordKind::Referral => find(&self.referrals, id, |x| (x.id, x.date)),
            RecordKind::Assessment => find(&self.assessments, id, |x| (x.id, x.start)),
            RecordKind::StrategyDiscussion => {
                find(&self.strategy_discussions, id, |x| (x.id, x.date))
            }
            RecordKind::Section47 => find(&self.enquiries, id, |x| (x.id, x.start)),
            RecordKind::Conference => find(&self.conferences, id, |x| (x.id, x.date)),
            RecordKind::CpPlan => find(&self.cp_plans, id, |x| (x.id, x.start)),
            RecordKind::CinPlan => find(&self.cin_plans, id, |x| (x.id, x.start)),
            RecordKind::Visit => find(&self.visits, id, |x| (x.id, x.date)),
            RecordKind::GatewayPanel => find(&self.gateway_panels, id, |x| (x.id, x.date)),
            RecordKind::PreProceedings => find(&self.pre_proceedings, id, |x| (x.id, x.start)),
            RecordKind::Proceedings => find(&self.proceedings, id, |x| (x.id, x.issued)),
            RecordKind::CarePeriod => find(&self.care_periods, id, |x| (x.id, x.start)),
            RecordKind::ClaReview => find(&self.cla_reviews, id, |x| (x.id, x.date)),
            RecordKind::MissingEpisode => find(&self.missing, id, |x| (x.id, x.start.date())),
            RecordKind::LibertyOrder => find(&self.liberty_orders, id, |x| (x.id, x.start)),
            RecordKind::Screening => find(&self.screenings, id, |x| (x.id, x.date)),
            RecordKind::Transfer => find(&self.transfers, id, |x| (x.id, x.requested)),
            RecordKind::Audit => find(&self.audits, id, |x| (x.id, x.date)),
            RecordKind::Complaint => find(&self.complaints, id, |x| (x.id, x.received)),
            RecordKind::Dispute => find(&self.disputes, id, |x| (x.id, x.raised)),
            RecordKind::CaseNote => find(&self.notes, id, |x| (x.id, x.date)),
        }
    }

    pub fn open_referral(&self) -> Option<&Referral> {
        self.referrals.iter().rev().find(|r| r.closed.is_none())
    }

    pub fn open_care_period(&self) -> Option<&CarePeriod> {
        self.care_periods.iter().rev().find(|p| p.end.is_none())
    }

    pub fn open_cp_plan(&self) -> Option<&CpPlan> {
        self.cp_plans.iter().rev().find(|p| p.end.is_none())
    }

    pub fn current_allocation(&self) -> Option<&Allocation> {
        self.allocations.last().filter(|a| a.to.is_none())
    }

    /// Open to children's social care: a CIN episode or a period of care is open.
    pub fn is_open(&self) -> bool {
        self.open_referral().is_some() || self.open_care_period().is_some()
    }

    fn stream(&self) -> StreamId {
        StreamId::Child(self.id())
    }
}

/// Counts of what the model holds, for `hearth stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ModelCounts {
    pub children: u64,
    pub teams: u64,
    pub workers: u64,
    pub contacts: u64,
    pub referrals: u64,
    pub assessments: u64,
    pub section47_enquiries: u64,
    pub cp_plans: u64,
    pub cin_plans: u64,
    pub care_periods: u64,
    pub visits: u64,
    pub missing_episodes: u64,
    pub audits: u64,
    pub complaints: u64,
    pub open_cases: u64,
    pub open_cp_plans: u64,
    pub looked_after_now: u64,
}

/// The council itself: its name, code and child population by year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Council {
    pub name: String,
    pub la_code: String,
    /// ONS mid-year estimates of children aged 0-17, by mid-year.
    pub population: BTreeMap<i32, u32>,
    /// The improvement plan's target for each measure that has one, by measure id.
    pub targets: BTreeMap<String, events::MeasureTargetSet>,
    /// Where the records come from, when not from recording in Hearth.
    pub source: Option<String>,
    /// What that source does not carry.
    pub not_carried: std::collections::BTreeSet<crate::codes::Fact>,
    /// The source's own keys for the teams and staff it named.
    pub source_teams: BTreeMap<String, TeamId>,
    pub source_workers: BTreeMap<String, WorkerId>,
}

/// Every child, worker and team as the events so far describe them.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub council: Council,
    /// Each child behind an `Arc`, so that a copy of the model (made to fold new events in
    /// while the old one is still being read) shares every child it does not change.
    pub children: HashMap<ChildId, Arc<Child>>,
    pub teams: BTreeMap<TeamId, Team>,
    pub workers: BTreeMap<WorkerId, Worker>,
    /// The improvement plan, its actions and boards.
    pub plan: crate::plan::Plan,
    /// The version each stream has reached.
    versions: HashMap<StreamId, u32>,
    pub events_applied: u64,
    /// The latest recording time seen: "as known on" this moment.
    pub known_at: Option<DateTime<Utc>>,
}

fn out_of_order(
    stream: StreamId,
    what: String,
    date: NaiveDate,
    before: &'static str,
    earlier: NaiveDate,
) -> ApplyError {
    ApplyError::OutOfOrder {
        stream,
        what,
        date,
        before,
        earlier,
    }
}

/// Finds a record by id in one of a child's lists.
macro_rules! find {
    ($child:expr, $list:ident, $id:expr, $kind:expr) => {{
        let stream = $child.stream();
        let id = $id;
        $child
            .$list
            .iter_mut()
            .find(|r| r.id == id)
            .ok_or(ApplyError::UnknownRecord {
                stream,
                kind: $kind,
                record: id,
            })
    }};
}

impl Model {
    pub fn new() -> Self {
        Self::default()
    }

    /// The version a stream has reached (0 if it has no events).
    pub fn version(&self, stream: StreamId) -> u32 {
        self.versions.get(&stream).copied().unwrap_or(0)
    }

    pub fn child(&self, id: ChildId) -> Option<&Child> {
        self.children.get(&id).map(|c| &**c)
    }

    /// Children sorted by id, for output that must not depend on hash order.
    pub fn children_sorted(&self) -> Vec<&Child> {
        let mut v: Vec<&Child> = self.children.values().map(|c| &**c).collect();
        v.sort_unstable_by_key(|c| c.id);
        v
    }

    /// Folds one event into the model, or refuses it and changes nothing.
    pub fn apply(&mut self, event: &Event) -> Result<(), ApplyError> {
        self.next_in_stream(event)?;
        match event.stream {
            StreamId::Council => match &event.body {
                EventBody::CouncilDescribed(e) => {
                    self.council.name = e.name.clone();
                    self.council.la_code = e.la_code.clone();
                }
                EventBody::PopulationEstimated(e) => {
                    self.council.population.insert(e.mid_year, e.aged_0_to_17);
                }
                EventBody::SourceStaffRecorded(e) => {
                    self.council.source_teams.extend(e.teams.iter().cloned());
                    self.council
                        .source_workers
                        .extend(e.workers.iter().cloned());
                }
                EventBody::SourceDescribed(e) => {
                    self.council.source = Some(e.source.clone());
                    self.council.not_carried = e.not_carried.iter().copied().collect();
                }
                EventBody::MeasureTargetSet(e) => {
                    self.council.targets.insert(e.measure.clone(), e.clone());
                }
                _ => {
                    return Err(ApplyError::WrongStream {
                        stream: event.stream,
                        kind: event.body.kind(),
                    });
                }
            },
            StreamId::Team(id) => self.apply_team(id, event)?,
            StreamId::Worker(id) => self.apply_worker(id, event)?,
            StreamId::Child(id) => self.apply_child(id, event)?,
            StreamId::Plan | StreamId::Priority(_) | StreamId::Action(_) | StreamId::Board(_) => {
                self.apply_plan(event)?
            }
        }
        self.versions.insert(event.stream, event.version);
        self.events_applied += 1;
        if self.known_at.is_none_or(|k| event.recorded_at > k) {
            self.known_at = Some(event.recorded_at);
        }
        Ok(())
    }

    /// An event must be its stream's next.
    fn next_in_stream(&self, event: &Event) -> Result<(), ApplyError> {
        let have = self.version(event.stream);
        if event.version != have + 1 {
            return Err(ApplyError::VersionGap {
                stream: event.stream,
                expected: have + 1,
                got: event.version,
            });
        }
        Ok(())
    }

    /// Whether `event` would be accepted, changing nothing: what a form or the API asks before
    /// saving. Only the child it concerns is copied, so this costs little however large the
    /// council.
    pub fn check(&self, event: &Event) -> Result<(), ApplyError> {
        self.next_in_stream(event)?;
        let StreamId::Child(id) = event.stream else {
            // The council's, teams' and workers' streams are small: try the event on a copy.
            return self.clone().apply(event);
        };
        let child = match &event.body {
            EventBody::ChildRegistered(_) => None,
            _ => Some(Child::clone(
                self.children.get(&id).ok_or(ApplyError::UnknownChild(id))?,
            )),
        };
        self.check_on(child, event).map(|_| ())
    }

    /// Folds a child's event into `child` (a copy, or `None` when the event registers the
    /// child), checking what it refers to in this model, and returns the child as it would be.
    /// The version is the caller's to check: this is for a child whose latest events the model
    /// may not have folded in yet.
    pub fn check_on(&self, child: Option<Child>, event: &Event) -> Result<Child, ApplyError> {
        let StreamId::Child(id) = event.stream else {
            return Err(ApplyError::WrongStream {
                stream: event.stream,
                kind: event.body.kind(),
            });
        };
        if let EventBody::ChildRegistered(e) = &event.body {
            if child.is_some() || self.children.contains_key(&id) {
                return Err(ApplyError::AlreadyExists {
                    stream: event.stream,
                });
            }
            return Ok(Child {
                id: Some(id),
                details: e.details.clone(),
                registered: Some(e.at),
                ..Child::default()
            });
        }
        self.check_child_references(event)?;
        let mut child = child.ok_or(ApplyError::UnknownChild(id))?;
        apply_to_child(&mut child, event)?;
        Ok(child)
    }

    fn apply_team(&mut self, id: TeamId, event: &Event) -> Result<(), ApplyError> {
        let stream = event.stream;
        let wrong = || ApplyError::WrongStream {
            stream,
            kind: event.body.kind(),
        };
        match &event.body {
            EventBody::TeamEstablished(e) => {
                if e.team != id {
                    return Err(wrong());
                }
                if self.teams.contains_key(&id) {
                    return Err(ApplyError::AlreadyExists { stream });
                }
                self.teams.insert(
                    id,
                    Team {
                        id,
                        name: e.name.clone(),
                        service: e.service,
                        area: e.area.clone(),
                        established: e.at,
                        closed: None,
                    },
                );
            }
            EventBody::TeamClosed(e) => {
                if e.team != id {
                    return Err(wrong());
                }
                let team = self.teams.get_mut(&id).ok_or(ApplyError::UnknownTeam(id))?;
                if let Some(on) = team.closed {
                    return Err(ApplyError::AlreadyEnded {
                        stream,
                        what: "team".into(),
                        on,
                    });
                }
                if e.at < team.established {
                    return Err(out_of_order(
                        stream,
                        "team closed".into(),
                        e.at,
                        "it was established",
                        team.established,
                    ));
                }
                team.closed = Some(e.at);
            }
            _ => return Err(wrong()),
        }
        Ok(())
    }

    fn apply_worker(&mut self, id: WorkerId, event: &Event) -> Result<(), ApplyError> {
        let stream = event.stream;
        let wrong = || ApplyError::WrongStream {
            stream,
            kind: event.body.kind(),
        };
        let body_worker = match &event.body {
            EventBody::WorkerJoined(e) => e.worker,
            EventBody::WorkerChanged(e) => e.worker,
            EventBody::WorkerLeft(e) => e.worker,
            EventBody::TrainingAttended(e) => e.worker,
            EventBody::ClinicalSupervisionHeld(e) => e.worker,
            _ => return Err(wrong()),
        };
        if body_worker != id {
            return Err(wrong());
        }
        if let EventBody::WorkerJoined(e) = &event.body {
            if self.workers.contains_key(&id) {
                return Err(ApplyError::AlreadyExists { stream });
            }
            self.require_team(e.team)?;
            self.workers.insert(
                id,
                Worker {
                    id,
                    name: e.name.clone(),
                    joined: e.at,
                    left: None,
                    registration: e.registration.clone(),
                    terms: vec![WorkerTerms {
                        from: e.at,
                        team: e.team,
                        role: e.role,
                        employment: e.employment,
                        fte: e.fte,
                    }],
                    training: Vec::new(),
                    clinical_supervisions: Vec::new(),
                },
            );
            return Ok(());
        }
        if let EventBody::WorkerChanged(e) = &event.body
            && let Some(team) = e.team
        {
            self.require_team(team)?;
        }
        let worker = self
            .workers
            .get_mut(&id)
            .ok_or(ApplyError::UnknownWorker(id))?;
        let not_before_joining = |what: &str, at: NaiveDate| {
            if at < worker.joined {
                Err(out_of_order(
                    stream,
                    what.to_string(),
                    at,
                    "they joined",
                    worker.joined,
                ))
            } else {
                Ok(())
            }
        };
        match &event.body {
            EventBody::WorkerChanged(e) => {
                not_before_joining("change of terms", e.at)?;
                if let Some(on) = worker.left {
                    return Err(ApplyError::AlreadyEnded {
                        stream,
                        what: "employment".into(),
                        on,
                    });
                }
                let mut terms = worker.current().clone();
                if e.at < terms.from {
                    return Err(out_of_order(
                        stream,
                        "change of terms".into(),
                        e.at,
                        "the last change",
                        terms.from,
                    ));
                }
                terms.from = e.at;
                terms.team = e.team.unwrap_or(terms.team);
                terms.role = e.role.unwrap_or(terms.role);
                terms.employment = e.employment.unwrap_or(terms.employment);
                terms.fte = e.fte.unwrap_or(terms.fte);
                worker.terms.push(terms);
                if let Some(registration) = &e.registration {
                    worker.registration = Some(registration.clone());
                }
            }
            EventBody::WorkerLeft(e) => {
                not_before_joining("leaving", e.at)?;
                if let Some(on) = worker.left {
                    return Err(ApplyError::AlreadyEnded {
                        stream,
                        what: "employment".into(),
                        on,
                    });
                }
                worker.left = Some(e.at);
            }
            EventBody::TrainingAttended(e) => {
                not_before_joining("training", e.at)?;
                worker.training.push((e.course.clone(), e.at));
            }
            EventBody::ClinicalSupervisionHeld(e) => {
                not_before_joining("clinical supervision", e.at)?;
                worker.clinical_supervisions.push(e.at);
            }
            _ => return Err(wrong()),
        }
        Ok(())
    }

    fn require_team(&self, team: TeamId) -> Result<&Team, ApplyError> {
        self.teams.get(&team).ok_or(ApplyError::UnknownTeam(team))
    }

    pub(crate) fn require_worker(&self, worker: WorkerId) -> Result<&Worker, ApplyError> {
        self.workers
            .get(&worker)
            .ok_or(ApplyError::UnknownWorker(worker))
    }

    fn apply_child(&mut self, id: ChildId, event: &Event) -> Result<(), ApplyError> {
        let stream = event.stream;
        if let EventBody::ChildRegistered(e) = &event.body {
            if self.children.contains_key(&id) {
                return Err(ApplyError::AlreadyExists { stream });
            }
            self.children.insert(
                id,
                Arc::new(Child {
                    id: Some(id),
                    details: e.details.clone(),
                    registered: Some(e.at),
                    ..Child::default()
                }),
            );
            return Ok(());
        }
        self.check_child_references(event)?;
        let child = self
            .children
            .get_mut(&id)
            .ok_or(ApplyError::UnknownChild(id))?;
        // Copies the child first if an older copy of the model still shares it.
        apply_to_child(Arc::make_mut(child), event)
    }

    /// Checks that a child's event needs from the rest of the model (the team, the worker).
    fn check_child_references(&self, event: &Event) -> Result<(), ApplyError> {
        match &event.body {
            EventBody::ChildAllocated(e) => {
                self.require_team(e.team)?;
                let worker = self.require_worker(e.worker)?;
                if let Some(left) = worker.left.filter(|l| *l <= e.at) {
                    return Err(ApplyError::WorkerHasLeft {
                        worker: e.worker,
                        on: left,
                    });
                }
            }
            EventBody::TransferRequested(e) => {
                self.require_team(e.to_team)?;
            }
            EventBody::CaseSupervised(e) => {
                self.require_worker(e.supervisor)?;
            }
            EventBody::CaseAudited(e) => {
                self.require_worker(e.auditor)?;
            }
            EventBody::IroDisputeRaised(e) => {
                self.require_worker(e.iro)?;
            }
            EventBody::GroupSupervisionHeld(e) => {
                for w in &e.attendees {
                    self.require_worker(*w)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Counts for `hearth stats`.
    pub fn counts(&self, today: NaiveDate) -> ModelCounts {
        let mut c = ModelCounts {
            children: self.children.len() as u64,
            teams: self.teams.len() as u64,
            workers: self.workers.len() as u64,
            ..ModelCounts::default()
        };
        for ch in self.children.values() {
            c.contacts += ch.contacts.len() as u64;
            c.referrals += ch.referrals.len() as u64;
            c.assessments += ch.assessments.len() as u64;
            c.section47_enquiries += ch.enquiries.len() as u64;
            c.cp_plans += ch.cp_plans.len() as u64;
            c.cin_plans += ch.cin_plans.len() as u64;
            c.care_periods += ch.care_periods.len() as u64;
            c.visits += ch.visits.len() as u64;
            c.missing_episodes += ch.missing.len() as u64;
            c.audits += ch.audits.len() as u64;
            c.complaints += ch.complaints.len() as u64;
            c.open_cases += u64::from(ch.is_open());
            c.open_cp_plans += u64::from(
                ch.cp_plans
                    .iter()
                    .any(|p| p.start <= today && p.end.is_none_or(|e| e > today)),
            );
            c.looked_after_now += u64::from(
                ch.care_periods
                    .iter()
                    .any(|p| p.start <= today && p.end.as_ref().is_none_or(|(e, _)| *e > today)),
            );
        }
        c
    }
}

/// Claims a new record id in the child's stream.
fn claim(child: &Child, id: RecordId) -> Result<(), ApplyError> {
    match child.record_kind(id) {
        Some(existing) => Err(ApplyError::DuplicateRecord {
            stream: child.stream(),
            record: id,
            existing,
        }),
        None => Ok(()),
    }
}

fn register(child: &mut Child, id: RecordId, kind: RecordKind) {
    match child.records.binary_search_by_key(&id, |(r, _)| *r) {
        Ok(_) => unreachable!("claim() checked the id is free"),
        Err(at) => child.records.insert(at, (id, kind)),
    }
}

fn require_kind(child: &Child, id: RecordId, kind: RecordKind) -> Result<(), ApplyError> {
    if child.record_kind(id) == Some(kind) {
        Ok(())
    } else {
        Err(ApplyError::UnknownRecord {
            stream: child.stream(),
            kind,
            record: id,
        })
    }
}

fn not_before(
    child: &Child,
    what: impl FnOnce() -> String,
    date: NaiveDate,
    before: &'static str,
    earlier: NaiveDate,
) -> Result<(), ApplyError> {
    if date < earlier {
        Err(out_of_order(child.stream(), what(), date, before, earlier))
    } else {
        Ok(())
    }
}

/// Ends the child's allocation when nothing is left open: the case has closed.
fn end_allocation_if_closed(child: &mut Child, at: NaiveDate) {
    if !child.is_open()
        && let Some(a) = child.allocations.last_mut()
        && a.to.is_none()
    {
        a.to = Some(at.max(a.from));
    }
}

fn apply_to_child(child: &mut Child, event: &Event) -> Result<(), ApplyError> {
    use EventBody as B;
    use RecordKind as K;
    let stream = child.stream();
    match &event.body {
        B::ChildDetailsCorrected(e) => child.details = e.details.clone(),

        B::ContactReceived(e) => {
            claim(child, e.contact)?;
            register(child, e.contact, K::Contact);
            child.contacts.push(Contact {
                id: e.contact,
                received: e.at,
                source: e.source.clone(),
                concerns: e.concerns.clone(),
                rag: e.rag,
                consent: e.consent,
                decision: None,
            });
        }
        B::ContactRated(e) => {
            let c = find!(child, contacts, e.contact, K::Contact)?;
            c.rag = Some(e.rag);
        }
        B::ContactDecided(e) => {
            let c = find!(child, contacts, e.contact, K::Contact)?;
            if let Some((_, on)) = c.decision {
                return Err(ApplyError::AlreadyEnded {
                    stream,
                    what: format!("decision on contact {}", e.contact),
                    on: on.date(),
                });
            }
            if e.at < c.received {
                return Err(ApplyError::TimeOutOfOrder {
                    stream,
                    what: format!("decision on contact {}", e.contact),
                    at: e.at,
                    before: "the contact was received",
                    earlier: c.received,
                });
            }
            c.decision = Some((e.decision, e.at));
        }

        B::EarlyHelpStarted(e) => {
            claim(child, e.episode)?;
            register(child, e.episode, K::EarlyHelp);
            child.early_help.push(EarlyHelpEpisode {
                id: e.episode,
                start: e.at,
                lead_professional: e.lead_professional.clone(),
                end: None,
            });
        }
        B::EarlyHelpEnded(e) => {
            let ep = find!(child, early_help, e.episode, K::EarlyHelp)?;
            if let Some((on, _)) = ep.end {
                return Err(ApplyError::AlreadyEnded {
                    stream,
                    what: format!("early help episode {}", e.episode),
                    on,
                });
            }
            if e.at < ep.start {
                return Err(out_of_order(
                    stream,
                    format!("end of early help episode {}", e.episode),
                    e.at,
                    "it started",
                    ep.start,
                ));
            }
            ep.end = Some((e.at, e.reason.clone()));
        }

        B::ReferralReceived(e) => {
            claim(child, e.referral)?;
            if let Some(c) = e.from_contact {
                require_kind(child, c, K::Contact)?;
            }
            register(child, e.referral, K::Referral);
            child.referrals.push(Referral {
                id: e.referral,
                date: e.at,
                source: e.source.clone(),
                primary_need: e.primary_need,
                from_contact: e.from_contact,
                closed: None,
                nfa: false,
            });
        }
        B::AssessmentStarted(e) => {
            claim(child, e.assessment)?;
            let referral = find!(child, referrals, e.referral, K::Referral)?.date;
            not_before(
                child,
                || format!("assessment {}", e.assessment),
                e.at,
                "its referral",
                referral,
            )?;
            register(child, e.assessment, K::Assessment);
            child.assessments.push(Assessment {
                id: e.assessment,
                referral: e.referral,
                kind: e.kind,
                start: e.at,
                authorised: None,
                factors: Vec::new(),
                internal_review: None,
            });
        }
        B::AssessmentAuthorised(e) => {
            let a = find!(child, assessments, e.assessment, K::Assessment)?;
            if let Some(on) = a.authorised {
                return Err(ApplyError::AlreadyEnded {
                    stream,
                    what: format!("assessment {}", e.assessment),
                    on,
                });
            }
            if e.at < a.start {
                return Err(out_of_order(
                    stream,
                    format!("assessment {} authorised", e.assessment),
                    e.at,
                    "it started",
                    a.start,
                ));
            }
            a.authorised = Some(e.at);
            a.factors = e.factors.clone();
            a.internal_review = e.internal_review;
        }
        B::StrategyDiscussionHeld(e) => {
            claim(child, e.strategy)?;
            let referral = find!(child, referrals, e.referral, K::Referral)?.date;
            not_before(
                child,
                || format!("strategy discussion {}", e.strategy),
                e.at,
                "its referral",
                referral,
            )?;
            register(child, e.strategy, K::StrategyDiscussion);
            child.strategy_discussions.push(StrategyDiscussion {
                id: e.strategy,
                referral: e.referral,
                date: e.at,
                outcome: e.outcome,
            });
        }
        B::Section47Started(e) => {
            claim(child, e.enquiry)?;
            let referral = find!(child, referrals, e.referral, K::Referral)?.date;
            not_before(
                child,
                || format!("section 47 enquiry {}", e.enquiry),
                e.at,
                "its referral",
                referral,
            )?;
            if let Some(s) = e.strategy {
                let sd = find!(child, strategy_discussions, s, K::StrategyDiscussion)?.date;
                not_before(
                    child,
                    || format!("section 47 enquiry {}", e.enquiry),
                    e.at,
                    "its strategy discussion",
                    sd,
                )?;
            }
            register(child, e.enquiry, K::Section47);
            child.enquiries.push(Section47 {
                id: e.enquiry,
                referral: e.referral,
                strategy: e.strategy,
                start: e.at,
                completed: None,
                conference_target: None,
                conference_not_required: false,
            });
        }
        B::Section47Completed(e) => {
            let s = find!(child, enquiries, e.enquiry, K::Section47)?;
            if let Some((on, _)) = s.completed {
                return Err(ApplyError::AlreadyEnded {
                    stream,
                    what: format!("section 47 enquiry {}", e.enquiry),
                    on,
                });
            }
            if e.at < s.start {
                return Err(out_of_order(
                    stream,
                    format!("section 47 enquiry {} completed", e.enquiry),
                    e.at,
                    "it started",
                    s.start,
                ));
            }
            s.completed = Some((e.at, e.outcome));
            s.conference_target = e.conference_target;
            s.conference_not_required = e.conference_not_required;
        }
        B::ConferenceHeld(e) => {
            claim(child, e.conference)?;
            match (e.kind, e.enquiry) {
                (ConferenceKind::Initial, None) => {
                    return Err(ApplyError::ConferenceNeedsSection47 {
                        stream,
                        conference: e.conference,
                    });
                }
                (_, Some(enquiry)) => {
                    let start = find!(child, enquiries, enquiry, K::Section47)?.start;
                    not_before(
                        child,
                        || format!("conference {}", e.conference),
                        e.at,
                        "its section 47 enquiry started",
                        start,
                    )?;
                }
                _ => {}
            }
            register(child, e.conference, K::Conference);
            child.conferences.push(Conference {
                id: e.conference,
                kind: e.kind,
                enquiry: e.enquiry,
                date: e.at,
                plan_needed: e.plan_needed,
                agencies_present: e.agencies_present.clone(),
            });
        }
        B::CpPlanStarted(e) => {
            claim(child, e.plan)?;
            let referral = find!(child, referrals, e.referral, K::Referral)?.date;
            not_before(
                child,
                || format!("child protection plan {}", e.plan),
                e.at,
                "its referral",
                referral,
            )?;
            if let Some(open) = child.open_cp_plan() {
                return Err(ApplyError::AlreadyOpen {
                    stream,
                    what: format!("child protection plan {}", open.id),
                    since: open.start,
                });
            }
            if let Some(c) = e.conference {
                require_kind(child, c, K::Conference)?;
            }
            register(child, e.plan, K::CpPlan);
            child.cp_plans.push(CpPlan {
                id: e.plan,
                referral: e.referral,
                conference: e.conference,
                start: e.at,
                initial_category: e.category,
                category: e.category,
                category_changes: Vec::new(),
                reviews: Vec::new(),
                core_groups: Vec::new(),
                end: None,
                previous_plans: e.previous_plans,
            });
        }
        B::CpPlanReviewed(e) => {
            let p = find!(child, cp_plans, e.plan, K::CpPlan)?;
            check_open_dated(stream, K::CpPlan, e.plan, p.start, p.end, e.at, "review")?;
            p.reviews.push(e.at);
            if let Some(c) = e.category {
                if c != p.category {
                    p.category_changes.push((e.at, c));
                }
                p.category = c;
            }
        }
        B::CoreGroupHeld(e) => {
            let p = find!(child, cp_plans, e.plan, K::CpPlan)?;
            check_open_dated(
                stream,
                K::CpPlan,
                e.plan,
                p.start,
                p.end,
                e.at,
                "core group",
            )?;
            p.core_groups.push(CoreGroup {
                date: e.at,
                attendance: e.attendance.clone(),
            });
        }
        B::CpPlanEnded(e) => {
            let p = find!(child, cp_plans, e.plan, K::CpPlan)?;
            if let Some(on) = p.end {
                return Err(ApplyError::AlreadyEnded {
                    stream,
                    what: format!("child protection plan {}", e.plan),
                    on,
                });
            }
            if e.at < p.start {
                return Err(out_of_order(
                    stream,
                    format!("end of child protection plan {}", e.plan),
                    e.at,
                    "it started",
                    p.start,
                ));
            }
            p.end = Some(e.at);
        }
        B::CinPlanStarted(e) => {
            claim(child, e.plan)?;
            let referral = find!(child, referrals, e.referral, K::Referral)?.date;
            not_before(
                child,
                || format!("child in need plan {}", e.plan),
                e.at,
                "its referral",
                referral,
            )?;
            register(child, e.plan, K::CinPlan);
            child.cin_plans.push(CinPlan {
                id: e.plan,
                referral: e.referral,
                start: e.at,
                reviews: Vec::new(),
                end: None,
            });
        }
        B::CinPlanReviewed(e) => {
            let p = find!(child, cin_plans, e.plan, K::CinPlan)?;
            check_open_dated(stream, K::CinPlan, e.plan, p.start, p.end, e.at, "review")?;
            p.reviews.push(e.at);
        }
        B::CinPlanEnded(e) => {
            let p = find!(child, cin_plans, e.plan, K::CinPlan)?;
            if let Some(on) = p.end {
                return Err(ApplyError::AlreadyEnded {
                    stream,
                    what: format!("child in need plan {}", e.plan),
                    on,
                });
            }
            if e.at < p.start {
                return Err(out_of_order(
                    stream,
                    format!("end of child in need plan {}", e.plan),
                    e.at,
                    "it started",
                    p.start,
                ));
            }
            p.end = Some(e.at);
        }
        B::VisitMade(e) => {
            claim(child, e.visit)?;
            register(child, e.visit, K::Visit);
            child.visits.push(Visit {
                id: e.visit,
                kind: e.kind,
                date: e.at,
                seen: e.seen,
                seen_alone: e.seen_alone,
            });
        }
        B::CaseClosed(e) => {
            let r = find!(child, referrals, e.referral, K::Referral)?;
            if let Some((on, _)) = r.closed {
                return Err(ApplyError::AlreadyEnded {
                    stream,
                    what: format!("CIN episode of referral {}", e.referral),
                    on,
                });
            }
            if e.at < r.date {
                return Err(out_of_order(
                    stream,
                    format!("closure of referral {}", e.referral),
                    e.at,
                    "the referral",
                    r.date,
                ));
            }
            r.closed = Some((e.at, e.reason.clone()));
            r.nfa = e.referral_nfa;
            end_allocation_if_closed(child, e.at);
        }

        B::LegalGatewayPanelHeld(e) => {
            claim(child, e.panel)?;
            register(child, e.panel, K::GatewayPanel);
            child.gateway_panels.push(GatewayPanel {
                id: e.panel,
                date: e.at,
                decision: e.decision,
            });
        }
        B::PreProceedingsStarted(e) => {
            claim(child, e.pre_proceedings)?;
            register(child, e.pre_proceedings, K::PreProceedings);
            child.pre_proceedings.push(PreProceedings {
                id: e.pre_proceedings,
                start: e.at,
                end: None,
            });
        }
        B::PreProceedingsEnded(e) => {
            let p = find!(child, pre_proceedings, e.pre_proceedings, K::PreProceedings)?;
            if let Some((on, _)) = p.end {
                return Err(ApplyError::AlreadyEnded {
                    stream,
                    what: format!("pre-proceedings {}", e.pre_proceedings),
                    on,
                });
            }
            if e.at < p.start {
                return Err(out_of_order(
                    stream,
                    format!("end of pre-proceedings {}", e.pre_proceedings),
                    e.at,
                    "they started",
                    p.start,
                ));
            }
            p.end = Some((e.at, e.outcome));
        }
        B::CareProceedingsIssued(e) => {
            claim(child, e.proceedings)?;
            register(child, e.proceedings, K::Proceedings);
            child.proceedings.push(Proceedings {
                id: e.proceedings,
                issued: e.at,
                concluded: None,
            });
        }
        B::CareProceedingsConcluded(e) => {
            let p = find!(child, proceedings, e.proceedings, K::Proceedings)?;
            if let Some((on, _)) = p.concluded {
                return Err(ApplyError::AlreadyEnded {
                    stream,
                    what: format!("care proceedings {}", e.proceedings),
                    on,
                });
            }
            if e.at < p.issued {
                return Err(out_of_order(
                    stream,
                    format!("conclusion of care proceedings {}", e.proceedings),
                    e.at,
                    "they were issued",
                    p.issued,
                ));
            }
            p.concluded = Some((e.at, e.order));
        }

        B::CarePeriodStarted(e) => {
            claim(child, e.period)?;
            if let Some(open) = child.open_care_period() {
                return Err(ApplyError::AlreadyOpen {
                    stream,
                    what: format!("period of care {}", open.id),
                    since: open.start,
                });
            }
            if let Some((last_end, _)) = child.care_periods.last().and_then(|p| p.end.clone()) {
                not_before(
                    child,
                    || format!("period of care {}", e.period),
                    e.at,
                    "the previous period of care ended",
                    last_end,
                )?;
            }
            register(child, e.period, K::CarePeriod);
            child.care_periods.push(CarePeriod {
                id: e.period,
                start: e.at,
                need: e.need,
                episodes: vec![CareEpisode {
                    start: e.at,
                    reason: e.first_reason.clone().unwrap_or_else(|| Code::from("S")),
                    legal_status: e.legal_status.clone(),
                    placement: e.placement.clone(),
                    reason_placement_changed: None,
                    need: e.need,
                }],
                end: None,
            });
        }
        B::CareEpisodeChanged(e) => {
            let p = find!(child, care_periods, e.period, K::CarePeriod)?;
            if let Some((on, _)) = p.end {
                return Err(ApplyError::AlreadyEnded {
                    stream,
                    what: format!("period of care {}", e.period),
                    on,
                });
            }
            let current = p.current_episode();
            if e.at < current.start {
                return Err(out_of_order(
                    stream,
                    format!("new episode in period of care {}", e.period),
                    e.at,
                    "the current episode started",
                    current.start,
                ));
            }
            let episode = CareEpisode {
                start: e.at,
                reason: e.reason.clone(),
                legal_status: e
                    .legal_status
                    .clone()
                    .unwrap_or_else(|| current.legal_status.clone()),
                placement: e
                    .placement
                    .clone()
                    .unwrap_or_else(|| current.placement.clone()),
                reason_placement_changed: e.reason_placement_changed.clone(),
                need: e.need.unwrap_or(current.need),
            };
            p.episodes.push(episode);
        }
        B::CarePeriodEnded(e) => {
            let p = find!(child, care_periods, e.period, K::CarePeriod)?;
            if let Some((on, _)) = p.end {
                return Err(ApplyError::AlreadyEnded {
                    stream,
                    what: format!("period of care {}", e.period),
                    on,
                });
            }
            let last_start = p.current_episode().start;
            if e.at < last_start {
                return Err(out_of_order(
                    stream,
                    format!("end of period of care {}", e.period),
                    e.at,
                    "its last episode started",
                    last_start,
                ));
            }
            p.end = Some((e.at, e.reason.clone()));
            end_allocation_if_closed(child, e.at);
        }
        B::ClaReviewHeld(e) => {
            claim(child, e.review)?;
            let p = find!(child, care_periods, e.period, K::CarePeriod)?;
            let start = p.start;
            not_before(
                child,
                || format!("looked-after review {}", e.review),
                e.at,
                "the period of care started",
                start,
            )?;
            register(child, e.review, K::ClaReview);
            child.cla_reviews.push(ClaReview {
                id: e.review,
                period: e.period,
                date: e.at,
                participation: e.participation.clone(),
            });
        }
        B::PepCompleted(e) => child.peps.push(e.at),
        B::HealthCheckDone(e) => child.health_checks.push((e.check.clone(), e.at)),
        B::PermanencePlanMade(e) => child.permanence_plans.push((e.plan, e.at)),
        B::PermanenceStepReached(e) => {
            child.permanence_steps.push((e.step, e.at));
            if e.step == PermanenceStep::AdoptionDecisionCeased {
                child
                    .adoption_decisions_ceased
                    .push((e.at, e.reason.clone()));
            }
        }
        B::CareOutcomesRecorded(e) => {
            // One set of outcomes a year: a later record for the same 31 March replaces it.
            child.care_outcomes.retain(|o| o.at != e.at);
            child.care_outcomes.push(e.clone());
        }
        B::AdoptersRecorded(e) => child.adopters.push(e.clone()),

        B::MissingEpisodeStarted(e) => {
            claim(child, e.episode)?;
            register(child, e.episode, K::MissingEpisode);
            child.missing.push(MissingEpisode {
                id: e.episode,
                kind: e.kind,
                start: e.at,
                end: None,
                interview_offered: None,
                interview_held: None,
            });
        }
        B::MissingEpisodeEnded(e) => {
            let m = find!(child, missing, e.episode, K::MissingEpisode)?;
            if let Some(on) = m.end {
                return Err(ApplyError::AlreadyEnded {
                    stream,
                    what: format!("missing episode {}", e.episode),
                    on: on.date(),
                });
            }
            if e.at < m.start {
                return Err(ApplyError::TimeOutOfOrder {
                    stream,
                    what: format!("return from missing episode {}", e.episode),
                    at: e.at,
                    before: "the child went missing",
                    earlier: m.start,
                });
            }
            m.end = Some(e.at);
        }
        B::LibertyOrderMade(e) => {
            claim(child, e.order)?;
            register(child, e.order, K::LibertyOrder);
            child.liberty_orders.push(LibertyOrder {
                id: e.order,
                start: e.at,
                end: None,
            });
        }
        B::LibertyOrderEnded(e) => {
            let order = find!(child, liberty_orders, e.order, K::LibertyOrder)?;
            if let Some(on) = order.end {
                return Err(ApplyError::AlreadyEnded {
                    stream,
                    what: format!("deprivation of liberty order {}", e.order),
                    on,
                });
            }
            if e.at < order.start {
                let start = order.start;
                return Err(out_of_order(
                    stream,
                    format!("end of deprivation of liberty order {}", e.order),
                    e.at,
                    "the order was made",
                    start,
                ));
            }
            order.end = Some(e.at);
        }
        B::ReturnInterviewOffered(e) => {
            let m = find!(child, missing, e.episode, K::MissingEpisode)?;
            let start = m.start;
            if e.at < start {
                return Err(ApplyError::TimeOutOfOrder {
                    stream,
                    what: format!("return interview offer for missing episode {}", e.episode),
                    at: e.at,
                    before: "the child went missing",
                    earlier: start,
                });
            }
            m.interview_offered = Some((e.at, e.accepted));
        }
        B::ReturnInterviewHeld(e) => {
            let m = find!(child, missing, e.episode, K::MissingEpisode)?;
            let start = m.start;
            if e.at < start {
                return Err(ApplyError::TimeOutOfOrder {
                    stream,
                    what: format!("return interview for missing episode {}", e.episode),
                    at: e.at,
                    before: "the child went missing",
                    earlier: start,
                });
            }
            m.interview_held = Some(e.at);
        }
        B::ExploitationScreened(e) => {
            claim(child, e.screening)?;
            register(child, e.screening, K::Screening);
            child.screenings.push(Screening {
                id: e.screening,
                date: e.at,
                risk: e.risk,
                kinds: e.kinds.clone(),
            });
        }
        B::ExploitationHubReferred(e) => {
            if let Some(s) = e.screening {
                require_kind(child, s, K::Screening)?;
            }
            child.hub_referrals.push(HubReferral {
                date: e.at,
                screening: e.screening,
                nrm: e.nrm,
            });
        }
        B::CareLeaverContact(e) => child.care_leaver_contacts.push(e.clone()),

        B::ChildAllocated(e) => {
            if let Some(current) = child.allocations.last()
                && current.to.is_none()
                && e.at < current.from
            {
                return Err(out_of_order(
                    stream,
                    "allocation".into(),
                    e.at,
                    "the current allocation began",
                    current.from,
                ));
            }
            if let Some(current) = child.allocations.last_mut()
                && current.to.is_none()
            {
                current.to = Some(e.at);
            }
            child.allocations.push(Allocation {
                worker: e.worker,
                team: e.team,
                reason: e.reason.clone(),
                from: e.at,
                to: None,
            });
        }
        B::AllocationEnded(e) => {
            let Some(current) = child.allocations.last_mut().filter(|a| a.to.is_none()) else {
                return Err(ApplyError::NotAllocated { stream });
            };
            if e.at < current.from {
                let from = current.from;
                return Err(out_of_order(
                    stream,
                    "end of allocation".into(),
                    e.at,
                    "the allocation began",
                    from,
                ));
            }
            current.to = Some(e.at);
        }
        B::TransferRequested(e) => {
            claim(child, e.transfer)?;
            register(child, e.transfer, K::Transfer);
            child.transfers.push(Transfer {
                id: e.transfer,
                to_team: e.to_team,
                requested: e.at,
                completed: None,
            });
        }
        B::TransferCompleted(e) => {
            let t = find!(child, transfers, e.transfer, K::Transfer)?;
            if let Some(on) = t.completed {
                return Err(ApplyError::AlreadyEnded {
                    stream,
                    what: format!("transfer {}", e.transfer),
                    on,
                });
            }
            if e.at < t.requested {
                return Err(out_of_order(
                    stream,
                    format!("completion of transfer {}", e.transfer),
                    e.at,
                    "it was requested",
                    t.requested,
                ));
            }
            t.completed = Some(e.at);
        }
        B::CaseSupervised(e) => child.supervisions.push((e.supervisor, e.at)),
        B::GroupSupervisionHeld(e) => child.group_supervisions.push(e.at),
        B::CaseAudited(e) => {
            claim(child, e.audit)?;
            register(child, e.audit, K::Audit);
            child.audits.push(Audit {
                id: e.audit,
                kind: e.kind,
                grade: e.grade,
                plan_smart: e.plan_smart,
                auditor: e.auditor,
                date: e.at,
                actions: e.actions.iter().map(|a| (a.clone(), None)).collect(),
                response: None,
            });
        }
        B::AuditResponded(e) => {
            let a = find!(child, audits, e.audit, K::Audit)?;
            if e.at < a.date {
                return Err(out_of_order(
                    stream,
                    format!("the response to audit {}", e.audit),
                    e.at,
                    "the audit",
                    a.date,
                ));
            }
            a.response = Some((e.response.clone(), e.at));
        }
        B::AuditActionClosed(e) => {
            let a = find!(child, audits, e.audit, K::Audit)?;
            let date = a.date;
            let n = a.actions.len();
            let Some(action) = (e.action as usize)
                .checked_sub(1)
                .and_then(|i| a.actions.get_mut(i))
            else {
                return Err(ApplyError::NoSuchAuditAction {
                    stream,
                    audit: e.audit,
                    action: e.action,
                    actions: n,
                });
            };
            if let Some(on) = action.1 {
                return Err(ApplyError::AlreadyEnded {
                    stream,
                    what: format!("action {} of audit {}", e.action, e.audit),
                    on,
                });
            }
            if e.at < date {
                return Err(out_of_order(
                    stream,
                    format!("closing action {} of audit {}", e.action, e.audit),
                    e.at,
                    "the audit",
                    date,
                ));
            }
            action.1 = Some(e.at);
        }
        B::ComplaintReceived(e) => {
            claim(child, e.complaint)?;
            register(child, e.complaint, K::Complaint);
            child.complaints.push(Complaint {
                id: e.complaint,
                stage: e.stage,
                received: e.at,
                response: None,
            });
        }
        B::ComplaintResponded(e) => {
            let c = find!(child, complaints, e.complaint, K::Complaint)?;
            if let Some((on, _)) = c.response {
                return Err(ApplyError::AlreadyEnded {
                    stream,
                    what: format!("complaint {}", e.complaint),
                    on,
                });
            }
            if e.at < c.received {
                return Err(out_of_order(
                    stream,
                    format!("response to complaint {}", e.complaint),
                    e.at,
                    "it was received",
                    c.received,
                ));
            }
            c.response = Some((e.at, e.upheld));
        }
        B::IroDisputeRaised(e) => {
            claim(child, e.dispute)?;
            register(child, e.dispute, K::Dispute);
            child.disputes.push(Dispute {
                id: e.dispute,
                iro: e.iro,
                issue: e.issue.clone(),
                raised: e.at,
                resolved: None,
            });
        }
        B::IroDisputeResolved(e) => {
            let d = find!(child, disputes, e.dispute, K::Dispute)?;
            if let Some(on) = d.resolved {
                return Err(ApplyError::AlreadyEnded {
                    stream,
                    what: format!("IRO dispute {}", e.dispute),
                    on,
                });
            }
            if e.at < d.raised {
                return Err(out_of_order(
                    stream,
                    format!("resolution of IRO dispute {}", e.dispute),
                    e.at,
                    "it was raised",
                    d.raised,
                ));
            }
            d.resolved = Some(e.at);
        }
        B::CaseNoteWritten(e) => {
            claim(child, e.note)?;
            register(child, e.note, K::CaseNote);
            child.notes.push(CaseNote {
                id: e.note,
                kind: e.kind,
                text: e.text.clone(),
                date: e.at,
                author: event.actor.clone(),
            });
        }
        B::RecordEnteredInError(e) => {
            let kind = child
                .record_kind(e.record)
                .ok_or(ApplyError::UnknownRecordId {
                    stream,
                    record: e.record,
                })?;
            withdraw(child, e.record, kind);
            child.withdrawn.push(Withdrawn {
                record: e.record,
                kind,
                reason: e.reason.clone(),
                date: e.at,
            });
        }
        B::RecordRestricted(e) => child.restricted = Some(e.clone()),
        B::SourceRowsRecorded(e) => {
            child.from_source = true;
            child.source_rows = e.rows.clone();
            child.source_records = e.records.clone();
        }
        B::SourceRowsCorrected(_) => set_aside_the_source(child),
        B::RestrictionLifted(_) => {
            if child.restricted.take().is_none() {
                return Err(ApplyError::NotRestricted { stream });
            }
        }

        B::ChildRegistered(_)
        | B::CouncilDescribed(_)
        | B::PopulationEstimated(_)
        | B::SourceDescribed(_)
        | B::SourceStaffRecorded(_)
        | B::MeasureTargetSet(_)
        | B::TeamEstablished(_)
        | B::TeamClosed(_)
        | B::WorkerJoined(_)
        | B::WorkerChanged(_)
        | B::WorkerLeft(_)
        | B::TrainingAttended(_)
        | B::ClinicalSupervisionHeld(_)
        | B::PlanStarted(_)
        | B::PriorityAdded(_)
        | B::PriorityChanged(_)
        | B::ActionAdded(_)
        | B::ActionUpdated(_)
        | B::ActionRescheduled(_)
        | B::ActionReassigned(_)
        | B::BoardEstablished(_)
        | B::MeetingHeld(_)
        | B::PlanReportTextSet(_) => {
            return Err(ApplyError::WrongStream {
                stream,
                kind: event.body.kind(),
            });
        }
    }
    Ok(())
}

/// A review, core group or visit must fall within its plan.
fn check_open_dated(
    stream: StreamId,
    kind: RecordKind,
    id: RecordId,
    start: NaiveDate,
    end: Option<NaiveDate>,
    at: NaiveDate,
    what: &str,
) -> Result<(), ApplyError> {
    if at < start {
        return Err(out_of_order(
            stream,
            format!("{what} of {kind} {id}"),
            at,
            "the plan started",
            start,
        ));
    }
    if let Some(on) = end.filter(|e| at > *e) {
        return Err(ApplyError::AlreadyEnded {
            stream,
            what: format!("{kind} {id}"),
            on,
        });
    }
    Ok(())
}

/// Removes a record from the current picture; its id stays claimed so it is never reused.
/// Clears what an import writes, for the events that follow to rebuild it from a corrected
/// extract; the record ids go back to being free, so the same rows keep the same numbers.
fn set_aside_the_source(child: &mut Child) {
    use RecordKind as K;
    const IMPORTED: &[RecordKind] = &[
        K::Contact,
        K::EarlyHelp,
        K::Referral,
        K::Assessment,
        K::Section47,
        K::Conference,
        K::CpPlan,
        K::CinPlan,
        K::Visit,
        K::PreProceedings,
        K::CarePeriod,
        K::ClaReview,
        K::MissingEpisode,
    ];
    for (id, kind) in child.records.clone() {
        if IMPORTED.contains(&kind) {
            withdraw(child, id, kind);
        }
    }
    child.records.retain(|(_, kind)| !IMPORTED.contains(kind));
    child.allocations.clear();
    child.health_checks.clear();
    child.care_leaver_contacts.clear();
    child.permanence_plans.clear();
    child.permanence_steps.clear();
    child.adoption_decisions_ceased.clear();
    child.care_outcomes.clear();
    child.adopters.clear();
}

fn withdraw(child: &mut Child, id: RecordId, kind: RecordKind) {
    use RecordKind as K;
    match kind {
        K::Contact => child.contacts.retain(|r| r.id != id),
        K::EarlyHelp => child.early_help.retain(|r| r.id != id),
        K::Referral => child.referrals.retain(|r| r.id != id),
        K::Assessment => child.assessments.retain(|r| r.id != id),
        K::StrategyDiscussion => child.strategy_discussions.retain(|r| r.id != id),
        K::Section47 => child.enquiries.retain(|r| r.id != id),
        K::Conference => child.conferences.retain(|r| r.id != id),
        K::CpPlan => child.cp_plans.retain(|r| r.id != id),
        K::CinPlan => child.cin_plans.retain(|r| r.id != id),
        K::Visit => child.visits.retain(|r| r.id != id),
        K::GatewayPanel => child.gateway_panels.retain(|r| r.id != id),
        K::PreProceedings => child.pre_proceedings.retain(|r| r.id != id),
        K::Proceedings => child.proceedings.retain(|r| r.id != id),
        K::CarePeriod => child.care_periods.retain(|r| r.id != id),
        K::ClaReview => child.cla_reviews.retain(|r| r.id != id),
        K::MissingEpisode => child.missing.retain(|r| r.id != id),
        K::LibertyOrder => child.liberty_orders.retain(|r| r.id != id),
        K::Screening => child.screenings.retain(|r| r.id != id),
        K::Transfer => child.transfers.retain(|r| r.id != id),
        K::Audit => child.audits.retain(|r| r.id != id),
        K::Complaint => child.complaints.retain(|r| r.id != id),
        K::Dispute => child.disputes.retain(|r| r.id != id),
        K::CaseNote => child.notes.retain(|r| r.id != id),
    }
}
