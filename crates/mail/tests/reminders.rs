//! Reminders reach people: planned once per report and stage, told in the application and
//! sent over a real SMTP server on loopback, Vietnamese with English below, once, across
//! restarts and with two instances on one database; a failed send is retried later.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use cncl_app::accounts::NewAccount;
use cncl_app::jobs::Worker;
use cncl_app::{Actor, App, Role};
use cncl_eval::reminders::ReminderStage;
use cncl_mail::SmtpMailer;
use cncl_store::notifications::Contact;
use cncl_testkit::smtp::{Received, SmtpSink};
use cncl_testkit::{TestClock, TestDb};
use uuid::Uuid;

const BASE: &str = "https://cncl.example.vn";

fn admin() -> Actor {
    Actor::system("test-office")
}

/// Nine in the morning in Vietnam.
fn morning(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap()
}

async fn open(db: &TestDb, clock: &TestClock) -> App {
    App::open_with_clock(&db.address, Arc::new(clock.clone())).await.unwrap()
}

fn worker(name: &str, smtp_url: &str) -> Worker {
    Worker {
        name: name.into(),
        mailer: Some(Arc::new(SmtpMailer::new(smtp_url, "Văn phòng Chương trình <cncl@most.gov.vn>").unwrap())),
        base_url: BASE.into(),
    }
}

async fn account(
    app: &App,
    username: &str,
    role: Role,
    organisation: Option<Uuid>,
    products: Vec<String>,
    contact: Contact,
) -> Actor {
    let new = NewAccount {
        username: username.into(),
        display_name: username.into(),
        role,
        organisation_id: organisation,
        products: products.clone(),
        password: Some("một mật khẩu đủ dài 2026".into()),
    };
    let (created, _) = app.create_account(&admin(), new).await.unwrap();
    app.set_contact(&admin(), created.id, contact).await.unwrap();
    Actor {
        name: username.into(),
        account: Some(created.id),
        role: Some(role),
        organisation,
        products,
        by_token: false,
    }
}

fn email(address: &str) -> Contact {
    Contact { email: Some(address.into()), person_id: None }
}

/// The demo, a chief engineer with an address for every product, and for LLM-04 its lead
/// organisation's reporter and the account of its lead person. Returns the reporter.
async fn people(app: &App) -> Actor {
    app.load_demo(&admin()).await.unwrap();
    for product in app.products().await.unwrap() {
        let code = product.code.to_string();
        account(
            app,
            &format!("ce-{code}"),
            Role::ChiefEngineer,
            None,
            vec![code.clone()],
            email(&format!("ce-{code}@most.gov.vn")),
        )
        .await;
    }
    let task = app.task_by_code(&admin(), "LLM-04").await.unwrap();
    let dossier = app.task_dossier(&admin(), task.id, app.today()).await.unwrap();
    let lead = dossier.participants.iter().find(|p| p.participant.record.role.as_str() == "lead").unwrap();
    let organisation = lead.organisation.as_ref().unwrap().id.as_uuid();
    let person = dossier.lead_person.as_ref().unwrap().id.as_uuid();
    account(
        app,
        "lead-person",
        Role::Viewer,
        None,
        vec![],
        Contact { email: Some("chu.nhiem@senvang.vn".into()), person_id: Some(person) },
    )
    .await;
    account(app, "reporter", Role::Reporter, Some(organisation), vec![], email("bao.cao@senvang.vn")).await
}

fn subject(m: &Received) -> String {
    m.header("Subject").unwrap_or_default()
}

async fn one_reminder_per_report_and_stage(backend: cncl_store::Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    // A week before the third quarter's reports fall due (15 October 2026).
    let clock = TestClock::at(morning(2026, 10, 8));
    let app = open(&db, &clock).await;
    let reporter = people(&app).await;
    let smtp = SmtpSink::start().await;
    let today = app.today();
    let planned = app.plan_reminders(today).await.unwrap();
    let compliance = app.compliance(&admin(), today).await.unwrap();
    let week_before = compliance
        .obligations()
        .iter()
        .filter(|o| ReminderStage::of(o, today.get()) == Some(ReminderStage::WeekBefore))
        .count();
    // Tasks 2 to 5 of each product run through the third quarter, and none has reported it.
    assert_eq!(week_before, 24);
    assert!(planned > week_before, "the overdue reports of earlier quarters are reminded too");
    assert_eq!(app.work_jobs(&worker("w1", &smtp.url())).await.unwrap(), planned);
    let messages = smtp.messages();
    assert_eq!(messages.len(), planned, "each reminder reaches its product's chief engineer at least");
    let soon: Vec<&Received> =
        messages.iter().filter(|m| subject(m).starts_with("[cncl] Sắp đến hạn nộp báo cáo")).collect();
    assert_eq!(soon.len(), week_before, "one \"7 days before\" reminder per owed report");
    let keys: HashSet<String> = soon.iter().map(|m| subject(m)).collect();
    assert_eq!(keys.len(), week_before, "each about another report");

    let llm04 = soon.iter().find(|m| subject(m).contains("LLM-04")).unwrap();
    let task = app.task_by_code(&admin(), "LLM-04").await.unwrap().id;
    let mut envelope = llm04.recipients.clone();
    envelope.sort();
    assert_eq!(envelope, ["bao.cao@senvang.vn", "ce-llm@most.gov.vn", "chu.nhiem@senvang.vn"]);
    let to = llm04.header("To").unwrap();
    assert!(to.contains("chu.nhiem@senvang.vn") && to.contains("bao.cao@senvang.vn"), "{to}");
    assert!(llm04.header("Cc").unwrap().contains("ce-llm@most.gov.vn"), "the chief engineer in copy");
    assert!(subject(llm04).contains("/ A report falls due soon"), "{}", subject(llm04));
    let text = llm04.text();
    let (vietnamese, english) = text.split_once("\n---\n").unwrap();
    assert!(
        vietnamese.contains("Báo cáo tiến độ quý của nhiệm vụ LLM-04") && vietnamese.contains("hạn nộp 15/10/2026"),
        "{text}"
    );
    assert!(
        english.contains("Task's quarterly progress report LLM-04") && english.contains("due on 15 Oct 2026"),
        "{text}"
    );
    let form = format!("{BASE}/records/progress-reports/new?task_id={task}&year=2026&quarter=3");
    assert!(vietnamese.contains(&form) && english.contains(&form), "the link to the form: {text}");

    // Planned again, and after a restart: nothing more is sent.
    assert_eq!(app.plan_reminders(today).await.unwrap(), 0);
    assert_eq!(app.work_jobs(&worker("w1", &smtp.url())).await.unwrap(), 0);
    let restarted = open(&db, &clock).await;
    assert_eq!(restarted.plan_reminders(today).await.unwrap(), 0);
    assert_eq!(restarted.work_jobs(&worker("w2", &smtp.url())).await.unwrap(), 0);
    assert_eq!(smtp.messages().len(), planned);

    // In the application: the reporter's notifications, unread until read.
    let (inbox, unread) = app.inbox(&reporter).await.unwrap();
    assert!(inbox.iter().any(|n| n.title_vi.contains("LLM-04") && n.link.contains(&task.to_string())), "{inbox:?}");
    assert_eq!(unread, u64::try_from(inbox.len()).unwrap());
    assert!(unread >= 2, "the third quarter soon, and the overdue fourth of 2025");
    assert_eq!(app.mark_read(&reporter, Some(inbox[0].id)).await.unwrap(), 1);
    assert_eq!(app.unread(&reporter).await.unwrap(), unread - 1);
    app.mark_read(&reporter, None).await.unwrap();
    assert_eq!(app.unread(&reporter).await.unwrap(), 0);

    // On the due date, the reports still missing are reminded again, once.
    clock.advance(Duration::days(7));
    app.plan_reminders(app.today()).await.unwrap();
    app.work_jobs(&worker("w1", &smtp.url())).await.unwrap();
    let due: Vec<Received> =
        smtp.messages().into_iter().filter(|m| subject(m).starts_with("[cncl] Đã đến hạn nộp báo cáo")).collect();
    assert_eq!(due.len(), week_before);
}

async fn a_failed_send_is_retried_after_a_back_off(backend: cncl_store::Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let clock = TestClock::at(morning(2026, 10, 8));
    let app = open(&db, &clock).await;
    people(&app).await;
    let planned = app.plan_reminders(app.today()).await.unwrap();
    // Nothing listens on the port of a server that has just stopped.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("smtp://127.0.0.1:{}", listener.local_addr().unwrap().port())
    };
    assert_eq!(app.work_jobs(&worker("w1", &closed)).await.unwrap(), planned);
    let smtp = SmtpSink::start().await;
    assert_eq!(app.work_jobs(&worker("w1", &smtp.url())).await.unwrap(), 0, "not before the back-off");
    clock.advance(Duration::minutes(2));
    assert_eq!(app.work_jobs(&worker("w1", &smtp.url())).await.unwrap(), planned);
    assert_eq!(smtp.messages().len(), planned);
    let attempts = app.store().job_attempts(cncl_app::reminders::REMINDER_JOB).await.unwrap();
    let first = &attempts[0].0;
    let of_first: Vec<(u32, String)> =
        attempts.iter().filter(|(k, _, _)| k == first).map(|(_, a, o)| (*a, o.clone())).collect();
    assert_eq!(of_first, [(1, "failed".to_owned()), (2, "done".to_owned())]);
    let jobs = app.store().jobs(cncl_app::reminders::REMINDER_JOB).await.unwrap();
    assert!(jobs.iter().all(|j| j.status == "done" && j.attempts == 2), "{jobs:?}");
}

async fn two_instances_send_each_reminder_once(backend: cncl_store::Backend) {
    let Some(db) = TestDb::new(backend).await else { return };
    let clock = TestClock::at(morning(2026, 10, 8));
    let first = open(&db, &clock).await;
    people(&first).await;
    let second = open(&db, &clock).await;
    let smtp = SmtpSink::start().await;
    let today = first.today();
    let (a, b) = tokio::join!(first.plan_reminders(today), second.plan_reminders(today));
    let planned = a.unwrap() + b.unwrap();
    let (w1, w2) = (worker("instance-1", &smtp.url()), worker("instance-2", &smtp.url()));
    let (a, b) = tokio::join!(first.work_jobs(&w1), second.work_jobs(&w2));
    assert_eq!(a.unwrap() + b.unwrap(), planned, "each job run by one instance");
    let messages = smtp.messages();
    assert_eq!(messages.len(), planned);
    let subjects: HashSet<String> = messages.iter().map(subject).collect();
    assert_eq!(subjects.len(), planned, "no reminder twice");
    let soon = messages.iter().filter(|m| subject(m).starts_with("[cncl] Sắp đến hạn nộp báo cáo")).count();
    assert_eq!(soon, 24);
}

mod sqlite {
    #[tokio::test]
    async fn one_reminder_per_report_and_stage() {
        super::one_reminder_per_report_and_stage(cncl_store::Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn a_failed_send_is_retried_after_a_back_off() {
        super::a_failed_send_is_retried_after_a_back_off(cncl_store::Backend::Sqlite).await;
    }
}

mod postgres {
    #[tokio::test]
    async fn one_reminder_per_report_and_stage() {
        super::one_reminder_per_report_and_stage(cncl_store::Backend::Postgres).await;
    }

    #[tokio::test]
    async fn a_failed_send_is_retried_after_a_back_off() {
        super::a_failed_send_is_retried_after_a_back_off(cncl_store::Backend::Postgres).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_instances_send_each_reminder_once() {
        super::two_instances_send_each_reminder_once(cncl_store::Backend::Postgres).await;
    }
}
