//! The extensions area of [`RedbStorage`](super::RedbStorage): its tables, its writes (applied
//! through [`Tables`]) and its reads.

use super::RedbStorage;
use super::write::{Tables, refuse};
use crate::storage::extensions::{ExtensionReads, ExtensionsWrite};
use crate::storage::{StorageError, WriteOutcome};
use redb::WriteTransaction;
use tim_model::codes;

/// Creates the area's tables (at open, so that reads find them).
pub(super) fn create_tables(_txn: &WriteTransaction) -> Result<(), StorageError> {
    Ok(())
}

impl Tables<'_> {
    /// Applies one write of the area.
    pub(super) fn extensions(
        &mut self,
        _write: ExtensionsWrite,
    ) -> Result<WriteOutcome, StorageError> {
        refuse(codes::ERR_SDK_INTERFACE_NOT_SUPPORT, "not supported yet")
    }
}

impl ExtensionReads for RedbStorage {}
