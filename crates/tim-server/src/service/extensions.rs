//! Message extensions.

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
    /// `SetExtensionsRequest`.
    pub(super) async fn set_extensions(
        &self,
        _session: &Session,
        _request: v1::SetExtensionsRequest,
    ) -> Result<Reply, Refusal> {
        Err(not_yet())
    }

    /// `GetExtensionsRequest`.
    pub(super) fn get_extensions(
        &self,
        _session: &Session,
        _request: v1::GetExtensionsRequest,
    ) -> Result<Reply, Refusal> {
        Err(not_yet())
    }

    /// `DeleteExtensionsRequest`.
    pub(super) async fn delete_extensions(
        &self,
        _session: &Session,
        _request: v1::DeleteExtensionsRequest,
    ) -> Result<Reply, Refusal> {
        Err(not_yet())
    }
}
