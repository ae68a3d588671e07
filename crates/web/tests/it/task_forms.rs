//! Lifecycle commands from the task page: only the commands the visitor may give are
//! offered; a posted command needs the form's CSRF token, is applied and recorded, and a
//! refused one shows the page again with the reason.

use cncl_app::accounts::NewAccount;
use cncl_app::{ListQuery, Role};
use cncl_domain::task::Task;
use cncl_store::{Backend, ListFilter};

use crate::sessions::Browser;
use crate::{TestServer, admin};

async fn task_id(s: &TestServer, code: &str) -> uuid::Uuid {
    s.app.task_by_code(&admin(), code).await.unwrap().id
}

async fn signed_in(s: &TestServer, username: &str, role: Role) -> Browser {
    let new = NewAccount {
        username: username.into(),
        display_name: username.into(),
        role,
        organisation_id: None,
        products: vec![],
        password: Some("a long enough password".into()),
    };
    s.app.create_account(&admin(), new).await.unwrap();
    let mut browser = Browser::new(s);
    assert_eq!(browser.sign_in(username, "a long enough password").await.0, 303);
    browser
}

/// An admin signed in with TOTP set up.
async fn signed_in_admin(s: &TestServer) -> Browser {
    s.app.ensure_admin(Some("an admin password".into())).await.unwrap();
    let mut browser = Browser::new(s);
    browser.sign_in("admin", "an admin password").await;
    let (_, page) = browser.get("/totp").await;
    let secret = page.split("<code class=\"secret\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let csrf = browser.csrf("/totp").await;
    let code = cncl_app::accounts::code_for(&secret, s.app.now()).unwrap();
    assert_eq!(browser.post_form("/totp", &[("code", &code), ("csrf", &csrf)]).await.0, 303);
    browser
}

fn forms(html: &str) -> Vec<&str> {
    html.split("<input type=\"hidden\" name=\"command\" value=\"").skip(1).filter_map(|f| f.split('"').next()).collect()
}

#[tokio::test]
async fn the_task_force_accepts_a_submitted_task_from_its_page() {
    let s = TestServer::start(Backend::Sqlite).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    let submitted = task_id(&s, "LLM-06").await;
    let page = format!("/tasks/{submitted}");
    let action = format!("{page}/commands");

    let mut viewer = signed_in(&s, "thu", Role::Viewer).await;
    let (status, html) = viewer.get(&page).await;
    assert_eq!(status, 200);
    assert!(forms(&html).is_empty(), "a viewer is offered nothing");

    let mut task_force = signed_in(&s, "to", Role::TaskForce).await;
    let (_, html) = task_force.get(&page).await;
    assert_eq!(forms(&html), ["accept", "reject"], "not cancel: that is the office's");
    let csrf = task_force.csrf(&page).await;
    let accept = [("command", "accept"), ("on", "2026-11-20"), ("accepting_body", "Hội đồng nghiệm thu cấp Bộ")];
    let (status, _) = task_force.post_form(&action, &accept).await;
    assert_eq!(status, 403, "no CSRF token");
    fn with_token<'a>(form: &[(&'a str, &'a str)], csrf: &'a str) -> Vec<(&'a str, &'a str)> {
        form.iter().copied().chain([("csrf", csrf)]).collect()
    }
    let (status, location) = task_force.post_form(&action, &with_token(&accept, "forged")).await;
    assert_eq!(status, 403, "{location}");
    assert_eq!(s.app.get::<Task>(&admin(), submitted).await.unwrap().record.status.as_str(), "submitted");

    let (status, location) = task_force.post_form(&action, &with_token(&accept, &csrf)).await;
    assert_eq!((status, location.as_str()), (303, page.as_str()));
    let task = s.app.get::<Task>(&admin(), submitted).await.unwrap().record;
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
    let draft = task_id(&s, "LLM-01").await;
    let page = format!("/tasks/{draft}");
    let mut office = signed_in_admin(&s).await;
    let (_, html) = office.get(&page).await;
    assert_eq!(forms(&html), ["order", "assign", "cancel"]);
    assert!(html.contains("Chưa có tổ chức tham gia"), "assigning needs participants first");

    let ordered = task_id(&s, "LLM-02").await;
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
    assert_eq!(s.app.get::<Task>(&admin(), draft).await.unwrap().record.status.as_str(), "draft", "nothing written");

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
    let task = s.app.get::<Task>(&admin(), draft).await.unwrap().record;
    assert_eq!(task.budget_ceiling_vnd.map(|v| v.get()), Some(12_000_000_000), "digit grouping is dropped");
}
