//! What clients and people read, kept as snapshots and reviewed like code (`cargo insta
//! review`): the OpenAPI document, the error bodies, and pages that hold no record ids.

use reqwest::Method;
use serde_json::{Value, json};

use crate::TestServer;

#[tokio::test]
async fn the_openapi_document() {
    let s = TestServer::start(cncl_store::Backend::Sqlite).await.unwrap();
    let (status, document) = s.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    insta::assert_json_snapshot!(document);
}

#[tokio::test]
async fn the_error_bodies() {
    let s = TestServer::start(cncl_store::Backend::Sqlite).await.unwrap();
    s.app.load_demo(&crate::admin()).await.unwrap();
    let task = s.task_id("LLM-01").await;
    let organisation = s.lead_organisation("LLM-05").await;
    let (_, existing) = s.get_json(&format!("/api/v1/organisations/{organisation}")).await;
    let mut duplicate = existing.clone();
    if let Some(fields) = duplicate.as_object_mut() {
        fields.remove("id");
    }
    let mut bodies = serde_json::Map::new();
    let mut record = |name: &str, (status, body): (u16, Value)| {
        bodies.insert(name.to_owned(), json!({"status": status, "body": body}));
    };
    record("unknown parameter", s.get_json("/api/v1/tasks?search=x").await);
    record("malformed id", s.get_json("/api/v1/tasks/not-an-id").await);
    record("not found", s.get_json("/api/v1/tasks/01a22a97-7d09-75e9-bca7-5ef1f4f34606").await);
    record("date out of range", s.get_json("/api/v1/scorecard?as_of=9999-12-31").await);
    let anonymous = s.anonymous.get(s.url("/api/v1/tasks")).send().await.unwrap();
    record("unauthenticated", (anonymous.status().as_u16(), anonymous.json().await.unwrap()));
    record("duplicate", s.send_json(Method::POST, "/api/v1/organisations", &duplicate.to_string()).await);
    record(
        "invalid value",
        s.send_json(
            Method::POST,
            "/api/v1/budget-lines",
            &json!({"task_id": task, "year": 2026, "source": "central_state", "amount_vnd": -1}).to_string(),
        )
        .await,
    );
    record(
        "illegal transition",
        s.send_json(
            Method::POST,
            &format!("/api/v1/tasks/{task}/commands"),
            r#"{"command":"accept","on":"2026-01-01","accepting_body":"x"}"#,
        )
        .await,
    );
    insta::assert_json_snapshot!(Value::Object(bodies));
}

#[tokio::test]
async fn the_home_page_in_both_languages() {
    use chrono::TimeZone;
    // A fixed day: the dashboard names the date its figures are for.
    let clock = cncl_testkit::TestClock::at(chrono::Utc.with_ymd_and_hms(2026, 10, 8, 2, 0, 0).unwrap());
    let s = TestServer::start_with_clock(cncl_store::Backend::Sqlite, std::sync::Arc::new(clock)).await.unwrap();
    for lang in ["vi", "en"] {
        let html = s.anonymous.get(s.url(&format!("/?lang={lang}"))).send().await.unwrap().text().await.unwrap();
        insta::assert_snapshot!(format!("home_{lang}"), html);
    }
}
