//! Moving tasks and progress reports through their lifecycles. Every change is a command,
//! checked against the domain's rules (and, for assignment, the 7 clear), applied and
//! recorded with who, when and why in one transaction.

use chrono::Utc;
use cncl_domain::governance::{ProgressReport, ReportCommand, ReportCommandName};
use cncl_domain::ids::{ProgressReportId, TaskId};
use cncl_domain::lifecycle::{self, TaskCommand, TaskCommandName, TransitionError};
use cncl_domain::seven_clear::{ClearElement, RelatedRecords};
use cncl_domain::task::{ParticipantRole, Task, TaskParticipant};
use cncl_domain::{DomainError, EntityKind, Lang, Stored, msg};
use cncl_store::events::{Event, History};
use cncl_store::{Scope, Tx};
use serde::Serialize;
use uuid::Uuid;

use crate::policy::{self, Actor, Reach};
use crate::{App, AppError};

/// Each of the 7 clear and whether it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SevenClearCheck {
    pub element: ClearElement,
    pub clear: bool,
}

/// Statuses by their Vietnamese labels, or `none` when there are none.
fn labels_vi(statuses: &[cncl_domain::task::TaskStatus], none: &str) -> String {
    if statuses.is_empty() {
        return none.to_owned();
    }
    statuses.iter().map(|s| s.label(Lang::Vi)).collect::<Vec<_>>().join(", ")
}

fn not_found(noun: &'static str, id: impl std::fmt::Display) -> AppError {
    AppError::NotFound { noun, id: id.to_string() }
}

fn event(
    command: &str,
    from: &str,
    to: &str,
    actor: &str,
    effective_on: Option<cncl_domain::Date>,
    details: serde_json::Value,
    at: chrono::DateTime<Utc>,
) -> Event {
    Event {
        id: Uuid::now_v7(),
        command: command.to_owned(),
        from_status: from.to_owned(),
        to_status: to.to_owned(),
        actor: actor.to_owned(),
        recorded_at: at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        effective_on: effective_on.map(|d| d.to_string()),
        details,
    }
}

/// What the task's related records contribute to its 7 clear.
async fn related_records(tx: &mut Tx, task: TaskId) -> Result<RelatedRecords, AppError> {
    let has =
        async |tx: &mut Tx, kind: EntityKind| tx.count_referring(kind, EntityKind::Task, task).await.map(|n| n > 0);
    Ok(RelatedRecords {
        lead_organisation: lead_organisation(tx, task).await?.is_some(),
        milestones: has(tx, EntityKind::TaskMilestone).await?,
        deliverables: has(tx, EntityKind::Deliverable).await?,
        budget: has(tx, EntityKind::BudgetLine).await?,
    })
}

/// The organisation leading the task, if one does.
async fn lead_organisation(tx: &mut Tx, task: TaskId) -> Result<Option<Uuid>, AppError> {
    let participants = tx.children_of::<TaskParticipant>(EntityKind::Task, task, &Scope::All).await?;
    Ok(participants.iter().find(|p| p.record.role == ParticipantRole::Lead).map(|p| p.record.organisation_id.as_uuid()))
}

/// Make `organisation` the task's only lead, adding it as a participant if it is not one.
async fn make_lead(tx: &mut Tx, task: TaskId, organisation: Uuid) -> Result<(), AppError> {
    let participants = tx.children_of::<TaskParticipant>(EntityKind::Task, task, &Scope::All).await?;
    let mut found = false;
    for Stored { id, mut record } in participants {
        let is_chosen = record.organisation_id.as_uuid() == organisation;
        found |= is_chosen;
        let role = if is_chosen {
            ParticipantRole::Lead
        } else if record.role == ParticipantRole::Lead {
            ParticipantRole::Participant
        } else {
            record.role
        };
        if role != record.role {
            record.role = role;
            tx.update(id, &record).await?;
        }
    }
    if !found {
        let lead = TaskParticipant { task_id: task, organisation_id: organisation.into(), role: ParticipantRole::Lead };
        tx.insert(Uuid::now_v7().into(), &lead).await?;
    }
    Ok(())
}

/// The task must exist within the command's reach: for a reporter, its organisation must lead
/// the task; for a chief engineer, the task must be of one of its products.
async fn within_task_reach(tx: &mut Tx, actor: &Actor, id: TaskId, reach: Reach) -> Result<(), AppError> {
    let readable = crate::records::scope(policy::read(actor, EntityKind::Task)?);
    if !tx.in_scope::<Task>(id, &readable).await? {
        return Err(not_found("task", id));
    }
    let allowed = match &reach {
        Reach::All => true,
        Reach::Organisation(org) => lead_organisation(tx, id).await? == Some(*org),
        Reach::Products(_) => tx.in_scope::<Task>(id, &crate::records::scope(reach.clone())).await?,
    };
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden(msg(
            "nhiệm vụ này nằm ngoài phạm vi tài khoản được thay đổi",
            "this task is outside what this account may change",
        )))
    }
}

impl App {
    /// Apply a lifecycle command to a task and record it.
    pub async fn task_command(
        &self,
        actor: &Actor,
        id: TaskId,
        command: TaskCommand,
    ) -> Result<Stored<Task>, AppError> {
        let reach = policy::task_command(actor, &command)?;
        let mut tx = self.store.begin(self.writer(actor)).await?;
        within_task_reach(&mut tx, actor, id, reach).await?;
        let task = apply_task_command(&mut tx, id, &command, serde_json::Value::Null).await?;
        tx.commit().await?;
        Ok(task)
    }
}

impl App {
    /// The commands `actor` may give task `id` now: allowed from its state, and within the
    /// actor's role and reach. Pages offer these and no others.
    pub async fn task_commands_for(&self, actor: &Actor, id: TaskId) -> Result<Vec<TaskCommandName>, AppError> {
        if actor.is_anonymous() {
            return Ok(Vec::new());
        }
        let mut tx = self.store.begin_read().await?;
        let task = tx.get::<Task>(id).await?.ok_or_else(|| not_found("task", id))?.record;
        let mut commands = Vec::new();
        for name in lifecycle::allowed_next(task.status, task.origin).into_iter().filter_map(lifecycle::command_to) {
            if let Ok(reach) = policy::task_command_named(actor, name)
                && within_task_reach(&mut tx, actor, id, reach).await.is_ok()
            {
                commands.push(name);
            }
        }
        Ok(commands)
    }

    /// The commands `actor` may give progress report `id` now.
    pub async fn report_commands_for(
        &self,
        actor: &Actor,
        id: ProgressReportId,
    ) -> Result<Vec<ReportCommandName>, AppError> {
        if actor.is_anonymous() {
            return Ok(Vec::new());
        }
        let mut tx = self.store.begin_read().await?;
        let report = tx.get::<ProgressReport>(id).await?.ok_or_else(|| not_found("progress report", id))?.record;
        let mut commands = Vec::new();
        for &name in report.commands() {
            if let Ok(reach) = policy::report_command_named(actor, name)
                && tx.in_scope::<ProgressReport>(id, &crate::records::scope(reach)).await?
            {
                commands.push(name);
            }
        }
        Ok(commands)
    }
}

/// Apply a lifecycle command inside `tx` and record it; `context` adds to the recorded
/// details (the proposal that was selected, say).
pub(crate) async fn apply_task_command(
    tx: &mut Tx,
    id: TaskId,
    command: &TaskCommand,
    context: serde_json::Value,
) -> Result<Stored<Task>, AppError> {
    let task = tx.get::<Task>(id).await?.ok_or_else(|| not_found("task", id))?.record;
    let next = lifecycle::apply(&task, command).map_err(|e| match &e {
        TransitionError::Illegal { current, wanted, allowed } => AppError::IllegalTransition {
            current: current.to_string(),
            allowed: allowed.iter().map(ToString::to_string).collect(),
            message: msg(
                format!(
                    "nhiệm vụ ở trạng thái {} không thể chuyển sang {}; được chuyển tiếp sang: {}",
                    current.label(Lang::Vi),
                    wanted.label(Lang::Vi),
                    labels_vi(allowed, "không (nhiệm vụ đã kết thúc)")
                ),
                e.to_string(),
            ),
        },
        TransitionError::Invalid(invalid) => AppError::Invalid(invalid.clone()),
    })?;
    if let TaskCommand::Assign { lead_organisation_id, lead_person_id, .. } = command {
        for (kind, value, field) in [
            (EntityKind::Organisation, lead_organisation_id.as_uuid(), "lead_organisation_id"),
            (EntityKind::Person, lead_person_id.as_uuid(), "lead_person_id"),
        ] {
            if !tx.exists(kind, value).await? {
                return Err(DomainError::new(
                    field,
                    msg(format!("không có bản ghi {value}"), format!("no record {value}")),
                )
                .into());
            }
        }
        make_lead(tx, id, lead_organisation_id.as_uuid()).await?;
        let missing = next.seven_clear_facts(related_records(tx, id).await?).missing();
        if !missing.is_empty() {
            return Err(AppError::NotClear(missing));
        }
    }
    tx.update(id, &next).await?;
    let mut details = crate::error::to_json(command)?;
    if let (Some(object), false) = (details.as_object_mut(), context.is_null()) {
        object.insert("context".into(), context);
    }
    let actor = tx.actor()?;
    let recorded = event(
        command.name().as_str(),
        task.status.as_str(),
        next.status.as_str(),
        &actor,
        command.effective_on(),
        details,
        tx.written_at()?,
    );
    tx.append_event(History::Task, id, &recorded).await?;
    Ok(Stored { id, record: next })
}

impl App {
    /// The task's 7 clear, each with whether it holds now.
    pub async fn seven_clear(&self, actor: &Actor, id: TaskId) -> Result<Vec<SevenClearCheck>, AppError> {
        let task = self.get::<Task>(actor, id).await?.record;
        let mut tx = self.store.begin_read().await?;
        let missing = task.seven_clear_facts(related_records(&mut tx, id).await?).missing();
        tx.commit().await?;
        Ok(ClearElement::ALL.iter().map(|e| SevenClearCheck { element: *e, clear: !missing.contains(e) }).collect())
    }

    /// The recorded history of a task or a progress report the actor may read.
    pub async fn history(&self, actor: &Actor, history: History, id: impl Into<Uuid>) -> Result<Vec<Event>, AppError> {
        let id: Uuid = id.into();
        match history {
            History::Task => self.get::<Task>(actor, id.into()).await.map(|_| ())?,
            History::Report => self.get::<ProgressReport>(actor, id.into()).await.map(|_| ())?,
        }
        Ok(self.store.events(history, id).await?)
    }

    /// Submit, approve or return a progress report, and record it.
    pub async fn report_command(
        &self,
        actor: &Actor,
        id: ProgressReportId,
        command: ReportCommand,
    ) -> Result<Stored<ProgressReport>, AppError> {
        let reach = crate::records::scope(policy::report_command(actor, &command)?);
        let mut tx = self.store.begin(self.writer(actor)).await?;
        if !tx.in_scope::<ProgressReport>(id, &reach).await? {
            return Err(not_found("progress report", id));
        }
        let report = tx.get::<ProgressReport>(id).await?.ok_or_else(|| not_found("progress report", id))?.record;
        let next = report.apply(&command).map_err(|allowed| {
            let allowed: Vec<String> = allowed.iter().map(ToString::to_string).collect();
            AppError::IllegalTransition {
                current: report.status.to_string(),
                message: msg(
                    format!(
                        "báo cáo ở trạng thái {} không nhận lệnh {}; được làm tiếp: {}",
                        report.status.label(Lang::Vi),
                        command.name().as_str(),
                        if allowed.is_empty() { "không".to_owned() } else { allowed.join(", ") }
                    ),
                    format!(
                        "a report that is {} cannot take the command {}; allowed next: {}",
                        report.status,
                        command.name().as_str(),
                        if allowed.is_empty() { "none".to_owned() } else { allowed.join(", ") }
                    ),
                ),
                allowed,
            }
        })?;
        cncl_domain::Record::check(&next)?;
        tx.update(id, &next).await?;
        let on = match &command {
            ReportCommand::Submit { on }
            | ReportCommand::Approve { on }
            | ReportCommand::Return { on, .. }
            | ReportCommand::Reopen { on, .. } => *on,
        };
        let details = crate::error::to_json(&command)?;
        let recorded = event(
            command.name().as_str(),
            report.status.as_str(),
            next.status.as_str(),
            &actor.name,
            Some(on),
            details,
            tx.written_at()?,
        );
        tx.append_event(History::Report, id, &recorded).await?;
        tx.commit().await?;
        Ok(Stored { id, record: next })
    }

    /// The task with this office reference (its unique code), if the actor may read it.
    pub async fn task_by_code(&self, actor: &Actor, code: &str) -> Result<Stored<Task>, AppError> {
        let not_found = || AppError::NotFound { noun: "task", id: code.to_owned() };
        let task = self.store.task_by_code(code).await?.ok_or_else(not_found)?;
        self.get::<Task>(actor, task.id).await.map_err(|_| not_found())
    }
}
