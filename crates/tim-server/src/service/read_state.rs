//! Read reports and read receipts.

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
    /// `ReportReadRequest`.
    pub(super) async fn report_read(
        &self,
        _session: &Session,
        _request: v1::ReportReadRequest,
    ) -> Result<Reply, Refusal> {
        Err(not_yet())
    }

    /// `SendReadReceiptsRequest`.
    pub(super) async fn send_read_receipts(
        &self,
        _session: &Session,
        _request: v1::SendReadReceiptsRequest,
    ) -> Result<Reply, Refusal> {
        Err(not_yet())
    }

    /// `GetReadReceiptsRequest`.
    pub(super) fn get_read_receipts(
        &self,
        _session: &Session,
        _request: v1::GetReadReceiptsRequest,
    ) -> Result<Reply, Refusal> {
        Err(not_yet())
    }

    /// `GetGroupReadMembersRequest`.
    pub(super) fn get_group_read_members(
        &self,
        _session: &Session,
        _request: v1::GetGroupReadMembersRequest,
    ) -> Result<Reply, Refusal> {
        Err(not_yet())
    }
}
