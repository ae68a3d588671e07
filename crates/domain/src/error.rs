//! Validation errors. A `DomainError` always names the field that was wrong, so that
//! every surface (API, forms, import) can point the user at it.

use serde::Serialize;

/// A rejected value: which field, and why, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{field}: {message}")]
pub struct DomainError {
    /// The field path as the user sent it, for example `amount_vnd` or `roles[1]`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl DomainError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// Why a single value was rejected, before it is known which field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValueError(pub String);

impl ValueError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }

    /// Attach the field this value was given for.
    pub fn at(self, field: impl Into<String>) -> DomainError {
        DomainError::new(field, self.0)
    }
}
