//! The import page: upload a workbook or CSV, see every row classified (new, update with its
//! changes, unchanged, error by sheet, cell and header), then commit exactly that.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use cncl_app::AppError;
use cncl_app::import::previews::Preview;
use cncl_app::import::{ImportReport, Mapping, RowOutcome};
use cncl_domain::{EntityKind, Lang};
use uuid::Uuid;

use crate::AppState;
use crate::auth::Caller;
use crate::error::WebError;
use crate::extract::{Language, PathId};
use crate::i18n::{ExchangeUi, Ui, exchange_ui, ui};
use crate::ui::page::Nav;

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
    /// Sheets and columns the preview could not place, to choose for.
    pub mapping: Vec<Choice>,
    /// The preview the mapping form re-reads.
    pub remap: Option<String>,
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
        mapping: Vec::new(),
        remap: None,
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
                RowOutcome::Error { column, header, message, message_vi } => {
                    let at = match (column, header) {
                        (Some(c), Some(h)) => format!("{c}{} ({h}): ", r.row),
                        _ => String::new(),
                    };
                    ("not-met", t.error, format!("{at}{}", lang.pick(message_vi, message)))
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

pub async fn show(caller: crate::ui::page::SignedIn, language: Language) -> Result<Response, WebError> {
    Ok(crate::ui::page::render(&page(&caller.0, language.lang), language.remember()))
}

/// Largest upload read from the page.
const MAX_UPLOAD_BYTES: usize = 50 * 1024 * 1024;

pub async fn preview(
    State(state): State<AppState>,
    caller: crate::ui::page::SignedIn,
    language: Language,
    mut form: Multipart,
) -> Result<Response, WebError> {
    let caller = caller.0;
    let lang = language.lang;
    let (mut csrf, mut file) = (String::new(), None);
    while let Some(field) =
        form.next_field().await.map_err(|e| WebError::bad_request("file", crate::error::rejected(e.body_text())))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().unwrap_or("import.xlsx").to_owned();
        let bytes =
            field.bytes().await.map_err(|e| WebError::bad_request("file", crate::error::rejected(e.body_text())))?;
        if bytes.len() > MAX_UPLOAD_BYTES {
            return Err(WebError::too_large("file", MAX_UPLOAD_BYTES));
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
    let preview = state.app.preview_import(&caller.actor, &name, bytes).await;
    preview_page(view, preview, lang)
}

/// The page after a preview: its rows and choices, or why the file was refused.
fn preview_page(mut view: ImportPage, preview: Result<Preview, AppError>, lang: Lang) -> Result<Response, WebError> {
    match preview {
        Ok(preview) => {
            show_preview(&mut view, &preview, lang);
            Ok(crate::ui::page::render(&view, None))
        }
        Err(error @ (AppError::BadRequest { .. } | AppError::Invalid(_))) => {
            view.error = Some(error.to_string());
            Ok(with_status(&view, 422))
        }
        Err(other) => Err(WebError(other)),
    }
}

/// A preview on the page: its rows, the commit when it is ready, the annotated file, and
/// the choices for headers and sheets it could not place.
fn show_preview(view: &mut ImportPage, preview: &Preview, lang: Lang) {
    view.rows = rows(&preview.report, lang);
    view.summary = Some(summary(&preview.report, lang));
    view.preview = preview.report.ready.then(|| preview.id.to_string());
    view.annotated = Some(preview.id.to_string());
    view.mapping = mapping_choices(&preview.report, lang);
    view.remap = (!view.mapping.is_empty()).then(|| preview.id.to_string());
}

/// One choice the mapping form offers: a sheet's kind, or a column's field.
pub struct Choice {
    /// The form field (`sheet:NAME`, `column:KIND:HEADER`).
    pub name: String,
    /// What is chosen for: the sheet, or the sheet and column.
    pub label: String,
    /// Value, label and whether it is selected; the first leaves the sheet or column out.
    pub options: Vec<(String, String, bool)>,
}

fn mapping_choices(report: &ImportReport, lang: Lang) -> Vec<Choice> {
    let skip = (String::new(), exchange_ui(lang).mapping_skip.to_owned(), false);
    let mut choices = Vec::new();
    for unknown in &report.unknown_sheets {
        let mut options = vec![skip.clone()];
        options.extend(EntityKind::ALL.iter().map(|k| {
            (k.resource().to_owned(), k.label(lang).to_owned(), unknown.suggestion.as_deref() == Some(k.resource()))
        }));
        let label = format!("{} — {}", unknown.sheet, unknown.headers.join(", "));
        choices.push(Choice { name: format!("sheet:{}", unknown.sheet), label, options });
    }
    for sheet in &report.sheets {
        let Some(kind) = EntityKind::from_resource(&sheet.kind) else { continue };
        for column in sheet.columns.iter().filter(|c| c.field.is_none()) {
            let mut options = vec![skip.clone()];
            options.extend(cncl_domain::field_spec::spec(kind).fields.iter().map(|f| {
                let label = cncl_domain::fields::field_label(kind, &f.name, lang).unwrap_or(&f.name).to_owned();
                (f.name.clone(), label, column.suggestion.as_deref() == Some(f.name.as_str()))
            }));
            let label = format!("{} · {} ({})", sheet.sheet, column.column, column.header);
            choices.push(Choice { name: format!("column:{}:{}", sheet.kind, column.header), label, options });
        }
    }
    choices
}

/// The mapping form's choices as a mapping.
fn chosen_mapping(pairs: &[(String, String)]) -> Mapping {
    let mut mapping = Mapping::default();
    for (name, value) in pairs {
        if let Some(sheet) = name.strip_prefix("sheet:") {
            if !value.is_empty() {
                mapping.sheets.insert(sheet.to_owned(), value.clone());
            }
        } else if let Some((kind, header)) = name.strip_prefix("column:").and_then(|rest| rest.split_once(':')) {
            mapping.columns.entry(kind.to_owned()).or_default().insert(header.to_owned(), value.clone());
        }
    }
    mapping
}

/// The mapping form: preview the same file again with the sheets and columns chosen (saved
/// for the next upload).
pub async fn remap(
    State(state): State<AppState>,
    caller: crate::ui::page::SignedIn,
    id: PathId,
    language: Language,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let caller = caller.0;
    let csrf = pairs.iter().find(|(n, _)| n == "csrf").map(|(_, v)| v.as_str()).unwrap_or_default();
    crate::auth::check_form(&caller, csrf)?;
    let lang = language.lang;
    let id: Uuid = id.get()?;
    let preview = state.app.remap_import(&caller.actor, id, chosen_mapping(&pairs)).await;
    preview_page(page(&caller, lang), preview, lang)
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
) -> Result<Response, WebError> {
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
        Err(other) => Err(WebError(other)),
    }
}
