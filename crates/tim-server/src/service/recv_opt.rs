//! Receive options: `SetC2cRecvOptRequest`, `GetC2cRecvOptRequest`, `SetGroupRecvOptRequest`.
//! Rules and decisions: [`crate::storage::recv_opt`].

use super::delete::now_ms as clock_ms;
use super::{Reply, Services, Session, error_response, internal, invalid, single};
use crate::storage::recv_opt::RecvOptWrite;
use crate::storage::{Applied, Refusal, WriteOp};
use tim_model::codes;
use tim_model::enums::ReceiveMessageOpt;
use tim_model::ids::GroupId;
use tim_model::limits;
use tim_proto::v1;
use tim_proto::v1::server_frame::Body as Response;

fn parse_opt(opt: i32) -> Result<ReceiveMessageOpt, Refusal> {
    ReceiveMessageOpt::from_value(i64::from(opt))
        .ok_or_else(|| invalid(format!("opt: {opt} is not a TIMReceiveMessageOpt")))
}

fn model_refusal(error: tim_model::ModelError) -> Refusal {
    Refusal::new(error.code(), error.to_string())
}

fn stored(answer: Result<Applied, Refusal>, response: Response) -> Response {
    match answer {
        Ok(Applied::RecvOpt(_)) => response,
        Ok(_) => error_response(Refusal::new(
            codes::ERR_SDK_INTERNAL_ERROR,
            "unexpected result",
        )),
        Err(refusal) => error_response(refusal),
    }
}

impl Services {
    /// `SetC2cRecvOptRequest`.
    pub(super) async fn set_c2c_recv_opt(
        &self,
        session: &Session,
        request: v1::SetC2cRecvOptRequest,
    ) -> Result<Reply, Refusal> {
        let peers =
            limits::validate_c2c_recv_opt_users(&request.user_ids).map_err(model_refusal)?;
        let opt = parse_opt(request.opt)?;
        let op = WriteOp::RecvOpt(Box::new(RecvOptWrite::C2c {
            app: session.app,
            user: session.user.clone(),
            peers,
            opt,
            now_ms: clock_ms(),
        }));
        let answer = self.writer.submit(vec![op]).await;
        Ok(Reply::later(async move {
            stored(
                single(answer.await),
                Response::SetC2cRecvOpt(v1::SetC2cRecvOptResponse {}),
            )
        }))
    }

    /// `GetC2cRecvOptRequest`.
    pub(super) async fn get_c2c_recv_opt(
        &self,
        session: &Session,
        request: v1::GetC2cRecvOptRequest,
    ) -> Result<Reply, Refusal> {
        let peers =
            limits::validate_c2c_recv_opt_users(&request.user_ids).map_err(model_refusal)?;
        let mut results = Vec::with_capacity(peers.len());
        for peer in peers {
            let opt = self
                .storage
                .c2c_recv_opt(session.app, &session.user, &peer)
                .await
                .map_err(internal)?;
            results.push(v1::C2cRecvMsgOptResult {
                identifier: peer.as_str().to_owned(),
                opt: opt.value(),
            });
        }
        Ok(Reply::now(Response::GetC2cRecvOpt(
            v1::GetC2cRecvOptResponse { results },
        )))
    }

    /// `SetGroupRecvOptRequest`.
    pub(super) async fn set_group_recv_opt(
        &self,
        session: &Session,
        request: v1::SetGroupRecvOptRequest,
    ) -> Result<Reply, Refusal> {
        let group = GroupId::parse_at(&request.group_id, "group_id").map_err(model_refusal)?;
        let opt = parse_opt(request.opt)?;
        let op = WriteOp::RecvOpt(Box::new(RecvOptWrite::Group {
            app: session.app,
            user: session.user.clone(),
            group,
            opt,
        }));
        let answer = self.writer.submit(vec![op]).await;
        Ok(Reply::later(async move {
            stored(
                single(answer.await),
                Response::SetGroupRecvOpt(v1::SetGroupRecvOptResponse {}),
            )
        }))
    }
}
