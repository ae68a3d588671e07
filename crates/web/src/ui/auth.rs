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
use crate::ui::return_to::{RETURN_COOKIE, Resume, cookie_value, destination, from_cookie};

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub ui: &'static Ui,
    pub nav: crate::ui::page::Nav,
    pub csrf: String,
    pub message: Option<String>,
    /// Where to go once signed in, and what a form held when the session expired under it.
    pub resume: Resume,
}

#[derive(Template)]
#[template(path = "totp.html")]
pub struct TotpPage {
    pub ui: &'static Ui,
    pub nav: crate::ui::page::Nav,
    pub csrf: String,
    /// For enrolment: the secret to type in, the otpauth URL, and that URL as a QR code (SVG)
    /// for an authenticator app to scan.
    pub enrol: Option<(String, String, String)>,
    pub message: Option<String>,
}

pub fn login_page(
    cookies: Cookies,
    language: Language,
    status: StatusCode,
    message: Option<String>,
    resume: Resume,
) -> Result<Response, WebError> {
    let csrf = cncl_app::accounts::random_hex(16)?;
    let nav = crate::ui::page::Nav::default();
    let page = LoginPage { ui: ui(language.lang), nav, csrf: csrf.clone(), message, resume };
    let mut response =
        (cookies.set(LOGIN_CSRF_COOKIE, &csrf), crate::ui::page::render(&page, language.remember())).into_response();
    *response.status_mut() = status;
    Ok(response)
}

pub async fn show_login(
    caller: Caller,
    cookies: Cookies,
    language: Language,
    query: crate::extract::QueryPairs,
) -> Result<Response, WebError> {
    // A session half-way through signing in goes on to its next step.
    if let Some(pending) = caller.session.and_then(|s| s.pending) {
        return Ok(Redirect::to(pending_path(pending)).into_response());
    }
    let resume = Resume { next: destination(query.get("next"), None), typed: None };
    login_page(cookies, language, StatusCode::OK, None, resume)
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    csrf: String,
    #[serde(default)]
    next: Option<String>,
    #[serde(default)]
    resume: Option<String>,
}

pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    cookies: Cookies,
    language: Language,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let expected = cookies.get(LOGIN_CSRF_COOKIE).unwrap_or_default();
    let resume = Resume { next: destination(form.next.as_deref(), None), typed: form.resume.clone() };
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), form.csrf.as_bytes()) {
        let message = ui(language.lang).form_expired.into();
        return login_page(cookies, language, StatusCode::FORBIDDEN, Some(message), resume);
    }
    match state.app.sign_in(form.username.trim(), &form.password, &address).await {
        Ok(signed_in) => {
            // A session cookie from before sign-in is replaced, never reused.
            if let Some(old) = cookies.get(SESSION_COOKIE) {
                state.app.sign_out(&old).await?;
            }
            let after = destination(form.next.as_deref(), form.resume.as_deref()).unwrap_or_else(|| "/".into());
            let cookies = cookies.set(SESSION_COOKIE, &signed_in.token).clear(LOGIN_CSRF_COOKIE);
            Ok(match signed_in.pending {
                // The destination waits in a cookie while the sign-in's other steps are done.
                Some(pending) => {
                    (cookies.set(RETURN_COOKIE, &cookie_value(&after)), Redirect::to(pending_path(pending)))
                        .into_response()
                }
                None => (cookies, Redirect::to(&after)).into_response(),
            })
        }
        Err(error @ (AppError::Forbidden(_) | AppError::Throttled { .. })) => {
            let status = WebError(AppError::Unauthenticated).status();
            let status =
                if matches!(error, AppError::Throttled { .. }) { StatusCode::TOO_MANY_REQUESTS } else { status };
            let message = Some(error.message().get(language.lang).to_owned());
            let mut page = login_page(cookies, language, status, message, resume)?;
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
    totp_page(&state, &caller, &cookies, language, StatusCode::OK, None).await
}

/// The second factor's page: for enrolment with the secret (as text and as a QR code), and
/// `message` when a code was refused.
async fn totp_page(
    state: &AppState,
    caller: &Caller,
    cookies: &Cookies,
    language: Language,
    status: StatusCode,
    message: Option<String>,
) -> Result<Response, WebError> {
    let (Some(session), Some(token)) = (&caller.session, cookies.get(SESSION_COOKIE)) else {
        return Ok(Redirect::to("/login").into_response());
    };
    let enrol = match session.pending {
        None => return Ok(Redirect::to("/").into_response()),
        Some(Pending::Enrolment) => {
            let (secret, url) = state.app.totp_enrolment(&token).await?;
            let code = qrcode::QrCode::with_error_correction_level(&url, qrcode::EcLevel::M)
                .map_err(|e| AppError::internal(&e.to_string()))?;
            let svg = code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).build();
            // The renderer's XML declaration does not belong inside HTML.
            let svg = match svg.find("<svg") {
                Some(start) => svg[start..].to_owned(),
                None => svg,
            };
            Some((secret, url, svg))
        }
        Some(Pending::SecondFactor) => None,
        Some(Pending::PasswordChange) => return Ok(Redirect::to("/password").into_response()),
    };
    let page = TotpPage {
        ui: ui(language.lang),
        nav: crate::ui::page::Nav::default(),
        csrf: session.csrf_token.clone(),
        enrol,
        message,
    };
    let mut response = crate::ui::page::render(&page, language.remember());
    *response.status_mut() = status;
    Ok(response)
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
    language: Language,
    Form(form): Form<TotpForm>,
) -> Result<Response, WebError> {
    check_form(&caller, &form.csrf)?;
    let token = cookies.get(SESSION_COOKIE).ok_or(WebError(AppError::Unauthenticated))?;
    match state.app.confirm_totp(&token, &form.code).await {
        Ok(()) => Ok(signed_in_to(cookies)),
        Err(error @ (AppError::Forbidden(_) | AppError::Throttled { .. } | AppError::Invalid(_))) => {
            let message = Some(error.message().get(language.lang).to_owned());
            let mut page = totp_page(&state, &caller, &cookies, language, WebError::status_of(&error), message).await?;
            add_retry_after(&error, &mut page);
            Ok(page)
        }
        Err(other) => Err(WebError(other)),
    }
}

/// Sign-in complete: on to the page that was asked for (kept in a cookie across the steps).
fn signed_in_to(cookies: Cookies) -> Response {
    let after = cookies.get(RETURN_COOKIE).and_then(|kept| from_cookie(&kept)).unwrap_or_else(|| "/".into());
    (cookies.clear(RETURN_COOKIE), Redirect::to(&after)).into_response()
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
            let cookies = cookies.set(SESSION_COOKIE, &signed_in.token);
            Ok(match signed_in.pending {
                Some(pending) => (cookies, Redirect::to(pending_path(pending))).into_response(),
                None => signed_in_to(cookies),
            })
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
