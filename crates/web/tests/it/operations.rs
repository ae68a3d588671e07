//! For those who operate cncl: `/health` (alive), `/ready` (the database answers and is at
//! this build's schema), and `/metrics` in the Prometheus format for allowed readers only.

use cncl_testkit::server::TestServer;
use cncl_web::client::MetricsAccess;
use cncl_web::client::WebConfig;

cncl_testkit::on_both_backends!(cncl_testkit::server::TestServer::start => ready_means_the_database_answers_at_this_schema);

async fn ready_means_the_database_answers_at_this_schema(s: &TestServer) {
    let (status, body) = s.get_json("/health").await;
    assert_eq!((status, body["status"].as_str()), (200, Some("alive")));
    let (status, body) = s.get_json("/ready").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["migrations_current"], true);
    assert!(body["backend"] == "sqlite" || body["backend"] == "postgres");
    // A database a migration behind (or ahead) is not this build's to serve.
    s.db.tamper("delete from _sqlx_migrations where version = (select max(version) from _sqlx_migrations)").await;
    let (status, body) = s.get_json("/ready").await;
    assert_eq!((status, &body["migrations_current"]), (503, &serde_json::json!(false)), "{body}");
    assert_eq!(body["database_answers"], true);
}

async fn metrics_text(s: &TestServer, token: Option<&str>) -> (u16, String) {
    let mut request = s.anonymous.get(s.url("/metrics"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_evaluations() {
    let s = TestServer::start(cncl_store::Backend::Sqlite).await.unwrap();
    for _ in 0..3 {
        s.get_json("/api/v1/products").await;
    }
    s.get_json("/api/v1/scorecard").await;
    s.get_json(&format!("/api/v1/tasks/{}", uuid::Uuid::now_v7())).await;
    let (status, text) = metrics_text(&s, None).await;
    assert_eq!(status, 200, "this machine may read them: {text}");
    let requests = text
        .lines()
        .find(|l| {
            l.starts_with("cncl_http_requests_total{")
                && l.contains("route=\"/api/v1/products\"")
                && l.contains("status=\"200\"")
        })
        .unwrap_or_else(|| panic!("no request count for the route: {text}"));
    let count: f64 = requests.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(count >= 3.0, "{requests}");
    assert!(text.contains("route=\"/api/v1/tasks/{id}\""), "routes by pattern, never by id");
    assert!(!text.contains("/api/v1/tasks/0"), "no series per record");
    assert!(text.contains("cncl_http_request_duration_seconds_bucket{"), "latency as a histogram");
    assert!(text.contains("cncl_evaluations_total"), "{text}");
    assert!(text.contains("cncl_evaluation_seconds_bucket"));
    assert!(text.contains("cncl_db_connections_max 8"));
}

#[tokio::test]
async fn metrics_are_read_from_allowed_addresses_or_with_the_token() {
    let config = WebConfig {
        metrics: MetricsAccess { allow: Vec::new(), token: Some("metrics-token-1".into()) },
        ..WebConfig::default()
    };
    let clock = std::sync::Arc::new(cncl_app::policy::SystemClock);
    let s = TestServer::start_with(cncl_store::Backend::Sqlite, clock, config).await.unwrap();
    assert_eq!(metrics_text(&s, None).await.0, 403, "loopback is not on this list");
    assert_eq!(metrics_text(&s, Some("wrong")).await.0, 403);
    let (status, text) = metrics_text(&s, Some("metrics-token-1")).await;
    assert_eq!(status, 200);
    assert!(text.contains("cncl_db_connections_open"));
}

#[tokio::test]
async fn every_page_of_figures_names_how_far_in_the_audit_log_they_reach() {
    let s = TestServer::start(cncl_store::Backend::Sqlite).await.unwrap();
    s.app.load_demo(&cncl_testkit::server::admin()).await.unwrap();
    let mut office = crate::sessions::signed_in_admin(&s).await;
    let (head, _) = s.app.audit_head().await.unwrap();
    let expected = format!(
        "Số liệu gồm mọi thay đổi đến mục #{} của nhật ký kiểm toán.",
        cncl_domain::format::format_count(head, cncl_domain::Lang::Vi)
    );
    for page in ["/scorecard", "/products/uav"] {
        let html = s.client.get(s.url(page)).send().await.unwrap().text().await.unwrap();
        assert!(html.contains(&expected), "{page} lacks {expected:?}");
    }
    // The dashboard's figures are today's only for those signed in (a visitor's are the
    // last published ones).
    let (_, home) = office.get("/").await;
    assert!(home.contains(&expected), "the dashboard lacks {expected:?}");
    let (_, card) = s.get_json("/api/v1/scorecard").await;
    assert_eq!(card["audit_seq"], head, "the API says it too");
}

/// The value of a counter in the metrics text, 0 before it is first counted.
fn counter(text: &str, name: &str) -> f64 {
    let line = text.lines().find(|l| l.split(' ').next() == Some(name));
    line.and_then(|l| l.rsplit(' ').next()).map_or(0.0, |v| v.parse().unwrap())
}

/// A visitor who gives up while the figures are computed (a closed tab, a client's timeout)
/// does not cancel them: the evaluation finishes without the visitor and the next one is
/// served its figures. When giving up cancelled it, a national-scale scorecard under wrk's
/// 2-second timeout was never computed at all, and no request was ever answered.
#[tokio::test]
async fn a_visitor_who_gives_up_does_not_cancel_the_figures_the_next_one_needs() {
    let Some(s) = TestServer::start(cncl_store::Backend::Postgres).await else { return };
    s.app.load_demo(&cncl_testkit::server::admin()).await.unwrap();
    let before = metrics_text(&s, None).await.1;
    let held = s.db.lock_table("bom_lines").await.unwrap();
    let impatient = reqwest::Client::builder().timeout(std::time::Duration::from_millis(500)).build().unwrap();
    assert!(impatient.get(s.url("/scorecard")).send().await.is_err(), "held back, so the visitor gave up");
    held.release().await;

    let evaluations = |text: &str| counter(text, "cncl_evaluations_total") - counter(&before, "cncl_evaluations_total");
    let mut after = metrics_text(&s, None).await.1;
    for _ in 0..300 {
        if evaluations(&after) >= 1.0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        after = metrics_text(&s, None).await.1;
    }
    assert_eq!(evaluations(&after), 1.0, "computed without the visitor: {after}");
    let page = s.anonymous.get(s.url("/scorecard")).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let last = metrics_text(&s, None).await.1;
    assert_eq!(evaluations(&last), 1.0, "the next visitor is served the figures computed");
    let hits = |text: &str| counter(text, "cncl_scorecard_cache_hits_total");
    assert!(hits(&last) > hits(&after), "{last}");
}
