//! What a crash in the middle of finishing an upload leaves in the blob directory, and the
//! sweep that must clean it up. `finish_upload` puts the file (and an image's renditions)
//! into the blob store, then writes their records; a SIGKILL between the two leaves bytes
//! under `blobs/<app>/<file_id>` that no record points to, and a kill inside
//! `DirBlobStore::put_file` leaves its `.tmp-*` file. The sweep only walks records, so
//! neither is ever removed. tim-cli's crash test (`tests/crash.rs`) finds such files after
//! nearly every run of 20 kills; this test makes the same leftovers by hand.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::media::*;
use common::*;
use std::time::{Duration, SystemTime};
use tim_proto::v1;
use tim_proto::v1::server_frame::Body as Response;

const HOUR: Duration = Duration::from_secs(3600);

/// Writes `path` as a file last modified two days ago (older than any grace period).
fn leftover(path: &std::path::Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - 48 * HOUR).unwrap();
}

#[tokio::test]
async fn a_sweep_removes_the_blob_files_a_crash_left_without_a_record() {
    let mut server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let kept = upload(&alice, ID_A, FILE, conv(C2C, "bob"), &pattern(3000))
        .await
        .unwrap()
        .file
        .unwrap();
    let mut message = text_message("m-file", "");
    message.elems = vec![v1::Elem {
        body: Some(v1::elem::Body::File(v1::FileElem {
            file_id: kept.file_id.clone(),
            url: kept.url.clone(),
            file_name: "f.bin".into(),
            ..Default::default()
        })),
    }];
    let sent = alice
        .request(tim_proto::v1::client_frame::Body::SendMessage(
            v1::SendMessageRequest {
                conversation: Some(conv(C2C, "bob")),
                message: Some(message),
            },
        ))
        .await;
    assert!(matches!(sent, Response::SendMessage(_)), "{sent:?}");
    drop(alice);

    // What a SIGKILL leaves: an upload's bytes whose record was never written, and the
    // temporary file of a put that never finished.
    let app_dir = server.dir.path().join("blobs").join(APP.to_string());
    let unrecorded = app_dir.join("00112233445566778899aabbccddeeff");
    let temporary = app_dir.join(".tmp-ffeeddccbbaa99887766554433221100-0");
    leftover(&unrecorded, &pattern(4000));
    leftover(&temporary, &pattern(1000));
    server.restart().await;

    let limits = &server.config.media;
    let later = SystemTime::now() + limits.staging_ttl + limits.unreferenced_grace + HOUR;
    let report = server.server.as_ref().unwrap().sweep_media(later).await;
    let mut left = walk(&app_dir);
    left.sort();
    assert_eq!(
        left,
        vec![app_dir.join(&kept.file_id)],
        "after the sweep ({report:?}) only the file a message names may remain"
    );
    let bob = server.client("bob", "b").await;
    let (total, bytes) = download(&bob, &kept.file_id, 0).await.unwrap();
    assert_eq!(total, 3000);
    assert!(bytes == pattern(3000));
    server.stop().await;
}
