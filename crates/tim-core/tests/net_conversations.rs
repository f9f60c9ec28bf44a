//! The conversation list and profiles on a real server, with two devices of one user and a
//! peer: the list follows sends, receipts and reads; pins, marks, custom data, groups and
//! deletions made on one device reach the other (online by push, a new device at login), with
//! conversation events in order; unread counts agree across devices; profiles set on one
//! device reach the other and ride on the messages the user sends.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is a failed test

mod net_support;

use net_support::*;
use tim_core::{ConversationChange, ConversationGroupChange, Event, GroupOp};
use tim_model::enums::ConvEvent;
use tim_model::{ConvInfo, UserProfileItem, codes};

fn list(device: &Device) -> Vec<ConvInfo> {
    device.client.engine().unwrap().conversation_list().unwrap()
}

fn find(device: &Device, id: &str) -> Option<ConvInfo> {
    list(device).into_iter().find(|info| info.conv_id == id)
}

async fn conv_event(device: &mut Device, kind: ConvEvent, id: &str) -> ConvInfo {
    let id = id.to_owned();
    device
        .wait_for(move |event| match event {
            Event::Conversations { event, convs } if *event == kind => {
                convs.iter().find(|c| c.conv_id == id).cloned()
            }
            _ => None,
        })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_follows_messages_and_reads_on_every_device() {
    let server = TestServer::start().await;
    let mut phone = device(&server, "alice").await;
    let mut laptop = device(&server, "alice").await;
    let bob = device(&server, "bob").await;
    bob.send(&c2c("alice"), "one").await;
    bob.send(&c2c("alice"), "two").await;
    let added = conv_event(&mut phone, ConvEvent::Add, "bob").await;
    assert_eq!(added.conv_type, tim_model::enums::ConvType::C2c);
    let info = phone
        .wait_for(|event| match event {
            Event::Conversations { convs, .. } => convs
                .iter()
                .find(|c| c.conv_id == "bob" && c.unread_num == 2)
                .cloned(),
            _ => None,
        })
        .await;
    assert_eq!(content(info.last_msg.as_ref().unwrap()), "two");
    let total = phone
        .wait_for(|event| match event {
            Event::TotalUnread(n) if *n == 2 => Some(*n),
            _ => None,
        })
        .await;
    assert_eq!(total, 2);
    // Reading on the laptop clears the phone's count too.
    laptop
        .wait_for(|event| match event {
            Event::Conversations { convs, .. } => {
                convs.iter().find(|c| c.unread_num == 2).map(|_| ())
            }
            _ => None,
        })
        .await;
    laptop.client.report_read(&c2c("bob"), None).await.unwrap();
    phone
        .wait_for(|event| match event {
            Event::TotalUnread(0) => Some(()),
            _ => None,
        })
        .await;
    assert_eq!(find(&phone, "bob").unwrap().unread_num, 0);
    // An own send updates the sender's list.
    phone.send(&c2c("carol"), "hi carol").await;
    let carol = find(&phone, "carol").unwrap();
    assert_eq!(content(carol.last_msg.as_ref().unwrap()), "hi carol");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attributes_reach_the_other_device_and_a_new_one() {
    let server = TestServer::start().await;
    let mut phone = device(&server, "alice").await;
    let mut laptop = device(&server, "alice").await;
    let bob = device(&server, "bob").await;
    bob.send(&c2c("alice"), "hello").await;
    let carol = device(&server, "carol").await;
    carol.send(&c2c("alice"), "hey").await;
    for dev in [&mut phone, &mut laptop] {
        conv_event(dev, ConvEvent::Add, "carol").await;
    }
    let results = phone
        .client
        .update_conversations(&[c2c("bob")], ConversationChange::Pin(true))
        .await
        .unwrap();
    assert_eq!(results[0].result_code, 0);
    assert_eq!(results[0].conversation_id, "c2c_bob");
    // The caller's list shows it at once: pinned first although older.
    assert_eq!(list(&phone)[0].conv_id, "bob");
    assert!(list(&phone)[0].is_pinned);
    let pinned = conv_event(&mut laptop, ConvEvent::Update, "bob").await;
    assert!(pinned.is_pinned);
    assert_eq!(list(&laptop)[0].conv_id, "bob");
    phone
        .client
        .update_conversations(
            &[c2c("carol")],
            ConversationChange::Mark {
                marks: 0x1,
                enable: true,
            },
        )
        .await
        .unwrap();
    phone
        .client
        .update_conversations(
            &[c2c("carol")],
            ConversationChange::CustomData("vip".into()),
        )
        .await
        .unwrap();
    phone
        .client
        .update_conversations(
            &[c2c("carol"), c2c("bob")],
            ConversationChange::Group(GroupOp::Create("friends".into())),
        )
        .await
        .unwrap();
    let created = laptop
        .wait_for(|event| match event {
            Event::ConversationGroupChanged(change) => Some(change.clone()),
            _ => None,
        })
        .await;
    assert_eq!(
        created,
        ConversationGroupChange::Created {
            name: "friends".into(),
            conversation_ids: vec!["c2c_carol".into(), "c2c_bob".into()],
        }
    );
    // A refused change: the 33-byte group name.
    let refused = phone
        .client
        .update_conversations(
            &[c2c("carol")],
            ConversationChange::Group(GroupOp::Create("x".repeat(33))),
        )
        .await
        .unwrap_err();
    assert_eq!(
        refused.code(),
        codes::ERR_SVR_CONV_CONV_GROUP_NAME_EXCEED_LENGTH
    );
    // Deleting hides the conversation on both devices until a newer message.
    phone
        .client
        .delete_conversation(&c2c("carol"), false)
        .await
        .unwrap();
    assert!(find(&phone, "carol").is_none());
    conv_event(&mut laptop, ConvEvent::Del, "carol").await;
    assert!(find(&laptop, "carol").is_none());
    // A new device sees the same list after login.
    let tablet = device(&server, "alice").await;
    let mut tablet = tablet;
    tablet
        .wait_for(|event| match event {
            Event::ConversationSync { finished: true } => Some(()),
            _ => None,
        })
        .await;
    let bob_info = find(&tablet, "bob").unwrap();
    assert!(bob_info.is_pinned);
    assert_eq!(bob_info.conversation_group_array, ["friends"]);
    assert!(find(&tablet, "carol").is_none());
    assert_eq!(
        tablet
            .client
            .engine()
            .unwrap()
            .conversation_group_names()
            .unwrap(),
        ["friends"]
    );
    // Carol writes again: the conversation is back everywhere, with its marks.
    carol.send(&c2c("alice"), "again").await;
    let back = conv_event(&mut laptop, ConvEvent::Add, "carol").await;
    assert_eq!(back.mark_array, [1]);
    assert_eq!(back.custom_data, "vip");
    assert_eq!(content(back.last_msg.as_ref().unwrap()), "again");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profiles_reach_other_devices_and_ride_on_messages() {
    let server = TestServer::start().await;
    let phone = device(&server, "alice").await;
    let mut laptop = device(&server, "alice").await;
    let mut bob = device(&server, "bob").await;
    let profile = phone
        .client
        .set_self_profile(UserProfileItem {
            nick_name: Some("Alice".into()),
            face_url: Some("https://example.test/a.png".into()),
            ..UserProfileItem::default()
        })
        .await
        .unwrap();
    assert_eq!(profile.nick_name, "Alice");
    let updated = laptop
        .wait_for(|event| match event {
            Event::SelfProfileChanged(profile) => Some(profile.clone()),
            _ => None,
        })
        .await;
    assert_eq!(updated.face_url, "https://example.test/a.png");
    let read = bob
        .client
        .get_profiles(&[user("alice"), user("nobody")])
        .await
        .unwrap();
    assert_eq!(read[0].nick_name, "Alice");
    assert_eq!(read[1].identifier, "nobody");
    assert!(read[1].nick_name.is_empty());
    phone.send(&c2c("bob"), "from alice").await;
    let received = bob.receive(1).await;
    let sender = received[0].sender_profile.as_ref().unwrap();
    assert_eq!(sender.nick_name, "Alice");
    // Bob's list names the conversation after her nickname.
    let info = conv_event(&mut bob, ConvEvent::Add, "alice").await;
    assert_eq!(info.show_name, "Alice");
    // Over the limits: refused with the profile codes.
    let long = phone
        .client
        .set_self_profile(UserProfileItem {
            nick_name: Some("n".repeat(501)),
            ..UserProfileItem::default()
        })
        .await
        .unwrap_err();
    assert_eq!(long.code(), codes::ERR_SVR_PROFILE_SIZE_LIMIT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_mention_is_pending_until_the_group_is_read() {
    use tim_model::enums::{GroupAddOption, GroupAtType, GroupType};
    let server = TestServer::start().await;
    let mut alice = device(&server, "alice").await;
    let bob = device(&server, "bob").await;
    bob.client
        .create_group(tim_core::CreateGroupParam {
            group_id: Some(tim_model::GroupId::new("club").unwrap()),
            group_type: GroupType::Public,
            name: "Club".into(),
            add_option: GroupAddOption::Any,
            member_ids: vec![user("alice")],
            ..Default::default()
        })
        .await
        .unwrap();
    let mut message = text("@alice look");
    message.group_at_user_array = vec!["alice".into()];
    let (_, handle) = bob.client.send_message(&group("club"), message).unwrap();
    tokio::time::timeout(WAIT, handle).await.unwrap().unwrap();
    let pending = alice
        .wait_for(|event| match event {
            Event::Conversations { convs, .. } => convs
                .iter()
                .find(|c| c.conv_id == "club" && !c.group_at_info_array.is_empty())
                .cloned(),
            _ => None,
        })
        .await;
    assert_eq!(pending.group_at_info_array.len(), 1);
    assert_eq!(pending.group_at_info_array[0].at_type, GroupAtType::AtMe);
    alice
        .client
        .report_read(&group("club"), None)
        .await
        .unwrap();
    let read = alice
        .wait_for(|event| match event {
            Event::Conversations { convs, .. } => convs
                .iter()
                .find(|c| c.conv_id == "club" && c.unread_num == 0)
                .cloned(),
            _ => None,
        })
        .await;
    assert!(read.group_at_info_array.is_empty(), "{read:?}");
}
