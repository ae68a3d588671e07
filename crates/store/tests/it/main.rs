//! The store's conformance suite: every test runs once on SQLite and once on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod conformance;

/// Declare a conformance test: `$name` runs against a fresh database of each backend.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let db = cncl_testkit::TestDb::new(cncl_store::Backend::Sqlite).await.unwrap();
                    super::$name(&db).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(db) = cncl_testkit::TestDb::new(cncl_store::Backend::Postgres).await else {
                        eprintln!("skipped: CNCL_TEST_POSTGRES is not set");
                        return;
                    };
                    super::$name(&db).await;
                }
            )*
        }
    };
}
