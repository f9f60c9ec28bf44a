//! Merged (forwarded) messages (`kTIMElem_Merge`, TIMMsgDownloadMergerMessage): bundles of
//! inner messages stored apart from the message that carries them.
//!
//! A send whose merge elements hold inner messages is stored with a [`MergeSend`]: the service
//! has taken every inline `message_array` out (innermost first) into a [`NewBundle`] under a
//! fresh relay key and left only the key in the element, so the carrying message and every
//! bundle hold keys, never nested lists. The backend stores the bundles in the same commit as
//! the carrying message and records who may read them:
//! - a bundle is *carried* by the conversation message whose merge element names its key, or
//!   by the bundle whose inner message does (a merge of a merge);
//! - a user may read a bundle when they can see one of its carriers: a party of the C2C
//!   conversation, or a current member of the group (of a live group) who can see the message
//!   (from their latest join on; targeted messages: the targets and the sender), directly or
//!   through a bundle they may read. A C2C party is found directly; at most
//!   [`CARRIER_VISITS_MAX`] group and parent-bundle carrier records are looked at per check
//!   (beyond that the bundle counts as unreadable).
//!
//! Checked in the write, atomically with it, before anything is written: every key an inner
//! or carrying merge element names that is not a bundle of this send must be a stored bundle
//! the sender may read (otherwise [`unknown_bundle`]); every new bundle's depth (1 + the
//! deepest bundle its inner messages name) is at most
//! [`MERGE_LAYERS_MAX`](tim_model::limits::MERGE_LAYERS_MAX) (otherwise
//! `ERR_MERGER_MSG_LAYERS_OVER_LIMIT`, 8005). Bundles are never changed or deleted.

use super::{AppId, Refusal, StorageError};
use tim_model::codes;
use tim_model::ids::UserId;
use tim_proto::v1;

/// Most carrier records one read check looks at; a bundle reachable only through more is
/// treated as not readable (refused like an unknown key).
pub const CARRIER_VISITS_MAX: usize = 10_000;

/// Length of a relay key: 128 random bits as lowercase hex.
pub const RELAY_KEY_LEN: usize = 32;

/// Whether `key` has the form of a relay key (32 lowercase hex digits).
pub fn is_relay_key(key: &str) -> bool {
    key.len() == RELAY_KEY_LEN
        && key
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The refusal for a key that is unknown or that the user may not read: the same for both, so
/// that nobody learns whether a bundle exists.
pub fn unknown_bundle(key: &str) -> Refusal {
    Refusal::new(
        codes::ERR_SDK_COMM_DATABASE_NOTFOUND,
        format!("merged message {key:?} was not found"),
    )
}

/// One bundle a send creates.
#[derive(Debug, Clone, PartialEq)]
pub struct NewBundle {
    /// Its relay key (fresh, [`is_relay_key`]).
    pub key: String,
    /// The inner messages in their order; their merge elements hold keys only.
    pub messages: Vec<v1::Message>,
    /// The keys the inner messages' merge elements name (bundles of this send or stored
    /// ones), each once.
    pub children: Vec<String>,
}

/// The bundles of one send (see the module doc).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MergeSend {
    /// New bundles, each after every bundle of this send it names.
    pub bundles: Vec<NewBundle>,
    /// The keys the carrying message's own merge elements name, each once.
    pub carried: Vec<String>,
}

/// The reads of this area.
pub trait MergeReads {
    /// The inner messages of the bundle `key` in their order, as the forwarder gave them
    /// (merge elements hold keys only), if `user` may read it; [`unknown_bundle`] otherwise.
    fn merged_messages(
        &self,
        app: AppId,
        user: &UserId,
        key: &str,
    ) -> Result<Result<Vec<v1::Message>, Refusal>, StorageError>;
}
