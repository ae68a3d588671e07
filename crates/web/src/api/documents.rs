//! A record's documents over the API: the list, an upload (multipart, with an API token) and
//! the download, under the access rules of the record itself (`cncl_app::documents`).

use axum::Json;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cncl_app::AppError;
use cncl_domain::{EntityKind, msg, with_record_type};
use cncl_store::documents::Document;
use utoipa::openapi::Paths;
use utoipa::{PartialSchema, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::doc::{BadRequest, NotFound, Unauthenticated};
use crate::auth::Caller;
use crate::error::WebError;
use crate::extract::PathId;

/// Largest upload read: a document's own limit, and a little for the form around it.
const MAX_UPLOAD_BYTES: usize = cncl_app::documents::MAX_DOCUMENT_BYTES + 64 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    let router = EntityKind::ALL.into_iter().fold(OpenApiRouter::new(), |router, kind| {
        let name = with_record_type!(kind, T => T::name());
        let doc = crate::api::doc::RecordDoc {
            resource: kind.resource(),
            noun: kind.noun(),
            record: &name,
            filters: Vec::new(),
        };
        let path = format!("/api/v1/{}/{{id}}/documents", kind.resource());
        let schemas = vec![("Document".to_owned(), Document::schema())];
        // One handler for every kind, told the kind: instantiated once, not per record type.
        router.routes((
            schemas,
            Paths::builder().path(path, doc.documents()).build(),
            get(move |state: State<AppState>, caller: Caller, id: PathId| list(state, caller, id, kind)).post(
                move |state: State<AppState>, caller: Caller, id: PathId, request: axum::extract::Request| {
                    attach(state, caller, id, kind, request)
                },
            ),
        ))
    });
    router.routes(routes!(download)).layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES))
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    id: PathId,
    kind: EntityKind,
) -> Result<Json<Vec<Document>>, WebError> {
    let id = id.get()?;
    Ok(Json(state.app.documents(&caller.actor, kind, id).await?))
}

async fn attach(
    State(state): State<AppState>,
    caller: Caller,
    id: PathId,
    kind: EntityKind,
    request: axum::extract::Request,
) -> Result<Response, WebError> {
    // Who asks, and whether it may write such records, is known before the body is read.
    let page = msg(
        "hãy gửi tệp bằng mã truy cập API; trên trình duyệt hãy dùng trang của hồ sơ",
        "send files with an API token; in the browser use the record's page",
    );
    crate::api::upload::with_token(&caller, page)?;
    cncl_app::policy::write(&caller.actor, kind)?;
    let id = id.get()?;
    let (file_name, bytes) = crate::api::upload::file_field(&state, request, "tai-lieu", MAX_UPLOAD_BYTES).await?;
    let document = state.app.attach(&caller.actor, kind, id, &file_name, &bytes).await?;
    Ok((StatusCode::CREATED, Json(document)).into_response())
}

/// A document's bytes, as an attachment: never shown inline, never sniffed, never able to
/// run as a page of this site.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents", operation_id = "document",
    params(("id" = uuid::Uuid, Path, description = "The document")),
    responses((status = 200, description = "The file, with Content-Disposition: attachment", content_type = "application/octet-stream"), BadRequest, Unauthenticated, NotFound))]
async fn download(state: State<AppState>, caller: Caller, id: PathId) -> Result<Response, WebError> {
    if caller.actor.is_anonymous() {
        return Err(WebError(AppError::Unauthenticated));
    }
    crate::ui::documents::download(state, caller, id).await
}
