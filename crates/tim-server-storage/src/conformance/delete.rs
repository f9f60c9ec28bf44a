//! Conformance: cloud deletes (list delete, clear) and receive options.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use super::*;
use crate::delete::{DeleteApplied, DeleteWrite};
use crate::recv_opt::RecvOptWrite;
use tim_model::enums::ReceiveMessageOpt;

fn delete(
    storage: &dyn Storage,
    by: &str,
    target: Target,
    ids: &[&str],
    now_ms: u64,
) -> WriteOutcome {
    apply_one(
        storage,
        WriteOp::Delete(Box::new(DeleteWrite::Messages {
            app: APP,
            user: user(by),
            target,
            msg_ids: ids.iter().map(|id| MessageId::new(id).unwrap()).collect(),
            now_ms,
            min_interval_ms: 1000,
        })),
    )
}

fn clear(storage: &dyn Storage, by: &str, target: Target) -> WriteOutcome {
    apply_one(
        storage,
        WriteOp::Delete(Box::new(DeleteWrite::Clear {
            app: APP,
            user: user(by),
            target,
        })),
    )
}

/// The message IDs `reader` pulls from `target`'s history, oldest first.
fn pulled(storage: &dyn Storage, reader: &str, target: Target) -> Vec<String> {
    history(storage, reader, target, 0, 0, 100, false)
        .unwrap()
        .messages
        .into_iter()
        .map(|m| m.msg_id.unwrap_or_default())
        .collect()
}

/// The message IDs of `reader`'s new-message sync events, and the count of notices.
fn synced(storage: &dyn Storage, reader: &str) -> (Vec<String>, usize) {
    let page = storage.sync(APP, &user(reader), 0, 100, 1 << 20).unwrap();
    let mut ids = Vec::new();
    let mut notices = 0;
    for item in page.events {
        match item.event {
            SyncBody::Message { message, .. } => ids.push(message.msg_id.unwrap_or_default()),
            SyncBody::Notice(_) => notices += 1,
        }
    }
    (ids, notices)
}

pub fn list_delete_hides_for_the_caller_only_all_or_nothing_and_rate_limited(
    storage: &dyn Storage,
) {
    for id in ["m1", "m2", "m3"] {
        apply_one(storage, c2c_send("a", "b", id));
    }
    apply_one(storage, c2c_send("c", "b", "other"));
    let to_b = || Target::C2c(user("b"));
    // Refused whole: too many, an ID of another conversation, an unknown ID, not a party.
    let many: Vec<&str> = std::iter::repeat_n("m1", 51).collect();
    assert_eq!(
        refusal_code(&delete(storage, "a", to_b(), &many, 1000)),
        codes::ERR_INVALID_PARAMETERS
    );
    assert_eq!(
        refusal_code(&delete(storage, "a", to_b(), &["m1", "other"], 1000)),
        codes::ERR_SDK_COMM_DATABASE_NOTFOUND
    );
    assert_eq!(
        refusal_code(&delete(storage, "a", to_b(), &["m1", "nope"], 1000)),
        codes::ERR_SDK_COMM_DATABASE_NOTFOUND
    );
    assert_eq!(
        refusal_code(&delete(storage, "c", to_b(), &["m1"], 1000)),
        codes::ERR_SDK_COMM_DATABASE_NOTFOUND
    );
    assert_eq!(pulled(storage, "a", to_b()), ["m1", "m2", "m3"]);

    let outcome = delete(storage, "a", to_b(), &["m1", "m2"], 10_000);
    let Ok(Applied::Deleted(DeleteApplied::Messages(ids))) = &outcome.result else {
        panic!("expected a delete, got {:?}", outcome.result);
    };
    assert_eq!(ids, &["m1", "m2"]);
    assert_eq!(outcome.notices.len(), 1);
    let notified: Vec<&str> = outcome.notices[0]
        .recipients
        .iter()
        .map(|(u, _)| u.as_str())
        .collect();
    assert_eq!(notified, ["a"]);
    // The caller's history and sync leave them out, the range still counts as covered; the
    // peer keeps them.
    let page = history(storage, "a", to_b(), 0, 0, 100, false).unwrap();
    assert_eq!((page.covered_begin_seq, page.covered_end_seq), (1, 3));
    assert_eq!(pulled(storage, "a", to_b()), ["m3"]);
    assert_eq!(synced(storage, "a"), (vec!["m3".to_owned()], 1));
    assert_eq!(
        pulled(storage, "b", Target::C2c(user("a"))),
        ["m1", "m2", "m3"]
    );
    assert_eq!(synced(storage, "b").0, ["m1", "m2", "m3", "other"]);

    // A second delete within the interval: 7008, nothing hidden; after it: fine.
    assert_eq!(
        refusal_code(&delete(storage, "a", to_b(), &["m3"], 10_999)),
        codes::ERR_SDK_COMM_API_CALL_FREQUENCY_LIMIT
    );
    assert_eq!(pulled(storage, "a", to_b()), ["m3"]);
    assert!(delete(storage, "a", to_b(), &["m3"], 11_000).result.is_ok());
    assert!(pulled(storage, "a", to_b()).is_empty());
}

pub fn clear_hides_up_to_the_newest_seq_and_later_messages_show(storage: &dyn Storage) {
    create_group(storage, "a", "g", &["b"], 0);
    apply_one(storage, group_send("b", "g", "g1"));
    apply_one(storage, group_send("b", "g", "g2"));
    let g = || Target::Group(group("g"));
    assert_eq!(
        refusal_code(&clear(storage, "c", g())),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    assert_eq!(
        refusal_code(&clear(storage, "a", Target::Group(group("none")))),
        codes::ERR_SVR_GROUP_NOT_FOUND
    );
    let before = pulled(storage, "a", g());
    let outcome = clear(storage, "a", g());
    let Ok(Applied::Deleted(DeleteApplied::Cleared(up_to))) = outcome.result else {
        panic!("expected a clear, got {:?}", outcome.result);
    };
    assert!(up_to >= 2);
    assert_eq!(outcome.notices.len(), 1);
    assert!(pulled(storage, "a", g()).is_empty());
    assert_eq!(pulled(storage, "b", g()), before);
    apply_one(storage, group_send("b", "g", "g3"));
    assert_eq!(pulled(storage, "a", g()), ["g3"]);
    let (ids, _) = synced(storage, "a");
    assert_eq!(ids, ["g3"]);
}

fn set_c2c(
    storage: &dyn Storage,
    by: &str,
    peers: &[&str],
    opt: ReceiveMessageOpt,
    now_ms: u64,
) -> WriteOutcome {
    apply_one(
        storage,
        WriteOp::RecvOpt(Box::new(RecvOptWrite::C2c {
            app: APP,
            user: user(by),
            peers: peers.iter().map(|p| user(p)).collect(),
            opt,
            now_ms,
        })),
    )
}

pub fn receive_options_read_back_and_filter_delivery(storage: &dyn Storage) {
    use ReceiveMessageOpt as O;
    assert!(
        set_c2c(storage, "b", &["a"], O::NotReceive, 1000)
            .result
            .is_ok()
    );
    assert_eq!(
        storage.c2c_recv_opt(APP, &user("b"), &user("a")).unwrap(),
        O::NotReceive
    );
    assert_eq!(
        storage.c2c_recv_opt(APP, &user("b"), &user("c")).unwrap(),
        O::Receive
    );
    assert_eq!(
        storage.c2c_recv_opt(APP, &user("a"), &user("b")).unwrap(),
        O::Receive
    );
    apply_one(storage, c2c_send("a", "b", "muted"));
    apply_one(storage, c2c_send("c", "b", "heard"));
    assert_eq!(synced(storage, "b").0, ["heard"]);
    assert_eq!(synced(storage, "a").0, ["muted"]);
    assert_eq!(pulled(storage, "b", Target::C2c(user("a"))), ["muted"]);

    create_group(storage, "a", "g", &["b", "c"], 0);
    let set_group = |by: &str, id: &str| {
        apply_one(
            storage,
            WriteOp::RecvOpt(Box::new(RecvOptWrite::Group {
                app: APP,
                user: user(by),
                group: group(id),
                opt: O::NotReceiveExceptAt,
            })),
        )
    };
    assert_eq!(
        refusal_code(&set_group("d", "g")),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    assert!(set_group("b", "g").result.is_ok());
    assert_eq!(
        storage
            .group_recv_opt(APP, &user("b"), &group("g"))
            .unwrap(),
        O::NotReceiveExceptAt
    );
    apply_one(storage, group_send("a", "g", "plain"));
    let mut at = group_send("a", "g", "at-b");
    if let WriteOp::Send(send) = &mut at {
        send.message.group_at_user_array = vec!["b".into()];
    }
    apply_one(storage, at);
    let b_group: Vec<String> = synced(storage, "b")
        .0
        .into_iter()
        .filter(|id| id == "plain" || id == "at-b")
        .collect();
    assert_eq!(b_group, ["at-b"]);
    let c_group: Vec<String> = synced(storage, "c")
        .0
        .into_iter()
        .filter(|id| id == "plain" || id == "at-b")
        .collect();
    assert_eq!(c_group, ["plain", "at-b"]);

    // At most 5 C2C sets per second: the 6th within the window is refused and changes nothing.
    for i in 0..4 {
        assert!(
            set_c2c(storage, "b", &["x"], O::NotNotify, 1000 + i)
                .result
                .is_ok()
        );
    }
    assert_eq!(
        refusal_code(&set_c2c(storage, "b", &["x"], O::NotReceive, 1500)),
        codes::ERR_SDK_COMM_API_CALL_FREQUENCY_LIMIT
    );
    assert_eq!(
        storage.c2c_recv_opt(APP, &user("b"), &user("x")).unwrap(),
        O::NotNotify
    );
    assert!(
        set_c2c(storage, "b", &["x"], O::NotReceive, 2000)
            .result
            .is_ok()
    );
    assert_eq!(
        storage.c2c_recv_opt(APP, &user("b"), &user("x")).unwrap(),
        O::NotReceive
    );
}
