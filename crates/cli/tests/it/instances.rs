//! Two `cncl serve` instances on one PostgreSQL behind a real load balancer (HAProxy from
//! Debian): a session made on one works on the other, a write on one changes the scorecard
//! the other serves, and while the database is away both answer 503 at once — never hang —
//! and recover by themselves when it is back.
//!
//! The database's restart is played by a TCP relay between the instances and PostgreSQL that
//! drops every connection and refuses new ones, as a restarting server does to its clients:
//! the shared test server itself must keep serving the other tests.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use cncl_testkit::TestDb;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

use crate::cncl;

/// A relay to PostgreSQL that can be cut, like a server restarting.
struct Relay {
    address: SocketAddr,
    up: Arc<AtomicBool>,
    connections: Arc<tokio::sync::Mutex<JoinSet<()>>>,
}

impl Relay {
    async fn start(target: SocketAddr) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let up = Arc::new(AtomicBool::new(true));
        let connections = Arc::new(tokio::sync::Mutex::new(JoinSet::new()));
        let (accepting, open) = (up.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !accepting.load(Ordering::SeqCst) {
                    continue; // dropped: the client sees its connection closed at once
                }
                open.lock().await.spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        });
        Relay { address, up, connections }
    }

    /// Drop every connection and refuse new ones.
    async fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        self.connections.lock().await.abort_all();
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

struct Instance {
    child: Child,
    base: String,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(database: &str) -> Instance {
    let mut child = cncl()
        .args(["serve", "--listen", "127.0.0.1:0", "--jobs-every", "0", "--database", database])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = lines
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("cncl is serving ").map(|r| r.split_whitespace().next().unwrap().to_owned()))
        .unwrap();
    Instance { child, base: base.trim_end_matches('/').to_owned() }
}

/// HAProxy in front of both instances, sending to those whose `/ready` answers 200.
fn balancer(dir: &std::path::Path, instances: &[&Instance]) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let servers: String = instances
        .iter()
        .enumerate()
        .map(|(i, instance)| {
            let address = instance.base.trim_start_matches("http://");
            format!("    server cncl{i} {address} check inter 300ms fall 2 rise 1\n")
        })
        .collect();
    let config = format!(
        "global\n    maxconn 256\ndefaults\n    mode http\n    timeout connect 2s\n    timeout client 10s\n    \
         timeout server 10s\nfrontend cncl\n    bind 127.0.0.1:{port}\n    default_backend instances\n\
         backend instances\n    balance roundrobin\n    option httpchk GET /ready\n{servers}"
    );
    let file = dir.join("haproxy.cfg");
    std::fs::write(&file, config).unwrap();
    let child = std::process::Command::new("haproxy")
        .arg("-db")
        .arg("-f")
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    (child, format!("http://127.0.0.1:{port}"))
}

fn cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    let prefix = format!("{name}=");
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix(&prefix).map(|rest| rest.split(';').next().unwrap_or_default().to_owned()))
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    html.split(&marker).nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_owned()
}

/// A session made by signing in on `one` is the same session on `other`: there the
/// one-time password is changed, and `one` then serves the account's pages.
async fn a_session_made_on_one_instance_works_on_the_other(one: &Instance, other: &Instance, password: &str) {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let login = client.get(format!("{}/login", one.base)).send().await.unwrap();
    let csrf = cookie(&login, "cncl_login_csrf").unwrap();
    let signed_in = client
        .post(format!("{}/login", one.base))
        .header("cookie", format!("cncl_login_csrf={csrf}"))
        .form(&[("username", "vien-kiem-tra"), ("password", password), ("csrf", &csrf)])
        .send()
        .await
        .unwrap();
    let session = cookie(&signed_in, "cncl_session").expect("signed in on the first instance");
    let page = client
        .get(format!("{}/password", other.base))
        .header("cookie", format!("cncl_session={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status().as_u16(), 200, "the other instance knows the session");
    let html = page.text().await.unwrap();
    let changed = client
        .post(format!("{}/password", other.base))
        .header("cookie", format!("cncl_session={session}"))
        .form(&[
            ("current", password),
            ("new", "mùa thu Hà Nội lá vàng rơi 2026"),
            ("repeat", "mùa thu Hà Nội lá vàng rơi 2026"),
            ("csrf", &hidden(&html, "csrf")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status().as_u16(), 303, "the password changed on the other instance");
    let session = cookie(&changed, "cncl_session").unwrap();
    let tasks = client
        .get(format!("{}/tasks", one.base))
        .header("cookie", format!("cncl_session={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(tasks.status().as_u16(), 200, "and the first serves the account with it");
}

fn trained(card: &serde_json::Value) -> i64 {
    let p7 = card["programme"].as_array().unwrap().iter().find(|r| r["criterion"] == "P7").unwrap();
    p7["numerator"].as_i64().unwrap()
}

// Several threads: the relay must keep relaying while the test waits on a `cncl` process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_behind_haproxy_share_sessions_and_writes_and_outlive_a_database_restart() {
    if std::process::Command::new("haproxy").arg("-v").output().is_err() {
        assert!(std::env::var("CNCL_TEST_REQUIRE_POSTGRES").as_deref() != Ok("1"), "haproxy is not installed");
        eprintln!("skipped: haproxy is not installed (scripts/test installs it)");
        return;
    }
    let Some(db) = TestDb::postgres_empty().await else {
        eprintln!("skipped: CNCL_TEST_POSTGRES is not set");
        return;
    };
    let mut url = url::Url::parse(&db.address).unwrap();
    let target = SocketAddr::new(url.host_str().unwrap().parse().unwrap(), url.port().unwrap_or(5432));
    let relay = Relay::start(target).await;
    url.set_port(Some(relay.address.port())).unwrap();
    let database = url.to_string();
    let init = cncl().args(["init", "--database", &database]).output().unwrap();
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let out = cncl().args(["user", "add", "vien-kiem-tra", "--role", "viewer", "--database", &database]).output();
    let out = String::from_utf8(out.unwrap().stdout).unwrap();
    let password = out.split("one-time password: ").nth(1).unwrap().trim().to_owned();
    let out =
        cncl().args(["user", "token", "writer", "--role", "admin", "--days", "1", "--database", &database]).output();
    let out = String::from_utf8(out.unwrap().stdout).unwrap();
    let token = out.split("secret (shown once): ").nth(1).unwrap().trim().to_owned();
    let (one, other) = (serve(&database), serve(&database));
    let dir = tempfile::tempdir().unwrap();
    let (mut haproxy, front) = balancer(dir.path(), &[&one, &other]);
    let api = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
    let get = |url: String| {
        let api = api.clone();
        let token = token.clone();
        async move { api.get(url).bearer_auth(token).send().await.unwrap() }
    };
    let mut up = false;
    for _ in 0..50 {
        if api.get(format!("{front}/ready")).send().await.is_ok_and(|r| r.status().as_u16() == 200) {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "the balancer sends to the instances");

    a_session_made_on_one_instance_works_on_the_other(&one, &other, &password).await;

    // A write on one instance is in the scorecard the other serves next.
    let before = trained(&get(format!("{}/api/v1/scorecard", other.base)).await.json().await.unwrap());
    let course =
        serde_json::json!({"year": 2026, "count": 7, "level": "engineer", "product_code": "uav", "course": "Bay"});
    let written = api.post(format!("{}/api/v1/training-records", one.base)).bearer_auth(&token).json(&course);
    assert_eq!(written.send().await.unwrap().status().as_u16(), 201);
    let after = trained(&get(format!("{}/api/v1/scorecard", other.base)).await.json().await.unwrap());
    assert_eq!(after, before + 7);
    for _ in 0..4 {
        assert_eq!(get(format!("{front}/api/v1/products")).await.status().as_u16(), 200, "through the balancer");
    }

    // The database goes away: 503 at once, not a hang.
    relay.cut().await;
    for instance in [&one, &other] {
        let started = Instant::now();
        let answer = get(format!("{}/api/v1/tasks", instance.base)).await;
        assert_eq!(answer.status().as_u16(), 503, "{}", answer.text().await.unwrap());
        assert!(started.elapsed() < Duration::from_secs(8), "answered in {:?}", started.elapsed());
        assert_eq!(get(format!("{}/ready", instance.base)).await.status().as_u16(), 503);
    }
    // And it is back: both serve again without being restarted.
    relay.restore();
    for instance in [&one, &other] {
        let mut status = 0;
        for _ in 0..40 {
            status = get(format!("{}/api/v1/tasks", instance.base)).await.status().as_u16();
            if status == 200 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        assert_eq!(status, 200, "{} recovered", instance.base);
    }
    let mut through = 0;
    for _ in 0..40 {
        through = get(format!("{front}/api/v1/tasks")).await.status().as_u16();
        if through == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(through, 200, "the balancer sends to them again");
    let _ = haproxy.kill();
    let _ = haproxy.wait();
}
