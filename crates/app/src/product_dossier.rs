//! Everything about one product on one page: who is in charge of it, its tasks, its
//! core-technology tree with each technology's assessments, its models, and one model's bill
//! of materials branch by branch with the imported content of each, and its other imported
//! inputs: from price to domestic value added.

use cncl_domain::governance::Appointment;
use cncl_domain::ids::ProductModelId;
use cncl_domain::market::{BomLine, CostLine, Origin, ProductModel};
use cncl_domain::organisation::{Organisation, Person};
use cncl_domain::reference::Product;
use cncl_domain::task::Task;
use cncl_domain::technology::{CoreTechnology, TechnologyAssessment};
use cncl_domain::{Date, EntityKind, Stored};
use cncl_eval::criteria::BomRule;
use cncl_eval::facts::BomLineFact;
use cncl_store::ListFilter;
use uuid::Uuid;

use crate::dossier::Named;
use crate::{Actor, App, AppError};

#[derive(Debug, Clone)]
pub struct ProductDossier {
    pub product: Product,
    /// The chief engineer and chief architect in office on the date.
    pub people: Vec<Named<Appointment>>,
    pub tasks: Vec<Stored<Task>>,
    /// The core technologies in tree order (each parent before its children).
    pub technologies: Vec<TechnologyNode>,
    pub models: Vec<ModelLine>,
    /// The bill of the model asked for, or of the first model.
    pub bill: Option<ModelBill>,
}

#[derive(Debug, Clone)]
pub struct TechnologyNode {
    pub technology: Stored<CoreTechnology>,
    pub depth: usize,
    pub leaf: bool,
    /// Its assessments up to the date, oldest first: the last is the one that counts.
    pub assessments: Vec<Stored<TechnologyAssessment>>,
}

#[derive(Debug, Clone)]
pub struct ModelLine {
    pub model: Stored<ProductModel>,
    pub maker: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ModelBill {
    pub model: Stored<ProductModel>,
    pub rule: BomRule,
    pub threshold_percent: u8,
    /// The lines in tree order, each with its cost and imported content per unit of the line
    /// above it (of the model, for a top-level line).
    pub branches: Vec<Branch>,
    /// Σ over the top-level lines: the bill's cost and its imported content per unit.
    pub cost_vnd: i128,
    pub imported_vnd: i128,
    /// The model's cost lines that count as imported inputs besides the bill (an imported
    /// licence or service, say), per unit.
    pub imported_costs: Vec<Stored<CostLine>>,
}

impl ModelBill {
    /// Every imported input per unit: the bill's and the imported cost lines'.
    pub fn imported_inputs_vnd(&self) -> i128 {
        self.imported_costs
            .iter()
            .map(|c| i128::from(c.record.amount_vnd.get()))
            .fold(self.imported_vnd, i128::saturating_add)
    }

    /// The selling price less every imported input (never below nothing): the numerator of
    /// the model's C1a.
    pub fn domestic_value_added_vnd(&self) -> i128 {
        let price = i128::from(self.model.record.selling_price_vnd.get());
        (price - self.imported_inputs_vnd().min(price)).max(0)
    }
}

#[derive(Debug, Clone)]
pub struct Branch {
    pub line: Stored<BomLine>,
    pub depth: usize,
    pub cost_vnd: i128,
    pub imported_vnd: i128,
}

impl App {
    /// Product `code` as `actor` may see it on `as_of`, with the bill of `model` (one of
    /// its models) or of its first model.
    pub async fn product_dossier(
        &self,
        actor: &Actor,
        code: &str,
        as_of: Date,
        model: Option<ProductModelId>,
    ) -> Result<ProductDossier, AppError> {
        let product = self.product(code).await?;
        let filter = ListFilter { product: Some(code.to_owned()), ..ListFilter::default() };
        let models = self.all_of::<ProductModel>(actor, &filter).await?;
        let mut model_lines = Vec::with_capacity(models.len());
        for model in &models {
            let maker = self.store.get::<Organisation>(model.record.maker_id).await?;
            model_lines.push(ModelLine { model: model.clone(), maker: maker.map(|m| m.record.name.to_string()) });
        }
        let chosen = match model {
            Some(id) => Some(
                models
                    .iter()
                    .find(|m| m.id == id)
                    .cloned()
                    .ok_or_else(|| AppError::NotFound { noun: "product model", id: id.to_string() })?,
            ),
            None => models.first().cloned(),
        };
        let bill = match chosen {
            Some(model) => Some(self.model_bill(actor, model).await?),
            None => None,
        };
        Ok(ProductDossier {
            people: self.in_charge(actor, code, as_of).await?,
            tasks: self.all_of::<Task>(actor, &filter).await?,
            technologies: self.technology_tree(actor, &filter, as_of).await?,
            models: model_lines,
            bill,
            product,
        })
    }

    async fn in_charge(&self, actor: &Actor, code: &str, as_of: Date) -> Result<Vec<Named<Appointment>>, AppError> {
        let reach = crate::records::scope(crate::policy::read(actor, EntityKind::Person)?);
        let mut people = Vec::new();
        let appointments = self.all_of::<Appointment>(actor, &ListFilter::default()).await?;
        for record in
            appointments.into_iter().filter(|a| a.record.product_code.as_str() == code && a.record.holds_on(as_of))
        {
            let person = self.store.get_within::<Person>(record.record.person_id, &reach).await?;
            people.push(Named { record, person });
        }
        people.sort_by_key(|p| p.record.record.role.as_str());
        Ok(people)
    }

    async fn technology_tree(
        &self,
        actor: &Actor,
        filter: &ListFilter,
        as_of: Date,
    ) -> Result<Vec<TechnologyNode>, AppError> {
        let technologies = self.all_of::<CoreTechnology>(actor, filter).await?;
        let reach = crate::records::scope(crate::policy::read(actor, EntityKind::TechnologyAssessment)?);
        let mut nodes = Vec::with_capacity(technologies.len());
        for (technology, depth) in tree_order(&technologies, |t| t.id.as_uuid(), |t| t.record.parent_id.map(Into::into))
        {
            let mut assessments: Vec<Stored<TechnologyAssessment>> = self
                .store
                .children_of::<TechnologyAssessment>(EntityKind::CoreTechnology, technology.id, &reach)
                .await?
                .into_iter()
                .filter(|a| a.record.assessed_on <= as_of)
                .collect();
            assessments.sort_by_key(|a| (a.record.assessed_on, a.id.as_uuid()));
            let leaf = !technologies.iter().any(|t| t.record.parent_id == Some(technology.id));
            nodes.push(TechnologyNode { technology: technology.clone(), depth, leaf, assessments });
        }
        Ok(nodes)
    }

    async fn model_bill(&self, actor: &Actor, model: Stored<ProductModel>) -> Result<ModelBill, AppError> {
        let reach = crate::records::scope(crate::policy::read(actor, EntityKind::BomLine)?);
        let lines = self.store.children_of::<BomLine>(EntityKind::ProductModel, model.id, &reach).await?;
        let set = self.criteria_set(None).await?;
        let (rule, threshold_percent) = (set.parameters.bom_rule, set.parameters.roll_up_threshold_percent);
        let facts: Vec<BomLineFact> = lines
            .iter()
            .map(|l| BomLineFact {
                id: l.id.as_uuid(),
                model: model.id.as_uuid(),
                parent: l.record.parent_line_id.map(Into::into),
                quantity: i64::from(l.record.quantity.get()),
                unit_cost_vnd: l.record.unit_cost_vnd.get(),
                origin: l.record.origin,
            })
            .collect();
        let per_unit = cncl_eval::bom::imported_per_unit(&facts, rule, threshold_percent);
        let imported_of: std::collections::HashMap<Uuid, i128> =
            facts.iter().zip(per_unit).map(|(f, imported)| (f.id, imported)).collect();
        let mut branches = Vec::with_capacity(lines.len());
        for (line, depth) in tree_order(&lines, |l| l.id.as_uuid(), |l| l.record.parent_line_id.map(Into::into)) {
            let quantity = i128::from(line.record.quantity.get());
            branches.push(Branch {
                line: line.clone(),
                depth,
                cost_vnd: quantity.saturating_mul(i128::from(line.record.unit_cost_vnd.get())),
                imported_vnd: quantity.saturating_mul(imported_of.get(&line.id.as_uuid()).copied().unwrap_or(0)),
            });
        }
        let top = branches.iter().filter(|b| b.depth == 0);
        let (cost_vnd, imported_vnd) =
            top.fold((0_i128, 0_i128), |(c, i), b| (c.saturating_add(b.cost_vnd), i.saturating_add(b.imported_vnd)));
        let cost_reach = crate::records::scope(crate::policy::read(actor, EntityKind::CostLine)?);
        let cost_lines = self.store.children_of::<CostLine>(EntityKind::ProductModel, model.id, &cost_reach).await?;
        let has_bill = !lines.is_empty();
        let imported_costs = cost_lines
            .into_iter()
            .filter(|c| {
                cncl_eval::indicators::cost_line_counts_as(c.record.category, c.record.origin, has_bill)
                    == Some(Origin::Imported)
            })
            .collect();
        Ok(ModelBill { model, rule, threshold_percent, branches, cost_vnd, imported_vnd, imported_costs })
    }
}

/// `items` in tree order, each parent before its children, with its depth; an item whose
/// parent is not among them is a root, and one caught in a loop is left out.
fn tree_order<T>(items: &[T], id: impl Fn(&T) -> Uuid, parent: impl Fn(&T) -> Option<Uuid>) -> Vec<(&T, usize)> {
    let known: std::collections::HashSet<Uuid> = items.iter().map(&id).collect();
    let mut children: std::collections::HashMap<Uuid, Vec<&T>> = std::collections::HashMap::new();
    let mut roots = Vec::new();
    for item in items {
        match parent(item).filter(|p| known.contains(p)) {
            Some(p) => children.entry(p).or_default().push(item),
            None => roots.push(item),
        }
    }
    let mut out = Vec::with_capacity(items.len());
    let mut stack: Vec<(&T, usize)> = roots.into_iter().rev().map(|i| (i, 0)).collect();
    while let Some((item, depth)) = stack.pop() {
        out.push((item, depth));
        if let Some(below) = children.get(&id(item)) {
            stack.extend(below.iter().rev().map(|&c| (c, depth + 1)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::tree_order;
    use uuid::Uuid;

    #[test]
    fn parents_come_before_their_children_and_loops_are_left_out() {
        let id = Uuid::from_u128;
        let items = [
            (id(3), Some(id(1))),
            (id(1), None),
            (id(2), Some(id(1))),
            (id(4), Some(id(9))),
            (id(5), Some(id(6))),
            (id(6), Some(id(5))),
        ];
        let order: Vec<(u128, usize)> =
            tree_order(&items, |i| i.0, |i| i.1).into_iter().map(|(i, d)| (i.0.as_u128(), d)).collect();
        assert_eq!(order, vec![(1, 0), (3, 1), (2, 1), (4, 0)]);
    }
}
