//! Every change to a record is one of these events. An event carries the date the thing happened
//! (`at`, the effective date) apart from when it was recorded (on the envelope), so timeliness is
//! measured by what happened and recording lag can be measured too.
//!
//! The store keeps each event as a kind (`contact_received`) and a JSON body; [`EventBody::kind`]
//! and [`EventBody::decode`] are the only places that mapping lives.

use crate::codes::*;
use crate::ids::*;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// An event as recorded: which stream, its place in it, who recorded it and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub stream: StreamId,
    /// 1 for a stream's first event, then one more for each.
    pub version: u32,
    pub recorded_at: DateTime<Utc>,
    /// The user name of whoever recorded it, or `import:...`/`seed` for machine sources.
    pub actor: String,
    pub body: EventBody,
}

/// An event body could not be read back from the log.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("unknown event kind '{0}'")]
    UnknownKind(String),
    #[error("event of kind '{kind}' has a body that does not fit: {source}")]
    BadBody {
        kind: String,
        #[source]
        source: serde_json::Error,
    },
}

/// Defines the event enum from a list of `Variant(Struct) = "kind"`, with the kind names and the
/// decoder generated from the same list so they cannot drift apart.
macro_rules! events {
    ($($variant:ident = $kind:literal,)+) => {
        /// What happened. Each variant's struct is its body on the log.
        #[derive(Debug, Clone, PartialEq)]
        pub enum EventBody {
            $($variant($variant),)+
        }

        impl EventBody {
            /// Every kind, in declaration order.
            pub const KINDS: &'static [&'static str] = &[$($kind,)+];

            pub fn kind(&self) -> &'static str {
                match self { $(EventBody::$variant(_) => $kind,)+ }
            }

            /// The body as JSON text for the log.
            pub fn to_json(&self) -> String {
                let result = match self { $(EventBody::$variant(b) => serde_json::to_string(b),)+ };
                // Our bodies are plain structs of strings, numbers and dates: serialising cannot fail.
                result.expect("event bodies always serialise")
            }

            pub fn decode(kind: &str, body: &str) -> Result<EventBody, DecodeError> {
                let bad = |source| DecodeError::BadBody { kind: kind.to_string(), source };
                match kind {
                    $($kind => serde_json::from_str(body).map(EventBody::$variant).map_err(bad),)+
                    other => Err(DecodeError::UnknownKind(other.to_string())),
                }
            }
        }

        $(impl From<$variant> for EventBody {
            fn from(b: $variant) -> Self { EventBody::$variant(b) }
        })+
    };
}

events! {
    // The council
    CouncilDescribed = "council_described",
    PopulationEstimated = "population_estimated",
    SourceDescribed = "source_described",
    SourceStaffRecorded = "source_staff_recorded",
    MeasureTargetSet = "measure_target_set",
    // Organisation
    TeamEstablished = "team_established",
    TeamClosed = "team_closed",
    WorkerJoined = "worker_joined",
    WorkerChanged = "worker_changed",
    WorkerLeft = "worker_left",
    TrainingAttended = "training_attended",
    ClinicalSupervisionHeld = "clinical_supervision_held",
    // Who the child is
    ChildRegistered = "child_registered",
    ChildDetailsCorrected = "child_details_corrected",
    // Front door
    ContactReceived = "contact_received",
    ContactRated = "contact_rated",
    ContactDecided = "contact_decided",
    EarlyHelpStarted = "early_help_started",
    EarlyHelpEnded = "early_help_ended",
    // Children in need
    ReferralReceived = "referral_received",
    AssessmentStarted = "assessment_started",
    AssessmentAuthorised = "assessment_authorised",
    StrategyDiscussionHeld = "strategy_discussion_held",
    Section47Started = "section47_started",
    Section47Completed = "section47_completed",
    ConferenceHeld = "conference_held",
    CpPlanStarted = "cp_plan_started",
    CpPlanReviewed = "cp_plan_reviewed",
    CoreGroupHeld = "core_group_held",
    CpPlanEnded = "cp_plan_ended",
    CinPlanStarted = "cin_plan_started",
    CinPlanReviewed = "cin_plan_reviewed",
    CinPlanEnded = "cin_plan_ended",
    VisitMade = "visit_made",
    CaseClosed = "case_closed",
    // Legal
    LegalGatewayPanelHeld = "legal_gateway_panel_held",
    PreProceedingsStarted = "pre_proceedings_started",
    PreProceedingsEnded = "pre_proceedings_ended",
    CareProceedingsIssued = "care_proceedings_issued",
    CareProceedingsConcluded = "care_proceedings_concluded",
    // Looked after
    CarePeriodStarted = "care_period_started",
    CareEpisodeChanged = "care_episode_changed",
    CarePeriodEnded = "care_period_ended",
    ClaReviewHeld = "cla_review_held",
    PepCompleted = "pep_completed",
    HealthCheckDone = "health_check_done",
    PermanencePlanMade = "permanence_plan_made",
    PermanenceStepReached = "permanence_step_reached",
    CareOutcomesRecorded = "care_outcomes_recorded",
    AdoptersRecorded = "adopters_recorded",
    // Missing and exploitation
    MissingEpisodeStarted = "missing_episode_started",
    MissingEpisodeEnded = "missing_episode_ended",
    ReturnInterviewOffered = "return_interview_offered",
    ReturnInterviewHeld = "return_interview_held",
    ExploitationScreened = "exploitation_screened",
    ExploitationHubReferred = "exploitation_hub_referred",
    // Deprivation of liberty
    LibertyOrderMade = "liberty_order_made",
    LibertyOrderEnded = "liberty_order_ended",
    // Care leavers
    CareLeaverContact = "care_leaver_contact",
    // Case management
    ChildAllocated = "child_allocated",
    AllocationEnded = "allocation_ended",
    TransferRequested = "transfer_requested",
    TransferCompleted = "transfer_completed",
    CaseSupervised = "case_supervised",
    GroupSupervisionHeld = "group_supervision_held",
    CaseAudited = "case_audited",
    AuditActionClosed = "audit_action_closed",
    AuditResponded = "audit_responded",
    ComplaintReceived = "complaint_received",
    ComplaintResponded = "complaint_responded",
    IroDisputeRaised = "iro_dispute_raised",
    IroDisputeResolved = "iro_dispute_resolved",
    CaseNoteWritten = "case_note_written",
    RecordEnteredInError = "record_entered_in_error",
    // Who may see the record
    RecordRestricted = "record_restricted",
    // Where a record came from
    SourceRowsRecorded = "source_rows_recorded",
    SourceRowsCorrected = "source_rows_corrected",
    RestrictionLifted = "restriction_lifted",
    // The improvement plan
    PlanStarted = "plan_started",
    PriorityAdded = "priority_added",
    PriorityChanged = "priority_changed",
    ActionAdded = "action_added",
    ActionUpdated = "action_updated",
    ActionRescheduled = "action_rescheduled",
    ActionReassigned = "action_reassigned",
    BoardEstablished = "board_established",
    MeetingHeld = "meeting_held",
    PlanReportTextSet = "plan_report_text_set",
}

// ---- The council --------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CouncilDescribed {
    pub name: String,
    /// The DfE's three-digit local authority code.
    pub la_code: String,
    pub at: NaiveDate,
}

/// Where the council's records come from, when not from recording in Hearth, and what that
/// source does not carry: measures that need it are not available, rather than zero. A later
/// description replaces the last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceDescribed {
    pub source: String,
    #[serde(default)]
    pub not_carried: Vec<crate::codes::Fact>,
    pub at: NaiveDate,
}

/// One row of a source's extract and what it became: for taking a later extract over this one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SourceRow {
    pub table: String,
    pub key: String,
    /// A fingerprint of the row's values, to tell a changed row from an unchanged one.
    pub hash: u64,
}

/// The rows of an imported extract that made the child's record, as of this import. A later
/// one replaces it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRowsRecorded {
    pub rows: Vec<SourceRow>,
    /// The number each of the source's records has in the child's record, so that the same
    /// row keeps the same record from one extract to the next.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<SourceRecord>,
    pub at: NaiveDate,
}

/// A record the source keys as `key` in `table`, and its number in the child's record.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SourceRecord {
    pub table: String,
    pub key: String,
    pub record: RecordId,
}

/// A later extract changed or left out rows that made this child's record. Everything the
/// import writes (its contacts, referrals, assessments, enquiries, conferences, plans, visits,
/// pre-proceedings, care, reviews, missing episodes, allocations, health checks, care leavers'
/// contacts, permanence, each year's outcomes and adopters) is set aside, and the events that follow rebuild it from the new
/// extract. What staff recorded in Hearth stays. The earlier events stay on the log, so what
/// was known before the correction can still be replayed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRowsCorrected {
    pub changes: Vec<SourceChange>,
    pub at: NaiveDate,
}

/// One row of the source, and how the new extract differs on it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SourceChange {
    pub table: String,
    pub key: String,
    pub change: RowChange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowChange {
    /// New in this extract.
    Added,
    /// In both extracts, with different values.
    Changed,
    /// In the earlier extract, not in this one.
    Gone,
}

impl RowChange {
    pub fn label(self) -> &'static str {
        match self {
            RowChange::Added => "new",
            RowChange::Changed => "changed",
            RowChange::Gone => "gone",
        }
    }
}

/// The teams and staff an imported extract named, by its own keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceStaffRecorded {
    #[serde(default)]
    pub teams: Vec<(String, TeamId)>,
    #[serde(default)]
    pub workers: Vec<(String, WorkerId)>,
    pub at: NaiveDate,
}

/// The ONS mid-year estimate of children aged 0 to 17: the base of every rate per 10,000.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PopulationEstimated {
    pub mid_year: i32,
    pub aged_0_to_17: u32,
}

/// A target for one measure of the improvement plan: where it started, where it must get to, and
/// the monthly steps on the way. A later event for the same measure replaces it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeasureTargetSet {
    /// The catalogue id (FD-01, AS-01a...).
    pub measure: String,
    /// The month of the baseline, as YYYY-MM; the baseline figure is that month's value.
    pub baseline_month: String,
    /// The figure stated in the plan for the baseline month, where the plan states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    pub target: f64,
    /// Month (YYYY-MM) and the value expected by its end, oldest first. After the last point the
    /// target holds.
    pub trajectory: Vec<(String, f64)>,
    /// How far short of the trajectory still rates amber, in the measure's own unit.
    pub tolerance: f64,
    pub at: NaiveDate,
}

// ---- Organisation -------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamEstablished {
    pub team: TeamId,
    pub name: String,
    pub service: Service,
    /// The town or locality the team serves, if it is area-based.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamClosed {
    pub team: TeamId,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerJoined {
    pub worker: WorkerId,
    pub name: String,
    pub role: WorkerRole,
    pub team: TeamId,
    pub employment: Employment,
    /// Full-time equivalent, 0.1 to 1.0.
    pub fte: f32,
    /// The Social Work England registration number (SW followed by digits), which the SSDA903
    /// return gives as the child's social worker's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<String>,
    pub at: NaiveDate,
}

/// A change of team, role, contract or hours from a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerChanged {
    pub worker: WorkerId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<WorkerRole>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employment: Option<Employment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fte: Option<f32>,
    /// A Social Work England registration number given or corrected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration: Option<String>,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkerLeft {
    pub worker: WorkerId,
    pub at: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A course at the Centre for Professional Practice (core skills, SMART plans, assessment...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingAttended {
    pub worker: WorkerId,
    pub course: String,
    pub at: NaiveDate,
}

/// Monthly supervision from a worker's own profession (Family Safeguarding).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClinicalSupervisionHeld {
    pub worker: WorkerId,
    pub at: NaiveDate,
}

// ---- Who the child is ----------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ChildDetails {
    /// The council's own child identifier, as sent in returns.
    pub la_child_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub given_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub family_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub former_upn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nhs_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<NaiveDate>,
    /// For an unborn child.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_date_of_birth: Option<NaiveDate>,
    pub sex: Sex,
    /// DfE ethnicity code (WBRI, MWBC, ...).
    pub ethnicity: Code,
    /// DfE disability codes; empty when the child has none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disabilities: Vec<Code>,
    #[serde(default)]
    pub uasc: bool,
    /// The town or locality, for heat maps and area-based teams.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// The outward part of the postcode only (DY1), never the full address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode_district: Option<String>,
    /// Siblings share a family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<FamilyId>,
    /// Why a child has no UPN (the CIN census's UN1..UN10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upn_unknown: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_death: Option<NaiveDate>,
    /// Whether the child is a mother (SSDA903 MOTHER), where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mother: Option<bool>,
    /// The birth date of the child's own first child (SSDA903 MC_DOB).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_child_born: Option<NaiveDate>,
    /// When the child stopped being an unaccompanied asylum-seeking child (SSDA903 DUC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uasc_ceased: Option<NaiveDate>,
    /// The order under which the child left care before, if they did (SSDA903 previous
    /// permanence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_permanence: Option<PreviousPermanence>,
}

/// An earlier permanence order, as the SSDA903 asks for it. The date is kept as given because the
/// return allows parts of it to be unknown (`zz/zz/2012`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PreviousPermanence {
    /// P1 adoption, P2 special guardianship, P3 residence or child arrangements, Z1 unknown, ...
    pub order: Code,
    /// The council that made the arrangements, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub council: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildRegistered {
    #[serde(flatten)]
    pub details: ChildDetails,
    pub at: NaiveDate,
}

/// Corrected identity details: the whole set as it now stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildDetailsCorrected {
    #[serde(flatten)]
    pub details: ChildDetails,
    pub at: NaiveDate,
}

// ---- Front door ----------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactReceived {
    pub contact: RecordId,
    /// When the front door received it; the one-working-day clock starts here.
    pub at: NaiveDateTime,
    /// Referral source code (1A..10).
    pub source: Code,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub concerns: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rag: Option<Rag>,
    /// Whether the family consented to the contact being progressed, where asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactRated {
    pub contact: RecordId,
    pub rag: Rag,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactDecided {
    pub contact: RecordId,
    pub decision: ContactDecision,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarlyHelpStarted {
    pub episode: RecordId,
    pub at: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_professional: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EarlyHelpEnded {
    pub episode: RecordId,
    pub at: NaiveDate,
    pub reason: String,
}

// ---- Children in need ----------------------------------------------------------------------

/// A referral opens a CIN episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferralReceived {
    pub referral: RecordId,
    pub at: NaiveDate,
    pub source: Code,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_need: Option<PrimaryNeed>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_contact: Option<RecordId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentStarted {
    pub assessment: RecordId,
    pub referral: RecordId,
    pub kind: AssessmentKind,
    pub at: NaiveDate,
}

/// A manager authorises the completed assessment; the 45-working-day clock stops here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssessmentAuthorised {
    pub assessment: RecordId,
    /// When the assessment was reviewed inside the council before authorisation, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_review: Option<NaiveDate>,
    pub at: NaiveDate,
    /// Assessment factor codes (1A, 2B, 3A...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub factors: Vec<Code>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrategyDiscussionHeld {
    pub strategy: RecordId,
    pub referral: RecordId,
    pub outcome: StrategyOutcome,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section47Started {
    pub enquiry: RecordId,
    pub referral: RecordId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<RecordId>,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section47Completed {
    pub enquiry: RecordId,
    pub outcome: S47Outcome,
    /// The date an initial conference was due by, when one was planned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conference_target: Option<NaiveDate>,
    /// A conference was planned and then found not to be needed (the CIN census's
    /// ICPCnotRequired).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub conference_not_required: bool,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConferenceHeld {
    pub conference: RecordId,
    pub kind: ConferenceKind,
    /// The section 47 enquiry an initial conference follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enquiry: Option<RecordId>,
    /// Whether the conference decided the child needs a child protection plan.
    pub plan_needed: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agencies_present: Vec<Agency>,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CpPlanStarted {
    pub plan: RecordId,
    pub referral: RecordId,
    pub category: AbuseCategory,
    /// Earlier child protection plans as a return reported them, for plans from before the
    /// child's history in Hearth begins.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_plans: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conference: Option<RecordId>,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CpPlanReviewed {
    pub plan: RecordId,
    pub at: NaiveDate,
    /// A change of category at review.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<AbuseCategory>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoreGroupHeld {
    pub plan: RecordId,
    pub at: NaiveDate,
    /// Each invited agency and whether it attended.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attendance: Vec<(Agency, bool)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CpPlanEnded {
    pub plan: RecordId,
    pub at: NaiveDate,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CinPlanStarted {
    pub plan: RecordId,
    pub referral: RecordId,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CinPlanReviewed {
    pub plan: RecordId,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CinPlanEnded {
    pub plan: RecordId,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitMade {
    pub visit: RecordId,
    pub kind: VisitKind,
    pub at: NaiveDate,
    pub seen: bool,
    pub seen_alone: bool,
}

/// Closes the CIN episode opened by a referral.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseClosed {
    pub referral: RecordId,
    /// The referral itself led to no further action (the CIN census's ReferralNFA).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub referral_nfa: bool,
    /// CIN reason for closure (RC1..RC9).
    pub reason: Code,
    pub at: NaiveDate,
}

// ---- Legal -----------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegalGatewayPanelHeld {
    pub panel: RecordId,
    pub decision: GatewayDecision,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreProceedingsStarted {
    pub pre_proceedings: RecordId,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreProceedingsEnded {
    pub pre_proceedings: RecordId,
    pub outcome: PreProceedingsOutcome,
    pub at: NaiveDate,
}

/// The 26-week clock starts at issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CareProceedingsIssued {
    pub proceedings: RecordId,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CareProceedingsConcluded {
    pub proceedings: RecordId,
    pub order: CourtOrder,
    pub at: NaiveDate,
}

// ---- Looked after --------------------------------------------------------------------------

/// Where a looked-after child lives: the SSDA903 placement fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    /// Placement type (U1..U6, K2, R1, P1, ...).
    pub place: Code,
    /// Placement provider (PR0..PR5).
    pub provider: Code,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode_district: Option<String>,
    /// Ofsted URN of the provider, where it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urn: Option<String>,
    /// The placement's full postcode, which the SSDA903 asks for (the district alone serves
    /// everything else).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// The postcode of the child's home when the episode began (SSDA903 HOME_POST).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_postcode: Option<String>,
}

/// A period of care begins: its first SSDA903 episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CarePeriodStarted {
    pub period: RecordId,
    /// Legal status (C1, C2, V2, L1, E1...).
    pub legal_status: Code,
    pub placement: Placement,
    /// Category of need (N1..N8).
    pub need: PrimaryNeed,
    /// For a period that began before the records do (an imported return's first episode), why
    /// its first known episode began; otherwise the period starts with reason S.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_reason: Option<Code>,
    pub at: NaiveDate,
}

/// A new SSDA903 episode within a period of care: legal status or placement (or both) changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CareEpisodeChanged {
    pub period: RecordId,
    /// Reason for new episode (L, P, T, B, U).
    pub reason: Code,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_status: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placement: Option<Placement>,
    /// Reason for placement change (CARPL, CHILD, LAREQ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_placement_changed: Option<Code>,
    /// A changed category of need; otherwise the period's need carries on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub need: Option<PrimaryNeed>,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CarePeriodEnded {
    pub period: RecordId,
    /// Reason episode ceased (E11, E12, E13, E4A, E8...).
    pub reason: Code,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaReviewHeld {
    pub review: RecordId,
    pub period: RecordId,
    /// Participation code (PN0..PN7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participation: Option<Code>,
    pub at: NaiveDate,
}

/// Personal education plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PepCompleted {
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthCheckDone {
    /// `health` for the annual health assessment, `dental` for a dental check.
    pub check: String,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PermanencePlanMade {
    pub plan: PermanencePlan,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PermanenceStepReached {
    pub step: PermanenceStep,
    /// Why, where the step needs one (the RD1..RD4 reason an adoption decision ceased).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Code>,
    pub at: NaiveDate,
}

/// The outcomes the SSDA903 asks about each child looked after for a year at 31 March (its OC2
/// table), as found at the year's end. `None` is "not recorded".
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CareOutcomesRecorded {
    /// The strengths and difficulties questionnaire's score (0..40).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdq_score: Option<u8>,
    /// Why no score (SDQ1..SDQ5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdq_reason: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub convicted: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub immunisations: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teeth_check: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_assessment: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub substance_misuse: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intervention_received: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intervention_offered: Option<bool>,
    /// The 31 March the outcomes are for.
    pub at: NaiveDate,
}

/// Who adopted the child (the SSDA903 AD1 table), recorded with the adoption order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdoptersRecorded {
    /// Adopted by the child's foster carers.
    pub foster_carers: bool,
    /// One adopter or two.
    pub number: u8,
    /// M1, F1, MM, FF or MF.
    pub sex: Code,
    /// The adopters' legal status (L0, L11, L12, L2, L3, L4).
    pub legal_status: Code,
    pub at: NaiveDate,
}

// ---- Missing and exploitation -------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MissingEpisodeStarted {
    pub episode: RecordId,
    pub kind: MissingKind,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MissingEpisodeEnded {
    pub episode: RecordId,
    pub at: NaiveDateTime,
}

/// The 72-hour clock for offering a return home interview runs from the child's return.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReturnInterviewOffered {
    pub episode: RecordId,
    pub at: NaiveDateTime,
    pub accepted: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReturnInterviewHeld {
    pub episode: RecordId,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExploitationScreened {
    pub screening: RecordId,
    pub risk: RiskLevel,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<ExploitationKind>,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExploitationHubReferred {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screening: Option<RecordId>,
    /// A referral to the National Referral Mechanism as well.
    #[serde(default)]
    pub nrm: bool,
    pub at: NaiveDate,
}

// ---- Deprivation of liberty ---------------------------------------------------------------

/// A court authorised depriving a looked-after child of their liberty (a DoLO, under the High
/// Court's inherent jurisdiction), from this date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LibertyOrderMade {
    pub order: RecordId,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LibertyOrderEnded {
    pub order: RecordId,
    pub at: NaiveDate,
}

// ---- Care leavers --------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CareLeaverContact {
    pub in_touch: bool,
    /// The SSDA903 IN_TOUCH code where "not in touch" has a reason (DIED, REFU, NREQ, RHOM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_in_touch_reason: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<CareLeaverActivity>,
    /// Accommodation code (B, C, D, E, G, H, K, R, S, T, U, V, W, X, Y, Z).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accommodation: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accommodation_suitable: Option<bool>,
    #[serde(default)]
    pub pathway_plan_reviewed: bool,
    pub at: NaiveDate,
}

// ---- Case management -----------------------------------------------------------------------

/// The child's case is held by a worker in a team from this date (a first allocation or a change
/// of worker).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildAllocated {
    pub worker: WorkerId,
    pub team: TeamId,
    /// Why the child's worker changed, in the SSDA903's codes (FCONTA for the first worker after
    /// contact, MANAGE, LEFTRL, ORGRST, TSPROC, ABSENC, CHCHAN, PCCHAN, SWDIED, OTHERS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Code>,
    pub at: NaiveDate,
}

/// The case is no longer held by anyone (a care leaver reaching 21, for example). Closing a case
/// ends its allocation by itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllocationEnded {
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransferRequested {
    pub transfer: RecordId,
    pub to_team: TeamId,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransferCompleted {
    pub transfer: RecordId,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseSupervised {
    pub supervisor: WorkerId,
    pub at: NaiveDate,
}

/// Family Safeguarding's monthly group case supervision with every professional involved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSupervisionHeld {
    pub at: NaiveDate,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attendees: Vec<WorkerId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseAudited {
    pub audit: RecordId,
    pub kind: AuditKind,
    pub grade: AuditGrade,
    /// Whether the child's plan was judged SMART.
    pub plan_smart: bool,
    /// The actions the audit set, numbered from 1 by their place here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
    pub auditor: WorkerId,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditActionClosed {
    pub audit: RecordId,
    /// 1-based, as listed on the audit.
    pub action: u16,
    pub at: NaiveDate,
}

/// The team manager's response to an audit: what they will do about its findings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditResponded {
    pub audit: RecordId,
    pub response: String,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplaintReceived {
    pub complaint: RecordId,
    pub stage: ComplaintStage,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComplaintResponded {
    pub complaint: RecordId,
    pub upheld: bool,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IroDisputeRaised {
    pub dispute: RecordId,
    pub iro: WorkerId,
    pub issue: String,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IroDisputeResolved {
    pub dispute: RecordId,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseNoteWritten {
    pub note: RecordId,
    pub kind: CaseNoteKind,
    pub text: String,
    pub at: NaiveDate,
}

/// Withdraws a record recorded by mistake (the wrong child, a duplicate). The record's events stay
/// on the log, so what was known before the correction can still be replayed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordEnteredInError {
    pub record: RecordId,
    pub reason: String,
    pub at: NaiveDate,
}

// ---- Who may see the record ------------------------------------------------------------------

/// The record is open only to the people named (an adoption, a child known to staff); anyone else
/// who may read children's records must give a reason to open it, and the reason is logged. A
/// later restriction replaces an earlier one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordRestricted {
    /// Why, in words for the managers who see who opened it.
    pub reason: String,
    /// The user names of those who may open it without giving a reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub named: Vec<String>,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestrictionLifted {
    pub at: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_unique_and_bodies_round_trip() {
        let mut kinds = EventBody::KINDS.to_vec();
        kinds.sort();
        kinds.dedup();
        assert_eq!(kinds.len(), EventBody::KINDS.len());

        let body = EventBody::from(ContactReceived {
            contact: RecordId(1),
            at: NaiveDate::from_ymd_opt(2024, 3, 1)
                .unwrap()
                .and_hms_opt(9, 30, 0)
                .unwrap(),
            source: Code::from("6"),
            concerns: "Police attended a domestic incident".into(),
            rag: Some(Rag::Amber),
            consent: None,
        });
        let decoded = EventBody::decode(body.kind(), &body.to_json()).unwrap();
        assert_eq!(decoded, body);
    }

    #[test]
    fn unknown_kinds_and_bad_bodies_are_errors_that_say_which() {
        let e = EventBody::decode("contact_teleported", "{}").unwrap_err();
        assert!(e.to_string().contains("contact_teleported"));
        let e = EventBody::decode("contact_decided", "{\"contact\":1}").unwrap_err();
        assert!(e.to_string().contains("contact_decided"), "{e}");
    }
}

// ---- The improvement plan --------------------------------------------------------------------

/// The improvement plan: what it is for, who leads it and the months it runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanStarted {
    pub title: String,
    pub summary: String,
    pub lead: WorkerId,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
    pub at: NaiveDate,
}

/// A priority area of the plan: what Ofsted found, what needs to improve, the officer
/// responsible and the measures that evidence its impact (catalogue ids).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriorityAdded {
    pub priority: PriorityId,
    pub number: u32,
    /// A short name for the area, as the measure catalogue files measures under it.
    pub key: String,
    pub title: String,
    pub finding: String,
    pub needs_to_improve: Vec<String>,
    pub officer: WorkerId,
    pub ofsted_areas: Vec<OfstedArea>,
    pub measures: Vec<String>,
    pub at: NaiveDate,
}

/// A priority's wording, officer or measures changed; what is absent stays as it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriorityChanged {
    pub priority: PriorityId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs_to_improve: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer: Option<WorkerId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measures: Option<Vec<String>>,
    pub at: NaiveDate,
}

/// A meeting of a board, for an action that arose from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingRef {
    pub board: BoardId,
    pub meeting: RecordId,
}

/// An action under a priority, with its owner and the date it is due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionAdded {
    pub action: ActionId,
    pub priority: PriorityId,
    pub strand: Strand,
    pub text: String,
    pub owner: WorkerId,
    pub due: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arising_from: Option<MeetingRef>,
    pub at: NaiveDate,
}

/// A dated update on an action: where it stands from this date and what was done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionUpdated {
    pub action: ActionId,
    pub status: ActionStatus,
    pub note: String,
    pub at: NaiveDate,
}

/// The action's due date moved, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionRescheduled {
    pub action: ActionId,
    pub due: NaiveDate,
    pub reason: String,
    pub at: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionReassigned {
    pub action: ActionId,
    pub owner: WorkerId,
    pub at: NaiveDate,
}

/// A board or group overseeing the plan, meeting every so many weeks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardEstablished {
    pub board: BoardId,
    pub name: String,
    pub kind: BoardKind,
    pub every_weeks: u32,
    pub chair: WorkerId,
    #[serde(default)]
    pub members: Vec<WorkerId>,
    pub at: NaiveDate,
}

/// What the plan's lead writes for the progress report to scrutiny in the sections the records
/// cannot give: its money, its people and its equality impact. Each replaces the last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanReportTextSet {
    pub finance: String,
    pub human_resources: String,
    pub equality: String,
    pub at: NaiveDate,
}

/// A board met: what it decided. Actions arising are added as actions naming the meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingHeld {
    pub board: BoardId,
    pub meeting: RecordId,
    #[serde(default)]
    pub decisions: Vec<String>,
    pub at: NaiveDate,
}
