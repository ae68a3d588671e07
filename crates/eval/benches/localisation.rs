//! The localisation planner on one large model: 5,000 BOM lines (500 domestic
//! sub-assemblies of 9 parts, 4,000 of them imported) and 20,000 offers from supporting
//! enterprises, 5 per imported part, solved exactly. `cargo bench -p cncl-eval --bench
//! localisation`; figures in docs/benchmarks.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use chrono::NaiveDate;
use cncl_domain::market::{CostCategory, Origin};
use cncl_eval::criteria::{DECISION_2815, parse_criteria_set};
use cncl_eval::facts::{BomLineFact, CostLineFact, Facts, ModelFact, SalesFact};
use cncl_eval::indicators::Prepared;
use cncl_eval::localisation::{Offer, Planner, Targets};
use criterion::{Criterion, criterion_group, criterion_main};
use uuid::Uuid;

/// A fixed pseudo-random sequence (xorshift), so every run plans the same model.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Five offers for an imported part, at 100–160 % of its cost and 30–100 % domestic.
fn offer_five(random: &mut Random, line: Uuid, unit: i64, offers: &mut Vec<Offer>) {
    for _ in 0..5 {
        offers.push(Offer {
            id: Uuid::from_u128(1_000_000 + offers.len() as u128),
            supplier: Uuid::from_u128(2_000_000 + u128::from(random.below(300))),
            line,
            unit_cost_vnd: unit * (100 + random.below(60) as i64) / 100 / 1_000 * 1_000,
            domestic_share_percent: (30 + random.below(71)) as u8,
            delivery_on: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
            trl: 7,
        });
    }
}

/// The model, its bill and the offers; priced so that its C1a is about 52 %.
fn large_model() -> (Facts, Vec<Offer>) {
    let mut random = Random(0x5eed_cafe);
    let model = Uuid::from_u128(1);
    let mut lines = Vec::with_capacity(5_000);
    let mut offers = Vec::with_capacity(20_000);
    let mut next_id = 10_u128;
    let mut imported = 0_i64;
    let mut cost = 0_i64;
    for _ in 0..500 {
        let assembly = Uuid::from_u128(next_id);
        next_id += 1;
        let mut parts_cost = 0;
        let mut parts = Vec::new();
        for k in 0..9 {
            let id = Uuid::from_u128(next_id);
            next_id += 1;
            let quantity = 1 + random.below(4) as i64;
            let unit = 1_000 * (5 + random.below(200) as i64);
            let origin = if k < 8 { Origin::Imported } else { Origin::Domestic };
            parts_cost += quantity * unit;
            if origin == Origin::Imported {
                imported += quantity * unit;
                offer_five(&mut random, id, unit, &mut offers);
            }
            parts.push(BomLineFact { id, model, parent: Some(assembly), quantity, unit_cost_vnd: unit, origin });
        }
        let assembly_cost = parts_cost + 1_000 * (20 + random.below(100) as i64);
        cost += assembly_cost;
        lines.push(BomLineFact {
            id: assembly,
            model,
            parent: None,
            quantity: 1,
            unit_cost_vnd: assembly_cost,
            origin: Origin::Domestic,
        });
        lines.extend(parts);
    }
    let labour = cost / 4;
    let price = imported * 100 / 48;
    let facts = Facts {
        products: vec!["uav".into()],
        models: vec![ModelFact { id: model, product: "uav".into(), selling_price_vnd: price, launched_on: None }],
        bom_lines: lines,
        cost_lines: vec![CostLineFact {
            id: Uuid::from_u128(3),
            model,
            category: CostCategory::Labour,
            origin: Origin::Domestic,
            amount_vnd: labour,
        }],
        sales: vec![SalesFact { id: Uuid::from_u128(4), model, year: 2026, domestic_units: 1_000, export_units: 0 }],
        ..Facts::default()
    };
    (facts, offers)
}

fn benches(c: &mut Criterion) {
    let (facts, offers) = large_model();
    let parameters = parse_criteria_set("decision-2815.toml", DECISION_2815).unwrap().parameters;
    let targets = Targets { c1a_percent: 60, c1b_percent: 40 };
    let on = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let prepared = Prepared::new(&facts, &parameters);
    let model = facts.models[0].id;
    let planner = Planner::new(&prepared, &parameters, targets, on);
    let planned = planner.plan(model, &facts.bom_lines, &offers).unwrap();
    assert!(planned.reachable && !planned.meets_targets_now, "{:?} → {:?}", planned.current_c1a, planned.planned_c1a);
    eprintln!(
        "5,000 lines, {} offers: C1a {:?} % → {:?} % with {} substitutions costing {} đồng per unit",
        offers.len(),
        planned.current_c1a.percent,
        planned.planned_c1a.percent,
        planned.substitutions.len(),
        planned.added_cost_vnd
    );
    let mut group = c.benchmark_group("localisation");
    group.sample_size(10);
    group.bench_function("plan_5000_lines_20000_offers", |b| {
        b.iter(|| planner.plan(model, black_box(&facts.bom_lines), black_box(&offers)))
    });
    group.finish();
}

criterion_group!(localisation, benches);
criterion_main!(localisation);
