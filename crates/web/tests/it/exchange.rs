//! Every list as a file: the API's export of each kind, filtered and within reach, read back
//! as a workbook and as CSV; and the list pages' links to it.

use cncl_app::Role;
use cncl_exchange::{Cell, CellOut, Column, ColumnKind, Limits, SheetOut, read_csv, read_xlsx, write_xlsx};

use crate::TestServer;

cncl_testkit::on_both_backends!(crate::TestServer::start =>
    every_list_downloads_as_a_workbook_and_as_csv,
    a_file_is_previewed_then_committed_over_the_api,
    the_import_page_previews_then_writes,
    a_reporting_workbook_brings_a_model_its_bill_costs_and_sales_in_one_commit,
    a_workbook_of_the_offices_own_is_mapped_once_and_remembered,
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

    // The scorecard with its evidence, and the funding table: the figures the API gives.
    let (_, card) = s.get_json("/api/v1/scorecard?as_of=2026-11-24").await;
    let (status, _, bytes) = download(&s.client, s.url("/api/v1/scorecard/export?format=xlsx&as_of=2026-11-24")).await;
    assert_eq!(status, 200);
    let book = read_xlsx(&bytes, Limits::default()).unwrap();
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["chi-tieu", "ban-ghi"]);
    let criteria = card["programme"].as_array().unwrap().len()
        + card["products"].as_array().unwrap().iter().map(|p| p["results"].as_array().unwrap().len()).sum::<usize>();
    assert_eq!(book.sheets[0].rows.len() - 2, criteria, "a row per figure");
    let expected = c1a_of(&card, "uav")["percent"].as_f64().unwrap();
    let row = book.sheets[0]
        .rows
        .iter()
        .find(|r| r.cell(0) == &Cell::Text("uav".into()) && r.cell(1) == &Cell::Text("C1a".into()))
        .unwrap();
    assert_eq!(row.cell(3), &Cell::Number(expected));
    let evidence: usize = card["products"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["results"].as_array().unwrap())
        .chain(card["programme"].as_array().unwrap())
        .map(|r| {
            r["evidence"]["numerator"].as_array().unwrap().len()
                + r["evidence"]["denominator"].as_array().unwrap().len()
        })
        .sum();
    assert_eq!(book.sheets[1].rows.len() - 2, evidence, "a row per record behind a figure");
    let (_, _, bytes) =
        download(&s.client, s.url("/api/v1/scorecard/export?format=csv&as_of=2026-11-24&table=evidence")).await;
    let rows = read_csv("evidence", &bytes, Limits::default()).unwrap().sheets[0].rows.len();
    assert_eq!(rows - 1, evidence, "the evidence table alone as CSV");
    let (status, content_type, bytes) =
        download(&s.client, s.url("/api/v1/funding/export?format=csv&as_of=2026-11-24&lang=en")).await;
    assert_eq!((status, content_type.as_str()), (200, "text/csv; charset=utf-8"));
    let funding = read_csv("funding", &bytes, Limits::default()).unwrap();
    assert_eq!(funding.sheets[0].rows[0].cell(0), &Cell::Text("Year".into()));
    let (_, summary) = s.get_json("/api/v1/funding?as_of=2026-11-24").await;
    assert_eq!(funding.sheets[0].rows.len() - 1, summary["years"].as_array().unwrap().len());
    let (status, _, _) = download(&s.client, s.url("/api/v1/scorecard/export?format=pdf")).await;
    assert_eq!(status, 400);

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
    let preview = preview_with(&s.client, s, "cost-lines.csv", changed.into_bytes()).await;
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
    let preview = preview_with(&s.client, s, "cost-lines.csv", original).await;
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
    assert!(page.contains("“một triệu” không phải số"), "the reason in Vietnamese: {page}");
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

/// A file sent for preview with `client` (an API token), and the preview.
async fn preview_with(client: &reqwest::Client, s: &TestServer, file_name: &str, bytes: Vec<u8>) -> serde_json::Value {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned());
    let form = reqwest::multipart::Form::new().part("file", part);
    client.post(s.url("/api/v1/imports")).multipart(form).send().await.unwrap().json().await.unwrap()
}

/// The cells of a filled row, placed by the field keys of a downloaded template's row 2.
fn filled(keys: &[String], values: &[(&str, &str)]) -> Vec<CellOut> {
    keys.iter()
        .map(|key| {
            values.iter().find(|(k, _)| k == key).map_or(CellOut::Empty, |(_, v)| CellOut::Text((*v).to_owned()))
        })
        .collect()
}

fn c1a_of(card: &serde_json::Value, product: &str) -> serde_json::Value {
    let products = card["products"].as_array().unwrap();
    let results = products.iter().find(|p| p["product"] == product).unwrap()["results"].as_array().unwrap();
    results.iter().find(|r| r["criterion"] == "C1a").unwrap().clone()
}

async fn a_reporting_workbook_brings_a_model_its_bill_costs_and_sales_in_one_commit(s: &TestServer) {
    // A fresh database: the reference data, one enterprise and its reporter.
    let org = serde_json::json!({"name": "Công ty Cánh Việt", "kind": "enterprise", "tax_code": "0109998887", "province": "Hà Nội", "ownership": "private", "scale_usd": null});
    let (status, created) = s.send_json(reqwest::Method::POST, "/api/v1/organisations", &org.to_string()).await;
    assert_eq!(status, 201, "{created}");
    let org_id: uuid::Uuid = created["id"].as_str().unwrap().parse().unwrap();
    let expires = s.app.now() + chrono::Duration::days(1);
    let (_, secret) = s
        .app
        .create_api_token(&crate::admin(), "canh-viet", Role::Reporter, Some(org_id), vec![], expires)
        .await
        .unwrap();
    let reporter = crate::client_with(&secret);
    let (_, before) = s.get_json("/api/v1/scorecard?as_of=2026-12-31").await;
    let (_, log_before) = s.get_json("/api/v1/audit?per_page=1").await;

    // 1. The reporter downloads its reporting workbook: instructions, then a sheet per kind.
    let (status, content_type, bytes) = download(&reporter, s.url("/api/v1/reporting-workbook")).await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("application/vnd.openxmlformats"));
    let template = read_xlsx(&bytes, Limits::default()).unwrap();
    let names: Vec<&str> = template.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names[0], "Hướng dẫn");
    let position = |name: &str| names.iter().position(|n| *n == name).unwrap();
    assert!(position("product-models") < position("bom-lines") && position("bom-lines") < position("cost-lines"));
    assert!(position("cost-lines") < position("model-sales"), "{names:?}");
    let instructions = format!("{:?}", template.sheets[0].rows);
    assert!(instructions.contains("mã số thuế"), "{instructions}");
    let keys = |sheet: &str| -> Vec<String> {
        let sheet = template.sheets.iter().find(|s| s.name == sheet).unwrap();
        assert_eq!(sheet.rows.len(), 2, "headers and keys only: {sheet:?}");
        sheet.rows[1].cells.iter().map(|c| if let Cell::Text(t) = c { t.clone() } else { String::new() }).collect()
    };

    // 2. Filled in: a model, its two-level bill, cost lines and sales, by the keys people use;
    //    one amount mistyped.
    let write = |amount: &str| {
        let sheet = |name: &str, rows: Vec<Vec<CellOut>>| {
            let keys = keys(name);
            let columns =
                keys.iter().map(|k| Column { header: k.clone(), key: k.clone(), kind: ColumnKind::Text }).collect();
            SheetOut { name: name.into(), columns, rows: Box::new(rows.into_iter()) }
        };
        let k = keys("bom-lines");
        let line = |parent: &str, component: &str, quantity: &str, cost: &str, origin: &str| {
            filled(
                &k,
                &[
                    ("model_id", "Cánh Việt X1"),
                    ("parent_line_id", parent),
                    ("component", component),
                    ("quantity", quantity),
                    ("unit_cost_vnd", cost),
                    ("origin", origin),
                ],
            )
        };
        let c = keys("cost-lines");
        let cost = |category: &str, origin: &str, amount: &str| {
            filled(
                &c,
                &[
                    ("model_id", "0109998887 > Cánh Việt X1"),
                    ("category", category),
                    ("origin", origin),
                    ("amount_vnd", amount),
                ],
            )
        };
        write_xlsx(vec![
            sheet(
                "product-models",
                vec![filled(
                    &keys("product-models"),
                    &[
                        ("product_code", "uav"),
                        ("maker_id", "0109998887"),
                        ("name", "Cánh Việt X1"),
                        ("selling_price_vnd", "20.000.000"),
                        ("launched_on", "01/03/2026"),
                    ],
                )],
            ),
            sheet(
                "bom-lines",
                vec![
                    line("", "Khung", "1", "6.000.000", "Trong nước"),
                    line("Khung", "Động cơ", "4", "500.000", "Nhập khẩu"),
                    line("", "Pin", "1", "2.000.000", "Nhập khẩu"),
                ],
            ),
            sheet(
                "cost-lines",
                vec![cost("Nguyên vật liệu", "Trong nước", "8.000.000"), cost("Nhân công", "Trong nước", amount)],
            ),
            sheet(
                "model-sales",
                vec![filled(
                    &keys("model-sales"),
                    &[("model_id", "Cánh Việt X1"), ("year", "2026"), ("domestic_units", "120"), ("export_units", "0")],
                )],
            ),
        ])
        .unwrap()
    };
    let preview = preview_with(&reporter, s, "so-bao-cao.xlsx", write("hai triệu")).await;
    assert_eq!(preview["report"]["errors"], 1, "{preview}");
    let costs = preview["report"]["sheets"].as_array().unwrap().iter().find(|s| s["sheet"] == "cost-lines").unwrap();
    let bad = costs["rows"].as_array().unwrap().iter().find(|r| r["outcome"] == "error").unwrap();
    let amount_letter =
        cncl_exchange::column_letter(keys("cost-lines").iter().position(|k| k == "amount_vnd").unwrap());
    assert_eq!((bad["row"].as_u64(), bad["column"].as_str()), (Some(4), Some(amount_letter.as_str())), "{bad}");
    assert_eq!(
        (bad["message_vi"].as_str(), bad["message"].as_str()),
        (Some("“hai triệu” không phải số"), Some("“hai triệu” is not a number")),
        "the reason in both languages: {bad}"
    );
    // The preview comes back as the same workbook with what checking found on each row.
    let id = preview["id"].as_str().unwrap();
    let (status, _, annotated) = download(&reporter, s.url(&format!("/api/v1/imports/{id}/annotated"))).await;
    assert_eq!(status, 200);
    let annotated = read_xlsx(&annotated, Limits::default()).unwrap();
    let costs = annotated.sheets.iter().find(|s| s.name == "cost-lines").unwrap();
    let note = costs.rows.iter().find(|r| r.number == 4).unwrap().cells.last().unwrap().clone();
    assert!(matches!(&note, Cell::Text(t) if t.starts_with(&format!("LỖI {amount_letter}4"))), "{note:?}");
    assert!(matches!(&note, Cell::Text(t) if t.ends_with("“hai triệu” không phải số")), "in Vietnamese: {note:?}");
    let refused = reporter.post(s.url(&format!("/api/v1/imports/{id}/commit"))).send().await.unwrap();
    assert_eq!(refused.status().as_u16(), 422, "a file with a bad row writes nothing");
    let (_, models) = s.get_json("/api/v1/product-models?product=uav").await;
    assert_eq!(models["total"], 0, "nothing written");

    // 3. Fixed: previewed again and committed, all at once.
    let preview = preview_with(&reporter, s, "so-bao-cao.xlsx", write("3.000.000")).await;
    assert_eq!(
        (preview["report"]["new"].as_u64(), preview["report"]["errors"].as_u64()),
        (Some(7), Some(0)),
        "{preview}"
    );
    let id = preview["id"].as_str().unwrap();
    let committed = reporter.post(s.url(&format!("/api/v1/imports/{id}/commit"))).send().await.unwrap();
    assert_eq!(committed.status().as_u16(), 200);
    let (_, lines) = s.get_json("/api/v1/bom-lines?product=uav").await;
    let lines = lines["items"].as_array().unwrap();
    let frame = lines.iter().find(|l| l["component"] == "Khung").unwrap();
    let motor = lines.iter().find(|l| l["component"] == "Động cơ").unwrap();
    assert_eq!(motor["parent_line_id"], frame["id"], "the second level hangs from the first");

    // The scorecard shows the model's figures; one audit entry per record, by the reporter.
    let (_, after) = s.get_json("/api/v1/scorecard?as_of=2026-12-31").await;
    assert_ne!(c1a_of(&before, "uav")["value"], c1a_of(&after, "uav")["value"]);
    assert!(c1a_of(&after, "uav")["value"].as_f64().is_some(), "{}", c1a_of(&after, "uav"));
    let (_, log) = s.get_json("/api/v1/audit?per_page=20").await;
    let new_entries = log["total"].as_i64().unwrap() - log_before["total"].as_i64().unwrap();
    assert_eq!(new_entries, 7);
    let entries = &log["items"].as_array().unwrap()[..7];
    assert!(entries.iter().all(|e| e["actor"] == entries[0]["actor"] && e["action"] == "insert"), "{entries:?}");
    assert!(entries[0]["actor"].as_str().unwrap().contains("canh-viet"), "{}", entries[0]["actor"]);

    // Downloaded again pre-filled, the workbook reads back unchanged, references as keys.
    let (_, _, bytes) = download(&reporter, s.url("/api/v1/reporting-workbook?prefilled=true")).await;
    let prefilled = read_xlsx(&bytes, Limits::default()).unwrap();
    let bom = prefilled.sheets.iter().find(|s| s.name == "bom-lines").unwrap();
    let column = |key: &str| bom.rows[1].cells.iter().position(|c| c == &Cell::Text(key.into())).unwrap();
    let motor_row = bom.rows.iter().find(|r| r.cell(column("component")) == &Cell::Text("Động cơ".into())).unwrap();
    assert_eq!(motor_row.cell(column("parent_line_id")), &Cell::Text("Khung".into()), "the parent by its path");
    assert_eq!(motor_row.cell(column("model_id")), &Cell::Text("Cánh Việt X1".into()), "the model by its name");
    assert_eq!(motor_row.cell(column("origin")), &Cell::Text("Nhập khẩu".into()), "a closed set by its label");
    let preview = preview_with(&reporter, s, "so-bao-cao.xlsx", bytes).await;
    assert_eq!(
        (preview["report"]["unchanged"].as_u64(), preview["report"]["errors"].as_u64()),
        (Some(7), Some(0)),
        "{preview}"
    );

    // A row about another organisation, or naming an unknown tax code, is an error.
    let other = serde_json::json!({"name": "Công ty khác", "kind": "enterprise", "tax_code": "0105556667", "province": "Huế", "ownership": "private", "scale_usd": null});
    assert_eq!(s.send_json(reqwest::Method::POST, "/api/v1/organisations", &other.to_string()).await.0, 201);
    let model_keys = keys("product-models");
    let model = |maker: &str| {
        let columns =
            model_keys.iter().map(|k| Column { header: k.clone(), key: k.clone(), kind: ColumnKind::Text }).collect();
        let row = filled(
            &model_keys,
            &[("product_code", "uav"), ("maker_id", maker), ("name", "Mẫu khác"), ("selling_price_vnd", "1.000.000")],
        );
        write_xlsx(vec![SheetOut { name: "product-models".into(), columns, rows: Box::new(std::iter::once(row)) }])
            .unwrap()
    };
    let maker_letter = cncl_exchange::column_letter(model_keys.iter().position(|k| k == "maker_id").unwrap());
    for (maker, reason, reason_vi) in [
        ("0105556667", "outside", "nằm ngoài phạm vi tài khoản được thay đổi"),
        (
            "0100000000",
            "no organisation is known as “0100000000”",
            "không có tổ chức, doanh nghiệp nào là “0100000000”",
        ),
    ] {
        let preview = preview_with(&reporter, s, "so-bao-cao.xlsx", model(maker)).await;
        let row = &preview["report"]["sheets"][0]["rows"][0];
        assert_eq!(row["outcome"], "error", "{preview}");
        assert!(row["message"].as_str().unwrap().contains(reason), "{row}");
        assert!(row["message_vi"].as_str().unwrap().contains(reason_vi), "{row}");
        if maker == "0100000000" {
            assert_eq!(row["column"].as_str(), Some(maker_letter.as_str()), "{row}");
        }
    }
}

async fn a_workbook_of_the_offices_own_is_mapped_once_and_remembered(s: &TestServer) {
    s.app.load_demo(&crate::admin()).await.unwrap();
    let (_, models) = s.get_json("/api/v1/product-models?product=amr&per_page=1").await;
    let model = models["items"][0]["name"].as_str().unwrap().to_owned();
    // The office's own sheet: a title, a blank row, then its own headers.
    let bytes = format!(
        "BẢNG CHI PHÍ SẢN XUẤT QUÝ 3;;;;;\r\n;;;;;\r\nSTT;Mẫu SP;Khoản mục;Nguồn gốc;Thành tiền (đồng);Ghi chú\r\n\
         1;{model};Nhân công;Trong nước;1.500.000;Lắp ráp\r\n2;{model};Dịch vụ;Nhập khẩu;700.000;\r\n"
    )
    .into_bytes();
    let preview = |bytes: Vec<u8>| preview_with(&s.client, s, "chi-phi-quy-3.csv", bytes);
    let first = preview(bytes.clone()).await;
    let unknown = &first["report"]["unknown_sheets"][0];
    assert_eq!(
        (unknown["sheet"].as_str(), unknown["suggestion"].as_str()),
        (Some("chi-phi-quy-3"), Some("cost-lines")),
        "{first}"
    );
    assert_eq!(first["report"]["ready"], false, "nothing to write until the sheet is placed");

    // The sheet's kind and the columns not named like fields are chosen, once.
    let mapping = serde_json::json!({
        "sheets": {"chi-phi-quy-3": "cost-lines"},
        "columns": {"cost-lines": {"Mẫu SP": "model_id", "Khoản mục": "category", "Thành tiền (đồng)": "amount_vnd", "Ghi chú": "description", "STT": ""}}
    });
    let id = first["id"].as_str().unwrap();
    let (status, mapped) =
        s.send_json(reqwest::Method::POST, &format!("/api/v1/imports/{id}/mapping"), &mapping.to_string()).await;
    assert_eq!(status, 200, "{mapped}");
    let report = &mapped["report"];
    assert_eq!(report["sheets"][0]["header_row"], 3, "found below the title");
    assert_eq!(
        (report["new"].as_u64(), report["errors"].as_u64(), report["ready"].as_bool()),
        (Some(2), Some(0), Some(true)),
        "{report}"
    );
    let columns = report["sheets"][0]["columns"].as_array().unwrap();
    let origin = columns.iter().find(|c| c["header"] == "Nguồn gốc").unwrap();
    assert_eq!(origin["field"], "origin", "a header named like a field needs no choice");

    // The next upload of the same kind of workbook uses the saved choices.
    let again = preview(bytes).await;
    assert_eq!((again["report"]["new"].as_u64(), again["report"]["ready"].as_bool()), (Some(2), Some(true)), "{again}");
    let id = again["id"].as_str().unwrap();
    let committed = s.client.post(s.url(&format!("/api/v1/imports/{id}/commit"))).send().await.unwrap();
    assert_eq!(committed.status().as_u16(), 200);
    let (_, lines) = s.get_json("/api/v1/cost-lines?product=amr&per_page=500").await;
    assert!(
        lines["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["amount_vnd"] == 1_500_000 && l["description"] == "Lắp ráp")
    );

    // A field that does not exist is refused by name.
    let bad_kind = serde_json::json!({"sheets": {"chi-phi-quy-3": "costs"}});
    let (status, body) = s
        .send_json(
            reqwest::Method::POST,
            &format!("/api/v1/imports/{}/mapping", first["id"].as_str().unwrap()),
            &bad_kind.to_string(),
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (400, Some("sheets")), "{body}");
    let bad = serde_json::json!({"columns": {"cost-lines": {"Ghi chú": "remarks"}}});
    let (status, body) = s
        .send_json(
            reqwest::Method::POST,
            &format!("/api/v1/imports/{}/mapping", first["id"].as_str().unwrap()),
            &bad.to_string(),
        )
        .await;
    assert_eq!(status, 400, "{body}");
}
