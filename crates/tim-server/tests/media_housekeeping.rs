//! Media housekeeping against a real server: the sweep removes expired staged uploads and
//! the files of uploads no message names, keeps what a message names, and the per-user quota
//! on staged bytes. The sweep is driven with a given clock (`Server::sweep_media`), never by
//! waiting.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::media::*;
use common::*;
use std::time::{Duration, SystemTime};
use tim_model::codes;
use tim_proto::v1;
use tim_proto::v1::transfer_response::Kind as ResponseKind;
use tim_server::MediaSweep;

const HOUR: Duration = Duration::from_secs(3600);

/// Begins an upload of `size` bytes, sends `sent` of them and ends the stream: the server
/// keeps the prefix for a resume.
async fn abort_upload(client: &TestClient, upload_id: &str, size: u64, sent: usize) {
    let mut transfer = Transfer::open(client, begin(upload_id, FILE, conv(C2C, "bob"), size)).await;
    match transfer.response().await {
        ResponseKind::Ready(ready) => assert_eq!(ready.offset, 0),
        other => panic!("upload {upload_id} not ready: {other:?}"),
    }
    transfer.send.write_all(&pattern(sent)).await.unwrap();
    transfer.send.finish().unwrap();
    match transfer.response().await {
        ResponseKind::Error(error) => assert_eq!(error.code, codes::ERR_INVALID_PARAMETERS),
        other => panic!("unexpected {other:?}"),
    }
}

/// What a sweep at `now` did.
async fn sweep(server: &TestServer, now: SystemTime) -> MediaSweep {
    server.server.as_ref().unwrap().sweep_media(now).await
}

/// Every entry (files and directories) under `dir`.
fn entries(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in read {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path.clone());
            }
            found.push(path);
        }
    }
    found
}

#[tokio::test]
async fn a_thousand_aborted_uploads_leave_nothing_after_the_sweep() {
    const UPLOADS: usize = 1000;
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let carol = server.client("carol", "c").await;
    for index in 0..UPLOADS {
        let client = if index % 2 == 0 { &alice } else { &carol };
        abort_upload(client, &format!("{index:032x}"), 10_000, 1000).await;
    }
    let uploads = server.dir.path().join("uploads");
    assert_eq!(walk(&uploads).len(), UPLOADS);

    // Within the TTL nothing goes.
    let now = SystemTime::now();
    assert_eq!(sweep(&server, now).await, MediaSweep::default());
    assert_eq!(walk(&uploads).len(), UPLOADS);

    // Past it, every prefix and every directory they were in.
    let later = now + server.config.media.staging_ttl + Duration::from_secs(1);
    let report = sweep(&server, later).await;
    assert_eq!(report.staged_files, UPLOADS);
    assert_eq!(report.staged_bytes, (UPLOADS * 1000) as u64);
    let left = entries(&uploads);
    assert!(left.is_empty(), "left after the sweep: {left:?}");
    // Uploads still work afterwards.
    let done = upload(&alice, ID_A, FILE, conv(C2C, "bob"), &pattern(5000))
        .await
        .unwrap();
    assert_eq!(done.file.unwrap().size, 5000);
    server.stop().await;
}

/// Sends a C2C message to bob whose file element names `file_id`.
async fn send_file_message(client: &TestClient, msg_id: &str, file_id: &str) {
    let mut message = text_message(msg_id, "");
    message.elems = vec![v1::Elem {
        body: Some(v1::elem::Body::File(v1::FileElem {
            file_id: file_id.into(),
            url: format!("tim-media://{file_id}"),
            file_name: "f.bin".into(),
            ..Default::default()
        })),
    }];
    let response = client
        .request(tim_proto::v1::client_frame::Body::SendMessage(
            v1::SendMessageRequest {
                conversation: Some(conv(C2C, "bob")),
                message: Some(message),
            },
        ))
        .await;
    assert!(
        matches!(response, tim_proto::v1::server_frame::Body::SendMessage(_)),
        "{response:?}"
    );
}

#[tokio::test]
async fn unreferenced_files_are_collected_and_referenced_ones_survive_the_sweep() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let bob = server.client("bob", "b").await;
    let referenced = upload(&alice, ID_A, FILE, conv(C2C, "bob"), &pattern(3000))
        .await
        .unwrap()
        .file
        .unwrap();
    let forgotten = upload(&alice, ID_B, FILE, conv(C2C, "bob"), &pattern(4000))
        .await
        .unwrap()
        .file
        .unwrap();
    send_file_message(&alice, "m-file", &referenced.file_id).await;

    // Within the grace period nothing is collected.
    let now = SystemTime::now();
    assert_eq!(sweep(&server, now).await.collected_files, 0);
    download(&bob, &forgotten.file_id, 0).await.unwrap();

    // After it, the file no message named is gone (record and bytes); the other stays.
    let later = now + server.config.media.unreferenced_grace + HOUR;
    let report = sweep(&server, later).await;
    assert_eq!((report.collected_files, report.delete_failures), (1, 0));
    assert_eq!(
        download(&bob, &forgotten.file_id, 0).await.unwrap_err(),
        codes::ERR_SVR_RES_NOT_FOUND
    );
    let blobs = walk(&server.dir.path().join("blobs"));
    assert_eq!(blobs.len(), 1, "{blobs:?}");
    let (total, bytes) = download(&bob, &referenced.file_id, 0).await.unwrap();
    assert_eq!(total, 3000);
    assert!(bytes == pattern(3000));
    // And it stays through later sweeps and a restart.
    let mut server = server;
    server.restart().await;
    let much_later = later + 100 * HOUR;
    assert_eq!(sweep(&server, much_later).await.collected_files, 0);
    let bob = server.client("bob", "b").await;
    assert_eq!(
        download(&bob, &referenced.file_id, 0).await.unwrap().0,
        3000
    );
    server.stop().await;
}

#[tokio::test]
async fn a_user_over_the_staged_quota_is_refused_while_another_user_still_uploads() {
    const QUOTA: u64 = 1024 * 1024;
    let server = TestServer::start_with(|config| {
        config.media.max_staged_bytes_per_user = QUOTA;
    })
    .await;
    let alice = server.client("alice", "a").await;
    let bob = server.client("bob", "b").await;
    let size = 600 * 1024;
    let bytes = pattern(size);
    // Alice's first upload breaks off: 600 KiB of her 1 MiB are reserved.
    abort_upload(&alice, ID_A, size as u64, 100).await;
    assert_eq!(
        upload(&alice, ID_B, FILE, conv(C2C, "bob"), &bytes)
            .await
            .unwrap_err(),
        codes::ERR_SVR_RES_SIZE_LIMIT
    );
    // Bob's own quota is untouched.
    let done = upload(&bob, ID_B, FILE, conv(C2C, "alice"), &bytes)
        .await
        .unwrap();
    assert_eq!(done.file.unwrap().size, size as u64);
    // Alice may resume her staged upload; once it is done, her next one fits.
    upload(&alice, ID_A, FILE, conv(C2C, "bob"), &bytes)
        .await
        .unwrap();
    upload(&alice, ID_B, FILE, conv(C2C, "bob"), &bytes)
        .await
        .unwrap();
    server.stop().await;
}
