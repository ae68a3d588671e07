//! The quarterly report built from the demo data and read back with poppler, as a clerk's
//! PDF reader would: the Decree 30 layout's words, Vietnamese letters exactly, fonts
//! embedded, A4, and the same bytes every time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use cncl_domain::values::Text;
use cncl_domain::{Date, Lang};
use cncl_report::{Quarter, ReportData, ReportFormat, ReportRequest, build, render_pdf};
use cncl_testkit::TestApp;

mod verify;
mod web;

async fn build_pdf(
    app: &cncl_app::App,
    actor: &cncl_app::Actor,
    quarter: Quarter,
    lang: Lang,
    issued_on: Option<Date>,
) -> Result<Vec<u8>, cncl_report::ReportError> {
    build(app, actor, ReportRequest { quarter, lang, format: ReportFormat::Pdf, issued_on }).await
}

/// Run a poppler tool on `pdf`; its standard output.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new(tool)
        .args(args)
        .arg(&path)
        .args(if tool == "pdftotext" { &["-"][..] } else { &[][..] })
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils, installed by scripts/test): {e}"));
    assert!(output.status.success(), "{tool}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

async fn demo() -> TestApp {
    let s = TestApp::start(cncl_store::Backend::Sqlite).await.unwrap();
    s.app.load_demo(&cncl_testkit::server::admin()).await.unwrap();
    s
}

/// Every criterion's name, letter for letter, and the rule each figure used: its indicator,
/// named as the indicator library names it.
fn every_criterion_and_its_rule(raw: &str, set: &cncl_eval::CriteriaSet) {
    let unwrapped = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    for criterion in &set.criteria {
        let name = criterion.name_vi.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(unwrapped.contains(&name), "{name} missing");
    }
    for indicator in ["domestic_value_added_share_of_price", "core_technologies_mastered_share", "people_trained"] {
        assert!(unwrapped.replace(' ', "").contains(indicator), "{indicator} missing");
    }
}

#[tokio::test]
async fn the_quarterly_report_is_laid_out_as_decree_30_asks_in_vietnamese() {
    let s = demo().await;
    let quarter: Quarter = "2026Q4".parse().unwrap();
    let dated = Date::from_ymd(2027, 1, 5).unwrap();
    let pdf = build_pdf(&s.app, &cncl_testkit::server::admin(), quarter, Lang::Vi, Some(dated)).await.unwrap();
    let text = poppler("pdftotext", &["-layout"], &pdf);
    for expected in [
        "BỘ KHOA HỌC VÀ CÔNG NGHỆ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 05 tháng 01 năm 2027",
        "BÁO CÁO",
        "quý IV năm 2026",
        "tính đến ngày 31/12/2026",
        "Mục tiêu 2030",
        "Nơi nhận:",
        "BỘ TRƯỞNG",
        "V. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ",
        "Diễn biến theo quý (31/03/2025 – 31/12/2026)",
        "Đánh giá trong quý (28/11/2026)",
        "Mẫu thử thứ hai đang thử nghiệm tại doanh nghiệp dẫn dắt (mẫu).",
        "Tổng công trình sư",
        "PHỤ LỤC: SỐ HỒ SƠ LÀM CĂN CỨ CHO TỪNG SỐ LIỆU",
        "Cách tính từng số liệu",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    // Every product's section and every criterion's name, letter for letter.
    for product in s.app.products().await.unwrap() {
        assert!(text.contains(product.name(Lang::Vi)), "{} missing", product.name(Lang::Vi));
    }
    let set = s.app.criteria_set(None).await.unwrap();
    // Read in reading order rather than laid out, so that a name wrapped in its cell is whole.
    let raw = poppler("pdftotext", &["-raw"], &pdf);
    every_criterion_and_its_rule(&raw, &set);
    // Page numbers from the second page on: the first page carries none at its top.
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert!(pages.len() >= 2, "{} pages", pages.len());
    assert_eq!(pages[1].trim_start().lines().next().map(str::trim), Some("2"), "{}", pages[1]);
    assert!(!pages[0].trim_start().starts_with('1'));

    // Funding by year against the ceiling, and what the figures rest on: the criteria set,
    // the rule, and the audit log's head, in the text and in the file's keywords.
    for expected in ["IV. KINH PHÍ", "Ngân sách trung ương", "VII. CĂN CỨ SỐ LIỆU", "decision-2815 @ 2026-12"]
    {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    // The office's warnings as of the quarter's end, each as the governance page words it.
    let warnings = s.app.warnings(&cncl_testkit::server::admin(), quarter.last_day().unwrap()).await.unwrap();
    assert!(!warnings.is_empty(), "the demo has warnings to show");
    for warning in &warnings {
        assert!(raw.contains(warning.label(Lang::Vi)), "{} missing", warning.label(Lang::Vi));
    }
    let (seq, hash) = s.app.audit_head().await.unwrap();
    assert!(raw.contains(&hash) && raw.contains(&format!("bản ghi cuối {seq}\n")), "the head {seq} {hash} missing");
    let info = poppler("pdfinfo", &[], &pdf);
    assert!(info.contains(&format!("cncl draft audit head {seq} {hash}")), "{info}");
    assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    let fonts = poppler("pdffonts", &[], &pdf);
    let embedded: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(
        !embedded.is_empty() && embedded.iter().all(|l| l.contains("LiberationSerif") && l.contains(" yes ")),
        "{fonts}"
    );
}

#[tokio::test]
async fn the_same_data_gives_the_same_bytes_and_english_on_the_switch() {
    let s = demo().await;
    let quarter: Quarter = "2026Q4".parse().unwrap();
    let admin = cncl_testkit::server::admin();
    let first = build_pdf(&s.app, &admin, quarter, Lang::Vi, None).await.unwrap();
    let again = build_pdf(&s.app, &admin, quarter, Lang::Vi, None).await.unwrap();
    assert_eq!(first, again, "byte-identical");
    assert!(poppler("pdftotext", &[], &first).contains("Hà Nội, ngày 31 tháng 12 năm 2026"));

    let english = poppler("pdftotext", &[], &build_pdf(&s.app, &admin, quarter, Lang::En, None).await.unwrap());
    for expected in ["SOCIALIST REPUBLIC OF VIET NAM", "Independence - Freedom - Happiness", "REPORT", "2030 target"] {
        assert!(english.contains(expected), "{expected:?} missing from:\n{english}");
    }
    assert!(!english.contains("Mục tiêu"), "no Vietnamese heading in the English report");
}

/// Every Vietnamese letter comes out of the PDF as it went in, stacked marks included: a
/// product named with them, in a report made from the demo's figures.
#[tokio::test]
async fn vietnamese_letters_come_out_exactly() {
    let s = demo().await;
    let quarter: Quarter = "2026Q4".parse().unwrap();
    let mut data = ReportData::gather(&s.app, &cncl_testkit::server::admin(), quarter).await.unwrap();
    let letters = "Thử nghiệm dấu ư ơ ạ ễ ặ ỗ ẫ ự ỹ Đặng Nguyễn Hỗ trợ";
    data.products[0].name_vi = Text::parse(letters).unwrap();
    let input = data.input(Lang::Vi, None);
    let text = poppler("pdftotext", &[], &render_pdf(&input).unwrap());
    assert!(text.contains(letters), "{letters} missing from:\n{text}");
}

/// The same tables as a workbook: a sheet per section, figures and money as numbers, and
/// the same bytes every time (dated by the report, not the clock).
#[tokio::test]
async fn the_tables_come_as_a_workbook_with_numbers_as_numbers() {
    use cncl_exchange::{Cell, Limits, read_xlsx};
    let s = demo().await;
    let admin = cncl_testkit::server::admin();
    let request = ReportRequest {
        quarter: "2026Q4".parse().unwrap(),
        lang: Lang::Vi,
        format: ReportFormat::Xlsx,
        issued_on: None,
    };
    let bytes = build(&s.app, &admin, request).await.unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1_100));
    assert_eq!(build(&s.app, &admin, request).await.unwrap(), bytes, "byte-identical a second later");
    let book = read_xlsx(&bytes, Limits::default()).unwrap();
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Theo sản phẩm",
            "Toàn Chương trình",
            "Kinh phí",
            "Nguồn kinh phí",
            "Đánh giá",
            "Nhiệm vụ",
            "Phụ lục hồ sơ",
            "Cách tính",
            "Cảnh báo",
            "Căn cứ số liệu"
        ]
    );
    // The tasks per product and status, the programme's row last: numbers that add up to
    // every task recorded.
    let tasks = &book.sheets[5];
    let programme = tasks.rows.last().unwrap();
    assert_eq!(programme.cell(0), &Cell::Text("Toàn Chương trình".into()));
    let recorded = s.app.list::<cncl_domain::task::Task>(&admin, &Default::default()).await.unwrap().total;
    assert_eq!(programme.cell(9), &Cell::Number(recorded as f64), "{programme:?}");
    let by_product = &book.sheets[0];
    let pdf = build_pdf(&s.app, &admin, request.quarter, Lang::Vi, None).await.unwrap();
    let text = poppler("pdftotext", &["-raw"], &pdf);
    // C1a of the first product: a number in the workbook, the same figure written in the PDF.
    let c1a = by_product.rows.iter().find(|r| r.cell(1) == &Cell::Text("C1a".into())).unwrap();
    let Cell::Number(value) = c1a.cell(3) else { panic!("C1a's value is not a number: {c1a:?}") };
    let written = format!("{value:.1} %").replace('.', ",");
    assert!(text.contains(&written), "{written} not in the PDF");
    let funding = &book.sheets[2];
    assert!(funding.rows.iter().skip(2).all(|r| matches!(r.cell(1), Cell::Number(_))), "money as numbers: {funding:?}");
}

/// The report's text as poppler extracts it in reading order, kept as a snapshot: any
/// change to the wording, order or figures shows in `cargo insta review`. The audit head,
/// which moves with the demo's timestamps, is replaced by placeholders. Reading order, not
/// `-layout`: poppler spaces a laid-out page by all its text, so the hash would move columns.
#[tokio::test]
async fn the_reports_text_is_kept_as_a_snapshot() {
    let s = demo().await;
    let admin = cncl_testkit::server::admin();
    let quarter: Quarter = "2026Q4".parse().unwrap();
    let pdf = build_pdf(&s.app, &admin, quarter, Lang::Vi, Some(Date::from_ymd(2027, 1, 5).unwrap())).await.unwrap();
    let (seq, hash) = s.app.audit_head().await.unwrap();
    let text = poppler("pdftotext", &["-raw"], &pdf)
        .replace(&hash, "[audit head hash]")
        .replace(&format!("#{seq} {}", &hash[..12]), "#[seq] [hash]")
        .replace(&format!("bản ghi cuối {seq}"), "bản ghi cuối [seq]")
        .replace(&format!("cuối {seq}"), "cuối [seq]");
    insta::assert_snapshot!(text);
}
