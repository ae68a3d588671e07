//! A record's documents on its page: the list, an upload form for those who may change the
//! record, and the download, always as an attachment and never run as a page of this site.

use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use cncl_domain::{EntityKind, Lang};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Caller;
use crate::error::WebError;
use crate::extract::{PathId, RecordPath};
use crate::i18n::{DocumentsUi, documents_ui, format_count, format_instant};

/// The largest upload read, a little over the largest document kept, so that a file too
/// large is named as such rather than cut off.
const MAX_UPLOAD_BYTES: usize = cncl_app::documents::MAX_DOCUMENT_BYTES + 64 * 1024;

pub struct DocumentRow {
    pub name: String,
    pub href: String,
    pub media_type: &'static str,
    pub size: String,
    pub sha256: String,
    pub uploaded: String,
}

pub struct DocumentsView {
    pub words: &'static DocumentsUi,
    pub rows: Vec<DocumentRow>,
    /// Where the upload form posts, for those who may change the record.
    pub upload_action: Option<String>,
}

/// What a media type is called on the page.
fn type_label(media_type: &str) -> &'static str {
    match media_type {
        "application/pdf" => "PDF",
        "image/png" => "PNG",
        "image/jpeg" => "JPEG",
        t if t.ends_with("wordprocessingml.document") => "Word",
        t if t.ends_with("spreadsheetml.sheet") => "Excel",
        _ => "—",
    }
}

pub async fn view(
    state: &AppState,
    caller: &Caller,
    kind: EntityKind,
    id: Uuid,
    lang: Lang,
) -> Result<DocumentsView, WebError> {
    let documents = state.app.documents(&caller.actor, kind, id).await?;
    Ok(DocumentsView {
        words: documents_ui(lang),
        rows: documents
            .into_iter()
            .map(|d| DocumentRow {
                href: format!("/documents/{}", d.id),
                media_type: type_label(&d.media_type),
                size: format!("{} KB", format_count((d.size + 1023) / 1024, lang)),
                sha256: d.sha256.chars().take(16).collect(),
                uploaded: format!("{}, {}", d.uploaded_by, format_instant(&d.uploaded_at, lang)),
                name: d.file_name,
            })
            .collect(),
        upload_action: cncl_app::policy::write(&caller.actor, kind)
            .is_ok()
            .then(|| format!("/records/{}/{id}/documents", kind.resource())),
    })
}

pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    path: RecordPath,
    mut form: Multipart,
) -> Result<Response, WebError> {
    let (kind, id) = (path.kind()?, path.id()?);
    let (mut csrf, mut file) = (String::new(), None);
    while let Some(field) =
        form.next_field().await.map_err(|e| WebError::bad_request("file", crate::error::rejected(e.body_text())))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().unwrap_or("tai-lieu").to_owned();
        let bytes =
            field.bytes().await.map_err(|e| WebError::bad_request("file", crate::error::rejected(e.body_text())))?;
        if bytes.len() > MAX_UPLOAD_BYTES {
            return Err(WebError::too_large("file", cncl_app::documents::MAX_DOCUMENT_BYTES));
        }
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => file = Some((file_name, bytes)),
            _ => {}
        }
    }
    crate::auth::check_form(&caller, &csrf)?;
    let (file_name, bytes) = file.unwrap_or_default();
    state.app.attach(&caller.actor, kind, id, &file_name, &bytes).await?;
    Ok(Redirect::to(&format!("/records/{}/{id}#saved", kind.resource())).into_response())
}

/// A document, as an attachment: never shown inline, never sniffed, never able to run as a
/// page of this site.
pub async fn download(State(state): State<AppState>, caller: Caller, id: PathId) -> Result<Response, WebError> {
    let (document, bytes) = state.app.document(&caller.actor, id.get()?).await?;
    let ascii: String = document
        .file_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' })
        .collect();
    let encoded: String = url::form_urlencoded::byte_serialize(document.file_name.as_bytes()).collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", encoded.replace('+', "%20"));
    Ok((
        [
            (header::CONTENT_TYPE, document.media_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CONTENT_SECURITY_POLICY, "sandbox; default-src 'none'".to_owned()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
