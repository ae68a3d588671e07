//! `cncl compliance`: who owes which report, and where each stands on a date.

use clap::Args;
use cncl_domain::Lang;

use crate::evaluate::Format;
use crate::governance::{AsOfArgs, open};

#[derive(Debug, Args)]
pub struct ComplianceArgs {
    #[command(flatten)]
    dated: AsOfArgs,
    /// The language of names and statuses: vi or en.
    #[arg(long, default_value = "vi")]
    lang: String,
}

fn percent(p: Option<f64>) -> String {
    p.map_or_else(|| "—".to_owned(), |p| format!("{p:.1} %"))
}

pub async fn run(args: ComplianceArgs) -> anyhow::Result<()> {
    let lang =
        Lang::parse(&args.lang).ok_or_else(|| anyhow::anyhow!("--lang must be vi or en, not {:?}", args.lang))?;
    let (app, as_of) = open(&args.dated).await?;
    let summary = app.compliance_summary(&crate::cli_actor(), as_of, lang).await?;
    match args.dated.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&summary)?),
        Format::Table => {
            let head = lang.pick("Tình hình nộp báo cáo tính đến", "Reporting as of");
            println!("{head} {as_of}");
            let (expected, reporting, on_time) = match lang {
                Lang::Vi => ("phải nộp", "tỷ lệ nộp", "đúng hạn"),
                Lang::En => ("expected", "reporting", "on time"),
            };
            println!("{:<44} {:>9} {:>10} {:>10}", "", expected, reporting, on_time);
            for g in std::iter::once(&summary.programme).chain(&summary.by_product) {
                let name =
                    if g.key.is_empty() { lang.pick("Toàn Chương trình", "Whole programme") } else { &g.name };
                println!(
                    "{:<44} {:>9} {:>10} {:>10}",
                    name,
                    g.rates.expected,
                    percent(g.reporting_percent),
                    percent(g.on_time_percent)
                );
            }
            println!();
            println!("{}", lang.pick("Quá hạn (trễ nhất trước):", "Overdue (latest first):"));
            for o in &summary.overdue {
                println!(
                    "{:>5} {}  {:<8} {:<24} {}",
                    o.days_late.unwrap_or_default(),
                    lang.pick("ngày", "days"),
                    o.period,
                    o.subject_name,
                    o.organisation_name
                );
            }
        }
    }
    app.close().await;
    Ok(())
}
