//! The local TIMMsg* operations: everything the engine does with the device's own store and
//! search index, without the network.

pub(crate) mod history;
mod messages;
mod read;
mod read_state;
pub(crate) mod search;
mod search_results;

pub use history::{DEFAULT_PAGE, MAX_PAGE};
