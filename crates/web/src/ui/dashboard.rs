//! The dashboard at the top of the home page: the programme's headline figures against each
//! milestone's target — the current ones for those signed in, the last published ones for
//! anyone else — and, for those signed in, the office's warnings and the reports due this
//! month, or a reporter's own tasks and reports.

use cncl_app::{AppError, ListQuery};
use cncl_domain::Lang;
use cncl_domain::reference::Product;
use cncl_domain::task::Task;
use cncl_eval::CriteriaSet;
use cncl_eval::comparison::PROGRAMME_SCOPE;
use cncl_eval::criteria::{Criterion, Indicator, Scope};
use cncl_eval::status::Status;
use cncl_store::records::ListFilter;

use crate::AppState;
use crate::auth::Caller;
use crate::i18n::{DashboardUi, dashboard_ui, format_date, status_class, ui};
use crate::ui::compliance::OverdueRow;
use crate::ui::figures::{figure_text, milestone_target, value_text};

/// The most warnings listed; the governance page has them all.
const WARNINGS_SHOWN: usize = 8;

/// The most reports due listed; the compliance page has them all.
const DUE_SHOWN: usize = 10;

/// One headline criterion: its figure per product (or for the programme) against each
/// milestone's target.
pub struct Tile {
    pub id: String,
    pub name: String,
    /// Each milestone's target: "60–70 % (31/12/2027)".
    pub targets: Vec<String>,
    pub lines: Vec<TileLine>,
}

pub struct TileLine {
    pub label: String,
    /// The figure's evidence page.
    pub href: String,
    pub value: String,
    pub status: &'static str,
    pub class: &'static str,
    /// Whether the figure meets each milestone's target today.
    pub against: Vec<bool>,
}

pub struct TaskLine {
    pub code: String,
    pub title: String,
    pub status: String,
    pub href: String,
}

pub struct WarningLine {
    pub label: String,
    pub detail: String,
}

pub struct Dashboard {
    pub words: &'static DashboardUi,
    pub as_of: String,
    /// How far in the audit log the figures reach.
    pub position: String,
    pub tiles: Vec<Tile>,
    /// Shown to those who may read the office's views (the warnings and the reports due).
    pub office: bool,
    pub warnings: Vec<WarningLine>,
    pub more_warnings: bool,
    pub due: Vec<OverdueRow>,
    /// Reports due this month beyond those listed.
    pub more_due: usize,
    /// A reporter's organisation's tasks (none for anyone else).
    pub reporter: bool,
    pub tasks: Vec<TaskLine>,
    pub signed_in: bool,
    /// For a visitor who has not signed in: the published report the figures are from
    /// (none when nothing is published yet).
    pub published_from: Option<PublishedFrom>,
    /// Organisations taking part and funding by province (for those signed in).
    pub map: Option<crate::ui::map::Map>,
}

/// Where the dashboard's figures come from, for a visitor who has not signed in.
pub struct PublishedFrom {
    /// The report's quarter, as a reader writes it.
    pub label: String,
    pub href: String,
}

/// A figure as a tile shows it, however it was come by.
struct Shown {
    value: String,
    status: Status,
    numerator: i128,
    denominator: i128,
    href: String,
}

pub async fn dashboard(state: &AppState, caller: &Caller, lang: Lang) -> Result<Dashboard, AppError> {
    if !caller.completed() {
        return published_dashboard(state, lang).await;
    }
    let as_of = state.app.today();
    let card = state.app.scorecard(&caller.actor, as_of, None, None).await?;
    let set = state.app.criteria_set(None).await?;
    let products = state.app.products().await?;
    let tiles = tiles(&set, &products, lang, |scope, criterion| {
        let result = match scope {
            PROGRAMME_SCOPE => card.programme.iter().find(|r| r.criterion == criterion)?,
            product => card
                .products
                .iter()
                .find(|p| p.product == product)?
                .results
                .iter()
                .find(|r| r.criterion == criterion)?,
        };
        Some(Shown {
            value: value_text(result, lang),
            status: result.status,
            numerator: result.numerator,
            denominator: result.denominator,
            href: format!("/scorecard/{scope}/{criterion}"),
        })
    });
    let office = cncl_app::policy::office(&caller.actor, false).is_ok();
    let warnings = if office { state.app.warnings(&caller.actor, as_of).await? } else { Vec::new() };
    let reporter = caller.actor.role == Some(cncl_app::Role::Reporter);
    let due = crate::ui::compliance::due_this_month(state, caller, lang).await?;
    Ok(Dashboard {
        words: dashboard_ui(lang),
        as_of: format_date(as_of, lang),
        position: crate::ui::figures::position_note(card.audit_seq, state.app.audit_head().await?.0, lang),
        published_from: None,
        tiles,
        office,
        more_warnings: warnings.len() > WARNINGS_SHOWN,
        warnings: warnings
            .iter()
            .take(WARNINGS_SHOWN)
            .map(|w| WarningLine { label: w.label(lang).to_owned(), detail: w.detail(lang, &products) })
            .collect(),
        more_due: due.len().saturating_sub(DUE_SHOWN),
        due: due.into_iter().take(DUE_SHOWN).collect(),
        reporter,
        tasks: if reporter { own_tasks(state, caller, lang).await? } else { Vec::new() },
        signed_in: true,
        map: if office { province_map(state, caller, as_of, lang).await? } else { None },
    })
}

/// What a visitor who has not signed in sees: the figures of the latest published report,
/// as published (PRODUCT.md: the public sees what the office published), or that none is.
async fn published_dashboard(state: &AppState, lang: Lang) -> Result<Dashboard, AppError> {
    let published = state.app.published_figures().await?;
    let (as_of, tiles, published_from) = match &published {
        None => (String::new(), Vec::new(), None),
        Some((report, figures)) => {
            let set = report.criteria_set.parse().map_err(|_| {
                AppError::internal(&format!("published report {} names a malformed criteria set", report.id))
            })?;
            let set = state.app.criteria_set(Some(&set)).await?;
            let products = state.app.products().await?;
            let href = format!("/reports/{}", report.id);
            let tiles = tiles(&set, &products, lang, |scope, criterion| {
                let figure = figures.figure(scope, criterion)?;
                let unit = set.criteria.iter().find(|c| c.id == criterion)?.unit;
                Some(Shown {
                    value: figure_text(unit, figure.value, figure.percent, lang),
                    status: figure.status,
                    numerator: figure.numerator,
                    denominator: figure.denominator,
                    href: href.clone(),
                })
            });
            let from = PublishedFrom { label: crate::ui::reports::quarter_label(&report.quarter, lang), href };
            (format_date(cncl_domain::Date::saturating(figures.as_of), lang), tiles, Some(from))
        }
    };
    Ok(Dashboard {
        words: dashboard_ui(lang),
        as_of,
        position: String::new(),
        published_from,
        tiles,
        office: false,
        warnings: Vec::new(),
        more_warnings: false,
        due: Vec::new(),
        more_due: 0,
        reporter: false,
        tasks: Vec::new(),
        signed_in: false,
        map: None,
    })
}

/// The headline criteria of `set`, each with its figure per product (or for the programme)
/// as `figure(scope, criterion)` gives it.
fn tiles(
    set: &CriteriaSet,
    products: &[Product],
    lang: Lang,
    figure: impl Fn(&str, &str) -> Option<Shown>,
) -> Vec<Tile> {
    let mut tiles = Vec::new();
    for indicator in Indicator::HEADLINE {
        for criterion in set.criteria.iter().filter(|c| c.indicator == indicator) {
            let scopes: Vec<(String, &str)> = match criterion.scope {
                Scope::Product => products.iter().map(|p| (p.name(lang).to_owned(), p.code.as_str())).collect(),
                Scope::Programme => vec![(dashboard_ui(lang).whole_programme.to_owned(), PROGRAMME_SCOPE)],
            };
            let lines = scopes
                .into_iter()
                .filter_map(|(label, scope)| Some(tile_line(criterion, label, figure(scope, &criterion.id)?, lang)))
                .collect();
            tiles.push(Tile {
                id: criterion.id.clone(),
                name: lang.pick(&criterion.name_vi, &criterion.name_en).to_owned(),
                targets: criterion.targets.iter().map(|t| milestone_target(criterion, t, lang)).collect(),
                lines,
            });
        }
    }
    tiles
}

async fn province_map(
    state: &AppState,
    caller: &Caller,
    as_of: cncl_domain::Date,
    lang: Lang,
) -> Result<Option<crate::ui::map::Map>, AppError> {
    Ok(crate::ui::map::map(&state.app.by_province(&caller.actor, as_of).await?, as_of.get(), lang))
}

fn tile_line(criterion: &Criterion, label: String, shown: Shown, lang: Lang) -> TileLine {
    TileLine {
        label,
        value: shown.value,
        status: ui(lang).status_label(shown.status),
        class: status_class(shown.status),
        against: criterion
            .targets
            .iter()
            .map(|t| cncl_eval::status::meets(criterion, t, shown.numerator, shown.denominator))
            .collect(),
        href: shown.href,
    }
}

/// The tasks a reporter's organisation takes part in, as the task list shows them.
async fn own_tasks(state: &AppState, caller: &Caller, lang: Lang) -> Result<Vec<TaskLine>, AppError> {
    let filter = ListFilter { product: None, status: None, organisation: caller.actor.organisation };
    let query = ListQuery { filter, page: None, per_page: Some(cncl_app::records::MAX_PER_PAGE) };
    let tasks = state.app.list::<Task>(&caller.actor, &query).await?;
    Ok(tasks
        .items
        .iter()
        .map(|t| TaskLine {
            code: t.record.code.to_string(),
            title: t.record.title.to_string(),
            status: t.record.status.label(lang).to_owned(),
            href: format!("/tasks/{}", t.id),
        })
        .collect())
}
