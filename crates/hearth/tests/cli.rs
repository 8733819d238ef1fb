//! The `hearth` command as a user runs it: seeding, stats, serving, errors, and surviving a kill.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn hearth() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hearth"));
    cmd.env_remove("HEARTH_DB").env("HEARTH_LOG", "warn");
    cmd
}

fn run(args: &[&str]) -> Output {
    hearth().args(args).output().expect("hearth runs")
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "hearth {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn sqlite(dir: &Path, name: &str) -> String {
    format!("sqlite://{}", dir.join(name).display())
}

/// One year of the default council: enough to exercise every kind of event, quick to make.
const SEED: &[&str] = &["--seed", "42", "--years", "1", "--end", "2025-03-31"];

fn seed(db: &str) {
    let mut args = vec!["seed", "--db", db];
    args.extend_from_slice(SEED);
    ok(&args);
}

fn stats_json(db: &str) -> serde_json::Value {
    serde_json::from_str(&ok(&["stats", "--db", db, "--format", "json"])).expect("stats is JSON")
}

#[test]
fn the_same_seed_twice_gives_identical_stats() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (sqlite(dir.path(), "a.db"), sqlite(dir.path(), "b.db"));
    seed(&a);
    seed(&b);
    let (sa, sb) = (stats_json(&a), stats_json(&b));
    assert_eq!(sa, sb);
    assert!(sa["events"].as_i64().unwrap() > 100_000, "{sa}");
    assert!(sa["records"]["children"].as_i64().unwrap() > 10_000, "{sa}");
    // Seeding again into a database that has a council is refused, and changes nothing.
    let mut args = vec!["seed", "--db", a.as_str()];
    args.extend_from_slice(SEED);
    let out = run(&args);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already holds"));
    assert_eq!(stats_json(&a), sa);
}

/// A fresh PostgreSQL database for this test, dropped afterwards.
struct PgDatabase {
    admin: String,
    name: String,
    url: String,
}

impl PgDatabase {
    fn create(admin: &str) -> PgDatabase {
        let name = format!("hearth_cli_{}_{}", std::process::id(), rand_suffix());
        psql(admin, &format!("CREATE DATABASE {name}"));
        let base = admin.rsplit_once('/').map_or(admin, |(b, _)| b);
        PgDatabase {
            admin: admin.to_string(),
            url: format!("{base}/{name}"),
            name,
        }
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        psql(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
        % 1_000_000_007
}

fn psql(url: &str, sql: &str) {
    let out = Command::new("psql")
        .args([url, "-v", "ON_ERROR_STOP=1", "-qc", sql])
        .output()
        .expect("psql runs");
    assert!(
        out.status.success(),
        "psql {sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn postgres_and_sqlite_seeded_alike_give_identical_stats() {
    let Ok(admin) = std::env::var("HEARTH_TEST_DATABASE_URL") else {
        eprintln!("HEARTH_TEST_DATABASE_URL is not set: PostgreSQL half skipped");
        return;
    };
    let pg = PgDatabase::create(&admin);
    let dir = tempfile::tempdir().unwrap();
    let lite = sqlite(dir.path(), "lite.db");
    seed(&pg.url);
    seed(&lite);
    assert_eq!(stats_json(&pg.url), stats_json(&lite));
}

#[test]
fn acknowledged_appends_survive_sigkill_and_no_pair_is_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "crash.db");
    for round in 0..3 {
        let mut child = hearth()
            .args(["bench", "append", "--ack-log", "--db", &db])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut acked = Vec::new();
        let started = Instant::now();
        let mut line = String::new();
        // Let it append under load for a while, then kill it mid-stride.
        while started.elapsed() < Duration::from_millis(700 + 300 * round) {
            line.clear();
            if stdout.read_line(&mut line).unwrap() == 0 {
                break;
            }
            acked.push(line.trim().to_string());
        }
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let mut rest = String::new();
        stdout.read_to_string(&mut rest).unwrap();
        acked.extend(rest.lines().map(str::to_string));
        assert!(
            acked.len() > 10,
            "too few appends acknowledged: {}",
            acked.len()
        );

        // Every acknowledged pair is there; every stream holds whole pairs only.
        let dump = ok(&["stats", "--db", &db, "--format", "json"]);
        let stats: serde_json::Value = serde_json::from_str(&dump).unwrap();
        let notes = stats["events_by_kind"]["case_note_written"]
            .as_i64()
            .unwrap_or(0);
        let children = stats["events_by_kind"]["child_registered"]
            .as_i64()
            .unwrap_or(0);
        // Each pair is (registered + note) or (note + note): whole pairs mean notes + children is even
        // and every child has an odd number of notes (1, 3, 5, 7 or 9).
        assert_eq!(
            (notes + children) % 2,
            0,
            "a pair was half written: {stats}"
        );
        let last: Vec<&str> = acked.last().unwrap().split_whitespace().collect();
        assert_eq!(last[0], "ack");
        let last_seq: i64 = last[3].parse().unwrap();
        assert!(
            stats["events"].as_i64().unwrap() >= last_seq,
            "acknowledged event {last_seq} lost: {stats}"
        );
        for ack in &acked {
            let parts: Vec<&str> = ack.split_whitespace().collect();
            assert_eq!(parts.len(), 4, "odd ack line {ack}");
        }
    }
}

#[test]
fn bad_urls_missing_files_and_newer_schemas_are_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["stats".into(), "--db".into(), "mysql://x/y".into()],
            "mysql://x/y",
        ),
        (
            vec![
                "stats".into(),
                "--db".into(),
                sqlite(dir.path(), "absent.db"),
            ],
            "absent.db",
        ),
        (
            vec![
                "stats".into(),
                "--db".into(),
                "postgres://someone:hunter2@127.0.0.1:1/nowhere".into(),
            ],
            "127.0.0.1:1",
        ),
    ];
    for (args, names) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&args);
        assert!(!out.status.success(), "{args:?} succeeded");
        let err = String::from_utf8_lossy(&out.stderr);
        let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "{args:?}: not one line: {err}");
        assert!(lines[0].starts_with("error: "), "{err}");
        assert!(
            lines[0].contains(names),
            "{args:?}: {err} does not name {names}"
        );
        assert!(!err.contains("hunter2"), "a password was printed: {err}");
    }
    assert!(
        !dir.path().join("absent.db").exists(),
        "stats created a database"
    );

    // Nonsense sizes and dates are refused before anything is written.
    let db = sqlite(dir.path(), "sizes.db");
    for (flag, value) in [("--years", "0"), ("--scale", "0"), ("--end", "31/03/2025")] {
        let out = run(&["seed", "--db", &db, flag, value]);
        assert!(!out.status.success(), "{flag} {value} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(flag) && err.contains(value), "{err}");
        assert!(!dir.path().join("sizes.db").exists());
    }

    // A database written by a newer Hearth is refused, not misread.
    let db = sqlite(dir.path(), "newer.db");
    ok(&["bench", "append", "--db", &db, "--count", "1"]);
    let path = dir.path().join("newer.db");
    let out = Command::new("sqlite3")
        .arg(&path)
        .arg("UPDATE hearth_schema SET version = version + 100")
        .output()
        .expect("the sqlite3 command (Debian package sqlite3) runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["stats", "--db", &db]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("newer") && err.contains("newer.db"), "{err}");
}

#[test]
fn serve_answers_health_and_sends_a_stranger_to_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "serve.db");
    ok(&["bench", "append", "--db", &db, "--count", "20"]);
    let mut server = hearth()
        .args(["serve", "--db", &db, "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(server.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    let get = |path: &str| {
        let mut s = TcpStream::connect(&addr).unwrap();
        write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
        let mut response = String::new();
        s.read_to_string(&mut response).unwrap();
        response
    };
    let health = get("/health");
    assert!(health.starts_with("HTTP/1.0 200"), "{health}");
    assert!(health.contains("\"status\":\"ok\""), "{health}");
    assert!(health.contains("\"events_applied\":20"), "{health}");
    // Every page needs someone signed in.
    let home = get("/");
    assert!(home.starts_with("HTTP/1.0 303"), "{home}");
    assert!(home.contains("location: /sign-in?next=/"), "{home}");
    let sign_in = get("/sign-in");
    assert!(sign_in.starts_with("HTTP/1.0 200"), "{sign_in}");
    assert!(sign_in.contains("<html lang=\"en-GB\""), "{sign_in}");
    let missing = get("/no-such-page");
    assert!(missing.starts_with("HTTP/1.0 404"), "{missing}");
    server.kill().unwrap();
    server.wait().unwrap();
}

fn kpi_json(db: &str, extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["kpi", "--db", db, "--format", "json"];
    args.extend_from_slice(extra);
    let v: serde_json::Value = serde_json::from_str(&ok(&args)).expect("kpi prints JSON");
    v.as_array().expect("a list of measures").clone()
}

#[test]
fn kpi_gives_every_measure_of_the_plan_with_targets_benchmarks_and_children() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "kpi.db");
    seed(&db);
    let on = ["--period", "2025-02", "--as-known-on", "2025-03-31"];
    let rows = kpi_json(&db, &on);
    let with_values = rows.iter().filter(|r| !r["value"].is_null()).count();
    assert!(with_values >= 50, "{with_values} measures have values");
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    // The seed plan's measures.
    for id in [
        "FD-01", "FD-06", "FD-03", "AS-01a", "CP-07", "CP-06a", "CP-06b", "CLA-07", "LEG-01a",
        "LEG-02", "LEG-03", "QA-01", "QA-03", "QA-02a", "QA-02b", "QA-04a", "QA-04b", "QA-04c",
        "WF-01", "WF-03b", "CL-01b", "YP-01", "MIS-02a", "MIS-02b", "EX-01", "TR-01", "PM-01",
        "QA-07",
    ] {
        assert!(ids.contains(&id), "{id} is missing");
    }
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
    // The plan's target for contacts, with its trajectory and a rating.
    let fd01 = row("FD-01");
    assert_eq!(fd01["target"], 95.0, "{fd01}");
    assert!(fd01["trajectory"].is_number(), "{fd01}");
    assert!(
        ["red", "amber", "green"].contains(&fd01["rag"].as_str().unwrap()),
        "{fd01}"
    );
    // Contextual measures are never rated.
    assert!(row("FD-02")["rag"].is_null());
    // The demo council is benchmarked as LA 332: its published 2024/25 figures and England's.
    let b = &row("AS-01")["benchmarks"];
    assert_eq!(b["year"], 2025, "{b}");
    assert_eq!(b["council"], 77.3, "{b}");
    assert_eq!(b["neighbours_mean"], 88.5, "{b}");
    assert_eq!(b["region"], 82.4, "{b}");
    assert_eq!(b["england"], 85.7, "{b}");

    // The children behind a figure add up to it.
    let drilled = kpi_json(
        &db,
        &[&on[..], &["--measure", "AS-01", "--children"]].concat(),
    );
    let items = drilled[0]["children"]["items"].as_array().unwrap();
    let met = items
        .iter()
        .filter(|i| i["num"].as_f64() == Some(1.0))
        .count();
    assert_eq!(met as f64, drilled[0]["numerator"].as_f64().unwrap());
    assert_eq!(
        items.len() as f64,
        drilled[0]["denominator"].as_f64().unwrap()
    );
    assert!(
        items.iter().all(|i| i["subject"]["child"].is_number()),
        "{}",
        items[0]
    );

    // As known on the last day of February, contacts from the 28th still have their clock
    // running and are left out; a month later they are counted.
    let then = kpi_json(
        &db,
        &[
            "--period",
            "2025-02",
            "--as-known-on",
            "2025-02-28",
            "--measure",
            "FD-01",
        ],
    );
    let now = kpi_json(&db, &[&on[..], &["--measure", "FD-01"]].concat());
    assert!(then[0]["left_out"].as_u64().unwrap() > 0, "{}", then[0]);
    assert!(then[0]["denominator"].as_f64() < now[0]["denominator"].as_f64());

    // A team's figures, a CSV download, the catalogue, a breakdown.
    let team = kpi_json(
        &db,
        &[&on[..], &["--scope", "team:1", "--measure", "QA-01"]].concat(),
    );
    assert_eq!(team[0]["scope"], "team:1");
    let csv = ok(&[
        "kpi",
        "--db",
        &db,
        "--period",
        "2025-02",
        "--format",
        "csv",
        "--measure",
        "FD-01",
    ]);
    assert!(csv.starts_with("id,name,period,scope,value"), "{csv}");
    assert_eq!(csv.lines().count(), 2, "{csv}");
    let list = ok(&["kpi", "--list", "--format", "csv"]);
    assert!(list.lines().count() > 60);
    let by_age = ok(&[
        "kpi",
        "--db",
        &db,
        "--period",
        "2025-02",
        "--measure",
        "CP-01n",
        "--breakdown",
        "age",
    ]);
    assert!(by_age.contains("10 to 15"), "{by_age}");
    let by_sex = ok(&[
        "kpi",
        "--db",
        &db,
        "--period",
        "2025-02",
        "--measure",
        "FD-01",
        "--breakdown",
        "sex",
        "--format",
        "csv",
    ]);
    assert!(
        by_sex.starts_with("id,name,period,scope,group,numerator"),
        "{by_sex}"
    );
    assert!(by_sex.contains(",Female,"), "{by_sex}");

    // Targets from a file take the place of those recorded; a bad file names its row and field.
    let plan = dir.path().join("plan.csv");
    std::fs::write(
        &plan,
        "measure,baseline_month,baseline,target,tolerance,trajectory\n\
         AS-01,2024-11,70,90,5,2025-01:80;2025-02:85\n",
    )
    .unwrap();
    let plan_arg = plan.display().to_string();
    let with_plan = kpi_json(
        &db,
        &[&on[..], &["--measure", "AS-01", "--targets", &plan_arg]].concat(),
    );
    assert_eq!(with_plan[0]["target"], 90.0);
    assert_eq!(with_plan[0]["trajectory"], 85.0);
    std::fs::write(
        &plan,
        "measure,baseline_month,baseline,target,tolerance,trajectory\nAS-01,2024-11,,ninety,5,\n",
    )
    .unwrap();
    let out = run(&["kpi", "--db", &db, "--targets", &plan_arg]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("row 2, field `target`: `ninety` is not a number"),
        "{err}"
    );

    // Worklists: a team's clocks as CSV and JSON.
    let csv = ok(&[
        "worklist",
        "--db",
        &db,
        "--team",
        "3",
        "--on",
        "2025-03-31",
        "--format",
        "csv",
    ]);
    assert!(
        csv.starts_with("status,due,working_days_left,clock,child"),
        "{csv}"
    );
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "worklist",
        "--db",
        &db,
        "--on",
        "2025-03-31",
        "--all",
        "--format",
        "json",
    ]))
    .unwrap();
    let clocks = json.as_array().unwrap();
    assert!(
        clocks.iter().any(|c| c["kind"] == "assessment"),
        "no assessment clocks"
    );
    assert!(clocks.iter().any(|c| c["status"] == "overdue"));

    // Mistakes are one-line errors that say what would work.
    for (args, says) in [
        (vec!["--period", "2025-13"], "2024-Q1"),
        (vec!["--measure", "XX-1"], "there is no measure `XX-1`"),
        (vec!["--scope", "team:999"], "there is no team 999"),
        (vec!["--scope", "dept:1"], "is not a scope"),
        (vec!["--breakdown", "shoe_size"], "not a breakdown"),
        (vec!["--period", "2099-01"], "2099-01 has not begun"),
        (
            vec!["--as-known-on", "2000-01-01"],
            "nothing had been recorded by the end of 2000-01-01",
        ),
    ] {
        let mut all = vec!["kpi", "--db", db.as_str()];
        all.extend(args);
        let out = run(&all);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{all:?}");
        // The whole message on its first line (the argument parser adds a hint to try --help).
        assert!(err.lines().next().unwrap().contains(says), "{all:?}: {err}");
    }
}

#[test]
fn a_cin_census_is_validated_in_the_public_validators_issue_format() {
    let xml = Path::new(env!("CARGO_MANIFEST_DIR")).join("../returns/tests/data/fake_CIN_data.xml");
    let xml = xml.to_str().unwrap();
    let table = ok(&["validate", "cin", "--year", "2025/26", xml]);
    assert!(table.contains("errors and"), "{table}");
    let csv = ok(&[
        "validate", "cin", "--year", "2025/26", xml, "--format", "csv",
    ]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("rule_code,tables_affected,row_id,child_id,columns_affected")
    );
    assert!(
        lines.any(|l| l.starts_with("1510,ChildIdentifiers,0,")),
        "{csv}"
    );
    let json: serde_json::Value = serde_json::from_str(&ok(&[
        "validate", "cin", "--year", "2025/26", xml, "--format", "json",
    ]))
    .unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "1510" && f["kind"] == "error")
    );
    // A year before the first published rule set uses the earliest, and says so.
    let older = run(&["validate", "cin", "--year", "2019/20", xml]);
    assert!(older.status.success());
    assert!(String::from_utf8_lossy(&older.stderr).contains("using 2022/23"));
}

#[test]
fn an_ssda903_return_is_read_from_its_files_and_a_bad_folder_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("header.csv"),
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n101,1,01/02/2012,WBRI,UN1,,\n102,2,03/04/2015,XXXX,UN1,,\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let csv = ok(&[
        "validate", "ssda903", "--year", "2024/25", d, "--format", "csv",
    ]);
    // Rule 103: an ethnicity that is not a DfE code, on the second data row.
    assert!(
        csv.lines()
            .any(|l| l.starts_with("103,Header,1,102,ETHNIC")),
        "{csv}"
    );
    assert!(
        !csv.lines().any(|l| l.starts_with("103,Header,0,")),
        "{csv}"
    );
    // A file Hearth cannot place is named, with its columns.
    std::fs::write(dir.path().join("notes.csv"), "WHO,WHAT\nme,this\n").unwrap();
    let bad = run(&["validate", "ssda903", "--year", "2024/25", d]);
    assert!(!bad.status.success());
    let said = String::from_utf8_lossy(&bad.stderr);
    assert!(said.contains("notes.csv"), "{said}");
}

/// The files of a folder, by name, as text.
fn folder(dir: &Path) -> std::collections::BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn returns_are_exported_imported_and_checked_from_the_records() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "council.db");
    seed(&db);
    let (first, again) = (dir.path().join("903"), dir.path().join("903-again"));
    let (cin, annex) = (dir.path().join("cin.xml"), dir.path().join("annex-a.xlsx"));
    let said = ok(&[
        "export",
        "--db",
        &db,
        "--year",
        "2024/25",
        "--ssda903",
        first.to_str().unwrap(),
        "--cin",
        cin.to_str().unwrap(),
        "--annex-a",
        annex.to_str().unwrap(),
    ]);
    assert!(said.contains("episodes.csv"), "{said}");
    assert!(said.contains("list 11"), "{said}");
    assert!(std::fs::read(&annex).unwrap().starts_with(b"PK"));
    assert!(std::fs::read_to_string(&cin).unwrap().contains("<Message"));
    // Every child written out is in the access log first, with the export that read them.
    let exported = |reason: &str| {
        let db = db.clone();
        let reason = reason.to_owned();
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(async move {
                let s = store::Store::open(&db, store::OpenMode::MustExist)
                    .await
                    .unwrap();
                s.access_log_reasoned(&reason, 1_000_000)
                    .await
                    .unwrap()
                    .len()
            })
    };
    let header = std::fs::read_to_string(first.join("header.csv")).unwrap();
    assert_eq!(
        exported("export: SSDA903 2024/25"),
        header.lines().count() - 1
    );
    assert!(exported("export: CIN census 2024/25") > 0);
    assert!(exported("export: Annex A") > 0);

    // `hearth export|import --db DB --WHAT PATH [--year 2024/25]`.
    let exchange = |verb: &str, db: &str, what: &str, path: &Path| {
        let mut args = vec![verb, "--db", db, what, path.to_str().unwrap()];
        if verb == "export" {
            args.extend(["--year", "2024/25"]);
        }
        run(&args)
    };
    let succeeds = |out: Output| {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };

    // Into an empty council, and out again the same.
    let fresh = sqlite(dir.path(), "fresh.db");
    let imported = succeeds(exchange("import", &fresh, "--ssda903", &first));
    assert!(imported.contains("Imported"), "{imported}");
    succeeds(exchange("export", &fresh, "--ssda903", &again));
    assert_eq!(folder(&first), folder(&again));
    // The same children a second time are refused, and nothing is added.
    let before = stats_json(&fresh)["events"].clone();
    let twice = exchange("import", &fresh, "--ssda903", &first);
    assert!(!twice.status.success());
    let err = String::from_utf8_lossy(&twice.stderr);
    assert!(
        err.contains("already in Hearth") && err.contains("nothing was imported"),
        "{err}"
    );
    assert_eq!(stats_json(&fresh)["events"], before);

    // The census into the same council: children looked after take their children-in-need
    // history beside their care, and both returns come out as they went in.
    let imported = succeeds(exchange("import", &fresh, "--cin", &cin));
    assert!(imported.contains("referral_received"), "{imported}");
    let cin_again = dir.path().join("cin-again.xml");
    succeeds(exchange("export", &fresh, "--cin", &cin_again));
    // The header says when the file was made (the records' last recording time) and the
    // council's code, which a database holding only imported children does not have.
    let body = |path: &Path| -> Vec<String> {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .filter(|l| !l.contains("<DateTime>") && !l.contains("<LEA>"))
            .map(str::to_owned)
            .collect()
    };
    let (a, b) = (body(&cin), body(&cin_again));
    for (i, (x, y)) in a.iter().zip(&b).enumerate() {
        assert_eq!(x, y, "line {} of the census differs", i + 1);
    }
    assert_eq!(a.len(), b.len());
    let again2 = dir.path().join("903-again-2");
    succeeds(exchange("export", &fresh, "--ssda903", &again2));
    assert_eq!(folder(&first), folder(&again2));
    let twice = exchange("import", &fresh, "--cin", &cin);
    assert!(!twice.status.success());

    // A broken return is named by file, row and field, and nothing of it is taken.
    let bad = dir.path().join("bad");
    std::fs::create_dir(&bad).unwrap();
    std::fs::write(
        bad.join("header.csv"),
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nB1,M,01/02/2012,WBRI,,,\nB2,M,40/02/2012,WBRI,,,\n",
    )
    .unwrap();
    std::fs::write(
        bad.join("episodes.csv"),
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
         B1,01/05/2024,S,C2,N1,U1,PR1,,,,,,\nB2,01/05/2024,S,C2,N1,U1,PR1,,,,,,\n",
    )
    .unwrap();
    let empty = sqlite(dir.path(), "empty.db");
    let refused = run(&["import", "--db", &empty, "--ssda903", bad.to_str().unwrap()]);
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("header.csv, row 1, DOB"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");

    // The rules on the live records, by rule, team and worker; every issue as CSV.
    let summary = ok(&["dq", "--db", &db, "--on", "2025-03-31"]);
    assert!(summary.contains("Data quality for 2024/25"), "{summary}");
    assert!(summary.contains("By team:"), "{summary}");
    let csv = ok(&["dq", "--db", &db, "--on", "2025-03-31", "--format", "csv"]);
    assert!(
        csv.starts_with("return,rule,kind,child,hearth_child,worker,team,"),
        "{csv}"
    );
}

/// Where pdftotext is, if installed (Debian's poppler-utils): CI installs it, and a machine
/// without it says so unless HEARTH_REQUIRE_BROWSER asks for every tool.
fn pdftotext() -> Option<&'static str> {
    let found = Command::new("pdftotext").arg("-v").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("HEARTH_REQUIRE_BROWSER").is_none(),
            "pdftotext is not installed: apt-get install poppler-utils"
        );
        eprintln!("pdftotext is not installed: the PDF's text is not checked here");
    }
    found.then_some("pdftotext")
}

#[test]
fn the_board_pack_and_the_report_to_scrutiny_are_written_as_html_and_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "plan.db");
    seed(&db);
    let html = dir.path().join("pack.html");
    let out = run(&[
        "report",
        "board",
        "--db",
        &db,
        "--out",
        html.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("Wrote the Improvement Board pack for 31 March 2025"),
        "{said}"
    );
    let pack = std::fs::read_to_string(&html).unwrap();
    // It stands alone: its styles inside it, no menu, no sign-out.
    assert!(pack.contains("<style>") && !pack.contains("/sign-out"));
    assert!(pack.contains("Improvement Board: progress pack"));
    assert!(
        pack.contains("Figures for February 2025"),
        "the last whole month"
    );
    for n in 1..=9 {
        assert!(
            pack.contains(&format!("id=\"priority-{n}\"")),
            "priority {n}"
        );
    }
    // Exceptions first: the summary lists red before amber before green.
    let summary = &pack[pack.find("<h2 class=\"govuk-heading-l\">Summary").unwrap()..];
    let summary = &summary[..summary.find("Exceptions").unwrap()];
    let order: Vec<usize> = ["Red", "Amber", "Green"]
        .iter()
        .filter_map(|w| summary.find(&format!("\">{w}</strong>")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // An earlier day's pack reads the plan as it stood then.
    let earlier = dir.path().join("earlier.html");
    ok(&[
        "report",
        "board",
        "--db",
        &db,
        "--date",
        "2024-12-20",
        "--out",
        earlier.to_str().unwrap(),
    ]);
    let earlier = std::fs::read_to_string(&earlier).unwrap();
    assert!(earlier.contains("Figures for November 2024"));
    assert_ne!(earlier, pack);

    let scrutiny = dir.path().join("scrutiny.html");
    ok(&[
        "report",
        "scrutiny",
        "--db",
        &db,
        "--out",
        scrutiny.to_str().unwrap(),
    ]);
    let scrutiny = std::fs::read_to_string(&scrutiny).unwrap();
    for part in [
        "1. Purpose",
        "2. Recommendations",
        "4. Progress by priority",
        "5. Finance",
        "6. Human resources",
        "7. Equality impact",
        "medium-term financial strategy",
    ] {
        assert!(scrutiny.contains(part), "the report lacks {part}");
    }

    // A file named neither .html nor .pdf is refused before anything is read.
    let out = run(&["report", "board", "--db", &db, "--out", "pack.txt"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("name a .html or a .pdf file"));
    // Without Chromium, a PDF is refused with what to do.
    let pdf = dir.path().join("pack.pdf");
    let out = hearth()
        .args(["report", "board", "--db", &db, "--out"])
        .arg(&pdf)
        .env("HEARTH_CHROMIUM", dir.path().join("no-such-browser"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("making a PDF needs Chromium"), "{said}");
    assert!(said.contains("apt-get install chromium"), "{said}");
    assert!(!pdf.exists());

    // With Chromium, the PDF opens and holds the pack's words.
    if web::pdf::chromium().is_err() {
        assert!(
            std::env::var_os("HEARTH_REQUIRE_BROWSER").is_none(),
            "chromium is not installed: apt-get install chromium"
        );
        eprintln!("chromium is not installed: the PDF is not made here");
        return;
    }
    ok(&[
        "report",
        "board",
        "--db",
        &db,
        "--out",
        pdf.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let Some(tool) = pdftotext() else { return };
    let text = Command::new(tool).arg(&pdf).arg("-").output().unwrap();
    assert!(text.status.success(), "pdftotext could not open the PDF");
    let text = String::from_utf8_lossy(&text.stdout);
    for words in [
        "Improvement Board: progress pack",
        "Overdue actions",
        "Priority 1:",
        "Priority 9:",
    ] {
        assert!(text.contains(words), "the PDF's text lacks {words}");
    }
    // Each priority starts a page of its own.
    let pages = text.matches('\u{c}').count();
    assert!(pages >= 10, "{pages} pages");
}

#[test]
fn the_standard_safeguarding_dataset_is_written_from_the_records() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite(dir.path(), "ssd.db");
    seed(&db);
    let out = dir.path().join("ssd");
    let said = ok(&["export", "--db", &db, "--ssd", out.to_str().unwrap()]);
    assert!(
        said.starts_with("Standard Safeguarding Dataset written to"),
        "{said}"
    );
    let person = std::fs::read_to_string(out.join("ssd_person.csv")).unwrap();
    assert!(person.starts_with("pers_person_id,pers_forename,pers_surname,"));
    assert!(person.lines().count() > 1_000);
    for table in [
        "ssd_contacts",
        "ssd_cin_episodes",
        "ssd_involvements",
        "ssd_professionals",
    ] {
        assert!(out.join(format!("{table}.csv")).exists(), "{table}");
    }
    // Saying nothing to export is a message naming every choice.
    let nothing = run(&["export", "--db", &db]);
    assert!(!nothing.status.success());
    assert!(String::from_utf8_lossy(&nothing.stderr).contains("--ssd DIR"));

    // Into an empty council: checked first with --dry-run, then taken whole.
    let fresh = sqlite(dir.path(), "fresh.db");
    let dry = ok(&[
        "import",
        "--db",
        &fresh,
        "--ssd",
        out.to_str().unwrap(),
        "--dry-run",
    ]);
    assert!(dry.starts_with("Checked: "), "{dry}");
    let said = ok(&["import", "--db", &fresh, "--ssd", out.to_str().unwrap()]);
    assert!(said.starts_with("Imported "), "{said}");
    // Every table Hearth writes, it takes.
    assert!(
        said.contains("ssd_cp_plans:") && !said.contains("does not yet take"),
        "{said}"
    );
    let (was, now) = (stats_json(&db), stats_json(&fresh));
    assert_eq!(was["records"]["children"], now["records"]["children"]);
    // What the extract does not carry is not available, never a zero; what it carries counts.
    let kpi = ok(&[
        "kpi",
        "--db",
        &fresh,
        "--measure",
        "QA-01",
        "--measure",
        "FD-01",
        "--format",
        "csv",
    ]);
    let lines: Vec<&str> = kpi.lines().collect();
    assert!(
        lines[1].starts_with("QA-01,") || lines[2].starts_with("QA-01,"),
        "{kpi}"
    );
    let qa = lines.iter().find(|l| l.starts_with("QA-01,")).unwrap();
    assert!(qa.contains("not available from this source"), "{qa}");
    let fd = lines.iter().find(|l| l.starts_with("FD-01,")).unwrap();
    assert!(
        !fd.contains("not available"),
        "Hearth's own export carries decisions: {fd}"
    );
    // The same extract again, as tomorrow's unchanged: nothing is written.
    let again = ok(&["import", "--db", &fresh, "--ssd", out.to_str().unwrap()]);
    assert!(
        again.starts_with("Nothing has changed since the last extract"),
        "{again}"
    );
    assert!(
        again.contains("ssd_contacts:") && again.contains(" 0 new, "),
        "{again}"
    );
    assert_eq!(stats_json(&fresh)["events"], now["events"]);
    // A broken extract is refused whole, each fault by file, row and field, and nothing is
    // written.
    let events = now["events"].clone();
    let contacts = out.join("ssd_contacts.csv");
    let mut text = std::fs::read_to_string(&contacts).unwrap();
    text.push_str("X-1,NOBODY,2024-02-30,1A,,\n");
    std::fs::write(&contacts, text).unwrap();
    let refused = run(&["import", "--db", &fresh, "--ssd", out.to_str().unwrap()]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("cont_contact_date: `2024-02-30` is not a date"),
        "{said}"
    );
    assert!(
        said.contains("cont_person_id: `NOBODY` is in no row of ssd_person.csv"),
        "{said}"
    );
    assert!(said.contains("nothing was imported"), "{said}");
    assert_eq!(stats_json(&fresh)["events"], events);
}
