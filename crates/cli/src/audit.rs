//! `cncl audit verify`: recompute the audit log's hash chain and compare every stored record
//! with it. Exits non-zero when anything does not match.

use clap::{Args, Subcommand};

use crate::DatabaseArgs;

#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(subcommand)]
    action: AuditAction,
}

#[derive(Debug, Subcommand)]
enum AuditAction {
    /// Check the chain and every stored row; name the first entry (or rows) that do not match.
    Verify,
}

pub async fn run(args: AuditArgs) -> anyhow::Result<()> {
    let app = args.database.open().await?;
    match args.action {
        AuditAction::Verify => {
            let report = app.verify_audit(&crate::cli_actor()).await?;
            println!("{} entries; head hash {}", report.entries, report.head_hash);
            if let Some(broken) = &report.first_broken {
                println!(
                    "BROKEN at entry {}: {} ({} {})",
                    broken.seq.map_or_else(|| "?".into(), |s| s.to_string()),
                    broken.problem,
                    broken.entity,
                    broken.id
                );
            }
            for row in &report.mismatched_rows {
                println!("MISMATCH {} {}: {}", row.entity, row.id, row.problem);
            }
            app.close().await;
            if report.is_intact() {
                println!("intact: the chain verifies and every stored record matches it");
                Ok(())
            } else {
                anyhow::bail!("the audit log does not match the stored data")
            }
        }
    }
}
