//! The read_state area of [`KvStorage`](super::KvStorage): its tables, its writes (applied
//! through [`Tables`]) and its reads.
//!
//! Tables:
//! - `c2c_read` (app, user, peer) -> read time (seconds): how far `user` read the C2C
//!   conversation with `peer`.
//! - `group_read` (app, group, user) -> read seq: how far the member read the group.
//! - `receipts` (conversation number, seq, reader) -> (): the message read receipts sent.

use super::read::visible_to;
use super::write::{Tables, refuse};
use super::{c2c_key, decode, group_key};
use crate::kv::TableDefinition;
use crate::read_state::{ReadStateApplied, ReadStateWrite, ReportScope};
use crate::{
    AppId, Applied, MemberRecord, NoticeDelivery, Refusal, StorageError, Target, WriteOutcome,
};
use std::collections::BTreeMap;
use tim_model::codes;
use tim_model::enums::ConvType;
use tim_model::ids::{GroupId, MessageId, UserId};
use tim_proto::v1;

const C2C_READ: TableDefinition<(u64, &str, &str), u64> = TableDefinition::new("c2c_read");
const GROUP_READ: TableDefinition<(u64, &str, &str), u64> = TableDefinition::new("group_read");
const RECEIPTS: TableDefinition<(u64, u64, &str), ()> = TableDefinition::new("receipts");

mod reads;

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
        // The caller's own conversations only, from the index by user.
        if kind.is_none_or(|k| k == ConvType::C2c) {
            for peer in self.peers_of(app, user.as_str())? {
                let key = c2c_key(app, user.as_str(), &peer);
                if newest(&key)? == 0 {
                    continue;
                }
                if let Ok(peer) = UserId::new(&peer) {
                    wanted.push(Wanted {
                        position: self.newest_time(&key, now)?,
                        target: Target::C2c(peer),
                    });
                }
            }
        }
        if kind.is_none_or(|k| k == ConvType::Group) {
            for group in self.groups_of(app, user.as_str())? {
                let Some(member) = self.member(app, &group, user.as_str())? else {
                    continue;
                };
                let live = self
                    .group_record(app, &group)?
                    .is_some_and(|g| !g.dismissed);
                let last = newest(&group_key(app, &group))?;
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
                if table.get(key)?.is_some() {
                    continue;
                }
                table.insert(key, ())?;
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
