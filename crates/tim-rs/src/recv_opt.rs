//! Receive options.

use crate::{Client, GroupId, Result, UserId};
use tim_model::C2cRecvMsgOptResult;
use tim_model::enums::ReceiveMessageOpt;

impl Client {
    /// `TIMMsgSetC2CReceiveMessageOpt`: this user's receive option for the C2C conversations
    /// with `users` (1..=30); the server enforces it on delivery.
    pub async fn set_c2c_receive_message_opt(
        &self,
        users: &[UserId],
        opt: ReceiveMessageOpt,
    ) -> Result<()> {
        self.core.set_c2c_receive_message_opt(users, opt).await
    }

    /// `TIMMsgGetC2CReceiveMessageOpt`: this user's receive option for the C2C conversations
    /// with `users` (1..=30), one result per user.
    pub async fn c2c_receive_message_opt(
        &self,
        users: &[UserId],
    ) -> Result<Vec<C2cRecvMsgOptResult>> {
        self.core.get_c2c_receive_message_opt(users).await
    }

    /// `TIMMsgSetGroupReceiveMessageOpt`: this user's receive option for `group` (a member).
    pub async fn set_group_receive_message_opt(
        &self,
        group: &GroupId,
        opt: ReceiveMessageOpt,
    ) -> Result<()> {
        self.core.set_group_receive_message_opt(group, opt).await
    }
}
