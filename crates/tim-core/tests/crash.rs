//! A writer process killed with SIGKILL at random moments loses nothing it was told was
//! stored, never leaves half of a batch, and its search index agrees with its store after the
//! next open.
//!
//! The child is this test binary re-run on the `child_writer` test with `TIM_CRASH_DIR` set.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use tim_core::Engine;
use tim_model::enums::ConvType;
use tim_model::{GetMsgListParam, Message, MessageId, SearchParam, UserId};

const BATCH: u64 = 20;
const MAX_BATCHES: u64 = 5_000;

fn batch_messages(batch: u64) -> Vec<Message> {
    (0..BATCH)
        .map(|i| Message {
            msg_id: MessageId::new(&format!("b{batch}-{i}")).ok(),
            ..common::text("peer", 1_000 + batch, &format!("batch{batch} 共同 item{i}"))
        })
        .collect()
}

/// The writer: imports batches until killed, saying when it starts each batch and when the
/// batch is stored.
#[test]
fn child_writer() {
    let Ok(dir) = std::env::var("TIM_CRASH_DIR") else {
        return;
    };
    let engine = Engine::open(
        std::path::Path::new(&dir),
        &UserId::new(common::ME).unwrap(),
    )
    .unwrap();
    for batch in 0..MAX_BATCHES {
        println!("writing {batch}");
        engine
            .import_messages(&common::c2c("peer"), batch_messages(batch))
            .unwrap();
        println!("stored {batch}");
    }
}

#[test]
fn killed_writers_lose_nothing_acknowledged_and_search_agrees() {
    let mut seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(7, |d| d.subsec_nanos() as u64 | 1);
    for round in 0..8 {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let kill_after = 1 + (seed >> 33) % 25;
        let delay = std::time::Duration::from_micros((seed >> 13) % 5_000);
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "child_writer",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env("TIM_CRASH_DIR", dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        // Kill once the writer has started batch `kill_after`, after a random delay of up to
        // 5 ms (a batch takes a few ms): the delay only places the fault at a random point
        // inside the batch's transactions (store commit, index commit); nothing waits on it.
        let mut acknowledged = None;
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(batch) = line
                .strip_prefix("stored ")
                .and_then(|n| n.parse::<u64>().ok())
            {
                acknowledged = Some(batch);
            }
            if line == format!("writing {kill_after}") {
                break;
            }
        }
        std::thread::sleep(delay);
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let acknowledged = acknowledged.expect("the writer stored at least one batch");

        let engine = common::reopen(&dir);
        let conv = common::c2c("peer");
        // Count the stored messages page by page, oldest first (bounded by what can exist).
        let mut stored = 0u64;
        let mut anchor: Option<Message> = None;
        for _ in 0..=(MAX_BATCHES * BATCH / 1000) {
            let page = GetMsgListParam {
                count: 1000,
                is_forward: true,
                last_msg: anchor.clone(),
                ..Default::default()
            };
            let history = engine.get_message_list(&conv, &page).unwrap();
            stored += history.len() as u64;
            match history.last() {
                Some(last) if history.len() == 1000 => anchor = Some(last.clone()),
                _ => break,
            }
        }
        for batch in 0..=acknowledged + 2 {
            let ids: Vec<MessageId> = batch_messages(batch)
                .into_iter()
                .filter_map(|m| m.msg_id)
                .collect();
            let present = engine.find_messages(&ids).unwrap().len() as u64;
            if batch <= acknowledged {
                assert_eq!(
                    present, BATCH,
                    "round {round}: acknowledged batch {batch} lost messages"
                );
            } else {
                assert!(
                    present == 0 || present == BATCH,
                    "round {round}: batch {batch} half stored ({present})"
                );
            }
        }
        let search = SearchParam {
            keyword_array: vec!["共同".into()],
            conv_id: "peer".into(),
            conv_type: ConvType::C2c,
            ..Default::default()
        };
        let hits = engine.search_local(&search).unwrap();
        assert_eq!(
            u64::from(hits.total_count),
            stored,
            "round {round}: search disagrees with the store"
        );
        assert_eq!(stored % BATCH, 0, "round {round}");
    }
}
