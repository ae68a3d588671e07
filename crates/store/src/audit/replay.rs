//! The records as they stood at an earlier entry of the audit log, rebuilt from the log
//! alone: every record's and every history event's last state at or before that entry,
//! written into another (scratch) store. Later corrections and deletions do not reach it;
//! that is what lets a published report be checked against the facts it was computed from.
//!
//! The log is read twice, a batch at a time: first to check the chain up to the entry and
//! note which entry last spoke of each row; then to write those entries' records. Holding
//! every record's text at once would take gigabytes at national scale.

use std::collections::HashMap;

use cncl_domain::{EntityKind, Record, with_record_type};
use serde_json::Value;
use sqlx::AssertSqlSafe;

use super::chain::{self, GENESIS};
use super::rows::{ENTRY_COLUMNS, EntryRow, RowId, VERIFY_BATCH, digest_bytes, sealed_of};
use crate::backend::{Store, Tx, Writer, on_pool};
use crate::error::StoreError;
use crate::events::{Event, History};
use crate::sql::Bind;
use crate::tables::table;
use cncl_domain::Stored;

/// What a replay wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Replayed {
    /// Records, as they stood at the entry.
    pub records: u64,
    /// History events (of tasks and progress reports).
    pub events: u64,
    /// Records whose data was erased on request since: the log keeps only their digests, so
    /// they are left out. The only kind that can be erased is a person no accountable record
    /// names, and no figure reads a person.
    pub erased: u64,
}

/// Why the log cannot be replayed to an entry.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("the audit log has no entry {0}")]
    NoSuchEntry(i64),
    #[error("the audit log does not verify at entry {seq}: {problem}")]
    Broken { seq: i64, problem: String },
    #[error("entry {0} of the audit log is not the one recorded: its hash differs")]
    OtherEntry(i64),
    #[error(
        "the reference data (programme, products, task groups) at entry {0} is not this release's: it cannot be replayed"
    )]
    OtherReference(i64),
    #[error(
        "{entity} {id}: the audit log keeps its state only as its row, and the row is missing or differs from the log"
    )]
    Unkept { entity: &'static str, id: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ReplayError {
    fn from(error: sqlx::Error) -> Self {
        ReplayError::Store(error.into())
    }
}

/// What a replayed entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Subject {
    Record(EntityKind),
    Event(History),
    Reference,
}

fn subject_of(entity: &str) -> Option<Subject> {
    if entity == crate::reference::AUDIT_ENTITY {
        return Some(Subject::Reference);
    }
    for history in [History::Task, History::Report] {
        if entity == history.table() {
            return Some(Subject::Event(history));
        }
    }
    EntityKind::ALL.into_iter().find(|kind| table(*kind).name == entity).map(Subject::Record)
}

/// An entry's number, table, row, kept state after, that state's digest, and whether it was
/// erased.
type LastState = (i64, String, String, Option<String>, Option<String>, bool);

/// The entry that last spoke of each replayed row, up to the entry replayed to.
struct LastEntries {
    rows: HashMap<(Subject, RowId), i64>,
    reference_digest: Option<String>,
}

impl Store {
    /// Write into `target` (a fresh store holding the reference data, no records) every
    /// record and history event as it stood after entry `seq`, once the chain up to it
    /// verifies and entry `seq`'s hash is `hash`.
    pub async fn replay_into(&self, seq: i64, hash: &str, target: &Store) -> Result<Replayed, ReplayError> {
        let last = self.last_entries(seq, hash).await?;
        let reference = serde_json::json!(target.reference_snapshot().await?);
        if last.reference_digest.as_deref() != Some(chain::digest(&reference).as_str()) {
            return Err(ReplayError::OtherReference(seq));
        }
        let writer = Writer { actor: "replay".into(), at: chrono::Utc::now() };
        let mut tx = target.begin(writer).await?;
        tx.defer_inserts();
        let mut replayed = Replayed::default();
        let mut unkept: HashMap<EntityKind, HashMap<uuid::Uuid, Option<[u8; 32]>>> = HashMap::new();
        let mut from = 1_i64;
        while from <= seq {
            let sql = "select seq, entity, entity_id, after_json, after_digest, redacted from audit_log \
                       where seq >= $1 and seq <= $2 order by seq limit $3";
            let rows: Vec<LastState> = on_pool!(self, pool => {
                sqlx::query_as(sql).bind(from).bind(seq).bind(VERIFY_BATCH).fetch_all(pool).await?
            });
            let Some(&(next, ..)) = rows.last() else { break };
            from = next + 1;
            for (entry, entity, id, after, after_digest, redacted) in rows {
                let Some(subject) = subject_of(&entity) else { continue };
                if subject == Subject::Reference || last.rows.get(&(subject, RowId::of(&id))) != Some(&entry) {
                    continue;
                }
                match (after, subject) {
                    // A record's state the log did not keep: found below, after this pass.
                    (None, Subject::Record(kind)) if !redacted && after_digest.is_some() => {
                        let digest = after_digest.as_deref().and_then(digest_bytes);
                        let uuid =
                            uuid::Uuid::parse_str(&id).map_err(|e| corrupt(table(kind).name, &id, e.to_string()))?;
                        unkept.entry(kind).or_default().insert(uuid, digest);
                    }
                    (None, _) => replayed.erased += u64::from(redacted),
                    (Some(after), Subject::Record(kind)) => {
                        let value = parse(&entity, &id, &after)?;
                        with_record_type!(kind, T => insert_record::<T>(&mut tx, &id, value).await?);
                        replayed.records += 1;
                    }
                    (Some(after), Subject::Event(history)) => {
                        insert_event(&mut tx, history, &id, parse(&entity, &id, &after)?).await?;
                        replayed.events += 1;
                    }
                    (Some(_), Subject::Reference) => {}
                }
            }
        }
        self.replay_unkept(seq, unkept, &mut tx, &mut replayed).await?;
        tx.commit().await?;
        Ok(replayed)
    }

    /// Write the records whose state after entry `seq` the log did not keep (decision 0003):
    /// a record changed since is as the next entry about it recorded it `before`; one not
    /// changed since is its row as it stands, which must match the digest entry `seq` or an
    /// earlier one holds.
    async fn replay_unkept(
        &self,
        seq: i64,
        mut unkept: HashMap<EntityKind, HashMap<uuid::Uuid, Option<[u8; 32]>>>,
        tx: &mut Tx,
        replayed: &mut Replayed,
    ) -> Result<(), ReplayError> {
        if unkept.is_empty() {
            return Ok(());
        }
        for (entity, id) in self.audit_rows_written_after(seq).await? {
            let (Some(kind), Ok(uuid)) = (crate::tables::kind_of(&entity), uuid::Uuid::parse_str(&id)) else {
                continue;
            };
            if unkept.get_mut(&kind).and_then(|rows| rows.remove(&uuid)).is_none() {
                continue;
            }
            match self.state_after(kind, &id, seq).await? {
                Some(value) => {
                    with_record_type!(kind, T => insert_record::<T>(tx, &id, value).await?);
                    replayed.records += 1;
                }
                None => replayed.erased += 1,
            }
        }
        for (kind, rows) in unkept {
            if !rows.is_empty() {
                replayed.records += with_record_type!(kind, T => replay_rows::<T>(self, tx, rows).await?);
            }
        }
        Ok(())
    }

    /// Check the chain from its start to entry `seq`, whose hash must be `hash`, and note
    /// the last entry about each replayed row.
    async fn last_entries(&self, seq: i64, hash: &str) -> Result<LastEntries, ReplayError> {
        let mut last = LastEntries { rows: HashMap::new(), reference_digest: None };
        let mut prev = GENESIS.to_owned();
        let mut expected = 1_i64;
        while expected <= seq {
            let sql = format!(
                "select {ENTRY_COLUMNS} from audit_log where seq >= $1 and seq <= $2 order by seq limit {VERIFY_BATCH}"
            );
            let rows: Vec<EntryRow> = on_pool!(self, pool => {
                sqlx::query_as(AssertSqlSafe(sql.clone())).bind(expected).bind(seq).fetch_all(pool).await?
            });
            if rows.is_empty() {
                break;
            }
            for row in rows {
                let sealed = sealed_of(row, prev.clone());
                sealed
                    .check(expected, &prev)
                    .map_err(|problem| ReplayError::Broken { seq: sealed.entry.seq, problem })?;
                let entry = sealed.entry;
                match subject_of(&entry.entity) {
                    Some(Subject::Reference) => last.reference_digest.clone_from(&entry.after_digest),
                    Some(subject) => {
                        last.rows.insert((subject, RowId::of(&entry.id)), entry.seq);
                    }
                    None => {}
                }
                expected = entry.seq + 1;
                prev = entry.hash;
            }
        }
        if expected <= seq {
            return Err(ReplayError::NoSuchEntry(seq));
        }
        if prev != hash {
            return Err(ReplayError::OtherEntry(seq));
        }
        Ok(last)
    }
}

fn parse(entity: &str, id: &str, text: &str) -> Result<Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        table: "audit_log",
        id: format!("{entity}/{id}"),
        message: e.to_string(),
    })
}

fn corrupt(table: &'static str, id: &str, message: String) -> StoreError {
    StoreError::Corrupt { table, id: id.to_owned(), message }
}

/// Insert a record as the log recorded it, without an audit entry of its own (the scratch
/// store's log is not the record's history) and without the rules of today: a record that
/// was valid when written is replayed as it was.
async fn insert_record<T: Record>(tx: &mut Tx, id: &str, value: Value) -> Result<(), StoreError> {
    let table = table(T::KIND);
    let Value::Object(mut fields) = value else {
        return Err(corrupt(table.name, id, "the recorded record is not an object".into()));
    };
    fields.remove("id");
    let record: T =
        serde_json::from_value(Value::Object(fields)).map_err(|e| corrupt(table.name, id, e.to_string()))?;
    let mut binds = vec![Bind::Text(Some(id.to_owned()))];
    binds.extend(crate::records::binds_of(table, &record)?);
    tx.insert_row(table, binds).await
}

/// Copy the rows of `T`'s table named in `rows` as they stand, each checked against the
/// digest the log holds for it.
async fn replay_rows<T: Record>(
    store: &Store,
    tx: &mut Tx,
    mut rows: HashMap<uuid::Uuid, Option<[u8; 32]>>,
) -> Result<u64, ReplayError> {
    let table = table(T::KIND);
    let sql =
        format!("select {} from {} where id > $1 order by id limit {VERIFY_BATCH}", table.column_list(), table.name);
    let mut after = String::new();
    let mut written = 0_u64;
    loop {
        let batch: Vec<Stored<T>> = on_pool!(store, pool => {
            let found = sqlx::query(AssertSqlSafe(sql.clone())).bind(after.clone()).fetch_all(pool).await?;
            found.iter().map(|row| crate::records::decode_row::<_, T>(table, row)).collect::<Result<Vec<_>, StoreError>>()?
        });
        let done = (batch.len() as i64) < VERIFY_BATCH;
        for stored in batch {
            let id: uuid::Uuid = stored.id.into();
            after = id.to_string();
            let Some(digest) = rows.remove(&id) else { continue };
            if digest != Some(chain::raw_digest(&crate::canonical::record_json(&stored)?)) {
                return Err(ReplayError::Unkept { entity: table.name, id: after });
            }
            let mut binds = vec![Bind::Text(Some(after.clone()))];
            binds.extend(crate::records::binds_of(table, &stored.record)?);
            tx.insert_row(table, binds).await?;
            written += 1;
        }
        if done {
            break;
        }
    }
    if let Some(id) = rows.into_keys().next() {
        return Err(ReplayError::Unkept { entity: table.name, id: id.to_string() });
    }
    Ok(written)
}

async fn insert_event(tx: &mut Tx, history: History, id: &str, value: Value) -> Result<(), StoreError> {
    let Value::Object(mut fields) = value else {
        return Err(corrupt(history.table(), id, "the recorded event is not an object".into()));
    };
    let subject = fields
        .remove("subject")
        .and_then(|s| s.as_str().and_then(|s| uuid::Uuid::parse_str(s).ok()))
        .ok_or_else(|| corrupt(history.table(), id, "the recorded event names no subject".into()))?;
    let event: Event =
        serde_json::from_value(Value::Object(fields)).map_err(|e| corrupt(history.table(), id, e.to_string()))?;
    tx.insert_event_row(history, subject, &event).await
}
