//! The extensions area of [`KvStorage`](super::KvStorage): its tables, its writes (applied
//! through [`Tables`]) and its reads.
//!
//! Tables:
//! - `ext_values` (conversation number, seq, key) -> (value, version).
//! - `ext_meta` (conversation number, seq) -> (last version given, key count).

use super::ids::find_in_conv;
use super::lifecycle::Located;
use super::read::{read_member, visible_to};
use super::write::{Tables, refuse};
use super::{CONV_MSG_IDS, CONVS, KvStorage, MESSAGES, c2c_key, decode, group_key};
use crate::extensions::{ExtensionReads, ExtensionsApplied, ExtensionsWrite};
use crate::kv::TableDefinition;
use crate::{AppId, Applied, NoticeDelivery, Refusal, StorageError, Target, WriteOutcome};
use tim_model::codes;
use tim_model::enums::{ConvType, MsgStatus};
use tim_model::ids::{MessageId, UserId};
use tim_model::limits::EXTENSIONS_PER_MESSAGE_MAX;
use tim_proto::v1;

const EXT_VALUES: TableDefinition<(u64, u64, &str), (&str, u64)> =
    TableDefinition::new("ext_values");
const EXT_META: TableDefinition<(u64, u64), (u64, u64)> = TableDefinition::new("ext_meta");

/// Why a located message cannot carry extensions, if it cannot.
fn not_extensible(message: &v1::Message, msg_id: &MessageId) -> Option<Refusal> {
    if message.status == Some(MsgStatus::Revoked.value()) {
        return Some(Refusal::new(
            codes::ERR_SDK_INVALID_OPERATION,
            format!("message {msg_id} was revoked: its extensions cannot change"),
        ));
    }
    if !message.support_message_extension {
        return Some(Refusal::new(
            codes::ERR_SDK_INVALID_OPERATION,
            format!("message {msg_id} was not sent with support_message_extension"),
        ));
    }
    None
}

/// A key's state as an extension item.
fn item(key: &str, value: &str, version: u64) -> v1::MessageExtension {
    v1::MessageExtension {
        key: key.to_owned(),
        value: value.to_owned(),
        version,
    }
}

fn result(
    code: i32,
    info: impl Into<String>,
    item: v1::MessageExtension,
) -> v1::MessageExtensionResult {
    v1::MessageExtensionResult {
        code: u32::try_from(code).unwrap_or_default(),
        info: info.into(),
        item: Some(item),
    }
}

impl Tables<'_> {
    /// Applies one write of the area.
    pub(super) fn extensions(
        &mut self,
        write: ExtensionsWrite,
    ) -> Result<WriteOutcome, StorageError> {
        let (app, user, target, msg_id) = match &write {
            ExtensionsWrite::Set {
                app,
                user,
                target,
                msg_id,
                ..
            }
            | ExtensionsWrite::Delete {
                app,
                user,
                target,
                msg_id,
                ..
            } => (*app, user.clone(), target.clone(), msg_id.clone()),
        };
        let located = match self.locate(
            app,
            &user,
            &target,
            &msg_id,
            codes::ERR_SDK_COMM_DATABASE_NOTFOUND,
        )? {
            Ok(located) => located,
            Err(refusal) => return Ok(WriteOutcome::refused(refusal)),
        };
        if let Some(refusal) = not_extensible(&located.message, &msg_id) {
            return Ok(WriteOutcome::refused(refusal));
        }
        match write {
            ExtensionsWrite::Set { items, .. } => self.set_extensions(app, &target, located, items),
            ExtensionsWrite::Delete { keys, .. } => {
                self.delete_extensions(app, &target, located, keys)
            }
        }
    }

    fn set_extensions(
        &mut self,
        app: AppId,
        target: &Target,
        located: Located,
        items: Vec<v1::MessageExtension>,
    ) -> Result<WriteOutcome, StorageError> {
        let (conv_no, seq) = (located.conv_no, located.seq);
        let mut values = self.txn.open_table(EXT_VALUES)?;
        let mut meta = self.txn.open_table(EXT_META)?;
        let (mut last_version, mut count) = meta
            .get((conv_no, seq))?
            .map(|v| v.value())
            .unwrap_or((0, 0));
        let mut results = Vec::with_capacity(items.len());
        let mut winners = Vec::new();
        let mut added = 0u64;
        for wanted in items {
            let current = values.get((conv_no, seq, wanted.key.as_str()))?.map(|v| {
                let (value, version) = v.value();
                (value.to_owned(), version)
            });
            let current_version = current.as_ref().map_or(0, |(_, version)| *version);
            if wanted.version != current_version {
                let (value, version) = current.unwrap_or_default();
                results.push(result(
                    codes::ERR_SVR_MSG_EXTENSION_CONFLICT,
                    format!(
                        "key {:?} is at version {version}, not {}",
                        wanted.key, wanted.version
                    ),
                    item(&wanted.key, &value, version),
                ));
                continue;
            }
            if current.is_none() {
                added += 1;
            }
            last_version = last_version.saturating_add(1);
            let applied = item(&wanted.key, &wanted.value, last_version);
            results.push(result(0, "", applied.clone()));
            winners.push(applied);
        }
        let total = count.saturating_add(added);
        if usize::try_from(total).unwrap_or(usize::MAX) > EXTENSIONS_PER_MESSAGE_MAX {
            return refuse(
                codes::ERR_INVALID_PARAMETERS,
                format!(
                    "the message would carry {total} extensions; the limit is {EXTENSIONS_PER_MESSAGE_MAX}"
                ),
            );
        }
        if winners.is_empty() {
            return Ok(WriteOutcome::applied(Applied::Extensions(
                ExtensionsApplied { results },
            )));
        }
        for winner in &winners {
            values.insert(
                (conv_no, seq, winner.key.as_str()),
                (winner.value.as_str(), winner.version),
            )?;
        }
        count = total;
        meta.insert((conv_no, seq), (last_version, count))?;
        let notices = self.log_extension_notice(app, target, &located, |conversation| {
            v1::sync_event::Event::ExtensionsChanged(v1::ExtensionsChangedPush {
                cursor: 0,
                conversation: Some(conversation),
                msg_id: located.message.msg_id.clone().unwrap_or_default(),
                extensions: winners.clone(),
            })
        })?;
        Ok(WriteOutcome::notified(
            Applied::Extensions(ExtensionsApplied { results }),
            notices,
        ))
    }

    fn delete_extensions(
        &mut self,
        app: AppId,
        target: &Target,
        located: Located,
        keys: Vec<String>,
    ) -> Result<WriteOutcome, StorageError> {
        let (conv_no, seq) = (located.conv_no, located.seq);
        let mut values = self.txn.open_table(EXT_VALUES)?;
        let mut meta = self.txn.open_table(EXT_META)?;
        let (last_version, count) = meta
            .get((conv_no, seq))?
            .map(|v| v.value())
            .unwrap_or((0, 0));
        let keys = if keys.is_empty() {
            let mut all = Vec::new();
            for entry in values.range((conv_no, seq, "")..(conv_no, seq.saturating_add(1), ""))? {
                let (key, _) = entry?;
                all.push(key.value().2.to_owned());
            }
            all
        } else {
            keys
        };
        let mut results = Vec::with_capacity(keys.len());
        let mut deleted = Vec::new();
        let mut versions = Vec::new();
        for key in keys {
            let removed = values.remove((conv_no, seq, key.as_str()))?.map(|v| {
                let (value, version) = v.value();
                (value.to_owned(), version)
            });
            match removed {
                Some((value, version)) => {
                    results.push(result(0, "", item(&key, &value, version)));
                    deleted.push(key);
                    versions.push(version);
                }
                None => results.push(result(
                    codes::ERR_SVR_MSG_EXTENSION_NOT_EXIST,
                    format!("key {key:?} does not exist"),
                    item(&key, "", 0),
                )),
            }
        }
        if deleted.is_empty() {
            return Ok(WriteOutcome::applied(Applied::Extensions(
                ExtensionsApplied { results },
            )));
        }
        let left = count.saturating_sub(deleted.len() as u64);
        meta.insert((conv_no, seq), (last_version, left))?;
        let notices = self.log_extension_notice(app, target, &located, |conversation| {
            v1::sync_event::Event::ExtensionsDeleted(v1::ExtensionsDeletedPush {
                cursor: 0,
                conversation: Some(conversation),
                msg_id: located.message.msg_id.clone().unwrap_or_default(),
                keys: deleted.clone(),
                versions: versions.clone(),
            })
        })?;
        Ok(WriteOutcome::notified(
            Applied::Extensions(ExtensionsApplied { results }),
            notices,
        ))
    }

    /// Logs the notice `make(conversation)` for every party who sees the message, each with
    /// the conversation from their view (C2C: one notice per side).
    fn log_extension_notice(
        &mut self,
        app: AppId,
        target: &Target,
        located: &Located,
        make: impl Fn(v1::ConversationId) -> v1::sync_event::Event,
    ) -> Result<Vec<NoticeDelivery>, StorageError> {
        let message = &located.message;
        let c2c = |peer: &str| v1::ConversationId {
            conv_type: ConvType::C2c.value(),
            conv_id: peer.to_owned(),
        };
        let mut notices = Vec::new();
        match target {
            Target::C2c(_) => {
                notices.push(self.log_notice(
                    app,
                    vec![(message.sender.clone(), message.sender_tiny_id)],
                    make(c2c(&message.conv_id)),
                )?);
                if message.conv_id != message.sender {
                    notices.push(self.log_notice(
                        app,
                        vec![(message.conv_id.clone(), message.receiver_tiny_id)],
                        make(c2c(&message.sender)),
                    )?);
                }
            }
            Target::Group(group) => {
                let recipients = self
                    .all_members(app, group.as_str())?
                    .into_iter()
                    .filter(|m| {
                        m.visible_from_seq <= located.seq && visible_to(message, &m.user_id)
                    })
                    .map(|m| (m.user_id, m.tiny_id))
                    .collect();
                let conversation = v1::ConversationId {
                    conv_type: ConvType::Group.value(),
                    conv_id: group.as_str().to_owned(),
                };
                notices.push(self.log_notice(app, recipients, make(conversation))?);
            }
        }
        Ok(notices)
    }
}

impl ExtensionReads for KvStorage {
    fn extensions(
        &self,
        app: AppId,
        user: &UserId,
        target: &Target,
        msg_id: &MessageId,
    ) -> Result<Result<Vec<v1::MessageExtension>, Refusal>, StorageError> {
        self.read(|txn| {
            let mut visible_from = 0;
            let key = match target {
                Target::C2c(peer) => c2c_key(app, user.as_str(), peer.as_str()),
                Target::Group(group) => {
                    let member = match read_member(txn, app, group, user)? {
                        Ok(member) => member,
                        Err(refusal) => return Ok(Err(refusal)),
                    };
                    visible_from = member.visible_from_seq;
                    group_key(app, group.as_str())
                }
            };
            let missing = || {
                Ok(Err(Refusal::new(
                    codes::ERR_SDK_COMM_DATABASE_NOTFOUND,
                    format!("message {msg_id} is not in this conversation"),
                )))
            };
            let Some((conv_no, _)) = txn.open_table(CONVS)?.get(key.as_str())?.map(|v| v.value())
            else {
                return missing();
            };
            let conv_ids = txn.open_table(CONV_MSG_IDS)?;
            let Some(seq) = find_in_conv(&conv_ids, conv_no, msg_id.as_str(), user.as_str())?
            else {
                return missing();
            };
            if visible_from > seq {
                return missing();
            }
            let Some(bytes) = txn.open_table(MESSAGES)?.get((conv_no, seq))? else {
                return missing();
            };
            let message: v1::Message = decode(bytes.value(), "message")?;
            if !visible_to(&message, user.as_str()) {
                return missing();
            }
            if let Some(refusal) = not_extensible(&message, msg_id) {
                return Ok(Err(refusal));
            }
            let mut all = Vec::new();
            let values = txn.open_table(EXT_VALUES)?;
            for entry in values.range((conv_no, seq, "")..(conv_no, seq.saturating_add(1), ""))? {
                let (key, value) = entry?;
                let (text, version) = value.value();
                all.push(item(key.value().2, text, version));
            }
            Ok(Ok(all))
        })
    }
}
