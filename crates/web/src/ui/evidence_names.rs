//! The records behind a figure named as people know them: the record's code and name, its
//! organisation, the date it carries and what it brings (a weight, a price, an amount),
//! read from the record itself. Which fields to show is a matter of presentation: the
//! figure's rules are in `cncl_eval::indicators`.

use std::collections::HashMap;

use cncl_domain::organisation::Organisation;
use cncl_domain::{EntityKind, Lang};
use cncl_eval::indicators::RecordRef;
use serde_json::{Map, Value};

use crate::AppState;
use crate::auth::Caller;
use crate::error::WebError;
use crate::i18n::{format_count, format_date, format_vnd};

/// The most records named on one side of a figure; the count says how many there are.
pub const MAX_NAMED: usize = 500;

const NAME_FIELDS: [&str; 5] = ["name", "title", "full_name", "component", "description"];
const ORGANISATION_FIELDS: [&str; 4] = ["organisation_id", "maker_id", "lead_organisation_id", "supplier_id"];
const DATE_FIELDS: [&str; 12] = [
    "assessed_on",
    "accepted_on",
    "published_on",
    "filed_on",
    "granted_on",
    "applied_on",
    "demonstrated_on",
    "assigned_on",
    "launched_on",
    "established_on",
    "certified_on",
    "formed_on",
];

pub struct EvidenceLine {
    pub name: String,
    pub href: String,
    pub kind: &'static str,
    pub organisation: String,
    pub date: String,
    pub detail: String,
}

/// The first `MAX_NAMED` of `refs`, named.
pub async fn named(
    state: &AppState,
    caller: &Caller,
    refs: &[RecordRef],
    lang: Lang,
) -> Result<Vec<EvidenceLine>, WebError> {
    let mut records = Vec::with_capacity(refs.len().min(MAX_NAMED));
    for r in refs.iter().take(MAX_NAMED) {
        let Some(kind) = EntityKind::from_resource(r.kind) else { continue };
        let fields = crate::ui::records::form::stored_json(state, caller, kind, r.id).await?;
        records.push((kind, r.id, fields));
    }
    let mut organisations: HashMap<String, String> = HashMap::new();
    for (_, _, fields) in &records {
        for id in ORGANISATION_FIELDS.iter().filter_map(|f| fields.get(*f).and_then(Value::as_str)) {
            if organisations.contains_key(id) {
                continue;
            }
            let Ok(uuid) = id.parse::<uuid::Uuid>() else { continue };
            let name = match state.app.get::<Organisation>(&caller.actor, uuid.into()).await {
                Ok(o) => o.record.name.to_string(),
                Err(_) => String::new(),
            };
            organisations.insert(id.to_owned(), name);
        }
    }
    Ok(records
        .into_iter()
        .map(|(kind, id, fields)| EvidenceLine {
            name: name_of(kind, &fields),
            href: format!("/records/{}/{id}", kind.resource()),
            kind: kind.label(lang),
            organisation: ORGANISATION_FIELDS
                .iter()
                .find_map(|f| fields.get(*f).and_then(Value::as_str))
                .and_then(|id| organisations.get(id).cloned())
                .unwrap_or_default(),
            date: DATE_FIELDS
                .iter()
                .find_map(|f| fields.get(*f).and_then(Value::as_str))
                .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
                .map(|d| format_date(d, lang))
                .or_else(|| fields.get("year").and_then(Value::as_i64).map(|y| y.to_string()))
                .unwrap_or_default(),
            detail: detail_of(&fields, lang),
        })
        .collect())
}

/// "LLM-05 — Trợ lý …": the code, then the first name-like field.
fn name_of(kind: EntityKind, fields: &Map<String, Value>) -> String {
    let code = fields.get("code").and_then(Value::as_str);
    let name = NAME_FIELDS.iter().find_map(|f| fields.get(*f).and_then(Value::as_str));
    match (code, name) {
        (Some(code), Some(name)) => format!("{code} — {name}"),
        (Some(only), None) | (None, Some(only)) => only.to_owned(),
        (None, None) => kind.label(Lang::Vi).to_owned(),
    }
}

/// What the record brings to a figure that the record itself states: a weight, a price,
/// an amount, units, people.
fn detail_of(fields: &Map<String, Value>, lang: Lang) -> String {
    let number = |f: &str| fields.get(f).and_then(Value::as_i64);
    let words = |vi: &'static str, en: &'static str| lang.pick(vi, en);
    if let Some(weight) = number("weight") {
        return format!("{} {}", words("trọng số", "weight"), format_count(weight, lang));
    }
    if let Some(price) = number("selling_price_vnd") {
        return format!("{} {}", words("giá bán", "price"), format_vnd(i128::from(price), lang));
    }
    if let Some(amount) = number("amount_vnd").or_else(|| number("size_vnd")) {
        return format_vnd(i128::from(amount), lang);
    }
    if let Some(people) = number("people_trained").or_else(|| number("trained")) {
        return format!("{} {}", format_count(people, lang), words("người", "people"));
    }
    String::new()
}
