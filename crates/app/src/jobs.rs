//! The worker: claims due jobs from the queue, runs each by its kind, and records how it
//! went, retrying a failure after a back-off that doubles (one minute, then two, four…, at
//! most an hour) until the job's attempts run out. Several workers, in one process or
//! many, may work the same queue: each job is claimed by one of them at a time.

use std::sync::Arc;

use cncl_store::jobs::{ClaimedJob, Outcome};

use crate::mail::Mailer;
use crate::reminders::{REMINDER_JOB, Reminder};
use crate::{App, AppError};

/// How long a claim holds before another worker may take the job over.
const LEASE_MINUTES: i64 = 5;
const LONGEST_BACK_OFF_MINUTES: i64 = 60;

/// A worker and what its jobs need.
#[derive(Debug, Clone)]
pub struct Worker {
    /// Named in each attempt's record.
    pub name: String,
    /// `None` when no SMTP server is configured: reminders are then only in-app.
    pub mailer: Option<Arc<dyn Mailer>>,
    /// The public address links in e-mails start with.
    pub base_url: String,
}

/// The wait before attempt `attempt + 1`, after attempt `attempt` failed.
fn back_off(attempt: u32) -> chrono::Duration {
    let minutes = 1_i64.checked_shl(attempt.saturating_sub(1)).unwrap_or(i64::MAX).min(LONGEST_BACK_OFF_MINUTES);
    chrono::Duration::minutes(minutes)
}

impl App {
    /// Run every job due now, one after another; returns how many attempts were made.
    pub async fn work_jobs(&self, worker: &Worker) -> Result<usize, AppError> {
        let mut attempts = 0;
        while let Some(job) =
            self.store.claim_job(&worker.name, self.now(), chrono::Duration::minutes(LEASE_MINUTES)).await?
        {
            let outcome = match self.run_job(&job, worker).await {
                Ok(()) => Outcome::Done,
                Err(error) => Outcome::Failed {
                    retry_at: (job.attempt < job.max_attempts).then(|| self.now() + back_off(job.attempt)),
                    error,
                },
            };
            self.store.finish_job(&job, &worker.name, &outcome, self.now()).await?;
            attempts += 1;
        }
        Ok(attempts)
    }

    async fn run_job(&self, job: &ClaimedJob, worker: &Worker) -> Result<(), String> {
        match job.kind.as_str() {
            REMINDER_JOB => {
                let reminder: Reminder = serde_json::from_value(job.payload.clone()).map_err(|e| e.to_string())?;
                self.send_reminder(&reminder, worker.mailer.as_deref(), &worker.base_url).await
            }
            other => Err(format!("no such kind of job: {other}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_back_off_doubles_up_to_an_hour() {
        let minutes: Vec<i64> = (1..=9).map(|a| back_off(a).num_minutes()).collect();
        assert_eq!(minutes, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }
}
