//! The planner against brute force: on random models of up to 12 lines with up to 3 offers
//! each, the plan costs what the cheapest feasible choice costs, and its figures — computed
//! by the scorecard's code on the bill with the offers applied — reach the targets whenever
//! some choice does.

use cncl_domain::market::{CostCategory, Origin};
use cncl_eval::criteria::{BomRule, Parameters};
use cncl_eval::facts::{BomLineFact, Facts};
use cncl_eval::indicators::Prepared;
use cncl_eval::localisation::{Offer, Planner, Targets};
use proptest::prelude::*;

use crate::build::*;

#[derive(Debug, Clone)]
struct Instance {
    lines: Vec<(i64, i64, bool)>,
    offers: Vec<Vec<(i64, u8)>>,
    price: i64,
    labour: i64,
    service: i64,
    targets: Targets,
}

fn instance() -> impl Strategy<Value = Instance> {
    let line = (1_i64..=3, 1_i64..=50, prop::bool::weighted(0.7)).prop_map(|(q, c, imported)| (q, c * 1_000, imported));
    let offers = prop::collection::vec((1_i64..=60, 0_u8..=100).prop_map(|(c, s)| (c * 1_000, s)), 0..=3);
    (prop::collection::vec((line, offers), 1..=12), 100_i64..=1_500, 0_i64..=300, 0_i64..=50, 40_i64..=75, 20_i64..=60)
        .prop_map(|(lines, price, labour, service, a, b)| Instance {
            offers: lines.iter().map(|(_, o)| o.clone()).collect(),
            lines: lines.into_iter().map(|(l, _)| l).collect(),
            price: price * 1_000,
            labour: labour * 1_000,
            service: service * 1_000,
            targets: Targets { c1a_percent: a, c1b_percent: b },
        })
}

fn parameters() -> Parameters {
    let mut p = set().parameters;
    p.bom_rule = BomRule::Tracing;
    p
}

fn facts_of(i: &Instance) -> (Facts, Vec<Offer>) {
    let mut f = facts();
    f.models = vec![model(1, "uav", i.price)];
    f.bom_lines = i
        .lines
        .iter()
        .enumerate()
        .map(|(k, &(q, c, imported))| {
            let origin = if imported { Origin::Imported } else { Origin::Domestic };
            BomLineFact { id: id(100 + k as u128), model: id(1), parent: None, quantity: q, unit_cost_vnd: c, origin }
        })
        .collect();
    f.cost_lines = vec![
        cost(2, 1, CostCategory::Labour, Origin::Domestic, i.labour),
        cost(3, 1, CostCategory::Services, Origin::Imported, i.service),
    ];
    let offers = i
        .offers
        .iter()
        .enumerate()
        .flat_map(|(k, list)| {
            list.iter().enumerate().map(move |(j, &(c, s))| Offer {
                id: id(1_000 + 10 * k as u128 + j as u128),
                supplier: id(5_000 + j as u128),
                line: id(100 + k as u128),
                unit_cost_vnd: c,
                domestic_share_percent: s,
                delivery_on: d(2026, 1, 1),
                trl: 6,
            })
        })
        .collect();
    (f, offers)
}

/// Every choice of at most one offer per imported line that lowers its imported content,
/// enumerated; the least cost of those that reach both targets.
fn brute_force(i: &Instance) -> Option<i128> {
    let imported_now: i128 =
        i.lines.iter().filter(|l| l.2).map(|&(q, c, _)| i128::from(q * c)).sum::<i128>() + i128::from(i.service);
    let total_now: i128 =
        i.lines.iter().map(|&(q, c, _)| i128::from(q * c)).sum::<i128>() + i128::from(i.labour + i.service);
    let options: Vec<Vec<(i128, i128)>> = i
        .lines
        .iter()
        .zip(&i.offers)
        .map(|(&(q, c, imported), offers)| {
            let mut list = vec![(0, 0)];
            if imported {
                for &(oc, share) in offers {
                    let own_imported = (i128::from(oc) * (100 - i128::from(share)) + 99) / 100;
                    let removed = i128::from(q) * (i128::from(c) - own_imported);
                    if removed > 0 {
                        list.push((i128::from(q) * i128::from(oc - c), removed));
                    }
                }
            }
            list
        })
        .collect();
    let price = i128::from(i.price);
    let (a, b) = (i128::from(i.targets.c1a_percent), i128::from(i.targets.c1b_percent));
    let mut best: Option<i128> = None;
    let mut pick = vec![0_usize; options.len()];
    loop {
        let (cost, removed) = pick.iter().zip(&options).fold((0, 0), |(c, r), (&j, o)| (c + o[j].0, r + o[j].1));
        let imported = imported_now - removed;
        let total = total_now + cost;
        let c1a = 100 * (price - imported.min(price)) >= a * price;
        let c1b = total > 0 && 100 * (total - imported) >= b * total;
        if c1a && c1b && best.is_none_or(|x| cost < x) {
            best = Some(cost);
        }
        // Next choice, like an odometer.
        let mut k = 0;
        loop {
            if k == pick.len() {
                return best;
            }
            pick[k] += 1;
            if pick[k] < options[k].len() {
                break;
            }
            pick[k] = 0;
            k += 1;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_plan_costs_what_brute_force_finds(i in instance()) {
        let (f, offers) = facts_of(&i);
        let parameters = parameters();
        let prepared = Prepared::new(&f, &parameters);
        let plan = Planner::new(&prepared, &parameters, i.targets, d(2026, 6, 30)).plan(id(1), &f.bom_lines, &offers).unwrap();
        match brute_force(&i) {
            Some(cost) => {
                prop_assert!(plan.reachable, "brute force reaches the targets for {cost}");
                prop_assert_eq!(plan.added_cost_vnd, cost);
                prop_assert!(plan.planned_c1a.reaches(i.targets.c1a_percent), "{:?}", plan.planned_c1a);
                prop_assert!(plan.planned_c1b.reaches(i.targets.c1b_percent), "{:?}", plan.planned_c1b);
            }
            None => prop_assert!(!plan.reachable),
        }
    }
}
