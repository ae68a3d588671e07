//! Verifying the audit log: the chain recomputed from its first entry, then every stored row
//! compared with the last entry about it.

use std::collections::HashMap;

use cncl_domain::{EntityKind, Record, with_record_type};
use serde_json::Value;
use sqlx::AssertSqlSafe;

use super::chain::{self, Entry, GENESIS};
use super::rows::{ENTRY_COLUMNS, EntryRow, RowId, VERIFY_BATCH, digest_bytes, sealed_of};
use crate::backend::{Store, on_pool};
use crate::canonical::record_json;
use crate::error::StoreError;
use crate::events::event_json;
use crate::records::decode_row;
use crate::tables::table;

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

/// What the log last said of a row.
#[derive(Debug, Clone, Copy)]
struct Latest {
    erased: bool,
    /// The last entry had an `after` record (the row should exist).
    exists: bool,
    /// That record's digest; none when it is not a well-formed digest.
    digest: Option<[u8; 32]>,
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
