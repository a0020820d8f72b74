//! Probes and metrics for operators, outside `/v1`.

use std::time::Duration;

use poem::web::Data;
use poem_openapi::{ApiResponse, OpenApi, payload::PlainText};

use super::ApiTag;
use crate::{
    http::{
        problem::{
            ApiError, Problem,
            status::{NOT_FOUND, SERVICE_UNAVAILABLE, UNAUTHORIZED},
        },
        scrape::MetricsAuth,
        state::AppState,
    },
    infra::db::pool_stats,
};

/// How long readiness waits for the database.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Default)]
pub struct OperationsApi;

#[derive(ApiResponse)]
pub enum Probe {
    /// `ok`.
    #[oai(status = 200)]
    Ok(PlainText<&'static str>),
}

#[derive(ApiResponse)]
pub enum MetricsResponse {
    /// Prometheus text exposition format 0.0.4.
    #[oai(status = 200, content_type = "text/plain; version=0.0.4")]
    Ok(PlainText<String>),
}

#[OpenApi(tag = "ApiTag::Operations")]
impl OperationsApi {
    /// Liveness
    ///
    /// 200 while the process runs; it checks nothing else.
    #[oai(path = "/healthz", method = "get", operation_id = "healthz")]
    async fn healthz(&self) -> Probe {
        Probe::Ok(PlainText("ok"))
    }

    /// Readiness
    ///
    /// 200 when the database answers within 2 seconds, 503 `unavailable`
    /// otherwise: take the instance out of the load balancer.
    #[oai(path = "/readyz", method = "get", operation_id = "readyz")]
    async fn readyz(&self, state: Data<&AppState>) -> Result<Probe, Problem<SERVICE_UNAVAILABLE>> {
        let unavailable = |detail: String| {
            tracing::warn!(%detail, "not ready");
            ApiError::new(
                poem::http::StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The database does not answer.",
            )
        };
        match tokio::time::timeout(READY_TIMEOUT, state.reader.ping()).await {
            Ok(Ok(())) => Ok(Probe::Ok(PlainText("ok"))),
            Ok(Err(error)) => Err(unavailable(error.to_string()).into()),
            Err(_) => Err(unavailable("timed out".to_owned()).into()),
        }
    }

    /// Metrics
    ///
    /// Requests by route and status, request latency, and database pool
    /// connections, in Prometheus text format, for a scraper that sends the
    /// operator's metrics token (401 without it). While
    /// `KINDLING_METRICS_TOKEN` is not set, no token opens it (404).
    #[oai(path = "/metrics", method = "get", operation_id = "metrics")]
    async fn metrics(
        &self,
        _scraper: MetricsAuth,
        state: Data<&AppState>,
    ) -> Result<MetricsResponse, Problem<{ UNAUTHORIZED | NOT_FOUND }>> {
        let reader = pool_stats(&state.reader);
        let pools = if state.shared_pool {
            vec![("shared", reader)]
        } else {
            vec![("reader", reader), ("writer", state.writer.stats())]
        };
        Ok(MetricsResponse::Ok(PlainText(state.metrics.render(&pools))))
    }
}
