//! Every list as a file: the API's export of each kind, filtered and within reach, read back
//! as a workbook and as CSV; and the list pages' links to it.

use cncl_app::Role;
use cncl_exchange::{Cell, Limits, read_csv, read_xlsx};

use crate::TestServer;

cncl_testkit::on_both_backends!(crate::TestServer::start =>
    every_list_downloads_as_a_workbook_and_as_csv,
    a_file_is_previewed_then_committed_over_the_api,
    the_import_page_previews_then_writes,
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

async fn a_file_is_previewed_then_committed_over_the_api(s: &TestServer) {
    s.app.load_demo(&crate::admin()).await.unwrap();
    let exported = s.client.get(s.url("/api/v1/cost-lines/export?format=csv&product=amr")).send().await.unwrap();
    let original = exported.bytes().await.unwrap().to_vec();
    // One amount changed: the preview names the field before and after, and writes nothing.
    let text = String::from_utf8(original.clone()).unwrap();
    let first_row = text.lines().nth(1).unwrap().to_owned();
    let cells: Vec<&str> = first_row.split(',').collect();
    let amount_column = text.lines().next().unwrap().split(',').position(|h| h == "Số tiền (đồng)").unwrap();
    let mut changed_cells: Vec<String> = cells.iter().map(|c| (*c).to_owned()).collect();
    changed_cells[amount_column] = "999000".into();
    let changed = text.replacen(&first_row, &changed_cells.join(","), 1);
    let upload = |bytes: Vec<u8>| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("cost-lines.csv");
        reqwest::multipart::Form::new().part("file", part)
    };
    let preview: serde_json::Value = s
        .client
        .post(s.url("/api/v1/imports"))
        .multipart(upload(changed.into_bytes()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (preview["report"]["updated"].as_u64(), preview["report"]["errors"].as_u64()),
        (Some(1), Some(0)),
        "{preview}"
    );
    let change =
        &preview["report"]["sheets"][0]["rows"].as_array().unwrap().iter().find(|r| r["outcome"] == "update").unwrap()
            ["changes"][0];
    assert_eq!((change["field"].as_str(), change["after"].as_i64()), (Some("amount_vnd"), Some(999_000)));
    let id = preview["id"].as_str().unwrap();
    let committed = s.client.post(s.url(&format!("/api/v1/imports/{id}/commit"))).send().await.unwrap();
    assert_eq!(committed.status().as_u16(), 200);
    let again = s.client.post(s.url(&format!("/api/v1/imports/{id}/commit"))).send().await.unwrap();
    assert_eq!(again.status().as_u16(), 404, "a preview is committed once");

    // Anything written between preview and commit: 409, preview again.
    let preview: serde_json::Value =
        s.client.post(s.url("/api/v1/imports")).multipart(upload(original)).send().await.unwrap().json().await.unwrap();
    let id = preview["id"].as_str().unwrap().to_owned();
    s.app.load_demo(&crate::admin()).await.unwrap();
    let org = serde_json::json!({"name": "Công ty mới", "kind": "enterprise", "tax_code": "0101010101", "province": "Huế", "ownership": "private", "scale_usd": null});
    assert_eq!(s.send_json(reqwest::Method::POST, "/api/v1/organisations", &org.to_string()).await.0, 201);
    let stale = s.client.post(s.url(&format!("/api/v1/imports/{id}/commit"))).send().await.unwrap();
    assert_eq!(stale.status().as_u16(), 409);
    let not_a_workbook =
        s.client.post(s.url("/api/v1/imports")).multipart(upload(b"PK\x03\x04broken".to_vec())).send().await.unwrap();
    assert_eq!(not_a_workbook.status().as_u16(), 400);
}

async fn the_import_page_previews_then_writes(s: &TestServer) {
    s.app.load_demo(&crate::admin()).await.unwrap();
    let exported = s.client.get(s.url("/api/v1/cost-lines/export?format=csv&product=5g")).send().await.unwrap();
    let text = String::from_utf8(exported.bytes().await.unwrap().to_vec()).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let amount = header.iter().position(|h| *h == "Số tiền (đồng)").unwrap();
    let first = text.lines().nth(1).unwrap().to_owned();
    let with_amount = |value: &str| {
        let mut cells: Vec<String> = first.split(',').map(str::to_owned).collect();
        cells[amount] = value.to_owned();
        text.replacen(&first, &cells.join(","), 1)
    };
    let mut office = crate::sessions::signed_in_admin(s).await;
    let csrf = office.csrf("/imports").await;
    // A bad amount: named, nothing offered to write.
    let (status, page) = office.post_file("/imports", &csrf, "cost-lines.csv", &with_amount("một triệu")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Có dòng lỗi: không ghi gì."), "{page}");
    assert!(!page.contains("/commit\""), "no commit for a file with errors");
    // A corrected amount: one update, then written.
    let (_, page) = office.post_file("/imports", &csrf, "cost-lines.csv", &with_amount("1.234.000")).await;
    assert!(page.contains("Cập nhật: 1"), "{page}");
    assert!(page.contains("→ 1234000"), "{page}");
    let action = page.split("action=\"/imports/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let (status, page) = office.post_form(&format!("/imports/{action}"), &[("csrf", &csrf)]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Đã ghi toàn bộ tệp."), "{page}");
    let (_, lines) = s.get_json("/api/v1/cost-lines?product=5g&per_page=500").await;
    assert!(lines["items"].as_array().unwrap().iter().any(|l| l["amount_vnd"] == 1_234_000));
}
