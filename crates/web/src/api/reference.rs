//! The programme's reference data, read-only: programme, products, task groups, criteria.

use axum::Json;
use axum::extract::{Path, State};
use cncl_domain::reference::{Product, Programme, TaskGroup};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::doc::NotFound;
use crate::error::WebError;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(programme))
        .routes(routes!(products))
        .routes(routes!(product))
        .routes(routes!(task_groups))
        .routes(routes!(task_group))
        .routes(routes!(criteria))
}

/// The programme.
#[utoipa::path(get, path = "/api/v1/programme", tag = "reference", operation_id = "programme",
    responses((status = 200, description = "The programme", body = Programme)))]
async fn programme(State(state): State<AppState>) -> Result<Json<Programme>, WebError> {
    Ok(Json(state.app.programme().await?))
}

/// The strategic technology products.
#[utoipa::path(get, path = "/api/v1/products", tag = "reference", operation_id = "list_products",
    responses((status = 200, description = "The products", body = Vec<Product>)))]
async fn products(State(state): State<AppState>) -> Result<Json<Vec<Product>>, WebError> {
    Ok(Json(state.app.products().await?))
}

/// One product.
#[utoipa::path(get, path = "/api/v1/products/{code}", tag = "reference", operation_id = "show_product",
    params(("code" = String, Path, description = "The product's code")),
    responses((status = 200, description = "The product", body = Product), NotFound))]
async fn product(State(state): State<AppState>, Path(code): Path<String>) -> Result<Json<Product>, WebError> {
    Ok(Json(state.app.product(&code).await?))
}

/// The task groups.
#[utoipa::path(get, path = "/api/v1/task-groups", tag = "reference", operation_id = "list_task_groups",
    responses((status = 200, description = "The task groups", body = Vec<TaskGroup>)))]
async fn task_groups(State(state): State<AppState>) -> Result<Json<Vec<TaskGroup>>, WebError> {
    Ok(Json(state.app.task_groups().await?))
}

/// One task group.
#[utoipa::path(get, path = "/api/v1/task-groups/{code}", tag = "reference", operation_id = "show_task_group",
    params(("code" = String, Path, description = "The task group's code")),
    responses((status = 200, description = "The task group", body = TaskGroup), NotFound))]
async fn task_group(State(state): State<AppState>, Path(code): Path<String>) -> Result<Json<TaskGroup>, WebError> {
    Ok(Json(state.app.task_group(&code).await?))
}

/// The programme's current criteria set: criteria, targets, milestones, sources.
#[utoipa::path(get, path = "/api/v1/criteria", tag = "reference", operation_id = "criteria",
    responses((status = 200, description = "The criteria set", body = Value)))]
async fn criteria(State(state): State<AppState>) -> Result<Json<Value>, WebError> {
    Ok(Json(cncl_store::to_json(&state.app.criteria_set(None).await?)?))
}
