//! Elements whose content travels inside the message body: text, custom, face, location and
//! merged (forwarded) messages.

use crate::json::json_object;
use crate::message::Message;

json_object! {
    /// Text (`kTIMElem_Text`).
    pub struct TextElem {
        /// The text.
        content: String = TEXT_ELEM_CONTENT (required),
    }
}

json_object! {
    /// An opaque app payload (`kTIMElem_Custom`).
    pub struct CustomElem {
        /// The payload (binary must be string-encoded).
        data: String = CUSTOM_ELEM_DATA,
        /// Description, used as push text.
        desc: String = CUSTOM_ELEM_DESC,
        /// Extension passed to offline push.
        ext: String = CUSTOM_ELEM_EXT,
        /// Custom push sound.
        sound: String = CUSTOM_ELEM_SOUND,
    }
}

json_object! {
    /// An app-defined emoji (`kTIMElem_Face`).
    pub struct FaceElem {
        /// Index into the app's emoji set.
        index: i32 = FACE_ELEM_INDEX (required),
        /// Extra app data.
        buf: String = FACE_ELEM_BUF,
    }
}

json_object! {
    /// A location (`kTIMElem_Location`).
    pub struct LocationElem {
        /// Place description.
        desc: String = LOCATION_ELEM_DESC,
        /// Longitude.
        longitude: f64 = LOCATION_ELEM_LONGITUDE (required),
        /// Latitude.
        latitude: f64 = LOCATION_ELEM_LATITUDE (required),
    }
}

json_object! {
    /// Merged (forwarded) messages (`kTIMElem_Merge`). On send, `message_array` holds the
    /// messages; a received one carries only title, abstracts and the relay keys, and its inner
    /// messages are fetched with `TIMMsgDownloadMergerMessage`.
    pub struct MergeElem {
        /// Bundle title.
        title: String = MERGE_ELEM_TITLE,
        /// Summary lines.
        abstract_array: Vec<String> = MERGE_ELEM_ABSTRACT_ARRAY,
        /// Text shown by SDKs without merge support; must not be empty on send.
        compatible_text: String = MERGE_ELEM_COMPATIBLE_TEXT,
        /// The bundled messages (at most 300, all sent successfully).
        message_array: Vec<Message> = MERGE_ELEM_MESSAGE_ARRAY,
        /// Nested deeper than 100 layers: the bundle cannot be downloaded.
        layer_over_limit: bool = MERGE_ELEM_LAYER_OVER_LIMIT,
        /// Download key (native clients).
        relay_pb_key: String = MERGE_ELEM_RELAY_PB_KEY,
        /// Download key (web clients).
        relay_json_key: String = MERGE_ELEM_RELAY_JSON_KEY,
        /// Inline relay buffer.
        relay_buffer: String = MERGE_ELEM_RELAY_BUFFER,
    }
}
