//! The `cncl` binary as a user runs it: help, init, demo, and serve with a graceful stop.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::too_many_lines, reason = "a journey through the command line reads best in one piece")]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use cncl_testkit::TestDb;

fn cncl() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cncl"));
    command.env_remove("CNCL_DATABASE").env("CNCL_LOG", "warn");
    command
}

#[test]
fn help_explains_every_subcommand_and_the_database_option() {
    let out = cncl().arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for word in ["serve", "init", "demo", "cncl serve --demo"] {
        assert!(text.contains(word), "help lacks {word}: {text}");
    }
    for sub in ["serve", "init", "demo"] {
        let text = String::from_utf8(cncl().args([sub, "--help"]).output().unwrap().stdout).unwrap();
        assert!(text.contains("--database") && text.contains("CNCL_DATABASE"), "{sub}: {text}");
    }
}

#[test]
fn init_creates_the_database_once_and_demo_loads_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.db");
    for _ in 0..2 {
        let out = cncl().args(["init", "--database"]).arg(&db).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8(out.stdout).unwrap().contains("6 products, 6 task groups"));
    }
    // The database may also be named by the environment.
    let out = cncl().arg("demo").env("CNCL_DATABASE", &db).output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("demo data loaded"));
    let out = cncl().arg("demo").env("CNCL_DATABASE", &db).output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("already present"));
}

#[test]
fn a_bad_database_address_is_reported_not_panicked() {
    let out = cncl().args(["init", "--database", "mysql://nowhere/x"]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("unsupported database address"), "{err}");
    assert!(!err.contains("panicked"));
}

/// Start `cncl serve` on port 0, wait for its address, call it, stop it with SIGTERM.
async fn serve_and_stop(database: &str) {
    let mut child = cncl()
        .args(["serve", "--listen", "127.0.0.1:0", "--demo", "--database", database])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut admin_password = None;
    let base = loop {
        let line = lines.next().expect("cncl serve printed its address").unwrap();
        if let Some(rest) = line.split("one-time password ").nth(1) {
            admin_password = rest.split_whitespace().next().map(str::to_owned);
        }
        if let Some(rest) = line.strip_prefix("cncl is serving ") {
            break rest.split_whitespace().next().unwrap().trim_end_matches('/').to_owned();
        }
    };
    let products: serde_json::Value =
        reqwest::get(format!("{base}/api/v1/products")).await.unwrap().json().await.unwrap();
    assert_eq!(products.as_array().map(Vec::len), Some(6));
    let anonymous = reqwest::get(format!("{base}/api/v1/tasks")).await.unwrap();
    assert_eq!(anonymous.status().as_u16(), 401, "records need an account");
    let out = cncl().args(["user", "token", "reader", "--role", "viewer", "--database", database]).output().unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    let secret = out.split("secret (shown once): ").nth(1).unwrap().trim().to_owned();
    let tasks: serde_json::Value = reqwest::Client::new()
        .get(format!("{base}/api/v1/tasks"))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(tasks["total"], 60, "the demo was loaded");
    assert_eq!(admin_password.map(|p| p.len()), Some(24), "the first start prints the admin's one-time password");
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let exit = child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    assert!(rest.iter().any(|l| l == "cncl stopped"), "{rest:?}");
}

#[tokio::test]
async fn serve_with_demo_on_sqlite_and_stop_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("serve.db");
    tokio::time::timeout(Duration::from_secs(60), serve_and_stop(db.to_str().unwrap())).await.unwrap();
}

#[tokio::test]
async fn serve_with_demo_on_postgres_and_stop_gracefully() {
    let Some(db) = TestDb::postgres_empty().await else {
        eprintln!("skipped: CNCL_TEST_POSTGRES is not set");
        return;
    };
    tokio::time::timeout(Duration::from_secs(60), serve_and_stop(&db.address)).await.unwrap();
}

#[test]
fn tasks_funding_and_warnings_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.db");
    let run = |args: &[&str]| {
        let out = cncl().args(args).arg("--database").arg(&db).output().unwrap();
        (out.status.success(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    assert!(run(&["demo"]).0);
    let (ok, out, _) = run(&["task", "list", "--product", "uav", "--status", "accepted"]);
    assert!(ok);
    assert!(out.contains("2 of 2 tasks"), "{out}");
    let (ok, out, _) = run(&["task", "show", "LLM-05"]);
    assert!(ok && out.contains("✘ Clear authority") && out.contains("assigned → in_progress"), "{out}");
    let (ok, _, err) =
        run(&["task", "command", "LLM-01", r#"{"command":"accept","on":"2026-01-01","accepting_body":"x"}"#]);
    assert!(!ok && err.contains("allowed next: ordered, assigned, cancelled"), "{err}");
    let (ok, out, _) =
        run(&["task", "command", "LLM-01", r#"{"command":"cancel","on":"2026-01-01","reason":"r"}"#, "--by", "Trần B"]);
    assert!(ok && out.contains("draft → cancelled"), "{out}");
    let (ok, out, _) = run(&["task", "show", "LLM-01"]);
    assert!(ok && out.contains("(Trần B)"), "the actor named by --by is recorded: {out}");
    let (ok, out, _) = run(&["warnings", "--as-of", "2026-11-24"]);
    assert!(ok && out.contains("uav: no chief engineer or chief architect"), "{out}");
    let (ok, out, _) = run(&["funding", "--as-of", "2026-11-24"]);
    assert!(ok && out.contains("ceiling 15 %") && out.contains("5.40 %"), "{out}");
    let (ok, out, _) = run(&["task", "ranking", "AMR-02"]);
    assert!(ok && out.lines().filter(|l| l.trim_start().starts_with("1 ")).count() == 2, "a tie for first: {out}");
    let first = out.lines().next().unwrap();
    let chosen = first.split_whitespace().find(|w| uuid::Uuid::parse_str(w).is_ok()).unwrap().to_owned();
    let (ok, out, err) = run(&["task", "select", &chosen, "--on", "2026-01-20"]);
    assert!(ok && out.contains("AMR-02: assigned"), "{out}{err}");
    let (ok, _, err) = run(&["task", "show", "NOPE"]);
    assert!(!ok && err.contains("task NOPE not found"), "{err}");
}

#[test]
fn any_record_from_the_command_line_with_the_same_rules_as_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.db");
    let run = |args: &[&str]| {
        let out = cncl().args(args).arg("--database").arg(&db).output().unwrap();
        (out.status.success(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    assert!(run(&["demo"]).0);
    let (ok, out, _) = run(&["record", "kinds"]);
    assert!(ok && out.contains("state-st-spending") && out.contains("Task Force members"), "{out}");
    let (ok, out, err) = run(&["record", "list", "budget-lines", "--per-page", "2"]);
    assert!(ok && out.lines().count() == 2 && err.contains("2 of 270 budget-lines"), "{out}{err}");
    let line: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let line_id = line["id"].as_str().unwrap().to_owned();

    // Over the line: refused by the rule the API applies, the field named, nothing written.
    let too_much = format!(
        r#"{{"budget_line_id":"{line_id}","disbursed_on":"2026-05-01","amount_vnd":999000000000000,"document":null}}"#
    );
    let (ok, _, err) = run(&["record", "add", "disbursements", &too_much]);
    assert!(!ok && err.contains("amount_vnd"), "{err}");
    let file = dir.path().join("disbursement.json");
    let fits = format!(
        r#"{{"budget_line_id":"{line_id}","disbursed_on":"2026-05-01","amount_vnd":1000000,"document":"UNC 12"}}"#
    );
    std::fs::write(&file, fits).unwrap();
    let (ok, out, err) = run(&["record", "add", "disbursements", &format!("@{}", file.display()), "--by", "Lê C"]);
    assert!(ok, "{err}");
    let id = out.trim().to_owned();
    let (ok, out, _) = run(&["record", "show", "disbursements", &id]);
    assert!(ok && out.contains("\"document\": \"UNC 12\""), "{out}");
    let (ok, out, _) = run(&["audit", "verify"]);
    assert!(ok, "{out}");

    let (ok, _, err) = run(&["record", "list", "budget-line"]);
    assert!(!ok && err.contains("unknown kind of record \"budget-line\"") && err.contains("budget-lines"), "{err}");
    let (ok, _, err) = run(&["record", "add", "tasks", "{not json"]);
    assert!(!ok && err.contains("malformed JSON"), "{err}");
}

/// Make a database with the demo, change one row and one audit entry behind cncl's back,
/// and check that `cncl audit verify` names both.
#[test]
fn an_amended_criteria_set_from_a_file_compared_and_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("criteria.db");
    let run = |args: &[&str]| cncl().args(args).arg("--database").arg(&db).output().unwrap();
    assert!(run(&["demo"]).status.success());
    let draft = dir.path().join("draft.toml");
    let text = cncl_eval::criteria::DECISION_2815
        .replacen("version = \"2025-12\"", "version = \"draft-roll-up\"", 1)
        .replacen("bom_rule = \"tracing\"", "bom_rule = \"roll_up\"", 1)
        .replacen("roll_up_threshold_percent = 60", "roll_up_threshold_percent = 40", 1);
    std::fs::write(&draft, &text).unwrap();
    let draft = draft.to_str().unwrap();
    let loaded = run(&["criteria", "load", draft]);
    assert!(loaded.status.success(), "{}", printed(&loaded));
    assert!(printed(&loaded).contains("loaded decision-2815@draft-roll-up as a new version"));
    assert!(printed(&run(&["criteria", "load", draft])).contains("already loaded with the same content"));
    // An error names the file, the line and the key.
    std::fs::write(dir.path().join("broken.toml"), text.replacen("id = \"decision-2815\"", "id = \"a b\"", 1)).unwrap();
    let broken = run(&["criteria", "load", dir.path().join("broken.toml").to_str().unwrap()]);
    assert!(!broken.status.success());
    assert!(printed(&broken).contains("broken.toml:9: must be 1 to 64 letters"), "{}", printed(&broken));

    let listed = printed(&run(&["criteria", "list"]));
    assert!(listed.contains("* decision-2815@2025-12") && listed.contains("  decision-2815@draft-roll-up"), "{listed}");
    let compared = run(&["criteria", "compare", "--right", "decision-2815@draft-roll-up", "--as-of", "2026-11-24"]);
    let out = printed(&compared);
    assert!(out.contains("decision-2815@2025-12 (A) against decision-2815@draft-roll-up (B) on 2026-11-24"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("≠ uav") && l.contains("C1a")), "{out}");
    let under_draft =
        printed(&run(&["evaluate", "--as-of", "2026-11-24", "--criteria", "decision-2815@draft-roll-up"]));
    assert!(
        under_draft.contains("criteria set decision-2815 (draft-roll-up), bill-of-materials rule: RollUp"),
        "{under_draft}"
    );

    assert!(printed(&run(&["criteria", "use", "decision-2815@draft-roll-up"])).contains("now evaluated against"));
    let evaluated = printed(&run(&["evaluate", "--as-of", "2026-11-24"]));
    assert!(evaluated.contains("(draft-roll-up)"), "the programme's set now: {evaluated}");
    assert!(run(&["audit", "verify"]).status.success(), "every change is in the audit log");
}

#[test]
fn the_localisation_planner_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("plan.db");
    let run = |args: &[&str]| cncl().args(args).arg("--database").arg(&db).output().unwrap();
    assert!(run(&["demo"]).status.success());
    // The AMR's first model, at 52.3 %: the cheaper sensor offer reaches 60 % for +1,000,000.
    let out = run(&["plan", "Robot Hac Xanh M1", "--as-of", "2026-11-30"]);
    let text = printed(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("C1a 52.3 % (target 60 %)"), "{text}");
    assert!(text.contains("reachable: 1 substitutions, +1000000 đồng per unit"), "{text}");
    assert!(text.contains("Cảm biến / ăng-ten (mẫu) ×2: 5100000 → 5600000 đồng"), "{text}");
    let json = run(&["plan", "Robot Hac Xanh M1", "--as-of", "2026-11-30", "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(plan["plan"]["added_cost_vnd"], 1_000_000);
    let roadmap = printed(&run(&["plan", "--product", "5g", "--as-of", "2026-11-30"]));
    assert!(roadmap.contains("0 can reach the targets, 2 cannot"), "{roadmap}");
    assert!(roadmap.contains("! no offer for Cảm biến / ăng-ten (mẫu)"), "{roadmap}");
    let nothing = run(&["plan", "No such model"]);
    assert!(!nothing.status.success() && printed(&nothing).contains("no product model is named like"));
}

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

async fn tampering_is_found(database: &str) {
    let run = |args: &[&str]| cncl().args(args).args(["--database", database]).output().unwrap();
    assert!(run(&["demo"]).status.success());
    let clean = run(&["audit", "verify"]);
    let out = String::from_utf8(clean.stdout).unwrap();
    assert!(clean.status.success(), "{out}");
    assert!(out.contains("intact"), "{out}");

    let tamper = |sql: &'static str| async move {
        if database.starts_with("postgres") {
            let mut c = <sqlx::PgConnection as sqlx::Connection>::connect(database).await.unwrap();
            sqlx::query(sql).execute(&mut c).await.unwrap();
        } else {
            let mut c =
                <sqlx::SqliteConnection as sqlx::Connection>::connect(&format!("sqlite:{database}")).await.unwrap();
            sqlx::query(sql).execute(&mut c).await.unwrap();
        }
    };
    tamper("update budget_lines set amount_vnd = amount_vnd + 1 where id = (select min(id) from budget_lines)").await;
    let row = run(&["audit", "verify"]);
    let out = String::from_utf8(row.stdout).unwrap();
    assert!(!row.status.success());
    assert!(out.contains("MISMATCH budget_lines ") && out.contains("differs from the audit log"), "{out}");
    assert!(!out.contains("BROKEN"), "the chain itself is intact: {out}");
    // The programme's criteria set switched behind cncl's back is named too.
    tamper("update settings set value = 'decision-2815@forged' where key = 'current_criteria_set'").await;
    let out = String::from_utf8(run(&["audit", "verify"]).stdout).unwrap();
    assert!(out.contains("MISMATCH settings current_criteria_set: differs from the audit log"), "{out}");

    tamper("update audit_log set actor = 'someone else' where seq = 42").await;
    let entry = run(&["audit", "verify"]);
    let out = String::from_utf8(entry.stdout).unwrap();
    assert!(out.contains("BROKEN at entry 42: its hash does not match its contents"), "{out}");
}

#[tokio::test]
async fn tampering_is_found_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("tamper.db");
    tampering_is_found(db.to_str().unwrap()).await;
}

#[tokio::test]
async fn tampering_is_found_on_postgres() {
    let Some(db) = TestDb::postgres_empty().await else {
        eprintln!("skipped: CNCL_TEST_POSTGRES is not set");
        return;
    };
    tampering_is_found(&db.address).await;
}

/// Everything a run printed, on either stream.
/// How many cost lines the database holds: `cncl record list` ends with "N of TOTAL …".
fn cost_lines(db: &std::path::Path) -> i64 {
    let out = cncl().args(["record", "list", "cost-lines", "--per-page", "1", "--database"]).arg(db).output().unwrap();
    let out = printed(&out);
    let summary = out.lines().find(|l| l.contains(" cost-lines (page")).unwrap().to_owned();
    summary.split(" of ").nth(1).unwrap().split(' ').next().unwrap().parse::<i64>().unwrap()
}

fn printed(out: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[tokio::test]
async fn a_database_password_is_never_printed_or_logged() {
    const PASSWORD: &str = "Hunter2-never-shown";
    let Some(db) = TestDb::postgres_empty().await else {
        eprintln!("skipped: CNCL_TEST_POSTGRES is not set");
        return;
    };
    // The test server trusts loopback, so the password is carried but not needed.
    let (scheme, rest) = db.address.split_once("://").unwrap();
    let rest = rest.split_once('@').map_or(rest, |(_, host)| host);
    let address = format!("{scheme}://postgres:{PASSWORD}@{rest}");
    let verbose = |args: &[&str]| cncl().args(args).args(["--database", &address]).env("CNCL_LOG", "debug").output();

    let mut seen = Vec::new();
    let init = verbose(&["init"]).unwrap();
    assert!(init.status.success(), "{}", printed(&init));
    seen.push(printed(&init));
    seen.push(printed(&verbose(&["audit", "verify"]).unwrap()));
    // A server that is not there, and an address that does not parse.
    let unreachable = address.replace(rest.split('/').next().unwrap(), "127.0.0.1:1");
    let failed = cncl().args(["init", "--database", &unreachable]).output().unwrap();
    assert!(!failed.status.success());
    assert!(printed(&failed).contains("postgres://postgres:***@127.0.0.1:1/"), "{}", printed(&failed));
    seen.push(printed(&failed));
    let malformed = format!("postgres://postgres:{PASSWORD}@127.0.0.1:port/x");
    seen.push(printed(&cncl().args(["init", "--database", &malformed]).output().unwrap()));
    // Named by the environment, which `--help` would otherwise show.
    seen.push(printed(&cncl().args(["serve", "--help"]).env("CNCL_DATABASE", &address).output().unwrap()));

    let mut server = cncl()
        .args(["serve", "--listen", "127.0.0.1:0", "--database", &address])
        .env("CNCL_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let started = lines.by_ref().map_while(Result::ok).find(|l| l.starts_with("cncl is serving")).unwrap();
    assert!(started.contains("postgres://postgres:***@"), "{started}");
    Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    let output = server.wait_with_output().unwrap();
    seen.push(started);
    seen.extend(lines.map_while(Result::ok));
    seen.push(String::from_utf8_lossy(&output.stderr).into_owned());

    for text in &seen {
        assert!(!text.contains(PASSWORD), "the password was printed: {text}");
    }
}
