//! The conversation list without I/O: which conversations show, what each shows
//! ([`ConvInfo`]), their order, the filters, paging and unread totals.
//!
//! Decisions:
//! - A conversation shows when the store knows it and it is not deleted, or when a message
//!   newer than its deletion arrived (`deleted_seq`), or when it has a draft.
//! - Order: pinned first (the most recently pinned first), then by activity (the newest of
//!   the last message's time and the draft's edit time), newest first; ties by conversation
//!   ID, so the order is total and pages never overlap.
//! - Paging: `next_seq` is the position after the page in that order (0 = the start).
//! - Unread totals leave out conversations whose receive option is Not_Receive, Not_Notify or
//!   Not_Notify_Except_At (conversations.md §4.1), and hidden ones.
//! - A group conversation's pending @-mentions (`conv_group_at_info_array`) are its unread
//!   messages that name the user, @all, or both; they go away when the conversation is read.

use tim_model::enums::{ConvType, GroupAtType, MsgStatus, ReceiveMessageOpt};
use tim_model::keys::values;
use tim_model::{
    ConvId, ConvInfo, ConversationListFilter, ConversationListResult, Draft, GroupAtInfo, Message,
    UserProfile,
};
use tim_proto::v1 as wire;
use tim_store::ConversationState;

/// Everything the list needs to know of one conversation.
#[derive(Debug, Clone, Default)]
pub struct ConvRow {
    /// The conversation.
    pub conv: Option<ConvId>,
    /// The store's state (unread count, read marks, receive option).
    pub state: ConversationState,
    /// The last message, if any.
    pub last: Option<Message>,
    /// The attributes synced from the server.
    pub attrs: wire::ConversationAttrs,
    /// The draft, if any.
    pub draft: Option<Draft>,
    /// The peer's profile (C2C), when known.
    pub peer: Option<UserProfile>,
    /// Pending @-mentions of this user (group), from [`group_at_infos`].
    pub at_infos: Vec<GroupAtInfo>,
}

impl ConvRow {
    /// Whether the conversation shows in the list.
    pub fn visible(&self) -> bool {
        if self.draft.is_some() {
            return true;
        }
        if self.attrs.deleted_seq == 0 {
            return true;
        }
        self.last
            .as_ref()
            .is_some_and(|m| m.seq.0 > self.attrs.deleted_seq)
    }

    /// Seconds of the last activity.
    pub fn active_time(&self) -> u64 {
        let message = self
            .last
            .as_ref()
            .map_or(0, |m| m.server_time.max(m.client_time));
        let draft = self.draft.as_ref().map_or(0, |d| d.edit_time);
        message.max(draft)
    }

    /// What the conversation shows.
    pub fn info(&self) -> ConvInfo {
        let Some(conv) = &self.conv else {
            return ConvInfo::default();
        };
        let (show_name, face_url) = match (conv, &self.peer) {
            (ConvId::C2c(peer), Some(profile)) if !profile.nick_name.is_empty() => {
                (profile.nick_name.clone(), profile.face_url.clone())
            }
            (ConvId::C2c(peer), profile) => (
                peer.as_str().to_owned(),
                profile
                    .as_ref()
                    .map(|p| p.face_url.clone())
                    .unwrap_or_default(),
            ),
            (ConvId::Group(group), _) => (group.as_str().to_owned(), String::new()),
        };
        let hidden_messages = self.attrs.deleted_seq > 0
            && self
                .last
                .as_ref()
                .is_none_or(|m| m.seq.0 <= self.attrs.deleted_seq);
        let last = if hidden_messages {
            None
        } else {
            self.last.clone()
        };
        ConvInfo {
            conv_id: conv.id().to_owned(),
            conv_type: conv.conv_type(),
            face_url,
            unread_num: if hidden_messages {
                0
            } else {
                self.state.unread_count
            },
            active_time: self.active_time(),
            is_has_lastmsg: last.is_some(),
            last_msg: last,
            is_has_draft: self.draft.is_some(),
            draft: self.draft.clone(),
            recv_opt: self.state.recv_opt,
            group_type: None,
            group_at_info_array: if hidden_messages {
                Vec::new()
            } else {
                self.at_infos.clone()
            },
            is_pinned: self.attrs.pinned,
            show_name,
            mark_array: mark_bits(self.attrs.marks),
            custom_data: self.attrs.custom_data.clone(),
            conversation_group_array: self.attrs.groups.clone(),
            c2c_read_timestamp: match conv {
                ConvId::C2c(_) => self.state.read_time,
                ConvId::Group(_) => 0,
            },
            group_read_sequence: match conv {
                ConvId::C2c(_) => 0,
                ConvId::Group(_) => self.state.read_seq.0,
            },
        }
    }
}

/// The pending @-mentions of `me` among `messages` of a group (any order): unread messages
/// (after `read_seq`, not from `me`, not revoked or deleted) that name `me`, @all, or both,
/// oldest first.
pub fn group_at_infos(messages: &[Message], me: &str, read_seq: u64) -> Vec<GroupAtInfo> {
    let mut infos: Vec<GroupAtInfo> = messages
        .iter()
        .filter(|m| !m.is_from_self && m.sender != me && m.seq.0 > read_seq)
        .filter(|m| !matches!(m.status, Some(MsgStatus::Revoked | MsgStatus::Deleted)))
        .filter_map(|m| {
            let at_me = m.group_at_user_array.iter().any(|u| u == me);
            let at_all = m
                .group_at_user_array
                .iter()
                .any(|u| u == values::AT_ALL || u == values::AT_ALL_OLD);
            let at_type = match (at_me, at_all) {
                (true, true) => GroupAtType::AtAllAtMe,
                (true, false) => GroupAtType::AtMe,
                (false, true) => GroupAtType::AtAll,
                (false, false) => return None,
            };
            Some(GroupAtInfo {
                seq: m.seq.0,
                at_type,
            })
        })
        .collect();
    infos.sort_by_key(|info| info.seq);
    infos
}

/// Each set bit of `marks` as its own value (`conv_mark_array`).
pub fn mark_bits(marks: u64) -> Vec<u64> {
    (0..64)
        .map(|bit| 1u64 << bit)
        .filter(|bit| marks & bit != 0)
        .collect()
}

/// The visible rows in list order.
pub fn ordered(rows: Vec<ConvRow>) -> Vec<ConvRow> {
    let mut visible: Vec<ConvRow> = rows.into_iter().filter(ConvRow::visible).collect();
    visible.sort_by(|a, b| {
        b.attrs
            .pinned
            .cmp(&a.attrs.pinned)
            .then(b.attrs.pin_time_ms.cmp(&a.attrs.pin_time_ms))
            .then(b.active_time().cmp(&a.active_time()))
            .then(a.conv.cmp(&b.conv))
    });
    visible
}

/// Whether `info` passes `filter`.
pub fn matches(filter: &ConversationListFilter, info: &ConvInfo) -> bool {
    if !matches!(filter.conv_type, ConvType::Invalid) && filter.conv_type != info.conv_type {
        return false;
    }
    if let Some(group) = &filter.conversation_group {
        let ok = if group.is_empty() {
            info.conversation_group_array.is_empty()
        } else {
            info.conversation_group_array.iter().any(|g| g == group)
        };
        if !ok {
            return false;
        }
    }
    if let Some(mark) = filter.mark_type {
        let marks: u64 = info.mark_array.iter().fold(0, |all, bit| all | bit);
        let ok = if mark == 0 {
            marks == 0
        } else {
            marks & mark == mark
        };
        if !ok {
            return false;
        }
    }
    if let Some(unread) = filter.has_unread_count
        && unread != (info.unread_num > 0)
    {
        return false;
    }
    if let Some(at) = filter.has_group_at_info
        && at == info.group_at_info_array.is_empty()
    {
        return false;
    }
    true
}

/// The page of `infos` (already in list order and filtered) from position `next_seq`,
/// `count` long (0: all the rest).
pub fn page(infos: Vec<ConvInfo>, next_seq: u64, count: u32) -> ConversationListResult {
    let start = usize::try_from(next_seq)
        .unwrap_or(usize::MAX)
        .min(infos.len());
    let take = if count == 0 {
        infos.len()
    } else {
        usize::try_from(count).unwrap_or(usize::MAX)
    };
    let end = start.saturating_add(take).min(infos.len());
    let is_finished = end >= infos.len();
    ConversationListResult {
        conv_list: infos.into_iter().skip(start).take(end - start).collect(),
        next_seq: end as u64,
        is_finished,
    }
}

/// Whether a conversation with `opt` counts toward unread totals.
pub fn counts_toward_total(opt: ReceiveMessageOpt) -> bool {
    !matches!(
        opt,
        ReceiveMessageOpt::NotReceive
            | ReceiveMessageOpt::NotNotify
            | ReceiveMessageOpt::NotNotifyExceptAt
    )
}

/// The unread total of `infos` that pass `filter` (all when `None`).
pub fn unread_total<'a>(
    infos: impl IntoIterator<Item = &'a ConvInfo>,
    filter: Option<&ConversationListFilter>,
) -> u64 {
    infos
        .into_iter()
        .filter(|info| counts_toward_total(info.recv_opt))
        .filter(|info| filter.is_none_or(|f| matches(f, info)))
        .map(|info| info.unread_num)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tim_model::Seq;

    fn row(id: &str, time: u64, seq: u64) -> ConvRow {
        ConvRow {
            conv: Some(ConvId::new(ConvType::C2c, id).unwrap()),
            last: Some(Message {
                server_time: time,
                seq: Seq(seq),
                ..Message::default()
            }),
            ..ConvRow::default()
        }
    }

    fn ids(rows: &[ConvRow]) -> Vec<String> {
        rows.iter().map(|r| r.info().conv_id).collect()
    }

    #[test]
    fn pinned_come_first_then_the_most_active() {
        let mut pinned_old = row("p", 1, 1);
        pinned_old.attrs.pinned = true;
        pinned_old.attrs.pin_time_ms = 10;
        let mut pinned_new = row("q", 2, 1);
        pinned_new.attrs.pinned = true;
        pinned_new.attrs.pin_time_ms = 20;
        let list = ordered(vec![row("a", 5, 1), pinned_old, row("b", 9, 1), pinned_new]);
        assert_eq!(ids(&list), ["q", "p", "b", "a"]);
    }

    #[test]
    fn deleted_conversations_hide_until_a_newer_message_or_a_draft() {
        let mut deleted = row("d", 5, 3);
        deleted.attrs.deleted_seq = 3;
        deleted.state.unread_count = 2;
        assert!(!deleted.visible());
        assert_eq!(deleted.info().unread_num, 0);
        let mut newer = deleted.clone();
        newer.last = Some(Message {
            seq: Seq(4),
            ..Message::default()
        });
        assert!(newer.visible());
        let mut drafted = deleted.clone();
        drafted.draft = Some(Draft::default());
        assert!(drafted.visible());
        assert!(drafted.info().last_msg.is_none());
    }

    #[test]
    fn filters_and_pages() {
        let mut infos: Vec<ConvInfo> = ["a", "b", "c"]
            .iter()
            .map(|id| row(id, 1, 1).info())
            .collect();
        infos[0].mark_array = vec![1, 4];
        infos[1].conversation_group_array = vec!["work".into()];
        infos[2].unread_num = 3;
        let filter = |f: ConversationListFilter| {
            infos
                .iter()
                .filter(|i| matches(&f, i))
                .map(|i| i.conv_id.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            filter(ConversationListFilter {
                mark_type: Some(4),
                ..Default::default()
            }),
            ["a"]
        );
        assert_eq!(
            filter(ConversationListFilter {
                mark_type: Some(0),
                ..Default::default()
            }),
            ["b", "c"]
        );
        assert_eq!(
            filter(ConversationListFilter {
                conversation_group: Some(String::new()),
                ..Default::default()
            }),
            ["a", "c"]
        );
        assert_eq!(
            filter(ConversationListFilter {
                has_unread_count: Some(true),
                ..Default::default()
            }),
            ["c"]
        );
        let first = page(infos.clone(), 0, 2);
        assert_eq!(first.conv_list.len(), 2);
        assert!(!first.is_finished);
        let second = page(infos.clone(), first.next_seq, 2);
        assert_eq!(second.conv_list.len(), 1);
        assert!(second.is_finished);
        assert_eq!(unread_total(&infos, None), 3);
        infos[2].recv_opt = ReceiveMessageOpt::NotNotify;
        assert_eq!(unread_total(&infos, None), 0);
    }

    #[test]
    fn mentions_of_me_and_all_are_pending_until_read() {
        let mention = |seq: u64, at: &[&str]| Message {
            seq: Seq(seq),
            sender: "bob".into(),
            group_at_user_array: at.iter().map(|s| (*s).to_owned()).collect(),
            ..Message::default()
        };
        let mut revoked = mention(6, &["me"]);
        revoked.status = Some(MsgStatus::Revoked);
        let messages = [
            mention(5, &["me", values::AT_ALL]),
            mention(3, &["me"]),
            mention(4, &[values::AT_ALL]),
            mention(2, &["me"]),
            mention(7, &["carol"]),
            revoked,
        ];
        let infos = group_at_infos(&messages, "me", 2);
        let got: Vec<(u64, GroupAtType)> = infos.iter().map(|i| (i.seq, i.at_type)).collect();
        assert_eq!(
            got,
            [
                (3, GroupAtType::AtMe),
                (4, GroupAtType::AtAll),
                (5, GroupAtType::AtAllAtMe)
            ]
        );
    }

    #[test]
    fn marks_split_into_bits() {
        assert_eq!(mark_bits(0x5 | (1 << 40)), [1, 4, 1 << 40]);
        assert!(mark_bits(0).is_empty());
    }
}
