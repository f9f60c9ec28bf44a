//! Malformed input: random bytes never panic the decoder or the conversions, and each kind of
//! bad data is refused with its own typed error, TIM code and field path.

use proptest::collection::vec;
use proptest::prelude::*;
use prost::Message as _;
use tim_model::arb::arbitrary;
use tim_model::codes::{ERR_PARSE_RESPONSE_FAILED, ERR_SDK_NET_PKG_SIZE_LIMIT};
use tim_model::{Elem, Message, TextElem};
use tim_proto::{FrameDecoder, MAX_FRAME_LEN, ProtoError, WireEnum, decode_frame, v1};

/// Converts whatever model values a decoded server frame carries, discarding the outcome: the
/// point is that converting arbitrary decoded data returns instead of panicking.
fn convert_everything(frame: v1::ServerFrame) {
    use v1::server_frame::Body;
    match frame.body {
        Some(Body::NewMessage(push)) => {
            let _ = push.message.map(Message::try_from);
        }
        Some(Body::MessageRevoked(push)) => {
            let _ = push.info.map(tim_model::RevokeInfo::try_from);
        }
        Some(Body::Error(error)) => {
            let _ = error.current_message.map(Message::try_from);
        }
        Some(Body::BatchSend(response)) => {
            for result in response.results {
                let _ = tim_model::BatchSendResult::try_from(result);
            }
        }
        _ => {}
    }
}

/// Pushes `bytes` into a fresh decoder and drains it; returns how many frames came out.
fn drain(bytes: &[u8]) -> usize {
    let mut decoder = FrameDecoder::new();
    decoder.push(bytes);
    let mut frames = 0;
    // Every frame consumes at least its 4-byte header, so this is bounded by bytes.len() / 4.
    for _ in 0..=bytes.len() / 4 {
        match decoder.next_message::<v1::ServerFrame>() {
            Ok(Some(frame)) => {
                convert_everything(frame);
                frames += 1;
            }
            Ok(None) => break,
            Err(ProtoError::Decode { .. }) => frames += 1,
            Err(_) => break,
        }
    }
    frames
}

/// A valid framed push carrying `message`.
fn framed_push(message: Message) -> Vec<u8> {
    tim_proto::encode_frame(&v1::ServerFrame {
        request_id: 0,
        body: Some(v1::server_frame::Body::NewMessage(v1::NewMessagePush {
            cursor: 1,
            message: Some(message.into()),
        })),
    })
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in vec(any::<u8>(), 0..2048)) {
        let _ = v1::ClientFrame::decode(bytes.as_slice());
        if let Ok(frame) = v1::ServerFrame::decode(bytes.as_slice()) {
            convert_everything(frame);
        }
        drain(&bytes);
    }

    /// Valid frames with a few bytes overwritten reach deep into the decoder and the
    /// conversions, where uniformly random bytes rarely get.
    #[test]
    fn corrupted_frames_never_panic(
        message in arbitrary::<Message>(),
        edits in vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut bytes = framed_push(message);
        // Leave the header alone so the corruption lands in the protobuf.
        let body_len = bytes.len() - 4;
        for (index, byte) in edits {
            bytes[4 + index.index(body_len)] = byte;
        }
        prop_assert!(drain(&bytes) <= 1);
    }

    #[test]
    fn frames_over_the_limit_are_refused_from_the_header(
        announced in (MAX_FRAME_LEN as u32 + 1)..=u32::MAX,
        tail in vec(any::<u8>(), 0..64),
    ) {
        let mut decoder = FrameDecoder::new();
        decoder.push(&announced.to_be_bytes());
        decoder.push(&tail);
        let error = decoder.next_frame().unwrap_err();
        prop_assert_eq!(error.code(), ERR_SDK_NET_PKG_SIZE_LIMIT);
        prop_assert_eq!(decoder.buffered_len(), 0);
    }
}

#[test]
fn a_frame_of_exactly_the_limit_is_accepted() {
    let mut decoder = FrameDecoder::new();
    decoder.push(&(MAX_FRAME_LEN as u32).to_be_bytes());
    assert_eq!(decoder.next_frame(), Ok(None));
    decoder.push(&vec![0u8; MAX_FRAME_LEN]);
    assert_eq!(
        decoder.next_frame().map(|f| f.map(|p| p.len())),
        Ok(Some(MAX_FRAME_LEN))
    );
}

#[test]
fn an_oversize_frame_ends_the_stream_for_good() {
    let mut decoder = FrameDecoder::new();
    decoder.push(&((MAX_FRAME_LEN + 1) as u32).to_be_bytes());
    let error = decoder.next_frame().unwrap_err();
    assert!(
        matches!(error, ProtoError::FrameTooLarge { len, .. } if len == MAX_FRAME_LEN as u64 + 1)
    );
    // Later input, even a valid frame, is ignored: the stream is out of step.
    decoder.push(&[0, 0, 0, 0]);
    assert_eq!(decoder.buffered_len(), 0);
    assert_eq!(decoder.next_frame(), Err(error.clone()));
    assert_eq!(decoder.finish(), Err(error));
}

#[test]
fn a_custom_limit_is_honoured() {
    let mut decoder = FrameDecoder::with_max_frame_len(8);
    decoder.push(&[0, 0, 0, 9]);
    assert_eq!(
        decoder.next_frame().unwrap_err().code(),
        ERR_SDK_NET_PKG_SIZE_LIMIT
    );
}

#[test]
fn truncated_frames_are_reported_at_the_end_of_the_stream() {
    let mut decoder = FrameDecoder::new();
    decoder.push(&[0, 0]);
    assert_eq!(decoder.next_frame(), Ok(None));
    let error = decoder.finish().unwrap_err();
    assert_eq!(
        error,
        ProtoError::TruncatedFrame {
            buffered: 2,
            expected: 4
        }
    );
    assert_eq!(error.code(), ERR_PARSE_RESPONSE_FAILED);

    decoder.push(&[0, 10, 1, 2, 3]);
    assert_eq!(decoder.next_frame(), Ok(None));
    assert_eq!(
        decoder.finish(),
        Err(ProtoError::TruncatedFrame {
            buffered: 7,
            expected: 14
        })
    );
}

#[test]
fn payloads_that_are_not_protobuf_fail_alone() {
    let mut decoder = FrameDecoder::new();
    // A field-1 tag with the reserved wire type 7, then a valid empty frame.
    decoder.push(&[0, 0, 0, 1, 0x0f, 0, 0, 0, 0]);
    let error = decoder.next_message::<v1::ClientFrame>().unwrap_err();
    assert!(matches!(error, ProtoError::Decode { .. }), "{error}");
    assert_eq!(error.code(), ERR_PARSE_RESPONSE_FAILED);
    assert_eq!(
        decoder.next_message::<v1::ClientFrame>(),
        Ok(Some(v1::ClientFrame::default()))
    );
    assert_eq!(decoder.finish(), Ok(()));
}

#[test]
fn an_elem_without_a_body_names_its_path() {
    let mut wire = v1::Message::from(Message {
        elems: vec![Elem::Text(TextElem {
            content: "a".into(),
        })],
        ..Message::default()
    });
    wire.elems.push(v1::Elem { body: None });
    let error = Message::try_from(wire).unwrap_err();
    assert_eq!(error, ProtoError::missing("elems[1].body"));
    assert_eq!(error.code(), ERR_PARSE_RESPONSE_FAILED);
    assert_eq!(
        error.to_string(),
        "elems[1].body: required field is missing"
    );
}

#[test]
fn unknown_enum_numbers_name_the_field_and_the_enum() {
    let wire = v1::Message {
        conv_type: 9,
        ..Default::default()
    };
    let error = Message::try_from(wire).unwrap_err();
    assert_eq!(
        error,
        ProtoError::UnknownEnum {
            field: "conv_type".into(),
            enum_name: "TIMConvType",
            value: 9
        }
    );
    assert_eq!(error.code(), ERR_PARSE_RESPONSE_FAILED);

    let wire = v1::Message {
        status: Some(0),
        ..Default::default()
    };
    assert_eq!(Message::try_from(wire).unwrap_err().field(), "status");

    let report = v1::GroupReportElem {
        group_message_receive_option: 99,
        ..Default::default()
    };
    let wire = v1::Message {
        elems: vec![v1::Elem {
            body: Some(v1::elem::Body::GroupReport(report)),
        }],
        ..Default::default()
    };
    assert_eq!(
        Message::try_from(wire).unwrap_err().field(),
        "elems[0].body.group_report.group_message_receive_option"
    );

    // Requests' enum fields are read through the same trait.
    let filter = tim_model::enums::GroupMessageReadMembersFilter::from_wire(2, "filter");
    assert_eq!(filter.unwrap_err().field(), "filter");
}

#[test]
fn invalid_message_ids_are_refused_even_deep_inside_a_merge() {
    for bad in [String::new(), "m".repeat(128), "a\nb".to_owned()] {
        let wire = v1::Message {
            msg_id: Some(bad.clone()),
            ..Default::default()
        };
        let error = Message::try_from(wire).unwrap_err();
        assert_eq!(error.field(), "msg_id", "{bad:?}");
        assert!(matches!(error, ProtoError::InvalidField { .. }), "{error}");
        assert_eq!(error.code(), ERR_PARSE_RESPONSE_FAILED);
    }

    let inner = v1::Message {
        msg_id: Some(String::new()),
        ..Default::default()
    };
    let merge = v1::MergeElem {
        message_array: vec![v1::Message::default(), inner],
        ..Default::default()
    };
    let outer = v1::Message {
        elems: vec![v1::Elem {
            body: Some(v1::elem::Body::Merge(merge)),
        }],
        ..Default::default()
    };
    assert_eq!(
        Message::try_from(outer).unwrap_err().field(),
        "elems[0].body.merge.message_array[1].msg_id"
    );
}

#[test]
fn absent_required_messages_are_refused() {
    let request = v1::BatchSendRequest {
        identifier_array: vec!["u1".into()],
        msg: None,
    };
    assert_eq!(
        tim_model::BatchSendParam::try_from(request),
        Err(ProtoError::missing("msg"))
    );
}

#[test]
fn nesting_beyond_the_decoder_limit_is_an_error_not_a_stack_overflow() {
    let mut message = v1::Message::default();
    for _ in 0..60 {
        message = v1::Message {
            elems: vec![v1::Elem {
                body: Some(v1::elem::Body::Merge(v1::MergeElem {
                    message_array: vec![message],
                    ..Default::default()
                })),
            }],
            ..Default::default()
        };
    }
    let bytes = message.encode_to_vec();
    let error = decode_frame::<v1::Message>(&bytes).unwrap_err();
    assert!(matches!(error, ProtoError::Decode { .. }), "{error}");
    assert_eq!(error.code(), ERR_PARSE_RESPONSE_FAILED);
}

#[test]
fn the_deepest_nesting_the_decoder_accepts_converts_without_overflow() {
    // Each merge level is three protobuf levels (Message, Elem, MergeElem) of the decoder's
    // 100; find the deepest message it accepts and convert it both ways.
    let nest = |depth: usize| {
        let mut message = v1::Message::default();
        for _ in 0..depth {
            message = v1::Message {
                elems: vec![v1::Elem {
                    body: Some(v1::elem::Body::Merge(v1::MergeElem {
                        message_array: vec![message],
                        ..Default::default()
                    })),
                }],
                ..Default::default()
            };
        }
        message.encode_to_vec()
    };
    let deepest = (1..60)
        .take_while(|&depth| decode_frame::<v1::Message>(&nest(depth)).is_ok())
        .last()
        .unwrap();
    assert!(deepest >= 30, "{deepest}");
    let wire = decode_frame::<v1::Message>(&nest(deepest)).unwrap();
    let model = Message::try_from(wire.clone()).unwrap();
    assert_eq!(v1::Message::from(model), wire);
}
