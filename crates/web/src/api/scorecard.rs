//! `GET /api/v1/scorecard?as_of=DATE[&product=CODE]`: every criterion for every product and
//! the programme on a date, with status, history and evidence.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use cncl_domain::Date;
use cncl_eval::Scorecard;

use crate::AppState;
use crate::error::WebError;

/// The scorecard's query: `as_of` (default today) and `product`.
#[derive(Debug, Default)]
pub struct ScorecardQuery {
    pub as_of: Option<Date>,
    pub product: Option<String>,
    pub lang: Option<String>,
}

/// Parse the scorecard query; pages also accept `lang`.
pub fn parse_query(pairs: Vec<(String, String)>, allow_lang: bool) -> Result<ScorecardQuery, WebError> {
    let mut query = ScorecardQuery::default();
    for (name, value) in pairs {
        match name.as_str() {
            "as_of" if !value.is_empty() => query.as_of = Some(crate::query::date("as_of", &value)?),
            "as_of" => {}
            "product" if !value.is_empty() => query.product = Some(value),
            "product" => {}
            "lang" if allow_lang => query.lang = Some(value),
            _ => {
                return Err(WebError::bad_request(&name, "unknown parameter; use as_of, product"));
            }
        }
    }
    Ok(query)
}

pub async fn show(
    State(state): State<AppState>,
    caller: crate::auth::Caller,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<std::sync::Arc<Scorecard>>, WebError> {
    let Query(pairs) = query.map_err(|e| WebError::bad_request("query", e.body_text()))?;
    let query = parse_query(pairs, false)?;
    let as_of = query.as_of.unwrap_or_else(|| state.app.today());
    Ok(Json(state.app.scorecard(&caller.actor, as_of, query.product.as_deref()).await?))
}
