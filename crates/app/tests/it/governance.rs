//! The task lifecycle, the 7 clear, progress reports, disbursements, proposals and the
//! office's warnings, through the use-cases on both backends.

use std::collections::BTreeMap;

use cncl_app::governance::Warning;
use cncl_app::{App, AppError, ListQuery};
use cncl_domain::Date;
use cncl_domain::EntityKind;
use cncl_domain::governance::{Disbursement, ProgressReport, ReportCommand, ReportStatus};
use cncl_domain::lifecycle::TaskCommand;
use cncl_domain::seven_clear::ClearElement;
use cncl_domain::task::{Task, TaskStatus};
use cncl_store::ListFilter;
use cncl_store::events::History;
use cncl_testkit::samples::{insert_one_of_each, parse, sample};

use crate::admin;
use serde_json::json;
use uuid::Uuid;

cncl_testkit::on_both_backends!(cncl_testkit::TestApp::start =>
    assigning_lists_every_missing_element_of_the_seven_clear,
    every_command_is_recorded_and_illegal_ones_name_the_allowed_states,
    status_changes_only_through_commands,
    a_returned_progress_report_can_be_corrected,
    disbursements_stay_within_their_budget_line,
    tied_proposals_share_a_rank_and_the_chosen_one_becomes_the_assignment,
    the_office_is_warned,
    the_tasks_are_counted_as_they_stood_on_a_date,
);

fn day(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd(y, m, d).unwrap()
}

fn command(value: serde_json::Value) -> TaskCommand {
    cncl_domain::parse_input_value(value).unwrap()
}

/// A bare ordered task (no scope, no dates, nothing related) and the ids of a person and
/// an organisation that could lead it.
async fn bare_ordered_task(app: &App) -> (Uuid, Uuid, Uuid) {
    let ids = insert_one_of_each(app.store()).await;
    let mut task = sample(EntityKind::Task, &BTreeMap::new());
    for field in
        ["scope", "responsibility", "starts_on", "ends_on", "approving_body", "delegated_authority", "lead_person_id"]
    {
        task[field] = serde_json::Value::Null;
    }
    task["code"] = json!("BARE-1");
    let task = app.create(&admin(), parse::<Task>(task)).await.unwrap();
    let order = json!({"command": "order", "problem": "p", "expected_product": "e", "budget_ceiling_vnd": 1, "deadline": "2027-12-31"});
    app.task_command(&admin(), task.id, command(order)).await.unwrap();
    (task.id.as_uuid(), ids[&EntityKind::Person], ids[&EntityKind::Organisation])
}

async fn tasks_in(app: &App, status: &str, product: Option<&str>) -> Vec<cncl_domain::Stored<Task>> {
    let filter = ListFilter { status: Some(status.into()), product: product.map(Into::into), ..Default::default() };
    app.list::<Task>(&admin(), &ListQuery { filter, ..Default::default() }).await.unwrap().items
}

fn assign(person: Uuid, organisation: Uuid) -> TaskCommand {
    command(
        json!({"command": "assign", "lead_organisation_id": organisation, "lead_person_id": person, "on": "2026-01-10"}),
    )
}

async fn assigning_lists_every_missing_element_of_the_seven_clear(app: &App) {
    let (task, person, organisation) = bare_ordered_task(app).await;
    let err = app.task_command(&admin(), task.into(), assign(person, organisation)).await.unwrap_err();
    let AppError::NotClear(missing) = err else { panic!("{err:?}") };
    // The command names the person and the lead organisation; everything else is missing.
    use ClearElement::*;
    assert_eq!(missing, vec![Work, Responsibility, Time, Authority, Product, Resources]);
    assert_eq!(
        app.get::<Task>(&admin(), task.into()).await.unwrap().record.status,
        TaskStatus::Ordered,
        "nothing changed"
    );
    assert!(app.history(&admin(), History::Task, task).await.unwrap().iter().all(|e| e.command != "assign"));

    // Fill in everything but the budget: only the resources are missing.
    let mut record = app.get::<Task>(&admin(), task.into()).await.unwrap().record;
    let text = |s: &str| cncl_domain::values::Text::parse(s).unwrap();
    record.scope = Some(text("scope"));
    record.responsibility = Some(text("who does what"));
    record.starts_on = Some(day(2026, 1, 1));
    record.ends_on = Some(day(2027, 12, 31));
    record.approving_body = Some(text("MOST"));
    record.delegated_authority = Some(text("budget moves"));
    app.update(&admin(), task.into(), record).await.unwrap();
    let refs = BTreeMap::from([(EntityKind::Task, task)]);
    app.create(&admin(), parse::<cncl_domain::governance::TaskMilestone>(sample(EntityKind::TaskMilestone, &refs)))
        .await
        .unwrap();
    app.create(&admin(), parse::<cncl_domain::governance::Deliverable>(sample(EntityKind::Deliverable, &refs)))
        .await
        .unwrap();
    let err = app.task_command(&admin(), task.into(), assign(person, organisation)).await.unwrap_err();
    assert!(matches!(&err, AppError::NotClear(m) if m == &vec![Resources]), "{err:?}");
    // Before assignment the checklist also lacks the lead person and lead organisation,
    // which the assign command brings.
    let open: Vec<ClearElement> =
        app.seven_clear(&admin(), task.into()).await.unwrap().iter().filter(|c| !c.clear).map(|c| c.element).collect();
    assert_eq!(open, vec![Person, Responsibility, Resources]);

    app.create(&admin(), parse::<cncl_domain::task::BudgetLine>(sample(EntityKind::BudgetLine, &refs))).await.unwrap();
    let assigned = app.task_command(&admin(), task.into(), assign(person, organisation)).await.unwrap();
    assert_eq!((assigned.record.status, assigned.record.assigned_on), (TaskStatus::Assigned, Some(day(2026, 1, 10))));
    assert!(app.seven_clear(&admin(), task.into()).await.unwrap().iter().all(|c| c.clear));
}

async fn every_command_is_recorded_and_illegal_ones_name_the_allowed_states(app: &App) {
    app.load_demo(&admin()).await.unwrap();
    let accepted = tasks_in(app, "accepted", None).await.remove(0);
    let history = app.history(&admin(), History::Task, accepted.id).await.unwrap();
    let commands: Vec<&str> = history.iter().map(|e| e.command.as_str()).collect();
    assert_eq!(commands, ["order", "assign", "start", "submit", "accept"]);
    assert!(history.iter().all(|e| e.actor == "test-office" && !e.recorded_at.is_empty()));
    assert_eq!(history[4].details["accepting_body"], "Hội đồng nghiệm thu cấp Bộ");
    assert_eq!((history[4].from_status.as_str(), history[4].to_status.as_str()), ("submitted", "accepted"));

    let err = app
        .task_command(&admin(), accepted.id, command(json!({"command": "start", "on": "2026-09-01"})))
        .await
        .unwrap_err();
    let AppError::IllegalTransition { current, allowed, .. } = err else { panic!("{err:?}") };
    assert_eq!((current.as_str(), allowed.len()), ("accepted", 0));
    let draft = tasks_in(app, "draft", None).await.remove(0);
    let err = app
        .task_command(&admin(), draft.id, command(json!({"command": "submit", "on": "2026-09-01"})))
        .await
        .unwrap_err();
    let AppError::IllegalTransition { current, allowed, message } = err else { panic!("{err:?}") };
    assert_eq!(current, "draft");
    assert_eq!(allowed, ["ordered", "assigned", "cancelled"], "a self-proposed draft");
    assert!(message.en.contains("allowed next: ordered, assigned, cancelled"), "{message}");
}

async fn status_changes_only_through_commands(app: &App) {
    let (task, _, _) = bare_ordered_task(app).await;
    let mut record = app.get::<Task>(&admin(), task.into()).await.unwrap().record;
    record.status = TaskStatus::Accepted;
    record.accepted_on = Some(day(2026, 5, 1));
    record.assigned_on = Some(day(2026, 1, 1));
    let err = app.update(&admin(), task.into(), record).await.unwrap_err();
    assert!(matches!(&err, AppError::Conflict { field: Some(f), .. } if f == "status"), "{err:?}");
    let mut new = sample(EntityKind::Task, &BTreeMap::new());
    new["code"] = json!("NEW-2");
    new["lead_person_id"] = serde_json::Value::Null;
    new["status"] = json!("ordered");
    let err = app.create(&admin(), parse::<Task>(new)).await.unwrap_err();
    assert!(matches!(&err, AppError::Invalid(e) if e.field == "status"), "{err:?}");
}

async fn a_returned_progress_report_can_be_corrected(app: &App) {
    let ids = insert_one_of_each(app.store()).await;
    let report_id = ids[&EntityKind::ProgressReport];
    let submit = ReportCommand::Submit { on: day(2026, 7, 1) };
    app.report_command(&admin(), report_id.into(), submit.clone()).await.unwrap();
    let mut report = app.get::<ProgressReport>(&admin(), report_id.into()).await.unwrap().record;
    report.summary = cncl_domain::values::Text::parse("changed after submission").unwrap();
    let err = app.update(&admin(), report_id.into(), report.clone()).await.unwrap_err();
    assert!(matches!(err, AppError::Conflict { .. }), "a submitted report cannot be corrected: {err:?}");
    let reason = cncl_domain::values::Text::parse("Thiếu chứng từ").unwrap();
    let returned = app
        .report_command(&admin(), report_id.into(), ReportCommand::Return { on: day(2026, 7, 5), reason })
        .await
        .unwrap();
    assert_eq!(returned.record.status, ReportStatus::Returned);
    let mut corrected = returned.record.clone();
    corrected.summary = cncl_domain::values::Text::parse("corrected").unwrap();
    app.update(&admin(), report_id.into(), corrected).await.unwrap();
    app.report_command(&admin(), report_id.into(), ReportCommand::Submit { on: day(2026, 7, 8) }).await.unwrap();
    let approved =
        app.report_command(&admin(), report_id.into(), ReportCommand::Approve { on: day(2026, 7, 9) }).await.unwrap();
    assert_eq!((approved.record.status, approved.record.summary.as_str()), (ReportStatus::Approved, "corrected"));
    let err = app.report_command(&admin(), report_id.into(), submit).await.unwrap_err();
    assert!(matches!(err, AppError::IllegalTransition { .. }), "{err:?}");
    let history = app.history(&admin(), History::Report, report_id).await.unwrap();
    let commands: Vec<&str> = history.iter().map(|e| e.command.as_str()).collect();
    assert_eq!(commands, ["submit", "return", "submit", "approve"]);
    assert_eq!(history[1].details["reason"], "Thiếu chứng từ");
}

async fn disbursements_stay_within_their_budget_line(app: &App) {
    let ids = insert_one_of_each(app.store()).await;
    // The sample line plans 45 billion; 5 billion is already disbursed.
    let mut more = parse::<Disbursement>(sample(EntityKind::Disbursement, &ids));
    more.amount_vnd = cncl_domain::values::Vnd::new(40_000_000_000).unwrap();
    app.create(&admin(), more.clone()).await.unwrap();
    more.amount_vnd = cncl_domain::values::Vnd::new(1).unwrap();
    let err = app.create(&admin(), more).await.unwrap_err();
    assert!(matches!(&err, AppError::Invalid(e) if e.field == "amount_vnd"), "{err:?}");
}

async fn tied_proposals_share_a_rank_and_the_chosen_one_becomes_the_assignment(app: &App) {
    app.load_demo(&admin()).await.unwrap();
    let task = tasks_in(app, "ordered", Some("llm")).await.remove(0);
    let ranking = app.ranking(&admin(), task.id).await.unwrap();
    let ranks: Vec<Option<usize>> = ranking.iter().map(|r| r.ranking.rank).collect();
    assert_eq!(ranks, [Some(1), Some(1), Some(3)], "two proposals tie at 7.0");
    assert_eq!(ranking[0].ranking.score, Some(7.0));
    assert_eq!(ranking[0].ranking.reviews.len(), 2);
    let chosen = &ranking[1].proposal;
    let assigned = app.select_proposal(&admin(), chosen.id, day(2026, 1, 20)).await.unwrap();
    assert_eq!(assigned.record.status, TaskStatus::Assigned);
    assert_eq!(assigned.record.lead_person_id, Some(chosen.record.lead_person_id));
    let after = app.ranking(&admin(), task.id).await.unwrap();
    let statuses: Vec<&str> = after.iter().map(|r| r.proposal.record.status.as_str()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == "selected").count(), 1);
    assert_eq!(statuses.iter().filter(|s| **s == "not_selected").count(), 2);
    let history = app.history(&admin(), History::Task, task.id).await.unwrap();
    assert_eq!(history.last().unwrap().details["context"]["selected_proposal"], chosen.id.to_string());
    // A proposal for a task that is not (or no longer) ordered is refused.
    let late = json!({"task_id": task.id, "organisation_id": chosen.record.organisation_id, "lead_person_id": chosen.record.lead_person_id,
        "title": "late", "summary": null, "submitted_on": "2026-02-01", "status": "submitted"});
    let err = app.create(&admin(), parse::<cncl_domain::governance::Proposal>(late)).await.unwrap_err();
    assert!(matches!(err, AppError::Conflict { .. }), "{err:?}");
}

async fn the_office_is_warned(app: &App) {
    app.load_demo(&admin()).await.unwrap();
    let warnings = app.warnings(&admin(), day(2026, 11, 24)).await.unwrap();
    assert!(warnings.contains(&Warning::NoPersonInCharge { product: "uav".into() }), "{warnings:?}");
    assert!(!warnings.iter().any(|w| matches!(w, Warning::NoPersonInCharge { product } if product != "uav")));
    assert!(!warnings.contains(&Warning::NoTaskForceHead));
    assert_eq!(
        app.warnings(&admin(), day(2025, 11, 1))
            .await
            .unwrap()
            .iter()
            .filter(|w| **w == Warning::NoTaskForceHead)
            .count(),
        1,
        "before the decision"
    );
    // Each product's task 6 left its first milestone (due 2026-03-31) open and is still running.
    let overdue: Vec<_> = warnings.iter().filter(|w| matches!(w, Warning::OverdueMilestone { .. })).collect();
    assert_eq!(overdue.len(), 6, "{overdue:?}");
    assert!(app.overdue(&admin(), day(2026, 3, 31)).await.unwrap().0.is_empty(), "not yet overdue on the due date");
    assert_eq!(app.overdue(&admin(), day(2026, 4, 1)).await.unwrap().0.len(), 6, "overdue the day after");
    assert!(!warnings.iter().any(|w| matches!(w, Warning::FundingOverCeiling { .. })));
    let funding = app.funding(&admin(), day(2026, 11, 24)).await.unwrap();
    assert_eq!(funding.ceiling_percent, Some(15));
    assert!(funding.disbursed_vnd > 0);
}

async fn the_tasks_are_counted_as_they_stood_on_a_date(app: &App) {
    let (task, _, _) = bare_ordered_task(app).await;
    let in_status = |overview: &cncl_app::task_overview::TaskOverview, status: TaskStatus| {
        overview.programme.counts.iter().find(|(s, _)| *s == status).map_or(0, |(_, n)| *n)
    };
    let now = app.task_overview(&admin(), app.today()).await.unwrap();
    let before = app.task_overview(&admin(), day(2020, 1, 1)).await.unwrap();
    // Ordered today; on a day before its order it stood in the status it left.
    assert_eq!(in_status(&now, TaskStatus::Ordered), in_status(&before, TaskStatus::Ordered) + 1);
    assert_eq!(in_status(&before, TaskStatus::Draft), in_status(&now, TaskStatus::Draft) + 1);
    let everything = app.list::<Task>(&admin(), &ListQuery::default()).await.unwrap().total;
    assert_eq!(now.programme.total as i64, everything);
    assert_eq!(now.programme.counts.iter().map(|(_, n)| n).sum::<usize>(), now.programme.total);
    assert!(now.seven_clear <= now.assigned);
    assert_eq!(now.charges.len(), app.products().await.unwrap().len());
    let bare = app.get::<Task>(&admin(), task.into()).await.unwrap();
    assert!(!bare.record.status.is_assigned(), "the bare task is not counted among the assigned");
    let refused = app.task_overview(&cncl_app::Actor::anonymous(), app.today()).await;
    assert!(matches!(refused, Err(AppError::Unauthenticated | AppError::Forbidden(_))), "{refused:?}");
}
