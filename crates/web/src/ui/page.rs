//! What every page is made with: the header's view of the visitor, rendering a template (and
//! remembering a language switched to), and the stylesheet.

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
#[derive(Debug, Clone)]
pub struct Nav {
    /// The header's words, in the page's language.
    pub words: &'static crate::i18n::NavUi,
    pub user: Option<String>,
    pub csrf: String,
    /// The audit log is linked for those who may read it.
    pub audit: bool,
    /// The records are linked for those signed in.
    pub records: bool,
    /// The signed-in account's unread notifications.
    pub unread: u64,
    /// The office's own pages (funding, governance) are linked for those who may open them.
    pub office: bool,
    /// The account pages, for the office's administrators.
    pub accounts: bool,
    /// The path asked for, to mark the current page's link.
    pub path: String,
}

tokio::task_local! {
    /// The path of the page being answered and its language (set by [`with_current_path`]).
    static CURRENT: (String, cncl_domain::Lang);
}

/// Runs the rest of the request with its path and language at hand, for the header to mark
/// its link in the page's words.
pub async fn with_current_path(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use axum::extract::FromRequestParts;
    let (mut parts, body) = request.into_parts();
    let Ok(language) = crate::extract::Language::from_request_parts(&mut parts, &()).await;
    let path = parts.uri.path().to_owned();
    let request = axum::extract::Request::from_parts(parts, body);
    CURRENT.scope((path, language.lang), next.run(request)).await
}

impl Default for Nav {
    /// The header of a visitor not signed in.
    fn default() -> Nav {
        let (path, lang) = CURRENT.try_with(Clone::clone).unwrap_or_default();
        Nav {
            words: crate::i18n::nav_ui(lang),
            user: None,
            csrf: String::new(),
            audit: false,
            records: false,
            unread: 0,
            office: false,
            accounts: false,
            path,
        }
    }
}

impl Nav {
    pub fn of(caller: &crate::auth::Caller) -> Nav {
        let anonymous = Nav::default();
        match &caller.session {
            Some(session) if session.pending.is_none() => Nav {
                user: Some(session.account.display_name.clone()),
                csrf: session.csrf_token.clone(),
                audit: cncl_app::policy::audit(&caller.actor).is_ok(),
                records: true,
                unread: session.unread,
                office: cncl_app::policy::office(&caller.actor, false).is_ok(),
                accounts: cncl_app::policy::office(&caller.actor, true).is_ok(),
                ..anonymous
            },
            _ => anonymous,
        }
    }

    /// Whether the link to `href` is the page shown, or the section it belongs to.
    pub fn is_current(&self, href: &str) -> bool {
        match href {
            "/" => self.path == "/",
            _ => self.path.strip_prefix(href).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')),
        }
    }
}

/// A visitor whose sign-in is complete (password and, where required, TOTP). Anyone else
/// is sent to sign in before anything of the request is read.
pub struct SignedIn(pub Caller);

impl axum::extract::FromRequestParts<crate::AppState> for SignedIn {
    type Rejection = crate::error::WebError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &crate::AppState,
    ) -> Result<Self, crate::error::WebError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if caller.completed() {
            Ok(SignedIn(caller))
        } else {
            Err(crate::error::WebError(cncl_app::AppError::Unauthenticated))
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
