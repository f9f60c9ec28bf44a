//! Background work on a timer (the media sweep, the event-log trim): the first run one interval
//! after the start, missed ticks delayed rather than bunched, and none when the interval is
//! zero. The task runs until the server aborts it at shutdown.

use std::future::Future;
use std::time::Duration;
use tokio::task::JoinHandle;

/// Spawns `run` every `interval`; `None` when `interval` is zero (the work is off).
pub(crate) fn spawn<F, Fut>(interval: Duration, mut run: F) -> Option<JoinHandle<()>>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    if interval.is_zero() {
        return None;
    }
    Some(tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            run().await;
        }
    }))
}
