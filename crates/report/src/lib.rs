//! The quarterly programme report (Decision 2815/QĐ-TTg), laid out as Decree 30/2020/NĐ-CP
//! (Appendix I) lays out an administrative document, rendered to PDF by typst used as a
//! library with its fonts embedded. It presents what `app` computed and computes no figure
//! of its own; the same inputs give the same bytes (no clock, no machine's fonts).
//!
//! - `content`: the report's words and tables, from a scorecard and its criteria set;
//! - `world`: typst's view of the template, the content and the fonts, all in memory.

mod content;
mod world;

pub use content::{Quarter, ReportInput};

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{0}")]
    Quarter(String),
    /// The figures could not be had.
    #[error(transparent)]
    App(#[from] cncl_app::AppError),
    /// The template failed to lay the content out: a defect of cncl, with typst's words.
    #[error("the report could not be laid out: {0}")]
    Layout(String),
}

/// The report of `quarter` as a PDF: the scorecard as of the quarter's last day against the
/// criteria set in force, issued on `issued_on` (the quarter's last day when not given).
pub async fn build_pdf(
    app: &cncl_app::App,
    actor: &cncl_app::Actor,
    quarter: Quarter,
    lang: cncl_domain::Lang,
    issued_on: Option<cncl_domain::Date>,
) -> Result<Vec<u8>, ReportError> {
    let as_of = quarter.last_day()?;
    let set = app.criteria_set(None).await?;
    let reference = set.reference();
    let scorecard = app.scorecard(actor, as_of, None, Some(&reference)).await?;
    let products = app.products().await?;
    let input = ReportInput {
        lang,
        quarter,
        as_of,
        issued_on: issued_on.unwrap_or(as_of),
        scorecard: &scorecard,
        set: &set,
        products: &products,
    };
    render_pdf(&input)
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
        ident: typst::foundations::Smart::Custom(format!("cncl-report-{}-{}", input.as_of, input.lang.code())),
        creator: typst::foundations::Smart::Custom(Some("cncl".to_owned())),
        timestamp: None,
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| {
        ReportError::Layout(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
    })
}
