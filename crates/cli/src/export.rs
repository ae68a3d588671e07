//! `cncl export KIND`: every record of a kind (filtered as a list is), or the scorecard with
//! its evidence, or the funding table, as `.xlsx` or CSV, to a file or standard output.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};
use cncl_app::ListQuery;
use cncl_app::export::ExportFormat;
use cncl_app::export_figures::ScorecardTable;
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
    /// The kind of record, as in the API (bom-lines, tasks, organisations…; `cncl record
    /// kinds`), or `scorecard` (the figures and the records behind them) or `funding`.
    kind: String,
    /// For the scorecard and the funding table: the date (default: today).
    #[arg(long, value_name = "DATE")]
    as_of: Option<cncl_domain::Date>,
    /// For the scorecard as CSV: the records behind the figures rather than the figures.
    #[arg(long)]
    evidence: bool,
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
    let kind = match args.kind.as_str() {
        "scorecard" | "funding" => None,
        other => Some(EntityKind::from_resource(other).with_context(|| {
            format!("no kind of record is called {other:?} (see `cncl record kinds`; or scorecard, funding)")
        })?),
    };
    let app = args.database.open().await?;
    let format = match args.format {
        FileFormat::Xlsx => ExportFormat::Xlsx,
        FileFormat::Csv => ExportFormat::Csv,
    };
    let lang = if args.english { Lang::En } else { Lang::Vi };
    let actor = crate::cli_actor();
    let as_of = args.as_of.unwrap_or_else(|| app.today());
    let bytes = match kind {
        Some(kind) => {
            let query = ListQuery {
                filter: cncl_store::ListFilter { product: args.product.clone(), ..Default::default() },
                ..ListQuery::default()
            };
            // Written as the records are read: a million lines never wait in memory together.
            let mut out: Box<dyn std::io::Write> = match &args.output {
                Some(path) => Box::new(std::io::BufWriter::new(
                    std::fs::File::create(path).with_context(|| format!("writing {}", path.display()))?,
                )),
                None => Box::new(std::io::stdout().lock()),
            };
            let (chunks, mut received) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
            let export = async {
                let done = app.stream_records(&actor, kind, &query, format, lang, &chunks).await;
                drop(chunks);
                done
            };
            let write = async {
                while let Some(chunk) = received.recv().await {
                    out.write_all(&chunk)?;
                }
                out.flush()
            };
            let (exported, written) = tokio::join!(export, write);
            exported?;
            written.context("writing the export")?;
            app.close().await;
            return Ok(());
        }
        None if args.kind == "funding" => app.export_funding(&actor, as_of, format, lang).await?,
        None => {
            let table = if args.evidence { ScorecardTable::Evidence } else { ScorecardTable::Figures };
            app.export_scorecard(&actor, as_of, None, format, table, lang).await?
        }
    };
    match &args.output {
        Some(path) => std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    app.close().await;
    Ok(())
}
