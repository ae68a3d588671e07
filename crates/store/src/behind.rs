//! Statements a transaction writes behind its caller. The connection is lent to a task that
//! makes the statements (sealing audit entries, say) and runs them while the caller goes on
//! (an import checking its next thousand rows); it is taken back, with the first error,
//! before the transaction's next statement or its commit. An import's thread, the task's and
//! SQLite's worker then work at once instead of taking turns.

use sqlx::AssertSqlSafe;
use tokio::task::JoinHandle;

use crate::audit::append::{TAKE_HEAD, sealed_statements};
use crate::audit::chain::Change;
use crate::backend::{Backend, Conn, Tx, bind_all};
use crate::deferred::held_statements;
use crate::error::StoreError;
use crate::sql::Bind;
use crate::tables::Table;

/// A statement and its parameters.
pub(crate) type Statement = (String, Vec<Bind>);

/// A transaction's connection: in hand, or lent to a task writing statements.
#[derive(Debug)]
pub(crate) enum Slot {
    Ready(Conn),
    Writing(JoinHandle<(Conn, Result<(), sqlx::Error>)>),
    /// Statements written behind were refused (or their task ended without giving the
    /// connection back): the transaction is rolled back, and every later statement and the
    /// commit fail with why.
    Failed(String),
}

impl Tx {
    /// Take the connection back from the task writing behind, if it is lent, with the first
    /// error its statements met.
    pub(crate) async fn settle(&mut self) -> Result<(), StoreError> {
        if let Slot::Ready(_) = self.conn {
            return Ok(());
        }
        match std::mem::replace(&mut self.conn, Slot::Failed(String::new())) {
            Slot::Ready(conn) => {
                self.conn = Slot::Ready(conn);
                Ok(())
            }
            Slot::Writing(task) => match task.await {
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
            },
            Slot::Failed(why) => {
                self.conn = Slot::Failed(why);
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

/// What is written behind the caller: rows held back, then audit changes to seal onto the
/// chain after its head (taken in the task, so that the caller never waits to learn it).
#[derive(Debug, Default)]
pub(crate) struct Job {
    pub(crate) held: Vec<(&'static Table, Vec<Bind>)>,
    pub(crate) changes: Vec<Change>,
}

/// Write `job` on `conn` and give it back.
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

pub(crate) async fn execute(conn: &mut Conn, statements: Vec<Statement>) -> Result<(), sqlx::Error> {
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
