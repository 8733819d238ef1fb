//! Coded values. Where the DfE publishes a code list (referral source, category of abuse, legal
//! status, placement type...) the value is stored as the DfE code, so returns need no mapping; the
//! returns crate checks a code against its year's list. Hearth's own choices are enums.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A DfE code as recorded (for example a referral source `2A`, a legal status `C2`, a placement
/// type `U1`, an ethnicity `WBRI`). Kept as text because the lists change from year to year.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Code(pub String);

impl Code {
    pub fn new(code: impl Into<String>) -> Self {
        Code(code.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Code {
    fn from(s: &str) -> Self {
        Code(s.to_string())
    }
}

/// Defines a plain enum with its wire name and a label for people, in one place.
macro_rules! labelled_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $wire:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $wire)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The value as stored and exchanged.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $wire,)+ }
            }

            /// The value as shown to staff.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($wire => Some($name::$variant),)+ _ => None }
            }

            /// Every value's code and label, in order, for a list to choose from.
            pub fn options() -> Vec<(&'static str, &'static str)> {
                Self::ALL.iter().map(|v| (v.code(), v.label())).collect()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

labelled_enum!(
    /// Sex as the CIN census codes it.
    Sex {
        Male = "1", "Male";
        Female = "2", "Female";
        Unknown = "0", "Not known";
    }
);

// The enum is declared by a macro, so the default cannot be derived on it.
#[allow(clippy::derivable_impls)]
impl Default for Sex {
    fn default() -> Self {
        Sex::Unknown
    }
}

labelled_enum!(
    /// The three strands an improvement plan's actions fall under.
    Strand {
        People = "people", "People";
        Practice = "practice", "Practice";
        Partners = "partners", "Partners";
    }
);

labelled_enum!(
    /// Where an improvement plan action stands, as its owner last said.
    ActionStatus {
        NotStarted = "not_started", "Not started";
        OnTrack = "on_track", "On track";
        AtRisk = "at_risk", "At risk";
        Complete = "complete", "Complete";
    }
);

labelled_enum!(
    /// Ofsted's evaluation areas under the inspection of local authority children's services.
    OfstedArea {
        HelpAndProtection = "help_and_protection", "The experiences and progress of children who need help and protection";
        ChildrenInCare = "children_in_care", "The experiences and progress of children in care";
        CareLeavers = "care_leavers", "The experiences and progress of care leavers";
        Leadership = "leadership", "The impact of leaders on social work practice with children and families";
    }
);

labelled_enum!(
    /// The kind of group that oversees the plan.
    BoardKind {
        ImprovementBoard = "improvement_board", "Improvement Board";
        ProjectGroup = "project_group", "Project group";
        Scrutiny = "scrutiny", "Scrutiny committee";
    }
);

labelled_enum!(
    /// Something the measures need that a source of records may not carry: an extract of
    /// another case system carries the child's journey, but not always these.
    Fact {
        ContactDecisions = "contact_decisions", "When and how each contact was decided";
        StrategyDiscussions = "strategy_discussions", "Strategy discussions";
        CoreGroups = "core_groups", "Core groups";
        ReturnInterviews = "return_interviews", "When return interviews were offered and held";
        CaseAudits = "case_audits", "Case audits";
        CaseSupervision = "case_supervision", "Case supervision";
        IroDisputes = "iro_disputes", "IRO disputes";
        Complaints = "complaints", "Complaints";
        Transfers = "transfers", "Transfers between teams";
        Exploitation = "exploitation", "Exploitation screening and hub referrals";
        Peps = "peps", "Personal education plans";
        StaffHistory = "staff_history", "Staff's past teams, roles and hours";
        Training = "training", "Staff training";
        ClinicalSupervision = "clinical_supervision", "Clinical supervision";
        LegalGateway = "legal_gateway", "Legal gateway panels";
        CareProceedings = "care_proceedings", "Care proceedings";
    }
);

labelled_enum!(
    /// The front door's priority rating of a contact.
    Rag {
        Red = "red", "Red";
        Amber = "amber", "Amber";
        Green = "green", "Green";
    }
);

labelled_enum!(
    /// What the front door decided to do with a contact.
    ContactDecision {
        Referral = "referral", "Referral to social care";
        EarlyHelp = "early_help", "Early help";
        InformationAdvice = "information_advice", "Information and advice";
        Signposted = "signposted", "Signposted to another service";
        NoFurtherAction = "nfa", "No further action";
        ExistingCase = "existing_case", "Passed to the allocated worker";
    }
);

labelled_enum!(
    /// The CIN census primary need code.
    PrimaryNeed {
        N0 = "N0", "Not stated";
        N1 = "N1", "Abuse or neglect";
        N2 = "N2", "Child's disability";
        N3 = "N3", "Parental disability or illness";
        N4 = "N4", "Family in acute stress";
        N5 = "N5", "Family dysfunction";
        N6 = "N6", "Socially unacceptable behaviour";
        N7 = "N7", "Low income";
        N8 = "N8", "Absent parenting";
        N9 = "N9", "Cases other than children in need";
    }
);

labelled_enum!(
    /// Category of abuse on a child protection plan.
    AbuseCategory {
        Neglect = "NEG", "Neglect";
        Physical = "PHY", "Physical abuse";
        Sexual = "SAB", "Sexual abuse";
        Emotional = "EMO", "Emotional abuse";
        Multiple = "MUL", "Multiple";
    }
);

labelled_enum!(
    /// New assessment, or an update of one for a child already open.
    AssessmentKind {
        New = "new", "New assessment";
        Updated = "updated", "Updated assessment";
    }
);

labelled_enum!(
    StrategyOutcome {
        Section47 = "s47", "Section 47 enquiry";
        NoFurtherAction = "nfa", "No further action under section 47";
    }
);

labelled_enum!(
    S47Outcome {
        Conference = "icpc", "Initial child protection conference";
        ChildInNeed = "cin", "Continue as a child in need";
        NoFurtherAction = "nfa", "No further action";
    }
);

labelled_enum!(
    ConferenceKind {
        Initial = "initial", "Initial child protection conference";
        Review = "review", "Review child protection conference";
        TransferIn = "transfer_in", "Transfer-in conference";
    }
);

labelled_enum!(
    /// A partner agency, for attendance at conferences and core groups.
    Agency {
        Police = "police", "Police";
        Health = "health", "Health";
        School = "school", "School or education";
        Probation = "probation", "Probation";
        Housing = "housing", "Housing";
        AdultServices = "adult_services", "Adult services";
        Voluntary = "voluntary", "Voluntary sector";
    }
);

labelled_enum!(
    VisitKind {
        ChildProtection = "cp", "Child protection visit";
        ChildInNeed = "cin", "Child in need visit";
        LookedAfter = "cla", "Looked-after child visit";
        CareLeaver = "care_leaver", "Care leaver contact visit";
        Assessment = "assessment", "Assessment visit";
    }
);

labelled_enum!(
    /// Decision of the legal gateway (legal planning) panel.
    GatewayDecision {
        PreProceedings = "pre_proceedings", "Start PLO pre-proceedings";
        IssueProceedings = "issue", "Issue care proceedings";
        NoLegalAction = "no_action", "Threshold not met: no legal action";
    }
);

labelled_enum!(
    PreProceedingsOutcome {
        Diverted = "diverted", "Concerns reduced: diverted from proceedings";
        Issued = "issued", "Care proceedings issued";
        Other = "other", "Ended for another reason";
    }
);

labelled_enum!(
    CourtOrder {
        CareOrder = "care_order", "Care order";
        SupervisionOrder = "supervision_order", "Supervision order";
        PlacementOrder = "placement_order", "Placement order";
        SpecialGuardianship = "sgo", "Special guardianship order";
        ChildArrangements = "cao", "Child arrangements order";
        NoOrder = "no_order", "No order";
        Withdrawn = "withdrawn", "Application withdrawn";
    }
);

labelled_enum!(
    MissingKind {
        Missing = "missing", "Missing";
        Away = "away", "Away from placement without authorisation";
    }
);

labelled_enum!(
    RiskLevel {
        Low = "low", "Low";
        Medium = "medium", "Medium";
        High = "high", "High";
    }
);

labelled_enum!(
    ExploitationKind {
        Sexual = "cse", "Child sexual exploitation";
        Criminal = "cce", "Child criminal exploitation";
        Trafficking = "trafficking", "Trafficking";
        Radicalisation = "radicalisation", "Radicalisation";
    }
);

labelled_enum!(
    /// The permanence plan for a looked-after child.
    PermanencePlan {
        Adoption = "adoption", "Adoption";
        SpecialGuardianship = "sgo", "Special guardianship";
        LongTermFostering = "long_term_fostering", "Long-term fostering";
        Reunification = "reunification", "Return home";
        ChildArrangements = "cao", "Child arrangements order";
        SupportedLiving = "independence", "Supported living or independence";
    }
);

labelled_enum!(
    /// Steps on the way to permanence (the adoption scorecard's dates among them).
    PermanenceStep {
        AdoptionDecision = "adoption_decision", "Decision that the child should be placed for adoption";
        PlacementOrder = "placement_order", "Placement order granted";
        Matched = "matched", "Matched with adopters";
        PlacedForAdoption = "placed_for_adoption", "Placed for adoption";
        AdoptionOrder = "adoption_order", "Adoption order granted";
        AdoptionDecisionCeased = "adoption_decision_ceased", "Decision that the child should be placed for adoption ceased";
        SgoAssessmentStarted = "sgo_assessment_started", "Special guardianship assessment started";
        SgoGranted = "sgo_granted", "Special guardianship order granted";
        LongTermMatch = "long_term_match", "Long-term fostering match approved";
        Reunified = "reunified", "Returned home";
    }
);

labelled_enum!(
    /// Roles staff hold. A worker's role decides what counts in caseload and workforce measures.
    WorkerRole {
        SocialWorker = "social_worker", "Social worker";
        SeniorPractitioner = "senior_practitioner", "Senior practitioner";
        AdvancedPractitioner = "advanced_practitioner", "Advanced practitioner";
        TeamManager = "team_manager", "Team manager";
        ServiceManager = "service_manager", "Service manager";
        HeadOfService = "head_of_service", "Head of service";
        Director = "director", "Director";
        Iro = "iro", "Independent reviewing officer";
        FamilySupportWorker = "family_support_worker", "Family support worker";
        PersonalAdviser = "personal_adviser", "Personal adviser";
        AdultSpecialist = "adult_specialist", "Adult specialist (domestic abuse, mental health, substance misuse)";
    }
);

impl WorkerRole {
    /// Registered social workers who may hold cases: the denominator of caseload measures.
    pub fn is_case_holding_social_worker(self) -> bool {
        matches!(
            self,
            WorkerRole::SocialWorker
                | WorkerRole::SeniorPractitioner
                | WorkerRole::AdvancedPractitioner
        )
    }
}

labelled_enum!(
    Employment {
        Permanent = "permanent", "Permanent";
        Agency = "agency", "Agency";
    }
);

labelled_enum!(
    /// The kind of service a team gives; the seed council's structure.
    Service {
        FrontDoor = "front_door", "Front door and MASH";
        Assessment = "assessment", "Assessment";
        FamilySafeguarding = "family_safeguarding", "Family safeguarding";
        ChildrenInCare = "children_in_care", "Children in care";
        CareLeavers = "care_leavers", "Care leavers";
        ExploitationHub = "exploitation_hub", "Exploitation hub";
        DisabledChildren = "disabled_children", "Disabled children";
        EarlyHelp = "early_help", "Early help";
        Safeguarding = "safeguarding", "Safeguarding, practice and quality assurance";
        Fostering = "fostering", "Fostering and adoption";
    }
);

labelled_enum!(
    AuditGrade {
        Outstanding = "outstanding", "Outstanding";
        Good = "good", "Good";
        RequiresImprovement = "requires_improvement", "Requires improvement";
        Inadequate = "inadequate", "Inadequate";
    }
);

labelled_enum!(
    AuditKind {
        Practice = "practice", "Practice audit";
        Thematic = "thematic", "Thematic audit";
        MultiAgency = "multi_agency", "Multi-agency audit";
        NewPlan = "new_plan", "Audit of a new plan";
    }
);

labelled_enum!(
    ComplaintStage {
        Stage1 = "1", "Stage 1";
        Stage2 = "2", "Stage 2";
        Stage3 = "3", "Stage 3";
    }
);

labelled_enum!(
    CaseNoteKind {
        Note = "note", "Case note";
        Telephone = "telephone", "Telephone call";
        Meeting = "meeting", "Meeting";
        ManagementOversight = "management_oversight", "Management oversight";
    }
);

labelled_enum!(
    /// What a care leaver is doing (the SSDA903 OC3 activity groups).
    CareLeaverActivity {
        HigherEducation = "F1", "Higher education";
        OtherEducation = "F2", "Other education";
        Training = "F4", "Training or apprenticeship";
        Employment = "F5", "Employment";
        HigherEducationPartTime = "P1", "Higher education, part-time";
        OtherEducationPartTime = "P2", "Other education, part-time";
        TrainingPartTime = "P4", "Training or apprenticeship, part-time";
        EmploymentPartTime = "P5", "Employment, part-time";
        NotInEetIllness = "G4", "Not in education, employment or training: illness or disability";
        NotInEetParent = "G6", "Not in education, employment or training: pregnancy or parenting";
        NotInEetOther = "G5", "Not in education, employment or training: other";
    }
);

impl CareLeaverActivity {
    pub fn in_education_employment_or_training(self) -> bool {
        matches!(
            self,
            CareLeaverActivity::HigherEducation
                | CareLeaverActivity::OtherEducation
                | CareLeaverActivity::Training
                | CareLeaverActivity::Employment
                | CareLeaverActivity::HigherEducationPartTime
                | CareLeaverActivity::OtherEducationPartTime
                | CareLeaverActivity::TrainingPartTime
                | CareLeaverActivity::EmploymentPartTime
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_json_and_from_code() {
        for c in AbuseCategory::ALL {
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.code()));
            assert_eq!(AbuseCategory::from_code(c.code()), Some(*c));
        }
        assert_eq!(PrimaryNeed::from_code("N10"), None);
        assert_eq!(Sex::Female.label(), "Female");
    }
}
