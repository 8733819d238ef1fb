//! The DfE code lists that staff pick from when recording, each as (code, label). The codes are
//! those of the DfE's SSDA903 (children looked after) and CIN census specifications; the labels are
//! Hearth's own short wording. Where a list changed between 2024-25 and 2025-26 it holds both
//! years' codes, so that episodes begun under either year can still be recorded and corrected.

/// CIN census: who made the referral.
pub static REFERRAL_SOURCE: &[(&str, &str)] = &[
    ("1A", "Family member, relative or carer"),
    ("1B", "Acquaintance, such as a neighbour or childminder"),
    ("1C", "The child themselves"),
    ("1D", "Another individual, including a stranger"),
    ("2A", "School"),
    ("2B", "Education services"),
    ("3A", "GP"),
    ("3B", "Health visitor"),
    ("3C", "School nurse"),
    ("3D", "Other primary health services"),
    ("3E", "A&E"),
    ("3F", "Other health services, such as a hospice"),
    ("4", "Housing (council or housing association)"),
    ("5A", "Council social care, such as adult social care"),
    ("5B", "Another council department, such as youth justice"),
    ("5C", "Another council's services"),
    ("5D", "Early help"),
    ("6", "Police"),
    ("7", "Courts, probation, immigration, Cafcass or prison"),
    (
        "8",
        "Other, such as a children's centre or voluntary organisation",
    ),
    ("9", "Anonymous"),
    ("10", "Not known"),
];

pub fn referral_source() -> Vec<(&'static str, &'static str)> {
    REFERRAL_SOURCE.to_vec()
}

/// SSDA903: the legal status under which the child is looked after.
pub static LEGAL_STATUS: &[(&str, &str)] = &[
    ("C1", "Interim care order"),
    ("C2", "Full care order"),
    ("D1", "Freeing order"),
    ("E1", "Placement order"),
    ("J1", "Remanded to council or youth detention accommodation"),
    ("J2", "In council accommodation under PACE (not on remand)"),
    (
        "J3",
        "Youth rehabilitation order with a residence or fostering requirement",
    ),
    ("L1", "Police protection, in council accommodation"),
    ("L2", "Emergency protection order"),
    ("L3", "Child assessment order, in council accommodation"),
    ("V2", "Accommodated under section 20"),
    ("V3", "Short breaks: each break recorded"),
    ("V4", "Short breaks: the agreement recorded"),
];

pub fn legal_status() -> Vec<(&'static str, &'static str)> {
    LEGAL_STATUS.to_vec()
}

/// SSDA903: where the child lives. The union of 2024-25 and 2025-26: 2025-26 drops H5, P2 and Z1
/// and adds Z11 to Z14 (K3 came in with 2024-25). The synthetic council still places 16-17 year
/// olds in H5.
pub static PLACEMENT_TYPE: &[(&str, &str)] = &[
    (
        "A3",
        "Placed for adoption with consent, with current foster carers",
    ),
    (
        "A4",
        "Placed for adoption with consent, not with current foster carers",
    ),
    (
        "A5",
        "Placed for adoption under a placement order, with current foster carers",
    ),
    (
        "A6",
        "Placed for adoption under a placement order, not with current foster carers",
    ),
    (
        "H5",
        "Semi-independent living, not a children's home (to March 2025)",
    ),
    ("K1", "Secure children's home"),
    ("K2", "Children's home"),
    ("K3", "Supported accommodation registered with Ofsted"),
    ("P1", "With parents or others with parental responsibility"),
    (
        "P2",
        "Independent living, such as a flat, lodgings, B&B or with friends (to March 2025)",
    ),
    ("P3", "Residential employment"),
    ("R1", "Residential care home"),
    ("R2", "NHS or other medical or nursing care"),
    ("R3", "Family centre or mother and baby unit"),
    ("R5", "Young offender institution"),
    ("S1", "Residential school (not also a children's home)"),
    ("T0", "Temporary move of any kind"),
    ("T1", "Temporary: in hospital"),
    ("T2", "Temporary: away on holiday"),
    ("T3", "Temporary: while the foster carers are on holiday"),
    ("T4", "Temporary: seven days or less, any other reason"),
    ("U1", "Fostered by family or friends, long term"),
    (
        "U2",
        "Fostered by family or friends who are approved adopters (FFA or concurrent)",
    ),
    ("U3", "Fostered by family or friends, not long term"),
    ("U4", "Fostered by other carers, long term"),
    (
        "U5",
        "Fostered by other carers who are approved adopters (FFA or concurrent)",
    ),
    ("U6", "Fostered by other carers, not long term"),
    ("Z1", "Other placement (to March 2025)"),
    // The sources here give these four codes but not what each covers: check the 2025-26 guide.
    ("Z11", "Other placement (Z11)"),
    ("Z12", "Other placement (Z12)"),
    ("Z13", "Other placement (Z13)"),
    ("Z14", "Other placement (Z14)"),
];

pub fn placement_type() -> Vec<(&'static str, &'static str)> {
    PLACEMENT_TYPE.to_vec()
}

/// SSDA903: who provides the placement.
pub static PLACEMENT_PROVIDER: &[(&str, &str)] = &[
    ("PR0", "Parents or others with parental responsibility"),
    (
        "PR1",
        "This council (including its regional adoption agency)",
    ),
    ("PR2", "Another council"),
    ("PR3", "Another public body, such as the NHS"),
    ("PR4", "Private provider"),
    ("PR5", "Voluntary or charity provider"),
];

pub fn placement_provider() -> Vec<(&'static str, &'static str)> {
    PLACEMENT_PROVIDER.to_vec()
}

/// SSDA903: why a new episode of care began. S (starting to be looked after) is in the spec too.
pub static REASON_NEW_EPISODE: &[(&str, &str)] = &[
    ("S", "Started to be looked after"),
    ("L", "Legal status changed only"),
    ("P", "Placement and carer changed"),
    ("T", "Placement changed, same carer"),
    ("B", "Legal status, placement and carer all changed"),
    ("U", "Legal status and placement changed, same carer"),
];

pub fn reason_new_episode() -> Vec<(&'static str, &'static str)> {
    REASON_NEW_EPISODE.to_vec()
}

/// SSDA903: why an episode of care ended.
pub static REASON_EPISODE_CEASED: &[(&str, &str)] = &[
    ("X1", "Episode ended and a new one began the same day"),
    ("E11", "Adopted, application unopposed"),
    ("E12", "Adopted, consent dispensed with by the court"),
    ("E2", "Died"),
    ("E3", "Care taken over by another council in the UK"),
    ("E4A", "Returned home as planned"),
    ("E4B", "Returned home, not as planned"),
    (
        "E13",
        "Went to live with parents, relatives or others without parental responsibility",
    ),
    ("E41", "Child arrangements (or residence) order"),
    // Not in the current spec (replaced by E45 to E48); kept because the synthetic council
    // still ends special guardianship cases with it.
    ("E43", "Special guardianship order (old code)"),
    (
        "E45",
        "Special guardianship order to former foster carers who are family or friends",
    ),
    (
        "E46",
        "Special guardianship order to other former foster carers",
    ),
    (
        "E47",
        "Special guardianship order to family or friends who were not the foster carers",
    ),
    ("E48", "Special guardianship order to other carers"),
    ("E5", "Moved to independent living with formal support"),
    ("E6", "Moved to independent living without formal support"),
    (
        "E7",
        "Moved to residential care funded by adult social care",
    ),
    ("E9", "Sentenced to custody"),
    ("E14", "Remand ended"),
    ("E15", "Age assessment found them to be 18 or over"),
    ("E16", "Moved abroad"),
    (
        "E17",
        "Aged 18 or over and stayed with their carers (staying put)",
    ),
    ("E8", "Stopped being looked after for any other reason"),
];

pub fn reason_episode_ceased() -> Vec<(&'static str, &'static str)> {
    REASON_EPISODE_CEASED.to_vec()
}

/// SSDA903: why a placement ended, recorded on the episode that ends.
pub static REASON_PLACEMENT_CHANGED: &[(&str, &str)] = &[
    ("CARPL", "Planned change under the care plan"),
    ("CLOSE", "Carer resigned or the setting closed"),
    ("ALLEG", "Allegation under section 47"),
    ("STAND", "Concern about standards of care"),
    ("APPRR", "Carer's or setting's approval removed"),
    (
        "CREQB",
        "Carer asked for it to end, because of the child's behaviour",
    ),
    ("CREQO", "Carer asked for it to end, for another reason"),
    ("CHILD", "Child asked to move"),
    (
        "LAREQ",
        "Council ended it: no longer meets the child's needs",
    ),
    ("PLACE", "Placement status changed only, same carer"),
    ("CUSTOD", "Went into custody"),
    ("OTHER", "Other"),
];

pub fn reason_placement_changed() -> Vec<(&'static str, &'static str)> {
    REASON_PLACEMENT_CHANGED.to_vec()
}

/// SSDA903: how the child took part in their review.
pub static REVIEW_PARTICIPATION: &[(&str, &str)] = &[
    ("PN0", "Child under 4"),
    ("PN1", "Attended and spoke for themselves"),
    ("PN2", "Attended, an advocate spoke for them"),
    ("PN3", "Attended and gave their views without words"),
    ("PN4", "Attended but did not give their views"),
    ("PN5", "Did not attend, briefed an advocate"),
    ("PN6", "Did not attend, sent their views another way"),
    ("PN7", "Did not attend and their views were not given"),
];

pub fn review_participation() -> Vec<(&'static str, &'static str)> {
    REVIEW_PARTICIPATION.to_vec()
}

/// SSDA903: where a care leaver lives. The return joins this letter with 1 (suitable) or 2
/// (unsuitable); Hearth records suitability apart, so the list is the letters, and 0.
pub static CARE_LEAVER_ACCOMMODATION: &[(&str, &str)] = &[
    ("B", "With parents or relatives"),
    ("C", "Community home or other residential care, such as NHS"),
    ("D", "Semi-independent or supported accommodation"),
    ("E", "Supported lodgings"),
    ("G", "Gone abroad"),
    ("H", "Deported"),
    ("K", "Ordinary lodgings, without formal support"),
    ("R", "Address not known"),
    ("S", "No fixed abode or homeless"),
    ("T", "Foyer or similar, with education, training or work"),
    ("U", "Independent living, such as their own tenancy"),
    ("V", "Emergency accommodation, such as a night shelter"),
    ("W", "Bed and breakfast"),
    ("X", "In custody"),
    ("Y", "Other accommodation"),
    ("Z", "With former foster carers (18 and over)"),
    ("0", "Not known: not in touch"),
];

pub fn care_leaver_accommodation() -> Vec<(&'static str, &'static str)> {
    CARE_LEAVER_ACCOMMODATION.to_vec()
}

/// CIN census: why the case closed.
pub static CIN_CLOSURE_REASON: &[(&str, &str)] = &[
    ("RC1", "Adopted"),
    ("RC2", "Died"),
    ("RC3", "Child arrangements order"),
    ("RC4", "Special guardianship order"),
    ("RC5", "Transferred to another council"),
    ("RC6", "Transferred to adult social care"),
    (
        "RC7",
        "Services ended for another reason, including no longer in need",
    ),
    ("RC8", "Closed after assessment, no further action"),
    ("RC9", "Closed after assessment, referred to early help"),
];

pub fn cin_closure_reason() -> Vec<(&'static str, &'static str)> {
    CIN_CLOSURE_REASON.to_vec()
}

/// SSDA903 OC3: why the council is not in touch with a care leaver.
pub static NOT_IN_TOUCH_REASON: &[(&str, &str)] = &[
    ("NO", "Not in touch"),
    ("DIED", "Died"),
    ("REFU", "Refuses contact"),
    ("NREQ", "No longer needs support"),
    ("RHOM", "Returned home for more than seven days"),
];

pub fn not_in_touch_reason() -> Vec<(&'static str, &'static str)> {
    NOT_IN_TOUCH_REASON.to_vec()
}

/// SSDA903 social worker episodes: why the child's social worker changed.
pub static CHANGE_OF_WORKER: &[(&str, &str)] = &[
    ("FCONTA", "First worker after a contact or referral"),
    ("MANAGE", "A manager's decision"),
    ("LEFTRL", "The worker left the role or the council"),
    ("ORGRST", "The service was reorganised"),
    (
        "TSPROC",
        "Moved on between teams as the council's process sets out",
    ),
    ("ABSENC", "The worker is away (leave or sickness)"),
    ("CHCHAN", "The child asked for a new worker"),
    ("PCCHAN", "A parent or carer asked for a new worker"),
    ("SWDIED", "The worker died"),
    ("OTHERS", "Another reason"),
];

pub fn change_of_worker() -> Vec<(&'static str, &'static str)> {
    CHANGE_OF_WORKER.to_vec()
}

/// SSDA903 OC2: why a child has no strengths and difficulties score.
pub static SDQ_REASON: &[(&str, &str)] = &[
    ("SDQ1", "No form returned: the child was under 4 or over 17"),
    ("SDQ2", "The carer refused"),
    ("SDQ3", "The child's disability was too severe"),
    ("SDQ4", "Other"),
    ("SDQ5", "Not known"),
];

pub fn sdq_reason() -> Vec<(&'static str, &'static str)> {
    SDQ_REASON.to_vec()
}

/// SSDA903 AD1: the adopters' sex.
pub static ADOPTERS_SEX: &[(&str, &str)] = &[
    ("M1", "One man"),
    ("F1", "One woman"),
    ("MM", "Two men"),
    ("FF", "Two women"),
    ("MF", "A man and a woman"),
];

pub fn adopters_sex() -> Vec<(&'static str, &'static str)> {
    ADOPTERS_SEX.to_vec()
}

/// SSDA903 AD1: the adopters' legal status.
pub static ADOPTERS_LEGAL_STATUS: &[(&str, &str)] = &[
    ("L0", "A single person"),
    ("L11", "A couple of the opposite sex, married"),
    ("L12", "A couple of the same sex, married"),
    ("L2", "A couple in a civil partnership"),
    (
        "L3",
        "A couple of the opposite sex, neither married nor in a civil partnership",
    ),
    (
        "L4",
        "A couple of the same sex, neither married nor in a civil partnership",
    ),
];

pub fn adopters_legal_status() -> Vec<(&'static str, &'static str)> {
    ADOPTERS_LEGAL_STATUS.to_vec()
}

/// SSDA903 placed for adoption: why the decision that a child should be placed for adoption
/// ceased.
pub static ADOPTION_DECISION_CEASED: &[(&str, &str)] = &[
    ("RD1", "The child's needs changed"),
    ("RD2", "The child's wishes changed"),
    ("RD3", "A court decided otherwise"),
    ("RD4", "Any other reason"),
];

pub fn adoption_decision_ceased() -> Vec<(&'static str, &'static str)> {
    ADOPTION_DECISION_CEASED.to_vec()
}

/// SSDA903: the orders under which a child left care before (previous permanence).
pub static PREVIOUS_PERMANENCE: &[(&str, &str)] = &[
    ("P1", "Adoption"),
    ("P2", "Special guardianship order"),
    ("P3", "Residence or child arrangements order"),
    ("P4", "Adoption, outside England"),
    ("Z1", "Not known"),
];

pub fn previous_permanence() -> Vec<(&'static str, &'static str)> {
    PREVIOUS_PERMANENCE.to_vec()
}

/// The DfE's ethnicity codes, shared by the CIN census and SSDA903.
pub static ETHNICITY: &[(&str, &str)] = &[
    ("WBRI", "White British"),
    ("WIRI", "White Irish"),
    ("WIRT", "Traveller of Irish heritage"),
    ("WOTH", "Any other White background"),
    ("WROM", "Gypsy or Roma"),
    ("MWBC", "White and Black Caribbean"),
    ("MWBA", "White and Black African"),
    ("MWAS", "White and Asian"),
    ("MOTH", "Any other mixed background"),
    ("AIND", "Indian"),
    ("APKN", "Pakistani"),
    ("ABAN", "Bangladeshi"),
    ("AOTH", "Any other Asian background"),
    ("BCRB", "Black Caribbean"),
    ("BAFR", "Black African"),
    ("BOTH", "Any other Black background"),
    ("CHNE", "Chinese"),
    ("OOTH", "Any other ethnic group"),
    ("REFU", "Refused"),
    ("NOBT", "Not yet obtained"),
];

pub fn ethnicity() -> Vec<(&'static str, &'static str)> {
    ETHNICITY.to_vec()
}

/// CIN census: disabilities. NONE is left out: Hearth records no disability as an empty list.
pub static DISABILITY: &[(&str, &str)] = &[
    ("MOB", "Mobility"),
    ("HAND", "Hand function"),
    ("PC", "Personal care, such as eating, washing or dressing"),
    ("INC", "Incontinence"),
    ("COMM", "Communication"),
    ("LD", "Learning"),
    ("HEAR", "Hearing"),
    ("VIS", "Vision"),
    ("BEH", "Behaviour, including ADHD"),
    ("CON", "Consciousness, such as seizures"),
    ("AUT", "Diagnosed autism or Asperger syndrome"),
    ("DDA", "Other disability"),
];

pub fn disability() -> Vec<(&'static str, &'static str)> {
    DISABILITY.to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    type List = fn() -> Vec<(&'static str, &'static str)>;

    const ALL: &[(&str, List)] = &[
        ("referral_source", referral_source),
        ("legal_status", legal_status),
        ("placement_type", placement_type),
        ("placement_provider", placement_provider),
        ("reason_new_episode", reason_new_episode),
        ("reason_episode_ceased", reason_episode_ceased),
        ("reason_placement_changed", reason_placement_changed),
        ("review_participation", review_participation),
        ("care_leaver_accommodation", care_leaver_accommodation),
        ("cin_closure_reason", cin_closure_reason),
        ("ethnicity", ethnicity),
        ("disability", disability),
    ];

    #[test]
    fn every_list_is_non_empty_with_unique_codes_and_labels() {
        for (name, list) in ALL {
            let list = list();
            assert!(!list.is_empty(), "{name} is empty");
            let (mut codes, mut labels) = (HashSet::new(), HashSet::new());
            for (code, label) in &list {
                assert!(!code.is_empty() && !label.is_empty(), "{name}: blank entry");
                assert!(codes.insert(*code), "{name} repeats {code}");
                // Staff choose by label, so two alike would be a trap.
                assert!(labels.insert(*label), "{name} repeats the label {label:?}");
            }
        }
    }

    /// Every code the synthetic council generates for these fields (crates/synth/src/journey.rs).
    #[test]
    fn the_synthetic_councils_codes_are_listed() {
        let used: &[(&str, &[&str])] = &[
            (
                "referral_source",
                &[
                    "1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4",
                    "5A", "5B", "5C", "5D", "6", "7", "8", "9", "10",
                ],
            ),
            ("legal_status", &["C1", "C2", "E1", "J2", "L1", "V2"]),
            (
                "placement_type",
                &[
                    "A4", "H5", "K2", "P1", "R1", "U1", "U2", "U3", "U4", "U5", "U6",
                ],
            ),
            ("placement_provider", &["PR0", "PR1", "PR4"]),
            ("reason_new_episode", &["L", "P"]),
            (
                "reason_episode_ceased",
                &["E4A", "E7", "E8", "E11", "E17", "E43"],
            ),
            (
                "reason_placement_changed",
                &["ALLEG", "CARPL", "CHILD", "CLOSE", "LAREQ", "PLACE"],
            ),
            (
                "review_participation",
                &["PN0", "PN1", "PN2", "PN3", "PN4", "PN5"],
            ),
            (
                "care_leaver_accommodation",
                &["D", "E", "G", "K", "R", "S", "T", "U"],
            ),
            ("cin_closure_reason", &["RC1", "RC4", "RC7", "RC8", "RC9"]),
            (
                "ethnicity",
                &[
                    "ABAN", "AIND", "APKN", "BAFR", "BCRB", "MOTH", "MWBC", "NOBT", "OOTH", "REFU",
                    "WBRI", "WIRI", "WOTH",
                ],
            ),
            ("disability", &["AUT", "BEH", "COMM", "LD", "MOB"]),
        ];
        for (name, codes) in used {
            let (_, list) = ALL.iter().find(|(n, _)| n == name).expect("a list");
            let list = list();
            for code in *codes {
                assert!(
                    list.iter().any(|(c, _)| c == code),
                    "{code} is not in {name}"
                );
            }
        }
    }
}
