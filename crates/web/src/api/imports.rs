//! Imports over the API: a file previewed (multipart), then committed by the preview's id.

use axum::Json;
use axum::extract::{DefaultBodyLimit, State};
use axum::response::Response;
use cncl_app::AppError;
use cncl_app::import::previews::Preview;
use cncl_app::import::{ImportReport, Mapping};
use cncl_domain::{EntityKind, msg};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::api::doc::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::api::figure_files::signed_in_query;
use crate::auth::{ApiWrite, Caller};
use crate::error::WebError;
use crate::extract::PathId;

/// Largest upload read: the importer's own limit, and a little for the form around it.
const MAX_UPLOAD_BYTES: usize = 50 * 1024 * 1024 + 64 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(preview))
        .routes(routes!(commit))
        .routes(routes!(remap))
        .routes(routes!(annotated))
        .routes(routes!(template))
        .routes(routes!(reporting_workbook))
        .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
}

/// A workbook as a download named `file_name` (`….xlsx`).
fn workbook(file_name: &str, bytes: Vec<u8>) -> Response {
    let stem = file_name.strip_suffix(".xlsx").unwrap_or(file_name);
    let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    crate::api::figure_files::attachment(xlsx, stem, "xlsx", bytes)
}

/// Preview the file of preview `id` again with the sheets and columns chosen: for a
/// workbook not made from cncl's templates. The choices are saved for the caller's
/// organisation (or the office) and used for its next uploads.
#[utoipa::path(post, path = "/api/v1/imports/{id}/mapping", tag = "exchange", operation_id = "remap_import",
    params(("id" = uuid::Uuid, Path, description = "The preview")),
    request_body(content = Mapping, content_type = "application/json"),
    responses((status = 200, description = "The new preview", body = Preview), BadRequest, Unauthenticated, Forbidden, NotFound, Invalid))]
async fn remap(State(state): State<AppState>, id: PathId, write: ApiWrite) -> Result<Json<Preview>, WebError> {
    let id = id.get()?;
    let mapping: Mapping = write.parse()?;
    Ok(Json(state.app.remap_import(write.actor(), id, mapping).await?))
}

/// The query of a template.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct TemplateParams {
    /// The kind of record (`bom-lines`, `cost-lines`…).
    kind: String,
    /// Fill the sheet with the records the caller may see, so that editing it is an update.
    #[serde(default, deserialize_with = "crate::extract::optional")]
    prefilled: Option<bool>,
    /// `vi` (default) or `en`: headers, drop-downs and instructions (read by the language
    /// extractor).
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

/// A kind's template: an instructions sheet, then the kind's sheet with its headers in the
/// caller's language and the field keys beneath, drop-down lists for closed sets, money and
/// date formats; with the caller's records when `prefilled`.
#[utoipa::path(get, path = "/api/v1/templates", tag = "exchange", operation_id = "template", params(TemplateParams),
    responses((status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), BadRequest, Unauthenticated, Forbidden))]
async fn template(
    State(state): State<AppState>,
    caller: Caller,
    language: crate::extract::Language,
    uri: axum::http::Uri,
) -> Result<Response, WebError> {
    let params: TemplateParams = signed_in_query(&caller, &uri)?;
    let kind = EntityKind::from_resource(&params.kind).ok_or_else(|| {
        WebError::bad_request(
            "kind",
            msg(format!("{} không phải loại hồ sơ", params.kind), format!("{} is not a kind of record", params.kind)),
        )
    })?;
    let prefilled = params.prefilled.unwrap_or(false);
    let bytes = state.app.template(&caller.actor, kind, language.lang, prefilled).await?;
    Ok(workbook(&format!("{}.xlsx", kind.resource()), bytes))
}

/// The query of a reporting workbook.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ReportingParams {
    /// The organisation; a reporter's own when absent.
    #[serde(default, deserialize_with = "crate::extract::optional")]
    organisation: Option<Uuid>,
    /// Fill the sheets with the organisation's records, so that editing them is an update.
    #[serde(default, deserialize_with = "crate::extract::optional")]
    prefilled: Option<bool>,
    /// `vi` (default) or `en` (read by the language extractor).
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

/// An organisation's reporting workbook: an instructions sheet, then one sheet per kind an
/// organisation reports (people, certifications, product models, bills of materials, cost
/// lines, sales, training, publications, IP, outcomes), in the order they refer to each
/// other, references written as the keys people use.
#[utoipa::path(get, path = "/api/v1/reporting-workbook", tag = "exchange", operation_id = "reporting_workbook",
    params(ReportingParams),
    responses((status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), BadRequest, Unauthenticated, Forbidden))]
async fn reporting_workbook(
    State(state): State<AppState>,
    caller: Caller,
    language: crate::extract::Language,
    uri: axum::http::Uri,
) -> Result<Response, WebError> {
    let params: ReportingParams = signed_in_query(&caller, &uri)?;
    let prefilled = params.prefilled.unwrap_or(false);
    let bytes = state.app.reporting_workbook(&caller.actor, params.organisation, language.lang, prefilled).await?;
    Ok(workbook(language.lang.pick("so-bao-cao.xlsx", "reporting-workbook.xlsx"), bytes))
}

/// The previewed file as a workbook with one more column: what checking found on each row
/// (new, update with its changes, unchanged, or the error with its cell).
#[utoipa::path(get, path = "/api/v1/imports/{id}/annotated", tag = "exchange", operation_id = "annotated_import",
    params(("id" = uuid::Uuid, Path, description = "The preview")),
    responses((status = 200, description = "The workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), BadRequest, Unauthenticated, NotFound))]
async fn annotated(
    State(state): State<AppState>,
    caller: Caller,
    language: crate::extract::Language,
    id: PathId,
) -> Result<Response, WebError> {
    if caller.actor.is_anonymous() {
        return Err(WebError(AppError::Unauthenticated));
    }
    let (file_name, bytes) = state.app.annotated_preview(&caller.actor, id.get()?, language.lang).await?;
    Ok(workbook(&file_name, bytes))
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
    let page = msg(
        "hãy gửi tệp bằng mã truy cập API; trên trình duyệt hãy dùng trang nhập dữ liệu",
        "send files with an API token; in the browser use the import page",
    );
    crate::api::upload::with_token(&caller, page)?;
    let (name, bytes) = crate::api::upload::file_field(&state, request, "import.xlsx", MAX_UPLOAD_BYTES).await?;
    let bytes = bytes.to_vec();
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
        return Err(WebError(AppError::Forbidden(msg(
            "hãy ghi bằng mã truy cập API; trên trình duyệt hãy dùng trang nhập dữ liệu",
            "commit with an API token; in the browser use the import page",
        ))));
    }
    let report = state.app.commit_import(&caller.actor, id.get()?).await?;
    if !report.committed {
        let message = msg(
            format!("{} dòng lỗi: không ghi gì; hãy xem trước tệp đã sửa", report.errors),
            format!("{} rows in error: nothing written; preview the corrected file", report.errors),
        );
        return Err(WebError(AppError::Invalid(cncl_domain::DomainError::new("file", message))));
    }
    Ok(Json(report))
}
