//! Support of the crash test: `tim serve` as a killable child process, a raw wire client,
//! the load, the ledger of what the server acknowledged, and the checks.
#![allow(dead_code, missing_docs)]

pub mod check;
pub mod rng;
pub mod serve;
pub mod sweep;
pub mod wire;
pub mod workload;
