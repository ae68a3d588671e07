//! The demo's product models: two per product, each with a three-level bill of materials,
//! cost lines and sales, and the domestic market they sell into; and the supporting
//! enterprises' offers to make their imported parts at home.

use serde_json::json;
use uuid::Uuid;

use super::loader::{Loader, Orgs, date};
use crate::AppError;

/// Two models per product, each with a three-level bill of materials, cost lines and sales.
pub(super) async fn models(
    l: &mut Loader<'_>,
    orgs: &Orgs,
    product: &str,
    stem: &str,
    p: usize,
) -> Result<(), AppError> {
    use cncl_domain::market::{CostLine, MarketSize, ModelSales, ProductModel};
    for m in 0..2_i64 {
        let price = 20_000_000 + 5_000_000 * (p as i64) + 8_000_000 * m;
        let model = l
            .add::<ProductModel>(json!({
                "product_code": product, "maker_id": orgs.makers[p * 6 + m as usize], "name": format!("{stem} M{} (mẫu)", m + 1),
                "selling_price_vnd": price, "launched_on": date(2026, 3 + m as u32, 1)
            }))
            .await?;
        let bill_cost = bill_of_materials(l, orgs, model, p, m, price).await?;
        // The materials cost line agrees with the bill, except on the last product's second
        // model, which declares 12 % more: its C1b shows the mismatch warning.
        let materials = if p == 5 && m == 1 { bill_cost * 112 / 100 } else { bill_cost };
        l.add::<CostLine>(json!({"model_id": model, "category": "materials", "origin": "domestic", "amount_vnd": materials, "description": null}))
            .await?;
        for (category, origin, share) in
            [("labour", "domestic", 15), ("overhead", "domestic", 8), ("services", "foreign", 5 + 3 * m)]
        {
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

/// Products whose models import their sensors at a fifth of the price each: below the 60 %
/// value-added target (AMR, 5G, UAV).
const IMPORT_HEAVY: [usize; 3] = [2, 3, 5];

/// The model's three-level bill; returns its cost per unit (the top-level lines).
async fn bill_of_materials(
    l: &mut Loader<'_>,
    orgs: &Orgs,
    model: Uuid,
    p: usize,
    m: i64,
    price: i64,
) -> Result<i64, AppError> {
    use cncl_domain::market::BomLine;
    let supplier = |k: usize| orgs.suppliers[(p * 3 + k) % orgs.suppliers.len()];
    let line =
        |parent: Option<Uuid>, component: &str, quantity: i64, cost: i64, origin: &str, supplier: Option<Uuid>| {
            json!({"model_id": model, "parent_line_id": parent, "component": component, "quantity": quantity,
               "unit_cost_vnd": cost, "origin": origin, "supplier_id": supplier})
        };
    // Level 1: a domestic main board (a sub-assembly), an imported sensor, a domestic case.
    let board_cost = 6_000_000 + 500_000 * m;
    let board =
        l.add::<BomLine>(line(None, "Bo mạch chính (mẫu)", 1, board_cost, "domestic", Some(supplier(0)))).await?;
    let sensor = if IMPORT_HEAVY.contains(&p) { price * 17 / 100 } else { 1_500_000 };
    l.add::<BomLine>(line(None, SENSOR, 2, sensor, "imported", None)).await?;
    l.add::<BomLine>(line(None, "Vỏ và cơ khí (mẫu)", 1, 900_000, "domestic", Some(supplier(1)))).await?;
    // Level 2: what the board is made of; the SoC module is itself a sub-assembly.
    let module =
        l.add::<BomLine>(line(Some(board), "Mô-đun SoC (mẫu)", 1, 3_500_000, "domestic", Some(supplier(2)))).await?;
    l.add::<BomLine>(line(Some(board), "Mạch in PCB (mẫu)", 1, 700_000, "domestic", Some(supplier(1)))).await?;
    l.add::<BomLine>(line(Some(board), PASSIVES, 40, 15_000, "imported", None)).await?;
    // Level 3: the SoC module's chip is imported; its firmware is domestic.
    l.add::<BomLine>(line(Some(module), CHIP, 1, 2_400_000 - 200_000 * (p as i64 % 3), "imported", None)).await?;
    l.add::<BomLine>(line(Some(module), "Phần mềm nhúng (mẫu)", 1, 800_000, "domestic", Some(supplier(2)))).await?;
    Ok(board_cost + 2 * sensor + 900_000)
}

const SENSOR: &str = "Cảm biến / ăng-ten (mẫu)";
const PASSIVES: &str = "Linh kiện thụ động (mẫu)";
const CHIP: &str = "Chip xử lý (mẫu)";

/// Supporting enterprises' offers, by component name across a product's models: for AMR
/// and UAV the sensors can be made at home, so their roadmaps reach 60 %; for 5G only the
/// passive parts and the chip are offered, which cannot close the gap.
pub(super) async fn offers(l: &mut Loader<'_>, orgs: &Orgs) -> Result<(), AppError> {
    use cncl_domain::market::DomesticOffer;
    // (product, component, supplier, unit cost, domestic share %, TRL)
    let offers: [(&str, &str, usize, i64, i64, i64); 8] = [
        ("amr", SENSOR, 0, 6_100_000, 75, 7),
        ("amr", SENSOR, 1, 5_600_000, 55, 6),
        ("amr", CHIP, 2, 2_600_000, 45, 6),
        ("uav", SENSOR, 1, 9_300_000, 80, 8),
        ("uav", SENSOR, 2, 8_700_000, 60, 7),
        ("uav", PASSIVES, 0, 17_000, 90, 9),
        ("5g", PASSIVES, 1, 18_000, 80, 9),
        ("5g", CHIP, 2, 2_900_000, 40, 5),
    ];
    for (product, component, supplier, cost, share, trl) in offers {
        l.add::<DomesticOffer>(json!({
            "supplier_id": orgs.suppliers[supplier % orgs.suppliers.len()], "product_code": product,
            "bom_line_id": null, "component": component, "unit_cost_vnd": cost,
            "domestic_share_percent": share, "earliest_delivery_on": date(2027, 3, 1), "trl": trl,
            "offered_on": date(2026, 6, 1), "valid_until": date(2027, 12, 31)
        }))
        .await?;
    }
    Ok(())
}
