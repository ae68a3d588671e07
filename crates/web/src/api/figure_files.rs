//! The scorecard with its evidence, and the funding table, as `.xlsx` or CSV for Excel.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use cncl_app::AppError;
use cncl_app::export::ExportFormat;
use cncl_app::export_figures::ScorecardTable;
use cncl_domain::Date;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::doc::{BadRequest, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::auth::Caller;
use crate::error::WebError;
use crate::extract::{Language, optional, optional_date};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(scorecard_file)).routes(routes!(funding_file))
}

/// `xlsx` or `csv`: what is written, its media type and its file extension.
pub fn file_format(format: &str) -> Result<(ExportFormat, &'static str, &'static str), WebError> {
    match format {
        "xlsx" => Ok((ExportFormat::Xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")),
        "csv" => Ok((ExportFormat::Csv, "text/csv; charset=utf-8", "csv")),
        _ => Err(WebError::bad_request("format", cncl_domain::msg("phải là xlsx hoặc csv", "must be xlsx or csv"))),
    }
}

/// A download's query, read only once the caller is known to be signed in: who asks is
/// known before what is asked is read.
pub fn signed_in_query<T: serde::de::DeserializeOwned>(caller: &Caller, uri: &axum::http::Uri) -> Result<T, WebError> {
    if caller.actor.is_anonymous() {
        return Err(WebError(AppError::Unauthenticated));
    }
    crate::extract::parse_query(uri.query().unwrap_or_default())
}

/// A file as a download named `stem.extension`.
pub fn attachment(content_type: &str, stem: &str, extension: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{stem}.{extension}\"");
    ([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct ScorecardFileParams {
    /// `xlsx` (the figures and the records behind them, a sheet each) or `csv` (one table).
    format: String,
    /// The date, `YYYY-MM-DD` or `dd/mm/yyyy` (default: today).
    #[serde(default, deserialize_with = "optional_date")]
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<Date>,
    /// Under this loaded criteria set, `ID@VERSION` (default: the programme's).
    #[serde(default, deserialize_with = "optional")]
    #[param(value_type = Option<String>)]
    criteria: Option<cncl_eval::criteria::SetRef>,
    /// For CSV, which table: `figures` (default) or `evidence`.
    #[serde(default, deserialize_with = "optional")]
    table: Option<String>,
    /// `vi` (default) or `en` (read by the language extractor).
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

/// The scorecard on a date as a file: every figure with its target and status, and the
/// records behind each (those the caller may see).
#[utoipa::path(get, path = "/api/v1/scorecard/export", tag = "exchange", operation_id = "scorecard_file",
    params(ScorecardFileParams),
    responses((status = 200, description = "The file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), BadRequest, Unauthenticated, NotFound, Invalid))]
async fn scorecard_file(
    State(state): State<AppState>,
    caller: Caller,
    language: Language,
    uri: axum::http::Uri,
) -> Result<Response, WebError> {
    let params: ScorecardFileParams = signed_in_query(&caller, &uri)?;
    let (format, content_type, extension) = file_format(&params.format)?;
    let table = match params.table.as_deref() {
        None | Some("figures") => ScorecardTable::Figures,
        Some("evidence") => ScorecardTable::Evidence,
        Some(_) => {
            return Err(WebError::bad_request(
                "table",
                cncl_domain::msg("phải là figures hoặc evidence", "must be figures or evidence"),
            ));
        }
    };
    let as_of = params.as_of.unwrap_or_else(|| state.app.today());
    let bytes = state
        .app
        .export_scorecard(&caller.actor, as_of, params.criteria.as_ref(), format, table, language.lang)
        .await?;
    Ok(attachment(content_type, &format!("scorecard-{as_of}"), extension, bytes))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct FundingFileParams {
    /// `xlsx` (by year and by product, a sheet each) or `csv` (by year).
    format: String,
    /// The date, `YYYY-MM-DD` or `dd/mm/yyyy` (default: today).
    #[serde(default, deserialize_with = "optional_date")]
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<Date>,
    /// `vi` (default) or `en` (read by the language extractor).
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

/// The funding table on a date as a file: each year's sources, state share against the
/// ceiling and disbursements, and each product's.
#[utoipa::path(get, path = "/api/v1/funding/export", tag = "exchange", operation_id = "funding_file",
    params(FundingFileParams),
    responses((status = 200, description = "The file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), BadRequest, Unauthenticated, Forbidden, Invalid))]
async fn funding_file(
    State(state): State<AppState>,
    caller: Caller,
    language: Language,
    uri: axum::http::Uri,
) -> Result<Response, WebError> {
    // An account that may not see the funding is refused before its query is read (an
    // anonymous caller, by `signed_in_query`).
    if !caller.actor.is_anonymous() {
        cncl_app::policy::office(&caller.actor, false)?;
    }
    let params: FundingFileParams = signed_in_query(&caller, &uri)?;
    let (format, content_type, extension) = file_format(&params.format)?;
    let as_of = params.as_of.unwrap_or_else(|| state.app.today());
    let bytes = state.app.export_funding(&caller.actor, as_of, format, language.lang).await?;
    Ok(attachment(content_type, &format!("funding-{as_of}"), extension, bytes))
}
