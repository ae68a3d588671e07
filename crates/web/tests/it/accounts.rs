//! The office administers accounts and API tokens in the web UI: add (the one-time password
//! shown once), disable and enable, reset, create and revoke tokens; nobody else may.

use cncl_app::Role;

use crate::sessions::{Browser, signed_in, signed_in_admin};
use crate::{TestServer, admin};

fn hidden(page: &str, marker: &str) -> String {
    page.split(marker).nth(1).unwrap_or_else(|| panic!("no {marker} in {page}")).split('<').next().unwrap().to_owned()
}

fn account_id(page: &str, username: &str) -> String {
    let row = page.split(&format!("<tr id=\"account-{username}\">")).nth(1).unwrap();
    row.split("/accounts/").nth(1).unwrap().split('/').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_office_adds_disables_resets_accounts_and_issues_tokens() {
    let s = TestServer::start(cncl_store::Backend::Sqlite).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    let organisations =
        s.app.list::<cncl_domain::organisation::Organisation>(&admin(), &cncl_app::ListQuery::default()).await.unwrap();
    let organisation = &organisations.items[0].record;
    let tax_code = organisation.tax_code.as_str().to_owned();

    // The first account made is the administrator's.
    let mut office = signed_in_admin(&s).await;
    let mut viewer = signed_in(&s, "thu", Role::Viewer).await;
    let (status, page) = viewer.get("/accounts").await;
    assert_eq!(status, 403, "{page}");
    assert!(!page.contains("href=\"/accounts\""), "not offered");

    let (status, page) = office.get("/accounts").await;
    assert_eq!(status, 200);
    assert!(page.contains("<a href=\"/accounts\" aria-current=\"page\">Tài khoản</a>"));
    assert!(page.contains("<option value=\"\">— chọn —</option>"), "no role chosen in advance");
    let csrf = office.csrf("/accounts").await;

    let refused = [
        ("csrf", csrf.as_str()),
        ("username", "bao-cao"),
        ("display_name", "Người báo cáo"),
        ("role", "reporter"),
        ("organisation", "không có tổ chức này"),
    ];
    let (status, page) = office.post_form("/accounts", &refused).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("không có tổ chức nào khớp") && page.contains("value=\"bao-cao\""), "what was typed is kept");

    let added = [
        ("csrf", csrf.as_str()),
        ("username", "bao-cao"),
        ("display_name", "Người báo cáo"),
        ("role", "reporter"),
        ("organisation", tax_code.as_str()),
    ];
    let (status, page) = office.post_form("/accounts", &added).await;
    assert_eq!(status, 201, "{page}");
    let password = hidden(&page, "<code class=\"one-time\">");
    let row = page.split("<tr id=\"account-bao-cao\">").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(row.contains("Đơn vị báo cáo") && row.contains(&organisation.name.to_string()), "{row}");
    let mut reporter = Browser::new(&s);
    assert_eq!(reporter.sign_in("bao-cao", &password).await, (303, "/password".to_owned()), "the one-time password");

    let id = account_id(&page, "bao-cao");
    let (status, location) = office.post_form(&format!("/accounts/{id}/disable"), &[("csrf", &csrf)]).await;
    assert_eq!((status, location.as_str()), (303, "/accounts#saved"));
    assert_ne!(Browser::new(&s).sign_in("bao-cao", &password).await.0, 303, "a disabled account cannot sign in");
    let (_, page) = office.get("/accounts").await;
    assert!(page.contains("Đã vô hiệu hóa") && page.contains(&format!("/accounts/{id}/enable")));
    office.post_form(&format!("/accounts/{id}/enable"), &[("csrf", &csrf)]).await;
    let (status, page) = office.post_form(&format!("/accounts/{id}/reset-password"), &[("csrf", &csrf)]).await;
    assert_eq!(status, 200);
    let reset = hidden(&page, "<code class=\"one-time\">");
    assert_ne!(reset, password);
    assert_eq!(Browser::new(&s).sign_in("bao-cao", &reset).await, (303, "/password".to_owned()));

    let token =
        [("csrf", csrf.as_str()), ("name", "Cổng dữ liệu tỉnh"), ("role", "viewer"), ("expires_on", "31/12/2027")];
    let (status, page) = office.post_form("/tokens", &token).await;
    assert_eq!(status, 201, "{page}");
    let secret = hidden(&page, "<code class=\"one-time\">");
    let client = reqwest::Client::new();
    let call = || client.get(s.url("/api/v1/tasks")).bearer_auth(&secret).send();
    assert_eq!(call().await.unwrap().status().as_u16(), 200);
    let row = page.split("<th scope=\"row\">Cổng dữ liệu tỉnh</th>").nth(1).unwrap().split("</tr>").next().unwrap();
    let token_id = row.split("/tokens/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    assert_eq!(office.post_form(&format!("/tokens/{token_id}/revoke"), &[("csrf", &csrf)]).await.0, 303);
    assert_eq!(call().await.unwrap().status().as_u16(), 401, "revoked");
}
