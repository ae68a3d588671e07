//! Accounts and sign-in: argon2id passwords, server-side sessions with idle expiry and a CSRF
//! token each, throttling of failed sign-ins per account and per address, TOTP second factor
//! (required for admins), accounts disabled after 45 days unused, and API tokens for machine
//! clients. Sessions live in the database, so several app instances on one PostgreSQL share
//! them.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Duration, Utc};
use cncl_store::accounts::{Account, ApiToken, Session};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::policy::{self, Actor, Role};
use crate::{App, AppError};

/// Limits of sign-in and sessions; the defaults are the programme office's policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthPolicy {
    pub idle_timeout: Duration,
    pub failure_window: Duration,
    pub failures_per_account: i64,
    pub failures_per_address: i64,
    pub unused_limit: Duration,
}

impl Default for AuthPolicy {
    fn default() -> Self {
        AuthPolicy {
            idle_timeout: Duration::minutes(15),
            failure_window: Duration::minutes(15),
            failures_per_account: 5,
            failures_per_address: 20,
            unused_limit: Duration::days(45),
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
    getrandom::fill(&mut buf).map_err(|e| internal(&format!("no randomness: {e}")))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

fn internal(message: &str) -> AppError {
    AppError::Internal(cncl_store::StoreError::Reader(message.to_owned()))
}

/// Session and API tokens are random; only their SHA-256 is stored.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn hash_password(password: &str) -> Result<String, AppError> {
    Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| internal(&e.to_string()))
}

/// A password someone chose: long enough to resist guessing (NIST SP 800-63B asks for at
/// least 8; cncl asks for 12 because accounts reach enterprises' unpublished data).
fn checked_password(field: &str, password: String) -> Result<String, AppError> {
    if password.chars().count() < 12 {
        return Err(cncl_domain::DomainError::new(field, "must be at least 12 characters").into());
    }
    Ok(password)
}

fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn parse_stamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len()).step_by(2).filter_map(|i| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok())).collect()
}

fn totp_for(account: &Account, secret_hex: &str) -> Result<totp_rs::Totp, AppError> {
    totp_rs::Builder::new()
        .with_secret(hex_bytes(secret_hex))
        .with_issuer(Some("cncl"))
        .with_account_name(account.username.clone())
        .build()
        .map_err(|e| internal(&e.to_string()))
}

/// The actor an account acts as.
pub fn actor_of(account: &Account) -> Actor {
    Actor {
        name: account.username.clone(),
        account: Some(account.id),
        role: Role::parse(&account.role),
        organisation: account.organisation_id,
        products: account.products.clone(),
    }
}

/// What a successful sign-in returns: the session's secret (for the cookie) and what is
/// still pending.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub token: String,
    pub pending: Option<Pending>,
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
            return Err(cncl_domain::DomainError::new("username", "must be 1 to 64 characters").into());
        }
        if new.role == Role::Reporter && new.organisation_id.is_none() {
            return Err(
                cncl_domain::DomainError::new("organisation_id", "a reporter reports for one organisation").into()
            );
        }
        if self.store.account_by_username(&new.username).await?.is_some() {
            return Err(AppError::Conflict {
                field: Some("username".into()),
                message: "this username is taken".into(),
            });
        }
        let generated = new.password.is_none();
        let password = match new.password {
            Some(p) => checked_password("password", p)?,
            None => random_hex(12)?,
        };
        let account = Account {
            id: Uuid::now_v7(),
            username: new.username.trim().to_owned(),
            display_name: new.display_name,
            password_hash: hash_password(&password)?,
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
            password_hash: hash_password(&password)?,
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

    /// Replace a session's password after checking the current one. Returns what is still
    /// pending before the session may act.
    pub async fn change_password(&self, token: &str, current: &str, new: &str) -> Result<Option<Pending>, AppError> {
        let view = self.session(token).await?;
        let account = view.account;
        let keys = [(format!("password:{}", account.username), self.auth_policy().failures_per_account)];
        self.throttled(&keys).await?;
        if !password_matches(current, &account.password_hash) {
            self.record_failure(&keys).await?;
            return Err(AppError::Forbidden("the current password is not right".into()));
        }
        let new = checked_password("new_password", new.to_owned())?;
        if new == current {
            return Err(cncl_domain::DomainError::new("new_password", "must differ from the current password").into());
        }
        let after = Account { password_hash: hash_password(&new)?, password_change_required: false, ..account.clone() };
        let mut tx = self.store.begin(self.writer(&view.actor)).await?;
        tx.update_account(&account, &after).await?;
        // Whoever knew the old password is signed out everywhere but here.
        tx.delete_other_sessions(account.id, &token_hash(token)).await?;
        tx.commit().await?;
        let session = self.store.session(&token_hash(token)).await?.ok_or(AppError::Unauthenticated)?;
        Ok(pending(&after, &session))
    }

    pub async fn accounts(&self, actor: &Actor) -> Result<Vec<Account>, AppError> {
        policy::office(actor, true)?;
        Ok(self.store.accounts().await?)
    }

    async fn throttled(&self, keys: &[(String, i64)]) -> Result<(), AppError> {
        let policy = self.auth_policy();
        let since = stamp(self.now() - policy.failure_window);
        for (key, limit) in keys {
            if self.store.failures_since(key, &since).await? >= *limit {
                let retry_after_seconds = u64::try_from(policy.failure_window.num_seconds()).unwrap_or(900);
                return Err(AppError::Throttled { retry_after_seconds });
            }
        }
        Ok(())
    }

    async fn record_failure(&self, keys: &[(String, i64)]) -> Result<(), AppError> {
        let mut tx = self.store.begin(self.writer(&Actor::system("cncl"))).await?;
        for (key, _) in keys {
            tx.record_failure(key, &stamp(self.now())).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Check a username and password from `address`. Always a new session token, so a
    /// session id known before sign-in is worthless after it.
    pub async fn sign_in(&self, username: &str, password: &str, address: &str) -> Result<SignedIn, AppError> {
        let policy = self.auth_policy();
        let keys = [
            (format!("account:{username}"), policy.failures_per_account),
            (format!("address:{address}"), policy.failures_per_address),
        ];
        self.throttled(&keys).await?;
        let account = self.store.account_by_username(username).await?;
        let Some(account) = account.filter(|a| password_matches(password, &a.password_hash)) else {
            self.record_failure(&keys).await?;
            return Err(AppError::Forbidden("wrong username or password".into()));
        };
        let now = self.now();
        let last_used = account.last_used_at.as_deref().or(Some(account.created_at.as_str())).and_then(parse_stamp);
        let mut tx = self.store.begin(self.writer(&actor_of(&account))).await?;
        if !account.disabled && last_used.is_some_and(|t| now - t > policy.unused_limit) {
            let mut disabled = account.clone();
            disabled.disabled = true;
            tx.update_account(&account, &disabled).await?;
            tx.commit().await?;
            return Err(AppError::Forbidden(
                "this account was disabled after 45 days unused; ask the programme office".into(),
            ));
        }
        if account.disabled {
            return Err(AppError::Forbidden("this account is disabled; ask the programme office".into()));
        }
        tx.clear_failures(&keys[0].0).await?;
        let token = random_hex(32)?;
        let session = Session {
            token_hash: token_hash(&token),
            account_id: account.id,
            csrf_token: random_hex(16)?,
            created_at: stamp(now),
            last_seen_at: stamp(now),
            second_factor_done: !account.totp_enabled,
            address: address.to_owned(),
        };
        tx.insert_session(&session).await?;
        let mut used = account.clone();
        used.last_used_at = Some(stamp(now));
        tx.update_account(&account, &used).await?;
        tx.log_account_event("sign_in", &used).await?;
        tx.commit().await?;
        Ok(SignedIn { token, pending: pending(&used, &session) })
    }

    /// The session behind a token, refreshed; expired when idle too long.
    pub async fn session(&self, token: &str) -> Result<SessionView, AppError> {
        let hash = token_hash(token);
        let session = self.store.session(&hash).await?.ok_or(AppError::Unauthenticated)?;
        let now = self.now();
        let idle = parse_stamp(&session.last_seen_at).is_none_or(|t| now - t > self.auth_policy().idle_timeout);
        let account = self.store.account(session.account_id).await?.filter(|a| !a.disabled);
        let mut tx = self.store.begin(self.writer(&Actor::system("cncl"))).await?;
        let Some(account) = account.filter(|_| !idle) else {
            tx.delete_session(&hash).await?;
            tx.commit().await?;
            return Err(AppError::Unauthenticated);
        };
        tx.touch_session(&hash, &stamp(now), session.second_factor_done).await?;
        tx.commit().await?;
        Ok(SessionView {
            actor: actor_of(&account),
            pending: pending(&account, &session),
            csrf_token: session.csrf_token,
            account,
        })
    }

    pub async fn sign_out(&self, token: &str) -> Result<(), AppError> {
        let hash = token_hash(token);
        if let Some(session) = self.store.session(&hash).await? {
            let account = self.store.account(session.account_id).await?;
            let actor = account.as_ref().map_or_else(|| Actor::system("cncl"), actor_of);
            let mut tx = self.store.begin(self.writer(&actor)).await?;
            tx.delete_session(&hash).await?;
            if let Some(account) = &account {
                tx.log_account_event("sign_out", account).await?;
            }
            tx.commit().await?;
        }
        Ok(())
    }

    /// The TOTP secret to enrol (generated on first request) and its otpauth URL.
    pub async fn totp_enrolment(&self, token: &str) -> Result<(String, String), AppError> {
        let view = self.session(token).await?;
        let before = view.account;
        let secret = match &before.totp_secret {
            Some(secret) if !before.totp_enabled => secret.clone(),
            Some(_) => return Err(AppError::Conflict { field: None, message: "TOTP is already set up".into() }),
            None => random_hex(20)?,
        };
        if before.totp_secret.is_none() {
            let mut after = before.clone();
            after.totp_secret = Some(secret.clone());
            let mut tx = self.store.begin(self.writer(&view.actor)).await?;
            tx.update_account(&before, &after).await?;
            tx.commit().await?;
        }
        let totp = totp_for(&before, &secret)?;
        let url = totp.to_url().map_err(|e| internal(&e.to_string()))?;
        Ok((totp_rs::Secret::from(hex_bytes(&secret)).to_base32(), url))
    }

    /// Check a TOTP code: enrols the account if it was enrolling, and completes the sign-in.
    pub async fn confirm_totp(&self, token: &str, code: &str) -> Result<(), AppError> {
        let view = self.session(token).await?;
        let account = view.account;
        let keys = [(format!("totp:{}", account.username), self.auth_policy().failures_per_account)];
        self.throttled(&keys).await?;
        let secret = account
            .totp_secret
            .clone()
            .ok_or_else(|| AppError::Conflict { field: None, message: "set up TOTP first".into() })?;
        let unix = u64::try_from(self.now().timestamp()).unwrap_or(0);
        if totp_for(&account, &secret)?.check(code.trim(), unix).is_none() {
            self.record_failure(&keys).await?;
            return Err(AppError::Forbidden("the code is not right; check the time on your device".into()));
        }
        let mut tx = self.store.begin(self.writer(&view.actor)).await?;
        if !account.totp_enabled {
            let mut after = account.clone();
            after.totp_enabled = true;
            tx.update_account(&account, &after).await?;
        }
        tx.touch_session(&token_hash(token), &stamp(self.now()), true).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A token for a machine client, scoped to a role and (for reporters) an organisation.
    /// The token itself is returned only here.
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
                "a reporter token reports for one organisation",
            )
            .into());
        }
        if expires_at <= self.now() {
            return Err(cncl_domain::DomainError::new("expires_at", "must be in the future").into());
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

    pub async fn revoke_api_token(&self, actor: &Actor, id: Uuid) -> Result<(), AppError> {
        policy::office(actor, true)?;
        let token = self.store.api_tokens().await?.into_iter().find(|t| t.id == id);
        let token = token.ok_or(AppError::NotFound { noun: "API token", id: id.to_string() })?;
        let mut tx = self.store.begin(self.writer(actor)).await?;
        if !tx.revoke_api_token(&token, &stamp(self.now())).await? {
            return Err(AppError::Conflict { field: None, message: "the token is already revoked".into() });
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
        })
    }
}

fn pending(account: &Account, session: &Session) -> Option<Pending> {
    if account.password_change_required {
        Some(Pending::PasswordChange)
    } else if account.role == Role::Admin.as_str() && !account.totp_enabled {
        Some(Pending::Enrolment)
    } else if !session.second_factor_done {
        Some(Pending::SecondFactor)
    } else {
        None
    }
}

/// The TOTP code at `at` for a secret as shown at enrolment (base32): what an authenticator
/// app would show. For tests and scripts.
pub fn code_for(base32_secret: &str, at: DateTime<Utc>) -> Result<String, AppError> {
    let secret = totp_rs::Secret::try_from_base32(base32_secret).map_err(|e| internal(&e.to_string()))?;
    let totp = totp_rs::Builder::new()
        .with_secret(secret)
        .with_account_name("check")
        .build()
        .map_err(|e| internal(&e.to_string()))?;
    Ok(totp.generate(u64::try_from(at.timestamp()).unwrap_or(0)).to_string())
}
