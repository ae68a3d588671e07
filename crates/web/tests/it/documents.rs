//! Documents on records: kept with their SHA-256 in the audit chain, typed by content,
//! downloaded as attachments only, within the record's reach.

use cncl_app::Role;
use cncl_domain::market::ProductModel;

use crate::sessions::{signed_in_admin, signed_in_for};
use crate::{TestServer, admin};

#[tokio::test]
async fn a_document_is_kept_audited_typed_by_content_and_served_as_an_attachment() {
    let s = TestServer::start(cncl_store::Backend::Sqlite).await.unwrap();
    let mut office = signed_in_admin(&s).await;
    s.app.load_demo(&admin()).await.unwrap();
    let model = s.app.list::<ProductModel>(&admin(), &cncl_app::ListQuery::default()).await.unwrap().items.remove(0);
    let page = format!("/records/product-models/{}", model.id);
    let csrf = office.csrf(&page).await;
    let pdf = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

    let upload = format!("{page}/documents");
    let (status, location) = office.post_file(&upload, &csrf, "Biên bản thử nghiệm.pdf", pdf).await;
    assert_eq!((status, location.as_str()), (303, format!("{page}#saved").as_str()));
    let (_, html) = office.get(&page).await;
    let section = html.split("<section class=\"documents\"").nth(1).unwrap().split("</section>").next().unwrap();
    assert!(section.contains("Biên bản thử nghiệm.pdf") && section.contains("<td>PDF</td>"), "{section}");
    let href = section.split("<a href=\"/documents/").nth(1).unwrap().split('"').next().unwrap().to_owned();

    // Served as an attachment, never sniffed, never run.
    let response = s.client.get(s.url(&format!("/documents/{href}"))).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert!(headers["content-disposition"].to_str().unwrap().starts_with("attachment; filename="));
    assert!(headers["content-disposition"].to_str().unwrap().contains("UTF-8''Bi%C3%AAn"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers["content-security-policy"].to_str().unwrap().contains("sandbox"));
    assert_eq!(response.text().await.unwrap(), pdf);

    // In the audit chain with its SHA-256, which audit verify checks.
    let sha256 = cncl_store::published::sha256_hex(pdf.as_bytes());
    let (_, audit) = s.get_json("/api/v1/audit?entity=documents").await;
    assert!(audit.to_string().contains(&sha256), "{audit}");
    let (_, verified) = s.get_json("/api/v1/audit/verify").await;
    assert!(verified["first_broken"].is_null() && verified["mismatched_rows"] == serde_json::json!([]), "{verified}");

    // The type is the content's: HTML named .pdf is refused, and nothing is kept.
    let (status, page_html) =
        office.post_file(&upload, &csrf, "quyet-dinh.pdf", "<html><script>alert(1)</script></html>").await;
    assert_eq!(status, 422, "{page_html}");
    assert!(page_html.contains("xét theo nội dung tệp"), "named in Vietnamese: {page_html}");
    assert_eq!(
        s.app.documents(&admin(), cncl_domain::EntityKind::ProductModel, model.id.as_uuid()).await.unwrap().len(),
        1
    );

    // Another organisation's reporter neither downloads nor attaches.
    let others =
        s.app.list::<cncl_domain::organisation::Organisation>(&admin(), &cncl_app::ListQuery::default()).await.unwrap();
    let other = others.items.iter().find(|o| o.id != model.record.maker_id).unwrap().id.as_uuid();
    let mut reporter = signed_in_for(&s, "bao-cao-khac", Role::Reporter, Some(other)).await;
    assert_eq!(reporter.get(&format!("/documents/{href}")).await.0, 404, "as if it did not exist");
    let csrf = reporter.csrf("/").await;
    let (status, _) = reporter.post_file(&upload, &csrf, "x.pdf", pdf).await;
    assert!(status == 403 || status == 404, "{status}");
}

/// The same over the API, with a token: attach (multipart), list, download; typed by content;
/// another organisation's reporter finds nothing.
#[tokio::test]
async fn documents_are_attached_listed_and_downloaded_over_the_api() {
    let s = TestServer::start(cncl_store::Backend::Sqlite).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    let model = s.app.list::<ProductModel>(&admin(), &cncl_app::ListQuery::default()).await.unwrap().items.remove(0);
    let path = format!("/api/v1/product-models/{}/documents", model.id);
    let pdf = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
    let form = |name: &str, body: &str| {
        let part = reqwest::multipart::Part::bytes(body.as_bytes().to_vec()).file_name(name.to_owned());
        reqwest::multipart::Form::new().part("file", part)
    };

    let attached = s.client.post(s.url(&path)).multipart(form("Chứng nhận.pdf", pdf)).send().await.unwrap();
    assert_eq!(attached.status().as_u16(), 201);
    let document: serde_json::Value = attached.json().await.unwrap();
    assert_eq!(
        (document["media_type"].as_str(), document["file_name"].as_str()),
        (Some("application/pdf"), Some("Chứng nhận.pdf"))
    );
    assert_eq!(document["sha256"], cncl_store::published::sha256_hex(pdf.as_bytes()));

    let refused = s.client.post(s.url(&path)).multipart(form("x.pdf", "<html></html>")).send().await.unwrap();
    assert_eq!(refused.status().as_u16(), 422, "typed by content, not by name");
    let (status, listed) = s.get_json(&path).await;
    assert_eq!(status, 200);
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");

    let download = format!("/api/v1/documents/{}", document["id"].as_str().unwrap());
    let response = s.client.get(s.url(&download)).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
    assert_eq!(response.text().await.unwrap(), pdf);

    // Out of reach: as if there were none.
    let others =
        s.app.list::<cncl_domain::organisation::Organisation>(&admin(), &cncl_app::ListQuery::default()).await.unwrap();
    let other = others.items.iter().find(|o| o.id != model.record.maker_id).unwrap().id.as_uuid();
    let mut reporter = signed_in_for(&s, "bao-cao-api", Role::Reporter, Some(other)).await;
    assert_eq!(reporter.get(&download).await.0, 404);
    assert_eq!(reporter.get(&path).await.0, 404);
    assert_eq!(
        s.anonymous.post(s.url(&path)).multipart(form("a.pdf", pdf)).send().await.unwrap().status().as_u16(),
        401
    );
}
