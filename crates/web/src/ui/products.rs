//! A product's page: its figures against each milestone with their quarterly history, who is
//! in charge, its tasks by status, its core-technology tree with each technology's
//! assessments, its models, and one model's bill of materials branch by branch from price to
//! domestic value added. Visitors see the figures; the records are for those signed in.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use cncl_app::product_dossier::{ModelBill, ProductDossier};
use cncl_domain::task::TaskStatus;
use cncl_domain::{Date, EntityKind, Lang};
use cncl_eval::criteria::CriteriaSet;
use uuid::Uuid;

use super::chart::{Sparkline, projection_arrow, sparkline};
use crate::AppState;
use crate::error::WebError;
use crate::extract::{Language, StrictQuery, optional, optional_date};
use crate::i18n::{ProductsUi, Ui, format_count, format_date, format_vnd, products_ui, status_class, ui};
use crate::ui::figures::{milestone_targets, value_text};
use crate::ui::page::Nav;
use crate::ui::waterfall::{Waterfall, waterfall};

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductQuery {
    #[serde(default, deserialize_with = "optional_date")]
    pub as_of: Option<Date>,
    /// The model whose bill of materials is shown (the first model when none).
    #[serde(default, deserialize_with = "optional")]
    pub model: Option<Uuid>,
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

/// One criterion's figure for the product, against each milestone's target.
pub struct FigureRow {
    pub id: String,
    pub name: String,
    pub href: String,
    pub value: String,
    pub status: &'static str,
    pub class: &'static str,
    /// Each milestone's target ("—" where the criterion sets none for it).
    pub targets: Vec<String>,
    pub spark: Sparkline,
    pub projection: Option<String>,
}

pub struct Named {
    pub role: String,
    pub name: String,
}

pub struct TaskGroup {
    pub status: &'static str,
    pub class: &'static str,
    pub tasks: Vec<(String, String, String)>,
}

pub struct TechnologyLine {
    pub depth: usize,
    pub name: String,
    pub href: String,
    pub weight: Option<String>,
    pub latest: Option<String>,
    /// Each assessment: its date and mastery, oldest first.
    pub timeline: Vec<(String, &'static str)>,
}

pub struct ModelRow {
    pub name: String,
    pub maker: String,
    pub price: String,
    pub launched: String,
    pub bill_href: String,
    pub chosen: bool,
}

pub struct BillRow {
    pub depth: usize,
    pub component: String,
    pub href: String,
    pub origin: &'static str,
    pub imported_line: bool,
    pub quantity: String,
    pub unit_cost: String,
    pub cost: String,
    pub imported: String,
    pub domestic: String,
}

pub struct BillView {
    pub model: String,
    pub rule: String,
    pub rows: Vec<BillRow>,
    pub waterfall: Waterfall,
}

#[derive(Template)]
#[template(path = "product.html")]
pub struct ProductPage {
    pub ui: &'static Ui,
    /// How far in the audit log the figures reach.
    pub position: String,
    pub words: &'static ProductsUi,
    pub nav: Nav,
    pub code: String,
    pub name: String,
    pub other_name: String,
    pub as_of: String,
    pub milestones: Vec<String>,
    pub figures: Vec<FigureRow>,
    /// Whether the records are shown (the visitor is signed in).
    pub signed_in: bool,
    pub people: Vec<Named>,
    pub tasks: Vec<TaskGroup>,
    pub technologies: Vec<TechnologyLine>,
    pub models: Vec<ModelRow>,
    pub bill: Option<BillView>,
}

pub async fn show(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    Path(code): Path<String>,
    StrictQuery(query): StrictQuery<ProductQuery>,
    language: Language,
) -> Result<Response, WebError> {
    let lang = language.lang;
    let product = state.app.product(&code).await?;
    let as_of = query.as_of.unwrap_or_else(|| state.app.today());
    let set = state.app.criteria_set(None).await?;
    let card = state.app.scorecard(&caller.actor, as_of, Some(&code), None).await?;
    let figures = card
        .products
        .iter()
        .filter(|p| p.product == code)
        .flat_map(|p| p.results.iter())
        .filter_map(|r| figure_row(&set, &code, r, as_of, lang))
        .collect();
    let mut page = ProductPage {
        position: crate::ui::figures::position_note(card.audit_seq, state.app.audit_head().await?.0, lang),
        ui: ui(lang),
        words: products_ui(lang),
        nav: Nav::of(&caller),
        name: product.name(lang).to_owned(),
        other_name: product.name(lang.other()).to_owned(),
        code: code.clone(),
        as_of: format_date(as_of, lang),
        milestones: set.milestones.iter().map(|m| lang.pick(&m.name_vi, &m.name_en).to_owned()).collect(),
        figures,
        signed_in: !caller.actor.is_anonymous(),
        people: Vec::new(),
        tasks: Vec::new(),
        technologies: Vec::new(),
        models: Vec::new(),
        bill: None,
    };
    if !caller.actor.is_anonymous() {
        let dossier = state.app.product_dossier(&caller.actor, &code, as_of, query.model.map(Into::into)).await?;
        fill_records(&mut page, &dossier, as_of, lang);
    }
    Ok(crate::ui::page::render(&page, language.remember()))
}

fn figure_row(
    set: &CriteriaSet,
    code: &str,
    result: &cncl_eval::scorecard::CriterionResult,
    as_of: Date,
    lang: Lang,
) -> Option<FigureRow> {
    let criterion = set.criteria.iter().find(|c| c.id == result.criterion)?;
    Some(FigureRow {
        id: criterion.id.clone(),
        name: lang.pick(&criterion.name_vi, &criterion.name_en).to_owned(),
        href: format!("/scorecard/{code}/{}?as_of={as_of}", criterion.id),
        value: value_text(result, lang),
        status: ui(lang).status_label(result.status),
        class: status_class(result.status),
        targets: milestone_targets(set, &criterion.id, lang),
        spark: sparkline(result, lang),
        projection: projection_arrow(result, lang),
    })
}

fn fill_records(page: &mut ProductPage, dossier: &ProductDossier, as_of: Date, lang: Lang) {
    page.people = dossier
        .people
        .iter()
        .map(|p| Named {
            role: p.record.record.role.label(lang).to_owned(),
            name: p.person.as_ref().map_or_else(String::new, |person| person.record.full_name.to_string()),
        })
        .collect();
    page.tasks = TaskStatus::ALL
        .iter()
        .map(|&status| TaskGroup {
            status: status.label(lang),
            class: crate::ui::tasks::task_status_class(status),
            tasks: dossier
                .tasks
                .iter()
                .filter(|t| t.record.status == status)
                .map(|t| (t.record.code.to_string(), t.record.title.to_string(), format!("/tasks/{}", t.id)))
                .collect(),
        })
        .filter(|g| !g.tasks.is_empty())
        .collect();
    page.technologies = dossier
        .technologies
        .iter()
        .map(|node| TechnologyLine {
            depth: node.depth,
            name: node.technology.record.name.to_string(),
            href: format!("/records/{}/{}", EntityKind::CoreTechnology.resource(), node.technology.id),
            weight: node.leaf.then(|| format_count(i64::from(node.technology.record.weight.get()), lang)),
            latest: node.assessments.last().map(|a| {
                format!(
                    "{} · TRL {} · {}",
                    a.record.mastery.label(lang),
                    a.record.trl.get(),
                    format_date(a.record.assessed_on, lang)
                )
            }),
            timeline: node
                .assessments
                .iter()
                .map(|a| (format_date(a.record.assessed_on, lang), a.record.mastery.label(lang)))
                .collect(),
        })
        .collect();
    let chosen = dossier.bill.as_ref().map(|b| b.model.id);
    page.models = dossier
        .models
        .iter()
        .map(|m| ModelRow {
            name: m.model.record.name.to_string(),
            maker: m.maker.clone().unwrap_or_default(),
            price: format_vnd(i128::from(m.model.record.selling_price_vnd.get()), lang),
            launched: m.model.record.launched_on.map(|d| format_date(d, lang)).unwrap_or_default(),
            bill_href: format!("/products/{}?as_of={as_of}&model={}#bill", page.code, m.model.id),
            chosen: Some(m.model.id) == chosen,
        })
        .collect();
    page.bill = dossier.bill.as_ref().map(|b| bill_view(b, lang));
}

fn bill_view(bill: &ModelBill, lang: Lang) -> BillView {
    let words = products_ui(lang);
    BillView {
        model: bill.model.record.name.to_string(),
        rule: bill.rule.describe(bill.threshold_percent, lang),
        rows: bill
            .branches
            .iter()
            .map(|b| BillRow {
                depth: b.depth,
                component: b.line.record.component.to_string(),
                href: format!("/records/{}/{}", EntityKind::BomLine.resource(), b.line.id),
                origin: b.line.record.origin.label(lang),
                imported_line: b.line.record.origin == cncl_domain::market::Origin::Imported,
                quantity: format_count(i64::from(b.line.record.quantity.get()), lang),
                unit_cost: format_vnd(i128::from(b.line.record.unit_cost_vnd.get()), lang),
                cost: format_vnd(b.cost_vnd, lang),
                imported: format_vnd(b.imported_vnd, lang),
                domestic: format_vnd((b.cost_vnd - b.imported_vnd).max(0), lang),
            })
            .collect(),
        waterfall: waterfall(bill, words, lang),
    }
}
