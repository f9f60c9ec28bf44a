//! Receive options.
