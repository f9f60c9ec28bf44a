//! The requests of the permission matrix, one builder per request shape; the rows choose
//! what each is aimed at.

use crate::common::*;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;

/// A login as `user` of app `sdk_app_id` with a UserSig for `signer` (app, key).
pub fn login(sdk_app_id: u64, user: String, signer: (u64, &str)) -> Request {
    Request::Login(v1::LoginRequest {
        user_sig: tim_server::usersig::gen_user_sig(signer.0, signer.1, &user, 86400),
        user_id: user,
        sdk_app_id,
        device_id: "matrix".into(),
        platform: 0,
        sdk_version: "test".into(),
    })
}

pub fn set_app_state() -> Request {
    Request::SetAppState(v1::SetAppStateRequest {
        background: true,
        unread_count: 1,
    })
}

pub fn send(conversation: v1::ConversationId) -> Request {
    Request::SendMessage(v1::SendMessageRequest {
        conversation: Some(conversation),
        message: Some(text_message("new-1", "hello")),
    })
}

pub fn batch_send(user: String) -> Request {
    Request::BatchSend(v1::BatchSendRequest {
        identifier_array: vec![user],
        msg: Some(text_message("batch-1", "hello")),
    })
}

pub fn cancel(conversation: v1::ConversationId, msg_id: &str) -> Request {
    Request::CancelSend(v1::CancelSendRequest {
        conversation: Some(conversation),
        msg_id: msg_id.into(),
    })
}

pub fn sync() -> Request {
    Request::Sync(v1::SyncRequest {
        cursor: 0,
        max_events: 0,
    })
}

pub fn pull(conversation: v1::ConversationId) -> Request {
    Request::PullHistory(v1::PullHistoryRequest {
        conversation: Some(conversation),
        begin_seq: 0,
        end_seq: 0,
        max_count: 0,
        backward: true,
    })
}

pub fn revoke(conversation: v1::ConversationId, msg_id: &str) -> Request {
    Request::RevokeMessage(v1::RevokeMessageRequest {
        conversation: Some(conversation),
        msg_id: msg_id.into(),
        reason: String::new(),
    })
}

/// The message's text replaced, based on its first version.
pub fn modify(conversation: v1::ConversationId, msg_id: &str) -> Request {
    Request::ModifyMessage(v1::ModifyMessageRequest {
        conversation: Some(conversation),
        message: Some(text_message(msg_id, "edited")),
    })
}

pub fn delete(conversation: v1::ConversationId, msg_id: &str) -> Request {
    Request::DeleteMessages(v1::DeleteMessagesRequest {
        conversation: Some(conversation),
        msg_ids: vec![msg_id.into()],
    })
}

pub fn clear(conversation: v1::ConversationId) -> Request {
    Request::ClearHistory(v1::ClearHistoryRequest {
        conversation: Some(conversation),
    })
}

pub fn download(relay_pb_key: &str) -> Request {
    Request::DownloadMerged(v1::DownloadMergedRequest {
        relay_pb_key: relay_pb_key.into(),
    })
}

pub fn translate() -> Request {
    Request::TranslateText(v1::TranslateTextRequest {
        source_texts: vec!["hello".into()],
        source_language: "en".into(),
        target_language: "fr".into(),
    })
}

/// Read up to the newest message.
pub fn report_read(conversation: v1::ConversationId) -> Request {
    Request::ReportRead(v1::ReportReadRequest {
        scope: Some(v1::report_read_request::Scope::Conversation(v1::ReadMark {
            conversation: Some(conversation),
            read_time: 0,
            read_seq: 0,
        })),
    })
}

/// Every conversation of the user read.
pub fn report_all_read() -> Request {
    Request::ReportRead(v1::ReportReadRequest {
        scope: Some(v1::report_read_request::Scope::AllOfConvType(0)),
    })
}

pub fn send_receipt(conversation: v1::ConversationId, msg_id: &str) -> Request {
    Request::SendReadReceipts(v1::SendReadReceiptsRequest {
        conversation: Some(conversation),
        msg_ids: vec![msg_id.into()],
    })
}

pub fn get_receipt(conversation: v1::ConversationId, msg_id: &str) -> Request {
    Request::GetReadReceipts(v1::GetReadReceiptsRequest {
        conversation: Some(conversation),
        msg_ids: vec![msg_id.into()],
    })
}

/// The first page of members who read the message.
pub fn read_members(group_id: &str, msg_id: &str) -> Request {
    Request::GetGroupReadMembers(v1::GetGroupReadMembersRequest {
        group_id: group_id.into(),
        msg_id: msg_id.into(),
        filter: 0,
        next_seq: 0,
        count: 10,
    })
}

/// Key `k` set, expecting it new.
pub fn set_extension(conversation: v1::ConversationId, msg_id: &str) -> Request {
    Request::SetExtensions(v1::SetExtensionsRequest {
        conversation: Some(conversation),
        msg_id: msg_id.into(),
        extensions: vec![v1::MessageExtension {
            key: "k".into(),
            value: "v".into(),
            version: 0,
        }],
    })
}

pub fn get_extensions(conversation: v1::ConversationId, msg_id: &str) -> Request {
    Request::GetExtensions(v1::GetExtensionsRequest {
        conversation: Some(conversation),
        msg_id: msg_id.into(),
    })
}

/// Every key deleted (the fixture sets none, so the answer lists no results).
pub fn delete_extensions(conversation: v1::ConversationId, msg_id: &str) -> Request {
    Request::DeleteExtensions(v1::DeleteExtensionsRequest {
        conversation: Some(conversation),
        msg_id: msg_id.into(),
        keys: Vec::new(),
    })
}

/// Receive no messages from `user` (TIMReceiveMessageOpt 1).
pub fn set_c2c_recv_opt(user: String) -> Request {
    Request::SetC2cRecvOpt(v1::SetC2cRecvOptRequest {
        user_ids: vec![user],
        opt: 1,
    })
}

pub fn get_c2c_recv_opt(user: String) -> Request {
    Request::GetC2cRecvOpt(v1::GetC2cRecvOptRequest {
        user_ids: vec![user],
    })
}

/// Receive no messages from the group (TIMReceiveMessageOpt 1).
pub fn set_group_recv_opt(group_id: &str) -> Request {
    Request::SetGroupRecvOpt(v1::SetGroupRecvOptRequest {
        group_id: group_id.into(),
        opt: 1,
    })
}

/// A Public group anyone may join.
pub fn create_group(group_id: String) -> Request {
    Request::CreateGroup(v1::CreateGroupRequest {
        group_id: Some(group_id),
        group_type: 0,
        name: "new".into(),
        add_option: 2,
        ..Default::default()
    })
}

pub fn add_member(group_id: &str, user: String) -> Request {
    Request::AddGroupMembers(v1::AddGroupMembersRequest {
        group_id: group_id.into(),
        user_ids: vec![user],
    })
}

pub fn remove_member(group_id: &str, user: String) -> Request {
    Request::RemoveGroupMembers(v1::RemoveGroupMembersRequest {
        group_id: group_id.into(),
        user_ids: vec![user],
        reason: String::new(),
    })
}

pub fn join(group_id: &str) -> Request {
    Request::JoinGroup(v1::JoinGroupRequest {
        group_id: group_id.into(),
        apply_message: String::new(),
    })
}

pub fn quit(group_id: &str) -> Request {
    Request::QuitGroup(v1::QuitGroupRequest {
        group_id: group_id.into(),
    })
}

pub fn dismiss(group_id: &str) -> Request {
    Request::DismissGroup(v1::DismissGroupRequest {
        group_id: group_id.into(),
    })
}

pub fn list_members(group_id: &str) -> Request {
    Request::ListGroupMembers(v1::ListGroupMembersRequest {
        group_id: group_id.into(),
        next_seq: 0,
        count: 0,
    })
}

/// Pins `conversation` for the caller.
pub fn pin_conversation(conversation: v1::ConversationId) -> Request {
    Request::UpdateConversations(v1::UpdateConversationsRequest {
        conversations: vec![conversation],
        change: Some(v1::update_conversations_request::Change::Pin(true)),
    })
}

pub fn get_conversation_state() -> Request {
    Request::GetConversationState(v1::GetConversationStateRequest {})
}

pub fn get_profiles(user: String) -> Request {
    Request::GetProfiles(v1::GetProfilesRequest {
        user_ids: vec![user],
    })
}

pub fn set_profile() -> Request {
    Request::SetProfile(v1::SetProfileRequest {
        item: Some(v1::UserProfileItem {
            nick_name: Some("matrix".into()),
            ..Default::default()
        }),
    })
}
