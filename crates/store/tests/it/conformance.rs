use cncl_domain::organisation::Organisation;
use cncl_domain::task::{BudgetLine, Task};
use cncl_domain::{EntityKind, with_record_type};
use cncl_store::{ListFilter, StoreError};
use cncl_testkit::TestDb;
use cncl_testkit::samples::{DEPENDENCY_ORDER, insert_one_of_each, parse, sample};
use uuid::Uuid;

cncl_testkit::on_both_backends!(cncl_testkit::TestDb::new =>
    reference_data_is_loaded_once_and_reloading_changes_nothing,
    criteria_set_versions_are_kept_and_audited,
    every_kind_round_trips,
    updates_replace_the_record,
    list_filters,
    list_pages_oldest_first,
    unique_rules_are_enforced_by_the_database,
    missing_references_are_refused_by_the_database,
    a_dropped_transaction_writes_nothing,
    a_preview_cannot_commit_and_a_commit_seals_every_change,
    rows_held_back_are_seen_by_every_later_statement_and_committed_in_order,
    a_row_refused_behind_the_writer_fails_the_transaction_and_nothing_is_kept,
    vietnamese_text_is_stored_in_nfc,
    names_are_found_whatever_their_diacritics_and_case,
    bill_of_materials_lines_are_loaded_by_model_then_id,
    jobs_are_claimed_lapsed_leases_first_then_by_due_time,
    jobs_beyond_one_transaction_are_all_added_once,
    a_bad_fact_row_is_named_and_the_store_goes_on,
);

async fn reference_data_is_loaded_once_and_reloading_changes_nothing(db: &TestDb) {
    let products = db.store.products().await.unwrap();
    let codes: Vec<&str> = products.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, ["llm", "ai-camera", "amr", "5g", "blockchain", "uav"]);
    assert_eq!(products[0].name_en.as_str(), "Large language models and Vietnamese virtual assistants");
    assert_eq!(products[0].name_vi.as_str(), "Mô hình ngôn ngữ lớn và trợ lý ảo tiếng Việt");
    assert_eq!(db.store.task_groups().await.unwrap().len(), 6);
    let current = db.store.current_criteria_set().await.unwrap().expect("the shipped set is the programme's");
    assert_eq!(current.to_string(), "decision-2815@2026-12");
    let set = db.store.criteria_set_version(&current).await.unwrap().expect("criteria set loaded");
    assert!(set.criteria.iter().any(|c| c.id == "C2"));

    let before = db.store.reference_snapshot().await.unwrap();
    assert!(before.len() > 12, "snapshot covers the reference tables: {before:?}");
    cncl_store::reference::load_shipped(&db.store, cncl_testkit::writer("test")).await.unwrap();
    cncl_store::reference::load_shipped(&db.store, cncl_testkit::writer("test")).await.unwrap();
    assert_eq!(db.store.reference_snapshot().await.unwrap(), before);
    assert_eq!(db.store.criteria_set_versions().await.unwrap().len(), 1, "loading again adds no version");
}

async fn criteria_set_versions_are_kept_and_audited(db: &TestDb) {
    use cncl_eval::criteria::{DECISION_2815, parse_criteria_set};
    use cncl_store::criteria_sets::Added;
    let shipped = db.store.current_criteria_set().await.unwrap().unwrap();
    let draft_text = DECISION_2815.replacen("version = \"2026-12\"", "version = \"draft-1\"", 1).replacen(
        "bom_rule = \"tracing\"",
        "bom_rule = \"roll_up\"",
        1,
    );
    let draft = parse_criteria_set("draft.toml", &draft_text).unwrap();
    let add = |text: String| async move {
        let set = parse_criteria_set("draft.toml", &text).unwrap();
        let mut tx = db.store.begin(cncl_testkit::writer("office")).await.unwrap();
        let added = tx.add_criteria_set(&set, &text).await;
        tx.commit().await.unwrap();
        added
    };
    assert_eq!(add(draft_text.clone()).await.unwrap(), Added::New);
    // The same content again, comments and all changed: nothing happens.
    let recommented = format!("# reformatted\n{draft_text}");
    assert_eq!(add(recommented).await.unwrap(), Added::AlreadyThere);
    // Other content under the same version is refused; the stored version is untouched.
    let altered = draft_text.replacen("roll_up_threshold_percent = 60", "roll_up_threshold_percent = 70", 1);
    assert!(matches!(add(altered).await, Err(StoreError::Conflict(m)) if m.contains("decision-2815@draft-1")));
    assert_eq!(db.store.criteria_set_version(&draft.reference()).await.unwrap(), Some(draft.clone()));

    let versions = db.store.criteria_set_versions().await.unwrap();
    let listed: Vec<(String, bool)> = versions.iter().map(|v| (format!("{}@{}", v.id, v.version), v.current)).collect();
    assert_eq!(listed, [("decision-2815@2026-12".to_owned(), true), ("decision-2815@draft-1".to_owned(), false)]);
    assert_eq!(versions[1].loaded_by, "office");

    let mut tx = db.store.begin(cncl_testkit::writer("office")).await.unwrap();
    assert!(tx.set_current_criteria_set(&draft.reference()).await.unwrap());
    assert!(!tx.set_current_criteria_set(&draft.reference()).await.unwrap(), "already the current one");
    let missing = cncl_eval::criteria::SetRef { id: "nope".into(), version: "1".into() };
    assert!(matches!(tx.set_current_criteria_set(&missing).await, Err(StoreError::MissingReference(_))));
    tx.commit().await.unwrap();
    assert_eq!(db.store.current_criteria_set().await.unwrap(), Some(draft.reference()));
    // A restart adds nothing and leaves the office's choice alone.
    cncl_store::reference::load_shipped(&db.store, cncl_testkit::writer("cncl")).await.unwrap();
    assert_eq!(db.store.current_criteria_set().await.unwrap(), Some(draft.reference()));
    assert_ne!(shipped, draft.reference());

    let report = db.store.verify_audit().await.unwrap();
    assert!(report.is_intact(), "{report:?}");
    let filter = cncl_store::audit::AuditFilter { entity: Some("settings".into()), ..Default::default() };
    let entries = db.store.audit_entries(&filter, 1, 10).await.unwrap().items;
    assert_eq!(entries.len(), 2, "chosen at the first start, then by the office");
    assert_eq!(entries.first().map(|e| e.actor.as_str()), Some("office"), "newest first");
}

async fn every_kind_round_trips(db: &TestDb) {
    let ids = insert_one_of_each(&db.store).await;
    let mut refs = std::collections::BTreeMap::new();
    for kind in DEPENDENCY_ORDER {
        let expected = sample(kind, &refs);
        with_record_type!(kind, T => {
            let stored = db.store.get::<T>(ids[&kind].into()).await.unwrap().unwrap_or_else(|| panic!("{kind:?} missing"));
            assert_eq!(stored.id.as_uuid(), ids[&kind]);
            assert_eq!(stored.record, parse::<T>(expected), "{kind:?}");
            let page = db.store.list::<T>(&ListFilter::default(), 1, 50).await.unwrap();
            assert_eq!(page.total, 1, "{kind:?}");
        });
        refs.insert(kind, ids[&kind]);
    }
    assert!(db.store.get::<Task>(Uuid::now_v7().into()).await.unwrap().is_none());
}

async fn updates_replace_the_record(db: &TestDb) {
    let ids = insert_one_of_each(&db.store).await;
    let id = ids[&EntityKind::BudgetLine];
    let mut line = db.store.get::<BudgetLine>(id.into()).await.unwrap().unwrap().record;
    line.amount_vnd = cncl_domain::values::Vnd::new(7).unwrap();
    let mut tx = db.store.begin(cncl_testkit::writer("test")).await.unwrap();
    assert!(tx.update(id.into(), &line).await.unwrap());
    assert!(!tx.update(Uuid::now_v7().into(), &line).await.unwrap(), "no such record");
    tx.commit().await.unwrap();
    assert_eq!(db.store.get::<BudgetLine>(id.into()).await.unwrap().unwrap().record, line);

    // The log keeps the replaced state once, as the update's `before`, and no copy of the
    // current one; its history still reads both states (decision 0003).
    let kept = "select count(*) from audit_log where entity = 'budget_lines' and after_json is not null";
    assert_eq!(db.count(kept).await, 0, "no record's state after a change is stored twice");
    let filter = cncl_store::audit::AuditFilter {
        entity: Some("budget_lines".into()),
        entity_id: Some(id.to_string()),
        ..Default::default()
    };
    let entries = db.store.audit_entries(&filter, 1, 10).await.unwrap().items;
    assert_eq!(entries.len(), 2, "inserted, then updated");
    let (updated, inserted) = (&entries[0], &entries[1]);
    assert_eq!(updated.after.as_ref().unwrap()["amount_vnd"], 7, "the update left the row as it stands");
    assert_eq!(inserted.after, updated.before, "the insert left what the update replaced");
    assert_ne!(updated.before.as_ref().unwrap()["amount_vnd"], 7);
    assert!(db.store.verify_audit().await.unwrap().is_intact());
}

async fn list_filters(db: &TestDb) {
    let ids = insert_one_of_each(&db.store).await;
    let organisation = ids[&EntityKind::Organisation];
    let by_product = |product: &str| ListFilter { product: Some(product.into()), ..ListFilter::default() };
    assert_eq!(db.store.list::<Task>(&by_product("llm"), 1, 10).await.unwrap().total, 1);
    assert_eq!(db.store.list::<Task>(&by_product("uav"), 1, 10).await.unwrap().total, 0);
    assert_eq!(db.store.list::<BudgetLine>(&by_product("llm"), 1, 10).await.unwrap().total, 1);
    let by_org = ListFilter { organisation: Some(organisation), ..ListFilter::default() };
    assert_eq!(db.store.list::<BudgetLine>(&by_org, 1, 10).await.unwrap().total, 1);
    let other_org = ListFilter { organisation: Some(Uuid::now_v7()), ..ListFilter::default() };
    assert_eq!(db.store.list::<BudgetLine>(&other_org, 1, 10).await.unwrap().total, 0);
    let by_status = |s: &str| ListFilter { status: Some(s.into()), ..ListFilter::default() };
    assert_eq!(db.store.list::<Task>(&by_status("draft"), 1, 10).await.unwrap().total, 1);
    assert_eq!(db.store.list::<Task>(&by_status("accepted"), 1, 10).await.unwrap().total, 0);
    // Organisations are found by the product of the tasks they take part in, or the models they make.
    assert_eq!(db.store.list::<Organisation>(&by_product("llm"), 1, 10).await.unwrap().total, 1);
    assert_eq!(db.store.list::<Organisation>(&by_product("ai-camera"), 1, 10).await.unwrap().total, 1);
    assert_eq!(db.store.list::<Organisation>(&by_product("uav"), 1, 10).await.unwrap().total, 0);
}

async fn list_pages_oldest_first(db: &TestDb) {
    let ids = insert_one_of_each(&db.store).await;
    let organisation = ids[&EntityKind::Organisation];
    // Add four more organisations; five in all, two per page.
    let mut tx = db.store.begin(cncl_testkit::writer("test")).await.unwrap();
    for n in 0..4 {
        let mut org = parse::<Organisation>(sample(EntityKind::Organisation, &Default::default()));
        org.tax_code = cncl_domain::values::TaxCode::parse(&format!("020000000{n}")).unwrap();
        tx.insert(Uuid::now_v7().into(), &org).await.unwrap();
    }
    tx.commit().await.unwrap();
    let page3 = db.store.list::<Organisation>(&ListFilter::default(), 3, 2).await.unwrap();
    assert_eq!((page3.total, page3.items.len()), (5, 1));
    let page1 = db.store.list::<Organisation>(&ListFilter::default(), 1, 2).await.unwrap();
    assert_eq!(page1.items[0].id.as_uuid(), organisation, "oldest first");
}

async fn unique_rules_are_enforced_by_the_database(db: &TestDb) {
    let ids = insert_one_of_each(&db.store).await;
    let org = db.store.get::<Organisation>(ids[&EntityKind::Organisation].into()).await.unwrap().unwrap().record;
    let mut tx = db.store.begin(cncl_testkit::writer("test")).await.unwrap();
    assert_eq!(tx.clash(&org, None).await.unwrap().map(|c| c.field), Some("tax_code"));
    assert_eq!(tx.clash(&org, Some(ids[&EntityKind::Organisation])).await.unwrap(), None, "itself is no clash");
    let err = tx.insert(Uuid::now_v7().into(), &org).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
}

async fn missing_references_are_refused_by_the_database(db: &TestDb) {
    let mut refs = std::collections::BTreeMap::new();
    refs.insert(EntityKind::Task, Uuid::now_v7());
    let line = parse::<BudgetLine>(sample(EntityKind::BudgetLine, &refs));
    let mut tx = db.store.begin(cncl_testkit::writer("test")).await.unwrap();
    assert!(!tx.exists(EntityKind::Task, refs[&EntityKind::Task]).await.unwrap());
    let err = tx.insert(Uuid::now_v7().into(), &line).await.unwrap_err();
    assert!(matches!(err, StoreError::MissingReference(_)), "{err:?}");
}

async fn a_dropped_transaction_writes_nothing(db: &TestDb) {
    let org = parse::<Organisation>(sample(EntityKind::Organisation, &Default::default()));
    let id = Uuid::now_v7();
    {
        let mut tx = db.store.begin(cncl_testkit::writer("test")).await.unwrap();
        tx.insert(id.into(), &org).await.unwrap();
        assert!(tx.get::<Organisation>(id.into()).await.unwrap().is_some(), "visible inside");
    }
    assert!(db.store.get::<Organisation>(id.into()).await.unwrap().is_none());
}

/// A preview sees its own writes and cannot commit; a transaction's changes, kept and
/// sealed in batches, are all on the chain after its commit, in order, and verify.
async fn a_preview_cannot_commit_and_a_commit_seals_every_change(db: &TestDb) {
    let org = |n: usize| {
        let mut value = sample(EntityKind::Organisation, &Default::default());
        value["tax_code"] = serde_json::json!(format!("88{n:08}"));
        parse::<Organisation>(value)
    };
    let head = db.store.audit_seq().await.unwrap();
    let mut preview = db.store.begin_preview(cncl_testkit::writer("test")).await.unwrap();
    let id = Uuid::now_v7();
    preview.insert(id.into(), &org(0)).await.unwrap();
    assert!(preview.get::<Organisation>(id.into()).await.unwrap().is_some(), "visible inside");
    assert!(preview.commit().await.is_err(), "a preview never commits");
    assert!(db.store.get::<Organisation>(id.into()).await.unwrap().is_none());
    assert_eq!(db.store.audit_seq().await.unwrap(), head);

    // More changes than are kept before sealing: every one is on the chain.
    let mut tx = db.store.begin(cncl_testkit::writer("test")).await.unwrap();
    let count = 12_000;
    let ids: Vec<Uuid> = (0..count).map(|_| Uuid::now_v7()).collect();
    for (n, id) in ids.iter().enumerate() {
        tx.insert((*id).into(), &org(n + 1)).await.unwrap();
    }
    tx.commit().await.unwrap();
    assert_eq!(db.store.audit_seq().await.unwrap(), head + count as i64);
    let report = db.store.verify_audit().await.unwrap();
    assert!(report.first_broken.is_none() && report.mismatched_rows.is_empty(), "{report:?}");
}

/// A transaction that holds its new rows back (an import) still reads them, in any
/// statement, and commits them all, parents before children, with their audit entries.
async fn rows_held_back_are_seen_by_every_later_statement_and_committed_in_order(db: &TestDb) {
    let org = parse::<Organisation>(sample(EntityKind::Organisation, &Default::default()));
    let head = db.store.audit_seq().await.unwrap();
    let mut tx = db.store.begin(cncl_testkit::writer("test")).await.unwrap();
    tx.defer_inserts();
    let org_id = Uuid::now_v7();
    tx.insert(org_id.into(), &org).await.unwrap();
    assert!(tx.get::<Organisation>(org_id.into()).await.unwrap().is_some(), "a read sees the held row");
    assert_eq!(tx.clash(&org, None).await.unwrap().map(|c| c.field), Some("tax_code"), "so does a check");

    // More rows than are held at once, of two tables, each budget line after its task.
    let mut refs = std::collections::BTreeMap::new();
    refs.insert(EntityKind::Organisation, org_id);
    let mut lines = Vec::new();
    for n in 0..700 {
        let mut task = sample(EntityKind::Task, &refs);
        task["code"] = serde_json::json!(format!("HELD-{n:04}"));
        let task_id = Uuid::now_v7();
        tx.insert(task_id.into(), &parse::<Task>(task)).await.unwrap();
        let mut line_refs = refs.clone();
        line_refs.insert(EntityKind::Task, task_id);
        let line_id = Uuid::now_v7();
        tx.insert(line_id.into(), &parse::<BudgetLine>(sample(EntityKind::BudgetLine, &line_refs))).await.unwrap();
        lines.push(line_id);
    }
    tx.commit().await.unwrap();
    for id in &lines {
        assert!(db.store.get::<BudgetLine>((*id).into()).await.unwrap().is_some());
    }
    assert_eq!(db.store.audit_seq().await.unwrap(), head + 1 + 2 * 700);
    let report = db.store.verify_audit().await.unwrap();
    assert!(report.first_broken.is_none() && report.mismatched_rows.is_empty(), "{report:?}");
}

/// Rows written behind an import (a thousand held rows, then the import goes on) that the
/// database refuses fail the transaction at its next statement, and nothing of it is kept.
async fn a_row_refused_behind_the_writer_fails_the_transaction_and_nothing_is_kept(db: &TestDb) {
    let taken = Uuid::now_v7();
    let mut tx = db.store.begin(cncl_testkit::writer("test")).await.unwrap();
    tx.insert(taken.into(), &parse::<Organisation>(sample(EntityKind::Organisation, &Default::default())))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let head = db.store.audit_seq().await.unwrap();

    let mut tx = db.store.begin(cncl_testkit::writer("test")).await.unwrap();
    tx.defer_inserts();
    let mut written = Vec::new();
    // The 500th row takes an id already kept; the thousandth sends them all to the database.
    for n in 0..1_200 {
        let mut org = sample(EntityKind::Organisation, &Default::default());
        org["tax_code"] = serde_json::json!(format!("77{n:08}"));
        let id = if n == 500 { taken } else { Uuid::now_v7() };
        tx.insert(id.into(), &parse::<Organisation>(org)).await.unwrap();
        written.push(id);
    }
    let refused = tx.get::<Organisation>(written[1_100].into()).await;
    assert!(refused.is_err(), "the next statement reports the refusal: {refused:?}");
    assert!(tx.commit().await.is_err(), "and the transaction cannot commit");
    for id in written.iter().filter(|id| **id != taken) {
        assert!(db.store.get::<Organisation>((*id).into()).await.unwrap().is_none(), "{id} was kept");
    }
    assert_eq!(db.store.audit_seq().await.unwrap(), head, "no audit entry was kept");
}

async fn vietnamese_text_is_stored_in_nfc(db: &TestDb) {
    let mut value = sample(EntityKind::Organisation, &Default::default());
    value["name"] = "Vie\u{0323}\u{0302}n Co\u{0302}ng nghe\u{0323}\u{0302}".into();
    let org = parse::<Organisation>(value);
    let id = Uuid::now_v7();
    let mut tx = db.store.begin(cncl_testkit::writer("test")).await.unwrap();
    tx.insert(id.into(), &org).await.unwrap();
    tx.commit().await.unwrap();
    let stored = db.store.get::<Organisation>(id.into()).await.unwrap().unwrap();
    assert_eq!(stored.record.name.as_str(), "Viện Công nghệ");
}

async fn names_are_found_whatever_their_diacritics_and_case(db: &TestDb) {
    use cncl_domain::organisation::Person;
    use cncl_store::Scope;
    let mut tx = db.store.begin(cncl_testkit::writer("test")).await.unwrap();
    let mut ids = Vec::new();
    for (n, name) in ["Nguyễn Đức Anh", "Nguyen Van Binh", "Đặng Thị Cúc", "Trần Đức Dũng"].iter().enumerate()
    {
        let mut value = sample(EntityKind::Person, &Default::default());
        value["full_name"] = (*name).into();
        value["organisation_id"] = serde_json::Value::Null;
        value["title"] = serde_json::Value::Null;
        let id = Uuid::now_v7();
        tx.insert(id.into(), &parse::<Person>(value)).await.unwrap();
        ids.push((id, n));
    }
    tx.commit().await.unwrap();
    let names = |found: Vec<(Uuid, String)>| found.into_iter().map(|(_, n)| n).collect::<Vec<_>>();
    let find = |query: &'static str| db.store.find::<Person>(query, &Scope::All, 10);
    assert_eq!(names(find("nguyen").await.unwrap()), ["Nguyễn Đức Anh", "Nguyen Van Binh"], "Nguyen finds Nguyễn");
    assert_eq!(names(find("duc").await.unwrap()), ["Nguyễn Đức Anh", "Trần Đức Dũng"], "đ finds d");
    assert_eq!(names(find("ĐỨC  anh").await.unwrap()), ["Nguyễn Đức Anh"], "every word, any case");
    assert!(find("Lê").await.unwrap().is_empty());
    assert!(find("   ").await.unwrap().is_empty(), "nothing asked, nothing found");
    assert_eq!(db.store.find::<Person>("d", &Scope::All, 2).await.unwrap().len(), 2, "at most the limit");
    assert_eq!(find("dang").await.unwrap()[0].0, ids[2].0, "with its id");
}

/// The roll-up takes each model's lines together, in id order. The lines are read in the
/// table's order (a scan is four times quicker than the index at national scale), so they
/// are sorted after reading: here the table holds them out of model order.
async fn bill_of_materials_lines_are_loaded_by_model_then_id(db: &TestDb) {
    use cncl_domain::market::{BomLine, ProductModel};
    let ids = insert_one_of_each(&db.store).await;
    let first_model = ids[&EntityKind::ProductModel];
    let mut refs: std::collections::BTreeMap<EntityKind, Uuid> = ids.clone();
    let mut model = sample(EntityKind::ProductModel, &refs);
    model["name"] = "SK-Cam Edge 3".into();
    let second_model = Uuid::now_v7();
    let (later_on_second, later_on_first) = (Uuid::now_v7(), Uuid::now_v7());
    let mut tx = db.store.begin(cncl_testkit::writer("test")).await.unwrap();
    tx.insert(second_model.into(), &parse::<ProductModel>(model)).await.unwrap();
    refs.insert(EntityKind::ProductModel, second_model);
    tx.insert(later_on_second.into(), &parse::<BomLine>(sample(EntityKind::BomLine, &refs))).await.unwrap();
    refs.insert(EntityKind::ProductModel, first_model);
    tx.insert(later_on_first.into(), &parse::<BomLine>(sample(EntityKind::BomLine, &refs))).await.unwrap();
    tx.commit().await.unwrap();

    let facts = db.store.load_facts(cncl_domain::Date::from_ymd(2026, 12, 31).unwrap()).await.unwrap();
    let lines: Vec<(Uuid, Uuid)> = facts.bom_lines.iter().map(|l| (l.model, l.id)).collect();
    assert_eq!(
        lines,
        [(first_model, ids[&EntityKind::BomLine]), (first_model, later_on_first), (second_model, later_on_second)]
    );

    // Enough lines for many of the tables' pages: every line comes once, in the same order.
    let mut expected = lines;
    let mut tx = db.store.begin(cncl_testkit::writer("test")).await.unwrap();
    for n in 0..600 {
        let model = if n % 2 == 0 { first_model } else { second_model };
        refs.insert(EntityKind::ProductModel, model);
        let id = Uuid::now_v7();
        tx.insert(id.into(), &parse::<BomLine>(sample(EntityKind::BomLine, &refs))).await.unwrap();
        expected.push((model, id));
    }
    tx.commit().await.unwrap();
    expected.sort();
    let facts = db.store.load_facts(cncl_domain::Date::from_ymd(2026, 12, 31).unwrap()).await.unwrap();
    let lines: Vec<(Uuid, Uuid)> = facts.bom_lines.iter().map(|l| (l.model, l.id)).collect();
    assert_eq!(lines.len(), expected.len(), "each line once");
    assert!(lines == expected, "by model, then id");
}

/// A claim takes a job whose worker's lease ran out before any job still queued, then the
/// queued jobs in due order; a job not yet due, or leased to a live worker, is left.
async fn jobs_are_claimed_lapsed_leases_first_then_by_due_time(db: &TestDb) {
    use chrono::{Duration, TimeZone, Utc};
    use cncl_store::jobs::{NewJob, Outcome};
    let start = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap();
    let job = |key: &str, due_in_minutes: i64| NewJob {
        kind: "test".into(),
        payload: serde_json::json!({ "key": key }),
        dedupe_key: key.into(),
        run_at: start + Duration::minutes(due_in_minutes),
        max_attempts: 3,
    };
    let jobs: Vec<NewJob> =
        [("third", 20), ("first", 0), ("later", 120), ("second", 10)].iter().map(|(key, due)| job(key, *due)).collect();
    assert_eq!(db.store.enqueue(&jobs, start).await.unwrap(), 4);
    let again = [job("first", 0), job("fourth", 150), job("fourth", 150)];
    assert_eq!(db.store.enqueue(&again, start).await.unwrap(), 1, "a key already queued, or twice, is added once");
    let key =
        |claimed: Option<cncl_store::jobs::ClaimedJob>| claimed.map(|j| j.payload["key"].as_str().unwrap().to_owned());
    let lease = Duration::minutes(5);
    let at = start + Duration::minutes(30);
    let lapsing = db.store.claim_job("w1", at, lease).await.unwrap().unwrap();
    assert_eq!(lapsing.payload["key"], "first");
    assert_eq!(key(db.store.claim_job("w2", at, lease).await.unwrap()).as_deref(), Some("second"));
    // w1's lease on "first" has run out six minutes on: it is taken again before "third".
    let later = at + Duration::minutes(6);
    let retaken = db.store.claim_job("w3", later, lease).await.unwrap().unwrap();
    assert_eq!((retaken.payload["key"].as_str(), retaken.attempt), (Some("first"), 2));
    // "second" lapsed too (claimed at the same time); then the queue goes on in due order.
    assert_eq!(key(db.store.claim_job("w3", later, lease).await.unwrap()).as_deref(), Some("second"));
    let third = db.store.claim_job("w3", later, lease).await.unwrap().unwrap();
    assert_eq!(third.payload["key"], "third");
    db.store.finish_job(&third, "w3", &Outcome::Done, later).await.unwrap();
    assert!(
        db.store.claim_job("w3", later, lease).await.unwrap().is_none(),
        "\"later\" is not due, the rest are leased"
    );
    assert_eq!(
        key(db.store.claim_job("w3", start + Duration::minutes(120), lease).await.unwrap()).as_deref(),
        Some("first")
    );
}

/// More jobs than one transaction takes are all added, a key repeated in a later
/// transaction only once.
async fn jobs_beyond_one_transaction_are_all_added_once(db: &TestDb) {
    use chrono::{TimeZone, Utc};
    let start = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap();
    let job = |n: usize| cncl_store::jobs::NewJob {
        kind: "bulk".into(),
        payload: serde_json::json!({ "n": n }),
        dedupe_key: format!("bulk:{n}"),
        run_at: start,
        max_attempts: 1,
    };
    let mut jobs: Vec<_> = (0..2_500).map(job).collect();
    jobs.push(job(7));
    assert_eq!(db.store.enqueue(&jobs, start).await.unwrap(), 2_500);
    assert_eq!(db.store.job_keys("bulk").await.unwrap().len(), 2_500);
}

/// A row that no rule would let in is named by its table when the facts are read, and the
/// store goes on answering. On PostgreSQL the read stops part-way through a `COPY`: a
/// connection left there must not go back to the pool, where its next query would read the
/// rest of the copy.
async fn a_bad_fact_row_is_named_and_the_store_goes_on(db: &TestDb) {
    insert_one_of_each(&db.store).await;
    let everything = ListFilter::default();
    let tasks = || db.store.list::<Task>(&everything, 1, 10);
    let count = tasks().await.unwrap().total;
    let as_of = cncl_domain::Date::from_ymd(2026, 12, 31).unwrap();
    // The organisations are read on the main connection, the bill of materials on the second.
    for (table, column, valid) in [("organisations", "kind", "enterprise"), ("bom_lines", "origin", "domestic")] {
        db.tamper(&format!("update {table} set {column} = 'nowhere'")).await;
        let error = db.store.load_facts(as_of).await.expect_err("a kind no rule lets in");
        assert!(
            matches!(&error, StoreError::Corrupt { table: named, message, .. }
                if *named == table && message.contains("nowhere")),
            "{table}: {error:?}"
        );
        // More reads than the pool has connections, so that every one of them is used.
        for _ in 0..20 {
            assert_eq!(tasks().await.expect("the store still answers").total, count, "after {table}");
        }
        db.tamper(&format!("update {table} set {column} = '{valid}'")).await;
    }
}
