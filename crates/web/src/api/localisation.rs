//! The localisation planner over the API: one model's plan, and a product's roadmap.

use axum::Json;
use axum::extract::{Path, State};
use cncl_app::localisation::{ModelLocalisation, Roadmap};
use cncl_domain::Date;
use cncl_domain::ids::ProductModelId;
use cncl_eval::criteria::SetRef;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::doc::{BadRequest, Invalid, NotFound, Unauthenticated};
use crate::auth::Caller;
use crate::error::WebError;
use crate::extract::{PathId, StrictQuery, optional, optional_date};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(model_plan)).routes(routes!(roadmap))
}

/// The date, the C1a target and the criteria set a plan is made for.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PlanParams {
    /// Offers standing and figures on this date, `YYYY-MM-DD` or `dd/mm/yyyy` (default: today).
    #[serde(default, deserialize_with = "optional_date")]
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<Date>,
    /// The C1a target, per cent 0–100 (default: the criteria set's next one).
    #[serde(default, deserialize_with = "optional")]
    pub target: Option<i64>,
    /// Plan under this loaded criteria set, `ID@VERSION` (default: the programme's).
    #[serde(default, deserialize_with = "optional")]
    #[param(value_type = Option<String>)]
    pub criteria: Option<SetRef>,
}

/// The least-cost set of domestic offers, at most one per imported line, that brings the
/// model to the C1a and C1b targets (exact); or, when none does, the closest plan, the gap
/// and the lines no offer covers. With the product's figures before and after.
#[utoipa::path(get, path = "/api/v1/product-models/{id}/localisation-plan", tag = "evaluation",
    operation_id = "localisation_plan",
    params(("id" = uuid::Uuid, Path, description = "The product model"), PlanParams),
    responses((status = 200, description = "The plan", body = ModelLocalisation), BadRequest, Unauthenticated, NotFound, Invalid))]
async fn model_plan(
    State(state): State<AppState>,
    caller: Caller,
    id: PathId,
    StrictQuery(params): StrictQuery<PlanParams>,
) -> Result<Json<ModelLocalisation>, WebError> {
    let model = id.get::<ProductModelId>()?;
    let as_of = params.as_of.unwrap_or_else(|| state.app.today());
    Ok(Json(state.app.localisation_plan(&caller.actor, model, as_of, params.target, params.criteria.as_ref()).await?))
}

/// The date and criteria set of a roadmap.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct RoadmapParams {
    /// `YYYY-MM-DD` or `dd/mm/yyyy` (default: today).
    #[serde(default, deserialize_with = "optional_date")]
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<Date>,
    /// `ID@VERSION` (default: the programme's set).
    #[serde(default, deserialize_with = "optional")]
    #[param(value_type = Option<String>)]
    pub criteria: Option<SetRef>,
}

/// The plans of every model of the product below a value-added target, and the supporting
/// enterprises they would bring in.
#[utoipa::path(get, path = "/api/v1/products/{code}/localisation-roadmap", tag = "evaluation",
    operation_id = "localisation_roadmap",
    params(("code" = String, Path, description = "The product's code"), RoadmapParams),
    responses((status = 200, description = "The roadmap", body = Roadmap), BadRequest, Unauthenticated, NotFound, Invalid))]
async fn roadmap(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    StrictQuery(params): StrictQuery<RoadmapParams>,
) -> Result<Json<Roadmap>, WebError> {
    let as_of = params.as_of.unwrap_or_else(|| state.app.today());
    Ok(Json(state.app.localisation_roadmap(&caller.actor, Some(&code), as_of, params.criteria.as_ref()).await?))
}
