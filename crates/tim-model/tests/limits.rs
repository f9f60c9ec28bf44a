//! Every documented limit, at its boundary: the last allowed value passes, the first one past
//! it fails with the TIM code the documentation gives.

use tim_model::enums::MsgStatus;
use tim_model::keys::values;
use tim_model::limits::*;
use tim_model::*;

fn text(content: &str) -> Elem {
    Elem::Text(TextElem {
        content: content.to_owned(),
    })
}

fn message(elems: Vec<Elem>) -> Message {
    Message {
        elems,
        ..Default::default()
    }
}

fn code<T: std::fmt::Debug>(result: Result<T>) -> i32 {
    result.err().map_or(0, |err| err.code())
}

#[test]
fn message_body_is_at_most_12_kb_over_all_elements() {
    let half = "a".repeat(MESSAGE_BODY_MAX_BYTES / 2);
    assert_eq!(
        code(validate_send(&message(vec![text(&half), text(&half)]))),
        0
    );
    let over = message(vec![text(&half), text(&half), text("a")]);
    assert_eq!(code(validate_send(&over)), 8001);
    let custom = Elem::Custom(CustomElem {
        data: "d".repeat(MESSAGE_BODY_MAX_BYTES),
        ..Default::default()
    });
    assert_eq!(code(validate_send(&message(vec![custom]))), 0);
    let with_cloud = Message {
        cloud_custom_str: "c".into(),
        ..message(vec![text(&"a".repeat(12 * 1024))])
    };
    assert_eq!(code(validate_send(&with_cloud)), 8001);
    // Multi-byte text counts its UTF-8 bytes.
    assert_eq!(
        code(validate_send(&message(vec![text(&"字".repeat(4096))]))),
        0
    );
    assert_eq!(
        code(validate_send(&message(vec![text(&"字".repeat(4097))]))),
        8001
    );
}

#[test]
fn the_body_limit_counts_everything_the_sender_controls() {
    // 100 bytes of text leave room for exactly this much in each other field.
    let room = MESSAGE_BODY_MAX_BYTES - 100;
    let body = |fill: &dyn Fn(&mut Message, usize)| {
        (0..=1usize)
            .map(|extra| {
                let mut m = message(vec![text(&"a".repeat(100))]);
                fill(&mut m, room + extra);
                code(validate_send(&m))
            })
            .collect::<Vec<_>>()
    };
    let push = |m: &mut Message, n: usize| {
        m.offline_push_config = Some(OfflinePushConfig {
            desc: "d".repeat(n / 2),
            ext: "e".repeat(n - n / 2),
            ..Default::default()
        });
    };
    assert_eq!(body(&push), vec![0, 8001], "offline push desc and ext");
    let android = |m: &mut Message, n: usize| {
        m.offline_push_config = Some(OfflinePushConfig {
            android_config: Some(AndroidOfflinePushConfig {
                fcm_channel_id: "f".repeat(n),
                ..Default::default()
            }),
            ..Default::default()
        });
    };
    assert_eq!(body(&android), vec![0, 8001], "android push options");
    let at_users = |m: &mut Message, n: usize| {
        // IDs of 8 bytes, the last one shorter to hit `n` exactly.
        m.group_at_user_array = (0..n / 8).map(|i| format!("u{i:07}")).collect();
        if !n.is_multiple_of(8) {
            m.group_at_user_array.push("v".repeat(n % 8));
        }
    };
    assert_eq!(body(&at_users), vec![0, 8001], "the @ list");
    let targets = |m: &mut Message, n: usize| {
        m.target_group_member_array = (0..n / 8).map(|i| format!("t{i:07}")).collect();
        if !n.is_multiple_of(8) {
            m.target_group_member_array.push("w".repeat(n % 8));
        }
    };
    assert_eq!(body(&targets), vec![0, 8001], "the target list");
}

#[test]
fn only_sendable_elements_and_at_most_one_sound_and_one_file() {
    assert_eq!(code(validate_send(&message(vec![]))), 6016);
    for server_only in [
        Elem::GroupTips(Default::default()),
        Elem::GroupReport(Default::default()),
        Elem::FriendChange(Default::default()),
        Elem::ProfileChange(Default::default()),
    ] {
        let err = validate_send(&message(vec![text("x"), server_only])).unwrap_err();
        assert_eq!((err.code(), err.path()), (6016, "message_elem_array[1]"));
    }
    let sound = || Elem::Sound(SoundElem::default());
    let file = || Elem::File(FileElem::default());
    assert_eq!(
        code(validate_send(&message(vec![sound(), file(), text("x")]))),
        0
    );
    assert_eq!(code(validate_send(&message(vec![sound(), sound()]))), 6016);
    assert_eq!(
        code(validate_send(&message(vec![file(), text("x"), file()]))),
        6016
    );
    let every_sendable = vec![
        text("t"),
        Elem::Image(Default::default()),
        Elem::Sound(Default::default()),
        Elem::Custom(Default::default()),
        Elem::File(Default::default()),
        Elem::Face(Default::default()),
        Elem::Location(Default::default()),
        Elem::Video(Default::default()),
    ];
    assert_eq!(code(validate_send(&message(every_sendable))), 0);
}

#[test]
fn mentions_and_targets_are_user_ids() {
    let mut msg = message(vec![text("hi")]);
    msg.group_at_user_array = vec![
        values::AT_ALL.into(),
        values::AT_ALL_OLD.into(),
        "u1".into(),
    ];
    assert_eq!(code(validate_send(&msg)), 0);
    msg.group_at_user_array.push("x".repeat(33));
    let err = validate_send(&msg).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        (7003, "message_group_at_user_array[3]")
    );
    let mut msg = message(vec![text("hi")]);
    msg.target_group_member_array = vec![String::new()];
    assert_eq!(code(validate_send(&msg)), 7003);
}

fn sent(content: &str) -> Message {
    Message {
        status: Some(MsgStatus::SendSucc),
        ..message(vec![text(content)])
    }
}

#[test]
fn merged_messages_hold_at_most_300_sent_messages_and_nest_at_most_100_layers() {
    let merge = |messages: Vec<Message>| {
        Elem::Merge(MergeElem {
            compatible_text: "[chat]".into(),
            message_array: messages,
            ..Default::default()
        })
    };
    assert_eq!(
        code(validate_send(&message(vec![merge(vec![sent("a"); 300])]))),
        0
    );
    let err = validate_send(&message(vec![merge(vec![sent("a"); 301])])).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        (6017, "message_elem_array[0].merge_elem_message_array")
    );
    let unsent = message(vec![text("draft")]);
    assert_eq!(
        code(validate_send(&message(vec![merge(vec![
            sent("a"),
            unsent
        ])]))),
        6017
    );
    let tips = Message {
        status: Some(MsgStatus::SendSucc),
        ..message(vec![Elem::GroupTips(Default::default())])
    };
    assert_eq!(code(validate_send(&message(vec![merge(vec![tips])]))), 6016);
    let no_text = Elem::Merge(MergeElem {
        message_array: vec![sent("a")],
        ..Default::default()
    });
    assert_eq!(code(validate_send(&message(vec![no_text]))), 6017);
    // A received merged message forwarded as it is: its relay key, no inner messages.
    let received = Elem::Merge(MergeElem {
        compatible_text: "[chat]".into(),
        relay_pb_key: "0123456789abcdef0123456789abcdef".into(),
        ..Default::default()
    });
    assert_eq!(code(validate_send(&message(vec![received.clone()]))), 0);
    assert_eq!(code(validate_send(&message(vec![merge(vec![])]))), 6017);
    // Nested inline merges are checked too, and nest at most 100 layers.
    let unsent_inside = merge(vec![Message {
        status: Some(MsgStatus::SendSucc),
        ..message(vec![merge(vec![message(vec![text("draft")])])])
    }]);
    assert_eq!(code(validate_send(&message(vec![unsent_inside]))), 6017);
    let nest = |layers: u32| {
        let mut elem = merge(vec![sent("bottom")]);
        for _ in 1..layers {
            elem = merge(vec![Message {
                status: Some(MsgStatus::SendSucc),
                ..message(vec![elem])
            }]);
        }
        message(vec![elem])
    };
    assert_eq!(code(validate_send(&nest(MERGE_LAYERS_MAX))), 0);
    assert_eq!(code(validate_send(&nest(MERGE_LAYERS_MAX + 1))), 8005);
    let forwarded_deep = Message {
        status: Some(MsgStatus::SendSucc),
        ..message(vec![received])
    };
    assert_eq!(
        code(validate_send(&message(vec![merge(vec![forwarded_deep])]))),
        0
    );
    assert_eq!(code(check_merge_layers(MERGE_LAYERS_MAX)), 0);
    assert_eq!(code(check_merge_layers(MERGE_LAYERS_MAX + 1)), 8005);
}

fn extension(key: &str, value: &str) -> MessageExtension {
    MessageExtension {
        key: key.to_owned(),
        value: value.to_owned(),
    }
}

#[test]
fn extensions_have_short_keys_small_values_and_come_20_at_a_time() {
    let twenty: Vec<_> = (0..20).map(|i| extension(&format!("k{i}"), "v")).collect();
    assert_eq!(code(validate_extensions(&twenty)), 0);
    let mut twenty_one = twenty.clone();
    twenty_one.push(extension("k20", "v"));
    assert_eq!(code(validate_extensions(&twenty_one)), 6017);
    assert_eq!(code(validate_extensions(&[])), 6017);
    assert_eq!(
        code(validate_extensions(&[extension(
            &"k".repeat(100),
            &"v".repeat(1024)
        )])),
        0
    );
    let err =
        validate_extensions(&[extension("ok", "v"), extension(&"k".repeat(101), "v")]).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        (6017, "json_extension_array[1].message_extension_key")
    );
    let err = validate_extensions(&[extension("k", &"v".repeat(1025))]).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        (6017, "json_extension_array[0].message_extension_value")
    );
    assert_eq!(code(validate_extensions(&[extension("", "v")])), 6017);
    assert_eq!(
        code(validate_extensions(&[
            extension("k", "1"),
            extension("k", "2")
        ])),
        6017
    );
    let keys: Vec<String> = (0..20).map(|i| format!("k{i}")).collect();
    assert_eq!(code(validate_extension_keys(&keys)), 0);
    assert_eq!(
        code(validate_extension_keys(&[])),
        0,
        "an empty list deletes every extension"
    );
    assert_eq!(
        code(validate_extension_keys(
            &[keys.clone(), vec!["k20".into()]].concat()
        )),
        6017
    );
    assert_eq!(EXTENSIONS_PER_MESSAGE_MAX, 300);
}

#[test]
fn list_delete_takes_1_to_50_messages() {
    assert_eq!(code(validate_list_delete(&vec![Message::default(); 50])), 0);
    assert_eq!(
        code(validate_list_delete(&vec![Message::default(); 51])),
        6017
    );
    assert_eq!(code(validate_list_delete(&[])), 6017);
}

#[test]
fn c2c_receive_options_take_1_to_30_valid_users() {
    let users: Vec<String> = (0..30).map(|i| format!("user{i}")).collect();
    assert_eq!(
        validate_c2c_recv_opt_users(&users).map(|u| u.len()).ok(),
        Some(30)
    );
    assert_eq!(
        code(validate_c2c_recv_opt_users(
            &[users.clone(), vec!["x".into()]].concat()
        )),
        6017
    );
    assert_eq!(code(validate_c2c_recv_opt_users(&[])), 6017);
    let err = validate_c2c_recv_opt_users(&["ok".into(), "bad\u{7f}".into()]).unwrap_err();
    assert_eq!((err.code(), err.path()), (7003, "json_identifier_array[1]"));
}

#[test]
fn a_search_takes_1_to_5_keywords() {
    let search = |keywords: &[&str]| SearchParam {
        keyword_array: keywords.iter().map(|k| (*k).to_owned()).collect(),
        ..Default::default()
    };
    assert_eq!(
        code(validate_search(&search(&["a", "b", "c", "d", "e"]))),
        0
    );
    assert_eq!(
        code(validate_search(&search(&["a", "b", "c", "d", "e", "f"]))),
        6017
    );
    assert_eq!(code(validate_search(&search(&[]))), 6017);
    let err = validate_search(&search(&["a", " "])).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        (6017, "msg_search_param_keyword_array[1]")
    );
}

#[test]
fn read_member_pages_hold_1_to_100_members() {
    assert_eq!(code(validate_read_member_count(100)), 0);
    assert_eq!(code(validate_read_member_count(1)), 0);
    assert_eq!(code(validate_read_member_count(101)), 6017);
    assert_eq!(code(validate_read_member_count(0)), 6017);
}

#[test]
fn batch_send_reaches_at_most_500_valid_users_with_a_sendable_message() {
    let param = |count: usize| BatchSendParam {
        identifier_array: (0..count).map(|i| format!("u{i}")).collect(),
        msg: message(vec![text("hello")]),
    };
    assert_eq!(
        validate_batch_send(&param(500)).map(|u| u.len()).ok(),
        Some(500)
    );
    assert_eq!(code(validate_batch_send(&param(501))), 90011);
    assert_eq!(code(validate_batch_send(&param(0))), 6017);
    let mut bad_user = param(2);
    bad_user.identifier_array[1] = String::new();
    assert_eq!(code(validate_batch_send(&bad_user)), 7003);
    let mut bad_message = param(2);
    bad_message
        .msg
        .elems
        .push(Elem::GroupTips(Default::default()));
    let err = validate_batch_send(&bad_message).unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        (6016, "msg_batch_send_param_msg.message_elem_array[1]")
    );
}

#[test]
fn identities_have_their_documented_sizes() {
    assert!(UserId::new(&"u".repeat(32)).is_ok());
    assert_eq!(code(UserId::new(&"u".repeat(33))), 7003);
    assert!(GroupId::new(&"g".repeat(48)).is_ok());
    assert_eq!(code(GroupId::new(&"g".repeat(49))), 8501);
    assert!(MessageId::new(&"m".repeat(127)).is_ok());
    assert_eq!(code(MessageId::new(&"m".repeat(128))), 6017);
    assert_eq!(
        code(ConvId::new(enums::ConvType::Group, &"g".repeat(49))),
        8501
    );
}
