//! `cncl demo`: load the demo data set, or generate a national-scale one.

use clap::{Args, ValueEnum};
use cncl_app::App;
use cncl_app::demo::DemoOutcome;
use cncl_app::demo::national::Scale;
use indicatif::{ProgressBar, ProgressStyle};

use crate::DatabaseArgs;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DemoScale {
    /// A few hundred hand-shaped records covering every criterion and every task status.
    Small,
    /// 10,000 organisations, 50,000 tasks, 500,000 outputs, 1,000,000 BOM lines.
    National,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    #[arg(long, value_enum, default_value = "small")]
    scale: DemoScale,
}

pub async fn run(args: DemoArgs) -> anyhow::Result<()> {
    let app = args.database.create_or_open().await?;
    match args.scale {
        DemoScale::Small => report(app.load_demo(&crate::cli_actor()).await?),
        DemoScale::National => national(&app).await?,
    }
    app.close().await;
    Ok(())
}

async fn national(app: &App) -> anyhow::Result<()> {
    let scale = Scale::NATIONAL;
    let bar = ProgressBar::new(scale.total_records());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {wide_bar} {human_pos}/{human_len} records  {per_sec}  eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress = |done: u64, _total: u64| bar.set_position(done);
    let written = app.load_national_demo(&crate::cli_actor(), scale, &progress).await?;
    bar.finish_and_clear();
    if written == 0 {
        println!("national-scale data already present; nothing changed");
    } else {
        println!("national-scale data generated: {written} records");
    }
    Ok(())
}

pub fn report(outcome: DemoOutcome) {
    match outcome {
        DemoOutcome::Loaded { records } => println!("demo data loaded: {records} records"),
        DemoOutcome::AlreadyPresent => println!("demo data already present; nothing changed"),
    }
}
