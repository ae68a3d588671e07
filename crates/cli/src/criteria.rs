//! `cncl criteria`: the criteria sets loaded, loading a file as a new version, choosing the
//! programme's set, and two sets compared on a date.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use cncl_domain::Date;
use cncl_eval::criteria::SetRef;

use crate::DatabaseArgs;

#[derive(Debug, Args)]
pub struct CriteriaArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(subcommand)]
    action: CriteriaAction,
}

#[derive(Debug, Subcommand)]
enum CriteriaAction {
    /// Every loaded version, the programme's marked with *.
    List,
    /// Check a criteria file (TOML, docs/criteria.md) and store it as a new version. An
    /// error names the file, line and key. Does not change the programme's set.
    Load {
        file: PathBuf,
        /// Also make it the programme's set.
        #[arg(long = "use")]
        use_it: bool,
    },
    /// Make a loaded version (ID@VERSION) the programme's criteria set.
    Use { set: SetRef },
    /// Two sets side by side on a date: every figure, target and status that differs.
    Compare {
        /// ID@VERSION; the programme's set when omitted.
        #[arg(long)]
        left: Option<SetRef>,
        /// ID@VERSION.
        #[arg(long)]
        right: SetRef,
        /// YYYY-MM-DD or dd/mm/yyyy; today in Vietnam when omitted.
        #[arg(long, value_name = "DATE")]
        as_of: Option<Date>,
        /// Show every row, not only those that differ.
        #[arg(long)]
        all: bool,
    },
}

pub async fn run(args: CriteriaArgs) -> anyhow::Result<()> {
    let app = args.database.open().await?;
    let actor = crate::cli_actor();
    match args.action {
        CriteriaAction::List => {
            for v in app.criteria_set_versions().await? {
                let mark = if v.current { "*" } else { " " };
                println!("{mark} {}@{}  {}  (loaded {} by {})", v.id, v.version, v.name_en, v.loaded_at, v.loaded_by);
            }
        }
        CriteriaAction::Load { file, use_it } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let loaded = app.load_criteria_set(&actor, &file.display().to_string(), &text).await?;
            if loaded.added {
                println!("loaded {} as a new version", loaded.set);
            } else {
                println!("{} is already loaded with the same content: nothing changed", loaded.set);
            }
            if use_it && app.use_criteria_set(&actor, &loaded.set).await? {
                println!("the programme is now evaluated against {}", loaded.set);
            }
        }
        CriteriaAction::Use { set } => {
            if app.use_criteria_set(&actor, &set).await? {
                println!("the programme is now evaluated against {set}");
            } else {
                println!("the programme already is evaluated against {set}");
            }
        }
        CriteriaAction::Compare { left, right, as_of, all } => {
            let left = match left {
                Some(left) => left,
                None => app.current_criteria_set().await?,
            };
            let as_of = as_of.unwrap_or_else(|| app.today());
            let comparison = app.compare_criteria_sets(&actor, as_of, &left, &right).await?;
            println!("{left} (A) against {right} (B) on {as_of}: {} rows differ", comparison.differing_rows);
            for row in comparison.rows.iter().filter(|r| all || r.differs()) {
                let shown = |f: &Option<cncl_eval::comparison::ComparedFigure>| {
                    f.as_ref().map_or_else(
                        || "absent".to_owned(),
                        |f| format!("{} {:?}", crate::evaluate::value_text(f.unit, f.value, f.percent), f.status),
                    )
                };
                let mark = if row.differs() { "≠" } else { "=" };
                println!(
                    "{mark} {:<11} {:<5} A {:<24} B {}",
                    row.scope,
                    row.criterion,
                    shown(&row.left),
                    shown(&row.right)
                );
            }
        }
    }
    app.close().await;
    Ok(())
}
