//! Published reports over the API: the list, one report, its files, publishing a quarter's
//! (the office), and checking a copy (anyone).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cncl_app::publication::PublishAsked;
use cncl_domain::Lang;
use cncl_store::published::PublishedReport;
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::doc::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::auth::{ApiWrite, Caller};
use crate::error::WebError;
use crate::ui::reports::MAX_VERIFIED_BYTES;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, publish))
        .routes(routes!(verify))
        .routes(routes!(show))
        .routes(routes!(file))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_VERIFIED_BYTES))
}

/// Every published report, newest quarter first: public.
#[utoipa::path(get, path = "/api/v1/reports", tag = "reports", operation_id = "published_reports",
    responses((status = 200, description = "The published reports", body = Vec<PublishedReport>)))]
async fn list(State(state): State<AppState>) -> Result<Json<Vec<PublishedReport>>, WebError> {
    Ok(Json(state.app.published_reports().await?))
}

/// One published report: what it was computed from and its files' SHA-256.
#[utoipa::path(get, path = "/api/v1/reports/{id}", tag = "reports", operation_id = "published_report",
    params(("id" = String, Path, description = "The report's id")),
    responses((status = 200, description = "The report", body = PublishedReport), NotFound))]
async fn show(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<PublishedReport>, WebError> {
    Ok(Json(state.app.published_report(&id).await?))
}

/// A published file, as stored: `pdf`, `xlsx`, or `json` (the figures, as data).
#[utoipa::path(get, path = "/api/v1/reports/{id}/{format}", tag = "reports", operation_id = "published_report_file",
    params(("id" = String, Path, description = "The report's id"), ("format" = String, Path, description = "pdf, xlsx or json")),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"), NotFound))]
async fn file(State(state): State<AppState>, Path(path): Path<(String, String)>) -> Result<Response, WebError> {
    crate::ui::reports::download(State(state), Path(path)).await
}

/// A quarter to publish.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PublishRequest {
    /// `2026Q4`.
    quarter: String,
    /// `vi` (the default) or `en`.
    lang: Option<String>,
}

/// Build a quarter's report (PDF and workbook) from the figures as they stand and publish it
/// (the office): stored unchangeable, with its files' SHA-256 in the audit log.
#[utoipa::path(post, path = "/api/v1/reports", tag = "reports", operation_id = "publish_report",
    request_body = PublishRequest,
    responses((status = 201, description = "Published", body = PublishedReport), BadRequest, Unauthenticated, Forbidden, Conflict, Invalid))]
async fn publish(State(state): State<AppState>, write: ApiWrite) -> Result<Response, WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    let request: PublishRequest = write.parse()?;
    let lang = match request.lang.as_deref() {
        None => Lang::Vi,
        Some(code) => Lang::parse(code)
            .ok_or_else(|| WebError::bad_request("lang", cncl_domain::msg("phải là vi hoặc en", "must be vi or en")))?,
    };
    let maker = state.config.reports.clone().ok_or_else(reports_unavailable)?;
    let asked = PublishAsked { quarter: request.quarter, lang, base_url: state.config.public_url.clone() };
    let report = maker.publish(&state.app, write.actor(), asked).await?;
    Ok((StatusCode::CREATED, Json(report)).into_response())
}

fn reports_unavailable() -> WebError {
    WebError(cncl_app::AppError::Conflict {
        field: None,
        message: cncl_domain::msg(
            "máy chủ này không được cấu hình để lập hay kiểm tra báo cáo",
            "this server is not set up to build or check reports",
        ),
    })
}

/// Check a copy of a report, sent as the request's body (the PDF's or workbook's bytes):
/// `verdict` is `identical`, `altered` (with `differences`: cells or pages) or `unknown`.
/// Anyone may check; nothing is changed.
#[utoipa::path(post, path = "/api/v1/reports/verify", tag = "reports", operation_id = "verify_report",
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file, at most 20 MiB"),
    responses((status = 200, description = "The answer", body = Value), BadRequest, Unauthenticated))]
async fn verify(
    State(state): State<AppState>,
    _caller: Caller,
    body: axum::body::Bytes,
) -> Result<Json<Value>, WebError> {
    if body.is_empty() {
        return Err(WebError::bad_request("body", cncl_domain::msg("chưa gửi tệp", "no file was sent")));
    }
    let maker = state.config.reports.clone().ok_or_else(reports_unavailable)?;
    let checked = maker.verify(&state.app, &body).await?;
    Ok(Json(cncl_store::to_json(&checked)?))
}
