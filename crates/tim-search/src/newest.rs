//! Newest-first search: the top `offset + limit` matches by (time desc, message ID desc) and the
//! number of all matches, without visiting every match when a page is asked for.
//!
//! Segments hold their documents newest first, so the matches of a segment come out of its
//! scorer newest first. Segments are visited from the one with the newest document down. Once
//! `offset + limit` candidates are held, the time of the oldest of them is a threshold: a
//! segment stops producing candidates at its first match older than the threshold, and a
//! segment whose newest document in the time range is older than it is only counted. Counting
//! a whole segment with a lone term and no deletions reads the term's document frequency; other
//! counts walk the remaining matches without reading any column.
//!
//! Ties on time are kept as candidates and ordered by message ID at the end: within a segment
//! by term ordinal (ordinals sort as their strings do), across segments by the strings.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use tantivy::query::{Scorer, Weight};
use tantivy::{DocId, DocSet, SegmentReader, TERMINATED};

use crate::error::SearchError;
use crate::query::TimeRange;
use crate::snapshot::{SegmentView, Snapshot};
use crate::types::{Hit, SearchHits};

/// A match that may be on the page.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    time: u64,
    /// Index into `Snapshot::segments`.
    segment: usize,
    msg_ord: u64,
    doc: DocId,
}

/// The times of the best `wanted` candidates so far; its minimum is the pruning threshold.
struct Threshold {
    wanted: Option<usize>,
    times: BinaryHeap<Reverse<u64>>,
}

impl Threshold {
    /// The time below which a match cannot be on the page, once enough candidates are held.
    fn get(&self) -> Option<u64> {
        match self.wanted {
            Some(wanted) if self.times.len() >= wanted => self.times.peek().map(|t| t.0),
            _ => None,
        }
    }

    fn push(&mut self, time: u64) {
        if let Some(wanted) = self.wanted {
            self.times.push(Reverse(time));
            if self.times.len() > wanted {
                self.times.pop();
            }
        }
    }
}

/// What one search runs.
pub(crate) struct Run<'a> {
    /// The keywords and every filter but time.
    pub(crate) weight: &'a dyn Weight,
    pub(crate) range: TimeRange,
    /// The weight is a lone term: on a segment without deletions it counts from the dictionary.
    pub(crate) lone_term: bool,
    /// The conversation of every hit, when the query names one (no need to read it back).
    pub(crate) conv_key: Option<&'a str>,
}

/// Runs `run` over `snapshot` and returns the page `offset..offset + limit` (all matches from
/// `offset` when `limit` is 0) and the total.
pub(crate) fn search(
    snapshot: &Snapshot,
    run: &Run<'_>,
    offset: usize,
    limit: usize,
) -> Result<SearchHits, SearchError> {
    let wanted = (limit > 0).then(|| offset.saturating_add(limit));
    let mut threshold = Threshold {
        wanted,
        times: BinaryHeap::new(),
    };
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut total = 0u64;
    for (index, view) in snapshot.segments.iter().enumerate() {
        let reader = snapshot.reader(view);
        total += collect_segment(index, view, reader, run, &mut threshold, &mut candidates)?;
    }
    let hits = page(snapshot, run, candidates, offset, wanted)?;
    Ok(SearchHits { total, hits })
}

/// Adds the segment's candidates and returns how many of its documents match.
fn collect_segment(
    index: usize,
    view: &SegmentView,
    reader: &SegmentReader,
    run: &Run<'_>,
    threshold: &mut Threshold,
    candidates: &mut Vec<Candidate>,
) -> Result<u64, SearchError> {
    let range = run.range;
    let columns = &view.columns;
    let (start, end) = columns.doc_range(range);
    if start >= end {
        return Ok(0);
    }
    if let Some(limit) = threshold.get()
        && columns.newest_from(start, range) < limit
    {
        return count(view, reader, run, start, end);
    }
    let mut scorer = run.weight.scorer(reader, 1.0)?;
    let mut doc = scorer.doc();
    if doc < start {
        doc = scorer.seek(start);
    }
    let alive = reader.alive_bitset();
    let sorted = columns.is_sorted();
    let mut matched = 0u64;
    while doc < end {
        if alive.is_none_or(|alive| alive.is_alive(doc)) {
            let time = columns.time(doc);
            if sorted || range.contains(time) {
                if threshold.get().is_some_and(|limit| time < limit) {
                    if sorted {
                        // Every later match is older still: only the count is left.
                        if run.lone_term
                            && start == 0
                            && end == columns.max_doc()
                            && alive.is_none()
                        {
                            return Ok(u64::from(run.weight.count(reader)?));
                        }
                        return Ok(matched + count_rest(scorer.as_mut(), doc, end, reader, None));
                    }
                } else {
                    threshold.push(time);
                    candidates.push(Candidate {
                        time,
                        segment: index,
                        msg_ord: columns.msg_ids.ord(doc).unwrap_or(0),
                        doc,
                    });
                }
                matched += 1;
            }
        }
        doc = scorer.advance();
    }
    Ok(matched)
}

/// How many documents of `start..end` match (and fall in the range).
fn count(
    view: &SegmentView,
    reader: &SegmentReader,
    run: &Run<'_>,
    start: DocId,
    end: DocId,
) -> Result<u64, SearchError> {
    let columns = &view.columns;
    if run.lone_term
        && columns.is_sorted()
        && start == 0
        && end == columns.max_doc()
        && !reader.has_deletes()
    {
        return Ok(u64::from(run.weight.count(reader)?));
    }
    let mut scorer = run.weight.scorer(reader, 1.0)?;
    let mut doc = scorer.doc();
    if doc < start {
        doc = scorer.seek(start);
    }
    let filter = (!columns.is_sorted()).then_some((view, run.range));
    Ok(count_rest(scorer.as_mut(), doc, end, reader, filter))
}

/// Counts the live matches from `doc` (the scorer's current document, included) up to `end`,
/// checking each one's time against the range when the segment is not sorted. Counting to the
/// end of the segment uses the scorer's own count, which intersections do block by block.
fn count_rest(
    scorer: &mut dyn Scorer,
    mut doc: DocId,
    end: DocId,
    reader: &SegmentReader,
    filter: Option<(&SegmentView, TimeRange)>,
) -> u64 {
    let alive = reader.alive_bitset();
    if filter.is_none() && end >= reader.max_doc() {
        return u64::from(match alive {
            Some(alive) => scorer.count(alive),
            None => scorer.count_including_deleted(),
        });
    }
    let mut matched = 0u64;
    while doc < end && doc != TERMINATED {
        let live = alive.is_none_or(|alive| alive.is_alive(doc));
        let in_range = filter.is_none_or(|(view, range)| range.contains(view.columns.time(doc)));
        if live && in_range {
            matched += 1;
        }
        doc = scorer.advance();
    }
    matched
}

/// Orders the candidates and reads the message IDs and conversations of the page.
fn page(
    snapshot: &Snapshot,
    run: &Run<'_>,
    mut candidates: Vec<Candidate>,
    offset: usize,
    wanted: Option<usize>,
) -> Result<Vec<Hit>, SearchError> {
    candidates.sort_unstable_by(|a, b| {
        b.time
            .cmp(&a.time)
            .then(a.segment.cmp(&b.segment))
            .then(b.msg_ord.cmp(&a.msg_ord))
            .then(a.doc.cmp(&b.doc))
    });
    let wanted = wanted.unwrap_or(candidates.len()).min(candidates.len());
    // Equal times from several segments are ordered by their message IDs, which are read for
    // every group of equal times that reaches into the page.
    let mut msg_ids: Vec<Option<String>> = vec![None; candidates.len()];
    let mut group_start = 0;
    while group_start < wanted {
        let time = candidates[group_start].time;
        let group_end = group_start
            + candidates[group_start..]
                .iter()
                .take_while(|c| c.time == time)
                .count();
        let group = &mut candidates[group_start..group_end];
        if group.iter().any(|c| c.segment != group[0].segment) {
            let mut ids = read_msg_ids(snapshot, group)?;
            let mut order: Vec<usize> = (0..group.len()).collect();
            order.sort_by(|&a, &b| {
                ids[b]
                    .cmp(&ids[a])
                    .then(group[a].segment.cmp(&group[b].segment))
                    .then(group[a].doc.cmp(&group[b].doc))
            });
            let reordered: Vec<Candidate> = order.iter().map(|&i| group[i]).collect();
            group.copy_from_slice(&reordered);
            for (slot, &i) in msg_ids[group_start..group_end].iter_mut().zip(&order) {
                *slot = Some(std::mem::take(&mut ids[i]));
            }
        }
        group_start = group_end;
    }

    let range = offset.min(wanted)..wanted;
    let on_page = &candidates[range.clone()];
    let mut missing: Vec<Candidate> = Vec::new();
    for (candidate, known) in on_page.iter().zip(&msg_ids[range.clone()]) {
        if known.is_none() {
            missing.push(*candidate);
        }
    }
    let mut read = read_msg_ids(snapshot, &missing)?.into_iter();
    let conv_keys = match run.conv_key {
        Some(conv_key) => vec![conv_key.to_owned(); on_page.len()],
        None => read_conv_keys(snapshot, on_page)?,
    };
    let mut hits = Vec::with_capacity(on_page.len());
    for ((candidate, known), conv_key) in on_page.iter().zip(&msg_ids[range]).zip(conv_keys) {
        let msg_id = match known {
            Some(msg_id) => msg_id.clone(),
            None => read.next().unwrap_or_default(),
        };
        hits.push(Hit {
            msg_id,
            conv_key,
            time: candidate.time,
        });
    }
    Ok(hits)
}

/// Reads a string column for `candidates`, one dictionary pass per segment.
fn read_column(
    snapshot: &Snapshot,
    candidates: &[Candidate],
    column: impl Fn(&SegmentView, &Candidate) -> Option<u64>,
    strings: impl Fn(&SegmentView, &[u64]) -> Result<Vec<String>, SearchError>,
) -> Result<Vec<String>, SearchError> {
    let mut out = vec![String::new(); candidates.len()];
    let mut by_segment: Vec<usize> = (0..candidates.len()).collect();
    by_segment.sort_by_key(|&i| candidates[i].segment);
    for chunk in by_segment.chunk_by(|&a, &b| candidates[a].segment == candidates[b].segment) {
        let Some(view) = chunk
            .first()
            .and_then(|&i| snapshot.segments.get(candidates[i].segment))
        else {
            continue;
        };
        let mut with_value: Vec<usize> = Vec::with_capacity(chunk.len());
        let mut ords: Vec<u64> = Vec::with_capacity(chunk.len());
        for &i in chunk {
            if let Some(ord) = column(view, &candidates[i]) {
                with_value.push(i);
                ords.push(ord);
            }
        }
        for (i, value) in with_value.into_iter().zip(strings(view, &ords)?) {
            out[i] = value;
        }
    }
    Ok(out)
}

fn read_msg_ids(snapshot: &Snapshot, candidates: &[Candidate]) -> Result<Vec<String>, SearchError> {
    read_column(
        snapshot,
        candidates,
        |view, candidate| view.columns.msg_ids.ord(candidate.doc),
        |view, ords| view.columns.msg_ids.strings(ords),
    )
}

fn read_conv_keys(
    snapshot: &Snapshot,
    candidates: &[Candidate],
) -> Result<Vec<String>, SearchError> {
    read_column(
        snapshot,
        candidates,
        |view, candidate| view.columns.conv_keys.ord(candidate.doc),
        |view, ords| view.columns.conv_keys.strings(ords),
    )
}

/// Newest first: time descending, then message ID descending.
pub(crate) fn newest_first(a: &Hit, b: &Hit) -> Ordering {
    b.time.cmp(&a.time).then_with(|| b.msg_id.cmp(&a.msg_id))
}
