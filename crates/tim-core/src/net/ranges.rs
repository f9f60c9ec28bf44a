//! Seq-range math for cloud history (sans-I/O): which part of a requested history page the
//! device does not hold, so that exactly that part is pulled from the server.
//!
//! The store keeps, per conversation, the seq ranges it holds (every stored message's seq, and
//! ranges the server said hold nothing else). A page walks from an anchor, older or newer:
//! - older (down): the page must hold every seq between the anchor and its oldest message, or,
//!   when it is shorter than asked, everything down to seq 1 (the start of history);
//! - newer (up): every seq between the anchor and its newest message, or, when it is short,
//!   everything up to the newest seq held (newer messages arrive through sync).
//!
//! The gap nearest the anchor is pulled first; the page is then read again. With nothing held
//! at all, the device asks for the newest (or, walking up, the first) page outright.

use tim_model::Seq;

/// A history pull: `PullHistoryRequest` fields (0 = open end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pull {
    pub begin: u64,
    pub end: u64,
    pub backward: bool,
}

/// Where a page starts in seq space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Start {
    /// At the newest message (older pages) or the oldest (newer pages).
    Edge,
    /// Just past the anchor's seq (the anchor is excluded).
    After(u64),
    /// At this seq, included.
    At(u64),
}

/// The ranges inside `from..=to` that `held` (merged, ascending) does not cover, ascending.
pub(crate) fn gaps(held: &[(Seq, Seq)], from: u64, to: u64) -> Vec<(u64, u64)> {
    let mut gaps = Vec::new();
    if from == 0 || from > to {
        return gaps;
    }
    let mut next = from;
    for &(Seq(start), Seq(end)) in held {
        if end < next {
            continue;
        }
        if start > to {
            break;
        }
        if start > next {
            gaps.push((next, start - 1));
        }
        match end.checked_add(1) {
            Some(after) => next = next.max(after),
            None => return gaps,
        }
        if next > to {
            return gaps;
        }
    }
    if next <= to {
        gaps.push((next, to));
    }
    gaps
}

/// The pull a page needs, or `None` when the local page is complete.
///
/// `page_seqs` are the seqs of the page's messages (0 for messages without one), `full` says
/// whether the page has as many messages as were asked for.
pub(crate) fn plan_pull(
    held: &[(Seq, Seq)],
    start: Start,
    older: bool,
    page_seqs: &[u64],
    full: bool,
) -> Option<Pull> {
    let newest_held = held.last().map(|&(_, Seq(end))| end);
    let page_min = page_seqs.iter().copied().filter(|&s| s > 0).min();
    let page_max = page_seqs.iter().copied().max().filter(|&s| s > 0);
    if older {
        let top = match start {
            Start::Edge => match newest_held {
                Some(end) => end,
                None => {
                    return Some(Pull {
                        begin: 0,
                        end: 0,
                        backward: true,
                    });
                }
            },
            Start::After(seq) => seq.checked_sub(1)?,
            Start::At(seq) => seq,
        };
        let bottom = if full {
            // A full page without any seq (local messages only) needs nothing from the server.
            page_min?
        } else {
            1
        };
        let gap = gaps(held, bottom, top).pop()?;
        Some(Pull {
            begin: gap.0,
            end: gap.1,
            backward: true,
        })
    } else {
        let bottom = match start {
            Start::Edge => 1,
            Start::After(seq) => seq.checked_add(1)?,
            Start::At(seq) => seq.max(1),
        };
        let top = if full {
            page_max?
        } else {
            match newest_held {
                Some(end) => end,
                None => {
                    return Some(Pull {
                        begin: bottom,
                        end: 0,
                        backward: false,
                    });
                }
            }
        };
        let gap = *gaps(held, bottom, top).first()?;
        Some(Pull {
            begin: gap.0,
            end: gap.1,
            backward: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(ranges: &[(u64, u64)]) -> Vec<(Seq, Seq)> {
        ranges.iter().map(|&(a, b)| (Seq(a), Seq(b))).collect()
    }

    #[test]
    fn gaps_are_the_uncovered_parts() {
        let h = held(&[(3, 5), (8, 8), (10, 20)]);
        assert_eq!(gaps(&h, 1, 25), [(1, 2), (6, 7), (9, 9), (21, 25)]);
        assert_eq!(gaps(&h, 4, 9), [(6, 7), (9, 9)]);
        assert_eq!(gaps(&h, 10, 20), []);
        assert_eq!(gaps(&h, 6, 6), [(6, 6)]);
        assert_eq!(gaps(&[], 1, 3), [(1, 3)]);
        assert_eq!(gaps(&h, 5, 4), []);
        assert_eq!(gaps(&h, 0, 4), []);
        let edge = held(&[(1, u64::MAX)]);
        assert_eq!(gaps(&edge, 1, u64::MAX), []);
    }

    #[test]
    fn older_pages_pull_the_gap_nearest_the_anchor_then_the_start_of_history() {
        let h = held(&[(1, 3), (6, 10), (12, 20)]);
        // Newest page of 5 (16..=20): complete.
        assert_eq!(
            plan_pull(&h, Start::Edge, true, &[20, 19, 18, 17, 16], true),
            None
        );
        // Page of 10 from the newest reaches 7..=20 locally but 11 is missing.
        let page: Vec<u64> = (6..=20).rev().filter(|&s| s != 11).take(10).collect();
        assert_eq!(
            plan_pull(&h, Start::Edge, true, &page, true),
            Some(Pull {
                begin: 11,
                end: 11,
                backward: true
            })
        );
        // A short page below anchor 6: history from 1 must be held; 1..=3 is, 4..=5 is not.
        assert_eq!(
            plan_pull(&h, Start::After(6), true, &[3, 2, 1], false),
            Some(Pull {
                begin: 4,
                end: 5,
                backward: true
            })
        );
        // Nothing held: the newest page.
        assert_eq!(
            plan_pull(&[], Start::Edge, true, &[], false),
            Some(Pull {
                begin: 0,
                end: 0,
                backward: true
            })
        );
        // Below seq 1 there is nothing; a page of local messages only needs nothing.
        assert_eq!(plan_pull(&h, Start::After(1), true, &[], false), None);
        assert_eq!(plan_pull(&h, Start::Edge, true, &[0, 0], true), None);
        // A seq anchor is included.
        assert_eq!(
            plan_pull(&h, Start::At(11), true, &[11, 10], true),
            Some(Pull {
                begin: 11,
                end: 11,
                backward: true
            })
        );
    }

    #[test]
    fn newer_pages_pull_the_gap_nearest_the_anchor() {
        let h = held(&[(1, 3), (6, 10)]);
        assert_eq!(
            plan_pull(&h, Start::After(2), false, &[3, 6, 7], true),
            Some(Pull {
                begin: 4,
                end: 5,
                backward: false
            })
        );
        // A short page reaches the newest seq held: complete.
        assert_eq!(
            plan_pull(&h, Start::After(7), false, &[8, 9, 10], false),
            None
        );
        assert_eq!(
            plan_pull(&h, Start::Edge, false, &[1, 2], true),
            None,
            "a full page from the oldest"
        );
        assert_eq!(
            plan_pull(&[], Start::After(4), false, &[], false),
            Some(Pull {
                begin: 5,
                end: 0,
                backward: false
            })
        );
    }
}
