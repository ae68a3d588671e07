//! The scorecard page: products × criteria, coloured by status, each figure opening its
//! evidence page (`evidence`).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use cncl_app::AppError;
use cncl_domain::{Date, EntityKind, Lang};
use cncl_eval::criteria::{Comparator, CriteriaSet, SetRef, Unit};
use cncl_eval::scorecard::{CriterionResult, Scorecard};

use crate::AppState;
use crate::extract::{Language, StrictQuery, optional, optional_date};
use crate::i18n::{Ui, format_count, format_date, status_class, ui};
use crate::ui::figures::value_text;

/// The query of the scorecard and evidence pages: a date, optionally one product, and the
/// criteria set to evaluate under (`ID@VERSION`, default the programme's).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScorecardQuery {
    #[serde(default, deserialize_with = "optional_date")]
    pub as_of: Option<Date>,
    #[serde(default, deserialize_with = "optional")]
    pub product: Option<String>,
    #[serde(default, deserialize_with = "optional")]
    pub criteria: Option<SetRef>,
    /// As cncl knew it then: an audit log entry, a moment or a day.
    #[serde(default, deserialize_with = "optional")]
    pub recorded_at: Option<cncl_app::recorded::RecordedAt>,
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

impl ScorecardQuery {
    /// What links to other figures carry along: the set, when one was named, and the entry
    /// the figures were recorded at.
    pub(crate) fn criteria_param(&self) -> String {
        let set = self.criteria.as_ref().map_or_else(String::new, |c| format!("&criteria={c}"));
        let recorded = self.recorded_at.map_or_else(String::new, |r| format!("&recorded_at={r}"));
        set + &recorded
    }
}

pub struct Cell {
    pub class: &'static str,
    pub status: &'static str,
    pub value: String,
    pub href: String,
    /// Some model's materials cost lines disagree with its bill of materials.
    pub warned: bool,
    /// Reports the figure rests on that are missing, and where they are listed (the office's
    /// view only).
    pub missing: Option<(usize, String)>,
    pub spark: crate::ui::chart::Sparkline,
    /// Where the trend heads by the target's date.
    pub projection: Option<String>,
}

pub struct Row {
    pub id: String,
    pub name: String,
    /// The bill-of-materials rule, beside the figures that rest on it.
    pub rule: Option<String>,
    /// Each milestone's target, in the milestones' order ("—" where it sets none).
    pub targets: Vec<String>,
    pub cells: Vec<Cell>,
}

#[derive(Template)]
#[template(path = "scorecard.html")]
pub struct ScorecardPage {
    pub ui: &'static Ui,
    pub nav: crate::ui::page::Nav,
    pub as_of: String,
    pub as_of_label: String,
    pub bom_rule: String,
    /// The criteria set used, named; and the query parameter that keeps it on links.
    pub set_label: String,
    pub criteria: Option<String>,
    pub products: Vec<(String, String)>,
    pub rows: Vec<Row>,
    pub programme: Vec<Row>,
    /// Each product's latest assessment, in the products' order (none for a visitor).
    pub assessments: Vec<Option<Assessment>>,
    /// The audit log entry the figures were rebuilt at, when asked as recorded then.
    pub recorded: Option<String>,
    /// How far in the audit log the figures reach (when not asked as recorded).
    pub position: Option<String>,
}

/// A product's assessment beside its figures: the quarter, what moved, and its record.
pub struct Assessment {
    pub quarter: String,
    pub progress: String,
    pub href: String,
}

/// The rule beside a figure that rests on bills of materials.
pub(crate) fn rule_beside(set: &CriteriaSet, criterion: &str, scorecard: &Scorecard, lang: Lang) -> Option<String> {
    set.criteria
        .iter()
        .find(|c| c.id == criterion)
        .filter(|c| c.indicator.uses_bill_of_materials())
        .map(|_| scorecard.bom_rule.describe(scorecard.roll_up_threshold_percent, lang))
}

pub(crate) fn target_text(result: &CriterionResult, lang: Lang) -> String {
    let Some(t) = &result.target else {
        return String::new();
    };
    let number = |v: i64| match result.unit {
        Unit::Percent => format!("{v} %"),
        Unit::Count => format_count(v, lang),
    };
    let value = match (t.high, result.comparator) {
        (Some(high), _) => format!("{}–{}", number(t.low), number(high)),
        (None, Comparator::AtLeast) => format!("≥ {}", number(t.low)),
        (None, Comparator::AtMost) => format!("≤ {}", number(t.low)),
    };
    if result.constraint {
        format!("{value} ({})", ui(lang).constraint_note)
    } else {
        format!("{value} ({})", format_date(t.by, lang))
    }
}

pub(crate) fn criterion_name(set: &CriteriaSet, id: &str, lang: Lang) -> String {
    set.criteria.iter().find(|c| c.id == id).map(|c| lang.pick(&c.name_vi, &c.name_en).to_owned()).unwrap_or_default()
}

fn evidence_href(scope: &str, criterion: &str, as_of: Date, criteria_param: &str) -> String {
    format!("/scorecard/{scope}/{criterion}?as_of={as_of}{criteria_param}")
}

/// How many reports criterion `id`'s figure rests on are missing, with the compliance page
/// that lists them; `None` when none are, or the figure rests on no report.
fn missing_reports(
    compliance: Option<&cncl_app::compliance::Compliance>,
    set: &CriteriaSet,
    id: &str,
    product: Option<&str>,
) -> Option<(usize, String)> {
    let compliance = compliance?;
    let kind = set.criteria.iter().find(|c| c.id == id)?.indicator.rests_on()?;
    let count = compliance.missing(kind, product);
    let filter = product.map_or_else(String::new, |p| format!("&product={p}"));
    (count > 0).then(|| (count, format!("/compliance?as_of={}{filter}", compliance.as_of)))
}

fn cell(result: &CriterionResult, scope: &str, as_of: Date, criteria_param: &str, lang: Lang) -> Cell {
    Cell {
        class: status_class(result.status),
        status: ui(lang).status_label(result.status),
        value: value_text(result, lang),
        href: evidence_href(scope, &result.criterion, as_of, criteria_param),
        warned: !result.materials_mismatches.is_empty(),
        missing: None,
        spark: crate::ui::chart::sparkline(result, lang),
        projection: crate::ui::chart::projection_arrow(result, lang),
    }
}

/// The scorecard as asked: now, or as recorded at an entry (then named, for the page).
pub(crate) async fn figures(
    state: &AppState,
    caller: &crate::auth::Caller,
    query: &ScorecardQuery,
    as_of: Date,
    lang: Lang,
) -> Result<(std::sync::Arc<cncl_eval::Scorecard>, Option<String>), AppError> {
    let (product, criteria) = (query.product.as_deref(), query.criteria.as_ref());
    let Some(recorded) = query.recorded_at else {
        return Ok((state.app.scorecard(&caller.actor, as_of, product, criteria).await?, None));
    };
    let (card, entry) = state.app.scorecard_as_recorded(&caller.actor, as_of, product, criteria, recorded).await?;
    Ok((card, Some(format!("#{} ({})", entry.seq, crate::i18n::format_instant(&entry.at, lang)))))
}

/// Each product's latest assessment by `as_of`, in the scorecard's order of products.
/// Visitors see the figures; the assessments are for those signed in.
async fn assessments(
    state: &AppState,
    caller: &crate::auth::Caller,
    scorecard: &cncl_eval::Scorecard,
    as_of: Date,
    lang: Lang,
) -> Result<Vec<Option<Assessment>>, AppError> {
    let latest = match state.app.latest_commentaries(&caller.actor, as_of).await {
        Ok(latest) if !latest.is_empty() => latest,
        Ok(_) | Err(AppError::Unauthenticated | AppError::Forbidden(_)) => return Ok(Vec::new()),
        Err(other) => return Err(other),
    };
    Ok(scorecard
        .products
        .iter()
        .map(|card| {
            latest.iter().find(|c| c.record.product_code.as_str() == card.product).map(|c| Assessment {
                quarter: crate::ui::reports::quarter_label(
                    &format!("{}Q{}", c.record.year.get(), c.record.quarter.get()),
                    lang,
                ),
                progress: c.record.progress.as_str().to_owned(),
                href: format!("/records/{}/{}", EntityKind::Commentary.resource(), c.id),
            })
        })
        .collect())
}

/// What every row of the scorecard is made with.
struct Lines<'a> {
    set: &'a CriteriaSet,
    compliance: Option<&'a cncl_app::compliance::Compliance>,
    as_of: Date,
    criteria_param: &'a str,
    lang: Lang,
}

impl Lines<'_> {
    /// A row per product criterion, a cell per product.
    fn product_rows(&self, scorecard: &cncl_eval::Scorecard) -> Vec<Row> {
        let mut rows: Vec<Row> = Vec::new();
        for (i, card) in scorecard.products.iter().enumerate() {
            for result in &card.results {
                if i == 0 {
                    rows.push(Row {
                        id: result.criterion.clone(),
                        name: criterion_name(self.set, &result.criterion, self.lang),
                        rule: rule_beside(self.set, &result.criterion, scorecard, self.lang),
                        targets: crate::ui::figures::milestone_targets(self.set, &result.criterion, self.lang),
                        cells: Vec::new(),
                    });
                }
                if let Some(row) = rows.iter_mut().find(|r| r.id == result.criterion) {
                    row.cells.push(Cell {
                        missing: missing_reports(self.compliance, self.set, &result.criterion, Some(&card.product)),
                        ..cell(result, &card.product, self.as_of, self.criteria_param, self.lang)
                    });
                }
            }
        }
        rows
    }

    /// A row per programme criterion.
    fn programme_rows(&self, scorecard: &cncl_eval::Scorecard) -> Vec<Row> {
        scorecard
            .programme
            .iter()
            .map(|result| Row {
                id: result.criterion.clone(),
                name: criterion_name(self.set, &result.criterion, self.lang),
                rule: None,
                targets: crate::ui::figures::milestone_targets(self.set, &result.criterion, self.lang),
                cells: vec![Cell {
                    missing: missing_reports(self.compliance, self.set, &result.criterion, None),
                    ..cell(result, "programme", self.as_of, self.criteria_param, self.lang)
                }],
            })
            .collect()
    }
}

pub async fn show(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    StrictQuery(query): StrictQuery<ScorecardQuery>,
    language: Language,
) -> Result<Response, crate::error::WebError> {
    let lang = language.lang;
    let as_of = query.as_of.unwrap_or_else(|| state.app.today());
    let criteria = query.criteria.as_ref();
    let (scorecard, recorded) = figures(&state, &caller, &query, as_of, lang).await?;
    let set = state.app.criteria_set(criteria).await?;
    let criteria_param = query.criteria_param();
    let products = state.app.products().await?;
    let name_of = |code: &str| {
        products.iter().find(|p| p.code.as_str() == code).map_or(code.to_owned(), |p| p.name(lang).to_owned())
    };
    // What the figures rest on, for those who follow reporting (not a reporter's own).
    let compliance = match cncl_app::policy::office(&caller.actor, false) {
        Ok(()) if recorded.is_none() => Some(state.app.compliance(&caller.actor, as_of).await?),
        _ => None,
    };
    let lines = Lines { set: &set, compliance: compliance.as_ref(), as_of, criteria_param: &criteria_param, lang };
    let rows = lines.product_rows(&scorecard);
    let programme = lines.programme_rows(&scorecard);
    let assessments = assessments(&state, &caller, &scorecard, as_of, lang).await?;
    let position = match recorded {
        None => Some(crate::ui::figures::position_note(scorecard.audit_seq, state.app.audit_head().await?.0, lang)),
        Some(_) => None,
    };
    let page = ScorecardPage {
        position,
        ui: ui(lang),
        nav: crate::ui::page::Nav::of(&caller),
        assessments,
        recorded,
        as_of: as_of.to_string(),
        as_of_label: format_date(as_of, lang),
        bom_rule: scorecard.bom_rule.describe(scorecard.roll_up_threshold_percent, lang),
        set_label: crate::ui::home::set_label(&set, lang),
        criteria: query.criteria.as_ref().map(SetRef::to_string),
        products: scorecard.products.iter().map(|p| (p.product.clone(), name_of(&p.product))).collect(),
        rows,
        programme,
    };
    Ok(crate::ui::page::render(&page, language.remember()))
}
