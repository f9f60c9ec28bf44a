//! The S3-compatible blob store against an in-test S3 endpoint on 127.0.0.1: the shared blob
//! conformance checks, single-PUT and multipart uploads, offsets, prefixes, signing and
//! failures.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod blob_conformance;
mod fake_s3;

use blob_conformance::{blob_store_conformance, pattern, read_from, write_file};
use fake_s3::FakeS3;
use std::time::Duration;
use tim_server::blob::BlobStore;
use tim_server::blob::s3::{PART_SIZE, S3BlobStore, S3Config};

const BUCKET: &str = "tim-media";
const ACCESS_KEY: &str = "tim-test-access";
const SECRET_KEY: &str = "tim-test-secret-0123456789";
/// Longest any single test step may take.
const WAIT: Duration = Duration::from_secs(60);

fn config(s3: &FakeS3) -> S3Config {
    S3Config {
        endpoint: s3.endpoint(),
        bucket: BUCKET.to_owned(),
        region: "us-east-1".to_owned(),
        access_key: ACCESS_KEY.to_owned(),
        secret_key: SECRET_KEY.to_owned(),
        path_style: true,
        prefix: None,
    }
}

fn store(config: S3Config) -> S3BlobStore {
    S3BlobStore::new(config).unwrap_or_else(|err| panic!("S3BlobStore::new: {err}"))
}

async fn within<T>(what: &str, fut: impl Future<Output = T>) -> T {
    tokio::time::timeout(WAIT, fut)
        .await
        .unwrap_or_else(|_| panic!("{what}: no result within {WAIT:?}"))
}

#[tokio::test]
async fn s3_store_passes_the_blob_conformance_checks() {
    let s3 = FakeS3::start(BUCKET, ACCESS_KEY).await;
    let store = store(config(&s3));
    within("conformance", blob_store_conformance(&store)).await;
    let log = s3.log();
    assert!(!log.is_empty());
    assert!(
        log.iter().all(|r| r.authorized),
        "an unsigned request: {log:?}"
    );
    assert!(
        s3.object_keys().is_empty(),
        "left behind: {:?}",
        s3.object_keys()
    );
}

#[tokio::test]
async fn a_small_file_is_one_put_and_offsets_read_with_a_range() {
    let s3 = FakeS3::start(BUCKET, ACCESS_KEY).await;
    let store = store(config(&s3));
    let dir = tempfile::tempdir().unwrap();
    let bytes = pattern(PART_SIZE - 1, 4);
    let path = write_file(dir.path(), "small", &bytes);
    within("put", store.put_file("1400000001/aa", &path))
        .await
        .unwrap_or_else(|err| panic!("put: {err}"));
    let log = s3.log();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(
        (
            log[0].method.as_str(),
            log[0].path.as_str(),
            log[0].query.as_str()
        ),
        ("PUT", "/tim-media/1400000001/aa", "")
    );
    assert_eq!(log[0].body_len, PART_SIZE - 1);
    assert_eq!(s3.object("1400000001/aa").as_deref(), Some(&bytes[..]));

    s3.clear_log();
    let offset = 3 * 1024 * 1024 + 7;
    let (total, rest) = within("read", read_from(&store, "1400000001/aa", offset as u64))
        .await
        .unwrap_or_else(|| panic!("blob missing"));
    assert_eq!(total, bytes.len() as u64);
    assert_eq!(rest, bytes[offset..]);
    let methods: Vec<String> = s3.log().iter().map(|r| r.method.clone()).collect();
    assert_eq!(methods, ["HEAD", "GET"]);
}

#[tokio::test]
async fn a_20_mib_file_goes_up_in_parts_and_reads_back_from_any_offset() {
    let s3 = FakeS3::start(BUCKET, ACCESS_KEY).await;
    let store = store(config(&s3));
    let dir = tempfile::tempdir().unwrap();
    let bytes = pattern(20 * 1024 * 1024, 5);
    let path = write_file(dir.path(), "large", &bytes);
    within("put", store.put_file("1400000001/big", &path))
        .await
        .unwrap_or_else(|err| panic!("put: {err}"));

    let log = s3.log();
    let count = |method: &str, query: &str| {
        log.iter()
            .filter(|r| r.method == method && r.query.contains(query))
            .count()
    };
    assert_eq!(
        count("POST", "uploads"),
        1,
        "CreateMultipartUpload: {log:?}"
    );
    // 8 + 8 + 4 MiB.
    assert_eq!(count("PUT", "partNumber="), 3, "UploadPart: {log:?}");
    assert_eq!(
        count("POST", "uploadId="),
        1,
        "CompleteMultipartUpload: {log:?}"
    );
    assert!(
        log.iter().all(|r| r.body_len <= PART_SIZE),
        "a request body above one part"
    );
    assert_eq!(s3.open_uploads(), 0);
    assert!(s3.object("1400000001/big").as_deref() == Some(&bytes[..]));

    for offset in [
        0,
        1,
        PART_SIZE - 1,
        PART_SIZE,
        PART_SIZE + 12_345,
        bytes.len() - 1,
    ] {
        let (total, rest) = within("read", read_from(&store, "1400000001/big", offset as u64))
            .await
            .unwrap_or_else(|| panic!("blob missing at {offset}"));
        assert_eq!(total, bytes.len() as u64, "total at {offset}");
        assert!(rest == bytes[offset..], "bytes from {offset}");
    }
    within("delete", store.delete("1400000001/big"))
        .await
        .unwrap_or_else(|err| panic!("delete: {err}"));
    assert!(s3.object("1400000001/big").is_none());
}

#[tokio::test]
async fn a_file_of_exactly_one_part_and_of_parts_plus_a_byte_round_trip() {
    let s3 = FakeS3::start(BUCKET, ACCESS_KEY).await;
    let store = store(config(&s3));
    let dir = tempfile::tempdir().unwrap();
    for (name, len) in [("one", PART_SIZE), ("two-plus", 2 * PART_SIZE + 1)] {
        let bytes = pattern(len, 6);
        let key = format!("1400000001/{name}");
        within(
            "put",
            store.put_file(&key, &write_file(dir.path(), name, &bytes)),
        )
        .await
        .unwrap_or_else(|err| panic!("put {name}: {err}"));
        assert!(s3.object(&key).as_deref() == Some(&bytes[..]), "{name}");
        let (total, rest) = within("read", read_from(&store, &key, 0))
            .await
            .unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(total, len as u64);
        assert!(rest == bytes, "{name}");
    }
    assert_eq!(s3.open_uploads(), 0);
}

#[tokio::test]
async fn a_prefix_puts_every_key_under_it() {
    let s3 = FakeS3::start(BUCKET, ACCESS_KEY).await;
    let mut with_prefix = config(&s3);
    with_prefix.prefix = Some("/tim/prod/".to_owned());
    let store = store(with_prefix);
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(dir.path(), "f", b"hello");
    within("put", store.put_file("1400000001/abc", &path))
        .await
        .unwrap_or_else(|err| panic!("put: {err}"));
    assert_eq!(s3.object_keys(), ["tim/prod/1400000001/abc"]);
    assert_eq!(
        within("read", read_from(&store, "1400000001/abc", 2)).await,
        Some((5, b"llo".to_vec()))
    );
    within("delete", store.delete("1400000001/abc"))
        .await
        .unwrap_or_else(|err| panic!("delete: {err}"));
    assert!(s3.object_keys().is_empty());
}

#[tokio::test]
async fn a_wrong_access_key_fails_every_operation_with_an_error() {
    let s3 = FakeS3::start(BUCKET, ACCESS_KEY).await;
    let mut wrong = config(&s3);
    wrong.access_key = "someone-else".to_owned();
    let store = store(wrong);
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(dir.path(), "f", b"data");
    assert!(within("put", store.put_file("1/a", &path)).await.is_err());
    assert!(within("open", store.open("1/a", 0)).await.is_err());
    assert!(within("open", store.open("1/a", 1)).await.is_err());
    assert!(within("delete", store.delete("1/a")).await.is_err());
    assert!(s3.object_keys().is_empty());
    assert!(s3.log().iter().all(|r| !r.authorized));
}

#[tokio::test]
async fn a_missing_bucket_or_unreachable_store_is_an_error_not_a_missing_blob() {
    let s3 = FakeS3::start(BUCKET, ACCESS_KEY).await;
    let mut other_bucket = config(&s3);
    other_bucket.bucket = "no-such-bucket".to_owned();
    let store = store(other_bucket);
    let dir = tempfile::tempdir().unwrap();
    let path = write_file(dir.path(), "f", b"data");
    assert!(within("put", store.put_file("1/a", &path)).await.is_err());

    // A port nothing listens on (bound, then released).
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let mut unreachable = config(&s3);
    unreachable.endpoint = format!("http://{addr}");
    let store = self::store(unreachable);
    assert!(within("put", store.put_file("1/a", &path)).await.is_err());
    assert!(within("open", store.open("1/a", 0)).await.is_err());
}

#[test]
fn bad_configurations_are_refused_and_the_secret_is_not_printed() {
    let good = S3Config {
        endpoint: "http://127.0.0.1:9000".to_owned(),
        bucket: "b".to_owned(),
        region: "us-east-1".to_owned(),
        access_key: "ak".to_owned(),
        secret_key: "very-secret".to_owned(),
        path_style: true,
        prefix: None,
    };
    assert!(S3BlobStore::new(good.clone()).is_ok());
    assert!(
        S3BlobStore::new(S3Config {
            path_style: false,
            endpoint: "https://s3.eu-west-1.amazonaws.com".to_owned(),
            ..good.clone()
        })
        .is_ok()
    );
    for endpoint in ["127.0.0.1:9000", "ftp://host", "http://", ""] {
        let config = S3Config {
            endpoint: endpoint.to_owned(),
            ..good.clone()
        };
        assert!(S3BlobStore::new(config).is_err(), "{endpoint:?} accepted");
    }
    let no_bucket = S3Config {
        bucket: String::new(),
        ..good.clone()
    };
    assert!(S3BlobStore::new(no_bucket).is_err());
    let printed = format!("{good:?}");
    assert!(!printed.contains("very-secret"), "{printed}");
    assert!(printed.contains("ak"), "{printed}");
}
