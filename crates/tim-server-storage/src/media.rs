//! Media metadata: what the server knows about each uploaded file (its app, uploader, the
//! conversation it was uploaded for, kind, size, and for images pixel size and format). The
//! bytes live in the blob store (`crate::blob`); this record decides who may download them.
//!
//! A record is written once, when its upload has been received (and for an image, its
//! renditions made), before its bytes are put into the blob store, and never changed. So a
//! blob always has a record, while a record may lack its bytes (the put was cut short): such
//! an upload was never acknowledged, no message names it, and it is collected as below.
//!
//! Unreferenced files: an upload (an original with its renditions, kept and collected
//! together) is *unreferenced* from its record until a stored message names one of its files
//! (any media element's file ID or `tim-media://` URL, in the message or in the inner
//! messages of merged-message bundles it carries); the backend notes that in the same
//! transaction as the message. [`MediaWrite::Collect`] removes the records of uploads still
//! unreferenced that were made before a time, and tells which files to delete from the blob
//! store. Records written before this rule existed are never collected.

use super::merge::MergeSend;
use super::{AppId, StorageError};
use tim_proto::v1;

/// One stored file (an upload, or a rendition of an uploaded image).
#[derive(Clone, PartialEq, prost::Message)]
pub struct MediaRecord {
    /// 32 hex characters.
    #[prost(string, tag = "1")]
    pub file_id: String,
    /// Who uploaded it.
    #[prost(string, tag = "2")]
    pub uploader: String,
    /// TIMConvType of the conversation named at upload (1 C2C, 2 group).
    #[prost(int32, tag = "3")]
    pub conv_type: i32,
    /// The peer (C2C, from the uploader's view) or the group.
    #[prost(string, tag = "4")]
    pub conv_id: String,
    /// 1 image, 2 sound, 3 video, 4 file, 5 video snapshot.
    #[prost(int32, tag = "5")]
    pub media_kind: i32,
    /// Bytes.
    #[prost(uint64, tag = "6")]
    pub size: u64,
    /// Images: pixels.
    #[prost(uint32, tag = "7")]
    pub width: u32,
    /// Images: pixels.
    #[prost(uint32, tag = "8")]
    pub height: u32,
    /// Images: 0xff unknown, 1 JPG, 2 GIF, 3 PNG, 4 BMP.
    #[prost(int32, tag = "9")]
    pub format: i32,
    /// Images: 0 original, 1 thumbnail, 2 large.
    #[prost(int32, tag = "10")]
    pub image_level: i32,
    /// The display name given at upload.
    #[prost(string, tag = "11")]
    pub file_name: String,
    /// Upload time, seconds.
    #[prost(uint64, tag = "12")]
    pub created: u64,
    /// For a rendition: the file ID of the original it was made from; empty for an original.
    #[prost(string, tag = "13")]
    pub original_id: String,
}

impl MediaRecord {
    /// The file ID of the upload this file belongs to (its original's).
    pub fn upload_id(&self) -> &str {
        if self.original_id.is_empty() {
            &self.file_id
        } else {
            &self.original_id
        }
    }
}

/// A write of this area (see [`WriteOp::Media`](super::WriteOp::Media)).
#[derive(Debug, Clone)]
pub enum MediaWrite {
    /// Records the files of an upload (an original and its renditions, together), unreferenced
    /// so far, before their bytes are stored.
    /// Outcome [`Applied::Done`](super::Applied::Done).
    Put {
        /// The app.
        app: AppId,
        /// The files.
        records: Vec<MediaRecord>,
    },
    /// Removes the records of at most `max` uploads (oldest first) still unreferenced and made
    /// before `before` (seconds). Outcome
    /// [`Applied::MediaCollected`](super::Applied::MediaCollected): the files whose bytes the
    /// caller deletes from the blob store.
    Collect {
        /// Upload time bound, seconds (exclusive).
        before: u64,
        /// Most uploads collected by this write.
        max: usize,
    },
}

/// A file whose record was collected: its bytes are to be deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectedFile {
    /// The app.
    pub app: AppId,
    /// The file ID.
    pub file_id: String,
}

/// The file IDs `message` names, lowercased, each once: the IDs and `tim-media://` URLs of
/// its image, sound, video and file elements, and of the inner messages of the bundles
/// `merge` stores with it. Only strings shaped as file IDs (32 hex characters) count.
pub fn referenced_file_ids(message: &v1::Message, merge: Option<&MergeSend>) -> Vec<String> {
    use v1::elem::Body;
    let mut ids = Vec::new();
    let mut add = |text: &str| {
        let id = text.strip_prefix(URL_SCHEME).unwrap_or(text);
        if id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
            let id = id.to_ascii_lowercase();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    };
    let inner = merge
        .into_iter()
        .flat_map(|merge| merge.bundles.iter())
        .flat_map(|bundle| bundle.messages.iter());
    for message in std::iter::once(message).chain(inner) {
        for elem in &message.elems {
            match &elem.body {
                Some(Body::Image(image)) => {
                    for text in [
                        &image.orig_id,
                        &image.thumb_id,
                        &image.large_id,
                        &image.orig_url,
                        &image.thumb_url,
                        &image.large_url,
                    ] {
                        add(text);
                    }
                }
                Some(Body::Sound(sound)) => {
                    add(&sound.file_id);
                    add(&sound.url);
                }
                Some(Body::File(file)) => {
                    add(&file.file_id);
                    add(&file.url);
                }
                Some(Body::Video(video)) => {
                    for text in [
                        &video.video_id,
                        &video.video_url,
                        &video.image_id,
                        &video.image_url,
                    ] {
                        add(text);
                    }
                }
                _ => {}
            }
        }
    }
    ids
}

/// The scheme of media URLs (`tim-media://<file_id>`).
pub const URL_SCHEME: &str = "tim-media://";

/// The reads of this area.
pub trait MediaReads {
    /// The file `file_id` of `app`, if recorded.
    fn media(&self, app: AppId, file_id: &str) -> Result<Option<MediaRecord>, StorageError>;
    /// Whether the upload of file `file_id` is recorded and not yet referenced by a stored
    /// message.
    fn media_unreferenced(&self, app: AppId, file_id: &str) -> Result<bool, StorageError>;
}
