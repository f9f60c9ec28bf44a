//! The recv_opt area of [`KvStorage`](super::KvStorage): each user's receive option per
//! C2C peer and per group, the C2C set rate counter, and the delivery check of the send path.

use super::KvStorage;
use super::write::{Tables, refuse};
use crate::kv::TableDefinition;
use crate::recv_opt::{
    C2C_SET_WINDOW_MS, C2C_SETS_PER_WINDOW, RecvOptApplied, RecvOptReads, RecvOptWrite, delivers,
};
use crate::{AppId, Applied, StorageError, WriteOutcome};
use tim_model::codes;
use tim_model::enums::ReceiveMessageOpt;
use tim_model::ids::{GroupId, UserId};
use tim_proto::v1;

/// Kind byte of a C2C option key.
const KIND_C2C: u8 = 1;
/// Kind byte of a group option key.
const KIND_GROUP: u8 = 2;

/// (app, user, kind, peer or group) → TIMReceiveMessageOpt; absent = Receive.
const RECV_OPTS: TableDefinition<(u64, &str, u8, &str), u8> = TableDefinition::new("recv_opts");
/// (app, user) → (window start ms, calls in the window): the C2C set rate limit.
const RECV_OPT_CALLS: TableDefinition<(u64, &str), (u64, u64)> =
    TableDefinition::new("recv_opt_calls");

fn decode_opt(value: Option<u8>) -> ReceiveMessageOpt {
    value
        .and_then(|v| ReceiveMessageOpt::from_value(i64::from(v)))
        .unwrap_or_default()
}

fn encode_opt(opt: ReceiveMessageOpt) -> u8 {
    u8::try_from(opt.value()).unwrap_or(0)
}

impl Tables<'_> {
    /// Applies one write of the area.
    pub(super) fn recv_opt(&mut self, write: RecvOptWrite) -> Result<WriteOutcome, StorageError> {
        match write {
            RecvOptWrite::C2c {
                app,
                user,
                peers,
                opt,
                now_ms,
            } => {
                let mut calls = self.txn.open_table(RECV_OPT_CALLS)?;
                let (start, count) = calls
                    .get((app, user.as_str()))?
                    .map(|v| v.value())
                    .unwrap_or((0, 0));
                let in_window = now_ms >= start && now_ms < start.saturating_add(C2C_SET_WINDOW_MS);
                if in_window && count >= C2C_SETS_PER_WINDOW {
                    return refuse(
                        codes::ERR_SDK_COMM_API_CALL_FREQUENCY_LIMIT,
                        format!(
                            "at most {C2C_SETS_PER_WINDOW} receive-option changes per {C2C_SET_WINDOW_MS} ms"
                        ),
                    );
                }
                let next = if in_window {
                    (start, count.saturating_add(1))
                } else {
                    (now_ms, 1)
                };
                calls.insert((app, user.as_str()), next)?;
                let mut opts = self.txn.open_table(RECV_OPTS)?;
                for peer in &peers {
                    opts.insert(
                        (app, user.as_str(), KIND_C2C, peer.as_str()),
                        encode_opt(opt),
                    )?;
                }
                Ok(WriteOutcome::applied(Applied::RecvOpt(RecvOptApplied)))
            }
            RecvOptWrite::Group {
                app,
                user,
                group,
                opt,
            } => {
                if let Err(refusal) = self.live_group(app, &group)? {
                    return Ok(WriteOutcome::refused(refusal));
                }
                if self.member(app, group.as_str(), user.as_str())?.is_none() {
                    return refuse(
                        codes::ERR_SVR_GROUP_PERMISSION_DENY,
                        format!("{user} is not a member of group {group}"),
                    );
                }
                let mut opts = self.txn.open_table(RECV_OPTS)?;
                opts.insert(
                    (app, user.as_str(), KIND_GROUP, group.as_str()),
                    encode_opt(opt),
                )?;
                Ok(WriteOutcome::applied(Applied::RecvOpt(RecvOptApplied)))
            }
        }
    }

    /// The `candidates` (user, tiny ID) who get `message` of the C2C conversation with the
    /// sender (`(false, sender)`) or of a group (`(true, group)`), by each one's receive
    /// option: the send path's check. One table open per send, and no lookups at all while
    /// nobody has set an option.
    pub(super) fn delivered_among(
        &self,
        app: AppId,
        conversation: (bool, &str),
        message: &v1::Message,
        candidates: Vec<(String, u64)>,
    ) -> Result<Vec<(String, u64)>, StorageError> {
        let (is_group, id) = conversation;
        let kind = if is_group { KIND_GROUP } else { KIND_C2C };
        let opts = self.txn.open_table(RECV_OPTS)?;
        if opts.is_empty()? {
            return Ok(candidates);
        }
        let mut delivered = Vec::with_capacity(candidates.len());
        for (user, tiny) in candidates {
            let opt = decode_opt(opts.get((app, user.as_str(), kind, id))?.map(|v| v.value()));
            if delivers(opt, message, &user) {
                delivered.push((user, tiny));
            }
        }
        Ok(delivered)
    }
}

impl KvStorage {
    fn read_opt(
        &self,
        app: AppId,
        user: &str,
        kind: u8,
        id: &str,
    ) -> Result<ReceiveMessageOpt, StorageError> {
        self.read(|txn| {
            let opts = txn.open_table(RECV_OPTS)?;
            Ok(decode_opt(
                opts.get((app, user, kind, id))?.map(|v| v.value()),
            ))
        })
    }
}

impl RecvOptReads for KvStorage {
    fn c2c_recv_opt(
        &self,
        app: AppId,
        user: &UserId,
        peer: &UserId,
    ) -> Result<ReceiveMessageOpt, StorageError> {
        self.read_opt(app, user.as_str(), KIND_C2C, peer.as_str())
    }

    fn group_recv_opt(
        &self,
        app: AppId,
        user: &UserId,
        group: &GroupId,
    ) -> Result<ReceiveMessageOpt, StorageError> {
        self.read_opt(app, user.as_str(), KIND_GROUP, group.as_str())
    }
}
