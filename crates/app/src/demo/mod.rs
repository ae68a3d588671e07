//! The demo data set: clearly fictional organisations, people, tasks, outputs, product
//! models and bills of materials across all six products, rich enough that every criterion
//! of the programme has data. Every record goes through the same use-cases as a user's.
//! Names carry "(dữ liệu mẫu)" / demo tax codes start with 999 so nobody mistakes them for
//! real bodies.

mod governance;
mod loader;
mod market;
pub mod national;
mod outputs;
mod tasks;

use serde_json::json;
use uuid::Uuid;

use crate::{Actor, App, AppError, ListQuery};
use loader::{Loader, Orgs, date};

/// The tax code of the first demo organisation: its presence means the demo is loaded.
const MARKER_TAX_CODE: &str = "9990000001";

/// What the demo loader did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoOutcome {
    Loaded { records: usize },
    AlreadyPresent,
}

/// The products in the order of the reference data, with demo name stems.
const PRODUCTS: [(&str, &str); 6] = [
    ("llm", "Trợ lý Sen Vàng"),
    ("ai-camera", "Mắt Thần Biên"),
    ("amr", "Robot Hạc Xanh"),
    ("5g", "Trạm 5G Lạc Hồng"),
    ("blockchain", "Chuỗi Khối Tràng An"),
    ("uav", "UAV Cánh Diều"),
];

const PROVINCES: [&str; 6] = ["Hà Nội", "Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Bắc Ninh", "Cần Thơ"];

fn tax_code(n: usize) -> String {
    format!("999{n:07}")
}

impl App {
    /// Load the demo data set unless it is already there.
    pub async fn load_demo(&self, actor: &Actor) -> Result<DemoOutcome, AppError> {
        crate::policy::office(actor, true)?;
        let marker = ListQuery::default();
        let already = self
            .list::<cncl_domain::organisation::Organisation>(actor, &ListQuery { per_page: Some(1), ..marker })
            .await?
            .items
            .iter()
            .any(|o| o.record.tax_code.as_str() == MARKER_TAX_CODE);
        if already {
            return Ok(DemoOutcome::AlreadyPresent);
        }
        let mut loader = Loader { app: self, actor, records: 0 };
        let orgs = organisations(&mut loader).await?;
        national_figures(&mut loader, &orgs).await?;
        let mut leads = Vec::new();
        for (p, (product, stem)) in PRODUCTS.iter().enumerate() {
            let people = product_people(&mut loader, &orgs, p).await?;
            technologies(&mut loader, product, p).await?;
            governance::people_in_charge(&mut loader, product, &people).await?;
            tasks::tasks(&mut loader, &orgs, &tasks::ProductPeople { people: &people, product, stem, p }).await?;
            market::models(&mut loader, &orgs, product, stem, p).await?;
            leads.push(people[2]);
        }
        governance::task_force(&mut loader, &leads).await?;
        market::offers(&mut loader, &orgs).await?;
        Ok(DemoOutcome::Loaded { records: loader.records })
    }
}

async fn organisations(l: &mut Loader<'_>) -> Result<Orgs, AppError> {
    use cncl_domain::organisation::{Certification, Organisation};
    let mut orgs = Orgs { makers: vec![], institutes: vec![], suppliers: vec![] };
    let mut n = 1;
    for (p, (_, stem)) in PRODUCTS.iter().enumerate() {
        for k in 0..6 {
            // A few makers are large enough to count towards the USD 1 billion target.
            let scale: i64 =
                if k == 0 && p < 4 { 1_200_000_000 + 100_000_000 * p as i64 } else { 5_000_000 * (k as i64 + 1) };
            let id = l
                .add::<Organisation>(json!({
                    "name": format!("Công ty Cổ phần {stem} {} (dữ liệu mẫu)", k + 1),
                    "kind": "enterprise", "tax_code": tax_code(n), "province": PROVINCES[(p + k) % 6],
                    "ownership": if k % 3 == 2 { "state" } else { "private" }, "scale_usd": scale
                }))
                .await?;
            n += 1;
            if k < 2 {
                l.add::<Certification>(json!({
                    "organisation_id": id, "standard": if k == 0 { "ISO 9001:2015" } else { "ISO/IEC 27001:2022" },
                    "certified_on": date(2025, 3 + p as u32, 10), "certifier": "Tổ chức chứng nhận mẫu",
                    "expires_on": date(2028, 3 + p as u32, 9)
                }))
                .await?;
            }
            orgs.makers.push(id);
        }
    }
    for k in 0..12 {
        let (kind, name) = if k % 2 == 0 {
            ("research_institute", "Viện Nghiên cứu")
        } else {
            ("university", "Trường Đại học")
        };
        let id = l
            .add::<Organisation>(json!({
                "name": format!("{name} Công nghệ Mẫu số {} (dữ liệu mẫu)", k + 1), "kind": kind,
                "tax_code": tax_code(n), "province": PROVINCES[k % 6], "ownership": "state", "scale_usd": null
            }))
            .await?;
        n += 1;
        orgs.institutes.push(id);
    }
    for k in 0..24 {
        let id = l
            .add::<Organisation>(json!({
                "name": format!("Công ty TNHH Linh kiện Phụ trợ {} (dữ liệu mẫu)", k + 1), "kind": "enterprise",
                "tax_code": tax_code(n), "province": PROVINCES[k % 6],
                "ownership": if k % 4 == 0 { "foreign_invested" } else { "private" }, "scale_usd": 2_000_000
            }))
            .await?;
        n += 1;
        orgs.suppliers.push(id);
    }
    Ok(orgs)
}

/// Figures that belong to the programme as a whole: state S&T spending, training,
/// laboratories, strategic industries.
async fn national_figures(l: &mut Loader<'_>, orgs: &Orgs) -> Result<(), AppError> {
    use cncl_domain::capacity::{Laboratory, StrategicIndustry, TrainingRecord};
    use cncl_domain::task::StateStSpending;
    for (year, amount) in [(2025, 38_000_000_000_000_i64), (2026, 45_000_000_000_000), (2027, 52_000_000_000_000)] {
        l.add::<StateStSpending>(json!({"year": year, "amount_vnd": amount, "source_document": format!("Dự toán chi NSNN cho KH&CN năm {year} (mẫu)")}))
            .await?;
    }
    for (i, (product, _)) in PRODUCTS.iter().enumerate() {
        for (year, level, count) in [(2026, "engineer", 700), (2026, "researcher", 180), (2027, "expert", 60)] {
            l.add::<TrainingRecord>(json!({
                "year": year, "count": count + 10 * i, "level": level, "organisation_id": orgs.institutes[i],
                "product_code": product, "course": format!("Khóa đào tạo {level} {year} (mẫu)")
            }))
            .await?;
        }
    }
    for k in 0..8 {
        let kind = if k < 6 { "national_key_laboratory" } else { "testing_facility" };
        l.add::<Laboratory>(json!({
            "name": format!("Phòng thí nghiệm Mẫu {} (dữ liệu mẫu)", k + 1), "kind": kind, "open_model": k != 5,
            "organisation_id": orgs.institutes[k], "established_on": date(2026, 1 + k as u32, 15)
        }))
        .await?;
    }
    for (name, products, formed) in [
        ("Công nghiệp trí tuệ nhân tạo (mẫu)", json!(["llm", "ai-camera"]), date(2026, 9, 1)),
        ("Công nghiệp robot và UAV (mẫu)", json!(["amr", "uav"]), date(2027, 6, 1)),
    ] {
        l.add::<StrategicIndustry>(json!({"name": name, "product_codes": products, "formed_on": formed, "evidence": "Báo cáo đánh giá hình thành ngành (mẫu)"}))
            .await?;
    }
    Ok(())
}

/// The chief engineer, chief architect and task leads of a product.
async fn product_people(l: &mut Loader<'_>, orgs: &Orgs, p: usize) -> Result<Vec<Uuid>, AppError> {
    use cncl_domain::organisation::Person;
    let family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];
    let given = ["Minh Anh", "Quốc Bảo", "Thu Hà", "Đức Huy", "Lan Hương", "Văn Khoa"];
    let mut people = Vec::new();
    for k in 0..4 {
        let roles = match k {
            0 => json!(["chief_engineer"]),
            1 => json!(["chief_architect"]),
            2 => json!(["task_lead", "expert"]),
            _ => json!(["task_lead"]),
        };
        let origin = match (p + k) % 5 {
            0 => "overseas_vietnamese",
            4 if k == 2 => "foreign",
            _ => "domestic",
        };
        people.push(
            l.add::<Person>(json!({
                "full_name": format!("{} {} (mẫu)", family[(p + k) % 8], given[(p * 2 + k) % 6]),
                "organisation_id": if k == 2 { orgs.institutes[p] } else { orgs.makers[p * 6] },
                "roles": roles, "expert_origin": origin, "title": if k < 2 { Some("PGS.TS.") } else { None }
            }))
            .await?,
        );
    }
    Ok(people)
}

/// A core-technology tree of two areas with three leaves each, assessed three times.
async fn technologies(l: &mut Loader<'_>, product: &str, p: usize) -> Result<(), AppError> {
    use cncl_domain::technology::{CoreTechnology, TechnologyAssessment};
    let ladder = ["researching", "acquired", "prototype", "tested", "mastered"];
    for area in 0..2 {
        let parent = l
            .add::<CoreTechnology>(json!({
                "product_code": product, "parent_id": null, "name": format!("Nhóm công nghệ lõi {} (mẫu)", area + 1),
                "weight": 1, "description": null
            }))
            .await?;
        for leaf in 0..3 {
            let id = l
                .add::<CoreTechnology>(json!({
                    "product_code": product, "parent_id": parent,
                    "name": format!("Công nghệ {}.{} (mẫu)", area + 1, leaf + 1), "weight": 1 + leaf, "description": null
                }))
                .await?;
            // Each leaf climbs the ladder at its own pace; some reach "mastered" in 2026.
            let start = (p + area * 2 + leaf) % 3;
            for (step, (y, m, d)) in [(2025, 12, 31), (2026, 6, 30), (2026, 9, 30)].into_iter().enumerate() {
                let rung = (start + step).min(ladder.len() - 1);
                l.add::<TechnologyAssessment>(json!({
                    "technology_id": id, "assessed_on": date(y, m, d), "trl": 3 + rung + step / 2, "mastery": ladder[rung],
                    "evidence": format!("Biên bản đánh giá {d:02}/{m:02}/{y} (mẫu)"), "assessor_id": null
                }))
                .await?;
            }
        }
    }
    Ok(())
}
