//! `tim-proto` is the tim wire protocol v1: the prost types generated from `proto/tim/v1`
//! ([`v1`]), their conversions to and from the `tim-model` types, and the length-prefixed
//! framing that carries them ([`frame`]). The protocol itself is described in
//! `docs/protocol.md`.
//!
//! - Model to wire is `From` and cannot fail; wire to model is `TryFrom` and refuses malformed
//!   values with a [`ProtoError`] that names the field and maps to a TIM error code.
//! - [`WireEnum`] reads an enum-typed `int32` field of a request.
//!
//! What it must never do: perform I/O (the framing is sans-I/O: bytes in, frames out), panic
//! on any input however malformed, or depend on the client or server crates (both sides depend
//! on it).

mod convert;
mod error;
pub mod frame;

pub use convert::WireEnum;
pub use error::{ProtoError, Result};
pub use frame::{FrameDecoder, MAX_FRAME_LEN, decode_frame, encode_frame, encode_frame_checked};

/// The generated protocol types, package `tim.v1`: the envelopes [`v1::ClientFrame`] and
/// [`v1::ServerFrame`], and every request, response, push and model message they carry.
#[allow(missing_docs, clippy::all, clippy::pedantic, rustdoc::all)]
pub mod v1 {
    include!(concat!(env!("OUT_DIR"), "/tim.v1.rs"));
}
