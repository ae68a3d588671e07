//! `cncl evaluate`: the scorecard on a date, as a table or JSON.

use std::fmt::Write as _;

use clap::{Args, ValueEnum};
use cncl_domain::Date;
use cncl_eval::criteria::{Comparator, Unit};
use cncl_eval::scorecard::CriterionResult;
use cncl_eval::status::Status;

use crate::DatabaseArgs;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The date to evaluate on (YYYY-MM-DD or dd/mm/yyyy, 1990 to 2100); today in Vietnam when omitted.
    #[arg(long, value_name = "DATE")]
    as_of: Option<Date>,
    /// Only this product (its code, e.g. llm, ai-camera, amr, 5g, blockchain, uav).
    #[arg(long, value_name = "CODE")]
    product: Option<String>,
    /// Evaluate under this loaded criteria set (ID@VERSION) instead of the programme's.
    #[arg(long, value_name = "ID@VERSION")]
    pub criteria: Option<cncl_eval::criteria::SetRef>,
    /// As cncl knew it then: an audit log entry's number, a moment (RFC 3339) or a day
    /// (everything written by its end in Vietnam). The facts are rebuilt from the audit log,
    /// so later entries and corrections are left out.
    #[arg(long, value_name = "ENTRY|MOMENT|DAY")]
    recorded_at: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub async fn run(args: EvaluateArgs) -> anyhow::Result<()> {
    let app = args.database.open().await?;
    let as_of = args.as_of.unwrap_or_else(|| app.today());
    let scorecard = match args.recorded_at.as_deref() {
        None => app.scorecard(&crate::cli_actor(), as_of, args.product.as_deref(), args.criteria.as_ref()).await?,
        Some(raw) => {
            let recorded: cncl_app::recorded::RecordedAt = raw.parse()?;
            let (scorecard, entry) = app
                .scorecard_as_recorded(
                    &crate::cli_actor(),
                    as_of,
                    args.product.as_deref(),
                    args.criteria.as_ref(),
                    recorded,
                )
                .await?;
            eprintln!("as recorded up to audit log entry #{} ({}, {})", entry.seq, entry.at, entry.hash);
            scorecard
        }
    };
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&scorecard)?),
        Format::Table => {
            let products = app.products().await?;
            let mut out = format!(
                "Scorecard as of {as_of} — criteria set {} ({}), bill-of-materials rule: {:?}\n",
                scorecard.criteria_set, scorecard.criteria_version, scorecard.bom_rule
            );
            for card in &scorecard.products {
                let name = products.iter().find(|p| p.code.as_str() == card.product).map_or("", |p| p.name_en.as_str());
                let _ = writeln!(out, "\n{} — {name}", card.product);
                for result in &card.results {
                    out.push_str(&row(result));
                    if let Some(weakest) = &result.weakest_model {
                        out.push_str(&weakest_line(&app, weakest).await);
                    }
                }
            }
            out.push_str("\nprogramme\n");
            for result in &scorecard.programme {
                out.push_str(&row(result));
            }
            print!("{out}");
        }
    }
    app.close().await;
    Ok(())
}

/// The weakest model beside a value-added figure, by name, with the amounts it rests on.
async fn weakest_line(app: &cncl_app::App, weakest: &cncl_eval::indicators::ModelShare) -> String {
    use cncl_domain::format::format_vnd;
    let en = cncl_domain::Lang::En;
    let id = cncl_domain::ids::ProductModelId(weakest.model);
    let name = app
        .get::<cncl_domain::market::ProductModel>(&crate::cli_actor(), id)
        .await
        .map_or_else(|_| weakest.model.to_string(), |m| m.record.name.to_string());
    let share =
        if weakest.denominator == 0 { 0.0 } else { weakest.numerator as f64 * 100.0 / weakest.denominator as f64 };
    format!(
        "        weakest model: {name} — {share:.1} % ({} of {})\n",
        format_vnd(weakest.numerator, en),
        format_vnd(weakest.denominator, en)
    )
}

/// A figure as the command line writes it.
pub fn value_text(unit: Unit, value: Option<f64>, percent: Option<f64>) -> String {
    match (unit, value) {
        (_, None) => "no data".to_owned(),
        (Unit::Percent, Some(_)) => format!("{:.1} %", percent.unwrap_or_default()),
        (Unit::Count, Some(v)) => cncl_domain::format::format_count(v.round() as i64, cncl_domain::Lang::En),
    }
}

fn row(result: &CriterionResult) -> String {
    let value = value_text(result.unit, result.value, result.percent);
    let target = result.target.as_ref().map_or(String::new(), |t| {
        let unit = if result.unit == Unit::Percent { " %" } else { "" };
        let sign = match result.comparator {
            Comparator::AtLeast => "≥",
            Comparator::AtMost => "≤",
        };
        match t.high {
            Some(high) => format!("{}–{high}{unit} by {}", t.low, t.by),
            None => format!("{sign} {}{unit} by {}", t.low, t.by),
        }
    });
    let status = match result.status {
        Status::Met => "met",
        Status::OnTrack => "on track",
        Status::AtRisk => "at risk",
        Status::NotMet => "not met",
        Status::NoData => "no data",
    };
    format!("  {:<5} {:>12}   target {:<24} {status}\n", result.criterion, value, target)
}
