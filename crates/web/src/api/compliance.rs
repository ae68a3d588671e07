//! Who owes which report by when: the reporting and on-time rates per product,
//! organisation and task group, every obligation with its status, and the overdue list.

use axum::Json;
use axum::extract::State;
use cncl_app::compliance::ComplianceSummary;
use cncl_domain::Date;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::doc::{BadRequest, Forbidden, Invalid, Unauthenticated};
use crate::auth::Caller;
use crate::error::WebError;
use crate::extract::{Language, StrictQuery, optional_date};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(compliance))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ComplianceParams {
    /// The date, `YYYY-MM-DD` or `dd/mm/yyyy`, from 1990-01-01 to 2100-12-31 (default: today).
    #[serde(default, deserialize_with = "optional_date")]
    #[param(value_type = Option<String>, format = Date)]
    as_of: Option<Date>,
    /// `vi` (default) or `en`: the language of product and task group names (read by the
    /// language extractor).
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

/// Every report owed for a period ended by the date, where each stood then (met on time,
/// met late, submitted, returned, missing, not yet due), the rates, and the overdue list.
/// A reporter sees its own organisation's.
#[utoipa::path(
    get,
    path = "/api/v1/compliance",
    tag = "governance",
    operation_id = "compliance",
    params(ComplianceParams),
    responses(
        (status = 200, description = "The obligations and rates", body = ComplianceSummary),
        BadRequest, Unauthenticated, Forbidden, Invalid
    )
)]
async fn compliance(
    State(state): State<AppState>,
    caller: Caller,
    language: Language,
    StrictQuery(params): StrictQuery<ComplianceParams>,
) -> Result<Json<ComplianceSummary>, WebError> {
    let as_of = params.as_of.unwrap_or_else(|| state.app.today());
    Ok(Json(state.app.compliance_summary(&caller.actor, as_of, language.lang).await?))
}
