//! `TIMMsgGetMsgList` with `is_ramble`: a local page, completed from the server where the
//! store lacks part of it (a seq gap, or the start of local history while the server has
//! older messages). The missing range is pulled (`PullHistoryRequest`), stored with the range
//! the server vouched for marked held, and the page read again; see `ranges` for which range.
//!
//! Pulls happen only for pages anchored by message, by seq or at an edge; pages selected by a
//! time range or a seq list are served from the store alone. Pulled messages raise no
//! new-message events (they are history). When the server cannot be reached, the local page
//! is returned as it is.

use super::apply::decode_message;
use super::connection::{Request, Response};
use super::ranges::{Start, plan_pull};
use super::session::unexpected;
use crate::client::Client;
use crate::error::Result;
use crate::local::DEFAULT_PAGE;
use tim_model::enums::ConvType;
use tim_model::{ConvId, GetMsgListParam, Message, Seq};
use tim_proto::v1::PullHistoryRequest;

/// Pulls one page request may make at most.
const MAX_PULLS: usize = 8;

impl Client {
    /// `TIMMsgGetMsgList`: one page of `conv`'s history. Without `is_ramble` it is the local
    /// page ([`Engine::get_message_list`](crate::Engine::get_message_list)); with it, parts the
    /// store lacks are pulled from the server first.
    pub async fn get_message_list(
        &self,
        conv: &ConvId,
        param: &GetMsgListParam,
    ) -> Result<Vec<Message>> {
        let mut page = self.local_page(conv, param).await?;
        if !param.is_ramble
            || param.time_begin != 0
            || param.time_period != 0
            || (conv.conv_type() == ConvType::Group && !param.message_seq_array.is_empty())
        {
            return Ok(page);
        }
        let count = match param.count {
            0 => DEFAULT_PAGE,
            n => usize::try_from(n).unwrap_or(usize::MAX),
        };
        let Some(start) = self.start_of(conv, param).await? else {
            return Ok(page);
        };
        for _ in 0..MAX_PULLS {
            let held = {
                let conv = conv.clone();
                self.with_engine(move |engine| engine.held_ranges(&conv))
                    .await?
            };
            // Read the page after the held ranges: a sync storing messages meanwhile marks
            // them held in the same transaction, so the page now holds at least what `held`
            // says is held, and nothing held is mistaken for pulled.
            page = self.local_page(conv, param).await?;
            let seqs: Vec<u64> = page.iter().map(|message| message.seq.0).collect();
            let Some(pull) = plan_pull(&held, start, !param.is_forward, &seqs, page.len() >= count)
            else {
                break;
            };
            let request = Request::PullHistory(PullHistoryRequest {
                conversation: Some(conv.clone().into()),
                begin_seq: pull.begin,
                end_seq: pull.end,
                max_count: u32::try_from(count).unwrap_or(u32::MAX),
                backward: pull.backward,
            });
            let response = match self.request(request).await {
                Ok(Response::PullHistory(response)) => response,
                Ok(other) => return Err(unexpected(&other)),
                Err(err) if err.is_network() => {
                    tracing::info!("tim: history pull failed, serving the local page: {err}");
                    break;
                }
                Err(err) => return Err(err),
            };
            let covered = (response.covered_begin_seq > 0
                && response.covered_begin_seq <= response.covered_end_seq)
                .then(|| {
                    (
                        conv.clone(),
                        Seq(response.covered_begin_seq),
                        Seq(response.covered_end_seq),
                    )
                });
            let messages: Vec<(ConvId, Message)> = response
                .messages
                .into_iter()
                .filter_map(|message| decode_message(Some(message)))
                .map(|(_, message)| (conv.clone(), message))
                .collect();
            if covered.is_none() && messages.is_empty() {
                // The server has nothing to add: stop rather than ask again.
                break;
            }
            self.with_engine(move |engine| {
                let held: Vec<_> = covered.into_iter().collect();
                engine.store_received(messages, &held, None).map(|_| ())
            })
            .await?;
        }
        self.local_page(conv, param).await
    }

    async fn local_page(&self, conv: &ConvId, param: &GetMsgListParam) -> Result<Vec<Message>> {
        let (conv, param) = (conv.clone(), param.clone());
        self.with_engine(move |engine| engine.get_message_list(&conv, &param))
            .await
    }

    /// Where the page starts in seq space; `None` when its anchor has no seq (a local message),
    /// so the server cannot help.
    async fn start_of(&self, conv: &ConvId, param: &GetMsgListParam) -> Result<Option<Start>> {
        if let Some(id) = param.last_msg.as_ref().and_then(|m| m.msg_id.clone()) {
            let found = self
                .with_engine(move |engine| engine.find_messages(std::slice::from_ref(&id)))
                .await?;
            return Ok(found
                .first()
                .map(|anchor| anchor.seq.0)
                .filter(|&seq| seq > 0)
                .map(Start::After));
        }
        if conv.conv_type() == ConvType::Group && param.last_msg_seq.0 > 0 {
            return Ok(Some(Start::At(param.last_msg_seq.0)));
        }
        Ok(Some(Start::Edge))
    }
}
