//! `AppError`: the outcome of a use-case that did not succeed, in terms a user can act on.
//! Each variant has one HTTP status (documented in `cncl-web`); `Internal` carries the cause
//! for the log only.

use cncl_domain::{DomainError, EntityKind, InputError, Lang, Message, msg};
use cncl_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request itself is malformed: not JSON, an unknown filter, a bad page number. 400.
    #[error("{message}")]
    BadRequest { field: Option<String>, message: Message },
    /// A value breaks a rule of the programme's data. 422.
    #[error(transparent)]
    Invalid(#[from] DomainError),
    /// No such record. 404.
    #[error("{noun} {id} not found")]
    NotFound { noun: &'static str, id: String },
    /// The change clashes with what is recorded (a duplicate, an illegal transition). 409.
    #[error("{message}")]
    Conflict { field: Option<String>, message: Message },
    /// A task cannot be assigned: these of its 7 clear are missing (all at once). 422.
    #[error("the task cannot be assigned until these are clear: {}", .0.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(", "))]
    NotClear(Vec<cncl_domain::seven_clear::ClearElement>),
    /// A state change not allowed from the current state. 409.
    #[error("{message}")]
    IllegalTransition { current: String, allowed: Vec<String>, message: Message },
    /// Not signed in, and the request needs an account. 401.
    #[error("sign in to do this")]
    Unauthenticated,
    /// Signed in, but this account may not do this. 403.
    #[error("{0}")]
    Forbidden(Message),
    /// Too many failed sign-ins; try again later. 429.
    #[error("too many failed attempts; try again in {retry_after_seconds} seconds")]
    Throttled { retry_after_seconds: u64 },
    /// The database does not answer (restarting, unreachable); try again shortly. 503.
    #[error("the database does not answer; try again in a few seconds")]
    Unavailable,
    /// Anything else; the text is logged, never shown. 500.
    #[error("internal error: {0}")]
    Internal(StoreError),
}

impl AppError {
    pub fn bad_request(field: impl Into<String>, message: Message) -> Self {
        Self::BadRequest { field: Some(field.into()), message }
    }

    /// What went wrong, in both languages, for a page, a file or an API answer.
    pub fn message(&self) -> Message {
        match self {
            AppError::BadRequest { message, .. }
            | AppError::Conflict { message, .. }
            | AppError::IllegalTransition { message, .. }
            | AppError::Forbidden(message) => message.clone(),
            AppError::Invalid(e) => e.message.clone(),
            AppError::NotFound { noun, id } => {
                let noun_vi = EntityKind::ALL
                    .iter()
                    .find(|k| k.noun() == *noun)
                    .map_or_else(|| (*noun).to_owned(), |k| k.noun_in(Lang::Vi));
                msg(format!("không tìm thấy {noun_vi} {id}"), self.to_string())
            }
            AppError::NotClear(missing) => msg(
                format!(
                    "chưa thể giao nhiệm vụ khi chưa rõ: {}",
                    missing.iter().map(|e| e.label(Lang::Vi)).collect::<Vec<_>>().join(", ")
                ),
                self.to_string(),
            ),
            AppError::Unauthenticated => msg("hãy đăng nhập để làm việc này", self.to_string()),
            AppError::Throttled { retry_after_seconds } => {
                msg(format!("đăng nhập sai quá nhiều lần; thử lại sau {retry_after_seconds} giây"), self.to_string())
            }
            AppError::Unavailable => {
                msg("cơ sở dữ liệu tạm thời không trả lời; hãy thử lại sau ít giây", self.to_string())
            }
            AppError::Internal(_) => msg(
                "đã có lỗi ở máy chủ; lỗi được ghi lại theo request_id",
                "something went wrong on the server; the error is logged under request_id",
            ),
        }
    }

    /// A failure of cncl itself (no randomness, a library refusing valid input): logged, never
    /// shown.
    pub fn internal(message: &str) -> Self {
        AppError::Internal(StoreError::Reader(message.to_owned()))
    }
}

/// `value` as JSON; a value that cannot be encoded is an internal error, never a null.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<serde_json::Value, AppError> {
    Ok(cncl_store::to_json(value)?)
}

impl From<InputError> for AppError {
    fn from(error: InputError) -> Self {
        match error {
            InputError::Syntax(message) => AppError::BadRequest {
                field: None,
                message: msg(format!("dữ liệu gửi lên không đọc được: {message}"), message),
            },
            InputError::Invalid(e) => AppError::Invalid(e),
        }
    }
}

impl From<StoreError> for AppError {
    /// The database's own constraints back up the checks the use-cases make first; when one
    /// fires anyway (a race between two writers), the user still hears it as a conflict.
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict(_) => AppError::Conflict {
                field: None,
                message: msg(
                    "thay đổi xung đột với một bản ghi vừa được lưu cùng lúc; hãy tải lại rồi thử lại",
                    "the change clashes with a record saved at the same time; reload and try again",
                ),
            },
            StoreError::MissingReference(_) => AppError::Conflict {
                field: None,
                message: msg(
                    "một bản ghi mà thay đổi này trỏ tới vừa bị xóa cùng lúc; hãy tải lại rồi thử lại",
                    "a record this change refers to was removed at the same time; reload and try again",
                ),
            },
            StoreError::Unavailable(cause) => {
                tracing::warn!(%cause, "the database does not answer");
                AppError::Unavailable
            }
            other => AppError::Internal(other),
        }
    }
}
