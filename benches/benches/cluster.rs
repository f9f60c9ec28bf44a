//! tim-server as a cluster, against a PostgreSQL floor measured in the same run. Everything
//! runs on this machine: the nodes (child processes), PostgreSQL (initdb into a temp dir,
//! default durability: fsync and synchronous commit on), nats-server, and the load.
//!
//! Measured, each with the same load (senders, each with a window of sends in flight, every
//! recipient online and reading):
//!
//! - C2C messages per second and send-to-ack p50/p99 under that load, of 1 node on redb, of 1
//!   node on PostgreSQL and of 3 nodes on PostgreSQL and NATS (senders and recipients spread
//!   over the nodes, so most messages cross nodes);
//! - the 3 nodes under a steady 3,000 C2C messages per second (`TIM_BENCH_RATE`) for 15 s
//!   (`TIM_BENCH_PACED_SECONDS`), open loop: each send is due at a fixed time and its latency
//!   counts from then (p50, p99, p99.9 and the slowest);
//! - a hot group: 100 members spread over the 3 nodes, all online, 10 of them sending: group
//!   messages per second (acknowledged) and send-to-ack p50/p99;
//! - the floor: single-row `INSERT` + `COMMIT` on one connection (commits per second and
//!   latency), and the same from 8 connections at once.
//!
//! Run: `cargo bench -p tim-benches --bench cluster` (needs PostgreSQL's server binaries and
//! nats-server, as the tests do). `TIM_BENCH_SENDERS` (default 60) and `TIM_BENCH_WINDOW`
//! (sends in flight per sender, default 4) change the load. Under `cargo test --benches` it
//! runs a small smoke version.

#[path = "server/child.rs"]
mod child;
#[path = "server/wire.rs"]
mod wire;

use child::{BUS_ENV, STORAGE_ENV, ServerProcess};
use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;
use tim_benches::latency::{Latencies, micros};
use tim_proto::v1::{self, client_frame::Body as Request, server_frame::Body as Response};
use tim_server::testing::nats::TestNats;
use tim_server::testing::postgres::TestPostgres;
use tokio::task::JoinSet;
use wire::{Session, Wire, describe, send_text};

const C2C: i32 = 1;
const GROUP: i32 = 2;

struct Settings {
    senders: usize,
    messages_per_sender: usize,
    window: usize,
    group_members: usize,
    group_senders: usize,
    group_messages_per_sender: usize,
    floor_commits: usize,
    /// The steady rate of the open-loop run on 3 nodes, messages per second.
    paced_rate: f64,
    /// How long the open-loop run lasts: long enough that one scheduling hiccup of the
    /// shared cores does not make the p99 on its own (at 3,000/s over 4 s, 40 ms of traffic
    /// was the whole top 1%).
    paced_seconds: f64,
}

/// `name` from the environment, if set to a number.
fn env_number(name: &str) -> Option<usize> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

impl Settings {
    fn new(benchmarking: bool) -> Self {
        if benchmarking {
            Self {
                senders: env_number("TIM_BENCH_SENDERS").unwrap_or(60),
                messages_per_sender: 200,
                window: env_number("TIM_BENCH_WINDOW").unwrap_or(4),
                group_members: 100,
                group_senders: 10,
                group_messages_per_sender: 100,
                floor_commits: 2000,
                paced_rate: env_number("TIM_BENCH_RATE").unwrap_or(3000) as f64,
                paced_seconds: env_number("TIM_BENCH_PACED_SECONDS").unwrap_or(15) as f64,
            }
        } else {
            Self {
                senders: 6,
                messages_per_sender: 10,
                window: 4,
                group_members: 10,
                group_senders: 2,
                group_messages_per_sender: 5,
                floor_commits: 50,
                paced_rate: 100.0,
                paced_seconds: 0.6,
            }
        }
    }
}

/// What one load run measured.
struct Load {
    per_sec: f64,
    latencies: Latencies,
}

fn main() -> ExitCode {
    child::main("cluster", |benchmarking| run(&Settings::new(benchmarking)))
}

/// A fresh database on `postgres`.
fn database(postgres: &TestPostgres, name: &str) -> Result<String, String> {
    postgres.psql("postgres", &format!("CREATE DATABASE {name}"))?;
    Ok(postgres.url(name))
}

fn run(settings: &Settings) -> Result<(), String> {
    let work = tempfile::Builder::new()
        .prefix("tim-bench-cluster-")
        .tempdir()
        .map_err(|err| format!("temp dir: {err}"))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| format!("runtime: {err}"))?;
    let postgres = TestPostgres::start()?;
    let nats = TestNats::start()?;

    println!("floor: PostgreSQL single-row INSERT + COMMIT");
    let floor_url = database(&postgres, "floor")?;
    let (floor_one, floor_rate) =
        runtime.block_on(pg_floor(&floor_url, settings.floor_commits, 1))?;
    print_latency("  one connection", &floor_one);
    println!("  one connection: {floor_rate:.0} commits/s");
    let (_, floor_rate8) = runtime.block_on(pg_floor(&floor_url, settings.floor_commits, 8))?;
    println!("  8 connections: {floor_rate8:.0} commits/s");

    let mut rows = Vec::new();
    let _entered = runtime.enter();
    // 1 node on redb.
    {
        let node = ServerProcess::start_with(&work.path().join("redb"), &[])?;
        let wires = vec![Arc::new(Wire::new(node.address, node.der.clone())?)];
        let load = runtime.block_on(c2c_load(&wires, settings, "r"))?;
        node.stop()?;
        rows.push(("1 node, redb", load));
    }
    // 1 node on PostgreSQL.
    {
        let url = database(&postgres, "one")?;
        let node =
            ServerProcess::start_with(&work.path().join("pg1"), &[(STORAGE_ENV, url.clone())])?;
        let wires = vec![Arc::new(Wire::new(node.address, node.der.clone())?)];
        let load = runtime.block_on(c2c_load(&wires, settings, "p"))?;
        node.stop()?;
        rows.push(("1 node, PostgreSQL", load));
    }
    // 3 nodes on PostgreSQL and NATS.
    let group_load;
    let paced_load;
    {
        let url = database(&postgres, "three")?;
        let mut nodes = Vec::new();
        for index in 0..3 {
            nodes.push(ServerProcess::start_with(
                &work.path().join(format!("node{index}")),
                &[(STORAGE_ENV, url.clone()), (BUS_ENV, nats.url())],
            )?);
        }
        let wires = nodes
            .iter()
            .map(|node| Wire::new(node.address, node.der.clone()).map(Arc::new))
            .collect::<Result<Vec<_>, _>>()?;
        let load = runtime.block_on(c2c_load(&wires, settings, "c"));
        let paced = runtime.block_on(c2c_paced(&wires, settings, "q", settings.paced_rate));
        let group = runtime.block_on(group_load_run(&wires, settings));
        for node in nodes {
            node.stop()?;
        }
        rows.push(("3 nodes, PostgreSQL + NATS", load?));
        paced_load = paced?;
        group_load = group?;
    }

    println!();
    println!(
        "C2C load: {} senders x {} messages, {} in flight each, every recipient online",
        settings.senders, settings.messages_per_sender, settings.window
    );
    println!(
        "| setup | messages/s | send-to-ack p50 | p99 | messages/s / PostgreSQL commits/s (1 conn) |"
    );
    println!("|---|---|---|---|---|");
    for (name, load) in &rows {
        println!(
            "| {name} | {:.0} | {:.1} ms | {:.1} ms | {:.2} |",
            load.per_sec,
            micros(load.latencies.p50()) / 1000.0,
            micros(load.latencies.p99()) / 1000.0,
            load.per_sec / floor_rate.max(1.0)
        );
    }
    println!(
        "3 nodes at a steady {:.0} messages/s for {:.0} s (open loop, latency from each send's \
         due time): {:.0} messages/s achieved, send-to-ack p50 {:.1} ms, p99 {:.1} ms, p99.9 \
         {:.1} ms, slowest {:.1} ms",
        settings.paced_rate,
        settings.paced_seconds,
        paced_load.per_sec,
        micros(paced_load.latencies.p50()) / 1000.0,
        micros(paced_load.latencies.p99()) / 1000.0,
        micros(paced_load.latencies.percentile(99.9)) / 1000.0,
        micros(paced_load.latencies.percentile(100.0)) / 1000.0,
    );
    println!(
        "hot group ({} members over 3 nodes, {} senders): {:.0} messages/s, send-to-ack p50 \
         {:.1} ms, p99 {:.1} ms",
        settings.group_members,
        settings.group_senders,
        group_load.per_sec,
        micros(group_load.latencies.p50()) / 1000.0,
        micros(group_load.latencies.p99()) / 1000.0,
    );
    if let (Some((_, one)), Some((_, three))) = (rows.get(1), rows.get(2)) {
        println!(
            "1 -> 3 nodes on PostgreSQL: throughput x{:.2}",
            three.per_sec / one.per_sec.max(1.0)
        );
    }
    let verdict = |met: bool| if met { "met" } else { "NOT met" };
    let paced_p99_ms = micros(paced_load.latencies.p99()) / 1000.0;
    println!(
        "targets: 3 nodes sustain 3,000 C2C messages/s with p99 under 100 ms: {} ({:.0}/s at \
         p99 {paced_p99_ms:.1} ms); a hot group of 100 members at least 300 messages/s: {} \
         ({:.0}/s)",
        verdict(
            settings.paced_rate >= 3000.0
                && paced_load.per_sec >= 0.98 * settings.paced_rate
                && paced_p99_ms < 100.0
        ),
        paced_load.per_sec,
        verdict(settings.group_members >= 100 && group_load.per_sec >= 300.0),
        group_load.per_sec,
    );
    drop(nats);
    drop(postgres);
    Ok(())
}

fn print_latency(what: &str, latencies: &Latencies) {
    println!(
        "{what}: p50 {:.0} us, p99 {:.0} us",
        micros(latencies.p50()),
        micros(latencies.p99())
    );
}

/// Single-row insert + commit, `commits` in all over `connections` connections.
async fn pg_floor(
    url: &str,
    commits: usize,
    connections: usize,
) -> Result<(Latencies, f64), String> {
    let mut clients = Vec::new();
    for _ in 0..connections {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .map_err(|err| format!("floor connect: {err}"))?;
        tokio::spawn(connection);
        clients.push(client);
    }
    clients[0]
        .batch_execute("CREATE TABLE IF NOT EXISTS floor (k bigserial PRIMARY KEY, v bytea)")
        .await
        .map_err(|err| format!("floor table: {err}"))?;
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    let per = commits.div_ceil(connections);
    for client in clients {
        tasks.spawn(async move {
            let insert = client
                .prepare("INSERT INTO floor (v) VALUES ($1)")
                .await
                .map_err(|err| format!("floor prepare: {err}"))?;
            let mut latencies = Latencies::new();
            let payload = vec![7u8; 200];
            for _ in 0..per {
                let began = Instant::now();
                client
                    .execute(&insert, &[&payload])
                    .await
                    .map_err(|err| format!("floor insert: {err}"))?;
                latencies.push(began.elapsed());
            }
            Ok::<_, String>(latencies)
        });
    }
    let mut all = Latencies::new();
    while let Some(joined) = tasks.join_next().await {
        all.absorb(joined.map_err(|err| err.to_string())??);
    }
    let rate = (per * connections) as f64 / started.elapsed().as_secs_f64().max(1e-6);
    Ok((all, rate))
}

/// Logs in `count` sessions `<prefix>_<n>`, session `n` on node `n % nodes`.
async fn sessions(wires: &[Arc<Wire>], prefix: &str, count: usize) -> Result<Vec<Session>, String> {
    let mut tasks = JoinSet::new();
    for n in 0..count {
        let wire = wires[n % wires.len()].clone();
        let user = format!("{prefix}_{n}");
        tasks.spawn(async move { (n, wire.session(&user, "d1").await) });
    }
    let mut by_index = HashMap::new();
    while let Some(joined) = tasks.join_next().await {
        let (n, session) = joined.map_err(|err| err.to_string())?;
        by_index.insert(n, session?);
    }
    (0..count)
        .map(|n| {
            by_index
                .remove(&n)
                .ok_or_else(|| format!("session {n} missing"))
        })
        .collect()
}

/// Drives `session` to `quota` acknowledged sends of `request(n)`, `window` in flight,
/// reading pushes meanwhile; returns the send-to-ack latencies.
async fn drive(
    mut session: Session,
    quota: usize,
    window: usize,
    request: impl Fn(usize) -> Request,
) -> Result<Latencies, String> {
    let mut in_flight: HashMap<u64, Instant> = HashMap::new();
    let mut latencies = Latencies::new();
    let (mut sent, mut acked) = (0, 0);
    while acked < quota {
        while sent < quota && in_flight.len() < window {
            let id = session.write(request(sent)).await?;
            in_flight.insert(id, Instant::now());
            sent += 1;
        }
        let frame = session.read().await?;
        let Some(started) = in_flight.remove(&frame.request_id) else {
            continue;
        };
        match frame.body {
            Some(Response::SendMessage(_)) => {
                latencies.push(started.elapsed());
                acked += 1;
            }
            Some(other) => return Err(format!("send failed: {}", describe(&other))),
            None => return Err("an answer without a body".into()),
        }
    }
    Ok(latencies)
}

/// Runs one task per session (`task(index, session)`, each returning its latencies) and
/// gathers them with the messages per second of `messages` in all.
async fn run_senders<F>(
    sessions: Vec<Session>,
    messages: usize,
    task: impl Fn(usize, Session) -> F,
) -> Result<Load, String>
where
    F: std::future::Future<Output = Result<Latencies, String>> + Send + 'static,
{
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    for (index, session) in sessions.into_iter().enumerate() {
        tasks.spawn(task(index, session));
    }
    let mut latencies = Latencies::new();
    while let Some(joined) = tasks.join_next().await {
        latencies.absorb(joined.map_err(|err| err.to_string())??);
    }
    let elapsed = started.elapsed().as_secs_f64().max(1e-6);
    Ok(Load {
        per_sec: messages as f64 / elapsed,
        latencies,
    })
}

/// Sends `quota` requests on a fixed schedule, one every `interval` (open loop: a slow answer
/// does not delay the next send, up to 64 in flight), and measures each latency from the
/// moment its send was due, so queueing anywhere counts.
async fn drive_paced(
    mut session: Session,
    quota: usize,
    interval: std::time::Duration,
    offset: std::time::Duration,
    request: impl Fn(usize) -> Request,
) -> Result<Latencies, String> {
    let start = tokio::time::Instant::now() + offset;
    let mut in_flight: HashMap<u64, tokio::time::Instant> = HashMap::new();
    let mut latencies = Latencies::new();
    let (mut sent, mut acked) = (0usize, 0usize);
    while acked < quota {
        let due = start + interval * u32::try_from(sent).unwrap_or(u32::MAX);
        let can_send = sent < quota && in_flight.len() < 64;
        let frame = if can_send {
            tokio::select! {
                _ = tokio::time::sleep_until(due) => {
                    let id = session.write(request(sent)).await?;
                    in_flight.insert(id, due);
                    sent += 1;
                    continue;
                }
                frame = session.read() => frame?,
            }
        } else {
            session.read().await?
        };
        let Some(due) = in_flight.remove(&frame.request_id) else {
            continue;
        };
        match frame.body {
            Some(Response::SendMessage(_)) => {
                latencies.push(due.elapsed());
                acked += 1;
            }
            Some(other) => return Err(format!("send failed: {}", describe(&other))),
            None => return Err("an answer without a body".into()),
        }
    }
    Ok(latencies)
}

/// Every sender sends to the next session (on the next node), together `rate` messages per
/// second on a fixed schedule.
async fn c2c_paced(
    wires: &[Arc<Wire>],
    settings: &Settings,
    prefix: &str,
    rate: f64,
) -> Result<Load, String> {
    let count = settings.senders;
    let all = sessions(wires, prefix, count).await?;
    let interval = std::time::Duration::from_secs_f64(count as f64 / rate.max(1.0));
    let quota = ((rate * settings.paced_seconds / count as f64).round() as usize).max(1);
    run_senders(all, count * quota, |index, session| {
        let peer = format!("{prefix}_{}", (index + 1) % count);
        let label = format!("{prefix}-{index}");
        // The senders' schedules are spread over the interval: a steady stream, not bursts.
        let offset = interval.mul_f64(index as f64 / count as f64);
        drive_paced(session, quota, interval, offset, move |n| {
            send_text(C2C, &peer, format!("{label}-{n}"), "paced load")
        })
    })
    .await
}

/// Every sender sends to the next session (on the next node), `window` in flight.
async fn c2c_load(wires: &[Arc<Wire>], settings: &Settings, prefix: &str) -> Result<Load, String> {
    let count = settings.senders;
    let all = sessions(wires, prefix, count).await?;
    let (quota, window) = (settings.messages_per_sender, settings.window);
    run_senders(all, count * quota, |index, session| {
        let peer = format!("{prefix}_{}", (index + 1) % count);
        let label = format!("{prefix}-{index}");
        drive(session, quota, window, move |n| {
            send_text(C2C, &peer, format!("{label}-{n}"), "cluster load")
        })
    })
    .await
}

/// A group of `group_members` over the nodes, all online; `group_senders` of them send.
async fn group_load_run(wires: &[Arc<Wire>], settings: &Settings) -> Result<Load, String> {
    let members = sessions(wires, "hot", settings.group_members).await?;
    let mut members = members.into_iter();
    let mut owner = members.next().ok_or("no members")?;
    let created = owner
        .call(Request::CreateGroup(v1::CreateGroupRequest {
            group_id: Some("hot".into()),
            group_type: 1,
            name: "hot".into(),
            add_option: 2,
            member_ids: (1..settings.group_members)
                .map(|n| format!("hot_{n}"))
                .collect(),
            ..Default::default()
        }))
        .await?;
    let Response::CreateGroup(_) = created else {
        return Err(format!("create group: {}", describe(&created)));
    };
    let mut everyone = vec![owner];
    everyone.extend(members);
    let started = Instant::now();
    let mut tasks = JoinSet::new();
    let mut readers = JoinSet::new();
    for (index, session) in everyone.into_iter().enumerate() {
        if index < settings.group_senders {
            let quota = settings.group_messages_per_sender;
            tasks.spawn(drive(session, quota, 4, move |n| {
                send_text(GROUP, "hot", format!("hot-{index}-{n}"), "hot group")
            }));
        } else {
            // The other members read their pushes until the senders are done.
            readers.spawn(async move {
                let mut session = session;
                loop {
                    if session.read().await.is_err() {
                        break;
                    }
                }
            });
        }
    }
    let mut latencies = Latencies::new();
    while let Some(joined) = tasks.join_next().await {
        latencies.absorb(joined.map_err(|err| err.to_string())??);
    }
    let elapsed = started.elapsed().as_secs_f64().max(1e-6);
    readers.abort_all();
    Ok(Load {
        per_sec: (settings.group_senders * settings.group_messages_per_sender) as f64 / elapsed,
        latencies,
    })
}
