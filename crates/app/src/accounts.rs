//! Accounts and API tokens: created, disabled and reset by the office, disabled after 45
//! days unused; the limits of sign-in (`AuthPolicy`). Signing in itself is `sign_in.rs`.
//! Sessions live in the database, so several app instances on one PostgreSQL share them.

use chrono::{DateTime, Duration, Utc};
use cncl_domain::msg;
use cncl_store::accounts::{Account, ApiToken};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::policy::{self, Actor, Role};
use crate::{App, AppError, passwords};

/// Limits of sign-in and sessions; the defaults are the programme office's policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthPolicy {
    pub idle_timeout: Duration,
    /// How long sign-in attempts are counted before their count starts afresh.
    pub failure_window: Duration,
    /// Attempts at one account from one address before that address is refused it.
    pub attempts_per_account_and_address: i64,
    /// Attempts at one account from anywhere before it is refused (guessing spread over
    /// many addresses).
    pub attempts_per_account: i64,
    /// Attempts from one address, any account, before each further one is slowed down.
    pub attempts_per_address: i64,
    /// The wait added to each attempt from an address past its limit.
    pub slow_down: std::time::Duration,
    pub unused_limit: Duration,
    /// The longest an admin API token may live.
    pub admin_token_lifetime: Duration,
}

impl Default for AuthPolicy {
    fn default() -> Self {
        AuthPolicy {
            idle_timeout: Duration::minutes(15),
            failure_window: Duration::minutes(15),
            attempts_per_account_and_address: 5,
            attempts_per_account: 20,
            attempts_per_address: 20,
            slow_down: std::time::Duration::from_secs(2),
            unused_limit: Duration::days(45),
            admin_token_lifetime: Duration::days(90),
        }
    }
}

/// What must happen before a fresh session may act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pending {
    /// The password was a generated one-time password: choose one's own.
    PasswordChange,
    /// Enter the current TOTP code.
    SecondFactor,
    /// An admin without TOTP must set it up first.
    Enrolment,
}

/// A signed-in session, as a request sees it.
#[derive(Debug, Clone)]
pub struct SessionView {
    pub actor: Actor,
    pub account: Account,
    pub csrf_token: String,
    pub pending: Option<Pending>,
    /// How many of the account's notifications are unread.
    pub unread: u64,
}

/// A new account's details.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub organisation_id: Option<Uuid>,
    pub products: Vec<String>,
    /// Set, or generated and returned once.
    pub password: Option<String>,
}

/// A fresh random token of `bytes` bytes, hex-encoded (sessions, CSRF, API tokens).
pub fn random_hex(bytes: usize) -> Result<String, AppError> {
    let mut buf = vec![0_u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| AppError::internal(&format!("no randomness: {e}")))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// Session and API tokens are random; only their SHA-256 is stored.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(crate) fn parse_stamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

pub(crate) fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len()).step_by(2).filter_map(|i| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok())).collect()
}

pub(crate) fn totp_for(account: &Account, secret_hex: &str) -> Result<totp_rs::Totp, AppError> {
    totp_rs::Builder::new()
        .with_secret(hex_bytes(secret_hex))
        .with_issuer(Some("cncl"))
        .with_account_name(account.username.clone())
        .build()
        .map_err(|e| AppError::internal(&e.to_string()))
}

/// The actor an account acts as.
pub fn actor_of(account: &Account) -> Actor {
    Actor {
        name: account.username.clone(),
        account: Some(account.id),
        role: Role::parse(&account.role),
        organisation: account.organisation_id,
        products: account.products.clone(),
        by_token: false,
    }
}

impl App {
    /// Create the first admin when there is no account. Returns the generated one-time
    /// password to show once (none when `password` was given or accounts exist).
    pub async fn ensure_admin(&self, password: Option<String>) -> Result<Option<String>, AppError> {
        if self.store.account_count().await? > 0 {
            return Ok(None);
        }
        let generated = password.is_none();
        let new = NewAccount {
            username: "admin".into(),
            display_name: "Văn phòng Chương trình".into(),
            role: Role::Admin,
            organisation_id: None,
            products: Vec::new(),
            password,
        };
        let (_, password) = self.create_account(&Actor::system("cncl"), new).await?;
        Ok(generated.then_some(password))
    }

    /// Create an account (the office only). Returns it and its password.
    pub async fn create_account(&self, actor: &Actor, new: NewAccount) -> Result<(Account, String), AppError> {
        policy::office(actor, true)?;
        if new.username.trim().is_empty() || new.username.len() > 64 {
            return Err(cncl_domain::DomainError::new(
                "username",
                msg("phải dài 1 đến 64 ký tự", "must be 1 to 64 characters"),
            )
            .into());
        }
        if new.role == Role::Reporter && new.organisation_id.is_none() {
            return Err(cncl_domain::DomainError::new(
                "organisation_id",
                msg("tài khoản báo cáo thuộc về đúng một tổ chức", "a reporter reports for one organisation"),
            )
            .into());
        }
        if self.store.account_by_username(&new.username).await?.is_some() {
            return Err(AppError::Conflict {
                field: Some("username".into()),
                message: msg("tên đăng nhập này đã có người dùng", "this username is taken"),
            });
        }
        let generated = new.password.is_none();
        let password = match new.password {
            Some(p) => passwords::checked("password", p, &[&new.username, &new.display_name])?,
            None => random_hex(12)?,
        };
        let account = Account {
            id: Uuid::now_v7(),
            username: new.username.trim().to_owned(),
            display_name: new.display_name,
            password_hash: passwords::hash(&password)?,
            role: new.role.as_str().to_owned(),
            organisation_id: new.organisation_id,
            products: new.products,
            totp_secret: None,
            totp_enabled: false,
            disabled: false,
            created_at: stamp(self.now()),
            last_used_at: None,
            password_change_required: generated,
        };
        let mut tx = self.store.begin(self.writer(actor)).await?;
        tx.insert_account(&account).await?;
        tx.commit().await?;
        Ok((account, password))
    }

    /// Enable or disable an account (the office only); disabling ends its sessions.
    pub async fn set_account_disabled(&self, actor: &Actor, id: Uuid, disabled: bool) -> Result<Account, AppError> {
        policy::office(actor, true)?;
        let before = self.store.account(id).await?.ok_or(AppError::NotFound { noun: "account", id: id.to_string() })?;
        let mut after = before.clone();
        after.disabled = disabled;
        if !disabled {
            // Re-enabled accounts start a fresh 45 days.
            after.last_used_at = Some(stamp(self.now()));
        }
        let mut tx = self.store.begin(self.writer(actor)).await?;
        tx.update_account(&before, &after).await?;
        if disabled {
            tx.delete_sessions_of(id).await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    /// A new one-time password for an account whose holder lost theirs (or their TOTP
    /// device): TOTP is set up again, and its sessions end.
    pub async fn reset_password(&self, actor: &Actor, id: Uuid) -> Result<(Account, String), AppError> {
        policy::office(actor, true)?;
        let before = self.store.account(id).await?.ok_or(AppError::NotFound { noun: "account", id: id.to_string() })?;
        let password = random_hex(12)?;
        let after = Account {
            password_hash: passwords::hash(&password)?,
            password_change_required: true,
            totp_secret: None,
            totp_enabled: false,
            ..before.clone()
        };
        let mut tx = self.store.begin(self.writer(actor)).await?;
        tx.update_account(&before, &after).await?;
        tx.delete_sessions_of(id).await?;
        tx.commit().await?;
        Ok((after, password))
    }

    pub async fn accounts(&self, actor: &Actor) -> Result<Vec<Account>, AppError> {
        policy::office(actor, true)?;
        Ok(self.store.accounts().await?)
    }

    /// A token for a machine client, scoped to a role and (for reporters) an organisation.
    /// The token itself is returned only here.
    /// Every API token, for the office.
    pub async fn api_tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>, AppError> {
        policy::office(actor, true)?;
        Ok(self.store.api_tokens().await?)
    }

    pub async fn create_api_token(
        &self,
        actor: &Actor,
        name: &str,
        role: Role,
        organisation_id: Option<Uuid>,
        products: Vec<String>,
        expires_at: DateTime<Utc>,
    ) -> Result<(ApiToken, String), AppError> {
        policy::office(actor, true)?;
        if role == Role::Reporter && organisation_id.is_none() {
            return Err(cncl_domain::DomainError::new(
                "organisation_id",
                msg("mã truy cập báo cáo thuộc về đúng một tổ chức", "a reporter token reports for one organisation"),
            )
            .into());
        }
        if expires_at <= self.now() {
            return Err(cncl_domain::DomainError::new(
                "expires_at",
                msg("phải là thời điểm trong tương lai", "must be in the future"),
            )
            .into());
        }
        if role == Role::Admin {
            self.may_create_admin_token(actor, expires_at).await?;
        }
        let secret = format!("cncl_{}", random_hex(32)?);
        let token = ApiToken {
            id: Uuid::now_v7(),
            token_hash: token_hash(&secret),
            name: name.to_owned(),
            role: role.as_str().to_owned(),
            organisation_id,
            products,
            created_by: actor.name.clone(),
            created_at: stamp(self.now()),
            expires_at: stamp(expires_at),
            revoked_at: None,
        };
        let mut tx = self.store.begin(self.writer(actor)).await?;
        tx.insert_api_token(&token).await?;
        tx.commit().await?;
        Ok((token, secret))
    }

    /// An admin token acts with every right and no second factor, so only a person who has
    /// one makes it (an admin signed in with TOTP, or the command line on the database
    /// itself), never another token, and it lives at most `admin_token_lifetime`.
    async fn may_create_admin_token(&self, actor: &Actor, expires_at: DateTime<Utc>) -> Result<(), AppError> {
        let refused = || {
            AppError::Forbidden(msg(
                "mã truy cập quản trị chỉ do quản trị viên đã đăng nhập bằng TOTP, hoặc dòng lệnh, tạo ra",
                "an admin token is made only by an admin signed in with TOTP, or on the command line",
            ))
        };
        if actor.by_token {
            return Err(refused());
        }
        if let Some(id) = actor.account {
            let account = self.store.account(id).await?.ok_or_else(refused)?;
            if !account.totp_enabled {
                return Err(refused());
            }
        }
        let lifetime = self.auth_policy().admin_token_lifetime;
        if expires_at > self.now() + lifetime {
            let days = lifetime.num_days();
            return Err(cncl_domain::DomainError::new(
                "expires_at",
                msg(
                    format!("mã truy cập quản trị chỉ có hiệu lực tối đa {days} ngày"),
                    format!("an admin token lives at most {days} days"),
                ),
            )
            .into());
        }
        Ok(())
    }

    pub async fn revoke_api_token(&self, actor: &Actor, id: Uuid) -> Result<(), AppError> {
        policy::office(actor, true)?;
        let token = self.store.api_tokens().await?.into_iter().find(|t| t.id == id);
        let token = token.ok_or(AppError::NotFound { noun: "API token", id: id.to_string() })?;
        let mut tx = self.store.begin(self.writer(actor)).await?;
        if !tx.revoke_api_token(&token, &stamp(self.now())).await? {
            return Err(AppError::Conflict {
                field: None,
                message: msg("mã truy cập này đã bị thu hồi", "the token is already revoked"),
            });
        }
        tx.commit().await?;
        Ok(())
    }

    /// The actor behind a bearer token; expired or revoked tokens are refused.
    pub async fn token_actor(&self, secret: &str) -> Result<Actor, AppError> {
        let token = self.store.api_token(&token_hash(secret)).await?.ok_or(AppError::Unauthenticated)?;
        let expired = parse_stamp(&token.expires_at).is_none_or(|t| t <= self.now());
        if token.revoked_at.is_some() || expired {
            return Err(AppError::Unauthenticated);
        }
        Ok(Actor {
            name: format!("token:{}", token.name),
            account: None,
            role: Role::parse(&token.role),
            organisation: token.organisation_id,
            products: token.products,
            by_token: true,
        })
    }
}
