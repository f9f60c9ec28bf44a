//! Cloud deletes of the user's own history.

use super::{Reply, Services, Session};
use crate::storage::Refusal;
use tim_model::codes;
use tim_proto::v1;

fn not_yet() -> Refusal {
    Refusal::new(
        codes::ERR_SDK_INTERFACE_NOT_SUPPORT,
        "not supported by this server yet",
    )
}

impl Services {
    /// `DeleteMessagesRequest`.
    pub(super) async fn delete_messages(
        &self,
        _session: &Session,
        _request: v1::DeleteMessagesRequest,
    ) -> Result<Reply, Refusal> {
        Err(not_yet())
    }

    /// `ClearHistoryRequest`.
    pub(super) async fn clear_history(
        &self,
        _session: &Session,
        _request: v1::ClearHistoryRequest,
    ) -> Result<Reply, Refusal> {
        Err(not_yet())
    }
}
