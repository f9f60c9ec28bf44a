//! Receive options (TIMMsgSetC2CReceiveMessageOpt, TIMMsgGetC2CReceiveMessageOpt,
//! TIMMsgSetGroupReceiveMessageOpt), enforced on delivery.
//!
//! Decisions:
//! - The option is the recipient's, per conversation (C2C peer or group). Delivery (event log,
//!   online push, sync): Not_Receive (1) → the message is stored but not logged for that
//!   recipient (no push, no sync event); Not_Receive_Except_At (4) → only messages that
//!   @-mention the recipient or @all are logged; 0, 2, 3 → delivered. The sender's own devices
//!   always get their message. History pulls still return every message (the option governs
//!   delivery, not what is stored).
//! - Offline push (issue 7) decides with [`wants_offline_push`].
//! - Setting C2C options: 1..=30 valid user IDs per call, at most 5 calls per second per user
//!   (7008 beyond; counted inside the write, with the time the service passes).

use crate::AppId;
use tim_model::enums::ReceiveMessageOpt;
use tim_model::ids::{GroupId, UserId};
use tim_model::keys::values;
use tim_proto::v1;

/// Most `TIMMsgSetC2CReceiveMessageOpt` calls per user within [`C2C_SET_WINDOW_MS`].
pub const C2C_SETS_PER_WINDOW: u64 = 5;
/// The window of the C2C set rate limit, milliseconds.
pub const C2C_SET_WINDOW_MS: u64 = 1000;

/// A write of this area (see [`WriteOp::RecvOpt`](super::WriteOp::RecvOpt)).
#[derive(Debug, Clone)]
pub enum RecvOptWrite {
    /// Sets `user`'s option for the C2C conversations with `peers`.
    C2c {
        /// App.
        app: AppId,
        /// The caller.
        user: UserId,
        /// 1..=30 peers.
        peers: Vec<UserId>,
        /// The option.
        opt: ReceiveMessageOpt,
        /// Now, milliseconds since the epoch (the rate check).
        now_ms: u64,
    },
    /// Sets `user`'s option for `group` (the user must be a member).
    Group {
        /// App.
        app: AppId,
        /// The caller.
        user: UserId,
        /// The group.
        group: GroupId,
        /// The option.
        opt: ReceiveMessageOpt,
    },
}

/// What a write of this area did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecvOptApplied;

/// The reads of this area.
pub trait RecvOptReads {
    /// `user`'s option for the C2C conversation with `peer` (Receive when never set).
    fn c2c_recv_opt(
        &self,
        app: AppId,
        user: &UserId,
        peer: &UserId,
    ) -> Result<ReceiveMessageOpt, super::StorageError>;
    /// `user`'s option for `group` (Receive when never set).
    fn group_recv_opt(
        &self,
        app: AppId,
        user: &UserId,
        group: &GroupId,
    ) -> Result<ReceiveMessageOpt, super::StorageError>;
}

/// Whether `message` @-mentions `user` (or everyone).
pub fn mentions(message: &v1::Message, user: &str) -> bool {
    message
        .group_at_user_array
        .iter()
        .any(|at| at == user || at == values::AT_ALL || at == values::AT_ALL_OLD)
}

/// Whether `user`, whose option for the message's conversation is `opt`, has `message`
/// delivered online (logged, pushed, synced). The sender always has.
pub fn delivers(opt: ReceiveMessageOpt, message: &v1::Message, user: &str) -> bool {
    if message.sender == user {
        return true;
    }
    match opt {
        ReceiveMessageOpt::NotReceive => false,
        ReceiveMessageOpt::NotReceiveExceptAt => mentions(message, user),
        _ => true,
    }
}

/// Whether `user`, whose option for the message's conversation is `opt`, gets an offline push
/// for `message` (for the offline push of issue 7): never for their own messages; Receive →
/// yes; Not_Receive, Not_Notify → no; Not_Notify_Except_At, Not_Receive_Except_At → only when
/// the message @-mentions them or @all.
pub fn wants_offline_push(opt: ReceiveMessageOpt, message: &v1::Message, user: &str) -> bool {
    if message.sender == user {
        return false;
    }
    match opt {
        ReceiveMessageOpt::Receive => true,
        ReceiveMessageOpt::NotReceive | ReceiveMessageOpt::NotNotify => false,
        ReceiveMessageOpt::NotNotifyExceptAt | ReceiveMessageOpt::NotReceiveExceptAt => {
            mentions(message, user)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(sender: &str, at: &[&str]) -> v1::Message {
        v1::Message {
            sender: sender.to_owned(),
            group_at_user_array: at.iter().map(|s| (*s).to_owned()).collect(),
            ..v1::Message::default()
        }
    }

    #[test]
    fn offline_push_follows_the_option() {
        use ReceiveMessageOpt as O;
        let plain = message("alice", &[]);
        let at_bob = message("alice", &["bob"]);
        let at_all = message("alice", &[values::AT_ALL]);
        let at_carol = message("alice", &["carol"]);
        assert!(wants_offline_push(O::Receive, &plain, "bob"));
        for opt in [O::NotReceive, O::NotNotify] {
            assert!(!wants_offline_push(opt, &plain, "bob"));
            assert!(!wants_offline_push(opt, &at_bob, "bob"));
        }
        for opt in [O::NotNotifyExceptAt, O::NotReceiveExceptAt] {
            assert!(!wants_offline_push(opt, &plain, "bob"));
            assert!(!wants_offline_push(opt, &at_carol, "bob"));
            assert!(wants_offline_push(opt, &at_bob, "bob"));
            assert!(wants_offline_push(opt, &at_all, "bob"));
        }
        assert!(!wants_offline_push(O::Receive, &plain, "alice"));
    }

    #[test]
    fn delivery_follows_the_option() {
        use ReceiveMessageOpt as O;
        let plain = message("alice", &[]);
        let at_bob = message("alice", &["bob"]);
        for opt in [O::Receive, O::NotNotify, O::NotNotifyExceptAt] {
            assert!(delivers(opt, &plain, "bob"));
        }
        assert!(!delivers(O::NotReceive, &plain, "bob"));
        assert!(!delivers(O::NotReceive, &at_bob, "bob"));
        assert!(!delivers(O::NotReceiveExceptAt, &plain, "bob"));
        assert!(delivers(O::NotReceiveExceptAt, &at_bob, "bob"));
        assert!(delivers(O::NotReceive, &plain, "alice"));
    }
}
