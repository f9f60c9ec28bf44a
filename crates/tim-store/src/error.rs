//! The one error type of the crate, [`StoreError`], with its TIM error codes, and
//! [`SkippedRecord`], the report of a stored record that could not be decoded.

use std::path::PathBuf;
use tim_model::codes;

/// Why a store operation failed.
///
/// [`StoreError::code`] maps every case to the TIM error code a caller reports: a database that
/// cannot be opened to `ERR_SDK_COMM_DATABASE_FAILURE` (7010), a failed database operation to
/// `ERR_DATABASE_OPERATE_FAILED` (6019), a damaged record an operation needs to
/// `ERR_LOADMSG_FAILED` (6005), and a bad argument to `ERR_INVALID_PARAMETERS` (6017).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database file cannot be created or opened (missing directory, no permission, not a
    /// redb file, already open elsewhere).
    #[error("cannot open the local database {}: {source}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// What redb reported.
        #[source]
        source: redb::Error,
    },
    /// The file was written by a newer tim whose schema this build does not know; it is left
    /// untouched.
    #[error(
        "the local database {} has schema version {found}, but this build of tim understands \
         versions up to {supported}; open it with a newer tim",
        path.display()
    )]
    NewerSchema {
        /// The file.
        path: PathBuf,
        /// The schema version recorded in the file.
        found: u64,
        /// The newest schema version this build reads.
        supported: u64,
    },
    /// A database operation (a transaction, a table, a read or a write) failed.
    #[error("local database operation failed: {0}")]
    Storage(#[source] redb::Error),
    /// A stored record an operation needs cannot be decoded. Reads skip such records instead
    /// (see [`crate::Store::skipped_records`]); this error is for operations that must read the
    /// one record they were asked to change.
    #[error("damaged record in table {table} at {key}: {detail}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// The record's key, readable.
        key: String,
        /// Why it could not be decoded.
        detail: String,
    },
    /// An argument is unusable (a message without ID, an empty range, an anchor that is not in
    /// the conversation).
    #[error("invalid argument {name}: {detail}")]
    InvalidArgument {
        /// The argument.
        name: &'static str,
        /// What is wrong with it.
        detail: String,
    },
}

impl StoreError {
    /// The TIM error code (`TIMErrCode`) this error is reported with.
    pub fn code(&self) -> i32 {
        match self {
            Self::Open { .. } | Self::NewerSchema { .. } => codes::ERR_SDK_COMM_DATABASE_FAILURE,
            Self::Storage(_) => codes::ERR_DATABASE_OPERATE_FAILED,
            Self::Corrupt { .. } => codes::ERR_LOADMSG_FAILED,
            Self::InvalidArgument { .. } => codes::ERR_INVALID_PARAMETERS,
        }
    }

    pub(crate) fn invalid(name: &'static str, detail: impl Into<String>) -> Self {
        Self::InvalidArgument {
            name,
            detail: detail.into(),
        }
    }
}

macro_rules! from_redb {
    ($($error:ty),*) => {$(
        impl From<$error> for StoreError {
            fn from(error: $error) -> Self {
                Self::Storage(redb::Error::from(error))
            }
        }
    )*};
}

from_redb!(
    redb::Error,
    redb::StorageError,
    redb::TableError,
    redb::TransactionError,
    redb::CommitError
);

/// A stored record that could not be decoded and was skipped by a read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedRecord {
    /// The table it is in (`messages`, `conversations`, `index_journal`, ...).
    pub table: &'static str,
    /// Its key, readable (for a message: conversation number, order time, seq, insertion
    /// number, and the message ID where the read knew it).
    pub key: String,
    /// Why it could not be decoded.
    pub error: String,
}

/// Result of tim-store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_error_has_its_tim_code() {
        assert_eq!(StoreError::invalid("msg_id", "missing").code(), 6017);
        let corrupt = StoreError::Corrupt {
            table: "messages",
            key: "k".into(),
            detail: "d".into(),
        };
        assert_eq!(corrupt.code(), 6005);
        let newer = StoreError::NewerSchema {
            path: "x".into(),
            found: 9,
            supported: 1,
        };
        assert_eq!(newer.code(), 7010);
        assert!(newer.to_string().contains("schema version 9"), "{newer}");
        let storage = StoreError::from(redb::StorageError::Corrupted("x".into()));
        assert_eq!(storage.code(), 6019);
    }
}
