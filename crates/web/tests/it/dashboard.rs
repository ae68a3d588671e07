//! The dashboard on the home page: the headline figures against each milestone, the
//! office's warnings and the reports due this month; visitors see the last published figures.

use chrono::TimeZone;
use cncl_app::Role;

use crate::sessions::{Browser, signed_in};
use crate::{TestServer, admin};

fn section<'a>(page: &'a str, start: &str) -> &'a str {
    page.split(start).nth(1).unwrap_or_else(|| panic!("no {start} in {page}")).split("</article>").next().unwrap()
}

#[tokio::test]
async fn the_dashboard_shows_the_headline_figures_warnings_and_reports_due() {
    let clock = cncl_testkit::TestClock::at(chrono::Utc.with_ymd_and_hms(2026, 10, 8, 2, 0, 0).unwrap());
    let s = TestServer::start_with_clock(cncl_store::Backend::Sqlite, std::sync::Arc::new(clock)).await.unwrap();
    s.app.load_demo(&admin()).await.unwrap();
    let card = s.app.scorecard(&admin(), s.app.today(), None, None).await.unwrap();
    let c2_llm = card.products.iter().find(|p| p.product == "llm").unwrap();
    let c2_llm = c2_llm.results.iter().find(|r| r.criterion == "C2").unwrap();

    // A visitor sees what the office published, not the figures of the moment: none yet.
    let (_, home) = Browser::new(&s).get("/").await;
    assert!(home.contains("chưa công bố báo cáo nào"), "a visitor is told nothing is published");
    assert!(!home.contains("<article class=\"tile\""), "no figures before a report is published");
    assert!(!home.contains("Cảnh báo của Văn phòng"), "no warnings for a visitor");

    // The report publishes its figures; one is changed here to tell them from today's.
    let mut figures = cncl_app::publication::PublishedFigures::of(&card);
    let published_c2 =
        figures.figures.iter_mut().find(|f| f.scope == "llm" && f.criterion == "C2").expect("C2 for llm published");
    published_c2.percent = Some(12.5);
    let report = crate::publish_figures(&s, &figures).await;
    let (_, home) = Browser::new(&s).get("/").await;
    let c2 = section(&home, "<article class=\"tile\" id=\"tile-C2\">");
    assert!(c2.contains("So với mục tiêu 60–70 % (31/12/2027)") && c2.contains("So với mục tiêu ≥ 80 % (31/12/2030)"));
    assert!(
        c2.contains(&format!("<a href=\"/reports/{}\">12,5 %</a>", report.id)),
        "the published figure, opening its report: {c2}"
    );
    assert_eq!(c2.matches("<th scope=\"row\">").count(), 6, "one line per product");
    for id in ["C1a", "C3", "P1", "P2", "P9"] {
        assert!(home.contains(&format!("id=\"tile-{id}\"")), "{id}");
    }
    assert!(home.contains("Quý III năm 2026") && home.contains("08/10/2026"), "named the report and its date");
    let (_, english) = Browser::new(&s).get("/?lang=en").await;
    assert!(english.contains("as published in the report of") && english.contains("Q3 2026"), "{english}");

    // Signed in, the figures are today's, each opening its records.
    let mut reader = signed_in(&s, "mai", Role::Viewer).await;
    let (_, home) = reader.get("/").await;
    let c2 = section(&home, "<article class=\"tile\" id=\"tile-C2\">");
    let value = cncl_domain::format::format_percent(c2_llm.percent.unwrap(), cncl_domain::Lang::Vi);
    assert!(c2.contains(&format!("<a href=\"/scorecard/llm/C2\">{value}</a>")), "{value} in {c2}");

    let mut office = signed_in(&s, "lan", Role::TaskForce).await;
    let (_, home) = office.get("/?lang=en").await;
    let p9 = section(&home, "id=\"tile-P9\">");
    assert!(p9.contains("Against the target ≤ 15 % (a limit for every year)"), "{p9}");
    assert!(home.contains("<h3>The office&#39;s warnings</h3>"), "{home}");
    let warnings = s.app.warnings(&admin(), s.app.today()).await.unwrap();
    assert!(!warnings.is_empty());
    assert!(home.contains(warnings[0].label(cncl_domain::Lang::En)), "{home}");
    let due = home.split("<ul class=\"due\">").nth(1).unwrap().split("</ul>").next().unwrap();
    assert!(due.contains("15 Oct 2026") && due.contains("quarterly progress report"), "{due}");
    assert_eq!(due.matches("<li>").count(), 10, "the nearest ten");
    assert!(home.contains("and 14 more"), "the rest on the compliance page");
    assert!(!due.contains("15 Jul 2026"), "only this month's: {due}");
}
