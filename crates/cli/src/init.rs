//! `cncl init`: create or upgrade the database and load the reference data.

use crate::DatabaseArgs;

pub async fn run(args: DatabaseArgs) -> anyhow::Result<()> {
    let settings = args.settings()?;
    let app = settings.open_app().await?;
    let moved = app.canonicalise_provinces(&cncl_app::Actor::system("cncl:provinces")).await?;
    if moved > 0 {
        println!("{moved} organisations' provinces named as in today's list of 34 (the audit log has each)");
    }
    if let Some(password) = app.ensure_admin(std::env::var("CNCL_ADMIN_PASSWORD").ok()).await? {
        println!("created the first account: admin, one-time password {password} (set up TOTP at first sign-in)");
    }
    let products = app.products().await?;
    println!(
        "{}: schema up to date; programme reference data loaded ({} products, {} task groups)",
        cncl_store::shown_address(&settings.database),
        products.len(),
        app.task_groups().await?.len()
    );
    app.close().await;
    Ok(())
}
