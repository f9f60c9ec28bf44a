//! Identity newtypes, validated once when they are made ("parse, don't validate"): code that
//! holds a [`UserId`] never checks it again.

use crate::codes;
use crate::enums::ConvType;
use crate::error::{ModelError, Result};
use crate::json::{JsonValue, Path};
use serde_json::Value;
use std::fmt;

/// Longest user ID, in bytes.
pub const USER_ID_MAX_BYTES: usize = 32;
/// Longest group ID, in bytes.
pub const GROUP_ID_MAX_BYTES: usize = 48;
/// Longest message ID, in bytes: the caller's `message_id_buffer` holds 128 bytes with the NUL.
pub const MESSAGE_ID_MAX_BYTES: usize = 127;

fn is_printable_ascii(text: &str) -> bool {
    text.bytes().all(|b| (0x20..=0x7e).contains(&b))
}

macro_rules! string_id {
    ($(#[$meta:meta])* $name:ident, $check:path) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Validates `id`; `path` names the key or parameter it came from, for the error.
            pub fn parse_at(id: &str, path: &str) -> Result<Self> {
                $check(id, path)?;
                Ok(Self(id.to_owned()))
            }

            /// Validates `id`.
            pub fn new(id: &str) -> Result<Self> {
                Self::parse_at(id, "")
            }

            /// The ID as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The ID as an owned string.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl JsonValue for $name {
            fn from_json(value: &Value, path: &Path<'_>) -> Result<Self> {
                let text = String::from_json(value, path)?;
                Self::parse_at(&text, &path.to_string())
            }

            fn to_json(&self) -> Value {
                Value::String(self.0.clone())
            }
        }
    };
}

fn check_user_id(id: &str, path: &str) -> Result<()> {
    if id.is_empty() || id.len() > USER_ID_MAX_BYTES || !is_printable_ascii(id) {
        return Err(ModelError::limit(
            codes::ERR_SDK_COMM_INVALID_IDENTIFIER,
            path,
            format!(
                "invalid user ID {id:?}: must be 1..={USER_ID_MAX_BYTES} bytes of printable ASCII"
            ),
        ));
    }
    Ok(())
}

fn check_group_id(id: &str, path: &str) -> Result<()> {
    if id.is_empty() || id.len() > GROUP_ID_MAX_BYTES || !is_printable_ascii(id) {
        return Err(ModelError::limit(
            codes::ERR_SDK_GROUP_INVALID_ID,
            path,
            format!(
                "invalid group ID {id:?}: must be 1..={GROUP_ID_MAX_BYTES} bytes of printable ASCII"
            ),
        ));
    }
    Ok(())
}

fn check_message_id(id: &str, path: &str) -> Result<()> {
    if id.is_empty() || id.len() > MESSAGE_ID_MAX_BYTES || id.chars().any(char::is_control) {
        return Err(ModelError::invalid(
            path,
            format!(
                "invalid message ID {id:?}: must be 1..={MESSAGE_ID_MAX_BYTES} bytes without control characters"
            ),
        ));
    }
    Ok(())
}

string_id! {
    /// A user ID (`UserID`, `identifier`): 1..=32 bytes of printable ASCII
    /// (`ERR_SDK_COMM_INVALID_IDENTIFIER`, 7003, otherwise).
    UserId, check_user_id
}

string_id! {
    /// A group ID: 1..=48 bytes of printable ASCII (`ERR_SDK_GROUP_INVALID_ID`, 8501, otherwise).
    GroupId, check_group_id
}

string_id! {
    /// A message ID: opaque, globally unique, 1..=127 bytes so that it fits the caller's
    /// 128-byte `message_id_buffer` with its NUL.
    MessageId, check_message_id
}

/// A conversation: the peer of a one-to-one chat, or a group.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConvId {
    /// One-to-one with this peer.
    C2c(UserId),
    /// This group.
    Group(GroupId),
}

impl ConvId {
    /// The conversation `id` of type `conv_type`, as the C API passes them (`conv_id`,
    /// `conv_type`). Only C2C and group conversations can be addressed.
    pub fn new(conv_type: ConvType, id: &str) -> Result<Self> {
        match conv_type {
            ConvType::C2c => UserId::parse_at(id, "conv_id").map(Self::C2c),
            ConvType::Group => GroupId::parse_at(id, "conv_id").map(Self::Group),
            ConvType::Invalid | ConvType::System => Err(ModelError::invalid(
                "conv_type",
                format!(
                    "conversation type {} cannot be addressed",
                    conv_type.value()
                ),
            )),
        }
    }

    /// The conversation's type.
    pub fn conv_type(&self) -> ConvType {
        match self {
            Self::C2c(_) => ConvType::C2c,
            Self::Group(_) => ConvType::Group,
        }
    }

    /// The peer's user ID or the group ID.
    pub fn id(&self) -> &str {
        match self {
            Self::C2c(user) => user.as_str(),
            Self::Group(group) => group.as_str(),
        }
    }
}

impl fmt::Display for ConvId {
    /// The `c2c_<userID>` / `group_<groupID>` form the newer TIM API uses for conversation IDs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::C2c(user) => write!(f, "c2c_{user}"),
            Self::Group(group) => write!(f, "group_{group}"),
        }
    }
}

/// A message's sequence number in its conversation: the server gives each stored message the
/// next one, so seqs grow by exactly one and a gap is visible. 0 means "none yet".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Seq(pub u64);

impl Seq {
    /// The seq after this one.
    pub fn next(self) -> Self {
        Self(self.0.saturating_add(1))
    }
}

impl fmt::Display for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl JsonValue for Seq {
    fn from_json(value: &Value, path: &Path<'_>) -> Result<Self> {
        u64::from_json(value, path).map(Self)
    }

    fn to_json(&self) -> Value {
        Value::from(self.0)
    }
}

#[cfg(any(test, feature = "arbitrary"))]
mod arbitrary {
    use super::*;
    use proptest::prelude::*;

    macro_rules! arbitrary_id {
        ($name:ident, $regex:literal) => {
            impl crate::arb::ArbField for $name {
                fn strategy() -> BoxedStrategy<Self> {
                    $regex.prop_map(|id: String| $name(id)).boxed()
                }
            }
        };
    }

    impl crate::arb::ArbField for Seq {
        fn strategy() -> BoxedStrategy<Self> {
            any::<u64>().prop_map(Seq).boxed()
        }
    }

    arbitrary_id!(UserId, "[ -~]{1,32}");
    arbitrary_id!(GroupId, "[ -~]{1,48}");
    arbitrary_id!(MessageId, "[0-9a-zA-Z_-]{1,127}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_are_printable_ascii_of_1_to_32_bytes() {
        assert!(UserId::new("user1").is_ok());
        assert!(UserId::new(&"a".repeat(32)).is_ok());
        for bad in ["", "用户", "tab\there", &"a".repeat(33)] {
            assert_eq!(UserId::new(bad).unwrap_err().code(), 7003, "{bad:?}");
        }
    }

    #[test]
    fn group_ids_are_at_most_48_bytes() {
        assert!(GroupId::new(&"g".repeat(48)).is_ok());
        assert_eq!(GroupId::new(&"g".repeat(49)).unwrap_err().code(), 8501);
    }

    #[test]
    fn message_ids_fit_the_128_byte_buffer() {
        assert!(MessageId::new(&"m".repeat(127)).is_ok());
        assert_eq!(MessageId::new(&"m".repeat(128)).unwrap_err().code(), 6017);
        assert_eq!(MessageId::new("a\nb").unwrap_err().code(), 6017);
    }

    #[test]
    fn conversations_need_an_addressable_type() {
        let conv = ConvId::new(ConvType::Group, "team").unwrap();
        assert_eq!(conv.to_string(), "group_team");
        assert_eq!(conv.conv_type(), ConvType::Group);
        assert_eq!(ConvId::new(ConvType::C2c, "").unwrap_err().code(), 7003);
        assert_eq!(ConvId::new(ConvType::System, "x").unwrap_err().code(), 6017);
    }
}
