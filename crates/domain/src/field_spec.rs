//! How each field of each kind of record is entered, described from the record's own
//! schema (the one the OpenAPI document publishes): text, number, date, flag, one of a
//! closed set, another record. Forms, workbook templates and imports read fields through
//! it, so a field added to a record reaches them all without a list to keep in step.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use serde_json::{Map, Value};
use utoipa::openapi::{RefOr, Schema};

use crate::{EntityKind, Record};

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
    if name == "province" {
        // Chosen from today's list of provinces (reference data), by name.
        let values = crate::provinces::all().iter().filter(|p| p.effective_to.is_none()).map(|p| p.name_vi.clone());
        return (Input::Choice { set: crate::provinces::SET.to_owned(), values: values.collect() }, false);
    }
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
        use crate::Lang;
        for kind in EntityKind::ALL {
            for f in &spec(kind).fields {
                for lang in [Lang::Vi, Lang::En] {
                    assert!(crate::fields::field_label(kind, &f.name, lang).is_some(), "{kind:?}.{}", f.name);
                }
                if let Input::Choice { set, values } | Input::Choices { set, values } = &f.input {
                    for v in values {
                        assert!(crate::labels::choice_label(set, v, Lang::Vi).is_some(), "{set}.{v}");
                    }
                }
                if let Input::Reference(_) = f.input {
                    assert!(f.name.ends_with("_id"), "{kind:?}.{}", f.name);
                }
            }
        }
    }
}
