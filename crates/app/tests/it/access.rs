//! The access policy through the use-cases: a reporter is confined to its organisation in
//! every read and write; anonymous visitors see only published figures; a person's data is
//! exported and erased with the audit log kept whole.

use std::collections::BTreeMap;

use cncl_app::{Actor, App, AppError, ListQuery, Role};
use cncl_domain::EntityKind;
use cncl_domain::market::ProductModel;
use cncl_domain::organisation::{Organisation, Person};
use cncl_domain::task::{Task, TaskParticipant};
use cncl_store::ListFilter;
use cncl_testkit::samples::{parse, sample};
use uuid::Uuid;

use crate::admin;

cncl_testkit::on_both_backends!(cncl_testkit::TestApp::start =>
    a_reporter_is_confined_to_its_organisation,
    anonymous_visitors_see_published_figures_only,
    a_person_is_exported_and_erased_and_the_log_still_verifies,
);

fn reporter(organisation: Uuid) -> Actor {
    Actor {
        name: "reporter".into(),
        account: None,
        role: Some(Role::Reporter),
        organisation: Some(organisation),
        products: vec![],
        by_token: false,
    }
}

async fn lead_of(app: &App, task: impl Into<Uuid>) -> Uuid {
    let task: Uuid = task.into();
    let participants =
        app.store().children_of::<TaskParticipant>(EntityKind::Task, task, &cncl_store::Scope::All).await.unwrap();
    participants.iter().find(|p| p.record.role.as_str() == "lead").unwrap().record.organisation_id.as_uuid()
}

async fn a_reporter_is_confined_to_its_organisation(app: &App) {
    app.load_demo(&admin()).await.unwrap();
    let all = ListQuery { per_page: Some(500), ..ListQuery::default() };
    let mine = app.task_by_code(&admin(), "LLM-07").await.unwrap();
    let org = lead_of(app, mine.id).await;
    let me = reporter(org);
    let theirs = app.task_by_code(&admin(), "UAV-04").await.unwrap();
    assert_ne!(lead_of(app, theirs.id).await, org);

    // Reads: lists are filtered in the query; another organisation's record is not found.
    let visible = app.list::<Task>(&me, &all).await.unwrap();
    let by_filter =
        ListQuery { filter: ListFilter { organisation: Some(org), ..ListFilter::default() }, ..all.clone() };
    assert_eq!(visible.total, app.list::<Task>(&admin(), &by_filter).await.unwrap().total);
    assert!(visible.items.iter().any(|t| t.id == mine.id));
    assert!(matches!(app.get::<Task>(&me, theirs.id).await, Err(AppError::NotFound { .. })), "not by guessing ids");
    let other = lead_of(app, theirs.id).await;
    let through_filter =
        ListQuery { filter: ListFilter { organisation: Some(other), ..ListFilter::default() }, ..all.clone() };
    assert_eq!(app.list::<Task>(&me, &through_filter).await.unwrap().total, 0, "not through list filters");
    assert!(matches!(
        app.history(&me, cncl_store::events::History::Task, theirs.id).await,
        Err(AppError::NotFound { .. })
    ));
    assert!(matches!(app.funding(&me, app.today()).await, Err(AppError::Forbidden(_))));
    assert!(
        app.list::<cncl_domain::task::StateStSpending>(&me, &all).await.unwrap().total > 0,
        "shared programme data is readable"
    );

    // Writes: only its own organisation's records.
    let models = app.list::<ProductModel>(&admin(), &all).await.unwrap().items;
    let own = models.iter().find(|m| m.record.maker_id.as_uuid() == org).unwrap();
    let foreign = models.iter().find(|m| m.record.maker_id.as_uuid() != org).unwrap();
    app.update(&me, own.id, own.record.clone()).await.unwrap();
    assert!(matches!(app.update(&me, foreign.id, foreign.record.clone()).await, Err(AppError::NotFound { .. })));
    let mut stolen = own.record.clone();
    stolen.maker_id = foreign.record.maker_id;
    assert!(
        matches!(app.create(&me, stolen).await, Err(AppError::Forbidden(_))),
        "not a record for another organisation"
    );
    assert!(matches!(
        app.create(&me, parse::<Task>(sample(EntityKind::Task, &BTreeMap::new()))).await,
        Err(AppError::Forbidden(_))
    ));

    // Commands: a reporter starts and submits its own organisation's tasks only.
    let start: cncl_domain::lifecycle::TaskCommand =
        cncl_domain::parse_input_value(serde_json::json!({"command": "start", "on": "2026-02-01"})).unwrap();
    let assigned = app.task_by_code(&admin(), "LLM-03").await.unwrap();
    let lead = reporter(lead_of(app, assigned.id).await);
    assert!(matches!(app.task_command(&me, theirs.id, start.clone()).await, Err(AppError::NotFound { .. })));
    app.task_command(&lead, assigned.id, start).await.unwrap();
    let cancel: cncl_domain::lifecycle::TaskCommand =
        cncl_domain::parse_input_value(serde_json::json!({"command": "cancel", "on": "2026-02-01", "reason": "r"}))
            .unwrap();
    assert!(matches!(app.task_command(&lead, assigned.id, cancel).await, Err(AppError::Forbidden(_))));
}

async fn anonymous_visitors_see_published_figures_only(app: &App) {
    app.load_demo(&admin()).await.unwrap();
    let nobody = Actor::anonymous();
    assert!(matches!(app.list::<Organisation>(&nobody, &ListQuery::default()).await, Err(AppError::Unauthenticated)));
    let card = app.scorecard(&nobody, cncl_domain::Date::from_ymd(2026, 11, 24).unwrap(), None, None).await.unwrap();
    let results = card.products.iter().flat_map(|p| &p.results).chain(&card.programme);
    assert!(
        results.clone().all(|r| r.evidence.numerator.is_empty() && r.evidence.denominator.is_empty()),
        "no record ids"
    );
    assert!(results.clone().any(|r| r.value.is_some()), "but the figures");
    assert!(matches!(app.audit_entries(&nobody, &Default::default(), 1, 10).await, Err(AppError::Unauthenticated)));
}

async fn a_person_is_exported_and_erased_and_the_log_still_verifies(app: &App) {
    app.load_demo(&admin()).await.unwrap();
    let mut value = sample(EntityKind::Person, &BTreeMap::new());
    value["full_name"] = "Trần Văn Riêng Tư".into();
    let person = app.create(&admin(), parse::<Person>(value)).await.unwrap();
    let mut changed = person.record.clone();
    changed.title = Some(cncl_domain::values::Text::parse("ThS.").unwrap());
    app.update(&admin(), person.id, changed).await.unwrap();

    let export = app.export_person(&admin(), person.id).await.unwrap();
    assert_eq!(export["person"]["full_name"], "Trần Văn Riêng Tư");
    assert_eq!(export["audit_entries"].as_array().map(Vec::len), Some(2), "created, then updated");

    app.erase_person(&admin(), person.id).await.unwrap();
    assert!(matches!(app.get::<Person>(&admin(), person.id).await, Err(AppError::NotFound { .. })));
    let filter = cncl_store::audit::AuditFilter {
        entity: Some("people".into()),
        entity_id: Some(person.id.to_string()),
        ..Default::default()
    };
    let entries = app.audit_entries(&admin(), &filter, 1, 50).await.unwrap().items;
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0].action, "erase");
    assert!(entries.iter().all(|e| e.before.is_none() && e.after.is_none()), "only a tombstone remains");
    assert!(!serde_json::to_string(&entries).unwrap().contains("Riêng Tư"));
    let report = app.verify_audit(&admin()).await.unwrap();
    assert!(report.is_intact(), "{report:?}");

    // A person named in accountable records (a task lead) is not erased.
    let led = app.task_by_code(&admin(), "LLM-05").await.unwrap();
    let lead = led.record.lead_person_id.unwrap().as_uuid();
    assert!(matches!(app.erase_person(&admin(), lead.into()).await, Err(AppError::Conflict { .. })));
    assert!(app.get::<Person>(&admin(), lead.into()).await.is_ok());
}
