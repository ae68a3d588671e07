//! Hand-computed plans (the arithmetic is in the comments).

use chrono::NaiveDate;
use cncl_domain::market::{CostCategory, Origin};
use uuid::Uuid;

use super::*;
use crate::criteria::{DECISION_2815, parse_criteria_set};
use crate::facts::{CostLineFact, Facts, ModelFact, SalesFact};

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default()
}

fn line(n: u128, parent: Option<u128>, quantity: i64, cost: i64, origin: Origin) -> BomLineFact {
    BomLineFact { id: id(n), model: id(1), parent: parent.map(id), quantity, unit_cost_vnd: cost, origin }
}

fn offer(n: u128, line: u128, cost: i64, share: u8) -> Offer {
    Offer {
        id: id(n),
        supplier: id(n + 1000),
        line: id(line),
        unit_cost_vnd: cost,
        domestic_share_percent: share,
        delivery_on: day(),
        trl: 7,
    }
}

/// A model priced 1,000,000 at 52 %: imported X 100,000, Y 60,000, Z 2 × 40,000, W 240,000
/// and a domestic case 100,000 (bill 580,000, imported 480,000); labour 200,000 domestic.
/// C1b = (780,000 − 480,000) / 780,000 = 38.5 %.
fn facts() -> Facts {
    let mut f = Facts { products: vec!["uav".into()], ..Facts::default() };
    f.models = vec![ModelFact { id: id(1), product: "uav".into(), selling_price_vnd: 1_000_000, launched_on: None }];
    f.bom_lines = vec![
        line(10, None, 1, 100_000, Origin::Imported),
        line(11, None, 1, 60_000, Origin::Imported),
        line(12, None, 2, 40_000, Origin::Imported),
        line(13, None, 1, 240_000, Origin::Imported),
        line(14, None, 1, 100_000, Origin::Domestic),
    ];
    f.cost_lines = vec![CostLineFact {
        id: id(20),
        model: id(1),
        category: CostCategory::Labour,
        origin: Origin::Domestic,
        amount_vnd: 200_000,
    }];
    f.sales = vec![SalesFact { id: id(30), model: id(1), year: 2026, domestic_units: 10, export_units: 0 }];
    f
}

/// A on X: 130,000 at 89 % → imports 14,300, removes 85,700 for +30,000 (reaches 60 % alone).
/// B on Y: 72,000 at 80 % → imports 14,400, removes 45,600 for +12,000.
/// C on Z: 47,000 at 70 % → imports 14,100, removes 2 × 25,900 = 51,800 for +14,000.
fn offers() -> Vec<Offer> {
    vec![offer(100, 10, 130_000, 89), offer(101, 11, 72_000, 80), offer(102, 12, 47_000, 70)]
}

const TARGETS: Targets = Targets { c1a_percent: 60, c1b_percent: 40 };

fn plan_of(facts: &Facts, offers: &[Offer], parameters: &Parameters) -> LocalisationPlan {
    let prepared = Prepared::new(facts, parameters);
    let planner = Planner::new(&prepared, parameters, TARGETS, day());
    planner.plan(id(1), &facts.bom_lines, offers).unwrap_or_else(|| unreachable!())
}

fn parameters() -> Parameters {
    parse_criteria_set("x.toml", DECISION_2815).map(|s| s.parameters).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_cheapest_single_swap_is_not_part_of_the_optimum() {
    let plan = plan_of(&facts(), &offers(), &parameters());
    // 60 % needs 80,000 of imported content removed. A alone does it for 30,000; B + C
    // remove 97,400 for 26,000: cheaper.
    assert_eq!((plan.current_c1a.numerator, plan.current_c1a.denominator), (520_000, 1_000_000));
    assert!(plan.reachable && !plan.meets_targets_now);
    let chosen: Vec<Uuid> = plan.substitutions.iter().map(|s| s.offer).collect();
    assert_eq!(chosen, [id(102), id(101)], "largest removal first");
    assert_eq!(plan.added_cost_vnd, 26_000);
    // 1,000,000 − (480,000 − 97,400); C1b (806,000 − 382,600) / 806,000.
    assert_eq!(
        (plan.planned_c1a.numerator, plan.planned_c1b.numerator, plan.planned_c1b.denominator),
        (617_400, 423_400, 806_000)
    );
    // Every offer taken: 480,000 − 183,100 imported.
    assert_eq!(plan.best_c1a.numerator, 703_100);
    assert_eq!(plan.uncovered_lines, [UncoveredLine { line: id(13), imported_content_vnd: 240_000 }]);
    assert_eq!(plan.suppliers, [id(1101), id(1102)]);
    let effect = plan.product_effect.unwrap_or_else(|| unreachable!());
    assert_eq!((effect.c1a_before.numerator, effect.c1a_after.numerator), (10 * 520_000, 10 * 617_400));
}

#[test]
fn an_unreachable_target_names_the_gap_and_the_uncovered_lines() {
    let plan = plan_of(&facts(), &offers()[2..], &parameters());
    // Only C: 520,000 + 51,800 = 57.18 %, 2.8 points short.
    assert!(!plan.reachable);
    assert_eq!(plan.best_c1a.numerator, 571_800);
    assert_eq!(plan.c1a_gap_points, 2.8);
    assert_eq!(plan.substitutions.len(), 1, "the closest plan");
    let uncovered: Vec<Uuid> = plan.uncovered_lines.iter().map(|u| u.line).collect();
    assert_eq!(uncovered, [id(13), id(10), id(11)]);
}

#[test]
fn a_model_at_its_targets_needs_nothing() {
    let mut f = facts();
    f.models[0].selling_price_vnd = 2_000_000;
    f.cost_lines[0].amount_vnd = 800_000;
    let plan = plan_of(&f, &offers(), &parameters());
    assert!(plan.meets_targets_now && plan.reachable && plan.substitutions.is_empty());
    assert_eq!(plan.added_cost_vnd, 0);
}

#[test]
fn nested_lines_count_their_units_and_lines_inside_imported_ones_do_not() {
    let mut f = facts();
    // Priced 700,000 with 320,000 imported: 54.3 %, 40,000 to remove.
    f.models[0].selling_price_vnd = 700_000;
    // A domestic board (2 per model) holding 3 imported chips at 10,000 each: 60,000 per
    // model, in place of W; and an imported module holding an imported part (not counted
    // twice, and not a line to substitute).
    f.bom_lines[3] = line(13, None, 2, 50_000, Origin::Domestic);
    f.bom_lines.push(line(15, Some(13), 3, 10_000, Origin::Imported));
    f.bom_lines.push(line(16, None, 1, 20_000, Origin::Imported));
    f.bom_lines.push(line(17, Some(16), 1, 5_000, Origin::Imported));
    // A chip at 12,000, 75 % domestic, imports 3,000: removes 6 × 7,000 for 6 × 2,000.
    let offers = vec![offer(103, 15, 12_000, 75), offer(104, 17, 1_000, 100)];
    let plan = plan_of(&f, &offers, &parameters());
    let chip = plan.substitutions.iter().find(|s| s.line == id(15));
    assert_eq!(chip.map(|s| (s.units_per_model, s.imported_removed_vnd, s.added_cost_vnd)), Some((6, 42_000, 12_000)));
    assert!(plan.substitutions.iter().all(|s| s.line != id(17)), "inside an imported line");
    // Applied: the board costs 12,000 more per board (3 × 4,000… per chip 2,000 × 3).
    let applied = apply(&f.bom_lines, &[(&f.bom_lines[5], &offers[0])]);
    let board = applied.iter().find(|l| l.id == id(13)).map(|l| l.unit_cost_vnd);
    assert_eq!(board, Some(56_000));
    let sub_line = applied.iter().find(|l| l.parent == Some(id(15))).map(|l| (l.unit_cost_vnd, l.origin));
    assert_eq!(sub_line, Some((3_000, Origin::Imported)));
}

#[test]
fn under_roll_up_the_plan_still_reaches_the_targets() {
    let mut parameters = parameters();
    parameters.bom_rule = BomRule::RollUp;
    let plan = plan_of(&facts(), &offers(), &parameters);
    // B (80 %) and C (70 %) pass the 60 % threshold: wholly domestic, so 480,000 − 140,000.
    assert_eq!(plan.bom_rule, BomRule::RollUp);
    assert_eq!(plan.planned_c1a.numerator, 660_000);
    assert!(plan.planned_c1a.reaches(60) && plan.planned_c1b.reaches(40));
}

#[test]
fn an_offers_imported_content_is_rounded_up_to_the_dong() {
    assert_eq!(offer(1, 1, 12_345, 37).imported_content(), 7_778);
    assert_eq!(offer(1, 1, 100, 100).imported_content(), 0);
    assert_eq!(Share::new(571_800, 1_000_000).points_short_of(60), 2.8);
    assert_eq!(Share::new(599_999, 1_000_000).points_short_of(60), 0.1);
}
