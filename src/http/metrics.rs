//! Prometheus metrics: requests by route and status, request latency, and the
//! database pools. Each application has its own registry, so tests that build
//! several apps in one process do not mix their counts.

use prometheus::{
    HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder,
};

use crate::infra::db::PoolStats;

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool: IntGaugeVec,
}

impl Metrics {
    pub fn new() -> Self {
        let requests = IntCounterVec::new(
            Opts::new("kindling_http_requests_total", "HTTP requests answered"),
            &["route", "method", "status"],
        )
        .expect("valid metric");
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "kindling_http_request_duration_seconds",
                "Time from receiving a request to answering it",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["route", "method"],
        )
        .expect("valid metric");
        let pool = IntGaugeVec::new(
            Opts::new(
                "kindling_db_pool_connections",
                "Database connections by pool (reader and writer; shared on PostgreSQL, where one pool serves both) and state",
            ),
            &["pool", "state"],
        )
        .expect("valid metric");
        let registry = Registry::new();
        for collector in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(latency.clone()),
            Box::new(pool.clone()),
        ] {
            registry
                .register(collector)
                .expect("metric names are unique");
        }
        Self {
            registry,
            requests,
            latency,
            pool,
        }
    }

    pub fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .with_label_values(&[route, method, status.to_string().as_str()])
            .inc();
        self.latency
            .with_label_values(&[route, method])
            .observe(seconds);
    }

    /// The text exposition, with the pools' states as given (read now).
    pub fn render(&self, pools: &[(&str, PoolStats)]) -> String {
        for (pool, stats) in pools {
            self.pool
                .with_label_values(&[pool, "idle"])
                .set(i64::from(stats.idle));
            self.pool
                .with_label_values(&[pool, "in_use"])
                .set(i64::from(stats.size) - i64::from(stats.idle));
        }
        TextEncoder::new()
            .encode_to_string(&self.registry.gather())
            .expect("metrics encode as text")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}
