//! The conversation list on the device: rows read from the store (state, last message) and
//! the `blobs` records the engine keeps (attributes synced from the server, drafts, known
//! profiles), and the writes of those records.

use super::list::{self, ConvRow};
use crate::engine::Engine;
use crate::error::Result;
use prost::Message as _;
use std::collections::{BTreeMap, BTreeSet};
use tim_model::{
    ConvId, ConvInfo, ConversationListFilter, ConversationListResult, Draft, UserProfile,
};
use tim_proto::v1 as wire;
use tim_store::{Anchor, Direction, PageQuery};

/// Prefix of the attribute records (`conv_attrs/<c2c_…|group_…>`).
const ATTRS: &str = "conv_attrs/";
/// The conversation-group names and their version.
const GROUPS: &str = "conv_groups";
/// Prefix of the drafts.
const DRAFTS: &str = "draft/";
/// Prefix of the known profiles.
const PROFILES: &str = "profile/";

/// What applying attributes changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The conversations whose attributes changed.
    pub convs: Vec<ConvId>,
    /// Whether the group names changed.
    pub groups: bool,
}

fn conv_of(wire: Option<&wire::ConversationId>) -> Option<ConvId> {
    wire.and_then(|c| ConvId::try_from(c.clone()).ok())
}

/// The engine's records of some conversations, by conversation key (`c2c_…`/`group_…`) and,
/// for profiles, by user ID.
#[derive(Default)]
struct Records {
    attrs: BTreeMap<String, wire::ConversationAttrs>,
    drafts: BTreeMap<String, Draft>,
    profiles: BTreeMap<String, UserProfile>,
}

fn decode_attrs(bytes: &[u8]) -> Option<wire::ConversationAttrs> {
    wire::ConversationAttrs::decode(bytes).ok()
}

fn decode_json<T: tim_model::json::JsonValue>(bytes: &[u8]) -> Option<T> {
    tim_model::json::from_str(&String::from_utf8_lossy(bytes)).ok()
}

impl Engine {
    /// Every record under `prefix`, decoded, by the rest of its key (undecodable ones left out).
    fn records_under<T>(
        &self,
        prefix: &str,
        decode: impl Fn(&[u8]) -> Option<T>,
    ) -> Result<BTreeMap<String, T>> {
        Ok(self
            .store
            .blobs_with_prefix(prefix)?
            .into_iter()
            .filter_map(|(key, bytes)| Some((key[prefix.len()..].to_owned(), decode(&bytes)?)))
            .collect())
    }

    /// Every record (the whole list is being read).
    fn all_records(&self) -> Result<Records> {
        Ok(Records {
            attrs: self.records_under(ATTRS, decode_attrs)?,
            drafts: self.records_under(DRAFTS, decode_json::<Draft>)?,
            profiles: self.records_under(PROFILES, decode_json::<UserProfile>)?,
        })
    }

    /// The records of `conv` alone (one conversation is being read).
    fn records_of(&self, conv: &ConvId) -> Result<Records> {
        let key = conv.to_string();
        let mut records = Records::default();
        if let Some(attrs) = self
            .store
            .blob(&format!("{ATTRS}{key}"))?
            .and_then(|b| decode_attrs(&b))
        {
            records.attrs.insert(key.clone(), attrs);
        }
        if let Some(draft) = self
            .store
            .blob(&format!("{DRAFTS}{key}"))?
            .and_then(|b| decode_json(&b))
        {
            records.drafts.insert(key, draft);
        }
        if let ConvId::C2c(peer) = conv
            && let Some(profile) = self.known_profile(peer.as_str())?
        {
            records.profiles.insert(peer.as_str().to_owned(), profile);
        }
        Ok(records)
    }

    /// The profile of `user` the device knows (from profile reads and its own changes).
    pub fn known_profile(&self, user: &str) -> Result<Option<UserProfile>> {
        Ok(self
            .store
            .blob(&format!("{PROFILES}{user}"))?
            .and_then(|bytes| decode_json(&bytes)))
    }

    /// Remembers `profiles` (the list shows peers' nicknames and avatars from them).
    pub fn remember_profiles(&self, profiles: &[UserProfile]) -> Result<()> {
        let changes: Vec<(String, Option<Vec<u8>>)> = profiles
            .iter()
            .map(|p| {
                (
                    format!("{PROFILES}{}", p.identifier),
                    Some(tim_model::json::to_string(p).into_bytes()),
                )
            })
            .collect();
        Ok(self.store.put_blobs(&changes)?)
    }

    fn row(
        &self,
        conv: ConvId,
        state: tim_store::ConversationState,
        records: &Records,
    ) -> Result<ConvRow> {
        let key = conv.to_string();
        let last = match &state.last_message {
            Some(id) => self.store.get_messages(std::slice::from_ref(id))?.pop(),
            None => None,
        };
        let at_infos = match &conv {
            ConvId::Group(_) if state.unread_count > 0 => {
                // The newest messages cover the unread ones (own messages may sit between).
                let count =
                    usize::try_from(state.unread_count.saturating_add(20).min(200)).unwrap_or(200);
                let query = PageQuery::new(Anchor::Newest, Direction::Older, count);
                let page = self.store.page(&conv, &query)?;
                list::group_at_infos(&page, self.user.as_str(), state.read_seq.0)
            }
            _ => Vec::new(),
        };
        let peer = match &conv {
            ConvId::C2c(peer) => match last.as_ref().and_then(|m| m.sender_profile.clone()) {
                Some(profile) if profile.identifier == peer.as_str() => Some(profile),
                _ => records.profiles.get(peer.as_str()).cloned(),
            },
            ConvId::Group(_) => None,
        };
        Ok(ConvRow {
            conv: Some(conv),
            state,
            last,
            attrs: records.attrs.get(&key).cloned().unwrap_or_default(),
            draft: records.drafts.get(&key).cloned(),
            peer,
            at_infos,
        })
    }

    /// Every conversation the device knows, shown or not.
    pub fn conversation_rows(&self) -> Result<Vec<ConvRow>> {
        let records = self.all_records()?;
        let mut seen = BTreeSet::new();
        let mut rows = Vec::new();
        for (conv, state) in self.store.conversations()? {
            seen.insert(conv.to_string());
            rows.push(self.row(conv, state, &records)?);
        }
        for key in records.drafts.keys() {
            if !seen.contains(key)
                && let Ok(conv) = ConvId::parse_prefixed(key)
            {
                rows.push(self.row(conv, Default::default(), &records)?);
            }
        }
        Ok(rows)
    }

    /// The conversation list (`TIMConvGetConvList`): the shown conversations in list order.
    pub fn conversation_list(&self) -> Result<Vec<ConvInfo>> {
        Ok(list::ordered(self.conversation_rows()?)
            .iter()
            .map(ConvRow::info)
            .collect())
    }

    /// One page of the conversations passing `filter` (`TIMConvGetConversationListByFilter`):
    /// from position `next_seq` (0 first), `count` long (0: all the rest).
    pub fn conversations_by_filter(
        &self,
        filter: &ConversationListFilter,
        next_seq: u64,
        count: u32,
    ) -> Result<ConversationListResult> {
        let infos: Vec<ConvInfo> = self
            .conversation_list()?
            .into_iter()
            .filter(|info| list::matches(filter, info))
            .collect();
        Ok(list::page(infos, next_seq, count))
    }

    /// The unread total of the shown conversations, or of those passing `filter`
    /// (`TIMConvGetTotalUnreadMessageCount`, `TIMConvGetUnreadMessageCountByFilter`).
    pub fn unread_total(&self, filter: Option<&ConversationListFilter>) -> Result<u64> {
        Ok(list::unread_total(&self.conversation_list()?, filter))
    }

    /// The unread total of each of `filters`, from one read of the list (the unread
    /// subscriptions of `TIMConvSubscribeUnreadMessageCountByFilter`).
    pub fn unread_totals(&self, filters: &[ConversationListFilter]) -> Result<Vec<u64>> {
        let infos = self.conversation_list()?;
        Ok(filters
            .iter()
            .map(|filter| list::unread_total(&infos, Some(filter)))
            .collect())
    }

    /// What `conv` shows, `None` when it does not show (unknown or deleted). Reads only this
    /// conversation's records.
    pub fn conversation_info(&self, conv: &ConvId) -> Result<Option<ConvInfo>> {
        let records = self.records_of(conv)?;
        let state = self.store.conversation(conv)?;
        if state.is_none() && records.drafts.is_empty() {
            return Ok(None);
        }
        let row = self.row(conv.clone(), state.unwrap_or_default(), &records)?;
        Ok(row.visible().then(|| row.info()))
    }

    /// What each of `convs` that shows shows, in the order asked (`TIMConvGetConvInfo`; unknown
    /// and deleted ones are left out).
    pub fn conversation_infos(&self, convs: &[ConvId]) -> Result<Vec<ConvInfo>> {
        let mut infos = Vec::with_capacity(convs.len());
        for conv in convs {
            infos.extend(self.conversation_info(conv)?);
        }
        Ok(infos)
    }

    /// `TIMConvCreate`: makes `conv` known (it shows, with no messages, until deleted).
    pub fn create_conversation(&self, conv: &ConvId) -> Result<ConvInfo> {
        self.store.ensure_conversation(conv)?;
        let records = self.records_of(conv)?;
        let state = self.store.conversation(conv)?.unwrap_or_default();
        Ok(self.row(conv.clone(), state, &records)?.info())
    }

    /// `TIMConvSetDraft` (`Some`) and `TIMConvCancelDraft` (`None`): drafts stay on the
    /// device.
    pub fn set_draft(&self, conv: &ConvId, draft: Option<&Draft>) -> Result<()> {
        let value = draft.map(|d| tim_model::json::to_string(d).into_bytes());
        Ok(self
            .store
            .put_blobs(&[(format!("{DRAFTS}{conv}"), value)])?)
    }

    /// The conversation-group names, in creation order.
    pub fn conversation_group_names(&self) -> Result<Vec<String>> {
        Ok(self
            .store
            .blob(GROUPS)?
            .and_then(|bytes| wire::ConversationUserState::decode(bytes.as_slice()).ok())
            .map(|state| state.group_names)
            .unwrap_or_default())
    }

    /// Applies attributes and group names from the server, each only when newer than what the
    /// device holds (a change that arrives twice, as answer and as push, applies once).
    pub(crate) fn apply_conversation_attrs(
        &self,
        attrs: &[wire::ConversationAttrs],
        group_names: &[String],
        version: u64,
    ) -> Result<Applied> {
        let current = self.records_under(ATTRS, decode_attrs)?;
        let mut changes = Vec::new();
        let mut applied = Applied::default();
        for incoming in attrs {
            let Some(conv) = conv_of(incoming.conversation.as_ref()) else {
                continue;
            };
            let key = conv.to_string();
            let newer = current
                .get(&key)
                .is_none_or(|held| incoming.version > held.version);
            if newer {
                changes.push((format!("{ATTRS}{key}"), Some(incoming.encode_to_vec())));
                applied.convs.push(conv);
            }
        }
        let held = self
            .store
            .blob(GROUPS)?
            .and_then(|bytes| wire::ConversationUserState::decode(bytes.as_slice()).ok())
            .unwrap_or_default();
        if version > held.version {
            let state = wire::ConversationUserState {
                group_names: group_names.to_vec(),
                version,
            };
            applied.groups = held.group_names != state.group_names;
            changes.push((GROUPS.to_owned(), Some(state.encode_to_vec())));
        }
        if !changes.is_empty() {
            self.store.put_blobs(&changes)?;
        }
        Ok(applied)
    }
}
