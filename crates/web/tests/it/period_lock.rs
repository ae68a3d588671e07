//! Approval locks the period: once the office approves a task's quarterly report, the
//! records of that quarter refuse changes (409, naming the report) from the API and from
//! import alike, until the office reopens the period with a reason.

use cncl_app::Role;
use cncl_domain::governance::ReportStatus;
use cncl_domain::task::BudgetLine;
use reqwest::Method;
use serde_json::json;

use crate::{TestServer, admin, client_with};

cncl_testkit::on_both_backends!(crate::TestServer::start =>
    an_approved_quarter_is_locked_until_the_office_reopens_it,
);

async fn an_approved_quarter_is_locked_until_the_office_reopens_it(s: &TestServer) {
    s.app.load_demo(&admin()).await.unwrap();
    let task = s.task_id("LLM-04").await;
    let q1 = s.report(task, 1).await;
    assert_eq!(q1.record.status, ReportStatus::Approved);
    let all = cncl_app::ListQuery { per_page: Some(cncl_app::records::MAX_PER_PAGE), ..Default::default() };
    let lines = s.app.list::<BudgetLine>(&admin(), &all).await.unwrap().items;
    let line = lines.iter().find(|l| l.record.task_id.as_uuid() == task && l.record.year.get() == 2026).unwrap().id;
    let disbursement = |on: &str| {
        json!({"budget_line_id": line, "disbursed_on": on, "amount_vnd": 1000, "document": null}).to_string()
    };

    // Dated in the approved first quarter: refused, naming the report and the date's field.
    let (status, refused) = s.send_json(Method::POST, "/api/v1/disbursements", &disbursement("2026-03-15")).await;
    assert_eq!(status, 409, "{refused}");
    let text = refused.to_string();
    assert!(text.contains(&q1.id.to_string()) && text.contains("LLM-04") && text.contains("disbursed_on"), "{text}");
    // The third quarter has no approved report.
    let (status, later) = s.send_json(Method::POST, "/api/v1/disbursements", &disbursement("2026-08-15")).await;
    assert_eq!(status, 201, "{later}");
    let id = later["id"].as_str().unwrap();
    // Moving it into the approved quarter is a change of that quarter.
    let (status, _) =
        s.send_json(Method::PUT, &format!("/api/v1/disbursements/{id}"), &disbursement("2026-02-01")).await;
    assert_eq!(status, 409);

    // Import obeys the same lock: the row moved into the first quarter is an error, and the
    // commit writes nothing.
    let exported = s.client.get(s.url("/api/v1/disbursements/export?format=csv&product=llm")).send().await.unwrap();
    let csv = exported.text().await.unwrap();
    let moved = csv.replacen("LLM-04 > 2026 > central_state,01/04/2026", "LLM-04 > 2026 > central_state,15/03/2026", 1);
    assert_ne!(moved, csv);
    let part = reqwest::multipart::Part::bytes(moved.into_bytes()).file_name("disbursements.csv");
    let preview: serde_json::Value = s
        .client
        .post(s.url("/api/v1/imports"))
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(preview["report"]["errors"].as_u64(), Some(1), "{preview}");
    assert!(preview.to_string().contains(&q1.id.to_string()), "the row's error names the report: {preview}");
    let commit = s
        .client
        .post(s.url(&format!("/api/v1/imports/{}/commit", preview["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap();
    assert_eq!(commit.status().as_u16(), 422, "a preview with errors is not committed");

    // Asked before the reopening, so that the obligations kept for this date must be
    // derived again after it.
    let q1_status = |compliance: &serde_json::Value| {
        let obligations = compliance["obligations"].as_array().unwrap();
        let q1 = obligations.iter().find(|o| o["subject_name"] == "LLM-04" && o["period"] == "2026Q1").unwrap();
        q1["status"].as_str().unwrap().to_owned()
    };
    let (_, before) = s.get_json("/api/v1/compliance?as_of=2026-11-30").await;
    assert!(["met_on_time", "met_late"].contains(&q1_status(&before).as_str()), "approved: {before}");

    // Only the office reopens, and only with a reason.
    let organisation = s.lead_organisation("LLM-04").await;
    let expires = chrono::Utc::now() + chrono::Duration::days(1);
    let (_, token) =
        s.app.create_api_token(&admin(), "lead", Role::Reporter, Some(organisation), vec![], expires).await.unwrap();
    let reopen = json!({"command": "reopen", "on": "2026-11-02", "reason": "Bổ sung chứng từ giải ngân quý 1"});
    let path = format!("/api/v1/progress-reports/{}/commands", q1.id);
    let by_reporter = client_with(&token).post(s.url(&path)).json(&reopen).send().await.unwrap();
    assert_eq!(by_reporter.status().as_u16(), 403);
    let (status, _) =
        s.send_json(Method::POST, &path, &json!({"command": "reopen", "on": "2026-11-02"}).to_string()).await;
    assert_eq!(status, 422, "a reopening needs its reason");
    let (status, reopened) = s.send_json(Method::POST, &path, &reopen.to_string()).await;
    assert_eq!((status, reopened["status"].as_str()), (200, Some("returned")), "{reopened}");
    let (_, events) = s.get_json(&format!("/api/v1/progress-reports/{}/events", q1.id)).await;
    let last = events.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["command"].as_str(), last["details"]["reason"].as_str()),
        (Some("reopen"), Some("Bổ sung chứng từ giải ngân quý 1"))
    );
    let (_, audit) = s.get_json("/api/v1/audit?entity=progress_reports").await;
    assert!(audit.to_string().contains("Bổ sung chứng từ giải ngân quý 1"), "the reason is in the audit log");

    // The quarter is open again; the obligation shows the report returned.
    let (status, _) = s.send_json(Method::POST, "/api/v1/disbursements", &disbursement("2026-03-15")).await;
    assert_eq!(status, 201);
    let (_, compliance) = s.get_json("/api/v1/compliance?as_of=2026-11-30").await;
    assert_eq!(q1_status(&compliance), "returned");
}
