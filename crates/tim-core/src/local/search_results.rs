//! `TIMMsgSearchLocalMessages` on the engine: runs the index query and shapes the result
//! (the rules are in [`super::search`]).

use super::search;
use crate::engine::Engine;
use crate::error::Result;
use tim_model::{MessageId, SearchParam, SearchResult, SearchResultItem};

impl Engine {
    /// `TIMMsgSearchLocalMessages`.
    pub fn search_local(&self, param: &SearchParam) -> Result<SearchResult> {
        let scope = search::scope(param)?;
        let query = search::index_query(param, scope.as_ref())?;
        self.flush_index()?;
        match scope {
            Some(conv) => {
                let hits = self.index.search(&query)?;
                let ids = hit_ids(hits.hits.iter().map(|hit| hit.msg_id.as_str()));
                let messages = self.store.get_messages(&ids)?;
                let total = u32::try_from(hits.total).unwrap_or(u32::MAX);
                let item_array = if total == 0 {
                    Vec::new()
                } else {
                    vec![SearchResultItem {
                        conv_id: conv.id().to_owned(),
                        conv_type: conv.conv_type(),
                        total_message_count: total,
                        message_array: messages,
                    }]
                };
                Ok(SearchResult {
                    total_count: total,
                    item_array,
                    search_cursor: String::new(),
                })
            }
            None => {
                let groups = self.index.count_by_conversation(&query)?;
                let (offset, limit) = search::page(param);
                let page =
                    groups
                        .iter()
                        .skip(offset)
                        .take(if limit == 0 { usize::MAX } else { limit });
                let mut item_array = Vec::new();
                for group in page {
                    let ids = hit_ids(std::iter::once(group.newest.msg_id.as_str()));
                    // A hit the store no longer has (deleted since) is left out.
                    if let Some(newest) = self.store.get_messages(&ids)?.into_iter().next() {
                        item_array.push(SearchResultItem {
                            conv_id: newest.conv_id.clone(),
                            conv_type: newest.conv_type,
                            total_message_count: u32::try_from(group.count).unwrap_or(u32::MAX),
                            message_array: vec![newest],
                        });
                    }
                }
                let total_count = u32::try_from(groups.len()).unwrap_or(u32::MAX);
                Ok(SearchResult {
                    total_count,
                    item_array,
                    search_cursor: String::new(),
                })
            }
        }
    }
}

/// The message IDs of index hits; an ID the model would refuse cannot come from our own
/// store, so it is skipped.
fn hit_ids<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<MessageId> {
    ids.filter_map(|id| MessageId::new(id).ok()).collect()
}
