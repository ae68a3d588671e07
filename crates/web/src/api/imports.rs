//! Imports over the API: a file previewed (multipart), then committed by the preview's id.

use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use cncl_app::AppError;
use cncl_app::import::{ImportReport, Preview};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::doc::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::auth::Caller;
use crate::error::WebError;
use crate::extract::PathId;

/// Largest upload read: the importer's own limit, and a little for the form around it.
const MAX_UPLOAD_BYTES: usize = 50 * 1024 * 1024 + 64 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(preview)).routes(routes!(commit)).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
}

/// The multipart form of an import.
#[derive(utoipa::ToSchema)]
#[allow(dead_code, reason = "describes the form for the OpenAPI document")]
struct ImportForm {
    /// An .xlsx workbook (sheets named after kinds: bom-lines, cost-lines…) or a CSV file
    /// named after its kind.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Preview a file: every row classified as new, update (with the fields that change),
/// unchanged or error (sheet, row, column letter, header, reason); nothing is written. The
/// preview is kept for an hour for its commit. With an API token (a signed-in browser uses
/// the import page).
#[utoipa::path(post, path = "/api/v1/imports", tag = "exchange", operation_id = "preview_import",
    request_body(content = ImportForm, content_type = "multipart/form-data"),
    responses((status = 200, description = "The preview", body = Preview), BadRequest, Unauthenticated, Forbidden, Invalid))]
async fn preview(
    State(state): State<AppState>,
    caller: Caller,
    request: axum::extract::Request,
) -> Result<Json<Preview>, WebError> {
    // Who asks is known before the body is read.
    if caller.actor.is_anonymous() {
        return Err(WebError(AppError::Unauthenticated));
    }
    if caller.by_cookie {
        return Err(WebError(AppError::Forbidden(
            "send files with an API token; in the browser use the import page".into(),
        )));
    }
    let mut form = <Multipart as axum::extract::FromRequest<AppState>>::from_request(request, &state)
        .await
        .map_err(|e| WebError::bad_request("file", e.body_text()))?;
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(|e| WebError::bad_request("file", e.body_text()))? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("import.xlsx").to_owned();
            let bytes = field.bytes().await.map_err(|e| WebError::bad_request("file", e.body_text()))?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let (name, bytes) = file.ok_or_else(|| WebError::bad_request("file", "send the file in a field named file"))?;
    Ok(Json(state.app.preview_import(&caller.actor, &name, bytes).await?))
}

/// Apply exactly what the preview showed, in one transaction with its audit entries. 409 when
/// anything was written since the preview; 422 when a row is in error (nothing is written).
#[utoipa::path(post, path = "/api/v1/imports/{id}/commit", tag = "exchange", operation_id = "commit_import",
    params(("id" = uuid::Uuid, Path, description = "The preview")),
    responses((status = 200, description = "Written", body = ImportReport), BadRequest, Unauthenticated, Forbidden, NotFound, Conflict, Invalid))]
async fn commit(State(state): State<AppState>, caller: Caller, id: PathId) -> Result<Json<ImportReport>, WebError> {
    if caller.actor.is_anonymous() {
        return Err(WebError(AppError::Unauthenticated));
    }
    if caller.by_cookie {
        return Err(WebError(AppError::Forbidden(
            "commit with an API token; in the browser use the import page".into(),
        )));
    }
    let report = state.app.commit_import(&caller.actor, id.get()?).await?;
    if !report.committed {
        let message = format!("{} rows in error: nothing written; preview the corrected file", report.errors);
        return Err(WebError(AppError::Invalid(cncl_domain::DomainError::new("file", message))));
    }
    Ok(Json(report))
}
