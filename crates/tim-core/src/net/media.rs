//! Media elements of outgoing messages (sans-I/O parts and the upload step of a send): which
//! elements carry a local file to upload (image `orig_path`, sound `file_path`, file
//! `file_path`, video `video_path` and snapshot `image_path`, each while its ID is empty), the
//! checks before any byte moves (7004 missing, 7007 unreadable, 7006 empty, 7005 too large),
//! the stable upload ID of each file (so a retry resumes), and filling an element from the
//! server's answer (IDs, `tim-media://` URLs, sizes, image renditions, business ID 0).

use super::connection::Conn;
use super::session::Shared;
use super::transfer::{self, Progress, UploadSpec};
use crate::error::{CoreError, Result};
use crate::events::Event;
use sha2::Digest as _;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tim_model::{ConvId, Elem, Message, codes};
use tim_proto::v1;

/// `media_kind` of an image upload.
pub(crate) const KIND_IMAGE: i32 = 1;
/// A voice message.
pub(crate) const KIND_SOUND: i32 = 2;
/// A video.
pub(crate) const KIND_VIDEO: i32 = 3;
/// A file.
pub(crate) const KIND_FILE: i32 = 4;
/// A video's snapshot.
pub(crate) const KIND_SNAPSHOT: i32 = 5;

/// The scheme of media URLs: `tim-media://<file_id>`.
pub const MEDIA_URL_SCHEME: &str = "tim-media://";

/// Largest image or voice file, bytes (ERR_SDK_COMM_FILE_TOO_LARGE beyond).
pub const MAX_IMAGE_SOUND_BYTES: u64 = 28 * 1024 * 1024;
/// Largest video, snapshot or file, bytes.
pub const MAX_VIDEO_FILE_BYTES: u64 = 100 * 1024 * 1024;

/// One local file of a message to upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UploadJob {
    /// The element's position in the message.
    pub elem_index: usize,
    /// 0, or 1 for a video's snapshot.
    pub part: u8,
    pub media_kind: i32,
    pub path: PathBuf,
}

/// The files of `message` still to upload, in element order.
pub(crate) fn upload_jobs(message: &Message) -> Vec<UploadJob> {
    let mut jobs = Vec::new();
    let mut add = |elem_index: usize, part: u8, media_kind: i32, path: &str, id: &str| {
        if !path.is_empty() && id.is_empty() {
            jobs.push(UploadJob {
                elem_index,
                part,
                media_kind,
                path: PathBuf::from(path),
            });
        }
    };
    for (index, elem) in message.elems.iter().enumerate() {
        match elem {
            Elem::Image(image) => add(index, 0, KIND_IMAGE, &image.orig_path, &image.orig_id),
            Elem::Sound(sound) => add(index, 0, KIND_SOUND, &sound.file_path, &sound.file_id),
            Elem::File(file) => add(index, 0, KIND_FILE, &file.file_path, &file.file_id),
            Elem::Video(video) => {
                add(index, 0, KIND_VIDEO, &video.video_path, &video.video_id);
                add(index, 1, KIND_SNAPSHOT, &video.image_path, &video.image_id);
            }
            _ => {}
        }
    }
    jobs
}

/// The upload ID of one file of a message: the same on every attempt, different for every
/// file (32 hex characters of SHA-256 over the message ID, element index and part).
pub(crate) fn upload_id(msg_id: &str, elem_index: usize, part: u8) -> String {
    let digest = sha2::Sha256::digest(format!("{msg_id}\0{elem_index}\0{part}").as_bytes());
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// The size limit of a media kind.
pub(crate) fn max_bytes(media_kind: i32) -> u64 {
    match media_kind {
        KIND_IMAGE | KIND_SOUND => MAX_IMAGE_SOUND_BYTES,
        _ => MAX_VIDEO_FILE_BYTES,
    }
}

/// Checks a file before its upload: its size, or 7004 (missing), 7007 (not a readable file),
/// 7006 (empty), 7005 (over the kind's limit).
pub(crate) async fn check_file(path: &Path, media_kind: i32) -> Result<u64> {
    let shown = path.display();
    let metadata = match tokio::fs::metadata(path).await {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(CoreError::refused(
                codes::ERR_SDK_COMM_FILE_NOT_FOUND,
                format!("{shown}: no such file"),
            ));
        }
        Err(err) => {
            return Err(CoreError::refused(
                codes::ERR_SDK_COMM_FILE_OPEN_FAILED,
                format!("{shown}: {err}"),
            ));
        }
    };
    if !metadata.is_file() {
        return Err(CoreError::refused(
            codes::ERR_SDK_COMM_FILE_OPEN_FAILED,
            format!("{shown}: not a regular file"),
        ));
    }
    if let Err(err) = tokio::fs::File::open(path).await {
        return Err(CoreError::refused(
            codes::ERR_SDK_COMM_FILE_OPEN_FAILED,
            format!("{shown}: {err}"),
        ));
    }
    let size = metadata.len();
    if size == 0 {
        return Err(CoreError::refused(
            codes::ERR_SDK_COMM_FILE_SIZE_EMPTY,
            format!("{shown}: the file is empty"),
        ));
    }
    let max = max_bytes(media_kind);
    if size > max {
        return Err(CoreError::refused(
            codes::ERR_SDK_COMM_FILE_TOO_LARGE,
            format!("{shown}: {size} bytes exceeds the limit of {max} bytes"),
        ));
    }
    Ok(size)
}

fn clamp_i32(value: u64) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

fn clamp_u32(value: u64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

fn base_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|ext| ext.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Fills the element of `job` from the server's answer.
pub(crate) fn fill(message: &mut Message, job: &UploadJob, done: &v1::UploadDone) {
    let Some(file) = done.file.as_ref() else {
        return;
    };
    let Some(elem) = message.elems.get_mut(job.elem_index) else {
        return;
    };
    match elem {
        Elem::Image(image) => {
            image.orig_id.clone_from(&file.file_id);
            image.orig_url.clone_from(&file.url);
            image.orig_pic_size = clamp_i32(file.size);
            image.orig_pic_width = clamp_i32(file.width.into());
            image.orig_pic_height = clamp_i32(file.height.into());
            image.format = file.format;
            for variant in &done.variants {
                let (id, url, size, width, height) = match variant.image_level {
                    1 => (
                        &mut image.thumb_id,
                        &mut image.thumb_url,
                        &mut image.thumb_pic_size,
                        &mut image.thumb_pic_width,
                        &mut image.thumb_pic_height,
                    ),
                    2 => (
                        &mut image.large_id,
                        &mut image.large_url,
                        &mut image.large_pic_size,
                        &mut image.large_pic_width,
                        &mut image.large_pic_height,
                    ),
                    _ => continue,
                };
                id.clone_from(&variant.file_id);
                url.clone_from(&variant.url);
                *size = clamp_i32(variant.size);
                *width = clamp_i32(variant.width.into());
                *height = clamp_i32(variant.height.into());
            }
        }
        Elem::Sound(sound) => {
            sound.file_id.clone_from(&file.file_id);
            sound.url.clone_from(&file.url);
            sound.file_size = clamp_i32(file.size);
            sound.business_id = 0;
        }
        Elem::File(elem) => {
            elem.file_id.clone_from(&file.file_id);
            elem.url.clone_from(&file.url);
            elem.file_size = clamp_i32(file.size);
            elem.business_id = 0;
            if elem.file_name.is_empty() {
                elem.file_name = base_name(&job.path);
            }
        }
        Elem::Video(video) if job.part == 0 => {
            video.video_id.clone_from(&file.file_id);
            video.video_url.clone_from(&file.url);
            video.video_size = clamp_u32(file.size);
            video.business_id = 0;
            if video.video_type.is_empty() {
                video.video_type = extension(&job.path);
            }
        }
        Elem::Video(video) => {
            video.image_id.clone_from(&file.file_id);
            video.image_url.clone_from(&file.url);
            video.image_size = clamp_u32(file.size);
            video.image_width = file.width;
            video.image_height = file.height;
            if video.image_type.is_empty() {
                video.image_type = extension(&job.path);
            }
        }
        _ => {}
    }
}

/// The message as the server gets it: the sender's local paths are not sent.
pub(crate) fn wire_copy(message: &Message) -> Message {
    let mut copy = message.clone();
    for elem in &mut copy.elems {
        match elem {
            Elem::Image(image) => image.orig_path.clear(),
            Elem::Sound(sound) => sound.file_path.clear(),
            Elem::File(file) => file.file_path.clear(),
            Elem::Video(video) => {
                video.video_path.clear();
                video.image_path.clear();
            }
            _ => {}
        }
    }
    copy
}

/// The file ID a download names: the `id`, or the `tim-media://<id>` URL.
pub(crate) fn file_id_of(id: &str, url: &str) -> Result<String> {
    let id = id.strip_prefix(MEDIA_URL_SCHEME).unwrap_or(id);
    if !id.is_empty() {
        return Ok(id.to_owned());
    }
    match url.strip_prefix(MEDIA_URL_SCHEME) {
        Some(id) if !id.is_empty() => Ok(id.to_owned()),
        _ => Err(CoreError::refused(
            codes::ERR_INVALID_PARAMETERS,
            "download: neither an element ID nor a tim-media:// URL",
        )),
    }
}

/// Checks every local file of `message`, then uploads each (reporting
/// [`Event::UploadProgress`]) and fills its element. On failure `message` keeps the elements
/// filled so far (a retry skips them).
pub(crate) async fn upload_all(
    conn: &Conn,
    timeout: Duration,
    conv: &ConvId,
    message: &mut Message,
    shared: &Shared,
) -> Result<()> {
    let jobs = upload_jobs(message);
    let mut sizes = Vec::with_capacity(jobs.len());
    for job in &jobs {
        sizes.push(check_file(&job.path, job.media_kind).await?);
    }
    let msg_id = message
        .msg_id
        .as_ref()
        .map(|id| id.as_str().to_owned())
        .unwrap_or_default();
    for (job, size) in jobs.iter().zip(sizes) {
        let spec = UploadSpec {
            upload_id: upload_id(&msg_id, job.elem_index, job.part),
            media_kind: job.media_kind,
            file_name: base_name(&job.path),
            size,
        };
        let snapshot = message.clone();
        let elem_index = u32::try_from(job.elem_index).unwrap_or(u32::MAX);
        let mut report = |current: u64, total: u64| {
            shared.events.emit(&Event::UploadProgress {
                message: snapshot.clone(),
                elem_index,
                current,
                total,
            });
        };
        let mut progress = Progress::new(&mut report, size);
        let done = transfer::upload(
            conn,
            timeout,
            conv.clone().into(),
            &spec,
            &job.path,
            &mut progress,
        )
        .await?;
        fill(message, job, &done);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tim_model::{FileElem, ImageElem, TextElem, VideoElem};

    #[test]
    fn jobs_are_the_local_files_without_ids_and_ids_are_stable_per_file() {
        let message = Message {
            elems: vec![
                Elem::Text(TextElem::default()),
                Elem::Image(ImageElem {
                    orig_path: "/a.png".into(),
                    ..Default::default()
                }),
                Elem::File(FileElem {
                    file_path: "/done.bin".into(),
                    file_id: "x".into(),
                    ..Default::default()
                }),
                Elem::Video(VideoElem {
                    video_path: "/v.mp4".into(),
                    image_path: "/v.jpg".into(),
                    ..Default::default()
                }),
            ],
            ..Default::default()
        };
        let jobs = upload_jobs(&message);
        let found: Vec<_> = jobs
            .iter()
            .map(|j| (j.elem_index, j.part, j.media_kind))
            .collect();
        assert_eq!(
            found,
            vec![
                (1, 0, KIND_IMAGE),
                (3, 0, KIND_VIDEO),
                (3, 1, KIND_SNAPSHOT)
            ]
        );
        let id = upload_id("m1", 3, 1);
        assert_eq!(id.len(), 32);
        assert_eq!(id, upload_id("m1", 3, 1));
        assert_ne!(id, upload_id("m1", 3, 0));
        assert_ne!(id, upload_id("m2", 3, 1));
        let wire = wire_copy(&message);
        assert!(upload_jobs(&wire).is_empty());
    }

    #[test]
    fn a_download_names_its_file_by_id_or_url() {
        assert_eq!(file_id_of("abc", "").unwrap(), "abc");
        assert_eq!(file_id_of("", "tim-media://abc").unwrap(), "abc");
        assert_eq!(file_id_of("tim-media://abc", "").unwrap(), "abc");
        assert_eq!(
            file_id_of("", "https://elsewhere/x").unwrap_err().code(),
            codes::ERR_INVALID_PARAMETERS
        );
    }
}
