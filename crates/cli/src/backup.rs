//! `cncl backup`, `cncl restore` and `cncl copy`: the whole database, audit chain and
//! documents included, into a file, back from one, or from one backend to the other. Each
//! reads one consistent state (cncl may keep serving) and writes all of it or nothing.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;
use cncl_store::Store;
use cncl_store::copy::Copied;

use crate::DatabaseArgs;

#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The backup: a new SQLite file, which cncl opens like any database
    /// (`cncl audit verify --database FILE`).
    file: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// A file made by `cncl backup`.
    file: PathBuf,
    /// Replace what the database holds (in the same transaction: all or nothing). Without
    /// it the database must be new or empty. Stop `cncl serve` first.
    #[arg(long)]
    replace: bool,
}

#[derive(Debug, Args)]
pub struct CopyArgs {
    /// The database copied: a SQLite file or a postgres:// URL.
    #[arg(long, value_name = "PATH|URL")]
    from: String,
    /// The database written: a SQLite file (created) or a postgres:// URL; new or empty.
    #[arg(long, value_name = "PATH|URL")]
    to: String,
    /// Replace what the target holds (in the same transaction: all or nothing).
    #[arg(long)]
    replace: bool,
    /// Where the source keeps documents as files, if it does (its `documents_dir`).
    #[arg(long, value_name = "DIR")]
    from_documents: Option<PathBuf>,
    /// Keep the copied documents as files here; in the target database when not given.
    #[arg(long, value_name = "DIR")]
    to_documents: Option<PathBuf>,
}

/// A spinner naming the table being copied and its rows so far.
fn progress_bar() -> indicatif::ProgressBar {
    let style = indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
    let bar = indicatif::ProgressBar::new_spinner().with_style(style);
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

fn report(copied: &Copied) {
    let tables = copied.tables.iter().filter(|(_, rows)| *rows > 0).count();
    println!(
        "{} rows copied from {tables} tables",
        cncl_domain::format::format_count(i64::try_from(copied.rows()).unwrap_or(i64::MAX), cncl_domain::Lang::En)
    );
}

async fn open_existing(address: &str, documents_dir: Option<PathBuf>) -> anyhow::Result<Store> {
    let is_url = address.starts_with("postgres://") || address.starts_with("postgresql://");
    if !is_url && !Path::new(address.strip_prefix("sqlite://").unwrap_or(address)).exists() {
        bail!("there is no database at {address}");
    }
    let store = Store::connect(address).await.with_context(|| cncl_store::shown_address(address))?;
    Ok(store.with_documents_in(documents_dir))
}

pub async fn backup(args: BackupArgs) -> anyhow::Result<()> {
    let settings = args.database.settings()?;
    let app = settings.open_app().await?;
    let bar = progress_bar();
    let mut progress = |table: &str, rows: u64| bar.set_message(format!("{table}: {rows}"));
    let copied = app.store().backup_to(&args.file, &mut progress).await;
    bar.finish_and_clear();
    let copied = copied.with_context(|| format!("backing up to {}", args.file.display()))?;
    if copied.rows() > 0 {
        report(&copied);
    }
    let size = std::fs::metadata(&args.file).map(|m| m.len()).unwrap_or(0);
    println!(
        "backup of {} written to {} ({} MB); check it with `cncl audit verify --database {}`",
        cncl_store::shown_address(&settings.database),
        args.file.display(),
        size.div_ceil(1024 * 1024),
        args.file.display()
    );
    app.close().await;
    Ok(())
}

/// `source` at this build's schema: a backup made by an earlier cncl is brought up to date
/// in a copy kept in `scratch`, never in the backup itself.
async fn current(source: &Path, scratch: &Path) -> anyhow::Result<Store> {
    let address = source.to_string_lossy();
    let store = open_existing(&address, None).await?;
    if store.schema_is_current().await? {
        return Ok(store);
    }
    store.close().await;
    let copy = scratch.join("backup.db");
    std::fs::copy(source, &copy).with_context(|| format!("copying {}", source.display()))?;
    let store = Store::connect(&copy.to_string_lossy()).await?;
    store.migrate().await.context("bringing the backup's schema up to date")?;
    Ok(store)
}

pub async fn restore(args: RestoreArgs) -> anyhow::Result<()> {
    let settings = args.database.settings()?;
    let scratch = tempfile::tempdir()?;
    let source = current(&args.file, scratch.path()).await?;
    let target = Store::connect(&settings.database)
        .await
        .with_context(|| cncl_store::shown_address(&settings.database))?
        .with_documents_in(settings.documents_dir.clone());
    copy(&source, &target, args.replace).await?;
    println!(
        "{} restored into {}; check it with `cncl audit verify`",
        args.file.display(),
        cncl_store::shown_address(&settings.database)
    );
    Ok(())
}

pub async fn copy_between(args: CopyArgs) -> anyhow::Result<()> {
    let source = open_existing(&args.from, args.from_documents).await?;
    let target = Store::connect(&args.to)
        .await
        .with_context(|| cncl_store::shown_address(&args.to))?
        .with_documents_in(args.to_documents);
    copy(&source, &target, args.replace).await?;
    println!(
        "{} copied into {}; check it with `cncl audit verify --database …`",
        cncl_store::shown_address(&args.from),
        cncl_store::shown_address(&args.to)
    );
    Ok(())
}

async fn copy(source: &Store, target: &Store, replace: bool) -> anyhow::Result<()> {
    let bar = progress_bar();
    let mut progress = |table: &str, rows: u64| bar.set_message(format!("{table}: {rows}"));
    let copied = source.copy_into(target, replace, &mut progress).await;
    bar.finish_and_clear();
    source.close().await;
    target.close().await;
    report(&copied?);
    Ok(())
}
