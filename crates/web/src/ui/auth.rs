//! Signing in and out, choosing one's own password after a one-time one, and the TOTP
//! second factor (set up on first sign-in for admins).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use cncl_app::AppError;
use cncl_app::accounts::Pending;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{
    Caller, LOGIN_CSRF_COOKIE, SESSION_COOKIE, check_form, constant_time_eq, cookie, pending_path, set_cookie,
};
use crate::client::ClientAddress;
use crate::error::{WebError, add_retry_after};
use crate::i18n::{Ui, request_lang, ui};

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub ui: &'static Ui,
    pub nav: super::Nav,
    pub csrf: String,
    pub message: Option<String>,
}

#[derive(Template)]
#[template(path = "totp.html")]
pub struct TotpPage {
    pub ui: &'static Ui,
    pub nav: super::Nav,
    pub csrf: String,
    /// For enrolment: the secret to type in and the otpauth URL.
    pub enrol: Option<(String, String)>,
    pub message: Option<String>,
}

fn login_page(headers: &HeaderMap, status: StatusCode, message: Option<String>) -> Result<Response, WebError> {
    let csrf = cncl_app::accounts::random_hex(16)?;
    let page =
        LoginPage { ui: ui(request_lang(None, headers)), nav: super::Nav::default(), csrf: csrf.clone(), message };
    let mut response = super::render(&page, None);
    *response.status_mut() = status;
    response.headers_mut().append(header::SET_COOKIE, set_cookie(headers, LOGIN_CSRF_COOKIE, Some(&csrf)));
    Ok(response)
}

pub async fn show_login(caller: Caller, headers: HeaderMap) -> Result<Response, WebError> {
    // A session half-way through signing in goes on to its next step.
    if let Some(pending) = caller.session.and_then(|s| s.pending) {
        return Ok(Redirect::to(pending_path(pending)).into_response());
    }
    login_page(&headers, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    csrf: String,
}

pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), form.csrf.as_bytes()) {
        return login_page(&headers, StatusCode::FORBIDDEN, Some(ui(request_lang(None, &headers)).form_expired.into()));
    }
    match state.app.sign_in(form.username.trim(), &form.password, &address).await {
        Ok(signed_in) => {
            // A session cookie from before sign-in is replaced, never reused.
            if let Some(old) = cookie(&headers, SESSION_COOKIE) {
                state.app.sign_out(&old).await?;
            }
            let to = signed_in.pending.map_or("/", pending_path);
            let mut response = Redirect::to(to).into_response();
            response
                .headers_mut()
                .append(header::SET_COOKIE, set_cookie(&headers, SESSION_COOKIE, Some(&signed_in.token)));
            response.headers_mut().append(header::SET_COOKIE, set_cookie(&headers, LOGIN_CSRF_COOKIE, None));
            Ok(response)
        }
        Err(error @ (AppError::Forbidden(_) | AppError::Throttled { .. })) => {
            let status = WebError(AppError::Unauthenticated).status();
            let status =
                if matches!(error, AppError::Throttled { .. }) { StatusCode::TOO_MANY_REQUESTS } else { status };
            let mut page = login_page(&headers, status, Some(error.to_string()))?;
            add_retry_after(&error, &mut page);
            Ok(page)
        }
        Err(other) => Err(WebError(other)),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    check_form(&caller, &form.csrf)?;
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        state.app.sign_out(&token).await?;
    }
    let mut response = Redirect::to("/").into_response();
    response.headers_mut().append(header::SET_COOKIE, set_cookie(&headers, SESSION_COOKIE, None));
    Ok(response)
}

pub async fn show_totp(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let (Some(session), Some(token)) = (&caller.session, cookie(&headers, SESSION_COOKIE)) else {
        return Ok(Redirect::to("/login").into_response());
    };
    let enrol = match session.pending {
        None => return Ok(Redirect::to("/").into_response()),
        Some(Pending::Enrolment) => Some(state.app.totp_enrolment(&token).await?),
        Some(Pending::SecondFactor) => None,
        Some(Pending::PasswordChange) => return Ok(Redirect::to("/password").into_response()),
    };
    let page = TotpPage {
        ui: ui(request_lang(None, &headers)),
        nav: super::Nav::default(),
        csrf: session.csrf_token.clone(),
        enrol,
        message: None,
    };
    Ok(super::render(&page, None))
}

#[derive(Deserialize)]
pub struct TotpForm {
    code: String,
    csrf: String,
}

pub async fn totp(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<TotpForm>,
) -> Result<Response, WebError> {
    check_form(&caller, &form.csrf)?;
    let token = cookie(&headers, SESSION_COOKIE).ok_or(WebError(AppError::Unauthenticated))?;
    state.app.confirm_totp(&token, &form.code).await?;
    Ok(Redirect::to("/").into_response())
}

#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordPage {
    pub ui: &'static Ui,
    pub nav: super::Nav,
    pub csrf: String,
    /// The password was a one-time one.
    pub required: bool,
    pub message: Option<String>,
}

fn password_page(caller: &Caller, headers: &HeaderMap, status: StatusCode, message: Option<String>) -> Response {
    let Some(session) = &caller.session else {
        return Redirect::to("/login").into_response();
    };
    let page = PasswordPage {
        ui: ui(request_lang(None, headers)),
        nav: super::Nav::of(caller),
        csrf: session.csrf_token.clone(),
        required: session.pending == Some(Pending::PasswordChange),
        message,
    };
    let mut response = super::render(&page, None);
    *response.status_mut() = status;
    response
}

pub async fn show_password(caller: Caller, headers: HeaderMap) -> Response {
    password_page(&caller, &headers, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    repeat: String,
    csrf: String,
}

pub async fn password(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    check_form(&caller, &form.csrf)?;
    let token = cookie(&headers, SESSION_COOKIE).ok_or(WebError(AppError::Unauthenticated))?;
    if form.new != form.repeat {
        let message = ui(request_lang(None, &headers)).passwords_differ.to_owned();
        return Ok(password_page(&caller, &headers, StatusCode::UNPROCESSABLE_ENTITY, Some(message)));
    }
    match state.app.change_password(&token, &form.current, &form.new).await {
        Ok(signed_in) => {
            // The session goes on under a new token: the old one may have been seen.
            let mut response = Redirect::to(signed_in.pending.map_or("/", pending_path)).into_response();
            response
                .headers_mut()
                .append(header::SET_COOKIE, set_cookie(&headers, SESSION_COOKIE, Some(&signed_in.token)));
            Ok(response)
        }
        Err(error @ (AppError::Forbidden(_) | AppError::Throttled { .. } | AppError::Invalid(_))) => {
            let message = error.to_string();
            let mut page = password_page(&caller, &headers, WebError::status_of(&error), Some(message));
            add_retry_after(&error, &mut page);
            Ok(page)
        }
        Err(other) => Err(WebError(other)),
    }
}
