//! Read reports and read receipts against a real server: marks move forward only, the
//! reporter's devices and the C2C peer get their notices (pushed, and synced by a device that
//! was offline), receipts are recorded once with exact counts, and every refusal writes
//! nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::*;
use tim_model::codes;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;

/// The next push that is not a new message.
async fn next_notice(client: &mut TestClient) -> Response {
    for _ in 0..100 {
        match client.next_push().await.body {
            Some(Response::NewMessage(_)) => {}
            Some(other) => return other,
            None => panic!("empty push"),
        }
    }
    panic!("no notice among 100 pushes");
}

fn receipt_message(msg_id: &str) -> v1::Message {
    v1::Message {
        need_read_receipt: true,
        ..text_message(msg_id, "read me")
    }
}

async fn send_message(client: &TestClient, conv_type: i32, conv_id: &str, message: v1::Message) {
    let response = client
        .request(Request::SendMessage(v1::SendMessageRequest {
            conversation: Some(conv(conv_type, conv_id)),
            message: Some(message),
        }))
        .await;
    assert!(matches!(response, Response::SendMessage(_)), "{response:?}");
}

async fn report(
    client: &TestClient,
    conv_type: i32,
    conv_id: &str,
    time: u64,
    seq: u64,
) -> Response {
    client
        .request(Request::ReportRead(v1::ReportReadRequest {
            scope: Some(v1::report_read_request::Scope::Conversation(v1::ReadMark {
                conversation: Some(conv(conv_type, conv_id)),
                read_time: time,
                read_seq: seq,
            })),
        }))
        .await
}

fn marks(response: Response) -> Vec<v1::ReadMark> {
    match response {
        Response::ReportRead(answer) => answer.marks,
        other => panic!("report failed: {other:?}"),
    }
}

async fn receipts(client: &TestClient, conv_type: i32, conv_id: &str, ids: &[&str]) -> Response {
    client
        .request(Request::SendReadReceipts(v1::SendReadReceiptsRequest {
            conversation: Some(conv(conv_type, conv_id)),
            msg_ids: ids.iter().map(|s| s.to_string()).collect(),
        }))
        .await
}

async fn get_receipts(
    client: &TestClient,
    conv_type: i32,
    conv_id: &str,
    ids: &[&str],
) -> Vec<v1::MessageReceipt> {
    match client
        .request(Request::GetReadReceipts(v1::GetReadReceiptsRequest {
            conversation: Some(conv(conv_type, conv_id)),
            msg_ids: ids.iter().map(|s| s.to_string()).collect(),
        }))
        .await
    {
        Response::GetReadReceipts(answer) => answer.receipts,
        other => panic!("get receipts failed: {other:?}"),
    }
}

async fn read_members(
    client: &TestClient,
    group: &str,
    msg_id: &str,
    filter: i32,
    next_seq: u64,
    count: u32,
) -> Response {
    client
        .request(Request::GetGroupReadMembers(
            v1::GetGroupReadMembersRequest {
                group_id: group.into(),
                msg_id: msg_id.into(),
                filter,
                next_seq,
                count,
            },
        ))
        .await
}

async fn create_group(client: &TestClient, id: &str, members: &[&str]) {
    let response = client
        .request(Request::CreateGroup(v1::CreateGroupRequest {
            group_id: Some(id.into()),
            group_type: 0,
            name: "team".into(),
            add_option: 2,
            member_ids: members.iter().map(|m| m.to_string()).collect(),
            ..Default::default()
        }))
        .await;
    assert!(matches!(response, Response::CreateGroup(_)), "{response:?}");
}

#[tokio::test]
async fn c2c_report_reaches_own_devices_and_peer_and_only_moves_forward() {
    let server = TestServer::start().await;
    let mut alice = server.client("alice", "a1").await;
    let bob1 = server.client("bob", "b1").await;
    let mut bob2 = server.client("bob", "b2").await;
    bob1.send_ok(C2C, "alice", "m1", "hi").await;
    alice.next_message().await;
    bob2.next_message().await;

    let applied = marks(report(&alice, C2C, "bob", 0, 0).await);
    assert_eq!(applied.len(), 1);
    let read_time = applied[0].read_time;
    assert!(read_time > 0);
    assert_eq!(applied[0].conversation, Some(conv(C2C, "bob")));
    // The reporter's own device gets the mark, the peer's devices the receipt.
    match next_notice(&mut alice).await {
        Response::ConversationRead(push) => {
            assert_eq!(push.marks, applied);
            assert!(push.cursor > 0);
        }
        other => panic!("{other:?}"),
    }
    match next_notice(&mut bob2).await {
        Response::ReadReceipts(push) => {
            assert_eq!(push.receipts.len(), 1);
            let receipt = &push.receipts[0];
            assert_eq!(
                (receipt.conv_id.as_str(), receipt.conv_type),
                ("alice", C2C)
            );
            assert_eq!(receipt.time_stamp, read_time);
            assert!(receipt.is_peer_read);
        }
        other => panic!("{other:?}"),
    }
    // An older mark changes nothing and answers the current one, with no notice.
    let again = marks(report(&alice, C2C, "bob", 1, 0).await);
    assert_eq!(again[0].read_time, read_time);
    // The peer sees the message read through receipts too (conversation-level read time).
    let got = get_receipts(&bob1, C2C, "alice", &["m1"]).await;
    assert!(got[0].is_peer_read);
    // A device that was offline gets both notices by sync.
    let late = server.client("bob", "b3").await;
    let Response::Sync(page) = late
        .request(Request::Sync(v1::SyncRequest {
            cursor: 0,
            max_events: 0,
        }))
        .await
    else {
        panic!("sync failed");
    };
    let notices: Vec<_> = page
        .events
        .iter()
        .filter_map(|e| match &e.event {
            Some(v1::sync_event::Event::ReadReceipts(push)) => Some(push.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(notices.len(), 1, "{page:?}");
    assert_eq!(notices[0].receipts[0].time_stamp, read_time);
    server.stop().await;
}

#[tokio::test]
async fn group_report_and_mark_all_need_membership() {
    let server = TestServer::start().await;
    let mut alice = server.client("alice", "a1").await;
    let bob = server.client("bob", "b1").await;
    let carol = server.client("carol", "c1").await;
    create_group(&alice, "team", &["bob"]).await;
    bob.send_ok(GROUP, "team", "g1", "one").await;
    let newest = bob.send_ok(GROUP, "team", "g2", "two").await.seq;
    bob.send_ok(C2C, "alice", "c1", "direct").await;

    let applied = marks(report(&alice, GROUP, "team", 0, 0).await);
    assert_eq!(applied[0].read_seq, newest);
    match next_notice(&mut alice).await {
        Response::ConversationRead(push) => assert_eq!(push.marks, applied),
        other => panic!("{other:?}"),
    }
    // Beyond the newest seq is clamped; behind the mark changes nothing.
    assert_eq!(
        marks(report(&alice, GROUP, "team", 0, 99).await)[0].read_seq,
        newest
    );
    assert_eq!(
        marks(report(&alice, GROUP, "team", 0, 1).await)[0].read_seq,
        newest
    );
    // Outsiders are refused.
    assert_eq!(
        error_code(&report(&carol, GROUP, "team", 0, 0).await),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    assert_eq!(
        error_code(&report(&carol, GROUP, "nothing", 0, 0).await),
        codes::ERR_SVR_GROUP_NOT_FOUND
    );
    // Mark all: every conversation with a message for the user.
    let all = alice
        .request(Request::ReportRead(v1::ReportReadRequest {
            scope: Some(v1::report_read_request::Scope::AllOfConvType(0)),
        }))
        .await;
    let all = marks(all);
    let mut named: Vec<_> = all
        .iter()
        .map(|m| m.conversation.clone().unwrap().conv_id)
        .collect();
    named.sort();
    assert_eq!(named, vec!["bob".to_owned(), "team".to_owned()]);
    let only_groups = alice
        .request(Request::ReportRead(v1::ReportReadRequest {
            scope: Some(v1::report_read_request::Scope::AllOfConvType(2)),
        }))
        .await;
    assert_eq!(marks(only_groups).len(), 1);
    let bad = alice
        .request(Request::ReportRead(v1::ReportReadRequest {
            scope: Some(v1::report_read_request::Scope::AllOfConvType(7)),
        }))
        .await;
    assert_eq!(error_code(&bad), codes::ERR_INVALID_CONVERSATION);
    server.stop().await;
}

#[tokio::test]
async fn group_receipts_count_once_and_list_members_by_page() {
    let server = TestServer::start().await;
    let mut alice = server.client("alice", "a1").await;
    let bob = server.client("bob", "b1").await;
    let carol = server.client("carol", "c1").await;
    let dave = server.client("dave", "d1").await;
    let eve = server.client("eve", "e1").await;
    create_group(&alice, "team", &["bob", "carol", "dave"]).await;
    send_message(&alice, GROUP, "team", receipt_message("r1")).await;
    alice.send_ok(GROUP, "team", "plain", "no receipt").await;

    // Refusals write nothing.
    assert_eq!(
        error_code(&receipts(&bob, GROUP, "team", &["r1", "plain"]).await),
        codes::ERR_INVALID_PARAMETERS
    );
    assert_eq!(
        error_code(&receipts(&eve, GROUP, "team", &["r1"]).await),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    assert_eq!(
        error_code(&receipts(&bob, GROUP, "team", &["r1", "missing"]).await),
        codes::ERR_SDK_COMM_DATABASE_NOTFOUND
    );
    assert_eq!(
        error_code(&receipts(&bob, GROUP, "team", &[]).await),
        codes::ERR_INVALID_PARAMETERS
    );
    let counts = get_receipts(&alice, GROUP, "team", &["r1"]).await;
    assert_eq!((counts[0].read_count, counts[0].unread_count), (0, 3));

    // Bob reads (twice: counted once); the sender's own receipt is ignored.
    assert!(matches!(
        receipts(&bob, GROUP, "team", &["r1"]).await,
        Response::SendReadReceipts(_)
    ));
    match next_notice(&mut alice).await {
        Response::ReadReceipts(push) => {
            let r = &push.receipts[0];
            assert_eq!(
                (r.msg_id.as_str(), r.read_count, r.unread_count),
                ("r1", 1, 2)
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        receipts(&bob, GROUP, "team", &["r1"]).await,
        Response::SendReadReceipts(_)
    ));
    assert!(matches!(
        receipts(&alice, GROUP, "team", &["r1"]).await,
        Response::SendReadReceipts(_)
    ));
    assert!(matches!(
        receipts(&dave, GROUP, "team", &["r1"]).await,
        Response::SendReadReceipts(_)
    ));
    match next_notice(&mut alice).await {
        Response::ReadReceipts(push) => {
            let r = &push.receipts[0];
            assert_eq!((r.read_count, r.unread_count), (2, 1));
        }
        other => panic!("{other:?}"),
    }
    let counts = get_receipts(&carol, GROUP, "team", &["r1", "unknown"]).await;
    assert_eq!(counts.len(), 1);
    assert_eq!((counts[0].read_count, counts[0].unread_count), (2, 1));

    // Read members, one per page, in join order; unread: carol only.
    let mut read = Vec::new();
    let mut next = 0;
    for _ in 0..10 {
        let Response::GetGroupReadMembers(page) =
            read_members(&alice, "team", "r1", 0, next, 1).await
        else {
            panic!("read members failed");
        };
        read.extend(page.members.into_iter().map(|m| m.identifier));
        if page.is_finished {
            break;
        }
        next = page.next_seq;
    }
    assert_eq!(read, vec!["bob".to_owned(), "dave".to_owned()]);
    let Response::GetGroupReadMembers(unread) = read_members(&bob, "team", "r1", 1, 0, 100).await
    else {
        panic!("read members failed");
    };
    assert!(unread.is_finished);
    let unread: Vec<_> = unread.members.into_iter().map(|m| m.identifier).collect();
    assert_eq!(unread, vec!["carol".to_owned()]);
    // Limits and permissions.
    for count in [0, 101] {
        assert_eq!(
            error_code(&read_members(&alice, "team", "r1", 0, 0, count).await),
            codes::ERR_INVALID_PARAMETERS
        );
    }
    assert_eq!(
        error_code(&read_members(&alice, "team", "r1", 2, 0, 10).await),
        codes::ERR_INVALID_PARAMETERS
    );
    assert_eq!(
        error_code(&read_members(&eve, "team", "r1", 0, 0, 10).await),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    assert_eq!(
        error_code(&read_members(&alice, "team", "plain", 0, 0, 10).await),
        codes::ERR_INVALID_PARAMETERS
    );
    server.stop().await;
}

#[tokio::test]
async fn c2c_receipts_go_to_the_sender_only_for_receipt_messages() {
    let server = TestServer::start().await;
    let mut alice = server.client("alice", "a1").await;
    let bob = server.client("bob", "b1").await;
    let carol = server.client("carol", "c1").await;
    send_message(&alice, C2C, "bob", receipt_message("q1")).await;
    alice.send_ok(C2C, "bob", "q2", "plain").await;
    assert_eq!(
        error_code(&receipts(&bob, C2C, "alice", &["q2"]).await),
        codes::ERR_INVALID_PARAMETERS
    );
    // Not a party: the message is not in carol's conversation with alice.
    assert_eq!(
        error_code(&receipts(&carol, C2C, "alice", &["q1"]).await),
        codes::ERR_SDK_COMM_DATABASE_NOTFOUND
    );
    assert!(!get_receipts(&alice, C2C, "bob", &["q1"]).await[0].is_peer_read);
    assert!(matches!(
        receipts(&bob, C2C, "alice", &["q1"]).await,
        Response::SendReadReceipts(_)
    ));
    match next_notice(&mut alice).await {
        Response::ReadReceipts(push) => {
            let r = &push.receipts[0];
            assert_eq!((r.conv_id.as_str(), r.msg_id.as_str()), ("bob", "q1"));
            assert!(r.is_peer_read);
        }
        other => panic!("{other:?}"),
    }
    assert!(get_receipts(&alice, C2C, "bob", &["q1"]).await[0].is_peer_read);
    let too_many: Vec<String> = (0..=tim_model::limits::READ_RECEIPT_MSG_MAX)
        .map(|i| format!("x{i}"))
        .collect();
    let refs: Vec<&str> = too_many.iter().map(String::as_str).collect();
    assert_eq!(
        error_code(&receipts(&bob, C2C, "alice", &refs).await),
        codes::ERR_INVALID_PARAMETERS
    );
    server.stop().await;
}
