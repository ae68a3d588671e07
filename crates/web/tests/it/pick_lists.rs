//! Pick-lists people can use: records labelled by their path, narrowed by what the form
//! already names, sorted, and never a record chosen in advance.

use cncl_domain::market::BomLine;

use crate::sessions::signed_in_admin;
use crate::{TestServer, admin};

fn options_of(page: &str, name: &str) -> Vec<(String, String, bool)> {
    let select = page.split(&format!("name=\"{name}\"")).nth(1).unwrap().split("</select>").next().unwrap();
    select
        .split("<option value=\"")
        .skip(1)
        .map(|o| {
            let value = o.split('"').next().unwrap().to_owned();
            let label = o.split('>').nth(1).unwrap().split('<').next().unwrap().to_owned();
            (value, label, o.split('>').next().unwrap().contains("selected"))
        })
        .collect()
}

#[tokio::test]
async fn a_parent_assembly_is_picked_by_its_path_from_the_chosen_model_only() {
    let s = TestServer::start(cncl_store::Backend::Sqlite).await.unwrap();
    let mut office = signed_in_admin(&s).await;
    s.app.load_demo(&admin()).await.unwrap();
    let query = cncl_app::ListQuery { per_page: Some(cncl_app::records::MAX_PER_PAGE), ..Default::default() };
    let lines = s.app.list::<BomLine>(&admin(), &query).await.unwrap().items;
    let nested = lines.iter().find(|l| l.record.parent_line_id.is_some()).unwrap();
    let model = nested.record.model_id;
    let of_model: Vec<String> = lines.iter().filter(|l| l.record.model_id == model).map(|l| l.id.to_string()).collect();

    let (status, page) = office.get(&format!("/records/bom-lines/new?model_id={model}")).await;
    assert_eq!(status, 200, "{page}");
    let parents = options_of(&page, "parent_line_id");
    assert_eq!(parents[0], (String::new(), "— không có —".to_owned(), true), "optional: none, chosen");
    assert_eq!(parents.len() - 1, of_model.len(), "only the chosen model's lines");
    assert!(parents.iter().skip(1).all(|(id, _, selected)| of_model.contains(id) && !selected));
    let parent = lines.iter().find(|l| Some(l.id) == nested.record.parent_line_id).unwrap();
    let label = parents.iter().find(|(id, _, _)| *id == nested.id.to_string()).unwrap().1.clone();
    assert_eq!(label, format!("{} › {}", parent.record.component, nested.record.component), "its path");
    let labels: Vec<String> = parents.iter().skip(1).map(|(_, l, _)| cncl_store::search::fold(l)).collect();
    assert!(labels.windows(2).all(|w| w[0] <= w[1]), "sorted: {labels:?}");

    // A required reference starts with "choose", nothing chosen for the visitor.
    let (_, page) = office.get("/records/technology-assessments/new").await;
    let technologies = options_of(&page, "technology_id");
    assert_eq!(technologies[0], (String::new(), "— chọn —".to_owned(), true));
    assert!(technologies.iter().skip(1).all(|(_, label, selected)| label.contains(" › ") && !selected));
}
