//! Applying what the server tells: pushes and sync batches become store writes (messages once
//! by ID, with the cursor in the same transaction), then events.
//!
//! Decisions:
//! - New-message events are raised only for messages the store did not have, so a device
//!   never announces its own just-sent message (it stored it before sending) nor a message it
//!   already got by push when a sync brings it again.
//! - Online-only messages (cursor 0) are announced but not stored, as Tencent's SDK does not
//!   store them either; the sender's own copy is the one it stored when sending.
//! - A push beyond the next cursor position is not applied: the device syncs from its cursor,
//!   which returns the missed events and that one in order.

use super::connection::{Conn, Request, Response};
use super::cursor::{PushStep, order_by_seq_per_conversation};
use super::persist::blocking;
use super::session::{End, Session, unexpected};
use crate::error::Result;
use crate::events::Event;
use tim_model::{ConvId, Message, RevokeInfo};
use tim_proto::v1::{self as wire, SyncRequest, sync_event};

/// Sync rounds after which a sync stops even if the server still says `has_more`.
const MAX_SYNC_ROUNDS: usize = 100_000;
/// After the server's log no longer reached the cursor: conversations refreshed from history
/// and the messages pulled for each.
const REFRESH_CONVERSATIONS: usize = 100;
const REFRESH_PAGE: u32 = 20;

/// One logged event, decoded.
enum Logged {
    NewMessage(ConvId, Message),
    Revoked(RevokeInfo),
    Modified(ConvId, Message),
    /// Any other logged event (read state, extensions, cloud deletes), handled by its area.
    Notice(sync_event::Event),
    /// Nothing this client can apply (undecodable).
    Other,
}

impl Session {
    /// Applies one push; `Some` when it ends the connected phase.
    pub(crate) async fn on_push(&mut self, conn: &Conn, body: Response) -> Option<End> {
        let (cursor, logged) = match body {
            Response::NewMessage(push) => match decode_message(push.message) {
                Some((conv, message)) => (push.cursor, Logged::NewMessage(conv, message)),
                None => (push.cursor, Logged::Other),
            },
            Response::MessageRevoked(push) => (push.cursor, decode_revoke(push.info)),
            Response::MessageModified(push) => match decode_message(push.message) {
                Some((conv, message)) => (push.cursor, Logged::Modified(conv, message)),
                None => (push.cursor, Logged::Other),
            },
            Response::ReadReceipts(push) => (
                push.cursor,
                Logged::Notice(sync_event::Event::ReadReceipts(push)),
            ),
            Response::ConversationRead(push) => (
                push.cursor,
                Logged::Notice(sync_event::Event::ConversationRead(push)),
            ),
            Response::ExtensionsChanged(push) => (
                push.cursor,
                Logged::Notice(sync_event::Event::ExtensionsChanged(push)),
            ),
            Response::ExtensionsDeleted(push) => (
                push.cursor,
                Logged::Notice(sync_event::Event::ExtensionsDeleted(push)),
            ),
            Response::MessagesDeleted(push) => (
                push.cursor,
                Logged::Notice(sync_event::Event::MessagesDeleted(push)),
            ),
            Response::HistoryCleared(push) => (
                push.cursor,
                Logged::Notice(sync_event::Event::HistoryCleared(push)),
            ),
            Response::ConversationsChanged(push) => (
                push.cursor,
                Logged::Notice(sync_event::Event::ConversationsChanged(push)),
            ),
            Response::ProfileChanged(push) => (
                push.cursor,
                Logged::Notice(sync_event::Event::ProfileChanged(push)),
            ),
            Response::KickedOffline(_) => {
                self.ctx.shared.events.emit(&Event::KickedOffline);
                return Some(End::Stop);
            }
            Response::UserSigExpired(_) => {
                self.ctx.shared.events.emit(&Event::UserSigExpired);
                return Some(End::Stop);
            }
            // A push this client does not know.
            _ => return None,
        };
        let outcome = match self.cursor.on_push(cursor) {
            PushStep::OnlineOnly => match logged {
                Logged::NewMessage(_, message) => self.online_only(message).await,
                _ => Ok(()),
            },
            PushStep::Apply { advance } => {
                let next = advance.then_some(cursor);
                let applied = self.apply(vec![logged], next).await;
                if applied.is_ok()
                    && let Some(next) = next
                {
                    self.cursor.set(next);
                }
                applied
            }
            PushStep::Sync => self.sync(conn).await,
        };
        outcome.err().and_then(|err| self.on_failure(err))
    }

    /// Fetches and applies the events after the cursor until the server has no more.
    pub(crate) async fn sync(&mut self, conn: &Conn) -> Result<()> {
        let mut expired = false;
        for _ in 0..MAX_SYNC_ROUNDS {
            let request = Request::Sync(SyncRequest {
                cursor: self.cursor.cursor(),
                max_events: 0,
            });
            let response = match conn.request(request).await? {
                Response::Sync(response) => response,
                other => return Err(unexpected(&other)),
            };
            if response.cursor_expired {
                tracing::warn!(
                    "tim sync: the server's event log no longer reaches cursor {}; \
                     refreshing the conversations from history",
                    self.cursor.cursor()
                );
                expired = true;
            }
            let events = response
                .events
                .into_iter()
                .filter_map(|event| event.event)
                .map(decode_sync_event)
                .collect();
            self.apply(events, Some(response.next_cursor)).await?;
            self.cursor.set(response.next_cursor);
            if !response.has_more {
                break;
            }
        }
        if expired {
            self.refresh_from_history(conn).await?;
        }
        Ok(())
    }

    /// After events were lost (the server trimmed its log past this device's cursor): pulls
    /// the newest page of the conversations the device knows (at most
    /// [`REFRESH_CONVERSATIONS`]) and applies it as synced messages (new ones are announced). Conversations the
    /// device never heard of and whose every event was trimmed are not found this way; they
    /// show up with their next message.
    async fn refresh_from_history(&mut self, conn: &Conn) -> Result<()> {
        let conversations = blocking(&self.ctx.engine, |engine| {
            engine.known_conversations(REFRESH_CONVERSATIONS)
        })
        .await?;
        for conv in conversations {
            let request = Request::PullHistory(wire::PullHistoryRequest {
                conversation: Some(conv.clone().into()),
                begin_seq: 0,
                end_seq: 0,
                max_count: REFRESH_PAGE,
                backward: true,
            });
            let response = match conn.request(request).await? {
                Response::PullHistory(response) => response,
                // A conversation the user may no longer read (a group they left).
                Response::Error(_) => continue,
                other => return Err(unexpected(&other)),
            };
            let messages: Vec<Logged> = response
                .messages
                .into_iter()
                .filter_map(|message| decode_message(Some(message)))
                .map(|(_, message)| Logged::NewMessage(conv.clone(), message))
                .collect();
            self.apply(messages, None).await?;
        }
        Ok(())
    }

    /// Stores the events' messages with the new cursor (one transaction), applies revokes and
    /// modifications, then raises the events.
    async fn apply(&mut self, events: Vec<Logged>, cursor: Option<u64>) -> Result<()> {
        let mut messages = Vec::new();
        let mut changes = Vec::new();
        for event in events {
            match event {
                Logged::NewMessage(conv, message) => messages.push((conv, message)),
                Logged::Other => {}
                change => changes.push(change),
            }
        }
        let new = blocking(&self.ctx.engine, move |engine| {
            engine.store_received(messages, &[], cursor)
        })
        .await?;
        if !new.is_empty() {
            let ordered = order_by_seq_per_conversation(new);
            self.ctx.shared.events.emit(&Event::NewMessages(ordered));
        }
        for change in changes {
            match change {
                Logged::Revoked(info) => self.revoked(info).await?,
                Logged::Modified(conv, message) => self.modified(conv, message).await?,
                Logged::Notice(event) => self.notice(event).await?,
                Logged::NewMessage(..) | Logged::Other => {}
            }
        }
        Ok(())
    }

    /// Applies a logged event of a lifecycle area, in log order with the other changes.
    async fn notice(&mut self, event: sync_event::Event) -> Result<()> {
        use sync_event::Event as E;
        match event {
            E::ReadReceipts(_) | E::ConversationRead(_) => self.read_state_notice(event).await,
            E::ExtensionsChanged(_) | E::ExtensionsDeleted(_) => self.extension_notice(event).await,
            E::MessagesDeleted(_) | E::HistoryCleared(_) => self.delete_notice(event).await,
            // Message events are decoded as such, never as notices.
            E::NewMessage(_) | E::MessageRevoked(_) | E::MessageModified(_) => Ok(()),
            E::ConversationsChanged(_) | E::ProfileChanged(_) => {
                self.conversation_notice(event).await
            }
        }
    }

    async fn online_only(&mut self, message: Message) -> Result<()> {
        let Some(id) = message.msg_id.clone() else {
            return Ok(());
        };
        let known = blocking(&self.ctx.engine, move |engine| engine.has_message(&id)).await?;
        if !known {
            self.ctx
                .shared
                .events
                .emit(&Event::NewMessages(vec![message]));
        }
        Ok(())
    }

    async fn revoked(&mut self, info: RevokeInfo) -> Result<()> {
        if let Ok(conv) = ConvId::new(info.locator.conv_type, &info.locator.conv_id) {
            let revoke = info.clone();
            blocking(&self.ctx.engine, move |engine| {
                engine.mark_revoked_at(&conv, &revoke)
            })
            .await?;
        }
        self.ctx.shared.events.emit(&Event::MessageRevoked(info));
        Ok(())
    }

    async fn modified(&mut self, conv: ConvId, message: Message) -> Result<()> {
        let current = blocking(&self.ctx.engine, move |engine| {
            engine.apply_modification(&conv, message)
        })
        .await?;
        self.ctx
            .shared
            .events
            .emit(&Event::MessageModified(current));
        Ok(())
    }
}

/// The model message and its conversation (from this user's view), or `None` (logged) when
/// the server sent something undecodable.
pub(crate) fn decode_message(message: Option<wire::Message>) -> Option<(ConvId, Message)> {
    let decoded = Message::try_from(message?)
        .map_err(|err| err.to_string())
        .and_then(|message| {
            ConvId::new(message.conv_type, &message.conv_id)
                .map(|conv| (conv, message))
                .map_err(|err| err.to_string())
        });
    match decoded {
        Ok(pair) => Some(pair),
        Err(err) => {
            tracing::warn!("tim: undecodable message from the server skipped: {err}");
            None
        }
    }
}

fn decode_revoke(info: Option<wire::RevokeInfo>) -> Logged {
    match info.map(RevokeInfo::try_from) {
        Some(Ok(info)) => Logged::Revoked(info),
        Some(Err(err)) => {
            tracing::warn!("tim: undecodable revoke skipped: {err}");
            Logged::Other
        }
        None => Logged::Other,
    }
}

fn decode_sync_event(event: sync_event::Event) -> Logged {
    match event {
        sync_event::Event::NewMessage(push) => match decode_message(push.message) {
            Some((conv, message)) => Logged::NewMessage(conv, message),
            None => Logged::Other,
        },
        sync_event::Event::MessageRevoked(push) => decode_revoke(push.info),
        sync_event::Event::MessageModified(push) => match decode_message(push.message) {
            Some((conv, message)) => Logged::Modified(conv, message),
            None => Logged::Other,
        },
        other => Logged::Notice(other),
    }
}
