//! Every enum of the TIM message API with its exact numbers and C enumerator names
//! (`docs/spec/enums.md`; a test checks each variant against that file).
//!
//! In JSON an enum is its number. Decoding refuses a number the enum does not define with
//! `ERR_INVALID_PARAMETERS` naming the key, because silently mapping it to some variant could
//! turn, say, an unknown status into "sent".

use crate::error::{ModelError, Result};
use crate::json::{JsonValue, Path};
use serde_json::Value;

macro_rules! tim_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident = $c_name:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal => $c_variant:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        #[repr(i32)]
        pub enum $name {
            $( $(#[$vmeta])* $variant = $value, )*
        }

        impl $name {
            /// The name of the C enum.
            pub const C_NAME: &'static str = $c_name;

            /// Every variant with its C enumerator name, in declaration order.
            pub const VARIANTS: &'static [(Self, &'static str)] = &[$((Self::$variant, $c_variant)),*];

            /// Every C enumerator name with its number, in declaration order (for the C header).
            pub const C_VARIANTS: &'static [(&'static str, i32)] = &[$(($c_variant, $value)),*];

            /// The TIM number of this variant.
            pub fn value(self) -> i32 {
                self as i32
            }

            /// The variant with TIM number `value`, if the enum defines one.
            pub fn from_value(value: i64) -> Option<Self> {
                match value {
                    $( $value => Some(Self::$variant), )*
                    _ => None,
                }
            }
        }

        impl JsonValue for $name {
            fn from_json(value: &Value, path: &Path<'_>) -> Result<Self> {
                let number = crate::json::integer(value, path)?;
                i64::try_from(number).ok().and_then(Self::from_value).ok_or_else(|| {
                    ModelError::invalid(
                        path.to_string(),
                        format!("{number} is not a {} value", $c_name),
                    )
                })
            }

            fn to_json(&self) -> Value {
                Value::from(self.value())
            }
        }

        #[cfg(any(test, feature = "arbitrary"))]
        impl $crate::arb::ArbField for $name {
            fn strategy() -> proptest::strategy::BoxedStrategy<Self> {
                use proptest::strategy::Strategy;
                proptest::sample::select(
                    Self::VARIANTS.iter().map(|(variant, _)| *variant).collect::<Vec<_>>(),
                )
                .boxed()
            }
        }
    };
}

mod conversation;
mod group;
mod registry;
pub use conversation::*;
pub use group::*;
pub use registry::{ALL_ENUMS, CEnum};

tim_enum! {
    /// Conversation type.
    pub enum ConvType = "TIMConvType" {
        /// Invalid; in a search, "all conversations".
        #[default]
        Invalid = 0 => "kTIMConv_Invalid",
        /// One-to-one.
        C2c = 1 => "kTIMConv_C2C",
        /// Group.
        Group = 2 => "kTIMConv_Group",
        /// System (group-report messages).
        System = 3 => "kTIMConv_System",
    }
}

tim_enum! {
    /// Message element type (`elem_type`).
    pub enum ElemType = "TIMElemType" {
        /// Text.
        #[default]
        Text = 0 => "kTIMElem_Text",
        /// Image.
        Image = 1 => "kTIMElem_Image",
        /// Voice.
        Sound = 2 => "kTIMElem_Sound",
        /// Custom payload.
        Custom = 3 => "kTIMElem_Custom",
        /// File.
        File = 4 => "kTIMElem_File",
        /// Group tips (server-generated; not sendable).
        GroupTips = 5 => "kTIMElem_GroupTips",
        /// Emoji/face.
        Face = 6 => "kTIMElem_Face",
        /// Location.
        Location = 7 => "kTIMElem_Location",
        /// Group system notification (server-generated; not sendable).
        GroupReport = 8 => "kTIMElem_GroupReport",
        /// Video.
        Video = 9 => "kTIMElem_Video",
        /// Relationship change.
        FriendChange = 10 => "kTIMElem_FriendChange",
        /// Profile change.
        ProfileChange = 11 => "kTIMElem_ProfileChange",
        /// Merged (forwarded) messages.
        Merge = 12 => "kTIMElem_Merge",
        /// Unknown.
        Invalid = -1 => "kTIMElem_Invalid",
    }
}

tim_enum! {
    /// Message state.
    pub enum MsgStatus = "TIMMsgStatus" {
        /// Being sent.
        #[default]
        Sending = 1 => "kTIMMsg_Sending",
        /// Sent.
        SendSucc = 2 => "kTIMMsg_SendSucc",
        /// Send failed.
        SendFail = 3 => "kTIMMsg_SendFail",
        /// Deleted.
        Deleted = 4 => "kTIMMsg_Deleted",
        /// Imported locally.
        LocalImported = 5 => "kTIMMsg_LocalImported",
        /// Revoked.
        Revoked = 6 => "kTIMMsg_Revoked",
        /// Send cancelled.
        Cancel = 7 => "kTIMMsg_Cancel",
    }
}

tim_enum! {
    /// Delivery priority; a larger number is a lower priority.
    pub enum MsgPriority = "TIMMsgPriority" {
        /// Highest (gifts, red packets).
        High = 0 => "kTIMMsgPriority_High",
        /// Normal chat.
        #[default]
        Normal = 1 => "kTIMMsgPriority_Normal",
        /// Low (likes).
        Low = 2 => "kTIMMsgPriority_Low",
        /// Lowest (join/leave notices).
        Lowest = 3 => "kTIMMsgPriority_Lowest",
    }
}

tim_enum! {
    /// Sender platform.
    pub enum Platform = "TIMPlatform" {
        /// Other.
        #[default]
        Other = 0 => "kTIMPlatform_Other",
        /// Windows.
        Windows = 1 => "kTIMPlatform_Windows",
        /// Android.
        Android = 2 => "kTIMPlatform_Android",
        /// iOS.
        Ios = 3 => "kTIMPlatform_IOS",
        /// macOS.
        Mac = 4 => "kTIMPlatform_Mac",
        /// iOS simulator.
        Simulator = 5 => "kTIMPlatform_Simulator",
    }
}

tim_enum! {
    /// Image compression level for sending.
    pub enum ImageLevel = "TIMImageLevel" {
        /// Send the original.
        Orig = 0 => "kTIMImageLevel_Orig",
        /// High compression (smaller; the default).
        #[default]
        Compression = 1 => "kTIMImageLevel_Compression",
        /// High definition.
        Hd = 2 => "kTIMImageLevel_HD",
    }
}

tim_enum! {
    /// What `TIMMsgDownloadElemToPath` downloads.
    pub enum DownloadType = "TIMDownloadType" {
        /// A video's snapshot.
        #[default]
        VideoThumb = 0 => "kTIMDownload_VideoThumb",
        /// A file.
        File = 1 => "kTIMDownload_File",
        /// A video.
        Video = 2 => "kTIMDownload_Video",
        /// A voice message.
        Sound = 3 => "kTIMDownload_Sound",
    }
}

tim_enum! {
    /// How messages of a conversation are received and pushed.
    pub enum ReceiveMessageOpt = "TIMReceiveMessageOpt" {
        /// Receive online; push offline.
        #[default]
        Receive = 0 => "kTIMRecvMsgOpt_Receive",
        /// Do not receive; no push.
        NotReceive = 1 => "kTIMRecvMsgOpt_Not_Receive",
        /// Receive online; no offline push.
        NotNotify = 2 => "kTIMRecvMsgOpt_Not_Notify",
        /// Receive online; offline push only for @-mentions.
        NotNotifyExceptAt = 3 => "kTIMRecvMsgOpt_Not_Notify_Except_At",
        /// Receive only @-mentions, online and offline.
        NotReceiveExceptAt = 4 => "kTIMRecvMsgOpt_Not_Receive_Except_At",
    }
}

tim_enum! {
    /// How the keywords of a search combine.
    pub enum KeywordListMatchType = "TIMKeywordListMatchType" {
        /// Any keyword matches (the default).
        #[default]
        Or = 0 => "TIMKeywordListMatchType_Or",
        /// All keywords must match.
        And = 1 => "TIMKeywordListMatchType_And",
    }
}

tim_enum! {
    /// Which members `TIMMsgGetGroupMessageReadMemberList` lists.
    pub enum GroupMessageReadMembersFilter = "TIMGroupMessageReadMembersFilter" {
        /// Members who read the message.
        #[default]
        Read = 0 => "TIM_GROUP_MESSAGE_READ_MEMBERS_FILTER_READ",
        /// Members who have not.
        Unread = 1 => "TIM_GROUP_MESSAGE_READ_MEMBERS_FILTER_UNREAD",
    }
}

tim_enum! {
    /// Offline push on or off for one message.
    pub enum OfflinePushFlag = "TIMOfflinePushFlag" {
        /// Push by the default rules.
        #[default]
        Default = 0 => "kTIMOfflinePushFlag_Default",
        /// Do not push.
        NoPush = 1 => "kTIMOfflinePushFlag_NoPush",
    }
}

tim_enum! {
    /// What tapping an Android notification does.
    pub enum AndroidOfflinePushNotifyMode = "TIMAndroidOfflinePushNotifyMode" {
        /// Opens the app.
        #[default]
        Normal = 0 => "kTIMAndroidOfflinePushNotifyMode_Normal",
        /// Calls the app's callback.
        Custom = 1 => "kTIMAndroidOfflinePushNotifyMode_Custom",
    }
}

tim_enum! {
    /// iOS push channel.
    pub enum IosOfflinePushType = "TIMIOSOfflinePushType" {
        /// APNs.
        #[default]
        Apns = 0 => "TIMIOSOfflinePushType_APNS",
        /// VoIP.
        Voip = 1 => "TIMIOSOfflinePushType_VOIP",
    }
}

tim_enum! {
    /// Kind of device push token.
    pub enum OfflinePushTokenType = "TIMOfflinePushTokenType" {
        /// Vendor or APNs token.
        #[default]
        Default = 0 => "TIMOfflinePushTokenType_Default",
        /// TPNS token (being retired).
        Tpns = 1 => "TIMOfflinePushTokenType_TPNS",
        /// VoIP token.
        Voip = 2 => "TIMOfflinePushTokenType_VOIP",
    }
}

tim_enum! {
    /// Login state (`TIMGetLoginStatus`).
    pub enum LoginStatus = "TIMLoginStatus" {
        /// Logged in.
        Logined = 1 => "kTIMLoginStatus_Logined",
        /// Logging in.
        Logining = 2 => "kTIMLoginStatus_Logining",
        /// Not logged in.
        #[default]
        UnLogined = 3 => "kTIMLoginStatus_UnLogined",
        /// Logging out.
        Logouting = 4 => "kTIMLoginStatus_Logouting",
    }
}

tim_enum! {
    /// Network state reported to the network-status callback.
    pub enum NetworkStatus = "TIMNetworkStatus" {
        /// Connected.
        Connected = 0 => "kTIMConnected",
        /// Disconnected.
        #[default]
        Disconnected = 1 => "kTIMDisconnected",
        /// Connecting.
        Connecting = 2 => "kTIMConnecting",
        /// The connection attempt failed.
        ConnectFailed = 3 => "kTIMConnectFailed",
    }
}

tim_enum! {
    /// Log level.
    pub enum LogLevel = "TIMLogLevel" {
        /// No logs.
        Off = 0 => "kTIMLog_Off",
        /// Test.
        Test = 1 => "kTIMLog_Test",
        /// Verbose.
        Verbose = 2 => "kTIMLog_Verbose",
        /// Debug.
        Debug = 3 => "kTIMLog_Debug",
        /// Info.
        #[default]
        Info = 4 => "kTIMLog_Info",
        /// Warning.
        Warn = 5 => "kTIMLog_Warn",
        /// Error.
        Error = 6 => "kTIMLog_Error",
        /// Assert.
        Assert = 7 => "kTIMLog_Assert",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_and_unknown_numbers_are_refused() {
        assert_eq!(ConvType::from_value(2), Some(ConvType::Group));
        assert_eq!(ElemType::from_value(-1), Some(ElemType::Invalid));
        assert_eq!(MsgStatus::from_value(0), None);
        let err = MsgStatus::from_json(&Value::from(9), &Path::Root).unwrap_err();
        assert_eq!(err.code(), 6017);
        assert!(err.to_string().contains("TIMMsgStatus"), "{err}");
        assert_eq!(MsgPriority::default(), MsgPriority::Normal);
        assert_eq!(ElemType::Merge.to_json(), Value::from(12));
    }
}
