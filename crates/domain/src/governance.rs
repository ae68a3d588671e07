//! How the programme is run (seeds 001, 003, 004): milestones and deliverables of tasks,
//! quarterly progress reports, the people in charge of products, the Task Force,
//! disbursements, and the selection of proposals for an order.

use crate::date::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Lang;
use crate::error::{DomainError, msg};
use crate::ids::{BudgetLineId, OrganisationId, PersonId, ProposalId, TaskForceDocumentId, TaskId};
use crate::labelled_enum;
use crate::record::{EntityKind, Record, not_before};
use crate::values::{Code, Percent, Quarter, Score, Text, Vnd, Year};

/// Whether something due on `due_on` and done on `done_on` (if ever) is overdue on
/// `as_of`: not done by then, and `as_of` is after the due date (on the due date itself it
/// is not yet overdue).
pub fn is_overdue(due_on: Date, done_on: Option<Date>, as_of: Date) -> bool {
    as_of > due_on && done_on.is_none_or(|done| done > as_of)
}

/// A dated step of a task (part of its clear time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskMilestone {
    pub task_id: TaskId,
    pub name: Text,
    pub due_on: Date,
    pub completed_on: Option<Date>,
}

impl Record for TaskMilestone {
    const KIND: EntityKind = EntityKind::TaskMilestone;
    type Id = crate::ids::TaskMilestoneId;
}

/// Something a task must deliver, with how it will be accepted (its clear product).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Deliverable {
    pub task_id: TaskId,
    pub name: Text,
    pub acceptance_criteria: Text,
    pub due_on: Date,
    pub delivered_on: Option<Date>,
}

impl Record for Deliverable {
    const KIND: EntityKind = EntityKind::Deliverable;
    type Id = crate::ids::DeliverableId;
}

labelled_enum! {
    /// Where a progress report stands.
    pub enum ReportStatus {
        Draft = "draft", "Dự thảo", "Draft";
        Submitted = "submitted", "Đã nộp", "Submitted";
        Approved = "approved", "Đã duyệt", "Approved";
        Returned = "returned", "Trả lại", "Returned";
    }
}

/// A task's quarterly progress report, submitted for the lead organisation and approved or
/// returned by the office. Its content can be corrected only while it is a draft or after it
/// has been returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressReport {
    pub task_id: TaskId,
    pub year: Year,
    pub quarter: Quarter,
    pub progress_percent: Percent,
    pub summary: Text,
    pub spent_central_state_vnd: Vnd,
    pub spent_local_state_vnd: Vnd,
    pub spent_enterprise_vnd: Vnd,
    pub spent_private_vnd: Vnd,
    pub spent_other_vnd: Vnd,
    pub outputs: Option<Text>,
    pub risks: Option<Text>,
    pub status: ReportStatus,
    pub submitted_on: Option<Date>,
    pub reviewed_on: Option<Date>,
    pub return_reason: Option<Text>,
}

impl Record for ProgressReport {
    const KIND: EntityKind = EntityKind::ProgressReport;
    type Id = crate::ids::ProgressReportId;
    const COMMAND_FIELDS: &'static [(&'static str, Option<&'static str>)] =
        &[("status", Some("draft")), ("submitted_on", None), ("reviewed_on", None), ("return_reason", None)];

    fn check(&self) -> Result<(), DomainError> {
        not_before(self.submitted_on, "submitted_on", self.reviewed_on, "reviewed_on")?;
        let needs = |present: bool, field: &str| {
            if present {
                Ok(())
            } else {
                Err(DomainError::new(
                    field,
                    msg(
                        format!("bắt buộc khi báo cáo ở trạng thái {}", self.status.label(Lang::Vi)),
                        format!("is required when the report is {}", self.status),
                    ),
                ))
            }
        };
        match self.status {
            ReportStatus::Draft => Ok(()),
            ReportStatus::Submitted => needs(self.submitted_on.is_some(), "submitted_on"),
            ReportStatus::Approved => needs(self.reviewed_on.is_some(), "reviewed_on"),
            ReportStatus::Returned => {
                needs(self.reviewed_on.is_some(), "reviewed_on")?;
                needs(self.return_reason.is_some(), "return_reason")
            }
        }
    }
}

/// A change to a progress report's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)]
pub enum ReportCommand {
    Submit {
        on: Date,
    },
    Approve {
        on: Date,
    },
    Return {
        on: Date,
        reason: Text,
    },
    /// The office reopens an approved report's period, with the reason: the records it
    /// rests on may change again, and the report returns to the reporter.
    Reopen {
        on: Date,
        reason: Text,
    },
}

labelled_enum! {
    /// The name of a progress report's command.
    pub enum ReportCommandName {
        Submit = "submit", "Nộp", "Submit";
        Approve = "approve", "Duyệt", "Approve";
        Return = "return", "Trả lại", "Return";
        Reopen = "reopen", "Mở lại kỳ báo cáo", "Reopen the period";
    }
}

impl ReportCommand {
    pub fn name(&self) -> ReportCommandName {
        match self {
            Self::Submit { .. } => ReportCommandName::Submit,
            Self::Approve { .. } => ReportCommandName::Approve,
            Self::Return { .. } => ReportCommandName::Return,
            Self::Reopen { .. } => ReportCommandName::Reopen,
        }
    }
}

impl ProgressReport {
    /// Whether its content may still be corrected.
    pub fn editable(&self) -> bool {
        matches!(self.status, ReportStatus::Draft | ReportStatus::Returned)
    }

    /// The commands the report can take in its state.
    pub fn commands(&self) -> &'static [ReportCommandName] {
        match self.status {
            ReportStatus::Draft | ReportStatus::Returned => &[ReportCommandName::Submit],
            ReportStatus::Submitted => &[ReportCommandName::Approve, ReportCommandName::Return],
            ReportStatus::Approved => &[ReportCommandName::Reopen],
        }
    }

    /// The report after `command`; `Err` holds the statuses it could move to instead.
    pub fn apply(&self, command: &ReportCommand) -> Result<ProgressReport, Vec<ReportStatus>> {
        let mut next = self.clone();
        match (self.status, command) {
            (ReportStatus::Draft | ReportStatus::Returned, ReportCommand::Submit { on }) => {
                next.status = ReportStatus::Submitted;
                next.submitted_on = Some(*on);
                next.reviewed_on = None;
            }
            (ReportStatus::Submitted, ReportCommand::Approve { on }) => {
                next.status = ReportStatus::Approved;
                next.reviewed_on = Some(*on);
            }
            (ReportStatus::Submitted, ReportCommand::Return { on, reason })
            | (ReportStatus::Approved, ReportCommand::Reopen { on, reason }) => {
                next.status = ReportStatus::Returned;
                next.reviewed_on = Some(*on);
                next.return_reason = Some(reason.clone());
            }
            (status, _) => {
                return Err(match status {
                    ReportStatus::Draft | ReportStatus::Returned => vec![ReportStatus::Submitted],
                    ReportStatus::Submitted => vec![ReportStatus::Approved, ReportStatus::Returned],
                    ReportStatus::Approved => vec![ReportStatus::Returned],
                });
            }
        }
        Ok(next)
    }
}

labelled_enum! {
    /// The roles that lead a product's (or task group's) work (seeds 000, 003, 004).
    pub enum ChargeRole {
        ChiefEngineer = "chief_engineer", "Tổng công trình sư", "Chief engineer";
        ChiefArchitect = "chief_architect", "Kiến trúc sư trưởng", "Chief architect";
    }
}

/// A product's assessment for a quarter (đánh giá), written by its chief engineer or the
/// office: what moved, what is at risk, what is being done. The quarterly report prints it
/// beside the product's figures, the way a Vietnamese report pairs figures with an
/// assessment; one per product and quarter, corrected in place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Commentary {
    pub product_code: Code,
    pub year: Year,
    pub quarter: Quarter,
    pub written_on: Date,
    /// What moved in the quarter.
    pub progress: Text,
    /// What is at risk.
    pub risks: Option<Text>,
    /// What is being done about it.
    pub actions: Option<Text>,
}

impl Record for Commentary {
    const KIND: EntityKind = EntityKind::Commentary;
    type Id = crate::ids::CommentaryId;
}

/// A person appointed chief engineer or chief architect of a product (and task group, where
/// set).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Appointment {
    pub person_id: PersonId,
    pub role: ChargeRole,
    pub product_code: Code,
    pub task_group_code: Option<Code>,
    pub appointed_on: Date,
    pub decision_number: Text,
    pub ends_on: Option<Date>,
}

impl Record for Appointment {
    const KIND: EntityKind = EntityKind::Appointment;
    type Id = crate::ids::AppointmentId;

    fn check(&self) -> Result<(), DomainError> {
        not_before(Some(self.appointed_on), "appointed_on", self.ends_on, "ends_on")
    }
}

impl Appointment {
    /// Whether the appointment holds on `as_of`.
    pub fn holds_on(&self, as_of: Date) -> bool {
        self.appointed_on <= as_of && self.ends_on.is_none_or(|end| end > as_of)
    }
}

labelled_enum! {
    /// The Task Force's documents (seed 001).
    pub enum TaskForceDocumentKind {
        MembershipDecision = "membership_decision", "Quyết định thành lập, kiện toàn thành viên", "Membership decision";
        OperatingRegulation = "operating_regulation", "Quy chế hoạt động", "Operating regulation";
    }
}

/// A decision on the Task Force's membership, or its operating regulation, each issued by the
/// Minister with a number and a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskForceDocument {
    pub kind: TaskForceDocumentKind,
    pub number: Text,
    pub issued_on: Date,
    pub title: Text,
}

impl Record for TaskForceDocument {
    const KIND: EntityKind = EntityKind::TaskForceDocument;
    type Id = crate::ids::TaskForceDocumentId;
}

labelled_enum! {
    pub enum TaskForcePosition {
        Head = "head", "Tổ trưởng", "Head";
        DeputyHead = "deputy_head", "Tổ phó", "Deputy head";
        Member = "member", "Thành viên", "Member";
    }
}

/// A member of the Programme Implementation Task Force, headed by the Minister of Science
/// and Technology (seed 001), named by a membership decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskForceMember {
    pub person_id: PersonId,
    pub position: TaskForcePosition,
    /// The member's office, e.g. "Bộ trưởng Bộ Khoa học và Công nghệ".
    pub office: Text,
    pub decision_id: TaskForceDocumentId,
    pub from_on: Date,
    pub until_on: Option<Date>,
}

impl Record for TaskForceMember {
    const KIND: EntityKind = EntityKind::TaskForceMember;
    type Id = crate::ids::TaskForceMemberId;

    fn check(&self) -> Result<(), DomainError> {
        not_before(Some(self.from_on), "from_on", self.until_on, "until_on")
    }
}

/// Money paid out against a budget line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Disbursement {
    pub budget_line_id: BudgetLineId,
    pub disbursed_on: Date,
    pub amount_vnd: Vnd,
    pub document: Option<Text>,
}

impl Record for Disbursement {
    const KIND: EntityKind = EntityKind::Disbursement;
    type Id = crate::ids::DisbursementId;

    fn check(&self) -> Result<(), DomainError> {
        if self.amount_vnd == Vnd::ZERO {
            return Err(DomainError::new("amount_vnd", msg("phải lớn hơn 0", "must be more than zero")));
        }
        Ok(())
    }
}

labelled_enum! {
    pub enum ProposalStatus {
        Submitted = "submitted", "Đã nộp", "Submitted";
        Selected = "selected", "Được chọn", "Selected";
        NotSelected = "not_selected", "Không được chọn", "Not selected";
    }
}

/// An organisation's proposal to carry out an ordered task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Proposal {
    pub task_id: TaskId,
    pub organisation_id: OrganisationId,
    /// The person the organisation proposes to lead the task.
    pub lead_person_id: PersonId,
    pub title: Text,
    pub summary: Option<Text>,
    pub submitted_on: Date,
    pub status: ProposalStatus,
}

impl Record for Proposal {
    const KIND: EntityKind = EntityKind::Proposal;
    type Id = crate::ids::ProposalId;
    const COMMAND_FIELDS: &'static [(&'static str, Option<&'static str>)] = &[("status", Some("submitted"))];
}

/// One reviewer's scores of a proposal against the three selection criteria of seed 003.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalReview {
    pub proposal_id: ProposalId,
    pub reviewer_id: PersonId,
    /// Solves a major national problem.
    pub national_problem: Score,
    /// Potential for commercialisation, import substitution and export.
    pub commercialisation: Score,
    /// Conditions to master core technology and keep Vietnamese value.
    pub core_technology: Score,
    pub comment: Option<Text>,
    pub reviewed_on: Date,
}

impl Record for ProposalReview {
    const KIND: EntityKind = EntityKind::ProposalReview;
    type Id = crate::ids::ProposalReviewId;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> Date {
        Date::saturating(chrono::NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default())
    }

    #[test]
    fn overdue_on_the_due_date_and_the_day_after() {
        assert!(!is_overdue(day(10), None, day(10)), "due today is not yet overdue");
        assert!(is_overdue(day(10), None, day(11)), "the day after is");
        assert!(!is_overdue(day(10), Some(day(11)), day(11)), "done that day");
        assert!(is_overdue(day(10), Some(day(12)), day(11)), "done later than as_of");
        assert!(!is_overdue(day(10), None, day(9)));
    }

    fn report() -> ProgressReport {
        let text = |s: &str| Text::parse(s).unwrap_or_else(|_| unreachable!());
        ProgressReport {
            task_id: TaskId(uuid::Uuid::nil()),
            year: Year::new(2026).unwrap_or_else(|_| unreachable!()),
            quarter: Quarter::new(1).unwrap_or_else(|_| unreachable!()),
            progress_percent: Percent::new(40).unwrap_or_else(|_| unreachable!()),
            summary: text("Tiến độ"),
            spent_central_state_vnd: Vnd::ZERO,
            spent_local_state_vnd: Vnd::ZERO,
            spent_enterprise_vnd: Vnd::ZERO,
            spent_private_vnd: Vnd::ZERO,
            spent_other_vnd: Vnd::ZERO,
            outputs: None,
            risks: None,
            status: ReportStatus::Draft,
            submitted_on: None,
            reviewed_on: None,
            return_reason: None,
        }
    }

    #[test]
    fn a_returned_report_can_be_corrected_and_submitted_again() {
        let reason = Text::parse("Thiếu số liệu chi").unwrap_or_else(|_| unreachable!());
        let submitted = report().apply(&ReportCommand::Submit { on: day(1) }).unwrap_or_else(|_| unreachable!());
        assert!(!submitted.editable());
        assert!(submitted.apply(&ReportCommand::Submit { on: day(2) }).is_err());
        let returned =
            submitted.apply(&ReportCommand::Return { on: day(3), reason }).unwrap_or_else(|_| unreachable!());
        assert!(returned.editable());
        assert!(returned.check().is_ok());
        let again = returned.apply(&ReportCommand::Submit { on: day(4) }).unwrap_or_else(|_| unreachable!());
        let approved = again.apply(&ReportCommand::Approve { on: day(5) }).unwrap_or_else(|_| unreachable!());
        assert_eq!(approved.status, ReportStatus::Approved);
        assert_eq!(approved.apply(&ReportCommand::Approve { on: day(6) }), Err(vec![ReportStatus::Returned]));
        assert!(!approved.editable());
        // Only a reopening, with its reason, returns an approved report to the reporter.
        let why = Text::parse("Bổ sung chứng từ giải ngân").unwrap_or_else(|_| unreachable!());
        let reopened = approved
            .apply(&ReportCommand::Reopen { on: day(7), reason: why.clone() })
            .unwrap_or_else(|_| unreachable!());
        assert_eq!((reopened.status, reopened.return_reason.clone()), (ReportStatus::Returned, Some(why)));
        assert!(reopened.editable() && reopened.check().is_ok());
        assert!(
            again
                .apply(&ReportCommand::Reopen {
                    on: day(7),
                    reason: Text::parse("x").unwrap_or_else(|_| unreachable!())
                })
                .is_err()
        );
    }
}
