//! The engine's error: whatever went wrong below (model, store, search) or in the engine's own
//! rules, always with the TIM code an application sees.

use tim_model::{ModelError, codes};
use tim_search::SearchError;
use tim_store::StoreError;

/// Why an engine operation failed.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The input was refused by the model (bad JSON value, broken limit).
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The local database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The search index failed.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// One of the engine's own rules refused the call.
    #[error("{message}")]
    Refused {
        /// The TIM error code.
        code: i32,
        /// What was wrong, naming the parameter.
        message: String,
    },
    /// The network failed: not connected (`ERR_SDK_NET_DISCONNECT`), no answer in time
    /// (`ERR_SDK_NET_WAIT_ACK_TIMEOUT`), the connection could not be made, ... Such a failure
    /// says nothing about the request itself: retrying it may succeed.
    #[error("network: {message}")]
    Network {
        /// The TIM error code.
        code: i32,
        /// What happened.
        message: String,
    },
    /// The server refused the request with an `Error` frame; its code and description are
    /// passed through unchanged.
    #[error("server refused ({code}): {desc}")]
    Server {
        /// The TIM error code the server gave.
        code: i32,
        /// The server's description.
        desc: String,
    },
    /// `TIMMsgModifyMessage` was based on another version than the server's
    /// (`ERR_SDK_MSG_MODIFY_CONFLICT`, 8006): nothing changed; `current` is the message as
    /// the server now holds it (edit that and try again).
    #[error("modify conflict ({}): {desc}", codes::ERR_SDK_MSG_MODIFY_CONFLICT)]
    ModifyConflict {
        /// The server's description.
        desc: String,
        /// The message as the server holds it.
        current: Box<tim_model::Message>,
    },
    /// The server sent something this client cannot decode.
    #[error(transparent)]
    Protocol(#[from] tim_proto::ProtoError),
}

impl CoreError {
    /// The TIM error code (`TIMErrCode`) this error is reported with.
    pub fn code(&self) -> i32 {
        match self {
            Self::Model(err) => err.code(),
            Self::Store(err) => err.code(),
            Self::Search(err) => err.code(),
            Self::Refused { code, .. } | Self::Network { code, .. } | Self::Server { code, .. } => {
                *code
            }
            Self::ModifyConflict { .. } => codes::ERR_SDK_MSG_MODIFY_CONFLICT,
            Self::Protocol(err) => err.code(),
        }
    }

    /// Whether this is a network failure (the request may succeed when retried).
    pub fn is_network(&self) -> bool {
        matches!(self, Self::Network { .. })
    }

    /// A network failure with `code`.
    pub(crate) fn network(code: i32, message: impl Into<String>) -> Self {
        Self::Network {
            code,
            message: message.into(),
        }
    }

    /// Not connected (`ERR_SDK_NET_DISCONNECT`).
    pub(crate) fn disconnected(message: impl Into<String>) -> Self {
        Self::network(codes::ERR_SDK_NET_DISCONNECT, message)
    }

    /// Not logged in (`ERR_SDK_NOT_LOGGED_IN`).
    pub(crate) fn not_logged_in() -> Self {
        Self::refused(codes::ERR_SDK_NOT_LOGGED_IN, "not logged in")
    }

    /// A refusal with `code`.
    pub(crate) fn refused(code: i32, message: impl Into<String>) -> Self {
        Self::Refused {
            code,
            message: message.into(),
        }
    }

    /// A refusal of a bad argument (`ERR_INVALID_PARAMETERS`).
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::refused(codes::ERR_INVALID_PARAMETERS, message)
    }

    /// A refusal because the message asked for is not in the local store.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::refused(codes::ERR_SDK_COMM_DATABASE_NOTFOUND, message)
    }
}

/// Result of engine operations.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;
