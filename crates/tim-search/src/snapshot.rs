//! A consistent view of the committed index for searches: a tantivy `Searcher` plus, for each
//! segment, the fast-field columns the search reads, opened once per segment and reused by every
//! later snapshot that still holds the segment.
//!
//! Every segment is expected to hold its documents newest first (index sorting). A view checks
//! this when it is built; a segment that is not sorted is still searched correctly, only
//! without the early stop (see `newest`).

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::columnar::{Cardinality, ColumnValues, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, Searcher, SegmentReader};

use crate::error::SearchError;
use crate::query::TimeRange;
use crate::schema::names;

/// The per-segment columns, independent of the snapshot the segment appears in.
pub(crate) struct SegmentColumns {
    time: Arc<dyn ColumnValues<u64>>,
    max_doc: DocId,
    /// Times never increase with the document id.
    sorted: bool,
    newest: u64,
    pub(crate) msg_ids: Keys,
    pub(crate) conv_keys: Keys,
}

/// A string fast field: per-document term ordinals and the dictionary to read them back.
pub(crate) struct Keys {
    column: Option<StrColumn>,
    /// The ordinals when every document has exactly one (the normal case), read directly.
    full: Option<Arc<dyn ColumnValues<u64>>>,
}

impl Keys {
    fn open(reader: &SegmentReader, name: &str) -> Result<Self, SearchError> {
        let column = reader.fast_fields().str(name)?;
        let full = column.as_ref().and_then(|column| {
            (column.ords().get_cardinality() == Cardinality::Full)
                .then(|| column.ords().values.clone())
        });
        Ok(Self { column, full })
    }

    /// The ordinal of `doc`'s value; ordinals of one segment sort as their strings do.
    pub(crate) fn ord(&self, doc: DocId) -> Option<u64> {
        match (&self.full, &self.column) {
            (Some(values), _) => Some(values.get_val(doc)),
            (None, Some(column)) => column.ords().first(doc),
            (None, None) => None,
        }
    }

    /// The strings of `ords` (in any order, repeats allowed), in the same order.
    pub(crate) fn strings(&self, ords: &[u64]) -> Result<Vec<String>, SearchError> {
        let Some(column) = &self.column else {
            return Ok(vec![String::new(); ords.len()]);
        };
        let mut order: Vec<usize> = (0..ords.len()).collect();
        order.sort_unstable_by_key(|&i| ords[i]);
        let sorted: Vec<u64> = order.iter().map(|&i| ords[i]).collect();
        let mut found: Vec<String> = Vec::with_capacity(ords.len());
        let complete = column
            .dictionary()
            .sorted_ords_to_term_cb(&sorted, |bytes| {
                found.push(String::from_utf8_lossy(bytes).into_owned());
            })
            .map_err(SearchError::dictionary)?;
        if !complete || found.len() != ords.len() {
            return Err(SearchError::dictionary(std::io::Error::other(
                "a term ordinal of a string fast field is out of range",
            )));
        }
        let mut out = vec![String::new(); ords.len()];
        for (value, &i) in found.into_iter().zip(&order) {
            out[i] = value;
        }
        Ok(out)
    }

    /// The string of `doc`'s value ("" when it has none).
    pub(crate) fn string_of(&self, doc: DocId) -> Result<String, SearchError> {
        match self.ord(doc) {
            Some(ord) => Ok(self.strings(&[ord])?.pop().unwrap_or_default()),
            None => Ok(String::new()),
        }
    }
}

impl SegmentColumns {
    fn open(reader: &SegmentReader) -> Result<Self, SearchError> {
        let column = reader.fast_fields().u64(names::TIME)?;
        let time = if column.get_cardinality() == Cardinality::Full {
            column.values.clone()
        } else {
            column.first_or_default_col(0)
        };
        let max_doc = reader.max_doc();
        let mut sorted = true;
        let mut buffer = vec![0u64; 4096];
        let mut previous = u64::MAX;
        let mut start = 0u32;
        while start < max_doc && sorted {
            let len = (max_doc - start).min(buffer.len() as u32) as usize;
            time.get_range(u64::from(start), &mut buffer[..len]);
            for &value in &buffer[..len] {
                if value > previous {
                    sorted = false;
                    break;
                }
                previous = value;
            }
            start += len as u32;
        }
        let newest = if sorted {
            if max_doc > 0 { time.get_val(0) } else { 0 }
        } else {
            time.max_value()
        };
        Ok(Self {
            time,
            max_doc,
            sorted,
            newest,
            msg_ids: Keys::open(reader, names::MSG_ID)?,
            conv_keys: Keys::open(reader, names::CONV_KEY)?,
        })
    }

    pub(crate) fn time(&self, doc: DocId) -> u64 {
        self.time.get_val(doc)
    }

    pub(crate) fn is_sorted(&self) -> bool {
        self.sorted
    }

    pub(crate) fn max_doc(&self) -> DocId {
        self.max_doc
    }

    /// The documents that may fall in `range`: all of them when the segment is not sorted,
    /// otherwise exactly those in it.
    pub(crate) fn doc_range(&self, range: TimeRange) -> (DocId, DocId) {
        if !self.sorted {
            return (0, self.max_doc);
        }
        let start = if range.to == u64::MAX {
            0
        } else {
            self.partition_point(|time| time > range.to)
        };
        let end = if range.from == 0 {
            self.max_doc
        } else {
            self.partition_point(|time| time >= range.from)
        };
        (start, end.max(start))
    }

    /// An upper bound of the times of documents `start..` that fall in `range`.
    pub(crate) fn newest_from(&self, start: DocId, range: TimeRange) -> u64 {
        if self.sorted && start < self.max_doc {
            self.time(start)
        } else {
            self.newest.min(range.to)
        }
    }

    /// The first document for which `before` is false; `before` must hold for a prefix.
    fn partition_point(&self, before: impl Fn(u64) -> bool) -> DocId {
        let (mut low, mut high) = (0u32, self.max_doc);
        while low < high {
            let middle = low + (high - low) / 2;
            if before(self.time(middle)) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }
}

/// One segment of a snapshot.
pub(crate) struct SegmentView {
    /// The segment's position in the searcher.
    pub(crate) ord: u32,
    pub(crate) segment_id: SegmentId,
    pub(crate) columns: Arc<SegmentColumns>,
}

/// The committed index as one search sees it.
pub(crate) struct Snapshot {
    pub(crate) searcher: Searcher,
    /// Segments, the one with the newest document first.
    pub(crate) segments: Vec<SegmentView>,
}

impl Snapshot {
    /// A snapshot of `searcher`, reusing the columns of segments `previous` already opened.
    pub(crate) fn new(
        searcher: Searcher,
        previous: Option<&Snapshot>,
    ) -> Result<Self, SearchError> {
        let known: HashMap<SegmentId, &Arc<SegmentColumns>> = previous
            .map(|snapshot| {
                snapshot
                    .segments
                    .iter()
                    .map(|view| (view.segment_id, &view.columns))
                    .collect()
            })
            .unwrap_or_default();
        let mut segments = Vec::with_capacity(searcher.segment_readers().len());
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            let segment_id = reader.segment_id();
            let columns = match known.get(&segment_id) {
                Some(columns) => Arc::clone(columns),
                None => Arc::new(SegmentColumns::open(reader)?),
            };
            segments.push(SegmentView {
                ord: ord as u32,
                segment_id,
                columns,
            });
        }
        segments.sort_by_key(|view| std::cmp::Reverse(view.columns.newest));
        Ok(Self { searcher, segments })
    }

    pub(crate) fn reader(&self, view: &SegmentView) -> &SegmentReader {
        self.searcher.segment_reader(view.ord)
    }
}
