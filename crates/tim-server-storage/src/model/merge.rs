//! The merged-message area of [`KvStorage`](super::KvStorage): its tables, the checks and
//! writes of a send that carries bundles (applied through [`Tables`]), and the download read.
//! The rules are in [`crate::merge`].
//!
//! Tables:
//! - `merge_bundles` (app, relay key) -> (depth, prost-encoded [`BundleRecord`]).
//! - `merge_readers` (app, relay key, user) -> (): the parties of the C2C messages carrying
//!   the bundle, so that a C2C party is found with one lookup however often it was forwarded.
//! - `merge_carriers` (app, relay key) -> the other carriers (multimap): `g` + seq (8 bytes,
//!   big-endian) + group ID, then for a targeted message NUL + each user who sees it (targets
//!   and sender); `p` + the key of a parent bundle. Groups sort before parents, so the direct
//!   carriers are looked at before walking up.

use super::write::Tables;
use super::{GROUPS, KvStorage, MEMBERS, decode};
use crate::kv::{MultimapTable, MultimapTableDefinition, Table, TableDefinition};
use crate::merge::{CARRIER_VISITS_MAX, MergeReads, MergeSend, unknown_bundle};
use crate::{AppId, GroupRecord, MemberRecord, Refusal, StorageError};
use prost::Message as _;
use std::collections::{HashMap, HashSet, VecDeque};
use tim_model::codes;
use tim_model::enums::ConvType;
use tim_model::ids::UserId;
use tim_model::limits::MERGE_LAYERS_MAX;
use tim_proto::v1;

const MERGE_BUNDLES: TableDefinition<(u64, &str), (u32, &[u8])> =
    TableDefinition::new("merge_bundles");
const MERGE_READERS: TableDefinition<(u64, &str, &str), ()> = TableDefinition::new("merge_readers");
const MERGE_CARRIERS: MultimapTableDefinition<(u64, &str), &[u8]> =
    MultimapTableDefinition::new("merge_carriers");

/// A bundle as stored.
#[derive(Clone, PartialEq, prost::Message)]
pub(super) struct BundleRecord {
    /// The inner messages in their order.
    #[prost(message, repeated, tag = "1")]
    pub messages: Vec<v1::Message>,
}

/// Who carries a bundle, besides C2C messages (kept in `merge_readers`).
enum Carrier<'a> {
    /// Another bundle, by key.
    Bundle(&'a str),
    /// A group message: its seq, the group, and (targeted) who sees it.
    Group {
        seq: u64,
        group: &'a str,
        seers: Vec<&'a str>,
    },
}

fn encode_carrier(carrier: &Carrier<'_>) -> Vec<u8> {
    let mut out = Vec::new();
    match carrier {
        Carrier::Bundle(key) => {
            out.push(b'p');
            out.extend_from_slice(key.as_bytes());
        }
        Carrier::Group { seq, group, seers } => {
            out.push(b'g');
            out.extend_from_slice(&seq.to_be_bytes());
            out.extend_from_slice(group.as_bytes());
            for seer in seers {
                out.push(0);
                out.extend_from_slice(seer.as_bytes());
            }
        }
    }
    out
}

fn text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok()
}

fn decode_carrier(bytes: &[u8]) -> Option<Carrier<'_>> {
    let (kind, rest) = bytes.split_first()?;
    match kind {
        b'p' => Some(Carrier::Bundle(text(rest)?)),
        b'g' => {
            let seq = u64::from_be_bytes(rest.get(..8)?.try_into().ok()?);
            let mut parts = rest.get(8..)?.split(|b| *b == 0);
            let group = text(parts.next()?)?;
            let seers = parts.map(text).collect::<Option<Vec<_>>>()?;
            Some(Carrier::Group { seq, group, seers })
        }
        _ => None,
    }
}

/// Whether `user` may read bundle `key` (see the rules in [`crate::merge`]). Works on
/// the tables of a read or a write transaction.
fn may_read(
    readers: &Table<'_, (u64, &'static str, &'static str), ()>,
    carriers: &MultimapTable<'_, (u64, &'static str), &'static [u8]>,
    groups: &Table<'_, (u64, &'static str), &'static [u8]>,
    members: &Table<'_, (u64, &'static str, &'static str), &'static [u8]>,
    app: AppId,
    user: &str,
    key: &str,
) -> Result<bool, StorageError> {
    let mut queue = VecDeque::from([key.to_owned()]);
    let mut seen: HashSet<String> = HashSet::from([key.to_owned()]);
    // Group -> the first seq the user may see there (None: not a member of a live group).
    let mut visible_from: HashMap<String, Option<u64>> = HashMap::new();
    let mut visits = 0usize;
    while let Some(current) = queue.pop_front() {
        if readers.get((app, current.as_str(), user))?.is_some() {
            return Ok(true);
        }
        for entry in carriers.get((app, current.as_str()))? {
            visits += 1;
            if visits > CARRIER_VISITS_MAX {
                return Ok(false);
            }
            let entry = entry?;
            let Some(carrier) = decode_carrier(entry.value()) else {
                return Err(StorageError::new("stored merge carrier is unreadable"));
            };
            match carrier {
                Carrier::Bundle(parent) => {
                    if seen.insert(parent.to_owned()) {
                        queue.push_back(parent.to_owned());
                    }
                }
                Carrier::Group { seq, group, seers } => {
                    if !seers.is_empty() && !seers.contains(&user) {
                        continue;
                    }
                    let from = match visible_from.get(group) {
                        Some(from) => *from,
                        None => {
                            let from = member_from(groups, members, app, group, user)?;
                            visible_from.insert(group.to_owned(), from);
                            from
                        }
                    };
                    if from.is_some_and(|from| seq >= from) {
                        return Ok(true);
                    }
                }
            }
        }
    }
    Ok(false)
}

/// The first seq `user` may see in `group`, if they are a member of the live group.
fn member_from(
    groups: &Table<'_, (u64, &'static str), &'static [u8]>,
    members: &Table<'_, (u64, &'static str, &'static str), &'static [u8]>,
    app: AppId,
    group: &str,
    user: &str,
) -> Result<Option<u64>, StorageError> {
    let record: Option<GroupRecord> = groups
        .get((app, group))?
        .map(|v| decode(v.value(), "group"))
        .transpose()?;
    if record.is_none_or(|g| g.dismissed) {
        return Ok(None);
    }
    let member: Option<MemberRecord> = members
        .get((app, group, user))?
        .map(|v| decode(v.value(), "member"))
        .transpose()?;
    Ok(member.map(|m| m.visible_from_seq))
}

/// The relay key of each merge element of `message`, in element order.
pub(super) fn relay_keys(message: &v1::Message) -> Vec<String> {
    message
        .elems
        .iter()
        .filter_map(|elem| match &elem.body {
            Some(v1::elem::Body::Merge(merge)) => Some(merge.relay_pb_key.clone()),
            _ => None,
        })
        .collect()
}

impl Tables<'_> {
    /// Checks the bundles of a send by `sender` (see [`crate::merge`]): the depth of
    /// each new bundle, or the refusal. Writes nothing.
    pub(super) fn check_merge(
        &self,
        app: AppId,
        sender: &str,
        merge: &MergeSend,
    ) -> Result<Result<HashMap<String, u32>, Refusal>, StorageError> {
        let bundles = self.txn.open_table(MERGE_BUNDLES)?;
        let readers = self.txn.open_table(MERGE_READERS)?;
        let carriers = self.txn.open_multimap_table(MERGE_CARRIERS)?;
        let mut depths: HashMap<String, u32> = HashMap::new();
        // Stored bundles named by this send: their depth once checked.
        let mut stored: HashMap<String, u32> = HashMap::new();
        let mut stored_depth = |key: &str| -> Result<Result<u32, Refusal>, StorageError> {
            if let Some(depth) = stored.get(key) {
                return Ok(Ok(*depth));
            }
            let Some(depth) = bundles.get((app, key))?.map(|v| v.value().0) else {
                return Ok(Err(unknown_bundle(key)));
            };
            let readable = may_read(
                &readers,
                &carriers,
                &self.groups,
                &self.members,
                app,
                sender,
                key,
            )?;
            if !readable {
                return Ok(Err(unknown_bundle(key)));
            }
            stored.insert(key.to_owned(), depth);
            Ok(Ok(depth))
        };
        for bundle in &merge.bundles {
            let mut depth = 1u32;
            for child in &bundle.children {
                let child_depth = match depths.get(child) {
                    Some(depth) => *depth,
                    None => match stored_depth(child)? {
                        Ok(depth) => depth,
                        Err(refusal) => return Ok(Err(refusal)),
                    },
                };
                depth = depth.max(child_depth.saturating_add(1));
            }
            if depth > MERGE_LAYERS_MAX {
                return Ok(Err(Refusal::new(
                    codes::ERR_MERGER_MSG_LAYERS_OVER_LIMIT,
                    format!(
                        "message_elem_array: merged messages nest {depth} layers deep; the \
                         limit is {MERGE_LAYERS_MAX}"
                    ),
                )));
            }
            depths.insert(bundle.key.clone(), depth);
        }
        for key in &merge.carried {
            if !depths.contains_key(key)
                && let Err(refusal) = stored_depth(key)?
            {
                return Ok(Err(refusal));
            }
        }
        Ok(Ok(depths))
    }

    /// Stores the new bundles of a checked send (`depths` from [`Self::check_merge`]) and
    /// records their carriers; the carrying message is `message` as stored (seq assigned).
    pub(super) fn store_merge(
        &mut self,
        app: AppId,
        merge: &MergeSend,
        depths: &HashMap<String, u32>,
        message: &v1::Message,
    ) -> Result<(), StorageError> {
        let mut bundles = self.txn.open_table(MERGE_BUNDLES)?;
        let mut readers = self.txn.open_table(MERGE_READERS)?;
        let mut carriers = self.txn.open_multimap_table(MERGE_CARRIERS)?;
        for bundle in &merge.bundles {
            // The copies of a batch send share their bundles: the first stores them.
            if bundles.get((app, bundle.key.as_str()))?.is_none() {
                let record = BundleRecord {
                    messages: bundle.messages.clone(),
                };
                let depth = depths.get(&bundle.key).copied().unwrap_or(1);
                bundles.insert(
                    (app, bundle.key.as_str()),
                    (depth, record.encode_to_vec().as_slice()),
                )?;
            }
            let parent = encode_carrier(&Carrier::Bundle(&bundle.key));
            for child in &bundle.children {
                carriers.insert((app, child.as_str()), parent.as_slice())?;
            }
        }
        if message.conv_type == ConvType::C2c.value() {
            for key in &merge.carried {
                for party in [&message.sender, &message.conv_id] {
                    readers.insert((app, key.as_str(), party.as_str()), ())?;
                }
            }
            return Ok(());
        }
        let carrier = {
            let mut seers: Vec<&str> = message
                .target_group_member_array
                .iter()
                .map(String::as_str)
                .collect();
            if !seers.is_empty() {
                seers.push(&message.sender);
            }
            Carrier::Group {
                seq: message.seq,
                group: &message.conv_id,
                seers,
            }
        };
        let carrier = encode_carrier(&carrier);
        for key in &merge.carried {
            carriers.insert((app, key.as_str()), carrier.as_slice())?;
        }
        Ok(())
    }
}

impl MergeReads for KvStorage {
    fn merged_messages(
        &self,
        app: AppId,
        user: &UserId,
        key: &str,
    ) -> Result<Result<Vec<v1::Message>, Refusal>, StorageError> {
        self.read(|txn| {
            let bundles = txn.open_table(MERGE_BUNDLES)?;
            let Some(stored) = bundles.get((app, key))? else {
                return Ok(Err(unknown_bundle(key)));
            };
            let readers = txn.open_table(MERGE_READERS)?;
            let carriers = txn.open_multimap_table(MERGE_CARRIERS)?;
            let groups = txn.open_table(GROUPS)?;
            let members = txn.open_table(MEMBERS)?;
            if !may_read(
                &readers,
                &carriers,
                &groups,
                &members,
                app,
                user.as_str(),
                key,
            )? {
                return Ok(Err(unknown_bundle(key)));
            }
            let record: BundleRecord = decode(stored.value().1, "merged message bundle")?;
            Ok(Ok(record.messages))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carriers_round_trip() {
        let cases = [
            Carrier::Bundle("0123456789abcdef0123456789abcdef"),
            Carrier::Group {
                seq: 42,
                group: "@TGS#1",
                seers: vec![],
            },
            Carrier::Group {
                seq: u64::MAX,
                group: "g",
                seers: vec!["carol", "alice"],
            },
        ];
        for case in &cases {
            let bytes = encode_carrier(case);
            let back = decode_carrier(&bytes).expect("decodes");
            assert_eq!(encode_carrier(&back), bytes);
        }
        assert!(decode_carrier(b"x").is_none());
        assert!(decode_carrier(b"g\x00").is_none());
    }
}
