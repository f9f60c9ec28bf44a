//! Server crash test: `tim serve` runs as a child process and is SIGKILLed at random moments
//! while clients send C2C and group messages and upload files and images. After each restart
//! on the same data directory and port, fresh devices check that every acknowledged message
//! is stored exactly once at the seq of its ack, that every conversation's seqs are 1..=n,
//! that each user's event log is gap-free and agrees with history, and that every
//! acknowledged upload downloads byte for byte. Unacknowledged sends and uploads are retried
//! with the same IDs in the next round, as a client does. At the end a sweep must leave no
//! staged upload and no blob without an owner.
//!
//! 20 rounds by default; `TIM_SOAK_ROUNDS=500` for a soak. `TIM_CRASH_SEED` replays a run's
//! kill delays and contents (the seed is printed first).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::check::{Checked, Seen, Target, check};
use support::rng::{Rng, run_seed};
use support::serve::{ServeProcess, ServeSpec};
use support::sweep::sweep_and_check;
use support::wire::WireClient;
use support::workload::{ConvKey, Job, Ledger, RoundContext, Worker};
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;

const APP: u64 = 1_400_000_001;
const KEY: &str = "crash-test-secret";
const USERS: [&str; 4] = ["u0", "u1", "u2", "u3"];
const GROUP: &str = "crash-room";
const DEFAULT_ROUNDS: usize = 20;
/// The kill comes this long after the round's load starts, at most.
const MAX_KILL_DELAY_MS: u64 = 600;
/// Older uploads downloaded again at a full check (besides the round's own); the last check
/// downloads all.
const SAMPLE_UPLOADS: usize = 50;
/// Longest a worker may take to hand itself back after the kill.
const WORKER_WAIT: Duration = Duration::from_secs(60);

fn env_number(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

fn fail(seed: u64, what: &str, problems: &[String]) -> ! {
    let shown: Vec<&String> = problems.iter().take(20).collect();
    panic!(
        "{what}: {} problems (replay with TIM_CRASH_SEED={seed}):\n{}",
        problems.len(),
        shown
            .iter()
            .map(|p| format!("  {p}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Runs one round of load; when `kill_after` is given the server is SIGKILLed then (and the
/// returned server is `None`).
async fn run_round(
    workers: Vec<Worker>,
    server: ServeProcess,
    ledger: Ledger,
    round: usize,
    kill_after: Option<Duration>,
) -> (Vec<Worker>, Option<ServeProcess>, Ledger) {
    let context = Arc::new(RoundContext {
        addr: server.addr,
        fingerprint: server.fingerprint.clone(),
        app: (APP, KEY.to_owned()),
        round,
        flush_only: kill_after.is_none(),
        ledger: Mutex::new(ledger),
        killed_at: Mutex::new(None),
    });
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let handles: Vec<_> = workers
        .into_iter()
        .map(|worker| tokio::spawn(worker.run(context.clone(), stopped.clone())))
        .collect();
    let server = match kill_after {
        Some(delay) => {
            // The delay is the test's input (a random moment), not a wait for an event.
            tokio::time::sleep(delay).await;
            *context.killed_at.lock().unwrap() = Some(Instant::now());
            server.killed().await;
            stop.send_replace(true);
            None
        }
        None => Some(server),
    };
    let mut workers = Vec::new();
    for handle in handles {
        let worker = tokio::time::timeout(WORKER_WAIT, handle)
            .await
            .expect("a worker did not stop in time")
            .expect("a worker panicked");
        workers.push(worker);
    }
    let Ok(context) = Arc::try_unwrap(context) else {
        panic!("a worker kept the round's context");
    };
    (workers, server, context.ledger.into_inner().unwrap())
}

/// Creates the group every user is in.
async fn create_group(server: &ServeProcess) {
    let owner = WireClient::login(
        server.addr,
        &server.fingerprint,
        (APP, KEY),
        USERS[0],
        "setup",
    )
    .await
    .unwrap();
    owner
        .request(Request::CreateGroup(v1::CreateGroupRequest {
            group_id: Some(GROUP.into()),
            group_type: 0,
            name: "crash test".into(),
            member_ids: USERS[1..].iter().map(|u| u.to_string()).collect(),
            ..Default::default()
        }))
        .await
        .unwrap();
}

/// The checks of one restart, with what earlier checks read.
struct Checker {
    seed: u64,
    convs: Vec<ConvKey>,
    seen: Seen,
    samples: Rng,
}

impl Checker {
    /// Checks the server against the ledger: everything when `full` (downloading the round's
    /// uploads and a sample of older ones, or all of them when `all_uploads`), else what is
    /// new since the last check and the round's uploads.
    async fn check(
        &mut self,
        server: &ServeProcess,
        ledger: &Ledger,
        round: usize,
        full: bool,
        all_uploads: bool,
    ) -> Checked {
        let what = format!("check after round {round}");
        if !ledger.failures.is_empty() {
            fail(self.seed, &what, &ledger.failures);
        }
        let (mut uploads, older): (Vec<_>, Vec<_>) =
            ledger.uploads.iter().partition(|u| u.round == round);
        if all_uploads {
            uploads.extend(older);
        } else if full && !older.is_empty() {
            for _ in 0..SAMPLE_UPLOADS.min(older.len()) {
                uploads.push(older[self.samples.range(0, older.len() as u64 - 1) as usize]);
            }
        }
        let target = Target {
            addr: server.addr,
            fingerprint: &server.fingerprint,
            app: (APP, KEY),
            device: format!("check-r{round}"),
        };
        check(
            &target,
            &USERS,
            &self.convs,
            ledger,
            &uploads,
            &mut self.seen,
            full,
        )
        .await
        .unwrap_or_else(|problems| fail(self.seed, &what, &problems))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_messages_and_uploads_survive_sigkill_at_random_moments() {
    let began = Instant::now();
    let rounds = env_number("TIM_SOAK_ROUNDS")
        .unwrap_or(DEFAULT_ROUNDS)
        .max(1);
    let full_every = env_number("TIM_CRASH_FULL_EVERY").unwrap_or(10).max(1);
    let seed = run_seed();
    println!("crash test: {rounds} rounds, seed {seed} (replay with TIM_CRASH_SEED={seed})");
    let rng = Rng::new(seed);
    let mut kill_delays = rng.fork("kill delays");
    let dir = tempfile::tempdir().unwrap();
    let mut spec = ServeSpec {
        data_dir: dir.path().join("data"),
        listen: "127.0.0.1:0".parse().unwrap(),
        log: dir.path().join("serve.log"),
        app: APP,
        key: KEY.to_owned(),
        extra: Vec::new(),
    };
    let mut server = ServeProcess::started(&spec).await;
    spec.listen = server.addr;
    let fingerprint = server.fingerprint.clone();
    println!("tim serve on {} (log: {})", server.addr, spec.log.display());
    create_group(&server).await;

    let pair_a = ConvKey::c2c(USERS[0], USERS[1]);
    let pair_b = ConvKey::c2c(USERS[2], USERS[3]);
    let group = ConvKey::Group(GROUP.into());
    let mut workers = vec![
        Worker::new(USERS[0], pair_a.clone(), Job::Text, &rng),
        Worker::new(USERS[1], pair_a.clone(), Job::Text, &rng),
        Worker::new(USERS[2], pair_b.clone(), Job::Text, &rng),
        Worker::new(USERS[0], group.clone(), Job::Text, &rng),
        Worker::new(USERS[1], group.clone(), Job::Text, &rng),
        Worker::new(USERS[2], group.clone(), Job::Text, &rng),
        Worker::new(USERS[0], pair_a.clone(), Job::File, &rng),
        Worker::new(USERS[3], group.clone(), Job::Image, &rng),
    ];
    let mut checker = Checker {
        seed,
        convs: vec![pair_a, pair_b, group],
        seen: Seen::default(),
        samples: rng.fork("download samples"),
    };
    let mut ledger = Ledger::default();
    let mut restart_times = Vec::new();

    for round in 1..=rounds {
        let delay = Duration::from_millis(kill_delays.range(0, MAX_KILL_DELAY_MS));
        let (back, _, held) = run_round(workers, server, ledger, round, Some(delay)).await;
        (workers, ledger) = (back, held);
        server = ServeProcess::started(&spec).await;
        restart_times.push(server.start_time);
        assert_eq!(server.fingerprint, fingerprint, "the certificate changed");
        let full = round % full_every == 0 || round == rounds;
        let checking = Instant::now();
        let checked = checker.check(&server, &ledger, round, full, false).await;
        let counts = ledger.round;
        println!(
            "round {round:>3}/{rounds}: killed after {:>3} ms: {:>3} acks ({} duplicate), {} uploads ({} resumed), {} sends unacknowledged; restart {:.0} ms; checked {} messages ({} stored unacked), {} events, {} files{} in {:.0} ms",
            delay.as_millis(),
            counts.acks,
            counts.duplicate_acks,
            counts.uploads,
            counts.resumed_uploads,
            ledger.unacked(),
            server.start_time.as_secs_f64() * 1000.0,
            checked.messages,
            checked.stored_unacked,
            checked.events,
            checked.downloads,
            if full { " (full check)" } else { "" },
            checking.elapsed().as_secs_f64() * 1000.0,
        );
        ledger.round = Default::default();
    }

    // A last round that is not killed: every pending send and upload is retried until acked.
    let (_, alive, ledger) = run_round(workers, server, ledger, rounds + 1, None).await;
    let server = alive.expect("the flush round keeps the server");
    let last = checker
        .check(&server, &ledger, rounds + 1, true, true)
        .await;
    assert_eq!(
        ledger.unacked(),
        0,
        "the flush round left sends unacknowledged"
    );
    server.killed().await;
    let swept = sweep_and_check(
        &spec.data_dir,
        spec.listen,
        (APP, KEY),
        &ledger,
        &last.owned_files,
    )
    .await
    .unwrap_or_else(|why| panic!("{why}"));
    let total = ledger.total;
    let mean = restart_times.iter().sum::<Duration>() / restart_times.len() as u32;
    let slowest = restart_times.iter().max().copied().unwrap_or_default();
    println!(
        "crash test summary: {rounds} SIGKILLs, seed {seed}: {} acks ({} of retries already stored), {} messages each stored exactly once at its acked seq; {} uploads acknowledged ({} resumed after a kill), all downloaded byte for byte; restart mean {:.0} ms, max {:.0} ms; sweep removed {} staged files and {} unreferenced files, left {} blob files, {} of them owned by no message; {:.1} s",
        total.acks,
        total.duplicate_acks,
        last.messages,
        total.uploads,
        total.resumed_uploads,
        mean.as_secs_f64() * 1000.0,
        slowest.as_secs_f64() * 1000.0,
        swept.sweep.staged_files,
        swept.sweep.collected_files,
        swept.blobs_left,
        swept.orphans,
        began.elapsed().as_secs_f64(),
    );
    if !swept.problems.is_empty() {
        fail(seed, "sweep after the crashes", &swept.problems);
    }
}

/// The checks themselves, on made-up answers: a gap, a message stored twice, a lost
/// acknowledged message, changed content, a message nobody sent and a gap in an event log
/// are each reported.
#[test]
fn the_checks_find_gaps_duplicates_and_lost_messages() {
    use support::check::{check_history, check_sync};
    use support::workload::{SentMessage, summary};

    let conv = ConvKey::c2c("u0", "u1");
    let text = |content: &str| {
        vec![v1::Elem {
            body: Some(v1::elem::Body::Text(v1::TextElem {
                content: content.into(),
            })),
        }]
    };
    let mut ledger = Ledger::default();
    for (n, msg_id) in ["m1", "m2", "m3"].iter().enumerate() {
        ledger.messages.insert(
            msg_id.to_string(),
            SentMessage {
                conv: conv.clone(),
                sender: "u0".into(),
                summary: summary(&text(msg_id)),
                files: Vec::new(),
                acked_seq: Some(n as u64 + 1),
            },
        );
    }
    let stored = |msg_id: &str, seq: u64, content: &str| v1::Message {
        elems: text(content),
        sender: "u0".into(),
        msg_id: Some(msg_id.into()),
        seq,
        ..Default::default()
    };
    let problems = |history: &[v1::Message]| {
        let mut problems = Vec::new();
        check_history(
            &conv,
            history,
            &ledger,
            &mut Checked::default(),
            &mut problems,
        );
        problems.join("\n")
    };
    let good = [
        stored("m1", 1, "m1"),
        stored("m2", 2, "m2"),
        stored("m3", 3, "m3"),
    ];
    assert_eq!(problems(&good), "");
    let gap = problems(&[stored("m1", 1, "m1"), stored("m3", 3, "m3")]);
    assert!(
        gap.contains("not 1..=n") && gap.contains("m2, acknowledged with seq 2, is missing"),
        "{gap}"
    );
    let twice = problems(&[
        stored("m1", 1, "m1"),
        stored("m2", 2, "m2"),
        stored("m2", 3, "m2"),
        stored("m3", 4, "m3"),
    ]);
    assert!(
        twice.contains("m2 is stored twice")
            && twice.contains("acknowledged with seq 3 is stored at 4"),
        "{twice}"
    );
    let changed = problems(&[
        stored("m1", 1, "m1"),
        stored("m2", 2, "other"),
        stored("m3", 3, "m3"),
    ]);
    assert!(changed.contains("m2 holds"), "{changed}");
    let stranger = problems(&[
        stored("m1", 1, "m1"),
        stored("m2", 2, "m2"),
        stored("m3", 3, "m3"),
        stored("x", 4, "x"),
    ]);
    assert!(stranger.contains("x, which nobody sent"), "{stranger}");

    let event = |cursor: u64, msg_id: &str| {
        v1::sync_event::Event::NewMessage(v1::NewMessagePush {
            cursor,
            message: Some(stored(msg_id, cursor, msg_id)),
        })
    };
    let ids: Vec<String> = ["m1", "m2", "m3"].iter().map(|s| s.to_string()).collect();
    let expected = ids.iter().collect();
    let mut found = Vec::new();
    check_sync(
        "u0",
        &[event(1, "m1"), event(2, "m2"), event(3, "m3")],
        3,
        &expected,
        &mut found,
    );
    assert!(found.is_empty(), "{found:?}");
    check_sync(
        "u0",
        &[event(1, "m1"), event(3, "m2"), event(4, "m2")],
        4,
        &expected,
        &mut found,
    );
    let found = found.join("\n");
    assert!(
        found.contains("gap or a repeat")
            && found.contains("m2 is synced twice")
            && found.contains("in history only [\"m3\"]"),
        "{found}"
    );
}
