//! The profiles area of [`KvStorage`](super::KvStorage): each user's profile. Rules:
//! [`crate::profiles`].

use super::write::{Tables, refuse};
use super::{KvStorage, decode};
use crate::kv::{KvTxn, TableDefinition};
use crate::profiles::{ProfileReads, ProfileWrite, apply_item};
use crate::{AppId, Applied, StorageError, WriteOutcome};
use prost::Message as _;
use tim_model::ids::UserId;
use tim_proto::v1;

/// (app, user) → [`v1::UserProfile`].
const PROFILES: TableDefinition<(u64, &str), &[u8]> = TableDefinition::new("profiles");

/// The stored profile of `user`, if they ever set one.
pub(super) fn stored_profile(
    txn: &dyn KvTxn,
    app: AppId,
    user: &str,
) -> Result<Option<v1::UserProfile>, StorageError> {
    let table = txn.open_table(PROFILES)?;
    table
        .get((app, user))?
        .map(|bytes| decode(bytes.value(), "profile"))
        .transpose()
}

impl Tables<'_> {
    /// Applies a profile change and logs it for the user's devices.
    pub(super) fn profile(&mut self, write: ProfileWrite) -> Result<WriteOutcome, StorageError> {
        let ProfileWrite { app, user, item } = write;
        let current =
            stored_profile(self.txn, app, user.as_str())?.unwrap_or_else(|| v1::UserProfile {
                identifier: user.as_str().to_owned(),
                ..Default::default()
            });
        let profile = match apply_item(current, &item) {
            Ok(profile) => profile,
            Err((code, desc)) => return refuse(code, desc),
        };
        let mut table = self.txn.open_table(PROFILES)?;
        table.insert((app, user.as_str()), profile.encode_to_vec().as_slice())?;
        let (tiny, _) = self.ensure_user(app, user.as_str())?;
        let notice = self.log_notice(
            app,
            vec![(user.as_str().to_owned(), tiny)],
            v1::sync_event::Event::ProfileChanged(v1::ProfileChangedPush {
                cursor: 0,
                profile: Some(profile.clone()),
            }),
        )?;
        Ok(WriteOutcome {
            result: Ok(Applied::Profile(Box::new(profile))),
            deliveries: Vec::new(),
            notices: vec![notice],
        })
    }
}

impl ProfileReads for KvStorage {
    fn profiles(&self, app: AppId, users: &[UserId]) -> Result<Vec<v1::UserProfile>, StorageError> {
        self.read(|txn| {
            users
                .iter()
                .map(|user| {
                    Ok(stored_profile(txn, app, user.as_str())?.unwrap_or_else(|| {
                        v1::UserProfile {
                            identifier: user.as_str().to_owned(),
                            ..Default::default()
                        }
                    }))
                })
                .collect()
        })
    }
}
