//! Media transfers against a real server, on the raw wire (media.proto): upload and download
//! on their own streams, resume after a broken or short stream, size limits, who may
//! download, and image renditions.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use common::media::*;
use common::*;
use std::io::Cursor;
use tim_model::codes;
use tim_proto::v1;
use tim_proto::v1::client_frame::Body as Request;
use tim_proto::v1::server_frame::Body as Response;
use tim_proto::v1::transfer_request::Kind as RequestKind;
use tim_proto::v1::transfer_response::Kind as ResponseKind;

#[tokio::test]
async fn c2c_upload_then_download_by_uploader_and_peer_only() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let bob = server.client("bob", "b").await;
    let carol = server.client("carol", "c").await;
    let bytes = pattern(3 * 1024 * 1024 + 17);
    let done = upload(&alice, ID_A, FILE, conv(C2C, "bob"), &bytes)
        .await
        .unwrap();
    let file = done.file.unwrap();
    assert_eq!(file.size, bytes.len() as u64);
    assert_eq!(file.file_id.len(), 32);
    assert_eq!(file.url, format!("tim-media://{}", file.file_id));
    assert!(done.variants.is_empty());

    for client in [&alice, &bob] {
        let (total, got) = download(client, &file.file_id, 0).await.unwrap();
        assert_eq!(total, bytes.len() as u64);
        assert!(got == bytes, "downloaded bytes differ");
    }
    let (total, tail) = download(&bob, &file.file_id, 1000).await.unwrap();
    assert_eq!(total, bytes.len() as u64);
    assert!(tail == bytes[1000..], "ranged download differs");
    assert_eq!(
        download(&carol, &file.file_id, 0).await.unwrap_err(),
        codes::ERR_SVR_RES_ACCESS_DENY
    );
    assert_eq!(
        download(&bob, ID_B, 0).await.unwrap_err(),
        codes::ERR_SVR_RES_NOT_FOUND
    );
    assert_eq!(
        download(&bob, "../../server.redb", 0).await.unwrap_err(),
        codes::ERR_SVR_RES_NOT_FOUND
    );
    // The control stream still works beside the transfers.
    alice.send_ok(C2C, "bob", "m-after-media", "hi").await;
    server.stop().await;
}

#[tokio::test]
async fn more_transfers_than_the_limit_wait_for_credit_and_all_complete() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let bytes = pattern(512 * 1024);
    let ids: Vec<String> = (0..6).map(|i| format!("{i:032x}")).collect();
    let to_bob = || conv(C2C, "bob");
    let (a, b, c, d, e, f) = tokio::join!(
        upload(&alice, &ids[0], FILE, to_bob(), &bytes),
        upload(&alice, &ids[1], FILE, to_bob(), &bytes),
        upload(&alice, &ids[2], FILE, to_bob(), &bytes),
        upload(&alice, &ids[3], FILE, to_bob(), &bytes),
        upload(&alice, &ids[4], FILE, to_bob(), &bytes),
        upload(&alice, &ids[5], FILE, to_bob(), &bytes),
    );
    for result in [a, b, c, d, e, f] {
        assert_eq!(result.unwrap().file.unwrap().size, bytes.len() as u64);
    }
    server.stop().await;
}

#[tokio::test]
async fn an_upload_resumes_after_a_short_or_broken_stream() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let bob = server.client("bob", "b").await;
    let bytes = pattern(2 * 1024 * 1024);
    let size = bytes.len() as u64;

    // A stream that ends early: the server answers, keeping the prefix.
    let mut first = Transfer::open(&alice, begin(ID_A, FILE, conv(C2C, "bob"), size)).await;
    assert!(matches!(
        first.response().await,
        ResponseKind::Ready(v1::UploadReady { offset: 0 })
    ));
    first.send.write_all(&bytes[..700_000]).await.unwrap();
    first.send.finish().unwrap();
    match first.response().await {
        ResponseKind::Error(error) => assert_eq!(error.code, codes::ERR_INVALID_PARAMETERS),
        other => panic!("unexpected {other:?}"),
    }

    // A stream that breaks: whatever arrived is kept, never more than was sent.
    let mut second = Transfer::open(&alice, begin(ID_A, FILE, conv(C2C, "bob"), size)).await;
    let ResponseKind::Ready(ready) = second.response().await else {
        panic!("no ready")
    };
    assert_eq!(ready.offset, 700_000);
    second
        .send
        .write_all(&bytes[700_000..1_400_000])
        .await
        .unwrap();
    // An unfinished transfer does not hold up the control stream.
    alice.send_ok(C2C, "bob", "m-during-upload", "hi").await;
    second.send.reset(quinn::VarInt::from_u32(1)).unwrap();
    drop(second);

    // The retry resumes from what the server holds and completes the file.
    let mut third = Transfer::open(&alice, begin(ID_A, FILE, conv(C2C, "bob"), size)).await;
    let ResponseKind::Ready(ready) = third.response().await else {
        panic!("no ready")
    };
    assert!(
        (700_000..=1_400_000).contains(&ready.offset),
        "resumed at {}",
        ready.offset
    );
    third
        .send
        .write_all(&bytes[usize::try_from(ready.offset).unwrap()..])
        .await
        .unwrap();
    third.send.finish().unwrap();
    let ResponseKind::Done(done) = third.response().await else {
        panic!("no done")
    };
    let file = done.file.unwrap();
    let (_, got) = download(&bob, &file.file_id, 0).await.unwrap();
    assert!(got == bytes, "resumed upload differs");

    // The staging file is gone once the upload is done.
    let leftovers: Vec<_> = walk(&server.dir.path().join("uploads"));
    assert!(leftovers.is_empty(), "{leftovers:?}");
    server.stop().await;
}

#[tokio::test]
async fn size_limits_and_bad_requests_are_refused_before_any_byte() {
    let server = TestServer::start_with(|config| {
        config.media.max_file_bytes = 1000;
        config.media.max_image_bytes = 500;
    })
    .await;
    let alice = server.client("alice", "a").await;
    assert_eq!(
        upload(&alice, ID_A, FILE, conv(C2C, "bob"), &pattern(1001))
            .await
            .unwrap_err(),
        codes::ERR_SDK_COMM_FILE_TOO_LARGE
    );
    assert_eq!(
        upload(&alice, ID_A, IMAGE, conv(C2C, "bob"), &pattern(501))
            .await
            .unwrap_err(),
        codes::ERR_SDK_COMM_FILE_TOO_LARGE
    );
    assert_eq!(
        upload(&alice, ID_A, FILE, conv(C2C, "bob"), &[])
            .await
            .unwrap_err(),
        codes::ERR_SDK_COMM_FILE_SIZE_EMPTY
    );
    assert_eq!(
        upload(&alice, "not-hex", FILE, conv(C2C, "bob"), &pattern(10))
            .await
            .unwrap_err(),
        codes::ERR_INVALID_PARAMETERS
    );
    assert_eq!(
        upload(&alice, ID_A, 9, conv(C2C, "bob"), &pattern(10))
            .await
            .unwrap_err(),
        codes::ERR_INVALID_PARAMETERS
    );
    let done = upload(&alice, ID_A, FILE, conv(C2C, "bob"), &pattern(1000))
        .await
        .unwrap();
    assert_eq!(done.file.unwrap().size, 1000);
    server.stop().await;
}

#[test]
fn the_default_limits_are_the_specs() {
    let limits = tim_server::MediaLimits::default();
    assert_eq!(limits.max_image_bytes, 28 * 1024 * 1024);
    assert_eq!(limits.max_sound_bytes, 28 * 1024 * 1024);
    assert_eq!(limits.max_video_bytes, 100 * 1024 * 1024);
    assert_eq!(limits.max_file_bytes, 100 * 1024 * 1024);
    assert_eq!(limits.max_snapshot_bytes, 100 * 1024 * 1024);
    assert_eq!(
        limits.staging_ttl,
        std::time::Duration::from_secs(24 * 3600)
    );
}

#[tokio::test]
async fn a_stream_opened_before_login_is_served_only_after_it() {
    let server = TestServer::start().await;
    let client = TestClient::connect(&server).await;
    let mut early = Transfer::open(
        &client,
        RequestKind::Download(v1::DownloadBegin {
            file_id: ID_A.into(),
            offset: 0,
        }),
    )
    .await;
    let response = client.request(Request::Ping(v1::PingRequest {})).await;
    assert_eq!(error_code(&response), codes::ERR_SDK_NOT_LOGGED_IN);
    let login = client.login("alice", &server.sig("alice"), "a").await;
    assert!(matches!(login, Response::Login(_)), "{login:?}");
    match early.response().await {
        ResponseKind::Error(error) => assert_eq!(error.code, codes::ERR_SVR_RES_NOT_FOUND),
        other => panic!("unexpected {other:?}"),
    }
    server.stop().await;
}

#[tokio::test]
async fn group_media_is_for_current_members_only() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let bob = server.client("bob", "b").await;
    let carol = server.client("carol", "c").await;
    let Response::CreateGroup(created) = alice
        .request(Request::CreateGroup(v1::CreateGroupRequest {
            group_id: Some("media-group".into()),
            group_type: 0,
            name: "m".into(),
            member_ids: vec!["bob".into()],
            ..Default::default()
        }))
        .await
    else {
        panic!("create failed")
    };
    let group = created.group_id;
    assert_eq!(
        upload(&carol, ID_A, FILE, conv(GROUP, &group), &pattern(10))
            .await
            .unwrap_err(),
        codes::ERR_SVR_GROUP_PERMISSION_DENY
    );
    let done = upload(&alice, ID_A, FILE, conv(GROUP, &group), &pattern(100))
        .await
        .unwrap();
    let file_id = done.file.unwrap().file_id;
    assert_eq!(download(&bob, &file_id, 0).await.unwrap().1, pattern(100));
    assert_eq!(
        download(&carol, &file_id, 0).await.unwrap_err(),
        codes::ERR_SVR_RES_ACCESS_DENY
    );
    // Bob leaves: no longer a member, no longer allowed.
    let quit = bob
        .request(Request::QuitGroup(v1::QuitGroupRequest {
            group_id: group.clone(),
        }))
        .await;
    assert!(matches!(quit, Response::QuitGroup(_)), "{quit:?}");
    assert_eq!(
        download(&bob, &file_id, 0).await.unwrap_err(),
        codes::ERR_SVR_RES_ACCESS_DENY
    );
    server.stop().await;
}

fn encoded_image(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut bytes = Cursor::new(Vec::new());
    image.write_to(&mut bytes, format).unwrap();
    bytes.into_inner()
}

fn dims_of(bytes: &[u8]) -> (u32, u32, image::ImageFormat) {
    let reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .unwrap();
    let format = reader.format().unwrap();
    let image = reader.decode().unwrap();
    (image.width(), image.height(), format)
}

#[tokio::test]
async fn images_get_large_and_thumbnail_renditions_of_the_right_size() {
    let server = TestServer::start().await;
    let alice = server.client("alice", "a").await;
    let bob = server.client("bob", "b").await;

    let png = encoded_image(2000, 1000, image::ImageFormat::Png);
    let done = upload(&alice, ID_A, IMAGE, conv(C2C, "bob"), &png)
        .await
        .unwrap();
    let original = done.file.unwrap();
    assert_eq!(
        (original.width, original.height, original.format),
        (2000, 1000, 3)
    );
    assert_eq!(original.image_level, 0);
    assert_eq!(original.size, png.len() as u64);
    let large = done.variants.iter().find(|v| v.image_level == 2).unwrap();
    let thumb = done.variants.iter().find(|v| v.image_level == 1).unwrap();
    assert_eq!((large.width, large.height, large.format), (1440, 720, 3));
    assert_eq!((thumb.width, thumb.height, thumb.format), (396, 198, 3));
    for (variant, dims) in [(large, (1440, 720)), (thumb, (396, 198))] {
        assert_ne!(variant.file_id, original.file_id);
        let (total, bytes) = download(&bob, &variant.file_id, 0).await.unwrap();
        assert_eq!(total, variant.size);
        assert_eq!(dims_of(&bytes), (dims.0, dims.1, image::ImageFormat::Png));
    }

    let jpeg = encoded_image(300, 100, image::ImageFormat::Jpeg);
    let done = upload(&alice, ID_B, IMAGE, conv(C2C, "bob"), &jpeg)
        .await
        .unwrap();
    let original = done.file.unwrap();
    assert_eq!(
        (original.width, original.height, original.format),
        (300, 100, 1)
    );
    for variant in &done.variants {
        assert_eq!(
            (variant.width, variant.height, variant.format),
            (300, 100, 1)
        );
        let (_, bytes) = download(&bob, &variant.file_id, 0).await.unwrap();
        assert_eq!(dims_of(&bytes), (300, 100, image::ImageFormat::Jpeg));
    }
    assert_eq!(done.variants.len(), 2);
    server.stop().await;
}
