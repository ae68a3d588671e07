//! The criteria sets' pages: the versions loaded (the programme's marked), loading a file
//! and choosing the programme's set (the office), and two sets compared on a date.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Redirect, Response};
use cncl_app::AppError;
use cncl_domain::{Date, Lang};
use cncl_eval::comparison::{ComparedCriterion, ComparedFigure};
use cncl_eval::criteria::{SetRef, Unit};
use serde::Deserialize;

use crate::AppState;
use crate::auth::Caller;
use crate::error::WebError;
use crate::extract::{Language, StrictQuery, optional, optional_date};
use crate::i18n::{Ui, format_count, format_date, format_instant, status_class, ui};
use crate::ui::page::Nav;

pub struct VersionRow {
    pub reference: String,
    pub name: String,
    pub loaded: String,
    pub loaded_by: String,
    pub current: bool,
    pub compare_href: String,
}

#[derive(Template)]
#[template(path = "criteria_sets.html")]
pub struct CriteriaSetsPage {
    pub ui: &'static Ui,
    pub nav: Nav,
    pub versions: Vec<VersionRow>,
    /// The office may load and choose.
    pub office: bool,
    pub message: Option<String>,
    pub error: Option<String>,
    pub today: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexQuery {
    /// `ID@VERSION` just loaded or chosen, to confirm.
    #[serde(default, deserialize_with = "optional")]
    loaded: Option<SetRef>,
    #[serde(default, deserialize_with = "optional")]
    chosen: Option<SetRef>,
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

async fn sets_page(
    state: &AppState,
    caller: &Caller,
    lang: Lang,
    message: Option<String>,
    error: Option<String>,
) -> Result<CriteriaSetsPage, AppError> {
    let versions = state.app.criteria_set_versions().await?;
    let current = versions.iter().find(|v| v.current).map(|v| format!("{}@{}", v.id, v.version));
    let today = state.app.today();
    let rows = versions
        .iter()
        .map(|v| {
            let reference = format!("{}@{}", v.id, v.version);
            VersionRow {
                compare_href: format!(
                    "/criteria-sets/compare?as_of={today}&left={}&right={reference}",
                    current.as_deref().unwrap_or(&reference)
                ),
                name: lang.pick(&v.name_vi, &v.name_en).to_owned(),
                loaded: format_instant(&v.loaded_at, lang),
                loaded_by: v.loaded_by.clone(),
                current: v.current,
                reference,
            }
        })
        .collect();
    Ok(CriteriaSetsPage {
        ui: ui(lang),
        nav: Nav::of(caller),
        versions: rows,
        office: cncl_app::policy::office(&caller.actor, true).is_ok(),
        message,
        error,
        today: today.to_string(),
    })
}

pub async fn index(
    State(state): State<AppState>,
    caller: Caller,
    StrictQuery(query): StrictQuery<IndexQuery>,
    language: Language,
) -> Result<Response, WebError> {
    let lang = language.lang;
    let message = match (&query.loaded, &query.chosen) {
        (Some(set), _) => Some(format!("{}: {set}", ui(lang).criteria_set_loaded)),
        (None, Some(set)) => Some(format!("{}: {set}", ui(lang).criteria_set_chosen)),
        (None, None) => None,
    };
    let page = sets_page(&state, &caller, lang, message, None).await?;
    Ok(crate::ui::page::render(&page, language.remember()))
}

/// The page again with the refusal, at the refusal's status.
async fn refused(state: &AppState, caller: &Caller, lang: Lang, error: AppError) -> Result<Response, WebError> {
    if matches!(error, AppError::Unauthenticated | AppError::Internal(_)) {
        return Err(WebError(error));
    }
    let message = match &error {
        AppError::Invalid(e) => format!("{}: {}", e.field, e.message.get(lang)),
        other => other.message().get(lang).to_owned(),
    };
    let status = WebError(error).status();
    let page = sets_page(state, caller, lang, None, Some(message)).await?;
    let mut response = crate::ui::page::render(&page, None);
    *response.status_mut() = status;
    Ok(response)
}

/// The largest form read: the file and the token.
const MAX_UPLOAD_BYTES: usize = cncl_app::criteria::MAX_CRITERIA_FILE_BYTES + 4096;

/// A criteria file posted from the page (multipart: `csrf`, `file`).
pub async fn load(
    State(state): State<AppState>,
    caller: Caller,
    language: Language,
    mut form: Multipart,
) -> Result<Response, WebError> {
    let lang = language.lang;
    let (mut csrf, mut file) = (String::new(), None);
    let mut read = 0_usize;
    while let Some(field) =
        form.next_field().await.map_err(|e| WebError::bad_request("file", crate::error::rejected(e.body_text())))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().unwrap_or("criteria.toml").to_owned();
        let bytes =
            field.bytes().await.map_err(|e| WebError::bad_request(&name, crate::error::rejected(e.body_text())))?;
        read += bytes.len();
        if read > MAX_UPLOAD_BYTES {
            return Err(WebError::too_large("file", MAX_UPLOAD_BYTES));
        }
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => file = Some((file_name, bytes)),
            _ => {}
        }
    }
    crate::auth::check_form(&caller, &csrf)?;
    let Some((file_name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return refused(
            &state,
            &caller,
            lang,
            AppError::bad_request(
                "file",
                cncl_domain::msg(ui(Lang::Vi).criteria_file_missing, ui(Lang::En).criteria_file_missing),
            ),
        )
        .await;
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return refused(
            &state,
            &caller,
            lang,
            AppError::bad_request("file", cncl_domain::msg("phải là văn bản UTF-8", "must be UTF-8 text")),
        )
        .await;
    };
    match state.app.load_criteria_set(&caller.actor, &file_name, text).await {
        Ok(loaded) => Ok(Redirect::to(&format!("/criteria-sets?loaded={}", loaded.set)).into_response()),
        Err(error) => refused(&state, &caller, lang, error).await,
    }
}

#[derive(Debug, Deserialize)]
pub struct ChooseForm {
    csrf: String,
    set: String,
}

/// The programme's set chosen from the page.
pub async fn choose(
    State(state): State<AppState>,
    caller: Caller,
    language: Language,
    axum::Form(form): axum::Form<ChooseForm>,
) -> Result<Response, WebError> {
    crate::auth::check_form(&caller, &form.csrf)?;
    let set: SetRef = form.set.parse().map_err(|m: &str| WebError::bad_request("set", crate::error::rejected(m)))?;
    match state.app.use_criteria_set(&caller.actor, &set).await {
        Ok(_) => Ok(Redirect::to(&format!("/criteria-sets?chosen={set}")).into_response()),
        Err(error) => refused(&state, &caller, language.lang, error).await,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareQuery {
    #[serde(default, deserialize_with = "optional_date")]
    as_of: Option<Date>,
    #[serde(default, deserialize_with = "optional")]
    left: Option<SetRef>,
    #[serde(default, deserialize_with = "optional")]
    right: Option<SetRef>,
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

pub struct FigureCell {
    pub value: String,
    pub target: String,
    pub status: &'static str,
    pub class: &'static str,
}

pub struct ComparisonRow {
    pub scope: String,
    pub criterion: String,
    pub name: String,
    pub left: Option<FigureCell>,
    pub right: Option<FigureCell>,
    pub figure_differs: bool,
    pub target_differs: bool,
    pub status_differs: bool,
    pub differs: bool,
}

#[derive(Template)]
#[template(path = "criteria_comparison.html")]
pub struct ComparisonPage {
    pub ui: &'static Ui,
    pub nav: Nav,
    pub as_of: String,
    pub as_of_label: String,
    pub left: String,
    pub right: String,
    pub left_label: String,
    pub right_label: String,
    pub left_rule: String,
    pub right_rule: String,
    pub choices: Vec<String>,
    pub rows: Vec<ComparisonRow>,
    pub differing_rows: usize,
}

fn figure_cell(f: &ComparedFigure, lang: Lang) -> FigureCell {
    let value = match (f.unit, f.value) {
        (_, None) => "—".to_owned(),
        (Unit::Percent, Some(_)) => crate::i18n::format_percent(f.percent.unwrap_or_default(), lang),
        (Unit::Count, Some(v)) => format_count(v.round() as i64, lang),
    };
    let target = f.target.as_ref().map_or_else(String::new, |t| {
        let unit = if f.unit == Unit::Percent { " %" } else { "" };
        let low = if f.unit == Unit::Percent { t.low.to_string() } else { format_count(t.low, lang) };
        match t.high {
            Some(high) => format!("{low}–{high}{unit} ({})", format_date(t.by, lang)),
            None => format!("{low}{unit} ({})", format_date(t.by, lang)),
        }
    });
    FigureCell { value, target, status: ui(lang).status_label(f.status), class: status_class(f.status) }
}

fn comparison_row(
    row: &ComparedCriterion,
    names: &dyn Fn(&str) -> String,
    scopes: &dyn Fn(&str) -> String,
    lang: Lang,
) -> ComparisonRow {
    ComparisonRow {
        scope: scopes(&row.scope),
        name: names(&row.criterion),
        criterion: row.criterion.clone(),
        left: row.left.as_ref().map(|f| figure_cell(f, lang)),
        right: row.right.as_ref().map(|f| figure_cell(f, lang)),
        figure_differs: row.figure_differs,
        target_differs: row.target_differs,
        status_differs: row.status_differs,
        differs: row.differs(),
    }
}

/// Two sets side by side on a date; the programme's on the left unless another is named.
pub async fn compare(
    State(state): State<AppState>,
    caller: Caller,
    StrictQuery(query): StrictQuery<CompareQuery>,
    language: Language,
) -> Result<Response, WebError> {
    let lang = language.lang;
    let app = &state.app;
    let as_of = query.as_of.unwrap_or_else(|| app.today());
    let left = match query.left {
        Some(left) => left,
        None => app.current_criteria_set().await?,
    };
    let right = query.right.unwrap_or_else(|| left.clone());
    let comparison = app.compare_criteria_sets(&caller.actor, as_of, &left, &right).await?;
    let (left_set, right_set) = (app.criteria_set(Some(&left)).await?, app.criteria_set(Some(&right)).await?);
    let products = app.products().await?;
    let names = |id: &str| {
        let of = |set: &cncl_eval::CriteriaSet| {
            set.criteria.iter().find(|c| c.id == id).map(|c| lang.pick(&c.name_vi, &c.name_en).to_owned())
        };
        of(&left_set).or_else(|| of(&right_set)).unwrap_or_default()
    };
    let scopes = |code: &str| {
        products
            .iter()
            .find(|p| p.code.as_str() == code)
            .map_or_else(|| ui(lang).programme_wide.to_owned(), |p| p.name(lang).to_owned())
    };
    let rule = |set: &cncl_eval::comparison::ComparedSet| set.bom_rule.describe(set.roll_up_threshold_percent, lang);
    let page = ComparisonPage {
        ui: ui(lang),
        nav: Nav::of(&caller),
        as_of: as_of.to_string(),
        as_of_label: format_date(as_of, lang),
        left_label: crate::ui::home::set_label(&left_set, lang),
        right_label: crate::ui::home::set_label(&right_set, lang),
        left_rule: rule(&comparison.left),
        right_rule: rule(&comparison.right),
        left: left.to_string(),
        right: right.to_string(),
        choices: app.criteria_set_versions().await?.iter().map(|v| format!("{}@{}", v.id, v.version)).collect(),
        rows: comparison.rows.iter().map(|r| comparison_row(r, &names, &scopes, lang)).collect(),
        differing_rows: comparison.differing_rows,
    };
    Ok(crate::ui::page::render(&page, language.remember()))
}
