//! The localisation planner as users reach it: a model's least-cost plan to reach the value
//! added targets with the domestic offers standing on a date, and a product's roadmap — the
//! plans of all its models below target and the supporting enterprises they bring in.

use std::collections::{BTreeMap, HashMap};

use cncl_domain::ids::{OrganisationId, ProductModelId};
use cncl_domain::market::{DomesticOffer, ProductModel};
use cncl_domain::organisation::Organisation;
use cncl_domain::{Date, Stored};
use cncl_eval::CriteriaSet;
use cncl_eval::criteria::{Indicator, SetRef};
use cncl_eval::facts::BomLineFact;
use cncl_eval::indicators::Prepared;
use cncl_eval::localisation::{LocalisationPlan, Offer, Planner, Targets};
use cncl_store::localisation::LinesOf;
use cncl_store::search::fold;
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, App, AppError};

/// One model's plan, with the names a reader needs beside the ids.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ModelLocalisation {
    pub model: Uuid,
    pub model_name: String,
    pub product: String,
    pub criteria_set: SetRef,
    pub plan: LocalisationPlan,
    /// The component of every line the plan names.
    pub components: BTreeMap<Uuid, String>,
    /// The name of every supplier the plan names.
    pub suppliers: BTreeMap<Uuid, String>,
}

/// A product's roadmap: the plan of every model below target.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Roadmap {
    /// The product's code; `None` for every product.
    pub product: Option<String>,
    pub as_of: chrono::NaiveDate,
    pub criteria_set: SetRef,
    pub targets: Targets,
    pub models: Vec<ModelLocalisation>,
    /// Models whose plan reaches the targets, and those no choice of offers brings there.
    pub reaching: usize,
    pub not_reaching: usize,
    /// Every supporting enterprise the plans bring in.
    pub suppliers: BTreeMap<Uuid, String>,
}

/// Largest target accepted, per cent.
const MAX_TARGET: i64 = 100;

/// The targets of C1a and C1b in `set` for the milestone next after `as_of` (the last once
/// all have passed); `c1a` overrides C1a's.
fn targets_of(set: &CriteriaSet, as_of: Date, c1a: Option<i64>) -> Result<Targets, AppError> {
    let target = |indicator: Indicator| {
        set.criteria
            .iter()
            .find(|c| c.indicator == indicator)
            .and_then(|c| cncl_eval::status::next_target(c, as_of.get()))
            .map(|t| t.low)
    };
    let missing = || {
        AppError::Invalid(cncl_domain::DomainError::new(
            "criteria",
            cncl_domain::msg("bộ tiêu chí không có mục tiêu C1a hoặc C1b", "the set has no C1a or C1b target"),
        ))
    };
    if let Some(value) = c1a.filter(|v| !(0..=MAX_TARGET).contains(v)) {
        return Err(cncl_domain::DomainError::new(
            "target",
            cncl_domain::msg(
                format!("{value} không phải tỷ lệ phần trăm từ 0 đến 100"),
                format!("{value} is not a percentage from 0 to 100"),
            ),
        )
        .into());
    }
    Ok(Targets {
        c1a_percent: c1a.or_else(|| target(Indicator::DomesticValueAddedShareOfPrice)).ok_or_else(missing)?,
        c1b_percent: target(Indicator::DomesticShareOfProductionCost).ok_or_else(missing)?,
    })
}

/// The offers standing on a date, found by what they would replace: a line, or a component
/// of a product (its name folded: accents and case aside). An offer never reaches a line of
/// another product.
struct StandingOffers {
    by_line: HashMap<Uuid, Vec<usize>>,
    by_component: HashMap<(String, String), Vec<usize>>,
    offers: Vec<Stored<DomesticOffer>>,
}

impl StandingOffers {
    fn new(offers: Vec<Stored<DomesticOffer>>, as_of: Date) -> Self {
        let offers: Vec<Stored<DomesticOffer>> = offers.into_iter().filter(|o| o.record.valid_on(as_of)).collect();
        let mut by_line: HashMap<Uuid, Vec<usize>> = HashMap::new();
        let mut by_component: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (i, o) in offers.iter().enumerate() {
            match (&o.record.bom_line_id, &o.record.component) {
                (Some(line), _) => by_line.entry(line.as_uuid()).or_default().push(i),
                (None, Some(component)) => by_component
                    .entry((o.record.product_code.to_string(), fold(component.as_str())))
                    .or_default()
                    .push(i),
                (None, None) => {}
            }
        }
        StandingOffers { by_line, by_component, offers }
    }

    /// The offers for `line` of a model of `product` whose component is `component`.
    fn for_line(&self, line: Uuid, product: &str, component: Option<&str>, out: &mut Vec<Offer>) {
        let by_name = component.and_then(|c| self.by_component.get(&(product.to_owned(), fold(c))));
        let matching = self.by_line.get(&line).into_iter().flatten().chain(by_name.into_iter().flatten());
        for &i in matching {
            let stored = &self.offers[i];
            let o = &stored.record;
            if o.product_code.as_str() != product {
                continue;
            }
            out.push(Offer {
                id: stored.id.as_uuid(),
                supplier: o.supplier_id.as_uuid(),
                line,
                unit_cost_vnd: o.unit_cost_vnd.get(),
                domestic_share_percent: o.domestic_share_percent.get(),
                delivery_on: o.earliest_delivery_on.get(),
                trl: o.trl.get(),
            });
        }
    }
}

/// What planning reads, loaded once for any number of models.
struct Planning {
    facts: cncl_eval::Facts,
    /// The component of every imported line.
    components: HashMap<Uuid, String>,
    offers: StandingOffers,
    set: CriteriaSet,
    targets: Targets,
}

impl Planning {
    /// The plans of `models` (id, name, product), computed off the request threads.
    async fn plans(self, models: Vec<(Uuid, String, String)>, as_of: Date) -> Result<Vec<ModelLocalisation>, AppError> {
        tokio::task::spawn_blocking(move || self.plans_now(&models, as_of))
            .await
            .map_err(|e| AppError::Internal(cncl_store::StoreError::Reader(format!("planning failed: {e}"))))
    }

    fn plans_now(&self, models: &[(Uuid, String, String)], as_of: Date) -> Vec<ModelLocalisation> {
        let prepared = Prepared::new(&self.facts, &self.set.parameters);
        let planner = Planner::new(&prepared, &self.set.parameters, self.targets, as_of.get());
        // The facts' lines are sorted by model: each model's bill is one run of them.
        let mut bills: HashMap<Uuid, &[BomLineFact]> = HashMap::new();
        for bill in self.facts.bom_lines.chunk_by(|a, b| a.model == b.model) {
            bills.insert(bill[0].model, bill);
        }
        let mut offers = Vec::new();
        models
            .iter()
            .filter_map(|(model, name, product)| {
                let bill = bills.get(model).copied().unwrap_or(&[]);
                offers.clear();
                for line in bill.iter().filter(|l| l.origin == cncl_domain::market::Origin::Imported) {
                    self.offers.for_line(
                        line.id,
                        product,
                        self.components.get(&line.id).map(String::as_str),
                        &mut offers,
                    );
                }
                let plan = planner.plan(*model, bill, &offers)?;
                let named =
                    plan.substitutions.iter().map(|s| s.line).chain(plan.uncovered_lines.iter().map(|u| u.line));
                let components =
                    named.filter_map(|line| self.components.get(&line).map(|c| (line, c.clone()))).collect();
                Some(ModelLocalisation {
                    model: *model,
                    model_name: name.clone(),
                    product: product.clone(),
                    criteria_set: self.set.reference(),
                    plan,
                    components,
                    suppliers: BTreeMap::new(),
                })
            })
            .collect()
    }
}

impl App {
    async fn planning(
        &self,
        lines: LinesOf<'_>,
        product: Option<&str>,
        as_of: Date,
        target: Option<i64>,
        criteria: Option<&SetRef>,
    ) -> Result<Planning, AppError> {
        let set = self.criteria_set(criteria).await?;
        let targets = targets_of(&set, as_of, target)?;
        let facts = self.store.load_facts(as_of).await?;
        let components = self.store.imported_components(lines).await?.into_iter().collect();
        let offers = StandingOffers::new(self.store.domestic_offers(product).await?, as_of);
        Ok(Planning { facts, components, offers, set, targets })
    }

    /// The names of the suppliers the plans name (the register of organisations is public).
    async fn name_suppliers(&self, plans: &mut [ModelLocalisation]) -> Result<BTreeMap<Uuid, String>, AppError> {
        let wanted: std::collections::BTreeSet<Uuid> =
            plans.iter().flat_map(|p| p.plan.suppliers.iter().copied()).collect();
        let mut names = BTreeMap::new();
        for supplier in wanted {
            let organisation = self.store.get::<Organisation>(OrganisationId(supplier)).await?;
            names.insert(supplier, organisation.map_or_else(|| supplier.to_string(), |o| o.record.name.to_string()));
        }
        for plan in plans.iter_mut() {
            plan.suppliers = plan.plan.suppliers.iter().filter_map(|s| names.get(s).map(|n| (*s, n.clone()))).collect();
        }
        Ok(names)
    }

    /// The least-cost plan for one model to reach the C1a and C1b targets of the criteria
    /// set (`target` replaces C1a's) with the offers standing on `as_of`. The model must be
    /// within the actor's reach; its maker then sees the offers that could serve it.
    pub async fn localisation_plan(
        &self,
        actor: &Actor,
        model: ProductModelId,
        as_of: Date,
        target: Option<i64>,
        criteria: Option<&SetRef>,
    ) -> Result<ModelLocalisation, AppError> {
        let stored = self.get::<ProductModel>(actor, model).await?;
        let product = stored.record.product_code.to_string();
        let planning = self.planning(LinesOf::Model(model.as_uuid()), Some(&product), as_of, target, criteria).await?;
        let model_row = (model.as_uuid(), stored.record.name.to_string(), product);
        let mut plans = planning.plans(vec![model_row], as_of).await?;
        self.name_suppliers(&mut plans).await?;
        plans.pop().ok_or_else(|| AppError::NotFound { noun: "product model", id: model.to_string() })
    }

    /// The plans of every model of `product` (every product when `None`) within the actor's
    /// reach that is below either target on `as_of`.
    pub async fn localisation_roadmap(
        &self,
        actor: &Actor,
        product: Option<&str>,
        as_of: Date,
        criteria: Option<&SetRef>,
    ) -> Result<Roadmap, AppError> {
        if let Some(code) = product {
            self.product(code).await?;
        }
        let reach = crate::records::scope(crate::policy::read(actor, cncl_domain::EntityKind::ProductModel)?);
        let filter = cncl_store::ListFilter { product: product.map(str::to_owned), ..Default::default() };
        let mut models = Vec::new();
        for page in 1.. {
            let batch = self.store.list_within::<ProductModel>(&filter, &reach, page, 10_000).await?;
            let done = batch.items.len() < 10_000;
            models.extend(
                batch
                    .items
                    .into_iter()
                    .map(|m| (m.id.as_uuid(), m.record.name.to_string(), m.record.product_code.to_string())),
            );
            if done {
                break;
            }
        }
        let lines = product.map_or(LinesOf::Everything, LinesOf::Product);
        let planning = self.planning(lines, product, as_of, None, criteria).await?;
        let (criteria_set, targets) = (planning.set.reference(), planning.targets);
        let mut plans: Vec<ModelLocalisation> =
            planning.plans(models, as_of).await?.into_iter().filter(|p| !p.plan.meets_targets_now).collect();
        let suppliers = self.name_suppliers(&mut plans).await?;
        let reaching = plans.iter().filter(|p| p.plan.reachable).count();
        Ok(Roadmap {
            product: product.map(str::to_owned),
            as_of: as_of.get(),
            criteria_set,
            targets,
            not_reaching: plans.len() - reaching,
            reaching,
            models: plans,
            suppliers,
        })
    }
}
