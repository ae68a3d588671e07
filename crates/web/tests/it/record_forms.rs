//! Records by form: added from the task page with the task filled in, refused with the field
//! named and what was typed kept, corrected under the same rules as the API, confined for
//! reporters, read-only for viewers.

use cncl_app::{ListQuery, Role};
use cncl_domain::governance::ProgressReport;
use cncl_domain::task::BudgetLine;
use cncl_store::Backend;

use crate::sessions::{Browser, signed_in, signed_in_admin, signed_in_for};
use crate::{TestServer, admin};

fn all() -> ListQuery {
    ListQuery { per_page: Some(cncl_app::records::MAX_PER_PAGE), ..ListQuery::default() }
}

async fn budget_lines(s: &TestServer, task: uuid::Uuid) -> Vec<BudgetLine> {
    let lines = s.app.list::<BudgetLine>(&admin(), &all()).await.unwrap().items;
    lines.into_iter().map(|l| l.record).filter(|l| l.task_id.as_uuid() == task).collect()
}

fn alert(html: &str) -> &str {
    html.split("role=\"alert\">").nth(1).map_or("", |rest| rest.split('<').next().unwrap_or_default())
}

/// The link on `html` that adds a record of `resource`, as a path.
fn add_link(html: &str, resource: &str) -> String {
    let marker = format!("href=\"/records/{resource}/new?");
    let query = html.split(&marker).nth(1).unwrap().split('"').next().unwrap().replace("&#38;", "&");
    format!("/records/{resource}/new?{query}")
}

async fn post(browser: &mut Browser, path: &str, csrf: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let form: Vec<(&str, &str)> = fields.iter().copied().chain([("csrf", csrf)]).collect();
    browser.post_form(path, &form).await
}

#[tokio::test]
async fn the_office_adds_a_budget_line_from_the_task_page_and_bad_input_is_named() {
    let s = TestServer::start(Backend::Sqlite).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    let task = s.task_id("LLM-05").await;
    let page = format!("/tasks/{task}");
    let mut office = signed_in_admin(&s).await;
    let (_, html) = office.get(&page).await;
    let add = add_link(&html, "budget-lines");
    let (status, form) = office.get(&add).await;
    assert_eq!(status, 200);
    assert!(form.contains(&format!("<option value=\"{task}\" selected>LLM-05")), "the task is filled in");
    assert!(form.contains("Nguồn vốn") && form.contains(">Ngân sách trung ương</option>"), "labels, not codes");
    let csrf = office.csrf(&add).await;
    let before = budget_lines(&s, task).await.len();

    let typed = [
        ("back", page.as_str()),
        ("task_id", &task.to_string()),
        ("year", "2029"),
        ("source", "private"),
        ("amount_vnd", "lots"),
    ];
    let (status, html) = post(&mut office, "/records/budget-lines/new", &csrf, &typed).await;
    assert_eq!(status, 422, "{html}");
    assert_eq!(alert(&html), "Số tiền (đồng): phải là số nguyên");
    assert!(html.contains("value=\"2029\"") && html.contains("value=\"lots\""), "what was typed is kept");
    assert!(html.contains("<label class=\"invalid\"><span>Số tiền (đồng)"), "the field is marked");
    assert_eq!(budget_lines(&s, task).await.len(), before, "nothing written");

    let typed = [typed[0], typed[1], typed[2], typed[3], ("amount_vnd", "2.500.000.000")];
    let (status, location) = post(&mut office, "/records/budget-lines/new", &csrf, &typed).await;
    assert_eq!((status, location.as_str()), (303, format!("{page}#saved").as_str()), "back to the task");
    let added = budget_lines(&s, task).await;
    assert_eq!(added.len(), before + 1);
    assert!(added.iter().any(|l| l.year.get() == 2029 && l.amount_vnd.get() == 2_500_000_000));
    let (_, html) = office.get(&page).await;
    assert!(html.contains("2.500.000.000"), "the task page shows it");

    // The saved record is audited under the account that saved it.
    let lines = s.app.list::<BudgetLine>(&admin(), &all()).await.unwrap().items;
    let line = lines.iter().find(|l| l.record.year.get() == 2029).unwrap();
    let (_, entries) = s.get_json(&format!("/api/v1/audit?entity=budget_lines&id={}", line.id)).await;
    assert_eq!(entries["items"][0]["actor"], "admin", "{entries}");

    // A disbursement over its line is refused by the same rule as the API's.
    let disbursement =
        [("budget_line_id", &*line.id.to_string()), ("disbursed_on", "2029-02-01"), ("amount_vnd", "2.500.000.001")];
    let (status, html) = post(&mut office, "/records/disbursements/new", &csrf, &disbursement).await;
    assert_eq!(status, 422, "{html}");
    assert!(alert(&html).starts_with("Số tiền (đồng): "), "{}", alert(&html));

    // Without the form's token, or sent elsewhere afterwards: refused, and kept on the site.
    let (status, _) = office.post_form("/records/budget-lines/new", &typed).await;
    assert_eq!(status, 403);
    let elsewhere = [("back", "//evil.example/"), typed[1], ("year", "2030"), typed[3], ("amount_vnd", "1")];
    let (status, location) = post(&mut office, "/records/budget-lines/new", &csrf, &elsewhere).await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/records/budget-lines/"), "{location}");
}

#[tokio::test]
async fn a_report_is_corrected_by_form_only_after_it_is_returned_and_commands_keep_its_state() {
    let s = TestServer::start(Backend::Sqlite).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    let mut office = signed_in_admin(&s).await;
    let submitted = s.report(s.task_id("LLM-05").await, 2).await;
    let path = format!("/records/progress-reports/{}", submitted.id);
    let (status, html) = office.get(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("name=\"status\" disabled"), "the state is shown, not edited");
    assert!(html.contains("Chỉ thay đổi qua các thao tác"));
    let csrf = office.csrf(&path).await;
    let mut fields: Vec<(String, String)> = vec![
        ("task_id".into(), submitted.record.task_id.to_string()),
        ("year".into(), "2026".into()),
        ("quarter".into(), "2".into()),
        ("progress_percent".into(), "45".into()),
        ("summary".into(), "Sửa lại số liệu".into()),
        ("spent_central_state_vnd".into(), "6000000000".into()),
        ("spent_local_state_vnd".into(), "0".into()),
        ("spent_enterprise_vnd".into(), "2000000000".into()),
        ("spent_private_vnd".into(), "0".into()),
        ("spent_other_vnd".into(), "0".into()),
        ("status".into(), "approved".into()),
    ];
    let as_form = |fields: &[(String, String)]| fields.iter().map(|(n, v)| (n.clone(), v.clone())).collect::<Vec<_>>();
    let send = as_form(&fields);
    let send: Vec<(&str, &str)> = send.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let (status, html) = post(&mut office, &path, &csrf, &send).await;
    assert_eq!(status, 409, "{html}");
    assert!(alert(&html).contains("chỉ sửa được sau khi Văn phòng trả lại"), "{}", alert(&html));
    assert_eq!(s.report(submitted.record.task_id.as_uuid(), 2).await.record, submitted.record, "unchanged");

    let returned = s.report(s.task_id("LLM-04").await, 2).await;
    assert_eq!(returned.record.status.as_str(), "returned");
    let path = format!("/records/progress-reports/{}", returned.id);
    let (_, html) = office.get(&path).await;
    assert!(html.contains("Dự thảo → Đã nộp") && html.contains("Đã nộp → Trả lại"), "its recorded history is shown");
    fields[0].1 = returned.record.task_id.to_string();
    let send = as_form(&fields);
    let send: Vec<(&str, &str)> = send.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let (status, location) = post(&mut office, &path, &csrf, &send).await;
    assert_eq!((status, location.as_str()), (303, format!("{path}#saved").as_str()), "back to the record");
    let corrected = s.report(returned.record.task_id.as_uuid(), 2).await.record;
    assert_eq!((corrected.summary.as_str(), corrected.progress_percent.get()), ("Sửa lại số liệu", 45));
    assert_eq!(corrected.status.as_str(), "returned", "a posted status is ignored: only commands change it");
    assert_eq!(corrected.return_reason, returned.record.return_reason);
}

#[tokio::test]
async fn a_new_task_by_form_starts_as_a_draft() {
    let s = TestServer::start(Backend::Sqlite).await.unwrap();
    let mut office = signed_in_admin(&s).await;
    let (_, form) = office.get("/records/tasks/new").await;
    assert!(!form.contains("name=\"assigned_on\""), "nothing a command sets is asked for");
    assert!(form.contains("name=\"status\" disabled"), "the state a new task starts in is shown");
    let csrf = office.csrf("/records/tasks/new").await;
    let fields = [
        ("code", "LLM-99"),
        ("title", "Trợ lý ảo cho dịch vụ công"),
        ("product_code", "llm"),
        ("task_group_code", "research-development"),
        ("origin", "self_proposed"),
        ("is_research", "on"),
        ("status", "accepted"),
    ];
    let (status, location) = post(&mut office, "/records/tasks/new", &csrf, &fields).await;
    assert_eq!(status, 303, "{location}");
    let task = s.app.task_by_code(&admin(), "LLM-99").await.unwrap().record;
    assert_eq!((task.status.as_str(), task.is_research, task.dual_use), ("draft", true, false));
}

#[tokio::test]
async fn reporters_see_and_change_only_their_organisation_and_viewers_only_read() {
    let s = TestServer::start(Backend::Sqlite).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    let _office = signed_in_admin(&s).await;
    let mine = s.task_id("LLM-05").await;
    let mut reporter = signed_in_for(&s, "lan", Role::Reporter, Some(s.lead_organisation("LLM-05").await)).await;

    let (status, html) = reporter.get("/records/progress-reports").await;
    assert_eq!(status, 200);
    assert!(html.contains("LLM-05") && !html.contains("LLM-04"), "only its organisation's tasks' reports");
    let theirs = s.report(s.task_id("LLM-04").await, 2).await;
    let (status, _) = reporter.get(&format!("/records/progress-reports/{}", theirs.id)).await;
    assert_eq!(status, 404, "another organisation's report does not exist for it");
    let (status, _) = reporter.get("/records/appointments/new").await;
    assert_eq!(status, 403, "appointments are the office's");
    let (_, index) = reporter.get("/records").await;
    assert!(index.contains("/records/progress-reports/new") && !index.contains("/records/appointments/new"));

    let mut viewer = signed_in(&s, "thu", Role::Viewer).await;
    let own = s.report(mine, 1).await;
    let path = format!("/records/progress-reports/{}", own.id);
    let (status, html) = viewer.get(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("Bạn chỉ được xem hồ sơ này.") && !html.contains("<button type=\"submit\">Lưu"));
    let csrf = viewer.csrf(&path).await;
    let (status, _) = post(&mut viewer, &path, &csrf, &[("summary", "x")]).await;
    assert_eq!(status, 403);

    let (status, location) = Browser::new(&s).get("/records").await;
    assert_eq!((status, location.as_str()), (303, ""), "anonymous visitors are sent to sign in");
}

#[tokio::test]
async fn record_lists_filter_by_product_and_status_and_page_with_the_filters() {
    let s = TestServer::start(Backend::Sqlite).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    let mut office = signed_in_admin(&s).await;
    let (status, html) = office.get("/records/progress-reports?status=returned&product=").await;
    assert_eq!(status, 200);
    let returned = s
        .app
        .list::<ProgressReport>(&admin(), &all())
        .await
        .unwrap()
        .items
        .iter()
        .filter(|r| r.record.status.as_str() == "returned")
        .count();
    assert!(html.contains(&format!("Tổng: {returned}<")), "only the returned reports");
    assert!(html.contains("<option value=\"returned\" selected>Trả lại</option>"), "the filter is shown as chosen");

    let (_, html) = office.get("/records/tasks?product=uav").await;
    assert!(html.contains("UAV-") && !html.contains("LLM-"), "one product's tasks");
    let (_, html) = office.get("/records/organisations").await;
    assert!(!html.contains("name=\"status\""), "organisations have no status to filter by");
    let (_, html) = office.get("/records/budget-lines?page=2&product=llm").await;
    let previous =
        html.split("<a href=\"/records/budget-lines?page=1").nth(1).map(|rest| rest.split('"').next().unwrap());
    assert_eq!(previous.map(|n| n.replace("&#38;", "&")), Some("&product=llm".to_owned()), "paging keeps the filter");
    let (status, _) = office.get("/records/organisations?status=draft").await;
    assert_eq!(status, 400, "a filter the kind does not have is refused");
}

/// A browser's post of a form filled in with `record`'s values (what the edit page shows),
/// with `changes` typed over them.
fn filled_in(record: &serde_json::Value, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = record
        .as_object()
        .unwrap()
        .iter()
        .filter_map(|(name, value)| match value {
            serde_json::Value::Null | serde_json::Value::Bool(false) => None,
            serde_json::Value::Bool(true) => Some((name.clone(), "on".to_owned())),
            serde_json::Value::String(s) => Some((name.clone(), s.clone())),
            other => Some((name.clone(), other.to_string())),
        })
        .collect();
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        fields.push(((*name).to_owned(), (*value).to_owned()));
    }
    fields
}

#[tokio::test]
async fn a_self_proposed_task_is_made_clear_by_forms_and_assigned_from_its_page() {
    let s = TestServer::start(Backend::Sqlite).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    let mut office = signed_in_admin(&s).await;
    let csrf = office.csrf("/records/tasks/new").await;
    let new_task = [
        ("code", "AMR-77"),
        ("title", "Robot tự hành cho kho lạnh"),
        ("product_code", "amr"),
        ("task_group_code", "research-development"),
        ("origin", "self_proposed"),
    ];
    let (status, location) = post(&mut office, "/records/tasks/new", &csrf, &new_task).await;
    assert_eq!(status, 303, "{location}");
    let task = s.app.task_by_code(&admin(), "AMR-77").await.unwrap();
    let page = format!("/tasks/{}", task.id);
    let (_, html) = office.get(&page).await;
    assert_eq!(html.matches("<li class=\"not-met\">").count(), 7, "nothing is clear yet");
    let time = html.split("Rõ thời gian").nth(1).unwrap().split("</li>").next().unwrap();
    assert!(time.contains("class=\"fix\"") && time.contains("/records/milestones/new?task_id="), "{time}");
    let resources = html.split("Rõ nguồn lực").nth(1).unwrap().split("</li>").next().unwrap();
    assert!(resources.contains("/records/budget-lines/new?task_id="), "each element says where to clear it");

    // The task's own fields, from the edit link, filled in as the form shows them.
    let edit = format!("/records/tasks/{}?back={page}", task.id);
    assert!(html.contains(&edit.replace('&', "&#38;")) || html.contains(&edit), "the page links to its record");
    let (_, form) = office.get(&edit).await;
    assert!(form.contains(&format!("href=\"{page}\">→ Trang nhiệm vụ")), "the record links back to the task's page");
    let record = serde_json::to_value(&task.record).unwrap();
    let details = filled_in(
        &record,
        &[
            ("scope", "Thiết kế, chế tạo, thử nghiệm 5 robot"),
            ("responsibility", "Viện chủ trì thiết kế; doanh nghiệp chế tạo"),
            ("starts_on", "2026-01-01"),
            ("ends_on", "2027-12-31"),
            ("approving_body", "Bộ Khoa học và Công nghệ"),
            ("delegated_authority", "Điều chỉnh nội dung chi dưới 10 %"),
            ("back", &page),
        ],
    );
    let details: Vec<(&str, &str)> = details.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let (status, location) = post(&mut office, &format!("/records/tasks/{}", task.id), &csrf, &details).await;
    assert_eq!((status, location.as_str()), (303, format!("{page}#saved").as_str()));

    // Its related records, from the page's links.
    let people = s.app.list::<cncl_domain::organisation::Person>(&admin(), &all()).await.unwrap().items;
    let lead = people.iter().find(|p| p.record.organisation_id.is_some()).unwrap();
    let organisation = lead.record.organisation_id.unwrap().to_string();
    let task_id = task.id.to_string();
    let related: [(&str, Vec<(&str, &str)>); 4] = [
        ("task-participants", vec![("organisation_id", &organisation), ("role", "lead")]),
        ("milestones", vec![("name", "Thiết kế xong"), ("due_on", "2026-06-30")]),
        ("deliverables", vec![("name", "5 robot"), ("acceptance_criteria", "Chạy 500 giờ"), ("due_on", "2027-12-31")]),
        ("budget-lines", vec![("year", "2026"), ("source", "enterprise"), ("amount_vnd", "3.000.000.000")]),
    ];
    for (resource, fields) in related {
        let (_, html) = office.get(&page).await;
        let add = add_link(&html, resource);
        assert!(add.contains(&format!("task_id={task_id}")), "{add}");
        let fields: Vec<(&str, &str)> =
            fields.into_iter().chain([("task_id", task_id.as_str()), ("back", page.as_str())]).collect();
        let (status, location) = post(&mut office, &format!("/records/{resource}/new"), &csrf, &fields).await;
        assert_eq!((status, location.as_str()), (303, format!("{page}#saved").as_str()), "{resource}");
    }
    let (_, html) = office.get(&page).await;
    assert_eq!(html.matches("<li class=\"not-met\">").count(), 1, "only the lead person, named by assigning");

    let lead_id = lead.id.to_string();
    let assign = [
        ("command", "assign"),
        ("lead_organisation_id", organisation.as_str()),
        ("lead_person_id", lead_id.as_str()),
        ("on", "2026-01-05"),
    ];
    let (status, location) = post(&mut office, &format!("{page}/commands"), &csrf, &assign).await;
    assert_eq!((status, location.as_str()), (303, page.as_str()));
    let assigned = s.app.get::<cncl_domain::task::Task>(&admin(), task.id).await.unwrap().record;
    assert_eq!(assigned.status.as_str(), "assigned");
    let (_, html) = office.get(&page).await;
    assert_eq!(html.matches("<li class=\"not-met\">").count(), 0, "all seven clear");
    assert!(!html.contains("class=\"fix\""), "nothing left to fix");
}

#[tokio::test]
async fn records_are_found_by_name_and_a_typed_name_stands_for_its_record() {
    let s = TestServer::start(Backend::Sqlite).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    let mut office = signed_in_admin(&s).await;
    let (status, html) = office.get("/records/tasks?q=tro+ly+sen+vang+nhiem+vu+5").await;
    assert_eq!(status, 200);
    assert!(html.contains(">LLM-05</a>") && !html.contains(">LLM-04</a>"), "accents and case aside");
    assert!(html.contains("value=\"tro ly sen vang nhiem vu 5\""), "the search is kept in its box");

    let csrf = office.csrf("/records/budget-lines/new").await;
    let line = |task: &'static str| [("task_id", task), ("year", "2030"), ("source", "other"), ("amount_vnd", "7")];
    let (status, location) = post(&mut office, "/records/budget-lines/new", &csrf, &line("llm-05")).await;
    assert_eq!(status, 303, "{location}");
    let task = s.task_id("LLM-05").await;
    assert!(budget_lines(&s, task).await.iter().any(|l| l.year.get() == 2030), "the task the code names");

    let (status, html) = post(&mut office, "/records/budget-lines/new", &csrf, &line("Sen Vàng")).await;
    assert_eq!(status, 422);
    assert_eq!(alert(&html), "Nhiệm vụ: nhiều bản ghi khớp; chọn một");
    let choices = html.split("<select name=\"task_id\"").nth(1).unwrap().split("</select>").next().unwrap();
    assert!(choices.contains(&format!("<option value=\"{task}\">LLM-05")), "the matches to choose among");
    let (status, html) = post(&mut office, "/records/budget-lines/new", &csrf, &line("không có đâu")).await;
    assert_eq!(status, 422);
    assert_eq!(alert(&html), "Nhiệm vụ: không có bản ghi nào khớp «không có đâu»");
    assert!(html.contains("value=\"không có đâu\""), "what was typed is kept");
}
