//! `cncl task`: list tasks, show one with its 7 clear and history, and apply lifecycle
//! commands — the same use-cases as the API and the pages.

use clap::{Args, Subcommand};
use cncl_app::ListQuery;
use cncl_domain::task::Task;
use cncl_store::ListFilter;
use cncl_store::events::History;

use crate::DatabaseArgs;

#[derive(Debug, Args)]
pub struct TaskArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(subcommand)]
    action: TaskAction,
}

#[derive(Debug, Subcommand)]
enum TaskAction {
    /// List tasks, optionally of one product or in one status.
    List {
        #[arg(long)]
        product: Option<String>,
        #[arg(long)]
        status: Option<String>,
    },
    /// Show a task (by its code): status, the 7 clear, and its recorded history.
    Show { code: String },
    /// Apply a lifecycle command, given as JSON, e.g.
    /// '{"command":"start","on":"2026-01-05"}' or
    /// '{"command":"cancel","on":"2026-02-01","reason":"…"}'.
    Command {
        code: String,
        json: String,
        /// Who is acting (recorded with the change).
        #[arg(long, default_value = "programme office")]
        by: String,
    },
    /// Rank the proposals for an ordered task by their reviewers' weighted scores.
    Ranking { code: String },
    /// Choose a proposal (by its id): it becomes the task's assignment.
    Select {
        proposal: uuid::Uuid,
        /// The date of the assignment (YYYY-MM-DD or dd/mm/yyyy).
        #[arg(long)]
        on: cncl_domain::Date,
        #[arg(long, default_value = "programme office")]
        by: String,
    },
    /// Submit, approve or return a progress report (by its id), given as JSON, e.g.
    /// '{"command":"return","on":"2026-07-10","reason":"…"}'.
    Report {
        report: uuid::Uuid,
        json: String,
        #[arg(long, default_value = "programme office")]
        by: String,
    },
}

pub async fn run(args: TaskArgs) -> anyhow::Result<()> {
    let app = args.database.open().await?;
    let actor = crate::cli_actor();
    match args.action {
        TaskAction::List { product, status } => list(&app, product, status).await?,
        TaskAction::Show { code } => show(&app, &code).await?,
        TaskAction::Command { code, json, by } => {
            let task = app.task_by_code(&actor, &code).await?;
            let command = cncl_domain::parse_input(json.as_bytes()).map_err(cncl_app::AppError::from)?;
            let after = app.task_command(&crate::by_actor(&by), task.id, command).await?;
            println!("{}: {} → {}", code, task.record.status, after.record.status);
        }
        TaskAction::Ranking { code } => ranking(&app, &code).await?,
        TaskAction::Select { proposal, on, by } => {
            let task = app.select_proposal(&crate::by_actor(&by), proposal.into(), on).await?;
            println!("{}: assigned from proposal {proposal}", task.record.code);
        }
        TaskAction::Report { report, json, by } => {
            let command = cncl_domain::parse_input(json.as_bytes()).map_err(cncl_app::AppError::from)?;
            let after = app.report_command(&crate::by_actor(&by), report.into(), command).await?;
            println!("report {report}: {}", after.record.status);
        }
    }
    app.close().await;
    Ok(())
}

async fn list(app: &cncl_app::App, product: Option<String>, status: Option<String>) -> anyhow::Result<()> {
    let filter = ListFilter { product, status, organisation: None };
    let query = ListQuery { filter, page: Some(1), per_page: Some(cncl_app::records::MAX_PER_PAGE) };
    let page = app.list::<Task>(&crate::cli_actor(), &query).await?;
    for t in &page.items {
        println!("{:<12} {:<12} {:<13} {}", t.record.code, t.record.product_code, t.record.status, t.record.title);
    }
    println!("{} of {} tasks", page.items.len(), page.total);
    Ok(())
}

async fn show(app: &cncl_app::App, code: &str) -> anyhow::Result<()> {
    let actor = crate::cli_actor();
    let task = app.task_by_code(&actor, code).await?;
    println!("{} — {} [{}]", task.record.code, task.record.title, task.record.status);
    for check in app.seven_clear(&actor, task.id).await? {
        println!("  {} {}", if check.clear { "✔" } else { "✘" }, check.element.label(cncl_domain::Lang::En));
    }
    for event in app.history(&actor, History::Task, task.id).await? {
        println!(
            "  {}  {:<7} {} → {}  by {}",
            event.recorded_at, event.command, event.from_status, event.to_status, event.actor
        );
    }
    Ok(())
}

async fn ranking(app: &cncl_app::App, code: &str) -> anyhow::Result<()> {
    let actor = crate::cli_actor();
    let task = app.task_by_code(&actor, code).await?;
    for ranked in app.ranking(&actor, task.id).await? {
        let rank = ranked.ranking.rank.map_or("—".to_owned(), |r| r.to_string());
        let score = ranked.ranking.score.map_or("unreviewed".to_owned(), |s| format!("{s:.2}"));
        let reviewers: Vec<String> = ranked.ranking.reviews.iter().map(|r| format!("{:.1}", r.weighted)).collect();
        println!(
            "{rank:>2}  {score:>10}  [{}]  {}  {}  ({})",
            reviewers.join(", "),
            ranked.proposal.id,
            ranked.proposal.record.title,
            ranked.proposal.record.status
        );
    }
    Ok(())
}
