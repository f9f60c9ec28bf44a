//! Read state on a real server, two users with two devices each: read reports keep unread
//! counts equal on every device of the reader (also one that was offline), the C2C peer's
//! messages become peer-read, and message read receipts reach the sender with exact counts;
//! refusals change nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is a failed test

mod net_support;

use net_support::*;
use tim_core::{CoreError, CreateGroupParam, Event};
use tim_model::enums::{ConvType, GroupAddOption, GroupMessageReadMembersFilter, GroupType};
use tim_model::{ConvId, GroupId, Message, MessageReceipt, codes};

fn unread(device: &Device, conv: &ConvId) -> u64 {
    device
        .client
        .engine()
        .unwrap()
        .conversation_state(conv)
        .unwrap()
        .unread_count
}

async fn read_event(device: &mut Device, conv: &ConvId) {
    device
        .wait_for(|event| match event {
            Event::ConversationRead(c) if c == conv => Some(()),
            _ => None,
        })
        .await;
}

async fn receipts_event(device: &mut Device) -> Vec<MessageReceipt> {
    device
        .wait_for(|event| match event {
            Event::ReadReceipts(receipts) => Some(receipts.clone()),
            _ => None,
        })
        .await
}

fn peer_read(device: &Device, message: &Message) -> bool {
    device
        .stored(message.msg_id.as_ref().unwrap())
        .unwrap()
        .is_peer_read
}

async fn send_receipt_message(device: &Device, conv: &ConvId, content: &str) -> Message {
    let mut message = text(content);
    message.need_read_receipt = true;
    let (_, handle) = device.client.send_message(conv, message).unwrap();
    tokio::time::timeout(WAIT, handle)
        .await
        .expect("no ack in time")
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_c2c_read_report_reaches_every_device_and_the_peer_also_after_being_offline() {
    let server = TestServer::start().await;
    let mut alice1 = device(&server, "alice").await;
    let alice2_dir = tempfile::tempdir().unwrap();
    let mut alice2 = device_at(&server, "alice", alice2_dir.path()).await;
    let mut bob1 = device(&server, "bob").await;
    let bob2_dir = tempfile::tempdir().unwrap();
    let mut bob2 = device_at(&server, "bob", bob2_dir.path()).await;
    let to_alice = c2c("alice");
    let to_bob = c2c("bob");

    let first = bob1.send(&to_alice, "one").await;
    let second = bob1.send(&to_alice, "two").await;
    for device in [&mut alice1, &mut alice2, &mut bob2] {
        device.receive(2).await;
    }
    assert_eq!(unread(&alice1, &to_bob), 2);
    assert_eq!(unread(&alice2, &to_bob), 2);

    let state = alice1.client.report_read(&to_bob, None).await.unwrap();
    assert_eq!(state.unread_count, 0);
    // The reader's devices agree, the reporting one included.
    for device in [&mut alice1, &mut alice2] {
        read_event(device, &to_bob).await;
        assert_eq!(unread(device, &to_bob), 0);
    }
    // The peer's devices learn the read time; their messages are peer-read.
    for device in [&mut bob1, &mut bob2] {
        let receipts = receipts_event(device).await;
        assert_eq!(receipts.len(), 1);
        assert_eq!(receipts[0].conv_id, "alice");
        assert_eq!(receipts[0].conv_type, ConvType::C2c);
        assert!(receipts[0].is_peer_read);
        assert!(receipts[0].time_stamp >= second.server_time);
        assert!(peer_read(device, &first) && peer_read(device, &second));
    }

    // Offline devices: alice2 and bob2 miss a message, the report and the receipt.
    alice2.client.close().await;
    drop(alice2);
    bob2.client.close().await;
    drop(bob2);
    let third = bob1.send(&to_alice, "three").await;
    alice1.receive(1).await;
    // C2C marks are times in seconds: a message of the mark's second counts as read.
    let mark = state.read_time;
    assert_eq!(
        unread(&alice1, &to_bob),
        u64::from(third.server_time > mark)
    );
    alice1
        .client
        .report_read(&to_bob, Some(&third))
        .await
        .unwrap();
    // A mark that did not move (same second) notifies nobody; the stored read time already
    // covers the message then.
    let moved = third.server_time > mark;
    if moved {
        receipts_event(&mut bob1).await;
    }
    assert!(peer_read(&bob1, &third));

    let mut alice2 = device_at(&server, "alice", alice2_dir.path()).await;
    if moved {
        read_event(&mut alice2, &to_bob).await;
    } else {
        alice2.receive(1).await;
    }
    assert_eq!(alice2.local(&to_bob).len(), 3);
    assert_eq!(unread(&alice2, &to_bob), 0);
    let mut bob2 = device_at(&server, "bob", bob2_dir.path()).await;
    if moved {
        receipts_event(&mut bob2).await;
    } else {
        bob2.receive(1).await;
    }
    assert!(peer_read(&bob2, &third));
    // Alice's own messages are not "peer read" by her own report.
    let reply = alice2.send(&to_bob, "reply").await;
    bob1.receive(1).await;
    assert!(!peer_read(&alice2, &reply));
    assert_eq!(unread(&bob1, &to_alice), 1);

    // Mark all read: bob's devices both end at 0.
    bob1.client.mark_all_read(None).await.unwrap();
    assert_eq!(unread(&bob1, &to_alice), 0);
    read_event(&mut bob2, &to_alice).await;
    assert_eq!(unread(&bob2, &to_alice), 0);
    let receipts = receipts_event(&mut alice2).await;
    assert_eq!(receipts[0].conv_id, "bob");
    assert!(peer_read(&alice2, &reply));
    let refused = bob1.client.mark_all_read(Some(ConvType::System)).await;
    assert_eq!(refused.unwrap_err().code(), codes::ERR_INVALID_CONVERSATION);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_receipts_reach_the_sender_with_counts_and_reads_sync_across_devices() {
    let server = TestServer::start().await;
    let mut alice1 = device(&server, "alice").await;
    let mut alice2 = device(&server, "alice").await;
    let mut bob1 = device(&server, "bob").await;
    let mut bob2 = device(&server, "bob").await;
    let carol = device(&server, "carol").await;
    let dave = device(&server, "dave").await;
    let team = group("team");
    alice1
        .client
        .create_group(CreateGroupParam {
            group_id: Some(GroupId::new("team").unwrap()),
            group_type: GroupType::Private,
            name: "Team".into(),
            add_option: GroupAddOption::Any,
            member_ids: vec![user("bob"), user("carol")],
            ..Default::default()
        })
        .await
        .unwrap();

    let asked = send_receipt_message(&alice1, &team, "please read").await;
    let plain = alice1.send(&team, "plain").await;
    let received = bob1
        .wait_for(|event| match event {
            Event::NewMessages(messages) => {
                messages.iter().find(|m| m.msg_id == asked.msg_id).cloned()
            }
            _ => None,
        })
        .await;
    assert!(received.need_read_receipt);
    bob2.wait_for(|event| match event {
        Event::NewMessages(messages) if messages.iter().any(|m| m.msg_id == plain.msg_id) => {
            Some(())
        }
        _ => None,
    })
    .await;

    // Refused: a message without need_read_receipt, an outsider; nothing recorded.
    let err = bob1
        .client
        .send_message_read_receipts(&[received.clone(), plain.clone()])
        .await
        .unwrap_err();
    assert_eq!(err.code(), codes::ERR_INVALID_PARAMETERS);
    let err = dave
        .client
        .send_message_read_receipts(std::slice::from_ref(&received))
        .await
        .unwrap_err();
    assert_eq!(err.code(), codes::ERR_SVR_GROUP_PERMISSION_DENY);
    let counts = alice1
        .client
        .get_message_read_receipts(std::slice::from_ref(&asked))
        .await
        .unwrap();
    assert_eq!((counts[0].read_count, counts[0].unread_count), (0, 2));

    bob1.client
        .send_message_read_receipts(std::slice::from_ref(&received))
        .await
        .unwrap();
    assert!(
        bob1.stored(received.msg_id.as_ref().unwrap())
            .unwrap()
            .has_sent_receipt
    );
    for device in [&mut alice1, &mut alice2] {
        let receipts = receipts_event(device).await;
        assert_eq!(receipts[0].msg_id, asked.msg_id.as_ref().unwrap().as_str());
        assert_eq!((receipts[0].read_count, receipts[0].unread_count), (1, 1));
        let stored = device.stored(asked.msg_id.as_ref().unwrap()).unwrap();
        assert_eq!(
            (
                stored.group_receipt_read_count,
                stored.group_receipt_unread_count
            ),
            (1, 1)
        );
    }
    // The sender's own receipt is ignored.
    alice1
        .client
        .send_message_read_receipts(std::slice::from_ref(&asked))
        .await
        .unwrap();
    let read = alice2
        .client
        .get_group_message_read_member_list(&asked, GroupMessageReadMembersFilter::Read, 0, 100)
        .await
        .unwrap();
    assert!(read.is_finished);
    let names: Vec<_> = read.members.iter().map(|m| m.identifier.clone()).collect();
    assert_eq!(names, ["bob"]);
    let unread_members = carol
        .client
        .get_group_message_read_member_list(&asked, GroupMessageReadMembersFilter::Unread, 0, 1)
        .await
        .unwrap();
    let names: Vec<_> = unread_members
        .members
        .iter()
        .map(|m| m.identifier.clone())
        .collect();
    assert_eq!(names, ["carol"]);
    let too_many = alice1
        .client
        .get_group_message_read_member_list(&asked, GroupMessageReadMembersFilter::Read, 0, 101)
        .await
        .unwrap_err();
    assert_eq!(too_many.code(), codes::ERR_INVALID_PARAMETERS);
    assert!(matches!(too_many, CoreError::Model(_)));

    // Group read reports: bob's devices agree on the unread count.
    assert!(unread(&bob2, &team) >= 2);
    bob1.client.report_read(&team, None).await.unwrap();
    assert_eq!(unread(&bob1, &team), 0);
    read_event(&mut bob2, &team).await;
    assert_eq!(unread(&bob2, &team), 0);
    let outsider = dave.client.report_read(&team, None).await.unwrap_err();
    assert_eq!(outsider.code(), codes::ERR_SVR_GROUP_PERMISSION_DENY);
}
