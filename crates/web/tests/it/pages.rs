use crate::TestServer;

cncl_testkit::on_both_backends!(crate::TestServer::start =>
    home_page_is_vietnamese_by_default_with_an_english_switch,
    scorecard_page_and_evidence_page,
    governance_pages,
    audit_log_page_filters_pages_and_verifies,
    the_task_list_pages_through_every_task,
);

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

async fn scorecard_page_and_evidence_page(s: &TestServer) {
    s.app.load_demo(&crate::admin()).await.unwrap();
    let page = s.client.get(s.url("/scorecard?as_of=2026-11-24")).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Bảng đánh giá theo tiêu chí"));
    // 8 product criteria × 6 products + 10 programme criteria, each a coloured, linked cell.
    assert_eq!(html.matches("<td class=\"cell ").count(), 58);
    assert!(html.contains("href=\"/scorecard/uav/C2?as_of=2026-11-24\""));
    assert!(html.contains("class=\"cell met\""));
    // Each row names both milestones' targets; each cell draws its quarterly history.
    let c2 = html.split("<tr id=\"criterion-C2\">").nth(1).unwrap().split("</tr>").next().unwrap();
    assert!(c2.contains("<div>60–70 % (31/12/2027)</div><div>≥ 80 % (31/12/2030)</div>"), "{c2}");
    assert_eq!(c2.matches("<svg class=\"sparkline\"").count(), 6, "{c2}");
    // C1a and C1b name the bill-of-materials rule; the UAV's C1b is marked: one of its
    // models declares materials 12 % above its bill.
    assert_eq!(html.matches("<span class=\"rule\">Quy tắc định mức nguyên vật liệu: truy vết").count(), 2, "{html}");
    assert_eq!(html.matches("class=\"warned\"").count(), 1);

    let c1b = s.client.get(s.url("/scorecard/uav/C1b?as_of=2026-11-24")).send().await.unwrap().text().await.unwrap();
    assert!(c1b.contains("Chi phí nguyên vật liệu không khớp định mức"), "{c1b}");
    assert!(c1b.contains("<td class=\"amount\">28.470.400 ₫</td><td class=\"amount\">25.420.000 ₫</td>"), "{c1b}");
    assert!(c1b.contains("UAV Cánh Diều M2 (mẫu)</a>"), "{c1b}");

    let evidence = s.client.get(s.url("/scorecard/uav/C2?as_of=2026-11-24&lang=en")).send().await.unwrap();
    assert_eq!(evidence.status().as_u16(), 200);
    let html = evidence.text().await.unwrap();
    assert!(html.contains("Share of core technologies mastered"));
    assert!(html.contains("<svg class=\"chart\""));
    assert!(html.contains("<polyline class=\"history\" points=\""));
    // The UAV's six leaf technologies are the denominator, each named and linked to its
    // record with its weight; the page says what the figure divides.
    let denominator = html.split("evidence-table denominator").nth(1).unwrap().split("</table>").next().unwrap();
    assert_eq!(denominator.matches("<th scope=\"row\"><a href=\"/records/core-technologies/").count(), 6);
    assert_eq!(denominator.matches("weight ").count(), 6, "{denominator}");
    assert!(html.contains("Σ weights of all the product&#39;s leaf core technologies"), "{html}");
    let anonymous =
        s.anonymous.get(s.url("/scorecard/uav/C2?as_of=2026-11-24")).send().await.unwrap().text().await.unwrap();
    assert!(!anonymous.contains("evidence-table") && !anonymous.contains("(0)"), "a visitor is not shown empty lists");
    assert!(anonymous.contains("để xem danh sách bản ghi được tính"), "{anonymous}");

    let (status, card) = s.get_json("/api/v1/scorecard?as_of=2026-11-24&product=uav").await;
    assert_eq!(status, 200);
    assert_eq!(card["products"].as_array().map(Vec::len), Some(1));
    let c2 =
        card["products"][0]["results"].as_array().unwrap().iter().find(|r| r["criterion"] == "C2").unwrap().clone();
    assert_eq!(c2["evidence"]["denominator"].as_array().map(Vec::len), Some(6));
    let (status, body) = s.get_json("/api/v1/scorecard?as_of=yesterday").await;
    assert_eq!((status, body["field"].as_str()), (400, Some("as_of")));
    assert_eq!(s.get_json("/api/v1/scorecard?product=nope").await.0, 404);
    assert_eq!(s.client.get(s.url("/scorecard/uav/C99")).send().await.unwrap().status().as_u16(), 404);
}

async fn governance_pages(s: &TestServer) {
    s.app.load_demo(&crate::admin()).await.unwrap();
    let get = |path: &str| {
        let url = s.url(path);
        let client = s.client.clone();
        async move {
            let response = client.get(url).send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let (status, html) = get("/tasks?product=uav").await;
    assert_eq!(status, 200);
    assert_eq!(html.matches("<a href=\"/tasks/").count(), 10, "ten UAV tasks, one per row");
    let (_, html) = get("/tasks?status=rejected").await;
    assert_eq!(html.matches("Không được nghiệm thu").count(), 6 + 1, "six rows and the filter's option");

    // The running task 5 of the LLM product: its checklist shows authority missing, its
    // history the three commands, its first milestone overdue.
    let (_, tasks) = s.get_json("/api/v1/tasks?product=llm&status=in_progress").await;
    let task = tasks["items"].as_array().unwrap().iter().find(|t| t["code"] == "LLM-05").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, html) = get(&format!("/tasks/{task}?lang=en")).await;
    assert_eq!(status, 200);
    assert!(html.contains("<li class=\"not-met\"><span aria-hidden=\"true\">✘</span> Clear authority</li>"), "{html}");
    assert_eq!(html.matches("<li class=\"met\">").count(), 6);
    for command in ["Order", "Assign", "Start"] {
        assert!(html.contains(&format!("<td>{command}</td>")), "{command}");
    }
    let (_, sixth) = s.get_json("/api/v1/tasks?product=llm&status=submitted").await;
    let sixth = sixth["items"][0]["id"].as_str().unwrap().to_owned();
    let (_, html) = get(&format!("/tasks/{sixth}?lang=en")).await;
    assert!(html.contains("<span class=\"badge not-met\">Overdue</span>"));
    let (_, ordered) = s.get_json("/api/v1/tasks?product=llm&status=ordered").await;
    let (_, html) = get(&format!("/tasks/{}?lang=en", ordered["items"][0]["id"].as_str().unwrap())).await;
    assert!(html.contains("Proposals and ranking"));
    assert_eq!(html.matches("<td>1</td>").count(), 2, "two proposals share the first rank");

    let (status, html) = get("/funding?as_of=2026-11-24&lang=en").await;
    assert_eq!(status, 200);
    assert!(html.contains("Within the ceiling"));
    assert!(!html.contains("class=\"over-ceiling\""));
    let (status, html) = get("/governance?as_of=2026-11-24&lang=en").await;
    assert_eq!(status, 200);
    assert!(html.contains("No chief engineer or chief architect</strong>: Unmanned aerial vehicles (UAVs)"), "{html}");
    assert!(html.contains("Bộ trưởng Bộ Khoa học và Công nghệ"));
    assert!(html.contains("Operating regulation"));
    assert_eq!(get("/tasks/not-an-id").await.0, 400);
}

async fn audit_log_page_filters_pages_and_verifies(s: &TestServer) {
    use cncl_domain::organisation::Organisation;
    s.app.load_demo(&crate::admin()).await.unwrap();
    let all = cncl_app::ListQuery { per_page: Some(1), ..cncl_app::ListQuery::default() };
    let org = s.app.list::<Organisation>(&crate::admin(), &all).await.unwrap().items.remove(0);
    let mut renamed = org.record.clone();
    renamed.name = cncl_domain::values::Text::parse("Công ty Đổi Tên").unwrap();
    s.app.update(&crate::admin(), org.id, renamed).await.unwrap();

    let html = s.client.get(s.url(&format!("/audit?entity=organisations&id={}&lang=en", org.id))).send().await.unwrap();
    assert_eq!(html.status().as_u16(), 200);
    let html = html.text().await.unwrap();
    assert!(html.contains("Total: 2"), "created, then renamed");
    assert!(
        html.contains(&format!("Name: {} → Công ty Đổi Tên", org.record.name)),
        "the update shows what changed, named as the form names it"
    );
    assert!(!html.contains("rel=\"next\""), "one page");
    assert!(html.contains(&format!("href=\"/records/organisations/{}\"", org.id)), "each entry opens its record");

    // The whole log is paged, newest first, and the next page keeps the filter.
    let html =
        s.client.get(s.url("/audit?actor=test-office&from=2020-01-01")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("href=\"/audit?actor=test-office&#38;from=2020-01-01&#38;page=2\" rel=\"next\""), "{html}");
    let first_seq = |html: &str| {
        html.split("<tbody>")
            .nth(1)
            .unwrap()
            .split("<td>")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .parse::<i64>()
            .unwrap()
    };
    let page2 = s
        .client
        .get(s.url("/audit?actor=test-office&from=2020-01-01&page=2"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(first_seq(&html) - first_seq(&page2), 50);
    let none = s.client.get(s.url("/audit?actor=nobody")).send().await.unwrap().text().await.unwrap();
    assert!(none.contains("Tổng: 0"));

    let verified = s.client.get(s.url("/audit?verify=1&lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(verified.contains("The hash chain is intact"));

    let bad = s.client.get(s.url("/audit?from=yesterday")).send().await.unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    let bad = bad.text().await.unwrap();
    assert!(bad.contains("<h1>Yêu cầu không hợp lệ</h1>") && bad.contains("dd/mm/yyyy"), "an error page: {bad}");
    let anonymous = s.anonymous.get(s.url("/audit")).send().await.unwrap();
    assert!(anonymous.url().path().ends_with("/login"), "anonymous visitors are sent to sign in");
}

async fn the_task_list_pages_through_every_task(s: &TestServer) {
    s.app.load_demo(&crate::admin()).await.unwrap();
    // The demo has ten tasks per product; 45 more drafts make 55 for the LLM product and 105 in all.
    for n in 0..45 {
        let task = serde_json::json!({"code": format!("LLM-X{n:02}"), "title": "Nhiệm vụ thêm", "product_code": "llm",
            "task_group_code": "research-development", "origin": "self_proposed", "is_research": false, "dual_use": false,
            "status": "draft", "lead_person_id": null, "problem": null, "scope": null, "responsibility": null,
            "starts_on": null, "ends_on": null, "deadline": null, "approving_body": null, "delegated_authority": null,
            "expected_product": null, "budget_ceiling_vnd": null, "assigned_on": null, "accepted_on": null});
        s.app.create(&crate::admin(), cncl_testkit::samples::parse::<cncl_domain::task::Task>(task)).await.unwrap();
    }
    let get = |path: String| {
        let client = s.client.clone();
        let url = s.url(&path);
        async move { client.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let rows = |html: &str| html.matches("<a href=\"/tasks/").count();
    let first = get("/tasks".into()).await;
    assert_eq!(rows(&first), 100, "a page of a hundred");
    assert!(first.contains("<a href=\"/tasks?page=2\">"), "and a link to the rest");
    let second = get("/tasks?page=2".into()).await;
    assert_eq!(rows(&second), 5);
    assert!(second.contains("<a href=\"/tasks?page=1\">") && !second.contains("page=3"));
    let drafts = get("/tasks?product=llm&status=draft".into()).await;
    assert_eq!(rows(&drafts), 46, "the filters hold: 45 new drafts and the demo's one");
    assert!(!drafts.contains("page=2"));
}
