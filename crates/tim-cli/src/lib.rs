//! `tim-cli` is the `tim` command line: `tim serve` (run a server), `tim usersig` (mint a
//! UserSig from an app's key), `tim group ...` and `tim chat`.
//!
//! It is a thin facade over `tim-server` and `tim-rs`. What it must never do: hold logic that a
//! library user would also need (that belongs in the library crates).
//!
//! The commands are filled by the "Server and networked engine" issue; until then this crate has
//! no items.
