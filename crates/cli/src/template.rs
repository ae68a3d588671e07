//! `cncl template KIND` and `cncl template --reporting TAX_CODE`: a kind's template, or an
//! organisation's reporting workbook, to fill in and bring back with `cncl import`.

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use cncl_domain::{EntityKind, Lang};

use crate::DatabaseArgs;

#[derive(Debug, Args)]
pub struct TemplateArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The kind of record (bom-lines, cost-lines…; `cncl record kinds`).
    #[arg(required_unless_present = "reporting", conflicts_with = "reporting")]
    kind: Option<String>,
    /// The reporting workbook of the organisation with this tax code: one sheet per kind an
    /// organisation reports.
    #[arg(long, value_name = "TAX_CODE")]
    reporting: Option<String>,
    /// Fill the sheets with the records already kept, so that editing them is an update.
    #[arg(long)]
    prefilled: bool,
    /// Headers, drop-down lists and instructions in English rather than Vietnamese.
    #[arg(long)]
    english: bool,
    /// Write here rather than to standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub async fn run(args: TemplateArgs) -> anyhow::Result<()> {
    let app = args.database.open().await?;
    let lang = if args.english { Lang::En } else { Lang::Vi };
    let actor = crate::cli_actor();
    let bytes = match (&args.kind, &args.reporting) {
        (_, Some(tax_code)) => {
            let organisation = app
                .organisation_by_tax_code(tax_code)
                .await?
                .with_context(|| format!("no organisation has the tax code {tax_code}"))?;
            app.reporting_workbook(&actor, Some(organisation), lang, args.prefilled).await?
        }
        (Some(kind), None) => {
            let kind = EntityKind::from_resource(kind)
                .with_context(|| format!("no kind of record is called {kind:?} (see `cncl record kinds`)"))?;
            app.template(&actor, kind, lang, args.prefilled).await?
        }
        (None, None) => anyhow::bail!("name a kind of record, or --reporting TAX_CODE"),
    };
    match &args.output {
        Some(path) => std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    app.close().await;
    Ok(())
}
