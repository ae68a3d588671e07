//! The localisation planner: which imported parts of a model to source at home, from whom,
//! at what cost, for the model to reach the C1a and C1b targets (seed 000: 60 % of the
//! selling price, 40 % of production cost).
//!
//! **The model of a substitution.** An offer replaces one imported line of the bill of
//! materials — one whose imported content counts, i.e. not inside another imported line.
//! The line becomes a domestic part at the offer's unit cost whose own imported content is
//! `unit cost × (100 − domestic share) / 100`, rounded up to the whole đồng (cncl counts
//! money in whole đồng; rounding up never overstates domestic value). With `q` units of the
//! line per unit of the model (the quantities along its path multiplied), the offer
//! - removes `r = q × (line cost − offer's imported content)` of imported content, and
//! - adds `c = q × (offer cost − line cost)` to the cost of one unit (negative when cheaper).
//!
//! Sub-assemblies above the line are costed up by the same difference, so the bill's cost
//! changes by `c`. Under the tracing rule these effects add up line by line: C1a needs
//! `100 Σr ≥ 100 I − (100 − a) P` and C1b `Σ((100 − b) c + 100 r) ≥ b T − 100 D`, for price
//! `P`, imported inputs `I`, domestic and total production cost `D`, `T`, targets `a`, `b`
//! per cent. Only offers that lower the line's imported content (`r > 0`) are considered;
//! each then also raises C1b's left side (`c ≥ −r`, since an offer's imported content never
//! exceeds its cost). Choosing at most one offer per line at least added cost is a
//! multiple-choice knapsack with two covering constraints, solved exactly by [`solver`].
//!
//! **Rules.** The choice is made under tracing, where the sums above are exact. Roll-up
//! never counts more imported content than tracing, so a plan that reaches the targets
//! under tracing reaches them under roll-up too (it may then cost more than needed). Every
//! figure reported — now, planned, best — is computed by the scorecard's own code under the
//! criteria set's rule, on the bill with the substitutions applied.

mod bill;
pub mod solver;

pub use bill::apply;
use bill::place;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use crate::bom;
use crate::criteria::{BomRule, Parameters};
use crate::facts::{BomLineFact, ModelFact};
use crate::indicators::{ModelInputs, Prepared, ValueAddedWeights};
use solver::{Item, Problem};

/// A supplier's offer to make one line of a model's bill at home.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub id: Uuid,
    pub supplier: Uuid,
    /// The BOM line it would replace.
    pub line: Uuid,
    pub unit_cost_vnd: i64,
    /// The domestic share of the offer's own content, 0–100.
    pub domestic_share_percent: u8,
    pub delivery_on: NaiveDate,
    pub trl: u8,
}

impl Offer {
    /// Imported content of one unit, rounded up to the whole đồng.
    pub fn imported_content(&self) -> i128 {
        let cost = i128::from(self.unit_cost_vnd.max(0));
        let imported_percent = 100 - i128::from(self.domestic_share_percent.min(100));
        (cost * imported_percent + 99) / 100
    }
}

/// The targets to reach, per cent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Targets {
    pub c1a_percent: i64,
    pub c1b_percent: i64,
}

/// An exact share, with its value in per cent for display.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Share {
    #[schema(value_type = i64)]
    pub numerator: i128,
    #[schema(value_type = i64)]
    pub denominator: i128,
    /// Per cent, rounded to one decimal; `None` when the denominator is zero.
    pub percent: Option<f64>,
}

impl Share {
    pub fn new(numerator: i128, denominator: i128) -> Share {
        let percent = (denominator != 0).then(|| (numerator as f64 * 1000.0 / denominator as f64).round() / 10.0);
        Share { numerator, denominator, percent }
    }

    /// Whether the share reaches `target` per cent (exactly: 100 n ≥ target d).
    pub fn reaches(&self, target: i64) -> bool {
        self.denominator > 0 && self.numerator * 100 >= i128::from(target) * self.denominator
    }

    /// How many percentage points short of `target` (0 when reached), to one decimal,
    /// never shown as 0 while short.
    pub fn points_short_of(&self, target: i64) -> f64 {
        if self.reaches(target) || self.denominator <= 0 {
            return if self.reaches(target) { 0.0 } else { target as f64 };
        }
        // Tenths of a point, rounded half up, exactly: (10 (target d − 100 n) + d/2) / d.
        let short = i128::from(target) * self.denominator - 100 * self.numerator;
        let tenths = ((10 * short + self.denominator / 2) / self.denominator).max(1);
        tenths as f64 / 10.0
    }
}

/// One substitution of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Substitution {
    pub line: Uuid,
    pub offer: Uuid,
    pub supplier: Uuid,
    /// Units of the line in one unit of the model.
    #[schema(value_type = i64)]
    pub units_per_model: i128,
    pub current_unit_cost_vnd: i64,
    pub offered_unit_cost_vnd: i64,
    /// Added cost per unit of the model (negative: a saving).
    #[schema(value_type = i64)]
    pub added_cost_vnd: i128,
    /// Imported content removed per unit of the model.
    #[schema(value_type = i64)]
    pub imported_removed_vnd: i128,
    pub delivery_on: NaiveDate,
    pub trl: u8,
}

/// An imported line whose content counts and that no offer would lower.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UncoveredLine {
    pub line: Uuid,
    /// Its imported content per unit of the model.
    #[schema(value_type = i64)]
    pub imported_content_vnd: i128,
}

/// What the plan does to the product's figures, each model weighted by its sales as the
/// scorecard weighs it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ProductEffect {
    pub c1a_before: Share,
    pub c1a_after: Share,
    pub c1b_before: Share,
    pub c1b_after: Share,
}

/// The least-cost plan for one model, or, when the targets cannot be reached, the plan that
/// comes closest on C1a with what remains.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct LocalisationPlan {
    pub model: Uuid,
    pub as_of: NaiveDate,
    pub targets: Targets,
    /// The rule the figures are computed under (the plan is chosen under tracing).
    pub bom_rule: BomRule,
    pub current_c1a: Share,
    pub current_c1b: Share,
    /// Already at both targets: the plan then holds only substitutions that save money.
    pub meets_targets_now: bool,
    /// Some choice of offers reaches both targets; `substitutions` is the cheapest.
    pub reachable: bool,
    pub substitutions: Vec<Substitution>,
    /// Σ added cost per unit of the model.
    #[schema(value_type = i64)]
    pub added_cost_vnd: i128,
    pub planned_c1a: Share,
    pub planned_c1b: Share,
    /// The highest C1a and C1b any choice of the offers reaches (each on its own).
    pub best_c1a: Share,
    pub best_c1b: Share,
    /// Percentage points still missing with the best choice (0 when reachable).
    pub c1a_gap_points: f64,
    pub c1b_gap_points: f64,
    /// Imported lines no offer covers, largest imported content first.
    pub uncovered_lines: Vec<UncoveredLine>,
    /// The suppliers the plan brings in.
    pub suppliers: Vec<Uuid>,
    pub product_effect: Option<ProductEffect>,
}

/// A candidate: one offer for one line, with its effect.
#[derive(Debug, Clone, Copy)]
struct Candidate<'o> {
    offer: &'o Offer,
    line: &'o BomLineFact,
    units: i128,
    cost: i128,
    removed: i128,
}

/// A model's inputs before and after a choice of offers, under the set's rule.
struct Inputs {
    price: i128,
    /// Imported inputs outside the bill (imported cost lines), and the rest of production
    /// cost outside the bill.
    imported_outside_bill: i128,
    cost_outside_bill: i128,
}

impl Inputs {
    /// The parts outside the bill, from the model's inputs and its bill under the set's rule;
    /// and the bill's imported content under tracing.
    fn of(model: &ModelFact, now: &ModelInputs, bill: &[BomLineFact], parameters: &Parameters) -> (Inputs, i128) {
        let content =
            |rule| bom::bill_content(std::slice::from_ref(model), bill, rule, parameters.roll_up_threshold_percent)[0];
        let (bill_cost, bill_imported) = content(parameters.bom_rule).map_or((0, 0), |c| (c.cost, c.imported));
        let inputs = Inputs {
            price: now.price,
            imported_outside_bill: now.imported - bill_imported,
            cost_outside_bill: now.total_cost - bill_cost,
        };
        (inputs, content(BomRule::Tracing).map_or(0, |c| c.imported))
    }

    fn shares(&self, model: &ModelFact, bill: &[BomLineFact], parameters: &Parameters) -> (Share, Share) {
        let content = bom::bill_content(
            std::slice::from_ref(model),
            bill,
            parameters.bom_rule,
            parameters.roll_up_threshold_percent,
        );
        let (cost, imported) = content[0].map_or((0, 0), |c| (c.cost, c.imported));
        let imported = imported + self.imported_outside_bill;
        let total = cost + self.cost_outside_bill;
        let c1a = Share::new((self.price - imported.min(self.price)).max(0), self.price);
        (c1a, Share::new(total - imported, total))
    }
}

/// What plans on one date share: the indexed facts, the product weights, the rule and the
/// targets.
pub struct Planner<'p> {
    prepared: &'p Prepared<'p>,
    weights: ValueAddedWeights,
    parameters: &'p Parameters,
    targets: Targets,
    as_of: NaiveDate,
}

impl<'p> Planner<'p> {
    pub fn new(prepared: &'p Prepared<'p>, parameters: &'p Parameters, targets: Targets, as_of: NaiveDate) -> Self {
        Planner { weights: prepared.value_added_weights(as_of), prepared, parameters, targets, as_of }
    }

    /// Plan for `model` (whose bill is `bill`; other models' lines are ignored) with
    /// `offers` (those for other lines are ignored). `None` when the model is not among the
    /// facts.
    pub fn plan(&self, model: Uuid, bill: &[BomLineFact], offers: &[Offer]) -> Option<LocalisationPlan> {
        plan(self, model, bill, offers)
    }
}

fn plan(planner: &Planner<'_>, model: Uuid, bill: &[BomLineFact], offers: &[Offer]) -> Option<LocalisationPlan> {
    let Planner { prepared, parameters, targets, as_of, .. } = *planner;
    let now = prepared.model_inputs(model)?;
    let model_fact = prepared.model(now.index).clone();
    let mut bill: Vec<BomLineFact> = bill.iter().filter(|l| l.model == model).cloned().collect();
    bill.sort_by_key(|l| (l.model.as_u128(), l.id.as_u128()));
    let (inputs, traced) = Inputs::of(&model_fact, &now, &bill, parameters);
    let current = inputs.shares(&model_fact, &bill, parameters);
    let meets_now = current.0.reaches(targets.c1a_percent) && current.1.reaches(targets.c1b_percent);

    // The knapsack, under tracing.
    let imported = inputs.imported_outside_bill + traced;
    let total = now.total_cost;
    let (classes, uncovered) = candidates(&bill, offers);
    let problem = knapsack(&classes, targets, imported, total, now.price);
    let pick = |choice: &[Option<usize>]| -> Vec<Candidate<'_>> {
        choice.iter().zip(&classes).filter_map(|(j, class)| j.map(|j| class[j])).collect()
    };
    // Solved even when the targets are met: an offer both cheaper and more domestic is
    // still worth taking.
    let solved = solver::solve(&problem);
    let most_c1a = most_removed(&problem);
    let most_c1b = most_domestic_share(&problem, total - imported, total);
    let chosen = match &solved {
        Some(solution) => pick(&solution.choice),
        None => pick(&most_c1a),
    };
    let after = |candidates: &[Candidate<'_>]| {
        let pairs: Vec<(&BomLineFact, &Offer)> = candidates.iter().map(|c| (c.line, c.offer)).collect();
        inputs.shares(&model_fact, &apply(&bill, &pairs), parameters)
    };
    let planned = after(&chosen);
    let best_c1a = after(&pick(&most_c1a)).0;
    let best_c1b = after(&pick(&most_c1b)).1;
    let reachable = solved.is_some();
    let substitutions = substitutions_of(&chosen);
    let suppliers: Vec<Uuid> =
        substitutions.iter().map(|s| s.supplier).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let product_effect = product_effect(&planner.weights, now.index, current, planned);
    Some(LocalisationPlan {
        model,
        as_of,
        targets,
        bom_rule: parameters.bom_rule,
        current_c1a: current.0,
        current_c1b: current.1,
        meets_targets_now: meets_now,
        reachable,
        added_cost_vnd: substitutions.iter().map(|s| s.added_cost_vnd).sum(),
        substitutions,
        planned_c1a: planned.0,
        planned_c1b: planned.1,
        c1a_gap_points: if reachable { 0.0 } else { best_c1a.points_short_of(targets.c1a_percent) },
        c1b_gap_points: if reachable { 0.0 } else { best_c1b.points_short_of(targets.c1b_percent) },
        best_c1a,
        best_c1b,
        uncovered_lines: uncovered,
        suppliers,
        product_effect,
    })
}

/// The lines whose imported content counts, each with the offers that lower it; and those
/// no offer lowers.
fn candidates<'o>(bill: &'o [BomLineFact], offers: &'o [Offer]) -> (Vec<Vec<Candidate<'o>>>, Vec<UncoveredLine>) {
    let placed = place(bill);
    let mut by_line: HashMap<Uuid, Vec<&Offer>> = HashMap::new();
    for offer in offers {
        by_line.entry(offer.line).or_default().push(offer);
    }
    let (mut classes, mut uncovered) = (Vec::new(), Vec::new());
    for line in bill {
        let Some(p) = placed.get(&line.id).filter(|p| p.counts) else { continue };
        let current_cost = i128::from(line.unit_cost_vnd);
        let candidates: Vec<Candidate<'_>> = by_line
            .get(&line.id)
            .into_iter()
            .flatten()
            .map(|&offer| Candidate {
                offer,
                line,
                units: p.units,
                cost: p.units.saturating_mul(i128::from(offer.unit_cost_vnd) - current_cost),
                removed: p.units.saturating_mul(current_cost - offer.imported_content()),
            })
            .filter(|c| c.removed > 0)
            .collect();
        if candidates.is_empty() {
            uncovered.push(UncoveredLine { line: line.id, imported_content_vnd: p.units.saturating_mul(current_cost) });
        } else {
            classes.push(candidates);
        }
    }
    uncovered.sort_by_key(|u| (-u.imported_content_vnd, u.line));
    (classes, uncovered)
}

/// The knapsack of the module's description, for a model with (traced) imported inputs
/// `imported`, production cost `total` and selling price `price`.
fn knapsack(classes: &[Vec<Candidate<'_>>], targets: Targets, imported: i128, total: i128, price: i128) -> Problem {
    let (a_target, b_target) = (i128::from(targets.c1a_percent), i128::from(targets.c1b_percent));
    Problem {
        classes: classes
            .iter()
            .map(|class| {
                class
                    .iter()
                    .map(|c| Item { cost: c.cost, a: 100 * c.removed, b: (100 - b_target) * c.cost + 100 * c.removed })
                    .collect()
            })
            .collect(),
        need_a: 100 * imported - (100 - a_target) * price,
        need_b: b_target * total - 100 * (total - imported),
    }
}

/// The chosen candidates as the plan lists them, largest removal first.
fn substitutions_of(chosen: &[Candidate<'_>]) -> Vec<Substitution> {
    let mut substitutions: Vec<Substitution> = chosen
        .iter()
        .map(|c| Substitution {
            line: c.line.id,
            offer: c.offer.id,
            supplier: c.offer.supplier,
            units_per_model: c.units,
            current_unit_cost_vnd: c.line.unit_cost_vnd,
            offered_unit_cost_vnd: c.offer.unit_cost_vnd,
            added_cost_vnd: c.cost,
            imported_removed_vnd: c.removed,
            delivery_on: c.offer.delivery_on,
            trl: c.offer.trl,
        })
        .collect();
    substitutions.sort_by_key(|s| (-s.imported_removed_vnd, s.line));
    substitutions
}

/// The product's C1a and C1b with the model at its current and at its planned shares.
fn product_effect(
    weights: &ValueAddedWeights,
    index: usize,
    current: (Share, Share),
    planned: (Share, Share),
) -> Option<ProductEffect> {
    let pair = |s: &Share| (s.numerator, s.denominator);
    let with = |price: bool, new: &Share| {
        let old = if price { pair(&current.0) } else { pair(&current.1) };
        weights.product_with(index, price, old, pair(new)).map(|(n, d)| Share::new(n, d))
    };
    Some(ProductEffect {
        c1a_before: with(true, &current.0)?,
        c1a_after: with(true, &planned.0)?,
        c1b_before: with(false, &current.1)?,
        c1b_after: with(false, &planned.1)?,
    })
}

/// On each line, the offer that removes the most imported content (the cheaper on a tie):
/// the highest C1a any choice reaches.
fn most_removed(problem: &Problem) -> Vec<Option<usize>> {
    let best = |class: &Vec<Item>| (0..class.len()).max_by_key(|&j| (class[j].a, -class[j].cost, usize::MAX - j));
    problem.classes.iter().map(best).collect()
}

/// The choice with the highest C1b, (D + Σ(c + r)) / (T + Σc), found exactly by Dinkelbach's
/// method: with θ the best ratio so far, each line independently takes the option that most
/// increases `(c + r) − θ c`; θ rises strictly until no option improves, and there are
/// finitely many choices, so it ends at the maximum. Ratios are compared as fractions.
fn most_domestic_share(problem: &Problem, domestic: i128, total: i128) -> Vec<Option<usize>> {
    // Each option's effect on (domestic, total): (c + r, c), recovered from the items.
    let effects: Vec<Vec<(i128, i128)>> =
        problem.classes.iter().map(|class| class.iter().map(|i| (i.cost + i.a / 100, i.cost)).collect()).collect();
    let mut choice: Vec<Option<usize>> = vec![None; effects.len()];
    let (mut num, mut den) = (domestic, total);
    if den <= 0 {
        return choice;
    }
    loop {
        // Maximise d − θ t with θ = num/den: compare d·den − num·t.
        let next: Vec<Option<usize>> = effects
            .iter()
            .map(|options| {
                let value = |(d, t): (i128, i128)| d * den - num * t;
                let best = (0..options.len()).max_by_key(|&j| (value(options[j]), usize::MAX - j));
                best.filter(|&j| value(options[j]) > 0)
            })
            .collect();
        let (n, d) = next.iter().zip(&effects).fold((domestic, total), |(n, d), (j, options)| match j {
            Some(j) => (n + options[*j].0, d + options[*j].1),
            None => (n, d),
        });
        if d <= 0 || n * den <= num * d {
            return choice;
        }
        (num, den, choice) = (n, d, next);
    }
}

#[cfg(test)]
mod tests;
