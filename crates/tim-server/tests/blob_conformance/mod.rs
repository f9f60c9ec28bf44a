//! The behaviour every [`BlobStore`] backend must show, as one async function the tests of each
//! backend call (`mod blob_conformance;` then `blob_store_conformance(&store).await`). The store
//! must not yet hold keys under the apps `1400000901` and `1400000902`.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code, missing_docs)]

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};
use tim_server::blob::BlobStore;
use tokio::io::AsyncReadExt;

const APP_A: &str = "1400000901";
const APP_B: &str = "1400000902";

/// `len` bytes of a pattern that differs at every offset modulo 251 and per `seed`.
pub fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| ((i % 251) as u8).wrapping_add(seed.wrapping_mul(31)))
        .collect()
}

/// Writes `bytes` to a new file in `dir` and returns its path.
pub fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|err| panic!("write {}: {err}", path.display()));
    path
}

/// Opens `key` at `offset` and reads the rest; `None` when the store says there is no blob.
pub async fn read_from(store: &dyn BlobStore, key: &str, offset: u64) -> Option<(u64, Vec<u8>)> {
    let blob = store
        .open(key, offset)
        .await
        .unwrap_or_else(|err| panic!("open {key} at {offset}: {err}"))?;
    let mut bytes = Vec::new();
    let mut reader = blob.reader;
    reader
        .read_to_end(&mut bytes)
        .await
        .unwrap_or_else(|err| panic!("read {key} from {offset}: {err}"));
    Some((blob.total_size, bytes))
}

async fn put(store: &dyn BlobStore, key: &str, path: &Path) {
    store
        .put_file(key, path)
        .await
        .unwrap_or_else(|err| panic!("put {key} from {}: {err}", path.display()));
}

/// Runs every shared check against `store`.
pub async fn blob_store_conformance(store: &dyn BlobStore) {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("temp dir: {err}"));
    let key = format!("{APP_A}/0123456789abcdef0123456789abcdef");
    let other_key = format!("{APP_B}/0123456789abcdef0123456789abcdef");

    // A key never written is absent, at any offset.
    assert!(
        read_from(store, &key, 0).await.is_none(),
        "missing key at 0"
    );
    assert!(
        read_from(store, &key, 10).await.is_none(),
        "missing key at 10"
    );

    // Put then read back whole and from offsets; total_size is always the whole size.
    let first = pattern(100_003, 1);
    put(store, &key, &write_file(dir.path(), "first", &first)).await;
    assert_eq!(
        read_from(store, &key, 0).await,
        Some((100_003, first.clone()))
    );
    for offset in [1_u64, 4096, 65_537, 100_002] {
        let (total, rest) = read_from(store, &key, offset)
            .await
            .unwrap_or_else(|| panic!("blob gone at offset {offset}"));
        assert_eq!(total, 100_003, "total_size at offset {offset}");
        assert_eq!(rest, first[offset as usize..], "bytes from offset {offset}");
    }
    // At the end: nothing left to read, the size still known.
    assert_eq!(
        read_from(store, &key, 100_003).await,
        Some((100_003, Vec::new()))
    );
    // Past the end: an error or an empty remainder, never bytes and never "missing".
    match store.open(&key, 200_000).await {
        Err(_) => {}
        Ok(None) => panic!("an existing blob reported missing past its end"),
        Ok(Some(blob)) => {
            let mut rest = Vec::new();
            let mut reader = blob.reader;
            let read = reader.read_to_end(&mut rest).await;
            assert!(read.is_err() || rest.is_empty(), "bytes past the end");
        }
    }

    // The same file ID in another app is another blob.
    assert!(
        read_from(store, &other_key, 0).await.is_none(),
        "keys leak across apps"
    );
    let other = pattern(777, 2);
    put(store, &other_key, &write_file(dir.path(), "other", &other)).await;
    assert_eq!(
        read_from(store, &other_key, 0).await,
        Some((777, other.clone()))
    );
    assert_eq!(
        read_from(store, &key, 0).await,
        Some((100_003, first.clone()))
    );

    // Overwrite with a shorter file: the new bytes and size only.
    let second = pattern(5_000, 3);
    put(store, &key, &write_file(dir.path(), "second", &second)).await;
    assert_eq!(
        read_from(store, &key, 0).await,
        Some((5_000, second.clone()))
    );
    assert_eq!(
        read_from(store, &key, 4_000).await,
        Some((5_000, second[4_000..].to_vec()))
    );

    // An empty file is a blob of size 0.
    let empty_key = format!("{APP_A}/ffffffffffffffffffffffffffffffff");
    put(store, &empty_key, &write_file(dir.path(), "empty", &[])).await;
    assert_eq!(read_from(store, &empty_key, 0).await, Some((0, Vec::new())));

    // A missing source file is a NotFound error and stores nothing.
    let missing_key = format!("{APP_A}/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
    let err = store
        .put_file(&missing_key, &dir.path().join("no-such-file"))
        .await
        .err()
        .unwrap_or_else(|| panic!("put from a missing file succeeded"));
    assert_eq!(err.kind(), io::ErrorKind::NotFound, "{err}");
    assert!(read_from(store, &missing_key, 0).await.is_none());

    // Delete removes one key only, and is idempotent.
    store
        .delete(&key)
        .await
        .unwrap_or_else(|err| panic!("delete: {err}"));
    assert!(
        read_from(store, &key, 0).await.is_none(),
        "deleted key still there"
    );
    assert!(
        read_from(store, &key, 5).await.is_none(),
        "deleted key at an offset"
    );
    store
        .delete(&key)
        .await
        .unwrap_or_else(|err| panic!("second delete: {err}"));
    store
        .delete(&format!("{APP_B}/dddddddddddddddddddddddddddddddd"))
        .await
        .unwrap_or_else(|err| panic!("delete of a never-written key: {err}"));
    assert_eq!(read_from(store, &other_key, 0).await, Some((777, other)));

    // A deleted key can be written again.
    put(store, &key, &write_file(dir.path(), "third", &first[..10])).await;
    assert_eq!(
        read_from(store, &key, 0).await,
        Some((10, first[..10].to_vec()))
    );

    // Clearing leftovers of unfinished puts, even with a clock far ahead, keeps every object.
    let far_ahead = SystemTime::now() + Duration::from_secs(365 * 24 * 3600);
    store
        .remove_temporaries(far_ahead)
        .await
        .unwrap_or_else(|err| panic!("remove_temporaries: {err}"));
    assert_eq!(
        read_from(store, &key, 0).await,
        Some((10, first[..10].to_vec()))
    );
    assert_eq!(read_from(store, &empty_key, 0).await, Some((0, Vec::new())));

    for key in [key, other_key, empty_key] {
        store
            .delete(&key)
            .await
            .unwrap_or_else(|err| panic!("clean-up delete {key}: {err}"));
    }
}
