//! Who is asking: a bearer API token, or the session cookie, or nobody. Also the cookies
//! themselves (HttpOnly, SameSite=Lax, Secure behind TLS) and the CSRF checks: a form post
//! must carry its session's token (or, to sign in, the token of its pre-session cookie); an
//! API write authenticated by cookie must be JSON, which a cross-site form cannot send.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use cncl_app::accounts::{Pending, SessionView};
use cncl_app::{Actor, AppError};

use crate::AppState;
use crate::error::WebError;

pub const SESSION_COOKIE: &str = "cncl_session";
/// Carries the CSRF token of the sign-in form, before there is a session.
pub const LOGIN_CSRF_COOKIE: &str = "cncl_login_csrf";

/// The request's cookies, and those the answer sets or clears: always HttpOnly,
/// SameSite=Lax and Path=/, and Secure when the client came over TLS.
#[derive(Debug, Clone)]
pub struct Cookies {
    jar: CookieJar,
    secure: bool,
}

impl Cookies {
    /// The value of cookie `name`.
    pub fn get(&self, name: &str) -> Option<String> {
        self.jar.get(name).map(|c| c.value().to_owned())
    }

    fn cookie(&self, name: &'static str, value: String) -> Cookie<'static> {
        Cookie::build((name, value)).path("/").http_only(true).same_site(SameSite::Lax).secure(self.secure).build()
    }

    /// The answer sets cookie `name` to `value`.
    #[must_use]
    pub fn set(self, name: &'static str, value: &str) -> Self {
        let cookie = self.cookie(name, value.to_owned());
        Cookies { jar: self.jar.add(cookie), ..self }
    }

    /// The answer clears cookie `name`.
    #[must_use]
    pub fn clear(self, name: &'static str) -> Self {
        let cookie = self.cookie(name, String::new());
        Cookies { jar: self.jar.remove(cookie), ..self }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Cookies {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_request_parts(parts, state).await?;
        // Behind a proxy that terminates TLS; a client that claims it gets Secure cookies,
        // which only makes its own cookies stricter.
        let secure = parts
            .headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.eq_ignore_ascii_case("https"));
        Ok(Cookies { jar, secure })
    }
}

impl axum::response::IntoResponseParts for Cookies {
    type Error = std::convert::Infallible;

    fn into_response_parts(
        self,
        parts: axum::response::ResponseParts,
    ) -> Result<axum::response::ResponseParts, Self::Error> {
        self.jar.into_response_parts(parts)
    }
}

/// The request's actor and, for a signed-in browser, its session.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    pub session: Option<SessionView>,
    /// Authenticated by the session cookie (so writes need CSRF protection).
    pub by_cookie: bool,
}

impl Caller {
    /// The session, if sign-in was completed (password and, where required, TOTP).
    pub fn completed(&self) -> bool {
        self.session.as_ref().is_some_and(|s| s.pending.is_none())
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        if let Some(bearer) = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
            let token = bearer.strip_prefix("Bearer ").ok_or_else(|| WebError(AppError::Unauthenticated))?;
            let actor = state.app.token_actor(token.trim()).await?;
            return Ok(Caller { actor, session: None, by_cookie: false });
        }
        let cookies = Cookies::from_request_parts(parts, state).await.unwrap_or_else(|never| match never {});
        let Some(token) = cookies.get(SESSION_COOKIE) else {
            return Ok(Caller { actor: Actor::anonymous(), session: None, by_cookie: false });
        };
        match state.app.session(&token).await {
            Ok(view) => {
                // Until the second factor is done the session acts as nobody.
                let actor = if view.pending.is_none() { view.actor.clone() } else { Actor::anonymous() };
                Ok(Caller { actor, session: Some(view), by_cookie: true })
            }
            Err(AppError::Unauthenticated) => Ok(Caller { actor: Actor::anonymous(), session: None, by_cookie: false }),
            Err(other) => Err(WebError(other)),
        }
    }
}

/// An API write: who is calling (signed in, or 401 whatever the body), with its body read
/// but not parsed. The handler asks the policy whether the caller may do this kind of thing
/// before it parses the body or looks anything up, so a refusal never depends on what was
/// sent or what exists.
///
/// Authenticated by cookie, the body must declare JSON: browsers do not send that cross-site
/// without a CORS preflight, which cncl never grants.
pub struct ApiWrite {
    pub caller: Caller,
    body: axum::body::Bytes,
}

/// The largest API body read: a record is a few kilobytes.
const MAX_API_BODY_BYTES: usize = 1024 * 1024;

impl axum::extract::FromRequest<AppState> for ApiWrite {
    type Rejection = WebError;

    async fn from_request(request: axum::extract::Request, state: &AppState) -> Result<Self, WebError> {
        let (mut parts, body) = request.into_parts();
        let caller = Caller::from_request_parts(&mut parts, state).await?;
        if caller.actor.is_anonymous() {
            return Err(WebError(AppError::Unauthenticated));
        }
        let json =
            parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
                v.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
            });
        if caller.by_cookie && !json {
            return Err(WebError(AppError::Forbidden(cncl_domain::msg(
                "hãy gửi JSON (Content-Type: application/json) khi đăng nhập bằng cookie",
                "send JSON (Content-Type: application/json) when signed in by cookie",
            ))));
        }
        let body = axum::body::to_bytes(body, MAX_API_BODY_BYTES)
            .await
            .map_err(|_| WebError::too_large("body", MAX_API_BODY_BYTES))?;
        Ok(ApiWrite { caller, body })
    }
}

impl ApiWrite {
    pub fn actor(&self) -> &Actor {
        &self.caller.actor
    }

    /// The body's bytes; read them once the caller may do this.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as `T`, its errors naming the field; call once the caller may do this.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, WebError> {
        Ok(cncl_domain::parse_input(&self.body)?)
    }

    /// The body as any JSON value.
    pub fn value(&self) -> Result<serde_json::Value, WebError> {
        serde_json::from_slice(&self.body)
            .map_err(|e| WebError::bad_request("body", crate::error::rejected(format!("malformed JSON: {e}"))))
    }
}

/// A form post must carry its session's CSRF token.
pub fn check_form(caller: &Caller, token: &str) -> Result<(), WebError> {
    match &caller.session {
        Some(session) if constant_time_eq(session.csrf_token.as_bytes(), token.as_bytes()) => Ok(()),
        // The session expired (or was never there): sign in, and the form comes back filled in.
        None => Err(WebError(AppError::Unauthenticated)),
        Some(_) => Err(WebError(AppError::Forbidden(cncl_domain::msg(
            "biểu mẫu đã hết hạn hoặc không do cncl tạo ra; hãy tải lại trang",
            "the form has expired or did not come from cncl; reload the page",
        )))),
    }
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn pending_path(pending: Pending) -> &'static str {
    match pending {
        Pending::PasswordChange => "/password",
        Pending::SecondFactor | Pending::Enrolment => "/totp",
    }
}
