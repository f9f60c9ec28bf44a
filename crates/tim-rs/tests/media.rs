//! Media through the facade: an image sent with the ordinary send call (upload progress on
//! the event stream, renditions filled in), downloaded by the peer to a path.

use tim_rs::model::enums::{DownloadType, MsgStatus};
use tim_rs::{DownloadElemParam, Elem, Event, image_message};

mod support;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_image_is_sent_with_progress_and_the_peer_downloads_its_thumbnail() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let server = server(dir.path()).await;
    let (alice, mut alice_events) = logged_in(&server, dir.path(), "alice").await;
    let (bob, mut bob_events) = logged_in(&server, dir.path(), "bob").await;
    let source = dir.path().join("cat.png");
    image::RgbImage::from_fn(800, 600, |x, y| image::Rgb([x as u8, y as u8, 7]))
        .save(&source)
        .unwrap_or_else(|err| panic!("{err}"));

    let (_, handle) = alice
        .c2c("bob")
        .unwrap_or_else(|err| panic!("{err}"))
        .send(image_message(&source))
        .unwrap_or_else(|err| panic!("send: {err}"));
    let sent = tokio::time::timeout(WAIT, handle)
        .await
        .unwrap_or_else(|_| panic!("no send outcome"))
        .unwrap_or_else(|err| panic!("send: {err}"));
    assert_eq!(sent.status, Some(MsgStatus::SendSucc));
    let size = std::fs::metadata(&source).map(|m| m.len()).unwrap_or(0);
    let mut finished = false;
    while let Some(event) = alice_events.try_next() {
        if let Event::UploadProgress { current, total, .. } = event {
            assert_eq!(total, size);
            finished |= current == total;
        }
    }
    assert!(finished, "no upload progress reached 100%");

    let deadline = tokio::time::Instant::now() + WAIT;
    let received = loop {
        let event = tokio::time::timeout_at(deadline, bob_events.next())
            .await
            .unwrap_or_else(|_| panic!("bob got nothing"));
        if let Some(Event::NewMessages(messages)) = event
            && let Some(message) = messages.into_iter().find(|m| m.msg_id == sent.msg_id)
        {
            break message;
        }
    };
    let Some(Elem::Image(image)) = received.elems.first() else {
        panic!("not an image: {received:?}")
    };
    assert_eq!((image.orig_pic_width, image.orig_pic_height), (800, 600));
    assert_eq!((image.large_pic_width, image.large_pic_height), (800, 600));
    assert_eq!((image.thumb_pic_width, image.thumb_pic_height), (264, 198));
    let target = dir.path().join("thumb.png");
    let mut last = (0, 0);
    bob.download_elem_to_path(
        &DownloadElemParam {
            download_type: DownloadType::File,
            url: image.thumb_url.clone(),
            ..DownloadElemParam::default()
        },
        &target,
        |current, total| last = (current, total),
    )
    .await
    .unwrap_or_else(|err| panic!("download: {err}"));
    let got = std::fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
    assert_eq!(last, (got, got));
    assert_eq!(got, u64::try_from(image.thumb_pic_size).unwrap_or(0));
}
