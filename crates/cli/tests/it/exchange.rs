//! Files in and out from the command line: exports, templates read back unchanged, imports
//! all or nothing, and an import killed midway.

use std::time::Duration;

use crate::{cncl, printed};

#[test]
fn every_kind_exports_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("export.db");
    let run = |args: &[&str]| cncl().args(args).arg("--database").arg(&db).output().unwrap();
    assert!(run(&["demo"]).status.success());
    let out = dir.path().join("bom.xlsx");
    let done = run(&["export", "bom-lines", "--product", "uav", "--output", out.to_str().unwrap()]);
    assert!(done.status.success(), "{}", printed(&done));
    let book = cncl_exchange::read_xlsx(&std::fs::read(&out).unwrap(), cncl_exchange::Limits::default()).unwrap();
    assert_eq!(book.sheets[0].rows.len(), 2 + 2 * 8, "two UAV models of eight lines, below the two header rows");
    let csv = run(&["export", "tasks", "--format", "csv", "--english"]);
    assert!(
        csv.stdout.starts_with(b"\xEF\xBB\xBFID,Code,"),
        "{}",
        String::from_utf8_lossy(&csv.stdout[..80.min(csv.stdout.len())])
    );
    let unknown = run(&["export", "nothing"]);
    assert!(!unknown.status.success() && printed(&unknown).contains("no kind of record is called"));
}

/// Every kind's template, filled with the records, reads back unchanged: references written
/// as keys (tax code, code, name, component path) find the same records again, in either
/// language; without the ID column, a record is found by its own key.
#[test]
fn every_template_filled_with_the_records_reads_back_unchanged() {
    use cncl_exchange::{Cell, CellOut, Column, ColumnKind, Limits, SheetOut, read_xlsx, write_xlsx};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("templates.db");
    let run = |args: &[&str]| cncl().args(args).arg("--database").arg(&db).output().unwrap();
    assert!(run(&["demo"]).status.success());
    let file = dir.path().join("template.xlsx");
    let file = file.to_str().unwrap();
    for (i, kind) in cncl_domain::EntityKind::ALL.iter().enumerate() {
        let mut args = vec!["template", kind.resource(), "--prefilled", "--output", file];
        if i % 2 == 1 {
            args.push("--english");
        }
        let written = run(&args);
        assert!(written.status.success(), "{}", printed(&written));
        let back = run(&["import", file, "--dry-run"]);
        assert!(back.status.success(), "{kind:?}: {}", printed(&back));
        assert!(
            printed(&back).contains(" 0 new, 0 updated,") || printed(&back).starts_with("0 new, 0 updated,"),
            "{kind:?}: {}",
            printed(&back)
        );
    }
    let reporting = run(&["template", "--reporting", "9990000001", "--prefilled", "--output", file]);
    assert!(reporting.status.success(), "{}", printed(&reporting));
    let back = run(&["import", file, "--dry-run"]);
    assert!(printed(&back).contains("0 new, 0 updated, 23 unchanged, 0 in error"), "{}", printed(&back));

    // Without IDs, records with a key of their own are found by it.
    for kind in ["organisations", "tasks", "product-models", "bom-lines", "core-technologies"] {
        assert!(run(&["template", kind, "--prefilled", "--output", file]).status.success());
        let book = read_xlsx(&std::fs::read(file).unwrap(), Limits::default()).unwrap();
        let sheet = book.sheets.iter().find(|s| s.name == kind).unwrap();
        let keys: Vec<String> =
            sheet.rows[1].cells.iter().map(|c| if let Cell::Text(t) = c { t.clone() } else { String::new() }).collect();
        let columns =
            keys.iter().map(|k| Column { header: k.clone(), key: k.clone(), kind: ColumnKind::Text }).collect();
        let rows = sheet.rows[2..].iter().map(|row| {
            (0..keys.len())
                .map(|c| match row.cell(c) {
                    _ if keys[c] == "id" => CellOut::Empty,
                    Cell::Text(t) => CellOut::Text(t.clone()),
                    Cell::Number(n) => CellOut::Number(*n),
                    Cell::Date(d) => CellOut::Date(*d),
                    _ => CellOut::Empty,
                })
                .collect()
        });
        let count = sheet.rows.len() - 2;
        let bytes = write_xlsx(vec![SheetOut { name: kind.into(), columns, rows: Box::new(rows) }]).unwrap();
        std::fs::write(file, bytes).unwrap();
        let back = run(&["import", file, "--dry-run"]);
        assert!(
            printed(&back).contains(&format!("0 new, 0 updated, {count} unchanged, 0 in error")),
            "{kind}: {}",
            printed(&back)
        );
    }
}

#[test]
fn a_workbook_imports_all_or_nothing_and_names_the_bad_cell() {
    use cncl_exchange::{CellOut, Column, ColumnKind, SheetOut, write_xlsx};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("import.db");
    let run = |args: &[&str]| cncl().args(args).arg("--database").arg(&db).output().unwrap();
    assert!(run(&["demo"]).status.success());
    // An exported list imports back unchanged.
    let exported = dir.path().join("cost-lines.xlsx");
    assert!(
        run(&["export", "cost-lines", "--product", "uav", "--output", exported.to_str().unwrap()]).status.success()
    );
    let again = run(&["import", exported.to_str().unwrap(), "--dry-run"]);
    assert!(again.status.success(), "{}", printed(&again));
    assert!(printed(&again).contains("0 new, 0 updated, 8 unchanged, 0 in error"), "{}", printed(&again));

    // New cost lines for a model, one amount mistyped in the middle.
    let models = String::from_utf8(run(&["record", "list", "product-models", "--product", "uav"]).stdout).unwrap();
    let model: serde_json::Value = serde_json::from_str(models.lines().next().unwrap()).unwrap();
    let model = model["id"].as_str().unwrap().to_owned();
    let column = |header: &str, key: &str| Column { header: header.into(), key: key.into(), kind: ColumnKind::Text };
    let columns = vec![
        column("Mẫu sản phẩm", "model_id"),
        column("Loại chi phí", "category"),
        column("Nguồn gốc", "origin"),
        column("Số tiền", "amount_vnd"),
        column("Mô tả", "description"),
    ];
    let row = |amount: &str| {
        vec![
            CellOut::Text(model.clone()),
            CellOut::Text("labour".into()),
            CellOut::Text("domestic".into()),
            CellOut::Text(amount.into()),
            CellOut::Text("Nhập từ Excel".into()),
        ]
    };
    let write = |rows: Vec<Vec<CellOut>>| {
        let bytes = write_xlsx(vec![SheetOut {
            name: "cost-lines".into(),
            columns: columns.clone(),
            rows: Box::new(rows.into_iter()),
        }])
        .unwrap();
        let path = dir.path().join("new-costs.xlsx");
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let count = || cost_lines(&db);
    let before = count();
    let bad = write(vec![row("1.250.000"), row("một triệu"), row("2.000.000")]);
    let refused = run(&["import", bad.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(printed(&refused).contains("ERROR cost-lines D4 (Số tiền):"), "{}", printed(&refused));
    assert_eq!(count(), before, "nothing written");

    let good = write(vec![row("1.250.000"), row("12,5"), row("2.000.000")]);
    let fraction = run(&["import", good.to_str().unwrap()]);
    assert!(!fraction.status.success(), "12,5 đồng is not whole: {}", printed(&fraction));
    assert!(printed(&fraction).contains("D4"), "{}", printed(&fraction));
    let good = write(vec![row("1.250.000"), row("750.000"), row("2.000.000")]);
    let done = run(&["import", good.to_str().unwrap(), "--by", "Nguyễn Văn A"]);
    assert!(done.status.success(), "{}", printed(&done));
    assert!(printed(&done).contains("3 new, 0 updated, 0 unchanged, 0 in error; written"), "{}", printed(&done));
    assert_eq!(count(), before + 3);
    assert!(run(&["audit", "verify"]).status.success(), "one audit entry per record");
}

/// `kill -9` at random moments of an import of 3,000 cost lines, 20 times: each time the
/// database holds all of the file's rows or none, and the audit log still verifies.
#[test]
fn an_import_killed_midway_leaves_all_or_nothing() {
    use cncl_exchange::{CellOut, Column, ColumnKind, SheetOut, write_xlsx};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let run = |args: &[&str]| cncl().args(args).arg("--database").arg(&db).output().unwrap();
    assert!(run(&["demo"]).status.success());
    let models = String::from_utf8(run(&["record", "list", "product-models"]).stdout).unwrap();
    let model: serde_json::Value = serde_json::from_str(models.lines().next().unwrap()).unwrap();
    let model = model["id"].as_str().unwrap().to_owned();
    let column = |key: &str| Column { header: key.into(), key: key.into(), kind: ColumnKind::Text };
    let columns = ["model_id", "category", "origin", "amount_vnd", "description"].map(column).to_vec();
    let rows = (0..3_000).map(move |i| {
        vec![
            CellOut::Text(model.clone()),
            CellOut::Text("overhead".into()),
            CellOut::Text("domestic".into()),
            CellOut::Number(f64::from(1_000 + i)),
            CellOut::Text(format!("Dòng {i}")),
        ]
    });
    let bytes = write_xlsx(vec![SheetOut { name: "cost-lines".into(), columns, rows: Box::new(rows) }]).unwrap();
    let file = dir.path().join("many.xlsx");
    std::fs::write(&file, bytes).unwrap();
    let count = || cost_lines(&db);
    let before = count();
    let mut seed = 0x2545_f491_u64;
    let mut imported = 0;
    for _ in 0..20 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut child = cncl().args(["import", file.to_str().unwrap(), "--database"]).arg(&db).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(seed % 2_500));
        let _ = child.kill();
        let status = child.wait().unwrap();
        // A kill may land after the commit and before the exit: the rows decide, not the status.
        let now = count();
        assert_eq!((now - before) % 3_000, 0, "all or nothing: {now} rows, {before} before");
        assert!(now - before >= imported * 3_000, "a finished import stays written");
        if status.success() {
            assert_eq!(now - before, (imported + 1) * 3_000, "a finished import wrote its rows");
        }
        imported = (now - before) / 3_000;
        assert!(run(&["audit", "verify"]).status.success(), "the audit log verifies after a kill");
    }
    eprintln!("{imported} of 20 imports finished before their kill");
    // And left alone, the import finishes.
    assert!(run(&["import", file.to_str().unwrap()]).status.success());
    assert_eq!(count(), before + (imported + 1) * 3_000);
}

/// How many cost lines the database holds: `cncl record list` ends with "N of TOTAL …".
fn cost_lines(db: &std::path::Path) -> i64 {
    let out = cncl().args(["record", "list", "cost-lines", "--per-page", "1", "--database"]).arg(db).output().unwrap();
    let out = printed(&out);
    let summary = out.lines().find(|l| l.contains(" cost-lines (page")).unwrap().to_owned();
    summary.split(" of ").nth(1).unwrap().split(' ').next().unwrap().parse::<i64>().unwrap()
}
