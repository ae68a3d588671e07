//! What every part of the demo writes with: a loader that records through the same
//! use-case as a user and counts, the demo's organisations by role, and dates as text.

use chrono::NaiveDate;
use cncl_domain::{Record, Stored};
use serde_json::Value;
use uuid::Uuid;

use crate::{Actor, App, AppError};

pub(super) struct Loader<'a> {
    pub(super) app: &'a App,
    pub(super) actor: &'a Actor,
    pub(super) records: usize,
}

impl Loader<'_> {
    pub(super) async fn add<T: Record>(&mut self, value: Value) -> Result<Uuid, AppError> {
        let record: T = cncl_domain::parse_value(value)?;
        let Stored { id, .. } = self.app.create(self.actor, record).await?;
        self.records += 1;
        Ok(id.into())
    }
}

/// Organisations of the demo, by role.
pub(super) struct Orgs {
    pub(super) makers: Vec<Uuid>,
    pub(super) institutes: Vec<Uuid>,
    pub(super) suppliers: Vec<Uuid>,
}

/// A date as the demo writes it in records.
pub(super) fn date(y: i32, m: u32, d: u32) -> String {
    NaiveDate::from_ymd_opt(y, m, d).map(|d| d.to_string()).unwrap_or_default()
}
