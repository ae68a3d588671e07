//! Provinces as reference data: an organisation's province is chosen from today's list of
//! 34; an older name is brought to today's, audited; one that matches nothing is listed for
//! the office; the dashboard maps organisations taking part and funding by province.

use cncl_domain::organisation::{Organisation, OrganisationKind, Ownership};
use cncl_domain::values::{TaxCode, Text};

use crate::sessions::signed_in_admin;
use crate::{TestServer, admin};

fn organisation(name: &str, tax_code: &str, province: &str) -> Organisation {
    Organisation {
        name: Text::parse(name).unwrap(),
        kind: OrganisationKind::Enterprise,
        tax_code: TaxCode::parse(tax_code).unwrap(),
        province: Text::parse(province).unwrap(),
        ownership: Ownership::Private,
        scale_usd: None,
    }
}

#[tokio::test]
async fn provinces_are_chosen_from_the_list_migrated_and_mapped() {
    let s = TestServer::start(cncl_store::Backend::Sqlite).await.unwrap();
    let mut office = signed_in_admin(&s).await;
    s.app.load_demo(&admin()).await.unwrap();

    // The form offers today's 34, nothing chosen in advance; a name not in the list is refused.
    let (_, form) = office.get("/records/organisations/new").await;
    let select = form.split("name=\"province\"").nth(1).unwrap().split("</select>").next().unwrap();
    assert_eq!(select.matches("<option").count(), 35, "— chọn — and the 34");
    assert!(
        select.contains("<option value=\"\" selected>— chọn —</option>") && select.contains(">Hồ Chí Minh</option>")
    );
    let refused = s.app.create(&admin(), organisation("Công ty Ngoài Danh Mục", "0109990001", "Atlantis")).await;
    assert!(refused.is_err_and(|e| e.message().en.contains("not one of the 34 provinces")));

    // A former province's name is accepted, and brought to today's on start, audited.
    let moved =
        s.app.create(&admin(), organisation("Công ty Bình Dương Cũ", "0109990002", "Bình Dương")).await.unwrap();
    // A name older than the list itself, kept from before it (as an upgrade finds it).
    let mut tx = s.app.store().begin(cncl_testkit::writer("before-the-list")).await.unwrap();
    let lost = cncl_domain::ids::OrganisationId(uuid::Uuid::now_v7());
    tx.insert(lost, &organisation("Công ty Không Rõ Tỉnh", "0109990003", "Atlantis")).await.unwrap();
    tx.commit().await.unwrap();
    let changed = s.app.canonicalise_provinces(&cncl_app::Actor::system("cncl:provinces")).await.unwrap();
    assert_eq!(changed, 1, "only the former name changes");
    let now = s.app.get::<Organisation>(&admin(), moved.id).await.unwrap();
    assert_eq!(now.record.province.as_str(), "Hồ Chí Minh");
    let (_, audit) = s.get_json(&format!("/api/v1/audit?entity=organisations&id={}", moved.id)).await;
    assert!(audit.to_string().contains("cncl:provinces"), "the move is audited: {audit}");
    let warnings = s.app.warnings(&admin(), s.app.today()).await.unwrap();
    assert!(warnings.iter().any(
        |w| matches!(w, cncl_app::governance::Warning::UnknownProvince { province, .. } if province == "Atlantis")
    ));

    // The office's dashboard maps the organisations taking part, with the figures as a table.
    let (_, home) = office.get("/").await;
    let map = home.split("<section class=\"province-map\"").nth(1).unwrap().split("</section>").next().unwrap();
    assert_eq!(map.matches("<path class=\"").count(), 34);
    assert!(map.contains("Quần đảo Hoàng Sa") && map.contains("Quần đảo Trường Sa"));
    assert!(map.contains("thanglequoc/vietnamese-provinces-database (MIT)"), "attribution shipped");
    let figures = s.app.by_province(&admin(), s.app.today()).await.unwrap();
    let hanoi = &figures["01"];
    assert!(hanoi.organisations > 0 && hanoi.funding_vnd > 0, "{figures:?}");
    let row = map.split("<th scope=\"row\">Hà Nội</th>").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.contains(&format!(
        ">{}</td>",
        cncl_domain::format::format_count(hanoi.organisations as i64, cncl_domain::Lang::Vi)
    )));
    assert!(row.contains(&cncl_domain::format::format_vnd_short(hanoi.funding_vnd, cncl_domain::Lang::Vi)));
}
