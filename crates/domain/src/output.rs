//! What research tasks produce: publications, IP applications, research outcomes and their
//! use, and dual-use demonstrations (criteria C4–C7).

use crate::date::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{DomainError, msg};
use crate::ids::TaskId;
use crate::labelled_enum;
use crate::record::{EntityKind, Record, not_before};
use crate::values::{Issn, Text};

/// An article reporting a task's results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    pub task_id: TaskId,
    pub title: Text,
    pub journal: Text,
    pub issn: Issn,
    /// Whether the journal is on the list accredited by the State Council for
    /// Professorship (criterion C4; seed 000).
    pub accredited: bool,
    pub published_on: Date,
    pub doi: Option<Text>,
}

impl Record for Publication {
    const KIND: EntityKind = EntityKind::Publication;
    type Id = crate::ids::PublicationId;
}

labelled_enum! {
    /// The kind of industrial property applied for.
    pub enum IpKind {
        InventionPatent = "invention_patent", "Sáng chế", "Invention patent";
        UtilitySolution = "utility_solution", "Giải pháp hữu ích", "Utility solution";
        IndustrialDesign = "industrial_design", "Kiểu dáng công nghiệp", "Industrial design";
        LayoutDesign = "layout_design", "Thiết kế bố trí mạch tích hợp", "Integrated-circuit layout design";
        Copyright = "copyright", "Quyền tác giả (phần mềm)", "Copyright (software)";
        Other = "other", "Khác", "Other";
    }
}

/// An application for IP protection. Criterion C5 counts applications formally accepted
/// (chấp nhận đơn hợp lệ; seed 000).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IpApplication {
    pub task_id: TaskId,
    pub title: Text,
    pub kind: IpKind,
    /// The application number given by the IP office.
    pub number: Text,
    pub filed_on: Date,
    /// When the application was formally accepted as valid.
    pub accepted_on: Option<Date>,
    pub granted_on: Option<Date>,
}

impl Record for IpApplication {
    const KIND: EntityKind = EntityKind::IpApplication;
    type Id = crate::ids::IpApplicationId;

    fn check(&self) -> Result<(), DomainError> {
        not_before(Some(self.filed_on), "filed_on", self.accepted_on, "accepted_on")?;
        not_before(Some(self.filed_on), "filed_on", self.granted_on, "granted_on")?;
        not_before(self.accepted_on, "accepted_on", self.granted_on, "granted_on")
    }
}

labelled_enum! {
    /// What a research outcome is.
    pub enum OutcomeKind {
        Prototype = "prototype", "Mẫu thử, sản phẩm mẫu", "Prototype";
        Process = "process", "Quy trình công nghệ", "Technology process";
        Software = "software", "Phần mềm", "Software";
        Design = "design", "Thiết kế", "Design";
        Dataset = "dataset", "Bộ dữ liệu", "Dataset";
        Standard = "standard", "Tiêu chuẩn, quy chuẩn", "Standard";
        Other = "other", "Khác", "Other";
    }
}

labelled_enum! {
    /// How a research outcome reached use (criterion C6; seed 000).
    pub enum Application {
        Integrated = "integrated", "Đưa vào sản xuất, kinh doanh", "Integrated into production or business";
        Commercialised = "commercialised", "Thương mại hóa", "Commercialised";
    }
}

/// A result of a research task, and whether and when it reached production or market.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResearchOutcome {
    pub task_id: TaskId,
    pub title: Text,
    pub kind: OutcomeKind,
    pub recorded_on: Date,
    /// Set together with `applied_on` and `application_evidence`.
    pub application: Option<Application>,
    pub applied_on: Option<Date>,
    pub application_evidence: Option<Text>,
}

impl Record for ResearchOutcome {
    const KIND: EntityKind = EntityKind::ResearchOutcome;
    type Id = crate::ids::ResearchOutcomeId;

    fn check(&self) -> Result<(), DomainError> {
        let set = [self.application.is_some(), self.applied_on.is_some(), self.application_evidence.is_some()];
        if set.iter().any(|s| *s) {
            for (present, field) in set.iter().zip(["application", "applied_on", "application_evidence"]) {
                if !present {
                    return Err(DomainError::new(
                        field,
                        msg(
                            "bắt buộc khi đã ghi nhận việc ứng dụng kết quả",
                            "is required when the outcome's application is recorded",
                        ),
                    ));
                }
            }
        }
        not_before(Some(self.recorded_on), "recorded_on", self.applied_on, "applied_on")
    }
}

labelled_enum! {
    /// Where a dual-use technology was shown to work (criterion C7).
    pub enum Sector {
        Civil = "civil", "Dân sự", "Civil";
        Defence = "defence", "Quốc phòng, an ninh", "Defence and security";
    }
}

/// A demonstration of a dual-use task's results in one sector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DualUseDemonstration {
    pub task_id: TaskId,
    pub sector: Sector,
    pub demonstrated_on: Date,
    pub description: Text,
}

impl Record for DualUseDemonstration {
    const KIND: EntityKind = EntityKind::DualUseDemonstration;
    type Id = crate::ids::DualUseDemonstrationId;
}
