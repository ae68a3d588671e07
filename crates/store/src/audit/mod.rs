//! The tamper-evident audit log: every write appends an entry in the same transaction
//! (`Tx::insert`, `update`, `insert_many`, `append_event` do it themselves, so no write can
//! skip it); entries can be browsed; and `verify` recomputes the chain and compares every
//! stored row with the last entry about it, so that an edit made behind cncl's back — of a
//! row or of an entry — is found and named.

mod accounts;
pub(crate) mod append;
pub mod chain;
mod latest;
pub mod replay;
mod rows;
mod states;
mod verify;

pub(crate) use latest::LatestDigests;
pub use verify::{AuditReport, Finding};

use cncl_domain::Record;
use sqlx::AssertSqlSafe;

use crate::backend::{Store, Tx, bind_all, on_pool, on_tx};
use crate::error::StoreError;
use crate::records::Page;
use crate::sql::Bind;
use crate::tables::table;
use chain::{Entry, GENESIS};
use rows::{ENTRY_COLUMNS, EntryRow, entry_of};

/// Entries per multi-row insert: 600 parameters. SQLite finds a parameter's name by walking
/// the statement's list of them, so binding costs the square of their number (at 500
/// entries, half of an import's time went there).
const ENTRIES_PER_STATEMENT: usize = 50;

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
