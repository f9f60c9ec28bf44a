//! Groups against a real server: create, add, remove, join, quit, dismiss, list, and the
//! membership checks on send, pull and list.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use tim_model::codes;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;

async fn create(
    client: &TestClient,
    id: Option<&str>,
    members: &[&str],
    add_option: i32,
) -> Response {
    client
        .request(Request::CreateGroup(v1::CreateGroupRequest {
            group_id: id.map(str::to_owned),
            group_type: 0,
            name: "team".into(),
            add_option,
            member_ids: members.iter().map(|m| m.to_string()).collect(),
            ..Default::default()
        }))
        .await
}

async fn create_ok(client: &TestClient, id: Option<&str>, members: &[&str]) -> String {
    match create(client, id, members, 2).await {
        Response::CreateGroup(created) => created.group_id,
        other => panic!("create failed: {other:?}"),
    }
}

async fn members(client: &TestClient, group: &str) -> Vec<(String, i32)> {
    let mut all = Vec::new();
    let mut next = 0;
    for _ in 0..100 {
        let response = client
            .request(Request::ListGroupMembers(v1::ListGroupMembersRequest {
                group_id: group.into(),
                next_seq: next,
                count: 2,
            }))
            .await;
        let Response::ListGroupMembers(page) = response else {
            panic!("{response:?}")
        };
        all.extend(
            page.members
                .into_iter()
                .map(|m| (m.identifier, m.member_role)),
        );
        if page.is_finished {
            return all;
        }
        next = page.next_seq;
    }
    panic!("member list did not finish");
}

async fn skip_tips(client: &mut TestClient) -> v1::Message {
    for _ in 0..20 {
        let message = client.next_message().await.message.unwrap();
        if message.sender != "@TIM#SYSTEM" {
            return message;
        }
    }
    panic!("only tips");
}

#[tokio::test]
async fn custom_and_server_made_group_ids() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    assert_eq!(create_ok(&alice, Some("my-team"), &[]).await, "my-team");
    assert_eq!(
        error_code(&create(&alice, Some("my-team"), &[], 2).await),
        codes::ERR_SVR_GROUP_GROUPID_IN_USED
    );
    assert_eq!(
        error_code(&create(&alice, Some("@TGS#mine"), &[], 2).await),
        codes::ERR_SDK_GROUP_INVALID_ID
    );
    let made = create_ok(&alice, None, &[]).await;
    assert!(made.starts_with("@TGS#"), "{made}");
    assert_ne!(made, create_ok(&alice, None, &[]).await);
    server.stop().await;
}

#[tokio::test]
async fn members_send_and_receive_and_outsiders_are_refused() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let mut bob = server.client("bob", "b").await;
    let carol = server.client("carol", "c").await;
    let group = create_ok(&alice, Some("g1"), &["bob"]).await;
    let ack = alice.send_ok(GROUP, &group, "g-m1", "hello team").await;
    assert_eq!(ack.seq, 2, "the invite tip took seq 1");
    let message = skip_tips(&mut bob).await;
    assert_eq!(
        (message.conv_id.as_str(), message.conv_type, message.seq),
        ("g1", GROUP, 2)
    );
    assert_eq!(text_of(&message), "hello team");
    // Carol is not a member: send, pull and list are refused.
    assert_eq!(
        error_code(&carol.send(GROUP, &group, "c1", "let me in").await),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    assert_eq!(
        error_code(&carol.pull(GROUP, &group, 0, 0, 0, true).await),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    let list = carol
        .request(Request::ListGroupMembers(v1::ListGroupMembersRequest {
            group_id: group.clone(),
            next_seq: 0,
            count: 0,
        }))
        .await;
    assert_eq!(error_code(&list), codes::ERR_SVR_GROUP_PERMISSION_DENY);
    assert_eq!(
        error_code(&carol.send(GROUP, "no-such-group", "c2", "?").await),
        codes::ERR_SVR_GROUP_NOT_FOUND
    );
    // Nothing of the group reached carol's log.
    let (events, _) = carol.sync_all(0).await;
    assert!(events.is_empty());
    server.stop().await;
}

#[tokio::test]
async fn membership_changes_and_member_lists() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let bob = server.client("bob", "b").await;
    let carol = server.client("carol", "c").await;
    let dave = server.client("dave", "d").await;
    let group = create_ok(&alice, None, &["bob"]).await;
    let response = alice
        .request(Request::AddGroupMembers(v1::AddGroupMembersRequest {
            group_id: group.clone(),
            user_ids: vec!["carol".into(), "bob".into()],
        }))
        .await;
    let Response::AddGroupMembers(added) = response else {
        panic!("{response:?}")
    };
    let codes_of: Vec<i32> = added.results.iter().map(|r| r.code).collect();
    assert_eq!(codes_of, vec![0, codes::ERR_SVR_GROUP_ALLREADY_MEMBER]);
    // Dave joins by himself (add option "any").
    let joined = dave
        .request(Request::JoinGroup(v1::JoinGroupRequest {
            group_id: group.clone(),
            apply_message: String::new(),
        }))
        .await;
    assert!(
        matches!(
            joined,
            Response::JoinGroup(v1::JoinGroupResponse {
                pending_approval: false
            })
        ),
        "{joined:?}"
    );
    assert_eq!(
        members(&bob, &group).await,
        vec![
            ("alice".into(), 400),
            ("bob".into(), 200),
            ("carol".into(), 200),
            ("dave".into(), 200)
        ]
    );
    // Only the owner/admins remove; the owner cannot quit; members can.
    let kick = |who: &str| {
        Request::RemoveGroupMembers(v1::RemoveGroupMembersRequest {
            group_id: group.clone(),
            user_ids: vec![who.into()],
            reason: String::new(),
        })
    };
    assert_eq!(
        error_code(&bob.request(kick("carol")).await),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    let Response::RemoveGroupMembers(removed) = alice.request(kick("carol")).await else {
        panic!()
    };
    assert_eq!(removed.results[0].code, 0);
    let quit = |g: &str| Request::QuitGroup(v1::QuitGroupRequest { group_id: g.into() });
    assert_eq!(
        error_code(&alice.request(quit(&group)).await),
        codes::ERR_SVR_GROUP_SUPER_NOT_ALLOW_QUIT
    );
    assert!(matches!(
        dave.request(quit(&group)).await,
        Response::QuitGroup(_)
    ));
    assert_eq!(
        members(&alice, &group).await,
        vec![("alice".into(), 400), ("bob".into(), 200)]
    );
    // Removed and departed members are outsiders again.
    assert_eq!(
        error_code(&carol.send(GROUP, &group, "c-after", "x").await),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    assert_eq!(
        error_code(&dave.pull(GROUP, &group, 0, 0, 0, true).await),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    // Only the owner dismisses; afterwards the group is gone for everyone.
    let dismiss = Request::DismissGroup(v1::DismissGroupRequest {
        group_id: group.clone(),
    });
    assert_eq!(
        error_code(&bob.request(dismiss.clone()).await),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    assert!(matches!(
        alice.request(dismiss).await,
        Response::DismissGroup(_)
    ));
    assert_eq!(
        error_code(&bob.send(GROUP, &group, "b-after", "x").await),
        codes::ERR_SVR_GROUP_NOT_FOUND
    );
    assert_eq!(
        error_code(&alice.pull(GROUP, &group, 0, 0, 0, true).await),
        codes::ERR_SVR_GROUP_NOT_FOUND
    );
    server.stop().await;
}

#[tokio::test]
async fn joining_needs_the_groups_permission() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let bob = server.client("bob", "b").await;
    let join = |g: &str| {
        Request::JoinGroup(v1::JoinGroupRequest {
            group_id: g.into(),
            apply_message: String::new(),
        })
    };
    let Response::CreateGroup(closed) = create(&alice, Some("closed"), &[], 0).await else {
        panic!()
    };
    assert_eq!(
        error_code(&bob.request(join(&closed.group_id)).await),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    let Response::CreateGroup(auth) = create(&alice, Some("auth"), &[], 1).await else {
        panic!()
    };
    assert!(matches!(
        bob.request(join(&auth.group_id)).await,
        Response::JoinGroup(v1::JoinGroupResponse {
            pending_approval: true
        })
    ));
    assert_eq!(
        error_code(&bob.send(GROUP, "auth", "b1", "x").await),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    server.stop().await;
}

#[tokio::test]
async fn new_members_see_history_from_their_join_with_the_range_covered() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let bob = server.client("bob", "b").await;
    let group = create_ok(&alice, Some("late"), &[]).await;
    for i in 1..=3 {
        alice
            .send_ok(GROUP, &group, &format!("early{i}"), "before bob")
            .await;
    }
    bob.request(Request::JoinGroup(v1::JoinGroupRequest {
        group_id: group.clone(),
        apply_message: String::new(),
    }))
    .await;
    alice.send_ok(GROUP, &group, "after1", "after bob").await;
    let Response::PullHistory(page) = bob.pull(GROUP, &group, 0, 0, 0, false).await else {
        panic!()
    };
    let seqs: Vec<u64> = page.messages.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, vec![4, 5], "the join tip and the message after it");
    assert_eq!(
        (
            page.covered_begin_seq,
            page.covered_end_seq,
            page.newest_seq,
            page.has_more
        ),
        (1, 5, 5, false)
    );
    let Response::PullHistory(page) = alice.pull(GROUP, &group, 0, 0, 0, false).await else {
        panic!()
    };
    assert_eq!(page.messages.len(), 5);
    server.stop().await;
}

async fn create_typed(
    client: &TestClient,
    id: &str,
    group_type: i32,
    members: &[&str],
    admins: &[&str],
) -> Response {
    client
        .request(Request::CreateGroup(v1::CreateGroupRequest {
            group_id: Some(id.into()),
            group_type,
            name: "team".into(),
            add_option: 2,
            member_ids: members.iter().map(|m| m.to_string()).collect(),
            admin_ids: admins.iter().map(|m| m.to_string()).collect(),
            ..Default::default()
        }))
        .await
}

async fn add(client: &TestClient, group: &str, users: &[&str]) -> Response {
    client
        .request(Request::AddGroupMembers(v1::AddGroupMembersRequest {
            group_id: group.into(),
            user_ids: users.iter().map(|u| u.to_string()).collect(),
        }))
        .await
}

async fn remove(client: &TestClient, group: &str, users: &[&str]) -> Vec<i32> {
    let response = client
        .request(Request::RemoveGroupMembers(v1::RemoveGroupMembersRequest {
            group_id: group.into(),
            user_ids: users.iter().map(|u| u.to_string()).collect(),
            ..Default::default()
        }))
        .await;
    match response {
        Response::RemoveGroupMembers(done) => done.results.iter().map(|r| r.code).collect(),
        other => vec![error_code(&other)],
    }
}

const PUBLIC: i32 = 0;
const WORK: i32 = 1;
const MEETING: i32 = 2;
const AVCHATROOM: i32 = 4;

#[tokio::test]
async fn only_the_owner_removes_admins() {
    let server = TestServer::start().await;
    let owner = server.client("owner", "o").await;
    let admin = server.client("admin", "a").await;
    let created = create_typed(&owner, "pub", PUBLIC, &["m1", "m2"], &["admin", "admin2"]).await;
    assert!(matches!(created, Response::CreateGroup(_)), "{created:?}");
    // An admin removes an ordinary member, but neither another admin nor the owner.
    assert_eq!(remove(&admin, "pub", &["m1"]).await, vec![0]);
    assert_eq!(
        remove(&admin, "pub", &["admin2", "owner"]).await,
        vec![codes::ERR_SVR_GROUP_PERMISSION_DENY; 2]
    );
    assert_eq!(remove(&owner, "pub", &["admin2"]).await, vec![0]);
    let left: Vec<String> = members(&owner, "pub")
        .await
        .into_iter()
        .map(|m| m.0)
        .collect();
    assert_eq!(left, vec!["owner", "admin", "m2"]);
}

#[tokio::test]
async fn who_may_add_users_depends_on_the_group_type() {
    let server = TestServer::start().await;
    let owner = server.client("owner", "o").await;
    let member = server.client("member", "m").await;
    for (id, group_type) in [
        ("w", WORK),
        ("p", PUBLIC),
        ("mt", MEETING),
        ("av", AVCHATROOM),
    ] {
        let members: &[&str] = if group_type == AVCHATROOM {
            &[]
        } else {
            &["member"]
        };
        let created = create_typed(&owner, id, group_type, members, &[]).await;
        assert!(
            matches!(created, Response::CreateGroup(_)),
            "{id}: {created:?}"
        );
    }
    // Work: any member adds directly.
    assert!(matches!(
        add(&member, "w", &["x1"]).await,
        Response::AddGroupMembers(_)
    ));
    // Public and Meeting: ordinary members cannot; the owner can.
    for id in ["p", "mt"] {
        assert_eq!(
            error_code(&add(&member, id, &["x2"]).await),
            codes::ERR_SVR_GROUP_PERMISSION_DENY,
            "{id}"
        );
        assert!(matches!(
            add(&owner, id, &["x2"]).await,
            Response::AddGroupMembers(_)
        ));
    }
    // A live-streaming group: nobody adds anyone.
    assert_eq!(
        error_code(&add(&owner, "av", &["x3"]).await),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    // At most 20 users per add.
    let many: Vec<String> = (0..21).map(|i| format!("u{i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(
        error_code(&add(&owner, "w", &many).await),
        codes::ERR_SVR_GROUP_ACOUNT_COUNT_LIMIT
    );
}

#[tokio::test]
async fn a_group_holds_at_most_its_types_member_limit() {
    let server = TestServer::start_with(|c| {
        c.groups.work = 5;
        c.groups.public = 2;
    })
    .await;
    let owner = server.client("owner", "o").await;
    let outsider = server.client("late", "l").await;
    // The owner and four members fill a Work group of 5.
    let created = create_typed(&owner, "w", WORK, &["a", "b"], &[]).await;
    assert!(matches!(created, Response::CreateGroup(_)), "{created:?}");
    assert_eq!(
        error_code(&add(&owner, "w", &["c", "d", "e"]).await),
        codes::ERR_SVR_GROUP_FULL_MEMBER_COUNT,
        "the whole add is refused"
    );
    assert_eq!(members(&owner, "w").await.len(), 3);
    assert!(matches!(
        add(&owner, "w", &["c", "d"]).await,
        Response::AddGroupMembers(_)
    ));
    assert_eq!(
        error_code(&add(&owner, "w", &["e"]).await),
        codes::ERR_SVR_GROUP_FULL_MEMBER_COUNT
    );
    // Too many initial members at create time.
    let six = create_typed(&owner, "w2", WORK, &["a", "b", "c", "d", "e"], &[]).await;
    assert_eq!(error_code(&six), codes::ERR_SVR_GROUP_FULL_MEMBER_COUNT);
    // A full public group refuses joins too.
    let public = create_typed(&owner, "p", PUBLIC, &["a"], &[]).await;
    assert!(matches!(public, Response::CreateGroup(_)), "{public:?}");
    let join = outsider
        .request(Request::JoinGroup(v1::JoinGroupRequest {
            group_id: "p".into(),
            ..Default::default()
        }))
        .await;
    assert_eq!(error_code(&join), codes::ERR_SVR_GROUP_FULL_MEMBER_COUNT);
}
