//! The SDK thread: one std thread draining a channel of jobs, so every callback runs on it, in
//! the order the jobs were posted. Nothing else runs C code on our threads.
//!
//! Contract: a job is never run while any lock of this crate is held, so a callback may call
//! any TIM function (including `TIMUninit`, which then does not wait for this thread).

use crate::ffi::CommCallback;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread::{self, JoinHandle, ThreadId};
use tim_model::codes;

type Job = Box<dyn FnOnce() + Send>;

/// Posts jobs to the SDK thread. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Dispatcher {
    jobs: mpsc::Sender<Job>,
    /// Set by `TIMUninit` before it closes the client.
    ending: Arc<AtomicBool>,
}

impl Dispatcher {
    /// `TIMUninit` started: calls that fail from now on were cut short by it (6013).
    pub fn end(&self) {
        self.ending.store(true, Ordering::SeqCst);
    }

    /// Whether `TIMUninit` started.
    pub fn is_ending(&self) -> bool {
        self.ending.load(Ordering::SeqCst)
    }

    /// Queues `job` behind every job posted before it. After `TIMUninit` stopped the thread the
    /// job is dropped.
    pub fn post(&self, job: impl FnOnce() + Send + 'static) {
        // An error means the thread is gone (TIMUninit); there is nobody left to call.
        let _ = self.jobs.send(Box::new(job));
    }
}

/// Keeps the callbacks of one login in order: while a `TIMLogin` is under way, event jobs
/// are held, and its callback is queued before them. So the login callback precedes every
/// event its session produced (the Connected status, the messages synced at login), although
/// events and the login outcome reach this crate on different tasks.
#[derive(Debug, Default)]
pub struct LoginGate {
    state: Mutex<GateState>,
}

#[derive(Default)]
struct GateState {
    /// `TIMLogin` calls not yet called back.
    logins: usize,
    held: Vec<Job>,
}

impl std::fmt::Debug for GateState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GateState")
            .field("logins", &self.logins)
            .field("held", &self.held.len())
            .finish()
    }
}

impl LoginGate {
    fn state(&self) -> std::sync::MutexGuard<'_, GateState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A login starts: events from now on wait for its [`finish`](Self::finish).
    pub fn begin(&self) {
        self.state().logins += 1;
    }

    /// A login ends: `post_callback` queues its callback, then the held events follow (once
    /// no other login is under way). `post_callback` must only queue, never run C code.
    pub fn finish(&self, dispatcher: &Dispatcher, post_callback: impl FnOnce()) {
        let mut state = self.state();
        post_callback();
        state.logins = state.logins.saturating_sub(1);
        if state.logins == 0 {
            for job in state.held.drain(..) {
                dispatcher.post(job);
            }
        }
    }

    /// A poster of event jobs through this gate.
    pub fn sender(self: &Arc<Self>, dispatcher: Dispatcher) -> GatedSender {
        GatedSender {
            gate: Arc::clone(self),
            dispatcher,
        }
    }
}

/// Posts event jobs through a [`LoginGate`].
#[derive(Debug, Clone)]
pub struct GatedSender {
    gate: Arc<LoginGate>,
    dispatcher: Dispatcher,
}

impl GatedSender {
    /// Queues `job`, or holds it while a login is under way.
    pub fn post(&self, job: impl FnOnce() + Send + 'static) {
        let mut state = self.gate.state();
        if state.logins > 0 {
            state.held.push(Box::new(job));
        } else {
            self.dispatcher.post(job);
        }
    }
}

/// The SDK thread itself.
#[derive(Debug)]
pub struct SdkThread {
    handle: JoinHandle<()>,
}

impl SdkThread {
    /// Starts the thread; it ends once every [`Dispatcher`] is dropped and the queue is empty.
    pub fn start() -> std::io::Result<(Self, Dispatcher)> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let handle = thread::Builder::new()
            .name("tim-sdk".to_owned())
            .spawn(move || {
                for job in queue {
                    // A panic in our own part of a job must not end the thread; a C callback
                    // cannot unwind into us (that would abort, as C++ exceptions through C do).
                    let _ = catch_unwind(AssertUnwindSafe(job));
                }
            })?;
        let ending = Arc::new(AtomicBool::new(false));
        Ok((Self { handle }, Dispatcher { jobs, ending }))
    }

    /// The thread's ID (to detect a `TIMUninit` called from a callback).
    pub fn id(&self) -> ThreadId {
        self.handle.thread().id()
    }

    /// Waits for the thread to run what is queued and end, unless called on it (then it ends
    /// by itself when the current job returns).
    pub fn join(self) {
        if thread::current().id() != self.id() {
            let _ = self.handle.join();
        }
    }
}

/// The description of a call cut short by `TIMUninit`.
const UNINIT_DESC: &str = "TIMUninit ended the call before it completed";

/// The one callback of a call that returned `TIM_SUCC`: called exactly once, on the SDK
/// thread. If the work is dropped unfinished (`TIMUninit` stopped the runtime), it is called
/// with `ERR_SDK_NOT_INITIALIZED` (6013) so the promise of one call still holds.
#[derive(Debug)]
pub struct Completion {
    callback: Option<CommCallback>,
    dispatcher: Dispatcher,
}

impl Completion {
    /// A completion for `callback` (`None`: the caller passed a NULL function).
    pub fn new(callback: Option<CommCallback>, dispatcher: Dispatcher) -> Self {
        Self {
            callback,
            dispatcher,
        }
    }

    /// Posts the callback with this outcome. A failure after `TIMUninit` started (the client
    /// it closed answers "not logged in") is reported as what it is: cut short, 6013.
    pub fn finish(mut self, code: i32, desc: String, json_params: String) {
        if code != 0 && self.dispatcher.is_ending() {
            self.post(
                codes::ERR_SDK_NOT_INITIALIZED,
                UNINIT_DESC.to_owned(),
                String::new(),
            );
            return;
        }
        self.post(code, desc, json_params);
    }

    fn post(&mut self, code: i32, desc: String, json_params: String) {
        if let Some(callback) = self.callback.take() {
            self.dispatcher
                .post(move || callback.call(code, &desc, &json_params));
        }
    }
}

impl Drop for Completion {
    fn drop(&mut self) {
        self.post(
            codes::ERR_SDK_NOT_INITIALIZED,
            UNINIT_DESC.to_owned(),
            String::new(),
        );
    }
}
