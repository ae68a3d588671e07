//! Published reports as use-cases: the office publishes; anyone lists, downloads and checks
//! them; and the facts a report was computed from are rebuilt from the audit log into a
//! scratch database (`as_recorded`), however they were corrected since.

use cncl_eval::criteria::SetRef;
use cncl_store::audit::replay::{ReplayError, Replayed};
use cncl_store::published::{NewPublication, PublishedReport};

use crate::error::AppError;
use crate::policy::{self, Actor};
use crate::{App, StartError};

/// Why the facts at a recorded entry of the audit log could not be rebuilt.
#[derive(Debug, thiserror::Error)]
pub enum AsRecordedError {
    /// The log itself does not allow it: broken, shorter, or another history.
    #[error(transparent)]
    Replay(ReplayError),
    /// The criteria set the report names is not loaded here.
    #[error("criteria set {0} is not loaded")]
    NoCriteriaSet(String),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<ReplayError> for AsRecordedError {
    fn from(error: ReplayError) -> Self {
        match error {
            ReplayError::Store(e) => AsRecordedError::App(e.into()),
            other => AsRecordedError::Replay(other),
        }
    }
}

impl From<cncl_store::StoreError> for AsRecordedError {
    fn from(error: cncl_store::StoreError) -> Self {
        AsRecordedError::App(error.into())
    }
}

impl From<StartError> for AsRecordedError {
    fn from(error: StartError) -> Self {
        AsRecordedError::App(AppError::internal(&format!("opening the scratch database: {error}")))
    }
}

impl App {
    /// Publish a report: its files and what they were computed from, as one audit entry.
    /// The office only.
    pub async fn publish_report(&self, actor: &Actor, report: NewPublication) -> Result<PublishedReport, AppError> {
        policy::office(actor, true)?;
        let mut tx = self.store.begin(self.writer(actor)).await?;
        let published = tx.publish_report(report).await?;
        tx.commit().await?;
        Ok(published)
    }

    /// Every published report: public, as the reports themselves are.
    pub async fn published_reports(&self) -> Result<Vec<PublishedReport>, AppError> {
        Ok(self.store.published_reports().await?)
    }

    pub async fn published_report(&self, id: &str) -> Result<PublishedReport, AppError> {
        self.store
            .published_report(id)
            .await?
            .ok_or_else(|| AppError::NotFound { noun: "published report", id: id.to_owned() })
    }

    /// A published file's bytes.
    pub async fn published_file(&self, id: &str, format: &str) -> Result<Vec<u8>, AppError> {
        self.store
            .published_file(id, format)
            .await?
            .ok_or_else(|| AppError::NotFound { noun: "published file", id: format!("{id}.{format}") })
    }

    /// The published report one of whose files has this SHA-256, with that file's format.
    pub async fn published_report_with_file(
        &self,
        sha256: &str,
    ) -> Result<Option<(PublishedReport, String)>, AppError> {
        Ok(self.store.published_report_with_file(sha256).await?)
    }

    /// This programme's facts as they stood at entry `seq` of the audit log (whose hash must
    /// be `hash`), evaluated against criteria set `set`: a new application over a scratch
    /// SQLite database at `scratch` (a path in a directory the caller removes afterwards).
    pub async fn as_recorded(
        &self,
        seq: i64,
        hash: &str,
        set: &SetRef,
        scratch: &std::path::Path,
    ) -> Result<(App, Replayed), AsRecordedError> {
        let body =
            self.store.criteria_set_body(set).await?.ok_or_else(|| AsRecordedError::NoCriteriaSet(set.to_string()))?;
        let store = cncl_store::Store::connect_scratch(scratch).await?;
        store.migrate().await?;
        let replica = App {
            store,
            clock: self.clock.clone(),
            auth: self.auth.clone(),
            scorecards: Default::default(),
            previews: Default::default(),
        };
        let system = Actor::system("replay");
        cncl_store::reference::load_shipped(&replica.store, replica.writer(&system)).await.map_err(StartError::from)?;
        let parsed = self.criteria_set(Some(set)).await?;
        let mut tx = replica.store.begin(replica.writer(&system)).await?;
        tx.add_criteria_set(&parsed, &body).await?;
        tx.set_current_criteria_set(set).await?;
        tx.commit().await?;
        let replayed = self.store.replay_into(seq, hash, &replica.store).await?;
        Ok((replica, replayed))
    }
}
