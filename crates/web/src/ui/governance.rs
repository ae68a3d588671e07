//! The governance page (warnings, people in charge, the Task Force) and the funding page
//! (each year's state budget against the ceiling; totals by product and source).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use cncl_app::dossier::GovernanceOverview;
use cncl_domain::reference::Product;
use cncl_domain::task::FundingSource;
use cncl_domain::{EntityKind, Lang};

use crate::AppState;
use crate::extract::{DatedPage, Language, StrictQuery};
use crate::i18n::{Ui, format_count, format_date, ui};
use crate::ui::view::Line;

#[derive(Template)]
#[template(path = "governance.html")]
pub struct GovernancePage {
    pub ui: &'static Ui,
    pub nav: crate::ui::page::Nav,
    pub as_of: String,
    pub warnings: Vec<(&'static str, String)>,
    pub appointments: Vec<Line>,
    pub members: Vec<Line>,
    pub documents: Vec<Line>,
    pub add: Vec<crate::ui::view::AddLink>,
}

pub async fn governance(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    StrictQuery(query): StrictQuery<DatedPage>,
    language: Language,
) -> Result<Response, crate::error::WebError> {
    let lang = language.lang;
    let as_of = query.as_of.unwrap_or_else(|| state.app.today());
    let overview = state.app.governance_overview(&caller.actor, as_of).await?;
    let products = state.app.products().await?;
    let u = ui(lang);
    let edit = |kind, id| crate::ui::view::edit_href(&caller, kind, id, "/governance");
    let page = GovernancePage {
        ui: u,
        nav: crate::ui::page::Nav::of(&caller),
        add: crate::ui::view::add_links(
            &caller,
            &[EntityKind::Appointment, EntityKind::TaskForceMember, EntityKind::TaskForceDocument],
            "",
            "/governance",
            lang,
        ),
        as_of: as_of.to_string(),
        warnings: overview.warnings.iter().map(|w| (w.label(lang), w.detail(lang, &products))).collect(),
        appointments: appointment_lines(&overview, &products, &edit, lang),
        members: member_lines(&overview, &edit, lang),
        documents: document_lines(&overview, &edit, lang),
    };
    Ok(crate::ui::page::render(&page, language.remember()))
}

/// The link that opens a record of the page, if the visitor may.
type Edit<'a> = dyn Fn(EntityKind, uuid::Uuid) -> Option<String> + 'a;

fn name(person: &Option<cncl_domain::Stored<cncl_domain::organisation::Person>>) -> String {
    person.as_ref().map(|p| p.record.full_name.to_string()).unwrap_or_default()
}

/// The chief engineers and architects, a line each.
fn appointment_lines(overview: &GovernanceOverview, products: &[Product], edit: &Edit<'_>, lang: Lang) -> Vec<Line> {
    overview
        .appointments
        .iter()
        .map(|a| {
            let r = &a.record.record;
            let product =
                products.iter().find(|p| p.code == r.product_code).map_or(String::new(), |p| p.name(lang).to_owned());
            Line {
                cells: vec![
                    product,
                    r.role.label(lang).to_owned(),
                    name(&a.person),
                    format_date(r.appointed_on, lang),
                    r.decision_number.to_string(),
                ],
                flag: None,
                href: edit(EntityKind::Appointment, a.record.id.into()),
            }
        })
        .collect()
}

/// The Task Force's members, a line each.
fn member_lines(overview: &GovernanceOverview, edit: &Edit<'_>, lang: Lang) -> Vec<Line> {
    overview
        .members
        .iter()
        .map(|m| {
            let r = &m.record.record;
            Line {
                cells: vec![
                    name(&m.person),
                    r.position.label(lang).to_owned(),
                    r.office.to_string(),
                    format_date(r.from_on, lang),
                ],
                flag: None,
                href: edit(EntityKind::TaskForceMember, m.record.id.into()),
            }
        })
        .collect()
}

/// The Task Force's documents, a line each.
fn document_lines(overview: &GovernanceOverview, edit: &Edit<'_>, lang: Lang) -> Vec<Line> {
    overview
        .documents
        .iter()
        .map(|d| Line {
            cells: vec![
                d.record.kind.label(lang).to_owned(),
                d.record.number.to_string(),
                format_date(d.record.issued_on, lang),
                d.record.title.to_string(),
            ],
            flag: None,
            href: edit(EntityKind::TaskForceDocument, d.id.into()),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "funding.html")]
pub struct FundingPage {
    pub ui: &'static Ui,
    pub nav: crate::ui::page::Nav,
    pub as_of: String,
    pub ceiling: String,
    pub sources: Vec<&'static str>,
    pub years: Vec<Line>,
    pub products: Vec<Line>,
    pub add: Vec<crate::ui::view::AddLink>,
}

pub async fn funding(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    StrictQuery(query): StrictQuery<DatedPage>,
    language: Language,
) -> Result<Response, crate::error::WebError> {
    let lang = language.lang;
    let as_of = query.as_of.unwrap_or_else(|| state.app.today());
    let summary = state.app.funding(&caller.actor, as_of).await?;
    let products = state.app.products().await?;
    let u = ui(lang);
    let money = |v: i128| format_count(i64::try_from(v).unwrap_or(i64::MAX), lang);
    let page = FundingPage {
        ui: u,
        nav: crate::ui::page::Nav::of(&caller),
        add: crate::ui::view::add_links(
            &caller,
            &[EntityKind::StateStSpending, EntityKind::BudgetLine, EntityKind::Disbursement],
            "",
            "/funding",
            lang,
        ),
        as_of: as_of.to_string(),
        ceiling: summary.ceiling_percent.map(|c| format!("{c} %")).unwrap_or_default(),
        sources: FundingSource::ALL.iter().map(|s| s.label(lang)).collect(),
        years: summary
            .years
            .iter()
            .map(|y| {
                let mut cells = vec![y.year.to_string()];
                cells.extend(FundingSource::ALL.iter().map(|s| money(y.by_source.get(s).copied().unwrap_or(0))));
                cells.push(money(y.state_vnd));
                cells.push(y.st_spending_vnd.map(money).unwrap_or_default());
                cells.push(y.state_share_percent.map(|p| format!("{p:.2} %")).unwrap_or_default());
                cells.push(money(y.disbursed_vnd));
                Line { cells, flag: y.over_ceiling.then_some(u.over_ceiling), href: None }
            })
            .collect(),
        products: summary
            .products
            .iter()
            .map(|p| {
                let mut cells = vec![
                    products
                        .iter()
                        .find(|x| x.code.as_str() == p.product)
                        .map_or(p.product.clone(), |x| x.name(lang).to_owned()),
                ];
                cells.extend(FundingSource::ALL.iter().map(|s| money(p.by_source.get(s).copied().unwrap_or(0))));
                cells.push(money(p.total_vnd));
                cells.push(money(p.disbursed_vnd));
                Line { cells, flag: None, href: None }
            })
            .collect(),
    };
    Ok(crate::ui::page::render(&page, language.remember()))
}
