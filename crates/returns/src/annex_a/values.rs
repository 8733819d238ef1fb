//! The values Ofsted's template offers in its drop-down lists, keyed by the code Hearth records.
//! Inspectors' tools read these exact strings, so a recorded code is shown in the template's form;
//! a code the template has no entry for is shown as recorded.

use domain::codes::{AbuseCategory, PermanencePlan, PrimaryNeed, Sex};

/// The template's value for `code` in `table`, or the code itself.
pub fn pick(table: &[(&str, &str)], code: &str) -> String {
    table
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_string(), |(_, v)| v.to_string())
}

pub const YES: &str = "a) Yes";
pub const NO: &str = "b) No";

pub fn yes_no(b: bool) -> &'static str {
    if b { YES } else { NO }
}

pub fn gender(sex: Sex) -> &'static str {
    match sex {
        Sex::Male => "a) Male",
        Sex::Female => "b) Female",
        Sex::Unknown => "c) Not stated/recorded",
    }
}

pub const ETHNICITY: &[(&str, &str)] = &[
    ("WBRI", "a) WBRI"),
    ("WIRI", "b) WIRI"),
    ("WIRT", "c) WIRT"),
    ("WOTH", "d) WOTH"),
    ("WROM", "e) WROM"),
    ("MWBC", "f) MWBC"),
    ("MWBA", "g) MWBA"),
    ("MWAS", "h) MWAS"),
    ("MOTH", "i) MOTH"),
    ("AIND", "j) AIND"),
    ("APKN", "k) APKN"),
    ("ABAN", "l) ABAN"),
    ("AOTH", "m) AOTH"),
    ("BCRB", "n) BCRB"),
    ("BAFR", "o) BAFR"),
    ("BOTH", "p) BOTH"),
    ("CHNE", "q) CHNE"),
    ("OOTH", "r) OOTH"),
    ("REFU", "s) REFU"),
    ("NOBT", "s) NOBT"),
];

/// Contact and referral source (the CIN census codes).
pub const SOURCE: &[(&str, &str)] = &[
    ("1A", "a) 1A: Individual"),
    ("1B", "b) 1B: Individual"),
    ("1C", "c) 1C: Individual"),
    ("1D", "d) 1D: Individual"),
    ("2A", "e) 2A: Schools"),
    ("2B", "f) 2B: Education services"),
    ("3A", "g) 3A: Health services"),
    ("3B", "h) 3B: Health services"),
    ("3C", "i) 3C: Health services"),
    ("3D", "j) 3D: Health services"),
    ("3E", "k) 3E: Health services"),
    ("3F", "l) 3F: Health services"),
    ("4", "m) 4: Housing"),
    ("5A", "n) 5A: LA services"),
    ("5B", "o) 5B: LA services"),
    ("5C", "p) 5C: LA services"),
    ("5D", "p1) 5D: LA services"),
    ("6", "q) 6: Police"),
    ("7", "r) 7: Other legal agency"),
    ("8", "s) 8: Other"),
    ("9", "t) 9: Anonymous"),
    ("10", "u) 10: Unknown"),
];

pub fn primary_need(need: PrimaryNeed) -> &'static str {
    match need {
        PrimaryNeed::N0 => "N0 - Not stated",
        PrimaryNeed::N1 => "N1 - Abuse or neglect",
        PrimaryNeed::N2 => "N2 - Child's disability",
        PrimaryNeed::N3 => "N3 - Parental disability or illness",
        PrimaryNeed::N4 => "N4 - Family in acute stress",
        PrimaryNeed::N5 => "N5 - Family dysfunction",
        PrimaryNeed::N6 => "N6 - Socially unacceptable behaviour",
        PrimaryNeed::N7 => "N7 - Low income",
        PrimaryNeed::N8 => "N8 - Absent parenting",
        PrimaryNeed::N9 => "N9 - Cases other than children in need",
    }
}

pub const CIN_CLOSURE: &[(&str, &str)] = &[
    ("RC1", "RC1 - Adopted"),
    ("RC2", "RC2 - Died"),
    ("RC3", "RC3 - Child arrangements order"),
    ("RC4", "RC4 - Special guardianship order"),
    (
        "RC5",
        "RC5 - Transferred to services of another local authority",
    ),
    ("RC6", "RC6 - Transferred to adult social care services"),
    (
        "RC7",
        "RC7 - Services ceased for any other reason, including child no longer in need",
    ),
    (
        "RC8",
        "RC8 - Case closed after assessment, no further action",
    ),
    (
        "RC9",
        "RC9 - Case closed after assessment, referred to early help",
    ),
];

pub const LOOKED_AFTER: &str = "a) Looked after child";
pub const ON_CP_PLAN: &str = "b) Child Protection plan";
pub const ON_CIN_PLAN: &str = "c) Child in need plan";
pub const OPEN_ASSESSMENT: &str = "d) Open assessment";
pub const CLOSED_EPISODE: &str = "e) Closed episode";

pub fn abuse(category: AbuseCategory) -> &'static str {
    match category {
        AbuseCategory::Neglect => "a) Neglect",
        AbuseCategory::Physical => "b) Physical abuse",
        AbuseCategory::Sexual => "c) Sexual abuse",
        AbuseCategory::Emotional => "d) Emotional abuse",
        AbuseCategory::Multiple => "e) Multiple/not recommended",
    }
}

pub const LEGAL_STATUS: &[(&str, &str)] = &[
    ("C1", "C1: ICO"),
    ("C2", "C2: FCO"),
    ("D1", "D1: Freeing order"),
    ("E1", "E1: Placement order"),
    ("J1", "J1: Remanded to LA or youth detention"),
    ("J2", "J2: LA accommodation under PACE"),
    ("J3", "J3: Youth rehabilitation order"),
    ("L1", "L1: Police protection LA accommodation"),
    ("L2", "L2: EPO"),
    ("L3", "L3: Child assessment order LA accommodation"),
    ("V2", "V2: Single period under S20"),
    ("V3", "V3: Short term breaks, episodes recorded"),
    ("V4", "V4: Short term breaks, agreements recorded"),
];

pub fn permanence(plan: PermanencePlan) -> &'static str {
    match plan {
        PermanencePlan::Reunification => "a) Return to family",
        PermanencePlan::Adoption => "b) Adoption",
        PermanencePlan::SpecialGuardianship | PermanencePlan::ChildArrangements => "c) SGO/CAO",
        PermanencePlan::SupportedLiving => "d) Supported living in the community",
        PermanencePlan::LongTermFostering => "f) Long-term fostering",
    }
}

pub const REASON_CEASED: &[(&str, &str)] = &[
    ("E11", "a) E11: Adopted - application unopposed"),
    ("E12", "b) E12: Adopted - consent dispensed"),
    ("E2", "c) E2: Died"),
    ("E3", "d) E3: Care taken by another LA"),
    (
        "E4A",
        "e) E4A: Returned home to live with parents or relatives - part of planning",
    ),
    (
        "E4B",
        "f) E4B: Returned home to live with parents or relatives - not part of planning",
    ),
    (
        "E13",
        "g) E13: Parents, relatives or other with no parental responsibility",
    ),
    ("E41", "h) E41: Residence order granted"),
    (
        "E45",
        "i) E45: Special Guardianship Orders - former carer relative/friend",
    ),
    (
        "E46",
        "j) E46: Special Guardianship Orders - former carer other",
    ),
    (
        "E47",
        "k) E47: Special Guardianship Orders - relative/friend",
    ),
    ("E48", "l) E48: Special Guardianship Orders - other"),
    ("E5", "m) E5: Moved into independent living - supported"),
    ("E6", "n) E6: Moved into independent living - no support"),
    (
        "E7",
        "o) E7: Transferred to residential care funded by adult social services",
    ),
    ("E9", "p) E9: Sentenced to custody"),
    ("E14", "q) E14: Accommodation on remand ended"),
    (
        "E15",
        "r) E15: Age assessment determined child was 18 or over",
    ),
    ("E16", "s) E16: Child moved abroad"),
    ("E8", "t) E8: Care ceased for any other reason"),
    ("X1", "u) X1: CodeError"),
    ("E17", "v) E17: Aged 18+ and remained with current carers"),
];

pub const PLACEMENT_TYPE: &[(&str, &str)] = &[
    ("U1", "a) U1: Foster placement - relatives - long term"),
    ("U2", "b) U2: Foster placement - relative - FFA"),
    ("U3", "c) U3: Foster placement - relative - not FFA"),
    ("U4", "d) U4: Foster placement - long term"),
    ("U5", "e) U5: Foster placement - FFA"),
    ("U6", "f) U6: Foster placement - not FFA"),
    (
        "A3",
        "g) A3: Placed for adoption - consent - current foster",
    ),
    ("A4", "h) A4: Placed for adoption - consent - not foster"),
    ("A5", "i) A5: Placed for adoption - order - foster"),
    ("A6", "j) A6: Placed for adoption - order - not foster"),
    ("P1", "k) P1: Placed with parents"),
    ("P2", "l) P2: Independent living"),
    ("P3", "m) P3: Residential employment"),
    ("H5", "n) H5: Residential accommodation"),
    ("K1", "o) K1: Secure Children's Homes"),
    ("K2", "p) K2: Children's Homes"),
    ("R1", "q) R1: Residential Care Home"),
    ("R2", "r) R2: NHS/Health Trust"),
    ("R3", "s) R3: Family Centre or Mother and Baby Unit"),
    ("R5", "t) R5: Young Offender Institution"),
    ("S1", "u) S1: Residential school"),
    ("Z1", "v) Z1: Other placements"),
    ("T0", "w) T0: Temporary placement"),
    ("T1", "x) T1: Temporary placement - hospital"),
    ("T2", "y) T2: Temporary placement - holiday"),
    ("T3", "z) T3: Temporary placement - carer holiday"),
    ("T4", "zz) T4: Temporary placement - seven days or less"),
];

pub const PROVIDER: &[(&str, &str)] = &[
    ("PR0", "a) PR0: Parents/Parental responsibility"),
    ("PR1", "b) PR1: Own provision"),
    ("PR2", "c) PR2: Other LA provision"),
    ("PR3", "d) PR3: Other public provision"),
    ("PR4", "e) PR4: Private provision"),
    ("PR5", "f) PR5: Voluntary/third sector"),
];

pub const RELEVANT: &str = "a) Relevant child";
pub const FORMER_RELEVANT: &str = "b) Former relevant child";

/// Whether the council is in touch, or why not (the SSDA903 IN_TOUCH reasons).
pub const NOT_IN_TOUCH: &[(&str, &str)] = &[
    ("DIED", "c) Died"),
    ("REFU", "d) Refu"),
    ("NREQ", "e) NREQ"),
    ("RHOM", "f) Rhom"),
];

pub const ACCOMMODATION: &[(&str, &str)] = &[
    ("B", "B: Parents/relatives"),
    ("C", "C: Community home/residential care"),
    (
        "D",
        "D: Semi-independent, transitional accommodation and self-contained accommodation",
    ),
    ("E", "E: Supported lodgings"),
    ("G", "G: Abroad"),
    ("H", "H: Deported"),
    ("K", "K: Ordinary lodgings, without formal support"),
    ("R", "R: Residence not known"),
    // The template spells it so; inspectors' tools match the exact text.
    ("S", "S: No fixed adobe/homeless"),
    ("T", "T: Foyers and similar supported accommodation"),
    ("U", "U: Independent living"),
    ("V", "V: Emergency accommodation"),
    ("W", "W: Bed and breakfast"),
    ("X", "X: In custody"),
    ("Y", "Y: Other accommodation"),
    ("Z", "Z: With former foster carers"),
];

pub fn suitable(yes: bool) -> &'static str {
    if yes { "a) Suitable" } else { "b) Unsuitable" }
}

pub const ACTIVITY: &[(&str, &str)] = &[
    ("F1", "F1: Full time in higher education"),
    ("P1", "P1: Part time in higher education"),
    ("F2", "F2: Full time in education other than higher"),
    ("P2", "P2: Part time in education other than higher"),
    ("F3", "F3: Full time in training or employment"),
    ("P3", "P3: Part time in training or employment"),
    (
        "F4",
        "F4: Young person engaged full time in an apprenticeship",
    ),
    (
        "P4",
        "P4: Young person engaged part time in an apprenticeship",
    ),
    (
        "F5",
        "F5: Young person engaged full time in training or employment (not apprenticeship)",
    ),
    (
        "P5",
        "P5: Young person engaged part time in training or employment (not apprenticeship)",
    ),
    (
        "G4",
        "G4: Not in education, employment or training - illness or disability",
    ),
    ("G5", "G5: Not in education, employment or training - other"),
    (
        "G6",
        "G6: Not in education, employment or training - pregnancy or parenting",
    ),
];

pub const ADOPTION_CEASED: &[(&str, &str)] = &[
    (
        "RD1",
        "RD1 - The child\u{2019}s needs changed subsequent to the decision",
    ),
    ("RD2", "RD2 - The Court did not make a placement order"),
    ("RD3", "RD3 - Prospective adopters could not be found"),
    ("RD4", "RD4 - Any other reason"),
];
