//! The read side of [`KvStorage`]: each read is one redb read transaction, so it sees one
//! committed state and never waits for the writer.

use super::delete::Hidden;
use super::{
    CONVS, EVENTS, GROUPS, HEADS, KvStorage, LOG_START, MEMBER_ORDER, MEMBERS, MESSAGES, SENT_IDS,
    USERS, c2c_key, decode, group_key,
};
use crate::kv::KvTxn;
use crate::records::{
    EVENT_MESSAGE_MODIFIED, EVENT_MESSAGE_REVOKED, EVENT_NEW_MESSAGE, EVENT_NOTICE, decode_event,
    decode_msg_id, decode_notice,
};
use crate::view::adjust_for_user;
use crate::{
    Ack, AppId, EventKind, GroupRecord, HistoryPage, HistoryQuery, MemberPage, MemberRecord,
    MsgIdState, Refusal, Storage, StorageError, SyncBody, SyncItem, SyncPage, Target, UserRecord,
    WriteOp, WriteOutcome, with_cursor,
};
use tim_model::codes;
use tim_model::ids::{GroupId, MessageId, UserId};
use tim_proto::v1;

/// Upper bound of user IDs (printable ASCII ends at 0x7e).
const AFTER_LAST_USER: &str = "\u{7f}";

/// Whether `user` may see the canonical group or C2C `message` (targeted group messages are
/// for their targets and their sender only).
pub(crate) fn visible_to(message: &v1::Message, user: &str) -> bool {
    message.target_group_member_array.is_empty()
        || message.sender == user
        || message.target_group_member_array.iter().any(|t| t == user)
}

/// The group (live) and the user's membership in a read snapshot, or the refusal.
pub(super) fn read_member(
    txn: &dyn KvTxn,
    app: AppId,
    group: &GroupId,
    user: &UserId,
) -> Result<Result<MemberRecord, Refusal>, StorageError> {
    let record: Option<GroupRecord> = txn
        .open_table(GROUPS)?
        .get((app, group.as_str()))?
        .map(|v| decode(v.value(), "group"))
        .transpose()?;
    if record.is_none_or(|g| g.dismissed) {
        return Ok(Err(Refusal::new(
            codes::ERR_SVR_GROUP_NOT_FOUND,
            format!("group {group} does not exist"),
        )));
    }
    let member: Option<MemberRecord> = txn
        .open_table(MEMBERS)?
        .get((app, group.as_str(), user.as_str()))?
        .map(|v| decode(v.value(), "member"))
        .transpose()?;
    Ok(member.ok_or_else(|| {
        Refusal::new(
            codes::ERR_SVR_GROUP_PERMISSION_DENY,
            format!("{user} is not a member of group {group}"),
        )
    }))
}

impl Storage for KvStorage {
    fn blocks(&self) -> bool {
        self.kv.blocks()
    }

    fn apply(&self, ops: Vec<WriteOp>) -> Result<Vec<WriteOutcome>, StorageError> {
        self.apply_batch(ops)
    }

    fn user(&self, app: AppId, user: &UserId) -> Result<Option<UserRecord>, StorageError> {
        self.read(|txn| {
            let users = txn.open_table(USERS)?;
            let Some(tiny_id) = users.get((app, user.as_str()))?.map(|v| v.value()) else {
                return Ok(None);
            };
            let latest_cursor = txn
                .open_table(HEADS)?
                .get(tiny_id)?
                .map(|v| v.value())
                .unwrap_or(0);
            Ok(Some(UserRecord {
                tiny_id,
                latest_cursor,
            }))
        })
    }

    fn msg_id_state(
        &self,
        app: AppId,
        sender: &UserId,
        msg_id: &MessageId,
    ) -> Result<Option<MsgIdState>, StorageError> {
        self.read(|txn| {
            let table = txn.open_table(SENT_IDS)?;
            let Some(bytes) = table.get((app, sender.as_str(), msg_id.as_str()))? else {
                return Ok(None);
            };
            match decode_msg_id(bytes.value()) {
                Some(Some(stored)) => Ok(Some(MsgIdState::Stored(Ack {
                    msg_id: msg_id.as_str().to_owned(),
                    seq: stored.seq,
                    server_time: stored.server_time,
                    rand: stored.rand,
                    relay_keys: Vec::new(),
                }))),
                Some(None) => Ok(Some(MsgIdState::Cancelled)),
                None => Err(StorageError::new("stored message ID entry is unreadable")),
            }
        })
    }

    fn sync(
        &self,
        app: AppId,
        user: &UserId,
        cursor: u64,
        max_events: usize,
        max_bytes: usize,
    ) -> Result<SyncPage, StorageError> {
        self.read(|txn| {
            let users = txn.open_table(USERS)?;
            let Some(tiny_id) = users.get((app, user.as_str()))?.map(|v| v.value()) else {
                return Ok(SyncPage {
                    cursor_expired: cursor > 0,
                    ..SyncPage::default()
                });
            };
            let head = txn
                .open_table(HEADS)?
                .get(tiny_id)?
                .map(|v| v.value())
                .unwrap_or(0);
            if cursor > head {
                // The log restarted (a new data directory): everything in it is new to the device.
                return Ok(SyncPage {
                    events: Vec::new(),
                    next_cursor: 0,
                    has_more: head > 0,
                    cursor_expired: true,
                });
            }
            // Events before the log's start were trimmed: the device missed them, so it is told
            // (and refreshes from history) and syncs on from the start.
            let start = txn
                .open_table(LOG_START)?
                .get(tiny_id)?
                .map_or(1, |v| v.value());
            let trimmed_past = cursor.saturating_add(1) < start;
            let cursor = if trimmed_past { start - 1 } else { cursor };
            let events = txn.open_table(EVENTS)?;
            let messages = txn.open_table(MESSAGES)?;
            let hidden = Hidden::open(txn, tiny_id)?;
            let mut page = SyncPage {
                next_cursor: cursor,
                ..SyncPage::default()
            };
            let mut bytes = 0usize;
            for entry in events.range((tiny_id, cursor.saturating_add(1))..=(tiny_id, head))? {
                let (key, value) = entry?;
                let position = key.value().1;
                if page.events.len() >= max_events.max(1) {
                    break;
                }
                if value.value().first() == Some(&EVENT_NOTICE) {
                    let Some(event) = decode_notice(value.value()) else {
                        return Err(StorageError::new("stored event is unreadable"));
                    };
                    let len = value.value().len();
                    if !page.events.is_empty() && bytes.saturating_add(len) > max_bytes {
                        break;
                    }
                    bytes = bytes.saturating_add(len);
                    page.events.push(SyncItem {
                        cursor: position,
                        event: SyncBody::Notice(with_cursor(event, position)),
                    });
                    page.next_cursor = position;
                    continue;
                }
                let Some((kind, conv_no, seq)) = decode_event(value.value()) else {
                    return Err(StorageError::new("stored event is unreadable"));
                };
                let kind = match kind {
                    EVENT_NEW_MESSAGE => Some(EventKind::NewMessage),
                    EVENT_MESSAGE_REVOKED => Some(EventKind::Revoked),
                    EVENT_MESSAGE_MODIFIED => Some(EventKind::Modified),
                    _ => None,
                };
                if let Some(kind) = kind
                    && !hidden.hides(conv_no, seq)?
                    && let Some(stored) = messages.get((conv_no, seq))?
                {
                    let mut message: v1::Message = decode(stored.value(), "message")?;
                    adjust_for_user(&mut message, user.as_str());
                    let len = prost::Message::encoded_len(&message);
                    if !page.events.is_empty() && bytes.saturating_add(len) > max_bytes {
                        break;
                    }
                    bytes = bytes.saturating_add(len);
                    page.events.push(SyncItem {
                        cursor: position,
                        event: SyncBody::Message { kind, message },
                    });
                }
                page.next_cursor = position;
            }
            page.has_more = page.next_cursor < head;
            page.cursor_expired = trimmed_past;
            Ok(page)
        })
    }

    fn pull_history(
        &self,
        app: AppId,
        user: &UserId,
        target: &Target,
        query: HistoryQuery,
    ) -> Result<Result<HistoryPage, Refusal>, StorageError> {
        self.read(|txn| {
            let (key, visible_from) = match target {
                Target::C2c(peer) => (c2c_key(app, user.as_str(), peer.as_str()), 1),
                Target::Group(group) => {
                    let member = match read_member(txn, app, group, user)? {
                        Ok(member) => member,
                        Err(refusal) => return Ok(Err(refusal)),
                    };
                    (
                        group_key(app, group.as_str()),
                        member.visible_from_seq.max(1),
                    )
                }
            };
            let (conv_no, newest) = txn
                .open_table(CONVS)?
                .get(key.as_str())?
                .map(|v| v.value())
                .unwrap_or((0, 0));
            let mut page = HistoryPage {
                newest_seq: newest,
                ..HistoryPage::default()
            };
            let lo = query.begin_seq.max(1);
            let hi = if query.end_seq == 0 {
                newest
            } else {
                query.end_seq.min(newest)
            };
            if newest == 0 || lo > hi {
                return Ok(Ok(page));
            }
            page.covered_begin_seq = lo;
            page.covered_end_seq = hi;
            let walk_lo = lo.max(visible_from);
            if walk_lo > hi {
                return Ok(Ok(page));
            }
            let messages = txn.open_table(MESSAGES)?;
            let range = messages.range((conv_no, walk_lo)..=(conv_no, hi))?;
            let mut bytes = 0usize;
            let tiny = txn
                .open_table(USERS)?
                .get((app, user.as_str()))?
                .map_or(0, |v| v.value());
            let hidden = Hidden::open(txn, tiny)?;
            let mut take = |seq: u64, stored: &[u8], page: &mut HistoryPage| {
                if hidden.hides(conv_no, seq)? {
                    return Ok::<_, StorageError>(true);
                }
                let mut message: v1::Message = decode(stored, "message")?;
                if !visible_to(&message, user.as_str()) {
                    return Ok::<_, StorageError>(true);
                }
                let len = prost::Message::encoded_len(&message);
                if page.messages.len() >= query.max_count.max(1)
                    || (!page.messages.is_empty() && bytes.saturating_add(len) > query.max_bytes)
                {
                    page.has_more = true;
                    if query.backward {
                        page.covered_begin_seq = seq.saturating_add(1);
                    } else {
                        page.covered_end_seq = seq.saturating_sub(1);
                    }
                    return Ok(false);
                }
                bytes = bytes.saturating_add(len);
                adjust_for_user(&mut message, user.as_str());
                page.messages.push(message);
                Ok(true)
            };
            if query.backward {
                for entry in range.rev() {
                    let (key, value) = entry?;
                    if !take(key.value().1, value.value(), &mut page)? {
                        break;
                    }
                }
            } else {
                for entry in range {
                    let (key, value) = entry?;
                    if !take(key.value().1, value.value(), &mut page)? {
                        break;
                    }
                }
            }
            Ok(Ok(page))
        })
    }

    fn group(&self, app: AppId, group: &GroupId) -> Result<Option<GroupRecord>, StorageError> {
        self.read(|txn| {
            let groups = txn.open_table(GROUPS)?;
            groups
                .get((app, group.as_str()))?
                .map(|v| decode(v.value(), "group"))
                .transpose()
        })
    }

    fn member(
        &self,
        app: AppId,
        group: &GroupId,
        user: &UserId,
    ) -> Result<Option<MemberRecord>, StorageError> {
        self.read(|txn| {
            let members = txn.open_table(MEMBERS)?;
            members
                .get((app, group.as_str(), user.as_str()))?
                .map(|v| decode(v.value(), "member"))
                .transpose()
        })
    }

    fn list_members(
        &self,
        app: AppId,
        group: &GroupId,
        from: u64,
        count: usize,
    ) -> Result<MemberPage, StorageError> {
        self.read(|txn| {
            let order = txn.open_table(MEMBER_ORDER)?;
            let members = txn.open_table(MEMBERS)?;
            let mut page = MemberPage::default();
            let mut next = None;
            for entry in
                order.range((app, group.as_str(), from)..=(app, group.as_str(), u64::MAX))?
            {
                let (key, user) = entry?;
                let position = key.value().2;
                if page.members.len() >= count.max(1) {
                    next = Some(position);
                    break;
                }
                if let Some(record) = members.get((app, group.as_str(), user.value()))? {
                    page.members.push(decode(record.value(), "member")?);
                }
            }
            match next {
                Some(position) => page.next = position,
                None => {
                    page.finished = true;
                    page.next = 0;
                }
            }
            Ok(page)
        })
    }

    fn member_ids(&self, app: AppId, group: &GroupId) -> Result<Vec<String>, StorageError> {
        self.read(|txn| {
            let members = txn.open_table(MEMBERS)?;
            let mut ids = Vec::new();
            for entry in
                members.range((app, group.as_str(), "")..(app, group.as_str(), AFTER_LAST_USER))?
            {
                let (key, _) = entry?;
                ids.push(key.value().2.to_owned());
            }
            Ok(ids)
        })
    }
}
