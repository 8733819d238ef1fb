//! The fields of a stage's form, and turning what someone typed (a form's text, or the API's
//! JSON) into an event body, field by field, with a message in the user's words for each field
//! that is wrong.

use chrono::{NaiveDate, NaiveDateTime};
use domain::Model;
use domain::model::{Child, RecordKind};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// A code and its label, as offered in a list.
pub type Options = fn() -> Vec<(&'static str, &'static str)>;

/// What kind of answer a field takes.
#[derive(Clone, Copy)]
pub enum Input {
    /// A date, `YYYY-MM-DD`; never in the future.
    Date,
    /// A date and time, `YYYY-MM-DDTHH:MM`; never in the future.
    DateTime,
    /// A line of text.
    Text,
    /// Paragraphs of text.
    LongText,
    /// A list of short texts, one on each line of a form's box.
    Lines,
    /// Yes or no.
    YesNo,
    /// One code from a list.
    Choice(Options),
    /// Any number of codes from a list (an empty list is an answer).
    Choices(Options),
    /// One of the child's records of this kind, by number.
    Record(RecordKind),
    /// Any one of the child's records, by number.
    AnyRecord,
    /// A member of staff, by number.
    Worker,
    /// Any number of members of staff, by number.
    Workers,
    /// A team, by number.
    Team,
    /// A whole number from 1.
    Count,
    /// A whole number from the first to the second, inclusive.
    Between(u32, u32),
    /// Full-time equivalent: a number from 0.1 to 1.
    Fte,
    /// For each agency in the list: not invited, attended, or invited and absent. Kept as
    /// `[[agency, attended], ...]` for the agencies invited.
    Attendance(Options),
    /// Several answers kept together under this field's name (a placement).
    Group(&'static [Field]),
}

/// One question on a stage's form, named as the event body's field.
#[derive(Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    /// What the question asks, as a short noun phrase ("date of the visit").
    pub label: &'static str,
    /// A line under the label that helps answer, or empty.
    pub hint: &'static str,
    pub input: Input,
    pub required: bool,
}

impl Field {
    pub const fn new(name: &'static str, label: &'static str, input: Input) -> Field {
        Field {
            name,
            label,
            hint: "",
            input,
            required: true,
        }
    }

    /// The same field, which may be left blank.
    pub const fn optional(mut self) -> Field {
        self.required = false;
        self
    }

    pub const fn hint(mut self, hint: &'static str) -> Field {
        self.hint = hint;
        self
    }
}

/// What is wrong with one field, for the error summary and beside the field.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FieldError {
    /// The field's name, as the form and the API name it (`placement.place`); empty when the
    /// fault is in the record as a whole.
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// What was sent: a form's fields (each name with every value given), or the API's JSON.
pub enum Answers<'a> {
    Form(&'a HashMap<String, Vec<String>>),
    Json(&'a Value),
}

impl Answers<'_> {
    /// The answer at a dotted path, as JSON. A form's blank answers count as not given.
    fn get(&self, path: &str) -> Option<Value> {
        match self {
            Answers::Form(form) => {
                let values = form.get(path)?;
                let given: Vec<&String> = values.iter().filter(|v| !v.trim().is_empty()).collect();
                match given.as_slice() {
                    [] => None,
                    [one] => Some(Value::String(one.trim().to_string())),
                    many => Some(Value::Array(
                        many.iter()
                            .map(|v| Value::String(v.trim().into()))
                            .collect(),
                    )),
                }
            }
            Answers::Json(json) => {
                let mut at = *json;
                for part in path.split('.') {
                    at = at.get(part)?;
                }
                (!at.is_null() && at != &Value::String(String::new())).then(|| at.clone())
            }
        }
    }

    /// Every answer given, as text, for showing the form again after an error.
    pub fn texts(&self, fields: &[Field]) -> HashMap<String, Vec<String>> {
        let mut out = HashMap::new();
        fn walk(
            a: &Answers,
            prefix: &str,
            fields: &[Field],
            out: &mut HashMap<String, Vec<String>>,
        ) {
            for f in fields {
                let path = format!("{prefix}{}", f.name);
                match f.input {
                    Input::Group(inner) => walk(a, &format!("{path}."), inner, out),
                    Input::Attendance(options) => {
                        for (code, _) in options() {
                            let key = format!("{path}.{code}");
                            if let Some(v) = a.get(&key) {
                                out.insert(key, as_texts(&v));
                            }
                        }
                    }
                    _ => {
                        if let Some(v) = a.get(&path) {
                            out.insert(path, as_texts(&v));
                        }
                    }
                }
            }
        }
        walk(self, "", fields, &mut out);
        out
    }
}

fn as_texts(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().flat_map(as_texts).collect(),
        Value::String(s) => vec![s.clone()],
        Value::Bool(b) => vec![if *b { "yes" } else { "no" }.into()],
        other => vec![other.to_string()],
    }
}

/// What the answers are checked against.
pub struct Context<'a> {
    pub model: &'a Model,
    /// The child recorded for; `None` while registering one.
    pub child: Option<&'a Child>,
    pub today: NaiveDate,
}

/// Reads every field's answer into a JSON object for the event body, or says what is wrong
/// with each field that is.
pub fn read(
    fields: &[Field],
    answers: &Answers,
    cx: &Context,
) -> Result<Map<String, Value>, Vec<FieldError>> {
    let mut out = Map::new();
    let mut errors = Vec::new();
    read_into(fields, "", answers, cx, &mut out, &mut errors);
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn read_into(
    fields: &[Field],
    prefix: &str,
    answers: &Answers,
    cx: &Context,
    out: &mut Map<String, Value>,
    errors: &mut Vec<FieldError>,
) {
    for f in fields {
        let path = format!("{prefix}{}", f.name);
        match f.input {
            Input::Group(inner) => {
                let mut group = Map::new();
                let before = errors.len();
                let given = inner
                    .iter()
                    .any(|g| answers.get(&format!("{path}.{}", g.name)).is_some());
                if !given && !f.required {
                    continue;
                }
                read_into(inner, &format!("{path}."), answers, cx, &mut group, errors);
                if errors.len() == before {
                    out.insert(f.name.into(), Value::Object(group));
                }
            }
            Input::Attendance(options) => match attendance(&path, options, answers) {
                Ok(list) => {
                    out.insert(f.name.into(), Value::Array(list));
                }
                Err(e) => errors.push(e),
            },
            _ => match answers.get(&path) {
                None => match f.input {
                    // No boxes ticked is an answer: none of them.
                    Input::Choices(_) | Input::Workers => {
                        out.insert(f.name.into(), Value::Array(Vec::new()));
                    }
                    _ if f.required => errors.push(FieldError::new(&path, missing(f))),
                    _ => {}
                },
                Some(v) => match one(f, v, cx) {
                    Ok(v) => {
                        out.insert(f.name.into(), v);
                    }
                    Err(message) => errors.push(FieldError::new(&path, message)),
                },
            },
        }
    }
}

fn missing(f: &Field) -> String {
    if f.label.starts_with("whether") {
        return format!("Select {}", f.label);
    }
    match f.input {
        Input::Choice(_)
        | Input::Record(_)
        | Input::AnyRecord
        | Input::Worker
        | Input::Team
        | Input::YesNo => {
            format!("Select the {}", f.label)
        }
        _ => format!("Enter the {}", f.label),
    }
}

fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// One answer checked and turned into the body's JSON, or the message for the field.
fn one(f: &Field, v: Value, cx: &Context) -> Result<Value, String> {
    let label = f.label;
    let text = || text_of(&v).ok_or_else(|| format!("The {label} must be a single value"));
    match f.input {
        Input::Date => {
            let s = text()?;
            let d = NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .map_err(|_| format!("The {label} must be a real date, like 2026-03-31"))?;
            if d > cx.today {
                return Err(format!("The {label} must be today or in the past"));
            }
            Ok(Value::String(d.to_string()))
        }
        Input::DateTime => {
            let s = text()?;
            let t = NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M")
                .or_else(|_| NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S"))
                .map_err(|_| {
                    format!("The {label} must be a real date and time, like 2026-03-31T09:30")
                })?;
            if t.date() > cx.today {
                return Err(format!("The {label} must be today or in the past"));
            }
            Ok(Value::String(t.format("%Y-%m-%dT%H:%M:%S").to_string()))
        }
        Input::Text | Input::LongText => {
            let s = text()?;
            let most = if matches!(f.input, Input::Text) {
                500
            } else {
                20_000
            };
            if s.chars().count() > most {
                return Err(format!("The {label} must be {most} characters or fewer"));
            }
            Ok(Value::String(s))
        }
        Input::YesNo => match &v {
            Value::Bool(b) => Ok(Value::Bool(*b)),
            Value::String(s) if s == "yes" || s == "true" => Ok(Value::Bool(true)),
            Value::String(s) if s == "no" || s == "false" => Ok(Value::Bool(false)),
            _ if label.starts_with("whether") => Err(format!("Select {label}")),
            _ => Err(format!("Select yes or no for the {label}")),
        },
        Input::Choice(options) => {
            let s = text()?;
            if options().iter().any(|(code, _)| *code == s) {
                Ok(Value::String(s))
            } else {
                Err(format!("Select the {label} from the list"))
            }
        }
        Input::Choices(options) => {
            let list = options();
            let given: Vec<String> = match &v {
                Value::Array(items) => items.iter().filter_map(text_of).collect(),
                other => text_of(other).into_iter().collect(),
            };
            let mut out = Vec::new();
            for s in given {
                if !list.iter().any(|(code, _)| *code == s) {
                    return Err(format!("'{s}' is not one of the {label} on the list"));
                }
                out.push(Value::String(s));
            }
            Ok(Value::Array(out))
        }
        Input::Lines => {
            let lines: Vec<String> = match &v {
                Value::Array(items) => items.iter().filter_map(text_of).collect(),
                other => text_of(other)
                    .unwrap_or_default()
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(String::from)
                    .collect(),
            };
            if lines.iter().any(|l| l.chars().count() > 500) {
                return Err(format!(
                    "Each of the {label} must be 500 characters or fewer"
                ));
            }
            Ok(Value::from(lines))
        }
        Input::AnyRecord => {
            let n = number(&v).ok_or_else(|| format!("Select the {label}"))?;
            match cx.child.and_then(|c| c.record_kind(domain::RecordId(n))) {
                Some(_) => Ok(Value::from(n)),
                None => Err(format!("This child has no record numbered {n}")),
            }
        }
        Input::Record(kind) => {
            let n = number(&v).ok_or_else(|| format!("Select the {label}"))?;
            let child = cx.child.ok_or_else(|| format!("There is no {label} yet"))?;
            match child.record_kind(domain::RecordId(n)) {
                Some(k) if k == kind => Ok(Value::from(n)),
                _ => Err(format!(
                    "This child has no {} numbered {n}: select the {label} from the list",
                    kind.label()
                )),
            }
        }
        Input::Worker => {
            let n = number(&v).ok_or_else(|| format!("Select the {label}"))?;
            match cx.model.workers.get(&domain::WorkerId(n)) {
                Some(_) => Ok(Value::from(n)),
                None => Err(format!("There is no member of staff numbered {n}")),
            }
        }
        Input::Workers => {
            let given: Vec<Value> = match v {
                Value::Array(items) => items,
                one => vec![one],
            };
            let mut out = Vec::new();
            for item in &given {
                let n = number(item).ok_or_else(|| format!("Select the {label} from the list"))?;
                if !cx.model.workers.contains_key(&domain::WorkerId(n)) {
                    return Err(format!("There is no member of staff numbered {n}"));
                }
                out.push(Value::from(n));
            }
            Ok(Value::Array(out))
        }
        Input::Team => {
            let n = number(&v).ok_or_else(|| format!("Select the {label}"))?;
            match cx.model.teams.get(&domain::TeamId(n)) {
                Some(_) => Ok(Value::from(n)),
                None => Err(format!("There is no team numbered {n}")),
            }
        }
        Input::Fte => {
            let n = match &v {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse::<f64>().ok(),
                _ => None,
            };
            match n {
                Some(n) if (0.1..=1.0).contains(&n) => Ok(Value::from(n)),
                _ => Err(format!(
                    "The {label} must be a number from 0.1 to 1, like 0.8"
                )),
            }
        }
        Input::Between(low, high) => match number(&v) {
            Some(n) if (low..=high).contains(&n) => Ok(Value::from(n)),
            _ => Err(format!(
                "The {label} must be a whole number from {low} to {high}"
            )),
        },
        Input::Count => match number(&v) {
            Some(n) if n >= 1 => Ok(Value::from(n)),
            _ => Err(format!("The {label} must be a whole number, 1 or more")),
        },
        Input::Attendance(_) | Input::Group(_) => unreachable!("read by read_into"),
    }
}

fn number(v: &Value) -> Option<u32> {
    match v {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Attendance from a form (`attendance.police` = `attended` | `absent` | blank) or from JSON
/// (`[["police", true], ...]`).
fn attendance(path: &str, options: Options, answers: &Answers) -> Result<Vec<Value>, FieldError> {
    let list = options();
    let known = |code: &str| list.iter().any(|(c, _)| *c == code);
    let mut out = Vec::new();
    match answers {
        Answers::Json(_) => {
            let Some(v) = answers.get(path) else {
                return Ok(out);
            };
            let bad = || {
                FieldError::new(
                    path,
                    "Attendance must be a list of [agency, attended] pairs, like [[\"police\", true]]",
                )
            };
            for pair in v.as_array().ok_or_else(bad)? {
                let (Some(agency), Some(attended)) = (
                    pair.get(0).and_then(Value::as_str),
                    pair.get(1).and_then(Value::as_bool),
                ) else {
                    return Err(bad());
                };
                if !known(agency) {
                    return Err(FieldError::new(
                        path,
                        format!("'{agency}' is not an agency on the list"),
                    ));
                }
                out.push(serde_json::json!([agency, attended]));
            }
        }
        Answers::Form(_) => {
            for (code, label) in &list {
                let key = format!("{path}.{code}");
                match answers.get(&key).as_ref().and_then(Value::as_str) {
                    None | Some("not_invited") => {}
                    Some("attended") => out.push(serde_json::json!([code, true])),
                    Some("absent") => out.push(serde_json::json!([code, false])),
                    Some(_) => {
                        return Err(FieldError::new(
                            &key,
                            format!("Select whether {label} attended"),
                        ));
                    }
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::codes::Agency;

    const PLACE: &[Field] = &[
        Field::new("place", "placement type", Input::Text),
        Field::new("urn", "URN", Input::Text).optional(),
    ];

    const FIELDS: &[Field] = &[
        Field::new("at", "date of the meeting", Input::Date),
        Field::new(
            "attendance",
            "attendance",
            Input::Attendance(Agency::options),
        )
        .optional(),
        Field::new("placement", "new placement", Input::Group(PLACE)).optional(),
        Field::new("seen", "whether the child was seen", Input::YesNo),
        Field::new("actions", "actions", Input::Lines).optional(),
    ];

    fn form(pairs: &[(&str, &str)]) -> HashMap<String, Vec<String>> {
        let mut map: HashMap<String, Vec<String>> = HashMap::new();
        for (k, v) in pairs {
            map.entry(k.to_string()).or_default().push(v.to_string());
        }
        map
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn a_form_reads_into_the_events_shape() {
        let model = Model::new();
        let cx = Context {
            model: &model,
            child: None,
            today: today(),
        };
        let f = form(&[
            ("at", "2026-11-24"),
            ("attendance.police", "attended"),
            ("attendance.school", "absent"),
            ("attendance.health", "not_invited"),
            ("placement.place", ""),
            ("seen", "yes"),
            ("actions", "Ring the school\n\n  Book a review  "),
        ]);
        let body = read(FIELDS, &Answers::Form(&f), &cx).unwrap();
        assert_eq!(body["at"], "2026-11-24");
        assert_eq!(
            body["attendance"],
            serde_json::json!([["police", true], ["school", false]])
        );
        // A group left wholly blank is not there at all.
        assert!(!body.contains_key("placement"));
        assert_eq!(body["seen"], true);
        assert_eq!(
            body["actions"],
            serde_json::json!(["Ring the school", "Book a review"])
        );
    }

    #[test]
    fn each_wrong_field_is_named_with_what_to_do() {
        let model = Model::new();
        let cx = Context {
            model: &model,
            child: None,
            today: today(),
        };
        let f = form(&[
            ("at", "2026-11-25"),
            ("attendance.police", "maybe"),
            ("placement.urn", "SC123"),
            ("seen", "perhaps"),
        ]);
        let errors = read(FIELDS, &Answers::Form(&f), &cx).unwrap_err();
        let said: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.message.as_str()))
            .collect();
        assert_eq!(
            said,
            [
                ("at", "The date of the meeting must be today or in the past"),
                ("attendance.police", "Select whether Police attended"),
                // Part of a group given: the rest of it is needed.
                ("placement.place", "Enter the placement type"),
                ("seen", "Select whether the child was seen"),
            ]
        );
        let f = form(&[("at", "29/02/2026"), ("seen", "no")]);
        let errors = read(FIELDS, &Answers::Form(&f), &cx).unwrap_err();
        assert_eq!(
            errors[0].message,
            "The date of the meeting must be a real date, like 2026-03-31"
        );
    }
}
