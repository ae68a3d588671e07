//! A file sent to the API as multipart form data, in a field named `file`. Files come with an
//! API token: a browser session has its own pages for them.

use axum::body::Bytes;
use axum::extract::{Multipart, Request};
use cncl_app::AppError;
use cncl_domain::{Message, msg};

use crate::AppState;
use crate::auth::Caller;
use crate::error::WebError;

/// Refuse nobody (401) and a browser session (403, pointing to `page`) before the body is read.
pub fn with_token(caller: &Caller, page: Message) -> Result<(), WebError> {
    if caller.actor.is_anonymous() {
        return Err(WebError(AppError::Unauthenticated));
    }
    if caller.by_cookie {
        return Err(WebError(AppError::Forbidden(page)));
    }
    Ok(())
}

/// The `file` field's name (`default_name` when it has none) and bytes; a body of more than
/// `max_bytes` is refused as too large.
pub async fn file_field(
    state: &AppState,
    request: Request,
    default_name: &str,
    max_bytes: usize,
) -> Result<(String, Bytes), WebError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        WebError::bad_request("file", crate::error::rejected(e.body_text()))
    };
    let mut form = <Multipart as axum::extract::FromRequest<AppState>>::from_request(request, state)
        .await
        .map_err(|e| WebError::bad_request("file", crate::error::rejected(e.body_text())))?;
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(bad)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or(default_name).to_owned();
            let bytes = field.bytes().await.map_err(bad)?;
            if bytes.len() > max_bytes {
                return Err(WebError::too_large("file", max_bytes));
            }
            file = Some((name, bytes));
        }
    }
    file.ok_or_else(|| {
        WebError::bad_request("file", msg("hãy gửi tệp trong trường tên file", "send the file in a field named file"))
    })
}
