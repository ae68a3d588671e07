//! `cncl record`: any kind of record listed, shown, added and corrected as JSON — the same
//! use-cases, rules and audit entries as `/api/v1/{kind}` and the `/records` pages, for
//! scripts and for the office at a terminal.

use std::io::Read;

use anyhow::Context;
use clap::{Args, Subcommand};
use cncl_app::{App, ListQuery};
use cncl_domain::{EntityKind, Record, with_record_type};
use cncl_store::ListFilter;
use uuid::Uuid;

use crate::DatabaseArgs;

#[derive(Debug, Args)]
pub struct RecordArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(subcommand)]
    action: RecordAction,
}

#[derive(Debug, Subcommand)]
enum RecordAction {
    /// The kinds of record, by the name the other commands take (as in /api/v1/{kind}).
    Kinds,
    /// List records of a kind as JSON lines (`{"id": …, …}`), newest last.
    List {
        kind: String,
        #[arg(long)]
        product: Option<String>,
        #[arg(long)]
        status: Option<String>,
        /// An organisation's id: its records only.
        #[arg(long)]
        organisation: Option<Uuid>,
        #[arg(long, default_value_t = 1)]
        page: u32,
        #[arg(long, default_value_t = cncl_app::records::DEFAULT_PER_PAGE)]
        per_page: u32,
    },
    /// Show one record as JSON.
    Show { kind: String, id: Uuid },
    /// Add a record given as JSON: inline, `@file.json`, or `-` for standard input. Prints its id.
    Add {
        kind: String,
        json: String,
        /// Who is acting (recorded in the audit log).
        #[arg(long, default_value = "programme office")]
        by: String,
    },
    /// Replace a record with a corrected version given as JSON (inline, `@file`, or `-`).
    Update {
        kind: String,
        id: Uuid,
        json: String,
        #[arg(long, default_value = "programme office")]
        by: String,
    },
}

fn kind_named(name: &str) -> anyhow::Result<EntityKind> {
    EntityKind::from_resource(name).with_context(|| {
        let known: Vec<&str> = EntityKind::ALL.iter().map(|k| k.resource()).collect();
        format!("unknown kind of record {name:?}; use one of: {}", known.join(", "))
    })
}

/// The JSON argument: as given, read from a file after `@`, or from standard input for `-`.
fn json_text(argument: &str) -> anyhow::Result<String> {
    if argument == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("reading the record from standard input")?;
        Ok(text)
    } else if let Some(path) = argument.strip_prefix('@') {
        std::fs::read_to_string(path).with_context(|| format!("reading {path}"))
    } else {
        Ok(argument.to_owned())
    }
}

async fn save<T: Record>(app: &App, by: &str, id: Option<Uuid>, json: &str) -> anyhow::Result<Uuid> {
    let record = match cncl_domain::parse_input::<T>(json.as_bytes()) {
        Ok(record) => record,
        Err(cncl_domain::InputError::Syntax(why)) => anyhow::bail!("malformed JSON: {why}"),
        Err(cncl_domain::InputError::Invalid(error)) => return Err(cncl_app::AppError::Invalid(error).into()),
    };
    let saved = match id {
        Some(id) => app.update(&crate::by_actor(by), id.into(), record).await?,
        None => app.create(&crate::by_actor(by), record).await?,
    };
    Ok(saved.id.into())
}

pub async fn run(args: RecordArgs) -> anyhow::Result<()> {
    if let RecordAction::Kinds = args.action {
        for kind in EntityKind::ALL {
            println!("{:<26} {}", kind.resource(), kind.label(cncl_domain::Lang::En));
        }
        return Ok(());
    }
    let app = args.database.open().await?;
    let actor = crate::cli_actor();
    match args.action {
        RecordAction::Kinds => {}
        RecordAction::List { kind, product, status, organisation, page, per_page } => {
            let kind = kind_named(&kind)?;
            let query = ListQuery {
                filter: ListFilter { product, status, organisation },
                page: Some(page),
                per_page: Some(per_page),
            };
            let (total, lines) = with_record_type!(kind, T => {
                let page = app.list::<T>(&actor, &query).await?;
                (page.total, page.items.iter().map(serde_json::to_string).collect::<Result<Vec<_>, _>>()?)
            });
            for line in &lines {
                println!("{line}");
            }
            eprintln!("{} of {total} {} (page {page})", lines.len(), kind.resource());
        }
        RecordAction::Show { kind, id } => {
            let kind = kind_named(&kind)?;
            let text =
                with_record_type!(kind, T => serde_json::to_string_pretty(&app.get::<T>(&actor, id.into()).await?)?);
            println!("{text}");
        }
        RecordAction::Add { kind, json, by } => {
            let kind = kind_named(&kind)?;
            let text = json_text(&json)?;
            let id = with_record_type!(kind, T => save::<T>(&app, &by, None, &text).await?);
            println!("{id}");
        }
        RecordAction::Update { kind, id, json, by } => {
            let kind = kind_named(&kind)?;
            let text = json_text(&json)?;
            with_record_type!(kind, T => save::<T>(&app, &by, Some(id), &text).await?);
            println!("{id} updated");
        }
    }
    Ok(())
}
