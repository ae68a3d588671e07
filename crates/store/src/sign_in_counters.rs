//! Counters of sign-in attempts: raised atomically before a password or code is checked, so
//! the count a request sees already includes every attempt in flight beside it.

use sqlx::AssertSqlSafe;

use crate::backend::{Store, on_pool};
use crate::error::StoreError;

/// Where a counter stood after an attempt was counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptCount {
    /// Attempts in the current window, this one included.
    pub attempts: i64,
    /// When the window began (RFC 3339, as written).
    pub window_started_at: String,
}

impl Store {
    /// Count one attempt under `key` at `now`. A window that began before `expired_before`
    /// starts again at `now`. One statement, so concurrent attempts get consecutive counts.
    pub async fn count_attempt(&self, key: &str, now: &str, expired_before: &str) -> Result<AttemptCount, StoreError> {
        let sql = "insert into sign_in_counters (counter_key, window_started_at, attempts) values ($1, $2, 1) \
                   on conflict (counter_key) do update set \
                   attempts = case when sign_in_counters.window_started_at < $3 then 1 \
                                   else sign_in_counters.attempts + 1 end, \
                   window_started_at = case when sign_in_counters.window_started_at < $3 then $2 \
                                            else sign_in_counters.window_started_at end \
                   returning attempts, window_started_at";
        let (attempts, window_started_at): (i64, String) = on_pool!(self, pool => {
            sqlx::query_as(AssertSqlSafe(sql))
                .bind(key.to_owned())
                .bind(now.to_owned())
                .bind(expired_before.to_owned())
                .fetch_one(pool)
                .await?
        });
        Ok(AttemptCount { attempts, window_started_at })
    }

    /// Take back one counted attempt (it turned out to be a correct sign-in).
    pub async fn uncount_attempt(&self, key: &str) -> Result<(), StoreError> {
        let sql = "update sign_in_counters set attempts = attempts - 1 where counter_key = $1 and attempts > 0";
        on_pool!(self, pool => sqlx::query(AssertSqlSafe(sql)).bind(key.to_owned()).execute(pool).await?.rows_affected());
        Ok(())
    }

    /// Start `key`'s count afresh.
    pub async fn forget_attempts(&self, key: &str) -> Result<(), StoreError> {
        let sql = "delete from sign_in_counters where counter_key = $1";
        on_pool!(self, pool => sqlx::query(AssertSqlSafe(sql)).bind(key.to_owned()).execute(pool).await?.rows_affected());
        Ok(())
    }
}
