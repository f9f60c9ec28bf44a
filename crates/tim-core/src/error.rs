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
}

impl CoreError {
    /// The TIM error code (`TIMErrCode`) this error is reported with.
    pub fn code(&self) -> i32 {
        match self {
            Self::Model(err) => err.code(),
            Self::Store(err) => err.code(),
            Self::Search(err) => err.code(),
            Self::Refused { code, .. } => *code,
        }
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
