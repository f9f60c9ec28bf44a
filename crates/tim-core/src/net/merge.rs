//! Merged (forwarded) messages: `TIMMsgDownloadMergerMessage`, the size check of a merged send,
//! and the relay keys of the server's ack.
//!
//! Decisions:
//! - Once the server acknowledges a merged send, the sender's stored copy is what the server
//!   stored and every other device, sync and history see: each merge element holds its relay
//!   key and no inner messages (fetched with [`Client::download_merged`] like anyone else's).
//!   While queued (Sending) the copy keeps the inner messages, which the queue sends.
//! - The whole send request must fit one frame ([`MAX_FRAME_LEN`], 1 MiB): a larger merged
//!   message is refused before it is queued, with `ERR_SDK_NET_PKG_SIZE_LIMIT` (9522).
//! - Downloaded messages are handed back, not stored as conversation messages.
//! - The server decides who may download: the parties of the C2C conversation and the current
//!   members of the group who see a message carrying the bundle (directly or inside another
//!   merged message); anyone else, and an unknown key, get
//!   `ERR_SDK_COMM_DATABASE_NOTFOUND` (7011).

use super::connection::{Request, Response};
use super::session::unexpected;
use crate::client::Client;
use crate::error::{CoreError, Result};
use prost::Message as _;
use tim_model::Elem;
use tim_model::{ConvId, Message, codes};
use tim_proto::MAX_FRAME_LEN;
use tim_proto::v1 as wire;

/// Refuses a merged message whose send request would not fit one frame.
pub(crate) fn check_frame(conv: &ConvId, message: &Message) -> Result<()> {
    if !message
        .elems
        .iter()
        .any(|elem| matches!(elem, Elem::Merge(_)))
    {
        return Ok(());
    }
    let frame = wire::ClientFrame {
        request_id: u64::MAX,
        body: Some(Request::SendMessage(wire::SendMessageRequest {
            conversation: Some(conv.clone().into()),
            message: Some(message.clone().into()),
        })),
    };
    let len = frame.encoded_len();
    if len > MAX_FRAME_LEN {
        return Err(CoreError::refused(
            codes::ERR_SDK_NET_PKG_SIZE_LIMIT,
            format!(
                "message_elem_array: the merged message makes a {len}-byte request; the limit \
                 is {MAX_FRAME_LEN} bytes"
            ),
        ));
    }
    Ok(())
}

/// Gives each merge element of an acknowledged `message` the relay key the server stored it
/// under (`keys` in element order) and drops its inner messages. Does nothing when the server
/// gave no keys.
pub(crate) fn apply_relay_keys(message: &mut Message, keys: &[String]) {
    if keys.is_empty() {
        return;
    }
    let merges = message.elems.iter_mut().filter_map(|elem| match elem {
        Elem::Merge(merge) => Some(merge),
        _ => None,
    });
    for (merge, key) in merges.zip(keys) {
        merge.relay_pb_key.clone_from(key);
        merge.message_array.clear();
        merge.relay_json_key.clear();
        merge.relay_buffer.clear();
    }
}

impl Client {
    /// `TIMMsgDownloadMergerMessage` by key: the inner messages of the merged message stored
    /// under `relay_pb_key` (a merge element's `relay_pb_key`), in their original order. Their
    /// own merge elements hold keys to download in turn. Fails with 7011 for an unknown key
    /// or one this user may not read (see the module doc), 6017 for an empty key.
    pub async fn download_merged(&self, relay_pb_key: &str) -> Result<Vec<Message>> {
        if relay_pb_key.is_empty() {
            return Err(CoreError::invalid(
                "relay_pb_key: empty (the message was not sent, or is not a merged message)",
            ));
        }
        let request = wire::DownloadMergedRequest {
            relay_pb_key: relay_pb_key.to_owned(),
        };
        let messages = match self.request(Request::DownloadMerged(request)).await? {
            Response::DownloadMerged(response) => response.messages,
            other => return Err(unexpected(&other)),
        };
        messages
            .into_iter()
            .map(|message| {
                Message::try_from(message).map_err(|err| {
                    CoreError::refused(
                        codes::ERR_PARSE_RESPONSE_FAILED,
                        format!("undecodable merged message: {err}"),
                    )
                })
            })
            .collect()
    }

    /// `TIMMsgDownloadMergerMessage` by message: downloads the first merge element of
    /// `message` (a received or sent merged message). Fails with 6017 when it has none, and
    /// with `ERR_MERGER_MSG_LAYERS_OVER_LIMIT` (8005) when the element says its nesting is
    /// over the limit.
    pub async fn download_merged_message(&self, message: &Message) -> Result<Vec<Message>> {
        let merge = message
            .elems
            .iter()
            .find_map(|elem| match elem {
                Elem::Merge(merge) => Some(merge),
                _ => None,
            })
            .ok_or_else(|| CoreError::invalid("json_single_msg: not a merged message"))?;
        if merge.layer_over_limit {
            return Err(CoreError::refused(
                codes::ERR_MERGER_MSG_LAYERS_OVER_LIMIT,
                "the merged message is nested deeper than 100 layers",
            ));
        }
        let key = merge.relay_pb_key.clone();
        self.download_merged(&key).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tim_model::MergeElem;
    use tim_model::TextElem;

    fn merge(messages: Vec<Message>) -> Elem {
        Elem::Merge(MergeElem {
            compatible_text: "[chat]".into(),
            message_array: messages,
            ..Default::default()
        })
    }

    #[test]
    fn acknowledged_merges_keep_their_keys_not_their_messages() {
        let inner = Message {
            elems: vec![Elem::Text(TextElem {
                content: "hi".into(),
            })],
            ..Default::default()
        };
        let mut message = Message {
            elems: vec![merge(vec![inner.clone()]), merge(vec![inner])],
            ..Default::default()
        };
        let unchanged = message.clone();
        apply_relay_keys(&mut message, &[]);
        assert_eq!(message, unchanged);
        apply_relay_keys(&mut message, &["k1".into(), "k2".into()]);
        let keys: Vec<_> = message
            .elems
            .iter()
            .map(|elem| match elem {
                Elem::Merge(merge) => (merge.relay_pb_key.clone(), merge.message_array.len()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(keys, vec![("k1".into(), 0), ("k2".into(), 0)]);
    }

    #[test]
    fn a_merge_too_large_for_a_frame_is_refused_before_sending() {
        let conv = ConvId::new(tim_model::enums::ConvType::C2c, "bob").unwrap();
        let big = Message {
            elems: vec![Elem::Text(TextElem {
                content: "x".repeat(10 * 1024),
            })],
            ..Default::default()
        };
        let fits = Message {
            elems: vec![merge(vec![big.clone(); 90])],
            ..Default::default()
        };
        assert!(check_frame(&conv, &fits).is_ok());
        let too_big = Message {
            elems: vec![merge(vec![big; 110])],
            ..Default::default()
        };
        let err = check_frame(&conv, &too_big).unwrap_err();
        assert_eq!(err.code(), codes::ERR_SDK_NET_PKG_SIZE_LIMIT);
    }
}
