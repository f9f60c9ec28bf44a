//! The storage conformance suite on the redb backend.
#![allow(clippy::unwrap_used, missing_docs)]

use std::sync::Arc;
use tim_server::storage::Storage;

tim_server::storage_conformance_tests!(|| {
    let dir = tempfile::tempdir().unwrap();
    let storage = tim_server::storage::redb::open(dir.path()).unwrap();
    (Arc::new(storage) as Arc<dyn Storage>, dir)
});
