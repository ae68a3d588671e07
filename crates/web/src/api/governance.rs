//! The lifecycle commands of tasks and progress reports, their histories, the 7 clear, the
//! selection of proposals, funding, what is overdue, and the office's warnings.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::routing::{get, post};
use cncl_app::governance::{RankedProposal, Warning};
use cncl_app::lifecycle::SevenClearCheck;
use cncl_domain::Date;
use cncl_domain::Stored;
use cncl_domain::governance::{ProgressReport, ReportCommand};
use cncl_domain::lifecycle::TaskCommand;
use cncl_domain::task::Task;
use cncl_eval::funding::FundingSummary;
use cncl_store::events::{DueItem, Event, History};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api::records::parse_id;
use crate::auth::{ApiWrite, Caller};
use crate::error::WebError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/api/v1/tasks/{id}/commands", post(task_command))
        .route("/api/v1/tasks/{id}/events", get(task_events))
        .route("/api/v1/tasks/{id}/seven-clear", get(seven_clear))
        .route("/api/v1/tasks/{id}/ranking", get(ranking))
        .route("/api/v1/progress-reports/{id}/commands", post(report_command))
        .route("/api/v1/progress-reports/{id}/events", get(report_events))
        .route("/api/v1/proposals/{id}/select", post(select))
        .route("/api/v1/funding", get(funding))
        .route("/api/v1/overdue", get(overdue))
        .route("/api/v1/warnings", get(warnings))
}

/// `?as_of=YYYY-MM-DD` (default today); nothing else.
pub fn as_of_only(
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    app: &cncl_app::App,
) -> Result<Date, WebError> {
    let Query(pairs) = query.map_err(|e| WebError::bad_request("query", e.body_text()))?;
    let mut as_of = None;
    for (name, value) in pairs {
        match name.as_str() {
            "as_of" => as_of = Some(crate::query::date("as_of", &value)?),
            _ => return Err(WebError::bad_request(&name, "unknown parameter; use as_of")),
        }
    }
    Ok(as_of.unwrap_or_else(|| app.today()))
}

async fn task_command(
    State(state): State<AppState>,
    Path(id): Path<String>,
    write: ApiWrite,
) -> Result<Json<Stored<Task>>, WebError> {
    cncl_app::policy::gives_task_commands(write.actor())?;
    let id = parse_id(&id)?;
    let command: TaskCommand = write.parse()?;
    Ok(Json(state.app.task_command(write.actor(), id, command).await?))
}

async fn task_events(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<Event>>, WebError> {
    Ok(Json(state.app.history(&caller.actor, History::Task, parse_id(&id)?).await?))
}

async fn seven_clear(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<SevenClearCheck>>, WebError> {
    Ok(Json(state.app.seven_clear(&caller.actor, parse_id(&id)?).await?))
}

async fn ranking(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<RankedProposal>>, WebError> {
    Ok(Json(state.app.ranking(&caller.actor, parse_id(&id)?).await?))
}

async fn report_command(
    State(state): State<AppState>,
    Path(id): Path<String>,
    write: ApiWrite,
) -> Result<Json<Stored<ProgressReport>>, WebError> {
    cncl_app::policy::gives_report_commands(write.actor())?;
    let id = parse_id(&id)?;
    let command: ReportCommand = write.parse()?;
    Ok(Json(state.app.report_command(write.actor(), id, command).await?))
}

async fn report_events(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Vec<Event>>, WebError> {
    Ok(Json(state.app.history(&caller.actor, History::Report, parse_id(&id)?).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SelectRequest {
    pub on: Date,
}

async fn select(
    State(state): State<AppState>,
    Path(id): Path<String>,
    write: ApiWrite,
) -> Result<Json<Stored<Task>>, WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    let id = parse_id(&id)?;
    let request: SelectRequest = write.parse()?;
    Ok(Json(state.app.select_proposal(write.actor(), id, request.on).await?))
}

async fn funding(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<FundingSummary>, WebError> {
    Ok(Json(state.app.funding(&caller.actor, as_of_only(query, &state.app)?).await?))
}

/// A due item as the API shows it.
#[derive(Debug, Serialize)]
pub struct DueView {
    pub id: uuid::Uuid,
    pub task_id: uuid::Uuid,
    pub task_code: String,
    pub name: String,
    pub due_on: Date,
}

impl From<DueItem> for DueView {
    fn from(item: DueItem) -> Self {
        DueView { id: item.id, task_id: item.task_id, task_code: item.task_code, name: item.name, due_on: item.due_on }
    }
}

#[derive(Debug, Serialize)]
struct OverdueView {
    as_of: Date,
    milestones: Vec<DueView>,
    deliverables: Vec<DueView>,
}

async fn overdue(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<OverdueView>, WebError> {
    let as_of = as_of_only(query, &state.app)?;
    let (milestones, deliverables) = state.app.overdue(&caller.actor, as_of).await?;
    Ok(Json(OverdueView {
        as_of,
        milestones: milestones.into_iter().map(DueView::from).collect(),
        deliverables: deliverables.into_iter().map(DueView::from).collect(),
    }))
}

async fn warnings(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Vec<Warning>>, WebError> {
    Ok(Json(state.app.warnings(&caller.actor, as_of_only(query, &state.app)?).await?))
}
