//! The command line speaks like the pages: names and tax codes where an id is asked for, a
//! bad code answered with the valid ones, dates as dd/mm/yyyy, amounts with separators,
//! records named, a port alone read as this machine's, and no empty database left behind.

use crate::cncl;

fn run(args: &[&str], db: &std::path::Path) -> (bool, String, String) {
    let out = cncl().args(args).arg("--database").arg(db).output().unwrap();
    (out.status.success(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn a_reading_command_never_leaves_an_empty_database_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cncl.db");
    let (ok, _, err) = run(&["evaluate"], &db);
    assert!(!ok && err.contains("there is no cncl database") && err.contains("cncl init"), "{err}");
    assert!(!db.exists(), "nothing created");
    let (ok, _, err) = run(&["user", "list"], &db);
    assert!(!ok && err.contains("cncl init"), "{err}");
    assert!(!db.exists());
}

#[test]
fn names_codes_and_vietnamese_dates_are_accepted_and_records_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.db");
    assert!(run(&["demo"], &db).0);

    // An organisation by (part of) its name, whatever the accents; a bad product code lists the valid ones.
    let (ok, out, err) = run(&["user", "add", "hoa", "--role", "reporter", "--organisation", "tro ly sen vang 1"], &db);
    assert!(ok, "{err}");
    assert!(out.contains("one-time password"), "{out}");
    let (ok, _, err) = run(&["user", "add", "lan", "--role", "reporter", "--organisation", "Công ty"], &db);
    assert!(!ok && err.contains("organisations match") && err.contains("tax code"), "several match: {err}");
    let (ok, _, err) = run(&["user", "add", "minh", "--role", "chief_engineer", "--product", "drone"], &db);
    assert!(
        !ok && err.contains("no product \"drone\"") && err.contains("llm, ai-camera, amr, 5g, blockchain, uav"),
        "{err}"
    );
    let (ok, _, err) = run(&["user", "token", "Cổng tỉnh", "--role", "viewer"], &db);
    assert!(ok, "{err}");
    let (ok, out, err) = run(&["user", "revoke", "Cổng tỉnh"], &db);
    assert!(ok && out.contains("revoked"), "a token by its name: {err}");

    // Dates as dd/mm/yyyy; amounts with separators; the weakest model by name.
    let (ok, out, err) = run(&["funding", "--as-of", "30/11/2026"], &db);
    assert!(ok, "{err}");
    assert!(out.contains("Funding as of 2026-11-30") && out.contains(",000 ₫"), "{out}");
    let (ok, out, err) = run(&["evaluate", "--as-of", "30/11/2026", "--product", "llm"], &db);
    assert!(ok, "{err}");
    assert!(out.contains("weakest model: ") && out.contains("(mẫu)") && out.contains(" ₫"), "{out}");
}

#[test]
fn a_port_alone_is_this_machines() {
    let out = cncl().args(["serve", "--listen", "eighty"]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(!out.status.success() && err.contains("write a port (8080) or HOST:PORT"), "{err}");
}
