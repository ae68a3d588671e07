//! What every page is made with: the header's view of the visitor, rendering a template (and
//! remembering a language switched to), a page's failure, and the stylesheet.

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::auth::Caller;
use crate::i18n::LANG_COOKIE;

const STYLESHEET: &str = include_str!("../../static/app.css");

pub async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], STYLESHEET)
        .into_response()
}

/// What every page's header shows of the visitor: who is signed in, and the CSRF token the
/// sign-out form posts.
#[derive(Debug, Clone, Default)]
pub struct Nav {
    pub user: Option<String>,
    pub csrf: String,
    /// The audit log is linked for those who may read it.
    pub audit: bool,
    /// The records are linked for those signed in.
    pub records: bool,
    /// The signed-in account's unread notifications.
    pub unread: u64,
}

impl Nav {
    pub fn of(caller: &crate::auth::Caller) -> Nav {
        match &caller.session {
            Some(session) if session.pending.is_none() => Nav {
                user: Some(session.account.display_name.clone()),
                csrf: session.csrf_token.clone(),
                audit: cncl_app::policy::audit(&caller.actor).is_ok(),
                records: true,
                unread: session.unread,
            },
            _ => Nav::default(),
        }
    }
}

/// A page's failure: signing in is offered to anonymous visitors; anything else is the JSON
/// error (with its status), which browsers show readably.
#[derive(Debug)]
pub struct PageError(pub crate::error::WebError);

impl<E: Into<crate::error::WebError>> From<E> for PageError {
    fn from(error: E) -> Self {
        PageError(error.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self.0.0 {
            cncl_app::AppError::Unauthenticated => axum::response::Redirect::to("/login").into_response(),
            _ => self.0.into_response(),
        }
    }
}

/// A visitor whose sign-in is complete (password and, where required, TOTP). Anyone else
/// is sent to sign in before anything of the request is read.
pub struct SignedIn(pub Caller);

impl axum::extract::FromRequestParts<crate::AppState> for SignedIn {
    type Rejection = PageError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::AppState,
    ) -> Result<Self, PageError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if caller.completed() {
            Ok(SignedIn(caller))
        } else {
            Err(PageError(cncl_app::AppError::Unauthenticated.into()))
        }
    }
}

/// Render a page; remember the language when the user just switched to it.
pub fn render(page: &impl Template, switched_to: Option<&str>) -> Response {
    match page.render() {
        Ok(html) => {
            let remembered =
                axum_extra::extract::cookie::Cookie::build((LANG_COOKIE, switched_to.unwrap_or_default().to_owned()))
                    .path("/")
                    .max_age(cookie::time::Duration::days(365))
                    .same_site(axum_extra::extract::cookie::SameSite::Lax)
                    .http_only(true);
            match switched_to {
                Some(_) => (axum_extra::extract::CookieJar::new().add(remembered), Html(html)).into_response(),
                None => Html(html).into_response(),
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}
