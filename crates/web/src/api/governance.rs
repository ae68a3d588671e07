//! The lifecycle commands of tasks and progress reports, their histories, the 7 clear, the
//! selection of proposals, funding, what is overdue, and the office's warnings.

use axum::Json;
use axum::extract::State;
use cncl_app::governance::Warning;
use cncl_app::lifecycle::SevenClearCheck;
use cncl_domain::governance::{ProgressReport, ReportCommand};
use cncl_domain::ids::{ProgressReportId, TaskId};
use cncl_domain::lifecycle::TaskCommand;
use cncl_domain::task::Task;
use cncl_domain::{Date, Stored};
use cncl_store::events::{DueItem, Event, History};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::doc::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::api::scorecard::AsOfParams;
use crate::auth::{ApiWrite, Caller};
use crate::error::WebError;
use crate::extract::{PathId, StrictQuery};

/// The task as stored (for the document: a generic type cannot be named there).
type StoredTask = Stored<Task>;
/// The progress report as stored.
type StoredReport = Stored<ProgressReport>;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(task_command))
        .routes(routes!(task_events))
        .routes(routes!(seven_clear))
        .routes(routes!(ranking))
        .routes(routes!(report_command))
        .routes(routes!(report_events))
        .routes(routes!(select))
        .routes(routes!(funding))
        .routes(routes!(overdue))
        .routes(routes!(warnings))
}

/// Apply a lifecycle command (order, assign, start, submit, accept, reject, cancel),
/// recorded with who, when and why.
#[utoipa::path(
    post,
    path = "/api/v1/tasks/{id}/commands",
    tag = "lifecycle",
    operation_id = "task_command",
    params(("id" = uuid::Uuid, Path, description = "The task")),
    request_body = TaskCommand,
    responses(
        (status = 200, description = "The task after the command", body = StoredTask),
        BadRequest, Unauthenticated, Forbidden, NotFound, Conflict, Invalid
    )
)]
async fn task_command(
    State(state): State<AppState>,
    id: PathId,
    write: ApiWrite,
) -> Result<Json<Stored<Task>>, WebError> {
    cncl_app::policy::gives_task_commands(write.actor())?;
    let id = id.get()?;
    let command: TaskCommand = write.parse()?;
    Ok(Json(state.app.task_command(write.actor(), id, command).await?))
}

/// The task's recorded commands, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/tasks/{id}/events",
    tag = "lifecycle",
    operation_id = "task_events",
    params(("id" = uuid::Uuid, Path, description = "The task")),
    responses((status = 200, description = "The commands", body = Vec<Event>), BadRequest, Unauthenticated, NotFound)
)]
async fn task_events(State(state): State<AppState>, caller: Caller, id: PathId) -> Result<Json<Vec<Event>>, WebError> {
    Ok(Json(state.app.history(&caller.actor, History::Task, id.get::<TaskId>()?).await?))
}

/// Each of the task's 7 clear and whether it holds.
#[utoipa::path(
    get,
    path = "/api/v1/tasks/{id}/seven-clear",
    tag = "lifecycle",
    operation_id = "seven_clear",
    params(("id" = uuid::Uuid, Path, description = "The task")),
    responses(
        (status = 200, description = "The 7 clear", body = Vec<SevenClearCheck>),
        BadRequest, Unauthenticated, NotFound
    )
)]
async fn seven_clear(
    State(state): State<AppState>,
    caller: Caller,
    id: PathId,
) -> Result<Json<Vec<SevenClearCheck>>, WebError> {
    Ok(Json(state.app.seven_clear(&caller.actor, id.get()?).await?))
}

/// The proposals for the task ranked by their reviewers' weighted scores (ties share a rank).
#[utoipa::path(
    get,
    path = "/api/v1/tasks/{id}/ranking",
    tag = "selection",
    operation_id = "ranking",
    params(("id" = uuid::Uuid, Path, description = "The task")),
    responses(
        (status = 200, description = "The ranked proposals", body = Vec<Value>),
        BadRequest, Unauthenticated, Forbidden, NotFound
    )
)]
async fn ranking(State(state): State<AppState>, caller: Caller, id: PathId) -> Result<Json<Value>, WebError> {
    cncl_app::policy::office(&caller.actor, false)?;
    let ranked = state.app.ranking(&caller.actor, id.get()?).await?;
    Ok(Json(cncl_store::to_json(&ranked)?))
}

/// Submit, approve or return a progress report.
#[utoipa::path(
    post,
    path = "/api/v1/progress-reports/{id}/commands",
    tag = "lifecycle",
    operation_id = "report_command",
    params(("id" = uuid::Uuid, Path, description = "The progress report")),
    request_body = ReportCommand,
    responses(
        (status = 200, description = "The report after the command", body = StoredReport),
        BadRequest, Unauthenticated, Forbidden, NotFound, Conflict, Invalid
    )
)]
async fn report_command(
    State(state): State<AppState>,
    id: PathId,
    write: ApiWrite,
) -> Result<Json<Stored<ProgressReport>>, WebError> {
    cncl_app::policy::gives_report_commands(write.actor())?;
    let id = id.get()?;
    let command: ReportCommand = write.parse()?;
    Ok(Json(state.app.report_command(write.actor(), id, command).await?))
}

/// The report's recorded commands, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/progress-reports/{id}/events",
    tag = "lifecycle",
    operation_id = "report_events",
    params(("id" = uuid::Uuid, Path, description = "The progress report")),
    responses((status = 200, description = "The commands", body = Vec<Event>), BadRequest, Unauthenticated, NotFound)
)]
async fn report_events(
    State(state): State<AppState>,
    caller: Caller,
    id: PathId,
) -> Result<Json<Vec<Event>>, WebError> {
    Ok(Json(state.app.history(&caller.actor, History::Report, id.get::<ProgressReportId>()?).await?))
}

/// When the chosen proposal becomes the task's assignment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SelectRequest {
    #[schema(value_type = String, format = Date)]
    pub on: Date,
}

/// Choose a proposal: its organisation and lead become the task's assignment.
#[utoipa::path(
    post,
    path = "/api/v1/proposals/{id}/select",
    tag = "selection",
    operation_id = "select_proposal",
    params(("id" = uuid::Uuid, Path, description = "The proposal")),
    request_body = SelectRequest,
    responses(
        (status = 200, description = "The task, assigned", body = StoredTask),
        BadRequest, Unauthenticated, Forbidden, NotFound, Conflict, Invalid
    )
)]
async fn select(State(state): State<AppState>, id: PathId, write: ApiWrite) -> Result<Json<Stored<Task>>, WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    let id = id.get()?;
    let request: SelectRequest = write.parse()?;
    Ok(Json(state.app.select_proposal(write.actor(), id, request.on).await?))
}

/// Budget lines by product, source and year, disbursements, and each year's state budget
/// against the ceiling.
#[utoipa::path(
    get,
    path = "/api/v1/funding",
    tag = "funding",
    operation_id = "funding",
    params(AsOfParams),
    responses(
        (status = 200, description = "The funding summary", body = Value),
        BadRequest, Unauthenticated, Forbidden, Invalid
    )
)]
async fn funding(
    State(state): State<AppState>,
    caller: Caller,
    StrictQuery(params): StrictQuery<AsOfParams>,
) -> Result<Json<Value>, WebError> {
    let as_of = params.as_of.unwrap_or_else(|| state.app.today());
    Ok(Json(cncl_store::to_json(&state.app.funding(&caller.actor, as_of).await?)?))
}

/// A due item as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueView {
    pub id: uuid::Uuid,
    pub task_id: uuid::Uuid,
    pub task_code: String,
    pub name: String,
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
}

impl From<DueItem> for DueView {
    fn from(item: DueItem) -> Self {
        DueView { id: item.id, task_id: item.task_id, task_code: item.task_code, name: item.name, due_on: item.due_on }
    }
}

/// Milestones and deliverables of running tasks overdue on a date.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverdueView {
    #[schema(value_type = String, format = Date)]
    as_of: Date,
    milestones: Vec<DueView>,
    deliverables: Vec<DueView>,
}

/// Milestones and deliverables of running tasks overdue on the date.
#[utoipa::path(
    get,
    path = "/api/v1/overdue",
    tag = "lifecycle",
    operation_id = "overdue",
    params(AsOfParams),
    responses(
        (status = 200, description = "What is overdue", body = OverdueView),
        BadRequest, Unauthenticated, Forbidden, Invalid
    )
)]
async fn overdue(
    State(state): State<AppState>,
    caller: Caller,
    StrictQuery(params): StrictQuery<AsOfParams>,
) -> Result<Json<OverdueView>, WebError> {
    let as_of = params.as_of.unwrap_or_else(|| state.app.today());
    let (milestones, deliverables) = state.app.overdue(&caller.actor, as_of).await?;
    Ok(Json(OverdueView {
        as_of,
        milestones: milestones.into_iter().map(DueView::from).collect(),
        deliverables: deliverables.into_iter().map(DueView::from).collect(),
    }))
}

/// What the office should act on: products without a chief engineer or architect, no Task
/// Force head, funding over the ceiling, overdue items.
#[utoipa::path(
    get,
    path = "/api/v1/warnings",
    tag = "governance",
    operation_id = "warnings",
    params(AsOfParams),
    responses(
        (status = 200, description = "The warnings", body = Vec<Warning>),
        BadRequest, Unauthenticated, Forbidden, Invalid
    )
)]
async fn warnings(
    State(state): State<AppState>,
    caller: Caller,
    StrictQuery(params): StrictQuery<AsOfParams>,
) -> Result<Json<Vec<Warning>>, WebError> {
    let as_of = params.as_of.unwrap_or_else(|| state.app.today());
    Ok(Json(state.app.warnings(&caller.actor, as_of).await?))
}
