//! The write side of [`KvStorage`]: one write transaction per batch, every op applied in
//! order through [`Tables`], checks before changes so that a refused op writes nothing. Sends
//! and cancels live here; group changes in `groups`, revoke and modify in `lifecycle`.

use super::merge::relay_keys;
use super::read::visible_to;
use super::{
    CONV_MSG_IDS, CONVS, EVENTS, GROUPS, HEADS, KvStorage, MEMBER_ORDER, MEMBERS, MESSAGES, META,
    SENT_IDS, USER_GROUPS, USER_PEERS, USERS, c2c_key, decode, group_key,
};
use crate::kv::{KvTxn, Table};
use crate::records::{
    EVENT_NEW_MESSAGE, StoredId, decode_msg_id, encode_cancelled_id, encode_event, encode_notice,
    encode_stored_id,
};
use crate::{
    Ack, AppId, Applied, Delivery, EventKind, GroupRecord, MemberRecord, NoticeDelivery, Refusal,
    SendWrite, StorageError, Target, UserRecord, WriteOp, WriteOutcome,
};
use prost::Message as _;
use std::sync::Arc;
use tim_model::codes;
use tim_model::enums::GroupMemberRole;
use tim_model::ids::{GroupId, MessageId, UserId};
use tim_proto::v1;

const NEXT_TINY_ID: &str = "next_tiny_id";
const NEXT_CONV_NO: &str = "next_conv_no";
const NEXT_GROUP_NO: &str = "next_group_no";
const NEXT_UNIQUE_ID: &str = "next_unique_id";

impl KvStorage {
    pub(super) fn apply_batch(&self, ops: Vec<WriteOp>) -> Result<Vec<WriteOutcome>, StorageError> {
        // A backend that may run the body again after a conflict with another node gets a
        // copy of the ops for each later run; the first run takes them as they are (and a
        // backend that runs it once, like redb, never copies them).
        let spare = self.kv.reruns().then(|| ops.clone());
        let mut first = Some(ops);
        crate::kv::write(self.kv.as_ref(), |txn| {
            let batch = first.take().or_else(|| spare.clone()).ok_or_else(|| {
                StorageError::new("a write was run twice by a backend that said it would not")
            })?;
            // Every send first looks its message ID up (a retry is answered, not stored
            // again): one round trip for all of them where reads are round trips, before
            // anything else is read.
            txn.open_table(SENT_IDS)?
                .prefetch(batch.iter().filter_map(|op| match op {
                    WriteOp::Send(send) => {
                        Some((send.app, send.sender.as_str(), send.msg_id.as_str()))
                    }
                    _ => None,
                }))?;
            let mut tables = Tables::open(txn)?;
            let mut outcomes = Vec::with_capacity(batch.len());
            for op in batch {
                outcomes.push(tables.apply(op)?);
            }
            tables.save_counters()?;
            Ok(outcomes)
        })
    }
}

pub(super) fn refuse(code: i32, desc: impl Into<String>) -> Result<WriteOutcome, StorageError> {
    Ok(WriteOutcome::refused(Refusal::new(code, desc)))
}

pub(super) struct Tables<'t> {
    /// The transaction, for the tables of the lifecycle areas (each opens its own tables
    /// when an op of its area is applied).
    pub(super) txn: &'t dyn KvTxn,
    pub(super) meta: Table<'t, &'static str, u64>,
    users: Table<'t, (u64, &'static str), u64>,
    pub(super) heads: Table<'t, u64, u64>,
    pub(super) events: Table<'t, (u64, u64), &'static [u8]>,
    pub(super) convs: Table<'t, &'static str, (u64, u64)>,
    pub(super) messages: Table<'t, (u64, u64), &'static [u8]>,
    pub(super) sent_ids: Table<'t, (u64, &'static str, &'static str), &'static [u8]>,
    pub(super) conv_msg_ids: Table<'t, (u64, &'static str, &'static str), u64>,
    pub(super) groups: Table<'t, (u64, &'static str), &'static [u8]>,
    pub(super) members: Table<'t, (u64, &'static str, &'static str), &'static [u8]>,
    member_order: Table<'t, (u64, &'static str, u64), &'static str>,
    pub(super) user_peers: Table<'t, (u64, &'static str, &'static str), ()>,
    pub(super) user_groups: Table<'t, (u64, &'static str, &'static str), ()>,
    next_tiny_id: u64,
    next_conv_no: u64,
    pub(super) next_group_no: u64,
    /// The next message's `unique_id`: one counter for the server, so IDs never repeat and
    /// stay far below 2^53 (JavaScript clients parse them as doubles).
    next_unique_id: u64,
    /// The counters as loaded: unchanged ones are not written back, so that a commit that
    /// registers nothing new does not rewrite the `meta` table.
    loaded_counters: (u64, u64, u64, u64),
}

impl<'t> Tables<'t> {
    fn open(txn: &'t dyn KvTxn) -> Result<Self, StorageError> {
        let meta = txn.open_table(META)?;
        let counter = |name: &str| -> Result<u64, StorageError> {
            Ok(meta.get(name)?.map(|v| v.value()).unwrap_or(1).max(1))
        };
        let (next_tiny_id, next_conv_no, next_group_no, next_unique_id) = (
            counter(NEXT_TINY_ID)?,
            counter(NEXT_CONV_NO)?,
            counter(NEXT_GROUP_NO)?,
            counter(NEXT_UNIQUE_ID)?,
        );
        Ok(Self {
            txn,
            meta,
            users: txn.open_table(USERS)?,
            heads: txn.open_table(HEADS)?,
            events: txn.open_table(EVENTS)?,
            convs: txn.open_table(CONVS)?,
            messages: txn.open_table(MESSAGES)?,
            sent_ids: txn.open_table(SENT_IDS)?,
            conv_msg_ids: txn.open_table(CONV_MSG_IDS)?,
            groups: txn.open_table(GROUPS)?,
            members: txn.open_table(MEMBERS)?,
            member_order: txn.open_table(MEMBER_ORDER)?,
            user_peers: txn.open_table(USER_PEERS)?,
            user_groups: txn.open_table(USER_GROUPS)?,
            next_tiny_id,
            next_conv_no,
            next_group_no,
            next_unique_id,
            loaded_counters: (next_tiny_id, next_conv_no, next_group_no, next_unique_id),
        })
    }

    fn save_counters(&mut self) -> Result<(), StorageError> {
        let (tiny_id, conv_no, group_no, unique_id) = self.loaded_counters;
        if self.next_unique_id != unique_id {
            self.meta.insert(NEXT_UNIQUE_ID, self.next_unique_id)?;
        }
        if self.next_tiny_id != tiny_id {
            self.meta.insert(NEXT_TINY_ID, self.next_tiny_id)?;
        }
        if self.next_conv_no != conv_no {
            self.meta.insert(NEXT_CONV_NO, self.next_conv_no)?;
        }
        if self.next_group_no != group_no {
            self.meta.insert(NEXT_GROUP_NO, self.next_group_no)?;
        }
        Ok(())
    }

    fn apply(&mut self, op: WriteOp) -> Result<WriteOutcome, StorageError> {
        match op {
            WriteOp::EnsureUser { app, user } => {
                let (tiny_id, latest_cursor) = self.ensure_user(app, user.as_str())?;
                Ok(WriteOutcome::applied(Applied::User(UserRecord {
                    tiny_id,
                    latest_cursor,
                })))
            }
            WriteOp::Send(send) => self.send(*send),
            WriteOp::Cancel {
                app,
                sender,
                target,
                msg_id,
            } => self.cancel(app, &sender, &target, &msg_id),
            WriteOp::Revoke(revoke) => self.revoke(*revoke),
            WriteOp::Modify(modify) => self.modify(*modify),
            WriteOp::CreateGroup(create) => self.create_group(*create),
            WriteOp::Members {
                app,
                operator,
                group,
                change,
                users,
                time,
                limits,
            } => self.members_change(app, &operator, &group, change, users, time, &limits),
            WriteOp::ReadState(write) => self.read_state(*write),
            WriteOp::Extensions(write) => self.extensions(*write),
            WriteOp::RecvOpt(write) => self.recv_opt(*write),
            WriteOp::Delete(write) => self.delete(*write),
            WriteOp::Push(write) => self.push(*write),
            WriteOp::Media(write) => self.media(*write),
            WriteOp::Conversations(write) => self.conversations(*write),
            WriteOp::Profile(write) => self.profile(*write),
            WriteOp::TrimLogs { keep, max_users } => self.trim_logs(keep, max_users),
        }
    }

    /// The user's tiny ID and log head, registering the user if new.
    pub(super) fn ensure_user(
        &mut self,
        app: AppId,
        user: &str,
    ) -> Result<(u64, u64), StorageError> {
        if let Some(tiny) = self.users.get((app, user))?.map(|v| v.value()) {
            let head = self.heads.get(tiny)?.map(|v| v.value()).unwrap_or(0);
            return Ok((tiny, head));
        }
        let tiny = self.next_tiny_id;
        self.next_tiny_id = tiny.saturating_add(1);
        self.users.insert((app, user), tiny)?;
        Ok((tiny, 0))
    }

    pub(super) fn append_event(
        &mut self,
        tiny: u64,
        kind: u8,
        conv_no: u64,
        seq: u64,
    ) -> Result<u64, StorageError> {
        let position = self
            .heads
            .get(tiny)?
            .map(|v| v.value())
            .unwrap_or(0)
            .saturating_add(1);
        self.heads.insert(tiny, position)?;
        let entry = encode_event(kind, conv_no, seq);
        self.events.insert((tiny, position), entry.as_slice())?;
        Ok(position)
    }

    /// Appends the notice `event` (its cursor field 0) to the log of each of `recipients`
    /// (user, tiny ID): what to push once the batch is durable.
    pub(super) fn log_notice(
        &mut self,
        app: AppId,
        recipients: Vec<(String, u64)>,
        event: v1::sync_event::Event,
    ) -> Result<NoticeDelivery, StorageError> {
        let entry = encode_notice(&event);
        let mut delivered = Vec::with_capacity(recipients.len());
        for (user, tiny) in recipients {
            let position = self
                .heads
                .get(tiny)?
                .map(|v| v.value())
                .unwrap_or(0)
                .saturating_add(1);
            self.heads.insert(tiny, position)?;
            self.events.insert((tiny, position), entry.as_slice())?;
            delivered.push((user, position));
        }
        Ok(NoticeDelivery {
            app,
            event: Arc::new(event),
            recipients: delivered,
        })
    }

    /// The conversation's number and newest seq, creating it if new.
    pub(super) fn conv(&mut self, key: &str) -> Result<(u64, u64), StorageError> {
        if let Some(found) = self.convs.get(key)?.map(|v| v.value()) {
            return Ok(found);
        }
        let conv_no = self.next_conv_no;
        self.next_conv_no = conv_no.saturating_add(1);
        self.convs.insert(key, (conv_no, 0))?;
        Ok((conv_no, 0))
    }

    /// Stores `message` as the conversation's next message and logs it for `recipients`
    /// (user, tiny ID).
    pub(super) fn store_message(
        &mut self,
        app: AppId,
        key: &str,
        mut message: v1::Message,
        recipients: Vec<(String, u64)>,
    ) -> Result<Delivery, StorageError> {
        let (conv_no, last) = self.conv(key)?;
        let seq = last.saturating_add(1);
        message.seq = seq;
        message.unique_id = self.next_unique_id;
        self.next_unique_id = self.next_unique_id.saturating_add(1);
        if message.msg_id.is_none() {
            message.msg_id = Some(format!("@TIM#{conv_no}-{seq}"));
        }
        self.messages
            .insert((conv_no, seq), message.encode_to_vec().as_slice())?;
        self.convs.insert(key, (conv_no, seq))?;
        let mut delivered = Vec::with_capacity(recipients.len());
        for (user, tiny) in recipients {
            let position = self.append_event(tiny, EVENT_NEW_MESSAGE, conv_no, seq)?;
            delivered.push((user, position));
        }
        Ok(Delivery {
            app,
            kind: EventKind::NewMessage,
            message: Arc::new(message),
            recipients: delivered,
        })
    }

    pub(super) fn group_record(
        &self,
        app: AppId,
        group: &str,
    ) -> Result<Option<GroupRecord>, StorageError> {
        self.groups
            .get((app, group))?
            .map(|v| decode(v.value(), "group"))
            .transpose()
    }

    pub(super) fn live_group(
        &self,
        app: AppId,
        group: &GroupId,
    ) -> Result<Result<GroupRecord, Refusal>, StorageError> {
        Ok(match self.group_record(app, group.as_str())? {
            Some(record) if !record.dismissed => Ok(record),
            _ => Err(Refusal::new(
                codes::ERR_SVR_GROUP_NOT_FOUND,
                format!("group {group} does not exist"),
            )),
        })
    }

    pub(super) fn save_group(
        &mut self,
        app: AppId,
        record: &GroupRecord,
    ) -> Result<(), StorageError> {
        self.groups.insert(
            (app, record.group_id.as_str()),
            record.encode_to_vec().as_slice(),
        )?;
        Ok(())
    }

    pub(super) fn member(
        &self,
        app: AppId,
        group: &str,
        user: &str,
    ) -> Result<Option<MemberRecord>, StorageError> {
        self.members
            .get((app, group, user))?
            .map(|v| decode(v.value(), "member"))
            .transpose()
    }

    pub(super) fn all_members(
        &self,
        app: AppId,
        group: &str,
    ) -> Result<Vec<MemberRecord>, StorageError> {
        let mut all = Vec::new();
        for entry in self
            .members
            .range((app, group, "")..(app, group, "\u{7f}"))?
        {
            let (_, value) = entry?;
            all.push(decode(value.value(), "member")?);
        }
        Ok(all)
    }

    pub(super) fn add_member(
        &mut self,
        app: AppId,
        group: &mut GroupRecord,
        user: &str,
        role: GroupMemberRole,
        time: u64,
    ) -> Result<(), StorageError> {
        let (tiny_id, _) = self.ensure_user(app, user)?;
        let (_, last_seq) = self.conv(&group_key(app, &group.group_id))?;
        let record = MemberRecord {
            user_id: user.to_owned(),
            role: role.value(),
            join_time: time,
            pos: group.next_member_pos,
            visible_from_seq: last_seq.saturating_add(1),
            tiny_id,
        };
        group.next_member_pos = group.next_member_pos.saturating_add(1);
        group.member_count = group.member_count.saturating_add(1);
        self.members.insert(
            (app, group.group_id.as_str(), user),
            record.encode_to_vec().as_slice(),
        )?;
        self.member_order
            .insert((app, group.group_id.as_str(), record.pos), user)?;
        self.index_membership(app, user, group.group_id.as_str(), true)?;
        Ok(())
    }

    pub(super) fn remove_member(
        &mut self,
        app: AppId,
        group: &mut GroupRecord,
        member: &MemberRecord,
    ) -> Result<(), StorageError> {
        self.members
            .remove((app, group.group_id.as_str(), member.user_id.as_str()))?;
        self.member_order
            .remove((app, group.group_id.as_str(), member.pos))?;
        self.index_membership(app, member.user_id.as_str(), group.group_id.as_str(), false)?;
        group.member_count = group.member_count.saturating_sub(1);
        Ok(())
    }

    fn send(&mut self, send: SendWrite) -> Result<WriteOutcome, StorageError> {
        let SendWrite {
            app,
            sender,
            target,
            msg_id,
            mut message,
            merge,
        } = send;
        let existing = self
            .sent_ids
            .get((app, sender.as_str(), msg_id.as_str()))?
            .map(|v| decode_msg_id(v.value()));
        if let Some(existing) = existing {
            return match existing {
                Some(Some(stored)) => {
                    // A retried merge learns the relay keys the first store gave.
                    let relay_keys = match &merge {
                        Some(_) => self
                            .messages
                            .get((stored.conv_no, stored.seq))?
                            .map(|v| decode::<v1::Message>(v.value(), "message"))
                            .transpose()?
                            .map(|stored| relay_keys(&stored))
                            .unwrap_or_default(),
                        None => Vec::new(),
                    };
                    Ok(WriteOutcome::applied(Applied::Sent {
                        ack: Ack {
                            msg_id: msg_id.as_str().to_owned(),
                            seq: stored.seq,
                            server_time: stored.server_time,
                            rand: stored.rand,
                            relay_keys,
                        },
                        duplicate: true,
                    }))
                }
                Some(None) => refuse(
                    codes::ERR_SDK_SEND_MESSAGE_FAILED_WITH_CANCEL,
                    format!("message {msg_id} was cancelled"),
                ),
                None => Err(StorageError::new("stored message ID entry is unreadable")),
            };
        }
        let depths = match &merge {
            Some(merge) => match self.check_merge(app, sender.as_str(), merge)? {
                Ok(depths) => Some(depths),
                Err(refusal) => return Ok(WriteOutcome::refused(refusal)),
            },
            None => None,
        };
        let (key, recipients) = match &target {
            Target::C2c(peer) => {
                let (sender_tiny, _) = self.ensure_user(app, sender.as_str())?;
                let (peer_tiny, _) = self.ensure_user(app, peer.as_str())?;
                message.sender_tiny_id = sender_tiny;
                message.receiver_tiny_id = peer_tiny;
                self.index_peers(app, sender.as_str(), peer.as_str())?;
                let mut recipients = vec![(sender.as_str().to_owned(), sender_tiny)];
                if peer != &sender {
                    recipients.extend(self.delivered_among(
                        app,
                        (false, sender.as_str()),
                        &message,
                        vec![(peer.as_str().to_owned(), peer_tiny)],
                    )?);
                }
                (c2c_key(app, sender.as_str(), peer.as_str()), recipients)
            }
            Target::Group(group) => {
                if let Err(refusal) = self.live_group(app, group)? {
                    return Ok(WriteOutcome::refused(refusal));
                }
                let Some(me) = self.member(app, group.as_str(), sender.as_str())? else {
                    return refuse(
                        codes::ERR_SVR_GROUP_PERMISSION_DENY,
                        format!("{sender} is not a member of group {group}"),
                    );
                };
                message.sender_tiny_id = me.tiny_id;
                let visible: Vec<(String, u64)> = self
                    .all_members(app, group.as_str())?
                    .into_iter()
                    .filter(|m| visible_to(&message, &m.user_id))
                    .map(|m| (m.user_id, m.tiny_id))
                    .collect();
                let recipients =
                    self.delivered_among(app, (true, group.as_str()), &message, visible)?;
                (group_key(app, group.as_str()), recipients)
            }
        };
        self.reference_media(app, &message, merge.as_deref())?;
        message.sender_profile = super::profiles::stored_profile(self.txn, app, sender.as_str())?;
        let delivery = self.store_message(app, &key, message, recipients)?;
        if let (Some(merge), Some(depths)) = (&merge, &depths) {
            self.store_merge(app, merge, depths, &delivery.message)?;
        }
        let (conv_no, _) = self.conv(&key)?;
        let stored = StoredId {
            conv_no,
            seq: delivery.message.seq,
            server_time: delivery.message.server_time,
            rand: delivery.message.rand,
        };
        self.sent_ids.insert(
            (app, sender.as_str(), msg_id.as_str()),
            encode_stored_id(stored).as_slice(),
        )?;
        self.conv_msg_ids
            .insert((conv_no, msg_id.as_str(), sender.as_str()), stored.seq)?;
        Ok(WriteOutcome {
            result: Ok(Applied::Sent {
                ack: Ack {
                    msg_id: msg_id.as_str().to_owned(),
                    seq: stored.seq,
                    server_time: stored.server_time,
                    rand: stored.rand,
                    relay_keys: relay_keys(&delivery.message),
                },
                duplicate: false,
            }),
            deliveries: vec![delivery],
            notices: Vec::new(),
        })
    }

    /// Marks `sender`'s own ID `msg_id` cancelled. Only the sender's namespace is read, so
    /// the answer says nothing about other users' IDs; the conversation must be one the
    /// sender may send to (a live group they are in).
    fn cancel(
        &mut self,
        app: AppId,
        sender: &UserId,
        target: &Target,
        msg_id: &MessageId,
    ) -> Result<WriteOutcome, StorageError> {
        if let Target::Group(group) = target {
            if let Err(refusal) = self.live_group(app, group)? {
                return Ok(WriteOutcome::refused(refusal));
            }
            if self.member(app, group.as_str(), sender.as_str())?.is_none() {
                return refuse(
                    codes::ERR_SVR_GROUP_PERMISSION_DENY,
                    format!("{sender} is not a member of group {group}"),
                );
            }
        }
        let key = (app, sender.as_str(), msg_id.as_str());
        let state = self.sent_ids.get(key)?.map(|v| decode_msg_id(v.value()));
        match state {
            Some(Some(Some(_))) => refuse(
                codes::ERR_SDK_INVALID_CANCEL_MESSAGE,
                format!("message {msg_id} was already sent"),
            ),
            Some(Some(None)) => Ok(WriteOutcome::applied(Applied::Done)),
            Some(None) => Err(StorageError::new("stored message ID entry is unreadable")),
            None => {
                self.sent_ids
                    .insert(key, encode_cancelled_id().as_slice())?;
                Ok(WriteOutcome::applied(Applied::Done))
            }
        }
    }
}
