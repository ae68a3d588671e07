//! The published reports' pages: the public list, one report with its files and what its
//! figures rest on, the office's publishing form, and the check of a copy that anyone may
//! upload.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use cncl_app::AppError;
use cncl_app::publication::{PublishAsked, Verdict, Verification};
use cncl_domain::{Date, Lang};
use cncl_store::published::PublishedReport;
use serde::Deserialize;

use crate::AppState;
use crate::auth::Caller;
use crate::error::WebError;
use crate::extract::Language;
use crate::i18n::{ReportsUi, Ui, format_count, format_date, format_instant, reports_ui, ui};
use crate::ui::page::Nav;

/// The largest file checked: a national report is a few hundred kilobytes.
pub const MAX_VERIFIED_BYTES: usize = 20 * 1024 * 1024;
/// Quarters offered for publishing: the last two years'.
const QUARTERS_OFFERED: usize = 8;

/// `2026Q4` as a reader writes it.
pub fn quarter_label(quarter: &str, lang: Lang) -> String {
    let Some((year, q)) = quarter.split_once('Q') else { return quarter.to_owned() };
    let roman = match q {
        "1" => "I",
        "2" => "II",
        "3" => "III",
        "4" => "IV",
        other => other,
    };
    match lang {
        Lang::Vi => format!("Quý {roman} năm {year}"),
        Lang::En => format!("Q{q} {year}"),
    }
}

fn language_label(code: &str) -> &'static str {
    match code {
        "vi" => "Tiếng Việt",
        _ => "English",
    }
}

fn date_text(raw: &str, lang: Lang) -> String {
    Date::parse(raw).map_or_else(|_| raw.to_owned(), |d| format_date(d, lang))
}

pub struct ReportRow {
    pub href: String,
    pub quarter: String,
    pub language: &'static str,
    pub as_of: String,
    pub published: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "reports.html")]
pub struct ReportsPage {
    pub ui: &'static Ui,
    /// The words of these pages.
    pub words: &'static ReportsUi,
    pub nav: Nav,
    pub rows: Vec<ReportRow>,
    /// The office may publish, and this server can lay reports out.
    pub can_publish: bool,
    /// `2026Q4` and its label, latest first.
    pub quarters: Vec<(String, String)>,
    pub error: Option<String>,
}

/// The quarters that have ended by `today`, latest first.
fn ended_quarters(today: Date, lang: Lang) -> Vec<(String, String)> {
    use chrono::Datelike;
    let today: chrono::NaiveDate = today.into();
    let mut year = today.year();
    let mut quarter = today.month0() / 3; // the one before the current
    let mut quarters = Vec::new();
    while quarters.len() < QUARTERS_OFFERED {
        if quarter == 0 {
            year -= 1;
            quarter = 4;
        }
        let code = format!("{year}Q{quarter}");
        quarters.push((code.clone(), quarter_label(&code, lang)));
        quarter -= 1;
    }
    quarters
}

async fn list_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    error: Option<String>,
) -> Result<ReportsPage, AppError> {
    let rows = state
        .app
        .published_reports()
        .await?
        .into_iter()
        .map(|r| ReportRow {
            href: format!("/reports/{}", r.id),
            quarter: quarter_label(&r.quarter, lang),
            language: language_label(&r.lang),
            as_of: date_text(&r.as_of, lang),
            published: format_instant(&r.published_at, lang),
            by: r.published_by,
        })
        .collect();
    Ok(ReportsPage {
        ui: ui(lang),
        words: reports_ui(lang),
        nav: Nav::of(caller),
        rows,
        can_publish: state.config.reports.is_some() && cncl_app::policy::office(&caller.actor, true).is_ok(),
        quarters: ended_quarters(state.app.today(), lang),
        error,
    })
}

pub async fn index(State(state): State<AppState>, caller: Caller, language: Language) -> Result<Response, WebError> {
    let page = list_page(&state, &caller, language.lang, None).await?;
    Ok(crate::ui::page::render(&page, language.remember()))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishForm {
    csrf: String,
    quarter: String,
    lang: String,
}

/// A quarter's report published from the page (the office).
pub async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    language: Language,
    axum::Form(form): axum::Form<PublishForm>,
) -> Result<Response, WebError> {
    crate::auth::check_form(&caller, &form.csrf)?;
    let Some(maker) = state.config.reports.clone() else {
        return Err(unavailable());
    };
    let lang = Lang::parse(&form.lang)
        .ok_or_else(|| WebError::bad_request("lang", cncl_domain::msg("phải là vi hoặc en", "must be vi or en")))?;
    let asked = PublishAsked { quarter: form.quarter, lang, base_url: state.config.public_url.clone() };
    match maker.publish(&state.app, &caller.actor, asked).await {
        Ok(report) => Ok(Redirect::to(&format!("/reports/{}", report.id)).into_response()),
        Err(error @ (AppError::Unauthenticated | AppError::Internal(_))) => Err(WebError(error)),
        Err(error) => {
            let message = error.message().get(language.lang).to_owned();
            let status = WebError(error).status();
            let page = list_page(&state, &caller, language.lang, Some(message)).await?;
            let mut response = crate::ui::page::render(&page, None);
            *response.status_mut() = status;
            Ok(response)
        }
    }
}

fn unavailable() -> WebError {
    WebError(AppError::Conflict {
        field: None,
        message: cncl_domain::msg(reports_ui(Lang::Vi).reports_unavailable, reports_ui(Lang::En).reports_unavailable),
    })
}

pub struct FileRow {
    pub format: String,
    pub href: String,
    pub size: String,
    pub sha256: String,
}

/// One report, as its page shows it.
pub struct ReportView {
    pub id: String,
    pub quarter: String,
    pub language: &'static str,
    pub as_of: String,
    pub issued_on: String,
    pub criteria_set: String,
    pub audit_seq: String,
    pub audit_hash: String,
    pub published: String,
    pub by: String,
    pub files: Vec<FileRow>,
}

fn report_view(report: &PublishedReport, lang: Lang) -> ReportView {
    ReportView {
        id: report.id.clone(),
        quarter: quarter_label(&report.quarter, lang),
        language: language_label(&report.lang),
        as_of: date_text(&report.as_of, lang),
        issued_on: date_text(&report.issued_on, lang),
        criteria_set: report.criteria_set.clone(),
        audit_seq: report.audit_seq.to_string(),
        audit_hash: report.audit_hash.clone(),
        published: format_instant(&report.published_at, lang),
        by: report.published_by.clone(),
        files: report
            .files
            .iter()
            .map(|f| FileRow {
                format: f.format.to_uppercase(),
                href: format!("/reports/{}/{}", report.id, f.format),
                size: format_count(f.size, lang),
                sha256: f.sha256.clone(),
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "report.html")]
pub struct ReportPage {
    pub ui: &'static Ui,
    /// The words of these pages.
    pub words: &'static ReportsUi,
    pub nav: Nav,
    pub report: ReportView,
    /// The figures that read otherwise today, once asked for (`?changes=1`).
    pub changes: Option<Vec<ChangeRow>>,
}

/// A figure of the report that reads otherwise today.
pub struct ChangeRow {
    pub scope: String,
    pub criterion: String,
    pub published: String,
    pub now: String,
    /// The records behind it written since: their kind's name and page.
    pub records: Vec<(String, String)>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// Compare the report's figures with today's (rebuilding the facts it was computed from).
    #[serde(default)]
    changes: Option<u8>,
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

fn figure_text(value: Option<f64>, unit: cncl_eval::criteria::Unit, lang: Lang) -> String {
    match (value, unit) {
        (None, _) => "—".to_owned(),
        (Some(v), cncl_eval::criteria::Unit::Percent) => cncl_domain::format::format_percent(v * 100.0, lang),
        (Some(v), cncl_eval::criteria::Unit::Count) => format_count(v.round() as i64, lang),
    }
}

async fn change_rows(
    state: &AppState,
    caller: &Caller,
    report: &PublishedReport,
    lang: Lang,
) -> Result<Vec<ChangeRow>, AppError> {
    let products = state.app.products().await?;
    let changes = state.app.changes_since(&caller.actor, report).await?;
    Ok(changes
        .into_iter()
        .map(|c| ChangeRow {
            scope: products
                .iter()
                .find(|p| p.code.as_str() == c.scope)
                .map_or_else(|| lang.pick("Toàn Chương trình", "Programme").to_owned(), |p| p.name(lang).to_owned()),
            published: figure_text(c.published, c.unit, lang),
            now: figure_text(c.now, c.unit, lang),
            records: c
                .changed
                .iter()
                .map(|r| {
                    let noun = cncl_domain::EntityKind::from_resource(r.kind)
                        .map_or_else(|| r.kind.to_owned(), |kind| kind.noun_in(lang));
                    (noun, format!("/records/{}/{}", r.kind, r.id))
                })
                .collect(),
            criterion: c.criterion,
        })
        .collect())
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    language: Language,
    Path(id): Path<String>,
    crate::extract::StrictQuery(query): crate::extract::StrictQuery<ReportQuery>,
) -> Result<Response, WebError> {
    let lang = language.lang;
    let report = state.app.published_report(&id).await?;
    let changes = match query.changes {
        Some(_) => Some(change_rows(&state, &caller, &report, lang).await?),
        None => None,
    };
    let page = ReportPage {
        ui: ui(lang),
        words: reports_ui(lang),
        nav: Nav::of(&caller),
        report: report_view(&report, lang),
        changes,
    };
    Ok(crate::ui::page::render(&page, language.remember()))
}

/// A published file, as stored.
pub async fn download(
    State(state): State<AppState>,
    Path((id, format)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let content_type = match format.as_str() {
        "pdf" => "application/pdf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        cncl_app::publication::FIGURES_FORMAT => "application/json",
        _ => return Err(WebError(AppError::NotFound { noun: "published file", id: format!("{id}.{format}") })),
    };
    let report = state.app.published_report(&id).await?;
    let bytes = state.app.published_file(&id, &format).await?;
    let name = format!("attachment; filename=\"bao-cao-{}-{}.{format}\"", report.quarter, report.lang);
    Ok(([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, name)], bytes).into_response())
}

pub struct DifferenceRow {
    pub place: String,
    pub published: String,
    pub this_copy: String,
}

pub struct VerificationView {
    pub verdict: &'static str,
    /// `met`, `not-met` or `unknown`: the notice's colour.
    pub class: &'static str,
    pub reason: String,
    pub report: Option<(String, String)>,
    pub sha256: String,
    pub differences: Vec<DifferenceRow>,
    pub replayed: Option<String>,
    pub erased: Option<String>,
}

pub fn verification_view(checked: &Verification, lang: Lang) -> VerificationView {
    let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_owned());
    VerificationView {
        verdict: checked.verdict.label(lang),
        class: match checked.verdict {
            Verdict::Identical => "met",
            Verdict::Altered => "not-met",
            Verdict::Unknown => "unknown",
        },
        reason: checked.reason.get(lang).to_owned(),
        report: checked.report.as_ref().map(|r| (format!("/reports/{}", r.id), quarter_label(&r.quarter, lang))),
        sha256: checked.sha256.clone(),
        differences: checked
            .differences
            .iter()
            .map(|d| DifferenceRow {
                place: d.place.label(lang),
                published: value(&d.published),
                this_copy: value(&d.this_copy),
            })
            .collect(),
        replayed: checked.replayed_records.map(|n| format_count(i64::try_from(n).unwrap_or(i64::MAX), lang)),
        erased: checked
            .erased_since
            .filter(|n| *n > 0)
            .map(|n| format_count(i64::try_from(n).unwrap_or(i64::MAX), lang)),
    }
}

#[derive(Template)]
#[template(path = "report_verify.html")]
pub struct VerifyPage {
    pub ui: &'static Ui,
    /// The words of these pages.
    pub words: &'static ReportsUi,
    pub nav: Nav,
    pub available: bool,
    pub result: Option<VerificationView>,
    pub error: Option<String>,
}

pub async fn verify_form(
    State(state): State<AppState>,
    caller: Caller,
    language: Language,
) -> Result<Response, WebError> {
    let page = VerifyPage {
        ui: ui(language.lang),
        words: reports_ui(language.lang),
        nav: Nav::of(&caller),
        available: state.config.reports.is_some(),
        result: None,
        error: None,
    };
    Ok(crate::ui::page::render(&page, language.remember()))
}

/// The file posted for checking (multipart: `file`). Checking changes nothing and anyone may
/// do it, signed in or not, so the form carries no CSRF token.
pub async fn verify(
    State(state): State<AppState>,
    caller: Caller,
    language: Language,
    mut form: Multipart,
) -> Result<Response, WebError> {
    let Some(maker) = state.config.reports.clone() else {
        return Err(unavailable());
    };
    let mut file = None;
    while let Some(field) =
        form.next_field().await.map_err(|e| WebError::bad_request("file", crate::error::rejected(e.body_text())))?
    {
        if field.name() != Some("file") {
            continue;
        }
        let bytes =
            field.bytes().await.map_err(|e| WebError::bad_request("file", crate::error::rejected(e.body_text())))?;
        if bytes.len() > MAX_VERIFIED_BYTES {
            return Err(WebError::too_large("file", MAX_VERIFIED_BYTES));
        }
        file = Some(bytes);
    }
    let lang = language.lang;
    let mut page = VerifyPage {
        ui: ui(lang),
        words: reports_ui(lang),
        nav: Nav::of(&caller),
        available: true,
        result: None,
        error: None,
    };
    match file.filter(|b| !b.is_empty()) {
        None => {
            page.error =
                Some(reports_ui(lang).verify_file.to_owned() + ": " + lang.pick("chưa chọn tệp", "no file chosen"))
        }
        Some(bytes) => page.result = Some(verification_view(&maker.verify(&state.app, &bytes).await?, lang)),
    }
    Ok(crate::ui::page::render(&page, None))
}
