//! `tim-server` is the tim server: it authenticates clients with a UserSig (Tencent's
//! TLSSigAPIv2 format), keeps per-app accounts and groups, gives every conversation its next
//! seq, stores messages, receipts, extensions, receive options and push tokens, and fans
//! messages out to connected devices over QUIC.
//!
//! Storage sits behind a trait with one conformance suite for every backend (embedded redb by
//! default). What it must never do: depend on the client crates (`tim-core`, `tim-store`,
//! `tim-search`, facades), trust a client-supplied sender, seq or time, or serve a request
//! without checking it against the authenticated user.
//!
//! The server is filled by the "Server and networked engine" issue; until then it has no items.
