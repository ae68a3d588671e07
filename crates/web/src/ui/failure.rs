//! Every failure outside the API answered as a page in the visitor's language, with a way on:
//! a refusal, a missing page or record, a bad value, an internal error with its request id.
//! A visitor who is not signed in is sent to sign in and brought back after; a record form
//! posted under an expired session comes back filled in with what was typed.

use askama::Template;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use crate::AppState;
use crate::auth::{Caller, Cookies};
use crate::error::{Failure, WebError};
use crate::extract::Language;
use crate::i18n::{FailureUi, Ui, failure_ui, ui};
use crate::ui::page::Nav;
use crate::ui::return_to::{Resume, destination, typed_fields};

/// The largest record form kept to be filled in again: axum's default body limit, which the
/// record forms have.
const MAX_KEPT_FORM_BYTES: usize = 2 * 1024 * 1024;

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub ui: &'static Ui,
    pub nav: Nav,
    pub words: &'static FailureUi,
    pub status: u16,
    pub title: &'static str,
    pub detail: String,
    pub request_id: Option<String>,
    /// The page the visitor came from, on this site.
    pub back: Option<String>,
    /// A refusal offers signing in as someone else.
    pub sign_in: bool,
}

/// What was asked, kept to answer a failure after the request went to its handler.
struct Asked {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
}

impl Asked {
    fn parts(&self) -> axum::http::request::Parts {
        let (mut parts, ()) = Request::new(()).into_parts();
        parts.method = self.method.clone();
        parts.uri = self.uri.clone();
        parts.headers = self.headers.clone();
        parts
    }

    fn path_and_query(&self) -> Option<&str> {
        self.uri.path_and_query().map(axum::http::uri::PathAndQuery::as_str)
    }

    /// The page the visitor came from, when it is on this site.
    fn referer(&self) -> Option<String> {
        let referer = url::Url::parse(self.headers.get(header::REFERER)?.to_str().ok()?).ok()?;
        let host = self.headers.get(header::HOST)?.to_str().ok()?;
        let origin = referer.port().map_or_else(
            || referer.host_str().map(str::to_owned),
            |port| referer.host_str().map(|h| format!("{h}:{port}")),
        )?;
        let path = match referer.query() {
            Some(query) => format!("{}?{query}", referer.path()),
            None => referer.path().to_owned(),
        };
        (origin == host).then(|| crate::ui::view::local_path(Some(&path))).flatten()
    }
}

/// The middleware: pages pass through; a failed page is answered by an error page, or by
/// signing in first.
pub async fn pages_for_failures(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // The API and the operators' probes answer machines, in JSON or plain text.
    let path = request.uri().path();
    if path.starts_with("/api/") || matches!(path, "/health" | "/ready" | "/metrics") {
        return next.run(request).await;
    }
    let asked =
        Asked { method: request.method().clone(), uri: request.uri().clone(), headers: request.headers().clone() };
    let (response, typed) = match keep_record_form(request).await {
        Ok((request, typed)) => (next.run(request).await, typed),
        Err(refused) => (refused, None),
    };
    let status = response.status();
    let failure = response.extensions().get::<Failure>().cloned();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !(status.is_client_error() || status.is_server_error()) || (failure.is_none() && is_html) {
        return response;
    }
    let mut parts = asked.parts();
    let Ok(language) = Language::from_request_parts(&mut parts, &()).await;
    if status == StatusCode::UNAUTHORIZED {
        return sign_in_first(&state, &asked, language, typed).await;
    }
    let caller = Caller::from_request_parts(&mut parts, &state).await.ok();
    let page = error_page(status, failure, caller.as_ref(), language, &asked);
    let mut answer = crate::ui::page::render(&page, None);
    *answer.status_mut() = status;
    if let Some(retry) = response.headers().get(header::RETRY_AFTER) {
        answer.headers_mut().insert(header::RETRY_AFTER, retry.clone());
    }
    answer
}

/// A record form's body, read so that it can be filled in again should the session have
/// expired; every other request is passed on as it came.
async fn keep_record_form(request: Request) -> Result<(Request, Option<String>), Response> {
    let form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if request.method() != Method::POST || !form || !request.uri().path().starts_with("/records/") {
        return Ok((request, None));
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_KEPT_FORM_BYTES)
        .await
        .map_err(|_| WebError::too_large("body", MAX_KEPT_FORM_BYTES).into_response())?;
    let typed = typed_fields(&bytes);
    Ok((Request::from_parts(parts, axum::body::Body::from(bytes)), Some(typed)))
}

/// Not signed in: a page asked for is opened after sign-in; a record form posted under an
/// expired session is shown again, filled in, once signed in.
async fn sign_in_first(state: &AppState, asked: &Asked, language: Language, typed: Option<String>) -> Response {
    let Some(typed) = typed else {
        let next = match asked.method {
            Method::GET | Method::HEAD => asked.path_and_query().and_then(|p| destination(Some(p), None)),
            _ => asked.referer(),
        };
        return match next {
            Some(next) if next != "/" => {
                let encoded: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
                Redirect::to(&format!("/login?next={encoded}")).into_response()
            }
            _ => Redirect::to("/login").into_response(),
        };
    };
    let mut parts = asked.parts();
    let Ok(cookies) = Cookies::from_request_parts(&mut parts, state).await;
    // A new record's form is opened again (with what was typed); a record's own form too.
    let resume = Resume { next: destination(asked.path_and_query(), None), typed: Some(typed) };
    let message = Some(failure_ui(language.lang).sign_in_again.to_owned());
    crate::ui::auth::login_page(cookies, language, StatusCode::UNAUTHORIZED, message, resume)
        .unwrap_or_else(IntoResponse::into_response)
}

/// The error page for `status`: its title, what went wrong in the visitor's language, and the
/// ways on.
fn error_page(
    status: StatusCode,
    failure: Option<Failure>,
    caller: Option<&Caller>,
    language: Language,
    asked: &Asked,
) -> ErrorPage {
    let lang = language.lang;
    let words = failure_ui(lang);
    let said = failure.as_ref().map(|f| f.message.get(lang).to_owned());
    let (title, detail) = match status {
        StatusCode::FORBIDDEN => (words.forbidden, said.unwrap_or_else(|| words.forbidden_detail.into())),
        StatusCode::NOT_FOUND => (words.not_found, said.unwrap_or_else(|| words.not_found_detail.into())),
        StatusCode::METHOD_NOT_ALLOWED => (words.bad_request, words.method_not_allowed.into()),
        StatusCode::PAYLOAD_TOO_LARGE => (words.bad_request, said.unwrap_or_else(|| words.too_large.into())),
        StatusCode::CONFLICT => (words.conflict, said.unwrap_or_default()),
        StatusCode::UNPROCESSABLE_ENTITY => (words.invalid, said.unwrap_or_default()),
        StatusCode::TOO_MANY_REQUESTS => (words.throttled, said.unwrap_or_default()),
        status if status.is_server_error() => (words.internal, words.internal_detail.into()),
        _ => (words.bad_request, said.unwrap_or_default()),
    };
    let request_id = status.is_server_error().then(|| {
        failure
            .and_then(|f| f.request_id)
            .or_else(|| asked.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned))
    });
    ErrorPage {
        ui: ui(lang),
        nav: caller.map(Nav::of).unwrap_or_default(),
        words,
        status: status.as_u16(),
        title,
        detail,
        request_id: request_id.flatten(),
        back: asked.referer().filter(|back| Some(back.as_str()) != asked.path_and_query()),
        sign_in: status == StatusCode::FORBIDDEN,
    }
}
