//! Media metadata: what the server knows about each uploaded file (its app, uploader, the
//! conversation it was uploaded for, kind, size, and for images pixel size and format). The
//! bytes live in the blob store (`crate::blob`); this record decides who may download them.
//!
//! A record is written once, when its upload (and for an image, its renditions) is complete,
//! and never changed.

use super::{AppId, StorageError};

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
}

/// A write of this area (see [`WriteOp::Media`](super::WriteOp::Media)): outcome
/// [`Applied::Done`](super::Applied::Done).
#[derive(Debug, Clone)]
pub enum MediaWrite {
    /// Records finished files (an upload and its renditions, together).
    Put {
        /// The app.
        app: AppId,
        /// The files.
        records: Vec<MediaRecord>,
    },
}

/// The reads of this area.
pub trait MediaReads {
    /// The file `file_id` of `app`, if recorded.
    fn media(&self, app: AppId, file_id: &str) -> Result<Option<MediaRecord>, StorageError>;
}
