//! The framing codec: any sequence of frames, cut into pieces at any points, comes out of the
//! decoder whole, in order, each exactly once.

use proptest::collection::vec;
use proptest::prelude::*;
use tim_model::arb::arbitrary;
use tim_proto::{FrameDecoder, ProtoError, encode_frame, v1};

/// A frame around `payload`, built by hand so that any bytes can be a payload.
fn raw_frame(payload: &[u8]) -> Vec<u8> {
    let mut frame = (payload.len() as u32).to_be_bytes().to_vec();
    frame.extend_from_slice(payload);
    frame
}

/// Cuts `stream` into pieces whose lengths cycle through `cuts` (each at least 1), pushes them
/// one by one into a decoder, and collects every frame the decoder hands out after each push.
fn decode_in_pieces<T>(
    stream: &[u8],
    cuts: &[usize],
    mut next: impl FnMut(&mut FrameDecoder) -> Result<Option<T>, ProtoError>,
) -> Result<(Vec<T>, FrameDecoder), ProtoError> {
    let mut decoder = FrameDecoder::new();
    let mut out = Vec::new();
    let mut offset = 0;
    for &cut in cuts.iter().cycle() {
        if offset >= stream.len() {
            break;
        }
        let end = (offset + cut.max(1)).min(stream.len());
        decoder.push(&stream[offset..end]);
        offset = end;
        // Each frame consumes at least its header, so this ends within the pushed bytes.
        while let Some(frame) = next(&mut decoder)? {
            out.push(frame);
        }
    }
    Ok((out, decoder))
}

fn any_client_frame() -> impl Strategy<Value = v1::ClientFrame> {
    use v1::client_frame::Body;
    let body = prop_oneof![
        Just(Body::Ping(v1::PingRequest {})),
        (any::<u64>(), any::<u32>())
            .prop_map(|(cursor, max_events)| Body::Sync(v1::SyncRequest { cursor, max_events })),
        arbitrary::<tim_model::Message>().prop_map(|message| Body::SendMessage(
            v1::SendMessageRequest {
                conversation: None,
                message: Some(message.into()),
            }
        )),
    ];
    (any::<u64>(), proptest::option::of(body))
        .prop_map(|(request_id, body)| v1::ClientFrame { request_id, body })
}

proptest! {
    #[test]
    fn messages_survive_any_split(
        frames in vec(any_client_frame(), 0..6),
        cuts in vec(1usize..80, 1..12),
    ) {
        let stream: Vec<u8> = frames.iter().flat_map(encode_frame).collect();
        let (decoded, decoder) =
            decode_in_pieces(&stream, &cuts, FrameDecoder::next_message::<v1::ClientFrame>)?;
        prop_assert_eq!(decoded, frames);
        prop_assert_eq!(decoder.buffered_len(), 0);
        prop_assert_eq!(decoder.finish(), Ok(()));
    }

    #[test]
    fn raw_payloads_survive_any_split(
        payloads in vec(vec(any::<u8>(), 0..300), 0..10),
        cuts in vec(1usize..40, 1..12),
    ) {
        let stream: Vec<u8> = payloads.iter().flat_map(|p| raw_frame(p)).collect();
        let (decoded, decoder) = decode_in_pieces(&stream, &cuts, FrameDecoder::next_frame)?;
        prop_assert_eq!(decoded, payloads);
        prop_assert_eq!(decoder.finish(), Ok(()));
    }

    /// Cutting the stream short anywhere inside a frame leaves a truncation that `finish`
    /// reports, after every whole frame before the cut came out.
    #[test]
    fn a_stream_cut_inside_a_frame_is_truncated(
        payloads in vec(vec(any::<u8>(), 0..100), 1..5),
        keep in any::<prop::sample::Index>(),
    ) {
        let stream: Vec<u8> = payloads.iter().flat_map(|p| raw_frame(p)).collect();
        let last_len = raw_frame(&payloads[payloads.len() - 1]).len();
        let complete = stream.len() - last_len;
        // Keep at least one byte of the last frame and lose at least one.
        let kept = complete + 1 + keep.index(last_len - 1);
        let (decoded, decoder) =
            decode_in_pieces(&stream[..kept], &[7], FrameDecoder::next_frame)?;
        prop_assert_eq!(&decoded[..], &payloads[..payloads.len() - 1]);
        let error = decoder.finish().unwrap_err();
        prop_assert!(matches!(error, ProtoError::TruncatedFrame { .. }), "{}", error);
        prop_assert_eq!(error.code(), tim_model::codes::ERR_PARSE_RESPONSE_FAILED);
    }
}
