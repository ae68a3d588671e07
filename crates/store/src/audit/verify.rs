//! Verifying the audit log: the chain recomputed from its first entry, then every stored row
//! compared with the last entry about it.

use cncl_domain::{EntityKind, Record, with_record_type};
use serde_json::Value;
use sqlx::AssertSqlSafe;
use tokio::sync::mpsc::Sender;

use super::chain::{self, GENESIS};
use super::latest::LatestDigests;
use super::rows::{ENTRY_COLUMNS, EntryRow, VERIFY_BATCH, sealed_of};
use crate::backend::{Pool, Store, on_pool};
use crate::canonical::record_json;
use crate::error::StoreError;
use crate::events::event_json;
use crate::facts::{open_reader, sqlite_error};
use crate::records::{decode_row, record_of_columns};
use crate::tables::{ColumnType, table};

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

/// A row's id, and the digest the log's last entry about it should hold — or why the row is
/// no longer a valid record.
type RowDigest = (String, Result<[u8; 32], String>);

/// A batch of what a reader read, or why it stopped.
type Batch<T> = Result<Vec<T>, StoreError>;

/// A batch of one table's rows.
type TableBatch = (&'static str, Batch<RowDigest>);

/// A stored row's digest as the log takes it: of the record's canonical JSON, so that a row
/// which no longer decodes into a valid record is named as such.
fn row_digest<T: Record>(decoded: Result<cncl_domain::Stored<T>, StoreError>) -> Result<[u8; 32], String> {
    match decoded {
        Err(e) => Err(format!("no longer a valid record: {e}")),
        Ok(stored) => record_json(&stored).map(|json| chain::raw_digest(&json)).map_err(|e| e.to_string()),
    }
}

/// Send every row of `T`'s table, digested as the log digests records, a batch at a time.
async fn read_row_digests<T: Record>(store: Store, batches: Sender<TableBatch>) {
    let table = table(T::KIND);
    let columns = std::iter::once("id").chain(table.columns.iter().map(|c| c.name)).collect::<Vec<_>>().join(", ");
    if let Pool::Sqlite(_, path) = &store.pool {
        let sql = format!("select {columns} from {}", table.name);
        let convert = move |row: &rusqlite::Row<'_>| {
            let id = row.get_ref(0).map_err(sqlite_error)?.as_str().map_err(|e| StoreError::Reader(e.to_string()))?;
            let decoded = record_of_columns::<T>(table, id, |at, ty| sqlite_value(row, at, ty));
            Ok((id.to_owned(), row_digest(decoded)))
        };
        read_sqlite(path.clone(), sql, convert, move |batch| batches.blocking_send((table.name, batch)).is_ok()).await;
        return;
    }
    let sql = format!("select {columns} from {} where id > $1 order by id limit {VERIFY_BATCH}", table.name);
    let mut after = String::new();
    loop {
        let rows: Batch<RowDigest> = async {
            on_pool!(store, pool => {
                let rows = sqlx::query(AssertSqlSafe(sql.clone())).bind(after.clone()).fetch_all(pool).await?;
                rows.iter()
                    .map(|row| {
                        let id: String = sqlx::Row::try_get(row, 0)?;
                        Ok((id, row_digest(decode_row::<_, T>(table, row))))
                    })
                    .collect()
            })
        }
        .await;
        let done = rows.as_ref().map_or(true, |rows| (rows.len() as i64) < VERIFY_BATCH);
        if let Ok(Some((last, _))) = rows.as_ref().map(|rows| rows.last()) {
            after.clone_from(last);
        }
        if batches.send((table.name, rows)).await.is_err() || done {
            return;
        }
    }
}

/// Send the rows of every table of `kinds` in turn, as [`read_row_digests`] does.
async fn read_kinds(store: Store, kinds: Vec<EntityKind>, batches: Sender<TableBatch>) {
    for kind in kinds {
        with_record_type!(kind, T => read_row_digests::<T>(store.clone(), batches.clone()).await);
        if batches.is_closed() {
            return;
        }
    }
}

/// A column read through rusqlite as the record's JSON field holds it.
fn sqlite_value(row: &rusqlite::Row<'_>, at: usize, ty: ColumnType) -> Result<Value, StoreError> {
    use rusqlite::types::ValueRef;
    let value = row.get_ref(at).map_err(sqlite_error)?;
    let not_text = |e: rusqlite::types::FromSqlError| StoreError::Reader(format!("column {at}: {e}"));
    Ok(match (ty, value) {
        (_, ValueRef::Null) => Value::Null,
        (ColumnType::Text | ColumnType::Json, value) => Value::String(value.as_str().map_err(not_text)?.to_owned()),
        (ColumnType::Int, value) => Value::from(value.as_i64().map_err(not_text)?),
        (ColumnType::Bool, value) => Value::Bool(value.as_i64().map_err(not_text)? != 0),
    })
}

/// Send every entry of the log, in order, a batch at a time, until the receiver goes.
async fn read_entries(store: Store, batches: Sender<Batch<EntryRow>>) {
    if let Pool::Sqlite(_, path) = &store.pool {
        let sql = format!("select {ENTRY_COLUMNS} from audit_log order by seq");
        let convert = |row: &rusqlite::Row<'_>| {
            let text = |at: usize| -> Result<String, StoreError> { row.get(at).map_err(sqlite_error) };
            let optional = |at: usize| -> Result<Option<String>, StoreError> { row.get(at).map_err(sqlite_error) };
            Ok((
                row.get(0).map_err(sqlite_error)?,
                text(1)?,
                text(2)?,
                text(3)?,
                text(4)?,
                text(5)?,
                optional(6)?,
                optional(7)?,
                optional(8)?,
                optional(9)?,
                row.get(10).map_err(sqlite_error)?,
                text(11)?,
            ))
        };
        read_sqlite(path.clone(), sql, convert, move |batch| batches.blocking_send(batch).is_ok()).await;
        return;
    }
    let sql = format!("select {ENTRY_COLUMNS} from audit_log where seq > $1 order by seq limit {VERIFY_BATCH}");
    let mut after = 0_i64;
    loop {
        let rows: Batch<EntryRow> = async {
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

/// Run `sql` on the SQLite file in one read transaction, on a blocking thread, and hand its
/// rows as `convert` makes them to `send`, a batch at a time, until `send` says the receiver
/// went. rusqlite reads a row's values in place where sqlx's SQLite driver copies each row
/// across threads: at national scale that was most of a verify
/// (docs/decisions/0002-fact-loading.md).
async fn read_sqlite<T: Send + 'static>(
    path: std::path::PathBuf,
    sql: String,
    convert: impl Fn(&rusqlite::Row<'_>) -> Result<T, StoreError> + Send + 'static,
    mut send: impl FnMut(Batch<T>) -> bool + Send + 'static,
) {
    let reading = tokio::task::spawn_blocking(move || {
        let batch_size = usize::try_from(VERIFY_BATCH).unwrap_or(10_000);
        let read = |send: &mut dyn FnMut(Batch<T>) -> bool| -> Result<(), StoreError> {
            let mut connection = open_reader(&path)?;
            let snapshot = connection.transaction().map_err(sqlite_error)?;
            let mut statement = snapshot.prepare(&sql).map_err(sqlite_error)?;
            let mut rows = statement.query([]).map_err(sqlite_error)?;
            let mut batch = Vec::with_capacity(batch_size);
            while let Some(row) = rows.next().map_err(sqlite_error)? {
                batch.push(convert(row)?);
                if batch.len() == batch_size && !send(Ok(std::mem::replace(&mut batch, Vec::with_capacity(batch_size))))
                {
                    return Ok(());
                }
            }
            send(Ok(batch));
            Ok(())
        };
        if let Err(e) = read(&mut send) {
            send(Err(e));
        }
    });
    if let Err(e) = reading.await {
        tracing::error!(error = %e, "an audit log reader stopped");
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
        let (batches, mut received) = tokio::sync::mpsc::channel::<Batch<EntryRow>>(1);
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
        latest.finish();
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
        self.compare_records(&mut latest, &mut mismatched_rows).await?;
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

    /// Compare every record with the last entry about it, marking the rows seen in
    /// `latest`. Two tasks read, decode and digest the rows — one the bill of materials (half
    /// of them at national scale), the other every other table — while this one looks each
    /// up: decoding is most of the work, and the machine has two cores.
    async fn compare_records(&self, latest: &mut LatestDigests, findings: &mut Vec<Finding>) -> Result<(), StoreError> {
        const LARGEST: EntityKind = EntityKind::BomLine;
        let (batches, mut received) = tokio::sync::mpsc::channel::<TableBatch>(2);
        let others = EntityKind::ALL.iter().copied().filter(|k| *k != LARGEST).collect();
        let readers = [
            tokio::spawn(read_kinds(self.clone(), vec![LARGEST], batches.clone())),
            tokio::spawn(read_kinds(self.clone(), others, batches)),
        ];
        while let Some((table, rows)) = received.recv().await {
            for (id, digest) in rows? {
                let problem = match digest {
                    Err(problem) => {
                        latest.take(table, &id);
                        Some(problem)
                    }
                    Ok(digest) => match latest.take(table, &id) {
                        None => Some("not in the audit log: written outside cncl".to_owned()),
                        Some(last) if last.digest != Some(digest) => {
                            Some("differs from the audit log's last entry about it".to_owned())
                        }
                        Some(_) => None,
                    },
                };
                if let Some(problem) = problem {
                    findings.push(Finding { seq: None, entity: table.to_owned(), id, problem });
                }
            }
        }
        for reader in readers {
            reader.await.map_err(|e| StoreError::Files(format!("reading the records stopped: {e}")))?;
        }
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
