//! `cncl import FILE`: a workbook or CSV in, every row through the same rules and audit as a
//! single record, all or nothing. `--dry-run` shows what would happen and writes nothing.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use cncl_app::import::{ImportReport, RowOutcome};

use crate::DatabaseArgs;

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// An .xlsx workbook (sheets named after kinds: bom-lines, cost-lines…) or a CSV file
    /// named after its kind (bom-lines.csv).
    file: PathBuf,
    /// Show what the file would do; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Who is importing, recorded beside the command line's name in the audit log.
    #[arg(long, value_name = "NAME")]
    by: Option<String>,
}

pub async fn run(args: ImportArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let app = args.database.open().await?;
    let actor = args.by.as_deref().map_or_else(crate::cli_actor, crate::by_actor);
    let name = args.file.file_name().and_then(|n| n.to_str()).unwrap_or("import.xlsx");
    let progress = indicatif::ProgressBar::new_spinner().with_message(format!("reading and checking {name}"));
    progress.enable_steady_tick(std::time::Duration::from_millis(120));
    let report = app.import(&actor, name, &bytes, !args.dry_run).await;
    progress.finish_and_clear();
    let report = report?;
    print!("{}", report_text(&report));
    app.close().await;
    match (report.errors, args.dry_run) {
        (0, true) => {
            println!("dry run: nothing written");
            Ok(())
        }
        (0, false) => Ok(()),
        (errors, _) => anyhow::bail!("{errors} rows in error: nothing written"),
    }
}

fn report_text(report: &ImportReport) -> String {
    let mut out = String::new();
    for sheet in &report.sheets {
        for row in &sheet.rows {
            match &row.outcome {
                RowOutcome::Error { column, header, message } => {
                    let at = match (column, header) {
                        (Some(c), Some(h)) => format!("{c}{} ({h})", row.row),
                        _ => format!("row {}", row.row),
                    };
                    out.push_str(&format!("ERROR {} {at}: {message}\n", sheet.sheet));
                }
                RowOutcome::Update { changes, .. } => {
                    let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
                    out.push_str(&format!("update {} row {}: {}\n", sheet.sheet, row.row, fields.join(", ")));
                }
                RowOutcome::New { .. } | RowOutcome::Unchanged { .. } => {}
            }
        }
    }
    out.push_str(&format!(
        "{} new, {} updated, {} unchanged, {} in error{}\n",
        report.new,
        report.updated,
        report.unchanged,
        report.errors,
        if report.committed { "; written" } else { "" }
    ));
    out
}
