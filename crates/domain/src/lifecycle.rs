//! The task lifecycle (seeds 001, 003, 004): draft → ordered (the state's order) → assigned
//! → in progress → submitted for acceptance → accepted or rejected; cancelled from any open
//! state. A self-proposed task may be assigned from draft. Each change is a command; this
//! module says which commands are legal from which state and what they change. Rules that
//! need other records (the 7 clear) are checked by the application before assigning.

use crate::date::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::DomainError;
use crate::ids::{OrganisationId, PersonId};
use crate::task::{Task, TaskOrigin, TaskStatus};
use crate::values::{Text, Vnd};

/// A change to a task's state, with what it records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)]
pub enum TaskCommand {
    /// The office orders the task (đặt hàng): the problem to solve, the expected product, a
    /// budget ceiling and a deadline.
    Order {
        problem: Text,
        expected_product: Text,
        budget_ceiling_vnd: Vnd,
        deadline: Date,
    },
    /// The lead organisation and lead person are chosen; the 7 clear must all hold.
    Assign {
        lead_organisation_id: OrganisationId,
        lead_person_id: PersonId,
        on: Date,
    },
    Start {
        on: Date,
    },
    /// The lead submits the results for acceptance (nghiệm thu).
    Submit {
        on: Date,
    },
    Accept {
        on: Date,
        accepting_body: Text,
    },
    Reject {
        on: Date,
        accepting_body: Text,
        reasons: Text,
    },
    Cancel {
        on: Date,
        reason: Text,
    },
}

crate::labelled_enum! {
    /// The name of a task's command: as it is recorded, posted by forms, and offered.
    pub enum TaskCommandName {
        Order = "order", "Đặt hàng", "Order";
        Assign = "assign", "Giao nhiệm vụ", "Assign";
        Start = "start", "Bắt đầu thực hiện", "Start";
        Submit = "submit", "Nộp", "Submit";
        Accept = "accept", "Nghiệm thu đạt", "Accept";
        Reject = "reject", "Nghiệm thu không đạt", "Reject";
        Cancel = "cancel", "Hủy", "Cancel";
    }
}

impl TaskCommandName {
    /// Ends the task for good (it can be neither resumed nor accepted after): a form asks the
    /// office to confirm it.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Reject | Self::Cancel)
    }
}

impl TaskCommand {
    pub fn name(&self) -> TaskCommandName {
        match self {
            Self::Order { .. } => TaskCommandName::Order,
            Self::Assign { .. } => TaskCommandName::Assign,
            Self::Start { .. } => TaskCommandName::Start,
            Self::Submit { .. } => TaskCommandName::Submit,
            Self::Accept { .. } => TaskCommandName::Accept,
            Self::Reject { .. } => TaskCommandName::Reject,
            Self::Cancel { .. } => TaskCommandName::Cancel,
        }
    }

    /// The status the command leads to.
    pub fn target(&self) -> TaskStatus {
        match self {
            Self::Order { .. } => TaskStatus::Ordered,
            Self::Assign { .. } => TaskStatus::Assigned,
            Self::Start { .. } => TaskStatus::InProgress,
            Self::Submit { .. } => TaskStatus::Submitted,
            Self::Accept { .. } => TaskStatus::Accepted,
            Self::Reject { .. } => TaskStatus::Rejected,
            Self::Cancel { .. } => TaskStatus::Cancelled,
        }
    }

    /// The date the change takes effect, if the command carries one.
    pub fn effective_on(&self) -> Option<Date> {
        match self {
            Self::Order { .. } => None,
            Self::Assign { on, .. }
            | Self::Start { on }
            | Self::Submit { on }
            | Self::Accept { on, .. }
            | Self::Reject { on, .. }
            | Self::Cancel { on, .. } => Some(*on),
        }
    }
}

/// A recorded command's name for people, a task's or a progress report's.
pub fn command_label(name: &str, lang: crate::Lang) -> Option<&'static str> {
    TaskCommandName::parse(name)
        .map(|c| c.label(lang))
        .or_else(|| crate::governance::ReportCommandName::parse(name).map(|c| c.label(lang)))
}

/// The states a task may move to from `status`.
pub fn allowed_next(status: TaskStatus, origin: TaskOrigin) -> Vec<TaskStatus> {
    use TaskStatus::*;
    let mut next = match status {
        Draft if origin == TaskOrigin::SelfProposed => vec![Ordered, Assigned],
        Draft => vec![Ordered],
        Ordered => vec![Assigned],
        Assigned => vec![InProgress],
        InProgress => vec![Submitted],
        Submitted => vec![Accepted, Rejected],
        Accepted | Rejected | Cancelled => vec![],
    };
    if status.is_open() {
        next.push(Cancelled);
    }
    next
}

/// The command that moves a task to `status` (the inverse of [`TaskCommand::target`]);
/// none for draft, which no command leads to.
pub fn command_to(status: TaskStatus) -> Option<TaskCommandName> {
    Some(match status {
        TaskStatus::Draft => return None,
        TaskStatus::Ordered => TaskCommandName::Order,
        TaskStatus::Assigned => TaskCommandName::Assign,
        TaskStatus::InProgress => TaskCommandName::Start,
        TaskStatus::Submitted => TaskCommandName::Submit,
        TaskStatus::Accepted => TaskCommandName::Accept,
        TaskStatus::Rejected => TaskCommandName::Reject,
        TaskStatus::Cancelled => TaskCommandName::Cancel,
    })
}

/// Why a command was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a task that is {current} cannot be moved to {wanted}; allowed next: {}", list(allowed))]
    Illegal { current: TaskStatus, wanted: TaskStatus, allowed: Vec<TaskStatus> },
    #[error(transparent)]
    Invalid(#[from] DomainError),
}

fn list(statuses: &[TaskStatus]) -> String {
    if statuses.is_empty() {
        return "none (the task is closed)".into();
    }
    statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
}

/// The task after `command`, or why the command is not allowed now.
pub fn apply(task: &Task, command: &TaskCommand) -> Result<Task, TransitionError> {
    let wanted = command.target();
    let allowed = allowed_next(task.status, task.origin);
    if !allowed.contains(&wanted) {
        return Err(TransitionError::Illegal { current: task.status, wanted, allowed });
    }
    let mut next = task.clone();
    next.status = wanted;
    match command {
        TaskCommand::Order { problem, expected_product, budget_ceiling_vnd, deadline } => {
            next.problem = Some(problem.clone());
            next.expected_product = Some(expected_product.clone());
            next.budget_ceiling_vnd = Some(*budget_ceiling_vnd);
            next.deadline = Some(*deadline);
        }
        TaskCommand::Assign { lead_person_id, on, .. } => {
            next.lead_person_id = Some(*lead_person_id);
            next.assigned_on = Some(*on);
        }
        TaskCommand::Accept { on, .. } => next.accepted_on = Some(*on),
        TaskCommand::Start { on } | TaskCommand::Submit { on } | TaskCommand::Reject { on, .. } => {
            crate::record::not_before(task.assigned_on, "assigned_on", Some(*on), "on")?;
        }
        TaskCommand::Cancel { .. } => {}
    }
    crate::record::Record::check(&next)?;
    Ok(next)
}

impl TaskStatus {
    /// Open states can still change; accepted, rejected and cancelled tasks are closed.
    pub fn is_open(self) -> bool {
        !matches!(self, Self::Accepted | Self::Rejected | Self::Cancelled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::Code;

    fn text(s: &str) -> Text {
        Text::parse(s).unwrap_or_else(|_| unreachable!())
    }

    fn day(d: u32) -> Date {
        Date::saturating(chrono::NaiveDate::from_ymd_opt(2026, 1, d).unwrap_or_default())
    }

    fn task(status: TaskStatus, origin: TaskOrigin) -> Task {
        let assigned = status.is_assigned();
        Task {
            code: text("T-1"),
            title: text("Task"),
            product_code: Code::parse("llm").unwrap_or_else(|_| unreachable!()),
            task_group_code: Code::parse("research-development").unwrap_or_else(|_| unreachable!()),
            origin,
            is_research: true,
            dual_use: false,
            status,
            lead_person_id: None,
            problem: None,
            scope: None,
            responsibility: None,
            starts_on: None,
            ends_on: None,
            deadline: None,
            approving_body: None,
            delegated_authority: None,
            expected_product: None,
            budget_ceiling_vnd: None,
            assigned_on: assigned.then(|| day(1)),
            accepted_on: (status == TaskStatus::Accepted).then(|| day(2)),
        }
    }

    fn commands() -> Vec<TaskCommand> {
        let person = PersonId(uuid::Uuid::nil());
        let organisation = OrganisationId(uuid::Uuid::nil());
        vec![
            TaskCommand::Order {
                problem: text("p"),
                expected_product: text("e"),
                budget_ceiling_vnd: Vnd::ZERO,
                deadline: day(20),
            },
            TaskCommand::Assign { lead_organisation_id: organisation, lead_person_id: person, on: day(3) },
            TaskCommand::Start { on: day(4) },
            TaskCommand::Submit { on: day(5) },
            TaskCommand::Accept { on: day(6), accepting_body: text("Hội đồng") },
            TaskCommand::Reject { on: day(6), accepting_body: text("Hội đồng"), reasons: text("Chưa đạt") },
            TaskCommand::Cancel { on: day(6), reason: text("Hết nhu cầu") },
        ]
    }

    /// Every command from every state and origin: legal exactly where the table says.
    #[test]
    fn every_legal_and_illegal_transition() {
        use TaskStatus::*;
        let legal: &[(TaskStatus, TaskOrigin, TaskStatus)] = &[
            (Draft, TaskOrigin::Ordered, Ordered),
            (Draft, TaskOrigin::Ordered, Cancelled),
            (Draft, TaskOrigin::SelfProposed, Ordered),
            (Draft, TaskOrigin::SelfProposed, Assigned),
            (Draft, TaskOrigin::SelfProposed, Cancelled),
            (Ordered, TaskOrigin::Ordered, Assigned),
            (Ordered, TaskOrigin::Ordered, Cancelled),
            (Assigned, TaskOrigin::Ordered, InProgress),
            (Assigned, TaskOrigin::Ordered, Cancelled),
            (InProgress, TaskOrigin::Ordered, Submitted),
            (InProgress, TaskOrigin::Ordered, Cancelled),
            (Submitted, TaskOrigin::Ordered, Accepted),
            (Submitted, TaskOrigin::Ordered, Rejected),
            (Submitted, TaskOrigin::Ordered, Cancelled),
        ];
        let mut checked = 0;
        for &status in TaskStatus::ALL {
            for origin in [TaskOrigin::Ordered, TaskOrigin::SelfProposed] {
                let before = task(status, origin);
                for command in commands() {
                    let wanted = command.target();
                    let is_legal = legal.iter().any(|&(s, o, t)| {
                        s == status && t == wanted && (o == origin || (s != Draft && o == TaskOrigin::Ordered))
                    });
                    match apply(&before, &command) {
                        Ok(after) => {
                            assert!(is_legal, "{status} → {wanted} ({origin}) should be refused");
                            assert_eq!(after.status, wanted);
                        }
                        Err(TransitionError::Illegal { current, allowed, .. }) => {
                            assert!(!is_legal, "{status} → {wanted} ({origin}) should be allowed");
                            assert_eq!(current, status);
                            assert_eq!(allowed, allowed_next(status, origin));
                        }
                        Err(other) => panic!("{status} → {wanted}: {other}"),
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, TaskStatus::ALL.len() * 2 * 7);
    }

    #[test]
    fn commands_record_what_they_carry() {
        let ordered =
            apply(&task(TaskStatus::Draft, TaskOrigin::Ordered), &commands()[0]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ordered.deadline, Some(day(20)));
        assert_eq!(ordered.problem.as_ref().map(Text::as_str), Some("p"));
        let assigned = apply(&ordered, &commands()[1]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((assigned.assigned_on, assigned.lead_person_id.is_some()), (Some(day(3)), true));
        let closed = task(TaskStatus::Accepted, TaskOrigin::Ordered);
        let message = apply(&closed, &commands()[6]).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("none (the task is closed)"), "{message}");
    }

    #[test]
    fn acceptance_cannot_predate_assignment() {
        let mut submitted = task(TaskStatus::Submitted, TaskOrigin::Ordered);
        submitted.assigned_on = Some(day(10));
        let early = TaskCommand::Accept { on: day(9), accepting_body: text("Hội đồng") };
        assert!(matches!(apply(&submitted, &early), Err(TransitionError::Invalid(_))));
    }
}
