//! Every enum of this module in one list, with its C name and C enumerators: what the C
//! header (`cargo xtask header`) is generated from. A test checks that the list names every
//! enum the `tim_enum!` macro makes, so a new enum cannot be left out of the header.

use super::*;

/// One C enum: its name and its enumerators with their numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CEnum {
    /// The C enum name (`TIMConvType`).
    pub c_name: &'static str,
    /// Every enumerator with its number, in declaration order.
    pub variants: &'static [(&'static str, i32)],
}

/// `CEnum` entries for the listed enums.
macro_rules! entries {
    ($($name:ident),* $(,)?) => {
        &[$(CEnum { c_name: $name::C_NAME, variants: $name::C_VARIANTS }),*]
    };
}

/// Every `tim_enum!` enum, in declaration order (conversation and message enums, then group).
pub const ALL_ENUMS: &[CEnum] = entries![
    ConvType,
    ElemType,
    MsgStatus,
    MsgPriority,
    Platform,
    ImageLevel,
    DownloadType,
    ReceiveMessageOpt,
    KeywordListMatchType,
    GroupMessageReadMembersFilter,
    OfflinePushFlag,
    AndroidOfflinePushNotifyMode,
    IosOfflinePushType,
    OfflinePushTokenType,
    LoginStatus,
    NetworkStatus,
    LogLevel,
    GroupTipType,
    GroupTipGroupChangeFlag,
    GroupReportType,
    GroupMemberRole,
    GroupType,
    GroupAddOption,
    ProfileChangeType,
    FriendChangeType,
    GenderType,
    ProfileAddPermission,
    ConvEvent,
    ConversationMarkType,
    GroupAtType,
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The number of `tim_enum!` invocations in this module's sources.
    fn macro_uses() -> usize {
        [
            include_str!("mod.rs"),
            include_str!("group.rs"),
            include_str!("conversation.rs"),
        ]
        .iter()
        .map(|source| {
            source
                .lines()
                .filter(|line| line.trim_start().starts_with("tim_enum! {"))
                .count()
        })
        .sum()
    }

    #[test]
    fn the_registry_lists_every_enum_once() {
        assert_eq!(
            ALL_ENUMS.len(),
            macro_uses(),
            "add the new enum to ALL_ENUMS"
        );
        let mut names: Vec<_> = ALL_ENUMS.iter().map(|e| e.c_name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL_ENUMS.len(), "an enum is listed twice");
    }

    #[test]
    fn entries_carry_the_enums_own_numbers() {
        let conv = ALL_ENUMS.iter().find(|e| e.c_name == "TIMConvType");
        assert_eq!(
            conv.map(|e| e.variants),
            Some(
                &[
                    ("kTIMConv_Invalid", 0),
                    ("kTIMConv_C2C", 1),
                    ("kTIMConv_Group", 2),
                    ("kTIMConv_System", 3)
                ][..]
            )
        );
        for (variant, name) in ElemType::VARIANTS {
            assert!(ElemType::C_VARIANTS.contains(&(*name, variant.value())));
        }
    }
}
