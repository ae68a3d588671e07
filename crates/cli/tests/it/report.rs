//! The quarterly report from the command line.

use crate::{cncl, printed};

#[test]
fn a_quarters_report_is_built_as_a_pdf_and_a_bad_quarter_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("report.db");
    let run = |args: &[&str]| cncl().args(args).arg("--database").arg(&db).output().unwrap();
    assert!(run(&["demo"]).status.success());
    let out = dir.path().join("q4.pdf");
    let built = run(&["report", "build", "--quarter", "2026Q4", "--dated", "05/01/2027", "-o", out.to_str().unwrap()]);
    assert!(built.status.success(), "{}", printed(&built));
    let pdf = std::fs::read(&out).unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    let english = dir.path().join("q4-en.pdf");
    let built = run(&["report", "build", "--quarter", "2026Q4", "--lang", "en", "-o", english.to_str().unwrap()]);
    assert!(built.status.success(), "{}", printed(&built));
    assert_ne!(std::fs::read(&english).unwrap(), pdf, "English is another file");
    let workbook = dir.path().join("q4.xlsx");
    let built = run(&["report", "build", "--quarter", "2026Q4", "--format", "xlsx", "-o", workbook.to_str().unwrap()]);
    assert!(built.status.success(), "{}", printed(&built));
    let book = cncl_exchange::read_xlsx(&std::fs::read(&workbook).unwrap(), cncl_exchange::Limits::default()).unwrap();
    assert_eq!(book.sheets[0].name, "Theo sản phẩm");

    let bad = run(&["report", "build", "--quarter", "2026Q5", "-o", out.to_str().unwrap()]);
    assert!(
        !bad.status.success() && printed(&bad).contains("\"2026Q5\" is not a quarter written like 2026Q4"),
        "{}",
        printed(&bad)
    );
    let bad = run(&["report", "build", "--quarter", "2026Q4", "--format", "docx", "-o", out.to_str().unwrap()]);
    assert!(!bad.status.success() && printed(&bad).contains("the format must be pdf or xlsx"), "{}", printed(&bad));
    let bad = run(&["report", "build", "--quarter", "2026Q4", "--lang", "fr", "-o", out.to_str().unwrap()]);
    assert!(!bad.status.success() && printed(&bad).contains("--lang must be vi or en"), "{}", printed(&bad));
}

#[test]
fn a_published_report_verifies_and_a_draft_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("publish.db");
    let run = |args: &[&str]| cncl().args(args).arg("--database").arg(&db).output().unwrap();
    assert!(run(&["demo"]).status.success());
    let files = dir.path().join("published");
    let published = run(&["report", "publish", "--quarter", "2026Q4", "-o", files.to_str().unwrap()]);
    assert!(published.status.success(), "{}", printed(&published));
    assert!(printed(&published).contains("published report "), "{}", printed(&published));
    for file in ["report-2026Q4-vi.pdf", "report-2026Q4-vi.xlsx"] {
        let checked = run(&["report", "verify", files.join(file).to_str().unwrap()]);
        assert!(checked.status.success(), "{}", printed(&checked));
        assert!(printed(&checked).starts_with("Trùng khớp: "), "{}", printed(&checked));
    }
    let draft = dir.path().join("draft.pdf");
    assert!(run(&["report", "build", "--quarter", "2026Q4", "-o", draft.to_str().unwrap()]).status.success());
    let checked = run(&["report", "verify", "--lang", "en", draft.to_str().unwrap()]);
    assert_eq!(checked.status.code(), Some(1), "{}", printed(&checked));
    assert!(printed(&checked).starts_with("Unknown: "), "{}", printed(&checked));
}
