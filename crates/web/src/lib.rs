//! cncl's HTTP surface over `cncl-app`: the JSON API under `/api/v1` (documented by the
//! OpenAPI document at `/api/v1/openapi.json`), `/health`, and the HTML pages. Handlers
//! parse, call one use-case and render; no SQL and no programme rule lives here.

pub mod api;
pub mod error;
pub mod i18n;
pub mod ui;

use std::sync::Arc;

use axum::Router;
use cncl_app::App;
use serde_json::Value;
use tower_http::trace::TraceLayer;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Built once at start: it depends only on the code.
    pub openapi: Arc<Value>,
}

/// The whole web application.
pub fn router(app: App) -> Router {
    let state = AppState { app, openapi: Arc::new(api::openapi::document()) };
    Router::new().merge(api::routes()).merge(ui::routes()).layer(TraceLayer::new_for_http()).with_state(state)
}
