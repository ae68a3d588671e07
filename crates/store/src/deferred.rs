//! New rows a transaction holds back to write together: an import of a hundred thousand
//! lines then costs a few hundred multi-row statements rather than a statement (and two
//! thread hand-offs to SQLite's worker) per line. A thousand held rows are written behind
//! the caller (`behind.rs`) while it checks the next thousand. Any other statement on the
//! transaction writes them first (`on_tx!`), so nothing read or written afterwards misses
//! them.

use crate::backend::{Job, Tx};
use crate::behind::{held_statements, insert_statements};
use crate::error::StoreError;
use crate::sql::Bind;
use crate::tables::Table;

/// Rows held back before they are written anyway.
pub(crate) const HELD_ROWS: usize = 1_000;

impl Tx {
    /// Hold new records back and write them together, before the next other statement or
    /// the commit. For bulk writers that check each record themselves first (the import):
    /// a clash only the database sees surfaces at that later statement.
    pub fn defer_inserts(&mut self) {
        self.held.on = true;
    }

    /// Insert a row (the id, then `table`'s columns), now or, when held back, later.
    pub(crate) async fn insert_row(&mut self, table: &'static Table, binds: Vec<Bind>) -> Result<(), StoreError> {
        if !self.held.on {
            return self.insert_rows(table, vec![binds]).await;
        }
        self.held.rows.push((table, binds));
        if self.held.rows.len() >= HELD_ROWS {
            let held = std::mem::take(&mut self.held.rows);
            self.write_behind(Job { held, changes: Vec::new() }).await?;
        }
        Ok(())
    }

    /// Write the rows held back, and wait until they and everything written behind are
    /// in: a refusal by the database shows here.
    pub async fn write_deferred(&mut self) -> Result<(), StoreError> {
        let held = std::mem::take(&mut self.held.rows);
        self.write_now(held_statements(self.backend, held)).await
    }

    /// Insert rows into one table with multi-row statements, now.
    pub(crate) async fn insert_rows(&mut self, table: &'static Table, rows: Vec<Vec<Bind>>) -> Result<(), StoreError> {
        self.write_now(insert_statements(self.backend, table, rows)).await
    }
}
