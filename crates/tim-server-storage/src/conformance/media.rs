//! Conformance: media records.

use super::*;
use crate::media::{CollectedFile, MediaRecord, MediaWrite};

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
        original_id: String::new(),
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

fn file(file_id: &str, original_id: &str, created: u64) -> MediaRecord {
    MediaRecord {
        file_id: file_id.into(),
        uploader: "alice".into(),
        conv_type: 1,
        conv_id: "bob".into(),
        media_kind: 1,
        size: 10,
        created,
        original_id: original_id.into(),
        ..Default::default()
    }
}

fn put(storage: &dyn Storage, records: Vec<MediaRecord>) {
    let outcome = apply_one(
        storage,
        WriteOp::Media(Box::new(MediaWrite::Put { app: APP, records })),
    );
    assert!(matches!(outcome.result, Ok(Applied::Done)), "{outcome:?}");
}

fn collect(storage: &dyn Storage, before: u64, max: usize) -> Vec<String> {
    let outcome = apply_one(
        storage,
        WriteOp::Media(Box::new(MediaWrite::Collect { before, max })),
    );
    match outcome.result {
        Ok(Applied::MediaCollected(files)) => files
            .into_iter()
            .map(|CollectedFile { app, file_id }| {
                assert_eq!(app, APP);
                file_id
            })
            .collect(),
        other => panic!("expected collected files, got {other:?}"),
    }
}

fn id(n: u8) -> String {
    format!("{n:032x}")
}

/// An upload is unreferenced until a stored message names one of its files (element IDs or
/// `tim-media://` URLs, uppercase too, also inside merged bundles); a collection removes the
/// records of unreferenced uploads made before its time, oldest first, an original with its
/// renditions, and never a referenced one.
pub fn unreferenced_media_is_collected_and_referenced_media_is_kept(storage: &dyn Storage) {
    // Upload 1: an image with two renditions; 2: a file; 3: a file; 4: a later file.
    put(
        storage,
        vec![
            file(&id(1), "", 100),
            file(&id(11), &id(1), 100),
            file(&id(12), &id(1), 100),
        ],
    );
    put(storage, vec![file(&id(2), "", 101)]);
    put(storage, vec![file(&id(3), "", 102)]);
    put(storage, vec![file(&id(4), "", 500)]);
    for n in [1, 11, 12, 2, 3, 4] {
        assert!(storage.media_unreferenced(APP, &id(n)).unwrap(), "{n}");
    }
    assert!(!storage.media_unreferenced(APP, &id(99)).unwrap());

    // A message naming the large rendition of upload 1 by URL, in uppercase.
    let mut naming = message("m-media", 1, "bob", "alice");
    naming.elems.push(v1::Elem {
        body: Some(v1::elem::Body::Image(v1::ImageElem {
            large_url: format!("tim-media://{}", id(11).to_ascii_uppercase()),
            ..Default::default()
        })),
    });
    let send = WriteOp::Send(Box::new(SendWrite {
        app: APP,
        sender: user("alice"),
        target: Target::C2c(user("bob")),
        msg_id: MessageId::new("m-media").unwrap(),
        message: naming,
        merge: None,
    }));
    ack(&apply_one(storage, send));
    for n in [1, 11, 12] {
        assert!(!storage.media_unreferenced(APP, &id(n)).unwrap(), "{n}");
    }
    // A merged bundle's inner message naming upload 2's file ID.
    let mut inner = message_with_file("inner", &id(2));
    inner.sender = "alice".into();
    let merge = crate::merge::MergeSend {
        bundles: vec![crate::merge::NewBundle {
            key: "0123456789abcdef0123456789abcdef".into(),
            messages: vec![inner],
            children: Vec::new(),
        }],
        carried: vec!["0123456789abcdef0123456789abcdef".into()],
    };
    let mut carrier = message("m-merge", 1, "bob", "alice");
    carrier.elems = vec![v1::Elem {
        body: Some(v1::elem::Body::Merge(v1::MergeElem {
            relay_pb_key: "0123456789abcdef0123456789abcdef".into(),
            ..Default::default()
        })),
    }];
    let send = WriteOp::Send(Box::new(SendWrite {
        app: APP,
        sender: user("alice"),
        target: Target::C2c(user("bob")),
        msg_id: MessageId::new("m-merge").unwrap(),
        message: carrier,
        merge: Some(std::sync::Arc::new(merge)),
    }));
    ack(&apply_one(storage, send));
    assert!(!storage.media_unreferenced(APP, &id(2)).unwrap());

    // Nothing made before 100: nothing collected.
    assert!(collect(storage, 100, 10).is_empty());
    // Before 501: upload 3 only (1 and 2 are referenced); 4 is too recent at 500.
    assert_eq!(collect(storage, 500, 10), [id(3)]);
    assert_eq!(storage.media(APP, &id(3)).unwrap(), None);
    for n in [1, 11, 12, 2, 4] {
        assert!(storage.media(APP, &id(n)).unwrap().is_some(), "{n}");
    }
    // At most `max` uploads per write, oldest first, an upload with all its files.
    put(
        storage,
        vec![file(&id(5), "", 200), file(&id(51), &id(5), 200)],
    );
    put(storage, vec![file(&id(6), "", 300)]);
    assert_eq!(collect(storage, 1000, 1), [id(5), id(51)]);
    assert_eq!(collect(storage, 1000, 10), [id(6), id(4)]);
    assert!(collect(storage, u64::MAX, 10).is_empty());
    assert!(storage.media(APP, &id(1)).unwrap().is_some());
}

fn message_with_file(msg_id: &str, file_id: &str) -> v1::Message {
    let mut message = message(msg_id, 1, "bob", "alice");
    message.elems = vec![v1::Elem {
        body: Some(v1::elem::Body::File(v1::FileElem {
            file_id: file_id.into(),
            ..Default::default()
        })),
    }];
    message
}
