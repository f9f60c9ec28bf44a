//! Elements whose content is a file uploaded to the server: image, sound, video and file.
//! On send they carry a local path; the SDK fills in the IDs, sizes and URLs.

use crate::enums::ImageLevel;
use crate::json::json_object;

json_object! {
    /// An image (`kTIMElem_Image`) in three renditions: original, large (short side 720 px)
    /// and thumbnail (short side 198 px).
    pub struct ImageElem {
        /// Local path of the image to upload.
        orig_path: String = IMAGE_ELEM_ORIG_PATH,
        /// Compression level for sending.
        level: ImageLevel = IMAGE_ELEM_LEVEL,
        /// Format: 0xff unknown, 1 JPG, 2 GIF, 3 PNG, 4 BMP.
        format: i32 = IMAGE_ELEM_FORMAT,
        /// Original rendition ID.
        orig_id: String = IMAGE_ELEM_ORIG_ID,
        /// Original height.
        orig_pic_height: i32 = IMAGE_ELEM_ORIG_PIC_HEIGHT,
        /// Original width.
        orig_pic_width: i32 = IMAGE_ELEM_ORIG_PIC_WIDTH,
        /// Original byte size.
        orig_pic_size: i32 = IMAGE_ELEM_ORIG_PIC_SIZE,
        /// Thumbnail ID.
        thumb_id: String = IMAGE_ELEM_THUMB_ID,
        /// Thumbnail height.
        thumb_pic_height: i32 = IMAGE_ELEM_THUMB_PIC_HEIGHT,
        /// Thumbnail width.
        thumb_pic_width: i32 = IMAGE_ELEM_THUMB_PIC_WIDTH,
        /// Thumbnail byte size.
        thumb_pic_size: i32 = IMAGE_ELEM_THUMB_PIC_SIZE,
        /// Large rendition ID.
        large_id: String = IMAGE_ELEM_LARGE_ID,
        /// Large height.
        large_pic_height: i32 = IMAGE_ELEM_LARGE_PIC_HEIGHT,
        /// Large width.
        large_pic_width: i32 = IMAGE_ELEM_LARGE_PIC_WIDTH,
        /// Large byte size.
        large_pic_size: i32 = IMAGE_ELEM_LARGE_PIC_SIZE,
        /// Original download URL.
        orig_url: String = IMAGE_ELEM_ORIG_URL,
        /// Thumbnail URL.
        thumb_url: String = IMAGE_ELEM_THUMB_URL,
        /// Large URL.
        large_url: String = IMAGE_ELEM_LARGE_URL,
        /// Upload task ID (deprecated).
        task_id: i32 = IMAGE_ELEM_TASK_ID,
    }
}

json_object! {
    /// A voice message (`kTIMElem_Sound`); at most one per message.
    pub struct SoundElem {
        /// Local audio file path.
        file_path: String = SOUND_ELEM_FILE_PATH,
        /// File size in bytes.
        file_size: i32 = SOUND_ELEM_FILE_SIZE,
        /// Duration in seconds.
        file_time: i32 = SOUND_ELEM_FILE_TIME,
        /// File ID (the download `id`).
        file_id: String = SOUND_ELEM_FILE_ID,
        /// Business ID used for download.
        business_id: i32 = SOUND_ELEM_BUSINESS_ID,
        /// Download flag (0, 1 or 2).
        download_flag: i32 = SOUND_ELEM_DOWNLOAD_FLAG,
        /// Download URL.
        url: String = SOUND_ELEM_URL,
        /// Deprecated.
        task_id: i32 = SOUND_ELEM_TASK_ID,
    }
}

json_object! {
    /// A video with its snapshot (`kTIMElem_Video`).
    pub struct VideoElem {
        /// Container/extension, e.g. "mp4".
        video_type: String = VIDEO_ELEM_VIDEO_TYPE,
        /// Video byte size.
        video_size: u32 = VIDEO_ELEM_VIDEO_SIZE,
        /// Duration in seconds.
        video_duration: u32 = VIDEO_ELEM_VIDEO_DURATION,
        /// Local video path.
        video_path: String = VIDEO_ELEM_VIDEO_PATH,
        /// Video file ID.
        video_id: String = VIDEO_ELEM_VIDEO_ID,
        /// Download business ID.
        business_id: i32 = VIDEO_ELEM_BUSINESS_ID,
        /// Download flag for the video.
        video_download_flag: i32 = VIDEO_ELEM_VIDEO_DOWNLOAD_FLAG,
        /// Video URL.
        video_url: String = VIDEO_ELEM_VIDEO_URL,
        /// Snapshot image type.
        image_type: String = VIDEO_ELEM_IMAGE_TYPE,
        /// Snapshot byte size.
        image_size: u32 = VIDEO_ELEM_IMAGE_SIZE,
        /// Snapshot width.
        image_width: u32 = VIDEO_ELEM_IMAGE_WIDTH,
        /// Snapshot height.
        image_height: u32 = VIDEO_ELEM_IMAGE_HEIGHT,
        /// Local snapshot path.
        image_path: String = VIDEO_ELEM_IMAGE_PATH,
        /// Snapshot file ID.
        image_id: String = VIDEO_ELEM_IMAGE_ID,
        /// Download flag for the snapshot.
        image_download_flag: i32 = VIDEO_ELEM_IMAGE_DOWNLOAD_FLAG,
        /// Snapshot URL.
        image_url: String = VIDEO_ELEM_IMAGE_URL,
        /// Deprecated.
        task_id: u32 = VIDEO_ELEM_TASK_ID,
    }
}

json_object! {
    /// A file (`kTIMElem_File`); at most one per message.
    pub struct FileElem {
        /// Local path including the file name.
        file_path: String = FILE_ELEM_FILE_PATH,
        /// Display name (the path's base name when empty).
        file_name: String = FILE_ELEM_FILE_NAME,
        /// Byte size.
        file_size: i32 = FILE_ELEM_FILE_SIZE,
        /// File ID.
        file_id: String = FILE_ELEM_FILE_ID,
        /// Download business ID.
        business_id: i32 = FILE_ELEM_BUSINESS_ID,
        /// Download flag.
        download_flag: i32 = FILE_ELEM_DOWNLOAD_FLAG,
        /// Download URL.
        url: String = FILE_ELEM_URL,
        /// Deprecated.
        task_id: i32 = FILE_ELEM_TASK_ID,
    }
}
