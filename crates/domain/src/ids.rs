//! Typed ids: a `TaskId` cannot be passed where an `OrganisationId` is expected.
//! Ids are UUID v7, so they sort by creation time.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// What every record's id is: a UUID of a kind that says which record it names.
pub trait RecordId:
    Copy
    + Eq
    + Ord
    + std::hash::Hash
    + fmt::Debug
    + fmt::Display
    + From<Uuid>
    + Into<Uuid>
    + Serialize
    + serde::de::DeserializeOwned
    + Send
    + Sync
    + 'static
{
    fn as_uuid(self) -> Uuid {
        self.into()
    }
}

macro_rules! ids {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(transparent)]
        #[schema(value_type = String, format = Uuid)]
        pub struct $name(pub Uuid);

        impl $name {
            pub fn as_uuid(self) -> Uuid {
                self.0
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl From<$name> for Uuid {
            fn from(id: $name) -> Uuid {
                id.0
            }
        }

        impl RecordId for $name {}

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

ids! {
    OrganisationId;
    CertificationId;
    PersonId;
    TaskId;
    TaskParticipantId;
    BudgetLineId;
    StateStSpendingId;
    CoreTechnologyId;
    TechnologyAssessmentId;
    PublicationId;
    IpApplicationId;
    ResearchOutcomeId;
    DualUseDemonstrationId;
    ProductModelId;
    BomLineId;
    CostLineId;
    ModelSalesId;
    MarketSizeId;
    TrainingRecordId;
    LaboratoryId;
    StrategicIndustryId;
    TaskMilestoneId;
    DeliverableId;
    ProgressReportId;
    AppointmentId;
    TaskForceDocumentId;
    TaskForceMemberId;
    DisbursementId;
    ProposalId;
    ProposalReviewId;
    DomesticOfferId;
    CommentaryId;
}
