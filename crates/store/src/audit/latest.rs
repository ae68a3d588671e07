//! The audit log's last word on every row it names, gathered while the chain is walked and
//! looked up while the stored rows are compared with it.
//!
//! At national scale the log names about two million rows. A hash map of them took 300 MB
//! (its table doubles past seven eighths full, and a key that may be text is wide); a vector
//! of fixed-size rows in the log's order, sorted once when the walk ends, takes a third of
//! that and is searched as fast.

use std::collections::HashMap;

use serde_json::Value;

use super::chain::{self, Entry};
use super::rows::digest_bytes;

/// What the log last said of a row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Latest {
    pub(crate) erased: bool,
    /// The last entry had an `after` record (the row should exist).
    pub(crate) exists: bool,
    /// That record's digest; none when it is not a well-formed digest.
    pub(crate) digest: Option<[u8; 32]>,
}

impl Latest {
    fn of(entry: &Entry) -> Latest {
        Latest {
            erased: entry.action == "erase",
            exists: entry.after_digest.is_some(),
            digest: entry.after_digest.as_deref().and_then(digest_bytes),
        }
    }
}

/// A row named by a UUID, as the vector holds it.
#[derive(Debug, Clone, Copy)]
struct UuidRow {
    table: u16,
    id: [u8; 16],
    latest: Latest,
    /// Taken by the comparison: its table holds it.
    taken: bool,
}

/// The last digest the log holds for every row: interned table names, rows named by a UUID
/// (nearly all) in a vector, the few named by text (settings, reference data) in a map.
pub(crate) struct LatestDigests {
    tables: Vec<String>,
    by_uuid: Vec<UuidRow>,
    by_text: HashMap<(u16, Box<str>), Latest>,
    /// `by_uuid` sorted by table and id, one row each: what `finish` makes of it.
    sorted: bool,
}

impl LatestDigests {
    pub(crate) fn with_capacity(entries: usize) -> LatestDigests {
        LatestDigests {
            tables: Vec::new(),
            by_uuid: Vec::with_capacity(entries),
            by_text: HashMap::new(),
            sorted: true,
        }
    }

    fn table_index(&self, entity: &str) -> Option<u16> {
        self.tables.iter().position(|t| t == entity).and_then(|i| u16::try_from(i).ok())
    }

    /// Note an entry of the log; entries come in the log's order, so a later one about the
    /// same row is the last word on it.
    pub(crate) fn record(&mut self, entry: &Entry) {
        let table = match self.table_index(&entry.entity) {
            Some(index) => index,
            None => {
                self.tables.push(entry.entity.clone());
                u16::try_from(self.tables.len() - 1).unwrap_or(u16::MAX)
            }
        };
        let latest = Latest::of(entry);
        match uuid::Uuid::parse_str(&entry.id) {
            Ok(id) => {
                self.by_uuid.push(UuidRow { table, id: id.into_bytes(), latest, taken: false });
                self.sorted = false;
            }
            Err(_) => {
                self.by_text.insert((table, entry.id.as_str().into()), latest);
            }
        }
    }

    /// Sort the rows for lookup, keeping the last entry about each.
    pub(crate) fn finish(&mut self) {
        if self.sorted {
            return;
        }
        // Stable, so that entries about one row stay in the log's order.
        self.by_uuid.sort_by_key(|row| (row.table, row.id));
        let mut rows = std::mem::take(&mut self.by_uuid);
        // Keep the last of each run of one row: reversed, `dedup` keeps the first.
        rows.reverse();
        rows.dedup_by_key(|row| (row.table, row.id));
        rows.reverse();
        rows.shrink_to_fit();
        self.by_uuid = rows;
        self.sorted = true;
    }

    /// The last word on a row, marked as found so that what is left unmarked at the end is
    /// what the log says exists but no table holds.
    pub(crate) fn take(&mut self, entity: &str, id: &str) -> Option<Latest> {
        self.finish();
        let table = self.table_index(entity)?;
        match uuid::Uuid::parse_str(id) {
            Ok(uuid) => {
                let key = (table, uuid.into_bytes());
                let at = self.by_uuid.binary_search_by_key(&key, |row| (row.table, row.id)).ok()?;
                let row = self.by_uuid.get_mut(at)?;
                if row.taken {
                    return None;
                }
                row.taken = true;
                Some(row.latest)
            }
            Err(_) => self.by_text.remove(&(table, id.into())),
        }
    }

    /// Whether the row's stored form matches the log: `None` when the log never wrote it.
    pub(crate) fn matches(&mut self, entity: &str, id: &str, stored: &Value) -> Option<bool> {
        let latest = self.take(entity, id)?;
        Some(latest.digest.is_some() && latest.digest == digest_bytes(&chain::digest(stored)))
    }

    /// The rows the log names that no table was found to hold: table, id and the last word.
    pub(crate) fn remaining(self) -> impl Iterator<Item = (String, String, Latest)> {
        let tables = self.tables;
        let name = move |index: u16| tables.get(usize::from(index)).cloned().unwrap_or_default();
        let uuids = self
            .by_uuid
            .into_iter()
            .filter(|row| !row.taken)
            .map(|row| (row.table, uuid::Uuid::from_bytes(row.id).to_string(), row.latest));
        let texts = self.by_text.into_iter().map(|((table, id), latest)| (table, id.into_string(), latest));
        uuids.chain(texts).map(move |(table, id, latest)| (name(table), id, latest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(entity: &str, id: &str, action: &str, after: Option<&str>) -> Entry {
        Entry {
            seq: 0,
            at: String::new(),
            actor: String::new(),
            action: action.into(),
            entity: entity.into(),
            id: id.into(),
            before: None,
            after: None,
            before_digest: None,
            after_digest: after.map(|text| chain::digest(&Value::String(text.into()))),
            redacted: false,
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    const A: &str = "00000000-0000-4000-8000-00000000000a";
    const B: &str = "00000000-0000-4000-8000-00000000000b";

    #[test]
    fn the_last_entry_about_a_row_is_its_word() {
        let mut latest = LatestDigests::with_capacity(4);
        latest.record(&entry("tasks", B, "insert", Some("first")));
        latest.record(&entry("tasks", A, "insert", Some("a")));
        latest.record(&entry("tasks", B, "update", Some("second")));
        latest.record(&entry("settings", "theme", "insert", Some("dark")));
        latest.finish();
        assert_eq!(latest.matches("tasks", B, &Value::String("second".into())), Some(true));
        assert_eq!(latest.matches("tasks", B, &Value::String("second".into())), None, "taken once");
        assert_eq!(latest.matches("settings", "theme", &Value::String("light".into())), Some(false));
        assert_eq!(latest.matches("people", A, &Value::String("a".into())), None, "another table");
        let left: Vec<_> = latest.remaining().map(|(table, id, _)| (table, id)).collect();
        assert_eq!(left, vec![("tasks".to_owned(), A.to_owned())], "what no table held");
    }

    #[test]
    fn a_row_deleted_last_is_known_not_to_exist() {
        let mut latest = LatestDigests::with_capacity(2);
        latest.record(&entry("tasks", A, "insert", Some("a")));
        latest.record(&entry("tasks", A, "delete", None));
        let last = latest.take("tasks", A);
        assert!(last.is_some_and(|l| !l.exists));
    }
}
