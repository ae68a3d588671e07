//! The dashboard at the top of the home page: the programme's headline figures against each
//! milestone's target, and, for those signed in, the office's warnings and the reports due
//! this month, or a reporter's own tasks and reports.

use cncl_app::{AppError, ListQuery};
use cncl_domain::Lang;
use cncl_domain::task::Task;
use cncl_eval::criteria::{Criterion, Indicator, Scope};
use cncl_eval::scorecard::CriterionResult;
use cncl_store::records::ListFilter;

use crate::AppState;
use crate::auth::Caller;
use crate::i18n::{DashboardUi, dashboard_ui, format_date, status_class, ui};
use crate::ui::compliance::OverdueRow;
use crate::ui::figures::{milestone_target, value_text};

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
    /// Organisations taking part and funding by province (for those signed in).
    pub map: Option<crate::ui::map::Map>,
}

pub async fn dashboard(state: &AppState, caller: &Caller, lang: Lang) -> Result<Dashboard, AppError> {
    let as_of = state.app.today();
    let card = state.app.scorecard(&caller.actor, as_of, None, None).await?;
    let set = state.app.criteria_set(None).await?;
    let products = state.app.products().await?;
    let product_name =
        |code: &str| products.iter().find(|p| p.code.as_str() == code).map_or(code, |p| p.name(lang)).to_owned();
    let mut tiles = Vec::new();
    for indicator in Indicator::HEADLINE {
        for criterion in set.criteria.iter().filter(|c| c.indicator == indicator) {
            let results: Vec<(String, String, &CriterionResult)> = match criterion.scope {
                Scope::Product => card
                    .products
                    .iter()
                    .filter_map(|p| {
                        let result = p.results.iter().find(|r| r.criterion == criterion.id)?;
                        Some((product_name(&p.product), p.product.clone(), result))
                    })
                    .collect(),
                Scope::Programme => card
                    .programme
                    .iter()
                    .filter(|r| r.criterion == criterion.id)
                    .map(|r| (dashboard_ui(lang).whole_programme.to_owned(), "programme".to_owned(), r))
                    .collect(),
            };
            let lines = results.into_iter().map(|(label, scope, r)| tile_line(criterion, label, &scope, r, lang));
            tiles.push(Tile {
                id: criterion.id.clone(),
                name: lang.pick(&criterion.name_vi, &criterion.name_en).to_owned(),
                targets: criterion.targets.iter().map(|t| milestone_target(criterion, t, lang)).collect(),
                lines: lines.collect(),
            });
        }
    }
    let office = caller.completed() && cncl_app::policy::office(&caller.actor, false).is_ok();
    let warnings = if office { state.app.warnings(&caller.actor, as_of).await? } else { Vec::new() };
    let reporter = caller.actor.role == Some(cncl_app::Role::Reporter);
    let due = crate::ui::compliance::due_this_month(state, caller, lang).await?;
    Ok(Dashboard {
        words: dashboard_ui(lang),
        as_of: format_date(as_of, lang),
        position: crate::ui::figures::position_note(card.audit_seq, state.app.audit_head().await?.0, lang),
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
        signed_in: caller.completed(),
        map: if office { province_map(state, caller, as_of, lang).await? } else { None },
    })
}

async fn province_map(
    state: &AppState,
    caller: &Caller,
    as_of: cncl_domain::Date,
    lang: Lang,
) -> Result<Option<crate::ui::map::Map>, AppError> {
    Ok(crate::ui::map::map(&state.app.by_province(&caller.actor, as_of).await?, as_of.get(), lang))
}

fn tile_line(criterion: &Criterion, label: String, scope: &str, result: &CriterionResult, lang: Lang) -> TileLine {
    TileLine {
        label,
        href: format!("/scorecard/{scope}/{}", criterion.id),
        value: value_text(result, lang),
        status: ui(lang).status_label(result.status),
        class: status_class(result.status),
        against: criterion
            .targets
            .iter()
            .map(|t| cncl_eval::status::meets(criterion, t, result.numerator, result.denominator))
            .collect(),
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
