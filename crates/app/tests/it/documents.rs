//! Documents kept as files in a directory (the `documents_dir` setting): named by their
//! SHA-256, read back, and checked by `audit verify` like those kept in the database.

use cncl_domain::EntityKind;
use cncl_domain::organisation::Organisation;
use cncl_testkit::TestApp;

use crate::admin;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

#[tokio::test]
async fn a_document_kept_in_a_directory_is_read_back_and_verified() {
    let fixture = TestApp::start(cncl_store::Backend::Sqlite).await.unwrap();
    let directory = tempfile::tempdir().unwrap();
    let app = fixture.app.clone().with_documents_in(Some(directory.path().to_path_buf()));
    app.load_demo(&admin()).await.unwrap();
    let organisation =
        app.list::<Organisation>(&admin(), &cncl_app::ListQuery::default()).await.unwrap().items.remove(0).id.as_uuid();
    let document =
        app.attach(&admin(), EntityKind::Organisation, organisation, "Giấy chứng nhận.pdf", PDF).await.unwrap();

    let file = cncl_store::documents::file_in(directory.path(), &document.sha256);
    assert_eq!(std::fs::read(&file).unwrap(), PDF, "the bytes are a file named by their SHA-256");
    let (_, bytes) = app.document(&admin(), document.id.parse().unwrap()).await.unwrap();
    assert_eq!(bytes, PDF);
    let report = app.verify_audit(&admin()).await.unwrap();
    assert!(report.first_broken.is_none() && report.mismatched_rows.is_empty(), "{report:?}");

    // Documents kept in the database before the setting stay readable.
    let before = fixture.app.attach(&admin(), EntityKind::Organisation, organisation, "a.pdf", PDF).await.unwrap();
    assert_eq!(app.document(&admin(), before.id.parse().unwrap()).await.unwrap().1, PDF);

    // A file changed behind cncl's back is found.
    std::fs::write(&file, b"%PDF-1.4 forged").unwrap();
    let report = app.verify_audit(&admin()).await.unwrap();
    let found: Vec<_> = report.mismatched_rows.iter().filter(|f| f.id == document.id).collect();
    assert_eq!(found.len(), 1, "{report:?}");
    assert!(found[0].problem.contains("SHA-256"));
}
