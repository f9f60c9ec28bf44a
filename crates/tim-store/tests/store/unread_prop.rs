//! Property: after any sequence of writes, every conversation's unread count and message count
//! equal a full recount of its stored messages.

use crate::common::*;
use proptest::prelude::*;
use tim_model::enums::MsgStatus;
use tim_model::{ConvId, Message, Seq};
use tim_store::{ReadMark, Store};

#[derive(Debug, Clone)]
enum Op {
    Put {
        conv: usize,
        name: u8,
        time: u64,
        seq: u64,
        flags: u8,
    },
    Update {
        name: u8,
        time: u64,
        seq: u64,
        flags: u8,
    },
    Delete {
        name: u8,
    },
    Clear {
        conv: usize,
    },
    MarkRead {
        conv: usize,
        time: u64,
        seq: u64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..2_usize, 0..8_u8, 0..20_u64, 0..10_u64, any::<u8>())
            .prop_map(|(conv, name, time, seq, flags)| Op::Put { conv, name, time, seq, flags }),
        2 => (0..8_u8, 0..20_u64, 0..10_u64, any::<u8>())
            .prop_map(|(name, time, seq, flags)| Op::Update { name, time, seq, flags }),
        1 => (0..8_u8).prop_map(|name| Op::Delete { name }),
        1 => (0..2_usize).prop_map(|conv| Op::Clear { conv }),
        2 => (0..2_usize, 0..20_u64, 0..10_u64).prop_map(|(conv, time, seq)| Op::MarkRead { conv, time, seq }),
    ]
}

/// A message whose unread-relevant fields come from the bits of `flags`.
fn message(name: u8, time: u64, seq: u64, flags: u8) -> Message {
    let status = match flags >> 4 & 3 {
        0 => MsgStatus::SendSucc,
        1 => MsgStatus::Revoked,
        2 => MsgStatus::Deleted,
        _ => MsgStatus::LocalImported,
    };
    Message {
        is_from_self: flags & 1 != 0,
        is_excluded_from_unread_count: flags & 2 != 0,
        is_online_msg: flags & 4 != 0 && flags & 8 != 0,
        server_time: if flags & 64 != 0 { 0 } else { time },
        status: Some(status),
        ..text(&format!("n{name}"), time, seq)
    }
}

/// The unread count by the rule, from scratch.
fn recount(store: &Store, conv: &ConvId) -> (u64, u64) {
    let state = store.conversation(conv).unwrap().unwrap_or_default();
    let messages = all_messages(store, conv);
    let unread = messages
        .iter()
        .filter(|m| {
            let counts = !m.is_from_self
                && !m.is_excluded_from_unread_count
                && !m.is_online_msg
                && !matches!(m.status, Some(MsgStatus::Revoked | MsgStatus::Deleted));
            let order_time = if m.server_time != 0 {
                m.server_time
            } else {
                m.client_time
            };
            let after_mark = match conv {
                ConvId::C2c(_) => order_time > state.read_time,
                ConvId::Group(_) => m.seq > state.read_seq,
            };
            counts && after_mark
        })
        .count() as u64;
    (unread, messages.len() as u64)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn unread_counts_stay_exact(ops in proptest::collection::vec(op(), 1..25)) {
        let (_dir, store) = open_temp();
        let convs = [c2c("bob"), group("team")];
        for op in ops {
            match op {
                Op::Put { conv, name, time, seq, flags } => {
                    store.put_messages(&convs[conv], &[message(name, time, seq, flags)]).unwrap();
                }
                Op::Update { name, time, seq, flags } => {
                    store.update_message(&message(name, time, seq, flags)).unwrap();
                }
                Op::Delete { name } => {
                    store.delete_messages(&[id(&format!("n{name}"))]).unwrap();
                }
                Op::Clear { conv } => {
                    store.clear_conversation(&convs[conv]).unwrap();
                }
                Op::MarkRead { conv, time, seq } => {
                    store.mark_read(&convs[conv], ReadMark { time, seq: Seq(seq) }).unwrap();
                }
            }
            for conv in &convs {
                let state = store.conversation(conv).unwrap().unwrap_or_default();
                prop_assert_eq!((state.unread_count, state.message_count), recount(&store, conv), "{}", conv);
            }
        }
    }
}
