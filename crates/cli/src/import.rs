//! `cncl import FILE`: a workbook or CSV in, every row through the same rules and audit as a
//! single record, all or nothing. `--dry-run` shows what would happen and writes nothing.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use cncl_app::import::{ImportReport, ImportRun, Mapping, RowOutcome};

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
    /// For the office's own workbooks: the kind of record a sheet holds, `SHEET=KIND`
    /// (`"Bảng chi phí=cost-lines"`). Saved for the next import. Repeatable.
    #[arg(long = "sheet", value_name = "SHEET=KIND")]
    sheets: Vec<String>,
    /// The field a column holds, `KIND:HEADER=FIELD` (`"cost-lines:Thành tiền=amount_vnd"`;
    /// an empty FIELD leaves the column out). Saved for the next import. Repeatable.
    #[arg(long = "column", value_name = "KIND:HEADER=FIELD")]
    columns: Vec<String>,
}

/// The sheets and columns chosen on the command line.
fn mapping(args: &ImportArgs) -> anyhow::Result<Mapping> {
    let mut mapping = Mapping::default();
    for sheet in &args.sheets {
        let (name, kind) = sheet.rsplit_once('=').with_context(|| format!("--sheet {sheet:?}: write SHEET=KIND"))?;
        mapping.sheets.insert(name.to_owned(), kind.trim().to_owned());
    }
    for column in &args.columns {
        let (kind_header, field) =
            column.rsplit_once('=').with_context(|| format!("--column {column:?}: write KIND:HEADER=FIELD"))?;
        let (kind, header) =
            kind_header.split_once(':').with_context(|| format!("--column {column:?}: write KIND:HEADER=FIELD"))?;
        mapping.columns.entry(kind.trim().to_owned()).or_default().insert(header.to_owned(), field.trim().to_owned());
    }
    Ok(mapping)
}

pub async fn run(args: ImportArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let app = args.database.open().await?;
    let actor = args.by.as_deref().map_or_else(crate::cli_actor, crate::by_actor);
    let name = args.file.file_name().and_then(|n| n.to_str()).unwrap_or("import.xlsx");
    let style = indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} rows, {eta} left")
        .map(|style| style.progress_chars("=> "))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    let progress = indicatif::ProgressBar::new(0).with_style(style).with_message(format!("checking {name}"));
    progress.enable_steady_tick(std::time::Duration::from_millis(200));
    let on_row = |done: u64, total: u64| {
        progress.set_length(total);
        progress.set_position(done);
    };
    let chosen = mapping(&args)?;
    if !chosen.is_empty() {
        app.save_import_mapping(&actor, &chosen).await?;
    }
    let run = ImportRun { commit: !args.dry_run, mapping: &chosen, progress: Some(&on_row) };
    let report = app.import(&actor, name, &bytes, run).await;
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
                RowOutcome::Error { column, header, message, .. } => {
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
    for sheet in &report.sheets {
        for column in sheet.columns.iter().filter(|c| c.field.is_none()) {
            let hint = column
                .suggestion
                .as_ref()
                .map_or(String::new(), |s| format!(" (perhaps --column \"{}:{}={s}\")", sheet.kind, column.header));
            out.push_str(&format!(
                "not imported: {} column {} ({}){hint}\n",
                sheet.sheet, column.column, column.header
            ));
        }
    }
    for unknown in &report.unknown_sheets {
        let hint = unknown
            .suggestion
            .as_ref()
            .map_or(String::new(), |kind| format!(" (perhaps --sheet \"{}={kind}\")", unknown.sheet));
        out.push_str(&format!("not imported: sheet {} holds no kind of record by its name{hint}\n", unknown.sheet));
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
