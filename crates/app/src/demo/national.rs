//! `cncl demo --scale national`: a large synthetic programme for load and benchmark work —
//! 10,000 organisations, 50,000 tasks, 500,000 outputs, 1,000,000 bill-of-materials lines
//! (six levels deep) and the rest in proportion. Deterministic: the same run gives the same
//! data but for the ids. Written in one transaction through the store's bulk path, so the
//! data set is either all there or not there at all.

use chrono::{Duration, NaiveDate};
use cncl_domain::ids::{BomLineId, ProductModelId};
use cncl_domain::market::{BomLine, Origin};
use cncl_domain::values::{Quantity, Text, Vnd};
use cncl_domain::{Record, parse_value};
use cncl_store::Tx;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::{App, AppError};

/// The tax code of the first national-scale organisation: its presence means the data set
/// is loaded.
const MARKER_TAX_CODE: &str = "9980000000";

/// How big the generated programme is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    pub organisations: usize,
    pub tasks: usize,
    pub outputs_per_task: usize,
    pub models: usize,
    pub bom_lines_per_model: usize,
}

impl Scale {
    /// The national scale the benchmarks are measured at.
    pub const NATIONAL: Scale =
        Scale { organisations: 10_000, tasks: 50_000, outputs_per_task: 10, models: 10_000, bom_lines_per_model: 100 };

    /// Records this scale writes, for progress reporting.
    pub fn total_records(&self) -> u64 {
        let per_task = 1 + 3 + 2 + self.outputs_per_task;
        let per_model = 1 + self.bom_lines_per_model + 4 + 2;
        (self.organisations
            + self.organisations / 5
            + self.organisations
            + self.tasks * per_task
            + self.models * per_model
            + PRODUCTS.len() * OFFERS_PER_PRODUCT) as u64
    }
}

/// Reports progress: records written so far, and in all.
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Sync);

const PRODUCTS: [&str; 6] = ["llm", "ai-camera", "amr", "5g", "blockchain", "uav"];
const CHUNK: usize = 5_000;
/// Domestic offers per product, each for the parts every bill names.
const OFFERS_PER_PRODUCT: usize = 8;

fn day(offset: i64) -> String {
    let start = NaiveDate::from_ymd_opt(2025, 11, 1).unwrap_or_default();
    (start + Duration::days(offset)).to_string()
}

/// Writes records in chunks and reports progress.
struct Writer<'a> {
    tx: Tx,
    done: u64,
    total: u64,
    progress: Progress<'a>,
}

impl Writer<'_> {
    async fn write<T: Record>(&mut self, records: Vec<(Uuid, T)>) -> Result<(), AppError> {
        for chunk in records.chunks(CHUNK) {
            self.tx.insert_many(chunk).await?;
            self.done += chunk.len() as u64;
            (self.progress)(self.done, self.total);
        }
        Ok(())
    }

    /// Generate `count` records from JSON (validated like any input) and write them.
    async fn generate<T: Record>(
        &mut self,
        count: usize,
        make: impl Fn(usize) -> Value,
    ) -> Result<Vec<Uuid>, AppError> {
        let mut ids = Vec::with_capacity(count);
        for start in (0..count).step_by(CHUNK) {
            let mut records = Vec::with_capacity(CHUNK);
            for i in start..(start + CHUNK).min(count) {
                let id = Uuid::now_v7();
                records.push((id, parse_value::<T>(make(i))?));
                ids.push(id);
            }
            self.write(records).await?;
        }
        Ok(ids)
    }
}

impl App {
    /// Generate the national-scale data set unless it is already there. Returns the records
    /// written (0 when already present).
    pub async fn load_national_demo(
        &self,
        actor: &crate::Actor,
        scale: Scale,
        progress: Progress<'_>,
    ) -> Result<u64, AppError> {
        crate::policy::office(actor, true)?;
        if self.organisation_with_tax_code(MARKER_TAX_CODE).await? {
            return Ok(0);
        }
        let mut w =
            Writer { tx: self.store.begin(self.writer(actor)).await?, done: 0, total: scale.total_records(), progress };
        let (organisations, people) = organisations(&mut w, scale).await?;
        let tasks = tasks(&mut w, scale, &organisations, &people).await?;
        outputs(&mut w, scale, &tasks).await?;
        models(&mut w, scale, &organisations).await?;
        programme_figures(&mut w, &organisations).await?;
        let written = w.done;
        w.tx.commit().await?;
        Ok(written)
    }

    async fn organisation_with_tax_code(&self, tax_code: &str) -> Result<bool, AppError> {
        Ok(self.store.organisation_by_tax_code(tax_code).await?.is_some())
    }
}

/// Organisations, their certifications and one person each.
async fn organisations(w: &mut Writer<'_>, scale: Scale) -> Result<(Vec<Uuid>, Vec<Uuid>), AppError> {
    use cncl_domain::organisation::{Certification, Organisation, Person};
    let n = scale.organisations;
    let ids = w
        .generate::<Organisation>(n, |i| {
            let kind = match i % 20 {
                0..=13 => "enterprise",
                14..=16 => "research_institute",
                _ => "university",
            };
            json!({"name": format!("Tổ chức mẫu quy mô quốc gia {i}"), "kind": kind, "tax_code": format!("998{i:07}"),
                   "province": "Hà Nội", "ownership": "private", "scale_usd": 1_000_000 * (i as i64 % 2_000)})
        })
        .await?;
    let certified = ids.clone();
    w.generate::<Certification>(n / 5, |i| {
        json!({"organisation_id": certified[i * 5], "standard": "ISO 9001:2015", "certified_on": day(i as i64 % 300), "certifier": null, "expires_on": null})
    })
    .await?;
    let employers = ids.clone();
    let people = w
        .generate::<Person>(n, |i| {
            json!({"full_name": format!("Người mẫu {i}"), "organisation_id": employers[i], "roles": ["task_lead"], "expert_origin": "domestic", "title": null})
        })
        .await?;
    Ok((ids, people))
}

async fn tasks(
    w: &mut Writer<'_>,
    scale: Scale,
    organisations: &[Uuid],
    people: &[Uuid],
) -> Result<Vec<Uuid>, AppError> {
    use cncl_domain::task::{BudgetLine, Task, TaskParticipant};
    let statuses = [
        "draft",
        "ordered",
        "assigned",
        "in_progress",
        "in_progress",
        "in_progress",
        "submitted",
        "accepted",
        "accepted",
        "rejected",
    ];
    let ids = w
        .generate::<Task>(scale.tasks, |i| {
            let status = statuses[i % statuses.len()];
            let assigned = !matches!(status, "draft" | "ordered");
            json!({"code": format!("NQ-{i:06}"), "title": format!("Nhiệm vụ mẫu {i}"), "product_code": PRODUCTS[i % 6],
                   "task_group_code": "research-development", "origin": "ordered", "is_research": i % 7 < 5, "dual_use": i % 3 == 0,
                   "status": status, "lead_person_id": assigned.then(|| people[i % people.len()]), "scope": "Phạm vi", "responsibility": "Trách nhiệm",
                   "starts_on": day(0), "ends_on": day(900), "approving_body": "Bộ KH&CN", "delegated_authority": "Ủy quyền",
                   "expected_product": "Sản phẩm", "budget_ceiling_vnd": 10_000_000_000_i64,
                   "assigned_on": assigned.then(|| day(i as i64 % 360)),
                   "accepted_on": (status == "accepted").then(|| day(360 + i as i64 % 20))})
        })
        .await?;
    let roles = ["lead", "participant", "supporting_supplier"];
    let task_ids = ids.clone();
    let n_orgs = organisations.len();
    w.generate::<TaskParticipant>(scale.tasks * 3, |i| {
        let (task, k) = (i / 3, i % 3);
        json!({"task_id": task_ids[task], "organisation_id": organisations[(task * 7 + k * 1_237) % n_orgs], "role": roles[k]})
    })
    .await?;
    let sources = ["central_state", "enterprise"];
    w.generate::<BudgetLine>(scale.tasks * 2, |i| {
        json!({"task_id": task_ids[i / 2], "year": 2026, "source": sources[i % 2], "amount_vnd": 1_000_000_000_i64 + i as i64})
    })
    .await?;
    Ok(ids)
}

async fn outputs(w: &mut Writer<'_>, scale: Scale, tasks: &[Uuid]) -> Result<(), AppError> {
    use cncl_domain::output::{DualUseDemonstration, IpApplication, Publication, ResearchOutcome};
    let n = tasks.len() * scale.outputs_per_task;
    let task_of = |i: usize| tasks[i % tasks.len()];
    w.generate::<Publication>(n * 3 / 10, |i| {
        json!({"task_id": task_of(i), "title": "Bài báo mẫu", "journal": "Tạp chí mẫu", "issn": "1859-4794",
               "accredited": i % 4 != 0, "published_on": day(30 + i as i64 % 360), "doi": null})
    })
    .await?;
    w.generate::<IpApplication>(n / 5, |i| {
        json!({"task_id": task_of(i), "title": "Sáng chế mẫu", "kind": "invention_patent", "number": format!("1-2026-{i:06}"),
               "filed_on": day(i as i64 % 300), "accepted_on": (i % 3 != 0).then(|| day(30 + i as i64 % 300)), "granted_on": null})
    })
    .await?;
    w.generate::<ResearchOutcome>(n * 2 / 5, |i| {
        let applied = i % 5 != 0;
        json!({"task_id": task_of(i), "title": "Kết quả mẫu", "kind": "prototype", "recorded_on": day(i as i64 % 300),
               "application": applied.then_some("integrated"), "applied_on": applied.then(|| day(60 + i as i64 % 300)),
               "application_evidence": applied.then_some("Hợp đồng")})
    })
    .await?;
    w.generate::<DualUseDemonstration>(n / 10, |i| {
        json!({"task_id": task_of(i), "sector": if i % 2 == 0 { "civil" } else { "defence" },
               "demonstrated_on": day(100 + i as i64 % 250), "description": "Trình diễn mẫu"})
    })
    .await?;
    Ok(())
}

async fn models(w: &mut Writer<'_>, scale: Scale, organisations: &[Uuid]) -> Result<(), AppError> {
    use cncl_domain::market::{CostLine, ModelSales, ProductModel};
    let ids = w
        .generate::<ProductModel>(scale.models, |i| {
            // One model in four is priced low, below the 60 % value-added target.
            let price = if i % 4 == 0 { 5_500_000 + 100 * i as i64 } else { 10_000_000 + 1_000 * i as i64 };
            json!({"product_code": PRODUCTS[i % 6], "maker_id": organisations[i % organisations.len()], "name": format!("Mẫu {i}"),
                   "selling_price_vnd": price, "launched_on": day(i as i64 % 200)})
        })
        .await?;
    let component = Text::parse("Linh kiện mẫu").map_err(|e| e.at("component"))?;
    for chunk in ids.chunks(CHUNK / scale.bom_lines_per_model.max(1)) {
        let mut lines = Vec::with_capacity(chunk.len() * scale.bom_lines_per_model);
        for &model in chunk {
            bill_of_materials(model, scale.bom_lines_per_model, &component, &mut lines)?;
        }
        w.write(lines).await?;
    }
    // Every bill has the same costs: its materials cost line states what the bill costs.
    let materials = bill_cost(scale.bom_lines_per_model);
    let categories =
        [("materials", "domestic"), ("labour", "domestic"), ("overhead", "domestic"), ("services", "foreign")];
    let model_ids = ids.clone();
    w.generate::<CostLine>(scale.models * 4, |i| {
        let (category, origin) = categories[i % 4];
        let amount = if i % 4 == 0 { materials } else { 1_000_000 + (i as i64 % 7) * 100_000 };
        json!({"model_id": model_ids[i / 4], "category": category, "origin": origin, "amount_vnd": amount, "description": null})
    })
    .await?;
    offers(w, organisations).await?;
    w.generate::<ModelSales>(scale.models * 2, |i| {
        json!({"model_id": model_ids[i / 2], "year": 2025 + (i % 2) as i64, "domestic_units": 100 + i as i64 % 900, "export_units": i as i64 % 50})
    })
    .await?;
    Ok(())
}

/// Whether line k of a generated bill is a sub-assembly: line k's parent is line
/// (k − 2) / 2 (lines 0 and 1 are top-level), so its parts are lines 2k + 2 and 2k + 3.
fn has_children(k: usize, count: usize) -> bool {
    2 * k + 2 < count
}

/// Sub-assemblies once each; parts one to three at a time.
fn quantity(k: usize, count: usize) -> i64 {
    if has_children(k, count) { 1 } else { 1 + (k % 3) as i64 }
}

/// The unit costs of a generated bill's lines: a part 10,000–26,000 đồng; a sub-assembly
/// what its parts cost plus 5,000 for assembling them, so that a sub-assembly's cost holds
/// its content as a real bill's does.
fn unit_costs(count: usize) -> Vec<i64> {
    let mut cost = vec![0_i64; count];
    for k in (0..count).rev() {
        cost[k] = if has_children(k, count) {
            let parts = [2 * k + 2, 2 * k + 3].into_iter().filter(|&c| c < count);
            5_000 + parts.map(|c| quantity(c, count) * cost[c]).sum::<i64>()
        } else {
            10_000 + 1_000 * (k % 17) as i64
        };
    }
    cost
}

/// What one generated bill costs: its top-level lines.
fn bill_cost(count: usize) -> i64 {
    let cost = unit_costs(count);
    (0..count.min(2)).map(|k| quantity(k, count) * cost[k]).sum()
}

/// A six-level bill: leaves alternate imported and domestic, sub-assemblies are domestic.
fn bill_of_materials(
    model: Uuid,
    count: usize,
    component: &Text,
    out: &mut Vec<(Uuid, BomLine)>,
) -> Result<(), AppError> {
    let first = out.len();
    let costs = unit_costs(count);
    for k in 0..count {
        let parent = (k >= 2).then(|| out[first + (k - 2) / 2].0);
        let origin = if has_children(k, count) || k % 3 == 0 { Origin::Domestic } else { Origin::Imported };
        let line = BomLine {
            model_id: ProductModelId(model),
            parent_line_id: parent.map(BomLineId),
            component: component.clone(),
            quantity: Quantity::new(quantity(k, count)).map_err(|e| e.at("quantity"))?,
            unit_cost_vnd: Vnd::new(costs[k]).map_err(|e| e.at("unit_cost_vnd"))?,
            origin,
            supplier_id: None,
        };
        line.check()?;
        out.push((Uuid::now_v7(), line));
    }
    Ok(())
}

/// Supporting enterprises' offers for the parts every bill names, per product: 12,000–26,000
/// đồng, 50–85 % domestic.
async fn offers(w: &mut Writer<'_>, organisations: &[Uuid]) -> Result<(), AppError> {
    use cncl_domain::market::DomesticOffer;
    w.generate::<DomesticOffer>(PRODUCTS.len() * OFFERS_PER_PRODUCT, |i| {
        let k = (i % OFFERS_PER_PRODUCT) as i64;
        json!({"supplier_id": organisations[(i * 37 + 11) % organisations.len()], "product_code": PRODUCTS[i / OFFERS_PER_PRODUCT],
               "bom_line_id": null, "component": "Linh kiện mẫu", "unit_cost_vnd": 12_000 + 2_000 * k,
               "domestic_share_percent": 50 + 5 * k, "earliest_delivery_on": day(400), "trl": 6 + k % 3,
               "offered_on": day(0), "valid_until": null})
    })
    .await?;
    Ok(())
}

/// Core technologies and their assessments, market sizes, and the programme-wide figures.
async fn programme_figures(w: &mut Writer<'_>, organisations: &[Uuid]) -> Result<(), AppError> {
    use cncl_domain::capacity::{Laboratory, StrategicIndustry, TrainingRecord};
    use cncl_domain::market::MarketSize;
    use cncl_domain::task::StateStSpending;
    use cncl_domain::technology::{CoreTechnology, TechnologyAssessment};
    let areas = w
        .generate::<CoreTechnology>(PRODUCTS.len() * 10, |i| {
            json!({"product_code": PRODUCTS[i / 10], "parent_id": null, "name": format!("Nhóm công nghệ {i}"), "weight": 1, "description": null})
        })
        .await?;
    let leaves = w
        .generate::<CoreTechnology>(areas.len() * 10, |i| {
            json!({"product_code": PRODUCTS[i / 100], "parent_id": areas[i / 10], "name": format!("Công nghệ {i}"), "weight": 1 + i as i64 % 3, "description": null})
        })
        .await?;
    let ladder = ["researching", "acquired", "prototype", "tested", "mastered"];
    w.generate::<TechnologyAssessment>(leaves.len() * 4, |i| {
        let (leaf, step) = (i / 4, i % 4);
        json!({"technology_id": leaves[leaf], "assessed_on": day(90 * step as i64), "trl": 3 + step as i64,
               "mastery": ladder[(leaf % 2 + step).min(4)], "evidence": "Biên bản", "assessor_id": null})
    })
    .await?;
    w.generate::<MarketSize>(PRODUCTS.len() * 3, |i| {
        json!({"product_code": PRODUCTS[i / 3], "year": 2025 + (i % 3) as i64, "domestic_vnd": 40_000_000_000_000_i64, "source": null})
    })
    .await?;
    w.generate::<StateStSpending>(
        3,
        |i| json!({"year": 2025 + i as i64, "amount_vnd": 900_000_000_000_000_i64, "source_document": null}),
    )
    .await?;
    w.generate::<TrainingRecord>(60, |i| {
        json!({"year": 2025 + (i % 3) as i64, "count": 200, "level": "engineer", "organisation_id": null, "product_code": PRODUCTS[i % 6], "course": null})
    })
    .await?;
    w.generate::<Laboratory>(10, |i| {
        json!({"name": format!("Phòng thí nghiệm {i}"), "kind": "national_key_laboratory", "open_model": i % 5 != 0,
               "organisation_id": organisations[i], "established_on": day(30 * i as i64)})
    })
    .await?;
    w.generate::<StrategicIndustry>(3, |i| {
        json!({"name": format!("Ngành công nghiệp {i}"), "product_codes": [PRODUCTS[i * 2]], "formed_on": day(120 * i as i64), "evidence": "Báo cáo"})
    })
    .await?;
    Ok(())
}
