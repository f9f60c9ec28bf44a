//! Conformance: message extensions (per-key compare-and-swap, limits, notices).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use super::lifecycle::revoke;
use super::*;
use crate::extensions::{ExtensionsApplied, ExtensionsWrite};

pub(super) fn extensible_send(op: WriteOp) -> WriteOp {
    match op {
        WriteOp::Send(mut send) => {
            send.message.support_message_extension = true;
            WriteOp::Send(send)
        }
        other => other,
    }
}

fn ext(key: &str, value: &str, version: u64) -> v1::MessageExtension {
    v1::MessageExtension {
        key: key.into(),
        value: value.into(),
        version,
    }
}

pub(super) fn set(
    storage: &dyn Storage,
    who: &str,
    target: Target,
    msg_id: &str,
    items: Vec<v1::MessageExtension>,
) -> WriteOutcome {
    apply_one(
        storage,
        WriteOp::Extensions(Box::new(ExtensionsWrite::Set {
            app: APP,
            user: user(who),
            target,
            msg_id: MessageId::new(msg_id).unwrap(),
            items,
        })),
    )
}

fn delete(
    storage: &dyn Storage,
    who: &str,
    target: Target,
    msg_id: &str,
    keys: &[&str],
) -> WriteOutcome {
    apply_one(
        storage,
        WriteOp::Extensions(Box::new(ExtensionsWrite::Delete {
            app: APP,
            user: user(who),
            target,
            msg_id: MessageId::new(msg_id).unwrap(),
            keys: keys.iter().map(|k| (*k).to_owned()).collect(),
        })),
    )
}

pub(super) fn results(outcome: &WriteOutcome) -> Vec<(u32, String, String, u64)> {
    match &outcome.result {
        Ok(Applied::Extensions(ExtensionsApplied { results })) => results
            .iter()
            .map(|r| {
                let item = r.item.clone().unwrap_or_default();
                (r.code, item.key, item.value, item.version)
            })
            .collect(),
        other => panic!("expected extension results, got {other:?}"),
    }
}

fn get(
    storage: &dyn Storage,
    who: &str,
    target: Target,
    msg_id: &str,
) -> Result<Vec<(String, String, u64)>, i32> {
    storage
        .extensions(APP, &user(who), &target, &MessageId::new(msg_id).unwrap())
        .unwrap()
        .map(|all| {
            all.into_iter()
                .map(|e| (e.key, e.value, e.version))
                .collect()
        })
        .map_err(|refusal| refusal.code)
}

/// The extension notices in `reader`'s log: (changed?, msg_id, conv_id, keys).
fn notices(storage: &dyn Storage, reader: &str) -> Vec<(bool, String, String, Vec<String>)> {
    storage
        .sync(APP, &user(reader), 0, 1000, 1 << 20)
        .unwrap()
        .events
        .into_iter()
        .filter_map(|item| match item.event {
            SyncBody::Notice(v1::sync_event::Event::ExtensionsChanged(push)) => Some((
                true,
                push.msg_id,
                push.conversation.unwrap().conv_id,
                push.extensions.into_iter().map(|e| e.key).collect(),
            )),
            SyncBody::Notice(v1::sync_event::Event::ExtensionsDeleted(push)) => Some((
                false,
                push.msg_id,
                push.conversation.unwrap().conv_id,
                push.keys,
            )),
            _ => None,
        })
        .collect()
}

const OK: u32 = 0;
const CONFLICT: u32 = codes::ERR_SVR_MSG_EXTENSION_CONFLICT as u32;
const MISSING: u32 = codes::ERR_SVR_MSG_EXTENSION_NOT_EXIST as u32;

pub fn extensions_compare_and_swap_per_key_and_notify_both_c2c_parties(storage: &dyn Storage) {
    apply_one(storage, extensible_send(c2c_send("a", "b", "m1")));
    let to_b = || Target::C2c(user("b"));
    let to_a = || Target::C2c(user("a"));
    // New keys are based on version 0; each change takes a new, larger version.
    let first = results(&set(
        storage,
        "a",
        to_b(),
        "m1",
        vec![ext("k1", "v1", 0), ext("k2", "v2", 0)],
    ));
    assert_eq!(
        first,
        vec![
            (OK, "k1".into(), "v1".into(), 1),
            (OK, "k2".into(), "v2".into(), 2)
        ]
    );
    // The peer changes k1 from version 1; a stale change of k1 fails with the current state
    // while its other key is applied.
    assert_eq!(
        results(&set(storage, "b", to_a(), "m1", vec![ext("k1", "b1", 1)])),
        vec![(OK, "k1".into(), "b1".into(), 3)]
    );
    assert_eq!(
        results(&set(
            storage,
            "a",
            to_b(),
            "m1",
            vec![ext("k1", "late", 1), ext("k3", "v3", 0)]
        )),
        vec![
            (CONFLICT, "k1".into(), "b1".into(), 3),
            (OK, "k3".into(), "v3".into(), 4)
        ]
    );
    // A key that exists cannot be created again from version 0.
    assert_eq!(
        results(&set(storage, "b", to_a(), "m1", vec![ext("k2", "x", 0)])),
        vec![(CONFLICT, "k2".into(), "v2".into(), 2)]
    );
    assert_eq!(
        get(storage, "b", to_a(), "m1").unwrap(),
        vec![
            ("k1".into(), "b1".into(), 3),
            ("k2".into(), "v2".into(), 2),
            ("k3".into(), "v3".into(), 4)
        ]
    );
    // Delete: a missing key fails with 23004, the others go.
    assert_eq!(
        results(&delete(storage, "b", to_a(), "m1", &["k2", "nope"])),
        vec![
            (OK, "k2".into(), "v2".into(), 2),
            (MISSING, "nope".into(), String::new(), 0)
        ]
    );
    // A deleted key is created again from version 0, with a new version.
    assert_eq!(
        results(&set(
            storage,
            "a",
            to_b(),
            "m1",
            vec![ext("k2", "again", 0)]
        )),
        vec![(OK, "k2".into(), "again".into(), 5)]
    );
    // Delete with no keys: every key.
    assert_eq!(results(&delete(storage, "a", to_b(), "m1", &[])).len(), 3);
    assert_eq!(get(storage, "a", to_b(), "m1").unwrap(), vec![]);
    // Both parties got every change (only the changed keys), each from their own view; a
    // call that changed nothing logged nothing.
    let expected = |peer: &str| {
        vec![
            (
                true,
                "m1".to_owned(),
                peer.to_owned(),
                vec!["k1".to_owned(), "k2".to_owned()],
            ),
            (true, "m1".into(), peer.into(), vec!["k1".into()]),
            (true, "m1".into(), peer.into(), vec!["k3".into()]),
            (false, "m1".into(), peer.into(), vec!["k2".into()]),
            (true, "m1".into(), peer.into(), vec!["k2".into()]),
            (
                false,
                "m1".into(),
                peer.into(),
                vec!["k1".into(), "k2".into(), "k3".into()],
            ),
        ]
    };
    assert_eq!(notices(storage, "a"), expected("b"));
    assert_eq!(notices(storage, "b"), expected("a"));
}

pub fn extensions_are_refused_off_limits_and_write_nothing(storage: &dyn Storage) {
    apply_one(storage, extensible_send(c2c_send("a", "b", "m1")));
    apply_one(storage, c2c_send("a", "b", "plain"));
    apply_one(storage, extensible_send(c2c_send("a", "b", "gone")));
    apply_one(storage, extensible_send(c2c_send("a", "c", "ac")));
    let to_b = || Target::C2c(user("b"));
    // Not a party / wrong conversation / unknown ID: not found.
    let not_found = codes::ERR_SDK_COMM_DATABASE_NOTFOUND;
    assert_eq!(
        refusal_code(&set(
            storage,
            "b",
            Target::C2c(user("c")),
            "ac",
            vec![ext("k", "v", 0)]
        )),
        not_found
    );
    assert_eq!(
        refusal_code(&set(storage, "a", to_b(), "ac", vec![ext("k", "v", 0)])),
        not_found
    );
    assert_eq!(
        refusal_code(&set(
            storage,
            "a",
            to_b(),
            "unknown",
            vec![ext("k", "v", 0)]
        )),
        not_found
    );
    assert_eq!(
        get(storage, "b", Target::C2c(user("c")), "ac"),
        Err(not_found)
    );
    // Sent without support_message_extension, or revoked: refused.
    let invalid = codes::ERR_SDK_INVALID_OPERATION;
    assert_eq!(
        refusal_code(&set(storage, "a", to_b(), "plain", vec![ext("k", "v", 0)])),
        invalid
    );
    assert_eq!(get(storage, "a", to_b(), "plain"), Err(invalid));
    set(storage, "a", to_b(), "gone", vec![ext("k", "v", 0)]);
    revoke(storage, "a", to_b(), "gone", 1000).result.unwrap();
    assert_eq!(
        refusal_code(&set(storage, "a", to_b(), "gone", vec![ext("k2", "v", 0)])),
        invalid
    );
    assert_eq!(
        refusal_code(&delete(storage, "a", to_b(), "gone", &["k"])),
        invalid
    );
    // 300 keys per message: a call that would go beyond writes none of its keys.
    for round in 0..15 {
        let items = (0..20)
            .map(|i| ext(&format!("k{round}-{i}"), "v", 0))
            .collect();
        assert!(
            results(&set(storage, "a", to_b(), "m1", items))
                .iter()
                .all(|r| r.0 == OK)
        );
    }
    let before = notices(storage, "b").len();
    let over = set(
        storage,
        "a",
        to_b(),
        "m1",
        vec![ext("k0-0", "changed", 1), ext("new", "v", 0)],
    );
    assert_eq!(refusal_code(&over), codes::ERR_INVALID_PARAMETERS);
    let all = get(storage, "a", to_b(), "m1").unwrap();
    assert_eq!(all.len(), 300);
    assert!(
        all.iter()
            .all(|(key, value, _)| key != "new" && value == "v")
    );
    assert_eq!(notices(storage, "b").len(), before);
    // Changing existing keys at the limit is fine.
    assert_eq!(
        results(&set(
            storage,
            "a",
            to_b(),
            "m1",
            vec![ext("k0-0", "changed", 1)]
        ))[0]
            .0,
        OK
    );
}

pub fn group_extensions_reach_members_who_see_the_message(storage: &dyn Storage) {
    create_group(storage, "owner", "g1", &["m", "x"], 2);
    apply_one(storage, extensible_send(group_send("m", "g1", "gm")));
    change(storage, "owner", "g1", MembershipChange::Add, &["late"]);
    let g = || Target::Group(group("g1"));
    // A non-member is refused with the group codes; a member who joined after the message
    // cannot see it.
    assert_eq!(
        refusal_code(&set(storage, "stranger", g(), "gm", vec![ext("k", "v", 0)])),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    assert_eq!(
        get(storage, "stranger", g(), "gm"),
        Err(codes::ERR_SVR_GROUP_PERMISSION_DENY)
    );
    assert_eq!(
        refusal_code(&set(storage, "late", g(), "gm", vec![ext("k", "v", 0)])),
        codes::ERR_SDK_COMM_DATABASE_NOTFOUND
    );
    assert_eq!(
        results(&set(storage, "x", g(), "gm", vec![ext("k", "v", 0)]))[0].0,
        OK
    );
    assert_eq!(
        results(&delete(storage, "owner", g(), "gm", &["k"]))[0].0,
        OK
    );
    for reader in ["owner", "m", "x"] {
        assert_eq!(
            notices(storage, reader),
            vec![
                (true, "gm".to_owned(), "g1".to_owned(), vec!["k".to_owned()]),
                (false, "gm".into(), "g1".into(), vec!["k".into()]),
            ],
            "{reader}"
        );
    }
    assert!(notices(storage, "late").is_empty());
}
