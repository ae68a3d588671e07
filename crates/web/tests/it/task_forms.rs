//! Lifecycle commands from the task page: only the commands the visitor may give are
//! offered; a posted command needs the form's CSRF token, is applied and recorded, and a
//! refused one shows the page again with the reason.

use cncl_app::{ListQuery, Role};
use cncl_domain::task::Task;
use cncl_store::{Backend, ListFilter};

use crate::sessions::{signed_in, signed_in_admin};
use crate::{TestServer, admin};

fn forms(html: &str) -> Vec<&str> {
    html.split("<input type=\"hidden\" name=\"command\" value=\"").skip(1).filter_map(|f| f.split('"').next()).collect()
}

#[tokio::test]
async fn the_task_force_accepts_a_submitted_task_from_its_page() {
    let s = TestServer::start(Backend::Sqlite).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    let submitted = s.task_id("LLM-06").await;
    let page = format!("/tasks/{submitted}");
    let action = format!("{page}/commands");

    let mut viewer = signed_in(&s, "thu", Role::Viewer).await;
    let (status, html) = viewer.get(&page).await;
    assert_eq!(status, 200);
    assert!(forms(&html).is_empty(), "a viewer is offered nothing");
    assert!(!html.contains("class=\"fix\"") && !html.contains("class=\"add\""), "nor links to change records");

    let mut task_force = signed_in(&s, "to", Role::TaskForce).await;
    let (_, html) = task_force.get(&page).await;
    assert_eq!(forms(&html), ["accept", "reject"], "not cancel: that is the office's");
    // Rejecting ends the task for good: its form opens only on a first click, saying so.
    let reject = html.split("<details class=\"confirm command\"><summary>Nghiệm thu không đạt…</summary>").nth(1);
    let reject = reject.expect("reject asks for confirmation").split("</details>").next().unwrap();
    assert!(reject.contains("không hoàn tác được") && reject.contains("value=\"reject\""), "{reject}");
    assert_eq!(
        html.matches("<details class=\"confirm command\">").count(),
        1,
        "only reject; accepting needs no second click"
    );
    let csrf = task_force.csrf(&page).await;
    let accept = [("command", "accept"), ("on", "2026-11-20"), ("accepting_body", "Hội đồng nghiệm thu cấp Bộ")];
    let (status, _) = task_force.post_form(&action, &accept).await;
    assert_eq!(status, 403, "no CSRF token");
    fn with_token<'a>(form: &[(&'a str, &'a str)], csrf: &'a str) -> Vec<(&'a str, &'a str)> {
        form.iter().copied().chain([("csrf", csrf)]).collect()
    }
    let (status, location) = task_force.post_form(&action, &with_token(&accept, "forged")).await;
    assert_eq!(status, 403, "{location}");
    assert_eq!(s.app.get::<Task>(&admin(), submitted.into()).await.unwrap().record.status.as_str(), "submitted");

    let (status, location) = task_force.post_form(&action, &with_token(&accept, &csrf)).await;
    assert_eq!((status, location.as_str()), (303, page.as_str()));
    let task = s.app.get::<Task>(&admin(), submitted.into()).await.unwrap().record;
    assert_eq!(
        (task.status.as_str(), task.accepted_on.map(|d| d.to_string())),
        ("accepted", Some("2026-11-20".into()))
    );
    let (_, html) = task_force.get(&page).await;
    assert!(forms(&html).is_empty(), "an accepted task is closed");
    assert!(html.contains("Nghiệm thu đạt"), "the history shows the command");

    // Posted again (a stale page), the refusal names the state and the page is shown again.
    let (status, html) = task_force.post_form(&action, &with_token(&accept, &csrf)).await;
    assert_eq!(status, 409);
    assert!(html.contains("role=\"alert\"") && html.contains("cannot be moved to accepted"), "{html}");
}

#[tokio::test]
async fn an_assignment_without_the_7_clear_is_refused_listing_what_is_missing() {
    let s = TestServer::start(Backend::Sqlite).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    let draft = s.task_id("LLM-01").await;
    let page = format!("/tasks/{draft}");
    let mut office = signed_in_admin(&s).await;
    let (_, html) = office.get(&page).await;
    assert_eq!(forms(&html), ["order", "assign", "cancel"]);
    assert!(html.contains("Chưa có tổ chức tham gia"), "assigning needs participants first");

    let ordered = s.task_id("LLM-02").await;
    let participants = ListQuery { filter: ListFilter::default(), per_page: Some(1), ..ListQuery::default() };
    let organisation =
        s.app.list::<cncl_domain::organisation::Organisation>(&admin(), &participants).await.unwrap().items.remove(0);
    let person =
        s.app.list::<cncl_domain::organisation::Person>(&admin(), &participants).await.unwrap().items.remove(0);
    let csrf = office.csrf(&page).await;
    let assign = [
        ("csrf", csrf.as_str()),
        ("command", "assign"),
        ("lead_organisation_id", &organisation.id.to_string()),
        ("lead_person_id", &person.id.to_string()),
        ("on", "2026-11-20"),
    ];
    let (status, html) = office.post_form(&format!("{page}/commands"), &assign).await;
    assert_eq!(status, 422, "{html}");
    let alert = html.split("role=\"alert\">").nth(1).unwrap().split('<').next().unwrap();
    assert!(alert.starts_with("Bảy rõ: ") && alert.contains("Rõ thẩm quyền"), "{alert}");
    assert_eq!(
        s.app.get::<Task>(&admin(), draft.into()).await.unwrap().record.status.as_str(),
        "draft",
        "nothing written"
    );

    // An ordered task's participating organisations are offered as its lead.
    let (_, html) = office.get(&format!("/tasks/{ordered}")).await;
    assert!(forms(&html).contains(&"assign"));
    assert!(!html.contains("Chưa có tổ chức tham gia"));
    assert!(html.contains("name=\"lead_organisation_id\" required><option value=\""));

    let order = [
        ("csrf", csrf.as_str()),
        ("command", "order"),
        ("problem", "Làm chủ"),
        ("expected_product", "Mô hình"),
        ("budget_ceiling_vnd", "12.000.000.000"),
        ("deadline", "2027-12-31"),
    ];
    let (status, location) = office.post_form(&format!("{page}/commands"), &order).await;
    assert_eq!((status, location.as_str()), (303, page.as_str()));
    let task = s.app.get::<Task>(&admin(), draft.into()).await.unwrap().record;
    assert_eq!(task.budget_ceiling_vnd.map(|v| v.get()), Some(12_000_000_000), "digit grouping is dropped");
}

/// The forms on a page, each as where it posts and the command it sends.
fn targets(html: &str) -> Vec<(String, String)> {
    html.split("<form class=\"command\" method=\"post\" action=\"")
        .skip(1)
        .map(|form| {
            let action = form.split('"').next().unwrap_or_default().to_owned();
            let body = form.split("</form>").next().unwrap_or_default();
            (action, forms(body).first().map_or(String::new(), |c| (*c).to_owned()))
        })
        .collect()
}

/// A report's id and status.
async fn report_of(s: &TestServer, task: uuid::Uuid, quarter: u8) -> (uuid::Uuid, String) {
    let report = s.report(task, quarter).await;
    (report.id.as_uuid(), report.record.status.as_str().to_owned())
}

#[tokio::test]
async fn the_office_returns_and_approves_a_progress_report_from_the_task_page() {
    let s = TestServer::start(Backend::Sqlite).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    let task = s.task_id("LLM-05").await;
    let page = format!("/tasks/{task}");
    let (report, status) = report_of(&s, task, 2).await;
    assert_eq!(status, "submitted", "the demo leaves the second quarter awaiting review");
    let action = format!("/progress-reports/{report}/commands");

    // The first account is the office's; the Task Force's comes after it.
    let mut office = signed_in_admin(&s).await;
    let mut task_force = signed_in(&s, "to", Role::TaskForce).await;
    let (_, html) = task_force.get(&page).await;
    assert!(!targets(&html).iter().any(|(a, _)| a.starts_with("/progress-reports/")), "the office reviews");

    let (_, html) = office.get(&page).await;
    let offered: Vec<_> = targets(&html).into_iter().filter(|(a, _)| a.starts_with("/progress-reports/")).collect();
    let (first, _) = report_of(&s, task, 1).await;
    let reopen = (format!("/progress-reports/{first}/commands"), "reopen".to_owned());
    assert_eq!(offered, [reopen, (action.clone(), "approve".to_owned()), (action.clone(), "return".to_owned())]);
    assert!(html.contains("Mở lại kỳ báo cáo — 2026 Q1"), "the approved quarter can be reopened, with a reason");
    assert!(html.contains("Trả lại — 2026 Q2"), "the form names the quarter");

    let csrf = office.csrf(&page).await;
    let no_reason = [("csrf", csrf.as_str()), ("command", "return"), ("on", "2026-07-10")];
    let (code, html) = office.post_form(&action, &no_reason).await;
    assert_eq!(code, 422, "{html}");
    assert!(html.split("role=\"alert\">").nth(1).unwrap().contains("reason"), "the missing field is named");
    assert_eq!(report_of(&s, task, 2).await.1, "submitted", "nothing written");

    let returned = [("csrf", csrf.as_str()), ("command", "return"), ("on", "2026-07-10"), ("reason", "Thiếu hóa đơn")];
    let (code, location) = office.post_form(&action, &returned).await;
    assert_eq!((code, location.as_str()), (303, page.as_str()));
    assert_eq!(report_of(&s, task, 2).await.1, "returned");
    let (_, html) = office.get(&page).await;
    assert!(html.contains("Thiếu hóa đơn"), "the reason is shown");
    assert!(targets(&html).contains(&(action.clone(), "submit".to_owned())), "a returned report is submitted again");

    for (command, on) in [("submit", "2026-07-15"), ("approve", "2026-07-20")] {
        let form = [("csrf", csrf.as_str()), ("command", command), ("on", on)];
        assert_eq!(office.post_form(&action, &form).await.0, 303, "{command}");
    }
    assert_eq!(report_of(&s, task, 2).await.1, "approved");
    let (_, html) = office.get(&page).await;
    let left: Vec<String> = targets(&html).into_iter().filter(|(a, _)| a == &action).map(|(_, c)| c).collect();
    assert_eq!(left, ["reopen"], "an approved report is only reopened");
    let (code, html) =
        office.post_form(&action, &[("csrf", &csrf), ("command", "approve"), ("on", "2026-07-21")]).await;
    assert_eq!(code, 409, "{html}");
}

#[tokio::test]
async fn the_office_selects_a_tied_proposal_from_the_task_page() {
    let s = TestServer::start(Backend::Sqlite).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    let task = s.task_id("LLM-02").await;
    let page = format!("/tasks/{task}");
    let ranking = s.app.ranking(&admin(), task.into()).await.unwrap();
    assert_eq!(ranking[0].ranking.rank, ranking[1].ranking.rank, "the demo has a tie");
    let chosen = &ranking[1].proposal;

    let mut office = signed_in_admin(&s).await;
    let mut task_force = signed_in(&s, "to", Role::TaskForce).await;
    let (_, html) = task_force.get(&page).await;
    assert!(!html.contains("/select\""), "selection is the office's");

    let (_, html) = office.get(&page).await;
    let selects: Vec<String> =
        targets(&html).into_iter().map(|(a, _)| a).filter(|a| a.starts_with("/proposals/")).collect();
    let expected: Vec<String> = ranking.iter().map(|r| format!("/proposals/{}/select", r.proposal.id)).collect();
    assert_eq!(selects, expected, "every submitted proposal, in rank order");
    for r in &ranking {
        assert!(html.contains(&format!("/records/proposal-reviews/new?proposal_id={}", r.proposal.id)), "scored here");
    }

    let csrf = office.csrf(&page).await;
    let action = format!("/proposals/{}/select", chosen.id);
    let (code, html) = office.post_form(&action, &[("csrf", &csrf), ("on", "31/02/2026")]).await;
    assert_eq!(code, 422, "{html}");
    assert_eq!(s.app.get::<Task>(&admin(), task.into()).await.unwrap().record.status.as_str(), "ordered");

    let (code, location) = office.post_form(&action, &[("csrf", &csrf), ("on", "2026-01-20")]).await;
    assert_eq!((code, location.as_str()), (303, page.as_str()));
    let assigned = s.app.get::<Task>(&admin(), task.into()).await.unwrap().record;
    assert_eq!(assigned.status.as_str(), "assigned");
    assert_eq!(assigned.lead_person_id, Some(chosen.record.lead_person_id));
    let (_, html) = office.get(&page).await;
    assert!(!html.contains("/select\""), "nothing left to select");
    assert!(!html.contains("/records/proposal-reviews/new"), "nor to score");
    let (code, _) = office.post_form(&action, &[("csrf", &csrf), ("on", "2026-01-21")]).await;
    assert_eq!(code, 409, "chosen once");
}

#[tokio::test]
async fn the_lead_organisation_resubmits_its_returned_report_from_the_task_page() {
    let s = TestServer::start(Backend::Sqlite).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    let _office = signed_in_admin(&s).await;
    let task = s.task_id("LLM-04").await;
    let page = format!("/tasks/{task}");
    let (report, status) = report_of(&s, task, 2).await;
    assert_eq!(status, "returned");
    let action = format!("/progress-reports/{report}/commands");

    let mut other =
        crate::sessions::signed_in_for(&s, "khac", Role::Reporter, Some(s.lead_organisation("LLM-05").await)).await;
    let (_, html) = other.get(&page).await;
    assert!(!targets(&html).iter().any(|(a, _)| a == &action), "another organisation's report is not offered");

    let mut reporter =
        crate::sessions::signed_in_for(&s, "lan", Role::Reporter, Some(s.lead_organisation("LLM-04").await)).await;
    let (_, html) = reporter.get(&page).await;
    let offered: Vec<_> = targets(&html).into_iter().filter(|(a, _)| a.starts_with("/progress-reports/")).collect();
    assert_eq!(offered, [(action.clone(), "submit".to_owned())], "submitting, not reviewing");
    let csrf = reporter.csrf(&page).await;
    let (code, location) =
        reporter.post_form(&action, &[("csrf", &csrf), ("command", "submit"), ("on", "2026-07-20")]).await;
    assert_eq!((code, location.as_str()), (303, page.as_str()));
    assert_eq!(report_of(&s, task, 2).await.1, "submitted");
    let (code, _) = reporter.post_form(&action, &[("csrf", &csrf), ("command", "approve"), ("on", "2026-07-21")]).await;
    assert_eq!(code, 403, "the office reviews");
}
