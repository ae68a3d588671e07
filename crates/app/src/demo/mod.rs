//! The demo data set: clearly fictional organisations, people, tasks, outputs, product
//! models and bills of materials across all six products, rich enough that every criterion
//! of the programme has data. Every record goes through the same use-cases as a user's.
//! Names carry "(dữ liệu mẫu)" / demo tax codes start with 999 so nobody mistakes them for
//! real bodies.

pub mod national;

use chrono::NaiveDate;
use cncl_domain::{Record, Stored};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{App, AppError, ListQuery};

/// The tax code of the first demo organisation: its presence means the demo is loaded.
const MARKER_TAX_CODE: &str = "9990000001";

/// What the demo loader did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoOutcome {
    Loaded { records: usize },
    AlreadyPresent,
}

struct Loader<'a> {
    app: &'a App,
    records: usize,
}

impl Loader<'_> {
    async fn add<T: Record>(&mut self, value: Value) -> Result<Uuid, AppError> {
        let record: T = cncl_domain::parse_value(value)?;
        let Stored { id, .. } = self.app.create(record).await?;
        self.records += 1;
        Ok(id)
    }
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

const PROVINCES: [&str; 6] = ["Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Bắc Ninh", "Cần Thơ"];

fn date(y: i32, m: u32, d: u32) -> String {
    NaiveDate::from_ymd_opt(y, m, d).map(|d| d.to_string()).unwrap_or_default()
}

fn tax_code(n: usize) -> String {
    format!("999{n:07}")
}

/// Organisations of the demo, by role.
struct Orgs {
    makers: Vec<Uuid>,
    institutes: Vec<Uuid>,
    suppliers: Vec<Uuid>,
}

impl App {
    /// Load the demo data set unless it is already there.
    pub async fn load_demo(&self) -> Result<DemoOutcome, AppError> {
        let marker = ListQuery::default();
        let already = self
            .list::<cncl_domain::organisation::Organisation>(&ListQuery { per_page: Some(1), ..marker })
            .await?
            .items
            .iter()
            .any(|o| o.record.tax_code.as_str() == MARKER_TAX_CODE);
        if already {
            return Ok(DemoOutcome::AlreadyPresent);
        }
        let mut loader = Loader { app: self, records: 0 };
        let orgs = organisations(&mut loader).await?;
        national_figures(&mut loader, &orgs).await?;
        for (p, (product, stem)) in PRODUCTS.iter().enumerate() {
            let people = product_people(&mut loader, &orgs, p).await?;
            technologies(&mut loader, product, p).await?;
            tasks(&mut loader, &orgs, &people, product, stem, p).await?;
            models(&mut loader, &orgs, product, stem, p).await?;
        }
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
            for (step, on) in [date(2025, 12, 31), date(2026, 6, 30), date(2026, 9, 30)].into_iter().enumerate() {
                let rung = (start + step).min(ladder.len() - 1);
                l.add::<TechnologyAssessment>(json!({
                    "technology_id": id, "assessed_on": on, "trl": 3 + rung + step / 2, "mastery": ladder[rung],
                    "evidence": format!("Biên bản đánh giá {on} (mẫu)"), "assessor_id": null
                }))
                .await?;
            }
        }
    }
    Ok(())
}

/// Every lifecycle status appears for every product, so each page has real examples.
const TASK_STATUSES: [&str; 10] = [
    "draft",
    "ordered",
    "assigned",
    "in_progress",
    "in_progress",
    "submitted",
    "accepted",
    "accepted",
    "rejected",
    "cancelled",
];

async fn tasks(
    l: &mut Loader<'_>,
    orgs: &Orgs,
    people: &[Uuid],
    product: &str,
    stem: &str,
    p: usize,
) -> Result<(), AppError> {
    use cncl_domain::task::Task;
    let dual_use_product = matches!(product, "amr" | "uav" | "5g" | "ai-camera");
    for (t, status) in TASK_STATUSES.iter().enumerate() {
        // Half of the cancelled tasks were cancelled after assignment, half before.
        let cancelled_early = *status == "cancelled" && t % 2 == 1;
        let assigned = !(matches!(*status, "draft" | "ordered") || cancelled_early);
        let complete = assigned || *status == "ordered";
        // One running task per product is missing its approving body: the 7-clear check
        // has something to find.
        let missing_authority = *status == "in_progress" && t == 4;
        let id = l
            .add::<Task>(json!({
                "code": format!("{}-{:02}", product.to_uppercase(), t + 1),
                "title": format!("{stem}: nhiệm vụ {} (mẫu)", t + 1),
                "product_code": product,
                "task_group_code": if t == 9 { "human-resources" } else if t == 1 { "innovation-market" } else { "research-development" },
                "origin": if *status == "draft" || t == 3 { "self_proposed" } else { "ordered" },
                "is_research": (2..=8).contains(&t),
                "dual_use": dual_use_product && (3..=7).contains(&t),
                "status": status,
                "lead_person_id": assigned.then(|| people[2 + t % 2]),
                "scope": complete.then(|| format!("Nghiên cứu, phát triển {stem} giai đoạn {}", t + 1)),
                "responsibility": assigned.then_some("Đơn vị chủ trì chịu trách nhiệm toàn bộ kết quả; đơn vị phối hợp theo hợp đồng"),
                "starts_on": complete.then(|| date(2026, 1 + (t % 3) as u32, 1)),
                "ends_on": complete.then(|| date(2027 + (t % 3) as i32, 12, 31)),
                "approving_body": (assigned && !missing_authority).then_some("Bộ Khoa học và Công nghệ"),
                "delegated_authority": assigned.then_some("Điều chỉnh dự toán trong phạm vi 10 %"),
                "expected_product": complete.then(|| format!("Sản phẩm {stem} đạt chỉ tiêu kỹ thuật")),
                "budget_ceiling_vnd": complete.then_some(80_000_000_000_i64 + 5_000_000_000 * t as i64),
                "assigned_on": assigned.then(|| date(2025, 11, 10 + t as u32)),
                "accepted_on": (*status == "accepted").then(|| date(2026, 6 + t as u32 % 3, 20)),
            }))
            .await?;
        if assigned || *status == "ordered" {
            task_links(l, orgs, id, p, t, assigned).await?;
        }
        if (2..=8).contains(&t) && assigned && *status != "assigned" {
            task_outputs(l, id, t, dual_use_product && (3..=7).contains(&t)).await?;
        }
    }
    Ok(())
}

async fn task_links(
    l: &mut Loader<'_>,
    orgs: &Orgs,
    task: Uuid,
    p: usize,
    t: usize,
    assigned: bool,
) -> Result<(), AppError> {
    use cncl_domain::task::{BudgetLine, TaskParticipant};
    if assigned {
        let lead = orgs.makers[p * 6 + t % 6];
        let partner = orgs.institutes[(p * 2 + t) % orgs.institutes.len()];
        let supplier = orgs.suppliers[(p * 4 + t) % orgs.suppliers.len()];
        for (org, role) in [(lead, "lead"), (partner, "participant"), (supplier, "supporting_supplier")] {
            l.add::<TaskParticipant>(json!({"task_id": task, "organisation_id": org, "role": role})).await?;
        }
    }
    let base = 10_000_000_000_i64 + 1_000_000_000 * (t as i64);
    for (year, source, amount) in [
        (2026, "central_state", base * 3),
        (2026, "enterprise", base),
        (2027, "central_state", base * 2),
        (2027, "local_state", base / 2),
        (2027, "private", base / 4),
    ] {
        l.add::<BudgetLine>(json!({"task_id": task, "year": year, "source": source, "amount_vnd": amount})).await?;
    }
    Ok(())
}

async fn task_outputs(l: &mut Loader<'_>, task: Uuid, t: usize, dual_use: bool) -> Result<(), AppError> {
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

/// Two models per product, each with a three-level bill of materials, cost lines and sales.
async fn models(l: &mut Loader<'_>, orgs: &Orgs, product: &str, stem: &str, p: usize) -> Result<(), AppError> {
    use cncl_domain::market::{CostLine, MarketSize, ModelSales, ProductModel};
    for m in 0..2_i64 {
        let price = 20_000_000 + 5_000_000 * (p as i64) + 8_000_000 * m;
        let model = l
            .add::<ProductModel>(json!({
                "product_code": product, "maker_id": orgs.makers[p * 6 + m as usize], "name": format!("{stem} M{} (mẫu)", m + 1),
                "selling_price_vnd": price, "launched_on": date(2026, 3 + m as u32, 1)
            }))
            .await?;
        bill_of_materials(l, orgs, model, p, m).await?;
        for (category, origin, share) in [
            ("materials", "domestic", 25),
            ("materials", "imported", 20),
            ("labour", "domestic", 15),
            ("overhead", "domestic", 8),
            ("services", "foreign", 5 + 3 * m),
        ] {
            l.add::<CostLine>(json!({"model_id": model, "category": category, "origin": origin, "amount_vnd": price * share / 100, "description": null}))
                .await?;
        }
        for (year, units) in
            [(2026, 2_000 + 700 * (p as i64) + 1_500 * m), (2027, 3_500 + 900 * (p as i64) + 1_000 * m)]
        {
            l.add::<ModelSales>(
                json!({"model_id": model, "year": year, "domestic_units": units, "export_units": units / 10}),
            )
            .await?;
        }
    }
    for (year, size) in [(2025, 2_000_000_000_000_i64), (2026, 2_400_000_000_000), (2027, 2_900_000_000_000)] {
        l.add::<MarketSize>(json!({"product_code": product, "year": year, "domestic_vnd": size + 150_000_000_000 * p as i64, "source": "Ước tính thị trường (mẫu)"}))
            .await?;
    }
    Ok(())
}

async fn bill_of_materials(l: &mut Loader<'_>, orgs: &Orgs, model: Uuid, p: usize, m: i64) -> Result<(), AppError> {
    use cncl_domain::market::BomLine;
    let supplier = |k: usize| orgs.suppliers[(p * 3 + k) % orgs.suppliers.len()];
    let line =
        |parent: Option<Uuid>, component: &str, quantity: i64, cost: i64, origin: &str, supplier: Option<Uuid>| {
            json!({"model_id": model, "parent_line_id": parent, "component": component, "quantity": quantity,
               "unit_cost_vnd": cost, "origin": origin, "supplier_id": supplier})
        };
    // Level 1: a domestic main board (a sub-assembly), an imported sensor, a domestic case.
    let board = l
        .add::<BomLine>(line(None, "Bo mạch chính (mẫu)", 1, 6_000_000 + 500_000 * m, "domestic", Some(supplier(0))))
        .await?;
    l.add::<BomLine>(line(None, "Cảm biến / ăng-ten (mẫu)", 2, 1_500_000, "imported", None)).await?;
    l.add::<BomLine>(line(None, "Vỏ và cơ khí (mẫu)", 1, 900_000, "domestic", Some(supplier(1)))).await?;
    // Level 2: what the board is made of; the SoC module is itself a sub-assembly.
    let module =
        l.add::<BomLine>(line(Some(board), "Mô-đun SoC (mẫu)", 1, 3_500_000, "domestic", Some(supplier(2)))).await?;
    l.add::<BomLine>(line(Some(board), "Mạch in PCB (mẫu)", 1, 700_000, "domestic", Some(supplier(1)))).await?;
    l.add::<BomLine>(line(Some(board), "Linh kiện thụ động (mẫu)", 40, 15_000, "imported", None)).await?;
    // Level 3: the SoC module's chip is imported; its firmware is domestic.
    l.add::<BomLine>(line(Some(module), "Chip xử lý (mẫu)", 1, 2_400_000 - 200_000 * (p as i64 % 3), "imported", None))
        .await?;
    l.add::<BomLine>(line(Some(module), "Phần mềm nhúng (mẫu)", 1, 800_000, "domestic", Some(supplier(2)))).await?;
    Ok(())
}
