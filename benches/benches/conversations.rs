//! The conversation list on the device (`TIMConvGetConvList`, `TIMConvGetConvInfo`,
//! `TIMConvGetTotalUnreadMessageCount`) against its floor, measured in the same run.
//!
//! One store holds `N` conversations (default 1,000; `TIM_BENCH_CONVERSATIONS`), each with 5
//! received text messages, a tenth with a draft. Timed:
//! - list: `Engine::conversation_list` (every row: state, last message, attributes, draft,
//!   peer profile; ordered) beside the baseline `Store::conversations` + reading each last
//!   message (what any list must read), both encoded to TIM JSON;
//! - info: `Engine::conversation_info` of one random conversation;
//! - total: the unread total as the C ABI computes it (the whole list, then a sum).
//!
//! Calls alternate, and the last lines print each median and the ratio ours/baseline.
//! Under `cargo test --benches` it runs on 50 conversations with few rounds.

use std::time::{Duration, Instant};
use tim_core::Engine;
use tim_model::enums::ConvType;
use tim_model::{ConvId, Draft, Elem, Message, Seq, TextElem, UserId};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn text(conv: &str, seq: u64, body: &str) -> Message {
    Message {
        conv_id: conv.to_owned(),
        conv_type: ConvType::C2c,
        sender: conv.to_owned(),
        seq: Seq(seq),
        server_time: 1_700_000_000 + seq,
        client_time: 1_700_000_000 + seq,
        rand: seq,
        elems: vec![Elem::Text(TextElem {
            content: body.to_owned(),
        })],
        ..Message::default()
    }
}

fn main() {
    let testing = std::env::args()
        .any(|arg| arg == "--bench")
        .then_some(())
        .is_none();
    let conversations: usize = std::env::var("TIM_BENCH_CONVERSATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if testing { 50 } else { 1_000 });
    let rounds = if testing { 3 } else { 50 };
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("temp dir: {err}"));
    let owner = UserId::new("owner").unwrap_or_else(|err| panic!("{err}"));
    let engine = Engine::open(dir.path(), &owner).unwrap_or_else(|err| panic!("open: {err}"));
    let started = Instant::now();
    let mut convs = Vec::with_capacity(conversations);
    for i in 0..conversations {
        let peer = format!("peer{i:05}");
        let conv = ConvId::new(ConvType::C2c, &peer).unwrap_or_else(|err| panic!("{err}"));
        let messages: Vec<Message> = (1..=5)
            .map(|seq| text(&peer, seq, &format!("message {seq} from {peer}, 你好")))
            .collect();
        engine
            .import_messages(&conv, messages)
            .unwrap_or_else(|err| panic!("import: {err}"));
        if i % 10 == 0 {
            let draft = Draft {
                user_define: "typing".into(),
                edit_time: 1_700_000_100,
                ..Draft::default()
            };
            engine
                .set_draft(&conv, Some(&draft))
                .unwrap_or_else(|err| panic!("draft: {err}"));
        }
        convs.push(conv);
    }
    println!(
        "conversations: {conversations} conversations of 5 messages stored in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let store_only = || -> usize {
        // The floor: every conversation's state and last message, encoded.
        let rows = engine
            .conversation_rows()
            .unwrap_or_else(|err| panic!("rows: {err}"));
        let last: Vec<Message> = rows.into_iter().filter_map(|row| row.last).collect();
        tim_model::json::to_string(&last).len()
    };
    let ours = || -> usize {
        let list = engine
            .conversation_list()
            .unwrap_or_else(|err| panic!("list: {err}"));
        tim_model::json::to_string(&list).len()
    };
    let (mut ours_t, mut base_t, mut info_t, mut total_t) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut pick = 0x9e37_79b9_u64;
    for _ in 0..rounds {
        let t = Instant::now();
        let size = ours();
        ours_t.push(t.elapsed());
        assert!(
            size > conversations * 100,
            "the list encodes every conversation"
        );
        let t = Instant::now();
        std::hint::black_box(store_only());
        base_t.push(t.elapsed());
        pick = pick.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let conv = &convs[(pick >> 33) as usize % convs.len()];
        let t = Instant::now();
        let info = engine
            .conversation_info(conv)
            .unwrap_or_else(|err| panic!("info: {err}"));
        info_t.push(t.elapsed());
        assert!(info.is_some_and(|info| info.last_msg.is_some()));
        let t = Instant::now();
        let list = engine
            .conversation_list()
            .unwrap_or_else(|err| panic!("list: {err}"));
        let total = tim_core::conversations::list::unread_total(&list, None);
        total_t.push(t.elapsed());
        assert_eq!(total, 5 * conversations as u64);
    }
    let (ours_m, base_m) = (median(ours_t), median(base_t));
    println!("list (TIMConvGetConvList, encoded)   median {ours_m:>10.2?}");
    println!("baseline (rows + last messages)      median {base_m:>10.2?}");
    println!(
        "ratio list/baseline                  {:.2}",
        ours_m.as_secs_f64() / base_m.as_secs_f64().max(1e-9)
    );
    println!(
        "info (TIMConvGetConvInfo, one)       median {:>10.2?}",
        median(info_t)
    );
    println!(
        "total unread                         median {:>10.2?}",
        median(total_t)
    );
}
