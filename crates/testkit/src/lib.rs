//! Test support shared by the crates' integration tests: a fresh database on each backend
//! (removed afterwards), sample records that satisfy every rule, and (in `app`) a running
//! server on a random loopback port.
//!
//! PostgreSQL tests need a server: set `CNCL_TEST_POSTGRES` to an admin URL such as
//! `postgres://postgres@127.0.0.1:55432/postgres` (`scripts/test` starts one and sets it).
//! Without it the PostgreSQL variants are skipped with a notice, unless
//! `CNCL_TEST_REQUIRE_POSTGRES=1`, which makes them fail instead.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::missing_panics_doc)]

pub mod db;
pub mod samples;
pub mod server;
pub mod smtp;

pub use db::{TestDb, postgres_configured};

/// A clock the test sets and moves forward.
#[derive(Debug, Clone)]
pub struct TestClock(std::sync::Arc<std::sync::Mutex<chrono::DateTime<chrono::Utc>>>);

impl TestClock {
    /// Now, by the system clock.
    pub fn new() -> TestClock {
        TestClock::at(chrono::Utc::now())
    }

    pub fn at(now: chrono::DateTime<chrono::Utc>) -> TestClock {
        TestClock(std::sync::Arc::new(std::sync::Mutex::new(now)))
    }

    pub fn advance(&self, by: chrono::Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Default for TestClock {
    fn default() -> Self {
        TestClock::new()
    }
}

impl cncl_app::policy::Clock for TestClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        *self.0.lock().unwrap()
    }
}

/// The application on a fresh database, for the use-cases' tests; derefs to the `App`.
pub struct TestApp {
    pub db: TestDb,
    pub app: cncl_app::App,
}

impl TestApp {
    /// The application on a fresh database on `backend`; `None` when that backend is
    /// PostgreSQL and no server is configured.
    pub async fn start(backend: cncl_store::Backend) -> Option<TestApp> {
        let db = TestDb::new(backend).await?;
        let app = cncl_app::App::open(&db.address).await.expect("open the application");
        Some(TestApp { db, app })
    }
}

impl std::ops::Deref for TestApp {
    type Target = cncl_app::App;
    fn deref(&self) -> &cncl_app::App {
        &self.app
    }
}

/// Declare tests run once on SQLite and once on PostgreSQL (skipped with a notice when no
/// server is configured, unless `CNCL_TEST_REQUIRE_POSTGRES=1`). `$setup` makes each test's
/// fixture from the backend (`TestDb::new`, `TestApp::start`, `TestServer::start`), and each
/// test is an `async fn` taking it by reference.
#[macro_export]
macro_rules! on_both_backends {
    ($setup:path => $($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let fixture = $setup(cncl_store::Backend::Sqlite).await.expect("SQLite is always there");
                    super::$name(&fixture).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(fixture) = $setup(cncl_store::Backend::Postgres).await else {
                        eprintln!("skipped: CNCL_TEST_POSTGRES is not set");
                        return;
                    };
                    super::$name(&fixture).await;
                }
            )*
        }
    };
}

/// A writer for test transactions, at the current time.
pub fn writer(actor: &str) -> cncl_store::Writer {
    cncl_store::Writer { actor: actor.to_owned(), at: chrono::Utc::now() }
}
