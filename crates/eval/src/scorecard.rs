//! The scorecard: every criterion of a set, for every product and for the programme, on one
//! date, with its value, next target, status, quarterly history and evidence.

use chrono::NaiveDate;
use cncl_domain::{Date, EntityKind};
use serde::Serialize;

use crate::criteria::{BomRule, Comparator, CriteriaSet, Criterion, Scope, Target, Unit};
use crate::facts::Facts;
use crate::indicators::{Evidence, Figure, MaterialsMismatch, ModelShare, Prepared, RecordRef};
use crate::status::{HistoryPoint, Status, history_dates, next_target, status};

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Scorecard {
    pub as_of: NaiveDate,
    pub criteria_set: String,
    pub criteria_version: String,
    /// The bill-of-materials rule that produced C1a and C1b.
    pub bom_rule: BomRule,
    pub roll_up_threshold_percent: u8,
    /// The audit log's last entry whose facts these figures include: they reflect every
    /// write up to it, none after.
    pub audit_seq: i64,
    pub products: Vec<ProductScorecard>,
    pub programme: Vec<CriterionResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ProductScorecard {
    pub product: String,
    pub results: Vec<CriterionResult>,
}

/// One criterion's figure for one product (or the programme).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CriterionResult {
    pub criterion: String,
    pub unit: Unit,
    pub comparator: Comparator,
    /// A limit that must hold every year rather than a goal to reach.
    pub constraint: bool,
    /// The exact figure: numerator / denominator (a count has denominator 1).
    #[schema(value_type = i64)]
    pub numerator: i128,
    #[schema(value_type = i64)]
    pub denominator: i128,
    /// The value: a share in [0, 1] or a count; `None` for no data.
    pub value: Option<f64>,
    /// For a percentage, the value in per cent rounded to one decimal.
    pub percent: Option<f64>,
    /// The target of the next milestone (or the last, once all have passed).
    pub target: Option<Target>,
    pub status: Status,
    /// The trend's value at the target's date, when the status rests on it.
    pub projected: Option<f64>,
    pub history: Vec<HistoryPoint>,
    pub evidence: Evidence,
    pub weakest_model: Option<ModelShare>,
    /// For C1b: models whose materials cost lines disagree with their bill of materials.
    pub materials_mismatches: Vec<MaterialsMismatch>,
}

/// How much of the scorecard to compute.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The start of the quarterly history (the programme's start).
    pub history_from: Date,
    /// Collect the records behind each figure on `as_of`.
    pub evidence: bool,
}

/// Evaluate every criterion of `set` over `facts` on `as_of`.
pub fn evaluate(set: &CriteriaSet, facts: &Facts, as_of: Date, options: Options) -> Scorecard {
    let as_of = as_of.get();
    let history_from = options.history_from.get();
    let prepared = Prepared::new(facts, &set.parameters);
    let mut dates = history_dates(history_from.min(as_of), as_of);
    for criterion in &set.criteria {
        dates.extend(criterion.targets.iter().map(|t| t.by).filter(|d| *d < as_of && *d >= history_from));
    }
    dates.sort_unstable();
    dates.dedup();

    let mut products: Vec<ProductScorecard> =
        facts.products.iter().map(|p| ProductScorecard { product: p.clone(), results: Vec::new() }).collect();
    let mut programme = Vec::new();
    for criterion in &set.criteria {
        let now = prepared.figures(criterion.indicator, &criterion.parameters, as_of, options.evidence);
        let past: Vec<Vec<Figure>> = dates
            .iter()
            .map(|d| {
                if *d == as_of {
                    now.clone()
                } else {
                    prepared.figures(criterion.indicator, &criterion.parameters, *d, false)
                }
            })
            .collect();
        for (slot, figure) in now.into_iter().enumerate() {
            let history: Vec<HistoryPoint> = dates
                .iter()
                .zip(&past)
                .map(|(date, figures)| HistoryPoint { date: *date, value: figures[slot].value() })
                .collect();
            let result = result(criterion, figure, as_of, history);
            match criterion.scope {
                Scope::Product => products[slot].results.push(result),
                Scope::Programme => programme.push(result),
            }
        }
    }
    Scorecard {
        as_of,
        criteria_set: set.id.clone(),
        criteria_version: set.version.clone(),
        bom_rule: set.parameters.bom_rule,
        roll_up_threshold_percent: set.parameters.roll_up_threshold_percent,
        audit_seq: facts.audit_seq,
        products,
        programme,
    }
}

fn result(criterion: &Criterion, figure: Figure, as_of: NaiveDate, history: Vec<HistoryPoint>) -> CriterionResult {
    let (status, projected) = status(criterion, figure.numerator, figure.denominator, as_of, &history);
    let value = figure.value();
    CriterionResult {
        criterion: criterion.id.clone(),
        unit: criterion.unit,
        comparator: criterion.comparator,
        constraint: criterion.constraint,
        numerator: figure.numerator,
        denominator: figure.denominator,
        value,
        percent: match criterion.unit {
            Unit::Percent => value.map(|v| (v * 1000.0).round() / 10.0),
            Unit::Count => None,
        },
        target: next_target(criterion, as_of).cloned(),
        status,
        projected,
        history,
        evidence: figure.evidence,
        weakest_model: figure.weakest_model,
        materials_mismatches: figure.materials_mismatches,
    }
}

impl Scorecard {
    /// Only one product's figures (and the programme's), copied out.
    pub fn only_product(&self, code: &str) -> Self {
        let products = self.products.iter().filter(|p| p.product == code).cloned().collect();
        self.with_figures(products, self.programme.clone())
    }

    /// This scorecard's date, set, rule and audit position over other figures.
    fn with_figures(&self, products: Vec<ProductScorecard>, programme: Vec<CriterionResult>) -> Self {
        Scorecard {
            as_of: self.as_of,
            criteria_set: self.criteria_set.clone(),
            criteria_version: self.criteria_version.clone(),
            bom_rule: self.bom_rule,
            roll_up_threshold_percent: self.roll_up_threshold_percent,
            audit_seq: self.audit_seq,
            products,
            programme,
        }
    }

    /// The same figures with each one's records cut to those `visible` keeps (counted as
    /// withheld): what a reader who may see only some records is shown.
    pub fn within(&self, visible: &impl Fn(&RecordRef) -> bool) -> Self {
        let model = |m: &MaterialsMismatch| RecordRef { kind: EntityKind::ProductModel.resource(), id: m.model };
        // Each result is rebuilt around its cut evidence rather than cloned and then cut: a
        // clone would copy every record reference (tens of megabytes nationally) first.
        let cut = |result: &CriterionResult| CriterionResult {
            criterion: result.criterion.clone(),
            history: result.history.clone(),
            target: result.target.clone(),
            evidence: result.evidence.within(visible),
            materials_mismatches: result.materials_mismatches.iter().filter(|m| visible(&model(m))).cloned().collect(),
            ..*result
        };
        let products = self
            .products
            .iter()
            .map(|p| ProductScorecard { product: p.product.clone(), results: p.results.iter().map(cut).collect() })
            .collect();
        self.with_figures(products, self.programme.iter().map(cut).collect())
    }

    /// The record kinds (as in API paths) named in any figure's evidence or warnings.
    pub fn evidence_kinds(&self) -> std::collections::BTreeSet<&'static str> {
        let results = self.products.iter().flat_map(|p| &p.results).chain(&self.programme);
        let mut kinds = std::collections::BTreeSet::new();
        // Asked on every signed-in page, over millions of references at national scale: a
        // figure's evidence comes in runs of one kind, so only a change of kind is looked up
        // (collecting every reference and sorting it took most of the page's 50 ms).
        for list in results.clone().flat_map(|r| [&r.evidence.numerator, &r.evidence.denominator]) {
            let mut last: Option<&'static str> = None;
            for reference in list {
                if last.is_none_or(|kind| !std::ptr::eq(kind, reference.kind)) {
                    kinds.insert(reference.kind);
                    last = Some(reference.kind);
                }
            }
        }
        if results.clone().any(|r| !r.materials_mismatches.is_empty()) {
            kinds.insert(EntityKind::ProductModel.resource());
        }
        kinds
    }

    /// About how many bytes the scorecard holds in memory: what a cache of scorecards counts
    /// against its budget. The vectors' contents dominate (evidence at national scale is
    /// millions of record references); the fixed parts are counted once per figure.
    pub fn approximate_bytes(&self) -> usize {
        use std::mem::size_of;
        let figure = |r: &CriterionResult| {
            size_of::<CriterionResult>()
                + r.history.capacity() * size_of::<HistoryPoint>()
                + (r.evidence.numerator.capacity() + r.evidence.denominator.capacity())
                    * size_of::<crate::indicators::RecordRef>()
        };
        let products: usize = self.products.iter().flat_map(|p| &p.results).map(figure).sum();
        size_of::<Self>() + products + self.programme.iter().map(figure).sum::<usize>()
    }

    /// The same figures without the records behind them: what evaluating without evidence
    /// gives, for visitors who may not see records.
    pub fn without_evidence(mut self) -> Self {
        for result in self.products.iter_mut().flat_map(|p| &mut p.results).chain(&mut self.programme) {
            result.evidence = crate::indicators::Evidence::default();
            result.materials_mismatches = Vec::new();
        }
        self
    }
}
