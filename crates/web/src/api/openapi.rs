//! The OpenAPI 3.1 document of the API, made from the same stage list as the forms, so that
//! what it says each operation takes is what the server checks.

use crate::recording::fields::{Field, Input};
use crate::recording::{partner, stages};
use axum::Json;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

pub async fn document() -> Response {
    Json(build()).into_response()
}

fn schema_of(input: Input, label: &str) -> Value {
    let codes = |options: fn() -> Vec<(&'static str, &'static str)>| -> Value {
        let (codes, labels): (Vec<_>, Vec<_>) = options().into_iter().unzip();
        json!({ "type": "string", "enum": codes, "x-labels": labels })
    };
    let mut schema = match input {
        Input::Date => json!({ "type": "string", "format": "date" }),
        Input::DateTime => json!({
            "type": "string",
            "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?$",
            "description": "local time, without a zone",
        }),
        Input::Text => json!({ "type": "string", "maxLength": 500 }),
        Input::LongText => json!({ "type": "string", "maxLength": 20000 }),
        Input::Lines => json!({ "type": "array", "items": { "type": "string", "maxLength": 500 } }),
        Input::YesNo => json!({ "type": "boolean" }),
        Input::Choice(options) => codes(options),
        Input::Choices(options) => json!({ "type": "array", "items": codes(options) }),
        Input::Record(kind) => json!({
            "type": "integer", "minimum": 1,
            "description": format!("the number of one of the child's {} records", kind.label()),
        }),
        Input::AnyRecord => json!({ "type": "integer", "minimum": 1 }),
        Input::Worker => {
            json!({ "type": "integer", "minimum": 1, "description": "a worker's number" })
        }
        Input::Workers => {
            json!({ "type": "array", "items": { "type": "integer", "minimum": 1 }, "description": "workers' numbers" })
        }
        Input::Team => json!({ "type": "integer", "minimum": 1, "description": "a team's number" }),
        Input::Count => json!({ "type": "integer", "minimum": 1 }),
        Input::Between(low, high) => json!({ "type": "integer", "minimum": low, "maximum": high }),
        Input::Fte => json!({ "type": "number", "minimum": 0.1, "maximum": 1.0 }),
        Input::Attendance(options) => json!({
            "type": "array",
            "items": {
                "type": "array",
                "prefixItems": [codes(options), { "type": "boolean", "description": "attended" }],
                "minItems": 2, "maxItems": 2,
            },
        }),
        Input::Group(inner) => object(inner, &[]),
    };
    if let Some(map) = schema.as_object_mut() {
        map.insert("title".into(), Value::from(label));
    }
    schema
}

fn object(fields: &[Field], extra: &[(&str, Value, bool)]) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (name, schema, needed) in extra {
        properties.insert((*name).into(), schema.clone());
        if *needed {
            required.push(Value::from(*name));
        }
    }
    for f in fields {
        let mut schema = schema_of(f.input, f.label);
        if !f.hint.is_empty()
            && let Some(map) = schema.as_object_mut()
        {
            map.insert("description".into(), Value::from(f.hint));
        }
        properties.insert(f.name.into(), schema);
        if f.required {
            required.push(Value::from(f.name));
        }
    }
    json!({ "type": "object", "properties": properties, "required": required })
}

fn answers(extra: &[(u16, &str)]) -> Value {
    let mut out = Map::new();
    for (status, what) in [
        (401, "not signed in, or the session has ended"),
        (403, "the caller's role may not do this"),
        (
            422,
            "a field is wrong: `errors` says which and why; nothing was saved",
        ),
    ]
    .iter()
    .chain(extra)
    {
        out.insert(
            status.to_string(),
            json!({ "description": what, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }),
        );
    }
    Value::Object(out)
}

fn saved(what: &str) -> Value {
    json!({ "description": what, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Saved" } } } })
}

/// Where a stage about staff is recorded in the API.
pub fn staff_path(whose: stages::Staff, s: &stages::Stage) -> String {
    let base = match whose {
        stages::Staff::Worker => "/api/v1/workers",
        stages::Staff::Team => "/api/v1/teams",
    };
    match s.opens {
        Some(_) => base.to_string(),
        None => format!("{base}/{{id}}/{}", s.kind),
    }
}

pub fn build() -> Value {
    let mut paths = Map::new();
    let id = json!({ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" }, "description": "the child's number" });
    for s in stages::STAGES {
        let body = object(
            s.fields,
            &[(
                "expected_version",
                json!({ "type": "integer", "minimum": 0, "description": "the child's version when the caller read the record: a save on top of someone else's is refused with 409" }),
                true,
            )],
        );
        let mut responses = answers(&[
            (404, "no such child"),
            (
                409,
                "someone else saved the child since `expected_version`: `changes` lists what they saved",
            ),
        ]);
        responses["201"] = saved("saved");
        paths.insert(
            format!("/api/v1/children/{{id}}/{}", s.kind),
            json!({ "post": {
                "operationId": s.kind,
                "summary": s.title,
                "tags": [s.group],
                "description": format!("Needs the power: {}.", s.power.label().to_lowercase()),
                "parameters": [id],
                "requestBody": { "required": true, "content": { "application/json": { "schema": body } } },
                "responses": responses,
            }}),
        );
    }
    for (whose, s) in stages::STAFF_STAGES {
        let mut extra = Vec::new();
        if s.opens.is_none() {
            extra.push((
                "expected_version",
                json!({ "type": "integer", "minimum": 0, "description": "the record's version when the caller read it" }),
                true,
            ));
        }
        let mut responses = answers(&[
            (404, "no such worker or team"),
            (
                409,
                "someone else saved this record since `expected_version`",
            ),
        ]);
        responses["201"] = json!({ "description": "saved" });
        let mut op = json!({ "post": {
            "operationId": s.kind,
            "summary": s.title,
            "tags": [s.group],
            "description": format!("Needs the power: {}.", s.power.label().to_lowercase()),
            "requestBody": { "required": true, "content": { "application/json": { "schema": object(s.fields, &extra) } } },
            "responses": responses,
        }});
        if s.opens.is_none() {
            op["post"]["parameters"] = json!([{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }]);
        }
        paths.insert(staff_path(*whose, s), op);
    }
    for (path, what) in [
        (
            "/api/v1/workers/{id}",
            "A worker: their team, role, contract, hours and version",
        ),
        (
            "/api/v1/teams/{id}",
            "A team: its service, area and version",
        ),
    ] {
        paths.insert(path.into(), json!({ "get": {
            "summary": what,
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }],
            "responses": { "200": { "description": "found" }, "404": { "description": "no such record" } },
        }}));
    }
    let mut registered = answers(&[]);
    registered["201"] = saved("the child is registered; `child` is their number");
    paths.insert(
        "/api/v1/children".into(),
        json!({ "post": {
            "operationId": "child_registered",
            "summary": stages::REGISTER.title,
            "tags": ["Who the child is"],
            "requestBody": { "required": true, "content": { "application/json": { "schema": object(stages::REGISTER.fields, &[]) } } },
            "responses": registered,
        }}),
    );
    paths.insert(
        "/api/v1/children/{id}".into(),
        json!({ "get": {
            "operationId": "child",
            "summary": "A child's record: who they are, their version, allocation and records. The read is written to the access log.",
            "parameters": [id],
            "responses": { "200": { "description": "the record" }, "401": { "description": "not signed in" }, "403": { "description": "the role may not open children's records" }, "404": { "description": "no such child" } },
        }}),
    );
    paths.insert(
        "/api/v1/children/{id}/events".into(),
        json!({ "get": {
            "operationId": "child_events",
            "summary": "Everything recorded for a child, in the order it was recorded. The read is written to the access log.",
            "parameters": [id],
            "responses": { "200": { "description": "the events" }, "401": { "description": "not signed in" }, "403": { "description": "the role may not open children's records" }, "404": { "description": "no such child" } },
        }}),
    );
    let mut sent = answers(&[]);
    sent["201"] = saved("the contact is with the front door");
    paths.insert(
        "/api/v1/partner/contacts".into(),
        json!({
            "post": {
                "operationId": "partner_contact",
                "summary": "A partner agency sends a contact about a child to the front door",
                "requestBody": { "required": true, "content": { "application/json": { "schema": object(partner::FIELDS, &[]) } } },
                "responses": sent,
            },
            "get": {
                "operationId": "partner_contacts",
                "summary": "The contacts this partner sent, with where each has got to",
                "responses": { "200": { "description": "the contacts" } },
            },
        }),
    );
    paths.insert(
        "/api/v1/sessions".into(),
        json!({ "post": {
            "operationId": "sign_in",
            "summary": "Signs in; send the token back as `Authorization: Bearer <token>`",
            "security": [],
            "requestBody": { "required": true, "content": { "application/json": { "schema": {
                "type": "object", "required": ["username", "password"],
                "properties": { "username": { "type": "string" }, "password": { "type": "string", "format": "password" } },
            } } } },
            "responses": { "201": { "description": "signed in: `token`" }, "401": { "description": "wrong user name or password" }, "403": { "description": "account disabled or locked" } },
        }}),
    );
    paths.insert(
        "/api/v1/stages".into(),
        json!({ "get": { "operationId": "stages", "summary": "What can be recorded, and the power each needs", "responses": { "200": { "description": "the stages" } } } }),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Hearth",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Record a child's journey and read a child's record. Every read and write is in the access log; every write names the version it builds on.",
        },
        "security": [{ "bearer": [] }],
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Saved": { "type": "object", "properties": {
                    "child": { "type": "integer" },
                    "version": { "type": "integer", "description": "name this as expected_version in the next save" },
                    "seq": { "type": "integer" },
                    "record": { "type": "integer", "description": "the number of the record the save opened" },
                } },
                "Problem": { "type": "object", "properties": {
                    "error": { "type": "string" },
                    "errors": { "type": "array", "items": { "type": "object", "properties": { "field": { "type": "string" }, "message": { "type": "string" } } } },
                    "version": { "type": "integer" },
                    "changes": { "type": "array", "items": { "type": "object" } },
                } },
            },
        },
    })
}
