//! The JSON API of every kind of record: `GET/POST /api/v1/{kind}` and
//! `GET/PUT /api/v1/{kind}/{id}`. One set of generic handlers, instantiated per kind.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cncl_app::ListQuery;
use cncl_domain::{EntityKind, Stored, with_record_type};
use cncl_store::Page;
use serde::Deserialize;
use serde_json::Value;
use utoipa::openapi::path::Paths;
use utoipa::{PartialSchema, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use uuid::Uuid;

use crate::AppState;
use crate::auth::{ApiWrite, Caller};
use crate::error::WebError;
use crate::extract::{PathId, StrictQuery, optional};

/// The routes of every kind of record, each with its operations in the OpenAPI document.
/// Only the document is built per record type; the handlers take the kind as a value, so the
/// record use-cases are instantiated once, in `cncl-app` (`records_by_kind`), not here.
pub fn routes() -> OpenApiRouter<AppState> {
    EntityKind::ALL.into_iter().fold(OpenApiRouter::new(), |router, kind| {
        let (name, schemas) = with_record_type!(kind, T => {
            let mut schemas = Vec::new();
            <Stored<T> as ToSchema>::schemas(&mut schemas);
            schemas.push((T::name().to_string(), T::schema()));
            schemas.push((Stored::<T>::name().into_owned(), Stored::<T>::schema()));
            (T::name(), schemas)
        });
        let doc = crate::api::doc::RecordDoc {
            resource: kind.resource(),
            noun: kind.noun(),
            record: &name,
            filters: supported_filters(kind),
        };
        let collection = format!("/api/v1/{}", kind.resource());
        let member = format!("/api/v1/{}/{{id}}", kind.resource());
        let export_path = format!("/api/v1/{}/export", kind.resource());
        router
            .routes((
                Vec::new(),
                Paths::builder().path(export_path, doc.export()).build(),
                get(move |state, caller, language, uri| export(kind, state, caller, language, uri)),
            ))
            .routes((
                schemas,
                Paths::builder().path(collection, doc.collection()).build(),
                get(move |state, caller, query| list(kind, state, caller, query))
                    .post(move |state, write| create(kind, state, write)),
            ))
            .routes((
                Vec::new(),
                Paths::builder().path(member, doc.member()).build(),
                get(move |state, caller, id| show(kind, state, caller, id))
                    .put(move |state, id, write| update(kind, state, id, write)),
            ))
    })
}

/// The query of an export: the file's format and language, and the list's filters.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportParams {
    /// `xlsx` or `csv`.
    pub format: String,
    #[serde(default, deserialize_with = "optional")]
    pub product: Option<String>,
    #[serde(default, deserialize_with = "optional")]
    pub organisation: Option<Uuid>,
    #[serde(default, deserialize_with = "optional")]
    pub status: Option<String>,
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

/// Every record of the list (all pages, the same filters and reach) as `.xlsx` or CSV.
async fn export(
    kind: EntityKind,
    State(state): State<AppState>,
    caller: Caller,
    language: crate::extract::Language,
    uri: axum::http::Uri,
) -> Result<Response, WebError> {
    // Who asks is known before what is asked is read.
    if caller.actor.is_anonymous() {
        return Err(WebError(cncl_app::AppError::Unauthenticated));
    }
    cncl_app::policy::read(&caller.actor, kind)?;
    let params: ExportParams = crate::extract::parse_query(uri.query().unwrap_or_default())?;
    let (format, content_type, extension) = crate::api::figure_files::file_format(&params.format)?;
    let query = ListQuery {
        filter: cncl_store::ListFilter {
            product: params.product.clone(),
            organisation: params.organisation,
            status: params.status.clone(),
        },
        page: None,
        per_page: None,
    };
    if format == cncl_app::export::ExportFormat::Xlsx {
        let bytes = state.app.export_records(&caller.actor, kind, &query, format, language.lang).await?;
        return Ok(crate::api::figure_files::attachment(content_type, kind.resource(), extension, bytes));
    }
    // CSV is sent as it is written, a page of records at a time.
    let (chunks, mut received) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let app = state.app.clone();
    let (actor, lang) = (caller.actor.clone(), language.lang);
    let writing = tokio::spawn(async move { app.stream_records(&actor, kind, &query, format, lang, &chunks).await });
    // A refusal (a filter this kind does not have) comes before the first bytes: answer it.
    let Some(first) = received.recv().await else {
        return match writing.await {
            Ok(Err(e)) => Err(WebError(e)),
            _ => Err(WebError(cncl_app::AppError::Internal(cncl_store::StoreError::Reader(
                "the export ended before it began".into(),
            )))),
        };
    };
    let rest = futures_util::stream::unfold(received, |mut received| async move {
        received.recv().await.map(|chunk| (Ok::<_, std::io::Error>(chunk), received))
    });
    let body = axum::body::Body::from_stream(futures_util::stream::StreamExt::chain(
        futures_util::stream::iter([Ok(first)]),
        rest,
    ));
    let disposition = format!("attachment; filename=\"{}.{extension}\"", kind.resource());
    Ok(([(header::CONTENT_TYPE, content_type.to_owned()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response())
}

/// The query of a list: a page, filtered, or (with `q`) the records found by name.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    #[serde(default, deserialize_with = "optional")]
    pub q: Option<String>,
    #[serde(default, deserialize_with = "optional")]
    pub page: Option<u32>,
    #[serde(default, deserialize_with = "optional")]
    pub per_page: Option<u32>,
    #[serde(default, deserialize_with = "optional")]
    pub product: Option<String>,
    #[serde(default, deserialize_with = "optional")]
    pub organisation: Option<Uuid>,
    #[serde(default, deserialize_with = "optional")]
    pub status: Option<String>,
}

impl ListParams {
    pub fn query(&self) -> ListQuery {
        ListQuery {
            filter: cncl_store::ListFilter {
                product: self.product.clone(),
                organisation: self.organisation,
                status: self.status.clone(),
            },
            page: self.page,
            per_page: self.per_page,
        }
    }
}

async fn list(
    kind: EntityKind,
    State(state): State<AppState>,
    caller: Caller,
    StrictQuery(params): StrictQuery<ListParams>,
) -> Result<Json<Page<Value>>, WebError> {
    let query = params.query();
    match params.q {
        Some(words) => {
            // Found by name: every match up to `per_page`, in one page; the filters do not apply.
            let per_page = query.per_page.unwrap_or(cncl_app::records::DEFAULT_PER_PAGE);
            if !(1..=cncl_app::records::MAX_PER_PAGE).contains(&per_page) {
                return Err(WebError::bad_request(
                    "per_page",
                    cncl_domain::msg(
                        format!("phải từ 1 đến {}", cncl_app::records::MAX_PER_PAGE),
                        format!("must be from 1 to {}", cncl_app::records::MAX_PER_PAGE),
                    ),
                ));
            }
            let items = state.app.search_stored(&caller.actor, kind, &words, per_page as usize).await?;
            let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
            Ok(Json(Page { items, page: 1, per_page, total }))
        }
        None => Ok(Json(state.app.list_stored(&caller.actor, kind, &query).await?)),
    }
}

async fn show(
    kind: EntityKind,
    State(state): State<AppState>,
    caller: Caller,
    id: PathId,
) -> Result<Response, WebError> {
    cncl_app::policy::read(&caller.actor, kind)?;
    let stored = state.app.get_stored(&caller.actor, kind, id.get()?).await?;
    Ok(Json(stored).into_response())
}

async fn create(kind: EntityKind, State(state): State<AppState>, write: ApiWrite) -> Result<Response, WebError> {
    cncl_app::policy::write(write.actor(), kind)?;
    let (id, stored) = state.app.create_stored(write.actor(), kind, write.body()).await?;
    let location = format!("/api/v1/{}/{id}", kind.resource());
    Ok((StatusCode::CREATED, [(header::LOCATION, location)], Json(stored)).into_response())
}

/// A client may send back the record as it read it, `id` included; the id must then be
/// the one in the path.
async fn update(
    kind: EntityKind,
    State(state): State<AppState>,
    id: PathId,
    write: ApiWrite,
) -> Result<Response, WebError> {
    cncl_app::policy::write(write.actor(), kind)?;
    let id: Uuid = id.get()?;
    let mut value: Value = write.value()?;
    if let Some(object) = value.as_object_mut()
        && let Some(sent) = object.remove("id")
        && sent.as_str() != Some(id.to_string().as_str())
    {
        return Err(WebError::bad_request(
            "id",
            cncl_domain::msg("khác ID trong đường dẫn", "differs from the id in the path"),
        ));
    }
    let stored = state.app.update_stored(write.actor(), kind, id, value).await?;
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
