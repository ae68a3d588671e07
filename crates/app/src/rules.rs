//! Rules of particular kinds of record that need the stored state or other records: a
//! task's or a report's status changes only through its commands; an approved quarter's
//! records stay as approved (`period_lock`); disbursements stay within their budget line;
//! proposals answer an ordered task; an organisation's province is one of the list.

use std::any::Any;

use cncl_domain::governance::{Disbursement, ProgressReport, Proposal};
use cncl_domain::task::{BudgetLine, Task, TaskStatus};
use cncl_domain::{DomainError, Lang, Message, Record, msg};
use cncl_store::Tx;
use serde_json::Value;
use uuid::Uuid;

use crate::AppError;

/// Check `record` (new, or replacing `stored` under its id) against the rules of its kind.
pub async fn check<T: Record>(tx: &mut Tx, record: &T, stored: Option<(Uuid, &T)>) -> Result<(), AppError> {
    command_fields(record, stored.map(|(_, s)| s))?;
    crate::period_lock::check(tx, record, stored.map(|(_, s)| s)).await?;
    let record: &dyn Any = record;
    let stored = stored.map(|(id, s)| (id, s as &dyn Any));
    if let (Some(ProgressReport { .. }), Some(before)) =
        (record.downcast_ref::<ProgressReport>(), stored.and_then(|(_, s)| s.downcast_ref::<ProgressReport>()))
        && !before.editable()
    {
        return Err(status_conflict(
            "status",
            msg(
                "báo cáo đã nộp hoặc đã duyệt chỉ sửa được sau khi Văn phòng trả lại",
                "a submitted or approved report can be corrected only after the office returns it",
            ),
        ));
    }
    if let Some(disbursement) = record.downcast_ref::<Disbursement>() {
        return disbursement_rules(tx, disbursement, stored.map(|(id, _)| id)).await;
    }
    if let Some(organisation) = record.downcast_ref::<cncl_domain::organisation::Organisation>() {
        cncl_domain::provinces::check(organisation.province.as_str())?;
    }
    if let (Some(proposal), None) = (record.downcast_ref::<Proposal>(), stored) {
        return proposal_answers_an_order(tx, proposal).await;
    }
    Ok(())
}

fn status_conflict(field: &str, message: Message) -> AppError {
    AppError::Conflict { field: Some(field.to_owned()), message }
}

/// The fields only the kind's commands change (`Record::COMMAND_FIELDS`): a new record holds
/// their initial values (422 naming the first that differs), and a correction leaves them as
/// they were (409).
fn command_fields<T: Record>(record: &T, stored: Option<&T>) -> Result<(), AppError> {
    if T::COMMAND_FIELDS.is_empty() {
        return Ok(());
    }
    let fields = crate::error::to_json(record)?;
    let noun = T::KIND.noun();
    match stored {
        None => {
            for (field, initial) in T::COMMAND_FIELDS {
                let expected = initial.map_or(Value::Null, |v| Value::String(v.to_owned()));
                if fields.get(*field).unwrap_or(&Value::Null) != &expected {
                    let starts = initial.map_or_else(|| "empty".to_owned(), |v| format!("{v:?}"));
                    return Err(DomainError::new(
                        *field,
                        msg(
                            format!(
                                "{} mới bắt đầu với {field} {starts}; trường này chỉ đổi qua các lệnh xử lý",
                                T::KIND.noun_in(Lang::Vi)
                            ),
                            format!(
                                "a new {noun} starts with {field} {starts}; it changes through the {noun}'s commands"
                            ),
                        ),
                    )
                    .into());
                }
            }
        }
        Some(before) => {
            let before = crate::error::to_json(before)?;
            if let Some((field, _)) =
                T::COMMAND_FIELDS.iter().find(|(field, _)| fields.get(*field) != before.get(*field))
            {
                return Err(status_conflict(
                    field,
                    msg(
                        format!("trường {field} của {} chỉ đổi qua các lệnh xử lý", T::KIND.noun_in(Lang::Vi)),
                        format!("a {noun}'s {field} changes only through its commands"),
                    ),
                ));
            }
        }
    }
    Ok(())
}

async fn disbursement_rules(tx: &mut Tx, disbursement: &Disbursement, id: Option<Uuid>) -> Result<(), AppError> {
    let line_id = disbursement.budget_line_id;
    let Some(line) = tx.get::<BudgetLine>(line_id).await? else { return Ok(()) };
    let already = tx.disbursed_on_line(line_id, id).await?;
    let planned = line.record.amount_vnd.get();
    if i128::from(already) + i128::from(disbursement.amount_vnd.get()) > i128::from(planned) {
        return Err(DomainError::new(
            "amount_vnd",
            msg(
                format!("sẽ làm tổng giải ngân vượt {planned} đồng của dòng kinh phí (đã giải ngân {already})"),
                format!(
                    "would take the disbursements past the budget line's {planned} đồng ({already} already disbursed)"
                ),
            ),
        )
        .into());
    }
    Ok(())
}

/// A proposal answers a task the state has ordered (seed 003).
async fn proposal_answers_an_order(tx: &mut Tx, proposal: &Proposal) -> Result<(), AppError> {
    let Some(task) = tx.get::<Task>(proposal.task_id).await? else { return Ok(()) };
    if task.record.status != TaskStatus::Ordered {
        // The task's status is not named: the proposer may not read the task.
        return Err(status_conflict(
            "task_id",
            msg(
                "hồ sơ đề xuất chỉ nộp cho nhiệm vụ Nhà nước đặt hàng; nhiệm vụ này không nhận đề xuất",
                "proposals answer a task the state has ordered; this task is not open for proposals",
            ),
        ));
    }
    Ok(())
}
