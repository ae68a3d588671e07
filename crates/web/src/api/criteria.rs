//! Criteria sets over the API: the versions loaded, one version, loading a new one, choosing
//! the programme's, and two compared on a date.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use cncl_app::criteria::LoadedCriteriaSet;
use cncl_domain::Date;
use cncl_eval::comparison::Comparison;
use cncl_eval::criteria::SetRef;
use cncl_store::criteria_sets::CriteriaSetVersion;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::api::doc::{BadRequest, Conflict, Forbidden, Invalid, NotFound, Unauthenticated};
use crate::auth::{ApiWrite, Caller};
use crate::error::WebError;
use crate::extract::{StrictQuery, optional, optional_date};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(versions, load))
        .routes(routes!(version))
        .routes(routes!(choose))
        .routes(routes!(comparison))
}

/// Every loaded version of every criteria set; `current` marks the programme's.
#[utoipa::path(get, path = "/api/v1/criteria-sets", tag = "criteria", operation_id = "criteria_sets",
    responses((status = 200, description = "The versions", body = Vec<CriteriaSetVersion>)))]
async fn versions(State(state): State<AppState>) -> Result<Json<Vec<CriteriaSetVersion>>, WebError> {
    Ok(Json(state.app.criteria_set_versions().await?))
}

fn set_ref(id: &str, version: &str) -> Result<SetRef, WebError> {
    SetRef::check_part(id).map_err(|m| WebError::bad_request("id", crate::error::rejected(m)))?;
    SetRef::check_part(version).map_err(|m| WebError::bad_request("version", crate::error::rejected(m)))?;
    Ok(SetRef { id: id.to_owned(), version: version.to_owned() })
}

/// One version: its criteria, targets, milestones, parameters and sources.
#[utoipa::path(get, path = "/api/v1/criteria-sets/{id}/{version}", tag = "criteria", operation_id = "criteria_set",
    params(("id" = String, Path, description = "The set's id"), ("version" = String, Path, description = "The version")),
    responses((status = 200, description = "The criteria set", body = Value), BadRequest, NotFound))]
async fn version(
    State(state): State<AppState>,
    Path((id, version)): Path<(String, String)>,
) -> Result<Json<Value>, WebError> {
    let set = set_ref(&id, &version)?;
    Ok(Json(cncl_store::to_json(&state.app.criteria_set(Some(&set)).await?)?))
}

/// A criteria file to load.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct LoadRequest {
    /// The file's name, used in error messages (default `criteria.toml`).
    file: Option<String>,
    /// The file's text: TOML in the format of docs/criteria.md, at most 256 KiB.
    toml: String,
}

/// Load a criteria set as a new version (the office). 201 when added; 200 when the same
/// version with the same content was already loaded. An error names the file, line and key;
/// the same version with other content is refused (409).
#[utoipa::path(post, path = "/api/v1/criteria-sets", tag = "criteria", operation_id = "load_criteria_set",
    request_body = LoadRequest,
    responses(
        (status = 201, description = "Added", body = LoadedCriteriaSet),
        (status = 200, description = "Already loaded, unchanged", body = LoadedCriteriaSet),
        BadRequest, Unauthenticated, Forbidden, Conflict, Invalid
    ))]
async fn load(
    State(state): State<AppState>,
    write: ApiWrite,
) -> Result<(StatusCode, Json<LoadedCriteriaSet>), WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    let request: LoadRequest = write.parse()?;
    let file = request.file.unwrap_or_else(|| "criteria.toml".into());
    let loaded = state.app.load_criteria_set(write.actor(), &file, &request.toml).await?;
    let status = if loaded.added { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(loaded)))
}

/// The version to evaluate the programme against.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ChooseRequest {
    id: String,
    version: String,
}

#[derive(Serialize, ToSchema)]
struct Chosen {
    set: SetRef,
    /// False when it already was the programme's set.
    changed: bool,
}

/// Make a loaded version the programme's criteria set (the office); the change is audited.
#[utoipa::path(put, path = "/api/v1/criteria-sets/current", tag = "criteria", operation_id = "use_criteria_set",
    request_body = ChooseRequest,
    responses((status = 200, description = "The programme's set", body = Chosen), BadRequest, Unauthenticated, Forbidden, NotFound, Invalid))]
async fn choose(State(state): State<AppState>, write: ApiWrite) -> Result<Json<Chosen>, WebError> {
    cncl_app::policy::office(write.actor(), true)?;
    let request: ChooseRequest = write.parse()?;
    let set = set_ref(&request.id, &request.version)?;
    let changed = state.app.use_criteria_set(write.actor(), &set).await?;
    Ok(Json(Chosen { set, changed }))
}

/// Two criteria sets to compare on a date.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ComparisonParams {
    /// The date, `YYYY-MM-DD` or `dd/mm/yyyy`, from 1990-01-01 to 2100-12-31 (default: today).
    #[serde(default, deserialize_with = "optional_date")]
    #[param(value_type = Option<String>, format = Date)]
    pub as_of: Option<Date>,
    /// `ID@VERSION`; the programme's set when absent.
    #[serde(default, deserialize_with = "optional")]
    #[param(value_type = Option<String>)]
    pub left: Option<SetRef>,
    /// `ID@VERSION`.
    #[serde(deserialize_with = "required_set")]
    #[param(value_type = String)]
    pub right: SetRef,
}

fn required_set<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<SetRef, D::Error> {
    optional(deserializer)?.ok_or_else(|| serde::de::Error::custom("must be ID@VERSION"))
}

/// Two criteria sets side by side on one date, criterion by criterion, with what differs
/// in figure, target and status marked.
#[utoipa::path(get, path = "/api/v1/criteria-sets/comparison", tag = "criteria", operation_id = "compare_criteria_sets",
    params(ComparisonParams),
    responses((status = 200, description = "The comparison", body = Comparison), BadRequest, Unauthenticated, NotFound, Invalid))]
async fn comparison(
    State(state): State<AppState>,
    caller: Caller,
    StrictQuery(params): StrictQuery<ComparisonParams>,
) -> Result<Json<Comparison>, WebError> {
    let as_of = params.as_of.unwrap_or_else(|| state.app.today());
    let left = match params.left {
        Some(left) => left,
        None => state.app.current_criteria_set().await?,
    };
    Ok(Json(state.app.compare_criteria_sets(&caller.actor, as_of, &left, &params.right).await?))
}
