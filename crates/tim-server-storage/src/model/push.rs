//! The push area of [`KvStorage`](super::KvStorage): each device's offline push token.

use super::write::Tables;
use super::{KvStorage, decode};
use crate::kv::TableDefinition;
use crate::push::{PushReads, PushTokenRecord, PushWrite};
use crate::{AppId, Applied, StorageError, WriteOutcome};
use prost::Message as _;
use tim_model::ids::UserId;

/// (app, user, device ID) → (TIMPlatform, prost-encoded `OfflinePushToken`).
const PUSH_TOKENS: TableDefinition<(u64, &str, &str), (i32, &[u8])> =
    TableDefinition::new("push_tokens");

/// (app, user, device ID) → when the token was set, as the user's set counter (1 for the
/// first, then one more than the user's newest). A token without an entry (stored before
/// these were kept) counts as set at 0, the oldest.
const PUSH_TOKEN_SET_ORDER: TableDefinition<(u64, &str, &str), u64> =
    TableDefinition::new("push_token_set_order");

/// Most tokens read for one user (devices are few; this bounds a corrupt or hostile table).
const MAX_TOKENS_PER_USER: usize = 1024;

impl Tables<'_> {
    /// Applies one write of the area.
    pub(super) fn push(&mut self, write: PushWrite) -> Result<WriteOutcome, StorageError> {
        match write {
            PushWrite::SetToken {
                app,
                user,
                device_id,
                platform,
                token,
                max_tokens,
            } => {
                let mut tokens = self.txn.open_table(PUSH_TOKENS)?;
                let mut order = self.txn.open_table(PUSH_TOKEN_SET_ORDER)?;
                let key = (app, user.as_str(), device_id.as_str());
                match token {
                    Some(token) => {
                        let bytes = token.encode_to_vec();
                        tokens.insert(key, (platform, bytes.as_slice()))?;
                        let mut held = Vec::new();
                        for entry in tokens.range((app, user.as_str(), "")..)? {
                            let (stored, _) = entry?;
                            let (key_app, key_user, device) = stored.value();
                            if key_app != app || key_user != user.as_str() {
                                break;
                            }
                            let set = order
                                .get((app, user.as_str(), device))?
                                .map_or(0, |set| set.value());
                            held.push((set, device.to_owned()));
                        }
                        let newest = held.iter().map(|(set, _)| *set).max().unwrap_or(0);
                        let now = newest.saturating_add(1);
                        order.insert(key, now)?;
                        // The oldest first (ties: by device ID); the one just set is newest.
                        for (set, device) in &mut held {
                            if *device == device_id {
                                *set = now;
                            }
                        }
                        held.sort();
                        let excess = held.len().saturating_sub(max_tokens.max(1));
                        for (_, device) in held.iter().take(excess) {
                            let old = (app, user.as_str(), device.as_str());
                            tokens.remove(old)?;
                            order.remove(old)?;
                        }
                    }
                    None => {
                        tokens.remove(key)?;
                        order.remove(key)?;
                    }
                }
                Ok(WriteOutcome::applied(Applied::Done))
            }
        }
    }
}

impl PushReads for KvStorage {
    fn push_tokens(&self, app: AppId, user: &UserId) -> Result<Vec<PushTokenRecord>, StorageError> {
        self.read(|txn| {
            let tokens = txn.open_table(PUSH_TOKENS)?;
            let user = user.as_str();
            let mut records = Vec::new();
            for entry in tokens.range((app, user, "")..)? {
                let (key, value) = entry?;
                let (key_app, key_user, device_id) = key.value();
                if key_app != app || key_user != user || records.len() >= MAX_TOKENS_PER_USER {
                    break;
                }
                let (platform, bytes) = value.value();
                records.push(PushTokenRecord {
                    device_id: device_id.to_owned(),
                    platform,
                    token: decode(bytes, "push token")?,
                });
            }
            Ok(records)
        })
    }
}
