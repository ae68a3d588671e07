//! What reporting obligations are derived from (`cncl_eval::obligations`): running tasks and
//! their lead organisations, progress reports with the dates their status changed, launched
//! models, and the day each yearly record was first recorded (its audit entry). Read in a
//! handful of bulk queries, the same SQL on both backends.

use std::collections::HashMap;

use chrono::NaiveDate;
use cncl_domain::governance::ReportStatus;
use cncl_eval::obligation_rules::ModelRecord;
use cncl_eval::obligations::{ModelObligor, ObligationFacts, Recorded, RecordedKind, ReportTrail, TaskObligor};
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::backend::{Store, on_pool};
use crate::error::StoreError;

const TASKS_SQL: &str = "select t.id, t.product_code, t.task_group_code, t.assigned_on, t.accepted_on, \
     (select p.organisation_id from task_participants p where p.task_id = t.id and p.role = 'lead' order by p.id limit 1) \
     from tasks t where t.assigned_on is not null";
/// When a task stopped owing reports otherwise than by acceptance.
const CLOSED_SQL: &str = "select task_id, coalesce(effective_on, substr(recorded_at, 1, 10)) from task_events \
     where to_status in ('rejected', 'cancelled')";
const REPORTS_SQL: &str = "select id, task_id, year, quarter from progress_reports";
const REPORT_STEPS_SQL: &str = "select report_id, to_status, coalesce(effective_on, substr(recorded_at, 1, 10)) \
     from report_events order by recorded_at, id";
const MODELS_SQL: &str =
    "select id, product_code, maker_id, launched_on from product_models where launched_on is not null";

/// The first audit entry of each record of a table, by the subject it belongs to and its
/// year (where it has one).
fn first_recorded_sql(table: &str, subject: &str, year: Option<&str>) -> String {
    let year_select = year.map_or_else(|| "cast(null as bigint)".to_owned(), |y| format!("r.{y}"));
    let year_group = year.map(|y| format!(", r.{y}")).unwrap_or_default();
    format!(
        "select r.{subject}, {year_select}, min(a.at) from {table} r \
         join audit_log a on a.entity = '{table}' and a.entity_id = r.id and a.action = 'insert' \
         where r.{subject} is not null group by r.{subject}{year_group}"
    )
}

/// The yearly records whose first recording meets an obligation.
const RECORDED: [(RecordedKind, &str, &str, Option<&str>); 4] = [
    (RecordedKind::Model(ModelRecord::ModelSales), "model_sales", "model_id", Some("year")),
    (RecordedKind::Model(ModelRecord::CostLine), "cost_lines", "model_id", None),
    (RecordedKind::Model(ModelRecord::BomLine), "bom_lines", "model_id", None),
    (RecordedKind::Training, "training_records", "organisation_id", Some("year")),
];

type TaskRow = (String, String, String, Option<String>, Option<String>, Option<String>);
type RecordedRow = (String, Option<i64>, Option<String>);

fn corrupt(table: &'static str, id: &str, message: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt { table, id: id.to_owned(), message: message.to_string() }
}

fn uuid(raw: &str, table: &'static str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(raw).map_err(|e| corrupt(table, raw, e))
}

fn day(raw: Option<&str>) -> Option<NaiveDate> {
    raw.and_then(|r| NaiveDate::parse_from_str(r.get(..10)?, "%Y-%m-%d").ok())
}

/// The day in Vietnam of an audit entry's moment (RFC 3339, UTC).
fn vietnam_day(at: &str) -> Option<NaiveDate> {
    let instant = chrono::DateTime::parse_from_rfc3339(at).ok()?;
    Some(cncl_domain::Date::in_vietnam(instant.to_utc()).get())
}

impl Store {
    /// Everything reporting obligations are derived from, as recorded now; the evaluator
    /// places each fact on its date.
    pub async fn obligation_facts(&self) -> Result<ObligationFacts, StoreError> {
        let starts_on: Option<String> =
            on_pool!(self, pool => sqlx::query_scalar("select starts_on from programme").fetch_optional(pool).await?);
        Ok(ObligationFacts {
            programme_starts_on: day(starts_on.as_deref()),
            tasks: self.task_obligors().await?,
            reports: self.report_trails().await?,
            models: self.model_obligors().await?,
            recorded: self.first_recordings().await?,
        })
    }

    async fn task_obligors(&self) -> Result<Vec<TaskObligor>, StoreError> {
        let rows: Vec<TaskRow> = on_pool!(self, pool => sqlx::query_as(TASKS_SQL).fetch_all(pool).await?);
        let closed: Vec<(String, String)> = on_pool!(self, pool => sqlx::query_as(CLOSED_SQL).fetch_all(pool).await?);
        let closed: HashMap<String, NaiveDate> =
            closed.into_iter().filter_map(|(task, on)| Some((task, day(Some(&on))?))).collect();
        let mut tasks = Vec::with_capacity(rows.len());
        for (id, product, task_group, assigned_on, accepted_on, lead) in rows {
            let closed_on = day(accepted_on.as_deref()).or_else(|| closed.get(&id).copied());
            tasks.push(TaskObligor {
                id: uuid(&id, "tasks")?,
                product,
                task_group,
                lead_organisation: lead.as_deref().map(|l| uuid(l, "task_participants")).transpose()?,
                assigned_on: day(assigned_on.as_deref()),
                closed_on,
            });
        }
        Ok(tasks)
    }

    async fn report_trails(&self) -> Result<Vec<ReportTrail>, StoreError> {
        let rows: Vec<(String, String, i64, i64)> =
            on_pool!(self, pool => sqlx::query_as(REPORTS_SQL).fetch_all(pool).await?);
        let steps: Vec<(String, String, String)> =
            on_pool!(self, pool => sqlx::query_as(REPORT_STEPS_SQL).fetch_all(pool).await?);
        let mut by_report: HashMap<String, Vec<(NaiveDate, ReportStatus)>> = HashMap::new();
        for (report, status, on) in steps {
            let status = ReportStatus::parse(&status)
                .ok_or_else(|| corrupt("report_events", &report, format!("to_status: {status}")))?;
            if let Some(on) = day(Some(&on)) {
                by_report.entry(report).or_default().push((on, status));
            }
        }
        let mut trails = Vec::with_capacity(rows.len());
        for (id, task, year, quarter) in rows {
            trails.push(ReportTrail {
                id: uuid(&id, "progress_reports")?,
                task: uuid(&task, "progress_reports")?,
                year: i32::try_from(year).map_err(|e| corrupt("progress_reports", &id, format!("year: {e}")))?,
                quarter: u8::try_from(quarter)
                    .map_err(|e| corrupt("progress_reports", &id, format!("quarter: {e}")))?,
                steps: by_report.remove(&id).unwrap_or_default(),
            });
        }
        Ok(trails)
    }

    async fn model_obligors(&self) -> Result<Vec<ModelObligor>, StoreError> {
        let rows: Vec<(String, String, String, Option<String>)> =
            on_pool!(self, pool => sqlx::query_as(MODELS_SQL).fetch_all(pool).await?);
        rows.into_iter()
            .map(|(id, product, maker, launched_on)| {
                Ok(ModelObligor {
                    id: uuid(&id, "product_models")?,
                    product,
                    maker: uuid(&maker, "product_models")?,
                    launched_on: day(launched_on.as_deref()),
                })
            })
            .collect()
    }

    async fn first_recordings(&self) -> Result<Vec<Recorded>, StoreError> {
        let mut recorded = Vec::new();
        for (kind, table, subject, year) in RECORDED {
            let sql = first_recorded_sql(table, subject, year);
            let rows: Vec<RecordedRow> =
                on_pool!(self, pool => sqlx::query_as(AssertSqlSafe(sql.clone())).fetch_all(pool).await?);
            for (subject, year, at) in rows {
                let Some(recorded_on) = at.as_deref().and_then(vietnam_day) else { continue };
                recorded.push(Recorded {
                    kind,
                    subject: uuid(&subject, table)?,
                    year: year.and_then(|y| i32::try_from(y).ok()),
                    recorded_on,
                });
            }
        }
        Ok(recorded)
    }
}

impl Store {
    /// The names obligations are shown by: each task's code, each product model's name and
    /// each organisation's name, by id.
    pub async fn obligation_names(&self) -> Result<HashMap<Uuid, String>, StoreError> {
        let mut names = HashMap::new();
        for (sql, table) in [
            ("select id, code from tasks where assigned_on is not null", "tasks"),
            ("select id, name from product_models", "product_models"),
            ("select id, name from organisations", "organisations"),
        ] {
            let rows: Vec<(String, String)> = on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await?);
            for (id, name) in rows {
                names.insert(uuid(&id, table)?, name);
            }
        }
        Ok(names)
    }
}
