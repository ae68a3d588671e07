use crate::TestServer;

crate::on_both_backends!(home_page_is_vietnamese_by_default_with_an_english_switch);

async fn home_page_is_vietnamese_by_default_with_an_english_switch(s: &TestServer) {
    let page = s.client.get(s.url("/")).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<html lang=\"vi\">"));
    assert!(html.contains("Sáu sản phẩm công nghệ chiến lược"));
    assert!(html.contains("Robot di động tự hành"));
    assert!(html.contains("id=\"criterion-C2\""));
    assert!(html.contains("60–70 % (31/12/2027)"), "C2's 2027 band is shown");
    assert_eq!(html.matches("class=\"product\"").count(), 6);

    let switched = s.client.get(s.url("/?lang=en")).send().await.unwrap();
    let cookie = switched.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("cncl_lang=en"), "{cookie}");
    let html = switched.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Autonomous mobile robots"));
    assert!(html.contains("≥ 10,000 (31 Dec 2030)"), "counts in English style");

    // The cookie keeps English on the next page without ?lang.
    let again = s.client.get(s.url("/")).header("cookie", "cncl_lang=en").send().await.unwrap();
    assert!(again.text().await.unwrap().contains("<html lang=\"en\">"));
    let css = s.client.get(s.url("/static/app.css")).send().await.unwrap();
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
}
