//! New rows a transaction holds back to write together: an import of a hundred thousand
//! lines then costs a few hundred multi-row statements rather than a statement (and two
//! thread hand-offs to SQLite's worker) per line. Any other statement on the transaction
//! writes them first (`on_tx!`), so nothing read or written afterwards misses them.

use sqlx::AssertSqlSafe;

use crate::backend::{Tx, bind_all, on_tx_now};
use crate::error::StoreError;
use crate::sql::Bind;
use crate::tables::Table;

/// Parameters per statement: far inside SQLite's and PostgreSQL's limits (32,766 and
/// 65,535), so that a statement stays a few tens of kilobytes.
const MAX_PARAMETERS_PER_STATEMENT: usize = 1_000;
/// Rows held back before they are written anyway.
const HELD_ROWS: usize = 1_000;

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
            return self.insert_rows(table, &[binds]).await;
        }
        self.held.rows.push((table, binds));
        if self.held.rows.len() >= HELD_ROWS {
            self.write_deferred().await?;
        }
        Ok(())
    }

    /// Write the rows held back, a statement per run of rows of one table (in the order
    /// they came, so a parent precedes its children).
    pub async fn write_deferred(&mut self) -> Result<(), StoreError> {
        if self.held.rows.is_empty() {
            return Ok(());
        }
        let mut held = std::mem::take(&mut self.held.rows).into_iter().peekable();
        while let Some((table, first)) = held.next() {
            let mut rows = vec![first];
            while let Some((_, binds)) = held.next_if(|(next, _)| std::ptr::eq(*next, table)) {
                rows.push(binds);
            }
            self.insert_rows(table, &rows).await?;
        }
        Ok(())
    }

    /// Insert rows into one table with multi-row statements.
    pub(crate) async fn insert_rows(&mut self, table: &'static Table, rows: &[Vec<Bind>]) -> Result<(), StoreError> {
        let per_row = table.columns.len() + 1;
        let rows_per_statement = (MAX_PARAMETERS_PER_STATEMENT / per_row).max(1);
        for chunk in rows.chunks(rows_per_statement) {
            let values: Vec<String> =
                (0..chunk.len()).map(|i| format!("({})", self.placeholders(i * per_row + 1, per_row))).collect();
            let sql = format!("insert into {} ({}) values {}", table.name, table.column_list(), values.join(", "));
            let binds = chunk.iter().flatten();
            on_tx_now!(self, conn => {
                bind_all!(sqlx::query(AssertSqlSafe(sql)), binds).execute(conn).await?;
            });
        }
        Ok(())
    }
}
