//! Receive options.

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
    /// `SetC2cRecvOptRequest`.
    pub(super) async fn set_c2c_recv_opt(
        &self,
        _session: &Session,
        _request: v1::SetC2cRecvOptRequest,
    ) -> Result<Reply, Refusal> {
        Err(not_yet())
    }

    /// `GetC2cRecvOptRequest`.
    pub(super) fn get_c2c_recv_opt(
        &self,
        _session: &Session,
        _request: v1::GetC2cRecvOptRequest,
    ) -> Result<Reply, Refusal> {
        Err(not_yet())
    }

    /// `SetGroupRecvOptRequest`.
    pub(super) async fn set_group_recv_opt(
        &self,
        _session: &Session,
        _request: v1::SetGroupRecvOptRequest,
    ) -> Result<Reply, Refusal> {
        Err(not_yet())
    }
}
