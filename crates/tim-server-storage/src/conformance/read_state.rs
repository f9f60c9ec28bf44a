//! Conformance: read marks and message read receipts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use super::*;
use crate::read_state::{ReadStateApplied, ReadStateWrite, ReportScope};

fn report(storage: &dyn Storage, reader: &str, scope: ReportScope, now: u64) -> WriteOutcome {
    apply_one(
        storage,
        WriteOp::ReadState(Box::new(ReadStateWrite::Report {
            app: APP,
            user: user(reader),
            scope,
            now,
        })),
    )
}

fn one(target: Target, read_time: u64, read_seq: u64) -> ReportScope {
    ReportScope::One {
        target,
        read_time,
        read_seq,
    }
}

fn marks(outcome: &WriteOutcome) -> Vec<v1::ReadMark> {
    match &outcome.result {
        Ok(Applied::ReadState(ReadStateApplied::Marks(marks))) => marks.clone(),
        other => panic!("expected marks, got {other:?}"),
    }
}

fn receipts(storage: &dyn Storage, reader: &str, target: Target, ids: &[&str]) -> WriteOutcome {
    apply_one(
        storage,
        WriteOp::ReadState(Box::new(ReadStateWrite::Receipts {
            app: APP,
            reader: user(reader),
            target,
            msg_ids: ids.iter().map(|id| MessageId::new(id).unwrap()).collect(),
        })),
    )
}

fn receipt_send(op: WriteOp) -> WriteOp {
    match op {
        WriteOp::Send(mut send) => {
            send.message.need_read_receipt = true;
            WriteOp::Send(send)
        }
        other => other,
    }
}

/// The notices in `reader`'s log.
fn notices(storage: &dyn Storage, reader: &str) -> Vec<v1::sync_event::Event> {
    storage
        .sync(APP, &user(reader), 0, 1000, 1 << 20)
        .unwrap()
        .events
        .into_iter()
        .filter_map(|item| match item.event {
            SyncBody::Notice(event) => Some(event),
            SyncBody::Message { .. } => None,
        })
        .collect()
}

pub fn read_marks_move_forward_and_notify_self_and_peer(storage: &dyn Storage) {
    apply_one(storage, c2c_send("b", "a", "m1"));
    let to_b = || Target::C2c(user("b"));
    // 0: the newest message's server time (1000).
    let newest = report(storage, "a", one(to_b(), 0, 0), 2000);
    assert_eq!(marks(&newest)[0].read_time, 1000);
    assert_eq!(newest.notices.len(), 2);
    let first = report(storage, "a", one(to_b(), 2000, 0), 2000);
    assert_eq!(marks(&first)[0].read_time, 2000);
    assert_eq!(first.notices.len(), 2);
    assert_eq!(storage.read_mark(APP, &user("a"), &to_b()).unwrap(), 2000);
    // Behind the mark, or beyond now (clamped to now, which is behind): nothing moves.
    let behind = report(storage, "a", one(to_b(), 1500, 0), 2000);
    assert_eq!(marks(&behind)[0].read_time, 2000);
    assert!(behind.notices.is_empty());
    let clamped = report(storage, "a", one(to_b(), 9999, 0), 1900);
    assert_eq!(marks(&clamped)[0].read_time, 2000);
    assert_eq!(notices(storage, "a").len(), 2);
    match &notices(storage, "b")[..] {
        [_, v1::sync_event::Event::ReadReceipts(push)] => {
            assert_eq!(push.receipts[0].conv_id, "a");
            assert_eq!(push.receipts[0].time_stamp, 2000);
            assert!(push.receipts[0].is_peer_read);
            assert!(push.cursor > 0);
        }
        other => panic!("{other:?}"),
    }
    // A conversation with nobody the server knows: marked, no receipt to anyone.
    let stranger = report(storage, "a", one(Target::C2c(user("zed")), 0, 0), 2000);
    assert_eq!(stranger.notices.len(), 1);
    assert_eq!(storage.user(APP, &user("zed")).unwrap(), None);
}

pub fn group_read_marks_need_membership_and_mark_all_covers_every_conversation(
    storage: &dyn Storage,
) {
    create_group(storage, "a", "g", &["b"], 2);
    create_group(storage, "b", "quiet", &[], 2);
    apply_one(storage, group_send("b", "g", "g1"));
    apply_one(storage, c2c_send("b", "a", "c1"));
    let in_g = || Target::Group(group("g"));
    assert_eq!(
        refusal_code(&report(storage, "c", one(in_g(), 0, 0), 2000)),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    assert_eq!(
        refusal_code(&report(
            storage,
            "a",
            one(Target::Group(group("none")), 0, 0),
            2000
        )),
        codes::ERR_SVR_GROUP_NOT_FOUND
    );
    assert_eq!(storage.read_mark(APP, &user("c"), &in_g()).unwrap(), 0);
    let all = marks(&report(storage, "a", ReportScope::All(None), 2000));
    let mut named: Vec<_> = all
        .iter()
        .map(|m| m.conversation.clone().unwrap().conv_id)
        .collect();
    named.sort();
    assert_eq!(named, vec!["b".to_owned(), "g".to_owned()]);
    let newest = storage
        .pull_history(
            APP,
            &user("a"),
            &in_g(),
            HistoryQuery {
                begin_seq: 0,
                end_seq: 0,
                max_count: 1,
                backward: true,
                max_bytes: 1 << 20,
            },
        )
        .unwrap()
        .unwrap()
        .newest_seq;
    assert_eq!(storage.read_mark(APP, &user("a"), &in_g()).unwrap(), newest);
    let c2c_only = marks(&report(
        storage,
        "b",
        ReportScope::All(Some(tim_model::enums::ConvType::C2c)),
        2000,
    ));
    assert_eq!(c2c_only.len(), 1);
    assert_eq!(c2c_only[0].conversation.clone().unwrap().conv_id, "a");
}

pub fn mark_all_read_covers_exactly_the_callers_conversations(storage: &dyn Storage) {
    // Many conversations of other users in the same app.
    for i in 0..50 {
        apply_one(
            storage,
            c2c_send(&format!("x{i}"), &format!("y{i}"), &format!("o{i}")),
        );
    }
    create_group(storage, "x0", "others", &["x1"], 2);
    apply_one(storage, group_send("x0", "others", "og"));
    // Alice's: a C2C with Bob, a group she is in, a group she left, an empty C2C.
    apply_one(storage, c2c_send("bob", "alice", "c1"));
    create_group(storage, "bob", "in", &["alice"], 2);
    create_group(storage, "bob", "left", &["alice"], 2);
    apply_one(storage, group_send("bob", "in", "g1"));
    apply_one(storage, group_send("bob", "left", "g2"));
    assert!(
        change(storage, "bob", "left", MembershipChange::Remove, &["alice"])
            .result
            .is_ok()
    );
    let all = marks(&report(storage, "alice", ReportScope::All(None), 2000));
    let mut named: Vec<_> = all
        .iter()
        .map(|m| m.conversation.clone().unwrap().conv_id)
        .collect();
    named.sort();
    assert_eq!(named, vec!["bob".to_owned(), "in".to_owned()]);
}

pub fn receipts_are_recorded_once_and_refused_whole(storage: &dyn Storage) {
    create_group(storage, "a", "g", &["b", "c"], 2);
    apply_one(storage, receipt_send(group_send("a", "g", "r1")));
    apply_one(storage, group_send("a", "g", "plain"));
    let in_g = || Target::Group(group("g"));
    let ids = |ids: &[&str]| -> Vec<MessageId> {
        ids.iter().map(|id| MessageId::new(id).unwrap()).collect()
    };
    // A plain message in the call: nothing recorded.
    assert_eq!(
        refusal_code(&receipts(storage, "b", in_g(), &["r1", "plain"])),
        codes::ERR_INVALID_PARAMETERS
    );
    assert_eq!(
        refusal_code(&receipts(storage, "d", in_g(), &["r1"])),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    let counts = storage
        .read_receipts(APP, &user("a"), &in_g(), &ids(&["r1"]))
        .unwrap()
        .unwrap();
    assert_eq!((counts[0].read_count, counts[0].unread_count), (0, 2));
    let first = receipts(storage, "b", in_g(), &["r1"]);
    assert_eq!(first.notices.len(), 1);
    assert_eq!(first.notices[0].recipients[0].0, "a");
    let again = receipts(storage, "b", in_g(), &["r1"]);
    assert!(again.notices.is_empty());
    // The sender's own receipt is ignored.
    assert!(receipts(storage, "a", in_g(), &["r1"]).notices.is_empty());
    let counts = storage
        .read_receipts(APP, &user("c"), &in_g(), &ids(&["r1", "nope"]))
        .unwrap()
        .unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!((counts[0].read_count, counts[0].unread_count), (1, 1));
    let read = storage
        .group_read_members(APP, &user("a"), &group("g"), &ids(&["r1"])[0], true, 0, 10)
        .unwrap()
        .unwrap();
    assert_eq!(read.members.len(), 1);
    assert_eq!(read.members[0].user_id, "b");
    assert!(read.finished);
    let unread = storage
        .group_read_members(APP, &user("a"), &group("g"), &ids(&["r1"])[0], false, 0, 10)
        .unwrap()
        .unwrap();
    assert_eq!(unread.members[0].user_id, "c");
    assert_eq!(
        storage
            .group_read_members(APP, &user("d"), &group("g"), &ids(&["r1"])[0], true, 0, 10)
            .unwrap()
            .unwrap_err()
            .code,
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    // C2C: the receiver's receipt makes the message peer-read for both.
    apply_one(storage, receipt_send(c2c_send("a", "b", "q1")));
    assert!(
        !storage
            .read_receipts(APP, &user("a"), &Target::C2c(user("b")), &ids(&["q1"]))
            .unwrap()
            .unwrap()[0]
            .is_peer_read
    );
    receipts(storage, "b", Target::C2c(user("a")), &["q1"]);
    assert!(
        storage
            .read_receipts(APP, &user("a"), &Target::C2c(user("b")), &ids(&["q1"]))
            .unwrap()
            .unwrap()[0]
            .is_peer_read
    );
    assert_eq!(
        refusal_code(&receipts(storage, "c", Target::C2c(user("a")), &["q1"])),
        codes::ERR_SDK_COMM_DATABASE_NOTFOUND
    );
}
