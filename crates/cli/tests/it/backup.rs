//! Backup, restore and copy between backends: after each the audit chain verifies and the
//! scorecard is the same; a backup taken during writes holds a prefix of them.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use cncl_domain::EntityKind;
use cncl_domain::capacity::TrainingRecord;
use cncl_testkit::TestDb;
use cncl_testkit::samples::{insert_one_of_each, parse, sample};

use crate::cncl;

fn run(args: &[&str], env: &[(&str, &Path)]) -> String {
    let mut command = cncl();
    command.args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    let out = command.output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{args:?}: {stdout}{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

fn verified(database: &str) {
    let out = run(&["audit", "verify", "--database", database], &[]);
    assert!(out.contains("intact"), "{database}: {out}");
}

fn scorecard(database: &str) -> String {
    run(&["evaluate", "--as-of", "2026-12-31", "--database", database], &[])
}

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

#[tokio::test]
async fn backup_restore_and_copy_keep_the_chain_and_the_scorecard() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let (original, documents) = (path("office.db"), dir.path().join("documents"));
    run(&["demo", "--database", &original], &[]);
    // A document kept as a file travels into the backup.
    let app = cncl_app::App::open(&original).await.unwrap().with_documents_in(Some(documents.clone()));
    let organisation =
        app.list::<cncl_domain::organisation::Organisation>(&crate::admin(), &Default::default()).await.unwrap().items
            [0]
        .id
        .as_uuid();
    app.attach(&crate::admin(), EntityKind::Organisation, organisation, "a.pdf", PDF).await.unwrap();
    app.close().await;
    let expected = scorecard(&original);

    let backup = path("backup.db");
    let out = run(&["backup", "--database", &original, &backup], &[("CNCL_DOCUMENTS_DIR", &documents)]);
    assert!(out.contains("backup of"), "{out}");
    std::fs::remove_dir_all(&documents).unwrap();
    verified(&backup);
    assert_eq!(scorecard(&backup), expected);
    let refused = cncl().args(["backup", "--database", &original, &backup]).output().unwrap();
    assert!(String::from_utf8_lossy(&refused.stderr).contains("already exists"), "a backup never overwrites");

    let restored = path("restored.db");
    run(&["restore", "--database", &restored, &backup], &[]);
    verified(&restored);
    assert_eq!(scorecard(&restored), expected);
    let again = cncl().args(["restore", "--database", &restored, &backup]).output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds data"));
    run(&["restore", "--replace", "--database", &restored, &backup], &[]);
    verified(&restored);

    let Some(postgres) = TestDb::postgres_empty().await else {
        eprintln!("skipped the copy to PostgreSQL: CNCL_TEST_POSTGRES is not set");
        return;
    };
    let out = run(&["copy", "--from", &backup, "--to", &postgres.address], &[]);
    assert!(out.contains("rows copied"), "{out}");
    verified(&postgres.address);
    assert_eq!(scorecard(&postgres.address), expected, "the scorecard on PostgreSQL is the one on SQLite");
    let back = path("back.db");
    run(&["copy", "--from", &postgres.address, "--to", &back], &[]);
    verified(&back);
    assert_eq!(scorecard(&back), expected);
}

/// The training records' counts in the backup at `address`.
async fn counts_in(address: &str) -> BTreeSet<i64> {
    let app = cncl_app::App::open(address).await.unwrap();
    let query = cncl_app::ListQuery { per_page: Some(cncl_app::records::MAX_PER_PAGE), ..Default::default() };
    let records = app.list::<TrainingRecord>(&crate::admin(), &query).await.unwrap();
    let report = app.verify_audit(&crate::admin()).await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    app.close().await;
    let json = serde_json::to_value(&records.items).unwrap();
    let streamed = json.as_array().unwrap().iter().filter(|r| r["course"] == "stream");
    streamed.map(|r| r["count"].as_i64().unwrap()).collect()
}

async fn a_backup_taken_during_writes_holds_a_prefix_of_them(db: &TestDb) {
    let refs = insert_one_of_each(&db.store).await;
    let app = cncl_app::App::open(&db.address).await.unwrap();
    let written = Arc::new(AtomicUsize::new(0));
    let writer = {
        let (app, written) = (app.clone(), written.clone());
        tokio::spawn(async move {
            for count in 1..=400 {
                let mut value = sample(EntityKind::TrainingRecord, &refs);
                value["count"] = count.into();
                value["course"] = "stream".into();
                app.create(&crate::admin(), parse::<TrainingRecord>(value)).await.unwrap();
                written.store(usize::try_from(count).unwrap(), Ordering::SeqCst);
            }
        })
    };
    while written.load(Ordering::SeqCst) < 20 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("during.db");
    app.store().backup_to(&backup, &mut |_, _| {}).await.unwrap();
    writer.await.unwrap();
    let counts = counts_in(&backup.to_string_lossy()).await;
    let taken = i64::try_from(counts.len()).unwrap();
    assert!(taken >= 20, "taken after 20 writes: {taken}");
    assert_eq!(counts, (1..=taken).collect(), "a prefix of the writes, nothing between");
}

cncl_testkit::on_both_backends!(cncl_testkit::TestDb::new => a_backup_taken_during_writes_holds_a_prefix_of_them);
