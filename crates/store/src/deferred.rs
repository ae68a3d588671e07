//! New rows a transaction holds back to write together: an import of a hundred thousand
//! lines then costs a few hundred multi-row statements rather than a statement (and two
//! thread hand-offs to SQLite's worker) per line. A thousand held rows are written behind
//! the caller (`behind.rs`) while it checks the next thousand. Any other statement on the
//! transaction writes them first (`on_tx!`), so nothing read or written afterwards misses
//! them.

use crate::backend::{Backend, Tx, placeholders};
use crate::behind::{Job, Statement};
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

/// The statements that write rows held back, a run of rows of one table each (in the order
/// they came, so a parent precedes its children).
pub(crate) fn held_statements(backend: Backend, held: Vec<(&'static Table, Vec<Bind>)>) -> Vec<Statement> {
    let mut held = held.into_iter().peekable();
    let mut statements = Vec::new();
    while let Some((table, first)) = held.next() {
        let mut rows = vec![first];
        while let Some((_, binds)) = held.next_if(|(next, _)| std::ptr::eq(*next, table)) {
            rows.push(binds);
        }
        statements.extend(insert_statements(backend, table, rows));
    }
    statements
}

/// Multi-row statements inserting `rows` into `table`.
fn insert_statements(backend: Backend, table: &'static Table, rows: Vec<Vec<Bind>>) -> Vec<Statement> {
    let per_row = table.columns.len() + 1;
    let rows_per_statement = (MAX_PARAMETERS_PER_STATEMENT / per_row).max(1);
    let mut rows = rows.into_iter().peekable();
    let mut statements = Vec::new();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Bind>> = rows.by_ref().take(rows_per_statement).collect();
        let values: Vec<String> =
            (0..chunk.len()).map(|i| format!("({})", placeholders(backend, i * per_row + 1, per_row))).collect();
        let sql = format!("insert into {} ({}) values {}", table.name, table.column_list(), values.join(", "));
        statements.push((sql, chunk.into_iter().flatten().collect()));
    }
    statements
}
