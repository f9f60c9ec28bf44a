//! `SearchIndex`: the index itself, one writer and a snapshot of the last commit for searches.
//!
//! Changes (upsert, delete, clear) go to one tantivy `IndexWriter`, kept open for the life of
//! the index, and become visible and durable together at `commit`, which also reloads the
//! snapshot that searches read. Searches never wait for the writer: they take the current
//! snapshot (an `Arc`) and run on it.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

use tantivy::indexer::IndexWriterOptions;
use tantivy::query::{AllQuery, EnableScoring, Weight};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::error::SearchError;
use crate::group;
use crate::newest;
use crate::query::{self, Plan};
use crate::schema::{self, Fields};
use crate::snapshot::Snapshot;
use crate::types::{ConversationHits, SearchDoc, SearchHits, SearchQuery};

/// Memory the writer may buffer before it writes a segment.
const WRITER_MEMORY_BUDGET: usize = 50 * 1024 * 1024;
/// Background merge threads (tantivy's default merge policy decides what to merge).
const MERGE_THREADS: usize = 2;
/// Longest message ID, conversation key or sender accepted, in bytes.
pub const MAX_KEY_BYTES: usize = 4096;

/// A full-text index of messages, on disk or in memory. `Send + Sync`: share it behind an
/// `Arc`; writes are serialized internally and searches run concurrently with them.
pub struct SearchIndex {
    fields: Fields,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    snapshot: RwLock<Arc<Snapshot>>,
    // Kept last so the writer and reader are dropped before the index they belong to.
    _index: Index,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index when there is none.
    ///
    /// An index written with another schema version (or a directory holding something else
    /// that looks like an index) is refused with [`SearchError::SchemaMismatch`]; the caller
    /// should delete the directory and rebuild from the store. Only one `SearchIndex` may have a
    /// directory open at a time (the second gets an I/O error for the lock).
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        let (index, fields) = schema::open_dir(dir)?;
        Self::with_index(index, fields)
    }

    /// A new, empty index held in memory only.
    pub fn open_in_ram() -> Result<Self, SearchError> {
        let (index, fields) = schema::create_in_ram()?;
        Self::with_index(index, fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<Self, SearchError> {
        let options = IndexWriterOptions::builder()
            .num_worker_threads(1)
            .memory_budget_per_thread(WRITER_MEMORY_BUDGET)
            .num_merge_threads(MERGE_THREADS)
            .build();
        let writer = index.writer_with_options(options)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let snapshot = Snapshot::new(reader.searcher(), None)?;
        Ok(Self {
            fields,
            reader,
            writer: Mutex::new(writer),
            snapshot: RwLock::new(Arc::new(snapshot)),
            _index: index,
        })
    }

    fn writer(&self) -> MutexGuard<'_, IndexWriter> {
        // A panic while holding the lock cannot leave tantivy's writer half-updated in a way
        // this crate relies on; keep serving rather than poisoning every later call.
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn current(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Adds `docs`, each replacing any document with the same message ID (a later one in the
    /// same batch wins). Visible after the next [`commit`](Self::commit).
    ///
    /// The batch is checked first and refused as a whole, with `ERR_INVALID_PARAMETERS`, if a
    /// document has no message ID or a key longer than [`MAX_KEY_BYTES`].
    pub fn upsert(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        for doc in docs {
            check_doc(doc)?;
        }
        let writer = self.writer();
        for doc in docs {
            writer.delete_term(Term::from_field_text(self.fields.msg_id, &doc.msg_id));
            writer.add_document(self.to_document(doc))?;
        }
        Ok(())
    }

    fn to_document(&self, doc: &SearchDoc) -> TantivyDocument {
        let fields = &self.fields;
        let mut document = TantivyDocument::new();
        document.add_text(fields.msg_id, &doc.msg_id);
        document.add_text(fields.conv_key, &doc.conv_key);
        document.add_text(fields.sender, &doc.sender);
        for elem_type in &doc.elem_types {
            document.add_i64(fields.elem_type, i64::from(*elem_type));
        }
        document.add_u64(fields.time, doc.time);
        document.add_text(fields.text, &doc.text);
        document
    }

    /// Removes the documents with these message IDs (unknown ones are ignored). Visible after
    /// the next commit.
    pub fn delete(&self, msg_ids: &[&str]) -> Result<(), SearchError> {
        let writer = self.writer();
        for msg_id in msg_ids {
            writer.delete_term(Term::from_field_text(self.fields.msg_id, msg_id));
        }
        Ok(())
    }

    /// Removes every document of the conversation. Visible after the next commit.
    pub fn delete_conversation(&self, conv_key: &str) -> Result<(), SearchError> {
        self.writer()
            .delete_term(Term::from_field_text(self.fields.conv_key, conv_key));
        Ok(())
    }

    /// Removes every document added before this call. Visible after the next commit, like any
    /// other change; documents upserted after it (and before the commit) are kept.
    pub fn clear(&self) -> Result<(), SearchError> {
        self.writer().delete_query(Box::new(AllQuery))?;
        Ok(())
    }

    /// Makes every change so far durable and visible to searches that start after it returns.
    /// Changes not committed are lost when the index is dropped.
    pub fn commit(&self) -> Result<(), SearchError> {
        let mut writer = self.writer();
        writer.commit()?;
        self.reader.reload()?;
        let previous = self.current();
        let snapshot = Snapshot::new(self.reader.searcher(), Some(&previous))?;
        *self
            .snapshot
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Arc::new(snapshot);
        Ok(())
    }

    /// Checks `query` and prepares it against the current snapshot.
    fn prepare(&self, query: &SearchQuery) -> Result<Prepared, SearchError> {
        let plan = query::plan(query, &self.fields)?;
        let snapshot = self.current();
        let weight = plan
            .query
            .weight(EnableScoring::disabled_from_searcher(&snapshot.searcher))?;
        Ok(Prepared {
            snapshot,
            weight,
            plan,
        })
    }

    /// The committed messages matching `query`, newest first (time descending, then message ID
    /// descending), paged by `offset` and `limit`, with the number of all matches.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchHits, SearchError> {
        let prepared = self.prepare(query)?;
        let run = newest::Run {
            weight: prepared.weight.as_ref(),
            range: prepared.plan.range,
            lone_term: prepared.plan.lone_term,
            conv_key: query.conv_key.as_deref(),
        };
        newest::search(&prepared.snapshot, &run, query.offset, query.limit)
    }

    /// The conversations with committed messages matching `query` (its `offset` and `limit` are
    /// ignored), each with its number of matches and its newest match; the conversation with
    /// the newest match first.
    pub fn count_by_conversation(
        &self,
        query: &SearchQuery,
    ) -> Result<Vec<ConversationHits>, SearchError> {
        let prepared = self.prepare(query)?;
        group::by_conversation(
            &prepared.snapshot,
            prepared.weight.as_ref(),
            prepared.plan.range,
        )
    }

    /// The number of committed documents.
    pub fn doc_count(&self) -> Result<u64, SearchError> {
        Ok(self.current().searcher.num_docs())
    }
}

/// A checked query bound to the snapshot it runs on.
struct Prepared {
    snapshot: Arc<Snapshot>,
    weight: Box<dyn Weight>,
    plan: Plan,
}

fn check_doc(doc: &SearchDoc) -> Result<(), SearchError> {
    if doc.msg_id.is_empty() {
        return Err(SearchError::InvalidDocument(
            "a document needs a message ID".into(),
        ));
    }
    for (name, value) in [
        ("msg_id", &doc.msg_id),
        ("conv_key", &doc.conv_key),
        ("sender", &doc.sender),
    ] {
        if value.len() > MAX_KEY_BYTES {
            return Err(SearchError::InvalidDocument(format!(
                "{name} of {:?}... is {} bytes, at most {MAX_KEY_BYTES} are allowed",
                value.chars().take(32).collect::<String>(),
                value.len()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, conv: &str, time: u64, text: &str) -> SearchDoc {
        SearchDoc {
            msg_id: id.to_owned(),
            conv_key: conv.to_owned(),
            sender: "u".to_owned(),
            elem_types: vec![0],
            time,
            text: text.to_owned(),
        }
    }

    /// An index whose segments are not sorted by time (as if index sorting had failed): the
    /// search must fall back to visiting every match and still be exact.
    fn unsorted_index() -> SearchIndex {
        let (schema, fields) = schema::schema();
        let index = Index::builder()
            .schema(schema)
            .settings(tantivy::IndexSettings::default())
            .create_in_ram()
            .unwrap();
        index.tokenizers().register(
            crate::tokenizer::TOKENIZER_NAME,
            tantivy::tokenizer::TextAnalyzer::from(crate::tokenizer::CjkBigramTokenizer::default()),
        );
        SearchIndex::with_index(index, fields).unwrap()
    }

    #[test]
    fn unsorted_segments_are_searched_exactly() {
        let index = unsorted_index();
        let times = [5u64, 9, 1, 7, 7, 3, 8, 2, 7, 6];
        for (batch, chunk) in times.chunks(4).enumerate() {
            let docs: Vec<SearchDoc> = chunk
                .iter()
                .enumerate()
                .map(|(i, &time)| {
                    let n = batch * 4 + i;
                    doc(&format!("m{n}"), &format!("c{}", n % 2), time, "北京 hello")
                })
                .collect();
            index.upsert(&docs).unwrap();
            index.commit().unwrap();
        }
        let snapshot = index.current();
        assert!(snapshot.segments.iter().any(|s| !s.columns.is_sorted()));
        let everything = |offset, limit, from, to| {
            let query = SearchQuery {
                keywords: vec!["北京".into()],
                offset,
                limit,
                time_from: from,
                time_to: to,
                ..SearchQuery::default()
            };
            let hits = index.search(&query).unwrap();
            let ids: Vec<String> = hits.hits.into_iter().map(|h| h.msg_id).collect();
            (hits.total, ids)
        };
        let all = ["m1", "m6", "m8", "m4", "m3", "m9", "m0", "m5", "m7", "m2"];
        assert_eq!(
            everything(0, 0, None, None),
            (10, all.map(String::from).to_vec())
        );
        assert_eq!(
            everything(2, 3, None, None),
            (10, all[2..5].iter().map(|s| s.to_string()).collect())
        );
        let ranged = everything(0, 2, Some(3), Some(7));
        assert_eq!(ranged, (6, vec!["m8".to_string(), "m4".to_string()]));

        let groups = index
            .count_by_conversation(&SearchQuery {
                keywords: vec!["hello".into()],
                time_to: Some(7),
                ..SearchQuery::default()
            })
            .unwrap();
        let summary: Vec<(String, u64, String)> = groups
            .into_iter()
            .map(|g| (g.conv_key, g.count, g.newest.msg_id))
            .collect();
        assert_eq!(
            summary,
            [
                ("c0".to_string(), 4, "m8".to_string()),
                ("c1".to_string(), 4, "m3".to_string())
            ]
        );
    }

    #[test]
    fn merged_segments_stay_sorted_newest_first() {
        let index = SearchIndex::open_in_ram().unwrap();
        let mut expected: Vec<(u64, String)> = Vec::new();
        for batch in 0..3u64 {
            let docs: Vec<SearchDoc> = (0..40u64)
                .map(|i| {
                    // Times interleave across batches and repeat within them.
                    let time = (i * 7 + batch * 3) % 50;
                    doc(&format!("m{batch}-{i:02}"), "c", time, "北京")
                })
                .collect();
            expected.extend(docs.iter().map(|d| (d.time, d.msg_id.clone())));
            index.upsert(&docs).unwrap();
            index.commit().unwrap();
        }
        let ids: Vec<_> = index
            .current()
            .segments
            .iter()
            .map(|s| s.segment_id)
            .collect();
        assert_eq!(ids.len(), 3);
        index.writer().merge(&ids).wait().unwrap();
        index.commit().unwrap();
        let snapshot = index.current();
        assert_eq!(snapshot.segments.len(), 1);
        assert!(snapshot.segments[0].columns.is_sorted());

        expected.sort_by(|a, b| b.cmp(a));
        let query = SearchQuery {
            keywords: vec!["北京".into()],
            offset: 5,
            limit: 30,
            time_from: Some(3),
            time_to: Some(40),
            ..SearchQuery::default()
        };
        let hits = index.search(&query).unwrap();
        let in_range: Vec<&(u64, String)> = expected
            .iter()
            .filter(|(t, _)| (3..=40).contains(t))
            .collect();
        assert_eq!(hits.total as usize, in_range.len());
        let got: Vec<(u64, String)> = hits.hits.into_iter().map(|h| (h.time, h.msg_id)).collect();
        let want: Vec<(u64, String)> = in_range[5..35].iter().map(|e| (*e).clone()).collect();
        assert_eq!(got, want);
    }
}
