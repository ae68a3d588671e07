//! `cncl funding` and `cncl warnings`: the programme's money against the ceiling, and what
//! the office should act on.

use clap::Args;
use cncl_app::App;
use cncl_app::governance::Warning;
use cncl_domain::Date;

use crate::DatabaseArgs;
use crate::evaluate::Format;

#[derive(Debug, Args)]
pub struct AsOfArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The date (YYYY-MM-DD or dd/mm/yyyy, 1990 to 2100); today in Vietnam when omitted.
    #[arg(long, value_name = "DATE")]
    as_of: Option<Date>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

/// The database opened, and the date asked for (today in Vietnam by default).
pub async fn open(args: &AsOfArgs) -> anyhow::Result<(App, Date)> {
    let app = args.database.open().await?;
    let as_of = args.as_of.unwrap_or_else(|| app.today());
    Ok((app, as_of))
}

pub async fn funding(args: AsOfArgs) -> anyhow::Result<()> {
    let (app, as_of) = open(&args).await?;
    let summary = app.funding(&crate::cli_actor(), as_of).await?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&summary)?),
        Format::Table => {
            println!(
                "Funding as of {as_of}; ceiling {} % of state S&T spending",
                summary.ceiling_percent.unwrap_or_default()
            );
            println!(
                "{:<6} {:>26} {:>26} {:>26} {:>8}",
                "year", "all sources", "state budget", "S&T spending", "share"
            );
            let vnd = |v: i128| cncl_domain::format::format_vnd(v, cncl_domain::Lang::En);
            for y in &summary.years {
                let share = y.state_share_percent.map(|p| format!("{p:.2} %")).unwrap_or_else(|| "—".into());
                let spending = y.st_spending_vnd.map_or_else(|| "—".into(), vnd);
                let flag = if y.over_ceiling { "  OVER THE CEILING" } else { "" };
                println!(
                    "{:<6} {:>26} {:>26} {:>26} {:>8}{flag}",
                    y.year,
                    vnd(y.total_vnd),
                    vnd(y.state_vnd),
                    spending,
                    share
                );
            }
            println!("total {}, disbursed {}", vnd(summary.total_vnd), vnd(summary.disbursed_vnd));
        }
    }
    app.close().await;
    Ok(())
}

pub async fn warnings(args: AsOfArgs) -> anyhow::Result<()> {
    let (app, as_of) = open(&args).await?;
    let warnings = app.warnings(&crate::cli_actor(), as_of).await?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&warnings)?),
        Format::Table => {
            let products = app.products().await?;
            for w in &warnings {
                println!("{}", describe(w, &products));
            }
            println!("{} warnings as of {as_of}", warnings.len());
        }
    }
    app.close().await;
    Ok(())
}

/// A warning as the governance page words it, in English.
fn describe(w: &Warning, products: &[cncl_domain::reference::Product]) -> String {
    let detail = w.detail(cncl_domain::Lang::En, products);
    if detail.is_empty() {
        w.label(cncl_domain::Lang::En).to_owned()
    } else {
        format!("{}: {detail}", w.label(cncl_domain::Lang::En))
    }
}
