//! The evaluator alone, on national-scale facts built in memory (no database): the
//! bill-of-materials roll-up over 1,000,000 lines, the whole scorecard on one date, and 40
//! quarters of history. `cargo bench -p cncl-eval`; figures in docs/benchmarks.md.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use chrono::{Duration, NaiveDate};
use cncl_domain::Date;
use cncl_domain::market::{CostCategory, Origin};
use cncl_domain::organisation::OrganisationKind;
use cncl_domain::output::Sector;
use cncl_domain::seven_clear::SevenClearFacts;
use cncl_domain::task::{FundingSource, ParticipantRole};
use cncl_domain::technology::Mastery;
use cncl_eval::criteria::{BomRule, DECISION_2815, parse_criteria_set};
use cncl_eval::facts::*;
use cncl_eval::{Options, bom, evaluate};
use criterion::{Criterion, criterion_group, criterion_main};
use uuid::Uuid;

const PRODUCTS: [&str; 6] = ["llm", "ai-camera", "amr", "5g", "blockchain", "uav"];

fn day(offset: usize) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 11, 1).unwrap() + Duration::days(offset as i64)
}

/// Ids that sort in creation order, as UUID v7 ids do.
struct Ids(u128);

impl Ids {
    fn next(&mut self) -> Uuid {
        self.0 += 1;
        Uuid::from_u128(self.0)
    }
}

fn clear() -> SevenClearFacts {
    SevenClearFacts {
        lead_person: true,
        scope: true,
        responsibility: true,
        starts_on: true,
        ends_on: true,
        milestones: true,
        approving_body: true,
        delegated_authority: true,
        deliverables: true,
        ..SevenClearFacts::default()
    }
}

/// The shape of `cncl demo --scale national`: 10,000 organisations, 50,000 tasks, 500,000
/// outputs, 10,000 models with 100-line, six-level bills of materials.
fn national() -> Facts {
    let mut ids = Ids(0);
    let mut f = Facts { products: PRODUCTS.iter().map(|p| (*p).to_owned()).collect(), ..Facts::default() };
    let kinds = [OrganisationKind::Enterprise, OrganisationKind::ResearchInstitute, OrganisationKind::University];
    f.organisations = (0..10_000)
        .map(|i| OrganisationFact {
            id: ids.next(),
            kind: kinds[i % 3],
            scale_usd: Some(1_000_000 * (i as i64 % 2_000)),
        })
        .collect();
    f.tasks = (0..50_000)
        .map(|i| TaskFact {
            id: ids.next(),
            product: PRODUCTS[i % 6].into(),
            is_research: i % 7 < 5,
            dual_use: i % 3 == 0,
            assigned_on: (i % 10 > 1).then(|| day(i % 360)),
            accepted_on: (i % 10 > 7).then(|| day(360 + i % 20)),
            clear: clear(),
        })
        .collect();
    let roles = [ParticipantRole::Lead, ParticipantRole::Participant, ParticipantRole::SupportingSupplier];
    for (t, task) in f.tasks.clone().iter().enumerate() {
        for (k, role) in roles.iter().enumerate() {
            let organisation = f.organisations[(t * 7 + k * 1_237) % 10_000].id;
            f.participants.push(ParticipantFact { id: ids.next(), task: task.id, organisation, role: *role });
        }
        f.budget_lines.push(BudgetLineFact {
            id: ids.next(),
            task: task.id,
            year: 2026,
            source: FundingSource::CentralState,
            amount_vnd: 1_000_000_000,
        });
    }
    outputs(&mut f, &mut ids);
    models(&mut f, &mut ids);
    technologies(&mut f, &mut ids);
    f.state_spending = vec![SpendingFact { id: ids.next(), year: 2026, amount_vnd: 900_000_000_000_000 }];
    f
}

fn outputs(f: &mut Facts, ids: &mut Ids) {
    let tasks: Vec<Uuid> = f.tasks.iter().map(|t| t.id).collect();
    let task = |i: usize| tasks[i % tasks.len()];
    f.publications = (0..150_000)
        .map(|i| PublicationFact {
            id: ids.next(),
            task: task(i),
            accredited: i % 4 != 0,
            published_on: day(30 + i % 360),
        })
        .collect();
    f.ip_applications = (0..100_000)
        .map(|i| IpApplicationFact {
            id: ids.next(),
            task: task(i),
            accepted_on: (i % 3 != 0).then(|| day(30 + i % 300)),
        })
        .collect();
    f.outcomes = (0..200_000)
        .map(|i| OutcomeFact {
            id: ids.next(),
            task: task(i),
            recorded_on: day(i % 300),
            applied_on: (i % 5 != 0).then(|| day(60 + i % 300)),
        })
        .collect();
    f.demonstrations = (0..50_000)
        .map(|i| DemonstrationFact {
            id: ids.next(),
            task: task(i),
            sector: if i % 2 == 0 { Sector::Civil } else { Sector::Defence },
            demonstrated_on: day(100 + i % 250),
        })
        .collect();
}

fn models(f: &mut Facts, ids: &mut Ids) {
    for m in 0..10_000 {
        let model = ModelFact {
            id: ids.next(),
            product: PRODUCTS[m % 6].into(),
            selling_price_vnd: 10_000_000 + 1_000 * m as i64,
            launched_on: Some(day(m % 200)),
        };
        let first = f.bom_lines.len();
        for k in 0..100 {
            let has_children = 2 * k + 2 < 100;
            f.bom_lines.push(BomLineFact {
                id: ids.next(),
                model: model.id,
                parent: (k >= 2).then(|| f.bom_lines[first + (k - 2) / 2].id),
                quantity: if has_children { 1 } else { 1 + (k % 3) as i64 },
                unit_cost_vnd: 10_000 + 1_000 * (k % 17) as i64,
                origin: if has_children || k % 3 == 0 { Origin::Domestic } else { Origin::Imported },
            });
        }
        for (c, category) in
            [CostCategory::Materials, CostCategory::Labour, CostCategory::Services].into_iter().enumerate()
        {
            let origin = if c == 1 { Origin::Domestic } else { Origin::Imported };
            f.cost_lines.push(CostLineFact {
                id: ids.next(),
                model: model.id,
                category,
                origin,
                amount_vnd: 1_000_000,
            });
        }
        f.sales.push(SalesFact { id: ids.next(), model: model.id, year: 2026, domestic_units: 500, export_units: 20 });
        f.models.push(model);
    }
    for (p, product) in PRODUCTS.iter().enumerate() {
        f.market_sizes.push(MarketSizeFact {
            id: ids.next(),
            product: (*product).into(),
            year: 2026,
            domestic_vnd: 40_000_000_000_000 + p as i64,
        });
    }
}

fn technologies(f: &mut Facts, ids: &mut Ids) {
    for product in PRODUCTS {
        for _ in 0..100 {
            let id = ids.next();
            f.technologies.push(TechnologyFact { id, product: product.into(), parent: None, weight: 1 });
            for step in 0..4 {
                let mastery = [Mastery::Researching, Mastery::Prototype, Mastery::Tested, Mastery::Mastered][step];
                f.assessments.push(AssessmentFact {
                    id: ids.next(),
                    technology: id,
                    assessed_on: day(90 * step),
                    mastery,
                });
            }
        }
    }
}

fn benches(c: &mut Criterion) {
    let facts = national();
    let set = parse_criteria_set("decision-2815.toml", DECISION_2815).unwrap();
    let as_of = Date::from_ymd(2026, 11, 24).unwrap();
    let mut group = c.benchmark_group("national");
    group.sample_size(10);
    group.bench_function("bom_roll_up_1m_lines_tracing", |b| {
        b.iter(|| bom::bill_content(black_box(&facts.models), black_box(&facts.bom_lines), BomRule::Tracing, 60))
    });
    group.bench_function("bom_roll_up_1m_lines_roll_up", |b| {
        b.iter(|| bom::bill_content(black_box(&facts.models), black_box(&facts.bom_lines), BomRule::RollUp, 60))
    });
    let programme_start = Date::from_ymd(2025, 1, 1).unwrap();
    group.bench_function("scorecard_one_date_with_history_and_evidence", |b| {
        b.iter(|| evaluate(&set, black_box(&facts), as_of, Options { history_from: programme_start, evidence: true }))
    });
    let ten_years_back = Date::from_ymd(2016, 11, 24).unwrap();
    group.bench_function("scorecard_40_quarters", |b| {
        b.iter(|| evaluate(&set, black_box(&facts), as_of, Options { history_from: ten_years_back, evidence: false }))
    });
    group.finish();
}

criterion_group!(evaluation, benches);
criterion_main!(evaluation);
