//! Read reports and read receipts: TIMMsgReportReaded, TIMMsgMarkAllMessageAsRead,
//! TIMMsgSendMessageReadReceipts, TIMMsgGetMessageReadReceipts,
//! TIMMsgGetGroupMessageReadMemberList, and the read pushes.

use super::session::Session;
use crate::error::Result;
use tim_proto::v1::sync_event;

impl Session {
    /// Applies a logged event of this area (push or sync), in log order.
    pub(crate) async fn read_state_notice(&mut self, _event: sync_event::Event) -> Result<()> {
        Ok(())
    }
}
