//! The JSON API under `/api/v1`, and `/health`, `/ready` and `/metrics`. Every route is declared once, with its
//! OpenAPI description (`#[utoipa::path]`, or `doc.rs` for the generic record routes), so the
//! document at `/api/v1/openapi.json` is generated from the routes themselves.

pub mod admin;
pub mod compliance;
pub mod criteria;
pub mod doc;
pub mod documents;
pub mod figure_files;
pub mod governance;
pub mod imports;
pub mod localisation;
pub mod records;
pub mod reference;
pub mod reports;
pub mod scorecard;
pub mod upload;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::any;
use utoipa::openapi::OpenApi;
use utoipa::{PartialSchema, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ErrorBody, WebError};

/// The API's routes and the OpenAPI document they make.
pub fn routes() -> (axum::Router<AppState>, OpenApi) {
    let (router, mut document) = OpenApiRouter::new()
        .merge(records::routes())
        .merge(reference::routes())
        .merge(criteria::routes())
        .merge(localisation::routes())
        .merge(imports::routes())
        .merge(figure_files::routes())
        .merge(governance::routes())
        .merge(compliance::routes())
        .merge(admin::routes())
        .merge(reports::routes())
        .merge(documents::routes())
        .routes(routes!(scorecard::show))
        .routes(routes!(openapi_document))
        .routes(routes!(health))
        .routes(routes!(ready))
        .routes(routes!(crate::metrics::show))
        .route("/api/{*rest}", any(unknown_route))
        .split_for_parts();
    document.info.title = "cncl API".into();
    document.info.version = env!("CARGO_PKG_VERSION").into();
    document.info.description = Some(
        "Monitoring and evaluation of the Programme for the development of strategic technology products \
         (Decision 2815/QĐ-TTg). Money is whole đồng; dates are YYYY-MM-DD (dd/mm/yyyy is read too); errors are \
         {error, field?, message}."
            .into(),
    );
    let components = document.components.get_or_insert_with(Default::default);
    // The error answers (`doc.rs`) refer to it by name.
    components.schemas.insert(ErrorBody::name().into_owned(), ErrorBody::schema());
    (router, document)
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "operations", operation_id = "openapi",
    responses((status = 200, description = "OpenAPI 3.1", body = Value)))]
async fn openapi_document(State(state): State<AppState>) -> Json<std::sync::Arc<OpenApi>> {
    Json(state.openapi.clone())
}

/// The process is alive and answers (a liveness probe): it asks nothing of the database.
#[utoipa::path(get, path = "/health", tag = "operations", operation_id = "health",
    responses((status = 200, description = "Alive", body = Value)))]
async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "alive"}))
}

/// Whether this instance can serve (a readiness probe): its database answers within two
/// seconds and is at this build's schema. 503 otherwise, never a hang.
#[utoipa::path(get, path = "/ready", tag = "operations", operation_id = "ready",
    responses((status = 200, description = "Ready", body = cncl_app::operations::Readiness),
              (status = 503, description = "The database does not answer, or its schema is not this build's", body = cncl_app::operations::Readiness)))]
async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    let readiness = state.app.readiness().await;
    let status = if readiness.is_ready() { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(readiness))
}

async fn unknown_route() -> WebError {
    WebError::not_found("route", "this path under /api")
}
