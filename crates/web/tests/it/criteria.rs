//! Criteria sets as data: an amended set loaded from a file without rebuilding, compared
//! with the shipped one, chosen for the programme, and the change found in the audit log.

use cncl_app::Role;
use cncl_eval::criteria::DECISION_2815;
use reqwest::Method;
use serde_json::{Value, json};

use crate::TestServer;

cncl_testkit::on_both_backends!(crate::TestServer::start =>
    an_amended_set_is_loaded_compared_and_chosen_over_the_api,
    the_office_loads_compares_and_switches_on_the_pages,
);

/// The shipped set as a draft amendment: the roll-up rule at 40 %, under which the demo's
/// main boards (half their cost domestic) count as wholly domestic.
fn roll_up_draft() -> String {
    DECISION_2815
        .replacen("version = \"2026-12\"", "version = \"draft-roll-up\"", 1)
        .replacen("bom_rule = \"tracing\"", "bom_rule = \"roll_up\"", 1)
        .replacen("roll_up_threshold_percent = 60", "roll_up_threshold_percent = 40", 1)
}

fn load_body(file: &str, toml: &str) -> String {
    json!({"file": file, "toml": toml}).to_string()
}

fn c1a(card: &Value, product: &str) -> Value {
    let products = card["products"].as_array().unwrap();
    let results = products.iter().find(|p| p["product"] == product).unwrap()["results"].as_array().unwrap();
    results.iter().find(|r| r["criterion"] == "C1a").unwrap().clone()
}

async fn an_amended_set_is_loaded_compared_and_chosen_over_the_api(s: &TestServer) {
    s.app.load_demo(&crate::admin()).await.unwrap();
    let draft = roll_up_draft();
    let (status, body) = s.send_json(Method::POST, "/api/v1/criteria-sets", &load_body("draft.toml", &draft)).await;
    assert_eq!(
        (status, body["set"]["version"].as_str(), body["added"].as_bool()),
        (201, Some("draft-roll-up"), Some(true))
    );
    // Loading it again changes nothing; other content under the same version is refused.
    let (status, body) = s.send_json(Method::POST, "/api/v1/criteria-sets", &load_body("draft.toml", &draft)).await;
    assert_eq!((status, body["added"].as_bool()), (200, Some(false)));
    let altered = draft.replacen("roll_up_threshold_percent = 40", "roll_up_threshold_percent = 45", 1);
    let (status, body) = s.send_json(Method::POST, "/api/v1/criteria-sets", &load_body("draft.toml", &altered)).await;
    assert_eq!(status, 409, "{body}");
    assert!(body["message"].as_str().unwrap().contains("decision-2815@draft-roll-up"), "{body}");
    // A broken file is refused naming the file, line and key.
    let broken = draft.replacen("indicator = \"domestic_market_share\"", "indicator = \"no_such_thing\"", 1);
    let (status, body) = s.send_json(Method::POST, "/api/v1/criteria-sets", &load_body("broken.toml", &broken)).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("criteria[3].indicator")), "{body}");
    assert!(body["message"].as_str().unwrap().starts_with("broken.toml:"), "{body}");
    // Only the office loads or chooses.
    let expires = s.app.now() + chrono::Duration::days(1);
    let (_, secret) = s.app.create_api_token(&crate::admin(), "v", Role::Viewer, None, vec![], expires).await.unwrap();
    let viewer = crate::client_with(&secret);
    let refused = viewer
        .post(s.url("/api/v1/criteria-sets"))
        .header("content-type", "application/json")
        .body(load_body("x.toml", &draft))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 403);

    let (_, versions) = s.get_json("/api/v1/criteria-sets").await;
    let listed: Vec<(String, bool)> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["version"].as_str().unwrap().to_owned(), v["current"].as_bool().unwrap()))
        .collect();
    assert_eq!(listed, [("2026-12".to_owned(), true), ("draft-roll-up".to_owned(), false)]);

    // Evaluated under the draft without choosing it: the scorecard names the set it used.
    let (status, card) = s.get_json("/api/v1/scorecard?as_of=2026-11-24&criteria=decision-2815@draft-roll-up").await;
    assert_eq!(
        (status, card["criteria_version"].as_str(), card["bom_rule"].as_str()),
        (200, Some("draft-roll-up"), Some("roll_up"))
    );
    let (_, shipped) = s.get_json("/api/v1/scorecard?as_of=2026-11-24").await;
    assert_eq!(shipped["criteria_version"], "2026-12");
    let rolled_up = c1a(&card, "uav")["numerator"].as_i64().unwrap();
    let traced = c1a(&shipped, "uav")["numerator"].as_i64().unwrap();
    assert!(rolled_up > traced, "domestic boards count as wholly domestic under the draft: {rolled_up} vs {traced}");
    let (status, _) = s.get_json("/api/v1/scorecard?criteria=decision-2815@nope").await;
    assert_eq!(status, 404);
    let (status, body) = s.get_json("/api/v1/scorecard?criteria=no-version").await;
    assert_eq!((status, body["field"].as_str()), (400, Some("criteria")));

    let (status, comparison) =
        s.get_json("/api/v1/criteria-sets/comparison?as_of=2026-11-24&right=decision-2815@draft-roll-up").await;
    assert_eq!(status, 200, "{comparison}");
    assert_eq!(comparison["left"]["set"]["version"], "2026-12");
    let rows = comparison["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6 * 8 + 10, "every criterion of every product and the programme");
    let uav_c1a = rows.iter().find(|r| r["scope"] == "uav" && r["criterion"] == "C1a").unwrap();
    assert_eq!(uav_c1a["figure_differs"], true);
    let p7 = rows.iter().find(|r| r["criterion"] == "P7").unwrap();
    assert_eq!(p7["figure_differs"], false, "the rule changes nothing outside value added");
    assert!(comparison["differing_rows"].as_u64().unwrap() >= 6);

    // Chosen: the programme's figures now follow the draft, and the audit log says who chose it.
    let choose = json!({"id": "decision-2815", "version": "draft-roll-up"}).to_string();
    let (status, body) = s.send_json(Method::PUT, "/api/v1/criteria-sets/current", &choose).await;
    assert_eq!((status, body["changed"].as_bool()), (200, Some(true)), "{body}");
    let (_, criteria) = s.get_json("/api/v1/criteria").await;
    assert_eq!(criteria["version"], "draft-roll-up");
    let (_, card) = s.get_json("/api/v1/scorecard?as_of=2026-11-24").await;
    assert_eq!(card["criteria_version"], "draft-roll-up");
    let (_, entries) = s.get_json("/api/v1/audit?entity=settings").await;
    let last = &entries["items"][0];
    assert_eq!(last["after"]["value"], "decision-2815@draft-roll-up", "{entries}");
    assert_eq!(last["before"]["value"], "decision-2815@2026-12");
    let missing = json!({"id": "decision-2815", "version": "nope"}).to_string();
    assert_eq!(s.send_json(Method::PUT, "/api/v1/criteria-sets/current", &missing).await.0, 404);
}

async fn the_office_loads_compares_and_switches_on_the_pages(s: &TestServer) {
    s.app.load_demo(&crate::admin()).await.unwrap();
    let mut office = crate::sessions::signed_in_admin(s).await;
    let csrf = office.csrf("/criteria-sets").await;
    let (status, to) = office.post_file("/criteria-sets", &csrf, "draft.toml", &roll_up_draft()).await;
    assert_eq!((status, to.as_str()), (303, "/criteria-sets?loaded=decision-2815@draft-roll-up"));
    let (_, page) = office.get(&to).await;
    assert!(page.contains("Đã nạp bộ tiêu chí: decision-2815@draft-roll-up"), "{page}");
    assert_eq!(page.matches("<code>decision-2815@").count(), 2);
    // A broken file: the page again, naming the line, at 422.
    let broken = roll_up_draft().replacen("version = \"draft-roll-up\"", "version = \"draft 2\"", 1);
    let (status, page) = office.post_file("/criteria-sets", &csrf, "broken.toml", &broken).await;
    assert_eq!(status, 422);
    assert!(page.contains("set.version: broken.toml, dòng 10:"), "{page}");

    let (status, page) = office
        .get("/criteria-sets/compare?as_of=2026-11-24&left=decision-2815@2026-12&right=decision-2815@draft-roll-up")
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("<tr class=\"differs\" data-criterion=\"C1a\">"), "{page}");
    assert!(page.contains("<tr class=\"same\" data-criterion=\"P7\">"));
    assert!(page.contains("truy vết hàm lượng nhập khẩu") && page.contains("(40 %)"), "both rules named");

    // The scorecard under the draft names it and keeps it on every link.
    let (_, page) = office.get("/scorecard?as_of=2026-11-24&criteria=decision-2815@draft-roll-up").await;
    assert!(page.contains("(decision-2815@draft-roll-up)</a>"), "{page}");
    // Beside the figures, each product's latest assessment by that date (the third quarter's;
    // the fourth's was written later); none for the product without a chief engineer.
    assert!(page.contains("<th scope=\"row\">Đánh giá trong quý</th>"), "{page}");
    assert_eq!(page.matches("<span class=\"quarter\">Quý III năm 2026</span>").count(), 5, "{page}");
    assert!(!page.contains("Quý IV năm 2026</span>"));
    let visitor = s.anonymous.get(s.url("/scorecard?as_of=2026-11-24")).send().await.unwrap().text().await.unwrap();
    assert!(!visitor.contains("Đánh giá trong quý"), "a visitor sees the figures only");
    // As cncl knew it at entry 5 (before the demo's facts): the page says so, the API names
    // the entry, and a value that is no entry, moment or day is refused.
    let (status, recorded) = office.get("/scorecard?as_of=2026-11-24&recorded_at=5").await;
    assert_eq!(status, 200);
    assert!(recorded.contains("Số liệu như cncl đã ghi nhận đến mục sổ kiểm toán #5 ("), "{recorded}");
    assert!(recorded.contains("href=\"/scorecard/programme/P1?as_of=2026-11-24&#38;recorded_at=5\""), "{recorded}");
    let (_, evidence) = office.get("/scorecard/programme/P1?as_of=2026-11-24&recorded_at=5").await;
    assert!(evidence.contains("đến mục sổ kiểm toán #5 ("), "the evidence page says so too: {evidence}");
    let (_, today) = office.get("/scorecard/programme/P1?as_of=2026-11-24").await;
    assert!(!today.contains("đến mục sổ kiểm toán #"), "{today}");
    let answer = s.client.get(s.url("/api/v1/scorecard?as_of=2026-11-24&recorded_at=5")).send().await.unwrap();
    assert!(answer.headers()["x-cncl-recorded-entry"].to_str().unwrap().starts_with("5 "));
    let card: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(card["programme"][0]["numerator"], 0, "no facts were recorded by entry 5: {card}");
    let (status, body) = s.get_json("/api/v1/scorecard?recorded_at=yesterday").await;
    assert_eq!((status, body["field"].as_str()), (400, Some("recorded_at")), "{body}");
    assert!(
        page.contains("href=\"/scorecard/uav/C1a?as_of=2026-11-24&#38;criteria=decision-2815@draft-roll-up\""),
        "{page}"
    );
    let (_, page) = office.get("/scorecard/uav/C1a?as_of=2026-11-24&criteria=decision-2815@draft-roll-up").await;
    assert!(page.contains("(decision-2815@draft-roll-up)</a>"), "{page}");

    // A viewer may look but not choose.
    let mut viewer = crate::sessions::signed_in(s, "xem", Role::Viewer).await;
    let (_, page) = viewer.get("/criteria-sets").await;
    assert!(!page.contains("action=\"/criteria-sets/current\""));
    let viewer_csrf = viewer.csrf("/criteria-sets").await;
    let (status, _) = viewer
        .post_form("/criteria-sets/current", &[("csrf", &viewer_csrf), ("set", "decision-2815@draft-roll-up")])
        .await;
    assert_eq!(status, 403);

    let (status, to) =
        office.post_form("/criteria-sets/current", &[("csrf", &csrf), ("set", "decision-2815@draft-roll-up")]).await;
    assert_eq!((status, to.as_str()), (303, "/criteria-sets?chosen=decision-2815@draft-roll-up"));
    let (_, page) = office.get("/scorecard?as_of=2026-11-24").await;
    assert!(page.contains("(decision-2815@draft-roll-up)</a>"), "the programme's set now");
    let (_, audit) = office.get("/audit?entity=settings").await;
    assert!(audit.contains("current_criteria_set"), "{audit}");
}
