//! Pieces of the OpenAPI document that the route declarations share: the error answers
//! (named in each route's `responses(…)`) and the operations of every kind of record, which
//! one generic set of handlers serves and which are therefore described here, in the same
//! loop that routes them (`records.rs`).

use std::collections::BTreeMap;

use utoipa::openapi::path::{HttpMethod, Operation, OperationBuilder, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{Object, Schema, Type};
use utoipa::openapi::{
    ContentBuilder, KnownFormat, Ref, RefOr, Required, Response, ResponseBuilder, ResponsesBuilder, SchemaFormat,
};
use utoipa::{IntoResponses, ToSchema};

use crate::error::ErrorBody;

fn error(description: &str) -> RefOr<Response> {
    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name(ErrorBody::name()))).build();
    RefOr::T(ResponseBuilder::new().description(description).content("application/json", content).build())
}

/// Declares error answers as `IntoResponses` types, one per status, for `responses(…)`.
macro_rules! error_responses {
    ($($(#[$meta:meta])* $name:ident = $status:literal, $description:literal;)*) => {$(
        $(#[$meta])*
        pub struct $name;

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                BTreeMap::from([($status.to_owned(), error($description))])
            }
        }
    )*};
}

error_responses! {
    /// 400: the request itself is malformed.
    BadRequest = "400", "Malformed: not JSON, an unknown or malformed parameter, a bad id; `field` names it";
    /// 401 and 403 together: every route that needs an account.
    Unauthenticated = "401", "Sign in, or send an API token (Authorization: Bearer …)";
    /// 403: signed in, but not allowed.
    Forbidden = "403", "This account may not do this";
    /// 404: no such record, or outside the caller's reach.
    NotFound = "404", "No such record (or one outside this account's reach)";
    /// 409: clashes with what is recorded.
    Conflict = "409", "Clashes with what is recorded: a duplicate, or a state that does not allow it";
    /// 422: a value breaks a rule.
    Invalid = "422", "A value breaks a rule (a date outside 1990-01-01..2100-12-31, say); `field` names it. Nothing was written";
}

fn uuid_schema() -> Object {
    Object::builder().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid))).build()
}

fn json_response(description: &str, schema: RefOr<Schema>) -> RefOr<Response> {
    let content = ContentBuilder::new().schema(Some(schema)).build();
    RefOr::T(ResponseBuilder::new().description(description).content("application/json", content).build())
}

fn with_errors(
    mut responses: ResponsesBuilder,
    errors: &[BTreeMap<String, RefOr<Response>>],
) -> utoipa::openapi::Responses {
    for map in errors {
        for (status, response) in map {
            responses = responses.response(status.clone(), response.clone());
        }
    }
    responses.build()
}

fn query(name: &str, schema: Object, description: &str) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .schema(Some(schema))
        .description(Some(description))
        .build()
}

/// The list, create, read and correct operations of one kind of record, described as the
/// generic handlers serve them. `record` is the record's schema name.
pub struct RecordDoc<'a> {
    pub resource: &'a str,
    pub noun: &'a str,
    pub record: &'a str,
    pub filters: Vec<&'static str>,
}

impl RecordDoc<'_> {
    fn operation(&self, id: &str, summary: String) -> OperationBuilder {
        OperationBuilder::new()
            .tag(self.resource)
            .operation_id(Some(format!("{id}_{}", self.record)))
            .summary(Some(summary))
    }

    fn stored(&self) -> RefOr<Schema> {
        RefOr::Ref(Ref::from_schema_name(format!("{}Stored", self.record)))
    }

    fn body(&self) -> utoipa::openapi::request_body::RequestBody {
        let content = ContentBuilder::new().schema(Some(Ref::from_schema_name(self.record))).build();
        RequestBodyBuilder::new().required(Some(Required::True)).content("application/json", content).build()
    }

    /// `GET /api/v1/{resource}/export`: every record of the list as a file.
    pub fn export(&self) -> PathItem {
        let format = Object::builder().schema_type(Type::String).enum_values(Some(["xlsx", "csv"])).build();
        let mut parameters = vec![
            ParameterBuilder::new()
                .name("format")
                .parameter_in(ParameterIn::Query)
                .required(Required::True)
                .schema(Some(format))
                .description(Some("`xlsx`, or `csv` (UTF-8 with a byte-order mark, for Excel)"))
                .build(),
            query(
                "lang",
                Object::builder().schema_type(Type::String).enum_values(Some(["vi", "en"])).build(),
                "The headers' language (default Vietnamese)",
            ),
        ];
        for filter in &self.filters {
            let schema = if *filter == "organisation" { uuid_schema() } else { Object::with_type(Type::String) };
            parameters.push(query(filter, schema, "Only the records of this one"));
        }
        let binary = || {
            ContentBuilder::new()
                .schema(Some(
                    Object::builder()
                        .schema_type(Type::String)
                        .format(Some(SchemaFormat::Custom("binary".into())))
                        .build(),
                ))
                .build()
        };
        let file = ResponseBuilder::new()
            .description("The file, every page of the list")
            .content("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", binary())
            .content("text/csv", binary())
            .build();
        let export: Operation = self
            .operation("export", format!("Export {} as a workbook or CSV", self.resource))
            .parameters(Some(parameters))
            .responses(with_errors(
                ResponsesBuilder::new().response("200", file),
                &[BadRequest::responses(), Unauthenticated::responses(), Forbidden::responses()],
            ))
            .build();
        PathItem::new(HttpMethod::Get, export)
    }

    /// `GET` (a page, or those found by name) and `POST` on `/api/v1/{resource}`.
    pub fn collection(&self) -> PathItem {
        let mut parameters = vec![
            query(
                "q",
                Object::with_type(Type::String),
                "Records whose code, name or title contain every word, accents and case aside (\"nguyen duc\" finds \"Nguyễn Đức\"); up to per_page of them, in one page; the other filters do not apply",
            ),
            query("page", Object::builder().schema_type(Type::Integer).minimum(Some(1)).build(), "The page, from 1"),
            query(
                "per_page",
                Object::builder()
                    .schema_type(Type::Integer)
                    .minimum(Some(1))
                    .maximum(Some(cncl_app::records::MAX_PER_PAGE))
                    .build(),
                "Records per page",
            ),
        ];
        for filter in &self.filters {
            let schema = if *filter == "organisation" { uuid_schema() } else { Object::with_type(Type::String) };
            parameters.push(query(filter, schema, "Only the records of this one"));
        }
        let page = Object::builder()
            .property("items", utoipa::openapi::schema::ArrayBuilder::new().items(self.stored()))
            .property("page", Object::with_type(Type::Integer))
            .property("per_page", Object::with_type(Type::Integer))
            .property("total", Object::with_type(Type::Integer))
            .required("items")
            .required("page")
            .required("per_page")
            .required("total")
            .build();
        let list: Operation = self
            .operation("list", format!("List {}", self.resource))
            .parameters(Some(parameters))
            .responses(with_errors(
                ResponsesBuilder::new().response("200", json_response("One page", RefOr::T(Schema::Object(page)))),
                &[BadRequest::responses(), Unauthenticated::responses(), Forbidden::responses()],
            ))
            .build();
        let create: Operation = self
            .operation("create", format!("Record a {}", self.noun))
            .request_body(Some(self.body()))
            .responses(with_errors(
                ResponsesBuilder::new()
                    .response("201", json_response(&format!("The {} as recorded", self.noun), self.stored())),
                &[
                    BadRequest::responses(),
                    Unauthenticated::responses(),
                    Forbidden::responses(),
                    Conflict::responses(),
                    Invalid::responses(),
                ],
            ))
            .build();
        let mut item = PathItem::new(HttpMethod::Get, list);
        item.merge_operations(PathItem::new(HttpMethod::Post, create));
        item
    }

    /// `GET` and `POST` on `/api/v1/{resource}/{id}/documents`: the record's documents, and
    /// a file attached to it (multipart, field `file`).
    pub fn documents(&self) -> PathItem {
        let id = ParameterBuilder::new()
            .name("id")
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .schema(Some(uuid_schema()))
            .build();
        let document = || RefOr::Ref(Ref::from_schema_name("Document"));
        let list: Operation = self
            .operation("documents", format!("The documents of a {}", self.noun))
            .parameters(Some(vec![id.clone()]))
            .responses(with_errors(
                ResponsesBuilder::new().response(
                    "200",
                    json_response(
                        "The documents, oldest first",
                        RefOr::T(Schema::Array(utoipa::openapi::Array::new(document()))),
                    ),
                ),
                &[BadRequest::responses(), Unauthenticated::responses(), NotFound::responses()],
            ))
            .build();
        let file = Object::builder()
            .property(
                "file",
                Object::builder()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary))),
            )
            .required("file")
            .build();
        let form = ContentBuilder::new().schema(Some(file)).build();
        let attach: Operation = self
            .operation(
                "attach",
                format!(
                    "Attach a file to a {}: PDF, PNG, JPEG, .docx or .xlsx by its content, 20 MB at most",
                    self.noun
                ),
            )
            .parameters(Some(vec![id]))
            .request_body(Some(
                RequestBodyBuilder::new().required(Some(Required::True)).content("multipart/form-data", form).build(),
            ))
            .responses(with_errors(
                ResponsesBuilder::new().response("201", json_response("The document as kept", document())),
                &[
                    BadRequest::responses(),
                    Unauthenticated::responses(),
                    Forbidden::responses(),
                    NotFound::responses(),
                    Invalid::responses(),
                ],
            ))
            .build();
        let mut item = PathItem::new(HttpMethod::Get, list);
        item.merge_operations(PathItem::new(HttpMethod::Post, attach));
        item
    }

    /// `GET` and `PUT` on `/api/v1/{resource}/{id}`.
    pub fn member(&self) -> PathItem {
        let id = ParameterBuilder::new()
            .name("id")
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .schema(Some(uuid_schema()))
            .build();
        let show: Operation = self
            .operation("show", format!("Read a {}", self.noun))
            .parameters(Some(vec![id.clone()]))
            .responses(with_errors(
                ResponsesBuilder::new().response("200", json_response(&format!("The {}", self.noun), self.stored())),
                &[BadRequest::responses(), Unauthenticated::responses(), Forbidden::responses(), NotFound::responses()],
            ))
            .build();
        let update: Operation = self
            .operation("update", format!("Correct a {}", self.noun))
            .parameters(Some(vec![id]))
            .request_body(Some(self.body()))
            .responses(with_errors(
                ResponsesBuilder::new()
                    .response("200", json_response(&format!("The {} as recorded", self.noun), self.stored())),
                &[
                    BadRequest::responses(),
                    Unauthenticated::responses(),
                    Forbidden::responses(),
                    NotFound::responses(),
                    Conflict::responses(),
                    Invalid::responses(),
                ],
            ))
            .build();
        let mut item = PathItem::new(HttpMethod::Get, show);
        item.merge_operations(PathItem::new(HttpMethod::Put, update));
        item
    }
}
