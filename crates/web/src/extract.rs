//! What handlers take from a request, parsed once here so that no handler reads an id, a
//! language or a query string by hand:
//!
//! - [`Language`]: `?lang=`, else the `cncl_lang` cookie, else Vietnamese;
//! - [`PathId`]: the `{id}` of the path, read as a UUID but unwrapped by the handler only
//!   after it knows the caller may do this (a refusal never depends on the id sent);
//! - [`StrictQuery`]: the query string as a struct that names every parameter it accepts; an
//!   unknown or malformed one is a JSON 400 naming it, a date outside cncl's window a 422;
//! - [`optional`]: a query value left empty (`?as_of=`) is absent.

use std::str::FromStr;

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use cncl_app::AppError;
use cncl_domain::DomainError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use uuid::Uuid;

use crate::error::WebError;
use crate::i18n::LANG_COOKIE;

/// The language of the request: `?lang=` if valid, else the remembered cookie, else
/// Vietnamese. `switched` is set when `?lang=` chose it, so the page remembers it.
#[derive(Debug, Clone, Copy)]
pub struct Language {
    pub lang: cncl_domain::Lang,
    pub switched: bool,
}

impl Language {
    /// The code to remember in the cookie when the visitor just switched.
    pub fn remember(self) -> Option<&'static str> {
        self.switched.then(|| self.lang.code())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Language {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let asked = parts
            .uri
            .query()
            .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
            .and_then(|pairs| pairs.into_iter().find(|(name, _)| name == "lang"))
            .and_then(|(_, value)| cncl_domain::Lang::parse(&value));
        if let Some(lang) = asked {
            return Ok(Language { lang, switched: true });
        }
        let jar = CookieJar::from_request_parts(parts, state).await?;
        let remembered = jar.get(LANG_COOKIE).and_then(|c| cncl_domain::Lang::parse(c.value()));
        Ok(Language { lang: remembered.unwrap_or_default(), switched: false })
    }
}

/// The `{id}` of the path. Read as a UUID when the request arrives; [`PathId::get`] gives it,
/// or a 400 naming `id`, once the handler has checked who is asking.
#[derive(Debug, Clone)]
pub struct PathId(Result<Uuid, String>);

impl PathId {
    /// The id, as the kind of id the handler asks for (`TaskId`, or a bare `Uuid`).
    pub fn get<I: From<Uuid>>(&self) -> Result<I, WebError> {
        self.0.clone().map(I::from).map_err(|raw| {
            WebError::bad_request(
                "id",
                cncl_domain::msg(
                    format!("phải là mã ID của bản ghi (UUID), không phải {raw:?}"),
                    format!("must be a record id (a UUID), not {raw:?}"),
                ),
            )
        })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|e| WebError::bad_request("id", crate::error::rejected(e.body_text())))?;
        Ok(PathId(Uuid::parse_str(&raw).map_err(|_| raw)))
    }
}

/// `/records/{resource}[/{id}]`: the kind of record and, on a record's page, its id. Both
/// are read when the request arrives and unwrapped by the handler once it knows who asks.
#[derive(Debug, Clone)]
pub struct RecordPath {
    resource: String,
    id: Option<PathId>,
}

impl RecordPath {
    /// The kind named in the path; an unknown one is a 404.
    pub fn kind(&self) -> Result<cncl_domain::EntityKind, WebError> {
        cncl_domain::EntityKind::from_resource(&self.resource)
            .ok_or_else(|| WebError(AppError::NotFound { noun: "kind of record", id: self.resource.clone() }))
    }

    /// The record's id; a path without one, or with a malformed one, is a 400.
    pub fn id(&self) -> Result<Uuid, WebError> {
        self.id
            .as_ref()
            .map_or_else(|| Err(WebError::bad_request("id", cncl_domain::msg("thiếu", "missing"))), PathId::get::<Uuid>)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RecordPath {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, WebError> {
        let Path(segments) = Path::<Vec<String>>::from_request_parts(parts, state)
            .await
            .map_err(|e| WebError::bad_request("path", crate::error::rejected(e.body_text())))?;
        let mut segments = segments.into_iter();
        let resource = segments.next().unwrap_or_default();
        let id = segments.next().map(|raw| PathId(Uuid::parse_str(&raw).map_err(|_| raw)));
        Ok(RecordPath { resource, id })
    }
}

/// The query string as name–value pairs, for the few pages whose parameters are the fields of
/// a form (a new record's form is filled in from its link). A malformed query is a 400.
#[derive(Debug, Clone, Default)]
pub struct QueryPairs(pub Vec<(String, String)>);

impl QueryPairs {
    /// The value of parameter `name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for QueryPairs {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, WebError> {
        serde_urlencoded::from_str(parts.uri.query().unwrap_or_default())
            .map(QueryPairs)
            .map_err(|e| WebError::bad_request("query", crate::error::rejected(e.to_string())))
    }
}

/// The query string as `T`, which lists every parameter it accepts
/// (`#[serde(deny_unknown_fields)]`).
#[derive(Debug, Clone)]
pub struct StrictQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for StrictQuery<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, WebError> {
        parse_query(parts.uri.query().unwrap_or_default()).map(StrictQuery)
    }
}

/// Parse a query string into `T`, naming the parameter at fault.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, WebError> {
    let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let message = error.into_inner().to_string();
        // An unknown parameter is named in the message, between backticks.
        let named = message.starts_with("unknown field").then(|| message.split('`').nth(1)).flatten();
        let parameter = match (named, path.as_str()) {
            (Some(name), _) => name.to_owned(),
            (None, "." | "") => "query".to_owned(),
            (None, path) => path.to_owned(),
        };
        // serde says "unknown field `x`, expected one of `a`, `b`"; a user reads parameters.
        let message = match (named, message.split_once("expected ")) {
            (Some(_), Some((_, expected))) => {
                let known = expected.trim_start_matches("one of ").replace('`', "");
                cncl_domain::msg(
                    format!("tham số không xác định; hãy dùng {known}"),
                    format!("unknown parameter; use {known}"),
                )
            }
            _ => cncl_domain::record::serde_message(&message),
        };
        if cncl_domain::Date::is_out_of_range(&message.en) {
            WebError(AppError::Invalid(DomainError::new(parameter, message)))
        } else {
            WebError::bad_request(&parameter, message)
        }
    })
}

/// For `#[serde(default, deserialize_with = "optional")]`: an empty value is absent, any
/// other is read by the type's `FromStr`, its error as the message.
pub fn optional<'de, D: Deserializer<'de>, T: FromStr>(deserializer: D) -> Result<Option<T>, D::Error>
where
    T::Err: std::fmt::Display,
{
    let raw = String::deserialize(deserializer)?;
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse().map(Some).map_err(serde::de::Error::custom)
}

/// [`optional`] for a date: a refusal keeps both its languages (`ForSerde`), which a date's
/// `FromStr` error, printed as English by the command line, does not carry.
pub fn optional_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<cncl_domain::Date>, D::Error> {
    let raw = String::deserialize(deserializer)?;
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    cncl_domain::Date::parse(raw).map(Some).map_err(|e| serde::de::Error::custom(cncl_domain::error::ForSerde(e)))
}

/// The query of a page that shows figures on a date: `as_of`, optionally one `product`, and
/// `lang` (read by [`Language`]).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatedPage {
    #[serde(default, deserialize_with = "optional_date")]
    pub as_of: Option<cncl_domain::Date>,
    #[serde(default, deserialize_with = "optional")]
    pub product: Option<String>,
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

/// The query of a page that takes nothing but `lang` (read by [`Language`]).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlainPage {
    #[serde(default, rename = "lang")]
    _lang: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Example {
        #[serde(default, deserialize_with = "optional_date")]
        as_of: Option<cncl_domain::Date>,
        #[serde(default, deserialize_with = "optional")]
        page: Option<u32>,
    }

    async fn language(uri: &str, cookie: Option<&str>) -> cncl_domain::Lang {
        let mut request = axum::http::Request::builder().uri(uri);
        if let Some(cookie) = cookie {
            request = request.header(axum::http::header::COOKIE, cookie);
        }
        let (mut parts, ()) = request.body(()).map(|r| r.into_parts()).unwrap_or_else(|_| unreachable!());
        let Ok(found) = Language::from_request_parts(&mut parts, &()).await;
        found.lang
    }

    #[tokio::test]
    async fn language_from_query_then_cookie_then_default() {
        use cncl_domain::Lang::{En, Vi};
        assert_eq!(language("/", None).await, Vi);
        assert_eq!(language("/", Some("a=b; cncl_lang=en")).await, En);
        assert_eq!(language("/?lang=vi", Some("cncl_lang=en")).await, Vi);
        assert_eq!(language("/?lang=xx", Some("cncl_lang=en")).await, En, "an unknown language is ignored");
    }

    fn failure(query: &str) -> (u16, Option<String>) {
        let error = parse_query::<Example>(query).err().map(|e| (e.status().as_u16(), e.body().field));
        error.unwrap_or((200, None))
    }

    #[test]
    fn parameters_are_named_when_wrong() {
        assert_eq!(failure("search=x"), (400, Some("search".into())), "unknown");
        assert_eq!(failure("page=two"), (400, Some("page".into())), "malformed number");
        assert_eq!(failure("as_of=31-12-2026"), (400, Some("as_of".into())), "malformed date");
        assert_eq!(failure("as_of=9999-12-31"), (422, Some("as_of".into())), "outside the window");
        let ok = parse_query::<Example>("as_of=&page=2").ok();
        assert_eq!(ok.map(|e| (e.as_of, e.page)), Some((None, Some(2))), "empty is absent");
    }
}
