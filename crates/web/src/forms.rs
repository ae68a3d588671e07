//! Forms for every kind of record, described from the record's own schema (the one the
//! OpenAPI document publishes), so a field added to a record appears on its form without a
//! template to keep in step. Pure: no IO, so the description and the conversion of a posted
//! form into the record's JSON are tested alone.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use cncl_domain::{DomainError, EntityKind, Record, with_record_type};
use serde_json::{Map, Value};
use utoipa::openapi::{RefOr, Schema};

/// How a field is entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Free text; `long` fields get a text area.
    Text {
        long: bool,
    },
    /// A whole number (money, years, counts, scores).
    Integer,
    Date,
    /// Yes or no: a checkbox.
    Flag,
    /// One value of a closed set, by the set's name.
    Choice {
        set: String,
        values: Vec<String>,
    },
    /// Any number of values of a closed set.
    Choices {
        set: String,
        values: Vec<String>,
    },
    /// Another record, by its id.
    Reference(EntityKind),
    /// One of the programme's six products, by code.
    Product,
    /// Several of the six products.
    Products,
    /// One of the programme's task groups, by code.
    TaskGroup,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldSpec {
    pub name: String,
    pub input: Input,
    pub required: bool,
    /// Changed only by the kind's commands: shown, never sent.
    pub command: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormSpec {
    pub kind: EntityKind,
    /// In the order the record declares them.
    pub fields: Vec<FieldSpec>,
    /// What a new record holds in its command fields.
    pub initial: Map<String, Value>,
}

/// Text fields written as paragraphs rather than one line.
const LONG_TEXT: [&str; 13] = [
    "description",
    "summary",
    "problem",
    "scope",
    "responsibility",
    "outputs",
    "risks",
    "acceptance_criteria",
    "evidence",
    "comment",
    "delegated_authority",
    "application_evidence",
    "return_reason",
];

static SPECS: LazyLock<HashMap<EntityKind, FormSpec>> = LazyLock::new(|| {
    EntityKind::ALL.into_iter().map(|kind| (kind, with_record_type!(kind, T => build::<T>()))).collect()
});

/// The form of `kind`.
pub fn spec(kind: EntityKind) -> &'static FormSpec {
    // Every kind is in the map: it is built from `EntityKind::ALL`.
    &SPECS[&kind]
}

/// A schema as JSON. utoipa's schema types are plain data with string keys, so writing one
/// cannot fail; if it ever did, the build of the forms stops with the reason rather than
/// showing a field it could not read (the forms are built in a test for every kind).
fn schema_json(schema: &impl serde::Serialize) -> Value {
    match serde_json::to_value(schema) {
        Ok(value) => value,
        Err(e) => panic!("a record's schema could not be written as JSON: {e}"),
    }
}

fn build<T: Record>() -> FormSpec {
    let mut nested = Vec::new();
    T::schemas(&mut nested);
    let components: BTreeMap<String, Value> =
        nested.into_iter().map(|(name, schema)| (name, schema_json(&schema))).collect();
    let mut fields = Vec::new();
    if let RefOr::T(Schema::Object(object)) = T::schema() {
        for (name, property) in &object.properties {
            let property = schema_json(property);
            let (input, nullable) = classify(name, &property, &components);
            fields.push(FieldSpec {
                name: name.clone(),
                input,
                required: object.required.contains(name) && !nullable,
                command: T::COMMAND_FIELDS.iter().any(|(field, _)| field == name),
            });
        }
    }
    let initial = T::COMMAND_FIELDS
        .iter()
        .map(|(name, value)| ((*name).to_owned(), value.map_or(Value::Null, Value::from)))
        .collect();
    FormSpec { kind: T::KIND, fields, initial }
}

/// The record kind whose id type is named `name` (`TaskId` → tasks).
fn kind_of_id(name: &str) -> Option<EntityKind> {
    let record = name.strip_suffix("Id")?;
    EntityKind::ALL.into_iter().find(|&kind| with_record_type!(kind, T => <T as utoipa::ToSchema>::name() == record))
}

/// How field `name` with JSON schema `schema` is entered, and whether it may be left empty.
fn classify(name: &str, schema: &Value, components: &BTreeMap<String, Value>) -> (Input, bool) {
    if let Some(options) = schema["oneOf"].as_array() {
        let nullable = options.iter().any(|o| o["type"] == "null");
        let inner = options.iter().find(|o| o["type"] != "null").unwrap_or(&Value::Null);
        return (classify(name, inner, components).0, nullable);
    }
    if let Some(reference) = schema["$ref"].as_str() {
        let type_name = reference.rsplit('/').next().unwrap_or_default();
        if let Some(kind) = kind_of_id(type_name) {
            return (Input::Reference(kind), false);
        }
        if type_name == "Code" {
            let input = if name == "task_group_code" { Input::TaskGroup } else { Input::Product };
            return (input, false);
        }
        let resolved = components.get(type_name).unwrap_or(&Value::Null);
        if let Some(values) = enum_values(resolved) {
            return (Input::Choice { set: type_name.to_owned(), values }, false);
        }
        return (classify(name, resolved, components).0, false);
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let nullable = types.contains(&"null");
    let input = if types.contains(&"boolean") {
        Input::Flag
    } else if types.contains(&"integer") {
        Input::Integer
    } else if types.contains(&"array") {
        match classify(name, &schema["items"], components).0 {
            Input::Choice { set, values } => Input::Choices { set, values },
            _ => Input::Products,
        }
    } else if schema["format"] == "date" {
        Input::Date
    } else {
        Input::Text { long: LONG_TEXT.contains(&name) }
    };
    (input, nullable)
}

fn enum_values(schema: &Value) -> Option<Vec<String>> {
    schema["enum"].as_array().map(|values| values.iter().filter_map(Value::as_str).map(str::to_owned).collect())
}

/// The record's JSON from a posted form: `base` (what the record holds now, or a new one's
/// command fields) with every field the form edits replaced. A required field left empty
/// and a number that is not one are named; the rest is the record's own parsing.
pub fn record_json(
    spec: &FormSpec,
    pairs: &[(String, String)],
    base: Map<String, Value>,
) -> Result<Value, DomainError> {
    let mut record = base;
    for field in spec.fields.iter().filter(|f| !f.command) {
        let values: Vec<&str> =
            pairs.iter().filter(|(n, _)| *n == field.name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty()).collect();
        let value = match &field.input {
            Input::Flag => Value::Bool(values.iter().any(|v| *v == "on" || *v == "true")),
            Input::Choices { .. } | Input::Products => Value::from(values),
            _ => match values.first() {
                None if field.required => return Err(DomainError::new(&field.name, "is required")),
                None => Value::Null,
                Some(raw) if field.input == Input::Integer => {
                    // Digit grouping typed by hand (1.000.000, 1,000,000, 1 000 000) is dropped.
                    let digits = raw.replace(['.', ',', ' ', '\u{a0}', '_'], "");
                    let number =
                        digits.parse::<i64>().map_err(|_| DomainError::new(&field.name, "must be a whole number"))?;
                    Value::from(number)
                }
                Some(raw) => Value::from(*raw),
            },
        };
        record.insert(field.name.clone(), value);
    }
    Ok(Value::Object(record))
}

/// The values a form shows for a record's JSON, by field: several for multiple choices,
/// `on` for a true flag, none for null.
pub fn form_values(record: &Value) -> HashMap<String, Vec<String>> {
    let mut values = HashMap::new();
    if let Value::Object(fields) = record {
        for (name, value) in fields {
            let shown = match value {
                Value::Null | Value::Bool(false) => Vec::new(),
                Value::Bool(true) => vec!["on".to_owned()],
                Value::String(s) => vec![s.clone()],
                Value::Array(items) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
                other => vec![other.to_string()],
            };
            values.insert(name.clone(), shown);
        }
    }
    values
}

/// A short name for a record in lists and choices: its code, name or title, after its
/// year and quarter where it has them.
pub fn display_name(record: &Value) -> String {
    let mut parts = Vec::new();
    if let Some(year) = record["year"].as_i64() {
        parts.push(year.to_string());
    }
    if let Some(quarter) = record["quarter"].as_i64() {
        parts.push(format!("Q{quarter}"));
    }
    let named = ["code", "full_name", "name", "title", "number", "component", "standard", "course", "decision_number"]
        .iter()
        .find_map(|field| record[*field].as_str());
    match named {
        Some(name) => parts.push(name.to_owned()),
        None => {
            for field in ["source", "amount_vnd", "disbursed_on"] {
                match &record[field] {
                    Value::String(s) => parts.push(s.clone()),
                    Value::Number(n) => parts.push(n.to_string()),
                    _ => {}
                }
            }
        }
    }
    // A record with nothing else to tell it by (a review, an assessment) goes by its date.
    if parts.is_empty()
        && let Value::Object(fields) = record
        && let Some(date) = fields.iter().find(|(name, _)| name.ends_with("_on")).and_then(|(_, v)| v.as_str())
    {
        parts.push(date.to_owned());
    }
    parts.join(" · ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn field<'a>(spec: &'a FormSpec, name: &str) -> &'a FieldSpec {
        spec.fields.iter().find(|f| f.name == name).unwrap()
    }

    #[test]
    fn a_form_follows_the_record_declaration() {
        let task = spec(EntityKind::Task);
        let names: Vec<&str> = task.fields.iter().take(4).map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["code", "title", "product_code", "task_group_code"], "declaration order");
        assert_eq!(field(task, "product_code").input, Input::Product);
        assert_eq!(field(task, "task_group_code").input, Input::TaskGroup);
        assert_eq!(field(task, "is_research").input, Input::Flag);
        assert_eq!(field(task, "lead_person_id").input, Input::Reference(EntityKind::Person));
        assert!(!field(task, "lead_person_id").required, "an optional id");
        assert_eq!(field(task, "budget_ceiling_vnd").input, Input::Integer);
        assert_eq!(field(task, "deadline").input, Input::Date);
        assert_eq!(field(task, "scope").input, Input::Text { long: true });
        assert!(field(task, "status").command && field(task, "assigned_on").command);
        assert!(!field(task, "problem").command, "the order sets it, but it may be corrected");
        assert_eq!(task.initial["status"], "draft");

        let line = spec(EntityKind::Disbursement);
        assert_eq!(field(line, "budget_line_id").input, Input::Reference(EntityKind::BudgetLine));
        assert!(field(line, "amount_vnd").required && !field(line, "document").required);
        let Input::Choice { set, values } = &field(spec(EntityKind::BudgetLine), "source").input else {
            panic!("a closed set")
        };
        assert_eq!(set, "FundingSource");
        assert!(values.contains(&"central_state".to_owned()), "{values:?}");
        let Input::Choices { set, .. } = &field(spec(EntityKind::Person), "roles").input else { panic!("several") };
        assert_eq!(set, "PersonRole");
        assert_eq!(field(spec(EntityKind::StrategicIndustry), "product_codes").input, Input::Products);
    }

    #[test]
    fn every_field_of_every_kind_has_a_label_and_every_choice_a_label() {
        use cncl_domain::Lang;
        for kind in EntityKind::ALL {
            for f in &spec(kind).fields {
                for lang in [Lang::Vi, Lang::En] {
                    assert!(cncl_domain::fields::field_label(kind, &f.name, lang).is_some(), "{kind:?}.{}", f.name);
                }
                if let Input::Choice { set, values } | Input::Choices { set, values } = &f.input {
                    for v in values {
                        assert!(cncl_domain::labels::choice_label(set, v, Lang::Vi).is_some(), "{set}.{v}");
                    }
                }
                if let Input::Reference(_) = f.input {
                    assert!(f.name.ends_with("_id"), "{kind:?}.{}", f.name);
                }
            }
        }
    }

    #[test]
    fn a_posted_form_becomes_the_record_json() {
        let line = spec(EntityKind::Disbursement);
        let pairs = |amount: &str| {
            vec![
                ("budget_line_id".to_owned(), "0190f0e0-0000-7000-8000-000000000001".to_owned()),
                ("disbursed_on".to_owned(), "2026-04-01".to_owned()),
                ("amount_vnd".to_owned(), amount.to_owned()),
                ("document".to_owned(), "  ".to_owned()),
                ("csrf".to_owned(), "ignored".to_owned()),
            ]
        };
        let json = record_json(line, &pairs("1.500.000"), Map::new()).unwrap();
        assert_eq!(json["amount_vnd"], 1_500_000);
        assert_eq!(json["document"], Value::Null, "blank is none");
        assert!(json.get("csrf").is_none());
        let err = record_json(line, &pairs("lots"), Map::new()).unwrap_err();
        assert_eq!((err.field.as_str(), err.message.as_str()), ("amount_vnd", "must be a whole number"));
        let err = record_json(line, &pairs(""), Map::new()).unwrap_err();
        assert_eq!((err.field.as_str(), err.message.as_str()), ("amount_vnd", "is required"));

        // Command fields keep what the record holds, whatever is posted.
        let task = spec(EntityKind::Task);
        let mut base = task.initial.clone();
        base.insert("status".into(), "assigned".into());
        let mut posted: Vec<(String, String)> =
            [("status", "draft"), ("code", "T-1"), ("title", "t"), ("product_code", "llm"), ("origin", "ordered")]
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect();
        let err = record_json(task, &posted, base.clone()).unwrap_err();
        assert_eq!(err.field, "task_group_code", "required fields are still required");
        posted.push(("task_group_code".into(), "research-development".into()));
        let json = record_json(task, &posted, base).unwrap();
        assert_eq!((json["status"].as_str(), json["is_research"].as_bool()), (Some("assigned"), Some(false)));

        let person = spec(EntityKind::Person);
        let posted = vec![
            ("full_name".to_owned(), "Nguyễn Văn A".to_owned()),
            ("roles".to_owned(), "chief_engineer".to_owned()),
            ("roles".to_owned(), "expert".to_owned()),
            ("expert_origin".to_owned(), "domestic".to_owned()),
        ];
        let json = record_json(person, &posted, Map::new()).unwrap();
        assert_eq!(json["roles"], serde_json::json!(["chief_engineer", "expert"]));
        assert_eq!(form_values(&json)["roles"], ["chief_engineer", "expert"]);
    }

    #[test]
    fn a_record_is_named_by_what_people_call_it() {
        assert_eq!(display_name(&serde_json::json!({"year": 2026, "quarter": 2, "summary": "x"})), "2026 · Q2");
        assert_eq!(display_name(&serde_json::json!({"reviewed_on": "2025-12-15", "comment": null})), "2025-12-15");
        assert_eq!(display_name(&serde_json::json!({"code": "LLM-01", "title": "t"})), "LLM-01");
        assert_eq!(
            display_name(&serde_json::json!({"year": 2026, "source": "enterprise", "amount_vnd": 5})),
            "2026 · enterprise · 5"
        );
    }
}
