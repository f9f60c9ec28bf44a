//! Any bytes arriving from the network: the frame decoder, the envelope decoders and the
//! conversion of carried messages to the model give values or TIM errors, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tim_proto::{FrameDecoder, v1};

fuzz_target!(|data: &[u8]| {
    // The first byte picks how the stream is cut into pushes, so partial headers are reached.
    let Some((&cut, stream)) = data.split_first() else { return };
    let piece = usize::from(cut % 16) + 1;
    let mut decoder = FrameDecoder::new();
    for chunk in stream.chunks(piece) {
        decoder.push(chunk);
        // Bounded: each frame consumes at least its 4-byte header.
        while let Ok(Some(frame)) = decoder.next_frame() {
            if let Ok(server) = tim_proto::decode_frame::<v1::ServerFrame>(&frame) {
                if let Some(v1::server_frame::Body::NewMessage(push)) = server.body {
                    if let Some(message) = push.message {
                        let _ = tim_model::Message::try_from(message);
                    }
                }
            }
            // Transfer streams (media.proto) carry these frames, then raw bytes.
            let _ = tim_proto::decode_frame::<v1::TransferRequest>(&frame);
            let _ = tim_proto::decode_frame::<v1::TransferResponse>(&frame);
            if let Ok(client) = tim_proto::decode_frame::<v1::ClientFrame>(&frame) {
                if let Some(v1::client_frame::Body::SendMessage(request)) = client.body {
                    if let Some(message) = request.message {
                        let _ = tim_model::Message::try_from(message);
                    }
                }
            }
        }
    }
    let _ = decoder.finish();
    let _ = decoder.take_buffered();
});
