//! Three `tim serve` nodes as child processes on one PostgreSQL and one nats-server, all real
//! and started by the test, with tim-rs clients that list every node (their home node first):
//!
//! - users on different nodes talk one-to-one and in a group, and receipts, revokes,
//!   modifications and extensions cross the nodes;
//! - a node SIGKILLed mid-traffic: its clients reach another node and every acknowledged
//!   message is stored exactly once, at contiguous seqs; nats-server restarted mid-traffic:
//!   nothing acknowledged is lost; PostgreSQL stopped: sends fail with a clear code, and once it
//!   is back they go through again, with nothing acknowledged lost.
//!
//! The figures (failover time, outage behaviour) are printed.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::serve::{ServeProcess, ServeSpec};
use tim_rs::model::enums::GroupAddOption;
use tim_rs::{
    Client, ClientConfig, CreateGroupParam, Event, GroupId, Message, ServerTrust, UserId,
    text_message, text_of,
};
use tim_server::testing::nats::TestNats;
use tim_server::testing::postgres::TestPostgres;

const APP: u64 = 1_400_000_001;
const KEY: &str = "cluster-test-secret";
/// The longest any single wait may take.
const WAIT: Duration = Duration::from_secs(30);
/// The goal: a client of a SIGKILLed node is acknowledged on another node within this long
/// (the test fails only beyond five times it).
const FAILOVER_GOAL: Duration = Duration::from_secs(3);

struct Cluster {
    dir: tempfile::TempDir,
    postgres: Arc<TestPostgres>,
    nats: Arc<TestNats>,
    specs: Vec<ServeSpec>,
    nodes: Vec<Option<ServeProcess>>,
    fingerprint: String,
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

impl Cluster {
    async fn start(nodes: usize) -> Self {
        let postgres = Arc::new(
            blocking(TestPostgres::start)
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        );
        let nats = Arc::new(
            blocking(TestNats::start)
                .await
                .unwrap_or_else(|e| panic!("{e}")),
        );
        let dir = tempfile::tempdir().unwrap();
        let mut cluster = Self {
            specs: Vec::new(),
            nodes: Vec::new(),
            fingerprint: String::new(),
            dir,
            postgres,
            nats,
        };
        for index in 0..nodes {
            let data_dir = cluster.dir.path().join(format!("node{index}"));
            std::fs::create_dir_all(&data_dir).unwrap();
            // One blob directory for all nodes, as a network file system mounted at
            // `<data_dir>/blobs` would be (what `--blob-dir-shared` promises).
            let blobs = cluster.dir.path().join("blobs");
            std::fs::create_dir_all(&blobs).unwrap();
            std::os::unix::fs::symlink(&blobs, data_dir.join("blobs")).unwrap();
            if index > 0 {
                // Every node serves with the first node's certificate.
                let first = cluster.dir.path().join("node0");
                for file in [tim_server::cert::CERT_FILE, tim_server::cert::KEY_FILE] {
                    std::fs::copy(first.join(file), data_dir.join(file)).unwrap();
                }
            }
            let mut spec = ServeSpec {
                data_dir,
                listen: "127.0.0.1:0".parse().unwrap(),
                log: cluster.dir.path().join(format!("node{index}.log")),
                app: APP,
                key: KEY.to_owned(),
                extra: vec![
                    "--storage".into(),
                    cluster.postgres.postgres_url("postgres"),
                    "--bus".into(),
                    cluster.nats.url(),
                    "--blob-dir-shared".into(),
                ],
            };
            let process = ServeProcess::started(&spec).await;
            spec.listen = process.addr;
            if index == 0 {
                cluster.fingerprint = process.fingerprint.clone();
            } else {
                assert_eq!(process.fingerprint, cluster.fingerprint);
            }
            cluster.specs.push(spec);
            cluster.nodes.push(Some(process));
        }
        cluster
    }

    async fn kill(&mut self, index: usize) {
        if let Some(node) = self.nodes[index].take() {
            node.killed().await;
        }
    }

    /// Every node's address, `home` first.
    fn addresses(&self, home: usize) -> String {
        let mut order: Vec<usize> = (0..self.specs.len()).collect();
        order.rotate_left(home);
        order
            .iter()
            .map(|&i| self.specs[i].listen.to_string())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// A logged-in client of `user` whose home node is `home`.
    async fn client(&self, user: &str, home: usize) -> (Client, tim_rs::Events) {
        let data = self
            .dir
            .path()
            .join(format!("client-{user}-{}", rand_suffix()));
        let trust = ServerTrust::parse(&self.fingerprint).unwrap();
        let mut config = ClientConfig::new(self.addresses(home), trust, APP, data);
        config.request_timeout = Duration::from_secs(10);
        config.reconnect_initial = Duration::from_millis(50);
        config.reconnect_max = Duration::from_millis(500);
        let client = Client::new(config).unwrap();
        let events = client.events();
        let sig = tim_server::usersig::gen_user_sig(APP, KEY, user, 86_400);
        client.login(user, &sig).await.unwrap();
        (client, events)
    }
}

/// The message's ID as text.
fn id_of(message: &Message) -> String {
    message
        .msg_id
        .as_ref()
        .map(|id| id.as_str().to_owned())
        .unwrap_or_default()
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The first event `pick` accepts, within [`WAIT`].
async fn wait_for<T>(events: &mut tim_rs::Events, mut pick: impl FnMut(&Event) -> Option<T>) -> T {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let event = tokio::time::timeout_at(deadline, events.next())
            .await
            .expect("no such event in time")
            .expect("event stream ended");
        if let Some(found) = pick(&event) {
            return found;
        }
    }
}

/// Waits until the events of a live client have brought every message of `ids`.
async fn receive_all(events: &mut tim_rs::Events, mut ids: HashSet<String>) {
    wait_for(events, |event| {
        if let Event::NewMessages(messages) = event {
            for message in messages {
                ids.remove(&id_of(message));
            }
        }
        ids.is_empty().then_some(())
    })
    .await;
}

async fn new_text(events: &mut tim_rs::Events, text: &str) -> Message {
    wait_for(events, |event| match event {
        Event::NewMessages(messages) => messages.iter().find(|m| text_of(m) == text).cloned(),
        _ => None,
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_carry_messages_receipts_revokes_modifications_and_extensions() {
    let cluster = Cluster::start(3).await;
    let (alice, mut alice_events) = cluster.client("alice", 0).await;
    let (bob, mut bob_events) = cluster.client("bob", 1).await;
    let (carol, _carol_events) = cluster.client("carol", 2).await;

    // One-to-one across nodes, with a read receipt coming back.
    let mut hello = text_message("hello bob");
    hello.need_read_receipt = true;
    let (_, handle) = alice.c2c("bob").unwrap().send(hello).unwrap();
    let hello = handle.await.unwrap();
    let got = new_text(&mut bob_events, "hello bob").await;
    assert_eq!(got.seq, hello.seq);
    bob.c2c("alice")
        .unwrap()
        .send_read_receipts(std::slice::from_ref(&got))
        .await
        .unwrap();
    wait_for(&mut alice_events, |event| match event {
        Event::ReadReceipts(receipts) => receipts
            .iter()
            .any(|r| r.msg_id == id_of(&hello))
            .then_some(()),
        _ => None,
    })
    .await;

    // A group over the three nodes: a message from carol reaches alice and bob; bob sets an
    // extension alice hears about.
    let group = alice
        .create_group(CreateGroupParam {
            group_id: GroupId::new("trio").ok(),
            add_option: GroupAddOption::Any,
            member_ids: vec![UserId::new("bob").unwrap(), UserId::new("carol").unwrap()],
            ..CreateGroupParam::default()
        })
        .await
        .unwrap();
    let mut news = text_message("news for the trio");
    news.support_message_extension = true;
    let (_, handle) = carol
        .group_conversation(group.id().as_str())
        .unwrap()
        .send(news)
        .unwrap();
    let news = handle.await.unwrap();
    new_text(&mut alice_events, "news for the trio").await;
    let at_bob = new_text(&mut bob_events, "news for the trio").await;
    bob.group_conversation("trio")
        .unwrap()
        .set_message_extensions(
            &at_bob,
            vec![tim_rs::model::MessageExtension {
                key: "vote".into(),
                value: "yes".into(),
            }],
        )
        .await
        .unwrap();
    wait_for(&mut alice_events, |event| match event {
        Event::ExtensionsChanged { extensions, .. } => {
            extensions.iter().any(|e| e.key == "vote").then_some(())
        }
        _ => None,
    })
    .await;

    // Carol modifies her message and alice revokes hers: each reaches the other node.
    let mut edited = news.clone();
    edited.elems = text_message("edited news").elems;
    carol
        .group_conversation("trio")
        .unwrap()
        .modify(edited)
        .await
        .unwrap();
    wait_for(&mut bob_events, |event| match event {
        Event::MessageModified(message) => (text_of(message) == "edited news").then_some(()),
        _ => None,
    })
    .await;
    alice.c2c("bob").unwrap().revoke(&hello).await.unwrap();
    wait_for(&mut bob_events, |event| match event {
        Event::MessageRevoked(info) => (info.locator.seq == hello.seq).then_some(()),
        _ => None,
    })
    .await;
}

/// Sends `count` messages from `client` to `peer`, returning each acknowledged one by ID.
async fn send_many(
    client: &Client,
    peer: &str,
    label: &str,
    count: usize,
    acked: &mut HashMap<String, u64>,
) -> (usize, Vec<i32>, Vec<Instant>) {
    let conversation = client.c2c(peer).unwrap();
    let mut failures = Vec::new();
    let mut ok = 0;
    let mut ack_times = Vec::new();
    for index in 0..count {
        let (queued, handle) = conversation
            .send(text_message(&format!("{label}-{index}")))
            .unwrap();
        match tokio::time::timeout(WAIT, handle).await {
            Ok(Ok(stored)) => {
                acked.insert(id_of(&queued), stored.seq.0);
                ok += 1;
                ack_times.push(Instant::now());
            }
            Ok(Err(error)) => failures.push(error.code),
            Err(_) => failures.push(-1),
        }
    }
    (ok, failures, ack_times)
}

/// Checks the conversation as a fresh device of `reader` on `home` pulls it: every
/// acknowledged message once at its seq, no ID twice, seqs 1..=n.
async fn check_history(
    cluster: &Cluster,
    reader: &str,
    home: usize,
    peer: &str,
    acked: &HashMap<String, u64>,
) {
    let (client, _events) = cluster.client(reader, home).await;
    let conversation = client.c2c(peer).unwrap();
    let mut messages = conversation.history(100).await.unwrap();
    for _ in 0..100 {
        let Some(oldest) = messages.iter().min_by_key(|m| m.seq.0).cloned() else {
            break;
        };
        if oldest.seq.0 <= 1 {
            break;
        }
        let older = conversation.older_than(&oldest, 100).await.unwrap();
        if older.is_empty() {
            break;
        }
        messages.extend(older);
    }
    let mut seqs: Vec<u64> = messages.iter().map(|m| m.seq.0).collect();
    seqs.sort_unstable();
    seqs.dedup();
    assert_eq!(seqs.len(), messages.len(), "a seq appears twice");
    assert_eq!(
        seqs,
        (1..=seqs.len() as u64).collect::<Vec<_>>(),
        "seqs are not 1..=n"
    );
    let mut by_id: HashMap<String, u64> = HashMap::new();
    for message in &messages {
        let previous = by_id.insert(id_of(message), message.seq.0);
        assert!(previous.is_none(), "{} stored twice", id_of(message));
    }
    for (id, seq) in acked {
        assert_eq!(
            by_id.get(id),
            Some(seq),
            "acknowledged {id} missing or moved"
        );
    }
    client.logout().await.unwrap();

    // The reader's event log, as a fresh device syncs it on the wire: one event per message,
    // at cursors 1..=n with no gap.
    let wire = support::wire::WireClient::login(
        cluster.specs[home].listen,
        &cluster.fingerprint,
        (APP, KEY),
        reader,
        "log-check",
    )
    .await
    .unwrap();
    let (events, _) = wire.sync_from(0).await.unwrap();
    let cursors: Vec<u64> = events
        .iter()
        .map(|event| match event {
            tim_proto::v1::sync_event::Event::NewMessage(push) => push.cursor,
            other => panic!("unexpected event in the log: {other:?}"),
        })
        .collect();
    assert_eq!(
        cursors,
        (1..=messages.len() as u64).collect::<Vec<_>>(),
        "the log's cursors are 1..=n, one per message"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_node_a_bus_restart_and_a_database_outage_lose_nothing() {
    let mut cluster = Cluster::start(3).await;
    let (sender, _sender_events) = cluster.client("sender", 0).await;
    let (_receiver, mut receiver_events) = cluster.client("receiver", 1).await;
    let mut acked = HashMap::new();

    // Node 0 is SIGKILLed while its client sends: the client moves on and goes on sending.
    let (ok, _, _) = send_many(&sender, "receiver", "before", 10, &mut acked).await;
    assert_eq!(ok, 10);
    new_text(&mut receiver_events, "before-9").await;
    // The kill comes mid-traffic: once the fifth of the next sends has reached the receiver.
    let killer = async {
        new_text(&mut receiver_events, "during-4").await;
        cluster.kill(0).await;
    };
    let mut during = HashMap::new();
    let ((), (ok, failures, ack_times)) = tokio::join!(
        killer,
        send_many(&sender, "receiver", "during", 30, &mut during)
    );
    // The failover as the sender saw it: the longest wait between two acknowledgements
    // (sends go one at a time, so a dead node shows as one long gap).
    let failover = ack_times
        .windows(2)
        .map(|pair| pair[1].saturating_duration_since(pair[0]))
        .max()
        .unwrap_or_default();
    println!(
        "node 0 killed: {ok} of 30 sends acknowledged, failures {failures:?}; the longest wait \
         between two acks (the failover) was {failover:?} (goal {FAILOVER_GOAL:?})"
    );
    assert_eq!(
        (ok, failures.as_slice()),
        (30, &[][..]),
        "every send made while its node died is acknowledged (resent with its ID elsewhere)"
    );
    assert!(
        failover <= FAILOVER_GOAL * 5,
        "failover took {failover:?}, over five times the {FAILOVER_GOAL:?} goal"
    );
    let (ok_after, _, _) = send_many(&sender, "receiver", "after-kill", 5, &mut acked).await;
    assert_eq!(ok_after, 5);
    acked.extend(during);

    // nats-server restarts while messages flow: nothing acknowledged is lost.
    let nats = cluster.nats.clone();
    let restart = blocking(move || nats.restart());
    let mut during_bus = HashMap::new();
    let (restarted, (ok, failures, _)) = tokio::join!(
        restart,
        send_many(&sender, "receiver", "bus", 20, &mut during_bus)
    );
    restarted.unwrap_or_else(|e| panic!("{e}"));
    println!("bus restart: {ok} of 20 acknowledged, failures {failures:?}");
    assert_eq!(
        (ok, failures.as_slice()),
        (20, &[][..]),
        "sends go through while nats-server restarts"
    );
    let mut to_receive: HashSet<String> = during_bus.keys().cloned().collect();
    acked.extend(during_bus);

    // PostgreSQL stops: a send fails with a clear code; once it is back sends succeed.
    let postgres = cluster.postgres.clone();
    blocking(move || postgres.stop()).await;
    let mut down = HashMap::new();
    let (ok, failures, _) = send_many(&sender, "receiver", "db-down", 2, &mut down).await;
    println!("database down: {ok} of 2 acknowledged, failures {failures:?}");
    assert_eq!(
        failures,
        vec![tim_rs::model::codes::ERR_SVR_MSG_INTERNAL_ERROR1; 2],
        "sends while the database is down fail with the storage failure code"
    );
    acked.extend(down);
    let postgres = cluster.postgres.clone();
    blocking(move || postgres.start_again())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let back = Instant::now();
    let mut db_back = HashMap::new();
    let (ok, _, _) = send_many(&sender, "receiver", "db-back", 3, &mut db_back).await;
    assert_eq!(ok, 3, "sends go through once the database is back");
    println!(
        "database back: 3 sends acknowledged in {:?}",
        back.elapsed()
    );
    to_receive.extend(db_back.keys().cloned());
    acked.extend(db_back);

    // The receiver stayed on node 1 through the bus restart (which closed its connection):
    // what was published while the bus was down reaches it through its cursor sync.
    receive_all(&mut receiver_events, to_receive).await;

    check_history(&cluster, "receiver", 2, "sender", &acked).await;
    println!(
        "{} acknowledged messages, each stored once at its seq",
        acked.len()
    );
}
