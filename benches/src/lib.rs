//! Benchmarks live in `benches/benches/`; this library only holds shared data generators.
