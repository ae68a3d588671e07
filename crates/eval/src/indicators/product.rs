//! Indicators computed for each product (criteria C1a–C7).

use chrono::{Datelike, NaiveDate};
use cncl_domain::EntityKind;

use super::{Figure, Figures, ModelInputs, ModelShare, Prepared, ValueAddedWeights, counts, record};

impl Prepared<'_> {
    /// Models of a product that are on the market on `as_of` (launched then or earlier, or
    /// with no launch date).
    fn launched(&self, model: usize, as_of: NaiveDate) -> bool {
        self.facts.models[model].launched_on.is_none_or(|d| d <= as_of)
    }

    /// A model's own C1a (`price`) or C1b share, as (numerator, denominator) per unit.
    pub(crate) fn model_share(&self, m: usize, price: bool) -> (i128, i128) {
        if price {
            let price = i128::from(self.facts.models[m].selling_price_vnd);
            ((price - self.model_imported[m].min(price)).max(0), price)
        } else {
            (self.model_domestic_cost[m], self.model_total_cost[m])
        }
    }

    /// Each model's weight in its product's C1a and C1b on `as_of`, with the product
    /// figures: what a change to one model's share does to its product, without evaluating
    /// the product again.
    pub fn value_added_weights(&self, as_of: NaiveDate) -> ValueAddedWeights {
        let latest = self.latest_sales_years(as_of);
        let units = (0..self.facts.models.len())
            .map(|m| match (self.model_product[m], self.launched(m, as_of)) {
                (Some(p), true) => latest[p].map_or(0, |y| {
                    let (domestic, export) = self.units_in(m, y);
                    domestic + export
                }),
                _ => 0,
            })
            .collect();
        let product_figures = |price| {
            let mut out = Figures { figures: vec![Figure::default(); self.product_count], evidence: false };
            self.value_added(as_of, price, &mut out);
            out.figures.iter().map(|f| (f.numerator, f.denominator)).collect()
        };
        ValueAddedWeights {
            units,
            product: self.model_product.clone(),
            c1a: product_figures(true),
            c1b: product_figures(false),
        }
    }

    /// The model at `index` of the facts.
    pub fn model(&self, index: usize) -> &crate::facts::ModelFact {
        &self.facts.models[index]
    }

    /// One model's inputs to C1a and C1b, đồng per unit; the model found by id.
    pub fn model_inputs(&self, model: uuid::Uuid) -> Option<ModelInputs> {
        let m = *self.model_index.get(&model)?;
        Some(ModelInputs {
            index: m,
            price: i128::from(self.facts.models[m].selling_price_vnd),
            imported: self.model_imported[m],
            domestic_cost: self.model_domestic_cost[m],
            total_cost: self.model_total_cost[m],
        })
    }

    /// Units sold (domestic, export) of a model in `year`.
    fn units_in(&self, model: usize, year: i32) -> (i128, i128) {
        self.model_sales[model]
            .iter()
            .map(|&s| &self.facts.sales[s])
            .filter(|s| s.year == year)
            .fold((0, 0), |(d, e), s| (d + i128::from(s.domestic_units), e + i128::from(s.export_units)))
    }

    /// **C1a** (`price`) — domestic value added as a share of the selling price; per model
    /// (price − imported inputs) / price, where imported inputs are the imported content of
    /// its bill of materials (see [`crate::bom`]) plus its imported cost lines (materials
    /// cost lines only when it has no bill of materials), capped at the price.
    /// **C1b** (`!price`) — per model domestic production cost / all production cost, where
    /// a model with a bill of materials counts its materials as the bill's cost, of which
    /// the bill's imported content (same rule and threshold as C1a) is imported; its other
    /// cost lines, and all cost lines of a model without a bill, count by their origin.
    /// A weighted model whose materials cost lines stray from its bill beyond the set's
    /// tolerance is named in the figure's warnings.
    ///
    /// The product figure sums numerators and denominators over its models launched by
    /// `as_of`, each weighted by its units sold (domestic + export) in the latest year ≤
    /// `as_of`'s year in which any of them sold; models without sales that year weigh
    /// nothing. Evidence: the weighted models. The weakest weighted model is given beside.
    pub(super) fn value_added(&self, as_of: NaiveDate, price: bool, out: &mut Figures) {
        let latest = self.latest_sales_years(as_of);
        for (m, product) in self.model_product.iter().enumerate() {
            let (Some(p), true) = (*product, self.launched(m, as_of)) else {
                continue;
            };
            let Some(y) = latest[p] else { continue };
            let (domestic, export) = self.units_in(m, y);
            let units = domestic + export;
            let (num, den) = self.model_share(m, price);
            if units == 0 || den == 0 {
                continue;
            }
            let id = record(EntityKind::ProductModel, self.facts.models[m].id);
            out.numerator(p, units * num, id);
            out.denominator(p, units * den, id);
            let evidence = out.evidence;
            let figure = &mut out.figures[p];
            // The warning names a record, so it travels with the evidence.
            if let (false, true, Some(mismatch)) = (price, evidence, self.model_mismatch[m]) {
                figure.materials_mismatches.push(mismatch);
            }
            let weaker = figure.weakest_model.is_none_or(|w| num * w.denominator < w.numerator * den);
            if weaker {
                figure.weakest_model =
                    Some(ModelShare { model: self.facts.models[m].id, numerator: num, denominator: den });
            }
        }
    }

    /// For each product, the latest year ≤ `as_of`'s year in which any of its models
    /// launched by `as_of` sold.
    fn latest_sales_years(&self, as_of: NaiveDate) -> Vec<Option<i32>> {
        let year = as_of.year();
        let mut latest: Vec<Option<i32>> = vec![None; self.product_count];
        for (m, product) in self.model_product.iter().enumerate() {
            let Some(p) = *product else { continue };
            if !self.launched(m, as_of) {
                continue;
            }
            for &s in &self.model_sales[m] {
                let sale = &self.facts.sales[s];
                if sale.year <= year
                    && sale.domestic_units + sale.export_units > 0
                    && latest[p].is_none_or(|y| sale.year > y)
                {
                    latest[p] = Some(sale.year);
                }
            }
        }
        latest
    }

    /// **C2** — the weighted share of the product's leaf core technologies whose latest
    /// assessment on or before `as_of` has the mastered level (latest by date, then by
    /// record). Numerator: the deciding assessments; denominator: the leaf technologies,
    /// assessed or not.
    pub(super) fn mastered(&self, as_of: NaiveDate, out: &mut Figures) {
        let mastered = self.parameters.mastered_level;
        for (p, leaves) in self.product_leaves.iter().enumerate() {
            for &t in leaves {
                let technology = &self.facts.technologies[t];
                let weight = i128::from(technology.weight);
                out.denominator(p, weight, record(EntityKind::CoreTechnology, technology.id));
                let list = &self.technology_assessments[t];
                let upto = list.partition_point(|&a| self.facts.assessments[a].assessed_on <= as_of);
                if let Some(&latest) = upto.checked_sub(1).and_then(|i| list.get(i)) {
                    let assessment = &self.facts.assessments[latest];
                    if assessment.mastery == mastered {
                        out.numerator(p, weight, record(EntityKind::TechnologyAssessment, assessment.id));
                    }
                }
            }
        }
    }

    /// **C3** — domestic sales of the product's models (units sold at home × selling price)
    /// / the domestic market size, both for the latest year ≤ `as_of`'s year that has a
    /// market size; capped at 100 %. Numerator: the models that sold; denominator: the
    /// market size record.
    pub(super) fn market_share(&self, as_of: NaiveDate, out: &mut Figures) {
        let year = as_of.year();
        let mut market: Vec<Option<usize>> = vec![None; self.product_count];
        for (i, size) in self.facts.market_sizes.iter().enumerate() {
            let Some(p) = self.facts.products.iter().position(|c| *c == size.product) else {
                continue;
            };
            if size.year <= year && market[p].is_none_or(|j| size.year > self.facts.market_sizes[j].year) {
                market[p] = Some(i);
            }
        }
        for (p, slot) in market.iter().enumerate() {
            if let Some(i) = *slot {
                let size = &self.facts.market_sizes[i];
                out.denominator(p, i128::from(size.domestic_vnd), record(EntityKind::MarketSize, size.id));
            }
        }
        for (m, product) in self.model_product.iter().enumerate() {
            let (Some(p), true) = (*product, self.launched(m, as_of)) else {
                continue;
            };
            let Some(i) = market[p] else { continue };
            let (domestic, _) = self.units_in(m, self.facts.market_sizes[i].year);
            if domestic > 0 {
                let value = domestic * i128::from(self.facts.models[m].selling_price_vnd);
                out.numerator(p, value, record(EntityKind::ProductModel, self.facts.models[m].id));
            }
        }
        for figure in &mut out.figures {
            figure.numerator = figure.numerator.min(figure.denominator);
        }
    }

    /// **C4**, **C5** — research projects (tasks marked research) of the product accepted
    /// on or before `as_of`; numerator: those whose first qualifying output is dated on or
    /// before `as_of` (C4: a publication in an accredited journal; C5: an IP application
    /// formally accepted). Evidence: the tasks.
    pub(super) fn accepted_projects_with(
        &self,
        as_of: NaiveDate,
        first_output: &[Option<NaiveDate>],
        out: &mut Figures,
    ) {
        for (t, task) in self.facts.tasks.iter().enumerate() {
            let Some(p) = self.task_product[t] else {
                continue;
            };
            if !task.is_research || !counts(task.accepted_on, as_of) {
                continue;
            }
            let id = record(EntityKind::Task, task.id);
            out.denominator(p, 1, id);
            if counts(first_output[t], as_of) {
                out.numerator(p, 1, id);
            }
        }
    }

    /// **C6** — research outcomes of the product's tasks recorded on or before `as_of`;
    /// numerator: those integrated into production or commercialised on or before `as_of`.
    pub(super) fn outcomes_applied(&self, as_of: NaiveDate, out: &mut Figures) {
        for (o, outcome) in self.facts.outcomes.iter().enumerate() {
            let Some(p) = self.outcome_product[o] else {
                continue;
            };
            if outcome.recorded_on > as_of {
                continue;
            }
            let id = record(EntityKind::ResearchOutcome, outcome.id);
            out.denominator(p, 1, id);
            if counts(outcome.applied_on, as_of) {
                out.numerator(p, 1, id);
            }
        }
    }

    /// **C7** — dual-use research projects of the product assigned on or before `as_of`;
    /// numerator: those with both a civil and a defence demonstration dated on or before
    /// `as_of`.
    pub(super) fn dual_use_demonstrated(&self, as_of: NaiveDate, out: &mut Figures) {
        for (t, task) in self.facts.tasks.iter().enumerate() {
            let Some(p) = self.task_product[t] else {
                continue;
            };
            if !(task.is_research && task.dual_use && counts(task.assigned_on, as_of)) {
                continue;
            }
            let id = record(EntityKind::Task, task.id);
            out.denominator(p, 1, id);
            if counts(self.first_civil_demonstration[t], as_of) && counts(self.first_defence_demonstration[t], as_of) {
                out.numerator(p, 1, id);
            }
        }
    }
}
