//! The office's account pages: every account and API token, adding an account, disabling
//! and enabling it, resetting its password, creating and revoking tokens. A one-time password
//! or a token's secret is shown once, on the page that answers the form. Destructive commands
//! are confirmed by a second, deliberate click.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cncl_app::accounts::NewAccount;
use cncl_app::{AppError, Role};
use cncl_domain::Lang;
use cncl_domain::organisation::Organisation;
use uuid::Uuid;

use crate::AppState;
use crate::auth::{Caller, check_form};
use crate::error::WebError;
use crate::extract::{Language, PathId};
use crate::i18n::{AccountsUi, Ui, accounts_ui, format_instant, ui};
use crate::ui::page::{Nav, SignedIn};
use crate::ui::view::Choice;

/// How long a new token lasts unless the form says otherwise.
const DEFAULT_TOKEN_DAYS: i64 = 90;

pub struct AccountRow {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: &'static str,
    pub organisation: String,
    pub disabled: bool,
    pub totp: bool,
    pub last_used: String,
}

pub struct TokenRow {
    pub id: Uuid,
    pub name: String,
    pub role: &'static str,
    pub organisation: String,
    pub created_by: String,
    pub expires: String,
    pub revoked: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts.html")]
pub struct AccountsPage {
    pub ui: &'static Ui,
    pub words: &'static AccountsUi,
    pub nav: Nav,
    pub csrf: String,
    pub accounts: Vec<AccountRow>,
    pub tokens: Vec<TokenRow>,
    pub roles: Vec<Choice>,
    pub products: Vec<Choice>,
    pub token_expires: String,
    /// A one-time password or token secret to show once: whose, what it is, the secret.
    pub secret: Option<(String, &'static str, String)>,
    pub message: Option<String>,
    /// What the add form held when it was refused.
    pub typed: NewAccountForm,
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct NewAccountForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub products: Vec<String>,
}

/// What a page of the account pages says besides the lists.
#[derive(Default)]
struct Said {
    secret: Option<(String, &'static str, String)>,
    message: Option<String>,
    typed: NewAccountForm,
}

async fn page(state: &AppState, caller: &Caller, lang: Lang, said: Said) -> Result<AccountsPage, AppError> {
    let accounts = state.app.accounts(&caller.actor).await?;
    let tokens = state.app.api_tokens(&caller.actor).await?;
    let ids = accounts.iter().filter_map(|a| a.organisation_id).chain(tokens.iter().filter_map(|t| t.organisation_id));
    let names = organisation_names(state, caller, ids).await;
    let organisation = |id: Option<Uuid>| id.and_then(|id| names.get(&id).cloned()).unwrap_or_default();
    let role = |raw: &str| Role::parse(raw).map_or("", |r| r.label(lang));
    let products = state.app.products().await?;
    Ok(AccountsPage {
        ui: ui(lang),
        words: accounts_ui(lang),
        nav: Nav::of(caller),
        csrf: caller.session.as_ref().map(|s| s.csrf_token.clone()).unwrap_or_default(),
        accounts: accounts
            .iter()
            .map(|a| AccountRow {
                id: a.id,
                username: a.username.clone(),
                display_name: a.display_name.clone(),
                role: role(&a.role),
                organisation: organisation(a.organisation_id),
                disabled: a.disabled,
                totp: a.totp_enabled,
                last_used: a.last_used_at.as_deref().map(|t| format_instant(t, lang)).unwrap_or_default(),
            })
            .collect(),
        tokens: tokens
            .iter()
            .map(|t| TokenRow {
                id: t.id,
                name: t.name.clone(),
                role: role(&t.role),
                organisation: organisation(t.organisation_id),
                created_by: t.created_by.clone(),
                expires: format_instant(&t.expires_at, lang),
                revoked: t.revoked_at.as_deref().map(|r| format_instant(r, lang)),
            })
            .collect(),
        roles: Role::ALL
            .iter()
            .map(|r| Choice {
                value: r.as_str().into(),
                label: r.label(lang).into(),
                selected: said.typed.role == r.as_str(),
            })
            .collect(),
        products: products
            .iter()
            .map(|p| Choice {
                value: p.code.to_string(),
                label: p.name(lang).to_owned(),
                selected: said.typed.products.iter().any(|c| c == p.code.as_str()),
            })
            .collect(),
        token_expires: (state.app.today().get() + chrono::Duration::days(DEFAULT_TOKEN_DAYS)).to_string(),
        secret: said.secret,
        message: said.message,
        typed: said.typed,
    })
}

/// The names of the organisations `ids` (blank for one out of reach).
async fn organisation_names(
    state: &AppState,
    caller: &Caller,
    ids: impl Iterator<Item = Uuid>,
) -> std::collections::HashMap<Uuid, String> {
    let mut names = std::collections::HashMap::new();
    for id in ids {
        if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(id) {
            let name = state.app.get::<Organisation>(&caller.actor, id.into()).await.map(|o| o.record.name.to_string());
            slot.insert(name.unwrap_or_default());
        }
    }
    names
}

fn render(page: &AccountsPage, language: Language, status: StatusCode) -> Response {
    let mut response = crate::ui::page::render(page, language.remember());
    *response.status_mut() = status;
    response
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    language: Language,
) -> Result<Response, WebError> {
    cncl_app::policy::office(&caller.actor, true)?;
    let page = page(&state, &caller, language.lang, Said::default()).await?;
    Ok(render(&page, language, StatusCode::OK))
}

/// The organisation a form names (tax code, name or id), if it names one.
async fn organisation_named(state: &AppState, caller: &Caller, typed: &str) -> Result<Option<Uuid>, AppError> {
    match typed.trim() {
        "" => Ok(None),
        typed => state.app.organisation_named(&caller.actor, typed).await.map(Some),
    }
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    language: Language,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let csrf = form.iter().find(|(n, _)| n == "csrf").map_or("", |(_, v)| v.as_str());
    check_form(&caller, csrf)?;
    cncl_app::policy::office(&caller.actor, true)?;
    let typed = typed_account(&form);
    let lang = language.lang;
    let created = async {
        let role = Role::parse(&typed.role).ok_or_else(|| {
            AppError::from(cncl_domain::DomainError::new("role", cncl_domain::msg("hãy chọn vai trò", "choose a role")))
        })?;
        let new = NewAccount {
            username: typed.username.trim().to_owned(),
            display_name: typed.display_name.trim().to_owned(),
            role,
            organisation_id: organisation_named(&state, &caller, &typed.organisation).await?,
            products: typed.products.clone(),
            password: None,
        };
        state.app.create_account(&caller.actor, new).await
    }
    .await;
    let (status, said) = match created {
        Ok((account, password)) => {
            let secret = Some((account.username, accounts_ui(lang).one_time_password, password));
            (StatusCode::CREATED, Said { secret, ..Said::default() })
        }
        Err(error @ (AppError::Invalid(_) | AppError::Conflict { .. } | AppError::BadRequest { .. })) => (
            WebError::status_of(&error),
            Said { message: Some(error.message().get(lang).to_owned()), typed, ..Said::default() },
        ),
        Err(other) => return Err(WebError(other)),
    };
    Ok(render(&page(&state, &caller, lang, said).await?, language, status))
}

fn typed_account(form: &[(String, String)]) -> NewAccountForm {
    let one = |name: &str| form.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default();
    NewAccountForm {
        username: one("username"),
        display_name: one("display_name"),
        role: one("role"),
        organisation: one("organisation"),
        products: form.iter().filter(|(n, _)| n == "products").map(|(_, v)| v.clone()).collect(),
    }
}

#[derive(serde::Deserialize)]
pub struct CsrfOnly {
    csrf: String,
}

pub async fn disable(
    state: State<AppState>,
    caller: Caller,
    id: PathId,
    form: Form<CsrfOnly>,
) -> Result<Response, WebError> {
    set_disabled(state, caller, id, form, true).await
}

pub async fn enable(
    state: State<AppState>,
    caller: Caller,
    id: PathId,
    form: Form<CsrfOnly>,
) -> Result<Response, WebError> {
    set_disabled(state, caller, id, form, false).await
}

async fn set_disabled(
    State(state): State<AppState>,
    caller: Caller,
    id: PathId,
    Form(form): Form<CsrfOnly>,
    disabled: bool,
) -> Result<Response, WebError> {
    check_form(&caller, &form.csrf)?;
    state.app.set_account_disabled(&caller.actor, id.get()?, disabled).await?;
    Ok(Redirect::to("/accounts#saved").into_response())
}

pub async fn reset(
    State(state): State<AppState>,
    caller: Caller,
    language: Language,
    id: PathId,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    check_form(&caller, &form.csrf)?;
    let (account, password) = state.app.reset_password(&caller.actor, id.get()?).await?;
    let said = Said {
        secret: Some((account.username, accounts_ui(language.lang).one_time_password, password)),
        ..Said::default()
    };
    Ok(render(&page(&state, &caller, language.lang, said).await?, language, StatusCode::OK))
}

#[derive(serde::Deserialize)]
pub struct NewToken {
    csrf: String,
    name: String,
    role: String,
    #[serde(default)]
    organisation: String,
    expires_on: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    language: Language,
    Form(form): Form<NewToken>,
) -> Result<Response, WebError> {
    check_form(&caller, &form.csrf)?;
    cncl_app::policy::office(&caller.actor, true)?;
    let lang = language.lang;
    let created = async {
        let role = Role::parse(&form.role).ok_or_else(|| {
            AppError::from(cncl_domain::DomainError::new("role", cncl_domain::msg("hãy chọn vai trò", "choose a role")))
        })?;
        let expires = cncl_domain::Date::parse(&form.expires_on)
            .map_err(|e| AppError::from(cncl_domain::DomainError::new("expires_on", e.0)))?;
        let expires_at = chrono::DateTime::parse_from_rfc3339(&crate::i18n::start_of_day_in_vietnam(expires.get()))
            .map_err(|e| AppError::internal(&e.to_string()))?
            .with_timezone(&chrono::Utc);
        let organisation = organisation_named(&state, &caller, &form.organisation).await?;
        state.app.create_api_token(&caller.actor, form.name.trim(), role, organisation, Vec::new(), expires_at).await
    }
    .await;
    let (status, said) = match created {
        Ok((token, secret)) => (
            StatusCode::CREATED,
            Said { secret: Some((token.name, accounts_ui(lang).token_secret, secret)), ..Said::default() },
        ),
        Err(error @ (AppError::Invalid(_) | AppError::Conflict { .. } | AppError::BadRequest { .. })) => (
            WebError::status_of(&error),
            Said { message: Some(error.message().get(lang).to_owned()), ..Said::default() },
        ),
        Err(other) => return Err(WebError(other)),
    };
    Ok(render(&page(&state, &caller, lang, said).await?, language, status))
}

pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    id: PathId,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, WebError> {
    check_form(&caller, &form.csrf)?;
    state.app.revoke_api_token(&caller.actor, id.get()?).await?;
    Ok(Redirect::to("/accounts#saved").into_response())
}
