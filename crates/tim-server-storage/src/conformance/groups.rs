//! Conformance: groups, membership and group message visibility.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use super::*;

pub fn group_lifecycle_and_its_refusals(storage: &dyn Storage) {
    assert!(
        create_group(storage, "owner", "g", &["m1"], 2)
            .result
            .is_ok()
    );
    assert_eq!(
        refusal_code(&create_group(storage, "x", "g", &[], 2)),
        codes::ERR_SVR_GROUP_GROUPID_IN_USED
    );
    let record = storage.group(APP, &group("g")).unwrap().unwrap();
    assert_eq!(
        (record.owner.as_str(), record.member_count, record.dismissed),
        ("owner", 2, false)
    );
    assert!(
        storage
            .member(APP, &group("g"), &user("m1"))
            .unwrap()
            .is_some()
    );
    // Join, add, remove, quit.
    assert!(matches!(
        change(storage, "m2", "g", MembershipChange::Join, &[]).result,
        Ok(Applied::Joined {
            pending_approval: false
        })
    ));
    assert_eq!(
        refusal_code(&change(storage, "m2", "g", MembershipChange::Join, &[])),
        codes::ERR_SVR_GROUP_ALLREADY_MEMBER
    );
    assert_eq!(
        refusal_code(&change(
            storage,
            "outsider",
            "g",
            MembershipChange::Add,
            &["m3"]
        )),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    // A Public group: ordinary members do not add users; the owner does.
    assert_eq!(
        refusal_code(&change(storage, "m1", "g", MembershipChange::Add, &["m3"])),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    match change(storage, "owner", "g", MembershipChange::Add, &["m3", "m1"]).result {
        Ok(Applied::Members(results)) => assert_eq!(
            results.iter().map(|r| r.code).collect::<Vec<_>>(),
            vec![0, codes::ERR_SVR_GROUP_ALLREADY_MEMBER]
        ),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        refusal_code(&change(
            storage,
            "m1",
            "g",
            MembershipChange::Remove,
            &["m3"]
        )),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    assert!(
        change(storage, "owner", "g", MembershipChange::Remove, &["m3"])
            .result
            .is_ok()
    );
    assert!(
        storage
            .member(APP, &group("g"), &user("m3"))
            .unwrap()
            .is_none()
    );
    assert_eq!(
        refusal_code(&change(storage, "owner", "g", MembershipChange::Quit, &[])),
        codes::ERR_SVR_GROUP_SUPER_NOT_ALLOW_QUIT
    );
    assert!(
        change(storage, "m2", "g", MembershipChange::Quit, &[])
            .result
            .is_ok()
    );
    assert_eq!(
        refusal_code(&change(storage, "m2", "g", MembershipChange::Quit, &[])),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    assert_eq!(
        storage.member_ids(APP, &group("g")).unwrap(),
        vec!["m1".to_owned(), "owner".to_owned()]
    );
    // Joining follows the add option.
    create_group(storage, "owner", "closed", &[], 0);
    assert_eq!(
        refusal_code(&change(
            storage,
            "m1",
            "closed",
            MembershipChange::Join,
            &[]
        )),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    // Dismiss: owner only, then the group is gone.
    assert_eq!(
        refusal_code(&change(storage, "m1", "g", MembershipChange::Dismiss, &[])),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    assert!(
        change(storage, "owner", "g", MembershipChange::Dismiss, &[])
            .result
            .is_ok()
    );
    assert!(storage.group(APP, &group("g")).unwrap().unwrap().dismissed);
    assert_eq!(
        refusal_code(&apply_one(storage, group_send("owner", "g", "late"))),
        codes::ERR_SVR_GROUP_NOT_FOUND
    );
    assert_eq!(
        refusal_code(&change(storage, "m9", "g", MembershipChange::Join, &[])),
        codes::ERR_SVR_GROUP_NOT_FOUND
    );
    assert_eq!(
        history(storage, "owner", Target::Group(group("g")), 0, 0, 10, true)
            .unwrap_err()
            .code,
        codes::ERR_SVR_GROUP_NOT_FOUND
    );
}

pub fn group_messages_reach_members_only(storage: &dyn Storage) {
    create_group(storage, "owner", "g", &["m1", "m2"], 2);
    let tip_seq = storage
        .sync(APP, &user("m1"), 0, 10, 1 << 20)
        .unwrap()
        .events[0]
        .message()
        .unwrap()
        .seq;
    let sent = apply_one(storage, group_send("m1", "g", "gm1"));
    assert_eq!(ack(&sent).0.seq, tip_seq + 1);
    let mut recipients: Vec<String> = sent.deliveries[0]
        .recipients
        .iter()
        .map(|(u, _)| u.clone())
        .collect();
    recipients.sort();
    assert_eq!(recipients, vec!["m1", "m2", "owner"]);
    assert_eq!(
        refusal_code(&apply_one(storage, group_send("outsider", "g", "gm2"))),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    assert_eq!(
        history(
            storage,
            "outsider",
            Target::Group(group("g")),
            0,
            0,
            10,
            true
        )
        .unwrap_err()
        .code,
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    assert_eq!(
        storage
            .sync(APP, &user("outsider"), 0, 10, 1 << 20)
            .unwrap()
            .events
            .len(),
        0
    );
    // A later member sees from their join on, the earlier range covered.
    change(storage, "late", "g", MembershipChange::Join, &[]);
    apply_one(storage, group_send("m1", "g", "gm3"));
    let page = history(storage, "late", Target::Group(group("g")), 0, 0, 10, false).unwrap();
    let seqs: Vec<u64> = page.messages.iter().map(|m| m.seq).collect();
    assert_eq!(
        seqs,
        vec![tip_seq + 2, tip_seq + 3],
        "the join tip and the message after it"
    );
    assert_eq!(
        (page.covered_begin_seq, page.covered_end_seq),
        (1, tip_seq + 3)
    );
}

pub fn targeted_group_messages_are_holes_for_others(storage: &dyn Storage) {
    create_group(storage, "owner", "g", &["m1", "m2"], 2);
    let WriteOp::Send(mut send) = group_send("owner", "g", "only-m1") else {
        unreachable!()
    };
    send.message.target_group_member_array = vec!["m1".into()];
    let sent = apply_one(storage, WriteOp::Send(send));
    let mut recipients: Vec<String> = sent.deliveries[0]
        .recipients
        .iter()
        .map(|(u, _)| u.clone())
        .collect();
    recipients.sort();
    assert_eq!(recipients, vec!["m1", "owner"]);
    apply_one(storage, group_send("owner", "g", "everyone"));
    let page = history(storage, "m2", Target::Group(group("g")), 0, 0, 10, false).unwrap();
    let ids: Vec<Option<String>> = page.messages.iter().map(|m| m.msg_id.clone()).collect();
    assert!(!ids.contains(&Some("only-m1".into())));
    assert!(ids.contains(&Some("everyone".into())));
    assert_eq!(page.covered_end_seq, page.newest_seq);
}

pub fn member_lists_page_in_join_order(storage: &dyn Storage) {
    create_group(storage, "owner", "g", &["u1", "u2", "u3", "u4"], 2);
    change(storage, "owner", "g", MembershipChange::Remove, &["u2"]);
    let mut listed = Vec::new();
    let mut from = 0;
    for _ in 0..10 {
        let page = storage.list_members(APP, &group("g"), from, 2).unwrap();
        listed.extend(page.members.iter().map(|m| (m.user_id.clone(), m.role)));
        if page.finished {
            break;
        }
        from = page.next;
    }
    let expected: Vec<(String, i32)> = [("owner", 400), ("u1", 200), ("u3", 200), ("u4", 200)]
        .iter()
        .map(|(u, r)| (u.to_string(), *r))
        .collect();
    assert_eq!(listed, expected);
}
