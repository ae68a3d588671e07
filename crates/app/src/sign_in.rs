//! Signing in and out: passwords checked behind the throttle (`throttle.rs`), server-side
//! sessions with idle expiry and a CSRF token each, a fresh session token at sign-in and at
//! every password change, and the TOTP second factor (required for admins).

use chrono::{DateTime, Utc};
use cncl_store::accounts::{Account, Session};

use crate::accounts::{
    Pending, SessionView, actor_of, hex_bytes, parse_stamp, random_hex, stamp, token_hash, totp_for,
};
use crate::throttle::Counter;
use crate::{App, AppError, passwords};

/// What a successful sign-in (or password change) returns: the session's secret (for the
/// cookie) and what is still pending.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub token: String,
    pub pending: Option<Pending>,
}

impl App {
    /// The counters a sign-in as `username` from `address` is counted under.
    fn sign_in_counters(&self, username: &str, address: &str) -> [Counter; 3] {
        let policy = self.auth_policy();
        [
            Counter::refusing(format!("account-address:{username}:{address}"), policy.attempts_per_account_and_address),
            Counter::refusing(format!("account:{username}"), policy.attempts_per_account),
            Counter::slowing(format!("address:{address}"), policy.attempts_per_address),
        ]
    }

    /// Check a username and password from `address`. Always a new session token, so a
    /// session id known before sign-in is worthless after it. An unknown username is checked
    /// against a dummy hash and answered like a wrong password, in the same time.
    pub async fn sign_in(&self, username: &str, password: &str, address: &str) -> Result<SignedIn, AppError> {
        let counters = self.sign_in_counters(username, address);
        self.count_attempt(&counters).await?;
        let account = self.store.account_by_username(username).await?;
        let right = passwords::matches(password, account.as_ref().map(|a| a.password_hash.as_str()));
        let Some(account) = account.filter(|_| right) else {
            return Err(AppError::Forbidden(cncl_domain::msg(
                "sai tên đăng nhập hoặc mật khẩu",
                "wrong username or password",
            )));
        };
        self.attempt_succeeded(&counters).await?;
        let now = self.now();
        let last_used = account.last_used_at.as_deref().or(Some(account.created_at.as_str())).and_then(parse_stamp);
        let mut tx = self.store.begin(self.writer(&actor_of(&account))).await?;
        if !account.disabled && last_used.is_some_and(|t| now - t > self.auth_policy().unused_limit) {
            let mut disabled = account.clone();
            disabled.disabled = true;
            tx.update_account(&account, &disabled).await?;
            tx.commit().await?;
            return Err(AppError::Forbidden(cncl_domain::msg(
                "tài khoản đã bị khóa sau 45 ngày không dùng; hãy liên hệ Văn phòng Chương trình",
                "this account was disabled after 45 days unused; ask the programme office",
            )));
        }
        if account.disabled {
            return Err(AppError::Forbidden(cncl_domain::msg(
                "tài khoản đã bị khóa; hãy liên hệ Văn phòng Chương trình",
                "this account is disabled; ask the programme office",
            )));
        }
        let token = random_hex(32)?;
        let session = new_session(&token, &account, !account.totp_enabled, address, now)?;
        tx.insert_session(&session).await?;
        let mut used = account.clone();
        used.last_used_at = Some(stamp(now));
        tx.update_account(&account, &used).await?;
        tx.log_account_event("sign_in", &used).await?;
        tx.commit().await?;
        Ok(SignedIn { token, pending: pending(&used, &session) })
    }

    /// Replace a session's password after checking the current one. The session continues
    /// under a new token (returned, for the cookie), and every other session of the account
    /// ends: whoever knew the old password or held the old token is signed out.
    pub async fn change_password(&self, token: &str, current: &str, new: &str) -> Result<SignedIn, AppError> {
        let view = self.session(token).await?;
        let account = view.account;
        let counters = [Counter::refusing(
            format!("password:{}", account.username),
            self.auth_policy().attempts_per_account_and_address,
        )];
        self.count_attempt(&counters).await?;
        if !passwords::matches(current, Some(&account.password_hash)) {
            return Err(AppError::Forbidden(cncl_domain::msg(
                "mật khẩu hiện tại không đúng",
                "the current password is not right",
            )));
        }
        self.attempt_succeeded(&counters).await?;
        let new = passwords::checked("new_password", new.to_owned(), &[&account.username, &account.display_name])?;
        if new == current {
            return Err(cncl_domain::DomainError::new(
                "new_password",
                cncl_domain::msg("phải khác mật khẩu hiện tại", "must differ from the current password"),
            )
            .into());
        }
        let old = self.store.session(&token_hash(token)).await?.ok_or(AppError::Unauthenticated)?;
        let after =
            Account { password_hash: passwords::hash(&new)?, password_change_required: false, ..account.clone() };
        let token = random_hex(32)?;
        let session = new_session(&token, &after, old.second_factor_done, &old.address, self.now())?;
        let mut tx = self.store.begin(self.writer(&view.actor)).await?;
        tx.update_account(&account, &after).await?;
        tx.insert_session(&session).await?;
        tx.delete_other_sessions(account.id, &session.token_hash).await?;
        tx.commit().await?;
        Ok(SignedIn { token, pending: pending(&after, &session) })
    }

    /// The session behind a token, refreshed; expired when idle too long.
    pub async fn session(&self, token: &str) -> Result<SessionView, AppError> {
        let hash = token_hash(token);
        let session = self.store.session(&hash).await?.ok_or(AppError::Unauthenticated)?;
        let now = self.now();
        let idle = parse_stamp(&session.last_seen_at).is_none_or(|t| now - t > self.auth_policy().idle_timeout);
        let account = self.store.account(session.account_id).await?.filter(|a| !a.disabled);
        let mut tx = self.store.begin(self.writer(&crate::Actor::system("cncl"))).await?;
        let Some(account) = account.filter(|_| !idle) else {
            tx.delete_session(&hash).await?;
            tx.commit().await?;
            return Err(AppError::Unauthenticated);
        };
        tx.touch_session(&hash, &stamp(now), session.second_factor_done).await?;
        tx.commit().await?;
        Ok(SessionView {
            unread: self.store.unread_notifications(account.id).await?,
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
            let actor = account.as_ref().map_or_else(|| crate::Actor::system("cncl"), actor_of);
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
            Some(_) => {
                return Err(AppError::Conflict {
                    field: None,
                    message: cncl_domain::msg("TOTP đã được thiết lập", "TOTP is already set up"),
                });
            }
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
        let url = totp.to_url().map_err(|e| AppError::internal(&e.to_string()))?;
        Ok((totp_rs::Secret::from(hex_bytes(&secret)).to_base32(), url))
    }

    /// Check a TOTP code: enrols the account if it was enrolling, and completes the sign-in.
    pub async fn confirm_totp(&self, token: &str, code: &str) -> Result<(), AppError> {
        let view = self.session(token).await?;
        let account = view.account;
        let counters = [Counter::refusing(
            format!("totp:{}", account.username),
            self.auth_policy().attempts_per_account_and_address,
        )];
        self.count_attempt(&counters).await?;
        let secret = account.totp_secret.clone().ok_or_else(|| AppError::Conflict {
            field: None,
            message: cncl_domain::msg("hãy thiết lập TOTP trước", "set up TOTP first"),
        })?;
        let unix = u64::try_from(self.now().timestamp()).unwrap_or(0);
        if totp_for(&account, &secret)?.check(code.trim(), unix).is_none() {
            return Err(AppError::Forbidden(cncl_domain::msg(
                "mã không đúng; hãy kiểm tra giờ trên thiết bị",
                "the code is not right; check the time on your device",
            )));
        }
        self.attempt_succeeded(&counters).await?;
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
}

fn new_session(
    token: &str,
    account: &Account,
    second_factor_done: bool,
    address: &str,
    now: DateTime<Utc>,
) -> Result<Session, AppError> {
    Ok(Session {
        token_hash: token_hash(token),
        account_id: account.id,
        csrf_token: random_hex(16)?,
        created_at: stamp(now),
        last_seen_at: stamp(now),
        second_factor_done,
        address: address.to_owned(),
    })
}

fn pending(account: &Account, session: &Session) -> Option<Pending> {
    if account.password_change_required {
        Some(Pending::PasswordChange)
    } else if account.role == crate::Role::Admin.as_str() && !account.totp_enabled {
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
    let secret = totp_rs::Secret::try_from_base32(base32_secret).map_err(|e| AppError::internal(&e.to_string()))?;
    let totp = totp_rs::Builder::new()
        .with_secret(secret)
        .with_account_name("check")
        .build()
        .map_err(|e| AppError::internal(&e.to_string()))?;
    Ok(totp.generate(u64::try_from(at.timestamp()).unwrap_or(0)).to_string())
}
