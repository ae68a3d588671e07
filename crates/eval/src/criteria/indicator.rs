//! The indicator library's names: every figure cncl can compute, whether it is one per
//! product or one for the programme, and what it rests on (bills of materials, reports owed).
//! How each is computed is documented where it is computed (`indicators`).

use serde::{Deserialize, Serialize};

use crate::obligations::ObligationKind;

/// Whether a criterion gives one figure per product or one for the programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Product,
    Programme,
}

/// The indicator library: every figure cncl can compute. Each is documented where it is
/// computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    DomesticValueAddedShareOfPrice,
    DomesticShareOfProductionCost,
    CoreTechnologiesMasteredShare,
    DomesticMarketShare,
    ResearchProjectsWithAccreditedPublicationShare,
    ResearchProjectsWithAcceptedIpShare,
    ResearchOutcomesAppliedShare,
    DualUseProjectsDemonstratedShare,
    EnterprisesInRd,
    InstitutesUniversitiesInRd,
    SupportingEnterprises,
    StrategicIndustriesFormed,
    EnterprisesMeetingInternationalStandards,
    PeopleTrained,
    OpenNationalKeyLaboratories,
    StateBudgetShareOfStSpending,
    AssignedTasksSevenClearShare,
}

impl Indicator {
    /// The programme's headline figures, first on the dashboard: mastery of core
    /// technologies, domestic value added and market share (the products' objectives),
    /// participation (enterprises, institutes and universities in R&D), and the state budget
    /// against its ceiling (Decision 2815/QĐ-TTg, objectives and funding; PRODUCT.md).
    pub const HEADLINE: [Indicator; 6] = [
        Self::CoreTechnologiesMasteredShare,
        Self::DomesticValueAddedShareOfPrice,
        Self::DomesticMarketShare,
        Self::EnterprisesInRd,
        Self::InstitutesUniversitiesInRd,
        Self::StateBudgetShareOfStSpending,
    ];

    /// Whether the figure rests on bills of materials, so the rule (tracing or roll-up)
    /// belongs beside it.
    pub fn uses_bill_of_materials(self) -> bool {
        matches!(self, Self::DomesticValueAddedShareOfPrice | Self::DomesticShareOfProductionCost)
    }

    /// Whether the indicator gives one figure per product or one for the programme.
    pub fn scope(self) -> Scope {
        match self {
            Self::DomesticValueAddedShareOfPrice
            | Self::DomesticShareOfProductionCost
            | Self::CoreTechnologiesMasteredShare
            | Self::DomesticMarketShare
            | Self::ResearchProjectsWithAccreditedPublicationShare
            | Self::ResearchProjectsWithAcceptedIpShare
            | Self::ResearchOutcomesAppliedShare
            | Self::DualUseProjectsDemonstratedShare => Scope::Product,
            _ => Scope::Programme,
        }
    }
}

impl Indicator {
    /// The reports an indicator's facts come in by, if any: a figure computed while some of
    /// them are missing may move once they arrive.
    pub fn rests_on(self) -> Option<ObligationKind> {
        use Indicator::*;
        match self {
            DomesticValueAddedShareOfPrice | DomesticShareOfProductionCost | DomesticMarketShare => {
                Some(ObligationKind::ModelReport)
            }
            ResearchProjectsWithAccreditedPublicationShare
            | ResearchProjectsWithAcceptedIpShare
            | ResearchOutcomesAppliedShare
            | DualUseProjectsDemonstratedShare
            | EnterprisesInRd
            | InstitutesUniversitiesInRd
            | StateBudgetShareOfStSpending
            | AssignedTasksSevenClearShare => Some(ObligationKind::TaskProgress),
            PeopleTrained => Some(ObligationKind::TrainingReport),
            CoreTechnologiesMasteredShare
            | SupportingEnterprises
            | StrategicIndustriesFormed
            | EnterprisesMeetingInternationalStandards
            | OpenNationalKeyLaboratories => None,
        }
    }
}
