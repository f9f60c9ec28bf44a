//! `tim-capi` exports the Tencent Cloud IM (TIM) C SDK message API (`TIMMsgSendMessage`,
//! `TIMMsgGetMsgList`, ... and the session calls) with the exact symbol names, prototypes, JSON
//! and error codes, so an application written against `libImSDK` links this library instead.
//!
//! It is a thin C facade over `tim-rs`: it checks arguments, decodes and encodes JSON with
//! `tim-model`, catches every panic, and dispatches callbacks on one SDK thread in event order.
//! What it must never do: hold domain logic, let a panic cross the C boundary, call a callback
//! after returning an error code, or keep a pointer handed to it past the call.
//!
//! Exported so far: the session calls (`TIMInit`, `TIMUninit`, `TIMGetSDKVersion`,
//! `TIMGetServerTime`, `TIMLogin`, `TIMLogout`, `TIMGetLoginUserID`, `TIMGetLoginStatus`), the
//! callback setters `TIMAddRecvNewMsgCallback`, `TIMRemoveRecvNewMsgCallback` and
//! `TIMSetNetworkStatusListenerCallback`, `TIMMsgSendMessage`; the message calls
//! `TIMMsgSendNewMsg`, `TIMMsgCancelSend`, `TIMMsgReportReaded`, `TIMMsgMarkAllMessageAsRead`,
//! `TIMMsgRevoke`, `TIMMsgModifyMessage`, `TIMMsgGetMsgList`, `TIMMsgDelete`,
//! `TIMMsgListDelete`, `TIMMsgClearHistoryMessage`, `TIMMsgBatchSend` ([`message_ops`]) and
//! `TIMMsgFindMessages`, `TIMMsgFindByMsgLocatorList`, `TIMMsgImportMsgList`, `TIMMsgSaveMsg`,
//! `TIMMsgSetLocalCustomData`, `TIMMsgSearchLocalMessages` ([`local_ops`]); the event callback
//! setters `TIMSetMsgRevokeCallback`, `TIMSetMsgUpdateCallback`,
//! `TIMSetMsgReadedReceiptCallback`, `TIMSetMsgExtensionsChangedCallback`,
//! `TIMSetMsgExtensionsDeletedCallback`, `TIMSetKickedOfflineCallback`,
//! `TIMSetUserSigExpiredCallback`, `TIMSetLogCallback` and
//! `TIMSetMsgElemUploadProgressCallback` ([`events`]); the lifecycle calls
//! `TIMMsgSet/GetC2CReceiveMessageOpt`, `TIMMsgSetGroupReceiveMessageOpt`,
//! `TIMMsgSendMessageReadReceipts`, `TIMMsgGetMessageReadReceipts`,
//! `TIMMsgGetGroupMessageReadMemberList` and `TIMMsgSet/Get/DeleteMessageExtensions`
//! ([`lifecycle_ops`]); `TIMMsgDownloadElemToPath`, `TIMMsgDownloadMergerMessage`,
//! `TIMMsgTranslateText`, `TIMMsgSetOfflinePushToken`, `TIMMsgDoBackground` and
//! `TIMMsgDoForeground` ([`media_ops`]).
//! With them all 33 `TIMMsg*` functions of functions.md §5 are exported. `TIMSetConfig`
//! ([`config`]) and the log forwarding to `TIMSetLogCallback` ([`log`]) complete the session
//! calls.
//!
//! # The header: `include/TIMCloud.h`
//! Generated from this crate's sources by `cargo xtask header` (and checked in; a test fails
//! when it is stale): every export's prototype, the callback typedefs, tim-model's enums,
//! error codes and JSON key constants. Enum parameters are `c_int` aliases named like the C
//! enum ([`ctypes`]), so the header prints `enum TIMConvType conv_type` while Rust never
//! receives an out-of-range enum. `TIMManager.h` and Tencent's other header names include it.
//!
//! # Layout
//! - [`ffi`]: the panic guard, C string reading, callback types: the repeated part of every
//!   export, so each export reads as its signature plus one call.
//! - [`runtime`]: the global state between `TIMInit` and `TIMUninit` (tokio runtime, SDK
//!   thread, client). [`dispatch`]: the SDK thread every callback runs on.
//! - [`events`]: registered event callbacks and the forwarding of `tim-rs` events.
//! - [`session`], [`message`], [`message_ops`], [`local_ops`], [`lifecycle_ops`],
//!   [`media_ops`]: the exports;
//!   [`call`]: the repeated part of the `TIMMsg*` exports (checks, JSON decoding, one callback
//!   per call).
//!
//! # The library file: `libImSDK.so`
//! Cargo builds `libtim_capi.so` (cdylib) and `libtim_capi.a` (staticlib) into
//! `target/<profile>/`. Apps load `libImSDK.so`, so the build step that ships the library
//! copies `libtim_capi.so` to `libImSDK.so` beside it (the C tests do exactly this before
//! linking with `-lImSDK`; see `tests/c_abi.rs`); `cargo xtask sdk [--release]` is that step
//! for shipping: it lays out `target/<profile>/sdk/lib/libImSDK.so`, `lib/libImSDK.a` and
//! `include/*.h`. We do not rename the crate's library
//! (`[lib] name = "ImSDK"`): a non-snake-case crate name would leak into every Rust user and
//! test, and the copy is one honest, visible step. The `SONAME` is unset, so the copy loads
//! under its own name.

pub mod call;
pub mod config;
pub mod conv_events;
pub mod conversation_groups;
pub mod conversation_ops;
pub mod ctypes;
pub mod dispatch;
pub mod events;
pub mod experimental;
pub mod ffi;
pub mod lifecycle_ops;
pub mod local_ops;
pub mod log;
pub mod media_ops;
pub mod message;
pub mod message_ops;
pub mod profile_ops;
pub mod runtime;
pub mod session;
pub mod setters;
