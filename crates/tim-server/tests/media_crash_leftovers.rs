//! What a crash in the middle of finishing an upload leaves, and the sweep that cleans it up.
//! `finish_upload` writes an upload's records (original and renditions) first, then puts
//! their bytes into the blob store, so a SIGKILL in between leaves records whose bytes are
//! missing or partly there, and a kill inside `DirBlobStore::put_file` leaves its `.tmp-*`
//! file. Such files were never acknowledged, so no message names them: the sweep must
//! collect the records, tolerate the missing bytes, and remove the temporary files; a
//! download meanwhile answers 114000, never partial bytes. tim-cli's crash test
//! (`tests/crash.rs`) checks the same with real kills; this test makes the leftovers by hand.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::media::*;
use common::*;
use std::io::Cursor;
use std::time::{Duration, SystemTime};
use tim_model::codes;
use tim_proto::v1;
use tim_proto::v1::server_frame::Body as Response;

const HOUR: Duration = Duration::from_secs(3600);
const ID_C: &str = "00112233445566778899aabbccddeeff";

/// Writes `path` as a file last modified two days ago (older than any grace period).
fn leftover(path: &std::path::Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
    let file = std::fs::File::options().write(true).open(path).unwrap();
    file.set_modified(SystemTime::now() - 48 * HOUR).unwrap();
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut bytes = Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

/// A time past the staging TTL and the grace period of `server`.
fn past_every_deadline(server: &TestServer) -> SystemTime {
    let limits = &server.config.media;
    SystemTime::now() + limits.staging_ttl + limits.unreferenced_grace + HOUR
}

/// Sends alice's message to bob naming `file`.
async fn send_naming(alice: &TestClient, file: &v1::MediaFile) {
    let mut message = text_message("m-file", "");
    message.elems = vec![v1::Elem {
        body: Some(v1::elem::Body::File(v1::FileElem {
            file_id: file.file_id.clone(),
            url: file.url.clone(),
            file_name: "f.bin".into(),
            ..Default::default()
        })),
    }];
    let sent = alice
        .request(v1::client_frame::Body::SendMessage(
            v1::SendMessageRequest {
                conversation: Some(conv(C2C, "bob")),
                message: Some(message),
            },
        ))
        .await;
    assert!(matches!(sent, Response::SendMessage(_)), "{sent:?}");
}

#[tokio::test]
async fn a_sweep_removes_what_a_crash_left_while_storing_uploads() {
    let mut server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let kept = upload(&alice, ID_A, FILE, conv(C2C, "bob"), &pattern(3000))
        .await
        .unwrap()
        .file
        .unwrap();
    send_naming(&alice, &kept).await;
    let image = upload(&alice, ID_B, IMAGE, conv(C2C, "bob"), &png(1600, 1200))
        .await
        .unwrap();
    assert_eq!(image.variants.len(), 2, "{image:?}");
    let unstored = upload(&alice, ID_C, FILE, conv(C2C, "bob"), &pattern(4000))
        .await
        .unwrap()
        .file
        .unwrap();
    drop(alice);

    // What a SIGKILL leaves: the image's records with the original put and its renditions
    // not; a file's record with none of its bytes; the temporary file of a put cut short.
    let app_dir = server.dir.path().join("blobs").join(APP.to_string());
    for file in image.variants.iter().chain([&unstored]) {
        std::fs::remove_file(app_dir.join(&file.file_id)).unwrap();
    }
    let temporary = app_dir.join(format!(".tmp-{}-0", "ffeeddccbbaa99887766554433221100"));
    leftover(&temporary, &pattern(1000));
    server.restart().await;

    // A record without its bytes is a clear "not found", never a partial file.
    let bob = server.client("bob", "b").await;
    for file in image.variants.iter().chain([&unstored]) {
        assert_eq!(
            download(&bob, &file.file_id, 0).await.unwrap_err(),
            codes::ERR_SVR_RES_NOT_FOUND,
            "{}",
            file.file_id
        );
    }

    let report = server
        .server
        .as_ref()
        .unwrap()
        .sweep_media(past_every_deadline(&server))
        .await;
    assert_eq!(report.collected_files, 4, "{report:?}");
    assert_eq!(report.delete_failures, 0, "{report:?}");
    assert_eq!(report.blob_temporaries, 1, "{report:?}");
    let mut left = walk(&app_dir);
    left.sort();
    assert_eq!(
        left,
        vec![app_dir.join(&kept.file_id)],
        "after the sweep ({report:?}) only the file a message names may remain"
    );
    let original = image.file.as_ref().unwrap();
    for file_id in [&original.file_id, &unstored.file_id] {
        assert_eq!(
            download(&bob, file_id, 0).await.unwrap_err(),
            codes::ERR_SVR_RES_NOT_FOUND
        );
    }
    let (total, bytes) = download(&bob, &kept.file_id, 0).await.unwrap();
    assert_eq!(total, 3000);
    assert!(bytes == pattern(3000));
    server.stop().await;
}

#[tokio::test]
async fn a_put_that_fails_leaves_a_record_the_sweep_collects() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    // A file where the app's blob directory should be: every put of the app fails.
    let blobs = server.dir.path().join("blobs");
    let app_dir = blobs.join(APP.to_string());
    std::fs::write(&app_dir, b"in the way").unwrap();
    assert_eq!(
        upload(&alice, ID_A, FILE, conv(C2C, "bob"), &pattern(3000))
            .await
            .unwrap_err(),
        codes::ERR_SVR_MSG_INTERNAL_ERROR1
    );
    std::fs::remove_file(&app_dir).unwrap();

    let sweeper = server.server.as_ref().unwrap();
    let within_grace = sweeper.sweep_media(SystemTime::now()).await;
    assert_eq!(within_grace.collected_files, 0, "{within_grace:?}");
    let report = sweeper.sweep_media(past_every_deadline(&server)).await;
    assert_eq!(report.collected_files, 1, "{report:?}");
    assert_eq!(report.delete_failures, 0, "{report:?}");
    assert!(walk(&blobs).is_empty(), "{:?}", walk(&blobs));

    // The store works again; the retry is a new file.
    let done = upload(&alice, ID_A, FILE, conv(C2C, "bob"), &pattern(3000))
        .await
        .unwrap();
    let file = done.file.unwrap();
    let (total, _) = download(&alice, &file.file_id, 0).await.unwrap();
    assert_eq!(total, 3000);
    server.stop().await;
}
