//! The demo's people in charge and Task Force: chief engineers for five products (the UAV
//! product has none, so the office is warned), each with an assessment of the third and
//! fourth quarters of 2026, a chief architect for the first, and the Task Force headed by the
//! Minister with its membership decision and operating regulation.

use serde_json::json;
use uuid::Uuid;

use super::loader::{Loader, date};
use crate::AppError;

/// The product without anyone in charge, so that its warning shows.
pub(super) const PRODUCT_WITHOUT_CHIEF: &str = "uav";

pub(super) async fn people_in_charge(l: &mut Loader<'_>, product: &str, people: &[Uuid]) -> Result<(), AppError> {
    use cncl_domain::governance::Appointment;
    if product == PRODUCT_WITHOUT_CHIEF {
        return Ok(());
    }
    l.add::<Appointment>(json!({"person_id": people[0], "role": "chief_engineer", "product_code": product,
        "task_group_code": "research-development", "appointed_on": date(2025, 11, 15),
        "decision_number": format!("{}/QĐ-BKHCN (mẫu)", 1500 + people.len()), "ends_on": null}))
        .await?;
    commentaries(l, product).await?;
    if product == "llm" {
        l.add::<Appointment>(json!({"person_id": people[1], "role": "chief_architect", "product_code": product,
            "task_group_code": null, "appointed_on": date(2025, 12, 1), "decision_number": "1601/QĐ-BKHCN (mẫu)", "ends_on": null}))
            .await?;
    }
    Ok(())
}

/// The chief engineer's assessments of the third quarter of 2026 and, so far, the fourth.
async fn commentaries(l: &mut Loader<'_>, product: &str) -> Result<(), AppError> {
    use cncl_domain::governance::Commentary;
    let quarters = [
        (3, date(2026, 10, 5), "Hoàn thành thiết kế chi tiết; mẫu thử đầu tiên đạt yêu cầu (mẫu)."),
        (4, date(2026, 11, 28), "Mẫu thử thứ hai đang thử nghiệm tại doanh nghiệp dẫn dắt (mẫu)."),
    ];
    for (quarter, written_on, progress) in quarters {
        l.add::<Commentary>(json!({"product_code": product, "year": 2026, "quarter": quarter,
            "written_on": written_on, "progress": progress,
            "risks": "Linh kiện nhập khẩu chủ chốt giao chậm (mẫu).",
            "actions": "Đặt hàng nhà cung ứng trong nước cho cụm linh kiện thay thế (mẫu)."}))
            .await?;
    }
    Ok(())
}

pub(super) async fn task_force(l: &mut Loader<'_>, members: &[Uuid]) -> Result<(), AppError> {
    use cncl_domain::governance::{TaskForceDocument, TaskForceMember};
    use cncl_domain::organisation::Person;
    let minister = l
        .add::<Person>(json!({"full_name": "Bộ trưởng Bộ Khoa học và Công nghệ (mẫu)", "organisation_id": null,
            "roles": ["task_force_member"], "expert_origin": "domestic", "title": null}))
        .await?;
    let decision = l
        .add::<TaskForceDocument>(
            json!({"kind": "membership_decision", "number": "2900/QĐ-BKHCN (mẫu)", "issued_on": date(2025, 11, 20),
            "title": "Quyết định thành lập Tổ công tác triển khai Chương trình (mẫu)"}),
        )
        .await?;
    l.add::<TaskForceDocument>(
        json!({"kind": "operating_regulation", "number": "2901/QĐ-BKHCN (mẫu)", "issued_on": date(2025, 11, 25),
        "title": "Quy chế hoạt động của Tổ công tác (mẫu)"}),
    )
    .await?;
    let member = |person: Uuid, position: &str, office: &str| json!({"person_id": person, "position": position, "office": office, "decision_id": decision, "from_on": date(2025, 11, 20), "until_on": null});
    let roster = [
        member(minister, "head", "Bộ trưởng Bộ Khoa học và Công nghệ"),
        member(members[0], "deputy_head", "Thứ trưởng (mẫu)"),
        member(members[1], "member", "Vụ trưởng (mẫu)"),
    ];
    for entry in roster {
        l.add::<TaskForceMember>(entry).await?;
    }
    Ok(())
}
