//! Changes to stored messages in [`KvStorage`](super::KvStorage): revoke and modify,
//! each checked (party, permission, window, version) before anything is written, and logged
//! for every party who can see the message.

use super::ids::find_in_conv;
use super::read::visible_to;
use super::write::{Tables, refuse};
use super::{c2c_key, decode, group_key};
use crate::records::{EVENT_MESSAGE_MODIFIED, EVENT_MESSAGE_REVOKED};
use crate::{
    AppId, Applied, Delivery, EventKind, MemberRecord, ModifyWrite, Refusal, RevokeWrite,
    StorageError, Target, WriteOutcome,
};
use prost::Message as _;
use std::sync::Arc;
use tim_model::codes;
use tim_model::enums::{GroupMemberRole, MsgStatus};
use tim_model::ids::{MessageId, UserId};
use tim_proto::v1;

impl Tables<'_> {
    /// The stored message `msg_id` of `target` as `user` may see it, or the refusal:
    /// `not_found` when it is not a stored message of that conversation visible to the user,
    /// 10010 / 10007 for a group that is gone or that the user is not in.
    pub(super) fn locate(
        &self,
        app: AppId,
        user: &UserId,
        target: &Target,
        msg_id: &MessageId,
        not_found: i32,
    ) -> Result<Result<Located, Refusal>, StorageError> {
        let mut member = None;
        let key = match target {
            Target::C2c(peer) => c2c_key(app, user.as_str(), peer.as_str()),
            Target::Group(group) => {
                if let Err(refusal) = self.live_group(app, group)? {
                    return Ok(Err(refusal));
                }
                let Some(me) = self.member(app, group.as_str(), user.as_str())? else {
                    return Ok(Err(Refusal::new(
                        codes::ERR_SVR_GROUP_PERMISSION_DENY,
                        format!("{user} is not a member of group {group}"),
                    )));
                };
                member = Some(me);
                group_key(app, group.as_str())
            }
        };
        let missing = || {
            Ok(Err(Refusal::new(
                not_found,
                format!("message {msg_id} is not in this conversation"),
            )))
        };
        let Some((conv_no, _)) = self.convs.get(key.as_str())?.map(|v| v.value()) else {
            return missing();
        };
        let Some(seq) = find_in_conv(&self.conv_msg_ids, conv_no, msg_id.as_str(), user.as_str())?
        else {
            return missing();
        };
        let Some(bytes) = self.messages.get((conv_no, seq))? else {
            return missing();
        };
        let message: v1::Message = decode(bytes.value(), "message")?;
        if !visible_to(&message, user.as_str())
            || member.as_ref().is_some_and(|m| m.visible_from_seq > seq)
        {
            return missing();
        }
        Ok(Ok(Located {
            conv_no,
            seq,
            message,
            member,
        }))
    }

    /// Writes back the changed `message` and logs `kind` for every party who sees it.
    fn log_change(
        &mut self,
        app: AppId,
        target: &Target,
        kind: (u8, EventKind),
        located: Located,
    ) -> Result<Delivery, StorageError> {
        let Located {
            conv_no,
            seq,
            message,
            ..
        } = located;
        self.messages
            .insert((conv_no, seq), message.encode_to_vec().as_slice())?;
        let parties: Vec<(String, u64)> = match target {
            Target::C2c(_) => {
                let mut parties = vec![(message.sender.clone(), message.sender_tiny_id)];
                if message.conv_id != message.sender {
                    parties.push((message.conv_id.clone(), message.receiver_tiny_id));
                }
                parties
            }
            Target::Group(group) => self
                .all_members(app, group.as_str())?
                .into_iter()
                .filter(|m| m.visible_from_seq <= seq && visible_to(&message, &m.user_id))
                .map(|m| (m.user_id, m.tiny_id))
                .collect(),
        };
        let mut recipients = Vec::with_capacity(parties.len());
        for (user, tiny) in parties {
            let position = self.append_event(tiny, kind.0, conv_no, seq)?;
            recipients.push((user, position));
        }
        Ok(Delivery {
            app,
            kind: kind.1,
            message: Arc::new(message),
            recipients,
        })
    }

    pub(super) fn revoke(&mut self, revoke: RevokeWrite) -> Result<WriteOutcome, StorageError> {
        let RevokeWrite {
            app,
            revoker,
            target,
            msg_id,
            reason,
            now,
            window,
        } = revoke;
        let (not_found, too_late) = match &target {
            Target::C2c(_) => (
                codes::ERR_SDK_COMM_DATABASE_NOTFOUND,
                codes::ERR_SVR_MSG_REVOKE_TIME_LIMIT,
            ),
            Target::Group(_) => (
                codes::ERR_SVR_GROUP_REVOKE_MSG_NOT_FOUND,
                codes::ERR_SVR_GROUP_REVOKE_MSG_TIME_LIMIT,
            ),
        };
        let mut located = match self.locate(app, &revoker, &target, &msg_id, not_found)? {
            Ok(located) => located,
            Err(refusal) => return Ok(WriteOutcome::refused(refusal)),
        };
        let message = &mut located.message;
        if message.status == Some(MsgStatus::Revoked.value()) {
            return Ok(WriteOutcome::applied(Applied::Revoked(Box::new(
                located.message,
            ))));
        }
        if message.sender != revoker.as_str() {
            let allowed = located.member.as_ref().is_some_and(|m| {
                m.role == GroupMemberRole::Owner.value() || m.role == GroupMemberRole::Admin.value()
            });
            if !allowed {
                return match target {
                    Target::C2c(_) => refuse(
                        codes::ERR_SVR_GROUP_REVOKE_MSG_DENY,
                        format!(
                            "message {msg_id} was sent by {}: only its sender may revoke it",
                            message.sender
                        ),
                    ),
                    Target::Group(group) => refuse(
                        codes::ERR_SVR_GROUP_PERMISSION_DENY,
                        format!(
                            "only the sender, the owner or an admin of group {group} may revoke message {msg_id}"
                        ),
                    ),
                };
            }
        }
        if now > message.server_time.saturating_add(window) {
            return refuse(
                too_late,
                format!("message {msg_id} is older than the revoke window ({window} s)"),
            );
        }
        message.status = Some(MsgStatus::Revoked.value());
        revoker.as_str().clone_into(&mut message.revoker_user_id);
        if let Some(profile) = super::profiles::stored_profile(self.txn, app, revoker.as_str())? {
            message.revoker_nick_name = profile.nick_name;
            message.revoker_face_url = profile.face_url;
        }
        message.revoke_reason = reason;
        let delivery = self.log_change(
            app,
            &target,
            (EVENT_MESSAGE_REVOKED, EventKind::Revoked),
            located,
        )?;
        Ok(WriteOutcome {
            result: Ok(Applied::Revoked(Box::new((*delivery.message).clone()))),
            deliveries: vec![delivery],
            notices: Vec::new(),
        })
    }

    pub(super) fn modify(&mut self, modify: ModifyWrite) -> Result<WriteOutcome, StorageError> {
        let ModifyWrite {
            app,
            editor,
            target,
            msg_id,
            version,
            elems,
            cloud_custom_str,
        } = modify;
        let mut located = match self.locate(
            app,
            &editor,
            &target,
            &msg_id,
            codes::ERR_SDK_COMM_DATABASE_NOTFOUND,
        )? {
            Ok(located) => located,
            Err(refusal) => return Ok(WriteOutcome::refused(refusal)),
        };
        let message = &mut located.message;
        if message.sender != editor.as_str() {
            let code = match target {
                Target::C2c(_) => codes::ERR_SDK_INVALID_OPERATION,
                Target::Group(_) => codes::ERR_SVR_GROUP_PERMISSION_DENY,
            };
            return refuse(
                code,
                format!(
                    "message {msg_id} was sent by {}: only its sender may modify it",
                    message.sender
                ),
            );
        }
        if message.status == Some(MsgStatus::Revoked.value()) {
            return refuse(
                codes::ERR_SDK_INVALID_OPERATION,
                format!("message {msg_id} was revoked"),
            );
        }
        if message.version != version {
            return Ok(WriteOutcome::applied(Applied::Conflict(Box::new(
                located.message,
            ))));
        }
        if let Err(desc) = modifiable(&message.elems, &elems) {
            return refuse(codes::ERR_INVALID_MSG_ELEM, desc);
        }
        message.elems = elems;
        message.cloud_custom_str = cloud_custom_str;
        message.version = message.version.saturating_add(1);
        let delivery = self.log_change(
            app,
            &target,
            (EVENT_MESSAGE_MODIFIED, EventKind::Modified),
            located,
        )?;
        Ok(WriteOutcome {
            result: Ok(Applied::Modified(Box::new((*delivery.message).clone()))),
            deliveries: vec![delivery],
            notices: Vec::new(),
        })
    }
}

/// A stored message found by [`Tables::locate`].
pub(super) struct Located {
    pub(super) conv_no: u64,
    pub(super) seq: u64,
    /// Canonical.
    pub(super) message: v1::Message,
    /// The user's membership, for a group message.
    pub(super) member: Option<MemberRecord>,
}

/// Whether `new` may replace `stored`: same length and the same type at each position, and
/// only text, custom, location and face elements changed.
fn modifiable(stored: &[v1::Elem], new: &[v1::Elem]) -> Result<(), String> {
    use v1::elem::Body;
    if stored.len() != new.len() {
        return Err(format!(
            "message.elems: {} elements; a modification keeps the {} of the message",
            new.len(),
            stored.len()
        ));
    }
    for (index, (old, new)) in stored.iter().zip(new).enumerate() {
        if old == new {
            continue;
        }
        let same_kind = matches!(
            (&old.body, &new.body),
            (Some(Body::Text(_)), Some(Body::Text(_)))
                | (Some(Body::Custom(_)), Some(Body::Custom(_)))
                | (Some(Body::Location(_)), Some(Body::Location(_)))
                | (Some(Body::Face(_)), Some(Body::Face(_)))
        );
        if !same_kind {
            return Err(format!(
                "message.elems[{index}]: only text, custom, location and face elements can be changed, each keeping its type"
            ));
        }
    }
    Ok(())
}
