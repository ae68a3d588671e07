//! The `cncl` binary as a user runs it: help, init, demo, and serve with a graceful stop.

#![allow(clippy::unwrap_used, clippy::expect_used)]
#![allow(clippy::too_many_lines, reason = "a journey through the command line reads best in one piece")]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use cncl_testkit::TestDb;

mod backup;
mod exchange;
mod instances;
mod report;
mod settings;
mod speaks_like_the_pages;
mod upgrade;

pub use cncl_testkit::server::admin;

pub fn cncl() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cncl"));
    command.env_remove("CNCL_DATABASE").env_remove("CNCL_CONFIG").env("CNCL_LOG", "warn");
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
    assert!(ok && out.contains("No chief engineer or chief architect: Unmanned aerial vehicles (UAVs)"), "{out}");
    assert!(out.contains("Reports missing long past their due date: Công ty Cổ phần Trợ lý Sen Vàng 3 (dữ liệu mẫu): 6 reports; the oldest Task's quarterly progress report LLM-03 2025Q4, late by 313 days"), "{out}");
    let (ok, out, _) = run(&["compliance", "--as-of", "2026-07-15", "--lang", "en"]);
    let programme = out.lines().find(|l| l.starts_with("Whole programme")).unwrap_or_default().to_owned();
    assert!(ok && programme.contains(" 114 ") && programme.contains("15.8 %"), "{out}");
    assert!(out.contains("181 days  2025Q4"), "the overdue list, the latest first: {out}");
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
        .replacen("version = \"2026-12\"", "version = \"draft-roll-up\"", 1)
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
    assert!(listed.contains("* decision-2815@2026-12") && listed.contains("  decision-2815@draft-roll-up"), "{listed}");
    let compared = run(&["criteria", "compare", "--right", "decision-2815@draft-roll-up", "--as-of", "2026-11-24"]);
    let out = printed(&compared);
    assert!(out.contains("decision-2815@2026-12 (A) against decision-2815@draft-roll-up (B) on 2026-11-24"), "{out}");
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

/// `cncl serve --smtp-url` plans the reminders due and e-mails them, to the accounts given
/// an address with `cncl user contact`; `cncl compliance` lists what they are about.
#[tokio::test]
async fn the_server_emails_reminders_through_the_configured_smtp_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.db");
    let database = db.to_str().unwrap();
    let run = |args: &[&str]| {
        let out = cncl().args(args).args(["--database", database]).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["demo"]);
    run(&["user", "add", "ce-llm", "--role", "chief_engineer", "--product", "llm"]);
    let set = run(&["user", "contact", "ce-llm", "--email", "ce-llm@most.gov.vn"]);
    assert!(set.contains("ce-llm: e-mail ce-llm@most.gov.vn, person none"), "{set}");
    let refused = cncl()
        .args(["user", "contact", "ce-llm", "--email", "not an address", "--database", database])
        .output()
        .unwrap();
    assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("email"));
    let smtp = cncl_testkit::smtp::SmtpSink::start().await;
    let mut child = cncl()
        .args(["serve", "--listen", "127.0.0.1:0", "--jobs-every", "1", "--database", database])
        .args(["--smtp-url", &smtp.url(), "--public-url", "https://cncl.example.vn"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut received = Vec::new();
    for _ in 0..120 {
        received = smtp.messages();
        if !received.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    child.wait().unwrap();
    assert!(!received.is_empty(), "the worker sent the reminders due");
    assert!(
        received.iter().all(|m| m.recipients == ["ce-llm@most.gov.vn"]),
        "only the LLM's chief engineer has an address"
    );
    assert!(
        received.iter().all(|m| m.text().contains("https://cncl.example.vn/records/progress-reports")),
        "links use the public address"
    );
    let overdue = run(&["compliance", "--lang", "en"]);
    assert!(overdue.contains("LLM-03"), "{overdue}");
}
