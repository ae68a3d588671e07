//! Signing in and out, choosing one's own password after a one-time one, and the TOTP
//! second factor (set up on first sign-in for admins).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use cncl_app::AppError;
use cncl_app::accounts::Pending;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{Caller, Cookies, LOGIN_CSRF_COOKIE, SESSION_COOKIE, check_form, constant_time_eq, pending_path};
use crate::client::ClientAddress;
use crate::error::{WebError, add_retry_after};
use crate::extract::Language;
use crate::i18n::{Ui, ui};

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub ui: &'static Ui,
    pub nav: crate::ui::page::Nav,
    pub csrf: String,
    pub message: Option<String>,
}

#[derive(Template)]
#[template(path = "totp.html")]
pub struct TotpPage {
    pub ui: &'static Ui,
    pub nav: crate::ui::page::Nav,
    pub csrf: String,
    /// For enrolment: the secret to type in and the otpauth URL.
    pub enrol: Option<(String, String)>,
    pub message: Option<String>,
}

fn login_page(
    cookies: Cookies,
    language: Language,
    status: StatusCode,
    message: Option<String>,
) -> Result<Response, WebError> {
    let csrf = cncl_app::accounts::random_hex(16)?;
    let page = LoginPage { ui: ui(language.lang), nav: crate::ui::page::Nav::default(), csrf: csrf.clone(), message };
    let mut response =
        (cookies.set(LOGIN_CSRF_COOKIE, &csrf), crate::ui::page::render(&page, language.remember())).into_response();
    *response.status_mut() = status;
    Ok(response)
}

pub async fn show_login(caller: Caller, cookies: Cookies, language: Language) -> Result<Response, WebError> {
    // A session half-way through signing in goes on to its next step.
    if let Some(pending) = caller.session.and_then(|s| s.pending) {
        return Ok(Redirect::to(pending_path(pending)).into_response());
    }
    login_page(cookies, language, StatusCode::OK, None)
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
    cookies: Cookies,
    language: Language,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let expected = cookies.get(LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), form.csrf.as_bytes()) {
        let message = ui(language.lang).form_expired.into();
        return login_page(cookies, language, StatusCode::FORBIDDEN, Some(message));
    }
    match state.app.sign_in(form.username.trim(), &form.password, &address).await {
        Ok(signed_in) => {
            // A session cookie from before sign-in is replaced, never reused.
            if let Some(old) = cookies.get(SESSION_COOKIE) {
                state.app.sign_out(&old).await?;
            }
            let to = signed_in.pending.map_or("/", pending_path);
            let cookies = cookies.set(SESSION_COOKIE, &signed_in.token).clear(LOGIN_CSRF_COOKIE);
            Ok((cookies, Redirect::to(to)).into_response())
        }
        Err(error @ (AppError::Forbidden(_) | AppError::Throttled { .. })) => {
            let status = WebError(AppError::Unauthenticated).status();
            let status =
                if matches!(error, AppError::Throttled { .. }) { StatusCode::TOO_MANY_REQUESTS } else { status };
            let mut page = login_page(cookies, language, status, Some(error.message().get(language.lang).to_owned()))?;
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
    cookies: Cookies,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    check_form(&caller, &form.csrf)?;
    if let Some(token) = cookies.get(SESSION_COOKIE) {
        state.app.sign_out(&token).await?;
    }
    Ok((cookies.clear(SESSION_COOKIE), Redirect::to("/")).into_response())
}

pub async fn show_totp(
    State(state): State<AppState>,
    caller: Caller,
    cookies: Cookies,
    language: Language,
) -> Result<Response, WebError> {
    let (Some(session), Some(token)) = (&caller.session, cookies.get(SESSION_COOKIE)) else {
        return Ok(Redirect::to("/login").into_response());
    };
    let enrol = match session.pending {
        None => return Ok(Redirect::to("/").into_response()),
        Some(Pending::Enrolment) => Some(state.app.totp_enrolment(&token).await?),
        Some(Pending::SecondFactor) => None,
        Some(Pending::PasswordChange) => return Ok(Redirect::to("/password").into_response()),
    };
    let page = TotpPage {
        ui: ui(language.lang),
        nav: crate::ui::page::Nav::default(),
        csrf: session.csrf_token.clone(),
        enrol,
        message: None,
    };
    Ok(crate::ui::page::render(&page, language.remember()))
}

#[derive(Deserialize)]
pub struct TotpForm {
    code: String,
    csrf: String,
}

pub async fn totp(
    State(state): State<AppState>,
    caller: Caller,
    cookies: Cookies,
    Form(form): Form<TotpForm>,
) -> Result<Response, WebError> {
    check_form(&caller, &form.csrf)?;
    let token = cookies.get(SESSION_COOKIE).ok_or(WebError(AppError::Unauthenticated))?;
    state.app.confirm_totp(&token, &form.code).await?;
    Ok(Redirect::to("/").into_response())
}

#[derive(Template)]
#[template(path = "password.html")]
pub struct PasswordPage {
    pub ui: &'static Ui,
    pub nav: crate::ui::page::Nav,
    pub csrf: String,
    /// The password was a one-time one.
    pub required: bool,
    pub message: Option<String>,
}

fn password_page(caller: &Caller, language: Language, status: StatusCode, message: Option<String>) -> Response {
    let Some(session) = &caller.session else {
        return Redirect::to("/login").into_response();
    };
    let page = PasswordPage {
        ui: ui(language.lang),
        nav: crate::ui::page::Nav::of(caller),
        csrf: session.csrf_token.clone(),
        required: session.pending == Some(Pending::PasswordChange),
        message,
    };
    let mut response = crate::ui::page::render(&page, language.remember());
    *response.status_mut() = status;
    response
}

pub async fn show_password(caller: Caller, language: Language) -> Response {
    password_page(&caller, language, StatusCode::OK, None)
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
    cookies: Cookies,
    language: Language,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    check_form(&caller, &form.csrf)?;
    let token = cookies.get(SESSION_COOKIE).ok_or(WebError(AppError::Unauthenticated))?;
    if form.new != form.repeat {
        let message = ui(language.lang).passwords_differ.to_owned();
        return Ok(password_page(&caller, language, StatusCode::UNPROCESSABLE_ENTITY, Some(message)));
    }
    match state.app.change_password(&token, &form.current, &form.new).await {
        Ok(signed_in) => {
            // The session goes on under a new token: the old one may have been seen.
            let to = signed_in.pending.map_or("/", pending_path);
            Ok((cookies.set(SESSION_COOKIE, &signed_in.token), Redirect::to(to)).into_response())
        }
        Err(error @ (AppError::Forbidden(_) | AppError::Throttled { .. } | AppError::Invalid(_))) => {
            let message = error.message().get(language.lang).to_owned();
            let mut page = password_page(&caller, language, WebError::status_of(&error), Some(message));
            add_retry_after(&error, &mut page);
            Ok(page)
        }
        Err(other) => Err(WebError(other)),
    }
}
