//! Cloud deletes of this user's history: TIMMsgDelete with is_ramble, TIMMsgListDelete,
//! TIMMsgClearHistoryMessage, and the pushes from the user's other devices.

use super::session::Session;
use crate::error::Result;
use tim_proto::v1::sync_event;

impl Session {
    /// Applies a logged event of this area (push or sync), in log order.
    pub(crate) async fn delete_notice(&mut self, _event: sync_event::Event) -> Result<()> {
        Ok(())
    }
}
