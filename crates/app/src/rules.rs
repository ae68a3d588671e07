//! Rules of particular kinds of record that need the stored state or other records: a
//! task's or a report's status changes only through its commands; disbursements stay within
//! their budget line; proposals answer an ordered task.

use std::any::Any;

use cncl_domain::governance::{Disbursement, ProgressReport, Proposal, ProposalStatus, ReportStatus};
use cncl_domain::task::{BudgetLine, Task, TaskStatus};
use cncl_domain::{DomainError, Record};
use cncl_store::Tx;
use uuid::Uuid;

use crate::AppError;

/// Check `record` (new, or replacing `stored` under its id) against the rules of its kind.
pub async fn check<T: Record>(tx: &mut Tx, record: &T, stored: Option<(Uuid, &T)>) -> Result<(), AppError> {
    let record: &dyn Any = record;
    let stored = stored.map(|(id, s)| (id, s as &dyn Any));
    if let Some(task) = record.downcast_ref::<Task>() {
        return task_rules(task, stored.and_then(|(_, s)| s.downcast_ref::<Task>()));
    }
    if let Some(report) = record.downcast_ref::<ProgressReport>() {
        return report_rules(report, stored.and_then(|(_, s)| s.downcast_ref::<ProgressReport>()));
    }
    if let Some(disbursement) = record.downcast_ref::<Disbursement>() {
        return disbursement_rules(tx, disbursement, stored.map(|(id, _)| id)).await;
    }
    if let Some(proposal) = record.downcast_ref::<Proposal>() {
        return proposal_rules(tx, proposal, stored.and_then(|(_, s)| s.downcast_ref::<Proposal>())).await;
    }
    Ok(())
}

fn status_conflict(field: &str, message: &str) -> AppError {
    AppError::Conflict { field: Some(field.to_owned()), message: message.to_owned() }
}

fn task_rules(task: &Task, stored: Option<&Task>) -> Result<(), AppError> {
    match stored {
        None if task.status != TaskStatus::Draft || task.assigned_on.is_some() || task.accepted_on.is_some() => {
            Err(DomainError::new(
                "status",
                "a new task starts as a draft; its status changes through the lifecycle commands",
            )
            .into())
        }
        Some(before)
            if (before.status, before.assigned_on, before.accepted_on)
                != (task.status, task.assigned_on, task.accepted_on) =>
        {
            Err(status_conflict("status", "the status and its dates change only through the lifecycle commands"))
        }
        _ => Ok(()),
    }
}

fn report_rules(report: &ProgressReport, stored: Option<&ProgressReport>) -> Result<(), AppError> {
    match stored {
        None if report.status != ReportStatus::Draft
            || report.submitted_on.is_some()
            || report.reviewed_on.is_some() =>
        {
            Err(DomainError::new("status", "a new report starts as a draft; submit it with the submit command").into())
        }
        Some(before) if !before.editable() => Err(status_conflict(
            "status",
            "a submitted or approved report can be corrected only after the office returns it",
        )),
        Some(before)
            if (before.status, before.submitted_on, before.reviewed_on, &before.return_reason)
                != (report.status, report.submitted_on, report.reviewed_on, &report.return_reason) =>
        {
            Err(status_conflict("status", "the status and its dates change only through the report's commands"))
        }
        _ => Ok(()),
    }
}

async fn disbursement_rules(tx: &mut Tx, disbursement: &Disbursement, id: Option<Uuid>) -> Result<(), AppError> {
    let line_id = disbursement.budget_line_id.as_uuid();
    let Some(line) = tx.get::<BudgetLine>(line_id).await? else { return Ok(()) };
    let already = tx.sum_where("disbursements", "amount_vnd", "budget_line_id", &line_id.to_string(), id).await?;
    let planned = line.record.amount_vnd.get();
    if i128::from(already) + i128::from(disbursement.amount_vnd.get()) > i128::from(planned) {
        return Err(DomainError::new(
            "amount_vnd",
            format!("would take the disbursements past the budget line's {planned} đồng ({already} already disbursed)"),
        )
        .into());
    }
    Ok(())
}

async fn proposal_rules(tx: &mut Tx, proposal: &Proposal, stored: Option<&Proposal>) -> Result<(), AppError> {
    match stored {
        None => {
            if proposal.status != ProposalStatus::Submitted {
                return Err(DomainError::new(
                    "status",
                    "a new proposal is submitted; it is selected through the select command",
                )
                .into());
            }
            let Some(task) = tx.get::<Task>(proposal.task_id.as_uuid()).await? else { return Ok(()) };
            if task.record.status != TaskStatus::Ordered {
                return Err(status_conflict(
                    "task_id",
                    // The task's status is not named: the proposer may not read the task.
                    "proposals answer a task the state has ordered; this task is not open for proposals",
                ));
            }
            Ok(())
        }
        Some(before) if before.status != proposal.status => {
            Err(status_conflict("status", "a proposal's status changes only through the select command"))
        }
        Some(_) => Ok(()),
    }
}
