//! The indicator library: every figure of Decision 2815, computed from facts for any date.
//! Each indicator is documented on its function: numerator, denominator, which records count
//! and which date decides. Facts are indexed once ([`Prepared::new`]); evaluating at a date
//! is then a pass over the indexed facts, so a quarterly history costs little more than one
//! figure.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use cncl_domain::EntityKind;
use cncl_domain::market::{CostCategory, Origin};
use cncl_domain::organisation::OrganisationKind;
use cncl_domain::output::Sector;
use cncl_domain::task::ParticipantRole;
use serde::Serialize;
use uuid::Uuid;

use crate::bom;
use crate::criteria::{Indicator, Parameters, Scope};
use crate::facts::Facts;

/// A record behind a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
pub struct RecordRef {
    /// The kind, as in the API path (`tasks`, `product-models`).
    pub kind: &'static str,
    pub id: Uuid,
}

fn record(kind: EntityKind, id: Uuid) -> RecordRef {
    RecordRef { kind: kind.resource(), id }
}

/// The records counted in a figure's numerator and denominator.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Evidence {
    pub numerator: Vec<RecordRef>,
    pub denominator: Vec<RecordRef>,
    /// Records counted in the numerator but not listed: outside what the reader may see.
    pub numerator_withheld: usize,
    /// Records counted in the denominator but not listed.
    pub denominator_withheld: usize,
}

impl Evidence {
    /// Only the records `visible` keeps; the others are counted as withheld, so the counts
    /// stay those of the figure.
    pub fn within(&self, visible: &impl Fn(&RecordRef) -> bool) -> Evidence {
        let cut = |records: &[RecordRef], withheld: usize| {
            let kept: Vec<RecordRef> = records.iter().copied().filter(|r| visible(r)).collect();
            let dropped = records.len() - kept.len();
            (kept, withheld + dropped)
        };
        let (numerator, numerator_withheld) = cut(&self.numerator, self.numerator_withheld);
        let (denominator, denominator_withheld) = cut(&self.denominator, self.denominator_withheld);
        Evidence { numerator, denominator, numerator_withheld, denominator_withheld }
    }
}

/// One model's share, shown beside a product's value-added figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ModelShare {
    pub model: Uuid,
    #[schema(value_type = i64)]
    pub numerator: i128,
    #[schema(value_type = i64)]
    pub denominator: i128,
}

/// How a model's cost line counts in C1a and C1b: not at all for a materials line of a
/// model with a bill of materials (the bill counts, the line only checks it), otherwise by
/// its own origin.
pub fn cost_line_counts_as(category: CostCategory, origin: Origin, has_bill: bool) -> Option<Origin> {
    (!(has_bill && category == CostCategory::Materials)).then_some(origin)
}

/// A model whose materials cost lines and bill of materials disagree by more than the
/// criteria set's tolerance. Its C1b counts the bill; the warning names both amounts (đồng
/// per unit) so the enterprise can correct whichever is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MaterialsMismatch {
    pub model: Uuid,
    #[schema(value_type = i64)]
    pub materials_cost_lines_vnd: i128,
    #[schema(value_type = i64)]
    pub bill_of_materials_vnd: i128,
}

/// A computed figure: an exact fraction (a count has denominator 1); a denominator of 0
/// means no data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Figure {
    pub numerator: i128,
    pub denominator: i128,
    pub evidence: Evidence,
    /// For C1a/C1b: the model with the lowest share among those weighted.
    pub weakest_model: Option<ModelShare>,
    /// For C1b: the weighted models whose materials cost lines disagree with their bill.
    pub materials_mismatches: Vec<MaterialsMismatch>,
}

impl Figure {
    /// The value as a fraction (a share in [0, 1], or a count); `None` for no data.
    pub fn value(&self) -> Option<f64> {
        (self.denominator != 0).then(|| self.numerator as f64 / self.denominator as f64)
    }
}

/// One model's inputs to C1a and C1b, đồng per unit of the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelInputs {
    /// Its place in `Facts::models`.
    pub index: usize,
    pub price: i128,
    /// Imported inputs: the bill's imported content and the imported cost lines.
    pub imported: i128,
    pub domestic_cost: i128,
    pub total_cost: i128,
}

/// Each model's weight in its product's C1a and C1b on a date (units sold in the product's
/// latest year with sales; 0 when it does not count), and each product's two figures.
#[derive(Debug, Clone)]
pub struct ValueAddedWeights {
    units: Vec<i128>,
    product: Vec<Option<usize>>,
    c1a: Vec<(i128, i128)>,
    c1b: Vec<(i128, i128)>,
}

impl ValueAddedWeights {
    /// The product's C1a (`price`) or C1b, as (numerator, denominator), with the model at
    /// `index` at share `new` instead of `old`: what the scorecard would show.
    pub fn product_with(
        &self,
        index: usize,
        price: bool,
        old: (i128, i128),
        new: (i128, i128),
    ) -> Option<(i128, i128)> {
        let p = self.product.get(index).copied().flatten()?;
        let (mut num, mut den) = if price { self.c1a[p] } else { self.c1b[p] };
        let units = self.units[index];
        if units > 0 && old.1 != 0 {
            (num, den) = (num - units * old.0, den - units * old.1);
        }
        if units > 0 && new.1 != 0 {
            (num, den) = (num + units * new.0, den + units * new.1);
        }
        Some((num, den))
    }
}

/// Facts indexed for evaluation at any date.
pub struct Prepared<'f> {
    facts: &'f Facts,
    parameters: Parameters,
    product_count: usize,
    task_product: Vec<Option<usize>>,
    task_clear: Vec<bool>,
    first_accredited_publication: Vec<Option<NaiveDate>>,
    first_ip_acceptance: Vec<Option<NaiveDate>>,
    first_civil_demonstration: Vec<Option<NaiveDate>>,
    first_defence_demonstration: Vec<Option<NaiveDate>>,
    outcome_product: Vec<Option<usize>>,
    model_product: Vec<Option<usize>>,
    model_index: HashMap<Uuid, usize>,
    model_imported: Vec<i128>,
    model_domestic_cost: Vec<i128>,
    model_total_cost: Vec<i128>,
    model_mismatch: Vec<Option<MaterialsMismatch>>,
    model_sales: Vec<Vec<usize>>,
    product_leaves: Vec<Vec<usize>>,
    technology_assessments: Vec<Vec<usize>>,
    organisation_first_rd: Vec<Option<NaiveDate>>,
    organisation_first_supply: Vec<Option<NaiveDate>>,
}

fn earliest(slot: &mut Option<NaiveDate>, date: NaiveDate) {
    if slot.is_none_or(|d| date < d) {
        *slot = Some(date);
    }
}

fn counts(date: Option<NaiveDate>, as_of: NaiveDate) -> bool {
    date.is_some_and(|d| d <= as_of)
}

impl<'f> Prepared<'f> {
    pub fn new(facts: &'f Facts, parameters: &Parameters) -> Self {
        let product_index: HashMap<&str, usize> =
            facts.products.iter().enumerate().map(|(i, p)| (p.as_str(), i)).collect();
        let n_tasks = facts.tasks.len();
        let mut prepared = Prepared {
            facts,
            parameters: parameters.clone(),
            product_count: facts.products.len(),
            task_product: facts.tasks.iter().map(|t| product_index.get(t.product.as_str()).copied()).collect(),
            task_clear: Vec::new(),
            first_accredited_publication: vec![None; n_tasks],
            first_ip_acceptance: vec![None; n_tasks],
            first_civil_demonstration: vec![None; n_tasks],
            first_defence_demonstration: vec![None; n_tasks],
            outcome_product: Vec::new(),
            model_product: facts.models.iter().map(|m| product_index.get(m.product.as_str()).copied()).collect(),
            model_index: facts.models.iter().enumerate().map(|(i, m)| (m.id, i)).collect(),
            model_imported: Vec::new(),
            model_domestic_cost: Vec::new(),
            model_total_cost: Vec::new(),
            model_mismatch: Vec::new(),
            model_sales: Vec::new(),
            product_leaves: vec![Vec::new(); facts.products.len()],
            technology_assessments: Vec::new(),
            organisation_first_rd: vec![None; facts.organisations.len()],
            organisation_first_supply: vec![None; facts.organisations.len()],
        };
        let task_index: HashMap<Uuid, usize> = facts.tasks.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
        prepared.index_tasks(&task_index);
        prepared.index_outputs(&task_index);
        prepared.index_organisations(&task_index);
        prepared.index_models();
        prepared.index_technologies(&product_index);
        prepared
    }

    /// Whether each task has all 7 clear (a lead organisation and budget lines included).
    fn index_tasks(&mut self, task_index: &HashMap<Uuid, usize>) {
        let facts = self.facts;
        let mut has_lead = vec![false; facts.tasks.len()];
        for p in facts.participants.iter().filter(|p| p.role == ParticipantRole::Lead) {
            if let Some(&t) = task_index.get(&p.task) {
                has_lead[t] = true;
            }
        }
        let mut has_budget = vec![false; facts.tasks.len()];
        for b in &facts.budget_lines {
            if let Some(&t) = task_index.get(&b.task) {
                has_budget[t] = true;
            }
        }
        self.task_clear = facts
            .tasks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let mut clear = t.clear;
                clear.lead_organisation = has_lead[i];
                clear.budget = has_budget[i];
                clear.all_clear()
            })
            .collect();
    }

    /// Each task's first qualifying output of each kind, and each outcome's product.
    fn index_outputs(&mut self, task_index: &HashMap<Uuid, usize>) {
        let facts = self.facts;
        for p in facts.publications.iter().filter(|p| p.accredited) {
            if let Some(&t) = task_index.get(&p.task) {
                earliest(&mut self.first_accredited_publication[t], p.published_on);
            }
        }
        for a in &facts.ip_applications {
            if let (Some(&t), Some(on)) = (task_index.get(&a.task), a.accepted_on) {
                earliest(&mut self.first_ip_acceptance[t], on);
            }
        }
        for d in &facts.demonstrations {
            if let Some(&t) = task_index.get(&d.task) {
                let slot = match d.sector {
                    Sector::Civil => &mut self.first_civil_demonstration[t],
                    Sector::Defence => &mut self.first_defence_demonstration[t],
                };
                earliest(slot, d.demonstrated_on);
            }
        }
        self.outcome_product =
            facts.outcomes.iter().map(|o| task_index.get(&o.task).and_then(|&t| self.task_product[t])).collect();
    }

    /// Each organisation's earliest assignment to a task, as R&D partner or as supplier.
    fn index_organisations(&mut self, task_index: &HashMap<Uuid, usize>) {
        let facts = self.facts;
        let organisation_index: HashMap<Uuid, usize> =
            facts.organisations.iter().enumerate().map(|(i, o)| (o.id, i)).collect();
        for p in &facts.participants {
            let (Some(&o), Some(&t)) = (organisation_index.get(&p.organisation), task_index.get(&p.task)) else {
                continue;
            };
            let Some(assigned) = facts.tasks[t].assigned_on else {
                continue;
            };
            let slot = match p.role {
                ParticipantRole::Lead | ParticipantRole::Participant => &mut self.organisation_first_rd[o],
                ParticipantRole::SupportingSupplier => &mut self.organisation_first_supply[o],
            };
            earliest(slot, assigned);
        }
    }

    /// Each model's imported inputs (C1a), domestic and total production cost (C1b), and
    /// sales. A model with a bill of materials takes its materials from the bill, split into
    /// domestic and imported parts by the set's rule; its materials cost lines only check
    /// the bill. Its other cost lines, and every cost line of a model without a bill, count
    /// by their own origin.
    fn index_models(&mut self) {
        let facts = self.facts;
        let model_index: HashMap<Uuid, usize> = facts.models.iter().enumerate().map(|(i, m)| (m.id, i)).collect();
        let n = facts.models.len();
        let bills = bom::bill_content(
            &facts.models,
            &facts.bom_lines,
            self.parameters.bom_rule,
            self.parameters.roll_up_threshold_percent,
        );
        let mut imported: Vec<i128> = bills.iter().map(|b| b.map_or(0, |b| b.imported)).collect();
        let mut domestic_cost: Vec<i128> = bills.iter().map(|b| b.map_or(0, |b| b.domestic())).collect();
        let mut total_cost: Vec<i128> = bills.iter().map(|b| b.map_or(0, |b| b.cost)).collect();
        let mut materials_lines: Vec<Option<i128>> = vec![None; n];
        for c in &facts.cost_lines {
            let Some(&m) = model_index.get(&c.model) else {
                continue;
            };
            let amount = i128::from(c.amount_vnd);
            let Some(origin) = cost_line_counts_as(c.category, c.origin, bills[m].is_some()) else {
                *materials_lines[m].get_or_insert(0) += amount;
                continue;
            };
            total_cost[m] += amount;
            match origin {
                Origin::Domestic => domestic_cost[m] += amount,
                Origin::Imported => imported[m] += amount,
            }
        }
        let tolerance = i128::from(self.parameters.materials_tolerance_percent);
        self.model_mismatch = (0..n)
            .map(|m| {
                let (bill, lines) = (bills[m]?, materials_lines[m]?);
                let beyond = (lines - bill.cost).abs() * 100 > tolerance * lines.max(bill.cost);
                beyond.then_some(MaterialsMismatch {
                    model: facts.models[m].id,
                    materials_cost_lines_vnd: lines,
                    bill_of_materials_vnd: bill.cost,
                })
            })
            .collect();
        let mut sales = vec![Vec::new(); n];
        for (i, s) in facts.sales.iter().enumerate() {
            if let Some(&m) = model_index.get(&s.model) {
                sales[m].push(i);
            }
        }
        self.model_imported = imported;
        self.model_domestic_cost = domestic_cost;
        self.model_total_cost = total_cost;
        self.model_sales = sales;
    }

    fn index_technologies(&mut self, product_index: &HashMap<&str, usize>) {
        let facts = self.facts;
        let technology_index: HashMap<Uuid, usize> =
            facts.technologies.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
        let mut has_children = vec![false; facts.technologies.len()];
        for t in &facts.technologies {
            if let Some(&p) = t.parent.as_ref().and_then(|p| technology_index.get(p)) {
                has_children[p] = true;
            }
        }
        for (i, t) in facts.technologies.iter().enumerate() {
            if let (false, Some(&p)) = (has_children[i], product_index.get(t.product.as_str())) {
                self.product_leaves[p].push(i);
            }
        }
        let mut assessments = vec![Vec::new(); facts.technologies.len()];
        for (i, a) in facts.assessments.iter().enumerate() {
            if let Some(&t) = technology_index.get(&a.technology) {
                assessments[t].push(i);
            }
        }
        // Latest last; on the same day, the later record (UUID v7 ids sort by creation).
        for list in &mut assessments {
            list.sort_by_key(|&i| (facts.assessments[i].assessed_on, facts.assessments[i].id));
        }
        self.technology_assessments = assessments;
    }

    pub fn product_count(&self) -> usize {
        self.product_count
    }

    /// The figures of an indicator on `as_of`: one per product for a product indicator, one
    /// for a programme indicator. `evidence` asks for the records behind each figure.
    pub fn figures(
        &self,
        indicator: Indicator,
        parameters: &BTreeMap<String, i64>,
        as_of: NaiveDate,
        evidence: bool,
    ) -> Vec<Figure> {
        let mut out = Figures {
            figures: vec![Figure::default(); if indicator.scope() == Scope::Product { self.product_count } else { 1 }],
            evidence,
        };
        match indicator {
            Indicator::DomesticValueAddedShareOfPrice => self.value_added(as_of, true, &mut out),
            Indicator::DomesticShareOfProductionCost => self.value_added(as_of, false, &mut out),
            Indicator::CoreTechnologiesMasteredShare => self.mastered(as_of, &mut out),
            Indicator::DomesticMarketShare => self.market_share(as_of, &mut out),
            Indicator::ResearchProjectsWithAccreditedPublicationShare => {
                self.accepted_projects_with(as_of, &self.first_accredited_publication, &mut out)
            }
            Indicator::ResearchProjectsWithAcceptedIpShare => {
                self.accepted_projects_with(as_of, &self.first_ip_acceptance, &mut out)
            }
            Indicator::ResearchOutcomesAppliedShare => self.outcomes_applied(as_of, &mut out),
            Indicator::DualUseProjectsDemonstratedShare => self.dual_use_demonstrated(as_of, &mut out),
            Indicator::EnterprisesInRd => self.organisations_since(
                as_of,
                &self.organisation_first_rd,
                |k| k == OrganisationKind::Enterprise,
                &mut out,
            ),
            Indicator::InstitutesUniversitiesInRd => self.organisations_since(
                as_of,
                &self.organisation_first_rd,
                |k| matches!(k, OrganisationKind::ResearchInstitute | OrganisationKind::University),
                &mut out,
            ),
            Indicator::SupportingEnterprises => self.organisations_since(
                as_of,
                &self.organisation_first_supply,
                |k| k == OrganisationKind::Enterprise,
                &mut out,
            ),
            Indicator::StrategicIndustriesFormed => self.industries(as_of, &mut out),
            Indicator::EnterprisesMeetingInternationalStandards => {
                self.certified_enterprises(as_of, parameters.get("min_scale_usd").copied().unwrap_or(0), &mut out)
            }
            Indicator::PeopleTrained => self.trained(as_of, &mut out),
            Indicator::OpenNationalKeyLaboratories => self.laboratories(as_of, &mut out),
            Indicator::StateBudgetShareOfStSpending => self.state_budget_share(as_of, &mut out),
            Indicator::AssignedTasksSevenClearShare => self.seven_clear(as_of, &mut out),
        }
        out.figures
    }
}

/// Figures being accumulated, with or without their evidence.
struct Figures {
    figures: Vec<Figure>,
    evidence: bool,
}

impl Figures {
    fn denominator(&mut self, slot: usize, amount: i128, record: RecordRef) {
        let figure = &mut self.figures[slot];
        figure.denominator += amount;
        if self.evidence {
            figure.evidence.denominator.push(record);
        }
    }

    fn numerator(&mut self, slot: usize, amount: i128, record: RecordRef) {
        let figure = &mut self.figures[slot];
        figure.numerator += amount;
        if self.evidence {
            figure.evidence.numerator.push(record);
        }
    }

    /// A count: the denominator is 1 whatever is counted.
    fn count_all(&mut self) {
        for figure in &mut self.figures {
            figure.denominator = 1;
        }
    }
}

mod product;
mod programme;
