//! Every documented API route, called as every role and as nobody, against the expected
//! allow or deny of the access policy. A route in the OpenAPI document without an entry in
//! this table fails the test.

use std::collections::BTreeMap;

use cncl_app::Role;
use cncl_domain::EntityKind;
use cncl_testkit::samples::{insert_one_of_each, sample};
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::{TestServer, admin, client_with};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Everybody, signed in or not.
    Public,
    /// Every account.
    SignedIn,
    /// The office's views: everyone but reporters.
    Office,
    /// The programme office only.
    Admin,
    /// The office and the Task Force.
    Audit,
    /// Creating or changing records of this kind.
    Write(EntityKind),
    /// The progress report's `submit` command: the office and the report's organisation.
    ReportSubmit,
}

const REPORTER_WRITES: [EntityKind; 15] = [
    EntityKind::Organisation,
    EntityKind::Certification,
    EntityKind::Person,
    EntityKind::Publication,
    EntityKind::IpApplication,
    EntityKind::ResearchOutcome,
    EntityKind::DualUseDemonstration,
    EntityKind::ProductModel,
    EntityKind::BomLine,
    EntityKind::CostLine,
    EntityKind::ModelSales,
    EntityKind::TrainingRecord,
    EntityKind::ProgressReport,
    EntityKind::Proposal,
    EntityKind::DomesticOffer,
];

fn allowed(access: Access, role: Option<Role>) -> bool {
    match (access, role) {
        (Access::Public, _) => true,
        (_, None) => false,
        (_, Some(Role::Admin)) => true,
        (Access::SignedIn, _) => true,
        (Access::Office, Some(role)) => role != Role::Reporter,
        (Access::Admin, _) => false,
        (Access::Audit, Some(role)) => role == Role::TaskForce,
        (Access::Write(kind), Some(Role::Reporter)) => REPORTER_WRITES.contains(&kind),
        (Access::Write(kind), Some(Role::ChiefEngineer)) => {
            matches!(kind, EntityKind::CoreTechnology | EntityKind::TechnologyAssessment | EntityKind::Commentary)
        }
        (Access::Write(_), Some(_)) => false,
        (Access::ReportSubmit, Some(role)) => role == Role::Reporter,
    }
}

/// The routes that are not the per-kind record routes, with their access.
fn fixed_routes() -> Vec<(&'static str, &'static str, Access)> {
    vec![
        ("GET", "/health", Access::Public),
        ("GET", "/ready", Access::Public),
        // By address, not by role: the tests ask from this machine, which may read them.
        ("GET", "/metrics", Access::Public),
        ("GET", "/api/v1/openapi.json", Access::Public),
        ("GET", "/api/v1/programme", Access::Public),
        ("GET", "/api/v1/products", Access::Public),
        ("GET", "/api/v1/products/{code}", Access::Public),
        ("GET", "/api/v1/task-groups", Access::Public),
        ("GET", "/api/v1/task-groups/{code}", Access::Public),
        ("GET", "/api/v1/criteria", Access::Public),
        ("GET", "/api/v1/scorecard", Access::Public),
        ("GET", "/api/v1/criteria-sets", Access::Public),
        ("POST", "/api/v1/criteria-sets", Access::Admin),
        ("GET", "/api/v1/criteria-sets/{id}/{version}", Access::Public),
        ("PUT", "/api/v1/criteria-sets/current", Access::Admin),
        ("GET", "/api/v1/criteria-sets/comparison", Access::Public),
        ("GET", "/api/v1/product-models/{id}/localisation-plan", Access::SignedIn),
        ("POST", "/api/v1/imports", Access::SignedIn),
        ("POST", "/api/v1/imports/{id}/commit", Access::SignedIn),
        ("GET", "/api/v1/imports/{id}/annotated", Access::SignedIn),
        ("POST", "/api/v1/imports/{id}/mapping", Access::SignedIn),
        ("GET", "/api/v1/templates", Access::SignedIn),
        ("GET", "/api/v1/reporting-workbook", Access::SignedIn),
        ("GET", "/api/v1/scorecard/export", Access::SignedIn),
        ("GET", "/api/v1/funding/export", Access::Office),
        ("GET", "/api/v1/products/{code}/localisation-roadmap", Access::SignedIn),
        ("POST", "/api/v1/tasks/{id}/commands", Access::Admin),
        ("GET", "/api/v1/tasks/{id}/events", Access::SignedIn),
        ("GET", "/api/v1/tasks/{id}/seven-clear", Access::SignedIn),
        ("GET", "/api/v1/tasks/{id}/ranking", Access::Office),
        ("POST", "/api/v1/progress-reports/{id}/commands", Access::ReportSubmit),
        ("GET", "/api/v1/progress-reports/{id}/events", Access::SignedIn),
        ("POST", "/api/v1/proposals/{id}/select", Access::Admin),
        ("GET", "/api/v1/funding", Access::Office),
        ("GET", "/api/v1/overdue", Access::Office),
        ("GET", "/api/v1/warnings", Access::Office),
        ("GET", "/api/v1/compliance", Access::SignedIn),
        ("GET", "/api/v1/accounts", Access::Admin),
        ("POST", "/api/v1/accounts", Access::Admin),
        ("POST", "/api/v1/accounts/{id}/disable", Access::Admin),
        ("POST", "/api/v1/accounts/{id}/enable", Access::Admin),
        ("POST", "/api/v1/accounts/{id}/reset-password", Access::Admin),
        ("GET", "/api/v1/accounts/{id}/contact", Access::Admin),
        ("PUT", "/api/v1/accounts/{id}/contact", Access::Admin),
        ("GET", "/api/v1/api-tokens", Access::Admin),
        ("POST", "/api/v1/api-tokens", Access::Admin),
        ("POST", "/api/v1/api-tokens/{id}/revoke", Access::Admin),
        ("GET", "/api/v1/audit", Access::Audit),
        ("GET", "/api/v1/audit/verify", Access::Audit),
        ("GET", "/api/v1/people/{id}/export", Access::Admin),
        ("POST", "/api/v1/people/{id}/erase", Access::Admin),
        ("GET", "/api/v1/reports", Access::Public),
        ("POST", "/api/v1/reports", Access::Admin),
        ("GET", "/api/v1/reports/{id}", Access::Public),
        ("GET", "/api/v1/reports/{id}/{format}", Access::Public),
        ("POST", "/api/v1/reports/verify", Access::Public),
        ("GET", "/api/v1/documents/{id}", Access::SignedIn),
    ]
}

/// The expected access of every route, keyed by method and path.
fn table() -> BTreeMap<(String, String), Access> {
    let mut table: BTreeMap<(String, String), Access> =
        fixed_routes().into_iter().map(|(m, p, a)| ((m.to_owned(), p.to_owned()), a)).collect();
    for kind in EntityKind::ALL {
        let list = format!("/api/v1/{}", kind.resource());
        let one = format!("/api/v1/{}/{{id}}", kind.resource());
        table.insert(("GET".into(), list.clone()), Access::SignedIn);
        table.insert(("GET".into(), format!("{list}/export")), Access::SignedIn);
        table.insert(("POST".into(), list), Access::Write(kind));
        table.insert(("GET".into(), one.clone()), Access::SignedIn);
        table.insert(("GET".into(), format!("{one}/documents")), Access::SignedIn);
        table.insert(("POST".into(), format!("{one}/documents")), Access::Write(kind));
        table.insert(("PUT".into(), one), Access::Write(kind));
    }
    table
}

cncl_testkit::on_both_backends!(crate::TestServer::start =>every_route_as_every_role);

async fn every_route_as_every_role(s: &TestServer) {
    let ids = insert_one_of_each(s.app.store()).await;
    let expires = chrono::Utc::now() + chrono::Duration::days(1);
    let organisation = ids[&EntityKind::Organisation];
    let mut clients = vec![(None, reqwest::Client::new())];
    for role in [Role::Viewer, Role::TaskForce, Role::ChiefEngineer, Role::Reporter] {
        let org = (role == Role::Reporter).then_some(organisation);
        let products = if role == Role::ChiefEngineer { vec!["llm".to_owned()] } else { vec![] };
        let (_, token) = s.app.create_api_token(&admin(), role.as_str(), role, org, products, expires).await.unwrap();
        clients.push((Some(role), client_with(&token)));
    }
    // The office last: its commands change state the others' refused attempts must not.
    clients.push((Some(Role::Admin), s.client.clone()));
    let (spare_account, _) = s
        .app
        .create_account(
            &admin(),
            cncl_app::accounts::NewAccount {
                username: "spare".into(),
                display_name: "Spare".into(),
                role: Role::Viewer,
                organisation_id: None,
                products: vec![],
                password: None,
            },
        )
        .await
        .unwrap();
    let (spare_token, _) =
        s.app.create_api_token(&admin(), "spare", Role::Viewer, None, vec![], expires).await.unwrap();

    let (_, doc) = s.get_json("/api/v1/openapi.json").await;
    let table = table();
    let mut documented = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let method = method.to_uppercase();
            let access = *table
                .get(&(method.clone(), path.clone()))
                .unwrap_or_else(|| panic!("{method} {path} has no entry in the access table"));
            documented += 1;
            let kind = EntityKind::ALL
                .into_iter()
                .find(|k| path.starts_with(&format!("/api/v1/{}/", k.resource())))
                .or_else(|| EntityKind::ALL.into_iter().find(|k| *path == format!("/api/v1/{}", k.resource())));
            let id = match path.as_str() {
                p if p.starts_with("/api/v1/accounts/") => spare_account.id,
                p if p.starts_with("/api/v1/api-tokens/") => spare_token.id,
                _ => kind.map_or_else(Uuid::nil, |k| ids[&k]),
            };
            let code = if path.starts_with("/api/v1/task-groups") { "human-resources" } else { "llm" };
            let concrete = path.replace("{id}", &id.to_string()).replace("{code}", code);
            let body = body_for(&method, path, kind, &ids);
            for (role, client) in &clients {
                let response = client
                    .request(Method::from_bytes(method.as_bytes()).unwrap(), s.url(&concrete))
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                let status = response.status().as_u16();
                let expected = allowed(access, *role);
                let who = role.map_or("anonymous", Role::as_str);
                if expected {
                    assert!(
                        status != 401 && status != 403 && status < 500,
                        "{who} {method} {path} should be allowed, got {status}: {}",
                        response.text().await.unwrap()
                    );
                } else {
                    let want = if role.is_none() { 401 } else { 403 };
                    assert_eq!(status, want, "{who} {method} {path} should be refused");
                }
            }
        }
    }
    assert_eq!(documented, table.len(), "every entry of the table is a documented route");
}

fn body_for(method: &str, path: &str, kind: Option<EntityKind>, ids: &BTreeMap<EntityKind, Uuid>) -> String {
    match (method, path) {
        ("POST", "/api/v1/tasks/{id}/commands") => {
            json!({"command": "cancel", "on": "2026-01-01", "reason": "r"}).to_string()
        }
        ("POST", "/api/v1/progress-reports/{id}/commands") => {
            json!({"command": "submit", "on": "2026-07-01"}).to_string()
        }
        ("POST", "/api/v1/proposals/{id}/select") => json!({"on": "2026-01-20"}).to_string(),
        ("POST", "/api/v1/accounts") => {
            json!({"username": format!("u{}", Uuid::now_v7().simple()), "display_name": "x", "role": "viewer"})
                .to_string()
        }
        ("POST", "/api/v1/api-tokens") => {
            json!({"name": "t", "role": "viewer", "expires_at": "2099-01-01T00:00:00Z"}).to_string()
        }
        ("POST" | "PUT", _) if kind.is_some() => kind.map(|k| sample(k, ids).to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}
