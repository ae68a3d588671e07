//! Approval locks the period (`cncl_domain::period_lock`): a change to a record that touches
//! a quarter whose progress report the office has approved is refused (409), naming the
//! report. Every write path (forms, the API, `cncl record`, import) passes here through
//! `rules::check`.

use cncl_domain::governance::{ProgressReport, ReportStatus};
use cncl_domain::ids::{BudgetLineId, TaskId};
use cncl_domain::period_lock::{TaskLink, Touched, lock_rule, touched};
use cncl_domain::task::{BudgetLine, Task};
use cncl_domain::{EntityKind, Lang, Record, Stored, msg};
use cncl_store::{Scope, Tx};
use uuid::Uuid;

use crate::AppError;

/// Refuse the change from `stored` to `record` when it touches an approved quarter.
pub(crate) async fn check<T: Record>(tx: &mut Tx, record: &T, stored: Option<&T>) -> Result<(), AppError> {
    let Some(rule) = lock_rule(T::KIND) else { return Ok(()) };
    let after = crate::error::to_json(record)?;
    let before = stored.map(crate::error::to_json).transpose()?;
    for quarter in touched(rule, before.as_ref().and_then(|b| b.as_object()), after.as_object()) {
        let Ok(link) = Uuid::parse_str(&quarter.link) else { continue };
        let task = match rule.task {
            TaskLink::Task(_) => TaskId::from(link),
            TaskLink::BudgetLine(_) => match tx.get::<BudgetLine>(BudgetLineId::from(link)).await? {
                Some(line) => line.record.task_id,
                None => continue,
            },
        };
        if let Some(report) = approved_report(tx, task, &quarter).await? {
            let code = tx.get::<Task>(task).await?.map(|t| t.record.code.to_string()).unwrap_or_default();
            return Err(locked::<T>(&quarter, &code, &report));
        }
    }
    Ok(())
}

/// The task's approved progress report for the quarter, if there is one.
async fn approved_report(
    tx: &mut Tx,
    task: TaskId,
    quarter: &Touched,
) -> Result<Option<Stored<ProgressReport>>, AppError> {
    let reports: Vec<Stored<ProgressReport>> = tx.children_of(EntityKind::Task, task, &Scope::All).await?;
    Ok(reports.into_iter().find(|r| {
        r.record.status == ReportStatus::Approved
            && r.record.year.get() == quarter.year
            && r.record.quarter.get() == quarter.quarter
    }))
}

fn locked<T: Record>(quarter: &Touched, code: &str, report: &Stored<ProgressReport>) -> AppError {
    let (q, y, id) = (quarter.quarter, quarter.year, report.id);
    let approved = report.record.reviewed_on.map(|d| (d.to_string(), cncl_domain::format::format_date(d, Lang::Vi)));
    let (on_en, on_vi) =
        approved.map_or((String::new(), String::new()), |(en, vi)| (format!(" on {en}"), format!(" ngày {vi}")));
    AppError::Conflict {
        field: Some(quarter.field.to_owned()),
        message: msg(
            format!(
                "quý {q}/{y} của nhiệm vụ {code} đã được duyệt{on_vi} (báo cáo tiến độ {id}): {} thuộc kỳ này không sửa được; Văn phòng Chương trình mở lại kỳ, ghi rõ lý do, trước khi sửa",
                T::KIND.noun_in(Lang::Vi)
            ),
            format!(
                "{y}Q{q} of task {code} was approved{on_en} (progress report {id}): a {} of that quarter cannot change until the programme office reopens the period, with a reason",
                T::KIND.noun()
            ),
        ),
    }
}
