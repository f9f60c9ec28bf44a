//! The cross-instance suite: two instances of a backend (two nodes) on one shared store,
//! racing. Run it with [`storage_node_tests!`](crate::storage_node_tests) on backends meant for
//! several nodes (PostgreSQL); the embedded redb file has one node by construction.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use super::extensions::{extensible_send, results, set};
use super::lifecycle::modify;
use super::*;
use std::collections::BTreeSet;
use std::sync::Barrier;

/// Runs one cross-instance function per test, given an expression that makes
/// `(Arc<dyn Storage>, Arc<dyn Storage>, guard)`: two instances on one store.
#[macro_export]
macro_rules! storage_node_tests {
    ($make:expr) => {
        $crate::storage_node_tests!(@each $make;
            two_nodes_racing_on_one_conversation_give_contiguous_seqs_and_logs,
            the_same_message_id_from_two_nodes_is_stored_once,
            a_modify_version_has_one_winner_across_nodes,
            an_extension_key_has_one_winner_across_nodes,
            a_join_racing_a_group_send_is_decided_consistently,
            a_removal_racing_a_send_never_stores_a_non_members_message,
        );
    };
    (@each $make:expr; $($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            let (first, second, _guard) = ($make)();
            $crate::conformance::$name(&*first, &*second);
        }
    )*};
}

/// Runs `left` on one thread and `right` on another, started together.
fn race<L: Send, R: Send>(
    left: impl FnOnce() -> L + Send,
    right: impl FnOnce() -> R + Send,
) -> (L, R) {
    let start = Barrier::new(2);
    std::thread::scope(|scope| {
        let l = scope.spawn(|| {
            start.wait();
            left()
        });
        let r = scope.spawn(|| {
            start.wait();
            right()
        });
        (l.join().unwrap(), r.join().unwrap())
    })
}

/// The cursors of `reader`'s whole log.
fn cursors(storage: &dyn Storage, reader: &str) -> Vec<u64> {
    let mut cursors = Vec::new();
    let mut cursor = 0;
    for _ in 0..1000 {
        let page = storage
            .sync(APP, &user(reader), cursor, 100, 1 << 22)
            .unwrap();
        cursors.extend(page.events.iter().map(|e| e.cursor));
        cursor = page.next_cursor;
        if !page.has_more {
            break;
        }
    }
    cursors
}

pub fn two_nodes_racing_on_one_conversation_give_contiguous_seqs_and_logs(
    a: &dyn Storage,
    b: &dyn Storage,
) {
    const ROUNDS: usize = 40;
    let sender = |storage: &dyn Storage, from: &'static str, to: &'static str| {
        for round in 0..ROUNDS {
            let ops = vec![
                c2c_send(from, to, &format!("{from}-{round}-0")),
                c2c_send(from, to, &format!("{from}-{round}-1")),
            ];
            for outcome in storage.apply(ops).unwrap() {
                let (_, duplicate) = ack(&outcome);
                assert!(!duplicate);
            }
        }
    };
    race(|| sender(a, "alice", "bob"), || sender(b, "bob", "alice"));
    let total = (ROUNDS * 4) as u64;
    let page = history(a, "alice", Target::C2c(user("bob")), 0, 0, 1000, false).unwrap();
    let seqs: Vec<u64> = page.messages.iter().map(|m| m.seq).collect();
    assert_eq!(
        seqs,
        (1..=total).collect::<Vec<_>>(),
        "one gap-free seq run"
    );
    let ids: BTreeSet<String> = page
        .messages
        .iter()
        .filter_map(|m| m.msg_id.clone())
        .collect();
    assert_eq!(ids.len() as u64, total, "every message once");
    for reader in ["alice", "bob"] {
        assert_eq!(
            cursors(b, reader),
            (1..=total).collect::<Vec<_>>(),
            "{reader}'s log is gap-free"
        );
    }
}

pub fn the_same_message_id_from_two_nodes_is_stored_once(a: &dyn Storage, b: &dyn Storage) {
    const ROUNDS: usize = 30;
    for round in 0..ROUNDS {
        let id = format!("retry-{round}");
        let (left, right) = race(
            || apply_one(a, c2c_send("alice", "bob", &id)),
            || apply_one(b, c2c_send("alice", "bob", &id)),
        );
        let ((left, left_dup), (right, right_dup)) = (ack(&left), ack(&right));
        assert!(
            left_dup != right_dup,
            "exactly one first store: {left:?} {right:?}"
        );
        assert_eq!(left.seq, right.seq, "both answers give the stored seq");
    }
    let page = history(b, "bob", Target::C2c(user("alice")), 0, 0, 1000, false).unwrap();
    assert_eq!(page.messages.len(), ROUNDS);
}

pub fn a_modify_version_has_one_winner_across_nodes(a: &dyn Storage, b: &dyn Storage) {
    apply_one(a, c2c_send("alice", "bob", "m1"));
    let text = |content: &str| v1::Elem {
        body: Some(v1::elem::Body::Text(v1::TextElem {
            content: content.to_owned(),
        })),
    };
    for version in 0..15u64 {
        let (left, right) = race(
            || {
                modify(
                    a,
                    "alice",
                    Target::C2c(user("bob")),
                    "m1",
                    version,
                    vec![text("a")],
                )
            },
            || {
                modify(
                    b,
                    "alice",
                    Target::C2c(user("bob")),
                    "m1",
                    version,
                    vec![text("b")],
                )
            },
        );
        let won = |o: &WriteOutcome| matches!(o.result, Ok(Applied::Modified(_)));
        let lost = |o: &WriteOutcome| matches!(o.result, Ok(Applied::Conflict(_)));
        assert!(
            (won(&left) && lost(&right)) || (lost(&left) && won(&right)),
            "version {version}: {:?} / {:?}",
            left.result,
            right.result
        );
    }
}

pub fn an_extension_key_has_one_winner_across_nodes(a: &dyn Storage, b: &dyn Storage) {
    apply_one(a, extensible_send(c2c_send("alice", "bob", "m1")));
    let mut version = 0;
    for round in 0..15 {
        let item = |value: &str| {
            vec![v1::MessageExtension {
                key: "k".into(),
                value: value.into(),
                version,
            }]
        };
        let (left, right) = race(
            || results(&set(a, "alice", Target::C2c(user("bob")), "m1", item("a"))),
            || results(&set(b, "bob", Target::C2c(user("alice")), "m1", item("b"))),
        );
        let winners: Vec<_> = [&left[0], &right[0]]
            .into_iter()
            .filter(|r| r.0 == 0)
            .collect();
        assert_eq!(winners.len(), 1, "round {round}: {left:?} / {right:?}");
        version = winners[0].3;
        let (loser_code, loser_version) = if left[0].0 == 0 {
            (right[0].0, right[0].3)
        } else {
            (left[0].0, left[0].3)
        };
        assert_ne!(loser_code, 0);
        assert_eq!(
            loser_version, version,
            "the loser is told the winner's version"
        );
    }
}

pub fn a_join_racing_a_group_send_is_decided_consistently(a: &dyn Storage, b: &dyn Storage) {
    for round in 0..15 {
        let g = format!("g{round}");
        create_group(a, "owner", &g, &["x"], 2);
        let id = format!("race-{round}");
        let (_, sent) = race(
            || change(a, "y", &g, MembershipChange::Join, &[]),
            || apply_one(b, group_send("x", &g, &id)),
        );
        let (stored, _) = ack(&sent);
        let pushed_to_y = sent.deliveries[0].recipients.iter().any(|(u, _)| u == "y");
        let in_log = b
            .sync(APP, &user("y"), 0, 1000, 1 << 22)
            .unwrap()
            .events
            .iter()
            .any(|e| {
                e.message()
                    .is_some_and(|m| m.msg_id.as_deref() == Some(&*id))
            });
        let in_history = history(a, "y", Target::Group(group(&g)), 0, 0, 100, false)
            .unwrap()
            .messages
            .iter()
            .any(|m| m.seq == stored.seq);
        assert_eq!(pushed_to_y, in_log, "round {round}: push and log agree");
        assert_eq!(in_log, in_history, "round {round}: log and history agree");
    }
}

pub fn a_removal_racing_a_send_never_stores_a_non_members_message(
    a: &dyn Storage,
    b: &dyn Storage,
) {
    for round in 0..15 {
        let g = format!("r{round}");
        create_group(a, "owner", &g, &["x"], 2);
        let id = format!("late-{round}");
        let (_, sent) = race(
            || change(a, "owner", &g, MembershipChange::Remove, &["x"]),
            || apply_one(b, group_send("x", &g, &id)),
        );
        let owners_view = history(b, "owner", Target::Group(group(&g)), 0, 0, 100, false)
            .unwrap()
            .messages;
        match &sent.result {
            Ok(Applied::Sent { ack, .. }) => {
                // Stored while x was a member: before the removal's tip.
                let removal_tip = owners_view.last().unwrap().seq;
                assert!(
                    ack.seq < removal_tip,
                    "round {round}: sent after the removal"
                );
            }
            Err(refusal) => {
                assert_eq!(refusal.code, codes::ERR_SVR_GROUP_PERMISSION_DENY);
                assert!(
                    owners_view
                        .iter()
                        .all(|m| m.msg_id.as_deref() != Some(&*id))
                );
            }
            Ok(other) => panic!("round {round}: {other:?}"),
        }
    }
}
