//! The office's administration over the API: accounts, API tokens, the audit log, and a
//! person's data (export, erasure).

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use cncl_app::Role;
use cncl_app::accounts::NewAccount;
use cncl_store::Page;
use cncl_store::accounts::{Account, ApiToken};
use cncl_store::audit::chain::Entry;
use cncl_store::audit::{AuditFilter, AuditReport};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::AppState;
use crate::api::records::parse_id;
use crate::auth::{ApiWrite, Caller};
use crate::error::WebError;

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/api/v1/accounts", get(accounts).post(create_account))
        .route("/api/v1/accounts/{id}/disable", post(disable))
        .route("/api/v1/accounts/{id}/enable", post(enable))
        .route("/api/v1/accounts/{id}/reset-password", post(reset_password))
        .route("/api/v1/api-tokens", get(tokens).post(create_token))
        .route("/api/v1/api-tokens/{id}/revoke", post(revoke))
        .route("/api/v1/audit", get(audit))
        .route("/api/v1/audit/verify", get(verify))
        .route("/api/v1/people/{id}/export", get(export_person))
        .route("/api/v1/people/{id}/erase", post(erase_person))
}

fn role(raw: &str) -> Result<Role, WebError> {
    Role::parse(raw)
        .ok_or_else(|| WebError::bad_request("role", "must be admin, task_force, chief_engineer, reporter or viewer"))
}

async fn accounts(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Account>>, WebError> {
    Ok(Json(state.app.accounts(&caller.actor).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewAccountRequest {
    username: String,
    display_name: String,
    role: String,
    organisation_id: Option<Uuid>,
    #[serde(default)]
    products: Vec<String>,
    password: Option<String>,
}

#[derive(Serialize)]
struct CreatedAccount {
    account: Account,
    /// Shown once: give it to the account's owner.
    password: String,
}

async fn create_account(State(state): State<AppState>, write: ApiWrite) -> Result<Response, WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    let request: NewAccountRequest = write.parse()?;
    let new = NewAccount {
        username: request.username,
        display_name: request.display_name,
        role: role(&request.role)?,
        organisation_id: request.organisation_id,
        products: request.products,
        password: request.password,
    };
    let (account, password) = state.app.create_account(write.actor(), new).await?;
    Ok((StatusCode::CREATED, Json(CreatedAccount { account, password })).into_response())
}

async fn disable(
    State(state): State<AppState>,
    Path(id): Path<String>,
    write: ApiWrite,
) -> Result<Json<Account>, WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    let id = parse_id(&id)?;
    Ok(Json(state.app.set_account_disabled(write.actor(), id, true).await?))
}

async fn enable(
    State(state): State<AppState>,
    Path(id): Path<String>,
    write: ApiWrite,
) -> Result<Json<Account>, WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    let id = parse_id(&id)?;
    Ok(Json(state.app.set_account_disabled(write.actor(), id, false).await?))
}

async fn reset_password(
    State(state): State<AppState>,
    Path(id): Path<String>,
    write: ApiWrite,
) -> Result<Json<CreatedAccount>, WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    let id = parse_id(&id)?;
    let (account, password) = state.app.reset_password(write.actor(), id).await?;
    Ok(Json(CreatedAccount { account, password }))
}

async fn tokens(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<ApiToken>>, WebError> {
    cncl_app::policy::office(&caller.actor, true)?;
    Ok(Json(state.app.store().api_tokens().await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewTokenRequest {
    name: String,
    role: String,
    organisation_id: Option<Uuid>,
    #[serde(default)]
    products: Vec<String>,
    expires_at: DateTime<Utc>,
}

async fn create_token(State(state): State<AppState>, write: ApiWrite) -> Result<Response, WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    let r: NewTokenRequest = write.parse()?;
    let (token, secret) = state
        .app
        .create_api_token(write.actor(), &r.name, role(&r.role)?, r.organisation_id, r.products, r.expires_at)
        .await?;
    Ok((StatusCode::CREATED, Json(json!({"token": token, "secret": secret}))).into_response())
}

async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<String>,
    write: ApiWrite,
) -> Result<StatusCode, WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    let id = parse_id(&id)?;
    state.app.revoke_api_token(write.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Page<Entry>>, WebError> {
    let Query(pairs) = query.map_err(|e| WebError::bad_request("query", e.body_text()))?;
    let mut filter = AuditFilter::default();
    let (mut page, mut per_page) = (1, 50);
    for (name, value) in pairs {
        let number = |v: &str| v.parse::<u32>().map_err(|_| WebError::bad_request(&name, "must be a whole number"));
        match name.as_str() {
            "entity" => filter.entity = Some(value),
            "id" => filter.entity_id = Some(value),
            "actor" => filter.actor = Some(value),
            "from" => filter.from = Some(value),
            "until" => filter.until = Some(value),
            "page" => page = number(&value)?,
            "per_page" => per_page = number(&value)?,
            _ => {
                return Err(WebError::bad_request(
                    &name,
                    "unknown parameter; use entity, id, actor, from, until, page, per_page",
                ));
            }
        }
    }
    Ok(Json(state.app.audit_entries(&caller.actor, &filter, page, per_page).await?))
}

async fn verify(State(state): State<AppState>, caller: Caller) -> Result<Json<AuditReport>, WebError> {
    Ok(Json(state.app.verify_audit(&caller.actor).await?))
}

async fn export_person(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, WebError> {
    Ok(Json(state.app.export_person(&caller.actor, parse_id(&id)?).await?))
}

async fn erase_person(
    State(state): State<AppState>,
    Path(id): Path<String>,
    write: ApiWrite,
) -> Result<StatusCode, WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    let id = parse_id(&id)?;
    state.app.erase_person(write.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
