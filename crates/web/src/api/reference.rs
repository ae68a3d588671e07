//! The programme's reference data, read-only: programme, products, task groups, criteria.

use axum::Json;
use axum::extract::{Path, State};
use axum::routing::get;
use cncl_app::reference::DEFAULT_CRITERIA_SET;
use cncl_domain::reference::{Product, Programme, TaskGroup};
use cncl_eval::CriteriaSet;

use crate::AppState;
use crate::error::WebError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/api/v1/programme", get(programme))
        .route("/api/v1/products", get(products))
        .route("/api/v1/products/{code}", get(product))
        .route("/api/v1/task-groups", get(task_groups))
        .route("/api/v1/task-groups/{code}", get(task_group))
        .route("/api/v1/criteria", get(criteria))
}

async fn programme(State(state): State<AppState>) -> Result<Json<Programme>, WebError> {
    Ok(Json(state.app.programme().await?))
}

async fn products(State(state): State<AppState>) -> Result<Json<Vec<Product>>, WebError> {
    Ok(Json(state.app.products().await?))
}

async fn product(State(state): State<AppState>, Path(code): Path<String>) -> Result<Json<Product>, WebError> {
    Ok(Json(state.app.product(&code).await?))
}

async fn task_groups(State(state): State<AppState>) -> Result<Json<Vec<TaskGroup>>, WebError> {
    Ok(Json(state.app.task_groups().await?))
}

async fn task_group(State(state): State<AppState>, Path(code): Path<String>) -> Result<Json<TaskGroup>, WebError> {
    Ok(Json(state.app.task_group(&code).await?))
}

async fn criteria(State(state): State<AppState>) -> Result<Json<CriteriaSet>, WebError> {
    Ok(Json(state.app.criteria_set(DEFAULT_CRITERIA_SET).await?))
}
