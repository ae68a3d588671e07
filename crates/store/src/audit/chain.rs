//! The audit log's hash chain, without IO: how an entry's digests and hash are computed,
//! and how a sequence of entries is checked.
//!
//! `digest(v) = hex(SHA-256(canonical JSON of v))`; canonical JSON is serde_json's compact
//! form with object keys sorted (its default map is ordered). An entry's
//! `hash = hex(SHA-256(prev_hash ‖ canonical JSON of {seq, at, actor, action, entity, id,
//! before, after}))` where `before` and `after` are the records' digests. Hashing the digests
//! rather than the records binds the records just as well, and lets a person's data be erased
//! from an entry (leaving its digests) without breaking the chain.

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A digest in lower-case hex: two characters a byte, written at once (a `format!` a byte
/// took a twentieth of an import's time).
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

/// The digest of a record (or any JSON value).
pub fn digest(value: &Value) -> String {
    digest_of_text(&value.to_string())
}

/// The digest of a record as its 32 bytes.
pub(crate) fn raw_digest(value: &Value) -> [u8; 32] {
    Sha256::digest(value.to_string().as_bytes()).into()
}

/// The digest of a record already written as JSON text.
fn digest_of_text(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// An entry sealed to be stored, or read back: the records as the JSON text their digests
/// were taken from (the entry itself holds no copy of them).
pub(crate) struct Sealed {
    pub(crate) entry: Entry,
    pub(crate) before: Option<String>,
    pub(crate) after: Option<String>,
}

/// One audit entry, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Entry {
    pub seq: i64,
    /// RFC 3339, UTC, milliseconds.
    pub at: String,
    pub actor: String,
    /// `insert`, `update`, `delete`, `erase`, `load`, or a lifecycle command's name.
    pub action: String,
    /// The table the record lives in.
    pub entity: String,
    pub id: String,
    #[schema(value_type = Option<Object>)]
    pub before: Option<Value>,
    #[schema(value_type = Option<Object>)]
    pub after: Option<Value>,
    pub before_digest: Option<String>,
    pub after_digest: Option<String>,
    /// The record data was erased on request; the digests remain.
    pub redacted: bool,
    pub prev_hash: String,
    pub hash: String,
}

/// What an entry's hash covers, its fields in the order canonical JSON sorts them — serialised
/// straight from the entry: building a JSON map first took a fifth of a verify.
#[derive(Serialize)]
struct Covered<'a> {
    action: &'a str,
    actor: &'a str,
    after: Option<&'a str>,
    at: &'a str,
    before: Option<&'a str>,
    entity: &'a str,
    id: &'a str,
    seq: i64,
}

fn hashed(entry: &Entry) -> String {
    let covered = Covered {
        action: &entry.action,
        actor: &entry.actor,
        after: entry.after_digest.as_deref(),
        at: &entry.at,
        before: entry.before_digest.as_deref(),
        entity: &entry.entity,
        id: &entry.id,
        seq: entry.seq,
    };
    let mut hasher = Sha256::new();
    hasher.update(entry.prev_hash.as_bytes());
    // Serialising a struct of strings and a number into a Vec cannot fail.
    hasher.update(serde_json::to_vec(&covered).unwrap_or_default());
    hex(&hasher.finalize())
}

/// The fields of a change, before it is sealed into an entry.
#[derive(Debug, Clone)]
pub struct Change {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub id: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl Change {
    /// Seal the change as entry `seq` after the entry whose hash is `prev_hash`.
    pub fn seal(self, seq: i64, prev_hash: &str) -> Entry {
        let (before, after) = (self.before.clone(), self.after.clone());
        let mut entry = self.seal_to_store(seq, prev_hash).entry;
        entry.before = before;
        entry.after = after;
        entry
    }

    /// `seal`, for storing: each record written as JSON text once.
    pub(crate) fn seal_to_store(self, seq: i64, prev_hash: &str) -> Sealed {
        let before = self.before.as_ref().map(Value::to_string);
        let after = self.after.as_ref().map(Value::to_string);
        let mut entry = Entry {
            seq,
            at: self.at,
            actor: self.actor,
            action: self.action,
            entity: self.entity,
            id: self.id,
            before_digest: before.as_deref().map(digest_of_text),
            after_digest: after.as_deref().map(digest_of_text),
            before: None,
            after: None,
            redacted: false,
            prev_hash: prev_hash.to_owned(),
            hash: String::new(),
        };
        entry.hash = hashed(&entry);
        Sealed { entry, before, after }
    }
}

impl Sealed {
    /// Why the entry does not check out as entry `expected_seq` after `expected_prev`. The
    /// records' digests are taken of their stored text, which is what was digested when the
    /// entry was sealed: no JSON is parsed.
    pub(crate) fn check(&self, expected_seq: i64, expected_prev: &str) -> Result<(), String> {
        check_link(&self.entry, expected_seq, expected_prev)?;
        if !self.entry.redacted {
            if self.before.as_deref().map(digest_of_text) != self.entry.before_digest {
                return Err("its `before` record does not match its digest".into());
            }
            if self.after.as_deref().map(digest_of_text) != self.entry.after_digest
                && !after_not_kept(&self.entry, &self.after)
            {
                return Err("its `after` record does not match its digest".into());
            }
        }
        check_hash(&self.entry)
    }
}

/// A record's state after a change is not kept in the log (only its digest): it is the
/// record's row until the next change, whose entry keeps it as `before`.
fn after_not_kept<T>(entry: &Entry, after: &Option<T>) -> bool {
    after.is_none() && entry.after_digest.is_some() && crate::tables::kind_of(&entry.entity).is_some()
}

fn check_link(entry: &Entry, expected_seq: i64, expected_prev: &str) -> Result<(), String> {
    if entry.seq != expected_seq {
        return Err(format!(
            "expected entry {expected_seq} here, found {}: an entry is missing or out of order",
            entry.seq
        ));
    }
    if entry.prev_hash != expected_prev {
        return Err("its previous hash is not the hash of the entry before it".into());
    }
    Ok(())
}

fn check_hash(entry: &Entry) -> Result<(), String> {
    if hashed(entry) != entry.hash {
        return Err("its hash does not match its contents".into());
    }
    Ok(())
}

/// Why an entry does not check out.
pub fn check(entry: &Entry, expected_seq: i64, expected_prev: &str) -> Result<(), String> {
    check_link(entry, expected_seq, expected_prev)?;
    if !entry.redacted {
        if entry.before.as_ref().map(digest) != entry.before_digest {
            return Err("its `before` record does not match its digest".into());
        }
        if entry.after.as_ref().map(digest) != entry.after_digest && !after_not_kept(entry, &entry.after) {
            return Err("its `after` record does not match its digest".into());
        }
    }
    check_hash(entry)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(n: i64) -> Change {
        Change {
            at: "2026-01-01T00:00:00.000Z".into(),
            actor: "office".into(),
            action: "insert".into(),
            entity: "budget_lines".into(),
            id: format!("id-{n}"),
            before: None,
            after: Some(json!({"amount_vnd": n})),
        }
    }

    fn chain(n: i64) -> Vec<Entry> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let entry = change(seq).seal(seq, &prev);
                prev = entry.hash.clone();
                entry
            })
            .collect()
    }

    fn first_bad(entries: &[Entry]) -> Option<i64> {
        let mut prev = GENESIS.to_owned();
        for (i, e) in entries.iter().enumerate() {
            if check(e, i as i64 + 1, &prev).is_err() {
                return Some(i as i64 + 1);
            }
            prev = e.hash.clone();
        }
        None
    }

    #[test]
    fn an_untouched_chain_verifies() {
        assert_eq!(first_bad(&chain(5)), None);
    }

    #[test]
    fn any_change_is_caught_at_its_entry() {
        let mut edited = chain(5);
        edited[2].after = Some(json!({"amount_vnd": 999}));
        assert_eq!(first_bad(&edited), Some(3), "record changed");
        let mut reworded = chain(5);
        reworded[1].actor = "someone else".into();
        assert_eq!(first_bad(&reworded), Some(2), "actor changed");
        let mut rehashed = chain(5);
        rehashed[3].after = Some(json!({"amount_vnd": 999}));
        rehashed[3].after_digest = rehashed[3].after.as_ref().map(digest);
        rehashed[3].hash = hashed(&rehashed[3]);
        assert_eq!(first_bad(&rehashed), Some(5), "recomputing one hash breaks the next link");
        let mut removed = chain(5);
        removed.remove(1);
        assert_eq!(first_bad(&removed), Some(2));
    }

    /// The hash of the chain as every database holds it: a JSON map of the covered fields,
    /// keys sorted. The struct must serialise to exactly those bytes.
    #[test]
    fn the_covered_fields_serialise_as_the_sorted_map_did() {
        let entry = change(7).seal(7, GENESIS);
        let map = json!({
            "seq": entry.seq, "at": entry.at, "actor": entry.actor, "action": entry.action,
            "entity": entry.entity, "id": entry.id, "before": entry.before_digest, "after": entry.after_digest,
        });
        let mut hasher = Sha256::new();
        hasher.update(GENESIS.as_bytes());
        hasher.update(map.to_string().as_bytes());
        assert_eq!(entry.hash, hex(&hasher.finalize()));
    }

    #[test]
    fn erased_data_keeps_the_chain() {
        let mut erased = chain(3);
        erased[1].after = None;
        erased[1].redacted = true;
        assert_eq!(first_bad(&erased), None);
    }
}
