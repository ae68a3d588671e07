//! The tasks as a quarter's report presents them: how many stand in each status on a date,
//! per product; how many of those assigned have all 7 clear; which products have their
//! chief engineer and chief architect in office; and what is overdue. Read in a handful of
//! bulk queries, because the programme runs tens of thousands of tasks.

use std::collections::{HashMap, HashSet};

use cncl_domain::governance::{Appointment, ChargeRole};
use cncl_domain::seven_clear::RelatedRecords;
use cncl_domain::task::{Task, TaskStatus};
use cncl_domain::{Date, EntityKind, Stored};
use cncl_store::events::{DueItem, Event, History};
use uuid::Uuid;

use crate::App;
use crate::error::AppError;
use crate::policy::{self, Actor};

/// Tasks in each status, in the lifecycle's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusCounts {
    /// A product's code; `None` for the whole programme.
    pub product: Option<String>,
    pub counts: Vec<(TaskStatus, usize)>,
    pub total: usize,
}

impl StatusCounts {
    fn new(product: Option<String>) -> StatusCounts {
        StatusCounts { product, counts: TaskStatus::ALL.iter().map(|s| (*s, 0)).collect(), total: 0 }
    }

    fn add(&mut self, status: TaskStatus) {
        if let Some(entry) = self.counts.iter_mut().find(|(s, _)| *s == status) {
            entry.1 += 1;
        }
        self.total += 1;
    }
}

/// Who is in charge of a product on the date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductCharge {
    pub product: String,
    pub chief_engineer: bool,
    pub chief_architect: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskOverview {
    pub as_of: Date,
    /// Per product, in the reference data's order.
    pub by_product: Vec<StatusCounts>,
    pub programme: StatusCounts,
    /// Tasks assigned or further on the date…
    pub assigned: usize,
    /// …and how many of them have all 7 clear.
    pub seven_clear: usize,
    pub charges: Vec<ProductCharge>,
    pub overdue_milestones: Vec<DueItem>,
    pub overdue_deliverables: Vec<DueItem>,
}

/// A task's status on `as_of`: the last transition that had taken effect by then, else the
/// status it left first; a task with no recorded transition is in the status it has.
fn status_on(task: &Task, history: Option<&Vec<Event>>, as_of: Date) -> TaskStatus {
    let Some(history) = history.filter(|h| !h.is_empty()) else { return task.status };
    let took_effect = |event: &Event| {
        let day = event.effective_on.as_deref().unwrap_or_else(|| event.recorded_at.get(..10).unwrap_or_default());
        Date::parse(day).is_ok_and(|day| day <= as_of)
    };
    let status = match history.iter().rev().find(|e| took_effect(e)) {
        Some(last) => &last.to_status,
        None => &history[0].from_status,
    };
    TaskStatus::parse(status).unwrap_or(task.status)
}

impl App {
    /// The tasks on `as_of`, for the office's report.
    pub async fn task_overview(&self, actor: &Actor, as_of: Date) -> Result<TaskOverview, AppError> {
        policy::office(actor, false)?;
        let tasks: Vec<Stored<Task>> = self.everything().await?;
        let mut histories: HashMap<Uuid, Vec<Event>> = HashMap::new();
        for (task, event) in self.store.all_events(History::Task).await? {
            histories.entry(task).or_default().push(event);
        }
        let related = self.related_everywhere().await?;
        let products = self.products().await?;
        let mut by_product: Vec<StatusCounts> =
            products.iter().map(|p| StatusCounts::new(Some(p.code.to_string()))).collect();
        let mut programme = StatusCounts::new(None);
        let (mut assigned, mut seven_clear) = (0, 0);
        for task in &tasks {
            let id = task.id.as_uuid();
            let status = status_on(&task.record, histories.get(&id), as_of);
            programme.add(status);
            if let Some(counts) =
                by_product.iter_mut().find(|c| c.product.as_deref() == Some(task.record.product_code.as_str()))
            {
                counts.add(status);
            }
            if status.is_assigned() {
                assigned += 1;
                let facts = task.record.seven_clear_facts(related.of(id));
                seven_clear += usize::from(facts.missing().is_empty());
            }
        }
        let appointments: Vec<Stored<Appointment>> = self.everything().await?;
        let in_office = |product: &str, role: ChargeRole| {
            appointments
                .iter()
                .any(|a| a.record.product_code.as_str() == product && a.record.role == role && a.record.holds_on(as_of))
        };
        let charges = products
            .iter()
            .map(|p| ProductCharge {
                product: p.code.to_string(),
                chief_engineer: in_office(p.code.as_str(), ChargeRole::ChiefEngineer),
                chief_architect: in_office(p.code.as_str(), ChargeRole::ChiefArchitect),
            })
            .collect();
        let (overdue_milestones, overdue_deliverables) = self.overdue(actor, as_of).await?;
        Ok(TaskOverview {
            as_of,
            by_product,
            programme,
            assigned,
            seven_clear,
            charges,
            overdue_milestones,
            overdue_deliverables,
        })
    }

    /// For every task, which of the related records its 7 clear need it has.
    async fn related_everywhere(&self) -> Result<RelatedEverywhere, AppError> {
        let mut tx = self.store.begin_read().await?;
        let task = EntityKind::Task;
        let related = RelatedEverywhere {
            lead: tx.referred_ids(EntityKind::TaskParticipant, task, Some(("role", "lead"))).await?,
            milestones: tx.referred_ids(EntityKind::TaskMilestone, task, None).await?,
            deliverables: tx.referred_ids(EntityKind::Deliverable, task, None).await?,
            budget: tx.referred_ids(EntityKind::BudgetLine, task, None).await?,
        };
        tx.commit().await?;
        Ok(related)
    }
}

struct RelatedEverywhere {
    lead: HashSet<Uuid>,
    milestones: HashSet<Uuid>,
    deliverables: HashSet<Uuid>,
    budget: HashSet<Uuid>,
}

impl RelatedEverywhere {
    fn of(&self, task: Uuid) -> RelatedRecords {
        RelatedRecords {
            lead_organisation: self.lead.contains(&task),
            milestones: self.milestones.contains(&task),
            deliverables: self.deliverables.contains(&task),
            budget: self.budget.contains(&task),
        }
    }
}
