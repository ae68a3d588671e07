use std::collections::BTreeMap;

use cncl_domain::EntityKind;
use cncl_testkit::samples::{insert_one_of_each, sample};
use reqwest::Method;
use serde_json::{Value, json};

use crate::TestServer;

cncl_testkit::on_both_backends!(crate::TestServer::start =>
    lifecycle_commands_over_http,
    products_are_listed_in_both_languages,
    a_negative_amount_is_refused_naming_the_field_and_nothing_is_written,
    a_trl_of_12_is_refused_naming_the_field_and_nothing_is_written,
    malformed_and_incomplete_bodies_get_clear_errors,
    create_read_update_list_round_trip,
    missing_records_bad_ids_and_duplicates,
    every_documented_operation_is_routed,
    health_reports_the_database,
    the_audit_log_is_browsed_by_entity_actor_and_date,
    records_are_found_by_name_accents_aside,
);

async fn products_are_listed_in_both_languages(s: &TestServer) {
    let (status, body) = s.get_json("/api/v1/products").await;
    assert_eq!(status, 200);
    let products = body.as_array().unwrap();
    assert_eq!(products.len(), 6);
    assert_eq!(products[3]["code"], "5g");
    assert_eq!(products[3]["name_vi"], "Hệ thống và thiết bị mạng di động 5G");
    assert_eq!(products[3]["name_en"], "5G mobile network systems and equipment");
    let (status, one) = s.get_json("/api/v1/products/uav").await;
    assert_eq!((status, one["name_en"].as_str()), (200, Some("Unmanned aerial vehicles (UAVs)")));
    assert_eq!(s.get_json("/api/v1/products/nope").await.0, 404);
    assert_eq!(s.get_json("/api/v1/task-groups").await.1.as_array().map(Vec::len), Some(6));
    let (_, criteria) = s.get_json("/api/v1/criteria").await;
    assert_eq!(criteria["criteria"].as_array().map(Vec::len), Some(18));
}

async fn count(s: &TestServer, resource: &str) -> i64 {
    s.get_json(&format!("/api/v1/{resource}")).await.1["total"].as_i64().unwrap()
}

async fn a_negative_amount_is_refused_naming_the_field_and_nothing_is_written(s: &TestServer) {
    let ids = insert_one_of_each(s.app.store()).await;
    let before = count(s, "budget-lines").await;
    let mut line = sample(EntityKind::BudgetLine, &ids);
    line["amount_vnd"] = json!(-1_000_000);
    let (status, body) = s.send_json(Method::POST, "/api/v1/budget-lines", &line.to_string()).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"], "invalid");
    assert_eq!(body["field"], "amount_vnd");
    assert_eq!(count(s, "budget-lines").await, before);
    // The same on update: the stored line is unchanged.
    let id = ids[&EntityKind::BudgetLine];
    let (status, body) = s.send_json(Method::PUT, &format!("/api/v1/budget-lines/{id}"), &line.to_string()).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("amount_vnd")));
    let (_, stored) = s.get_json(&format!("/api/v1/budget-lines/{id}")).await;
    assert_eq!(stored["amount_vnd"], 45_000_000_000_i64);
}

async fn a_trl_of_12_is_refused_naming_the_field_and_nothing_is_written(s: &TestServer) {
    let ids = insert_one_of_each(s.app.store()).await;
    let before = count(s, "technology-assessments").await;
    let mut assessment = sample(EntityKind::TechnologyAssessment, &ids);
    assessment["trl"] = json!(12);
    let (status, body) = s.send_json(Method::POST, "/api/v1/technology-assessments", &assessment.to_string()).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["field"], "trl");
    assert!(body["message"].as_str().unwrap().contains("1 to 9"), "{body}");
    assert_eq!(count(s, "technology-assessments").await, before);
}

async fn malformed_and_incomplete_bodies_get_clear_errors(s: &TestServer) {
    let (status, body) = s.send_json(Method::POST, "/api/v1/organisations", "{not json").await;
    assert_eq!((status, body["error"].as_str()), (400, Some("bad_request")));
    let mut org = sample(EntityKind::Organisation, &BTreeMap::new());
    org.as_object_mut().unwrap().remove("province");
    let (status, body) = s.send_json(Method::POST, "/api/v1/organisations", &org.to_string()).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("province")), "{body}");
    let mut org = sample(EntityKind::Organisation, &BTreeMap::new());
    org["tax_code"] = json!("010123456");
    let (status, body) = s.send_json(Method::POST, "/api/v1/organisations", &org.to_string()).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("tax_code")), "{body}");
    org["tax_code"] = json!("0101234567");
    org["colour"] = json!("red");
    let (status, body) = s.send_json(Method::POST, "/api/v1/organisations", &org.to_string()).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("colour")), "{body}");
    let mut task = sample(EntityKind::Task, &BTreeMap::new());
    task["lead_person_id"] = Value::Null;
    task["starts_on"] = json!("2027-01-01");
    task["ends_on"] = json!("2026-01-01");
    let (status, body) = s.send_json(Method::POST, "/api/v1/tasks", &task.to_string()).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("ends_on")), "{body}");
    assert_eq!(count(s, "organisations").await + count(s, "tasks").await, 0);
}

async fn create_read_update_list_round_trip(s: &TestServer) {
    let org = sample(EntityKind::Organisation, &BTreeMap::new());
    let response = s.client.post(s.url("/api/v1/organisations")).body(org.to_string()).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 201);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let created: Value = response.json().await.unwrap();
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/api/v1/organisations/{id}"));
    let (status, read) = s.get_json(&location).await;
    assert_eq!((status, &read), (200, &created));

    // A client may send back what it read, id included.
    let mut changed = read.clone();
    changed["name"] = json!("Viện Công nghệ Mẫu");
    let (status, updated) = s.send_json(Method::PUT, &location, &changed.to_string()).await;
    assert_eq!((status, updated["name"].as_str()), (200, Some("Viện Công nghệ Mẫu")));
    changed["id"] = json!(uuid::Uuid::now_v7().to_string());
    assert_eq!(s.send_json(Method::PUT, &location, &changed.to_string()).await.0, 400);

    let mut task = sample(EntityKind::Task, &BTreeMap::new());
    task["lead_person_id"] = Value::Null;
    assert_eq!(s.send_json(Method::POST, "/api/v1/tasks", &task.to_string()).await.0, 201);
    let (_, page) = s.get_json("/api/v1/tasks?product=llm&status=draft&page=1&per_page=10").await;
    assert_eq!((page["total"].as_i64(), page["per_page"].as_i64()), (Some(1), Some(10)));
    let (_, page) = s.get_json(&format!("/api/v1/tasks?organisation={id}")).await;
    assert_eq!(page["total"], 0);
    let (status, body) = s.get_json("/api/v1/tasks?colour=red").await;
    assert_eq!((status, body["field"].as_str()), (400, Some("colour")));
    let (status, body) = s.get_json("/api/v1/organisations?status=draft").await;
    assert_eq!((status, body["field"].as_str()), (400, Some("status")));
    let (status, body) = s.get_json("/api/v1/tasks?per_page=abc").await;
    assert_eq!((status, body["field"].as_str()), (400, Some("per_page")));
}

async fn missing_records_bad_ids_and_duplicates(s: &TestServer) {
    let unknown = uuid::Uuid::now_v7();
    let (status, body) = s.get_json(&format!("/api/v1/tasks/{unknown}")).await;
    assert_eq!((status, body["error"].as_str()), (404, Some("not_found")));
    let (status, body) = s.get_json("/api/v1/tasks/42").await;
    assert_eq!((status, body["field"].as_str()), (400, Some("id")));
    assert_eq!(s.get_json("/api/v1/no-such-thing").await.0, 404);
    let org = sample(EntityKind::Organisation, &BTreeMap::new()).to_string();
    assert_eq!(s.send_json(Method::POST, "/api/v1/organisations", &org).await.0, 201);
    let (status, body) = s.send_json(Method::POST, "/api/v1/organisations", &org).await;
    assert_eq!((status, body["field"].as_str()), (409, Some("tax_code")), "{body}");
    let mut refs = BTreeMap::new();
    refs.insert(EntityKind::Task, unknown);
    let line = sample(EntityKind::BudgetLine, &refs).to_string();
    let (status, body) = s.send_json(Method::POST, "/api/v1/budget-lines", &line).await;
    assert_eq!((status, body["field"].as_str()), (422, Some("task_id")), "{body}");
}

async fn every_documented_operation_is_routed(s: &TestServer) {
    let ids = insert_one_of_each(s.app.store()).await;
    let (status, doc) = s.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for kind in EntityKind::ALL {
        assert!(paths.contains_key(&format!("/api/v1/{}", kind.resource())), "{kind:?} undocumented");
    }
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in ["Error", "Organisation", "OrganisationStored", "Task", "TaskStatus", "BomLine", "Product"] {
        assert!(schemas.contains_key(name), "schema {name} missing");
    }
    // Closed sets are documented as the API sends and accepts them: stored snake_case values.
    for (name, schema) in schemas {
        for value in schema["enum"].as_array().into_iter().flatten() {
            let value = value.as_str().unwrap_or_default();
            assert!(
                !value.is_empty() && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{name} documents {value:?}, not a stored value"
            );
        }
    }
    assert_eq!(schemas["PersonRole"]["enum"][0], "chief_engineer");
    // Every $ref points at a schema that exists.
    let text = doc.to_string();
    for piece in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = piece.split('"').next().unwrap();
        assert!(schemas.contains_key(name), "dangling $ref {name}");
    }
    for (path, item) in paths {
        let kind = EntityKind::ALL.into_iter().find(|k| path.starts_with(&format!("/api/v1/{}/", k.resource())));
        let code = if path.starts_with("/api/v1/task-groups") { "human-resources" } else { "llm" };
        let concrete = path
            .replace("{code}", code)
            .replace("{format}", "pdf")
            .replace("{id}", &kind.map_or_else(|| uuid::Uuid::nil().to_string(), |k| ids[&k].to_string()));
        for method in item.as_object().unwrap().keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = s.client.request(method.clone(), s.url(&concrete)).body("{}").send().await.unwrap();
            let status = response.status().as_u16();
            // A route may answer 404 for a missing record (a published report); an unrouted
            // path answers with the route error.
            let unrouted = status == 404 && response.text().await.unwrap().contains("this path under /api");
            assert!(status != 405 && !unrouted && status < 500, "{method} {concrete} gave {status}");
        }
    }
}

async fn health_reports_the_database(s: &TestServer) {
    let (status, body) = s.get_json("/ready").await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ready");
    assert_eq!(body["database_answers"], true);
    let backend = body["backend"].as_str().unwrap();
    assert!(backend == "sqlite" || backend == "postgres");
}

async fn lifecycle_commands_over_http(s: &TestServer) {
    s.app.load_demo(&crate::admin()).await.unwrap();
    let (_, drafts) = s.get_json("/api/v1/tasks?status=draft&product=uav").await;
    let draft = drafts["items"][0]["id"].as_str().unwrap().to_owned();
    // Illegal: 409 with the current state and the allowed ones.
    let (status, body) = s
        .send_json(
            Method::POST,
            &format!("/api/v1/tasks/{draft}/commands"),
            r#"{"command":"accept","on":"2026-06-01","accepting_body":"x"}"#,
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "illegal_transition");
    assert_eq!(body["current"], "draft");
    assert_eq!(body["allowed"], json!(["ordered", "assigned", "cancelled"]));
    // Unknown command or missing field: 422 naming it.
    let (status, body) = s
        .send_json(Method::POST, &format!("/api/v1/tasks/{draft}/commands"), r#"{"command":"order","problem":"p"}"#)
        .await;
    assert_eq!((status, body["field"].as_str()), (422, Some("expected_product")), "{body}");
    // Assigning the bare draft lists every missing element at once.
    let (_, people) = s.get_json("/api/v1/people?per_page=1").await;
    let (_, orgs) = s.get_json("/api/v1/organisations?per_page=1").await;
    let assign = json!({"command": "assign", "lead_organisation_id": orgs["items"][0]["id"], "lead_person_id": people["items"][0]["id"], "on": "2026-02-01"});
    let (status, body) =
        s.send_json(Method::POST, &format!("/api/v1/tasks/{draft}/commands"), &assign.to_string()).await;
    assert_eq!((status, body["error"].as_str()), (422, Some("not_clear")), "{body}");
    assert_eq!(body["missing"], json!(["responsibility", "time", "authority", "product", "resources"]));
    // A legal command: recorded under the caller's identity (here its API token).
    let cancel = r#"{"command":"cancel","on":"2026-02-01","reason":"Không còn cần thiết"}"#;
    let (status, _) = s.send_json(Method::POST, &format!("/api/v1/tasks/{draft}/commands"), cancel).await;
    assert_eq!(status, 200);
    let (_, events) = s.get_json(&format!("/api/v1/tasks/{draft}/events")).await;
    assert_eq!(events[0]["actor"], "token:tests");
    assert_eq!(events[0]["details"]["reason"], "Không còn cần thiết");
    let (_, checklist) = s.get_json(&format!("/api/v1/tasks/{draft}/seven-clear")).await;
    assert_eq!(checklist.as_array().map(Vec::len), Some(7));
    let (status, warnings) = s.get_json("/api/v1/warnings?as_of=2026-11-24").await;
    assert_eq!(status, 200);
    assert!(warnings.as_array().unwrap().iter().any(|w| w["kind"] == "no_person_in_charge" && w["product"] == "uav"));
    let (status, funding) = s.get_json("/api/v1/funding?as_of=2026-11-24").await;
    assert_eq!((status, funding["ceiling_percent"].as_i64()), (200, Some(15)));
    let (status, _) = s.get_json("/api/v1/overdue?as_of=bad").await;
    assert_eq!(status, 400);
}

async fn the_audit_log_is_browsed_by_entity_actor_and_date(s: &TestServer) {
    let (status, created) = s
        .send_json(
            Method::POST,
            "/api/v1/organisations",
            &sample(EntityKind::Organisation, &BTreeMap::new()).to_string(),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_owned();
    let mut changed = created.clone();
    changed["name"] = "Đổi tên".into();
    let (status, error) = s.send_json(Method::PUT, &format!("/api/v1/organisations/{id}"), &changed.to_string()).await;
    assert_eq!(status, 200, "{error}");

    let (status, page) = s.get_json(&format!("/api/v1/audit?entity=organisations&id={id}")).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["total"], 2);
    let entries = page["items"].as_array().unwrap();
    assert_eq!(
        (entries[0]["action"].as_str(), entries[1]["action"].as_str()),
        (Some("update"), Some("insert")),
        "newest first"
    );
    assert_eq!(entries[0]["before"]["name"], created["name"]);
    assert_eq!(entries[0]["after"]["name"], "Đổi tên");
    assert_eq!(entries[0]["prev_hash"], entries[1]["hash"], "chained");
    assert_eq!(entries[0]["actor"], "token:tests");

    let today: chrono::NaiveDate = entries[1]["at"].as_str().unwrap()[..10].parse().unwrap();
    let by_actor = format!("/api/v1/audit?actor=token:tests&from={today}&until={}", today + chrono::Days::new(1));
    assert_eq!(s.get_json(&by_actor).await.1["total"], 2);
    assert_eq!(
        s.get_json(&format!("/api/v1/audit?actor=token:tests&until={today}")).await.1["total"],
        0,
        "nothing before that day"
    );
    assert_eq!(s.get_json("/api/v1/audit?actor=someone-else").await.1["total"], 0);
    let (status, error) = s.get_json("/api/v1/audit?until=soon").await;
    assert_eq!((status, error["field"].as_str()), (400, Some("until")));
    let (status, report) = s.get_json("/api/v1/audit/verify").await;
    assert_eq!(status, 200);
    assert_eq!((report["first_broken"].is_null(), report["mismatched_rows"].as_array().map(Vec::len)), (true, Some(0)));
}

async fn records_are_found_by_name_accents_aside(s: &TestServer) {
    s.app.load_demo(&crate::admin()).await.unwrap();
    let (status, body) = s.get_json("/api/v1/tasks?q=llm-05").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["total"].as_i64(), body["items"][0]["code"].as_str()), (Some(1), Some("LLM-05")));
    let (_, body) = s.get_json("/api/v1/tasks?q=TRO%20LY%20sen%20vang&per_page=3").await;
    assert_eq!(body["items"].as_array().map(Vec::len), Some(3), "at most per_page: {body}");
    assert!(body["items"].as_array().unwrap().iter().all(|t| t["title"].as_str().unwrap().contains("Trợ lý Sen Vàng")));
    let (_, body) = s.get_json("/api/v1/organisations?q=khong%20co%20dau").await;
    assert_eq!(body["total"], 0);
    let (status, body) = s.get_json("/api/v1/tasks?q=llm&per_page=0").await;
    assert_eq!((status, body["field"].as_str()), (400, Some("per_page")));
    let (status, body) = s.get_json("/api/v1/tasks?search=llm").await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().contains("use q, page"), "{body}");
}

#[tokio::test]
async fn an_internal_error_quotes_the_request_id_its_log_line_names() {
    let s = TestServer::start(cncl_store::Backend::Sqlite).await.unwrap();
    s.app.load_demo(&crate::admin()).await.unwrap();
    let task = s.task_id("LLM-05").await;
    // A row no rule would let in, planted behind cncl's back: reading it fails inside.
    s.db.tamper(&format!("update tasks set status = 'bogus' where id = '{task}'")).await;
    let response = s.client.get(s.url(&format!("/api/v1/tasks/{task}"))).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 500);
    let header = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], "internal");
    assert_eq!(body["request_id"].as_str(), Some(header.as_str()), "the answer's id is the request's");
    assert!(!body.to_string().contains("bogus"), "the cause is logged, never shown: {body}");
    let ok = s.client.get(s.url("/health")).send().await.unwrap();
    assert!(ok.headers().contains_key("x-request-id"), "every answer carries its id");
}
