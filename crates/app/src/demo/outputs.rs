//! The demo's research outputs: publications, IP applications, outcomes and dual-use
//! demonstrations.

use serde_json::json;
use uuid::Uuid;

use super::loader::{Loader, date};
use crate::AppError;

pub(super) async fn task_outputs(l: &mut Loader<'_>, task: Uuid, t: usize, dual_use: bool) -> Result<(), AppError> {
    use cncl_domain::output::{DualUseDemonstration, IpApplication, Publication, ResearchOutcome};
    l.add::<Publication>(json!({
        "task_id": task, "title": format!("Kết quả nghiên cứu nhiệm vụ {} (mẫu)", t + 1),
        "journal": if t % 4 == 3 { "Tạp chí Quốc tế Mẫu" } else { "Tạp chí Khoa học và Công nghệ Việt Nam" },
        "issn": if t % 4 == 3 { "2049-3630" } else { "1859-4794" }, "accredited": t % 4 != 3,
        "published_on": date(2026, 3 + (t % 6) as u32, 5), "doi": null
    }))
    .await?;
    l.add::<IpApplication>(json!({
        "task_id": task, "title": format!("Giải pháp kỹ thuật nhiệm vụ {} (mẫu)", t + 1),
        "kind": if t.is_multiple_of(2) { "invention_patent" } else { "utility_solution" },
        "number": format!("1-2026-{:05}", 100 + t), "filed_on": date(2026, 2, 1 + t as u32),
        "accepted_on": (t % 3 != 2).then(|| date(2026, 4, 1 + t as u32)), "granted_on": null
    }))
    .await?;
    for k in 0..2 {
        let applied = !(t + k).is_multiple_of(5);
        l.add::<ResearchOutcome>(json!({
            "task_id": task, "title": format!("Kết quả {} của nhiệm vụ {} (mẫu)", k + 1, t + 1),
            "kind": if k == 0 { "prototype" } else { "software" }, "recorded_on": date(2026, 2 + k as u32, 15),
            "application": applied.then_some(if k == 0 { "integrated" } else { "commercialised" }),
            "applied_on": applied.then(|| date(2026, 7 + k as u32, 1)),
            "application_evidence": applied.then_some("Hợp đồng chuyển giao (mẫu)")
        }))
        .await?;
    }
    if dual_use {
        let sectors: &[&str] = if t % 2 == 1 { &["civil", "defence"] } else { &["civil"] };
        for sector in sectors {
            l.add::<DualUseDemonstration>(json!({
                "task_id": task, "sector": sector, "demonstrated_on": date(2026, 8, 10 + t as u32),
                "description": format!("Trình diễn ứng dụng {sector} (mẫu)")
            }))
            .await?;
        }
    }
    Ok(())
}
