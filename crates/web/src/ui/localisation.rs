//! The localisation planner's pages: one model's plan, and a product's roadmap of every model
//! below a value-added target with the supporting enterprises it would bring in.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use cncl_app::localisation::ModelLocalisation;
use cncl_domain::ids::ProductModelId;
use cncl_domain::{Date, EntityKind, Lang};
use cncl_eval::criteria::SetRef;
use cncl_eval::localisation::Share;
use serde::Deserialize;

use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Language, PathId, StrictQuery, optional, optional_date};
use crate::i18n::{Ui, format_count, format_date, ui};
use crate::ui::page::Nav;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanQuery {
    #[serde(default, deserialize_with = "optional_date")]
    as_of: Option<Date>,
    #[serde(default, deserialize_with = "optional")]
    target: Option<i64>,
    #[serde(default, deserialize_with = "optional")]
    criteria: Option<SetRef>,
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

pub struct SubstitutionRow {
    pub component: String,
    pub line_href: String,
    pub units: String,
    pub current_cost: String,
    pub offered_cost: String,
    pub supplier: String,
    pub supplier_href: String,
    pub removed: String,
    pub added: String,
    pub delivery: String,
    pub trl: u8,
}

pub struct UncoveredRow {
    pub component: String,
    pub imported: String,
}

/// One model's plan as a page shows it.
pub struct PlanView {
    pub model: String,
    pub model_href: String,
    pub plan_href: String,
    pub product: String,
    pub targets: String,
    pub current_c1a: String,
    pub current_c1b: String,
    pub planned_c1a: String,
    pub planned_c1b: String,
    pub best_c1a: String,
    pub best_c1b: String,
    pub meets_now: bool,
    pub reachable: bool,
    pub gap: String,
    pub added_cost: String,
    pub substitutions: Vec<SubstitutionRow>,
    pub uncovered: Vec<UncoveredRow>,
    pub product_effect: Option<String>,
    pub set_label: String,
}

#[derive(Template)]
#[template(path = "localisation.html")]
pub struct PlanPage {
    pub ui: &'static Ui,
    pub nav: Nav,
    pub as_of: String,
    pub as_of_label: String,
    pub target: String,
    pub plan: PlanView,
    pub roadmap_href: String,
}

#[derive(Template)]
#[template(path = "roadmap.html")]
pub struct RoadmapPage {
    pub ui: &'static Ui,
    pub nav: Nav,
    pub as_of: String,
    pub as_of_label: String,
    pub product: String,
    pub set_label: String,
    pub targets: String,
    pub reaching: usize,
    pub not_reaching: usize,
    pub plans: Vec<PlanView>,
    pub suppliers: Vec<(String, String)>,
}

fn percent(share: &Share, lang: Lang) -> String {
    share.percent.map_or_else(|| "—".to_owned(), |p| crate::i18n::format_percent(p, lang))
}

fn vnd(value: i128, lang: Lang) -> String {
    let sign = if value < 0 { "−" } else { "" };
    format!("{sign}{} ₫", format_count(i64::try_from(value.unsigned_abs()).unwrap_or(i64::MAX), lang))
}

fn plan_view(m: &ModelLocalisation, set_label: &str, as_of: Date, lang: Lang) -> PlanView {
    let p = &m.plan;
    let t = ui(lang);
    let component = |line| m.components.get(line).cloned().unwrap_or_default();
    let substitutions = p
        .substitutions
        .iter()
        .map(|s| SubstitutionRow {
            component: component(&s.line),
            line_href: format!("/records/{}/{}", EntityKind::BomLine.resource(), s.line),
            units: format_count(i64::try_from(s.units_per_model).unwrap_or(i64::MAX), lang),
            current_cost: vnd(i128::from(s.current_unit_cost_vnd), lang),
            offered_cost: vnd(i128::from(s.offered_unit_cost_vnd), lang),
            supplier: m.suppliers.get(&s.supplier).cloned().unwrap_or_else(|| s.supplier.to_string()),
            supplier_href: format!("/records/{}/{}", EntityKind::Organisation.resource(), s.supplier),
            removed: vnd(s.imported_removed_vnd, lang),
            added: vnd(s.added_cost_vnd, lang),
            delivery: format_date(s.delivery_on, lang),
            trl: s.trl,
        })
        .collect();
    let uncovered = p
        .uncovered_lines
        .iter()
        .map(|u| UncoveredRow { component: component(&u.line), imported: vnd(u.imported_content_vnd, lang) })
        .collect();
    PlanView {
        model: m.model_name.clone(),
        model_href: format!("/records/{}/{}", EntityKind::ProductModel.resource(), m.model),
        plan_href: format!("/product-models/{}/localisation?as_of={as_of}", m.model),
        product: m.product.clone(),
        targets: format!("C1a ≥ {} % · C1b ≥ {} %", p.targets.c1a_percent, p.targets.c1b_percent),
        current_c1a: percent(&p.current_c1a, lang),
        current_c1b: percent(&p.current_c1b, lang),
        planned_c1a: percent(&p.planned_c1a, lang),
        planned_c1b: percent(&p.planned_c1b, lang),
        best_c1a: percent(&p.best_c1a, lang),
        best_c1b: percent(&p.best_c1b, lang),
        meets_now: p.meets_targets_now,
        reachable: p.reachable,
        gap: format!(
            "C1a {} · C1b {} {}",
            crate::i18n::format_decimal(p.c1a_gap_points, 1, lang),
            crate::i18n::format_decimal(p.c1b_gap_points, 1, lang),
            t.percentage_points
        ),
        added_cost: vnd(p.added_cost_vnd, lang),
        substitutions,
        uncovered,
        product_effect: p.product_effect.map(|e| {
            format!(
                "C1a {} → {} · C1b {} → {}",
                percent(&e.c1a_before, lang),
                percent(&e.c1a_after, lang),
                percent(&e.c1b_before, lang),
                percent(&e.c1b_after, lang)
            )
        }),
        set_label: set_label.to_owned(),
    }
}

pub async fn model_plan(
    State(state): State<AppState>,
    caller: Caller,
    id: PathId,
    StrictQuery(query): StrictQuery<PlanQuery>,
    language: Language,
) -> Result<Response, crate::error::WebError> {
    let lang = language.lang;
    let as_of = query.as_of.unwrap_or_else(|| state.app.today());
    let criteria = query.criteria.as_ref();
    let model = id.get::<ProductModelId>()?;
    let plan = state.app.localisation_plan(&caller.actor, model, as_of, query.target, criteria).await?;
    let set = state.app.criteria_set(criteria).await?;
    let page = PlanPage {
        ui: ui(lang),
        nav: Nav::of(&caller),
        as_of: as_of.to_string(),
        as_of_label: format_date(as_of, lang),
        target: plan.plan.targets.c1a_percent.to_string(),
        roadmap_href: format!("/products/{}/localisation?as_of={as_of}", plan.product),
        plan: plan_view(&plan, &crate::ui::home::set_label(&set, lang), as_of, lang),
    };
    Ok(crate::ui::page::render(&page, language.remember()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoadmapQuery {
    #[serde(default, deserialize_with = "optional_date")]
    as_of: Option<Date>,
    #[serde(default, deserialize_with = "optional")]
    criteria: Option<SetRef>,
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

pub async fn roadmap(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    StrictQuery(query): StrictQuery<RoadmapQuery>,
    language: Language,
) -> Result<Response, crate::error::WebError> {
    let lang = language.lang;
    let as_of = query.as_of.unwrap_or_else(|| state.app.today());
    let criteria = query.criteria.as_ref();
    let roadmap = state.app.localisation_roadmap(&caller.actor, Some(&code), as_of, criteria).await?;
    let set = state.app.criteria_set(criteria).await?;
    let set_label = crate::ui::home::set_label(&set, lang);
    let product = state.app.product(&code).await?;
    let page = RoadmapPage {
        ui: ui(lang),
        nav: Nav::of(&caller),
        as_of: as_of.to_string(),
        as_of_label: format_date(as_of, lang),
        product: product.name(lang).to_owned(),
        targets: format!("C1a ≥ {} % · C1b ≥ {} %", roadmap.targets.c1a_percent, roadmap.targets.c1b_percent),
        reaching: roadmap.reaching,
        not_reaching: roadmap.not_reaching,
        plans: roadmap.models.iter().map(|m| plan_view(m, &set_label, as_of, lang)).collect(),
        suppliers: roadmap
            .suppliers
            .iter()
            .map(|(id, name)| (format!("/records/{}/{id}", EntityKind::Organisation.resource()), name.clone()))
            .collect(),
        set_label,
    };
    Ok(crate::ui::page::render(&page, language.remember()))
}
