//! A small CSV return, end to end: written to a folder, read back by file name and by columns,
//! validated for 2025/26.

use returns::ssda903::{Kind, Metadata, ReadError, Return, TableName, Year, read_dir, validate};
use std::fs;

const HEADER: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB
1,M,01/06/2012,WBRI,UN1,,
2,F,15/01/2010,XXXX,A123456789012,0,
";

const EPISODES: &str =
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN
1,01/05/2025,S,C2,N1,U1,PR1,,,,AB1 0JD,AB2 0JD,SC123456
2,01/02/2025,S,V2,N1,K2,PR4,03/02/2025,X1,,AB1 0JD,AB3 0JD,SC654321
2,04/02/2025,P,V2,N1,K2,PR4,,,CARPL,AB1 0JD,AB3 0JD,SC654321
";

fn write(dir: &std::path::Path, name: &str, text: &str) {
    fs::write(dir.join(name), text).unwrap();
}

#[test]
fn read_and_validate() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "header.csv", HEADER);
    // Not a DfE file name: recognised by its columns.
    write(dir.path(), "episodes_2025.csv", EPISODES);
    write(dir.path(), "notes.txt", "not a table");
    let tables = read_dir(dir.path()).unwrap();
    let mut names: Vec<TableName> = tables.iter().map(|t| t.name()).collect();
    names.sort();
    assert_eq!(names, [TableName::Header, TableName::Episodes]);

    let r = Return::new(Metadata::for_year(Year::Y2025_26), tables, Vec::new());
    let findings = validate(&r, Year::Y2025_26);
    let found = |code: &str| {
        findings
            .iter()
            .filter(|f| f.code == code)
            .collect::<Vec<_>>()
    };

    // Child 2's ethnicity is not a code (rule 103): one finding, on her header row.
    let ethnic = found("103");
    assert_eq!(ethnic.len(), 1);
    assert_eq!((ethnic[0].table, ethnic[0].row_id), (TableName::Header, 1));
    assert_eq!(ethnic[0].child_id.as_deref(), Some("2"));
    assert_eq!(ethnic[0].kind, Kind::Error);
    assert_eq!(ethnic[0].affected_fields, ["ETHNIC"]);
    assert!(ethnic[0].message.contains("ethnicity"));

    // Child 1 is 12 at the start of the year with UPN UN1, not yet of school age (rule 209).
    assert_eq!(found("209").len(), 1);
    // The second episode starts a day after the first ended with X1 (rule 433).
    let gap = found("433");
    assert_eq!((gap.len(), gap[0].row_id), (1, 2));
    // Sex M/F is valid from 2024/25 (rule 101), and both episodes are sound for rule 142.
    assert!(found("101").is_empty() && found("142").is_empty());
    // Findings come in catalogue order, each rule's by table and row.
    let order: Vec<usize> = findings
        .iter()
        .map(|f| {
            returns::ssda903::catalogue::catalogue(Year::Y2025_26)
                .iter()
                .position(|e| e.code == f.code)
                .unwrap()
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn two_files_for_one_table_and_an_unknown_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "header.csv", HEADER);
    write(dir.path(), "header_copy.csv", HEADER);
    let e = read_dir(dir.path()).unwrap_err();
    assert!(
        matches!(
            e,
            ReadError::Duplicate {
                table: TableName::Header,
                ..
            }
        ),
        "{e}"
    );

    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "children.csv", "ID,NAME\n1,A\n");
    let e = read_dir(dir.path()).unwrap_err().to_string();
    assert!(e.contains("children.csv") && e.contains("ID, NAME"), "{e}");
}

/// The placement LA, location and distance come from the postcodes when the ONS facts are given;
/// without them the rules that need them are skipped.
#[test]
fn placement_checks_need_the_postcodes() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "header.csv", HEADER);
    write(dir.path(), "episodes.csv", EPISODES);
    let postcodes = "pcd,laua,cty,oseast1m,osnrth1m\n\
                     AB1 0JD,E06000033,E99999999,400000,300000\n\
                     AB2 0JD,E07000070,E10000012,403219,300000\n";
    let postcodes = returns::ssda903::Postcodes::read(
        std::path::Path::new("postcodes.csv"),
        postcodes.as_bytes(),
    )
    .unwrap();
    let findings = |with: Option<returns::ssda903::Postcodes>| {
        let mut meta = Metadata::for_year(Year::Y2025_26);
        meta.la_code = Some("E06000033".into());
        meta.postcodes = with;
        let r = Return::new(meta, read_dir(dir.path()).unwrap(), Vec::new());
        let eps = r.table(TableName::Episodes).unwrap();
        let derived = (
            eps.col("PL_LA").text(0).map(str::to_owned),
            eps.col("PL_LOCATION").text(0).map(str::to_owned),
            eps.col("PL_DISTANCE").text(0).map(str::to_owned),
        );
        let codes: Vec<&str> = validate(&r, Year::Y2025_26)
            .iter()
            .map(|f| f.code)
            .collect();
        (derived, codes)
    };
    let (derived, codes) = findings(None);
    assert_eq!(derived, (None, None, None));
    assert!(!codes.contains(&"1015") && !codes.contains(&"392c"));
    let (derived, codes) = findings(Some(postcodes));
    // Child 1 is placed in Essex (a county, E10000012), two miles from home, out of the LA.
    assert_eq!(
        derived,
        (
            Some("E10000012".into()),
            Some("OUT".into()),
            Some("2.0".into())
        )
    );
    // Its own provision (PR1) in foster care (U1) is exempt from 1015; child 2's PR4 is not own
    // provision; AB3 0JD is not in the directory (392c).
    assert!(!codes.contains(&"1015"));
    assert!(codes.contains(&"392c"));
}
