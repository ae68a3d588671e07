//! `cncl export KIND`: every record of a kind (filtered as a list is) as `.xlsx` or CSV, to a
//! file or standard output.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};
use cncl_app::ListQuery;
use cncl_app::export::ExportFormat;
use cncl_domain::{EntityKind, Lang};

use crate::DatabaseArgs;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FileFormat {
    Xlsx,
    Csv,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The kind of record, as in the API (bom-lines, tasks, organisations…; `cncl record kinds`).
    kind: String,
    #[arg(long, value_enum, default_value = "xlsx")]
    format: FileFormat,
    /// Only the records of this product (its code), where the kind has one.
    #[arg(long, value_name = "CODE")]
    product: Option<String>,
    /// The headers in English rather than Vietnamese.
    #[arg(long)]
    english: bool,
    /// Write here rather than to standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub async fn run(args: ExportArgs) -> anyhow::Result<()> {
    let kind = EntityKind::from_resource(&args.kind)
        .with_context(|| format!("no kind of record is called {:?} (see `cncl record kinds`)", args.kind))?;
    let app = args.database.open().await?;
    let query = ListQuery {
        filter: cncl_store::ListFilter { product: args.product.clone(), ..Default::default() },
        ..ListQuery::default()
    };
    let format = match args.format {
        FileFormat::Xlsx => ExportFormat::Xlsx,
        FileFormat::Csv => ExportFormat::Csv,
    };
    let lang = if args.english { Lang::En } else { Lang::Vi };
    let bytes = app.export_records(&crate::cli_actor(), kind, &query, format, lang).await?;
    match &args.output {
        Some(path) => std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    app.close().await;
    Ok(())
}
