//! A product's page: its figures against each milestone with their history, and for those
//! signed in its people, tasks, technology tree, models and a bill of materials whose
//! branches add up to the figure the evaluation computed.

use cncl_app::Role;
use cncl_domain::Lang;
use cncl_domain::format::format_vnd;

use crate::sessions::{Browser, signed_in};
use crate::{TestServer, admin};

#[tokio::test]
async fn a_product_page_shows_its_figures_people_tasks_technologies_and_bill() {
    let s = TestServer::start(cncl_store::Backend::Sqlite).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    let date = cncl_domain::Date::parse("2026-11-30").unwrap();

    let (status, page) = Browser::new(&s).get("/products/uav?as_of=30/11/2026").await;
    assert_eq!(status, 200, "{page}");
    let c2 = page.split("<tr id=\"criterion-C2\">").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(c2.contains("60–70 % (31/12/2027)") && c2.contains("≥ 80 % (31/12/2030)"), "both milestones: {c2}");
    assert!(c2.contains("<svg class=\"sparkline\"") && c2.contains("class=\"projection\">↗"), "{c2}");
    assert!(page.contains("Đăng nhập để xem nhiệm vụ"), "a visitor sees the figures only");
    assert!(!page.contains("id=\"bill\""));
    assert_eq!(Browser::new(&s).get("/products/no-such-product").await.0, 404);

    let mut office = signed_in(&s, "lan", Role::TaskForce).await;
    let (_, uav) = office.get("/products/uav").await;
    assert!(uav.contains("Chưa bổ nhiệm Tổng công trình sư"), "the demo's product without a chief");
    let card = s.app.scorecard(&admin(), date, Some("llm"), None).await.unwrap();
    let c1a = card.products[0].results.iter().find(|r| r.criterion == "C1a").unwrap();
    let weakest = c1a.weakest_model.as_ref().unwrap();
    let (status, page) = office.get(&format!("/products/llm?as_of=2026-11-30&model={}", weakest.model)).await;
    assert_eq!(status, 200, "{page}");
    let dossier = s.app.product_dossier(&admin(), "llm", date, None).await.unwrap();
    assert_eq!(dossier.people.len(), 2, "a chief engineer and a chief architect");
    for person in dossier.people.iter().filter_map(|p| p.person.as_ref()) {
        assert!(page.contains(&format!("<dd>{}</dd>", person.record.full_name)), "who is in charge");
    }
    assert!(page.contains("<dt>Tổng công trình sư</dt>") && page.contains("<dt>Kiến trúc sư trưởng</dt>"));
    for task in &dossier.tasks {
        assert!(page.contains(&format!(">{}</a>", task.record.code)), "{}", task.record.code);
    }
    let leaf = dossier.technologies.iter().find(|t| t.leaf && !t.assessments.is_empty()).unwrap();
    let line = page.split(&format!(">{}</a></th>", leaf.technology.record.name)).nth(1).unwrap();
    let line = line.split("</tr>").next().unwrap();
    assert!(line.contains("TRL") && line.contains("<ol class=\"timeline\"><li>"), "its assessments: {line}");

    // The bill of the weakest model adds up, branch by branch, to what the evaluation found.
    let bill = page.split("id=\"bill\"").nth(1).unwrap();
    let figures = bill.split("<dl class=\"facts waterfall-figures\">").nth(1).unwrap().split("</dl>").next().unwrap();
    let price = format_vnd(weakest.denominator, Lang::Vi);
    let value_added = format_vnd(weakest.numerator, Lang::Vi);
    assert!(figures.contains(&format!("<dd>{price}</dd>")), "{price} in {figures}");
    assert!(figures.contains(&format!("<dd>{value_added} (")), "{value_added} in {figures}");
    assert!(bill.contains("<svg class=\"waterfall\"") && bill.contains("class=\"imported\""), "{bill}");
    assert!(bill.contains("<table class=\"records bill\">") && bill.contains("class=\"depth-1"), "a tree");

    // The evidence page names the weakest model, with the amounts in đồng.
    let model = dossier.models.iter().find(|m| m.model.id.as_uuid() == weakest.model).unwrap();
    let (_, evidence) = office.get("/scorecard/llm/C1a?as_of=2026-11-30").await;
    let named = format!("{} — ", model.model.record.name);
    assert!(evidence.contains(&named) && evidence.contains(&format!("({value_added} / {price})")), "{evidence}");
}
