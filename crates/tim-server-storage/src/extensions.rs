//! Message extensions (TIMMsgSetMessageExtensions, TIMMsgGetMessageExtensions,
//! TIMMsgDeleteMessageExtensions): per-key compare-and-swap.
//!
//! A backend keeps, per stored message, each extension key with its value and version, and a
//! per-message version counter: every change of a key takes the next, larger version, so a
//! version names one state of one key (a key deleted and set again gets a new version).
//! Every rule is checked in the write, atomically with it: the message must be a stored
//! message of the conversation visible to the user (group: a member who can see it), sent
//! with `support_message_extension`, and not revoked.

use super::{AppId, Refusal, StorageError, Target};
use tim_model::ids::{MessageId, UserId};
use tim_proto::v1;

/// A write of this area (see [`WriteOp::Extensions`](super::WriteOp::Extensions)).
#[derive(Debug, Clone)]
pub enum ExtensionsWrite {
    /// Sets keys. Each item is applied when its `version` is the key's current version (0:
    /// the key does not exist), and fails with 23001 and the key's current state otherwise;
    /// the applied ones are one atomic write and raise their key's version. The call is
    /// refused as a whole (nothing written) when the message would hold more than 300 keys.
    /// The items have been validated (keys, values, at most 20, no key twice).
    Set {
        /// The app.
        app: AppId,
        /// Who sets.
        user: UserId,
        /// The conversation, from the user's view.
        target: Target,
        /// The message.
        msg_id: MessageId,
        /// The keys, values and the versions they are based on.
        items: Vec<v1::MessageExtension>,
    },
    /// Deletes keys (none: every key of the message); a missing key fails with 23004, the
    /// others are deleted in one atomic write.
    Delete {
        /// The app.
        app: AppId,
        /// Who deletes.
        user: UserId,
        /// The conversation, from the user's view.
        target: Target,
        /// The message.
        msg_id: MessageId,
        /// The keys (validated; empty: all).
        keys: Vec<String>,
    },
}

/// What a write of this area did: one result per requested key, in order (for a delete of
/// every key, one per deleted key). A successful item carries the key's new state (set) or
/// last state (delete); a conflict the key's current state (value empty and version 0 when
/// the key does not exist).
#[derive(Debug, Clone, PartialEq)]
pub struct ExtensionsApplied {
    /// Per-key results.
    pub results: Vec<v1::MessageExtensionResult>,
}

/// The reads of this area.
pub trait ExtensionReads {
    /// Every extension of the stored message `msg_id` of `target` (from `user`'s view), in key
    /// order with their versions; refused like a write (not a party, not found, not
    /// extensible).
    fn extensions(
        &self,
        app: AppId,
        user: &UserId,
        target: &Target,
        msg_id: &MessageId,
    ) -> Result<Result<Vec<v1::MessageExtension>, Refusal>, StorageError>;
}
