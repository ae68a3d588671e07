//! The JSON API under `/api/v1`, and `/health`.

pub mod admin;
pub mod governance;
pub mod openapi;
pub mod records;
pub mod reference;
pub mod scorecard;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use serde_json::Value;

use crate::AppState;
use crate::error::WebError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .merge(records::routes())
        .merge(reference::routes())
        .merge(governance::routes())
        .merge(admin::routes())
        .route("/api/v1/scorecard", get(scorecard::show))
        .route("/api/v1/openapi.json", get(openapi_document))
        .route("/health", get(health))
        .route("/api/{*rest}", axum::routing::any(unknown_route))
}

async fn openapi_document(State(state): State<AppState>) -> Json<Value> {
    Json(state.openapi.as_ref().clone())
}

async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let health = state.app.health().await;
    let status = if health.database.reachable { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(health))
}

async fn unknown_route() -> WebError {
    WebError::not_found("route", "this path under /api")
}
