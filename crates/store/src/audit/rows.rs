//! An audit entry as a row of `audit_log`: its columns, how a row is read back, and the keys
//! and digests the walks over the log share.

use serde_json::Value;

use super::chain::{Entry, Sealed};
use crate::error::StoreError;

/// An entry's columns. Its previous hash is the previous entry's `hash`, not stored twice.
pub(super) const ENTRY_COLUMNS: &str = "seq, at, actor, action, entity, entity_id, before_json, after_json, before_digest, \
                             after_digest, redacted, hash";

pub(super) type EntryRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    bool,
    String,
);

/// An entry as read, its records still as their stored text, after the entry whose hash is
/// `prev_hash`.
pub(super) fn sealed_of(row: EntryRow, prev_hash: String) -> Sealed {
    let (seq, at, actor, action, entity, id, before, after, before_digest, after_digest, redacted, hash) = row;
    let entry = Entry {
        seq,
        at,
        actor,
        action,
        entity,
        id,
        before: None,
        after: None,
        before_digest,
        after_digest,
        redacted,
        prev_hash,
        hash,
    };
    Sealed { entry, before, after }
}

pub(super) fn entry_of(row: EntryRow, prev_hash: String) -> Result<Entry, StoreError> {
    let Sealed { mut entry, before, after } = sealed_of(row, prev_hash);
    let seq = entry.seq;
    let parse = |text: Option<String>| -> Result<Option<Value>, StoreError> {
        text.map(|t| serde_json::from_str(&t)).transpose().map_err(|e| StoreError::Corrupt {
            table: "audit_log",
            id: seq.to_string(),
            message: e.to_string(),
        })
    };
    entry.before = parse(before)?;
    entry.after = parse(after)?;
    Ok(entry)
}

/// Rows read per query while verifying.
pub(super) const VERIFY_BATCH: i64 = 10_000;

/// A row's id as a map key: a UUID in 16 bytes, else its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum RowId {
    Uuid(uuid::Uuid),
    Text(Box<str>),
}

impl RowId {
    pub(super) fn of(id: &str) -> RowId {
        uuid::Uuid::parse_str(id).map_or_else(|_| RowId::Text(id.into()), RowId::Uuid)
    }
}

pub(super) fn digest_bytes(hex: &str) -> Option<[u8; 32]> {
    let mut bytes = [0_u8; 32];
    if hex.len() != 64 {
        return None;
    }
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(bytes)
}
