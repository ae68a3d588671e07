//! The JSON API of every kind of record: `GET/POST /api/v1/{kind}` and
//! `GET/PUT /api/v1/{kind}/{id}`. One set of generic handlers, instantiated per kind.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cncl_app::ListQuery;
use cncl_domain::{EntityKind, Record, with_record_type};
use cncl_store::Page;
use serde_json::Value;
use uuid::Uuid;

use crate::AppState;
use crate::auth::{ApiWrite, Caller};
use crate::error::WebError;

/// The routes of every kind of record.
pub fn routes() -> axum::Router<AppState> {
    EntityKind::ALL.into_iter().fold(axum::Router::new(), |router, kind| {
        with_record_type!(kind, T => router
            .route(&format!("/api/v1/{}", kind.resource()), get(list::<T>).post(create::<T>))
            .route(&format!("/api/v1/{}/{{id}}", kind.resource()), get(show::<T>).put(update::<T>)))
    })
}

/// The query parameters a list accepts.
pub const LIST_PARAMETERS: [&str; 6] = ["q", "page", "per_page", "product", "organisation", "status"];

/// A list request: a page of records, or (with `q`) the records found by name.
fn parse_list_query(pairs: Vec<(String, String)>) -> Result<(ListQuery, Option<String>), WebError> {
    let mut query = ListQuery::default();
    let mut search = None;
    for (name, value) in pairs {
        let number = |v: &str| v.parse::<u32>().map_err(|_| WebError::bad_request(&name, "must be a whole number"));
        match name.as_str() {
            "page" => query.page = Some(number(&value)?),
            "per_page" => query.per_page = Some(number(&value)?),
            "product" => query.filter.product = Some(value),
            "organisation" => {
                let id = Uuid::parse_str(&value)
                    .map_err(|_| WebError::bad_request("organisation", "must be an organisation id"))?;
                query.filter.organisation = Some(id);
            }
            "status" => query.filter.status = Some(value),
            "q" => search = Some(value).filter(|q| !q.trim().is_empty()),
            _ => {
                return Err(WebError::bad_request(
                    &name,
                    format!("unknown parameter; use {}", LIST_PARAMETERS.join(", ")),
                ));
            }
        }
    }
    Ok((query, search))
}

pub fn parse_id(raw: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(raw).map_err(|_| WebError::bad_request("id", "must be a record id (a UUID)"))
}

async fn list<T: Record>(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<Page<cncl_domain::Stored<T>>>, WebError> {
    let Query(pairs) = query.map_err(|e| WebError::bad_request("query", e.body_text()))?;
    let (query, search) = parse_list_query(pairs)?;
    match search {
        Some(words) => {
            // Found by name: every match up to `per_page`, in one page; the filters do not apply.
            let per_page = query.per_page.unwrap_or(cncl_app::records::DEFAULT_PER_PAGE);
            if !(1..=cncl_app::records::MAX_PER_PAGE).contains(&per_page) {
                return Err(WebError::bad_request(
                    "per_page",
                    format!("must be from 1 to {}", cncl_app::records::MAX_PER_PAGE),
                ));
            }
            let items = state.app.search::<T>(&caller.actor, &words, per_page as usize).await?;
            let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
            Ok(Json(Page { items, page: 1, per_page, total }))
        }
        None => Ok(Json(state.app.list::<T>(&caller.actor, &query).await?)),
    }
}

async fn show<T: Record>(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    cncl_app::policy::read(&caller.actor, T::KIND)?;
    let stored = state.app.get::<T>(&caller.actor, parse_id(&id)?).await?;
    Ok(Json(stored).into_response())
}

async fn create<T: Record>(State(state): State<AppState>, write: ApiWrite) -> Result<Response, WebError> {
    cncl_app::policy::write(write.actor(), T::KIND)?;
    let record: T = write.parse_record()?;
    let stored = state.app.create(write.actor(), record).await?;
    let location = format!("/api/v1/{}/{}", T::KIND.resource(), stored.id);
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(stored)).into_response())
}

/// A client may send back the record as it read it, `id` included; the id must then be
/// the one in the path.
async fn update<T: Record>(
    State(state): State<AppState>,
    Path(id): Path<String>,
    write: ApiWrite,
) -> Result<Response, WebError> {
    cncl_app::policy::write(write.actor(), T::KIND)?;
    let id = parse_id(&id)?;
    let mut value: Value = write.value()?;
    if let Some(object) = value.as_object_mut()
        && let Some(sent) = object.remove("id")
        && sent.as_str() != Some(id.to_string().as_str())
    {
        return Err(WebError::bad_request("id", "differs from the id in the path"));
    }
    let record: T = cncl_domain::parse_value(value)?;
    let stored = state.app.update(write.actor(), id, record).await?;
    Ok(Json(stored).into_response())
}

/// The filters a kind supports, for the OpenAPI document.
pub fn supported_filters(kind: EntityKind) -> Vec<&'static str> {
    let filters = cncl_app::records::supported_filters(kind);
    let mut names = Vec::new();
    if filters.product.is_some() {
        names.push("product");
    }
    if filters.organisation.is_some() {
        names.push("organisation");
    }
    if filters.status.is_some() {
        names.push("status");
    }
    names
}
