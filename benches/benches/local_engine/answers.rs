//! Checking answers: how a page or search result of either side differs from the brute-force
//! answer of the data set, in words a reader can act on (which request, which side, which
//! messages are missing or unexpected, with their texts).

use tim_benches::local_data::{LocalDataSet, PageCase, SearchCase};
use tim_model::Message;

use crate::PAGE;

/// Says how `got` differs from the expected messages, or `None` when it is exactly them in
/// the same order.
fn difference(data: &LocalDataSet, expected: &[usize], got: &[Message]) -> Option<String> {
    let expected: Vec<String> = expected.iter().map(|&index| data.msg_id(index)).collect();
    let got: Vec<String> = got
        .iter()
        .map(|m| {
            m.msg_id
                .as_ref()
                .map_or_else(String::new, |id| id.as_str().to_owned())
        })
        .collect();
    if expected == got {
        return None;
    }
    let describe = |ids: Vec<&String>| -> String {
        let shown: Vec<String> = ids
            .iter()
            .take(3)
            .map(
                |id| match data.index_of_msg_id(id).and_then(|index| data.get(index)) {
                    Some(message) => format!("{id} {:?}", message.text),
                    None => format!("{id:?} (not a generated message)"),
                },
            )
            .collect();
        let more = ids.len().saturating_sub(shown.len());
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        format!("[{}]{tail}", shown.join(", "))
    };
    let missing: Vec<&String> = expected.iter().filter(|id| !got.contains(id)).collect();
    let unexpected: Vec<&String> = got.iter().filter(|id| !expected.contains(id)).collect();
    if missing.is_empty() && unexpected.is_empty() {
        return Some(format!(
            "the right {} messages in the wrong order: expected {expected:?}, got {got:?}",
            got.len()
        ));
    }
    Some(format!(
        "{} messages instead of {}; missing {}; unexpected {}",
        got.len(),
        expected.len(),
        describe(missing),
        describe(unexpected)
    ))
}

/// Checks one answer of each side against `expected`; returns what was wrong, one line per side.
pub fn check(
    data: &LocalDataSet,
    what: &str,
    expected: &[usize],
    ours: &[Message],
    sqlite: &[Message],
) -> Vec<String> {
    [("ours", ours), ("SQLite", sqlite)]
        .into_iter()
        .filter_map(|(side, got)| {
            difference(data, expected, got).map(|why| format!("{side}: {what}: {why}"))
        })
        .collect()
}

/// Names a page request in a report.
pub fn describe_page(case: PageCase) -> String {
    format!(
        "page of {PAGE} before position {} of {}",
        case.anchor_position,
        LocalDataSet::peer(case.conversation)
    )
}

/// Names a search request in a report.
pub fn describe_search(case: &SearchCase) -> String {
    format!(
        "search {:?} (all must match) in {}",
        case.keywords,
        LocalDataSet::peer(case.conversation)
    )
}
