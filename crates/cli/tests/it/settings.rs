//! Settings in layers: a flag over a `CNCL_*` variable over `cncl.toml` over the default,
//! shown with their origins and secrets redacted, and used by `cncl serve`.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use crate::cncl;

const FILE: &str = r#"
database = "postgres://cncl:hunter2-secret@127.0.0.1:1/cncl"
listen = 9000
trusted_proxies = ["10.0.0.2"]
colour = "red"

[session]
idle_minutes = 30

[smtp]
url = "smtps://mail:mail-secret@mail.example"

[metrics]
token = "metrics-secret"
"#;

fn show(dir: &std::path::Path, extra: &[&str], env: &[(&str, &str)]) -> (String, String) {
    let mut command = cncl();
    command.current_dir(dir).args(["config", "show"]).args(extra);
    for (name, value) in env {
        command.env(name, value);
    }
    let out = command.output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

fn line<'a>(table: &'a str, key: &str) -> &'a str {
    table.lines().find(|l| l.split_whitespace().next() == Some(key)).unwrap_or_else(|| panic!("no {key} in {table}"))
}

#[test]
fn a_flag_wins_over_the_environment_which_wins_over_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cncl.toml"), FILE).unwrap();
    let (table, warnings) = show(dir.path(), &[], &[("CNCL_SESSION_IDLE_MINUTES", "20")]);
    assert!(line(&table, "listen").contains("9000") && line(&table, "listen").ends_with("file cncl.toml"));
    let idle = line(&table, "session.idle_minutes");
    assert!(idle.contains("20") && idle.ends_with("environment CNCL_SESSION_IDLE_MINUTES"), "{idle}");
    assert!(line(&table, "jobs_every").ends_with("default"));
    assert!(line(&table, "trusted_proxies").contains("10.0.0.2"));
    assert!(warnings.contains("\"colour\""), "an unknown key is named: {warnings}");

    let (table, _) = show(dir.path(), &["--database", "office.db"], &[("CNCL_DATABASE", "other.db")]);
    let database = line(&table, "database");
    assert!(database.contains("office.db") && database.ends_with("flag --database"), "{database}");
    let (table, _) = show(dir.path(), &[], &[("CNCL_DATABASE", "other.db")]);
    assert!(line(&table, "database").ends_with("environment CNCL_DATABASE"));
}

#[test]
fn secrets_are_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cncl.toml"), FILE).unwrap();
    let (table, warnings) = show(dir.path(), &[], &[]);
    for secret in ["hunter2-secret", "mail-secret", "metrics-secret"] {
        assert!(!table.contains(secret) && !warnings.contains(secret), "{secret} printed: {table}");
    }
    assert!(line(&table, "database").contains("cncl:***@127.0.0.1"));
    assert!(line(&table, "smtp.url").contains("mail:***@mail.example"));
    assert!(line(&table, "metrics.token").contains("***"));
}

#[test]
fn a_setting_out_of_bounds_or_a_missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cncl.toml"), "[throttle]\nper_account = 0\n").unwrap();
    let out = cncl().current_dir(dir.path()).args(["config", "show"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("throttle.per_account is 0"));
    let out = cncl().current_dir(dir.path()).args(["--config", "elsewhere.toml", "config", "show"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("elsewhere.toml is not there"));
    std::fs::write(dir.path().join("cncl.toml"), "listen = \"everywhere\"\n").unwrap();
    let out = cncl().current_dir(dir.path()).args(["config", "show"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("listen \"everywhere\" is not an address"));
}

/// The value of the cookie `name` that a response sets.
fn cookie(response: &reqwest::Response, name: &str) -> String {
    let prefix = format!("{name}=");
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&prefix).map(|rest| rest.split(';').next().unwrap_or_default().to_owned()))
        .unwrap()
}

async fn failed_sign_in(base: &str) -> u16 {
    let client = reqwest::Client::new();
    let page = client.get(format!("{base}/login")).send().await.unwrap();
    let csrf = cookie(&page, "cncl_login_csrf");
    let answer = client
        .post(format!("{base}/login"))
        .header("cookie", format!("cncl_login_csrf={csrf}"))
        .form(&[("username", "admin"), ("password", "not the password"), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    answer.status().as_u16()
}

#[tokio::test]
async fn serve_takes_its_database_address_and_limits_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let settings = "database = \"office.db\"\nlisten = \"127.0.0.1:0\"\njobs_every = 0\n\n\
                    [throttle]\nper_account_and_address = 2\n";
    std::fs::write(dir.path().join("cncl.toml"), settings).unwrap();
    let mut child =
        cncl().current_dir(dir.path()).arg("serve").stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("cncl is serving ").map(|r| r.split_whitespace().next().unwrap().to_owned()))
        .unwrap();
    let base = base.trim_end_matches('/');
    assert!(dir.path().join("office.db").exists(), "the file's database was made");
    let statuses = tokio::time::timeout(Duration::from_secs(30), async {
        vec![failed_sign_in(base).await, failed_sign_in(base).await, failed_sign_in(base).await]
    })
    .await
    .unwrap();
    assert_eq!(statuses, [401, 401, 429], "the file's limit of two attempts holds");
    child.kill().unwrap();
    child.wait().unwrap();
}
