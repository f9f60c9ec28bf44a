//! Receive options: TIMMsgSetC2CReceiveMessageOpt, TIMMsgGetC2CReceiveMessageOpt,
//! TIMMsgSetGroupReceiveMessageOpt.
//!
//! Decisions:
//! - The server keeps the options and enforces them on delivery (a conversation set to
//!   Not_Receive gets no push and no sync event for its messages; Not_Receive_Except_At only
//!   for messages that @-mention the user or @all). The caller's store takes the option too
//!   (`recv_opt` of the conversation) once the server accepted it; the user's other devices
//!   learn it with `TIMMsgGetC2CReceiveMessageOpt` (no push for option changes).
//! - Set C2C: 1..=30 valid user IDs per call (checked locally and by the server); at most 5
//!   set calls per second per user (7008 beyond, from the server).

use super::connection::{Request, Response};
use super::session::unexpected;
use crate::client::Client;
use crate::error::{CoreError, Result};
use tim_model::enums::{ConvType, ReceiveMessageOpt};
use tim_model::{C2cRecvMsgOptResult, ConvId, GroupId, UserId, codes, limits};
use tim_proto::v1 as wire;

fn user_list(users: &[UserId]) -> Result<Vec<String>> {
    let ids: Vec<String> = users.iter().map(|u| u.as_str().to_owned()).collect();
    limits::validate_c2c_recv_opt_users(&ids)?;
    Ok(ids)
}

impl Client {
    /// `TIMMsgSetC2CReceiveMessageOpt`: sets this user's receive option for the C2C
    /// conversations with `users` (1..=30).
    pub async fn set_c2c_receive_message_opt(
        &self,
        users: &[UserId],
        opt: ReceiveMessageOpt,
    ) -> Result<()> {
        let user_ids = user_list(users)?;
        let request = wire::SetC2cRecvOptRequest {
            user_ids,
            opt: opt.value(),
        };
        match self.request(Request::SetC2cRecvOpt(request)).await? {
            Response::SetC2cRecvOpt(_) => {}
            other => return Err(unexpected(&other)),
        }
        let convs = users
            .iter()
            .map(|u| ConvId::new(ConvType::C2c, u.as_str()))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        self.with_engine(move |engine| {
            for conv in &convs {
                engine.store.set_recv_opt(conv, opt)?;
            }
            Ok(())
        })
        .await
    }

    /// `TIMMsgGetC2CReceiveMessageOpt`: this user's receive option for the C2C conversations
    /// with `users` (1..=30), one result per user in order (Receive when never set).
    pub async fn get_c2c_receive_message_opt(
        &self,
        users: &[UserId],
    ) -> Result<Vec<C2cRecvMsgOptResult>> {
        let user_ids = user_list(users)?;
        let request = wire::GetC2cRecvOptRequest { user_ids };
        let results = match self.request(Request::GetC2cRecvOpt(request)).await? {
            Response::GetC2cRecvOpt(response) => response.results,
            other => return Err(unexpected(&other)),
        };
        results
            .into_iter()
            .map(|r| {
                let opt = ReceiveMessageOpt::from_value(i64::from(r.opt)).ok_or_else(|| {
                    CoreError::refused(
                        codes::ERR_PARSE_RESPONSE_FAILED,
                        format!("unknown receive option {}", r.opt),
                    )
                })?;
                Ok(C2cRecvMsgOptResult {
                    identifier: r.identifier,
                    opt,
                })
            })
            .collect()
    }

    /// `TIMMsgSetGroupReceiveMessageOpt`: sets this user's receive option for `group` (the
    /// user must be a member: 10007 otherwise, 10010 for a group that does not exist).
    pub async fn set_group_receive_message_opt(
        &self,
        group: &GroupId,
        opt: ReceiveMessageOpt,
    ) -> Result<()> {
        let request = wire::SetGroupRecvOptRequest {
            group_id: group.as_str().to_owned(),
            opt: opt.value(),
        };
        match self.request(Request::SetGroupRecvOpt(request)).await? {
            Response::SetGroupRecvOpt(_) => {}
            other => return Err(unexpected(&other)),
        }
        let conv = ConvId::new(ConvType::Group, group.as_str())?;
        self.with_engine(move |engine| Ok(engine.store.set_recv_opt(&conv, opt)?))
            .await
    }
}
