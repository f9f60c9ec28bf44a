//! Posting pushes to the gateway concurrently, so that one user whose tokens hang (a dead
//! device, a gateway stuck on one APNs connection) never delays anybody else's push.
//!
//! Contract:
//! - Each push (one token) is its own request, bounded by the gateway's timeout.
//! - At most `PushGateway::max_in_flight` requests run at once, server-wide; when they all
//!   run, [`Sender::send`] waits for one to end (at most one timeout), which fills the job
//!   queue and makes the writer drop pushes instead of ever slowing sends.
//! - One user has at most `PushGateway::max_in_flight_per_user` requests running, less than
//!   the server-wide bound, so others always find room; a push to a user already at that
//!   bound is dropped (logged): pushes are best effort and that user's earlier ones still
//!   hang.
//! - Dropping the [`Sender`] (the push task aborted at shutdown) aborts every request.

use crate::config::PushGateway;
use crate::http_out::HttpOut;
use crate::storage::AppId;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::task::JoinSet;

/// Requests running per user.
type Running = Arc<Mutex<HashMap<(AppId, String), usize>>>;

/// The push requests in flight.
pub(super) struct Sender {
    http: HttpOut,
    url: String,
    gateway: PushGateway,
    tasks: JoinSet<()>,
    running: Running,
}

/// One user's place among the running requests; given back when dropped (the request ended
/// or was aborted).
struct UserSlot {
    running: Running,
    key: (AppId, String),
}

impl Drop for UserSlot {
    fn drop(&mut self) {
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = running.get_mut(&self.key) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                running.remove(&self.key);
            }
        }
    }
}

impl Sender {
    /// A sender posting to `url` (the gateway's push endpoint).
    pub(super) fn new(http: HttpOut, url: String, gateway: PushGateway) -> Self {
        Self {
            http,
            url,
            gateway,
            tasks: JoinSet::new(),
            running: Running::default(),
        }
    }

    /// The server-wide bound (at least 2, so that one user's half leaves room).
    fn max_in_flight(&self) -> usize {
        self.gateway.max_in_flight.max(2)
    }

    /// Takes a place for `user`, unless they already have their share running.
    fn take_slot(&self, app: AppId, user: &str) -> Option<UserSlot> {
        let key = (app, user.to_owned());
        let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
        let count = running.entry(key.clone()).or_default();
        if *count >= self.gateway.max_in_flight_per_user() {
            return None;
        }
        *count += 1;
        Some(UserSlot {
            running: self.running.clone(),
            key,
        })
    }

    /// Starts posting `notification` to `user`'s token. Waits only while the server-wide
    /// bound is reached.
    pub(super) async fn send(&mut self, app: AppId, user: &str, notification: serde_json::Value) {
        while self.tasks.try_join_next().is_some() {}
        let Some(slot) = self.take_slot(app, user) else {
            tracing::warn!(
                user,
                "offline push dropped: the user's earlier pushes are still waiting for the gateway"
            );
            return;
        };
        // Bounded: each running request ends within the gateway's timeout.
        while self.tasks.len() >= self.max_in_flight() {
            if self.tasks.join_next().await.is_none() {
                break;
            }
        }
        let http = self.http.clone();
        let url = self.url.clone();
        let timeout = self.gateway.timeout;
        self.tasks.spawn(async move {
            let _slot = slot;
            let body = serde_json::json!({ "notifications": [notification] });
            match http.post_json(&url, &body, timeout).await {
                Ok(answer) if (200..300).contains(&answer.status) => {}
                Ok(answer) => tracing::warn!(
                    %url,
                    status = answer.status,
                    "the push gateway refused a push: {}",
                    String::from_utf8_lossy(&answer.body[..answer.body.len().min(200)])
                ),
                Err(error) => tracing::warn!(%url, "the push gateway failed: {error}"),
            }
        });
    }

    /// Waits until a running request ends (never, when none runs): lets the push task reap
    /// finished requests while its queue is idle.
    pub(super) async fn reap(&mut self) {
        if self.tasks.join_next().await.is_none() {
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_user_gets_at_most_their_share_and_slots_come_back() {
        let http = HttpOut::new().unwrap();
        let mut gateway = PushGateway::new("http://127.0.0.1:9");
        gateway.max_tokens_per_user = 100;
        gateway.max_in_flight = 8;
        let sender = Sender::new(http, String::new(), gateway);
        let slots: Vec<_> = (0..4).filter_map(|_| sender.take_slot(1, "x")).collect();
        assert_eq!(slots.len(), 4);
        assert!(sender.take_slot(1, "x").is_none());
        let other = sender.take_slot(1, "y");
        assert!(other.is_some());
        drop(slots);
        assert!(sender.take_slot(1, "x").is_some());
        drop(other);
    }
}
