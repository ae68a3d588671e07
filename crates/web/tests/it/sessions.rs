//! Sign-in in a browser's shoes: session fixation, CSRF, throttling, idle expiry, the TOTP
//! second factor, security headers, API token revocation.

use chrono::Duration;
use cncl_app::Role;
use cncl_app::accounts::NewAccount;
use cncl_store::Backend;

use cncl_testkit::TestClock;

use crate::{TestServer, admin, client_with};

/// A browser: no redirects followed, cookies kept by hand.
pub struct Browser {
    client: reqwest::Client,
    cookies: Vec<(String, String)>,
    base: String,
}

impl Browser {
    pub fn new(s: &TestServer) -> Browser {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { client, cookies: Vec::new(), base: s.base.clone() }
    }

    fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    }

    fn header(&self) -> String {
        self.cookies.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep(&mut self, response: &reqwest::Response) {
        for set in response.headers().get_all("set-cookie") {
            let set = set.to_str().unwrap();
            let (pair, attributes) = set.split_once(';').unwrap_or((set, ""));
            let (name, value) = pair.split_once('=').unwrap();
            assert!(attributes.contains("HttpOnly") && attributes.contains("SameSite=Lax"), "{set}");
            self.cookies.retain(|(n, _)| n != name);
            if !value.is_empty() {
                self.cookies.push((name.to_owned(), value.to_owned()));
            }
        }
    }

    pub async fn get(&mut self, path: &str) -> (u16, String) {
        let response =
            self.client.get(format!("{}{path}", self.base)).header("cookie", self.header()).send().await.unwrap();
        self.keep(&response);
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    pub async fn post_form(&mut self, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", self.header())
            .form(form)
            .send()
            .await
            .unwrap();
        self.answer(response).await
    }

    /// The status, and the redirect's target or else the page, of a posted form.
    async fn answer(&mut self, response: reqwest::Response) -> (u16, String) {
        self.keep(&response);
        let status = response.status().as_u16();
        let location = response.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
        let text = response.text().await.unwrap();
        (status, if location.is_empty() { text } else { location })
    }

    /// A file posted as `multipart/form-data` with the form's token; the redirect's target or
    /// the page.
    pub async fn post_file(&mut self, path: &str, csrf: &str, file_name: &str, body: &str) -> (u16, String) {
        let part = reqwest::multipart::Part::text(body.to_owned()).file_name(file_name.to_owned());
        let form = reqwest::multipart::Form::new().text("csrf", csrf.to_owned()).part("file", part);
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("cookie", self.header())
            .multipart(form)
            .send()
            .await
            .unwrap();
        self.answer(response).await
    }

    /// The CSRF token of the form on `page`.
    pub async fn csrf(&mut self, page: &str) -> String {
        let (_, html) = self.get(page).await;
        html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
    }

    async fn change_password(&mut self, csrf: &str, current: &str, new: &str, repeat: &str) -> (u16, String) {
        self.post_form("/password", &[("current", current), ("new", new), ("repeat", repeat), ("csrf", csrf)]).await
    }

    pub async fn sign_in(&mut self, username: &str, password: &str) -> (u16, String) {
        let csrf = self.csrf("/login").await;
        self.post_form("/login", &[("username", username), ("password", password), ("csrf", &csrf)]).await
    }
}

/// A browser signed in as a new account with `role`.
pub async fn signed_in(s: &TestServer, username: &str, role: Role) -> Browser {
    signed_in_for(s, username, role, None).await
}

/// A browser signed in as a new account with `role` (a reporter for `organisation`).
pub async fn signed_in_for(s: &TestServer, username: &str, role: Role, organisation: Option<uuid::Uuid>) -> Browser {
    let new = NewAccount {
        username: username.into(),
        display_name: username.into(),
        role,
        organisation_id: organisation,
        products: vec![],
        password: Some("a long enough password".into()),
    };
    s.app.create_account(&admin(), new).await.unwrap();
    let mut browser = Browser::new(s);
    assert_eq!(browser.sign_in(username, "a long enough password").await.0, 303);
    browser
}

/// An admin signed in with TOTP set up.
pub async fn signed_in_admin(s: &TestServer) -> Browser {
    s.app.ensure_admin(Some("an admin password".into())).await.unwrap();
    let mut browser = Browser::new(s);
    browser.sign_in("admin", "an admin password").await;
    let (_, page) = browser.get("/totp").await;
    let secret = page.split("<code class=\"secret\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let csrf = browser.csrf("/totp").await;
    let code = cncl_app::sign_in::code_for(&secret, s.app.now()).unwrap();
    assert_eq!(browser.post_form("/totp", &[("code", &code), ("csrf", &csrf)]).await.0, 303);
    browser
}

async fn server_with_clock() -> (TestServer, TestClock) {
    let clock = TestClock::new();
    let server = TestServer::start_with_clock(Backend::Sqlite, std::sync::Arc::new(clock.clone())).await.unwrap();
    (server, clock)
}

async fn viewer(s: &TestServer) -> String {
    let new = NewAccount {
        username: "thu".into(),
        display_name: "Nguyễn Thị Thu".into(),
        role: Role::Viewer,
        organisation_id: None,
        products: vec![],
        password: Some("correct horse battery".into()),
    };
    s.app.create_account(&admin(), new).await.unwrap();
    "thu".into()
}

#[tokio::test]
async fn sign_in_replaces_a_planted_session_id_and_sign_out_needs_its_csrf_token() {
    let (s, _) = server_with_clock().await;
    let user = viewer(&s).await;
    let mut browser = Browser::new(&s);
    browser.cookies.push(("cncl_session".into(), "planted-by-an-attacker".into()));
    let (status, location) = browser.sign_in(&user, "correct horse battery").await;
    assert_eq!((status, location.as_str()), (303, "/"));
    let session = browser.cookie("cncl_session").unwrap();
    assert_ne!(session, "planted-by-an-attacker");
    assert_eq!(session.len(), 64);
    let (status, page) = browser.get("/tasks").await;
    assert_eq!(status, 200, "signed in");
    assert!(!page.contains("href=\"/audit\""), "a viewer is not offered the audit log");
    assert_eq!(browser.get("/audit").await.0, 403);
    // A form post without the session's token is refused, and changes nothing.
    let (status, _) = browser.post_form("/logout", &[("csrf", "forged")]).await;
    assert_eq!(status, 403);
    assert_eq!(browser.get("/tasks").await.0, 200);
    let csrf = browser.csrf("/tasks").await;
    let (status, _) = browser.post_form("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(status, 303);
    // The old session id no longer works, even if replayed.
    browser.cookies.push(("cncl_session".into(), session));
    assert_eq!(browser.get("/tasks").await.0, 303, "sent to sign in");
}

#[tokio::test]
async fn the_sign_in_form_needs_its_own_csrf_cookie() {
    let (s, _) = server_with_clock().await;
    let user = viewer(&s).await;
    let mut browser = Browser::new(&s);
    let (status, _) =
        browser.post_form("/login", &[("username", &user), ("password", "correct horse battery"), ("csrf", "x")]).await;
    assert_eq!(status, 403);
    assert!(browser.cookie("cncl_session").is_none());
}

#[tokio::test]
async fn repeated_failures_are_throttled_per_account() {
    let (s, clock) = server_with_clock().await;
    let user = viewer(&s).await;
    let mut browser = Browser::new(&s);
    for _ in 0..5 {
        assert_eq!(browser.sign_in(&user, "wrong password!").await.0, 401);
    }
    let (status, html) = browser.sign_in(&user, "correct horse battery").await;
    assert_eq!(status, 429, "even the right password waits: {html}");
    clock.advance(Duration::minutes(16));
    assert_eq!(browser.sign_in(&user, "correct horse battery").await.0, 303, "after the window");
}

#[tokio::test]
async fn idle_sessions_expire() {
    let (s, clock) = server_with_clock().await;
    let user = viewer(&s).await;
    let mut browser = Browser::new(&s);
    assert_eq!(browser.sign_in(&user, "correct horse battery").await.0, 303);
    clock.advance(Duration::minutes(14));
    assert_eq!(browser.get("/tasks").await.0, 200, "used within 15 minutes");
    clock.advance(Duration::minutes(14));
    assert_eq!(browser.get("/tasks").await.0, 200, "each use resets the idle time");
    clock.advance(Duration::minutes(16));
    assert_eq!(browser.get("/tasks").await.0, 303, "idle too long: sign in again");
}

#[tokio::test]
async fn admins_set_up_totp_before_anything_else() {
    let (s, clock) = server_with_clock().await;
    s.app.ensure_admin(Some("an admin password".into())).await.unwrap();
    let mut browser = Browser::new(&s);
    let (status, location) = browser.sign_in("admin", "an admin password").await;
    assert_eq!((status, location.as_str()), (303, "/totp"));
    assert_eq!(browser.get("/tasks").await.0, 303, "nothing before the second factor");
    let (_, page) = browser.get("/totp").await;
    let secret = page.split("<code class=\"secret\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert_eq!(browser.post_form("/totp", &[("code", "000000"), ("csrf", &csrf)]).await.0, 403, "a wrong code");
    let code = cncl_app::sign_in::code_for(&secret, s.app.now()).unwrap();
    assert_eq!(browser.post_form("/totp", &[("code", &code), ("csrf", &csrf)]).await.0, 303);
    assert_eq!(browser.get("/tasks").await.0, 200);

    // The next sign-in asks for the code, not for enrolment.
    let csrf = browser.csrf("/tasks").await;
    browser.post_form("/logout", &[("csrf", &csrf)]).await;
    clock.advance(Duration::seconds(60));
    let (_, location) = browser.sign_in("admin", "an admin password").await;
    assert_eq!(location, "/totp");
    let (_, page) = browser.get("/totp").await;
    assert!(!page.contains("class=\"secret\""), "the secret is not shown again");
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let code = cncl_app::sign_in::code_for(&secret, s.app.now()).unwrap();
    assert_eq!(browser.post_form("/totp", &[("code", &code), ("csrf", &csrf)]).await.0, 303);
    let (status, page) = browser.get("/funding").await;
    assert_eq!(status, 200);
    assert!(page.contains("href=\"/audit\""), "the office is offered the audit log");
}

#[tokio::test]
async fn accounts_unused_for_45_days_are_disabled() {
    let (s, clock) = server_with_clock().await;
    let user = viewer(&s).await;
    let mut browser = Browser::new(&s);
    assert_eq!(browser.sign_in(&user, "correct horse battery").await.0, 303);
    clock.advance(Duration::days(46));
    let (status, html) = browser.sign_in(&user, "correct horse battery").await;
    assert_eq!(status, 401);
    assert!(html.contains("45 ngày"), "{html}");
    assert!(s.app.store().account_by_username(&user).await.unwrap().unwrap().disabled);
}

#[tokio::test]
async fn revoked_and_expired_tokens_are_refused() {
    let (s, clock) = server_with_clock().await;
    let expires = s.app.now() + Duration::days(2);
    let (token, secret) =
        s.app.create_api_token(&admin(), "client", Role::Viewer, None, vec![], expires).await.unwrap();
    let client = client_with(&secret);
    assert_eq!(client.get(s.url("/api/v1/tasks")).send().await.unwrap().status().as_u16(), 200);
    clock.advance(Duration::days(3));
    assert_eq!(client.get(s.url("/api/v1/tasks")).send().await.unwrap().status().as_u16(), 401, "expired");
    let (other, other_secret) = s
        .app
        .create_api_token(&admin(), "other", Role::Viewer, None, vec![], s.app.now() + Duration::days(2))
        .await
        .unwrap();
    let response = s
        .client
        .post(s.url(&format!("/api/v1/api-tokens/{}/revoke", other.id)))
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(
        client_with(&other_secret).get(s.url("/api/v1/tasks")).send().await.unwrap().status().as_u16(),
        401,
        "revoked"
    );
    let listed = s.app.store().api_tokens().await.unwrap();
    assert!(listed.iter().all(|t| t.token_hash != other_secret && t.token_hash.len() == 64), "only hashes are stored");
    let _ = token;
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let (s, _) = server_with_clock().await;
    for path in ["/", "/api/v1/products", "/login", "/api/v1/tasks"] {
        let response = s.anonymous.get(s.url(path)).send().await.unwrap();
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'")
                && csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline"),
            "{path}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "same-origin");
    }
}

#[tokio::test]
async fn a_cookie_session_must_send_json_to_write() {
    let (s, _) = server_with_clock().await;
    let user = viewer(&s).await;
    let mut browser = Browser::new(&s);
    browser.sign_in(&user, "correct horse battery").await;
    let response = browser
        .client
        .post(s.url("/api/v1/state-st-spending"))
        .header("cookie", browser.header())
        .header("content-type", "text/plain")
        .body(r#"{"year":2026,"amount_vnd":1,"source_document":null}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
}

#[tokio::test]
async fn a_one_time_password_is_replaced_before_anything_else() {
    let (s, _) = server_with_clock().await;
    let generated = s.app.ensure_admin(None).await.unwrap().unwrap();
    let mut browser = Browser::new(&s);
    let (status, location) = browser.sign_in("admin", &generated).await;
    assert_eq!((status, location.as_str()), (303, "/password"));
    assert_eq!(browser.get("/totp").await.0, 303, "not even the second factor");
    let (status, _) = browser.get("/login").await;
    assert_eq!(status, 303, "signing in goes on where it stopped");
    let csrf = browser.csrf("/password").await;
    let (status, html) = browser.change_password(&csrf, &generated, "my own long secret", "my own long secreT").await;
    assert_eq!(status, 422);
    assert!(html.contains("Hai lần nhập mật khẩu mới không khớp."), "{html}");
    let (status, html) =
        browser.change_password(&csrf, "not the password", "my own long secret", "my own long secret").await;
    assert_eq!(status, 403);
    assert!(html.contains("mật khẩu hiện tại không đúng"), "{html}");
    let (status, html) = browser.change_password(&csrf, &generated, "too short", "too short").await;
    assert_eq!(status, 422);
    assert!(html.contains("ít nhất 12 ký tự"), "{html}");
    let (status, location) =
        browser.change_password(&csrf, &generated, "my own long secret", "my own long secret").await;
    assert_eq!((status, location.as_str()), (303, "/totp"), "then an admin sets up TOTP");

    let mut again = Browser::new(&s);
    assert_eq!(again.sign_in("admin", &generated).await.0, 401, "the one-time password is spent");
    assert_eq!(again.sign_in("admin", "my own long secret").await, (303, "/totp".to_owned()));
    let entries = s.app.audit_entries(&admin(), &Default::default(), 1, 50).await.unwrap().items;
    let log = serde_json::to_string(&entries).unwrap();
    assert!(!log.contains("argon2") && !log.contains("my own long secret"), "no secret reaches the log");
    let changed = entries.iter().find(|e| e.entity == "accounts" && e.action == "update").unwrap();
    assert_eq!(changed.before.as_ref().unwrap()["password_change_required"], true);
    assert!(changed.after.as_ref().unwrap().get("password_change_required").is_none());
}

#[tokio::test]
async fn changing_ones_password_signs_out_ones_other_sessions() {
    let (s, _) = server_with_clock().await;
    let mut here = signed_in(&s, "thu", Role::Viewer).await;
    let mut elsewhere = Browser::new(&s);
    assert_eq!(elsewhere.sign_in("thu", "a long enough password").await.0, 303);
    assert_eq!(elsewhere.get("/records").await.0, 200, "signed in twice");
    let csrf = here.csrf("/password").await;
    let before = here.cookie("cncl_session").unwrap();
    let (status, _) =
        here.change_password(&csrf, "a long enough password", "a new long password", "a new long password").await;
    assert_eq!(status, 303);
    assert_eq!(here.get("/records").await.0, 200, "the session that changed it goes on");
    let after = here.cookie("cncl_session").unwrap();
    assert_ne!(before, after, "under a new token");
    assert!(s.app.session(&before).await.is_err(), "the old token is spent");
    let (status, location) = elsewhere.get("/records").await;
    assert_eq!((status, location.as_str()), (303, ""), "the other one is signed out");
}

#[tokio::test]
async fn the_office_resets_a_lost_password() {
    let (s, _) = server_with_clock().await;
    let user = viewer(&s).await;
    let mut browser = Browser::new(&s);
    assert_eq!(browser.sign_in(&user, "correct horse battery").await.0, 303);
    assert_eq!(browser.get("/tasks").await.0, 200);
    let account = s.app.store().account_by_username(&user).await.unwrap().unwrap();
    let (status, reset) =
        s.send_json(reqwest::Method::POST, &format!("/api/v1/accounts/{}/reset-password", account.id), "").await;
    assert_eq!(status, 200, "{reset}");
    let password = reset["password"].as_str().unwrap().to_owned();
    assert_eq!(browser.get("/tasks").await.0, 303, "its sessions ended");
    assert_eq!(browser.sign_in(&user, "correct horse battery").await.0, 401);
    assert_eq!(browser.sign_in(&user, &password).await, (303, "/password".to_owned()));
}
