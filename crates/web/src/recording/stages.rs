//! Every stage of a child's journey that staff record, as data: the event it writes, who may
//! record it, and its questions. The pages' forms, the API and its OpenAPI document are all
//! made from this one list; a test checks each stage's fields against its event's body.

use super::fields::{Field, Input};
use crate::permissions::Power;
use domain::code_lists as dfe;
use domain::codes::*;
use domain::model::RecordKind as K;

/// One thing that can be recorded for a child.
pub struct Stage {
    /// The event kind it writes (`contact_received`); also its address in the API.
    pub kind: &'static str,
    /// The form's heading.
    pub title: &'static str,
    /// Where it is listed among the others.
    pub group: &'static str,
    pub power: Power,
    /// The field Hearth fills with the new record's number, when the stage opens a record.
    pub opens: Option<&'static str>,
    pub fields: &'static [Field],
}

use Input::*;

const fn f(name: &'static str, label: &'static str, input: Input) -> Field {
    Field::new(name, label, input)
}

const DATE: Field = f("at", "date it happened", Date);
const WHEN: Field = f("at", "date and time", DateTime);

/// Assessment factors as the CIN census codes them: the number is the concern, the letter whose
/// it is (A the child's own, B a parent's or carer's, C another person's in the household).
fn assessment_factors() -> Vec<(&'static str, &'static str)> {
    vec![
        ("1A", "Alcohol misuse: the child"),
        ("1B", "Alcohol misuse: a parent or carer"),
        ("1C", "Alcohol misuse: another person"),
        ("2A", "Drug misuse: the child"),
        ("2B", "Drug misuse: a parent or carer"),
        ("2C", "Drug misuse: another person"),
        ("3A", "Domestic abuse: the child"),
        ("3B", "Domestic abuse: a parent or carer"),
        ("3C", "Domestic abuse: another person"),
        ("4A", "Mental health: the child"),
        ("4B", "Mental health: a parent or carer"),
        ("4C", "Mental health: another person"),
        ("5A", "Learning disability: the child"),
        ("5B", "Learning disability: a parent or carer"),
        ("5C", "Learning disability: another person"),
        ("6A", "Physical disability or illness: the child"),
        ("6B", "Physical disability or illness: a parent or carer"),
        ("6C", "Physical disability or illness: another person"),
        ("7A", "Young carer"),
        ("8B", "Private fostering: from overseas, for education"),
        ("8C", "Private fostering: from overseas, other"),
        ("8D", "Private fostering: from the UK, for education"),
        ("8E", "Private fostering: from the UK, other"),
        ("8F", "Private fostering: other"),
        ("9A", "Unaccompanied asylum-seeking child"),
        ("10A", "Going missing"),
        ("11A", "Child sexual exploitation"),
        ("12A", "Trafficking"),
        ("13A", "Gangs"),
        ("14A", "Socially unacceptable behaviour"),
        ("15A", "Self-harm"),
        ("16A", "Neglect"),
        ("17A", "Emotional abuse"),
        ("18B", "Physical abuse: by a parent or carer"),
        ("18C", "Physical abuse: by another person"),
        ("19A", "Sexual abuse: by the child"),
        ("19B", "Sexual abuse: by a parent or carer"),
        ("19C", "Sexual abuse: by another person"),
        ("20", "Other"),
        ("21", "No factors identified"),
        ("22A", "Female genital mutilation"),
        ("23A", "Abuse linked to faith or belief"),
        ("24A", "Child criminal exploitation"),
    ]
}

fn health_checks() -> Vec<(&'static str, &'static str)> {
    vec![
        ("health", "Annual health assessment"),
        ("dental", "Dental check"),
    ]
}

const PLACEMENT: &[Field] = &[
    f("place", "placement type", Choice(dfe::placement_type)),
    f(
        "provider",
        "placement provider",
        Choice(dfe::placement_provider),
    ),
    f(
        "postcode_district",
        "postcode district of the placement",
        Text,
    )
    .optional()
    .hint("The first part of the postcode only, like DY1"),
    f("urn", "Ofsted URN of the provider", Text).optional(),
    f("postcode", "full postcode of the placement", Text)
        .optional()
        .hint("For the SSDA903 return"),
    f("home_postcode", "postcode of the child's home", Text)
        .optional()
        .hint("For the SSDA903 return"),
];

/// Who the child is: the fields of registering a child and of correcting their details.
pub const CHILD_DETAILS: &[Field] = &[
    f("given_name", "first name", Text),
    f("family_name", "last name", Text),
    f("date_of_birth", "date of birth", Date).optional(),
    f("sex", "sex", Choice(Sex::options)),
    f("ethnicity", "ethnicity", Choice(dfe::ethnicity))
        .hint("Choose 'Information not yet obtained' if you do not know"),
    f("disabilities", "disabilities", Choices(dfe::disability)).optional(),
    f("upn", "unique pupil number", Text).optional(),
    f("nhs_number", "NHS number", Text).optional(),
    f("area", "town or area", Text).optional(),
    f("postcode_district", "postcode district", Text)
        .optional()
        .hint("The first part of the postcode only, like DY1"),
    f("uasc", "unaccompanied asylum-seeking child", YesNo).optional(),
    f(
        "uasc_ceased",
        "date the child stopped being an asylum-seeker",
        Date,
    )
    .optional(),
    f("mother", "the child is a mother", YesNo).optional(),
    f(
        "first_child_born",
        "birth date of the child's first child",
        Date,
    )
    .optional(),
    f("date_of_death", "date of death", Date).optional(),
    DATE,
];

pub static STAGES: &[Stage] = &[
    // ---- Front door
    Stage {
        kind: "child_details_corrected",
        title: "Correct the child's details",
        group: "Who the child is",
        power: Power::RecordFrontDoor,
        opens: None,
        fields: CHILD_DETAILS,
    },
    Stage {
        kind: "contact_received",
        title: "Record a contact",
        group: "Front door",
        power: Power::RecordFrontDoor,
        opens: Some("contact"),
        fields: &[
            f("at", "date and time received", DateTime),
            f(
                "source",
                "source of the contact",
                Choice(dfe::referral_source),
            ),
            f("concerns", "concerns", LongText).optional(),
            f("rag", "RAG rating", Choice(Rag::options)).optional(),
            f("consent", "family's consent", YesNo)
                .optional()
                .hint("Leave blank if consent was not asked for"),
        ],
    },
    Stage {
        kind: "contact_rated",
        title: "Rate a contact",
        group: "Front door",
        power: Power::RecordFrontDoor,
        opens: None,
        fields: &[
            f("contact", "contact", Record(K::Contact)),
            f("rag", "RAG rating", Choice(Rag::options)),
            WHEN,
        ],
    },
    Stage {
        kind: "contact_decided",
        title: "Decide a contact",
        group: "Front door",
        power: Power::Decide,
        opens: None,
        fields: &[
            f("contact", "contact", Record(K::Contact)),
            f("decision", "decision", Choice(ContactDecision::options)),
            f("at", "date and time of the decision", DateTime),
        ],
    },
    Stage {
        kind: "early_help_started",
        title: "Start early help",
        group: "Front door",
        power: Power::RecordFrontDoor,
        opens: Some("episode"),
        fields: &[
            DATE,
            f("lead_professional", "lead professional", Text).optional(),
        ],
    },
    Stage {
        kind: "early_help_ended",
        title: "End early help",
        group: "Front door",
        power: Power::RecordFrontDoor,
        opens: None,
        fields: &[
            f("episode", "early help episode", Record(K::EarlyHelp)),
            DATE,
            f("reason", "reason it ended", Text),
        ],
    },
    // ---- Children in need
    Stage {
        kind: "referral_received",
        title: "Record a referral",
        group: "Child in need",
        power: Power::RecordCasework,
        opens: Some("referral"),
        fields: &[
            f("at", "date of the referral", Date),
            f(
                "source",
                "source of the referral",
                Choice(dfe::referral_source),
            ),
            f("primary_need", "primary need", Choice(PrimaryNeed::options)).optional(),
            f("from_contact", "contact it came from", Record(K::Contact)).optional(),
        ],
    },
    Stage {
        kind: "assessment_started",
        title: "Start an assessment",
        group: "Child in need",
        power: Power::RecordCasework,
        opens: Some("assessment"),
        fields: &[
            f("referral", "referral", Record(K::Referral)),
            f(
                "kind",
                "kind of assessment",
                Choice(AssessmentKind::options),
            ),
            f("at", "date the assessment started", Date),
        ],
    },
    Stage {
        kind: "assessment_authorised",
        title: "Authorise an assessment",
        group: "Child in need",
        power: Power::Decide,
        opens: None,
        fields: &[
            f("assessment", "assessment", Record(K::Assessment)),
            f("at", "date of authorisation", Date),
            f("factors", "factors identified", Choices(assessment_factors)).optional(),
            f("internal_review", "date of the internal review", Date).optional(),
        ],
    },
    Stage {
        kind: "strategy_discussion_held",
        title: "Record a strategy discussion",
        group: "Child protection",
        power: Power::RecordCasework,
        opens: Some("strategy"),
        fields: &[
            f("referral", "referral", Record(K::Referral)),
            f("outcome", "outcome", Choice(StrategyOutcome::options)),
            f("at", "date of the discussion", Date),
        ],
    },
    Stage {
        kind: "section47_started",
        title: "Start a section 47 enquiry",
        group: "Child protection",
        power: Power::RecordCasework,
        opens: Some("enquiry"),
        fields: &[
            f("referral", "referral", Record(K::Referral)),
            f(
                "strategy",
                "strategy discussion",
                Record(K::StrategyDiscussion),
            )
            .optional(),
            f("at", "date the enquiry started", Date),
        ],
    },
    Stage {
        kind: "section47_completed",
        title: "Complete a section 47 enquiry",
        group: "Child protection",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f("enquiry", "section 47 enquiry", Record(K::Section47)),
            f("outcome", "outcome", Choice(S47Outcome::options)),
            f("conference_target", "date a conference was due by", Date).optional(),
            f(
                "conference_not_required",
                "a planned conference was found not to be needed",
                YesNo,
            )
            .optional(),
            f("at", "date the enquiry was completed", Date),
        ],
    },
    Stage {
        kind: "conference_held",
        title: "Record a child protection conference",
        group: "Child protection",
        power: Power::ChairReviews,
        opens: Some("conference"),
        fields: &[
            f(
                "kind",
                "kind of conference",
                Choice(ConferenceKind::options),
            ),
            f(
                "enquiry",
                "section 47 enquiry it follows",
                Record(K::Section47),
            )
            .optional()
            .hint("For an initial conference"),
            f("plan_needed", "decision that a plan is needed", YesNo),
            f(
                "agencies_present",
                "agencies present",
                Choices(Agency::options),
            )
            .optional(),
            f("at", "date of the conference", Date),
        ],
    },
    Stage {
        kind: "cp_plan_started",
        title: "Start a child protection plan",
        group: "Child protection",
        power: Power::RecordCasework,
        opens: Some("plan"),
        fields: &[
            f("referral", "referral", Record(K::Referral)),
            f(
                "category",
                "category of abuse",
                Choice(AbuseCategory::options),
            ),
            f("conference", "conference", Record(K::Conference)).optional(),
            f("at", "date the plan started", Date),
        ],
    },
    Stage {
        kind: "cp_plan_reviewed",
        title: "Review a child protection plan",
        group: "Child protection",
        power: Power::ChairReviews,
        opens: None,
        fields: &[
            f("plan", "child protection plan", Record(K::CpPlan)),
            f("at", "date of the review", Date),
            f(
                "category",
                "new category of abuse",
                Choice(AbuseCategory::options),
            )
            .optional()
            .hint("Only if the review changed it"),
        ],
    },
    Stage {
        kind: "core_group_held",
        title: "Record a core group meeting",
        group: "Child protection",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f("plan", "child protection plan", Record(K::CpPlan)),
            f("at", "date of the meeting", Date),
            f(
                "attendance",
                "agencies' attendance",
                Attendance(Agency::options),
            )
            .optional(),
        ],
    },
    Stage {
        kind: "cp_plan_ended",
        title: "End a child protection plan",
        group: "Child protection",
        power: Power::ChairReviews,
        opens: None,
        fields: &[
            f("plan", "child protection plan", Record(K::CpPlan)),
            f("at", "date the plan ended", Date),
            f("reason", "reason", Text).optional(),
        ],
    },
    Stage {
        kind: "cin_plan_started",
        title: "Start a child in need plan",
        group: "Child in need",
        power: Power::RecordCasework,
        opens: Some("plan"),
        fields: &[
            f("referral", "referral", Record(K::Referral)),
            f("at", "date the plan started", Date),
        ],
    },
    Stage {
        kind: "cin_plan_reviewed",
        title: "Review a child in need plan",
        group: "Child in need",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f("plan", "child in need plan", Record(K::CinPlan)),
            f("at", "date of the review", Date),
        ],
    },
    Stage {
        kind: "cin_plan_ended",
        title: "End a child in need plan",
        group: "Child in need",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f("plan", "child in need plan", Record(K::CinPlan)),
            f("at", "date the plan ended", Date),
        ],
    },
    Stage {
        kind: "visit_made",
        title: "Record a visit",
        group: "Child in need",
        power: Power::RecordCasework,
        opens: Some("visit"),
        fields: &[
            f("kind", "kind of visit", Choice(VisitKind::options)),
            f("at", "date of the visit", Date),
            f("seen", "whether the child was seen", YesNo),
            f("seen_alone", "whether the child was seen alone", YesNo),
        ],
    },
    Stage {
        kind: "case_closed",
        title: "Close the case",
        group: "Child in need",
        power: Power::Decide,
        opens: None,
        fields: &[
            f(
                "referral",
                "referral whose episode closes",
                Record(K::Referral),
            ),
            f(
                "reason",
                "reason for closure",
                Choice(dfe::cin_closure_reason),
            ),
            f(
                "referral_nfa",
                "the referral itself led to no further action",
                YesNo,
            )
            .optional(),
            f("at", "date of closure", Date),
        ],
    },
    // ---- Legal
    Stage {
        kind: "legal_gateway_panel_held",
        title: "Record a legal gateway panel",
        group: "Legal",
        power: Power::Decide,
        opens: Some("panel"),
        fields: &[
            f("decision", "decision", Choice(GatewayDecision::options)),
            f("at", "date of the panel", Date),
        ],
    },
    Stage {
        kind: "pre_proceedings_started",
        title: "Start PLO pre-proceedings",
        group: "Legal",
        power: Power::RecordCasework,
        opens: Some("pre_proceedings"),
        fields: &[f("at", "date of the letter before proceedings", Date)],
    },
    Stage {
        kind: "pre_proceedings_ended",
        title: "End PLO pre-proceedings",
        group: "Legal",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f(
                "pre_proceedings",
                "pre-proceedings",
                Record(K::PreProceedings),
            ),
            f("outcome", "outcome", Choice(PreProceedingsOutcome::options)),
            f("at", "date they ended", Date),
        ],
    },
    Stage {
        kind: "care_proceedings_issued",
        title: "Record care proceedings issued",
        group: "Legal",
        power: Power::RecordCasework,
        opens: Some("proceedings"),
        fields: &[f("at", "date of issue", Date)],
    },
    Stage {
        kind: "care_proceedings_concluded",
        title: "Record care proceedings concluded",
        group: "Legal",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f("proceedings", "proceedings", Record(K::Proceedings)),
            f("order", "order made", Choice(CourtOrder::options)),
            f("at", "date they concluded", Date),
        ],
    },
    // ---- Looked after
    Stage {
        kind: "care_period_started",
        title: "Start a period of care",
        group: "Looked after",
        power: Power::RecordCasework,
        opens: Some("period"),
        fields: &[
            f("legal_status", "legal status", Choice(dfe::legal_status)),
            f("placement", "placement", Group(PLACEMENT)),
            f("need", "category of need", Choice(PrimaryNeed::options)),
            f("at", "date care started", Date),
        ],
    },
    Stage {
        kind: "care_episode_changed",
        title: "Change legal status or placement",
        group: "Looked after",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f("period", "period of care", Record(K::CarePeriod)),
            f(
                "reason",
                "reason for the new episode",
                Choice(dfe::reason_new_episode),
            ),
            f(
                "legal_status",
                "new legal status",
                Choice(dfe::legal_status),
            )
            .optional(),
            f("placement", "new placement", Group(PLACEMENT)).optional(),
            f(
                "reason_placement_changed",
                "reason the placement changed",
                Choice(dfe::reason_placement_changed),
            )
            .optional(),
            f("need", "new category of need", Choice(PrimaryNeed::options)).optional(),
            f("at", "date of the change", Date),
        ],
    },
    Stage {
        kind: "care_period_ended",
        title: "End a period of care",
        group: "Looked after",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f("period", "period of care", Record(K::CarePeriod)),
            f(
                "reason",
                "reason care ended",
                Choice(dfe::reason_episode_ceased),
            ),
            f("at", "date care ended", Date),
        ],
    },
    Stage {
        kind: "cla_review_held",
        title: "Record a looked-after review",
        group: "Looked after",
        power: Power::ChairReviews,
        opens: Some("review"),
        fields: &[
            f("period", "period of care", Record(K::CarePeriod)),
            f(
                "participation",
                "child's participation",
                Choice(dfe::review_participation),
            )
            .optional(),
            f("at", "date of the review", Date),
        ],
    },
    Stage {
        kind: "pep_completed",
        title: "Record a personal education plan",
        group: "Looked after",
        power: Power::RecordCasework,
        opens: None,
        fields: &[f("at", "date the plan was completed", Date)],
    },
    Stage {
        kind: "health_check_done",
        title: "Record a health check",
        group: "Looked after",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f("check", "check", Choice(health_checks)),
            f("at", "date of the check", Date),
        ],
    },
    Stage {
        kind: "permanence_plan_made",
        title: "Record the plan for permanence",
        group: "Permanence",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f(
                "plan",
                "plan for permanence",
                Choice(PermanencePlan::options),
            ),
            f("at", "date of the plan", Date),
        ],
    },
    Stage {
        kind: "permanence_step_reached",
        title: "Record a step to permanence",
        group: "Permanence",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f("step", "step", Choice(PermanenceStep::options)),
            f(
                "reason",
                "why the adoption decision ceased",
                Choice(dfe::adoption_decision_ceased),
            )
            .optional(),
            f("at", "date of the step", Date),
        ],
    },
    Stage {
        kind: "care_outcomes_recorded",
        title: "Record the year's outcomes (SSDA903 OC2)",
        group: "Permanence",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f(
                "sdq_score",
                "strengths and difficulties score",
                Between(0, 40),
            )
            .optional(),
            f(
                "sdq_reason",
                "why there is no score",
                Choice(dfe::sdq_reason),
            )
            .optional(),
            f("convicted", "convicted during the year", YesNo).optional(),
            f("health_check", "health check up to date", YesNo).optional(),
            f("immunisations", "immunisations up to date", YesNo).optional(),
            f("teeth_check", "teeth checked", YesNo).optional(),
            f("health_assessment", "health assessment up to date", YesNo).optional(),
            f("substance_misuse", "a substance misuse problem", YesNo).optional(),
            f(
                "intervention_received",
                "received an intervention for it",
                YesNo,
            )
            .optional(),
            f(
                "intervention_offered",
                "offered an intervention for it",
                YesNo,
            )
            .optional(),
            f("at", "the 31 March the outcomes are for", Date),
        ],
    },
    Stage {
        kind: "adopters_recorded",
        title: "Record the adopters (SSDA903 AD1)",
        group: "Permanence",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f(
                "foster_carers",
                "adopted by the child's foster carers",
                YesNo,
            ),
            f("number", "number of adopters", Between(1, 2)),
            f("sex", "adopters' sex", Choice(dfe::adopters_sex)),
            f(
                "legal_status",
                "adopters' legal status",
                Choice(dfe::adopters_legal_status),
            ),
            f("at", "date of the adoption order", Date),
        ],
    },
    // ---- Missing and exploitation
    Stage {
        kind: "missing_episode_started",
        title: "Record a child missing",
        group: "Missing and exploitation",
        power: Power::RecordCasework,
        opens: Some("episode"),
        fields: &[
            f("kind", "kind of absence", Choice(MissingKind::options)),
            f("at", "date and time missing from", DateTime),
        ],
    },
    Stage {
        kind: "liberty_order_made",
        title: "Record a deprivation of liberty order",
        group: "Looked after",
        power: Power::RecordCasework,
        opens: Some("order"),
        fields: &[f("at", "date the order starts", Date)],
    },
    Stage {
        kind: "liberty_order_ended",
        title: "Record the end of a deprivation of liberty order",
        group: "Looked after",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f("order", "order", Record(K::LibertyOrder)),
            f("at", "date the order ended", Date),
        ],
    },
    Stage {
        kind: "missing_episode_ended",
        title: "Record a child's return",
        group: "Missing and exploitation",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f("episode", "missing episode", Record(K::MissingEpisode)),
            f("at", "date and time of return", DateTime),
        ],
    },
    Stage {
        kind: "return_interview_offered",
        title: "Record a return interview offered",
        group: "Missing and exploitation",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f("episode", "missing episode", Record(K::MissingEpisode)),
            f("at", "date and time of the offer", DateTime),
            f("accepted", "whether the child accepted", YesNo),
        ],
    },
    Stage {
        kind: "return_interview_held",
        title: "Record a return interview held",
        group: "Missing and exploitation",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f("episode", "missing episode", Record(K::MissingEpisode)),
            f("at", "date and time of the interview", DateTime),
        ],
    },
    Stage {
        kind: "exploitation_screened",
        title: "Record an exploitation screening",
        group: "Missing and exploitation",
        power: Power::RecordCasework,
        opens: Some("screening"),
        fields: &[
            f("risk", "level of risk", Choice(RiskLevel::options)),
            f(
                "kinds",
                "kinds of exploitation",
                Choices(ExploitationKind::options),
            )
            .optional(),
            f("at", "date of the screening", Date),
        ],
    },
    Stage {
        kind: "exploitation_hub_referred",
        title: "Refer to the exploitation hub",
        group: "Missing and exploitation",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f("screening", "screening", Record(K::Screening)).optional(),
            f(
                "nrm",
                "referral to the National Referral Mechanism too",
                YesNo,
            )
            .optional(),
            f("at", "date of the referral", Date),
        ],
    },
    // ---- Care leavers
    Stage {
        kind: "care_leaver_contact",
        title: "Record contact with a care leaver",
        group: "Care leavers",
        power: Power::RecordCasework,
        opens: None,
        fields: &[
            f("in_touch", "whether the council is in touch", YesNo),
            f(
                "not_in_touch_reason",
                "why not in touch",
                Choice(dfe::not_in_touch_reason),
            )
            .optional(),
            f(
                "activity",
                "main activity",
                Choice(CareLeaverActivity::options),
            )
            .optional(),
            f(
                "accommodation",
                "accommodation",
                Choice(dfe::care_leaver_accommodation),
            )
            .optional(),
            f("accommodation_suitable", "whether it is suitable", YesNo).optional(),
            f("pathway_plan_reviewed", "pathway plan reviewed", YesNo).optional(),
            f("at", "date of the contact", Date),
        ],
    },
    // ---- Case management
    Stage {
        kind: "child_allocated",
        title: "Allocate the child",
        group: "Case management",
        power: Power::Decide,
        opens: None,
        fields: &[
            f("worker", "worker", Worker),
            f("team", "team", Team),
            f(
                "reason",
                "why the worker changed",
                Choice(dfe::change_of_worker),
            )
            .optional(),
            f("at", "date of allocation", Date),
        ],
    },
    Stage {
        kind: "allocation_ended",
        title: "End the allocation",
        group: "Case management",
        power: Power::Decide,
        opens: None,
        fields: &[f("at", "date the allocation ended", Date)],
    },
    Stage {
        kind: "transfer_requested",
        title: "Request a transfer",
        group: "Case management",
        power: Power::RecordCasework,
        opens: Some("transfer"),
        fields: &[
            f("to_team", "team to transfer to", Team),
            f("at", "date of the request", Date),
        ],
    },
    Stage {
        kind: "transfer_completed",
        title: "Complete a transfer",
        group: "Case management",
        power: Power::Decide,
        opens: None,
        fields: &[
            f("transfer", "transfer", Record(K::Transfer)),
            f("at", "date of the transfer", Date),
        ],
    },
    Stage {
        kind: "case_supervised",
        title: "Record case supervision",
        group: "Case management",
        power: Power::Decide,
        opens: None,
        fields: &[
            f("supervisor", "supervisor", Worker),
            f("at", "date of supervision", Date),
        ],
    },
    Stage {
        kind: "group_supervision_held",
        title: "Record group case supervision",
        group: "Case management",
        power: Power::Decide,
        opens: None,
        fields: &[
            f("at", "date of supervision", Date),
            f("attendees", "who attended", Workers)
                .optional()
                .hint("Hold Ctrl (or Cmd) to choose more than one"),
        ],
    },
    Stage {
        kind: "case_audited",
        title: "Record an audit",
        group: "Quality assurance",
        power: Power::QualityAssure,
        opens: Some("audit"),
        fields: &[
            f("kind", "kind of audit", Choice(AuditKind::options)),
            f("grade", "grade", Choice(AuditGrade::options)),
            f("plan_smart", "whether the plan is SMART", YesNo),
            f("actions", "actions", Lines)
                .optional()
                .hint("One action on each line"),
            f("auditor", "auditor", Worker),
            f("at", "date of the audit", Date),
        ],
    },
    Stage {
        kind: "audit_action_closed",
        title: "Close an audit action",
        group: "Quality assurance",
        power: Power::QualityAssure,
        opens: None,
        fields: &[
            f("audit", "audit", Record(K::Audit)),
            f("action", "action number", Count).hint("As numbered on the audit, from 1"),
            f("at", "date it was done", Date),
        ],
    },
    Stage {
        kind: "audit_responded",
        title: "Respond to an audit",
        group: "Quality assurance",
        power: Power::Decide,
        opens: None,
        fields: &[
            f("audit", "audit", Record(K::Audit)),
            f("response", "response", LongText)
                .hint("What you will do about the audit's findings, and by when"),
            f("at", "date of the response", Date),
        ],
    },
    Stage {
        kind: "complaint_received",
        title: "Record a complaint",
        group: "Quality assurance",
        power: Power::QualityAssure,
        opens: Some("complaint"),
        fields: &[
            f("stage", "stage", Choice(ComplaintStage::options)),
            f("at", "date received", Date),
        ],
    },
    Stage {
        kind: "complaint_responded",
        title: "Record the response to a complaint",
        group: "Quality assurance",
        power: Power::QualityAssure,
        opens: None,
        fields: &[
            f("complaint", "complaint", Record(K::Complaint)),
            f("upheld", "whether it was upheld", YesNo),
            f("at", "date of the response", Date),
        ],
    },
    Stage {
        kind: "iro_dispute_raised",
        title: "Raise an IRO dispute",
        group: "Quality assurance",
        power: Power::ChairReviews,
        opens: Some("dispute"),
        fields: &[
            f("iro", "independent reviewing officer", Worker),
            f("issue", "issue", LongText),
            f("at", "date raised", Date),
        ],
    },
    Stage {
        kind: "iro_dispute_resolved",
        title: "Resolve an IRO dispute",
        group: "Quality assurance",
        power: Power::ChairReviews,
        opens: None,
        fields: &[
            f("dispute", "dispute", Record(K::Dispute)),
            f("at", "date resolved", Date),
        ],
    },
    Stage {
        kind: "case_note_written",
        title: "Write a case note",
        group: "Case management",
        power: Power::RecordCasework,
        opens: Some("note"),
        fields: &[
            f("kind", "kind of note", Choice(CaseNoteKind::options)),
            f("text", "note", LongText),
            f("at", "date of what it records", Date),
        ],
    },
    Stage {
        kind: "record_entered_in_error",
        title: "Withdraw a record made in error",
        group: "Case management",
        power: Power::Decide,
        opens: None,
        fields: &[
            f("record", "record", AnyRecord),
            f("reason", "reason", Text),
            f("at", "date", Date),
        ],
    },
    // ---- Who may see the record
    Stage {
        kind: "record_restricted",
        title: "Restrict who may open the record",
        group: "Who may see the record",
        power: Power::Decide,
        opens: None,
        fields: &[
            f("reason", "reason for the restriction", Text)
                .hint("For example: adoption, or the child is known to staff. Managers see this."),
            f("named", "people who may open it", Lines).optional().hint(
                "User names, one on each line. Name yourself if you need to keep working on it.",
            ),
            f("at", "date", Date),
        ],
    },
    Stage {
        kind: "restriction_lifted",
        title: "Lift the restriction",
        group: "Who may see the record",
        power: Power::Decide,
        opens: None,
        fields: &[f("at", "date", Date)],
    },
];

/// The stage that writes an event kind about a child.
pub fn stage(kind: &str) -> Option<&'static Stage> {
    STAGES.iter().find(|s| s.kind == kind)
}

/// Whose record a stage about the council's staff writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Staff {
    Worker,
    Team,
}

/// What is recorded about the council's staff and teams, each on the worker's or team's own
/// record. A stage that `opens` starts a new one, numbered by Hearth.
pub static STAFF_STAGES: &[(Staff, Stage)] = &[
    (
        Staff::Worker,
        Stage {
            kind: "worker_joined",
            title: "Add a member of staff",
            group: "Staff",
            power: Power::ManageStaff,
            opens: Some("worker"),
            fields: &[
                f("name", "name", Text),
                f("role", "role", Choice(WorkerRole::options)),
                f("team", "team", Team),
                f("employment", "contract", Choice(Employment::options)),
                f("fte", "full-time equivalent", Fte).hint("1 for full time, 0.5 for half time"),
                f("registration", "Social Work England number", Text)
                    .optional()
                    .hint("registered social workers only: SW and digits"),
                f("at", "date they start", Date),
            ],
        },
    ),
    (
        Staff::Worker,
        Stage {
            kind: "worker_changed",
            title: "Change a member of staff's team, role or hours",
            group: "Staff",
            power: Power::ManageStaff,
            opens: None,
            fields: &[
                f("team", "new team", Team).optional(),
                f("role", "new role", Choice(WorkerRole::options)).optional(),
                f("employment", "new contract", Choice(Employment::options)).optional(),
                f("fte", "new full-time equivalent", Fte).optional(),
                f("registration", "Social Work England number", Text).optional(),
                f("at", "date of the change", Date),
            ],
        },
    ),
    (
        Staff::Worker,
        Stage {
            kind: "worker_left",
            title: "Record that a member of staff has left",
            group: "Staff",
            power: Power::ManageStaff,
            opens: None,
            fields: &[
                f("at", "date they left", Date),
                f("reason", "reason", Text).optional(),
            ],
        },
    ),
    (
        Staff::Worker,
        Stage {
            kind: "training_attended",
            title: "Record training attended",
            group: "Staff",
            power: Power::ManageStaff,
            opens: None,
            fields: &[
                f("course", "course", Text),
                f("at", "date of the course", Date),
            ],
        },
    ),
    (
        Staff::Worker,
        Stage {
            kind: "clinical_supervision_held",
            title: "Record clinical supervision",
            group: "Staff",
            power: Power::ManageStaff,
            opens: None,
            fields: &[f("at", "date of supervision", Date)],
        },
    ),
    (
        Staff::Team,
        Stage {
            kind: "team_established",
            title: "Add a team",
            group: "Teams",
            power: Power::ManageStaff,
            opens: Some("team"),
            fields: &[
                f("name", "name", Text),
                f("service", "service", Choice(Service::options)),
                f("area", "town or area it serves", Text).optional(),
                f("at", "date it starts", Date),
            ],
        },
    ),
    (
        Staff::Team,
        Stage {
            kind: "team_closed",
            title: "Close a team",
            group: "Teams",
            power: Power::ManageStaff,
            opens: None,
            fields: &[f("at", "date it closes", Date)],
        },
    ),
];

/// The stage about staff that writes an event kind, and whose record it is.
pub fn staff_stage(kind: &str) -> Option<(Staff, &'static Stage)> {
    STAFF_STAGES
        .iter()
        .find(|(_, s)| s.kind == kind)
        .map(|(who, s)| (*who, s))
}

/// Registering a child is a stage of its own: it starts a stream rather than adding to one.
pub static REGISTER: Stage = Stage {
    kind: "child_registered",
    title: "Register a child",
    group: "Who the child is",
    power: Power::RecordFrontDoor,
    opens: None,
    fields: CHILD_DETAILS,
};

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Map, Value, json};

    fn sample(input: Input) -> Value {
        match input {
            Date => json!("2026-01-05"),
            DateTime => json!("2026-01-05T09:00:00"),
            Text | LongText => json!("words"),
            Lines => json!(["an action"]),
            YesNo => json!(true),
            Choice(o) => json!(o()[0].0),
            Choices(o) => json!([o()[0].0]),
            Record(_) | AnyRecord | Worker | Team | Count => json!(1),
            Between(low, _) => json!(low),
            Fte => json!(0.8),
            Workers => json!([1, 2]),
            Attendance(o) => json!([[o()[0].0, true]]),
            Group(inner) => Value::Object(
                inner
                    .iter()
                    .map(|f| (f.name.to_string(), sample(f.input)))
                    .collect(),
            ),
        }
    }

    /// Every stage's questions are its event's fields: a full answer decodes as the event, and
    /// every answer survives the round trip (a misspelt field would be dropped).
    #[test]
    fn every_stage_asks_for_its_events_fields() {
        let mut kinds: Vec<&str> = STAGES.iter().map(|s| s.kind).collect();
        kinds.push(REGISTER.kind);
        kinds.extend(STAFF_STAGES.iter().map(|(_, s)| s.kind));
        for stage in STAGES
            .iter()
            .chain([&REGISTER])
            .chain(STAFF_STAGES.iter().map(|(_, s)| s))
        {
            let mut body = Map::new();
            for f in stage.fields {
                body.insert(f.name.into(), sample(f.input));
            }
            if let Some(opens) = stage.opens {
                body.insert(opens.into(), json!(7));
            }
            // A stage about a worker or team is told whose record it is by its address.
            if let Some((who, _)) = staff_stage(stage.kind)
                && stage.opens.is_none()
            {
                let name = match who {
                    Staff::Worker => "worker",
                    Staff::Team => "team",
                };
                body.entry(name).or_insert(json!(7));
            }
            if matches!(stage.kind, "child_registered" | "child_details_corrected") {
                body.insert("la_child_id".into(), json!("L1"));
            }
            let decoded =
                domain::EventBody::decode(stage.kind, &Value::Object(body.clone()).to_string())
                    .unwrap_or_else(|e| panic!("{}: {e}", stage.kind));
            let back: Value = serde_json::from_str(&decoded.to_json()).unwrap();
            for (k, v) in &body {
                assert_eq!(
                    back.get(k),
                    Some(v),
                    "{}: field {k} does not survive",
                    stage.kind
                );
            }
        }
        let mut unique = kinds.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), kinds.len(), "a kind has two stages");
    }

    /// Every kind of event that staff record has a stage.
    #[test]
    fn every_kind_recorded_for_a_child_has_a_stage() {
        let not_staged = [
            // The council's own description, population and targets come from the plan and the
            // published figures, not from a form.
            "council_described",
            "population_estimated",
            "measure_target_set",
            // An import says what its source does not carry.
            "source_described",
            "source_staff_recorded",
            // An import records which rows of its extract made a child's record.
            "source_rows_recorded",
            "source_rows_corrected",
            // Registering is its own stage (REGISTER), with a new stream.
            "child_registered",
        ];
        // The improvement plan's events are on the plan's own streams, recorded on the plan's
        // pages or set up with the plan.
        let plan = [
            super::super::plan::RECORDED_ON_PAGES,
            super::super::plan::SET_UP_WITH_THE_PLAN,
        ]
        .concat();
        for kind in domain::EventBody::KINDS {
            assert!(
                stage(kind).is_some()
                    || staff_stage(kind).is_some()
                    || not_staged.contains(kind)
                    || plan.contains(kind),
                "{kind} cannot be recorded"
            );
        }
    }
}
