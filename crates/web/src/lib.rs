//! cncl's HTTP surface over `cncl-app`: the JSON API under `/api/v1` (documented by the
//! OpenAPI document at `/api/v1/openapi.json`), `/health`, `/ready`, `/metrics`, and the HTML pages. Handlers
//! parse, call one use-case and render; no SQL and no programme rule lives here.

pub mod api;
pub mod auth;
pub mod client;
pub mod error;
pub mod extract;
pub mod forms;
pub mod i18n;
pub mod metrics;
pub mod query;
pub mod ui;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use cncl_app::App;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Built once at start, from the route declarations.
    pub openapi: Arc<utoipa::openapi::OpenApi>,
    pub config: Arc<client::WebConfig>,
}

/// Headers on every response: no inline script or framing, no MIME sniffing, no referrer
/// leaking record ids to other sites.
fn with_security_headers(router: Router) -> Router {
    let csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; \
               base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    let headers = [
        (header::CONTENT_SECURITY_POLICY, csp),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    headers.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value)))
    })
}

/// The whole web application, with default settings.
pub fn router(app: App) -> Router {
    router_with(app, client::WebConfig::default())
}

/// The whole web application.
pub fn router_with(app: App, config: client::WebConfig) -> Router {
    let (api, document) = api::routes();
    let state = AppState { app, openapi: Arc::new(document), config: Arc::new(config) };
    metrics::install();
    let router = Router::new()
        .merge(api)
        .merge(ui::routes())
        .layer(axum::middleware::from_fn(metrics::count_requests))
        .layer(axum::middleware::from_fn_with_state(state.clone(), ui::failure::pages_for_failures))
        .layer(axum::middleware::from_fn(ui::page::with_current_path))
        .layer(axum::middleware::from_fn_with_state(state.clone(), client::hsts))
        .with_state(state);
    // Outermost first: every request gets an id (or keeps the one a proxy gave it), the answer
    // carries it back, the log line names it, and an internal error quotes it.
    with_security_headers(router)
        .layer(axum::middleware::from_fn(error::with_request_id))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::extract::Request| {
            let id = request.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or_default();
            tracing::info_span!("request", method = %request.method(), uri = %request.uri(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// The header that carries a request's id.
const REQUEST_ID: axum::http::HeaderName = axum::http::HeaderName::from_static("x-request-id");
