//! The forms of the task page posted: a lifecycle command, a progress report's command, a
//! proposal selected. Each goes through the same use-case as the API and returns to the task
//! page, with the refusal and its status when there is one.

use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use cncl_app::AppError;
use cncl_domain::governance::{ProgressReport, Proposal, ReportCommand};
use cncl_domain::lifecycle::TaskCommand;
use uuid::Uuid;

use crate::AppState;
use crate::auth::Caller;
use crate::error::WebError;
use crate::extract::{Language, PathId};
use crate::i18n::ui;

/// A posted form as the JSON object the command parses from: the CSRF token checked and
/// removed, values trimmed, empty fields left out.
fn form_fields(caller: &Caller, pairs: Vec<(String, String)>) -> Result<serde_json::Value, WebError> {
    let csrf = pairs.iter().find(|(name, _)| name == "csrf").map_or("", |(_, value)| value.as_str());
    crate::auth::check_form(caller, csrf)?;
    let mut fields = serde_json::Map::new();
    for (name, value) in pairs {
        let value = value.trim();
        if name == "csrf" || value.is_empty() {
            continue;
        }
        // A form sends text; the amount is a number in the command. Digit grouping typed
        // by hand (1.000.000 or 1,000,000) is dropped.
        let value = match name.as_str() {
            "budget_ceiling_vnd" => value
                .replace(['.', ',', ' '], "")
                .parse::<i64>()
                .map_or_else(|_| serde_json::Value::from(value), serde_json::Value::from),
            _ => serde_json::Value::from(value),
        };
        fields.insert(name, value);
    }
    Ok(serde_json::Value::Object(fields))
}

/// Back to task `task_id` after a command: the page when it was applied, the page with the
/// reason and the refusal's status when it was not.
async fn outcome(
    state: &AppState,
    caller: &Caller,
    task_id: Uuid,
    lang: cncl_domain::Lang,
    result: Result<(), AppError>,
) -> Result<Response, crate::error::WebError> {
    let error = match result {
        Ok(()) => return Ok(Redirect::to(&format!("/tasks/{task_id}")).into_response()),
        Err(error @ (AppError::Unauthenticated | AppError::NotFound { .. } | AppError::Internal(_))) => {
            return Err(WebError(error));
        }
        Err(error) => error,
    };
    let message = match &error {
        AppError::NotClear(missing) => format!(
            "{}: {}",
            ui(lang).seven_clear_heading,
            missing.iter().map(|e| e.label(lang)).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    };
    let status = WebError(error).status();
    let page = crate::ui::tasks::task_page(state, caller, task_id, lang, Some(message)).await?;
    let mut response = crate::ui::page::render(&page, None);
    *response.status_mut() = status;
    Ok(response)
}

/// A lifecycle command posted from the task page.
pub async fn task_command(
    State(state): State<AppState>,
    caller: Caller,
    id: PathId,
    language: Language,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, crate::error::WebError> {
    let id = id.get()?;
    let fields = form_fields(&caller, pairs)?;
    let result = match cncl_domain::parse_input_value::<TaskCommand>(fields) {
        Ok(command) => state.app.task_command(&caller.actor, id, command).await.map(|_| ()),
        Err(error) => Err(error.into()),
    };
    outcome(&state, &caller, id.as_uuid(), language.lang, result).await
}

/// A progress report approved, returned or submitted from its task's page.
pub async fn report_command(
    State(state): State<AppState>,
    caller: Caller,
    id: PathId,
    language: Language,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, crate::error::WebError> {
    let id = id.get()?;
    let fields = form_fields(&caller, pairs)?;
    let report = state.app.get::<ProgressReport>(&caller.actor, id).await?;
    let result = match cncl_domain::parse_input_value::<ReportCommand>(fields) {
        Ok(command) => state.app.report_command(&caller.actor, id, command).await.map(|_| ()),
        Err(error) => Err(error.into()),
    };
    outcome(&state, &caller, report.record.task_id.as_uuid(), language.lang, result).await
}

/// A proposal chosen from its task's page; the task is assigned to it.
pub async fn select_proposal(
    State(state): State<AppState>,
    caller: Caller,
    id: PathId,
    language: Language,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, crate::error::WebError> {
    let id = id.get()?;
    let fields = form_fields(&caller, pairs)?;
    let proposal = state.app.get::<Proposal>(&caller.actor, id).await?;
    let result = match cncl_domain::parse_input_value::<crate::api::governance::SelectRequest>(fields) {
        Ok(request) => state.app.select_proposal(&caller.actor, id, request.on).await.map(|_| ()),
        Err(error) => Err(error.into()),
    };
    outcome(&state, &caller, proposal.record.task_id.as_uuid(), language.lang, result).await
}
