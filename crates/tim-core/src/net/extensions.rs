//! Message extensions: TIMMsgSetMessageExtensions, TIMMsgGetMessageExtensions,
//! TIMMsgDeleteMessageExtensions, and the extension pushes.
//!
//! Decisions:
//! - The store keeps an extension cache per message: each key with its value and the version
//!   the server gave it, updated from set/delete answers, pushes, sync and get. A state never
//!   replaces a newer one (answers and pushes may come in either order), and deleted keys
//!   leave a tombstone at their last version for the same reason.
//! - A set sends each key with its cached version (0 when the key is not cached): the server
//!   applies it only when that is the key's current version. Otherwise that key's result is
//!   23001 (`ERR_SVR_MSG_EXTENSION_CONFLICT`) with the key's current state, which the cache
//!   takes, so that the app's retry succeeds unless someone changed the key again. So "set"
//!   is compare-and-swap against what this device last saw, not blind replace.
//! - Events come from the pushes only: every device of every party who can see the message
//!   (the caller's devices included, this one too) raises one `ExtensionsChanged` /
//!   `ExtensionsDeleted` per change, with only the keys that changed.
//! - Get asks the server and replaces the cache; when the network is down it answers the
//!   cached list.
//! - Delete with no keys deletes every key; a key that does not exist fails with 23004
//!   (`ERR_SVR_MSG_EXTENSION_NOT_EXIST`) in its own result, the others are deleted. Deletes
//!   are unconditional (no version check).
//! - The server decides the rules (party, `support_message_extension`, not revoked, limits):
//!   the client checks only the limits that need no state (key 1..=100 bytes, value <= 1 KB,
//!   1..=20 keys per set, <= 20 per delete).

use super::connection::{Request, Response};
use super::persist::blocking;
use super::session::{Session, unexpected};
use crate::client::Client;
use crate::error::{CoreError, Result};
use crate::events::Event;
use tim_model::{ConvId, Message, MessageExtension, MessageExtensionResult, codes, limits};
use tim_proto::v1 as wire;
use tim_proto::v1::sync_event;
use tim_store::{CachedExtension, Store};

fn cached(item: &wire::MessageExtension) -> CachedExtension {
    CachedExtension {
        key: item.key.clone(),
        value: item.value.clone(),
        version: item.version,
    }
}

fn message_id(message: &Message) -> Result<String> {
    message
        .msg_id
        .as_ref()
        .map(|id| id.as_str().to_owned())
        .ok_or_else(|| CoreError::invalid("message.message_msg_id: required"))
}

/// Applies per-key results of a set or delete to the cache.
fn apply_results(
    store: &Store,
    msg_id: &str,
    results: &[wire::MessageExtensionResult],
) -> Result<()> {
    let conflict = u32::try_from(codes::ERR_SVR_MSG_EXTENSION_CONFLICT).unwrap_or_default();
    let missing = u32::try_from(codes::ERR_SVR_MSG_EXTENSION_NOT_EXIST).unwrap_or_default();
    for result in results {
        let Some(item) = &result.item else {
            continue;
        };
        if result.code == 0 || (result.code == conflict && item.version > 0) {
            store.put_extensions(msg_id, &[cached(item)])?;
        } else if result.code == conflict || result.code == missing {
            // The key does not exist on the server.
            let version = store.extension_version(msg_id, &item.key)?;
            store.delete_extensions(msg_id, &[(item.key.clone(), version)])?;
        }
    }
    Ok(())
}

fn results_to_model(
    results: Vec<wire::MessageExtensionResult>,
) -> Result<Vec<MessageExtensionResult>> {
    results
        .into_iter()
        .map(|r| MessageExtensionResult::try_from(r).map_err(CoreError::from))
        .collect()
}

impl Client {
    /// `TIMMsgSetMessageExtensions`: sets `extensions` on `message` of `conv` (each key
    /// based on its cached version, see the module notes). Returns one result per key, in
    /// order: 0 with the key's new state, or 23001 with its current state.
    pub async fn set_message_extensions(
        &self,
        conv: &ConvId,
        message: &Message,
        extensions: Vec<MessageExtension>,
    ) -> Result<Vec<MessageExtensionResult>> {
        limits::validate_extensions(&extensions)?;
        let msg_id = message_id(message)?;
        let id = msg_id.clone();
        let items = self
            .with_engine(move |engine| {
                extensions
                    .into_iter()
                    .map(|e| {
                        let version = engine.store.extension_version(&id, &e.key)?;
                        Ok(wire::MessageExtension {
                            key: e.key,
                            value: e.value,
                            version,
                        })
                    })
                    .collect::<Result<Vec<_>>>()
            })
            .await?;
        let request = wire::SetExtensionsRequest {
            conversation: Some(conv.clone().into()),
            msg_id: msg_id.clone(),
            extensions: items,
        };
        let results = match self.request(Request::SetExtensions(request)).await? {
            Response::SetExtensions(response) => response.results,
            other => return Err(unexpected(&other)),
        };
        let applied = results.clone();
        self.with_engine(move |engine| apply_results(&engine.store, &msg_id, &applied))
            .await?;
        results_to_model(results)
    }

    /// `TIMMsgGetMessageExtensions`: every extension of `message` of `conv` from the server
    /// (which replaces the cache); the cached list when the network is down.
    pub async fn get_message_extensions(
        &self,
        conv: &ConvId,
        message: &Message,
    ) -> Result<Vec<MessageExtension>> {
        let msg_id = message_id(message)?;
        let request = wire::GetExtensionsRequest {
            conversation: Some(conv.clone().into()),
            msg_id: msg_id.clone(),
        };
        match self.request(Request::GetExtensions(request)).await {
            Ok(Response::GetExtensions(response)) => {
                let items: Vec<CachedExtension> = response.extensions.iter().map(cached).collect();
                self.with_engine(move |engine| {
                    Ok(engine.store.replace_extensions(&msg_id, &items)?)
                })
                .await?;
                response
                    .extensions
                    .into_iter()
                    .map(|e| MessageExtension::try_from(e).map_err(CoreError::from))
                    .collect()
            }
            Ok(other) => Err(unexpected(&other)),
            Err(error) if error.is_network() => self.cached_message_extensions(message).await,
            Err(error) => Err(error),
        }
    }

    /// The extensions of `message` in this device's cache (no network).
    pub async fn cached_message_extensions(
        &self,
        message: &Message,
    ) -> Result<Vec<MessageExtension>> {
        let msg_id = message_id(message)?;
        let cached = self
            .with_engine(move |engine| Ok(engine.store.extensions(&msg_id)?))
            .await?;
        Ok(cached
            .into_iter()
            .map(|c| MessageExtension {
                key: c.key,
                value: c.value,
            })
            .collect())
    }

    /// `TIMMsgDeleteMessageExtensions`: deletes `keys` of `message` of `conv` (none: every
    /// key). Returns one result per key: 0 with the key's last state, or 23004 when it did
    /// not exist.
    pub async fn delete_message_extensions(
        &self,
        conv: &ConvId,
        message: &Message,
        keys: Vec<String>,
    ) -> Result<Vec<MessageExtensionResult>> {
        limits::validate_extension_keys(&keys)?;
        let msg_id = message_id(message)?;
        let request = wire::DeleteExtensionsRequest {
            conversation: Some(conv.clone().into()),
            msg_id: msg_id.clone(),
            keys,
        };
        let results = match self.request(Request::DeleteExtensions(request)).await? {
            Response::DeleteExtensions(response) => response.results,
            other => return Err(unexpected(&other)),
        };
        let applied = results.clone();
        self.with_engine(move |engine| {
            let gone: Vec<(String, u64)> = applied
                .iter()
                .filter_map(|r| r.item.as_ref().map(|item| (r.code, item)))
                .filter(|(code, _)| {
                    *code == 0
                        || i64::from(*code) == i64::from(codes::ERR_SVR_MSG_EXTENSION_NOT_EXIST)
                })
                .map(|(_, item)| {
                    let version = if item.version > 0 {
                        item.version
                    } else {
                        engine.store.extension_version(&msg_id, &item.key)?
                    };
                    Ok((item.key.clone(), version))
                })
                .collect::<Result<_>>()?;
            engine.store.delete_extensions(&msg_id, &gone)?;
            Ok(())
        })
        .await?;
        results_to_model(results)
    }
}

impl Session {
    /// Applies a logged event of this area (push or sync), in log order: updates the cache
    /// and raises the event.
    pub(crate) async fn extension_notice(&mut self, event: sync_event::Event) -> Result<()> {
        match event {
            sync_event::Event::ExtensionsChanged(push) => {
                let items: Vec<CachedExtension> = push.extensions.iter().map(cached).collect();
                let msg_id = push.msg_id.clone();
                blocking(&self.ctx.engine, move |engine| {
                    Ok(engine.store.put_extensions(&msg_id, &items)?)
                })
                .await?;
                let extensions = push
                    .extensions
                    .into_iter()
                    .map(|e| MessageExtension {
                        key: e.key,
                        value: e.value,
                    })
                    .collect();
                self.ctx.shared.events.emit(&Event::ExtensionsChanged {
                    msg_id: push.msg_id,
                    extensions,
                });
            }
            sync_event::Event::ExtensionsDeleted(push) => {
                let keys: Vec<(String, u64)> = push
                    .keys
                    .iter()
                    .enumerate()
                    .map(|(index, key)| {
                        (key.clone(), push.versions.get(index).copied().unwrap_or(0))
                    })
                    .collect();
                let msg_id = push.msg_id.clone();
                blocking(&self.ctx.engine, move |engine| {
                    Ok(engine.store.delete_extensions(&msg_id, &keys)?)
                })
                .await?;
                self.ctx.shared.events.emit(&Event::ExtensionsDeleted {
                    msg_id: push.msg_id,
                    keys: push.keys,
                });
            }
            _ => {}
        }
        Ok(())
    }
}
