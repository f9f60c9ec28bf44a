//! Real components for tests (feature `testing`): a PostgreSQL server started in a temporary
//! directory. Never used by the server itself.

pub mod postgres;
