//! Forms for every kind of record, described from the record's own schema (the one the
//! OpenAPI document publishes), so a field added to a record appears on its form without a
//! template to keep in step. Pure: no IO, so the description and the conversion of a posted
//! form into the record's JSON are tested alone.

use std::collections::HashMap;

use cncl_domain::DomainError;
pub use cncl_domain::field_spec::{FieldSpec, FormSpec, Input, spec};
use serde_json::{Map, Value};

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
                None if field.required => {
                    return Err(DomainError::new(&field.name, cncl_domain::msg("bắt buộc", "is required")));
                }
                None => Value::Null,
                Some(raw) if field.input == Input::Integer => {
                    // Digit grouping typed by hand (1.000.000, 1,000,000, 1 000 000) is dropped.
                    let digits = raw.replace(['.', ',', ' ', '\u{a0}', '_'], "");
                    let number = digits.parse::<i64>().map_err(|_| {
                        DomainError::new(&field.name, cncl_domain::msg("phải là số nguyên", "must be a whole number"))
                    })?;
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
/// year and quarter where it has them; a record without one by its source, amount and date,
/// written the language's way.
pub fn display_name(record: &Value, lang: cncl_domain::Lang) -> String {
    let mut parts = Vec::new();
    if let Some(year) = record["year"].as_i64() {
        parts.push(year.to_string());
    }
    if let Some(quarter) = record["quarter"].as_i64() {
        parts.push(format!("Q{quarter}"));
    }
    let date = |text: &str| {
        cncl_domain::Date::parse(text).map_or_else(|_| text.to_owned(), |d| cncl_domain::format::format_date(d, lang))
    };
    let named = ["code", "full_name", "name", "title", "number", "component", "standard", "course", "decision_number"]
        .iter()
        .find_map(|field| record[*field].as_str());
    match named {
        Some(name) => parts.push(name.to_owned()),
        None => {
            if let Some(source) = record["source"].as_str() {
                let label = cncl_domain::labels::choice_label("FundingSource", source, lang);
                parts.push(label.unwrap_or(source).to_owned());
            }
            if let Some(amount) = record["amount_vnd"].as_i64() {
                parts.push(cncl_domain::format::format_vnd(i128::from(amount), lang));
            }
            if let Some(on) = record["disbursed_on"].as_str() {
                parts.push(date(on));
            }
        }
    }
    // A record with nothing else to tell it by (a review, an assessment) goes by its date.
    if parts.is_empty()
        && let Value::Object(fields) = record
        && let Some(on) = fields.iter().find(|(name, _)| name.ends_with("_on")).and_then(|(_, v)| v.as_str())
    {
        parts.push(date(on));
    }
    parts.join(" · ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use cncl_domain::EntityKind;

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
        assert_eq!((err.field.as_str(), err.message.en.as_str()), ("amount_vnd", "must be a whole number"));
        let err = record_json(line, &pairs(""), Map::new()).unwrap_err();
        assert_eq!((err.field.as_str(), err.message.en.as_str()), ("amount_vnd", "is required"));

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
        assert_eq!(
            display_name(&serde_json::json!({"year": 2026, "quarter": 2, "summary": "x"}), cncl_domain::Lang::Vi),
            "2026 · Q2"
        );
        assert_eq!(
            display_name(&serde_json::json!({"reviewed_on": "2025-12-15", "comment": null}), cncl_domain::Lang::Vi),
            "15/12/2025"
        );
        assert_eq!(display_name(&serde_json::json!({"code": "LLM-01", "title": "t"}), cncl_domain::Lang::Vi), "LLM-01");
        assert_eq!(
            display_name(
                &serde_json::json!({"year": 2026, "source": "enterprise", "amount_vnd": 5}),
                cncl_domain::Lang::Vi
            ),
            "2026 · Doanh nghiệp · 5 ₫"
        );
    }
}
