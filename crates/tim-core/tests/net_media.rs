//! Media through a real server: sends with local files (upload with progress, elements
//! filled), downloads to a path with progress, the access rule for groups, file checks,
//! cancel during an upload, no partial file after a failed download, and an upload resuming
//! across a server restart.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is a failed test

mod net_support;

use net_support::*;
use std::path::{Path, PathBuf};
use tim_core::{CreateGroupParam, Event};
use tim_model::enums::{DownloadType, GroupAddOption, GroupType, MsgStatus};
use tim_model::{
    ConvId, DownloadElemParam, Elem, FileElem, GroupId, ImageElem, Message, MessageId, SoundElem,
    VideoElem, codes,
};

fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| ((i * 31 + usize::from(seed)) % 251) as u8)
        .collect()
}

fn write_image(path: &Path, width: u32, height: u32, format: image::ImageFormat) {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    image.save_with_format(path, format).unwrap();
}

fn dims(path: &Path) -> (u32, u32) {
    image::ImageReader::open(path)
        .unwrap()
        .with_guessed_format()
        .unwrap()
        .into_dimensions()
        .unwrap()
}

fn message_of(elems: Vec<Elem>) -> Message {
    Message {
        elems,
        ..Default::default()
    }
}

fn param(download_type: DownloadType, id: &str, url: &str) -> DownloadElemParam {
    DownloadElemParam {
        download_type,
        id: id.to_owned(),
        url: url.to_owned(),
        ..Default::default()
    }
}

/// Downloads to `path`, returning the progress calls.
async fn download(
    device: &Device,
    param: &DownloadElemParam,
    path: &Path,
) -> tim_core::Result<Vec<(u64, u64)>> {
    let mut calls = Vec::new();
    let result = tokio::time::timeout(
        WAIT,
        device
            .client
            .download_elem_to_path(param, path, |current, total| calls.push((current, total))),
    )
    .await
    .expect("download did not end in time");
    result.map(|()| calls)
}

/// Sends `message` and waits for the outcome.
async fn send(
    device: &Device,
    conv: &ConvId,
    message: Message,
) -> Result<Message, tim_core::SendError> {
    let (_, handle) = device.client.send_message(conv, message).unwrap();
    tokio::time::timeout(WAIT * 4, handle)
        .await
        .expect("no send outcome in time")
}

/// Upload progress events of `id` seen so far (drains the stream up to the send's end).
fn progress_of(events: &[Event], id: &MessageId) -> Vec<(u32, u64, u64)> {
    events
        .iter()
        .filter_map(|event| match event {
            Event::UploadProgress {
                message,
                elem_index,
                current,
                total,
            } if message.msg_id.as_ref() == Some(id) => Some((*elem_index, *current, *total)),
            _ => None,
        })
        .collect()
}

fn drain(device: &mut Device) -> Vec<Event> {
    let mut events = Vec::new();
    while let Ok(event) = device.events.try_recv() {
        events.push(event);
    }
    events
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_media_type_is_uploaded_with_progress_and_downloaded_by_the_peer() {
    let server = TestServer::start().await;
    let mut alice = device(&server, "alice").await;
    let mut bob = device(&server, "bob").await;
    let files = tempfile::tempdir().unwrap();
    let at = |name: &str| files.path().join(name);
    write_image(&at("photo.png"), 2000, 1000, image::ImageFormat::Png);
    std::fs::write(at("voice.amr"), pattern(150_000, 1)).unwrap();
    std::fs::write(at("clip.mp4"), pattern(1_500_000, 2)).unwrap();
    write_image(&at("clip.jpg"), 640, 360, image::ImageFormat::Jpeg);
    std::fs::write(at("report.pdf"), pattern(2_345_678, 3)).unwrap();
    let path_str = |name: &str| at(name).to_string_lossy().into_owned();

    let message = message_of(vec![
        Elem::Image(ImageElem {
            orig_path: path_str("photo.png"),
            ..Default::default()
        }),
        Elem::Sound(SoundElem {
            file_path: path_str("voice.amr"),
            file_time: 3,
            ..Default::default()
        }),
        Elem::Video(VideoElem {
            video_path: path_str("clip.mp4"),
            video_duration: 5,
            image_path: path_str("clip.jpg"),
            ..Default::default()
        }),
        Elem::File(FileElem {
            file_path: path_str("report.pdf"),
            ..Default::default()
        }),
    ]);
    let sent = send(&alice, &c2c("bob"), message).await.unwrap();
    assert_eq!(sent.status, Some(MsgStatus::SendSucc));
    let id = sent.msg_id.clone().unwrap();
    let events = drain(&mut alice);
    let progress = progress_of(&events, &id);
    // Every file reached 100%: image, sound, video, snapshot, file.
    let finals: Vec<_> = progress.iter().filter(|(_, c, t)| c == t).collect();
    let sizes = |name: &str| std::fs::metadata(at(name)).unwrap().len();
    assert_eq!(
        finals.iter().map(|(i, _, t)| (*i, *t)).collect::<Vec<_>>(),
        vec![
            (0, sizes("photo.png")),
            (1, sizes("voice.amr")),
            (2, sizes("clip.mp4")),
            (2, sizes("clip.jpg")),
            (3, sizes("report.pdf")),
        ]
    );
    assert!(
        progress.iter().any(|(_, c, t)| *c > 0 && c < t),
        "no intermediate progress"
    );

    // Bob gets the filled elements; the sender's local paths are not sent.
    let received = bob.receive(1).await.remove(0);
    assert_eq!(received.msg_id, sent.msg_id);
    let Elem::Image(image) = &received.elems[0] else {
        panic!("not an image")
    };
    assert!(image.orig_path.is_empty());
    assert_eq!(image.orig_id.len(), 32);
    assert_eq!(image.orig_url, format!("tim-media://{}", image.orig_id));
    assert_eq!((image.orig_pic_width, image.orig_pic_height), (2000, 1000));
    assert_eq!((image.large_pic_width, image.large_pic_height), (1440, 720));
    assert_eq!((image.thumb_pic_width, image.thumb_pic_height), (396, 198));
    assert_eq!(image.format, 3);
    assert_eq!(i64::from(image.orig_pic_size), sizes("photo.png") as i64);
    let Elem::Sound(sound) = &received.elems[1] else {
        panic!("not a sound")
    };
    assert_eq!(
        (sound.file_size, sound.file_time, sound.business_id),
        (150_000, 3, 0)
    );
    let Elem::Video(video) = &received.elems[2] else {
        panic!("not a video")
    };
    assert_eq!(u64::from(video.video_size), sizes("clip.mp4"));
    assert_eq!(video.video_type, "mp4");
    assert_eq!((video.image_width, video.image_height), (640, 360));
    assert_eq!(u64::from(video.image_size), sizes("clip.jpg"));
    let Elem::File(file) = &received.elems[3] else {
        panic!("not a file")
    };
    assert_eq!(
        (file.file_size, file.file_name.as_str()),
        (2_345_678, "report.pdf")
    );
    // The sender's stored copy carries the same IDs.
    let stored = alice.stored(&id).unwrap();
    let Elem::File(own) = &stored.elems[3] else {
        panic!("not a file")
    };
    assert_eq!(own.file_id, file.file_id);

    // Bob downloads each, with progress ending at the total.
    let out = tempfile::tempdir().unwrap();
    let cases = [
        (
            param(DownloadType::File, &image.orig_id, ""),
            "photo.png",
            Some((2000, 1000)),
        ),
        (
            param(DownloadType::File, "", &image.large_url),
            "",
            Some((1440, 720)),
        ),
        (
            param(DownloadType::File, &image.thumb_id, ""),
            "",
            Some((396, 198)),
        ),
        (
            param(DownloadType::Sound, "", &sound.url),
            "voice.amr",
            None,
        ),
        (
            param(DownloadType::Video, &video.video_id, ""),
            "clip.mp4",
            None,
        ),
        (
            param(DownloadType::VideoThumb, &video.image_id, ""),
            "clip.jpg",
            None,
        ),
        (
            param(DownloadType::File, &file.file_id, &file.url),
            "report.pdf",
            None,
        ),
    ];
    for (index, (param, original, pixels)) in cases.iter().enumerate() {
        let target = out.path().join(format!("got-{index}"));
        let calls = download(&bob, param, &target).await.unwrap();
        let size = std::fs::metadata(&target).unwrap().len();
        assert_eq!(calls.last(), Some(&(size, size)), "case {index}");
        if !original.is_empty() {
            assert!(
                std::fs::read(&target).unwrap() == std::fs::read(at(original)).unwrap(),
                "case {index}"
            );
        }
        if let Some(pixels) = pixels {
            assert_eq!(dims(&target), *pixels, "case {index}");
        }
    }
    // Nothing but the downloaded files is left in the directory.
    assert_eq!(files_in(out.path()).len(), cases.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_media_is_refused_to_non_members_and_failed_downloads_leave_no_file() {
    let server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let mut bob = device(&server, "bob").await;
    let carol = device(&server, "carol").await;
    alice
        .client
        .create_group(CreateGroupParam {
            group_id: Some(GroupId::new("media").unwrap()),
            group_type: GroupType::Private,
            name: "Media".into(),
            add_option: GroupAddOption::Any,
            member_ids: vec![user("bob")],
            ..Default::default()
        })
        .await
        .unwrap();
    let files = tempfile::tempdir().unwrap();
    let source = files.path().join("notes.txt");
    std::fs::write(&source, pattern(10_000, 4)).unwrap();
    let sent = send(
        &alice,
        &group("media"),
        message_of(vec![Elem::File(FileElem {
            file_path: source.to_string_lossy().into_owned(),
            ..Default::default()
        })]),
    )
    .await
    .unwrap();
    let Elem::File(file) = &sent.elems[0] else {
        panic!("not a file")
    };
    let received = bob
        .wait_for(|event| match event {
            Event::NewMessages(messages) => {
                messages.iter().find(|m| m.msg_id == sent.msg_id).cloned()
            }
            _ => None,
        })
        .await;
    let Elem::File(got) = &received.elems[0] else {
        panic!("not a file")
    };
    assert_eq!(got.file_id, file.file_id);

    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("notes.txt");
    let by_id = param(DownloadType::File, &file.file_id, "");
    download(&bob, &by_id, &target).await.unwrap();
    assert!(std::fs::read(&target).unwrap() == pattern(10_000, 4));

    let refused = out.path().join("carol.txt");
    let err = download(&carol, &by_id, &refused).await.unwrap_err();
    assert_eq!(err.code(), codes::ERR_SVR_RES_ACCESS_DENY);
    let unknown = param(DownloadType::File, "0123456789abcdef0123456789abcdef", "");
    let err = download(&bob, &unknown, &refused).await.unwrap_err();
    assert_eq!(err.code(), codes::ERR_SVR_RES_NOT_FOUND);
    let err = download(
        &bob,
        &param(DownloadType::File, "", "https://x/y"),
        &refused,
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), codes::ERR_INVALID_PARAMETERS);
    // No partial or temporary file anywhere: only Bob's good download.
    assert_eq!(files_in(out.path()), vec![target]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_empty_and_oversized_files_fail_the_send_before_any_upload() {
    let server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let files = tempfile::tempdir().unwrap();
    let empty = files.path().join("empty.bin");
    std::fs::write(&empty, b"").unwrap();
    // A sparse file: over the 28 MiB image limit without writing 28 MiB.
    let huge = files.path().join("huge.png");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(tim_core::MAX_IMAGE_SOUND_BYTES + 1)
        .unwrap();
    let cases = [
        (
            Elem::File(FileElem {
                file_path: files.path().join("missing").to_string_lossy().into_owned(),
                ..Default::default()
            }),
            codes::ERR_SDK_COMM_FILE_NOT_FOUND,
        ),
        (
            Elem::Sound(SoundElem {
                file_path: empty.to_string_lossy().into_owned(),
                ..Default::default()
            }),
            codes::ERR_SDK_COMM_FILE_SIZE_EMPTY,
        ),
        (
            Elem::Image(ImageElem {
                orig_path: huge.to_string_lossy().into_owned(),
                ..Default::default()
            }),
            codes::ERR_SDK_COMM_FILE_TOO_LARGE,
        ),
        (
            Elem::File(FileElem {
                file_path: files.path().to_string_lossy().into_owned(),
                ..Default::default()
            }),
            codes::ERR_SDK_COMM_FILE_OPEN_FAILED,
        ),
    ];
    for (elem, code) in cases {
        let err = send(&alice, &c2c("bob"), message_of(vec![elem]))
            .await
            .unwrap_err();
        assert_eq!(err.code, code, "{}", err.desc);
        let message = err.message.expect("the failed message");
        assert_eq!(message.status, Some(MsgStatus::SendFail));
        let stored = alice.stored(message.msg_id.as_ref().unwrap()).unwrap();
        assert_eq!(stored.status, Some(MsgStatus::SendFail));
    }
    // Nothing reached the server: Alice's next text is the conversation's first seq.
    let text = alice.send(&c2c("bob"), "after").await;
    assert_eq!(text.seq.0, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancel_during_the_upload_stops_it_and_ends_the_send_cancelled() {
    let server = TestServer::start().await;
    let mut alice = device(&server, "alice").await;
    let files = tempfile::tempdir().unwrap();
    // Sparse: 90 MiB of zeros, far more than can leave before the cancel.
    let big = files.path().join("big.mov");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(90 * 1024 * 1024)
        .unwrap();
    let (queued, handle) = alice
        .client
        .send_message(
            &c2c("bob"),
            message_of(vec![Elem::File(FileElem {
                file_path: big.to_string_lossy().into_owned(),
                ..Default::default()
            })]),
        )
        .unwrap();
    let id = queued.msg_id.clone().unwrap();
    alice
        .wait_for(|event| match event {
            Event::UploadProgress { current, .. } if *current > 0 => Some(()),
            _ => None,
        })
        .await;
    alice.client.cancel_send(&c2c("bob"), &id).await.unwrap();
    let err = tokio::time::timeout(WAIT, handle)
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(err.code, codes::ERR_SDK_SEND_MESSAGE_FAILED_WITH_CANCEL);
    assert_eq!(alice.stored(&id).unwrap().status, Some(MsgStatus::Cancel));
    // The queue goes on.
    let text = alice.send(&c2c("bob"), "after").await;
    assert_eq!(text.seq.0, 1);
    // No upload progress of the cancelled message after the cancel's answer.
    let late = progress_of(&drain(&mut alice), &id);
    assert!(
        late.iter().all(|(_, c, t)| c < t),
        "the upload completed: {late:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_resumes_after_the_server_restarts() {
    let mut server = TestServer::start().await;
    let mut alice = device(&server, "alice").await;
    let files = tempfile::tempdir().unwrap();
    let source = files.path().join("movie.mp4");
    let bytes = pattern(60 * 1024 * 1024, 9);
    std::fs::write(&source, &bytes).unwrap();
    let (queued, handle) = alice
        .client
        .send_message(
            &c2c("bob"),
            message_of(vec![Elem::Video(VideoElem {
                video_path: source.to_string_lossy().into_owned(),
                ..Default::default()
            })]),
        )
        .unwrap();
    let id = queued.msg_id.clone().unwrap();
    alice
        .wait_for(|event| {
            if let Event::UploadProgress { current, .. } = event {
                // QUIC may buffer up to 10 MB not yet received: wait well past that.
                if *current >= 16 * 1024 * 1024 {
                    return Some(());
                }
            }
            None
        })
        .await;
    server.restart().await;
    let sent = tokio::time::timeout(WAIT * 4, handle)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(sent.status, Some(MsgStatus::SendSucc));
    // The retry on the new connection starts where the server's kept prefix ends: not at 0.
    let events = drain(&mut alice);
    let reconnected = events
        .iter()
        .position(|event| {
            matches!(
                event,
                Event::NetworkStatus {
                    status: tim_core::NetworkStatus::Connected,
                    ..
                }
            )
        })
        .expect("no reconnect seen");
    let retry: Vec<u64> = progress_of(&events[reconnected..], &id)
        .into_iter()
        .map(|(_, current, _)| current)
        .collect();
    let resumed_at = *retry.first().expect("no upload after the reconnect");
    assert!(resumed_at > 0, "the upload started over: {retry:?}");
    assert_eq!(retry.last(), Some(&(bytes.len() as u64)));
    let Elem::Video(video) = &sent.elems[0] else {
        panic!("not a video")
    };
    let mut bob = device(&server, "bob").await;
    let _ = bob.receive(1).await;
    let target = files.path().join("got.mp4");
    download(
        &bob,
        &param(DownloadType::Video, &video.video_id, ""),
        &target,
    )
    .await
    .unwrap();
    assert!(
        std::fs::read(&target).unwrap() == bytes,
        "resumed upload differs"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_broken_on_every_attempt_fails_the_send_after_bounded_retries() {
    let mut server = TestServer::start().await;
    let mut alice = device(&server, "alice").await;
    let files = tempfile::tempdir().unwrap();
    // Sparse: 90 MiB of zeros, so no attempt can finish before the restart that breaks it.
    let big = files.path().join("big.bin");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(90 * 1024 * 1024)
        .unwrap();
    let (queued, mut handle) = alice
        .client
        .send_message(
            &c2c("bob"),
            message_of(vec![Elem::File(FileElem {
                file_path: big.to_string_lossy().into_owned(),
                ..Default::default()
            })]),
        )
        .unwrap();
    let id = queued.msg_id.clone().unwrap();
    let mut restarts = 0;
    let mut broken_this_connection = false;
    let outcome = loop {
        assert!(restarts <= 10, "the upload was retried without bound");
        tokio::select! {
            outcome = &mut handle => break outcome,
            event = tokio::time::timeout(WAIT, alice.events.recv()) => {
                match event.expect("no event in time").expect("events ended") {
                    // Break each attempt as soon as it starts.
                    Event::UploadProgress { .. } if !broken_this_connection => {
                        broken_this_connection = true;
                        restarts += 1;
                        server.restart().await;
                    }
                    Event::NetworkStatus { status: tim_core::NetworkStatus::Connected, .. } => {
                        broken_this_connection = false;
                    }
                    _ => {}
                }
            }
        }
    };
    let err = outcome.unwrap_err();
    assert_eq!(err.code, codes::ERR_SDK_NET_DISCONNECT, "{}", err.desc);
    // Five dispatches at most. Each one the test saw start was broken by a restart; under
    // load a dispatch can also fail on the dying connection before its first progress event,
    // which counts against the same bound without a restart of its own.
    assert!(
        (1..=5).contains(&restarts),
        "{restarts} broken attempts for at most five dispatches"
    );
    assert_eq!(alice.stored(&id).unwrap().status, Some(MsgStatus::SendFail));
    // The queue goes on with the next message.
    let text = alice.send(&c2c("bob"), "after").await;
    assert_eq!(text.status, Some(MsgStatus::SendSucc));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_resumes_after_the_server_restarts() {
    let mut server = TestServer::start().await;
    let alice = device(&server, "alice").await;
    let bob = device(&server, "bob").await;
    let files = tempfile::tempdir().unwrap();
    let source = files.path().join("big.bin");
    let bytes = pattern(40 * 1024 * 1024, 5);
    std::fs::write(&source, &bytes).unwrap();
    let sent = send(
        &alice,
        &c2c("bob"),
        message_of(vec![Elem::File(FileElem {
            file_path: source.to_string_lossy().into_owned(),
            ..Default::default()
        })]),
    )
    .await
    .unwrap();
    let Elem::File(file) = &sent.elems[0] else {
        panic!("not a file")
    };
    let target = files.path().join("copy.bin");
    let (progress_tx, mut progress_rx) = tokio::sync::mpsc::unbounded_channel();
    let by_id = param(DownloadType::File, &file.file_id, "");
    let download = bob
        .client
        .download_elem_to_path(&by_id, &target, move |current, total| {
            let _ = progress_tx.send((current, total));
        });
    let breaker = async {
        // Restart once some bytes arrived; record where the download stood.
        loop {
            let (current, total) = tokio::time::timeout(WAIT, progress_rx.recv())
                .await
                .expect("no progress in time")
                .expect("the download ended before any progress");
            if current > 0 {
                assert!(current < total, "the download finished before the restart");
                server.restart().await;
                break;
            }
        }
        let mut after = Vec::new();
        while let Some(call) = progress_rx.recv().await {
            after.push(call);
        }
        after
    };
    let (result, after) = tokio::time::timeout(WAIT * 2, async { tokio::join!(download, breaker) })
        .await
        .expect("the download did not end in time");
    result.unwrap();
    assert!(
        std::fs::read(&target).unwrap() == bytes,
        "resumed download differs"
    );
    let total = bytes.len() as u64;
    assert_eq!(after.last(), Some(&(total, total)));
    assert_eq!(files_in(files.path()).len(), 2, "a temporary file was left");
}
