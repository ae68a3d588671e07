//! The reports' surfaces on a running server with the real layout engine: the office
//! publishes over the API, anyone lists and downloads, and a copy uploaded on
//! `/reports/verify` or posted to the API gets its answer.

use std::sync::Arc;

use cncl_testkit::server::TestServer;

async fn server() -> TestServer {
    server_signing(None).await
}

async fn server_signing(signing: Option<cncl_report::Signing>) -> TestServer {
    let config = cncl_web::client::WebConfig {
        public_url: "https://cncl.example.vn".into(),
        reports: Some(Arc::new(cncl_report::Typst { signing })),
        ..Default::default()
    };
    let clock = Arc::new(cncl_app::policy::SystemClock);
    let s = TestServer::start_with(cncl_store::Backend::Sqlite, clock, config).await.unwrap();
    s.app.load_demo(&cncl_testkit::server::admin()).await.unwrap();
    s
}

#[tokio::test]
async fn the_office_publishes_and_anyone_downloads_and_verifies() {
    let s = server().await;
    let (status, body) =
        s.send_json(reqwest::Method::POST, "/api/v1/reports", r#"{"quarter": "2026Q3", "lang": "vi"}"#).await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    assert_eq!(body["base_url"], "https://cncl.example.vn");

    // Anyone: the list, the report's page, the file.
    let list: serde_json::Value = s.anonymous.get(s.url("/api/v1/reports")).send().await.unwrap().json().await.unwrap();
    assert_eq!(list[0]["id"], id.as_str());
    let page = s.anonymous.get(s.url("/reports")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Quý III năm 2026") && page.contains(&format!("/reports/{id}")), "{page}");
    assert!(!page.contains("action=\"/reports\""), "a visitor is not offered the publishing form");
    let shown = s.anonymous.get(s.url(&format!("/reports/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(shown.contains(body["files"][0]["sha256"].as_str().unwrap()), "the page names the hashes");
    let pdf = s.anonymous.get(s.url(&format!("/reports/{id}/pdf"))).send().await.unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let pdf = pdf.bytes().await.unwrap();

    // The page's upload form.
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(pdf.to_vec()).file_name("bao-cao.pdf"));
    let answer = s.anonymous.post(s.url("/reports/verify")).multipart(form).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    let answer = answer.text().await.unwrap();
    assert!(answer.contains("<strong class=\"verdict\">Trùng khớp</strong>"), "{answer}");

    // The API, with one byte of the workbook changed: not a workbook any more, or altered.
    let mut xlsx = s
        .anonymous
        .get(s.url(&format!("/api/v1/reports/{id}/xlsx")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let (status, checked) = post_bytes(&s, xlsx.clone()).await;
    assert_eq!((status, checked["verdict"].as_str()), (200, Some("identical")), "{checked}");
    let last = xlsx.len() - 30;
    xlsx[last] ^= 0x20;
    let (status, checked) = post_bytes(&s, xlsx).await;
    assert_eq!(status, 200);
    assert_ne!(checked["verdict"], "identical", "{checked}");
}

async fn post_bytes(s: &TestServer, bytes: Vec<u8>) -> (u16, serde_json::Value) {
    let response = s
        .anonymous
        .post(s.url("/api/v1/reports/verify"))
        .header("content-type", "application/octet-stream")
        .body(bytes)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn publishing_is_for_the_office_and_a_bad_quarter_is_named() {
    let s = server().await;
    let refused = s
        .anonymous
        .post(s.url("/api/v1/reports"))
        .header("content-type", "application/json")
        .body(r#"{"quarter": "2026Q3"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    let (status, body) = s.send_json(reqwest::Method::POST, "/api/v1/reports", r#"{"quarter": "2026Q5"}"#).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["message_vi"].as_str().unwrap().contains("2026Q5"), "{body}");
    let (status, _) = s.get_json("/api/v1/reports/no-such-report").await;
    assert_eq!(status, 404);
    let empty = s.anonymous.post(s.url("/api/v1/reports/verify")).body(Vec::new()).send().await.unwrap();
    assert_eq!(empty.status(), 400);
}

#[tokio::test]
async fn the_report_page_names_the_figures_changed_since_and_the_records_that_changed_them() {
    use cncl_domain::capacity::TrainingRecord;
    let s = server().await;
    let (status, body) = s.send_json(reqwest::Method::POST, "/api/v1/reports", r#"{"quarter": "2026Q3"}"#).await;
    assert_eq!(status, 201, "{body}");
    let page = format!("/reports/{}?changes=1", body["id"].as_str().unwrap());
    let office_page = || async { s.client.get(s.url(&page)).send().await.unwrap().text().await.unwrap() };
    assert!(office_page().await.contains("Mọi số liệu của báo cáo vẫn như khi công bố."));

    // A training course of 2025, entered after publication.
    let admin = cncl_testkit::server::admin();
    let first = s.app.list::<TrainingRecord>(&admin, &Default::default()).await.unwrap().items.remove(0);
    let mut late = first.record.clone();
    late.course = Some(cncl_domain::values::Text::parse("Khoá năm 2025 nhập muộn").unwrap());
    let late = s.app.create(&admin, late).await.unwrap();
    let shown = office_page().await;
    assert!(shown.contains("<table class=\"scorecard changes\">"), "{shown}");
    assert!(shown.contains(&format!("/records/training-records/{}", late.id)), "the new record is named: {shown}");
    let visitor = s.anonymous.get(s.url(&page)).send().await.unwrap().text().await.unwrap();
    assert!(visitor.contains("<table class=\"scorecard changes\">"), "a visitor sees which figures changed");
    assert!(!visitor.contains("/records/training-records/"), "but not the records");
}

#[tokio::test]
async fn a_server_given_the_offices_certificate_publishes_signed_pdfs() {
    let dir = tempfile::tempdir().unwrap();
    let keystore = super::verify::keystore(dir.path(), "mật khẩu");
    let s = server_signing(Some(cncl_report::Signing { keystore, password: "mật khẩu".into() })).await;
    let (status, body) = s.send_json(reqwest::Method::POST, "/api/v1/reports", r#"{"quarter": "2026Q3"}"#).await;
    assert_eq!(status, 201, "{body}");
    let url = s.url(&format!("/reports/{}/pdf", body["id"].as_str().unwrap()));
    let pdf = s.anonymous.get(url).send().await.unwrap().bytes().await.unwrap();
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/ByteRange") && text.contains("ETSI.CAdES.detached"), "a PAdES signature");
    let (status, checked) = post_bytes(&s, pdf.to_vec()).await;
    assert_eq!((status, checked["verdict"].as_str()), (200, Some("identical")), "{checked}");
}
