//! Every list as a file: the API's export of each kind, filtered and within reach, read back
//! as a workbook and as CSV; and the list pages' links to it.

use cncl_app::Role;
use cncl_exchange::{Cell, Limits, read_csv, read_xlsx};

use crate::TestServer;

cncl_testkit::on_both_backends!(crate::TestServer::start =>
    every_list_downloads_as_a_workbook_and_as_csv,
);

async fn download(client: &reqwest::Client, url: String) -> (u16, String, Vec<u8>) {
    let response = client.get(url).send().await.unwrap();
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, content_type, response.bytes().await.unwrap().to_vec())
}

async fn every_list_downloads_as_a_workbook_and_as_csv(s: &TestServer) {
    s.app.load_demo(&crate::admin()).await.unwrap();
    let (_, page) = s.get_json("/api/v1/bom-lines?product=uav&per_page=1").await;
    let total = page["total"].as_i64().unwrap();
    assert!(total > 0);

    let (status, content_type, bytes) =
        download(&s.client, s.url("/api/v1/bom-lines/export?format=xlsx&product=uav")).await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("application/vnd.openxmlformats"), "{content_type}");
    let book = read_xlsx(&bytes, Limits::default()).unwrap();
    let rows = &book.sheets[0].rows;
    assert_eq!(book.sheets[0].name, "bom-lines");
    assert_eq!(rows[0].cell(0), &Cell::Text("ID".into()));
    assert!(rows[0].cells.contains(&Cell::Text("Linh kiện".into())), "headers in Vietnamese: {:?}", rows[0]);
    assert!(rows[1].cells.contains(&Cell::Text("unit_cost_vnd".into())), "the field keys beneath");
    assert_eq!(rows.len() as i64 - 2, total, "every record of the filtered list, every page");

    let (status, content_type, bytes) =
        download(&s.client, s.url("/api/v1/bom-lines/export?format=csv&product=uav&lang=en")).await;
    assert_eq!((status, content_type.as_str()), (200, "text/csv; charset=utf-8"));
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let csv = read_csv("bom-lines", &bytes, Limits::default()).unwrap();
    assert!(csv.sheets[0].rows[0].cells.contains(&Cell::Text("Component".into())));
    assert_eq!(csv.sheets[0].rows.len() as i64 - 1, total);

    // Any kind; a bad format or filter is named; a reporter gets only its own records.
    let (status, _, _) = download(&s.client, s.url("/api/v1/organisations/export?format=xlsx")).await;
    assert_eq!(status, 200);
    let (status, _, body) = download(&s.client, s.url("/api/v1/tasks/export?format=pdf")).await;
    assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));
    let (status, _, _) = download(&s.client, s.url("/api/v1/people/export?format=csv&status=x")).await;
    assert_eq!(status, 400);
    let anonymous = download(&reqwest::Client::new(), s.url("/api/v1/tasks/export?format=csv")).await;
    assert_eq!(anonymous.0, 401);
    let model = &s.get_json("/api/v1/product-models?product=uav").await.1["items"][0];
    let maker = model["maker_id"].as_str().unwrap().parse().unwrap();
    let expires = s.app.now() + chrono::Duration::days(1);
    let (_, secret) =
        s.app.create_api_token(&crate::admin(), "r", Role::Reporter, Some(maker), vec![], expires).await.unwrap();
    let (_, _, bytes) = download(&crate::client_with(&secret), s.url("/api/v1/product-models/export?format=csv")).await;
    let theirs = read_csv("x", &bytes, Limits::default()).unwrap();
    let (_, own) = s.get_json(&format!("/api/v1/product-models?organisation={maker}")).await;
    assert_eq!(theirs.sheets[0].rows.len() as i64 - 1, own["total"].as_i64().unwrap(), "only its own models");

    // The list pages link to both.
    let mut office = crate::sessions::signed_in(s, "tai-ve", Role::Viewer).await;
    let (_, html) = office.get("/records/bom-lines?product=uav").await;
    assert!(
        html.contains("href=\"/api/v1/bom-lines/export?format=xlsx&amp;lang=vi&amp;product=uav\"")
            || html.contains("href=\"/api/v1/bom-lines/export?format=xlsx&#38;lang=vi&#38;product=uav\""),
        "{html}"
    );
}
