//! The conversation list (`TIMConv*`): what the device shows and how it follows changes.
//!
//! - [`list`]: the sans-I/O rules (which conversations show, what they show, order, filters,
//!   paging, unread totals).
//! - `local`: the [`Engine`](crate::Engine) side: rows from the store and the attributes,
//!   drafts and profiles the device keeps.
//! - `watch`: the task that turns message, read and attribute events into conversation events
//!   ([`Event::Conversations`](crate::Event::Conversations)) and total-unread changes.
//! - The network side (`Client::update_conversations`, the sync after each connect, the
//!   pushes) lives in the `net` module with the rest of the protocol.
//!
//! Pins, marks, custom data, conversation groups and deletions are kept by the server per
//! user and reach every device (docs/protocol.md); drafts stay on the device.

pub mod list;
mod local;
pub(crate) mod watch;

pub use list::ConvRow;
pub use local::Applied;
