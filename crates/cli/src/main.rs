//! `cncl`: one binary with a subcommand per job, one file each.

mod audit;
mod backup;
mod compliance;
mod config;
mod criteria;
mod demo;
mod evaluate;
mod export;
mod governance;
mod import;
mod init;
mod lookup;
mod plan;
mod record;
mod report;
mod serve;
mod settings;
mod task;
mod template;
mod user;

use clap::{Args, Parser, Subcommand};

/// mimalloc rather than glibc's malloc: imports, exports and evaluations make and drop
/// millions of small values, and spent a third of their time in glibc's (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// cncl — theo dõi, đánh giá Chương trình phát triển sản phẩm công nghệ chiến lược
/// (Quyết định 2815/QĐ-TTg). Monitoring and evaluation of Vietnam's programme for the
/// development of strategic technology products.
///
/// Start here:  cncl serve --demo   then open http://127.0.0.1:8080/
#[derive(Debug, Parser)]
#[command(name = "cncl", version, propagate_version = true)]
struct Cli {
    /// The settings file (TOML); `cncl.toml` here when it exists. Flags win over `CNCL_*`
    /// variables, which win over the file. `cncl config show` prints what is in effect.
    #[arg(long, env = "CNCL_CONFIG", global = true, value_name = "FILE")]
    config: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the web server: the pages and the JSON API (/api/v1, OpenAPI at
    /// /api/v1/openapi.json). Creates the database and loads the programme's reference data
    /// on first start.
    Serve(serve::ServeArgs),
    /// Create or upgrade the database and load the programme's reference data, then exit.
    Init(DatabaseArgs),
    /// Load the demo data set: fictional organisations, people, tasks, outputs, product
    /// models and bills of materials across all six products. Does nothing if already loaded.
    /// `--scale national` generates a large synthetic programme for load and benchmark work.
    Demo(demo::DemoArgs),
    /// Compute every criterion of Decision 2815 for every product and for the programme,
    /// as the recorded facts stood on a date, with status against the 2027 and 2030 targets.
    Evaluate(evaluate::EvaluateArgs),
    /// Criteria sets: list the versions loaded, load a file as a new version, choose the
    /// programme's set, compare two on a date. Every change is in the audit log.
    Criteria(criteria::CriteriaArgs),
    /// Every record of a kind (bom-lines, tasks…) as an Excel workbook or CSV for Excel.
    Export(export::ExportArgs),
    /// A kind's template, or an organisation's reporting workbook (--reporting TAX_CODE), to
    /// fill in and bring back with `cncl import`; --prefilled with the records already kept.
    Template(template::TemplateArgs),
    /// The quarterly programme report: `cncl report build --quarter 2026Q4 -o report.pdf`.
    Report(report::ReportArgs),
    /// A workbook or CSV in: every row checked like a single record, all written in one
    /// transaction or none; errors named by sheet, row and column. --dry-run previews.
    Import(import::ImportArgs),
    /// The localisation planner: for a model, the least-cost set of domestic offers that
    /// reaches the C1a (60 %) and C1b (40 %) targets, or the gap that remains; --product
    /// or --all for the roadmap of every model below target.
    Plan(plan::PlanArgs),
    /// List, show and move tasks through their lifecycle (order, assign, start, submit,
    /// accept, reject, cancel).
    Task(task::TaskArgs),
    /// Any kind of record as JSON: list, show, add, update (budget lines, disbursements,
    /// appointments, Task Force members, milestones, reports, proposals, reviews, outputs…).
    Record(record::RecordArgs),
    /// The programme's funding by year, product and source, against the 15 % ceiling.
    Funding(governance::AsOfArgs),
    /// What the office should act on: products without a chief engineer, no Task Force
    /// head, funding over the ceiling, overdue milestones and deliverables.
    Warnings(governance::AsOfArgs),
    /// Who owes which report by when: task progress reports per quarter, makers' and
    /// trainers' yearly reports; the reporting and on-time rates and the overdue list.
    Compliance(compliance::ComplianceArgs),
    /// The audit log: `verify` recomputes the hash chain and compares every stored record
    /// with it, naming the first entry or row that does not match.
    Audit(audit::AuditArgs),
    /// Accounts and API tokens: add, list, disable, enable; tokens shown once.
    User(user::UserArgs),
    /// A consistent copy of the whole database (audit log and documents included) as a new
    /// SQLite file, taken while cncl serves.
    Backup(backup::BackupArgs),
    /// Bring a backup back into the database (new or empty, or --replace), all or nothing.
    Restore(backup::RestoreArgs),
    /// Copy a whole database from one place or backend to another: `cncl copy --from cncl.db
    /// --to postgres://…`. The audit chain verifies on the copy as on the original.
    Copy(backup::CopyArgs),
    /// The settings in effect and where each came from (flag, CNCL_* variable, cncl.toml or
    /// default), secrets redacted.
    Config(config::ConfigArgs),
}

/// The command line acts with full rights on the database it is given (whoever can open the
/// file or the PostgreSQL URL could change it anyway); its changes are logged as `cli:<user>`.
pub fn cli_actor() -> cncl_app::Actor {
    let user = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "local".into());
    cncl_app::Actor::system(&format!("cli:{user}"))
}

/// The person named by `--by`, acting with the command line's rights; both are recorded.
pub fn by_actor(by: &str) -> cncl_app::Actor {
    cncl_app::Actor::system(&format!("{} ({by})", cli_actor().name))
}

/// Where the data lives; the same option on every subcommand that touches data.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// The database: a SQLite file path (created by init, serve and demo) or a postgres://
    /// URL. Also CNCL_DATABASE, or `database` in cncl.toml; `cncl.db` by default.
    #[arg(long, value_name = "PATH|URL", global = true)]
    pub database: Option<String>,
}

impl DatabaseArgs {
    /// The flags these arguments set.
    pub fn flags(&self) -> settings::Flags {
        settings::Flags::default().set("database", self.database.as_ref())
    }

    /// The settings in effect, with this command's database.
    pub fn settings(&self) -> anyhow::Result<settings::Settings> {
        let loaded = settings::Loaded::load(self.flags())?;
        loaded.warn_unknown();
        Ok(loaded.settings)
    }

    /// Open the application on a database that exists: a command that only reads or adds
    /// to one never leaves an empty `cncl.db` behind; it says how to make one.
    pub async fn open(&self) -> anyhow::Result<cncl_app::App> {
        let settings = self.settings()?;
        if let Some(path) = settings.database_missing() {
            anyhow::bail!(
                "there is no cncl database at {path}: make one with `cncl init` (or `cncl serve`), \
                 or name another with --database PATH|URL"
            );
        }
        settings.open_app().await
    }

    /// Open the application, creating the database (and loading the programme's reference
    /// data) when it is missing: for `init`, `serve` and `demo`.
    pub async fn create_or_open(&self) -> anyhow::Result<cncl_app::App> {
        self.settings()?.open_app().await
    }
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // `{:#}` prints the chain of causes on one line, without a backtrace.
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    settings::use_file(cli.config.clone());
    // The log's format is a setting; a settings error itself is reported by the command.
    let format = settings::Loaded::load(settings::Flags::default()).map(|l| l.settings.log_format);
    let log = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CNCL_LOG")
                // sqlx warns of slow statements with their whole text — thousands of
                // placeholders for a bulk insert — which buries everything else.
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=error")),
        )
        .with_writer(std::io::stderr);
    match format {
        Ok(settings::LogFormat::Json) => log.json().init(),
        _ => log.init(),
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => serve::run(args).await,
            Command::Init(args) => init::run(args).await,
            Command::Demo(args) => demo::run(args).await,
            Command::Evaluate(args) => evaluate::run(args).await,
            Command::Criteria(args) => criteria::run(args).await,
            Command::Export(args) => export::run(args).await,
            Command::Import(args) => import::run(args).await,
            Command::Template(args) => template::run(args).await,
            Command::Report(args) => report::run(args).await,
            Command::Plan(args) => plan::run(args).await,
            Command::Task(args) => task::run(args).await,
            Command::Record(args) => record::run(args).await,
            Command::Funding(args) => governance::funding(args).await,
            Command::Warnings(args) => governance::warnings(args).await,
            Command::Compliance(args) => compliance::run(args).await,
            Command::Audit(args) => audit::run(args).await,
            Command::User(args) => user::run(args).await,
            Command::Config(args) => config::run(&args),
            Command::Backup(args) => backup::backup(args).await,
            Command::Restore(args) => backup::restore(args).await,
            Command::Copy(args) => backup::copy_between(args).await,
        }
    })
}
