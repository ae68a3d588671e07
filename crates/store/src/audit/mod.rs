//! The tamper-evident audit log: every write appends an entry in the same transaction
//! (`Tx::insert`, `update`, `insert_many`, `append_event` do it themselves, so no write can
//! skip it); entries can be browsed; and `verify` recomputes the chain and compares every
//! stored row with the last entry about it, so that an edit made behind cncl's back — of a
//! row or of an entry — is found and named.

mod accounts;
mod append;
pub mod chain;
pub mod replay;
mod states;

use std::collections::HashMap;

use cncl_domain::{EntityKind, Record, with_record_type};
use serde_json::Value;
use sqlx::AssertSqlSafe;

use crate::backend::{Store, Tx, bind_all, on_pool, on_tx};
use crate::canonical::record_json;
use crate::error::StoreError;
use crate::events::event_json;
use crate::records::{Page, decode_row};
use crate::sql::Bind;
use crate::tables::table;
use chain::{Entry, GENESIS, Sealed};

/// Entries per multi-row insert: 600 parameters. SQLite finds a parameter's name by walking
/// the statement's list of them, so binding costs the square of their number (at 500
/// entries, half of an import's time went there).
const ENTRIES_PER_STATEMENT: usize = 50;

/// An entry's columns. Its previous hash is the previous entry's `hash`, not stored twice.
const ENTRY_COLUMNS: &str = "seq, at, actor, action, entity, entity_id, before_json, after_json, before_digest, \
                             after_digest, redacted, hash";

type EntryRow = (
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
fn sealed_of(row: EntryRow, prev_hash: String) -> Sealed {
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

fn entry_of(row: EntryRow, prev_hash: String) -> Result<Entry, StoreError> {
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

/// Which entries to browse.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<String>,
    /// Entries at or after this instant (RFC 3339 or a date).
    pub from: Option<String>,
    /// Entries before this instant.
    pub until: Option<String>,
}

/// A broken link or a row that does not match the log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Finding {
    /// The entry that does not verify, if the finding is in the chain.
    pub seq: Option<i64>,
    pub entity: String,
    pub id: String,
    pub problem: String,
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct AuditReport {
    pub entries: i64,
    pub head_hash: String,
    /// The first entry of the chain that does not verify.
    pub first_broken: Option<Finding>,
    /// Stored rows that differ from the last entry about them, or have none.
    pub mismatched_rows: Vec<Finding>,
}

/// What walking the chain found.
struct ChainWalk {
    latest: LatestDigests,
    entries: i64,
    head_hash: String,
    first_broken: Option<Finding>,
}

impl AuditReport {
    pub fn is_intact(&self) -> bool {
        self.first_broken.is_none() && self.mismatched_rows.is_empty()
    }
}

/// Rows read per query while verifying.
const VERIFY_BATCH: i64 = 10_000;

/// A row's id as a map key: a UUID in 16 bytes, else its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum RowId {
    Uuid(uuid::Uuid),
    Text(Box<str>),
}

impl RowId {
    fn of(id: &str) -> RowId {
        uuid::Uuid::parse_str(id).map_or_else(|_| RowId::Text(id.into()), RowId::Uuid)
    }
}

/// What the log last said of a row.
#[derive(Debug, Clone, Copy)]
struct Latest {
    erased: bool,
    /// The last entry had an `after` record (the row should exist).
    exists: bool,
    /// That record's digest; none when it is not a well-formed digest.
    digest: Option<[u8; 32]>,
}

fn digest_bytes(hex: &str) -> Option<[u8; 32]> {
    let mut bytes = [0_u8; 32];
    if hex.len() != 64 {
        return None;
    }
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(bytes)
}

/// The last digest the log holds for every row, kept compact — interned table names, binary
/// ids and digests — because at national scale the log has millions of entries and
/// verifying it must not take gigabytes.
pub(crate) struct LatestDigests {
    tables: Vec<String>,
    rows: HashMap<(u16, RowId), Latest>,
}

impl LatestDigests {
    fn with_capacity(entries: usize) -> LatestDigests {
        LatestDigests { tables: Vec::new(), rows: HashMap::with_capacity(entries) }
    }

    fn table_index(&self, entity: &str) -> Option<u16> {
        self.tables.iter().position(|t| t == entity).and_then(|i| u16::try_from(i).ok())
    }

    fn record(&mut self, entry: &Entry) {
        let index = match self.table_index(&entry.entity) {
            Some(index) => index,
            None => {
                self.tables.push(entry.entity.clone());
                u16::try_from(self.tables.len() - 1).unwrap_or(u16::MAX)
            }
        };
        let latest = Latest {
            erased: entry.action == "erase",
            exists: entry.after_digest.is_some(),
            digest: entry.after_digest.as_deref().and_then(digest_bytes),
        };
        self.rows.insert((index, RowId::of(&entry.id)), latest);
    }

    /// The last word on a row, removed so that what remains at the end is what the log says
    /// exists but no table holds.
    fn take(&mut self, entity: &str, id: &str) -> Option<Latest> {
        let index = self.table_index(entity)?;
        self.rows.remove(&(index, RowId::of(id)))
    }

    /// Whether the row's stored form matches the log: `None` when the log never wrote it.
    pub(crate) fn matches(&mut self, entity: &str, id: &str, stored: &Value) -> Option<bool> {
        let latest = self.take(entity, id)?;
        Some(latest.digest.is_some() && latest.digest == digest_bytes(&chain::digest(stored)))
    }

    fn remaining(self) -> impl Iterator<Item = (String, String, Latest)> {
        let tables = self.tables;
        self.rows.into_iter().map(move |((index, id), latest)| {
            let id = match id {
                RowId::Uuid(uuid) => uuid.to_string(),
                RowId::Text(text) => text.into_string(),
            };
            (tables.get(usize::from(index)).cloned().unwrap_or_default(), id, latest)
        })
    }
}

/// A row's id, and the digest the log's last entry about it should hold — or why the row is
/// no longer a valid record.
type RowDigest = (String, Result<[u8; 32], String>);

/// Send every row of `T`'s table, digested as the log digests records, a batch at a time.
async fn read_row_digests<T: Record>(
    store: Store,
    batches: tokio::sync::mpsc::Sender<Result<Vec<RowDigest>, StoreError>>,
) {
    let table = table(T::KIND);
    let columns = std::iter::once("id").chain(table.columns.iter().map(|c| c.name)).collect::<Vec<_>>().join(", ");
    let sql = format!("select {columns} from {} where id > $1 order by id limit {VERIFY_BATCH}", table.name);
    let mut after = String::new();
    loop {
        let rows: Result<Vec<RowDigest>, StoreError> = async {
            on_pool!(store, pool => {
                let rows = sqlx::query(AssertSqlSafe(sql.clone())).bind(after.clone()).fetch_all(pool).await?;
                rows.iter()
                    .map(|row| {
                        let id: String = sqlx::Row::try_get(row, 0)?;
                        let digest = match decode_row::<_, T>(table, row) {
                            Err(e) => Err(format!("no longer a valid record: {e}")),
                            Ok(stored) => Ok(chain::raw_digest(&record_json(&stored)?)),
                        };
                        Ok((id, digest))
                    })
                    .collect()
            })
        }
        .await;
        let done = rows.as_ref().map_or(true, |rows| (rows.len() as i64) < VERIFY_BATCH);
        if let Ok(Some((last, _))) = rows.as_ref().map(|rows| rows.last()) {
            after.clone_from(last);
        }
        if batches.send(rows).await.is_err() || done {
            return;
        }
    }
}

/// Send every entry of the log, in order, a batch at a time, until the receiver goes.
async fn read_entries(store: Store, batches: tokio::sync::mpsc::Sender<Result<Vec<EntryRow>, StoreError>>) {
    let sql = format!("select {ENTRY_COLUMNS} from audit_log where seq > $1 order by seq limit {VERIFY_BATCH}");
    let mut after = 0_i64;
    loop {
        let rows: Result<Vec<EntryRow>, StoreError> = async {
            Ok(on_pool!(store, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).bind(after).fetch_all(pool).await?))
        }
        .await;
        let done = rows.as_ref().map_or(true, |rows| (rows.len() as i64) < VERIFY_BATCH);
        if let Ok(Some(last)) = rows.as_ref().map(|rows| rows.last()) {
            after = last.0;
        }
        if batches.send(rows).await.is_err() || done {
            return;
        }
    }
}

impl Store {
    /// The number of the last entry: it moves with every write, so whatever was computed
    /// from the records at one number holds until it changes.
    pub async fn audit_seq(&self) -> Result<i64, StoreError> {
        let seq: i64 = on_pool!(self, pool => sqlx::query_scalar("select seq from audit_head where id = 1").fetch_one(pool).await?);
        Ok(seq)
    }

    /// The chain's head: the last entry's number and hash. What was computed at this head is
    /// what the log's entries up to it explain.
    pub async fn audit_head(&self) -> Result<(i64, String), StoreError> {
        let head: (i64, String) = on_pool!(self, pool => sqlx::query_as("select seq, hash from audit_head where id = 1").fetch_one(pool).await?);
        Ok(head)
    }

    /// Entry `seq`'s hash; the genesis hash before the first entry.
    async fn audit_hash_of(&self, seq: i64) -> Result<String, StoreError> {
        let sql = "select hash from audit_log where seq = $1";
        let hash: Option<String> =
            on_pool!(self, pool => sqlx::query_scalar(sql).bind(seq).fetch_optional(pool).await?);
        Ok(hash.unwrap_or_else(|| GENESIS.to_owned()))
    }

    /// Entry `seq`'s number, hash and time, if the log has it.
    pub async fn audit_entry_head(&self, seq: i64) -> Result<Option<(i64, String, String)>, StoreError> {
        let sql = "select seq, hash, at from audit_log where seq = $1";
        let found = on_pool!(self, pool => sqlx::query_as(sql).bind(seq).fetch_optional(pool).await?);
        Ok(found)
    }

    /// The last entry written at or before `at` (RFC 3339, UTC, milliseconds, as entries
    /// record it): its number, hash and time.
    pub async fn audit_head_at(&self, at: &str) -> Result<Option<(i64, String, String)>, StoreError> {
        let sql = "select seq, hash, at from audit_log where at <= $1 order by seq desc limit 1";
        let found = on_pool!(self, pool => sqlx::query_as(sql).bind(at.to_owned()).fetch_optional(pool).await?);
        Ok(found)
    }

    /// Every row (table, id) an entry after `seq` wrote.
    pub async fn audit_rows_written_after(
        &self,
        seq: i64,
    ) -> Result<std::collections::HashSet<(String, String)>, StoreError> {
        let sql = "select distinct entity, entity_id from audit_log where seq > $1";
        let rows: Vec<(String, String)> = on_pool!(self, pool => sqlx::query_as(sql).bind(seq).fetch_all(pool).await?);
        Ok(rows.into_iter().collect())
    }

    /// One page of entries, newest first.
    pub async fn audit_entries(
        &self,
        filter: &AuditFilter,
        page: u32,
        per_page: u32,
    ) -> Result<Page<Entry>, StoreError> {
        let mut conditions = Vec::new();
        let mut binds = Vec::new();
        for (column, op, value) in [
            ("entity", "=", &filter.entity),
            ("entity_id", "=", &filter.entity_id),
            ("actor", "=", &filter.actor),
            ("at", ">=", &filter.from),
            ("at", "<", &filter.until),
        ] {
            if let Some(value) = value {
                binds.push(Bind::Text(Some(value.clone())));
                conditions.push(format!("{column} {op} ${}", binds.len()));
            }
        }
        let clause = if conditions.is_empty() { String::new() } else { format!(" where {}", conditions.join(" and ")) };
        let offset = u64::from(page.saturating_sub(1)) * u64::from(per_page);
        let select =
            format!("select {ENTRY_COLUMNS} from audit_log{clause} order by seq desc limit {per_page} offset {offset}");
        let count = format!("select count(*) from audit_log{clause}");
        let page: Page<EntryRow> = on_pool!(self, pool => {
            let total: i64 = bind_all!(sqlx::query_scalar(AssertSqlSafe(count.clone())), &binds).fetch_one(pool).await?;
            let rows: Vec<EntryRow> = bind_all!(sqlx::query_as(AssertSqlSafe(select.clone())), &binds).fetch_all(pool).await?;
            Page { items: rows, page, per_page, total }
        });
        let mut items = Vec::with_capacity(page.items.len());
        for row in page.items {
            let prev_hash = self.audit_hash_of(row.0 - 1).await?;
            items.push(entry_of(row, prev_hash)?);
        }
        let mut page = Page { items, page: page.page, per_page: page.per_page, total: page.total };
        self.fill_states_after(&mut page.items).await?;
        Ok(page)
    }

    /// Recompute the chain from the first entry, then compare every stored record with the
    /// last entry about it.
    pub async fn verify_audit(&self) -> Result<AuditReport, StoreError> {
        let walk = self.walk_chain().await?;
        let mismatched_rows = self.compare_stored(walk.latest).await?;
        Ok(AuditReport {
            entries: walk.entries,
            head_hash: walk.head_hash,
            first_broken: walk.first_broken,
            mismatched_rows,
        })
    }

    /// Every entry of the log in order: the first that does not chain, and the last digest
    /// of every record named.
    async fn walk_chain(&self) -> Result<ChainWalk, StoreError> {
        let count: i64 =
            on_pool!(self, pool => sqlx::query_scalar("select count(*) from audit_log").fetch_one(pool).await?);
        let mut latest = LatestDigests::with_capacity(usize::try_from(count).unwrap_or(0));
        let mut prev = GENESIS.to_owned();
        let mut expected = 1_i64;
        let mut first_broken = None;
        // One task reads the next batch while this one checks the last: reading and
        // hashing each take about half of a verify, and the machine has two cores.
        let (batches, mut received) = tokio::sync::mpsc::channel::<Result<Vec<EntryRow>, StoreError>>(1);
        let reader = tokio::spawn(read_entries(self.clone(), batches));
        while let Some(rows) = received.recv().await {
            for row in rows? {
                let sealed = sealed_of(row, prev.clone());
                if first_broken.is_none()
                    && let Err(problem) = sealed.check(expected, &prev)
                {
                    first_broken = Some(Finding {
                        seq: Some(sealed.entry.seq),
                        entity: sealed.entry.entity.clone(),
                        id: sealed.entry.id.clone(),
                        problem,
                    });
                }
                expected = sealed.entry.seq + 1;
                prev.clone_from(&sealed.entry.hash);
                latest.record(&sealed.entry);
            }
        }
        reader.await.map_err(|e| StoreError::Files(format!("reading the audit log stopped: {e}")))?;
        let (head_seq, head_hash): (i64, String) = on_pool!(self, pool => sqlx::query_as("select seq, hash from audit_head where id = 1").fetch_one(pool).await?);
        if first_broken.is_none() && (head_seq != expected - 1 || head_hash != prev) {
            first_broken = Some(Finding {
                seq: Some(expected),
                entity: "audit_log".into(),
                id: head_seq.to_string(),
                problem: format!(
                    "the log ends at entry {} but the head records entry {head_seq}: entries were removed",
                    expected - 1
                ),
            });
        }
        Ok(ChainWalk { latest, entries: expected - 1, head_hash: prev, first_broken })
    }

    /// Every stored row (records, events, accounts, reference data) against the last entry
    /// about it; and every entry whose row is gone.
    async fn compare_stored(&self, mut latest: LatestDigests) -> Result<Vec<Finding>, StoreError> {
        let mut mismatched_rows = Vec::new();
        for kind in EntityKind::ALL {
            with_record_type!(kind, T => self.compare_rows::<T>(&mut latest, &mut mismatched_rows).await?);
        }
        self.compare_events(&mut latest, &mut mismatched_rows).await?;
        self.compare_accounts(&mut latest, &mut mismatched_rows).await?;
        self.compare_criteria_sets(&mut latest, &mut mismatched_rows).await?;
        self.compare_published_reports(&mut latest, &mut mismatched_rows).await?;
        self.compare_documents(&mut latest, &mut mismatched_rows).await?;
        let reference = serde_json::json!(self.reference_snapshot().await?);
        let (entity, id) = (crate::reference::AUDIT_ENTITY, crate::reference::AUDIT_ID);
        if latest.matches(entity, id, &reference) != Some(true) {
            mismatched_rows.push(Finding {
                seq: None,
                entity: entity.to_owned(),
                id: id.to_owned(),
                problem: "the reference data differs from the audit log's last entry about it".into(),
            });
        }
        // Whatever the log says exists but was not found in its table was deleted outside cncl.
        for (entity, id, last) in latest.remaining() {
            if last.exists && !last.erased {
                mismatched_rows.push(Finding {
                    seq: None,
                    entity,
                    id,
                    problem: "in the audit log but missing from its table".into(),
                });
            }
        }
        mismatched_rows.sort_by(|a, b| (&a.entity, &a.id).cmp(&(&b.entity, &b.id)));
        Ok(mismatched_rows)
    }

    /// Compare every row of `T`'s table with the last entry about it, removing the rows seen
    /// from `latest`. The rows are read, decoded and digested by a second task, which keeps
    /// the other core busy.
    async fn compare_rows<T: Record>(
        &self,
        latest: &mut LatestDigests,
        findings: &mut Vec<Finding>,
    ) -> Result<(), StoreError> {
        let table = table(T::KIND);
        let (batches, mut received) = tokio::sync::mpsc::channel(1);
        let reader = tokio::spawn(read_row_digests::<T>(self.clone(), batches));
        while let Some(rows) = received.recv().await {
            for (id, digest) in rows? {
                let problem = match digest {
                    Err(problem) => {
                        latest.take(table.name, &id);
                        Some(problem)
                    }
                    Ok(digest) => match latest.take(table.name, &id) {
                        None => Some("not in the audit log: written outside cncl".to_owned()),
                        Some(last) if last.digest != Some(digest) => {
                            Some("differs from the audit log's last entry about it".to_owned())
                        }
                        Some(_) => None,
                    },
                };
                if let Some(problem) = problem {
                    findings.push(Finding { seq: None, entity: table.name.to_owned(), id, problem });
                }
            }
        }
        reader.await.map_err(|e| StoreError::Files(format!("reading {} stopped: {e}", table.name)))?;
        Ok(())
    }

    async fn compare_events(&self, latest: &mut LatestDigests, findings: &mut Vec<Finding>) -> Result<(), StoreError> {
        for history in [crate::events::History::Task, crate::events::History::Report] {
            for (subject, event) in self.all_events(history).await? {
                let entity = history.table().to_owned();
                let problem = match latest.matches(&entity, &event.id.to_string(), &event_json(subject, &event)?) {
                    None => Some("not in the audit log: written outside cncl"),
                    Some(false) => Some("differs from the audit log's last entry about it"),
                    Some(true) => None,
                };
                if let Some(problem) = problem {
                    findings.push(Finding { seq: None, entity, id: event.id.to_string(), problem: problem.into() });
                }
            }
        }
        Ok(())
    }
}

impl Tx {
    /// Remove a record and leave only a tombstone: the deletion is logged as `erase` with no
    /// data, and every earlier entry about the record loses its data but keeps its digests,
    /// so the chain still verifies.
    pub async fn erase<T: Record>(&mut self, id: &str) -> Result<bool, StoreError> {
        // Entries this transaction made about the record are redacted with the rest.
        self.flush_audit().await?;
        self.known.forget();
        let table = table(T::KIND);
        let sql = format!("delete from {} where id = $1", table.name);
        let removed = on_tx!(self, conn => sqlx::query(AssertSqlSafe(sql.clone())).bind(id.to_owned()).execute(conn).await?.rows_affected());
        if removed == 0 {
            return Ok(false);
        }
        let redact = "update audit_log set before_json = null, after_json = null, redacted = $3 where entity = $1 and entity_id = $2";
        on_tx!(self, conn => {
            sqlx::query(redact).bind(table.name.to_owned()).bind(id.to_owned()).bind(true).execute(conn).await?;
        });
        let change = self.change("erase", table.name, id, None, None)?;
        self.append_audit(vec![change]).await?;
        Ok(true)
    }
}
