//! `tim-rs` is the idiomatic async Rust API of tim: `Client`, conversations, messages and an
//! event stream, typed with the `tim-model` types.
//!
//! It is a thin facade over `tim-core`. What it must never do: hold business logic (that lives in
//! `tim-core`), or own a runtime (callers bring their own tokio runtime).
//!
//! The facade is filled once `tim-core` has an engine; until then this crate has no items.
