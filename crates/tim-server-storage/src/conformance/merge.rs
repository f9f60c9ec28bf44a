//! Conformance: merged-message bundles (stored with their carrying message, read rights that
//! follow the carriers, the nesting limit).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use super::*;
use crate::merge::{MergeSend, NewBundle};
use tim_model::limits::MERGE_LAYERS_MAX;

/// A relay key made from `n` (the service makes random ones; any 32 hex digits do here).
fn key(n: u64) -> String {
    format!("{n:032x}")
}

fn merge_elem(key: &str) -> v1::Elem {
    v1::Elem {
        body: Some(v1::elem::Body::Merge(v1::MergeElem {
            title: "chat".into(),
            compatible_text: "[chat]".into(),
            relay_pb_key: key.into(),
            ..Default::default()
        })),
    }
}

/// An inner message with this text, or naming bundle `child`.
fn inner(text: &str, child: Option<&str>) -> v1::Message {
    let mut message = super::message(text, 1, "x", "y");
    if let Some(child) = child {
        message.elems = vec![merge_elem(child)];
    }
    message
}

/// `send` (from `c2c_send` or `group_send`) carrying `bundles` (new) and naming `carried` in
/// its merge element.
fn carrying(send: WriteOp, bundles: Vec<NewBundle>, carried: &str) -> WriteOp {
    match send {
        WriteOp::Send(mut write) => {
            write.message.elems = vec![merge_elem(carried)];
            write.merge = Some(Arc::new(MergeSend {
                bundles,
                carried: vec![carried.to_owned()],
            }));
            WriteOp::Send(write)
        }
        other => other,
    }
}

fn bundle(key: &str, messages: Vec<v1::Message>, children: &[&str]) -> NewBundle {
    NewBundle {
        key: key.to_owned(),
        messages,
        children: children.iter().map(|c| (*c).to_owned()).collect(),
    }
}

fn read(storage: &dyn Storage, who: &str, key: &str) -> Result<Vec<String>, i32> {
    storage
        .merged_messages(APP, &user(who), key)
        .unwrap()
        .map(|messages| {
            messages
                .iter()
                .map(|m| match m.elems.first().and_then(|e| e.body.as_ref()) {
                    Some(v1::elem::Body::Text(text)) => text.content.clone(),
                    Some(v1::elem::Body::Merge(merge)) => format!("merge:{}", merge.relay_pb_key),
                    other => format!("{other:?}"),
                })
                .collect()
        })
        .map_err(|refusal| refusal.code)
}

const NOT_FOUND: i32 = codes::ERR_SDK_COMM_DATABASE_NOTFOUND;

pub fn merged_bundles_are_read_by_whoever_sees_a_carrier(storage: &dyn Storage) {
    let k1 = key(1);
    let outcome = apply_one(
        storage,
        carrying(
            c2c_send("alice", "bob", "m1"),
            vec![bundle(
                &k1,
                vec![inner("first", None), inner("second", None)],
                &[],
            )],
            &k1,
        ),
    );
    let (first, _) = ack(&outcome);
    assert_eq!(first.relay_keys, vec![k1.clone()]);
    let delivered = &outcome.deliveries[0].message;
    assert_eq!(delivered.elems, vec![merge_elem(&k1)]);
    let both = Ok(vec!["first".to_owned(), "second".to_owned()]);
    assert_eq!(read(storage, "alice", &k1), both);
    assert_eq!(read(storage, "bob", &k1), both);
    assert_eq!(read(storage, "carol", &k1), Err(NOT_FOUND));
    assert_eq!(read(storage, "alice", &key(99)), Err(NOT_FOUND));

    // A retry answers the stored keys and stores nothing new.
    let retry = apply_one(
        storage,
        carrying(
            c2c_send("alice", "bob", "m1"),
            vec![bundle(&key(2), vec![inner("other", None)], &[])],
            &key(2),
        ),
    );
    assert_eq!(ack(&retry), (first.clone(), true));
    assert_eq!(read(storage, "alice", &key(2)), Err(NOT_FOUND));

    // Bob forwards a merge of the merge to carol: carol reads both levels, dave neither.
    let k3 = key(3);
    let outcome = apply_one(
        storage,
        carrying(
            c2c_send("bob", "carol", "m2"),
            vec![bundle(&k3, vec![inner("", Some(&k1))], &[&k1])],
            &k3,
        ),
    );
    ack(&outcome);
    assert_eq!(read(storage, "carol", &k3), Ok(vec![format!("merge:{k1}")]));
    assert_eq!(read(storage, "carol", &k1), both);
    assert_eq!(read(storage, "dave", &k3), Err(NOT_FOUND));
    assert_eq!(read(storage, "dave", &k1), Err(NOT_FOUND));

    // A sender may only name bundles they may read, and only stored ones; refused sends store
    // nothing.
    let stolen = apply_one(
        storage,
        carrying(
            c2c_send("dave", "erin", "m3"),
            vec![bundle(&key(4), vec![inner("", Some(&k1))], &[&k1])],
            &key(4),
        ),
    );
    assert_eq!(refusal_code(&stolen), NOT_FOUND);
    let forwarded_stolen = apply_one(
        storage,
        carrying(c2c_send("dave", "erin", "m4"), vec![], &k1),
    );
    assert_eq!(refusal_code(&forwarded_stolen), NOT_FOUND);
    let unknown = apply_one(
        storage,
        carrying(c2c_send("carol", "erin", "m5"), vec![], &key(98)),
    );
    assert_eq!(refusal_code(&unknown), NOT_FOUND);
    for (sender, msg_id) in [("dave", "m3"), ("dave", "m4"), ("carol", "m5")] {
        let id = MessageId::new(msg_id).unwrap();
        let state = storage.msg_id_state(APP, &user(sender), &id).unwrap();
        assert_eq!(state, None, "{msg_id}");
    }
    assert_eq!(read(storage, "erin", &key(4)), Err(NOT_FOUND));

    // Carol forwards the received merged message itself to erin: erin reads it.
    let forwarded = apply_one(
        storage,
        carrying(c2c_send("carol", "erin", "m6"), vec![], &k3),
    );
    ack(&forwarded);
    assert_eq!(read(storage, "erin", &k3), Ok(vec![format!("merge:{k1}")]));
    assert_eq!(read(storage, "erin", &k1), both);
}

pub fn group_bundles_follow_current_membership(storage: &dyn Storage) {
    let created = create_group(storage, "alice", "g1", &["bob"], 0);
    assert!(matches!(created.result, Ok(Applied::GroupCreated { .. })));
    let k1 = key(11);
    ack(&apply_one(
        storage,
        carrying(
            group_send("alice", "g1", "gm1"),
            vec![bundle(&k1, vec![inner("inside", None)], &[])],
            &k1,
        ),
    ));
    let inside = Ok(vec!["inside".to_owned()]);
    assert_eq!(read(storage, "alice", &k1), inside);
    assert_eq!(read(storage, "bob", &k1), inside);
    assert_eq!(read(storage, "carol", &k1), Err(NOT_FOUND));
    // A member who joins later does not see the carrying message.
    change(storage, "alice", "g1", MembershipChange::Add, &["carol"]);
    assert_eq!(read(storage, "carol", &k1), Err(NOT_FOUND));
    // A member who leaves loses it.
    change(storage, "alice", "g1", MembershipChange::Remove, &["bob"]);
    assert_eq!(read(storage, "bob", &k1), Err(NOT_FOUND));

    // A targeted group message: its targets and its sender only.
    change(storage, "alice", "g1", MembershipChange::Add, &["dave"]);
    let k2 = key(12);
    let mut targeted = carrying(
        group_send("alice", "g1", "gm2"),
        vec![bundle(&k2, vec![inner("secret", None)], &[])],
        &k2,
    );
    if let WriteOp::Send(write) = &mut targeted {
        write.message.target_group_member_array = vec!["dave".into()];
    }
    ack(&apply_one(storage, targeted));
    assert_eq!(read(storage, "dave", &k2), Ok(vec!["secret".to_owned()]));
    assert_eq!(read(storage, "alice", &k2), Ok(vec!["secret".to_owned()]));
    assert_eq!(read(storage, "carol", &k2), Err(NOT_FOUND));
}

pub fn merged_messages_nest_at_most_100_layers(storage: &dyn Storage) {
    // Layer n names layer n - 1; all in one batch (a later op sees the earlier ones).
    let layers = u64::from(MERGE_LAYERS_MAX);
    let mut ops = Vec::new();
    for n in 1..=layers {
        let children: Vec<String> = (n > 1).then(|| key(n - 1)).into_iter().collect();
        let child_refs: Vec<&str> = children.iter().map(String::as_str).collect();
        let messages = vec![inner(
            &format!("layer {n}"),
            children.first().map(String::as_str),
        )];
        ops.push(carrying(
            c2c_send("alice", "bob", &format!("layer{n}")),
            vec![bundle(&key(n), messages, &child_refs)],
            &key(n),
        ));
    }
    let outcomes = storage.apply(ops).unwrap();
    for outcome in &outcomes {
        ack(outcome);
    }
    let top = key(layers);
    let over = apply_one(
        storage,
        carrying(
            c2c_send("alice", "bob", "layer-over"),
            vec![bundle(
                &key(layers + 1),
                vec![inner("", Some(&top))],
                &[&top],
            )],
            &key(layers + 1),
        ),
    );
    assert_eq!(refusal_code(&over), codes::ERR_MERGER_MSG_LAYERS_OVER_LIMIT);
    let id = MessageId::new("layer-over").unwrap();
    assert_eq!(
        storage.msg_id_state(APP, &user("alice"), &id).unwrap(),
        None
    );
    assert_eq!(read(storage, "alice", &key(layers + 1)), Err(NOT_FOUND));
    // Forwarding the deepest one as it is adds no layer.
    ack(&apply_one(
        storage,
        carrying(c2c_send("bob", "carol", "forward-top"), vec![], &top),
    ));
    assert_eq!(
        read(storage, "carol", &key(1)),
        Ok(vec!["layer 1".to_owned()])
    );
    // Two new levels in one send count too: a new bundle naming a new bundle naming the top.
    let (a, b) = (key(500), key(501));
    let two = apply_one(
        storage,
        carrying(
            c2c_send("alice", "bob", "two-levels"),
            vec![
                bundle(
                    &a,
                    vec![inner("", Some(&key(layers - 1)))],
                    &[&key(layers - 1)],
                ),
                bundle(&b, vec![inner("", Some(&a))], &[&a]),
            ],
            &b,
        ),
    );
    assert_eq!(refusal_code(&two), codes::ERR_MERGER_MSG_LAYERS_OVER_LIMIT);
}
