//! Media: messages carrying local files (uploaded by the send, with
//! [`Event::UploadProgress`](crate::Event::UploadProgress) on the event stream) and downloads
//! of received media to a path.

use crate::{Client, Elem, Message, Result};
use std::path::Path;
use tim_model::{DownloadElemParam, FileElem, ImageElem};

/// A message with one image to upload from `path` (sent through
/// [`Conversation::send`](crate::Conversation::send)); the server makes its large and
/// thumbnail renditions.
pub fn image_message(path: &Path) -> Message {
    Message {
        elems: vec![Elem::Image(ImageElem {
            orig_path: path.to_string_lossy().into_owned(),
            ..ImageElem::default()
        })],
        ..Message::default()
    }
}

/// A message with one file to upload from `path`, shown under its file name.
pub fn file_message(path: &Path) -> Message {
    Message {
        elems: vec![Elem::File(FileElem {
            file_path: path.to_string_lossy().into_owned(),
            ..FileElem::default()
        })],
        ..Message::default()
    }
}

impl Client {
    /// `TIMMsgDownloadElemToPath`: downloads the media file `param` names (an element's ID,
    /// or its `tim-media://` URL) to `path`, calling `progress(current, total)` as bytes
    /// arrive and once at the end. The file appears at `path` only when complete; on failure
    /// (e.g. `114001` for a user outside the file's conversation) nothing is left there.
    pub async fn download_elem_to_path(
        &self,
        param: &DownloadElemParam,
        path: &Path,
        progress: impl FnMut(u64, u64) + Send,
    ) -> Result<()> {
        self.core.download_elem_to_path(param, path, progress).await
    }
}
