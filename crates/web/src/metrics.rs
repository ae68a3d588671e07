//! `/metrics` in the Prometheus text format: requests by route, method and status with their
//! latency, evaluations and scorecard cache hits (recorded in `cncl-app`), the database pool
//! and the job queue. Readable only from the configured addresses, or with the token.

use std::net::{IpAddr, SocketAddr};
use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

use crate::AppState;

/// Latency buckets in seconds: a page in milliseconds, an evaluation at national scale in
/// seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

/// The process's recorder, installed on first use; `None` if another was installed first.
fn recorder() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE.get_or_init(|| PrometheusBuilder::new().set_buckets(&BUCKETS).ok()?.install_recorder().ok()).as_ref()
}

/// Start recording (at router construction, so the first request is counted).
pub fn install() {
    if recorder().is_none() {
        tracing::warn!("another metrics recorder is installed: /metrics will answer 503");
    }
}

/// Count every request by its route (the pattern, never the path: ids would make a series
/// per record), method and status, and time it.
pub async fn count_requests(request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_owned();
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!("cncl_http_requests_total", "route" => route.clone(), "method" => method, "status" => status)
        .increment(1);
    metrics::histogram!("cncl_http_request_duration_seconds", "route" => route).record(started.elapsed().as_secs_f64());
    response
}

fn allowed(state: &AppState, peer: Option<IpAddr>, headers: &HeaderMap) -> bool {
    let access = &state.config.metrics;
    let bearer =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if let (Some(expected), Some(given)) = (&access.token, bearer)
        && crate::auth::constant_time_eq(expected.as_bytes(), given.trim().as_bytes())
    {
        return true;
    }
    crate::client::client_address(peer, headers, &state.config.trusted_proxies)
        .is_some_and(|c| access.allow.contains(&c))
}

/// The figures, in the Prometheus text format.
#[utoipa::path(get, path = "/metrics", tag = "operations", operation_id = "metrics",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain"),
              (status = 403, description = "Not from an allowed address, and no token")))]
pub async fn show(State(state): State<AppState>, request: Request) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    if !allowed(&state, peer, request.headers()) {
        return (StatusCode::FORBIDDEN, "metrics are read from an allowed address or with the token\n").into_response();
    }
    let Some(recorder) = recorder() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "no metrics recorder\n").into_response();
    };
    let gauges = state.app.gauges().await;
    metrics::gauge!("cncl_db_connections_open").set(gauges.connections_open);
    metrics::gauge!("cncl_db_connections_idle").set(u32::try_from(gauges.connections_idle).unwrap_or(u32::MAX));
    metrics::gauge!("cncl_db_connections_max").set(gauges.connections_max);
    for (status, count) in gauges.jobs {
        metrics::gauge!("cncl_jobs", "status" => status).set(count as f64);
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], recorder.render()).into_response()
}
