//! Fresh test databases: a SQLite file in a temporary directory, or a new database on the
//! PostgreSQL server named by `CNCL_TEST_POSTGRES`. Each is removed when dropped.

use cncl_store::{Backend, Store};
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use tempfile::TempDir;

/// A migrated, empty database with the shipped reference data loaded.
pub struct TestDb {
    pub store: Store,
    /// The address cncl would be given for it (`--database`).
    pub address: String,
    cleanup: Cleanup,
}

/// A table held locked by [`TestDb::lock_table`].
pub struct TableLock(PgConnection);

impl TableLock {
    pub async fn release(mut self) {
        sqlx::query("rollback").execute(&mut self.0).await.expect("release the lock");
        self.0.close().await.ok();
    }
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] TempDir),
    Postgres { admin_url: String, name: String },
}

/// The PostgreSQL admin URL for tests, if one is configured. Panics when PostgreSQL is
/// required but not configured, so that CI cannot skip it silently.
pub fn postgres_configured() -> Option<String> {
    match std::env::var("CNCL_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CNCL_TEST_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "CNCL_TEST_REQUIRE_POSTGRES=1 but CNCL_TEST_POSTGRES is not set"
            );
            None
        }
    }
}

impl TestDb {
    /// A fresh database on `backend`; `None` when that backend is PostgreSQL and no server
    /// is configured.
    pub async fn new(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let db = Self::sqlite_empty().await;
                prepare(&db.store).await;
                Some(db)
            }
            Backend::Postgres => Some(Self::postgres_from_template().await?),
        }
    }

    /// A copy of the template database for this schema, made once on the server (and kept
    /// there for the next run) under the schema's fingerprint: copying is much quicker than
    /// migrating and loading the reference data for every test.
    async fn postgres_from_template() -> Option<TestDb> {
        let admin_url = postgres_configured()?;
        let template = format!("cncl_template_{}", Store::fresh_fingerprint());
        let mut admin = PgConnection::connect(&admin_url).await.expect("connect to the PostgreSQL test server");
        // Test processes run in parallel: one prepares the template while the others wait.
        sqlx::query("select pg_advisory_lock(2815)").execute(&mut admin).await.expect("lock");
        let exists: bool = sqlx::query_scalar("select exists(select 1 from pg_database where datname = $1)")
            .bind(&template)
            .fetch_one(&mut admin)
            .await
            .expect("look for the template");
        if !exists {
            let preparing = format!("{template}_preparing");
            let run = |sql: String| sqlx::query(AssertSqlSafe(sql));
            run(format!("drop database if exists {preparing} with (force)")).execute(&mut admin).await.expect("drop");
            run(format!("create database {preparing}")).execute(&mut admin).await.expect("create template");
            let store = Store::connect(&replace_database(&admin_url, &preparing)).await.expect("connect");
            prepare(&store).await;
            store.close().await;
            run(format!("alter database {preparing} rename to {template}")).execute(&mut admin).await.expect("rename");
        }
        let name = format!("cncl_test_{}", uuid::Uuid::now_v7().simple());
        sqlx::query(AssertSqlSafe(format!("create database {name} template {template}")))
            .execute(&mut admin)
            .await
            .expect("copy the template");
        sqlx::query("select pg_advisory_unlock(2815)").execute(&mut admin).await.expect("unlock");
        admin.close().await.ok();
        let address = replace_database(&admin_url, &name);
        let store = Store::connect(&address).await.expect("connect to the test database");
        Some(TestDb { store, address, cleanup: Cleanup::Postgres { admin_url, name } })
    }

    /// Run `sql` on the database behind cncl's back, as someone with `sqlite3` or `psql`
    /// would: to tamper with it, or to plant a row no rule would let in.
    pub async fn tamper(&self, sql: &str) {
        if self.address.starts_with("postgres") {
            let mut c = PgConnection::connect(&self.address).await.expect("connect to PostgreSQL");
            sqlx::query(AssertSqlSafe(sql.to_owned())).execute(&mut c).await.expect("tamper");
        } else {
            let url = format!("sqlite:{}", self.address);
            let mut c = sqlx::SqliteConnection::connect(&url).await.expect("open SQLite");
            sqlx::query(AssertSqlSafe(sql.to_owned())).execute(&mut c).await.expect("tamper");
        }
    }

    /// `table` locked against every reader until the lock is released: to hold a request
    /// inside its query for as long as a test needs. `None` on SQLite, whose readers a
    /// writer never holds back.
    pub async fn lock_table(&self, table: &str) -> Option<TableLock> {
        if !self.address.starts_with("postgres") {
            return None;
        }
        let mut c = PgConnection::connect(&self.address).await.expect("connect to PostgreSQL");
        sqlx::query("begin").execute(&mut c).await.expect("begin");
        sqlx::query(AssertSqlSafe(format!("lock table {table} in access exclusive mode")))
            .execute(&mut c)
            .await
            .expect("lock the table");
        Some(TableLock(c))
    }

    /// A number read behind cncl's back (`select count(*) …`), to see how something is stored.
    pub async fn count(&self, sql: &str) -> i64 {
        let sql = AssertSqlSafe(sql.to_owned());
        if self.address.starts_with("postgres") {
            let mut c = PgConnection::connect(&self.address).await.expect("connect to PostgreSQL");
            sqlx::query_scalar(sql).fetch_one(&mut c).await.expect("count")
        } else {
            let url = format!("sqlite:{}", self.address);
            let mut c = sqlx::SqliteConnection::connect(&url).await.expect("open SQLite");
            sqlx::query_scalar(sql).fetch_one(&mut c).await.expect("count")
        }
    }

    /// A SQLite file that exists but has no schema.
    pub async fn sqlite_empty() -> TestDb {
        let dir = tempfile::tempdir().expect("temporary directory");
        let address = dir.path().join("cncl-test.db").to_string_lossy().into_owned();
        let store = Store::connect(&address).await.expect("open SQLite");
        TestDb { store, address, cleanup: Cleanup::Sqlite(dir) }
    }

    /// A new PostgreSQL database with no schema; `None` when no server is configured.
    pub async fn postgres_empty() -> Option<TestDb> {
        let admin_url = postgres_configured()?;
        let name = format!("cncl_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin = PgConnection::connect(&admin_url).await.expect("connect to the PostgreSQL test server");
        sqlx::query(AssertSqlSafe(format!("create database {name}")))
            .execute(&mut admin)
            .await
            .expect("create test database");
        admin.close().await.ok();
        let address = replace_database(&admin_url, &name);
        let store = Store::connect(&address).await.expect("connect to the test database");
        Some(TestDb { store, address, cleanup: Cleanup::Postgres { admin_url, name } })
    }
}

/// Migrate and load the shipped reference data: what `cncl init` does.
async fn prepare(store: &Store) {
    store.migrate().await.expect("migrate");
    cncl_store::reference::load_shipped(store, crate::writer("cncl")).await.expect("load reference data");
}

/// The same server URL with another database name.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup {
            let admin_url = admin_url.clone();
            let name = name.clone();
            // Drop runs inside the test's runtime, which cannot be blocked on; a thread with
            // its own runtime drops the database, forcing off the pool's idle connections
            // (closing the pool itself would need the test's runtime, which is waiting here).
            let done = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                runtime.block_on(async move {
                    if let Ok(mut admin) = PgConnection::connect(&admin_url).await {
                        let _ = sqlx::query(AssertSqlSafe(format!("drop database if exists {name} with (force)")))
                            .execute(&mut admin)
                            .await;
                    }
                });
            });
            let _ = done.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::replace_database;

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            replace_database("postgres://postgres@127.0.0.1:55432/postgres", "x"),
            "postgres://postgres@127.0.0.1:55432/x"
        );
        assert_eq!(replace_database("postgres://h:1/db?sslmode=disable", "x"), "postgres://h:1/x?sslmode=disable");
        assert_eq!(replace_database("postgres://h:1", "x"), "postgres://h:1/x");
    }
}
