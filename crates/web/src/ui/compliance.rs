//! The reporting compliance page: the rates per product, organisation and task group, a
//! matrix per kind of report (subjects × periods, each cell opening the report or the form
//! that submits it), and the overdue list.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::Datelike;
use cncl_app::compliance::Compliance;
use cncl_domain::Lang;
use cncl_domain::format::{format_count, format_date, format_percent};
use cncl_eval::compliance::Rates;
use cncl_eval::obligations::{Obligation, ObligationKind, ObligationStatus};
use serde::Deserialize;

use crate::AppState;
use crate::extract::{Language, StrictQuery, optional, optional_date};
use crate::i18n::{ComplianceUi, Ui, compliance_ui, ui};

/// At most this many rows in one matrix: the national programme runs tens of thousands of
/// tasks; the page asks to filter by product beyond it.
const MAX_MATRIX_ROWS: usize = 300;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComplianceQuery {
    #[serde(default, deserialize_with = "optional_date")]
    as_of: Option<cncl_domain::Date>,
    #[serde(default, deserialize_with = "optional")]
    product: Option<String>,
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

pub struct RateRow {
    pub name: String,
    pub expected: String,
    pub reported: String,
    pub reporting: String,
    pub on_time: String,
}

pub struct Cell {
    pub class: &'static str,
    pub label: &'static str,
    pub href: Option<String>,
}

pub struct MatrixRow {
    pub name: String,
    pub organisation: String,
    pub cells: Vec<Cell>,
}

pub struct Matrix {
    pub title: &'static str,
    pub periods: Vec<String>,
    pub rows: Vec<MatrixRow>,
    pub hidden: usize,
}

pub struct OverdueRow {
    pub days: String,
    pub kind: &'static str,
    pub subject: String,
    pub organisation: String,
    pub period: String,
    pub due_on: String,
    pub status: &'static str,
    pub class: &'static str,
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "compliance.html")]
pub struct CompliancePage {
    pub ui: &'static Ui,
    pub words: &'static ComplianceUi,
    pub nav: crate::ui::page::Nav,
    pub as_of: String,
    pub own: bool,
    pub product: String,
    pub products: Vec<(String, String)>,
    /// The rates by product (with the whole programme first), organisation and task group.
    pub rate_tables: Vec<(&'static str, Vec<RateRow>)>,
    pub matrices: Vec<Matrix>,
    pub overdue: Vec<OverdueRow>,
    pub escalated: usize,
    pub escalate_after_days: u16,
    pub legend: Vec<(&'static str, &'static str)>,
}

pub async fn show(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    StrictQuery(query): StrictQuery<ComplianceQuery>,
    language: Language,
) -> Result<Response, crate::error::WebError> {
    let lang = language.lang;
    let as_of = query.as_of.unwrap_or_else(|| state.app.today());
    let mut compliance = state.app.compliance(&caller.actor, as_of).await?;
    let products = state.app.products().await?;
    let groups = state.app.task_groups().await?;
    let product_name = |code: &str| {
        products.iter().find(|p| p.code.as_str() == code).map_or(code.to_owned(), |p| p.name(lang).to_owned())
    };
    let group_name = |code: &str| {
        groups.iter().find(|g| g.code.as_str() == code).map_or(code.to_owned(), |g| g.name(lang).to_owned())
    };
    let (by_products, by_organisation, by_task_group) = compliance.groups(product_name, group_name);
    let row = |name: String, rates: Rates| rate_row(name, rates, lang);
    let words = compliance_ui(lang);
    let mut by_product = vec![row(words.whole_programme.to_owned(), compliance.rates())];
    by_product.extend(by_products.iter().map(|g| row(g.name.clone(), g.rates)));
    if let Some(product) = &query.product {
        compliance.retain(|o| o.product.as_deref() == Some(product.as_str()));
    }
    let page = CompliancePage {
        ui: ui(lang),
        words,
        nav: crate::ui::page::Nav::of(&caller),
        as_of: as_of.to_string(),
        own: cncl_app::policy::office(&caller.actor, false).is_err(),
        product: query.product.clone().unwrap_or_default(),
        products: products.iter().map(|p| (p.code.to_string(), p.name(lang).to_owned())).collect(),
        rate_tables: vec![
            (words.by_product, by_product),
            (words.by_organisation, by_organisation.iter().map(|g| row(g.name.clone(), g.rates)).collect()),
            (words.by_task_group, by_task_group.iter().map(|g| row(g.name.clone(), g.rates)).collect()),
        ],
        matrices: [ObligationKind::TaskProgress, ObligationKind::ModelReport, ObligationKind::TrainingReport]
            .into_iter()
            .filter_map(|kind| matrix(&compliance, kind, lang))
            .collect(),
        overdue: compliance.overdue().into_iter().map(|o| overdue_row(&compliance, o, lang)).collect(),
        escalated: compliance.escalated().len(),
        escalate_after_days: compliance.escalate_after_days,
        legend: ObligationStatus::ALL.iter().map(|s| (status_class(*s), s.label(lang))).collect(),
    };
    Ok(crate::ui::page::render(&page, language.remember()))
}

fn rate_row(name: String, rates: Rates, lang: Lang) -> RateRow {
    let percent = |p: Option<f64>| p.map_or_else(|| "—".to_owned(), |p| format_percent(p, lang));
    let count = |n: usize| format_count(i64::try_from(n).unwrap_or(i64::MAX), lang);
    RateRow {
        name,
        expected: count(rates.expected),
        reported: count(rates.reported),
        reporting: percent(rates.reporting_percent()),
        on_time: percent(rates.on_time_percent()),
    }
}

/// The page class of a status: the scorecard's colours.
fn status_class(status: ObligationStatus) -> &'static str {
    match status {
        ObligationStatus::MetOnTime => "met",
        ObligationStatus::MetLate => "on-track",
        ObligationStatus::Submitted => "submitted",
        ObligationStatus::Returned => "at-risk",
        ObligationStatus::Missing => "not-met",
        ObligationStatus::NotDue => "no-data",
    }
}

fn matrix(compliance: &Compliance, kind: ObligationKind, lang: Lang) -> Option<Matrix> {
    let periods = compliance.periods(kind);
    let subjects = compliance.subjects(kind);
    if subjects.is_empty() {
        return None;
    }
    let owed = compliance.by_subject_and_period(kind);
    let rows = subjects
        .iter()
        .take(MAX_MATRIX_ROWS)
        .map(|subject| {
            let mut organisation = None;
            let cells = periods
                .iter()
                .map(|period| match owed.get(&(*subject, *period)) {
                    Some(o) => {
                        organisation = o.organisation;
                        Cell {
                            class: status_class(o.status),
                            label: o.status.label(lang),
                            href: Compliance::form_path(o),
                        }
                    }
                    None => Cell { class: "", label: "", href: None },
                })
                .collect();
            MatrixRow {
                name: compliance.name(Some(*subject)).to_owned(),
                organisation: if kind == ObligationKind::TrainingReport {
                    String::new()
                } else {
                    compliance.name(organisation).to_owned()
                },
                cells,
            }
        })
        .collect();
    Some(Matrix {
        title: kind.label(lang),
        periods: periods.iter().map(ToString::to_string).collect(),
        rows,
        hidden: subjects.len().saturating_sub(MAX_MATRIX_ROWS),
    })
}

/// A reporter's outstanding reports on today's date, the nearest due first; nothing for
/// anyone else (the office has the compliance page).
pub async fn outstanding(
    state: &AppState,
    caller: &crate::auth::Caller,
    lang: Lang,
) -> Result<Vec<OverdueRow>, cncl_app::AppError> {
    if caller.actor.role != Some(cncl_app::Role::Reporter) {
        return Ok(Vec::new());
    }
    let compliance = state.app.compliance(&caller.actor, state.app.today()).await?;
    Ok(open_rows(&compliance, |o| !matches!(o.status, ObligationStatus::MetOnTime | ObligationStatus::MetLate), lang))
}

/// The reports falling due this month (in Vietnam) that are not yet in, for the office's
/// dashboard: nothing for a reporter (its home lists its own) or a visitor.
pub async fn due_this_month(
    state: &AppState,
    caller: &crate::auth::Caller,
    lang: Lang,
) -> Result<Vec<OverdueRow>, cncl_app::AppError> {
    if !caller.completed() || cncl_app::policy::office(&caller.actor, false).is_err() {
        return Ok(Vec::new());
    }
    let today = state.app.today();
    let compliance = state.app.compliance(&caller.actor, today).await?;
    let month = |d: chrono::NaiveDate| (d.year(), d.month());
    let this_month = month(today.get());
    let owed = |o: &Obligation| {
        month(o.due_on) == this_month
            && matches!(o.status, ObligationStatus::Missing | ObligationStatus::Returned | ObligationStatus::NotDue)
    };
    Ok(open_rows(&compliance, owed, lang))
}

/// The obligations `keep` keeps, the nearest due first, as table rows.
fn open_rows(compliance: &Compliance, keep: impl Fn(&Obligation) -> bool, lang: Lang) -> Vec<OverdueRow> {
    let mut open: Vec<&Obligation> = compliance.obligations().iter().filter(|o| keep(o)).collect();
    open.sort_by_key(|o| (o.due_on, o.subject));
    open.into_iter().map(|o| overdue_row(compliance, o, lang)).collect()
}

fn overdue_row(compliance: &Compliance, o: &Obligation, lang: Lang) -> OverdueRow {
    OverdueRow {
        days: o.days_late(compliance.as_of.get()).map(|d| format_count(d, lang)).unwrap_or_default(),
        kind: o.kind.label(lang),
        subject: compliance.name(Some(o.subject)).to_owned(),
        organisation: compliance.name(o.organisation).to_owned(),
        period: o.period.to_string(),
        due_on: format_date(o.due_on, lang),
        status: o.status.label(lang),
        class: status_class(o.status),
        href: Compliance::form_path(o),
    }
}
