//! Every kind of record by form: `/records` lists the kinds, `/records/{kind}` the records
//! of one, `/records/{kind}/new` adds one and `/records/{kind}/{id}` shows and corrects one.
//! The forms are described by `crate::forms` from the records' schemas; saving goes through
//! the same `app` use-cases as the API, so the same rules and the same audit entries apply.
//! A refused form is shown again with what was typed and the field named.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cncl_app::{AppError, ListQuery};
use cncl_domain::fields::field_label;
use cncl_domain::labels::choice_label;
use cncl_domain::{EntityKind, Lang, Record, with_record_type};
use cncl_store::ListFilter;
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::tasks::Choice;
use crate::AppState;
use crate::auth::Caller;
use crate::error::WebError;
use crate::extract::{Language, PlainPage, QueryPairs, RecordPath, StrictQuery, optional};
use crate::forms::{FormSpec, Input, display_name, form_values, record_json, spec};
use crate::i18n::{Ui, format_count, format_date, ui};

pub struct KindRow {
    pub label: &'static str,
    pub href: String,
    pub new_href: Option<String>,
}

#[derive(Template)]
#[template(path = "records.html")]
pub struct IndexPage {
    pub ui: &'static Ui,
    pub nav: super::Nav,
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
    pub nav: super::Nav,
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
}

/// A field as the form shows it. `input` is an HTML input type, `textarea`, `select`,
/// `multiple` (a select of several) or `checkbox`.
pub struct FieldView {
    pub name: String,
    pub label: &'static str,
    pub input: &'static str,
    pub value: String,
    pub options: Vec<Choice>,
    pub required: bool,
    /// Whole numbers: phones show a number pad (the field stays text so `1.000.000` can be typed).
    pub numeric: bool,
    /// Set by commands: shown, not editable.
    pub fixed: bool,
    pub note: Option<&'static str>,
    /// The field the last refusal named.
    pub invalid: bool,
}

#[derive(Template)]
#[template(path = "record_form.html")]
pub struct FormPage {
    pub ui: &'static Ui,
    pub nav: super::Nav,
    pub heading: &'static str,
    pub title: String,
    pub action: String,
    pub back: Option<String>,
    pub fields: Vec<FieldView>,
    pub editable: bool,
    pub message: Option<String>,
    /// The record's entries in the audit log, for those who may read it.
    pub history_href: Option<String>,
    /// The commands it has taken, for records changed by commands (progress reports).
    pub events: Vec<super::tasks::Line>,
    pub list_href: String,
    /// A task's own page, where its commands, checklist and history are.
    pub task_href: Option<String>,
}

/// A link to add a record of `kind` with some fields filled in.
pub struct AddLink {
    pub label: String,
    pub href: String,
}

/// Links to add records of `kinds` the visitor may write, each filled in with `prefill` (a
/// query string) and returning to `back`.
pub fn add_links(caller: &Caller, kinds: &[EntityKind], prefill: &str, back: &str, lang: Lang) -> Vec<AddLink> {
    if !caller.completed() {
        return Vec::new();
    }
    kinds
        .iter()
        .filter(|&&kind| cncl_app::policy::write(&caller.actor, kind).is_ok())
        .map(|&kind| AddLink {
            label: kind.label(lang).to_owned(),
            href: format!("/records/{}/new?{prefill}&back={back}", kind.resource()),
        })
        .collect()
}

/// The link that opens record `id` (to correct it, where the visitor may) and returns to
/// `back`; none for visitors not signed in.
pub fn edit_href(caller: &Caller, kind: EntityKind, id: Uuid, back: &str) -> Option<String> {
    caller.completed().then(|| format!("/records/{}/{id}?back={back}", kind.resource()))
}

fn signed_in(caller: &Caller) -> Result<(), WebError> {
    if caller.completed() { Ok(()) } else { Err(WebError(AppError::Unauthenticated)) }
}

/// `back` when it resolves, by the URL standard (as a browser would resolve it), to a path
/// on this site: a crafted link cannot send users elsewhere. The path comes back
/// percent-encoded, so it is always a valid `Location`.
fn local_path(back: Option<&str>) -> Option<String> {
    let base = url::Url::parse("http://cncl.invalid/").ok()?;
    let resolved = base.join(back?).ok()?;
    if resolved.origin() != base.origin() || !back?.starts_with('/') {
        return None;
    }
    let mut path = resolved.path().to_owned();
    if let Some(query) = resolved.query() {
        path.push('?');
        path.push_str(query);
    }
    Some(path)
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
    caller: Caller,
    StrictQuery(_): StrictQuery<PlainPage>,
    language: Language,
) -> Result<Response, super::PageError> {
    signed_in(&caller)?;
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
    let page = IndexPage { ui: ui(lang), nav: super::Nav::of(&caller), kinds };
    Ok(super::render(&page, language.remember()))
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
    let records = with_record_type!(kind, T => state
        .app
        .search::<T>(&caller.actor, words, FOUND_AT_MOST)
        .await?
        .into_iter()
        .map(|s| Ok((s.id, cncl_store::to_json(&s.record)?)))
        .collect::<Result<Vec<_>, WebError>>()?);
    Ok((i64::try_from(records.len()).unwrap_or(i64::MAX), records))
}

/// The names of the records `ids` of `kind` the visitor can read, for list cells.
async fn names_of(
    state: &AppState,
    caller: &Caller,
    kind: EntityKind,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<String, String>, WebError> {
    let mut names = HashMap::new();
    for id in ids {
        if names.contains_key(&id.to_string()) {
            continue;
        }
        let record = with_record_type!(kind, T => state.app.get::<T>(&caller.actor, id).await.map(|s| cncl_store::to_json(&s.record)));
        // One the visitor may not read keeps its id.
        if let Ok(record) = record {
            names.insert(id.to_string(), display_name(&record?));
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

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    path: RecordPath,
    StrictQuery(query): StrictQuery<RecordList>,
    language: Language,
) -> Result<Response, super::PageError> {
    signed_in(&caller)?;
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
        None => with_record_type!(kind, T => {
            let page = state.app.list::<T>(&caller.actor, &list).await?;
            let rows = page.items.into_iter().map(|s| Ok((s.id, cncl_store::to_json(&s.record)?)));
            (page.total, rows.collect::<Result<Vec<_>, WebError>>()?)
        }),
    };
    let form = spec(kind);
    let columns = list_columns(form);
    let products = state.app.products().await?;
    let mut names = HashMap::new();
    for field in &columns {
        if let Input::Reference(referenced) = field.input {
            let ids: Vec<Uuid> =
                records.iter().filter_map(|(_, r)| r[field.name.as_str()].as_str()?.parse().ok()).collect();
            names.extend(names_of(&state, &caller, referenced, ids).await?);
        }
    }
    let rows = records
        .iter()
        .map(|(id, record)| RecordRow {
            href: format!("/records/{resource}/{id}"),
            name: display_name(record),
            cells: columns.iter().map(|f| cell(f, &record[f.name.as_str()], &products, &names, lang)).collect(),
        })
        .collect();
    let page_number = list.page.unwrap_or(1);
    let per_page = i64::from(cncl_app::records::DEFAULT_PER_PAGE);
    // Paging keeps the filters.
    let kept: Vec<(&str, String)> = [("product", list.filter.product.clone()), ("status", list.filter.status.clone())]
        .into_iter()
        .chain([("organisation", list.filter.organisation.map(|o| o.to_string()))])
        .filter_map(|(name, value)| value.map(|v| (name, v)))
        .collect();
    let filters = match serde_urlencoded::to_string(&kept) {
        Ok(query) if !query.is_empty() => format!("&{query}"),
        _ => String::new(),
    };
    let link = |page: u32| format!("/records/{resource}?page={page}{filters}");
    let (product_choices, status_choices) = filter_choices(kind, form, &list.filter, &products, lang);
    let page = ListPage {
        ui: ui(lang),
        nav: super::Nav::of(&caller),
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
    };
    Ok(super::render(&page, language.remember()))
}

/// The choices of a field that names other records or reference data: `None` when there
/// are too many to list (the id is typed instead).
async fn options(
    state: &AppState,
    caller: &Caller,
    input: &Input,
    lang: Lang,
) -> Result<Option<Vec<(String, String)>>, WebError> {
    Ok(match input {
        Input::Product | Input::Products => {
            Some(state.app.products().await?.iter().map(|p| (p.code.to_string(), p.name(lang).to_owned())).collect())
        }
        Input::TaskGroup => {
            Some(state.app.task_groups().await?.iter().map(|g| (g.code.to_string(), g.name(lang).to_owned())).collect())
        }
        Input::Choice { set, values } | Input::Choices { set, values } => {
            Some(values.iter().map(|v| (v.clone(), choice_label(set, v, lang).unwrap_or(v).to_owned())).collect())
        }
        Input::Reference(kind) => {
            let query = ListQuery { per_page: Some(cncl_app::records::MAX_PER_PAGE), ..ListQuery::default() };
            let listed = with_record_type!(*kind, T => state.app.list::<T>(&caller.actor, &query).await.map(|page| {
                let rows = page.items.into_iter().map(|s| Ok((s.id.to_string(), display_name(&cncl_store::to_json(&s.record)?))));
                (page.total, rows.collect::<Result<Vec<_>, WebError>>())
            }));
            let listed = match listed {
                Ok((total, rows)) => Ok((total, rows?)),
                Err(refused) => Err(refused),
            };
            match listed {
                Ok((total, items)) if total <= i64::from(cncl_app::records::MAX_PER_PAGE) => Some(items),
                // Too many, or not the visitor's to list: the id is typed.
                Ok(_) | Err(AppError::Forbidden(_)) => None,
                Err(other) => return Err(other.into()),
            }
        }
        _ => None,
    })
}

/// The form's fields with `values` (the record's, or what was posted) filled in.
async fn field_views(
    state: &AppState,
    caller: &Caller,
    form: &FormSpec,
    values: &HashMap<String, Vec<String>>,
    (invalid, matches): (Option<&str>, &Matches),
    lang: Lang,
) -> Result<Vec<FieldView>, WebError> {
    let u = ui(lang);
    let mut views = Vec::new();
    for field in &form.fields {
        let current = values.get(&field.name).cloned().unwrap_or_default();
        // What commands have not set yet says nothing: a new report has no review date.
        if field.command && current.is_empty() {
            continue;
        }
        let first = current.first().cloned().unwrap_or_default();
        let mut note = field.command.then_some(u.set_by_commands);
        let (input, choices) = match &field.input {
            Input::Text { long: true } => ("textarea", None),
            Input::Text { long: false } => ("text", None),
            Input::Integer => ("text", None),
            Input::Date => ("date", None),
            Input::Flag => ("checkbox", None),
            multiple @ (Input::Choices { .. } | Input::Products) => {
                ("multiple", options(state, caller, multiple, lang).await?)
            }
            _ if matches.contains_key(&field.name) => ("select", matches.get(&field.name).cloned()),
            single => match options(state, caller, single, lang).await? {
                Some(choices) => ("select", Some(choices)),
                None => {
                    note = Some(u.find_hint);
                    ("text", None)
                }
            },
        };
        let mut options: Vec<Choice> = choices
            .unwrap_or_default()
            .into_iter()
            .map(|(value, label)| Choice { selected: current.contains(&value), value, label })
            .collect();
        // A value the visitor cannot list (another organisation's person, say) stays as it is.
        if input == "select" {
            let unlisted: Vec<String> =
                current.iter().filter(|v| !options.iter().any(|o| &o.value == *v)).cloned().collect();
            for value in unlisted {
                options.push(Choice { label: value.clone(), value, selected: true });
            }
            if !field.required {
                options.insert(
                    0,
                    Choice { value: String::new(), label: u.none_option.to_owned(), selected: current.is_empty() },
                );
            }
        }
        views.push(FieldView {
            name: field.name.clone(),
            label: field_label(form.kind, &field.name, lang).unwrap_or(""),
            input,
            value: first,
            options,
            required: field.required && !field.command && input != "checkbox" && input != "multiple",
            numeric: field.input == Input::Integer,
            fixed: field.command,
            note,
            invalid: invalid == Some(field.name.as_str()),
        });
    }
    Ok(views)
}

/// Records a typed name matched, to choose among (id, names), by field.
type Matches = HashMap<String, Vec<(String, String)>>;

struct FormContext<'a> {
    kind: EntityKind,
    id: Option<Uuid>,
    back: Option<String>,
    lang: Lang,
    message: Option<String>,
    invalid: Option<&'a str>,
    /// Records a typed name matched, to choose among, by field.
    matches: Matches,
}

async fn form_page(
    state: &AppState,
    caller: &Caller,
    context: FormContext<'_>,
    values: &HashMap<String, Vec<String>>,
) -> Result<FormPage, WebError> {
    let FormContext { kind, id, back, lang, message, invalid, matches } = context;
    let u = ui(lang);
    let form = spec(kind);
    let resource = kind.resource();
    let editable = cncl_app::policy::write(&caller.actor, kind).is_ok();
    let title = match id {
        Some(_) => {
            let record: Map<String, Value> =
                values.iter().map(|(k, v)| (k.clone(), v.first().cloned().map_or(Value::Null, Value::from))).collect();
            display_name(&Value::Object(record))
        }
        None => u.add_record.to_owned(),
    };
    Ok(FormPage {
        ui: u,
        nav: super::Nav::of(caller),
        heading: kind.label(lang),
        title,
        action: match id {
            Some(id) => format!("/records/{resource}/{id}"),
            None => format!("/records/{resource}/new"),
        },
        back,
        fields: field_views(state, caller, form, values, (invalid, &matches), lang).await?,
        editable,
        message,
        history_href: id
            .filter(|_| cncl_app::policy::audit(&caller.actor).is_ok())
            .map(|id| format!("/audit?entity={}&id={id}", cncl_store::tables::table(kind).name)),
        list_href: format!("/records/{resource}"),
        task_href: id.filter(|_| kind == EntityKind::Task).map(|id| format!("/tasks/{id}")),
        events: match (kind, id) {
            (EntityKind::ProgressReport, Some(id)) => {
                let events = state.app.history(&caller.actor, cncl_store::events::History::Report, id).await?;
                let state = |stored: &str| {
                    cncl_domain::governance::ReportStatus::parse(stored)
                        .map_or(stored.to_owned(), |s| s.label(lang).to_owned())
                };
                super::tasks::event_lines(&events, state, lang)
            }
            _ => Vec::new(),
        },
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    caller: Caller,
    path: RecordPath,
    query: QueryPairs,
    language: Language,
) -> Result<Response, super::PageError> {
    signed_in(&caller)?;
    let kind = path.kind()?;
    cncl_app::policy::write(&caller.actor, kind)?;
    let lang = language.lang;
    let back = local_path(query.get("back"));
    // The query fills in fields: a task's page links here with its task already chosen.
    let mut values = form_values(&Value::Object(spec(kind).initial.clone()));
    for (name, value) in &query.0 {
        if spec(kind).fields.iter().any(|f| &f.name == name && !f.command) {
            values.entry(name.clone()).or_default().push(value.clone());
        }
    }
    let context = FormContext { kind, id: None, back, lang, message: None, invalid: None, matches: HashMap::new() };
    let page = form_page(&state, &caller, context, &values).await?;
    Ok(super::render(&page, language.remember()))
}

/// A record's page: its form, filled in. `back` (where to return after saving) and `lang`
/// are its only parameters.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordPage {
    #[serde(default)]
    back: Option<String>,
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    path: RecordPath,
    StrictQuery(query): StrictQuery<RecordPage>,
    language: Language,
) -> Result<Response, super::PageError> {
    signed_in(&caller)?;
    let kind = path.kind()?;
    let id = path.id()?;
    let lang = language.lang;
    let back = local_path(query.back.as_deref());
    let record = stored_json(&state, &caller, kind, id).await?;
    let context = FormContext { kind, id: Some(id), back, lang, message: None, invalid: None, matches: HashMap::new() };
    let page = form_page(&state, &caller, context, &form_values(&Value::Object(record))).await?;
    Ok(super::render(&page, language.remember()))
}

async fn stored_json(
    state: &AppState,
    caller: &Caller,
    kind: EntityKind,
    id: Uuid,
) -> Result<Map<String, Value>, WebError> {
    let record =
        with_record_type!(kind, T => cncl_store::to_json(&state.app.get::<T>(&caller.actor, id).await?.record)?);
    match record {
        Value::Object(fields) => Ok(fields),
        // Every record is a struct, so its JSON is an object.
        other => Err(WebError(AppError::Internal(cncl_store::StoreError::Encoding(format!("not an object: {other}"))))),
    }
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    path: RecordPath,
    language: Language,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, super::PageError> {
    save(&state, &caller, path.kind()?, None, language.lang, pairs).await
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    path: RecordPath,
    language: Language,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, super::PageError> {
    save(&state, &caller, path.kind()?, Some(path.id()?), language.lang, pairs).await
}

async fn insert_or_update<T: Record>(
    state: &AppState,
    caller: &Caller,
    id: Option<Uuid>,
    json: Value,
) -> Result<Uuid, AppError> {
    let record = cncl_domain::parse_input_value::<T>(json)?;
    match id {
        Some(id) => state.app.update(&caller.actor, id, record).await.map(|s| s.id),
        None => state.app.create(&caller.actor, record).await.map(|s| s.id),
    }
}

/// Names typed where a record is referred to (too many to list) replaced by the record's id
/// when exactly one record matches; otherwise the field is named, with the matches to choose
/// among put in `matches`. Ids are left as they are.
async fn resolve_names(
    state: &AppState,
    caller: &Caller,
    form: &FormSpec,
    pairs: &mut [(String, String)],
    matches: &mut Matches,
    lang: Lang,
) -> Result<Result<(), cncl_domain::DomainError>, WebError> {
    const CHOICES_AT_MOST: usize = 20;
    let u = ui(lang);
    for field in form.fields.iter().filter(|f| !f.command) {
        let Input::Reference(kind) = field.input else { continue };
        for (_, value) in pairs.iter_mut().filter(|(name, _)| *name == field.name) {
            let typed = value.trim();
            if typed.is_empty() || Uuid::parse_str(typed).is_ok() {
                continue;
            }
            let found = with_record_type!(kind, T => state.app.find::<T>(&caller.actor, typed, CHOICES_AT_MOST).await?);
            match found.as_slice() {
                [(id, _)] => *value = id.to_string(),
                [] => {
                    return Ok(Err(cncl_domain::DomainError::new(&field.name, format!("{} «{typed}»", u.none_match))));
                }
                _ => {
                    let choices = found.iter().map(|(id, names)| (id.to_string(), names.clone())).collect();
                    matches.insert(field.name.clone(), choices);
                    return Ok(Err(cncl_domain::DomainError::new(&field.name, u.several_match)));
                }
            }
        }
    }
    Ok(Ok(()))
}

/// A posted form saved: back where the visitor came from, or to the record; refused, the
/// form again with what was typed, the reason and the field named.
async fn save(
    state: &AppState,
    caller: &Caller,
    kind: EntityKind,
    id: Option<Uuid>,
    lang: Lang,
    pairs: Vec<(String, String)>,
) -> Result<Response, super::PageError> {
    let csrf = pairs.iter().find(|(name, _)| name == "csrf").map_or("", |(_, value)| value.as_str());
    crate::auth::check_form(caller, csrf)?;
    // Refused before the form is read: what a visitor may not save is not checked for them.
    cncl_app::policy::write(&caller.actor, kind)?;
    let back = local_path(pairs.iter().find(|(n, _)| n == "back").map(|(_, v)| v.as_str()));
    let form = spec(kind);
    let base = match id {
        Some(id) => stored_json(state, caller, kind, id).await?,
        None => form.initial.clone(),
    };
    let mut pairs = pairs;
    let mut matches = HashMap::new();
    let result = match resolve_names(state, caller, form, &mut pairs, &mut matches, lang).await? {
        Err(error) => Err(error.into()),
        Ok(()) => match record_json(form, &pairs, base.clone()) {
            Ok(json) => with_record_type!(kind, T => insert_or_update::<T>(state, caller, id, json).await),
            Err(error) => Err(error.into()),
        },
    };
    let error = match result {
        Ok(saved) => {
            let to = back.unwrap_or_else(|| format!("/records/{}/{saved}", kind.resource()));
            return Ok(Redirect::to(&to).into_response());
        }
        Err(error @ (AppError::Unauthenticated | AppError::NotFound { .. } | AppError::Internal(_))) => {
            return Err(super::PageError(WebError(error)));
        }
        Err(error) => error,
    };
    let invalid = match &error {
        AppError::Invalid(e) => Some(e.field.clone()),
        AppError::Conflict { field, .. } => field.clone(),
        _ => None,
    };
    let message = match (&error, &invalid) {
        (AppError::Invalid(e), _) => {
            format!("{}: {}", field_label(kind, &e.field, lang).unwrap_or(e.field.as_str()), e.message)
        }
        (_, _) => error.to_string(),
    };
    let status = WebError(error).status();
    // What was typed is shown again; the fields the form does not edit keep the record's values.
    let mut values = form_values(&Value::Object(base));
    for field in form.fields.iter().filter(|f| !f.command) {
        let posted: Vec<String> = pairs.iter().filter(|(n, _)| *n == field.name).map(|(_, v)| v.clone()).collect();
        values.insert(field.name.clone(), posted);
    }
    let context = FormContext { kind, id, back, lang, message: Some(message), invalid: invalid.as_deref(), matches };
    let page = form_page(state, caller, context, &values).await?;
    let mut response = super::render(&page, None);
    *response.status_mut() = if status == StatusCode::OK { StatusCode::UNPROCESSABLE_ENTITY } else { status };
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn back_stays_on_this_site() {
        assert_eq!(local_path(Some("/tasks/1?lang=en")).as_deref(), Some("/tasks/1?lang=en"));
        assert_eq!(local_path(Some("/records/x y")).as_deref(), Some("/records/x%20y"));
        assert_eq!(local_path(Some("/\x0b/x")).as_deref(), Some("/%0B/x"), "encoded, never a bad header");
        for away in [
            "//evil.example/x",
            "/\tevil",
            "/\t/evil.example/x",
            "/\\evil.example/x",
            "https://evil.example/",
            "javascript:alert(1)",
            "evil.example",
            "/\n/evil.example",
        ] {
            let resolved = local_path(Some(away));
            assert!(
                resolved.as_deref().is_none_or(|p| p.starts_with('/') && !p.starts_with("//")),
                "{away:?} → {resolved:?}"
            );
        }
        assert_eq!(local_path(Some("/\t/evil.example/x")), None);
        assert_eq!(local_path(Some("https://evil.example/")), None);
    }
}
