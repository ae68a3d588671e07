//! Published reports as use-cases: the office publishes; anyone lists, downloads and checks
//! them; and the facts a report was computed from are rebuilt from the audit log into a
//! scratch database (`as_recorded`), however they were corrected since.

use cncl_domain::{Lang, Message};
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

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The file is the published report, and the audit log still gives exactly it.
    Identical,
    /// The file, or the history behind it, is not what was published.
    Altered,
    /// The file is not one of cncl's published reports, or it cannot be checked.
    Unknown,
}

impl Verdict {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Verdict::Identical => lang.pick("Trùng khớp", "Identical"),
            Verdict::Altered => lang.pick("Đã bị sửa đổi", "Altered"),
            Verdict::Unknown => lang.pick("Không xác định", "Unknown"),
        }
    }
}

/// One place where the file and the report as rebuilt differ: a workbook cell with both
/// values, or a PDF page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Difference {
    pub place: Place,
    /// What the published report holds there.
    pub published: Option<String>,
    /// What the file holds there.
    pub this_copy: Option<String>,
}

/// Where in a file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// A cell, named as Excel names it (`D5`).
    Cell { sheet: String, cell: String },
    /// A sheet one of the workbooks lacks.
    Sheet { sheet: String },
    /// A page, from 1.
    Page { page: usize },
    /// The whole file: it could not be read.
    File,
}

impl Place {
    pub fn label(&self, lang: Lang) -> String {
        match self {
            Place::Cell { sheet, cell } => format!("{} “{sheet}” {cell}", lang.pick("trang tính", "sheet")),
            Place::Sheet { sheet } => format!("{} “{sheet}”", lang.pick("trang tính", "sheet")),
            Place::Page { page } => format!("{} {page}", lang.pick("trang", "page")),
            Place::File => lang.pick("cả tệp", "the whole file").to_owned(),
        }
    }
}

/// What the check found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Verification {
    pub verdict: Verdict,
    /// The published report the file is, or claims to be.
    pub report: Option<PublishedReport>,
    /// The file's SHA-256.
    pub sha256: String,
    /// Why, in both languages.
    pub reason: Message,
    pub differences: Vec<Difference>,
    /// Records replayed from the audit log, and those erased since.
    pub replayed_records: Option<u64>,
    pub erased_since: Option<u64>,
}

impl Verification {
    /// The answer for a file that cannot be checked, and why.
    pub fn unknown(sha256: String, reason: Message) -> Verification {
        Verification {
            verdict: Verdict::Unknown,
            report: None,
            sha256,
            reason,
            differences: Vec::new(),
            replayed_records: None,
            erased_since: None,
        }
    }
}

/// The format under which a published report keeps its figures as data: every criterion's
/// figure as the report computed it, so that the figures published stay what anyone is shown
/// as published, whatever is recorded later, without rebuilding them from the audit log.
pub const FIGURES_FORMAT: &str = "json";

/// A published report's figures: what it was computed from, and each figure.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PublishedFigures {
    pub as_of: chrono::NaiveDate,
    /// `ID@VERSION`.
    pub criteria_set: String,
    pub audit_seq: i64,
    pub figures: Vec<PublishedFigure>,
}

/// One criterion's figure for one product, or for the programme.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PublishedFigure {
    /// A product's code, or `programme` (`cncl_eval::comparison::PROGRAMME_SCOPE`).
    pub scope: String,
    pub criterion: String,
    /// The exact figure: numerator / denominator (a count has denominator 1).
    pub numerator: i128,
    pub denominator: i128,
    /// A share in [0, 1] or a count; none for no data.
    pub value: Option<f64>,
    /// For a percentage, the value in per cent rounded to one decimal.
    pub percent: Option<f64>,
    pub status: cncl_eval::status::Status,
}

impl PublishedFigures {
    /// The figures of `scorecard`, products first, then the programme.
    pub fn of(scorecard: &cncl_eval::Scorecard) -> PublishedFigures {
        let figure = |scope: &str, r: &cncl_eval::scorecard::CriterionResult| PublishedFigure {
            scope: scope.to_owned(),
            criterion: r.criterion.clone(),
            numerator: r.numerator,
            denominator: r.denominator,
            value: r.value,
            percent: r.percent,
            status: r.status,
        };
        let products = scorecard.products.iter().flat_map(|p| p.results.iter().map(|r| figure(&p.product, r)));
        let programme = scorecard.programme.iter().map(|r| figure(cncl_eval::comparison::PROGRAMME_SCOPE, r));
        PublishedFigures {
            as_of: scorecard.as_of,
            criteria_set: SetRef { id: scorecard.criteria_set.clone(), version: scorecard.criteria_version.clone() }
                .to_string(),
            audit_seq: scorecard.audit_seq,
            figures: products.chain(programme).collect(),
        }
    }

    /// The figure of `criterion` for `scope`.
    pub fn figure(&self, scope: &str, criterion: &str) -> Option<&PublishedFigure> {
        self.figures.iter().find(|f| f.scope == scope && f.criterion == criterion)
    }
}

/// What a future of a report's work returns.
pub type ReportFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<T, AppError>> + Send + 'a>>;

/// What to publish: a quarter (`2026Q4`), a language, and cncl's public address, which the
/// pages print.
#[derive(Debug, Clone)]
pub struct PublishAsked {
    pub quarter: String,
    pub lang: Lang,
    pub base_url: String,
}

/// Laying reports out and checking copies. The layout engine (typst, some two hundred
/// crates) lives in `cncl-report`, which the web crate does not build; the binary hands an
/// implementation to the surfaces that need one.
pub trait ReportMaker: Send + Sync + std::fmt::Debug {
    /// Build and publish a quarter's report (the office only).
    fn publish<'a>(&'a self, app: &'a App, actor: &'a Actor, asked: PublishAsked) -> ReportFuture<'a, PublishedReport>;
    /// Check a file against the published reports and the audit log.
    fn verify<'a>(&'a self, app: &'a App, bytes: &'a [u8]) -> ReportFuture<'a, Verification>;
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

    /// The figures of the latest published report that keeps them, with the report: what
    /// anyone is shown as the programme's published figures.
    pub async fn published_figures(&self) -> Result<Option<(PublishedReport, PublishedFigures)>, AppError> {
        // Newest first: the latest as-of date, then the latest publication.
        for report in self.store.published_reports().await? {
            if !report.files.iter().any(|f| f.format == FIGURES_FORMAT) {
                continue;
            }
            let bytes = self.published_file(&report.id, FIGURES_FORMAT).await?;
            let figures = serde_json::from_slice(&bytes).map_err(|e| {
                AppError::internal(&format!("published report {} keeps unreadable figures: {e}", report.id))
            })?;
            return Ok(Some((report, figures)));
        }
        Ok(None)
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
            evaluating: Default::default(),
            evaluation_wait: self.evaluation_wait,
            previews: Default::default(),
            replayed: Default::default(),
            obligation_facts: Default::default(),
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
