//! From a `SearchQuery` to a tantivy query plus the parts the search handles itself (time range
//! and paging), refusing a query that breaks the TIM rules.
//!
//! A keyword becomes one term when it has one token and a phrase of its tokens otherwise (see
//! `tokenizer`). The time range is not part of the tantivy query: documents are sorted by time,
//! so the search turns it into a range of document ids per segment.

use tantivy::Term;
use tantivy::query::{BooleanQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use crate::error::SearchError;
use crate::schema::Fields;
use crate::tokenizer::query_tokens;
use crate::types::SearchQuery;

/// The most keywords a query may have (TIM's limit).
pub const MAX_KEYWORDS: usize = 5;

/// An inclusive range of times, seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimeRange {
    pub(crate) from: u64,
    pub(crate) to: u64,
}

impl TimeRange {
    pub(crate) fn contains(self, time: u64) -> bool {
        self.from <= time && time <= self.to
    }
}

/// A checked query, ready to run.
pub(crate) struct Plan {
    /// Keywords and every filter but time.
    pub(crate) query: Box<dyn Query>,
    pub(crate) range: TimeRange,
    /// `query` is a single term query.
    pub(crate) lone_term: bool,
}

/// Checks `query` and builds its plan.
pub(crate) fn plan(query: &SearchQuery, fields: &Fields) -> Result<Plan, SearchError> {
    let invalid = |reason: String| Err(SearchError::InvalidQuery(reason));
    if query.keywords.is_empty() {
        return invalid("at least one keyword is required".into());
    }
    if query.keywords.len() > MAX_KEYWORDS {
        return invalid(format!(
            "{} keywords given, at most {MAX_KEYWORDS} are allowed",
            query.keywords.len()
        ));
    }
    if let Some(index) = query.keywords.iter().position(|k| k.trim().is_empty()) {
        return invalid(format!("keyword {index} is empty"));
    }
    let range = TimeRange {
        from: query.time_from.unwrap_or(0),
        to: query.time_to.unwrap_or(u64::MAX),
    };
    if range.from > range.to {
        return invalid(format!(
            "time range starts ({}) after it ends ({})",
            range.from, range.to
        ));
    }

    let (keywords, lone_term) = keywords_query(query, fields);
    let mut clauses: Vec<Box<dyn Query>> = vec![keywords];
    if !query.senders.is_empty() {
        clauses.push(any_of(
            query
                .senders
                .iter()
                .map(|sender| Term::from_field_text(fields.sender, sender)),
        ));
    }
    if !query.elem_types.is_empty() {
        clauses.push(any_of(query.elem_types.iter().map(|elem_type| {
            Term::from_field_i64(fields.elem_type, i64::from(*elem_type))
        })));
    }
    if let Some(conv_key) = &query.conv_key {
        clauses.push(term_query(Term::from_field_text(fields.conv_key, conv_key)));
    }
    // A lone clause stays unwrapped: a bare term query counts its matches from the dictionary.
    let lone_term = lone_term && clauses.len() == 1;
    let query: Box<dyn Query> = if clauses.len() == 1 {
        clauses.remove(0)
    } else {
        Box::new(BooleanQuery::intersection(clauses))
    };
    Ok(Plan {
        query,
        range,
        lone_term,
    })
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

fn any_of(terms: impl Iterator<Item = Term>) -> Box<dyn Query> {
    let mut queries: Vec<Box<dyn Query>> = terms.map(term_query).collect();
    if queries.len() == 1 {
        queries.remove(0)
    } else {
        Box::new(BooleanQuery::union(queries))
    }
}

/// The keywords combined with AND or OR, and whether that is a single term query. A keyword
/// without any searchable character (only punctuation) matches nothing.
fn keywords_query(query: &SearchQuery, fields: &Fields) -> (Box<dyn Query>, bool) {
    let keywords: Vec<Option<Keyword>> = query
        .keywords
        .iter()
        .map(|keyword| keyword_query(keyword, fields))
        .collect();
    let mut matching: Vec<Keyword> = if query.match_all {
        match keywords.into_iter().collect::<Option<Vec<_>>>() {
            Some(all) => all,
            None => return (Box::new(EmptyQuery), false),
        }
    } else {
        keywords.into_iter().flatten().collect()
    };
    match matching.len() {
        0 => (Box::new(EmptyQuery), false),
        1 => {
            let only = matching.remove(0);
            (only.query, only.is_term)
        }
        _ => {
            let occur = if query.match_all {
                Occur::Must
            } else {
                Occur::Should
            };
            let clauses = matching.into_iter().map(|k| (occur, k.query)).collect();
            (Box::new(BooleanQuery::new(clauses)), false)
        }
    }
}

/// One keyword's query.
struct Keyword {
    query: Box<dyn Query>,
    /// A single term (else a phrase).
    is_term: bool,
}

fn keyword_query(keyword: &str, fields: &Fields) -> Option<Keyword> {
    let mut tokens: Vec<(usize, Term)> = query_tokens(keyword)
        .into_iter()
        .map(|(position, text)| (position, Term::from_field_text(fields.text, &text)))
        .collect();
    match tokens.len() {
        0 => None,
        1 => Some(Keyword {
            query: term_query(tokens.remove(0).1),
            is_term: true,
        }),
        _ => Some(Keyword {
            query: Box::new(PhraseQuery::new_with_offset(tokens)),
            is_term: false,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::schema;

    fn check(query: SearchQuery) -> Result<(), SearchError> {
        plan(&query, &schema().1).map(|_| ())
    }

    fn with_keywords(keywords: &[&str]) -> SearchQuery {
        SearchQuery {
            keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
            ..SearchQuery::default()
        }
    }

    #[test]
    fn keyword_count_and_emptiness_are_checked() {
        assert_eq!(check(with_keywords(&[])).unwrap_err().code(), 6017);
        assert_eq!(check(with_keywords(&["a"; 6])).unwrap_err().code(), 6017);
        assert_eq!(check(with_keywords(&["a", ""])).unwrap_err().code(), 6017);
        assert_eq!(check(with_keywords(&[" \t"])).unwrap_err().code(), 6017);
        assert!(check(with_keywords(&["a"; 5])).is_ok());
        assert!(
            check(with_keywords(&["!!!"])).is_ok(),
            "valid, matches nothing"
        );
    }

    #[test]
    fn an_inverted_time_range_is_refused() {
        let mut query = with_keywords(&["a"]);
        query.time_from = Some(10);
        query.time_to = Some(9);
        assert_eq!(check(query.clone()).unwrap_err().code(), 6017);
        query.time_to = Some(10);
        assert!(check(query).is_ok());
    }
}
