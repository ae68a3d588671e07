//! `cncl report build --quarter 2026Q4`: the quarterly programme report as a PDF laid out
//! per Decree 30/2020/NĐ-CP, or its tables as an `.xlsx` workbook.

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
}

#[derive(Debug, Args)]
struct BuildArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The quarter, written 2026Q4: the figures are as of its last day.
    #[arg(long)]
    quarter: String,
    /// The report's language: vi (the default) or en.
    #[arg(long, default_value = "vi")]
    lang: String,
    /// The file: pdf (the default) or xlsx (the same tables, numbers as numbers).
    #[arg(long, default_value = "pdf")]
    format: String,
    /// The day the report is issued, on its date line (dd/mm/yyyy or YYYY-MM-DD); the
    /// quarter's last day when not given, so that the same data gives the same file.
    #[arg(long)]
    dated: Option<String>,
    /// Where to write the file.
    #[arg(long, short, value_name = "FILE")]
    output: PathBuf,
}

pub async fn run(args: ReportArgs) -> anyhow::Result<()> {
    let ReportCommand::Build(args) = args.command;
    let quarter: cncl_report::Quarter = args.quarter.parse()?;
    let lang = Lang::parse(&args.lang).with_context(|| format!("--lang must be vi or en, not {:?}", args.lang))?;
    let dated = args
        .dated
        .as_deref()
        .map(|raw| Date::parse(raw).map_err(|e| anyhow::anyhow!("--dated {}", e.0.en)))
        .transpose()?;
    let app = args.database.open().await?;
    let format: cncl_report::ReportFormat = args.format.parse()?;
    let request = cncl_report::ReportRequest { quarter, lang, format, issued_on: dated };
    let file = cncl_report::build(&app, &crate::cli_actor(), request).await?;
    std::fs::write(&args.output, &file).with_context(|| format!("writing {}", args.output.display()))?;
    app.close().await;
    eprintln!("{}: {} bytes", args.output.display(), file.len());
    Ok(())
}
