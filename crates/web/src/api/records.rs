//! The JSON API of every kind of record: `GET/POST /api/v1/{kind}` and
//! `GET/PUT /api/v1/{kind}/{id}`. One set of generic handlers, instantiated per kind.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cncl_app::ListQuery;
use cncl_domain::{EntityKind, Record, Stored, with_record_type};
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
pub fn routes() -> OpenApiRouter<AppState> {
    EntityKind::ALL.into_iter().fold(OpenApiRouter::new(), |router, kind| {
        with_record_type!(kind, T => {
            let name = T::name();
            let doc = crate::api::doc::RecordDoc {
                resource: kind.resource(),
                noun: kind.noun(),
                record: &name,
                filters: supported_filters(kind),
            };
            let mut schemas = Vec::new();
            <Stored<T> as ToSchema>::schemas(&mut schemas);
            schemas.push((name.to_string(), T::schema()));
            schemas.push((Stored::<T>::name().into_owned(), Stored::<T>::schema()));
            let collection = format!("/api/v1/{}", kind.resource());
            let member = format!("/api/v1/{}/{{id}}", kind.resource());
            let export_path = format!("/api/v1/{}/export", kind.resource());
            router
                .routes((Vec::new(), Paths::builder().path(export_path, doc.export()).build(), get(export::<T>)))
                .routes((
                    schemas,
                    Paths::builder().path(collection, doc.collection()).build(),
                    get(list::<T>).post(create::<T>),
                ))
                .routes((Vec::new(), Paths::builder().path(member, doc.member()).build(), get(show::<T>).put(update::<T>)))
        })
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
async fn export<T: Record>(
    State(state): State<AppState>,
    caller: Caller,
    language: crate::extract::Language,
    uri: axum::http::Uri,
) -> Result<Response, WebError> {
    // Who asks is known before what is asked is read.
    if caller.actor.is_anonymous() {
        return Err(WebError(cncl_app::AppError::Unauthenticated));
    }
    cncl_app::policy::read(&caller.actor, T::KIND)?;
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
        let bytes = state.app.export_records(&caller.actor, T::KIND, &query, format, language.lang).await?;
        return Ok(crate::api::figure_files::attachment(content_type, T::KIND.resource(), extension, bytes));
    }
    // CSV is sent as it is written, a page of records at a time.
    let (chunks, mut received) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let app = state.app.clone();
    let (actor, lang) = (caller.actor.clone(), language.lang);
    let writing = tokio::spawn(async move { app.stream_records(&actor, T::KIND, &query, format, lang, &chunks).await });
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
    let disposition = format!("attachment; filename=\"{}.{extension}\"", T::KIND.resource());
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

async fn list<T: Record>(
    State(state): State<AppState>,
    caller: Caller,
    StrictQuery(params): StrictQuery<ListParams>,
) -> Result<Json<Page<cncl_domain::Stored<T>>>, WebError> {
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
            let items = state.app.search::<T>(&caller.actor, &words, per_page as usize).await?;
            let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
            Ok(Json(Page { items, page: 1, per_page, total }))
        }
        None => Ok(Json(state.app.list::<T>(&caller.actor, &query).await?)),
    }
}

async fn show<T: Record>(State(state): State<AppState>, caller: Caller, id: PathId) -> Result<Response, WebError> {
    cncl_app::policy::read(&caller.actor, T::KIND)?;
    let stored = state.app.get::<T>(&caller.actor, id.get()?).await?;
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
async fn update<T: Record>(State(state): State<AppState>, id: PathId, write: ApiWrite) -> Result<Response, WebError> {
    cncl_app::policy::write(write.actor(), T::KIND)?;
    let id: T::Id = id.get()?;
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
