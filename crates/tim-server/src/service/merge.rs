//! Merged (forwarded) messages: taking the inner messages of a send out into bundles under
//! fresh relay keys, and `TIMMsgDownloadMergerMessage`. The rules the storage checks are in
//! [`crate::storage::merge`].
//!
//! Decisions:
//! - Every merge element the server stores or hands out holds a relay key and no inner
//!   messages: a send's inline `message_array`s (nested ones too) become bundles, innermost
//!   first; a key the client put next to an inline list is replaced. A merge element without
//!   inner messages must name a stored bundle (a received merged message forwarded again).
//! - Inner messages are stored as the forwarder gave them (they are copies, not re-checked
//!   against the stored originals); the server checks the documented limits at every inline
//!   level (at most 300, each SendSucc, no group tips or reports).
//! - Online-only messages cannot carry merged messages (there is no stored message to carry
//!   the bundle's read right).
//! - A bundle larger than a frame can answer is refused (`ERR_SDK_NET_PKG_SIZE_LIMIT`): the
//!   request itself had to fit a frame, so this only catches lists that grow when their
//!   nested lists become keys.

use super::{Reply, Services, Session, internal, invalid};
use crate::storage::Refusal;
use crate::storage::merge::{MergeSend, NewBundle, RELAY_KEY_LEN, is_relay_key, unknown_bundle};
use tim_model::codes;
use tim_model::enums::MsgStatus;
use tim_model::limits::{MERGE_LAYERS_MAX, MERGE_MESSAGES_MAX};
use tim_proto::MAX_FRAME_LEN;
use tim_proto::v1;
use tim_proto::v1::elem::Body;
use tim_proto::v1::server_frame::Body as Response;

/// Room left in a frame for the envelope of a download answer.
const DOWNLOAD_ENVELOPE_BYTES: usize = 64;

/// A fresh relay key: 128 random bits, lowercase hex.
fn new_relay_key() -> Result<String, Refusal> {
    let mut bytes = [0u8; RELAY_KEY_LEN / 2];
    rustls::crypto::ring::default_provider()
        .secure_random
        .fill(&mut bytes)
        .map_err(|_| {
            Refusal::new(
                codes::ERR_SVR_MSG_INTERNAL_ERROR1,
                "no random numbers for a relay key",
            )
        })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Whether `message` has a merge element.
pub(super) fn has_merge(message: &v1::Message) -> bool {
    message
        .elems
        .iter()
        .any(|elem| matches!(elem.body, Some(Body::Merge(_))))
}

/// Takes the inline lists of `message`'s merge elements out into bundles (see the module
/// doc), leaving keys in their place; `None` when it has no merge element.
pub(super) fn extract_bundles(message: &mut v1::Message) -> Result<Option<MergeSend>, Refusal> {
    if !has_merge(message) {
        return Ok(None);
    }
    if message.is_online_msg {
        return Err(invalid(
            "message.is_online_msg: merged messages cannot be sent online-only",
        ));
    }
    let mut bundles = Vec::new();
    let carried = extract_level(&mut message.elems, 0, "message", &mut bundles)?;
    Ok(Some(MergeSend { bundles, carried }))
}

/// Extracts the merge elements of `elems`, which sit `layer` bundles deep; returns the keys
/// they name, each once.
fn extract_level(
    elems: &mut [v1::Elem],
    layer: u32,
    path: &str,
    bundles: &mut Vec<NewBundle>,
) -> Result<Vec<String>, Refusal> {
    let mut named = Vec::new();
    for (index, elem) in elems.iter_mut().enumerate() {
        let Some(Body::Merge(merge)) = &mut elem.body else {
            continue;
        };
        let at = format!("{path}.message_elem_array[{index}]");
        let key = if merge.message_array.is_empty() {
            if !is_relay_key(&merge.relay_pb_key) {
                return Err(if merge.relay_pb_key.is_empty() {
                    invalid(format!(
                        "{at}.merge_elem_message_array: a merged message needs the messages to \
                         merge (or the relay key of a received one)"
                    ))
                } else {
                    unknown_bundle(&merge.relay_pb_key)
                });
            }
            merge.relay_pb_key.clone()
        } else {
            if layer >= MERGE_LAYERS_MAX {
                return Err(Refusal::new(
                    codes::ERR_MERGER_MSG_LAYERS_OVER_LIMIT,
                    format!("{at}: merged messages nest deeper than {MERGE_LAYERS_MAX} layers"),
                ));
            }
            let mut messages = std::mem::take(&mut merge.message_array);
            check_inner(&messages, &at)?;
            let mut children = Vec::new();
            for (position, inner) in messages.iter_mut().enumerate() {
                let inner_path = format!("{at}.merge_elem_message_array[{position}]");
                for child in extract_level(&mut inner.elems, layer + 1, &inner_path, bundles)? {
                    if !children.contains(&child) {
                        children.push(child);
                    }
                }
            }
            let key = new_relay_key()?;
            let answer_len = prost::encoding::message::encoded_len_repeated(1, &messages);
            if answer_len > MAX_FRAME_LEN - DOWNLOAD_ENVELOPE_BYTES {
                return Err(Refusal::new(
                    codes::ERR_SDK_NET_PKG_SIZE_LIMIT,
                    format!(
                        "{at}.merge_elem_message_array: {answer_len} bytes; a merged message \
                         holds at most {} bytes",
                        MAX_FRAME_LEN - DOWNLOAD_ENVELOPE_BYTES
                    ),
                ));
            }
            bundles.push(NewBundle {
                key: key.clone(),
                messages,
                children,
            });
            key
        };
        merge.relay_pb_key = key.clone();
        merge.relay_json_key.clear();
        merge.relay_buffer.clear();
        merge.layer_over_limit = false;
        if !named.contains(&key) {
            named.push(key);
        }
    }
    Ok(named)
}

/// The documented limits of one inline list.
fn check_inner(messages: &[v1::Message], at: &str) -> Result<(), Refusal> {
    if messages.len() > MERGE_MESSAGES_MAX {
        return Err(invalid(format!(
            "{at}.merge_elem_message_array: {} messages; at most {MERGE_MESSAGES_MAX} can be \
             merged",
            messages.len()
        )));
    }
    for (position, inner) in messages.iter().enumerate() {
        let inner_path = format!("{at}.merge_elem_message_array[{position}]");
        if inner.status != Some(MsgStatus::SendSucc.value()) {
            return Err(invalid(format!(
                "{inner_path}: only messages that were sent successfully can be merged"
            )));
        }
        if inner.elems.iter().any(|elem| {
            matches!(
                elem.body,
                Some(Body::GroupTips(_)) | Some(Body::GroupReport(_))
            )
        }) {
            return Err(Refusal::new(
                codes::ERR_INVALID_MSG_ELEM,
                format!("{inner_path}: group tips and group reports cannot be merged"),
            ));
        }
    }
    Ok(())
}

impl Services {
    /// `TIMMsgDownloadMergerMessage`: the bundle's messages in their order; each message's
    /// `is_from_self` is set from the downloader's view.
    pub(super) async fn download_merged(
        &self,
        session: &Session,
        request: v1::DownloadMergedRequest,
    ) -> Result<Reply, Refusal> {
        let key = request.relay_pb_key;
        if !is_relay_key(&key) {
            return Err(unknown_bundle(&key));
        }
        let mut messages = self
            .storage
            .merged_messages(session.app, &session.user, &key)
            .await
            .map_err(internal)??;
        for message in &mut messages {
            message.is_from_self = message.sender == session.user.as_str();
        }
        Ok(Reply::now(Response::DownloadMerged(
            v1::DownloadMergedResponse { messages },
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(content: &str) -> v1::Elem {
        v1::Elem {
            body: Some(Body::Text(v1::TextElem {
                content: content.into(),
            })),
        }
    }

    fn sent(elems: Vec<v1::Elem>) -> v1::Message {
        v1::Message {
            elems,
            status: Some(MsgStatus::SendSucc.value()),
            ..Default::default()
        }
    }

    fn merge(messages: Vec<v1::Message>, key: &str) -> v1::Elem {
        v1::Elem {
            body: Some(Body::Merge(v1::MergeElem {
                compatible_text: "[chat]".into(),
                message_array: messages,
                relay_pb_key: key.into(),
                ..Default::default()
            })),
        }
    }

    fn key_of(elem: &v1::Elem) -> &str {
        match &elem.body {
            Some(Body::Merge(merge)) => {
                assert!(merge.message_array.is_empty());
                &merge.relay_pb_key
            }
            other => panic!("not a merge: {other:?}"),
        }
    }

    #[test]
    fn inline_lists_become_bundles_innermost_first() {
        let stored = "0123456789abcdef0123456789abcdef";
        let inner = merge(vec![sent(vec![text("deep")])], "");
        let mut message = sent(vec![merge(
            vec![
                sent(vec![text("a")]),
                sent(vec![inner, merge(vec![], stored)]),
            ],
            "client-chosen",
        )]);
        let send = extract_bundles(&mut message).unwrap().unwrap();
        assert_eq!(send.bundles.len(), 2);
        let outer = key_of(&message.elems[0]).to_owned();
        assert!(is_relay_key(&outer));
        assert_eq!(send.carried, vec![outer.clone()]);
        assert_eq!(send.bundles[1].key, outer);
        let deep = &send.bundles[0];
        assert!(deep.children.is_empty());
        assert_eq!(
            send.bundles[1].children,
            vec![deep.key.clone(), stored.to_owned()]
        );
        assert_eq!(key_of(&send.bundles[1].messages[1].elems[0]), deep.key);
        assert_ne!(deep.key, outer);
    }

    #[test]
    fn limits_are_checked_at_every_level() {
        let mut empty = sent(vec![merge(vec![], "")]);
        assert_eq!(
            extract_bundles(&mut empty).unwrap_err().code,
            codes::ERR_INVALID_PARAMETERS
        );
        let mut bad_key = sent(vec![merge(vec![], "not-a-key")]);
        assert_eq!(
            extract_bundles(&mut bad_key).unwrap_err().code,
            codes::ERR_SDK_COMM_DATABASE_NOTFOUND
        );
        let unsent = v1::Message {
            status: Some(MsgStatus::SendFail.value()),
            ..sent(vec![text("x")])
        };
        let mut nested_unsent = sent(vec![merge(vec![sent(vec![merge(vec![unsent], "")])], "")]);
        assert_eq!(
            extract_bundles(&mut nested_unsent).unwrap_err().code,
            codes::ERR_INVALID_PARAMETERS
        );
        let mut too_many = sent(vec![merge(vec![sent(vec![text("x")]); 301], "")]);
        assert_eq!(
            extract_bundles(&mut too_many).unwrap_err().code,
            codes::ERR_INVALID_PARAMETERS
        );
        let mut online = sent(vec![merge(vec![sent(vec![text("x")])], "")]);
        online.is_online_msg = true;
        assert!(extract_bundles(&mut online).is_err());
        let mut plain = sent(vec![text("x")]);
        assert_eq!(extract_bundles(&mut plain).unwrap(), None);
    }
}
