//! The conformance suite every [`Storage`] backend must pass: one function per behaviour,
//! each taking a fresh, empty backend and panicking when the backend breaks a rule.
//!
//! Run it with [`storage_conformance_tests!`](crate::storage_conformance_tests), giving an
//! expression that makes `(Arc<dyn Storage>, guard)` (the guard keeps, say, a temp dir alive):
//!
//! ```text
//! tim_server::storage_conformance_tests!(|| {
//!     let dir = tempfile::tempdir().unwrap();
//!     let storage = tim_server::storage::redb::open(dir.path()).unwrap();
//!     (std::sync::Arc::new(storage) as std::sync::Arc<dyn tim_server::storage::Storage>, dir)
//! });
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use super::*;
use crate::group_rules::GroupLimits;
use tim_model::codes;

const APP: AppId = 7;

mod conversations;
mod delete;
mod extensions;
mod groups;
mod lifecycle;
mod media;
mod merge;
mod nodes;
mod push;
mod read_state;
pub use self::extensions::*;
pub use conversations::*;
pub use delete::*;
pub use groups::*;
pub use lifecycle::*;
pub use media::*;
pub use merge::*;
pub use nodes::*;
pub use push::*;
pub use read_state::*;

/// Runs one conformance function per test.
#[macro_export]
macro_rules! storage_conformance_tests {
    ($make:expr) => {
        $crate::storage_conformance_tests!(@each $make;
            users_get_stable_distinct_tiny_ids,
            c2c_seqs_are_contiguous_per_pair_and_logged_for_both,
            a_stored_message_id_is_a_duplicate,
            cancel_blocks_later_sends_and_fails_on_stored_ids,
            message_ids_belong_to_their_sender,
            event_logs_are_trimmed_to_their_newest_events,
            a_refused_op_writes_nothing_and_the_batch_goes_on,
            sync_pages_in_order_and_flags_a_cursor_beyond_the_log,
            history_pages_report_their_coverage,
            group_lifecycle_and_its_refusals,
            group_messages_reach_members_only,
            targeted_group_messages_are_holes_for_others,
            member_lists_page_in_join_order,
            messages_come_from_the_readers_view,
            c2c_revoke_follows_the_rules_and_is_logged_for_both,
            group_revoke_by_sender_owner_and_not_others,
            modify_checks_sender_version_and_elements_and_is_logged_for_every_party,
            extensions_compare_and_swap_per_key_and_notify_both_c2c_parties,
            extensions_are_refused_off_limits_and_write_nothing,
            group_extensions_reach_members_who_see_the_message,
            list_delete_hides_for_the_caller_only_all_or_nothing_and_rate_limited,
            clear_hides_up_to_the_newest_seq_and_later_messages_show,
            receive_options_read_back_and_filter_delivery,
            read_marks_move_forward_and_notify_self_and_peer,
            group_read_marks_need_membership_and_mark_all_covers_every_conversation,
            mark_all_read_covers_exactly_the_callers_conversations,
            receipts_are_recorded_once_and_refused_whole,
            merged_bundles_are_read_by_whoever_sees_a_carrier,
            group_bundles_follow_current_membership,
            merged_messages_nest_at_most_100_layers,
            push_tokens_are_kept_per_device_replaced_and_removed,
            push_tokens_are_capped_per_user_replacing_the_oldest,
            media_records_read_back_per_app,
            unreferenced_media_is_collected_and_referenced_media_is_kept,
            conversation_attributes_are_per_user_versioned_and_logged,
            at_most_fifty_conversations_are_pinned,
            deletions_of_made_up_conversations_stop_at_the_record_limit,
            conversation_groups_follow_their_rules,
            profiles_merge_read_back_and_reach_messages,
        );
    };
    (@each $make:expr; $($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            let (storage, _guard) = ($make)();
            $crate::conformance::$name(&*storage);
        }
    )*};
}

pub(crate) fn user(id: &str) -> UserId {
    UserId::new(id).unwrap()
}

pub(crate) fn group(id: &str) -> GroupId {
    GroupId::new(id).unwrap()
}

pub(crate) fn message(msg_id: &str, conv_type: i32, conv_id: &str, sender: &str) -> v1::Message {
    v1::Message {
        elems: vec![v1::Elem {
            body: Some(v1::elem::Body::Text(v1::TextElem {
                content: msg_id.to_owned(),
            })),
        }],
        conv_id: conv_id.to_owned(),
        conv_type,
        sender: sender.to_owned(),
        server_time: 1000,
        rand: 5,
        status: Some(2),
        msg_id: Some(msg_id.to_owned()),
        ..Default::default()
    }
}

pub(crate) fn c2c_send(from: &str, to: &str, msg_id: &str) -> WriteOp {
    WriteOp::Send(Box::new(SendWrite {
        app: APP,
        sender: user(from),
        target: Target::C2c(user(to)),
        msg_id: MessageId::new(msg_id).unwrap(),
        message: message(msg_id, 1, to, from),
        merge: None,
    }))
}

pub(crate) fn group_send(from: &str, to: &str, msg_id: &str) -> WriteOp {
    WriteOp::Send(Box::new(SendWrite {
        app: APP,
        sender: user(from),
        target: Target::Group(group(to)),
        msg_id: MessageId::new(msg_id).unwrap(),
        message: message(msg_id, 2, to, from),
        merge: None,
    }))
}

pub(crate) fn apply_one(storage: &dyn Storage, op: WriteOp) -> WriteOutcome {
    let mut outcomes = storage.apply(vec![op]).unwrap();
    assert_eq!(outcomes.len(), 1);
    outcomes.remove(0)
}

pub(crate) fn ack(outcome: &WriteOutcome) -> (Ack, bool) {
    match &outcome.result {
        Ok(Applied::Sent { ack, duplicate }) => (ack.clone(), *duplicate),
        other => panic!("expected a stored send, got {other:?}"),
    }
}

pub(crate) fn refusal_code(outcome: &WriteOutcome) -> i32 {
    match &outcome.result {
        Err(refusal) => refusal.code,
        Ok(applied) => panic!("expected a refusal, got {applied:?}"),
    }
}

pub(crate) fn create_group(
    storage: &dyn Storage,
    owner: &str,
    id: &str,
    members: &[&str],
    add_option: i32,
) -> WriteOutcome {
    apply_one(
        storage,
        WriteOp::CreateGroup(Box::new(CreateGroup {
            app: APP,
            owner: user(owner),
            group_id: Some(group(id)),
            record: GroupRecord {
                add_option,
                name: "g".into(),
                ..Default::default()
            },
            members: members.iter().map(|m| user(m)).collect(),
            admins: Vec::new(),
            time: 1000,
            limits: GroupLimits::default(),
        })),
    )
}

pub(crate) fn change(
    storage: &dyn Storage,
    operator: &str,
    id: &str,
    change: MembershipChange,
    users: &[&str],
) -> WriteOutcome {
    apply_one(
        storage,
        WriteOp::Members {
            app: APP,
            operator: user(operator),
            group: group(id),
            change,
            users: users.iter().map(|u| user(u)).collect(),
            time: 1001,
            limits: Box::default(),
        },
    )
}

pub(crate) fn history(
    storage: &dyn Storage,
    reader: &str,
    target: Target,
    begin: u64,
    end: u64,
    max: usize,
    backward: bool,
) -> Result<HistoryPage, Refusal> {
    storage
        .pull_history(
            APP,
            &user(reader),
            &target,
            HistoryQuery {
                begin_seq: begin,
                end_seq: end,
                max_count: max,
                backward,
                max_bytes: 1 << 20,
            },
        )
        .unwrap()
}

pub fn users_get_stable_distinct_tiny_ids(storage: &dyn Storage) {
    assert_eq!(storage.user(APP, &user("a")).unwrap(), None);
    let ensure = |id: &str| match apply_one(
        storage,
        WriteOp::EnsureUser {
            app: APP,
            user: user(id),
        },
    )
    .result
    {
        Ok(Applied::User(record)) => record,
        other => panic!("{other:?}"),
    };
    let a = ensure("a");
    let b = ensure("b");
    assert_ne!(a.tiny_id, b.tiny_id);
    assert!(a.tiny_id > 0 && b.tiny_id > 0);
    assert_eq!(ensure("a"), a);
    assert_eq!(storage.user(APP, &user("a")).unwrap(), Some(a));
    assert_eq!(a.latest_cursor, 0);
}

pub fn c2c_seqs_are_contiguous_per_pair_and_logged_for_both(storage: &dyn Storage) {
    let outcomes = storage
        .apply(vec![
            c2c_send("a", "b", "m1"),
            c2c_send("b", "a", "m2"),
            c2c_send("a", "c", "m3"),
            c2c_send("a", "b", "m4"),
        ])
        .unwrap();
    let seqs: Vec<u64> = outcomes.iter().map(|o| ack(o).0.seq).collect();
    assert_eq!(seqs, vec![1, 2, 1, 3]);
    let delivered: Vec<(String, u64)> = outcomes[0].deliveries[0].recipients.clone();
    assert_eq!(delivered, vec![("a".into(), 1), ("b".into(), 1)]);
    assert_eq!(
        storage
            .user(APP, &user("a"))
            .unwrap()
            .unwrap()
            .latest_cursor,
        4
    );
    assert_eq!(
        storage
            .user(APP, &user("b"))
            .unwrap()
            .unwrap()
            .latest_cursor,
        3
    );
    assert_eq!(
        storage
            .user(APP, &user("c"))
            .unwrap()
            .unwrap()
            .latest_cursor,
        1
    );
    let stored = &outcomes[3].deliveries[0].message;
    assert_eq!((stored.seq, stored.sender.as_str()), (3, "a"));
    assert!(stored.sender_tiny_id > 0 && stored.receiver_tiny_id > 0);
}

pub fn a_stored_message_id_is_a_duplicate(storage: &dyn Storage) {
    let first = apply_one(storage, c2c_send("a", "b", "dup"));
    let again = apply_one(storage, c2c_send("a", "b", "dup"));
    let (first_ack, first_dup) = ack(&first);
    let (again_ack, again_dup) = ack(&again);
    assert!(!first_dup && again_dup);
    assert_eq!(first_ack, again_ack);
    assert!(
        again.deliveries.is_empty(),
        "a duplicate is delivered nothing"
    );
    assert_eq!(
        ack(&apply_one(storage, c2c_send("a", "b", "next"))).0.seq,
        2
    );
    let id = MessageId::new("dup").unwrap();
    assert_eq!(
        storage.msg_id_state(APP, &user("a"), &id).unwrap(),
        Some(MsgIdState::Stored(first_ack))
    );
    // Within one batch too.
    let outcomes = storage
        .apply(vec![c2c_send("a", "b", "x"), c2c_send("a", "b", "x")])
        .unwrap();
    assert!(!ack(&outcomes[0]).1 && ack(&outcomes[1]).1);
}

pub fn cancel_blocks_later_sends_and_fails_on_stored_ids(storage: &dyn Storage) {
    let cancel = |id: &str| WriteOp::Cancel {
        app: APP,
        sender: user("a"),
        target: Target::C2c(user("b")),
        msg_id: MessageId::new(id).unwrap(),
    };
    assert!(apply_one(storage, cancel("c1")).result.is_ok());
    assert!(
        apply_one(storage, cancel("c1")).result.is_ok(),
        "cancelling twice is fine"
    );
    assert_eq!(
        refusal_code(&apply_one(storage, c2c_send("a", "b", "c1"))),
        codes::ERR_SDK_SEND_MESSAGE_FAILED_WITH_CANCEL
    );
    assert_eq!(
        storage
            .msg_id_state(APP, &user("a"), &MessageId::new("c1").unwrap())
            .unwrap(),
        Some(MsgIdState::Cancelled)
    );
    apply_one(storage, c2c_send("a", "b", "s1"));
    assert_eq!(
        refusal_code(&apply_one(storage, cancel("s1"))),
        codes::ERR_SDK_INVALID_CANCEL_MESSAGE
    );
}

pub fn message_ids_belong_to_their_sender(storage: &dyn Storage) {
    // Mallory takes the ID Alice will use next, and cancels the one after.
    ack(&apply_one(storage, c2c_send("mallory", "b", "next-1")));
    let cancel = WriteOp::Cancel {
        app: APP,
        sender: user("mallory"),
        target: Target::C2c(user("b")),
        msg_id: MessageId::new("next-2").unwrap(),
    };
    assert!(apply_one(storage, cancel).result.is_ok());
    for id in ["next-1", "next-2"] {
        let sent = apply_one(storage, c2c_send("a", "b", id));
        let (first, duplicate) = ack(&sent);
        assert!(
            !duplicate,
            "{id}: another user's ID made Alice's a duplicate"
        );
        assert_eq!(sent.deliveries.len(), 1, "{id} is delivered");
        let again = apply_one(storage, c2c_send("a", "b", id));
        assert_eq!(
            ack(&again),
            (first, true),
            "{id}: a retry stays a duplicate"
        );
    }
    let state = |sender: &str, id: &str| {
        storage
            .msg_id_state(APP, &user(sender), &MessageId::new(id).unwrap())
            .unwrap()
    };
    assert_eq!(state("mallory", "next-2"), Some(MsgIdState::Cancelled));
    assert!(matches!(state("a", "next-2"), Some(MsgIdState::Stored(_))));
    assert_eq!(state("carol", "next-1"), None);
    // Unique IDs never repeat, across conversations too.
    let mut unique = std::collections::HashSet::new();
    for (from, to, id) in [("a", "b", "u1"), ("a", "c", "u2"), ("c", "b", "u3")] {
        let outcome = apply_one(storage, c2c_send(from, to, id));
        let message = &outcome.deliveries[0].message;
        assert!(message.unique_id > 0 && message.unique_id < 1 << 53);
        assert!(unique.insert(message.unique_id));
    }
}

pub fn event_logs_are_trimmed_to_their_newest_events(storage: &dyn Storage) {
    for i in 0..30 {
        ack(&apply_one(storage, c2c_send("a", "b", &format!("t{i}"))));
    }
    ack(&apply_one(storage, c2c_send("c", "d", "other")));
    // Two users per op: the pass over a, b, c, d takes more than one op.
    let mut removed = 0;
    let mut ops = 0;
    loop {
        ops += 1;
        assert!(ops <= 10, "the trim pass never ended");
        match apply_one(
            storage,
            WriteOp::TrimLogs {
                keep: 10,
                max_users: 2,
            },
        )
        .result
        {
            Ok(Applied::Trimmed { events, pass_done }) => {
                removed += events;
                if pass_done {
                    break;
                }
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(ops >= 2);
    assert_eq!(removed, 40, "a's and b's logs keep 10 of 30 events each");
    // A cursor before the log's start: told, and synced from the start.
    let page = storage.sync(APP, &user("b"), 3, 100, 1 << 20).unwrap();
    assert!(page.cursor_expired);
    assert_eq!(page.events.len(), 10);
    assert_eq!(page.events[0].cursor, 21);
    // A cursor inside the kept part: nothing lost.
    let page = storage.sync(APP, &user("b"), 25, 100, 1 << 20).unwrap();
    assert!(!page.cursor_expired);
    assert_eq!(page.events.len(), 5);
    // A short log is untouched, and a second pass removes nothing more.
    let page = storage.sync(APP, &user("d"), 0, 100, 1 << 20).unwrap();
    assert!(!page.cursor_expired && page.events.len() == 1);
    let again = apply_one(
        storage,
        WriteOp::TrimLogs {
            keep: 10,
            max_users: 100,
        },
    );
    assert!(matches!(
        again.result,
        Ok(Applied::Trimmed {
            events: 0,
            pass_done: true
        })
    ));
    // New events go on from the head.
    ack(&apply_one(storage, c2c_send("a", "b", "after")));
    let page = storage.sync(APP, &user("b"), 30, 100, 1 << 20).unwrap();
    assert_eq!(page.events.len(), 1);
}

pub fn a_refused_op_writes_nothing_and_the_batch_goes_on(storage: &dyn Storage) {
    let outcomes = storage
        .apply(vec![
            c2c_send("a", "b", "ok1"),
            group_send("a", "nowhere", "bad"),
            c2c_send("a", "b", "ok2"),
        ])
        .unwrap();
    assert_eq!(ack(&outcomes[0]).0.seq, 1);
    assert_eq!(refusal_code(&outcomes[1]), codes::ERR_SVR_GROUP_NOT_FOUND);
    assert!(outcomes[1].deliveries.is_empty());
    assert_eq!(ack(&outcomes[2]).0.seq, 2);
    assert_eq!(
        storage
            .msg_id_state(APP, &user("a"), &MessageId::new("bad").unwrap())
            .unwrap(),
        None
    );
    assert_eq!(
        storage
            .user(APP, &user("a"))
            .unwrap()
            .unwrap()
            .latest_cursor,
        2
    );
}

pub fn sync_pages_in_order_and_flags_a_cursor_beyond_the_log(storage: &dyn Storage) {
    let ops = (1..=25)
        .map(|i| c2c_send("a", "b", &format!("s{i}")))
        .collect();
    storage.apply(ops).unwrap();
    let b = user("b");
    let page = storage.sync(APP, &b, 0, 10, 1 << 20).unwrap();
    let cursors: Vec<u64> = page.events.iter().map(|e| e.cursor).collect();
    assert_eq!(cursors, (1..=10).collect::<Vec<_>>());
    assert_eq!(
        (page.next_cursor, page.has_more, page.cursor_expired),
        (10, true, false)
    );
    let page = storage.sync(APP, &b, 20, 10, 1 << 20).unwrap();
    let seqs: Vec<u64> = page
        .events
        .iter()
        .map(|e| e.message().unwrap().seq)
        .collect();
    assert_eq!(seqs, (21..=25).collect::<Vec<_>>());
    assert_eq!((page.next_cursor, page.has_more), (25, false));
    // A byte budget still returns at least one event.
    let page = storage.sync(APP, &b, 0, 10, 1).unwrap();
    assert_eq!(
        (page.events.len(), page.next_cursor, page.has_more),
        (1, 1, true)
    );
    let page = storage.sync(APP, &b, 99, 10, 1 << 20).unwrap();
    assert!(page.cursor_expired && page.events.is_empty());
    assert_eq!((page.next_cursor, page.has_more), (0, true));
    let page = storage.sync(APP, &user("nobody"), 0, 10, 1 << 20).unwrap();
    assert_eq!(page, SyncPage::default());
}

pub fn history_pages_report_their_coverage(storage: &dyn Storage) {
    let ops = (1..=30)
        .map(|i| c2c_send("a", "b", &format!("h{i}")))
        .collect();
    storage.apply(ops).unwrap();
    let seqs = |page: &HistoryPage| page.messages.iter().map(|m| m.seq).collect::<Vec<_>>();
    let page = history(storage, "b", Target::C2c(user("a")), 0, 0, 10, true).unwrap();
    assert_eq!(seqs(&page), (21..=30).rev().collect::<Vec<_>>());
    assert_eq!(
        (
            page.covered_begin_seq,
            page.covered_end_seq,
            page.has_more,
            page.newest_seq
        ),
        (21, 30, true, 30)
    );
    let page = history(storage, "b", Target::C2c(user("a")), 0, 0, 10, false).unwrap();
    assert_eq!(seqs(&page), (1..=10).collect::<Vec<_>>());
    assert_eq!(
        (page.covered_begin_seq, page.covered_end_seq, page.has_more),
        (1, 10, true)
    );
    let page = history(storage, "a", Target::C2c(user("b")), 28, 100, 10, false).unwrap();
    assert_eq!(seqs(&page), vec![28, 29, 30]);
    assert_eq!(
        (page.covered_begin_seq, page.covered_end_seq, page.has_more),
        (28, 30, false)
    );
    let page = history(storage, "a", Target::C2c(user("b")), 40, 50, 10, false).unwrap();
    assert!(page.messages.is_empty());
    assert_eq!((page.covered_begin_seq, page.covered_end_seq), (0, 0));
    let page = history(storage, "c", Target::C2c(user("a")), 0, 0, 10, true).unwrap();
    assert_eq!((page.messages.len(), page.newest_seq), (0, 0));
}

pub fn messages_come_from_the_readers_view(storage: &dyn Storage) {
    apply_one(storage, c2c_send("a", "b", "v1"));
    let for_b = storage
        .sync(APP, &user("b"), 0, 10, 1 << 20)
        .unwrap()
        .events[0]
        .message()
        .unwrap()
        .clone();
    assert_eq!(
        (
            for_b.conv_id.as_str(),
            for_b.is_from_self,
            for_b.sender.as_str()
        ),
        ("a", false, "a")
    );
    let for_a = storage
        .sync(APP, &user("a"), 0, 10, 1 << 20)
        .unwrap()
        .events[0]
        .message()
        .unwrap()
        .clone();
    assert_eq!((for_a.conv_id.as_str(), for_a.is_from_self), ("b", true));
    let page = history(storage, "b", Target::C2c(user("a")), 0, 0, 10, true).unwrap();
    assert_eq!(
        (
            page.messages[0].conv_id.as_str(),
            page.messages[0].is_from_self
        ),
        ("a", false)
    );
}
