//! A record's form: empty (filled in from its link) to add one, or filled with the stored
//! record to correct it, each field described by the record's schema.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use cncl_app::{AppError, ListQuery};
use cncl_domain::fields::field_label;
use cncl_domain::labels::choice_label;
use cncl_domain::{EntityKind, Lang};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Caller;
use crate::error::WebError;
use crate::extract::{Language, QueryPairs, RecordPath};
use crate::forms::{FormSpec, Input, display_name, form_values, spec};
use crate::i18n::{Ui, ui};
use crate::ui::page::SignedIn;
use crate::ui::view::{Choice, local_path};

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
    pub nav: crate::ui::page::Nav,
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
    pub events: Vec<crate::ui::view::Line>,
    pub list_href: String,
    /// A task's own page, where its commands, checklist and history are.
    pub task_href: Option<String>,
    /// The record's documents (a saved record's page only).
    pub documents: Option<crate::ui::documents::DocumentsView>,
}

/// The choices of a field that names other records or reference data: `None` when there
/// are too many to list (the id is typed instead).
async fn options(
    state: &AppState,
    caller: &Caller,
    input: &Input,
    chosen: &[(&str, &str)],
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
            match state.app.list_json(&caller.actor, *kind, &query).await {
                Ok((total, rows)) if total <= i64::from(cncl_app::records::MAX_PER_PAGE) => {
                    let rows = rows.into_iter().map(|(id, record)| (id.to_string(), record)).collect();
                    Some(crate::ui::records::pick_list::choices(rows, chosen, lang))
                }
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
    // What the form already names (its model, its task, its product) narrows the lists.
    let chosen: Vec<(&str, &str)> = form
        .fields
        .iter()
        .filter_map(|f| match values.get(&f.name).map(Vec::as_slice) {
            Some([value]) if !value.is_empty() => Some((f.name.as_str(), value.as_str())),
            _ => None,
        })
        .collect();
    for field in &form.fields {
        let chosen: Vec<(&str, &str)> = chosen.iter().copied().filter(|(name, _)| *name != field.name).collect();
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
                ("multiple", options(state, caller, multiple, &chosen, lang).await?)
            }
            _ if matches.contains_key(&field.name) => ("select", matches.get(&field.name).cloned()),
            single => match options(state, caller, single, &chosen, lang).await? {
                Some(choices) => ("select", Some(choices)),
                None => {
                    note = Some(u.find_hint);
                    ("text", None)
                }
            },
        };
        let options = choices_shown(choices.unwrap_or_default(), &current, input == "select", field.required, u);
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

/// The choices of a field, those in `current` selected. In a select, a value the visitor
/// cannot list (another organisation's person, say) stays as it is, and an optional one
/// starts with "none".
fn choices_shown(
    choices: Vec<(String, String)>,
    current: &[String],
    select: bool,
    required: bool,
    u: &Ui,
) -> Vec<Choice> {
    let mut options: Vec<Choice> =
        choices.into_iter().map(|(value, label)| Choice { selected: current.contains(&value), value, label }).collect();
    if select {
        let unlisted: Vec<String> =
            current.iter().filter(|v| !options.iter().any(|o| &o.value == *v)).cloned().collect();
        for value in unlisted {
            options.push(Choice { label: value.clone(), value, selected: true });
        }
        // Nothing is chosen for the visitor: a required list starts with "choose", an
        // optional one with "none".
        let first = if required { u.choose_option } else { u.none_option };
        options.insert(0, Choice { value: String::new(), label: first.to_owned(), selected: current.is_empty() });
    }
    options
}

/// Records a typed name matched, to choose among (id, names), by field.
pub(crate) type Matches = HashMap<String, Vec<(String, String)>>;

pub(crate) struct FormContext<'a> {
    pub kind: EntityKind,
    pub id: Option<Uuid>,
    pub back: Option<String>,
    pub lang: Lang,
    pub message: Option<String>,
    pub invalid: Option<&'a str>,
    /// Records a typed name matched, to choose among, by field.
    pub matches: Matches,
}

pub(crate) async fn form_page(
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
            display_name(&Value::Object(record), lang)
        }
        None => u.add_record.to_owned(),
    };
    Ok(FormPage {
        ui: u,
        nav: crate::ui::page::Nav::of(caller),
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
        documents: match id {
            Some(id) => Some(crate::ui::documents::view(state, caller, kind, id, lang).await?),
            None => None,
        },
        events: match (kind, id) {
            (EntityKind::ProgressReport, Some(id)) => {
                let events = state.app.history(&caller.actor, cncl_store::events::History::Report, id).await?;
                let state = |stored: &str| {
                    cncl_domain::governance::ReportStatus::parse(stored)
                        .map_or(stored.to_owned(), |s| s.label(lang).to_owned())
                };
                crate::ui::view::event_lines(&events, state, lang)
            }
            _ => Vec::new(),
        },
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    path: RecordPath,
    query: QueryPairs,
    language: Language,
) -> Result<Response, crate::error::WebError> {
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
    Ok(crate::ui::page::render(&page, language.remember()))
}

/// A record's page: its form, filled in. Besides `back` (where to return after saving) and
/// `lang`, its parameters are the form's fields: what was typed when a session expired under
/// the form, filled in again over the stored values.
pub async fn show(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    path: RecordPath,
    query: QueryPairs,
    language: Language,
) -> Result<Response, WebError> {
    let kind = path.kind()?;
    let id = path.id()?;
    let lang = language.lang;
    let back = local_path(query.get("back"));
    let record = stored_json(&state, &caller, kind, id).await?;
    let mut values = form_values(&Value::Object(record));
    let mut typed: HashMap<String, Vec<String>> = HashMap::new();
    for (name, value) in &query.0 {
        match name.as_str() {
            "back" | "lang" => {}
            _ if spec(kind).fields.iter().any(|f| &f.name == name && !f.command) => {
                typed.entry(name.clone()).or_default().push(value.clone());
            }
            _ => {
                let message =
                    cncl_domain::msg(format!("tham số không hợp lệ: {name}"), format!("unknown parameter: {name}"));
                return Err(WebError::bad_request(name, message));
            }
        }
    }
    values.extend(typed);
    let context = FormContext { kind, id: Some(id), back, lang, message: None, invalid: None, matches: HashMap::new() };
    let page = form_page(&state, &caller, context, &values).await?;
    Ok(crate::ui::page::render(&page, language.remember()))
}

pub(crate) async fn stored_json(
    state: &AppState,
    caller: &Caller,
    kind: EntityKind,
    id: Uuid,
) -> Result<Map<String, Value>, WebError> {
    match state.app.get_json(&caller.actor, kind, id).await? {
        Value::Object(fields) => Ok(fields),
        // Every record is a struct, so its JSON is an object.
        other => Err(WebError(AppError::Internal(cncl_store::StoreError::Encoding(format!("not an object: {other}"))))),
    }
}
