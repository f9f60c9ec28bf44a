//! The C enum types of the prototypes (functions.md), as `c_int` aliases named exactly like
//! the C enums. The exports take them as plain integers (a Rust enum receiving an
//! out-of-range `int` from C would be undefined behaviour) and check the value themselves;
//! the names let `cargo xtask header` print `enum TIMConvType conv_type` where the Rust
//! signature says `conv_type: TIMConvType`.

use std::ffi::c_int;

/// `enum TIMConvType` (`tim_model::enums::ConvType`).
pub type TIMConvType = c_int;
/// `enum TIMReceiveMessageOpt` (`tim_model::enums::ReceiveMessageOpt`).
pub type TIMReceiveMessageOpt = c_int;
/// `enum TIMGroupMessageReadMembersFilter` (`tim_model::enums::GroupMessageReadMembersFilter`).
pub type TIMGroupMessageReadMembersFilter = c_int;
/// `enum TIMLoginStatus` (`tim_model::enums::LoginStatus`), what `TIMGetLoginStatus` returns.
pub type TIMLoginStatus = c_int;
/// `enum TIMNetworkStatus` (`tim_model::enums::NetworkStatus`), the network-status callback's
/// first argument.
pub type TIMNetworkStatus = c_int;
/// `enum TIMLogLevel` (`tim_model::enums::LogLevel`), the log callback's first argument.
pub type TIMLogLevel = c_int;
/// `enum TIMConvEvent` (`tim_model::enums::ConvEvent`), the conversation event's first
/// argument.
pub type TIMConvEvent = c_int;
