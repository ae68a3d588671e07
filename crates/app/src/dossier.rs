//! Everything about one task on one page (its dossier), and the office's overview of who
//! runs the programme: what the task and governance pages show, gathered in one use-case
//! each so that the handlers only render.

use cncl_domain::governance::{
    Appointment, Deliverable, Disbursement, ProgressReport, TaskForceDocument, TaskForceMember, TaskMilestone,
    is_overdue,
};
use cncl_domain::ids::TaskId;
use cncl_domain::organisation::{Organisation, Person};
use cncl_domain::task::{BudgetLine, Task, TaskParticipant};
use cncl_domain::{Date, EntityKind, Stored};
use cncl_store::events::{Event, History};
use uuid::Uuid;

use crate::governance::{RankedProposal, Warning};
use crate::lifecycle::SevenClearCheck;
use crate::{Actor, App, AppError};

/// A dated item with whether it is overdue on the dossier's date.
#[derive(Debug, Clone)]
pub struct Due<T: cncl_domain::Record> {
    pub item: Stored<T>,
    pub overdue: bool,
}

#[derive(Debug, Clone)]
pub struct Participation {
    pub participant: Stored<TaskParticipant>,
    pub organisation: Option<Stored<Organisation>>,
}

#[derive(Debug, Clone)]
pub struct FundedLine {
    pub line: Stored<BudgetLine>,
    pub disbursed_vnd: i64,
}

#[derive(Debug, Clone)]
pub struct TaskDossier {
    pub task: Stored<Task>,
    pub lead_person: Option<Stored<Person>>,
    pub checklist: Vec<SevenClearCheck>,
    pub history: Vec<Event>,
    pub milestones: Vec<Due<TaskMilestone>>,
    pub deliverables: Vec<Due<Deliverable>>,
    pub participants: Vec<Participation>,
    pub budget: Vec<FundedLine>,
    pub reports: Vec<Stored<ProgressReport>>,
    pub proposals: Vec<RankedProposal>,
}

#[derive(Debug, Clone)]
pub struct Named<T: cncl_domain::Record> {
    pub record: Stored<T>,
    pub person: Option<Stored<Person>>,
}

#[derive(Debug, Clone)]
pub struct GovernanceOverview {
    pub warnings: Vec<Warning>,
    pub appointments: Vec<Named<Appointment>>,
    pub members: Vec<Named<TaskForceMember>>,
    pub documents: Vec<Stored<TaskForceDocument>>,
}

impl App {
    /// Record `id`, if there is one and `actor` may read it.
    async fn visible<T: cncl_domain::Record>(
        &self,
        actor: &Actor,
        id: Option<T::Id>,
    ) -> Result<Option<Stored<T>>, AppError> {
        let Some(id) = id else { return Ok(None) };
        let reach = crate::records::scope(crate::policy::read(actor, T::KIND)?);
        Ok(self.store.get_within::<T>(id, &reach).await?)
    }

    /// The records of `T` belonging to record `id` of kind `parent` that `actor` may read:
    /// the same scoped query as the API's lists, so a page shows no more than the API would.
    async fn visible_children<T: cncl_domain::Record>(
        &self,
        actor: &Actor,
        parent: EntityKind,
        id: impl Into<Uuid>,
    ) -> Result<Vec<Stored<T>>, AppError> {
        let reach = crate::records::scope(crate::policy::read(actor, T::KIND)?);
        Ok(self.store.children_of::<T>(parent, id, &reach).await?)
    }

    /// One task with everything recorded about it, judged on `as_of`.
    pub async fn task_dossier(&self, actor: &Actor, id: TaskId, as_of: Date) -> Result<TaskDossier, AppError> {
        let task = self.get::<Task>(actor, id).await?;
        let lead_person = self.visible::<Person>(actor, task.record.lead_person_id).await?;
        let milestones = self.visible_children::<TaskMilestone>(actor, EntityKind::Task, id).await?;
        let deliverables = self.visible_children::<Deliverable>(actor, EntityKind::Task, id).await?;
        let mut participants = Vec::new();
        for participant in self.visible_children::<TaskParticipant>(actor, EntityKind::Task, id).await? {
            let organisation = self.visible::<Organisation>(actor, Some(participant.record.organisation_id)).await?;
            participants.push(Participation { participant, organisation });
        }
        let mut budget = Vec::new();
        for line in self.visible_children::<BudgetLine>(actor, EntityKind::Task, id).await? {
            let disbursements = self.visible_children::<Disbursement>(actor, EntityKind::BudgetLine, line.id).await?;
            let disbursed_vnd = disbursements
                .iter()
                .filter(|d| d.record.disbursed_on <= as_of)
                .map(|d| d.record.amount_vnd.get())
                .sum();
            budget.push(FundedLine { line, disbursed_vnd });
        }
        Ok(TaskDossier {
            lead_person,
            checklist: self.seven_clear(actor, id).await?,
            history: self.history(actor, History::Task, id).await?,
            milestones: milestones
                .into_iter()
                .map(|m| Due { overdue: is_overdue(m.record.due_on, m.record.completed_on, as_of), item: m })
                .collect(),
            deliverables: deliverables
                .into_iter()
                .map(|d| Due { overdue: is_overdue(d.record.due_on, d.record.delivered_on, as_of), item: d })
                .collect(),
            participants,
            budget,
            reports: self.visible_children::<ProgressReport>(actor, EntityKind::Task, id).await?,
            proposals: if crate::policy::office(actor, false).is_ok() {
                self.ranking(actor, id).await?
            } else {
                Vec::new()
            },
            task,
        })
    }

    /// The warnings, the people in charge of products and the Task Force, on `as_of`.
    pub async fn governance_overview(&self, actor: &Actor, as_of: Date) -> Result<GovernanceOverview, AppError> {
        crate::policy::office(actor, false)?;
        let mut appointments = Vec::new();
        for record in self.everything::<Appointment>().await? {
            let person = self.visible::<Person>(actor, Some(record.record.person_id)).await?;
            appointments.push(Named { record, person });
        }
        let mut members = Vec::new();
        for record in self.everything::<TaskForceMember>().await? {
            let person = self.visible::<Person>(actor, Some(record.record.person_id)).await?;
            members.push(Named { record, person });
        }
        Ok(GovernanceOverview {
            warnings: self.warnings(actor, as_of).await?,
            appointments,
            members,
            documents: self.everything::<TaskForceDocument>().await?,
        })
    }
}
