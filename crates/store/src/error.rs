//! `StoreError`: what can go wrong below the application layer. Use `Conflict` and
//! `MissingReference` for violations the caller can explain to a user; everything else is
//! an internal failure the caller logs and reports without its text.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A uniqueness rule was broken (the database caught what the caller did not check).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A referenced record does not exist (the database caught what the caller did not check).
    #[error("a referenced record does not exist: {0}")]
    MissingReference(String),
    /// A stored row no longer satisfies the domain rules: edited outside cncl, or a bug.
    #[error("stored {table} row {id} is invalid: {message}")]
    Corrupt { table: &'static str, id: String, message: String },
    #[error("unsupported database address {0:?}: use a file path, sqlite:PATH or postgres://…")]
    BadUrl(String),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// The bulk fact reader (a blocking thread) failed or panicked.
    #[error("the fact reader failed: {0}")]
    Reader(String),
    /// A write was attempted in a read-only transaction (a bug).
    #[error("a write was attempted in a read-only transaction")]
    ReadOnly,
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A value could not be written as JSON (a bug: every stored type encodes).
    #[error("a value could not be encoded as JSON: {0}")]
    Encoding(String),
    /// The database does not answer: it is restarting, unreachable, or every connection is
    /// busy past the wait. Worth trying again shortly.
    #[error("the database does not answer: {0}")]
    Unavailable(String),
    /// Statements written behind the caller (`behind.rs`) were refused earlier in this
    /// transaction, or their thread ended without finishing: the transaction is rolled back,
    /// and nothing after may write or commit.
    #[error("the transaction was rolled back when the database refused its earlier rows: {0}")]
    Failed(String),
    /// A file beside the database (a document's bytes, a backup) could not be read or written.
    #[error("{0}")]
    Files(String),
}

/// `value` as JSON, or the reason it cannot be: never a silent null in the audit log or a
/// stored row.
pub fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<serde_json::Value, StoreError> {
    serde_json::to_value(value).map_err(|e| StoreError::Encoding(e.to_string()))
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        // Lost or refused connections, and PostgreSQL shutting down or starting (SQLSTATE
        // classes 08 and 57P): the database is away, not the request wrong.
        let away = matches!(
            error,
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) | sqlx::Error::WorkerCrashed
        ) || error
            .as_database_error()
            .and_then(|db| db.code())
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P"));
        if away {
            return StoreError::Unavailable(error.to_string());
        }
        if let Some(db) = error.as_database_error() {
            if db.is_unique_violation() {
                return StoreError::Conflict(db.message().to_owned());
            }
            if db.is_foreign_key_violation() {
                return StoreError::MissingReference(db.message().to_owned());
            }
        }
        StoreError::Database(error)
    }
}
