//! Is this file the report cncl published? Three checks, as a reader would make them:
//! 1. the published report with the same SHA-256, or else the one the file names in its
//!    metadata (a copy edited since is no longer byte-identical but still says what it was);
//! 2. the facts as they stood at the audit log's head the report recorded, rebuilt from the
//!    log alone, however they were corrected or erased since;
//! 3. the report rendered again from them, compared with the file.
//!
//! The answer is identical, altered (naming the cells or pages that differ) or unknown.

use std::io::Read;

use cncl_app::publication::{AsRecordedError, Difference, Place, Verdict, Verification};
use cncl_app::{Actor, App};
use cncl_domain::{Date, Lang, Message, msg};

use cncl_store::audit::replay::Replayed;
use cncl_store::published::{PublishedReport, sha256_hex};

use crate::content::REPORT_KEYWORD;
use crate::input::Publication;
use crate::{ReportData, ReportError, ReportFormat, render_pdf, render_xlsx};

/// Differences listed at most: a file edited throughout is named by its first ones.
const MAX_DIFFERENCES: usize = 50;

fn format_of(bytes: &[u8]) -> Option<ReportFormat> {
    if bytes.starts_with(b"%PDF-") {
        Some(ReportFormat::Pdf)
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some(ReportFormat::Xlsx)
    } else {
        None
    }
}

fn format_name(format: ReportFormat) -> &'static str {
    match format {
        ReportFormat::Pdf => "pdf",
        ReportFormat::Xlsx => "xlsx",
    }
}

/// The id a file names itself by in its keywords (`cncl-report ID audit head …`).
fn claimed_id(bytes: &[u8], format: ReportFormat) -> Option<String> {
    let text = match format {
        ReportFormat::Pdf => String::from_utf8_lossy(bytes).into_owned(),
        ReportFormat::Xlsx => {
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
            let mut core = String::new();
            // The core properties of a report are a few hundred bytes; a larger part is not ours.
            archive.by_name("docProps/core.xml").ok()?.take(64 * 1024).read_to_string(&mut core).ok()?;
            core
        }
    };
    let at = text.find(&format!("{REPORT_KEYWORD} "))? + REPORT_KEYWORD.len() + 1;
    let id: String = text.get(at..)?.chars().take_while(|c| c.is_ascii_hexdigit() || *c == '-').collect();
    uuid::Uuid::parse_str(&id).ok().map(|_| id)
}

/// Check `bytes` against the published reports and the audit log. The facts are rebuilt
/// in a scratch database under the system's temporary directory, removed afterwards.
pub async fn verify(app: &App, bytes: &[u8]) -> Result<Verification, ReportError> {
    let sha256 = sha256_hex(bytes);
    let Some(format) = format_of(bytes) else {
        return Ok(Verification::unknown(
            sha256,
            msg("tệp không phải PDF hay .xlsx", "the file is neither a PDF nor an .xlsx workbook"),
        ));
    };
    let (report, exact) = match app.published_report_with_file(&sha256).await? {
        Some((report, _)) => (report, true),
        None => match claimed_id(bytes, format) {
            Some(id) => match app.published_report(&id).await {
                Ok(report) => (report, false),
                Err(cncl_app::AppError::NotFound { .. }) => {
                    return Ok(Verification::unknown(
                        sha256,
                        msg(
                            format!("tệp ghi là báo cáo {id}, nhưng không có báo cáo nào như vậy được công bố"),
                            format!("the file names report {id}, but no such report was published"),
                        ),
                    ));
                }
                Err(e) => return Err(e.into()),
            },
            None => {
                return Ok(Verification::unknown(
                    sha256,
                    msg(
                        "không có báo cáo đã công bố nào có tệp này, và tệp không ghi mình là báo cáo nào",
                        "no published report has this file, and the file does not name a report",
                    ),
                ));
            }
        },
    };
    let published = app.published_file(&report.id, format_name(format)).await?;
    let rebuilt = match rebuild(app, &report, format).await {
        Ok(rebuilt) => rebuilt,
        Err(RebuildError::Replay(reason)) => {
            let mut answer = Verification::unknown(sha256, reason);
            answer.verdict = if exact { Verdict::Altered } else { Verdict::Unknown };
            answer.report = Some(report);
            return Ok(answer);
        }
        Err(RebuildError::Report(e)) => return Err(e),
    };
    Ok(compare(CompareInput { report, format, bytes, sha256, published: &published, rebuilt }))
}

/// A report rendered again from the facts rebuilt as the report recorded them.
struct Rebuilt {
    bytes: Vec<u8>,
    replayed: Replayed,
}

enum RebuildError {
    /// The log does not give the facts: why, for the reader.
    Replay(Message),
    Report(ReportError),
}

impl From<ReportError> for RebuildError {
    fn from(error: ReportError) -> Self {
        RebuildError::Report(error)
    }
}

fn recorded_wrongly(report: &PublishedReport, what: &str) -> RebuildError {
    RebuildError::Report(ReportError::Asked(format!("published report {} records a malformed {what}", report.id)))
}

async fn rebuild(app: &App, report: &PublishedReport, format: ReportFormat) -> Result<Rebuilt, RebuildError> {
    let quarter: crate::Quarter = report.quarter.parse().map_err(|_| recorded_wrongly(report, "quarter"))?;
    let lang = Lang::parse(&report.lang).ok_or_else(|| recorded_wrongly(report, "language"))?;
    let issued_on = Date::parse(&report.issued_on).map_err(|_| recorded_wrongly(report, "issue date"))?;
    let set = report.criteria_set.parse().map_err(|_| recorded_wrongly(report, "criteria set"))?;
    let scratch = tempfile::tempdir().map_err(|e| ReportError::Layout(format!("a scratch directory: {e}")))?;
    let (replica, replayed) = match app
        .as_recorded(report.audit_seq, &report.audit_hash, &set, &scratch.path().join("replay.sqlite"))
        .await
    {
        Ok(found) => found,
        Err(AsRecordedError::App(e)) => return Err(ReportError::App(e).into()),
        Err(other) => {
            return Err(RebuildError::Replay(msg(
                format!("không dựng lại được số liệu từ sổ kiểm toán: {other}"),
                format!("the facts could not be rebuilt from the audit log: {other}"),
            )));
        }
    };
    let gathered = ReportData::gather(&replica, &Actor::system("verify"), quarter).await;
    replica.close().await;
    let mut data = gathered?;
    data.audit_head = (report.audit_seq, report.audit_hash.clone());
    let publication = Publication { id: report.id.clone(), base_url: report.base_url.clone() };
    let input = data.input(lang, Some(issued_on)).published(&publication);
    let bytes = match format {
        ReportFormat::Pdf => render_pdf(&input)?,
        ReportFormat::Xlsx => render_xlsx(&input)?,
    };
    Ok(Rebuilt { bytes, replayed })
}

struct CompareInput<'a> {
    report: PublishedReport,
    format: ReportFormat,
    bytes: &'a [u8],
    sha256: String,
    published: &'a [u8],
    rebuilt: Rebuilt,
}

fn compare(input: CompareInput<'_>) -> Verification {
    let CompareInput { report, format, bytes, sha256, published, rebuilt } = input;
    // A signed PDF is the report as rendered with the signature appended after it.
    let history_holds = published.starts_with(&rebuilt.bytes)
        && (published.len() == rebuilt.bytes.len() || format == ReportFormat::Pdf);
    let (verdict, reason, differences) = if bytes == published && history_holds {
        (
            Verdict::Identical,
            msg(
                format!(
                    "tệp là báo cáo {} đã công bố, và sổ kiểm toán đến mục #{} vẫn cho ra đúng tệp này",
                    report.id, report.audit_seq
                ),
                format!(
                    "the file is published report {}, and the audit log up to entry #{} still gives exactly this file",
                    report.id, report.audit_seq
                ),
            ),
            Vec::new(),
        )
    } else if bytes == published {
        (
            Verdict::Altered,
            msg(
                "tệp là bản đã công bố, nhưng số liệu dựng lại từ sổ kiểm toán không còn cho ra nó: lịch sử đã bị sửa",
                "the file is the one published, but the facts rebuilt from the audit log no longer give it: the history was altered",
            ),
            differences(format, published, &rebuilt.bytes),
        )
    } else {
        (
            Verdict::Altered,
            msg(
                format!("tệp ghi là báo cáo {} nhưng khác bản đã công bố", report.id),
                format!("the file names report {} but differs from the one published", report.id),
            ),
            differences(format, &rebuilt.bytes, bytes),
        )
    };
    Verification {
        verdict,
        report: Some(report),
        sha256,
        reason,
        differences,
        replayed_records: Some(rebuilt.replayed.records + rebuilt.replayed.events),
        erased_since: Some(rebuilt.replayed.erased),
    }
}

/// Where `copy` differs from `original`.
fn differences(format: ReportFormat, original: &[u8], copy: &[u8]) -> Vec<Difference> {
    let mut found = match format {
        ReportFormat::Xlsx => cell_differences(original, copy),
        ReportFormat::Pdf => page_differences(original, copy),
    };
    found.truncate(MAX_DIFFERENCES);
    found
}

fn cell_text(cell: &calamine::Data) -> Option<String> {
    match cell {
        calamine::Data::Empty => None,
        other => Some(other.to_string()),
    }
}

/// Every cell whose value differs, sheet by sheet, named as Excel names it.
fn cell_differences(original: &[u8], copy: &[u8]) -> Vec<Difference> {
    use calamine::Reader;
    let open = |bytes: &[u8]| calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).ok();
    let (Some(mut original), Some(mut copy)) = (open(original), open(copy)) else {
        return vec![Difference { place: Place::File, published: None, this_copy: None }];
    };
    let mut found = Vec::new();
    let names = original.sheet_names();
    for name in &names {
        let (Ok(a), b) = (original.worksheet_range(name), copy.worksheet_range(name)) else { continue };
        let Ok(b) = b else {
            found.push(Difference {
                place: Place::Sheet { sheet: name.clone() },
                published: Some(name.clone()),
                this_copy: None,
            });
            continue;
        };
        let (rows, columns) = (a.height().max(b.height()), a.width().max(b.width()));
        for row in 0..rows {
            for column in 0..columns {
                let at = (u32::try_from(row).unwrap_or(u32::MAX), u32::try_from(column).unwrap_or(u32::MAX));
                let (x, y) = (a.get_value(at).and_then(cell_text), b.get_value(at).and_then(cell_text));
                if x != y {
                    let cell = format!("{}{}", cncl_exchange::column_letter(column), row + 1);
                    found.push(Difference {
                        place: Place::Cell { sheet: name.clone(), cell },
                        published: x,
                        this_copy: y,
                    });
                }
            }
        }
    }
    found
}

/// Every page whose drawing differs (its content stream), or that one file lacks.
fn page_differences(original: &[u8], copy: &[u8]) -> Vec<Difference> {
    let pages = |bytes: &[u8]| -> Option<Vec<Vec<u8>>> {
        let document = lopdf::Document::load_mem(bytes).ok()?;
        Some(document.get_pages().values().map(|id| document.get_page_content(*id).unwrap_or_default()).collect())
    };
    let (Some(a), Some(b)) = (pages(original), pages(copy)) else {
        return vec![Difference { place: Place::File, published: None, this_copy: None }];
    };
    (0..a.len().max(b.len()))
        .filter(|i| a.get(*i) != b.get(*i))
        .map(|i| Difference {
            place: Place::Page { page: i + 1 },
            published: (i >= a.len()).then(|| "(none)".to_owned()),
            this_copy: (i >= b.len()).then(|| "(none)".to_owned()),
        })
        .collect()
}
