//! Ours: tim's local engine (`tim_core::Engine`: the redb store and the tantivy index), called
//! the way the C facade calls it for `TIMMsgImportMsgList`, `TIMMsgGetMsgList` and
//! `TIMMsgSearchLocalMessages`.

use std::path::Path;
use tim_core::Engine;
use tim_model::enums::{ConvType, KeywordListMatchType};
use tim_model::{ConvId, GetMsgListParam, Message, SearchParam, UserId};

/// tim's engine of one user, opened on a data directory.
pub struct OurStore {
    engine: Engine,
}

fn conversation(peer: &str) -> Result<ConvId, String> {
    ConvId::new(ConvType::C2c, peer).map_err(|err| format!("conversation {peer}: {err}"))
}

impl OurStore {
    /// Opens (or creates) the engine of `owner` under `data_dir`.
    pub fn open(data_dir: &Path, owner: &str) -> Result<Self, String> {
        let user = UserId::new(owner).map_err(|err| format!("user {owner}: {err}"))?;
        let engine = Engine::open(data_dir, &user)
            .map_err(|err| format!("Engine::open {}: {err}", data_dir.display()))?;
        Ok(Self { engine })
    }

    /// `TIMMsgImportMsgList`: stores `messages` in the C2C conversation with `peer` (store and
    /// search index) and checks that all of them came back.
    pub fn import(&self, peer: &str, messages: Vec<Message>) -> Result<(), String> {
        let sent = messages.len();
        let stored = self
            .engine
            .import_messages(&conversation(peer)?, messages)
            .map_err(|err| format!("import_messages into {peer}: {err}"))?;
        if stored.len() == sent {
            Ok(())
        } else {
            Err(format!(
                "import_messages into {peer}: {sent} messages imported, {} returned",
                stored.len()
            ))
        }
    }

    /// `TIMMsgGetMsgList`: up to `count` messages of `peer`'s conversation older than
    /// `anchor`, newest first.
    pub fn page(&self, peer: &str, anchor: &Message, count: usize) -> Result<Vec<Message>, String> {
        let param = GetMsgListParam {
            last_msg: Some(anchor.clone()),
            count: u32::try_from(count).unwrap_or(u32::MAX),
            is_forward: false,
            ..GetMsgListParam::default()
        };
        self.engine
            .get_message_list(&conversation(peer)?, &param)
            .map_err(|err| format!("get_message_list in {peer}: {err}"))
    }

    /// `TIMMsgSearchLocalMessages` in `peer`'s conversation: the first page of `count`
    /// messages holding every keyword, newest first.
    pub fn search(
        &self,
        peer: &str,
        keywords: &[String],
        count: usize,
    ) -> Result<Vec<Message>, String> {
        let param = SearchParam {
            keyword_array: keywords.to_vec(),
            keyword_list_match_type: KeywordListMatchType::And,
            conv_id: peer.to_owned(),
            conv_type: ConvType::C2c,
            page_index: 0,
            page_size: u32::try_from(count).unwrap_or(u32::MAX),
            ..SearchParam::default()
        };
        let result = self
            .engine
            .search_local(&param)
            .map_err(|err| format!("search_local {keywords:?} in {peer}: {err}"))?;
        Ok(result
            .item_array
            .into_iter()
            .next()
            .map(|item| item.message_array)
            .unwrap_or_default())
    }
}
