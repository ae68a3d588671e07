//! The quarterly programme report (Decision 2815/QĐ-TTg), laid out as Decree 30/2020/NĐ-CP
//! (Appendix I) lays out an administrative document, rendered to PDF by typst used as a
//! library with its fonts embedded. It presents what `app` computed and computes no figure
//! of its own; the same inputs give the same bytes (no clock, no machine's fonts).
//!
//! - `input`: what a report is made from (its quarter, figures, tasks, assessments) and
//!   where it is published;
//! - `content`: the report's words and tables, from a scorecard and its criteria set;
//! - `tasks`: the section on tasks and the appendix of evidence;
//! - `chart`: a product's trend as SVG;
//! - `world`: typst's view of the template, the content and the fonts, all in memory;
//! - `workbook`: the same tables as an `.xlsx` workbook;
//! - `verify`: whether a file is a published report, rebuilt from the audit log.

mod chart;
mod content;
mod input;
mod tasks;
mod verify;
mod workbook;
mod world;

pub use cncl_app::publication::{Difference, Place, Verdict, Verification};
pub use input::{Publication, Quarter, ReportInput};
pub use verify::verify;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// What was asked for is malformed: a quarter, a format.
    #[error("{0}")]
    Asked(String),
    /// Writes kept moving the audit log's head while the figures were computed.
    #[error("the data kept changing while the report was computed; try again")]
    Busy,
    /// The figures could not be had.
    #[error(transparent)]
    App(#[from] cncl_app::AppError),
    /// The template failed to lay the content out: a defect of cncl, with typst's words.
    #[error("the report could not be laid out: {0}")]
    Layout(String),
}

/// Computations of the figures before a stream of writes is given up on.
const HEAD_ATTEMPTS: usize = 3;

/// The files a report is made as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Pdf,
    Xlsx,
}

impl std::str::FromStr for ReportFormat {
    type Err = ReportError;
    fn from_str(text: &str) -> Result<Self, ReportError> {
        match text {
            "pdf" => Ok(ReportFormat::Pdf),
            "xlsx" => Ok(ReportFormat::Xlsx),
            other => Err(ReportError::Asked(format!("the format must be pdf or xlsx, not {other:?}"))),
        }
    }
}

/// What a report is built for: its quarter, language, file and the day it is issued (the
/// quarter's last day when not given, so that the same data gives the same file).
#[derive(Debug, Clone, Copy)]
pub struct ReportRequest {
    pub quarter: Quarter,
    pub lang: cncl_domain::Lang,
    pub format: ReportFormat,
    pub issued_on: Option<cncl_domain::Date>,
}

/// What a quarter's report is made from, as `app` computed it: the scorecard as of the
/// quarter's last day against the criteria set in force, the funding and the warnings, and
/// the audit log's head they were computed at.
#[derive(Debug, Clone)]
pub struct ReportData {
    pub quarter: Quarter,
    pub as_of: cncl_domain::Date,
    pub scorecard: std::sync::Arc<cncl_eval::Scorecard>,
    pub funding: cncl_eval::funding::FundingSummary,
    pub warnings: Vec<cncl_app::governance::Warning>,
    pub tasks: cncl_app::task_overview::TaskOverview,
    /// The products' assessments of the quarter.
    pub commentaries: Vec<cncl_domain::governance::Commentary>,
    pub set: cncl_eval::CriteriaSet,
    pub products: Vec<cncl_domain::reference::Product>,
    pub audit_head: (i64, String),
}

impl ReportData {
    /// The figures and the head they rest on, read with no write between: a write during
    /// the computation moves the head, and the figures are computed again.
    pub async fn gather(app: &cncl_app::App, actor: &cncl_app::Actor, quarter: Quarter) -> Result<Self, ReportError> {
        let as_of = quarter.last_day()?;
        let set = app.criteria_set(None).await?;
        let reference = set.reference();
        let products = app.products().await?;
        let mut audit_head = app.audit_head().await?;
        for _ in 0..HEAD_ATTEMPTS {
            let scorecard = app.scorecard(actor, as_of, None, Some(&reference)).await?;
            let funding = app.funding(actor, as_of).await?;
            let warnings = app.warnings(actor, as_of).await?;
            let tasks = app.task_overview(actor, as_of).await?;
            let commentaries = app.commentaries(actor, quarter.year, quarter.quarter).await?;
            let commentaries = commentaries.into_iter().map(|c| c.record).collect();
            let after = app.audit_head().await?;
            if after != audit_head {
                audit_head = after;
                continue;
            }
            return Ok(ReportData {
                quarter,
                as_of,
                scorecard,
                funding,
                warnings,
                tasks,
                commentaries,
                set,
                products,
                audit_head,
            });
        }
        Err(ReportError::Busy)
    }

    /// The report in `lang`, issued on `issued_on` (the quarter's last day when not given).
    pub fn input(&self, lang: cncl_domain::Lang, issued_on: Option<cncl_domain::Date>) -> ReportInput<'_> {
        ReportInput {
            lang,
            quarter: self.quarter,
            as_of: self.as_of,
            issued_on: issued_on.unwrap_or(self.as_of),
            scorecard: &self.scorecard,
            funding: &self.funding,
            warnings: &self.warnings,
            tasks: &self.tasks,
            commentaries: &self.commentaries,
            set: &self.set,
            products: &self.products,
            audit_head: &self.audit_head,
            publication: None,
        }
    }
}

impl<'a> ReportInput<'a> {
    /// The report as published under `publication`, which its pages name.
    pub fn published(self, publication: &'a Publication) -> ReportInput<'a> {
        ReportInput { publication: Some(publication), ..self }
    }
}

/// What publishing a quarter's report is asked for: its quarter, language, issue date,
/// cncl's public address, which the pages print, and the office's certificate to sign the
/// PDF with, if it has one.
#[derive(Debug, Clone)]
pub struct PublishRequest {
    pub quarter: Quarter,
    pub lang: cncl_domain::Lang,
    pub issued_on: Option<cncl_domain::Date>,
    pub base_url: String,
    pub signing: Option<Signing>,
}

/// A PKCS#12 keystore (certificate and private key) and its password, as Vietnam's CAs issue
/// them; the published PDF then carries a PAdES B-B signature with the signing time.
#[derive(Clone)]
pub struct Signing {
    pub keystore: Vec<u8>,
    pub password: String,
}

/// Never the password, nor the key.
impl std::fmt::Debug for Signing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signing").field("keystore", &format!("{} bytes", self.keystore.len())).finish_non_exhaustive()
    }
}

/// The PDF signed as PAdES B-B: an incremental update after the report's own bytes, so the
/// report as rendered stays a prefix of the file and verification can still rebuild it.
fn signed(pdf: Vec<u8>, signing: &Signing, lang: cncl_domain::Lang) -> Result<Vec<u8>, ReportError> {
    let options = pdf_signer::SignOptions {
        reason: Some(
            lang.pick("Văn phòng Chương trình công bố báo cáo", "Published by the Programme Office").to_owned(),
        ),
        location: Some("Hà Nội".to_owned()),
        ..pdf_signer::SignOptions::default()
    };
    pdf_signer::sign_pdf_bytes(&pdf, &signing.keystore, &signing.password, &options)
        .map_err(|e| ReportError::Asked(format!("the PDF could not be signed with the certificate given: {e}")))
}

/// A published report's id, from what it is: the same quarter, language and issue date
/// computed at the same audit head is the same report, published once.
fn report_id(request: &PublishRequest, issued_on: cncl_domain::Date, audit_head: &(i64, String)) -> String {
    use sha2::Digest;
    let named = format!(
        "{}|{}|{issued_on}|{}|{}|{}",
        request.quarter,
        request.lang.code(),
        audit_head.0,
        audit_head.1,
        request.base_url
    );
    let digest = sha2::Sha256::digest(named.as_bytes());
    let mut bytes = [0_u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid().to_string()
}

/// Build a quarter's report as a PDF and an `.xlsx` workbook, and publish both (the office
/// only): stored as they are, with their SHA-256, in the audit chain.
pub async fn publish(
    app: &cncl_app::App,
    actor: &cncl_app::Actor,
    request: PublishRequest,
) -> Result<cncl_store::published::PublishedReport, ReportError> {
    cncl_app::policy::office(actor, true)?;
    let data = ReportData::gather(app, actor, request.quarter).await?;
    let issued_on = request.issued_on.unwrap_or(data.as_of);
    let publication = Publication {
        id: report_id(&request, issued_on, &data.audit_head),
        base_url: request.base_url.trim_end_matches('/').to_owned(),
    };
    let input = data.input(request.lang, Some(issued_on)).published(&publication);
    let pdf = match &request.signing {
        Some(signing) => signed(render_pdf(&input)?, signing, request.lang)?,
        None => render_pdf(&input)?,
    };
    let figures = cncl_app::publication::PublishedFigures::of(&data.scorecard);
    let figures = serde_json::to_vec_pretty(&figures)
        .map_err(|e| ReportError::Layout(format!("writing the figures as JSON: {e}")))?;
    let files = vec![
        ("pdf".to_owned(), pdf),
        ("xlsx".to_owned(), render_xlsx(&input)?),
        (cncl_app::publication::FIGURES_FORMAT.to_owned(), figures),
    ];
    let new = cncl_store::published::NewPublication {
        id: publication.id.clone(),
        quarter: request.quarter.to_string(),
        lang: request.lang.code().to_owned(),
        as_of: data.as_of.to_string(),
        issued_on: issued_on.to_string(),
        criteria_set: data.set.reference().to_string(),
        audit_seq: data.audit_head.0,
        audit_hash: data.audit_head.1.clone(),
        base_url: publication.base_url.clone(),
        files,
    };
    Ok(app.publish_report(actor, new).await?)
}

/// The report of a quarter, as asked.
pub async fn build(
    app: &cncl_app::App,
    actor: &cncl_app::Actor,
    request: ReportRequest,
) -> Result<Vec<u8>, ReportError> {
    let data = ReportData::gather(app, actor, request.quarter).await?;
    let input = data.input(request.lang, request.issued_on);
    match request.format {
        ReportFormat::Pdf => render_pdf(&input),
        ReportFormat::Xlsx => render_xlsx(&input),
    }
}

/// The report's tables as an `.xlsx` workbook.
pub fn render_xlsx(input: &ReportInput<'_>) -> Result<Vec<u8>, ReportError> {
    workbook::workbook(input)
}

/// The report as a PDF.
pub fn render_pdf(input: &ReportInput<'_>) -> Result<Vec<u8>, ReportError> {
    let data = content::content(input);
    let world = world::ReportWorld::new(&data)?;
    let document = typst::compile::<typst_layout::PagedDocument>(&world).output.map_err(|errors| {
        ReportError::Layout(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
    })?;
    let options = typst_pdf::PdfOptions {
        // A stable identifier and no creation time: the same report gives the same bytes.
        ident: typst::foundations::Smart::Custom(format!(
            "cncl-report-{}-{}-{}",
            input.as_of,
            input.lang.code(),
            input.audit_head.0
        )),
        creator: typst::foundations::Smart::Custom(Some("cncl".to_owned())),
        timestamp: None,
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| {
        ReportError::Layout(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
    })
}

impl From<ReportError> for cncl_app::AppError {
    fn from(error: ReportError) -> Self {
        use cncl_domain::msg;
        match error {
            ReportError::Asked(message) => cncl_app::AppError::BadRequest {
                field: None,
                message: msg(format!("yêu cầu báo cáo không hợp lệ: {message}"), message),
            },
            ReportError::Busy => cncl_app::AppError::Conflict {
                field: None,
                message: msg(
                    "dữ liệu thay đổi liên tục trong khi tính báo cáo; hãy thử lại",
                    "the data kept changing while the report was computed; try again",
                ),
            },
            ReportError::App(e) => e,
            ReportError::Layout(message) => cncl_app::AppError::internal(&format!("report layout: {message}")),
        }
    }
}

/// Reports laid out by typst, for the surfaces that publish and verify; the PDFs they
/// publish are signed when the office's certificate is given.
#[derive(Debug, Clone, Default)]
pub struct Typst {
    pub signing: Option<Signing>,
}

impl cncl_app::publication::ReportMaker for Typst {
    fn publish<'a>(
        &'a self,
        app: &'a cncl_app::App,
        actor: &'a cncl_app::Actor,
        asked: cncl_app::publication::PublishAsked,
    ) -> cncl_app::publication::ReportFuture<'a, cncl_store::published::PublishedReport> {
        Box::pin(async move {
            let quarter = asked.quarter.parse()?;
            let request = PublishRequest {
                quarter,
                lang: asked.lang,
                issued_on: None,
                base_url: asked.base_url,
                signing: self.signing.clone(),
            };
            Ok(publish(app, actor, request).await?)
        })
    }

    fn verify<'a>(
        &'a self,
        app: &'a cncl_app::App,
        bytes: &'a [u8],
    ) -> cncl_app::publication::ReportFuture<'a, Verification> {
        Box::pin(async move { Ok(verify(app, bytes).await?) })
    }
}
