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

pub use db::{TestDb, postgres_configured};

/// A writer for test transactions, at the current time.
pub fn writer(actor: &str) -> cncl_store::Writer {
    cncl_store::Writer { actor: actor.to_owned(), at: chrono::Utc::now() }
}
