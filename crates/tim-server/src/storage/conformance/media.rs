//! Conformance: media records.

use super::*;
use crate::storage::media::{MediaRecord, MediaWrite};

/// A recorded file reads back as written, per app; an unknown one is `None`.
pub fn media_records_read_back_per_app(storage: &dyn Storage) {
    let record = MediaRecord {
        file_id: "0123456789abcdef0123456789abcdef".into(),
        uploader: "alice".into(),
        conv_type: 1,
        conv_id: "bob".into(),
        media_kind: 1,
        size: 1234,
        width: 20,
        height: 10,
        format: 3,
        image_level: 0,
        file_name: "a.png".into(),
        created: 5,
    };
    let outcomes = storage
        .apply(vec![WriteOp::Media(Box::new(MediaWrite::Put {
            app: APP,
            records: vec![record.clone()],
        }))])
        .unwrap();
    assert!(matches!(outcomes[0].result, Ok(Applied::Done)));
    assert_eq!(
        storage.media(APP, &record.file_id).unwrap(),
        Some(record.clone())
    );
    assert_eq!(storage.media(APP + 1, &record.file_id).unwrap(), None);
    assert_eq!(
        storage
            .media(APP, "ffffffffffffffffffffffffffffffff")
            .unwrap(),
        None
    );
}
