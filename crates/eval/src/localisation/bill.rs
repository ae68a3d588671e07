//! A model's bill seen by the planner: where each line stands in its tree (units per model,
//! whether its imported content counts), and the bill with offers in place of lines.

use std::collections::{HashMap, HashSet};

use cncl_domain::market::Origin;
use uuid::Uuid;

use super::Offer;
use crate::facts::BomLineFact;

/// A line of the bill, placed in its tree.
#[derive(Debug, Clone, Copy)]
pub(super) struct Placed {
    /// Units per unit of the model.
    pub(super) units: i128,
    /// An imported line whose content counts (not inside another imported line).
    pub(super) counts: bool,
    /// The line or one above it is imported.
    imported_here_or_above: bool,
}

/// Each line's units per model and whether its imported content counts. As in the roll-up
/// (`crate::bom`), a line whose parent is missing is a top-level line, and lines caught in
/// a loop are left out.
pub(super) fn place(bill: &[BomLineFact]) -> HashMap<Uuid, Placed> {
    let by_id: HashMap<Uuid, &BomLineFact> = bill.iter().map(|l| (l.id, l)).collect();
    let mut placed: HashMap<Uuid, Option<Placed>> = HashMap::with_capacity(bill.len());
    for line in bill {
        let mut path: Vec<&BomLineFact> = Vec::new();
        let mut seen: HashSet<Uuid> = HashSet::new();
        let mut at = line;
        // What is above the topmost line of `path`: (units, imported) of its parent, the
        // root's (1, false), or nothing for a loop.
        let above: Option<(i128, bool)> = loop {
            if let Some(known) = placed.get(&at.id) {
                break known.map(|k| (k.units, k.imported_here_or_above));
            }
            if !seen.insert(at.id) {
                break None;
            }
            path.push(at);
            match at.parent.and_then(|p| by_id.get(&p)) {
                Some(parent) => at = parent,
                None => break Some((1, false)),
            }
        };
        let Some((mut units, mut imported_above)) = above else {
            for l in path {
                placed.insert(l.id, None);
            }
            continue;
        };
        for l in path.into_iter().rev() {
            units = units.saturating_mul(i128::from(l.quantity));
            let imported = l.origin == Origin::Imported;
            let here = Placed {
                units,
                counts: imported && !imported_above,
                imported_here_or_above: imported || imported_above,
            };
            placed.insert(l.id, Some(here));
            imported_above = here.imported_here_or_above;
        }
    }
    placed.into_iter().filter_map(|(id, p)| p.map(|p| (id, p))).collect()
}

/// The bill with `chosen` offers in place of their lines (see the module's description):
/// each line at the offer's cost, domestic, holding one imported sub-line of the offer's
/// imported content; its former sub-lines gone; its sub-assemblies costed up by the
/// difference.
pub fn apply(bill: &[BomLineFact], chosen: &[(&BomLineFact, &Offer)]) -> Vec<BomLineFact> {
    let by_id: HashMap<Uuid, &BomLineFact> = bill.iter().map(|l| (l.id, l)).collect();
    let mut cost_change: HashMap<Uuid, i128> = HashMap::new();
    let replaced: HashMap<Uuid, &Offer> = chosen.iter().map(|(l, o)| (l.id, *o)).collect();
    for (line, offer) in chosen {
        let mut delta = i128::from(offer.unit_cost_vnd) - i128::from(line.unit_cost_vnd);
        let mut seen = HashSet::from([line.id]);
        let mut at = line.parent.and_then(|p| by_id.get(&p).copied());
        let mut child_quantity = i128::from(line.quantity);
        while let Some(ancestor) = at {
            if !seen.insert(ancestor.id) {
                break;
            }
            delta = delta.saturating_mul(child_quantity);
            *cost_change.entry(ancestor.id).or_default() += delta;
            child_quantity = i128::from(ancestor.quantity);
            at = ancestor.parent.and_then(|p| by_id.get(&p).copied());
        }
    }
    let inside_replaced = |line: &BomLineFact| {
        let mut seen = HashSet::new();
        let mut at = line.parent;
        while let Some(id) = at {
            if replaced.contains_key(&id) {
                return true;
            }
            if !seen.insert(id) {
                return false;
            }
            at = by_id.get(&id).and_then(|l| l.parent);
        }
        false
    };
    let mut out = Vec::with_capacity(bill.len() + chosen.len());
    for line in bill {
        if inside_replaced(line) {
            continue;
        }
        let mut line = line.clone();
        if let Some(offer) = replaced.get(&line.id) {
            line.unit_cost_vnd = offer.unit_cost_vnd;
            line.origin = Origin::Domestic;
            let imported = offer.imported_content();
            if imported > 0 {
                out.push(BomLineFact {
                    id: Uuid::from_u128(line.id.as_u128() ^ offer.id.as_u128()),
                    model: line.model,
                    parent: Some(line.id),
                    quantity: 1,
                    unit_cost_vnd: i64::try_from(imported).unwrap_or(i64::MAX),
                    origin: Origin::Imported,
                });
            }
        } else if let Some(change) = cost_change.get(&line.id) {
            let cost = (i128::from(line.unit_cost_vnd) + change).max(0);
            line.unit_cost_vnd = i64::try_from(cost).unwrap_or(i64::MAX);
        }
        out.push(line);
    }
    out.sort_by_key(|l| (l.model.as_u128(), l.id.as_u128()));
    out
}
