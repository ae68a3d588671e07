//! The least-cost choice of substitutions: a multiple-choice knapsack with two covering
//! constraints, solved exactly by dynamic programming over partial choices with dominance
//! and bounds (the "list" form of the knapsack DP, as in Pisinger's MCKP algorithms).
//!
//! Each class (a BOM line) offers options; at most one is taken. An option has a cost `c`
//! (negative for a cheaper domestic part) and gains `a`, `b` towards the two constraints
//! (C1a and C1b; both positive, see `super`). Find the choice with `Σa ≥ need_a`,
//! `Σb ≥ need_b` and the least `Σc`.
//!
//! Classes are decided one at a time. After each, the partial choices are kept as states
//! (cost so far, gains so far), from which a state is dropped only when it cannot lead to a
//! better complete choice than one already held:
//! - *dominated*: another state costs no more and has at least its gains (each gain counted
//!   up to its need — beyond it, more is worth nothing). Whatever completes the dropped
//!   state completes the other at no more cost, and as feasibly, because gains are never
//!   negative.
//! - *infeasible*: even the largest gain of every class still undecided cannot reach a need.
//! - *bounded*: a lower bound on every completion's cost is not below the cost of a
//!   complete choice already held (kept aside, so it is never lost). The bound is a
//!   Lagrangian relaxation: for multipliers λ, μ ≥ 0 and any completion meeting the needs,
//!   `Σc = Σ(c − λa − μb) + λΣa + μΣb ≥ Σ_classes min(0, min_option(c − λa − μb)) + λ·rest_a + μ·rest_b`,
//!   with `rest` what is still to gain (never below zero). It holds for every λ, μ ≥ 0; the
//!   linear relaxation's multipliers make it tight, which only makes the search faster.
//!
//! **Why the result is exact.** Every complete choice descends from the states kept after
//! each class, except through a dropped state — and a dropped state has a kept state or a
//! held choice that is at least as good. All arithmetic is on integers (i128; multipliers
//! as fractions), so no rounding can drop the optimum. Classes are decided in order of how
//! clear-cut their best option is, so most are settled while the states are few.

use std::collections::BTreeMap;

/// One option of a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub cost: i128,
    pub a: i128,
    pub b: i128,
}

/// The problem: classes of options and the two needs.
#[derive(Debug, Clone, Default)]
pub struct Problem {
    pub classes: Vec<Vec<Item>>,
    pub need_a: i128,
    pub need_b: i128,
}

/// The optimum: its cost and, per class, the option taken (`None`: keep the line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    pub cost: i128,
    pub choice: Vec<Option<usize>>,
}

/// A multiplier p/q ≥ 0.
#[derive(Debug, Clone, Copy)]
struct Multiplier {
    p: i128,
    q: i128,
}

impl Multiplier {
    const ZERO: Multiplier = Multiplier { p: 0, q: 1 };
}

/// The linear relaxation's multiplier for one constraint: walking every class's lower
/// convex hull of (gain, cost) from "keep" (0, 0) in order of slope, the slope at which the
/// need is covered (zero when keeping everything covers it, or when no segment has a
/// positive slope before it is covered).
fn lp_multiplier(problem: &Problem, gain: impl Fn(&Item) -> i128, need: i128) -> Multiplier {
    if need <= 0 {
        return Multiplier::ZERO;
    }
    let mut segments: Vec<(i128, i128)> = Vec::new();
    for class in &problem.classes {
        let mut points: Vec<(i128, i128)> = class.iter().map(|i| (gain(i), i.cost)).filter(|p| p.0 > 0).collect();
        points.push((0, 0));
        points.sort_unstable();
        // Lower hull by gain; only the part to the right of the cheapest point matters.
        let mut hull: Vec<(i128, i128)> = Vec::new();
        for p in points {
            while hull.len() >= 2 {
                let (o, a) = (hull[hull.len() - 2], hull[hull.len() - 1]);
                let cross = (a.0 - o.0) * (p.1 - o.1) - (a.1 - o.1) * (p.0 - o.0);
                if cross <= 0 {
                    hull.pop();
                } else {
                    break;
                }
            }
            hull.push(p);
        }
        let cheapest = hull.iter().enumerate().min_by_key(|(_, p)| (p.1, -p.0)).map_or(0, |(i, _)| i);
        for w in hull[cheapest..].windows(2) {
            segments.push((w[1].0 - w[0].0, w[1].1 - w[0].1));
        }
        // The cheapest point itself covers its gain for free (or at a saving).
        let free = hull.get(cheapest).map_or(0, |p| p.0);
        if free > 0 {
            segments.push((free, 0));
        }
    }
    // Increasing slope Δcost/Δgain, compared as fractions.
    segments.sort_by(|x, y| (x.1 * y.0).cmp(&(y.1 * x.0)));
    let mut covered = 0_i128;
    for (dg, dc) in segments {
        covered += dg;
        if covered >= need {
            return if dc > 0 { Multiplier { p: dc, q: dg } } else { Multiplier::ZERO };
        }
    }
    Multiplier::ZERO
}

/// The Lagrangian bound's parts for one pair of multipliers, scaled by `scale = λq·μq`.
struct Bound {
    lambda: Multiplier,
    mu: Multiplier,
    scale: i128,
    /// Σ over classes from k on of min(0, min reduced cost), scaled.
    suffix: Vec<i128>,
    /// Each class's options sorted by reduced cost (the search's order).
    reduced: Vec<Vec<i128>>,
}

impl Bound {
    fn new(problem: &Problem, lambda: Multiplier, mu: Multiplier) -> Bound {
        let scale = lambda.q * mu.q;
        let reduced: Vec<Vec<i128>> = problem
            .classes
            .iter()
            .map(|class| class.iter().map(|i| i.cost * scale - lambda.p * mu.q * i.a - mu.p * lambda.q * i.b).collect())
            .collect();
        let mut suffix = vec![0_i128; problem.classes.len() + 1];
        for k in (0..problem.classes.len()).rev() {
            suffix[k] = suffix[k + 1] + reduced[k].iter().copied().min().unwrap_or(0).min(0);
        }
        Bound { lambda, mu, scale, suffix, reduced }
    }

    /// Whether every completion from class `k`, with `cost` spent and `rest_a`, `rest_b`
    /// still to gain, costs at least `best`.
    fn cannot_beat(&self, k: usize, cost: i128, rest_a: i128, rest_b: i128, best: i128) -> bool {
        let bound = cost * self.scale
            + self.suffix[k]
            + self.lambda.p * self.mu.q * rest_a.max(0)
            + self.mu.p * self.lambda.q * rest_b.max(0);
        bound >= best * self.scale
    }
}

/// A partial choice: its sums and how it was reached (the previous stage's state and the
/// option taken there).
#[derive(Debug, Clone, Copy)]
struct State {
    cost: i128,
    a: i128,
    b: i128,
    from: u32,
    option: Option<u32>,
}

/// Drop dominated states: sorted by cost, a state stays only if no cheaper (or equal) state
/// kept has at least its capped gains. The kept states' capped gains form a staircase
/// (more `a`, less `b`), so one ordered-map look-up decides.
fn undominated(mut states: Vec<State>, need_a: i128, need_b: i128) -> Vec<State> {
    let cap = |s: &State| (s.a.min(need_a.max(0)), s.b.min(need_b.max(0)));
    states.sort_by(|x, y| x.cost.cmp(&y.cost).then_with(|| cap(y).cmp(&cap(x))));
    let mut staircase: BTreeMap<i128, i128> = BTreeMap::new();
    let mut kept = Vec::with_capacity(states.len());
    for state in states {
        let (a, b) = cap(&state);
        if staircase.range(a..).next().is_some_and(|(_, &b_kept)| b_kept >= b) {
            continue;
        }
        let covered: Vec<i128> =
            staircase.range(..=a).rev().take_while(|&(_, &bk)| bk <= b).map(|(&ak, _)| ak).collect();
        for key in covered {
            staircase.remove(&key);
        }
        staircase.insert(a, b);
        kept.push(state);
    }
    kept
}

/// Solve exactly; `None` when no choice meets both needs.
pub fn solve(problem: &Problem) -> Option<Solution> {
    let n = problem.classes.len();
    let lambda = lp_multiplier(problem, |i| i.a, problem.need_a);
    let mu = lp_multiplier(problem, |i| i.b, problem.need_b);
    let (order, ordered) = clear_cut_first(problem, &Bound::new(problem, lambda, Multiplier::ZERO));
    let bounds = [Bound::new(&ordered, lambda, Multiplier::ZERO), Bound::new(&ordered, Multiplier::ZERO, mu)];
    let (max_a, max_b) = (most_to_gain(&ordered, |i| i.a), most_to_gain(&ordered, |i| i.b));
    if max_a[0] < ordered.need_a || max_b[0] < ordered.need_b {
        return None;
    }
    let mut held = greedy(&ordered, &bounds[0]);
    let mut stages: Vec<Vec<State>> = Vec::with_capacity(n + 1);
    stages.push(vec![State { cost: 0, a: 0, b: 0, from: 0, option: None }]);
    for k in 0..n {
        let mut next = Vec::new();
        for (index, state) in stages[k].iter().enumerate() {
            let from = u32::try_from(index).unwrap_or(u32::MAX);
            let keep = std::iter::once((None, Item { cost: 0, a: 0, b: 0 }));
            let options = ordered.classes[k].iter().enumerate().map(|(j, &item)| (u32::try_from(j).ok(), item));
            for (option, item) in keep.chain(options) {
                let t = State { cost: state.cost + item.cost, a: state.a + item.a, b: state.b + item.b, from, option };
                if t.a + max_a[k + 1] < ordered.need_a || t.b + max_b[k + 1] < ordered.need_b {
                    continue;
                }
                if let Some((best, _)) = &held {
                    let (rest_a, rest_b) = (ordered.need_a - t.a, ordered.need_b - t.b);
                    if bounds.iter().any(|bound| bound.cannot_beat(k + 1, t.cost, rest_a, rest_b, *best)) {
                        continue;
                    }
                }
                next.push(t);
            }
        }
        let next = undominated(next, ordered.need_a, ordered.need_b);
        // A state that already meets both needs, completed by keeping every other line,
        // is a complete choice: hold the cheapest.
        if let Some(met) = next
            .iter()
            .enumerate()
            .filter(|(_, s)| s.a >= ordered.need_a && s.b >= ordered.need_b)
            .min_by_key(|(_, s)| s.cost)
            .filter(|(_, s)| held.as_ref().is_none_or(|(best, _)| s.cost < *best))
        {
            let mut choice = trace(&stages, k, met.1);
            choice.resize(n, None);
            held = Some((met.1.cost, choice));
        }
        stages.push(next);
    }
    let (cost, ordered_choice) = held?;
    let mut choice = vec![None; n];
    for (position, &k) in order.iter().enumerate() {
        choice[k] = ordered_choice[position];
    }
    Some(Solution { cost, choice })
}

/// The classes reordered so that those whose best option (under the bound's multipliers)
/// leaves the others furthest behind come first; and the order, to map back.
fn clear_cut_first(problem: &Problem, bound: &Bound) -> (Vec<usize>, Problem) {
    let margin = |k: usize| {
        let mut reduced: Vec<i128> = bound.reduced[k].clone();
        reduced.push(0);
        reduced.sort_unstable();
        reduced.get(1).map_or(i128::MAX, |second| second - reduced[0])
    };
    let margins: Vec<i128> = (0..problem.classes.len()).map(margin).collect();
    let mut order: Vec<usize> = (0..problem.classes.len()).collect();
    order.sort_by_key(|&k| (std::cmp::Reverse(margins[k]), k));
    let ordered = Problem {
        classes: order.iter().map(|&k| problem.classes[k].clone()).collect(),
        need_a: problem.need_a,
        need_b: problem.need_b,
    };
    (order, ordered)
}

/// For each k, the most the classes from k on can gain (their largest options).
fn most_to_gain(problem: &Problem, gain: impl Fn(&Item) -> i128) -> Vec<i128> {
    let n = problem.classes.len();
    let mut most = vec![0_i128; n + 1];
    for k in (0..n).rev() {
        most[k] = most[k + 1] + problem.classes[k].iter().map(&gain).max().unwrap_or(0).max(0);
    }
    most
}

/// The options taken, class by class, to reach `state` after class `k`.
fn trace(stages: &[Vec<State>], k: usize, state: &State) -> Vec<Option<usize>> {
    let mut choice = vec![None; k + 1];
    let mut at = *state;
    for stage in (0..=k).rev() {
        choice[stage] = at.option.map(|j| j as usize);
        at = stages[stage][at.from as usize];
    }
    choice
}

/// A good complete choice to start from: each class's best option under λ, then, while a
/// need is unmet, the upgrade that gains the most of it per đồng. `None` when it fails.
fn greedy(problem: &Problem, bound: &Bound) -> Option<(i128, Vec<Option<usize>>)> {
    let mut choice: Vec<Option<usize>> = bound
        .reduced
        .iter()
        .map(|reduced| {
            reduced.iter().enumerate().filter(|&(_, &r)| r < 0).min_by_key(|&(j, &r)| (r, j)).map(|(j, _)| j)
        })
        .collect();
    let item = |k: usize, j: Option<usize>| j.map_or(Item { cost: 0, a: 0, b: 0 }, |j| problem.classes[k][j]);
    loop {
        let (cost, a, b) = (0..choice.len()).fold((0, 0, 0), |(c, a, b), k| {
            let i = item(k, choice[k]);
            (c + i.cost, a + i.a, b + i.b)
        });
        let (short_a, short_b) = (problem.need_a - a, problem.need_b - b);
        if short_a <= 0 && short_b <= 0 {
            return Some((cost, choice));
        }
        let gain = |i: &Item| if short_a > 0 { i.a } else { i.b };
        // The upgrade with the least extra cost per extra gain (compared as fractions).
        let mut best: Option<(usize, usize, i128, i128)> = None;
        for (k, class) in problem.classes.iter().enumerate() {
            let now = item(k, choice[k]);
            for (j, option) in class.iter().enumerate() {
                let (dc, dg) = (option.cost - now.cost, gain(option) - gain(&now));
                // Once C1a's need is met, an upgrade for C1b must keep it met.
                let keeps_a = short_a > 0 || a - now.a + option.a >= problem.need_a;
                if dg > 0 && keeps_a && best.is_none_or(|(_, _, bc, bg)| dc * bg < bc * dg) {
                    best = Some((k, j, dc, dg));
                }
            }
        }
        let (k, j, _, _) = best?;
        choice[k] = Some(j);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(cost: i128, a: i128, b: i128) -> Item {
        Item { cost, a, b }
    }

    #[test]
    fn keeps_everything_when_the_needs_are_met() {
        let problem = Problem { classes: vec![vec![item(5, 1, 1)]], need_a: 0, need_b: -3 };
        assert_eq!(solve(&problem), Some(Solution { cost: 0, choice: vec![None] }));
    }

    #[test]
    fn the_cheapest_single_swap_is_not_always_part_of_the_optimum() {
        // Need 10. The cheapest swap per unit of gain (A: 6 for 3) cannot reach 10 with B
        // (A + B = 9), so A + C costs 6 + 20 = 26; B + C reaches 10 for 10 + 20 = 30…
        // but C alone (gain 10, cost 20) is cheapest.
        let problem = Problem {
            classes: vec![vec![item(6, 3, 3)], vec![item(10, 6, 6)], vec![item(20, 10, 10)]],
            need_a: 10,
            need_b: 0,
        };
        assert_eq!(solve(&problem), Some(Solution { cost: 20, choice: vec![None, None, Some(0)] }));
    }

    #[test]
    fn no_choice_reaches_an_impossible_need() {
        let problem = Problem { classes: vec![vec![item(1, 2, 2), item(3, 4, 4)]], need_a: 5, need_b: 0 };
        assert_eq!(solve(&problem), None);
    }

    #[test]
    fn a_cheaper_domestic_part_is_taken_for_free() {
        let problem = Problem { classes: vec![vec![item(-4, 5, 1)], vec![item(7, 9, 9)]], need_a: 3, need_b: 0 };
        assert_eq!(solve(&problem), Some(Solution { cost: -4, choice: vec![Some(0), None] }));
    }

    #[test]
    fn the_second_constraint_can_decide() {
        // A meets need_a cheaply but not need_b; B meets both.
        let problem = Problem { classes: vec![vec![item(2, 10, 1), item(5, 10, 10)]], need_a: 10, need_b: 5 };
        assert_eq!(solve(&problem), Some(Solution { cost: 5, choice: vec![Some(1)] }));
    }

    fn brute_force(problem: &Problem) -> Option<i128> {
        let mut best: Option<i128> = None;
        let mut pick = vec![0_usize; problem.classes.len()];
        loop {
            let (mut cost, mut a, mut b) = (0, 0, 0);
            for (k, &j) in pick.iter().enumerate() {
                if j > 0 {
                    let i = problem.classes[k][j - 1];
                    (cost, a, b) = (cost + i.cost, a + i.a, b + i.b);
                }
            }
            if a >= problem.need_a && b >= problem.need_b && best.is_none_or(|x| cost < x) {
                best = Some(cost);
            }
            let mut k = 0;
            loop {
                if k == pick.len() {
                    return best;
                }
                pick[k] += 1;
                if pick[k] <= problem.classes[k].len() {
                    break;
                }
                pick[k] = 0;
                k += 1;
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Any costs (savings included) and both constraints, either of them binding.
        #[test]
        fn the_optimum_equals_brute_force(
            classes in proptest::collection::vec(
                proptest::collection::vec((-20_i128..60, 1_i128..40, 1_i128..40), 0..=3), 1..=9),
            need_a in -10_i128..150,
            need_b in -10_i128..150,
        ) {
            let problem = Problem {
                classes: classes.iter().map(|c| c.iter().map(|&(cost, a, b)| item(cost, a, b)).collect()).collect(),
                need_a,
                need_b,
            };
            let solved = solve(&problem);
            proptest::prop_assert_eq!(solved.as_ref().map(|s| s.cost), brute_force(&problem));
            if let Some(solution) = solved {
                let (mut cost, mut a, mut b) = (0, 0, 0);
                for (k, j) in solution.choice.iter().enumerate() {
                    if let Some(j) = j {
                        let i = problem.classes[k][*j];
                        (cost, a, b) = (cost + i.cost, a + i.a, b + i.b);
                    }
                }
                proptest::prop_assert_eq!(cost, solution.cost);
                proptest::prop_assert!(a >= need_a && b >= need_b);
            }
        }
    }
}
