//! `cncl init`: create or upgrade the database and load the reference data.

use crate::DatabaseArgs;

pub async fn run(args: DatabaseArgs) -> anyhow::Result<()> {
    let app = args.create_or_open().await?;
    if let Some(password) = app.ensure_admin(std::env::var("CNCL_ADMIN_PASSWORD").ok()).await? {
        println!("created the first account: admin, one-time password {password} (set up TOTP at first sign-in)");
    }
    let products = app.products().await?;
    println!(
        "{}: schema up to date; programme reference data loaded ({} products, {} task groups)",
        args.shown(),
        products.len(),
        app.task_groups().await?.len()
    );
    app.close().await;
    Ok(())
}
