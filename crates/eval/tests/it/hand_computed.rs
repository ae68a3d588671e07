//! Every indicator on facts small enough to compute by hand (the arithmetic is in the
//! comments), with dates exactly on and just past each boundary.

use cncl_domain::capacity::LaboratoryKind;
use cncl_domain::market::{CostCategory, Origin};
use cncl_domain::organisation::OrganisationKind;
use cncl_domain::output::Sector;
use cncl_domain::task::{FundingSource, ParticipantRole};
use cncl_domain::technology::Mastery;
use cncl_eval::criteria::BomRule;
use cncl_eval::facts::{Facts, IndustryFact, MarketSizeFact, SpendingFact, TrainingFact};
use cncl_eval::indicators::MaterialsMismatch;
use cncl_eval::{Options, evaluate};

use crate::build::*;

const LLM: usize = 0;
const UAV: usize = 1;
const PROGRAMME: usize = 0;

/// Two UAV models. Model 100 (price 100,000) has the three-level bill of `bom.rs`'s tests
/// (cost 40,400; imported content 13,400 by tracing, 400 by roll-up at 60 %) and an
/// imported service of 1,600; its imported materials cost line (20,000) is not counted
/// again, only checked against the bill. Model 200 (price
/// 50,000) has no bill; its imported materials (30,000) count.
fn market_facts() -> Facts {
    let mut f = facts();
    f.models = vec![model(100, "uav", 100_000), model(200, "uav", 50_000)];
    f.bom_lines = vec![
        line(1, 100, None, 1, 30_000, Origin::Domestic),
        line(2, 100, Some(1), 2, 5_000, Origin::Imported),
        line(3, 100, Some(1), 1, 8_000, Origin::Domestic),
        line(4, 100, Some(3), 1, 3_000, Origin::Imported),
        line(5, 100, None, 4, 100, Origin::Imported),
        line(6, 100, None, 1, 10_000, Origin::Domestic),
    ];
    f.cost_lines = vec![
        cost(10, 100, CostCategory::Materials, Origin::Imported, 20_000),
        cost(11, 100, CostCategory::Services, Origin::Imported, 1_600),
        cost(12, 100, CostCategory::Labour, Origin::Domestic, 10_000),
        cost(13, 200, CostCategory::Materials, Origin::Imported, 30_000),
        cost(14, 200, CostCategory::Labour, Origin::Domestic, 5_000),
    ];
    f.sales = vec![sales(20, 100, 2025, 1_000, 0), sales(21, 100, 2026, 10, 0), sales(22, 200, 2026, 5, 5)];
    f.market_sizes = vec![
        MarketSizeFact { id: id(30), product: "uav".into(), year: 2025, domestic_vnd: 1_000_000 },
        MarketSizeFact { id: id(31), product: "uav".into(), year: 2026, domestic_vnd: 2_000_000 },
    ];
    f
}

#[test]
fn c1a_weights_models_by_units_sold_in_the_latest_year() {
    let f = market_facts();
    let s = set();
    // 2026: model 100 share 85,000/100,000 × 10 units; model 200 20,000/50,000 × 10 units.
    let c1a = figure(&f, &s, "C1a", UAV, d(2026, 6, 30));
    assert_eq!(fraction(&c1a), (10 * 85_000 + 10 * 20_000, 10 * 100_000 + 10 * 50_000));
    let weakest = c1a.weakest_model.unwrap();
    assert_eq!((weakest.model, weakest.numerator, weakest.denominator), (id(200), 20_000, 50_000));
    assert_eq!(c1a.evidence.numerator.len(), 2);
    // 2025: only model 100 sold.
    assert_eq!(fraction(&figure(&f, &s, "C1a", UAV, d(2025, 12, 31))), (1_000 * 85_000, 1_000 * 100_000));
    // No sales at all before 2025: no data, not 0 %.
    assert_eq!(figure(&f, &s, "C1a", UAV, d(2024, 12, 31)).denominator, 0);
    assert_eq!(figure(&f, &s, "C1a", LLM, d(2026, 6, 30)).denominator, 0);
}

#[test]
fn c1a_under_the_roll_up_rule() {
    let f = market_facts();
    let mut s = set();
    s.parameters.bom_rule = BomRule::RollUp;
    // Model 100 imports 400 + 1,600 = 2,000 → 98,000 of 100,000 is domestic value added.
    assert_eq!(fraction(&figure(&f, &s, "C1a", UAV, d(2026, 6, 30))), (10 * 98_000 + 10 * 20_000, 1_500_000));
}

#[test]
fn c1b_is_domestic_cost_over_total_cost() {
    let f = market_facts();
    // Model 100 takes its materials from its bill: 40,400, of which 13,400 imported, so
    // 27,000 domestic + labour 10,000 of 40,400 + 1,600 + 10,000 = 52,000. Model 200 has no
    // bill: 5,000 of 35,000. 10 units each.
    let c1b = figure(&f, &set(), "C1b", UAV, d(2026, 6, 30));
    assert_eq!(fraction(&c1b), (10 * 37_000 + 10 * 5_000, 10 * 52_000 + 10 * 35_000));
    // Its materials cost line (20,000) is half the bill: named in the warning.
    let warning = MaterialsMismatch { model: id(100), materials_cost_lines_vnd: 20_000, bill_of_materials_vnd: 40_400 };
    assert_eq!(c1b.materials_mismatches, vec![warning]);
    assert!(figure(&f, &set(), "C1a", UAV, d(2026, 6, 30)).materials_mismatches.is_empty());
}

/// A model priced 200,000 with a two-level bill costing 85,000 and the usual cost lines
/// (the worked example of docs/indicators.md):
/// - main board 1 × 50,000 domestic ← 4 imported chips × 6,000, a domestic PCB 5,000;
/// - frame 2 × 10,000 domestic ← 2 imported bearings × 1,000;
/// - battery 1 × 15,000 imported.
///
/// Tracing imports 24,000 + 2 × 2,000 + 15,000 = 43,000. Roll-up at 60 %: the board's own
/// share is 26,000/50,000 = 52 % (traced, 24,000), the frame's 8,000/10,000 = 80 %
/// (domestic), so 24,000 + 15,000 = 39,000.
fn two_level_facts(materials_line: i64) -> Facts {
    let mut f = facts();
    f.models = vec![model(300, "uav", 200_000)];
    f.bom_lines = vec![
        line(31, 300, None, 1, 50_000, Origin::Domestic),
        line(32, 300, Some(31), 4, 6_000, Origin::Imported),
        line(33, 300, Some(31), 1, 5_000, Origin::Domestic),
        line(34, 300, None, 2, 10_000, Origin::Domestic),
        line(35, 300, Some(34), 2, 1_000, Origin::Imported),
        line(36, 300, None, 1, 15_000, Origin::Imported),
    ];
    f.cost_lines = vec![
        cost(40, 300, CostCategory::Materials, Origin::Domestic, materials_line),
        cost(41, 300, CostCategory::Labour, Origin::Domestic, 30_000),
        cost(42, 300, CostCategory::Overhead, Origin::Domestic, 10_000),
        cost(43, 300, CostCategory::Services, Origin::Imported, 5_000),
    ];
    f.sales = vec![sales(44, 300, 2026, 3, 1)];
    f
}

#[test]
fn c1b_splits_materials_by_the_bill_under_both_rules() {
    let f = two_level_facts(85_000);
    let tracing = set();
    let mut roll_up = set();
    roll_up.parameters.bom_rule = BomRule::RollUp;
    let on = d(2026, 6, 30);
    // Cost 85,000 + 30,000 + 10,000 + 5,000 = 130,000; domestic: the bill's 85,000 −
    // imported, + labour and overhead 40,000; the imported licence counts as imported.
    assert_eq!(fraction(&figure(&f, &tracing, "C1b", UAV, on)), (4 * 82_000, 4 * 130_000));
    assert_eq!(fraction(&figure(&f, &roll_up, "C1b", UAV, on)), (4 * 86_000, 4 * 130_000));
    // C1a under the same rules: price − bill imports − the licence.
    assert_eq!(fraction(&figure(&f, &tracing, "C1a", UAV, on)), (4 * 152_000, 4 * 200_000));
    assert_eq!(fraction(&figure(&f, &roll_up, "C1a", UAV, on)), (4 * 156_000, 4 * 200_000));
    assert!(figure(&f, &tracing, "C1b", UAV, on).materials_mismatches.is_empty());
    // The scorecard names the one rule behind both.
    let card = evaluate(&roll_up, &f, day(2026, 6, 30), Options { history_from: day(2026, 1, 1), evidence: false });
    assert_eq!(card.bom_rule, BomRule::RollUp);
}

#[test]
fn materials_lines_straying_from_the_bill_beyond_the_tolerance_are_named() {
    let on = d(2026, 6, 30);
    let c1b = |materials_line| figure(&two_level_facts(materials_line), &set(), "C1b", UAV, on);
    // Exactly 5 % of the larger amount (85,000 − 80,750 = 4,250) is within the tolerance.
    assert!(c1b(80_750).materials_mismatches.is_empty());
    assert!(c1b(89_000).materials_mismatches.is_empty());
    // 90,000 strays by 5,000 = 5.6 % of 90,000: warned, and the bill still counts.
    let strayed = c1b(90_000);
    let warning = MaterialsMismatch { model: id(300), materials_cost_lines_vnd: 90_000, bill_of_materials_vnd: 85_000 };
    assert_eq!(strayed.materials_mismatches, vec![warning]);
    assert_eq!(fraction(&strayed), (4 * 82_000, 4 * 130_000));
    // A model without materials cost lines has nothing to check; a set may tolerate more.
    let mut f = two_level_facts(90_000);
    f.cost_lines.remove(0);
    assert!(figure(&f, &set(), "C1b", UAV, on).materials_mismatches.is_empty());
    let mut lenient = set();
    lenient.parameters.materials_tolerance_percent = 10;
    assert!(figure(&two_level_facts(90_000), &lenient, "C1b", UAV, on).materials_mismatches.is_empty());
}

#[test]
fn c3_uses_the_latest_market_year_and_caps_at_the_market() {
    let f = market_facts();
    // 2026: model 100 sells 10 × 100,000 at home, model 200 5 × 50,000; market 2,000,000.
    let c3 = figure(&f, &set(), "C3", UAV, d(2026, 6, 30));
    assert_eq!(fraction(&c3), (1_250_000, 2_000_000));
    assert_eq!(c3.evidence.denominator.len(), 1);
    // 2025: 1,000 × 100,000 exceeds the 1,000,000 market: capped.
    assert_eq!(fraction(&figure(&f, &set(), "C3", UAV, d(2025, 12, 31))), (1_000_000, 1_000_000));
    assert_eq!(figure(&f, &set(), "C3", UAV, d(2024, 12, 31)).denominator, 0);
}

#[test]
fn c2_counts_the_latest_assessment_of_each_leaf_by_weight() {
    let mut f = facts();
    // llm: node 1 with leaves 2 (weight 3) and 3 (weight 1); leaf 4 (weight 2) on its own.
    f.technologies = vec![
        technology(1, "llm", None, 9),
        technology(2, "llm", Some(1), 3),
        technology(3, "llm", Some(1), 1),
        technology(4, "llm", None, 2),
    ];
    f.assessments = vec![
        assessment(10, 2, d(2026, 6, 30), Mastery::Mastered),
        assessment(11, 3, d(2026, 1, 1), Mastery::Mastered),
        assessment(12, 3, d(2026, 3, 1), Mastery::Tested),
        // Two on the same day: the later record decides.
        assessment(13, 4, d(2026, 5, 1), Mastery::Mastered),
        assessment(14, 4, d(2026, 5, 1), Mastery::Prototype),
    ];
    let s = set();
    assert_eq!(fraction(&figure(&f, &s, "C2", LLM, d(2026, 2, 1))), (1, 6), "leaf 3 mastered before it was superseded");
    assert_eq!(fraction(&figure(&f, &s, "C2", LLM, d(2026, 6, 29))), (0, 6));
    let on_the_day = figure(&f, &s, "C2", LLM, d(2026, 6, 30));
    assert_eq!(fraction(&on_the_day), (3, 6), "an assessment dated as_of counts");
    assert_eq!(on_the_day.evidence.numerator[0].id, id(10));
    assert_eq!(on_the_day.evidence.denominator.len(), 3, "the three leaves, not the inner node");
    assert_eq!(figure(&f, &s, "C2", UAV, d(2026, 6, 30)).denominator, 0, "no technologies: no data");
}

/// llm tasks 10–14, uav tasks 30–32, their outputs and participants.
fn task_facts() -> Facts {
    let mut f = facts();
    f.tasks = vec![
        task(10, "llm", true, false, Some(d(2026, 1, 10)), Some(d(2026, 6, 30))),
        task(11, "llm", true, false, Some(d(2026, 2, 1)), Some(d(2026, 5, 1))),
        task(12, "llm", true, false, Some(d(2026, 3, 1)), None),
        task(13, "llm", false, false, Some(d(2026, 1, 5)), Some(d(2026, 4, 1))),
        task(14, "llm", true, false, None, None),
        task(30, "uav", true, true, Some(d(2026, 1, 1)), None),
        task(31, "uav", true, true, Some(d(2026, 1, 1)), None),
        task(32, "uav", false, true, Some(d(2026, 1, 1)), None),
    ];
    f.publications = vec![
        publication(40, 10, true, d(2026, 6, 30)),
        publication(41, 11, false, d(2026, 4, 1)),
        publication(42, 11, true, d(2026, 7, 15)),
        publication(43, 12, true, d(2026, 3, 1)),
        publication(44, 13, true, d(2026, 3, 1)),
    ];
    f.ip_applications = vec![ip(50, 10, Some(d(2026, 7, 1))), ip(51, 11, None)];
    f.outcomes = vec![
        outcome(60, 10, d(2026, 1, 1), Some(d(2026, 3, 1))),
        outcome(61, 11, d(2026, 2, 1), None),
        outcome(62, 12, d(2026, 8, 1), Some(d(2026, 8, 2))),
    ];
    f.demonstrations = vec![
        demonstration(70, 30, Sector::Civil, d(2026, 2, 1)),
        demonstration(71, 30, Sector::Defence, d(2026, 4, 1)),
        demonstration(72, 31, Sector::Civil, d(2026, 2, 1)),
        demonstration(73, 32, Sector::Defence, d(2026, 2, 1)),
        demonstration(74, 32, Sector::Civil, d(2026, 2, 1)),
    ];
    f.organisations = vec![
        organisation(80, OrganisationKind::Enterprise, None),
        organisation(81, OrganisationKind::Enterprise, Some(2_000_000_000)),
        organisation(82, OrganisationKind::ResearchInstitute, None),
        organisation(83, OrganisationKind::Enterprise, Some(5_000_000_000)),
        organisation(84, OrganisationKind::University, None),
    ];
    f.participants = vec![
        participant(90, 10, 80, ParticipantRole::Lead),
        participant(91, 10, 81, ParticipantRole::SupportingSupplier),
        participant(92, 11, 82, ParticipantRole::Participant),
        participant(93, 14, 83, ParticipantRole::Lead),
        participant(94, 14, 84, ParticipantRole::Participant),
    ];
    f.budget_lines = vec![
        budget(100, 10, 2026, FundingSource::CentralState, 100_000),
        budget(101, 11, 2026, FundingSource::LocalState, 50_000),
        budget(102, 11, 2026, FundingSource::Enterprise, 999_999),
        budget(103, 10, 2027, FundingSource::CentralState, 500_000),
    ];
    f.state_spending = vec![SpendingFact { id: id(110), year: 2026, amount_vnd: 1_000_000 }];
    f
}

#[test]
fn c4_and_c5_count_accepted_research_projects() {
    let f = task_facts();
    let s = set();
    // On 2026-06-30 tasks 10 (accepted that day) and 11 are accepted research projects; only
    // 10 has an accredited publication by then (11's is non-accredited, then dated 07-15).
    assert_eq!(fraction(&figure(&f, &s, "C4", LLM, d(2026, 6, 30))), (1, 2));
    assert_eq!(fraction(&figure(&f, &s, "C4", LLM, d(2026, 6, 29))), (0, 1));
    assert_eq!(fraction(&figure(&f, &s, "C4", LLM, d(2026, 7, 15))), (2, 2));
    // Task 10's IP application was formally accepted on 07-01.
    assert_eq!(fraction(&figure(&f, &s, "C5", LLM, d(2026, 6, 30))), (0, 2));
    assert_eq!(fraction(&figure(&f, &s, "C5", LLM, d(2026, 7, 1))), (1, 2));
    assert_eq!(figure(&f, &s, "C4", UAV, d(2026, 7, 1)).denominator, 0, "no accepted projects: no data");
}

#[test]
fn c6_counts_outcomes_recorded_and_applied_by_the_date() {
    let f = task_facts();
    assert_eq!(fraction(&figure(&f, &set(), "C6", LLM, d(2026, 6, 30))), (1, 2));
    assert_eq!(fraction(&figure(&f, &set(), "C6", LLM, d(2026, 8, 2))), (2, 3));
    assert_eq!(fraction(&figure(&f, &set(), "C6", LLM, d(2025, 12, 31))), (0, 0));
}

#[test]
fn c7_needs_both_a_civil_and_a_defence_demonstration() {
    let f = task_facts();
    // Tasks 30 and 31 are dual-use research projects; 32 is not research.
    assert_eq!(fraction(&figure(&f, &set(), "C7", UAV, d(2026, 3, 31))), (0, 2));
    assert_eq!(fraction(&figure(&f, &set(), "C7", UAV, d(2026, 4, 1))), (1, 2));
}

#[test]
fn programme_counts_of_organisations() {
    let f = task_facts();
    let s = set();
    // Organisation 83 and 84 take part only in an unassigned task.
    assert_eq!(fraction(&figure(&f, &s, "P1", PROGRAMME, d(2026, 6, 30))), (1, 1));
    assert_eq!(fraction(&figure(&f, &s, "P1", PROGRAMME, d(2026, 1, 9))), (0, 1), "before task 10 was assigned");
    assert_eq!(fraction(&figure(&f, &s, "P2", PROGRAMME, d(2026, 6, 30))), (1, 1));
    assert_eq!(fraction(&figure(&f, &s, "P3", PROGRAMME, d(2026, 6, 30))), (1, 1));
}

#[test]
fn certified_enterprises_and_the_billion_dollar_ones() {
    let mut f = task_facts();
    f.certifications = vec![
        cncl_eval::facts::CertificationFact {
            id: id(120),
            organisation: id(80),
            certified_on: d(2025, 1, 1),
            expires_on: Some(d(2026, 6, 30)),
        },
        cncl_eval::facts::CertificationFact {
            id: id(121),
            organisation: id(81),
            certified_on: d(2026, 1, 1),
            expires_on: None,
        },
        cncl_eval::facts::CertificationFact {
            id: id(122),
            organisation: id(82),
            certified_on: d(2026, 1, 1),
            expires_on: None,
        },
    ];
    let s = set();
    assert_eq!(figure(&f, &s, "P5", PROGRAMME, d(2026, 6, 29)).numerator, 2, "the institute does not count");
    assert_eq!(figure(&f, &s, "P5", PROGRAMME, d(2026, 6, 30)).numerator, 1, "expired on the day");
    assert_eq!(figure(&f, &s, "P6", PROGRAMME, d(2026, 6, 29)).numerator, 1, "only 81 is above USD 1 billion");
}

#[test]
fn funding_ceiling_at_the_boundary() {
    let mut f = task_facts();
    let s = set();
    let c = s.criteria.iter().find(|c| c.id == "P9").unwrap();
    // State lines for 2026: 100,000 + 50,000 = 15 % of 1,000,000 exactly: within the ceiling.
    let p9 = figure(&f, &s, "P9", PROGRAMME, d(2026, 6, 30));
    assert_eq!(fraction(&p9), (150_000, 1_000_000));
    assert!(cncl_eval::status::meets(c, c.targets.last().unwrap(), p9.numerator, p9.denominator));
    f.budget_lines.push(budget(104, 12, 2026, FundingSource::CentralState, 1));
    let over = figure(&f, &s, "P9", PROGRAMME, d(2026, 6, 30));
    assert!(!cncl_eval::status::meets(c, c.targets.last().unwrap(), over.numerator, over.denominator));
    assert_eq!(figure(&f, &s, "P9", PROGRAMME, d(2027, 6, 30)).denominator, 0, "no 2027 spending figure: no data");
}

#[test]
fn seven_clear_share_of_assigned_tasks() {
    let f = task_facts();
    // Seven tasks assigned by 2026-06-30; only task 10 has a lead organisation and budget.
    let p10 = figure(&f, &set(), "P10", PROGRAMME, d(2026, 6, 30));
    assert_eq!(fraction(&p10), (1, 7));
    assert_eq!(p10.evidence.numerator[0].id, id(10));
}

#[test]
fn training_laboratories_and_industries() {
    let mut f = facts();
    f.training =
        vec![TrainingFact { id: id(1), year: 2026, count: 100 }, TrainingFact { id: id(2), year: 2027, count: 50 }];
    f.laboratories = vec![
        laboratory(3, LaboratoryKind::NationalKeyLaboratory, true, Some(d(2026, 3, 1))),
        laboratory(4, LaboratoryKind::NationalKeyLaboratory, false, Some(d(2026, 3, 1))),
        laboratory(5, LaboratoryKind::TestingFacility, true, Some(d(2026, 3, 1))),
        laboratory(6, LaboratoryKind::NationalKeyLaboratory, true, None),
    ];
    f.industries = vec![IndustryFact { id: id(7), formed_on: d(2026, 9, 1) }];
    let s = set();
    assert_eq!(figure(&f, &s, "P7", PROGRAMME, d(2026, 12, 31)).numerator, 100);
    assert_eq!(figure(&f, &s, "P7", PROGRAMME, d(2027, 1, 1)).numerator, 150);
    assert_eq!(fraction(&figure(&f, &s, "P8", PROGRAMME, d(2026, 6, 30))), (1, 1));
    assert_eq!(figure(&f, &s, "P8", PROGRAMME, d(2026, 2, 28)).numerator, 0);
    assert_eq!(figure(&f, &s, "P4", PROGRAMME, d(2026, 8, 31)).numerator, 0);
    assert_eq!(figure(&f, &s, "P4", PROGRAMME, d(2026, 9, 1)).numerator, 1);
}

#[test]
fn empty_facts_give_no_data_not_zero_and_no_panic() {
    let f = facts();
    let card = evaluate(&set(), &f, day(2026, 6, 30), Options { history_from: day(2025, 1, 1), evidence: true });
    for product in &card.products {
        for result in &product.results {
            assert_eq!(result.status, cncl_eval::status::Status::NoData, "{}", result.criterion);
            assert_eq!(result.value, None);
        }
    }
    let p1 = card.programme.iter().find(|r| r.criterion == "P1").unwrap();
    assert_eq!((p1.value, p1.status), (Some(0.0), cncl_eval::status::Status::AtRisk), "a count of zero is data");
}

#[test]
fn the_scorecard_carries_history_and_status() {
    let f = task_facts();
    let card = evaluate(&set(), &f, day(2026, 8, 2), Options { history_from: day(2025, 1, 1), evidence: true });
    let c6 = card.products[LLM].results.iter().find(|r| r.criterion == "C6").unwrap();
    let dates: Vec<_> = c6.history.iter().map(|p| p.date.to_string()).collect();
    assert_eq!(dates.first().map(String::as_str), Some("2025-03-31"));
    assert_eq!(dates.last().map(String::as_str), Some("2026-08-02"));
    assert_eq!(c6.history.iter().find(|p| p.date == d(2026, 3, 31)).and_then(|p| p.value), Some(0.5));
    assert_eq!(c6.percent, Some(66.7));
    // 50 %, 50 %, then 66.7 %: the line through them passes 80 % well before 2030.
    assert_eq!(c6.status, cncl_eval::status::Status::OnTrack);
    assert!(c6.projected.unwrap() > 0.8);
}

#[test]
fn two_sets_compared_mark_what_differs() {
    use cncl_eval::comparison::compare;
    let f = two_level_facts(85_000);
    let tracing = set();
    let mut roll_up = set();
    roll_up.version = "roll-up".into();
    roll_up.parameters.bom_rule = BomRule::RollUp;
    let options = Options { history_from: day(2026, 1, 1), evidence: false };
    let left = evaluate(&tracing, &f, day(2026, 6, 30), options);
    let right = evaluate(&roll_up, &f, day(2026, 6, 30), options);
    let comparison = compare(&left, &right);
    assert_eq!((comparison.left.bom_rule, comparison.right.bom_rule), (BomRule::Tracing, BomRule::RollUp));
    assert_eq!(comparison.right.set.to_string(), "decision-2815@roll-up");
    let row = |scope: &str, id: &str| comparison.rows.iter().find(|r| r.scope == scope && r.criterion == id).unwrap();
    // C1a 152,000 vs 156,000 of 200,000; C1b 82,000 vs 86,000 of 130,000 (see above).
    assert!(row("uav", "C1a").figure_differs && row("uav", "C1b").figure_differs);
    assert!(!row("uav", "C1a").target_differs, "same targets");
    // No data on both sides is the same; the LLM has no models.
    assert!(!row("llm", "C1a").differs());
    assert!(!row("programme", "P7").differs());
    assert_eq!(comparison.differing_rows, comparison.rows.iter().filter(|r| r.differs()).count());
    assert!(comparison.rows.iter().filter(|r| r.differs()).all(|r| ["C1a", "C1b"].contains(&r.criterion.as_str())));

    // A criterion only one set has is a row with the other side absent.
    let mut fewer = set();
    fewer.criteria.retain(|c| c.id != "P10");
    let comparison = compare(&evaluate(&fewer, &f, day(2026, 6, 30), options), &left);
    let p10 = comparison.rows.iter().find(|r| r.criterion == "P10").unwrap();
    assert!(p10.left.is_none() && p10.right.is_some() && p10.differs());
    assert_eq!(comparison.rows.last().map(|r| r.criterion.as_str()), Some("P10"), "additions after");
}
