//! tim-server against the floors of this machine, measured in the same run.
//!
//! The server runs in a child process (`server/child.rs`); clients speak the wire protocol
//! directly (`server/wire.rs`), so the numbers are the server's. Measured:
//!
//! - send-to-ack latency of one C2C message (one in flight), p50 and p99, against a raw quinn
//!   request/response round trip plus one `fdatasync` of the data disk: the floor of an
//!   acknowledged, durable message;
//! - sustained C2C messages per second from 100 connected clients (each with up to 32 sends in
//!   flight, every recipient online), against redb's batched insert rate;
//! - fan-out: the time from sending one message to a group of 1,000 and of 10,000 members, all
//!   online, until the last member has it;
//! - server memory per idle logged-in connection (resident set of the server process).
//!
//! Run: `cargo bench -p tim-benches --bench server`; `TIM_BENCH_DIR` picks where the data goes
//! (default: the system temp dir). Under `cargo test --benches` it runs a small smoke version.
//!
//! The clients spread their sessions over several client endpoints (UDP sockets) with large
//! kernel buffers (`server/wire.rs`): one endpoint's default buffer drops most of a fan-out
//! burst, and the drops, not the server, then set the fan-out time (loss-recovery timeouts).
//!
//! `TIM_BENCH_ONLY` runs only some parts: a comma-separated list of `floors`, `ack`, `idle`,
//! `throughput`, `fanout` (default: all). The ratios of the parts not run are printed as 0.
//! `TIM_BENCH_FANOUT` replaces the fan-out group sizes: a comma-separated list of numbers.

#[path = "server/baseline.rs"]
mod baseline;
#[path = "server/child.rs"]
mod child;
#[path = "server/wire.rs"]
mod wire;

use child::ServerProcess;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tim_benches::latency::{Latencies, micros};
use tim_proto::v1::{self, client_frame::Body as Request, server_frame::Body as Response};
use tokio::task::JoinSet;
use wire::{Session, Wire, describe, send_text};

/// TIMConvType numbers on the wire.
const C2C: i32 = 1;
const GROUP: i32 = 2;
/// TIMGroupAddOption "any": members may join by themselves.
const ADD_ANY: i32 = 2;
/// Members added per request (the server's cap).
const ADD_CHUNK: usize = 500;
/// Sessions connecting at the same time.
const CONNECT_CONCURRENCY: usize = 64;

/// How big this run is.
struct Settings {
    latency_samples: usize,
    senders: usize,
    messages_per_sender: usize,
    window: usize,
    fanout_groups: Vec<usize>,
    idle_connections: usize,
    floor_samples: usize,
    redb_messages: usize,
    parent_dir: PathBuf,
    /// The parts to run (`TIM_BENCH_ONLY`); `None` runs every part.
    only: Option<Vec<String>>,
}

impl Settings {
    fn new(benchmarking: bool) -> Self {
        let parent_dir =
            std::env::var_os("TIM_BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
        let only = std::env::var("TIM_BENCH_ONLY").ok().map(|parts| {
            parts
                .split(',')
                .map(|part| part.trim().to_owned())
                .filter(|part| !part.is_empty())
                .collect()
        });
        if benchmarking {
            Self {
                latency_samples: 3_000,
                senders: 100,
                messages_per_sender: 2_000,
                window: 32,
                fanout_groups: Self::fanout_groups(vec![1_000, 10_000]),
                idle_connections: 2_000,
                floor_samples: 3_000,
                redb_messages: 200_000,
                parent_dir,
                only,
            }
        } else {
            Self {
                latency_samples: 50,
                senders: 10,
                messages_per_sender: 50,
                window: 8,
                fanout_groups: Self::fanout_groups(vec![50]),
                idle_connections: 20,
                floor_samples: 50,
                redb_messages: 2_000,
                parent_dir,
                only,
            }
        }
    }

    /// The fan-out group sizes: `TIM_BENCH_FANOUT` if set, else `default`.
    fn fanout_groups(default: Vec<usize>) -> Vec<usize> {
        std::env::var("TIM_BENCH_FANOUT")
            .ok()
            .map(|sizes| {
                sizes
                    .split(',')
                    .filter_map(|size| size.trim().parse().ok())
                    .collect()
            })
            .unwrap_or(default)
    }

    /// Whether the part `name` runs.
    fn runs(&self, name: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|parts| parts.iter().any(|part| part == name))
    }
}

fn main() -> ExitCode {
    child::main("server", |benchmarking| run(&Settings::new(benchmarking)))
}

fn run(settings: &Settings) -> Result<(), String> {
    let work = tempfile::Builder::new()
        .prefix("tim-bench-server-")
        .tempdir_in(&settings.parent_dir)
        .map_err(|err| format!("temp dir: {err}"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| format!("runtime: {err}"))?;

    let (quinn_rtt, fsync, redb) = if settings.runs("floors") {
        println!("floors");
        let quinn_rtt = runtime.block_on(async {
            let mut echo = baseline::QuinnEcho::start().await?;
            let trips = echo.round_trips(settings.floor_samples).await;
            echo.close();
            trips
        })?;
        print_latency("  raw quinn round trip", &quinn_rtt);
        let fsync = baseline::fdatasync(work.path(), settings.floor_samples)?;
        print_latency("  fdatasync", &fsync);
        let redb = baseline::redb_floor(
            work.path(),
            settings.floor_samples / 3,
            settings.redb_messages,
        )?;
        print_latency("  redb durable commit", &redb.commit);
        println!(
            "  redb batched insert ({} per commit): {:.0} msgs/s",
            baseline::REDB_BATCH,
            redb.batched_per_sec
        );
        (quinn_rtt, fsync, redb)
    } else {
        (
            Latencies::new(),
            Latencies::new(),
            baseline::RedbFloor::default(),
        )
    };

    let server = ServerProcess::start(&work.path().join("server"))?;
    let _entered = runtime.enter();
    let wire = Arc::new(Wire::new(server.address, server.der.clone())?);
    let results = runtime.block_on(measure(settings, &wire, &server));
    server.stop()?;
    let results = results?;

    let floor = quinn_rtt.p50() + fsync.p50();
    println!();
    println!("tim-server, ratios against floors measured in this run");
    println!(
        "  send-to-ack p50 {:>8.0} us  p99 {:>8.0} us   floor (quinn RTT + fdatasync) p50 {:>6.0} us   ratio p50 {:.2}  (target <= 2)",
        micros(results.ack.p50()),
        micros(results.ack.p99()),
        micros(floor),
        results.ack.p50().as_secs_f64() / floor.as_secs_f64().max(1e-9)
    );
    println!(
        "  throughput {:>10.0} msgs/s ({} clients)   redb batched insert {:>8.0} msgs/s   ratio {:.2}  (target >= 20,000 msgs/s)",
        results.throughput,
        settings.senders,
        redb.batched_per_sec,
        results.throughput / redb.batched_per_sec.max(1.0)
    );
    for (members, time) in &results.fanout {
        println!(
            "  fan-out to {members:>6} online members: last delivery after {:>8.1} ms  (target < 1 s for 10,000)",
            time.as_secs_f64() * 1e3
        );
    }
    println!(
        "  memory per idle connection {:>8.1} KiB  ({} connections; target < 50 KiB)",
        results.idle_bytes_per_connection / 1024.0,
        settings.idle_connections
    );
    Ok(())
}

/// What the server achieved.
struct Results {
    ack: Latencies,
    throughput: f64,
    fanout: Vec<(usize, Duration)>,
    idle_bytes_per_connection: f64,
}

async fn measure(
    settings: &Settings,
    wire: &Arc<Wire>,
    server: &ServerProcess,
) -> Result<Results, String> {
    let mut ack = Latencies::new();
    if settings.runs("ack") {
        println!("send-to-ack latency");
        ack = ack_latency(wire, settings.latency_samples).await?;
        print_latency("  send to ack", &ack);
    }

    let mut idle_bytes_per_connection = 0.0;
    if settings.runs("idle") {
        println!("idle connections");
        let before = server.rss_bytes();
        let idle = connect_all(wire, "idle", settings.idle_connections).await?;
        let after = server.rss_bytes();
        idle_bytes_per_connection =
            after.saturating_sub(before) as f64 / settings.idle_connections.max(1) as f64;
        println!(
            "  server RSS {:.1} MiB -> {:.1} MiB",
            before as f64 / 1048576.0,
            after as f64 / 1048576.0
        );
        drop(idle);
    }

    let mut throughput_per_sec = 0.0;
    if settings.runs("throughput") {
        println!("throughput");
        throughput_per_sec = throughput(wire, settings).await?;
        println!("  {throughput_per_sec:.0} msgs/s");
    }

    let mut fanout = Vec::new();
    let fanout_groups: &[usize] = if settings.runs("fanout") {
        &settings.fanout_groups
    } else {
        &[]
    };
    for &members in fanout_groups {
        println!("fan-out to {members} members");
        let time = fan_out(wire, members).await?;
        println!("  last member after {:.1} ms", time.as_secs_f64() * 1e3);
        fanout.push((members, time));
    }
    Ok(Results {
        ack,
        throughput: throughput_per_sec,
        fanout,
        idle_bytes_per_connection,
    })
}

/// One sender, one message in flight, to an offline peer: the pure store-and-ack path.
async fn ack_latency(wire: &Wire, samples: usize) -> Result<Latencies, String> {
    let mut session = wire.session("lat_sender", "d1").await?;
    let mut latencies = Latencies::new();
    for n in 0..samples + samples / 10 {
        let request = send_text(C2C, "lat_peer", format!("lat-{n}"), "hello, are you there?");
        let started = Instant::now();
        let answer = session.call(request).await?;
        let elapsed = started.elapsed();
        let Response::SendMessage(ack) = answer else {
            return Err(format!("send {n}: {}", describe(&answer)));
        };
        if ack.seq != (n + 1) as u64 {
            return Err(format!("send {n} got seq {}", ack.seq));
        }
        if n >= samples / 10 {
            latencies.push(elapsed);
        }
    }
    Ok(latencies)
}

/// Logs in `count` sessions named `<prefix>_<n>`, a bounded number at a time.
async fn connect_all(wire: &Arc<Wire>, prefix: &str, count: usize) -> Result<Vec<Session>, String> {
    let mut sessions = Vec::with_capacity(count);
    let mut tasks = JoinSet::new();
    let mut next = 0;
    while sessions.len() < count {
        while next < count && tasks.len() < CONNECT_CONCURRENCY {
            let wire = wire.clone();
            let user = format!("{prefix}_{next}");
            tasks.spawn(async move { wire.session(&user, "d1").await });
            next += 1;
        }
        match tasks.join_next().await {
            Some(joined) => sessions.push(joined.map_err(|err| err.to_string())??),
            None => break,
        }
    }
    Ok(sessions)
}

/// Every client sends to the next one with up to `window` sends in flight, while reading the
/// pushes of what the previous one sends it.
async fn throughput(wire: &Arc<Wire>, settings: &Settings) -> Result<f64, String> {
    let sessions = connect_all(wire, "tp", settings.senders).await?;
    let senders = settings.senders;
    let quota = settings.messages_per_sender;
    let window = settings.window;
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for (index, mut session) in sessions.into_iter().enumerate() {
        // Session `n` was named by its position in the join order, not by `n`: address peers
        // by the position here so that every client sends to exactly one other.
        let peer = format!("tp_{}", (index + 1) % senders);
        tasks.spawn(async move {
            let (mut sent, mut acked) = (0, 0);
            while acked < quota {
                while sent < quota && sent - acked < window {
                    let msg_id = format!("tp-{index}-{sent}");
                    session
                        .write(send_text(C2C, &peer, msg_id, "throughput"))
                        .await?;
                    sent += 1;
                }
                let frame = session.read().await?;
                match frame.body {
                    Some(Response::SendMessage(_)) => acked += 1,
                    Some(Response::Error(error)) if frame.request_id != 0 => {
                        return Err(format!("send failed: {} {}", error.code, error.desc));
                    }
                    _ => {}
                }
            }
            Ok::<_, String>(session)
        });
    }
    let mut finished = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        finished.push(joined.map_err(|err| err.to_string())??);
    }
    let elapsed = started.elapsed().max(Duration::from_micros(1));
    Ok((senders * quota) as f64 / elapsed.as_secs_f64())
}

/// Creates a group of `members` (plus its owner), brings every member online, sends one
/// message and waits until every member has it.
async fn fan_out(wire: &Arc<Wire>, members: usize) -> Result<Duration, String> {
    let prefix = format!("fan{members}");
    let mut owner = wire.session(&format!("{prefix}_owner"), "d1").await?;
    let created = owner
        .call(Request::CreateGroup(v1::CreateGroupRequest {
            group_id: Some(prefix.clone()),
            group_type: 1,
            name: prefix.clone(),
            add_option: ADD_ANY,
            ..Default::default()
        }))
        .await?;
    let Response::CreateGroup(_) = created else {
        return Err(format!("create group: {}", describe(&created)));
    };
    let names: Vec<String> = (0..members).map(|n| format!("{prefix}_{n}")).collect();
    for chunk in names.chunks(ADD_CHUNK) {
        let added = owner
            .call(Request::AddGroupMembers(v1::AddGroupMembersRequest {
                group_id: prefix.clone(),
                user_ids: chunk.to_vec(),
            }))
            .await?;
        let Response::AddGroupMembers(result) = added else {
            return Err(format!("add members: {}", describe(&added)));
        };
        if let Some(failed) = result.results.iter().find(|r| r.code != 0) {
            return Err(format!(
                "add {}: {} {}",
                failed.user_id, failed.code, failed.desc
            ));
        }
    }
    let sessions = connect_all(wire, &prefix, members).await?;
    let msg_id = format!("{prefix}-hello");
    let mut waiting = JoinSet::new();
    for mut session in sessions {
        let msg_id = msg_id.clone();
        waiting.spawn(async move {
            session.wait_for_message(&msg_id).await?;
            Ok::<_, String>((Instant::now(), session))
        });
    }
    let started = Instant::now();
    let answer = owner
        .call(send_text(GROUP, &prefix, msg_id.clone(), "everyone: hello"))
        .await?;
    let Response::SendMessage(_) = answer else {
        return Err(format!("group send: {}", describe(&answer)));
    };
    let mut last = started;
    let mut received = 0;
    let mut sessions = Vec::with_capacity(members);
    while let Some(joined) = tokio::time::timeout(Duration::from_secs(120), waiting.join_next())
        .await
        .map_err(|_| {
            format!("fan-out: only {received} of {members} members got the message in 120 s")
        })?
    {
        let (at, session) = joined.map_err(|err| err.to_string())??;
        last = last.max(at);
        received += 1;
        sessions.push(session);
    }
    Ok(last.duration_since(started))
}

fn print_latency(name: &str, latencies: &Latencies) {
    println!(
        "{name}: p50 {:.0} us, p99 {:.0} us ({} samples)",
        micros(latencies.p50()),
        micros(latencies.p99()),
        latencies.len()
    );
}
