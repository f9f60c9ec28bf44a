//! Real components for tests (feature `testing`): a PostgreSQL server and a nats-server,
//! each started in a temporary directory by the test itself. Never used by the server itself.

pub mod nats;
pub mod postgres;
