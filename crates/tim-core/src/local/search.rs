//! `TIMMsgSearchLocalMessages`: how a `SearchParam` becomes an index query, and how hits become
//! the TIM result shape. Pure; the engine does the lookups.
//!
//! Result shape (json-keys.md §9, with the choices recorded in docs/compatibility.md):
//! - One conversation searched: `total_count` is the number of matching messages, and the one
//!   item holds that count and the requested page of messages, newest first.
//! - All conversations (`msg_search_param_conv_type` 0): `total_count` is the number of
//!   conversations with hits; the page (`page_index`, `page_size`) is a page of conversations,
//!   the one with the newest hit first, and each item holds its hit count and its newest
//!   matching message (search inside that conversation for the others).
//! - Time: `search_time_position` (0: now) is the end of the window, `search_time_period`
//!   (0: unlimited) its length back in time.
//! - `page_size` 0 returns every hit.

use crate::error::Result;
use tim_model::enums::ConvType;
use tim_model::{ConvId, SearchParam, limits};
use tim_search::SearchQuery;

/// Which conversations a search covers: one, or all (`None`).
pub(crate) fn scope(param: &SearchParam) -> Result<Option<ConvId>> {
    if param.conv_type == ConvType::Invalid {
        return Ok(None);
    }
    // The newer API spells conversation IDs `c2c_<user>` / `group_<group>`; accept both forms.
    let id = param.conv_id.as_str();
    let bare = match param.conv_type {
        ConvType::C2c => id.strip_prefix("c2c_").unwrap_or(id),
        ConvType::Group => id.strip_prefix("group_").unwrap_or(id),
        _ => id,
    };
    Ok(Some(ConvId::new(param.conv_type, bare)?))
}

/// The index query for `param` restricted to `scope`, paged when one conversation is searched.
pub(crate) fn index_query(param: &SearchParam, scope: Option<&ConvId>) -> Result<SearchQuery> {
    limits::validate_search(param)?;
    let time_to = (param.search_time_position > 0).then_some(param.search_time_position);
    let time_from = match (param.search_time_period, time_to) {
        (0, _) => None,
        (period, Some(end)) => Some(end.saturating_sub(period)),
        (period, None) => Some(now_secs().saturating_sub(period)),
    };
    let (offset, limit) = page(param);
    Ok(SearchQuery {
        keywords: param.keyword_array.clone(),
        match_all: param.keyword_list_match_type == tim_model::enums::KeywordListMatchType::And,
        senders: param.sender_identifier_array.clone(),
        elem_types: param.message_type_array.iter().map(|t| t.value()).collect(),
        conv_key: scope.map(ToString::to_string),
        time_from,
        time_to,
        offset: if scope.is_some() { offset } else { 0 },
        limit: if scope.is_some() { limit } else { 0 },
    })
}

/// `(offset, limit)` of the requested page; `limit` 0 means everything.
pub(crate) fn page(param: &SearchParam) -> (usize, usize) {
    let size = usize::try_from(param.page_size).unwrap_or(usize::MAX);
    let index = usize::try_from(param.page_index).unwrap_or(usize::MAX);
    if size == 0 {
        (0, 0)
    } else {
        (index.saturating_mul(size), size)
    }
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tim_model::enums::{ElemType, KeywordListMatchType};

    fn param() -> SearchParam {
        SearchParam {
            keyword_array: vec!["hi".into()],
            ..Default::default()
        }
    }

    #[test]
    fn the_scope_accepts_plain_and_prefixed_conversation_ids() {
        assert_eq!(scope(&param()).unwrap(), None);
        let plain = SearchParam {
            conv_id: "team".into(),
            conv_type: ConvType::Group,
            ..param()
        };
        let prefixed = SearchParam {
            conv_id: "group_team".into(),
            ..plain.clone()
        };
        assert_eq!(scope(&plain).unwrap(), scope(&prefixed).unwrap());
        let bad = SearchParam {
            conv_id: String::new(),
            conv_type: ConvType::C2c,
            ..param()
        };
        assert_eq!(scope(&bad).unwrap_err().code(), 7003);
    }

    #[test]
    fn queries_carry_every_filter() {
        let p = SearchParam {
            keyword_array: vec!["a".into(), "b".into()],
            keyword_list_match_type: KeywordListMatchType::And,
            message_type_array: vec![ElemType::Text, ElemType::File],
            sender_identifier_array: vec!["u1".into()],
            search_time_position: 1000,
            search_time_period: 100,
            page_index: 2,
            page_size: 10,
            ..Default::default()
        };
        let conv = ConvId::new(ConvType::C2c, "peer").unwrap();
        let query = index_query(&p, Some(&conv)).unwrap();
        assert!(query.match_all);
        assert_eq!(query.elem_types, vec![0, 4]);
        assert_eq!((query.time_from, query.time_to), (Some(900), Some(1000)));
        assert_eq!((query.offset, query.limit), (20, 10));
        assert_eq!(query.conv_key.as_deref(), Some("c2c_peer"));
        // Across conversations the page is a page of conversations, applied by the engine.
        let all = index_query(&p, None).unwrap();
        assert_eq!((all.offset, all.limit, all.conv_key), (0, 0, None));
    }

    #[test]
    fn bad_keyword_lists_are_refused() {
        let none = SearchParam {
            keyword_array: vec![],
            ..param()
        };
        assert_eq!(index_query(&none, None).unwrap_err().code(), 6017);
        let six = SearchParam {
            keyword_array: vec!["k".into(); 6],
            ..param()
        };
        assert_eq!(index_query(&six, None).unwrap_err().code(), 6017);
    }

    #[test]
    fn page_size_zero_means_everything() {
        assert_eq!(page(&param()), (0, 0));
        assert_eq!(
            page(&SearchParam {
                page_index: 3,
                page_size: 5,
                ..param()
            }),
            (15, 5)
        );
    }
}
