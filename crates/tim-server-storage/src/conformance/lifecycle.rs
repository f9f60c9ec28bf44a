//! Conformance: the message lifecycle (revoke, modify).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use super::*;

pub(crate) fn revoke(
    storage: &dyn Storage,
    revoker: &str,
    target: Target,
    msg_id: &str,
    now: u64,
) -> WriteOutcome {
    apply_one(
        storage,
        WriteOp::Revoke(Box::new(RevokeWrite {
            app: APP,
            revoker: user(revoker),
            target,
            msg_id: MessageId::new(msg_id).unwrap(),
            reason: "oops".into(),
            now,
            window: 120,
        })),
    )
}

fn revoked(outcome: &WriteOutcome) -> &v1::Message {
    match &outcome.result {
        Ok(Applied::Revoked(message)) => message,
        other => panic!("expected a revoke, got {other:?}"),
    }
}

fn events_of(storage: &dyn Storage, reader: &str) -> Vec<(EventKind, String, Option<i32>)> {
    storage
        .sync(APP, &user(reader), 0, 100, 1 << 20)
        .unwrap()
        .events
        .into_iter()
        .filter_map(|e| {
            let kind = e.kind()?;
            let message = e.message()?;
            Some((
                kind,
                message.msg_id.clone().unwrap_or_default(),
                message.status,
            ))
        })
        .collect()
}

pub fn c2c_revoke_follows_the_rules_and_is_logged_for_both(storage: &dyn Storage) {
    let revoked_status = Some(tim_model::enums::MsgStatus::Revoked.value());
    apply_one(storage, c2c_send("a", "b", "m1"));
    apply_one(storage, c2c_send("a", "c", "other"));
    let to_b = || Target::C2c(user("b"));
    // Not the sender, not a party, unknown ID, too late: refused and nothing written.
    assert_eq!(
        refusal_code(&revoke(storage, "b", Target::C2c(user("a")), "m1", 1000)),
        codes::ERR_SVR_GROUP_REVOKE_MSG_DENY
    );
    assert_eq!(
        refusal_code(&revoke(storage, "c", Target::C2c(user("a")), "m1", 1000)),
        codes::ERR_SDK_COMM_DATABASE_NOTFOUND
    );
    assert_eq!(
        refusal_code(&revoke(storage, "a", to_b(), "other", 1000)),
        codes::ERR_SDK_COMM_DATABASE_NOTFOUND
    );
    assert_eq!(
        refusal_code(&revoke(storage, "a", to_b(), "nope", 1000)),
        codes::ERR_SDK_COMM_DATABASE_NOTFOUND
    );
    assert_eq!(
        refusal_code(&revoke(storage, "a", to_b(), "m1", 1121)),
        codes::ERR_SVR_MSG_REVOKE_TIME_LIMIT
    );
    assert_eq!(
        storage
            .user(APP, &user("b"))
            .unwrap()
            .unwrap()
            .latest_cursor,
        1
    );
    // The sender within the window (its last second included).
    let outcome = revoke(storage, "a", to_b(), "m1", 1120);
    let message = revoked(&outcome);
    assert_eq!(message.status, revoked_status);
    assert_eq!(
        (
            message.revoker_user_id.as_str(),
            message.revoke_reason.as_str()
        ),
        ("a", "oops")
    );
    assert_eq!(outcome.deliveries.len(), 1);
    assert_eq!(outcome.deliveries[0].kind, EventKind::Revoked);
    assert_eq!(
        outcome.deliveries[0].recipients,
        vec![("a".to_owned(), 3), ("b".to_owned(), 2)]
    );
    // Both logs: the new message (now revoked) then the revoke.
    for reader in ["a", "b"] {
        let events = events_of(storage, reader);
        let mine: Vec<_> = events.iter().filter(|e| e.1 == "m1").cloned().collect();
        assert_eq!(
            mine,
            vec![
                (EventKind::NewMessage, "m1".to_owned(), revoked_status),
                (EventKind::Revoked, "m1".to_owned(), revoked_status),
            ],
            "{reader}"
        );
    }
    // History still has it, flagged.
    let page = history(storage, "b", Target::C2c(user("a")), 0, 0, 10, true).unwrap();
    assert_eq!(page.messages[0].status, revoked_status);
    assert_eq!(page.messages[0].revoker_user_id, "a");
    // Again: the same answer, nothing new logged.
    let again = revoke(storage, "a", to_b(), "m1", 5000);
    assert_eq!(revoked(&again).revoker_user_id, "a");
    assert!(again.deliveries.is_empty());
    assert_eq!(
        storage
            .user(APP, &user("b"))
            .unwrap()
            .unwrap()
            .latest_cursor,
        2
    );
}

pub fn group_revoke_by_sender_owner_and_not_others(storage: &dyn Storage) {
    let g = || Target::Group(group("g"));
    create_group(storage, "owner", "g", &["m1", "m2"], 2);
    apply_one(storage, group_send("m1", "g", "gm1"));
    apply_one(storage, group_send("m1", "g", "gm2"));
    assert_eq!(
        refusal_code(&revoke(storage, "m2", g(), "gm1", 1000)),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    assert_eq!(
        refusal_code(&revoke(storage, "outsider", g(), "gm1", 1000)),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    assert_eq!(
        refusal_code(&revoke(storage, "m1", g(), "nope", 1000)),
        codes::ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND
    );
    assert_eq!(
        refusal_code(&revoke(storage, "owner", g(), "gm1", 2000)),
        codes::ERR_SVR_GROUP_REVOKE_MSG_TIME_LIMIT
    );
    // A C2C message named as a group message is not found there.
    apply_one(storage, c2c_send("m1", "m2", "c1"));
    assert_eq!(
        refusal_code(&revoke(storage, "m1", g(), "c1", 1000)),
        codes::ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND
    );
    // The owner revokes a member's message; the sender revokes their own.
    let by_owner = revoke(storage, "owner", g(), "gm1", 1000);
    assert_eq!(revoked(&by_owner).revoker_user_id, "owner");
    let mut recipients: Vec<String> = by_owner.deliveries[0]
        .recipients
        .iter()
        .map(|(u, _)| u.clone())
        .collect();
    recipients.sort();
    assert_eq!(recipients, vec!["m1", "m2", "owner"]);
    assert_eq!(
        revoked(&revoke(storage, "m1", g(), "gm2", 1000)).revoker_user_id,
        "m1"
    );
    for reader in ["owner", "m1", "m2"] {
        let revokes: Vec<String> = events_of(storage, reader)
            .into_iter()
            .filter(|e| e.0 == EventKind::Revoked)
            .map(|e| e.1)
            .collect();
        assert_eq!(revokes, vec!["gm1", "gm2"], "{reader}");
    }
    // A member who joined later is not told about an earlier message.
    change(storage, "late", "g", MembershipChange::Join, &[]);
    apply_one(storage, group_send("m2", "g", "gm3"));
    assert_eq!(
        refusal_code(&revoke(storage, "late", g(), "gm2", 1000)),
        codes::ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND
    );
    let last = revoke(storage, "m2", g(), "gm3", 1000);
    assert_eq!(last.deliveries[0].recipients.len(), 4);
}

fn text(content: &str) -> v1::Elem {
    v1::Elem {
        body: Some(v1::elem::Body::Text(v1::TextElem {
            content: content.to_owned(),
        })),
    }
}

pub(crate) fn modify(
    storage: &dyn Storage,
    editor: &str,
    target: Target,
    msg_id: &str,
    version: u64,
    elems: Vec<v1::Elem>,
) -> WriteOutcome {
    apply_one(
        storage,
        WriteOp::Modify(Box::new(ModifyWrite {
            app: APP,
            editor: user(editor),
            target,
            msg_id: MessageId::new(msg_id).unwrap(),
            version,
            elems,
            cloud_custom_str: "cloud".into(),
        })),
    )
}

pub fn modify_checks_sender_version_and_elements_and_is_logged_for_every_party(
    storage: &dyn Storage,
) {
    let to_b = || Target::C2c(user("b"));
    apply_one(storage, c2c_send("a", "b", "m1"));
    assert_eq!(
        refusal_code(&modify(
            storage,
            "b",
            Target::C2c(user("a")),
            "m1",
            0,
            vec![text("x")]
        )),
        codes::ERR_SDK_INVALID_OPERATION
    );
    assert_eq!(
        refusal_code(&modify(
            storage,
            "c",
            Target::C2c(user("a")),
            "m1",
            0,
            vec![text("x")]
        )),
        codes::ERR_SDK_COMM_DATABASE_NOTFOUND
    );
    let image = v1::Elem {
        body: Some(v1::elem::Body::Image(v1::ImageElem::default())),
    };
    assert_eq!(
        refusal_code(&modify(storage, "a", to_b(), "m1", 0, vec![image])),
        codes::ERR_INVALID_MSG_ELEM
    );
    assert_eq!(
        refusal_code(&modify(
            storage,
            "a",
            to_b(),
            "m1",
            0,
            vec![text("x"), text("y")]
        )),
        codes::ERR_INVALID_MSG_ELEM
    );
    let outcome = modify(storage, "a", to_b(), "m1", 0, vec![text("edited")]);
    let modified = match &outcome.result {
        Ok(Applied::Modified(message)) => message.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(modified.version, 1);
    assert_eq!(modified.elems, vec![text("edited")]);
    assert_eq!(modified.cloud_custom_str, "cloud");
    assert_eq!(outcome.deliveries[0].kind, EventKind::Modified);
    assert_eq!(outcome.deliveries[0].recipients.len(), 2);
    // Based on the old version again: a conflict with the current message, nothing written.
    match modify(storage, "a", to_b(), "m1", 0, vec![text("stale")]).result {
        Ok(Applied::Conflict(current)) => {
            assert_eq!(
                (current.version, current.elems.clone()),
                (1, vec![text("edited")])
            );
        }
        other => panic!("{other:?}"),
    }
    for reader in ["a", "b"] {
        let events = events_of(storage, reader);
        assert_eq!(
            events.iter().map(|e| e.0).collect::<Vec<_>>(),
            vec![EventKind::NewMessage, EventKind::Modified],
            "{reader}"
        );
    }
    let page = history(storage, "b", Target::C2c(user("a")), 0, 0, 10, true).unwrap();
    assert_eq!(page.messages[0].version, 1);
    assert_eq!(page.messages[0].elems, vec![text("edited")]);
    // A revoked message cannot be modified.
    revoke(storage, "a", to_b(), "m1", 1000);
    assert_eq!(
        refusal_code(&modify(storage, "a", to_b(), "m1", 1, vec![text("late")])),
        codes::ERR_SDK_INVALID_OPERATION
    );
    // Groups: the sender only; outsiders are refused.
    create_group(storage, "owner", "g", &["m1"], 2);
    apply_one(storage, group_send("m1", "g", "gm"));
    let g = || Target::Group(group("g"));
    assert_eq!(
        refusal_code(&modify(storage, "owner", g(), "gm", 0, vec![text("x")])),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    assert_eq!(
        refusal_code(&modify(storage, "outsider", g(), "gm", 0, vec![text("x")])),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    let outcome = modify(storage, "m1", g(), "gm", 0, vec![text("group edit")]);
    assert!(matches!(outcome.result, Ok(Applied::Modified(_))));
    assert_eq!(outcome.deliveries[0].recipients.len(), 2);
}
