//! `SearchError`, the one error type of this crate, and its mapping to TIM error codes.
//!
//! A bad query or document is the caller's mistake (`ERR_INVALID_PARAMETERS`); anything that goes
//! wrong inside the index is either an I/O failure (`ERR_IO_OPERATION_FAILED`) or a database
//! failure (`ERR_DATABASE_OPERATE_FAILED`). A schema mismatch is a database failure too, but has
//! its own variant because the caller is expected to act on it: delete the directory and rebuild
//! the index from the store.

use std::path::PathBuf;

use tim_model::codes;

/// Everything that can go wrong in `tim-search`.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query is not acceptable (no keyword, more than five, an empty one, an inverted time
    /// range); the message says which rule it broke.
    #[error("invalid search query: {0}")]
    InvalidQuery(String),

    /// A document cannot be indexed (for example it has no message ID).
    #[error("invalid search document: {0}")]
    InvalidDocument(String),

    /// The directory holds an index written with another schema (or by something else). The
    /// caller should remove the directory and rebuild the index from the store.
    #[error("search index at {path} has schema {found}, this build needs {expected}; rebuild it")]
    SchemaMismatch {
        /// The index directory.
        path: PathBuf,
        /// What the directory says it holds ("none" when it has no schema version file).
        found: String,
        /// The schema version this build writes and reads.
        expected: u32,
    },

    /// Reading or writing a file of the index failed.
    #[error("search index I/O on {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// The index engine (tantivy) failed.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
}

impl SearchError {
    /// The TIM error code for this error (`tim_model::codes`).
    pub fn code(&self) -> i32 {
        use tantivy::TantivyError as T;
        match self {
            Self::InvalidQuery(_) | Self::InvalidDocument(_) => codes::ERR_INVALID_PARAMETERS,
            Self::SchemaMismatch { .. } => codes::ERR_DATABASE_OPERATE_FAILED,
            Self::Io { .. } => codes::ERR_IO_OPERATION_FAILED,
            Self::Index(
                T::IoError(_)
                | T::OpenDirectoryError(_)
                | T::OpenReadError(_)
                | T::OpenWriteError(_)
                | T::LockFailure(..),
            ) => codes::ERR_IO_OPERATION_FAILED,
            Self::Index(_) => codes::ERR_DATABASE_OPERATE_FAILED,
        }
    }

    /// An I/O error on `path`.
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    /// A fast-field dictionary lookup failed (the index files are damaged).
    pub(crate) fn dictionary(source: std::io::Error) -> Self {
        Self::Index(tantivy::TantivyError::IoError(std::sync::Arc::new(source)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_maps_to_its_tim_code() {
        assert_eq!(SearchError::InvalidQuery("x".into()).code(), 6017);
        assert_eq!(SearchError::InvalidDocument("x".into()).code(), 6017);
        let mismatch = SearchError::SchemaMismatch {
            path: PathBuf::from("/x"),
            found: "0".into(),
            expected: 1,
        };
        assert_eq!(mismatch.code(), 6019);
        let io = SearchError::io("/x", std::io::Error::other("disk full"));
        assert_eq!(io.code(), 6022);
        let engine = SearchError::from(tantivy::TantivyError::InternalError("x".into()));
        assert_eq!(engine.code(), 6019);
        let engine_io = SearchError::dictionary(std::io::Error::other("bad block"));
        assert_eq!(engine_io.code(), 6022);
    }
}
