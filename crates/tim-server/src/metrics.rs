//! What the server counts, for Prometheus: one registry per process (every server of the
//! process adds to the same series), exposed by `admin` on `/metrics` in Prometheus's text
//! format (the `prometheus` crate's encoder).
//!
//! Counting never fails a request: a metric that cannot be registered is left out of the
//! registry and still counts (into nothing).

use prometheus::{
    Histogram, HistogramOpts, IntCounter, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};
use std::sync::OnceLock;

/// Every metric of the server.
pub(crate) struct Metrics {
    registry: Registry,
    /// Connections open now.
    pub connections: IntGauge,
    /// Connections refused at the door (caps, handshake limit).
    pub connections_refused: IntCounter,
    /// Login attempts by result: `ok` or the TIM code.
    pub logins: IntCounterVec,
    /// Requests by kind.
    pub requests: IntCounterVec,
    /// Sends answered by an ack.
    pub acks: IntCounter,
    /// Seconds from a send's arrival to its answer.
    pub send_to_ack: Histogram,
    /// Operations per storage commit.
    pub commit_ops: Histogram,
    /// Seconds per storage commit.
    pub commit_seconds: Histogram,
    /// Write requests waiting for the writer.
    pub write_queue: IntGauge,
    /// Storage failures (a commit or a read).
    pub storage_errors: IntCounter,
    /// Requests refused by a rate limit, by limit.
    pub rate_limited: IntCounterVec,
    /// Events published on the cluster bus.
    pub bus_published: IntCounter,
    /// Events dropped before publishing (queue full or bus down).
    pub bus_dropped: IntCounter,
    /// Events received from other nodes.
    pub bus_received: IntCounter,
    /// Seconds from another node's publish to this node's receipt.
    pub bus_lag: Histogram,
    /// Other nodes heard from recently.
    pub bus_nodes: IntGauge,
}

/// Counts an open connection for as long as it lives.
pub(crate) struct OpenConnection(());

impl OpenConnection {
    /// One more connection open.
    pub fn new() -> Self {
        get().connections.inc();
        Self(())
    }
}

impl Drop for OpenConnection {
    fn drop(&mut self) {
        get().connections.dec();
    }
}

/// The process's metrics.
pub(crate) fn get() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(Metrics::new)
}

/// Latency buckets, seconds: 0.5 ms to 10 s.
const SECONDS: &[f64] = &[
    0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0,
];

impl Metrics {
    fn new() -> Self {
        let registry =
            Registry::new_custom(Some("tim".into()), None).unwrap_or_else(|_| Registry::new());
        let counter = |name: &str, help: &str| {
            let metric = IntCounter::new(name, help).unwrap_or_else(|_| fallback_counter());
            let _ = registry.register(Box::new(metric.clone()));
            metric
        };
        let gauge = |name: &str, help: &str| {
            let metric = IntGauge::new(name, help).unwrap_or_else(|_| fallback_gauge());
            let _ = registry.register(Box::new(metric.clone()));
            metric
        };
        let counters = |name: &str, help: &str, label: &str| {
            let metric = IntCounterVec::new(Opts::new(name, help), &[label])
                .unwrap_or_else(|_| fallback_counters());
            let _ = registry.register(Box::new(metric.clone()));
            metric
        };
        let histogram = |name: &str, help: &str, buckets: Vec<f64>| {
            let metric = Histogram::with_opts(HistogramOpts::new(name, help).buckets(buckets))
                .unwrap_or_else(|_| fallback_histogram());
            let _ = registry.register(Box::new(metric.clone()));
            metric
        };
        Self {
            connections: gauge("connections", "Client connections open now."),
            connections_refused: counter(
                "connections_refused_total",
                "Connections refused by the connection caps.",
            ),
            logins: counters(
                "logins_total",
                "Login attempts by result (ok or TIM code).",
                "result",
            ),
            requests: counters(
                "requests_total",
                "Requests of logged-in clients by kind.",
                "kind",
            ),
            acks: counter("acks_total", "Sends acknowledged."),
            send_to_ack: histogram(
                "send_to_ack_seconds",
                "Seconds from a send's arrival to its answer.",
                SECONDS.to_vec(),
            ),
            commit_ops: histogram(
                "commit_ops",
                "Write operations per storage commit.",
                vec![1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0],
            ),
            commit_seconds: histogram(
                "commit_seconds",
                "Seconds per storage commit.",
                SECONDS.to_vec(),
            ),
            write_queue: gauge("write_queue", "Write requests waiting for the writer."),
            storage_errors: counter("storage_errors_total", "Storage failures."),
            rate_limited: counters(
                "rate_limited_total",
                "Requests refused by a rate limit, by limit.",
                "limit",
            ),
            bus_published: counter("bus_published_total", "Events published on the bus."),
            bus_dropped: counter(
                "bus_dropped_total",
                "Events dropped before publishing (queue full or bus down).",
            ),
            bus_received: counter("bus_received_total", "Events received from other nodes."),
            bus_lag: histogram(
                "bus_lag_seconds",
                "Seconds from another node's publish to this node's receipt.",
                SECONDS.to_vec(),
            ),
            bus_nodes: gauge("bus_nodes", "Other nodes heard from recently."),
            registry,
        }
    }

    /// Every metric in Prometheus's text format.
    pub fn render(&self) -> String {
        TextEncoder::new()
            .encode_to_string(&self.registry.gather())
            .unwrap_or_default()
    }
}

// Metrics that cannot fail to build (fixed valid names), for the impossible case that a
// configured one is refused.
fn fallback_counter() -> IntCounter {
    IntCounter::new("unregistered", "unregistered").unwrap_or_else(|_| fallback_counter())
}

fn fallback_gauge() -> IntGauge {
    IntGauge::new("unregistered", "unregistered").unwrap_or_else(|_| fallback_gauge())
}

fn fallback_counters() -> IntCounterVec {
    IntCounterVec::new(Opts::new("unregistered", "unregistered"), &["label"])
        .unwrap_or_else(|_| fallback_counters())
}

fn fallback_histogram() -> Histogram {
    Histogram::with_opts(HistogramOpts::new("unregistered", "unregistered"))
        .unwrap_or_else(|_| fallback_histogram())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_renders_every_metric_with_the_tim_prefix() {
        let metrics = get();
        metrics.acks.inc();
        metrics.logins.with_label_values(&["ok"]).inc();
        metrics.send_to_ack.observe(0.003);
        let text = metrics.render();
        for name in [
            "tim_connections",
            "tim_acks_total",
            "tim_logins_total{result=\"ok\"}",
            "tim_send_to_ack_seconds_bucket",
            "tim_commit_seconds_count",
            "tim_bus_lag_seconds_count",
        ] {
            assert!(text.contains(name), "{name} missing from:\n{text}");
        }
    }
}
