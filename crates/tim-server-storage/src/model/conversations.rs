//! The conversations area of [`KvStorage`](super::KvStorage): each user's conversation
//! attributes and conversation groups. Rules: [`crate::conversations`].

use super::write::Tables;
use super::{KvStorage, c2c_key, decode, group_key};
use crate::conversations::{
    ConvApplied, ConvTarget, ConvWrite, ConversationReads, MAX_ATTRIBUTED, MAX_GROUPS,
    MAX_PER_GROUP, apply_change, attributed_limit, check_group_name, group_kind, is_attributed,
};
use crate::kv::{KvTxn, TableDefinition};
use crate::{AppId, Applied, StorageError, WriteOutcome};
use prost::Message as _;
use std::collections::BTreeMap;
use tim_model::codes;
use tim_model::ids::UserId;
use tim_proto::v1;
use v1::update_conversations_request::Change;

/// (app, user, `c2c_<user>`/`group_<group>`) → [`v1::ConversationAttrs`].
const CONV_ATTRS: TableDefinition<(u64, &str, &str), &[u8]> = TableDefinition::new("conv_attrs");
/// (app, user) → [`v1::ConversationUserState`]: group names and the change counter.
const CONV_USERS: TableDefinition<(u64, &str), &[u8]> = TableDefinition::new("conv_users");

/// The wire form of a `c2c_<user>`/`group_<group>` ID.
fn wire_of(id: &str) -> v1::ConversationId {
    match id.strip_prefix("c2c_") {
        Some(user) => v1::ConversationId {
            conv_type: 1,
            conv_id: user.to_owned(),
        },
        None => v1::ConversationId {
            conv_type: 2,
            conv_id: id.strip_prefix("group_").unwrap_or(id).to_owned(),
        },
    }
}

/// Everything of one user's conversations, read in the write transaction.
struct UserConversations {
    state: v1::ConversationUserState,
    attrs: BTreeMap<String, v1::ConversationAttrs>,
}

fn load(txn: &dyn KvTxn, app: AppId, user: &str) -> Result<UserConversations, StorageError> {
    let users = txn.open_table(CONV_USERS)?;
    let state = match users.get((app, user))? {
        Some(bytes) => decode(bytes.value(), "conversation user state")?,
        None => v1::ConversationUserState::default(),
    };
    let table = txn.open_table(CONV_ATTRS)?;
    let mut attrs = BTreeMap::new();
    for entry in table.range::<(u64, &str, &str)>((app, user, "")..)? {
        let (key, value) = entry?;
        let (entry_app, entry_user, id) = key.value();
        if entry_app != app || entry_user != user {
            break;
        }
        attrs.insert(
            id.to_owned(),
            decode::<v1::ConversationAttrs>(value.value(), "conversation attributes")?,
        );
    }
    Ok(UserConversations { state, attrs })
}

/// A refused conversation's result.
fn result(
    target: &v1::ConversationId,
    outcome: Result<(), (i32, String)>,
) -> v1::ConversationResult {
    let (code, desc) = outcome.err().unwrap_or((0, String::new()));
    v1::ConversationResult {
        conversation: Some(target.clone()),
        code,
        desc,
    }
}

impl Tables<'_> {
    /// The newest seq of the conversation `id` of `user` (0 when it has no message).
    fn newest_seq(&self, app: AppId, user: &str, id: &str) -> Result<u64, StorageError> {
        let key = match id.strip_prefix("c2c_") {
            Some(peer) => c2c_key(app, user, peer),
            None => group_key(app, id.strip_prefix("group_").unwrap_or(id)),
        };
        Ok(self.convs.get(key.as_str())?.map_or(0, |v| v.value().1))
    }

    /// Applies one change of the area.
    pub(super) fn conversations(&mut self, write: ConvWrite) -> Result<WriteOutcome, StorageError> {
        let ConvWrite {
            app,
            user,
            targets,
            change,
            now_ms,
        } = write;
        let mut mine = load(self.txn, app, user.as_str())?;
        let version = mine.state.version.saturating_add(1);
        let mut touched = Vec::new();
        let mut results = Vec::with_capacity(targets.len());
        let mut group_change = None;
        if let Change::Group(op) = &change {
            match group_op(&mut mine, op, &targets) {
                Ok((changed, list_change)) => {
                    results.extend(targets.iter().map(|t| result(&t.wire, Ok(()))));
                    touched = changed;
                    group_change = Some(list_change);
                }
                Err((code, desc)) => {
                    return Ok(WriteOutcome::refused(crate::Refusal::new(code, desc)));
                }
            }
        } else {
            for target in &targets {
                let pinned = mine
                    .attrs
                    .iter()
                    .filter(|(id, a)| a.pinned && **id != target.id)
                    .count();
                let attributed = mine
                    .attrs
                    .iter()
                    .filter(|(id, a)| is_attributed(a) && **id != target.id)
                    .count();
                let newest = self.newest_seq(app, user.as_str(), &target.id)?;
                if matches!(change, Change::Delete(_))
                    && newest == 0
                    && !mine.attrs.contains_key(&target.id)
                    && mine.attrs.len() >= MAX_ATTRIBUTED
                {
                    // A conversation with no message on the server (created on a device):
                    // recorded only while the user has fewer than MAX_ATTRIBUTED records, so
                    // deletions of made-up conversations cannot grow the table.
                    results.push(result(&target.wire, Err(attributed_limit())));
                    continue;
                }
                let attrs = mine.attrs.entry(target.id.clone()).or_default();
                let before = attrs.clone();
                let outcome = apply_change(attrs, &change, newest, now_ms, pinned, attributed);
                if outcome.is_ok() && *attrs != before {
                    touched.push(target.id.clone());
                } else if outcome.is_err() {
                    *attrs = before;
                }
                results.push(result(&target.wire, outcome));
            }
        }
        if touched.is_empty() && group_change.is_none() {
            return Ok(WriteOutcome::applied(Applied::Conversations(ConvApplied {
                results,
                change: None,
            })));
        }
        mine.state.version = version;
        let mut table = self.txn.open_table(CONV_ATTRS)?;
        let mut pushed = Vec::with_capacity(touched.len());
        for id in &touched {
            let Some(attrs) = mine.attrs.get_mut(id) else {
                continue;
            };
            attrs.version = version;
            attrs.conversation = Some(wire_of(id));
            table.insert(
                (app, user.as_str(), id.as_str()),
                attrs.encode_to_vec().as_slice(),
            )?;
            pushed.push(attrs.clone());
        }
        let mut users = self.txn.open_table(CONV_USERS)?;
        users.insert((app, user.as_str()), mine.state.encode_to_vec().as_slice())?;
        let push = v1::ConversationsChangedPush {
            cursor: 0,
            attrs: pushed,
            group_names: mine.state.group_names.clone(),
            group_change,
            version,
        };
        let (tiny, _) = self.ensure_user(app, user.as_str())?;
        let notice = self.log_notice(
            app,
            vec![(user.as_str().to_owned(), tiny)],
            v1::sync_event::Event::ConversationsChanged(push.clone()),
        )?;
        Ok(WriteOutcome {
            result: Ok(Applied::Conversations(ConvApplied {
                results,
                change: Some(push),
            })),
            deliveries: Vec::new(),
            notices: vec![notice],
        })
    }
}

/// Applies a conversation-group operation to `mine`: the conversations whose attributes
/// changed and the change as devices learn it, or the refusal of the whole operation.
fn group_op(
    mine: &mut UserConversations,
    op: &v1::ConversationGroupOp,
    targets: &[ConvTarget],
) -> Result<(Vec<String>, v1::ConversationGroupChange), (i32, String)> {
    check_group_name(&op.name)?;
    let exists = mine.state.group_names.contains(&op.name);
    let ids: Vec<String> = targets.iter().map(|t| t.id.clone()).collect();
    let missing = || {
        (
            codes::ERR_SVR_CONV_CONV_GROUP_NOT_EXIST,
            format!("no conversation group {:?}", op.name),
        )
    };
    let mut touched = Vec::new();
    match op.kind {
        group_kind::CREATE | group_kind::ADD => {
            if op.kind == group_kind::CREATE {
                if exists {
                    return Err((
                        codes::ERR_SVR_CONV_CONV_MARK_OPERATE_FAILED,
                        format!("conversation group {:?} exists", op.name),
                    ));
                }
                if mine.state.group_names.len() >= MAX_GROUPS {
                    return Err((
                        codes::ERR_SVR_CONV_CONV_GROUP_TOTAL_COUNT_EXCEED_LIMIT,
                        format!("at most {MAX_GROUPS} conversation groups"),
                    ));
                }
                mine.state.group_names.push(op.name.clone());
            } else if !exists {
                return Err(missing());
            }
            let attributed = mine.attrs.values().filter(|a| is_attributed(a)).count();
            let new_ones = ids
                .iter()
                .filter(|id| mine.attrs.get(*id).is_none_or(|a| !is_attributed(a)))
                .count();
            if attributed + new_ones > MAX_ATTRIBUTED {
                return Err(attributed_limit());
            }
            for id in &ids {
                let attrs = mine.attrs.entry(id.clone()).or_default();
                if !attrs.groups.contains(&op.name) {
                    attrs.groups.push(op.name.clone());
                    touched.push(id.clone());
                }
            }
            touched.extend(evict_overflow(mine, &op.name));
        }
        group_kind::DELETE => {
            if !exists {
                return Err(missing());
            }
            mine.state.group_names.retain(|name| name != &op.name);
            for (id, attrs) in &mut mine.attrs {
                if attrs.groups.contains(&op.name) {
                    attrs.groups.retain(|name| name != &op.name);
                    touched.push(id.clone());
                }
            }
        }
        group_kind::RENAME => {
            if !exists {
                return Err(missing());
            }
            check_group_name(&op.new_name)?;
            if mine.state.group_names.contains(&op.new_name) {
                return Err((
                    codes::ERR_SVR_CONV_CONV_MARK_OPERATE_FAILED,
                    format!("conversation group {:?} exists", op.new_name),
                ));
            }
            for name in &mut mine.state.group_names {
                if name == &op.name {
                    name.clone_from(&op.new_name);
                }
            }
            for (id, attrs) in &mut mine.attrs {
                for name in &mut attrs.groups {
                    if name == &op.name {
                        name.clone_from(&op.new_name);
                        touched.push(id.clone());
                    }
                }
            }
        }
        group_kind::REMOVE => {
            if !exists {
                return Err(missing());
            }
            for id in &ids {
                if let Some(attrs) = mine.attrs.get_mut(id)
                    && attrs.groups.contains(&op.name)
                {
                    attrs.groups.retain(|name| name != &op.name);
                    touched.push(id.clone());
                }
            }
        }
        other => {
            return Err((
                codes::ERR_INVALID_PARAMETERS,
                format!("conversation group operation {other} is unknown"),
            ));
        }
    }
    touched.sort();
    touched.dedup();
    let conversation_ids = match op.kind {
        group_kind::CREATE | group_kind::ADD | group_kind::REMOVE => ids,
        _ => Vec::new(),
    };
    Ok((
        touched,
        v1::ConversationGroupChange {
            kind: op.kind,
            name: op.name.clone(),
            new_name: op.new_name.clone(),
            conversation_ids,
        },
    ))
}

/// Removes the earliest-added conversations from group `name` beyond [`MAX_PER_GROUP`]
/// (added earlier = lower version): the ones removed.
fn evict_overflow(mine: &mut UserConversations, name: &str) -> Vec<String> {
    let mut members: Vec<(u64, String)> = mine
        .attrs
        .iter()
        .filter(|(_, a)| a.groups.iter().any(|g| g == name))
        .map(|(id, a)| (a.version, id.clone()))
        .collect();
    if members.len() <= MAX_PER_GROUP {
        return Vec::new();
    }
    members.sort();
    let excess = members.len() - MAX_PER_GROUP;
    let mut evicted = Vec::new();
    for (_, id) in members.into_iter().take(excess) {
        if let Some(attrs) = mine.attrs.get_mut(&id) {
            attrs.groups.retain(|g| g != name);
            evicted.push(id);
        }
    }
    evicted
}

impl ConversationReads for KvStorage {
    fn conversation_state(
        &self,
        app: AppId,
        user: &UserId,
    ) -> Result<v1::GetConversationStateResponse, StorageError> {
        self.read(|txn| {
            let mine = load(txn, app, user.as_str())?;
            Ok(v1::GetConversationStateResponse {
                attrs: mine.attrs.into_values().collect(),
                group_names: mine.state.group_names,
                version: mine.state.version,
            })
        })
    }
}
