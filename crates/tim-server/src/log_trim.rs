//! Keeps every user's event log bounded: on a timer ([`EventLogRetention::trim_interval`])
//! and on demand ([`Server::trim_event_logs`](crate::Server::trim_event_logs)), one pass over
//! the users through the writer, a bounded number of users per write so that trimming never
//! holds up sends for long.

use crate::config::EventLogRetention;
use crate::service::Services;
use crate::storage::{Applied, WriteOp};
use std::sync::Arc;
use tokio::task::JoinHandle;

/// Writes per pass at most (a pass over more users goes on in the next one).
const MAX_WRITES_PER_PASS: usize = 10_000;

/// One pass: trims every user's log to `keep_per_user` events. Returns the events removed;
/// failures are logged and end the pass.
pub(crate) async fn trim_pass(services: &Services) -> u64 {
    let EventLogRetention {
        keep_per_user,
        users_per_write,
        ..
    } = services.config.event_log;
    let mut removed = 0u64;
    for _ in 0..MAX_WRITES_PER_PASS {
        let op = WriteOp::TrimLogs {
            keep: keep_per_user,
            max_users: users_per_write,
        };
        match services.writer.write(vec![op]).await {
            Ok(results) => match results.into_iter().next() {
                Some(Ok(Applied::Trimmed { events, pass_done })) => {
                    removed = removed.saturating_add(events);
                    if pass_done {
                        break;
                    }
                }
                other => {
                    tracing::warn!("event log trim: unexpected answer {other:?}");
                    break;
                }
            },
            Err(error) => {
                tracing::warn!("event log trim: {error}");
                break;
            }
        }
    }
    removed
}

/// Starts the timer; `None` when trimming is off (interval 0).
pub(crate) fn start(services: Arc<Services>) -> Option<JoinHandle<()>> {
    let interval = services.config.event_log.trim_interval;
    crate::periodic::spawn(interval, move || {
        let services = services.clone();
        async move {
            let removed = trim_pass(&services).await;
            if removed > 0 {
                tracing::info!(removed, "event logs trimmed");
            }
        }
    })
}
