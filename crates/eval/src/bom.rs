//! The imported content of a product model's bill of materials, level by level.
//!
//! A line's imported content per unit:
//! - an imported line: its whole unit cost (bought abroad, whatever it contains);
//! - a domestic line without sub-lines: nothing;
//! - a domestic sub-assembly, under [`BomRule::Tracing`]: the imported content of its
//!   sub-lines (each × its quantity); under [`BomRule::RollUp`]: nothing if its own domestic
//!   share, (unit cost − imported content of its sub-lines) / unit cost, reaches the
//!   threshold, otherwise the imported content of its sub-lines.
//!
//! A model's imported content is the sum over its top-level lines of quantity × imported
//! content per unit, and its bill's cost the sum of quantity × unit cost; the difference is
//! the domestic part of its materials (C1b). Money stays in whole đồng (i128, saturating),
//! so nothing is rounded.

use std::collections::HashMap;

use cncl_domain::market::Origin;
use uuid::Uuid;

use crate::criteria::BomRule;
use crate::facts::{BomLineFact, ModelFact};

/// No parent, or a parent outside the model's lines (treated as top level).
const ROOT: u32 = u32::MAX;

/// Scratch space reused from one model to the next, so a million lines cost no more than
/// a handful of allocations.
#[derive(Default)]
struct Scratch {
    parent: Vec<u32>,
    from_children: Vec<i128>,
    has_children: Vec<bool>,
    child_start: Vec<u32>,
    children: Vec<u32>,
    fill: Vec<u32>,
    imported: Vec<i128>,
    stack: Vec<(u32, u32)>,
}

/// The key lines are sorted and searched by: model, then id. `Uuid::as_u128` orders as the
/// UUID's bytes do, and compares in one instruction rather than a byte loop.
fn key(line: &BomLineFact) -> (u128, u128) {
    (line.model.as_u128(), line.id.as_u128())
}

/// What one unit of a model's bill of materials costs, and how much of that is imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BillContent {
    /// Σ over the top-level lines of quantity × unit cost.
    pub cost: i128,
    /// The imported content under the rule asked for.
    pub imported: i128,
}

impl BillContent {
    /// The domestic part of the bill's cost (never below nothing).
    pub fn domestic(&self) -> i128 {
        (self.cost - self.imported).max(0)
    }
}

/// The bill of materials of each model (đồng per unit of the model), in the order of
/// `models`; `None` for a model without one. Lines are grouped by model; the fastest path
/// expects them sorted by `(model, id)`, as `load_facts` returns them, and sorts a copy
/// otherwise.
pub fn bill_content(
    models: &[ModelFact],
    lines: &[BomLineFact],
    rule: BomRule,
    threshold_percent: u8,
) -> Vec<Option<BillContent>> {
    let model_index: HashMap<Uuid, usize> = models.iter().enumerate().map(|(i, m)| (m.id, i)).collect();
    let mut result = vec![None; models.len()];
    let sorted_copy;
    let lines = if lines.windows(2).all(|w| key(&w[0]) <= key(&w[1])) {
        lines
    } else {
        let mut copy = lines.to_vec();
        copy.sort_unstable_by_key(key);
        sorted_copy = copy;
        &sorted_copy
    };
    let mut scratch = Scratch::default();
    let mut start = 0;
    while start < lines.len() {
        let model = lines[start].model.as_u128();
        let end = start + lines[start..].iter().position(|l| l.model.as_u128() != model).unwrap_or(lines.len() - start);
        if let Some(&m) = model_index.get(&lines[start].model) {
            let group = &lines[start..end];
            let imported = model_imported(group, rule, threshold_percent, &mut scratch);
            // `model_imported` left each line's parent in the scratch space: the top-level
            // lines are those without one (lines caught in a loop count for nothing here too).
            let cost = group
                .iter()
                .zip(&scratch.parent)
                .filter(|&(_, &parent)| parent == ROOT)
                .map(|(l, _)| i128::from(l.quantity).saturating_mul(i128::from(l.unit_cost_vnd)))
                .fold(0, i128::saturating_add);
            result[m] = Some(BillContent { cost, imported });
        }
        start = end;
    }
    result
}

/// The imported content of one unit of each line of one model's bill, in `lines`' order:
/// what a bill-of-materials tree shows branch by branch, under the same rule as
/// [`bill_content`] (a line caught in a loop counts for nothing).
pub fn imported_per_unit(lines: &[BomLineFact], rule: BomRule, threshold_percent: u8) -> Vec<i128> {
    let mut group = lines.to_vec();
    group.sort_unstable_by_key(key);
    let mut scratch = Scratch::default();
    model_imported(&group, rule, threshold_percent, &mut scratch);
    // `model_imported` took the quicker path when it could; the walk keeps every line's value.
    imported_any_order(&group, rule, threshold_percent, &mut scratch);
    let by_id: HashMap<Uuid, i128> = group.iter().zip(&scratch.imported).map(|(l, &v)| (l.id, v)).collect();
    lines.iter().map(|l| by_id.get(&l.id).copied().unwrap_or(0)).collect()
}

/// The imported content of one model whose lines, sorted by id, are `group`.
fn model_imported(group: &[BomLineFact], rule: BomRule, threshold_percent: u8, s: &mut Scratch) -> i128 {
    s.parent.clear();
    let mut parents_first = true;
    for (i, line) in group.iter().enumerate() {
        let parent = line
            .parent
            .and_then(|p| group.binary_search_by_key(&p.as_u128(), |l| l.id.as_u128()).ok())
            .map_or(ROOT, |p| u32::try_from(p).unwrap_or(ROOT));
        parents_first &= parent == ROOT || (parent as usize) < i;
        s.parent.push(parent);
    }
    if parents_first {
        imported_parents_first(group, rule, threshold_percent, s)
    } else {
        imported_any_order(group, rule, threshold_percent, s)
    }
}

/// Lines created after their sub-assembly (the usual case: ids grow with time) are
/// finished in one backward pass, each adding its content to its parent's.
fn imported_parents_first(group: &[BomLineFact], rule: BomRule, threshold_percent: u8, s: &mut Scratch) -> i128 {
    let n = group.len();
    s.from_children.clear();
    s.from_children.resize(n, 0);
    s.has_children.clear();
    s.has_children.resize(n, false);
    let mut total: i128 = 0;
    for i in (0..n).rev() {
        let line = &group[i];
        let per_unit = line_imported(line, s.has_children[i], s.from_children[i], rule, threshold_percent);
        let contribution = i128::from(line.quantity).saturating_mul(per_unit);
        match s.parent[i] {
            ROOT => total = total.saturating_add(contribution),
            p => {
                let p = p as usize;
                s.from_children[p] = s.from_children[p].saturating_add(contribution);
                s.has_children[p] = true;
            }
        }
    }
    total
}

/// Any order of lines: children as compressed rows, then a post-order walk from each
/// top-level line. Lines caught in a loop are never reached and count for nothing.
fn imported_any_order(group: &[BomLineFact], rule: BomRule, threshold_percent: u8, s: &mut Scratch) -> i128 {
    let n = group.len();
    s.child_start.clear();
    s.child_start.resize(n + 1, 0);
    for &p in &s.parent {
        if p != ROOT {
            s.child_start[p as usize + 1] += 1;
        }
    }
    for i in 0..n {
        s.child_start[i + 1] += s.child_start[i];
    }
    s.children.clear();
    s.children.resize(n, 0);
    s.fill.clear();
    s.fill.extend_from_slice(&s.child_start[..n]);
    for (i, &p) in s.parent.iter().enumerate() {
        if p != ROOT {
            s.children[s.fill[p as usize] as usize] = i as u32;
            s.fill[p as usize] += 1;
        }
    }
    s.imported.clear();
    s.imported.resize(n, 0);
    let mut total: i128 = 0;
    for root in (0..n).filter(|&i| s.parent[i] == ROOT) {
        s.stack.push((root as u32, s.child_start[root]));
        while let Some((line, next)) = s.stack.pop() {
            let at = line as usize;
            if next < s.child_start[at + 1] {
                s.stack.push((line, next + 1));
                let child = s.children[next as usize];
                s.stack.push((child, s.child_start[child as usize]));
                continue;
            }
            let children = &s.children[s.child_start[at] as usize..s.child_start[at + 1] as usize];
            let from_children = children
                .iter()
                .map(|&c| i128::from(group[c as usize].quantity).saturating_mul(s.imported[c as usize]))
                .fold(0, i128::saturating_add);
            s.imported[at] = line_imported(&group[at], !children.is_empty(), from_children, rule, threshold_percent);
        }
        total = total.saturating_add(i128::from(group[root].quantity).saturating_mul(s.imported[root]));
    }
    total
}

/// The imported content of one unit of `line`, given that of its sub-lines.
fn line_imported(
    line: &BomLineFact,
    has_children: bool,
    from_children: i128,
    rule: BomRule,
    threshold_percent: u8,
) -> i128 {
    let unit_cost = i128::from(line.unit_cost_vnd);
    if line.origin == Origin::Imported {
        return unit_cost;
    }
    if !has_children {
        return 0;
    }
    match rule {
        BomRule::Tracing => from_children,
        BomRule::RollUp => {
            let domestic = unit_cost - from_children;
            let meets = unit_cost > 0
                && domestic.saturating_mul(100) >= unit_cost.saturating_mul(i128::from(threshold_percent));
            if meets { 0 } else { from_children }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn line(n: u128, parent: Option<u128>, quantity: i64, cost: i64, origin: Origin) -> BomLineFact {
        BomLineFact { id: id(n), model: id(1000), parent: parent.map(id), quantity, unit_cost_vnd: cost, origin }
    }

    fn model() -> ModelFact {
        ModelFact { id: id(1000), product: "uav".into(), selling_price_vnd: 100_000, launched_on: None }
    }

    #[test]
    fn each_branch_carries_its_own_imported_content() {
        // A domestic frame (1 × 40.000) holding 2 imported motors of 5.000 and a domestic bracket;
        // an imported camera (1 × 30.000) at the top level.
        let lines = vec![
            line(4, Some(1), 1, 2_000, Origin::Domestic),
            line(1, None, 1, 40_000, Origin::Domestic),
            line(2, Some(1), 2, 5_000, Origin::Imported),
            line(3, None, 1, 30_000, Origin::Imported),
        ];
        let tracing = imported_per_unit(&lines, BomRule::Tracing, 60);
        assert_eq!(tracing, vec![0, 10_000, 5_000, 30_000]);
        // Under roll-up the frame is 75 % domestic, above 60 %: it counts as wholly domestic.
        let roll_up = imported_per_unit(&lines, BomRule::RollUp, 60);
        assert_eq!(roll_up, vec![0, 0, 5_000, 30_000]);
        for (rule, per_unit) in [(BomRule::Tracing, &tracing), (BomRule::RollUp, &roll_up)] {
            let top: i128 = lines
                .iter()
                .zip(per_unit.iter())
                .filter(|(l, _)| l.parent.is_none())
                .map(|(l, v)| i128::from(l.quantity) * v)
                .sum();
            let whole = bill_content(&[model()], &lines, rule, 60)[0].map(|b| b.imported);
            assert_eq!(Some(top), whole, "{rule:?}: the branches add up to the model's figure");
        }
    }

    /// A three-level bill: a domestic board (cost 30,000) holding 2 imported chips at 5,000
    /// and a domestic module (cost 8,000) holding 1 imported sensor at 3,000; plus 4 imported
    /// screws at 100 and a domestic case at 10,000.
    fn bill() -> Vec<BomLineFact> {
        vec![
            line(1, None, 1, 30_000, Origin::Domestic),
            line(2, Some(1), 2, 5_000, Origin::Imported),
            line(3, Some(1), 1, 8_000, Origin::Domestic),
            line(4, Some(3), 1, 3_000, Origin::Imported),
            line(5, None, 4, 100, Origin::Imported),
            line(6, None, 1, 10_000, Origin::Domestic),
        ]
    }

    /// The imported content alone, as most tests check it.
    fn imported_content(models: &[ModelFact], lines: &[BomLineFact], rule: BomRule, threshold: u8) -> Vec<i128> {
        bill_content(models, lines, rule, threshold).iter().map(|b| b.map_or(0, |b| b.imported)).collect()
    }

    #[test]
    fn the_bill_costs_its_top_level_lines() {
        // board 30,000 + screws 4×100 + case 10,000; sub-lines are inside the board's cost.
        let bill = bill_content(&[model()], &bill(), BomRule::Tracing, 60);
        assert_eq!(bill, vec![Some(BillContent { cost: 40_400, imported: 13_400 })]);
        assert_eq!(bill[0].map(|b| b.domestic()), Some(27_000));
        assert_eq!(bill_content(&[model()], &[], BomRule::Tracing, 60), vec![None]);
    }

    #[test]
    fn tracing_counts_imported_content_at_every_level() {
        // board: 2×5,000 + module(3,000) = 13,000; screws 4×100 = 400; case 0.
        assert_eq!(imported_content(&[model()], &bill(), BomRule::Tracing, 60), vec![13_400]);
    }

    #[test]
    fn roll_up_treats_a_mostly_domestic_sub_assembly_as_domestic() {
        // module: domestic share (8,000 − 3,000)/8,000 = 62.5 % ≥ 60 % → 0 imported.
        // board: children 10,000 + 0 → share (30,000 − 10,000)/30,000 = 66.7 % → 0.
        assert_eq!(imported_content(&[model()], &bill(), BomRule::RollUp, 60), vec![400]);
        // At 65 % the module falls short (3,000 traced) and the board then holds 13,000:
        // share 56.7 % < 65 % → 13,000 traced.
        assert_eq!(imported_content(&[model()], &bill(), BomRule::RollUp, 65), vec![13_400]);
        // At exactly its share (62.5 % → threshold 62 passes, 63 fails).
        let module_only = vec![line(3, None, 1, 8_000, Origin::Domestic), line(4, Some(3), 1, 3_000, Origin::Imported)];
        assert_eq!(imported_content(&[model()], &module_only, BomRule::RollUp, 62), vec![0]);
        assert_eq!(imported_content(&[model()], &module_only, BomRule::RollUp, 63), vec![3_000]);
    }

    #[test]
    fn an_imported_sub_assembly_counts_whole() {
        let lines = vec![line(1, None, 2, 9_000, Origin::Imported), line(2, Some(1), 1, 1_000, Origin::Domestic)];
        assert_eq!(imported_content(&[model()], &lines, BomRule::Tracing, 60), vec![18_000]);
    }

    #[test]
    fn sub_assemblies_recorded_after_their_parts() {
        // The board (id 9) was recorded after its chip (id 2) and module (id 3): the
        // backward pass cannot be used, the walk gives the same answer.
        let lines = vec![
            line(9, None, 1, 30_000, Origin::Domestic),
            line(2, Some(9), 2, 5_000, Origin::Imported),
            line(3, Some(9), 1, 8_000, Origin::Domestic),
            line(4, Some(3), 1, 3_000, Origin::Imported),
        ];
        assert_eq!(imported_content(&[model()], &lines, BomRule::Tracing, 60), vec![13_000]);
        assert_eq!(imported_content(&[model()], &lines, BomRule::RollUp, 60), vec![0]);
    }

    #[test]
    fn lines_in_a_loop_count_for_nothing() {
        let lines = vec![line(1, Some(2), 1, 5_000, Origin::Imported), line(2, Some(1), 1, 5_000, Origin::Imported)];
        assert_eq!(imported_content(&[model()], &lines, BomRule::Tracing, 60), vec![0]);
    }

    #[test]
    fn order_of_lines_does_not_matter() {
        let mut lines = bill();
        lines.reverse();
        assert_eq!(imported_content(&[model()], &lines, BomRule::Tracing, 60), vec![13_400]);
    }

    #[test]
    fn lines_of_unknown_models_and_empty_bills() {
        let mut stray = bill();
        for l in &mut stray {
            l.model = id(7);
        }
        assert_eq!(imported_content(&[model()], &stray, BomRule::Tracing, 60), vec![0]);
        assert_eq!(imported_content(&[model()], &[], BomRule::Tracing, 60), vec![0]);
    }
}
