//! The JSON API under `/api/v1`: the same stages as the pages' forms, with the same powers,
//! checks and conflict detection, for case systems, scripts and partner agencies' systems.
//!
//! A caller signs in with `POST /api/v1/sessions` and sends the token it gets back as
//! `Authorization: Bearer <token>`. A browser's session cookie works too, for reads; a write
//! made with the cookie must carry the page's form token in `X-Hearth-Form-Token`, so that
//! another site cannot write with a signed-in browser.

pub mod openapi;

use crate::AppState;
use crate::auth::{self, SignedIn};
use crate::permissions::Power;
use crate::recording::fields::{Answers, FieldError};
use crate::recording::{self, Refused, stages};
use axum::Json;
use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::ChildId;
use serde::Deserialize;
use serde_json::{Value, json};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/sessions", post(sign_in))
        .route("/api/v1/stages", get(list_stages))
        .route("/api/v1/children", post(register))
        .route("/api/v1/children/{id}", get(child))
        .route("/api/v1/children/{id}/events", get(events))
        .route("/api/v1/children/{id}/{kind}", post(record))
        .route(
            "/api/v1/partner/contacts",
            post(partner_contact).get(partner_contacts),
        )
        .route("/api/v1/workers", post(new_worker))
        .route("/api/v1/workers/{id}", get(worker))
        .route("/api/v1/workers/{id}/{kind}", post(worker_record))
        .route("/api/v1/teams", post(new_team))
        .route("/api/v1/teams/{id}", get(team))
        .route("/api/v1/teams/{id}/{kind}", post(team_record))
}

/// An answer with a JSON body saying what went wrong.
pub fn problem(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// A caller of the API, signed in by bearer token or by cookie.
pub struct Caller(pub SignedIn);

impl FromRequestParts<AppState> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let (token, by_cookie) = match bearer {
            Some(t) => (t, false),
            None => match auth::token(&parts.headers) {
                Some(t) => (t, true),
                None => {
                    return Err(problem(
                        StatusCode::UNAUTHORIZED,
                        "sign in first: POST /api/v1/sessions, then send the token as Authorization: Bearer <token>",
                    ));
                }
            },
        };
        let who = match auth::session(state, token).await {
            Ok(Some(who)) => who,
            Ok(None) => {
                return Err(problem(
                    StatusCode::UNAUTHORIZED,
                    "the session has ended or was never started: sign in again",
                ));
            }
            Err(()) => {
                return Err(problem(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Hearth cannot reach its database; try again in a few minutes",
                ));
            }
        };
        if by_cookie && parts.method != Method::GET && !form_token_in_header(&parts.headers, &who) {
            return Err(problem(
                StatusCode::FORBIDDEN,
                "a write with the browser's cookie must carry the page's form token in X-Hearth-Form-Token",
            ));
        }
        Ok(Caller(who))
    }
}

fn form_token_in_header(headers: &HeaderMap, who: &SignedIn) -> bool {
    headers
        .get("x-hearth-form-token")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| auth::form_token_matches(headers, t) && t == who.form_token)
}

fn forbidden(who: &SignedIn, power: Power) -> Response {
    problem(
        StatusCode::FORBIDDEN,
        &format!(
            "the role {} may not do this: it needs the power to {}",
            who.role.slug(),
            power.label().to_lowercase()
        ),
    )
}

/// A JSON body, or the 4xx answer that says what is wrong with it.
fn body(json: Result<Json<Value>, JsonRejection>) -> Result<Value, Box<Response>> {
    match json {
        Ok(Json(v)) if v.is_object() => Ok(v),
        Ok(_) => Err(Box::new(problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the body must be a JSON object",
        ))),
        Err(e) => Err(Box::new(problem(e.status(), &e.body_text()))),
    }
}

#[derive(Deserialize)]
struct SignIn {
    username: String,
    password: String,
}

async fn sign_in(
    State(state): State<AppState>,
    json: Result<Json<SignIn>, JsonRejection>,
) -> Response {
    let c = match json {
        Ok(Json(c)) => c,
        Err(e) => return problem(e.status(), &e.body_text()),
    };
    match auth::start_session(&state, c.username.trim(), c.password).await {
        Ok(token) => (
            StatusCode::CREATED,
            Json(json!({
                "token": token,
                "idle_timeout_minutes": auth::IDLE.num_minutes(),
            })),
        )
            .into_response(),
        Err(refused) => problem(refused.status, refused.message),
    }
}

async fn list_stages(Caller(_who): Caller) -> Response {
    let mut list: Vec<Value> = stages::STAGES
        .iter()
        .map(|s| {
            json!({
                "kind": s.kind,
                "title": s.title,
                "group": s.group,
                "power": format!("{:?}", s.power),
                "path": format!("/api/v1/children/{{id}}/{}", s.kind),
            })
        })
        .collect();
    list.extend(stages::STAFF_STAGES.iter().map(|(whose, s)| {
        json!({
            "kind": s.kind,
            "title": s.title,
            "group": s.group,
            "power": format!("{:?}", s.power),
            "path": openapi::staff_path(*whose, s),
        })
    }));
    Json(list).into_response()
}

fn child_id(id: &str) -> Option<ChildId> {
    id.parse().ok().map(ChildId)
}

/// The child a read names, once the caller's power is checked and the read is in the access
/// log; or the answer that says why not.
async fn readable(
    state: &AppState,
    who: &SignedIn,
    id: &str,
    reason: &str,
    reason_header: Option<&str>,
) -> Result<ChildId, Box<Response>> {
    if !who.role.may(Power::ReadChildren) {
        return Err(Box::new(forbidden(who, Power::ReadChildren)));
    }
    let known = |c: &ChildId| state.recent.child(state.read().model(), *c).is_some();
    let Some(child) = child_id(id).filter(known) else {
        return Err(Box::new(problem(
            StatusCode::NOT_FOUND,
            &format!("there is no child {id}"),
        )));
    };
    let allowed = {
        let live = state.read();
        state
            .recent
            .child(live.model(), child)
            .is_some_and(|(_, c)| crate::permissions::may_open(&state.opened, who, &c))
    };
    if !allowed {
        let given = reason_header.map(str::trim).unwrap_or_default();
        if given.chars().count() < 10 {
            return Err(Box::new(restricted()));
        }
        if crate::pages::child::log_reason(state, who, child, given)
            .await
            .is_err()
        {
            return Err(Box::new(problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "the reason could not be written to the access log, so the record is not sent",
            )));
        }
    }
    if !log_read(state, who, child, reason).await {
        return Err(Box::new(problem(
            StatusCode::SERVICE_UNAVAILABLE,
            "the read could not be written to the access log, so the record is not sent",
        )));
    }
    Ok(child)
}

fn restricted() -> Response {
    problem(
        StatusCode::FORBIDDEN,
        "this record is restricted to the people it names: to open it, read it again with the header X-Hearth-Reason saying why (it is logged and reported to managers)",
    )
}

/// Reads are logged before anything is sent, as on the pages.
async fn log_read(state: &AppState, who: &SignedIn, child: ChildId, reason: &str) -> bool {
    let entry = store::AccessEntry {
        actor: who.user.username.clone(),
        stream: child.to_string(),
        record: None,
        reason: reason.into(),
    };
    match state.store.log_access(&entry).await {
        Ok(()) => true,
        Err(e) => {
            tracing::error!("could not write to the access log: {e}");
            false
        }
    }
}

async fn child(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let given = headers.get("x-hearth-reason").and_then(|v| v.to_str().ok());
    let child = match readable(&state, &who, &id, "API: child's record", given).await {
        Ok(child) => child,
        Err(answer) => return *answer,
    };
    let live = state.read();
    let m = live.model();
    let Some((version, c)) = state.recent.child(m, child) else {
        return problem(StatusCode::NOT_FOUND, &format!("there is no child {id}"));
    };
    let details = serde_json::to_value(&c.details).unwrap_or_default();
    let records: Vec<Value> = c
        .records
        .iter()
        .map(|(r, k)| json!({ "record": r.0, "kind": k.label() }))
        .collect();
    let allocation = c
        .current_allocation()
        .map(|a| json!({ "worker": a.worker.0, "team": a.team.0, "from": a.from }));
    Json(json!({
        "id": child.0,
        "version": version,
        "details": details,
        "open": c.is_open(),
        "allocation": allocation,
        "records": records,
    }))
    .into_response()
}

async fn events(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let given = headers.get("x-hearth-reason").and_then(|v| v.to_str().ok());
    let child = match readable(&state, &who, &id, "API: child's events", given).await {
        Ok(child) => child,
        Err(answer) => return *answer,
    };
    match state.store.read_stream(&child.to_string()).await {
        Ok(events) => Json(events.iter().map(event_json).collect::<Vec<_>>()).into_response(),
        Err(e) => {
            tracing::error!("could not read a child's events: {e}");
            problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "the record could not be read",
            )
        }
    }
}

fn event_json(e: &store::StoredEvent) -> Value {
    json!({
        "seq": e.seq,
        "version": e.version,
        "kind": e.kind,
        "recorded_at": e.recorded_at,
        "recorded_by": e.actor,
        "body": serde_json::from_str::<Value>(&e.body).unwrap_or(Value::Null),
    })
}

/// The answer to a refused save.
fn refused(who: &SignedIn, r: Refused) -> Response {
    match r {
        Refused::Forbidden(power) => forbidden(who, power),
        Refused::NoSuchChild => problem(StatusCode::NOT_FOUND, "there is no such child"),
        Refused::Restricted => restricted(),
        Refused::Invalid(errors) => invalid(errors),
        Refused::Conflict { version, changes } => (
            StatusCode::CONFLICT,
            Json(json!({
                "error": "someone else saved this child's record since the version you named: read their changes, then save again naming the current version",
                "version": version,
                "changes": changes.iter().map(event_json).collect::<Vec<_>>(),
            })),
        )
            .into_response(),
        Refused::Unavailable(e) => {
            tracing::error!("a save failed: {e}");
            problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "the save could not be written; nothing was saved; try again",
            )
        }
    }
}

fn invalid(errors: Vec<FieldError>) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({
            "error": "some fields are not right: nothing was saved",
            "errors": errors,
        })),
    )
        .into_response()
}

async fn record(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path((id, kind)): Path<(String, String)>,
    json: Result<Json<Value>, JsonRejection>,
) -> Response {
    let Some(stage) = stages::stage(&kind) else {
        return problem(
            StatusCode::NOT_FOUND,
            &format!("nothing called '{kind}' can be recorded: GET /api/v1/stages lists what can"),
        );
    };
    if !who.role.may(stage.power) {
        return forbidden(&who, stage.power);
    }
    let Some(child) = child_id(&id) else {
        return problem(StatusCode::NOT_FOUND, &format!("there is no child {id}"));
    };
    let v = match body(json) {
        Ok(v) => v,
        Err(answer) => return *answer,
    };
    let Some(expected) = v
        .get("expected_version")
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok())
    else {
        return invalid(vec![FieldError::new(
            "expected_version",
            "Give expected_version: the child's version when you read the record (GET /api/v1/children/{id})",
        )]);
    };
    match recording::save(&state, &who, stage, child, expected, &Answers::Json(&v)).await {
        Ok(saved) => (StatusCode::CREATED, Json(saved)).into_response(),
        Err(r) => refused(&who, r),
    }
}

async fn register(
    State(state): State<AppState>,
    Caller(who): Caller,
    json: Result<Json<Value>, JsonRejection>,
) -> Response {
    if !who.role.may(stages::REGISTER.power) {
        return forbidden(&who, stages::REGISTER.power);
    }
    let v = match body(json) {
        Ok(v) => v,
        Err(answer) => return *answer,
    };
    match recording::register(&state, &who, &Answers::Json(&v)).await {
        Ok(saved) => (StatusCode::CREATED, Json(saved)).into_response(),
        Err(r) => refused(&who, r),
    }
}

async fn partner_contact(
    State(state): State<AppState>,
    Caller(who): Caller,
    json: Result<Json<Value>, JsonRejection>,
) -> Response {
    if !who.role.may(Power::SubmitContact) {
        return forbidden(&who, Power::SubmitContact);
    }
    let v = match body(json) {
        Ok(v) => v,
        Err(answer) => return *answer,
    };
    match recording::partner::submit(&state, &who, &Answers::Json(&v)).await {
        Ok(saved) => (StatusCode::CREATED, Json(saved)).into_response(),
        Err(r) => refused(&who, r),
    }
}

async fn partner_contacts(State(state): State<AppState>, Caller(who): Caller) -> Response {
    if !who.role.may(Power::SubmitContact) {
        return forbidden(&who, Power::SubmitContact);
    }
    match recording::partner::submitted_by(&state, &who).await {
        Ok(list) => Json(list).into_response(),
        Err(e) => {
            tracing::error!("could not read a partner's contacts: {e}");
            problem(
                StatusCode::SERVICE_UNAVAILABLE,
                "the list could not be read",
            )
        }
    }
}

// ---- Staff and teams

fn may_see_staff(who: &SignedIn) -> bool {
    who.role.may(Power::ManageStaff) || who.role.may(Power::ReadMeasures)
}

async fn worker(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Response {
    if !may_see_staff(&who) {
        return forbidden(&who, Power::ManageStaff);
    }
    let live = state.read();
    let m = live.model();
    let Some(w) = id
        .parse()
        .ok()
        .and_then(|n| m.workers.get(&domain::WorkerId(n)))
    else {
        return problem(StatusCode::NOT_FOUND, &format!("there is no worker {id}"));
    };
    let now = w.current();
    Json(json!({
        "id": w.id.0,
        "version": m.version(domain::StreamId::Worker(w.id)),
        "name": w.name,
        "team": now.team.0,
        "role": now.role.code(),
        "employment": now.employment.code(),
        "fte": now.fte,
        "joined": w.joined,
        "left": w.left,
    }))
    .into_response()
}

async fn team(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path(id): Path<String>,
) -> Response {
    if !may_see_staff(&who) {
        return forbidden(&who, Power::ManageStaff);
    }
    let live = state.read();
    let m = live.model();
    let Some(t) = id
        .parse()
        .ok()
        .and_then(|n| m.teams.get(&domain::TeamId(n)))
    else {
        return problem(StatusCode::NOT_FOUND, &format!("there is no team {id}"));
    };
    Json(json!({
        "id": t.id.0,
        "version": m.version(domain::StreamId::Team(t.id)),
        "name": t.name,
        "service": t.service.code(),
        "area": t.area,
        "established": t.established,
        "closed": t.closed,
    }))
    .into_response()
}

/// Records a stage about staff: a new worker or team (`record` New), or one already there.
async fn staff_save(
    state: &AppState,
    who: &SignedIn,
    kind: &str,
    whose: stages::Staff,
    record: recording::StaffRecord,
    json: Result<Json<Value>, JsonRejection>,
) -> Response {
    let Some((w, stage)) = stages::staff_stage(kind).filter(|(w, s)| {
        *w == whose && (s.opens.is_some() == matches!(record, recording::StaffRecord::New))
    }) else {
        return problem(
            StatusCode::NOT_FOUND,
            &format!(
                "nothing called '{kind}' can be recorded here: GET /api/v1/stages lists what can"
            ),
        );
    };
    if !who.role.may(stage.power) {
        return forbidden(who, stage.power);
    }
    let v = match body(json) {
        Ok(v) => v,
        Err(answer) => return *answer,
    };
    let expected = match record {
        recording::StaffRecord::New => 0,
        _ => match v
            .get("expected_version")
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
        {
            Some(n) => n,
            None => {
                return invalid(vec![FieldError::new(
                    "expected_version",
                    "Give expected_version: the record's version when you read it",
                )]);
            }
        },
    };
    match recording::save_staff(state, who, kind, record, expected, &Answers::Json(&v)).await {
        Ok(saved) => {
            let name = match w {
                stages::Staff::Worker => "worker",
                stages::Staff::Team => "team",
            };
            (
                StatusCode::CREATED,
                Json(json!({ name: saved.child, "version": saved.version, "seq": saved.seq })),
            )
                .into_response()
        }
        Err(Refused::NoSuchChild) => {
            problem(StatusCode::NOT_FOUND, "there is no such worker or team")
        }
        Err(r) => refused(who, r),
    }
}

async fn new_worker(
    State(state): State<AppState>,
    Caller(who): Caller,
    json: Result<Json<Value>, JsonRejection>,
) -> Response {
    staff_save(
        &state,
        &who,
        "worker_joined",
        stages::Staff::Worker,
        recording::StaffRecord::New,
        json,
    )
    .await
}

async fn new_team(
    State(state): State<AppState>,
    Caller(who): Caller,
    json: Result<Json<Value>, JsonRejection>,
) -> Response {
    staff_save(
        &state,
        &who,
        "team_established",
        stages::Staff::Team,
        recording::StaffRecord::New,
        json,
    )
    .await
}

async fn worker_record(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path((id, kind)): Path<(String, String)>,
    json: Result<Json<Value>, JsonRejection>,
) -> Response {
    let Ok(n) = id.parse() else {
        return problem(StatusCode::NOT_FOUND, &format!("there is no worker {id}"));
    };
    let record = recording::StaffRecord::Worker(domain::WorkerId(n));
    staff_save(&state, &who, &kind, stages::Staff::Worker, record, json).await
}

async fn team_record(
    State(state): State<AppState>,
    Caller(who): Caller,
    Path((id, kind)): Path<(String, String)>,
    json: Result<Json<Value>, JsonRejection>,
) -> Response {
    let Ok(n) = id.parse() else {
        return problem(StatusCode::NOT_FOUND, &format!("there is no team {id}"));
    };
    let record = recording::StaffRecord::Team(domain::TeamId(n));
    staff_save(&state, &who, &kind, stages::Staff::Team, record, json).await
}
