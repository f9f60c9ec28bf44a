//! TIM enums on the wire: an `int32` holding the enum's TIM number, read back through the
//! model's `from_value` so that a number the enum does not define is refused, not guessed.

use crate::{ProtoError, Result};
use tim_model::enums::{
    AndroidOfflinePushNotifyMode, ConvType, FriendChangeType, GenderType, GroupAddOption,
    GroupMemberRole, GroupMessageReadMembersFilter, GroupReportType, GroupTipGroupChangeFlag,
    GroupTipType, GroupType, ImageLevel, IosOfflinePushType, MsgPriority, MsgStatus,
    OfflinePushFlag, OfflinePushTokenType, Platform, ProfileAddPermission, ProfileChangeType,
    ReceiveMessageOpt,
};

/// A TIM enum that travels as its number in an `int32` field.
///
/// Servers use it to read the enum-typed fields of requests, e.g.
/// `GroupMessageReadMembersFilter::from_wire(request.filter, "filter")`.
pub trait WireEnum: Copy + Sized {
    /// The C name of the enum, for error messages.
    const C_NAME: &'static str;

    /// The variant numbered `value`, or [`ProtoError::UnknownEnum`] naming `field`.
    fn from_wire(value: i32, field: &str) -> Result<Self>;

    /// The variant's number.
    fn to_wire(self) -> i32;
}

macro_rules! wire_enum {
    ($($name:ident),* $(,)?) => {$(
        impl WireEnum for $name {
            const C_NAME: &'static str = $name::C_NAME;

            fn from_wire(value: i32, field: &str) -> Result<Self> {
                $name::from_value(i64::from(value)).ok_or_else(|| ProtoError::UnknownEnum {
                    field: field.to_owned(),
                    enum_name: Self::C_NAME,
                    value,
                })
            }

            fn to_wire(self) -> i32 {
                self.value()
            }
        }
    )*};
}

wire_enum!(
    AndroidOfflinePushNotifyMode,
    ConvType,
    FriendChangeType,
    GenderType,
    GroupAddOption,
    GroupMemberRole,
    GroupMessageReadMembersFilter,
    GroupReportType,
    GroupTipGroupChangeFlag,
    GroupTipType,
    GroupType,
    ImageLevel,
    IosOfflinePushType,
    MsgPriority,
    MsgStatus,
    OfflinePushFlag,
    OfflinePushTokenType,
    Platform,
    ProfileAddPermission,
    ProfileChangeType,
    ReceiveMessageOpt,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_survives_and_unknown_numbers_name_the_field() {
        for (status, _) in MsgStatus::VARIANTS {
            assert_eq!(
                MsgStatus::from_wire(status.to_wire(), "status"),
                Ok(*status)
            );
        }
        let error = MsgStatus::from_wire(0, "status").unwrap_err();
        assert_eq!(error.field(), "status");
        assert_eq!(error.to_string(), "status: 0 is not a TIMMsgStatus value");
        assert_eq!(
            GroupMemberRole::from_wire(300, "member_role"),
            Ok(GroupMemberRole::Admin)
        );
    }
}
