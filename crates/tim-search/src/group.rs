//! Matches grouped by conversation: how many per conversation and the newest of each.
//!
//! Every match is visited once; within a segment the conversation is a term ordinal, so the
//! grouping is a map from small integers, and strings are read once per conversation and
//! segment at the end.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};

use tantivy::query::Weight;
use tantivy::{DocId, DocSet};

use crate::error::SearchError;
use crate::newest::newest_first;
use crate::query::TimeRange;
use crate::snapshot::{SegmentView, Snapshot};
use crate::types::{ConversationHits, Hit};

/// A hasher for term ordinals, which are already well spread small integers.
#[derive(Default)]
struct OrdHasher(u64);

impl Hasher for OrdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The ordinal under which a document without a conversation (never written by this crate) is
/// grouped; read back as "".
const NO_CONVERSATION: u64 = u64::MAX;

type OrdMap<V> = HashMap<u64, V, BuildHasherDefault<OrdHasher>>;

/// One conversation within one segment.
#[derive(Debug, Clone, Copy)]
struct SegmentGroup {
    count: u64,
    time: u64,
    msg_ord: u64,
    doc: DocId,
}

/// One conversation over all segments.
struct Group {
    count: u64,
    time: u64,
    /// The newest match: its segment (index into `Snapshot::segments`) and document.
    segment: usize,
    doc: DocId,
    /// Its message ID, once read (needed to break a tie on time between segments).
    msg_id: Option<String>,
}

/// Groups the matches of `weight` in `range` by conversation, newest conversation first.
pub(crate) fn by_conversation(
    snapshot: &Snapshot,
    weight: &dyn Weight,
    range: TimeRange,
) -> Result<Vec<ConversationHits>, SearchError> {
    let mut groups: HashMap<String, Group> = HashMap::new();
    for (index, view) in snapshot.segments.iter().enumerate() {
        let segment_groups = group_segment(snapshot, view, weight, range)?;
        if segment_groups.is_empty() {
            continue;
        }
        let ords: Vec<u64> = segment_groups.keys().copied().collect();
        let real: Vec<u64> = ords
            .iter()
            .copied()
            .filter(|&o| o != NO_CONVERSATION)
            .collect();
        let mut names = view.columns.conv_keys.strings(&real)?.into_iter();
        let conv_keys = ords.iter().map(|&ord| match ord {
            NO_CONVERSATION => String::new(),
            _ => names.next().unwrap_or_default(),
        });
        for (ord, conv_key) in ords.iter().zip(conv_keys) {
            let Some(found) = segment_groups.get(ord) else {
                continue;
            };
            match groups.entry(conv_key) {
                Entry::Vacant(entry) => {
                    entry.insert(Group {
                        count: found.count,
                        time: found.time,
                        segment: index,
                        doc: found.doc,
                        msg_id: None,
                    });
                }
                Entry::Occupied(mut entry) => {
                    let group = entry.get_mut();
                    group.count += found.count;
                    let newer = match found.time.cmp(&group.time) {
                        std::cmp::Ordering::Greater => true,
                        std::cmp::Ordering::Less => false,
                        std::cmp::Ordering::Equal => {
                            let current = match group.msg_id.take() {
                                Some(msg_id) => msg_id,
                                None => msg_id_of(snapshot, group.segment, group.doc)?,
                            };
                            let challenger = view.columns.msg_ids.string_of(found.doc)?;
                            if challenger > current {
                                group.msg_id = Some(challenger);
                                true
                            } else {
                                group.msg_id = Some(current);
                                false
                            }
                        }
                    };
                    if newer {
                        if found.time != group.time {
                            group.msg_id = None;
                        }
                        group.time = found.time;
                        group.segment = index;
                        group.doc = found.doc;
                    }
                }
            }
        }
    }

    let mut out = Vec::with_capacity(groups.len());
    for (conv_key, group) in groups {
        let msg_id = match group.msg_id {
            Some(msg_id) => msg_id,
            None => msg_id_of(snapshot, group.segment, group.doc)?,
        };
        out.push(ConversationHits {
            newest: Hit {
                msg_id,
                conv_key: conv_key.clone(),
                time: group.time,
            },
            conv_key,
            count: group.count,
        });
    }
    out.sort_by(|a, b| newest_first(&a.newest, &b.newest));
    Ok(out)
}

fn msg_id_of(snapshot: &Snapshot, segment: usize, doc: DocId) -> Result<String, SearchError> {
    match snapshot.segments.get(segment) {
        Some(view) => view.columns.msg_ids.string_of(doc),
        None => Ok(String::new()),
    }
}

/// The matches of one segment by conversation ordinal.
fn group_segment(
    snapshot: &Snapshot,
    view: &SegmentView,
    weight: &dyn Weight,
    range: TimeRange,
) -> Result<OrdMap<SegmentGroup>, SearchError> {
    let columns = &view.columns;
    let mut groups: OrdMap<SegmentGroup> = OrdMap::default();
    let (start, end) = columns.doc_range(range);
    if start >= end {
        return Ok(groups);
    }
    let reader = snapshot.reader(view);
    let alive = reader.alive_bitset();
    let mut scorer = weight.scorer(reader, 1.0)?;
    let mut doc = scorer.doc();
    if doc < start {
        doc = scorer.seek(start);
    }
    while doc < end {
        if alive.is_none_or(|alive| alive.is_alive(doc)) {
            let time = columns.time(doc);
            if range.contains(time) {
                let conv = columns.conv_keys.ord(doc).unwrap_or(NO_CONVERSATION);
                let msg_ord = columns.msg_ids.ord(doc).unwrap_or(0);
                groups
                    .entry(conv)
                    .and_modify(|group| {
                        group.count += 1;
                        if (time, msg_ord) > (group.time, group.msg_ord) {
                            group.time = time;
                            group.msg_ord = msg_ord;
                            group.doc = doc;
                        }
                    })
                    .or_insert(SegmentGroup {
                        count: 1,
                        time,
                        msg_ord,
                        doc,
                    });
            }
        }
        doc = scorer.advance();
    }
    Ok(groups)
}
