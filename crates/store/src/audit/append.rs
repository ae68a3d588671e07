//! Appending to the audit log: each change a transaction makes is sealed onto the hash
//! chain, in the same transaction as the change itself.

use serde_json::Value;

use super::ENTRIES_PER_STATEMENT;
use super::chain::{Change, Sealed};
use super::rows::ENTRY_COLUMNS;
use crate::backend::{Backend, Job, Tx, on_tx, placeholders};
use crate::error::StoreError;
use crate::sql::{Bind, Statement};

/// Changes kept before they are sealed and stored behind the caller: as many as the rows an
/// import holds back, so that sealing a batch takes about as long as the caller takes to
/// check the next and the caller seldom waits for it.
const KEPT_CHANGES: usize = crate::deferred::HELD_ROWS;

impl Tx {
    /// A change made by this transaction's writer.
    pub(crate) fn change(
        &self,
        action: &str,
        entity: &str,
        id: &str,
        before: Option<Value>,
        after: Option<Value>,
    ) -> Result<Change, StoreError> {
        let writer = self.writer()?;
        Ok(Change {
            at: writer.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            actor: writer.actor,
            action: action.to_owned(),
            entity: entity.to_owned(),
            id: id.to_owned(),
            before,
            after,
        })
    }

    /// The digest of what the last entry about `entity` `id` recorded after it, if any.
    pub(crate) async fn last_logged_digest(&mut self, entity: &str, id: &str) -> Result<Option<String>, StoreError> {
        self.flush_audit().await?;
        let sql = "select after_digest from audit_log where entity = $1 and entity_id = $2 order by seq desc limit 1";
        let digest: Option<Option<String>> = on_tx!(self, conn => {
            sqlx::query_scalar(sql).bind(entity.to_owned()).bind(id.to_owned()).fetch_optional(conn).await?
        });
        Ok(digest.flatten())
    }

    /// Add `changes` to the end of the chain: kept until the transaction commits (or reads
    /// the log) and then sealed and stored together, a few statements for a whole import
    /// rather than three for each record. The chain's head is taken at the first change, as
    /// before, so writers still queue on it in the order they first write.
    pub(crate) async fn append_audit(&mut self, changes: Vec<Change>) -> Result<(), StoreError> {
        if changes.is_empty() || self.preview {
            return Ok(());
        }
        if !self.audit_locked {
            on_tx!(self, conn => {
                sqlx::query("update audit_head set seq = seq where id = 1").execute(conn).await?;
            });
            self.audit_locked = true;
        }
        self.pending_audit.extend(changes);
        // Kept by the thousand, not all: a record's JSON is a kilobyte or so in memory.
        if self.pending_audit.len() >= KEPT_CHANGES {
            self.flush_audit_then(true).await?;
        }
        Ok(())
    }

    /// Seal the changes kept so far onto the end of the chain and store them, now.
    pub(crate) async fn flush_audit(&mut self) -> Result<(), StoreError> {
        self.flush_audit_then(false).await
    }

    /// Seal the changes kept so far and store them: behind the caller (`behind.rs`), who goes
    /// on checking the next records, when `behind` (with the rows held back, which come
    /// first).
    async fn flush_audit_then(&mut self, behind: bool) -> Result<(), StoreError> {
        let changes = std::mem::take(&mut self.pending_audit);
        if changes.is_empty() {
            return Ok(());
        }
        if behind {
            let held = std::mem::take(&mut self.held.rows);
            return self.write_behind(Job { held, changes }).await;
        }
        let count = i64::try_from(changes.len()).unwrap_or(i64::MAX);
        // Taking the head row serialises writers: the second waits for the first to commit.
        let (last, prev): (i64, String) =
            on_tx!(self, conn => sqlx::query_as(TAKE_HEAD).bind(count).fetch_one(conn).await?);
        self.write_now(sealed_statements(self.backend, changes, last - count + 1, prev)).await
    }
}

/// Take the next `$1` entries of the chain: its last entry's number then, and its hash before.
/// Taking the head row serialises writers: the second waits for the first to commit.
pub(crate) const TAKE_HEAD: &str = "update audit_head set seq = seq + $1 where id = 1 returning seq, hash";

/// `changes` sealed onto the chain from entry `first` after hash `prev`, as the statements
/// that store them and move the head's hash.
pub(crate) fn sealed_statements(
    backend: Backend,
    changes: Vec<Change>,
    first: i64,
    mut prev: String,
) -> Vec<Statement> {
    let mut entries = Vec::with_capacity(changes.len());
    for (offset, change) in changes.into_iter().enumerate() {
        let sealed = change.seal_to_store(first + offset as i64, &prev);
        prev.clone_from(&sealed.entry.hash);
        entries.push(sealed);
    }
    let mut statements = Vec::new();
    let mut entries = entries.into_iter().peekable();
    while entries.peek().is_some() {
        let chunk: Vec<Sealed> = entries.by_ref().take(ENTRIES_PER_STATEMENT).collect();
        let mut binds = Vec::with_capacity(chunk.len() * 12);
        let mut rows = Vec::with_capacity(chunk.len());
        for Sealed { entry: e, before, after } in chunk {
            // A record's state after the change is its row until the next change, whose
            // entry keeps it as `before`: the log keeps no second copy (decision 0003).
            let after = if crate::tables::kind_of(&e.entity).is_some() { None } else { after };
            rows.push(format!("({})", placeholders(backend, binds.len() + 1, 12)));
            binds.extend([
                Bind::Int(Some(e.seq)),
                Bind::Text(Some(e.at)),
                Bind::Text(Some(e.actor)),
                Bind::Text(Some(e.action)),
                Bind::Text(Some(e.entity)),
                Bind::Text(Some(e.id)),
                Bind::Text(before),
                Bind::Text(after),
                Bind::Text(e.before_digest),
                Bind::Text(e.after_digest),
                Bind::Bool(Some(e.redacted)),
                Bind::Text(Some(e.hash)),
            ]);
        }
        statements.push((format!("insert into audit_log ({ENTRY_COLUMNS}) values {}", rows.join(", ")), binds));
    }
    statements.push(("update audit_head set hash = $1 where id = 1".to_owned(), vec![Bind::Text(Some(prev))]));
    statements
}
