//! What an attacker probing over loopback found, each pinned by a test that fails without its
//! fix (issue 9).

use cncl_domain::EntityKind;
use cncl_testkit::samples::{insert_one_of_each, sample};
use reqwest::Method;
use serde_json::json;

use crate::TestServer;

crate::on_both_backends!(
    dates_outside_the_window_are_refused_naming_the_parameter,
    dates_outside_the_window_are_refused_in_bodies,
);

async fn dates_outside_the_window_are_refused_naming_the_parameter(s: &TestServer) {
    for path in ["/api/v1/scorecard", "/scorecard", "/api/v1/funding", "/api/v1/warnings", "/governance"] {
        for date in ["%2B262142-12-31", "9999-12-31", "-0001-01-01", "1900-01-01"] {
            let response = s.anonymous.get(s.url(&format!("{path}?as_of={date}"))).send().await.unwrap();
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            assert_eq!(status, 422, "{path}?as_of={date}: {body}");
            assert!(body.contains("as_of") && body.contains("2100-12-31"), "{path}?as_of={date}: {body}");
        }
        let (status, body) = s.get_json(&format!("{path}?as_of=31-12-2026")).await;
        assert_eq!((status, body["field"].as_str()), (400, Some("as_of")), "{path}: malformed");
    }
    let (status, _) = s.get_json("/api/v1/scorecard?as_of=2100-12-31").await;
    assert_eq!(status, 200, "the window's last day is a date like any other");
    let (status, card) = s.get_json("/api/v1/scorecard?as_of=31/03/2026").await;
    assert_eq!((status, card["as_of"].as_str()), (200, Some("2026-03-31")), "written as Vietnamese write it");
}

async fn dates_outside_the_window_are_refused_in_bodies(s: &TestServer) {
    let ids = insert_one_of_each(s.app.store()).await;
    let mut publication = sample(EntityKind::Publication, &ids);
    for date in ["+10000-01-01", "-0001-01-01", "1989-12-31"] {
        publication["published_on"] = json!(date);
        let (status, body) = s.send_json(Method::POST, "/api/v1/publications", &publication.to_string()).await;
        assert_eq!((status, body["field"].as_str()), (422, Some("published_on")), "{date}: {body}");
    }
    // Stored dates keep four-digit years, so text order is date order on both backends.
    let (_, list) = s.get_json("/api/v1/publications?per_page=500").await;
    for item in list["items"].as_array().unwrap() {
        let date = item["published_on"].as_str().unwrap();
        assert!(date.len() == 10 && date.starts_with(['1', '2']), "{date}");
    }
}
