//! Two criteria sets side by side: the same facts on the same date evaluated under each,
//! criterion by criterion, with what differs marked — the figure (compared as exact
//! fractions, so a difference is never a rounding artefact), the target, the status.

use chrono::NaiveDate;
use serde::Serialize;

use crate::criteria::{BomRule, SetRef, Target, Unit};
use crate::scorecard::{CriterionResult, Scorecard};
use crate::status::Status;

/// The product codes' name for the programme-wide figures.
pub const PROGRAMME_SCOPE: &str = "programme";

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Comparison {
    pub as_of: NaiveDate,
    pub left: ComparedSet,
    pub right: ComparedSet,
    /// Every criterion of either set, for every product and then the programme: the left
    /// set's order, the right set's additions after.
    pub rows: Vec<ComparedCriterion>,
    /// How many rows differ in figure, target or status.
    pub differing_rows: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ComparedSet {
    pub set: SetRef,
    pub bom_rule: BomRule,
    pub roll_up_threshold_percent: u8,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ComparedCriterion {
    /// A product code, or `programme`.
    pub scope: String,
    pub criterion: String,
    /// `None` when the set has no such criterion.
    pub left: Option<ComparedFigure>,
    pub right: Option<ComparedFigure>,
    pub figure_differs: bool,
    pub target_differs: bool,
    pub status_differs: bool,
}

impl ComparedCriterion {
    pub fn differs(&self) -> bool {
        self.figure_differs || self.target_differs || self.status_differs
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ComparedFigure {
    pub unit: Unit,
    #[schema(value_type = i64)]
    pub numerator: i128,
    #[schema(value_type = i64)]
    pub denominator: i128,
    pub value: Option<f64>,
    pub percent: Option<f64>,
    pub target: Option<Target>,
    pub status: Status,
}

impl From<&CriterionResult> for ComparedFigure {
    fn from(r: &CriterionResult) -> Self {
        ComparedFigure {
            unit: r.unit,
            numerator: r.numerator,
            denominator: r.denominator,
            value: r.value,
            percent: r.percent,
            target: r.target.clone(),
            status: r.status,
        }
    }
}

/// The same value as an exact fraction (no data equals only no data).
fn same_figure(a: &ComparedFigure, b: &ComparedFigure) -> bool {
    match (a.denominator, b.denominator) {
        (0, 0) => true,
        (0, _) | (_, 0) => false,
        (da, db) => a.numerator.saturating_mul(db) == b.numerator.saturating_mul(da),
    }
}

fn row(
    scope: &str,
    criterion: &str,
    left: Option<&CriterionResult>,
    right: Option<&CriterionResult>,
) -> ComparedCriterion {
    let (left, right) = (left.map(ComparedFigure::from), right.map(ComparedFigure::from));
    let (figure_differs, target_differs, status_differs) = match (&left, &right) {
        (Some(l), Some(r)) => (!same_figure(l, r), l.target != r.target, l.status != r.status),
        _ => (true, true, true),
    };
    ComparedCriterion {
        scope: scope.to_owned(),
        criterion: criterion.to_owned(),
        left,
        right,
        figure_differs,
        target_differs,
        status_differs,
    }
}

/// Rows for one scope: the left results' criteria in order, then those only on the right.
fn rows_of(scope: &str, left: &[CriterionResult], right: &[CriterionResult], out: &mut Vec<ComparedCriterion>) {
    for l in left {
        out.push(row(scope, &l.criterion, Some(l), right.iter().find(|r| r.criterion == l.criterion)));
    }
    for r in right.iter().filter(|r| !left.iter().any(|l| l.criterion == r.criterion)) {
        out.push(row(scope, &r.criterion, None, Some(r)));
    }
}

fn product_results<'c>(card: &'c Scorecard, product: &str) -> &'c [CriterionResult] {
    card.products.iter().find(|p| p.product == product).map_or(&[], |p| &p.results)
}

/// Compare two scorecards of the same facts on the same date.
pub fn compare(left: &Scorecard, right: &Scorecard) -> Comparison {
    let mut rows = Vec::new();
    let mut scopes: Vec<&str> = left.products.iter().map(|p| p.product.as_str()).collect();
    for product in right.products.iter().map(|p| p.product.as_str()) {
        if !scopes.contains(&product) {
            scopes.push(product);
        }
    }
    for scope in scopes {
        rows_of(scope, product_results(left, scope), product_results(right, scope), &mut rows);
    }
    rows_of(PROGRAMME_SCOPE, &left.programme, &right.programme, &mut rows);
    let set = |card: &Scorecard| ComparedSet {
        set: SetRef { id: card.criteria_set.clone(), version: card.criteria_version.clone() },
        bom_rule: card.bom_rule,
        roll_up_threshold_percent: card.roll_up_threshold_percent,
    };
    Comparison {
        as_of: left.as_of,
        left: set(left),
        right: set(right),
        differing_rows: rows.iter().filter(|r| r.differs()).count(),
        rows,
    }
}
