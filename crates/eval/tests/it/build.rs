//! Small facts, built by hand.

use chrono::NaiveDate;
use cncl_domain::capacity::LaboratoryKind;
use cncl_domain::market::{CostCategory, Origin};
use cncl_domain::organisation::OrganisationKind;
use cncl_domain::output::Sector;
use cncl_domain::seven_clear::SevenClearFacts;
use cncl_domain::task::{FundingSource, ParticipantRole};
use cncl_domain::technology::Mastery;
use cncl_eval::criteria::{CriteriaSet, DECISION_2815, parse_criteria_set};
use cncl_eval::facts::*;
use cncl_eval::indicators::{Figure, Prepared};
use uuid::Uuid;

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A date as the evaluation takes it: inside cncl's window.
pub fn day(y: i32, m: u32, d: u32) -> cncl_domain::Date {
    cncl_domain::Date::from_ymd(y, m, d).unwrap()
}

pub fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

pub fn set() -> CriteriaSet {
    parse_criteria_set("decision-2815.toml", DECISION_2815).unwrap()
}

/// The figure of criterion `criterion` on `as_of`: the product's (by index) or the programme's.
pub fn figure(facts: &Facts, set: &CriteriaSet, criterion: &str, slot: usize, as_of: NaiveDate) -> Figure {
    let c = set.criteria.iter().find(|c| c.id == criterion).unwrap();
    Prepared::new(facts, &set.parameters).figures(c.indicator, &c.parameters, as_of, true).swap_remove(slot)
}

pub fn fraction(f: &Figure) -> (i128, i128) {
    (f.numerator, f.denominator)
}

pub fn facts() -> Facts {
    Facts { products: vec!["llm".into(), "uav".into()], ..Facts::default() }
}

pub fn all_clear() -> SevenClearFacts {
    SevenClearFacts {
        lead_person: true,
        scope: true,
        responsibility: true,
        lead_organisation: false,
        starts_on: true,
        ends_on: true,
        milestones: true,
        approving_body: true,
        delegated_authority: true,
        deliverables: true,
        budget: false,
    }
}

pub fn task(
    n: u128,
    product: &str,
    research: bool,
    dual_use: bool,
    assigned: Option<NaiveDate>,
    accepted: Option<NaiveDate>,
) -> TaskFact {
    TaskFact {
        id: id(n),
        product: product.into(),
        is_research: research,
        dual_use,
        assigned_on: assigned,
        accepted_on: accepted,
        clear: all_clear(),
    }
}

pub fn model(n: u128, product: &str, price: i64) -> ModelFact {
    ModelFact { id: id(n), product: product.into(), selling_price_vnd: price, launched_on: None }
}

pub fn line(n: u128, model: u128, parent: Option<u128>, quantity: i64, cost: i64, origin: Origin) -> BomLineFact {
    BomLineFact { id: id(n), model: id(model), parent: parent.map(id), quantity, unit_cost_vnd: cost, origin }
}

pub fn cost(n: u128, model: u128, category: CostCategory, origin: Origin, amount: i64) -> CostLineFact {
    CostLineFact { id: id(n), model: id(model), category, origin, amount_vnd: amount }
}

pub fn sales(n: u128, model: u128, year: i32, domestic: i64, export: i64) -> SalesFact {
    SalesFact { id: id(n), model: id(model), year, domestic_units: domestic, export_units: export }
}

pub fn technology(n: u128, product: &str, parent: Option<u128>, weight: i64) -> TechnologyFact {
    TechnologyFact { id: id(n), product: product.into(), parent: parent.map(id), weight }
}

pub fn assessment(n: u128, technology: u128, on: NaiveDate, mastery: Mastery) -> AssessmentFact {
    AssessmentFact { id: id(n), technology: id(technology), assessed_on: on, mastery }
}

pub fn organisation(n: u128, kind: OrganisationKind, scale: Option<i64>) -> OrganisationFact {
    OrganisationFact { id: id(n), kind, scale_usd: scale }
}

pub fn participant(n: u128, task: u128, organisation: u128, role: ParticipantRole) -> ParticipantFact {
    ParticipantFact { id: id(n), task: id(task), organisation: id(organisation), role }
}

pub fn budget(n: u128, task: u128, year: i32, source: FundingSource, amount: i64) -> BudgetLineFact {
    BudgetLineFact { id: id(n), task: id(task), year, source, amount_vnd: amount }
}

pub fn publication(n: u128, task: u128, accredited: bool, on: NaiveDate) -> PublicationFact {
    PublicationFact { id: id(n), task: id(task), accredited, published_on: on }
}

pub fn ip(n: u128, task: u128, accepted: Option<NaiveDate>) -> IpApplicationFact {
    IpApplicationFact { id: id(n), task: id(task), accepted_on: accepted }
}

pub fn outcome(n: u128, task: u128, recorded: NaiveDate, applied: Option<NaiveDate>) -> OutcomeFact {
    OutcomeFact { id: id(n), task: id(task), recorded_on: recorded, applied_on: applied }
}

pub fn demonstration(n: u128, task: u128, sector: Sector, on: NaiveDate) -> DemonstrationFact {
    DemonstrationFact { id: id(n), task: id(task), sector, demonstrated_on: on }
}

pub fn laboratory(n: u128, kind: LaboratoryKind, open: bool, established: Option<NaiveDate>) -> LaboratoryFact {
    LaboratoryFact { id: id(n), kind, open_model: open, established_on: established }
}
