//! Criteria sets as data: every version ever loaded, kept as the TOML it came from, and the
//! setting naming the one the programme evaluates against. Each version and each change of
//! the setting is an audit entry; a version, once loaded, never changes.

use cncl_eval::criteria::{CriteriaSet, SetRef, parse_criteria_set};
use serde_json::{Value, json};

use crate::audit::LatestDigests;
use crate::backend::{Store, Tx, on_pool, on_tx};
use crate::error::StoreError;

/// The audit log's name for the versions' table and the settings' table.
pub const VERSIONS_ENTITY: &str = "criteria_set_versions";
pub const SETTINGS_ENTITY: &str = "settings";
/// The setting that names the programme's criteria set, as `ID@VERSION`.
pub const CURRENT_SET: &str = "current_criteria_set";

/// One loaded version, as listed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct CriteriaSetVersion {
    pub id: String,
    pub version: String,
    pub name_vi: String,
    pub name_en: String,
    /// RFC 3339, UTC.
    pub loaded_at: String,
    pub loaded_by: String,
    /// The programme evaluates against this version.
    pub current: bool,
}

/// What adding a version did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// Stored as a new version.
    New,
    /// A version with this id and the same content was already there: nothing changed.
    AlreadyThere,
}

type VersionRow = (String, String, String, String, String);

fn corrupt(id: &str, message: String) -> StoreError {
    StoreError::Corrupt { table: VERSIONS_ENTITY, id: id.to_owned(), message }
}

fn parse_stored(set: &SetRef, body: &str) -> Result<CriteriaSet, StoreError> {
    let name = set.to_string();
    parse_criteria_set(&name, body).map_err(|e| corrupt(&name, e.to_string()))
}

fn version_json(set: &SetRef, body: &str, loaded_at: &str, loaded_by: &str) -> Value {
    json!({"set_id": set.id, "version": set.version, "body": body, "loaded_at": loaded_at, "loaded_by": loaded_by})
}

fn setting_json(key: &str, value: &str) -> Value {
    json!({"key": key, "value": value})
}

impl Tx {
    /// Add `set` (parsed from `body`) as a new version. A version with the same id and
    /// version is refused with `Conflict` unless its content is the same (the parsed set:
    /// comments and layout do not count), in which case nothing changes.
    pub async fn add_criteria_set(&mut self, set: &CriteriaSet, body: &str) -> Result<Added, StoreError> {
        let reference = set.reference();
        let sql = "select body from criteria_set_versions where set_id = $1 and version = $2";
        let stored: Option<String> = on_tx!(self, conn => {
            sqlx::query_scalar(sql).bind(reference.id.clone()).bind(reference.version.clone()).fetch_optional(conn).await?
        });
        if let Some(stored) = stored {
            return if parse_stored(&reference, &stored)? == *set {
                Ok(Added::AlreadyThere)
            } else {
                Err(StoreError::Conflict(format!(
                    "criteria set {reference} is already loaded with different content; load it as a new version"
                )))
            };
        }
        let writer = self.writer()?;
        let loaded_at = writer.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let sql = "insert into criteria_set_versions (set_id, version, body, loaded_at, loaded_by) values ($1, $2, $3, $4, $5)";
        on_tx!(self, conn => {
            sqlx::query(sql)
                .bind(reference.id.clone())
                .bind(reference.version.clone())
                .bind(body.to_owned())
                .bind(loaded_at.clone())
                .bind(writer.actor.clone())
                .execute(conn)
                .await?;
        });
        let after = version_json(&reference, body, &loaded_at, &writer.actor);
        let change = self.change("load", VERSIONS_ENTITY, &reference.to_string(), None, Some(after))?;
        self.append_audit(vec![change]).await?;
        Ok(Added::New)
    }

    /// Make `set` (which must be loaded) the programme's criteria set. Returns whether the
    /// setting changed; a change is an audit entry naming the old and the new version.
    pub async fn set_current_criteria_set(&mut self, set: &SetRef) -> Result<bool, StoreError> {
        let exists = "select count(*) from criteria_set_versions where set_id = $1 and version = $2";
        let count: i64 = on_tx!(self, conn => {
            sqlx::query_scalar(exists).bind(set.id.clone()).bind(set.version.clone()).fetch_one(conn).await?
        });
        if count == 0 {
            return Err(StoreError::MissingReference(format!("criteria set {set} is not loaded")));
        }
        let value = set.to_string();
        let before = self.current_criteria_set().await?;
        if before.as_ref() == Some(set) {
            return Ok(false);
        }
        let upsert =
            "insert into settings (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value";
        on_tx!(self, conn => {
            sqlx::query(upsert).bind(CURRENT_SET).bind(value.clone()).execute(conn).await?;
        });
        let before = before.map(|b| setting_json(CURRENT_SET, &b.to_string()));
        let change =
            self.change("update", SETTINGS_ENTITY, CURRENT_SET, before, Some(setting_json(CURRENT_SET, &value)))?;
        self.append_audit(vec![change]).await?;
        Ok(true)
    }
}

fn parse_setting(value: Option<String>) -> Result<Option<SetRef>, StoreError> {
    let corrupt =
        |message: &str| StoreError::Corrupt { table: "settings", id: CURRENT_SET.into(), message: message.into() };
    value.map(|v| v.parse().map_err(corrupt)).transpose()
}

const CURRENT_SQL: &str = "select value from settings where key = $1";

impl Tx {
    /// The version the programme evaluates against; `None` before any is loaded.
    pub async fn current_criteria_set(&mut self) -> Result<Option<SetRef>, StoreError> {
        let value: Option<String> =
            on_tx!(self, conn => sqlx::query_scalar(CURRENT_SQL).bind(CURRENT_SET).fetch_optional(conn).await?);
        parse_setting(value)
    }
}

impl Store {
    /// One version of one set; `None` when it is not loaded.
    pub async fn criteria_set_version(&self, set: &SetRef) -> Result<Option<CriteriaSet>, StoreError> {
        let body = self.criteria_set_body(set).await?;
        body.map(|body| parse_stored(set, &body)).transpose()
    }

    /// The TOML one version was loaded from; `None` when it is not loaded.
    pub async fn criteria_set_body(&self, set: &SetRef) -> Result<Option<String>, StoreError> {
        let sql = "select body from criteria_set_versions where set_id = $1 and version = $2";
        let body: Option<String> = on_pool!(self, pool => {
            sqlx::query_scalar(sql).bind(set.id.clone()).bind(set.version.clone()).fetch_optional(pool).await?
        });
        Ok(body)
    }

    /// The version the programme evaluates against; `None` before any is loaded.
    pub async fn current_criteria_set(&self) -> Result<Option<SetRef>, StoreError> {
        let value: Option<String> =
            on_pool!(self, pool => sqlx::query_scalar(CURRENT_SQL).bind(CURRENT_SET).fetch_optional(pool).await?);
        parse_setting(value)
    }

    /// Every loaded version, by set and then by the order they were loaded in.
    pub async fn criteria_set_versions(&self) -> Result<Vec<CriteriaSetVersion>, StoreError> {
        let current = self.current_criteria_set().await?;
        let sql = "select set_id, version, body, loaded_at, loaded_by from criteria_set_versions order by set_id, loaded_at, version";
        let rows: Vec<VersionRow> = on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await?);
        rows.into_iter()
            .map(|(id, version, body, loaded_at, loaded_by)| {
                let reference = SetRef { id, version };
                let set = parse_stored(&reference, &body)?;
                Ok(CriteriaSetVersion {
                    current: current.as_ref() == Some(&reference),
                    id: reference.id,
                    version: reference.version,
                    name_vi: set.name_vi,
                    name_en: set.name_en,
                    loaded_at,
                    loaded_by,
                })
            })
            .collect()
    }

    /// The versions and settings as the audit log should have them: compared by `verify`.
    pub(crate) async fn compare_criteria_sets(
        &self,
        latest: &mut LatestDigests,
        findings: &mut Vec<crate::audit::Finding>,
    ) -> Result<(), StoreError> {
        let sql = "select set_id, version, body, loaded_at, loaded_by from criteria_set_versions";
        let rows: Vec<VersionRow> = on_pool!(self, pool => sqlx::query_as(sql).fetch_all(pool).await?);
        let versions = rows.into_iter().map(|(id, version, body, loaded_at, loaded_by)| {
            let reference = SetRef { id, version };
            (VERSIONS_ENTITY, reference.to_string(), version_json(&reference, &body, &loaded_at, &loaded_by))
        });
        let settings: Vec<(String, String)> =
            on_pool!(self, pool => sqlx::query_as("select key, value from settings").fetch_all(pool).await?);
        let settings =
            settings.into_iter().map(|(key, value)| (SETTINGS_ENTITY, key.clone(), setting_json(&key, &value)));
        for (entity, id, json) in versions.chain(settings).collect::<Vec<_>>() {
            let problem = match latest.matches(entity, &id, &json) {
                None => Some("not in the audit log: written outside cncl"),
                Some(false) => Some("differs from the audit log's last entry about it"),
                Some(true) => None,
            };
            if let Some(problem) = problem {
                findings.push(crate::audit::Finding {
                    seq: None,
                    entity: entity.to_owned(),
                    id,
                    problem: problem.into(),
                });
            }
        }
        Ok(())
    }
}
