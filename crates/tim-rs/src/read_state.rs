//! Read reports and read receipts.
