//! What a transaction writes behind its caller, and the statements that write it. The
//! connection is lent to a thread that writes the rows held back and seals and stores the
//! audit entries while the caller goes on (an import checking its next thousand rows); it is
//! taken back, with the first error, before the transaction's next statement or its commit.
//! The import's thread, that thread and SQLite's worker then work at once instead of taking
//! turns.

use sqlx::AssertSqlSafe;

use crate::audit::append::{TAKE_HEAD, sealed_statements};
use crate::backend::{Backend, Conn, Job, Slot, Tx, bind_all, placeholders};
use crate::error::StoreError;
use crate::sql::{Bind, Statement};
use crate::tables::Table;

/// Parameters per statement: far inside SQLite's and PostgreSQL's limits (32,766 and
/// 65,535), so that a statement stays a few tens of kilobytes.
const MAX_PARAMETERS_PER_STATEMENT: usize = 1_000;

impl Tx {
    /// Take the connection back from the thread writing behind, if it is lent, with the first
    /// error its statements met.
    pub(crate) async fn settle(&mut self) -> Result<(), StoreError> {
        match self.conn {
            Slot::Ready(_) => return Ok(()),
            Slot::Failed(_) => return Err(self.failure()),
            Slot::Writing(_) => {}
        }
        let lost = Slot::Failed("the thread writing behind did not give the connection back".to_owned());
        let Slot::Writing(task) = std::mem::replace(&mut self.conn, lost) else { return Err(self.failure()) };
        match task.await {
            Ok((conn, Ok(()))) => {
                self.conn = Slot::Ready(conn);
                Ok(())
            }
            // The connection dropped rolls the transaction back.
            Ok((_, Err(refused))) => {
                let error = StoreError::from(refused);
                self.conn = Slot::Failed(error.to_string());
                Err(error)
            }
            Err(ended) => {
                self.conn = Slot::Failed(format!("the statements written behind did not finish: {ended}"));
                Err(self.failure())
            }
        }
    }

    /// Why the transaction failed, for the statements after.
    pub(crate) fn failure(&self) -> StoreError {
        match &self.conn {
            Slot::Failed(why) => StoreError::Failed(why.clone()),
            _ => StoreError::Failed("the connection is lent to statements written behind".to_owned()),
        }
    }

    /// Write `job` behind the caller: its errors surface at the transaction's next
    /// statement or its commit.
    pub(crate) async fn write_behind(&mut self, job: Job) -> Result<(), StoreError> {
        self.settle().await?;
        let backend = self.backend;
        match std::mem::replace(&mut self.conn, Slot::Failed(String::new())) {
            Slot::Ready(conn) => {
                // On a thread of its own, woken by the database directly: as a task on the
                // runtime's workers it sat up to 18 ms between two statements, and a thousand
                // rows of an import took 27 ms rather than 17 (docs/benchmarks.md).
                let runtime = tokio::runtime::Handle::current();
                let write = move || runtime.block_on(write_all(conn, backend, job));
                self.conn = Slot::Writing(tokio::task::spawn_blocking(write));
                Ok(())
            }
            other => {
                self.conn = other;
                Err(self.failure())
            }
        }
    }

    /// Run `statements` in order now.
    pub(crate) async fn write_now(&mut self, statements: Vec<Statement>) -> Result<(), StoreError> {
        self.settle().await?;
        let Slot::Ready(conn) = &mut self.conn else { return Err(self.failure()) };
        Ok(execute(conn, statements).await?)
    }
}

/// Write `job` on `conn` and give the connection back.
async fn write_all(mut conn: Conn, backend: Backend, job: Job) -> (Conn, Result<(), sqlx::Error>) {
    let written = write_job(&mut conn, backend, job).await;
    (conn, written)
}

async fn write_job(conn: &mut Conn, backend: Backend, Job { held, changes }: Job) -> Result<(), sqlx::Error> {
    execute(conn, held_statements(backend, held)).await?;
    if changes.is_empty() {
        return Ok(());
    }
    let count = i64::try_from(changes.len()).unwrap_or(i64::MAX);
    let (last, prev): (i64, String) = match conn {
        Conn::Sqlite(tx) => sqlx::query_as(TAKE_HEAD).bind(count).fetch_one(&mut **tx).await?,
        Conn::Postgres(tx) => sqlx::query_as(TAKE_HEAD).bind(count).fetch_one(&mut **tx).await?,
    };
    execute(conn, sealed_statements(backend, changes, last - count + 1, prev)).await
}

async fn execute(conn: &mut Conn, statements: Vec<Statement>) -> Result<(), sqlx::Error> {
    for (sql, binds) in statements {
        match conn {
            Conn::Sqlite(tx) => {
                bind_all!(sqlx::query(AssertSqlSafe(sql)), &binds).execute(&mut **tx).await?;
            }
            Conn::Postgres(tx) => {
                bind_all!(sqlx::query(AssertSqlSafe(sql)), &binds).execute(&mut **tx).await?;
            }
        }
    }
    Ok(())
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
pub(crate) fn insert_statements(backend: Backend, table: &'static Table, rows: Vec<Vec<Bind>>) -> Vec<Statement> {
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
