//! Who owes which report: the compliance API and page on the demo, as the office and as a
//! reporter sees them.

use std::collections::BTreeMap;

use cncl_app::Role;

use crate::{TestServer, admin, client_with};

cncl_testkit::on_both_backends!(crate::TestServer::start =>
    the_demo_on_a_due_date_shows_every_status_and_the_rates,
    a_reporter_sees_only_what_its_organisation_owes,
    the_office_sets_how_an_account_is_reached,
);

async fn the_office_sets_how_an_account_is_reached(s: &TestServer) {
    let new = cncl_app::accounts::NewAccount {
        username: "ce".into(),
        display_name: "Kỹ sư trưởng".into(),
        role: Role::ChiefEngineer,
        organisation_id: None,
        products: vec!["llm".into()],
        password: None,
    };
    let (account, _) = s.app.create_account(&admin(), new).await.unwrap();
    let path = format!("/api/v1/accounts/{}/contact", account.id);
    let (status, body) =
        s.send_json(reqwest::Method::PUT, &path, r#"{"email": "not an address", "person_id": null}"#).await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("email"));
    let (status, _) =
        s.send_json(reqwest::Method::PUT, &path, r#"{"email": "ce@most.gov.vn", "person_id": null}"#).await;
    assert_eq!(status, 200);
    let (_, contact) = s.get_json(&path).await;
    assert_eq!(contact["email"], "ce@most.gov.vn");
    let (_, audit) = s.get_json("/api/v1/audit?entity=account_contacts").await;
    assert!(audit.to_string().contains("ce@most.gov.vn"), "the change is in the audit log: {audit}");
    let (_, verified) = s.get_json("/api/v1/audit/verify").await;
    assert!(verified["first_broken"].is_null() && verified["mismatched_rows"] == serde_json::json!([]), "{verified}");
    // A contact changed behind cncl's back is found.
    let sql = format!("update account_contacts set email = 'x@y.vn' where account_id = '{}'", account.id);
    s.db.tamper(&sql).await;
    let (_, verified) = s.get_json("/api/v1/audit/verify").await;
    assert!(verified["mismatched_rows"].to_string().contains("account_contacts"), "{verified}");
}

/// On 15 July 2026, the second quarter's due date: each product's tasks 3 and 4 reported
/// the first quarter (task 4 five days late, both approved); for the second, task 3's was
/// returned and task 4's awaits review; neither reported the quarter it was assigned in,
/// and the other running tasks reported nothing.
async fn the_demo_on_a_due_date_shows_every_status_and_the_rates(s: &TestServer) {
    s.app.load_demo(&admin()).await.unwrap();
    let (status, body) = s.get_json("/api/v1/compliance?as_of=2026-07-15").await;
    assert_eq!(status, 200, "{body}");
    // The obligations are kept per date: another date gives its own, and this one comes back.
    let (_, later) = s.get_json("/api/v1/compliance?as_of=2026-11-30").await;
    assert_ne!(later["obligations"], body["obligations"]);
    assert_eq!(s.get_json("/api/v1/compliance?as_of=2026-07-15").await.1, body);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for o in body["obligations"].as_array().unwrap() {
        assert_eq!(o["kind"], "task_progress", "models and training fall due in January 2027");
        *counts.entry(o["status"].as_str().unwrap().to_owned()).or_default() += 1;
    }
    let expected: BTreeMap<String, usize> =
        [("met_on_time", 6), ("met_late", 6), ("submitted", 6), ("returned", 6), ("missing", 90)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
    assert_eq!(counts, expected);
    // 114 due; 18 reported and standing; the 6 on time and the 6 awaiting review (sent on
    // 30 June) are on time.
    let programme = &body["programme"];
    assert_eq!(
        (programme["expected"].as_u64(), programme["reported"].as_u64(), programme["on_time"].as_u64()),
        (Some(114), Some(18), Some(12))
    );
    assert_eq!(body["by_product"].as_array().unwrap().len(), 6);
    let late = body["overdue"].as_array().unwrap();
    assert_eq!(late[0]["period"], "2025Q4", "the longest overdue first");
    assert_eq!(late[0]["days_late"], 181);
    let returned = body["obligations"].as_array().unwrap().iter().find(|o| o["status"] == "returned").unwrap();
    let task = s.task_id(returned["subject_name"].as_str().unwrap()).await;
    assert_eq!(
        returned["report"],
        s.report(task, 2).await.id.to_string(),
        "the returned report is the one answering it"
    );

    let page = s.client.get(s.url("/compliance?as_of=2026-07-15")).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    for label in ["Đúng hạn", "Nộp muộn", "Chờ duyệt", "Bị trả lại", "Chưa nộp"] {
        assert!(html.contains(&format!("\">{label}</a></td>")), "a {label} cell links: {html}");
    }
    assert!(html.contains(&format!("href=\"/records/progress-reports/{}\"", returned["report"].as_str().unwrap())));
    let missing = format!("href=\"/records/progress-reports/new?task_id={task}&#38;year=2025&#38;quarter=4\"");
    assert!(html.contains(&missing), "a missing report opens its form, filled in: {html}");
    assert!(html.contains("15,8 %"), "the programme's reporting rate, 18 of 114: {html}");
    assert!(html.contains("10,5 %"), "the on-time rate, 12 of 114");
    let english =
        s.client.get(s.url("/compliance?as_of=2026-07-15&lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(english.contains("Met late") && english.contains("15.8 %"), "{english}");
    // The form the missing cell opens comes filled in with the task and quarter.
    let form = s
        .client
        .get(s.url(&format!("/records/progress-reports/new?task_id={task}&year=2025&quarter=4")))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status().as_u16(), 200);
    // The scorecard names, beside each figure resting on reports, how many are missing: the
    // LLM's research criteria rest on its tasks' progress reports (15 missing on the date).
    let card = s.client.get(s.url("/scorecard?as_of=2026-07-15")).send().await.unwrap().text().await.unwrap();
    let llm =
        "<a class=\"missing-reports\" href=\"/compliance?as_of=2026-07-15&#38;product=llm\">15 báo cáo chưa nộp</a>";
    assert_eq!(card.matches(llm).count(), 4, "C4 to C7: {card}");
    let public = s.anonymous.get(s.url("/scorecard?as_of=2026-07-15")).send().await.unwrap().text().await.unwrap();
    assert!(!public.contains("missing-reports"), "visitors see the figures only");
    // Nobody signed in: asked to sign in.
    let (status, _) = {
        let r = s.anonymous.get(s.url("/api/v1/compliance")).send().await.unwrap();
        (r.status().as_u16(), ())
    };
    assert_eq!(status, 401);
}

async fn a_reporter_sees_only_what_its_organisation_owes(s: &TestServer) {
    s.app.load_demo(&admin()).await.unwrap();
    let (_, all) = s.get_json("/api/v1/compliance?as_of=2026-07-15").await;
    let returned = all["obligations"].as_array().unwrap().iter().find(|o| o["status"] == "returned").unwrap().clone();
    let organisation: uuid::Uuid = returned["organisation"].as_str().unwrap().parse().unwrap();
    let owed_by_it =
        all["obligations"].as_array().unwrap().iter().filter(|o| o["organisation"] == returned["organisation"]).count();
    let expires = chrono::Utc::now() + chrono::Duration::days(1);
    let (_, token) = s
        .app
        .create_api_token(&admin(), "reporter", Role::Reporter, Some(organisation), vec![], expires)
        .await
        .unwrap();
    let reporter = client_with(&token);
    let mine: serde_json::Value =
        reporter.get(s.url("/api/v1/compliance?as_of=2026-07-15")).send().await.unwrap().json().await.unwrap();
    let mine = mine["obligations"].as_array().unwrap();
    assert_eq!(mine.len(), owed_by_it);
    assert!(owed_by_it > 0 && owed_by_it < 114);
    assert!(mine.iter().all(|o| o["organisation"] == returned["organisation"]));
    let page = reporter.get(s.url("/compliance?as_of=2026-07-15")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Các báo cáo tổ chức của bạn phải nộp"), "{page}");
    assert!(page.contains(returned["subject_name"].as_str().unwrap()));
}

/// A reporter signed in sees what its organisation owes on its home page, and its
/// reminders under Notifications with the unread count beside the link.
#[tokio::test]
async fn a_reporter_sees_what_it_owes_and_its_reminders() {
    use chrono::TimeZone;
    let clock = cncl_testkit::TestClock::at(chrono::Utc.with_ymd_and_hms(2026, 10, 8, 2, 0, 0).unwrap());
    let s = TestServer::start_with_clock(cncl_store::Backend::Sqlite, std::sync::Arc::new(clock)).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    let organisation = s.lead_organisation("LLM-04").await;
    let mut reporter = crate::sessions::signed_in_for(&s, "bao-cao", Role::Reporter, Some(organisation)).await;
    let (_, home) = reporter.get("/").await;
    let owed = home.split("<section class=\"owed\">").nth(1).unwrap().split("</section>").next().unwrap().to_owned();
    assert!(
        owed.contains("LLM-04")
            && owed.contains("2026Q3")
            && owed.contains("15/10/2026")
            && owed.contains("Chưa đến hạn"),
        "{owed}"
    );
    assert!(owed.contains("2025Q4") && owed.contains("Chưa nộp"), "the overdue fourth quarter of 2025: {owed}");
    assert!(!owed.contains("Đúng hạn"), "what was approved is not outstanding");
    assert!(!home.contains("class=\"badge unread\""), "nothing told yet");
    let tasks = home.split("<ul class=\"own-tasks\">").nth(1).unwrap().split("</ul>").next().unwrap().to_owned();
    assert!(tasks.contains(">LLM-04</a>"), "its own tasks: {tasks}");
    assert!(!home.contains("<ul class=\"due\">") && !home.contains("Cảnh báo của Văn phòng"), "not the office's");

    let planned = s.app.plan_reminders(s.app.today()).await.unwrap();
    let worker = cncl_app::jobs::Worker { name: "test".into(), mailer: None, base_url: s.base.clone() };
    assert_eq!(s.app.work_jobs(&worker).await.unwrap(), planned);
    let (_, home) = reporter.get("/").await;
    let badge = home
        .split("class=\"badge unread\"")
        .nth(1)
        .unwrap()
        .split('>')
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let unread: usize = badge.parse().unwrap();
    assert!(unread >= 2, "{badge}");
    let (_, list) = reporter.get("/notifications").await;
    assert_eq!(list.matches("<li class=\"unread\">").count(), unread);
    assert!(list.contains("Sắp đến hạn nộp báo cáo: Báo cáo tiến độ quý của nhiệm vụ — LLM-04 — kỳ 2026Q3"), "{list}");
    let csrf = reporter.csrf("/notifications").await;
    assert_eq!(reporter.post_form("/notifications", &[("csrf", &csrf)]).await.0, 303);
    let (_, list) = reporter.get("/notifications").await;
    assert_eq!(list.matches("<li class=\"unread\">").count(), 0);
    assert!(!list.contains("class=\"badge unread\""));
}
