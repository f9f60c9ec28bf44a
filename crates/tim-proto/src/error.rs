//! The one error type of the crate: why protocol bytes or a protocol value were refused, each
//! case naming the offending field and mapping to the TIM error code a caller reports.

use tim_model::{ModelError, codes};

/// Why a frame, a protobuf encoding or a protocol value was refused.
///
/// Conversion errors name the offending field as a path of proto field names, such as
/// `elems[1].merge.message_array[0].msg_id`. [`ProtoError::code`] maps every case to a TIM
/// error code: an oversize frame to `ERR_SDK_NET_PKG_SIZE_LIMIT` (9522), everything else to
/// `ERR_PARSE_RESPONSE_FAILED` (6001), because it is malformed protocol data whichever peer
/// sent it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtoError {
    /// A field the conversion needs is absent (a oneof with no case set, a required message).
    #[error("{field}: required field is missing")]
    MissingField {
        /// Path of the missing field.
        field: String,
    },
    /// An enum-typed field holds a number its TIM enum does not define.
    #[error("{field}: {value} is not a {enum_name} value")]
    UnknownEnum {
        /// Path of the field.
        field: String,
        /// The C name of the TIM enum (`TIMMsgStatus`).
        enum_name: &'static str,
        /// The number received.
        value: i32,
    },
    /// A field holds a value the model refuses (an invalid message ID, a user ID that breaks
    /// the rules, a JSON text that is not an object).
    #[error("{field}: {detail}")]
    InvalidField {
        /// Path of the field.
        field: String,
        /// What is wrong with it.
        detail: String,
    },
    /// The bytes are not a valid protobuf encoding of the expected message.
    #[error("malformed protobuf data: {detail}")]
    Decode {
        /// What prost reported.
        detail: String,
    },
    /// A frame header announces more bytes than a frame may hold.
    #[error("frame of {len} bytes exceeds the limit of {max} bytes")]
    FrameTooLarge {
        /// The announced (or, when encoding, the actual) payload length.
        len: u64,
        /// The limit.
        max: usize,
    },
    /// The input ended inside a frame.
    #[error("input ended inside a frame: {buffered} bytes of {expected} buffered")]
    TruncatedFrame {
        /// Bytes of the frame (header included) that arrived.
        buffered: usize,
        /// Bytes the frame needs (header included; 4 while the header itself is incomplete).
        expected: usize,
    },
}

impl ProtoError {
    /// The TIM error code (`TIMErrCode`) this error is reported with.
    pub fn code(&self) -> i32 {
        match self {
            Self::FrameTooLarge { .. } => codes::ERR_SDK_NET_PKG_SIZE_LIMIT,
            Self::MissingField { .. }
            | Self::UnknownEnum { .. }
            | Self::InvalidField { .. }
            | Self::Decode { .. }
            | Self::TruncatedFrame { .. } => codes::ERR_PARSE_RESPONSE_FAILED,
        }
    }

    /// The path of the field the error concerns (empty for framing and decoding errors).
    pub fn field(&self) -> &str {
        match self {
            Self::MissingField { field }
            | Self::UnknownEnum { field, .. }
            | Self::InvalidField { field, .. } => field,
            Self::Decode { .. } | Self::FrameTooLarge { .. } | Self::TruncatedFrame { .. } => "",
        }
    }

    /// A [`ProtoError::MissingField`] for `field`.
    pub fn missing(field: impl Into<String>) -> Self {
        Self::MissingField {
            field: field.into(),
        }
    }

    /// The model's refusal of the value of `field`, as an [`ProtoError::InvalidField`]. The
    /// model's own path, if any, is appended to `field`.
    pub fn from_model(field: &str, error: &ModelError) -> Self {
        let detail = match error {
            ModelError::InvalidValue { detail, .. } | ModelError::Limit { detail, .. } => {
                detail.clone()
            }
            other => other.to_string(),
        };
        Self::InvalidField {
            field: join_path(field, error.path()),
            detail,
        }
    }

    /// The same error with `prefix` put in front of its field path, for an error found in a
    /// value nested under `prefix` (`elems[0]`, `sender_profile`).
    pub fn within(self, prefix: &str) -> Self {
        match self {
            Self::MissingField { field } => Self::MissingField {
                field: join_path(prefix, &field),
            },
            Self::UnknownEnum {
                field,
                enum_name,
                value,
            } => Self::UnknownEnum {
                field: join_path(prefix, &field),
                enum_name,
                value,
            },
            Self::InvalidField { field, detail } => Self::InvalidField {
                field: join_path(prefix, &field),
                detail,
            },
            other @ (Self::Decode { .. }
            | Self::FrameTooLarge { .. }
            | Self::TruncatedFrame { .. }) => other,
        }
    }
}

impl From<prost::DecodeError> for ProtoError {
    fn from(error: prost::DecodeError) -> Self {
        Self::Decode {
            detail: error.to_string(),
        }
    }
}

impl From<&ProtoError> for crate::v1::Error {
    /// The error as a peer is told about it, e.g. a server refusing a malformed request.
    fn from(error: &ProtoError) -> Self {
        Self {
            code: error.code(),
            desc: error.to_string(),
            current_message: None,
        }
    }
}

/// `outer.inner`, or whichever of the two is not empty; an index (`[2]`) joins without a dot.
fn join_path(outer: &str, inner: &str) -> String {
    if inner.is_empty() {
        outer.to_owned()
    } else if outer.is_empty() {
        inner.to_owned()
    } else if inner.starts_with('[') {
        format!("{outer}{inner}")
    } else {
        format!("{outer}.{inner}")
    }
}

/// Result of tim-proto operations.
pub type Result<T, E = ProtoError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_nest_with_dots_and_indexes() {
        let error = ProtoError::missing("body")
            .within("elems[0]")
            .within("merge.message_array[2]");
        assert_eq!(error.field(), "merge.message_array[2].elems[0].body");
        assert_eq!(
            error.to_string(),
            "merge.message_array[2].elems[0].body: required field is missing"
        );
        assert_eq!(ProtoError::missing("").within("locator").field(), "locator");
    }

    #[test]
    fn codes_follow_the_kind_of_error() {
        assert_eq!(
            ProtoError::missing("x").code(),
            codes::ERR_PARSE_RESPONSE_FAILED
        );
        let too_large = ProtoError::FrameTooLarge {
            len: 2 << 20,
            max: 1 << 20,
        };
        assert_eq!(too_large.code(), codes::ERR_SDK_NET_PKG_SIZE_LIMIT);
        let truncated = ProtoError::TruncatedFrame {
            buffered: 3,
            expected: 4,
        };
        assert_eq!(truncated.code(), codes::ERR_PARSE_RESPONSE_FAILED);
    }

    #[test]
    fn model_errors_keep_their_detail_and_path() {
        let model = ModelError::invalid("conv_id", "bad ID");
        let error = ProtoError::from_model("conversation", &model);
        assert_eq!(error.field(), "conversation.conv_id");
        assert_eq!(error.to_string(), "conversation.conv_id: bad ID");
    }

    #[test]
    fn errors_become_wire_errors_with_their_code() {
        let wire = crate::v1::Error::from(&ProtoError::missing("message"));
        assert_eq!(wire.code, codes::ERR_PARSE_RESPONSE_FAILED);
        assert!(wire.desc.contains("message"), "{}", wire.desc);
    }
}
