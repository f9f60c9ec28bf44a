//! `tim-capi` exports the Tencent Cloud IM (TIM) C SDK message API (`TIMMsgSendMessage`,
//! `TIMMsgGetMsgList`, ... and the session calls) with the exact symbol names, prototypes, JSON
//! and error codes, so an application written against `libImSDK` links this library instead.
//!
//! It is a thin C facade over `tim-rs`: it checks arguments, decodes and encodes JSON with
//! `tim-model`, catches every panic, and dispatches callbacks on one SDK thread in event order.
//! What it must never do: hold domain logic, let a panic cross the C boundary, call a callback
//! after returning an error code, or keep a pointer handed to it past the call.
//!
//! The exports are filled by the "C ABI" issue; until then this crate has no items.
