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

/// Two backend instances (two nodes) on one database.
mod nodes {
    use super::*;

    tim_server::storage_node_tests!(|| {
        let database = TestDatabase::create();
        let first = tim_server::storage::postgres::connect(&database.url()).unwrap();
        let second = tim_server::storage::postgres::connect(&database.url()).unwrap();
        (
            Arc::new(first) as Arc<dyn Storage>,
            Arc::new(second) as Arc<dyn Storage>,
            database,
        )
    });
}

#[test]
fn the_postgres_store_passes_the_key_value_check() {
    let database = TestDatabase::create();
    let kv = tim_server::storage::postgres::PgKv::connect(&database.url()).unwrap();
    tim_server::storage::kv::check::scans_see_their_own_writes(&kv);
}
