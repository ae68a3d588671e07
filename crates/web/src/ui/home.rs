//! The home page: the programme, its six products and task groups, its criteria, targets
//! and milestones.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use cncl_domain::Lang;
use cncl_eval::criteria::Scope;

use crate::AppState;
use crate::extract::{Language, StrictQuery};
use crate::i18n::{Ui, format_date, ui};
use crate::ui::figures::milestone_target;

pub struct ProgrammeView {
    pub name: String,
    pub decision: String,
    pub managing_body: String,
    pub period: String,
}

pub struct ProductView {
    pub ordinal: i64,
    pub code: String,
    pub name: String,
    pub other_name: String,
    pub starts_on: String,
}

pub struct CriterionView {
    pub id: String,
    pub name: String,
    pub targets: Vec<String>,
    pub source: String,
}

pub struct MilestoneView {
    pub date: String,
    pub name: String,
    pub source: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub ui: &'static Ui,
    pub nav: crate::ui::page::Nav,
    pub programme: Option<ProgrammeView>,
    pub products: Vec<ProductView>,
    pub task_groups: Vec<String>,
    /// Per-product criteria, then programme-wide ones, each under its heading.
    pub criteria_sections: Vec<(&'static str, Vec<CriterionView>)>,
    pub milestones: Vec<MilestoneView>,
    /// The criteria set shown: its name, id and version.
    pub set_label: Option<String>,
    /// A reporter's outstanding reports: what its organisation owes and has not had
    /// approved, the nearest due first.
    pub owed: Vec<crate::ui::compliance::OverdueRow>,
    pub words: &'static crate::i18n::ComplianceUi,
    pub dashboard: crate::ui::dashboard::Dashboard,
}

/// "Tiêu chí … (decision-2815@2026-12)": how every page names the criteria set it used.
pub fn set_label(set: &cncl_eval::CriteriaSet, lang: Lang) -> String {
    format!("{} ({})", lang.pick(&set.name_vi, &set.name_en), set.reference())
}

/// The products, each named in both languages.
fn product_views(products: &[cncl_domain::reference::Product], lang: Lang) -> Vec<ProductView> {
    products
        .iter()
        .map(|p| ProductView {
            ordinal: p.ordinal,
            code: p.code.to_string(),
            name: p.name(lang).to_owned(),
            other_name: p.name(lang.other()).to_owned(),
            starts_on: format_date(p.starts_on, lang),
        })
        .collect()
}

pub async fn show(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    StrictQuery(_): StrictQuery<crate::extract::PlainPage>,
    language: Language,
) -> Result<Response, crate::error::WebError> {
    let lang = language.lang;
    let app = &state.app;
    let programme = app.store().programme().await?.map(|p| ProgrammeView {
        name: p.name(lang).to_owned(),
        decision: p.decision.to_string(),
        managing_body: p.managing_body(lang).to_owned(),
        period: format!("{}–{}", p.starts_on.format("%Y"), p.ends_on.format("%Y")),
    });
    let products = product_views(&app.products().await?, lang);
    let task_groups = app.task_groups().await?.iter().map(|g| g.name(lang).to_owned()).collect();
    let set = match app.store().current_criteria_set().await? {
        Some(current) => app.store().criteria_set_version(&current).await?,
        None => None,
    };
    let set_label = set.as_ref().map(|s| set_label(s, lang));
    let criteria_of = |scope: Scope| -> Vec<CriterionView> {
        set.iter()
            .flat_map(|s| s.criteria.iter())
            .filter(|c| c.scope == scope)
            .map(|c| CriterionView {
                id: c.id.clone(),
                name: lang.pick(&c.name_vi, &c.name_en).to_owned(),
                targets: c.targets.iter().map(|t| milestone_target(c, t, lang)).collect(),
                source: c.source_in(lang).to_owned(),
            })
            .collect()
    };
    let milestones = set
        .iter()
        .flat_map(|s| s.milestones.iter())
        .map(|m| MilestoneView {
            date: format_date(m.date, lang),
            name: lang.pick(&m.name_vi, &m.name_en).to_owned(),
            source: m.source_in(lang).to_owned(),
        })
        .collect();
    let page = HomePage {
        ui: ui(lang),
        nav: crate::ui::page::Nav::of(&caller),
        programme,
        products,
        task_groups,
        criteria_sections: vec![
            (ui(lang).per_product, criteria_of(Scope::Product)),
            (ui(lang).programme_wide, criteria_of(Scope::Programme)),
        ],
        milestones,
        set_label,
        owed: crate::ui::compliance::outstanding(&state, &caller, lang).await?,
        words: crate::i18n::compliance_ui(lang),
        dashboard: crate::ui::dashboard::dashboard(&state, &caller, lang).await?,
    };
    Ok(crate::ui::page::render(&page, language.remember()))
}
