//! Recording over HTTP: every role against every page and API operation, a journey recorded
//! through the API, the checks a save must pass, two people saving one child, the partner
//! portal, and requests that are hostile or broken.

mod common;

use common::{PASSWORD, add_user, serve};
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use web::auth::Role;
use web::permissions::Power;
use web::recording::stages::STAGES;

type Http = Client<HttpConnector, String>;

struct Answer {
    status: u16,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

struct Api {
    http: Http,
    base: String,
}

impl Api {
    async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, String)],
        body: String,
    ) -> Answer {
        self.try_send(method, path, headers, body).await.unwrap()
    }

    async fn try_send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, String)],
        body: String,
    ) -> Result<Answer, String> {
        let mut req = axum::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        let res = self
            .http
            .request(req.body(body).unwrap())
            .await
            .map_err(|e| e.to_string())?;
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let bytes = res
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok(Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        })
    }

    async fn sign_in(&self, username: &str) -> String {
        let a = self
            .send(
                "POST",
                "/api/v1/sessions",
                &[("content-type", "application/json".into())],
                json!({"username": username, "password": PASSWORD}).to_string(),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.body);
        a.json()["token"].as_str().unwrap().to_string()
    }

    async fn get(&self, token: &str, path: &str) -> Answer {
        self.send(
            "GET",
            path,
            &[("authorization", format!("Bearer {token}"))],
            String::new(),
        )
        .await
    }

    /// A page, as a browser with the session's cookie asks for it.
    async fn page(&self, token: &str, path: &str) -> Answer {
        self.send(
            "GET",
            path,
            &[("cookie", format!("hearth_session={token}"))],
            String::new(),
        )
        .await
    }

    async fn post(&self, token: &str, path: &str, body: Value) -> Answer {
        self.send(
            "POST",
            path,
            &[
                ("authorization", format!("Bearer {token}")),
                ("content-type", "application/json".into()),
            ],
            body.to_string(),
        )
        .await
    }

    /// A form posted as a browser does, with the page's form token unless told otherwise.
    async fn form(
        &self,
        token: &str,
        path: &str,
        fields: &[(&str, &str)],
        form_token: bool,
    ) -> Answer {
        self.form_from(token, path, path, fields, form_token).await
    }

    /// The same, for a form on one page that posts to another address.
    async fn form_from(
        &self,
        token: &str,
        page: &str,
        path: &str,
        fields: &[(&str, &str)],
        form_token: bool,
    ) -> Answer {
        let page = self.page(token, page).await;
        let mut pairs: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if form_token {
            pairs.push(("form_token".into(), hidden(&page.body, "form_token")));
        }
        if let Some(at) = page.body.find("name=\"version\" value=\"") {
            let v: String = page.body[at + 22..]
                .chars()
                .take_while(|c| *c != '"')
                .collect();
            if !fields.iter().any(|(k, _)| *k == "version") {
                pairs.push(("version".into(), v));
            }
        }
        self.send(
            "POST",
            path,
            &[
                ("cookie", format!("hearth_session={token}")),
                ("content-type", "application/x-www-form-urlencoded".into()),
            ],
            serde_urlencoded::to_string(&pairs).unwrap(),
        )
        .await
    }

    async fn version(&self, token: &str, child: u64) -> u64 {
        let a = self.get(token, &format!("/api/v1/children/{child}")).await;
        assert_eq!(a.status, 200, "{}", a.body);
        a.json()["version"].as_u64().unwrap()
    }

    /// Records a stage and expects it saved; returns the record number it opened, if any.
    async fn record(&self, token: &str, child: u64, kind: &str, mut body: Value) -> Option<u64> {
        body["expected_version"] = json!(self.version(token, child).await);
        let a = self
            .post(token, &format!("/api/v1/children/{child}/{kind}"), body)
            .await;
        assert_eq!(a.status, 201, "{kind}: {}", a.body);
        a.json()["record"].as_u64()
    }

    /// Waits until a page shows (or stops showing) some text: the API answers once the save
    /// is durable, and the pages follow within moments.
    async fn page_until(&self, token: &str, path: &str, text: &str, present: bool) -> Answer {
        for _ in 0..100 {
            let a = self.page(token, path).await;
            if a.body.contains(text) == present {
                return a;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!(
            "{path} never {} {text}",
            if present { "showed" } else { "stopped showing" }
        );
    }
}

fn hidden(body: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let at = body
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {body}"))
        + key.len();
    body[at..].chars().take_while(|c| *c != '"').collect()
}

fn user_of(role: Role) -> String {
    format!("role.{}", role.slug())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_is_allowed_exactly_what_the_table_says() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve(dir.path());
    for role in Role::ALL {
        add_user(dir.path(), &user_of(role), role.slug(), &[]);
    }
    let api = Api {
        http: Client::builder(TokioExecutor::new()).build(HttpConnector::new()),
        base,
    };
    let director = api.sign_in(common::USER).await;
    // A child of the seeded council, to try the child's pages and operations on.
    let a = api.page(&director, "/front-door").await;
    let at = a.body.find("href=\"/children/").unwrap() + 16;
    let child: String = a.body[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();

    let mut pages: Vec<(String, Vec<Power>)> = vec![
        ("/".into(), vec![]),
        ("/scorecard".into(), vec![Power::ReadMeasures]),
        ("/measures/FD-01".into(), vec![Power::ReadMeasures]),
        (
            "/measures/FD-01?format=csv".into(),
            vec![Power::ReadMeasures, Power::ReadChildren],
        ),
        ("/workforce".into(), vec![Power::ReadMeasures]),
        ("/teams".into(), vec![Power::ReadChildren]),
        ("/teams/1".into(), vec![Power::ReadChildren]),
        ("/front-door".into(), vec![Power::ReadChildren]),
        ("/missing".into(), vec![Power::ReadChildren]),
        ("/data-quality".into(), vec![Power::ReadChildren]),
        ("/data-quality?format=csv".into(), vec![Power::ReadChildren]),
        (format!("/children/{child}"), vec![Power::ReadChildren]),
        (
            format!("/children/{child}/record"),
            vec![Power::ReadChildren],
        ),
        (
            format!("/children/{child}/access"),
            vec![Power::ReadAccessLog],
        ),
        ("/children/new".into(), vec![Power::RecordFrontDoor]),
        ("/contacts".into(), vec![Power::SubmitContact]),
        ("/contacts/new".into(), vec![Power::SubmitContact]),
        ("/restricted".into(), vec![Power::ReadAccessLog]),
        ("/access-log".into(), vec![Power::ReadAccessLog]),
        ("/staff".into(), vec![Power::ManageStaff]),
        ("/imports".into(), vec![Power::SeeImports]),
        ("/imports?format=csv".into(), vec![Power::SeeImports]),
    ];
    for (whose, s) in web::recording::stages::STAFF_STAGES {
        let path = match (whose, s.opens) {
            (_, Some(_)) => format!("/staff/record/{}", s.kind),
            (web::recording::stages::Staff::Worker, None) => {
                format!("/workers/1/record/{}", s.kind)
            }
            (web::recording::stages::Staff::Team, None) => format!("/teams/1/record/{}", s.kind),
        };
        pages.push((path, vec![s.power]));
    }
    for s in STAGES {
        pages.push((
            format!("/children/{child}/record/{}", s.kind),
            vec![Power::ReadChildren, s.power],
        ));
    }
    let mut tried = 0;
    for role in Role::ALL {
        let token = api.sign_in(&user_of(role)).await;
        let may = |powers: &[Power]| powers.iter().all(|p| role.may(*p));
        for (path, powers) in &pages {
            let a = api.page(&token, path).await;
            let expected = if may(powers) { 200 } else { 403 };
            assert_eq!(
                a.status,
                expected,
                "{role:?} GET {path}: {}",
                &a.body[..a.body.len().min(300)]
            );
            tried += 1;
        }
        // The API: reads of a child, registering, every stage, the partner portal. An allowed
        // write with nothing in it is refused for its missing fields, so nothing is saved.
        let reads = [
            format!("/api/v1/children/{child}"),
            format!("/api/v1/children/{child}/events"),
        ];
        for path in &reads {
            let a = api.get(&token, path).await;
            let expected = if role.may(Power::ReadChildren) {
                200
            } else {
                403
            };
            assert_eq!(a.status, expected, "{role:?} GET {path}");
        }
        let a = api.post(&token, "/api/v1/children", json!({})).await;
        let expected = if role.may(Power::RecordFrontDoor) {
            422
        } else {
            403
        };
        assert_eq!(a.status, expected, "{role:?} register: {}", a.body);
        for s in STAGES {
            let path = format!("/api/v1/children/{child}/{}", s.kind);
            let a = api
                .post(&token, &path, json!({"expected_version": 1}))
                .await;
            let expected = if role.may(s.power) { 422 } else { 403 };
            assert_eq!(a.status, expected, "{role:?} POST {path}: {}", a.body);
            tried += 1;
        }
        let a = api
            .post(&token, "/api/v1/partner/contacts", json!({}))
            .await;
        let expected = if role.may(Power::SubmitContact) {
            422
        } else {
            403
        };
        assert_eq!(a.status, expected, "{role:?} partner contact: {}", a.body);
        for (whose, s) in web::recording::stages::STAFF_STAGES {
            let path = web::api::openapi::staff_path(*whose, s).replace("{id}", "1");
            let a = api
                .post(&token, &path, json!({"expected_version": 1}))
                .await;
            let expected = if role.may(s.power) { 422 } else { 403 };
            assert_eq!(a.status, expected, "{role:?} POST {path}: {}", a.body);
        }
        let a = api.get(&token, "/api/v1/partner/contacts").await;
        let expected = if role.may(Power::SubmitContact) {
            200
        } else {
            403
        };
        assert_eq!(a.status, expected, "{role:?} partner list");
        // The menu offers only what the role may open.
        let home = api.page(&token, "/").await;
        assert_eq!(
            home.body.contains("href=\"/front-door\""),
            role.may(Power::ReadChildren),
            "{role:?} menu"
        );
        assert_eq!(
            home.body.contains("href=\"/scorecard\""),
            role.may(Power::ReadMeasures),
            "{role:?} menu"
        );
    }
    assert!(tried > 9 * 100, "{tried}");

    // Without a session, or with one that has ended, the API says so.
    let a = api.get("not-a-token", "/api/v1/stages").await;
    assert_eq!(a.status, 401);
    let token = api.sign_in(&user_of(Role::Practitioner)).await;
    let form_token = hidden(&api.page(&token, "/").await.body, "form_token");
    let out = api
        .send(
            "POST",
            "/sign-out",
            &[
                ("cookie", format!("hearth_session={token}")),
                ("content-type", "application/x-www-form-urlencoded".into()),
            ],
            format!("form_token={form_token}"),
        )
        .await;
    assert_eq!(out.status, 303);
    let a = api.get(&token, &format!("/api/v1/children/{child}")).await;
    assert_eq!(a.status, 401);
    let a = api.page(&token, "/scorecard").await;
    assert_eq!(a.status, 303);
    // The OpenAPI document has an operation for every stage.
    let a = api.get(&director, "/api/v1/openapi.json").await;
    let doc = a.json();
    assert_eq!(doc["openapi"], "3.1.0");
    for s in STAGES {
        let op = &doc["paths"][format!("/api/v1/children/{{id}}/{}", s.kind)]["post"];
        assert_eq!(op["operationId"], s.kind);
        assert!(
            op["requestBody"]["content"]["application/json"]["schema"]["required"]
                .as_array()
                .unwrap()
                .contains(&json!("expected_version"))
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journey_recorded_through_the_api_and_the_forms_shows_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve(dir.path());
    add_user(dir.path(), "test.manager", "team_manager", &[]);
    add_user(dir.path(), "test.iro", "iro", &[]);
    add_user(dir.path(), "test.partner", "partner_agency", &[]);
    add_user(dir.path(), "test.other.partner", "partner_agency", &[]);
    let api = Api {
        http: Client::builder(TokioExecutor::new()).build(HttpConnector::new()),
        base,
    };
    let manager = api.sign_in("test.manager").await;
    let iro = api.sign_in("test.iro").await;
    let partner = api.sign_in("test.partner").await;
    let today = chrono::Local::now().date_naive();
    let day = |back: i64| (today - chrono::Duration::days(back)).to_string();
    let now = || chrono::Local::now().format("%Y-%m-%dT%H:%M").to_string();

    // A school sends a contact through the portal's form; it reaches the front door's queue.
    let sent = api
        .form(
            &partner,
            "/contacts/new",
            &[
                ("given_name", "Robin"),
                ("family_name", "Quill-Testcase"),
                ("source", "3A"),
                (
                    "concerns",
                    "Robin arrived with bruises and said <b>not to tell</b>",
                ),
            ],
            true,
        )
        .await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let to = sent.headers["location"].to_str().unwrap().to_string();
    let reference = to.split("sent=").nth(1).unwrap().to_string();
    let child: u64 = reference.split('-').next().unwrap().parse().unwrap();
    let list = api.page(&partner, &to).await;
    assert!(list.body.contains(&reference));
    assert!(list.body.contains("awaiting a decision"));
    // Another partner sees none of it, and no partner may open the child's record.
    let other = api.sign_in("test.other.partner").await;
    assert!(
        !api.page(&other, "/contacts")
            .await
            .body
            .contains("Quill-Testcase")
    );
    assert_eq!(
        api.page(&partner, &format!("/children/{child}"))
            .await
            .status,
        403
    );
    let queue = api.page(&manager, "/front-door").await;
    assert!(queue.body.contains("Quill-Testcase"));

    // Contacts decided within a working day (FD-01) leaves the contact out while its clock runs.
    let director = api.sign_in(common::USER).await;
    let fd01 = format!(
        "/measures/FD-01?period={}&format=csv",
        today.format("%Y-%m")
    );
    let row = |csv: &str| {
        csv.lines()
            .find(|l| l.starts_with(&format!("child/{child},")))
            .map(str::to_string)
    };
    let before = api.page(&director, &fd01).await;
    assert_eq!(before.status, 200);
    assert_eq!(row(&before.body), None);

    // The front door rates and decides it through the forms.
    let rated = api
        .form(
            &manager,
            &format!("/children/{child}/record/contact_rated"),
            &[("contact", "1"), ("rag", "red"), ("at", &now())],
            true,
        )
        .await;
    assert_eq!(rated.status, 303, "{}", rated.body);
    // A form the browser did not get from Hearth is refused, and saves nothing.
    let forged = api
        .form(
            &manager,
            &format!("/children/{child}/record/contact_decided?contact=1"),
            &[("contact", "1"), ("decision", "referral"), ("at", &now())],
            false,
        )
        .await;
    assert_eq!(forged.status, 403);
    assert!(forged.body.contains("This form has expired"));
    let decided = api
        .form(
            &manager,
            &format!("/children/{child}/record/contact_decided?contact=1"),
            &[("contact", "1"), ("decision", "referral"), ("at", &now())],
            true,
        )
        .await;
    assert_eq!(decided.status, 303, "{}", decided.body);
    // The form's save waits for the pages to have it: the queue no longer shows the contact,
    // and the partner sees the decision.
    let queue = api.page(&manager, "/front-door").await;
    assert!(!queue.body.contains("Quill-Testcase"));
    assert!(
        api.page(&partner, "/contacts")
            .await
            .body
            .contains("Referral to social care")
    );
    // Decided within the day, it counts in the measure at once.
    let after = api.page(&director, &fd01).await;
    let counted = row(&after.body)
        .unwrap_or_else(|| panic!("FD-01 does not count the contact: {}", after.body));
    let fields: Vec<&str> = counted.split(',').collect();
    assert_eq!((fields[4], fields[5]), ("1", "1"), "{counted}");

    // A referral, an assessment, a strategy discussion, section 47, conference and CP plan
    // follow through the API.
    let referral = api
        .record(
            &manager,
            child,
            "referral_received",
            json!({"at": day(0), "source": "3A", "from_contact": 1}),
        )
        .await
        .unwrap();
    let assessment = api
        .record(
            &manager,
            child,
            "assessment_started",
            json!({"referral": referral, "kind": "new", "at": day(0)}),
        )
        .await
        .unwrap();
    api.record(
        &manager,
        child,
        "assessment_authorised",
        json!({"assessment": assessment, "at": day(0), "factors": ["3B", "16A"]}),
    )
    .await;
    let strategy = api
        .record(
            &manager,
            child,
            "strategy_discussion_held",
            json!({"referral": referral, "outcome": "s47", "at": day(0)}),
        )
        .await
        .unwrap();
    // Business rules speak in the user's words: an initial conference needs a section 47.
    let v = api.version(&iro, child).await;
    let a = api
        .post(
            &iro,
            &format!("/api/v1/children/{child}/conference_held"),
            json!({
                "expected_version": v, "kind": "initial", "plan_needed": true, "at": day(0),
            }),
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.to_lowercase().contains("section 47"), "{}", a.body);
    let enquiry = api
        .record(
            &manager,
            child,
            "section47_started",
            json!({"referral": referral, "strategy": strategy, "at": day(0)}),
        )
        .await
        .unwrap();
    let conference = api
        .record(
            &iro,
            child,
            "conference_held",
            json!({
                "kind": "initial", "enquiry": enquiry, "plan_needed": true,
                "agencies_present": ["police", "school"], "at": day(0),
            }),
        )
        .await
        .unwrap();
    api.record(
        &manager,
        child,
        "cp_plan_started",
        json!({"referral": referral, "category": "PHY", "conference": conference, "at": day(0)}),
    )
    .await;

    // The chronology has each step, with the partner's words shown as text, not markup.
    let record = api
        .page_until(
            &manager,
            &format!("/children/{child}"),
            "Child protection plan started",
            true,
        )
        .await;
    for said in [
        "Contact received",
        "Contact decided",
        "Referral received",
        "Assessment authorised",
        "Conference held",
    ] {
        assert!(record.body.contains(said), "the chronology lacks {said}");
    }
    let escaped = [
        "&#60;b&#62;not to tell&#60;/b&#62;",
        "&lt;b&gt;not to tell&lt;/b&gt;",
    ];
    assert!(escaped.iter().any(|e| record.body.contains(e)));
    assert!(!record.body.contains("<b>not to tell</b>"));
    // The API's reads of the record are in its access log, with its writes.
    let log = api
        .page(&director, &format!("/children/{child}/access"))
        .await;
    assert_eq!(log.status, 200);
    assert!(log.body.contains("API: child&#39;s record"), "{}", log.body);
    assert!(log.body.contains("recorded: decide a contact"));
    assert!(log.body.contains("test.manager"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saves_are_checked_field_by_field_and_never_overwrite_another() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve(dir.path());
    add_user(dir.path(), "test.worker", "practitioner", &[]);
    add_user(dir.path(), "test.colleague", "practitioner", &[]);
    let api = Api {
        http: Client::builder(TokioExecutor::new()).build(HttpConnector::new()),
        base,
    };
    let me = api.sign_in("test.worker").await;
    let colleague = api.sign_in("test.colleague").await;
    let today = chrono::Local::now().date_naive();
    let a = api
        .post(
            &me,
            "/api/v1/children",
            json!({
                "given_name": "Sam", "family_name": "Fieldcheck", "sex": "2", "ethnicity": "WBRI",
                "date_of_birth": "2016-02-29", "at": today.to_string(),
            }),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    let child = a.json()["child"].as_u64().unwrap();

    // Each field is checked, and each fault named by its field.
    let v = api.version(&me, child).await;
    let a = api
        .post(
            &me,
            &format!("/api/v1/children/{child}/contact_received"),
            json!({
                "expected_version": v,
                "at": format!("{}T09:00", today + chrono::Duration::days(3)),
                "source": "99Z",
                "rag": "purple",
            }),
        )
        .await;
    assert_eq!(a.status, 422);
    let errors = a.json()["errors"].clone();
    let said = |field: &str| {
        errors
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["field"] == field)
            .map(|e| e["message"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no error for {field}: {errors}"))
    };
    assert!(said("at").contains("today or in the past"));
    assert!(said("source").contains("from the list"));
    assert!(said("rag").contains("from the list"));
    assert_eq!(api.version(&me, child).await, v, "nothing was saved");

    // A form with faults comes back with the error summary, each message beside its field,
    // and what was typed.
    let a = api
        .form(
            &me,
            &format!("/children/{child}/record/case_note_written"),
            &[
                ("kind", "note"),
                ("text", "'; DROP TABLE events; -- kept as typed"),
                ("at", "2026-02-30"),
            ],
            true,
        )
        .await;
    assert_eq!(a.status, 422);
    assert!(a.body.contains("govuk-error-summary"));
    assert!(a.body.contains("href=\"#at\""));
    assert!(a.body.contains("id=\"at-error\""));
    assert!(a.body.contains("must be a real date"));
    assert!(
        a.body
            .contains("&#39;; DROP TABLE events; -- kept as typed")
    );

    // SQL-looking text is stored and shown as typed.
    api.record(&me, child, "case_note_written", json!({
        "kind": "note", "text": "'; DROP TABLE events; -- kept as typed", "at": today.to_string(),
    }))
    .await;
    let events = api
        .get(&me, &format!("/api/v1/children/{child}/events"))
        .await;
    assert!(
        events
            .json()
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["body"]["text"] == "'; DROP TABLE events; -- kept as typed")
    );

    // Two people save the same child from the same version: the second is shown the first's
    // change and saves nothing until they save again on top of it.
    let v = api.version(&me, child).await;
    let note = |text: &str| json!({"expected_version": v, "kind": "note", "text": text, "at": today.to_string()});
    let first = api
        .post(
            &me,
            &format!("/api/v1/children/{child}/case_note_written"),
            note("first"),
        )
        .await;
    assert_eq!(first.status, 201);
    let second = api
        .post(
            &colleague,
            &format!("/api/v1/children/{child}/case_note_written"),
            note("second"),
        )
        .await;
    assert_eq!(second.status, 409, "{}", second.body);
    let conflict = second.json();
    assert_eq!(conflict["version"], v + 1);
    assert_eq!(conflict["changes"][0]["body"]["text"], "first");
    assert_eq!(conflict["changes"][0]["recorded_by"], "test.worker");
    // The same on the pages: a form loaded before another's save says so and keeps the typing.
    let stale = api
        .form(
            &colleague,
            &format!("/children/{child}/record/case_note_written"),
            &[
                ("kind", "note"),
                ("text", "my careful note"),
                ("at", &today.to_string()),
                ("version", &v.to_string()),
            ],
            true,
        )
        .await;
    assert_eq!(stale.status, 409);
    assert!(stale.body.contains("Someone else has saved this child"));
    assert!(stale.body.contains("test.worker"));
    assert!(stale.body.contains("my careful note"));
    assert_eq!(hidden(&stale.body, "version"), (v + 1).to_string());

    // Broken and oversize requests are refused with a 4xx.
    let path = format!("/api/v1/children/{child}/case_note_written");
    let headers = [
        ("authorization", format!("Bearer {me}")),
        ("content-type", "application/json".to_string()),
    ];
    for body in ["{not json".to_string(), "[1,2]".into()] {
        let a = api.send("POST", &path, &headers, body).await;
        assert!((400..500).contains(&a.status), "{}: {}", a.status, a.body);
    }
    // Too big: the server may answer before the client has sent it all and close the
    // connection, which the client can see as a broken pipe; one of a few tries gets the answer.
    let mut refused = None;
    for _ in 0..5 {
        if let Ok(a) = api
            .try_send("POST", &path, &headers, "x".repeat(400 * 1024))
            .await
        {
            refused = Some(a.status);
            break;
        }
    }
    assert_eq!(refused, Some(413));
    let a = api
        .post(
            &me,
            "/api/v1/children/not-a-number/case_note_written",
            json!({"expected_version": 1}),
        )
        .await;
    assert_eq!(a.status, 404);
    let a = api
        .post(
            &me,
            &format!("/api/v1/children/{child}/child_teleported"),
            json!({}),
        )
        .await;
    assert_eq!(a.status, 404);
    // A write with the browser's cookie but not the page's token is refused.
    let a = api
        .send(
            "POST",
            &path,
            &[
                ("cookie", format!("hearth_session={me}")),
                ("content-type", "application/json".into()),
            ],
            note("no token").to_string(),
        )
        .await;
    assert_eq!(a.status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restricted_record_opens_to_the_named_and_to_others_only_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve(dir.path());
    for (name, role) in [
        ("test.named", "practitioner"),
        ("test.other", "practitioner"),
        ("test.third", "practitioner"),
        ("test.manager", "team_manager"),
    ] {
        add_user(dir.path(), name, role, &[]);
    }
    let api = Api {
        http: Client::builder(TokioExecutor::new()).build(HttpConnector::new()),
        base,
    };
    let manager = api.sign_in("test.manager").await;
    let named = api.sign_in("test.named").await;
    let other = api.sign_in("test.other").await;
    let third = api.sign_in("test.third").await;
    let director = api.sign_in(common::USER).await;
    let today = chrono::Local::now().date_naive().to_string();
    let a = api
        .post(&manager, "/api/v1/children", json!({
            "given_name": "Alex", "family_name": "Hiddenname", "sex": "1", "ethnicity": "WBRI", "at": today,
        }))
        .await;
    let child = a.json()["child"].as_u64().unwrap();
    api.record(
        &manager,
        child,
        "contact_received",
        json!({"at": format!("{today}T09:00"), "source": "1A"}),
    )
    .await;
    // Naming someone who cannot sign in is refused.
    let v = api.version(&manager, child).await;
    let a = api
        .post(&manager, &format!("/api/v1/children/{child}/record_restricted"), json!({
            "expected_version": v, "reason": "Known to staff", "named": ["test.named", "no.such.person"], "at": today,
        }))
        .await;
    assert_eq!(a.status, 422);
    assert!(a.body.contains("no.such.person"));
    api.record(
        &manager,
        child,
        "record_restricted",
        json!({
            "reason": "Known to staff", "named": ["test.named", "test.manager"], "at": today,
        }),
    )
    .await;

    // The named open it as any other; lists show it by number only.
    let path = format!("/children/{child}");
    let page = api.page_until(&named, &path, "Hiddenname", true).await;
    assert_eq!(page.status, 200);
    let queue = api
        .page_until(
            &named,
            "/front-door",
            &format!("Restricted record {child}"),
            true,
        )
        .await;
    assert!(!queue.body.contains("Hiddenname"));

    // Anyone else is asked why, and sees nothing of it until they say.
    let asked = api.page(&other, &path).await;
    assert_eq!(asked.status, 403);
    assert!(asked.body.contains("This record is restricted"));
    assert!(!asked.body.contains("Hiddenname"));
    assert_eq!(
        api.page(
            &other,
            &format!("/children/{child}/record/case_note_written")
        )
        .await
        .status,
        303
    );
    let a = api.get(&other, &format!("/api/v1/children/{child}")).await;
    assert_eq!(a.status, 403);
    assert!(a.body.contains("X-Hearth-Reason"));
    let a = api
        .post(
            &third,
            &format!("/api/v1/children/{child}/case_note_written"),
            json!({
                "expected_version": 4, "kind": "note", "text": "t", "at": today,
            }),
        )
        .await;
    assert_eq!(a.status, 403, "{}", a.body);
    // Too short a reason is not a reason.
    let short = api
        .form_from(
            &other,
            &path,
            &format!("/children/{child}/open"),
            &[("reason", "need")],
            true,
        )
        .await;
    assert_eq!(short.status, 422);
    assert!(short.body.contains("Say why you need to open this record"));
    let opened = api
        .form_from(
            &other,
            &path,
            &format!("/children/{child}/open"),
            &[(
                "reason",
                "Covering the duty desk: the police rang about Alex",
            )],
            true,
        )
        .await;
    assert_eq!(opened.status, 303);
    let page = api.page(&other, &path).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Hiddenname"));
    // Through the API, the reason goes in a header.
    let a = api
        .send(
            "GET",
            &format!("/api/v1/children/{child}"),
            &[
                ("authorization", format!("Bearer {third}")),
                (
                    "x-hearth-reason",
                    "Checking an allocation query from the team".into(),
                ),
            ],
            String::new(),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);

    // Managers see each opening with its reason.
    let report = api.page(&director, "/restricted").await;
    assert_eq!(report.status, 200);
    assert!(report.body.contains("test.other"));
    assert!(report.body.contains("Covering the duty desk"));
    assert!(report.body.contains("test.third"));
    assert!(report.body.contains("Known to staff"));
    assert!(
        !report.body.contains("test.named</td>"),
        "the named need no reason"
    );
    // The council-wide log shows one person's reads, and downloads.
    let log = api.page(&director, "/access-log?user=test.other").await;
    assert!(
        log.body
            .contains("restricted record opened: Covering the duty desk")
    );
    assert!(!log.body.contains(">test.third<"));
    let all = api.page(&director, "/access-log?format=csv").await;
    assert!(all.body.starts_with("at,who,child,why"));
    assert!(all.body.contains("test.third"));
    let csv = api.page(&director, "/restricted?format=csv").await;
    assert!(
        csv.body
            .lines()
            .any(|l| l.contains("test.other") && l.contains(&child.to_string()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_and_teams_are_recorded_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve(dir.path());
    add_user(dir.path(), "test.admin", "administrator", &[]);
    add_user(dir.path(), "test.hr", "administrator", &[]);
    let api = Api {
        http: Client::builder(TokioExecutor::new()).build(HttpConnector::new()),
        base,
    };
    let admin = api.sign_in("test.admin").await;
    let hr = api.sign_in("test.hr").await;
    let today = chrono::Local::now().date_naive().to_string();
    let a = api
        .post(
            &admin,
            "/api/v1/teams",
            json!({"name": "Edge of Care", "service": "family_safeguarding", "at": today}),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    let team = a.json()["team"].as_u64().unwrap();
    let a = api
        .post(
            &admin,
            "/api/v1/workers",
            json!({
                "name": "Priya Newstarter", "role": "social_worker", "team": team,
                "employment": "agency", "fte": 0.5, "at": today,
            }),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    let worker = a.json()["worker"].as_u64().unwrap();
    // A worker in a team that does not exist, or on more than full time, is refused by field.
    let a = api
        .post(
            &admin,
            "/api/v1/workers",
            json!({
                "name": "Nobody", "role": "social_worker", "team": 99999,
                "employment": "agency", "fte": 1.5, "at": today,
            }),
        )
        .await;
    assert_eq!(a.status, 422);
    assert!(
        a.body.contains("no team numbered 99999") && a.body.contains("0.1 to 1"),
        "{}",
        a.body
    );

    // Two people change the same worker from the same version: the second is shown the first.
    let read = api.get(&admin, &format!("/api/v1/workers/{worker}")).await;
    assert_eq!(read.json()["team"], team);
    let v = read.json()["version"].as_u64().unwrap();
    let path = format!("/api/v1/workers/{worker}/worker_changed");
    let first = api
        .post(
            &admin,
            &path,
            json!({"expected_version": v, "employment": "permanent", "at": today}),
        )
        .await;
    assert_eq!(first.status, 201, "{}", first.body);
    let second = api
        .post(
            &hr,
            &path,
            json!({"expected_version": v, "fte": 1.0, "at": today}),
        )
        .await;
    assert_eq!(second.status, 409, "{}", second.body);
    assert_eq!(second.json()["changes"][0]["recorded_by"], "test.admin");
    let read = api.get(&admin, &format!("/api/v1/workers/{worker}")).await;
    assert_eq!(read.json()["employment"], "permanent");
    assert_eq!(read.json()["fte"], 0.5);

    // Through the pages: the staff list, and a leaving recorded by form.
    let list = api.page(&admin, "/staff").await;
    assert!(list.body.contains("Priya Newstarter") && list.body.contains("Edge of Care"));
    let left = api
        .form(
            &admin,
            &format!("/workers/{worker}/record/worker_left"),
            &[("at", &today), ("reason", "Moved away")],
            true,
        )
        .await;
    assert_eq!(left.status, 303, "{}", left.body);
    let list = api.page(&admin, "/staff").await;
    assert!(
        !list.body.contains("Priya Newstarter"),
        "a leaver is no longer on the staff list"
    );
    // Leaving twice is refused in words.
    let v = api
        .get(&admin, &format!("/api/v1/workers/{worker}"))
        .await
        .json()["version"]
        .as_u64()
        .unwrap();
    let again = api
        .post(
            &admin,
            &format!("/api/v1/workers/{worker}/worker_left"),
            json!({"expected_version": v, "at": today}),
        )
        .await;
    assert_eq!(again.status, 422, "{}", again.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plan_is_changed_by_its_owners_and_lead_and_read_by_the_board() {
    let dir = tempfile::tempdir().unwrap();
    let (_server, base) = serve(dir.path());
    let (lead, owner, action, others) = common::plan_people(dir.path()).await;
    add_user(
        dir.path(),
        "plan.lead",
        "director",
        &["--worker", &lead.to_string()],
    );
    add_user(
        dir.path(),
        "action.owner",
        "service_manager",
        &["--worker", &owner.to_string()],
    );
    add_user(dir.path(), "board.member", "board_member", &[]);
    let api = Api {
        http: Client::builder(TokioExecutor::new()).build(HttpConnector::new()),
        base,
    };
    let board = api.sign_in("board.member").await;
    let owner_token = api.sign_in("action.owner").await;
    let lead_token = api.sign_in("plan.lead").await;
    let page = format!("/plan/actions/{action}");

    // A board member reads everything and changes nothing.
    for path in ["/plan", "/plan/priorities/1", "/plan/exceptions", &page] {
        let a = api.page(&board, path).await;
        assert_eq!(a.status, 200, "{path}: {}", a.body);
        assert!(!a.body.contains("Save progress"), "{path} offers a form");
    }
    let a = api.page(&board, "/plan").await;
    assert!(a.body.contains("Priority") && a.body.contains("govuk-tag"));
    let a = api.page(&board, "/plan?format=csv").await;
    assert!(
        a.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert_eq!(a.body.lines().count(), 10, "a header and nine priorities");
    let a = api
        .form_from(
            &board,
            &page,
            &format!("{page}/progress"),
            &[("status", "complete"), ("note", "Done")],
            true,
        )
        .await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(
        a.body.contains("Only the action&#39;s owner")
            || a.body.contains("Only the action's owner")
    );
    let a = api.page(&board, "/board-pack").await;
    assert_eq!(a.status, 200);
    assert!(a.body.contains("progress pack"));
    let a = api.page(&board, "/board-pack?format=csv").await;
    assert!(
        a.body
            .starts_with("priority,title,rating,rating_at_last_board,measure")
    );
    assert!(a.body.lines().count() > 9, "every priority's measures");
    let a = api
        .page(&board, "/plan/priorities/1?format=csv&kind=log")
        .await;
    assert!(
        a.body.starts_with("date,action,text,status,update\n"),
        "{}",
        a.body
    );
    let a = api.page(&board, "/scrutiny-report").await;
    assert!(a.body.contains("5. Finance") && !a.body.contains("Write sections 5 to 7"));
    // The pack as a PDF where Chromium is installed, and a clear page where it is not.
    let a = api.page(&board, "/board-pack?format=pdf").await;
    if web::pdf::chromium().is_ok() {
        assert_eq!(a.status, 200);
        assert_eq!(a.headers["content-type"], "application/pdf");
        assert!(a.body.starts_with("%PDF"));
    } else {
        assert_eq!(a.status, 503);
        assert!(a.body.contains("needs Chromium"), "{}", a.body);
    }
    let a = api.page(&board, "/board-pack?date=2026-13-01").await;
    assert_eq!(a.status, 400);
    assert!(a.body.contains("2026-13-01 is not a date"), "{}", a.body);

    // The owner sees the action among theirs, and records its progress.
    let mine = api.page(&owner_token, "/plan/my-actions").await;
    assert!(
        mine.body.contains(&format!("href=\"{page}\"")),
        "{}",
        mine.body
    );
    let csv = api.page(&owner_token, "/plan/my-actions?format=csv").await;
    assert!(
        csv.body
            .starts_with("action,priority,strand,text,owner,owner_worker")
    );
    let stale = api.page(&owner_token, &page).await;
    assert!(stale.body.contains("Save progress"));
    let version = hidden(&stale.body, "version");
    // Nothing typed: each question says what is missing, and nothing is saved.
    let a = api
        .form_from(&owner_token, &page, &format!("{page}/progress"), &[], true)
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains("Choose where the action stands"));
    assert!(a.body.contains("Enter what has been done"));
    let a = api
        .form_from(
            &owner_token,
            &page,
            &format!("{page}/progress"),
            &[
                ("status", "on_track"),
                ("note", "Trainer booked for January"),
            ],
            true,
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    assert_eq!(
        a.headers["location"].to_str().unwrap(),
        format!("{page}?saved=progress")
    );
    let a = api.page(&board, &page).await;
    assert!(a.body.contains("Trainer booked for January"));
    // A second save from the page loaded before the first is refused and shows the first.
    let a = api
        .form_from(
            &owner_token,
            &page,
            &format!("{page}/progress"),
            &[
                ("status", "at_risk"),
                ("note", "From an old page"),
                ("version", &version),
            ],
            true,
        )
        .await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert!(a.body.contains("Someone else saved this"), "{}", a.body);
    assert!(
        a.body.contains("action.owner"),
        "names who saved: {}",
        a.body
    );
    assert!(
        !api.page(&board, &page)
            .await
            .body
            .contains("From an old page")
    );
    // Someone else's action is not theirs to change.
    let a = api
        .form_from(
            &owner_token,
            &format!("/plan/actions/{others}"),
            &format!("/plan/actions/{others}/date"),
            &[("due", "2027-01-31"), ("reason", "Mine now")],
            true,
        )
        .await;
    assert_eq!(a.status, 403, "{}", a.body);
    // The update is in the board pack, and the plan page rates from it.
    let pack = api.page(&board, "/board-pack").await;
    assert!(pack.body.contains("Trainer booked for January"));

    // The lead moves the date, gives the action to someone else, and adds one.
    let a = api
        .form_from(
            &lead_token,
            &page,
            &format!("{page}/date"),
            &[("due", "2099-13-01"), ("reason", "")],
            true,
        )
        .await;
    assert_eq!(a.status, 422);
    assert!(
        a.body.contains("2099-13-01 is not a date")
            && a.body.contains("Enter why the date has moved")
    );
    let a = api
        .form_from(
            &lead_token,
            &page,
            &format!("{page}/date"),
            &[
                ("due", "2099-01-31"),
                ("reason", "The new case system arrives late"),
            ],
            true,
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    let a = api.page(&board, "/plan/exceptions").await;
    assert!(
        a.body.contains(&format!("href=\"{page}\"")),
        "the moved action is slipping"
    );
    let a = api
        .form_from(
            &lead_token,
            &page,
            &format!("{page}/owner"),
            &[("owner", &lead.to_string())],
            true,
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    let mine = api.page(&owner_token, "/plan/my-actions").await;
    assert!(
        !mine.body.contains(&format!("href=\"{page}\"")),
        "no longer theirs"
    );
    let a = api
        .form_from(
            &lead_token,
            "/plan/priorities/1",
            "/plan/priorities/1/actions",
            &[
                ("strand", "partners"),
                ("text", "Agree a joint workforce plan with the health trust"),
                ("owner", &owner.to_string()),
                ("due", "2099-03-31"),
            ],
            true,
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    let added = a.headers["location"].to_str().unwrap().to_string();
    assert!(added.ends_with("?saved=added"), "{added}");
    let mine = api.page(&owner_token, "/plan/my-actions").await;
    assert!(
        mine.body
            .contains("Agree a joint workforce plan with the health trust")
    );
    // Only the lead adds actions.
    let a = api
        .form_from(
            &owner_token,
            "/plan/priorities/1",
            "/plan/priorities/1/actions",
            &[
                ("strand", "people"),
                ("text", "Not the lead's"),
                ("owner", &owner.to_string()),
                ("due", "2099-03-31"),
            ],
            true,
        )
        .await;
    assert_eq!(a.status, 403, "{}", a.body);

    // The lead records a board meeting; the board's members read what it decided.
    let a = api
        .form_from(
            &lead_token,
            "/plan",
            "/plan/meetings",
            &[("board", "1"), ("at", "2099-01-01"), ("decisions", "")],
            true,
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert!(a.body.contains("still to come") && a.body.contains("one decision a line"));
    let today = chrono::Local::now().date_naive().to_string();
    let version = hidden(&api.page(&lead_token, "/plan").await.body, "version-1");
    let a = api
        .form_from(
            &lead_token,
            "/plan",
            "/plan/meetings",
            &[
                ("version-1", &version),
                ("board", "1"),
                ("at", &today),
                (
                    "decisions",
                    "Agreed the recovery plan.\nAsked for a workforce plan.",
                ),
            ],
            true,
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    let a = api.page(&board, "/plan").await;
    assert!(a.body.contains("Asked for a workforce plan."), "{}", a.body);
    assert!(
        !a.body.contains("Record the meeting"),
        "the board member records none"
    );
    let a = api
        .form_from(
            &board,
            "/plan",
            "/plan/meetings",
            &[("board", "1"), ("at", &today), ("decisions", "Ours")],
            true,
        )
        .await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert!(a.body.contains("Only the board"), "{}", a.body);
    // An action arising from it names the meeting.
    let priority = api.page(&lead_token, "/plan/priorities/2").await;
    let arising = priority
        .body
        .split("<option value=\"")
        .skip(1)
        .find(|o| {
            o.contains("Improvement Board, ")
                && o.contains(&chrono::Local::now().format("%-d %B %Y").to_string())
        })
        .map(|o| o.split('"').next().unwrap().to_string())
        .expect("today's meeting is offered");
    let a = api
        .form_from(
            &lead_token,
            "/plan/priorities/2",
            "/plan/priorities/2/actions",
            &[
                ("strand", "practice"),
                ("text", "Present the front door's recovery plan"),
                ("owner", &owner.to_string()),
                ("due", "2099-02-28"),
                ("arising_from", &arising),
            ],
            true,
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    let added = a.headers["location"]
        .to_str()
        .unwrap()
        .replace("?saved=added", "");
    let a = api.page(&board, &added).await;
    assert!(
        a.body.contains("arising from the Improvement Board on"),
        "{}",
        a.body
    );

    // The lead writes the report's finance section; the board reads it there.
    let a = api
        .form_from(
            &lead_token,
            "/scrutiny-report",
            "/scrutiny-report",
            &[
                ("finance", "No new money this year."),
                (
                    "human_resources",
                    "Recruitment follows the council's policy.",
                ),
                ("equality", "No assessment needed yet."),
            ],
            true,
        )
        .await;
    assert_eq!(a.status, 303, "{}", a.body);
    let a = api.page(&board, "/scrutiny-report").await;
    assert!(a.body.contains("No new money this year."));
}

/// Waits (up to 30 s) until the administrators' page lists `runs` runs, and gives the page.
async fn runs_listed(api: &Api, token: &str, runs: usize) -> String {
    for _ in 0..120 {
        let page = api.page(token, "/imports").await;
        assert_eq!(page.status, 200, "{}", page.body);
        if page.body.matches("class=\"govuk-tag ").count() >= runs {
            return page.body;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    panic!("the watched folder's run {runs} is not listed");
}

/// `hearth serve --ssd-watch DIR` takes each extract that lands in the folder once its files
/// stop changing, and not again while they stay the same; the next extract is taken over it;
/// a broken one is refused whole. Every run is listed for administrators, with a download,
/// and nobody else may see it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_extract_landing_in_the_watched_folder_is_taken_once_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let watched = dir.path().join("extract");
    std::fs::create_dir(&watched).unwrap();
    let write = |name: &str, text: &str| std::fs::write(watched.join(name), text).unwrap();
    write(
        "ssd_person.csv",
        "pers_person_id,pers_forename,pers_surname,pers_sex,pers_ethnicity,pers_dob\n\
         LL1,Amy,Stone,F,WBRI,2012-04-01 00:00:00.000\n\
         LL2,Ben,Stone,M,WBRI,2014-09-30 00:00:00.000\n",
    );
    write(
        "ssd_contacts.csv",
        "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code\n\
         C1,LL1,2026-05-01 09:30:00.000,1A\n",
    );
    let (_server, base) = common::serve_with(
        dir.path(),
        &[
            "--ssd-watch",
            watched.to_str().unwrap(),
            "--ssd-watch-every",
            "1",
        ],
        &[],
    );
    add_user(dir.path(), "test.admin", "administrator", &[]);
    add_user(dir.path(), "test.worker", "practitioner", &[]);
    let api = Api {
        http: Client::builder(TokioExecutor::new()).build(HttpConnector::new()),
        base,
    };
    let admin = api.sign_in("test.admin").await;
    let worker = api.sign_in("test.worker").await;
    assert_eq!(api.page(&worker, "/imports").await.status, 403);

    // The first extract: both people are new.
    let page = runs_listed(&api, &admin, 1).await;
    assert!(page.contains(">imported<"), "{page}");
    assert!(page.contains("2 new people, 0 changed"), "{page}");
    assert!(
        page.contains("ssd_contacts: 1 rows: 1 new, 0 as before"),
        "{page}"
    );
    assert!(page.contains(watched.to_str().unwrap()), "{page}");
    // Left as it is, it is not taken again.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let page = api.page(&admin, "/imports").await.body;
    assert_eq!(page.matches("class=\"govuk-tag ").count(), 1, "{page}");

    // The next night's: Ben has a contact, and Amy's was corrected.
    write(
        "ssd_contacts.csv",
        "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code\n\
         C1,LL1,2026-05-01 09:30:00.000,2B\n\
         C2,LL2,2026-06-01 10:00:00.000,5A\n",
    );
    let page = runs_listed(&api, &admin, 2).await;
    assert!(page.contains("0 new people, 2 changed"), "{page}");
    assert!(
        page.contains("ssd_contacts: 2 rows: 1 new, 1 changed, 0 as before"),
        "{page}"
    );
    // Amy's record says where it comes from, and what the correction was. The two imported
    // are the last children numbered.
    let stats = common::hearth()
        .args(["stats", "--format", "json", "--db"])
        .arg(format!(
            "sqlite://{}",
            dir.path().join("served.db").display()
        ))
        .output()
        .unwrap();
    let stats: Value = serde_json::from_slice(&stats.stdout).unwrap();
    let amy = stats["records"]["children"].as_u64().unwrap() - 1;
    let director = api.sign_in(common::USER).await;
    let record = api.page(&director, &format!("/children/{amy}")).await;
    assert_eq!(record.status, 200);
    assert!(record.body.contains("Amy Stone"), "{}", record.body);
    assert!(
        record
            .body
            .contains("imported from its extract: correct it there"),
        "{}",
        record.body
    );
    assert!(
        record.body.contains("ssd_contacts C1 changed"),
        "{}",
        record.body
    );

    // A broken one is refused whole, saying where; nothing is written.
    write(
        "ssd_contacts.csv",
        "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code\n\
         C1,LL1,2026-05-01 09:30:00.000,2B\n\
         C2,LL9,2026-06-01 10:00:00.000,5A\n",
    );
    let page = runs_listed(&api, &admin, 3).await;
    assert!(page.contains(">refused<"), "{page}");
    assert!(
        page.contains(
            "ssd_contacts.csv, row 3, cont_person_id: `LL9` is in no row of ssd_person.csv"
        ),
        "{page}"
    );
    let csv = api.page(&admin, "/imports?format=csv").await;
    assert_eq!(csv.status, 200);
    assert!(
        csv.body
            .starts_with("started,finished,folder,outcome,events written"),
        "{}",
        csv.body
    );
    let found: Vec<&str> = csv
        .body
        .lines()
        .filter_map(|l| {
            ["refused", "imported", "unchanged", "failed"]
                .into_iter()
                .find(|o| l.contains(&format!(",{o},")))
        })
        .collect();
    assert_eq!(found, ["refused", "imported", "imported"], "{}", csv.body);
    // The two imports wrote events; the refusal wrote none.
    let written: Vec<i64> = csv
        .body
        .lines()
        .filter_map(|l| {
            let fields: Vec<&str> = l.split(',').collect();
            fields.get(4).and_then(|n| n.parse().ok())
        })
        .collect();
    assert_eq!(written.len(), 3, "{}", csv.body);
    assert!(
        written[0] == 0 && written[1] > 0 && written[2] > 0,
        "{written:?}"
    );
}
