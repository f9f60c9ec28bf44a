//! Rate limits per user and per group: token buckets keyed by (app, what, who). Decisions
//! only (no I/O, time passed in); the service holds one [`RateLimiter`] behind a mutex and asks
//! it before a request reaches the writer, so a flooding user costs the server a map lookup
//! per request and never delays anyone else's writes.
//!
//! What a client does with the refusal: `tim-core`'s send queue fails the message with the code
//! (SendFail, the code in the callback), as Tencent's SDK does; the app may send it again.

use crate::storage::{AppId, Refusal};
use std::collections::HashMap;
use std::time::Instant;
use tim_model::codes;

/// Most buckets kept; beyond, full buckets (the same as none) are dropped first.
const BUCKETS_MAX: usize = 200_000;

/// One rate: `per_second` on average, bursts of up to `burst`. `per_second == 0` turns the
/// limit off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Requests per second on average.
    pub per_second: u32,
    /// Requests allowed at once after a quiet spell (at least 1).
    pub burst: u32,
}

impl Rate {
    /// `per_second` with a burst of `burst`.
    pub const fn new(per_second: u32, burst: u32) -> Self {
        Self { per_second, burst }
    }

    fn per_second(self) -> f64 {
        f64::from(self.per_second)
    }

    fn burst(self) -> f64 {
        f64::from(self.burst.max(1))
    }
}

/// The rate limits, per user unless said otherwise. Over a limit a request is refused with
/// -10113 ERR_SVR_SSO_FREQ_LIMIT (group messages: 10023 ERR_SVR_GROUP_SEND_MSG_FREQ_LIMIT).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimits {
    /// Message sends (C2C and group) of one user. Default 50/s, burst 200.
    pub sends: Rate,
    /// Messages into one group from all its members (Tencent documents 40/s per group).
    /// Default 40/s, burst 200.
    pub group_messages: Rate,
    /// Batch sends of one user (each names up to 500 recipients). Default 5/s, burst 20.
    pub batch_sends: Rate,
    /// Read reports of one conversation, and read receipts. Default 50/s, burst 200.
    pub read_reports: Rate,
    /// "Mark all read" (a read report of every conversation of a type). Default 5/s, burst
    /// 20.
    pub mark_all_read: Rate,
    /// Extension sets and deletes. Default 50/s, burst 200.
    pub extensions: Rate,
    /// Cancels, revokes, modifies, deletes, group changes, receive-option changes and push
    /// tokens. Default 50/s, burst 200.
    pub changes: Rate,
    /// Queries: history pages, member lists, receipts and extensions read, merged-message
    /// downloads, translations. Default 100/s, burst 400.
    pub queries: Rate,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            sends: Rate::new(50, 200),
            group_messages: Rate::new(40, 200),
            batch_sends: Rate::new(5, 20),
            read_reports: Rate::new(50, 200),
            mark_all_read: Rate::new(5, 20),
            extensions: Rate::new(50, 200),
            changes: Rate::new(50, 200),
            queries: Rate::new(100, 400),
        }
    }
}

impl RateLimits {
    /// No rate limit at all (benchmarks, trusted test set-ups).
    pub fn off() -> Self {
        let off = Rate::new(0, 0);
        Self {
            sends: off,
            group_messages: off,
            batch_sends: off,
            read_reports: off,
            mark_all_read: off,
            extensions: off,
            changes: off,
            queries: off,
        }
    }
}

/// What a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Limited {
    Sends,
    GroupMessages,
    BatchSends,
    ReadReports,
    MarkAllRead,
    Extensions,
    Changes,
    Queries,
}

impl Limited {
    /// Its label in the metrics.
    pub fn metric_label(self) -> &'static str {
        match self {
            Limited::Sends => "sends",
            Limited::GroupMessages => "group_messages",
            Limited::BatchSends => "batch_sends",
            Limited::ReadReports => "read_reports",
            Limited::MarkAllRead => "mark_all_read",
            Limited::Extensions => "extensions",
            Limited::Changes => "changes",
            Limited::Queries => "queries",
        }
    }

    fn rate(self, limits: &RateLimits) -> Rate {
        match self {
            Limited::Sends => limits.sends,
            Limited::GroupMessages => limits.group_messages,
            Limited::BatchSends => limits.batch_sends,
            Limited::ReadReports => limits.read_reports,
            Limited::MarkAllRead => limits.mark_all_read,
            Limited::Extensions => limits.extensions,
            Limited::Changes => limits.changes,
            Limited::Queries => limits.queries,
        }
    }

    fn refusal(self) -> Refusal {
        match self {
            Limited::GroupMessages => Refusal::new(
                codes::ERR_SVR_GROUP_SEND_MSG_FREQ_LIMIT,
                "too many messages in this group; slow down",
            ),
            other => Refusal::new(
                codes::ERR_SVR_SSO_FREQ_LIMIT,
                format!("too many {} requests; slow down", other.name()),
            ),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Limited::Sends => "send",
            Limited::GroupMessages => "group message",
            Limited::BatchSends => "batch send",
            Limited::ReadReports => "read report",
            Limited::MarkAllRead => "mark-all-read",
            Limited::Extensions => "extension",
            Limited::Changes => "change",
            Limited::Queries => "query",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The buckets of every (app, limit, user or group) seen recently.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limits: RateLimits,
    buckets: HashMap<(AppId, Limited, String), Bucket>,
}

impl RateLimiter {
    pub(crate) fn new(limits: RateLimits) -> Self {
        Self {
            limits,
            buckets: HashMap::new(),
        }
    }

    /// Takes one token of `limited` for `who` (a user, or a group for group messages) at
    /// `now`, or refuses with the limit's code.
    pub(crate) fn take(
        &mut self,
        app: AppId,
        limited: Limited,
        who: &str,
        now: Instant,
    ) -> Result<(), Refusal> {
        let rate = limited.rate(&self.limits);
        if rate.per_second == 0 {
            return Ok(());
        }
        let key = (app, limited, who.to_owned());
        if !self.buckets.contains_key(&key) && self.buckets.len() >= BUCKETS_MAX {
            self.prune(now);
        }
        let burst = rate.burst();
        let bucket = self.buckets.entry(key).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate.per_second()).min(burst);
        bucket.at = now;
        if bucket.tokens < 1.0 {
            return Err(limited.refusal());
        }
        bucket.tokens -= 1.0;
        Ok(())
    }

    /// Drops the buckets that have refilled (a full bucket is the same as none); if that is
    /// not enough, the oldest half.
    fn prune(&mut self, now: Instant) {
        let limits = &self.limits;
        self.buckets.retain(|(_, limited, _), bucket| {
            let rate = limited.rate(limits);
            let refilled = bucket.tokens
                + now.saturating_duration_since(bucket.at).as_secs_f64() * rate.per_second();
            refilled < rate.burst()
        });
        if self.buckets.len() >= BUCKETS_MAX {
            let mut ages: Vec<Instant> = self.buckets.values().map(|b| b.at).collect();
            ages.sort_unstable();
            if let Some(cut) = ages.get(ages.len() / 2).copied() {
                self.buckets.retain(|_, bucket| bucket.at > cut);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn limiter() -> RateLimiter {
        RateLimiter::new(RateLimits {
            sends: Rate::new(2, 3),
            group_messages: Rate::new(0, 0),
            ..RateLimits::default()
        })
    }

    #[test]
    fn a_burst_then_the_average_rate() {
        let mut limiter = limiter();
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.take(1, Limited::Sends, "a", start).is_ok());
        }
        let refused = limiter.take(1, Limited::Sends, "a", start).unwrap_err();
        assert_eq!(refused.code, codes::ERR_SVR_SSO_FREQ_LIMIT);
        // Half a second later one more token (2/s).
        let later = start + Duration::from_millis(500);
        assert!(limiter.take(1, Limited::Sends, "a", later).is_ok());
        assert!(limiter.take(1, Limited::Sends, "a", later).is_err());
        // Others are not affected: another user, app or kind.
        assert!(limiter.take(1, Limited::Sends, "b", start).is_ok());
        assert!(limiter.take(2, Limited::Sends, "a", start).is_ok());
        assert!(limiter.take(1, Limited::Queries, "a", start).is_ok());
    }

    #[test]
    fn a_zero_rate_is_no_limit_and_group_messages_have_their_code() {
        let mut limiter = limiter();
        let now = Instant::now();
        for _ in 0..1000 {
            assert!(limiter.take(1, Limited::GroupMessages, "g", now).is_ok());
        }
        let mut limiter = RateLimiter::new(RateLimits::default());
        let refused = (0..200)
            .find_map(|_| limiter.take(1, Limited::GroupMessages, "g", now).err())
            .or_else(|| {
                (0..200).find_map(|_| limiter.take(1, Limited::GroupMessages, "g", now).err())
            })
            .unwrap();
        assert_eq!(refused.code, codes::ERR_SVR_GROUP_SEND_MSG_FREQ_LIMIT);
    }

    #[test]
    fn the_bucket_map_stays_bounded() {
        let mut limiter = limiter();
        let now = Instant::now();
        for i in 0..(BUCKETS_MAX + 10) {
            let _ = limiter.take(1, Limited::Sends, &format!("u{i}"), now);
        }
        assert!(limiter.buckets.len() <= BUCKETS_MAX);
    }
}
