//! The office's administration over the API: accounts, API tokens, the audit log, and a
//! person's data (export, erasure).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use cncl_app::Role;
use cncl_app::accounts::NewAccount;
use cncl_store::Page;
use cncl_store::accounts::{Account, ApiToken};
use cncl_store::audit::chain::Entry;
use cncl_store::audit::{AuditFilter, AuditReport};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::AppState;
use crate::api::doc::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::auth::{ApiWrite, Caller};
use crate::error::WebError;
use crate::extract::{PathId, StrictQuery, optional};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(accounts, create_account))
        .routes(routes!(disable))
        .routes(routes!(enable))
        .routes(routes!(reset_password))
        .routes(routes!(contact, set_contact))
        .routes(routes!(tokens, create_token))
        .routes(routes!(revoke))
        .routes(routes!(audit))
        .routes(routes!(verify))
        .routes(routes!(export_person))
        .routes(routes!(erase_person))
}

fn role(raw: &str) -> Result<Role, WebError> {
    Role::parse(raw).ok_or_else(|| {
        WebError::bad_request(
            "role",
            cncl_domain::msg(
                "phải là admin, task_force, chief_engineer, reporter hoặc viewer",
                "must be admin, task_force, chief_engineer, reporter or viewer",
            ),
        )
    })
}

/// Accounts (the office).
#[utoipa::path(
    get,
    path = "/api/v1/accounts",
    tag = "accounts",
    operation_id = "accounts",
    responses((status = 200, description = "Every account", body = Vec<Account>), Unauthenticated, Forbidden)
)]
async fn accounts(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Account>>, WebError> {
    Ok(Json(state.app.accounts(&caller.actor).await?))
}

/// A new account: username, display name, role, organisation (reporters), products (chief
/// engineers), and a password, generated when absent.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewAccountRequest {
    username: String,
    display_name: String,
    /// admin, task_force, chief_engineer, reporter or viewer
    role: String,
    organisation_id: Option<Uuid>,
    #[serde(default)]
    products: Vec<String>,
    password: Option<String>,
}

/// An account with its one-time password.
#[derive(Serialize, ToSchema)]
struct CreatedAccount {
    account: Account,
    /// Shown once: give it to the account's owner.
    password: String,
}

/// Create an account; the answer holds its one-time password.
#[utoipa::path(
    post,
    path = "/api/v1/accounts",
    tag = "accounts",
    operation_id = "create_account",
    request_body = NewAccountRequest,
    responses(
        (status = 201, description = "The account and its password", body = CreatedAccount),
        BadRequest, Unauthenticated, Forbidden, Conflict, Invalid
    )
)]
async fn create_account(
    State(state): State<AppState>,
    write: ApiWrite,
) -> Result<(StatusCode, Json<CreatedAccount>), WebError> {
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
    Ok((StatusCode::CREATED, Json(CreatedAccount { account, password })))
}

/// Disable an account and end its sessions.
#[utoipa::path(
    post,
    path = "/api/v1/accounts/{id}/disable",
    tag = "accounts",
    operation_id = "disable_account",
    params(("id" = Uuid, Path, description = "The account")),
    responses((status = 200, description = "The account", body = Account), BadRequest, Unauthenticated, Forbidden, NotFound)
)]
async fn disable(State(state): State<AppState>, id: PathId, write: ApiWrite) -> Result<Json<Account>, WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    Ok(Json(state.app.set_account_disabled(write.actor(), id.get()?, true).await?))
}

/// Enable an account again.
#[utoipa::path(
    post,
    path = "/api/v1/accounts/{id}/enable",
    tag = "accounts",
    operation_id = "enable_account",
    params(("id" = Uuid, Path, description = "The account")),
    responses((status = 200, description = "The account", body = Account), BadRequest, Unauthenticated, Forbidden, NotFound)
)]
async fn enable(State(state): State<AppState>, id: PathId, write: ApiWrite) -> Result<Json<Account>, WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    Ok(Json(state.app.set_account_disabled(write.actor(), id.get()?, false).await?))
}

/// A new one-time password (shown once); TOTP is set up again and sessions end.
#[utoipa::path(
    post,
    path = "/api/v1/accounts/{id}/reset-password",
    tag = "accounts",
    operation_id = "reset_password",
    params(("id" = Uuid, Path, description = "The account")),
    responses(
        (status = 200, description = "The account and its new password", body = CreatedAccount),
        BadRequest, Unauthenticated, Forbidden, NotFound
    )
)]
async fn reset_password(
    State(state): State<AppState>,
    id: PathId,
    write: ApiWrite,
) -> Result<Json<CreatedAccount>, WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    let (account, password) = state.app.reset_password(write.actor(), id.get()?).await?;
    Ok(Json(CreatedAccount { account, password }))
}

/// How reminders reach an account: its e-mail address and the person it is.
#[derive(Debug, serde::Serialize, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactBody {
    pub email: Option<String>,
    /// The person record the account is (a task's lead, a chief engineer).
    pub person_id: Option<Uuid>,
}

/// How reminders reach an account.
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{id}/contact",
    tag = "accounts",
    operation_id = "contact",
    params(("id" = Uuid, Path, description = "The account")),
    responses((status = 200, description = "The contact", body = ContactBody), BadRequest, Unauthenticated, Forbidden)
)]
async fn contact(State(state): State<AppState>, caller: Caller, id: PathId) -> Result<Json<ContactBody>, WebError> {
    cncl_app::policy::office(&caller.actor, true)?;
    let contact = state.app.store().contact(id.get()?).await.map_err(cncl_app::AppError::from)?;
    Ok(Json(ContactBody { email: contact.email, person_id: contact.person_id }))
}

/// Set how reminders reach an account; an omitted field is cleared. Logged in the audit log.
#[utoipa::path(
    put,
    path = "/api/v1/accounts/{id}/contact",
    tag = "accounts",
    operation_id = "set_contact",
    params(("id" = Uuid, Path, description = "The account")),
    request_body = ContactBody,
    responses(
        (status = 200, description = "The contact as set", body = ContactBody),
        BadRequest, Unauthenticated, Forbidden, NotFound, Invalid
    )
)]
async fn set_contact(
    State(state): State<AppState>,
    id: PathId,
    write: ApiWrite,
) -> Result<Json<ContactBody>, WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    let id = id.get()?;
    let body: ContactBody = write.parse()?;
    let contact = cncl_store::notifications::Contact { email: body.email.clone(), person_id: body.person_id };
    state.app.set_contact(write.actor(), id, contact).await?;
    Ok(Json(body))
}

/// API tokens (never their secrets).
#[utoipa::path(
    get,
    path = "/api/v1/api-tokens",
    tag = "accounts",
    operation_id = "api_tokens",
    responses((status = 200, description = "Every token", body = Vec<ApiToken>), Unauthenticated, Forbidden)
)]
async fn tokens(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<ApiToken>>, WebError> {
    Ok(Json(state.app.api_tokens(&caller.actor).await?))
}

/// A new token for a machine client.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewTokenRequest {
    name: String,
    /// admin, task_force, chief_engineer, reporter or viewer
    role: String,
    organisation_id: Option<Uuid>,
    #[serde(default)]
    products: Vec<String>,
    expires_at: DateTime<Utc>,
}

/// A token and its secret.
#[derive(Serialize, ToSchema)]
struct CreatedToken {
    token: ApiToken,
    /// Shown once.
    secret: String,
}

/// Create an API token; the answer holds the secret, shown once.
#[utoipa::path(
    post,
    path = "/api/v1/api-tokens",
    tag = "accounts",
    operation_id = "create_api_token",
    request_body = NewTokenRequest,
    responses(
        (status = 201, description = "The token and its secret", body = CreatedToken),
        BadRequest, Unauthenticated, Forbidden, Invalid
    )
)]
async fn create_token(
    State(state): State<AppState>,
    write: ApiWrite,
) -> Result<(StatusCode, Json<CreatedToken>), WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    let r: NewTokenRequest = write.parse()?;
    let (token, secret) = state
        .app
        .create_api_token(write.actor(), &r.name, role(&r.role)?, r.organisation_id, r.products, r.expires_at)
        .await?;
    Ok((StatusCode::CREATED, Json(CreatedToken { token, secret })))
}

/// Revoke a token.
#[utoipa::path(
    post,
    path = "/api/v1/api-tokens/{id}/revoke",
    tag = "accounts",
    operation_id = "revoke_api_token",
    params(("id" = Uuid, Path, description = "The token")),
    responses((status = 204, description = "Revoked"), BadRequest, Unauthenticated, Forbidden, NotFound, Conflict)
)]
async fn revoke(State(state): State<AppState>, id: PathId, write: ApiWrite) -> Result<StatusCode, WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    state.app.revoke_api_token(write.actor(), id.get()?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which audit entries to browse.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct AuditParams {
    /// The table of the record changed (`tasks`, `budget_lines`, …).
    #[serde(default, deserialize_with = "optional")]
    entity: Option<String>,
    /// The record's id.
    #[serde(default, deserialize_with = "optional")]
    id: Option<String>,
    /// Who acted.
    #[serde(default, deserialize_with = "optional")]
    actor: Option<String>,
    /// Entries at or after this date or RFC 3339 instant.
    #[serde(default, deserialize_with = "optional")]
    from: Option<String>,
    /// Entries before this date or instant.
    #[serde(default, deserialize_with = "optional")]
    until: Option<String>,
    #[serde(default, deserialize_with = "optional")]
    page: Option<u32>,
    #[serde(default, deserialize_with = "optional")]
    per_page: Option<u32>,
}

/// Audit log entries, newest first, by entity, record, actor and time.
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    tag = "audit",
    operation_id = "audit",
    params(AuditParams),
    responses(
        (status = 200, description = "A page of entries", body = Page<Entry>),
        BadRequest, Unauthenticated, Forbidden
    )
)]
async fn audit(
    State(state): State<AppState>,
    caller: Caller,
    StrictQuery(params): StrictQuery<AuditParams>,
) -> Result<Json<Page<Entry>>, WebError> {
    let filter = AuditFilter {
        entity: params.entity,
        entity_id: params.id,
        actor: params.actor,
        from: params.from,
        until: params.until,
    };
    let (page, per_page) = (params.page.unwrap_or(1), params.per_page.unwrap_or(50));
    Ok(Json(state.app.audit_entries(&caller.actor, &filter, page, per_page).await?))
}

/// Recompute the hash chain and compare every stored record with it.
#[utoipa::path(
    get,
    path = "/api/v1/audit/verify",
    tag = "audit",
    operation_id = "verify_audit",
    responses((status = 200, description = "What verification found", body = AuditReport), Unauthenticated, Forbidden)
)]
async fn verify(State(state): State<AppState>, caller: Caller) -> Result<Json<AuditReport>, WebError> {
    Ok(Json(state.app.verify_audit(&caller.actor).await?))
}

/// Everything recorded about a person.
#[utoipa::path(
    get,
    path = "/api/v1/people/{id}/export",
    tag = "people",
    operation_id = "export_person",
    params(("id" = Uuid, Path, description = "The person")),
    responses(
        (status = 200, description = "The person, the records naming them, their audit entries", body = Value),
        BadRequest, Unauthenticated, Forbidden, NotFound
    )
)]
async fn export_person(State(state): State<AppState>, caller: Caller, id: PathId) -> Result<Json<Value>, WebError> {
    cncl_app::policy::office(&caller.actor, true)?;
    Ok(Json(state.app.export_person(&caller.actor, id.get()?).await?))
}

/// Erase a person on request (refused while an accountable record names them).
#[utoipa::path(
    post,
    path = "/api/v1/people/{id}/erase",
    tag = "people",
    operation_id = "erase_person",
    params(("id" = Uuid, Path, description = "The person")),
    responses((status = 204, description = "Erased"), BadRequest, Unauthenticated, Forbidden, NotFound, Conflict)
)]
async fn erase_person(State(state): State<AppState>, id: PathId, write: ApiWrite) -> Result<StatusCode, WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    state.app.erase_person(write.actor(), id.get()?).await?;
    Ok(StatusCode::NO_CONTENT)
}
