//! The signed-in account's notifications (reminders of reports owed), newest first, each
//! linking to what it is about; read one, or all at once.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use cncl_domain::Lang;
use serde::Deserialize;

use crate::AppState;
use crate::extract::Language;
use crate::i18n::{Ui, format_instant, ui};
use crate::ui::page::SignedIn;

pub struct Line {
    pub id: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub when: String,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
pub struct NotificationsPage {
    pub ui: &'static Ui,
    pub nav: crate::ui::page::Nav,
    pub lines: Vec<Line>,
}

pub async fn show(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    language: Language,
) -> Result<Response, crate::error::WebError> {
    let lang = language.lang;
    let (notifications, _) = state.app.inbox(&caller.actor).await?;
    let pick = |vi: &str, en: &str| if lang == Lang::Vi { vi.to_owned() } else { en.to_owned() };
    let page = NotificationsPage {
        ui: ui(lang),
        nav: crate::ui::page::Nav::of(&caller),
        lines: notifications
            .iter()
            .map(|n| Line {
                id: n.id.to_string(),
                title: pick(&n.title_vi, &n.title_en),
                body: pick(&n.body_vi, &n.body_en),
                link: n.link.clone(),
                when: format_instant(&n.created_at, lang),
                unread: n.read_at.is_none(),
            })
            .collect(),
    };
    Ok(crate::ui::page::render(&page, language.remember()))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadForm {
    csrf: String,
    /// One notification; all when absent.
    #[serde(default, deserialize_with = "crate::extract::optional")]
    id: Option<uuid::Uuid>,
}

pub async fn read(
    State(state): State<AppState>,
    SignedIn(caller): SignedIn,
    axum::Form(form): axum::Form<ReadForm>,
) -> Result<Response, crate::error::WebError> {
    crate::auth::check_form(&caller, &form.csrf)?;
    state.app.mark_read(&caller.actor, form.id).await?;
    Ok(Redirect::to("/notifications").into_response())
}
