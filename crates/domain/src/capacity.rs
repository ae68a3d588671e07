//! The programme's capacity targets: people trained, laboratories, strategic industries
//! (seeds 000–003).

use std::collections::BTreeSet;

use crate::date::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{DomainError, msg};
use crate::ids::OrganisationId;
use crate::labelled_enum;
use crate::record::{EntityKind, Record};
use crate::values::{Code, Quantity, Text, Year};

labelled_enum! {
    /// The level of people trained (seed 002: engineers, researchers and core technology
    /// experts).
    pub enum TrainingLevel {
        Engineer = "engineer", "Kỹ sư", "Engineer";
        Researcher = "researcher", "Nhà nghiên cứu", "Researcher";
        Expert = "expert", "Chuyên gia công nghệ lõi", "Core technology expert";
    }
}

/// People trained in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingRecord {
    pub year: Year,
    pub count: Quantity,
    pub level: TrainingLevel,
    pub organisation_id: Option<OrganisationId>,
    pub product_code: Option<Code>,
    pub course: Option<Text>,
}

impl Record for TrainingRecord {
    const KIND: EntityKind = EntityKind::TrainingRecord;
    type Id = crate::ids::TrainingRecordId;
}

labelled_enum! {
    /// The kind of research infrastructure (seeds 002, 003).
    pub enum LaboratoryKind {
        NationalKeyLaboratory = "national_key_laboratory", "Phòng thí nghiệm trọng điểm quốc gia", "National key laboratory";
        TestingFacility = "testing_facility", "Cơ sở thử nghiệm", "Testing facility";
        RdCentre = "rd_centre", "Trung tâm nghiên cứu và phát triển", "R&D centre";
    }
}

/// A laboratory, testing facility or R&D centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Laboratory {
    pub name: Text,
    pub kind: LaboratoryKind,
    /// Operating on the open model that seed 003 calls for.
    pub open_model: bool,
    pub organisation_id: Option<OrganisationId>,
    pub established_on: Option<Date>,
}

impl Record for Laboratory {
    const KIND: EntityKind = EntityKind::Laboratory;
    type Id = crate::ids::LaboratoryId;
}

/// A strategic industry formed around the programme's products (seeds 000, 001: at least
/// three).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StrategicIndustry {
    pub name: Text,
    pub product_codes: BTreeSet<Code>,
    pub formed_on: Date,
    pub evidence: Text,
}

impl Record for StrategicIndustry {
    const KIND: EntityKind = EntityKind::StrategicIndustry;
    type Id = crate::ids::StrategicIndustryId;

    fn check(&self) -> Result<(), DomainError> {
        if self.product_codes.is_empty() {
            return Err(DomainError::new(
                "product_codes",
                msg("phải nêu ít nhất một sản phẩm", "must name at least one product"),
            ));
        }
        Ok(())
    }
}
