//! Core technologies of each product (a tree; leaves carry weights) and their dated
//! assessments.

use crate::date::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ids::{CoreTechnologyId, PersonId};
use crate::labelled_enum;
use crate::record::{EntityKind, Record};
use crate::values::{Code, Text, Trl, Weight};

/// A node of a product's core-technology breakdown. Leaves are assessed; their weights give
/// each its share of the product's core technology (criterion C2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CoreTechnology {
    pub product_code: Code,
    pub parent_id: Option<CoreTechnologyId>,
    pub name: Text,
    /// Relative weight among the product's leaf technologies; ignored for inner nodes.
    pub weight: Weight,
    pub description: Option<Text>,
}

impl Record for CoreTechnology {
    const KIND: EntityKind = EntityKind::CoreTechnology;
    type Id = crate::ids::CoreTechnologyId;
}

labelled_enum! {
    /// How far Vietnam has mastered a technology. "Mastered" means designed, built, tested
    /// and integrated domestically (seed 001: mastering design, integration, manufacturing,
    /// testing and application); the steps before it follow seed 002 (research, decoding,
    /// prototypes, testing).
    pub enum Mastery {
        NotStarted = "not_started", "Chưa bắt đầu", "Not started";
        Researching = "researching", "Đang nghiên cứu", "Researching";
        Acquired = "acquired", "Đã tiếp nhận, giải mã", "Acquired / decoded";
        Prototype = "prototype", "Đã có mẫu thử", "Prototype";
        Tested = "tested", "Đã thử nghiệm", "Tested";
        Mastered = "mastered", "Làm chủ", "Mastered";
    }
}

/// A dated judgement of one core technology. The latest assessment on or before a date is
/// the one that counts on that date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TechnologyAssessment {
    pub technology_id: CoreTechnologyId,
    pub assessed_on: Date,
    pub trl: Trl,
    pub mastery: Mastery,
    /// What the judgement rests on: test reports, integration records.
    pub evidence: Text,
    pub assessor_id: Option<PersonId>,
}

impl Record for TechnologyAssessment {
    const KIND: EntityKind = EntityKind::TechnologyAssessment;
    type Id = crate::ids::TechnologyAssessmentId;
}
