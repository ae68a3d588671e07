//! How the running application is doing, for those who operate it: alive (`/health`), ready
//! to serve (`/ready`: the database answers and its schema is this build's), and the
//! figures `/metrics` adds to those recorded as requests and evaluations happen.

use serde::Serialize;

use crate::App;

/// How long readiness waits for the database: a probe must answer, never hang, while the
/// database is away.
const READINESS_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// What `/ready` reports.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Readiness {
    /// `ready` or `not_ready`.
    pub status: &'static str,
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// The database answered within two seconds.
    pub database_answers: bool,
    /// Every migration this build knows has been applied.
    pub migrations_current: bool,
}

impl Readiness {
    pub fn is_ready(&self) -> bool {
        self.database_answers && self.migrations_current
    }
}

/// The database pool and the job queue, read when `/metrics` is asked for.
#[derive(Debug, Clone, Default)]
pub struct Gauges {
    pub connections_open: u32,
    pub connections_idle: usize,
    pub connections_max: u32,
    /// Jobs per status.
    pub jobs: Vec<(String, i64)>,
}

impl App {
    /// Whether this instance can serve: its database answers and is at this build's schema.
    pub async fn readiness(&self) -> Readiness {
        let backend = match self.store.backend() {
            cncl_store::Backend::Sqlite => "sqlite",
            cncl_store::Backend::Postgres => "postgres",
        };
        let checked = tokio::time::timeout(READINESS_TIMEOUT, async {
            self.store.ping().await?;
            self.store.schema_is_current().await
        })
        .await;
        let (database_answers, migrations_current) = match checked {
            Ok(Ok(current)) => (true, current),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "readiness: the database does not answer");
                (false, false)
            }
            Err(_) => {
                tracing::warn!("readiness: the database did not answer within {READINESS_TIMEOUT:?}");
                (false, false)
            }
        };
        let ready = database_answers && migrations_current;
        Readiness { status: if ready { "ready" } else { "not_ready" }, backend, database_answers, migrations_current }
    }

    /// The pool's connections and the job queue's counts; the counts are left out when the
    /// database does not answer quickly.
    pub async fn gauges(&self) -> Gauges {
        let (connections_open, connections_idle, connections_max) = self.store.pool_status();
        let jobs = tokio::time::timeout(READINESS_TIMEOUT, self.store.job_counts()).await;
        Gauges {
            connections_open,
            connections_idle,
            connections_max,
            jobs: jobs.ok().and_then(Result::ok).unwrap_or_default(),
        }
    }
}
