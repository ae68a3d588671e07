//! Throttling of guesses at passwords and TOTP codes. Each attempt is counted before its
//! secret is checked, in one atomic statement per counter (see `cncl_store::sign_in_counters`),
//! so parallel guesses cannot slip past the limit, on one instance or several.
//!
//! Three counters, each with its own answer when passed:
//! - one account from one address: refused (429) — the guesser's own lock-out;
//! - one account from anywhere: refused — guessing spread over many addresses;
//! - one address, whatever the account: slowed down, never refused — behind a reverse proxy
//!   every office user shares an address, and a guesser there must not lock the others out
//!   of their own correct sign-ins.

use chrono::Duration;

use crate::{App, AppError};

/// What happens to an attempt past a counter's limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PastLimit {
    Refuse,
    SlowDown,
}

/// One counter an attempt is counted under.
#[derive(Debug, Clone)]
pub(crate) struct Counter {
    key: String,
    limit: i64,
    past_limit: PastLimit,
}

impl Counter {
    pub(crate) fn refusing(key: String, limit: i64) -> Self {
        Counter { key, limit, past_limit: PastLimit::Refuse }
    }

    pub(crate) fn slowing(key: String, limit: i64) -> Self {
        Counter { key, limit, past_limit: PastLimit::SlowDown }
    }
}

fn stamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl App {
    /// Count an attempt under each counter, in order. Refused (429, with the seconds until
    /// the window ends) at the first refusing counter past its limit; waits
    /// [`crate::accounts::AuthPolicy::slow_down`] if a slowing one is past its limit.
    pub(crate) async fn count_attempt(&self, counters: &[Counter]) -> Result<(), AppError> {
        let window = self.auth_policy().failure_window;
        let now = self.now();
        let mut slow = false;
        for counter in counters {
            let count = self.store.count_attempt(&counter.key, &stamp(now), &stamp(now - window)).await?;
            if count.attempts <= counter.limit {
                continue;
            }
            match counter.past_limit {
                PastLimit::SlowDown => slow = true,
                PastLimit::Refuse => {
                    let started = chrono::DateTime::parse_from_rfc3339(&count.window_started_at)
                        .map_or(now, |t| t.with_timezone(&chrono::Utc));
                    let left = (started + window - now).max(Duration::seconds(1));
                    let retry_after_seconds = u64::try_from(left.num_seconds()).unwrap_or(1);
                    return Err(AppError::Throttled { retry_after_seconds });
                }
            }
        }
        if slow {
            tokio::time::sleep(self.auth_policy().slow_down).await;
        }
        Ok(())
    }

    /// The attempt was right: the account's counters start afresh, and the address's no
    /// longer counts it.
    pub(crate) async fn attempt_succeeded(&self, counters: &[Counter]) -> Result<(), AppError> {
        for counter in counters {
            match counter.past_limit {
                PastLimit::Refuse => self.store.forget_attempts(&counter.key).await?,
                PastLimit::SlowDown => self.store.uncount_attempt(&counter.key).await?,
            }
        }
        Ok(())
    }
}
