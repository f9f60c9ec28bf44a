//! The storage conformance suite on the PostgreSQL backend: a real PostgreSQL server started
//! by the test (initdb into a temp dir, Unix socket), one fresh database per test.
#![allow(clippy::unwrap_used, missing_docs)]

use std::sync::Arc;
use tim_server::storage::Storage;
use tim_server::testing::postgres::TestDatabase;

tim_server::storage_conformance_tests!(|| {
    let database = TestDatabase::create();
    let storage = tim_server::storage::postgres::connect(&database.url()).unwrap();
    (Arc::new(storage) as Arc<dyn Storage>, database)
});
