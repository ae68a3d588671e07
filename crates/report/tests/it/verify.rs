//! Publishing a report and checking copies of it: the published files verify as identical
//! after the facts behind them are corrected and a person is erased, because the facts are
//! rebuilt from the audit log; a copy with one figure changed is named altered, with the
//! cell or page; a file cncl never published is unknown.

use std::io::{Read, Write};

use cncl_domain::Lang;
use cncl_domain::output::Publication;
use cncl_domain::values::Text;
use cncl_report::{Place, PublishRequest, Quarter, ReportFormat, ReportRequest, Verdict, build, publish, verify};
use cncl_store::published::PublishedReport;

use super::demo;

fn request(lang: Lang) -> PublishRequest {
    PublishRequest {
        quarter: "2026Q4".parse::<Quarter>().unwrap(),
        lang,
        issued_on: None,
        base_url: "https://cncl.example.vn/".into(),
        signing: None,
    }
}

async fn published_files(app: &cncl_app::App, report: &PublishedReport) -> (Vec<u8>, Vec<u8>) {
    (app.published_file(&report.id, "pdf").await.unwrap(), app.published_file(&report.id, "xlsx").await.unwrap())
}

/// Correct the facts behind the figures after publication: a publication dated 2025 entered
/// only now, and another moved out of the quarter.
async fn correct_the_publications(app: &cncl_app::App) {
    let admin = cncl_testkit::server::admin();
    let listed = app.list::<Publication>(&admin, &cncl_app::ListQuery::default()).await.unwrap().items;
    let first = listed.first().expect("the demo records publications");
    let mut late = first.record.clone();
    late.title = Text::parse("Một công bố năm 2025 được nhập muộn").unwrap();
    late.published_on = cncl_domain::Date::from_ymd(2025, 6, 1).unwrap();
    app.create(&admin, late).await.unwrap();
    let second = listed.get(1).unwrap_or(first);
    let mut moved = second.record.clone();
    moved.published_on = cncl_domain::Date::from_ymd(2027, 2, 1).unwrap();
    app.update(&admin, second.id, moved).await.unwrap();
}

#[tokio::test]
async fn a_published_report_stays_identical_to_its_history_after_corrections_and_an_erasure() {
    let s = demo().await;
    let admin = cncl_testkit::server::admin();
    let person = cncl_domain::organisation::Person {
        full_name: Text::parse("Nguyễn Thị Xoá").unwrap(),
        organisation_id: None,
        roles: Default::default(),
        expert_origin: cncl_domain::organisation::ExpertOrigin::Domestic,
        title: None,
    };
    let person = s.app.create(&admin, person).await.unwrap();
    let report = publish(&s.app, &admin, request(Lang::Vi)).await.unwrap();
    assert_eq!(report.base_url, "https://cncl.example.vn", "the trailing slash is dropped");
    assert_eq!(report.files.len(), 3, "the PDF, the workbook and the figures as data");
    let figures = s.app.published_file(&report.id, cncl_app::publication::FIGURES_FORMAT).await.unwrap();
    let figures: cncl_app::publication::PublishedFigures = serde_json::from_slice(&figures).unwrap();
    let as_of = cncl_domain::Date::parse(&report.as_of).unwrap();
    let card = s.app.scorecard(&admin, as_of, None, None).await.unwrap();
    assert_eq!((figures.as_of, figures.audit_seq), (as_of.get(), report.audit_seq));
    // Exact figures (a float read back from JSON may differ in its last bit).
    let exact = |figures: &cncl_app::publication::PublishedFigures| {
        figures
            .figures
            .iter()
            .map(|f| (f.scope.clone(), f.criterion.clone(), f.numerator, f.denominator, f.status))
            .collect::<Vec<_>>()
    };
    let today = cncl_app::publication::PublishedFigures::of(&card);
    assert!(!today.figures.is_empty());
    assert_eq!(exact(&figures), exact(&today), "the figures the report was computed from");
    let (pdf, xlsx) = published_files(&s.app, &report).await;
    assert!(String::from_utf8_lossy(&pdf).contains(&format!("cncl-report {}", report.id)));

    correct_the_publications(&s.app).await;
    s.app.erase_person(&admin, person.id).await.unwrap();
    let xlsx_now = build(
        &s.app,
        &admin,
        ReportRequest {
            quarter: report.quarter.parse().unwrap(),
            lang: Lang::Vi,
            format: ReportFormat::Xlsx,
            issued_on: None,
        },
    )
    .await
    .unwrap();
    assert_ne!(
        cncl_exchange::read_xlsx(&xlsx_now, cncl_exchange::Limits::default()).unwrap().sheets,
        cncl_exchange::read_xlsx(&xlsx, cncl_exchange::Limits::default()).unwrap().sheets,
        "the corrections change today's figures"
    );

    for file in [&pdf, &xlsx] {
        let checked = verify(&s.app, file).await.unwrap();
        assert_eq!(checked.verdict, Verdict::Identical, "{}", checked.reason);
        assert_eq!(checked.report.as_ref().map(|r| r.id.as_str()), Some(report.id.as_str()));
        assert!(checked.differences.is_empty());
        assert_eq!(checked.erased_since, Some(1), "the erased person is left out, not brought back");
    }
    // The erased person's name is nowhere in the published files or the audit log.
    let audit = s.app.store().audit_entries(&Default::default(), 1, 10_000).await.unwrap();
    assert!(!serde_json::to_string(&audit.items).unwrap().contains("Nguyễn Thị Xoá"));
    assert!(s.app.verify_audit(&admin).await.unwrap().is_intact(), "publishing keeps the audit log whole");
}

/// The workbook with one cell's number changed by one digit, re-zipped as Excel would.
fn with_one_digit_changed(xlsx: &[u8]) -> (Vec<u8>, String, String) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut changed = None;
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let name = part.name().unwrap().into_owned();
        let mut text = Vec::new();
        part.read_to_end(&mut text).unwrap();
        if changed.is_none() && name.starts_with("xl/worksheets/sheet") {
            let xml = String::from_utf8(text.clone()).unwrap();
            if let Some(at) = xml.find("<v>") {
                let digit = at + 3;
                let old = xml[digit..].chars().next().unwrap();
                let new = if old == '1' { '2' } else { '1' };
                let mut edited = xml.clone();
                edited.replace_range(digit..digit + 1, &new.to_string());
                let end = xml[digit..].find('<').unwrap() + digit;
                changed = Some((xml[digit..end].to_owned(), edited[digit..end].to_owned()));
                text = edited.into_bytes();
            }
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(&text).unwrap();
    }
    let (before, after) = changed.expect("a number in a sheet");
    (out.finish().unwrap().into_inner(), before, after)
}

/// The PDF with one glyph of its second page swapped for another.
fn with_one_glyph_changed(pdf: &[u8]) -> Vec<u8> {
    let mut document = lopdf::Document::load_mem(pdf).unwrap();
    let page = *document.get_pages().get(&2).unwrap();
    let mut content = document.get_page_content(page).unwrap();
    // The last glyph code of the first shown string whose last byte is a plain character.
    let at = content.windows(4).position(|w| w[0].is_ascii_alphanumeric() && w[1..] == *b")Tj").unwrap();
    content[at] ^= 1;
    document.change_page_content(page, content).unwrap();
    let mut out = Vec::new();
    document.save_to(&mut out).unwrap();
    out
}

#[tokio::test]
async fn a_copy_with_one_figure_changed_is_named_altered_and_a_stranger_unknown() {
    let s = demo().await;
    let admin = cncl_testkit::server::admin();
    let report = publish(&s.app, &admin, request(Lang::En)).await.unwrap();
    let (pdf, xlsx) = published_files(&s.app, &report).await;

    let (tampered, before, after) = with_one_digit_changed(&xlsx);
    let checked = verify(&s.app, &tampered).await.unwrap();
    assert_eq!(checked.verdict, Verdict::Altered, "{}", checked.reason);
    assert_eq!(checked.report.as_ref().map(|r| r.id.as_str()), Some(report.id.as_str()));
    assert_eq!(checked.differences.len(), 1, "{:?}", checked.differences);
    let difference = &checked.differences[0];
    assert!(matches!(difference.place, Place::Cell { .. }), "{:?}", difference.place);
    assert_eq!((difference.published.as_deref(), difference.this_copy.as_deref()), (Some(&*before), Some(&*after)));

    let checked = verify(&s.app, &with_one_glyph_changed(&pdf)).await.unwrap();
    assert_eq!(checked.verdict, Verdict::Altered, "{}", checked.reason);
    let pages: Vec<&Place> = checked.differences.iter().map(|d| &d.place).collect();
    assert_eq!(pages, [&Place::Page { page: 2 }]);
    assert_eq!(checked.differences[0].place.label(Lang::Vi), "trang 2");

    // A draft built without publishing, and a file that is no report at all.
    let draft = build(
        &s.app,
        &admin,
        ReportRequest {
            quarter: report.quarter.parse().unwrap(),
            lang: Lang::En,
            format: ReportFormat::Pdf,
            issued_on: None,
        },
    )
    .await
    .unwrap();
    for stranger in [draft, b"not a report".to_vec()] {
        let checked = verify(&s.app, &stranger).await.unwrap();
        assert_eq!(checked.verdict, Verdict::Unknown, "{}", checked.reason);
        assert!(checked.report.is_none());
    }
}

#[tokio::test]
async fn only_the_office_publishes() {
    let s = demo().await;
    let viewer = cncl_app::Actor { role: Some(cncl_app::Role::Viewer), ..cncl_testkit::server::admin() };
    for actor in [cncl_app::Actor::anonymous(), viewer] {
        let refused = publish(&s.app, &actor, request(Lang::Vi)).await;
        assert!(
            matches!(
                refused,
                Err(cncl_report::ReportError::App(
                    cncl_app::AppError::Forbidden(_) | cncl_app::AppError::Unauthenticated
                ))
            ),
            "{refused:?}"
        );
    }
    assert!(s.app.published_reports().await.unwrap().is_empty());
}

#[tokio::test]
async fn on_postgresql_too() {
    let Some(s) = cncl_testkit::TestApp::start(cncl_store::Backend::Postgres).await else { return };
    let admin = cncl_testkit::server::admin();
    s.app.load_demo(&admin).await.unwrap();
    let report = publish(&s.app, &admin, request(Lang::Vi)).await.unwrap();
    correct_the_publications(&s.app).await;
    let (pdf, xlsx) = published_files(&s.app, &report).await;
    for file in [&pdf, &xlsx] {
        let checked = verify(&s.app, file).await.unwrap();
        assert_eq!(checked.verdict, Verdict::Identical, "{}", checked.reason);
    }
    assert_eq!(s.app.published_reports().await.unwrap(), [report]);
    assert!(s.app.verify_audit(&admin).await.unwrap().is_intact());
}

/// Page 1 of `pdf` as a PNG, scanned for a QR code as a phone would: what it encodes.
fn scanned_code(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("report.pdf"), pdf).unwrap();
    let rendered = std::process::Command::new("pdftoppm")
        .args(["-r", "200", "-png", "-f", "1", "-l", "1", "-singlefile", "report.pdf", "page"])
        .current_dir(dir.path())
        .status()
        .expect("pdftoppm (poppler-utils, installed by scripts/test)");
    assert!(rendered.success());
    let scanned = std::process::Command::new("zbarimg")
        .args(["--quiet", "--raw", "page.png"])
        .current_dir(dir.path())
        .output()
        .expect("zbarimg (zbar-tools, installed by scripts/test)");
    String::from_utf8(scanned.stdout).unwrap().trim().to_owned()
}

#[tokio::test]
async fn every_page_of_a_published_report_carries_its_address_as_a_qr_code() {
    let s = demo().await;
    let admin = cncl_testkit::server::admin();
    let report = publish(&s.app, &admin, request(Lang::Vi)).await.unwrap();
    let (pdf, _) = published_files(&s.app, &report).await;
    let address = format!("https://cncl.example.vn/reports/{}", report.id);
    assert_eq!(scanned_code(&pdf), address);
    let text = super::poppler("pdftotext", &["-raw"], &pdf);
    assert!(text.contains(&format!("Kiểm tra bản này tại {address}")), "{text}");
    let draft = build(
        &s.app,
        &admin,
        ReportRequest {
            quarter: report.quarter.parse().unwrap(),
            lang: Lang::Vi,
            format: ReportFormat::Pdf,
            issued_on: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(scanned_code(&draft), "", "a draft has no code");
}

/// A self-signed certificate and its key as a PKCS#12 keystore, made with openssl as an
/// office would get one from a CA (here, from no CA).
pub(crate) fn keystore(dir: &std::path::Path, password: &str) -> Vec<u8> {
    let run = |args: &[&str]| {
        let status = std::process::Command::new("openssl").args(args).current_dir(dir).output().expect("openssl");
        assert!(status.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&status.stderr));
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "key.pem",
        "-out",
        "cert.pem",
        "-days",
        "30",
        "-subj",
        "/CN=Van phong Chuong trinh (thu nghiem)/O=cncl",
    ]);
    let pass = format!("pass:{password}");
    run(&["pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem", "-out", "office.p12", "-passout", &pass]);
    std::fs::read(dir.join("office.p12")).unwrap()
}

#[tokio::test]
async fn a_published_pdf_signed_with_the_offices_certificate_verifies_in_pdfsig_and_against_history() {
    let s = demo().await;
    let admin = cncl_testkit::server::admin();
    let dir = tempfile::tempdir().unwrap();
    let signing =
        cncl_report::Signing { keystore: keystore(dir.path(), "mật khẩu"), password: "mật khẩu".into() };
    let report = publish(&s.app, &admin, PublishRequest { signing: Some(signing), ..request(Lang::Vi) }).await.unwrap();
    let (pdf, _) = published_files(&s.app, &report).await;
    std::fs::write(dir.path().join("signed.pdf"), &pdf).unwrap();
    let checked = std::process::Command::new("pdfsig").arg("signed.pdf").current_dir(dir.path()).output().unwrap();
    let said = String::from_utf8_lossy(&checked.stdout);
    assert!(said.contains("Signature #1"), "{said}");
    assert!(said.contains("Signer Certificate Common Name: Van phong Chuong trinh (thu nghiem)"), "{said}");
    assert!(said.contains("Signature Validation: Signature is Valid."), "{said}");
    assert!(said.contains("Signing Time:"), "{said}");
    // The report as rendered is the signed file's first bytes: history still gives it.
    let verified = verify(&s.app, &pdf).await.unwrap();
    assert_eq!(verified.verdict, Verdict::Identical, "{}", verified.reason);
    // A wrong password is named, and nothing is published.
    let wrong = cncl_report::Signing { keystore: keystore(dir.path(), "khác"), password: "sai".into() };
    let refused = publish(&s.app, &admin, PublishRequest { signing: Some(wrong), ..request(Lang::En) }).await;
    assert!(
        matches!(refused, Err(cncl_report::ReportError::Asked(ref m)) if m.contains("could not be signed")),
        "{refused:?}"
    );
    assert_eq!(s.app.published_reports().await.unwrap().len(), 1);
}
