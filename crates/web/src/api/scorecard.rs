//! `GET /api/v1/scorecard?as_of=DATE[&product=CODE][&criteria=ID@VERSION]`: every criterion
//! for every product and the programme on a date, with status, history and evidence.

use axum::Json;
use axum::extract::State;
use cncl_domain::Date;
use cncl_eval::Scorecard;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::api::doc::{BadRequest, Invalid, NotFound, Unauthenticated};
use crate::error::WebError;
use crate::extract::{StrictQuery, optional, optional_date};

/// The date a figure is asked for; today in Vietnam when absent.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AsOfParams {
    /// The date, `YYYY-MM-DD` or `dd/mm/yyyy`, from 1990-01-01 to 2100-12-31 (default: today).
    #[serde(default, deserialize_with = "optional_date")]
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<Date>,
}

/// The scorecard's query: its date and, optionally, one product.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ScorecardParams {
    /// The date, `YYYY-MM-DD` or `dd/mm/yyyy`, from 1990-01-01 to 2100-12-31 (default: today).
    #[serde(default, deserialize_with = "optional_date")]
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<Date>,
    /// Only this product (its code).
    #[serde(default, deserialize_with = "optional")]
    pub product: Option<String>,
    /// Evaluate under this loaded criteria set, `ID@VERSION` (default: the programme's).
    #[serde(default, deserialize_with = "optional")]
    #[param(value_type = Option<String>)]
    pub criteria: Option<cncl_eval::criteria::SetRef>,
    /// As cncl knew it then: an audit log entry's number, a moment (RFC 3339) or a day (all
    /// written by its end in Vietnam). The facts are rebuilt from the audit log; the answer's
    /// `x-cncl-recorded-entry` header names the entry (number and hash).
    #[serde(default, deserialize_with = "optional")]
    #[param(value_type = Option<String>)]
    pub recorded_at: Option<cncl_app::recorded::RecordedAt>,
}

/// Every criterion for every product and the programme on a date, with status, quarterly
/// history and the records behind each figure (cut to what the caller may see; anonymous
/// callers get the figures without them).
#[utoipa::path(
    get,
    path = "/api/v1/scorecard",
    tag = "evaluation",
    operation_id = "scorecard",
    params(ScorecardParams),
    responses((status = 200, description = "The scorecard", body = Scorecard), BadRequest, Unauthenticated, NotFound, Invalid)
)]
pub async fn show(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    StrictQuery(params): StrictQuery<ScorecardParams>,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    let as_of = params.as_of.unwrap_or_else(|| state.app.today());
    let (product, criteria) = (params.product.as_deref(), params.criteria.as_ref());
    let Some(recorded) = params.recorded_at else {
        return Ok(Json(state.app.scorecard(&caller.actor, as_of, product, criteria).await?).into_response());
    };
    let (scorecard, entry) = state.app.scorecard_as_recorded(&caller.actor, as_of, product, criteria, recorded).await?;
    let header = format!("{} {}", entry.seq, entry.hash);
    Ok(([("x-cncl-recorded-entry", header)], Json(scorecard)).into_response())
}
