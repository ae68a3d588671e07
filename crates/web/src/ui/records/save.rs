//! A posted record form saved: names typed for references resolved, parsed, written through
//! the same use-cases as the API; or shown again with what was typed and the field named.

use std::collections::HashMap;

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cncl_app::AppError;
use cncl_domain::fields::field_label;
use cncl_domain::{EntityKind, Lang};
use serde_json::Value;
use uuid::Uuid;

use crate::AppState;
use crate::auth::Caller;
use crate::error::WebError;
use crate::extract::{Language, RecordPath};
use crate::forms::{FormSpec, Input, form_values, record_json, spec};
use crate::i18n::ui;
use crate::ui::records::form::{FormContext, Matches, form_page, stored_json};
use crate::ui::view::local_path;

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    path: RecordPath,
    language: Language,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, crate::error::WebError> {
    save(&state, &caller, path.kind()?, None, language.lang, pairs).await
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    path: RecordPath,
    language: Language,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, crate::error::WebError> {
    save(&state, &caller, path.kind()?, Some(path.id()?), language.lang, pairs).await
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
) -> Result<Result<(), cncl_domain::DomainError>, WebError> {
    const CHOICES_AT_MOST: usize = 20;
    for field in form.fields.iter().filter(|f| !f.command) {
        let Input::Reference(kind) = field.input else { continue };
        for (_, value) in pairs.iter_mut().filter(|(name, _)| *name == field.name) {
            let typed = value.trim();
            if typed.is_empty() || Uuid::parse_str(typed).is_ok() {
                continue;
            }
            let found = state.app.find_by_kind(&caller.actor, kind, typed, CHOICES_AT_MOST).await?;
            match found.as_slice() {
                [(id, _)] => *value = id.to_string(),
                [] => {
                    return Ok(Err(cncl_domain::DomainError::new(
                        &field.name,
                        cncl_domain::msg(
                            format!("{} «{typed}»", ui(Lang::Vi).none_match),
                            format!("{} «{typed}»", ui(Lang::En).none_match),
                        ),
                    )));
                }
                _ => {
                    let choices = found.iter().map(|(id, names)| (id.to_string(), names.clone())).collect();
                    matches.insert(field.name.clone(), choices);
                    return Ok(Err(cncl_domain::DomainError::new(
                        &field.name,
                        cncl_domain::msg(ui(Lang::Vi).several_match, ui(Lang::En).several_match),
                    )));
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
) -> Result<Response, crate::error::WebError> {
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
    let result = match resolve_names(state, caller, form, &mut pairs, &mut matches).await? {
        Err(error) => Err(error.into()),
        Ok(()) => match record_json(form, &pairs, base.clone()) {
            Ok(json) => state.app.save_json(&caller.actor, kind, id, json).await,
            Err(error) => Err(error.into()),
        },
    };
    let error = match result {
        Ok(saved) => {
            let to = back.unwrap_or_else(|| format!("/records/{}/{saved}", kind.resource()));
            // The page returned to says the record was saved (base.html's #saved notice).
            return Ok(Redirect::to(&format!("{to}#saved")).into_response());
        }
        Err(error @ (AppError::Unauthenticated | AppError::NotFound { .. } | AppError::Internal(_))) => {
            return Err(WebError(error));
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
            format!("{}: {}", field_label(kind, &e.field, lang).unwrap_or(e.field.as_str()), e.message.get(lang))
        }
        (_, _) => error.message().get(lang).to_owned(),
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
    let mut response = crate::ui::page::render(&page, None);
    *response.status_mut() = if status == StatusCode::OK { StatusCode::UNPROCESSABLE_ENTITY } else { status };
    Ok(response)
}
