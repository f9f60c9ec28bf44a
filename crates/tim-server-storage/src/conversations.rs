//! Conversation attributes kept per user (TIMConvPinConversation, TIMConvMarkConversation,
//! TIMConvSetConversationCustomData, TIMConvDelete*, the conversation-group calls), so every
//! device of the user shows the same list.
//!
//! Decisions (this module; the tables are in `model::conversations`):
//! - A change names 1..=[`MAX_BATCH`] conversations (a group deletion or rename names none)
//!   and gets one result per conversation; a conversation refused (bad limit) keeps its
//!   attributes and the others are still changed.
//! - Limits (conversations.md §6): at most [`MAX_PINNED`] pinned conversations (51008 beyond:
//!   Tencent documents the limit but not its code); custom data at most [`MAX_CUSTOM_DATA`]
//!   bytes (6017); at most [`MAX_GROUPS`] conversation groups (51010), names 1..=
//!   [`MAX_GROUP_NAME`] bytes (51011), a missing group 51009, an existing name on create or
//!   rename 51007; at most [`MAX_ATTRIBUTED`] conversations with marks, groups or custom data
//!   (51008); marks must be standard bits or application bits 32..=52 (6017).
//! - A group holds at most [`MAX_PER_GROUP`] conversations: adding beyond evicts the ones
//!   added first.
//! - Deleting a conversation records its newest seq: devices hide it until a newer message.
//!   Deleting one with no message on the server (made on a device) is recorded only while
//!   the user has fewer than [`MAX_ATTRIBUTED`] records (51008 beyond), so deletions of
//!   made-up conversations cannot grow the table without bound.
//! - Every change bumps the user's change counter; each touched conversation and the group
//!   list carry it as their version, and the change is logged for every device of the user.

use crate::AppId;
use tim_model::codes;
use tim_model::ids::UserId;
use tim_proto::v1;

/// Conversations per request.
pub const MAX_BATCH: usize = 100;
/// Pinned conversations per user.
pub const MAX_PINNED: usize = 50;
/// Custom data per conversation, bytes.
pub const MAX_CUSTOM_DATA: usize = 256;
/// Conversation groups per user.
pub const MAX_GROUPS: usize = 20;
/// Conversation-group name, bytes.
pub const MAX_GROUP_NAME: usize = 32;
/// Conversations per conversation group.
pub const MAX_PER_GROUP: usize = 1000;
/// Conversations with marks, groups or custom data per user.
pub const MAX_ATTRIBUTED: usize = 1000;

/// Kinds of [`v1::ConversationGroupOp`].
pub mod group_kind {
    /// Create with the conversations.
    pub const CREATE: i32 = 1;
    /// Delete.
    pub const DELETE: i32 = 2;
    /// Rename.
    pub const RENAME: i32 = 3;
    /// Add the conversations.
    pub const ADD: i32 = 4;
    /// Remove the conversations.
    pub const REMOVE: i32 = 5;
}

/// One conversation of a change: its `c2c_<user>`/`group_<group>` ID, the storage key of
/// its messages, and its wire form.
#[derive(Debug, Clone)]
pub struct ConvTarget {
    /// `c2c_<user>` or `group_<group>`.
    pub id: String,
    /// The conversation as the request named it.
    pub wire: v1::ConversationId,
}

/// A change of the caller's conversations (see [`WriteOp::Conversations`](super::WriteOp)).
#[derive(Debug, Clone)]
pub struct ConvWrite {
    /// App.
    pub app: AppId,
    /// The caller.
    pub user: UserId,
    /// The conversations.
    pub targets: Vec<ConvTarget>,
    /// The change.
    pub change: v1::update_conversations_request::Change,
    /// Now, milliseconds.
    pub now_ms: u64,
}

/// What a change did: per-conversation results and the logged change.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvApplied {
    /// One per target, in order.
    pub results: Vec<v1::ConversationResult>,
    /// The change as logged (absent when nothing changed).
    pub change: Option<v1::ConversationsChangedPush>,
}

/// The reads of this area.
pub trait ConversationReads {
    /// Every conversation of `user` with attributes, the group names and the change counter.
    fn conversation_state(
        &self,
        app: AppId,
        user: &UserId,
    ) -> Result<v1::GetConversationStateResponse, super::StorageError>;
}

/// Whether a group name is acceptable: 51011 otherwise.
pub fn check_group_name(name: &str) -> Result<(), (i32, String)> {
    if name.is_empty() || name.len() > MAX_GROUP_NAME {
        return Err((
            codes::ERR_SVR_CONV_CONV_GROUP_NAME_EXCEED_LENGTH,
            format!(
                "conversation group names are 1..={MAX_GROUP_NAME} bytes, not {}",
                name.len()
            ),
        ));
    }
    Ok(())
}

/// Whether `attrs` carries anything beyond the defaults that counts toward
/// [`MAX_ATTRIBUTED`].
pub fn is_attributed(attrs: &v1::ConversationAttrs) -> bool {
    attrs.marks != 0 || !attrs.groups.is_empty() || !attrs.custom_data.is_empty()
}

/// Applies a per-conversation change (not a group operation) to `attrs`: `Err` with the code
/// when the conversation is refused. `pinned_count` and `attributed_count` are the user's
/// current totals (without this conversation's own state).
pub fn apply_change(
    attrs: &mut v1::ConversationAttrs,
    change: &v1::update_conversations_request::Change,
    newest_seq: u64,
    now_ms: u64,
    pinned_count: usize,
    attributed_count: usize,
) -> Result<(), (i32, String)> {
    use v1::update_conversations_request::Change;
    match change {
        Change::Pin(pin) => {
            if *pin && !attrs.pinned && pinned_count >= MAX_PINNED {
                return Err((
                    codes::ERR_SVR_CONV_CONV_MARK_TOTAL_COUNT_EXCEED_LIMIT,
                    format!("at most {MAX_PINNED} pinned conversations"),
                ));
            }
            if *pin != attrs.pinned {
                attrs.pinned = *pin;
                attrs.pin_time_ms = if *pin { now_ms } else { 0 };
            }
        }
        Change::Mark(mark) => {
            if !tim_model::valid_mark(mark.marks) {
                return Err((
                    codes::ERR_INVALID_PARAMETERS,
                    format!(
                        "mark_type {:#x}: marks are TIMConversationMarkType bits or bits 32..=52",
                        mark.marks
                    ),
                ));
            }
            if mark.enable {
                if !is_attributed(attrs) && attributed_count >= MAX_ATTRIBUTED {
                    return Err(attributed_limit());
                }
                attrs.marks |= mark.marks;
            } else {
                attrs.marks &= !mark.marks;
            }
        }
        Change::CustomData(data) => {
            if data.data.len() > MAX_CUSTOM_DATA {
                return Err((
                    codes::ERR_INVALID_PARAMETERS,
                    format!(
                        "custom_data: {} bytes, at most {MAX_CUSTOM_DATA}",
                        data.data.len()
                    ),
                ));
            }
            if !data.data.is_empty() && !is_attributed(attrs) && attributed_count >= MAX_ATTRIBUTED
            {
                return Err(attributed_limit());
            }
            attrs.custom_data.clone_from(&data.data);
        }
        Change::Delete(_) => {
            attrs.deleted_seq = newest_seq.max(attrs.deleted_seq).max(1);
            attrs.pinned = false;
            attrs.pin_time_ms = 0;
        }
        Change::Group(_) => {}
    }
    Ok(())
}

/// The 51008 refusal of [`MAX_ATTRIBUTED`].
pub fn attributed_limit() -> (i32, String) {
    (
        codes::ERR_SVR_CONV_CONV_MARK_TOTAL_COUNT_EXCEED_LIMIT,
        format!("at most {MAX_ATTRIBUTED} conversations with marks, groups or custom data"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use v1::update_conversations_request::Change;

    #[test]
    fn pins_stop_at_the_limit_and_unpinning_is_always_allowed() {
        let mut attrs = v1::ConversationAttrs::default();
        let refused = apply_change(&mut attrs, &Change::Pin(true), 0, 5, MAX_PINNED, 0);
        assert_eq!(
            refused.map_err(|e| e.0),
            Err(codes::ERR_SVR_CONV_CONV_MARK_TOTAL_COUNT_EXCEED_LIMIT)
        );
        apply_change(&mut attrs, &Change::Pin(true), 0, 5, MAX_PINNED - 1, 0).unwrap();
        assert!(attrs.pinned && attrs.pin_time_ms == 5);
        apply_change(&mut attrs, &Change::Pin(false), 0, 6, MAX_PINNED, 0).unwrap();
        assert!(!attrs.pinned && attrs.pin_time_ms == 0);
    }

    #[test]
    fn marks_set_and_clear_bits_and_bad_bits_are_refused() {
        let mut attrs = v1::ConversationAttrs::default();
        let mark = |marks, enable| Change::Mark(v1::MarkChange { marks, enable });
        apply_change(&mut attrs, &mark(0x1 | (1 << 40), true), 0, 0, 0, 0).unwrap();
        apply_change(&mut attrs, &mark(0x4, true), 0, 0, 0, 0).unwrap();
        apply_change(&mut attrs, &mark(0x1, false), 0, 0, 0, 0).unwrap();
        assert_eq!(attrs.marks, 0x4 | (1 << 40));
        for bad in [0, 0x10, 1 << 60] {
            assert!(apply_change(&mut attrs, &mark(bad, true), 0, 0, 0, 0).is_err());
        }
        let mut fresh = v1::ConversationAttrs::default();
        assert!(apply_change(&mut fresh, &mark(1, true), 0, 0, 0, MAX_ATTRIBUTED).is_err());
    }

    #[test]
    fn custom_data_has_a_size_limit_and_delete_records_the_newest_seq() {
        let mut attrs = v1::ConversationAttrs {
            pinned: true,
            ..Default::default()
        };
        let data = |len| {
            Change::CustomData(v1::CustomData {
                data: "x".repeat(len),
            })
        };
        assert!(apply_change(&mut attrs, &data(MAX_CUSTOM_DATA + 1), 0, 0, 0, 0).is_err());
        apply_change(&mut attrs, &data(MAX_CUSTOM_DATA), 0, 0, 0, 0).unwrap();
        apply_change(
            &mut attrs,
            &Change::Delete(v1::DeleteConversations {}),
            9,
            0,
            0,
            0,
        )
        .unwrap();
        assert_eq!(attrs.deleted_seq, 9);
        assert!(!attrs.pinned);
    }

    #[test]
    fn group_names_have_a_length_limit() {
        assert!(check_group_name("work").is_ok());
        assert!(check_group_name("").is_err());
        assert!(check_group_name(&"n".repeat(MAX_GROUP_NAME + 1)).is_err());
    }
}
