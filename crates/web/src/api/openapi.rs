//! The OpenAPI 3.1 document at `/api/v1/openapi.json`. Schemas come from the domain types
//! themselves (utoipa's `ToSchema`), so the document cannot drift from what the API parses;
//! the paths are generated from the same list of kinds the router is built from.

use std::collections::BTreeMap;

use cncl_domain::reference::{Product, Programme, TaskGroup};
use cncl_domain::{EntityKind, with_record_type};
use serde_json::{Value, json};
use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;

use crate::api::records::supported_filters;
use crate::error::ErrorBody;

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn error_responses(codes: &[&str]) -> serde_json::Map<String, Value> {
    let describe = |code: &str| match code {
        "400" => "Malformed request: not JSON, an unknown parameter, a bad id or page",
        "404" => "No such record",
        "409" => "Clashes with a recorded record (a duplicate)",
        "422" => {
            "A value breaks a rule (a date outside 1990-01-01..2100-12-31, say); `field` names it. Nothing was written"
        }
        "401" => "Sign in, or send an API token (Authorization: Bearer …)",
        "403" => "This account may not do this",
        _ => "Error",
    };
    codes
        .iter()
        .map(|code| {
            (
                (*code).to_owned(),
                json!({ "description": describe(code), "content": { "application/json": { "schema": schema_ref("Error") } } }),
            )
        })
        .collect()
}

fn json_response(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

fn with_errors(mut responses: serde_json::Map<String, Value>, codes: &[&str]) -> Value {
    responses.extend(error_responses(codes));
    responses.extend(error_responses(&["401", "403"]));
    Value::Object(responses)
}

fn ok(description: &str, schema: Value) -> serde_json::Map<String, Value> {
    let mut responses = serde_json::Map::new();
    responses.insert("200".into(), json_response(description, schema));
    responses
}

fn add_schema<T: ToSchema>(schemas: &mut BTreeMap<String, Value>) {
    let mut nested: Vec<(String, RefOr<Schema>)> = Vec::new();
    T::schemas(&mut nested);
    nested.push((T::name().into_owned(), T::schema()));
    for (name, schema) in nested {
        schemas.insert(name, serde_json::to_value(schema).unwrap_or(Value::Null));
    }
}

fn record_paths(kind: EntityKind, name: &str, paths: &mut serde_json::Map<String, Value>) {
    let stored = format!("{name}Stored");
    let tag = kind.resource();
    let noun = kind.noun();
    let mut parameters = vec![
        json!({"name": "q", "in": "query", "schema": {"type": "string"},
               "description": "Records whose code, name or title contain every word, accents and case aside (\"nguyen duc\" finds \"Nguyễn Đức\"); up to per_page of them, in one page; the other filters do not apply"}),
        json!({"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}}),
        json!({"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": cncl_app::records::MAX_PER_PAGE, "default": cncl_app::records::DEFAULT_PER_PAGE}}),
    ];
    for filter in supported_filters(kind) {
        let schema = if filter == "organisation" {
            json!({"type": "string", "format": "uuid"})
        } else {
            json!({"type": "string"})
        };
        parameters.push(json!({"name": filter, "in": "query", "schema": schema}));
    }
    let page = json!({
        "type": "object", "required": ["items", "page", "per_page", "total"],
        "properties": {"items": {"type": "array", "items": schema_ref(&stored)}, "page": {"type": "integer"},
                       "per_page": {"type": "integer"}, "total": {"type": "integer"}}
    });
    let body = json!({"required": true, "content": {"application/json": {"schema": schema_ref(name)}}});
    let mut created = serde_json::Map::new();
    created.insert("201".into(), json_response(&format!("The {noun} as recorded"), schema_ref(&stored)));
    paths.insert(
        format!("/api/v1/{tag}"),
        json!({
            "get": {"tags": [tag], "operationId": format!("list_{name}"), "summary": format!("List {tag}"),
                    "parameters": parameters, "responses": with_errors(ok("One page", page), &["400"])},
            "post": {"tags": [tag], "operationId": format!("create_{name}"), "summary": format!("Record a {noun}"),
                     "requestBody": body, "responses": with_errors(created, &["400", "409", "422"])}
        }),
    );
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}});
    paths.insert(
        format!("/api/v1/{tag}/{{id}}"),
        json!({
            "get": {"tags": [tag], "operationId": format!("show_{name}"), "summary": format!("Read a {noun}"),
                    "parameters": [id], "responses": with_errors(ok(&format!("The {noun}"), schema_ref(&stored)), &["400", "404"])},
            "put": {"tags": [tag], "operationId": format!("update_{name}"), "summary": format!("Correct a {noun}"),
                    "parameters": [id], "requestBody": body,
                    "responses": with_errors(ok(&format!("The {noun} as recorded"), schema_ref(&stored)), &["400", "404", "409", "422"])}
        }),
    );
}

fn reference_paths(paths: &mut serde_json::Map<String, Value>) {
    let list = |name: &str| json!({"type": "array", "items": schema_ref(name)});
    let code = json!({"name": "code", "in": "path", "required": true, "schema": {"type": "string"}});
    let get = |id: &str, summary: &str, schema: Value, errors: &[&str]| json!({"get": {"tags": ["reference"], "operationId": id, "summary": summary, "responses": with_errors(ok(summary, schema), errors)}});
    paths.insert("/api/v1/programme".into(), get("programme", "The programme", schema_ref("Programme"), &[]));
    paths.insert(
        "/api/v1/products".into(),
        get("list_products", "The strategic technology products", list("Product"), &[]),
    );
    let mut product = get("show_product", "One product", schema_ref("Product"), &["404"]);
    product["get"]["parameters"] = json!([code.clone()]);
    paths.insert("/api/v1/products/{code}".into(), product);
    paths.insert("/api/v1/task-groups".into(), get("list_task_groups", "The task groups", list("TaskGroup"), &[]));
    let mut group = get("show_task_group", "One task group", schema_ref("TaskGroup"), &["404"]);
    group["get"]["parameters"] = json!([code]);
    paths.insert("/api/v1/task-groups/{code}".into(), group);
    paths.insert(
        "/api/v1/criteria".into(),
        get("criteria", "The criteria set: criteria, targets, milestones, sources", json!({"type": "object"}), &[]),
    );
    paths.insert(
        "/api/v1/scorecard".into(),
        json!({"get": {"tags": ["evaluation"], "operationId": "scorecard",
                       "summary": "Every criterion for every product and the programme on a date, with status, quarterly history and the records behind each figure",
                       "parameters": [
                           {"name": "as_of", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "The date (default today)"},
                           {"name": "product", "in": "query", "schema": {"type": "string"}, "description": "Only this product"}
                       ],
                       "responses": with_errors(ok("The scorecard", schema_ref("Scorecard")), &["400", "404", "422"])}}),
    );
    paths.insert(
        "/health".into(),
        json!({"get": {"tags": ["operations"], "operationId": "health", "summary": "Whether the server and its database answer",
                       "responses": {"200": json_response("Health", json!({"type": "object"}))}}}),
    );
    paths.insert(
        "/api/v1/openapi.json".into(),
        json!({"get": {"tags": ["operations"], "operationId": "openapi", "summary": "This document",
                       "responses": {"200": json_response("OpenAPI 3.1", json!({"type": "object"}))}}}),
    );
}

fn governance_paths(paths: &mut serde_json::Map<String, Value>) {
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}});
    let as_of = json!({"name": "as_of", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "The date (default today)"});
    let body = |name: &str| json!({"required": true, "content": {"application/json": {"schema": schema_ref(name)}}});
    let array = |name: &str| json!({"type": "array", "items": schema_ref(name)});
    let object = json!({"type": "object"});
    let op = |tag: &str, op_id: &str, summary: &str, parameters: Value, schema: Value, errors: &[&str]| {
        json!({"tags": [tag], "operationId": op_id, "summary": summary, "parameters": parameters,
               "responses": with_errors(ok(summary, schema), errors)})
    };
    let mut command = op(
        "lifecycle",
        "task_command",
        "Apply a lifecycle command (order, assign, start, submit, accept, reject, cancel); recorded with who, when and why",
        json!([id]),
        schema_ref("TaskStored"),
        &["400", "404", "409", "422"],
    );
    command["requestBody"] = body("TaskCommand");
    paths.insert("/api/v1/tasks/{id}/commands".into(), json!({"post": command}));
    paths.insert("/api/v1/tasks/{id}/events".into(), json!({"get": op("lifecycle", "task_events", "The task's recorded commands, oldest first", json!([id]), array("Event"), &["400", "404"])}));
    paths.insert("/api/v1/tasks/{id}/seven-clear".into(), json!({"get": op("lifecycle", "seven_clear", "Each of the task's 7 clear and whether it holds", json!([id]), array("SevenClearCheck"), &["400", "404"])}));
    paths.insert("/api/v1/tasks/{id}/ranking".into(), json!({"get": op("selection", "ranking", "The proposals for the task ranked by reviewers' weighted scores (ties share a rank)", json!([id]), json!({"type": "array", "items": object}), &["400", "404"])}));
    let mut report = op(
        "lifecycle",
        "report_command",
        "Submit, approve or return a progress report",
        json!([id]),
        schema_ref("ProgressReportStored"),
        &["400", "404", "409", "422"],
    );
    report["requestBody"] = body("ReportCommand");
    paths.insert("/api/v1/progress-reports/{id}/commands".into(), json!({"post": report}));
    paths.insert("/api/v1/progress-reports/{id}/events".into(), json!({"get": op("lifecycle", "report_events", "The report's recorded commands", json!([id]), array("Event"), &["400", "404"])}));
    let mut select = op(
        "selection",
        "select_proposal",
        "Choose a proposal: it becomes the task's assignment",
        json!([id]),
        schema_ref("TaskStored"),
        &["400", "404", "409", "422"],
    );
    select["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["on"], "properties": {"on": {"type": "string", "format": "date"}}}}}});
    paths.insert("/api/v1/proposals/{id}/select".into(), json!({"post": select}));
    paths.insert("/api/v1/funding".into(), json!({"get": op("funding", "funding", "Budget lines by product, source and year, disbursements, and each year's state budget against the ceiling", json!([as_of.clone()]), object.clone(), &["400", "422"])}));
    paths.insert("/api/v1/overdue".into(), json!({"get": op("lifecycle", "overdue", "Milestones and deliverables of running tasks overdue on the date", json!([as_of.clone()]), object, &["400", "422"])}));
    paths.insert("/api/v1/warnings".into(), json!({"get": op("governance", "warnings", "What the office should act on: products without a chief engineer or architect, no Task Force head, funding over the ceiling, overdue items", json!([as_of]), array("Warning"), &["400", "422"])}));
}

fn admin_paths(paths: &mut serde_json::Map<String, Value>) {
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}});
    let op = |tag: &str, op_id: &str, summary: &str, parameters: Value, errors: &[&str]| {
        json!({"tags": [tag], "operationId": op_id, "summary": summary, "parameters": parameters,
               "responses": with_errors(ok(summary, json!({"type": "object"})), errors)})
    };
    let body = |summary: &str| json!({"required": true, "description": summary, "content": {"application/json": {"schema": {"type": "object"}}}});
    let listed = |op_id: &str, summary: &str, schema: &str| {
        json!({"tags": ["accounts"], "operationId": op_id, "summary": summary,
               "responses": with_errors(ok(summary, json!({"type": "array", "items": schema_ref(schema)})), &[])})
    };
    let no_content = |tag: &str, op_id: &str, summary: &str, parameters: Value, errors: &[&str]| {
        let mut responses = serde_json::Map::new();
        responses.insert("204".into(), json!({"description": summary}));
        json!({"tags": [tag], "operationId": op_id, "summary": summary, "parameters": parameters,
               "responses": with_errors(responses, errors)})
    };
    let mut create_account = op(
        "accounts",
        "create_account",
        "Create an account; the response holds its one-time password",
        json!([]),
        &["400", "409", "422"],
    );
    create_account["requestBody"] = body(
        "username, display_name, role, organisation_id (reporters), products (chief engineers), password (optional)",
    );
    paths.insert(
        "/api/v1/accounts".into(),
        json!({"get": listed("accounts", "Accounts (the office)", "Account"), "post": create_account}),
    );
    paths.insert("/api/v1/accounts/{id}/disable".into(), json!({"post": op("accounts", "disable_account", "Disable an account and end its sessions", json!([id.clone()]), &["400", "404"])}));
    paths.insert(
        "/api/v1/accounts/{id}/enable".into(),
        json!({"post": op("accounts", "enable_account", "Enable an account", json!([id.clone()]), &["400", "404"])}),
    );
    paths.insert(
        "/api/v1/accounts/{id}/reset-password".into(),
        json!({"post": op("accounts", "reset_password", "A new one-time password (shown once); TOTP is set up again and sessions end", json!([id.clone()]), &["400", "404"])}),
    );
    let mut create_token = op(
        "accounts",
        "create_api_token",
        "Create an API token; the response holds the secret, shown once",
        json!([]),
        &["400", "422"],
    );
    create_token["requestBody"] = body("name, role, organisation_id (reporters), products, expires_at");
    paths.insert(
        "/api/v1/api-tokens".into(),
        json!({"get": listed("api_tokens", "API tokens (never their secrets)", "ApiToken"), "post": create_token}),
    );
    paths.insert(
        "/api/v1/api-tokens/{id}/revoke".into(),
        json!({"post": no_content("accounts", "revoke_api_token", "Revoke a token", json!([id.clone()]), &["400", "404", "409"])}),
    );
    let filters: Vec<Value> = ["entity", "id", "actor", "from", "until", "page", "per_page"]
        .iter()
        .map(|n| json!({"name": n, "in": "query", "schema": {"type": "string"}}))
        .collect();
    let mut audit = op(
        "audit",
        "audit",
        "Audit log entries, newest first, by entity, record, actor and time",
        json!(filters),
        &["400"],
    );
    audit["responses"]["200"] = json_response(
        "A page of entries",
        json!({"type": "object", "properties": {"items": {"type": "array", "items": schema_ref("Entry")}}}),
    );
    paths.insert("/api/v1/audit".into(), json!({"get": audit}));
    paths.insert("/api/v1/audit/verify".into(), json!({"get": op("audit", "verify_audit", "Recompute the hash chain and compare every stored record with it", json!([]), &[])}));
    paths.insert("/api/v1/people/{id}/export".into(), json!({"get": op("people", "export_person", "Everything recorded about a person", json!([id.clone()]), &["400", "404"])}));
    paths.insert("/api/v1/people/{id}/erase".into(), json!({"post": no_content("people", "erase_person", "Erase a person on request (refused while an accountable record names them)", json!([id]), &["400", "404", "409"])}));
}

/// A record as the API returns it: its own fields, closed as the record is, and its `id`.
fn stored_schema(mut record: Value) -> Value {
    if let Some(properties) = record.get_mut("properties").and_then(Value::as_object_mut) {
        properties.insert("id".into(), json!({"type": "string", "format": "uuid"}));
    }
    match record.get_mut("required").and_then(Value::as_array_mut) {
        Some(required) => required.insert(0, json!("id")),
        None => record["required"] = json!(["id"]),
    }
    record
}

/// The whole document.
pub fn document() -> Value {
    let mut schemas = BTreeMap::new();
    let mut paths = serde_json::Map::new();
    add_schema::<ErrorBody>(&mut schemas);
    if let Some(error) = schemas.remove("ErrorBody") {
        schemas.insert("Error".into(), error);
    }
    add_schema::<Programme>(&mut schemas);
    add_schema::<Product>(&mut schemas);
    add_schema::<TaskGroup>(&mut schemas);
    add_schema::<cncl_eval::Scorecard>(&mut schemas);
    add_schema::<cncl_domain::lifecycle::TaskCommand>(&mut schemas);
    add_schema::<cncl_domain::governance::ReportCommand>(&mut schemas);
    add_schema::<cncl_store::events::Event>(&mut schemas);
    add_schema::<cncl_app::lifecycle::SevenClearCheck>(&mut schemas);
    add_schema::<cncl_app::governance::Warning>(&mut schemas);
    add_schema::<cncl_store::audit::chain::Entry>(&mut schemas);
    add_schema::<cncl_store::accounts::Account>(&mut schemas);
    add_schema::<cncl_store::accounts::ApiToken>(&mut schemas);
    for kind in EntityKind::ALL {
        let name = with_record_type!(kind, T => {
            add_schema::<T>(&mut schemas);
            T::name().into_owned()
        });
        let stored = stored_schema(schemas.get(&name).cloned().unwrap_or_default());
        schemas.insert(format!("{name}Stored"), stored);
        record_paths(kind, &name, &mut paths);
    }
    reference_paths(&mut paths);
    governance_paths(&mut paths);
    admin_paths(&mut paths);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "cncl API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Monitoring and evaluation of the Programme for the development of strategic technology products (Decision 2815/QĐ-TTg). Money is whole đồng; dates are YYYY-MM-DD; errors are {error, field?, message}."
        },
        "paths": paths,
        "components": {"schemas": schemas}
    })
}
