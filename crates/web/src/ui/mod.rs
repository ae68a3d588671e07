//! The HTML pages. Handlers gather what a page shows through `cncl-app`, turn it into plain
//! view structs in the request's language, and render an askama template.

pub mod chart;
pub mod governance;
pub mod home;
pub mod scorecard;
pub mod tasks;

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::i18n::LANG_COOKIE;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/", get(home::show))
        .route("/scorecard", get(scorecard::show))
        .route("/tasks", get(tasks::list))
        .route("/tasks/{id}", get(tasks::show))
        .route("/governance", get(governance::governance))
        .route("/funding", get(governance::funding))
        .route("/scorecard/{scope}/{criterion}", get(scorecard::evidence))
        .route("/static/app.css", get(stylesheet))
}

const STYLESHEET: &str = include_str!("../../static/app.css");

async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], STYLESHEET)
        .into_response()
}

/// Render a page; remember the language when the user just switched to it.
pub fn render(page: &impl Template, switched_to: Option<&str>) -> Response {
    match page.render() {
        Ok(html) => {
            let mut response = Html(html).into_response();
            if let Some(lang) = switched_to {
                let cookie = format!("{LANG_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
                if let Ok(value) = HeaderValue::from_str(&cookie) {
                    response.headers_mut().insert(header::SET_COOKIE, value);
                }
            }
            response
        }
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}
