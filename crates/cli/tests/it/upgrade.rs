//! Upgrades lose nothing: every database kept from an earlier release
//! (`tests/fixtures/upgrade/<version>.db.zip`, made by `scripts/upgrade-fixture`) opens
//! with this build, is migrated, verifies its audit chain, and gives the same figures.

use std::io::Read;
use std::path::Path;

use serde_json::{Value, json};

use crate::cncl;

/// The figures of a scorecard, as the fixture keeps them.
fn figures(card: &Value) -> Vec<Value> {
    let row = |product: &Value, r: &Value| {
        json!({"product": product, "criterion": r["criterion"], "numerator": r["numerator"],
               "denominator": r["denominator"], "value": r["value"], "status": r["status"]})
    };
    let mut rows: Vec<Value> = card["products"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["results"].as_array().unwrap().iter().map(|r| row(&p["product"], r)))
        .collect();
    rows.extend(card["programme"].as_array().unwrap().iter().map(|r| row(&Value::Null, r)));
    rows
}

fn unzip(archive: &Path, into: &Path) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(archive).unwrap()).unwrap();
    let mut entry = zip.by_name("cncl.db").unwrap();
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes).unwrap();
    std::fs::write(into, bytes).unwrap();
}

#[test]
fn every_earlier_release_database_opens_verifies_and_gives_the_same_figures() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upgrade");
    let mut releases: Vec<_> = std::fs::read_dir(&fixtures)
        .unwrap()
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.strip_suffix(".db.zip").map(str::to_owned))
        .collect();
    releases.sort();
    assert!(!releases.is_empty(), "no fixture in {}", fixtures.display());
    for release in releases {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("cncl.db");
        unzip(&fixtures.join(format!("{release}.db.zip")), &database);
        let database = database.to_str().unwrap();
        let out = cncl().args(["audit", "verify", "--database", database]).output().unwrap();
        let verified = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && verified.contains("intact"), "{release}: {verified}");
        let out = cncl()
            .args(["evaluate", "--as-of", "2026-12-31", "--format", "json", "--database", database])
            .output()
            .unwrap();
        assert!(out.status.success(), "{release}: {}", String::from_utf8_lossy(&out.stderr));
        let card: Value = serde_json::from_slice(&out.stdout).unwrap();
        let expected: Vec<Value> =
            serde_json::from_str(&std::fs::read_to_string(fixtures.join(format!("{release}.figures.json"))).unwrap())
                .unwrap();
        assert_eq!(figures(&card), expected, "{release}: the figures changed on upgrade");
    }
}
