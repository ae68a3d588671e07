//! Organisations taking part in the programme, their certifications, and people.

use std::collections::BTreeSet;

use crate::date::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::DomainError;
use crate::ids::OrganisationId;
use crate::labelled_enum;
use crate::record::{EntityKind, Record, not_before};
use crate::values::{TaxCode, Text, Usd};

labelled_enum! {
    /// What sort of organisation it is; the programme counts enterprises and
    /// institutes/universities separately (seeds 000, 001).
    pub enum OrganisationKind {
        Enterprise = "enterprise", "Doanh nghiệp", "Enterprise";
        ResearchInstitute = "research_institute", "Viện nghiên cứu", "Research institute";
        University = "university", "Trường đại học", "University";
        Other = "other", "Khác", "Other";
    }
}

labelled_enum! {
    /// Who owns the organisation.
    pub enum Ownership {
        State = "state", "Nhà nước", "State";
        Private = "private", "Tư nhân", "Private";
        ForeignInvested = "foreign_invested", "Có vốn đầu tư nước ngoài", "Foreign-invested";
    }
}

/// An enterprise, institute, university or other body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: Text,
    pub kind: OrganisationKind,
    pub tax_code: TaxCode,
    pub province: Text,
    pub ownership: Ownership,
    /// Scale in US dollars (the programme counts enterprises above USD 1 billion; seed 002).
    pub scale_usd: Option<Usd>,
}

impl Record for Organisation {
    const KIND: EntityKind = EntityKind::Organisation;
    type Id = crate::ids::OrganisationId;
}

/// An international-standard certification held by an organisation (seed 002: enterprises
/// meeting international standards).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Certification {
    pub organisation_id: OrganisationId,
    /// The standard, e.g. "ISO 9001:2015", "CMMI Level 5".
    pub standard: Text,
    pub certified_on: Date,
    pub certifier: Option<Text>,
    pub expires_on: Option<Date>,
}

impl Record for Certification {
    const KIND: EntityKind = EntityKind::Certification;
    type Id = crate::ids::CertificationId;

    fn check(&self) -> Result<(), DomainError> {
        not_before(Some(self.certified_on), "certified_on", self.expires_on, "expires_on")
    }
}

labelled_enum! {
    /// What a person does in the programme (seeds 000, 001, 003, 004).
    pub enum PersonRole {
        ChiefEngineer = "chief_engineer", "Tổng công trình sư", "Chief engineer";
        ChiefArchitect = "chief_architect", "Kiến trúc sư trưởng", "Chief architect";
        TaskLead = "task_lead", "Chủ nhiệm nhiệm vụ", "Task lead";
        TaskForceMember = "task_force_member", "Thành viên Tổ công tác", "Task Force member";
        Expert = "expert", "Chuyên gia", "Expert";
    }
}

labelled_enum! {
    /// Whether a person is a Vietnamese expert abroad or a foreign expert, whom the
    /// programme sets out to attract (seed 000).
    pub enum ExpertOrigin {
        Domestic = "domestic", "Trong nước", "Domestic";
        OverseasVietnamese = "overseas_vietnamese", "Người Việt Nam ở nước ngoài", "Overseas Vietnamese";
        Foreign = "foreign", "Người nước ngoài", "Foreign";
    }
}

/// A person: researcher, chief engineer, Task Force member, expert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub full_name: Text,
    pub organisation_id: Option<OrganisationId>,
    /// Each role at most once.
    #[serde(default)]
    pub roles: BTreeSet<PersonRole>,
    pub expert_origin: ExpertOrigin,
    /// Academic or job title.
    pub title: Option<Text>,
}

impl Record for Person {
    const KIND: EntityKind = EntityKind::Person;
    type Id = crate::ids::PersonId;
}
