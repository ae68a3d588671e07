//! `WebError`: how a failed request is answered. Every API error is JSON
//! `{error, field?, message, message_vi}` (English and Vietnamese) with one status per kind:
//!
//! | error         | status | when |
//! |---------------|--------|------|
//! | `bad_request` | 400    | the request is malformed: not JSON, an unknown parameter, a bad id or page |
//! | `unauthenticated` | 401 | sign in (or send a valid API token) first |
//! | `forbidden`   | 403    | this account may not do this, or a form lacks its CSRF token |
//! | `not_found`   | 404    | no such record or route (also a record outside the caller's reach) |
//! | `throttled`   | 429    | too many failed sign-ins; `Retry-After` says when to try again |
//! | `conflict`    | 409    | the change clashes with what is recorded (a duplicate) |
//! | `invalid`     | 422    | a value breaks a rule of the programme's data; `field` names it |
//! | `not_clear`   | 422    | a task cannot be assigned; `missing` lists every one of the 7 clear not met |
//! | `illegal_transition` | 409 | the state change is not allowed; `current` and `allowed` say why |
//! | `unavailable` | 503    | the database does not answer (restarting, unreachable); `Retry-After` says when to try again |
//! | `internal`    | 500    | anything else: the cause is logged under `request_id`, never shown |

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cncl_app::AppError;
use cncl_domain::Message;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug)]
pub struct WebError(pub AppError);

/// The body of every API error.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// `bad_request`, `not_found`, `conflict`, `invalid` or `internal`.
    pub error: &'static str,
    /// The field or parameter at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What went wrong, in English.
    pub message: String,
    /// The same in Vietnamese.
    pub message_vi: String,
    /// For `internal` errors: quote it when reporting the problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// For a task that cannot be assigned: every one of the 7 clear that is missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<String>>,
    /// For an illegal state change: the current state and the states allowed next.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
}

impl<E: Into<AppError>> From<E> for WebError {
    fn from(error: E) -> Self {
        WebError(error.into())
    }
}

/// A request a library refused (a malformed body or query), its words in English kept.
pub fn rejected(text: impl Into<String>) -> Message {
    let text = text.into();
    cncl_domain::msg(format!("yêu cầu không hợp lệ: {text}"), text)
}

impl WebError {
    pub fn bad_request(field: &str, message: Message) -> Self {
        WebError(AppError::bad_request(field, message))
    }

    /// A body or file larger than `max` bytes.
    pub fn too_large(field: &str, max: usize) -> Self {
        WebError::bad_request(
            field,
            cncl_domain::msg(format!("không được lớn hơn {max} byte"), format!("must be at most {max} bytes")),
        )
    }

    pub fn not_found(noun: &'static str, id: impl Into<String>) -> Self {
        WebError(AppError::NotFound { noun, id: id.into() })
    }

    pub fn status(&self) -> StatusCode {
        Self::status_of(&self.0)
    }

    pub fn status_of(error: &AppError) -> StatusCode {
        match error {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotFound { .. } => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } | AppError::IllegalTransition { .. } => StatusCode::CONFLICT,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::NotClear(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn body(&self) -> ErrorBody {
        let mut body = self.basic_body();
        match &self.0 {
            AppError::NotClear(missing) => {
                body.field = Some("seven_clear".into());
                body.missing = Some(missing.iter().map(|e| e.as_str().to_owned()).collect());
            }
            AppError::IllegalTransition { current, allowed, .. } => {
                body.current = Some(current.clone());
                body.allowed = Some(allowed.clone());
            }
            _ => {}
        }
        body
    }

    fn basic_body(&self) -> ErrorBody {
        let message = self.0.message();
        let (error, field, request_id) = match &self.0 {
            AppError::BadRequest { field, .. } => ("bad_request", field.clone(), None),
            AppError::Invalid(e) => ("invalid", Some(e.field.clone()).filter(|f| !f.is_empty()), None),
            AppError::NotFound { .. } => ("not_found", None, None),
            AppError::Conflict { field, .. } => ("conflict", field.clone(), None),
            AppError::NotClear(_) => ("not_clear", None, None),
            AppError::Unauthenticated => ("unauthenticated", None, None),
            AppError::Forbidden(_) => ("forbidden", None, None),
            AppError::Throttled { .. } => ("throttled", None, None),
            AppError::Unavailable => ("unavailable", None, None),
            AppError::IllegalTransition { .. } => ("illegal_transition", Some("command".into()), None),
            AppError::Internal(cause) => {
                // The id the request-id layer gave the request, as its log line names it.
                let request_id = REQUEST_ID.try_with(Clone::clone).unwrap_or_else(|_| uuid::Uuid::now_v7().to_string());
                tracing::error!(%request_id, error = %cause, "internal error");
                ("internal", None, Some(request_id))
            }
        };
        ErrorBody {
            error,
            field,
            message: message.en,
            message_vi: message.vi,
            request_id,
            missing: None,
            current: None,
            allowed: None,
        }
    }
}

/// How long a client should wait before asking again while the database is away.
const UNAVAILABLE_RETRY_SECONDS: u64 = 5;

/// A throttled or unavailable answer, page or JSON, says when to try again.
pub fn add_retry_after(error: &AppError, response: &mut Response) {
    let seconds = match error {
        AppError::Throttled { retry_after_seconds } => *retry_after_seconds,
        AppError::Unavailable => UNAVAILABLE_RETRY_SECONDS,
        _ => return,
    };
    response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(seconds));
}

tokio::task_local! {
    /// The id of the request being answered (set by [`with_request_id`]).
    static REQUEST_ID: String;
}

/// Runs the rest of the request with its id at hand, for an internal error to quote.
pub async fn with_request_id(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    REQUEST_ID.scope(id, next.run(request)).await
}

/// What a failed request said, kept on its answer for a page to show it in the visitor's
/// language (the API answers with the JSON body alone).
#[derive(Debug, Clone)]
pub struct Failure {
    pub message: Message,
    /// For an internal error: the id its log line names.
    pub request_id: Option<String>,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let body = self.body();
        let failure = Failure {
            message: cncl_domain::msg(body.message_vi.clone(), body.message.clone()),
            request_id: body.request_id.clone(),
        };
        let mut response = (self.status(), Json(body)).into_response();
        add_retry_after(&self.0, &mut response);
        response.extensions_mut().insert(failure);
        response
    }
}
