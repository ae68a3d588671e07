//! Failures outside the API are pages in the visitor's language with a way on; signing in
//! returns to the page asked for, and a form posted under an expired session comes back
//! filled in; the header links only what the role may open.

use chrono::Duration;
use cncl_app::Role;
use cncl_store::Backend;
use cncl_testkit::TestClock;

use crate::sessions::{Browser, signed_in, signed_in_for};
use crate::{TestServer, admin};

/// The value of the hidden input `name` on `page`, unescaped as a browser would send it.
fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let value = page.split(&marker).nth(1).unwrap_or_else(|| panic!("no {name} in {page}")).split('"').next().unwrap();
    value.replace("&#38;", "&").replace("&#61;", "=").replace("&#43;", "+").replace("&#37;", "%")
}

#[tokio::test]
async fn failures_are_pages_in_the_visitors_language_and_the_api_stays_json() {
    let s = TestServer::start(Backend::Sqlite).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    let mut visitor = Browser::new(&s);
    let (status, page) = visitor.get("/no-such-page").await;
    assert_eq!(status, 404);
    assert!(page.contains("<html lang=\"vi\">") && page.contains("<h1>Không tìm thấy trang</h1>"), "{page}");
    assert!(page.contains("<a href=\"/\">Về trang chủ</a>"), "a way on");
    let (status, page) = visitor.get("/no-such-page?lang=en").await;
    assert_eq!(status, 404);
    assert!(page.contains("<html lang=\"en\">") && page.contains("<h1>Page not found</h1>"), "{page}");

    let missing = uuid::Uuid::now_v7();
    let organisations =
        s.app.list::<cncl_domain::organisation::Organisation>(&admin(), &cncl_app::ListQuery::default()).await.unwrap();
    let organisation = organisations.items[0].id.as_uuid();
    let mut reporter = signed_in_for(&s, "hoa", Role::Reporter, Some(organisation)).await;
    let (status, page) = reporter.get("/funding").await;
    assert_eq!(status, 403);
    assert!(page.contains("<h1>Không có quyền truy cập</h1>") && page.contains("Văn phòng Chương trình"), "{page}");
    assert!(page.contains("Đăng nhập bằng tài khoản khác"), "a way on: {page}");
    assert!(!page.contains("href=\"/funding\"") && !page.contains("href=\"/governance\""), "not offered: {page}");
    let (status, page) = reporter.get(&format!("/tasks/{missing}")).await;
    assert_eq!(status, 404, "{page}");
    assert!(page.contains("<h1>Không tìm thấy trang</h1>"));
    let mut office = signed_in(&s, "lan", Role::TaskForce).await;
    let (_, page) = office.get("/scorecard").await;
    assert!(page.contains("href=\"/funding\"") && page.contains("href=\"/governance\""), "offered to the office");
    assert!(page.contains("<a href=\"/scorecard\" aria-current=\"page\">"), "the current page is marked");
    assert!(page.contains("<a class=\"skip\" href=\"#main\">"), "a skip link");

    // The API answers in JSON whatever happens.
    let (status, body) = s.get_json(&format!("/api/v1/tasks/{missing}")).await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let response = s.anonymous.get(s.url("/api/v1/tasks")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 401, "not sent to sign in");
    assert_eq!(response.json::<serde_json::Value>().await.unwrap()["error"], "unauthenticated");
}

#[tokio::test]
async fn sign_in_returns_to_the_page_asked_for() {
    let s = TestServer::start(Backend::Sqlite).await.unwrap();
    signed_in(&s, "thu", Role::Viewer).await;
    let mut browser = Browser::new(&s);
    let (status, location) = browser.get("/records/tasks?lang=en").await;
    assert_eq!((status, location.as_str()), (303, ""));
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(s.url("/records/tasks?lang=en"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/login?next=%2Frecords%2Ftasks%3Flang%3Den");
    let (_, page) = browser.get("/login?next=%2Frecords%2Ftasks%3Flang%3Den").await;
    let csrf = hidden(&page, "csrf");
    assert_eq!(hidden(&page, "next"), "/records/tasks?lang=en");
    let form =
        [("username", "thu"), ("password", "a long enough password"), ("csrf", &csrf), ("next", "/records/tasks")];
    assert_eq!(browser.post_form("/login", &form).await, (303, "/records/tasks".to_owned()));
    // Never elsewhere.
    let mut other = Browser::new(&s);
    let csrf = other.csrf("/login").await;
    let form =
        [("username", "thu"), ("password", "a long enough password"), ("csrf", &csrf), ("next", "//evil.example/")];
    assert_eq!(other.post_form("/login", &form).await, (303, "/".to_owned()));
}

#[tokio::test]
async fn a_form_posted_after_the_session_expired_comes_back_filled_in_after_sign_in() {
    let clock = TestClock::new();
    let s = TestServer::start_with_clock(Backend::Sqlite, std::sync::Arc::new(clock.clone())).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    s.app.ensure_admin(Some("an admin password".into())).await.unwrap();
    let mut office = Browser::new(&s);
    office.sign_in("admin", "an admin password").await;
    let (_, page) = office.get("/totp").await;
    assert!(page.contains("<figure class=\"totp-qr\"") && page.contains("<svg"), "the secret as a QR code: {page}");
    let secret = page.split("<code class=\"secret\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let csrf = hidden(&page, "csrf");
    let (status, page) = office.post_form("/totp", &[("code", "000000"), ("csrf", &csrf)]).await;
    assert_eq!(status, 403, "a wrong code");
    assert!(page.contains("role=\"alert\"") && page.contains("<svg"), "the page again, saying why: {page}");
    let code = cncl_app::sign_in::code_for(&secret, s.app.now()).unwrap();
    assert_eq!(office.post_form("/totp", &[("code", &code), ("csrf", &csrf)]).await.0, 303);

    let task = s.task_id("LLM-05").await;
    let back = format!("/tasks/{task}");
    let csrf = office.csrf(&back).await;
    clock.advance(Duration::minutes(16));
    let task = task.to_string();
    let typed = [
        ("task_id", task.as_str()),
        ("year", "2029"),
        ("source", "private"),
        ("amount_vnd", "1.250.000"),
        ("back", back.as_str()),
        ("csrf", csrf.as_str()),
    ];
    let (status, page) = office.post_form("/records/budget-lines/new", &typed).await;
    assert_eq!(status, 401, "sign in again: {page}");
    assert!(page.contains("nội dung đã nhập sẽ được điền lại"), "{page}");
    let resume = hidden(&page, "resume");
    assert!(resume.contains("amount_vnd=1.250.000") && !resume.contains("csrf"), "{resume}");
    let form = [
        ("username", "admin"),
        ("password", "an admin password"),
        ("csrf", &hidden(&page, "csrf")),
        ("next", &hidden(&page, "next")),
        ("resume", &resume),
    ];
    assert_eq!(office.post_form("/login", &form).await, (303, "/totp".to_owned()), "the second factor first");
    let csrf = office.csrf("/totp").await;
    let code = cncl_app::sign_in::code_for(&secret, s.app.now()).unwrap();
    let (status, location) = office.post_form("/totp", &[("code", &code), ("csrf", &csrf)]).await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/records/budget-lines/new?") && location.contains("year=2029"), "{location}");
    let (status, form) = office.get(&location).await;
    assert_eq!(status, 200);
    assert!(form.contains("value=\"1.250.000\"") && form.contains("value=\"2029\""), "what was typed: {form}");
    // Sent, it is saved, and the page returned to says so.
    let csrf = hidden(&form, "csrf");
    let typed: Vec<(&str, &str)> =
        typed.iter().map(|&(n, v)| if n == "csrf" { (n, csrf.as_str()) } else { (n, v) }).collect();
    let (status, location) = office.post_form("/records/budget-lines/new", &typed).await;
    assert_eq!((status, location), (303, format!("{back}#saved")));
}
