//! `cncl demo`: load the demo data set.

use anyhow::Context;
use cncl_app::App;
use cncl_app::demo::DemoOutcome;

use crate::DatabaseArgs;

pub async fn run(args: DatabaseArgs) -> anyhow::Result<()> {
    let app = App::open(&args.database).await.with_context(|| format!("opening {}", args.database))?;
    report(app.load_demo().await?);
    app.close().await;
    Ok(())
}

pub fn report(outcome: DemoOutcome) {
    match outcome {
        DemoOutcome::Loaded { records } => println!("demo data loaded: {records} records"),
        DemoOutcome::AlreadyPresent => println!("demo data already present; nothing changed"),
    }
}
