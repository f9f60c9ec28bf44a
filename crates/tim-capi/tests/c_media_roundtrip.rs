//! Media through the C ABI: `tests/c/media_roundtrip.c` sends a file with a local path to a
//! peer (the library uploads it, reporting progress to `TIMMsgElemUploadProgressCallback`) and
//! downloads it back with `TIMMsgDownloadElemToPath` (progress, then one final callback), against
//! a real tim-server on 127.0.0.1. The test checks the downloaded bytes and that the peer, a
//! tim-rs client, received the file element with the same ID and size; then the program
//! forwards the message as a merged message (`TIMMsgDownloadMergerMessage` downloads it back)
//! and the peer downloads that bundle too.

mod common;

use common::{command, compile, finish, rs_client, rs_login, server, sig};
use std::process::Stdio;
use std::time::Duration;
use tim_rs::{Elem, Event};

const STEP: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_goes_up_with_progress_and_comes_back_down_through_c() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let (server, env) = server(dir.path()).await;

    let bob = rs_client(&server, &dir.path().join("bob-data"));
    let mut events = bob.events();
    rs_login(&bob, "bob").await;

    // 700 KiB of varied bytes: several progress steps, and a corrupted byte would show.
    let original: Vec<u8> = (0..700 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let file = dir.path().join("report.bin");
    std::fs::write(&file, &original).unwrap_or_else(|err| panic!("write: {err}"));
    let download = dir.path().join("downloads").join("report-copy.bin");
    std::fs::create_dir_all(download.parent().unwrap_or(dir.path()))
        .unwrap_or_else(|err| panic!("mkdir: {err}"));

    let exe = compile("media_roundtrip", dir.path());
    let program = command(&exe, dir.path(), &env)
        .arg("alice-data")
        .arg("alice")
        .arg(sig("alice"))
        .arg("bob")
        .arg(&file)
        .arg(&download)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|err| panic!("spawn: {err}"));
    let output = tokio::task::spawn_blocking(move || finish("media_roundtrip", program))
        .await
        .unwrap_or_else(|err| panic!("join: {err}"));
    let printed = String::from_utf8_lossy(&output.stdout).into_owned();
    let file_id = printed
        .split_whitespace()
        .find_map(|word| word.strip_prefix("file="))
        .unwrap_or_else(|| panic!("no file ID in {printed:?}"))
        .to_owned();

    let count = |name: &str| -> u32 {
        printed
            .split_whitespace()
            .find_map(|word| word.strip_prefix(name))
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {printed:?}"))
    };
    assert!(count("upload_calls=") > 1, "upload progress: {printed}");
    assert!(
        count("download_progress=") > 0,
        "download progress: {printed}"
    );

    let copy = std::fs::read(&download).unwrap_or_else(|err| panic!("read the download: {err}"));
    assert!(
        copy == original,
        "the downloaded bytes differ from the upload"
    );

    let received = tokio::time::timeout(STEP, async {
        loop {
            match events.next().await {
                Some(Event::NewMessages(messages)) => {
                    let file = messages
                        .iter()
                        .flat_map(|m| m.elems.iter())
                        .find_map(|elem| match elem {
                            Elem::File(file) => Some(file.clone()),
                            _ => None,
                        });
                    if let Some(file) = file {
                        return file;
                    }
                }
                Some(_) => {}
                None => panic!("bob's events ended"),
            }
        }
    })
    .await
    .unwrap_or_else(|_| panic!("bob did not receive the file message"));
    assert_eq!(received.file_id, file_id);
    assert_eq!(
        usize::try_from(received.file_size).ok(),
        Some(original.len())
    );
    assert!(
        received.file_path.is_empty(),
        "the sender's path reached the peer"
    );
}
