//! The facts the evaluator reads: for each kind of record, the fields that some indicator
//! needs, with the dates that decide when each fact counts. `cncl-store` fills them
//! (`load_facts(as_of)`); tests and benchmarks build them by hand.

use chrono::NaiveDate;
use cncl_domain::capacity::LaboratoryKind;
use cncl_domain::market::{CostCategory, Origin};
use cncl_domain::organisation::OrganisationKind;
use cncl_domain::output::Sector;
use cncl_domain::seven_clear::SevenClearFacts;
use cncl_domain::task::{FundingSource, ParticipantRole};
use cncl_domain::technology::Mastery;
use uuid::Uuid;

/// Everything recorded that the indicators read, as of some date (facts dated later may be
/// left out; undated facts are all present).
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The audit log's last entry when these facts were read, in the same snapshot: every
    /// write before it is in them, none after.
    pub audit_seq: i64,
    /// Product codes, in display order.
    pub products: Vec<String>,
    pub technologies: Vec<TechnologyFact>,
    pub assessments: Vec<AssessmentFact>,
    pub organisations: Vec<OrganisationFact>,
    pub certifications: Vec<CertificationFact>,
    pub tasks: Vec<TaskFact>,
    pub participants: Vec<ParticipantFact>,
    pub budget_lines: Vec<BudgetLineFact>,
    pub disbursements: Vec<DisbursementFact>,
    pub state_spending: Vec<SpendingFact>,
    pub publications: Vec<PublicationFact>,
    pub ip_applications: Vec<IpApplicationFact>,
    pub outcomes: Vec<OutcomeFact>,
    pub demonstrations: Vec<DemonstrationFact>,
    pub models: Vec<ModelFact>,
    pub bom_lines: Vec<BomLineFact>,
    pub cost_lines: Vec<CostLineFact>,
    pub sales: Vec<SalesFact>,
    pub market_sizes: Vec<MarketSizeFact>,
    pub training: Vec<TrainingFact>,
    pub laboratories: Vec<LaboratoryFact>,
    pub industries: Vec<IndustryFact>,
}

#[derive(Debug, Clone)]
pub struct TechnologyFact {
    pub id: Uuid,
    pub product: String,
    pub parent: Option<Uuid>,
    pub weight: i64,
}

#[derive(Debug, Clone)]
pub struct AssessmentFact {
    pub id: Uuid,
    pub technology: Uuid,
    pub assessed_on: NaiveDate,
    pub mastery: Mastery,
}

#[derive(Debug, Clone)]
pub struct OrganisationFact {
    pub id: Uuid,
    pub kind: OrganisationKind,
    pub scale_usd: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct CertificationFact {
    pub id: Uuid,
    pub organisation: Uuid,
    pub certified_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct TaskFact {
    pub id: Uuid,
    pub product: String,
    pub is_research: bool,
    pub dual_use: bool,
    pub assigned_on: Option<NaiveDate>,
    pub accepted_on: Option<NaiveDate>,
    /// The task's own 7-clear fields; whether a lead organisation takes part and whether
    /// budget lines exist are filled from `participants` and `budget_lines`.
    pub clear: SevenClearFacts,
}

#[derive(Debug, Clone)]
pub struct ParticipantFact {
    pub id: Uuid,
    pub task: Uuid,
    pub organisation: Uuid,
    pub role: ParticipantRole,
}

#[derive(Debug, Clone)]
pub struct BudgetLineFact {
    pub id: Uuid,
    pub task: Uuid,
    pub year: i32,
    pub source: FundingSource,
    pub amount_vnd: i64,
}

#[derive(Debug, Clone)]
pub struct DisbursementFact {
    pub id: Uuid,
    pub budget_line: Uuid,
    pub disbursed_on: NaiveDate,
    pub amount_vnd: i64,
}

#[derive(Debug, Clone)]
pub struct SpendingFact {
    pub id: Uuid,
    pub year: i32,
    pub amount_vnd: i64,
}

#[derive(Debug, Clone)]
pub struct PublicationFact {
    pub id: Uuid,
    pub task: Uuid,
    pub accredited: bool,
    pub published_on: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct IpApplicationFact {
    pub id: Uuid,
    pub task: Uuid,
    pub accepted_on: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct OutcomeFact {
    pub id: Uuid,
    pub task: Uuid,
    pub recorded_on: NaiveDate,
    pub applied_on: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct DemonstrationFact {
    pub id: Uuid,
    pub task: Uuid,
    pub sector: Sector,
    pub demonstrated_on: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct ModelFact {
    pub id: Uuid,
    pub product: String,
    pub selling_price_vnd: i64,
    pub launched_on: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct BomLineFact {
    pub id: Uuid,
    pub model: Uuid,
    pub parent: Option<Uuid>,
    pub quantity: i64,
    pub unit_cost_vnd: i64,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct CostLineFact {
    pub id: Uuid,
    pub model: Uuid,
    pub category: CostCategory,
    pub origin: Origin,
    pub amount_vnd: i64,
}

#[derive(Debug, Clone)]
pub struct SalesFact {
    pub id: Uuid,
    pub model: Uuid,
    pub year: i32,
    pub domestic_units: i64,
    pub export_units: i64,
}

#[derive(Debug, Clone)]
pub struct MarketSizeFact {
    pub id: Uuid,
    pub product: String,
    pub year: i32,
    pub domestic_vnd: i64,
}

#[derive(Debug, Clone)]
pub struct TrainingFact {
    pub id: Uuid,
    pub year: i32,
    pub count: i64,
}

#[derive(Debug, Clone)]
pub struct LaboratoryFact {
    pub id: Uuid,
    pub kind: LaboratoryKind,
    pub open_model: bool,
    pub established_on: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct IndustryFact {
    pub id: Uuid,
    pub formed_on: NaiveDate,
}
