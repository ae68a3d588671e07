//! Criteria sets as data: the office loads a version from a file, chooses the one the
//! programme evaluates against, and compares two on the same date. Every version and every
//! choice is in the audit log.

use cncl_domain::msg;
use cncl_eval::comparison::{Comparison, compare};
use cncl_eval::criteria::{CriteriaSet, SetRef, parse_criteria_set};
use cncl_store::StoreError;
use cncl_store::criteria_sets::{Added, CriteriaSetVersion};

use crate::{Actor, App, AppError, policy};

/// Largest criteria file accepted: the shipped one is 15 kB.
pub const MAX_CRITERIA_FILE_BYTES: usize = 256 * 1024;

/// What loading a file did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct LoadedCriteriaSet {
    pub set: SetRef,
    /// False when the same version with the same content was already loaded.
    pub added: bool,
}

fn not_loaded(set: &SetRef) -> AppError {
    AppError::NotFound { noun: "criteria set", id: set.to_string() }
}

impl App {
    /// The version the programme evaluates against.
    pub async fn current_criteria_set(&self) -> Result<SetRef, AppError> {
        self.store
            .current_criteria_set()
            .await?
            .ok_or(AppError::NotFound { noun: "criteria set", id: "current".into() })
    }

    /// The version named, or the programme's current one.
    pub async fn criteria_set(&self, set: Option<&SetRef>) -> Result<CriteriaSet, AppError> {
        let set = match set {
            Some(set) => set.clone(),
            None => self.current_criteria_set().await?,
        };
        self.store.criteria_set_version(&set).await?.ok_or_else(|| not_loaded(&set))
    }

    /// Every loaded version, the current one marked. The criteria are public, as the
    /// scorecard is.
    pub async fn criteria_set_versions(&self) -> Result<Vec<CriteriaSetVersion>, AppError> {
        Ok(self.store.criteria_set_versions().await?)
    }

    /// Check the criteria file `text` (named `file` in errors) and store it as a new version
    /// (the office only). The same version with the same content changes nothing; with
    /// other content it is refused.
    pub async fn load_criteria_set(
        &self,
        actor: &Actor,
        file: &str,
        text: &str,
    ) -> Result<LoadedCriteriaSet, AppError> {
        policy::office(actor, true)?;
        if text.len() > MAX_CRITERIA_FILE_BYTES {
            return Err(AppError::bad_request(
                "file",
                msg(
                    format!("{file} lớn hơn {MAX_CRITERIA_FILE_BYTES} byte"),
                    format!("{file} is larger than {MAX_CRITERIA_FILE_BYTES} bytes"),
                ),
            ));
        }
        let set = parse_criteria_set(file, text).map_err(|e| {
            AppError::Invalid(cncl_domain::DomainError::new(
                e.key.clone(),
                msg(
                    format!("{}, dòng {}: {}", e.file, e.line, e.message),
                    format!("{}:{}: {}", e.file, e.line, e.message),
                ),
            ))
        })?;
        let mut tx = self.store.begin(self.writer(actor)).await?;
        let added = tx.add_criteria_set(&set, text).await.map_err(|e| match e {
            StoreError::Conflict(message) => AppError::Conflict {
                field: Some("set.version".into()),
                message: msg(format!("phiên bản bộ tiêu chí đã có: {message}"), message),
            },
            other => other.into(),
        })?;
        tx.commit().await?;
        Ok(LoadedCriteriaSet { set: set.reference(), added: added == Added::New })
    }

    /// Make `set` the programme's criteria set (the office only); audited. Returns whether
    /// anything changed.
    pub async fn use_criteria_set(&self, actor: &Actor, set: &SetRef) -> Result<bool, AppError> {
        policy::office(actor, true)?;
        let mut tx = self.store.begin(self.writer(actor)).await?;
        let changed = tx.set_current_criteria_set(set).await.map_err(|e| match e {
            StoreError::MissingReference(_) => not_loaded(set),
            other => other.into(),
        })?;
        tx.commit().await?;
        Ok(changed)
    }

    /// Two sets' scorecards on the same date, criterion by criterion, as `actor` may see
    /// them.
    pub async fn compare_criteria_sets(
        &self,
        actor: &Actor,
        as_of: cncl_domain::Date,
        left: &SetRef,
        right: &SetRef,
    ) -> Result<Comparison, AppError> {
        let left = self.scorecard(actor, as_of, None, Some(left)).await?;
        let right = self.scorecard(actor, as_of, None, Some(right)).await?;
        Ok(compare(&left, &right))
    }
}
