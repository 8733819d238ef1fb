//! The store's contract, run on both databases: every test runs on a new SQLite file and, when
//! `HEARTH_TEST_DATABASE_URL` names a PostgreSQL server (as CI's does), on a new database there.

use chrono::{DateTime, TimeZone, Utc};
use domain::codes::{CaseNoteKind, Code, Sex};
use domain::events::{CaseNoteWritten, ChildDetails, ChildRegistered};
use domain::{EventBody, RecordId};
use sqlx::Connection;
use store::{
    AccessEntry, BulkEvent, ExpectedVersion, LoadError, NewEvent, OpenMode, SCHEMA_VERSION, Store,
    StoreError,
};

/// A new, empty database for one test, removed afterwards.
struct TestDb {
    url: String,
    /// For PostgreSQL: the server's own database URL and the name of the one made for the test.
    postgres: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("contract.db").display());
        TestDb {
            url,
            postgres: None,
            _dir: Some(dir),
        }
    }

    async fn postgres(test: &str) -> Option<TestDb> {
        let Ok(server) = std::env::var("HEARTH_TEST_DATABASE_URL") else {
            eprintln!("HEARTH_TEST_DATABASE_URL is not set: {test} runs on SQLite only");
            return None;
        };
        let name = format!("hearth_contract_{test}_{}", std::process::id());
        let mut admin = sqlx::PgConnection::connect(&server).await.unwrap();
        sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        let (base, _) = server.rsplit_once('/').expect("a URL ending in /DATABASE");
        Some(TestDb {
            url: format!("{base}/{name}"),
            postgres: Some((server, name)),
            _dir: None,
        })
    }

    async fn open(&self) -> Store {
        Store::open(&self.url, OpenMode::CreateIfMissing)
            .await
            .unwrap()
    }

    async fn drop_database(&self) {
        if let Some((server, name)) = &self.postgres {
            let mut admin = sqlx::PgConnection::connect(server).await.unwrap();
            sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin)
                .await
                .unwrap();
        }
    }
}

/// Declares a contract test: `name::sqlite` and `name::postgres`.
macro_rules! contract {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = super::TestDb::sqlite();
                super::$body(&db).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(db) = super::TestDb::postgres(stringify!($name)).await {
                    super::$body(&db).await;
                    db.drop_database().await;
                }
            }
        }
    };
}

fn at(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000 + secs, 0).unwrap()
}

fn note(kind: &str, body: &str) -> NewEvent {
    NewEvent {
        kind: kind.into(),
        body: body.into(),
        actor: "tester".into(),
        recorded_at: None,
    }
}

contract!(
    appends_are_numbered_and_read_back,
    appends_are_numbered_and_read_back
);
async fn appends_are_numbered_and_read_back(db: &TestDb) {
    let store = db.open().await;
    assert_eq!(store.last_seq().await.unwrap(), 0);
    assert_eq!(store.stream_version("child/1").await.unwrap(), 0);
    let first = store
        .append(
            "child/1",
            ExpectedVersion::NoStream,
            &[note("a", "{}"), note("b", "{\"x\":1}")],
        )
        .await
        .unwrap();
    assert_eq!(first.version, 2);
    assert_eq!(first.last_seq, first.first_seq + 1);
    let second = store
        .append("child/2", ExpectedVersion::NoStream, &[note("c", "{}")])
        .await
        .unwrap();
    assert!(second.first_seq > first.last_seq);
    let third = store
        .append("child/1", ExpectedVersion::Exact(2), &[note("d", "{}")])
        .await
        .unwrap();
    assert_eq!(third.version, 3);

    let stream = store.read_stream("child/1").await.unwrap();
    let kinds: Vec<_> = stream
        .iter()
        .map(|e| (e.version, e.kind.as_str()))
        .collect();
    assert_eq!(kinds, [(1, "a"), (2, "b"), (3, "d")]);
    assert_eq!(stream[1].body, "{\"x\":1}");
    assert_eq!(stream[0].actor, "tester");
    assert_eq!(store.stream_version("child/1").await.unwrap(), 3);
    assert_eq!(store.last_seq().await.unwrap(), third.last_seq);

    let after = store.read_after(first.last_seq, 10).await.unwrap();
    let seqs: Vec<_> = after.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [second.first_seq, third.first_seq]);
    assert_eq!(store.read_after(0, 2).await.unwrap().len(), 2);
}

contract!(
    a_stale_version_is_a_conflict_and_writes_nothing,
    stale_version
);
async fn stale_version(db: &TestDb) {
    let store = db.open().await;
    store
        .append(
            "child/7",
            ExpectedVersion::NoStream,
            &[note("a", "{}"), note("b", "{}")],
        )
        .await
        .unwrap();
    let err = store
        .append("child/7", ExpectedVersion::Exact(1), &[note("c", "{}")])
        .await
        .unwrap_err();
    match &err {
        StoreError::Conflict {
            stream,
            expected,
            actual,
        } => {
            assert_eq!(stream, "child/7");
            assert_eq!(*expected, ExpectedVersion::Exact(1));
            assert_eq!(*actual, 2);
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(
        err.to_string()
            .contains("child/7 was changed by someone else"),
        "{err}"
    );
    let err = store
        .append("child/7", ExpectedVersion::NoStream, &[note("c", "{}")])
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { actual: 2, .. }),
        "{err:?}"
    );
    assert_eq!(store.stream_version("child/7").await.unwrap(), 2);
    assert_eq!(store.read_stream("child/7").await.unwrap().len(), 2);
    // Any appends whatever the version.
    let done = store
        .append("child/7", ExpectedVersion::Any, &[note("c", "{}")])
        .await
        .unwrap();
    assert_eq!(done.version, 3);
}

contract!(
    of_two_saves_expecting_one_version_only_one_lands,
    racing_saves
);
async fn racing_saves(db: &TestDb) {
    let store = db.open().await;
    store
        .append("child/9", ExpectedVersion::NoStream, &[note("a", "{}")])
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .append(
                    "child/9",
                    ExpectedVersion::Exact(1),
                    &[note("edit", &format!("{{\"by\":{i}}}"))],
                )
                .await
        }));
    }
    let mut landed = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(done) => {
                assert_eq!(done.version, 2);
                landed += 1;
            }
            Err(StoreError::Conflict { .. }) => {}
            Err(other) => panic!("a racing save failed other than by conflict: {other}"),
        }
    }
    assert_eq!(landed, 1);
    assert_eq!(store.read_stream("child/9").await.unwrap().len(), 2);
}

contract!(
    many_saves_at_once_to_many_streams_all_land_in_order,
    saves_at_once
);
async fn saves_at_once(db: &TestDb) {
    let store = db.open().await;
    let mut tasks = Vec::new();
    for t in 0..40 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let stream = format!("child/{}", 100 + t);
            let mut seqs = Vec::new();
            let mut version = 0;
            for _ in 0..10 {
                let expected = if version == 0 {
                    ExpectedVersion::NoStream
                } else {
                    ExpectedVersion::Exact(version)
                };
                let done = store
                    .append(&stream, expected, &[note("n", "{}"), note("m", "{}")])
                    .await
                    .unwrap();
                assert_eq!(done.version, version + 2, "{stream}");
                assert_eq!(done.last_seq, done.first_seq + 1);
                seqs.push(done.first_seq);
                // The next save names the version this one made.
                version = done.version;
            }
            seqs
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 400, "every save got its own place in the log");
    for t in 0..40 {
        let events = store
            .read_stream(&format!("child/{}", 100 + t))
            .await
            .unwrap();
        let versions: Vec<i64> = events.iter().map(|e| e.version).collect();
        assert_eq!(versions, (1..=20).collect::<Vec<_>>());
    }
}

fn bulk(stream: &str, version: i64, kind: &str, secs: i64) -> BulkEvent {
    BulkEvent {
        stream: stream.into(),
        version,
        kind: kind.into(),
        body: format!("{{\"v\":{version}}}"),
        actor: "seed".into(),
        recorded_at: at(secs),
    }
}

contract!(
    bulk_loads_replay_in_order_and_as_known_on_a_date,
    bulk_and_replay
);
async fn bulk_and_replay(db: &TestDb) {
    let store = db.open().await;
    // More than one INSERT's worth of rows in one load.
    let mut events = Vec::new();
    for i in 0..2_500 {
        events.push(bulk(&format!("child/{}", i / 5), i % 5 + 1, "k", i));
    }
    store.append_bulk(&events).await.unwrap();
    let mut seen = Vec::new();
    let last = store
        .replay(0, None, |e| {
            seen.push((e.stream.clone(), e.version, e.recorded_at));
            Ok::<(), StoreError>(())
        })
        .await
        .unwrap();
    assert_eq!(seen.len(), 2_500);
    assert_eq!(last, store.last_seq().await.unwrap());
    for (i, (stream, version, recorded)) in seen.iter().enumerate() {
        let i = i as i64;
        assert_eq!(stream, &format!("child/{}", i / 5));
        assert_eq!(*version, i % 5 + 1);
        assert_eq!(*recorded, at(i));
    }
    // What was known at a moment: only what had been recorded by then.
    let mut known = 0;
    store
        .replay(0, Some(at(999)), |_| {
            known += 1;
            Ok::<(), StoreError>(())
        })
        .await
        .unwrap();
    assert_eq!(known, 1_000);
    // From part way: only what follows.
    let mut rest = 0;
    store
        .replay(last - 10, None, |_| {
            rest += 1;
            Ok::<(), StoreError>(())
        })
        .await
        .unwrap();
    assert_eq!(rest, 10);

    assert_eq!(
        store.counts_by_kind().await.unwrap(),
        [("k".to_string(), 2_500)]
    );
    assert_eq!(store.count_streams("child/").await.unwrap(), 500);
    assert_eq!(store.count_streams("worker/").await.unwrap(), 0);

    // A bulk load that would overwrite a version fails whole, leaving the log as it was.
    let clash = [bulk("child/900", 1, "k", 0), bulk("child/0", 5, "k", 0)];
    assert!(store.append_bulk(&clash).await.is_err());
    assert_eq!(store.last_seq().await.unwrap(), last);
    assert_eq!(store.stream_version("child/900").await.unwrap(), 0);
}

contract!(recorded_times_keep_their_microseconds, recorded_times);
async fn recorded_times(db: &TestDb) {
    let store = db.open().await;
    let when = Utc.timestamp_opt(1_750_000_000, 123_456_000).unwrap();
    store
        .append(
            "child/3",
            ExpectedVersion::NoStream,
            &[NewEvent {
                recorded_at: Some(when),
                ..note("a", "{}")
            }],
        )
        .await
        .unwrap();
    let back = store.read_stream("child/3").await.unwrap();
    assert_eq!(back[0].recorded_at, when);
}

contract!(every_read_is_in_the_access_log, access_log);
async fn access_log(db: &TestDb) {
    let store = db.open().await;
    for (actor, record) in [("asmith", None), ("bjones", Some("assessment 2"))] {
        store
            .log_access(&AccessEntry {
                actor: actor.into(),
                stream: "child/5".into(),
                record: record.map(str::to_string),
                reason: "child record page".into(),
            })
            .await
            .unwrap();
    }
    let log = store.access_log_for("child/5").await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].actor, "asmith");
    assert_eq!(log[1].record.as_deref(), Some("assessment 2"));
    assert!(log[0].at <= log[1].at);
    assert!((Utc::now() - log[1].at).num_seconds().abs() < 60);
    assert!(store.access_log_for("child/6").await.unwrap().is_empty());
    // Many views at once: each returns once its own line is written, and none is lost.
    let views: Vec<_> = (0..60)
        .map(|k| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .log_access(&AccessEntry {
                        actor: format!("user{k}"),
                        stream: "child/7".into(),
                        record: None,
                        reason: "child record page".into(),
                    })
                    .await
                    .unwrap();
                // Written before the call returned.
                let log = store.access_log_for("child/7").await.unwrap();
                assert!(log.iter().any(|l| l.actor == format!("user{k}")));
            })
        })
        .collect();
    for v in views {
        v.await.unwrap();
    }
    let log = store.access_log_for("child/7").await.unwrap();
    assert_eq!(log.len(), 60);
    // The latest few, newest first, with the count of all.
    let (latest, total) = store.access_log_latest("child/7", 5).await.unwrap();
    assert_eq!(total, 60);
    let newest: Vec<i64> = log.iter().rev().take(5).map(|l| l.id).collect();
    assert_eq!(latest.iter().map(|l| l.id).collect::<Vec<_>>(), newest);
    let (none, zero) = store.access_log_latest("child/6", 5).await.unwrap();
    assert!(none.is_empty() && zero == 0);
    let mut who: Vec<_> = log.iter().map(|l| l.actor.clone()).collect();
    who.sort();
    who.dedup();
    assert_eq!(who.len(), 60);
}

contract!(a_reopened_store_holds_what_was_written, reopened);
async fn reopened(db: &TestDb) {
    let store = db.open().await;
    store
        .append("child/1", ExpectedVersion::NoStream, &[note("a", "{}")])
        .await
        .unwrap();
    store.close().await;
    let again = Store::open(&db.url, OpenMode::MustExist).await.unwrap();
    assert_eq!(again.schema_version().await.unwrap(), SCHEMA_VERSION);
    assert_eq!(again.stream_version("child/1").await.unwrap(), 1);
    let mut replayed = 0;
    again
        .replay(0, None, |_| {
            replayed += 1;
            Ok::<(), StoreError>(())
        })
        .await
        .unwrap();
    assert_eq!(replayed, 1);
    again.close().await;
}

contract!(a_newer_schema_is_refused, newer_schema);
async fn newer_schema(db: &TestDb) {
    let store = db.open().await;
    store.close().await;
    // A later Hearth has been here.
    let bump = "UPDATE hearth_schema SET version = version + 100";
    if db.postgres.is_some() {
        let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
        sqlx::raw_sql(bump).execute(&mut c).await.unwrap();
    } else {
        let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
        sqlx::raw_sql(bump).execute(&mut c).await.unwrap();
    }
    let err = Store::open(&db.url, OpenMode::MustExist)
        .await
        .err()
        .expect("a newer schema was opened");
    assert!(
        matches!(
            err,
            StoreError::NewerSchema {
                found,
                known: SCHEMA_VERSION,
                ..
            } if found == SCHEMA_VERSION + 100
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("newer version of Hearth"), "{err}");
}

fn child_event(secs: i64, body: EventBody) -> NewEvent {
    NewEvent {
        kind: body.kind().into(),
        body: body.to_json(),
        actor: "tester".into(),
        recorded_at: Some(at(secs)),
    }
}

fn registered() -> EventBody {
    ChildRegistered {
        details: ChildDetails {
            la_child_id: "C1".into(),
            sex: Sex::Female,
            ethnicity: Code::from("WBRI"),
            ..ChildDetails::default()
        },
        at: at(0).date_naive(),
    }
    .into()
}

fn noted() -> EventBody {
    CaseNoteWritten {
        note: RecordId(1),
        kind: CaseNoteKind::Note,
        text: "Home visit.".into(),
        at: at(0).date_naive(),
    }
    .into()
}

contract!(replay_builds_the_model_as_known_on_a_date, replay_model);
async fn replay_model(db: &TestDb) {
    let store = db.open().await;
    store
        .append(
            "child/1",
            ExpectedVersion::NoStream,
            &[child_event(1, registered()), child_event(2, noted())],
        )
        .await
        .unwrap();
    let loaded = store::load_model(&store, None, |_| {}).await.unwrap();
    assert_eq!(loaded.model.children.len(), 1);
    assert_eq!(loaded.model.events_applied, 2);
    assert_eq!(loaded.last_seq, store.last_seq().await.unwrap());

    // A body that does not fit its kind, recorded later: the model as known before it loads;
    // the whole log does not, and the error names the event.
    let garbled = store
        .append(
            "child/1",
            ExpectedVersion::Exact(2),
            &[child_event(5, noted()).with_body("{\"note\":\"x\"}")],
        )
        .await
        .unwrap();
    let earlier = store::load_model(&store, Some(at(4)), |_| {})
        .await
        .unwrap();
    assert_eq!(earlier.model.events_applied, 2);
    match store::load_model(&store, None, |_| {}).await {
        Err(LoadError::Decode { seq, .. }) => assert_eq!(seq, garbled.first_seq),
        Err(other) => panic!("wrong error {other}"),
        Ok(_) => panic!("a garbled body was folded"),
    }
}

contract!(replay_names_an_event_the_model_refuses, replay_refused);
async fn replay_refused(db: &TestDb) {
    let store = db.open().await;
    // A note for a child nobody registered.
    let bad = store
        .append(
            "child/2",
            ExpectedVersion::NoStream,
            &[child_event(1, noted())],
        )
        .await
        .unwrap();
    match store::load_model(&store, None, |_| {}).await {
        Err(e @ LoadError::Refused { .. }) => {
            assert!(matches!(e, LoadError::Refused { seq, .. } if seq == bad.first_seq));
            assert!(
                e.to_string().contains(&format!("event {}", bad.first_seq)),
                "{e}"
            );
        }
        Err(other) => panic!("wrong error {other}"),
        Ok(_) => panic!("a note for an unknown child was folded"),
    }
}

trait WithBody {
    fn with_body(self, body: &str) -> Self;
}

impl WithBody for NewEvent {
    fn with_body(mut self, body: &str) -> Self {
        self.body = body.into();
        self
    }
}

#[tokio::test]
async fn a_missing_file_or_an_unknown_url_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.db");
    let url = format!("sqlite://{}", path.display());
    let err = Store::open(&url, OpenMode::MustExist).await.err().unwrap();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("absent.db"), "{err}");
    assert!(!path.exists(), "opening created the file");

    let nowhere = format!(
        "sqlite://{}",
        dir.path().join("no/such/folder/x.db").display()
    );
    let err = Store::open(&nowhere, OpenMode::CreateIfMissing)
        .await
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::NoFolder { .. }), "{err:?}");
    assert!(err.to_string().contains("folder"), "{err}");

    let err = Store::open("mysql://me:secret@x/y", OpenMode::MustExist)
        .await
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::BadUrl { .. }), "{err:?}");
    assert!(!err.to_string().contains("secret"), "{err}");

    let err = Store::open(
        "postgres://me:secret@127.0.0.1:1/nowhere",
        OpenMode::MustExist,
    )
    .await
    .err()
    .unwrap();
    assert!(matches!(err, StoreError::Unreachable { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("127.0.0.1:1") && !text.contains("secret"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1, "{text}");
}

#[tokio::test]
async fn after_a_checkpoint_the_sqlite_file_alone_holds_everything() {
    let db = TestDb::sqlite();
    let store = db.open().await;
    for i in 0..50 {
        store
            .append(
                &format!("child/{i}"),
                ExpectedVersion::NoStream,
                &[note("a", "{}")],
            )
            .await
            .unwrap();
    }
    store.checkpoint().await.unwrap();
    // Copy the main file only, leaving the write-ahead log behind, while the store is still open.
    let path = db.url.strip_prefix("sqlite://").unwrap();
    let copy = format!("{path}.copy");
    std::fs::copy(path, &copy).unwrap();
    let copied = Store::open(&format!("sqlite://{copy}"), OpenMode::MustExist)
        .await
        .unwrap();
    assert_eq!(
        copied.last_seq().await.unwrap(),
        store.last_seq().await.unwrap()
    );
    assert_eq!(copied.stream_version("child/49").await.unwrap(), 1);
}

contract!(users_sign_in_and_sessions_lapse_when_idle, accounts);
async fn accounts(db: &TestDb) {
    use store::NewUser;
    let store = db.open().await;
    let new = NewUser {
        username: "asmith".into(),
        name: "A Smith".into(),
        role: "practitioner".into(),
        password_hash: "$argon2id$stand-in".into(),
        worker: Some(12),
        team: Some(3),
    };
    store.add_user(&new).await.unwrap();
    let taken = store.add_user(&new).await.unwrap_err().to_string();
    assert!(taken.contains("already a user called asmith"), "{taken}");
    let u = store.user("asmith").await.unwrap().unwrap();
    assert_eq!((u.worker, u.team, u.disabled), (Some(12), Some(3), false));
    assert!(store.user("nobody").await.unwrap().is_none());
    assert_eq!(store.sign_in_failed("asmith").await.unwrap(), 1);
    assert_eq!(store.sign_in_failed("asmith").await.unwrap(), 2);
    assert_eq!(store.sign_in_failed("nobody").await.unwrap(), 0);
    store.start_session("asmith", "hash-1").await.unwrap();
    assert_eq!(
        store.user("asmith").await.unwrap().unwrap().failed_sign_ins,
        0
    );
    let hour = chrono::Duration::hours(1);
    let who = store.session_user("hash-1", hour).await.unwrap().unwrap();
    assert_eq!(who.username, "asmith");
    assert!(store.session_user("hash-2", hour).await.unwrap().is_none());
    // Idle for longer than allowed: the session is over, and stays over.
    let zero = chrono::Duration::zero();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    assert!(store.session_user("hash-1", zero).await.unwrap().is_none());
    assert!(store.session_user("hash-1", hour).await.unwrap().is_none());
    store.start_session("asmith", "hash-3").await.unwrap();
    store.end_session("hash-3").await.unwrap();
    assert!(store.session_user("hash-3", hour).await.unwrap().is_none());
    assert_eq!(store.users().await.unwrap().len(), 1);

    // Disabling ends the user's sessions and refuses new ones until enabled again.
    store.start_session("asmith", "hash-4").await.unwrap();
    assert!(store.set_disabled("asmith", true).await.unwrap());
    assert!(store.user("asmith").await.unwrap().unwrap().disabled);
    assert!(store.session_user("hash-4", hour).await.unwrap().is_none());
    store.start_session("asmith", "hash-5").await.unwrap();
    assert!(store.session_user("hash-5", hour).await.unwrap().is_none());
    assert!(store.set_disabled("asmith", false).await.unwrap());
    assert!(!store.set_disabled("nobody", true).await.unwrap());
    // A new password unlocks the account and signs out whoever used the old one.
    store.start_session("asmith", "hash-6").await.unwrap();
    for _ in 0..5 {
        store.sign_in_failed("asmith").await.unwrap();
    }
    assert!(
        store
            .set_password("asmith", "$argon2id$another")
            .await
            .unwrap()
    );
    let u = store.user("asmith").await.unwrap().unwrap();
    assert_eq!(
        (u.password_hash.as_str(), u.failed_sign_ins),
        ("$argon2id$another", 0)
    );
    assert!(store.session_user("hash-6", hour).await.unwrap().is_none());
    assert!(!store.set_password("nobody", "x").await.unwrap());
}

contract!(an_import_run_is_kept_and_listed_newest_first, import_runs);
async fn import_runs(db: &TestDb) {
    let store = db.open().await;
    assert_eq!(store.last_import_run("/data/ssd").await.unwrap(), None);
    for (i, (source, outcome)) in [
        ("/data/ssd", "imported"),
        ("/data/other", "refused"),
        ("/data/ssd", "unchanged"),
    ]
    .into_iter()
    .enumerate()
    {
        store
            .record_import_run(&store::ImportRun {
                id: 0,
                started_at: at(i as i64 * 100),
                finished_at: at(i as i64 * 100 + 3),
                source: source.into(),
                fingerprint: format!("print {i}"),
                outcome: outcome.into(),
                summary: format!("run {i}\nssd_person: 3 rows"),
                events: 10 - i as i64,
            })
            .await
            .unwrap();
    }
    let runs = store.import_runs(10).await.unwrap();
    let outcomes: Vec<&str> = runs.iter().map(|r| r.outcome.as_str()).collect();
    assert_eq!(outcomes, ["unchanged", "refused", "imported"]);
    assert_eq!(runs[0].finished_at, at(203));
    assert_eq!(runs[2].summary, "run 0\nssd_person: 3 rows");
    let last = store.last_import_run("/data/ssd").await.unwrap().unwrap();
    assert_eq!((last.fingerprint.as_str(), last.events), ("print 2", 8));
    assert_eq!(store.import_runs(1).await.unwrap().len(), 1);
}
