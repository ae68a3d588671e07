//! The evidence page of one figure: its value, targets, trend chart, what it divides, and
//! the records behind it named in tables.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use cncl_domain::ids::ProductModelId;
use cncl_domain::market::ProductModel;
use cncl_domain::{EntityKind, Lang};
use cncl_eval::indicators::MaterialsMismatch;
use cncl_eval::scorecard::CriterionResult;

use super::chart::{Chart, trend};
use crate::AppState;
use crate::error::WebError;
use crate::extract::{Language, StrictQuery};
use crate::i18n::{Ui, format_date, format_percent, format_vnd, status_class, ui};
use crate::ui::evidence_names::{EvidenceLine, named};
use crate::ui::figures::value_text;
use crate::ui::scorecard::{ScorecardQuery, criterion_name, figures, rule_beside, target_text};

#[derive(Template)]
#[template(path = "evidence.html")]
pub struct EvidencePage {
    pub ui: &'static Ui,
    pub words: &'static crate::i18n::EvidenceUi,
    pub nav: crate::ui::page::Nav,
    /// The audit log entry the figure was rebuilt at, when asked as recorded then.
    pub recorded: Option<String>,
    pub as_of: String,
    pub as_of_label: String,
    pub set_label: String,
    pub criteria_param: String,
    pub criterion: String,
    pub name: String,
    pub scope_name: String,
    pub source: String,
    pub value: String,
    pub fraction: String,
    pub target: String,
    pub status: &'static str,
    pub status_class: &'static str,
    pub projected: Option<String>,
    pub weakest: Option<String>,
    pub rule: Option<String>,
    pub mismatches: Vec<MismatchLine>,
    /// The product's localisation roadmap, beside a value-added figure, for those signed in.
    pub roadmap_href: Option<String>,
    pub chart: Chart,
    /// What the figure divides, in words.
    pub explanation: String,
    /// The records behind the figure are listed for those signed in; a visitor sees counts.
    pub listed: bool,
    pub numerator: Vec<EvidenceLine>,
    pub denominator: Vec<EvidenceLine>,
    /// How many records each side counts, listed or not.
    pub numerator_count: usize,
    pub denominator_count: usize,
    pub numerator_withheld: usize,
    pub denominator_withheld: usize,
}

/// A model whose materials cost lines disagree with its bill, as the evidence page shows it.
pub struct MismatchLine {
    pub href: String,
    pub model: String,
    pub materials_cost_lines: String,
    pub bill_of_materials: String,
}

/// The mismatches (already cut to the reader's reach) with their models' names.
async fn mismatch_lines(
    state: &AppState,
    caller: &crate::auth::Caller,
    result: &CriterionResult,
    lang: Lang,
) -> Vec<MismatchLine> {
    let mut lines = Vec::with_capacity(result.materials_mismatches.len());
    for m in &result.materials_mismatches {
        let model = state.app.get::<ProductModel>(&caller.actor, ProductModelId(m.model)).await;
        let name = model.map_or_else(|_| m.model.to_string(), |model| model.record.name.to_string());
        lines.push(mismatch_line(m, name, lang));
    }
    lines
}

fn mismatch_line(m: &MaterialsMismatch, model: String, lang: Lang) -> MismatchLine {
    let vnd = |v: i128| format_vnd(v, lang);
    MismatchLine {
        href: format!("/records/{}/{}", EntityKind::ProductModel.resource(), m.model),
        model,
        materials_cost_lines: vnd(m.materials_cost_lines_vnd),
        bill_of_materials: vnd(m.bill_of_materials_vnd),
    }
}

/// The figure of `criterion` for `product` (the programme's when none) in a scorecard.
fn one_figure(
    scorecard: &cncl_eval::Scorecard,
    product: Option<&str>,
    criterion: &str,
) -> Result<cncl_eval::scorecard::CriterionResult, WebError> {
    let results = match product {
        Some(code) => scorecard.products.iter().find(|p| p.product == code).map_or(&[][..], |p| &p.results),
        None => &scorecard.programme,
    };
    results
        .iter()
        .find(|r| r.criterion == criterion)
        .cloned()
        .ok_or_else(|| WebError::not_found("criterion", criterion))
}

pub async fn evidence(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    Path((scope, criterion)): Path<(String, String)>,
    StrictQuery(query): StrictQuery<ScorecardQuery>,
    language: Language,
) -> Result<Response, WebError> {
    let lang = language.lang;
    let as_of = query.as_of.unwrap_or_else(|| state.app.today());
    let product = (scope != "programme").then_some(scope.as_str());
    let criteria = query.criteria.as_ref();
    // The whole scorecard is shared by every request until the next write; one figure is read
    // from it (or from the scorecard as recorded at an entry, when asked).
    let (scorecard, recorded) = figures(&state, &caller, &query, as_of, lang).await?;
    let result = one_figure(&scorecard, product, &criterion)?;
    let set = state.app.criteria_set(criteria).await?;
    let scope_name = match product {
        Some(code) => state.app.product(code).await?.name(lang).to_owned(),
        None => ui(lang).programme_wide.to_owned(),
    };
    let rule = rule_beside(&set, &criterion, &scorecard, lang);
    let mismatches = mismatch_lines(&state, &caller, &result, lang).await;
    let definition = set.criteria.iter().find(|c| c.id == criterion);
    let evidence = &result.evidence;
    let listed = !caller.actor.is_anonymous();
    let page = EvidencePage {
        ui: ui(lang),
        words: crate::i18n::evidence_ui(lang),
        nav: crate::ui::page::Nav::of(&caller),
        recorded,
        as_of: as_of.to_string(),
        as_of_label: format_date(as_of, lang),
        set_label: crate::ui::home::set_label(&set, lang),
        criteria_param: query.criteria_param(),
        name: criterion_name(&set, &criterion, lang),
        source: definition.map(|c| c.source_in(lang).to_owned()).unwrap_or_default(),
        explanation: definition.map(|c| c.indicator.explanation(lang).to_owned()).unwrap_or_default(),
        criterion,
        scope_name,
        value: value_text(&result, lang),
        fraction: fraction(&result, lang),
        target: target_text(&result, lang),
        status: ui(lang).status_label(result.status),
        status_class: status_class(result.status),
        projected: crate::ui::chart::projection_arrow(&result, lang),
        weakest: weakest_model(&state, &caller, &result, lang).await,
        roadmap_href: match (product, &rule, caller.actor.is_anonymous()) {
            (Some(code), Some(_), false) => Some(format!("/products/{code}/localisation?as_of={as_of}")),
            _ => None,
        },
        rule,
        mismatches,
        chart: trend(&result, lang),
        listed,
        numerator: if listed { named(&state, &caller, &evidence.numerator, lang).await? } else { Vec::new() },
        denominator: if listed { named(&state, &caller, &evidence.denominator, lang).await? } else { Vec::new() },
        numerator_count: evidence.numerator.len() + evidence.numerator_withheld,
        denominator_count: evidence.denominator.len() + evidence.denominator_withheld,
        numerator_withheld: evidence.numerator_withheld,
        denominator_withheld: evidence.denominator_withheld,
    };
    Ok(crate::ui::page::render(&page, language.remember()))
}

/// The exact fraction the figure is, written with the language's separators.
fn fraction(result: &CriterionResult, lang: Lang) -> String {
    let clamp = |v: i128| i64::try_from(v).unwrap_or(i64::MAX);
    format!(
        "{} / {}",
        crate::i18n::format_count(clamp(result.numerator), lang),
        crate::i18n::format_count(clamp(result.denominator), lang)
    )
}

/// The weakest model by name, with its share and the amounts in đồng it rests on.
async fn weakest_model(
    state: &AppState,
    caller: &crate::auth::Caller,
    result: &CriterionResult,
    lang: Lang,
) -> Option<String> {
    let w = result.weakest_model.as_ref()?;
    let share = if w.denominator == 0 { 0.0 } else { w.numerator as f64 * 100.0 / w.denominator as f64 };
    let name = match state.app.get::<ProductModel>(&caller.actor, ProductModelId(w.model)).await {
        Ok(model) => model.record.name.to_string(),
        Err(_) => lang.pick("(ngoài phạm vi của tài khoản)", "(outside this account's reach)").to_owned(),
    };
    Some(format!(
        "{name} — {} ({} / {})",
        format_percent(share, lang),
        format_vnd(w.numerator, lang),
        format_vnd(w.denominator, lang)
    ))
}
