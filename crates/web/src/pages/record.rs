//! The recording forms: the list of what someone may record for a child, one form per stage,
//! registering a new child, and the partner agency's contact form and list. Each form carries
//! the child's version when it was loaded, so a save on top of someone else's is shown as a
//! conflict rather than made; on any error the form comes back with what was typed.

use super::{Chrome, capital, real_name, render};
use crate::AppState;
use crate::auth::{self, SignedIn};
use crate::permissions::{Can, Power, forbidden, needs};
use crate::recording::fields::{Answers, Field, FieldError, Input};
use crate::recording::{self, Refused, partner, stages};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::model::Child;
use domain::{ChildId, Model};
use std::collections::HashMap;

/// A field as the template draws it.
pub struct Shown {
    pub id: String,
    pub name: String,
    pub label: String,
    pub hint: &'static str,
    /// date, datetime, text, textarea, radios, select, checkboxes, attendance, heading
    pub widget: &'static str,
    pub value: String,
    /// Value, label, and whether it is chosen.
    pub options: Vec<(String, String, bool)>,
    /// For attendance: each agency's code, label and answer.
    pub rows: Vec<(String, String, String)>,
    pub error: Option<String>,
    pub optional: bool,
}

/// How a record is offered in a list: its kind, number and date ("Referral 2, 4 November 2026").
fn record_label(c: &Child, id: domain::RecordId, kind: domain::model::RecordKind) -> String {
    let name = capital(&format!("{} {}", kind.label(), id.0));
    match c.record_date(id) {
        Some(d) => format!("{name}, {}", d.format("%-d %B %Y")),
        None => name,
    }
}

/// Everyone on the staff now, by name.
fn staff(model: &Model) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = model
        .workers
        .values()
        .filter(|w| w.left.is_none())
        .map(|w| (w.id.0.to_string(), w.name.clone()))
        .collect();
    list.sort_by(|a, b| a.1.cmp(&b.1));
    list
}

/// The fields to draw, with what was typed and what is wrong.
fn shown(
    fields: &[Field],
    prefix: &str,
    model: &Model,
    child: Option<&Child>,
    typed: &HashMap<String, Vec<String>>,
    errors: &[FieldError],
    out: &mut Vec<Shown>,
) {
    for f in fields {
        let name = format!("{prefix}{}", f.name);
        let values = typed.get(&name).cloned().unwrap_or_default();
        let value = values.first().cloned().unwrap_or_default();
        let error = errors
            .iter()
            .find(|e| e.field == name || e.field.starts_with(&format!("{name}.")))
            .map(|e| e.message.clone());
        let choose = |list: Vec<(String, String)>| -> Vec<(String, String, bool)> {
            list.into_iter()
                .map(|(v, l)| {
                    let on = values.contains(&v);
                    (v, l, on)
                })
                .collect()
        };
        let owned = |o: Vec<(&str, &str)>| -> Vec<(String, String)> {
            o.into_iter()
                .map(|(c, l)| (c.to_string(), l.to_string()))
                .collect()
        };
        let (widget, options, rows) = match f.input {
            Input::Date => ("date", vec![], vec![]),
            Input::DateTime => ("datetime", vec![], vec![]),
            Input::Text | Input::Count | Input::Between(..) | Input::Fte => {
                ("text", vec![], vec![])
            }
            Input::LongText => ("textarea", vec![], vec![]),
            Input::Lines => ("textarea", vec![], vec![]),
            Input::YesNo => (
                "radios",
                choose(vec![
                    ("yes".into(), "Yes".into()),
                    ("no".into(), "No".into()),
                ]),
                vec![],
            ),
            Input::Choice(o) => {
                let list = owned(o());
                if list.len() <= 6 {
                    ("radios", choose(list), vec![])
                } else {
                    ("select", choose(list), vec![])
                }
            }
            Input::Choices(o) => ("checkboxes", choose(owned(o())), vec![]),
            Input::Record(kind) => {
                let list = child
                    .map(|c| {
                        c.records
                            .iter()
                            .filter(|(_, k)| *k == kind)
                            .rev()
                            .map(|(r, k)| (r.0.to_string(), record_label(c, *r, *k)))
                            .collect()
                    })
                    .unwrap_or_default();
                ("select", choose(list), vec![])
            }
            Input::AnyRecord => {
                let list = child
                    .map(|c| {
                        c.records
                            .iter()
                            .rev()
                            .map(|(r, k)| (r.0.to_string(), record_label(c, *r, *k)))
                            .collect()
                    })
                    .unwrap_or_default();
                ("select", choose(list), vec![])
            }
            Input::Worker => ("select", choose(staff(model)), vec![]),
            Input::Workers => ("select-multiple", choose(staff(model)), vec![]),
            Input::Team => {
                let mut list: Vec<(String, String)> = model
                    .teams
                    .values()
                    .filter(|t| t.closed.is_none())
                    .map(|t| (t.id.0.to_string(), t.name.clone()))
                    .collect();
                list.sort_by(|a, b| a.1.cmp(&b.1));
                ("select", choose(list), vec![])
            }
            Input::Attendance(o) => {
                let rows = o()
                    .into_iter()
                    .map(|(code, label)| {
                        let key = format!("{name}.{code}");
                        let answer = typed
                            .get(&key)
                            .and_then(|v| v.first().cloned())
                            .unwrap_or_else(|| "not_invited".into());
                        (code.to_string(), label.to_string(), answer)
                    })
                    .collect();
                ("attendance", vec![], rows)
            }
            Input::Group(inner) => {
                out.push(Shown {
                    id: name.replace('.', "-"),
                    name: name.clone(),
                    label: capital(f.label),
                    hint: f.hint,
                    widget: "heading",
                    value: String::new(),
                    options: vec![],
                    rows: vec![],
                    error: None,
                    optional: !f.required,
                });
                shown(inner, &format!("{name}."), model, child, typed, errors, out);
                continue;
            }
        };
        let value = if matches!(f.input, Input::Lines) {
            values.join("\n")
        } else {
            value
        };
        out.push(Shown {
            id: name.replace('.', "-"),
            name,
            label: capital(f.label),
            hint: f.hint,
            widget,
            value,
            options,
            rows,
            error,
            optional: !f.required,
        });
    }
}

#[derive(Template)]
#[template(path = "record.html")]
struct FormPage {
    chrome: Chrome,
    title: String,
    error: bool,
    /// The child's name, above the heading; empty when registering.
    caption: String,
    action: String,
    back: String,
    version: u32,
    fields: Vec<Shown>,
    /// Errors as the summary lists them: the field's id to link to, and the message.
    summary: Vec<(String, String)>,
    /// What others saved since the form was loaded, when the save conflicted.
    conflict: Vec<String>,
}

/// What a form page needs besides its fields.
pub(super) struct Framing<'a> {
    pub who: &'a SignedIn,
    pub title: String,
    pub caption: String,
    pub action: String,
    pub back: String,
    pub version: u32,
    /// The child recorded for; `None` while registering one, for a partner's contact, or for
    /// a record about staff.
    pub child: Option<ChildId>,
}

pub(super) fn form_page(
    state: &AppState,
    frame: Framing,
    fields: &'static [Field],
    typed: &HashMap<String, Vec<String>>,
    errors: &[FieldError],
    conflict: Vec<String>,
    status: StatusCode,
) -> Response {
    let live = state.read();
    let model = live.model();
    let c = frame
        .child
        .and_then(|id| state.recent.child(model, id))
        .map(|(_, c)| c);
    let mut list = Vec::new();
    shown(fields, "", model, c.as_ref(), typed, errors, &mut list);
    let first_field = list
        .iter()
        .find(|s| s.widget != "heading")
        .map(|s| s.id.clone())
        .unwrap_or_default();
    let summary = errors
        .iter()
        .map(|e| {
            let id = if e.field.is_empty() {
                first_field.clone()
            } else {
                e.field.replace('.', "-")
            };
            (id, e.message.clone())
        })
        .collect();
    let page = FormPage {
        chrome: Chrome::new(Some(frame.who), Some(&live), ""),
        error: !errors.is_empty() || !conflict.is_empty(),
        title: frame.title,
        caption: frame.caption,
        action: frame.action,
        back: frame.back,
        version: frame.version,
        fields: list,
        summary,
        conflict,
    };
    let mut answer = render(&page);
    *answer.status_mut() = status;
    answer
}

/// A form's body: every name with all its values, as text.
fn form_fields(body: &Bytes) -> Result<HashMap<String, Vec<String>>, Box<Response>> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).map_err(|_| {
        Box::new(super::error_page(
            StatusCode::BAD_REQUEST,
            "The form could not be read",
            "Go back, reload the page and try again.",
        ))
    })?;
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in pairs {
        map.entry(k).or_default().push(v);
    }
    Ok(map)
}

/// A posted form's fields, once it is known to come from a page this session was shown.
pub(super) fn checked_form(
    headers: &HeaderMap,
    who: &SignedIn,
    body: &Bytes,
) -> Result<HashMap<String, Vec<String>>, Box<Response>> {
    let form = form_fields(body)?;
    form_from_us(headers, who, &form)?;
    Ok(form)
}

/// A form from another site carrying this browser's cookie is refused.
fn form_from_us(
    headers: &HeaderMap,
    who: &SignedIn,
    form: &HashMap<String, Vec<String>>,
) -> Result<(), Box<Response>> {
    let token = form
        .get("form_token")
        .and_then(|v| v.first())
        .map_or("", String::as_str);
    if auth::form_token_matches(headers, token) && token == who.form_token {
        Ok(())
    } else {
        tracing::info!(user = %who.user.username, "form refused: it did not carry this session's token");
        Err(Box::new(super::error_page_for(
            Some(who),
            StatusCode::FORBIDDEN,
            "This form has expired",
            "Go back, reload the page and try again. Nothing was saved.",
        )))
    }
}

/// Someone who may not open a restricted record is sent to its page, which asks them why.
fn gate(state: &AppState, who: &SignedIn, child: ChildId) -> Option<Response> {
    (!super::child::may_open_now(state, who, child))
        .then(|| Redirect::to(&format!("/children/{}", child.0)).into_response())
}

fn child_of(state: &AppState, id: &str) -> Option<(ChildId, String, u32)> {
    let child = ChildId(id.parse().ok()?);
    let live = state.read();
    let (version, c) = state.recent.child(live.model(), child)?;
    Some((child, real_name(&c), version))
}

#[derive(Template)]
#[template(path = "record_list.html")]
struct ListPage {
    chrome: Chrome,
    title: String,
    error: bool,
    caption: String,
    back: String,
    groups: Vec<(&'static str, Vec<(String, &'static str)>)>,
}

/// What this person may record for the child, grouped.
pub async fn list(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadChildren>,
    Path(id): Path<String>,
) -> Response {
    let Some((child, name, _)) = child_of(&state, &id) else {
        return super::not_found(&format!("There is no child with the number {id}."));
    };
    if let Some(to) = gate(&state, &who, child) {
        return to;
    }
    let mut groups: Vec<(&'static str, Vec<(String, &'static str)>)> = Vec::new();
    for s in stages::STAGES.iter().filter(|s| who.role.may(s.power)) {
        let href = format!("/children/{}/record/{}", child.0, s.kind);
        match groups.iter_mut().find(|(g, _)| *g == s.group) {
            Some((_, list)) => list.push((href, s.title)),
            None => groups.push((s.group, vec![(href, s.title)])),
        }
    }
    let live = state.read();
    render(&ListPage {
        chrome: Chrome::new(Some(&who), Some(&live), ""),
        title: "Record something".into(),
        error: false,
        caption: name,
        back: format!("/children/{}", child.0),
        groups,
    })
}

/// Today's date in the form's date fields, so the usual case needs no typing.
pub(super) fn defaults(state: &AppState, fields: &[Field]) -> HashMap<String, Vec<String>> {
    let today = state.today();
    let now = chrono::Local::now().naive_local();
    let mut typed = HashMap::new();
    for f in fields.iter().filter(|f| f.name == "at") {
        let v = match f.input {
            Input::DateTime if now.date() == today => now.format("%Y-%m-%dT%H:%M").to_string(),
            Input::DateTime => format!("{today}T09:00"),
            _ => today.to_string(),
        };
        typed.insert("at".to_string(), vec![v]);
    }
    typed
}

pub async fn form(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadChildren>,
    Path((id, kind)): Path<(String, String)>,
    Query(given): Query<HashMap<String, String>>,
) -> Response {
    let Some(stage) = stages::stage(&kind) else {
        return super::not_found(&format!("Nothing called '{kind}' can be recorded."));
    };
    if !who.role.may(stage.power) {
        return forbidden(&who, stage.power);
    }
    let Some((child, name, version)) = child_of(&state, &id) else {
        return super::not_found(&format!("There is no child with the number {id}."));
    };
    if let Some(to) = gate(&state, &who, child) {
        return to;
    }
    let mut typed = defaults(&state, stage.fields);
    if stage.kind == "child_details_corrected" {
        typed.extend(current_details(&state, child));
    }
    // A link may choose the record to act on (`?contact=3` from the front door's queue).
    for (k, v) in given {
        typed.insert(k, vec![v]);
    }
    form_page(
        &state,
        Framing {
            who: &who,
            title: stage.title.into(),
            caption: name,
            action: format!("/children/{}/record/{}", child.0, stage.kind),
            back: format!("/children/{}", child.0),
            version,
            child: Some(child),
        },
        stage.fields,
        &typed,
        &[],
        Vec::new(),
        StatusCode::OK,
    )
}

/// The child's details as they stand, to start a correction from.
fn current_details(state: &AppState, child: ChildId) -> HashMap<String, Vec<String>> {
    let live = state.read();
    let Some(c) = live.model().child(child) else {
        return HashMap::new();
    };
    let json = serde_json::to_value(&c.details).unwrap_or_default();
    let mut out = HashMap::new();
    if let Some(map) = json.as_object() {
        for (k, v) in map {
            let texts = match v {
                serde_json::Value::Array(items) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(String::from))
                    .collect(),
                serde_json::Value::Bool(b) => vec![if *b { "yes" } else { "no" }.to_string()],
                serde_json::Value::String(s) => vec![s.clone()],
                other => vec![other.to_string()],
            };
            out.insert(k.clone(), texts);
        }
    }
    out
}

pub async fn save(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::ReadChildren>,
    Path((id, kind)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(stage) = stages::stage(&kind) else {
        return super::not_found(&format!("Nothing called '{kind}' can be recorded."));
    };
    let form = match checked_form(&headers, &who, &body) {
        Ok(f) => f,
        Err(answer) => return *answer,
    };
    let Some((child, name, _)) = child_of(&state, &id) else {
        return super::not_found(&format!("There is no child with the number {id}."));
    };
    let expected: u32 = form
        .get("version")
        .and_then(|v| v.first())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let answers = Answers::Form(&form);
    let framing = |version| Framing {
        who: &who,
        title: stage.title.into(),
        caption: name.clone(),
        action: format!("/children/{}/record/{}", child.0, stage.kind),
        back: format!("/children/{}", child.0),
        version,
        child: Some(child),
    };
    let typed = answers.texts(stage.fields);
    match recording::save(&state, &who, stage, child, expected, &answers).await {
        Ok(saved) => {
            state.seen(saved.seq).await;
            Redirect::to(&format!("/children/{}?saved={}", child.0, stage.kind)).into_response()
        }
        Err(Refused::Forbidden(power)) => forbidden(&who, power),
        Err(Refused::NoSuchChild) => {
            super::not_found(&format!("There is no child with the number {id}."))
        }
        Err(Refused::Restricted) => Redirect::to(&format!("/children/{}", child.0)).into_response(),
        Err(Refused::Invalid(errors)) => form_page(
            &state,
            framing(expected),
            stage.fields,
            &typed,
            &errors,
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(Refused::Conflict { version, changes }) => {
            let conflict = changes.iter().map(describe).collect();
            form_page(
                &state,
                framing(version),
                stage.fields,
                &typed,
                &[],
                conflict,
                StatusCode::CONFLICT,
            )
        }
        Err(Refused::Unavailable(e)) => {
            tracing::error!("a save failed: {e}");
            super::error_page_for(
                Some(&who),
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, there is a problem with the service",
                "Nothing was saved. Go back and try again in a few minutes: the form still has what you typed.",
            )
        }
    }
}

/// Someone else's change, in a line.
pub(super) fn describe(e: &store::StoredEvent) -> String {
    let what = stages::stage(&e.kind)
        .or_else(|| stages::staff_stage(&e.kind).map(|(_, s)| s))
        .map_or_else(|| e.kind.replace('_', " "), |s| s.title.into());
    format!(
        "{} at {}: {}",
        e.actor,
        e.recorded_at.format("%H:%M on %-d %B"),
        what
    )
}

pub async fn new_child_form(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::RecordFrontDoor>,
) -> Response {
    form_page(
        &state,
        new_child_framing(&who),
        stages::REGISTER.fields,
        &defaults(&state, stages::REGISTER.fields),
        &[],
        Vec::new(),
        StatusCode::OK,
    )
}

fn new_child_framing(who: &SignedIn) -> Framing<'_> {
    Framing {
        who,
        title: stages::REGISTER.title.into(),
        caption: String::new(),
        action: "/children/new".into(),
        back: "/front-door".into(),
        version: 0,
        child: None,
    }
}

pub async fn new_child(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::RecordFrontDoor>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = match checked_form(&headers, &who, &body) {
        Ok(f) => f,
        Err(answer) => return *answer,
    };
    let answers = Answers::Form(&form);
    match recording::register(&state, &who, &answers).await {
        Ok(saved) => {
            state.seen(saved.seq).await;
            // A child is registered at the front door because a contact has come in.
            Redirect::to(&format!(
                "/children/{}/record/contact_received",
                saved.child
            ))
            .into_response()
        }
        Err(Refused::Invalid(errors)) => form_page(
            &state,
            new_child_framing(&who),
            stages::REGISTER.fields,
            &answers.texts(stages::REGISTER.fields),
            &errors,
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(Refused::Forbidden(power)) => forbidden(&who, power),
        Err(other) => {
            tracing::error!("a registration failed: {other:?}");
            super::error_page_for(
                Some(&who),
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, there is a problem with the service",
                "Nothing was saved. Go back and try again in a few minutes.",
            )
        }
    }
}

// ---- The partner portal

fn partner_framing(who: &SignedIn) -> Framing<'_> {
    Framing {
        who,
        title: "Tell us about a child you are worried about".into(),
        caption: String::new(),
        action: "/contacts/new".into(),
        back: "/contacts".into(),
        version: 0,
        child: None,
    }
}

pub async fn partner_form(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::SubmitContact>,
) -> Response {
    form_page(
        &state,
        partner_framing(&who),
        partner::FIELDS,
        &HashMap::new(),
        &[],
        Vec::new(),
        StatusCode::OK,
    )
}

pub async fn partner_submit(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::SubmitContact>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = match checked_form(&headers, &who, &body) {
        Ok(f) => f,
        Err(answer) => return *answer,
    };
    let answers = Answers::Form(&form);
    match partner::submit(&state, &who, &answers).await {
        Ok(saved) => {
            state.seen(saved.seq).await;
            Redirect::to(&format!("/contacts?sent={}-1", saved.child)).into_response()
        }
        Err(Refused::Invalid(errors)) => form_page(
            &state,
            partner_framing(&who),
            partner::FIELDS,
            &answers.texts(partner::FIELDS),
            &errors,
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(Refused::Forbidden(power)) => forbidden(&who, power),
        Err(other) => {
            tracing::error!("a partner's contact failed: {other:?}");
            super::error_page_for(
                Some(&who),
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, there is a problem with the service",
                "Your contact was not sent. Go back and try again in a few minutes; if a child is at immediate risk, call the police on 999.",
            )
        }
    }
}

#[derive(Template)]
#[template(path = "partner_contacts.html")]
struct PartnerPage {
    chrome: Chrome,
    title: String,
    error: bool,
    sent: Option<String>,
    list: Vec<partner::Submission>,
}

#[derive(serde::Deserialize)]
pub struct Sent {
    sent: Option<String>,
}

pub async fn partner_list(
    State(state): State<AppState>,
    Can { who, .. }: Can<needs::SubmitContact>,
    Query(q): Query<Sent>,
) -> Response {
    let list = match partner::submitted_by(&state, &who).await {
        Ok(list) => list,
        Err(e) => {
            tracing::error!("could not read a partner's contacts: {e}");
            return super::error_page_for(
                Some(&who),
                StatusCode::SERVICE_UNAVAILABLE,
                "Sorry, there is a problem with the service",
                "Your contacts cannot be listed just now. Try again in a few minutes.",
            );
        }
    };
    let live = state.read();
    render(&PartnerPage {
        chrome: Chrome::new(Some(&who), Some(&live), "/contacts"),
        title: "Your contacts".into(),
        error: false,
        sent: q.sent,
        list,
    })
}

/// Whether this person may record anything at all for a child (to offer the link).
pub fn may_record(who: &SignedIn) -> bool {
    stages::STAGES.iter().any(|s| who.role.may(s.power))
}

/// Whether this person may register a child.
pub fn may_register(who: &SignedIn) -> bool {
    who.role.may(Power::RecordFrontDoor)
}
