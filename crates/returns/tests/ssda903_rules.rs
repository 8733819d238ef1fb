//! Every rule against the public validator's own unit-test cases (`tests/data/peer_rule_fixtures/903`,
//! see its SOURCE.md): the same input tables and metadata, the same failing rows expected.
//!
//! A case passes when the failing (table, row) set is exactly the recorded one. A rule not yet
//! written is reported, not passed. `WRONG` lists the recorded answers Hearth does not follow,
//! each with the reason; a listed case that starts to agree fails the test, so the list stays true.
//! `HEARTH_RULE=103 cargo test -p hearth-returns --test ssda903_rules -- --nocapture` shows one rule.

use chrono::{Days, Months, NaiveDate};
use returns::ssda903::{
    FileFormat, Lookup, Metadata, Providers, Return, Table, TableName, Year, lookup, parse_date,
};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Recorded answers that contradict the DfE's rule text: (ruleset, code, reason).
const WRONG: &[(&str, &str, &str)] = &[
    (
        "lac2022_23",
        "210",
        "UN4 is for children newly looked after; the recorded answer flags the two children whose \
         latest episode began in the last week of March and passes child 667, looked after since \
         1 January, which is the one the rule is about",
    ),
    (
        "lac2022_23",
        "336",
        "the rule is about placements for adoption with the current foster carers, A3 and A5, as \
         the DfE's text the recorded rule quotes says; the recorded answer checks A3 and A4, so it \
         flags children 444 and 777 placed for adoption with other carers (A4)",
    ),
    (
        "lac2022_23",
        "374",
        "child 444 began residential employment (P3) aged 0; the recorded answer passes it only \
         because that episode has not ended",
    ),
    (
        "lac2022_23",
        "411",
        "a placement in the LA's own area (PL_LA its code) recorded as OUT of area disagrees as much \
         as the reverse; the recorded answer checks only IN",
    ),
    (
        "lac2022_23",
        "553",
        "child 555 is under a placement order with a decision to place for adoption (DATE_PLACED \
         01/06/2020, not reversed); the recorded answer flags that decision for having no date it \
         ceased, which is not what the rule asks",
    ),
    (
        "lac2022_23",
        "555",
        "as 553, for freeing orders: child 666's decision (01/06/2020, not reversed) is flagged for \
         having no date it ceased",
    ),
    (
        "lac2022_23",
        "558",
        "children F and G were adopted although their only decision to place for adoption is \
         recorded as reversed, exactly what the rule forbids; the recorded answer flags only the \
         children with two decisions",
    ),
    (
        "lac2022_23",
        "574",
        "for two of the four children with overlapping missing periods the recorded answer reports \
         the earlier period, for the others the later; Hearth reports the period that starts while \
         another is open, as the recorded answer for the same check on adoption decisions (579) does",
    ),
    (
        "lac2022_23",
        "578",
        "child 6's missing period (1981) began before its only episode (1983 to 2020), not after the \
         child ceased to be looked after; that is rule 581's case",
    ),
    (
        "lac2022_23",
        "635",
        "child 6 has the LA of a previous permanence order (352) but the option Z1 (none), the very \
         case the rule names; the recorded answer flags only blank options",
    ),
    (
        "lac2026_27",
        "705",
        "the recorded answer compares each DoLO with the one before it in the file, so for child 1 \
         it reports 03/01 to 06/01 (listed after 04/01 to 04/01); by date, the DoLO that starts \
         while another is open is 04/01 to 04/01, which Hearth reports",
    ),
    (
        "lac2026_27",
        "706",
        "which of child 1's DoLOs to report: the recorded answer gives the last (06/01/2000), Hearth \
         the first, the one that should have continued last year's open DoLO",
    ),
    (
        "lac2026_27",
        "710",
        "child 1's DoLO from 02/01/2000 with no end overlaps the placement with parents (P1) from \
         01/01/2000; the recorded answer passes it only because the DoLO has no end date",
    ),
    (
        "lac2023_24",
        "SW01STG1",
        "the rows at fault are the open episodes of children without complete social worker \
         episodes (Episodes 0, 1, 2 and 6: child 8 has none at all); the recorded answer gives the \
         same numbers as SWEpisodes rows, where row 6 is child 7's, who has no episode",
    ),
    (
        "lac2023_24",
        "SW04STG1",
        "ZZ/ZZ/ZZZZ and 01/01/ZZZZ are not dates; the 2025/26 case of the same rule flags them",
    ),
    (
        "lac2023_24",
        "SW05STG1",
        "as SW04STG1, for the date the episode ended",
    ),
    (
        "lac2023_24",
        "SW10STG2",
        "the recorded answer applies SW10aSTG2's later test (a start within 7 days of an earlier \
         episode's end), not this rule's: it passes child 1's episode starting 02/01 inside one \
         running to 09/01 and flags child 3's starting 30/01 after every earlier one ended",
    ),
    ("lac2024_25", "SW10STG2", "as for 2023/24"),
    (
        "lac2025_26",
        "SW09STG2",
        "neither flagged episode lasted under 24 hours as the rule says: one ends before it starts \
         (SW18STG2's case), the other lasted two days",
    ),
];

/// Columns some recorded cases name that no SSDA903 file has, read as the column the rule means:
/// (code, name in the case, SSDA903 column).
const RENAMED: &[(&str, &str, &str)] = &[
    ("231", "UASC_STATUS", "UASC"),
    ("233", "DATE_EPISODE_CEASED", "DEC"),
    ("709", "PLACEMENT", "PLACE"),
    ("710", "PLACEMENT", "PLACE"),
];

type Set = BTreeSet<(String, String)>;

fn cell(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) if n.is_f64() => {
            let x = n.as_f64().unwrap();
            Some(if x.fract() == 0.0 {
                format!("{x:.1}")
            } else {
                x.to_string()
            })
        }
        other => Some(other.to_string()),
    }
}

fn label(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        // A few recorded outputs hold labels as floats (`2.0`).
        Value::Number(n) if n.is_f64() => format!("{}", n.as_f64().unwrap() as i64),
        other => other.to_string(),
    }
}

fn table(name: TableName, v: &Value, code: &str) -> Table {
    let columns: Vec<&str> = v["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .map(|c| {
            RENAMED
                .iter()
                .find(|(r, from, _)| *r == code && *from == c)
                .map_or(c, |(_, _, to)| to)
        })
        .collect();
    let mut t = Table::new(name, &columns);
    for (ix, row) in v["index"]
        .as_array()
        .unwrap()
        .iter()
        .zip(v["rows"].as_array().unwrap())
    {
        let cells: Vec<Option<String>> = row.as_array().unwrap().iter().map(cell).collect();
        let id = label(ix).parse::<u64>().expect("numeric index label");
        t.push_row(id, cells.iter().map(|c| c.as_deref()));
    }
    t
}

fn providers(v: &Value) -> Providers {
    let columns: Vec<String> = v["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    let urn = columns
        .iter()
        .position(|c| c == "URN")
        .expect("a URN column");
    let mut p = Providers::new(columns.clone());
    for row in v["rows"].as_array().unwrap() {
        let cells: Vec<Option<String>> = row.as_array().unwrap().iter().map(cell).collect();
        if let Some(u) = cells[urn].clone() {
            p.insert(&u, cells);
        }
    }
    p
}

fn build(input: &Value, year: Year, code: &str) -> Return {
    let mut meta = Metadata::for_year(year);
    let (mut current, mut last) = (Vec::new(), Vec::new());
    let (mut start, mut end) = (None, None);
    for (key, v) in input.as_object().unwrap() {
        if key == "metadata" {
            for (k, m) in v.as_object().unwrap() {
                match (k.as_str(), m) {
                    ("collection_start", Value::String(s)) => start = parse_date(s),
                    ("collection_end", Value::String(s)) => end = parse_date(s),
                    ("localAuthority", Value::String(s)) => meta.la_code = Some(s.clone()),
                    ("file_format", Value::String(s)) => {
                        meta.file_format = if s == "xml" {
                            FileFormat::Xml
                        } else {
                            FileFormat::Csv
                        }
                    }
                    ("provider_info", p) => meta.providers = Some(providers(p)),
                    _ => {}
                }
            }
        } else if let Some(k) = key.strip_suffix("_last") {
            last.push(table(TableName::from_key(k).unwrap(), v, code));
        } else {
            current.push(table(TableName::from_key(key).unwrap(), v, code));
        }
    }
    // A case giving one end of the collection year means the year it begins or ends.
    let year_on = |d: NaiveDate| d + Months::new(12) - Days::new(1);
    let year_before = |d: NaiveDate| d - Months::new(12) + Days::new(1);
    match (start, end) {
        (Some(s), Some(e)) => (meta.collection_start, meta.collection_end) = (s, e),
        (Some(s), None) => (meta.collection_start, meta.collection_end) = (s, year_on(s)),
        (None, Some(e)) => (meta.collection_start, meta.collection_end) = (year_before(e), e),
        (None, None) => {}
    }
    Return::new(meta, current, last)
}

fn expected(output: &Value) -> Set {
    let mut set = Set::new();
    for (t, rows) in output.as_object().unwrap() {
        for r in rows.as_array().unwrap() {
            set.insert((t.clone(), label(r)));
        }
    }
    set
}

#[test]
fn peer_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/peer_rule_fixtures/903");
    let only = std::env::var("HEARTH_RULE").ok();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let (mut passed, mut failed, mut wrong_agreeing) = (Vec::new(), Vec::new(), Vec::new());
    let (mut unwritten, mut not_in_force, mut listed) = (Vec::new(), Vec::new(), Vec::new());
    for path in &files {
        let f: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let ruleset = f["ruleset"].as_str().unwrap();
        let code = f["code"].as_str().unwrap();
        if only.as_deref().is_some_and(|o| o != code) {
            continue;
        }
        let year = Year::parse(ruleset).unwrap();
        let name = format!("{ruleset} {code}");
        let rule = match lookup(code, year) {
            Lookup::Found(r) => r,
            Lookup::NotWritten => {
                unwritten.push(name);
                continue;
            }
            Lookup::NotInForce => {
                not_in_force.push(name);
                continue;
            }
        };
        let mut report = String::new();
        for (i, call) in f["calls"].as_array().unwrap().iter().enumerate() {
            let r = build(&call["input"], year, code);
            let got: Set = rule
                .run(&r)
                .into_iter()
                .map(|(t, row)| {
                    (
                        t.key().to_owned(),
                        r.table(t).unwrap().row_id(row).to_string(),
                    )
                })
                .collect();
            let want = expected(&call["output"]);
            if got != want {
                let extra: Vec<_> = got.difference(&want).collect();
                let lacking: Vec<_> = want.difference(&got).collect();
                report += &format!("  call {i}: unexpected {extra:?}; missing {lacking:?}\n");
            }
        }
        let wrong = WRONG.iter().find(|(y, c, _)| *y == ruleset && *c == code);
        match (report.is_empty(), wrong) {
            (true, None) => passed.push(name),
            (true, Some(_)) => wrong_agreeing.push(name),
            (false, Some((_, _, why))) => listed.push(format!("{name}: {why}\n{report}")),
            (false, None) => failed.push(format!("{name}\n{report}")),
        }
    }
    println!(
        "SSDA903 fixtures: {} passed, {} failed, {} listed as wrong, {} not yet written, {} not in that year's catalogue",
        passed.len(),
        failed.len(),
        listed.len(),
        unwritten.len(),
        not_in_force.len()
    );
    for l in &listed {
        print!("listed as wrong: {l}");
    }
    println!("not yet written: {}", unwritten.join(", "));
    println!("not in that year's catalogue: {}", not_in_force.join(", "));
    for f in &failed {
        print!("FAILED {f}");
    }
    assert!(
        wrong_agreeing.is_empty(),
        "listed as wrong but now agree: {wrong_agreeing:?}"
    );
    assert!(failed.is_empty(), "{} fixture(s) failed", failed.len());
}
