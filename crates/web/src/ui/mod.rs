//! The HTML pages. Handlers gather what a page shows through `cncl-app`, turn it into plain
//! view structs in the request's language, and render an askama template.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod chart;
pub mod compliance;
pub mod criteria;
pub mod dashboard;
pub mod documents;
pub mod evidence;
pub mod evidence_names;
pub mod failure;
pub mod figures;
pub mod governance;
pub mod home;
pub mod imports;
pub mod localisation;
pub mod map;
pub mod notifications;
pub mod page;
pub mod products;
pub mod records;
pub mod reports;
pub mod return_to;
pub mod scorecard;
pub mod task_actions;
pub mod task_commands;
pub mod tasks;
pub mod view;
pub mod waterfall;

use axum::routing::get;

use crate::AppState;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/", get(home::show))
        .route("/login", get(auth::show_login).post(auth::login))
        .route("/logout", axum::routing::post(auth::logout))
        .route("/totp", get(auth::show_totp).post(auth::totp))
        .route("/password", get(auth::show_password).post(auth::password))
        .route("/scorecard", get(scorecard::show))
        .route("/tasks", get(tasks::list))
        .route("/tasks/{id}", get(tasks::show))
        .route("/tasks/{id}/commands", axum::routing::post(task_commands::task_command))
        .route("/progress-reports/{id}/commands", axum::routing::post(task_commands::report_command))
        .route("/proposals/{id}/select", axum::routing::post(task_commands::select_proposal))
        .route("/records", get(records::list::index))
        .route("/records/{resource}", get(records::list::list))
        .route("/records/{resource}/new", get(records::form::new_form).post(records::save::create))
        .route("/records/{resource}/{id}", get(records::form::show).post(records::save::update))
        .route(
            "/records/{resource}/{id}/documents",
            axum::routing::post(documents::upload)
                .layer(axum::extract::DefaultBodyLimit::max(cncl_app::documents::MAX_DOCUMENT_BYTES + 1024 * 1024)),
        )
        .route("/documents/{id}", get(documents::download))
        .route("/governance", get(governance::governance))
        .route("/funding", get(governance::funding))
        .route("/compliance", get(compliance::show))
        .route("/notifications", get(notifications::show).post(notifications::read))
        .route("/audit", get(audit::show))
        .route("/accounts", get(accounts::show).post(accounts::create))
        .route("/accounts/{id}/disable", axum::routing::post(accounts::disable))
        .route("/accounts/{id}/enable", axum::routing::post(accounts::enable))
        .route("/accounts/{id}/reset-password", axum::routing::post(accounts::reset))
        .route("/tokens", axum::routing::post(accounts::create_token))
        .route("/tokens/{id}/revoke", axum::routing::post(accounts::revoke_token))
        .route("/criteria-sets", get(criteria::index).post(criteria::load))
        .route("/criteria-sets/current", axum::routing::post(criteria::choose))
        .route("/criteria-sets/compare", get(criteria::compare))
        .route(
            "/imports",
            get(imports::show).post(imports::preview).layer(axum::extract::DefaultBodyLimit::max(51 * 1024 * 1024)),
        )
        .route("/imports/{id}/commit", axum::routing::post(imports::commit))
        .route("/imports/{id}/mapping", axum::routing::post(imports::remap))
        .route("/product-models/{id}/localisation", get(localisation::model_plan))
        .route("/products/{code}", get(products::show))
        .route("/products/{code}/localisation", get(localisation::roadmap))
        .route("/scorecard/{scope}/{criterion}", get(evidence::evidence))
        .route("/reports", get(reports::index).post(reports::publish))
        .route(
            "/reports/verify",
            get(reports::verify_form)
                .post(reports::verify)
                .layer(axum::extract::DefaultBodyLimit::max(reports::MAX_VERIFIED_BYTES + 64 * 1024)),
        )
        .route("/reports/{id}", get(reports::show))
        .route("/reports/{id}/{format}", get(reports::download))
        .route("/static/app.css", get(page::stylesheet))
}
