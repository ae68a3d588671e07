//! The connection pool of one backend or the other, and transactions on it. Queries are
//! written once and run on either backend by `on_pool!` / `on_tx!`, which expand the same
//! code for each backend's typed driver.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

use crate::error::StoreError;

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub(crate) enum Pool {
    /// The pool, and the database file for the bulk fact reader (`facts/`).
    Sqlite(SqlitePool, std::path::PathBuf),
    Postgres(PgPool),
}

/// The store: a pool of connections to one database.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: Pool,
    /// Where documents' bytes are written as files; in the database when `None`.
    pub(crate) documents_dir: Option<std::sync::Arc<std::path::Path>>,
}

/// A transaction. Every write happens inside one, and is appended to the audit log in the
/// same transaction under the writer's name; dropping it without `commit` rolls back.
#[derive(Debug)]
pub struct Tx {
    /// The connection, unless lent to a thread writing behind the caller (`behind.rs`).
    pub(crate) conn: Slot,
    pub(crate) backend: Backend,
    /// Who writes, and when; `None` for a read-only transaction.
    pub(crate) writer: Option<Writer>,
    /// Audit changes not yet sealed onto the chain (`audit::append`).
    pub(crate) pending_audit: Vec<crate::audit::chain::Change>,
    /// Whether this transaction holds the chain's head.
    pub(crate) audit_locked: bool,
    /// A preview: every rule is checked and every write made, then all is rolled back, so
    /// no audit entry is kept and it cannot commit.
    pub(crate) preview: bool,
    /// What this transaction already knows of the records it checks (`known.rs`).
    pub(crate) known: crate::known::Known,
    /// New rows held back to be written together (`deferred.rs`).
    pub(crate) held: HeldRows,
}

/// Rows a transaction holds back, each with its table; `on` once it asked to hold them.
#[derive(Debug, Default)]
pub(crate) struct HeldRows {
    pub(crate) on: bool,
    pub(crate) rows: Vec<(&'static crate::tables::Table, Vec<crate::sql::Bind>)>,
}

/// A transaction's connection: in hand, or lent to a thread writing behind the caller
/// (`behind.rs`).
#[derive(Debug)]
pub(crate) enum Slot {
    Ready(Conn),
    Writing(tokio::task::JoinHandle<(Conn, Result<(), sqlx::Error>)>),
    /// What was written behind was refused (or its thread ended without giving the
    /// connection back): the transaction is rolled back, and every later statement and the
    /// commit fail with why.
    Failed(String),
}

/// What is written behind the caller (`behind.rs`): rows held back, then audit changes to
/// seal onto the chain after its head (taken there, so that the caller never waits to learn
/// it).
#[derive(Debug)]
pub(crate) struct Job {
    pub(crate) held: Vec<(&'static crate::tables::Table, Vec<crate::sql::Bind>)>,
    pub(crate) changes: Vec<crate::audit::chain::Change>,
}

#[derive(Debug)]
pub(crate) enum Conn {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Who makes the changes of a transaction, and when (the application's clock).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer {
    pub actor: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// Run the same code on the store's pool, whichever backend it is.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            $crate::backend::Pool::Sqlite($pool, _) => $body,
            $crate::backend::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Run the same code on a transaction's connection, whichever backend it is, once the rows
/// it holds back are written (`deferred.rs`) and the statements written behind are done
/// (`behind.rs`).
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {{
        $tx.write_deferred().await?;
        $crate::backend::on_tx_now!($tx, $conn => $body)
    }};
}
pub(crate) use on_tx;

/// `on_tx!` without writing the rows held back first: for writing them.
macro_rules! on_tx_now {
    ($tx:expr, $conn:ident => $body:expr) => {{
        $tx.settle().await?;
        match &mut $tx.conn {
            $crate::backend::Slot::Ready($crate::backend::Conn::Sqlite(tx)) => {
                let $conn = &mut **tx;
                $body
            }
            $crate::backend::Slot::Ready($crate::backend::Conn::Postgres(tx)) => {
                let $conn = &mut **tx;
                $body
            }
            _ => return Err($tx.failure().into()),
        }
    }};
}
pub(crate) use on_tx_now;

/// Bind a list of `sql::Bind` values to a query, in order.
macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut query = $query;
        for bind in $binds {
            query = match bind {
                $crate::sql::Bind::Text(v) => query.bind(v.clone()),
                $crate::sql::Bind::Int(v) => query.bind(*v),
                $crate::sql::Bind::Bool(v) => query.bind(*v),
            };
        }
        query
    }};
}
pub(crate) use bind_all;

/// The schema's migrations, compiled in. Listed by hand rather than with `sqlx::migrate!`:
/// that macro was the only use of sqlx's proc-macro crate, which compiled a second sqlx with
/// both drivers and SQLite's C source for the build host (with a second lopdf, about 135 s
/// of compile time in a fresh build, and the host part again in the clippy pass). Each
/// migration gets the version, description and checksum `migrate!` gave it, so that
/// databases migrated before stay current; a test checks the list against the folder.
pub(crate) static MIGRATOR: std::sync::LazyLock<sqlx::migrate::Migrator> = std::sync::LazyLock::new(|| {
    let migrations = MIGRATIONS.iter().map(|(file, sql)| migration(file, sql)).collect::<Vec<_>>();
    sqlx::migrate::Migrator { migrations: migrations.into(), ..sqlx::migrate::Migrator::DEFAULT }
});

macro_rules! include_migration {
    ($file:literal) => {
        ($file, include_str!(concat!("../migrations/", $file)))
    };
}

/// Every migration file, in version order.
const MIGRATIONS: &[(&str, &str)] = &[
    include_migration!("0001_schema.sql"),
    include_migration!("0002_governance.sql"),
    include_migration!("0003_audit.sql"),
    include_migration!("0004_accounts.sql"),
    include_migration!("0005_password_change.sql"),
    include_migration!("0006_sign_in_counters.sql"),
    include_migration!("0007_criteria_set_versions.sql"),
    include_migration!("0008_domestic_offers.sql"),
    include_migration!("0009_import_mappings.sql"),
    include_migration!("0010_published_reports.sql"),
    include_migration!("0011_commentaries.sql"),
    include_migration!("0012_jobs.sql"),
    include_migration!("0013_documents.sql"),
    include_migration!("0014_audit_without_prev_hash.sql"),
    include_migration!("0015_jobs_claim_index.sql"),
];

/// A migration as sqlx reads one from its file `VERSION_DESCRIPTION.sql`.
fn migration(file: &str, sql: &'static str) -> sqlx::migrate::Migration {
    let (version, description) = file.trim_end_matches(".sql").split_once('_').unwrap_or((file, ""));
    sqlx::migrate::Migration::new(
        version.parse().unwrap_or_default(),
        description.replace('_', " ").into(),
        sqlx::migrate::MigrationType::Simple,
        sqlx::SqlStr::from_static(sql),
        sql.starts_with("-- no-transaction"),
    )
}

/// How long a request waits for a PostgreSQL connection: while the server is away a request
/// is answered 503 after this, not held.
const POSTGRES_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);
/// How long SQLite waits for a lock before it gives up on a write.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections per pool: measured best for SQLite and a small PostgreSQL on 2 cores.
const POOL_SIZE: u32 = 8;

/// A database address fit to print: a password in a URL is replaced by `***`, and an address
/// that is not a URL is shown as given (a file path holds no secret).
pub fn shown_address(address: &str) -> String {
    if !address.contains("://") {
        return address.to_owned();
    }
    match url::Url::parse(address) {
        Ok(mut url) => {
            if url.password().is_some() {
                // Only fails for URLs that cannot hold a password, which this one does.
                let _ = url.set_password(Some("***"));
            }
            url.to_string()
        }
        // Unparseable: whatever follows the scheme may hold a password.
        Err(_) => format!("{}://…", address.split("://").next().unwrap_or_default()),
    }
}

impl Store {
    /// Connect to `address`: a `postgres://` URL, `sqlite:PATH`, or a plain file path for
    /// SQLite. A SQLite file is created when missing.
    pub async fn connect(address: &str) -> Result<Store, StoreError> {
        let pool = if address.starts_with("postgres://") || address.starts_with("postgresql://") {
            // PostgreSQL's JIT compiles a query whose estimated cost passes `jit_above_cost`:
            // the fact read's scans, or a query on a table not yet analysed. Compiling took
            // 270 ms of the tasks' 790 ms read at national scale (96 ms without), and is never
            // paid back on queries that run once per evaluation or page.
            let options = PgConnectOptions::from_str(address)
                .map_err(|_| StoreError::BadUrl(shown_address(address)))?
                .options([("jit", "off")]);
            Pool::Postgres(
                PgPoolOptions::new()
                    .max_connections(POOL_SIZE)
                    .acquire_timeout(POSTGRES_ACQUIRE_TIMEOUT)
                    .connect_with(options)
                    .await?,
            )
        } else {
            let path = address.strip_prefix("sqlite://").or_else(|| address.strip_prefix("sqlite:")).unwrap_or(address);
            if path.is_empty() || address.contains("://") && !address.starts_with("sqlite:") {
                return Err(StoreError::BadUrl(shown_address(address)));
            }
            let options = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT);
            let pool = SqlitePoolOptions::new().max_connections(POOL_SIZE).connect_with(options).await?;
            Pool::Sqlite(pool, path.into())
        };
        Ok(Store { pool, documents_dir: None })
    }

    /// A SQLite file for work that is thrown away, such as a replay of the audit log: it
    /// neither syncs nor checks references, because its rows are copied from a store that
    /// already held them consistent (in the order the log wrote them, which may put a child
    /// before the later state of its parent).
    pub async fn connect_scratch(path: &std::path::Path) -> Result<Store, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Off)
            .synchronous(SqliteSynchronous::Off)
            .foreign_keys(false)
            .busy_timeout(SQLITE_BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new().max_connections(POOL_SIZE).connect_with(options).await?;
        Ok(Store { pool: Pool::Sqlite(pool, path.to_path_buf()), documents_dir: None })
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(..) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Bring the schema up to date. Safe to run at every start. One folder serves both
    /// backends while their SQL is the same (docs/decisions/0001-store.md).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.pool {
            Pool::Sqlite(pool, _) => MIGRATOR.run(pool).await?,
            Pool::Postgres(pool) => MIGRATOR.run(pool).await?,
        }
        Ok(())
    }

    /// Start a transaction that writes as `writer`. On SQLite it takes the write lock at
    /// once (`begin immediate`), so two writers queue on the busy timeout instead of failing
    /// when the second upgrades.
    pub async fn begin(&self, writer: Writer) -> Result<Tx, StoreError> {
        let conn = match &self.pool {
            Pool::Sqlite(pool, _) => Conn::Sqlite(pool.begin_with("begin immediate").await?),
            Pool::Postgres(pool) => Conn::Postgres(pool.begin().await?),
        };
        Ok(Tx::new(conn, Some(writer)))
    }

    /// Start a transaction that writes as `writer` only to see what the writes would do: it
    /// is always rolled back, and keeps no audit entries meanwhile.
    pub async fn begin_preview(&self, writer: Writer) -> Result<Tx, StoreError> {
        let mut tx = self.begin(writer).await?;
        tx.preview = true;
        Ok(tx)
    }

    /// Start a transaction that only reads: on SQLite it takes no write lock.
    pub async fn begin_read(&self) -> Result<Tx, StoreError> {
        let conn = match &self.pool {
            Pool::Sqlite(pool, _) => Conn::Sqlite(pool.begin().await?),
            Pool::Postgres(pool) => Conn::Postgres(pool.begin().await?),
        };
        Ok(Tx::new(conn, None))
    }

    /// Check that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(self, pool => {
            sqlx::query("select 1").execute(pool).await?;
        });
        Ok(())
    }

    /// The pool's connections: open, idle among them, and the most it opens.
    pub fn pool_status(&self) -> (u32, usize, u32) {
        on_pool!(self, pool => (pool.size(), pool.num_idle(), POOL_SIZE))
    }

    /// Close every connection; waits for those in use to be returned.
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await);
    }
}

/// `count` parameters numbered from `first`, as `backend` is fastest to bind them: plain `?`
/// on SQLite, which finds a numbered parameter by walking the statement's list of them
/// (binding would cost the square of their number); `$n` on PostgreSQL.
pub(crate) fn placeholders(backend: Backend, first: usize, count: usize) -> String {
    let numbered = |n: usize| match backend {
        Backend::Sqlite => "?".to_owned(),
        Backend::Postgres => format!("${n}"),
    };
    (first..first + count).map(numbered).collect::<Vec<_>>().join(", ")
}

impl Tx {
    fn new(conn: Conn, writer: Option<Writer>) -> Tx {
        let backend = match conn {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres(_) => Backend::Postgres,
        };
        Tx {
            conn: Slot::Ready(conn),
            backend,
            writer,
            pending_audit: Vec::new(),
            audit_locked: false,
            preview: false,
            known: Default::default(),
            held: Default::default(),
        }
    }

    pub async fn commit(mut self) -> Result<(), StoreError> {
        if self.preview {
            return Err(StoreError::ReadOnly);
        }
        self.write_deferred().await?;
        self.flush_audit().await?;
        self.settle().await?;
        match self.conn {
            Slot::Ready(Conn::Sqlite(tx)) => tx.commit().await?,
            Slot::Ready(Conn::Postgres(tx)) => tx.commit().await?,
            _ => return Err(self.failure()),
        }
        Ok(())
    }

    /// The writer, or an error for a read-only transaction.
    pub(crate) fn writer(&self) -> Result<Writer, StoreError> {
        self.writer.clone().ok_or(StoreError::ReadOnly)
    }
}

impl Tx {
    /// `count` parameters numbered from `first`, as this backend binds them (`placeholders`).
    pub(crate) fn placeholders(&self, first: usize, count: usize) -> String {
        placeholders(self.backend, first, count)
    }

    /// The name of the transaction's writer.
    pub fn actor(&self) -> Result<String, StoreError> {
        Ok(self.writer()?.actor)
    }

    /// When the transaction's writer acts, by the application's clock.
    pub fn written_at(&self) -> Result<chrono::DateTime<chrono::Utc>, StoreError> {
        Ok(self.writer()?.at)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{MIGRATIONS, MIGRATOR, shown_address};

    #[test]
    fn a_password_in_a_database_address_is_never_shown() {
        assert_eq!(
            shown_address("postgres://cncl:s3cret@db.example:5432/cncl"),
            "postgres://cncl:***@db.example:5432/cncl"
        );
        assert_eq!(shown_address("postgres://cncl@db.example/cncl"), "postgres://cncl@db.example/cncl");
        assert_eq!(shown_address("postgres://cncl:s3cret@db.example:port/x"), "postgres://…");
        assert_eq!(shown_address("/var/lib/cncl/cncl.db"), "/var/lib/cncl/cncl.db");
    }

    #[test]
    fn every_migration_in_the_folder_is_compiled_in_with_its_version() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let listed: Vec<&str> = MIGRATIONS.iter().map(|(file, _)| *file).collect();
        assert_eq!(listed, files);
        let versions: Vec<i64> = MIGRATOR.iter().map(|m| m.version).collect();
        assert_eq!(versions, (1..=i64::try_from(files.len()).unwrap()).collect::<Vec<_>>());
        let jobs = MIGRATOR.iter().find(|m| m.version == 12).unwrap();
        assert_eq!(jobs.description, "jobs");
    }

    /// cncl's connections to PostgreSQL run without its JIT (`Store::connect` says why).
    #[tokio::test]
    async fn postgresql_connections_run_without_the_jit() {
        let Ok(address) = std::env::var("CNCL_TEST_POSTGRES") else {
            let required = std::env::var("CNCL_TEST_REQUIRE_POSTGRES").as_deref() == Ok("1");
            assert!(!required, "CNCL_TEST_POSTGRES is not set");
            return;
        };
        let store = super::Store::connect(&address).await.unwrap();
        let super::Pool::Postgres(pool) = &store.pool else { unreachable!("a PostgreSQL address") };
        let jit: String = sqlx::query_scalar("show jit").fetch_one(pool).await.unwrap();
        assert_eq!(jit, "off");
    }
}
