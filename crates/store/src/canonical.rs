//! The canonical JSON of a stored record, as the audit log records it. Writing
//! (`records.rs`) and verifying (`audit`) both use it, so they agree by construction.

use cncl_domain::{Record, Stored};
use serde_json::Value;

use crate::error::StoreError;

/// The canonical form of a stored record, as the log holds it.
pub fn record_json<T: Record>(stored: &Stored<T>) -> Result<Value, StoreError> {
    crate::error::to_json(stored)
}

/// `record_json` of the record stored under `id`, without a copy of the record: the same
/// fields in the same order as `Stored` writes them.
pub fn record_json_of<T: Record>(id: T::Id, record: &T) -> Result<Value, StoreError> {
    #[derive(serde::Serialize)]
    struct Borrowed<'a, I, R> {
        id: I,
        #[serde(flatten)]
        record: &'a R,
    }
    crate::error::to_json(&Borrowed { id, record })
}
