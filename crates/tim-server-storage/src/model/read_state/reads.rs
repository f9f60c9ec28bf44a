//! The reads of the read_state area: receipts and read-member pages, each in one read
//! transaction.

use super::super::ids::find_in_conv;
use super::super::read::{read_member, visible_to};
use super::super::{
    CONV_MSG_IDS, CONVS, KvStorage, MEMBER_ORDER, MEMBERS, MESSAGES, c2c_key, decode, group_key,
};
use super::{C2C_READ, GROUP_READ, RECEIPTS, conversation, counts_for, group_counts};
use crate::kv::KvTxn;
use crate::read_state::{ReadMemberPage, ReadStateReads};
use crate::{AppId, MemberRecord, Refusal, StorageError, Target};
use tim_model::codes;
use tim_model::ids::{GroupId, MessageId, UserId};
use tim_proto::v1;

/// A message found for a read: conversation number, seq, canonical message.
type Found = (u64, u64, v1::Message);

impl KvStorage {
    /// The stored message `msg_id` of conversation `key` visible to `user` from seq
    /// `visible_from` on.
    fn read_message(
        txn: &dyn KvTxn,
        key: &str,
        user: &UserId,
        visible_from: u64,
        msg_id: &MessageId,
    ) -> Result<Option<Found>, StorageError> {
        let Some(conv_no) = txn.open_table(CONVS)?.get(key)?.map(|v| v.value().0) else {
            return Ok(None);
        };
        let conv_ids = txn.open_table(CONV_MSG_IDS)?;
        let Some(seq) = find_in_conv(&conv_ids, conv_no, msg_id.as_str(), user.as_str())? else {
            return Ok(None);
        };
        if seq < visible_from {
            return Ok(None);
        }
        let Some(bytes) = txn.open_table(MESSAGES)?.get((conv_no, seq))? else {
            return Ok(None);
        };
        let message: v1::Message = decode(bytes.value(), "message")?;
        Ok(visible_to(&message, user.as_str()).then_some((conv_no, seq, message)))
    }

    fn all_members_read(
        txn: &dyn KvTxn,
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

impl ReadStateReads for KvStorage {
    fn read_receipts(
        &self,
        app: AppId,
        user: &UserId,
        target: &Target,
        msg_ids: &[MessageId],
    ) -> Result<Result<Vec<v1::MessageReceipt>, Refusal>, StorageError> {
        self.read(|txn| {
            let (key, visible_from, members) = match target {
                Target::C2c(peer) => (c2c_key(app, user.as_str(), peer.as_str()), 1, Vec::new()),
                Target::Group(group) => match read_member(txn, app, group, user)? {
                    Ok(me) => (
                        group_key(app, group.as_str()),
                        me.visible_from_seq,
                        Self::all_members_read(txn, app, group)?,
                    ),
                    Err(refusal) => return Ok(Err(refusal)),
                },
            };
            let receipts_table = txn.open_table(RECEIPTS)?;
            let c2c_read = txn.open_table(C2C_READ)?;
            let mut receipts = Vec::with_capacity(msg_ids.len());
            for msg_id in msg_ids {
                let Some((conv_no, seq, message)) =
                    Self::read_message(txn, &key, user, visible_from, msg_id)?
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
        })
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
        self.read(|txn| {
            let me = match read_member(txn, app, group, user)? {
                Ok(me) => me,
                Err(refusal) => return Ok(Err(refusal)),
            };
            let key = group_key(app, group.as_str());
            let Some((conv_no, seq, message)) =
                Self::read_message(txn, &key, user, me.visible_from_seq, msg_id)?
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
            for entry in
                order.range((app, group.as_str(), from)..=(app, group.as_str(), u64::MAX))?
            {
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
        })
    }

    fn read_mark(&self, app: AppId, user: &UserId, target: &Target) -> Result<u64, StorageError> {
        self.read(|txn| {
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
        })
    }
}
