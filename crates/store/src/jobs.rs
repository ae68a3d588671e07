//! The job queue: typed work (its kind and JSON payload) with a unique key, claimed by one
//! worker at a time under a lease, retried with back-off, each attempt recorded. On
//! PostgreSQL several instances share the queue (`for update skip locked`); on SQLite the
//! one serving process works it (writes are serialised anyway).

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::Row;
use uuid::Uuid;

use crate::backend::{Store, on_pool};
use crate::error::StoreError;

/// A job to add.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub payload: serde_json::Value,
    /// The same key twice is the same work: the second is not added.
    pub dedupe_key: String,
    pub run_at: DateTime<Utc>,
    pub max_attempts: u32,
}

/// A job a worker has claimed.
#[derive(Debug, Clone)]
pub struct ClaimedJob {
    pub id: Uuid,
    pub kind: String,
    pub payload: serde_json::Value,
    /// This attempt's number, from 1.
    pub attempt: u32,
    pub max_attempts: u32,
    pub started_at: DateTime<Utc>,
}

/// What became of an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Failed; tried again at `retry_at`, or given up when `None`.
    Failed {
        error: String,
        retry_at: Option<DateTime<Utc>>,
    },
}

/// A job as the office may list it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JobRow {
    pub id: Uuid,
    pub kind: String,
    pub dedupe_key: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn parse_uuid(raw: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(raw).map_err(|e| StoreError::Corrupt { table: "jobs", id: raw.to_owned(), message: e.to_string() })
}

const INSERT_SQL: &str = "insert into jobs (id, kind, payload, dedupe_key, run_at, status, attempts, max_attempts, created_at) \
     values ($1, $2, $3, $4, $5, 'queued', 0, $6, $7) on conflict (dedupe_key) do nothing";

/// Jobs added per transaction.
const ENQUEUE_CHUNK: usize = 1_000;

/// A claim takes a job whose worker's lease ran out first (it was claimed before any job still
/// queued), then the next job due. Two statements rather than one `or`: with the `or`, SQLite
/// read both index ranges and sorted every due job to find the first, 56-76 ms a claim with
/// 25,000 reminders queued at national scale; each statement alone reads its first row off the
/// `jobs_claim` index (migration 0015).
const CLAIM_CONDITIONS: [&str; 2] = ["status = 'running' and locked_until < $3", "status = 'queued' and run_at <= $3"];

fn claim_sql(condition: &str, backend: crate::Backend) -> String {
    // Several PostgreSQL instances share the queue: a row another worker is claiming is passed over.
    let skip_locked = if backend == crate::Backend::Postgres { " for update skip locked" } else { "" };
    format!(
        "update jobs set status = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1 \
         where id = (select id from jobs where {condition} order by run_at, id limit 1{skip_locked}) \
         returning id, kind, payload, attempts, max_attempts"
    )
}

impl Store {
    /// Add `jobs` a transaction per `ENQUEUE_CHUNK`, not a commit each: a server's first
    /// start at national scale plans some 87,000 reminders, and one transaction for all of
    /// them would keep SQLite's other writers waiting. A job whose key is already queued, or
    /// comes twice, is skipped, so that after a failure part-way the next planning adds only
    /// what is missing. Returns how many were added.
    pub async fn enqueue(&self, jobs: &[NewJob], now: DateTime<Utc>) -> Result<usize, StoreError> {
        let mut added = 0;
        for chunk in jobs.chunks(ENQUEUE_CHUNK) {
            added += self.enqueue_chunk(chunk, now).await?;
        }
        Ok(added)
    }

    async fn enqueue_chunk(&self, jobs: &[NewJob], now: DateTime<Utc>) -> Result<usize, StoreError> {
        let created = stamp(now);
        let added = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut added = 0;
            for job in jobs {
                added += sqlx::query(INSERT_SQL)
                    .bind(Uuid::now_v7().to_string())
                    .bind(job.kind.clone())
                    .bind(job.payload.to_string())
                    .bind(job.dedupe_key.clone())
                    .bind(stamp(job.run_at))
                    .bind(i64::from(job.max_attempts))
                    .bind(created.clone())
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            }
            tx.commit().await?;
            added
        });
        Ok(usize::try_from(added).unwrap_or(usize::MAX))
    }

    /// The keys of every job of `kind` ever added: planning looks each candidate up here
    /// rather than asking the database once per candidate (25,000 queries at national scale).
    pub async fn job_keys(&self, kind: &str) -> Result<std::collections::HashSet<String>, StoreError> {
        let keys: Vec<String> = on_pool!(self, pool => {
            sqlx::query_scalar("select dedupe_key from jobs where kind = $1")
                .bind(kind.to_owned())
                .fetch_all(pool)
                .await?
        });
        Ok(keys.into_iter().collect())
    }

    /// Claim the next job due at `now` for `worker`, leased for `lease`.
    pub async fn claim_job(
        &self,
        worker: &str,
        now: DateTime<Utc>,
        lease: chrono::Duration,
    ) -> Result<Option<ClaimedJob>, StoreError> {
        let (lease_until, now_stamp) = (stamp(now + lease), stamp(now));
        for condition in CLAIM_CONDITIONS {
            let sql = sqlx::AssertSqlSafe(claim_sql(condition, self.backend()));
            let row = on_pool!(self, pool => {
                sqlx::query(sql)
                    .bind(worker.to_owned())
                    .bind(lease_until.clone())
                    .bind(now_stamp.clone())
                    .fetch_optional(pool)
                    .await?
                    .map(|r| claimed(&r, now))
                    .transpose()?
            });
            if row.is_some() {
                return Ok(row);
            }
        }
        Ok(None)
    }

    /// Record how `job`'s attempt by `worker` ended, and where the job stands now. A worker
    /// whose lease was taken over records nothing.
    pub async fn finish_job(
        &self,
        job: &ClaimedJob,
        worker: &str,
        outcome: &Outcome,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (status, error, run_at) = match outcome {
            Outcome::Done => ("done", None, None),
            Outcome::Failed { error, retry_at: Some(at) } => ("queued", Some(error.clone()), Some(stamp(*at))),
            Outcome::Failed { error, retry_at: None } => ("failed", Some(error.clone()), None),
        };
        let finished = (status != "queued").then(|| stamp(now));
        let update = "update jobs set status = $1, last_error = $2, run_at = coalesce($3, run_at), finished_at = $4, \
             locked_by = null, locked_until = null where id = $5 and locked_by = $6";
        let attempt = "insert into job_attempts (id, job_id, attempt, worker, started_at, finished_at, outcome, error) \
             values ($1, $2, $3, $4, $5, $6, $7, $8)";
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let owned = sqlx::query(update)
                .bind(status)
                .bind(error.clone())
                .bind(run_at)
                .bind(finished)
                .bind(job.id.to_string())
                .bind(worker.to_owned())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if owned == 1 {
                sqlx::query(attempt)
                    .bind(Uuid::now_v7().to_string())
                    .bind(job.id.to_string())
                    .bind(i64::from(job.attempt))
                    .bind(worker.to_owned())
                    .bind(stamp(job.started_at))
                    .bind(stamp(now))
                    .bind(if *outcome == Outcome::Done { "done" } else { "failed" })
                    .bind(error)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// How many jobs are in each status (`pending`, `done`, `failed`…).
    pub async fn job_counts(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let sql = "select status, count(*) from jobs group by status order by status";
        Ok(on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await?))
    }

    /// The jobs of `kind`, oldest first.
    pub async fn jobs(&self, kind: &str) -> Result<Vec<JobRow>, StoreError> {
        let sql = "select id, kind, dedupe_key, status, attempts, last_error from jobs where kind = $1 order by created_at, id";
        let rows: Vec<(String, String, String, String, i64, Option<String>)> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(kind.to_owned()).fetch_all(pool).await?);
        rows.into_iter()
            .map(|(id, kind, dedupe_key, status, attempts, last_error)| {
                Ok(JobRow { id: parse_uuid(&id)?, kind, dedupe_key, status, attempts, last_error })
            })
            .collect()
    }

    /// How many attempts each outcome has had, for jobs of `kind`.
    pub async fn job_attempts(&self, kind: &str) -> Result<Vec<(String, u32, String)>, StoreError> {
        let sql = "select j.dedupe_key, a.attempt, a.outcome from job_attempts a join jobs j on j.id = a.job_id \
             where j.kind = $1 order by j.dedupe_key, a.attempt";
        let rows: Vec<(String, i64, String)> =
            on_pool!(self, pool => sqlx::query_as(sql).bind(kind.to_owned()).fetch_all(pool).await?);
        Ok(rows.into_iter().map(|(k, a, o)| (k, u32::try_from(a).unwrap_or(0), o)).collect())
    }
}

fn claimed<R: Row>(row: &R, now: DateTime<Utc>) -> Result<ClaimedJob, StoreError>
where
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> &'r str: sqlx::ColumnIndex<R>,
{
    let id: String = row.try_get("id")?;
    let payload: String = row.try_get("payload")?;
    let attempts: i64 = row.try_get("attempts")?;
    let max_attempts: i64 = row.try_get("max_attempts")?;
    Ok(ClaimedJob {
        id: parse_uuid(&id)?,
        kind: row.try_get("kind")?,
        payload: serde_json::from_str(&payload).map_err(|e| StoreError::Corrupt {
            table: "jobs",
            id: id.clone(),
            message: e.to_string(),
        })?,
        attempt: u32::try_from(attempts).unwrap_or(u32::MAX),
        max_attempts: u32::try_from(max_attempts).unwrap_or(1),
        started_at: now,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::{CLAIM_CONDITIONS, claim_sql};
    use crate::{Backend, Store};

    /// The queue holds tens of thousands of reminders at national scale; a claim that sorts
    /// them all holds SQLite's one writer for tens of milliseconds each time.
    #[tokio::test]
    async fn a_claim_reads_its_job_off_an_index_without_sorting_the_queue() {
        let dir = std::env::temp_dir().join(format!("cncl-claim-plan-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::connect(&dir.join("plan.db").to_string_lossy()).await.unwrap();
        store.migrate().await.unwrap();
        let crate::backend::Pool::Sqlite(pool, _) = &store.pool else { unreachable!("a SQLite store") };
        for condition in CLAIM_CONDITIONS {
            let plan = plan_steps(pool, condition).await;
            assert!(plan.iter().any(|step| step.contains("INDEX jobs_claim")), "{condition}: {plan:?}");
            assert!(
                !plan.iter().any(|step| step.contains("TEMP B-TREE") || step.starts_with("SCAN")),
                "{condition}: {plan:?}"
            );
        }
        store.close().await;
        std::fs::remove_dir_all(dir).ok();
    }

    /// `explain query plan` answers (id, parent, notused, detail); the detail is the step.
    async fn plan_steps(pool: &sqlx::SqlitePool, condition: &str) -> Vec<String> {
        let sql = format!("explain query plan {}", claim_sql(condition, Backend::Sqlite));
        let rows: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await.unwrap();
        rows.into_iter().map(|(_, _, _, detail)| detail).collect()
    }
}
