//! The use-cases on both backends: rules that need other records, and the demo data set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use cncl_app::{App, AppError, ListQuery};
use cncl_domain::EntityKind;
use cncl_domain::market::BomLine;
use cncl_domain::organisation::Organisation;
use cncl_domain::task::{BudgetLine, Task};
use cncl_domain::technology::CoreTechnology;
use cncl_store::{Backend, ListFilter};
use cncl_testkit::TestApp;
use cncl_testkit::samples::{insert_one_of_each, parse, sample};
use uuid::Uuid;

pub use cncl_testkit::server::admin;

mod access;
mod documents;
mod governance;
mod sign_in;

cncl_testkit::on_both_backends!(cncl_testkit::TestApp::start =>
    a_reference_to_a_missing_record_names_the_field,
    a_duplicate_names_the_clashing_field,
    trees_stay_within_their_model_and_never_loop,
    unsupported_filters_and_bad_pages_are_refused,
    the_demo_covers_every_kind_and_loads_once,
    a_scorecard_follows_every_write_and_each_visitor_sees_their_own,
    a_slow_evaluation_serves_the_earlier_figures_while_the_current_ones_are_computed,
    a_late_fact_changes_the_figure_but_not_the_figure_as_recorded_before_it,
);

fn field_of(error: &AppError) -> Option<&str> {
    match error {
        AppError::Invalid(e) => Some(&e.field),
        AppError::BadRequest { field, .. } | AppError::Conflict { field, .. } => field.as_deref(),
        _ => None,
    }
}

async fn a_reference_to_a_missing_record_names_the_field(app: &App) {
    let mut refs = BTreeMap::new();
    refs.insert(EntityKind::Task, Uuid::now_v7());
    let err = app.create(&admin(), parse::<BudgetLine>(sample(EntityKind::BudgetLine, &refs))).await.unwrap_err();
    assert!(matches!(err, AppError::Invalid(_)), "{err:?}");
    assert_eq!(field_of(&err), Some("task_id"));
    let mut task = sample(EntityKind::Task, &BTreeMap::new());
    task["product_code"] = "no-such-product".into();
    task["lead_person_id"] = serde_json::Value::Null;
    let err = app.create(&admin(), parse::<Task>(task)).await.unwrap_err();
    assert_eq!(field_of(&err), Some("product_code"));
    assert_eq!(app.list::<BudgetLine>(&admin(), &ListQuery::default()).await.unwrap().total, 0, "nothing written");
}

async fn a_duplicate_names_the_clashing_field(app: &App) {
    let org = parse::<Organisation>(sample(EntityKind::Organisation, &BTreeMap::new()));
    let first = app.create(&admin(), org.clone()).await.unwrap();
    let err = app.create(&admin(), org.clone()).await.unwrap_err();
    assert!(matches!(err, AppError::Conflict { .. }), "{err:?}");
    assert_eq!(field_of(&err), Some("tax_code"));
    // Saving the same record under its own id is not a clash.
    app.update(&admin(), first.id, org).await.unwrap();
    assert_eq!(app.list::<Organisation>(&admin(), &ListQuery::default()).await.unwrap().total, 1);
}

async fn trees_stay_within_their_model_and_never_loop(app: &App) {
    let ids = insert_one_of_each(app.store()).await;
    let refs: BTreeMap<_, _> = ids.clone();
    // A second model; a line of it may not hang under a line of the first model.
    let mut other_model = parse::<cncl_domain::market::ProductModel>(sample(EntityKind::ProductModel, &refs));
    other_model.name = cncl_domain::values::Text::parse("Model B").unwrap();
    let other = app.create(&admin(), other_model).await.unwrap();
    let mut line = parse::<BomLine>(sample(EntityKind::BomLine, &refs));
    line.model_id = other.id;
    line.parent_line_id = Some(ids[&EntityKind::BomLine].into());
    let err = app.create(&admin(), line).await.unwrap_err();
    assert_eq!(field_of(&err), Some("parent_line_id"), "{err:?}");

    // root ← child; making root a child of child would loop.
    let root_id = ids[&EntityKind::CoreTechnology];
    let mut child = parse::<CoreTechnology>(sample(EntityKind::CoreTechnology, &refs));
    child.parent_id = Some(root_id.into());
    let child = app.create(&admin(), child).await.unwrap();
    let mut root = app.get::<CoreTechnology>(&admin(), root_id.into()).await.unwrap().record;
    root.parent_id = Some(child.id);
    let err = app.update(&admin(), root_id.into(), root).await.unwrap_err();
    assert_eq!(field_of(&err), Some("parent_id"), "{err:?}");
    assert!(app.get::<CoreTechnology>(&admin(), root_id.into()).await.unwrap().record.parent_id.is_none(), "unchanged");
}

async fn unsupported_filters_and_bad_pages_are_refused(app: &App) {
    let status = ListQuery {
        filter: ListFilter { status: Some("draft".into()), ..ListFilter::default() },
        ..ListQuery::default()
    };
    let err = app.list::<Organisation>(&admin(), &status).await.unwrap_err();
    assert_eq!(field_of(&err), Some("status"));
    let err =
        app.list::<Organisation>(&admin(), &ListQuery { page: Some(0), ..ListQuery::default() }).await.unwrap_err();
    assert_eq!(field_of(&err), Some("page"));
    let err = app
        .list::<Organisation>(&admin(), &ListQuery { per_page: Some(501), ..ListQuery::default() })
        .await
        .unwrap_err();
    assert_eq!(field_of(&err), Some("per_page"));
}

async fn the_demo_covers_every_kind_and_loads_once(app: &App) {
    let outcome = app.load_demo(&admin()).await.unwrap();
    assert!(matches!(outcome, cncl_app::demo::DemoOutcome::Loaded { records } if records > 500), "{outcome:?}");
    for kind in EntityKind::ALL {
        cncl_domain::with_record_type!(kind, T => {
            let total = app.list::<T>(&admin(), &ListQuery::default()).await.unwrap().total;
            assert!(total > 0, "demo has no {kind:?}");
        });
    }
    // Every product has models, technologies and tasks in every status.
    for product in app.products().await.unwrap() {
        let filter = ListFilter { product: Some(product.code.to_string()), ..ListFilter::default() };
        let tasks = app
            .list::<Task>(&admin(), &ListQuery { filter: filter.clone(), per_page: Some(500), ..ListQuery::default() })
            .await
            .unwrap();
        let statuses: std::collections::BTreeSet<_> = tasks.items.iter().map(|t| t.record.status).collect();
        assert_eq!(statuses.len(), cncl_domain::task::TaskStatus::ALL.len(), "{}", product.code);
    }
    assert_eq!(app.load_demo(&admin()).await.unwrap(), cncl_app::demo::DemoOutcome::AlreadyPresent);
}

/// The demo's scorecard, with record ids (which differ between databases) left out.
async fn demo_scorecard_without_ids(app: &App) -> serde_json::Value {
    app.load_demo(&admin()).await.unwrap();
    let as_of = cncl_domain::Date::from_ymd(2026, 11, 24).unwrap();
    let mut card = serde_json::to_value(app.scorecard(&admin(), as_of, None, None).await.unwrap()).unwrap();
    strip_ids(&mut card);
    card
}

fn strip_ids(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.remove("evidence");
            map.remove("model");
            map.values_mut().for_each(strip_ids);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_ids),
        _ => {}
    }
}

#[tokio::test]
async fn both_backends_give_the_same_scorecard() {
    let sqlite = TestApp::start(Backend::Sqlite).await.unwrap();
    let Some(postgres) = TestApp::start(Backend::Postgres).await else {
        eprintln!("skipped: CNCL_TEST_POSTGRES is not set");
        return;
    };
    let on_sqlite = demo_scorecard_without_ids(&sqlite).await;
    assert_eq!(on_sqlite, demo_scorecard_without_ids(&postgres).await);
    // And the demo gives every criterion data somewhere.
    let results: Vec<&serde_json::Value> = on_sqlite["products"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["results"].as_array().unwrap())
        .chain(on_sqlite["programme"].as_array().unwrap())
        .collect();
    for criterion in
        ["C1a", "C1b", "C2", "C3", "C4", "C5", "C6", "C7", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10"]
    {
        assert!(
            results.iter().any(|r| r["criterion"] == criterion && r["status"] != "no_data"),
            "{criterion} has no data in the demo"
        );
    }
}

#[tokio::test]
async fn a_scorecard_for_an_unknown_product_is_not_found() {
    let app = TestApp::start(Backend::Sqlite).await.unwrap();
    let as_of = cncl_domain::Date::from_ymd(2026, 11, 24).unwrap();
    assert!(matches!(app.scorecard(&admin(), as_of, Some("nope"), None).await, Err(AppError::NotFound { .. })));
    let one = app.scorecard(&admin(), as_of, Some("uav"), None).await.unwrap();
    assert_eq!(one.products.len(), 1);
    assert_eq!(one.programme.len(), 10);
}

/// Scorecards are kept between writes (`evaluation::ScorecardCache`): the next write must show,
/// and a visitor without an account must never get the records another was shown.
async fn a_scorecard_follows_every_write_and_each_visitor_sees_their_own(app: &App) {
    app.load_demo(&admin()).await.unwrap();
    let as_of = cncl_domain::Date::from_ymd(2026, 11, 24).unwrap();
    let trained = |card: &cncl_eval::Scorecard| {
        let p7 = card.programme.iter().find(|r| r.criterion == "P7").unwrap();
        (p7.numerator, p7.evidence.numerator.len())
    };
    let before = app.scorecard(&admin(), as_of, None, None).await.unwrap();
    assert_eq!(app.scorecard(&admin(), as_of, None, None).await.unwrap(), before, "nothing changed, same figures");
    let (people, records) = trained(&before);
    assert!(records > 0, "the office sees the records behind the figure");
    let anonymous = app.scorecard(&cncl_app::Actor::anonymous(), as_of, None, None).await.unwrap();
    assert_eq!(trained(&anonymous), (people, 0), "the same figure, without the records");

    let organisation = app.list::<Organisation>(&admin(), &ListQuery::default()).await.unwrap().items.remove(0);
    let mut refs = BTreeMap::new();
    refs.insert(EntityKind::Organisation, organisation.id.as_uuid());
    let course = parse::<cncl_domain::capacity::TrainingRecord>(sample(EntityKind::TrainingRecord, &refs));
    app.create(&admin(), course).await.unwrap();
    let after = app.scorecard(&admin(), as_of, None, None).await.unwrap();
    assert_eq!(trained(&after), (people + 120, records + 1), "the new course counts at once");
    let anonymous = app.scorecard(&cncl_app::Actor::anonymous(), as_of, None, None).await.unwrap();
    assert_eq!(trained(&anonymous).0, people + 120);
}

/// When evaluating takes longer than a visitor should wait (here: any time at all), the
/// figures from before the latest write are served at once, naming how far they reach, while
/// the current ones are computed in the background; then those are served.
async fn a_slow_evaluation_serves_the_earlier_figures_while_the_current_ones_are_computed(app: &App) {
    let app = app.clone().with_evaluation_wait(std::time::Duration::ZERO);
    app.load_demo(&admin()).await.unwrap();
    let as_of = cncl_domain::Date::from_ymd(2026, 11, 24).unwrap();
    let p7 = |card: &cncl_eval::Scorecard| card.programme.iter().find(|r| r.criterion == "P7").unwrap().numerator;
    let before = app.scorecard(&admin(), as_of, None, None).await.unwrap();
    assert_eq!(before.audit_seq, app.audit_head().await.unwrap().0, "the figures name the last write they include");

    let organisation = app.list::<Organisation>(&admin(), &ListQuery::default()).await.unwrap().items.remove(0);
    let refs = BTreeMap::from([(EntityKind::Organisation, organisation.id.as_uuid())]);
    let course = parse::<cncl_domain::capacity::TrainingRecord>(sample(EntityKind::TrainingRecord, &refs));
    app.create(&admin(), course).await.unwrap();
    let (head, _) = app.audit_head().await.unwrap();
    let served = app.scorecard(&admin(), as_of, None, None).await.unwrap();
    assert_eq!((served.audit_seq, p7(&served)), (before.audit_seq, p7(&before)), "the earlier figures, at once");

    let mut current = served;
    for _ in 0..200 {
        if current.audit_seq >= head {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        current = app.scorecard(&admin(), as_of, None, None).await.unwrap();
    }
    assert!(current.audit_seq >= head, "computed in the background: {} of {head}", current.audit_seq);
    assert_eq!(p7(&current), p7(&before) + 120, "and the new course counts");
}

/// Every figure of a scorecard, exactly: product, criterion, numerator and denominator.
fn figures(card: &cncl_eval::Scorecard) -> Vec<(String, String, i128, i128)> {
    let products = card.products.iter().flat_map(|p| p.results.iter().map(move |r| (p.product.clone(), r)));
    let programme = card.programme.iter().map(|r| ("programme".to_owned(), r));
    products.chain(programme).map(|(scope, r)| (scope, r.criterion.clone(), r.numerator, r.denominator)).collect()
}

async fn a_late_fact_changes_the_figure_but_not_the_figure_as_recorded_before_it(app: &App) {
    use cncl_app::recorded::RecordedAt;
    use cncl_domain::capacity::TrainingRecord;
    app.load_demo(&admin()).await.unwrap();
    let as_of = cncl_domain::Date::from_ymd(2026, 3, 31).unwrap();
    let before = app.scorecard(&admin(), as_of, None, None).await.unwrap();
    let (seq, _) = app.audit_head().await.unwrap();
    let moment = app.now();
    // Entries record milliseconds: the next write must fall in a later one.
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    // A training course of 2025, entered only now.
    let first = app.list::<TrainingRecord>(&admin(), &ListQuery::default()).await.unwrap().items.remove(0);
    let mut late = first.record.clone();
    late.course = Some(cncl_domain::values::Text::parse("Khoá đào tạo năm 2025 nhập muộn").unwrap());
    late.year = serde_json::from_value(serde_json::json!(2025)).unwrap();
    app.create(&admin(), late).await.unwrap();
    // And a course of 2025 corrected now: as recorded before, it counts as it was then (the
    // log keeps that state only as the correction's `before`).
    let mut corrected = first.record.clone();
    corrected.count = serde_json::from_value(serde_json::json!(999)).unwrap();
    corrected.year = serde_json::from_value(serde_json::json!(2025)).unwrap();
    app.update(&admin(), first.id, corrected).await.unwrap();
    let after = app.scorecard(&admin(), as_of, None, None).await.unwrap();
    assert_ne!(figures(&after), figures(&before), "the late fact changes the figure for 31/03/2026");

    for recorded in [RecordedAt::Entry(seq), RecordedAt::Moment(moment)] {
        let (then, entry) = app.scorecard_as_recorded(&admin(), as_of, None, None, recorded).await.unwrap();
        assert_eq!(entry.seq, seq, "{recorded:?}");
        assert_eq!(figures(&then), figures(&before), "as recorded at {recorded:?}, the figure is the one shown then");
    }
    let (now, entry) =
        app.scorecard_as_recorded(&admin(), as_of, None, None, RecordedAt::Moment(app.now())).await.unwrap();
    assert!(entry.seq > seq);
    assert_eq!(figures(&now), figures(&after));
    // Asked in words a user types: a day is everything written by its end in Vietnam.
    assert_eq!("1904".parse::<RecordedAt>().unwrap(), RecordedAt::Entry(1904));
    let day: RecordedAt = "31/03/2026".parse().unwrap();
    assert_eq!(day, RecordedAt::Moment("2026-03-31T16:59:59.999Z".parse().unwrap()));
    for bad in ["0", "-3", "banana", "2026-13-01"] {
        let refused = bad.parse::<RecordedAt>();
        assert!(matches!(refused, Err(AppError::BadRequest { .. })), "{bad}: {refused:?}");
    }
    let early = app.scorecard_as_recorded(&admin(), as_of, None, None, "2001-01-01".parse().unwrap()).await;
    assert!(matches!(early, Err(AppError::BadRequest { .. })), "no entry by then: {early:?}");
}
