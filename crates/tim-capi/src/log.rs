//! SDK log lines: the `tracing` events of tim (tim-core, tim-rs, this crate) forwarded to the
//! `TIMSetLogCallback` function and, when `set_config_is_log_output_console` is on, to stderr.
//!
//! How: the first `TIMInit` installs a process-wide `tracing` subscriber whose one layer
//! ([`Forward`]) reads its switches from atomics and a sink slot, never from the subscriber
//! itself, because a global subscriber can be set only once per process. `TIMInit` fills the
//! sink with the SDK thread's [`Dispatcher`]; `TIMUninit` empties it (lines are then dropped)
//! and a later `TIMInit` fills it again. If the host already installed a global subscriber,
//! ours is not installed and no lines are forwarded (the host's subscriber sees them instead).
//!
//! Contract: a line at or above `set_config_callback_log_level` becomes one job on the SDK
//! thread, queued behind the callbacks before it; the log callback runs there with no lock of
//! this crate held, so it may call any TIM function. Lines emitted on the SDK thread while the
//! log callback itself runs are dropped, so a callback that logs (through a TIM call) cannot
//! feed itself without end. Log files are not written: `sdk_config_log_file_path` is accepted
//! and unused (tim has no file sink).

use crate::config::{CALLBACK_LEVEL_NOW, CONSOLE_NOW, LOG_LEVEL_NOW};
use crate::dispatch::Dispatcher;
use crate::events;
use crate::ffi::c_string;
use std::cell::Cell;
use std::fmt::Write as _;
use std::sync::atomic::Ordering;
use std::sync::{Mutex, Once, PoisonError};
use tracing::field::{Field, Visit};
use tracing::subscriber::Interest;
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// Where callback lines go between `TIMInit` and `TIMUninit`.
static SINK: Mutex<Option<Dispatcher>> = Mutex::new(None);
static INSTALL: Once = Once::new();

thread_local! {
    /// Set on the SDK thread while the log callback runs.
    static IN_LOG_CALLBACK: Cell<bool> = const { Cell::new(false) };
}

fn sink() -> std::sync::MutexGuard<'static, Option<Dispatcher>> {
    SINK.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `TIMInit`: installs the subscriber (once per process) and sends callback lines to
/// `dispatcher`.
pub fn start(dispatcher: Dispatcher) {
    INSTALL.call_once(|| {
        let subscriber = tracing_subscriber::registry().with(Forward);
        // Refused when the host set its own global subscriber: then tim's lines go there.
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
    *sink() = Some(dispatcher);
}

/// `TIMUninit`: stops forwarding (and releases the SDK thread's queue).
pub fn stop() {
    *sink() = None;
}

/// The `TIMLogLevel` of a `tracing` level: TRACE is `kTIMLog_Verbose` (2), DEBUG
/// `kTIMLog_Debug` (3), INFO `kTIMLog_Info` (4), WARN `kTIMLog_Warn` (5), ERROR
/// `kTIMLog_Error` (6).
pub fn tim_level(level: &Level) -> i32 {
    match *level {
        Level::TRACE => 2,
        Level::DEBUG => 3,
        Level::INFO => 4,
        Level::WARN => 5,
        _ => 6,
    }
}

/// Whether a line of `level` passes `threshold` (`kTIMLog_Off` = 0 passes nothing).
fn passes(level: i32, threshold: i32) -> bool {
    threshold != 0 && level >= threshold
}

/// The layer that forwards events.
struct Forward;

impl<S: Subscriber> Layer<S> for Forward {
    fn register_callsite(&self, _metadata: &'static Metadata<'static>) -> Interest {
        // The levels change at run time (TIMSetConfig): ask every time, cache nothing.
        Interest::sometimes()
    }

    fn enabled(&self, metadata: &Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        let level = tim_level(metadata.level());
        passes(level, CALLBACK_LEVEL_NOW.load(Ordering::Relaxed))
            || (CONSOLE_NOW.load(Ordering::Relaxed)
                && passes(level, LOG_LEVEL_NOW.load(Ordering::Relaxed)))
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        if IN_LOG_CALLBACK.with(Cell::get) {
            return;
        }
        let level = tim_level(event.metadata().level());
        let mut line = Line(String::new());
        event.record(&mut line);
        let line = format!(
            "[{}] {}:{}",
            event.metadata().level(),
            event.metadata().target(),
            line.0
        );
        if CONSOLE_NOW.load(Ordering::Relaxed)
            && passes(level, LOG_LEVEL_NOW.load(Ordering::Relaxed))
        {
            eprintln!("{line}");
        }
        if passes(level, CALLBACK_LEVEL_NOW.load(Ordering::Relaxed)) && events::has_log_callback() {
            let dispatcher = sink().clone();
            if let Some(dispatcher) = dispatcher {
                dispatcher.post(move || deliver(level, &line));
            }
        }
    }
}

/// Formats an event's fields: the message first, then `name=value` pairs.
struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, " {value:?}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            let _ = write!(self.0, " {value}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }
}

/// Runs on the SDK thread: calls the log callback registered now, if any.
fn deliver(level: i32, line: &str) {
    let Some((cb, user_data)) = events::log_callback() else {
        return;
    };
    let line = c_string(line);
    IN_LOG_CALLBACK.with(|flag| flag.set(true));
    // SAFETY: registered with the TIMLogCallback prototype; the string outlives the call.
    unsafe { cb(level, line.as_ptr(), user_data.ptr()) }
    IN_LOG_CALLBACK.with(|flag| flag.set(false));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_map_and_off_passes_nothing() {
        assert_eq!(tim_level(&Level::TRACE), 2);
        assert_eq!(tim_level(&Level::ERROR), 6);
        assert!(passes(4, 4));
        assert!(!passes(3, 4));
        assert!(!passes(6, 0));
    }
}
