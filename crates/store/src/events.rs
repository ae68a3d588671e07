//! The record of every state change of a task or a progress report: who, when, on which
//! date it took effect, and with what details. Appended in the same transaction as the
//! change itself.

use serde::Serialize;
use sqlx::AssertSqlSafe;
use uuid::Uuid;

use crate::backend::{Store, Tx, bind_all, on_pool, on_tx};
use crate::error::StoreError;
use crate::sql::Bind;

/// Which history a change belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum History {
    Task,
    Report,
}

impl History {
    /// The table the history is kept in.
    pub fn table(self) -> &'static str {
        self.table_and_key().0
    }

    fn table_and_key(self) -> (&'static str, &'static str) {
        match self {
            History::Task => ("task_events", "task_id"),
            History::Report => ("report_events", "report_id"),
        }
    }
}

/// One recorded change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Event {
    pub id: Uuid,
    pub command: String,
    pub from_status: String,
    pub to_status: String,
    pub actor: String,
    /// When it was recorded (RFC 3339, UTC).
    pub recorded_at: String,
    /// The date it took effect, when the command carries one.
    pub effective_on: Option<String>,
    /// The command's own fields (reasons, accepting body, …).
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

type EventRow = (String, String, String, String, String, String, Option<String>, String);

impl Tx {
    /// Append `event` to the history of record `subject`.
    pub async fn append_event(
        &mut self,
        history: History,
        subject: impl Into<Uuid>,
        event: &Event,
    ) -> Result<(), StoreError> {
        let subject: Uuid = subject.into();
        self.insert_event_row(history, subject, event).await?;
        let table = history.table();
        let change = self.change("insert", table, &event.id.to_string(), None, Some(event_json(subject, event)?))?;
        self.append_audit(vec![change]).await
    }

    /// Write an event's row, without its audit entry (`append_event` adds it; a replay
    /// writes what the log already holds).
    pub(crate) async fn insert_event_row(
        &mut self,
        history: History,
        subject: Uuid,
        event: &Event,
    ) -> Result<(), StoreError> {
        let (table, key) = history.table_and_key();
        let sql = format!(
            "insert into {table} (id, {key}, command, from_status, to_status, actor, recorded_at, effective_on, details) \
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        );
        let text = |v: &str| Bind::Text(Some(v.to_owned()));
        let binds = [
            text(&event.id.to_string()),
            text(&subject.to_string()),
            text(&event.command),
            text(&event.from_status),
            text(&event.to_status),
            text(&event.actor),
            text(&event.recorded_at),
            Bind::Text(event.effective_on.clone()),
            text(&event.details.to_string()),
        ];
        on_tx!(self, conn => {
            bind_all!(sqlx::query(AssertSqlSafe(sql.clone())), &binds).execute(conn).await?;
        });
        Ok(())
    }
}

impl Store {
    /// Every event of a history with its subject: what the audit check compares.
    pub async fn all_events(&self, history: History) -> Result<Vec<(Uuid, Event)>, StoreError> {
        let (table, key) = history.table_and_key();
        let sql = format!("select distinct {key} from {table}");
        let subjects: Vec<String> =
            on_pool!(self, pool => sqlx::query_scalar(AssertSqlSafe(sql.clone())).fetch_all(pool).await?);
        let mut all = Vec::new();
        for subject in subjects {
            let subject = Uuid::parse_str(&subject).map_err(|e| StoreError::Corrupt {
                table,
                id: subject.clone(),
                message: e.to_string(),
            })?;
            all.extend(self.events(history, subject).await?.into_iter().map(|e| (subject, e)));
        }
        Ok(all)
    }

    /// The history of record `subject`, oldest first.
    pub async fn events(&self, history: History, subject: impl Into<Uuid>) -> Result<Vec<Event>, StoreError> {
        let subject: Uuid = subject.into();
        let (table, key) = history.table_and_key();
        let sql = format!(
            "select id, command, from_status, to_status, actor, recorded_at, effective_on, details \
             from {table} where {key} = $1 order by recorded_at, id"
        );
        let rows: Vec<EventRow> = on_pool!(self, pool => {
            sqlx::query_as(AssertSqlSafe(sql.clone())).bind(subject.to_string()).fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(id, command, from_status, to_status, actor, recorded_at, effective_on, details)| {
                let corrupt = |message: String| StoreError::Corrupt { table, id: id.clone(), message };
                Ok(Event {
                    id: Uuid::parse_str(&id).map_err(|e| corrupt(e.to_string()))?,
                    command,
                    from_status,
                    to_status,
                    actor,
                    recorded_at,
                    effective_on,
                    details: serde_json::from_str(&details).map_err(|e| corrupt(e.to_string()))?,
                })
            })
            .collect()
    }
}

/// Something due (a milestone or a deliverable) with its task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    pub id: Uuid,
    pub task_id: Uuid,
    pub task_code: String,
    pub task_status: String,
    pub name: String,
    pub due_on: cncl_domain::Date,
    pub done_on: Option<cncl_domain::Date>,
}

/// Which kind of due item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    Milestone,
    Deliverable,
}

type DueRow = (String, String, String, String, String, String, Option<String>);

impl Store {
    /// Milestones or deliverables due before `before`, with their task's code and status:
    /// the candidates for being overdue (the domain's `is_overdue` decides).
    pub async fn due_before(&self, due: Due, before: cncl_domain::Date) -> Result<Vec<DueItem>, StoreError> {
        let (table, done) = match due {
            Due::Milestone => ("task_milestones", "completed_on"),
            Due::Deliverable => ("deliverables", "delivered_on"),
        };
        let sql = format!(
            "select d.id, d.task_id, t.code, t.status, d.name, d.due_on, d.{done} from {table} d \
             join tasks t on t.id = d.task_id where d.due_on < $1 order by d.due_on, t.code"
        );
        let rows: Vec<DueRow> = on_pool!(self, pool => {
            sqlx::query_as(AssertSqlSafe(sql.clone())).bind(before.to_string()).fetch_all(pool).await?
        });
        rows.into_iter()
            .map(|(id, task_id, task_code, task_status, name, due_on, done_on)| {
                let corrupt = |message: String| StoreError::Corrupt { table, id: id.clone(), message };
                let date = |text: &str| cncl_domain::Date::parse(text).map_err(|e| corrupt(e.to_string()));
                Ok(DueItem {
                    id: Uuid::parse_str(&id).map_err(|e| corrupt(e.to_string()))?,
                    task_id: Uuid::parse_str(&task_id).map_err(|e| corrupt(e.to_string()))?,
                    task_code,
                    task_status,
                    name,
                    due_on: date(&due_on)?,
                    done_on: done_on.as_deref().map(date).transpose()?,
                })
            })
            .collect()
    }
}

/// The canonical form of an event, as the audit log holds it.
pub fn event_json(subject: Uuid, event: &Event) -> Result<serde_json::Value, StoreError> {
    let mut value = crate::error::to_json(event)?;
    if let Some(object) = value.as_object_mut() {
        object.insert("subject".into(), serde_json::Value::String(subject.to_string()));
    }
    Ok(value)
}
