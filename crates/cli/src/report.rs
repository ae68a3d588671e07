//! `cncl report build --quarter 2026Q4`: the quarterly programme report as a PDF laid out
//! per Decree 30/2020/NĐ-CP, or its tables as an `.xlsx` workbook; `cncl report publish`
//! stores both as the published report; `cncl report verify FILE` checks a copy against
//! the published reports and the audit log.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use cncl_domain::{Date, Lang};

use crate::DatabaseArgs;

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(subcommand)]
    command: ReportCommand,
}

#[derive(Debug, Subcommand)]
enum ReportCommand {
    /// Build the report of a quarter without publishing it.
    Build(BuildArgs),
    /// Publish the report of a quarter: its PDF and workbook, stored with their SHA-256 in
    /// the audit chain and listed at /reports.
    Publish(PublishArgs),
    /// Check a file against the published reports and the audit log: identical, altered
    /// (naming what differs) or unknown. Exits with 0 only when identical.
    Verify(VerifyArgs),
}

/// Which report of a quarter: the quarter, its language and the day it is issued.
#[derive(Debug, Args)]
struct QuarterArgs {
    /// The quarter, written 2026Q4: the figures are as of its last day.
    #[arg(long)]
    quarter: String,
    /// The report's language: vi (the default) or en.
    #[arg(long, default_value = "vi")]
    lang: String,
    /// The day the report is issued, on its date line (dd/mm/yyyy or YYYY-MM-DD); the
    /// quarter's last day when not given, so that the same data gives the same file.
    #[arg(long)]
    dated: Option<String>,
}

impl QuarterArgs {
    fn quarter(&self) -> anyhow::Result<cncl_report::Quarter> {
        Ok(self.quarter.parse()?)
    }

    fn lang(&self) -> anyhow::Result<Lang> {
        Lang::parse(&self.lang).with_context(|| format!("--lang must be vi or en, not {:?}", self.lang))
    }

    fn dated(&self) -> anyhow::Result<Option<Date>> {
        self.dated.as_deref().map(|raw| Date::parse(raw).map_err(|e| anyhow::anyhow!("--dated {}", e.0.en))).transpose()
    }
}

#[derive(Debug, Args)]
struct PublishArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(flatten)]
    report: QuarterArgs,
    /// cncl's public address, printed on every page with the report's id; the `public_url`
    /// setting (CNCL_PUBLIC_URL) by default, or http://127.0.0.1:8080.
    #[arg(long)]
    base_url: Option<String>,
    /// A directory to write the published files to as well.
    #[arg(long, short, value_name = "DIR")]
    output: Option<PathBuf>,
    /// The office's certificate and key (PKCS#12, .p12 or .pfx) to sign the PDF with (PAdES
    /// B-B); its password is read from CNCL_SIGNING_PASSWORD, never from the command line.
    /// The `signing_keystore` setting (CNCL_SIGNING_KEYSTORE) by default.
    #[arg(long, value_name = "FILE.p12")]
    sign_with: Option<PathBuf>,
}

/// A keystore file larger than this is not a certificate and its key.
const MAX_KEYSTORE_BYTES: u64 = 1024 * 1024;

pub(crate) fn signing(keystore: Option<&std::path::Path>) -> anyhow::Result<Option<cncl_report::Signing>> {
    let Some(path) = keystore else { return Ok(None) };
    let size = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?.len();
    anyhow::ensure!(size <= MAX_KEYSTORE_BYTES, "{} is {size} bytes: not a PKCS#12 keystore", path.display());
    let keystore = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let password = std::env::var("CNCL_SIGNING_PASSWORD").unwrap_or_default();
    Ok(Some(cncl_report::Signing { keystore, password }))
}

#[derive(Debug, Args)]
struct VerifyArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The PDF or workbook to check.
    file: PathBuf,
    /// The answer's language: vi (the default) or en.
    #[arg(long, default_value = "vi")]
    lang: String,
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(flatten)]
    report: QuarterArgs,
    /// The file: pdf (the default) or xlsx (the same tables, numbers as numbers).
    #[arg(long, default_value = "pdf")]
    format: String,
    /// Where to write the file.
    #[arg(long, short, value_name = "FILE")]
    output: PathBuf,
}

pub async fn run(args: ReportArgs) -> anyhow::Result<()> {
    match args.command {
        ReportCommand::Build(args) => build(args).await,
        ReportCommand::Publish(args) => publish(args).await,
        ReportCommand::Verify(args) => verify(args).await,
    }
}

async fn publish(args: PublishArgs) -> anyhow::Result<()> {
    let settings = args.database.settings()?;
    let base_url = args.base_url.or(settings.public_url).unwrap_or_else(|| "http://127.0.0.1:8080".to_owned());
    let request = cncl_report::PublishRequest {
        quarter: args.report.quarter()?,
        lang: args.report.lang()?,
        issued_on: args.report.dated()?,
        base_url,
        signing: signing(args.sign_with.or(settings.signing_keystore).as_deref())?,
    };
    let app = args.database.open().await?;
    let published = cncl_report::publish(&app, &crate::cli_actor(), request).await;
    let written = match (&published, &args.output) {
        (Ok(report), Some(directory)) => write_files(&app, report, directory).await,
        _ => Ok(()),
    };
    app.close().await;
    let published = published?;
    written?;
    println!(
        "published report {} ({}, {}), computed at audit entry #{}",
        published.id, published.quarter, published.lang, published.audit_seq
    );
    for file in &published.files {
        println!("  {}: {} bytes, SHA-256 {}", file.format, file.size, file.sha256);
    }
    Ok(())
}

/// The published files, as `report-2026Q4-vi.pdf`, `.xlsx` and `.json` (the figures) in
/// `directory`.
async fn write_files(
    app: &cncl_app::App,
    report: &cncl_store::published::PublishedReport,
    directory: &std::path::Path,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(directory).with_context(|| format!("creating {}", directory.display()))?;
    for file in &report.files {
        let bytes = app.published_file(&report.id, &file.format).await?;
        let path = directory.join(format!("report-{}-{}.{}", report.quarter, report.lang, file.format));
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("{}", path.display());
    }
    Ok(())
}

/// Files larger than this are not reports: a national report is a few hundred kilobytes.
const MAX_VERIFIED_FILE: u64 = 64 * 1024 * 1024;

async fn verify(args: VerifyArgs) -> anyhow::Result<()> {
    let lang = Lang::parse(&args.lang).with_context(|| format!("--lang must be vi or en, not {:?}", args.lang))?;
    let size = std::fs::metadata(&args.file).with_context(|| format!("reading {}", args.file.display()))?.len();
    anyhow::ensure!(size <= MAX_VERIFIED_FILE, "{} is {size} bytes: no report is that large", args.file.display());
    let bytes = std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let app = args.database.open().await?;
    let checked = cncl_report::verify(&app, &bytes).await;
    app.close().await;
    let checked = checked?;
    println!("{}: {}", checked.verdict.label(lang), checked.reason.get(lang));
    if let Some(report) = &checked.report {
        println!(
            "  {}: {} {} ({}), {} #{}",
            lang.pick("báo cáo", "report"),
            report.id,
            report.quarter,
            report.lang,
            lang.pick("sổ kiểm toán", "audit log"),
            report.audit_seq
        );
    }
    for difference in &checked.differences {
        let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_owned());
        println!(
            "  {}: {} → {}",
            difference.place.label(lang),
            value(&difference.published),
            value(&difference.this_copy)
        );
    }
    if checked.verdict != cncl_report::Verdict::Identical {
        std::process::exit(1);
    }
    Ok(())
}

async fn build(args: BuildArgs) -> anyhow::Result<()> {
    let (quarter, lang, dated) = (args.report.quarter()?, args.report.lang()?, args.report.dated()?);
    let app = args.database.open().await?;
    let format: cncl_report::ReportFormat = args.format.parse()?;
    let request = cncl_report::ReportRequest { quarter, lang, format, issued_on: dated };
    let file = cncl_report::build(&app, &crate::cli_actor(), request).await?;
    std::fs::write(&args.output, &file).with_context(|| format!("writing {}", args.output.display()))?;
    app.close().await;
    eprintln!("{}: {} bytes", args.output.display(), file.len());
    Ok(())
}
