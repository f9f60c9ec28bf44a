//! Writes the seed corpora of `frame_decode` and `server_requests` under `corpus/`, and checks
//! that the `server_requests` seeds do what they are meant to (most of their requests
//! succeed) against a fresh [`FuzzServer`]:
//!
//! ```sh
//! cargo run --manifest-path fuzz/Cargo.toml --example seeds
//! ```
//!
//! The `json_decode` seeds are JSON samples of the frozen TIM reference
//! (`docs/spec/seeds/001_*.txt`), checked in as they are; this program does not touch them.

use std::path::{Path, PathBuf};
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;
use tim_server::fuzzing::{FUZZ_APP, FUZZ_SECRET_KEY, FuzzServer};

const C2C: i32 = 1;
const GROUP: i32 = 2;
/// A `request_id` picks its user: `id % 3` is alice (0), bob (1) or carol (2).
const ALICE: u64 = 3;
const BOB: u64 = 1;
const CAROL: u64 = 2;

fn conversation(conv_type: i32, conv_id: &str) -> Option<v1::ConversationId> {
    Some(v1::ConversationId {
        conv_type,
        conv_id: conv_id.into(),
    })
}

fn text(conv_type: i32, conv_id: &str, msg_id: &str, content: &str) -> v1::Message {
    v1::Message {
        elems: vec![v1::Elem {
            body: Some(v1::elem::Body::Text(v1::TextElem {
                content: content.into(),
            })),
        }],
        conv_id: conv_id.into(),
        conv_type,
        msg_id: Some(msg_id.into()),
        client_time: 1_700_000_000,
        rand: 12_345,
        need_read_receipt: true,
        support_message_extension: true,
        ..Default::default()
    }
}

/// Numbers the frames of one seed: the nth request of a user gets `user + 3 n`.
struct Frames {
    bytes: Vec<u8>,
    next: u64,
}

impl Frames {
    fn new() -> Self {
        Self {
            bytes: Vec::new(),
            next: 0,
        }
    }

    fn push(&mut self, user: u64, body: Request) -> &mut Self {
        self.next += 3;
        let frame = v1::ClientFrame {
            request_id: self.next + user % 3,
            body: Some(body),
        };
        self.bytes.extend(tim_proto::encode_frame(&frame));
        self
    }

    fn send(&mut self, user: u64, conv_type: i32, conv_id: &str, msg_id: &str) -> &mut Self {
        self.push(
            user,
            Request::SendMessage(v1::SendMessageRequest {
                conversation: conversation(conv_type, conv_id),
                message: Some(text(conv_type, conv_id, msg_id, "hello 你好")),
            }),
        )
    }
}

fn c2c() -> Vec<u8> {
    let mut frames = Frames::new();
    frames
        .send(ALICE, C2C, "bob", "seed-c2c-1")
        .send(BOB, C2C, "alice", "seed-c2c-2")
        .push(
            BOB,
            Request::Sync(v1::SyncRequest {
                cursor: 0,
                max_events: 100,
            }),
        )
        .push(
            BOB,
            Request::PullHistory(v1::PullHistoryRequest {
                conversation: conversation(C2C, "alice"),
                begin_seq: 0,
                end_seq: 0,
                max_count: 20,
                backward: false,
            }),
        )
        .push(
            BOB,
            Request::ReportRead(v1::ReportReadRequest {
                scope: Some(v1::report_read_request::Scope::Conversation(v1::ReadMark {
                    conversation: conversation(C2C, "alice"),
                    read_time: 0,
                    read_seq: 0,
                })),
            }),
        )
        .push(
            BOB,
            Request::SendReadReceipts(v1::SendReadReceiptsRequest {
                conversation: conversation(C2C, "alice"),
                msg_ids: vec!["seed-c2c-1".into()],
            }),
        )
        .push(
            ALICE,
            Request::GetReadReceipts(v1::GetReadReceiptsRequest {
                conversation: conversation(C2C, "bob"),
                msg_ids: vec!["seed-c2c-1".into()],
            }),
        )
        .push(
            ALICE,
            Request::BatchSend(v1::BatchSendRequest {
                identifier_array: vec!["bob".into(), "carol".into()],
                msg: Some(text(C2C, "", "seed-batch-1", "to all")),
            }),
        );
    frames.bytes
}

fn group() -> Vec<u8> {
    let mut frames = Frames::new();
    frames
        .push(
            ALICE,
            Request::CreateGroup(v1::CreateGroupRequest {
                group_id: Some("seed-group".into()),
                group_type: 0,
                name: "seeds".into(),
                add_option: 2,
                member_ids: vec!["bob".into()],
                ..Default::default()
            }),
        )
        .push(
            CAROL,
            Request::JoinGroup(v1::JoinGroupRequest {
                group_id: "seed-group".into(),
                apply_message: "hi".into(),
            }),
        )
        .send(ALICE, GROUP, "seed-group", "seed-group-1")
        .push(
            BOB,
            Request::ReportRead(v1::ReportReadRequest {
                scope: Some(v1::report_read_request::Scope::AllOfConvType(GROUP)),
            }),
        )
        .push(
            BOB,
            Request::SendReadReceipts(v1::SendReadReceiptsRequest {
                conversation: conversation(GROUP, "seed-group"),
                msg_ids: vec!["seed-group-1".into()],
            }),
        )
        .push(
            ALICE,
            Request::GetGroupReadMembers(v1::GetGroupReadMembersRequest {
                group_id: "seed-group".into(),
                msg_id: "seed-group-1".into(),
                filter: 0,
                next_seq: 0,
                count: 10,
            }),
        )
        .push(
            CAROL,
            Request::ListGroupMembers(v1::ListGroupMembersRequest {
                group_id: "seed-group".into(),
                next_seq: 0,
                count: 10,
            }),
        )
        .push(
            BOB,
            Request::SetGroupRecvOpt(v1::SetGroupRecvOptRequest {
                group_id: "seed-group".into(),
                opt: 1,
            }),
        )
        .push(
            ALICE,
            Request::AddGroupMembers(v1::AddGroupMembersRequest {
                group_id: "seed-group".into(),
                user_ids: vec!["dave".into()],
            }),
        )
        .push(
            ALICE,
            Request::RemoveGroupMembers(v1::RemoveGroupMembersRequest {
                group_id: "seed-group".into(),
                user_ids: vec!["carol".into()],
                reason: "seed".into(),
            }),
        )
        .push(
            BOB,
            Request::QuitGroup(v1::QuitGroupRequest {
                group_id: "seed-group".into(),
            }),
        )
        .push(
            ALICE,
            Request::DismissGroup(v1::DismissGroupRequest {
                group_id: "seed-group".into(),
            }),
        );
    frames.bytes
}

fn lifecycle() -> Vec<u8> {
    let bob = || conversation(C2C, "bob");
    let mut modified = text(C2C, "bob", "seed-life-1", "edited");
    modified.cloud_custom_str = "changed".into();
    let mut frames = Frames::new();
    frames
        .send(ALICE, C2C, "bob", "seed-life-1")
        .push(
            ALICE,
            Request::SetExtensions(v1::SetExtensionsRequest {
                conversation: bob(),
                msg_id: "seed-life-1".into(),
                extensions: vec![v1::MessageExtension {
                    key: "like".into(),
                    value: "alice".into(),
                    version: 0,
                }],
            }),
        )
        .push(
            ALICE,
            Request::GetExtensions(v1::GetExtensionsRequest {
                conversation: bob(),
                msg_id: "seed-life-1".into(),
            }),
        )
        .push(
            ALICE,
            Request::DeleteExtensions(v1::DeleteExtensionsRequest {
                conversation: bob(),
                msg_id: "seed-life-1".into(),
                keys: vec!["like".into()],
            }),
        )
        .push(
            ALICE,
            Request::ModifyMessage(v1::ModifyMessageRequest {
                conversation: bob(),
                message: Some(modified),
            }),
        )
        .push(
            ALICE,
            Request::RevokeMessage(v1::RevokeMessageRequest {
                conversation: bob(),
                msg_id: "seed-life-1".into(),
                reason: "typo".into(),
            }),
        )
        .send(ALICE, C2C, "bob", "seed-life-2")
        .push(
            ALICE,
            Request::CancelSend(v1::CancelSendRequest {
                conversation: bob(),
                msg_id: "seed-life-2".into(),
            }),
        )
        .push(
            ALICE,
            Request::DeleteMessages(v1::DeleteMessagesRequest {
                conversation: bob(),
                msg_ids: vec!["seed-life-2".into()],
            }),
        )
        .push(
            ALICE,
            Request::ClearHistory(v1::ClearHistoryRequest {
                conversation: bob(),
            }),
        );
    frames.bytes
}

fn session() -> Vec<u8> {
    let user_sig =
        tim_server::usersig::gen_user_sig(FUZZ_APP, FUZZ_SECRET_KEY, "alice", 10 * 365 * 86_400);
    let mut merge = text(C2C, "bob", "seed-merge-1", "");
    merge.elems = vec![v1::Elem {
        body: Some(v1::elem::Body::Merge(v1::MergeElem {
            title: "chat".into(),
            abstract_array: vec!["a: hi".into()],
            compatible_text: "merged".into(),
            message_array: vec![v1::Message {
                status: Some(2),
                seq: 1,
                server_time: 1_700_000_000,
                sender: "bob".into(),
                ..text(C2C, "alice", "seed-inner-1", "inner")
            }],
            ..Default::default()
        })),
    }];
    let mut frames = Frames::new();
    frames
        .push(ALICE, Request::Ping(v1::PingRequest {}))
        .push(
            ALICE,
            Request::Login(v1::LoginRequest {
                user_id: "alice".into(),
                user_sig,
                sdk_app_id: FUZZ_APP,
                device_id: "alice-device-2".into(),
                platform: 2,
                sdk_version: "seed".into(),
            }),
        )
        .push(
            BOB,
            Request::SetC2cRecvOpt(v1::SetC2cRecvOptRequest {
                user_ids: vec!["alice".into()],
                opt: 2,
            }),
        )
        .push(
            BOB,
            Request::GetC2cRecvOpt(v1::GetC2cRecvOptRequest {
                user_ids: vec!["alice".into(), "carol".into()],
            }),
        )
        .push(
            CAROL,
            Request::SetOfflinePushToken(v1::SetOfflinePushTokenRequest {
                token: Some(v1::OfflinePushToken {
                    token: "token".into(),
                    business_id: 1,
                    token_type: 0,
                    is_tpns_token: false,
                }),
            }),
        )
        .push(
            CAROL,
            Request::SetAppState(v1::SetAppStateRequest {
                background: true,
                unread_count: 3,
            }),
        )
        .push(
            ALICE,
            Request::SendMessage(v1::SendMessageRequest {
                conversation: conversation(C2C, "bob"),
                message: Some(merge),
            }),
        )
        .push(
            ALICE,
            Request::TranslateText(v1::TranslateTextRequest {
                source_texts: vec!["hello".into()],
                source_language: "en".into(),
                target_language: "zh".into(),
            }),
        )
        .push(CAROL, Request::Logout(v1::LogoutRequest {}));
    frames.bytes
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    if let Err(error) =
        std::fs::create_dir_all(dir).and_then(|()| std::fs::write(dir.join(name), bytes))
    {
        panic!("{}: {error}", dir.display());
    }
}

fn main() {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let seeds = [
        ("c2c", c2c()),
        ("group", group()),
        ("lifecycle", lifecycle()),
        ("session", session()),
    ];
    let mut server = match FuzzServer::new(&std::env::temp_dir()) {
        Ok(server) => server,
        Err(error) => panic!("cannot start the fuzz server: {error}"),
    };
    for (name, bytes) in &seeds {
        let answers = server.handle_frames(bytes);
        let failed: Vec<String> = answers
            .iter()
            .filter_map(|answer| match &answer.body {
                Some(Response::Error(error)) => Some(format!(
                    "#{} {}: {}",
                    answer.request_id, error.code, error.desc
                )),
                _ => None,
            })
            .collect();
        println!(
            "server_requests/{name}: {} requests, {} refused {failed:?}",
            answers.len(),
            failed.len()
        );
        write(&corpus.join("server_requests"), name, bytes);
    }
    // frame_decode: the first byte chooses the piece size, the rest is a stream of frames.
    let (_, c2c_bytes) = &seeds[0];
    write(
        &corpus.join("frame_decode"),
        "client_frames",
        &[&[7u8][..], c2c_bytes].concat(),
    );
    let push = v1::ServerFrame {
        request_id: 0,
        body: Some(Response::NewMessage(v1::NewMessagePush {
            cursor: 42,
            message: Some(text(C2C, "alice", "seed-push-1", "pushed")),
        })),
    };
    let pong = v1::ServerFrame {
        request_id: 9,
        body: Some(Response::Pong(v1::PongResponse {
            server_time: 1_700_000_000,
        })),
    };
    let server_frames = [
        &[3u8][..],
        &tim_proto::encode_frame(&push),
        &tim_proto::encode_frame(&pong),
    ]
    .concat();
    write(
        &corpus.join("frame_decode"),
        "server_frames",
        &server_frames,
    );
    let (_, group_bytes) = &seeds[1];
    write(
        &corpus.join("frame_decode"),
        "group_frames",
        &[&[15u8][..], group_bytes].concat(),
    );
}
