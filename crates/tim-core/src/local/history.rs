//! `TIMMsgGetMsgList`, local part: how a `GetMsgListParam` becomes a page query on the store.
//! Pure: no store, no clock (the caller passes `now`), so every rule is unit-tested here.
//!
//! Rules (functions.md 5.12, and the choices recorded in docs/compatibility.md):
//! - `msg_getmsglist_param_last_msg` with a message ID anchors the page and is excluded; an
//!   anchor without an ID (the samples' `{}`) means "no anchor".
//! - Groups only: `last_msg_seq` anchors when no anchor message is given, and is included;
//!   `message_seq_array` asks for exactly those seqs and wins over everything else.
//! - `is_forward` true walks to newer messages, false to older ones; results come in walking
//!   order. Without any anchor, older pages start at the newest message and newer pages at the
//!   oldest one.
//! - `time_begin`/`time_period`: older pages cover `[time_begin - time_period, time_begin]`,
//!   newer pages `[time_begin, time_begin + time_period]` (period 0: unbounded on that side;
//!   `time_begin` 0: now), and without an anchor the page starts at `time_begin`.
//! - The element-type filter applies only when `is_ramble` is false (as the spec says).
//! - `count` 0 means [`DEFAULT_PAGE`]; more than [`MAX_PAGE`] is refused.

use crate::error::{CoreError, Result};
use tim_model::enums::ConvType;
use tim_model::{GetMsgListParam, MessageId, keys};
use tim_store::{Anchor, Direction, PageQuery};

/// Page size when the caller asks for 0 messages.
pub const DEFAULT_PAGE: usize = 20;
/// Largest page one call may ask for.
pub const MAX_PAGE: usize = 1000;

/// The store query for `param` in a conversation of type `conv_type`.
pub(crate) fn page_query(
    conv_type: ConvType,
    param: &GetMsgListParam,
    now: u64,
) -> Result<PageQuery> {
    let count = match usize::try_from(param.count).unwrap_or(usize::MAX) {
        0 => DEFAULT_PAGE,
        n if n > MAX_PAGE => {
            return Err(CoreError::invalid(format!(
                "{}: {n} messages; a page holds at most {MAX_PAGE}",
                keys::MSG_GETMSGLIST_PARAM_COUNT.name
            )));
        }
        n => n,
    };
    let direction = if param.is_forward {
        Direction::Newer
    } else {
        Direction::Older
    };
    let is_group = conv_type == ConvType::Group;
    let seqs = if is_group {
        param.message_seq_array.clone()
    } else {
        Vec::new()
    };
    let elem_types = if param.is_ramble {
        Vec::new()
    } else {
        param.message_type_array.clone()
    };
    let time_range = time_range(param, direction, now);

    let anchor_message: Option<MessageId> = param.last_msg.as_ref().and_then(|m| m.msg_id.clone());
    let anchor = match (anchor_message, time_range) {
        (Some(id), _) => Anchor::After(id),
        (None, _) if is_group && param.last_msg_seq.0 > 0 => Anchor::AtSeq(param.last_msg_seq),
        (None, Some((begin, end))) => Anchor::AtTime(match direction {
            Direction::Older => end,
            Direction::Newer => begin,
        }),
        (None, None) => match direction {
            Direction::Older => Anchor::Newest,
            Direction::Newer => Anchor::Oldest,
        },
    };
    Ok(PageQuery {
        anchor,
        direction,
        count,
        time_range,
        elem_types,
        seqs,
    })
}

fn time_range(param: &GetMsgListParam, direction: Direction, now: u64) -> Option<(u64, u64)> {
    if param.time_begin == 0 && param.time_period == 0 {
        return None;
    }
    let begin = if param.time_begin == 0 {
        now
    } else {
        param.time_begin
    };
    let period = param.time_period;
    Some(match direction {
        Direction::Older if period == 0 => (0, begin),
        Direction::Older => (begin.saturating_sub(period), begin),
        Direction::Newer if period == 0 => (begin, u64::MAX),
        Direction::Newer => (begin, begin.saturating_add(period)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tim_model::enums::ElemType;
    use tim_model::{Message, Seq};

    fn param() -> GetMsgListParam {
        GetMsgListParam::default()
    }

    fn with_anchor(id: &str) -> GetMsgListParam {
        let msg_id = MessageId::new(id).ok();
        GetMsgListParam {
            last_msg: Some(Message {
                msg_id,
                ..Default::default()
            }),
            ..param()
        }
    }

    #[test]
    fn no_anchor_starts_at_the_newest_for_older_and_the_oldest_for_newer_pages() {
        let older = page_query(ConvType::C2c, &param(), 0).unwrap();
        assert_eq!(
            (older.anchor, older.direction, older.count),
            (Anchor::Newest, Direction::Older, DEFAULT_PAGE)
        );
        let newer = page_query(
            ConvType::C2c,
            &GetMsgListParam {
                is_forward: true,
                ..param()
            },
            0,
        )
        .unwrap();
        assert_eq!(
            (newer.anchor, newer.direction),
            (Anchor::Oldest, Direction::Newer)
        );
        // The samples' `{}` anchor is no anchor.
        let empty = GetMsgListParam {
            last_msg: Some(Message::default()),
            ..param()
        };
        assert_eq!(
            page_query(ConvType::C2c, &empty, 0).unwrap().anchor,
            Anchor::Newest
        );
    }

    #[test]
    fn an_anchor_message_wins_over_an_anchor_seq() {
        let mut p = with_anchor("m-1");
        p.last_msg_seq = Seq(7);
        let query = page_query(ConvType::Group, &p, 0).unwrap();
        assert_eq!(query.anchor, Anchor::After(MessageId::new("m-1").unwrap()));
    }

    #[test]
    fn seq_anchors_and_seq_lists_are_for_groups_only() {
        let p = GetMsgListParam {
            last_msg_seq: Seq(7),
            message_seq_array: vec![Seq(1), Seq(3)],
            ..param()
        };
        let group = page_query(ConvType::Group, &p, 0).unwrap();
        assert_eq!(
            (group.anchor, group.seqs.clone()),
            (Anchor::AtSeq(Seq(7)), vec![Seq(1), Seq(3)])
        );
        let c2c = page_query(ConvType::C2c, &p, 0).unwrap();
        assert_eq!((c2c.anchor, c2c.seqs.len()), (Anchor::Newest, 0));
    }

    #[test]
    fn time_ranges_extend_in_the_walking_direction() {
        let p = GetMsgListParam {
            time_begin: 1000,
            time_period: 100,
            ..param()
        };
        let older = page_query(ConvType::C2c, &p, 5000).unwrap();
        assert_eq!(
            (older.time_range, older.anchor),
            (Some((900, 1000)), Anchor::AtTime(1000))
        );
        let newer = page_query(
            ConvType::C2c,
            &GetMsgListParam {
                is_forward: true,
                ..p.clone()
            },
            5000,
        )
        .unwrap();
        assert_eq!(
            (newer.time_range, newer.anchor),
            (Some((1000, 1100)), Anchor::AtTime(1000))
        );
        let open = GetMsgListParam {
            time_begin: 1000,
            ..param()
        };
        assert_eq!(
            page_query(ConvType::C2c, &open, 0).unwrap().time_range,
            Some((0, 1000))
        );
        let now = GetMsgListParam {
            time_period: 60,
            ..param()
        };
        assert_eq!(
            page_query(ConvType::C2c, &now, 5000).unwrap().time_range,
            Some((4940, 5000))
        );
    }

    #[test]
    fn the_type_filter_applies_only_without_ramble() {
        let p = GetMsgListParam {
            message_type_array: vec![ElemType::Image],
            ..param()
        };
        assert_eq!(
            page_query(ConvType::C2c, &p, 0).unwrap().elem_types,
            vec![ElemType::Image]
        );
        let ramble = GetMsgListParam {
            is_ramble: true,
            ..p
        };
        assert!(
            page_query(ConvType::C2c, &ramble, 0)
                .unwrap()
                .elem_types
                .is_empty()
        );
    }

    #[test]
    fn page_sizes_are_bounded() {
        let max = GetMsgListParam {
            count: 1000,
            ..param()
        };
        assert_eq!(page_query(ConvType::C2c, &max, 0).unwrap().count, 1000);
        let err = page_query(
            ConvType::C2c,
            &GetMsgListParam {
                count: 1001,
                ..param()
            },
            0,
        )
        .unwrap_err();
        assert_eq!(err.code(), 6017);
        assert!(
            err.to_string().contains("msg_getmsglist_param_count"),
            "{err}"
        );
    }
}
