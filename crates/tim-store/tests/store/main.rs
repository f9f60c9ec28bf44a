//! Integration tests of tim-store: every test uses a real redb file in a temporary directory.
//! One test binary with one module per concern (so the crash test can re-run this binary as
//! its writer child).

// Helpers outside `#[test]` functions fail loudly too: a test that cannot set up must stop.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod bench;
mod conversations;
mod corruption;
mod crash;
mod journal;
mod messages;
mod paging;
mod ranges;
mod read_state;
mod received;
mod schema;
mod send_queue;
mod unread_prop;
