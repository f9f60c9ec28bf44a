//! The read_state area of [`RedbStorage`](super::RedbStorage): its tables, its writes (applied
//! through [`Tables`]) and its reads.
//!
//! Tables:
//! - `c2c_read` (app, user, peer) -> read time (seconds): how far `user` read the C2C
//!   conversation with `peer`.
//! - `group_read` (app, group, user) -> read seq: how far the member read the group.
//! - `receipts` (conversation number, seq, reader) -> (): the message read receipts sent.

use super::read::visible_to;
use super::write::{Tables, refuse};
use super::{
    CONVS, GROUPS, MEMBER_ORDER, MEMBERS, MESSAGES, MSG_IDS, RedbStorage, c2c_key, decode,
    group_key,
};
use crate::storage::read_state::{
    ReadMemberPage, ReadStateApplied, ReadStateReads, ReadStateWrite, ReportScope,
};
use crate::storage::records::decode_msg_id;
use crate::storage::{
    AppId, Applied, GroupRecord, MemberRecord, NoticeDelivery, Refusal, StorageError, Target,
    WriteOutcome,
};
use redb::{ReadableDatabase, ReadableTable, TableDefinition, WriteTransaction};
use std::collections::BTreeMap;
use tim_model::codes;
use tim_model::enums::ConvType;
use tim_model::ids::{GroupId, MessageId, UserId};
use tim_proto::v1;

const C2C_READ: TableDefinition<(u64, &str, &str), u64> = TableDefinition::new("c2c_read");
const GROUP_READ: TableDefinition<(u64, &str, &str), u64> = TableDefinition::new("group_read");
const RECEIPTS: TableDefinition<(u64, u64, &str), ()> = TableDefinition::new("receipts");

/// Creates the area's tables (at open, so that reads find them).
pub(super) fn create_tables(txn: &WriteTransaction) -> Result<(), StorageError> {
    txn.open_table(C2C_READ)?;
    txn.open_table(GROUP_READ)?;
    txn.open_table(RECEIPTS)?;
    Ok(())
}

fn conversation(target: &Target) -> v1::ConversationId {
    match target {
        Target::C2c(peer) => v1::ConversationId {
            conv_type: ConvType::C2c.value(),
            conv_id: peer.as_str().to_owned(),
        },
        Target::Group(group) => v1::ConversationId {
            conv_type: ConvType::Group.value(),
            conv_id: group.as_str().to_owned(),
        },
    }
}

/// The other party of the C2C conversation key `key` ("app\0c\0lo\0hi") of `user`.
fn c2c_peer(key: &str, user: &str) -> Option<String> {
    let mut parts = key.split('\0').skip(2);
    let (lo, hi) = (parts.next()?, parts.next()?);
    if lo == user {
        Some(hi.to_owned())
    } else if hi == user {
        Some(lo.to_owned())
    } else {
        None
    }
}

/// One mark to apply: the conversation and the wanted position (already resolved).
struct Wanted {
    target: Target,
    position: u64,
}

impl Tables<'_> {
    /// The server time of the newest message of conversation `key`, or `now` when it has
    /// none (TIMMsgReportReaded without a message).
    fn newest_time(&self, key: &str, now: u64) -> Result<u64, StorageError> {
        let Some((conv_no, last)) = self.convs.get(key)?.map(|v| v.value()) else {
            return Ok(now);
        };
        let Some(bytes) = self.messages.get((conv_no, last))? else {
            return Ok(now);
        };
        let message: v1::Message = decode(bytes.value(), "message")?;
        Ok(message.server_time.min(now))
    }

    /// Applies one write of the area.
    pub(super) fn read_state(
        &mut self,
        write: ReadStateWrite,
    ) -> Result<WriteOutcome, StorageError> {
        match write {
            ReadStateWrite::Report {
                app,
                user,
                scope,
                now,
            } => self.report_read(app, &user, scope, now),
            ReadStateWrite::Receipts {
                app,
                reader,
                target,
                msg_ids,
            } => self.record_receipts(app, &reader, &target, &msg_ids),
        }
    }

    /// The conversations a report names, with their resolved positions, or the refusal.
    fn wanted_marks(
        &self,
        app: AppId,
        user: &UserId,
        scope: ReportScope,
        now: u64,
    ) -> Result<Result<Vec<Wanted>, Refusal>, StorageError> {
        let newest = |key: &str| -> Result<u64, StorageError> {
            Ok(self.convs.get(key)?.map(|v| v.value().1).unwrap_or(0))
        };
        let (target, read_time, read_seq, kinds) = match scope {
            ReportScope::One {
                target,
                read_time,
                read_seq,
            } => (Some(target), read_time, read_seq, None),
            ReportScope::All(kind) => (None, 0, 0, Some(kind)),
        };
        if let Some(target) = target {
            let position = match &target {
                Target::C2c(peer) => match read_time {
                    0 => self.newest_time(&c2c_key(app, user.as_str(), peer.as_str()), now)?,
                    t => t.min(now),
                },
                Target::Group(group) => {
                    if let Err(refusal) = self.live_group(app, group)? {
                        return Ok(Err(refusal));
                    }
                    if self.member(app, group.as_str(), user.as_str())?.is_none() {
                        return Ok(Err(Refusal::new(
                            codes::ERR_SVR_GROUP_PERMISSION_DENY,
                            format!("{user} is not a member of group {group}"),
                        )));
                    }
                    let last = newest(&group_key(app, group.as_str()))?;
                    match read_seq {
                        0 => last,
                        s => s.min(last),
                    }
                }
            };
            return Ok(Ok(vec![Wanted { target, position }]));
        }
        let kind = kinds.flatten();
        let mut wanted = Vec::new();
        if kind.is_none_or(|k| k == ConvType::C2c) {
            let (from, to) = (format!("{app}\0c\0"), format!("{app}\0c\u{1}"));
            let mut peers = Vec::new();
            for entry in self.convs.range(from.as_str()..to.as_str())? {
                let (key, value) = entry?;
                if value.value().1 == 0 {
                    continue;
                }
                if let Some(peer) = c2c_peer(key.value(), user.as_str())
                    && let Ok(peer) = UserId::new(&peer)
                {
                    peers.push((key.value().to_owned(), peer));
                }
            }
            for (key, peer) in peers {
                wanted.push(Wanted {
                    target: Target::C2c(peer),
                    position: self.newest_time(&key, now)?,
                });
            }
        }
        if kind.is_none_or(|k| k == ConvType::Group) {
            let (from, to) = (format!("{app}\0g\0"), format!("{app}\0g\u{1}"));
            let mut groups = Vec::new();
            for entry in self.convs.range(from.as_str()..to.as_str())? {
                let (key, value) = entry?;
                if let Some(group) = key.value().split('\0').nth(2) {
                    groups.push((group.to_owned(), value.value().1));
                }
            }
            for (group, last) in groups {
                let Some(member) = self.member(app, &group, user.as_str())? else {
                    continue;
                };
                let live = self
                    .group_record(app, &group)?
                    .is_some_and(|g| !g.dismissed);
                if !live || last < member.visible_from_seq {
                    continue;
                }
                if let Ok(group) = GroupId::new(&group) {
                    wanted.push(Wanted {
                        target: Target::Group(group),
                        position: last,
                    });
                }
            }
        }
        Ok(Ok(wanted))
    }

    fn report_read(
        &mut self,
        app: AppId,
        user: &UserId,
        scope: ReportScope,
        now: u64,
    ) -> Result<WriteOutcome, StorageError> {
        let wanted = match self.wanted_marks(app, user, scope, now)? {
            Ok(wanted) => wanted,
            Err(refusal) => return Ok(WriteOutcome::refused(refusal)),
        };
        let mut marks = Vec::with_capacity(wanted.len());
        let mut moved = Vec::new();
        let mut receipts = Vec::new();
        {
            let mut c2c = self.txn.open_table(C2C_READ)?;
            let mut groups = self.txn.open_table(GROUP_READ)?;
            for Wanted { target, position } in wanted {
                let (key_a, key_b, table) = match &target {
                    Target::C2c(peer) => (user.as_str(), peer.as_str(), &mut c2c),
                    Target::Group(group) => (group.as_str(), user.as_str(), &mut groups),
                };
                let current = table
                    .get((app, key_a, key_b))?
                    .map(|v| v.value())
                    .unwrap_or(0);
                let stored = current.max(position);
                if stored > current {
                    table.insert((app, key_a, key_b), stored)?;
                }
                let mark = v1::ReadMark {
                    conversation: Some(conversation(&target)),
                    read_time: if matches!(target, Target::C2c(_)) {
                        stored
                    } else {
                        0
                    },
                    read_seq: if matches!(target, Target::Group(_)) {
                        stored
                    } else {
                        0
                    },
                };
                if stored > current {
                    moved.push(mark.clone());
                    if let Target::C2c(peer) = &target
                        && peer != user
                    {
                        receipts.push((peer.clone(), stored));
                    }
                }
                marks.push(mark);
            }
        }
        let mut notices = Vec::new();
        if !moved.is_empty() {
            let (tiny, _) = self.ensure_user(app, user.as_str())?;
            notices.push(self.log_notice(
                app,
                vec![(user.as_str().to_owned(), tiny)],
                v1::sync_event::Event::ConversationRead(v1::ConversationReadPush {
                    cursor: 0,
                    marks: moved,
                }),
            )?);
        }
        for (peer, read_time) in receipts {
            // Only a peer the server knows gets a receipt (a report on a conversation with a
            // user who never logged in or received anything registers nobody).
            if self
                .convs
                .get(c2c_key(app, user.as_str(), peer.as_str()).as_str())?
                .is_none()
            {
                continue;
            }
            let (tiny, _) = self.ensure_user(app, peer.as_str())?;
            notices.push(self.log_notice(
                app,
                vec![(peer.as_str().to_owned(), tiny)],
                v1::sync_event::Event::ReadReceipts(v1::ReadReceiptPush {
                    cursor: 0,
                    receipts: vec![v1::MessageReceipt {
                        conv_id: user.as_str().to_owned(),
                        conv_type: ConvType::C2c.value(),
                        time_stamp: read_time,
                        is_peer_read: true,
                        ..Default::default()
                    }],
                }),
            )?);
        }
        Ok(WriteOutcome::notified(
            Applied::ReadState(ReadStateApplied::Marks(marks)),
            notices,
        ))
    }

    fn record_receipts(
        &mut self,
        app: AppId,
        reader: &UserId,
        target: &Target,
        msg_ids: &[MessageId],
    ) -> Result<WriteOutcome, StorageError> {
        let mut found = Vec::with_capacity(msg_ids.len());
        for msg_id in msg_ids {
            let located = match self.locate(
                app,
                reader,
                target,
                msg_id,
                codes::ERR_SDK_COMM_DATABASE_NOTFOUND,
            )? {
                Ok(located) => located,
                Err(refusal) => return Ok(WriteOutcome::refused(refusal)),
            };
            if !located.message.need_read_receipt {
                return refuse(
                    codes::ERR_INVALID_PARAMETERS,
                    format!("msg_ids: message {msg_id} was not sent with need_read_receipt"),
                );
            }
            if located.message.sender != reader.as_str() {
                found.push(located);
            }
        }
        let members = match target {
            Target::Group(group) => self.all_members(app, group.as_str())?,
            Target::C2c(_) => Vec::new(),
        };
        // Per sender: (tiny ID, receipts).
        let mut per_sender: BTreeMap<String, (u64, Vec<v1::MessageReceipt>)> = BTreeMap::new();
        let mut new = 0;
        {
            let mut table = self.txn.open_table(RECEIPTS)?;
            for located in &found {
                let key = (located.conv_no, located.seq, reader.as_str());
                if table.insert(key, ())?.is_some() {
                    continue;
                }
                new += 1;
                let message = &located.message;
                let receipt = match target {
                    Target::C2c(_) => v1::MessageReceipt {
                        conv_id: reader.as_str().to_owned(),
                        conv_type: ConvType::C2c.value(),
                        msg_id: message.msg_id.clone().unwrap_or_default(),
                        time_stamp: message.server_time,
                        is_peer_read: true,
                        ..Default::default()
                    },
                    Target::Group(group) => {
                        let (read, unread) =
                            group_counts(&members, message, located.seq, |user| {
                                Ok(table.get((located.conv_no, located.seq, user))?.is_some())
                            })?;
                        v1::MessageReceipt {
                            conv_id: group.as_str().to_owned(),
                            conv_type: ConvType::Group.value(),
                            msg_id: message.msg_id.clone().unwrap_or_default(),
                            time_stamp: message.server_time,
                            read_count: read,
                            unread_count: unread,
                            ..Default::default()
                        }
                    }
                };
                let tiny = match target {
                    Target::C2c(_) => message.sender_tiny_id,
                    Target::Group(_) => members
                        .iter()
                        .find(|m| m.user_id == message.sender)
                        .map_or(message.sender_tiny_id, |m| m.tiny_id),
                };
                per_sender
                    .entry(message.sender.clone())
                    .or_insert_with(|| (tiny, Vec::new()))
                    .1
                    .push(receipt);
            }
        }
        let mut notices: Vec<NoticeDelivery> = Vec::with_capacity(per_sender.len());
        for (sender, (tiny, receipts)) in per_sender {
            notices.push(self.log_notice(
                app,
                vec![(sender, tiny)],
                v1::sync_event::Event::ReadReceipts(v1::ReadReceiptPush {
                    cursor: 0,
                    receipts,
                }),
            )?);
        }
        Ok(WriteOutcome::notified(
            Applied::ReadState(ReadStateApplied::Receipts(new)),
            notices,
        ))
    }
}

/// Whether `member` counts for the receipts of group message `message` (seq `seq`): it can
/// see the message and did not send it.
fn counts_for(member: &MemberRecord, message: &v1::Message, seq: u64) -> bool {
    member.visible_from_seq <= seq
        && member.user_id != message.sender
        && visible_to(message, &member.user_id)
}

/// Read and unread counts of a group message over `members`.
fn group_counts(
    members: &[MemberRecord],
    message: &v1::Message,
    seq: u64,
    mut has_read: impl FnMut(&str) -> Result<bool, StorageError>,
) -> Result<(u64, u64), StorageError> {
    let (mut read, mut unread) = (0, 0);
    for member in members.iter().filter(|m| counts_for(m, message, seq)) {
        if has_read(&member.user_id)? {
            read += 1;
        } else {
            unread += 1;
        }
    }
    Ok((read, unread))
}

/// A message found for a read: conversation number, seq, canonical message.
type Found = (u64, u64, v1::Message);

impl RedbStorage {
    /// The group (live) and the user's membership in a read snapshot, or the refusal.
    fn read_member(
        txn: &redb::ReadTransaction,
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

    /// The stored message `msg_id` of conversation `key` visible to `user` from seq
    /// `visible_from` on.
    fn read_message(
        txn: &redb::ReadTransaction,
        app: AppId,
        key: &str,
        user: &UserId,
        visible_from: u64,
        msg_id: &MessageId,
    ) -> Result<Option<Found>, StorageError> {
        let Some(conv_no) = txn.open_table(CONVS)?.get(key)?.map(|v| v.value().0) else {
            return Ok(None);
        };
        let stored = match txn
            .open_table(MSG_IDS)?
            .get((app, msg_id.as_str()))?
            .map(|v| decode_msg_id(v.value()))
        {
            Some(Some(Some(stored))) => stored,
            Some(None) => return Err(StorageError::new("stored message ID entry is unreadable")),
            _ => return Ok(None),
        };
        if stored.conv_no != conv_no || stored.seq < visible_from {
            return Ok(None);
        }
        let Some(bytes) = txn.open_table(MESSAGES)?.get((conv_no, stored.seq))? else {
            return Ok(None);
        };
        let message: v1::Message = decode(bytes.value(), "message")?;
        Ok(visible_to(&message, user.as_str()).then_some((conv_no, stored.seq, message)))
    }

    fn all_members_read(
        txn: &redb::ReadTransaction,
        app: AppId,
        group: &GroupId,
    ) -> Result<Vec<MemberRecord>, StorageError> {
        let members = txn.open_table(MEMBERS)?;
        let mut all = Vec::new();
        for entry in members.range((app, group.as_str(), "")..(app, group.as_str(), "\u{7f}"))? {
            let (_, value) = entry?;
            all.push(decode(value.value(), "member")?);
        }
        Ok(all)
    }
}

impl ReadStateReads for RedbStorage {
    fn read_receipts(
        &self,
        app: AppId,
        user: &UserId,
        target: &Target,
        msg_ids: &[MessageId],
    ) -> Result<Result<Vec<v1::MessageReceipt>, Refusal>, StorageError> {
        let txn = self.db.begin_read()?;
        let (key, visible_from, members) = match target {
            Target::C2c(peer) => (c2c_key(app, user.as_str(), peer.as_str()), 1, Vec::new()),
            Target::Group(group) => match Self::read_member(&txn, app, group, user)? {
                Ok(me) => (
                    group_key(app, group.as_str()),
                    me.visible_from_seq,
                    Self::all_members_read(&txn, app, group)?,
                ),
                Err(refusal) => return Ok(Err(refusal)),
            },
        };
        let receipts_table = txn.open_table(RECEIPTS)?;
        let c2c_read = txn.open_table(C2C_READ)?;
        let mut receipts = Vec::with_capacity(msg_ids.len());
        for msg_id in msg_ids {
            let Some((conv_no, seq, message)) =
                Self::read_message(&txn, app, &key, user, visible_from, msg_id)?
            else {
                continue;
            };
            let mut receipt = v1::MessageReceipt {
                conv_id: conversation(target).conv_id,
                conv_type: conversation(target).conv_type,
                msg_id: msg_id.as_str().to_owned(),
                time_stamp: message.server_time,
                ..Default::default()
            };
            match target {
                Target::C2c(peer) => {
                    // The party who is not the sender.
                    let reader = if message.sender == user.as_str() {
                        peer.as_str()
                    } else {
                        user.as_str()
                    };
                    let by_receipt = receipts_table.get((conv_no, seq, reader))?.is_some();
                    let by_time = c2c_read
                        .get((app, reader, message.sender.as_str()))?
                        .is_some_and(|t| t.value() >= message.server_time);
                    receipt.is_peer_read = by_receipt || by_time;
                }
                Target::Group(_) => {
                    let (read, unread) = group_counts(&members, &message, seq, |member| {
                        Ok(receipts_table.get((conv_no, seq, member))?.is_some())
                    })?;
                    receipt.read_count = read;
                    receipt.unread_count = unread;
                }
            }
            receipts.push(receipt);
        }
        Ok(Ok(receipts))
    }

    fn group_read_members(
        &self,
        app: AppId,
        user: &UserId,
        group: &GroupId,
        msg_id: &MessageId,
        read: bool,
        from: u64,
        count: usize,
    ) -> Result<Result<ReadMemberPage, Refusal>, StorageError> {
        let txn = self.db.begin_read()?;
        let me = match Self::read_member(&txn, app, group, user)? {
            Ok(me) => me,
            Err(refusal) => return Ok(Err(refusal)),
        };
        let key = group_key(app, group.as_str());
        let Some((conv_no, seq, message)) =
            Self::read_message(&txn, app, &key, user, me.visible_from_seq, msg_id)?
        else {
            return Ok(Err(Refusal::new(
                codes::ERR_SDK_COMM_DATABASE_NOTFOUND,
                format!("message {msg_id} is not in this conversation"),
            )));
        };
        if !message.need_read_receipt {
            return Ok(Err(Refusal::new(
                codes::ERR_INVALID_PARAMETERS,
                format!("msg_id: message {msg_id} was not sent with need_read_receipt"),
            )));
        }
        let receipts = txn.open_table(RECEIPTS)?;
        let members = txn.open_table(MEMBERS)?;
        let order = txn.open_table(MEMBER_ORDER)?;
        let mut page = ReadMemberPage {
            next: from,
            finished: true,
            ..ReadMemberPage::default()
        };
        for entry in order.range((app, group.as_str(), from)..=(app, group.as_str(), u64::MAX))? {
            let (position, member_id) = entry?;
            let position = position.value().2;
            if page.members.len() >= count {
                page.finished = false;
                break;
            }
            page.next = position.saturating_add(1);
            let Some(member) = members
                .get((app, group.as_str(), member_id.value()))?
                .map(|v| decode::<MemberRecord>(v.value(), "member"))
                .transpose()?
            else {
                continue;
            };
            if !counts_for(&member, &message, seq) {
                continue;
            }
            let has_read = receipts
                .get((conv_no, seq, member.user_id.as_str()))?
                .is_some();
            if has_read == read {
                page.members.push(member);
            }
        }
        Ok(Ok(page))
    }

    fn read_mark(&self, app: AppId, user: &UserId, target: &Target) -> Result<u64, StorageError> {
        let txn = self.db.begin_read()?;
        let value = match target {
            Target::C2c(peer) => txn
                .open_table(C2C_READ)?
                .get((app, user.as_str(), peer.as_str()))?
                .map(|v| v.value()),
            Target::Group(group) => txn
                .open_table(GROUP_READ)?
                .get((app, group.as_str(), user.as_str()))?
                .map(|v| v.value()),
        };
        Ok(value.unwrap_or(0))
    }
}
