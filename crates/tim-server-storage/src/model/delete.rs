//! The delete area of [`KvStorage`](super::KvStorage): per user, the deleted (conversation,
//! seq) entries and a cleared-up-to seq per conversation, the time of the last list delete
//! (rate limit), and the filter that history pulls and sync apply.

use super::KvStorage;
use super::write::{Tables, refuse};
use super::{c2c_key, group_key};
use crate::delete::{DeleteApplied, DeleteReads, DeleteWrite};
use crate::kv::{KvTxn, Table, TableDefinition};
use crate::{AppId, Applied, StorageError, Target, WriteOutcome};
use tim_model::codes;
use tim_model::enums::ConvType;
use tim_model::ids::{MessageId, UserId};
use tim_model::limits;
use tim_proto::v1;

/// (user tiny ID, conv_no, seq) → 1: messages the user deleted.
const DELETED: TableDefinition<(u64, u64, u64), u8> = TableDefinition::new("deleted");
/// (user tiny ID, conv_no) → seq: the user's history is cleared up to this seq.
const CLEARED: TableDefinition<(u64, u64), u64> = TableDefinition::new("cleared");
/// User tiny ID → milliseconds of the user's last list delete.
const DELETE_CALLS: TableDefinition<u64, u64> = TableDefinition::new("delete_calls");

/// What one user deleted or cleared, as a read transaction sees it.
pub(super) struct Hidden<'t> {
    deleted: Table<'t, (u64, u64, u64), u8>,
    cleared: Table<'t, (u64, u64), u64>,
    tiny: u64,
}

impl<'t> Hidden<'t> {
    /// The filter of the user `tiny` (0: a user who never deleted anything).
    pub(super) fn open(txn: &'t dyn KvTxn, tiny: u64) -> Result<Self, StorageError> {
        Ok(Self {
            deleted: txn.open_table(DELETED)?,
            cleared: txn.open_table(CLEARED)?,
            tiny,
        })
    }

    /// Whether the user deleted or cleared the message `seq` of conversation `conv_no`.
    pub(super) fn hides(&self, conv_no: u64, seq: u64) -> Result<bool, StorageError> {
        if self.tiny == 0 {
            return Ok(false);
        }
        let cleared = self
            .cleared
            .get((self.tiny, conv_no))?
            .map(|v| v.value())
            .unwrap_or(0);
        Ok(seq <= cleared || self.deleted.get((self.tiny, conv_no, seq))?.is_some())
    }
}

/// The conversation of `target` from the caller's view.
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

impl Tables<'_> {
    /// Applies one write of the area.
    pub(super) fn delete(&mut self, write: DeleteWrite) -> Result<WriteOutcome, StorageError> {
        match write {
            DeleteWrite::Messages {
                app,
                user,
                target,
                msg_ids,
                now_ms,
                min_interval_ms,
            } => self.delete_messages(app, &user, &target, &msg_ids, (now_ms, min_interval_ms)),
            DeleteWrite::Clear { app, user, target } => self.clear_history(app, &user, &target),
        }
    }

    fn delete_messages(
        &mut self,
        app: AppId,
        user: &UserId,
        target: &Target,
        msg_ids: &[MessageId],
        (now_ms, min_interval_ms): (u64, u64),
    ) -> Result<WriteOutcome, StorageError> {
        if msg_ids.is_empty() || msg_ids.len() > limits::LIST_DELETE_MAX {
            return refuse(
                codes::ERR_INVALID_PARAMETERS,
                format!(
                    "msg_ids: {} messages; a delete takes 1..={}",
                    msg_ids.len(),
                    limits::LIST_DELETE_MAX
                ),
            );
        }
        let (tiny, _) = self.ensure_user(app, user.as_str())?;
        let mut calls = self.txn.open_table(DELETE_CALLS)?;
        if let Some(last) = calls.get(tiny)?.map(|v| v.value())
            && now_ms < last.saturating_add(min_interval_ms)
            && now_ms >= last
        {
            return refuse(
                codes::ERR_SDK_COMM_API_CALL_FREQUENCY_LIMIT,
                format!("at most one list delete per {min_interval_ms} ms"),
            );
        }
        let mut found = Vec::with_capacity(msg_ids.len());
        for msg_id in msg_ids {
            match self.locate(
                app,
                user,
                target,
                msg_id,
                codes::ERR_SDK_COMM_DATABASE_NOTFOUND,
            )? {
                Ok(located) => found.push((located.conv_no, located.seq)),
                Err(refusal) => return Ok(WriteOutcome::refused(refusal)),
            }
        }
        calls.insert(tiny, now_ms)?;
        let mut deleted = self.txn.open_table(DELETED)?;
        for (conv_no, seq) in found {
            deleted.insert((tiny, conv_no, seq), 1)?;
        }
        let ids: Vec<String> = msg_ids.iter().map(|id| id.as_str().to_owned()).collect();
        let notice = self.log_notice(
            app,
            vec![(user.as_str().to_owned(), tiny)],
            v1::sync_event::Event::MessagesDeleted(v1::MessagesDeletedPush {
                cursor: 0,
                conversation: Some(conversation(target)),
                msg_ids: ids.clone(),
            }),
        )?;
        Ok(WriteOutcome::notified(
            Applied::Deleted(DeleteApplied::Messages(ids)),
            vec![notice],
        ))
    }

    fn clear_history(
        &mut self,
        app: AppId,
        user: &UserId,
        target: &Target,
    ) -> Result<WriteOutcome, StorageError> {
        let key = match target {
            Target::C2c(peer) => c2c_key(app, user.as_str(), peer.as_str()),
            Target::Group(group) => {
                if let Err(refusal) = self.live_group(app, group)? {
                    return Ok(WriteOutcome::refused(refusal));
                }
                if self.member(app, group.as_str(), user.as_str())?.is_none() {
                    return refuse(
                        codes::ERR_SVR_GROUP_PERMISSION_DENY,
                        format!("{user} is not a member of group {group}"),
                    );
                }
                group_key(app, group.as_str())
            }
        };
        let Some((conv_no, newest)) = self.convs.get(key.as_str())?.map(|v| v.value()) else {
            return Ok(WriteOutcome::applied(Applied::Deleted(
                DeleteApplied::Cleared(0),
            )));
        };
        let (tiny, _) = self.ensure_user(app, user.as_str())?;
        let mut cleared = self.txn.open_table(CLEARED)?;
        let before = cleared
            .get((tiny, conv_no))?
            .map(|v| v.value())
            .unwrap_or(0);
        if newest <= before {
            return Ok(WriteOutcome::applied(Applied::Deleted(
                DeleteApplied::Cleared(before),
            )));
        }
        cleared.insert((tiny, conv_no), newest)?;
        let mut deleted = self.txn.open_table(DELETED)?;
        deleted.retain_in((tiny, conv_no, 0)..=(tiny, conv_no, newest), |_, _| false)?;
        let notice = self.log_notice(
            app,
            vec![(user.as_str().to_owned(), tiny)],
            v1::sync_event::Event::HistoryCleared(v1::HistoryClearedPush {
                cursor: 0,
                conversation: Some(conversation(target)),
                up_to_seq: newest,
            }),
        )?;
        Ok(WriteOutcome::notified(
            Applied::Deleted(DeleteApplied::Cleared(newest)),
            vec![notice],
        ))
    }
}

impl DeleteReads for KvStorage {}
