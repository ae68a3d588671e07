//! The import page: upload a workbook or CSV, see every row classified (new, update with its
//! changes, unchanged, error by sheet, cell and header), then commit exactly that.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use cncl_app::AppError;
use cncl_app::import::{ImportReport, RowOutcome};
use cncl_domain::{EntityKind, Lang};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Caller;
use crate::error::WebError;
use crate::extract::{Language, PathId};
use crate::i18n::{ExchangeUi, Ui, exchange_ui, ui};
use crate::ui::page::{Nav, PageError};

pub struct ReportRow {
    pub sheet: String,
    pub row: u32,
    pub class: &'static str,
    pub outcome: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "imports.html")]
pub struct ImportPage {
    pub ui: &'static Ui,
    pub x: &'static ExchangeUi,
    pub nav: Nav,
    /// The kinds of record a template can be downloaded for: resource and label.
    pub kinds: Vec<(&'static str, &'static str)>,
    /// The caller reports for an organisation: its reporting workbook is offered.
    pub reporter: bool,
    /// The preview whose annotated file can be downloaded.
    pub annotated: Option<String>,
    /// A preview waiting for its commit.
    pub preview: Option<String>,
    pub rows: Vec<ReportRow>,
    pub summary: Option<String>,
    pub committed: bool,
    pub error: Option<String>,
}

fn page(caller: &Caller, lang: Lang) -> ImportPage {
    ImportPage {
        ui: ui(lang),
        x: exchange_ui(lang),
        nav: Nav::of(caller),
        kinds: EntityKind::ALL.iter().map(|k| (k.resource(), k.label(lang))).collect(),
        reporter: caller.actor.organisation.is_some(),
        annotated: None,
        preview: None,
        rows: Vec::new(),
        summary: None,
        committed: false,
        error: None,
    }
}

fn rows(report: &ImportReport, lang: Lang) -> Vec<ReportRow> {
    let t = exchange_ui(lang);
    report
        .sheets
        .iter()
        .flat_map(|sheet| sheet.rows.iter().map(move |r| (sheet, r)))
        .map(|(sheet, r)| {
            let (class, outcome, detail) = match &r.outcome {
                RowOutcome::New { .. } => ("met", t.new, String::new()),
                RowOutcome::Unchanged { .. } => ("no-data", t.unchanged, String::new()),
                RowOutcome::Update { changes, .. } => (
                    "on-track",
                    t.update,
                    changes
                        .iter()
                        .map(|c| format!("{}: {} → {}", c.field, c.before, c.after))
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                RowOutcome::Error { column, header, message } => {
                    let at = match (column, header) {
                        (Some(c), Some(h)) => format!("{c}{} ({h}): ", r.row),
                        _ => String::new(),
                    };
                    ("not-met", t.error, format!("{at}{message}"))
                }
            };
            ReportRow { sheet: sheet.sheet.clone(), row: r.row, class, outcome: outcome.to_owned(), detail }
        })
        .collect()
}

fn summary(report: &ImportReport, lang: Lang) -> String {
    let t = exchange_ui(lang);
    format!(
        "{}: {} · {}: {} · {}: {} · {}: {}",
        t.new, report.new, t.update, report.updated, t.unchanged, report.unchanged, t.error, report.errors
    )
}

pub async fn show(caller: crate::ui::page::SignedIn, language: Language) -> Result<Response, PageError> {
    Ok(crate::ui::page::render(&page(&caller.0, language.lang), language.remember()))
}

/// Largest upload read from the page.
const MAX_UPLOAD_BYTES: usize = 50 * 1024 * 1024;

pub async fn preview(
    State(state): State<AppState>,
    caller: crate::ui::page::SignedIn,
    language: Language,
    mut form: Multipart,
) -> Result<Response, PageError> {
    let caller = caller.0;
    let lang = language.lang;
    let (mut csrf, mut file) = (String::new(), None);
    while let Some(field) = form.next_field().await.map_err(|e| WebError::bad_request("file", e.body_text()))? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().unwrap_or("import.xlsx").to_owned();
        let bytes = field.bytes().await.map_err(|e| WebError::bad_request("file", e.body_text()))?;
        if bytes.len() > MAX_UPLOAD_BYTES {
            return Err(WebError::bad_request("file", format!("must be at most {MAX_UPLOAD_BYTES} bytes")).into());
        }
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => file = Some((file_name, bytes.to_vec())),
            _ => {}
        }
    }
    crate::auth::check_form(&caller, &csrf)?;
    let mut view = page(&caller, lang);
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        view.error = Some(ui(lang).criteria_file_missing.to_owned());
        return Ok(with_status(&view, 400));
    };
    match state.app.preview_import(&caller.actor, &name, bytes).await {
        Ok(preview) => {
            view.rows = rows(&preview.report, lang);
            view.summary = Some(summary(&preview.report, lang));
            view.preview = (preview.report.errors == 0).then(|| preview.id.to_string());
            view.annotated = Some(preview.id.to_string());
            Ok(crate::ui::page::render(&view, None))
        }
        Err(error @ (AppError::BadRequest { .. } | AppError::Invalid(_))) => {
            view.error = Some(error.to_string());
            Ok(with_status(&view, 422))
        }
        Err(other) => Err(PageError(WebError(other))),
    }
}

fn with_status(view: &ImportPage, status: u16) -> Response {
    let mut response = crate::ui::page::render(view, None);
    *response.status_mut() = axum::http::StatusCode::from_u16(status).unwrap_or(axum::http::StatusCode::BAD_REQUEST);
    response
}

#[derive(Debug, serde::Deserialize)]
pub struct CommitForm {
    csrf: String,
}

pub async fn commit(
    State(state): State<AppState>,
    caller: crate::ui::page::SignedIn,
    id: PathId,
    language: Language,
    axum::Form(form): axum::Form<CommitForm>,
) -> Result<Response, PageError> {
    let caller = caller.0;
    crate::auth::check_form(&caller, &form.csrf)?;
    let lang = language.lang;
    let id: Uuid = id.get()?;
    let mut view = page(&caller, lang);
    match state.app.commit_import(&caller.actor, id).await {
        Ok(report) => {
            view.rows = rows(&report, lang);
            view.summary = Some(summary(&report, lang));
            view.committed = report.committed;
            Ok(crate::ui::page::render(&view, None))
        }
        Err(error @ AppError::Conflict { .. }) => {
            view.error = Some(error.to_string());
            Ok(with_status(&view, 409))
        }
        Err(other) => Err(PageError(WebError(other))),
    }
}
