//! The directory blob store (the default) passes the same conformance checks as the S3 store.

mod blob_conformance;

use tim_server::blob::DirBlobStore;

#[tokio::test]
async fn dir_store_passes_the_blob_conformance_checks() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let store = DirBlobStore::open(dir.path().join("blobs")).unwrap_or_else(|err| panic!("{err}"));
    blob_conformance::blob_store_conformance(&store).await;
}
