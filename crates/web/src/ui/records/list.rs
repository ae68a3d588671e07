//! The list of the kinds of record, and of the records of one kind: searched by name, or a
//! page with its filters.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use cncl_app::ListQuery;
use cncl_domain::fields::field_label;
use cncl_domain::labels::choice_label;
use cncl_domain::{EntityKind, Lang};
use cncl_store::ListFilter;
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::AppState;
use crate::auth::Caller;
use crate::error::WebError;
use crate::extract::{Language, PlainPage, RecordPath, StrictQuery, optional};
use crate::forms::{FormSpec, Input, display_name, spec};
use crate::i18n::{Ui, format_count, format_date, ui};
use crate::ui::page::SignedIn;
use crate::ui::view::Choice;

pub struct KindRow {
    pub label: &'static str,
    pub href: String,
    pub new_href: Option<String>,
}

#[derive(Template)]
#[template(path = "records.html")]
pub struct IndexPage {
    pub ui: &'static Ui,
    pub nav: crate::ui::page::Nav,
    pub kinds: Vec<KindRow>,
}

pub struct RecordRow {
    pub href: String,
    pub name: String,
    pub cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "record_list.html")]
pub struct ListPage {
    pub ui: &'static Ui,
    pub nav: crate::ui::page::Nav,
    pub heading: &'static str,
    pub new_href: Option<String>,
    pub headers: Vec<&'static str>,
    pub rows: Vec<RecordRow>,
    pub total: i64,
    pub action: String,
    /// Filter choices, where the kind can be filtered so.
    pub products: Vec<Choice>,
    pub statuses: Vec<Choice>,
    /// The organisation the list is confined to, kept by the filter form.
    pub organisation: Option<String>,
    /// What was searched for, kept in the search box.
    pub search: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The whole list, as filtered, as a workbook and as CSV.
    pub export_xlsx: String,
    pub export_csv: String,
}

/// The query of a list of records: a search, or a page with its filters; and `lang`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordList {
    #[serde(default, deserialize_with = "optional")]
    q: Option<String>,
    #[serde(default, deserialize_with = "optional")]
    page: Option<u32>,
    #[serde(default, deserialize_with = "optional")]
    product: Option<String>,
    #[serde(default, deserialize_with = "optional")]
    status: Option<String>,
    #[serde(default, deserialize_with = "optional")]
    organisation: Option<Uuid>,
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

pub async fn index(
    SignedIn(caller): SignedIn,
    StrictQuery(_): StrictQuery<PlainPage>,
    language: Language,
) -> Result<Response, crate::error::WebError> {
    let lang = language.lang;
    let kinds = EntityKind::ALL
        .into_iter()
        .filter(|&kind| cncl_app::policy::read(&caller.actor, kind).is_ok())
        .map(|kind| KindRow {
            label: kind.label(lang),
            href: format!("/records/{}", kind.resource()),
            new_href: cncl_app::policy::write(&caller.actor, kind)
                .is_ok()
                .then(|| format!("/records/{}/new", kind.resource())),
        })
        .collect();
    let page = IndexPage { ui: ui(lang), nav: crate::ui::page::Nav::of(&caller), kinds };
    Ok(crate::ui::page::render(&page, language.remember()))
}

/// The columns a list shows besides the record's name: what it belongs to, then its
/// states and kinds, dates, products and amounts, at most five.
fn list_columns(spec: &FormSpec) -> Vec<&crate::forms::FieldSpec> {
    const NAMING: [&str; 4] = ["year", "quarter", "code", "title"];
    let rank = |input: &Input| match input {
        Input::Reference(_) => Some(0),
        Input::Choice { .. } => Some(1),
        Input::Date => Some(2),
        Input::Product => Some(3),
        Input::Integer => Some(4),
        _ => None,
    };
    let mut columns: Vec<_> = spec
        .fields
        .iter()
        .filter(|f| !NAMING.contains(&f.name.as_str()))
        .filter_map(|f| rank(&f.input).map(|r| (r, f)))
        .collect();
    // Stable: within a rank, the record's own order.
    columns.sort_by_key(|(r, _)| *r);
    columns.into_iter().map(|(_, f)| f).take(5).collect()
}

/// The choices of a list's product and status filters, where the kind has them.
fn filter_choices(
    kind: EntityKind,
    form: &FormSpec,
    filter: &cncl_store::ListFilter,
    products: &[cncl_domain::reference::Product],
    lang: Lang,
) -> (Vec<Choice>, Vec<Choice>) {
    let supported = cncl_app::records::supported_filters(kind);
    let product_choices = match supported.product {
        Some(_) => products
            .iter()
            .map(|p| Choice {
                value: p.code.to_string(),
                label: p.name(lang).to_owned(),
                selected: filter.product.as_deref() == Some(p.code.as_str()),
            })
            .collect(),
        None => Vec::new(),
    };
    let status_choices = match (supported.status, form.fields.iter().find(|f| f.name == "status")) {
        (Some(_), Some(crate::forms::FieldSpec { input: Input::Choice { set, values }, .. })) => values
            .iter()
            .map(|v| Choice {
                value: v.clone(),
                label: choice_label(set, v, lang).unwrap_or(v).to_owned(),
                selected: filter.status.as_deref() == Some(v.as_str()),
            })
            .collect(),
        _ => Vec::new(),
    };
    (product_choices, status_choices)
}

/// Records found by a search, at most this many.
const FOUND_AT_MOST: usize = 100;

/// The records of `kind` whose names contain every word of `words`, as a list shows them.
async fn found(
    state: &AppState,
    caller: &Caller,
    kind: EntityKind,
    words: &str,
) -> Result<(i64, Vec<(Uuid, Value)>), WebError> {
    let records = state.app.search_json(&caller.actor, kind, words, FOUND_AT_MOST).await?;
    Ok((i64::try_from(records.len()).unwrap_or(i64::MAX), records))
}

/// The names of the records `ids` of `kind` the visitor can read, for list cells.
pub(crate) async fn names_of(
    state: &AppState,
    caller: &Caller,
    kind: EntityKind,
    ids: impl IntoIterator<Item = Uuid>,
    lang: Lang,
) -> Result<HashMap<String, String>, WebError> {
    let mut names = HashMap::new();
    for id in ids {
        if names.contains_key(&id.to_string()) {
            continue;
        }
        // One the visitor may not read keeps its id.
        if let Ok(record) = state.app.get_json(&caller.actor, kind, id).await {
            names.insert(id.to_string(), display_name(&record, lang));
        }
    }
    Ok(names)
}

/// How a list cell shows a field's value.
fn cell(
    field: &crate::forms::FieldSpec,
    value: &Value,
    products: &[cncl_domain::reference::Product],
    names: &HashMap<String, String>,
    lang: Lang,
) -> String {
    match (&field.input, value) {
        (_, Value::Null) => String::new(),
        (Input::Reference(_), Value::String(id)) => names.get(id).cloned().unwrap_or_else(|| id.clone()),
        (Input::Choice { set, .. }, Value::String(v)) => choice_label(set, v, lang).unwrap_or(v).to_owned(),
        (Input::Product, Value::String(code)) => {
            products.iter().find(|p| p.code.as_str() == code).map_or(code.clone(), |p| p.name(lang).to_owned())
        }
        (Input::Date, Value::String(d)) => cncl_domain::Date::parse(d).map_or(d.clone(), |d| format_date(d, lang)),
        (Input::Integer, Value::Number(n)) => n.as_i64().map_or(n.to_string(), |n| format_count(n, lang)),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

/// The records as rows: a link, a name, and the list's columns with references named.
async fn record_rows(
    state: &AppState,
    caller: &Caller,
    kind: EntityKind,
    columns: &[&crate::forms::FieldSpec],
    records: &[(Uuid, Value)],
    products: &[cncl_domain::reference::Product],
    lang: Lang,
) -> Result<Vec<RecordRow>, WebError> {
    let mut names = HashMap::new();
    for field in columns {
        if let Input::Reference(referenced) = field.input {
            let ids: Vec<Uuid> =
                records.iter().filter_map(|(_, r)| r[field.name.as_str()].as_str()?.parse().ok()).collect();
            names.extend(names_of(state, caller, referenced, ids, lang).await?);
        }
    }
    Ok(records
        .iter()
        .map(|(id, record)| RecordRow {
            href: format!("/records/{}/{id}", kind.resource()),
            name: display_name(record, lang),
            cells: columns.iter().map(|f| cell(f, &record[f.name.as_str()], products, &names, lang)).collect(),
        })
        .collect())
}

/// The list's filters as a query to append to a page link: paging keeps them.
fn kept_filters(filter: &ListFilter) -> String {
    let kept: Vec<(&str, String)> = [("product", filter.product.clone()), ("status", filter.status.clone())]
        .into_iter()
        .chain([("organisation", filter.organisation.map(|o| o.to_string()))])
        .filter_map(|(name, value)| value.map(|v| (name, v)))
        .collect();
    match serde_urlencoded::to_string(&kept) {
        Ok(query) if !query.is_empty() => format!("&{query}"),
        _ => String::new(),
    }
}

pub async fn list(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    path: RecordPath,
    StrictQuery(query): StrictQuery<RecordList>,
    language: Language,
) -> Result<Response, crate::error::WebError> {
    let kind = path.kind()?;
    let resource = kind.resource();
    let lang = language.lang;
    let list = ListQuery {
        filter: ListFilter {
            product: query.product.clone(),
            status: query.status.clone(),
            organisation: query.organisation,
        },
        page: query.page,
        per_page: None,
    };
    let search = query.q.clone();
    let (total, records) = match &search {
        // A search looks through every record of the kind by name, whatever the filters.
        Some(words) => found(&state, &caller, kind, words).await?,
        None => state.app.list_json(&caller.actor, kind, &list).await?,
    };
    let form = spec(kind);
    let columns = list_columns(form);
    let products = state.app.products().await?;
    let rows = record_rows(&state, &caller, kind, &columns, &records, &products, lang).await?;
    let page_number = list.page.unwrap_or(1);
    let per_page = i64::from(cncl_app::records::DEFAULT_PER_PAGE);
    let filters = kept_filters(&list.filter);
    let link = |page: u32| format!("/records/{resource}?page={page}{filters}");
    let (product_choices, status_choices) = filter_choices(kind, form, &list.filter, &products, lang);
    let page = ListPage {
        ui: ui(lang),
        nav: crate::ui::page::Nav::of(&caller),
        heading: kind.label(lang),
        new_href: cncl_app::policy::write(&caller.actor, kind).is_ok().then(|| format!("/records/{resource}/new")),
        headers: columns.iter().map(|f| field_label(kind, &f.name, lang).unwrap_or("")).collect(),
        rows,
        total,
        action: format!("/records/{resource}"),
        products: product_choices,
        statuses: status_choices,
        organisation: list.filter.organisation.map(|o| o.to_string()),
        previous: (search.is_none() && page_number > 1).then(|| link(page_number - 1)),
        next: (search.is_none() && i64::from(page_number) * per_page < total).then(|| link(page_number + 1)),
        search: search.clone().unwrap_or_default(),
        export_xlsx: format!("/api/v1/{resource}/export?format=xlsx&lang={}{filters}", lang.code()),
        export_csv: format!("/api/v1/{resource}/export?format=csv&lang={}{filters}", lang.code()),
    };
    Ok(crate::ui::page::render(&page, language.remember()))
}
