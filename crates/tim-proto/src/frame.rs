//! Sans-I/O length-prefixed framing: each frame is a 4-byte big-endian payload length followed
//! by that many bytes of protobuf. [`encode_frame`] makes a frame; a [`FrameDecoder`] takes the
//! bytes of a stream as they arrive, in pieces of any size, and hands out whole frames.
//!
//! No frame may carry more than [`MAX_FRAME_LEN`] bytes: the decoder refuses a larger one from
//! its header alone, before buffering any of it, with `ERR_SDK_NET_PKG_SIZE_LIMIT` (9522).

use crate::{ProtoError, Result};

/// The largest payload a frame may carry: 1 MiB, TIM's packet limit.
pub const MAX_FRAME_LEN: usize = 1 << 20;

/// The length of a frame header.
pub const HEADER_LEN: usize = 4;

/// `message` as one frame.
///
/// The frame may exceed [`MAX_FRAME_LEN`], which a decoder refuses: a sender that cannot rule
/// that out uses [`encode_frame_checked`]. (A message longer than `u32::MAX` bytes cannot be
/// framed at all; its header announces `u32::MAX`, which every decoder refuses.)
pub fn encode_frame(message: &impl prost::Message) -> Vec<u8> {
    let len = message.encoded_len();
    let mut frame = Vec::with_capacity(HEADER_LEN.saturating_add(len));
    let announced = u32::try_from(len).unwrap_or(u32::MAX);
    frame.extend_from_slice(&announced.to_be_bytes());
    // `encode` fails only when the buffer cannot take the whole message, and a Vec grows.
    let encoded = message.encode(&mut frame);
    debug_assert!(
        encoded.is_ok(),
        "encoding into a Vec cannot run out of space"
    );
    frame
}

/// `message` as one frame, or [`ProtoError::FrameTooLarge`] when its payload exceeds
/// [`MAX_FRAME_LEN`] (the peer would refuse it).
pub fn encode_frame_checked(message: &impl prost::Message) -> Result<Vec<u8>> {
    let len = message.encoded_len();
    if len > MAX_FRAME_LEN {
        return Err(ProtoError::FrameTooLarge {
            len: len as u64,
            max: MAX_FRAME_LEN,
        });
    }
    Ok(encode_frame(message))
}

/// Decodes one frame's payload as `M`.
pub fn decode_frame<M: prost::Message + Default>(payload: &[u8]) -> Result<M> {
    M::decode(payload).map_err(ProtoError::from)
}

/// Reassembles frames from a byte stream.
///
/// Push bytes in as they arrive ([`push`](Self::push)), then pull frames out until it returns
/// `Ok(None)` ([`next_frame`](Self::next_frame) or [`next_message`](Self::next_message)). A
/// frame split across pushes comes out once its last byte is in; several frames in one push
/// come out one by one. A caller that pulls every whole frame after each push holds at most one
/// incomplete frame plus that push in memory.
///
/// An oversize header desynchronises the stream for good: the decoder drops what it holds,
/// ignores further input and returns the same error from then on. A payload that is not valid
/// protobuf, by contrast, only fails [`next_message`](Self::next_message) for that frame; the
/// stream stays in step.
#[derive(Debug, Clone)]
pub struct FrameDecoder {
    /// Received bytes; those before `start` are already handed out.
    buffer: Vec<u8>,
    start: usize,
    max_frame_len: usize,
    failed: Option<ProtoError>,
}

impl Default for FrameDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl FrameDecoder {
    /// A decoder refusing frames over [`MAX_FRAME_LEN`].
    pub fn new() -> Self {
        Self::with_max_frame_len(MAX_FRAME_LEN)
    }

    /// A decoder refusing frames over `max_frame_len` bytes of payload.
    pub fn with_max_frame_len(max_frame_len: usize) -> Self {
        Self {
            buffer: Vec::new(),
            start: 0,
            max_frame_len,
            failed: None,
        }
    }

    /// Appends received bytes (ignored once the stream has failed).
    pub fn push(&mut self, bytes: &[u8]) {
        if self.failed.is_some() || bytes.is_empty() {
            return;
        }
        self.compact();
        self.buffer.extend_from_slice(bytes);
    }

    /// The next whole frame's payload, `Ok(None)` when no whole frame is buffered yet, or the
    /// error that ended the stream.
    pub fn next_frame(&mut self) -> Result<Option<Vec<u8>>> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        let pending = &self.buffer[self.start..];
        let Some(header) = pending.first_chunk::<HEADER_LEN>() else {
            return Ok(None);
        };
        let announced = u32::from_be_bytes(*header);
        let len = match usize::try_from(announced) {
            Ok(len) if len <= self.max_frame_len => len,
            _ => return Err(self.fail(announced)),
        };
        let end = HEADER_LEN.saturating_add(len);
        let Some(payload) = pending.get(HEADER_LEN..end) else {
            return Ok(None);
        };
        let payload = payload.to_vec();
        self.start += end;
        Ok(Some(payload))
    }

    /// The next whole frame decoded as `M`; see [`next_frame`](Self::next_frame). A payload
    /// that does not decode is consumed and reported as [`ProtoError::Decode`].
    pub fn next_message<M: prost::Message + Default>(&mut self) -> Result<Option<M>> {
        self.next_frame()?
            .map(|payload| decode_frame(&payload))
            .transpose()
    }

    /// Takes the received bytes not yet handed out, leaving the decoder empty: for a stream
    /// that carries raw bytes after its frames (a media transfer, see media.proto).
    pub fn take_buffered(&mut self) -> Vec<u8> {
        let rest = self.buffer.split_off(self.start);
        self.buffer.clear();
        self.start = 0;
        rest
    }

    /// How many received bytes are not yet handed out.
    pub fn buffered_len(&self) -> usize {
        self.buffer.len() - self.start
    }

    /// Checks that the stream ended between frames: call it when the peer closes the stream.
    /// Bytes of an incomplete frame give [`ProtoError::TruncatedFrame`].
    pub fn finish(&self) -> Result<()> {
        if let Some(error) = &self.failed {
            return Err(error.clone());
        }
        let pending = &self.buffer[self.start..];
        if pending.is_empty() {
            return Ok(());
        }
        let expected = match pending.first_chunk::<HEADER_LEN>() {
            Some(header) => {
                let len = usize::try_from(u32::from_be_bytes(*header)).unwrap_or(usize::MAX);
                HEADER_LEN.saturating_add(len)
            }
            None => HEADER_LEN,
        };
        Err(ProtoError::TruncatedFrame {
            buffered: pending.len(),
            expected,
        })
    }

    /// Ends the stream on an oversize header and frees what is buffered.
    fn fail(&mut self, announced: u32) -> ProtoError {
        let error = ProtoError::FrameTooLarge {
            len: u64::from(announced),
            max: self.max_frame_len,
        };
        self.buffer = Vec::new();
        self.start = 0;
        self.failed = Some(error.clone());
        error
    }

    /// Drops handed-out bytes once they are at least half the buffer, so that the copying
    /// stays linear in the bytes received.
    fn compact(&mut self) {
        if self.start == self.buffer.len() {
            self.buffer.clear();
            self.start = 0;
        } else if self.start >= self.buffer.len() - self.start {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v1;

    fn ping(request_id: u64) -> v1::ClientFrame {
        v1::ClientFrame {
            request_id,
            body: Some(v1::client_frame::Body::Ping(v1::PingRequest {})),
        }
    }

    #[test]
    fn a_frame_is_a_big_endian_length_and_the_payload() {
        let frame = encode_frame(&ping(1));
        assert_eq!(frame, [0, 0, 0, 4, 0x08, 0x01, 0x62, 0x00]);
    }

    #[test]
    fn byte_by_byte_input_yields_each_frame_once() {
        let mut stream = encode_frame(&ping(1));
        stream.extend(encode_frame(&ping(2)));
        let mut decoder = FrameDecoder::new();
        let mut ids = Vec::new();
        for byte in &stream {
            decoder.push(std::slice::from_ref(byte));
            while let Some(frame) = decoder.next_message::<v1::ClientFrame>().unwrap() {
                ids.push(frame.request_id);
            }
        }
        assert_eq!(ids, [1, 2]);
        assert_eq!(decoder.buffered_len(), 0);
        assert_eq!(decoder.finish(), Ok(()));
    }

    #[test]
    fn an_empty_payload_is_a_frame() {
        let mut decoder = FrameDecoder::new();
        decoder.push(&[0, 0, 0, 0]);
        assert_eq!(decoder.next_frame(), Ok(Some(Vec::new())));
        assert_eq!(decoder.next_frame(), Ok(None));
    }

    #[test]
    fn oversize_messages_are_refused_before_sending() {
        let big = v1::TextElem {
            content: "x".repeat(MAX_FRAME_LEN),
        };
        let error = encode_frame_checked(&big).unwrap_err();
        assert_eq!(error.code(), tim_model::codes::ERR_SDK_NET_PKG_SIZE_LIMIT);
        assert!(encode_frame_checked(&ping(1)).is_ok());
    }
}
