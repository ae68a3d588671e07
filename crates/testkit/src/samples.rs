//! One valid record of every kind, wired to each other, as the JSON a client would send.

use std::collections::BTreeMap;

use cncl_domain::{EntityKind, Record, with_record_type};
use cncl_store::Store;
use serde_json::{Value, json};
use uuid::Uuid;

/// The kinds in an order where every record's references come before it.
pub const DEPENDENCY_ORDER: [EntityKind; EntityKind::COUNT] = [
    EntityKind::Organisation,
    EntityKind::Certification,
    EntityKind::Person,
    EntityKind::Task,
    EntityKind::TaskParticipant,
    EntityKind::BudgetLine,
    EntityKind::StateStSpending,
    EntityKind::CoreTechnology,
    EntityKind::TechnologyAssessment,
    EntityKind::Publication,
    EntityKind::IpApplication,
    EntityKind::ResearchOutcome,
    EntityKind::DualUseDemonstration,
    EntityKind::ProductModel,
    EntityKind::BomLine,
    EntityKind::CostLine,
    EntityKind::ModelSales,
    EntityKind::MarketSize,
    EntityKind::TrainingRecord,
    EntityKind::Laboratory,
    EntityKind::StrategicIndustry,
    EntityKind::TaskMilestone,
    EntityKind::Deliverable,
    EntityKind::ProgressReport,
    EntityKind::Appointment,
    EntityKind::TaskForceDocument,
    EntityKind::TaskForceMember,
    EntityKind::Disbursement,
    EntityKind::Proposal,
    EntityKind::ProposalReview,
    EntityKind::DomesticOffer,
    EntityKind::Commentary,
];

/// A valid record of `kind` whose references point at the ids in `refs` (earlier kinds).
pub fn sample(kind: EntityKind, refs: &BTreeMap<EntityKind, Uuid>) -> Value {
    let id = |k: EntityKind| refs.get(&k).map(ToString::to_string);
    match kind {
        EntityKind::Organisation => json!({
            "name": "Công ty Cổ phần Công nghệ Sao Khuê (thử nghiệm)", "kind": "enterprise",
            "tax_code": "0109998881", "province": "Hà Nội", "ownership": "private", "scale_usd": 25_000_000
        }),
        EntityKind::Certification => json!({
            "organisation_id": id(EntityKind::Organisation), "standard": "ISO 9001:2015",
            "certified_on": "2024-05-02", "certifier": "Bureau Veritas", "expires_on": "2027-05-01"
        }),
        EntityKind::Person => json!({
            "full_name": "Nguyễn Thị Hồng Nhung", "organisation_id": id(EntityKind::Organisation),
            "roles": ["task_lead", "chief_engineer"], "expert_origin": "overseas_vietnamese", "title": "TS."
        }),
        EntityKind::Task => json!({
            "code": "LLM-2026-01", "title": "Mô hình ngôn ngữ lớn tiếng Việt 70B", "product_code": "llm",
            "task_group_code": "research-development", "origin": "ordered", "is_research": true, "dual_use": true,
            "status": "draft", "lead_person_id": id(EntityKind::Person), "scope": "Huấn luyện mô hình nền",
            "responsibility": "Chủ trì: Sao Khuê", "starts_on": "2026-01-01", "ends_on": "2027-12-31",
            "approving_body": "Bộ Khoa học và Công nghệ", "delegated_authority": "Điều chỉnh nội dung chi",
            "expected_product": "Mô hình 70B đạt chuẩn đánh giá", "budget_ceiling_vnd": 120_000_000_000_i64,
            "assigned_on": null, "accepted_on": null, "problem": null, "deadline": null
        }),
        EntityKind::TaskParticipant => json!({
            "task_id": id(EntityKind::Task), "organisation_id": id(EntityKind::Organisation), "role": "lead"
        }),
        EntityKind::BudgetLine => json!({
            "task_id": id(EntityKind::Task), "year": 2026, "source": "central_state", "amount_vnd": 45_000_000_000_i64
        }),
        EntityKind::StateStSpending => json!({
            "year": 2026, "amount_vnd": 50_000_000_000_000_i64, "source_document": "Dự toán NSNN 2026"
        }),
        EntityKind::CoreTechnology => json!({
            "product_code": "llm", "parent_id": null, "name": "Tiền huấn luyện phân tán", "weight": 3,
            "description": "Huấn luyện trên cụm GPU trong nước"
        }),
        EntityKind::TechnologyAssessment => json!({
            "technology_id": id(EntityKind::CoreTechnology), "assessed_on": "2026-06-30", "trl": 6,
            "mastery": "prototype", "evidence": "Báo cáo thử nghiệm số 12", "assessor_id": id(EntityKind::Person)
        }),
        EntityKind::Publication => json!({
            "task_id": id(EntityKind::Task), "title": "Đánh giá mô hình ngôn ngữ tiếng Việt",
            "journal": "Tạp chí Khoa học và Công nghệ Việt Nam", "issn": "1859-4794", "accredited": true,
            "published_on": "2026-09-01", "doi": null
        }),
        EntityKind::IpApplication => json!({
            "task_id": id(EntityKind::Task), "title": "Phương pháp nén mô hình", "kind": "invention_patent",
            "number": "1-2026-01234", "filed_on": "2026-03-01", "accepted_on": "2026-05-01", "granted_on": null
        }),
        EntityKind::ResearchOutcome => json!({
            "task_id": id(EntityKind::Task), "title": "Bộ dữ liệu huấn luyện tiếng Việt", "kind": "dataset",
            "recorded_on": "2026-04-01", "application": "integrated", "applied_on": "2026-08-01",
            "application_evidence": "Hợp đồng chuyển giao số 7"
        }),
        EntityKind::DualUseDemonstration => json!({
            "task_id": id(EntityKind::Task), "sector": "civil", "demonstrated_on": "2026-10-01",
            "description": "Trợ lý ảo cho dịch vụ công"
        }),
        other => market_sample(other, refs),
    }
}

/// Samples of the records about product models, markets and the programme's capacity.
fn market_sample(kind: EntityKind, refs: &BTreeMap<EntityKind, Uuid>) -> Value {
    let id = |k: EntityKind| refs.get(&k).map(ToString::to_string);
    match kind {
        EntityKind::ProductModel => json!({
            "product_code": "ai-camera", "maker_id": id(EntityKind::Organisation), "name": "SK-Cam Edge 2",
            "selling_price_vnd": 4_500_000, "launched_on": "2026-02-01"
        }),
        EntityKind::BomLine => json!({
            "model_id": id(EntityKind::ProductModel), "parent_line_id": null, "component": "Bo mạch xử lý",
            "quantity": 1, "unit_cost_vnd": 1_200_000, "origin": "domestic", "supplier_id": id(EntityKind::Organisation)
        }),
        EntityKind::CostLine => json!({
            "model_id": id(EntityKind::ProductModel), "category": "labour", "origin": "domestic",
            "amount_vnd": 600_000, "description": "Lắp ráp"
        }),
        EntityKind::ModelSales => json!({
            "model_id": id(EntityKind::ProductModel), "year": 2026, "domestic_units": 20_000, "export_units": 1_000
        }),
        EntityKind::MarketSize => json!({
            "product_code": "ai-camera", "year": 2026, "domestic_vnd": 600_000_000_000_i64, "source": "Khảo sát thị trường 2026"
        }),
        EntityKind::TrainingRecord => json!({
            "year": 2026, "count": 120, "level": "engineer", "organisation_id": id(EntityKind::Organisation),
            "product_code": "llm", "course": "Kỹ sư AI"
        }),
        EntityKind::Laboratory => json!({
            "name": "Phòng thí nghiệm trọng điểm quốc gia về AI", "kind": "national_key_laboratory", "open_model": true,
            "organisation_id": id(EntityKind::Organisation), "established_on": "2026-03-15"
        }),
        EntityKind::StrategicIndustry => json!({
            "name": "Công nghiệp trí tuệ nhân tạo", "product_codes": ["llm", "ai-camera"], "formed_on": "2027-06-01",
            "evidence": "Quyết định hình thành cụm công nghiệp"
        }),
        EntityKind::DomesticOffer => json!({
            "supplier_id": id(EntityKind::Organisation), "product_code": "ai-camera",
            "bom_line_id": id(EntityKind::BomLine), "component": null, "unit_cost_vnd": 1_300_000,
            "domestic_share_percent": 70, "earliest_delivery_on": "2026-09-01", "trl": 7,
            "offered_on": "2026-03-01", "valid_until": null
        }),
        governance => governance_sample(governance, refs),
    }
}

/// Samples of the records about running the programme.
fn governance_sample(kind: EntityKind, refs: &BTreeMap<EntityKind, Uuid>) -> Value {
    let id = |k: EntityKind| refs.get(&k).map(ToString::to_string);
    match kind {
        EntityKind::TaskMilestone => json!({
            "task_id": id(EntityKind::Task), "name": "Mô hình 7B đầu tiên", "due_on": "2026-06-30", "completed_on": null
        }),
        EntityKind::Deliverable => json!({
            "task_id": id(EntityKind::Task), "name": "Mô hình 70B", "acceptance_criteria": "Điểm VMLU ≥ 70",
            "due_on": "2027-12-31", "delivered_on": null
        }),
        EntityKind::ProgressReport => json!({
            "task_id": id(EntityKind::Task), "year": 2026, "quarter": 2, "progress_percent": 40,
            "summary": "Hoàn thành thu thập dữ liệu", "spent_central_state_vnd": 9_000_000_000_i64,
            "spent_local_state_vnd": 0, "spent_enterprise_vnd": 2_000_000_000_i64, "spent_private_vnd": 0,
            "spent_other_vnd": 0, "outputs": "Bộ dữ liệu 2TB", "risks": "Thiếu GPU", "status": "draft",
            "submitted_on": null, "reviewed_on": null, "return_reason": null
        }),
        EntityKind::Appointment => json!({
            "person_id": id(EntityKind::Person), "role": "chief_engineer", "product_code": "llm",
            "task_group_code": "research-development", "appointed_on": "2025-11-15",
            "decision_number": "123/QĐ-BKHCN", "ends_on": null
        }),
        EntityKind::TaskForceDocument => json!({
            "kind": "membership_decision", "number": "456/QĐ-BKHCN", "issued_on": "2025-11-20",
            "title": "Quyết định thành lập Tổ công tác triển khai Chương trình"
        }),
        EntityKind::TaskForceMember => json!({
            "person_id": id(EntityKind::Person), "position": "head", "office": "Bộ trưởng Bộ Khoa học và Công nghệ",
            "decision_id": id(EntityKind::TaskForceDocument), "from_on": "2025-11-20", "until_on": null
        }),
        EntityKind::Disbursement => json!({
            "budget_line_id": id(EntityKind::BudgetLine), "disbursed_on": "2026-03-01", "amount_vnd": 5_000_000_000_i64,
            "document": "Ủy nhiệm chi số 12"
        }),
        EntityKind::Proposal => json!({
            "task_id": id(EntityKind::Task), "organisation_id": id(EntityKind::Organisation),
            "lead_person_id": id(EntityKind::Person), "title": "Đề xuất thực hiện", "summary": null,
            "submitted_on": "2025-12-01", "status": "submitted"
        }),
        EntityKind::ProposalReview => json!({
            "proposal_id": id(EntityKind::Proposal), "reviewer_id": id(EntityKind::Person), "national_problem": 8,
            "commercialisation": 7, "core_technology": 9, "comment": null, "reviewed_on": "2025-12-10"
        }),
        EntityKind::Commentary => json!({
            "product_code": "llm", "year": 2026, "quarter": 3, "written_on": "2026-10-05",
            "progress": "Mô hình 7B đạt mức chủ yếu", "risks": "Thiếu GPU", "actions": "Đặt hàng cụm máy chủ trong nước"
        }),
        other => unreachable!("{other:?} has its sample in `sample`"),
    }
}

/// A typed record from JSON, panicking with the field on failure (test input is ours).
pub fn parse<T: Record>(value: Value) -> T {
    cncl_domain::parse_value(value).unwrap_or_else(|e| panic!("sample {:?} invalid: {e}", T::KIND))
}

/// Insert one record of every kind, in dependency order; returns the id of each.
pub async fn insert_one_of_each(store: &Store) -> BTreeMap<EntityKind, Uuid> {
    let mut refs = BTreeMap::new();
    let mut tx = store.begin(crate::writer("testkit")).await.expect("begin");
    for kind in DEPENDENCY_ORDER {
        let id = Uuid::now_v7();
        let value = sample(kind, &refs);
        with_record_type!(kind, T => {
            let record: T = parse(value);
            tx.insert(id.into(), &record).await.unwrap_or_else(|e| panic!("insert {kind:?}: {e}"));
        });
        refs.insert(kind, id);
    }
    tx.commit().await.expect("commit");
    refs
}
