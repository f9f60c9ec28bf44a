//! Group commit: one thread owns every write transaction. It takes all write requests waiting
//! in its queue (up to `max_commit_ops` operations), applies them in one durable commit, then
//! answers each request and pushes the stored messages to online devices. Many concurrent
//! senders therefore share one fsync instead of paying one each.
//!
//! Answers and pushes happen only after the commit: an acknowledged or pushed message is
//! durable. If a batch fails, each request of it is retried alone so that one bad request
//! cannot fail the others.

use crate::hub::Hub;
use crate::offline_push::OfflinePush;
use crate::storage::{Applied, Refusal, Storage, StorageError, WriteOp, WriteOutcome};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use tokio::sync::{mpsc, oneshot};

/// The answer to one write request: one result per op, or the storage failure.
pub(crate) type WriteReply = Result<Vec<Result<Applied, Refusal>>, StorageError>;

enum Message {
    Job(Job),
    Stop,
}

struct Job {
    ops: Vec<WriteOp>,
    reply: Respond,
}

/// Where the answer of a job goes.
enum Respond {
    /// To a task waiting on the channel.
    Channel(oneshot::Sender<WriteReply>),
    /// To a callback run on the writer thread (it must not block).
    Call(Answer),
}

impl Respond {
    fn send(self, reply: WriteReply) {
        match self {
            Self::Channel(tx) => {
                let _ = tx.send(reply);
            }
            Self::Call(answer) => answer.call(reply),
        }
    }
}

/// A callback that receives the answer to a write on the writer thread, right after the commit
/// and before the pushes of that commit: the requester's answer leaves first, and no task
/// needs waking in between. Dropped unanswered, it answers that the writer stopped.
pub(crate) struct Answer(Option<Box<dyn FnOnce(WriteReply) + Send>>);

impl Answer {
    /// Wraps `callback`; it must be quick and must not block (it runs on the writer thread).
    pub fn new(callback: impl FnOnce(WriteReply) + Send + 'static) -> Self {
        Self(Some(Box::new(callback)))
    }

    fn call(mut self, reply: WriteReply) {
        if let Some(callback) = self.0.take() {
            callback(reply);
        }
    }
}

impl Drop for Answer {
    fn drop(&mut self) {
        if let Some(callback) = self.0.take() {
            callback(Err(StorageError::new("the writer stopped")));
        }
    }
}

/// The handle of the writer thread.
pub(crate) struct Writer {
    tx: mpsc::Sender<Message>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Writer {
    /// Starts the writer thread.
    pub fn start(
        storage: Arc<dyn Storage>,
        hub: Arc<Hub>,
        offline: Arc<OfflinePush>,
        queue: usize,
        max_commit_ops: usize,
    ) -> Result<Self, StorageError> {
        let (tx, rx) = mpsc::channel(queue.max(1));
        let fanout = Fanout { hub, offline };
        let thread = std::thread::Builder::new()
            .name("tim-server-writer".into())
            .spawn(move || run(storage, fanout, rx, max_commit_ops.max(1)))
            .map_err(|e| StorageError::new(format!("cannot start the writer thread: {e}")))?;
        Ok(Self {
            tx,
            thread: Mutex::new(Some(thread)),
        })
    }

    /// Write requests waiting in the queue.
    fn queued(&self) -> usize {
        self.tx.max_capacity().saturating_sub(self.tx.capacity())
    }

    /// Queues `ops` (waiting while the queue is full) and returns where the answer will come.
    pub async fn submit(&self, ops: Vec<WriteOp>) -> oneshot::Receiver<WriteReply> {
        let (reply, answer) = oneshot::channel();
        self.queue(ops, Respond::Channel(reply)).await;
        answer
    }

    /// Queues `ops` (waiting while the queue is full); `answer` gets the result on the writer
    /// thread.
    pub async fn submit_then(&self, ops: Vec<WriteOp>, answer: Answer) {
        self.queue(ops, Respond::Call(answer)).await;
    }

    async fn queue(&self, ops: Vec<WriteOp>, reply: Respond) {
        crate::metrics::get()
            .write_queue
            .set(i64::try_from(self.queued()).unwrap_or(i64::MAX));
        if let Err(mpsc::error::SendError(Message::Job(job))) =
            self.tx.send(Message::Job(Job { ops, reply })).await
        {
            job.reply
                .send(Err(StorageError::new("the server is shutting down")));
        }
    }

    /// Queues `ops` and waits for the answer.
    pub async fn write(&self, ops: Vec<WriteOp>) -> WriteReply {
        self.submit(ops)
            .await
            .await
            .unwrap_or_else(|_| Err(StorageError::new("the writer stopped")))
    }

    /// Finishes the queued requests and stops the thread.
    pub async fn shutdown(&self) {
        let _ = self.tx.send(Message::Stop).await;
        let thread = self
            .thread
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take();
        if let Some(thread) = thread {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }
}

/// Where committed deliveries go: online devices, then the offline push queue.
struct Fanout {
    hub: Arc<Hub>,
    offline: Arc<OfflinePush>,
}

fn run(storage: Arc<dyn Storage>, fanout: Fanout, mut rx: mpsc::Receiver<Message>, max_ops: usize) {
    let mut stop = false;
    while !stop {
        let Some(first) = rx.blocking_recv() else {
            break;
        };
        let mut jobs = Vec::new();
        let mut ops = 0usize;
        match first {
            Message::Job(job) => {
                ops += job.ops.len();
                jobs.push(job);
            }
            Message::Stop => stop = true,
        }
        while !stop && ops < max_ops {
            match rx.try_recv() {
                Ok(Message::Job(job)) => {
                    ops += job.ops.len();
                    jobs.push(job);
                }
                Ok(Message::Stop) => stop = true,
                Err(_) => break,
            }
        }
        if !jobs.is_empty() {
            commit(storage.as_ref(), &fanout, jobs);
        }
    }
}

fn commit(storage: &dyn Storage, fanout: &Fanout, jobs: Vec<Job>) {
    let counts: Vec<usize> = jobs.iter().map(|job| job.ops.len()).collect();
    let mut replies = Vec::with_capacity(jobs.len());
    let mut all_ops = Vec::with_capacity(counts.iter().sum());
    for job in jobs {
        all_ops.extend(job.ops.iter().cloned());
        replies.push((job.reply, job.ops));
    }
    let metrics = crate::metrics::get();
    metrics.commit_ops.observe(all_ops.len() as f64);
    let started = std::time::Instant::now();
    let applied = storage.apply(all_ops);
    metrics
        .commit_seconds
        .observe(started.elapsed().as_secs_f64());
    if applied.is_err() {
        metrics.storage_errors.inc();
    }
    match applied {
        Ok(outcomes) => {
            let mut outcomes = outcomes.into_iter();
            let mut pushes = Pushes::default();
            let mut answers = Vec::with_capacity(replies.len());
            for ((reply, _), count) in replies.into_iter().zip(counts) {
                answers.push((reply, take_results(&mut outcomes, count, &mut pushes)));
            }
            // Offline push decides who is online in the foreground before anyone hears of the
            // commit, so an app-state change sent after an ack never changes its decision
            // (in-memory checks only; nothing when no push gateway is configured).
            for delivery in &pushes.deliveries {
                fanout.offline.offer(delivery);
            }
            for (reply, results) in answers {
                reply.send(Ok(results));
            }
            for delivery in &pushes.deliveries {
                fanout.hub.deliver(delivery);
            }
            for notice in &pushes.notices {
                fanout.hub.deliver_notice(notice);
            }
        }
        // One request, or a storage that cannot be reached (every request alone would wait
        // out the same connection attempt): each request gets the error.
        Err(error) if replies.len() == 1 || error.is_unreachable() => {
            tracing::error!("write failed: {error}");
            for (reply, _) in replies {
                reply.send(Err(error.clone()));
            }
        }
        Err(error) => {
            tracing::warn!("batch write failed ({error}); retrying each request alone");
            for (reply, ops) in replies {
                commit(storage, fanout, vec![Job { ops, reply }]);
            }
        }
    }
}

/// What a committed batch pushes, in the order of its ops.
#[derive(Default)]
struct Pushes {
    deliveries: Vec<crate::storage::Delivery>,
    notices: Vec<crate::storage::NoticeDelivery>,
}

fn take_results(
    outcomes: &mut impl Iterator<Item = WriteOutcome>,
    count: usize,
    pushes: &mut Pushes,
) -> Vec<Result<Applied, Refusal>> {
    let mut results = Vec::with_capacity(count);
    for _ in 0..count {
        match outcomes.next() {
            Some(outcome) => {
                pushes.deliveries.extend(outcome.deliveries);
                pushes.notices.extend(outcome.notices);
                results.push(outcome.result);
            }
            None => results.push(Err(Refusal::new(
                tim_model::codes::ERR_SDK_INTERNAL_ERROR,
                "the storage answered fewer writes than asked",
            ))),
        }
    }
    results
}
