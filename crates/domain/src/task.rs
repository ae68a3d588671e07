//! Tasks of the programme, the organisations taking part in them, and their funding.

use crate::date::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Lang;
use crate::error::{DomainError, msg};
use crate::ids::{OrganisationId, PersonId, TaskId};
use crate::labelled_enum;
use crate::record::{EntityKind, Record, not_before};
use crate::values::{Code, Text, Vnd, Year};

labelled_enum! {
    /// How a task came about: ordered by the state (đặt hàng), which the Ministry now
    /// prefers, or proposed by the organisation itself (seed 003).
    pub enum TaskOrigin {
        Ordered = "ordered", "Đặt hàng", "Ordered by the state";
        SelfProposed = "self_proposed", "Tự đề xuất", "Self-proposed";
    }
}

labelled_enum! {
    /// Where a task stands in its lifecycle.
    pub enum TaskStatus {
        Draft = "draft", "Dự thảo", "Draft";
        Ordered = "ordered", "Đã đặt hàng", "Ordered";
        Assigned = "assigned", "Đã giao", "Assigned";
        InProgress = "in_progress", "Đang thực hiện", "In progress";
        Submitted = "submitted", "Đã nộp nghiệm thu", "Submitted for acceptance";
        Accepted = "accepted", "Đã nghiệm thu", "Accepted";
        Rejected = "rejected", "Không được nghiệm thu", "Rejected";
        Cancelled = "cancelled", "Đã hủy", "Cancelled";
    }
}

impl TaskStatus {
    /// Whether a task in this status has been assigned to a lead organisation and person.
    pub fn is_assigned(self) -> bool {
        matches!(self, Self::Assigned | Self::InProgress | Self::Submitted | Self::Accepted | Self::Rejected)
    }
}

/// A task of the programme. The "7 clear" (7 rõ; seeds 003, 004) are its fields and
/// related records (see `seven_clear`). Its status changes only through the lifecycle's
/// commands (`lifecycle`), which also set `assigned_on`, `accepted_on` and the order's fields
/// (`problem`, `expected_product`, `budget_ceiling_vnd`, `deadline`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// The office's reference, unique.
    pub code: Text,
    pub title: Text,
    pub product_code: Code,
    pub task_group_code: Code,
    pub origin: TaskOrigin,
    /// A research project, counted by criteria C4–C7.
    pub is_research: bool,
    /// Dual-use (civil and defence) technology, counted by criterion C7.
    pub dual_use: bool,
    pub status: TaskStatus,
    pub lead_person_id: Option<PersonId>,
    /// The problem the state's order asks to solve.
    pub problem: Option<Text>,
    pub scope: Option<Text>,
    pub responsibility: Option<Text>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    /// The deadline set in the order.
    pub deadline: Option<Date>,
    pub approving_body: Option<Text>,
    pub delegated_authority: Option<Text>,
    pub expected_product: Option<Text>,
    /// The ceiling set in the state's order.
    pub budget_ceiling_vnd: Option<Vnd>,
    /// When the task was assigned to its lead organisation.
    pub assigned_on: Option<Date>,
    /// When the task's results were accepted (nghiệm thu).
    pub accepted_on: Option<Date>,
}

impl Record for Task {
    const KIND: EntityKind = EntityKind::Task;
    type Id = crate::ids::TaskId;
    const COMMAND_FIELDS: &'static [(&'static str, Option<&'static str>)] =
        &[("status", Some("draft")), ("assigned_on", None), ("accepted_on", None)];

    fn check(&self) -> Result<(), DomainError> {
        not_before(self.starts_on, "starts_on", self.ends_on, "ends_on")?;
        not_before(self.assigned_on, "assigned_on", self.accepted_on, "accepted_on")?;
        if self.status.is_assigned() && self.assigned_on.is_none() {
            return Err(DomainError::new(
                "assigned_on",
                msg(
                    format!("bắt buộc khi nhiệm vụ ở trạng thái {}", self.status.label(Lang::Vi)),
                    format!("is required when the status is {}", self.status),
                ),
            ));
        }
        match (self.status, self.accepted_on) {
            (TaskStatus::Accepted, None) => Err(DomainError::new(
                "accepted_on",
                msg("bắt buộc khi nhiệm vụ đã nghiệm thu", "is required when the status is accepted"),
            )),
            (status, Some(_)) if status != TaskStatus::Accepted => Err(DomainError::new(
                "accepted_on",
                msg("chỉ ghi khi nhiệm vụ đã nghiệm thu", "may be set only when the status is accepted"),
            )),
            _ => Ok(()),
        }
    }
}

labelled_enum! {
    /// An organisation's part in a task.
    pub enum ParticipantRole {
        Lead = "lead", "Chủ trì", "Lead";
        Participant = "participant", "Phối hợp", "Participant";
        SupportingSupplier = "supporting_supplier", "Cung cấp thiết bị, dịch vụ", "Supporting supplier";
    }
}

/// An organisation taking part in a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskParticipant {
    pub task_id: TaskId,
    pub organisation_id: OrganisationId,
    pub role: ParticipantRole,
}

impl Record for TaskParticipant {
    const KIND: EntityKind = EntityKind::TaskParticipant;
    type Id = crate::ids::TaskParticipantId;
}

labelled_enum! {
    /// Where money comes from (seeds 000, 001).
    pub enum FundingSource {
        CentralState = "central_state", "Ngân sách trung ương", "Central state budget";
        LocalState = "local_state", "Ngân sách địa phương", "Local state budget";
        Enterprise = "enterprise", "Doanh nghiệp", "Enterprise";
        Private = "private", "Tư nhân", "Private";
        Other = "other", "Nguồn hợp pháp khác", "Other lawful source";
    }
}

impl FundingSource {
    /// State budget money counts against the 15 % ceiling.
    pub fn is_state_budget(self) -> bool {
        matches!(self, Self::CentralState | Self::LocalState)
    }
}

/// Money planned for a task in a year from one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetLine {
    pub task_id: TaskId,
    pub year: Year,
    pub source: FundingSource,
    pub amount_vnd: Vnd,
}

impl Record for BudgetLine {
    const KIND: EntityKind = EntityKind::BudgetLine;
    type Id = crate::ids::BudgetLineId;
}

/// The state's total science-and-technology spending in a year; the programme's state
/// funding must stay within 15 % of it (seeds 000, 001).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StateStSpending {
    pub year: Year,
    pub amount_vnd: Vnd,
    /// The budget document the figure comes from.
    pub source_document: Option<Text>,
}

impl Record for StateStSpending {
    const KIND: EntityKind = EntityKind::StateStSpending;
    type Id = crate::ids::StateStSpendingId;
}
