//! Throttled attempts (sign-ins, public alerts, alert look-ups), counted per key in the database so
//! that every server process enforces the same limit. The table is still called `login_failures`.

use crate::error::StoreResult;
use crate::sql::Q;
use crate::Store;
use time::{Duration, OffsetDateTime};

impl Store {
    /// Records one sign-in attempt under each key (for example `email:x@y.org` and
    /// `ip:10.0.0.1`) before it is checked, and returns the attempt's id so that a success can
    /// take it back.
    pub async fn record_attempt(&self, keys: &[String]) -> StoreResult<String> {
        let now = steward_core::clock::now();
        let attempt = uuid::Uuid::new_v4().to_string();
        let mut tx = self.db.begin().await?;
        // Attempts older than a day can no longer throttle anyone.
        tx.exec(Q::new("DELETE FROM login_failures WHERE at < $1").time(now - Duration::days(1))).await?;
        for key in keys {
            tx.exec(
                Q::new("INSERT INTO login_failures (throttle_key, at, attempt_id) VALUES ($1, $2, $3)")
                    .text(key.clone())
                    .time(now)
                    .text(attempt.clone()),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(attempt)
    }

    /// Takes back one recorded attempt under `key`: it succeeded after all.
    pub async fn forgive_attempt(&self, key: &str, attempt: String) -> StoreResult<()> {
        self.db
            .exec(
                Q::new("DELETE FROM login_failures WHERE throttle_key = $1 AND attempt_id = $2")
                    .text(key)
                    .text(attempt),
            )
            .await?;
        Ok(())
    }

    /// Attempts under `key` since `since`.
    pub async fn attempts_since(&self, key: &str, since: OffsetDateTime) -> StoreResult<i64> {
        self.db
            .one(
                Q::new("SELECT COUNT(*) AS n FROM login_failures WHERE throttle_key = $1 AND at >= $2")
                    .text(key)
                    .time(since),
            )
            .await?
            .get("n")
    }

    /// Forgets every attempt under `key` (after a successful sign-in).
    pub async fn clear_attempts(&self, key: &str) -> StoreResult<()> {
        self.db.exec(Q::new("DELETE FROM login_failures WHERE throttle_key = $1").text(key)).await?;
        Ok(())
    }
}
