//! `WebError`: how a failed request is answered. Every API error is JSON
//! `{error, field?, message}` with one status per kind:
//!
//! | error         | status | when |
//! |---------------|--------|------|
//! | `bad_request` | 400    | the request is malformed: not JSON, an unknown parameter, a bad id or page |
//! | `not_found`   | 404    | no such record or route |
//! | `conflict`    | 409    | the change clashes with what is recorded (a duplicate) |
//! | `invalid`     | 422    | a value breaks a rule of the programme's data; `field` names it |
//! | `internal`    | 500    | anything else: the cause is logged under `request_id`, never shown |

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cncl_app::AppError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug)]
pub struct WebError(pub AppError);

/// The body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// `bad_request`, `not_found`, `conflict`, `invalid` or `internal`.
    pub error: &'static str,
    /// The field or parameter at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
    /// For `internal` errors: quote it when reporting the problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl<E: Into<AppError>> From<E> for WebError {
    fn from(error: E) -> Self {
        WebError(error.into())
    }
}

impl WebError {
    pub fn bad_request(field: &str, message: impl Into<String>) -> Self {
        WebError(AppError::bad_request(field, message))
    }

    pub fn not_found(noun: &'static str, id: impl Into<String>) -> Self {
        WebError(AppError::NotFound { noun, id: id.into() })
    }

    pub fn status(&self) -> StatusCode {
        match &self.0 {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotFound { .. } => StatusCode::NOT_FOUND,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn body(&self) -> ErrorBody {
        let (error, field, message, request_id) = match &self.0 {
            AppError::BadRequest { field, message } => ("bad_request", field.clone(), message.clone(), None),
            AppError::Invalid(e) => {
                ("invalid", Some(e.field.clone()).filter(|f| !f.is_empty()), e.message.clone(), None)
            }
            AppError::NotFound { .. } => ("not_found", None, self.0.to_string(), None),
            AppError::Conflict { field, message } => ("conflict", field.clone(), message.clone(), None),
            AppError::Internal(cause) => {
                let request_id = uuid::Uuid::now_v7().to_string();
                tracing::error!(%request_id, error = %cause, "internal error");
                (
                    "internal",
                    None,
                    "something went wrong on the server; the error is logged under request_id".to_owned(),
                    Some(request_id),
                )
            }
        };
        ErrorBody { error, field, message, request_id }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        (self.status(), Json(self.body())).into_response()
    }
}
