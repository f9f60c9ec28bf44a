//! The documented limits of the message API, and the checks that enforce them, each failing
//! with the TIM error code the documentation gives for that limit.
//!
//! Checks here need nothing but the value itself; limits that depend on stored state (the
//! 300 extensions of a message, one list-delete per second) are enforced by the engine or the
//! server with the constants below.

use crate::codes;
use crate::elem::{Elem, MergeElem};
use crate::enums::{ElemType, MsgStatus};
use crate::error::{ModelError, Result};
use crate::ids::UserId;
use crate::keys::{self, values};
use crate::lifecycle::MessageExtension;
use crate::message::Message;
use crate::params::BatchSendParam;
use crate::search::SearchParam;

/// Largest message body: the sum of the element field lengths (see [`body_size`]).
pub const MESSAGE_BODY_MAX_BYTES: usize = 12 * 1024;
/// Longest extension key.
pub const EXTENSION_KEY_MAX_BYTES: usize = 100;
/// Longest extension value.
pub const EXTENSION_VALUE_MAX_BYTES: usize = 1024;
/// Most extensions set or deleted in one call.
pub const EXTENSIONS_PER_CALL_MAX: usize = 20;
/// Most extensions one message may carry.
pub const EXTENSIONS_PER_MESSAGE_MAX: usize = 300;
/// Most messages in one `TIMMsgListDelete` (the seeds say 30, the newer headers 50).
pub const LIST_DELETE_MAX: usize = 50;
/// Most users in one `TIMMsgSetC2CReceiveMessageOpt` / `TIMMsgGetC2CReceiveMessageOpt`.
pub const C2C_RECV_OPT_USERS_MAX: usize = 30;
/// Most keywords in one search.
pub const SEARCH_KEYWORDS_MAX: usize = 5;
/// Largest page of `TIMMsgGetGroupMessageReadMemberList`.
pub const READ_MEMBER_PAGE_MAX: u32 = 100;
/// Most recipients of one `TIMMsgBatchSend`.
pub const BATCH_SEND_MAX: usize = 500;
/// Most messages inside one merged message.
pub const MERGE_MESSAGES_MAX: usize = 300;
/// Deepest nesting of merged messages.
pub const MERGE_LAYERS_MAX: u32 = 100;

/// The size a message counts against [`MESSAGE_BODY_MAX_BYTES`]: everything its sender
/// controls that travels with it. That is the UTF-8 bytes of every string an element carries
/// to the peer (local file paths excluded: the file is uploaded, not carried), 8 bytes per
/// number of a face or location, the merged message's title, abstracts and compatible text
/// (its inner messages are stored apart), `message_cloud_custom_str`, the @ and target user
/// lists, every string of the offline push configuration and the moderation configuration
/// ID. (Fixed-size fields, the message ID and the conversation ID are bounded on their own.)
/// So the largest message fits many times into a frame, and a page of them is cut by bytes.
pub fn body_size(message: &Message) -> usize {
    let elems: usize = message.elems.iter().map(elem_size).sum();
    let users = |list: &[String]| list.iter().map(String::len).sum::<usize>();
    elems
        + message.cloud_custom_str.len()
        + users(&message.group_at_user_array)
        + users(&message.target_group_member_array)
        + message.offline_push_config.as_ref().map_or(0, push_size)
        + message.custom_moderation_configuration_id.len()
}

fn push_size(push: &crate::push::OfflinePushConfig) -> usize {
    let ios = push
        .ios_config
        .as_ref()
        .map_or(0, |ios| ios.title.len() + ios.sound.len());
    let android = push.android_config.as_ref().map_or(0, |a| {
        a.title.len()
            + a.sound.len()
            + a.vivo_category.len()
            + a.oppo_channel_id.len()
            + a.xiaomi_channel_id.len()
            + a.fcm_channel_id.len()
            + a.huawei_category.len()
    });
    push.desc.len() + push.ext.len() + push.title.len() + ios + android
}

fn elem_size(elem: &Elem) -> usize {
    match elem {
        Elem::Text(text) => text.content.len(),
        Elem::Custom(custom) => {
            custom.data.len() + custom.desc.len() + custom.ext.len() + custom.sound.len()
        }
        Elem::Face(face) => 8 + face.buf.len(),
        Elem::Location(location) => 16 + location.desc.len(),
        Elem::Image(image) => [
            &image.orig_id,
            &image.thumb_id,
            &image.large_id,
            &image.orig_url,
            &image.thumb_url,
            &image.large_url,
        ]
        .iter()
        .map(|s| s.len())
        .sum(),
        Elem::Sound(sound) => sound.file_id.len() + sound.url.len(),
        Elem::Video(video) => {
            video.video_type.len()
                + video.video_id.len()
                + video.video_url.len()
                + video.image_type.len()
                + video.image_id.len()
                + video.image_url.len()
        }
        Elem::File(file) => file.file_name.len() + file.file_id.len() + file.url.len(),
        Elem::Merge(merge) => {
            merge.title.len()
                + merge.compatible_text.len()
                + merge.abstract_array.iter().map(String::len).sum::<usize>()
        }
        // Server-generated elements are never sent, so they never count.
        Elem::GroupTips(_)
        | Elem::GroupReport(_)
        | Elem::FriendChange(_)
        | Elem::ProfileChange(_) => 0,
    }
}

fn elem_error(index: usize, detail: impl Into<String>) -> ModelError {
    ModelError::limit(
        codes::ERR_INVALID_MSG_ELEM,
        format!("{}[{index}]", keys::MESSAGE_ELEM_ARRAY.name),
        detail,
    )
}

/// Checks that `message` may be sent: at least one element, only sendable element types, at
/// most one sound and one file element, a body within [`MESSAGE_BODY_MAX_BYTES`], valid user
/// IDs in the @ and target lists, and well-formed merged messages.
pub fn validate_send(message: &Message) -> Result<()> {
    if message.elems.is_empty() {
        return Err(ModelError::limit(
            codes::ERR_INVALID_MSG_ELEM,
            keys::MESSAGE_ELEM_ARRAY.name,
            "a message needs at least one element",
        ));
    }
    let (mut sounds, mut files) = (0, 0);
    for (index, elem) in message.elems.iter().enumerate() {
        if !elem.is_sendable() {
            return Err(elem_error(
                index,
                format!(
                    "element type {} is generated by the server and cannot be sent",
                    elem.elem_type().value()
                ),
            ));
        }
        match elem {
            Elem::Sound(_) => sounds += 1,
            Elem::File(_) => files += 1,
            Elem::Merge(merge) => validate_merge(merge).map_err(|err| {
                err.within(&format!("{}[{index}]", keys::MESSAGE_ELEM_ARRAY.name))
            })?,
            _ => {}
        }
        if sounds > 1 || files > 1 {
            return Err(elem_error(
                index,
                "a message carries at most one sound and one file element",
            ));
        }
    }
    let size = body_size(message);
    if size > MESSAGE_BODY_MAX_BYTES {
        return Err(ModelError::limit(
            codes::ERR_SDK_MSG_BODY_SIZE_LIMIT,
            keys::MESSAGE_ELEM_ARRAY.name,
            format!("message body is {size} bytes; the limit is {MESSAGE_BODY_MAX_BYTES}"),
        ));
    }
    for (index, user) in message.group_at_user_array.iter().enumerate() {
        if user != values::AT_ALL && user != values::AT_ALL_OLD {
            UserId::parse_at(
                user,
                &format!("{}[{index}]", keys::MESSAGE_GROUP_AT_USER_ARRAY.name),
            )?;
        }
    }
    for (index, user) in message.target_group_member_array.iter().enumerate() {
        UserId::parse_at(
            user,
            &format!("{}[{index}]", keys::MESSAGE_TARGET_GROUP_MEMBER_ARRAY.name),
        )?;
    }
    Ok(())
}

/// Checks a merged message on send: a compatible text, the inner messages (or, for a received
/// merged message forwarded as it is, its relay key), at most [`MERGE_MESSAGES_MAX`] inner
/// messages, each sent successfully and free of group tips and reports, the same for merged
/// messages nested inline, and at most [`MERGE_LAYERS_MAX`] inline layers. (Layers behind a
/// relay key are known to the server only, which refuses the send with
/// `ERR_MERGER_MSG_LAYERS_OVER_LIMIT`.)
pub fn validate_merge(merge: &MergeElem) -> Result<()> {
    validate_merge_layer(merge, 1)
}

fn validate_merge_layer(merge: &MergeElem, layer: u32) -> Result<()> {
    if merge.compatible_text.is_empty() {
        return Err(ModelError::invalid(
            keys::MERGE_ELEM_COMPATIBLE_TEXT.name,
            "a merged message needs a compatible text",
        ));
    }
    if merge.message_array.is_empty() {
        if merge.relay_pb_key.is_empty() {
            return Err(ModelError::invalid(
                keys::MERGE_ELEM_MESSAGE_ARRAY.name,
                "a merged message needs the messages to merge (or the relay key of a received one)",
            ));
        }
        return Ok(());
    }
    check_merge_layers(layer)?;
    if merge.message_array.len() > MERGE_MESSAGES_MAX {
        return Err(ModelError::invalid(
            keys::MERGE_ELEM_MESSAGE_ARRAY.name,
            format!(
                "{} messages; at most {MERGE_MESSAGES_MAX} can be merged",
                merge.message_array.len()
            ),
        ));
    }
    for (index, inner) in merge.message_array.iter().enumerate() {
        let path = format!("{}[{index}]", keys::MERGE_ELEM_MESSAGE_ARRAY.name);
        if inner.status != Some(MsgStatus::SendSucc) {
            return Err(ModelError::invalid(
                path,
                "only messages that were sent successfully can be merged",
            ));
        }
        if inner
            .elems
            .iter()
            .any(|e| matches!(e.elem_type(), ElemType::GroupTips | ElemType::GroupReport))
        {
            return Err(ModelError::limit(
                codes::ERR_INVALID_MSG_ELEM,
                path,
                "group tips and group reports cannot be merged",
            ));
        }
        for (elem_index, elem) in inner.elems.iter().enumerate() {
            if let Elem::Merge(nested) = elem {
                validate_merge_layer(nested, layer.saturating_add(1)).map_err(|err| {
                    err.within(&format!(
                        "{path}.{}[{elem_index}]",
                        keys::MESSAGE_ELEM_ARRAY.name
                    ))
                })?;
            }
        }
    }
    Ok(())
}

/// Refuses a merged message nested deeper than [`MERGE_LAYERS_MAX`] layers.
pub fn check_merge_layers(layers: u32) -> Result<()> {
    if layers > MERGE_LAYERS_MAX {
        return Err(ModelError::limit(
            codes::ERR_MERGER_MSG_LAYERS_OVER_LIMIT,
            keys::MERGE_ELEM_MESSAGE_ARRAY.name,
            format!("merged messages nest {layers} layers deep; the limit is {MERGE_LAYERS_MAX}"),
        ));
    }
    Ok(())
}

fn count_error(param: &str, what: &str, count: usize, max: usize) -> ModelError {
    ModelError::invalid(
        param,
        format!("{count} {what}; the limit is {max} per call"),
    )
}

/// Checks a `TIMMsgSetMessageExtensions` list: 1..=20 extensions, keys of 1..=100 bytes,
/// values of at most 1 KB, no key twice.
pub fn validate_extensions(extensions: &[MessageExtension]) -> Result<()> {
    const PARAM: &str = "json_extension_array";
    if extensions.is_empty() {
        return Err(ModelError::invalid(
            PARAM,
            "at least one extension is needed",
        ));
    }
    if extensions.len() > EXTENSIONS_PER_CALL_MAX {
        return Err(count_error(
            PARAM,
            "extensions",
            extensions.len(),
            EXTENSIONS_PER_CALL_MAX,
        ));
    }
    for (index, extension) in extensions.iter().enumerate() {
        check_extension_key(&extension.key, &format!("{PARAM}[{index}]"))?;
        if extension.value.len() > EXTENSION_VALUE_MAX_BYTES {
            return Err(ModelError::invalid(
                format!("{PARAM}[{index}].{}", keys::MESSAGE_EXTENSION_VALUE.name),
                format!(
                    "value is {} bytes; the limit is {EXTENSION_VALUE_MAX_BYTES}",
                    extension.value.len()
                ),
            ));
        }
        if extensions[..index]
            .iter()
            .any(|earlier| earlier.key == extension.key)
        {
            return Err(ModelError::invalid(
                format!("{PARAM}[{index}].{}", keys::MESSAGE_EXTENSION_KEY.name),
                format!("key {:?} is set twice in one call", extension.key),
            ));
        }
    }
    Ok(())
}

/// Checks a `TIMMsgDeleteMessageExtensions` key list: at most 20 keys of 1..=100 bytes (an
/// empty list deletes every extension).
pub fn validate_extension_keys(keys_to_delete: &[String]) -> Result<()> {
    const PARAM: &str = "json_extension_key_array";
    if keys_to_delete.len() > EXTENSIONS_PER_CALL_MAX {
        return Err(count_error(
            PARAM,
            "keys",
            keys_to_delete.len(),
            EXTENSIONS_PER_CALL_MAX,
        ));
    }
    for (index, key) in keys_to_delete.iter().enumerate() {
        check_extension_key(key, &format!("{PARAM}[{index}]"))?;
    }
    Ok(())
}

fn check_extension_key(key: &str, path: &str) -> Result<()> {
    if key.is_empty() || key.len() > EXTENSION_KEY_MAX_BYTES {
        return Err(ModelError::invalid(
            format!("{path}.{}", keys::MESSAGE_EXTENSION_KEY.name),
            format!(
                "key is {} bytes; it must be 1..={EXTENSION_KEY_MAX_BYTES}",
                key.len()
            ),
        ));
    }
    Ok(())
}

/// Checks a `TIMMsgListDelete` list: 1..=50 messages.
pub fn validate_list_delete(messages: &[Message]) -> Result<()> {
    const PARAM: &str = "json_msg_array";
    if messages.is_empty() {
        return Err(ModelError::invalid(PARAM, "at least one message is needed"));
    }
    if messages.len() > LIST_DELETE_MAX {
        return Err(count_error(
            PARAM,
            "messages",
            messages.len(),
            LIST_DELETE_MAX,
        ));
    }
    Ok(())
}

/// Checks the user list of the C2C receive-option calls: 1..=30 valid user IDs.
pub fn validate_c2c_recv_opt_users(users: &[String]) -> Result<Vec<UserId>> {
    const PARAM: &str = "json_identifier_array";
    if users.is_empty() {
        return Err(ModelError::invalid(PARAM, "at least one user is needed"));
    }
    if users.len() > C2C_RECV_OPT_USERS_MAX {
        return Err(count_error(
            PARAM,
            "users",
            users.len(),
            C2C_RECV_OPT_USERS_MAX,
        ));
    }
    parse_users(users, PARAM)
}

fn parse_users(users: &[String], param: &str) -> Result<Vec<UserId>> {
    users
        .iter()
        .enumerate()
        .map(|(index, user)| UserId::parse_at(user, &format!("{param}[{index}]")))
        .collect()
}

/// Checks a search: 1..=5 non-empty keywords.
pub fn validate_search(param: &SearchParam) -> Result<()> {
    let key = keys::MSG_SEARCH_PARAM_KEYWORD_ARRAY.name;
    let count = param.keyword_array.len();
    if !(1..=SEARCH_KEYWORDS_MAX).contains(&count) {
        return Err(ModelError::invalid(
            key,
            format!("{count} keywords; a search takes 1..={SEARCH_KEYWORDS_MAX}"),
        ));
    }
    if let Some(index) = param.keyword_array.iter().position(|k| k.trim().is_empty()) {
        return Err(ModelError::invalid(
            format!("{key}[{index}]"),
            "a keyword must not be empty",
        ));
    }
    Ok(())
}

/// Checks the page size of `TIMMsgGetGroupMessageReadMemberList`: 1..=100.
pub fn validate_read_member_count(count: u32) -> Result<()> {
    if !(1..=READ_MEMBER_PAGE_MAX).contains(&count) {
        return Err(ModelError::invalid(
            "count",
            format!("{count} members per page; it must be 1..={READ_MEMBER_PAGE_MAX}"),
        ));
    }
    Ok(())
}

/// Checks a batch send: 1..=500 valid recipients (more: `ERR_SVR_MSG_TO_ACCOUNT_COUNT_LIMIT`)
/// and a sendable message.
pub fn validate_batch_send(param: &BatchSendParam) -> Result<Vec<UserId>> {
    let key = keys::MSG_BATCH_SEND_PARAM_IDENTIFIER_ARRAY.name;
    let count = param.identifier_array.len();
    if count == 0 {
        return Err(ModelError::invalid(key, "at least one recipient is needed"));
    }
    if count > BATCH_SEND_MAX {
        return Err(ModelError::limit(
            codes::ERR_SVR_MSG_TO_ACCOUNT_COUNT_LIMIT,
            key,
            format!("{count} recipients; the limit is {BATCH_SEND_MAX}"),
        ));
    }
    let users = parse_users(&param.identifier_array, key)?;
    validate_send(&param.msg).map_err(|err| err.within(keys::MSG_BATCH_SEND_PARAM_MSG.name))?;
    Ok(users)
}

/// Most messages per `TIMMsgSendMessageReadReceipts` / `TIMMsgGetMessageReadReceipts` call
/// (not documented by Tencent; this engine's bound).
pub const READ_RECEIPT_MSG_MAX: usize = 100;
