//! `tim-model` is the TIM message model: every type of the Tencent Cloud IM C message API,
//! its exact JSON codec, the enums and error codes with their TIM numbers, and the documented
//! limits. Every other tim crate speaks these types.
//!
//! - [`keys`]: every JSON key string (both spellings where Tencent renamed one).
//! - [`codes`]: every TIM error code with its name and message; [`enums`]: every enum.
//! - [`Message`], [`Elem`] and the parameter/result objects, decoded from and encoded to TIM
//!   JSON through [`json`]; decoding is total and its errors name the offending key.
//! - [`ids`]: validated identities; [`limits`]: the documented limits and their checks.
//!
//! What it must never do: perform I/O, depend on async, or panic on any input. A TIM number is
//! written down only here.

pub mod codes;
pub mod enums;
pub mod error;
pub mod ids;
pub mod json;
pub mod keys;
pub mod limits;

mod config;
mod conversation;
mod elem;
mod lifecycle;
mod message;
mod params;
mod profile;
mod push;
mod search;

#[cfg(any(test, feature = "arbitrary"))]
pub mod arb;

pub use config::SdkConfig;
pub use conversation::{
    ConvInfo, ConversationListFilter, ConversationListResult, ConversationOperationResult, Draft,
    GetConversationListParam, GetProfileListParam, GroupAtInfo, MAX_MARK_BIT, TotalUnreadResult,
    valid_mark,
};
pub use elem::{
    CustomElem, Elem, FaceElem, FileElem, FriendAddPendency, FriendChangeElem, FriendProfileUpdate,
    GroupReportElem, GroupTipGroupChangeInfo, GroupTipMemberChangeInfo,
    GroupTipMemberMarkChangeInfo, GroupTipsElem, ImageElem, LocationElem, MergeElem,
    ProfileChangeElem, SoundElem, TextElem, VideoElem,
};
pub use error::{ModelError, Result};
pub use ids::{ConvId, GroupId, MessageId, Seq, UserId};
pub use lifecycle::{
    C2cRecvMsgOptResult, ExtensionKeyList, MessageExtension, MessageExtensionResult,
    MessageReceipt, TranslateTextResult,
};
pub use message::Message;
pub use params::{
    BatchSendParam, BatchSendResult, DownloadElemParam, DownloadElemResult, GetMsgListParam,
    MsgDeleteParam, MsgLocator, RevokeInfo,
};
pub use profile::{
    GroupMemberCustomInfo, GroupMemberInfo, GroupMemberInfoCustomString, UserProfile,
    UserProfileCustomStringInfo, UserProfileItem,
};
pub use push::{
    AndroidOfflinePushConfig, IosOfflinePushConfig, OfflinePushConfig, OfflinePushToken,
};
pub use search::{SearchParam, SearchResult, SearchResultItem};
