//! What an attacker probing over loopback found, each pinned by a test that fails without its
//! fix (issue 9).

use cncl_domain::EntityKind;
use cncl_testkit::samples::{insert_one_of_each, sample};
use reqwest::Method;
use serde_json::json;

use crate::TestServer;

cncl_testkit::on_both_backends!(crate::TestServer::start =>
    dates_outside_the_window_are_refused_naming_the_parameter,
    dates_outside_the_window_are_refused_in_bodies,
    refusals_come_before_parsing_and_never_reveal_what_lies_outside_reach,
    a_filter_value_is_matched_literally,
);

async fn dates_outside_the_window_are_refused_naming_the_parameter(s: &TestServer) {
    for path in ["/api/v1/scorecard", "/scorecard", "/api/v1/funding", "/api/v1/warnings", "/governance"] {
        for date in ["%2B262142-12-31", "9999-12-31", "-0001-01-01", "1900-01-01"] {
            let response = s.anonymous.get(s.url(&format!("{path}?as_of={date}"))).send().await.unwrap();
            let status = response.status().as_u16();
            let body = response.text().await.unwrap();
            assert_eq!(status, 422, "{path}?as_of={date}: {body}");
            if path.starts_with("/api/") {
                assert!(body.contains("as_of") && body.contains("2100-12-31"), "{path}?as_of={date}: {body}");
            } else {
                assert!(body.contains("<h1>Dữ liệu không hợp lệ</h1>") && body.contains("2100"), "a page: {body}");
            }
        }
        if path.starts_with("/api/") {
            let (status, body) = s.get_json(&format!("{path}?as_of=31-12-2026")).await;
            assert_eq!((status, body["field"].as_str()), (400, Some("as_of")), "{path}: malformed");
        } else {
            let response = s.anonymous.get(s.url(&format!("{path}?as_of=31-12-2026&lang=en"))).send().await.unwrap();
            assert_eq!(response.status().as_u16(), 400, "{path}: malformed");
            let page = response.text().await.unwrap();
            assert!(page.contains("<h1>The request is not valid</h1>"), "{path}: a page in English: {page}");
        }
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

/// Post a wrong password for `username` to the sign-in form, as a browser at `forwarded_for`
/// behind the proxy (or straight, when `None`); the status and `Retry-After`.
async fn wrong_sign_in(s: &TestServer, username: &str, forwarded_for: Option<&str>) -> (u16, Option<String>) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = client.get(s.url("/login")).send().await.unwrap();
    let cookie = page.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let html = page.text().await.unwrap();
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let mut request = client.post(s.url("/login")).header("cookie", cookie).form(&[
        ("username", username),
        ("password", "a wrong guess!!"),
        ("csrf", &csrf),
    ]);
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address).header("x-forwarded-proto", "https");
    }
    let response = request.send().await.unwrap();
    let retry = response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
    (response.status().as_u16(), retry)
}

#[tokio::test]
async fn a_throttled_sign_in_page_says_when_to_retry() {
    let s = TestServer::start(cncl_store::Backend::Sqlite).await.unwrap();
    for _ in 0..5 {
        assert_eq!(wrong_sign_in(&s, "someone", None).await.0, 401);
    }
    let (status, retry) = wrong_sign_in(&s, "someone", None).await;
    assert_eq!(status, 429);
    let seconds: u64 = retry.expect("Retry-After").parse().unwrap();
    assert!((1..=900).contains(&seconds), "{seconds}");
}

#[tokio::test]
async fn forwarded_addresses_count_only_from_a_trusted_proxy() {
    let clock = std::sync::Arc::new(cncl_app::policy::SystemClock);
    let loopback = "127.0.0.1".parse().unwrap();
    let behind_proxy = cncl_web::client::WebConfig { trusted_proxies: vec![loopback], ..Default::default() };
    let s = TestServer::start_with(cncl_store::Backend::Sqlite, clock.clone(), behind_proxy).await.unwrap();
    for _ in 0..5 {
        assert_eq!(wrong_sign_in(&s, "someone", Some("203.0.113.1")).await.0, 401);
    }
    assert_eq!(wrong_sign_in(&s, "someone", Some("203.0.113.1")).await.0, 429, "that client is throttled");
    assert_eq!(wrong_sign_in(&s, "someone", Some("203.0.113.2")).await.0, 401, "another behind the proxy is not");
    let hsts = reqwest::Client::new()
        .get(s.url("/"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap()
        .headers()
        .get("strict-transport-security")
        .map(|v| v.to_str().unwrap().to_owned());
    assert_eq!(hsts.as_deref(), Some("max-age=31536000"), "served over TLS by the proxy");

    // Without a trusted proxy the header is the client's own claim and changes nothing.
    let s = TestServer::start_with(cncl_store::Backend::Sqlite, clock, Default::default()).await.unwrap();
    for i in 0..5 {
        assert_eq!(wrong_sign_in(&s, "someone", Some(&format!("203.0.113.{i}"))).await.0, 401);
    }
    assert_eq!(wrong_sign_in(&s, "someone", Some("203.0.113.99")).await.0, 429, "a forged header is ignored");
    let plain = reqwest::Client::new().get(s.url("/")).header("x-forwarded-proto", "https").send().await.unwrap();
    assert!(plain.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn a_saved_form_returns_only_to_this_site_and_never_fails_on_its_way_back() {
    let s = TestServer::start(cncl_store::Backend::Sqlite).await.unwrap();
    s.app.load_demo(&crate::admin()).await.unwrap();
    let task = s.task_id("LLM-05").await.to_string();
    let mut office = crate::sessions::signed_in_admin(&s).await;
    let csrf = office.csrf("/records/budget-lines/new").await;
    for (back, expected) in [
        ("/%09/evil.example/x", "/%09/evil.example/x"),
        ("/\t/evil.example/x", ""),
        ("/\\evil.example/x", ""),
        ("//evil.example/x", ""),
        ("/\u{b}/x", "/%0B/x"),
    ] {
        let form = [
            ("back", back),
            ("task_id", task.as_str()),
            ("year", "2029"),
            ("source", "private"),
            ("amount_vnd", "1000000"),
            ("csrf", csrf.as_str()),
        ];
        let (status, location) = office.post_form("/records/budget-lines/new", &form).await;
        assert_eq!(status, 303, "{back:?}: saved, and a redirect");
        if expected.is_empty() {
            assert!(location.starts_with("/records/budget-lines/"), "{back:?} → {location}: the record's own page");
            assert!(location.ends_with("#saved"), "{back:?} → {location}: saying it was saved");
        } else {
            assert_eq!(location, format!("{expected}#saved"), "{back:?}");
        }
    }
}

async fn refusals_come_before_parsing_and_never_reveal_what_lies_outside_reach(s: &TestServer) {
    use cncl_app::Role;
    s.app.load_demo(&crate::admin()).await.unwrap();
    let expires = s.app.now() + chrono::Duration::days(1);
    let token = |role: Role, organisation| {
        let app = s.app.clone();
        async move {
            let (_, secret) = app
                .create_api_token(&crate::admin(), role.as_str(), role, organisation, vec![], expires)
                .await
                .unwrap();
            crate::client_with(&secret)
        }
    };
    let send = |client: reqwest::Client, method: Method, path: String, body: &'static str| async move {
        let response = client
            .request(method, s.url(&path))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json::<serde_json::Value>().await.unwrap_or_default())
    };
    let task = s.task_id("LLM-05").await;
    let writes = [
        (Method::POST, "/api/v1/budget-lines".to_owned()),
        (Method::PUT, "/api/v1/budget-lines/not-a-uuid".to_owned()),
        (Method::POST, format!("/api/v1/tasks/{task}/commands")),
        (Method::POST, "/api/v1/tasks/not-a-uuid/commands".to_owned()),
        (Method::POST, "/api/v1/progress-reports/not-a-uuid/commands".to_owned()),
        (Method::POST, "/api/v1/proposals/not-a-uuid/select".to_owned()),
        (Method::POST, "/api/v1/accounts".to_owned()),
    ];
    let viewer = token(Role::Viewer, None).await;
    for (method, path) in &writes {
        for body in ["{", "{}", r#"{"command":"start","on":"9999-01-01"}"#] {
            let (status, _) = send(s.anonymous.clone(), method.clone(), path.clone(), body).await;
            assert_eq!(status, 401, "anonymous {method} {path} {body}");
            let (status, _) = send(viewer.clone(), method.clone(), path.clone(), body).await;
            assert_eq!(status, 403, "viewer {method} {path} {body}");
        }
    }

    // A reporter naming a task it may not see hears what it would hear of no task at all.
    let own = s.lead_organisation("LLM-05").await;
    let reporter = token(Role::Reporter, Some(own)).await;
    let all = cncl_app::ListQuery { per_page: Some(500), ..Default::default() };
    let tasks = s.app.list::<cncl_domain::task::Task>(&crate::admin(), &all).await.unwrap().items;
    let mut other = None;
    for t in &tasks {
        let response = reporter.get(s.url(&format!("/api/v1/tasks/{}", t.id))).send().await.unwrap();
        if response.status() == 404 && t.record.status.as_str() == "in_progress" {
            other = Some(t.id);
            break;
        }
    }
    let other = other.expect("a task of another organisation");
    let publication = |task: cncl_domain::ids::TaskId| {
        json!({"task_id": task, "title": "Bài báo", "journal": "Tạp chí", "issn": "1859-4794", "accredited": true,
               "published_on": "2026-09-01", "doi": null})
    };
    let post = |value: serde_json::Value| {
        reporter.post(s.url("/api/v1/publications")).header("content-type", "application/json").body(value.to_string())
    };
    let nobody = uuid::Uuid::now_v7();
    let existing = post(publication(other)).send().await.unwrap();
    let (existing_status, existing) = (existing.status().as_u16(), existing.json::<serde_json::Value>().await.unwrap());
    let missing = post(publication(nobody.into())).send().await.unwrap();
    let (missing_status, missing) = (missing.status().as_u16(), missing.json::<serde_json::Value>().await.unwrap());
    assert_eq!((existing_status, missing_status), (422, 422), "{existing} {missing}");
    assert_eq!(
        existing["message"].as_str().map(|m| m.replace(&other.to_string(), "…")),
        missing["message"].as_str().map(|m| m.replace(&nobody.to_string(), "…")),
        "the same answer"
    );

    // A proposal for a task it may not read is refused without naming that task's status.
    let person = json!({"full_name": "Trần Văn Đề", "organisation_id": own, "roles": ["task_lead"],
        "expert_origin": "domestic", "title": null});
    let (status, person) = s.send_json(Method::POST, "/api/v1/people", &person.to_string()).await;
    assert_eq!(status, 201, "{person}");
    let person = person["id"].as_str().unwrap().to_owned();
    let proposal = json!({"task_id": other, "organisation_id": own, "lead_person_id": person, "title": "Đề xuất",
        "summary": null, "submitted_on": "2026-01-01", "status": "submitted"});
    let response = reporter
        .post(s.url("/api/v1/proposals"))
        .header("content-type", "application/json")
        .body(proposal.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 409);
    let body = response.text().await.unwrap();
    assert!(!body.contains("in_progress") && !body.contains("in progress"), "{body}");
}

#[tokio::test]
async fn a_reporter_sees_on_pages_and_in_evidence_only_what_the_api_shows_it() {
    use cncl_app::Role;
    let s = TestServer::start(cncl_store::Backend::Sqlite).await.unwrap();
    s.app.load_demo(&crate::admin()).await.unwrap();
    let today = s.app.today();
    // A task with a partner besides its lead, seen by the partner's reporter.
    let all = cncl_app::ListQuery { per_page: Some(500), ..Default::default() };
    let tasks = s.app.list::<cncl_domain::task::Task>(&crate::admin(), &all).await.unwrap().items;
    let mut found = None;
    for task in &tasks {
        let dossier = s.app.task_dossier(&crate::admin(), task.id, today).await.unwrap();
        let partner = dossier.participants.iter().find(|p| p.participant.record.role.as_str() != "lead");
        if let Some(partner) = partner {
            found = Some((task.id, partner.participant.record.organisation_id.as_uuid(), dossier));
            break;
        }
    }
    let (task, partner, dossier) = found.expect("a task with a partner");
    let mut reporter = crate::sessions::signed_in_for(&s, "doi-tac", Role::Reporter, Some(partner)).await;
    let (status, html) = reporter.get(&format!("/tasks/{task}")).await;
    assert_eq!(status, 200);
    for other in
        dossier.participants.iter().filter_map(|p| p.organisation.as_ref()).filter(|o| o.id.as_uuid() != partner)
    {
        assert!(!html.contains(other.record.name.as_str()), "{} is shown to another organisation", other.record.name);
    }
    if let Some(lead) = dossier.lead_person.filter(|p| p.record.organisation_id.map(|o| o.as_uuid()) != Some(partner)) {
        assert!(!html.contains(lead.record.full_name.as_str()), "the lead person of another organisation is shown");
    }

    // Evidence: only records the reporter's API shows, with every figure's counts kept; for
    // two organisations in turn and the first again, since each reach's cut is kept for the
    // next reader with the same reach.
    let (_, full) = s.get_json("/api/v1/scorecard").await;
    let figures = |card: &serde_json::Value| -> Vec<serde_json::Value> {
        let products =
            card["products"].as_array().unwrap().iter().flat_map(|p| p["results"].as_array().unwrap().clone());
        products.chain(card["programme"].as_array().unwrap().iter().cloned()).collect()
    };
    let mut withheld = 0;
    let mismatches = |figure: &serde_json::Value| figure["materials_mismatches"].as_array().unwrap().clone();
    let warned: Vec<serde_json::Value> = figures(&full).iter().flat_map(mismatches).collect();
    assert_eq!(warned.len(), 1, "the demo's one mismatch");
    let (_, warned_model) =
        s.get_json(&format!("/api/v1/product-models/{}", warned[0]["model"].as_str().unwrap())).await;
    // The second reader: the maker of the model warned about, who sees the warning.
    let maker = warned_model["maker_id"].as_str().and_then(|id| uuid::Uuid::parse_str(id).ok()).unwrap();
    assert_ne!(maker, partner);
    // Both tokens made first: a token is a write, after which no cut is reused.
    let mut clients = Vec::new();
    for (organisation, name) in [(partner, "partner"), (maker, "maker")] {
        let expires = s.app.now() + chrono::Duration::days(1);
        let admin = crate::admin();
        let made = s.app.create_api_token(&admin, name, Role::Reporter, Some(organisation), vec![], expires);
        clients.push((organisation, crate::client_with(&made.await.unwrap().1)));
    }
    for (organisation, client) in [&clients[0], &clients[1], &clients[0]] {
        let card: serde_json::Value =
            client.get(s.url("/api/v1/scorecard")).send().await.unwrap().json().await.unwrap();
        let makes_it = warned_model["maker_id"].as_str() == Some(organisation.to_string().as_str());
        let seen = figures(&card).iter().map(|f| mismatches(f).len()).sum::<usize>();
        assert_eq!(seen, usize::from(makes_it), "a mismatch is shown only to who may read the model");
        for (mine, theirs) in figures(&card).iter().zip(figures(&full)) {
            for warning in mismatches(mine) {
                let path = format!("/api/v1/product-models/{}", warning["model"].as_str().unwrap());
                assert_eq!(
                    client.get(s.url(&path)).send().await.unwrap().status(),
                    200,
                    "{path} warned but not readable"
                );
            }
            for side in ["numerator", "denominator"] {
                let listed = mine["evidence"][side].as_array().unwrap();
                let hidden = mine["evidence"][format!("{side}_withheld")].as_u64().unwrap() as usize;
                assert_eq!(listed.len() + hidden, theirs["evidence"][side].as_array().unwrap().len(), "counts kept");
                withheld += hidden;
                for record in listed {
                    let path =
                        format!("/api/v1/{}/{}", record["kind"].as_str().unwrap(), record["id"].as_str().unwrap());
                    assert_eq!(
                        client.get(s.url(&path)).send().await.unwrap().status(),
                        200,
                        "{path} listed but not readable"
                    );
                }
            }
        }
    }
    assert!(withheld > 0, "the demo has records of other organisations behind the figures");
}

async fn a_filter_value_is_matched_literally(s: &TestServer) {
    s.app.load_demo(&crate::admin()).await.unwrap();
    let (_, all) = s.get_json("/api/v1/strategic-industries").await;
    assert!(all["total"].as_i64().unwrap() > 0);
    let (_, llm) = s.get_json("/api/v1/strategic-industries?product=llm").await;
    assert!(llm["total"].as_i64().unwrap() > 0);
    for wildcard in ["%25", "_", "%25llm%25", "l_m", "%5C"] {
        let (status, found) = s.get_json(&format!("/api/v1/strategic-industries?product={wildcard}")).await;
        assert_eq!((status, found["total"].as_i64()), (200, Some(0)), "{wildcard}: {found}");
    }
}
