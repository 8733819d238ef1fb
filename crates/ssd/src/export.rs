//! Writing an extract from Hearth's records, so that the sector's other tools can read a
//! council's data in the shape they know. Each table is written with every column the dataset
//! defines, in its order; what Hearth does not hold is left blank.
//!
//! Ids: a person is their council identifier; a record of a child's is the child's identifier
//! and the record's number in the child's record (`1234-7`); a team or worker is Hearth's number.

use crate::catalogue::{self, Table};
use crate::values::{write_date, write_date_time, write_flag};
use chrono::NaiveDate;
use domain::codes::{
    ConferenceKind, ContactDecision, Employment, PermanencePlan, PermanenceStep, S47Outcome, Sex,
    VisitKind,
};
use domain::model::{Child, Model};
use domain::{RecordId, TeamId};
use serde_json::json;
use std::collections::BTreeMap;
use std::path::Path;

/// The immigration status of an unaccompanied asylum-seeking child.
pub const UASC: &str = "UASC";

/// The tables Hearth writes, in the order they are written.
pub const WRITTEN: &[&str] = &[
    "ssd_person",
    "ssd_family",
    "ssd_disability",
    "ssd_send",
    "ssd_immigration_status",
    "ssd_address",
    "ssd_mother",
    "ssd_department",
    "ssd_professionals",
    "ssd_involvements",
    "ssd_contacts",
    "ssd_early_help_episodes",
    "ssd_cin_episodes",
    "ssd_cin_assessments",
    "ssd_assessment_factors",
    "ssd_s47_enquiry",
    "ssd_initial_cp_conference",
    "ssd_cp_plans",
    "ssd_cp_reviews",
    "ssd_cp_visits",
    "ssd_cin_plans",
    "ssd_cin_visits",
    "ssd_pre_proceedings",
    "ssd_cla_episodes",
    "ssd_cla_placement",
    "ssd_legal_status",
    "ssd_cla_reviews",
    "ssd_cla_visits",
    "ssd_cla_health",
    "ssd_missing",
    "ssd_care_leavers",
    "ssd_permanence",
    "ssd_cla_care_plan",
    "ssd_sdq_scores",
];

/// An extract being written: each table's rows, values in the catalogue's column order.
#[derive(Debug, Default)]
pub struct Tables {
    pub tables: BTreeMap<&'static str, Vec<Vec<String>>>,
}

impl Tables {
    /// Adds a row to a table from (field, value) pairs; fields not named are blank. A field
    /// with Hearth's prefix is one of its own columns for the table (see [`OWN_COLUMNS`]).
    fn add(&mut self, table: &'static Table, values: &[(&str, String)]) {
        let own = own_columns(&table.name);
        let mut row = vec![String::new(); table.fields.len() + own.len()];
        for (field, value) in values {
            let at = table
                .fields
                .iter()
                .position(|f| f.name == *field)
                .or_else(|| {
                    own.iter()
                        .position(|o| o == field)
                        .map(|k| table.fields.len() + k)
                })
                .unwrap_or_else(|| panic!("{} has no field {field}", table.name));
            row[at] = value.clone();
        }
        self.tables
            .entry(table.name.as_str())
            .or_default()
            .push(row);
    }

    pub fn rows(&self, table: &str) -> usize {
        self.tables.get(table).map_or(0, Vec::len)
    }

    /// Writes each table to `dir` as `<table>.csv`, header and rows; a table with no rows is
    /// written with its header alone, so a reader knows Hearth carries it.
    pub fn write_dir(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for name in WRITTEN {
            let table = catalogue::table(name).expect("a written table is in the catalogue");
            let mut w = csv::Writer::from_path(dir.join(table.file_name()))?;
            let own = own_columns(name);
            w.write_record(
                table
                    .fields
                    .iter()
                    .map(|f| f.name.as_str())
                    .chain(own.iter().copied()),
            )?;
            for row in self.tables.get(name).into_iter().flatten() {
                w.write_record(row)?;
            }
            w.flush()?;
        }
        Ok(())
    }
}

/// Hearth's own columns, after each table's: what its measures need that the dataset does not
/// carry.
pub const OWN_COLUMNS: &[(&str, &[&str])] = &[
    (
        "ssd_contacts",
        &["hearth_rag", "hearth_decision", "hearth_decided_at"],
    ),
    (
        "ssd_missing",
        &["hearth_interview_offered_at", "hearth_interview_held_at"],
    ),
    ("ssd_permanence", &["hearth_step", "hearth_step_date"]),
    ("ssd_cla_care_plan", &["hearth_plan"]),
    ("ssd_sdq_scores", OUTCOME_COLUMNS),
];

/// A year's outcomes of a child looked after (the SSDA903's OC2) beside its SDQ: the 31 March
/// they are for, then each outcome as a flag.
pub const OUTCOME_COLUMNS: &[&str] = &[
    "hearth_outcomes_for",
    "hearth_convicted",
    "hearth_health_check",
    "hearth_immunisations",
    "hearth_teeth_check",
    "hearth_health_assessment",
    "hearth_substance_misuse",
    "hearth_intervention_received",
    "hearth_intervention_offered",
];

/// The table's own columns, none for most.
pub fn own_columns(table: &str) -> &'static [&'static str] {
    OWN_COLUMNS
        .iter()
        .find(|(t, _)| *t == table)
        .map_or(&[], |(_, c)| c)
}

fn t(name: &str) -> &'static Table {
    catalogue::table(name).expect("a written table is in the catalogue")
}

/// A child's record's id in the extract.
fn record_id(child: &Child, record: RecordId) -> String {
    format!("{}-{}", child.details.la_child_id, record.0)
}

fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(write_date).unwrap_or_default()
}

fn sex(s: Sex) -> &'static str {
    match s {
        Sex::Male => "M",
        Sex::Female => "F",
        Sex::Unknown => "U",
    }
}

fn team_id(t: TeamId) -> String {
    t.0.to_string()
}

/// The SSD's flags object, every key present, those given set to Y.
fn flags(keys: &[&str], set: &[&str]) -> String {
    let mut o = serde_json::Map::new();
    for k in keys {
        o.insert(
            (*k).to_string(),
            json!(if set.contains(k) { "Y" } else { "" }),
        );
    }
    serde_json::Value::Object(o).to_string()
}

const CONTACT_OUTCOMES: &[&str] = &[
    "NEW_REFERRAL_FLAG",
    "EXISTING_REFERRAL_FLAG",
    "CP_ENQUIRY_FLAG",
    "NFA_FLAG",
    "NON_AGENCY_ADOPTION_FLAG",
    "PRIVATE_FOSTERING_FLAG",
    "ADVICE_FLAG",
    "MISSING_FLAG",
    "OLA_CP_FLAG",
    "OTHER_OUTCOMES_EXIST_FLAG",
];

/// The contact outcome flag for Hearth's decision.
fn contact_outcome(d: ContactDecision) -> &'static str {
    match d {
        ContactDecision::Referral => "NEW_REFERRAL_FLAG",
        ContactDecision::ExistingCase => "EXISTING_REFERRAL_FLAG",
        ContactDecision::NoFurtherAction => "NFA_FLAG",
        ContactDecision::InformationAdvice | ContactDecision::Signposted => "ADVICE_FLAG",
        ContactDecision::EarlyHelp => "OTHER_OUTCOMES_EXIST_FLAG",
    }
}

pub(crate) const S47_OUTCOMES: &[&str] = &[
    "NFA_FLAG",
    "LEGAL_ACTION_FLAG",
    "PROV_OF_SERVICES_FLAG",
    "PROV_OF_SB_CARE_FLAG",
    "CP_CONFERENCE_FLAG",
    "NFA_CONTINUE_SINGLE_FLAG",
    "MONITOR_FLAG",
    "OTHER_OUTCOMES_EXIST_FLAG",
];

/// The enquiry outcome flag for Hearth's outcome.
fn s47_outcome(o: S47Outcome) -> &'static str {
    match o {
        S47Outcome::Conference => "CP_CONFERENCE_FLAG",
        S47Outcome::ChildInNeed => "PROV_OF_SERVICES_FLAG",
        S47Outcome::NoFurtherAction => "NFA_FLAG",
    }
}

/// Every table Hearth writes, from the records as they stand.
pub fn export(model: &Model) -> Tables {
    let mut out = Tables::default();
    staff(model, &mut out);
    // In the children's order, so that the same records always give the same files.
    let mut children: Vec<&Child> = model.children.values().map(|c| c.as_ref()).collect();
    children.sort_by_key(|c| c.id());
    for child in children {
        person(child, &mut out);
        front_door(child, &mut out);
        children_in_need(child, &mut out);
        protection(child, &mut out);
        looked_after(child, &mut out);
        permanence(child, &mut out);
        leaving_care(child, &mut out);
        outcomes(child, &mut out);
    }
    out
}

fn staff(model: &Model, out: &mut Tables) {
    let department = t("ssd_department");
    for team in model.teams.values() {
        out.add(
            department,
            &[
                ("dept_team_id", team_id(team.id)),
                ("dept_team_name", team.name.clone()),
                ("dept_team_parent_id", team.service.code().to_string()),
                ("dept_team_parent_name", team.service.label().to_string()),
            ],
        );
    }
    let professionals = t("ssd_professionals");
    for w in model.workers.values() {
        let now = w.current();
        let team = model.teams.get(&now.team).map(|t| t.name.clone());
        out.add(
            professionals,
            &[
                ("prof_professional_id", w.id.0.to_string()),
                ("prof_staff_id", w.id.0.to_string()),
                ("prof_professional_name", w.name.clone()),
                (
                    "prof_social_worker_registration_no",
                    w.registration.clone().unwrap_or_default(),
                ),
                ("prof_professional_job_title", now.role.label().to_string()),
                ("prof_professional_department", team.unwrap_or_default()),
                ("prof_full_time_equivalency", format!("{}", now.fte)),
                (
                    "prof_agency_worker_flag",
                    write_flag(now.employment == Employment::Agency).to_string(),
                ),
            ],
        );
    }
}

fn person(c: &Child, out: &mut Tables) {
    let d = &c.details;
    out.add(
        t("ssd_person"),
        &[
            ("pers_person_id", d.la_child_id.clone()),
            ("pers_forename", d.given_name.clone()),
            ("pers_surname", d.family_name.clone()),
            ("pers_sex", sex(d.sex).to_string()),
            ("pers_ethnicity", d.ethnicity.0.clone()),
            ("pers_dob", opt_date(d.date_of_birth)),
            (
                "pers_common_child_id",
                d.nhs_number.clone().unwrap_or_default(),
            ),
            (
                "pers_upn_unknown",
                d.upn_unknown
                    .as_ref()
                    .map(|c| c.0.clone())
                    .unwrap_or_default(),
            ),
            ("pers_expected_dob", opt_date(d.expected_date_of_birth)),
            ("pers_death_date", opt_date(d.date_of_death)),
            (
                "pers_is_mother",
                d.mother
                    .map(|m| write_flag(m).to_string())
                    .unwrap_or_default(),
            ),
        ],
    );
    if let Some(f) = d.family {
        out.add(
            t("ssd_family"),
            &[
                ("fami_table_id", d.la_child_id.clone()),
                ("fami_family_id", f.0.to_string()),
                ("fami_person_id", d.la_child_id.clone()),
            ],
        );
    }
    for (i, code) in d.disabilities.iter().enumerate() {
        out.add(
            t("ssd_disability"),
            &[
                ("disa_table_id", format!("{}-D{}", d.la_child_id, i + 1)),
                ("disa_person_id", d.la_child_id.clone()),
                ("disa_disability_code", code.0.clone()),
            ],
        );
    }
    // The unique pupil number is the dataset's, with special needs; it says whether a child is
    // unknown to schools with the person.
    if let Some(upn) = &d.upn {
        out.add(
            t("ssd_send"),
            &[
                ("send_table_id", d.la_child_id.clone()),
                ("send_person_id", d.la_child_id.clone()),
                ("send_upn", upn.clone()),
            ],
        );
    }
    // A mother's first child, by its birth date; the baby is no one Hearth holds.
    if let Some(born) = d.first_child_born {
        out.add(
            t("ssd_mother"),
            &[
                ("moth_table_id", format!("{}-M1", d.la_child_id)),
                ("moth_person_id", d.la_child_id.clone()),
                ("moth_childs_dob", write_date(born)),
            ],
        );
    }
    if d.uasc {
        out.add(
            t("ssd_immigration_status"),
            &[
                (
                    "immi_immigration_status_id",
                    format!("{}-UASC", d.la_child_id),
                ),
                ("immi_person_id", d.la_child_id.clone()),
                ("immi_immigration_status", UASC.to_string()),
                ("immi_immigration_status_end_date", opt_date(d.uasc_ceased)),
            ],
        );
    }
    for (i, a) in c.allocations.iter().enumerate() {
        // The referral the child was open under when the worker took the case, if any.
        let referral = c
            .referrals
            .iter()
            .rfind(|r| r.date <= a.from && r.closed.as_ref().is_none_or(|(end, _)| *end >= a.from))
            .map(|r| record_id(c, r.id))
            .unwrap_or_default();
        out.add(
            t("ssd_involvements"),
            &[
                (
                    "invo_involvements_id",
                    format!("{}-A{}", d.la_child_id, i + 1),
                ),
                ("invo_professional_id", a.worker.0.to_string()),
                (
                    "invo_professional_role_id",
                    "Allocated social worker".to_string(),
                ),
                ("invo_professional_team", team_id(a.team)),
                ("invo_involvement_start_date", write_date(a.from)),
                ("invo_involvement_end_date", opt_date(a.to)),
                (
                    "invo_worker_change_reason",
                    a.reason.as_ref().map(|r| r.0.clone()).unwrap_or_default(),
                ),
                ("invo_person_id", d.la_child_id.clone()),
                ("invo_referral_id", referral),
            ],
        );
    }
}

fn front_door(c: &Child, out: &mut Tables) {
    let person = &c.details.la_child_id;
    for k in &c.contacts {
        let outcome = k
            .decision
            .map(|(d, _)| flags(CONTACT_OUTCOMES, &[contact_outcome(d)]))
            .unwrap_or_default();
        out.add(
            t("ssd_contacts"),
            &[
                ("cont_contact_id", record_id(c, k.id)),
                ("cont_person_id", person.clone()),
                ("cont_contact_date", write_date_time(k.received)),
                ("cont_contact_source_code", k.source.0.clone()),
                ("cont_contact_outcome_json", outcome),
                (
                    "hearth_rag",
                    k.rag.map(|r| r.code().to_string()).unwrap_or_default(),
                ),
                (
                    "hearth_decision",
                    k.decision
                        .map(|(d, _)| d.code().to_string())
                        .unwrap_or_default(),
                ),
                (
                    "hearth_decided_at",
                    k.decision
                        .map(|(_, at)| write_date_time(at))
                        .unwrap_or_default(),
                ),
            ],
        );
    }
    for e in &c.early_help {
        out.add(
            t("ssd_early_help_episodes"),
            &[
                ("earl_episode_id", record_id(c, e.id)),
                ("earl_person_id", person.clone()),
                ("earl_episode_start_date", write_date(e.start)),
                (
                    "earl_episode_end_date",
                    opt_date(e.end.as_ref().map(|x| x.0)),
                ),
                (
                    "earl_episode_end_reason",
                    e.end.as_ref().map(|x| x.1.clone()).unwrap_or_default(),
                ),
                (
                    "earl_episode_organisation",
                    e.lead_professional.clone().unwrap_or_default(),
                ),
            ],
        );
    }
}

fn children_in_need(c: &Child, out: &mut Tables) {
    let person = &c.details.la_child_id;
    for r in &c.referrals {
        out.add(
            t("ssd_cin_episodes"),
            &[
                ("cine_referral_id", record_id(c, r.id)),
                ("cine_person_id", person.clone()),
                ("cine_referral_date", write_date(r.date)),
                (
                    "cine_cin_primary_need_code",
                    r.primary_need
                        .map(|n| n.code().to_string())
                        .unwrap_or_default(),
                ),
                ("cine_referral_source_code", r.source.0.clone()),
                ("cine_referral_nfa", write_flag(r.nfa).to_string()),
                (
                    "cine_close_reason",
                    r.closed.as_ref().map(|x| x.1.0.clone()).unwrap_or_default(),
                ),
                ("cine_close_date", opt_date(r.closed.as_ref().map(|x| x.0))),
            ],
        );
    }
    for a in &c.assessments {
        let id = record_id(c, a.id);
        out.add(
            t("ssd_cin_assessments"),
            &[
                ("cina_assessment_id", id.clone()),
                ("cina_person_id", person.clone()),
                ("cina_referral_id", record_id(c, a.referral)),
                ("cina_assessment_start_date", write_date(a.start)),
                ("cina_assessment_auth_date", opt_date(a.authorised)),
            ],
        );
        if !a.factors.is_empty() {
            let factors: Vec<&str> = a.factors.iter().map(|f| f.0.as_str()).collect();
            out.add(
                t("ssd_assessment_factors"),
                &[
                    ("cinf_table_id", id.clone()),
                    ("cinf_assessment_id", id),
                    ("cinf_assessment_factors_json", json!(factors).to_string()),
                ],
            );
        }
    }
}

/// The plan of those given that was open on a day: the latest started by then and not ended
/// before it.
fn open_on<T>(
    plans: &[T],
    day: NaiveDate,
    span: impl Fn(&T) -> (NaiveDate, Option<NaiveDate>),
) -> Option<&T> {
    plans.iter().rfind(|p| {
        let (start, end) = span(p);
        start <= day && end.is_none_or(|e| e >= day)
    })
}

fn protection(c: &Child, out: &mut Tables) {
    let person = &c.details.la_child_id;
    for e in &c.enquiries {
        out.add(
            t("ssd_s47_enquiry"),
            &[
                ("s47e_s47_enquiry_id", record_id(c, e.id)),
                ("s47e_referral_id", record_id(c, e.referral)),
                ("s47e_person_id", person.clone()),
                ("s47e_s47_start_date", write_date(e.start)),
                ("s47e_s47_end_date", opt_date(e.completed.map(|x| x.0))),
                (
                    "s47e_s47_nfa",
                    e.completed
                        .map(|(_, o)| write_flag(o == S47Outcome::NoFurtherAction).to_string())
                        .unwrap_or_default(),
                ),
                (
                    "s47e_s47_outcome_json",
                    e.completed
                        .map(|(_, o)| flags(S47_OUTCOMES, &[s47_outcome(o)]))
                        .unwrap_or_default(),
                ),
            ],
        );
    }
    for k in c
        .conferences
        .iter()
        .filter(|k| k.kind != ConferenceKind::Review)
    {
        let plan = c.cp_plans.iter().find(|p| p.conference == Some(k.id));
        let enquiry = k
            .enquiry
            .and_then(|e| c.enquiries.iter().find(|x| x.id == e));
        let referral = plan
            .map(|p| p.referral)
            .or(enquiry.map(|e| e.referral))
            .map(|r| record_id(c, r))
            .unwrap_or_default();
        out.add(
            t("ssd_initial_cp_conference"),
            &[
                ("icpc_icpc_id", record_id(c, k.id)),
                ("icpc_icpc_meeting_id", record_id(c, k.id)),
                (
                    "icpc_s47_enquiry_id",
                    k.enquiry.map(|e| record_id(c, e)).unwrap_or_default(),
                ),
                ("icpc_person_id", person.clone()),
                (
                    "icpc_cp_plan_id",
                    plan.map(|p| record_id(c, p.id)).unwrap_or_default(),
                ),
                ("icpc_referral_id", referral),
                (
                    "icpc_icpc_transfer_in",
                    write_flag(k.kind == ConferenceKind::TransferIn).to_string(),
                ),
                (
                    "icpc_icpc_target_date",
                    opt_date(enquiry.and_then(|e| e.conference_target)),
                ),
                ("icpc_icpc_date", write_date(k.date)),
                (
                    "icpc_icpc_outcome_cp_flag",
                    write_flag(k.plan_needed).to_string(),
                ),
            ],
        );
    }
    for p in &c.cp_plans {
        let id = record_id(c, p.id);
        out.add(
            t("ssd_cp_plans"),
            &[
                ("cppl_cp_plan_id", id.clone()),
                ("cppl_referral_id", record_id(c, p.referral)),
                (
                    "cppl_icpc_id",
                    p.conference.map(|k| record_id(c, k)).unwrap_or_default(),
                ),
                ("cppl_person_id", person.clone()),
                ("cppl_cp_plan_start_date", write_date(p.start)),
                ("cppl_cp_plan_end_date", opt_date(p.end)),
                (
                    "cppl_cp_plan_initial_category",
                    p.initial_category.code().to_string(),
                ),
                (
                    "cppl_cp_plan_latest_category",
                    p.category.code().to_string(),
                ),
            ],
        );
        for (i, review) in p.reviews.iter().enumerate() {
            out.add(
                t("ssd_cp_reviews"),
                &[
                    ("cppr_cp_review_id", format!("{id}-R{}", i + 1)),
                    ("cppr_person_id", person.clone()),
                    ("cppr_cp_plan_id", id.clone()),
                    ("cppr_cp_review_date", write_date(*review)),
                    (
                        "cppr_cp_review_outcome_continue_cp",
                        write_flag(p.end.is_none_or(|e| e > *review)).to_string(),
                    ),
                ],
            );
        }
    }
    for p in &c.cin_plans {
        out.add(
            t("ssd_cin_plans"),
            &[
                ("cinp_cin_plan_id", record_id(c, p.id)),
                ("cinp_referral_id", record_id(c, p.referral)),
                ("cinp_person_id", person.clone()),
                ("cinp_cin_plan_start_date", write_date(p.start)),
                ("cinp_cin_plan_end_date", opt_date(p.end)),
            ],
        );
    }
    for v in &c.visits {
        let seen = write_flag(v.seen).to_string();
        let alone = write_flag(v.seen_alone).to_string();
        match v.kind {
            VisitKind::ChildProtection => {
                let plan = open_on(&c.cp_plans, v.date, |p| (p.start, p.end))
                    .map(|p| record_id(c, p.id))
                    .unwrap_or_default();
                out.add(
                    t("ssd_cp_visits"),
                    &[
                        ("cppv_cp_visit_id", record_id(c, v.id)),
                        ("cppv_person_id", person.clone()),
                        ("cppv_cp_plan_id", plan),
                        ("cppv_cp_visit_date", write_date(v.date)),
                        ("cppv_cp_visit_seen", seen),
                        ("cppv_cp_visit_seen_alone", alone),
                    ],
                );
            }
            VisitKind::ChildInNeed => out.add(
                t("ssd_cin_visits"),
                &[
                    ("cinv_cin_visit_id", record_id(c, v.id)),
                    ("cinv_person_id", person.clone()),
                    ("cinv_cin_visit_date", write_date(v.date)),
                    ("cinv_cin_visit_seen", seen),
                    ("cinv_cin_visit_seen_alone", alone),
                ],
            ),
            VisitKind::LookedAfter => {
                let period = open_on(&c.care_periods, v.date, |p| {
                    (p.start, p.end.as_ref().map(|e| e.0))
                })
                .map(|p| record_id(c, p.id))
                .unwrap_or_default();
                out.add(
                    t("ssd_cla_visits"),
                    &[
                        ("clav_cla_visit_id", record_id(c, v.id)),
                        ("clav_cla_id", period),
                        ("clav_person_id", person.clone()),
                        ("clav_cla_visit_date", write_date(v.date)),
                        ("clav_cla_visit_seen", seen),
                        ("clav_cla_visit_seen_alone", alone),
                    ],
                );
            }
            VisitKind::CareLeaver | VisitKind::Assessment => {}
        }
    }
    for p in &c.pre_proceedings {
        out.add(
            t("ssd_pre_proceedings"),
            &[
                ("prep_table_id", record_id(c, p.id)),
                ("prep_person_id", person.clone()),
                ("prep_pre_pro_decision_date", write_date(p.start)),
                (
                    "prep_pre_pro_outcome",
                    p.end
                        .map(|(_, o)| o.label().to_string())
                        .unwrap_or_default(),
                ),
                (
                    "prep_agree_stepdown_issue_date",
                    opt_date(p.end.map(|e| e.0)),
                ),
            ],
        );
    }
}

/// The type of address Hearth writes: the child's home before care, which the SSDA903 asks of
/// each episode.
pub const HOME: &str = "Home";

fn looked_after(c: &Child, out: &mut Tables) {
    let person = &c.details.la_child_id;
    // Each home postcode the child's episodes give, from the episode that first gives it to
    // the one that gives another.
    let mut homes: Vec<(NaiveDate, String)> = Vec::new();
    for e in c.care_periods.iter().flat_map(|p| &p.episodes) {
        if let Some(home) = &e.placement.home_postcode
            && homes.last().is_none_or(|(_, h)| h != home)
        {
            homes.push((e.start, home.clone()));
        }
    }
    for (i, (from, home)) in homes.iter().enumerate() {
        out.add(
            t("ssd_address"),
            &[
                ("addr_table_id", format!("{person}-H{}", i + 1)),
                ("addr_person_id", person.clone()),
                ("addr_address_type", HOME.to_string()),
                ("addr_address_start_date", write_date(*from)),
                (
                    "addr_address_end_date",
                    opt_date(homes.get(i + 1).map(|(d, _)| *d)),
                ),
                ("addr_address_postcode", home.clone()),
            ],
        );
    }
    for p in &c.care_periods {
        let period = record_id(c, p.id);
        let referral = c
            .referrals
            .iter()
            .rfind(|r| r.date <= p.start)
            .map(|r| record_id(c, r.id))
            .unwrap_or_default();
        let mut legal: Option<(String, NaiveDate)> = None;
        let mut legal_rows = 0;
        for (i, e) in p.episodes.iter().enumerate() {
            let id = format!("{period}-E{}", i + 1);
            // An episode ends the day the next begins, or when the period ends.
            let ceased = p
                .episodes
                .get(i + 1)
                .map(|n| n.start)
                .or(p.end.as_ref().map(|x| x.0));
            let ceased_reason = match p.episodes.get(i + 1) {
                Some(n) => n.reason.0.clone(),
                None => p.end.as_ref().map(|x| x.1.0.clone()).unwrap_or_default(),
            };
            out.add(
                t("ssd_cla_episodes"),
                &[
                    ("clae_cla_episode_id", id.clone()),
                    ("clae_person_id", person.clone()),
                    ("clae_cla_episode_start_date", write_date(e.start)),
                    ("clae_cla_episode_start_reason", e.reason.0.clone()),
                    ("clae_cla_primary_need_code", e.need.code().to_string()),
                    ("clae_cla_episode_ceased_date", opt_date(ceased)),
                    ("clae_cla_episode_ceased_reason", ceased_reason),
                    ("clae_cla_id", period.clone()),
                    ("clae_referral_id", referral.clone()),
                    ("clae_cla_placement_id", id.clone()),
                    ("clae_entered_care_date", write_date(p.start)),
                ],
            );
            out.add(
                t("ssd_cla_placement"),
                &[
                    ("clap_cla_placement_id", id.clone()),
                    ("clap_cla_placement_start_date", write_date(e.start)),
                    ("clap_cla_placement_type", e.placement.place.0.clone()),
                    (
                        "clap_cla_placement_urn",
                        e.placement.urn.clone().unwrap_or_default(),
                    ),
                    ("clap_cla_id", period.clone()),
                    (
                        "clap_cla_placement_provider",
                        e.placement.provider.0.clone(),
                    ),
                    (
                        "clap_cla_placement_postcode",
                        e.placement.postcode.clone().unwrap_or_default(),
                    ),
                    ("clap_cla_placement_end_date", opt_date(ceased)),
                    (
                        "clap_cla_placement_change_reason",
                        e.reason_placement_changed
                            .as_ref()
                            .map(|r| r.0.clone())
                            .unwrap_or_default(),
                    ),
                    ("clap_person_id", person.clone()),
                ],
            );
            // A legal status runs until the next episode with a different one.
            let status = e.legal_status.0.clone();
            if legal.as_ref().is_none_or(|(s, _)| *s != status) {
                if let Some((s, from)) = legal.take() {
                    legal_rows += 1;
                    legal_status(out, &period, legal_rows, person, &s, from, Some(e.start));
                }
                legal = Some((status, e.start));
            }
        }
        if let Some((s, from)) = legal {
            legal_rows += 1;
            let end = p.end.as_ref().map(|x| x.0);
            legal_status(out, &period, legal_rows, person, &s, from, end);
        }
    }
    for r in &c.cla_reviews {
        out.add(
            t("ssd_cla_reviews"),
            &[
                ("clar_cla_review_id", record_id(c, r.id)),
                ("clar_cla_id", record_id(c, r.period)),
                ("clar_cla_review_date", write_date(r.date)),
                ("clar_cla_review_cancelled", "N".to_string()),
                (
                    "clar_cla_review_participation",
                    r.participation
                        .as_ref()
                        .map(|p| p.0.clone())
                        .unwrap_or_default(),
                ),
            ],
        );
    }
    for (i, (kind, date)) in c.health_checks.iter().enumerate() {
        out.add(
            t("ssd_cla_health"),
            &[
                ("clah_health_check_id", format!("{person}-H{}", i + 1)),
                ("clah_person_id", person.clone()),
                ("clah_health_check_type", kind.clone()),
                ("clah_health_check_date", write_date(*date)),
                ("clah_health_check_status", "Completed".to_string()),
            ],
        );
    }
    for m in &c.missing {
        out.add(
            t("ssd_missing"),
            &[
                ("miss_table_id", record_id(c, m.id)),
                ("miss_person_id", person.clone()),
                ("miss_missing_episode_start_date", write_date_time(m.start)),
                ("miss_missing_episode_type", m.kind.label().to_string()),
                (
                    "miss_missing_episode_end_date",
                    m.end.map(write_date_time).unwrap_or_default(),
                ),
                (
                    "miss_missing_rhi_offered",
                    write_flag(m.interview_offered.is_some()).to_string(),
                ),
                (
                    "miss_missing_rhi_accepted",
                    m.interview_offered
                        .map(|(_, accepted)| write_flag(accepted).to_string())
                        .unwrap_or_default(),
                ),
                (
                    "hearth_interview_offered_at",
                    m.interview_offered
                        .map(|(at, _)| write_date_time(at))
                        .unwrap_or_default(),
                ),
                (
                    "hearth_interview_held_at",
                    m.interview_held.map(write_date_time).unwrap_or_default(),
                ),
            ],
        );
    }
}

#[allow(clippy::too_many_arguments)]
fn legal_status(
    out: &mut Tables,
    period: &str,
    n: usize,
    person: &str,
    status: &str,
    from: NaiveDate,
    to: Option<NaiveDate>,
) {
    out.add(
        t("ssd_legal_status"),
        &[
            ("lega_legal_status_id", format!("{period}-L{n}")),
            ("lega_person_id", person.to_string()),
            ("lega_legal_status", status.to_string()),
            ("lega_legal_status_start_date", write_date(from)),
            ("lega_legal_status_end_date", opt_date(to)),
        ],
    );
}

/// The dataset's permanence-plan flag nearest each of Hearth's plans.
pub(crate) fn plan_flag(p: PermanencePlan) -> &'static str {
    match p {
        PermanencePlan::Adoption => "ADOPTION",
        PermanencePlan::SpecialGuardianship | PermanencePlan::ChildArrangements => "LTRELFR",
        PermanencePlan::LongTermFostering => "LTFOST18",
        PermanencePlan::Reunification => "RETURNEV",
        PermanencePlan::SupportedLiving => "SUPPLIV",
    }
}

pub(crate) const PLAN_FLAGS: &[&str] = &[
    "REMAINSUP",
    "RETURN1M",
    "RETURN6M",
    "RETURNEV",
    "LTRELFR",
    "LTFOST18",
    "RESPLMT",
    "SUPPLIV",
    "ADOPTION",
    "OTHERPLN",
];

/// The permanence table's date field for each step, where it has one; the rest are told by
/// Hearth's own column alone.
pub(crate) fn step_field(s: PermanenceStep) -> Option<&'static str> {
    Some(match s {
        PermanenceStep::AdoptionDecision => "perm_adm_decision_date",
        PermanenceStep::PlacementOrder => "perm_placement_order_date",
        PermanenceStep::Matched => "perm_matched_date",
        PermanenceStep::PlacedForAdoption => "perm_placed_for_adoption_date",
        PermanenceStep::AdoptionDecisionCeased => "perm_decision_reversed_date",
        PermanenceStep::AdoptionOrder | PermanenceStep::SgoGranted => "perm_permanence_order_date",
        _ => return None,
    })
}

/// Permanence as rows: a row of `ssd_cla_care_plan` for each plan (running until the next),
/// and a row of `ssd_permanence` for each step reached, so that none is lost.
fn permanence(c: &Child, out: &mut Tables) {
    let person = &c.details.la_child_id;
    for (i, (plan, from)) in c.permanence_plans.iter().enumerate() {
        let to = c.permanence_plans.get(i + 1).map(|(_, d)| *d);
        out.add(
            t("ssd_cla_care_plan"),
            &[
                ("lacp_table_id", format!("{person}-PP{}", i + 1)),
                ("lacp_person_id", person.clone()),
                ("lacp_cla_care_plan_start_date", write_date(*from)),
                ("lacp_cla_care_plan_end_date", opt_date(to)),
                (
                    "lacp_cla_care_plan_json",
                    flags(PLAN_FLAGS, &[plan_flag(*plan)]),
                ),
                ("hearth_plan", plan.code().to_string()),
            ],
        );
    }
    let mut ceased = c.adoption_decisions_ceased.iter();
    for (i, (step, at)) in c.permanence_steps.iter().enumerate() {
        let mut values = vec![
            ("perm_table_id", format!("{person}-PS{}", i + 1)),
            ("perm_person_id", person.clone()),
            ("hearth_step", step.code().to_string()),
            ("hearth_step_date", write_date(*at)),
        ];
        if let Some(field) = step_field(*step) {
            values.push((field, write_date(*at)));
        }
        match step {
            PermanenceStep::AdoptionOrder => {
                values.push(("perm_permanence_order_type", "Adoption order".into()));
                // Who adopted, on the order's row (the SSDA903's AD1).
                if let Some(a) = c.adopters.iter().rfind(|a| a.at == *at) {
                    values.extend([
                        (
                            "perm_adopted_by_carer_flag",
                            write_flag(a.foster_carers).to_string(),
                        ),
                        ("perm_number_of_adopters", a.number.to_string()),
                        ("perm_adopter_sex", a.sex.0.clone()),
                        ("perm_adopter_legal_status", a.legal_status.0.clone()),
                    ]);
                }
            }
            PermanenceStep::SgoGranted => values.push((
                "perm_permanence_order_type",
                "Special guardianship order".into(),
            )),
            PermanenceStep::AdoptionDecisionCeased => {
                if let Some((_, Some(reason))) = ceased.next() {
                    values.push(("perm_decision_reversed_reason", reason.0.clone()));
                }
            }
            _ => {}
        }
        out.add(t("ssd_permanence"), &values);
    }
}

/// A row of `ssd_sdq_scores` for each year's outcomes: the SDQ in the dataset's columns, the
/// rest of the year's outcomes in Hearth's.
fn outcomes(c: &Child, out: &mut Tables) {
    let person = &c.details.la_child_id;
    let flag = |b: Option<bool>| b.map(|b| write_flag(b).to_string()).unwrap_or_default();
    for o in &c.care_outcomes {
        let values = [
            ("csdq_table_id", format!("{person}-OC{}", o.at.format("%Y"))),
            ("csdq_person_id", person.clone()),
            ("csdq_sdq_completed_date", write_date(o.at)),
            (
                "csdq_sdq_score",
                o.sdq_score.map(|s| s.to_string()).unwrap_or_default(),
            ),
            (
                "csdq_sdq_reason",
                o.sdq_reason
                    .as_ref()
                    .map(|c| c.0.clone())
                    .unwrap_or_default(),
            ),
            ("hearth_outcomes_for", write_date(o.at)),
            ("hearth_convicted", flag(o.convicted)),
            ("hearth_health_check", flag(o.health_check)),
            ("hearth_immunisations", flag(o.immunisations)),
            ("hearth_teeth_check", flag(o.teeth_check)),
            ("hearth_health_assessment", flag(o.health_assessment)),
            ("hearth_substance_misuse", flag(o.substance_misuse)),
            (
                "hearth_intervention_received",
                flag(o.intervention_received),
            ),
            ("hearth_intervention_offered", flag(o.intervention_offered)),
        ];
        out.add(t("ssd_sdq_scores"), &values);
    }
}

/// A row of `ssd_care_leavers` for each contact with a care leaver, so that the history of
/// contacts travels, not only the latest.
fn leaving_care(c: &Child, out: &mut Tables) {
    let person = &c.details.la_child_id;
    for (i, k) in c.care_leaver_contacts.iter().enumerate() {
        let in_touch = match (&k.not_in_touch_reason, k.in_touch) {
            (Some(reason), _) => reason.0.clone(),
            (None, true) => "YES".into(),
            (None, false) => "NO".into(),
        };
        out.add(
            t("ssd_care_leavers"),
            &[
                ("clea_table_id", format!("{person}-CL{}", i + 1)),
                ("clea_person_id", person.clone()),
                ("clea_care_leaver_in_touch", in_touch),
                ("clea_care_leaver_latest_contact", write_date(k.at)),
                (
                    "clea_care_leaver_accommodation",
                    k.accommodation
                        .as_ref()
                        .map(|a| a.0.clone())
                        .unwrap_or_default(),
                ),
                (
                    "clea_care_leaver_accom_suitable",
                    k.accommodation_suitable
                        .map(|s| if s { "1" } else { "2" }.to_string())
                        .unwrap_or_default(),
                ),
                (
                    "clea_care_leaver_activity",
                    k.activity.map(|a| a.code().to_string()).unwrap_or_default(),
                ),
                (
                    "clea_pathway_plan_review_date",
                    if k.pathway_plan_reviewed {
                        write_date(k.at)
                    } else {
                        String::new()
                    },
                ),
            ],
        );
    }
}
