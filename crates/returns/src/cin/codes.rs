//! The CIN census code sets the rules check values against (DfE CIN census specification and
//! its XML schema).

pub const ETHNICITY: &[&str] = &[
    "WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN",
    "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
];

pub const DISABILITY: &[&str] = &[
    "NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA",
];

pub const REFERRAL_SOURCE: &[&str] = &[
    "1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4", "5A", "5B", "5C",
    "5D", "6", "7", "8", "9", "10",
];

pub const PRIMARY_NEED: &[&str] = &["N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"];

pub const REASON_FOR_CLOSURE: &[&str] = &[
    "RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8", "RC9",
];

pub const CATEGORY_OF_ABUSE: &[&str] = &["NEG", "PHY", "SAB", "EMO", "MUL"];

/// Factors identified at assessment. `18A` and `19A` were split into `18B`/`18C` and `19B`/`19C`;
/// they are still accepted here, and queries 8945Q and 8950Q ask about them.
pub const ASSESSMENT_FACTORS: &[&str] = &[
    "1A", "1B", "1C", "2A", "2B", "2C", "3A", "3B", "3C", "4A", "4B", "4C", "5A", "5B", "5C", "6A",
    "6B", "6C", "7A", "8B", "8C", "8D", "8E", "8F", "9A", "10A", "11A", "12A", "13A", "14A", "15A",
    "16A", "17A", "18A", "18B", "18C", "19A", "19B", "19C", "20", "21", "22A", "23A", "24A",
];

/// Reasons a UPN is not known, as the census codes them.
pub const UPN_UNKNOWN: &[&str] = &["UN1", "UN2", "UN3", "UN4", "UN5", "UN6", "UN7"];

/// Sex from 2024/25: male, female, unknown (unborn or not recorded).
pub const SEX: &[&str] = &["M", "F", "U"];

/// Gender up to 2023/24: not known, male, female, not specified.
pub const GENDER: &[&str] = &["0", "1", "2", "9"];

/// The DfE's valid post-April-1998 LA codes and recognised pseudo-LA codes for characters 2-4 of
/// a UPN (rule 1530), as inclusive ranges.
const UPN_LA_CODES: &[(u16, u16)] = &[
    (1, 5),
    (201, 213),
    (301, 320),
    (330, 336),
    (340, 344),
    (350, 359),
    (370, 373),
    (380, 384),
    (390, 394),
    (420, 420),
    (660, 681),
    (701, 708),
    (800, 803),
    (805, 808),
    (810, 813),
    (815, 816),
    (820, 823),
    (825, 826),
    (830, 831),
    (835, 841),
    (845, 846),
    (850, 852),
    (855, 857),
    (860, 861),
    (865, 896),
    (908, 909),
    (916, 916),
    (919, 919),
    (921, 921),
    (925, 926),
    (928, 929),
    (931, 931),
    (933, 933),
    (935, 938),
    (940, 941),
];

/// Codes added from 2023/24 (Cumberland; Westmorland and Furness).
const UPN_LA_CODES_FROM_2023_24: &[u16] = &[942, 943];

/// Whether three characters are a recognised LA code in a UPN.
pub fn is_upn_la_code(code: &str, from_2023_24: bool) -> bool {
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let Ok(n) = code.parse::<u16>() else {
        return false;
    };
    UPN_LA_CODES.iter().any(|&(a, b)| (a..=b).contains(&n))
        || (from_2023_24 && UPN_LA_CODES_FROM_2023_24.contains(&n))
}

/// The letters of the UPN check-letter table, indexed by remainder (0 to 22).
pub const UPN_CHECK_LETTERS: &[u8; 23] = b"ABCDEFGHJKLMNPQRTUVWXYZ";

pub fn is_in(list: &[&str], value: Option<&str>) -> bool {
    value.is_some_and(|v| list.contains(&v))
}
