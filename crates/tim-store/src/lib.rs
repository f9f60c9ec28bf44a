//! `tim-store` is the client's local database, built on redb.
//!
//! It will hold, per logged-in user: messages of every conversation in display order with an
//! index by message ID and by locator, conversations with their unread count and read position,
//! receive options, local custom data, the durable send queue, and which seq ranges of each
//! conversation are held locally (so the engine can tell a gap from the start of history).
//!
//! What it must never do: talk to the network, know about the search index, or panic on a record
//! it cannot decode (such a record is skipped and reported). Every write is one transaction, so a
//! killed process loses no committed message and leaves no half-written one.
//!
//! The store is filled by the "Local engine" issue; until then this crate has no items.
