//! The SDK thread: one std thread draining a channel of jobs, so every callback runs on it, in
//! the order the jobs were posted. Nothing else runs C code on our threads.
//!
//! Contract: a job is never run while any lock of this crate is held, so a callback may call
//! any TIM function (including `TIMUninit`, which then does not wait for this thread).

use crate::ffi::CommCallback;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::thread::{self, JoinHandle, ThreadId};
use tim_model::codes;

type Job = Box<dyn FnOnce() + Send>;

/// Posts jobs to the SDK thread. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Dispatcher {
    jobs: mpsc::Sender<Job>,
}

impl Dispatcher {
    /// Queues `job` behind every job posted before it. After `TIMUninit` stopped the thread the
    /// job is dropped.
    pub fn post(&self, job: impl FnOnce() + Send + 'static) {
        // An error means the thread is gone (TIMUninit); there is nobody left to call.
        let _ = self.jobs.send(Box::new(job));
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
        Ok((Self { handle }, Dispatcher { jobs }))
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

    /// Posts the callback with this outcome.
    pub fn finish(mut self, code: i32, desc: String, json_params: String) {
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
            "TIMUninit ended the call before it completed".to_owned(),
            String::new(),
        );
    }
}
